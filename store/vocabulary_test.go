package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/sportello/sportello/app/pagopa"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/internal/sqlitedb"
	"github.com/sportello/sportello/store"
)

// TestMigrateVocabulary makes a cache at schema 8 (the migrations before
// 009 only), puts in it, with raw SQL, rows as the previous version wrote
// them — records, an unsent payment in the outbox, a payment taken here, a
// position numbered here, a closed day — and reads them through the store
// after migration 009.
func TestMigrateVocabulary(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cache.db")
	old := fstest.MapFS{}
	for _, name := range []string{"001_init.sql", "002_certificates.sql", "003_records.sql", "004_requests.sql", "005_payments.sql",
		"006_queue.sql", "008_payments_instalments.sql"} {
		b, err := os.ReadFile(filepath.Join("migrations", name))
		if err != nil {
			t.Fatal(err)
		}
		old[name] = &fstest.MapFile{Data: b}
	}
	db, err := sqlitedb.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := sqlitedb.Migrate(ctx, db, old); err != nil {
		t.Fatal(err)
	}
	avviso := func(base int64) string {
		a, err := pagopa.NewAvviso(3, "01", base)
		if err != nil {
			t.Fatal(err)
		}
		return string(a)
	}
	unica, rata1, rata2, local := avviso(1000), avviso(1001), avviso(1002), avviso(5000)
	const cf = "RSSMRA85T10A562S"
	const dev = "F205-W001"
	receipt := `{"numero":"F205-W001-2026-R000001","canale":"sportello","modalita":"contanti","importo_centesimi":12000,` +
		`"il":"2026-11-23T08:30:00Z","postazione":"F205-W001","operatore":"mrossi","rata":1}`
	position := fmt.Sprintf(`{"id":"F205-2026-H0001000","comune":"F205","debitore_cf":%q,"debitore":"ROSSI MARIO","servizio":"tari",`+
		`"causale":"TARI 2026","importo_centesimi":24000,"scadenza":"2026-12-16","codice_avviso":%q,`+
		`"rate":[{"n":1,"codice_avviso":%q,"importo_centesimi":12000,"scadenza":"2026-09-16","stato":"pagato"},`+
		`{"n":2,"codice_avviso":%q,"importo_centesimi":12000,"scadenza":"2026-12-16"}],"stato":"da_pagare","pubblicata":true,`+
		`"ricevute":[%s],"creata_il":"2026-11-01T00:00:00Z"}`, cf, unica, rata1, rata2, receipt)
	fine := fmt.Sprintf(`{"numero":"V-2026-7","comune":"F205","targa":"AB123CD","violazione":"sosta vietata","norma":"art. 7",`+
		`"accertata_il":"2026-11-18T10:00:00Z","notificata_il":"2026-11-20","minimo_centesimi":4200,"massimo_centesimi":17300,`+
		`"spese_centesimi":1200,"riduzione_ammessa":true,"trasgressore_cf":%q,"trasgressore":"ROSSI MARIO","posizione":"F205-2026-H0000999"}`, cf)
	payee := `{"comune":"F205","denominazione":"Comune di Milano","cf_ente":"01199250158","aux_digit":3,"codice":"01","cbill":"AB12C",` +
		`"conto_postale":"1017918208","ufficio":"Servizi al cittadino"}`
	pay := fmt.Sprintf(`{"ricevuta":"F205-W001-2026-R000002","posizione":"F205-2026-H0001000","codice_avviso":%q,"rata":2,`+
		`"importo_centesimi":12000,"modalita":"pos","operatore":"mrossi","postazione":%q,"il":"2026-11-23T09:30:00Z",`+
		`"giornata":"2026-11-23","servizio":"tari","causale":"TARI 2026","debitore_cf":%q,"debitore":"ROSSI MARIO"}`, rata2, dev, cf)
	localPos := fmt.Sprintf(`{"id":"F205-2026-W0005000","comune":"F205","debitore_cf":%q,"debitore":"ROSSI MARIO","servizio":"mensa",`+
		`"causale":"Refezione","importo_centesimi":4500,"scadenza":"2026-12-31","codice_avviso":%q,"stato":"da_pagare",`+
		`"pubblicata":false,"creata_il":"2026-11-23T09:00:00Z","creata_da":%q}`, cf, local, dev)
	closing := fmt.Sprintf(`{"postazione":%q,"comune":"F205","operatore":"mrossi","nome_operatore":"Maria Rossi","giornata":"2026-11-23",`+
		`"chiusa_il":"2026-11-23T17:00:00Z","pagamenti":[%s],"per_modalita":[{"chiave":"pos","nome":"POS","numero":1,"centesimi":12000}],`+
		`"per_servizio":[{"chiave":"tari","nome":"TARI","numero":1,"centesimi":12000}],"totale_centesimi":12000,`+
		`"certificati":[{"numero":"F205-W001-2026-000001","tipo":"Certificato di residenza","rilasciato_il":"2026-11-23T10:00:00Z",`+
		`"bollo_centesimi":1600,"diritti_centesimi":52}],"bollo_centesimi":1600,"diritti_centesimi":52,"firma":"AQID","chiave_pubblica":"BAUG"}`, dev, pay)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO records (kind, key, scope, subject, data) VALUES ('position', 'F205-2026-H0001000', 'F205', ?, ?)`, []any{cf, position}},
		{`INSERT INTO records (kind, key, scope, subject, data) VALUES ('fine', 'V-2026-7', 'F205', ?, ?)`, []any{cf, fine}},
		{`INSERT INTO records (kind, key, scope, subject, data) VALUES ('payee', 'F205', 'F205', '', ?)`, []any{payee}},
		{`INSERT INTO outbox (id, device, seq, kind, created_at, state, data) VALUES ('00000000-0000-4000-8000-000000000001', ?, 1, 'payment', '2026-11-23T09:30:00Z', 'pending', ?)`, []any{dev, pay}},
		{`INSERT INTO outbox (id, device, seq, kind, created_at, state, data) VALUES ('00000000-0000-4000-8000-000000000002', ?, 2, 'iuv_block', '2026-11-23T09:31:00Z', 'pending', ?)`, []any{dev, `{"postazione":"` + dev + `"}`}},
		{`INSERT INTO outbox (id, device, seq, kind, created_at, state, data) VALUES ('00000000-0000-4000-8000-000000000003', ?, 3, 'cash_closing', '2026-11-23T17:00:00Z', 'pending', ?)`, []any{dev, closing}},
		{`INSERT INTO payments (receipt, device, year, seq, position_id, avviso, operator, day, amount, method, data, instalment)
			VALUES ('F205-W001-2026-R000002', ?, 2026, 2, 'F205-2026-H0001000', ?, 'mrossi', '2026-11-23', 12000, 'pos', ?, 2)`, []any{dev, rata2, pay}},
		{`INSERT INTO local_positions (id, avviso, debtor_cf, seq, data, created_at) VALUES ('F205-2026-W0005000', ?, ?, 1, ?, '2026-11-23T09:00:00Z')`, []any{local, cf, localPos}},
		{`INSERT INTO cash_closings (operator, day, device, data, closed_at) VALUES ('mrossi', '2026-11-23', ?, ?, '2026-11-23T17:00:00Z')`, []any{dev, closing}},
	} {
		if _, err := db.ExecContext(ctx, q.sql, q.args...); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	db.Close()

	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	v, err := s.PositionByAvviso(ctx, pagopa.CodiceAvviso(rata2))
	if err != nil || v.ID != "F205-2026-H0001000" || v.DebtorCF != cf || len(v.Instalments) != 2 || len(v.Receipts) != 1 ||
		v.Receipts[0].Instalment != 1 || v.Instalments[0].State != payment.StatePaid || len(v.Local) != 1 {
		t.Fatalf("position by the second instalment's avviso: %+v, %v", v, err)
	}
	fines, err := s.FinesByPlate(ctx, "AB123CD")
	if err != nil || len(fines) != 1 || fines[0].OffenderCF != cf || fines[0].CostsCents != 1200 || !fines[0].DiscountAllowed {
		t.Fatalf("fines by plate: %+v, %v", fines, err)
	}
	if py, err := s.Payee(ctx, "F205"); err != nil || py.Name != "Comune di Milano" || py.PostalAccount != "1017918208" {
		t.Fatalf("payee: %+v, %v", py, err)
	}
	if p, err := s.Payment(ctx, "F205-W001-2026-R000002"); err != nil || p.Method != payment.Card || p.Instalment != 2 || p.DebtorCF != cf {
		t.Fatalf("payment taken here: %+v, %v", p, err)
	}
	if v, err := s.PositionByAvviso(ctx, pagopa.CodiceAvviso(local)); err != nil || v.CreatedBy != dev {
		t.Fatalf("position numbered here: %+v, %v", v, err)
	}
	c, err := s.Closing(ctx, "mrossi", "2026-11-23")
	if err != nil || c.TotalCents != 12000 || len(c.ByMethod) != 1 || c.ByMethod[0].Count != 1 || len(c.Certificates) != 1 ||
		c.Certificates[0].Number != "F205-W001-2026-000001" || string(c.Signature) != "\x01\x02\x03" {
		t.Fatalf("closing: %+v, %v", c, err)
	}
	ops, err := s.NextOps(ctx, 10)
	if err != nil || len(ops) != 3 {
		t.Fatalf("unsent operations: %d, %v", len(ops), err)
	}
	if p, err := payment.DecodePayment(ops[0].Data); err != nil || p.Receipt != "F205-W001-2026-R000002" {
		t.Errorf("unsent payment: %+v, %v; %s", p, err, ops[0].Data)
	}
	if string(ops[1].Data) != `{"device":"`+dev+`"}` {
		t.Errorf("unsent request for IUVs: %s", ops[1].Data)
	}
	if c, err := payment.DecodeClosing(ops[2].Data); err != nil || c.Day != "2026-11-23" {
		t.Errorf("unsent closing: %+v, %v", c, err)
	}
	// A position that arrives after the upgrade is indexed by its
	// instalments too.
	next := fmt.Sprintf(`{"id":"F205-2026-H0002000","comune":"F205","debtor_codice_fiscale":%q,"debtor":"ROSSI MARIO","service":"tari",`+
		`"causale":"TARI 2027","amount_cents":200,"due_date":"2027-12-16","codice_avviso":%q,`+
		`"instalments":[{"n":1,"codice_avviso":%q,"amount_cents":100,"due_date":"2027-09-16"},{"n":2,"codice_avviso":%q,"amount_cents":100,"due_date":"2027-12-16"}],`+
		`"state":"da_pagare","published":true,"created_at":"2026-12-01T00:00:00Z"}`, cf, avviso(2000), avviso(2001), avviso(2002))
	if _, err := payment.DecodePosition([]byte(next)); err != nil {
		t.Fatal(err)
	}
	raw, err := sqlitedb.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`INSERT INTO records (kind, key, scope, subject, data) VALUES ('position', 'F205-2026-H0002000', 'F205', ?, ?)`, cf, next); err != nil {
		t.Fatal(err)
	}
	if v, err := s.PositionByAvviso(ctx, pagopa.CodiceAvviso(avviso(2002))); err != nil || v.ID != "F205-2026-H0002000" {
		t.Fatalf("a new position by its instalment's avviso: %+v, %v", v, err)
	}
}
