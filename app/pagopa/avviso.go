// Package pagopa is what the counter needs of the pagoPA specifications:
// the codice avviso (numero avviso) with its IUV and check digits, the QR
// code of the payment notice, and the DataMatrix of Poste Italiane printed
// where the creditor has a postal account.
//
// References, as published by PagoPA S.p.A. (formerly AgID):
//
//   - SACI, "Specifiche attuative dei codici identificativi di versamento,
//     riversamento e rendicontazione" (Allegato A alle Linee guida),
//     § "Generazione dell'Identificativo Univoco di Versamento",
//     "Numero avviso e codice IUV nel caso di pagamenti attivati presso i
//     PSP": the structure of the numero avviso for each aux digit and the
//     check digits.
//   - SANP, "Specifiche attuative del nodo dei pagamenti-SPC", § 7.4
//     "Il numero avviso e l'archivio dei pagamenti in attesa".
//   - "Avviso di pagamento pagoPA — linee guida e manuale d'uso" (v2.x),
//     the notice layout and its QR code "PAGOPA|002|…", and its annex on
//     the Poste Italiane DataMatrix ("codfase=NBPA;…").
//
// The package is plain Go: no I/O, no clock.
package pagopa

import (
	"strings"

	"github.com/sportello/sportello/app"
)

// CodiceAvviso is the 18-digit numero avviso of a payment notice:
//
//	<aux digit (1n)>[<application code (2n)>]<IUV (15|17n)>
//
// with, by aux digit (SACI, "Composizione del codice IUV"):
//
//	aux 0: 0 <application code 2n> <IUV base 13n> <check digits 2n>   IUV = base + check (15n)
//	aux 1: 1 <IUV base 17n>                                           IUV = base (17n), no check digits
//	aux 2: 2 <IUV base 15n> <check digits 2n>                         IUV = base + check (17n)
//	aux 3: 3 <segregation code 2n> <IUV base 13n> <check digits 2n>   IUV = code + base + check (17n)
//
// Aux 3 is the configuration of a creditor with more than one point of
// generation of IUVs (its intermediaries or partners, each with a
// segregation code assigned by PagoPA); aux 0 the legacy one with an
// application code naming the part of the archive of pending payments.
type CodiceAvviso string

// Lengths of the parts, in digits.
const (
	AvvisoLength  = 18
	IUVBaseLength = 13 // the IUV base of aux 0 and 3
	CodeLength    = 2  // application code (aux 0) or segregation code (aux 3)
)

// MaxIUVBase is the largest IUV base of aux 0 and 3 (13 digits).
const MaxIUVBase = 9_999_999_999_999

// CheckDigits returns the two check digits of the digits s: "il resto
// della divisione per 93 del numero ottenuto concatenando" the aux digit,
// the application or segregation code (when present) and the IUV base
// (SACI), written on two digits (00–92). s must be digits only.
func CheckDigits(s string) string {
	r := 0
	for i := 0; i < len(s); i++ {
		r = (r*10 + int(s[i]-'0')) % 93
	}
	return string([]byte{byte('0' + r/10), byte('0' + r%10)})
}

// NewAvviso composes the codice avviso of aux digit 0 (code is the
// application code) or 3 (code is the segregation code) for an IUV base
// of at most 13 digits. It returns EINVALID for anything else.
func NewAvviso(aux int, code string, base int64) (CodiceAvviso, error) {
	switch {
	case aux != 0 && aux != 3:
		return "", app.Errorf(app.EINVALID, "cifra ausiliaria %d non gestita: servono 0 (codice applicazione) o 3 (codice di segregazione)", aux)
	case len(code) != CodeLength || !digits(code):
		return "", app.Errorf(app.EINVALID, "il codice di segregazione o di applicazione vuole 2 cifre, non %q", code)
	case base < 0 || base > MaxIUVBase:
		return "", app.Errorf(app.EINVALID, "IUV base fuori intervallo: %d", base)
	}
	prefix := string(rune('0'+aux)) + code + pad(base, IUVBaseLength)
	return CodiceAvviso(prefix + CheckDigits(prefix)), nil
}

// ParseAvviso reads a codice avviso as a person types or a notice prints
// it: spaces, dots and dashes between the groups are ignored. The check
// digits of aux 0, 2 and 3 must be right. Errors are EINVALID.
func ParseAvviso(s string) (CodiceAvviso, error) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '.', '-', '\t':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	switch {
	case len(s) != AvvisoLength || !digits(s):
		return "", app.Errorf(app.EINVALID, "il codice avviso ha %d cifre", AvvisoLength)
	case s[0] > '3':
		return "", app.Errorf(app.EINVALID, "codice avviso con cifra ausiliaria %c: sono ammesse 0, 1, 2 e 3", s[0])
	}
	a := CodiceAvviso(s)
	if a.HasCheckDigits() && CheckDigits(s[:16]) != s[16:] {
		return "", app.Errorf(app.EINVALID, "codice avviso %s: cifre di controllo errate (attese %s)", a.Grouped(), CheckDigits(s[:16]))
	}
	return a, nil
}

// Aux is the aux digit.
func (a CodiceAvviso) Aux() int { return int(a[0] - '0') }

// HasCheckDigits reports whether the aux digit carries check digits
// (all but aux 1).
func (a CodiceAvviso) HasCheckDigits() bool { return a[0] != '1' }

// Code is the application code (aux 0) or the segregation code (aux 3);
// "" for the others.
func (a CodiceAvviso) Code() string {
	if a[0] == '0' || a[0] == '3' {
		return string(a[1:3])
	}
	return ""
}

// IUV is the identificativo univoco di versamento the notice carries: 15
// digits for aux 0 (the application code is not part of it), 17 for the
// others (for aux 3 it starts with the segregation code).
func (a CodiceAvviso) IUV() string {
	if a[0] == '0' {
		return string(a[3:])
	}
	return string(a[1:])
}

// Grouped is the codice avviso as the notice prints it, in groups of four
// digits: "3010 0000 0000 0017 81".
func (a CodiceAvviso) Grouped() string {
	var b strings.Builder
	for i := 0; i < len(a); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(string(a[i:min(i+4, len(a))]))
	}
	return b.String()
}

func (a CodiceAvviso) String() string { return string(a) }

// ValidCFEnte reports whether s is the 11-digit codice fiscale of a
// legal person (an ente) with its check digit right: the algorithm of the
// partita IVA (DPR 605/1973, DM 23/12/1976 art. 6): the digits in odd
// places are added as they are, those in even places doubled (less 9 when
// above 9), and the check digit brings the sum to a multiple of 10.
func ValidCFEnte(s string) bool {
	if len(s) != 11 || !digits(s) {
		return false
	}
	sum := 0
	for i := 0; i < 10; i++ {
		d := int(s[i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return (10-sum%10)%10 == int(s[10]-'0')
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// pad writes n on width digits, zeros on the left.
func pad(n int64, width int) string {
	s := make([]byte, width)
	for i := width - 1; i >= 0; i-- {
		s[i] = byte('0' + n%10)
		n /= 10
	}
	return string(s)
}
