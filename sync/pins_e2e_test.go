package sync_test

import (
	"context"
	"crypto/ed25519"
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/hub"
	"github.com/sportello/sportello/internal/hubpin"
	"github.com/sportello/sportello/sync"
	"github.com/sportello/sportello/sync/wire"
)

// TestPinRotation changes the hub's authority without enrolling the
// workstation again, over real TLS on loopback: the hub announces, signed
// by the network's root key, the new key beside the one in force; the
// workstation takes it at its next sync, and accepts both while the hub
// changes its certificate. An announcement not signed by the root key, or
// without the key in force, changes nothing; a key never announced is
// refused; once the old key is no longer announced it is refused too.
func TestPinRotation(t *testing.T) {
	ctx := context.Background()
	every := sync.PinsEvery
	sync.PinsEvery = 0 // ask at every round
	t.Cleanup(func() { sync.PinsEvery = every })

	h := newHub(t)
	h.replace("F205", milano())
	root, err := h.DB.RootKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var announced atomic.Pointer[wire.PinsResponse]
	h.handler = hub.NewServer(hub.Deps{DB: h.DB, Log: quiet, Now: h.Clk.Now, Pins: func() (*wire.PinsResponse, error) { return announced.Load(), nil }})
	announce := func(key ed25519.PrivateKey, pins ...string) {
		at := time.Now().UTC().Truncate(time.Second)
		announced.Store(&wire.PinsResponse{Pins: pins, At: wire.FormatTime(at), Signature: wire.B64(ed25519.Sign(key, hubpin.AnnouncementMessage(pins, at)))})
	}

	caA, caB, caC := newCA(t), newCA(t), newCA(t)
	certs := map[*hub.CA]*tls.Certificate{}
	for _, ca := range []*hub.CA{caA, caB, caC} {
		certs[ca] = serverCert(t, ca, time.Now(), 24*time.Hour)
	}
	var serving atomic.Pointer[tls.Certificate]
	serving.Store(certs[caA])
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(h.serve))
	srv.Listener.Close()
	srv.Listener = ln
	// The certificate of each handshake is the one being served now.
	srv.TLS = &tls.Config{GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) {
		return &tls.Config{Certificates: []tls.Certificate{*serving.Load()}}, nil
	}}
	srv.StartTLS()
	t.Cleanup(srv.Close)

	st := openStore(t)
	c := sync.New(st, options())
	if _, err := c.Enroll(ctx, srv.URL, hubpin.Join(h.code("F205", time.Hour), caA.Pin()), "Sportello"); err != nil {
		t.Fatal(err)
	}
	pins := func() string {
		t.Helper()
		p, err := st.Profile(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return p.HubPin
	}
	serve := func(ca *hub.CA) {
		serving.Store(certs[ca])
		srv.CloseClientConnections() // the next request shakes hands anew
	}
	round := func(t *testing.T) error {
		t.Helper()
		return c.Round(ctx)
	}
	if err := round(t); err != nil || pins() != caA.Pin() {
		t.Fatalf("first round: %v, pins %q", err, pins())
	}

	t.Run("ErrNotSignedByTheRoot", func(t *testing.T) {
		_, forger, _ := ed25519.GenerateKey(nil)
		announce(forger, caA.Pin(), caC.Pin())
		if err := round(t); err != nil || pins() != caA.Pin() {
			t.Errorf("round %v, pins %q: want the pin in force only", err, pins())
		}
	})
	t.Run("ErrWithoutThePinInForce", func(t *testing.T) {
		announce(root, caB.Pin())
		if err := round(t); err != nil || pins() != caA.Pin() {
			t.Errorf("round %v, pins %q: want the pin in force only", err, pins())
		}
	})
	t.Run("ChangeoverAnnounced", func(t *testing.T) {
		announce(root, caA.Pin(), caB.Pin())
		if err := round(t); err != nil || pins() != caA.Pin()+","+caB.Pin() {
			t.Fatalf("round %v, pins %q: want both", err, pins())
		}
		serve(caB) // the hub changes its authority
		if err := round(t); err != nil {
			t.Fatalf("round with the announced authority: %v", err)
		}
	})
	t.Run("ErrKeyNeverAnnounced", func(t *testing.T) {
		serve(caC)
		err := round(t)
		wantCode(t, err, app.EFORBIDDEN)
		serve(caB)
	})
	t.Run("OldKeyDropped", func(t *testing.T) {
		announce(root, caB.Pin())
		if err := round(t); err != nil || pins() != caB.Pin() {
			t.Fatalf("round %v, pins %q: want the new pin alone", err, pins())
		}
		serve(caA)
		wantCode(t, round(t), app.EFORBIDDEN)
		serve(caB)
		if err := round(t); err != nil {
			t.Errorf("round with the new authority: %v", err)
		}
	})
}
