package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/hub/sqlstore"
	"github.com/sportello/sportello/internal/pgdb/pgtest"
	"github.com/sportello/sportello/store"
	"github.com/sportello/sportello/sync"
)

// TestMain lets a test start this package's binary as the real
// sportello-hub, in processes of its own (asMain).
func TestMain(m *testing.M) {
	if os.Getenv("SPORTELLO_HUB_TEST_AS_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// asMain starts sportello-hub with args as a process of its own (the test
// binary, which runs main), until the test ends; it returns the hub's
// address once it listens.
func asMain(t *testing.T, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "SPORTELLO_HUB_TEST_AS_MAIN=1"), env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	listening := regexp.MustCompile(`msg="hub listening" addr=(https?://\S+:\d+) `)
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
	}()
	select {
	case base := <-found:
		return base
	case <-time.After(30 * time.Second):
		t.Fatalf("sportello-hub %v did not listen", args)
		return ""
	}
}

// TestPostgresNetwork moves a demo hub from its file to PostgreSQL with
// migrate (refused a second time, nothing written), then serves it from
// two sportello-hub processes on the one database: enrolment codes made by
// the command line with SPORTELLO_HUB_DB, workstations enrolled at both
// processes at once get distinct device ids. (The processes share the data
// folder for its TLS authority, whose key the enrolment codes pin.)
func TestPostgresNetwork(t *testing.T) {
	dir := t.TempDir()
	if r := runHub(t, nil, "demo", "--data", dir, "--comune", "I690", "--residents", "40"); r.code != 0 {
		t.Fatalf("demo: %+v", r)
	}
	url := pgtest.NewDatabase(t)
	r := runHub(t, nil, "migrate", "--from", dir, "--to", url)
	if r.code != 0 || !regexp.MustCompile(`(?m)^citizens\s+4\d$`).MatchString(r.stdout) || strings.Contains(r.stdout, ":sportello@") {
		t.Fatalf("migrate: %+v", r)
	}
	if again := runHub(t, nil, "migrate", "--from", dir, "--to", url); again.code != 1 || !strings.Contains(again.stderr, "contiene già un hub") {
		t.Fatalf("a second migrate: %+v", again)
	}
	env := map[string]string{"SPORTELLO_HUB_DB": url}
	if r := runHub(t, env, "backup", "--out", filepath.Join(dir, "b.db")); r.code != 1 || !strings.Contains(r.stderr, "pg_dump") {
		t.Fatalf("backup of a PostgreSQL hub: %+v", r)
	}

	// After PostgreSQL's own restore, restore --db marks the database
	// restored: a new epoch, which the workstations detect.
	db, err := sqlstore.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	before, err := db.DeviceMark(context.Background(), "I690-W001")
	if err != nil {
		t.Fatal(err)
	}
	if r := runHub(t, env, "restore"); r.code != 0 || !strings.Contains(r.stdout, "ripristinato") {
		t.Fatalf("restore --db: %+v", r)
	}
	if r := runHub(t, env, "restore", "backup.dump"); r.code != 2 {
		t.Fatalf("restore --db with a file: %+v", r)
	}
	after, err := db.DeviceMark(context.Background(), "I690-W001")
	db.Close()
	if err != nil || after.Epoch == before.Epoch || after.Epoch == "" {
		t.Fatalf("epoch %q before restore --db, %q after (%v)", before.Epoch, after.Epoch, err)
	}

	bases := []string{
		asMain(t, []string{"SPORTELLO_HUB_DB=" + url}, "serve", "--data", dir, "--addr", "127.0.0.1:0"),
		asMain(t, []string{"SPORTELLO_HUB_DB=" + url}, "serve", "--data", dir, "--addr", "127.0.0.1:0"),
	}
	const n = 6
	type enrolled struct {
		device string
		err    error
	}
	results := make(chan enrolled, n)
	for i := range n {
		r := runHub(t, env, "enroll-code", "--data", dir, "--comune", "I690")
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		code := lines[len(lines)-1]
		if r.code != 0 || code == "" {
			t.Fatalf("enroll-code: %+v", r)
		}
		st, err := store.Open(filepath.Join(t.TempDir(), "cache.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		go func() {
			p, err := sync.New(st, sync.Options{Timeout: 20 * time.Second}).Enroll(context.Background(), bases[i%2], code, fmt.Sprintf("Sportello %d", i))
			if err != nil {
				results <- enrolled{err: err}
				return
			}
			results <- enrolled{device: p.Device}
		}()
	}
	ids := map[string]bool{}
	for range n {
		e := <-results
		if e.err != nil {
			t.Fatalf("enrol: %v", e.err)
		}
		ids[e.device] = true
	}
	if len(ids) != n {
		t.Fatalf("device ids %v: not %d distinct", ids, n)
	}
}
