package pagopa

import (
	"strconv"
	"strings"

	"github.com/sportello/sportello/app"
)

// QR is the content of the QR code of a pagoPA notice ("Avviso di
// pagamento pagoPA — linee guida", § "QR code"): the identifier PAGOPA,
// the version 002, the codice avviso, the codice fiscale of the creditor
// and the amount in euro cents, separated by "|".
type QR struct {
	Avviso      CodiceAvviso
	CFEnte      string // 11 digits
	AmountCents int64
}

// QR limits.
const (
	qrIdentifier   = "PAGOPA"
	qrVersion      = "002"
	qrAmountDigits = 10 // the amount field: ten digits, zeros on the left
	// QRLength is the length of the payload as FormatQR writes it: the
	// only length pagoPA's own decoder (io-pagopa-commons,
	// PaymentNoticeQrCodeFromString) accepts.
	QRLength = len(qrIdentifier) + 1 + len(qrVersion) + 1 + AvvisoLength + 1 + 11 + 1 + qrAmountDigits
	// MaxAmountCents is the largest amount ten digits hold.
	MaxAmountCents = 9_999_999_999
)

// Validate checks the fields.
func (q QR) Validate() error {
	if _, err := ParseAvviso(string(q.Avviso)); err != nil {
		return err
	}
	if len(q.CFEnte) != 11 || !digits(q.CFEnte) {
		return app.Errorf(app.EINVALID, "codice fiscale dell'ente creditore di 11 cifre mancante")
	}
	if q.AmountCents <= 0 || q.AmountCents > MaxAmountCents {
		return app.Errorf(app.EINVALID, "importo non valido per un avviso pagoPA")
	}
	return nil
}

// String writes the payload the way pagoPA's decoders expect it: the
// amount on ten digits, zeros on the left, for a payload of exactly
// QRLength characters ("PAGOPA|002|301000000000001781|02253930156|0000002500").
// Call Validate first: String does not check.
func (q QR) String() string {
	return qrIdentifier + "|" + qrVersion + "|" + string(q.Avviso) + "|" + q.CFEnte + "|" + pad(q.AmountCents, qrAmountDigits)
}

// ParseQR reads a QR payload as a camera or a keyboard-wedge scanner
// delivers it: surrounding white space (the scanner's Enter) is ignored,
// the identifier is read regardless of case (a scanner with Caps Lock on
// inverts it), and the amount may be padded with zeros to ten digits or
// not. Errors are EINVALID, in words for the counter.
func ParseQR(s string) (QR, error) {
	s = strings.TrimSpace(s)
	if len(s) > 2*QRLength {
		return QR{}, app.Errorf(app.EINVALID, "testo troppo lungo per un codice QR pagoPA")
	}
	f := strings.Split(s, "|")
	if len(f) != 5 || !strings.EqualFold(f[0], qrIdentifier) {
		return QR{}, app.Errorf(app.EINVALID, "non è il codice QR di un avviso pagoPA")
	}
	if f[1] != qrVersion {
		return QR{}, app.Errorf(app.EINVALID, "versione %q del codice QR pagoPA non gestita (attesa %s)", f[1], qrVersion)
	}
	a, err := ParseAvviso(f[2])
	if err != nil {
		return QR{}, err
	}
	if len(f[4]) == 0 || len(f[4]) > qrAmountDigits || !digits(f[4]) {
		return QR{}, app.Errorf(app.EINVALID, "importo del codice QR non valido: %q", f[4])
	}
	amount, _ := strconv.ParseInt(f[4], 10, 64)
	q := QR{Avviso: a, CFEnte: f[3], AmountCents: amount}
	if err := q.Validate(); err != nil {
		return QR{}, err
	}
	return q, nil
}
