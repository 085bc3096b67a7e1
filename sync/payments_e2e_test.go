package sync_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/pagopa"
	"github.com/sportello/sportello/app/payment"
)

// milanoPayee is the creditor of the tests: aux digit 3, segregation code
// 01, a postal account. 01199250158 is a codice fiscale with a valid check
// digit.
var milanoPayee = payment.Payee{Comune: "F205", Name: "Comune di Milano", CFEnte: "01199250158", Aux: 3, Code: "01",
	CBILL: "AB12C", PostalAccount: "1017918208", Office: "Servizi al cittadino"}

// cashier is the payments service of a workstation; the documents are
// laid out by printing in its own tests, here a stand-in records that a
// receipt was made for each payment.
func cashier(w *workstation, now func() time.Time) *payment.Cashier {
	doc := func(kind string) []byte { return []byte("%PDF " + kind) }
	return &payment.Cashier{
		Store:   w.St,
		Profile: w.St.Profile,
		Now:     now,
		Render: payment.Renderers{
			Notice: func(n *payment.NoticeFields) ([]byte, error) { return doc("avviso " + n.QR.String()), nil },
			Receipt: func(p *payment.Payment, _ *payment.View, _ *payment.Payee) ([]byte, error) {
				return doc("ricevuta " + p.Receipt), nil
			},
			Closing: func(c *payment.Closing, _ *payment.Payee) ([]byte, error) { return doc("chiusura " + c.Day), nil },
		},
	}
}

// milanoPayments is a hub with Milano's anagrafe and its creditor.
func milanoPayments(t *testing.T) (*testHub, []app.Citizen) {
	t.Helper()
	h := newHub(t)
	people := milano()
	h.replace("F205", people)
	if err := h.DB.PutPayee(context.Background(), &milanoPayee); err != nil {
		t.Fatal(err)
	}
	return h, people
}

func round(t *testing.T, ws ...*workstation) {
	t.Helper()
	for _, w := range ws {
		if err := w.C.Round(context.Background()); err != nil {
			t.Fatalf("round of %s: %v", w.Profile.Device, err)
		}
	}
}

func view(t *testing.T, w *workstation, id string) *payment.View {
	t.Helper()
	v, err := w.St.Position(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestPaymentsThroughTheHub takes payments at two workstations of Milano
// through the real hub: a position paid at both while they could not
// reach it is detected as a double payment when the second applies, both
// payments are kept and a refund with both receipts reaches the counters;
// the same for a counter payment and one from the pagoPA node; a payment
// whose answer was lost is applied once; positions numbered offline from
// the workstation's block become payable once the hub has them; a closed
// day's totals are those of its receipts, and no payment is taken for it
// afterwards, here or at the hub.
func TestPaymentsThroughTheHub(t *testing.T) {
	ctx := context.Background()
	h, people := milanoPayments(t)
	mario, giulia := people[0], people[4]
	newPos := func(cf app.Citizen, causale string, cents int64) *payment.Position {
		t.Helper()
		p, err := h.DB.CreatePosition(ctx, payment.Position{Comune: "F205", DebtorCF: cf.CodiceFiscale, DebtorName: cf.Surname + " " + cf.GivenName,
			Service: payment.ServiceTARI, Causale: causale, AmountCents: cents, DueDate: app.Date(2026, 12, 31)})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	tari := newPos(mario, "TARI 2026 rata unica", 12000)
	canteen := newPos(giulia, "Refezione scolastica ottobre", 8450)
	third := newPos(giulia, "TARI 2025 conguaglio", 3000)
	if _, err := pagopa.ParseAvviso(string(tari.Avviso)); err != nil || tari.Avviso.Aux() != 3 || tari.Avviso.Code() != "01" {
		t.Fatalf("hub's avviso %s: %v", tari.Avviso, err)
	}

	var clock atomic.Int64
	clock.Store(time.Date(2026, 11, 23, 9, 30, 0, 0, app.Rome).Unix())
	now := func() time.Time { return time.Unix(clock.Load(), 0) }
	w1, w2 := h.synced("F205"), h.synced("F205")
	c1, c2 := cashier(w1, now), cashier(w2, now)
	op1 := &app.Operator{Username: "mrossi", Name: "Maria Rossi"}
	op2 := &app.Operator{Username: "lverdi", Name: "Luca Verdi"}
	signer(t, h, w1, op1.Username) // a day's closing carries the operator's proof

	t.Run("DoublePaymentAtTwoOfflineCounters", func(t *testing.T) {
		if st := view(t, w1, tari.ID).Status(); st != payment.StatusDue {
			t.Fatalf("before: %s", st)
		}
		h.Stop()
		p1, pdf1, err := c1.Pay(ctx, op1, tari.ID, payment.Cash)
		if err != nil {
			t.Fatal(err)
		}
		clock.Add(600)
		p2, _, err := c2.Pay(ctx, op2, tari.ID, payment.Card)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(pdf1), p1.Receipt) || p1.AmountCents != 12000 || p2.Method != payment.Card {
			t.Fatalf("payments %+v %+v", p1, p2)
		}
		// Each counter refuses a second payment of what it took itself.
		if _, _, err := c1.Pay(ctx, op1, tari.ID, payment.Cash); app.ErrorCode(err) != app.EINVALID {
			t.Fatalf("second payment at the same counter: %v", err)
		}
		if st := view(t, w1, tari.ID).Status(); st != payment.StatusPaidHere {
			t.Fatalf("offline status: %s", st)
		}
		h.Start()
		round(t, w1, w2)
		round(t, w1) // the position as the second payment left it

		pays, err := h.DB.PositionPayments(ctx, "F205", tari.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(pays) != 2 || pays[0].Receipt != p1.Receipt || pays[1].Receipt != p2.Receipt || pays[1].DuplicateOf != p1.Receipt {
			t.Fatalf("hub payments = %+v", pays)
		}
		refunds, err := h.DB.Refunds(ctx, "F205")
		if err != nil {
			t.Fatal(err)
		}
		if len(refunds) != 1 || refunds[0].ID != p2.Receipt || len(refunds[0].Receipts) != 2 || refunds[0].ExcessCents != 12000 {
			t.Fatalf("refunds = %+v", refunds)
		}
		for _, w := range []*workstation{w1, w2} {
			v := view(t, w, tari.ID)
			if v.State != payment.StateDuplicate || v.Status() != payment.StatusDuplicate || len(v.Receipts) != 2 {
				t.Errorf("%s sees %s with %d receipts", w.Profile.Device, v.State, len(v.Receipts))
			}
			// The operator who serves Mario sees the refund in his file.
			rs, err := w.St.Refunds(ctx, mario.CodiceFiscale)
			if err != nil || len(rs) != 1 || rs[0].Receipts[0].Number != p1.Receipt || rs[0].Receipts[1].Number != p2.Receipt {
				t.Errorf("%s refunds of Mario: %+v %v", w.Profile.Device, rs, err)
			}
		}
		local := view(t, w2, tari.ID).Local
		if len(local) != 1 || !local[0].Duplicate || local[0].Refund != p2.Receipt {
			t.Errorf("the second counter's payment: %+v", local)
		}
		if l := view(t, w1, tari.ID).Local; len(l) != 1 || l[0].Duplicate {
			t.Errorf("the first counter's payment: %+v", l)
		}
	})

	t.Run("CounterThenOnline", func(t *testing.T) {
		p, _, err := c1.Pay(ctx, op1, canteen.ID, payment.Cash)
		if err != nil {
			t.Fatal(err)
		}
		round(t, w1)
		if st := view(t, w1, canteen.ID).Status(); st != payment.StatusPaid {
			t.Fatalf("after sync: %s", st)
		}
		online, err := h.DB.RecordOnlinePayment(ctx, canteen.Avviso, 8450, now())
		if err != nil {
			t.Fatal(err)
		}
		if !online.Answer.Duplicate {
			t.Fatalf("online payment of a paid position not detected: %+v", online)
		}
		round(t, w1)
		rs, err := w1.St.Refunds(ctx, giulia.CodiceFiscale)
		if err != nil || len(rs) != 1 || rs[0].Receipts[0].Number != p.Receipt || rs[0].Receipts[1].Channel != payment.ChannelPagoPA {
			t.Fatalf("refunds of Giulia: %+v %v", rs, err)
		}
		// The scanner, reading the notice's QR, says so.
		q := pagopa.QR{Avviso: canteen.Avviso, CFEnte: milanoPayee.CFEnte, AmountCents: 8450}
		res, err := c1.Scan(ctx, q.String())
		if err != nil || res.Status != payment.StatusDuplicate || res.Position.ID != canteen.ID {
			t.Fatalf("scan: %+v %v", res, err)
		}
	})

	t.Run("AnswerLostAppliedOnce", func(t *testing.T) {
		var dropped atomic.Bool
		h.SetFault(func(rw http.ResponseWriter, r *http.Request, next http.Handler) bool {
			if r.URL.Path == "/v1/ops" && !dropped.Load() {
				dropped.Store(true)
				next.ServeHTTP(httpDiscard{}, r) // the hub applies it; the answer never arrives
				dropConnection(t, rw)
				return true
			}
			return false
		})
		p, _, err := c2.Pay(ctx, op2, third.ID, payment.Card)
		if err != nil {
			t.Fatal(err)
		}
		// The client sends the operation again (its own retry, or the next
		// round): the hub answers with what it stored the first time.
		_ = w2.C.Round(ctx)
		h.SetFault(nil)
		round(t, w2)
		if !dropped.Load() {
			t.Fatal("no answer was lost")
		}
		pays, err := h.DB.PositionPayments(ctx, "F205", third.ID)
		if err != nil || len(pays) != 1 || pays[0].Receipt != p.Receipt {
			t.Fatalf("hub payments after the retry: %+v %v", pays, err)
		}
		if v := view(t, w2, third.ID); v.State != payment.StatePaid {
			t.Fatalf("state %s", v.State)
		}
	})

	t.Run("OfflineNoticeFromTheBlock", func(t *testing.T) {
		if _, _, err := c1.NewPosition(ctx, op1, payment.Position{DebtorCF: mario.CodiceFiscale, DebtorName: "ROSSI MARIO",
			Service: payment.ServiceCertificate, Causale: "Diritti di segreteria", AmountCents: 52, DueDate: app.Date(2026, 12, 1)}); app.ErrorCode(err) != app.EOFFLINE {
			t.Fatalf("without a block: %v", err)
		}
		if err := c1.EnsureBlock(ctx); err != nil {
			t.Fatal(err)
		}
		round(t, w1)
		if left, err := w1.St.IUVLeft(ctx); err != nil || left != 1000 {
			t.Fatalf("IUVs left %d %v", left, err)
		}
		h.Stop()
		v, pdf, err := c1.NewPosition(ctx, op1, payment.Position{DebtorCF: mario.CodiceFiscale, DebtorName: "ROSSI MARIO",
			Service: payment.ServiceCertificate, Causale: "Diritti di segreteria", AmountCents: 52, DueDate: app.Date(2026, 12, 1)})
		if err != nil {
			t.Fatal(err)
		}
		if v.Status() != payment.StatusNotPayable || !strings.Contains(string(pdf), string(v.Avviso)) {
			t.Fatalf("offline position: %s %s", v.Status(), pdf)
		}
		if list, _ := w1.St.Positions(ctx, mario.CodiceFiscale); len(list) != 2 {
			t.Fatalf("Mario's positions offline: %d", len(list))
		}
		h.Start()
		round(t, w1, w2)
		for _, w := range []*workstation{w1, w2} {
			got := view(t, w, v.ID)
			if !got.Published || got.Unsent || got.Status() != payment.StatusDue || got.Avviso != v.Avviso {
				t.Errorf("%s: %+v", w.Profile.Device, got)
			}
		}
		// Two workstations never number the same avviso.
		if err := c2.EnsureBlock(ctx); err != nil {
			t.Fatal(err)
		}
		round(t, w2)
		v2, _, err := c2.NewPosition(ctx, op2, payment.Position{DebtorCF: giulia.CodiceFiscale, DebtorName: "CANTU GIULIA",
			Service: payment.ServiceRequest, Causale: "Diritti di istruttoria", AmountCents: 1000, DueDate: app.Date(2026, 12, 1)})
		if err != nil || v2.Avviso == v.Avviso {
			t.Fatalf("second workstation's avviso %s (first %s): %v", v2.Avviso, v.Avviso, err)
		}
	})

	t.Run("CashClosing", func(t *testing.T) {
		day := payment.DayOf(now())
		list, err := w1.St.DayPayments(ctx, op1.Username, day)
		if err != nil || len(list) != 2 {
			t.Fatalf("day payments %d %v", len(list), err)
		}
		var sum int64
		for _, p := range list {
			sum += p.AmountCents
		}
		c, pdf, err := c1.Close(ctx, op1, day)
		if err != nil {
			t.Fatal(err)
		}
		if c.TotalCents != sum || sum != 12000+8450 || len(pdf) == 0 {
			t.Fatalf("closing total %d, receipts %d", c.TotalCents, sum)
		}
		var byMethod int64
		for _, m := range c.ByMethod {
			byMethod += m.Cents
		}
		if byMethod != sum || len(c.ByMethod) != 1 || c.ByMethod[0].Key != string(payment.Cash) {
			t.Fatalf("by method %+v", c.ByMethod)
		}
		if _, _, err := c1.Close(ctx, op1, day); app.ErrorCode(err) != app.ECONFLICT {
			t.Fatalf("closing twice: %v", err)
		}
		// A closed day takes no payment at the workstation…
		extra := newPos(mario, "TARI 2024 accertamento", 5000)
		round(t, w1)
		if _, _, err := c1.Pay(ctx, op1, extra.ID, payment.Cash); app.ErrorCode(err) != app.ECONFLICT {
			t.Fatalf("payment on a closed day: %v", err)
		}
		round(t, w1)
		closed, total, hubTotal, err := h.DB.ClosedDay(ctx, w1.Profile.Device, op1.Username, day)
		if err != nil || !closed || total != sum || hubTotal != sum {
			t.Fatalf("hub's closing: %v %d %d %v", closed, total, hubTotal, err)
		}
		// …nor at the hub: a payment fact for the closed day is refused and
		// parked with the reason, for a person to see.
		forged := payment.Payment{Receipt: w1.Profile.Device + "-2026-R999999", PositionID: extra.ID, Avviso: extra.Avviso,
			AmountCents: 5000, Method: payment.Cash, Operator: op1.Username, Device: w1.Profile.Device, At: now(), Day: day,
			Service: payment.ServiceTARI, Causale: extra.Causale, DebtorCF: mario.CodiceFiscale, DebtorName: "ROSSI MARIO"}
		if err := w1.St.AppendFact(ctx, payment.FactPayment, payment.EncodePayment(&forged), now(), nil); err != nil {
			t.Fatal(err)
		}
		if err := w1.C.Round(ctx); err != nil && app.ErrorCode(err) != app.ECONFLICT {
			t.Fatal(err)
		}
		parked, err := w1.St.ParkedOps(ctx)
		if err != nil || len(parked) != 1 || !strings.Contains(parked[0].Reason, "chiusa") {
			t.Fatalf("parked: %+v %v", parked, err)
		}
		if pays, _ := h.DB.PositionPayments(ctx, "F205", extra.ID); len(pays) != 0 {
			t.Fatalf("the hub took a payment for a closed day: %+v", pays)
		}
	})
}

// httpDiscard is a ResponseWriter that throws the answer away.
type httpDiscard struct{}

func (httpDiscard) Header() http.Header         { return http.Header{} }
func (httpDiscard) Write(b []byte) (int, error) { return len(b), nil }
func (httpDiscard) WriteHeader(int)             {}
