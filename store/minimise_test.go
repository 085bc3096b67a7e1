package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/kiosk"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/app/queue"
	"github.com/sportello/sportello/passwd"
	"github.com/sportello/sportello/store"
)

// cacheOfOldKiosk is a kiosk's cache as a kiosk synced it before the hub
// confined kiosks: the comune's anagrafe with document numbers in clear,
// an operator's account and hash, a refund, the queue's area.
func cacheOfOldKiosk(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	s := mustOpenWithFixtures(t)
	if err := s.SaveProfile(ctx, benchProfile(t)); err != nil {
		t.Fatal(err)
	}
	op := &app.Operator{Username: "mrossi", Name: "Mario Rossi", Comune: "F205", Roles: []app.Role{app.RoleOperator},
		PasswordHash: "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", Active: true, UpdatedAt: time.Now()}
	area := queue.AreaRecord(queue.Area{Code: "A", Name: "Anagrafe", NameEN: "Registry office", Minutes: 10, Kiosk: true})
	changes := []app.Change{
		{Scope: "F205", Seq: 1, Kind: app.ChangeOperator, Key: op.Username, Operator: op},
		{Scope: "F205", Seq: 2, Kind: area.Kind, Key: area.Key, Record: &area},
	}
	if err := s.ApplyChanges(ctx, "F205", changes, app.Cursor{Scope: "F205", Seq: 2, AsOf: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec(`INSERT INTO records (kind, key, scope, subject, data) VALUES (?, 'r1', 'F205', ?, '{}')`,
		payment.KindRefund, rossiMarta.CodiceFiscale); err != nil {
		t.Fatal(err)
	}
	return s
}

func countWhere(t *testing.T, s *store.Store, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestKeepForKiosk: a kiosk's old cache keeps no operator, no refund and no
// document number in clear, and still identifies its residents by the
// number they type, and refuses another.
func TestKeepForKiosk(t *testing.T) {
	ctx := context.Background()
	s := cacheOfOldKiosk(t)
	clear := `SELECT count(*) FROM citizens WHERE document_number <> '' AND document_number NOT LIKE 'h24:%'`
	before := countWhere(t, s, clear)
	if before == 0 {
		t.Fatal("the fixtures hold no document number")
	}
	n, err := s.KeepForKiosk(ctx)
	if err != nil || n != before {
		t.Fatalf("KeepForKiosk: %d %v, want %d replaced", n, err, before)
	}
	for what, q := range map[string]string{
		"document numbers in clear": clear,
		"operators":                 `SELECT count(*) FROM operators`,
		"refunds":                   `SELECT count(*) FROM records WHERE kind = '` + payment.KindRefund + `'`,
	} {
		if got := countWhere(t, s, q); got != 0 {
			t.Errorf("%d %s left", got, what)
		}
	}
	if got := countWhere(t, s, `SELECT count(*) FROM records WHERE kind = ?`, queue.KindArea); got != 1 {
		t.Errorf("the queue's area: %d", got)
	}
	if n, err := s.KeepForKiosk(ctx); err != nil || n != 0 {
		t.Errorf("again: %d %v, want nothing to do", n, err)
	}
	c, err := s.Citizen(ctx, rossiMarta.CodiceFiscale)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(c.DocumentNumber, strings.TrimPrefix(rossiMarta.DocumentNumber, "CA")) {
		t.Errorf("document on file %q", c.DocumentNumber)
	}
	now := time.Now()
	cs := &app.CounterService{Local: s, Verify: passwd.Verify, Comune: "F205", Now: func() time.Time { return now }}
	k := &kiosk.Self{Cache: s, Device: "F205-K001", Counter: cs, Now: func() time.Time { return now }}
	if _, err := k.Identify(ctx, rossiMarta.CodiceFiscale, strings.ToLower(rossiMarta.DocumentNumber)); err != nil {
		t.Errorf("the right number: %v", err)
	}
	if _, err := k.Identify(ctx, rossiLuca.CodiceFiscale, rossiLuca.DocumentNumber+"1"); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("a wrong number: %v", err)
	}
}

// TestKeepForBoard: a board's old cache keeps the queue alone.
func TestKeepForBoard(t *testing.T) {
	s := cacheOfOldKiosk(t)
	if err := s.KeepForBoard(context.Background()); err != nil {
		t.Fatal(err)
	}
	for what, q := range map[string]string{
		"citizens":          `SELECT count(*) FROM citizens`,
		"operators":         `SELECT count(*) FROM operators`,
		"records not queue": `SELECT count(*) FROM records WHERE kind <> '` + queue.KindArea + `'`,
	} {
		if got := countWhere(t, s, q); got != 0 {
			t.Errorf("%d %s left", got, what)
		}
	}
}
