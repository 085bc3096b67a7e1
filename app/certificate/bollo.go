package certificate

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anpr"
)

// BolloCents is the imposta di bollo on an anagrafe certificate, per foglio
// (four pages): €16, DPR 642/1972 tariffa allegato A parte I art. 4 c. 1, in
// the amount set by DL 43/2013 art. 7-bis c. 3.
const BolloCents = 1600

// MarcaLength is the length of the identificativo of a marca da bollo (the
// contrassegno telematico sold by tobacconists): fourteen digits.
const MarcaLength = 14

// ExemptionOther is the ANPR exemption "ALTRO MOTIVO DI ESENZIONE": the
// applicant states the law, and the certificate prints that statement.
const ExemptionOther = 99

// StatoCivileExemption is the legal reference printed on stato civile
// certificates in place of an exemption of the ANPR table (see StatoCivile).
// Before Sportello applied ANPR's reading, the anagrafico di nascita and
// the certificato di cittadinanza were issued with it, without marca: those
// stored certificates keep it (validateShape accepts it on these two types
// only), no new one gets it (Validate refuses it).
const StatoCivileExemption = "certificato di stato civile (art. 7 L. 405/1990)"

// The notices of DPR 445/2000 art. 40. Notice goes on every certificate
// issued for use in Italy: c. 02 (added by L. 183/2011 art. 15) requires it
// in these words "a pena di nullità". NoticeAbroad replaces it on a
// certificate for use abroad, in the words of the Dipartimento della
// Funzione Pubblica, circolare 5/2012.
const (
	Notice       = "Il presente certificato non può essere prodotto agli organi della pubblica amministrazione o ai privati gestori di pubblici servizi (art. 40 DPR 445/2000)"
	NoticeAbroad = "Ai sensi dell'art. 40, d.P.R. 28 dicembre 2000, n. 445, il presente certificato è rilasciato solo per l'estero"
)

// Bollo is how the imposta di bollo of a certificate is settled: a marca da
// bollo, or an exemption of law. A stato civile certificate has neither: it
// is exempt by law, and ExemptionText says so.
type Bollo struct {
	// Marca is the 14-digit identificativo of the marca da bollo the
	// applicant brought; the counter records it so that one marca pays for
	// one certificate only.
	Marca string
	// ExemptionID is the ID of the ANPR table esenzione_bollo; 0 for none.
	ExemptionID int
	// ExemptionText is the legal reference printed on the certificate: the
	// table's description, or for ExemptionOther the applicant's statement
	// of the law that exempts the use.
	ExemptionText string
	// AmountCents is the bollo paid: BolloCents per foglio with a marca, 0
	// when exempt.
	AmountCents int64
	// DirittiExempt is the table's "ESENZIONE DIRITTO DI SEGRETERIA": the
	// exemption also waives the diritti di segreteria. It is copied from the
	// table at issue so that Fees, and a certificate read back years later,
	// need no table.
	DirittiExempt bool
}

// Exempt reports whether no marca is due.
func (b Bollo) Exempt() bool { return b.Marca == "" }

// ResolveBollo completes what the operator chose (a marca, or an exemption
// ID with, for ExemptionOther, the statement of the law) for a certificate of
// type t: the amount, the printed legal reference and the diritti flag. It
// returns EINVALID when the choice is wrong for the type or unknown to the
// reference tables (nil: the built-in defaults).
func ResolveBollo(t Type, b Bollo, refs *anpr.Index) (Bollo, error) {
	b = settle(t, b, refs)
	return b, b.Validate(t, refs)
}

// settle completes the operator's choice without judging it: the controls
// (Evaluate) and Validate say what is wrong with it.
func settle(t Type, b Bollo, refs *anpr.Index) Bollo {
	b.Marca = strings.TrimSpace(b.Marca)
	b.ExemptionText = strings.TrimSpace(b.ExemptionText)
	switch {
	case !t.Bollo():
		if b.ExemptionText == "" {
			b.ExemptionText = StatoCivileExemption
		}
	case b.Marca != "":
		if b.AmountCents == 0 {
			b.AmountCents = BolloCents
		}
	case b.ExemptionID != 0:
		e, ok := index(refs).Entry(anpr.TableBolloExemptions, b.ExemptionID)
		if !ok {
			break // Validate says so
		}
		if b.ExemptionID != ExemptionOther {
			b.ExemptionText = e.Description
		}
		b.DirittiExempt = e.Flag
	}
	return b
}

// Validate checks a settled bollo against the type and the reference
// tables (nil: the built-in defaults): a marca of exactly 14 digits for an
// amount of €16 per foglio, or an exemption of the table with its text and
// flag, never both; stato civile certificates take neither.
func (b Bollo) Validate(t Type, refs *anpr.Index) error {
	if b.legacy(t) {
		return app.Errorf(app.EINVALID, "il certificato %s è un certificato anagrafico in bollo: indicare il numero della marca da bollo (%d cifre) o il motivo di esenzione", lowerTitle(t), MarcaLength)
	}
	if !t.Bollo() || b.Marca != "" || b.ExemptionID == 0 {
		return b.validateShape(t)
	}
	e, ok := index(refs).Entry(anpr.TableBolloExemptions, b.ExemptionID)
	if !ok {
		return app.Errorf(app.EINVALID, "motivo di esenzione dal bollo %d sconosciuto: sceglierlo dalla tabella ANPR", b.ExemptionID)
	}
	if err := b.validateShape(t); err != nil {
		return err
	}
	switch {
	case b.ExemptionID != ExemptionOther && b.ExemptionText != e.Description:
		return app.Errorf(app.EINVALID, "il testo dell'esenzione %d non è quello della tabella ANPR", b.ExemptionID)
	case b.DirittiExempt != e.Flag:
		return app.Errorf(app.EINVALID, "esenzione dai diritti di segreteria diversa da quella della tabella ANPR per l'esenzione %d", b.ExemptionID)
	}
	return nil
}

// validateShape checks what does not depend on the tables, so that a
// certificate read back from storage stays valid after they change.
func (b Bollo) validateShape(t Type) error {
	switch {
	case b.Marca != "" && b.ExemptionID != 0:
		return app.Errorf(app.EINVALID, "marca da bollo ed esenzione insieme: indicare l'una o l'altra")
	case !t.Bollo() && (b.Marca != "" || b.ExemptionID != 0):
		return app.Errorf(app.EINVALID, "il certificato %s è esente da bollo per legge: non indicare marca né esenzione", lowerTitle(t))
	case !t.Bollo():
		if b.ExemptionText != StatoCivileExemption || b.AmountCents != 0 || b.DirittiExempt {
			return app.Errorf(app.EINVALID, "bollo del certificato di stato civile non valido")
		}
		return nil
	case b.legacy(t):
		return nil
	case b.Marca == "" && b.ExemptionID == 0:
		return app.Errorf(app.EINVALID, "certificato in bollo: indicare il numero della marca da bollo (%d cifre) o il motivo di esenzione", MarcaLength)
	case b.Marca != "":
		if !ValidMarca(b.Marca) {
			return app.Errorf(app.EINVALID, "numero della marca da bollo non valido %q: sono %d cifre", b.Marca, MarcaLength)
		}
		if b.AmountCents <= 0 || b.AmountCents%BolloCents != 0 {
			return app.Errorf(app.EINVALID, "importo del bollo non valido: %s per foglio", app.Euro(BolloCents))
		}
		if b.ExemptionText != "" || b.DirittiExempt {
			return app.Errorf(app.EINVALID, "certificato in bollo con testo di esenzione")
		}
		return nil
	}
	switch {
	case b.ExemptionID < 0:
		return app.Errorf(app.EINVALID, "motivo di esenzione dal bollo %d sconosciuto", b.ExemptionID)
	case b.AmountCents != 0:
		return app.Errorf(app.EINVALID, "certificato esente con importo del bollo")
	case b.ExemptionID == ExemptionOther && (len([]rune(b.ExemptionText)) < 8 || strings.EqualFold(b.ExemptionText, "ALTRO MOTIVO DI ESENZIONE")):
		return app.Errorf(app.EINVALID, "esenzione per altro motivo: indicare la norma di legge che la prevede")
	case !printable(b.ExemptionText, maxTextRunes):
		return app.Errorf(app.EINVALID, "testo dell'esenzione mancante o troppo lungo")
	}
	return nil
}

// legacy reports whether b is the bollo of a birth or citizenship
// certificate issued as a stato civile one (see StatoCivileExemption).
func (b Bollo) legacy(t Type) bool {
	return legacyStatoCivile(t) && b.Marca == "" && b.ExemptionID == 0 &&
		b.ExemptionText == StatoCivileExemption && b.AmountCents == 0 && !b.DirittiExempt
}

// legacyStatoCivile reports whether certificates of type t were issued as
// stato civile ones, without marca nor exemption, before Sportello read
// ANPR rightly: their stamps still verify, and they still reprint; New
// issues no more of them.
func legacyStatoCivile(t Type) bool { return t.Bollo() && (t.ID == 1 || t.ID == 5) }

// ValidMarca reports whether s is the identificativo of a marca da bollo:
// exactly fourteen ASCII digits.
func ValidMarca(s string) bool {
	if len(s) != MarcaLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ComuneFees are a comune's diritti di segreteria on a certificate. The
// law's amounts are those of L. 604/1962 tabella D (€0.52 in bollo, €0.26
// in carta libera, DefaultFees); comuni print others, so they are
// configuration. The diritti follow the bollo: a certificate with a marca
// pays WithBolloCents, which ANPR requires to be more than zero (control
// CtlDirittiZero); an exempt one ExemptCents, or nothing when its
// exemption waives the diritti too (esenzione_bollo, column "ESENZIONE
// DIRITTO DI SEGRETERIA").
type ComuneFees struct {
	WithBolloCents int64 // on a certificate with a marca da bollo
	ExemptCents    int64 // on a certificate exempt from bollo (carta libera)
	// StatoCivileCents is charged on stato civile certificates, which the
	// counter no longer issues (see StatoCivile): it prices the reprint of
	// one issued before. The comuni we read charge nothing; 0 by default.
	StatoCivileCents int64
}

// DefaultFees are the amounts of L. 604/1962 tabella D.
var DefaultFees = ComuneFees{WithBolloCents: 52, ExemptCents: 26}

// RecordFees is the kind of the hub's record of a comune's fees (app.Record,
// key the comune's Belfiore code, in the comune's scope); a comune without
// one charges DefaultFees.
const RecordFees = "comune_fees"

type feesJSON struct {
	WithBollo   int64 `json:"with_bollo_cents"`
	Exempt      int64 `json:"exempt_cents"`
	StatoCivile int64 `json:"stato_civile_cents"`
}

// FeesRecord is the record that sets the comune's fees.
func FeesRecord(comune string, f ComuneFees) (app.Record, error) {
	if err := f.Validate(); err != nil {
		return app.Record{}, err
	}
	b, err := json.Marshal(feesJSON{f.WithBolloCents, f.ExemptCents, f.StatoCivileCents})
	if err != nil {
		return app.Record{}, err
	}
	return app.Record{Kind: RecordFees, Key: comune, Data: b}, nil
}

// ParseFees reads the record's data; EINVALID for anything else.
func ParseFees(data []byte) (ComuneFees, error) {
	var j feesJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return ComuneFees{}, app.Errorf(app.EINVALID, "diritti di segreteria non leggibili: %v", err)
	}
	f := ComuneFees{WithBolloCents: j.WithBollo, ExemptCents: j.Exempt, StatoCivileCents: j.StatoCivile}
	return f, f.Validate()
}

// Validate refuses negative amounts.
func (f ComuneFees) Validate() error {
	if f.WithBolloCents < 0 || f.ExemptCents < 0 || f.StatoCivileCents < 0 {
		return app.Errorf(app.EINVALID, "diritti di segreteria negativi")
	}
	return nil
}

// Fees returns the bollo paid with the marca and the diritti di segreteria
// due to the comune for a certificate of type t with a valid bollo b.
// Stato civile certificates pay StatoCivileCents; an exemption whose
// DirittiExempt is set (the table's "SI") waives the diritti too.
func Fees(t Type, b Bollo, fees ComuneFees) (bolloCents, dirittiCents int64) {
	switch {
	case !t.Bollo() || b.legacy(t):
		return 0, fees.StatoCivileCents
	case b.Marca != "":
		if b.AmountCents == 0 {
			return BolloCents, fees.WithBolloCents
		}
		return b.AmountCents, fees.WithBolloCents
	case b.DirittiExempt:
		return 0, 0
	}
	return 0, fees.ExemptCents
}

var defaultIndex = sync.OnceValue(func() *anpr.Index { return anpr.NewIndex(anpr.Defaults()) })

func index(refs *anpr.Index) *anpr.Index {
	if refs == nil {
		return defaultIndex()
	}
	return refs
}

// maxTextRunes bounds the free texts a certificate prints (use, exemption):
// they must fit their line.
const maxTextRunes = 300

// printable reports whether s is non-empty, at most max runes of valid
// UTF-8, without control characters or surrounding space.
func printable(s string, max int) bool {
	if s == "" || !utf8.ValidString(s) || strings.TrimSpace(s) != s || utf8.RuneCountInString(s) > max {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}
