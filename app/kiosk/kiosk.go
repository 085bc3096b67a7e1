// Package kiosk is the citizen's self-service at the public kiosk: who may
// identify and how (codice fiscale plus the number of the identity document
// on file, which the kiosk checks offline against its cache and which no
// certificate prints), the limits on wrong attempts, what the comune lets
// its kiosks print, the albo pretorio's notices, and the session that the
// idle timeout wipes. Domain only: the UI is ui/kiosk*.go.
package kiosk

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/cf"
)

// IdleTimeout is how long the kiosk waits without a touch before it goes
// back to the start screen and forgets the citizen.
const IdleTimeout = 60 * time.Second

// Limits on wrong identifications. They are of two kinds, so that one
// person cannot turn them against everyone else:
//   - per identity: a codice fiscale with MaxFailures wrong documents in a
//     row is locked for Lockout, for whoever types it (the supervisor is
//     alerted: AuditLockout);
//   - for the whole kiosk, a slow-down and never a lock: after n wrong
//     attempts (any codice fiscale) the next identification, anyone's,
//     waits Delay(n) from the last wrong one: MinInterval doubled for every
//     failure, capped at MaxDelay. Someone trying the documents of many
//     people gets one try a minute; the next citizen waits at most a
//     minute. The count starts again after Lockout without failures. The
//     supervisor is alerted when the slow-down reaches its cap.
const (
	MaxFailures = 3
	Lockout     = 15 * time.Minute
	MinInterval = 2 * time.Second
	MaxDelay    = time.Minute
)

// AuditLockout is the audit action that alerts the supervisor: a codice
// fiscale locked at the kiosk (the subject), or the kiosk slowed down to
// MaxDelay by wrong attempts across identities (subject AlertSubjectKiosk).
// It travels to the hub through the outbox like every audit event.
const AuditLockout = "kiosk.lockout"

// AlertSubjectKiosk is the subject of the alert about the whole kiosk.
const AlertSubjectKiosk = "chiosco"

// KindAlert is the hub's record of a kiosk's lockout, published to its
// comune's counters when the hub receives the AuditLockout event, so that
// a supervisor sees it (not to kiosks or boards).
const KindAlert = "kiosk_alert"

// Alert is a kiosk's lockout as its comune's counters receive it: which
// kiosk, and when it locked. What was typed stays in the audit records.
type Alert struct {
	Device, DeviceName string
	At                 time.Time
}

type alertJSON struct {
	Device     string `json:"device"`
	DeviceName string `json:"device_name"`
	At         string `json:"at"`
}

// EncodeAlert is the JSON of an alert record.
func EncodeAlert(a Alert) []byte {
	b, _ := json.Marshal(alertJSON{Device: a.Device, DeviceName: a.DeviceName, At: a.At.UTC().Format(time.RFC3339)})
	return b
}

// DecodeAlert reads an alert record.
func DecodeAlert(b []byte) (Alert, error) {
	var j alertJSON
	if err := app.DecodeJSON(b, &j); err != nil {
		return Alert{}, fmt.Errorf("decode kiosk alert: %w", err)
	}
	at, err := time.Parse(time.RFC3339, j.At)
	if err != nil || j.Device == "" {
		return Alert{}, fmt.Errorf("decode kiosk alert: device %q, time %q", j.Device, j.At)
	}
	return Alert{Device: j.Device, DeviceName: j.DeviceName, At: at}, nil
}

// Delay is how long the kiosk makes everyone wait after n wrong attempts
// (n >= 1) before the next one: MinInterval, doubled at every further
// failure, at most MaxDelay.
func Delay(n int) time.Duration {
	d := MinInterval
	for i := 1; i < n && d < MaxDelay; i++ {
		d *= 2
	}
	return min(d, MaxDelay)
}

// kioskKey is the Attempts key that counts the kiosk's failures.
const kioskKey = "*"

// Attempts keeps the wrong attempts of identification, by codice fiscale
// and for the whole kiosk (key "*"), durably: restarting the kiosk does
// not reset them. Its times are the kiosk's Clock, not the wall clock.
type Attempts interface {
	Failures(ctx context.Context, key string) (n int, last time.Time, err error)
	RecordAttempt(ctx context.Context, key string, ok bool, at time.Time) error
}

// Clock is the time the limits on wrong attempts are measured on. It is
// not the wall clock: anyone who can move the wall clock (a forged NTP
// answer on the LAN, a settings screen left reachable) would otherwise
// end every lockout at once by winding it forward. Of the two ways to get
// a clock nobody winds, a persisted "not before" moved only forward still
// needs a trusted "now" to compare with; the clock here needs none: it is
// the monotonic time elapsed since the process started (time.Since on a
// reference taken at start, which the Go runtime measures on the
// system's monotonic clock, immune to wall-clock changes), added to where
// the kiosk's clock stood when the process started: the time of the last
// attempt recorded (Cache.LastAttempt). A restart thus resumes the clock
// where the attempts left it, and time while the kiosk is off does not
// count: a lockout lasts at least its length of running time, never less.
// With no attempt recorded nothing is locked, and the clock starts from
// the wall clock's reading, so that the stored times read as dates.
type Clock struct {
	base  time.Time
	start time.Time
	since func(time.Time) time.Duration
}

// NewClock starts the kiosk's clock at last, the time of the latest
// attempt recorded, or at the wall clock's time when there is none.
func NewClock(last time.Time) *Clock {
	c := &Clock{base: last, start: time.Now(), since: time.Since}
	if last.IsZero() {
		c.base = c.start.Round(0) // the wall reading only: base is a point on the kiosk's clock
	}
	return c
}

// NewClockAt is a Clock that starts at base and advances as elapsed says,
// for tests that move the monotonic time by hand.
func NewClockAt(base time.Time, elapsed func() time.Duration) *Clock {
	return &Clock{base: base, since: func(time.Time) time.Duration { return elapsed() }}
}

// Now is the kiosk's clock: where it started plus the monotonic time
// elapsed since.
func (c *Clock) Now() time.Time { return c.base.Add(c.since(c.start)) }

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
// on file for it, and returns the citizen. now is the kiosk's Clock.
// EUNAUTHORIZED for a wrong pair (without saying which part), ELOCKED while
// the code is locked or the kiosk's slow-down asks to wait, EINVALID for a
// codice fiscale that is not one, EFORBIDDEN for a person the kiosk cannot
// serve (no document on file, not a resident).
func Identify(ctx context.Context, dir Directory, att Attempts, codiceFiscale, document string, now time.Time) (*app.Citizen, error) {
	c, _, err := identify(ctx, dir, att, codiceFiscale, document, now)
	return c, err
}

// identify is Identify, and also returns the alerts for the supervisor
// this attempt raised: the subjects of AuditLockout events.
func identify(ctx context.Context, dir Directory, att Attempts, codiceFiscale, document string, now time.Time) (*app.Citizen, []string, error) {
	code := cf.Normalize(codiceFiscale)
	if !cf.Valid(code) {
		return nil, nil, app.Errorf(app.EINVALID, "il codice fiscale %q non è valido: controllarlo sulla tessera sanitaria", strings.TrimSpace(codiceFiscale))
	}
	n, last, err := att.Failures(ctx, code)
	if err != nil {
		return nil, nil, err
	}
	if now.Sub(last) >= Lockout {
		n = 0 // the count of an expired lockout starts again
	}
	if n >= MaxFailures {
		return nil, nil, locked(Lockout - now.Sub(last))
	}
	kn, klast, err := att.Failures(ctx, kioskKey)
	if err != nil {
		return nil, nil, err
	}
	if now.Sub(klast) >= Lockout {
		kn = 0
	}
	if kn > 0 {
		if wait := Delay(kn) - now.Sub(klast); wait > 0 {
			return nil, nil, slowDown(wait)
		}
	}
	c, err := dir.Citizen(ctx, code)
	if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
		return nil, nil, err
	}
	// Compare even when nobody has the code, so that the time taken does
	// not tell whether the code exists.
	onFile := ""
	if c != nil {
		onFile = c.DocumentNumber
	}
	match := sameDocument(code, onFile, document) && c != nil && onFile != ""
	if !match {
		for _, key := range []string{code, kioskKey} {
			if err := att.RecordAttempt(ctx, key, false, now); err != nil {
				return nil, nil, err
			}
		}
		var alerts []string
		if Delay(kn+1) == MaxDelay && (kn == 0 || Delay(kn) < MaxDelay) {
			alerts = append(alerts, AlertSubjectKiosk)
		}
		if n+1 >= MaxFailures {
			return nil, append(alerts, code), locked(Lockout)
		}
		return nil, alerts, wrong(MaxFailures - n - 1)
	}
	if err := att.RecordAttempt(ctx, code, true, now); err != nil {
		return nil, nil, err
	}
	if c.Status != app.StatusResident {
		return nil, nil, app.Errorf(app.EFORBIDDEN, "il chiosco serve i residenti del comune: rivolgersi allo sportello")
	}
	return c, nil, nil
}

// slowDown is the answer while the kiosk's slow-down asks to wait.
func slowDown(wait time.Duration) error {
	if wait <= 10*time.Second {
		return app.Errorf(app.ELOCKED, "attendere qualche secondo prima di riprovare")
	}
	return app.Errorf(app.ELOCKED, "troppi tentativi errati a questo chiosco: attendere %d secondi prima di riprovare", int((wait+time.Second-1)/time.Second))
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

// DocumentCheckPrefix marks a document number held as its check, not in
// clear: what a kiosk holds.
const DocumentCheckPrefix = "h24:"

// DocumentCheck is what a kiosk holds of a citizen's identity document
// instead of its number: 24 bits of HMAC-SHA256 keyed by the citizen's
// codice fiscale. The kiosk checks a typed number against it offline;
// a wrong number passes once in 16 million tries, and the kiosk allows 3
// per code every 15 minutes. A disk taken from a kiosk yields no number:
// every check matches thousands of the possible numbers (some 7·10⁹ paper
// identity cards, 4·10¹⁰ CIE), and the code as key makes each citizen's
// search its own.
func DocumentCheck(codiceFiscale, number string) string {
	n := normalDocument(number)
	if n == "" {
		return ""
	}
	m := hmac.New(sha256.New, []byte("sportello-documento|"+cf.Normalize(codiceFiscale)))
	m.Write([]byte(n))
	return DocumentCheckPrefix + hex.EncodeToString(m.Sum(nil)[:3])
}

// sameDocument compares a typed number with the one on file for code, in
// clear (a counter's cache) or as its check (a kiosk's).
func sameDocument(code, onFile, typed string) bool {
	if strings.HasPrefix(onFile, DocumentCheckPrefix) {
		return subtle.ConstantTimeCompare([]byte(onFile), []byte(DocumentCheck(code, typed))) == 1
	}
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
