package ui

import (
	"context"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/sportello/sportello/app"
)

func TestSearch(t *testing.T) {
	t.Run("LocalThenRemoteWithComune", func(t *testing.T) {
		h := newHarness(t)
		h.login()
		h.search("ross")
		want := []string{"ROSSI Giuseppe", "ROSSI Luca", "ROSSI Mario", "ROSSINI Giulia", "ROSSO Paolo"}
		if got := h.resultNames(); !slices.Equal(got, want) {
			t.Errorf("results = %q, want %q (local first, then the other comuni)", got, want)
		}
		mario := h.dir.byName("Rossi", "Mario")
		h.assertShows("In questo comune", "Altri comuni della rete",
			mario.CodiceFiscale, "nato/a il 12/03/1975",
			"Cinisello Balsamo — altro comune", "deceduto", "emigrato")
		h.assertHides("La ricerca negli altri comuni richiede la rete")
	})
	t.Run("Offline", func(t *testing.T) {
		h := newHarness(t)
		h.online.Store(false)
		h.login()
		h.search("ross")
		if got := h.resultNames(); len(got) != 4 || slices.Contains(got, "ROSSO Paolo") {
			t.Errorf("offline results = %q, want the 4 local citizens only", got)
		}
		h.assertShows("ROSSI Mario", "Altri comuni della rete", "La ricerca negli altri comuni richiede la rete")
		h.assertHides("altro comune", "centro servizi non raggiungibile")
	})
	t.Run("OtherNetworkErrorShowsItsMessage", func(t *testing.T) {
		h := newHarness(t)
		h.login()
		search := h.counter.search
		h.counter.search = func(ctx context.Context, op *app.Operator, text string) (app.SearchResults, error) {
			res, err := search(ctx, op, text)
			res.Remote, res.NetworkErr = nil, app.Errorf(app.EFORBIDDEN, "postazione non abilitata alla ricerca in rete")
			return res, err
		}
		h.search("ross")
		h.assertShows("ROSSI Mario", "postazione non abilitata alla ricerca in rete")
	})
	t.Run("NothingFound", func(t *testing.T) {
		h := newHarness(t)
		h.login()
		h.w.Canvas().Focus(h.c.search.box)
		h.typeText("zzz")
		h.waitFor("the answer", func() bool { return h.shows("Nessun cittadino trovato in questo comune") })
	})
	t.Run("InvalidText", func(t *testing.T) {
		h := newHarness(t)
		h.login()
		h.w.Canvas().Focus(h.c.search.box)
		h.typeText("?!")
		h.waitFor("the domain's message", func() bool { return h.shows("scrivere un codice fiscale o cognome e nome") })
	})
	t.Run("ClearingShowsTheHint", func(t *testing.T) {
		h := newHarness(t)
		h.login()
		h.search("ross")
		h.c.search.box.SetText("")
		h.assertShows("Scrivere il codice fiscale oppure cognome e nome")
		h.assertHides("ROSSI Mario")
	})
}

func TestSearchDebouncesAndDropsStaleResults(t *testing.T) {
	h := newHarness(t)
	h.login()
	search := h.counter.search
	var calls atomic.Int32
	slow := make(chan struct{})
	started := make(chan struct{}, 1)
	h.counter.search = func(ctx context.Context, op *app.Operator, text string) (app.SearchResults, error) {
		calls.Add(1)
		if text == "ro" {
			started <- struct{}{}
			<-slow // a slow hub that ignores the cancellation
			ctx = context.Background()
		}
		return search(ctx, op, text)
	}
	h.w.Canvas().Focus(h.c.search.box)
	h.typeText("ro") // typed quickly: one search, not two
	h.waitFor("the search of ro to start", func() bool {
		select {
		case <-started:
			return true
		default:
			return false
		}
	})
	if n := calls.Load(); n != 1 {
		t.Errorf("typing two letters ran %d searches, want 1", n)
	}
	h.typeText("ssi m")
	h.waitFor("the results of rossi m", func() bool { return h.shows("ROSSI Mario") })
	close(slow) // the answer for "ro" arrives late…
	h.settle(300 * time.Millisecond)
	if got := h.resultNames(); !slices.Equal(got, []string{"ROSSI Mario"}) { // …and is dropped
		t.Errorf("results = %q, want only those of the latest text", got)
	}
}

func TestSearchKeyboard(t *testing.T) {
	t.Run("CtrlFFocusesTheBox", func(t *testing.T) {
		h := newHarness(t)
		h.login()
		h.search("ross")
		h.press(fyne.KeyDown)
		if h.w.Canvas().Focused() != h.c.search.list {
			t.Fatal("Down did not move into the list")
		}
		h.shortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault})
		if h.w.Canvas().Focused() != h.c.search.box {
			t.Error("Ctrl+F from the list did not focus the search box")
		}
		h.w.Canvas().Unfocus()
		h.shortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault})
		if h.w.Canvas().Focused() != h.c.search.box {
			t.Error("Ctrl+F with nothing focused did not focus the search box")
		}
		h.shortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault})
		if got := h.c.search.box.SelectedText(); got != "ross" {
			t.Errorf("Ctrl+F in the box selected %q, want the whole text to type over", got)
		}
	})
	t.Run("DownDownEnterOpensTheSecond", func(t *testing.T) {
		h := newHarness(t)
		h.login()
		h.openByKeyboard("ross", 2)
		luca := h.dir.byName("Rossi", "Luca")
		if got := h.c.file.file.Citizen.CodiceFiscale; got != luca.CodiceFiscale {
			t.Errorf("opened %s, want ROSSI Luca %s", got, luca.CodiceFiscale)
		}
		h.assertShows("Nato il", "20/11/2005 a SESTO SAN GIOVANNI")
	})
	t.Run("UpFromTheTopReturnsToTheBox", func(t *testing.T) {
		h := newHarness(t)
		h.login()
		h.search("ross")
		h.press(fyne.KeyDown)
		h.press(fyne.KeyDown)
		h.press(fyne.KeyUp)
		h.press(fyne.KeyUp)
		if h.w.Canvas().Focused() != h.c.search.box {
			t.Error("Up from the first result did not return to the box")
		}
	})
	t.Run("DownSkipsTheSectionHeader", func(t *testing.T) {
		h := newHarness(t)
		h.login()
		h.openByKeyboard("ross", 5)
		if !h.c.file.file.Remote {
			t.Errorf("the fifth result opened %s, want ROSSO Paolo of the other comune", h.c.file.file.Citizen.Surname)
		}
	})
	t.Run("TypingInTheListGoesToTheBox", func(t *testing.T) {
		h := newHarness(t)
		h.login()
		h.search("ross")
		h.press(fyne.KeyDown)
		h.typeText("i m")
		if got := h.c.search.box.Text; got != "rossi m" {
			t.Errorf("box = %q, want the typing appended", got)
		}
		h.waitFor("the new results", func() bool { return slices.Equal(h.resultNames(), []string{"ROSSI Mario"}) })
	})
	t.Run("EnterBeforeResultsOpensTheFirst", func(t *testing.T) {
		h := newHarness(t)
		h.login()
		mario := h.dir.byName("Rossi", "Mario")
		h.w.Canvas().Focus(h.c.search.box)
		h.typeText(mario.CodiceFiscale)
		h.press(fyne.KeyReturn) // before the debounce has run the search
		h.waitFor("the file", func() bool { return h.c.file.file != nil })
		if got := h.c.file.file.Citizen.CodiceFiscale; got != mario.CodiceFiscale {
			t.Errorf("opened %s, want %s", got, mario.CodiceFiscale)
		}
	})
	t.Run("TapOpens", func(t *testing.T) {
		h := newHarness(t)
		h.login()
		h.search("rossini")
		h.tap(h.c.search.list.rows[1])
		h.waitFor("the file", func() bool { return h.c.file.file != nil })
		h.assertShows("ROSSINI Giulia", "Cancellazione", "03/04/2019 — emigrazione a Bergamo")
	})
}
