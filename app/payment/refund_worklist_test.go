package payment

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
)

// refundsStore answers Refunds only; asking it for a debtor's refunds
// fails the test, since the worklist is the whole comune's.
type refundsStore struct {
	Store
	t    *testing.T
	list []Refund
	err  error
}

func (s refundsStore) Refunds(_ context.Context, debtorCF string) ([]Refund, error) {
	if debtorCF != "" {
		s.t.Errorf("Refunds(%q): the worklist reads every debtor's", debtorCF)
	}
	return s.list, s.err
}

func TestOpenRefunds(t *testing.T) {
	day := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	rf := func(id, cf string, state string, opened time.Time) Refund {
		return Refund{ID: id, DebtorCF: cf, State: state, OpenedAt: opened}
	}
	cases := []struct {
		name string
		list []Refund
		want []string
	}{
		{"Empty", nil, []string{}},
		{"OldestFirst", []Refund{rf("RT-3", "BNCNNA80A41F205X", RefundOpen, day.Add(2*time.Hour)),
			rf("RT-1", "RSSMRA80A01F205X", RefundOpen, day), rf("RT-2", "VRDLGU70B02F205X", RefundOpen, day.Add(time.Hour))},
			[]string{"RT-1", "RT-2", "RT-3"}},
		{"SameTimeById", []Refund{rf("RT-B", "A", RefundOpen, day), rf("RT-A", "B", RefundOpen, day)}, []string{"RT-A", "RT-B"}},
		{"DoneLeftOut", []Refund{rf("RT-1", "A", RefundDone, day), {ID: "RT-2", State: RefundDone, Unsent: true, OpenedAt: day},
			rf("RT-3", "B", RefundOpen, day.Add(time.Minute))}, []string{"RT-3"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := &Cashier{Store: refundsStore{t: t, list: tc.list}}
			got, err := c.OpenRefunds(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			ids := []string{}
			for _, r := range got {
				ids = append(ids, r.ID)
			}
			if !reflect.DeepEqual(ids, tc.want) {
				t.Errorf("open refunds %v, want %v", ids, tc.want)
			}
		})
	}
	t.Run("StoreError", func(t *testing.T) {
		boom := app.Errorf(app.EINVALID, "rimborso illeggibile")
		c := &Cashier{Store: refundsStore{t: t, err: boom}}
		if _, err := c.OpenRefunds(context.Background()); !errors.Is(err, boom) {
			t.Errorf("error %v, want %v", err, boom)
		}
	})
}
