package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/internal/sqlitedb/sqlitetest"
	"github.com/sportello/sportello/store"
)

// TestSalvage: a cache whose own records are damaged (the settings'
// page overwritten) is refused at open; Salvage keeps it aside, carries
// the profile and the unsent operations into a new cache, names the table
// it could not read, and the new cache takes writes again.
func TestSalvage(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cache.db")
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	enrol(t, s, "F205-W001")
	for i := range 200 {
		if err := s.SetSetting(ctx, "k"+strconvI(int64(i)), strings.Repeat("x", 200)); err != nil {
			t.Fatal(err)
		}
	}
	for range 3 {
		if err := s.AppendAudit(ctx, "mrossi", app.AuditView, "RSSMRA85T10A562S", time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	closeAndDamage(t, s, path, "settings")
	if _, err := store.Open(path); app.ErrorCode(err) != app.ESTORAGE {
		t.Fatalf("open of the damaged cache: %v", err)
	}

	r, err := store.Salvage(ctx, path, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if r.Pending != 3 || !slices.Equal(r.Lost, []string{"settings"}) || !slices.Contains(r.Kept, "outbox") || !slices.Contains(r.Kept, "profile") {
		t.Fatalf("salvage %+v: want 3 pending, the settings lost, the outbox and the profile kept", r)
	}
	s = mustOpenAt(t, path)
	if err := s.Checked(ctx); err != nil {
		t.Fatal(err)
	}
	p, err := s.Profile(ctx)
	if err != nil || p.Device != "F205-W001" {
		t.Fatalf("profile %+v, %v", p, err)
	}
	ops, err := s.NextOps(ctx, 10)
	if err != nil || len(ops) != 3 || ops[0].Audit == nil || ops[2].Audit.Seq != 3 {
		t.Fatalf("the salvaged outbox: %d operations, %v", len(ops), err)
	}
	// The chain goes on from the salvaged events.
	if err := s.AppendAudit(ctx, "mrossi", app.AuditView, "RSSMRA85T10A562S", time.Now()); err != nil {
		t.Fatal(err)
	}
	ops, _ = s.NextOps(ctx, 10)
	if len(ops) != 4 || ops[3].Audit.PrevHash != ops[2].Audit.Hash || ops[3].Seq != 4 {
		t.Fatalf("the next event does not follow the salvaged chain: %+v", ops[len(ops)-1])
	}
	if _, err := store.Salvage(ctx, filepath.Join(t.TempDir(), "none.db"), time.Now()); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("salvage of no cache: %v", err)
	}
}

// closeAndDamage closes s, the cache at path, and damages the first page
// of table.
func closeAndDamage(t *testing.T, s *store.Store, path, table string) {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	sqlitetest.DamageTable(t, path, table)
}

// TestSalvageAroundADamagedPage: one page in the middle of the outbox
// overwritten. The outbox is read around it: every operation on a readable
// page is carried into the new cache, in order, and the salvage says how
// many could not be read; before, the whole outbox was lost with it.
func TestSalvageAroundADamagedPage(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cache.db")
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	enrol(t, s, "F205-W001")
	const n = 400
	for i := range n {
		if err := s.AppendAudit(ctx, "mrossi", app.AuditView, fmt.Sprintf("RSSMRA85T10A562S %03d %s", i, strings.Repeat("x", 150)), time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	damageLeaf(t, path, "outbox")

	r, err := store.Salvage(ctx, path, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	unread := r.Partial["outbox"]
	if unread == 0 || unread > n/4 || r.Pending != n-unread || slices.Contains(r.Lost, "outbox") {
		t.Fatalf("salvage %+v: want the outbox read around one page", r)
	}
	s = mustOpenAt(t, path)
	ops, err := s.NextOps(ctx, n)
	if err != nil || len(ops) != n-unread {
		t.Fatalf("%d operations in the new cache (%v), want %d", len(ops), err, n-unread)
	}
	for i := 1; i < len(ops); i++ {
		if ops[i].Seq <= ops[i-1].Seq {
			t.Fatalf("operations out of order at %d", i)
		}
	}
}

// damageLeaf damages, in the closed database at path, a page of table
// that holds some of its rows but not its root: the first page after the
// root whose damage leaves the table's last row readable and a full scan
// of it not.
func damageLeaf(t *testing.T, path, table string) {
	t.Helper()
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	root := sqlitetest.RootPage(t, path, table)
	for page := root + 1; page < root+200; page++ {
		sqlitetest.DamagePage(t, path, page)
		db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		var n int
		scan := db.QueryRow(`SELECT count(*) FROM "` + table + `" NOT INDEXED`).Scan(&n)
		last := db.QueryRow(`SELECT rowid FROM "` + table + `" ORDER BY rowid DESC LIMIT 1`).Scan(&n)
		db.Close()
		if scan != nil && last == nil {
			return
		}
		if err := os.WriteFile(path, orig, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Fatalf("no leaf page of %s found", table)
}
