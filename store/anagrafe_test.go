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
	"github.com/sportello/sportello/app/pagopa"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/store"
)

// preparedFile builds a prepared anagrafe of F205 at seq as the hub does:
// an empty cache filled by one download, closed. spoil, when not nil, then
// changes the file through SQL.
func preparedFile(t *testing.T, seq int64, citizens []app.Citizen, spoil string) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "prepared.db")
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Checked(ctx); err != nil {
		t.Fatal(err)
	}
	citizens = slices.Clone(citizens)
	slices.SortFunc(citizens, func(a, b app.Citizen) int { return strings.Compare(a.CodiceFiscale, b.CodiceFiscale) })
	op := app.Operator{Username: "mrossi", Name: "Mario Rossi", Comune: "F205", Roles: []app.Role{app.RoleOperator},
		PasswordHash: "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g", Active: true}
	st := app.SnapshotState{Scope: "F205", Seq: seq, After: citizens[len(citizens)-1].CodiceFiscale, Done: len(citizens), Total: len(citizens), Started: t0}
	if err := s.PutSnapshotPage(ctx, st, citizens, []app.Operator{op}, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishSnapshot(ctx, st, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if spoil != "" {
		db, err := sql.Open("sqlite3", path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(spoil); err != nil {
			t.Fatalf("spoil: %v", err)
		}
		db.Close()
	}
	return path
}

// ownCache is a cache enrolled and at work before its first download: a
// profile, audit events waiting in the outbox.
func ownCache(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	s := MustOpen(t)
	if err := s.SaveProfile(ctx, &app.Profile{Device: "dev-1", Comune: "F205", ComuneName: "MILANO", HubURL: "http://127.0.0.1:1",
		Token: "token", EnrolledAt: t0}); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if err := s.AppendAudit(ctx, "mrossi", app.AuditView, "soggetto", t0.Add(time.Duration(i)*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func pendingOps(t *testing.T, s *store.Store) int {
	t.Helper()
	ops, err := s.NextOps(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	return len(ops)
}

// TestAdoptAnagrafe: the cache takes the prepared file's citizens,
// operators, position and search indexes, and keeps all it held of its
// own.
func TestAdoptAnagrafe(t *testing.T) {
	ctx := context.Background()
	s := ownCache(t)
	file := preparedFile(t, 42, fixturesOf("F205"), "")
	if err := s.AdoptAnagrafe(ctx, file, "F205", 42); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.CountCitizens(ctx); n != len(fixturesOf("F205")) {
		t.Errorf("%d citizens adopted, want %d", n, len(fixturesOf("F205")))
	}
	if c, err := s.Citizen(ctx, rossiMario85.CodiceFiscale); err != nil || c.Surname != "Rossi" {
		t.Errorf("citizen after adoption: %+v, %v", c, err)
	}
	q, _ := app.ParseQuery("rossi mario")
	if found, err := s.SearchCitizens(ctx, q, 10); err != nil || len(found) != 2 {
		t.Errorf("search after adoption: %v, %v", found, err)
	}
	if cur, err := s.Cursor(ctx, "F205"); err != nil || cur.Seq != 42 {
		t.Errorf("cursor after adoption %+v, %v; want 42", cur, err)
	}
	if p, err := s.Profile(ctx); err != nil || p.Device != "dev-1" || p.Token != "token" {
		t.Errorf("profile after adoption %+v, %v", p, err)
	}
	if n := pendingOps(t, s); n != 3 {
		t.Errorf("%d operations pending after adoption, want the 3 of before", n)
	}
	if _, err := s.Operator(ctx, "mrossi"); err != nil {
		t.Errorf("operator of the file: %v", err)
	}
	// What the cache writes next goes on its chain and its outbox.
	if err := s.AppendAudit(ctx, "mrossi", app.AuditView, "dopo", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if n := pendingOps(t, s); n != 4 {
		t.Errorf("%d operations pending after one more, want 4", n)
	}
	// The whole file is sound for the next start.
	path := s.Path()
	s.Close()
	again, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if err := again.Checked(ctx); err != nil {
		t.Errorf("the adopted cache does not check: %v", err)
	}
	// A cache with citizens adopts no file.
	if err := again.AdoptAnagrafe(ctx, preparedFile(t, 43, fixturesOf("F205"), ""), "F205", 43); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("adoption into a cache with citizens: %v, want ECONFLICT", err)
	}
}

// fixturesOf is the fixtures moved to comune.
func fixturesOf(comune string) []app.Citizen {
	out := fixtures()
	for i := range out {
		out[i].Comune = comune
	}
	return out
}

// TestAdoptAnagrafeRefuses: a file the cache would not have written from
// the hub's pages is refused whole (EINVALID), and the cache is left as it
// was.
func TestAdoptAnagrafeRefuses(t *testing.T) {
	ctx := context.Background()
	other := fixturesOf("F205")
	other[3].Comune = "H501"
	cases := []struct {
		name string
		file func(t *testing.T) string
		seq  int64
	}{
		{"a citizen of another comune", func(t *testing.T) string { return preparedFile(t, 42, other, "") }, 42},
		{"another position", func(t *testing.T) string { return preparedFile(t, 41, fixturesOf("F205"), "") }, 42},
		{"a trigger of its own", func(t *testing.T) string {
			return preparedFile(t, 42, fixturesOf("F205"), `CREATE TRIGGER evil AFTER INSERT ON outbox BEGIN DELETE FROM audit; END`)
		}, 42},
		{"a workstation's operations", func(t *testing.T) string {
			return preparedFile(t, 42, fixturesOf("F205"), `INSERT INTO profile (id, device, comune, comune_name, hub_url, token, enrolled_at)
				VALUES (1, 'evil', 'F205', 'MILANO', 'http://evil', 'stolen', '')`)
		}, 42},
		{"a search key that does not match", func(t *testing.T) string {
			return preparedFile(t, 42, fixturesOf("F205"), `UPDATE citizens SET surname_key = 'BIANCHI' WHERE surname = 'Rossi'`)
		}, 42},
		{"a code not normalized", func(t *testing.T) string {
			return preparedFile(t, 42, fixturesOf("F205"), `UPDATE citizens SET codice_fiscale = lower(codice_fiscale) WHERE surname = 'Cantù'`)
		}, 42},
		{"an invalid citizen", func(t *testing.T) string {
			return preparedFile(t, 42, fixturesOf("F205"), `UPDATE citizens SET birth_date = '2999-01-01' WHERE surname = 'Bianchi'`)
		}, 42},
		{"a status the anagrafe does not know", func(t *testing.T) string {
			return preparedFile(t, 42, fixturesOf("F205"), `UPDATE citizens SET status = 'scomparso' WHERE surname = 'Martino'`)
		}, 42},
		{"a history that is not JSON", func(t *testing.T) string {
			return preparedFile(t, 42, fixturesOf("F205"), `UPDATE citizens SET history = '{"unions": [' WHERE surname = 'Martino'`)
		}, 42},
		{"a sex the code denies", func(t *testing.T) string {
			return preparedFile(t, 42, fixturesOf("F205"), `UPDATE citizens SET sex = 'F' WHERE surname = 'Bianchi'`)
		}, 42},
		{"a code whose check character is wrong", func(t *testing.T) string {
			return preparedFile(t, 42, fixturesOf("F205"), `UPDATE citizens SET codice_fiscale = substr(codice_fiscale, 1, 15) ||
				CASE substr(codice_fiscale, 16, 1) WHEN 'A' THEN 'B' ELSE 'A' END WHERE surname = 'Bianchi'`)
		}, 42},
		{"another comune's operator", func(t *testing.T) string {
			return preparedFile(t, 42, fixturesOf("F205"), `UPDATE operators SET comune = 'H501'`)
		}, 42},
		{"a newer schema", func(t *testing.T) string {
			return preparedFile(t, 42, fixturesOf("F205"), `INSERT INTO schema_migrations VALUES (999, '999_future.sql', '')`)
		}, 42},
		{"not a database", func(t *testing.T) string {
			path := filepath.Join(t.TempDir(), "garbage.db")
			os.WriteFile(path, []byte(strings.Repeat("not sqlite ", 1000)), 0o600)
			return path
		}, 42},
		{"a damaged page", func(t *testing.T) string {
			path := preparedFile(t, 42, fixturesOf("F205"), "")
			f, err := os.OpenFile(path, os.O_RDWR, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			fi, _ := f.Stat()
			// Every page after the first overwritten with noise.
			noise := []byte(strings.Repeat("\xde\xad\xbe\xef", 1024))
			for off := int64(4096); off < fi.Size(); off += 4096 {
				f.WriteAt(noise, off)
			}
			return path
		}, 42},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := ownCache(t)
			err := s.AdoptAnagrafe(ctx, tc.file(t), "F205", tc.seq)
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("err = %v, want EINVALID", err)
			}
			t.Logf("refused: %v", err)
			if has, _ := s.HasCitizens(ctx); has {
				t.Errorf("citizens in the cache after a refused file")
			}
			if n := pendingOps(t, s); n != 3 {
				t.Errorf("%d operations pending after a refused file, want 3", n)
			}
			if p, err := s.Profile(ctx); err != nil || p.Device != "dev-1" {
				t.Errorf("profile after a refused file: %+v, %v", p, err)
			}
		})
	}
}

// TestAdoptAnagrafeDerivesInstalments: the codici avviso of the
// instalments of the file's positions are derived again on adoption by the
// schema's own trigger; a row of the derived table the file carried
// without a position behind it is not taken.
func TestAdoptAnagrafeDerivesInstalments(t *testing.T) {
	ctx := context.Background()
	avviso := func(base int64) string {
		a, err := pagopa.NewAvviso(3, "01", base)
		if err != nil {
			t.Fatal(err)
		}
		return string(a)
	}
	position := fmt.Sprintf(`{"id":"F205-2026-H0002000","comune":"F205","debtor_codice_fiscale":%q,"debtor":"ROSSI MARIO","service":"tari",`+
		`"causale":"TARI 2027","amount_cents":200,"due_date":"2027-12-16","codice_avviso":%q,`+
		`"instalments":[{"n":1,"codice_avviso":%q,"amount_cents":100,"due_date":"2027-09-16"},{"n":2,"codice_avviso":%q,"amount_cents":100,"due_date":"2027-12-16"}],`+
		`"state":"da_pagare","published":true,"created_at":"2026-12-01T00:00:00Z"}`, rossiMario85.CodiceFiscale, avviso(2000), avviso(2001), avviso(2002))
	if _, err := payment.DecodePosition([]byte(position)); err != nil {
		t.Fatal(err)
	}
	spoil := fmt.Sprintf(`INSERT INTO records (kind, key, scope, subject, data, snapshot_gen) VALUES ('position', 'F205-2026-H0002000', 'F205', %q, '%s', 42);
		INSERT INTO instalment_avvisi (avviso, position_id, n) VALUES (%q, 'F205-2026-H0002000', 3)`,
		rossiMario85.CodiceFiscale, position, avviso(2003))
	s := ownCache(t)
	if err := s.AdoptAnagrafe(ctx, preparedFile(t, 42, fixturesOf("F205"), spoil), "F205", 42); err != nil {
		t.Fatal(err)
	}
	if v, err := s.PositionByAvviso(ctx, pagopa.CodiceAvviso(avviso(2002))); err != nil || v.ID != "F205-2026-H0002000" {
		t.Errorf("the position by its instalment's avviso: %+v, %v", v, err)
	}
	if _, err := s.PositionByAvviso(ctx, pagopa.CodiceAvviso(avviso(2003))); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("an instalment the file carried without its position: %v, want ENOTFOUND", err)
	}
}
