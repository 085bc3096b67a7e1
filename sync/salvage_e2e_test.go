package sync_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/internal/sqlitedb/sqlitetest"
	"github.com/sportello/sportello/store"
	"github.com/sportello/sportello/sync"
)

// TestSalvageDamagedCache damages the page of the anagrafe in a
// workstation's cache that holds operations the hub has not taken: the
// cache opens, refuses every write, and keeps its outbox readable;
// store.Salvage sets the file aside and carries the profile and the outbox
// into a new cache, from which one sync rebuilds the anagrafe from the hub
// and delivers the operations, once.
func TestSalvageDamagedCache(t *testing.T) {
	ctx := context.Background()
	h := newHub(t)
	people := milano()
	h.replace("F205", people)
	path := filepath.Join(t.TempDir(), "sportello.db")
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	c := sync.New(st, options())
	p, err := c.Enroll(ctx, h.URL, h.code("F205", time.Hour), "Sportello")
	if err != nil {
		t.Fatal(err)
	}
	w := &workstation{St: st, C: c, Profile: p}
	round(t, w)
	h.Stop()
	w.audit(t, 3) // offline: not at the hub
	st.Close()
	// The WAL is checkpointed at close: the page is in the main file.
	sqlitetest.DamageTable(t, path, "citizens")

	st, err = store.Open(path)
	if err != nil {
		t.Fatalf("a damaged anagrafe must not refuse the cache: %v", err)
	}
	if err := st.Checked(ctx); app.ErrorCode(err) != app.ESTORAGE {
		t.Fatalf("check of the damaged cache: %v", err)
	}
	if err := st.AppendAudit(ctx, "mrossi", app.AuditView, "x", time.Now()); app.ErrorCode(err) != app.ESTORAGE {
		t.Fatalf("a write into the damaged cache: %v, want ESTORAGE", err)
	}
	if pending, _, err := st.OutboxCounts(ctx); err != nil || pending != 3 {
		t.Fatalf("the outbox of the damaged cache reads %d pending, %v", pending, err)
	}
	st.Close()

	r, err := store.Salvage(ctx, path, time.Now())
	if err != nil {
		t.Fatalf("salvage: %v", err)
	}
	if r.Pending != 3 || len(r.Lost) != 0 || !strings.Contains(r.Aside, ".damaged-") {
		t.Fatalf("salvage %+v: want the 3 pending operations, nothing lost", r)
	}
	if _, err := os.Stat(r.Aside); err != nil {
		t.Fatalf("the damaged cache must be kept: %v", err)
	}

	st, err = store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Checked(ctx); err != nil {
		t.Fatalf("the new cache: %v", err)
	}
	got, err := st.Profile(ctx)
	if err != nil || got.Device != p.Device || got.Token != p.Token {
		t.Fatalf("the new cache's profile %+v, %v", got, err)
	}
	h.Start()
	w = &workstation{St: st, C: sync.New(st, options()), Profile: got}
	round(t, w)
	assertMirrors(t, h, w)
	if pending, parked := w.outbox(t); pending != 0 || parked != 0 {
		t.Errorf("after the sync: %d pending, %d parked", pending, parked)
	}
	raw := h.rawDB()
	defer raw.Close()
	ops, audit, _ := hubCountsIn(t, raw, p.Device)
	if ops != 3 || audit != 3 {
		t.Errorf("hub holds %d audit operations and %d events of the workstation, want 3 and 3", ops, audit)
	}
	// The counter records again.
	w.audit(t, 1)
	round(t, w)
}
