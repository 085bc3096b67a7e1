package request

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
)

// PostService is the catalogue's service "Certificato per posta": the
// citizen asks at the kiosk, at the counter or on the hub's public page
// for an anagrafe certificate to be mailed home. Its form carries the
// certificate (type, use, bollo or exemption) and the postal address; the
// back office issues it, posts it and charges the postage (app/post).
// Every boundary that checks a form (the workstation's desk, the hub's
// application of the request, its public page) checks this one also with
// PostOrderOf, so a request with an address the postman cannot read is
// refused before it takes a protocol number.
const PostService = "certificato-per-posta"

// The field ids of the PostService form.
const (
	PostFieldType      = "tipo_certificato"
	PostFieldUse       = "uso"
	PostFieldBollo     = "bollo"
	PostFieldExemption = "esenzione"
	PostFieldRecipient = "destinatario"
	PostFieldStreet    = "indirizzo_recapito"
	PostFieldCAP       = "cap"
	PostFieldComune    = "comune_recapito"
	PostFieldProvincia = "provincia"
)

// The answers of the bollo field.
const (
	PostBolloMarca     = "marca"     // €16, charged with the postage
	PostBolloExemption = "esenzione" // an exemption of law the applicant declares
)

// PostTypes are the certificate types a citizen may ask by post: the
// anagrafe certificates that need nothing else than the person (the
// historical one "alla data" needs a date the form does not ask).
var PostTypes = []string{"residenza", "stato-di-famiglia", "contestuale-residenza-stato-di-famiglia", "nascita",
	"cittadinanza", "esistenza-in-vita", "stato-civile", "stato-libero", "matrimonio", "residenza-storico"}

// Address is a postal address in Italy as Poste Italiane wants it on an
// envelope: the recipient, the street with its number, then CAP, locality
// and the province's two letters on one line.
type Address struct {
	Recipient string
	Street    string
	CAP       string
	Comune    string
	Provincia string
}

// MaxAddressLine is the longest line of an address, in characters: what
// the window of a DL envelope shows at the size the address is printed
// (printing.PostAddress) and what Poste's sorting machines read on one
// line.
const MaxAddressLine = 44

// Lines are the address as printed: recipient, street, "CAP COMUNE PR".
func (a Address) Lines() []string {
	return []string{a.Recipient, a.Street, a.CAP + " " + strings.ToUpper(a.Comune) + " " + a.Provincia}
}

// ParseAddress checks and normalises an address: white space folded,
// province in capitals. EINVALID names every wrong part.
func ParseAddress(recipient, street, cap, comune, provincia string) (Address, error) {
	a := Address{Recipient: squash(recipient), Street: squash(street), CAP: strings.TrimSpace(cap),
		Comune: squash(comune), Provincia: strings.ToUpper(strings.TrimSpace(provincia))}
	var bad []string
	if msg := addressText(a.Recipient, 2); msg != "" {
		bad = append(bad, "destinatario "+msg)
	}
	if msg := addressText(a.Street, 3); msg != "" {
		bad = append(bad, "indirizzo "+msg)
	} else if !hasHouseNumber(a.Street) {
		bad = append(bad, "indirizzo senza numero civico (o \"snc\")")
	}
	if len(a.CAP) != 5 || strings.Trim(a.CAP, "0123456789") != "" {
		bad = append(bad, "CAP di 5 cifre")
	}
	if msg := addressText(a.Comune, 2); msg != "" {
		bad = append(bad, "comune "+msg)
	} else if strings.IndexFunc(a.Comune, unicode.IsDigit) >= 0 {
		bad = append(bad, "comune con cifre")
	}
	if !provinces[a.Provincia] {
		bad = append(bad, "provincia: la sigla di 2 lettere (ad esempio MI)")
	}
	if len(bad) == 0 && utf8.RuneCountInString(a.Lines()[2]) > MaxAddressLine {
		bad = append(bad, fmt.Sprintf("CAP, comune e provincia oltre %d caratteri", MaxAddressLine))
	}
	if len(bad) > 0 {
		return Address{}, app.Errorf(app.EINVALID, "indirizzo di spedizione non valido: %s", strings.Join(bad, "; "))
	}
	return a, nil
}

// squash trims s and folds its runs of white space into one space.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// addressText is "" when s is a line an envelope can carry: letters,
// digits and the punctuation of Italian addresses, between min and
// MaxAddressLine characters; otherwise what is wrong.
func addressText(s string, min int) string {
	n := utf8.RuneCountInString(s)
	switch {
	case !utf8.ValidString(s):
		return "non leggibile"
	case n < min:
		return "mancante"
	case n > MaxAddressLine:
		return fmt.Sprintf("oltre %d caratteri", MaxAddressLine)
	}
	letters := 0
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letters++
			if r > 0x24F { // Latin scripts only: the font and the postman read those
				return "con caratteri non latini"
			}
		case unicode.IsDigit(r) && r < 0x80, r == ' ':
		case strings.ContainsRune(".,'’-/°()&", r):
		default:
			return fmt.Sprintf("con un carattere non ammesso %q", r)
		}
	}
	if letters == 0 {
		return "senza lettere"
	}
	return ""
}

// hasHouseNumber reports whether a street line carries a number or "snc"
// (senza numero civico).
func hasHouseNumber(s string) bool {
	if strings.IndexFunc(s, unicode.IsDigit) >= 0 {
		return true
	}
	for _, w := range strings.Fields(strings.ToLower(s)) {
		if strings.Trim(w, ".,") == "snc" {
			return true
		}
	}
	return false
}

// provinces are the sigle automobilistiche of Italy's provinces and
// metropolitan cities (ISTAT, 107), with those of Sardinia's new
// provinces (SU, and the reinstated OT, OG, VS, CI) that addresses still
// carry, and SM and CV for San Marino and the Vatican City, which Poste
// serves as Italian addresses.
var provinces = func() map[string]bool {
	m := map[string]bool{}
	for _, p := range strings.Fields(`AG AL AN AO AP AQ AR AT AV BA BG BI BL BN BO BR BS BT BZ CA CB CE CH CI CL CN CO CR CS CT CZ
		EN FC FE FG FI FM FR GE GO GR IM IS KR LC LE LI LO LT LU MB MC ME MI MN MO MS MT NA NO NU OG OR OT PA PC PD PE PG PI PN PO
		PR PT PU PV PZ RA RC RE RG RI RM RN RO SA SI SO SP SR SS SU SV TA TE TN TO TP TR TS TV UD VA VB VC VE VI VR VS VT VV SM CV`) {
		m[p] = true
	}
	return m
}()

// PostOrder is what a request of PostService asks: which certificate, for
// which use, with which bollo, to which address.
type PostOrder struct {
	Type        string // certificate.Type slug
	Use         string
	Marca       bool // the bollo is due (€16, charged with the postage)
	ExemptionID int  // the ANPR esenzione_bollo declared, when not Marca
	Address     Address
}

// PostOrderOf reads and checks the order of a PostService form: an
// EINVALID error names every wrong part, and nothing of a wrong form is
// used.
func PostOrderOf(v Values) (*PostOrder, error) {
	var bad []string
	o := &PostOrder{Type: strings.TrimSpace(v[PostFieldType]), Use: squash(v[PostFieldUse])}
	if !validPostType(o.Type) {
		bad = append(bad, fmt.Sprintf("tipo di certificato %q non richiedibile per posta", o.Type))
	}
	if utf8.RuneCountInString(o.Use) > 120 || !utf8.ValidString(o.Use) {
		bad = append(bad, "uso: al massimo 120 caratteri")
	}
	ex := strings.TrimSpace(v[PostFieldExemption])
	switch strings.TrimSpace(v[PostFieldBollo]) {
	case PostBolloMarca:
		o.Marca = true
		if ex != "" {
			bad = append(bad, "esenzione indicata con il bollo: l'una o l'altro")
		}
	case PostBolloExemption:
		n, err := strconv.Atoi(ex)
		if err != nil || n <= 0 || n > 9999 {
			bad = append(bad, "esenzione dal bollo: il numero della tabella ANPR delle esenzioni")
		}
		o.ExemptionID = n
	default:
		bad = append(bad, "bollo: marca da bollo o esenzione")
	}
	a, err := ParseAddress(v[PostFieldRecipient], v[PostFieldStreet], v[PostFieldCAP], v[PostFieldComune], v[PostFieldProvincia])
	if err != nil {
		bad = append(bad, strings.TrimPrefix(app.ErrorMessage(err), "indirizzo di spedizione non valido: "))
	}
	o.Address = a
	if len(bad) > 0 {
		return nil, app.Errorf(app.EINVALID, "certificato per posta: %s", strings.Join(bad, "; "))
	}
	return o, nil
}

func validPostType(slug string) bool {
	for _, s := range PostTypes {
		if s == slug {
			_, err := certificate.TypeBySlug(slug)
			return err == nil
		}
	}
	return false
}

// checkPost applies PostOrderOf to a checked form of PostService, as a
// field error of the form, and keeps the address as it will be printed
// (the province in capitals, white space folded).
func checkPost(s *Service, v Values, fe *FormError) {
	if s.ID != PostService {
		return
	}
	o, err := PostOrderOf(v)
	if err != nil {
		fe.Fields = append(fe.Fields, FieldError{Field: PostFieldStreet, Label: s.Title, Message: app.ErrorMessage(err)})
		return
	}
	a := o.Address
	v[PostFieldRecipient], v[PostFieldStreet], v[PostFieldCAP], v[PostFieldComune], v[PostFieldProvincia] = a.Recipient, a.Street, a.CAP, a.Comune, a.Provincia
}
