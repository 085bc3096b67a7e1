package request

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/sportello/sportello/app"
)

// The catalogue file: the services of a catalogue as one JSON document, the
// format of the built-in catalogue (catalogue.json) and of a comune's own
// (sportello-hub catalogue import). docs/CATALOGUE.md describes it. It is a
// contract with the people who write it, so its structs are its own and
// not the records' (json.go): the two may evolve apart.

// catalogueFile is the built-in catalogue: the services of the ten life
// events for citizens and businesses, with their forms, as data a comune's
// IT person reads, diffs and copies to write the comune's own.
//
//go:embed catalogue.json
var catalogueFile []byte

// DefaultCatalogue is the built-in service catalogue. The hub publishes it
// (sportello-hub catalogue import); a comune enables what it offers. Each
// call returns a fresh copy, which the caller may change.
func DefaultCatalogue() []Service {
	cat := defaultCatalogue()
	out := make([]Service, len(cat))
	for i, s := range cat {
		out[i] = s.clone()
	}
	return out
}

// defaultCatalogue decodes the file once: it takes milliseconds, and the
// demo and the tests ask for the catalogue many times.
var defaultCatalogue = sync.OnceValue(func() []Service {
	cat, err := DecodeCatalogue(catalogueFile)
	if err != nil {
		panic("request: the built-in catalogue.json: " + err.Error()) // TestCatalogueFile reads it
	}
	return cat
})

// clone is s with nothing shared with it.
func (s Service) clone() Service {
	s.Keywords = slices.Clone(s.Keywords)
	s.Fees = slices.Clone(s.Fees)
	s.Fields = slices.Clone(s.Fields)
	for i := range s.Fields {
		s.Fields[i].Options = slices.Clone(s.Fields[i].Options)
		s.Fields[i].Accept = slices.Clone(s.Fields[i].Accept)
	}
	return s
}

type catalogueFileJSON struct {
	Services []serviceFileJSON `json:"services"`
}

type serviceFileJSON struct {
	ID       string          `json:"id"`
	Title    string          `json:"title"`
	Event    string          `json:"event"`
	Audience string          `json:"audience"`
	Office   string          `json:"office"`
	Days     int             `json:"days"`
	Kiosk    bool            `json:"kiosk,omitempty"`
	Summary  string          `json:"summary,omitempty"`
	Keywords []string        `json:"keywords,omitempty"`
	Fees     []feeFileJSON   `json:"fees,omitempty"`
	Fields   []fieldFileJSON `json:"fields"`
}

type feeFileJSON struct {
	Label string `json:"label"`
	Cents int64  `json:"cents"`
}

type fieldFileJSON struct {
	ID       string           `json:"id"`
	Label    string           `json:"label"`
	Type     string           `json:"type"`
	Required bool             `json:"required,omitempty"`
	Prefill  string           `json:"prefill,omitempty"`
	Member   string           `json:"member,omitempty"`
	Min      float64          `json:"min,omitempty"`
	Max      float64          `json:"max,omitempty"`
	Help     string           `json:"help,omitempty"`
	Accept   []string         `json:"accept,omitempty"`
	Options  []optionFileJSON `json:"options,omitempty"`
}

type optionFileJSON struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

func (w *serviceFileJSON) service() *Service {
	s := &Service{ID: w.ID, Title: w.Title, Summary: w.Summary, Event: LifeEvent(w.Event), Audience: Audience(w.Audience),
		Office: w.Office, Days: w.Days, Kiosk: w.Kiosk, Keywords: nonEmpty(w.Keywords)}
	for _, f := range w.Fees {
		s.Fees = append(s.Fees, Fee{Label: f.Label, Cents: f.Cents})
	}
	for _, f := range w.Fields {
		pf := Field{ID: f.ID, Label: f.Label, Type: FieldType(f.Type), Required: f.Required, Help: f.Help,
			Min: f.Min, Max: f.Max, Member: f.Member, Prefill: Prefill(f.Prefill), Accept: nonEmpty(f.Accept)}
		for _, o := range f.Options {
			pf.Options = append(pf.Options, Option{ID: o.ID, Label: o.Label})
		}
		s.Fields = append(s.Fields, pf)
	}
	return s
}

// nonEmpty is list, or nil for an empty one: "keywords": [] and no
// keywords are the same service.
func nonEmpty(list []string) []string {
	if len(list) == 0 {
		return nil
	}
	return list
}

// DecodeCatalogue reads and validates a catalogue file: every service with
// Service.Validate, the same check the hub and the counter make, and no id
// twice. It refuses the whole file at the first mistake with an EINVALID
// error naming where it is: the line and column of a JSON syntax error,
// the line, the service and the key of anything else.
func DecodeCatalogue(data []byte) ([]Service, error) {
	if err := json.Unmarshal(data, new(json.RawMessage)); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			// Offset counts the offending byte; a cut file ends at len(data).
			line, col := position(data, syn.Offset-1)
			return nil, app.Errorf(app.EINVALID, "catalogo, riga %d colonna %d: JSON non valido (%v)", line, col, syn)
		}
		return nil, app.Errorf(app.EINVALID, "catalogo: JSON non valido (%v)", err)
	}
	// The file is well-formed: walk it token by token to know where each
	// service starts, so that a mistake is reported at its line.
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, _ := dec.Token(); t != json.Delim('{') {
		return nil, app.Errorf(app.EINVALID, "catalogo, riga 1: si attende un oggetto {\"services\": [...]}")
	}
	var out []Service
	found := false
	for dec.More() {
		t, _ := dec.Token()
		key, _ := t.(string)
		if key != "services" || found {
			line, _ := position(data, dec.InputOffset())
			return nil, app.Errorf(app.EINVALID, "catalogo, riga %d: chiave %q sconosciuta o ripetuta (si attende \"services\")", line, key)
		}
		found = true
		if t, _ := dec.Token(); t != json.Delim('[') {
			line, _ := position(data, dec.InputOffset())
			return nil, app.Errorf(app.EINVALID, "catalogo, riga %d: \"services\" deve essere un elenco [...]", line)
		}
		lines := map[string]int{}
		for dec.More() {
			start := skipSeparators(data, dec.InputOffset())
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil { // cannot happen: the file is well-formed
				return nil, app.Errorf(app.EINVALID, "catalogo: %v", err)
			}
			line, _ := position(data, start)
			s, err := decodeFileService(raw, data, start)
			if err != nil {
				return nil, err
			}
			if first, ok := lines[s.ID]; ok {
				return nil, app.Errorf(app.EINVALID, "catalogo, riga %d: servizio %s ripetuto (già alla riga %d)", line, s.ID, first)
			}
			lines[s.ID] = line
			out = append(out, *s)
		}
		dec.Token() // ]
	}
	if len(out) == 0 {
		return nil, app.Errorf(app.EINVALID, "catalogo: nessun servizio (si attende {\"services\": [...]})")
	}
	return out, nil
}

// decodeFileService decodes and validates the service raw, found at offset
// start of data.
func decodeFileService(raw json.RawMessage, data []byte, start int64) (*Service, error) {
	line, _ := position(data, start)
	var id struct {
		ID any `json:"id"`
	}
	json.Unmarshal(raw, &id) // best effort, to name the service in an error
	name := "senza id"
	if s, ok := id.ID.(string); ok && s != "" {
		name = s
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var w serviceFileJSON
	if err := dec.Decode(&w); err != nil {
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &typ) && typ.Field == "":
			return nil, app.Errorf(app.EINVALID, "catalogo, riga %d: un servizio deve essere un oggetto {...}, non %s", line, typ.Value)
		case errors.As(err, &typ):
			l, c := position(data, start+typ.Offset)
			return nil, app.Errorf(app.EINVALID, "catalogo, riga %d colonna %d: servizio %s: la chiave %q vuole un valore di tipo %s, non %s",
				l, c, name, typ.Field, typ.Type, typ.Value)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return nil, app.Errorf(app.EINVALID, "catalogo, riga %d: servizio %s: chiave sconosciuta %s", line, name,
				strings.TrimPrefix(err.Error(), "json: unknown field "))
		}
		return nil, app.Errorf(app.EINVALID, "catalogo, riga %d: servizio %s: %v", line, name, err)
	}
	s := w.service()
	if err := s.Validate(); err != nil {
		return nil, app.Errorf(app.EINVALID, "catalogo, riga %d: %s", line, app.ErrorMessage(err))
	}
	return s, nil
}

// position is the line and column (from 1, in bytes) of offset in data.
func position(data []byte, offset int64) (line, col int) {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

// skipSeparators moves offset past the blanks and the comma before the
// next value.
func skipSeparators(data []byte, offset int64) int64 {
	for offset < int64(len(data)) && strings.IndexByte(" \t\r\n,", data[offset]) >= 0 {
		offset++
	}
	return offset
}

// EncodeCatalogue writes services as a catalogue file in its canonical
// layout: a key per line for a service, a line per fee, field and option,
// so that a change to a form is a change to one line of a diff.
func EncodeCatalogue(w io.Writer, services []Service) error {
	var b bytes.Buffer
	b.WriteString("{\"services\": [\n")
	for i := range services {
		s := &services[i]
		b.WriteString("  {\n")
		kv := []string{pair("id", s.ID), pair("title", s.Title), pair("event", string(s.Event)),
			pair("audience", string(s.Audience)), pair("office", s.Office), pair("days", s.Days)}
		if s.Kiosk {
			kv = append(kv, pair("kiosk", true))
		}
		if s.Summary != "" {
			kv = append(kv, pair("summary", s.Summary))
		}
		if len(s.Keywords) > 0 {
			kv = append(kv, pair("keywords", s.Keywords))
		}
		if len(s.Fees) > 0 {
			var fees []string
			for _, f := range s.Fees {
				fees = append(fees, "      "+object(pair("label", f.Label), pair("cents", f.Cents)))
			}
			kv = append(kv, `"fees": [`+"\n"+strings.Join(fees, ",\n")+"\n    ]")
		}
		var fields []string
		for _, f := range s.Fields {
			fields = append(fields, "      "+fieldLine(&f))
		}
		kv = append(kv, `"fields": [`+"\n"+strings.Join(fields, ",\n")+"\n    ]")
		b.WriteString("    " + strings.Join(kv, ",\n    ") + "\n  }")
		if i < len(services)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("]}\n")
	_, err := w.Write(b.Bytes())
	return err
}

// fieldLine is a field on one line; its options, if any, one per line
// below it.
func fieldLine(f *Field) string {
	kv := []string{pair("id", f.ID), pair("label", f.Label), pair("type", string(f.Type))}
	if f.Required {
		kv = append(kv, pair("required", true))
	}
	if f.Prefill != "" {
		kv = append(kv, pair("prefill", string(f.Prefill)))
	}
	if f.Member != "" {
		kv = append(kv, pair("member", f.Member))
	}
	if f.Min != 0 {
		kv = append(kv, pair("min", f.Min))
	}
	if f.Max != 0 {
		kv = append(kv, pair("max", f.Max))
	}
	if f.Help != "" {
		kv = append(kv, pair("help", f.Help))
	}
	if len(f.Accept) > 0 {
		kv = append(kv, pair("accept", f.Accept))
	}
	if len(f.Options) == 0 {
		return object(kv...)
	}
	var opts []string
	for _, o := range f.Options {
		opts = append(opts, "        "+object(pair("id", o.ID), pair("label", o.Label)))
	}
	return "{" + strings.Join(kv, ", ") + `, "options": [` + "\n" + strings.Join(opts, ",\n") + "\n      ]}"
}

func object(kv ...string) string { return "{" + strings.Join(kv, ", ") + "}" }

// pair is `"key": value` with value in JSON, and a space after each comma
// of a list: the file is for people to read.
func pair(key string, v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(fmt.Sprintf("catalogue: %s: %v", key, err)) // strings, numbers, booleans: cannot fail
	}
	val := strings.TrimSuffix(b.String(), "\n")
	if list, ok := v.([]string); ok {
		parts := make([]string, len(list))
		for i, s := range list {
			parts[i] = pairValue(s)
		}
		val = "[" + strings.Join(parts, ", ") + "]"
	}
	return `"` + key + `": ` + val
}

func pairValue(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}
