package store_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/store"
)

var t0 = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)

func enrol(tb testing.TB, s *store.Store, device string) {
	tb.Helper()
	p := &app.Profile{Device: device, Comune: "F205", ComuneName: "MILANO", HubURL: "https://hub.example",
		Token: "secret", PrivateKey: []byte{1, 2}, PublicKey: []byte{3}, Cert: []byte{4}, RootKey: []byte{5}, EnrolledAt: t0}
	if err := s.SaveProfile(context.Background(), p); err != nil {
		tb.Fatal(err)
	}
}

func count(tb testing.TB, s *store.Store, table string) int {
	tb.Helper()
	var n int
	if err := s.DB().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}

func TestAppendAudit(t *testing.T) {
	ctx := context.Background()

	t.Run("ChainedAndQueued", func(t *testing.T) {
		s := MustOpen(t)
		enrol(t, s, "F205-W001")
		subjects := []string{"", "RSSMRA85T10A562S", "RSSMRA85T10A562S"}
		actions := []string{app.AuditLogin, app.AuditView, app.AuditPrint}
		for i := range subjects {
			// A local offset: the hash is over UTC, so it must survive the round trip.
			at := t0.Add(time.Duration(i)*time.Minute + 7*time.Nanosecond).In(time.FixedZone("CET", 3600))
			if err := s.AppendAudit(ctx, "mrossi", actions[i], subjects[i], at); err != nil {
				t.Fatal(err)
			}
		}
		ops, err := s.NextOps(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(ops) != 3 {
			t.Fatalf("%d pending operations, want 3", len(ops))
		}
		prev := ""
		for i, op := range ops {
			ev := op.Audit
			switch {
			case op.Seq != int64(i+1) || op.Kind != app.OpAudit || op.State != app.OpPending || op.Device != "F205-W001":
				t.Errorf("op %d = %+v", i, op)
			case ev == nil:
				t.Fatalf("op %d without its audit event", i)
			case ev.Seq != int64(i+1) || ev.Action != actions[i] || ev.Subject != subjects[i] || ev.Operator != "mrossi":
				t.Errorf("event %d = %+v", i, ev)
			case ev.PrevHash != prev:
				t.Errorf("event %d: prev hash %q, want %q", i, ev.PrevHash, prev)
			case !ev.At.Equal(t0.Add(time.Duration(i)*time.Minute + 7*time.Nanosecond)):
				t.Errorf("event %d at %v", i, ev.At)
			}
			if err := ev.Validate(); err != nil {
				t.Errorf("event %d: %v", i, err)
			}
			prev = ev.Hash
		}
		if ops[0].ID == ops[1].ID || len(ops[0].ID) != 36 {
			t.Errorf("operation ids %q, %q: want distinct UUIDs", ops[0].ID, ops[1].ID)
		}
		if two, _ := s.NextOps(ctx, 2); len(two) != 2 || two[1].Seq != 2 {
			t.Errorf("NextOps(2) = %d ops", len(two))
		}
	})

	t.Run("ErrNotEnrolled", func(t *testing.T) {
		s := MustOpen(t)
		err := s.AppendAudit(ctx, "mrossi", app.AuditLogin, "", t0)
		if app.ErrorCode(err) != app.EINVALID {
			t.Errorf("err = %v, want EINVALID", err)
		}
		if n := count(t, s, "audit"); n != 0 {
			t.Errorf("%d audit rows", n)
		}
	})

	t.Run("OutboxFailureLeavesNoEvent", func(t *testing.T) {
		s := MustOpen(t)
		enrol(t, s, "F205-W001")
		if err := s.AppendAudit(ctx, "mrossi", app.AuditLogin, "", t0); err != nil {
			t.Fatal(err)
		}
		// The outbox insert is the last write of the transaction: make it fail.
		if _, err := s.DB().Exec(`CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk full'); END`); err != nil {
			t.Fatal(err)
		}
		if err := s.AppendAudit(ctx, "mrossi", app.AuditView, "RSSMRA85T10A562S", t0); err == nil {
			t.Fatal("AppendAudit succeeded although the outbox insert failed")
		}
		if n := count(t, s, "audit"); n != 1 {
			t.Errorf("%d audit rows, want 1: the event without its operation stayed", n)
		}
		if _, err := s.DB().Exec(`DROP TRIGGER fail_outbox`); err != nil {
			t.Fatal(err)
		}
		// The chain goes on without a gap.
		if err := s.AppendAudit(ctx, "mrossi", app.AuditView, "RSSMRA85T10A562S", t0); err != nil {
			t.Fatal(err)
		}
		ops, _ := s.NextOps(ctx, 10)
		if len(ops) != 2 || ops[1].Audit.Seq != 2 || ops[1].Audit.PrevHash != ops[0].Audit.Hash {
			t.Errorf("after the failure: %d ops, second %+v", len(ops), ops[len(ops)-1].Audit)
		}
	})

	t.Run("CancelledContextLeavesNothing", func(t *testing.T) {
		s := MustOpen(t)
		enrol(t, s, "F205-W001")
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := s.AppendAudit(cctx, "mrossi", app.AuditLogin, "", t0); err == nil {
			t.Fatal("AppendAudit succeeded with a cancelled context")
		}
		if a, o := count(t, s, "audit"), count(t, s, "outbox"); a != 0 || o != 0 {
			t.Errorf("%d audit rows, %d outbox rows, want none", a, o)
		}
	})
}

func TestMarkOp(t *testing.T) {
	ctx := context.Background()
	setup := func(t *testing.T) (*store.Store, []app.Operation) {
		s := MustOpen(t)
		enrol(t, s, "F205-W001")
		for i := range 3 {
			if err := s.AppendAudit(ctx, "mrossi", app.AuditView, "RSSMRA85T10A562S", t0.Add(time.Duration(i)*time.Second)); err != nil {
				t.Fatal(err)
			}
		}
		ops, err := s.NextOps(ctx, 10)
		if err != nil || len(ops) != 3 {
			t.Fatalf("%d ops, %v", len(ops), err)
		}
		return s, ops
	}
	for _, tc := range []struct {
		name          string
		res           app.OpResult
		pending       int
		parked        int
		wantReason    string
		wantNextFirst int64 // Seq of the first pending op afterwards
	}{
		{"Applied", app.OpResult{Applied: true}, 2, 0, "", 2},
		{"Duplicate", app.OpResult{Duplicate: true}, 2, 0, "", 2},
		{"RefusedIsParkedAndDoesNotBlock", app.OpResult{Code: app.EINVALID, Message: "evento di audit 1: impronta non valida"}, 2, 1, "evento di audit 1: impronta non valida", 2},
		{"DuplicateOfARefusalIsParked", app.OpResult{Duplicate: true, Code: app.EFORBIDDEN, Message: "postazione revocata"}, 2, 1, "postazione revocata", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, ops := setup(t)
			res := tc.res
			res.ID = ops[0].ID
			if err := s.MarkOp(ctx, ops[0].ID, res, t0.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			pending, parked, err := s.OutboxCounts(ctx)
			if err != nil || pending != tc.pending || parked != tc.parked {
				t.Errorf("counts = %d pending, %d parked (%v), want %d, %d", pending, parked, err, tc.pending, tc.parked)
			}
			next, _ := s.NextOps(ctx, 10)
			if len(next) == 0 || next[0].Seq != tc.wantNextFirst {
				t.Errorf("next ops start at %v, want seq %d", next, tc.wantNextFirst)
			}
			parkedOps, _ := s.ParkedOps(ctx)
			if len(parkedOps) != tc.parked {
				t.Fatalf("%d parked ops, want %d", len(parkedOps), tc.parked)
			}
			if tc.parked > 0 {
				p := parkedOps[0]
				if p.ID != ops[0].ID || p.State != app.OpParked || p.Reason != tc.wantReason || p.Audit == nil {
					t.Errorf("parked op = %+v", p)
				}
			}
			if n := count(t, s, "outbox"); n != 3 {
				t.Errorf("%d outbox rows, want 3: answered rows are kept", n)
			}
		})
	}
	t.Run("ErrNotFound", func(t *testing.T) {
		s, _ := setup(t)
		err := s.MarkOp(ctx, "00000000-0000-0000-0000-000000000000", app.OpResult{Applied: true}, t0)
		if app.ErrorCode(err) != app.ENOTFOUND {
			t.Errorf("err = %v, want ENOTFOUND", err)
		}
	})
	t.Run("BatchAllOrNone", func(t *testing.T) {
		// A push's answers are recorded together: one that cannot be
		// recorded leaves every one of them pending, to be sent again
		// (the hub answers those it holds from its record).
		s, ops := setup(t)
		err := s.MarkOps(ctx, []app.OpResult{{ID: ops[0].ID, Applied: true}, {ID: ops[1].ID, Applied: true},
			{ID: "00000000-0000-0000-0000-000000000000", Applied: true}}, t0)
		if app.ErrorCode(err) != app.ENOTFOUND {
			t.Fatalf("err = %v, want ENOTFOUND", err)
		}
		if pending, _, _ := s.OutboxCounts(ctx); pending != 3 {
			t.Fatalf("%d pending, want 3: nothing of a failed batch is recorded", pending)
		}
		if err := s.MarkOps(ctx, []app.OpResult{{ID: ops[0].ID, Applied: true}, {ID: ops[1].ID, Code: app.ECONFLICT, Message: "no"}}, t0); err != nil {
			t.Fatal(err)
		}
		if pending, parked, _ := s.OutboxCounts(ctx); pending != 1 || parked != 1 {
			t.Fatalf("%d pending, %d parked, want 1 and 1", pending, parked)
		}
	})
	t.Run("ErrEmptyResult", func(t *testing.T) {
		s, ops := setup(t)
		if err := s.MarkOp(ctx, ops[0].ID, app.OpResult{}, t0); err == nil {
			t.Error("a result that neither applies nor refuses was accepted")
		}
		if pending, _, _ := s.OutboxCounts(ctx); pending != 3 {
			t.Errorf("%d pending, want 3", pending)
		}
	})
	t.Run("Retry", func(t *testing.T) {
		s, ops := setup(t)
		for range 2 {
			if err := s.RetryOp(ctx, ops[1].ID, "centro servizi non raggiungibile"); err != nil {
				t.Fatal(err)
			}
		}
		next, _ := s.NextOps(ctx, 10)
		if len(next) != 3 || next[1].Attempts != 2 || next[1].State != app.OpPending {
			t.Errorf("after two retries: %+v", next)
		}
		var lastErr string
		s.DB().QueryRow(`SELECT last_error FROM outbox WHERE id = ?`, ops[1].ID).Scan(&lastErr)
		if !strings.Contains(lastErr, "non raggiungibile") {
			t.Errorf("last error %q", lastErr)
		}
		if err := s.RetryOp(ctx, "nope", "x"); app.ErrorCode(err) != app.ENOTFOUND {
			t.Errorf("retry of an unknown op: %v, want ENOTFOUND", err)
		}
	})
}

// TestAppendAuditConcurrent appends from several goroutines, as the counter
// screens and the sync engine do: the chain must stay gap-free and valid.
func TestAppendAuditConcurrent(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	enrol(t, s, "F205-W001")
	const workers, each = 4, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				errs <- s.AppendAudit(ctx, "op"+strconv.Itoa(w), app.AuditView, strconv.Itoa(i), t0)
				if _, err := s.NextOps(ctx, 5); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	ops, err := s.NextOps(ctx, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(ops) != workers*each {
		t.Fatalf("%d operations, want %d", len(ops), workers*each)
	}
	prev := ""
	for i, op := range ops {
		if op.Seq != int64(i+1) || op.Audit.Seq != int64(i+1) || op.Audit.PrevHash != prev {
			t.Fatalf("op %d: seq %d, event %d, prev %q: chain broken", i, op.Seq, op.Audit.Seq, op.Audit.PrevHash)
		}
		if err := op.Audit.Validate(); err != nil {
			t.Fatal(err)
		}
		prev = op.Audit.Hash
	}
}

// TestResolveParked: a person puts a parked operation back in line or sets
// it aside, each decision an audit event on its way to the hub; only a
// supervisor sets aside a payment or a closing.
func TestResolveParked(t *testing.T) {
	ctx := context.Background()
	clerk := &app.Operator{Username: "mrossi", Roles: []app.Role{app.RoleOperator}, Active: true}
	boss := &app.Operator{Username: "gbianchi", Roles: []app.Role{app.RoleSupervisor}, Active: true}
	s := MustOpen(t)
	enrol(t, s, "F205-W001")
	holdKey(t, s, "mrossi") // logged in: their decisions are signed
	holdKey(t, s, "gbianchi")
	if err := s.AppendAudit(ctx, "mrossi", app.AuditView, "RSSMRA85T10A562S", t0); err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{payment.FactPayment, payment.FactClosing} {
		if err := s.AppendFact(ctx, kind, []byte(`{"receipt":"x"}`), t0, nil); err != nil {
			t.Fatal(err)
		}
	}
	ops, err := s.NextOps(ctx, 10)
	if err != nil || len(ops) != 3 {
		t.Fatalf("ops %d %v", len(ops), err)
	}
	audit, pay, closing := ops[0], ops[1], ops[2]
	for _, op := range ops {
		if err := s.MarkOp(ctx, op.ID, app.OpResult{ID: op.ID, Code: app.EINVALID, Message: "rifiutata"}, t0); err != nil {
			t.Fatal(err)
		}
	}
	auditActions := func() []string {
		t.Helper()
		rows, err := s.DB().Query(`SELECT action || ' ' || subject FROM audit ORDER BY seq`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var a string
			rows.Scan(&a)
			out = append(out, a)
		}
		return out
	}

	for _, tc := range []struct {
		name string
		do   func() error
		code string
	}{
		{"ErrUnknown", func() error { return s.RetryParked(ctx, "nessuna", clerk, t0) }, app.ENOTFOUND},
		{"ErrDiscardPaymentByClerk", func() error { return s.DiscardOp(ctx, pay.ID, clerk, "doppia", t0) }, app.EFORBIDDEN},
		{"ErrDiscardClosingByClerk", func() error { return s.DiscardOp(ctx, closing.ID, clerk, "rifatta", t0) }, app.EFORBIDDEN},
		{"ErrDiscardWithoutReason", func() error { return s.DiscardOp(ctx, audit.ID, boss, "  ", t0) }, app.EINVALID},
		{"RetryAudit", func() error { return s.RetryParked(ctx, audit.ID, clerk, t0) }, ""},
		{"ErrRetryNotParked", func() error { return s.RetryParked(ctx, audit.ID, clerk, t0) }, app.ECONFLICT},
		{"DiscardPaymentBySupervisor", func() error { return s.DiscardOp(ctx, pay.ID, boss, "incassata due volte per errore", t0) }, ""},
		{"ErrDiscardTwice", func() error { return s.DiscardOp(ctx, pay.ID, boss, "ancora", t0) }, app.ECONFLICT},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(auditActions())
			err := tc.do()
			if app.ErrorCode(err) != tc.code {
				t.Fatalf("%v, want code %q", err, tc.code)
			}
			want := before
			if tc.code == "" {
				want++
			}
			if got := len(auditActions()); got != want {
				t.Fatalf("%d audit events, want %d: a decision is audited, a refusal is not", got, want)
			}
		})
	}
	acts := auditActions()
	if len(acts) != 3 || acts[1] != app.AuditOutboxRetry+" "+audit.ID ||
		acts[2] != app.AuditOutboxDiscard+" "+pay.ID+": incassata due volte per errore" {
		t.Fatalf("audit trail %q", acts)
	}
	next, err := s.NextOps(ctx, 10)
	if err != nil || len(next) != 3 || next[0].ID != audit.ID || next[0].Attempts != 0 {
		t.Fatalf("pending after the decisions: %+v %v; want the retried one and the two decisions", next, err)
	}
	parked, err := s.ParkedOps(ctx)
	if err != nil || len(parked) != 1 || parked[0].ID != closing.ID {
		t.Fatalf("parked %+v %v: want only the closing", parked, err)
	}
	unsent, err := s.Unsent(ctx)
	if err != nil || len(unsent) != 4 {
		t.Fatalf("unsent %d %v, want 4 (the discarded payment is not)", len(unsent), err)
	}
	var state, reason string
	if err := s.DB().QueryRow(`SELECT state, reason FROM outbox WHERE id = ?`, pay.ID).Scan(&state, &reason); err != nil ||
		state != string(app.OpDiscarded) || !strings.Contains(reason, "gbianchi") {
		t.Fatalf("discarded payment: %s %q %v", state, reason, err)
	}
}
