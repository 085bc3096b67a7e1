package sync_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/pagopa"
	"github.com/sportello/sportello/app/payment"
)

// romaPayee is Roma Capitale, with the same aux digit and segregation
// code as Milano in these tests: the two comuni number the same codici
// avviso, told apart by the creditor's codice fiscale.
var romaPayee = payment.Payee{Comune: "H501", Name: "Roma Capitale", CFEnte: "02438750586", Aux: 3, Code: "01", Office: "Tributi"}

// TestInstalmentsRefundsAndTheNetwork, through the real hub: the
// instalments of a position paid one by one at the counter and through the
// node, an instalment paid at two offline counters detected as a double
// payment with its refund; the refund marked done by a supervisor (and
// refused for an operator) reaching every workstation; and the scanner
// finding a position of another comune of the network at the hub, or
// saying it needs the network.
func TestInstalmentsRefundsAndTheNetwork(t *testing.T) {
	ctx := context.Background()
	h := newHub(t)
	people := milano()
	h.replace("F205", people)
	h.replace("H501", roma())
	for _, py := range []payment.Payee{milanoPayee, romaPayee} {
		if err := h.DB.PutPayee(ctx, &py); err != nil {
			t.Fatal(err)
		}
	}
	supervisor := &app.Operator{Username: "sbianchi", Name: "Sara Bianchi", Comune: "F205", Roles: []app.Role{app.RoleOperator, app.RoleSupervisor}}
	clerk := &app.Operator{Username: "mrossi", Name: "Maria Rossi", Comune: "F205", Roles: []app.Role{app.RoleOperator}}
	for _, op := range []*app.Operator{supervisor, clerk} {
		o := *op
		o.PasswordHash, o.Active = mustHash(t, cheapHash, "Segreto-1"), true
		mustPutOperator(t, h, withKey(t, o, "Segreto-1"))
	}
	mario, giulia := people[0], people[4]
	inTwo := func(who app.Citizen, causale string) *payment.Position {
		t.Helper()
		p, err := h.DB.CreatePosition(ctx, payment.Position{Comune: "F205", DebtorCF: who.CodiceFiscale, DebtorName: who.Surname + " " + who.GivenName,
			Service: payment.ServiceTARI, Causale: causale, AmountCents: 23850, DueDate: app.Date(2026, 12, 16),
			Instalments: []payment.Instalment{{N: 1, AmountCents: 11925, DueDate: app.Date(2026, 11, 16)}, {N: 2, AmountCents: 11925, DueDate: app.Date(2026, 12, 16)}}})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	tari := inTwo(mario, "TARI 2026")
	tari2 := inTwo(giulia, "TARI 2026")
	for _, in := range tari.Instalments {
		if in.Avviso == "" || in.Avviso == tari.Avviso || in.State != "" && in.State != payment.StateDue {
			t.Fatalf("instalment as the hub numbered it: %+v", in)
		}
	}

	var clock atomic.Int64
	clock.Store(time.Date(2026, 11, 23, 9, 30, 0, 0, app.Rome).Unix())
	now := func() time.Time { return time.Unix(clock.Load(), 0) }
	w1, w2 := h.synced("F205"), h.synced("F205")
	loginAs(t, w2, supervisor.Username, "Segreto-1") // the refund paid out carries the supervisor's proof
	c1, c2 := cashier(w1, now), cashier(w2, now)
	c1.Network, c2.Network = w1.C.Network(), w2.C.Network()
	var p1, p2 *payment.Payment

	t.Run("InstalmentsOneByOne", func(t *testing.T) {
		p, _, err := c1.PayInstalment(ctx, clerk, tari.ID, 1, payment.Cash)
		if err != nil {
			t.Fatal(err)
		}
		if p.Instalment != 1 || p.AmountCents != 11925 || p.Avviso != tari.Instalments[0].Avviso || !strings.Contains(p.Causale, "rata 1 di 2") {
			t.Fatalf("payment of rata 1: %+v", p)
		}
		v := view(t, w1, tari.ID)
		if v.Status() != payment.StatusPartial || v.InstalmentStatus(1) != payment.StatusPaidHere || v.InstalmentStatus(2) != payment.StatusDue {
			t.Fatalf("before sync: %s, rate %s %s", v.Status(), v.InstalmentStatus(1), v.InstalmentStatus(2))
		}
		for _, n := range []int{0, 1} {
			if _, _, err := c1.PayInstalment(ctx, clerk, tari.ID, n, payment.Card); app.ErrorCode(err) != app.EINVALID {
				t.Errorf("rata %d after rata 1: %v", n, err)
			}
		}
		round(t, w1, w2)
		for _, w := range []*workstation{w1, w2} {
			v := view(t, w, tari.ID)
			if v.State != payment.StateDue || v.Instalments[0].State != payment.StatePaid || v.Instalments[1].State != payment.StateDue ||
				v.Status() != payment.StatusPartial || v.InstalmentStatus(1) != payment.StatusPaid {
				t.Errorf("%s after sync: %s %+v", w.Profile.Device, v.Status(), v.Instalments)
			}
		}
		// The notice of rata 2 alone: its own codice avviso and amount.
		n, pdf, err := c1.InstalmentNotice(ctx, clerk, tari.ID, 2)
		if err != nil {
			t.Fatal(err)
		}
		want := pagopa.QR{Avviso: tari.Instalments[1].Avviso, CFEnte: milanoPayee.CFEnte, AmountCents: 11925}
		if n.QR != want || !strings.Contains(string(pdf), want.String()) || !n.DueDate().Equal(app.Date(2026, 12, 16)) {
			t.Fatalf("notice of rata 2: %+v", n.QR)
		}
		if _, _, err := c1.InstalmentNotice(ctx, clerk, tari.ID, 3); app.ErrorCode(err) != app.EINVALID {
			t.Fatalf("notice of rata 3: %v", err)
		}
	})

	t.Run("InstalmentThroughTheNode", func(t *testing.T) {
		online, err := h.DB.RecordOnlinePayment(ctx, tari2.Instalments[1].Avviso, 11925, now())
		if err != nil || online.Instalment != 2 || online.Answer.Duplicate {
			t.Fatalf("online payment of rata 2: %+v %v", online, err)
		}
		round(t, w1)
		v := view(t, w1, tari2.ID)
		if v.InstalmentStatus(2) != payment.StatusPaid || v.InstalmentStatus(1) != payment.StatusDue || v.Status() != payment.StatusPartial {
			t.Fatalf("after the node's payment: %s %+v", v.Status(), v.Instalments)
		}
		// The scanner reads rata 2's QR code: that instalment, paid.
		q := pagopa.QR{Avviso: tari2.Instalments[1].Avviso, CFEnte: milanoPayee.CFEnte, AmountCents: 11925}
		res, err := c1.Scan(ctx, q.String())
		if err != nil || res.Position == nil || res.Position.ID != tari2.ID || res.Instalment != 2 || res.Status != payment.StatusPaid || res.Remote {
			t.Fatalf("scan of rata 2: %+v %v", res, err)
		}
		// Rata 1 is paid at the counter; the position is paid.
		if _, _, err := c1.PayInstalment(ctx, clerk, tari2.ID, 1, payment.Card); err != nil {
			t.Fatal(err)
		}
		round(t, w1)
		if v := view(t, w1, tari2.ID); v.State != payment.StatePaid || v.Status() != payment.StatusPaid {
			t.Fatalf("both rate paid: %s", v.State)
		}
	})

	t.Run("InstalmentPaidTwiceOffline", func(t *testing.T) {
		h.Stop()
		var err error
		if p1, _, err = c1.PayInstalment(ctx, clerk, tari.ID, 2, payment.Cash); err != nil {
			t.Fatal(err)
		}
		clock.Add(300)
		if p2, _, err = c2.PayInstalment(ctx, supervisor, tari.ID, 2, payment.Card); err != nil {
			t.Fatal(err)
		}
		h.Start()
		round(t, w1, w2, w1)
		pays, err := h.DB.PositionPayments(ctx, "F205", tari.ID)
		if err != nil || len(pays) != 3 || pays[2].Receipt != p2.Receipt || pays[2].DuplicateOf != p1.Receipt {
			t.Fatalf("hub payments: %+v %v", pays, err)
		}
		for _, w := range []*workstation{w1, w2} {
			v := view(t, w, tari.ID)
			if v.State != payment.StateDuplicate || v.InstalmentStatus(2) != payment.StatusDuplicate || v.InstalmentStatus(1) != payment.StatusPaid {
				t.Errorf("%s: %s %+v", w.Profile.Device, v.State, v.Instalments)
			}
			rs, err := w.St.Refunds(ctx, mario.CodiceFiscale)
			if err != nil || len(rs) != 1 || rs[0].ID != p2.Receipt || rs[0].ExcessCents != 11925 || rs[0].Instalment != 2 ||
				len(rs[0].Receipts) != 3 || rs[0].State != payment.RefundOpen {
				t.Errorf("%s refunds of Mario: %+v %v", w.Profile.Device, rs, err)
			}
		}
		if l := view(t, w2, tari.ID).Local; len(l) != 1 || !l[0].Duplicate || l[0].Refund != p2.Receipt {
			t.Errorf("the second counter's payment: %+v", l)
		}
	})

	t.Run("RefundDone", func(t *testing.T) {
		if p2 == nil {
			t.Fatal("the double payment the refund is for was not taken (see the subtest before)")
		}
		on := app.Date(2026, 11, 23)
		if _, err := c1.CompleteRefund(ctx, clerk, p2.Receipt, payment.RefundTransfer, on, "CRO 1"); app.ErrorCode(err) != app.EFORBIDDEN {
			t.Fatalf("an operator marks a refund done: %v", err)
		}
		// A fact of an operator who is not a supervisor (an older client,
		// a role removed meanwhile), without the operator's proof, is
		// refused at the hub and parked.
		forged := payment.Repayment{Refund: p2.Receipt, Comune: "F205", Method: payment.RefundCash, On: on, Operator: clerk.Username,
			Device: w1.Profile.Device, At: now()}
		if err := w1.St.AppendFact(ctx, payment.FactRefundDone, payment.EncodeRepayment(&forged), now(), nil); err != nil {
			t.Fatal(err)
		}
		if err := w1.C.Round(ctx); err != nil && app.ErrorCode(err) != app.EFORBIDDEN {
			t.Fatal(err)
		}
		parked, err := w1.St.ParkedOps(ctx)
		if err != nil || len(parked) != 1 || !strings.Contains(parked[0].Reason, "senza la prova dell'operatore mrossi") {
			t.Fatalf("parked: %+v %v", parked, err)
		}
		if rs, _ := w1.St.Refunds(ctx, mario.CodiceFiscale); len(rs) != 1 || rs[0].State != payment.RefundOpen {
			t.Fatalf("a refused repayment shows: %+v", rs)
		}

		h.Stop() // the supervisor works offline: the refund shows done, waiting for the hub
		r, err := c2.CompleteRefund(ctx, supervisor, p2.Receipt, payment.RefundTransfer, on, "CRO 0123456789")
		if err != nil {
			t.Fatal(err)
		}
		rs, err := w2.St.Refunds(ctx, mario.CodiceFiscale)
		if err != nil || rs[0].State != payment.RefundDone || !rs[0].Unsent || rs[0].Done.Note != "CRO 0123456789" {
			t.Fatalf("offline: %+v %v", rs, err)
		}
		if _, err := c2.CompleteRefund(ctx, supervisor, p2.Receipt, payment.RefundCash, on, ""); app.ErrorCode(err) != app.ECONFLICT {
			t.Fatalf("marked twice: %v", err)
		}
		h.Start()
		round(t, w2, w1)
		hubRefunds, err := h.DB.Refunds(ctx, "F205")
		if err != nil || len(hubRefunds) != 1 || hubRefunds[0].State != payment.RefundDone || hubRefunds[0].Done.Operator != supervisor.Username ||
			hubRefunds[0].Done.Method != payment.RefundTransfer || !hubRefunds[0].Done.On.Equal(on) {
			t.Fatalf("hub's refund: %+v %v", hubRefunds, err)
		}
		for _, w := range []*workstation{w1, w2} {
			rs, err := w.St.Refunds(ctx, mario.CodiceFiscale)
			if err != nil || len(rs) != 1 || rs[0].State != payment.RefundDone || rs[0].Unsent || rs[0].Done == nil || rs[0].Done.Note != r.Note {
				t.Errorf("%s sees the refund: %+v %v", w.Profile.Device, rs, err)
			}
			// The excess returned, the position is paid, once.
			if v := view(t, w, tari.ID); v.State != payment.StatePaid || v.Status() != payment.StatusPaid || v.InstalmentStatus(2) != payment.StatusPaid {
				t.Errorf("%s position after the refund: %s %+v", w.Profile.Device, v.State, v.Instalments)
			}
		}
		if _, err := h.DB.CompleteRefund(ctx, payment.Repayment{Refund: p2.Receipt, Comune: "F205", Method: payment.RefundCash, On: on}); app.ErrorCode(err) != app.ECONFLICT {
			t.Fatalf("done twice at the hub: %v", err)
		}
		if _, err := h.DB.CompleteRefund(ctx, payment.Repayment{Refund: "nessuno", Comune: "F205", Method: payment.RefundCash, On: on}); app.ErrorCode(err) != app.ENOTFOUND {
			t.Fatalf("unknown refund: %v", err)
		}
	})

	t.Run("ScannerFindsAnotherComune", func(t *testing.T) {
		deluca := roma()[0]
		var roman []*payment.Position
		for i := range 8 { // Roma numbers from 1 like Milano: the first avvisi are the same codes
			p, err := h.DB.CreatePosition(ctx, payment.Position{Comune: "H501", DebtorCF: deluca.CodiceFiscale, DebtorName: "DE LUCA MARIO",
				Service: payment.ServiceTARI, Causale: "TARI 2026 Roma n. " + string(rune('1'+i)), AmountCents: 31000, DueDate: app.Date(2026, 12, 31)})
			if err != nil {
				t.Fatalf("Roma's position %d (same avviso as Milano's): %v", i+1, err)
			}
			roman = append(roman, p)
		}
		if roman[0].Avviso != tari.Avviso {
			t.Fatalf("Roma's first avviso %s, Milano's %s: not the same code", roman[0].Avviso, tari.Avviso)
		}
		q := pagopa.QR{Avviso: roman[0].Avviso, CFEnte: romaPayee.CFEnte, AmountCents: 31000}
		res, err := c1.Scan(ctx, q.String())
		if err != nil || !res.Remote || res.Position == nil || res.Position.ID != roman[0].ID || res.ComuneName != "Roma Capitale" ||
			res.Status != payment.StatusDue || !strings.Contains(res.Message, "Roma Capitale") {
			t.Fatalf("scan of Roma's QR: %+v %v", res, err)
		}
		// A typed codice avviso names no creditor: not Milano's, so the
		// hub is asked.
		last := roman[len(roman)-1]
		res, err = c1.Scan(ctx, last.Avviso.Grouped())
		if err != nil || !res.Remote || res.Position.ID != last.ID {
			t.Fatalf("scan of Roma's typed avviso: %+v %v", res, err)
		}
		// The node's payment of a code two comuni share needs the creditor.
		if _, err := h.DB.RecordOnlinePayment(ctx, roman[0].Avviso, 31000, now()); app.ErrorCode(err) != app.EINVALID {
			t.Fatalf("ambiguous avviso: %v", err)
		}
		if op, err := h.DB.RecordOnlinePaymentTo(ctx, romaPayee.CFEnte, roman[0].Avviso, 31000, now()); err != nil || op.Position.Comune != "H501" {
			t.Fatalf("Roma's payment: %+v %v", op, err)
		}
		if res, err := c1.Scan(ctx, q.String()); err != nil || res.Status != payment.StatusPaid {
			t.Fatalf("Roma's position once paid: %+v %v", res, err)
		}
		// A creditor outside the network, and no network at all.
		other := pagopa.QR{Avviso: roman[0].Avviso, AmountCents: 100}
		for d := '0'; d <= '9'; d++ {
			if pagopa.ValidCFEnte("8001234567" + string(d)) {
				other.CFEnte = "8001234567" + string(d)
			}
		}
		if res, err := c1.Scan(ctx, other.String()); err != nil || res.Remote || res.Position != nil || !strings.Contains(res.Message, "non è un comune della rete") {
			t.Fatalf("another creditor: %+v %v", res, err)
		}
		h.Stop()
		res, err = c1.Scan(ctx, q.String())
		h.Start()
		if err != nil || res.Status != payment.StatusOffline || res.Position != nil || !strings.Contains(res.Message, "serve il collegamento") {
			t.Fatalf("offline: %+v %v", res, err)
		}
	})
}
