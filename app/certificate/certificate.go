package certificate

import (
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/app/cf"
)

// maxNameRunes bounds a surname or given name, so that the stamp stays a
// QR code a phone reads.
const maxNameRunes = 100

// Person is what a certificate certifies of its holder, names resolved as
// printed.
type Person struct {
	CodiceFiscale string
	Surname       string
	GivenName     string
	Sex           string // "M" or "F": "nato" or "nata"
	BirthDate     time.Time
	BirthPlace    string // name of the comune or foreign state on the birth date
	Citizenship   string // "ITALIANA"
	CivilStatus   string // ANPR description: "Celibe/Nubile"
	Relationship  string // towards the head of the family or convivenza
	Address       string // as app.Address prints it
	RegisteredOn  time.Time
	CancelledOn   time.Time
	CancelReason  string
	Status        app.Status
}

// Member is a line of the family on a family certificate.
type Member struct {
	CodiceFiscale string // identifies the line; not printed
	Surname       string
	GivenName     string
	Sex           string
	BirthDate     time.Time
	BirthPlace    string
	Relationship  string // printed on the certificate con rapporti di parentela
	CivilStatus   string // printed on the certificate di stato di famiglia e di stato civile
}

// Certificate is an issued certificate: what it certifies and how it was
// issued. Its certified text (CertifiedText) is what the stamp's digest
// binds.
type Certificate struct {
	Number Number
	Type   Type
	// ComuneCode and ComuneName are the comune in whose name the
	// certificate is issued: the citizen's, which is not the workstation's
	// when a counter issues for a citizen of another comune of the network.
	ComuneCode string
	ComuneName string
	Person     Person
	Family     []Member // family types only, head first
	Civil      Civil    // the facts of the civil and residence history (civil.go)
	// Use is the use the applicant declares ("uso"). It decides the bollo:
	// an exemption exists only for a use the law names, and the office
	// prints the use on an exempt certificate.
	Use    string
	Abroad bool // for use abroad: NoticeAbroad replaces Notice
	// Destination is ANPR's use for immigration procedures or for court:
	// its words replace the notice of art. 40 (Notice).
	Destination Destination
	// PARequest is the reference of the request of the public
	// administration that asks for the certificate, printed ("estremi
	// della richiesta", ANPR control CtlRichiedentePA).
	PARequest string
	Bollo     Bollo
	// Forced are the ANPR controls the officer overrode, with the reason.
	// The certificate prints each control's Statement (the fact that
	// applies), never the reason, which the audit trail keeps.
	Forced []Forcing
	// IssuedAt is the moment of issue, UTC, whole seconds; AsOf is when the
	// data it certifies was last heard from the hub ("dati anagrafici
	// aggiornati al"), never after IssuedAt.
	IssuedAt time.Time
	AsOf     time.Time
	Offline  bool // issued from the cache with the hub unreachable: checked at sync
	// Duplicate marks a reprint. It is not part of the certified text: a
	// duplicate certifies the same facts under the same number and stamp.
	Duplicate bool
	Operator  string // username of the operator who issued it
}

// Request is what the counter decides when it issues a certificate.
type Request struct {
	Number      Number
	Use         string
	Abroad      bool
	Destination Destination
	// RequesterPA: a public administration asks; PARequest is the
	// reference of its request, which ANPR requires (and requires too with
	// the exemption "scambio di atti fra PP.AA.").
	RequesterPA bool
	PARequest   string
	Bollo       Bollo // Marca, or ExemptionID (and for ExemptionOther its text): ResolveBollo completes it
	// Fees are the comune's diritti, which the controls of the bollo read;
	// nil: DefaultFees.
	Fees *ComuneFees
	// Force overrides forceable controls that fail, each with a reason.
	Force []Forcing
	// On is the date a certificate storico di residenza alla data
	// certifies the residence on; ignored by the other types.
	On       time.Time
	IssuedAt time.Time
	Offline  bool
	Operator string
	// Acts, when set, replaces the view of the acts the controls read
	// (ActsOf the person's record by default); tests set it directly.
	Acts *Acts
}

// checkIssue runs every control of type t for the request on today, the
// bollo settled: nil, or EINVALID with every failure not forced.
func checkIssue(t Type, file *app.CitizenFile, refs *anpr.Index, b Bollo, r Request, today time.Time) error {
	if !file.Citizen.Status.Valid() {
		return refuse(t, "posizione anagrafica non valida %q", file.Citizen.Status)
	}
	fees := DefaultFees
	if r.Fees != nil {
		fees = *r.Fees
	}
	in := InputOf(file, today)
	in.Settled, in.Bollo, in.Refs = true, b, refs
	in.BolloCents, in.DirittiCents = Fees(t, b, fees)
	in.Destination, in.RequesterPA, in.PARequest = r.Destination, r.RequesterPA, strings.TrimSpace(r.PARequest)
	in.ReferenceDate = r.On
	if r.Acts != nil {
		in.Acts = r.Acts
	}
	if err := Decide(t, Evaluate(t, in), r.Force); err != nil {
		return err
	}
	// What ANPR's controls leave to the data: the history a type
	// certifies must be on the record (civil.go).
	return checkCivil(t, &file.Citizen, today)
}

// New issues a certificate of type t from a citizen file: it checks that the
// person can have it (Check), settles the bollo against the reference tables
// (ResolveBollo; refs nil: the built-in defaults), takes the facts the type
// certifies, names the family members' places and statuses with refs, and
// validates the result. Errors are EINVALID, in Italian.
func New(t Type, file *app.CitizenFile, refs *anpr.Index, r Request) (*Certificate, error) {
	if file == nil {
		return nil, app.Errorf(app.EINVALID, "fascicolo della persona mancante")
	}
	issued := r.IssuedAt.UTC().Truncate(time.Second)
	if known, ok := TypeByID(t.ID); !ok || known != t {
		return nil, app.Errorf(app.EINVALID, "tipo di certificato sconosciuto")
	}
	b := settle(t, r.Bollo, refs)
	if err := checkIssue(t, file, refs, b, r, issued.In(app.Rome)); err != nil {
		return nil, err
	}
	if err := b.Validate(t, refs); err != nil {
		return nil, err
	}
	ix := index(refs)
	p := &file.Citizen
	asOf := file.AsOf.UTC().Truncate(time.Second)
	if asOf.After(issued) {
		asOf = issued // the hub's clock is ahead of ours: the data is as fresh as the certificate, not fresher
	}
	c := &Certificate{
		Number:     r.Number,
		Type:       t,
		ComuneCode: p.Comune,
		ComuneName: file.ComuneName,
		Person: Person{
			CodiceFiscale: p.CodiceFiscale,
			Surname:       p.Surname,
			GivenName:     p.GivenName,
			Sex:           p.Sex,
			BirthDate:     p.BirthDate,
			BirthPlace:    file.BirthPlaceName,
		},
		Use:         strings.TrimSpace(r.Use),
		Abroad:      r.Abroad,
		Destination: r.Destination,
		PARequest:   strings.TrimSpace(r.PARequest),
		Bollo:       b,
		Forced:      slices.Clone(r.Force),
		IssuedAt:    issued,
		AsOf:        asOf,
		Offline:     r.Offline,
		Operator:    r.Operator,
	}
	if c.Person.BirthPlace == "" {
		c.Person.BirthPlace = placeName(ix, p.BirthPlaceCode, p.BirthDate)
	}
	// Only the facts the type certifies: a certificate says no more than
	// it must (GDPR art. 5 c. 1 lett. c, minimisation).
	f := t.Facts
	if f.Has(FactCitizenship) {
		c.Person.Citizenship = orDefault(file.CitizenshipName, app.CitizenshipName(ix, p.Citizenship))
	}
	if f.Has(FactCivilStatus) {
		c.Person.CivilStatus = orDefault(file.CivilStatusName, entryName(ix, anpr.TableCivilStatus, p.CivilStatus))
	}
	if f.Has(FactResidence) {
		c.Person.Address = p.Address.String()
	}
	if f.Has(FactConvivenza) {
		c.Person.Relationship = orDefault(file.RelationshipName, entryName(ix, anpr.TableRelationships, p.Relationship))
	}
	if f.Has(FactResidenceHistory) {
		c.Person.RegisteredOn = p.RegisteredOn
		c.Person.CancelledOn = p.CancelledOn
		if p.Status == app.StatusResident {
			c.Person.Address = p.Address.String()
		}
	}
	if f.Has(FactCancellation) {
		c.Person.CancelledOn = p.CancelledOn
		c.Person.CancelReason = p.CancelReason
		c.Person.Status = p.Status
	}
	if f.Has(FactFamily) {
		for _, m := range file.Family {
			if m.Status != app.StatusResident {
				continue // left the family: deceased, emigrated
			}
			mem := Member{
				CodiceFiscale: m.CodiceFiscale,
				Surname:       m.Surname,
				GivenName:     m.GivenName,
				Sex:           m.Sex,
				BirthDate:     m.BirthDate,
				BirthPlace:    placeName(ix, m.BirthPlaceCode, m.BirthDate),
			}
			if f.Has(FactRelationships) {
				mem.Relationship = orDefault(m.RelationshipName, entryName(ix, anpr.TableRelationships, m.Relationship))
			}
			if f.Has(FactFamilyCivilStatus) {
				mem.CivilStatus = entryName(ix, anpr.TableCivilStatus, m.CivilStatus)
			}
			c.Family = append(c.Family, mem)
		}
	}
	civil, family, err := newCivil(t, file, ix, r.On, issued.In(app.Rome))
	if err != nil {
		return nil, err
	}
	c.Civil = civil
	c.Family = append(c.Family, family...)
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// Validate checks a certificate as it is stored or printed: a valid number
// and type, the person's identity, every fact the type certifies present,
// the family including the person, a bollo of the right shape (the exemption
// is checked against the tables at issue, by New: a stored certificate stays
// valid when the tables change), times in order, and printable texts.
func (c *Certificate) Validate() error {
	if err := c.Number.Validate(); err != nil {
		return err
	}
	if t, ok := TypeByID(c.Type.ID); !ok || t != c.Type {
		return app.Errorf(app.EINVALID, "tipo di certificato sconosciuto %q", c.Type.Slug)
	}
	p := &c.Person
	f := c.Type.Facts
	switch {
	case !app.ValidBelfiore(c.ComuneCode) || c.ComuneCode[0] == 'Z':
		return app.Errorf(app.EINVALID, "codice del comune non valido %q", c.ComuneCode)
	case !printable(c.ComuneName, maxNameRunes):
		return app.Errorf(app.EINVALID, "nome del comune mancante")
	case !validCF(p.CodiceFiscale):
		return app.Errorf(app.EINVALID, "codice fiscale non valido %q", p.CodiceFiscale)
	case !printable(p.Surname, maxNameRunes) || !printable(p.GivenName, maxNameRunes):
		return app.Errorf(app.EINVALID, "cognome o nome mancante o troppo lungo")
	case p.Sex != "M" && p.Sex != "F":
		return app.Errorf(app.EINVALID, "sesso non valido %q", p.Sex)
	case p.BirthDate.IsZero() || !printable(p.BirthPlace, maxNameRunes):
		return app.Errorf(app.EINVALID, "data o luogo di nascita mancante")
	case f.Has(FactCitizenship) && !printable(p.Citizenship, maxNameRunes):
		return app.Errorf(app.EINVALID, "cittadinanza mancante")
	case f.Has(FactCivilStatus) && !printable(p.CivilStatus, maxNameRunes):
		return app.Errorf(app.EINVALID, "stato civile mancante")
	case f.Has(FactResidence) && !printable(p.Address, maxTextRunes):
		return app.Errorf(app.EINVALID, "indirizzo di residenza mancante")
	case f.Has(FactConvivenza) && !printable(p.Relationship, maxNameRunes):
		return app.Errorf(app.EINVALID, "posizione nella convivenza mancante")
	case f.Has(FactResidenceHistory) && p.RegisteredOn.IsZero():
		return app.Errorf(app.EINVALID, "data di iscrizione mancante")
	case f.Has(FactCancellation) && p.CancelledOn.IsZero():
		return app.Errorf(app.EINVALID, "data di cancellazione mancante")
	case f.ListsFamily() != (len(c.Family) > 0):
		if f.ListsFamily() {
			return app.Errorf(app.EINVALID, "componenti della famiglia mancanti")
		}
		return app.Errorf(app.EINVALID, "componenti della famiglia su un certificato che non li certifica")
	case !c.Destination.Valid() || (c.Abroad && c.Destination != DestinationNone):
		return app.Errorf(app.EINVALID, "destinazione d'uso non valida: per l'estero, per procedimenti di immigrazione o per cause giudiziarie, una sola")
	case c.PARequest != "" && !printable(c.PARequest, maxTextRunes):
		return app.Errorf(app.EINVALID, "estremi della richiesta della pubblica amministrazione non validi: testo su una riga, al massimo %d caratteri", maxTextRunes)
	case c.Use != "" && !printable(c.Use, maxTextRunes):
		return app.Errorf(app.EINVALID, "uso non valido: testo su una riga, al massimo %d caratteri", maxTextRunes)
	case !printable(c.Operator, maxNameRunes):
		return app.Errorf(app.EINVALID, "operatore mancante")
	case c.IssuedAt.IsZero() || !c.IssuedAt.Equal(c.IssuedAt.Truncate(time.Second)):
		return app.Errorf(app.EINVALID, "data di rilascio mancante o non al secondo")
	case c.AsOf.IsZero() || c.AsOf.After(c.IssuedAt) || !c.AsOf.Equal(c.AsOf.Truncate(time.Second)):
		return app.Errorf(app.EINVALID, "data di aggiornamento dei dati mancante o successiva al rilascio")
	case c.Number.Year != c.IssuedAt.In(app.Rome).Year() && c.Number.Year != c.IssuedAt.UTC().Year():
		return app.Errorf(app.EINVALID, "l'anno del numero %s non è quello del rilascio", c.Number)
	}
	self := false
	for i, m := range c.Family {
		switch {
		case !printable(m.Surname, maxNameRunes) || !printable(m.GivenName, maxNameRunes) || m.BirthDate.IsZero() || !printable(m.BirthPlace, maxNameRunes):
			return app.Errorf(app.EINVALID, "componente %d della famiglia incompleto", i+1)
		case f.Has(FactRelationships) && !printable(m.Relationship, maxNameRunes):
			return app.Errorf(app.EINVALID, "rapporto di parentela del componente %d mancante", i+1)
		case f.Has(FactFamilyCivilStatus) && !printable(m.CivilStatus, maxNameRunes):
			return app.Errorf(app.EINVALID, "stato civile del componente %d mancante", i+1)
		}
		self = self || m.CodiceFiscale == p.CodiceFiscale
	}
	if len(c.Family) > 0 && !self {
		return app.Errorf(app.EINVALID, "la persona non è tra i componenti della famiglia")
	}
	if err := c.Civil.validate(c.Type); err != nil {
		return err
	}
	for _, f := range c.Forced {
		ctl, ok := c.control(f.Control)
		switch {
		case !ok || !ctl.Forceable:
			return app.Errorf(app.EINVALID, "controllo forzato %q non forzabile per questo certificato", f.Control)
		case !printable(f.Reason, MaxForceReason):
			return app.Errorf(app.EINVALID, "motivo della forzatura del controllo %q mancante o oltre %d caratteri", f.Control, MaxForceReason)
		}
	}
	return c.Bollo.validateShape(c.Type)
}

// control is the control id of the certificate's type.
func (c *Certificate) control(id ControlID) (Control, bool) {
	for _, ctl := range ControlsOf(c.Type) {
		if ctl.ID == id {
			return ctl, true
		}
	}
	return Control{}, false
}

// Notice is the art. 40 DPR 445/2000 notice the certificate prints.
func (c *Certificate) Notice() string {
	if t := c.Destination.Text(); t != "" {
		return t
	}
	if c.Abroad {
		return NoticeAbroad
	}
	return Notice
}

// ValidUntil is the last day the certificate is valid (DPR 445/2000 art.
// 41 c. 1), at midnight in Rome; the zero time when it has no limit.
func (c *Certificate) ValidUntil() time.Time { return validUntil(c.Type, c.IssuedAt) }

// CertifiedText is the certificate's content in a canonical plain text: one
// "label: value" line per fact, dates as dd/mm/yyyy and times in Rome. The
// printer prints these facts (it may lay them out differently) and embeds
// this text; the stamp carries its SHA-256 (Digest), so a verifier can tell
// whether a page says what was signed. The duplicate mark is not part of
// it.
func (c *Certificate) CertifiedText() string {
	var b strings.Builder
	line := func(label, value string) { fmt.Fprintf(&b, "%s: %s\n", label, value) }
	p := &c.Person
	f := c.Type.Facts
	b.WriteString(c.Type.Title + "\n")
	line("Numero", c.Number.String())
	line("Comune", c.ComuneName+" ("+c.ComuneCode+")")
	line("Cognome", p.Surname)
	line("Nome", p.GivenName)
	line("Codice fiscale", p.CodiceFiscale)
	line(born(p.Sex)+" il", formatDate(p.BirthDate)+" a "+p.BirthPlace)
	if f.Has(FactCitizenship) {
		line("Cittadinanza", p.Citizenship)
	}
	if f.Has(FactAlive) {
		line("Esistenza in vita", "la persona è in vita alla data del rilascio")
	}
	if f.Has(FactResidence) || (f.Has(FactResidenceHistory) && p.Address != "") {
		line("Residenza", p.Address+", "+c.ComuneName)
	}
	if f.Has(FactConvivenza) {
		line("Convivenza anagrafica", p.Relationship)
	}
	if f.Has(FactResidenceHistory) {
		period := "dal " + formatDate(p.RegisteredOn)
		if !p.CancelledOn.IsZero() {
			period += " al " + formatDate(p.CancelledOn)
		} else {
			period += " a oggi"
		}
		line("Residente nel comune", period)
	}
	if f.Has(FactCivilStatus) {
		line("Stato civile", p.CivilStatus)
	}
	if f.Has(FactFreeStatus) {
		line("Stato libero", "la persona non risulta coniugata né unita civilmente")
	}
	if f.Has(FactCancellation) {
		reason := p.CancelReason
		if reason == "" {
			reason = string(p.Status)
		}
		line("Cancellazione anagrafica", formatDate(p.CancelledOn)+", "+reason)
	}
	for _, r := range c.CivilRows() {
		line(r.Label, r.Value)
	}
	if f.ListsFamily() {
		if f.Has(FactAIREFamily) {
			b.WriteString("Famiglia AIRE:\n")
		} else {
			b.WriteString("Famiglia anagrafica:\n")
		}
		for i, m := range c.Family {
			fmt.Fprintf(&b, "%d. %s %s, %s il %s a %s", i+1, m.Surname, m.GivenName, strings.ToLower(born(m.Sex)), formatDate(m.BirthDate), m.BirthPlace)
			if f.Has(FactRelationships) {
				b.WriteString(", " + m.Relationship)
			}
			if f.Has(FactFamilyCivilStatus) {
				b.WriteString(", " + m.CivilStatus)
			}
			b.WriteString("\n")
		}
	}
	if c.Use != "" {
		line("Uso", c.Use)
	}
	if c.PARequest != "" {
		line("Richiesta della pubblica amministrazione", c.PARequest)
	}
	for _, s := range c.ForcedStatements() {
		line("Rilasciato in deroga al controllo ANPR", s)
	}
	if c.Bollo.Marca != "" {
		line("Imposta di bollo", "assolta con marca da bollo n. "+c.Bollo.Marca+" di "+app.Euro(c.Bollo.AmountCents))
	} else {
		line("Esente da imposta di bollo", c.Bollo.ExemptionText)
	}
	line("Rilasciato il", formatTime(c.IssuedAt)+" da "+c.Operator)
	line("Dati anagrafici aggiornati al", formatTime(c.AsOf))
	if c.Offline {
		line("Rilascio", "senza collegamento con l'anagrafe centrale: dati della postazione")
	}
	if until := c.ValidUntil(); !until.IsZero() {
		line("Valido fino al", formatDate(until))
	}
	b.WriteString(c.Notice() + "\n")
	return b.String()
}

// ForcedStatements are what the certificate states of the controls the
// officer forced, in the order they were forced.
func (c *Certificate) ForcedStatements() []string {
	var out []string
	for _, f := range c.Forced {
		if ctl, ok := c.control(f.Control); ok {
			out = append(out, ctl.Statement)
		}
	}
	return out
}

// Digest is the SHA-256 of CertifiedText.
func (c *Certificate) Digest() [32]byte { return sha256.Sum256([]byte(c.CertifiedText())) }

// Facts are the facts the stamp signs.
func (c *Certificate) Facts() Facts {
	return Facts{
		Number:        c.Number,
		Type:          c.Type.ID,
		Comune:        c.ComuneCode,
		CodiceFiscale: c.Person.CodiceFiscale,
		Surname:       c.Person.Surname,
		GivenName:     c.Person.GivenName,
		BirthDate:     c.Person.BirthDate,
		IssuedAt:      c.IssuedAt,
		AsOf:          c.AsOf,
		Offline:       c.Offline,
		Marca:         c.Bollo.Marca,
		ExemptionID:   c.Bollo.ExemptionID,
		Digest:        c.Digest(),
	}
}

// validUntil is the last day of validity, six months (or the type's
// months) after the day of issue in Rome; a day missing from the month
// (31 August + 6 months) is the month's last. Zero: no limit.
func validUntil(t Type, issued time.Time) time.Time {
	if t.ValidMonths == 0 {
		return time.Time{}
	}
	y, m, d := issued.In(app.Rome).Date()
	first := time.Date(y, m+time.Month(t.ValidMonths), 1, 0, 0, 0, 0, app.Rome)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d, last), 0, 0, 0, 0, app.Rome)
}

func born(sex string) string {
	if sex == "F" {
		return "Nata"
	}
	return "Nato"
}

// formatDate is a calendar date as Italian documents write it. Dates of
// birth and of registration are calendar dates and are printed as stored.
func formatDate(t time.Time) string { return t.Format("02/01/2006") }

// formatTime is a moment in Rome.
func formatTime(t time.Time) string { return t.In(app.Rome).Format("02/01/2006 15:04:05") }

func validCF(s string) bool { return cf.Normalize(s) == s && cf.Valid(s) }

func placeName(ix *anpr.Index, code string, on time.Time) string {
	if n, ok := ix.PlaceName(code, on); ok {
		return n
	}
	return code
}

func entryName(ix *anpr.Index, table anpr.TableName, id int) string {
	if e, ok := ix.Entry(table, id); ok {
		return e.Description
	}
	return ""
}

func orDefault(s, def string) string {
	if s != "" {
		return s
	}
	return def
}
