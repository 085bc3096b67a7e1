package request_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/request"
)

// postForm is a valid form of the certificate by post.
func postForm() request.Values {
	return request.Values{
		"cognome": "Rossi", "nome": "Mario", "codice_fiscale": "RSSMRA80A01F205X",
		"tipo_certificato": "residenza", "uso": "uso pensione", "bollo": "marca",
		"destinatario": "Mario Rossi", "indirizzo_recapito": "Via Giuseppe Garibaldi 12/B",
		"cap": "20099", "comune_recapito": "Sesto San Giovanni", "provincia": "mi", "privacy": "sì",
	}
}

func TestPostOrderOf(t *testing.T) {
	o, err := request.PostOrderOf(postForm())
	if err != nil {
		t.Fatal(err)
	}
	want := request.Address{Recipient: "Mario Rossi", Street: "Via Giuseppe Garibaldi 12/B", CAP: "20099", Comune: "Sesto San Giovanni", Provincia: "MI"}
	if o.Type != "residenza" || !o.Marca || o.ExemptionID != 0 || o.Address != want {
		t.Errorf("order %+v", o)
	}
	if got := strings.Join(o.Address.Lines(), "|"); got != "Mario Rossi|Via Giuseppe Garibaldi 12/B|20099 SESTO SAN GIOVANNI MI" {
		t.Errorf("lines %q", got)
	}
	for _, tc := range []struct {
		name, field, value, want string
	}{
		{"ErrCAPFourDigits", "cap", "2009", "CAP di 5 cifre"},
		{"ErrCAPLetters", "cap", "2009A", "CAP di 5 cifre"},
		{"ErrProvinciaUnknown", "provincia", "XX", "provincia"},
		{"ErrProvinciaLong", "provincia", "Milano", "provincia"},
		{"ErrNoHouseNumber", "indirizzo_recapito", "Via Roma", "numero civico"},
		{"ErrRecipientMissing", "destinatario", " ", "destinatario mancante"},
		{"ErrRecipientControl", "destinatario", "Mario\x00Rossi", "carattere non ammesso"},
		{"ErrRecipientNonLatin", "destinatario", "Марио Росси", "non latini"},
		{"ErrStreetTooLong", "indirizzo_recapito", "Via " + strings.Repeat("a", 50) + " 1", "oltre 44"},
		{"ErrComuneDigits", "comune_recapito", "Milano 2", "comune con cifre"},
		{"ErrTypeUnknown", "tipo_certificato", "patente", "non richiedibile"},
		{"ErrTypeNeedsDate", "tipo_certificato", "residenza-storico-alla-data", "non richiedibile"},
		{"ErrBolloMissing", "bollo", "", "bollo"},
		{"ErrExemptionWithMarca", "esenzione", "5", "l'una o l'altro"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := postForm()
			v[tc.field] = tc.value
			_, err := request.PostOrderOf(v)
			if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), tc.want) {
				t.Errorf("%s=%q: %v, want EINVALID naming %q", tc.field, tc.value, err, tc.want)
			}
		})
	}
	t.Run("Exemption", func(t *testing.T) {
		v := postForm()
		v["bollo"], v["esenzione"] = "esenzione", "5"
		o, err := request.PostOrderOf(v)
		if err != nil || o.Marca || o.ExemptionID != 5 {
			t.Errorf("%+v %v", o, err)
		}
		v["esenzione"] = ""
		if _, err := request.PostOrderOf(v); err == nil {
			t.Error("an exemption without its number accepted")
		}
	})
	t.Run("Snc", func(t *testing.T) {
		v := postForm()
		v["indirizzo_recapito"] = "Località Pian del Bosco snc"
		if _, err := request.PostOrderOf(v); err != nil {
			t.Error(err)
		}
	})
}

// TestPostFormInCatalogue: the service's form, checked as every form is,
// also refuses a bad address, and takes a good one.
func TestPostFormInCatalogue(t *testing.T) {
	s := service(t, request.PostService)
	if !s.Kiosk || s.Event != request.EventCitizen {
		t.Errorf("service %+v", s)
	}
	f, _ := s.Field(request.PostFieldType)
	for _, o := range f.Options {
		v := postForm()
		v["tipo_certificato"] = o.ID
		if _, err := s.ValidateForm(v, nil, request.Applicant{}); err != nil {
			t.Errorf("option %s: %v", o.ID, err)
		}
	}
	if len(f.Options) != len(request.PostTypes) {
		t.Errorf("%d options, %d types by post", len(f.Options), len(request.PostTypes))
	}
	v := postForm()
	v["cap"] = "123"
	if _, err := s.ValidateForm(v, nil, request.Applicant{}); err == nil || !strings.Contains(err.Error(), "CAP di 5 cifre") {
		t.Errorf("bad CAP: %v", err)
	}
}

// FuzzPostOrder feeds the address and order parser arbitrary text in any
// field. It never panics; what it accepts has a CAP of five digits, a
// known province, lines that fit the envelope's window, and is a fixed
// point (parsing the printed parts again gives the same address).
func FuzzPostOrder(f *testing.F) {
	fields := []string{"tipo_certificato", "uso", "bollo", "esenzione", "destinatario", "indirizzo_recapito", "cap", "comune_recapito", "provincia"}
	f.Add(uint8(6), "20099")
	f.Add(uint8(8), "mi")
	f.Add(uint8(5), "Via Roma snc")
	f.Add(uint8(4), "D'Annunzio-Rossi Maria")
	f.Add(uint8(3), "12")
	f.Add(uint8(2), "esenzione")
	f.Fuzz(func(t *testing.T, pick uint8, value string) {
		v := postForm()
		v[fields[int(pick)%len(fields)]] = value
		o, err := request.PostOrderOf(v)
		if err != nil {
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("error %v not EINVALID", err)
			}
			return
		}
		a := o.Address
		if len(a.CAP) != 5 || strings.Trim(a.CAP, "0123456789") != "" || len(a.Provincia) != 2 {
			t.Fatalf("accepted %+v", a)
		}
		for _, l := range a.Lines() {
			if utf8.RuneCountInString(l) > request.MaxAddressLine || strings.ContainsAny(l, "\x00\n\r\t") {
				t.Fatalf("line %q does not fit", l)
			}
		}
		again, err := request.ParseAddress(a.Recipient, a.Street, a.CAP, a.Comune, a.Provincia)
		if err != nil || again != a {
			t.Fatalf("not a fixed point: %+v -> %+v %v", a, again, err)
		}
	})
}
