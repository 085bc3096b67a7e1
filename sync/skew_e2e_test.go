package sync_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/hub"
	"github.com/sportello/sportello/sync"
)

// TestClockSkewADay runs a workstation whose clock is a day ahead, and one
// a day behind, against a hub on the right time. Once the hub has
// answered, the engine's Now (which main.go gives every service) is the
// hub's time: a certificate is dated today, with this year's number; a
// payment is of today's cash day and the day's closing takes it; a
// request's protocol number is the hub's; the hub takes everything; and
// the skew is in the status, for the bar's warning.
func TestClockSkewADay(t *testing.T) {
	for _, tc := range []struct {
		name string
		skew time.Duration
	}{{"ADayAhead", 24 * time.Hour}, {"ADayBehind", -24 * time.Hour}} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			h := newHub(t)
			people := milano()
			h.replace("F205", people)
			if err := h.DB.PutPayee(ctx, &milanoPayee); err != nil {
				t.Fatal(err)
			}
			if _, err := hub.SeedCatalogue(ctx, h.DB, "F205"); err != nil {
				t.Fatal(err)
			}
			pos, err := h.DB.CreatePosition(ctx, payment.Position{Comune: "F205", DebtorCF: people[0].CodiceFiscale, DebtorName: "ROSSI MARIO",
				Service: payment.ServiceTARI, Causale: "TARI rata unica", AmountCents: 12000, DueDate: app.Date(2030, 12, 31)})
			if err != nil {
				t.Fatal(err)
			}
			// The workstation's clock, off by tc.skew; the hub's is the test's.
			st := openStore(t)
			opt := options()
			opt.Now = func() time.Time { return h.Clk.Now().Add(tc.skew) }
			c := sync.New(st, opt)
			p, err := c.Enroll(ctx, h.URL, h.code("F205", time.Hour), "Sportello fuori orario")
			if err != nil {
				t.Fatal(err)
			}
			w := &workstation{St: st, C: c, Profile: p}
			signer(t, h, w, clerk.Username) // the day's closing carries the clerk's proof
			round(t, w)

			if got := c.Status().ClockSkew; got < tc.skew-time.Minute || got > tc.skew+time.Minute {
				t.Fatalf("skew in the status %v, want about %v", got, tc.skew)
			}
			hubNow := h.Clk.Now()
			if d := c.Now().Sub(hubNow); d < -time.Minute || d > time.Minute {
				t.Errorf("engine's Now %v, the hub's %v", c.Now(), hubNow)
			}
			// Restarted offline, the workstation still knows the skew.
			h.Stop()
			restarted := sync.New(st, opt)
			if d := restarted.Now().Sub(hubNow); d < -time.Minute || d > time.Minute {
				t.Errorf("after a restart offline the engine's Now is %v, the hub's %v", restarted.Now(), hubNow)
			}
			if got := restarted.Status().ClockSkew; got < tc.skew-time.Minute || got > tc.skew+time.Minute {
				t.Errorf("after a restart offline the status shows a skew of %v", got)
			}
			h.Start()
			today := hubNow.In(app.Rome).Format("2006-01-02")

			online := true
			cs, svc := counterOf(w, &online)
			cs.Now, svc.Now = c.Now, c.Now
			is := issue(t, cs, svc, people[0].CodiceFiscale, certificate.SlugResidenza)
			if day := is.Certificate.IssuedAt.In(app.Rome).Format("2006-01-02"); day != today {
				t.Errorf("certificate dated %s, today is %s", day, today)
			}
			if year := hubNow.In(app.Rome).Format("2006"); !strings.Contains(is.Certificate.Number.String(), "-"+year+"-") {
				t.Errorf("certificate number %s, want this year's (%s)", is.Certificate.Number, year)
			}

			cash := cashier(w, c.Now)
			pay, _, err := cash.Pay(ctx, clerk, pos.ID, payment.Cash)
			if err != nil {
				t.Fatal(err)
			}
			if pay.Day != today {
				t.Errorf("payment of the cash day %s, today is %s", pay.Day, today)
			}
			closing, _, err := cash.Close(ctx, clerk, "")
			if err != nil {
				t.Fatal(err)
			}
			if closing.Day != today || len(closing.Payments) != 1 {
				t.Errorf("closing of %s with %d payments, want today's (%s) with the payment", closing.Day, len(closing.Payments), today)
			}

			d := deskOf(w)
			d.Now = c.Now
			guasto, err := d.Service(ctx, "segnalazione-disservizio")
			if err != nil {
				t.Fatal(err)
			}
			file := openFile(t, w, people[3].CodiceFiscale)
			r, _, err := d.Submit(ctx, clerk, file, "segnalazione-disservizio", report(d, guasto, file, 1), nil)
			if err != nil {
				t.Fatal(err)
			}
			round(t, w)
			if pending, parked := w.outbox(t); pending != 0 || parked != 0 {
				ops, _ := st.ParkedOps(ctx)
				for _, op := range ops {
					t.Logf("parked %s: %s", op.Kind, op.Reason)
				}
				t.Fatalf("after the round: %d pending, %d parked", pending, parked)
			}
			got, err := st.Request(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if want := hubNow.In(app.Rome).Format("2006") + "/000001"; got.Number != want {
				t.Errorf("protocol number %q, want %q", got.Number, want)
			}
			if day := got.SubmittedAt.In(app.Rome).Format("2006-01-02"); day != today {
				t.Errorf("request submitted on %s, today is %s", day, today)
			}
		})
	}
}
