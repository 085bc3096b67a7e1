package ui

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
)

func TestFile(t *testing.T) {
	t.Run("PersonalDataAndResidence", func(t *testing.T) {
		h := newHarness(t)
		h.login()
		h.openByKeyboard("rossi mario", 1)
		mario := h.dir.byName("Rossi", "Mario")
		h.assertShows("ROSSI Mario", mario.CodiceFiscale,
			"Dati anagrafici aggiornati al 14/05/2025 10:15", // AsOf 08:15 UTC, shown in the counter's zone
			"Dati anagrafici", "Sesso", "maschile", "Nato il", "12/03/1975 a MILANO",
			"Cittadinanza", "ITALIANA", "Stato civile", "Coniugato/a",
			"Posizione anagrafica", "residente", "Iscrizione", "01/06/2001",
			"Residenza", "Via Giuseppe Garibaldi 12/A - 20099", "Sesto San Giovanni")
		h.assertHides("Altro comune:", "Cancellazione")
	})
	t.Run("FamilyWithRelationships", func(t *testing.T) {
		h := newHarness(t)
		h.login()
		h.openByKeyboard("rossi mario", 1)
		anna, luca := h.dir.byName("Bianchi", "Anna"), h.dir.byName("Rossi", "Luca")
		h.assertShows("Famiglia", "Relazione di parentela", "Cognome e nome",
			"Intestatario scheda", "Marito/Moglie", "BIANCHI Anna", anna.CodiceFiscale, "04/07/1978",
			"Figlio/Figlia", "ROSSI Luca", luca.CodiceFiscale)
		fam := h.c.file.family
		if len(fam.rows) != 3 {
			t.Fatalf("family rows = %d, want 3", len(fam.rows))
		}
		for i, row := range fam.rows {
			if want := i == 0; row.item.marked != want {
				t.Errorf("row %d (%s) marked = %v, want only the citizen of the file marked", i, visibleTexts(row.item.content), row.item.marked)
			}
		}
	})
	t.Run("EnterOnAMemberOpensTheirFile", func(t *testing.T) {
		h := newHarness(t)
		h.login()
		h.openByKeyboard("rossi mario", 1)
		if h.w.Canvas().Focused() != h.c.file.family {
			t.Fatal("the opened file did not take the keyboard")
		}
		h.press(fyne.KeyDown) // from Mario to Anna
		h.press(fyne.KeyReturn)
		anna := h.dir.byName("Bianchi", "Anna")
		h.waitFor("Anna's file", func() bool {
			return h.c.file.file != nil && h.c.file.file.Citizen.CodiceFiscale == anna.CodiceFiscale
		})
		h.assertShows("BIANCHI Anna", "femminile", "Nata il", "04/07/1978 a MONZA")
		if h.w.Canvas().Focused() != h.c.file.family {
			t.Error("the keyboard did not follow into the new file's family")
		}
		h.press(fyne.KeyUp) // from Anna to Mario, and back to his file
		h.press(fyne.KeyReturn)
		mario := h.dir.byName("Rossi", "Mario")
		h.waitFor("Mario's file again", func() bool {
			return h.c.file.file != nil && h.c.file.file.Citizen.CodiceFiscale == mario.CodiceFiscale
		})
	})
	t.Run("TapOnAMemberOpensTheirFile", func(t *testing.T) {
		h := newHarness(t)
		h.login()
		h.openByKeyboard("rossi mario", 1)
		h.tap(h.c.file.family.rows[2])
		luca := h.dir.byName("Rossi", "Luca")
		h.waitFor("Luca's file", func() bool {
			return h.c.file.file != nil && h.c.file.file.Citizen.CodiceFiscale == luca.CodiceFiscale
		})
	})
	t.Run("EmptySections", func(t *testing.T) {
		h := newHarness(t)
		h.login()
		h.openByKeyboard("rossi mario", 1)
		h.assertShows("Certificati", "Nessun certificato", "Istanze", "Nessuna istanza", "Pagamenti", "Nessun pagamento")
	})
	t.Run("FilledSections", func(t *testing.T) {
		h := newHarness(t)
		mario := h.dir.byName("Rossi", "Mario")
		h.issuer.add(t, mario, certificate.SlugResidenza, time.Date(2025, 5, 2, 9, 5, 0, 0, time.UTC), "emesso offline: il residente è stato modificato", true)
		open := h.counter.openFile
		h.counter.openFile = func(ctx context.Context, op *app.Operator, code string) (*app.CitizenFile, error) {
			f, err := open(ctx, op, code)
			if err != nil {
				return nil, err
			}
			f.Requests = []app.RequestSummary{{Number: "2025/1234", Service: "Cambio di residenza", Status: "in lavorazione", At: app.Date(2025, 4, 28)}}
			f.Payments = []app.PaymentSummary{{CodiceAvviso: "301000000000001234", Causale: "Diritti di segreteria", AmountCents: 123456, State: "da pagare", DueDate: app.Date(2025, 6, 30)}}
			return f, nil
		}
		h.login()
		h.openByKeyboard("rossi mario", 1)
		h.assertShows("N. I690-W001-2025-000001 — Certificato di residenza — 02/05/2025 11:05",
			"da verificare: emesso offline: il residente è stato modificato",
			"N. 2025/1234 — Cambio di residenza — in lavorazione (28/04/2025)",
			"Diritti di segreteria — € 1.234,56 — da pagare, scadenza 30/06/2025")
		h.assertHides("Nessun certificato", "Nessuna istanza", "Nessun pagamento")
	})
	t.Run("OtherComuneMarked", func(t *testing.T) {
		h := newHarness(t)
		h.login()
		h.openByKeyboard("rosso", 1)
		h.assertShows("ROSSO Paolo", "Altro comune: Cinisello Balsamo (dati dalla rete)",
			"Dati anagrafici aggiornati al 14/05/2025 10:30", "Via Fulvio Testi 200 - 20092")
	})
	t.Run("OpenErrorShowsTheDomainMessage", func(t *testing.T) {
		h := newHarness(t)
		h.login()
		h.search("rosso")
		h.online.Store(false) // the hub went away between the search and the opening
		h.press(fyne.KeyReturn)
		h.waitFor("the message", func() bool { return h.shows("il fascicolo di un altro comune richiede la rete") })
	})
	t.Run("EscReturnsToSearchWithTextKept", func(t *testing.T) {
		h := newHarness(t)
		h.login()
		h.openByKeyboard("rossi", 2)
		h.press(fyne.KeyEscape)
		if h.w.Canvas().Focused() != h.c.search.box {
			t.Fatal("Esc in the file did not return to the search box")
		}
		if got := h.c.search.box.Text; got != "rossi" {
			t.Errorf("search text = %q, want it kept", got)
		}
		h.assertShows("ROSSI Mario", "ROSSI Luca") // the results stay, and the file beside them
	})
	t.Run("EscWithNothingFocused", func(t *testing.T) {
		h := newHarness(t)
		h.login()
		h.openByKeyboard("rossi", 1)
		h.w.Canvas().Unfocus()
		h.press(fyne.KeyEscape)
		if h.w.Canvas().Focused() != h.c.search.box {
			t.Fatal("Esc did not return to the search box")
		}
	})
	t.Run("BackButton", func(t *testing.T) {
		h := newHarness(t)
		h.login()
		h.openByKeyboard("rossi", 1)
		h.tap(h.button("Torna alla ricerca"))
		if h.w.Canvas().Focused() != h.c.search.box {
			t.Fatal("the button did not return to the search box")
		}
	})
}
