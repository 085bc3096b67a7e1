package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/kiosk"
	"github.com/sportello/sportello/passwd"
	"github.com/sportello/sportello/store"
)

// TestKioskLockout runs the kiosk's identification on the real cache: one
// person's wrong tries lock the identity tried and not another person's;
// winding the wall clock forward, or restarting the kiosk on a wall clock
// months ahead, does not end a lockout; the lockout reaches the supervisor
// as an audit event in the outbox.
func TestKioskLockout(t *testing.T) {
	ctx := context.Background()
	s := mustOpenWithFixtures(t)
	if err := s.SaveProfile(ctx, benchProfile(t)); err != nil {
		t.Fatal(err)
	}
	if err := s.ApplyChanges(ctx, "F205", nil, app.Cursor{Scope: "F205", Seq: 1, AsOf: time.Now().Add(-time.Minute)}); err != nil {
		t.Fatal(err)
	}
	// The kiosk's clock starts in May; the wall clock is wherever the
	// test makes it.
	start := time.Date(2026, 5, 12, 9, 0, 0, 0, time.UTC)
	var elapsed time.Duration
	wall := start
	newSelf := func(clock *kiosk.Clock) *kiosk.Self {
		cs := &app.CounterService{Local: s, Verify: passwd.Verify, Comune: "F205", Now: func() time.Time { return wall }}
		return &kiosk.Self{Cache: s, Device: "F205-K001", Counter: cs, Now: func() time.Time { return wall }, Clock: clock}
	}
	k := newSelf(kiosk.NewClockAt(start, func() time.Duration { return elapsed }))
	tick := func(d time.Duration) { elapsed += d; wall = wall.Add(d) }
	victim, other := rossiMarta.CodiceFiscale, rossiLuca.CodiceFiscale

	for i := range kiosk.MaxFailures {
		tick(10 * time.Second)
		_, err := k.Identify(ctx, victim, "XX0000000")
		if want := map[bool]string{false: app.EUNAUTHORIZED, true: app.ELOCKED}[i == kiosk.MaxFailures-1]; app.ErrorCode(err) != want {
			t.Fatalf("wrong try %d: %v, want %s", i+1, err, want)
		}
	}
	t.Run("Alert", func(t *testing.T) {
		var n int
		if err := s.DB().QueryRow(`SELECT count(*) FROM audit WHERE action = ? AND subject = ? AND operator = ?`,
			kiosk.AuditLockout, victim, "chiosco:F205-K001").Scan(&n); err != nil || n != 1 {
			t.Errorf("%d lockout events for the victim (%v), want 1", n, err)
		}
		if err := s.DB().QueryRow(`SELECT count(*) FROM outbox o JOIN audit a ON a.device = o.device AND a.seq = o.audit_seq
			WHERE o.kind = ? AND a.action = ?`, app.OpAudit, kiosk.AuditLockout).Scan(&n); err != nil || n != 1 {
			t.Errorf("%d lockout events in the outbox (%v), want 1", n, err)
		}
	})
	t.Run("AnotherIdentityServed", func(t *testing.T) {
		tick(kiosk.Delay(kiosk.MaxFailures))
		f, err := k.Identify(ctx, other, "CA12345AB")
		if err != nil || f.Citizen.CodiceFiscale != other {
			t.Fatalf("another person after the slow-down: %v", err)
		}
	})
	t.Run("WallClockForwardDoesNotUnlock", func(t *testing.T) {
		tick(time.Minute)
		wall = wall.Add(30 * 24 * time.Hour)
		if _, err := k.Identify(ctx, victim, "CA12345AB"); app.ErrorCode(err) != app.ELOCKED {
			t.Fatalf("the wall clock a month ahead: %v, want still locked", err)
		}
	})
	t.Run("RestartDoesNotUnlock", func(t *testing.T) {
		// A new process: its clock resumes at the last attempt recorded,
		// in May, though the wall clock (time.Now) is months later.
		restarted := newSelf(nil)
		if _, err := restarted.Identify(ctx, victim, "CA12345AB"); app.ErrorCode(err) != app.ELOCKED {
			t.Fatalf("after a restart: %v, want still locked", err)
		}
		last, err := s.LastAttempt(ctx)
		if err != nil || time.Since(last) < 24*time.Hour {
			t.Errorf("last attempt %v (%v): the kiosk's clock must not have followed the wall clock", last, err)
		}
	})
	t.Run("UnlockedAfterLockoutOfRunningTime", func(t *testing.T) {
		tick(kiosk.Lockout)
		f, err := k.Identify(ctx, victim, "CA12345AB")
		if err != nil || f.Citizen.CodiceFiscale != victim {
			t.Fatalf("after the lockout: %v", err)
		}
	})
}

// TestLastAttempt: zero on a new cache, then the latest attempt's time,
// which a right identification does not move back.
func TestLastAttempt(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	if last, err := s.LastAttempt(ctx); err != nil || !last.IsZero() {
		t.Fatalf("new cache: %v %v", last, err)
	}
	at := time.Date(2026, 5, 12, 9, 0, 0, 0, time.UTC)
	for i, key := range []string{"*", "RSSMRT83L61F205X"} {
		if err := s.RecordAttempt(ctx, key, false, at.Add(time.Duration(i)*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	if last, err := s.LastAttempt(ctx); err != nil || !last.Equal(at.Add(time.Second)) {
		t.Errorf("last attempt %v %v, want %v", last, err, at.Add(time.Second))
	}
}

var _ kiosk.Cache = (*store.Store)(nil)
