// Package pgtest gives tests a PostgreSQL database of their own on the
// server that ./do test starts (SPORTELLO_TEST_POSTGRES, the URL of a role
// that may create databases), and chooses the hub's engine for the suites
// that run on both (SPORTELLO_TEST_HUB=postgres).
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/pgdb"
)

// EnvServer names the URL of the test server's role; EnvHub set to
// "postgres" runs the hub's suites on PostgreSQL.
const (
	EnvServer = "SPORTELLO_TEST_POSTGRES"
	EnvHub    = "SPORTELLO_TEST_HUB"
)

// OnPostgres reports whether the hub's suites run on PostgreSQL in this
// run.
func OnPostgres() bool { return os.Getenv(EnvHub) == "postgres" }

// HubTarget is where a test's hub keeps its data: a file in dir, or, when
// the suites run on PostgreSQL, a new database (NewDatabase).
func HubTarget(tb testing.TB, dir string) string {
	tb.Helper()
	if OnPostgres() {
		return NewDatabase(tb)
	}
	return filepath.Join(dir, "hub.db")
}

// NewDatabase creates an empty database on the test server, dropped when
// the test ends, and returns its URL. Its collation is the server's: the
// hub's schema asks for byte order itself. Without a server the test
// fails in CI (CI=true) and is skipped elsewhere, saying how to get one.
func NewDatabase(tb testing.TB) string {
	tb.Helper()
	admin := os.Getenv(EnvServer)
	if admin == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("%s is not set: ./do test starts a PostgreSQL server and sets it", EnvServer)
		}
		tb.Skipf("no PostgreSQL server: run ./do test, or set %s to the URL of a role that may create databases", EnvServer)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := pgdb.Open(ctx, admin, 1)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	var b [6]byte
	rand.Read(b[:])
	name := "sportello_test_" + hex.EncodeToString(b[:])
	if _, err := db.ExecContext(ctx, `CREATE DATABASE `+name+` TEMPLATE template0 ENCODING 'UTF8'`); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() { drop(tb, admin, name) })
	u, err := url.Parse(admin)
	if err != nil {
		tb.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

func drop(tb testing.TB, admin, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := pgdb.Open(ctx, admin, 1)
	if err != nil {
		tb.Error(err)
		return
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
		tb.Errorf("drop test database %s: %v", name, err)
	}
}
