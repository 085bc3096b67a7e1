package payment_test

import (
	"crypto/ed25519"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/payment"
)

// TestFineDue walks the terms of art. 202 CdS from a notification on
// Friday 20 November 2026: the 5 days end on Wednesday 25 November, the
// 60 days on Tuesday 19 January 2027.
func TestFineDue(t *testing.T) {
	f := payment.Fine{Number: "V1", Comune: "I690", Plate: "AB123CD", Offence: "Sosta vietata", ViolatedAt: time.Date(2026, 11, 10, 8, 0, 0, 0, time.UTC),
		NotifiedOn: app.Date(2026, 11, 20), MinCents: 4200, MaxCents: 17300, CostsCents: 1250, DiscountAllowed: true}
	for _, tc := range []struct {
		name  string
		day   time.Time
		stage string
		cents int64
	}{
		{"NotificationDay", app.Date(2026, 11, 20), payment.StageReduced, 2940 + 1250},
		{"FifthDay", app.Date(2026, 11, 25), payment.StageReduced, 2940 + 1250},
		{"SixthDay", app.Date(2026, 11, 26), payment.StageMinimum, 4200 + 1250},
		{"SixtiethDay", app.Date(2027, 1, 19), payment.StageMinimum, 4200 + 1250},
		{"SixtyFirstDay", app.Date(2027, 1, 20), payment.StageHalfMax, 8650 + 1250},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := f.Due(tc.day)
			if d.Stage != tc.stage || d.Cents != tc.cents {
				t.Fatalf("Due(%s) = %s %d, want %s %d", tc.day.Format("2006-01-02"), d.Stage, d.Cents, tc.stage, tc.cents)
			}
		})
	}
	t.Run("NoDiscountForSuspension", func(t *testing.T) {
		g := f
		g.DiscountAllowed = false
		if d := g.Due(app.Date(2026, 11, 21)); d.Stage != payment.StageMinimum || d.Cents != 5450 {
			t.Fatalf("%+v", d)
		}
	})
	t.Run("TermEndingOnSundayMoves", func(t *testing.T) {
		// Notified Tuesday 17 November 2026: day 5 is Sunday 22, so the
		// reduction holds on Monday 23 too.
		g := f
		g.NotifiedOn = app.Date(2026, 11, 17)
		if d := g.Due(app.Date(2026, 11, 23)); d.Stage != payment.StageReduced || !d.Until.Equal(app.Date(2026, 11, 23)) {
			t.Fatalf("%+v", d)
		}
		if d := g.Due(app.Date(2026, 11, 24)); d.Stage != payment.StageMinimum {
			t.Fatalf("%+v", d)
		}
	})
	t.Run("TermEndingOnHolidayMoves", func(t *testing.T) {
		// Notified Sunday 20 December 2026: day 5 is Christmas, day 6
		// Santo Stefano, day 7 Sunday 27: the reduction holds to Monday 28.
		g := f
		g.NotifiedOn = app.Date(2026, 12, 20)
		if d := g.Due(app.Date(2026, 12, 28)); d.Stage != payment.StageReduced {
			t.Fatalf("%+v", d)
		}
	})
	t.Run("ThirtyPercentRoundsHalfUp", func(t *testing.T) {
		g := f
		g.MinCents, g.CostsCents = 8705, 0 // 30% = 2611.5 → 2612
		if d := g.Due(g.NotifiedOn); d.Cents != 8705-2612 {
			t.Fatalf("%d", d.Cents)
		}
	})
}

func TestEasterAndHolidays(t *testing.T) {
	for y, want := range map[int]time.Time{2024: app.Date(2024, 3, 31), 2025: app.Date(2025, 4, 20), 2026: app.Date(2026, 4, 5), 2027: app.Date(2027, 3, 28)} {
		if got := payment.Easter(y); !got.Equal(want) {
			t.Errorf("Easter %d = %s", y, got.Format("2006-01-02"))
		}
	}
	if !payment.Holiday(app.Date(2026, 4, 6)) || !payment.Holiday(app.Date(2026, 6, 2)) || payment.Holiday(app.Date(2026, 6, 3)) {
		t.Error("Easter Monday, 2 June or an ordinary Wednesday")
	}
}

// TestClosingTotalsAreTheReceipts: the closing's totals are the sums of
// its payments, by method and service, and its signature binds them.
func TestClosingTotalsAreTheReceipts(t *testing.T) {
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	mk := func(n int, cents int64, m payment.Method, s payment.Service) payment.Payment {
		return payment.Payment{Receipt: "I690-W001-2026-R00000" + string(rune('0'+n)), PositionID: "P", Avviso: "301000000000000144", AmountCents: cents,
			Method: m, Operator: "demo", Device: "I690-W001", At: at, Day: "2026-11-23", Service: s, Causale: "x", DebtorCF: "X", DebtorName: "Y"}
	}
	pays := []payment.Payment{mk(1, 1000, payment.Cash, payment.ServiceTARI), mk(2, 2550, payment.Card, payment.ServiceTARI), mk(3, 499, payment.Cash, payment.ServiceCanteen)}
	c, err := payment.Summarize("I690-W001", "I690", "demo", "Demo", "2026-11-23", at, pays, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.TotalCents != 4049 || len(c.ByMethod) != 2 || c.ByMethod[0].Cents+c.ByMethod[1].Cents != 4049 {
		t.Fatalf("%+v", c)
	}
	pub, key, _ := ed25519.GenerateKey(nil)
	if err := c.Sign(key); err != nil {
		t.Fatal(err)
	}
	back, err := payment.DecodeClosing(payment.EncodeClosing(c))
	if err != nil {
		t.Fatal(err)
	}
	if err := back.Verify(pub); err != nil {
		t.Fatal(err)
	}
	back.Payments[0].AmountCents = 1
	if err := back.Verify(pub); err == nil {
		t.Fatal("a changed receipt still verifies")
	}
	tampered := *c
	tampered.TotalCents++
	if _, err := payment.DecodeClosing(payment.EncodeClosing(&tampered)); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("totals not those of the receipts: %v", err)
	}
	if _, err := payment.Summarize("I690-W001", "I690", "demo", "Demo", "2026-11-24", at, pays, nil); err == nil {
		t.Fatal("a payment of another day in the closing")
	}
}
