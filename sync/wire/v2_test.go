package wire_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/app/kiosk"
	"github.com/sportello/sportello/app/pagopa"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/app/queue"
	"github.com/sportello/sportello/app/request"
	"github.com/sportello/sportello/sync/wire"
)

var update = flag.Bool("update", false, "rewrite testdata/v2 from the current encoders")

// v2Samples are one value of every format whose keys changed, each field
// set so that every key appears. testdata/v2 holds them as protocol 2
// wrote them: the files were made with -update by the encoders of
// protocol 2 (commit fcf1811) and must not be rewritten by later ones.
func v2Samples() []struct {
	name  string
	shape *wire.Shape
	json  []byte
} {
	at := time.Date(2026, 11, 23, 8, 30, 0, 0, time.UTC)
	day := app.Date(2026, 12, 16)
	rc := payment.Receipt{Number: "I690-W001-2026-R000001", Channel: payment.ChannelCounter, Method: "contanti", AmountCents: 11925,
		At: at, Device: "I690-W001", Operator: "demo", Instalment: 2, ExcessCents: 5, RefundedCents: 3}
	pos := payment.Position{ID: "P1", Comune: "I690", DebtorCF: "RSSMRA80A01F205X", DebtorName: "ROSSI MARIO", Service: "tari",
		Causale: "TARI 2026 \"saldo\"", AmountCents: 23850, DueDate: day, Avviso: "301000000000000111",
		Instalments: []payment.Instalment{{N: 1, Avviso: "301000000000000208", AmountCents: 11925, DueDate: day, State: "pagato"}},
		State:       "da_pagare", Published: true, Fine: "V-1", Receipts: []payment.Receipt{rc}, CreatedAt: at, CreatedBy: "I690-W001"}
	fine := payment.Fine{Number: "V-1", Comune: "I690", Plate: "AB123CD", Offence: "sosta vietata", Article: "art. 7 c. 1",
		ViolatedAt: at, NotifiedOn: day, MinCents: 4200, MaxCents: 17300, CostsCents: 1200, DiscountAllowed: true,
		OffenderCF: "RSSMRA80A01F205X", OffenderName: "ROSSI MARIO", PositionID: "P1"}
	payee := payment.Payee{Comune: "I690", Name: "Comune di Sesto", CFEnte: "00000000000", Aux: 3, Code: "01", CBILL: "A1B2C",
		PostalAccount: "123456", PostalHolder: "Comune di Sesto - Tesoreria", Office: "Tributi", Demo: true}
	pay := payment.Payment{Receipt: "I690-W001-2026-R000001", PositionID: "P1", Avviso: "301000000000000111", Instalment: 1,
		AmountCents: 11925, Method: "contanti", Operator: "demo", Device: "I690-W001", At: at, Day: "2026-11-23", Service: "tari",
		Causale: "TARI", DebtorCF: "RSSMRA80A01F205X", DebtorName: "ROSSI MARIO", Fine: "V-1", FineStage: "ridotto"}
	rep := payment.Repayment{Refund: "RT-1", Comune: "I690", Method: "bonifico", On: day, Note: "CRO 1", Operator: "sup",
		Device: "I690-W001", At: at}
	refund := payment.Refund{ID: "RT-1", PositionID: "P1", Avviso: "301000000000000111", Comune: "I690", DebtorCF: "RSSMRA80A01F205X",
		DebtorName: "ROSSI MARIO", Causale: "TARI", DueCents: 100, PaidCents: 200, ExcessCents: 100, Receipts: []payment.Receipt{rc},
		State: payment.RefundDone, OpenedAt: at, Instalment: 1, Done: &rep}
	closing := payment.Closing{Device: "I690-W001", Comune: "I690", Operator: "demo", OperatorName: "Operatore Demo", Day: "2026-11-23",
		ClosedAt: at, Payments: []payment.Payment{pay}, ByMethod: []payment.Total{{Key: "contanti", Name: "Contanti", Count: 1, Cents: 11925}},
		ByService: []payment.Total{{Key: "tari", Name: "TARI", Count: 1, Cents: 11925}}, TotalCents: 11925,
		Certificates: []payment.CertificateFee{{Number: "I690-W001-2026-000001", Type: "Certificato di residenza", IssuedAt: at, BolloCents: 1600, DirittiCents: 52}},
		BolloCents:   1600, DirittiCents: 52, Signature: []byte{1, 2, 3}, PublicKey: []byte{4, 5, 6}}
	cit := app.Citizen{CodiceFiscale: "RSSMRA80A01F205X", Surname: "ROSSI", GivenName: "MARIO", Sex: "M", BirthDate: app.Date(1980, 1, 1),
		BirthPlaceCode: "F205", Citizenship: "ITA", CivilStatus: 2, Comune: "I690",
		Address:  app.Address{Street: "VIA ROMA", HouseNumber: "1", Postcode: "20099"},
		FamilyID: "F1", Relationship: 1, Status: "residente", RegisteredOn: app.Date(2000, 1, 1), CancelledOn: app.Date(2020, 1, 1),
		CancelReason: "emigrazione", Certifiability: 2, DocumentNumber: "CA00000AA", UpdatedAt: at}
	op := app.Operator{Username: "demo", Name: "Operatore Demo", Comune: "I690", Roles: []app.Role{"counter"}, PasswordHash: "$argon2id$x",
		Active: true, UpdatedAt: at}
	summary := wire.SearchResponse{Citizens: []wire.CitizenSummary{wire.SummaryToWire(app.CitizenSummary{CodiceFiscale: cit.CodiceFiscale,
		Surname: cit.Surname, GivenName: cit.GivenName, BirthDate: cit.BirthDate, Comune: cit.Comune, Status: cit.Status})}}
	js := func(v any) []byte { b, _ := json.Marshal(v); return b }
	return []struct {
		name  string
		shape *wire.Shape
		json  []byte
	}{
		{"position", wire.V2Data(payment.KindPosition), payment.EncodePosition(&pos)},
		{"fine", wire.V2Data(payment.KindFine), payment.EncodeFine(&fine)},
		{"payee", wire.V2Data(payment.KindPayee), payment.EncodePayee(&payee)},
		{"refund", wire.V2Data(payment.KindRefund), payment.EncodeRefund(&refund)},
		{"payment", wire.V2Data(payment.FactPayment), payment.EncodePayment(&pay)},
		{"repayment", wire.V2Data(payment.FactRefundDone), payment.EncodeRepayment(&rep)},
		{"cash_closing", wire.V2Data(payment.FactClosing), payment.EncodeClosing(&closing)},
		{"payment_answer", wire.V2Answer(payment.FactPayment), payment.EncodePaymentAnswer(payment.PaymentAnswer{Duplicate: true, Refund: "RT-1"})},
		{"iuv_block", wire.V2Answer(payment.FactIUVBlock), payment.EncodeBlock(pagopa.Block{Device: "I690-W001", Aux: 3, Code: "01", First: 1, Last: 100})},
		{"citizen", wire.V2CitizenAnswer, js(wire.CitizenResponse{Citizen: wire.CitizenToWire(&cit), Family: []wire.Citizen{wire.CitizenToWire(&cit)}})},
		{"search", wire.V2Search, js(summary)},
		{"snapshot", wire.V2Snapshot, js(wire.SnapshotResponse{Scope: "I690", Citizens: []wire.Citizen{wire.CitizenToWire(&cit)},
			Operators: []wire.Operator{wire.OperatorToWire(&op)}, Records: []wire.Change{{Seq: 1, Kind: payment.KindFine, Key: "V-1",
				Record: &wire.Record{Data: payment.EncodeFine(&fine)}}}})},
		{"position_answer", wire.V2Position, js(wire.PositionToWire(&payment.NetworkPosition{Position: pos, ComuneName: "Sesto", Payee: &payee}))},
	}
}

// TestV2Table checks the one table of renamed keys against the bytes
// protocol 2 wrote: a body of protocol 2 becomes exactly what the current
// encoders write, and back.
func TestV2Table(t *testing.T) {
	for _, s := range v2Samples() {
		t.Run(s.name, func(t *testing.T) {
			path := filepath.Join("testdata", "v2", s.name+".json")
			if *update {
				if err := os.WriteFile(path, append(s.json, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			old, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			old = bytes.TrimSpace(old)
			up, err := wire.UpgradeV2(s.shape, old)
			if err != nil || !bytes.Equal(up, s.json) {
				t.Fatalf("protocol 2 → 3: %v\n got %s\nwant %s", err, up, s.json)
			}
			down, err := wire.DowngradeV2(s.shape, s.json)
			if err != nil || !bytes.Equal(down, old) {
				t.Fatalf("protocol 3 → 2: %v\n got %s\nwant %s", err, down, old)
			}
			if err := wire.CheckV3(s.shape, s.json); err != nil {
				t.Errorf("a body of protocol 3 refused: %v", err)
			}
			if !bytes.Equal(old, s.json) {
				if err := wire.CheckV3(s.shape, old); app.ErrorCode(err) != app.EINVALID || !strings.Contains(err.Error(), "versione 2") {
					t.Errorf("a body of protocol 2 passed as protocol 3: %v", err)
				}
			}
		})
	}
}

// TestV3KeysEnglish checks the rule of docs/VOCABULARY.md on every key the
// samples carry: snake_case, and Italian only for the names the rule keeps.
func TestV3KeysEnglish(t *testing.T) {
	names := []string{"codice_fiscale", "codice_avviso", "comune", "comune_name", "causale", "cf_ente", "cbill", "bollo_cents",
		"diritti_cents", "debtor_codice_fiscale", "offender_codice_fiscale"}
	italian := []string{"nome", "cognome", "stato", "numero", "importo", "centesimi", "posizione", "postazione", "data_", "_il", "rata",
		"ricevut", "codice", "debitore", "operatore", "giornata", "modalita", "servizio", "verbale", "rimbors"}
	for _, s := range v2Samples() {
		var walk func(v any)
		walk = func(v any) {
			switch v := v.(type) {
			case map[string]any:
				for k, c := range v {
					if k != strings.ToLower(k) || strings.ContainsAny(k, " -") {
						t.Errorf("%s: key %q is not snake_case", s.name, k)
					}
					if !slices.Contains(names, k) {
						for _, it := range italian {
							if strings.Contains(k, it) {
								t.Errorf("%s: key %q is Italian", s.name, k)
							}
						}
					}
					walk(c)
				}
			case []any:
				for _, c := range v {
					walk(c)
				}
			}
		}
		var v any
		if err := json.Unmarshal(s.json, &v); err != nil {
			t.Fatal(err)
		}
		walk(v)
	}
}

func TestV2Refusals(t *testing.T) {
	for _, c := range []struct {
		name, body string
	}{
		{"DuplicateAfterRename", `{"ops":[{"id":"x","kind":"payment","data":{"il":"a","at":"b"}}]}`},
		{"NotJSON", `{"ops":[{"id":`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := wire.UpgradeV2(wire.V2PushRequest, []byte(c.body)); app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("got %v, want EINVALID", err)
			}
		})
	}
	t.Run("OldKeyInFactOfV3", func(t *testing.T) {
		err := wire.CheckV3(wire.V2PushRequest, []byte(`{"ops":[{"id":"x","kind":"payment","data":{"receipt":"R","importo_centesimi":1}}]}`))
		if app.ErrorCode(err) != app.EINVALID || !strings.Contains(err.Error(), `"importo_centesimi"`) || !strings.Contains(err.Error(), `"amount_cents"`) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("KindAfterData", func(t *testing.T) {
		got, err := wire.UpgradeV2(wire.V2PushRequest, []byte(`{"ops":[{"data":{"il":"a"},"kind":"payment"}]}`))
		if err != nil || string(got) != `{"ops":[{"data":{"at":"a"},"kind":"payment"}]}` {
			t.Fatalf("got %s, %v", got, err)
		}
	})
}

// TestV2Reference checks the reference tables: protocol 2 sent them with
// anpr's Go field names as keys, which anpr.Tables still marshals to.
func TestV2Reference(t *testing.T) {
	tables := anpr.Defaults()
	at := "2026-11-23T08:30:00Z"
	old, _ := json.Marshal(struct {
		Seq       int64        `json:"seq"`
		Kind      string       `json:"kind"`
		Key       string       `json:"key"`
		At        string       `json:"at"`
		Reference *anpr.Tables `json:"reference"`
	}{1, app.ChangeReference, "anpr", at, tables})
	cur, _ := json.Marshal(wire.Change{Seq: 1, Kind: app.ChangeReference, Key: "anpr", At: at, Reference: wire.ReferenceToWire(tables)})
	if up, err := wire.UpgradeV2(wire.V2Change, old); err != nil || !bytes.Equal(up, cur) {
		t.Fatalf("protocol 2 → 3: %v\n got %.300s\nwant %.300s", err, up, cur)
	}
	if down, err := wire.DowngradeV2(wire.V2Change, cur); err != nil || !bytes.Equal(down, old) {
		t.Fatalf("protocol 3 → 2: %v\n got %.300s\nwant %.300s", err, down, old)
	}
	var w wire.Change
	if err := app.DecodeJSON(cur, &w); err != nil {
		t.Fatal(err)
	}
	c, err := wire.ChangeFromWire(app.ScopeNetwork, w)
	if err != nil {
		t.Fatal(err)
	}
	if back, _ := json.Marshal(c.Reference); !bytes.Equal(back, old[bytes.Index(old, []byte(`"reference":`))+len(`"reference":`):len(old)-1]) {
		t.Errorf("tables changed on the way: %.300s", back)
	}
	if strings.Contains(string(cur), `"Comuni"`) || !strings.Contains(string(cur), `"valid_from"`) {
		t.Errorf("keys of protocol 3: %.300s", cur)
	}
}

// TestVocabularyDocumented keeps docs/VOCABULARY.md whole: every key the
// samples carry has its row, and every renamed key its entry.
func TestVocabularyDocumented(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "VOCABULARY.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	row := func(k string) bool { return strings.Contains(doc, "| `"+k+"` |") }
	for _, s := range v2Samples() {
		var walk func(v any)
		walk = func(v any) {
			switch v := v.(type) {
			case map[string]any:
				for k, c := range v {
					if !row(k) {
						t.Errorf("%s: key %q has no row in docs/VOCABULARY.md", s.name, k)
					}
					walk(c)
				}
			case []any:
				for _, c := range v {
					walk(c)
				}
			}
		}
		var v any
		if err := json.Unmarshal(s.json, &v); err != nil {
			t.Fatal(err)
		}
		walk(v)
	}
	for shape, pairs := range wire.V2Keys() {
		for _, p := range pairs {
			if !row(p[1]) || !strings.Contains(doc, "`"+p[0]+"` → `"+p[1]+"`") {
				t.Errorf("%s: %s → %s missing from docs/VOCABULARY.md", shape, p[0], p[1])
			}
		}
	}
}

// FuzzUpgradeV2 feeds the rewriter what a workstation of protocol 2 could
// send: it never panics, what it accepts comes out valid JSON, and back
// and forth again changes nothing.
func FuzzUpgradeV2(f *testing.F) {
	for _, s := range v2Samples() {
		if old, err := os.ReadFile(filepath.Join("testdata", "v2", s.name+".json")); err == nil {
			f.Add(`{"ops":[{"id":"x","kind":"payment","data":` + string(bytes.TrimSpace(old)) + `}]}`)
		}
	}
	f.Add(`{"ops":[{"data":{"il":"a","rata":[1,{"x":null}]},"kind":"cash_closing"}]}`)
	f.Add(`{"ops":[{"kind":"position","data":{"rate":[{"stato":1}],"ricevute":{}}}]}`)
	f.Fuzz(func(t *testing.T, body string) {
		up, err := wire.UpgradeV2(wire.V2PushRequest, []byte(body))
		if err != nil || !json.Valid([]byte(body)) {
			return
		}
		if !json.Valid(up) {
			t.Fatalf("invalid JSON out of %q: %s", body, up)
		}
		down, err := wire.DowngradeV2(wire.V2PushRequest, up)
		if err != nil {
			t.Fatalf("downgrade of %s: %v", up, err)
		}
		again, err := wire.UpgradeV2(wire.V2PushRequest, down)
		if err != nil || !bytes.Equal(again, up) {
			t.Fatalf("round trip of %s: %s, %v", up, again, err)
		}
	})
}

// TestV2KioskPolicy: protocol 2 named a use's bollo exemption "exemption"
// (the bytes below are its encoder's); it is exemption_id, as in the
// verification answer.
func TestV2KioskPolicy(t *testing.T) {
	old := `{"certificates":[{"type":"residenza","uses":[{"label":"pensione estera","label_en":"foreign pension","exemption":9}]},{"type":"nascita"}]}`
	cur := kiosk.EncodePolicy(kiosk.Policy{Certificates: []kiosk.Allowed{
		{Type: "residenza", Uses: []kiosk.Use{{Label: "pensione estera", LabelEN: "foreign pension", ExemptionID: 9}}}, {Type: "nascita"}}})
	shape := wire.V2Data(queue.KindKioskPolicy)
	if up, err := wire.UpgradeV2(shape, []byte(old)); err != nil || !bytes.Equal(up, cur) {
		t.Fatalf("protocol 2 → 3: %v\n got %s\nwant %s", err, up, cur)
	}
	if down, err := wire.DowngradeV2(shape, cur); err != nil || string(down) != old {
		t.Fatalf("protocol 3 → 2: %v\n got %s", err, down)
	}
	if _, err := kiosk.DecodePolicy([]byte(old)); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("old policy read: %v", err)
	}
}

// TestV2StatusFact: protocol 2 named the version a request's status change
// expects "expected_version" (the bytes below are its encoder's); it is
// expect_version, as in the queue's facts.
func TestV2StatusFact(t *testing.T) {
	at := time.Date(2026, 11, 23, 8, 30, 0, 0, time.UTC)
	old := `{"request":"00000000-0000-4000-8000-000000000001","comune":"F205","to":"in_lavorazione","note":"presa in carico",` +
		`"expected_version":1,"operator":"back","at":"2026-11-23T08:30:00Z"}`
	cur := request.EncodeStatusFact(&request.StatusFact{Request: "00000000-0000-4000-8000-000000000001", Comune: "F205",
		To: "in_lavorazione", Note: "presa in carico", Expected: 1, Operator: "back", At: at})
	shape := wire.V2Data(request.FactStatus)
	if up, err := wire.UpgradeV2(shape, []byte(old)); err != nil || !bytes.Equal(up, cur) {
		t.Fatalf("protocol 2 → 3: %v\n got %s\nwant %s", err, up, cur)
	}
	if down, err := wire.DowngradeV2(shape, cur); err != nil || string(down) != old {
		t.Fatalf("protocol 3 → 2: %v\n got %s", err, down)
	}
}
