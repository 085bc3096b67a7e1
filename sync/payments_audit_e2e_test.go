package sync_test

import (
	"context"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/payment"
)

// TestPaymentPrintsAudited: a pagoPA notice and a receipt name their
// debtor, so each print and reprint is an audit event of the workstation,
// sent to the hub and listed in the access export of the debtor with
// action, operator, device and time: a notice printed twice is two events.
func TestPaymentPrintsAudited(t *testing.T) {
	ctx := context.Background()
	h, people := milanoPayments(t)
	mario := people[0]
	pos, err := h.DB.CreatePosition(ctx, payment.Position{Comune: "F205", DebtorCF: mario.CodiceFiscale, DebtorName: mario.Surname + " " + mario.GivenName,
		Service: payment.ServiceTARI, Causale: "TARI 2026", AmountCents: 12000, DueDate: app.Date(2026, 12, 31)})
	if err != nil {
		t.Fatal(err)
	}
	w := h.synced("F205")
	c := cashier(w, time.Now)
	clerk := &app.Operator{Username: "mrossi", Name: "Maria Rossi"}
	accesses := func(action string) []app.Access {
		t.Helper()
		list, err := h.DB.Accesses(ctx, "F205", mario.CodiceFiscale)
		if err != nil {
			t.Fatal(err)
		}
		var out []app.Access
		for _, a := range list {
			if a.Action == action {
				out = append(out, a)
			}
		}
		return out
	}

	for range 2 {
		if _, _, err := c.Notice(ctx, clerk, pos.ID); err != nil {
			t.Fatal(err)
		}
	}
	p, _, err := c.Pay(ctx, clerk, pos.ID, payment.Cash)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Receipt(ctx, clerk, p.Receipt); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Receipt(ctx, nil, p.Receipt); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Errorf("a receipt without an operator: %v, want EUNAUTHORIZED", err)
	}
	round(t, w)

	notices := accesses(payment.AuditNotice)
	if len(notices) != 2 {
		t.Fatalf("notice printed twice: %d events at the hub, want 2: %+v", len(notices), notices)
	}
	for _, a := range notices {
		if a.Operator != "mrossi" || a.Device != w.Profile.Device || a.At.IsZero() || a.Subject != mario.CodiceFiscale+" "+string(pos.Avviso) {
			t.Errorf("notice's event %+v", a)
		}
	}
	receipts := accesses(payment.AuditReceipt)
	if len(receipts) != 2 { // printed with the payment, then again
		t.Fatalf("receipt printed and reprinted: %d events at the hub, want 2: %+v", len(receipts), receipts)
	}
	for _, a := range receipts {
		if a.Operator != "mrossi" || a.Device != w.Profile.Device || a.Subject != mario.CodiceFiscale+" "+p.Receipt {
			t.Errorf("receipt's event %+v", a)
		}
	}
}
