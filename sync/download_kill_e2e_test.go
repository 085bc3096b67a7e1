package sync_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	stdsync "sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/hub/demo"
	"github.com/sportello/sportello/passwd"
	"github.com/sportello/sportello/store"
	"github.com/sportello/sportello/sync"
)

// The child process of TestDownloadSIGKILL: the test binary started again
// with killChildEnv naming a cache runs the workstation's first sync round
// on it, until its parent kills it, instead of the tests (TestMain).
const killChildEnv = "SPORTELLO_TEST_DOWNLOAD_CHILD"

func TestMain(m *testing.M) {
	if path := os.Getenv(killChildEnv); path != "" {
		os.Exit(downloadChild(path))
	}
	os.Exit(m.Run())
}

// downloadChild is the child's work; its exit status is 1 when it ends by
// itself, which the parent never waits for.
func downloadChild(path string) int {
	st, err := store.Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	o := options()
	o.SnapshotPage = 100
	if err := sync.New(st, o).Round(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Fprintln(os.Stderr, "the download finished before the parent killed the process")
	return 1
}

// TestDownloadSIGKILL kills (SIGKILL, another process) a workstation in the
// middle of the bulk first download into an empty cache, which runs
// without the search indexes and commits its pages with
// synchronous=NORMAL; the restarted workstation resumes where the last
// committed page stopped and ends with exactly the hub's anagrafe, its
// search indexes built.
func TestDownloadSIGKILL(t *testing.T) {
	ctx := context.Background()
	h := newHub(t)
	hashCheap := func(pw string) (string, error) { return passwd.HashWith(cheapHash, pw) }
	if _, err := demo.Seed(ctx, h.DB, demo.Options{Comune: "F205", Residents: 3000, Seed: 7, HashPassword: hashCheap}); err != nil {
		t.Fatal(err)
	}
	w := h.enroll("F205")
	path := filepath.Join(t.TempDir(), "cache.db")
	w.St.Close() // the child opens a cache of its own, enrolled the same way
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	c := sync.New(st, options())
	if _, err := c.Enroll(ctx, h.URL, h.code("F205", time.Hour), "Sportello da uccidere"); err != nil {
		t.Fatal(err)
	}
	st.Close()

	// The hub counts the pages it serves and the test kills the child
	// once ten have gone out (a few more may be on their way).
	var pages atomic.Int32
	tenth := make(chan struct{})
	h.SetFault(func(rw http.ResponseWriter, r *http.Request, next http.Handler) bool {
		if r.URL.Path == "/v1/snapshot" && pages.Add(1) == 10 {
			close(tenth)
		}
		return false
	})
	out := killChildWhen(t, path, tenth, "its tenth page")
	h.SetFault(nil)

	st, err = store.Open(path)
	if err != nil {
		t.Fatalf("the cache of the killed workstation does not open: %v", err)
	}
	defer st.Close()
	snap, err := st.Snapshot(ctx, "F205")
	if err != nil || snap == nil {
		t.Fatalf("no download in progress after the kill: %+v, %v\n%s", snap, err, out.String())
	}
	if n, _ := st.CountCitizens(ctx); n != snap.Done || n == 0 {
		t.Errorf("%d citizens cached, the download's state says %d done", n, snap.Done)
	}
	if has := hasIndex(t, path, "citizens_surname"); has {
		t.Errorf("the download into an empty cache kept the search indexes: not the bulk path")
	}

	w = &workstation{St: st, C: sync.New(st, options())}
	if w.Profile, err = st.Profile(ctx); err != nil {
		t.Fatal(err)
	}
	before := len(h.Exchanges("/v1/snapshot"))
	if err := w.C.Round(ctx); err != nil {
		t.Fatal(err)
	}
	// The killed child's last request may still be answered after the
	// kill, so the exchanges since then are searched, not just the first:
	// the download goes on from the page written last, never from the start.
	resumed := false
	for _, x := range h.Exchanges("/v1/snapshot")[before:] {
		switch x.Query.Get("after") {
		case snap.After:
			resumed = true
		case "":
			t.Errorf("the download started again from the first page")
		}
	}
	if !resumed {
		t.Errorf("the download did not resume after %s", snap.After)
	}
	assertMirrors(t, h, w)
	for _, ix := range []string{"citizens_surname", "citizens_given", "citizens_family"} {
		if !hasIndex(t, path, ix) {
			t.Errorf("index %s missing after the download", ix)
		}
	}
	if n, _ := w.St.CountCitizens(ctx); n < 3000 {
		t.Errorf("%d citizens after the download, want the demo's 3000 and more", n)
	}
}

// killChildWhen runs the workstation's first sync round on the cache at
// path in a child process (downloadChild) and kills it (SIGKILL) when due
// closes; the test fails if that takes more than a minute. It returns the
// child's output.
func killChildWhen(t *testing.T, path string, due <-chan struct{}, what string) *lockedBuffer {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), killChildEnv+"="+path)
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-due:
		cmd.Process.Kill() // SIGKILL
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the child never reached %s:\n%s", what, out.String())
	}
	cmd.Wait()
	return out
}

// hasIndex tells whether the cache at path has the index name, read on a
// connection of its own.
func hasIndex(t *testing.T, path, name string) bool {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = ?`, name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

// lockedBuffer collects a child's output, written from two pipes.
type lockedBuffer struct {
	mu stdsync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// A hub that answers a page that moves nowhere and is not the last stops
// the download with an error, instead of asking for the same page for
// ever.
func TestDownloadNoProgress(t *testing.T) {
	h := newHub(t)
	h.replace("F205", milano())
	w := h.enroll("F205")
	var asked atomic.Int32
	h.SetFault(func(rw http.ResponseWriter, r *http.Request, next http.Handler) bool {
		if r.URL.Path != "/v1/snapshot" {
			return false
		}
		asked.Add(1)
		rw.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(rw, `{"scope":"F205","seq":1,"total":10,"citizens":[],"after":"","done":false,"as_of":%q}`,
			time.Now().UTC().Format(time.RFC3339Nano))
		return true
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err := w.C.Round(ctx)
	wantCode(t, err, app.EINVALID)
	if n := asked.Load(); n > 3 {
		t.Errorf("the hub was asked %d times for a page that does not move", n)
	}
}
