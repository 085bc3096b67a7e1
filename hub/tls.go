package hub

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/sportello/sportello/internal/hubpin"
)

// The hub's own certification authority, for a network that has none: made
// once in the hub's data folder (tls/ca.pem, its key tls/ca-key.pem, 0600),
// it signs the hub's server certificate for the names it answers to and
// signs it again before it expires. Workstations pin the CA's key, so a
// new server certificate needs no new enrolment.
const (
	caValidity     = 20 * 365 * 24 * time.Hour
	serverValidity = 90 * 24 * time.Hour
	// renewBefore is how long before its expiry the server certificate
	// is made again.
	renewBefore = 30 * 24 * time.Hour
)

// CA is the hub's own certification authority.
type CA struct {
	Cert *x509.Certificate
	key  crypto.Signer
}

// Pin is the fingerprint of the CA's key, which enrolment codes carry.
func (ca *CA) Pin() string { return hubpin.Of(ca.Cert) }

// LoadOrCreateCA reads the CA of the data folder dir, making it (and the
// folder tls/, 0700) the first time.
func LoadOrCreateCA(dir string, now time.Time) (*CA, error) {
	tlsDir := filepath.Join(dir, "tls")
	certFile, keyFile := filepath.Join(tlsDir, "ca.pem"), filepath.Join(tlsDir, "ca-key.pem")
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err == nil {
		cert, err := x509.ParseCertificate(pair.Certificate[0])
		if err != nil {
			return nil, fmt.Errorf("hub CA %s: %w", certFile, err)
		}
		signer, ok := pair.PrivateKey.(crypto.Signer)
		if !ok || !cert.IsCA {
			return nil, fmt.Errorf("hub CA %s: not a certification authority", certFile)
		}
		return &CA{Cert: cert, key: signer}, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("hub CA: %w", err)
	}
	if err := os.MkdirAll(tlsDir, 0o700); err != nil {
		return nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "Sportello hub CA", Organization: []string{"Sportello"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(caValidity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	if err := writePair(certFile, keyFile, der, key); err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &CA{Cert: cert, key: key}, nil
}

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	return n
}

// writePair writes a certificate (0644) and its private key (0600).
func writePair(certFile, keyFile string, der []byte, key *ecdsa.PrivateKey) error {
	kb, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return err
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		return err
	}
	return os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
}

// Issue makes a server certificate for names (host names or IP addresses)
// valid from now for validity, with its chain up to the CA.
func (ca *CA) Issue(names []string, now time.Time, validity time.Duration) (*tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: "Sportello hub"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(validity),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else if n != "" {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	if len(tmpl.IPAddresses)+len(tmpl.DNSNames) == 0 {
		return nil, errors.New("certificato dell'hub: nessun nome o indirizzo (--tls-name)")
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, &key.PublicKey, ca.key)
	if err != nil {
		return nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &tls.Certificate{Certificate: [][]byte{der, ca.Cert.Raw}, PrivateKey: key, Leaf: leaf}, nil
}

// ServerNames are the names a hub's own certificate covers: those given,
// and the listen address's host; an address that listens on every
// interface adds each interface's address, and loopback is always there.
func ServerNames(given []string, listen string) []string {
	names := slices.Clone(given)
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		host = listen
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		if addrs, err := net.InterfaceAddrs(); err == nil {
			for _, a := range addrs {
				if n, ok := a.(*net.IPNet); ok {
					names = append(names, n.IP.String())
				}
			}
		}
	} else {
		names = append(names, host)
	}
	names = append(names, "localhost", "127.0.0.1", "::1")
	slices.Sort(names)
	return slices.Compact(names)
}

// OwnCertificates serves the CA's server certificate for names, made
// again in the data folder's memory whenever it comes within renewBefore
// of its expiry: a hub that runs for years never serves an expired one.
type OwnCertificates struct {
	CA    *CA
	Names []string
	Now   func() time.Time

	mu   sync.Mutex
	cert *tls.Certificate
}

// GetCertificate is for tls.Config.GetCertificate.
func (o *OwnCertificates) GetCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	now := o.Now()
	if o.cert == nil || now.After(o.cert.Leaf.NotAfter.Add(-renewBefore)) {
		c, err := o.CA.Issue(o.Names, now, serverValidity)
		if err != nil {
			return nil, err
		}
		o.cert = c
	}
	return o.cert, nil
}

// ServerTLS is the hub's TLS configuration over its certificates.
func ServerTLS(get func(*tls.ClientHelloInfo) (*tls.Certificate, error)) *tls.Config {
	return &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: get}
}

// LoadPin returns the pin of the certificate file a comune's hub serves
// (its first certificate, the server's own).
func LoadPin(certFile string) (string, error) {
	b, err := os.ReadFile(certFile)
	if err != nil {
		return "", err
	}
	block, _ := pem.Decode(b)
	if block == nil || block.Type != "CERTIFICATE" {
		return "", fmt.Errorf("%s: nessun certificato PEM", certFile)
	}
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return "", fmt.Errorf("%s: %w", certFile, err)
	}
	return hubpin.Of(c), nil
}
