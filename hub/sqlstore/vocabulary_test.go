package sqlstore_test

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/app/cf"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/hub/sqlstore"
	"github.com/sportello/sportello/internal/sqlitedb"
	"github.com/sportello/sportello/passwd"
	"github.com/sportello/sportello/sync/wire"
)

// TestMigrateVocabulary opens a hub written by the previous version, its
// JSON in protocol 2's keys, and reads it after migration 009: citizens,
// operators, the change log, payment records, a kept answer and a closed
// day, all in the new keys, all through the strict decoders.
//
// The old hub is made in two steps: the rows through the current code, then
// rewritten to the old keys with raw SQL and the schema put back at 8.
// Migration 009 changes no table, so that is the schema of the old hub,
// holding the rows it held.
func TestMigrateVocabulary(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hub.db")
	db, err := sqlstore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.EnsureComune(ctx, "F205", "MILANO"); err != nil {
		t.Fatal(err)
	}
	born := app.Date(1985, 12, 10)
	code, _ := cf.Compute(cf.Person{Surname: "Rossi", Name: "Mario", Sex: "M", BirthDate: born, BirthPlaceCode: "A562"})
	mario := app.Citizen{CodiceFiscale: code, Surname: "ROSSI", GivenName: "MARIO", Sex: "M", BirthDate: born, BirthPlaceCode: "A562",
		Citizenship: "ITA", CivilStatus: app.CivilStatusSingle, Comune: "F205", Address: app.Address{Street: "VIA ROMA", HouseNumber: "1", Postcode: "20100"},
		FamilyID: "F205-1", Relationship: app.RelationshipHead, Status: app.StatusResident, Certifiability: app.CertifiableFully}
	if _, err := db.ReplaceAnagrafe(ctx, "F205", []app.Citizen{mario}); err != nil {
		t.Fatal(err)
	}
	params, opPub, err := passwd.NewKeyWith(passwd.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16}, "password-mrossi")
	if err != nil {
		t.Fatal(err)
	}
	opKey, _ := passwd.DeriveKey(params, "password-mrossi")
	if err := db.PutOperator(ctx, app.Operator{Username: "mrossi", Name: "Maria Rossi", Comune: "F205", Roles: []app.Role{app.RoleOperator},
		PasswordHash: "$argon2id$v=19$m=65536,t=3,p=2$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", KeyParams: params, PublicKey: opPub, Active: true}); err != nil {
		t.Fatal(err)
	}
	if err := db.ImportReference(ctx, anpr.Defaults()); err != nil {
		t.Fatal(err)
	}
	py := payment.Payee{Comune: "F205", Name: "Comune di Milano", CFEnte: "01199250158", Aux: 3, Code: "01", CBILL: "AB12C",
		PostalAccount: "1017918208", Office: "Servizi al cittadino"}
	if err := db.PutPayee(ctx, &py); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	pos, err := db.CreatePosition(ctx, payment.Position{Comune: "F205", DebtorCF: code, DebtorName: "ROSSI MARIO", Service: payment.ServiceTARI,
		Causale: "TARI 2026", AmountCents: 24000, DueDate: app.Date(2026, 12, 16),
		Instalments: []payment.Instalment{{N: 1, AmountCents: 12000, DueDate: app.Date(2026, 9, 16)}, {N: 2, AmountCents: 12000, DueDate: app.Date(2026, 12, 16)}}})
	if err != nil {
		t.Fatal(err)
	}
	fine, err := db.PutFine(ctx, payment.Fine{Number: "V-2026-1", Comune: "F205", Plate: "AB123CD", Offence: "sosta vietata", Article: "art. 7",
		ViolatedAt: now.Add(-48 * time.Hour), NotifiedOn: app.Date(now.Year(), now.Month(), now.Day()), MinCents: 4200, MaxCents: 17300, CostsCents: 1200, DiscountAllowed: true,
		OffenderCF: code, OffenderName: "ROSSI MARIO"})
	if err != nil {
		t.Fatal(err)
	}
	ecode, _ := db.NewEnrollCode(ctx, "F205", time.Hour)
	pub, key, _ := ed25519.GenerateKey(nil)
	e, err := db.Enroll(ctx, ecode, "Sportello", pub)
	if err != nil {
		t.Fatal(err)
	}
	dev, err := db.DeviceByToken(ctx, e.Token)
	if err != nil {
		t.Fatal(err)
	}
	day := now.In(app.Rome).Format(app.DateLayout)
	pay := payment.Payment{Receipt: dev.ID + "-2026-R000001", PositionID: pos.ID, Avviso: pos.Instalments[0].Avviso, Instalment: 1, AmountCents: 12000,
		Method: payment.Cash, Operator: "mrossi", Device: dev.ID, At: now, Day: day, Service: payment.ServiceTARI, Causale: "TARI 2026",
		DebtorCF: code, DebtorName: "ROSSI MARIO"}
	payOp := app.Operation{ID: "00000000-0000-4000-8000-000000000001", Device: dev.ID, Seq: 1, Kind: payment.FactPayment, CreatedAt: now,
		Data: payment.EncodePayment(&pay)}
	if res := db.ApplyOp(ctx, dev, payOp); !res.Applied {
		t.Fatalf("payment: %+v", res)
	}
	closing, err := payment.Summarize(dev.ID, "F205", "mrossi", "Maria Rossi", day, now, []payment.Payment{pay}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := closing.Sign(key); err != nil {
		t.Fatal(err)
	}
	closeOp := app.Operation{ID: "00000000-0000-4000-8000-000000000002", Device: dev.ID, Seq: 2, Kind: payment.FactClosing,
		CreatedAt: now, Data: payment.EncodeClosing(closing)}
	closeOp.Proof = app.SignOp(opKey, "F205", "mrossi", &closeOp)
	if res := db.ApplyOp(ctx, dev, closeOp); !res.Applied {
		t.Fatalf("closing: %+v", res)
	}
	db.Close()

	raw, err := sqlitedb.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	old := map[string]int{}
	// toV2 rewrites the JSON of the rows sel reads (key, key, kind, JSON)
	// with the old keys, through upd (JSON, key, key).
	toV2 := func(table, sel, upd string, shape func(kind string) *wire.Shape) {
		t.Helper()
		rows, err := raw.Query(sel)
		if err != nil {
			t.Fatal(err)
		}
		type row struct{ k1, k2, kind, data string }
		var rs []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.k1, &r.k2, &r.kind, &r.data); err != nil {
				t.Fatal(err)
			}
			rs = append(rs, r)
		}
		rows.Close()
		for _, r := range rs {
			b, err := wire.DowngradeV2(shape(r.kind), []byte(r.data))
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != r.data {
				old[table]++
			}
			if _, err := raw.Exec(upd, string(b), r.k1, r.k2); err != nil {
				t.Fatal(err)
			}
		}
	}
	same := func(s *wire.Shape) func(string) *wire.Shape { return func(string) *wire.Shape { return s } }
	toV2("citizens", `SELECT codice_fiscale, '', 'citizen', data FROM citizens`,
		`UPDATE citizens SET data = ?1 WHERE codice_fiscale = ?2 AND ?3 = ''`, same(wire.V2Citizen))
	toV2("operators", `SELECT username, '', 'operator', data FROM operators`,
		`UPDATE operators SET data = ?1 WHERE username = ?2 AND ?3 = ''`, same(wire.V2Operator))
	toV2("changes", `SELECT scope, seq, kind, payload FROM changes`,
		`UPDATE changes SET payload = ?1 WHERE scope = ?2 AND seq = ?3`, same(wire.V2Change))
	toV2("records", `SELECT scope, kind || '/' || key, kind, data FROM records`,
		`UPDATE records SET data = ?1 WHERE scope = ?2 AND kind || '/' || key = ?3`, wire.V2Data)
	toV2("cash_closings", `SELECT device, operator || '/' || day, 'cash_closing', data FROM cash_closings`,
		`UPDATE cash_closings SET data = ?1 WHERE device = ?2 AND operator || '/' || day = ?3`, wire.V2Data)
	// The kept answers: the data of each, by the kind of its operation.
	rows, err := raw.Query(`SELECT id, kind, result FROM ops`)
	if err != nil {
		t.Fatal(err)
	}
	kept := map[string]string{}
	for rows.Next() {
		var id, kind, result string
		if err := rows.Scan(&id, &kind, &result); err != nil {
			t.Fatal(err)
		}
		var r wire.OpResult
		if err := app.DecodeJSON([]byte(result), &r); err != nil {
			t.Fatal(err)
		}
		if len(r.Data) > 0 {
			if r.Data, err = wire.DowngradeV2(wire.V2Answer(kind), r.Data); err != nil {
				t.Fatal(err)
			}
		}
		b, _ := json.Marshal(r)
		kept[id] = string(b)
	}
	rows.Close()
	for id, result := range kept {
		if _, err := raw.Exec(`UPDATE ops SET result = ? WHERE id = ?`, result, id); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := raw.Exec(`DELETE FROM schema_migrations WHERE version = 9`); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ table, col, key string }{
		{"citizens", "data", `"cognome":`}, {"operators", "data", `"ruoli":`}, {"changes", "payload", `"cognome":`},
		{"changes", "payload", `"debitore_cf":`}, {"changes", "payload", `"Comuni":`}, {"records", "data", `"targa":`}, {"records", "data", `"denominazione":`},
		{"ops", "result", `"pagamento_doppio":`}, {"cash_closings", "data", `"totale_centesimi":`},
	} {
		if n := count(t, raw, fmt.Sprintf(`SELECT count(*) FROM %s WHERE instr(%s, ?) > 0`, c.table, c.col), c.key); n == 0 {
			t.Fatalf("the old hub has no %s in %s", c.key, c.table)
		}
	}
	raw.Close()

	db, err = sqlstore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c, err := db.Citizen(ctx, code)
	if err != nil || c.Surname != "ROSSI" || c.Address.Street != "VIA ROMA" || c.FamilyID != "F205-1" || c.Status != app.StatusResident {
		t.Fatalf("citizen after migration: %+v, %v", c, err)
	}
	ch, err := db.Changes(ctx, "F205", 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, raw := range ch.Changes {
		var w wire.Change
		if err := json.Unmarshal(raw, &w); err != nil {
			t.Fatal(err)
		}
		cc, err := wire.ChangeFromWire("F205", w)
		if err != nil {
			t.Fatalf("change %d (%s): %v", w.Seq, w.Kind, err)
		}
		kinds[cc.Kind] = true
		if cc.Citizen != nil && cc.Citizen.Surname != "ROSSI" {
			t.Errorf("citizen of the change log: %+v", cc.Citizen)
		}
		if cc.Record != nil && cc.Record.Kind == payment.KindPosition && cc.Record.Key == pos.ID {
			if p, err := payment.DecodePosition(cc.Record.Data); err != nil || p.DebtorCF != code || len(p.Instalments) != 2 {
				t.Errorf("position of the change log: %+v, %v", p, err)
			}
		}
	}
	if !kinds[app.ChangeCitizen] || !kinds[app.ChangeOperator] || !kinds[payment.KindPosition] || !kinds[payment.KindFine] {
		t.Errorf("change log after migration: %v", kinds)
	}
	net, err := db.Changes(ctx, app.ScopeNetwork, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	refs := 0
	for _, raw := range net.Changes {
		var w wire.Change
		if err := json.Unmarshal(raw, &w); err != nil {
			t.Fatal(err)
		}
		cc, err := wire.ChangeFromWire(app.ScopeNetwork, w)
		if err != nil {
			t.Fatalf("network change %d (%s): %v", w.Seq, w.Kind, err)
		}
		if cc.Reference != nil && len(cc.Reference.Comuni) > 0 {
			refs++
		}
	}
	if refs != 1 {
		t.Errorf("%d reference tables in the network's change log", refs)
	}
	snap, err := db.Snapshot(ctx, "F205", "", 100)
	if err != nil || len(snap.Operators) != 1 || snap.Operators[0].Name != "Maria Rossi" || len(snap.Operators[0].Roles) != 1 {
		t.Fatalf("operators after migration: %+v, %v", snap, err)
	}
	rec, err := db.Record(ctx, "F205", payment.KindFine, fine.Number)
	if err != nil {
		t.Fatal(err)
	}
	if f, err := payment.DecodeFine(rec.Data); err != nil || f.Plate != "AB123CD" || f.PositionID == "" {
		t.Fatalf("fine after migration: %+v, %v", f, err)
	}
	rec, err = db.Record(ctx, "F205", payment.KindPosition, pos.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := payment.DecodePosition(rec.Data); err != nil || len(p.Receipts) != 1 || p.Receipts[0].Number != pay.Receipt || p.Instalments[0].State != payment.StatePaid {
		t.Fatalf("position after migration: %+v, %v", p, err)
	}
	if rec, err = db.Record(ctx, "F205", payment.KindPayee, "F205"); err != nil {
		t.Fatal(err)
	}
	if p, err := payment.DecodePayee(rec.Data); err != nil || p.PostalAccount != py.PostalAccount {
		t.Fatalf("payee after migration: %+v, %v", p, err)
	}
	// The payment sent again gets the kept answer, in the new keys.
	res := db.ApplyOp(ctx, dev, payOp)
	if a, err := payment.DecodePaymentAnswer(res.Data); !res.Duplicate || err != nil || a.Duplicate {
		t.Fatalf("kept answer: %+v %s, %v", res, res.Data, err)
	}
	closed, total, _, err := db.ClosedDay(ctx, dev.ID, "mrossi", day)
	if err != nil || !closed || total != 12000 {
		t.Fatalf("closed day: %v %d %v", closed, total, err)
	}
	raw, _ = sqlitedb.Open(path)
	defer raw.Close()
	var data string
	if err := raw.QueryRow(`SELECT data FROM cash_closings`).Scan(&data); err != nil {
		t.Fatal(err)
	}
	back, err := payment.DecodeClosing([]byte(data))
	if err != nil || back.Verify(pub) != nil || strings.Contains(data, "centesimi") {
		t.Fatalf("closing after migration: %v; %s", err, data)
	}
	if len(old) < 5 {
		t.Errorf("rows in the old spelling, by table: %v", old)
	}
}

func count(t *testing.T, db *sql.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
