package sync_test

import (
	"context"
	"testing"
	"time"

	"github.com/sportello/sportello/app/kiosk"
	"github.com/sportello/sportello/hub/sqlstore"
	"github.com/sportello/sportello/sync"
)

// TestKioskLockoutAlertsSupervisor: a kiosk's lockout after wrong attempts
// reaches the hub as an audit event, and the hub publishes it to the
// comune's counters, whose status names the kiosk (the supervisor sees
// it); the kiosk itself never receives the alert, and a counter that sends
// the same audit action raises none.
func TestKioskLockoutAlertsSupervisor(t *testing.T) {
	ctx := context.Background()
	h := newHub(t)
	h.replace("F205", milano())
	counter := h.synced("F205")
	code, err := h.DB.NewEnrollCodeFor(ctx, "F205", sqlstore.RoleKiosk, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	st := openStore(t)
	kc := sync.New(st, options())
	p, err := kc.Enroll(ctx, h.URL, code, "Chiosco atrio")
	if err != nil {
		t.Fatal(err)
	}
	k := &workstation{St: st, C: kc, Profile: p}
	round(t, k)

	// A counter sending the action raises nothing.
	if err := counter.St.AppendAudit(ctx, "mrossi", kiosk.AuditLockout, kiosk.AlertSubjectKiosk, time.Now()); err != nil {
		t.Fatal(err)
	}
	round(t, counter, counter)
	if s := counter.C.Status(); s.KioskLocked != "" {
		t.Fatalf("a counter's own event raised a kiosk alert: %+v", s)
	}

	at := h.Clk.Now().Add(-time.Hour)
	if err := k.St.AppendAudit(ctx, "chiosco", kiosk.AuditLockout, kiosk.AlertSubjectKiosk, at); err != nil {
		t.Fatal(err)
	}
	round(t, k, counter)
	s := counter.C.Status()
	if s.KioskLocked != "Chiosco atrio" || !s.KioskLockedAt.Equal(at.Truncate(time.Second)) && !s.KioskLockedAt.Equal(at) {
		t.Fatalf("the counter's status after the kiosk's lockout: %q at %v, want the kiosk at %v", s.KioskLocked, s.KioskLockedAt, at)
	}
	round(t, k)
	if recs, err := k.St.Records(ctx, kiosk.KindAlert, ""); err != nil || len(recs) != 0 {
		t.Fatalf("the kiosk holds %d alerts (%v)", len(recs), err)
	}
	// A day later (by the hub's clock, which the workstation follows) the
	// alert is no longer news.
	h.Clk.Advance(kioskAlertAge())
	round(t, counter)
	if s := counter.C.Status(); s.KioskLocked != "" {
		t.Fatalf("a lockout of more than a day ago still shown: %+v", s)
	}
}

func kioskAlertAge() time.Duration { return sync.KioskAlertFor + time.Hour }
