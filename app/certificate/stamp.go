package certificate

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sportello/sportello/app"
)

// The stamp (contrassegno elettronico, CAD art. 23-ter c. 5; AgID circolare
// 62/2013) is the text of the QR code printed on a certificate:
//
//	SPT1.<facts>.<chain>.<signature>
//
// each part base64url without padding, decoded strictly so that a stamp
// has one spelling:
//
//   - facts: the certified facts (Facts), a canonical length-delimited
//     encoding: every string as a uvarint byte length and its UTF-8 bytes,
//     every number as a uvarint, in this order: number, type ID, comune,
//     codice fiscale, surname, given name, birth date (zigzag varint of days
//     since 1970-01-01), issue time (Unix seconds), issue time minus as-of
//     time (seconds), offline (one byte, 0 or 1), marca, exemption ID, and
//     the 32-byte SHA-256 of the certified text. Decoding re-encodes and
//     compares, so that no two byte strings carry the same facts.
//   - chain: the comune's key certificate (public key 32 bytes, NotBefore as
//     Unix seconds uvarint, root's signature 64 bytes), then the device's
//     (public key, NotBefore, comune's signature). Subjects and issuers are
//     not carried: they follow from the number (comune:I690 certified by
//     root, device:I690-W001 by comune:I690), so a chain certifies exactly
//     the workstation the number names, and nothing else fits.
//   - signature: Ed25519 by the device key over "sportello-stamp-v1", a
//     zero byte and the facts bytes.
//
// Whoever holds the network's root public key verifies it offline. A typical
// stamp is ~520 characters, ~560 as the URL of the hub's page (TestStamp/Size
// measures it); with the longest names allowed, ~1040.

// StampVersion is the first part of every stamp this package writes.
const StampVersion = "SPT1"

const signContext = "sportello-stamp-v1\x00"

// maxStampChars bounds what ParseStamp reads: a stamp with the longest
// names allowed is well under it.
const maxStampChars = 4096

// Clock tolerances of verification: workstations keep their own time.
const (
	// notBeforeSkew is how far before its key was certified a certificate
	// may say it was issued: a workstation clock slightly behind the hub's
	// at enrolment.
	notBeforeSkew = time.Hour
	// futureSkew is how far in the future an issue time may be: a
	// workstation clock ahead of the verifier's.
	futureSkew = 24 * time.Hour
)

var b64 = base64.RawURLEncoding.Strict()

// Facts are what a stamp signs: enough to identify the certificate and
// its holder on the verification page, and the digest that binds the rest
// of the printed text.
type Facts struct {
	Number        Number
	Type          int    // Type.ID
	Comune        string // Belfiore code of the comune in whose name it was issued
	CodiceFiscale string
	Surname       string
	GivenName     string
	BirthDate     time.Time // calendar date
	IssuedAt      time.Time // whole seconds
	AsOf          time.Time // whole seconds, not after IssuedAt
	Offline       bool
	Marca         string // the marca da bollo, or "" when exempt
	ExemptionID   int    // the ANPR exemption, 0 for a marca or a stato civile certificate
	Digest        [32]byte
}

// Validate checks the facts as Sign writes and ParseStamp reads them.
func (f *Facts) Validate() error {
	if err := f.Number.Validate(); err != nil {
		return err
	}
	t, ok := TypeByID(f.Type)
	issued := f.IssuedAt
	switch {
	case !ok:
		return app.Errorf(app.EINVALID, "tipo di certificato sconosciuto (%d)", f.Type)
	case !app.ValidBelfiore(f.Comune) || f.Comune[0] == 'Z':
		return app.Errorf(app.EINVALID, "codice del comune non valido %q", f.Comune)
	case !validCF(f.CodiceFiscale):
		return app.Errorf(app.EINVALID, "codice fiscale non valido %q", f.CodiceFiscale)
	case !printable(f.Surname, maxNameRunes) || !printable(f.GivenName, maxNameRunes):
		return app.Errorf(app.EINVALID, "cognome o nome mancante o troppo lungo")
	case f.BirthDate.IsZero() || f.BirthDate.Year() < 1800 || f.BirthDate.After(issued):
		return app.Errorf(app.EINVALID, "data di nascita non valida")
	case issued.Unix() < minIssueUnix || !issued.Equal(issued.Truncate(time.Second)):
		return app.Errorf(app.EINVALID, "data di rilascio non valida")
	case f.AsOf.IsZero() || f.AsOf.After(issued) || !f.AsOf.Equal(f.AsOf.Truncate(time.Second)):
		return app.Errorf(app.EINVALID, "data di aggiornamento dei dati non valida")
	case f.Number.Year != issued.In(app.Rome).Year() && f.Number.Year != issued.UTC().Year():
		return app.Errorf(app.EINVALID, "l'anno del numero %s non è quello del rilascio", f.Number)
	case f.Marca != "" && !ValidMarca(f.Marca):
		return app.Errorf(app.EINVALID, "numero della marca da bollo non valido %q", f.Marca)
	case f.ExemptionID < 0 || (f.Marca != "" && f.ExemptionID != 0):
		return app.Errorf(app.EINVALID, "bollo non valido")
	case t.Bollo() && f.Marca == "" && f.ExemptionID == 0 && !legacyStatoCivile(t):
		return app.Errorf(app.EINVALID, "certificato senza marca da bollo né esenzione")
	case !t.Bollo() && (f.Marca != "" || f.ExemptionID != 0):
		return app.Errorf(app.EINVALID, "certificato di stato civile con bollo")
	}
	return nil
}

// ValidUntil is the last day of validity (DPR 445/2000 art. 41 c. 1), at
// midnight in Rome; zero when unlimited or the type is unknown.
func (f *Facts) ValidUntil() time.Time {
	t, ok := TypeByID(f.Type)
	if !ok {
		return time.Time{}
	}
	return validUntil(t, f.IssuedAt)
}

// minIssueUnix is 2000-01-01: no certificate of this network is older.
const minIssueUnix = 946684800

var epoch = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

const secondsPerDay = 24 * 60 * 60

func (f *Facts) marshal() []byte {
	b := make([]byte, 0, 160)
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	str(f.Number.String())
	b = binary.AppendUvarint(b, uint64(f.Type))
	str(f.Comune)
	str(f.CodiceFiscale)
	str(f.Surname)
	str(f.GivenName)
	y, m, d := f.BirthDate.Date()
	b = binary.AppendVarint(b, time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()/secondsPerDay)
	b = binary.AppendUvarint(b, uint64(f.IssuedAt.Unix()))
	b = binary.AppendUvarint(b, uint64(f.IssuedAt.Unix()-f.AsOf.Unix()))
	if f.Offline {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	str(f.Marca)
	b = binary.AppendUvarint(b, uint64(f.ExemptionID))
	return append(b, f.Digest[:]...)
}

// reader decodes the stamp's parts; the first error sticks.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail(what string) {
	if r.err == nil {
		r.err = errors.New(what)
	}
}

func (r *reader) uvarint(what string) uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail(what)
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint(what string) int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail(what)
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) bytes(n int, what string) []byte {
	if r.err != nil || n < 0 || n > len(r.b) {
		r.fail(what)
		return nil
	}
	v := r.b[:n:n]
	r.b = r.b[n:]
	return v
}

func (r *reader) str(what string) string {
	n := r.uvarint(what)
	if n > uint64(len(r.b)) {
		r.fail(what)
		return ""
	}
	s := string(r.bytes(int(n), what))
	if !utf8.ValidString(s) {
		r.fail(what)
	}
	return s
}

// small reads a uvarint that must fit an int of at most max.
func (r *reader) small(max uint64, what string) int {
	v := r.uvarint(what)
	if v > max {
		r.fail(what)
		return 0
	}
	return int(v)
}

const maxUnix = 1 << 40 // year ~36812: beyond any real time, and no overflow

func unmarshalFacts(b []byte) (Facts, error) {
	r := &reader{b: b}
	var f Facts
	num := r.str("numero")
	f.Type = r.small(1<<16, "tipo")
	f.Comune = r.str("comune")
	f.CodiceFiscale = r.str("codice fiscale")
	f.Surname = r.str("cognome")
	f.GivenName = r.str("nome")
	days := r.varint("data di nascita")
	issued := r.uvarint("data di rilascio")
	age := r.uvarint("data dei dati")
	offline := r.bytes(1, "offline")
	f.Marca = r.str("marca da bollo")
	f.ExemptionID = r.small(1<<16, "esenzione")
	digest := r.bytes(sha256Size, "impronta")
	switch {
	case r.err != nil:
		return Facts{}, r.err
	case len(r.b) != 0:
		return Facts{}, errors.New("dati in eccesso")
	case days < -1e6 || days > 1e6 || issued > maxUnix || age > issued:
		return Facts{}, errors.New("date fuori intervallo")
	case offline[0] > 1:
		return Facts{}, errors.New("offline")
	}
	n, err := ParseNumber(num)
	if err != nil {
		return Facts{}, err
	}
	f.Number = n
	f.BirthDate = epoch.AddDate(0, 0, int(days))
	f.IssuedAt = time.Unix(int64(issued), 0).UTC()
	f.AsOf = time.Unix(int64(issued-age), 0).UTC()
	f.Offline = offline[0] == 1
	copy(f.Digest[:], digest)
	if !bytes.Equal(f.marshal(), b) {
		return Facts{}, errors.New("codifica non canonica")
	}
	return f, nil
}

const sha256Size = 32

// Stamp is a parsed stamp: the facts, the key chain rebuilt from the
// number, and the signature. Parsing checks the form, not the signatures:
// that is Verify.
type Stamp struct {
	Facts      Facts
	ComuneCert app.KeyCert // comune:<Number.Comune>, issued by root
	DeviceCert app.KeyCert // device:<Number.DeviceID()>, issued by the comune
	Signature  []byte
	facts      []byte // as signed
}

// String is the stamp's text, as Sign wrote it.
func (s *Stamp) String() string {
	var chain []byte
	for _, c := range []*app.KeyCert{&s.ComuneCert, &s.DeviceCert} {
		chain = append(chain, c.PublicKey...)
		chain = binary.AppendUvarint(chain, uint64(c.NotBefore.Unix()))
		chain = append(chain, c.Signature...)
	}
	return StampVersion + "." + b64.EncodeToString(s.facts) + "." + b64.EncodeToString(chain) + "." + b64.EncodeToString(s.Signature)
}

// URL is the text of the QR code: the hub's verification page with the
// stamp, so that a phone opens it; hubBase is the hub's public address.
// The stamp's characters need no escaping in a query.
func URL(hubBase, stamp string) string {
	return strings.TrimRight(hubBase, "/") + "/verifica?c=" + stamp
}

// Sign writes the stamp of the facts with the workstation's key. deviceCert
// must certify that key for the workstation the number names, issued by the
// comune the number names, and comuneCert that comune's key, issued by
// root: Sign refuses anything Verify would not accept, with EINVALID for
// wrong facts and a plain error for a wrong key or chain (a fault of the
// enrolment, not of the operator).
func Sign(f Facts, deviceKey ed25519.PrivateKey, deviceCert, comuneCert app.KeyCert) (string, error) {
	f.IssuedAt = f.IssuedAt.UTC()
	f.AsOf = f.AsOf.UTC()
	if err := f.Validate(); err != nil {
		return "", err
	}
	if len(deviceKey) != ed25519.PrivateKeySize {
		return "", errors.New("sign stamp: device key is not an Ed25519 private key")
	}
	pub := deviceKey.Public().(ed25519.PublicKey)
	comune := app.ComuneSubject(f.Number.Comune)
	switch {
	case deviceCert.Subject != app.DeviceSubject(f.Number.DeviceID()):
		return "", fmt.Errorf("sign stamp: device certificate is for %q, the number names %s", deviceCert.Subject, f.Number.DeviceID())
	case deviceCert.Issuer != comune || comuneCert.Subject != comune:
		return "", fmt.Errorf("sign stamp: chain %s ← %s ← %s does not lead to %s", deviceCert.Subject, deviceCert.Issuer, comuneCert.Subject, comune)
	case comuneCert.Issuer != app.IssuerRoot:
		return "", fmt.Errorf("sign stamp: comune certificate issued by %q, not %q", comuneCert.Issuer, app.IssuerRoot)
	case !bytes.Equal(deviceCert.PublicKey, pub):
		return "", errors.New("sign stamp: device certificate is for another key")
	case len(comuneCert.PublicKey) != ed25519.PublicKeySize:
		return "", errors.New("sign stamp: comune certificate has no Ed25519 key")
	case len(deviceCert.Signature) != ed25519.SignatureSize || len(comuneCert.Signature) != ed25519.SignatureSize:
		return "", errors.New("sign stamp: key certificate without signature")
	case deviceCert.NotBefore.Unix() < 0 || comuneCert.NotBefore.Unix() < 0:
		return "", errors.New("sign stamp: key certificate dated before 1970")
	}
	s := &Stamp{Facts: f, ComuneCert: comuneCert, DeviceCert: deviceCert, facts: f.marshal()}
	s.Signature = ed25519.Sign(deviceKey, signedMessage(s.facts))
	return s.String(), nil
}

func signedMessage(facts []byte) []byte {
	return append([]byte(signContext), facts...)
}

// ParseStamp reads a stamp, bare or as the URL of the QR code
// (".../verifica?c=SPT1...."). Every error is a *VerifyError with reason
// Malformed.
func ParseStamp(s string) (*Stamp, error) {
	s = strings.TrimSpace(s)
	if len(s) > maxStampChars {
		return nil, malformed("testo troppo lungo")
	}
	if !strings.HasPrefix(s, StampVersion+".") {
		u, err := url.Parse(s)
		if err != nil || u.Scheme == "" {
			if strings.HasPrefix(s, "SPT") {
				return nil, malformed("versione non supportata")
			}
			return nil, malformed("non è un contrassegno di Sportello")
		}
		s = u.Query().Get("c")
		if !strings.HasPrefix(s, StampVersion+".") {
			return nil, malformed("l'indirizzo non contiene un contrassegno")
		}
	}
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return nil, malformed("parti mancanti o in eccesso")
	}
	facts, err1 := b64.DecodeString(parts[1])
	chain, err2 := b64.DecodeString(parts[2])
	sig, err3 := b64.DecodeString(parts[3])
	if err := errors.Join(err1, err2, err3); err != nil {
		return nil, malformed("codifica base64 non valida")
	}
	if len(sig) != ed25519.SignatureSize {
		return nil, malformed("firma di lunghezza errata")
	}
	f, err := unmarshalFacts(facts)
	if err == nil {
		err = f.Validate()
	}
	if err != nil {
		return nil, malformed(err.Error())
	}
	st := &Stamp{Facts: f, Signature: sig, facts: facts}
	r := &reader{b: chain}
	st.ComuneCert = app.KeyCert{Subject: app.ComuneSubject(f.Number.Comune), Issuer: app.IssuerRoot}
	st.DeviceCert = app.KeyCert{Subject: app.DeviceSubject(f.Number.DeviceID()), Issuer: st.ComuneCert.Subject}
	for _, c := range []*app.KeyCert{&st.ComuneCert, &st.DeviceCert} {
		c.PublicKey = r.bytes(ed25519.PublicKeySize, "chiave")
		nb := r.uvarint("data della chiave")
		if nb > maxUnix {
			r.fail("data della chiave")
		}
		c.NotBefore = time.Unix(int64(nb), 0).UTC()
		c.Signature = r.bytes(ed25519.SignatureSize, "firma della chiave")
	}
	if r.err == nil && len(r.b) != 0 {
		r.fail("dati in eccesso")
	}
	if r.err != nil {
		return nil, malformed("catena delle chiavi: " + r.err.Error())
	}
	if st.String() != s { // a non-minimal uvarint in the chain
		return nil, malformed("codifica non canonica")
	}
	return st, nil
}

// Verify checks a stamp (bare or URL) with the network's root public key
// and the revocations the verifier knows (nil: none), at time now, and
// returns the certified facts. Every failure is a *VerifyError (EINVALID,
// with an Italian message), checked in this order:
//
//   - Malformed: not a stamp of this version, or not decodable.
//   - Forged: the signature does not match the facts with the key in the
//     chain: the stamp was altered or made up.
//   - Untrusted: the chain does not lead to root: the comune's key is not
//     certified by this root, or the workstation's key not by that comune's
//     (another comune cannot certify it: the chain's subjects follow from
//     the number); or the certificate says it was issued before its key was
//     certified, or too far in the future.
//   - Revoked: the workstation's key was revoked at or before the issue
//     time. A certificate issued before the revocation stays valid: the
//     revocation says the key is no longer trusted from then on (a lost or
//     stolen workstation), not that what it signed before was false. The
//     issue time is the workstation's word, so a thief could backdate; the
//     hub page can close that gap, because the hub received every
//     certificate the workstation issued (outbox) and knows when.
//   - Expired: authentic, but older than its validity (DPR 445/2000 art.
//     41 c. 1: six months for anything that can change). Verify returns the
//     facts with this error, so the page can show what was certified.
func Verify(stamp string, root ed25519.PublicKey, revoked func(device string) (time.Time, bool), now time.Time) (*Facts, error) {
	s, err := ParseStamp(stamp)
	if err != nil {
		return nil, err
	}
	f := &s.Facts
	if len(root) != ed25519.PublicKeySize {
		return nil, verifyErr(Untrusted, "chiave pubblica della rete non valida")
	}
	if !ed25519.Verify(s.DeviceCert.PublicKey, signedMessage(s.facts), s.Signature) {
		return nil, verifyErr(Forged, "firma non valida: il contrassegno è stato alterato o contraffatto")
	}
	if s.ComuneCert.Verify(root) != nil {
		return nil, verifyErr(Untrusted, "la chiave del comune %s non è certificata dalla rete", f.Number.Comune)
	}
	if s.DeviceCert.Verify(s.ComuneCert.PublicKey) != nil {
		return nil, verifyErr(Untrusted, "la postazione %s non è certificata dal comune %s", f.Number.DeviceID(), f.Number.Comune)
	}
	for _, c := range []*app.KeyCert{&s.ComuneCert, &s.DeviceCert} {
		if f.IssuedAt.Before(c.NotBefore.Add(-notBeforeSkew)) {
			return nil, verifyErr(Untrusted, "certificato datato %s, prima che la chiave %s fosse certificata (%s)", formatTime(f.IssuedAt), c.Subject, formatTime(c.NotBefore))
		}
	}
	if f.IssuedAt.After(now.Add(futureSkew)) {
		return nil, verifyErr(Untrusted, "data di rilascio nel futuro: %s", formatTime(f.IssuedAt))
	}
	if revoked != nil {
		if at, ok := revoked(f.Number.DeviceID()); ok && !f.IssuedAt.Before(at) {
			return nil, verifyErr(Revoked, "la postazione %s è stata revocata il %s: i certificati che emette da allora non sono validi", f.Number.DeviceID(), formatTime(at))
		}
	}
	if until := f.ValidUntil(); !until.IsZero() {
		y, m, d := until.Date()
		if !now.Before(time.Date(y, m, d+1, 0, 0, 0, 0, app.Rome)) {
			return f, verifyErr(Expired, "certificato scaduto: valido fino al %s (art. 41 DPR 445/2000)", formatDate(until))
		}
	}
	return f, nil
}

// Reason says why a stamp did not verify.
type Reason string

// The reasons, in the order Verify checks them.
const (
	Malformed Reason = "malformed"
	Forged    Reason = "forged"
	Untrusted Reason = "untrusted"
	Revoked   Reason = "revoked"
	Expired   Reason = "expired"
)

// VerifyError is a failed verification. It unwraps to an EINVALID
// *app.Error with the same message, so app.ErrorCode and app.ErrorMessage
// treat it as any domain error.
type VerifyError struct {
	Reason Reason
	Err    app.Error
}

func (e *VerifyError) Error() string { return e.Err.Message }

// Unwrap returns the domain error.
func (e *VerifyError) Unwrap() error { return &e.Err }

// ReasonOf is the reason of the *VerifyError in err's chain, "" when there
// is none.
func ReasonOf(err error) Reason {
	var e *VerifyError
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

func verifyErr(r Reason, format string, args ...any) *VerifyError {
	return &VerifyError{Reason: r, Err: app.Error{Code: app.EINVALID, Message: fmt.Sprintf(format, args...)}}
}

func malformed(why string) *VerifyError {
	return verifyErr(Malformed, "contrassegno non leggibile: %s", why)
}
