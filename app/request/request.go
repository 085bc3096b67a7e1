package request

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
)

// Status is where a request stands in its procedure.
type Status string

// The states of a request. The hub keeps their history; a request starts
// ricevuta and ends conclusa or respinta.
const (
	StatusReceived    Status = "ricevuta"
	StatusWorking     Status = "in_lavorazione"
	StatusIntegration Status = "integrazione_richiesta"
	StatusConcluded   Status = "conclusa"
	StatusRejected    Status = "respinta"
)

// Statuses are the states in the order of a procedure.
var Statuses = []Status{StatusReceived, StatusWorking, StatusIntegration, StatusConcluded, StatusRejected}

var statusTitles = map[Status]string{
	StatusReceived:    "Ricevuta",
	StatusWorking:     "In lavorazione",
	StatusIntegration: "Integrazione richiesta",
	StatusConcluded:   "Conclusa",
	StatusRejected:    "Respinta",
}

// Title is the state as the counter and the citizen read it.
func (s Status) Title() string {
	if t, ok := statusTitles[s]; ok {
		return t
	}
	return string(s)
}

// Valid reports whether s is a known state.
func (s Status) Valid() bool { _, ok := statusTitles[s]; return ok }

// Final reports whether the procedure is over.
func (s Status) Final() bool { return s == StatusConcluded || s == StatusRejected }

// Next lists the states a request in state s may move to.
func (s Status) Next() []Status {
	switch s {
	case StatusReceived:
		return []Status{StatusWorking, StatusIntegration, StatusConcluded, StatusRejected}
	case StatusWorking:
		return []Status{StatusIntegration, StatusConcluded, StatusRejected}
	case StatusIntegration:
		return []Status{StatusWorking, StatusConcluded, StatusRejected}
	}
	return nil
}

// ParseStatus reads a state by its id or its title ("in lavorazione").
func ParseStatus(v string) (Status, error) {
	k := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(v)), " ", "_")
	if s := Status(k); s.Valid() {
		return s, nil
	}
	return "", app.Errorf(app.EINVALID, "stato sconosciuto %q: ricevuta, in_lavorazione, integrazione_richiesta, conclusa, respinta", v)
}

// StatusChange is one step of a request's history.
type StatusChange struct {
	Status   Status
	Note     string
	Operator string
	At       time.Time // hub time
	Version  int       // the request's version after this step
}

// Request is an istanza as the hub keeps it and the workstations see it.
type Request struct {
	ID            string // UUID, made at the workstation: the key everywhere
	Comune        string
	Number        string // protocol number "2026/000123"; "" until the hub assigns it
	Provisional   string // "PROV-I690-W001-000007", printed on a receipt taken before
	Service       string
	ServiceTitle  string
	CodiceFiscale string // the applicant
	ApplicantName string
	Values        Values
	// MemberNames are the names of the family members the form names, by
	// field id ("Rossi Luca"): the value is the codice fiscale, the
	// receipt prints both.
	MemberNames map[string]string
	Attachments []AttachmentMeta
	SubmittedAt time.Time
	Operator    string
	Device      string
	Channel     string // "sportello", "chiosco" or ChannelWeb
	FollowCode  string // with ID, lets the citizen follow the request on the hub's page
	Status      Status
	Version     int // 1 when received; each change adds one
	History     []StatusChange
	ProtocolAt  time.Time // when the hub assigned Number
}

// DisplayNumber is the number to show: the protocol number, or the
// provisional one while the hub has not assigned it.
func (r *Request) DisplayNumber() string {
	if r.Number != "" {
		return r.Number
	}
	return r.Provisional
}

// IsProvisional reports whether the request still waits for its protocol
// number.
func (r *Request) IsProvisional() bool { return r.Number == "" }

// LastNote is the note of the latest step that has one.
func (r *Request) LastNote() string {
	for i := len(r.History) - 1; i >= 0; i-- {
		if r.History[i].Note != "" {
			return r.History[i].Note
		}
	}
	return ""
}

var (
	uuidRE   = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	provRE   = regexp.MustCompile(`^PROV-[A-Z][0-9]{3}-W[0-9]{3,}-[0-9]{6,}$`)
	protoRE  = regexp.MustCompile(`^([0-9]{4})/([0-9]{6,})$`)
	followRE = regexp.MustCompile(`^[A-Z2-7]{8,32}$`)
	// webProvRE: a request of the hub's public page has no workstation;
	// its reference is made of its comune and its id (WebProvisional).
	webProvRE = regexp.MustCompile(`^WEB-[A-Z][0-9]{3}-[0-9A-F]{12}$`)
)

// ChannelWeb is the channel of a request made on the hub's public page
// of the comune, with no workstation and no operator (Operator "web").
const ChannelWeb = "web"

// WebProvisional is the reference of a request of the public page until
// its protocol number, which the hub gives it at once: comune and the
// first twelve hex digits of its id.
func WebProvisional(comune, id string) string {
	return "WEB-" + comune + "-" + strings.ToUpper(strings.ReplaceAll(id, "-", "")[:12])
}

// ValidateSubmission checks the envelope of a request as it crosses a
// boundary (the fact at the hub); the form is checked by ValidateForm.
func (r *Request) ValidateSubmission() error {
	switch {
	case !uuidRE.MatchString(r.ID):
		return app.Errorf(app.EINVALID, "richiesta senza identificativo valido")
	case !app.ValidBelfiore(r.Comune):
		return app.Errorf(app.EINVALID, "richiesta %s: comune non valido", r.Provisional)
	case !provRE.MatchString(r.Provisional) && !(r.Channel == ChannelWeb && webProvRE.MatchString(r.Provisional)):
		return app.Errorf(app.EINVALID, "richiesta: numero provvisorio non valido %q", r.Provisional)
	case !idRE.MatchString(r.Service):
		return app.Errorf(app.EINVALID, "richiesta %s: servizio non valido", r.Provisional)
	case len(r.CodiceFiscale) != 16:
		return app.Errorf(app.EINVALID, "richiesta %s: richiedente non valido", r.Provisional)
	case r.SubmittedAt.IsZero():
		return app.Errorf(app.EINVALID, "richiesta %s senza data", r.Provisional)
	case r.Operator == "" || len(r.Operator) > 64:
		return app.Errorf(app.EINVALID, "richiesta %s senza operatore", r.Provisional)
	case !followRE.MatchString(r.FollowCode):
		return app.Errorf(app.EINVALID, "richiesta %s senza codice per seguirla", r.Provisional)
	case r.Channel != "sportello" && r.Channel != "chiosco" && r.Channel != ChannelWeb:
		return app.Errorf(app.EINVALID, "richiesta %s: canale sconosciuto %q", r.Provisional, r.Channel)
	}
	return nil
}

// ProtocolNumber formats the n-th protocol number of year: "2026/000123".
func ProtocolNumber(year int, n int64) string { return fmt.Sprintf("%04d/%06d", year, n) }

// ParseProtocolNumber reads "2026/000123".
func ParseProtocolNumber(s string) (year int, n int64, err error) {
	m := protoRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, 0, app.Errorf(app.EINVALID, "numero di protocollo non valido %q: ad esempio 2026/000123", s)
	}
	year, _ = strconv.Atoi(m[1])
	n, _ = strconv.ParseInt(m[2], 10, 64)
	if n <= 0 {
		return 0, 0, app.Errorf(app.EINVALID, "numero di protocollo non valido %q", s)
	}
	return year, n, nil
}

// ProvisionalNumber is the number a workstation prints before the hub has
// assigned the protocol: device and its own sequence, unique without
// coordination, and visibly not a protocol number.
func ProvisionalNumber(device string, seq int64) string {
	return fmt.Sprintf("PROV-%s-%06d", device, seq)
}

// StatusFact is a state change asked by a back-office operator at a
// workstation. Expected is the version the operator saw: the hub refuses
// the change (ECONFLICT) when the request has moved on meanwhile.
type StatusFact struct {
	Request  string // ID
	Comune   string
	To       Status
	Note     string
	Expected int
	Operator string
	At       time.Time // workstation time, for the record only
}

// Validate checks the shape of a state change.
func (f *StatusFact) Validate() error {
	switch {
	case !uuidRE.MatchString(f.Request):
		return app.Errorf(app.EINVALID, "cambio di stato senza richiesta")
	case !f.To.Valid():
		return app.Errorf(app.EINVALID, "stato sconosciuto %q", f.To)
	case f.Expected <= 0:
		return app.Errorf(app.EINVALID, "cambio di stato senza versione attesa")
	case f.Operator == "":
		return app.Errorf(app.EINVALID, "cambio di stato senza operatore")
	case len(f.Note) > 2000:
		return app.Errorf(app.EINVALID, "nota troppo lunga: al massimo 2000 caratteri")
	}
	return nil
}

// Move applies a state change to r at hub time now: the version must be
// the one the operator saw (ECONFLICT otherwise, with what happened
// meanwhile), the step allowed from the current state, and a rejection or
// a request for more documents must say why.
func (r *Request) Move(to Status, note, operator string, expected int, now time.Time) error {
	note = strings.TrimSpace(note)
	if expected != r.Version {
		last := r.History[len(r.History)-1]
		return app.Errorf(app.ECONFLICT, "la richiesta %s è cambiata nel frattempo (ora %s, da %s): ricaricarla e riprovare",
			r.DisplayNumber(), strings.ToLower(last.Status.Title()), last.Operator)
	}
	allowed := false
	for _, n := range r.Status.Next() {
		allowed = allowed || n == to
	}
	if !allowed {
		return app.Errorf(app.ECONFLICT, "la richiesta %s è %s: non può passare a %s", r.DisplayNumber(),
			strings.ToLower(r.Status.Title()), strings.ToLower(to.Title()))
	}
	if (to == StatusRejected || to == StatusIntegration) && note == "" {
		return app.Errorf(app.EINVALID, "per %s serve una nota con il motivo", strings.ToLower(to.Title()))
	}
	r.Status = to
	r.Version++
	r.History = append(r.History, StatusChange{Status: to, Note: note, Operator: operator, At: now.UTC(), Version: r.Version})
	return nil
}

// Contacts are where the notices of a request go, from its form: the
// fields email, cellulare and pec.
type Contacts struct {
	Email, Phone, PEC string
}

// ContactsOf reads the applicant's contacts from the form.
func ContactsOf(v Values) Contacts {
	return Contacts{Email: v["email"], Phone: v["cellulare"], PEC: v["pec"]}
}

// MemberNames names the family members a checked form picks (its
// FamilyMember fields, by field id), as the applicant's family sheet has
// them: a receipt shows the person, not only a codice fiscale.
func (s *Service) MemberNames(v Values, a Applicant) map[string]string {
	var out map[string]string
	for _, f := range s.Fields {
		if f.Type != FamilyMember || v[f.ID] == "" {
			continue
		}
		for _, m := range a.Family {
			if m.CodiceFiscale == v[f.ID] && m.Name != "" {
				if out == nil {
					out = map[string]string{}
				}
				out[f.ID] = m.Name
			}
		}
	}
	return out
}
