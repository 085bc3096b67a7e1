package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/pagopa"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/store"
)

func putRecords(t *testing.T, s *store.Store, recs ...app.Record) {
	t.Helper()
	var changes []app.Change
	for i := range recs {
		changes = append(changes, app.Change{Scope: "F205", Seq: int64(i + 1), Kind: recs[i].Kind, Key: recs[i].Key, Record: &recs[i]})
	}
	if err := s.ApplyChanges(context.Background(), "F205", changes, app.Cursor{Scope: "F205", Seq: int64(len(recs)), AsOf: t0}); err != nil {
		t.Fatal(err)
	}
}

func testPosition(id string, base int64, cf string) *payment.Position {
	a, _ := pagopa.NewAvviso(3, "01", base)
	return &payment.Position{ID: id, Comune: "F205", DebtorCF: cf, DebtorName: "ROSSI MARIO", Service: payment.ServiceTARI,
		Causale: "TARI 2026", AmountCents: 12000, DueDate: app.Date(2026, 12, 31), Avviso: a, State: payment.StateDue, Published: true}
}

func payOf(p *payment.Position, device, operator, day string) func(seq int64) (*payment.Payment, error) {
	return func(seq int64) (*payment.Payment, error) {
		return &payment.Payment{Receipt: device + "-2026-R" + string(rune('0'+seq)), PositionID: p.ID, Avviso: p.Avviso, AmountCents: p.AmountCents,
			Method: payment.Cash, Operator: operator, Device: device, At: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC), Day: day,
			Service: p.Service, Causale: p.Causale, DebtorCF: p.DebtorCF, DebtorName: p.DebtorName}, nil
	}
}

// TestPaymentsStore: positions are found by codice avviso through the
// index; a payment is stored with its outbox fact and audit event; a
// second payment of the same position at the counter, or one on a closed
// day, is refused; the hub's answer marks a double payment; a block of
// IUVs numbers positions until it is used up.
func TestPaymentsStore(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	enrol(t, s, "F205-W001")
	cf := fixtures()[0].CodiceFiscale
	p1, p2 := testPosition("F205-2026-H1", 1, cf), testPosition("F205-2026-H2", 2, cf)
	putRecords(t, s,
		app.Record{Kind: payment.KindPosition, Key: p1.ID, Subject: cf, Data: payment.EncodePosition(p1)},
		app.Record{Kind: payment.KindPosition, Key: p2.ID, Subject: cf, Data: payment.EncodePosition(p2)})

	v, err := s.PositionByAvviso(ctx, p2.Avviso)
	if err != nil || v.ID != p2.ID {
		t.Fatalf("by avviso: %+v %v", v, err)
	}
	var plan string
	rows, err := s.DB().Query(`EXPLAIN QUERY PLAN SELECT key FROM records WHERE kind = 'position' AND json_extract(data, '$.codice_avviso') = ?`, string(p2.Avviso))
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var a, b, c int
		var d string
		rows.Scan(&a, &b, &c, &d)
		plan += d
	}
	rows.Close()
	if !strings.Contains(plan, "records_position_avviso") {
		t.Errorf("lookup by avviso does not use its index: %s", plan)
	}

	if err := s.TakePayment(ctx, 2026, payOf(p1, "F205-W001", "mrossi", "2026-11-23")); err != nil {
		t.Fatal(err)
	}
	if err := s.TakePayment(ctx, 2026, payOf(p1, "F205-W001", "mrossi", "2026-11-23")); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("second payment of the position: %v", err)
	}
	ops, err := s.NextOps(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, op := range ops {
		kinds[op.Kind]++
	}
	if kinds[payment.FactPayment] != 1 || kinds[app.OpAudit] != 1 {
		t.Fatalf("outbox: %v", kinds)
	}
	// The hub says it was paid already elsewhere.
	for _, op := range ops {
		if op.Kind == payment.FactPayment {
			ans := payment.EncodePaymentAnswer(payment.PaymentAnswer{Duplicate: true, Refund: "F205-W001-2026-R1"})
			if err := s.MarkOp(ctx, op.ID, app.OpResult{ID: op.ID, Applied: true, Data: ans}, t0); err != nil {
				t.Fatal(err)
			}
		}
	}
	if v := mustView(t, s, p1.ID); len(v.Local) != 1 || !v.Local[0].Duplicate || v.Status() != payment.StatusDuplicate {
		t.Fatalf("after the hub's answer: %+v", v.Local)
	}

	// Closing the day refuses later payments of the operator on it.
	pays, _ := s.DayPayments(ctx, "mrossi", "2026-11-23")
	c, err := payment.Summarize("F205-W001", "F205", "mrossi", "Mario Rossi", "2026-11-23", t0, pays, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.Signature = []byte{1}
	holdKey(t, s, "mrossi") // a closing carries the operator's proof
	if err := s.CloseDay(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := s.TakePayment(ctx, 2026, payOf(p2, "F205-W001", "mrossi", "2026-11-23")); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("payment on a closed day: %v", err)
	}
	if err := s.TakePayment(ctx, 2026, payOf(p2, "F205-W001", "lverdi", "2026-11-23")); err != nil {
		t.Fatalf("another operator's open day: %v", err)
	}
	if got, err := s.Closing(ctx, "mrossi", "2026-11-23"); err != nil || got.TotalCents != 12000 {
		t.Fatalf("closing: %+v %v", got, err)
	}

	// IUVs: none until the hub answers the request, then the block's.
	if queued, err := s.RequestIUVBlock(ctx, t0); err != nil || !queued {
		t.Fatal(queued, err)
	}
	if queued, _ := s.RequestIUVBlock(ctx, t0); queued {
		t.Fatal("a second request while one is pending")
	}
	build := func(a pagopa.CodiceAvviso, seq int64) (*payment.Position, error) {
		p := testPosition("F205-W001-2026-P"+string(rune('0'+seq)), 0, cf)
		p.Avviso, p.Published = a, false
		return p, nil
	}
	if err := s.NumberPosition(ctx, build); app.ErrorCode(err) != app.EOFFLINE {
		t.Fatalf("without a block: %v", err)
	}
	ops, _ = s.NextOps(ctx, 0)
	for _, op := range ops {
		if op.Kind == payment.FactIUVBlock {
			b := pagopa.Block{Device: "F205-W001", Aux: 3, Code: "01", First: 500, Last: 501}
			if err := s.MarkOp(ctx, op.ID, app.OpResult{ID: op.ID, Applied: true, Data: payment.EncodeBlock(b)}, t0); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i := range 2 {
		if err := s.NumberPosition(ctx, build); err != nil {
			t.Fatalf("position %d: %v", i, err)
		}
	}
	if err := s.NumberPosition(ctx, build); app.ErrorCode(err) != app.EOFFLINE {
		t.Fatalf("block used up: %v", err)
	}
	list, err := s.Positions(ctx, cf)
	if err != nil || len(list) != 4 || !list[2].Unsent && !list[3].Unsent {
		t.Fatalf("positions: %d %v", len(list), err)
	}
	want, _ := pagopa.NewAvviso(3, "01", 501)
	if v, err := s.PositionByAvviso(ctx, want); err != nil || !v.Unsent || v.Status() != payment.StatusNotPayable {
		t.Fatalf("numbered offline: %+v %v", v, err)
	}
}

func mustView(t *testing.T, s *store.Store, id string) *payment.View {
	t.Helper()
	v, err := s.Position(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
