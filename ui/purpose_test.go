package ui

import (
	"context"
	"slices"
	"testing"

	"github.com/sportello/sportello/app"
)

// purposeRule makes the fake counter answer as app.CounterService does
// for another comune's citizen: an exact key that finds nobody here, and a
// file that is not here, want the operator's purpose first
// (app.ErrPurposeNeeded).
func purposeRule(h *harness) {
	search, open := h.counter.search, h.counter.openFile
	h.counter.search = func(ctx context.Context, op *app.Operator, text string) (app.SearchResults, error) {
		res, err := search(ctx, op, text)
		if err == nil && len(res.Local) == 0 && app.ExactKey(text) && len(h.counter.purposes) == 0 {
			res.Remote, res.NetworkErr = nil, app.ErrPurposeNeeded
		}
		return res, err
	}
	h.counter.openFile = func(ctx context.Context, op *app.Operator, code string) (*app.CitizenFile, error) {
		f, err := open(ctx, op, code)
		if err == nil && f.Remote && len(h.counter.purposes) == 0 {
			return nil, app.ErrPurposeNeeded
		}
		return f, err
	}
}

// purposeHarness is a logged-in counter whose fake answers with
// purposeRule.
func purposeHarness(t *testing.T, edit ...func(*Deps)) *harness {
	h := newHarness(t, edit...)
	purposeRule(h)
	h.login()
	return h
}

// askedFor searches another comune's citizen and waits for the purpose
// form, which it returns.
func (h *harness) askedFor(surname, given string) *purposeForm {
	h.t.Helper()
	h.search(h.dir.byName(surname, given).CodiceFiscale)
	h.waitFor("the purpose form", func() bool { return h.c.purpose != nil })
	return h.c.purpose
}

// TestPurposeAsked: the counter asks why before it reads another comune's
// citizen, once, in the counter's words; never for its own comune's.
func TestPurposeAsked(t *testing.T) {
	t.Run("OtherComuneAsksThenFinds", func(t *testing.T) {
		h := purposeHarness(t)
		fm := h.askedFor("Rosso", "Paolo")
		h.assertShows("Cittadino di un altro comune", "Rilascio di un certificato", "Presentazione di un'istanza", "Riscossione di un pagamento",
			"Verifica dell'identità", "Altro", "Per cercare negli altri comuni indichi il motivo della consultazione.")
		if !h.button("Conferma").Disabled() {
			t.Error("Conferma enabled before a choice")
		}
		fm.choice.SetSelected("Verifica dell'identità")
		h.tap(h.button("Conferma"))
		if !slices.Equal(h.counter.purposes, []string{app.PurposeIdentity}) {
			t.Fatalf("purposes set = %q, want the identity check", h.counter.purposes)
		}
		h.waitFor("the other comune's citizen", func() bool { return slices.Contains(h.resultNames(), "ROSSO Paolo") })
		h.assertHides("Cittadino di un altro comune")
	})
	t.Run("OwnComuneAsksNothing", func(t *testing.T) {
		h := purposeHarness(t)
		mario := h.dir.byName("Rossi", "Mario")
		h.search(mario.CodiceFiscale)
		h.openByKeyboard(mario.CodiceFiscale, 1)
		if h.c.purpose != nil || len(h.counter.purposes) != 0 {
			t.Errorf("purpose asked for a citizen of the comune: form %v, purposes %q", h.c.purpose != nil, h.counter.purposes)
		}
		h.assertHides("Cittadino di un altro comune")
	})
	t.Run("OtherNeedsItsText", func(t *testing.T) {
		h := purposeHarness(t)
		fm := h.askedFor("Rosso", "Paolo")
		fm.choice.SetSelected("Altro")
		if !h.button("Conferma").Disabled() || fm.other.Disabled() {
			t.Fatal("Altro without a text: Conferma enabled or the text field disabled")
		}
		fm.other.SetText("accertamento tributario")
		h.tap(h.button("Conferma"))
		if !slices.Equal(h.counter.purposes, []string{"altro: accertamento tributario"}) {
			t.Errorf("purposes set = %q", h.counter.purposes)
		}
	})
	t.Run("FileOfAnotherComuneAsks", func(t *testing.T) {
		h := purposeHarness(t)
		h.c.openFile(h.dir.byName("Rosso", "Paolo").CodiceFiscale)
		h.waitFor("the purpose form", func() bool { return h.c.purpose != nil })
		h.tap(h.button("Annulla"))
		if h.c.purpose != nil || len(h.counter.purposes) != 0 {
			t.Fatal("cancel left the form or set a purpose")
		}
		h.assertShows("Per cercare negli altri comuni indichi il motivo della consultazione.")
	})
	t.Run("English", func(t *testing.T) {
		h := purposeHarness(t, func(d *Deps) { d.Lang = "en" })
		h.askedFor("Rosso", "Paolo")
		h.assertShows("Citizen of another comune", "Issuing a certificate", "Identity check", "Other")
	})
}
