package sync_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	stdsync "sync"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/hub"
	"github.com/sportello/sportello/hub/demo"
	"github.com/sportello/sportello/hub/sqlstore"
	"github.com/sportello/sportello/passwd"
	"github.com/sportello/sportello/store"
	"github.com/sportello/sportello/sync"
	"github.com/sportello/sportello/sync/wire"
)

// withPrepared gives the hub a directory of prepared anagrafe files and
// serves them.
func (h *testHub) withPrepared() *hub.Prepared {
	h.t.Helper()
	p, err := hub.NewPrepared(context.Background(), filepath.Join(h.t.TempDir(), "prepared"), h.DB, quiet)
	if err != nil {
		h.t.Fatal(err)
	}
	h.handler = hub.NewServer(hub.Deps{DB: h.DB, Log: quiet, Now: h.Clk.Now, Prepared: p})
	return p
}

// preparedHub is a hub with a demo Milano of n residents and its prepared
// file built, then one citizen changed after the file (so that the
// workstation must read the change log after adopting it).
func preparedHub(t *testing.T, n int) (*testHub, wire.Anagrafe) {
	t.Helper()
	ctx := context.Background()
	h := newHub(t)
	hashCheap := func(pw string) (string, error) { return passwd.HashWith(cheapHash, pw) }
	if _, err := demo.Seed(ctx, h.DB, demo.Options{Comune: "F205", Residents: n, Seed: 11, HashPassword: hashCheap}); err != nil {
		t.Fatal(err)
	}
	p := h.withPrepared()
	a, err := p.Build(ctx, "F205")
	if err != nil {
		t.Fatal(err)
	}
	all, err := h.DB.ComuneCitizens(ctx, "F205", 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	all[0].Address.Street = "VIA DOPO LA PREPARAZIONE"
	h.replace("F205", all)
	if h.lastSeq("F205") <= a.Seq {
		t.Fatalf("the change after the file did not move the log (%d after %d)", h.lastSeq("F205"), a.Seq)
	}
	return h, a
}

// TestPreparedAnagrafe: a new counter's first download is the comune's
// prepared file, adopted whole, then the changes after it from the log;
// what the workstation held of its own before (its audit events waiting
// in the outbox, its profile) survives, and nothing goes by pages.
func TestPreparedAnagrafe(t *testing.T) {
	ctx := context.Background()
	h, a := preparedHub(t, 600)
	w := h.enroll("F205")
	w.audit(t, 3) // facts of its own before the first download
	h.SetFault(nil)
	var mu stdsync.Mutex
	var phases []string
	var reached float64
	stop := w.C.Subscribe(func(s app.SyncStatus) {
		mu.Lock()
		defer mu.Unlock()
		if strings.HasPrefix(s.Phase, "scaricamento dell'anagrafe: ") {
			phases = append(phases, s.Phase)
			reached = max(reached, s.Progress)
		}
	})
	if err := w.C.Round(ctx); err != nil {
		t.Fatal(err)
	}
	stop()
	mu.Lock()
	if len(phases) == 0 || reached != 1 || !strings.HasSuffix(phases[len(phases)-1], " MB") {
		t.Errorf("the operator saw %q, progress up to %v", phases, reached)
	}
	mu.Unlock()
	files := h.Exchanges("/v1/anagrafe")
	if len(files) != 1 || files[0].Status != http.StatusOK {
		t.Fatalf("anagrafe exchanges %+v, want one answered 200", files)
	}
	if n := len(h.Exchanges("/v1/snapshot")); n != 0 {
		t.Errorf("%d pages downloaded beside the prepared file", n)
	}
	assertMirrors(t, h, w)
	cur, err := w.St.Cursor(ctx, "F205")
	if err != nil || cur.Seq != h.lastSeq("F205") || cur.Seq <= a.Seq {
		t.Errorf("cursor %+v (%v), want the hub's last %d, past the file's %d", cur, err, h.lastSeq("F205"), a.Seq)
	}
	if pending, parked := w.outbox(t); pending != 0 || parked != 0 {
		t.Errorf("outbox after the round: %d pending, %d parked", pending, parked)
	}
	if n, err := h.DB.AuditCount(ctx, w.Profile.Device); err != nil || n != 3 {
		t.Errorf("hub holds %d audit events of the workstation (%v), want 3", n, err)
	}
	if p, err := w.St.Profile(ctx); err != nil || p.Device != w.Profile.Device || p.Token != w.Profile.Token {
		t.Errorf("profile after adoption %+v (%v)", p, err)
	}
	// The search indexes came with the file.
	some, err := h.DB.ComuneCitizens(ctx, "F205", 1)
	if err != nil {
		t.Fatal(err)
	}
	q, err := app.ParseQuery(some[0].Surname + " " + some[0].GivenName)
	if err != nil {
		t.Fatal(err)
	}
	found, err := w.St.SearchCitizens(ctx, q, 50)
	if err != nil || !slices.ContainsFunc(found, func(s app.CitizenSummary) bool { return s.CodiceFiscale == some[0].CodiceFiscale }) {
		t.Errorf("search for %s %s after adoption: %v, %v", some[0].Surname, some[0].GivenName, found, err)
	}
	if _, err := w.St.Operator(ctx, demo.Operator); err != nil {
		t.Errorf("the comune's operator is not on the workstation: %v", err)
	}
	for _, s := range []string{".anagrafe.zst.part", ".anagrafe.meta", ".anagrafe.db", ".anagrafe.db-wal", ".anagrafe.db-shm"} {
		if _, err := os.Stat(w.St.Path() + s); !os.IsNotExist(err) {
			t.Errorf("%s left beside the cache (%v)", s, err)
		}
	}
	// Stopped between adopting the file and removing it, the workstation
	// removes it at its next run.
	for _, s := range []string{".anagrafe.zst.part", ".anagrafe.meta", ".anagrafe.db"} {
		if err := os.WriteFile(w.St.Path()+s, []byte("left"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := sync.New(w.St, options()).Round(ctx); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{".anagrafe.zst.part", ".anagrafe.meta", ".anagrafe.db"} {
		if _, err := os.Stat(w.St.Path() + s); !os.IsNotExist(err) {
			t.Errorf("%s left beside the adopted cache at the next run (%v)", s, err)
		}
	}
	// A second workstation of the comune adopts the same file.
	w2 := h.synced("F205")
	assertMirrors(t, h, w2)
}

// TestPreparedAnagrafeResumes: a download cut in the middle of the file
// resumes from the byte it reached (a Range request on the file's tag),
// and a part of a file the hub has since replaced is not glued to the new
// one.
func TestPreparedAnagrafeResumes(t *testing.T) {
	ctx := context.Background()
	h, a := preparedHub(t, 600)
	w := h.enroll("F205")
	cut := a.Size / 3
	h.SetFault(func(rw http.ResponseWriter, r *http.Request, next http.Handler) bool {
		if r.URL.Path != "/v1/anagrafe" || r.Header.Get("Range") != "" {
			return false
		}
		body := answerHead(rw, r, next)
		rw.Write(body[:cut])
		http.NewResponseController(rw).Flush()
		dropConnection(t, rw)
		return true
	})
	err := w.C.Round(ctx)
	wantCode(t, err, app.EOFFLINE)
	fi, serr := os.Stat(w.St.Path() + ".anagrafe.zst.part")
	if serr != nil || fi.Size() != cut {
		t.Fatalf("part kept after the cut: %v, %v; want %d bytes", fi, serr, cut)
	}
	if has, _ := w.St.HasCitizens(ctx); has {
		t.Fatal("citizens in the cache from a file received in part")
	}
	h.SetFault(nil)
	if err := w.C.Round(ctx); err != nil {
		t.Fatal(err)
	}
	x := h.Exchanges("/v1/anagrafe")
	if len(x) != 1 || x[0].Status != http.StatusPartialContent || x[0].Header.Get("Range") != "bytes="+strconv.FormatInt(cut, 10)+"-" {
		t.Fatalf("resumed exchange %+v, want one Range request from %d answered 206", x, cut)
	}
	if n := len(h.Exchanges("/v1/snapshot")); n != 0 {
		t.Errorf("%d pages downloaded beside the resumed file", n)
	}
	assertMirrors(t, h, w)
}

// TestPreparedAnagrafeRefused: what the hub did not vouch for is never
// adopted, and the download goes by pages: a file changed on its way, a
// description signed by another key, a part of a replaced file. A kiosk,
// a board and another comune's device get no file.
func TestPreparedAnagrafeRefused(t *testing.T) {
	ctx := context.Background()
	h, _ := preparedHub(t, 300)

	tamper := map[string]func(rec *httptest.ResponseRecorder) []byte{
		"a byte of the file changed": func(rec *httptest.ResponseRecorder) []byte {
			b := bytes.Clone(rec.Body.Bytes())
			b[len(b)/2] ^= 0x40
			return b
		},
		"signed by another key": func(rec *httptest.ResponseRecorder) []byte {
			a, err := wire.ParseAnagrafe(rec.Header().Get(wire.HeaderAnagrafe))
			if err != nil {
				t.Fatal(err)
			}
			_, other, _ := ed25519.GenerateKey(rand.Reader)
			a.Signature = ed25519.Sign(other, a.Statement())
			rec.Header().Set(wire.HeaderAnagrafe, a.String())
			return rec.Body.Bytes()
		},
		"another comune's file": func(rec *httptest.ResponseRecorder) []byte {
			a, err := wire.ParseAnagrafe(rec.Header().Get(wire.HeaderAnagrafe))
			if err != nil {
				t.Fatal(err)
			}
			a.Scope = "H501"
			rec.Header().Set(wire.HeaderAnagrafe, a.String())
			return rec.Body.Bytes()
		},
	}
	for name, change := range tamper {
		t.Run(name, func(t *testing.T) {
			w := h.enroll("F205")
			h.SetFault(func(rw http.ResponseWriter, r *http.Request, next http.Handler) bool {
				if r.URL.Path != "/v1/anagrafe" {
					return false
				}
				rec := httptest.NewRecorder()
				next.ServeHTTP(rec, r)
				body := change(rec)
				for k, v := range rec.Header() {
					rw.Header()[k] = v
				}
				rw.WriteHeader(rec.Code)
				rw.Write(body)
				return true
			})
			if err := w.C.Round(ctx); err != nil {
				t.Fatal(err)
			}
			if n := len(h.Exchanges("/v1/snapshot")); n == 0 {
				t.Errorf("the refused file was not followed by a download by pages")
			}
			assertMirrors(t, h, w)
			for _, s := range []string{".anagrafe.zst.part", ".anagrafe.meta", ".anagrafe.db", ".anagrafe.db-wal", ".anagrafe.db-shm"} {
				if _, err := os.Stat(w.St.Path() + s); !os.IsNotExist(err) {
					t.Errorf("%s left beside the cache (%v)", s, err)
				}
			}
		})
	}

	t.Run("kiosk", func(t *testing.T) {
		code, err := h.DB.NewEnrollCodeFor(ctx, "F205", sqlstore.RoleKiosk, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		st := openStore(t)
		c := sync.New(st, options())
		p, err := c.Enroll(ctx, h.URL, code, "Chiosco")
		if err != nil {
			t.Fatal(err)
		}
		h.SetFault(nil)
		if err := c.Round(ctx); err != nil {
			t.Fatal(err)
		}
		x := h.Exchanges("/v1/anagrafe")
		if len(x) != 1 || x[0].Status != http.StatusNotFound {
			t.Errorf("kiosk's anagrafe exchanges %+v, want one refused 404", x)
		}
		if len(h.Exchanges("/v1/snapshot")) == 0 {
			t.Errorf("the kiosk did not download by pages")
		}
		// A stolen kiosk token asks for the file directly: nothing.
		status, _ := getAnagrafe(t, h.URL, p.Token, "F205")
		if status != http.StatusNotFound {
			t.Errorf("kiosk token: status %d, want 404", status)
		}
	})

	t.Run("another comune's device", func(t *testing.T) {
		w := h.synced("H501")
		status, _ := getAnagrafe(t, h.URL, w.Profile.Token, "F205")
		if status != http.StatusForbidden {
			t.Errorf("a Roma counter asking Milano's file: status %d, want 403", status)
		}
	})

	t.Run("no token", func(t *testing.T) {
		status, _ := getAnagrafe(t, h.URL, "", "F205")
		if status != http.StatusUnauthorized {
			t.Errorf("no token: status %d, want 401", status)
		}
	})
}

// answerHead has the hub answer r, sends the answer's status and headers
// on rw and returns its body, for a fault to send as it pleases.
func answerHead(rw http.ResponseWriter, r *http.Request, next http.Handler) []byte {
	rec := httptest.NewRecorder()
	next.ServeHTTP(rec, r)
	for k, v := range rec.Header() {
		rw.Header()[k] = v
	}
	rw.WriteHeader(rec.Code)
	return rec.Body.Bytes()
}

func getAnagrafe(t *testing.T, hubURL, token, scope string) (int, http.Header) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, hubURL+"/v1/anagrafe?scope="+scope, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set(wire.HeaderProtocol, strconv.Itoa(wire.ProtocolVersion))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header
}

// TestPreparedAnagrafeSIGKILL kills (SIGKILL, another process) a new
// workstation while the prepared file arrives, and again once it has all
// arrived (while it is checked, decompressed or adopted); the restarted
// workstation ends with exactly the hub's anagrafe, its own records kept,
// having resumed the file from the byte it reached rather than from the
// start.
func TestPreparedAnagrafeSIGKILL(t *testing.T) {
	for _, tc := range []struct {
		name string
		// midway kills once the child has written part of the file (its
		// part file, watched); otherwise delay after the hub sent it all.
		midway bool
		delay  time.Duration
	}{
		{"while the file arrives", true, 0},
		{"once the file arrived", false, 30 * time.Millisecond},
		{"later once the file arrived", false, 120 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			h, a := preparedHub(t, 1500)
			path := filepath.Join(t.TempDir(), "cache.db")
			st, err := store.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			c := sync.New(st, options())
			if _, err := c.Enroll(ctx, h.URL, h.code("F205", time.Hour), "Sportello da uccidere"); err != nil {
				t.Fatal(err)
			}
			if err := st.AppendAudit(ctx, "demo", app.AuditView, "prima dello scaricamento", time.Now()); err != nil {
				t.Fatal(err)
			}
			st.Close()

			// The hub sends the file slowly, and says when the kill is due.
			due := make(chan struct{})
			var once stdsync.Once
			h.SetFault(func(rw http.ResponseWriter, r *http.Request, next http.Handler) bool {
				if r.URL.Path != "/v1/anagrafe" || r.Header.Get("Range") != "" {
					return false
				}
				body := answerHead(rw, r, next)
				rc := http.NewResponseController(rw)
				for sent := 0; sent < len(body); {
					n := min(4<<10, len(body)-sent)
					if _, err := rw.Write(body[sent : sent+n]); err != nil {
						return true // the child is gone
					}
					rc.Flush()
					sent += n
					if sent == len(body) && !tc.midway {
						time.AfterFunc(tc.delay, func() { once.Do(func() { close(due) }) })
					}
					time.Sleep(2 * time.Millisecond)
				}
				return true
			})
			if tc.midway {
				go func() {
					for {
						if fi, err := os.Stat(path + ".anagrafe.zst.part"); err == nil && fi.Size() >= 16<<10 {
							once.Do(func() { close(due) })
							return
						}
						select {
						case <-due:
							return
						case <-time.After(2 * time.Millisecond):
						}
					}
				}()
			}
			killChildWhen(t, path, due, "the point of the kill")
			h.SetFault(nil)

			st, err = store.Open(path)
			if err != nil {
				t.Fatalf("the cache of the killed workstation does not open: %v", err)
			}
			defer st.Close()
			if err := st.Checked(ctx); err != nil {
				t.Fatalf("the cache of the killed workstation does not check: %v", err)
			}
			part, _ := os.Stat(path + ".anagrafe.zst.part")
			adopted, _ := st.HasCitizens(ctx)
			t.Logf("killed with %v bytes of %d kept, adopted: %v", sizeOf(part), a.Size, adopted)
			w := &workstation{St: st, C: sync.New(st, options())}
			if w.Profile, err = st.Profile(ctx); err != nil {
				t.Fatal(err)
			}
			if err := w.C.Round(ctx); err != nil {
				t.Fatalf("round after the kill: %v", err)
			}
			assertMirrors(t, h, w)
			if n, err := h.DB.AuditCount(ctx, w.Profile.Device); err != nil || n != 1 {
				t.Errorf("hub holds %d audit events of the workstation (%v), want the 1 of before", n, err)
			}
			if part != nil && part.Size() > 0 && part.Size() < a.Size {
				x := h.Exchanges("/v1/anagrafe")
				if len(x) != 1 || x[0].Header.Get("Range") != "bytes="+strconv.FormatInt(part.Size(), 10)+"-" {
					t.Errorf("after a kill at %d of %d bytes the file was asked %+v, want from where it stopped", part.Size(), a.Size, x)
				}
			}
			if tc.delay == 0 && (part == nil || part.Size() == 0) {
				t.Errorf("killed while the file arrived, yet no part of it was kept")
			}
			if len(h.Exchanges("/v1/snapshot")) != 0 {
				t.Errorf("the restarted workstation downloaded by pages")
			}
			for _, s := range []string{".anagrafe.zst.part", ".anagrafe.meta", ".anagrafe.db", ".anagrafe.db-wal", ".anagrafe.db-shm"} {
				if _, err := os.Stat(path + s); !os.IsNotExist(err) {
					t.Errorf("%s left beside the cache after the round (%v)", s, err)
				}
			}
		})
	}
}

func sizeOf(fi os.FileInfo) any {
	if fi == nil {
		return "no"
	}
	return fi.Size()
}
