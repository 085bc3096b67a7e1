package request

import (
	"bytes"
	"fmt"
	"math"
	"net/mail"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/cf"
)

// Values are a filled form, by field id. A MultiChoice holds its option ids
// separated by commas; an Attachment the names of its files.
type Values map[string]string

// Member is a person of the applicant's family sheet, for a FamilyMember
// field.
type Member struct {
	CodiceFiscale string
	Name          string
	BirthDate     time.Time
}

// Applicant is what a form is checked against besides its definition: who
// applies, their family, and the day (for ages).
type Applicant struct {
	CodiceFiscale string
	Family        []Member
	Today         time.Time
}

// Limits of attachments: they travel through the outbox and are kept at
// the workstation until the hub has them, so they are bounded.
const (
	MaxAttachmentSize  = 5 << 20  // one file
	MaxAttachmentTotal = 10 << 20 // all the files of a request
	MaxAttachments     = 10
)

// DefaultAttachmentTypes are the content types an Attachment takes unless
// its field says otherwise: what a scanner or a phone produces.
var DefaultAttachmentTypes = []string{"application/pdf", "image/jpeg", "image/png", "image/tiff"}

// AttachmentMeta is a file attached to a request, without its content.
type AttachmentMeta struct {
	Field  string
	Name   string
	Type   string // sniffed from the content, never taken from the name
	Size   int64
	SHA256 string // hex of the content: the hub stores it by this
}

var shaRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// SniffType recognises the content types attachments may have by their
// first bytes; "" for anything else. The name of a file says nothing: a
// renamed executable is not a PDF.
func SniffType(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return "application/pdf"
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return "image/jpeg"
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(b, []byte("II*\x00")), bytes.HasPrefix(b, []byte("MM\x00*")):
		return "image/tiff"
	}
	return ""
}

// CleanName makes a file name safe to keep and show: its base, without
// control characters, at most 120 bytes.
func CleanName(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '/' {
			return -1
		}
		return r
	}, name)
	for len(name) > 120 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if name == "" || name == "." || name == ".." {
		name = "allegato"
	}
	return name
}

// CheckAttachments checks the files of a request against the limits.
func CheckAttachments(atts []AttachmentMeta) error {
	if len(atts) > MaxAttachments {
		return app.Errorf(app.EINVALID, "troppi allegati: al massimo %d", MaxAttachments)
	}
	var total int64
	for _, a := range atts {
		switch {
		case a.Size <= 0:
			return app.Errorf(app.EINVALID, "l'allegato %s è vuoto", a.Name)
		case a.Size > MaxAttachmentSize:
			return app.Errorf(app.EINVALID, "l'allegato %s supera %d MB", a.Name, MaxAttachmentSize>>20)
		case !shaRE.MatchString(a.SHA256):
			return app.Errorf(app.EINVALID, "allegato %s senza impronta", a.Name)
		case a.Name != CleanName(a.Name):
			return app.Errorf(app.EINVALID, "nome dell'allegato non valido %q", a.Name)
		case !slices.Contains(DefaultAttachmentTypes, a.Type):
			return app.Errorf(app.EINVALID, "l'allegato %s non è un PDF o un'immagine (JPEG, PNG, TIFF)", a.Name)
		}
		total += a.Size
	}
	if total > MaxAttachmentTotal {
		return app.Errorf(app.EINVALID, "gli allegati superano in tutto %d MB", MaxAttachmentTotal>>20)
	}
	return nil
}

// FieldError is what is wrong with one field.
type FieldError struct {
	Field   string
	Label   string
	Message string
}

// FormError lists what is wrong with a form, field by field. Its code is
// EINVALID; its message names the first problem and how many there are.
type FormError struct {
	Service string
	Fields  []FieldError
}

func (e *FormError) Error() string { return e.Unwrap().Error() }

// Unwrap gives the domain error the counter shows.
func (e *FormError) Unwrap() error {
	if len(e.Fields) == 0 {
		return app.Errorf(app.EINVALID, "modulo non valido")
	}
	f := e.Fields[0]
	msg := fmt.Sprintf("%s: %s", f.Label, f.Message)
	if n := len(e.Fields) - 1; n == 1 {
		msg += " (e un altro campo da correggere)"
	} else if n > 1 {
		msg += fmt.Sprintf(" (e altri %d campi da correggere)", n)
	}
	return app.Errorf(app.EINVALID, "%s", msg)
}

// For returns the message for field id, "" when it is fine.
func (e *FormError) For(id string) string {
	for _, f := range e.Fields {
		if f.Field == id {
			return f.Message
		}
	}
	return ""
}

// ValidateForm checks a filled form against the service's definition and
// returns it normalised (dates as 2006-01-02, amounts as 12.50, codes in
// capitals): the counter stores and the hub compares the same text. It is
// the one check of a form, at the counter and at the hub. Errors are a
// *FormError (EINVALID).
func (s *Service) ValidateForm(v Values, atts []AttachmentMeta, a Applicant) (Values, error) {
	fe := &FormError{Service: s.ID}
	out := Values{}
	for k := range v {
		if _, ok := s.Field(k); !ok {
			fe.Fields = append(fe.Fields, FieldError{Field: k, Label: k, Message: "campo sconosciuto al modulo"})
		}
	}
	if err := CheckAttachments(atts); err != nil {
		fe.Fields = append(fe.Fields, FieldError{Field: "", Label: "Allegati", Message: app.ErrorMessage(err)})
	}
	for _, a := range atts {
		if f, ok := s.Field(a.Field); !ok || f.Type != Attachment {
			fe.Fields = append(fe.Fields, FieldError{Field: a.Field, Label: "Allegati", Message: fmt.Sprintf("il file %s non corrisponde a un allegato del modulo", a.Name)})
		}
	}
	for _, f := range s.Fields {
		raw := v[f.ID]
		if f.Type == Attachment {
			raw = attachedNames(atts, f.ID)
		}
		norm, msg := f.check(raw, atts, a)
		if msg != "" {
			fe.Fields = append(fe.Fields, FieldError{Field: f.ID, Label: f.Label, Message: msg})
			continue
		}
		if norm != "" {
			out[f.ID] = norm
		}
	}
	if len(fe.Fields) == 0 {
		checkPost(s, out, fe)
	}
	if len(fe.Fields) > 0 {
		return nil, fe
	}
	return out, nil
}

func attachedNames(atts []AttachmentMeta, field string) string {
	var names []string
	for _, a := range atts {
		if a.Field == field {
			names = append(names, a.Name)
		}
	}
	return strings.Join(names, ", ")
}

// check validates one value; it returns the normalised value, or the
// message for the operator.
func (f *Field) check(raw string, atts []AttachmentMeta, a Applicant) (string, string) {
	v := strings.TrimSpace(raw)
	if !utf8.ValidString(v) {
		return "", "testo non valido"
	}
	if v == "" || (f.Type == Consent && !yes(v)) {
		if f.Required {
			if f.Type == Consent {
				return "", "serve il consenso"
			}
			if f.Type == Attachment {
				return "", "allegato obbligatorio"
			}
			return "", "obbligatorio"
		}
		if f.Type == Consent && v != "" && !no(v) {
			return "", "rispondere sì o no"
		}
		return "", ""
	}
	switch f.Type {
	case Text, LongText:
		max := 200
		if f.Type == LongText {
			max = 4000
		}
		if f.Max > 0 {
			max = int(f.Max)
		}
		if n := utf8.RuneCountInString(v); n > max {
			return "", fmt.Sprintf("al massimo %d caratteri", max)
		} else if f.Min > 0 && n < int(f.Min) {
			return "", fmt.Sprintf("almeno %d caratteri", int(f.Min))
		}
		for _, r := range v {
			if unicode.IsControl(r) && !(f.Type == LongText && (r == '\n' || r == '\t')) {
				return "", "contiene caratteri non ammessi"
			}
		}
		if f.Type == LongText {
			v = strings.ReplaceAll(v, "\r\n", "\n")
		}
		return v, ""
	case Number:
		n, ok := parseDecimal(v, 6)
		if !ok {
			return "", "non è un numero"
		}
		if f.Max > f.Min && (n < f.Min || n > f.Max) {
			return "", fmt.Sprintf("deve essere tra %s e %s", trimFloat(f.Min), trimFloat(f.Max))
		}
		return trimFloat(n), ""
	case Amount:
		n, ok := parseDecimal(v, 2)
		if !ok || n < 0 || n > 1e9 {
			return "", "importo non valido: ad esempio 120,50"
		}
		if f.Max > f.Min && (n < f.Min || n > f.Max) {
			return "", fmt.Sprintf("deve essere tra %s e %s euro", strconv.FormatFloat(f.Min, 'f', 2, 64), strconv.FormatFloat(f.Max, 'f', 2, 64))
		}
		return strconv.FormatFloat(n, 'f', 2, 64), ""
	case Date:
		d, ok := ParseDate(v)
		if !ok {
			return "", "data non valida: gg/mm/aaaa"
		}
		return d.Format(app.DateLayout), ""
	case CodiceFisc:
		code := cf.Normalize(v)
		if _, err := cf.Parse(code); err != nil {
			return "", "codice fiscale non valido"
		}
		return code, ""
	case PartitaIVA:
		p, err := NormalizePartitaIVA(v)
		if err != nil {
			return "", app.ErrorMessage(err)
		}
		return p, ""
	case IBAN:
		i, err := NormalizeIBAN(v)
		if err != nil {
			return "", app.ErrorMessage(err)
		}
		return i, ""
	case Email:
		e, ok := NormalizeEmail(v)
		if !ok {
			return "", "indirizzo email non valido"
		}
		return e, ""
	case Phone:
		p, ok := NormalizePhone(v)
		if !ok {
			return "", "numero di telefono non valido"
		}
		return p, ""
	case Choice:
		for _, o := range f.Options {
			if o.ID == v {
				return v, ""
			}
		}
		return "", "scelta non prevista"
	case MultiChoice:
		picked := map[string]bool{}
		for _, p := range strings.Split(v, ",") {
			p = strings.TrimSpace(p)
			if p == "" {
				continue
			}
			if !slices.ContainsFunc(f.Options, func(o Option) bool { return o.ID == p }) {
				return "", fmt.Sprintf("scelta non prevista %q", p)
			}
			picked[p] = true
		}
		var ids []string
		for _, o := range f.Options {
			if picked[o.ID] {
				ids = append(ids, o.ID)
			}
		}
		if len(ids) == 0 && f.Required {
			return "", "obbligatorio"
		}
		return strings.Join(ids, ","), ""
	case FamilyMember:
		code := cf.Normalize(v)
		for _, m := range a.Family {
			if m.CodiceFiscale != code {
				continue
			}
			if f.Member == "minor" && !a.Today.IsZero() && ageOn(m.BirthDate, a.Today) >= 18 {
				return "", m.Name + " è maggiorenne"
			}
			return code, ""
		}
		return "", "non è un componente della famiglia del richiedente"
	case Attachment:
		accept := f.AcceptedTypes()
		for _, at := range atts {
			if at.Field == f.ID && !slices.Contains(accept, at.Type) {
				return "", fmt.Sprintf("il file %s non è di un tipo ammesso", at.Name)
			}
		}
		return v, ""
	case Consent:
		return "si", ""
	}
	return "", "tipo di campo sconosciuto"
}

func yes(v string) bool {
	switch strings.ToLower(v) {
	case "si", "sì", "true", "1", "yes", "x":
		return true
	}
	return false
}

func no(v string) bool {
	switch strings.ToLower(v) {
	case "no", "false", "0":
		return true
	}
	return false
}

func ageOn(birth, day time.Time) int {
	y := day.Year() - birth.Year()
	if day.Month() < birth.Month() || (day.Month() == birth.Month() && day.Day() < birth.Day()) {
		y--
	}
	return y
}

// parseDecimal reads "1234", "1234,5", "1234.50" with at most decimals
// digits after the separator. Thousands separators are refused: "1.234"
// is ambiguous between languages.
func parseDecimal(v string, decimals int) (float64, bool) {
	v = strings.Replace(v, ",", ".", 1)
	intPart, frac, hasFrac := strings.Cut(v, ".")
	neg := strings.HasPrefix(intPart, "-")
	intPart = strings.TrimPrefix(intPart, "-")
	if intPart == "" || len(intPart) > 12 || (hasFrac && (frac == "" || len(frac) > decimals)) {
		return 0, false
	}
	for _, s := range []string{intPart, frac} {
		for _, r := range s {
			if r < '0' || r > '9' {
				return 0, false
			}
		}
	}
	n, err := strconv.ParseFloat(intPart+"."+frac+"0", 64)
	if err != nil || math.IsInf(n, 0) {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}

func trimFloat(n float64) string { return strconv.FormatFloat(n, 'f', -1, 64) }

// ParseDate reads a date as the counter types it (02/01/2006, 2/1/2006) or
// as stored (2006-01-02), between 1900 and 2100.
func ParseDate(v string) (time.Time, bool) {
	for _, layout := range []string{"02/01/2006", "2/1/2006", app.DateLayout, "02-01-2006", "02.01.2006"} {
		if d, err := time.Parse(layout, v); err == nil {
			if d.Year() < 1900 || d.Year() > 2100 {
				return time.Time{}, false
			}
			return d, true
		}
	}
	return time.Time{}, false
}

// NormalizePartitaIVA checks an Italian partita IVA: 11 digits, the last
// the check digit of the Agenzia delle Entrate's algorithm (Luhn's: the
// digits in even positions doubled, 9 taken from those over 9), the first
// seven not all zero. An "IT" prefix and spaces are dropped.
func NormalizePartitaIVA(v string) (string, error) {
	p := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(v), " ", ""))
	p = strings.TrimPrefix(p, "IT")
	if len(p) != 11 || strings.Trim(p, "0123456789") != "" {
		return "", app.Errorf(app.EINVALID, "la partita IVA ha 11 cifre")
	}
	if p[:7] == "0000000" {
		return "", app.Errorf(app.EINVALID, "partita IVA non valida")
	}
	if PartitaIVACheck(p[:10]) != p[10] {
		return "", app.Errorf(app.EINVALID, "partita IVA non valida: cifra di controllo errata")
	}
	return p, nil
}

// PartitaIVACheck is the check digit of the first ten digits of a partita
// IVA.
func PartitaIVACheck(first10 string) byte {
	sum := 0
	for i := 0; i < 10 && i < len(first10); i++ {
		d := int(first10[i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

// ibanLengths are the IBAN lengths of the countries a counter meets most
// (SEPA); any other country is checked for the general 15-34.
var ibanLengths = map[string]int{"IT": 27, "SM": 27, "VA": 22, "FR": 27, "DE": 22, "ES": 24, "AT": 20, "BE": 16,
	"CH": 21, "NL": 18, "PT": 25, "GB": 22, "IE": 22, "LU": 20, "MT": 31, "SI": 19, "HR": 21, "RO": 24, "PL": 28,
	"GR": 27, "AL": 28, "MC": 27, "LI": 21, "CZ": 24, "SK": 24, "HU": 28, "BG": 22, "DK": 18, "SE": 24, "FI": 18,
	"NO": 15, "EE": 20, "LV": 21, "LT": 20, "CY": 28, "IS": 26, "UA": 29, "MD": 24, "RS": 22, "BA": 20, "ME": 22, "MK": 19}

// NormalizeIBAN checks an IBAN by ISO 13616: the country's length, and the
// number formed by moving the first four characters to the end, letters
// read as 10-35, must leave 1 divided by 97. Spaces are dropped.
func NormalizeIBAN(v string) (string, error) {
	s := strings.ToUpper(strings.Join(strings.Fields(v), ""))
	if len(s) < 15 || len(s) > 34 {
		return "", app.Errorf(app.EINVALID, "IBAN di lunghezza non valida")
	}
	for i, r := range s {
		switch {
		case i < 2 && (r < 'A' || r > 'Z'), i >= 2 && i < 4 && (r < '0' || r > '9'):
			return "", app.Errorf(app.EINVALID, "l'IBAN comincia con il paese e due cifre di controllo")
		case (r < 'A' || r > 'Z') && (r < '0' || r > '9'):
			return "", app.Errorf(app.EINVALID, "l'IBAN contiene caratteri non ammessi")
		}
	}
	if n, ok := ibanLengths[s[:2]]; ok && len(s) != n {
		return "", app.Errorf(app.EINVALID, "un IBAN %s ha %d caratteri", s[:2], n)
	}
	if ibanMod97(s[4:]+s[:4]) != 1 {
		return "", app.Errorf(app.EINVALID, "IBAN non valido: cifre di controllo errate")
	}
	return s, nil
}

func ibanMod97(s string) int {
	m := 0
	for _, r := range s {
		if r >= 'A' {
			m = (m*100 + int(r-'A'+10)) % 97
		} else {
			m = (m*10 + int(r-'0')) % 97
		}
	}
	return m
}

// NormalizeEmail checks a bare address (no display name): a local part, a
// domain with a dot; the domain in lower case.
func NormalizeEmail(v string) (string, bool) {
	if len(v) > 254 || strings.ContainsAny(v, " <>\"") {
		return "", false
	}
	a, err := mail.ParseAddress(v)
	if err != nil || a.Address != v {
		return "", false
	}
	local, domain, ok := strings.Cut(v, "@")
	if !ok || local == "" || !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return "", false
	}
	for _, r := range domain {
		if !(r == '.' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return "", false
		}
	}
	return local + "@" + strings.ToLower(domain), true
}

// NormalizePhone keeps the digits of a phone number (and a leading +;
// 00 becomes +): 6 to 15 digits, as E.164 allows.
func NormalizePhone(v string) (string, bool) {
	s := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '.', '/', '(', ')':
			return -1
		}
		return r
	}, v)
	plus := strings.HasPrefix(s, "+")
	s = strings.TrimPrefix(s, "+")
	if !plus && strings.HasPrefix(s, "00") {
		plus, s = true, s[2:]
	}
	if len(s) < 6 || len(s) > 15 || strings.Trim(s, "0123456789") != "" {
		return "", false
	}
	if plus {
		s = "+" + s
	}
	return s, true
}
