package sqlstore

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	stdsync "sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/hub/storage"
	"github.com/sportello/sportello/internal/pgdb/pgtest"
)

// TestApplyOpBusy: while another process holds the database's write lock
// for longer than the busy timeout (an import of the anagrafe), an
// operation is answered EOFFLINE, the hub being busy, and not EINTERNAL,
// which the workstation would count towards parking the operation. It
// waits for the hub's 10 s busy timeout.
func TestApplyOpBusy(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hub.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	other, err := sql.Open("sqlite3", path+"?_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err := other.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	e := app.AuditEvent{Device: "F205-W001", Seq: 1, Operator: "mrossi", Action: app.AuditView, Subject: "x", At: time.Now().UTC()}
	e.Hash = e.ComputeHash()
	op := app.Operation{ID: "00000000-0000-4000-8000-000000000001", Device: e.Device, Seq: 1, Kind: app.OpAudit, CreatedAt: e.At, Audit: &e}
	res := db.ApplyOp(ctx, &Device{ID: e.Device, Comune: "F205"}, op)
	if res.Code != app.EOFFLINE || res.Applied {
		t.Fatalf("%+v, want %s", res, app.EOFFLINE)
	}
}

// TestApplyOpsStopsAtTheFirstFailure: a push's batch is applied in one
// transaction, and the operation that fails is undone alone: those before
// it stay applied, nothing behind it is tried, and sent again the whole
// batch applies once — the ones applied before come back as duplicates.
// Then the database itself fails an operation after it wrote part of it
// (a trigger refuses the record of operation 7, after its audit row went
// in): that part is undone with it, and the one before stays. Runs on
// PostgreSQL too (SPORTELLO_TEST_HUB=postgres), where an error aborts the
// transaction unless rolled back to the savepoint.
func TestApplyOpsStopsAtTheFirstFailure(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	e := enrolCounter(t, db)
	dev := &Device{ID: e.Device.Device, Comune: "F205", Role: RoleCounter}
	at := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	var ops []app.Operation
	prev := ""
	for seq := int64(1); seq <= 8; seq++ {
		e := app.AuditEvent{Device: dev.ID, Seq: seq, Operator: "mrossi", Action: app.AuditView, Subject: "x", At: at, PrevHash: prev}
		e.Hash = e.ComputeHash()
		prev = e.Hash
		ops = append(ops, app.Operation{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", seq), Device: dev.ID, Seq: seq,
			Kind: app.OpAudit, CreatedAt: at, Audit: &e})
	}
	broken := ops[2]
	bad := *broken.Audit
	bad.Hash = strings.Repeat("0", len(bad.Hash)) // not the event's hash
	broken.Audit = &bad
	batch := []app.Operation{ops[0], ops[1], broken, ops[3], ops[4]}

	res := db.ApplyOps(ctx, dev, batch)
	if len(res) != 3 || !res[0].Applied || !res[1].Applied || res[2].Code != app.EINVALID {
		t.Fatalf("results %+v: want two applied, then the broken one refused, and nothing after it", res)
	}
	if n, err := db.AuditCount(ctx, dev.ID); err != nil || n != 2 {
		t.Fatalf("the hub holds %d events (%v), want the 2 before the refused one", n, err)
	}
	if m, err := db.DeviceMark(ctx, dev.ID); err != nil || m.Seq != 2 || m.Applied != 2 {
		t.Fatalf("mark %+v (%v), want seq 2 applied 2", m, err)
	}

	res = db.ApplyOps(ctx, dev, ops[:5])
	if len(res) != 5 {
		t.Fatalf("%d results for 5 operations: %+v", len(res), res)
	}
	for i, r := range res {
		if r.Code != "" || !r.Applied || r.Duplicate != (i < 2) {
			t.Fatalf("result %d %+v: want applied, a duplicate only for the two applied before", i, r)
		}
	}
	if n, err := db.AuditCount(ctx, dev.ID); err != nil || n != 5 {
		t.Fatalf("the hub holds %d events (%v), want 5", n, err)
	}

	trigger := []string{`CREATE TRIGGER refuse_seven BEFORE INSERT ON ops WHEN NEW.seq = 7 BEGIN SELECT RAISE(ABORT, 'disk says no'); END`}
	if db.Postgres() {
		trigger = []string{`CREATE FUNCTION refuse_seven() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk says no'; END $$ LANGUAGE plpgsql`,
			`CREATE TRIGGER refuse_seven BEFORE INSERT ON ops FOR EACH ROW WHEN (NEW.seq = 7) EXECUTE FUNCTION refuse_seven()`}
	}
	for _, q := range trigger {
		if _, err := db.db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	res = db.ApplyOps(ctx, dev, ops[5:])
	if len(res) != 2 || !res[0].Applied || res[1].Code != app.EINTERNAL {
		t.Fatalf("results %+v: want 6 applied, 7 failed by the database, 8 not tried", res)
	}
	if n, err := db.AuditCount(ctx, dev.ID); err != nil || n != 6 {
		t.Fatalf("the hub holds %d events (%v), want 6: the audit row of 7 undone with it", n, err)
	}
}

// TestReadsDoNotWaitForTheWriter: while another connection holds the
// database's write lock (a push's commit, an import), the reads every
// request makes — the token, the device's mark, a poll of the change log,
// a download page — are answered from the read connections at once,
// instead of queueing for the busy timeout.
func TestReadsDoNotWaitForTheWriter(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hub.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	e := enrolCounter(t, db)
	other, err := sql.Open("sqlite3", path+"?_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err := other.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`UPDATE hub_state SET epoch = epoch`); err != nil {
		t.Fatal(err)
	}
	// Well below the 10 s busy timeout a queued read would wait for.
	rctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	dev, err := db.DeviceByToken(rctx, e.Token)
	if err != nil || dev.ID != e.Device.Device {
		t.Fatalf("token: %+v, %v", dev, err)
	}
	if _, err := db.DeviceMark(rctx, dev.ID); err != nil {
		t.Fatalf("mark: %v", err)
	}
	if _, err := db.ChangesFor(rctx, storage.ViewOf(dev.Role), "F205", 0, 100); err != nil {
		t.Fatalf("changes: %v", err)
	}
	if _, err := db.Snapshot(rctx, "F205", "", 100); err != nil {
		t.Fatalf("snapshot: %v", err)
	}
}

// enrolCounter enrols a counter of Milano at db.
func enrolCounter(t *testing.T, db *DB) *Enrollment {
	t.Helper()
	ctx := context.Background()
	if err := db.EnsureComune(ctx, "F205", "MILANO"); err != nil {
		t.Fatal(err)
	}
	code, err := db.NewEnrollCodeFor(ctx, "F205", RoleCounter, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	pub, _, _ := ed25519.GenerateKey(nil)
	e, err := db.Enroll(ctx, code, "sportello 1", pub)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestDeviceOpsFromTwoProcesses: two hub processes on one database are
// each sent every push of three devices at once (a workstation that
// retries through a load balancer): every audit event is applied once,
// each chain whole, each mark exact; on PostgreSQL, where a device's audit
// events apply under the device's lock instead of SERIALIZABLE, no
// transaction is run again for a conflict.
func TestDeviceOpsFromTwoProcesses(t *testing.T) {
	ctx := context.Background()
	target := pgtest.HubTarget(t, t.TempDir())
	a, err := Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	const devices, events, batch = 3, 60, 10
	at := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	var devs []*Device
	pushes := map[string][][]app.Operation{}
	for range devices {
		e := enrolCounter(t, a)
		dev := &Device{ID: e.Device.Device, Comune: "F205", Role: RoleCounter}
		devs = append(devs, dev)
		prev := ""
		var ops []app.Operation
		for seq := int64(1); seq <= events; seq++ {
			ev := app.AuditEvent{Device: dev.ID, Seq: seq, Operator: "mrossi", Action: app.AuditView, Subject: "x", At: at, PrevHash: prev}
			ev.Hash = ev.ComputeHash()
			prev = ev.Hash
			ops = append(ops, app.Operation{ID: uuid.NewString(), Device: dev.ID, Seq: seq, Kind: app.OpAudit, CreatedAt: at, Audit: &ev})
		}
		for i := 0; i < events; i += batch {
			pushes[dev.ID] = append(pushes[dev.ID], ops[i:i+batch])
		}
	}
	_, rerunsBefore := a.Conflicts()
	_, rerunsBeforeB := b.Conflicts()
	var mu stdsync.Mutex
	firsts := map[string]int{} // applications that were not duplicates, by operation
	var wg stdsync.WaitGroup
	for _, dev := range devs {
		for _, db := range []*DB{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, ops := range pushes[dev.ID] {
					for _, r := range db.ApplyOps(ctx, dev, ops) {
						mu.Lock()
						switch {
						case r.Code != "":
							t.Errorf("operation %s: %s %s", r.ID, r.Code, r.Message)
						case r.Applied && !r.Duplicate:
							firsts[r.ID]++
						}
						mu.Unlock()
					}
				}
			}()
		}
	}
	wg.Wait()
	if len(firsts) != devices*events {
		t.Errorf("%d operations applied, want %d", len(firsts), devices*events)
	}
	for id, n := range firsts {
		if n != 1 {
			t.Errorf("operation %s applied %d times", id, n)
		}
	}
	for _, dev := range devs {
		if n, err := a.AuditCount(ctx, dev.ID); err != nil || n != events {
			t.Errorf("device %s: %d events (%v), want %d", dev.ID, n, err, events)
		}
		if gaps, err := a.AuditGaps(ctx, dev.ID); err != nil || len(gaps) != 0 {
			t.Errorf("device %s: gaps %v (%v)", dev.ID, gaps, err)
		}
		if m, err := b.DeviceMark(ctx, dev.ID); err != nil || m.Seq != events || m.Applied != events {
			t.Errorf("device %s: mark %+v (%v), want %d applied", dev.ID, m, err, events)
		}
	}
	_, rerunsA := a.Conflicts()
	_, rerunsB := b.Conflicts()
	if a.Postgres() && (rerunsA != rerunsBefore || rerunsB != rerunsBeforeB) {
		t.Errorf("%d transactions run again for a conflict: a device's audit events should not conflict", rerunsA-rerunsBefore+rerunsB-rerunsBeforeB)
	}
}
