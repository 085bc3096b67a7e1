package app_test

import (
	"crypto/ed25519"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
)

func TestKeyCertChain(t *testing.T) {
	rootPub, rootKey, _ := ed25519.GenerateKey(nil)
	comPub, comKey, _ := ed25519.GenerateKey(nil)
	devPub, _, _ := ed25519.GenerateKey(nil)
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	comCert := app.SignKeyCert(rootKey, app.IssuerRoot, app.ComuneSubject("I690"), comPub, at)
	devCert := app.SignKeyCert(comKey, app.ComuneSubject("I690"), app.DeviceSubject("I690-W001"), devPub, at)
	if err := comCert.Verify(rootPub); err != nil {
		t.Fatalf("comune cert: %v", err)
	}
	if err := devCert.Verify(comPub); err != nil {
		t.Fatalf("device cert: %v", err)
	}
	t.Run("ErrWrongIssuer", func(t *testing.T) {
		if err := devCert.Verify(rootPub); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("verified with the wrong key: %v", err)
		}
	})
	t.Run("ErrAlteredSubject", func(t *testing.T) {
		c := devCert
		c.Subject = app.DeviceSubject("I690-W002")
		if err := c.Verify(comPub); err == nil {
			t.Error("altered subject verified")
		}
	})
	t.Run("ErrAlteredKey", func(t *testing.T) {
		c := devCert
		c.PublicKey = append([]byte(nil), c.PublicKey...)
		c.PublicKey[0] ^= 1
		if err := c.Verify(comPub); err == nil {
			t.Error("altered key verified")
		}
	})
}
