package ui

import (
	"strings"
	"testing"

	"github.com/sportello/sportello/app"
)

func TestCatalogComplete(t *testing.T) {
	for id := range msgCount {
		m, ok := catalog[id]
		if !ok {
			t.Errorf("message %d has no entry", id)
			continue
		}
		if m.it == "" || m.en == "" {
			t.Errorf("message %d: it %q, en %q: both languages are needed", id, m.it, m.en)
		}
		if strings.Count(m.it, "%") != strings.Count(m.en, "%") {
			t.Errorf("message %d: it %q and en %q take different arguments", id, m.it, m.en)
		}
	}
}

func TestEnglish(t *testing.T) {
	h := newHarness(t, func(d *Deps) { d.Lang = "en" })
	h.assertShows("Sign in to this workstation", "Username", "Password", "Sign in", "Comune of Sesto San Giovanni",
		"Workstation ANAG-01", "Last sync: today at 10:25", "Pending operations: 0", "Sync now")
	h.assertHides("Accedi", "Nome utente", "Operazioni")
	h.login()
	if got := h.c.search.box.PlaceHolder; got != "Codice fiscale or surname and name" {
		t.Errorf("placeholder = %q", got)
	}
	h.online.Store(false)
	h.openByKeyboard("ross", 1)
	h.assertShows("In this comune", "Other comuni of the network", "Searching other comuni needs the network",
		"born 08/02/1931", "deceased", "Personal data", "Born", "08/02/1931 in ROMA", "Residence", "Family",
		"Relationship", "No certificates", "No requests", "No payments", "Back to search", "Log out")
	h.assertHides("Dati anagrafici", "Nessun", "Torna alla ricerca")
}

func TestFormats(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{langIT.formatEuro(1600), "€ 16,00"},
		{langIT.formatEuro(123456789), "€ 1.234.567,89"},
		{langEN.formatEuro(123456789), "€1,234,567.89"},
		{langIT.formatEuro(-50), "-€ 0,50"},
		{displayName("de luca", "MARIA GRAZIA"), "DE LUCA Maria Grazia"},
		{displayName("D'ANGELO", "anna-lisa"), "D'ANGELO anna-lisa"},
		{displayName("Rossi", "GIAN'CARLO"), "ROSSI Gian'Carlo"},
		{formatDate(app.Date(1975, 3, 12)), "12/03/1975"},
		{formatDate(app.Date(1, 1, 1).AddDate(-1, 0, 0)), "01/01/0000"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	for in, want := range map[string]string{
		"SESTO SAN GIOVANNI":              "Sesto San Giovanni",
		"REGGIO NELL'EMILIA":              "Reggio nell'Emilia",
		"L'AQUILA":                        "L'Aquila",
		"SANT'ANGELO LODIGIANO":           "Sant'Angelo Lodigiano",
		"CASTEL D'AIANO":                  "Castel d'Aiano",
		"BOLZANO/BOZEN":                   "Bolzano/Bozen",
		"VILLA SANTA LUCIA DEGLI ABRUZZI": "Villa Santa Lucia degli Abruzzi",
		"Cinisello Balsamo":               "Cinisello Balsamo",
	} {
		if got := placeName(in); got != want {
			t.Errorf("placeName(%q) = %q, want %q", in, got, want)
		}
	}
	if langFor("EN") != langEN || langFor("") != langIT || langFor("fr") != langIT {
		t.Error("langFor: English only when asked, Italian otherwise")
	}
}
