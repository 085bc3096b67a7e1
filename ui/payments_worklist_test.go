package ui

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/app/payment"
)

// refundDesk is a fake desk whose refunds are Mario's double payment of
// the canteen (opened on 20/11) and Anna's of the TARI (opened earlier,
// on 18/11, so it comes first), and one of Mario's refunded already.
func refundDesk(t *testing.T) (desk *fakeDesk, mario, anna app.Citizen) {
	dir := newDirectory(t)
	mario, anna = dir.byName("Rossi", "Mario"), dir.byName("Bianchi", "Anna")
	desk = newFakeDesk(mario)
	at := time.Date(2026, 11, 18, 9, 15, 0, 0, time.UTC)
	desk.refunds[0].DebtorName = "ROSSI MARIO"
	desk.refunds[0].OpenedAt = time.Date(2026, 11, 20, 11, 0, 0, 0, time.UTC)
	desk.refunds = append(desk.refunds,
		payment.Refund{ID: "RT-9", DebtorCF: anna.CodiceFiscale, DebtorName: "BIANCHI ANNA", Causale: "TARI 2026 prima rata",
			DueCents: 11900, PaidCents: 23800, ExcessCents: 11900, State: payment.RefundOpen, OpenedAt: at.Add(time.Hour),
			Receipts: []payment.Receipt{{Number: "I690-W001-2026-R000017", Channel: "sportello", AmountCents: 11900, At: at},
				{Number: "I690-W003-2026-R000002", Channel: "sportello", AmountCents: 11900, At: at.Add(30 * time.Minute)}}},
		payment.Refund{ID: "RT-1", DebtorCF: mario.CodiceFiscale, DebtorName: "ROSSI MARIO", Causale: "Verbale 2026/118",
			ExcessCents: 4200, State: payment.RefundDone, OpenedAt: at.Add(-24 * time.Hour),
			Done: &payment.Repayment{Refund: "RT-1", Method: payment.RefundCash, On: app.Date(2026, 11, 19)}})
	return desk, mario, anna
}

// TestRefundWorklist: the header counts the comune's open refunds; the
// list shows each with its citizen, causale, excess and both receipts,
// oldest first; Enter opens that citizen's file; the count follows the
// next sync.
func TestRefundWorklist(t *testing.T) {
	var desk *fakeDesk
	var anna app.Citizen
	h := newHarness(t, func(d *Deps) { desk, _, anna = refundDesk(t); d.Payments = desk })
	// A flagged certificate too: both worklists' buttons in the header.
	h.issuer.add(t, h.dir.byName("Rossi", "Mario"), certificate.SlugResidenza, testNow.Add(-time.Hour), "residenza cambiata", true)
	h.login()
	h.waitFor("the refunds button", func() bool { return h.shows("Rimborsi da fare (2)") })
	h.waitFor("the certificates button", func() bool { return h.shows("Certificati da verificare (1)") })
	if w := h.w.Content().MinSize().Width; w > windowWidth {
		t.Errorf("the counter needs %v pixels with the refunds button, more than the %v of the window", w, windowWidth)
	}
	h.tap(h.button("Rimborsi da fare"))
	h.waitFor("the list", func() bool {
		return h.shows("TARI 2026 prima rata — eccedenza € 119,00, da rimborsare dal 18/11/2026")
	})
	h.assertShows("Rimborsi da fare", "BIANCHI ANNA", anna.CodiceFiscale, "ROSSI MARIO",
		"Refezione scolastica novembre — eccedenza € 84,50, da rimborsare dal 20/11/2026",
		"Ricevuta I690-W001-2026-R000017 — sportello, € 119,00, 18/11/2026 10:15",
		"Ricevuta I690-W003-2026-R000002 — sportello, € 119,00, 18/11/2026 10:45",
		"Ricevuta I690-W002-2026-R000004 — sportello, € 84,50, 20/11/2026 11:00",
		"Ricevuta RT-I690-01000000000000245-1 — pagoPA, € 84,50, 20/11/2026 12:00")
	h.assertHides("Verbale 2026/118", "Rimborso eseguito")
	screen := flat(h.screen())
	if a, m := strings.Index(screen, "BIANCHI ANNA"), strings.LastIndex(screen, "ROSSI MARIO"); a < 0 || m < a {
		t.Errorf("Anna's refund, the oldest, is not first:\n%s", screen)
	}
	writePNG(t, filepath.Join("testdata", "payments_refund_worklist.png"), h)

	h.press(fyne.KeyReturn)
	h.waitFor("Anna's file", func() bool {
		return h.c.file.file != nil && h.c.file.file.Citizen.CodiceFiscale == anna.CodiceFiscale
	})
	if n := len(h.w.Canvas().Overlays().List()); n != 0 {
		t.Errorf("the refund worklist stays open over the file")
	}

	// A tap on a row opens that citizen's file as well.
	h.tap(h.button("Rimborsi da fare"))
	h.waitFor("the list again", func() bool { return h.c.refunds.list != nil && len(h.c.refunds.list.rows) == 2 })
	h.tap(h.c.refunds.list.rows[1])
	h.waitFor("Mario's file", func() bool {
		return h.c.file.file != nil && h.c.file.file.Citizen.CodiceFiscale == desk.refunds[0].DebtorCF
	})

	// The hub opens another refund at the next sync: the count follows.
	desk.mu.Lock()
	desk.refunds[2].State, desk.refunds[2].Done = payment.RefundOpen, nil
	desk.mu.Unlock()
	h.status.publish(app.SyncStatus{Online: true, LastSync: testNow, Progress: -1})
	h.waitFor("the new count", func() bool { return h.shows("Rimborsi da fare (3)") })
}

// TestRefundWorklistHidden: no open refund, no button; no payments, no
// worklist at all.
func TestRefundWorklistHidden(t *testing.T) {
	desk, _, _ := refundDesk(t)
	for i := range desk.refunds {
		desk.refunds[i].State = payment.RefundDone
	}
	h := newHarness(t, func(d *Deps) { d.Payments = desk })
	h.login()
	h.settle(200 * time.Millisecond)
	if h.c.refunds == nil || h.c.refunds.gen == 0 {
		t.Fatal("the refunds were not read at login")
	}
	h.assertHides("Rimborsi da fare")
	if h.c.refunds.button.Visible() {
		t.Error("the refunds button shows with no refund to make")
	}

	h2 := newHarness(t)
	h2.login()
	if h2.c.refunds != nil {
		t.Error("a refund worklist without payments")
	}
}

// TestRefundWorklistSupervisor: a supervisor records a refund done from
// the worklist; it leaves the list and the count.
func TestRefundWorklistSupervisor(t *testing.T) {
	var desk *fakeDesk
	h := newHarness(t, func(d *Deps) { desk, _, _ = refundDesk(t); d.Payments = desk })
	h.login()
	h.c.op.Roles = append(h.c.op.Roles, app.RoleSupervisor)
	h.waitFor("the refunds button", func() bool { return h.shows("Rimborsi da fare (2)") })
	h.tap(h.button("Rimborsi da fare"))
	h.waitFor("the list", func() bool { return h.shows("TARI 2026 prima rata") })
	h.tap(h.button("Rimborso eseguito")) // the first: Anna's
	h.waitFor("the form", func() bool { return h.shows("Come è stato restituito") })
	h.entry("Nota: CRO del bonifico, mandato, ricevuta…").SetText("CRO 0077")
	h.tap(h.button("Conferma"))
	h.waitFor("the refund done", func() bool { return h.shows("Rimborso RT-9 registrato come eseguito") })
	h.waitFor("the new count", func() bool { return h.shows("Rimborsi da fare (1)") })
	h.assertHides("TARI 2026 prima rata")
	h.assertShows("Refezione scolastica novembre")
	desk.mu.Lock()
	done := desk.refunds[1].Done
	desk.mu.Unlock()
	if done == nil || done.Method != payment.RefundTransfer || done.Note != "CRO 0077" || done.Operator != h.c.op.Username {
		t.Fatalf("repayment %+v", done)
	}
}

// TestRefundWorklistEnglish: the button, the list and its lines in English.
func TestRefundWorklistEnglish(t *testing.T) {
	h := newHarness(t, func(d *Deps) { d.Lang = "en"; d.Payments, _, _ = refundDesk(t) })
	h.login()
	h.waitFor("the refunds button", func() bool { return h.shows("Refunds to make (2)") })
	h.tap(h.button("Refunds to make"))
	h.waitFor("the list", func() bool { return h.shows("TARI 2026 prima rata — excess €119.00, to refund since 18/11/2026") })
	h.assertShows("Positions paid twice: return the excess to the payer.", "Receipt I690-W001-2026-R000017 — sportello, €119.00, 18/11/2026 10:15", "Close (Esc)")
	h.assertHides("Rimborsi da fare", "eccedenza", "Ricevuta")
}
