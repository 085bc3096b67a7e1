package wire

import (
	"encoding/json"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/pratica"
)

// Service is a service of the catalogue: the Data of a record of kind
// pratica.KindService.
type Service struct {
	ID       string         `json:"id"`
	Title    string         `json:"title"`
	Summary  string         `json:"summary,omitempty"`
	Event    string         `json:"event"`
	Audience string         `json:"audience"`
	Office   string         `json:"office"`
	Days     int            `json:"days"`
	Kiosk    bool           `json:"kiosk,omitempty"`
	Fees     []ServiceFee   `json:"fees,omitempty"`
	Keywords []string       `json:"keywords,omitempty"`
	Fields   []ServiceField `json:"fields"`
}

// ServiceFee is a fee of a service.
type ServiceFee struct {
	Label string `json:"label"`
	Cents int64  `json:"cents"`
}

// ServiceField is a field of a service's form.
type ServiceField struct {
	ID       string          `json:"id"`
	Label    string          `json:"label"`
	Type     string          `json:"type"`
	Required bool            `json:"required,omitempty"`
	Help     string          `json:"help,omitempty"`
	Options  []ServiceOption `json:"options,omitempty"`
	Min      float64         `json:"min,omitempty"`
	Max      float64         `json:"max,omitempty"`
	Member   string          `json:"member,omitempty"`
	Prefill  string          `json:"prefill,omitempty"`
	Accept   []string        `json:"accept,omitempty"`
}

// ServiceOption is a choice of a field.
type ServiceOption struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// ServiceToWire converts a service for its record.
func ServiceToWire(s *pratica.Service) Service {
	w := Service{ID: s.ID, Title: s.Title, Summary: s.Summary, Event: string(s.Event), Audience: string(s.Audience),
		Office: s.Office, Days: s.Days, Kiosk: s.Kiosk, Keywords: s.Keywords}
	for _, f := range s.Fees {
		w.Fees = append(w.Fees, ServiceFee{Label: f.Label, Cents: f.Cents})
	}
	for _, f := range s.Fields {
		wf := ServiceField{ID: f.ID, Label: f.Label, Type: string(f.Type), Required: f.Required, Help: f.Help,
			Min: f.Min, Max: f.Max, Member: f.Member, Prefill: string(f.Prefill), Accept: f.Accept}
		for _, o := range f.Options {
			wf.Options = append(wf.Options, ServiceOption{ID: o.ID, Label: o.Label})
		}
		w.Fields = append(w.Fields, wf)
	}
	return w
}

// ServiceFromWire converts and validates a service from its record.
func ServiceFromWire(w Service) (*pratica.Service, error) {
	s := &pratica.Service{ID: w.ID, Title: w.Title, Summary: w.Summary, Event: pratica.LifeEvent(w.Event),
		Audience: pratica.Audience(w.Audience), Office: w.Office, Days: w.Days, Kiosk: w.Kiosk, Keywords: w.Keywords}
	for _, f := range w.Fees {
		s.Fees = append(s.Fees, pratica.Fee{Label: f.Label, Cents: f.Cents})
	}
	for _, f := range w.Fields {
		pf := pratica.Field{ID: f.ID, Label: f.Label, Type: pratica.FieldType(f.Type), Required: f.Required, Help: f.Help,
			Min: f.Min, Max: f.Max, Member: f.Member, Prefill: pratica.Prefill(f.Prefill), Accept: f.Accept}
		for _, o := range f.Options {
			pf.Options = append(pf.Options, pratica.Option{ID: o.ID, Label: o.Label})
		}
		s.Fields = append(s.Fields, pf)
	}
	return s, s.Validate()
}

// ServiceRecord is the record of a service of the catalogue.
func ServiceRecord(s *pratica.Service) app.Record {
	b, _ := json.Marshal(ServiceToWire(s))
	return app.Record{Kind: pratica.KindService, Key: s.ID, Data: b}
}

// DecodeService reads the record of a service.
func DecodeService(data []byte) (*pratica.Service, error) {
	var w Service
	if err := json.Unmarshal(data, &w); err != nil {
		return nil, app.Errorf(app.EINVALID, "servizio del catalogo non leggibile: %v", err)
	}
	return ServiceFromWire(w)
}

// Enabled is the Data of a record of kind pratica.KindEnabled: the
// services a comune offers.
type Enabled struct {
	Services []string `json:"services"`
}

// EnabledRecord is the record of the services comune offers.
func EnabledRecord(comune string, ids []string) app.Record {
	if ids == nil {
		ids = []string{}
	}
	b, _ := json.Marshal(Enabled{Services: ids})
	return app.Record{Kind: pratica.KindEnabled, Key: comune, Data: b}
}

// DecodeEnabled reads the record of the services a comune offers.
func DecodeEnabled(data []byte) ([]string, error) {
	var w Enabled
	if err := json.Unmarshal(data, &w); err != nil {
		return nil, app.Errorf(app.EINVALID, "servizi abilitati non leggibili: %v", err)
	}
	if w.Services == nil {
		w.Services = []string{}
	}
	return w.Services, nil
}

// Attachment is the description of a file of a request; its content goes
// by itself (PUT /v1/attachments/{sha256}).
type Attachment struct {
	Field  string `json:"field"`
	Name   string `json:"name"`
	Type   string `json:"type"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// RequestFact is a request taken at a workstation: the Data of an
// operation of kind pratica.FactRequest. It carries no number, state or
// history: those are the hub's.
type RequestFact struct {
	ID            string            `json:"id"`
	Comune        string            `json:"comune"`
	Provisional   string            `json:"provisional"`
	Service       string            `json:"service"`
	ServiceTitle  string            `json:"service_title"`
	CodiceFiscale string            `json:"codice_fiscale"`
	ApplicantName string            `json:"applicant_name"`
	Values        map[string]string `json:"values"`
	Attachments   []Attachment      `json:"attachments,omitempty"`
	SubmittedAt   string            `json:"submitted_at"`
	Operator      string            `json:"operator"`
	Device        string            `json:"device"`
	Channel       string            `json:"channel"`
	FollowCode    string            `json:"follow_code"`
}

// RequestFactToWire converts a request just taken.
func RequestFactToWire(r *pratica.Request) RequestFact {
	return RequestFact{ID: r.ID, Comune: r.Comune, Provisional: r.Provisional, Service: r.Service, ServiceTitle: r.ServiceTitle,
		CodiceFiscale: r.CodiceFiscale, ApplicantName: r.ApplicantName, Values: map[string]string(r.Values),
		Attachments: attachmentsToWire(r.Attachments), SubmittedAt: formatTime(r.SubmittedAt), Operator: r.Operator,
		Device: r.Device, Channel: r.Channel, FollowCode: r.FollowCode}
}

// RequestFactFromWire converts and checks the envelope of a request as the
// hub receives it; the form is checked against the service by the hub.
func RequestFactFromWire(data []byte) (*pratica.Request, error) {
	var w RequestFact
	if err := json.Unmarshal(data, &w); err != nil {
		return nil, app.Errorf(app.EINVALID, "richiesta non leggibile: %v", err)
	}
	r := &pratica.Request{ID: w.ID, Comune: w.Comune, Provisional: w.Provisional, Service: w.Service, ServiceTitle: w.ServiceTitle,
		CodiceFiscale: w.CodiceFiscale, ApplicantName: w.ApplicantName, Values: pratica.Values(w.Values),
		Attachments: attachmentsFromWire(w.Attachments), Operator: w.Operator, Device: w.Device, Channel: w.Channel, FollowCode: w.FollowCode}
	var err error
	if r.SubmittedAt, err = parseTime(w.SubmittedAt); err != nil {
		return nil, err
	}
	if r.Values == nil {
		r.Values = pratica.Values{}
	}
	return r, r.ValidateSubmission()
}

func attachmentsToWire(atts []pratica.AttachmentMeta) []Attachment {
	var out []Attachment
	for _, a := range atts {
		out = append(out, Attachment{Field: a.Field, Name: a.Name, Type: a.Type, Size: a.Size, SHA256: a.SHA256})
	}
	return out
}

func attachmentsFromWire(atts []Attachment) []pratica.AttachmentMeta {
	var out []pratica.AttachmentMeta
	for _, a := range atts {
		out = append(out, pratica.AttachmentMeta{Field: a.Field, Name: a.Name, Type: a.Type, Size: a.Size, SHA256: a.SHA256})
	}
	return out
}

// RequestRecord is a request as the hub keeps it: the Data of a record of
// kind pratica.KindRequest (subject the applicant), in the comune's scope.
type RequestRecord struct {
	RequestFact
	Number     string         `json:"number"`
	ProtocolAt string         `json:"protocol_at"`
	Status     string         `json:"status"`
	Version    int            `json:"version"`
	History    []StatusChange `json:"history"`
}

// StatusChange is a step of a request's history.
type StatusChange struct {
	Status   string `json:"status"`
	Note     string `json:"note,omitempty"`
	Operator string `json:"operator"`
	At       string `json:"at"`
	Version  int    `json:"version"`
}

// RequestToWire converts a request for its record.
func RequestToWire(r *pratica.Request) RequestRecord {
	w := RequestRecord{RequestFact: RequestFactToWire(r), Number: r.Number, ProtocolAt: formatTime(r.ProtocolAt),
		Status: string(r.Status), Version: r.Version, History: []StatusChange{}}
	for _, h := range r.History {
		w.History = append(w.History, StatusChange{Status: string(h.Status), Note: h.Note, Operator: h.Operator, At: formatTime(h.At), Version: h.Version})
	}
	return w
}

// RequestRecordOf is the record of a request.
func RequestRecordOf(r *pratica.Request) app.Record {
	b, _ := json.Marshal(RequestToWire(r))
	return app.Record{Kind: pratica.KindRequest, Key: r.ID, Subject: r.CodiceFiscale, Data: b}
}

// DecodeRequest reads the record of a request.
func DecodeRequest(data []byte) (*pratica.Request, error) {
	var w RequestRecord
	if err := json.Unmarshal(data, &w); err != nil {
		return nil, app.Errorf(app.EINVALID, "richiesta non leggibile: %v", err)
	}
	fact, err := json.Marshal(w.RequestFact)
	if err != nil {
		return nil, err
	}
	r, err := RequestFactFromWire(fact)
	if err != nil {
		return nil, err
	}
	r.Number, r.Status, r.Version = w.Number, pratica.Status(w.Status), w.Version
	if r.ProtocolAt, err = parseTime(w.ProtocolAt); err != nil {
		return nil, err
	}
	for _, h := range w.History {
		c := pratica.StatusChange{Status: pratica.Status(h.Status), Note: h.Note, Operator: h.Operator, Version: h.Version}
		if c.At, err = parseTime(h.At); err != nil {
			return nil, err
		}
		r.History = append(r.History, c)
	}
	if !r.Status.Valid() || r.Version < 1 || len(r.History) == 0 {
		return nil, app.Errorf(app.EINVALID, "richiesta %s: stato non valido", r.ID)
	}
	return r, nil
}

// StatusFact is a state change asked at a workstation: the Data of an
// operation of kind pratica.FactStatus.
type StatusFact struct {
	Request  string `json:"request"`
	Comune   string `json:"comune"`
	To       string `json:"to"`
	Note     string `json:"note,omitempty"`
	Expected int    `json:"expected_version"`
	Operator string `json:"operator"`
	At       string `json:"at"`
}

// StatusFactToWire converts a state change.
func StatusFactToWire(f *pratica.StatusFact) StatusFact {
	return StatusFact{Request: f.Request, Comune: f.Comune, To: string(f.To), Note: f.Note, Expected: f.Expected, Operator: f.Operator, At: formatTime(f.At)}
}

// StatusFactFromWire converts and validates a state change.
func StatusFactFromWire(data []byte) (*pratica.StatusFact, error) {
	var w StatusFact
	if err := json.Unmarshal(data, &w); err != nil {
		return nil, app.Errorf(app.EINVALID, "cambio di stato non leggibile: %v", err)
	}
	f := &pratica.StatusFact{Request: w.Request, Comune: w.Comune, To: pratica.Status(w.To), Note: w.Note, Expected: w.Expected, Operator: w.Operator}
	var err error
	if f.At, err = parseTime(w.At); err != nil {
		return nil, err
	}
	return f, f.Validate()
}

// RequestAnswer is the hub's answer to a request: its protocol number.
type RequestAnswer struct {
	Number     string `json:"number"`
	ProtocolAt string `json:"protocol_at"`
}

// EncodeRequestAnswer is the answer's JSON.
func EncodeRequestAnswer(number string, at time.Time) []byte {
	b, _ := json.Marshal(RequestAnswer{Number: number, ProtocolAt: formatTime(at)})
	return b
}

// DecodeRequestAnswer reads the hub's answer to a request.
func DecodeRequestAnswer(data []byte) (number string, at time.Time, err error) {
	var w RequestAnswer
	if err := json.Unmarshal(data, &w); err != nil {
		return "", time.Time{}, app.Errorf(app.EINVALID, "risposta dell'hub non leggibile: %v", err)
	}
	if _, _, err := pratica.ParseProtocolNumber(w.Number); err != nil {
		return "", time.Time{}, err
	}
	at, err = parseTime(w.ProtocolAt)
	return w.Number, at, err
}

// StatusAnswer is the hub's answer to a state change: the version reached.
type StatusAnswer struct {
	Version int    `json:"version"`
	Status  string `json:"status"`
}
