package ui

import (
	"context"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/pagopa"
	"github.com/sportello/sportello/app/payment"
)

// fakeDesk keeps positions in memory: Pay records a payment taken here, as
// the store does, and Scan finds a position by the avviso of a QR code.
type fakeDesk struct {
	mu      sync.Mutex
	views   map[string]*payment.View
	refunds []payment.Refund
	paid    []payment.Method
	rate    []int // the rata of each payment
	offline bool  // the hub cannot be reached for another comune's codes
}

func newFakeDesk(owner app.Citizen) *fakeDesk {
	a1, _ := pagopa.NewAvviso(3, "01", 1234)
	a2, _ := pagopa.NewAvviso(3, "01", 245)
	tari := &payment.View{Position: payment.Position{ID: "I690-2026-H0001234", Comune: "I690", DebtorCF: owner.CodiceFiscale,
		DebtorName: "ROSSI MARIO", Service: payment.ServiceTARI, Causale: "TARI 2026", AmountCents: 23850,
		DueDate: app.Date(2026, 12, 16), Avviso: a1, State: payment.StateDue, Published: true}}
	canteen := &payment.View{Position: payment.Position{ID: "I690-2026-H0000245", Comune: "I690", DebtorCF: owner.CodiceFiscale,
		DebtorName: "ROSSI MARIO", Service: payment.ServiceCanteen, Causale: "Refezione scolastica novembre", AmountCents: 8450,
		DueDate: app.Date(2026, 11, 30), Avviso: a2, State: payment.StateDuplicate, Published: true}}
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	return &fakeDesk{views: map[string]*payment.View{tari.ID: tari, canteen.ID: canteen},
		refunds: []payment.Refund{{ID: "RT-2", PositionID: canteen.ID, Avviso: a2, DebtorCF: owner.CodiceFiscale, Causale: canteen.Causale,
			DueCents: 8450, PaidCents: 16900, ExcessCents: 8450, State: payment.RefundOpen,
			Receipts: []payment.Receipt{{Number: "I690-W002-2026-R000004", Channel: "sportello", AmountCents: 8450, At: at},
				{Number: "RT-I690-01000000000000245-1", Channel: "pagoPA", AmountCents: 8450, At: at.Add(time.Hour)}}}}}
}

func (d *fakeDesk) List(_ context.Context, cf string) ([]payment.View, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []payment.View
	for _, v := range d.views {
		if v.DebtorCF == cf {
			out = append(out, *v)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (d *fakeDesk) Refunds(_ context.Context, cf string) ([]payment.Refund, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []payment.Refund
	for _, rf := range d.refunds {
		if rf.DebtorCF == cf {
			out = append(out, rf)
		}
	}
	return out, nil
}

// OpenRefunds are the open refunds of every debtor, oldest first, as
// the cashier gives them.
func (d *fakeDesk) OpenRefunds(context.Context) ([]payment.Refund, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []payment.Refund
	for _, rf := range d.refunds {
		if rf.State == payment.RefundOpen {
			out = append(out, rf)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].OpenedAt.Before(out[j].OpenedAt) })
	return out, nil
}

func (d *fakeDesk) InstalmentNotice(_ context.Context, _ *app.Operator, id string, n int) (*payment.NoticeFields, []byte, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	t, err := d.views[id].Target(n)
	if err != nil {
		return nil, nil, err
	}
	return nil, []byte(fmt.Sprintf("%%PDF avviso %s rata %d %s", id, n, t.Avviso)), nil
}

// PayInstalment takes rata n as the cashier does: refused when the view
// says it is not payable, recorded as a payment taken here.
func (d *fakeDesk) PayInstalment(_ context.Context, op *app.Operator, id string, n int, m payment.Method) (*payment.Payment, []byte, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	v := d.views[id]
	if err := v.Payable(n); err != nil {
		return nil, nil, err
	}
	t, _ := v.Target(n)
	p := payment.Payment{Receipt: fmt.Sprintf("ANAG-01-2026-R%06d", len(d.paid)+1), PositionID: id, Avviso: t.Avviso, Instalment: n,
		AmountCents: t.AmountCents, Method: m, Operator: op.Username}
	v.Local = append(v.Local, p)
	d.paid = append(d.paid, m)
	d.rate = append(d.rate, n)
	return &p, []byte("%PDF ricevuta"), nil
}

// CompleteRefund marks a refund done, waiting for the hub, for a
// supervisor only, as the cashier does.
func (d *fakeDesk) CompleteRefund(_ context.Context, op *app.Operator, id string, m payment.RefundMethod, on time.Time, note string) (*payment.Repayment, error) {
	if !op.Has(app.RoleSupervisor) {
		return nil, app.Errorf(app.EFORBIDDEN, "solo un supervisore")
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for i := range d.refunds {
		if rf := &d.refunds[i]; rf.ID == id && rf.State == payment.RefundOpen {
			r := &payment.Repayment{Refund: id, Method: m, On: on, Note: note, Operator: op.Username}
			rf.State, rf.Done, rf.Unsent = payment.RefundDone, r, true
			return r, nil
		}
	}
	return nil, app.Errorf(app.ECONFLICT, "già eseguito")
}

func (d *fakeDesk) Scan(_ context.Context, text string) (*payment.ScanResult, error) {
	q, err := pagopa.ParseQR(text)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if q.CFEnte != "02253930156" { // another comune's: the hub is asked, as the cashier does
		if d.offline {
			return &payment.ScanResult{Kind: payment.ScanPagoPA, Avviso: q.Avviso, Amount: q.AmountCents, CFEnte: q.CFEnte,
				Status: payment.StatusOffline, Message: "Avviso di un altro ente creditore: serve il collegamento con l'hub"}, nil
		}
		v := &payment.View{Position: payment.Position{ID: "C707-2026-H0000001", Comune: "C707", DebtorCF: "DLCMRA70C02H501X",
			DebtorName: "DE LUCA MARIO", Causale: "TARI 2026 Cinisello", AmountCents: q.AmountCents, Avviso: q.Avviso, State: payment.StateDue, Published: true}}
		return &payment.ScanResult{Kind: payment.ScanPagoPA, Avviso: q.Avviso, Amount: q.AmountCents, CFEnte: q.CFEnte, Position: v,
			Status: payment.StatusDue, Remote: true, ComuneName: "Comune di Cinisello Balsamo",
			Message: "Comune di Cinisello Balsamo: TARI 2026 Cinisello — da pagare. Si paga con pagoPA"}, nil
	}
	for _, v := range d.views {
		if v.Avviso == q.Avviso {
			c := *v
			return &payment.ScanResult{Kind: payment.ScanPagoPA, Avviso: q.Avviso, Amount: q.AmountCents, Position: &c, Status: c.Status(),
				Message: c.Causale + " — " + string(c.Status())}, nil
		}
	}
	return &payment.ScanResult{Kind: payment.ScanPagoPA, Avviso: q.Avviso, Status: payment.StatusUnknown, Message: "sconosciuto"}, nil
}

func (h *harness) scanField() *scanField {
	h.t.Helper()
	var found *scanField
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *scanField:
			found = x
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		}
	}
	for _, l := range h.layers() {
		walk(l)
	}
	if found == nil {
		h.t.Fatal("no scanner field on screen")
	}
	return found
}

// TestPayments: the citizen file lists the person's positions with their
// state and the double payment to refund with both receipts; the operator
// takes a payment by card and the receipt goes to the printer; the
// scanner field opens what a pagoPA QR code names.
func TestPayments(t *testing.T) {
	var desk *fakeDesk
	h := newHarness(t, func(d *Deps) {
		desk = newFakeDesk(newDirectory(t).byName("Rossi", "Mario"))
		d.Payments = desk
	})
	h.login()
	h.openByKeyboard("rossi mario", 1)
	h.waitFor("the positions", func() bool { return h.shows("TARI 2026 — € 238,50, scadenza 16/12/2026") })
	h.assertShows("Pagamenti", "da pagare", "3010 0000 0000 1234 68", "pagato due volte: da rimborsare",
		"Pagamento doppio da rimborsare — Refezione scolastica novembre: eccedenza € 84,50",
		"I690-W002-2026-R000004", "RT-I690-01000000000000245-1")
	h.c.file.scroll.ScrollToBottom()
	if err := os.MkdirAll("testdata", 0o755); err == nil {
		writePNG(t, filepath.Join("testdata", "payments_file.png"), h)
	}

	h.tap(h.button("Incassa"))
	h.waitFor("the payment dialog", func() bool { return h.shows("Incasso allo sportello") })
	h.assertShows("Importo: € 238,50", "Contanti", "Carta (POS)")
	if h.c.file.pay.dlg == nil {
		t.Fatal("no dialog")
	}
	selectCard(t, h)
	h.tap(h.button("Incassa"))
	h.waitFor("the receipt", func() bool { return h.shows("Pagamento registrato: ricevuta ANAG-01-2026-R000001 di € 238,50") })
	if len(desk.paid) != 1 || desk.paid[0] != payment.Card {
		t.Fatalf("payments taken: %v", desk.paid)
	}
	printed, _ := h.output.jobs()
	if len(printed) != 1 || printed[0].printer != printerDesk || !strings.Contains(printed[0].pdf, "ricevuta") {
		t.Fatalf("printed %+v", printed)
	}
	h.waitFor("the new state", func() bool { return h.shows("pagato allo sportello, in attesa dell'hub") })

	// The scanner types the QR code's text and Enter.
	s := h.scanField()
	h.w.Canvas().Focus(s)
	h.typeText("PAGOPA|002|301000000000024509|02253930156|8450")
	h.press(fyne.KeyReturn)
	h.waitFor("the scan result", func() bool { return h.shows("Pagamento letto da QR code pagoPA") })
	h.assertShows("Refezione scolastica novembre", "pagato due volte: da rimborsare", "€ 84,50")
	h.tap(h.button("Apri il fascicolo di ROSSI MARIO"))
	h.waitFor("the file", func() bool { return h.c.file.file != nil })

	h.w.Canvas().Focus(h.scanField())
	h.typeText("non è un codice")
	h.press(fyne.KeyReturn)
	h.waitFor("the refusal", func() bool { return h.shows("Codice non riconosciuto") })
}

func selectCard(t *testing.T, h *harness) {
	t.Helper()
	var walk func(o fyne.CanvasObject) bool
	walk = func(o fyne.CanvasObject) bool {
		switch x := o.(type) {
		case *fyne.Container:
			for _, c := range x.Objects {
				if walk(c) {
					return true
				}
			}
		case fyne.Widget:
			if rg, ok := x.(interface{ SetSelected(string) }); ok {
				rg.SetSelected("Carta (POS)")
				return true
			}
			for _, c := range test.WidgetRenderer(x).Objects() {
				if walk(c) {
					return true
				}
			}
		}
		return false
	}
	layers := h.layers()
	if !walk(layers[len(layers)-1]) {
		t.Fatal("no method choice in the dialog")
	}
}

// writePNG saves the screen for a person to look at, into SPORTELLO_SHOTS
// when it is set (the copies under testdata are the ones last looked at);
// a plain test run writes nothing into the tree.
func writePNG(t *testing.T, path string, h *harness) {
	t.Helper()
	dir := os.Getenv("SPORTELLO_SHOTS")
	if dir == "" {
		return
	}
	f, err := os.Create(filepath.Join(dir, filepath.Base(path)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, h.capture()); err != nil {
		t.Fatal(err)
	}
}
