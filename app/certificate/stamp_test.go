package certificate_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
)

const hubBase = "https://pes.comuneamico.net"

// facts are those of a residence certificate of the test person.
func facts(tb testing.TB) certificate.Facts {
	tb.Helper()
	return issue(tb, mustType(tb, certificate.SlugResidenza), file(tb, person(tb)), 123).Facts()
}

func TestStamp(t *testing.T) {
	f := facts(t)
	stamp := network.sign(t, f)

	t.Run("Verifies", func(t *testing.T) {
		got, err := certificate.Verify(stamp, network.rootPub, noRevocations, now)
		if err != nil {
			t.Fatal(err)
		}
		if *got != f {
			t.Errorf("got %+v\nwant %+v", *got, f)
		}
	})
	t.Run("URL", func(t *testing.T) {
		u := certificate.URL(hubBase+"/", stamp)
		if u != hubBase+"/verifica?c="+stamp {
			t.Errorf("URL %s", u)
		}
		for _, s := range []string{u, "  " + u + "\n", hubBase + "/verifica?lang=it&c=" + stamp} {
			if _, err := certificate.Verify(s, network.rootPub, nil, now); err != nil {
				t.Errorf("%.60s…: %v", s, err)
			}
		}
	})
	t.Run("Size", func(t *testing.T) {
		// The QR code goes on an A4 page beside the text: under 700
		// characters it is a version 20 code at level M, ~4 cm wide at a
		// module a phone reads.
		u := certificate.URL(hubBase, stamp)
		t.Logf("stamp %d characters, URL %d characters", len(stamp), len(u))
		if len(u) >= 700 {
			t.Errorf("URL of %d characters, target < 700", len(u))
		}
		long := f
		long.Surname = strings.Repeat("À", 100)
		long.GivenName = strings.Repeat("È", 100)
		ls := network.sign(t, long)
		t.Logf("with the longest names allowed: stamp %d characters", len(ls))
	})
	t.Run("ErrTamperedFactsByte", func(t *testing.T) {
		// Flip each bit of every byte of the facts in turn: nothing but the
		// signed bytes verifies.
		parts := strings.Split(stamp, ".")
		raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
		for i := range raw {
			for bit := range 8 {
				alt := append([]byte(nil), raw...)
				alt[i] ^= 1 << bit
				parts := append([]string(nil), parts...)
				parts[1] = base64.RawURLEncoding.EncodeToString(alt)
				_, err := certificate.Verify(strings.Join(parts, "."), network.rootPub, nil, now)
				if r := certificate.ReasonOf(err); r != certificate.Forged && r != certificate.Malformed {
					t.Fatalf("byte %d bit %d: %v (reason %q)", i, bit, err, r)
				}
			}
		}
	})
	t.Run("ErrTamperedDigest", func(t *testing.T) {
		alt := f
		alt.Digest[0] ^= 1
		forged := strings.Split(network.sign(t, alt), ".")
		parts := strings.Split(stamp, ".")
		parts[1] = forged[1] // the facts of one certificate, the signature of another
		_, err := certificate.Verify(strings.Join(parts, "."), network.rootPub, nil, now)
		if certificate.ReasonOf(err) != certificate.Forged {
			t.Errorf("got %v", err)
		}
	})
	t.Run("ErrSwappedSignature", func(t *testing.T) {
		other := f
		other.Number.Seq++
		parts := strings.Split(stamp, ".")
		parts[3] = strings.Split(network.sign(t, other), ".")[3]
		_, err := certificate.Verify(strings.Join(parts, "."), network.rootPub, nil, now)
		if certificate.ReasonOf(err) != certificate.Forged || !strings.Contains(app.ErrorMessage(err), "alterato o contraffatto") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("ErrOtherRoot", func(t *testing.T) {
		other := newPKI(key(2), "I690", "I690-W001", 20)
		_, err := certificate.Verify(other.sign(t, f), network.rootPub, nil, now)
		if certificate.ReasonOf(err) != certificate.Untrusted || !strings.Contains(app.ErrorMessage(err), "comune I690 non è certificata") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("ErrOtherComuneSignsDevice", func(t *testing.T) {
		// Milano's key, certified by the network, certifies a workstation
		// "I690-W001": the chain names comune:I690, whose key Milano's is
		// not.
		milano := newPKI(network.rootKey, "F205", "F205-W001", 30)
		dev := key(40)
		fake := &pki{rootPub: network.rootPub, devKey: dev,
			comCert: app.KeyCert{Subject: app.ComuneSubject("I690"), Issuer: app.IssuerRoot, PublicKey: milano.comCert.PublicKey, NotBefore: milano.comCert.NotBefore, Signature: milano.comCert.Signature},
			devCert: app.SignKeyCert(milano.comKey, app.ComuneSubject("I690"), app.DeviceSubject("I690-W001"), dev.Public().(ed25519.PublicKey), keysCertifiedAt),
		}
		_, err := certificate.Verify(fake.sign(t, f), network.rootPub, nil, now)
		if certificate.ReasonOf(err) != certificate.Untrusted {
			t.Errorf("got %v", err)
		}
		// Nor does I690's real comune certificate lend it trust.
		fake.comCert = network.comCert
		_, err = certificate.Verify(fake.sign(t, f), network.rootPub, nil, now)
		if certificate.ReasonOf(err) != certificate.Untrusted || !strings.Contains(app.ErrorMessage(err), "postazione I690-W001 non è certificata") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("AnotherComuneIssuesForItsCitizen", func(t *testing.T) {
		// A Milano workstation issues, through the hub, a certificate in
		// the name of Sesto San Giovanni (issue 3, "any comune of the
		// network"): the number is Milano's, the comune Sesto's.
		milano := newPKI(network.rootKey, "F205", "F205-W001", 30)
		g := f
		g.Number.Comune = "F205"
		got, err := certificate.Verify(milano.sign(t, g), network.rootPub, nil, now)
		if err != nil || got.Comune != "I690" || got.Number.DeviceID() != "F205-W001" {
			t.Errorf("got %+v, %v", got, err)
		}
	})
	t.Run("RevokedAfterIssue", func(t *testing.T) {
		revoked := func(device string) (time.Time, bool) { return f.IssuedAt.Add(time.Hour), device == "I690-W001" }
		if _, err := certificate.Verify(stamp, network.rootPub, revoked, now.Add(48*time.Hour)); err != nil {
			t.Errorf("a certificate issued before the revocation: %v", err)
		}
	})
	for _, tc := range []struct {
		name string
		at   time.Duration
	}{{"ErrRevokedBeforeIssue", -time.Hour}, {"ErrRevokedAtIssue", 0}} {
		t.Run(tc.name, func(t *testing.T) {
			revoked := func(device string) (time.Time, bool) { return f.IssuedAt.Add(tc.at), device == "I690-W001" }
			got, err := certificate.Verify(stamp, network.rootPub, revoked, now)
			if certificate.ReasonOf(err) != certificate.Revoked || got != nil || !strings.Contains(app.ErrorMessage(err), "revocata") {
				t.Errorf("got %v, %v", got, err)
			}
		})
	}
	t.Run("ValidOnLastDay", func(t *testing.T) {
		last := time.Date(2027, 5, 23, 23, 59, 59, 0, time.FixedZone("CEST", 2*3600))
		if _, err := certificate.Verify(stamp, network.rootPub, nil, last); err != nil {
			t.Errorf("on its last day: %v", err)
		}
	})
	t.Run("ErrExpired", func(t *testing.T) {
		next := time.Date(2027, 5, 24, 0, 0, 0, 0, time.FixedZone("CEST", 2*3600))
		got, err := certificate.Verify(stamp, network.rootPub, nil, next)
		if certificate.ReasonOf(err) != certificate.Expired || !strings.Contains(app.ErrorMessage(err), "scaduto") {
			t.Fatalf("got %v", err)
		}
		if got == nil || *got != f {
			t.Errorf("an expired certificate's facts are authentic and shown: got %v", got)
		}
	})
	t.Run("BirthNeverExpires", func(t *testing.T) {
		g := issue(t, mustType(t, certificate.SlugNascita), file(t, person(t)), 124).Facts()
		if _, err := certificate.Verify(network.sign(t, g), network.rootPub, nil, now.AddDate(30, 0, 0)); err != nil {
			t.Errorf("got %v", err)
		}
	})
	t.Run("ErrIssuedBeforeKey", func(t *testing.T) {
		g := f
		g.IssuedAt = keysCertifiedAt.Add(-2 * time.Hour)
		g.AsOf = g.IssuedAt
		_, err := certificate.Verify(network.sign(t, g), network.rootPub, nil, now)
		if certificate.ReasonOf(err) != certificate.Untrusted {
			t.Errorf("got %v", err)
		}
	})
	t.Run("ErrIssuedInTheFuture", func(t *testing.T) {
		_, err := certificate.Verify(stamp, network.rootPub, nil, f.IssuedAt.Add(-25*time.Hour))
		if certificate.ReasonOf(err) != certificate.Untrusted {
			t.Errorf("got %v", err)
		}
	})
	t.Run("ErrorIsDomainError", func(t *testing.T) {
		_, err := certificate.Verify(stamp, network.rootPub, nil, now.AddDate(1, 0, 0))
		if app.ErrorCode(err) != app.EINVALID || app.ErrorMessage(err) != err.Error() {
			t.Errorf("code %q message %q", app.ErrorCode(err), app.ErrorMessage(err))
		}
	})

	parts := strings.Split(stamp, ".")
	for _, tc := range []struct{ name, s string }{
		{"ErrEmpty", ""},
		{"ErrNotAStamp", "https://example.com/"},
		{"ErrURLWithoutStamp", hubBase + "/verifica?x=" + stamp},
		{"ErrOtherVersion", "SPT2." + strings.Join(parts[1:], ".")},
		{"ErrMissingPart", strings.Join(parts[:3], ".")},
		{"ErrExtraPart", stamp + ".AAAA"},
		{"ErrPadding", parts[0] + "." + parts[1] + "=." + parts[2] + "." + parts[3]},
		{"ErrStdBase64", strings.NewReplacer("-", "+", "_", "/").Replace(stamp)},
		{"ErrShortSignature", parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[3][:40]},
		{"ErrTrailingChainByte", parts[0] + "." + parts[1] + "." + parts[2] + "AA." + parts[3]},
		{"ErrTooLong", stamp + strings.Repeat("A", 5000)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := certificate.Verify(tc.s, network.rootPub, nil, now)
			if certificate.ReasonOf(err) != certificate.Malformed || got != nil {
				t.Errorf("got %v, %v", got, err)
			}
		})
	}
}

func TestSign(t *testing.T) {
	f := facts(t)
	milano := newPKI(network.rootKey, "F205", "F205-W001", 30)
	for _, tc := range []struct {
		name       string
		f          func(certificate.Facts) certificate.Facts
		key        func() ed25519.PrivateKey
		dev, comun app.KeyCert
	}{
		{"ErrCertOfAnotherDevice", nil, nil, milano.devCert, network.comCert},
		{"ErrCertOfAnotherComune", nil, nil, network.devCert, milano.comCert},
		{"ErrKeyNotTheCertified", nil, func() ed25519.PrivateKey { return milano.devKey }, network.devCert, network.comCert},
		{"ErrBadMarca", func(f certificate.Facts) certificate.Facts { f.Marca = "123"; return f }, nil, network.devCert, network.comCert},
		{"ErrAsOfAfterIssue", func(f certificate.Facts) certificate.Facts { f.AsOf = f.IssuedAt.Add(time.Second); return f }, nil, network.devCert, network.comCert},
		{"ErrResidenzaWithoutBollo", func(f certificate.Facts) certificate.Facts { f.Marca, f.ExemptionID = "", 0; return f }, nil, network.devCert, network.comCert},
		{"ErrUnknownType", func(f certificate.Facts) certificate.Facts { f.Type = 21; return f }, nil, network.devCert, network.comCert},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, k := f, network.devKey
			if tc.f != nil {
				g = tc.f(g)
			}
			if tc.key != nil {
				k = tc.key()
			}
			if s, err := certificate.Sign(g, k, tc.dev, tc.comun); err == nil {
				t.Errorf("signed %s", s)
			}
		})
	}
}

func BenchmarkSign(b *testing.B) {
	f := facts(b)
	for b.Loop() {
		if _, err := certificate.Sign(f, network.devKey, network.devCert, network.comCert); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	s := network.sign(b, facts(b))
	for b.Loop() {
		if _, err := certificate.Verify(s, network.rootPub, noRevocations, now); err != nil {
			b.Fatal(err)
		}
	}
}
