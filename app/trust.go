package app

import (
	"bytes"
	"crypto/ed25519"
	"encoding/binary"
	"time"
)

// KeyCert binds a public key to a subject ("comune:I690",
// "device:I690-W001"), signed by its issuer ("root" or a comune). The chain
// root → comune → device lets anyone who holds the network's root public key
// check a workstation's signature offline (CAD art. 23-ter; AgID circolare
// 62/2013 on the contrassegno elettronico).
type KeyCert struct {
	Subject   string
	Issuer    string
	PublicKey []byte
	NotBefore time.Time
	Signature []byte
}

// Subjects of the key chain.
const (
	IssuerRoot = "root"
)

// ComuneSubject and DeviceSubject name the subjects of the chain.
func ComuneSubject(code string) string   { return "comune:" + code }
func DeviceSubject(device string) string { return "device:" + device }

// signedBytes is the canonical encoding of the certified fields:
// length-prefixed, so no two different certificates share it.
func (c *KeyCert) signedBytes() []byte {
	var b bytes.Buffer
	b.WriteString("sportello-keycert-v1")
	for _, f := range [][]byte{[]byte(c.Subject), []byte(c.Issuer), c.PublicKey, []byte(c.NotBefore.UTC().Format(time.RFC3339))} {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(f)))
		b.Write(n[:])
		b.Write(f)
	}
	return b.Bytes()
}

// SignKeyCert certifies pub for subject with the issuer's private key.
func SignKeyCert(issuerKey ed25519.PrivateKey, issuer, subject string, pub ed25519.PublicKey, notBefore time.Time) KeyCert {
	c := KeyCert{Subject: subject, Issuer: issuer, PublicKey: append([]byte(nil), pub...), NotBefore: notBefore.UTC().Truncate(time.Second)}
	c.Signature = ed25519.Sign(issuerKey, c.signedBytes())
	return c
}

// Verify checks the certificate's signature with the issuer's public key.
func (c *KeyCert) Verify(issuerPub ed25519.PublicKey) error {
	if len(c.PublicKey) != ed25519.PublicKeySize || len(issuerPub) != ed25519.PublicKeySize {
		return Errorf(EINVALID, "certificato di chiave malformato (%s)", c.Subject)
	}
	if !ed25519.Verify(issuerPub, c.signedBytes(), c.Signature) {
		return Errorf(EINVALID, "firma del certificato di chiave non valida (%s)", c.Subject)
	}
	return nil
}
