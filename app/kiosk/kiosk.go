// Package kiosk is the citizen's self-service at the public kiosk: who may
// identify and how (codice fiscale plus the number of the identity document
// on file, which the kiosk checks offline against its cache and which no
// certificate prints), the limits on wrong attempts, what the comune lets
// its kiosks print, the albo pretorio's notices, and the session that the
// idle timeout wipes. Domain only: the UI is ui/kiosk*.go.
package kiosk

import (
	"context"
	"crypto/subtle"
	"strings"
	"time"
	"unicode"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/cf"
)

// IdleTimeout is how long the kiosk waits without a touch before it goes
// back to the start screen and forgets the citizen.
const IdleTimeout = 60 * time.Second

// Limits on wrong identifications. A codice fiscale with MaxFailures wrong
// documents in a row is locked for Lockout; the kiosk as a whole, after
// MaxKioskFailures wrong attempts (any codice fiscale) within Lockout,
// refuses every identification for Lockout, so that nobody tries the
// documents of many people one after another. Between two attempts at least
// MinInterval passes.
const (
	MaxFailures      = 3
	MaxKioskFailures = 10
	Lockout          = 15 * time.Minute
	MinInterval      = 2 * time.Second
)

// kioskKey is the Attempts key that counts the kiosk's failures.
const kioskKey = "*"

// Attempts keeps the wrong attempts of identification, by codice fiscale
// and for the whole kiosk (key "*"), durably: restarting the kiosk does
// not reset them.
type Attempts interface {
	Failures(ctx context.Context, key string) (n int, last time.Time, err error)
	RecordAttempt(ctx context.Context, key string, ok bool, at time.Time) error
}

// Directory finds a citizen; the workstation's cache implements it, so that
// identification works offline. ENOTFOUND for an unknown code.
type Directory interface {
	Citizen(ctx context.Context, codiceFiscale string) (*app.Citizen, error)
}

// wrong is the one answer to every wrong identification: it does not tell
// whether the codice fiscale or the document was wrong.
func wrong(left int) error {
	if left == 1 {
		return app.Errorf(app.EUNAUTHORIZED, "codice fiscale o numero del documento non corrispondono: ancora un tentativo")
	}
	return app.Errorf(app.EUNAUTHORIZED, "codice fiscale o numero del documento non corrispondono")
}

// Identify checks a codice fiscale and the number of the identity document
// on file for it, and returns the citizen. EUNAUTHORIZED for a wrong pair
// (without saying which part), ELOCKED while the code or the kiosk is
// locked or attempts come too fast, EINVALID for a codice fiscale that is
// not one, EFORBIDDEN for a person the kiosk cannot serve (no document on
// file, not a resident).
func Identify(ctx context.Context, dir Directory, att Attempts, codiceFiscale, document string, now time.Time) (*app.Citizen, error) {
	code := cf.Normalize(codiceFiscale)
	if !cf.Valid(code) {
		return nil, app.Errorf(app.EINVALID, "il codice fiscale %q non è valido: controllarlo sulla tessera sanitaria", strings.TrimSpace(codiceFiscale))
	}
	kn, klast, err := att.Failures(ctx, kioskKey)
	if err != nil {
		return nil, err
	}
	if now.Sub(klast) >= Lockout {
		kn = 0 // the count of an expired lockout starts again
	}
	if kn > 0 && now.Sub(klast) < MinInterval {
		return nil, app.Errorf(app.ELOCKED, "attendere qualche secondo prima di riprovare")
	}
	if kn >= MaxKioskFailures {
		return nil, locked(Lockout - now.Sub(klast))
	}
	n, last, err := att.Failures(ctx, code)
	if err != nil {
		return nil, err
	}
	if now.Sub(last) >= Lockout {
		n = 0
	}
	if n >= MaxFailures {
		return nil, locked(Lockout - now.Sub(last))
	}
	c, err := dir.Citizen(ctx, code)
	if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
		return nil, err
	}
	// Compare even when nobody has the code, so that the time taken does
	// not tell whether the code exists.
	onFile := ""
	if c != nil {
		onFile = c.DocumentNumber
	}
	match := sameDocument(onFile, document) && c != nil && onFile != ""
	if !match {
		for _, key := range []string{code, kioskKey} {
			if err := att.RecordAttempt(ctx, key, false, now); err != nil {
				return nil, err
			}
		}
		if n+1 >= MaxFailures {
			return nil, locked(Lockout)
		}
		return nil, wrong(MaxFailures - n - 1)
	}
	if err := att.RecordAttempt(ctx, code, true, now); err != nil {
		return nil, err
	}
	if c.Status != app.StatusResident {
		return nil, app.Errorf(app.EFORBIDDEN, "il chiosco serve i residenti del comune: rivolgersi allo sportello")
	}
	return c, nil
}

func locked(wait time.Duration) error {
	min := int(wait.Minutes()) + 1
	return app.Errorf(app.ELOCKED, "troppi tentativi errati: identificazione sospesa per %d minuti. Rivolgersi allo sportello", min)
}

// normalDocument is a document number as compared: capitals and digits
// only, so that "ca 12345 ab" matches "CA12345AB".
func normalDocument(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func sameDocument(onFile, typed string) bool {
	a, b := normalDocument(onFile), normalDocument(typed)
	// ConstantTimeCompare returns at once on different lengths: pad both
	// to a fixed length first.
	const width = 32
	if len(a) > width || len(b) > width {
		return false
	}
	pa := []byte(a + strings.Repeat("\x00", width-len(a)))
	pb := []byte(b + strings.Repeat("\x00", width-len(b)))
	return subtle.ConstantTimeCompare(pa, pb) == 1 && len(a) == len(b) && a != ""
}

// Session is what the kiosk holds of the citizen it is serving. Wipe drops
// it all; the kiosk wipes after IdleTimeout without a touch and when the
// citizen ends the session.
type Session struct {
	Citizen *app.Citizen
	File    *app.CitizenFile
	Started time.Time
}

// Wipe clears the session in place, so that no reference to the citizen's
// data stays behind it.
func (s *Session) Wipe() {
	if s == nil {
		return
	}
	if s.Citizen != nil {
		*s.Citizen = app.Citizen{}
	}
	if s.File != nil {
		*s.File = app.CitizenFile{}
	}
	*s = Session{}
}

// Active reports whether the session holds a citizen.
func (s *Session) Active() bool { return s != nil && s.Citizen != nil }
