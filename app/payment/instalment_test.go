package payment_test

import (
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/pagopa"
	"github.com/sportello/sportello/app/payment"
)

// tari is a TARI position of € 238,50 in two instalments of € 119,25.
func tari(t *testing.T) payment.Position {
	t.Helper()
	av := func(n int64) pagopa.CodiceAvviso {
		a, err := pagopa.NewAvviso(3, "01", n)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	p := payment.Position{ID: "I690-2026-H0000010", Comune: "I690", DebtorCF: "RSSMRA80A01F205X", DebtorName: "ROSSI MARIO",
		Service: payment.ServiceTARI, Causale: "TARI 2026", AmountCents: 23850, DueDate: app.Date(2026, 12, 16), Avviso: av(10),
		State: payment.StateDue, Published: true, Instalments: []payment.Instalment{
			{N: 1, Avviso: av(11), AmountCents: 11925, DueDate: app.Date(2026, 11, 16)},
			{N: 2, Avviso: av(12), AmountCents: 11925, DueDate: app.Date(2026, 12, 16)}}}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestApplyInstalments applies sequences of receipts as the hub does and
// checks the states of the position and its instalments, the double
// payments and the excess each opens for refund.
func TestApplyInstalments(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	rc := func(n int, cents int64) payment.Receipt {
		return payment.Receipt{Channel: payment.ChannelCounter, Method: payment.Cash, AmountCents: cents, At: now, Instalment: n}
	}
	type step struct {
		r      payment.Receipt
		dup    bool
		excess int64
	}
	for _, tc := range []struct {
		name   string
		steps  []step
		state  payment.State
		states []payment.State // of instalments 1 and 2
	}{
		{"FirstInstalment", []step{{rc(1, 11925), false, 0}}, payment.StateDue, []payment.State{payment.StatePaid, payment.StateDue}},
		{"BothInstalments", []step{{rc(1, 11925), false, 0}, {rc(2, 11925), false, 0}}, payment.StatePaid,
			[]payment.State{payment.StatePaid, payment.StatePaid}},
		{"RataUnica", []step{{rc(0, 23850), false, 0}}, payment.StatePaid, []payment.State{payment.StatePaid, payment.StatePaid}},
		{"InstalmentTwice", []step{{rc(1, 11925), false, 0}, {rc(1, 11925), true, 11925}}, payment.StateDuplicate,
			[]payment.State{payment.StateDuplicate, payment.StateDue}},
		{"RataUnicaOverAnInstalment", []step{{rc(1, 11925), false, 0}, {rc(0, 23850), true, 11925}}, payment.StateDuplicate,
			[]payment.State{payment.StateDuplicate, payment.StatePaid}},
		{"InstalmentAfterRataUnica", []step{{rc(0, 23850), false, 0}, {rc(2, 11925), true, 11925}}, payment.StateDuplicate,
			[]payment.State{payment.StatePaid, payment.StateDuplicate}},
		{"RataUnicaTwice", []step{{rc(0, 23850), false, 0}, {rc(0, 23850), true, 23850}}, payment.StateDuplicate,
			[]payment.State{payment.StatePaid, payment.StatePaid}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tari(t)
			for i, s := range tc.steps {
				s.r.Number = "R" + string(rune('1'+i))
				a, err := p.Apply(s.r, now)
				if err != nil {
					t.Fatal(err)
				}
				if a.Duplicate != s.dup || (a.Refund != nil) != s.dup {
					t.Fatalf("receipt %d: duplicate %v refund %+v, want %v", i+1, a.Duplicate, a.Refund, s.dup)
				}
				if s.dup {
					if a.Refund.ExcessCents != s.excess || a.Refund.ID != s.r.Number || len(a.Refund.Receipts) != i+1 || a.Refund.Instalment != s.r.Instalment {
						t.Fatalf("refund %+v, want excess %d", a.Refund, s.excess)
					}
					if a.Earlier != "R1" {
						t.Fatalf("earlier %q", a.Earlier)
					}
				}
			}
			if p.State != tc.state || p.Instalments[0].State != tc.states[0] || p.Instalments[1].State != tc.states[1] {
				t.Fatalf("state %s, instalments %s %s; want %s %v", p.State, p.Instalments[0].State, p.Instalments[1].State, tc.state, tc.states)
			}
			if err := p.Validate(); err != nil {
				t.Fatal(err)
			}
			// A position survives its record's JSON with the states.
			back, err := payment.DecodePosition(payment.EncodePosition(&p))
			if err != nil || back.Instalments[0].State != tc.states[0] || back.Receipts[len(back.Receipts)-1].Instalment != tc.steps[len(tc.steps)-1].r.Instalment {
				t.Fatalf("round trip: %+v %v", back, err)
			}
		})
	}

	t.Run("RefundSettlesTheDouble", func(t *testing.T) {
		p := tari(t)
		p.Apply(payment.Receipt{Number: "R1", AmountCents: 11925, At: now, Instalment: 1}, now)
		a, _ := p.Apply(payment.Receipt{Number: "R2", AmountCents: 23850, At: now}, now)
		if err := p.Refund(a.Refund.ID, a.Refund.ExcessCents); err != nil {
			t.Fatal(err)
		}
		if p.State != payment.StatePaid || p.Instalments[0].State != payment.StatePaid {
			t.Fatalf("after the refund: %s %s", p.State, p.Instalments[0].State)
		}
		if err := p.Refund("R2", 23850); app.ErrorCode(err) != app.EINVALID {
			t.Fatalf("refunding more than the receipt: %v", err)
		}
		// A third payment after the refund is a double payment again.
		b, _ := p.Apply(payment.Receipt{Number: "R3", AmountCents: 11925, At: now, Instalment: 2}, now)
		if !b.Duplicate || b.Refund.ExcessCents != 11925 || p.State != payment.StateDuplicate {
			t.Fatalf("third payment: %+v %s", b, p.State)
		}
	})
	t.Run("UnknownInstalment", func(t *testing.T) {
		p := tari(t)
		if _, err := p.Apply(payment.Receipt{Number: "R1", AmountCents: 100, At: now, Instalment: 3}, now); app.ErrorCode(err) != app.EINVALID {
			t.Fatalf("rata 3: %v", err)
		}
	})
}

// TestInstalmentStatus: what the counter shows and allows for a position
// with instalments, from the hub's record and the payments taken here.
func TestInstalmentStatus(t *testing.T) {
	local := func(n int) payment.Payment {
		return payment.Payment{Receipt: "W1-R" + string(rune('0'+n)), Instalment: n}
	}
	for _, tc := range []struct {
		name      string
		hub       []payment.State // the hub's states of instalments 1 and 2
		local     []payment.Payment
		status    payment.Status
		inst      []payment.Status
		payable   []bool // rata unica, 1, 2
		published bool
	}{
		{"Nothing", nil, nil, payment.StatusDue, []payment.Status{payment.StatusDue, payment.StatusDue}, []bool{true, true, true}, true},
		{"NotPublished", nil, nil, payment.StatusNotPayable, []payment.Status{payment.StatusNotPayable, payment.StatusNotPayable}, []bool{true, true, true}, false},
		{"FirstPaidHere", nil, []payment.Payment{local(1)}, payment.StatusPartial, []payment.Status{payment.StatusPaidHere, payment.StatusDue},
			[]bool{false, false, true}, true},
		{"BothPaidHere", nil, []payment.Payment{local(1), local(2)}, payment.StatusPaidHere,
			[]payment.Status{payment.StatusPaidHere, payment.StatusPaidHere}, []bool{false, false, false}, true},
		{"FirstPaidAtTheHub", []payment.State{payment.StatePaid, payment.StateDue}, nil, payment.StatusPartial,
			[]payment.Status{payment.StatusPaid, payment.StatusDue}, []bool{false, false, true}, true},
		{"RataUnicaHere", nil, []payment.Payment{local(0)}, payment.StatusPaidHere,
			[]payment.Status{payment.StatusPaidHere, payment.StatusPaidHere}, []bool{false, false, false}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tari(t)
			p.Published = tc.published
			for i, st := range tc.hub {
				p.Instalments[i].State = st
			}
			v := payment.View{Position: p, Local: tc.local}
			if st := v.Status(); st != tc.status {
				t.Errorf("status %q, want %q", st, tc.status)
			}
			for i, want := range tc.inst {
				if st := v.InstalmentStatus(i + 1); st != want {
					t.Errorf("rata %d: %q, want %q", i+1, st, want)
				}
			}
			for n, want := range tc.payable {
				if err := v.Payable(n); (err == nil) != want {
					t.Errorf("Payable(%d) = %v, want payable %v", n, err, want)
				}
			}
		})
	}
}
