package request_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/request"
)

func service(t testing.TB, id string) *request.Service {
	t.Helper()
	for _, s := range request.DefaultCatalogue() {
		if s.ID == id {
			return &s
		}
	}
	t.Fatalf("no service %s", id)
	return nil
}

func TestDefaultCatalogue(t *testing.T) {
	cat := request.DefaultCatalogue()
	audiences, events, seen := map[request.Audience]int{}, map[request.LifeEvent]int{}, map[string]bool{}
	for _, s := range cat {
		if err := s.Validate(); err != nil {
			t.Errorf("%s: %v", s.ID, err)
		}
		if seen[s.ID] {
			t.Errorf("service %s twice", s.ID)
		}
		seen[s.ID] = true
		audiences[s.Audience]++
		events[s.Event]++
		if !slices.ContainsFunc(s.Fields, func(f request.Field) bool { return f.Required && f.Type != request.Consent && f.Prefill == "" }) {
			t.Errorf("%s: a form with nothing to fill", s.ID)
		}
	}
	if len(cat) < 80 || audiences[request.Citizens] < 40 || audiences[request.Businesses] < 40 {
		t.Errorf("%d services, %v", len(cat), audiences)
	}
	for _, e := range request.LifeEvents {
		if events[e] < 3 {
			t.Errorf("life event %s has %d services", e, events[e])
		}
	}
	// The services of the seeds, with the fields that make them real.
	for id, fields := range map[string][]string{
		"iscrizione-mensa":           {"figlio", "scuola", "classe", "dieta", "giorni"},
		"trasporto-scolastico":       {"figlio", "fermata", "tragitto"},
		"esenzione-mensa":            {"isee", "isee_data", "isee_protocollo", "figlio"},
		"centri-estivi":              {"figlio", "settimane"},
		"cambio-residenza":           {"provenienza", "nuovo_indirizzo", "decorrenza", "titolo", "dati_catastali"},
		"appuntamento-passaporto":    {"motivo", "minore", "ricevuta"},
		"contributo-economico":       {"isee", "importo", "iban"},
		"assistenza-domiciliare":     {"beneficiario", "prestazioni"},
		"scia-vicinato":              {"partita_iva", "pec", "superficie_vendita", "planimetria"},
		"occupazione-suolo-pubblico": {"metri_quadri", "dal", "al"},
		"adozione-cane":              {"taglia", "abitazione", "impegno"},
		"prenotazione-teatro":        {"spettacolo", "data_spettacolo", "posti"},
		"tari-dichiarazione":         {"tipo", "superficie", "occupanti", "decorrenza"},
	} {
		s := service(t, id)
		for _, f := range fields {
			if _, ok := s.Field(f); !ok {
				t.Errorf("%s lacks the field %s", id, f)
			}
		}
	}
}

func TestPartitaIVA(t *testing.T) {
	for _, c := range []struct {
		in, want, err string
	}{
		{"00488410010", "00488410010", ""},
		{"IT 00743110157", "00743110157", ""},
		{"07643520567", "07643520567", ""},
		{"01234567890", "", "cifra di controllo"},
		{"0048841001", "", "11 cifre"},
		{"0048841001A", "", "11 cifre"},
		{"00000000000", "", "non valida"},
	} {
		t.Run(c.in, func(t *testing.T) {
			got, err := request.NormalizePartitaIVA(c.in)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) || app.ErrorCode(err) != app.EINVALID {
					t.Fatalf("%q: %v, want %q", c.in, err, c.err)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("%q = %q, %v", c.in, got, err)
			}
		})
	}
}

func TestIBAN(t *testing.T) {
	for _, c := range []struct {
		in, want, err string
	}{
		{"IT60 X054 2811 1010 0000 0123 456", "IT60X0542811101000000123456", ""},
		{"it60x0542811101000000123456", "IT60X0542811101000000123456", ""},
		{"GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432", ""},
		{"DE89370400440532013000", "DE89370400440532013000", ""},
		{"IT61X0542811101000000123456", "", "cifre di controllo"},
		{"IT60X054281110100000012345", "", "27 caratteri"},
		{"1T60X0542811101000000123456", "", "comincia con il paese"},
		{"IT60X05428111010000001234-6", "", "non ammessi"},
		{"IT60", "", "lunghezza"},
	} {
		t.Run(c.in, func(t *testing.T) {
			got, err := request.NormalizeIBAN(c.in)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("%q: %v, want %q", c.in, err, c.err)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("%q = %q, %v", c.in, got, err)
			}
		})
	}
}

var today = time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)

const (
	parentCF = "RSSMRA85T10A562S"
	childCF  = "RSSLCU16A09F205X"
	adultCF  = "RSSMRT83L61F205Y"
)

var family = request.Applicant{CodiceFiscale: parentCF, Today: today, Family: []request.Member{
	{CodiceFiscale: parentCF, Name: "Rossi Mario", BirthDate: app.Date(1985, 12, 10)},
	{CodiceFiscale: adultCF, Name: "Rossi Marta", BirthDate: app.Date(1983, 7, 21)},
	{CodiceFiscale: childCF, Name: "Rossi Luca", BirthDate: app.Date(2016, 1, 9)},
}}

func canteen() request.Values {
	return request.Values{"cognome": "Rossi", "nome": "Mario", "codice_fiscale": parentCF, "figlio": childCF,
		"scuola": "Rodari", "classe": "primaria_3", "anno_scolastico": "2026/2027", "dieta": "normale",
		"giorni": "ven,lun", "dichiarazione": "sì", "privacy": "true"}
}

func TestValidateForm(t *testing.T) {
	mensa := service(t, "iscrizione-mensa")
	affitto := service(t, "contributo-affitto")
	scia := service(t, "scia-vicinato")
	pdf := request.AttachmentMeta{Field: "certificato_dieta", Name: "dieta.pdf", Type: "application/pdf", Size: 1000, SHA256: strings.Repeat("ab", 32)}
	for _, c := range []struct {
		name  string
		svc   *request.Service
		edit  func(request.Values)
		atts  []request.AttachmentMeta
		field string // the field in error, "" when valid
		msg   string
		check func(t *testing.T, v request.Values)
	}{
		{name: "Valid", svc: mensa, edit: func(request.Values) {}, check: func(t *testing.T, v request.Values) {
			if v["giorni"] != "lun,ven" || v["dichiarazione"] != "si" || v["privacy"] != "si" {
				t.Errorf("normalised %v", v)
			}
		}},
		{name: "ErrRequired", svc: mensa, edit: func(v request.Values) { delete(v, "scuola") }, field: "scuola", msg: "obbligatorio"},
		{name: "ErrConsentRefused", svc: mensa, edit: func(v request.Values) { v["privacy"] = "no" }, field: "privacy", msg: "serve il consenso"},
		{name: "ErrUnknownChoice", svc: mensa, edit: func(v request.Values) { v["dieta"] = "crudista" }, field: "dieta", msg: "scelta non prevista"},
		{name: "ErrUnknownMulti", svc: mensa, edit: func(v request.Values) { v["giorni"] = "lun,dom" }, field: "giorni", msg: "dom"},
		{name: "ErrNotFamily", svc: mensa, edit: func(v request.Values) { v["figlio"] = "BNCNCL01P09F205E" }, field: "figlio", msg: "famiglia"},
		{name: "ErrAdultChild", svc: mensa, edit: func(v request.Values) { v["figlio"] = adultCF }, field: "figlio", msg: "maggiorenne"},
		{name: "ErrUnknownField", svc: mensa, edit: func(v request.Values) { v["hack"] = "1" }, field: "hack", msg: "sconosciuto"},
		{name: "ErrControlChars", svc: mensa, edit: func(v request.Values) { v["scuola"] = "Rodari\x00" }, field: "scuola", msg: "caratteri"},
		{name: "ErrTooLong", svc: mensa, edit: func(v request.Values) { v["scuola"] = strings.Repeat("a", 201) }, field: "scuola", msg: "200"},
		{name: "Attachment", svc: mensa, atts: []request.AttachmentMeta{pdf}, edit: func(request.Values) {}, check: func(t *testing.T, v request.Values) {
			if v["certificato_dieta"] != "dieta.pdf" {
				t.Errorf("attachment value %q", v["certificato_dieta"])
			}
		}},
		{name: "ErrAttachmentType", svc: mensa, atts: []request.AttachmentMeta{{Field: "certificato_dieta", Name: "x.exe", Type: "application/x-msdownload", Size: 10, SHA256: pdf.SHA256}},
			edit: func(request.Values) {}, field: "", msg: "non è un PDF"},
		{name: "ErrAttachmentSize", svc: mensa, atts: []request.AttachmentMeta{{Field: "certificato_dieta", Name: "big.pdf", Type: "application/pdf", Size: 6 << 20, SHA256: pdf.SHA256}},
			edit: func(request.Values) {}, field: "", msg: "5 MB"},
		{name: "AmountDateIBAN", svc: affitto, edit: func(v request.Values) {
			delete(v, "figlio")
			delete(v, "scuola")
			delete(v, "classe")
			delete(v, "anno_scolastico")
			delete(v, "dieta")
			delete(v, "giorni")
			v["isee"], v["isee_data"], v["isee_protocollo"] = "9800,5", "15/1/2026", "INPS-ISEE-2026-00012345A-00"
			v["canone_annuo"], v["data_contratto"], v["iban"] = "6000", "2024-03-01", "it60 x054 2811 1010 0000 0123 456"
		}, atts: []request.AttachmentMeta{{Field: "contratto", Name: "c.pdf", Type: "application/pdf", Size: 10, SHA256: pdf.SHA256}, {Field: "documento", Name: "ci.jpg", Type: "image/jpeg", Size: 10, SHA256: pdf.SHA256}},
			check: func(t *testing.T, v request.Values) {
				if v["isee"] != "9800.50" || v["isee_data"] != "2026-01-15" || v["iban"] != "IT60X0542811101000000123456" || v["canone_annuo"] != "6000.00" {
					t.Errorf("normalised %v", v)
				}
			}},
		{name: "ErrBadIBAN", svc: affitto, edit: func(v request.Values) { v["iban"] = "IT60X0542811101000000123457" }, field: "iban", msg: "IBAN"},
		{name: "ErrBadDate", svc: affitto, edit: func(v request.Values) { v["isee_data"] = "31/02/2026" }, field: "isee_data", msg: "data non valida"},
		{name: "ErrBadAmount", svc: affitto, edit: func(v request.Values) { v["isee"] = "1.234,00" }, field: "isee", msg: "importo"},
		{name: "ErrBusinessPIVA", svc: scia, edit: func(v request.Values) {
			v["ragione_sociale"], v["partita_iva"], v["sede_legale"], v["qualita"], v["pec"] = "Rossi srl", "01234567890", "Via Roma 1", "titolare", "rossi@pec.it"
		}, field: "partita_iva", msg: "cifra di controllo"},
		{name: "ErrBusinessPEC", svc: scia, edit: func(v request.Values) {
			v["ragione_sociale"], v["partita_iva"], v["sede_legale"], v["qualita"], v["pec"] = "Rossi srl", "00743110157", "Via Roma 1", "titolare", "rossi@pec"
		}, field: "pec", msg: "email"},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := canteen()
			c.edit(v)
			got, err := c.svc.ValidateForm(v, c.atts, family)
			if c.msg == "" {
				if err != nil {
					t.Fatal(err)
				}
				if c.check != nil {
					c.check(t, got)
				}
				return
			}
			var fe *request.FormError
			if !errors.As(err, &fe) || app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("err = %v, want a form error", err)
			}
			found := false
			for _, f := range fe.Fields {
				found = found || (f.Field == c.field && strings.Contains(f.Message, c.msg))
			}
			if !found {
				t.Fatalf("errors %+v, want %s: %q", fe.Fields, c.field, c.msg)
			}
		})
	}
}

func TestMove(t *testing.T) {
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	newReq := func() *request.Request {
		return &request.Request{Number: "2026/000001", Status: request.StatusReceived, Version: 1,
			History: []request.StatusChange{{Status: request.StatusReceived, Operator: "demo", Version: 1}}}
	}
	r := newReq()
	if err := r.Move(request.StatusWorking, "", "bo", 1, at); err != nil || r.Version != 2 || r.Status != request.StatusWorking {
		t.Fatalf("move: %v %+v", err, r)
	}
	for _, c := range []struct {
		name     string
		to       request.Status
		note     string
		expected int
		code     string
	}{
		{"ErrStale", request.StatusConcluded, "", 1, app.ECONFLICT},
		{"ErrRejectWithoutNote", request.StatusRejected, " ", 2, app.EINVALID},
		{"ErrBackToReceived", request.StatusReceived, "", 2, app.ECONFLICT},
	} {
		t.Run(c.name, func(t *testing.T) {
			cp := *r
			if err := cp.Move(c.to, c.note, "bo", c.expected, at); app.ErrorCode(err) != c.code {
				t.Fatalf("err = %v, want %s", err, c.code)
			}
		})
	}
	if err := r.Move(request.StatusRejected, "manca l'ISEE", "bo", 2, at); err != nil || !r.Status.Final() || r.LastNote() != "manca l'ISEE" {
		t.Fatal(err)
	}
	if err := r.Move(request.StatusWorking, "", "bo", 3, at); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("a concluded request moved: %v", err)
	}
}

func TestProtocolNumbers(t *testing.T) {
	if got := request.ProtocolNumber(2026, 123); got != "2026/000123" {
		t.Fatal(got)
	}
	if y, n, err := request.ParseProtocolNumber("2026/000123"); err != nil || y != 2026 || n != 123 {
		t.Fatal(y, n, err)
	}
	for _, bad := range []string{"2026/0", "26/000123", "2026-000123", "PROV-I690-W001-000007"} {
		if _, _, err := request.ParseProtocolNumber(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	if got := request.ProvisionalNumber("I690-W001", 7); got != "PROV-I690-W001-000007" {
		t.Fatal(got)
	}
}

func TestSearchServices(t *testing.T) {
	cat := request.DefaultCatalogue()
	for _, c := range []struct {
		words string
		event request.LifeEvent
		first string
	}{
		{"mensa", "", "iscrizione-mensa"},
		{"MENSA esenzione", "", "esenzione-mensa"},
		{"carta d'identita", "", "appuntamento-cie"},
		{"attivita cessazione", "", "cessazione-attivita"},
		{"cane", request.EventFamily, "adozione-cane"},
		{"suolo pubblico", request.EventBusiness, "occupazione-suolo-dehors"},
	} {
		got := request.SearchServices(cat, c.words, c.event)
		if len(got) == 0 || got[0].ID != c.first {
			var ids []string
			for _, s := range got {
				ids = append(ids, s.ID)
			}
			t.Errorf("%q in %q: %v, want %s first", c.words, c.event, ids, c.first)
		}
	}
	if got := request.SearchServices(cat, "zzzz", ""); len(got) != 0 {
		t.Errorf("nonsense found %d", len(got))
	}
}

func TestSniffType(t *testing.T) {
	for in, want := range map[string]string{
		"%PDF-1.7\n":           "application/pdf",
		"\xFF\xD8\xFF\xE0JFIF": "image/jpeg",
		"\x89PNG\r\n\x1a\nxx":  "image/png",
		"II*\x00abc":           "image/tiff",
		"MZ\x90\x00":           "",
		"<html>":               "",
	} {
		if got := request.SniffType([]byte(in)); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
	if got := request.CleanName("C:\\scan\\..\\doc\\ident\x00ità.pdf"); got != "identità.pdf" {
		t.Errorf("clean name %q", got)
	}
}
