package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/pagopa"
	"github.com/sportello/sportello/app/payment"
)

// withInstalments adds to the desk a school canteen position of € 120,00
// in two instalments, and settles the others so it is the only one to pay.
func withInstalments(t *testing.T, d *fakeDesk, owner app.Citizen) *payment.View {
	t.Helper()
	av := func(n int64) pagopa.CodiceAvviso {
		a, err := pagopa.NewAvviso(3, "01", n)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	v := &payment.View{Position: payment.Position{ID: "I690-2026-H0000300", Comune: "I690", DebtorCF: owner.CodiceFiscale,
		DebtorName: "ROSSI MARIO", Service: payment.ServiceCanteen, Causale: "Refezione scolastica 2025/26", AmountCents: 12000,
		DueDate: app.Date(2025, 7, 31), Avviso: av(300), State: payment.StateDue, Published: true,
		Instalments: []payment.Instalment{{N: 1, Avviso: av(301), AmountCents: 6000, DueDate: app.Date(2025, 6, 30)},
			{N: 2, Avviso: av(302), AmountCents: 6000, DueDate: app.Date(2025, 7, 31)}}}}
	if err := v.Validate(); err != nil {
		t.Fatal(err)
	}
	d.views[v.ID] = v
	d.views["I690-2026-H0001234"].State = payment.StatePaid
	return v
}

// entry finds the visible entry whose placeholder is ph in the top layer.
func (h *harness) entry(ph string) *widget.Entry {
	h.t.Helper()
	var found *widget.Entry
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() || found != nil {
			return
		}
		switch x := o.(type) {
		case *widget.Entry:
			if x.PlaceHolder == ph {
				found = x
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	layers := h.layers()
	walk(layers[len(layers)-1])
	if found == nil {
		h.t.Fatalf("no entry %q on screen:\n%s", ph, h.screen())
	}
	return found
}

// TestPaymentsInstalments: the file lists a position's instalments with
// their states and a notice each; the operator chooses the instalment to
// pay; once one is paid the rata unica is no longer offered.
func TestPaymentsInstalments(t *testing.T) {
	var desk *fakeDesk
	h := newHarness(t, func(d *Deps) {
		owner := newDirectory(t).byName("Rossi", "Mario")
		desk = newFakeDesk(owner)
		withInstalments(t, desk, owner)
		d.Payments = desk
	})
	h.login()
	h.openByKeyboard("rossi mario", 1)
	h.waitFor("the instalments", func() bool { return h.shows("Rata 2 — € 60,00, scadenza 31/07/2025") })
	h.assertShows("Refezione scolastica 2025/26 — € 120,00, scadenza 31/07/2025", "Rata 1 — € 60,00, scadenza 30/06/2025",
		"3010 0000 0000 0301", "3010 0000 0000 0302")

	h.tap(h.button("Avviso rata 2"))
	h.waitFor("the notice", func() bool { p, _ := h.output.jobs(); return len(p) == 1 })
	if p, _ := h.output.jobs(); !strings.Contains(p[0].pdf, "rata 2 301000000000030") {
		t.Fatalf("printed %q", p[0].pdf)
	}

	h.tap(h.button("Incassa"))
	h.waitFor("the payment dialog", func() bool { return h.shows("Che cosa paga il cittadino") })
	h.assertShows("Rata unica: € 120,00 entro il 31/07/2025", "Rata 1: € 60,00 entro il 30/06/2025", "Rata 2: € 60,00 entro il 31/07/2025")
	h.c.file.scroll.ScrollToBottom()
	writePNG(t, filepath.Join("testdata", "payments_instalments_dialog.png"), h)
	h.tap(h.button("Incassa")) // the first rata due is chosen
	h.waitFor("the receipt", func() bool { return h.shows("Pagamento registrato: ricevuta ANAG-01-2026-R000001 di € 60,00") })
	if len(desk.rate) != 1 || desk.rate[0] != 1 {
		t.Fatalf("rate paid: %v", desk.rate)
	}
	h.waitFor("the new states", func() bool { return h.shows("pagato in parte") })
	h.assertShows("pagato allo sportello, in attesa dell'hub")

	h.tap(h.button("Incassa"))
	h.waitFor("the payment dialog", func() bool { return h.shows("Che cosa paga il cittadino") })
	h.assertHides("Rata unica: € 120,00", "Rata 1: € 60,00")
	h.assertShows("Rata 2: € 60,00 entro il 31/07/2025")
	h.tap(h.button("Incassa"))
	h.waitFor("the second receipt", func() bool { return h.shows("ricevuta ANAG-01-2026-R000002 di € 60,00") })
	if len(desk.rate) != 2 || desk.rate[1] != 2 {
		t.Fatalf("rate paid: %v", desk.rate)
	}
	if err := os.MkdirAll("testdata", 0o755); err == nil {
		h.c.file.scroll.ScrollToBottom()
		writePNG(t, filepath.Join("testdata", "payments_instalments.png"), h)
	}
}

// TestRefundDone: a supervisor marks the double payment refunded from the
// citizen file; an operator is not offered the button.
func TestRefundDone(t *testing.T) {
	var desk *fakeDesk
	h := newHarness(t, func(d *Deps) {
		desk = newFakeDesk(newDirectory(t).byName("Rossi", "Mario"))
		d.Payments = desk
	})
	h.login()
	h.openByKeyboard("rossi mario", 1)
	h.waitFor("the refund", func() bool { return h.shows("Pagamento doppio da rimborsare") })
	h.assertHides("Rimborso eseguito")

	h.c.op.Roles = append(h.c.op.Roles, app.RoleSupervisor)
	h.c.file.refreshPayments()
	h.waitFor("the supervisor's button", func() bool { return h.shows("Rimborso eseguito") })
	h.tap(h.button("Rimborso eseguito"))
	h.waitFor("the form", func() bool { return h.shows("Come è stato restituito") })
	h.assertShows("Bonifico", "14/05/2025")
	h.entry("Nota: CRO del bonifico, mandato, ricevuta…").SetText("CRO 0042")
	writePNG(t, filepath.Join("testdata", "payments_refund_dialog.png"), h)
	h.tap(h.button("Conferma"))
	h.waitFor("the refund done", func() bool {
		return h.shows("Pagamento doppio rimborsato — Refezione scolastica novembre: € 84,50 restituiti il 14/05/2025 (Bonifico, CRO 0042), in attesa di conferma dell'hub")
	})
	h.assertShows("Rimborso RT-2 registrato come eseguito")
	h.assertHides("Pagamento doppio da rimborsare")
	if rf := desk.refunds[0]; rf.Done == nil || rf.Done.Method != payment.RefundTransfer || rf.Done.Operator != h.c.op.Username || rf.Done.Note != "CRO 0042" {
		t.Fatalf("repayment %+v", rf.Done)
	}
}

// TestScanAnotherComune: a pagoPA code of another comune of the network
// shows that comune and the position's state, as the hub has it; offline
// the dialog says it needs the network.
func TestScanAnotherComune(t *testing.T) {
	var desk *fakeDesk
	h := newHarness(t, func(d *Deps) {
		desk = newFakeDesk(newDirectory(t).byName("Rossi", "Mario"))
		d.Payments = desk
	})
	h.login()
	a, err := pagopa.NewAvviso(0, "12", 1)
	if err != nil {
		t.Fatal(err)
	}
	code := "PAGOPA|002|" + string(a) + "|80007070153|31000"
	h.w.Canvas().Focus(h.scanField())
	h.typeText(code)
	h.press(fyne.KeyReturn)
	h.waitFor("the scan result", func() bool { return h.shows("Pagamento letto da QR code pagoPA") })
	h.assertShows("Ente creditore", "Comune di Cinisello Balsamo", "da pagare", "TARI 2026 Cinisello", "Si paga con pagoPA")
	writePNG(t, filepath.Join("testdata", "payments_scan_remote.png"), h)

	h.tap(h.button("Chiudi"))
	desk.mu.Lock()
	desk.offline = true
	desk.mu.Unlock()
	h.w.Canvas().Focus(h.scanField())
	h.typeText(code)
	h.press(fyne.KeyReturn)
	h.waitFor("the offline answer", func() bool { return h.shows("serve il collegamento con l'hub") })
	h.assertShows("serve la rete")
	h.assertHides("Comune di Cinisello Balsamo")
}
