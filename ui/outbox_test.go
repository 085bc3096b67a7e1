package ui

import (
	"context"
	"crypto/ed25519"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/store"
)

// enrolledStore is a real workstation store, enrolled in the test comune.
func enrolledStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.SaveProfile(context.Background(), &app.Profile{Device: testComune + "-W001", Comune: testComune,
		ComuneName: "SESTO SAN GIOVANNI", HubURL: "http://127.0.0.1:1", Token: "t"}); err != nil {
		t.Fatal(err)
	}
	return st
}

// parkedStore is a real workstation store with two audit events that the
// hub refused: parked, as the sync engine leaves them.
func parkedStore(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	st := enrolledStore(t)
	for _, subject := range []string{"RSSMRA85T10A562S", "VRDLCU90A01F205X"} {
		if err := st.AppendAudit(ctx, testUser, app.AuditView, subject, testNow); err != nil {
			t.Fatal(err)
		}
	}
	ops, err := st.NextOps(ctx, 10)
	if err != nil || len(ops) != 2 {
		t.Fatalf("%d operations, %v", len(ops), err)
	}
	for _, op := range ops {
		if err := st.MarkOp(ctx, op.ID, app.OpResult{ID: op.ID, Code: app.ECONFLICT,
			Message: "registro di audit della postazione interrotto"}, testNow); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

// TestOutboxWorklist: a supervisor sees the parked operations with their
// reason, sends one again and discards the other with a reason; each
// decision is an audit event in the outbox; an operator has no way in.
func TestOutboxWorklist(t *testing.T) {
	ctx := context.Background()
	parked := func(h *harness) { h.status.publish(app.SyncStatus{Online: true, Parked: 2, Progress: -1}); h.q.drain() }

	t.Run("OperatorHasNoWayIn", func(t *testing.T) {
		st := parkedStore(t)
		h := newHarness(t, func(d *Deps) { d.Outbox = st })
		h.login()
		parked(h)
		h.assertShows("da verificare: 2")
		h.assertHides("Risolvi sospese")
		h.c.onOutbox()
		if h.c.outbox != nil {
			t.Fatal("an operator must not open the worklist")
		}
	})

	st := parkedStore(t)
	// The supervisor's key, as the login unlocks it: each decision
	// carries the supervisor's proof.
	_, key, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	st.HoldOperatorKey(testUser, key)
	h := newHarness(t, func(d *Deps) { d.Outbox = st })
	asSupervisor(h)
	h.login()
	parked(h)
	h.tap(h.button("Risolvi sospese"))
	h.waitFor("the parked operations", func() bool { return h.shows("Operazioni che il centro servizi non ha accettato: 2") })
	h.assertShows("Operazioni sospese", "Registro degli accessi n. 1", "Registro degli accessi n. 2",
		"Motivo: registro di audit della postazione interrotto")

	syncs := h.syncs.Load()
	h.tap(h.button("Invia di nuovo"))
	h.waitFor("the retry", func() bool { return h.shows("Operazione n. 1 rimessa in coda") })
	if h.syncs.Load() != syncs+1 {
		t.Error("a retried operation must start a sync round")
	}
	h.assertHides("Registro degli accessi n. 1,")

	h.tap(h.button("Scarta"))
	h.waitFor("the refusal", func() bool { return h.shows("indicare il motivo") })
	row := h.c.outbox.list.Objects[0].(*fyne.Container)
	reason := row.Objects[2].(*fyne.Container).Objects[0].(*widget.Entry)
	test.Type(reason, "evento già registrato a mano")
	h.tap(h.button("Scarta"))
	h.waitFor("the discard", func() bool { return h.shows("Operazione n. 2 scartata") })

	left, err := st.ParkedOps(ctx)
	if err != nil || len(left) != 0 {
		t.Fatalf("parked after the decisions: %d, %v", len(left), err)
	}
	unsent, err := st.Unsent(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var decisions []string
	for _, op := range unsent {
		if op.Audit != nil && op.Audit.Operator == testUser {
			decisions = append(decisions, op.Audit.Action)
		}
	}
	if len(decisions) < 2 || decisions[len(decisions)-2] != app.AuditOutboxRetry || decisions[len(decisions)-1] != app.AuditOutboxDiscard {
		t.Errorf("audit events of the decisions %v, want a retry then a discard", decisions)
	}
	h.tap(h.button("Chiudi"))
	if h.c.outbox != nil {
		t.Fatal("the worklist must close")
	}

	t.Run("English", func(t *testing.T) {
		st := parkedStore(t)
		h := newHarness(t, func(d *Deps) { d.Outbox = st; d.Lang = "en" })
		asSupervisor(h)
		h.login()
		parked(h)
		h.tap(h.button("Resolve held"))
		h.waitFor("the parked operations", func() bool { return h.shows("Operations the hub did not accept: 2") })
		h.assertShows("Operations on hold", "Access log entry no. 1", "Send again", "Discard")
	})
}
