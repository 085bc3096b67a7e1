package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/store"
)

// TestPruneConfirmed: the audit operations the hub confirmed, held in its
// newest backup and answered more than store.PruneAfter ago leave the
// outbox; the rest stay — those the backup does not hold, the recent ones,
// every other kind (their rows are the record of the facts) and the newest
// operation (the next is numbered after it). The mark the workstation
// sends is the same before and after, so the hub is judged on everything
// it confirmed; a hub put back from a copy older than the pruned ones is
// found restored, and told that those cannot come back.
func TestPruneConfirmed(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	enrol(t, s, "F205-W001")
	// Ten audit events and a fact, all confirmed by the hub at t0.
	for i := 0; i < 10; i++ {
		if i == 4 {
			if err := s.AppendFact(ctx, "refund_done", []byte(`{"refund":"r1"}`), t0, nil); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.AppendAudit(ctx, "mrossi", app.AuditView, "RSSMRA85T10A562S", t0); err != nil {
			t.Fatal(err)
		}
	}
	ops, err := s.NextOps(ctx, 100)
	if err != nil || len(ops) != 11 {
		t.Fatalf("%d ops (%v)", len(ops), err)
	}
	var results []app.OpResult
	for _, op := range ops {
		results = append(results, app.OpResult{ID: op.ID, Applied: true})
	}
	if err := s.MarkOps(ctx, results, t0); err != nil {
		t.Fatal(err)
	}
	// The hub's newest sound backup holds up to seq 8.
	hub := app.HubMark{Epoch: "e1", Seq: 11, Applied: 11, BackedUp: 8}
	if rec, err := s.Reconcile(ctx, hub, t0); err != nil || rec.Restored {
		t.Fatalf("reconcile: %+v %v", rec, err)
	}
	before, err := s.LocalMark(ctx)
	if err != nil {
		t.Fatal(err)
	}

	if n, err := s.PruneConfirmed(ctx, t0.Add(store.PruneAfter-time.Minute)); err != nil || n != 0 {
		t.Fatalf("pruned %d (%v) before PruneAfter", n, err)
	}
	n, err := s.PruneConfirmed(ctx, t0.Add(store.PruneAfter+time.Minute))
	if err != nil || n != 7 {
		t.Fatalf("pruned %d (%v), want 7: the audit operations of seq 1–8 but the refund's (5)", n, err)
	}
	var left []int64
	rows, err := s.DB().Query(`SELECT seq FROM outbox ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var seq int64
		rows.Scan(&seq)
		left = append(left, seq)
	}
	rows.Close()
	if len(left) != 4 || left[0] != 5 || left[1] != 9 || left[3] != 11 {
		t.Fatalf("outbox keeps seqs %v, want 5 (the refund), 9, 10, 11 (beyond the backup)", left)
	}
	if n := count(t, s, "audit"); n != 10 {
		t.Fatalf("%d audit events, want all 10: only their transport goes", n)
	}
	after, err := s.LocalMark(ctx)
	if err != nil || after != before {
		t.Fatalf("local mark %+v (%v), was %+v: what was removed still counts", after, err, before)
	}
	if rec, err := s.Reconcile(ctx, hub, t0.Add(store.PruneAfter+time.Hour)); err != nil || rec.Restored {
		t.Fatalf("the same hub after the prune: %+v %v", rec, err)
	}
	if err := s.AppendAudit(ctx, "mrossi", app.AuditLogin, "", t0); err != nil {
		t.Fatal(err)
	}
	next, _ := s.NextOps(ctx, 10)
	if len(next) != 1 || next[0].Seq != 12 {
		t.Fatalf("next operation %+v, want seq 12", next)
	}

	// The hub put back from a copy holding up to seq 3: 4–8 lack for good
	// but 5, which goes again with 9–11.
	rec, err := s.Reconcile(ctx, app.HubMark{Epoch: "e2", Seq: 3, Applied: 3, BackedUp: -1}, t0.Add(store.PruneAfter+2*time.Hour))
	if err != nil || !rec.Restored || !rec.Pruned || rec.Resent != 4 {
		t.Fatalf("restored hub: %+v %v, want restored, pruned, 4 resent", rec, err)
	}
}
