package request_test

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/request"
)

// TestCatalogueFile checks the built-in catalogue as the hub publishes it:
// how many services each life event has, a few services field by field,
// and the file in its canonical layout (what EncodeCatalogue writes), so a
// hand edit that loses or mangles something shows here.
func TestCatalogueFile(t *testing.T) {
	cat := request.DefaultCatalogue()
	t.Run("Counts", func(t *testing.T) {
		events, audiences, kiosk := map[request.LifeEvent]int{}, map[request.Audience]int{}, 0
		for _, s := range cat {
			events[s.Event]++
			audiences[s.Audience]++
			if s.Kiosk {
				kiosk++
			}
		}
		want := map[request.LifeEvent]int{
			request.EventHome: 9, request.EventFamily: 9, request.EventCitizen: 11, request.EventSport: 8,
			request.EventTaxes: 10, request.EventSchool: 11, request.EventTransport: 10, request.EventHealth: 10,
			request.EventBusiness: 23, request.EventProperty: 16,
		}
		if len(cat) != 117 || !reflect.DeepEqual(events, want) {
			t.Errorf("%d services, by life event %v; want 117, %v", len(cat), events, want)
		}
		if audiences[request.Citizens] != 68 || audiences[request.Businesses] != 49 || kiosk != 16 {
			t.Errorf("audiences %v, %d at the kiosk; want 68 citizens, 49 businesses, 16 at the kiosk", audiences, kiosk)
		}
	})
	t.Run("Passport", func(t *testing.T) {
		s := service(t, "appuntamento-passaporto")
		if s.Title != "Appuntamento per il passaporto" || s.Event != request.EventCitizen || s.Audience != request.Citizens ||
			s.Office != "URP - Ufficio relazioni con il pubblico" || s.Days != 30 || !s.Kiosk {
			t.Errorf("header %+v", s)
		}
		wantFees := []request.Fee{{Label: "Contributo amministrativo (versamento su c/c 67422808)", Cents: 4270}, {Label: "Contrassegno telematico", Cents: 7350}}
		if !reflect.DeepEqual(s.Fees, wantFees) || s.TotalFees() != 11620 {
			t.Errorf("fees %+v", s.Fees)
		}
		if got := s.Keywords; !reflect.DeepEqual(got, []string{"passaporto", "espatrio", "questura", "appuntamento", "documento", "viaggio"}) {
			t.Errorf("keywords %q", got)
		}
		for _, want := range []request.Field{
			{ID: "cognome", Label: "Cognome", Type: request.Text, Required: true, Prefill: request.FromSurname},
			{ID: "minore", Label: "Figlio minore", Type: request.FamilyMember, Member: "minor"},
			{ID: "motivo", Label: "Motivo", Type: request.Choice, Required: true, Options: []request.Option{
				{ID: "primo", Label: "Primo rilascio"}, {ID: "scaduto", Label: "Rinnovo per scadenza"},
				{ID: "smarrito", Label: "Smarrimento o furto (con denuncia)"}, {ID: "pagine", Label: "Pagine esaurite"}}},
			{ID: "ricevuta", Label: "Ricevuta dei versamenti", Type: request.Attachment},
			{ID: "documento", Label: "Documento d'identità", Type: request.Attachment, Required: true},
			{ID: "cellulare", Label: "Cellulare", Type: request.Phone, Help: "per gli avvisi via SMS"},
		} {
			if got, ok := s.Field(want.ID); !ok || !reflect.DeepEqual(got, want) {
				t.Errorf("field %s = %+v, want %+v", want.ID, got, want)
			}
		}
		if len(s.Fields) != 18 || s.Fields[0].ID != "cognome" || s.Fields[17].ID != "privacy" {
			t.Errorf("%d fields, from %s to %s", len(s.Fields), s.Fields[0].ID, s.Fields[len(s.Fields)-1].ID)
		}
	})
	t.Run("Numbers", func(t *testing.T) {
		s := service(t, "impianto-fotovoltaico")
		if f, _ := s.Field("potenza"); f.Type != request.Number || f.Min != 0.5 || f.Max != 200 || !f.Required {
			t.Errorf("potenza %+v", f)
		}
		s = service(t, "permesso-costruire-impresa")
		if f, _ := s.Field("superficie_coperta"); f.Min != 1 || f.Max != 1e6 {
			t.Errorf("superficie_coperta %+v", f)
		}
		if s.Audience != request.Businesses || s.Event != request.EventProperty || s.TotalFees() != 1600+50000 {
			t.Errorf("%s: %s %s, fees %d", s.ID, s.Audience, s.Event, s.TotalFees())
		}
		if f, _ := s.Field("partita_iva"); f.Type != request.PartitaIVA || !f.Required {
			t.Errorf("a business form without its partita IVA: %+v", f)
		}
	})
	t.Run("Canonical", func(t *testing.T) {
		file, err := os.ReadFile("catalogue.json")
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := request.EncodeCatalogue(&b, cat); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), file) {
			t.Errorf("catalogue.json is not in the layout EncodeCatalogue writes (or loses something when read): rewrite it with EncodeCatalogue(DecodeCatalogue(file))")
		}
	})
	t.Run("FreshCopy", func(t *testing.T) {
		a := request.DefaultCatalogue()
		a[0].Fields[0].Options = append(a[0].Fields[0].Options, request.Option{ID: "x", Label: "x"})
		a[0].Keywords[0] = "changed"
		if b := request.DefaultCatalogue(); !reflect.DeepEqual(b, cat) {
			t.Error("changing a copy changed the next one")
		}
	})
}

// TestDecodeCatalogueErrors refuses a bad catalogue file saying where the
// mistake is, as the comune's IT person needs to fix it.
func TestDecodeCatalogueErrors(t *testing.T) {
	good := `{"id": "iscrizione-x", "title": "Iscrizione", "event": "sport", "audience": "cittadini", "office": "URP", "days": 10,
    "fields": [{"id": "nome", "label": "Nome", "type": "text", "required": true}]}`
	two := strings.Replace(good, "iscrizione-x", "iscrizione-y", 1)
	for _, tc := range []struct {
		name string
		file string
		want []string // all in the message
	}{
		{"Syntax", "{\"services\": [\n  " + good + ",\n  {\"id\": \"x\",,}\n]}", []string{"riga 4 colonna 14", "JSON non valido"}},
		{"Truncated", "{\"services\": [\n  " + good, []string{"riga 3", "JSON non valido"}},
		{"Type", "{\"services\": [\n  " + good + ",\n  " + strings.Replace(two, `"days": 10`, `"days": "dieci"`, 1) + "\n]}",
			[]string{"riga 4 colonna", "iscrizione-y", `"days"`, "int"}},
		{"UnknownKey", "{\"services\": [\n  " + strings.Replace(good, `"required"`, `"requried"`, 1) + "\n]}",
			[]string{"riga 2", "iscrizione-x", `"requried"`}},
		{"FieldType", "{\"services\": [\n" + good + ",\n\n" + strings.Replace(two, `"type": "text"`, `"type": "testo"`, 1) + "\n]}",
			[]string{"riga 5", "iscrizione-y", "campo nome", `"testo"`}},
		{"Event", "{\"services\": [" + strings.Replace(good, `"sport"`, `"svago"`, 1) + "]}", []string{"riga 1", "iscrizione-x", "(event)", `"svago"`}},
		{"Days", "{\"services\": [" + strings.Replace(good, `"days": 10`, `"days": 400`, 1) + "]}", []string{"iscrizione-x", "(days) 400"}},
		{"Fee", "{\"services\": [" + strings.Replace(good, `"days": 10,`, `"days": 10, "fees": [{"label": "Diritti", "cents": -5}],`, 1) + "]}",
			[]string{"iscrizione-x", "(fees)", `"Diritti", -5`}},
		{"NoOptions", "{\"services\": [" + strings.Replace(good, `"type": "text"`, `"type": "choice"`, 1) + "]}", []string{"iscrizione-x", "campo nome senza opzioni"}},
		{"Twice", "{\"services\": [\n" + good + ",\n" + good + "\n]}", []string{"riga 4", "iscrizione-x ripetuto", "riga 2"}},
		{"NoServices", `{"services": []}`, []string{"nessun servizio"}},
		{"NotAnObject", "{\"services\": [\n" + good + ",\n 7]}", []string{"riga 4", "oggetto", "number"}},
		{"NotAList", `{"services": null}`, []string{"elenco"}},
		{"TopLevelArray", "[" + good + "]", []string{"riga 1", `{"services": [...]}`}},
		{"TopLevelKey", `{"servizi": [` + good + `]}`, []string{`"servizi"`}},
		{"Empty", ``, []string{"JSON non valido"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := request.DecodeCatalogue([]byte(tc.file))
			if app.ErrorCode(err) != app.EINVALID || got != nil {
				t.Fatalf("decoded %d services (%v)", len(got), err)
			}
			msg := app.ErrorMessage(err)
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("%q does not say %q", msg, w)
				}
			}
		})
	}
	t.Run("Good", func(t *testing.T) {
		got, err := request.DecodeCatalogue([]byte(`{"services": [` + good + ", " + two + `]}`))
		if err != nil || len(got) != 2 || got[1].ID != "iscrizione-y" || !got[0].Fields[0].Required {
			t.Fatalf("%+v (%v)", got, err)
		}
	})
}

// FuzzDecodeCatalogue feeds the catalogue file decoder anything: it never
// panics, what it accepts is valid with no id twice, and it writes back
// (EncodeCatalogue) to a file that decodes to the same services.
func FuzzDecodeCatalogue(f *testing.F) {
	f.Add([]byte(`{"services": [{"id": "ab", "title": "T", "event": "sport", "audience": "imprese", "office": "O", "days": 1, "fields": [{"id": "a", "label": "A", "type": "choice", "options": [{"id": "x", "label": "X"}]}]}]}`))
	f.Add([]byte(`{"services": [{"id": "ab", "title": "T", "event": "sport", "audience": "imprese", "office": "O", "days": 1, "fees": [{"label": "Bollo", "cents": 1600}], "fields": [{"id": "a", "label": "A", "type": "number", "min": 0.5, "max": 1e6}]}]}`))
	f.Add([]byte("{\"services\": [\n{\"id\": \"ab\",,}]}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := request.DecodeCatalogue(data)
		if err != nil {
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("error of code %s: %v", app.ErrorCode(err), err)
			}
			return
		}
		seen := map[string]bool{}
		for i := range got {
			if err := got[i].Validate(); err != nil || seen[got[i].ID] {
				t.Fatalf("accepted service %s: %v (twice: %v)", got[i].ID, err, seen[got[i].ID])
			}
			seen[got[i].ID] = true
		}
		var b bytes.Buffer
		if err := request.EncodeCatalogue(&b, got); err != nil {
			t.Fatal(err)
		}
		again, err := request.DecodeCatalogue(b.Bytes())
		if err != nil || !reflect.DeepEqual(again, got) {
			t.Fatalf("written back it reads differently: %v\n%s", err, b.Bytes())
		}
	})
}
