package app

import (
	"context"
	"strings"
	"time"
	"unicode"

	"github.com/sportello/sportello/app/cf"
)

// Reading another comune's citizen. A counter reaches a citizen of another
// comune only through the hub, by an exact key, and only as the act of an
// operator logged in at the desk who says why: the workstation signs each
// such read with the operator's key (the same key as the privileged
// facts' proofs, OperatorProof) over ReadProofMessage, and the hub records
// the operator, the device, the time and the purpose.

// ReadProofWindow is how far from the hub's clock the time of a signed read
// may be: reads are made online, and a copied one is worth nothing after
// it.
const ReadProofWindow = 5 * time.Minute

// The purposes a counter gives for reading another comune's citizen, in
// its own words; PurposeOther is followed by the operator's text
// ("altro: …").
const (
	PurposeCertificate = "rilascio certificato"
	PurposeRequest     = "istanza"
	PurposePayment     = "pagamento"
	PurposeIdentity    = "verifica dell'identità"
	PurposeOther       = "altro"
)

// Purposes lists the purposes the counter offers, in the order shown.
var Purposes = []string{PurposeCertificate, PurposeRequest, PurposePayment, PurposeIdentity, PurposeOther}

// MaxPurposeLength bounds a purpose as the hub records it.
const MaxPurposeLength = 200

// ReadPurpose checks a purpose the operator chose, with the text that
// "altro" needs, and returns it as recorded: EINVALID for an unknown one or
// "altro" without a text.
func ReadPurpose(choice, other string) (string, error) {
	other = strings.Join(strings.Fields(other), " ")
	switch {
	case choice == PurposeOther && other == "":
		return "", Errorf(EINVALID, "scrivere la finalità della consultazione")
	case choice == PurposeOther:
		p := PurposeOther + ": " + other
		if len([]rune(p)) > MaxPurposeLength {
			return "", Errorf(EINVALID, "finalità troppo lunga: al massimo %d caratteri", MaxPurposeLength)
		}
		return p, nil
	}
	for _, p := range Purposes {
		if p == choice {
			return p, nil
		}
	}
	return "", Errorf(EINVALID, "finalità sconosciuta %q: %s", choice, strings.Join(Purposes, ", "))
}

// ErrPurposeNeeded is what a search or a file of another comune's citizen
// answers while the operator has not said why: the counter asks (a short
// list, Purposes), remembers the answer for the session
// (CounterService.SetPurpose) and tries again.
var ErrPurposeNeeded = &Error{Code: EINVALID, Message: "per consultare un cittadino di un altro comune indicare la finalità"}

// MayReadOtherComuni tells whether an operator's roles let them read
// another comune's citizen: the front office and the supervisor, who serve
// the public at the desk; not an account of the back office only.
func MayReadOtherComuni(op *Operator) bool {
	return op != nil && op.Active && (op.Has(RoleOperator) || op.Has(RoleSupervisor))
}

// ReadProofMessage is what an operator signs for one read of the hub's
// anagrafe: the device and its comune, the operator, the purpose, the
// request (method, path without escaping, query as url.Values.Encode
// writes it, keys sorted) and its time. Each field is preceded by its
// length, so no two reads share the bytes; both the workstation and the hub
// build them here.
func ReadProofMessage(comune, device, operator, purpose, method, path, query string, at time.Time) []byte {
	msg := []byte("sportello read proof 1")
	for _, f := range []string{comune, device, operator, purpose, method, path, query, FormatInstant(at)} {
		n := len(f)
		msg = append(msg, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
		msg = append(msg, f...)
	}
	return msg
}

// Reader is who reads the hub's anagrafe from this workstation, and why:
// carried by the context of a read (WithReader), it makes the sync client
// sign the request with the operator's key (Sign) and send the proof.
type Reader struct {
	Operator string
	Purpose  string
	Sign     func(msg []byte) ([]byte, error)
}

type readerKey struct{}

// WithReader returns ctx carrying r for the hub's reads made with it.
func WithReader(ctx context.Context, r Reader) context.Context {
	return context.WithValue(ctx, readerKey{}, r)
}

// ReaderFrom returns the reader ctx carries, if any.
func ReaderFrom(ctx context.Context) (Reader, bool) {
	r, ok := ctx.Value(readerKey{}).(Reader)
	return r, ok && r.Operator != "" && r.Sign != nil
}

// NameKeyQuery is the exact key of a citizen by name: surname, given name
// and birth date, all three, with no prefix.
type NameKeyQuery struct {
	Words []string // NameKey-folded words of the names, in the order typed
	Born  time.Time
}

// dateLayouts are the ways a counter writes a birth date in the search box.
var dateLayouts = []string{"02/01/2006", "2/1/2006", "02-01-2006", "2-1-2006", "02.01.2006", "2006-01-02"}

// ParseNameKey reads "surname name date" (or "name surname date", the date
// anywhere): ok only with one date and at least two words of names.
func ParseNameKey(text string) (NameKeyQuery, bool) {
	var k NameKeyQuery
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return unicode.IsSpace(r) || r == ',' }) {
		if d, ok := parseSearchDate(w); ok {
			if !k.Born.IsZero() {
				return NameKeyQuery{}, false
			}
			k.Born = d
			continue
		}
		if n := NameKey(w); n != "" {
			k.Words = append(k.Words, n)
		}
	}
	return k, !k.Born.IsZero() && len(k.Words) >= 2
}

func parseSearchDate(s string) (time.Time, bool) {
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// Splits are the readings of the words as surname and given name, both
// orders, every cut: "de luca mario" is (DELUCA, MARIO) or (LUCAMARIO, DE)…
func (k NameKeyQuery) Splits() [][2]string {
	var out [][2]string
	for i := 1; i < len(k.Words); i++ {
		a, b := strings.Join(k.Words[:i], ""), strings.Join(k.Words[i:], "")
		out = append(out, [2]string{a, b}, [2]string{b, a})
	}
	return out
}

// FullCodiceFiscale returns the text as a codice fiscale when it is a
// whole, valid one.
func FullCodiceFiscale(text string) (string, bool) {
	c := strings.ToUpper(strings.TrimSpace(text))
	return c, len(c) == 16 && cf.Valid(c)
}

// ExactKey tells whether a search text is an exact key of a citizen, the
// only kind the hub answers with another comune's citizens: a whole codice
// fiscale, or surname, given name and birth date.
func ExactKey(text string) bool {
	if _, ok := FullCodiceFiscale(text); ok {
		return true
	}
	_, ok := ParseNameKey(text)
	return ok
}
