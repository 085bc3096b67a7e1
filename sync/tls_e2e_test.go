package sync_test

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/hub"
	"github.com/sportello/sportello/internal/hubpin"
	"github.com/sportello/sportello/sync"
)

// tlsServer serves h over TLS on addr (127.0.0.1:0 for any port) with
// cert, counting the requests that reach the handler.
func tlsServer(t *testing.T, addr string, handler http.HandlerFunc, cert *tls.Certificate) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		handler(w, r)
	}))
	srv.Listener.Close()
	srv.Listener = ln
	// Certificates, not GetCertificate: httptest would add its own.
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{*cert}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, &n
}

// newCA makes a hub's own certification authority in a fresh data folder.
func newCA(t *testing.T) *hub.CA {
	t.Helper()
	ca, err := hub.LoadOrCreateCA(t.TempDir(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return ca
}

func serverCert(t *testing.T, ca *hub.CA, from time.Time, validity time.Duration) *tls.Certificate {
	t.Helper()
	c, err := ca.Issue(hub.ServerNames(nil, "127.0.0.1:0"), from, validity)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestTLSPinnedHub enrols and syncs over TLS with the hub's own CA pinned
// by the enrolment code, and attacks it: a wrong pin, a code without one,
// another hub at the same address, an expired certificate, plain HTTP to
// a host that is not this machine.
func TestTLSPinnedHub(t *testing.T) {
	ctx := context.Background()
	h := newHub(t)
	h.replace("F205", milano())
	ca := newCA(t)
	srv, _ := tlsServer(t, "127.0.0.1:0", h.serve, serverCert(t, ca, time.Now(), 24*time.Hour))
	url := srv.URL
	if !strings.HasPrefix(url, "https://127.0.0.1:") {
		t.Fatalf("hub URL %q", url)
	}

	// noProfile asserts that a refused enrolment stored nothing.
	noProfile := func(t *testing.T, c *sync.Client, st interface {
		Profile(context.Context) (*app.Profile, error)
	}) {
		t.Helper()
		if p, err := st.Profile(ctx); app.ErrorCode(err) != app.ENOTFOUND {
			t.Errorf("a refused enrolment stored a profile: %+v %v", p, err)
		}
	}

	t.Run("WrongPin", func(t *testing.T) {
		st := openStore(t)
		c := sync.New(st, options())
		code := h.code("F205", time.Hour)
		other := newCA(t)
		_, err := c.Enroll(ctx, url, hubpin.Join(code, other.Pin()), "Sportello")
		wantCode(t, err, app.EFORBIDDEN)
		if !strings.Contains(app.ErrorMessage(err), "non corrisponde all'impronta") {
			t.Errorf("message %q", app.ErrorMessage(err))
		}
		noProfile(t, c, st)
		// Nothing reached the hub: the same code still enrols, pinned right.
		if _, err := c.Enroll(ctx, url, hubpin.Join(code, ca.Pin()), "Sportello"); err != nil {
			t.Fatalf("the code was spent by a refused handshake: %v", err)
		}
	})

	t.Run("NoPinOwnCA", func(t *testing.T) {
		// A code without a pin trusts the machine's roots, where no hub's
		// own CA is.
		st := openStore(t)
		c := sync.New(st, options())
		_, err := c.Enroll(ctx, url, h.code("F205", time.Hour), "Sportello")
		wantCode(t, err, app.EFORBIDDEN)
		noProfile(t, c, st)
	})

	t.Run("BadCode", func(t *testing.T) {
		st := openStore(t)
		c := sync.New(st, options())
		_, err := c.Enroll(ctx, url, h.code("F205", time.Hour)+"-ABCD", "Sportello")
		wantCode(t, err, app.EINVALID)
		noProfile(t, c, st)
	})

	var w *workstation
	st := openStore(t) // the workstation's, for the subtests after this one
	t.Run("Pinned", func(t *testing.T) {
		c := sync.New(st, options())
		p, err := c.Enroll(ctx, url, hubpin.Join(h.code("F205", time.Hour), ca.Pin()), "Sportello")
		if err != nil {
			t.Fatal(err)
		}
		if p.HubPin != ca.Pin() || p.HubURL != url {
			t.Errorf("profile pin %q url %q, want %q %q", p.HubPin, p.HubURL, ca.Pin(), url)
		}
		// A fresh engine over the same store (the app restarted) reads
		// the pin from the profile.
		c = sync.New(st, options())
		if err := c.Round(ctx); err != nil {
			t.Fatalf("round over TLS: %v", err)
		}
		w = &workstation{St: st, C: c, Profile: p}
		assertMirrors(t, h, w)
	})
	if w == nil {
		t.FailNow()
	}

	t.Run("RenewedServerCertificate", func(t *testing.T) {
		// The hub makes a new server certificate (new key) from the same
		// CA: the pin holds.
		srv.Close()
		srv2, _ := tlsServer(t, srv.Listener.Addr().String(), h.serve, serverCert(t, ca, time.Now(), 24*time.Hour))
		t.Cleanup(srv2.Close)
		c := sync.New(w.St, options())
		if err := c.Round(ctx); err != nil {
			t.Fatalf("round after renewal: %v", err)
		}
		srv2.Close()
	})

	// refusedAt serves the hub's address with cert and asserts that the
	// workstation's round is refused saying want, with nothing sent.
	refusedAt := func(t *testing.T, cert *tls.Certificate, want string) {
		t.Helper()
		other, reached := tlsServer(t, srv.Listener.Addr().String(), h.serve, cert)
		defer other.Close()
		err := sync.New(w.St, options()).Round(ctx)
		wantCode(t, err, app.EFORBIDDEN)
		if !strings.Contains(app.ErrorMessage(err), want) {
			t.Errorf("message %q, want %q", app.ErrorMessage(err), want)
		}
		if n := reached.Load(); n != 0 {
			t.Errorf("%d requests were sent", n)
		}
	}
	t.Run("MITM", func(t *testing.T) {
		// Another machine takes the hub's address with a CA of its own,
		// and the hub's whole handler behind it (it would relay).
		w.audit(t, 1) // something to push: a token and personal data
		refusedAt(t, serverCert(t, newCA(t), time.Now(), 24*time.Hour), "impronta")
		if pending, _ := w.outbox(t); pending == 0 {
			t.Error("the audit event left the outbox")
		}
	})
	t.Run("Expired", func(t *testing.T) {
		refusedAt(t, serverCert(t, ca, time.Now().Add(-48*time.Hour), 24*time.Hour), "scaduto")
	})
}

// TestPlainHTTPOffLoopback: the client never speaks plain HTTP to a host
// that is not this machine: refused before any connection (the name does
// not resolve; the error is not "hub non raggiungibile").
func TestPlainHTTPOffLoopback(t *testing.T) {
	ctx := context.Background()
	h := newHub(t)
	for _, u := range []string{"http://hub.invalid:8450", "http://192.0.2.1:8450", "HTTP://hub.invalid"} {
		st := openStore(t)
		c := sync.New(st, options())
		start := time.Now()
		_, err := c.Enroll(ctx, u, h.code("F205", time.Hour), "Sportello")
		wantCode(t, err, app.EINVALID)
		if msg := app.ErrorMessage(err); !strings.Contains(msg, "https://") {
			t.Errorf("%s: message %q", u, msg)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s: refused after %s: a connection was attempted", u, d)
		}
		if _, err := st.Profile(ctx); app.ErrorCode(err) != app.ENOTFOUND {
			t.Errorf("%s: profile stored", u)
		}
	}
	// A profile that names such a hub (edited, or from an old version)
	// syncs nothing in clear either.
	w := h.enroll("F205")
	w.Profile.HubURL = "http://hub.invalid:8450"
	if err := w.St.SaveProfile(ctx, w.Profile); err != nil {
		t.Fatal(err)
	}
	wantCode(t, w.C.Round(ctx), app.EINVALID)
	// Loopback over HTTP (the embedded demo, old profiles) still works.
	for _, u := range []string{"http://localhost:1", "http://[::1]:1", "http://127.0.0.2:1"} {
		if !hubpin.Loopback(u) {
			t.Errorf("%s is loopback", u)
		}
	}
}
