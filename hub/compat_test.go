package hub_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/hub"
	"github.com/sportello/sportello/hub/demo"
	"github.com/sportello/sportello/passwd"
	"github.com/sportello/sportello/sync/wire"
)

// TestProtocol2 is a workstation of the previous version of the protocol,
// which spells keys in Italian, against the real hub over HTTP: it pulls
// the anagrafe and the payment records in its spelling, pushes a payment
// and a cash closing signed in its spelling, and reads the hub's answers
// in its spelling. A client of protocol 3 that sends an old key is
// refused.
func TestProtocol2(t *testing.T) {
	ctx := context.Background()
	h := newHub(t)
	if err := h.DB.ImportReference(ctx, anpr.Defaults()); err != nil {
		t.Fatal(err)
	}
	py := demo.Payee("F205", "Milano")
	if err := h.DB.PutPayee(ctx, &py); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	pos, err := h.DB.CreatePosition(ctx, payment.Position{Comune: "F205", DebtorCF: "RSSMRA85T10A562S", DebtorName: "ROSSI MARIO",
		Service: payment.ServiceTARI, Causale: "TARI 2026", AmountCents: 11925, DueDate: app.Date(2026, 12, 16), CreatedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	// The operators whose days are closed, with the keys that prove them.
	opKeys := map[string]ed25519.PrivateKey{}
	for _, name := range []string{"demo", "demo2", "demo3"} {
		params, pub, err := passwd.NewKeyWith(cheapKeys, "password-"+name)
		if err != nil {
			t.Fatal(err)
		}
		if opKeys[name], err = passwd.DeriveKey(params, "password-"+name); err != nil {
			t.Fatal(err)
		}
		if err := h.DB.PutOperator(ctx, app.Operator{Username: name, Name: "Operatore " + name, Comune: "F205", Roles: []app.Role{app.RoleOperator},
			PasswordHash: "$argon2id$v=19$m=65536,t=3,p=2$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", KeyParams: params, PublicKey: pub, Active: true}); err != nil {
			t.Fatal(err)
		}
	}
	// A workstation whose key the test holds, to sign its closing.
	code, err := h.DB.NewEnrollCode(ctx, "F205", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	pub, key, _ := ed25519.GenerateKey(nil)
	e, err := h.DB.Enroll(ctx, code, "Sportello 2", pub)
	if err != nil {
		t.Fatal(err)
	}
	token, device := e.Token, e.Device.Device
	srv := httptest.NewServer(hub.NewServer(hub.Deps{DB: h.DB, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	t.Cleanup(srv.Close)

	call := func(protocol, method, path, body string) (int, string) {
		t.Helper()
		var r io.Reader
		if body != "" {
			r = strings.NewReader(body)
		}
		req, _ := http.NewRequest(method, srv.URL+path, r)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set(wire.HeaderProtocol, protocol)
		resp, err := http.DefaultClient.Do(req) // asks for gzip, as resty does
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	has := func(what, body string, keys ...string) {
		t.Helper()
		for _, k := range keys {
			if !strings.Contains(body, `"`+k+`":`) {
				t.Errorf("%s without %q: %.600s", what, k, body)
			}
		}
	}
	hasNot := func(what, body string, keys ...string) {
		t.Helper()
		for _, k := range keys {
			if strings.Contains(body, `"`+k+`":`) {
				t.Errorf("%s with %q: %.600s", what, k, body)
			}
		}
	}

	t.Run("PullSnapshot", func(t *testing.T) {
		var all strings.Builder
		after := ""
		for range 10 {
			st, body := call("2", "GET", "/v1/snapshot?scope=F205&limit=10&after="+after, "")
			if st != 200 {
				t.Fatalf("status %d: %s", st, body)
			}
			all.WriteString(body)
			var page wire.SnapshotResponse
			if err := json.Unmarshal([]byte(body), &page); err != nil {
				t.Fatal(err)
			}
			if page.Done {
				break
			}
			after = page.After
		}
		has("snapshot", all.String(), "cognome", "data_nascita", "id_famiglia", "nome", "ruoli", "attivo", "importo_centesimi", "denominazione")
		hasNot("snapshot", all.String(), "surname", "birth_date", "family_id", "roles", "amount_cents")
	})
	t.Run("PullChanges", func(t *testing.T) {
		st, body := call("2", "GET", "/v1/changes?scope=F205&after=0", "")
		if st != 200 {
			t.Fatalf("status %d: %s", st, body)
		}
		has("changes", body, "cognome", "debitore_cf", "importo_centesimi", "scadenza", "denominazione", "codice")
		hasNot("changes", body, "surname", "amount_cents", "due_date", "debtor")
		var res wire.ChangesResponse // protocol 2's envelope is protocol 3's
		if err := json.Unmarshal([]byte(body), &res); err != nil || len(res.Changes) == 0 {
			t.Fatalf("%v: %.300s", err, body)
		}
		st, body3 := call("3", "GET", "/v1/changes?scope=F205&after=0", "")
		if st != 200 {
			t.Fatalf("status %d: %s", st, body3)
		}
		has("changes of protocol 3", body3, "surname", "amount_cents", "due_date")
		hasNot("changes of protocol 3", body3, "cognome", "importo_centesimi")
	})
	t.Run("PullReference", func(t *testing.T) {
		_, body := call("2", "GET", "/v1/changes?scope=*&after=0", "")
		has("reference tables of protocol 2", body, "Comuni", "CertificateTypes", "ValidFrom", "NameEN")
		_, body = call("3", "GET", "/v1/changes?scope=*&after=0", "")
		has("reference tables of protocol 3", body, "comuni", "certificate_types", "valid_from", "name_en")
		hasNot("reference tables of protocol 3", body, "Comuni", "ValidFrom")
	})
	t.Run("Lookups", func(t *testing.T) {
		for path, keys := range map[string][]string{
			"/v1/citizens?q=rossi":                                {"cognome", "posizione"},
			"/v1/citizens/RSSMRA85T10A562S":                       {"cognome", "indirizzo", "certificabilita"},
			"/v1/families/F205-1":                                 {"cognome", "relazione_parentela"},
			"/v1/payments/positions?avviso=" + string(pos.Avviso): {"comune_nome", "posizione", "ente_creditore", "debitore", "denominazione"},
		} {
			st, body := call("2", "GET", path, "")
			if st != 200 {
				t.Fatalf("%s: status %d: %s", path, st, body)
			}
			has(path, body, keys...)
		}
	})

	day := now.In(app.Rome).Format(app.DateLayout)
	// The payment fact as protocol 2 wrote it, key for key.
	paymentV2 := fmt.Sprintf(`{"ricevuta":"%[1]s-2026-R000001","posizione":%[2]q,"codice_avviso":%[3]q,"importo_centesimi":11925,`+
		`"modalita":"contanti","operatore":"demo","postazione":%[1]q,"il":%[4]q,"giornata":%[5]q,"servizio":"tari","causale":"TARI 2026",`+
		`"debitore_cf":"RSSMRA85T10A562S","debitore":"ROSSI MARIO"}`, device, pos.ID, pos.Avviso, now.Format(time.RFC3339), day)
	op := func(seq int, kind, data string) string {
		return fmt.Sprintf(`{"id":"00000000-0000-4000-8000-%012d","device":%q,"seq":%d,"kind":%q,"created_at":%q,"data":%s}`,
			seq, device, seq, kind, now.Format(time.RFC3339), data)
	}
	// proved is op of protocol 3 with the proof of operator.
	proved := func(seq int, kind, data, operator string) string {
		o := app.Operation{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", seq), Device: device, Seq: int64(seq), Kind: kind,
			CreatedAt: now, Data: []byte(data)}
		p := app.SignOp(opKeys[operator], "F205", operator, &o)
		return strings.TrimSuffix(op(seq, kind, data), "}") +
			fmt.Sprintf(`,"proof":{"operator":%q,"signature":%q}}`, operator, wire.B64(p.Signature))
	}

	t.Run("ErrOldKeyInProtocol3", func(t *testing.T) {
		st, body := call("3", "POST", "/v1/ops", `{"ops":[`+op(1, payment.FactPayment, paymentV2)+`]}`)
		if st != http.StatusBadRequest || !strings.Contains(body, `\"ricevuta\"`) || !strings.Contains(body, `\"receipt\"`) {
			t.Fatalf("status %d: %s", st, body)
		}
		if payments, _ := h.DB.PositionPayments(ctx, "F205", pos.ID); len(payments) != 0 {
			t.Fatalf("refused push applied: %+v", payments)
		}
	})
	t.Run("PushPaymentAndIUVBlock", func(t *testing.T) {
		body := `{"ops":[` + op(1, payment.FactPayment, paymentV2) + `,` + op(2, payment.FactIUVBlock, fmt.Sprintf(`{"postazione":%q}`, device)) + `]}`
		for _, repeat := range []bool{false, true} {
			st, ans := call("2", "POST", "/v1/ops", body)
			if st != 200 {
				t.Fatalf("status %d: %s", st, ans)
			}
			var res wire.PushResponse
			if err := json.Unmarshal([]byte(ans), &res); err != nil || len(res.Results) != 2 {
				t.Fatalf("%v: %s", err, ans)
			}
			for _, r := range res.Results {
				if !r.Applied || r.Duplicate != repeat {
					t.Fatalf("repeat %v: %+v", repeat, r)
				}
			}
			if got := string(res.Results[0].Data); got != `{"pagamento_doppio":false}` {
				t.Errorf("answer to the payment: %s", got)
			}
			has("answer to the IUV block", string(res.Results[1].Data), "postazione", "codice", "primo", "ultimo")
		}
		payments, err := h.DB.PositionPayments(ctx, "F205", pos.ID)
		if err != nil || len(payments) != 1 {
			t.Fatalf("hub payments of the position: %+v, %v", payments, err)
		}
	})
	t.Run("PushClosingSignedInV2", func(t *testing.T) {
		c, err := payment.Summarize(device, "F205", "demo", "Operatore Demo", day, now, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		v2 := wire.V2Data(payment.FactClosing)
		signedV2 := func(c *payment.Closing) {
			c.PublicKey = pub
			body := c.SignedBytes()
			i := strings.IndexByte(string(body), '{')
			old, err := wire.DowngradeV2(v2, body[i:])
			if err != nil {
				t.Fatal(err)
			}
			c.Signature = ed25519.Sign(key, append(body[:i:i], old...))
		}
		signedV2(c)
		data, err := wire.DowngradeV2(v2, payment.EncodeClosing(c))
		if err != nil {
			t.Fatal(err)
		}
		// Protocol 2 carries no operator's proof: its closing is refused,
		// and the workstation parks it until it is updated.
		st, ans := call("2", "POST", "/v1/ops", `{"ops":[`+op(3, payment.FactClosing, string(data))+`]}`)
		if st != 200 || !strings.Contains(ans, `"forbidden"`) || !strings.Contains(ans, "prova") {
			t.Fatalf("closing of protocol 2: %d %s", st, ans)
		}
		// A closing signed in the old spelling, migrated in a workstation's
		// outbox and sent in the new one: the same signature holds.
		c2, _ := payment.Summarize(device, "F205", "demo2", "Operatore Due", day, now, nil, nil)
		signedV2(c2)
		st, ans = call("3", "POST", "/v1/ops", `{"ops":[`+proved(4, payment.FactClosing, string(payment.EncodeClosing(c2)), "demo2")+`]}`)
		if st != 200 || !strings.Contains(ans, `"applied":true`) {
			t.Fatalf("migrated closing: %d %s", st, ans)
		}
		// A signature over other facts is still refused.
		c3, _ := payment.Summarize(device, "F205", "demo3", "Operatore Tre", day, now, nil, nil)
		signedV2(c3)
		c3.OperatorName = "Altro"
		st, ans = call("3", "POST", "/v1/ops", `{"ops":[`+proved(5, payment.FactClosing, string(payment.EncodeClosing(c3)), "demo3")+`]}`)
		if st != 200 || !strings.Contains(ans, "firma non valida") {
			t.Fatalf("tampered closing: %d %s", st, ans)
		}
	})
}
