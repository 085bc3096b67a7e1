package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/sqlitedb/sqlitetest"
)

// serveHubAt runs `sportello-hub serve` on addr until the test ends: a hub
// restarted after a restore must be where its workstations know it.
func serveHubAt(t *testing.T, data, addr string) {
	t.Helper()
	cmd := exec.Command(filepath.Join(binDir, "sportello-hub"), "serve", "--data", data, "--addr", addr)
	var logs bytes.Buffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
		if t.Failed() {
			t.Logf("hub log:\n%s", logs.String())
		}
	})
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get("http://" + addr + "/v1/health")
		if err == nil {
			resp.Body.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("hub did not start: %v\n%s", err, logs.String())
		}
	}
}

// pendingOps is how many operations `sportello outbox list --json` shows
// waiting for the hub.
func pendingOps(t *testing.T, ws string) int {
	t.Helper()
	var ops []struct {
		State string `json:"state"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "sportello", "--data", ws, "outbox", "list", "--json")), &ops); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, op := range ops {
		if op.State == "pending" {
			n++
		}
	}
	return n
}

// TestCLIBackupRestore runs the backups of docs/RELIABILITY.md with the
// real binaries: the hub backed up while it serves, the workstation backed
// up with operations not yet sent, both restored, and the restored
// workstation's operations reaching the restored hub.
func TestCLIBackupRestore(t *testing.T) {
	hubData, ws, backups := t.TempDir(), t.TempDir(), t.TempDir()
	mustRun(t, "sportello-hub", "import-reference", "--data", hubData, referenceDir(t))
	mustRun(t, "sportello-hub", "demo", "--data", hubData, "--comune", "I690", "--residents", "60", "--seed", "7")
	out := mustRun(t, "sportello-hub", "enroll-code", "--data", hubData, "--comune", "I690")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	code := lines[len(lines)-1]
	addr := freeAddr(t)
	hubBackup, wsBackup := filepath.Join(backups, "hub.db"), filepath.Join(backups, "postazione.db")

	t.Run("HubBackupWhileServing", func(t *testing.T) {
		serveHubAt(t, hubData, addr)
		mustRun(t, "sportello", "--data", ws, "enroll", "--hub", "http://"+addr, "--code", code)
		mustRun(t, "sportello", "--data", ws, "sync")
		if out := mustRun(t, "sportello-hub", "backup", "--data", hubData, "--out", hubBackup); !strings.Contains(out, "backup fatto e controllato") {
			t.Errorf("hub backup: %q", out)
		}
		if r := runBin(t, "sportello-hub", "backup", "--data", hubData, "--out", hubBackup); r.code != 1 {
			t.Errorf("hub backup over an existing file: exit %d, %s", r.code, r.err)
		}
		if r := runBin(t, "sportello-hub", "restore", "--data", hubData, hubBackup); r.code != 1 || !strings.Contains(r.err, "aperto da un altro programma") {
			t.Errorf("hub restore while the hub serves: exit %d, %s", r.code, r.err)
		}
	}) // the hub stops here

	// Offline, the workstation records facts the hub has not seen.
	mustRun(t, "sportello", "--data", ws, "queue", "ticket", "--area", "A")
	mustRun(t, "sportello", "--data", ws, "queue", "ticket", "--area", "A")
	pending := pendingOps(t, ws)
	if pending == 0 {
		t.Fatal("no operation pending after offline tickets: the test needs some")
	}
	mustRun(t, "sportello", "--data", ws, "backup", "--out", wsBackup)
	mustRun(t, "sportello", "--data", ws, "queue", "ticket", "--area", "A") // after the backup

	t.Run("Refused", func(t *testing.T) {
		if r := runBin(t, "sportello-hub", "restore", "--data", hubData, wsBackup); r.code != 1 || !strings.Contains(r.err, "non è un backup utilizzabile") {
			t.Errorf("hub restore of a workstation's file: exit %d, %s", r.code, r.err)
		}
		if r := runBin(t, "sportello", "--data", ws, "restore", hubBackup); r.code != 1 || !strings.Contains(r.err, "non è un backup utilizzabile") {
			t.Errorf("workstation restore of a hub's file: exit %d, %s", r.code, r.err)
		}
		if r := runBin(t, "sportello", "--data", ws, "restore"); r.code != 2 {
			t.Errorf("restore without a file: exit %d", r.code)
		}
	})

	out = mustRun(t, "sportello-hub", "restore", "--data", hubData, hubBackup)
	if !strings.Contains(out, "il database di prima è in ") {
		t.Errorf("hub restore: %q", out)
	}
	out = mustRun(t, "sportello", "--data", ws, "restore", wsBackup)
	m := regexp.MustCompile(`operazioni da inviare all'hub: (\d+)`).FindStringSubmatch(out)
	if m == nil || m[1] != strconv.Itoa(pending) || !strings.Contains(out, "la copia di prima è in ") {
		t.Fatalf("workstation restore, %d pending at the backup:\n%s", pending, out)
	}
	if got := pendingOps(t, ws); got != pending {
		t.Errorf("after the restore %d operations pending, want the backup's %d", got, pending)
	}
	t.Run("PendingReachTheRestoredHub", func(t *testing.T) {
		serveHubAt(t, hubData, addr)
		mustRun(t, "sportello", "--data", ws, "sync")
		if got := pendingOps(t, ws); got != 0 {
			t.Errorf("after a sync %d operations still pending", got)
		}
	})

	// A damaged cache: a page of the anagrafe overwritten while two
	// tickets wait for the hub. Writes are refused; salvage carries the
	// profile and the outbox into a new cache, and one sync rebuilds it.
	t.Run("SalvageDamagedCache", func(t *testing.T) {
		mustRun(t, "sportello", "--data", ws, "queue", "ticket", "--area", "A")
		mustRun(t, "sportello", "--data", ws, "queue", "ticket", "--area", "A")
		pending := pendingOps(t, ws)
		if pending < 2 {
			t.Fatalf("%d pending: the test needs the two tickets", pending)
		}
		sqlitetest.DamageTable(t, filepath.Join(ws, "sportello.db"), "citizens")
		if r := runBin(t, "sportello", "--data", ws, "queue", "ticket", "--area", "A"); r.code != 1 || !strings.Contains(r.err, "sportello.db") {
			t.Errorf("a ticket into the damaged cache: exit %d, %s", r.code, r.err)
		}
		out := mustRun(t, "sportello", "--data", ws, "salvage")
		m := regexp.MustCompile(`operazioni da inviare all'hub: (\d+)`).FindStringSubmatch(out)
		if m == nil || m[1] != strconv.Itoa(pending) || !strings.Contains(out, "l'archivio danneggiato resta in ") {
			t.Fatalf("salvage, %d pending:\n%s", pending, out)
		}
		serveHubAt(t, hubData, addr)
		mustRun(t, "sportello", "--data", ws, "sync")
		if got := pendingOps(t, ws); got != 0 {
			t.Errorf("after salvage and sync %d operations still pending", got)
		}
		db, err := sql.Open("sqlite3", filepath.Join(ws, "sportello.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var citizens int
		if err := db.QueryRow(`SELECT count(*) FROM citizens`).Scan(&citizens); err != nil || citizens == 0 {
			t.Errorf("the anagrafe was not downloaded again: %d citizens, %v", citizens, err)
		}
	})
}
