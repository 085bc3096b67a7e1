package hubdb

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
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
