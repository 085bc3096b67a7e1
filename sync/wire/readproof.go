package wire

import (
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sportello/sportello/app"
)

// HeaderOperatorProof carries the operator's proof of a read of the hub's
// anagrafe (app.ReadProofMessage): the time it was signed and the
// signature, "<RFC 3339 time> <base64 signature>". It goes with
// HeaderOperator and HeaderPurpose, whose values are percent-encoded
// (url.PathEscape), so that "verifica dell'identità" crosses as ASCII.
const HeaderOperatorProof = "Sportello-Operator-Proof"

// ReadProof is the operator's proof of one read, as its headers carry it.
type ReadProof struct {
	Operator  string
	Purpose   string
	At        time.Time
	Signature []byte
}

// Headers are the request headers of the proof.
func (p ReadProof) Headers() map[string]string {
	return map[string]string{
		HeaderOperator:      url.PathEscape(p.Operator),
		HeaderPurpose:       url.PathEscape(p.Purpose),
		HeaderOperatorProof: formatTime(p.At) + " " + b64(p.Signature),
	}
}

// ParseReadProof reads the proof headers of a request: present is false
// when there is none of them (a read without proof); EINVALID when any is
// there but they are incomplete or unreadable.
func ParseReadProof(operator, purpose, proof string) (p ReadProof, present bool, err error) {
	if operator == "" && purpose == "" && proof == "" {
		return ReadProof{}, false, nil
	}
	bad := app.Errorf(app.EINVALID, "prova dell'operatore illeggibile: servono operatore, finalità, ora e firma")
	if p.Operator, err = url.PathUnescape(operator); err != nil {
		return ReadProof{}, true, bad
	}
	if p.Purpose, err = url.PathUnescape(purpose); err != nil {
		return ReadProof{}, true, bad
	}
	at, sig, ok := strings.Cut(proof, " ")
	if !ok || p.Operator == "" || strings.TrimSpace(p.Purpose) == "" ||
		!utf8.ValidString(p.Operator) || !utf8.ValidString(p.Purpose) ||
		len(p.Operator) > 64 || utf8.RuneCountInString(p.Purpose) > app.MaxPurposeLength ||
		strings.ContainsFunc(p.Operator+p.Purpose, unicode.IsControl) {
		return ReadProof{}, true, bad
	}
	if p.At, err = parseTime(at); err != nil || p.At.IsZero() {
		return ReadProof{}, true, bad
	}
	if p.Signature, err = unb64(sig); err != nil || len(p.Signature) != 64 {
		return ReadProof{}, true, bad
	}
	return p, true, nil
}
