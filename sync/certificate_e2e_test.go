package sync_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/passwd"
	"github.com/sportello/sportello/printing"
)

// counterOf is the counter's use cases over a workstation: its file
// lookups and its certificates, with online decided by the test.
func counterOf(w *workstation, online *bool) (*app.CounterService, *certificate.Service) {
	cs := &app.CounterService{Local: w.St, Network: w.C.Network(), Verify: passwd.Verify, Comune: w.Profile.Comune, Now: time.Now}
	svc := &certificate.Service{
		Store: w.St, Profile: w.St.Profile, Index: cs.Index,
		Render: func(c *certificate.Certificate, stamp string, fees certificate.ComuneFees) ([]byte, error) {
			return printing.CertificatePDF(c, printing.Options{Stamp: stamp, Fees: fees})
		},
		Online: func() bool { return *online },
		Now:    time.Now,
	}
	return cs, svc
}

var clerk = &app.Operator{Username: "mrossi", Name: "Maria Rossi", Comune: "F205", Roles: []app.Role{app.RoleOperator}, Active: true}

func issue(t *testing.T, cs *app.CounterService, svc *certificate.Service, code, typ string) *certificate.Issued {
	t.Helper()
	ctx := context.Background()
	file, err := cs.OpenFile(ctx, clerk, code)
	if err != nil {
		t.Fatal(err)
	}
	is, pdf, err := svc.Issue(ctx, clerk, file, certificate.IssueRequest{Type: typ, Use: "uso privato", Marca: "01234567890123"})
	if err != nil {
		t.Fatalf("issue %s for %s: %v", typ, code, err)
	}
	if !strings.HasPrefix(string(pdf), "%PDF") {
		t.Fatalf("issue returned no PDF")
	}
	return is
}

func stored(t *testing.T, w *workstation, number string) *certificate.Issued {
	t.Helper()
	is, err := w.St.Certificate(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	return is
}

// TestCertificatesThroughTheHub follows certificates from the counter to
// the hub: the hub records each once, verifies its stamp, and flags one
// issued offline when the record changed after the cached data.
func TestCertificatesThroughTheHub(t *testing.T) {
	ctx := context.Background()
	people := milano()
	rossi, bianchi := people[0], people[3]

	h := newHub(t)
	h.replace("F205", people)
	w := h.synced("F205")
	online := true
	cs, svc := counterOf(w, &online)

	t.Run("OnlineRecordedOnce", func(t *testing.T) {
		is := issue(t, cs, svc, rossi.CodiceFiscale, certificate.SlugResidenza)
		if is.Certificate.Offline {
			t.Fatal("issued online, marked offline")
		}
		if is.DataSeq == 0 {
			t.Fatal("a certificate from the cache carries no change-log position")
		}
		if err := w.C.Round(ctx); err != nil {
			t.Fatal(err)
		}
		got := stored(t, w, is.Certificate.Number.String())
		if !got.Synced || got.Flag != "" {
			t.Fatalf("after sync: synced %v, flag %q; want synced, no flag", got.Synced, got.Flag)
		}
		rec, err := h.DB.IssuedCertificate(ctx, is.Certificate.Number.String())
		if err != nil {
			t.Fatal(err)
		}
		if rec.Device != w.Profile.Device || rec.Flag != "" {
			t.Fatalf("hub recorded %+v", rec)
		}
		// Sent again (an answer lost on the way back): the stored result.
		if err := w.C.Round(ctx); err != nil {
			t.Fatal(err)
		}
		if p, k := w.outbox(t); p != 0 || k != 0 {
			t.Fatalf("outbox pending %d parked %d", p, k)
		}
	})

	t.Run("OfflineThenChangedIsFlagged", func(t *testing.T) {
		online = false
		h.Stop()
		changed := issue(t, cs, svc, rossi.CodiceFiscale, certificate.SlugStatoDiFamiglia)
		same := issue(t, cs, svc, bianchi.CodiceFiscale, certificate.SlugResidenza)
		for _, is := range []*certificate.Issued{changed, same} {
			if !is.Certificate.Offline {
				t.Fatalf("certificate %s issued with the hub down is not marked offline", is.Certificate.Number)
			}
		}
		if err := w.C.Round(ctx); err == nil {
			t.Fatal("round with the hub down succeeded")
		}
		if p, _ := w.outbox(t); p == 0 {
			t.Fatal("offline certificates are not waiting in the outbox")
		}
		// Meanwhile the comune records that Rossi moved.
		moved := append([]app.Citizen(nil), people...)
		moved[0].Address = app.Address{Street: "Via Roma", HouseNumber: "1", Postcode: "20121"}
		h.Start()
		h.replace("F205", moved)
		online = true
		if err := w.C.Round(ctx); err != nil {
			t.Fatal(err)
		}
		if f := stored(t, w, changed.Certificate.Number.String()).Flag; !strings.Contains(f, "cambiati") {
			t.Fatalf("certificate of a record changed after its data: flag %q", f)
		}
		if f := stored(t, w, same.Certificate.Number.String()).Flag; f != "" {
			t.Fatalf("certificate of an unchanged record flagged: %q", f)
		}
		list, err := w.St.Flagged(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].Certificate.Number != changed.Certificate.Number {
			t.Fatalf("worklist = %d certificates, want only %s", len(list), changed.Certificate.Number)
		}
		rec, err := h.DB.IssuedCertificate(ctx, changed.Certificate.Number.String())
		if err != nil || rec.Flag == "" {
			t.Fatalf("hub record of the flagged certificate: %+v, %v", rec, err)
		}
	})

	t.Run("OtherComuneFromTheHub", func(t *testing.T) {
		h.replace("H501", roma())
		deLuca := roma()[0]
		// Another comune's citizen is read as the clerk's act: logged in
		// with the password, having said why.
		signer(t, h, w, clerk.Username)
		cs.SignAs = w.St.SignAs
		cs.SetPurpose(clerk, app.PurposeCertificate)
		is := issue(t, cs, svc, deLuca.CodiceFiscale, certificate.SlugResidenza)
		c := is.Certificate
		if c.ComuneCode != "H501" || c.ComuneName != "ROMA" || is.DataSeq != 0 || c.Offline {
			t.Fatalf("certificate of a citizen of Roma issued in Milano: comune %s %q, data seq %d, offline %v", c.ComuneCode, c.ComuneName, is.DataSeq, c.Offline)
		}
		if c.Number.Comune != "F205" {
			t.Fatalf("numbered by %s, not by the issuing workstation", c.Number.Comune)
		}
		if err := w.C.Round(ctx); err != nil {
			t.Fatal(err)
		}
		if got := stored(t, w, c.Number.String()); !got.Synced || got.Flag != "" {
			t.Fatalf("after sync: %+v", got)
		}
		// Offline, another comune's citizen is out of reach.
		h.Stop()
		defer h.Start()
		if _, err := cs.OpenFile(ctx, clerk, roma()[1].CodiceFiscale); app.ErrorCode(err) != app.EOFFLINE {
			t.Fatalf("offline file of another comune: %v, want EOFFLINE", err)
		}
	})

	t.Run("RevokedWhileOffline", func(t *testing.T) {
		// A workstation stolen and revoked at the hub, cut off before it
		// heard of it: it still issues, but no verifier that synced the
		// revocation accepts what it signed.
		w2 := h.synced("F205")
		online2 := false
		cs2, svc2 := counterOf(w2, &online2)
		if err := h.DB.RevokeDevice(ctx, w2.Profile.Device); err != nil {
			t.Fatal(err)
		}
		h.Stop()
		stolen := issue(t, cs2, svc2, bianchi.CodiceFiscale, certificate.SlugResidenza)
		h.Start()
		if err := w.C.Round(ctx); err != nil && app.ErrorCode(err) != app.ECONFLICT {
			t.Fatal(err)
		}
		revoked := func(device string) (time.Time, bool) {
			d, err := w.St.DeviceKey(ctx, device)
			if err != nil || d.RevokedAt.IsZero() {
				return time.Time{}, false
			}
			return d.RevokedAt, true
		}
		_, err := certificate.Verify(stolen.Stamp, w.Profile.RootKey, revoked, time.Now())
		if certificate.ReasonOf(err) != certificate.Revoked {
			t.Fatalf("verify a certificate signed after the revocation: %v", err)
		}
		// The stolen workstation learns it at its next round, and stops.
		if err := w2.C.Round(ctx); app.ErrorCode(err) != app.EUNAUTHORIZED {
			t.Fatalf("round of a revoked workstation: %v", err)
		}
		file, err := cs2.OpenFile(ctx, clerk, bianchi.CodiceFiscale)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc2.Issue(ctx, clerk, file, certificate.IssueRequest{Type: certificate.SlugResidenza, Marca: "01234567890123"}); app.ErrorCode(err) != app.EFORBIDDEN {
			t.Fatalf("issue at a refused workstation: %v, want EFORBIDDEN", err)
		}
	})

	t.Run("ForgedIsParkedNotBlocking", func(t *testing.T) {
		// A stamp signed by a key the network never certified, stored as if
		// issued here: the hub refuses it; what follows still goes through.
		file, err := cs.OpenFile(ctx, clerk, bianchi.CodiceFiscale)
		if err != nil {
			t.Fatal(err)
		}
		_, rogue, _ := ed25519.GenerateKey(rand.Reader)
		rogueCert := app.SignKeyCert(rogue, app.ComuneSubject("F205"), app.DeviceSubject(w.Profile.Device), rogue.Public().(ed25519.PublicKey), time.Now().Add(-time.Hour))
		rogueCom := app.SignKeyCert(rogue, app.IssuerRoot, app.ComuneSubject("F205"), rogue.Public().(ed25519.PublicKey), time.Now().Add(-time.Hour))
		err = w.St.IssueCertificate(ctx, time.Now().In(time.Local).Year(), "mrossi", func(seq int64) (*certificate.Issued, error) {
			n, err := certificate.NewNumber(w.Profile.Device, time.Now().In(time.Local).Year(), seq)
			if err != nil {
				return nil, err
			}
			residenza, err := certificate.TypeBySlug(certificate.SlugResidenza)
			if err != nil {
				return nil, err
			}
			c, err := certificate.New(residenza, file, nil, certificate.Request{Number: n, Bollo: certificate.Bollo{Marca: "01234567890124"},
				IssuedAt: time.Now(), Operator: "mrossi"})
			if err != nil {
				return nil, err
			}
			s, err := certificate.Sign(c.Facts(), rogue, rogueCert, rogueCom)
			if err != nil {
				return nil, err
			}
			return &certificate.Issued{Certificate: *c, Stamp: certificate.URL(w.Profile.HubURL, s), DataSeq: file.DataSeq}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		good := issue(t, cs, svc, bianchi.CodiceFiscale, certificate.SlugResidenza)
		if err := w.C.Round(ctx); err != nil && app.ErrorCode(err) != app.ECONFLICT {
			t.Fatal(err)
		}
		parked, err := w.St.ParkedOps(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(parked) != 1 || parked[0].Kind != app.OpCertificate || !strings.Contains(parked[0].Reason, "rifiutato") {
			t.Fatalf("parked = %+v, want the forged certificate with the hub's reason", parked)
		}
		if !stored(t, w, good.Certificate.Number.String()).Synced {
			t.Fatal("the certificate after the forged one did not reach the hub")
		}
	})
}
