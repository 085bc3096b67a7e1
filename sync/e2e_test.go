package sync_test

// End-to-end tests of the sync engine against the real hub: sqlstore on a
// SQLite file, hub.NewServer behind httptest on loopback, the
// workstation's real store on another file. Faults (a hub that goes down
// mid-download, an answer lost on the way back) are injected by wrapping
// the hub's handler, never by faking either side.

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	stdsync "sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/app/cf"
	"github.com/sportello/sportello/hub"
	"github.com/sportello/sportello/hub/sqlstore"
	"github.com/sportello/sportello/internal/pgdb/pgtest"
	"github.com/sportello/sportello/passwd"
	"github.com/sportello/sportello/store"
	"github.com/sportello/sportello/sync"
	"github.com/sportello/sportello/sync/wire"
)

// cheapHash are argon2id parameters that keep the lockout test fast; the
// happy path uses passwd.Hash's real ones.
var cheapHash = passwd.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// clock is the hub's clock, moved by tests (enrolment codes expire).
type clock struct {
	mu stdsync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// exchange is one request the hub received and what it answered.
type exchange struct {
	Method, Path string
	Query        url.Values
	Header       http.Header
	Status       int
	Body         []byte // the answer, decompressed
}

// fault decides what happens to a request before the hub sees it. It
// returns false to let the request through untouched.
type fault func(w http.ResponseWriter, r *http.Request, next http.Handler) bool

// testHub is a real hub on loopback that can be stopped and started again
// on the same address, with a wrapper that records every exchange and
// injects faults.
type testHub struct {
	t    *testing.T
	DB   *sqlstore.DB
	Path string // the hub's database file
	Clk  *clock
	URL  string

	handler http.Handler
	addr    string
	srv     *httptest.Server

	mu    stdsync.Mutex
	fault fault
	log   []exchange
}

func newHub(t *testing.T) *testHub {
	t.Helper()
	return newHubOn(t, pgtest.HubTarget(t, t.TempDir()))
}

// newHubOn is newHub with its data at path: a file or a PostgreSQL URL.
func newHubOn(t *testing.T, path string) *testHub {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clk := &clock{t: time.Now().UTC()}
	db.Now = clk.Now
	for code, name := range map[string]string{"F205": "MILANO", "H501": "ROMA"} {
		if err := db.EnsureComune(ctx, code, name); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.ImportReference(ctx, anpr.Defaults()); err != nil {
		t.Fatal(err)
	}
	h := &testHub{t: t, DB: db, Path: path, Clk: clk}
	h.handler = hub.NewServer(hub.Deps{DB: db, Log: quiet, Now: clk.Now})
	h.srv = httptest.NewServer(http.HandlerFunc(h.serve))
	h.URL, h.addr = h.srv.URL, h.srv.Listener.Addr().String()
	t.Cleanup(func() { h.Stop() })
	return h
}

// Stop takes the hub off the network: connections are refused.
func (h *testHub) Stop() {
	h.mu.Lock()
	srv := h.srv
	h.srv = nil
	h.mu.Unlock()
	if srv != nil {
		srv.Close()
	}
}

// Start brings the hub back on the address it had.
func (h *testHub) Start() {
	h.t.Helper()
	ln, err := net.Listen("tcp", h.addr)
	if err != nil {
		h.t.Fatalf("restart hub on %s: %v", h.addr, err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(h.serve))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	h.mu.Lock()
	h.srv = srv
	h.mu.Unlock()
}

// SetFault installs f (nil removes it) and clears the exchange log.
func (h *testHub) SetFault(f fault) {
	h.mu.Lock()
	h.fault = f
	h.log = nil
	h.mu.Unlock()
}

// Exchanges returns the recorded exchanges on path ("" for all).
func (h *testHub) Exchanges(path string) []exchange {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []exchange
	for _, e := range h.log {
		if path == "" || e.Path == path {
			out = append(out, e)
		}
	}
	return out
}

func (h *testHub) serve(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	f := h.fault
	h.mu.Unlock()
	if f != nil && f(w, r, h.handler) {
		return
	}
	rec := httptest.NewRecorder()
	h.handler.ServeHTTP(rec, r)
	h.record(r, rec)
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

func (h *testHub) record(r *http.Request, rec *httptest.ResponseRecorder) {
	body := rec.Body.Bytes()
	if rec.Header().Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err == nil {
			body, err = io.ReadAll(zr)
		}
		if err != nil {
			h.t.Errorf("hub sent bad gzip on %s: %v", r.URL, err)
		}
	}
	h.mu.Lock()
	h.log = append(h.log, exchange{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Status: rec.Code, Body: body})
	h.mu.Unlock()
}

// dropConnection closes the client's connection without an answer: what a
// workstation sees when the hub dies or the network drops mid-request.
func dropConnection(t *testing.T, w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	conn.Close()
}

func (h *testHub) code(comune string, ttl time.Duration) string {
	h.t.Helper()
	code, err := h.DB.NewEnrollCode(context.Background(), comune, ttl)
	if err != nil {
		h.t.Fatal(err)
	}
	return code
}

func (h *testHub) replace(comune string, citizens []app.Citizen) sqlstore.ImportResult {
	h.t.Helper()
	res, err := h.DB.ReplaceAnagrafe(context.Background(), comune, slices.Clone(citizens))
	if err != nil {
		h.t.Fatal(err)
	}
	return res
}

// lastSeq is the hub's newest change of scope.
func (h *testHub) lastSeq(scope string) int64 {
	h.t.Helper()
	res, err := h.DB.Snapshot(context.Background(), scope, "", 1)
	if err != nil {
		h.t.Fatal(err)
	}
	return res.Seq
}

// workstation is an enrolled counter PC: its cache and its sync engine.
type workstation struct {
	St      *store.Store
	C       *sync.Client
	Profile *app.Profile
}

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func options() sync.Options {
	return sync.Options{Log: quiet, Timeout: 10 * time.Second, SnapshotPage: 3, ChangesPage: 4, PushBatch: 2}
}

// enroll enrols a new workstation of comune, without syncing it.
func (h *testHub) enroll(comune string) *workstation {
	h.t.Helper()
	st := openStore(h.t)
	c := sync.New(st, options())
	p, err := c.Enroll(context.Background(), h.URL, h.code(comune, time.Hour), "Sportello di prova")
	if err != nil {
		h.t.Fatalf("enroll: %v", err)
	}
	return &workstation{St: st, C: c, Profile: p}
}

// synced enrols a workstation of comune and runs its first round.
func (h *testHub) synced(comune string) *workstation {
	h.t.Helper()
	w := h.enroll(comune)
	if err := w.C.Round(context.Background()); err != nil {
		h.t.Fatalf("first round: %v", err)
	}
	return w
}

func (w *workstation) audit(t *testing.T, n int) {
	t.Helper()
	for i := range n {
		if err := w.St.AppendAudit(context.Background(), "mrossi", app.AuditView, fmt.Sprintf("soggetto %d", i), time.Now()); err != nil {
			t.Fatal(err)
		}
	}
}

func (w *workstation) outbox(t *testing.T) (pending, parked int) {
	t.Helper()
	p, k, err := w.St.OutboxCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return p, k
}

// person builds a valid citizen with the codice fiscale computed by the
// rules of DM 23/12/1976.
func person(comune, surname, given, sex string, born time.Time, place, family string, rel int) app.Citizen {
	code, err := cf.Compute(cf.Person{Surname: surname, Name: given, Sex: sex, BirthDate: born, BirthPlaceCode: place})
	if err != nil {
		panic(fmt.Sprintf("fixture %s %s: %v", surname, given, err))
	}
	return app.Citizen{
		CodiceFiscale: code, Surname: surname, GivenName: given, Sex: sex, BirthDate: born,
		BirthPlaceCode: place, Citizenship: "ITA", CivilStatus: app.CivilStatusSingle, Comune: comune,
		Address:  app.Address{Street: "Via Giuseppe Garibaldi", HouseNumber: "12/A", Postcode: "20121"},
		FamilyID: family, Relationship: rel, Status: app.StatusResident, RegisteredOn: born,
		Certifiability: app.CertifiableFully, DocumentNumber: "CA12345AB",
	}
}

// milano is ten citizens of Milano: four pages of three.
func milano() []app.Citizen {
	return []app.Citizen{
		person("F205", "Rossi", "Mario", "M", app.Date(1985, 12, 10), "A562", "F205-1", app.RelationshipHead),
		person("F205", "Rossi", "Marta", "F", app.Date(1983, 7, 21), "F205", "F205-1", app.RelationshipSpouse),
		person("F205", "Rossi", "Luca", "M", app.Date(2012, 1, 9), "F205", "F205-1", app.RelationshipChild),
		person("F205", "Bianchi", "Nicolò", "M", app.Date(2001, 9, 9), "F205", "F205-2", app.RelationshipHead),
		person("F205", "Cantù", "Giulia", "F", app.Date(1995, 1, 31), "C933", "F205-3", app.RelationshipHead),
		person("F205", "D'Angelo", "Maria", "F", app.Date(1965, 2, 14), "F839", "F205-4", app.RelationshipHead),
		person("F205", "Martino", "Martino", "M", app.Date(1940, 10, 10), "F205", "F205-5", app.RelationshipHead),
		person("F205", "Esposito", "Ciro", "M", app.Date(1977, 4, 2), "F839", "F205-6", app.RelationshipHead),
		person("F205", "Colombo", "Anna", "F", app.Date(1958, 11, 30), "F205", "F205-7", app.RelationshipHead),
		person("F205", "Ferrari", "Paolo", "M", app.Date(1990, 6, 6), "F205", "F205-8", app.RelationshipHead),
	}
}

// roma is a family of Roma, for the cross-comune lookups.
func roma() []app.Citizen {
	return []app.Citizen{
		person("H501", "De Luca", "Mario", "M", app.Date(1970, 3, 2), "H501", "H501-1", app.RelationshipHead),
		person("H501", "De Luca", "Anna", "F", app.Date(1972, 8, 15), "F839", "H501-1", app.RelationshipSpouse),
		person("H501", "De Luca", "Sara", "F", app.Date(2004, 2, 29), "H501", "H501-1", app.RelationshipChild),
	}
}

// sameCitizen compares two records field by field, except UpdatedAt: the
// hub stamps it on changes, not in its snapshot rows.
func sameCitizen(a, b app.Citizen) bool {
	a.UpdatedAt, b.UpdatedAt = time.Time{}, time.Time{}
	return reflect.DeepEqual(a, b)
}

// assertMirrors checks that the workstation holds exactly the hub's
// anagrafe of its comune.
func assertMirrors(t *testing.T, h *testHub, w *workstation) {
	t.Helper()
	ctx := context.Background()
	want, err := h.DB.CountCitizens(ctx, w.Profile.Comune)
	if err != nil {
		t.Fatal(err)
	}
	got, err := w.St.CountCitizens(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("workstation holds %d citizens, the hub %d", got, want)
	}
	snap, err := h.DB.Snapshot(ctx, w.Profile.Comune, "", 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range snap.Citizens {
		var wc wire.Citizen
		if err := json.Unmarshal(raw, &wc); err != nil {
			t.Fatal(err)
		}
		hc, err := wire.CitizenFromWire(wc)
		if err != nil {
			t.Fatal(err)
		}
		lc, err := w.St.Citizen(ctx, hc.CodiceFiscale)
		if err != nil {
			t.Errorf("citizen %s of the hub: %v", hc.CodiceFiscale, err)
			continue
		}
		if !sameCitizen(*lc, hc) {
			t.Errorf("citizen %s differs:\n workstation %+v\n hub         %+v", hc.CodiceFiscale, *lc, hc)
		}
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if app.ErrorCode(err) != code {
		t.Fatalf("err = %v (code %q), want code %q", err, app.ErrorCode(err), code)
	}
}

func TestSync(t *testing.T) {
	ctx := context.Background()

	t.Run("Enroll", func(t *testing.T) {
		h := newHub(t)
		code := h.code("F205", time.Hour)
		st := openStore(t)
		c := sync.New(st, options())
		p, err := c.Enroll(ctx, h.URL, code, "Sportello 1")
		if err != nil {
			t.Fatal(err)
		}
		if p.Device != "F205-W001" || p.Comune != "F205" || p.ComuneName != "MILANO" || p.Token == "" {
			t.Errorf("profile = %+v", p)
		}
		saved, err := st.Profile(ctx)
		if err != nil || saved.Device != p.Device || saved.Token != p.Token || !bytes.Equal(saved.PrivateKey, p.PrivateKey) {
			t.Errorf("saved profile = %+v, %v", saved, err)
		}

		t.Run("CertificatesVerify", func(t *testing.T) {
			root, err := h.DB.RootKey(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(p.RootKey, root.Public().(ed25519.PublicKey)) {
				t.Fatal("the workstation holds another root key than the hub's")
			}
			com, err := h.DB.Comune(ctx, "F205")
			if err != nil {
				t.Fatal(err)
			}
			if err := com.Cert.Verify(p.RootKey); err != nil {
				t.Fatalf("comune certificate: %v", err)
			}
			keys, err := h.DB.Keys(ctx)
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(keys.Devices, func(d app.DeviceKey) bool { return d.Device == p.Device })
			if i < 0 {
				t.Fatalf("the hub does not publish %s's key", p.Device)
			}
			dk := keys.Devices[i]
			if dk.Cert.Subject != app.DeviceSubject(p.Device) {
				t.Fatalf("the hub publishes %s's key with the certificate of %s", p.Device, dk.Cert.Subject)
			}
			if !bytes.Equal(dk.Cert.PublicKey, p.PublicKey) {
				t.Fatal("the hub certified another key than the workstation's")
			}
			if err := dk.Cert.Verify(com.Cert.PublicKey); err != nil {
				t.Fatalf("device certificate: %v", err)
			}
			// The workstation can sign with the certified key.
			msg := []byte("certificato n. 1")
			if !ed25519.Verify(dk.Cert.PublicKey, msg, ed25519.Sign(p.PrivateKey, msg)) {
				t.Fatal("the private key does not match the certified public key")
			}
		})

		t.Run("ErrAlreadyEnrolled", func(t *testing.T) {
			_, err := c.Enroll(ctx, h.URL, h.code("F205", time.Hour), "Sportello 1")
			wantCode(t, err, app.ECONFLICT)
		})

		t.Run("ErrReusedCode", func(t *testing.T) {
			st2 := openStore(t)
			_, err := sync.New(st2, options()).Enroll(ctx, h.URL, code, "Sportello 2")
			wantCode(t, err, app.EUNAUTHORIZED)
			if !strings.Contains(app.ErrorMessage(err), "già usato") {
				t.Errorf("message %q does not say the code was used", app.ErrorMessage(err))
			}
			if _, err := st2.Profile(ctx); app.ErrorCode(err) != app.ENOTFOUND {
				t.Errorf("profile saved after a refused enrolment: %v", err)
			}
		})

		t.Run("ErrExpiredCode", func(t *testing.T) {
			code := h.code("F205", time.Hour)
			h.Clk.Advance(61 * time.Minute)
			_, err := sync.New(openStore(t), options()).Enroll(ctx, h.URL, code, "Sportello 3")
			wantCode(t, err, app.EUNAUTHORIZED)
			if !strings.Contains(app.ErrorMessage(err), "scaduto") {
				t.Errorf("message %q does not say the code expired", app.ErrorMessage(err))
			}
		})

		t.Run("ErrUnknownCode", func(t *testing.T) {
			_, err := sync.New(openStore(t), options()).Enroll(ctx, h.URL, "AAAA-BBBB-CCCC-DDDD", "Sportello 4")
			wantCode(t, err, app.EUNAUTHORIZED)
		})

		t.Run("URLWithTrailingSlash", func(t *testing.T) {
			// As an operator copies it from a browser.
			st := openStore(t)
			c := sync.New(st, options())
			p, err := c.Enroll(ctx, h.URL+"/", h.code("F205", time.Hour), "Sportello 5")
			if err != nil {
				t.Fatal(err)
			}
			w := &workstation{St: st, C: c, Profile: p}
			w.audit(t, 1)
			h.SetFault(nil)
			if err := c.Round(ctx); err != nil {
				t.Errorf("round after enrolling with %q: %v", h.URL+"/", err)
			}
			if strings.HasSuffix(p.HubURL, "/") {
				t.Errorf("hub URL saved as %q", p.HubURL)
			}
			for _, e := range h.Exchanges("") {
				if e.Path == "/v1/anagrafe" && e.Status == http.StatusNotFound {
					continue // this hub prepares no file: the download goes by pages
				}
				if e.Status != http.StatusOK {
					t.Errorf("%s %s answered %d", e.Method, e.Path, e.Status)
				}
			}
		})

		// A hub (or a man in the middle) that certifies another key than
		// the workstation's, or sends a certificate that does not verify,
		// is refused and nothing is saved.
		com, err := h.DB.Comune(ctx, "F205")
		if err != nil {
			t.Fatal(err)
		}
		otherPub, _, _ := ed25519.GenerateKey(nil)
		for name, forge := range map[string]func(*wire.EnrollResponse){
			"ErrBadSignature": func(r *wire.EnrollResponse) { r.Cert.PublicKey = wire.B64(otherPub) },
			"ErrAnotherKey": func(r *wire.EnrollResponse) {
				r.Cert = wire.KeyCertToWire(app.SignKeyCert(com.Key, app.ComuneSubject("F205"), app.DeviceSubject(r.Device), otherPub, time.Now()))
			},
			"ErrAnotherDevice": func(r *wire.EnrollResponse) {
				pub, _ := wire.UnB64(r.Cert.PublicKey)
				r.Cert = wire.KeyCertToWire(app.SignKeyCert(com.Key, app.ComuneSubject("F205"), app.DeviceSubject("F205-W999"), pub, time.Now()))
			},
		} {
			t.Run(name, func(t *testing.T) {
				h.SetFault(func(w http.ResponseWriter, r *http.Request, next http.Handler) bool {
					rec := httptest.NewRecorder()
					next.ServeHTTP(rec, r)
					var res wire.EnrollResponse
					if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
						t.Errorf("enrol answer: %v", err)
					}
					forge(&res)
					w.Header().Set("Content-Type", "application/json")
					json.NewEncoder(w).Encode(res)
					return true
				})
				defer h.SetFault(nil)
				st := openStore(t)
				if _, err := sync.New(st, options()).Enroll(ctx, h.URL, h.code("F205", time.Hour), "Sportello 6"); err == nil {
					t.Fatal("forged certificate accepted")
				}
				if _, err := st.Profile(ctx); app.ErrorCode(err) != app.ENOTFOUND {
					t.Errorf("profile saved after a forged certificate: %v", err)
				}
			})
		}
	})

	t.Run("SnapshotThenChanges", func(t *testing.T) {
		h := newHub(t)
		citizens := milano()
		h.replace("F205", citizens)
		h.replace("H501", roma())
		w := h.enroll("F205")

		var mu stdsync.Mutex
		var progress []float64
		stop := w.C.Subscribe(func(s app.SyncStatus) {
			mu.Lock()
			if s.Progress >= 0 && (len(progress) == 0 || progress[len(progress)-1] != s.Progress) {
				progress = append(progress, s.Progress)
			}
			mu.Unlock()
		})
		if err := w.C.Round(ctx); err != nil {
			t.Fatal(err)
		}
		stop()
		t.Run("Progress", func(t *testing.T) {
			// Ten citizens in pages of three: 0, .3, .6, .9, 1.
			if len(progress) < 5 || progress[0] != 0 || progress[len(progress)-1] != 1 || !slices.IsSorted(progress) {
				t.Errorf("progress went %v, want 0 rising to 1 over the pages", progress)
			}
			if pages := len(h.Exchanges("/v1/snapshot")); pages < 4 {
				t.Errorf("snapshot in %d requests, want at least 4 pages of 3", pages)
			}
			st := w.C.Status()
			if !st.Online || st.LastSync.IsZero() || st.Progress != -1 || st.Phase != "" || st.LastError != "" {
				t.Errorf("status after the round = %+v", st)
			}
		})
		t.Run("Mirrors", func(t *testing.T) {
			assertMirrors(t, h, w)
			if _, err := w.St.Citizen(ctx, roma()[0].CodiceFiscale); app.ErrorCode(err) != app.ENOTFOUND {
				t.Errorf("a citizen of Roma reached Milano's cache: %v", err)
			}
			cur, err := w.St.Cursor(ctx, "F205")
			if err != nil || cur.Seq != h.lastSeq("F205") || cur.AsOf.IsZero() {
				t.Errorf("cursor = %+v, %v; want seq %d", cur, err, h.lastSeq("F205"))
			}
			if snap, err := w.St.Snapshot(ctx, "F205"); err != nil || snap != nil {
				t.Errorf("download state left behind: %+v, %v", snap, err)
			}
			ref, err := w.St.Reference(ctx)
			if err != nil || len(ref.Comuni) != len(anpr.Defaults().Comuni) {
				t.Errorf("reference tables not received: %v", err)
			}
		})
		t.Run("ProtocolHeader", func(t *testing.T) {
			for _, e := range h.Exchanges("") {
				if v := e.Header.Get(wire.HeaderProtocol); v != fmt.Sprint(wire.ProtocolVersion) {
					t.Errorf("%s %s sent protocol %q", e.Method, e.Path, v)
				}
			}
		})

		t.Run("Incremental", func(t *testing.T) {
			moved, gone := citizens[1], citizens[6]
			moved.Address = app.Address{Street: "Corso Buenos Aires", HouseNumber: "33", Postcode: "20124"}
			born := person("F205", "Rossi", "Giulia", "F", app.Date(2024, 5, 5), "F205", "F205-1", app.RelationshipChild)
			next := slices.Clone(citizens)
			next[1] = moved
			next = slices.Delete(next, 6, 7)
			next = append(next, born)
			if res := h.replace("F205", next); res.Added != 1 || res.Updated != 1 || res.Deleted != 1 {
				t.Fatalf("import = %+v", res)
			}
			h.SetFault(nil)
			if err := w.C.Round(ctx); err != nil {
				t.Fatal(err)
			}
			if n := len(h.Exchanges("/v1/snapshot")); n != 0 {
				t.Errorf("incremental round downloaded the snapshot again (%d requests)", n)
			}
			// The workstation received exactly the three changes.
			var keys []string
			for _, e := range h.Exchanges("/v1/changes") {
				if e.Query.Get("scope") != "F205" {
					continue
				}
				var res wire.ChangesResponse
				if err := json.Unmarshal(e.Body, &res); err != nil {
					t.Fatal(err)
				}
				for _, c := range res.Changes {
					keys = append(keys, c.Key)
				}
			}
			slices.Sort(keys)
			want := []string{moved.CodiceFiscale, gone.CodiceFiscale, born.CodiceFiscale}
			slices.Sort(want)
			if !slices.Equal(keys, want) {
				t.Errorf("changes received %v, want %v", keys, want)
			}
			if c, err := w.St.Citizen(ctx, moved.CodiceFiscale); err != nil || c.Address != moved.Address {
				t.Errorf("moved citizen: %+v, %v", c, err)
			}
			if _, err := w.St.Citizen(ctx, gone.CodiceFiscale); app.ErrorCode(err) != app.ENOTFOUND {
				t.Errorf("deleted citizen still cached: %v", err)
			}
			if c, err := w.St.Citizen(ctx, born.CodiceFiscale); err != nil || !sameCitizen(*c, born) {
				t.Errorf("new citizen: %+v, %v", c, err)
			}
			assertMirrors(t, h, w)
		})
	})

	t.Run("ResumableSnapshot", func(t *testing.T) {
		t.Run("HubDiesMidway", func(t *testing.T) {
			h := newHub(t)
			citizens := milano()
			h.replace("F205", citizens)
			mustPutOperator(t, h, app.Operator{Username: "mrossi", Name: "Mario Rossi", Comune: "F205",
				Roles: []app.Role{app.RoleOperator}, PasswordHash: mustHash(t, cheapHash, "Password-1"), Active: true})
			w := h.enroll("F205")
			var pages atomic.Int32
			h.SetFault(func(rw http.ResponseWriter, r *http.Request, next http.Handler) bool {
				if r.URL.Path == "/v1/snapshot" {
					pages.Add(1)
				}
				if pages.Load() > 2 { // the hub dies after two pages and stays down
					dropConnection(t, rw)
					return true
				}
				return false
			})
			err := w.C.Round(ctx)
			wantCode(t, err, app.EOFFLINE)
			snap, err := w.St.Snapshot(ctx, "F205")
			if err != nil || snap == nil {
				t.Fatalf("no download state after the interruption: %+v, %v", snap, err)
			}
			sorted := slices.SortedFunc(slices.Values(citizens), func(a, b app.Citizen) int { return strings.Compare(a.CodiceFiscale, b.CodiceFiscale) })
			if snap.Done != 6 || snap.Total != 10 || snap.After != sorted[5].CodiceFiscale {
				t.Errorf("download state = %+v, want 6 of 10 done, after %s", snap, sorted[5].CodiceFiscale)
			}
			if n, _ := w.St.CountCitizens(ctx); n != 6 {
				t.Errorf("%d citizens cached after two pages, want 6", n)
			}
			// The operators came with the first page: the counter can log
			// in while the rest of the download waits for the hub.
			if _, err := app.Login(ctx, w.St, passwd.Verify, "F205", "mrossi", "Password-1", time.Now()); err != nil {
				t.Errorf("login after an interrupted download: %v", err)
			}

			// While the workstation is cut off, the anagrafe changes on
			// both sides of where the download stopped.
			next := slices.Clone(citizens)
			for i := range next {
				switch next[i].CodiceFiscale {
				case sorted[1].CodiceFiscale, sorted[8].CodiceFiscale:
					next[i].Address.Street = "Via Nuova"
				}
			}
			next = slices.DeleteFunc(next, func(c app.Citizen) bool {
				return c.CodiceFiscale == sorted[0].CodiceFiscale || c.CodiceFiscale == sorted[9].CodiceFiscale
			})
			next = append(next,
				person("F205", "Abate", "Aldo", "M", app.Date(1950, 1, 1), "F205", "F205-9", app.RelationshipHead),
				person("F205", "Zanetti", "Zoe", "F", app.Date(1999, 9, 9), "F205", "F205-10", app.RelationshipHead))
			h.replace("F205", next)
			before, after := 0, 0 // newcomers on each side of the stop
			for _, c := range next[len(next)-2:] {
				if c.CodiceFiscale < snap.After {
					before++
				} else {
					after++
				}
			}
			if before != 1 || after != 1 {
				t.Fatalf("fixture: want one new citizen on each side of %s, got %d and %d", snap.After, before, after)
			}
			wantReceived := 0
			for _, c := range next {
				if c.CodiceFiscale > snap.After {
					wantReceived++
				}
			}

			h.SetFault(nil)
			if err := w.C.Round(ctx); err != nil {
				t.Fatal(err)
			}
			snaps := h.Exchanges("/v1/snapshot")
			if len(snaps) == 0 || snaps[0].Query.Get("after") != snap.After {
				t.Fatalf("the download did not resume after %s: %+v", snap.After, snaps)
			}
			received := 0
			for _, e := range snaps {
				var res wire.SnapshotResponse
				if err := json.Unmarshal(e.Body, &res); err != nil {
					t.Fatal(err)
				}
				received += len(res.Citizens)
			}
			if received != wantReceived {
				t.Errorf("resumed download received %d citizens, want the %d after the stop", received, wantReceived)
			}
			assertMirrors(t, h, w)
		})

		t.Run("Cancelled", func(t *testing.T) {
			h := newHub(t)
			h.replace("F205", milano())
			w := h.enroll("F205")
			cctx, cancel := context.WithCancel(ctx)
			defer cancel()
			stop := w.C.Subscribe(func(s app.SyncStatus) {
				if s.Progress >= 0.5 {
					cancel() // the operator closes the program mid-download
				}
			})
			err := w.C.Round(cctx)
			stop()
			if err == nil {
				t.Fatal("cancelled round returned nil")
			}
			snap, err := w.St.Snapshot(ctx, "F205")
			if err != nil || snap == nil || snap.Done == 0 || snap.Done == 10 {
				t.Fatalf("download state after cancel = %+v, %v", snap, err)
			}
			h.SetFault(nil)
			if err := w.C.Round(ctx); err != nil {
				t.Fatal(err)
			}
			if snaps := h.Exchanges("/v1/snapshot"); len(snaps) == 0 || snaps[0].Query.Get("after") != snap.After {
				t.Errorf("the download restarted instead of resuming after %s", snap.After)
			}
			assertMirrors(t, h, w)
		})
	})

	t.Run("Resnapshot", func(t *testing.T) {
		h := newHub(t)
		citizens := milano()
		h.replace("F205", citizens)
		w := h.synced("F205")
		mustPutOperator(t, h, app.Operator{Username: "mrossi", Name: "Mario Rossi", Comune: "F205",
			Roles: []app.Role{app.RoleOperator}, PasswordHash: mustHash(t, cheapHash, "Password-1"), Active: true})

		// Changes the workstation never sees one by one: the hub compacts
		// them away.
		next := slices.Clone(citizens[1:])
		next[0].Address.Street = "Via Compattata"
		next = append(next, person("F205", "Greco", "Elena", "F", app.Date(1988, 3, 3), "F205", "F205-11", app.RelationshipHead))
		h.replace("F205", next)
		if err := h.DB.Compact(ctx, "F205", h.lastSeq("F205")); err != nil {
			t.Fatal(err)
		}

		// Facts written before and during the new download are kept and
		// sent.
		w.audit(t, 1)
		started := false
		stop := w.C.Subscribe(func(s app.SyncStatus) {
			if s.Progress == 0 && !started {
				started = true
				w.audit(t, 2)
			}
		})
		h.SetFault(nil)
		err := w.C.Round(ctx)
		stop()
		if err != nil {
			t.Fatal(err)
		}
		snaps := h.Exchanges("/v1/snapshot")
		if !started || len(snaps) == 0 || snaps[0].Query.Get("after") != "" {
			t.Fatalf("no new download after the compaction (%d snapshot requests)", len(snaps))
		}
		assertMirrors(t, h, w)
		if _, err := w.St.Citizen(ctx, citizens[0].CodiceFiscale); app.ErrorCode(err) != app.ENOTFOUND {
			t.Errorf("citizen deleted in the compacted range survived the new download: %v", err)
		}
		if cur, _ := w.St.Cursor(ctx, "F205"); cur.Seq != h.lastSeq("F205") {
			t.Errorf("cursor %d, hub at %d", cur.Seq, h.lastSeq("F205"))
		}
		if n, err := h.DB.AuditCount(ctx, w.Profile.Device); err != nil || n != 3 {
			t.Errorf("hub holds %d audit events, want 3 (%v)", n, err)
		}
		if p, k := w.outbox(t); p != 0 || k != 0 {
			t.Errorf("outbox: %d pending, %d parked after the round", p, k)
		}
		if op, err := w.St.Operator(ctx, "mrossi"); err != nil || op.Name != "Mario Rossi" {
			t.Errorf("operator after the new download: %+v, %v", op, err)
		}
	})

	t.Run("CompactBeyondLog", func(t *testing.T) {
		// "Compact everything" with a number past the log's end: a
		// workstation behind downloads once more, then follows the log
		// again; one already at the end goes on as it was.
		h := newHub(t)
		citizens := milano()
		h.replace("F205", citizens)
		behind := h.synced("F205")
		h.replace("F205", citizens[1:])
		current := h.synced("F205")
		if err := h.DB.Compact(ctx, "F205", h.lastSeq("F205")+1000); err != nil {
			t.Fatal(err)
		}
		for name, tc := range map[string]struct {
			w         *workstation
			downloads bool
		}{"Behind": {behind, true}, "AtTheEnd": {current, false}} {
			t.Run(name, func(t *testing.T) {
				h.SetFault(nil)
				if err := tc.w.C.Round(ctx); err != nil {
					t.Fatal(err)
				}
				if n := len(h.Exchanges("/v1/snapshot")); (n > 0) != tc.downloads {
					t.Errorf("%d snapshot requests after the compaction", n)
				}
				h.SetFault(nil)
				if err := tc.w.C.Round(ctx); err != nil {
					t.Fatal(err)
				}
				if n := len(h.Exchanges("/v1/snapshot")); n != 0 {
					t.Errorf("the next round downloaded everything again (%d requests)", n)
				}
				assertMirrors(t, h, tc.w)
			})
		}
	})

	t.Run("PushIdempotent", func(t *testing.T) {
		// The hub applies the operations and the answer is lost.
		for name, drops := range map[string]int{"RetriedInRound": 1, "RetriedNextRound": 3} {
			t.Run(name, func(t *testing.T) {
				h := newHub(t)
				w := h.synced("F205")
				w.audit(t, 3)
				var n atomic.Int32
				h.SetFault(func(rw http.ResponseWriter, r *http.Request, next http.Handler) bool {
					if r.URL.Path != "/v1/ops" || n.Load() >= int32(drops) {
						return false
					}
					n.Add(1)
					rec := httptest.NewRecorder()
					next.ServeHTTP(rec, r)
					if rec.Code != http.StatusOK {
						t.Errorf("push answered %d: %s", rec.Code, rec.Body)
					}
					dropConnection(t, rw)
					return true
				})
				err := w.C.Round(ctx)
				if drops == 3 { // every attempt of the round lost its answer
					wantCode(t, err, app.EOFFLINE)
					if p, _ := w.outbox(t); p != 3 {
						t.Errorf("%d operations pending after lost answers, want 3", p)
					}
					err = w.C.Round(ctx)
				}
				if err != nil {
					t.Fatal(err)
				}
				if got, err := h.DB.AuditCount(ctx, w.Profile.Device); err != nil || got != 3 {
					t.Errorf("hub holds %d audit events, want each of the 3 once (%v)", got, err)
				}
				if p, k := w.outbox(t); p != 0 || k != 0 {
					t.Errorf("outbox: %d pending, %d parked", p, k)
				}
				pushes := h.Exchanges("/v1/ops")
				if len(pushes) == 0 {
					t.Fatal("no push answered")
				}
				var res wire.PushResponse
				if err := json.Unmarshal(pushes[0].Body, &res); err != nil {
					t.Fatal(err)
				}
				if len(res.Results) == 0 {
					t.Fatal("empty push answer")
				}
				for _, r := range res.Results {
					if !r.Duplicate || !r.Applied || r.Code != "" {
						t.Errorf("replayed operation answered %+v, want applied duplicate", r)
					}
				}
				// The chain goes on after the replay.
				w.audit(t, 1)
				if err := w.C.Round(ctx); err != nil {
					t.Fatal(err)
				}
				if got, _ := h.DB.AuditCount(ctx, w.Profile.Device); got != 4 {
					t.Errorf("hub holds %d audit events, want 4", got)
				}
			})
		}
	})

	t.Run("RefusedOperationParked", func(t *testing.T) {
		h := newHub(t)
		w := h.synced("F205")
		old := w.Profile.Device
		w.audit(t, 2) // not yet sent when the PC is enrolled again
		// The workstation is enrolled again (new device, new token): the
		// old device's operations can no longer be sent as its own.
		other := h.enroll("F205")
		if err := w.St.SaveProfile(ctx, other.Profile); err != nil {
			t.Fatal(err)
		}
		w.audit(t, 2)
		if err := w.C.Round(ctx); err != nil {
			t.Fatalf("a refused operation failed the round: %v", err)
		}
		if p, k := w.outbox(t); p != 0 || k != 2 {
			t.Errorf("outbox: %d pending, %d parked; want 0 and 2", p, k)
		}
		parked, err := w.St.ParkedOps(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, op := range parked {
			if op.Device != old || op.State != app.OpParked || !strings.Contains(op.Reason, "un'altra postazione") {
				t.Errorf("parked %+v, want %s's operation with the hub's reason", op, old)
			}
		}
		if n, _ := h.DB.AuditCount(ctx, other.Profile.Device); n != 2 {
			t.Errorf("the operations behind the refused ones: %d of 2 applied", n)
		}
		if n, _ := h.DB.AuditCount(ctx, old); n != 0 {
			t.Errorf("%d operations applied for the old device", n)
		}
		if st := w.C.Status(); st.Parked != 2 || st.Pending != 0 {
			t.Errorf("status shows %d pending, %d parked", st.Pending, st.Parked)
		}
		// Parked operations are not sent again by the next round.
		h.SetFault(nil)
		if err := w.C.Round(ctx); err != nil {
			t.Fatal(err)
		}
		if n := len(h.Exchanges("/v1/ops")); n != 0 {
			t.Errorf("parked operations pushed again (%d pushes)", n)
		}
	})

	t.Run("Offline", func(t *testing.T) {
		h := newHub(t)
		h.replace("F205", milano())
		w := h.synced("F205")
		w.audit(t, 2)
		h.Stop()
		err := w.C.Round(ctx)
		wantCode(t, err, app.EOFFLINE)
		st := w.C.Status()
		if st.Online || st.Pending != 2 || st.LastError == "" {
			t.Errorf("status while the hub is down = %+v", st)
		}
		if p, _ := w.outbox(t); p != 2 {
			t.Errorf("%d operations pending, want 2", p)
		}
		// The counter goes on with its cache.
		if _, err := w.St.Citizen(ctx, milano()[0].CodiceFiscale); err != nil {
			t.Errorf("cache unusable offline: %v", err)
		}
		h.Start()
		if err := w.C.Round(ctx); err != nil {
			t.Fatal(err)
		}
		if st := w.C.Status(); !st.Online || st.Pending != 0 || st.LastError != "" {
			t.Errorf("status after the hub came back = %+v", st)
		}
		if n, _ := h.DB.AuditCount(ctx, w.Profile.Device); n != 2 {
			t.Errorf("hub holds %d audit events, want 2", n)
		}
	})

	t.Run("ClockSkew", func(t *testing.T) {
		// The workstation's clock is ten minutes behind the hub's: the
		// status bar can warn, and nothing is ordered by it.
		h := newHub(t)
		w := h.synced("F205")
		h.Clk.Advance(10 * time.Minute)
		if err := w.C.Round(ctx); err != nil {
			t.Fatal(err)
		}
		if skew := w.C.Status().ClockSkew; skew > -9*time.Minute || skew < -11*time.Minute {
			t.Errorf("clock skew %v, want about -10m", skew)
		}
	})

	t.Run("ErrOfflineBeforeEnrolment", func(t *testing.T) {
		h := newHub(t)
		code := h.code("F205", time.Hour)
		h.Stop()
		st := openStore(t)
		c := sync.New(st, options())
		_, err := c.Enroll(ctx, h.URL, code, "Sportello")
		wantCode(t, err, app.EOFFLINE)
		_, err = c.Network().Citizen(ctx, milano()[0].CodiceFiscale)
		wantCode(t, err, app.EOFFLINE)
		h.Start()
		if _, err := c.Enroll(ctx, h.URL, code, "Sportello"); err != nil {
			t.Fatalf("the code was spent by the failed attempt: %v", err)
		}
	})

	t.Run("Revoked", func(t *testing.T) {
		h := newHub(t)
		a, b, c := h.synced("F205"), h.synced("F205"), h.synced("H501")
		for _, w := range []*workstation{b, c} {
			dk, err := w.St.DeviceKey(ctx, a.Profile.Device)
			if err != nil || !dk.RevokedAt.IsZero() {
				t.Fatalf("before revocation %s sees %+v, %v", w.Profile.Device, dk, err)
			}
		}
		if err := h.DB.RevokeDevice(ctx, a.Profile.Device); err != nil {
			t.Fatal(err)
		}
		wantCode(t, a.C.Round(ctx), app.EUNAUTHORIZED)
		_, err := a.C.Network().Citizen(ctx, milano()[0].CodiceFiscale)
		wantCode(t, err, app.EUNAUTHORIZED)
		for _, w := range []*workstation{b, c} {
			if err := w.C.Round(ctx); err != nil {
				t.Fatal(err)
			}
			dk, err := w.St.DeviceKey(ctx, a.Profile.Device)
			if err != nil || dk.RevokedAt.IsZero() {
				t.Errorf("%s did not learn of %s's revocation: %+v, %v", w.Profile.Device, a.Profile.Device, dk, err)
			}
		}
	})

	t.Run("OperatorsLoginOffline", func(t *testing.T) {
		h := newHub(t)
		h.replace("F205", milano())
		// mrossi exists before the workstation does (snapshot), lbianchi
		// and gverdi are created after (change log).
		mustPutOperator(t, h, app.Operator{Username: "mrossi", Name: "Mario Rossi", Comune: "F205",
			Roles: []app.Role{app.RoleOperator, app.RoleSupervisor}, PasswordHash: mustHash(t, passwd.Default, "Corretto-Cavallo-42"), Active: true})
		mustPutOperator(t, h, app.Operator{Username: "rverdi", Name: "Rita Verdi", Comune: "H501",
			Roles: []app.Role{app.RoleOperator}, PasswordHash: mustHash(t, cheapHash, "Roma-1"), Active: true})
		w := h.synced("F205")
		mustPutOperator(t, h, app.Operator{Username: "lbianchi", Name: "Luisa Bianchi", Comune: "F205",
			Roles: []app.Role{app.RoleOperator}, PasswordHash: mustHash(t, cheapHash, "Segreto-2"), Active: true})
		mustPutOperator(t, h, app.Operator{Username: "gverdi", Name: "Gino Verdi", Comune: "F205",
			Roles: []app.Role{app.RoleOperator}, PasswordHash: mustHash(t, cheapHash, "Segreto-3"), Active: true})
		mustPutOperator(t, h, app.Operator{Username: "gverdi", Name: "Gino Verdi", Comune: "F205",
			Roles: []app.Role{app.RoleOperator}, PasswordHash: mustHash(t, cheapHash, "Segreto-3"), Active: false})
		if err := w.C.Round(ctx); err != nil {
			t.Fatal(err)
		}
		h.Stop()

		now := time.Now()
		login := func(user, pw string) (*app.Operator, error) {
			return app.Login(ctx, w.St, passwd.Verify, "F205", user, pw, now)
		}
		t.Run("FromSnapshot", func(t *testing.T) {
			op, err := login("mrossi", "Corretto-Cavallo-42")
			if err != nil {
				t.Fatal(err)
			}
			if op.Name != "Mario Rossi" || !op.Has(app.RoleSupervisor) {
				t.Errorf("logged in as %+v", op)
			}
		})
		t.Run("FromChanges", func(t *testing.T) {
			if _, err := login("lbianchi", "Segreto-2"); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("ErrWrongPassword", func(t *testing.T) {
			_, err := login("mrossi", "corretto-cavallo-42")
			wantCode(t, err, app.EUNAUTHORIZED)
		})
		t.Run("ErrDeactivated", func(t *testing.T) {
			_, err := login("gverdi", "Segreto-3")
			wantCode(t, err, app.EUNAUTHORIZED)
		})
		t.Run("ErrOtherComune", func(t *testing.T) {
			// Roma's accounts never reach Milano's workstations.
			_, err := login("rverdi", "Roma-1")
			wantCode(t, err, app.EUNAUTHORIZED)
		})
		t.Run("Lockout", func(t *testing.T) {
			for i := range app.MaxLoginFailures {
				_, err := login("lbianchi", fmt.Sprintf("sbagliata-%d", i))
				wantCode(t, err, app.EUNAUTHORIZED)
			}
			_, err := login("lbianchi", "Segreto-2")
			wantCode(t, err, app.ELOCKED)
			now = now.Add(app.LockoutDuration + time.Second)
			if _, err := login("lbianchi", "Segreto-2"); err != nil {
				t.Errorf("still locked after %v: %v", app.LockoutDuration, err)
			}
		})
	})

	t.Run("CrossComune", func(t *testing.T) {
		h := newHub(t)
		h.replace("F205", milano())
		h.replace("H501", roma())
		w := h.synced("F205")
		net := w.C.Network()
		deLuca := roma()[0]
		// Another comune's citizen is the act of an operator logged in at
		// this workstation, who says why: the client signs each read.
		signer(t, h, w, "mrossi")
		asClerk := app.WithReader(ctx, app.Reader{Operator: "mrossi", Purpose: app.PurposeCertificate,
			Sign: func(msg []byte) ([]byte, error) { return w.St.SignAs("mrossi", msg) }})

		t.Run("Search", func(t *testing.T) {
			// Another comune's citizen is found by an exact key only:
			// surname, name and birth date, or the whole codice fiscale.
			for _, text := range []string{"de luca mario 02/03/1970", deLuca.CodiceFiscale} {
				q, err := app.ParseQuery(text)
				if err != nil {
					t.Fatal(err)
				}
				found, err := net.SearchCitizens(asClerk, q, app.SearchLimit)
				if err != nil {
					t.Fatal(err)
				}
				if len(found) != 1 || found[0].CodiceFiscale != deLuca.CodiceFiscale || found[0].Comune != "H501" {
					t.Errorf("network search %q found %+v, want %s of H501", text, found, deLuca.CodiceFiscale)
				}
				// Without the operator's proof: the device's own comune only.
				if found, err := net.SearchCitizens(ctx, q, app.SearchLimit); err != nil || len(found) != 0 {
					t.Errorf("network search %q without a proof found %+v, %v; want nobody of another comune", text, found, err)
				}
			}
			q, _ := app.ParseQuery("de luca mario")
			if found, err := net.SearchCitizens(asClerk, q, app.SearchLimit); err != nil || len(found) != 0 {
				t.Errorf("network search by name alone found %+v, %v; want nobody of another comune", found, err)
			}
		})
		t.Run("Citizen", func(t *testing.T) {
			c, err := net.Citizen(asClerk, strings.ToLower(deLuca.CodiceFiscale))
			if err != nil {
				t.Fatal(err)
			}
			// The identity document, the kiosk's second factor, never
			// leaves the hub.
			want := deLuca
			want.DocumentNumber = ""
			if !sameCitizen(*c, want) {
				t.Errorf("citizen = %+v, want %+v", *c, want)
			}
			nobody := person("H501", "Neri", "Ugo", "M", app.Date(1980, 1, 1), "H501", "H501-9", app.RelationshipHead)
			_, err = net.Citizen(asClerk, nobody.CodiceFiscale)
			wantCode(t, err, app.ENOTFOUND)
			_, err = net.Citizen(ctx, deLuca.CodiceFiscale)
			wantCode(t, err, app.EFORBIDDEN)
		})
		t.Run("Family", func(t *testing.T) {
			// Another comune's sheet comes only by a member's codice
			// fiscale; a bare id is the workstation's own comune's.
			fam, err := net.FamilyOf(asClerk, &deLuca)
			if err != nil {
				t.Fatal(err)
			}
			if len(fam) != 3 || fam[0].CodiceFiscale != deLuca.CodiceFiscale {
				t.Errorf("family = %v, want the 3 De Luca, head first", fam)
			}
			if fam, err := net.Family(ctx, deLuca.FamilyID); err != nil || len(fam) != 0 {
				t.Errorf("bare id of Roma's family from Milano = %v, %v; want none", fam, err)
			}
		})
		t.Run("Counter", func(t *testing.T) {
			// The counter asks the operator why before it goes to the hub
			// for another comune's citizen, then shows Roma's citizen among
			// the remote results and opens the file from the hub; the hub
			// records the reads with the operator and the purpose.
			svc := &app.CounterService{Local: w.St, Network: net, Verify: passwd.Verify, Comune: "F205", Now: time.Now, SignAs: w.St.SignAs}
			op := &app.Operator{Username: "mrossi"}
			reads := func() int {
				r, err := h.DB.CitizenReads(ctx, deLuca.CodiceFiscale)
				if err != nil {
					t.Fatal(err)
				}
				return len(r)
			}
			before := reads()
			res, err := svc.Search(ctx, op, "De Luca Mario 2/3/1970")
			if err != nil || !errors.Is(res.NetworkErr, app.ErrPurposeNeeded) || len(res.Remote) != 0 {
				t.Fatalf("search before a purpose: %v, network %v, remote %+v; want ErrPurposeNeeded", err, res.NetworkErr, res.Remote)
			}
			if _, err := svc.OpenFile(ctx, op, deLuca.CodiceFiscale); !errors.Is(err, app.ErrPurposeNeeded) {
				t.Fatalf("file before a purpose: %v, want ErrPurposeNeeded", err)
			}
			if n := reads(); n != before {
				t.Fatalf("the hub recorded %d reads before the operator said why", n-before)
			}
			svc.SetPurpose(op, app.PurposeIdentity)
			res, err = svc.Search(ctx, op, "De Luca Mario 2/3/1970")
			if err != nil || res.NetworkErr != nil {
				t.Fatalf("search: %v, network %v", err, res.NetworkErr)
			}
			if len(res.Remote) != 1 || !res.Remote[0].Remote || res.Remote[0].ComuneName != "ROMA" {
				t.Errorf("remote results = %+v", res.Remote)
			}
			f, err := svc.OpenFile(ctx, op, deLuca.CodiceFiscale)
			if err != nil {
				t.Fatal(err)
			}
			if !f.Remote || len(f.Family) != 3 || f.ComuneName != "ROMA" {
				t.Errorf("file = remote %v, %d family members, comune %q", f.Remote, len(f.Family), f.ComuneName)
			}
			list, err := h.DB.Accesses(ctx, "H501", deLuca.CodiceFiscale)
			if err != nil {
				t.Fatal(err)
			}
			var hub []app.Access
			for _, a := range list {
				if a.Source == "hub" && a.At.After(time.Now().Add(-time.Minute)) && a.Purpose == app.PurposeIdentity {
					hub = append(hub, a)
				}
			}
			// search, file, family sheet: one read each, all of mrossi.
			if len(hub) != 3 {
				t.Fatalf("hub's reads = %+v, want 3 with the purpose", hub)
			}
			for _, a := range hub {
				if a.Operator != "mrossi" || a.Device != w.Profile.Device {
					t.Errorf("read recorded as %+v", a)
				}
			}
			// A citizen of the workstation's own comune: no question asked.
			svc.Logout("mrossi")
			if _, err := svc.OpenFile(ctx, op, milano()[0].CodiceFiscale); err != nil {
				t.Errorf("own citizen after logout of the purpose: %v", err)
			}
		})
		t.Run("ErrOffline", func(t *testing.T) {
			h.Stop()
			q, _ := app.ParseQuery("de luca")
			_, err := net.SearchCitizens(ctx, q, 10)
			wantCode(t, err, app.EOFFLINE)
			_, err = net.Citizen(ctx, deLuca.CodiceFiscale)
			wantCode(t, err, app.EOFFLINE)
			_, err = net.Family(ctx, deLuca.FamilyID)
			wantCode(t, err, app.EOFFLINE)
		})
	})

	t.Run("Protocol", func(t *testing.T) {
		h := newHub(t)
		for _, tc := range []struct {
			version string
			status  int
		}{
			{fmt.Sprint(wire.ProtocolVersion), http.StatusOK},
			{fmt.Sprint(wire.MinProtocolVersion), http.StatusOK},
			{"99", http.StatusBadRequest},
			{"0", http.StatusBadRequest},
			{"uno", http.StatusBadRequest},
		} {
			t.Run("Version"+tc.version, func(t *testing.T) {
				req, _ := http.NewRequest(http.MethodGet, h.URL+"/v1/health", nil)
				req.Header.Set(wire.HeaderProtocol, tc.version)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				if resp.StatusCode != tc.status {
					t.Fatalf("status %d, want %d", resp.StatusCode, tc.status)
				}
				if tc.status == http.StatusOK {
					return
				}
				var e wire.Error
				if err := json.NewDecoder(resp.Body).Decode(&e); err != nil {
					t.Fatal(err)
				}
				if e.Code != app.EINVALID || !strings.Contains(e.Message, "versione del protocollo") || !strings.Contains(e.Message, "aggiornare") {
					t.Errorf("answer %+v does not tell the operator to update", e)
				}
			})
		}
	})
}

func mustHash(t *testing.T, p passwd.Params, pw string) string {
	t.Helper()
	h, err := passwd.HashWith(p, pw)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// withKey gives op the signing key password unlocks, as costly as its hash.
func withKey(t *testing.T, op app.Operator, password string) app.Operator {
	t.Helper()
	var err error
	if op.KeyParams, op.PublicKey, err = passwd.NewKeyLike(op.PasswordHash, password); err != nil {
		t.Fatal(err)
	}
	return op
}

// signer makes username an operator of w's comune at the hub, with the
// roles, and holds the key its password unlocks on w, as after a login
// (without the login's audit event).
func signer(t *testing.T, h *testHub, w *workstation, username string, roles ...app.Role) {
	t.Helper()
	if len(roles) == 0 {
		roles = []app.Role{app.RoleOperator}
	}
	op := withKey(t, app.Operator{Username: username, Name: username, Comune: w.Profile.Comune, Roles: roles,
		PasswordHash: mustHash(t, cheapHash, "password-"+username), Active: true}, "password-"+username)
	mustPutOperator(t, h, op)
	key, err := passwd.DeriveKey(op.KeyParams, "password-"+username)
	if err != nil {
		t.Fatal(err)
	}
	w.St.HoldOperatorKey(username, key)
}

// loginAs logs username in on w as the counter's login does, which
// unlocks the operator's signing key for the session.
func loginAs(t *testing.T, w *workstation, username, password string) {
	t.Helper()
	cs := &app.CounterService{Local: w.St, Verify: passwd.Verify, Keys: w.St.OperatorKeys(passwd.DeriveKey), Comune: w.Profile.Comune, Now: time.Now}
	if _, err := cs.Login(context.Background(), username, password); err != nil {
		t.Fatalf("login of %s: %v", username, err)
	}
}

func mustPutOperator(t *testing.T, h *testHub, op app.Operator) {
	t.Helper()
	if err := h.DB.PutOperator(context.Background(), op); err != nil {
		t.Fatal(err)
	}
}
