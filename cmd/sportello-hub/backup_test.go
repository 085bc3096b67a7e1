package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/hub/sqlstore"
	"github.com/sportello/sportello/internal/sqlitedb"
)

// hubWithComuni makes a hub data folder holding the given comuni.
func hubWithComuni(t *testing.T, data string, codes ...string) {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), filepath.Join(data, "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range codes {
		if err := db.EnsureComune(context.Background(), c, "COMUNE "+c); err != nil {
			t.Fatal(err)
		}
	}
}

func comuniOf(t *testing.T, path string) []string {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cs, err := db.Comuni(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, c := range cs {
		codes = append(codes, c.Code)
	}
	return codes
}

// TestBackupRestore runs backup and restore as an administrator would,
// with the exit codes of docs/CLI.md: 0 done, 1 refused, 2 bad arguments.
func TestBackupRestore(t *testing.T) {
	data := t.TempDir()
	hubWithComuni(t, data, "F205")
	out := filepath.Join(t.TempDir(), "hub-backup.db")
	r := runHub(t, nil, "backup", "--data", data, "--out", out)
	if r.code != 0 || !strings.HasPrefix(r.stdout, "backup fatto e controllato: "+out) {
		t.Fatalf("backup: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	hubWithComuni(t, data, "H501") // work done after the backup

	t.Run("WhileAWriterHoldsTheLock", func(t *testing.T) {
		// An import holding the write lock for minutes must not hold up
		// (or fail, after the busy timeout) a backup.
		w, err := sqlitedb.Open(filepath.Join(data, "hub.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		tx, err := w.Begin() // BEGIN IMMEDIATE: the write lock
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		if _, err := tx.Exec(`UPDATE comuni SET name = name`); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		r := runHub(t, nil, "backup", "--data", data, "--out", filepath.Join(t.TempDir(), "locked.db"))
		if r.code != 0 || time.Since(start) > 5*time.Second {
			t.Errorf("backup while locked: exit %d after %s, %q", r.code, time.Since(start), r.stderr)
		}
	})

	t.Run("Refusals", func(t *testing.T) {
		text := filepath.Join(t.TempDir(), "notes.db")
		os.WriteFile(text, bytes.Repeat([]byte("appunti\n"), 1000), 0o600)
		b, _ := os.ReadFile(out)
		for i := 4096 * 3; i < 4096*4 && i < len(b); i++ {
			b[i] ^= 0x5A
		}
		damaged := filepath.Join(t.TempDir(), "damaged.db")
		os.WriteFile(damaged, b, 0o600)
		live := filepath.Join(data, "hub.db")
		before, _ := os.ReadFile(live)
		for _, tc := range []struct {
			name string
			args []string
			code int
		}{
			{"ErrOutExists", []string{"backup", "--data", data, "--out", out}, 1},
			{"ErrNoHubInData", []string{"backup", "--data", t.TempDir(), "--out", filepath.Join(t.TempDir(), "x.db")}, 1},
			{"ErrNoOut", []string{"backup", "--data", data}, 2},
			{"ErrNoData", []string{"backup", "--out", filepath.Join(t.TempDir(), "x.db")}, 2},
			{"ErrRestoreNoFile", []string{"restore", "--data", data}, 2},
			{"ErrRestoreTwoFiles", []string{"restore", "--data", data, out, out}, 2},
			{"ErrRestoreNotADatabase", []string{"restore", "--data", data, text}, 1},
			{"ErrRestoreDamaged", []string{"restore", "--data", data, damaged}, 1},
			{"ErrRestoreMissing", []string{"restore", "--data", data, filepath.Join(t.TempDir(), "none.db")}, 1},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := runHub(t, nil, tc.args...)
				if r.code != tc.code || r.stderr == "" || strings.Count(r.stderr, "\n") != 1 {
					t.Errorf("exit %d, stderr %q; want exit %d and one line", r.code, r.stderr, tc.code)
				}
			})
		}
		if after, _ := os.ReadFile(live); !bytes.Equal(before, after) {
			t.Error("a refused command changed the hub's database")
		}
		if aside, _ := filepath.Glob(live + ".before-restore-*"); len(aside) > 0 {
			t.Errorf("a refused restore set files aside: %v", aside)
		}
	})

	t.Run("Restore", func(t *testing.T) {
		r := runHub(t, nil, "restore", "--data", data, out)
		if r.code != 0 {
			t.Fatalf("restore: exit %d, %q", r.code, r.stderr)
		}
		m := regexp.MustCompile(`il database di prima è in (\S+)`).FindStringSubmatch(r.stdout)
		if m == nil || !strings.Contains(r.stdout, "ripristinato") {
			t.Fatalf("restore does not say where the old database went:\n%s", r.stdout)
		}
		if got := strings.Join(comuniOf(t, filepath.Join(data, "hub.db")), ","); got != "F205" {
			t.Errorf("restored hub's comuni: %s, want F205", got)
		}
		if got := strings.Join(comuniOf(t, m[1]), ","); got != "F205,H501" {
			t.Errorf("kept aside: comuni %s, want F205,H501", got)
		}
		if _, err := os.Stat(out); err != nil {
			t.Errorf("the backup was consumed: %v", err)
		}
	})
}

// TestServeBackups runs serve with a schedule: backups arrive, only the
// newest --backup-keep stay, and a schedule whose every backup fails
// leaves the hub serving.
func TestServeBackups(t *testing.T) {
	serveWith := func(t *testing.T, dir string, extra ...string) (stderr *lockedBuffer, base string, stop func() error) {
		ctx, cancel := context.WithCancel(context.Background())
		stderr = &lockedBuffer{}
		done := make(chan error, 1)
		args := append([]string{"serve", "--data", dir, "--addr", "127.0.0.1:0"}, extra...)
		go func() {
			done <- run(ctx, args, func(string) string { return "" }, strings.NewReader(""), io.Discard, stderr)
		}()
		listening := regexp.MustCompile(`msg="hub listening" addr=(http://127\.0\.0\.1:\d+)`)
		for deadline := time.Now().Add(20 * time.Second); base == ""; time.Sleep(20 * time.Millisecond) {
			if m := listening.FindStringSubmatch(stderr.String()); m != nil {
				base = m[1]
			}
			select {
			case err := <-done:
				t.Fatalf("serve ended: %v\n%s", err, stderr)
			default:
			}
			if time.Now().After(deadline) {
				t.Fatalf("serve did not listen:\n%s", stderr)
			}
		}
		return stderr, base, func() error { cancel(); return <-done }
	}
	waitFor := func(t *testing.T, stderr *lockedBuffer, msg string, n int) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); strings.Count(stderr.String(), msg) < n; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%d times %q not logged:\n%s", n, msg, stderr)
			}
		}
	}
	t.Run("KeepsTheNewest", func(t *testing.T) {
		data, backups := t.TempDir(), filepath.Join(t.TempDir(), "backups")
		hubWithComuni(t, data, "F205")
		os.MkdirAll(backups, 0o700)
		os.WriteFile(filepath.Join(backups, "leggimi.txt"), []byte("non toccare"), 0o600)
		stderr, _, stop := serveWith(t, data, "--backup-every", "150ms", "--backup-dir", backups, "--backup-keep", "2")
		waitFor(t, stderr, `msg="scheduled backup done"`, 4)
		if err := stop(); err != nil {
			t.Fatal(err)
		}
		files, _ := filepath.Glob(filepath.Join(backups, "hub-*.db"))
		if len(files) != 2 {
			t.Fatalf("backups kept: %v, want 2", files)
		}
		for _, f := range files {
			if _, err := sqlstore.VerifyBackup(context.Background(), f); err != nil {
				t.Error(err)
			}
		}
		if _, err := os.Stat(filepath.Join(backups, "leggimi.txt")); err != nil {
			t.Errorf("pruning removed a file that is not a backup: %v", err)
		}
	})
	t.Run("FailureKeepsServing", func(t *testing.T) {
		data := t.TempDir()
		notADir := filepath.Join(t.TempDir(), "file")
		os.WriteFile(notADir, nil, 0o600)
		stderr, base, stop := serveWith(t, data, "--backup-every", "100ms", "--backup-dir", notADir)
		waitFor(t, stderr, `msg="scheduled backup failed, retried at the next one"`, 2)
		resp, err := http.Get(base + "/v1/health")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("health after failed backups: %s", resp.Status)
		}
		if err := stop(); err != nil {
			t.Fatalf("serve ended with %v", err)
		}
	})
	t.Run("ErrScheduleFlags", func(t *testing.T) {
		for _, args := range [][]string{
			{"--backup-every", "1h"},
			{"--backup-dir", t.TempDir()},
			{"--backup-every", "-1h", "--backup-dir", t.TempDir()},
			{"--backup-every", "1h", "--backup-dir", t.TempDir(), "--backup-keep", "0"},
		} {
			r := runHub(t, nil, append([]string{"serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0"}, args...)...)
			if r.code != 2 {
				t.Errorf("serve %v: exit %d, %q; want 2", args, r.code, r.stderr)
			}
		}
	})
}
