package sqlstore

import (
	"context"
	"testing"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/internal/pgdb/pgtest"
)

// MustOpenDB opens a hub database in the test's directory.
func MustOpenDB(tb testing.TB) *DB {
	tb.Helper()
	db, err := Open(context.Background(), pgtest.HubTarget(tb, tb.TempDir()))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// TestSnapshotCorruptOperator: a row that cannot be read fails the
// snapshot, instead of reaching every workstation of the comune as an
// empty account that fails their whole download.
func TestSnapshotCorruptOperator(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	if err := db.EnsureComune(ctx, "F205", "MILANO"); err != nil {
		t.Fatal(err)
	}
	op := app.Operator{Username: "mrossi", Name: "Mario Rossi", Comune: "F205", Roles: []app.Role{app.RoleOperator},
		PasswordHash: "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo", Active: true}
	if err := db.PutOperator(ctx, op); err != nil {
		t.Fatal(err)
	}
	res, err := db.Snapshot(ctx, "F205", "", 10)
	if err != nil || len(res.Operators) != 1 || res.Operators[0].Username != "mrossi" {
		t.Fatalf("snapshot operators = %+v, %v", res, err)
	}
	if _, err := db.db.ExecContext(ctx, `UPDATE operators SET data = '{"username":' WHERE username = 'mrossi'`); err != nil {
		t.Fatal(err)
	}
	if res, err := db.Snapshot(ctx, "F205", "", 10); err == nil {
		t.Fatalf("snapshot of a corrupt operator row succeeded: %+v", res.Operators)
	}
}
