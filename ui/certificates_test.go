package ui

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/app/certificate"
)

// validMarca is the number of a marca da bollo of the tests.
const validMarca = "01234567890123"

// openForm logs in, opens the file of the first citizen found by text and
// opens the issue form with Ctrl+P, waiting for its printers and exemptions.
func (h *harness) openForm(text string) *issueForm {
	h.t.Helper()
	h.login()
	h.openByKeyboard(text, 1)
	h.shortcut(issueShortcut)
	fm := h.c.file.form
	if fm == nil {
		h.t.Fatalf("Ctrl+P did not open the issue form; the screen shows:\n%s", h.screen())
	}
	h.waitFor("the printers and exemptions", func() bool { return fm.loaded })
	if h.w.Canvas().Focused() != fm.list {
		h.t.Fatalf("the type list does not have the keyboard: %T has it", h.w.Canvas().Focused())
	}
	return fm
}

// chooseType moves the selection of the type list down to title, by
// keyboard, and fails if it cannot be reached.
func (h *harness) chooseType(fm *issueForm, title string) {
	h.t.Helper()
	for range len(fm.types) {
		if t, ok := fm.selectedType(); ok && certificateTitle(t.Title) == title {
			return
		}
		h.press(fyne.KeyDown)
	}
	h.t.Fatalf("type %q cannot be chosen; the form shows:\n%s", title, h.screen())
}

// issueFirstType issues the type the form selects first, the anagrafico
// di nascita, in bollo like every ANPR type: Enter on the type, Enter in
// the use (on to the marca), the marca, Enter.
func (h *harness) issueFirstType() {
	h.t.Helper()
	h.press(fyne.KeyReturn)
	h.press(fyne.KeyReturn)
	h.typeText(validMarca)
	h.press(fyne.KeyReturn)
}

// waitIssued waits for the form to close after issuing.
func (h *harness) waitIssued() {
	h.t.Helper()
	h.waitFor("the certificate to be issued", func() bool { return h.c.file.form == nil })
}

func TestIssue(t *testing.T) {
	t.Run("ByKeyboard", func(t *testing.T) {
		h := newHarness(t)
		fm := h.openForm("rossi mario")
		h.chooseType(fm, "Certificato di residenza")
		h.press(fyne.KeyReturn) // the type: on to the use
		if h.w.Canvas().Focused() != fm.use {
			t.Fatal("Enter on the type did not move to the use")
		}
		h.typeText("lavoro")
		h.press(fyne.KeyReturn) // the marca is still missing: on to it, nothing issued
		if h.w.Canvas().Focused() != fm.marca {
			t.Fatal("Enter in the use did not move to the missing marca")
		}
		h.typeText(validMarca)
		h.press(fyne.KeyReturn)
		h.waitIssued()

		number := testComune + "-" + testDevice + "-2025-000001"
		reqs, _ := h.issuer.calls()
		want := certificate.IssueRequest{Type: certificate.SlugResidenza, Use: "lavoro", Marca: validMarca}
		if len(reqs) != 1 || !reflect.DeepEqual(reqs[0], want) {
			t.Errorf("issue requests = %+v, want [%+v]", reqs, want)
		}
		printed, saved := h.output.jobs()
		wantJob := outputJob{printer: printerDesk, name: "Certificato " + number, pdf: string(fakePDF(number, false))}
		if len(printed) != 1 || printed[0] != wantJob || len(saved) != 0 {
			t.Errorf("printed %+v, saved %+v; want the PDF on %s", printed, saved, printerDesk)
		}
		h.assertShows("Certificato N. " + number + " rilasciato: inviato alla stampante " + printerDesk + ".")
		h.waitFor("the list to show the new certificate", func() bool {
			return h.shows("N. " + number + " — Certificato di residenza — 14/05/2025 10:30")
		})
		h.assertShows("in attesa di invio")
		h.assertHides("Nessun certificato", "Rilascio di un certificato")
		if h.w.Canvas().Focused() != h.c.file.family {
			t.Error("the keyboard did not return to the file")
		}
	})
	t.Run("ToAnotherPrinterRemembersIt", func(t *testing.T) {
		h := newHarness(t)
		fm := h.openForm("rossi mario")
		if fm.output.Selected != printerDesk {
			t.Fatalf("output = %q, want the workstation's printer %s preselected", fm.output.Selected, printerDesk)
		}
		h.w.Canvas().Focus(fm.output)
		h.press(fyne.KeyRight) // the next printer
		h.w.Canvas().Focus(fm.list)
		h.issueFirstType()
		h.waitIssued()
		printed, _ := h.output.jobs()
		if len(printed) != 1 || printed[0].printer != printerOffice {
			t.Errorf("printed %+v, want on %s", printed, printerOffice)
		}
		if got := h.output.remembered(); !slices.Equal(got, []string{printerOffice}) {
			t.Errorf("default printers remembered = %q, want [%s]", got, printerOffice)
		}
		h.assertShows("inviato alla stampante " + printerOffice)
	})
	t.Run("SavedAsPDF", func(t *testing.T) {
		h := newHarness(t)
		h.output.def = "" // no printer chosen yet on this workstation
		fm := h.openForm("rossi mario")
		if fm.output.Selected != "Salva come PDF" {
			t.Fatalf("output = %q, want Salva come PDF without a workstation printer", fm.output.Selected)
		}
		h.issueFirstType()
		h.waitIssued()
		number := testComune + "-" + testDevice + "-2025-000001"
		printed, saved := h.output.jobs()
		if len(printed) != 0 || len(saved) != 1 || saved[0].name != number+".pdf" {
			t.Errorf("printed %+v, saved %+v; want %s.pdf saved", printed, saved, number)
		}
		h.assertShows("Certificato N. " + number + " rilasciato: salvato in " + documentsDir + "/" + number + ".pdf.")
		if got := h.output.remembered(); len(got) != 0 {
			t.Errorf("saving remembered a printer: %q", got)
		}
	})
	t.Run("WithExemption", func(t *testing.T) {
		h := newHarness(t)
		fm := h.openForm("rossi mario")
		h.chooseType(fm, "Certificato di stato di famiglia")
		fm.choice.SetSelected("Esente") // as a tap on it does
		h.assertShows("Motivo di esenzione", "Scegliere il motivo di esenzione")
		h.assertHides("Il numero di 14 cifre stampato sulla marca")
		other := slices.IndexFunc(fm.exemptions, func(e anpr.Entry) bool { return e.ID == certificate.ExemptionOther })
		fm.exemption.SetSelectedIndex(other)
		h.w.Canvas().Focus(fm.use)
		h.press(fyne.KeyReturn) // the law is missing
		h.assertShows("Indicare la norma di legge che prevede l'esenzione")
		if h.w.Canvas().Focused() != fm.law {
			t.Fatal("the missing law did not take the keyboard")
		}
		h.typeText("art. 5 L. 123/2024")
		h.press(fyne.KeyReturn)
		h.waitIssued()
		reqs, _ := h.issuer.calls()
		want := certificate.IssueRequest{Type: certificate.SlugStatoDiFamiglia, ExemptionID: certificate.ExemptionOther, ExemptionText: "art. 5 L. 123/2024"}
		if len(reqs) != 1 || !reflect.DeepEqual(reqs[0], want) {
			t.Errorf("issue requests = %+v, want [%+v]", reqs, want)
		}
	})
	// A control ANPR lets the officer force: the type is listed, tagged,
	// the form names the control and wants the reason, which goes with
	// the request.
	t.Run("ForcedControl", func(t *testing.T) {
		h := newHarness(t)
		for i := range h.dir.citizens {
			if h.dir.citizens[i].GivenName == "Mario" {
				h.dir.citizens[i].OpenProcedure = true
			}
		}
		fm := h.openForm("rossi mario")
		h.chooseType(fm, "Certificato di residenza")
		h.assertShows("da forzare", "Controlli ANPR da forzare: procedimento amministrativo aperto sulla posizione anagrafica")
		h.w.Canvas().Focus(fm.marca)
		h.typeText(validMarca)
		h.press(fyne.KeyReturn)
		h.assertShows("Indicare il motivo per cui si rilascia nonostante i controlli ANPR")
		if h.w.Canvas().Focused() != fm.forceReason {
			t.Fatal("the missing reason did not take the keyboard")
		}
		h.typeText("cambio di via d'ufficio")
		h.press(fyne.KeyReturn)
		h.waitIssued()
		reqs, _ := h.issuer.calls()
		want := []certificate.Forcing{{Control: certificate.CtlProcedimentoAperto, Reason: "cambio di via d'ufficio"}}
		if len(reqs) != 1 || !reflect.DeepEqual(reqs[0].Force, want) || reqs[0].Marca != validMarca {
			t.Errorf("issue requests = %+v, want the forcing %+v", reqs, want)
		}
	})
	t.Run("ResidenceOnDate", func(t *testing.T) {
		h := newHarness(t)
		for i := range h.dir.citizens {
			if c := &h.dir.citizens[i]; c.GivenName == "Mario" {
				c.Residences = []app.ResidencePeriod{
					{From: app.Date(2001, time.March, 1), To: app.Date(2012, time.June, 4), ComuneCode: "I690", Address: app.Address{Street: "Via Roma", HouseNumber: "3", Postcode: "20099"}},
					{From: app.Date(2012, time.June, 4), ComuneCode: "I690", Address: c.Address},
				}
			}
		}
		fm := h.openForm("rossi mario")
		h.chooseType(fm, "Certificato storico di residenza alla data")
		h.assertShows("Residenza alla data del")
		h.w.Canvas().Focus(fm.marca)
		h.typeText(validMarca)
		h.press(fyne.KeyReturn)
		h.assertShows("Indicare la data alla quale certificare la residenza (GG/MM/AAAA)")
		if h.w.Canvas().Focused() != fm.onDate {
			t.Fatal("the missing date did not take the keyboard")
		}
		h.typeText("15/09/2005")
		h.press(fyne.KeyReturn)
		h.waitIssued()
		reqs, _ := h.issuer.calls()
		if len(reqs) != 1 || !reqs[0].On.Equal(app.Date(2005, time.September, 15)) || reqs[0].Type != certificate.SlugResidenzaAllaData {
			t.Errorf("issue requests = %+v, want the residence on 15/09/2005", reqs)
		}
	})
	t.Run("RefusalStaysInTheForm", func(t *testing.T) {
		h := newHarness(t)
		h.issuer.issue = func(context.Context, *app.Operator, *app.CitizenFile, certificate.IssueRequest) (*certificate.Issued, []byte, error) {
			return nil, nil, app.Errorf(app.EINVALID, "marca da bollo già usata per il certificato I690-W001-2025-000007")
		}
		fm := h.openForm("rossi mario")
		h.chooseType(fm, "Certificato di residenza")
		h.w.Canvas().Focus(fm.marca)
		h.typeText(validMarca)
		h.press(fyne.KeyReturn)
		h.waitFor("the refusal", func() bool { return h.shows("marca da bollo già usata per il certificato I690-W001-2025-000007") })
		if h.c.file.form != fm {
			t.Fatal("the form closed on a refusal")
		}
		if printed, saved := h.output.jobs(); len(printed)+len(saved) != 0 {
			t.Errorf("printed %+v, saved %+v after a refusal", printed, saved)
		}
		if fm.submit.Disabled() {
			t.Error("Rilascia e stampa stayed disabled after the refusal")
		}
		h.assertHides("rilasciato:")
	})
	t.Run("BusyIssuesOnce", func(t *testing.T) {
		h := newHarness(t)
		release := make(chan struct{})
		issue := h.issuer.issue
		h.issuer.issue = func(ctx context.Context, op *app.Operator, file *app.CitizenFile, r certificate.IssueRequest) (*certificate.Issued, []byte, error) {
			<-release
			return issue(ctx, op, file, r)
		}
		fm := h.openForm("rossi mario")
		h.issueFirstType()
		h.settle(20 * time.Millisecond)
		h.assertShows("Rilascio in corso…")
		if !fm.submit.Disabled() || !fm.cancel.Disabled() {
			t.Error("the buttons stay enabled while issuing")
		}
		h.press(fyne.KeyReturn) // impatient
		h.press(fyne.KeyEscape)
		close(release)
		h.waitIssued()
		if reqs, _ := h.issuer.calls(); len(reqs) != 1 {
			t.Errorf("%d issue requests, want 1", len(reqs))
		}
	})
	t.Run("NotPrinted", func(t *testing.T) {
		h := newHarness(t)
		h.output.print = func(context.Context, string, string, []byte) error {
			return app.Errorf(app.EOFFLINE, "stampante %s non raggiungibile", printerDesk)
		}
		h.openForm("rossi mario")
		h.issueFirstType()
		h.waitIssued()
		h.assertShows("Certificato N. I690-W001-2025-000001 rilasciato ma non stampato: stampante " + printerDesk +
			" non raggiungibile. Ristamparlo dall'elenco dei certificati.")
	})
	t.Run("EscCancels", func(t *testing.T) {
		h := newHarness(t)
		h.openForm("rossi mario")
		h.press(fyne.KeyEscape)
		if h.c.file.form != nil || len(h.w.Canvas().Overlays().List()) != 0 {
			t.Fatal("Esc did not close the form")
		}
		if reqs, _ := h.issuer.calls(); len(reqs) != 0 {
			t.Errorf("cancelling issued %+v", reqs)
		}
	})
	t.Run("LogoutClosesTheForm", func(t *testing.T) {
		h := newHarness(t)
		h.openForm("rossi mario")
		h.c.Lock()
		if n := len(h.w.Canvas().Overlays().List()); n != 0 {
			t.Fatalf("%d dialogs stay over the login screen", n)
		}
		h.assertHides("ROSSI Mario", "Rilascio di un certificato")
	})
}

func TestIssueMarca(t *testing.T) {
	for _, tc := range []struct {
		name, marca string
		live        string // under the field as it is typed
		onSubmit    string // under the field after Enter; "" issues
	}{
		{"Empty", "", "Il numero di 14 cifre stampato sulla marca", "Indicare il numero della marca da bollo (14 cifre) oppure scegliere Esente"},
		{"ThirteenDigits", "0123456789012", "13 cifre di 14", "Numero della marca da bollo incompleto: 13 cifre di 14"},
		{"FifteenDigits", "012345678901234", "Il numero della marca da bollo è di 14 cifre, solo numeri", "Il numero della marca da bollo è di 14 cifre, solo numeri"},
		{"Letter", "0123456789012A", "Il numero della marca da bollo è di 14 cifre, solo numeri", "Il numero della marca da bollo è di 14 cifre, solo numeri"},
		{"Valid", validMarca, "Numero completo", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			fm := h.openForm("rossi mario")
			h.chooseType(fm, "Certificato di residenza")
			h.w.Canvas().Focus(fm.marca)
			h.typeText(tc.marca)
			h.assertShows(tc.live)
			h.press(fyne.KeyReturn)
			if tc.onSubmit == "" {
				h.waitIssued()
				return
			}
			h.settle(20 * time.Millisecond)
			h.assertShows(tc.onSubmit)
			if reqs, _ := h.issuer.calls(); len(reqs) != 0 {
				t.Errorf("issued with marca %q: %+v", tc.marca, reqs)
			}
			if h.c.file.form != fm || h.w.Canvas().Focused() != fm.marca {
				t.Error("the form did not keep the keyboard on the marca")
			}
		})
	}
}

func TestIssueTypes(t *testing.T) {
	t.Run("BolloOnlyWhereDue", func(t *testing.T) {
		for _, tc := range []struct {
			title string
			bollo bool
		}{
			// Birth and citizenship are ANPR anagrafe certificates, in
			// bollo like the others (issue 14).
			{"Certificato anagrafico di nascita", true},
			{"Certificato di cittadinanza", true},
			{"Certificato di residenza", true},
			{"Certificato di stato di famiglia con rapporti di parentela", true},
		} {
			t.Run(tc.title, func(t *testing.T) {
				h := newHarness(t)
				fm := h.openForm("rossi mario")
				h.chooseType(fm, tc.title)
				if got := h.shows("Marca da bollo n."); got != tc.bollo {
					t.Errorf("the bollo choice shows = %v, want %v", got, tc.bollo)
				}
				if got := h.shows("Esente per legge (stato civile)"); got == tc.bollo {
					t.Errorf("\"Esente per legge\" shows = %v, want %v", got, !tc.bollo)
				}
				if tc.bollo {
					return
				}
				h.press(fyne.KeyTab)
				h.typeText("estero")
				h.press(fyne.KeyReturn)
				h.waitIssued()
				reqs, _ := h.issuer.calls()
				if len(reqs) != 1 || reqs[0].Marca != "" || reqs[0].ExemptionID != 0 || reqs[0].Use != "estero" {
					t.Errorf("requests = %+v, want one without bollo", reqs)
				}
			})
		}
	})
	t.Run("RefusedWithTheirReason", func(t *testing.T) {
		h := newHarness(t)
		fm := h.openForm("rossi mario") // resident and married
		h.assertShows("Non rilasciabili a questa persona",
			"Certificato di stato libero non rilasciabile: persona coniugata",
			"Certificato di cancellazione anagrafica non rilasciabile: data di cancellazione assente")
		for range len(fm.types) {
			h.press(fyne.KeyDown)
		}
		if got, _ := fm.selectedType(); got.Slug != certificate.SlugContestuale {
			t.Errorf("Down to the end chose %q, want the last type he can have", got.Slug)
		}
		for id, typ := range fm.types {
			if typ.Slug == certificate.SlugStatoLibero || typ.Slug == certificate.SlugCancellazione {
				t.Errorf("row %d: %s can be chosen", id, typ.Slug)
			}
		}
	})
	t.Run("Deceased", func(t *testing.T) {
		h := newHarness(t)
		fm := h.openForm("rossi giuseppe")
		// ANPR refuses even the cancellation to a deceased person; the
		// history of residence remains.
		if got, ok := fm.selectedType(); !ok || got.Slug != certificate.SlugResidenzaStorico {
			t.Errorf("selected %q, want the historical residence, the only one for a deceased person", got.Slug)
		}
		h.assertShows("Certificato di residenza non rilasciabile: persona deceduta (cancellata il 24/12/2021)")
	})
}

func TestCertificateList(t *testing.T) {
	t.Run("FlagsAndSending", func(t *testing.T) {
		h := newHarness(t)
		mario := h.dir.byName("Rossi", "Mario")
		flagged := h.issuer.add(t, mario, certificate.SlugStatoDiFamiglia, time.Date(2025, 1, 20, 15, 40, 0, 0, time.UTC), "la famiglia è cambiata dopo il rilascio", true)
		h.issuer.add(t, mario, certificate.SlugNascita, time.Date(2025, 5, 14, 7, 0, 0, 0, time.UTC), "", false)
		h.login()
		h.openByKeyboard("rossi mario", 1)
		h.assertShows(
			"N. I690-W001-2025-000002 — Certificato anagrafico di nascita — 14/05/2025 09:00", // Rome, summer time
			"N. "+flagged+" — Certificato di stato di famiglia — 20/01/2025 16:40",            // Rome, winter time
			"da verificare: la famiglia è cambiata dopo il rilascio")
		if n := strings.Count(h.screen(), "in attesa di invio"); n != 1 {
			t.Errorf("\"in attesa di invio\" shows %d times, want once: for the one not synced", n)
		}
		h.assertHides("DUPLICATO", "Nessun certificato")
	})
	t.Run("Reprint", func(t *testing.T) {
		for _, tc := range []struct {
			name, printer string
			printed       bool
			says          string
		}{
			{"OnTheWorkstationPrinter", printerDesk, true, "Duplicato del certificato N. I690-W001-2025-000001 inviato alla stampante " + printerDesk + "."},
			{"SavedWithoutPrinter", "", false, "Duplicato del certificato N. I690-W001-2025-000001 salvato in " + documentsDir + "/I690-W001-2025-000001-duplicato.pdf."},
		} {
			t.Run(tc.name, func(t *testing.T) {
				h := newHarness(t)
				h.output.def = tc.printer
				number := h.issuer.add(t, h.dir.byName("Rossi", "Mario"), certificate.SlugResidenza, testNow.Add(-time.Hour), "", true)
				h.login()
				h.openByKeyboard("rossi mario", 1)
				h.tap(h.button("Ristampa"))
				h.waitFor("the reprint", func() bool { return h.shows(tc.says) })
				if _, reprints := h.issuer.calls(); !slices.Equal(reprints, []string{number}) {
					t.Errorf("reprints = %q, want [%s]", reprints, number)
				}
				printed, saved := h.output.jobs()
				jobs := saved
				if tc.printed {
					jobs = printed
				}
				if len(printed)+len(saved) != 1 || len(jobs) != 1 || jobs[0].pdf != string(fakePDF(number, true)) {
					t.Errorf("printed %+v, saved %+v; want the duplicate once", printed, saved)
				}
			})
		}
	})
	t.Run("NotOnThisWorkstation", func(t *testing.T) {
		h := newHarness(t, func(d *Deps) { d.Certificates = nil })
		h.login()
		h.openByKeyboard("rossi mario", 1)
		h.assertShows("Certificati non disponibili su questa postazione")
		h.assertHides("Rilascia certificato", "Nessun certificato", "Certificati da verificare")
		h.shortcut(issueShortcut)
		if n := len(h.w.Canvas().Overlays().List()); n != 0 {
			t.Errorf("Ctrl+P opened %d dialogs without certificates", n)
		}
	})
	t.Run("CtrlPFromTheSearchBox", func(t *testing.T) {
		h := newHarness(t)
		h.login()
		h.openByKeyboard("rossi mario", 1)
		h.c.backToSearch()
		h.shortcut(issueShortcut)
		if h.c.file.form == nil {
			t.Fatal("Ctrl+P in the search box did not open the form for the file shown")
		}
	})
}

func TestWorklist(t *testing.T) {
	h := newHarness(t)
	mario := h.dir.byName("Rossi", "Mario")
	number := h.issuer.add(t, mario, certificate.SlugResidenza, time.Date(2025, 5, 10, 8, 0, 0, 0, time.UTC), "residenza cambiata dopo il rilascio", true)
	h.issuer.add(t, h.dir.byName("Bianchi", "Anna"), certificate.SlugNascita, testNow, "", true)
	h.login()
	h.waitFor("the worklist button", func() bool { return h.shows("Certificati da verificare (1)") })
	h.tap(h.button("Certificati da verificare"))
	h.waitFor("the worklist", func() bool { return h.shows("residenza cambiata dopo il rilascio") })
	h.assertShows("ROSSI Mario", mario.CodiceFiscale, "N. "+number+" — Certificato di residenza — 10/05/2025 10:00")
	h.assertHides("BIANCHI Anna")
	h.press(fyne.KeyReturn)
	h.waitFor("Mario's file", func() bool {
		return h.c.file.file != nil && h.c.file.file.Citizen.CodiceFiscale == mario.CodiceFiscale
	})
	if n := len(h.w.Canvas().Overlays().List()); n != 0 {
		t.Errorf("the worklist stays open over the file")
	}
	if h.w.Canvas().Focused() != h.c.file.family {
		t.Error("the file did not take the keyboard")
	}

	// The hub flags another one at the next sync: the count follows.
	h.issuer.mu.Lock()
	h.issuer.issued[1].Flag = "nascita rettificata"
	h.issuer.mu.Unlock()
	h.status.publish(app.SyncStatus{Online: true, LastSync: testNow, Progress: -1})
	h.waitFor("the new count", func() bool { return h.shows("Certificati da verificare (2)") })
}

func TestIssueEnglish(t *testing.T) {
	h := newHarness(t, func(d *Deps) { d.Lang = "en" })
	h.issuer.add(t, h.dir.byName("Rossi", "Mario"), certificate.SlugResidenza, testNow, "data changed", false)
	fm := h.openForm("rossi mario")
	h.assertShows("Issue a certificate — ROSSI Mario", "Type of certificate", "Not available for this person",
		"Use", "For use abroad", "Stamp duty (bollo)", "Print to", "Issue and print", "Cancel (Esc)")
	h.assertHides("Tipo di certificato", "Per l'estero", "Annulla", "Stampa su")
	h.chooseType(fm, "Certificato di residenza")
	h.assertShows("Marca da bollo no.", "Exempt", "The 14-digit number printed on the marca")
	h.assertHides("Exempt by law")
	h.w.Canvas().Focus(fm.marca)
	h.typeText("0123456789012")
	h.assertShows("13 of 14 digits")
	h.press(fyne.KeyReturn)
	h.assertShows("Incomplete number of the marca da bollo: 13 of 14 digits")
	h.typeText("3")
	h.press(fyne.KeyReturn)
	h.waitIssued()
	h.assertShows("Certificate No. I690-W001-2025-000002 issued: sent to the printer "+printerDesk+".",
		"Issue certificate (Ctrl+P)", "Reprint", "waiting to be sent", "to check: data changed", "Certificates to check (1)")
}

func TestGoldenIssueForm(t *testing.T) {
	h := newHarness(t)
	fm := h.openForm("rossi mario")
	h.chooseType(fm, "Certificato di residenza")
	h.press(fyne.KeyReturn)
	h.typeText("lavoro")
	h.w.Canvas().Focus(fm.marca)
	h.typeText("0123456789012")
	test.AssertImageMatches(t, "issue_form.png", h.capture())
}
