package store_test

import (
	"context"
	"crypto/ed25519"
	"testing"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/store"
)

// holdKey gives username a fresh signing key for the session, as a login
// with the password does, and returns its public half.
func holdKey(tb testing.TB, s *store.Store, username string) ed25519.PublicKey {
	tb.Helper()
	pub, key, err := ed25519.GenerateKey(nil)
	if err != nil {
		tb.Fatal(err)
	}
	s.HoldOperatorKey(username, key)
	return pub
}

// TestOperatorProofQueued: a privileged operation is queued with the
// proof of the operator it names, which the hub's check accepts; without
// the operator's key in hand nothing is recorded; other operations carry
// no proof.
func TestOperatorProofQueued(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	enrol(t, s, "F205-W001")
	r := &payment.Repayment{Refund: "F205-R1", Comune: "F205", Method: payment.RefundTransfer, On: t0, Operator: "gbianchi",
		Device: "F205-W001", At: t0}
	t.Run("ErrNoKey", func(t *testing.T) {
		if err := s.RecordRepayment(ctx, r); app.ErrorCode(err) != app.EUNAUTHORIZED {
			t.Fatalf("repayment without the supervisor's key: %v, want unauthorized", err)
		}
		if n := count(t, s, "outbox"); n != 0 {
			t.Fatalf("%d operations queued", n)
		}
		if n := count(t, s, "audit"); n != 0 {
			t.Fatalf("%d audit events", n)
		}
	})
	pub := holdKey(t, s, "gbianchi")
	if err := s.RecordRepayment(ctx, r); err != nil {
		t.Fatal(err)
	}
	ops, err := s.NextOps(ctx, 10)
	if err != nil || len(ops) != 2 {
		t.Fatalf("ops %+v %v", ops, err)
	}
	repay, audit := ops[0], ops[1]
	if repay.Proof == nil || repay.Proof.Operator != "gbianchi" || !app.VerifyOp(pub, "F205", &repay) {
		t.Errorf("repayment's proof %+v does not verify", repay.Proof)
	}
	if app.VerifyOp(pub, "I690", &repay) {
		t.Error("the proof verifies for another comune")
	}
	if audit.Proof != nil {
		t.Errorf("an ordinary audit event carries a proof: %+v", audit.Proof)
	}
	s.ForgetOperatorKey("gbianchi")
	r.Refund = "F205-R2"
	if err := s.RecordRepayment(ctx, r); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("after logout: %v, want unauthorized", err)
	}
}
