package ui

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sportello/sportello/app"
)

// msgNames reads the names of the message keys from i18n.go, in the order
// iota numbers them, so that a failure names the key rather than a number.
func msgNames(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "i18n.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		var names []string
		for _, s := range g.Specs {
			for _, n := range s.(*ast.ValueSpec).Names {
				names = append(names, n.Name)
			}
		}
		if len(names) > 0 && names[len(names)-1] == "msgCount" {
			if len(names)-1 != int(msgCount) {
				t.Fatalf("i18n.go declares %d keys, msgCount is %d", len(names)-1, msgCount)
			}
			return names[:len(names)-1]
		}
	}
	t.Fatal("no const block ending in msgCount in i18n.go")
	return nil
}

// sameInBoth are the texts that read the same in Italian and in English,
// and why; every other text must differ between the two.
var sameInBoth = map[msg]string{
	msgPassword:         "the English word",
	msgComuneLabel:      "the Italian term of art",
	msgColCodiceFiscale: "the Italian term of art",
	msgOnline:           "the English word",
	msgOffline:          "the English word",
	msgPayConfirm:       "punctuation only",
	msgMinutes:          "the same abbreviation",
	msgHintAmount:       "the form takes the decimal comma in both",
	msgPaperCertificate: "names an Italian paper, as its print job",
	msgPaperDuplicate:   "names an Italian paper, as its print job",
	msgPaperNotice:      "names an Italian paper, as its print job",
	msgPaperReceipt:     "names an Italian paper, as its print job",
}

// verbs are the formatting verbs of a text, in order: the arguments it takes.
var verbs = regexp.MustCompile(`%[-+# 0]*[0-9]*(\.[0-9]+)?[a-zA-Z%]`)

// TestCatalog: every text of the screens exists in both languages, takes
// the same arguments in both, reads differently in English unless listed
// in sameInBoth, is shown by some screen, and says something no other key
// says (one key for one word).
func TestCatalog(t *testing.T) {
	names := msgNames(t)
	src := nonTestSources(t)
	said := map[[2]string]string{}
	for id := range msgCount {
		name, m := names[id], catalog[id]
		if m.it == "" || m.en == "" {
			t.Errorf("%s: it %q, en %q: both languages are needed", name, m.it, m.en)
			continue
		}
		if vi, ve := verbs.FindAllString(m.it, -1), verbs.FindAllString(m.en, -1); !slices.Equal(vi, ve) {
			t.Errorf("%s: it %q takes %v, en %q takes %v", name, m.it, vi, m.en, ve)
		}
		switch _, listed := sameInBoth[id]; {
		case m.it == m.en && !listed:
			t.Errorf("%s reads %q in both languages: translate it, or list it in sameInBoth with the reason", name, m.it)
		case m.it != m.en && listed:
			t.Errorf("%s is listed in sameInBoth, but reads %q and %q", name, m.it, m.en)
		}
		if !regexp.MustCompile(`\b` + name + `\b`).MatchString(src) {
			t.Errorf("%s: no screen shows it", name)
		}
		if other, ok := said[[2]string{m.it, m.en}]; ok {
			t.Errorf("%s says what %s says: %q", name, other, m.it)
		}
		said[[2]string{m.it, m.en}] = name
	}
	if got := langIT.text(msgCount); got != fmt.Sprintf("!msg%d", msgCount) {
		t.Errorf("a key past the catalog shows %q", got)
	}
}

// shownAsIs are the literals a screen may show without the catalog: names
// and examples that are no language's words.
var shownAsIs = map[string]bool{
	`"Sportello"`:                         true, // the product's name
	`"RSSMRA85T10A562S"`:                  true, // a codice fiscale, as the kiosk's example
	`"CA12345AB"`:                         true, // an identity card number, as the kiosk's example
	`"IT60 X054 2811 1010 0000 0123 456"`: true, // an IBAN, as the request form's example
	`"+39 …"`:                             true, // a phone number's prefix
	`" (Esc)"`:                            true, // a key's name, as the keyboard prints it
	`" (Ctrl+P)"`:                         true, // a shortcut's name, as the keyboard prints it
}

// TestNoInlineText: no screen hands a widget a text of its own; every
// word goes through the catalog. It looks at the string literals in the
// arguments of the calls that put text on screen. (The names of saved
// files, "ricevuta-….pdf", are the Italian papers' names in both languages.)
func TestNoInlineText(t *testing.T) {
	shows := map[string]bool{
		"NewLabel": true, "NewButton": true, "NewButtonWithIcon": true, "NewCheck": true, "NewText": true,
		"NewRichTextWithText": true, "NewTextSegment": true, "NewHyperlink": true, "NewSelect": true,
		"NewCustom": true, "NewCustomWithoutButtons": true, "NewConfirm": true, "NewInformation": true,
		"NewFormItem": true, "SetText": true, "SetPlaceHolder": true, "SetTitle": true, "textf": true,
		"bigText": true, "bigLeft": true, "quiet": true, "note": true, "wrapped": true, "newNotice": true,
		"newBadge": true, "errorText": true, "frame": true, "showNotice": true,
	}
	word := regexp.MustCompile(`\pL\pL`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if name == "i18n.go" || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var fn string
			switch x := call.Fun.(type) {
			case *ast.Ident:
				fn = x.Name
			case *ast.SelectorExpr:
				fn = x.Sel.Name
			}
			if !shows[fn] {
				return true
			}
			for _, arg := range call.Args {
				ast.Inspect(arg, func(n ast.Node) bool {
					switch x := n.(type) {
					case *ast.FuncLit:
						return false // a handler: its own calls are checked on their own
					case *ast.BasicLit:
						if x.Kind == token.STRING && word.MatchString(x.Value) && !shownAsIs[x.Value] {
							t.Errorf("%s: %s shows %s: put it in the catalog", fset.Position(x.Pos()), fn, x.Value)
						}
					}
					return true
				})
			}
			return true
		})
	}
}

// nonTestSources is the package's code without i18n.go and the tests.
func nonTestSources(t *testing.T) string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, f := range files {
		if f == "i18n.go" || strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(data)
	}
	return b.String()
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
		{langIT.euro(1600), "€ 16,00"},
		{langIT.euro(123456789), "€ 1.234.567,89"},
		{langEN.euro(123456789), "€1,234,567.89"},
		{langIT.euro(-50), "-€ 0,50"},
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
