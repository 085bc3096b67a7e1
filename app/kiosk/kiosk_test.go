package kiosk_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/cf"
	"github.com/sportello/sportello/app/kiosk"
)

type attempts map[string]struct {
	n    int
	last time.Time
}

func (a attempts) Failures(_ context.Context, key string) (int, time.Time, error) {
	return a[key].n, a[key].last, nil
}

func (a attempts) RecordAttempt(_ context.Context, key string, ok bool, at time.Time) error {
	if ok {
		delete(a, key)
		return nil
	}
	v := a[key]
	if at.Sub(v.last) >= kiosk.Lockout {
		v.n = 0
	}
	v.n++
	v.last = at
	a[key] = v
	return nil
}

type dir map[string]app.Citizen

func (d dir) Citizen(_ context.Context, code string) (*app.Citizen, error) {
	c, ok := d[code]
	if !ok {
		return nil, app.Errorf(app.ENOTFOUND, "sconosciuto")
	}
	return &c, nil
}

func TestIdentify(t *testing.T) {
	ctx := context.Background()
	code, _ := cf.Compute(cf.Person{Surname: "Cantù", Name: "Giulia", Sex: "F", BirthDate: app.Date(1995, 1, 31), BirthPlaceCode: "C933"})
	other, _ := cf.Compute(cf.Person{Surname: "Rossi", Name: "Mario", Sex: "M", BirthDate: app.Date(1985, 12, 10), BirthPlaceCode: "F205"})
	d := dir{
		code:  {CodiceFiscale: code, Surname: "CANTÙ", Status: app.StatusResident, DocumentNumber: "CA12345AB"},
		other: {CodiceFiscale: other, Surname: "ROSSI", Status: app.StatusEmigrated, DocumentNumber: "AX0000001"},
	}
	now := time.Date(2026, 5, 12, 9, 0, 0, 0, time.UTC)
	step := func() time.Time { now = now.Add(10 * time.Second); return now } // beyond Delay(3)

	t.Run("RightPairAnyCase", func(t *testing.T) {
		c, err := kiosk.Identify(ctx, d, attempts{}, " "+lower(code), "ca 12345 ab", step())
		if err != nil || c.CodiceFiscale != code {
			t.Fatalf("%v %v", c, err)
		}
	})
	t.Run("ErrInvalidCode", func(t *testing.T) {
		if _, err := kiosk.Identify(ctx, d, attempts{}, "RSSMRA85T10F205X", "x", step()); app.ErrorCode(err) != app.EINVALID {
			t.Fatal(err)
		}
	})
	t.Run("NotResident", func(t *testing.T) {
		if _, err := kiosk.Identify(ctx, d, attempts{}, other, "AX0000001", step()); app.ErrorCode(err) != app.EFORBIDDEN {
			t.Fatal(err)
		}
	})
	t.Run("LockoutAfterThreeWrong", func(t *testing.T) {
		a := attempts{}
		for i := range kiosk.MaxFailures {
			_, err := kiosk.Identify(ctx, d, a, code, "CA00000XX", step())
			want := app.EUNAUTHORIZED
			if i == kiosk.MaxFailures-1 {
				want = app.ELOCKED
			}
			if app.ErrorCode(err) != want {
				t.Fatalf("attempt %d: %v", i+1, err)
			}
		}
		// Now even the right document is refused until the lockout ends.
		if _, err := kiosk.Identify(ctx, d, a, code, "CA12345AB", step()); app.ErrorCode(err) != app.ELOCKED {
			t.Fatalf("locked: %v", err)
		}
		now = now.Add(kiosk.Lockout)
		if _, err := kiosk.Identify(ctx, d, a, code, "CA12345AB", step()); err != nil {
			t.Fatalf("after the lockout: %v", err)
		}
	})
	t.Run("TooFast", func(t *testing.T) {
		a := attempts{}
		kiosk.Identify(ctx, d, a, code, "wrong", step())
		if _, err := kiosk.Identify(ctx, d, a, code, "CA12345AB", now.Add(time.Second)); app.ErrorCode(err) != app.ELOCKED {
			t.Fatalf("second attempt within a second: %v", err)
		}
	})
	t.Run("OneIdentityDoesNotLockAnother", func(t *testing.T) {
		a := attempts{}
		for range kiosk.MaxFailures {
			kiosk.Identify(ctx, d, a, other, "XX0000000", now.Add(time.Minute))
			now = now.Add(time.Minute)
		}
		if _, err := kiosk.Identify(ctx, d, a, other, "AX0000001", now.Add(time.Minute)); app.ErrorCode(err) != app.ELOCKED {
			t.Fatalf("the code tried must be locked: %v", err)
		}
		now = now.Add(time.Minute)
		if c, err := kiosk.Identify(ctx, d, a, code, "CA12345AB", now.Add(kiosk.MaxDelay)); err != nil || c.CodiceFiscale != code {
			t.Fatalf("another person after the slow-down: %v %v", c, err)
		}
	})
	t.Run("SlowDownAcrossCodesNeverLocks", func(t *testing.T) {
		// Someone types unknown but valid codes, one after another, as fast
		// as the kiosk lets them: every wait is Delay, never longer.
		a := attempts{}
		for i := range 30 {
			c, _ := cf.Compute(cf.Person{Surname: "Verdi", Name: "Anna", Sex: "F", BirthDate: app.Date(1960+i, 3, 1), BirthPlaceCode: "F205"})
			if i > 0 {
				wait := kiosk.Delay(i)
				if _, err := kiosk.Identify(ctx, d, a, c, "X", now.Add(wait-time.Second)); app.ErrorCode(err) != app.ELOCKED {
					t.Fatalf("attempt %d a second before %s: %v", i+1, wait, err)
				}
				now = now.Add(wait)
			}
			if _, err := kiosk.Identify(ctx, d, a, c, "X", now); app.ErrorCode(err) != app.EUNAUTHORIZED {
				t.Fatalf("attempt %d: %v", i+1, err)
			}
		}
		// The next citizen waits at most MaxDelay, then is served.
		if _, err := kiosk.Identify(ctx, d, a, code, "CA12345AB", now.Add(kiosk.MaxDelay-time.Second)); app.ErrorCode(err) != app.ELOCKED {
			t.Fatalf("within the slow-down: %v", err)
		}
		if c, err := kiosk.Identify(ctx, d, a, code, "CA12345AB", now.Add(kiosk.MaxDelay)); err != nil || c.CodiceFiscale != code {
			t.Fatalf("after MaxDelay: %v %v", c, err)
		}
	})
}

func TestDelay(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want time.Duration
	}{
		{1, kiosk.MinInterval}, {2, 2 * kiosk.MinInterval}, {3, 4 * kiosk.MinInterval}, {5, 16 * kiosk.MinInterval},
		{6, kiosk.MaxDelay}, {7, kiosk.MaxDelay}, {1000, kiosk.MaxDelay},
	} {
		t.Run(fmt.Sprint(tc.n), func(t *testing.T) {
			if got := kiosk.Delay(tc.n); got != tc.want {
				t.Errorf("Delay(%d) = %s, want %s", tc.n, got, tc.want)
			}
		})
	}
}

// TestClock: the kiosk's clock advances with the monotonic time given to
// it, whatever the wall clock does, and resumes from the last attempt.
func TestClock(t *testing.T) {
	last := time.Date(2026, 5, 12, 9, 0, 0, 0, time.UTC)
	var elapsed time.Duration
	c := kiosk.NewClockAt(last, func() time.Duration { return elapsed })
	if got := c.Now(); !got.Equal(last) {
		t.Errorf("at start %v, want %v", got, last)
	}
	elapsed = 90 * time.Second
	if got := c.Now(); !got.Equal(last.Add(90 * time.Second)) {
		t.Errorf("after 90 s %v", got)
	}
	resumed := kiosk.NewClock(last)
	if got := resumed.Now(); got.Before(last) || got.Sub(last) > time.Minute {
		t.Errorf("a real clock resumed at %v reads %v", last, got)
	}
	if got := kiosk.NewClock(time.Time{}).Now(); time.Since(got) > time.Minute || time.Since(got) < -time.Minute {
		t.Errorf("a first clock reads %v, want about the wall clock", got)
	}
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

func TestSessionWipe(t *testing.T) {
	c := &app.Citizen{CodiceFiscale: "X", Surname: "CANTÙ", DocumentNumber: "CA12345AB"}
	f := &app.CitizenFile{Citizen: *c}
	s := &kiosk.Session{Citizen: c, File: f, Started: time.Now()}
	s.Wipe()
	if s.Active() || c.Surname != "" || c.DocumentNumber != "" || f.Citizen.Surname != "" {
		t.Fatalf("left behind: %+v %+v %+v", s, c, f)
	}
}

func TestPolicy(t *testing.T) {
	p := kiosk.DefaultPolicy
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	r, err := p.Request("residenza", 0)
	if err != nil || r.ExemptionID != 9 || r.Use != "pensione estera" || r.Marca != "" {
		t.Fatalf("%+v %v", r, err)
	}
	// Birth and citizenship are anagrafe certificates in bollo (ANPR): the
	// kiosk, which takes no marca, prints them only for an exempt use.
	for _, slug := range []string{"nascita", "cittadinanza"} {
		if r, err := p.Request(slug, 0); err != nil || r.ExemptionID != 9 || r.Use != "pensione estera" || r.Type != slug {
			t.Fatalf("%s for an exempt use: %+v %v", slug, r, err)
		}
		if _, err := p.Request(slug, -1); app.ErrorCode(err) != app.EINVALID {
			t.Fatalf("%s without a use: %v", slug, err)
		}
	}
	// No certificate of the default policy leaves the kiosk without a
	// declared exemption.
	for _, a := range p.Certificates {
		for i := range a.Uses {
			if r, err := p.Request(a.Type, i); err != nil || r.ExemptionID == 0 || r.Marca != "" {
				t.Errorf("%s use %d: %+v %v", a.Type, i, r, err)
			}
		}
	}
	// A policy published before (nascita with no use, as a stato civile
	// certificate) is refused: the kiosk would print it without bollo.
	old := kiosk.Policy{Certificates: []kiosk.Allowed{{Type: "nascita"}}}
	if err := old.Validate(); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("nascita without exempt uses: %v", err)
	}
	if _, err := p.Request("stato-libero", 0); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Fatalf("not allowed: %v", err)
	}
	bad := kiosk.Policy{Certificates: []kiosk.Allowed{{Type: "residenza"}}}
	if err := bad.Validate(); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("a bollo type without exempt uses: %v", err)
	}
	// A policy the hub sent naming a type this workstation does not know
	// is refused as invalid data (found by FuzzKioskRecords).
	unknown := kiosk.Policy{Certificates: []kiosk.Allowed{{Type: ""}}}
	if err := unknown.Validate(); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("an unknown type: %v", err)
	}
}

// TestDocumentCheck: the check a kiosk holds instead of a document number
// reads the number as the kiosk compares it, belongs to one citizen, and
// keeps 24 bits: nothing of the number in clear.
func TestDocumentCheck(t *testing.T) {
	const a, b = "RSSMRA85T10A562S", "BNCLCU70C04F205X"
	c := kiosk.DocumentCheck(a, "CA12345AB")
	if c != kiosk.DocumentCheck(strings.ToLower(a), "ca 12345 ab") {
		t.Error("the check depends on how the number is typed")
	}
	if c == kiosk.DocumentCheck(b, "CA12345AB") || c == kiosk.DocumentCheck(a, "CA12345AC") {
		t.Error("the same check for another citizen or another number")
	}
	if !strings.HasPrefix(c, kiosk.DocumentCheckPrefix) || len(c) != len(kiosk.DocumentCheckPrefix)+6 || strings.Contains(c, "12345") {
		t.Errorf("check %q", c)
	}
	if kiosk.DocumentCheck(a, " - ") != "" {
		t.Error("a check of no number")
	}
}
