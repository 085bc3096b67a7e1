package store

import (
	"context"
	"fmt"
	"sort"

	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/app/dashboard"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/app/queue"
)

var _ dashboard.Source = (*Store)(nil)

// Report is the supervisor's dashboard of the days from to to (Rome), from
// what this workstation holds: the certificates issued and the payments
// and closings taken here, the comune's requests and queue tickets as the
// hub last sent them (with the requests taken here not sent yet).
func (s *Store) Report(ctx context.Context, from, to string) (*dashboard.Report, error) {
	start, end, err := dashboard.Bounds(from, to)
	if err != nil {
		return nil, err
	}
	r := &dashboard.Report{From: from, To: to}
	if r.Certificates, err = s.certificatesByType(ctx, formatTime(start), formatTime(end)); err != nil {
		return nil, fmt.Errorf("dashboard certificates: %w", err)
	}
	if r.Requests, err = s.requestsByService(ctx, from, to); err != nil {
		return nil, fmt.Errorf("dashboard requests: %w", err)
	}
	if r.Payments, err = s.paymentsByMethod(ctx, from, to); err != nil {
		return nil, fmt.Errorf("dashboard payments: %w", err)
	}
	if r.Closings, err = s.closings(ctx, from, to); err != nil {
		return nil, fmt.Errorf("dashboard closings: %w", err)
	}
	if r.Queue, err = s.queueStats(ctx, from, to); err != nil {
		return nil, fmt.Errorf("dashboard queue: %w", err)
	}
	return r, nil
}

func (s *Store) certificatesByType(ctx context.Context, start, end string) ([]dashboard.CertificateRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT type, count(*), SUM(bollo_cents), SUM(diritti_cents) FROM certificates
		WHERE issued_at >= ? AND issued_at < ? GROUP BY type`, start, end)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []dashboard.CertificateRow
	for rows.Next() {
		var c dashboard.CertificateRow
		if err := rows.Scan(&c.Type, &c.Count, &c.BolloCents, &c.DirittiCents); err != nil {
			return nil, err
		}
		c.Title = c.Type
		if t, err := certificate.TypeBySlug(c.Type); err == nil {
			c.Title = t.Title
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Title < out[j].Title
	})
	return out, nil
}

// requestsByService counts the requests submitted in the period by
// service and by their status now: the hub's record where it came, the
// one taken here otherwise.
func (s *Store) requestsByService(ctx context.Context, from, to string) ([]dashboard.RequestRow, error) {
	all, err := s.requests(ctx, "")
	if err != nil {
		return nil, err
	}
	type key struct{ service, status string }
	counts := map[key]*dashboard.RequestRow{}
	for _, r := range all {
		if day := queue.Day(r.SubmittedAt); day < from || day > to {
			continue
		}
		k := key{r.Service, string(r.Status)}
		row := counts[k]
		if row == nil {
			row = &dashboard.RequestRow{Service: r.Service, ServiceTitle: r.ServiceTitle, Status: string(r.Status), StatusTitle: r.Status.Title()}
			if row.ServiceTitle == "" {
				row.ServiceTitle = r.Service
			}
			counts[k] = row
		}
		row.Count++
	}
	out := make([]dashboard.RequestRow, 0, len(counts))
	for _, r := range counts {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].ServiceTitle != out[j].ServiceTitle {
			return out[i].ServiceTitle < out[j].ServiceTitle
		}
		return out[i].Status < out[j].Status
	})
	return out, nil
}

func (s *Store) paymentsByMethod(ctx context.Context, from, to string) ([]dashboard.PaymentRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT method, COALESCE(json_extract(data, '$.service'), ''), count(*), SUM(amount) FROM payments
		WHERE day >= ? AND day <= ? GROUP BY 1, 2 ORDER BY 1, 2`, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []dashboard.PaymentRow
	for rows.Next() {
		var p dashboard.PaymentRow
		if err := rows.Scan(&p.Method, &p.Service, &p.Count, &p.AmountCents); err != nil {
			return nil, err
		}
		p.MethodName, p.ServiceName = payment.Method(p.Method).Name(), payment.Service(p.Service).Name()
		out = append(out, p)
	}
	return out, rows.Err()
}

func (s *Store) closings(ctx context.Context, from, to string) ([]dashboard.ClosingRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT data FROM cash_closings WHERE day >= ? AND day <= ? ORDER BY day, operator`, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []dashboard.ClosingRow
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		c, err := payment.DecodeClosing([]byte(data))
		if err != nil {
			return nil, err
		}
		out = append(out, dashboard.ClosingRow{Day: c.Day, Operator: c.Operator, OperatorName: c.OperatorName, Payments: len(c.Payments),
			TotalCents: c.TotalCents, BolloCents: c.BolloCents, DirittiCents: c.DirittiCents, ClosedAt: c.ClosedAt})
	}
	return out, rows.Err()
}

// queueStats are the waits of the comune's tickets the hub sent, by day,
// area and hour, computed as the hub computes them (queue.Stats).
func (s *Store) queueStats(ctx context.Context, from, to string) ([]queue.StatRow, error) {
	recs, err := s.Records(ctx, queue.KindTicket, "")
	if err != nil {
		return nil, err
	}
	var in []queue.Ticket
	for _, r := range recs {
		t, err := queue.DecodeTicket(r.Data)
		if err != nil {
			return nil, fmt.Errorf("ticket %s: %w", r.Key, err)
		}
		if d := queue.Day(t.IssuedAt); d >= from && d <= to {
			in = append(in, t)
		}
	}
	return queue.Stats(in), nil
}
