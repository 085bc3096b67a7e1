package sync_test

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/pagopa"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/internal/sqlitedb"
	"github.com/sportello/sportello/store"
	"github.com/sportello/sportello/sync"
	"github.com/sportello/sportello/sync/wire"
)

// schema8 puts back what migration 009 changed in the workstation's
// schema: the triggers and the index that read the old keys.
const schema8 = `
DROP TRIGGER records_instalments_insert;
DROP TRIGGER records_instalments_update;
DROP INDEX records_fine_plate;
CREATE INDEX records_fine_plate ON records (json_extract(data, '$.targa')) WHERE kind = 'fine';
CREATE TRIGGER records_instalments_insert AFTER INSERT ON records WHEN NEW.kind = 'position' BEGIN
	INSERT OR REPLACE INTO instalment_avvisi (avviso, position_id, n)
		SELECT json_extract(value, '$.codice_avviso'), NEW.key, json_extract(value, '$.n')
		FROM json_each(NEW.data, '$.rate');
END;
CREATE TRIGGER records_instalments_update AFTER UPDATE OF data ON records WHEN NEW.kind = 'position' BEGIN
	DELETE FROM instalment_avvisi WHERE position_id = OLD.key;
	INSERT OR REPLACE INTO instalment_avvisi (avviso, position_id, n)
		SELECT json_extract(value, '$.codice_avviso'), NEW.key, json_extract(value, '$.n')
		FROM json_each(NEW.data, '$.rate');
END;
DELETE FROM schema_migrations WHERE version = 9;
`

// TestUpgradeOldProfile upgrades a workstation's profile written by the
// previous version, its records and its unsent payment in protocol 2's
// keys: after migration 009 the counter finds the position by an
// instalment's avviso and the fine by its plate, and the payment taken
// offline before the upgrade reaches the hub once.
//
// The old profile is made in two steps: the rows through the current code,
// then rewritten to the old keys and the schema put back at 8 with raw SQL
// (schema8), as the previous version left them.
func TestUpgradeOldProfile(t *testing.T) {
	ctx := context.Background()
	h := newHub(t)
	people := milano()
	h.replace("F205", people)
	if err := h.DB.PutPayee(ctx, &milanoPayee); err != nil {
		t.Fatal(err)
	}
	mario := people[0]
	tari, err := h.DB.CreatePosition(ctx, payment.Position{Comune: "F205", DebtorCF: mario.CodiceFiscale, DebtorName: "ROSSI MARIO",
		Service: payment.ServiceTARI, Causale: "TARI 2026", AmountCents: 24000, DueDate: app.Date(2026, 12, 16),
		Instalments: []payment.Instalment{{N: 1, AmountCents: 12000, DueDate: app.Date(2026, 9, 16)}, {N: 2, AmountCents: 12000, DueDate: app.Date(2026, 12, 16)}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.DB.PutFine(ctx, payment.Fine{Number: "V-2026-7", Comune: "F205", Plate: "AB123CD", Offence: "sosta vietata", Article: "art. 7",
		ViolatedAt: time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC), NotifiedOn: app.Date(2026, 11, 20), MinCents: 4200, MaxCents: 17300, CostsCents: 1200,
		DiscountAllowed: true, OffenderCF: mario.CodiceFiscale, OffenderName: "ROSSI MARIO"}); err != nil {
		t.Fatal(err)
	}

	path := filepath.Join(t.TempDir(), "cache.db")
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	c := sync.New(st, options())
	if _, err := c.Enroll(ctx, h.URL, h.code("F205", time.Hour), "Sportello di prova"); err != nil {
		t.Fatal(err)
	}
	if err := c.Round(ctx); err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 11, 23, 9, 30, 0, 0, app.Rome) }
	h.Stop()
	w := &workstation{St: st, C: c}
	pay, _, err := cashier(w, now).PayInstalment(ctx, &app.Operator{Username: "mrossi", Name: "Maria Rossi"}, tari.ID, 1, payment.Cash)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()

	raw, err := sqlitedb.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(schema8); err != nil {
		t.Fatal(err)
	}
	for _, q := range []struct{ sel, upd string }{
		{`SELECT kind || '/' || key, kind, data FROM records`, `UPDATE records SET data = ?1 WHERE kind || '/' || key = ?2`},
		{`SELECT id, kind, data FROM outbox WHERE data IS NOT NULL`, `UPDATE outbox SET data = ?1 WHERE id = ?2`},
		{`SELECT id, 'position', data FROM local_positions`, `UPDATE local_positions SET data = ?1 WHERE id = ?2`},
		{`SELECT receipt, 'payment', data FROM payments`, `UPDATE payments SET data = ?1 WHERE receipt = ?2`},
	} {
		rows, err := raw.Query(q.sel)
		if err != nil {
			t.Fatal(err)
		}
		old := map[string]string{}
		for rows.Next() {
			var key, kind, data string
			if err := rows.Scan(&key, &kind, &data); err != nil {
				t.Fatal(err)
			}
			b, err := wire.DowngradeV2(wire.V2Data(kind), []byte(data))
			if err != nil {
				t.Fatal(err)
			}
			old[key] = string(b)
		}
		rows.Close()
		for key, data := range old {
			if _, err := raw.Exec(q.upd, data, key); err != nil {
				t.Fatal(err)
			}
		}
	}
	for what, q := range map[string]string{
		"an unsent payment in the old keys":    `SELECT count(*) FROM outbox WHERE state = 'pending' AND kind = 'payment' AND instr(data, '"importo_centesimi":') > 0`,
		"a position in the old keys":           `SELECT count(*) FROM records WHERE kind = 'position' AND instr(data, '"rate":[') > 0`,
		"a fine in the old keys":               `SELECT count(*) FROM records WHERE kind = 'fine' AND instr(data, '"targa":') > 0`,
		"a payment taken here in the old keys": `SELECT count(*) FROM payments WHERE instr(data, '"ricevuta":') > 0`,
		"the instalments' avvisi":              `SELECT count(*) FROM instalment_avvisi WHERE position_id = '` + tari.ID + `'`,
	} {
		var n int
		if err := raw.QueryRow(q).Scan(&n); err != nil || n == 0 {
			t.Fatalf("the old profile has no %s: %d %v", what, n, err)
		}
	}
	raw.Close()

	// The upgrade.
	st, err = store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c = sync.New(st, options())
	w = &workstation{St: st, C: c}
	v, err := st.PositionByAvviso(ctx, tari.Instalments[1].Avviso)
	if err != nil || v.ID != tari.ID || len(v.Local) != 1 || v.Local[0].Receipt != pay.Receipt {
		t.Fatalf("position by the second instalment's avviso: %+v, %v", v, err)
	}
	fines, err := st.FinesByPlate(ctx, "AB123CD")
	if err != nil || len(fines) != 1 || fines[0].Number != "V-2026-7" {
		t.Fatalf("fines by plate: %+v, %v", fines, err)
	}
	if p, err := st.Payment(ctx, pay.Receipt); err != nil || p.AmountCents != 12000 || p.Instalment != 1 {
		t.Fatalf("payment taken here: %+v, %v", p, err)
	}
	if pending, parked := w.outbox(t); pending == 0 || parked != 0 {
		t.Fatalf("after the upgrade: %d operations pending, %d parked", pending, parked)
	}

	h.Start()
	for range 2 {
		if err := c.Round(ctx); err != nil {
			t.Fatal(err)
		}
	}
	pays, err := h.DB.PositionPayments(ctx, "F205", tari.ID)
	if err != nil || len(pays) != 1 || pays[0].Receipt != pay.Receipt || pays[0].DuplicateOf != "" {
		t.Fatalf("hub payments of the position: %+v, %v", pays, err)
	}
	if pending, parked := w.outbox(t); pending != 0 || parked != 0 {
		t.Fatalf("outbox after sync: %d pending, %d parked", pending, parked)
	}
	if v := view(t, w, tari.ID); v.Instalments[0].State != payment.StatePaid {
		t.Errorf("the hub's position after sync: %+v", v.Instalments)
	}

	// A position that arrives after the upgrade is found by its
	// instalments' avvisi too: the triggers read the new keys.
	canteen, err := h.DB.CreatePosition(ctx, payment.Position{Comune: "F205", DebtorCF: mario.CodiceFiscale, DebtorName: "ROSSI MARIO",
		Service: payment.ServiceCanteen, Causale: "Refezione 2026", AmountCents: 9000, DueDate: app.Date(2026, 12, 31),
		Instalments: []payment.Instalment{{N: 1, AmountCents: 4500, DueDate: app.Date(2026, 10, 31)}, {N: 2, AmountCents: 4500, DueDate: app.Date(2026, 12, 31)}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Round(ctx); err != nil {
		t.Fatal(err)
	}
	q := pagopa.QR{Avviso: canteen.Instalments[1].Avviso, CFEnte: milanoPayee.CFEnte, AmountCents: 4500}
	res, err := cashier(w, now).Scan(ctx, q.String())
	if err != nil || res.Position == nil || res.Position.ID != canteen.ID {
		t.Fatalf("scan of an instalment's avviso: %+v, %v", res, fmt.Sprint(err))
	}
}

// TestClientRefusesOldKeys: a workstation reads the hub's answers as
// strictly as the hub reads its requests. A page of the change log in
// protocol 2's spelling (what a hub not yet upgraded would send) is an
// error naming the key, and nothing of it is applied.
func TestClientRefusesOldKeys(t *testing.T) {
	ctx := context.Background()
	h := newHub(t)
	people := milano()
	h.replace("F205", people)
	w := h.synced("F205")
	moved := people[0]
	moved.Address.Street = "VIA GARIBALDI"
	h.replace("F205", append([]app.Citizen{moved}, people[1:]...))
	h.SetFault(func(rw http.ResponseWriter, r *http.Request, next http.Handler) bool {
		if r.URL.Path != "/v1/changes" {
			return false
		}
		r.Header.Set(wire.HeaderProtocol, "2")
		next.ServeHTTP(rw, r)
		return true
	})
	err := w.C.Round(ctx)
	if err == nil || !strings.Contains(err.Error(), `"cognome"`) {
		t.Fatalf("round on answers in the old keys: %v", err)
	}
	c, err := w.St.Citizen(ctx, moved.CodiceFiscale)
	if err != nil || c.Address.Street == "VIA GARIBALDI" {
		t.Fatalf("the old page was applied: %+v, %v", c, err)
	}
	h.SetFault(nil)
	round(t, w)
	if c, err := w.St.Citizen(ctx, moved.CodiceFiscale); err != nil || c.Address.Street != "VIA GARIBALDI" {
		t.Fatalf("after the hub answered in the new keys: %+v, %v", c, err)
	}
}
