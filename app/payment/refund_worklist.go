package payment

import (
	"context"
	"sort"
)

// OpenRefunds is the comune's refund worklist: every double payment whose
// excess is still to be returned, of any debtor, oldest first (by when the
// hub opened it, then by id). A refund a supervisor marked done here is
// left out at once, while its fact waits for the hub.
func (s *Cashier) OpenRefunds(ctx context.Context) ([]Refund, error) {
	all, err := s.Store.Refunds(ctx, "")
	if err != nil {
		return nil, err
	}
	return openRefunds(all), nil
}

// openRefunds keeps the open refunds of list, oldest first.
func openRefunds(list []Refund) []Refund {
	out := make([]Refund, 0, len(list))
	for _, rf := range list {
		if rf.State == RefundOpen {
			out = append(out, rf)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].OpenedAt.Equal(out[j].OpenedAt) {
			return out[i].OpenedAt.Before(out[j].OpenedAt)
		}
		return out[i].ID < out[j].ID
	})
	return out
}
