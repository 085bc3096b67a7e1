// Package request is the service catalogue and the requests (istanze,
// pratiche: one word, "request", for them in the code) a
// comune receives: the services in the ten life events with their forms,
// the validation of a filled form (the same code runs at the counter and
// at the hub), the requests with their protocol numbers and their states.
//
// The catalogue is hub data: the default one is a data file embedded in
// the package (catalogue.json, in the format docs/CATALOGUE.md describes),
// seeded into the hub as records of kind KindService for the whole
// network; a comune enables the ones it offers (KindEnabled). A request is taken at a
// workstation as a fact (FactRequest) with a provisional number; the hub
// gives it its protocol number, per comune and per year, gap-free, in the
// transaction that applies it, and keeps its state and history as a record
// (KindRequest) that every workstation of the comune receives.
package request

import (
	"regexp"
	"strings"

	"github.com/sportello/sportello/app"
)

// Record and fact kinds of this package.
const (
	KindService  = "service"         // a service of the catalogue; scope app.ScopeNetwork
	KindEnabled  = "service_enabled" // the services a comune offers; key the comune's code
	KindRequest  = "request"         // a request's state and history; subject the applicant
	FactRequest  = "request"         // a request taken at a workstation
	FactStatus   = "request_status"  // a state change by a back-office operator
	AuditSubmit  = "request.submit"
	AuditStatus  = "request.status"
	AuditReceipt = "request.receipt"
)

// LifeEvent is one of the ten life events the catalogue is organised by
// (the eventi della vita of the Italian PA's service maps).
type LifeEvent string

// The life events.
const (
	EventHome      LifeEvent = "abitare"
	EventFamily    LifeEvent = "famiglia"
	EventCitizen   LifeEvent = "cittadino"
	EventSport     LifeEvent = "sport"
	EventTaxes     LifeEvent = "tasse"
	EventSchool    LifeEvent = "studiare"
	EventTransport LifeEvent = "trasporti"
	EventHealth    LifeEvent = "salute"
	EventBusiness  LifeEvent = "impresa"
	EventProperty  LifeEvent = "immobili"
)

// LifeEvents are the life events in the order the counter shows them.
var LifeEvents = []LifeEvent{EventHome, EventFamily, EventCitizen, EventSport, EventTaxes, EventSchool,
	EventTransport, EventHealth, EventBusiness, EventProperty}

var eventTitles = map[LifeEvent]string{
	EventHome:      "Abitare",
	EventFamily:    "Avere una famiglia",
	EventCitizen:   "Essere cittadino",
	EventSport:     "Fare sport e tempo libero",
	EventTaxes:     "Pagare le tasse",
	EventSchool:    "Studiare",
	EventTransport: "Usare un mezzo di trasporto",
	EventHealth:    "Vivere in salute",
	EventBusiness:  "Aprire, sviluppare, terminare un'attività",
	EventProperty:  "Possedere immobili",
}

// Title is the life event's name as the counter shows it.
func (e LifeEvent) Title() string {
	if t, ok := eventTitles[e]; ok {
		return t
	}
	return string(e)
}

// Valid reports whether e is one of the ten.
func (e LifeEvent) Valid() bool { _, ok := eventTitles[e]; return ok }

// Audience is who may apply for a service.
type Audience string

// The audiences.
const (
	Citizens   Audience = "cittadini"
	Businesses Audience = "imprese"
)

// FieldType is the type of a form field: it decides the widget at the
// counter and the validation everywhere.
type FieldType string

// The field types.
const (
	Text         FieldType = "text"
	LongText     FieldType = "longtext"
	Number       FieldType = "number"
	Date         FieldType = "date"
	CodiceFisc   FieldType = "codice_fiscale"
	PartitaIVA   FieldType = "partita_iva"
	IBAN         FieldType = "iban"
	Email        FieldType = "email"
	Phone        FieldType = "phone"
	Choice       FieldType = "choice"
	MultiChoice  FieldType = "multichoice"
	Amount       FieldType = "amount"
	FamilyMember FieldType = "family_member"
	Attachment   FieldType = "attachment"
	Consent      FieldType = "consent"
)

var fieldTypes = map[FieldType]bool{Text: true, LongText: true, Number: true, Date: true, CodiceFisc: true,
	PartitaIVA: true, IBAN: true, Email: true, Phone: true, Choice: true, MultiChoice: true, Amount: true,
	FamilyMember: true, Attachment: true, Consent: true}

// Option is a choice of a Choice or MultiChoice field.
type Option struct {
	ID    string
	Label string
}

// Prefill names what a field is filled with from the citizen file.
type Prefill string

// The prefill sources.
const (
	FromNone      Prefill = ""
	FromCF        Prefill = "cf"
	FromSurname   Prefill = "surname"
	FromGivenName Prefill = "given_name"
	FromBirthDate Prefill = "birth_date"
	FromAddress   Prefill = "address"
	FromFamilyID  Prefill = "family_id"
)

// Field is a field of a service's form.
type Field struct {
	ID       string
	Label    string
	Type     FieldType
	Required bool
	Help     string
	Options  []Option // Choice, MultiChoice
	Min, Max float64  // Number and Amount (in euro) when Max > Min; Text: lengths when Max > 0
	// Member restricts a FamilyMember field: "minor" for a child of school
	// age and younger, "" for anyone of the family sheet.
	Member  string
	Prefill Prefill
	// Accept is for an Attachment: the content types taken, by default
	// DefaultAttachmentTypes.
	Accept []string
}

// Fee is an amount due for a service (diritti, bollo, tariffa).
type Fee struct {
	Label string
	Cents int64
}

// Service is a service of the catalogue.
type Service struct {
	ID       string
	Title    string
	Summary  string
	Event    LifeEvent
	Audience Audience
	Office   string // the office that handles it
	Days     int    // the time to conclude, in days (termine del procedimento)
	Kiosk    bool   // a kiosk may take it without an operator
	Fees     []Fee
	Keywords []string
	Fields   []Field
}

var (
	idRE     = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{1,59}$`)
	fieldRE  = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)
	optionRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,39}$`)
)

// Validate checks a service's definition as it crosses a boundary (the
// catalogue's import, a record from the hub). Its messages name the
// service, the key of the catalogue file (docs/CATALOGUE.md) and the form
// field at fault, for whoever wrote the file.
func (s *Service) Validate() error {
	switch {
	case !idRE.MatchString(s.ID):
		return app.Errorf(app.EINVALID, "servizio: identificativo (id) non valido %q", s.ID)
	case strings.TrimSpace(s.Title) == "" || len(s.Title) > 200:
		return app.Errorf(app.EINVALID, "servizio %s: titolo (title) vuoto o più lungo di 200 byte", s.ID)
	case !s.Event.Valid():
		return app.Errorf(app.EINVALID, "servizio %s: evento della vita (event) sconosciuto %q", s.ID, s.Event)
	case s.Audience != Citizens && s.Audience != Businesses:
		return app.Errorf(app.EINVALID, "servizio %s: destinatari (audience) sconosciuti %q", s.ID, s.Audience)
	case strings.TrimSpace(s.Office) == "":
		return app.Errorf(app.EINVALID, "servizio %s senza ufficio competente (office)", s.ID)
	case s.Days <= 0 || s.Days > 365:
		return app.Errorf(app.EINVALID, "servizio %s: termine in giorni (days) %d, non tra 1 e 365", s.ID, s.Days)
	case len(s.Fields) == 0 || len(s.Fields) > 60:
		return app.Errorf(app.EINVALID, "servizio %s: modulo (fields) con %d campi, non tra 1 e 60", s.ID, len(s.Fields))
	}
	for _, f := range s.Fees {
		if f.Cents < 0 || strings.TrimSpace(f.Label) == "" {
			return app.Errorf(app.EINVALID, "servizio %s: importo (fees) non valido: %q, %d centesimi", s.ID, f.Label, f.Cents)
		}
	}
	seen := map[string]bool{}
	for _, f := range s.Fields {
		switch {
		case !fieldRE.MatchString(f.ID) || seen[f.ID]:
			return app.Errorf(app.EINVALID, "servizio %s: campo non valido o ripetuto %q", s.ID, f.ID)
		case !fieldTypes[f.Type]:
			return app.Errorf(app.EINVALID, "servizio %s: campo %s di tipo sconosciuto %q", s.ID, f.ID, f.Type)
		case strings.TrimSpace(f.Label) == "":
			return app.Errorf(app.EINVALID, "servizio %s: campo %s senza etichetta", s.ID, f.ID)
		case (f.Type == Choice || f.Type == MultiChoice) && len(f.Options) == 0:
			return app.Errorf(app.EINVALID, "servizio %s: campo %s senza opzioni", s.ID, f.ID)
		}
		for _, o := range f.Options {
			if !optionRE.MatchString(o.ID) || o.Label == "" {
				return app.Errorf(app.EINVALID, "servizio %s: opzione non valida %q nel campo %s", s.ID, o.ID, f.ID)
			}
		}
		seen[f.ID] = true
	}
	return nil
}

// Field returns the field with id.
func (s *Service) Field(id string) (Field, bool) {
	for _, f := range s.Fields {
		if f.ID == id {
			return f, true
		}
	}
	return Field{}, false
}

// TotalFees is the sum of the service's fees in cents.
func (s *Service) TotalFees() int64 {
	var t int64
	for _, f := range s.Fees {
		t += f.Cents
	}
	return t
}

// OptionLabel is the label of option id, or id when there is no such
// option.
func (f *Field) OptionLabel(id string) string {
	for _, o := range f.Options {
		if o.ID == id {
			return o.Label
		}
	}
	return id
}
