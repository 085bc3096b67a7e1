package pagopa

import (
	"strconv"
	"strings"

	"github.com/sportello/sportello/app"
)

// DataMatrix is the content of the DataMatrix code of Poste Italiane on
// the postal part of a pagoPA notice, for a creditor with a conto
// corrente postale ("Avviso di pagamento pagoPA — linee guida", annex
// "Bollettino postale PA": the "codfase" string). Its 256 characters are
// fixed fields, positions 0-based:
//
//	  0  13  "codfase=NBPA;"           the phase: NBPA, bollettino PA
//	 13   2  "18"                      length of the next field
//	 15  18  codice avviso
//	 33   2  "12"
//	 35  12  conto corrente postale    zeros on the left
//	 47   2  "10"
//	 49  10  amount in euro cents      zeros on the left
//	 59   1  "3"                       length of the next field
//	 60   3  "896"                     tipo documento: bollettino PA
//	 63   3  "1P1"                     identifier of the fields that follow
//	 66  11  codice fiscale of the ente creditore
//	 77  16  codice fiscale of the debtor       spaces on the right
//	 93  40  name of the debtor                 spaces on the right
//	133 110  causale (oggetto del pagamento)    spaces on the right
//	243  12  filler                             spaces
//	255   1  "A"                       end of data
//
// The first 63 characters after "codfase=NBPA;" are the codeline also
// printed in clear under the postal slip. The layout is the one pagoPA's
// own print service writes and the IO app reads (it takes the avviso at
// 15, the amount at 49 and the ente at 66).
type DataMatrix struct {
	Avviso      CodiceAvviso
	Account     string // conto corrente postale, up to 12 digits
	AmountCents int64
	CFEnte      string // 11 digits
	DebtorCF    string // up to 16 characters
	DebtorName  string // up to 40, upper case
	Causale     string // up to 110
}

// DataMatrixLength is the length of the payload.
const DataMatrixLength = 256

const (
	dmPhase   = "codfase=NBPA;"
	dmDocType = "896"
	dmMarker  = "1P1"
)

// Validate checks the fields that have a form; the texts are cut and
// cleaned by String.
func (d DataMatrix) Validate() error {
	if _, err := ParseAvviso(string(d.Avviso)); err != nil {
		return err
	}
	switch {
	case d.Account == "" || len(d.Account) > 12 || !digits(d.Account):
		return app.Errorf(app.EINVALID, "conto corrente postale di al più 12 cifre mancante")
	case len(d.CFEnte) != 11 || !digits(d.CFEnte):
		return app.Errorf(app.EINVALID, "codice fiscale dell'ente creditore di 11 cifre mancante")
	case d.AmountCents <= 0 || d.AmountCents > MaxAmountCents:
		return app.Errorf(app.EINVALID, "importo non valido per un bollettino postale")
	case len(d.DebtorCF) > 16:
		return app.Errorf(app.EINVALID, "codice fiscale del debitore troppo lungo")
	}
	return nil
}

// String writes the 256 characters. Texts are reduced to the characters
// the bollettino admits (letters without accents, digits, space and
// . , ' - / ( )), the debtor's name in upper case, and cut to their field.
// Call Validate first: String does not check.
func (d DataMatrix) String() string {
	var b strings.Builder
	b.Grow(DataMatrixLength)
	b.WriteString(dmPhase)
	b.WriteString(d.Codeline())
	b.WriteString(dmMarker)
	b.WriteString(d.CFEnte)
	b.WriteString(field(strings.ToUpper(d.DebtorCF), 16))
	b.WriteString(field(strings.ToUpper(d.DebtorName), 40))
	b.WriteString(field(d.Causale, 110))
	b.WriteString(strings.Repeat(" ", 12))
	b.WriteString("A")
	return b.String()
}

// Codeline is the codeline of the postal slip: avviso, account, amount and
// document type, each after its length.
func (d DataMatrix) Codeline() string {
	acc, _ := strconv.ParseInt(d.Account, 10, 64)
	return "18" + string(d.Avviso) + "12" + pad(acc, 12) + "10" + pad(d.AmountCents, 10) + "3" + dmDocType
}

// ParseDataMatrix reads the string a scanner gives for the Poste
// DataMatrix. Errors are EINVALID.
func ParseDataMatrix(s string) (DataMatrix, error) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, dmPhase) {
		return DataMatrix{}, app.Errorf(app.EINVALID, "non è il DataMatrix di un bollettino postale pagoPA")
	}
	if len(s) != DataMatrixLength {
		return DataMatrix{}, app.Errorf(app.EINVALID, "DataMatrix postale di %d caratteri invece di %d: lettura incompleta?", len(s), DataMatrixLength)
	}
	if s[13:15] != "18" || s[33:35] != "12" || s[47:49] != "10" || s[59:63] != "3"+dmDocType || s[63:66] != dmMarker || s[255] != 'A' {
		return DataMatrix{}, app.Errorf(app.EINVALID, "DataMatrix postale con campi fuori posto")
	}
	a, err := ParseAvviso(s[15:33])
	if err != nil {
		return DataMatrix{}, err
	}
	if !digits(s[35:47]) || !digits(s[49:59]) {
		return DataMatrix{}, app.Errorf(app.EINVALID, "DataMatrix postale: conto o importo non numerici")
	}
	amount, _ := strconv.ParseInt(s[49:59], 10, 64)
	d := DataMatrix{
		Avviso:      a,
		Account:     s[35:47],
		AmountCents: amount,
		CFEnte:      s[66:77],
		DebtorCF:    strings.TrimRight(s[77:93], " "),
		DebtorName:  strings.TrimRight(s[93:133], " "),
		Causale:     strings.TrimRight(s[133:243], " "),
	}
	if err := d.Validate(); err != nil {
		return DataMatrix{}, err
	}
	return d, nil
}

// field cleans s to the bollettino's characters and pads or cuts it to n.
func field(s string, n int) string {
	out := make([]byte, 0, n)
	for _, r := range s {
		if len(out) == n {
			break
		}
		out = append(out, plain(r))
	}
	for len(out) < n {
		out = append(out, ' ')
	}
	return string(out)
}

// plain maps a character to one the bollettino admits: accented letters
// to their base letter, anything else unknown to a space.
func plain(r rune) byte {
	switch {
	case r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		return byte(r)
	case strings.ContainsRune(" .,'-/()", r):
		return byte(r)
	}
	if i := strings.IndexRune(accented, r); i >= 0 {
		return unaccented[len([]rune(accented[:i]))]
	}
	return ' '
}

const (
	accented   = "àáâäèéêëìíîïòóôöùúûüÀÁÂÄÈÉÊËÌÍÎÏÒÓÔÖÙÚÛÜçÇñÑ’"
	unaccented = "aaaaeeeeiiiioooouuuuAAAAEEEEIIIIOOOOUUUUcCnN'"
)
