// Package hubpin is how a workstation knows its hub: the fingerprint of the
// hub's TLS key (the key of the hub's own certification authority, or of
// the comune's certificate it serves) that the enrolment code carries, and
// the check of every TLS connection against it. The hub prints the code;
// the workstation keeps the fingerprint in its profile.
package hubpin

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base32"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
)

// Size is how many bytes of the SHA-256 of a SubjectPublicKeyInfo a pin
// keeps: 120 bits, 24 base32 characters, far beyond a search for a key
// whose hash begins the same way.
const Size = 15

// CodeLen is the length of the one-time part of an enrolment code, in
// base32 characters without dashes.
const CodeLen = 16

// PinLen is the length of a pin in base32 characters.
const PinLen = 24

var enc = base32.StdEncoding.WithPadding(base32.NoPadding)

// Of returns the pin of a certificate: its public key's fingerprint.
func Of(cert *x509.Certificate) string {
	h := sha256.Sum256(cert.RawSubjectPublicKeyInfo)
	return enc.EncodeToString(h[:Size])
}

// group writes s in groups of four characters joined by dashes, the way
// an enrolment code is read out and typed.
func group(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i += 4 {
		if i > 0 {
			b.WriteByte('-')
		}
		b.WriteString(s[i:min(i+4, len(s))])
	}
	return b.String()
}

// Join is the enrolment code that carries the pin: the one-time code's
// four groups and the pin's six.
func Join(code, pin string) string {
	if pin == "" {
		return code
	}
	return code + "-" + group(pin)
}

// Split separates what an operator typed into the one-time code (as the
// hub issued it, in groups) and the pin, empty when the code carries none.
func Split(typed string) (code, pin string, err error) {
	s := strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(typed))
	switch len(s) {
	case CodeLen:
	case CodeLen + PinLen:
		pin = s[CodeLen:]
		if _, err := enc.DecodeString(pin); err != nil {
			return "", "", fmt.Errorf("codice di attivazione non valido: l'impronta dell'hub contiene caratteri non ammessi")
		}
	default:
		return "", "", fmt.Errorf("codice di attivazione non valido: %d caratteri invece di %d (o %d con l'impronta dell'hub)", len(s), CodeLen, CodeLen+PinLen)
	}
	return group(s[:CodeLen]), pin, nil
}

// Loopback tells whether rawURL names this machine (localhost or a
// loopback address), the one place where plain HTTP carries nothing across
// a network.
func Loopback(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ErrMismatch is the answer to a hub whose certificates do not carry the
// pinned key: another machine at the hub's address, or the hub's
// certificate changed without a new enrolment.
var ErrMismatch = errors.New("il certificato dell'hub non corrisponde all'impronta del codice di attivazione: collegamento rifiutato (un'altra macchina risponde all'indirizzo dell'hub?)")

// ErrExpired is the answer to a certificate out of its validity.
var ErrExpired = errors.New("il certificato dell'hub è scaduto o non ancora valido: collegamento rifiutato")

// ErrInvalid is the answer to a server certificate that the pinned
// authority did not sign for the hub's address.
var ErrInvalid = errors.New("il certificato dell'hub non è valido per questo indirizzo: collegamento rifiutato")

// Verify checks a TLS connection's certificates against pins, at now:
// the pin of the enrolment code, or any of those the hub announced since
// (List), so that a workstation accepts both keys during a changeover.
// For one pin, the pinned key must be the server's own certificate's, or
// that of a certification authority in the chain the server sent, which
// must then have signed the server's certificate for host. Either way
// every certificate of the path must be within its validity.
func Verify(pins string, cs tls.ConnectionState, now time.Time) error {
	err := ErrMismatch
	for _, pin := range List(pins) {
		e := verify(pin, cs, now)
		if e == nil {
			return nil
		}
		if !errors.Is(e, ErrMismatch) {
			err = e // a pinned key that served a bad certificate says more
		}
	}
	return err
}

func verify(pin string, cs tls.ConnectionState, now time.Time) error {
	certs := cs.PeerCertificates
	if len(certs) == 0 {
		return ErrMismatch
	}
	leaf := certs[0]
	if Of(leaf) == pin {
		if now.Before(leaf.NotBefore) || now.After(leaf.NotAfter) {
			return expired(leaf, now)
		}
		return nil
	}
	for _, ca := range certs[1:] {
		if Of(ca) != pin {
			continue
		}
		roots := x509.NewCertPool()
		roots.AddCert(ca)
		inter := x509.NewCertPool()
		for _, c := range certs[1:] {
			if c != ca {
				inter.AddCert(c)
			}
		}
		_, err := leaf.Verify(x509.VerifyOptions{DNSName: cs.ServerName, Roots: roots, Intermediates: inter, CurrentTime: now})
		var inv x509.CertificateInvalidError
		if errors.As(err, &inv) && inv.Reason == x509.Expired {
			return expired(inv.Cert, now)
		}
		if err != nil {
			return fmt.Errorf("%w (%s: %v)", ErrInvalid, cs.ServerName, err)
		}
		return nil
	}
	return ErrMismatch
}

func expired(c *x509.Certificate, now time.Time) error {
	return fmt.Errorf("%w (valido dal %s al %s, oggi %s)", ErrExpired,
		c.NotBefore.Format("02/01/2006"), c.NotAfter.Format("02/01/2006"), now.Format("02/01/2006"))
}

// Config is the TLS configuration of a client that trusts the hub by its
// pin alone, not by the machine's roots; pin returns the pin in force, now
// the time. A connection the pin refuses fails its handshake.
func Config(pin func() string, now func() time.Time) *tls.Config {
	return &tls.Config{
		MinVersion: tls.VersionTLS12,
		// The chain is checked by VerifyConnection against the pin, not
		// against the machine's roots: a hub's own CA is in no root store.
		InsecureSkipVerify: true, //nolint:gosec
		VerifyConnection: func(cs tls.ConnectionState) error {
			p := pin()
			if p == "" {
				return verifySystem(cs, now())
			}
			return Verify(p, cs, now())
		},
	}
}

// verifySystem is the ordinary check against the machine's roots, for a
// hub enrolled without a pin (behind a reverse proxy with a public
// certificate, before pins existed).
func verifySystem(cs tls.ConnectionState, now time.Time) error {
	if len(cs.PeerCertificates) == 0 {
		return ErrMismatch
	}
	inter := x509.NewCertPool()
	for _, c := range cs.PeerCertificates[1:] {
		inter.AddCert(c)
	}
	_, err := cs.PeerCertificates[0].Verify(x509.VerifyOptions{DNSName: cs.ServerName, Intermediates: inter, CurrentTime: now})
	return err
}
