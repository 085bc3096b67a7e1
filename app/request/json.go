package request

import (
	"encoding/json"
	"time"

	"github.com/sportello/sportello/app"
)

// The JSON of this package's records and facts, as they travel in
// app.Record.Data and app.Operation.Data and as the workstation keeps its
// own requests. The domain types carry no tags: these structs are the
// format, converted explicitly, so that a field added to a domain type
// never leaves the workstation by accident. Instants are RFC 3339, UTC.

type serviceJSON struct {
	ID       string      `json:"id"`
	Title    string      `json:"title"`
	Summary  string      `json:"summary,omitempty"`
	Event    string      `json:"event"`
	Audience string      `json:"audience"`
	Office   string      `json:"office"`
	Days     int         `json:"days"`
	Kiosk    bool        `json:"kiosk,omitempty"`
	Fees     []feeJSON   `json:"fees,omitempty"`
	Keywords []string    `json:"keywords,omitempty"`
	Fields   []fieldJSON `json:"fields"`
}

type feeJSON struct {
	Label string `json:"label"`
	Cents int64  `json:"cents"`
}

type fieldJSON struct {
	ID       string       `json:"id"`
	Label    string       `json:"label"`
	Type     string       `json:"type"`
	Required bool         `json:"required,omitempty"`
	Help     string       `json:"help,omitempty"`
	Options  []optionJSON `json:"options,omitempty"`
	Min      float64      `json:"min,omitempty"`
	Max      float64      `json:"max,omitempty"`
	Member   string       `json:"member,omitempty"`
	Prefill  string       `json:"prefill,omitempty"`
	Accept   []string     `json:"accept,omitempty"`
}

type optionJSON struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// enabledJSON is the Data of a record of kind KindEnabled.
type enabledJSON struct {
	Services []string `json:"services"`
}

// attachmentJSON describes a file of a request; its content goes by
// itself (the sync engine uploads it before the operation).
type attachmentJSON struct {
	Field  string `json:"field"`
	Name   string `json:"name"`
	Type   string `json:"type"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// requestFactJSON is a request taken at a workstation (FactRequest): no
// number, state or history, those are the hub's.
type requestFactJSON struct {
	ID            string            `json:"id"`
	Comune        string            `json:"comune"`
	Provisional   string            `json:"provisional"`
	Service       string            `json:"service"`
	ServiceTitle  string            `json:"service_title"`
	CodiceFiscale string            `json:"codice_fiscale"`
	ApplicantName string            `json:"applicant_name"`
	Values        map[string]string `json:"values"`
	MemberNames   map[string]string `json:"member_names,omitempty"`
	Attachments   []attachmentJSON  `json:"attachments,omitempty"`
	SubmittedAt   string            `json:"submitted_at"`
	Operator      string            `json:"operator"`
	Device        string            `json:"device"`
	Channel       string            `json:"channel"`
	FollowCode    string            `json:"follow_code"`
}

// requestJSON is a request as the hub keeps it (KindRequest).
type requestJSON struct {
	requestFactJSON
	Number     string             `json:"number"`
	ProtocolAt string             `json:"protocol_at"`
	Status     string             `json:"status"`
	Version    int                `json:"version"`
	History    []statusChangeJSON `json:"history"`
}

type statusChangeJSON struct {
	Status   string `json:"status"`
	Note     string `json:"note,omitempty"`
	Operator string `json:"operator"`
	At       string `json:"at"`
	Version  int    `json:"version"`
}

// statusFactJSON is a state change asked at a workstation (FactStatus).
type statusFactJSON struct {
	Request  string `json:"request"`
	Comune   string `json:"comune"`
	To       string `json:"to"`
	Note     string `json:"note,omitempty"`
	Expected int    `json:"expect_version"`
	Operator string `json:"operator"`
	At       string `json:"at"`
}

// requestAnswerJSON is the hub's answer to a FactRequest.
type requestAnswerJSON struct {
	Number     string `json:"number"`
	ProtocolAt string `json:"protocol_at"`
}

// statusAnswerJSON is the hub's answer to a FactStatus.
type statusAnswerJSON struct {
	Version int    `json:"version"`
	Status  string `json:"status"`
}

func serviceToJSON(s *Service) serviceJSON {
	w := serviceJSON{ID: s.ID, Title: s.Title, Summary: s.Summary, Event: string(s.Event), Audience: string(s.Audience),
		Office: s.Office, Days: s.Days, Kiosk: s.Kiosk, Keywords: s.Keywords}
	for _, f := range s.Fees {
		w.Fees = append(w.Fees, feeJSON{Label: f.Label, Cents: f.Cents})
	}
	for _, f := range s.Fields {
		wf := fieldJSON{ID: f.ID, Label: f.Label, Type: string(f.Type), Required: f.Required, Help: f.Help,
			Min: f.Min, Max: f.Max, Member: f.Member, Prefill: string(f.Prefill), Accept: f.Accept}
		for _, o := range f.Options {
			wf.Options = append(wf.Options, optionJSON{ID: o.ID, Label: o.Label})
		}
		w.Fields = append(w.Fields, wf)
	}
	return w
}

func serviceFromJSON(w serviceJSON) (*Service, error) {
	s := &Service{ID: w.ID, Title: w.Title, Summary: w.Summary, Event: LifeEvent(w.Event),
		Audience: Audience(w.Audience), Office: w.Office, Days: w.Days, Kiosk: w.Kiosk, Keywords: w.Keywords}
	for _, f := range w.Fees {
		s.Fees = append(s.Fees, Fee{Label: f.Label, Cents: f.Cents})
	}
	for _, f := range w.Fields {
		pf := Field{ID: f.ID, Label: f.Label, Type: FieldType(f.Type), Required: f.Required, Help: f.Help,
			Min: f.Min, Max: f.Max, Member: f.Member, Prefill: Prefill(f.Prefill), Accept: f.Accept}
		for _, o := range f.Options {
			pf.Options = append(pf.Options, Option{ID: o.ID, Label: o.Label})
		}
		s.Fields = append(s.Fields, pf)
	}
	return s, s.Validate()
}

// ServiceRecord is the record of a service of the catalogue, for the
// network's scope.
func ServiceRecord(s *Service) app.Record {
	b, _ := json.Marshal(serviceToJSON(s))
	return app.Record{Kind: KindService, Key: s.ID, Data: b}
}

// DecodeService reads and validates the record of a service.
func DecodeService(data []byte) (*Service, error) {
	var w serviceJSON
	if err := app.DecodeJSON(data, &w); err != nil {
		return nil, app.Errorf(app.EINVALID, "servizio del catalogo non leggibile: %v", err)
	}
	return serviceFromJSON(w)
}

// EnabledRecord is the record of the services comune offers.
func EnabledRecord(comune string, ids []string) app.Record {
	if ids == nil {
		ids = []string{}
	}
	b, _ := json.Marshal(enabledJSON{Services: ids})
	return app.Record{Kind: KindEnabled, Key: comune, Data: b}
}

// DecodeEnabled reads the record of the services a comune offers.
func DecodeEnabled(data []byte) ([]string, error) {
	var w enabledJSON
	if err := app.DecodeJSON(data, &w); err != nil {
		return nil, app.Errorf(app.EINVALID, "servizi abilitati non leggibili: %v", err)
	}
	if w.Services == nil {
		w.Services = []string{}
	}
	return w.Services, nil
}

func requestFactToJSON(r *Request) requestFactJSON {
	w := requestFactJSON{ID: r.ID, Comune: r.Comune, Provisional: r.Provisional, Service: r.Service, ServiceTitle: r.ServiceTitle,
		CodiceFiscale: r.CodiceFiscale, ApplicantName: r.ApplicantName, Values: map[string]string(r.Values),
		MemberNames: r.MemberNames, SubmittedAt: app.FormatInstant(r.SubmittedAt), Operator: r.Operator,
		Device: r.Device, Channel: r.Channel, FollowCode: r.FollowCode}
	for _, a := range r.Attachments {
		w.Attachments = append(w.Attachments, attachmentJSON{Field: a.Field, Name: a.Name, Type: a.Type, Size: a.Size, SHA256: a.SHA256})
	}
	return w
}

func requestFactFromJSON(w requestFactJSON) (*Request, error) {
	r := &Request{ID: w.ID, Comune: w.Comune, Provisional: w.Provisional, Service: w.Service, ServiceTitle: w.ServiceTitle,
		CodiceFiscale: w.CodiceFiscale, ApplicantName: w.ApplicantName, Values: Values(w.Values), MemberNames: w.MemberNames,
		Operator: w.Operator, Device: w.Device, Channel: w.Channel, FollowCode: w.FollowCode}
	for _, a := range w.Attachments {
		r.Attachments = append(r.Attachments, AttachmentMeta{Field: a.Field, Name: a.Name, Type: a.Type, Size: a.Size, SHA256: a.SHA256})
	}
	var err error
	if r.SubmittedAt, err = app.ParseInstant(w.SubmittedAt); err != nil {
		return nil, err
	}
	if r.Values == nil {
		r.Values = Values{}
	}
	return r, r.ValidateSubmission()
}

// EncodeRequestFact is the Data of the FactRequest operation that carries
// a request just taken to the hub.
func EncodeRequestFact(r *Request) []byte {
	b, _ := json.Marshal(requestFactToJSON(r))
	return b
}

// DecodeRequestFact reads and checks the envelope of a request as the hub
// receives it; the form is checked against the service by ValidateForm.
func DecodeRequestFact(data []byte) (*Request, error) {
	var w requestFactJSON
	if err := app.DecodeJSON(data, &w); err != nil {
		return nil, app.Errorf(app.EINVALID, "richiesta non leggibile: %v", err)
	}
	return requestFactFromJSON(w)
}

// RequestFactID is the id of the request a FactRequest operation carries,
// without checking the rest.
func RequestFactID(data []byte) (string, error) {
	var w struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(data, &w); err != nil || w.ID == "" {
		return "", app.Errorf(app.EINVALID, "richiesta non leggibile")
	}
	return w.ID, nil
}

// EncodeRequest is a request with its number, state and history: the Data
// of its KindRequest record, and what a workstation keeps of its own.
func EncodeRequest(r *Request) []byte {
	w := requestJSON{requestFactJSON: requestFactToJSON(r), Number: r.Number, ProtocolAt: app.FormatInstant(r.ProtocolAt),
		Status: string(r.Status), Version: r.Version, History: []statusChangeJSON{}}
	for _, h := range r.History {
		w.History = append(w.History, statusChangeJSON{Status: string(h.Status), Note: h.Note, Operator: h.Operator, At: app.FormatInstant(h.At), Version: h.Version})
	}
	b, _ := json.Marshal(w)
	return b
}

// RequestRecord is the record of a request, in its comune's scope, with
// the applicant as its subject.
func RequestRecord(r *Request) app.Record {
	return app.Record{Kind: KindRequest, Key: r.ID, Subject: r.CodiceFiscale, Data: EncodeRequest(r)}
}

// DecodeRequest reads and checks a request written by EncodeRequest.
func DecodeRequest(data []byte) (*Request, error) {
	var w requestJSON
	if err := app.DecodeJSON(data, &w); err != nil {
		return nil, app.Errorf(app.EINVALID, "richiesta non leggibile: %v", err)
	}
	r, err := requestFactFromJSON(w.requestFactJSON)
	if err != nil {
		return nil, err
	}
	r.Number, r.Status, r.Version = w.Number, Status(w.Status), w.Version
	if r.ProtocolAt, err = app.ParseInstant(w.ProtocolAt); err != nil {
		return nil, err
	}
	for _, h := range w.History {
		c := StatusChange{Status: Status(h.Status), Note: h.Note, Operator: h.Operator, Version: h.Version}
		if c.At, err = app.ParseInstant(h.At); err != nil {
			return nil, err
		}
		r.History = append(r.History, c)
	}
	if !r.Status.Valid() || r.Version < 1 || len(r.History) == 0 {
		return nil, app.Errorf(app.EINVALID, "richiesta %s: stato non valido", r.ID)
	}
	return r, nil
}

// EncodeStatusFact is the Data of a FactStatus operation.
func EncodeStatusFact(f *StatusFact) []byte {
	b, _ := json.Marshal(statusFactJSON{Request: f.Request, Comune: f.Comune, To: string(f.To), Note: f.Note,
		Expected: f.Expected, Operator: f.Operator, At: app.FormatInstant(f.At)})
	return b
}

// DecodeStatusFact reads and validates a state change.
func DecodeStatusFact(data []byte) (*StatusFact, error) {
	var w statusFactJSON
	if err := app.DecodeJSON(data, &w); err != nil {
		return nil, app.Errorf(app.EINVALID, "cambio di stato non leggibile: %v", err)
	}
	f := &StatusFact{Request: w.Request, Comune: w.Comune, To: Status(w.To), Note: w.Note, Expected: w.Expected, Operator: w.Operator}
	var err error
	if f.At, err = app.ParseInstant(w.At); err != nil {
		return nil, err
	}
	return f, f.Validate()
}

// EncodeRequestAnswer is the hub's answer to a request: its protocol
// number and when it was assigned.
func EncodeRequestAnswer(number string, at time.Time) []byte {
	b, _ := json.Marshal(requestAnswerJSON{Number: number, ProtocolAt: app.FormatInstant(at)})
	return b
}

// DecodeRequestAnswer reads the hub's answer to a request.
func DecodeRequestAnswer(data []byte) (number string, at time.Time, err error) {
	var w requestAnswerJSON
	if err := app.DecodeJSON(data, &w); err != nil {
		return "", time.Time{}, app.Errorf(app.EINVALID, "risposta dell'hub non leggibile: %v", err)
	}
	if _, _, err := ParseProtocolNumber(w.Number); err != nil {
		return "", time.Time{}, err
	}
	at, err = app.ParseInstant(w.ProtocolAt)
	return w.Number, at, err
}

// EncodeStatusAnswer is the hub's answer to a state change: the version
// and state the request reached.
func EncodeStatusAnswer(r *Request) []byte {
	b, _ := json.Marshal(statusAnswerJSON{Version: r.Version, Status: string(r.Status)})
	return b
}
