package sync_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	stdsync "sync"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/hub/sqlstore"
)

// TestHubBackupWhilePushing takes backups of the hub's database while a
// workstation keeps writing facts and pushing them: each backup must be
// one moment of the hub (every applied operation with its fact, the
// device's operations without a hole), pass the hub's check, and serve
// again once restored.
func TestHubBackupWhilePushing(t *testing.T) {
	ctx := context.Background()
	h := newHub(t)
	w := h.synced("F205")
	stop := make(chan struct{})
	var wg stdsync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			for range 3 { // not w.audit: t.Fatal must not run on this goroutine
				if err := w.St.AppendAudit(ctx, "mrossi", app.AuditView, "soggetto", time.Now()); err != nil {
					t.Errorf("audit: %v", err)
					return
				}
			}
			if err := w.C.Round(ctx); err != nil {
				t.Errorf("round: %v", err)
				return
			}
		}
	}()
	dir := t.TempDir()
	var backups []string
	for i := range 4 {
		time.Sleep(150 * time.Millisecond)
		out := filepath.Join(dir, fmt.Sprintf("hub-%d.db", i))
		if err := h.DB.Backup(ctx, out); err != nil {
			t.Fatalf("backup %d: %v", i, err)
		}
		backups = append(backups, out)
	}
	close(stop)
	wg.Wait()

	var prev int64
	for i, b := range backups {
		if _, err := sqlstore.VerifyBackup(ctx, b); err != nil {
			t.Fatalf("backup %d: %v", i, err)
		}
		live := filepath.Join(t.TempDir(), "hub.db")
		aside, err := sqlstore.Restore(ctx, live, b, time.Now())
		if err != nil || aside != "" {
			t.Fatalf("restore of backup %d into an empty folder: aside %q, %v", i, aside, err)
		}
		ops, audit, top := hubCounts(t, live, w.Profile.Device)
		if ops != audit || top != ops {
			t.Errorf("backup %d: %d audit operations applied, %d audit events, newest operation %d: a torn copy", i, ops, audit, top)
		}
		if top < prev {
			t.Errorf("backup %d holds %d operations, the one before %d", i, top, prev)
		}
		prev = top
		db, err := sqlstore.Open(ctx, live)
		if err != nil {
			t.Fatalf("open restored backup %d: %v", i, err)
		}
		// The restored hub knows the workstation.
		if _, err := db.DeviceByToken(ctx, w.Profile.Token); err != nil {
			t.Errorf("restored backup %d does not know the workstation: %v", i, err)
		}
		db.Close()
	}
	if prev == 0 {
		t.Error("no backup holds an operation: the test took them before any push")
	}
	pending, parked := w.outbox(t)
	if pending != 0 || parked != 0 {
		t.Errorf("workstation outbox: %d pending, %d parked", pending, parked)
	}
}

// hubCounts reads a hub database file directly: the device's applied
// audit operations, its audit events, and its newest operation's number.
func hubCounts(t *testing.T, path, device string) (ops, audit, top int64) {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return hubCountsIn(t, db, device)
}

// hubCountsIn is hubCounts of the hub database db.
func hubCountsIn(t *testing.T, db *sql.DB, device string) (ops, audit, top int64) {
	t.Helper()
	err := db.QueryRow(`SELECT
		(SELECT COUNT(*) FROM ops WHERE device = ? AND kind = ?),
		(SELECT COUNT(*) FROM audit WHERE device = ?),
		(SELECT COALESCE(MAX(seq), 0) FROM ops WHERE device = ?)`,
		device, app.OpAudit, device, device).Scan(&ops, &audit, &top)
	if err != nil {
		t.Fatal(err)
	}
	return ops, audit, top
}
