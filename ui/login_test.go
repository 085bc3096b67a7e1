package ui

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/sportello/sportello/app"
)

func TestLogin(t *testing.T) {
	t.Run("ShowsComuneDeviceAndHint", func(t *testing.T) {
		h := newHarness(t, func(d *Deps) { d.LoginHint = "Rete dimostrativa — operatore: demo   password: demo" })
		h.assertShows("Comune di Sesto San Giovanni", "Postazione ANAG-01", "Accesso alla postazione",
			"Nome utente", "Password", "Accedi", "Rete dimostrativa — operatore: demo password: demo")
		if h.w.Canvas().Focused() != h.c.login.username {
			t.Error("the cursor is not in the username box")
		}
	})
	t.Run("NoHintInProduction", func(t *testing.T) {
		h := newHarness(t)
		h.assertHides("dimostrativa")
	})
	t.Run("OK", func(t *testing.T) {
		h := newHarness(t)
		h.login()
		h.assertShows("Operatore: "+testUserName, "Esci")
		h.assertHides("Accesso alla postazione")
		if h.w.Canvas().Focused() != h.c.search.box {
			t.Error("after login the cursor is not in the search box")
		}
	})
	t.Run("WrongPassword", func(t *testing.T) {
		h := newHarness(t)
		s := h.c.login
		h.w.Canvas().Focus(s.username)
		h.typeText(testUser)
		h.press(fyne.KeyReturn) // Enter in the username goes to the password
		if h.w.Canvas().Focused() != s.password {
			t.Fatal("Enter in the username box did not move to the password")
		}
		h.typeText("sbagliata")
		h.tap(s.submit)
		h.waitFor("the error", func() bool { return h.shows("nome utente o password errati") })
		if s.password.Text != "" {
			t.Error("the wrong password was left in the box")
		}
		if h.c.op != nil {
			t.Error("logged in with a wrong password")
		}
	})
	t.Run("Locked", func(t *testing.T) {
		h := newHarness(t)
		s := h.c.login
		for i := range app.MaxLoginFailures + 1 {
			h.w.Canvas().Focus(s.username)
			s.username.SetText(testUser)
			s.password.SetText(fmt.Sprint("tentativo", i))
			h.tap(s.submit)
			h.waitFor("the attempt to finish", func() bool { return !s.submit.Disabled() })
		}
		h.assertShows("troppi tentativi errati: riprovare tra")
		// the right password does not get in while locked
		s.password.SetText(testPassword)
		h.tap(s.submit)
		h.waitFor("the attempt to finish", func() bool { return !s.submit.Disabled() })
		h.assertShows("troppi tentativi errati")
		if h.c.op != nil {
			t.Error("logged in while locked")
		}
	})
	t.Run("InternalErrorNotShownAsGoError", func(t *testing.T) {
		h := newHarness(t)
		h.counter.login = func(context.Context, string, string) (*app.Operator, error) {
			return nil, fmt.Errorf("read operators: sqlite: %w", io.ErrUnexpectedEOF)
		}
		s := h.c.login
		s.username.SetText(testUser)
		s.password.SetText(testPassword)
		h.tap(s.submit)
		h.waitFor("the error", func() bool { return s.message.Visible() })
		h.assertShows("Errore interno: riprovare o rivolgersi all'assistenza.")
		h.assertHides("sqlite", "unexpected EOF")
	})
}

func TestIdleLockReturnsToLogin(t *testing.T) {
	// Long enough that a loaded machine opens the file before the lock.
	h := newHarness(t, func(d *Deps) { d.IdleLock = 2 * time.Second })
	h.login()
	h.openByKeyboard("rossi mario", 1)
	h.assertShows("ROSSI Mario")
	h.waitFor("the idle lock", func() bool { return h.c.op == nil })
	h.assertShows("Sessione chiusa per inattività", "Accesso alla postazione")
	h.assertHides("ROSSI Mario", "Esci")
	if got := h.c.login.username.Text; got != testUser {
		t.Errorf("username after the lock = %q, want %q kept", got, testUser)
	}
	if h.w.Canvas().Focused() != h.c.login.password {
		t.Error("after the lock the cursor is not in the password box")
	}
}

func TestInputKeepsSessionOpen(t *testing.T) {
	h := newHarness(t, func(d *Deps) { d.IdleLock = 300 * time.Millisecond })
	h.login()
	for range 5 {
		h.settle(100 * time.Millisecond)
		h.press(fyne.KeyEscape) // any input counts
	}
	if h.c.op == nil {
		t.Fatal("locked while the operator was typing")
	}
}

func TestLogout(t *testing.T) {
	h := newHarness(t)
	h.login()
	h.openByKeyboard("rossi", 1)
	h.tap(h.button("Esci"))
	h.assertShows("Accesso alla postazione")
	h.assertHides("ROSSI", "Sessione chiusa")
}

// TestLoginAttribution: the sign-in screen credits ANPR's tables, as their
// CC BY 4.0 licence asks, in the operator's language.
func TestLoginAttribution(t *testing.T) {
	for _, tc := range []struct{ lang, want string }{
		{"it", "ANPR, Ministero dell'Interno — licenza CC BY 4.0 — github.com/italia/anpr"},
		{"en", "ANPR, Ministero dell'Interno — CC BY 4.0 licence — github.com/italia/anpr"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			h := newHarness(t, func(d *Deps) { d.Lang = tc.lang })
			h.assertShows(tc.want)
		})
	}
}
