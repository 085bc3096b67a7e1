package kiosk

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/app/queue"
	"github.com/sportello/sportello/app/request"
)

// Cache is what the self-service reads from the kiosk's local cache, so
// that it works offline; the workstation's store implements it.
type Cache interface {
	Directory
	Attempts
	KioskPolicy(ctx context.Context) (Policy, error)
	Appointments(ctx context.Context, codiceFiscale string) ([]queue.Appointment, error)
	Notices(ctx context.Context, day time.Time) ([]Notice, error)
	Records(ctx context.Context, kind, subject string) ([]app.Record, error)
	// LastAttempt is the time of the latest attempt recorded, on the
	// kiosk's Clock; zero when there is none.
	LastAttempt(ctx context.Context) (time.Time, error)
}

// Self is the citizen's self-service at the kiosk over the workstation's
// services: identification, the certificates the comune allows, the
// person's requests and payment positions, appointments and the albo.
type Self struct {
	Cache        Cache
	Device       string // the kiosk's workstation: its operator name in the audit trail
	Counter      *app.CounterService
	Certificates *certificate.Service
	Now          func() time.Time // the wall clock: the day, the albo's notices
	// Clock measures the limits on wrong attempts; nil starts one (NewClock)
	// at the first identification from the last attempt recorded.
	Clock *Clock

	mu sync.Mutex // guards Clock's start
}

// Identify checks the pair offline against the cache and opens the file
// as the kiosk's operator: the opening is audited like a counter's. A
// lockout it causes is an audit event (AuditLockout) that reaches the
// supervisor through the outbox.
func (s *Self) Identify(ctx context.Context, code, document string) (*app.CitizenFile, error) {
	clock, err := s.clock(ctx)
	if err != nil {
		return nil, err
	}
	c, alerts, err := identify(ctx, s.Cache, s.Cache, code, document, clock.Now())
	for _, subject := range alerts {
		if aerr := s.Counter.Audit(ctx, Operator(s.Device).Username, AuditLockout, subject); aerr != nil {
			return nil, aerr
		}
	}
	if err != nil {
		return nil, err
	}
	return s.Counter.OpenFile(ctx, Operator(s.Device), c.CodiceFiscale)
}

// clock is s.Clock, started from the last attempt recorded on first use.
func (s *Self) clock(ctx context.Context) (*Clock, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Clock == nil {
		last, err := s.Cache.LastAttempt(ctx)
		if err != nil {
			return nil, err
		}
		s.Clock = NewClock(last)
	}
	return s.Clock, nil
}

// Policy is what the comune lets its kiosks print.
func (s *Self) Policy(ctx context.Context) (Policy, error) { return s.Cache.KioskPolicy(ctx) }

// Certificate issues a certificate the policy allows (slug, for the use
// numbered use) and returns its number and PDF.
func (s *Self) Certificate(ctx context.Context, file *app.CitizenFile, slug string, use int) (string, []byte, error) {
	p, err := s.Cache.KioskPolicy(ctx)
	if err != nil {
		return "", nil, err
	}
	req, err := p.Request(slug, use)
	if err != nil {
		return "", nil, err
	}
	is, pdf, err := s.Certificates.Issue(ctx, Operator(s.Device), file, req)
	if err != nil {
		return "", nil, err
	}
	return is.Certificate.Number.String(), pdf, nil
}

// Appointments are the person's booked appointments.
func (s *Self) Appointments(ctx context.Context, code string) ([]queue.Appointment, error) {
	return s.Cache.Appointments(ctx, code)
}

// Notices are the albo's notices published today, in Italian time.
func (s *Self) Notices(ctx context.Context) ([]Notice, error) {
	return s.Cache.Notices(ctx, app.Date(s.Now().In(app.Rome).Date()))
}

// Activity lists the person's requests and payment positions as the hub
// published them, one line each of what a citizen reads.
func (s *Self) Activity(ctx context.Context, code string) (requests, positions []string, err error) {
	recs, err := s.Cache.Records(ctx, request.KindRequest, code)
	if err != nil {
		return nil, nil, err
	}
	for _, r := range recs {
		requests = append(requests, RequestLine(r))
	}
	if recs, err = s.Cache.Records(ctx, payment.KindPosition, code); err != nil {
		return nil, nil, err
	}
	for _, r := range recs {
		positions = append(positions, PositionLine(r))
	}
	return requests, positions, nil
}

// RequestLine is a request record (request.KindRequest) as the citizen
// reads it: its number (the protocol, or the provisional one), the
// service and where it stands. A record that does not decode shows its key.
func RequestLine(r app.Record) string {
	q, err := request.DecodeRequest(r.Data)
	if err != nil {
		return r.Key
	}
	return joinLine(q.DisplayNumber(), q.ServiceTitle, strings.ToLower(q.Status.Title()))
}

// PositionLine is a payment position record (payment.KindPosition) as the
// citizen reads it: what it is for, the amount, where it stands and the
// due date. A record that does not decode shows its key.
func PositionLine(r app.Record) string {
	p, err := payment.DecodePosition(r.Data)
	if err != nil {
		return r.Key
	}
	due := ""
	if !p.DueDate.IsZero() {
		due = "entro il " + p.DueDate.Format("02/01/2006")
	}
	v := payment.View{Position: *p}
	return joinLine(p.Causale, app.Euro(p.AmountCents), string(v.Status()), due)
}

func joinLine(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " — ")
}

// PayableNotice is a position the citizen can print the notice of.
type PayableNotice struct {
	ID    string
	Label string // "TARI 2026 — € 84,50, entro il 31/01/2026"
}

// Payments prints the identified citizen's pagoPA notices at the kiosk
// over the counter's payment service: the same positions, amounts due
// today and notice layout.
type Payments struct {
	Cashier *payment.Cashier
	// Device is the kiosk's device id: the kiosk prints as itself
	// (Operator), and each notice printed is in its audit chain.
	Device string
}

// PayableNotices are the citizen's positions still to pay.
func (p *Payments) PayableNotices(ctx context.Context, code string) ([]PayableNotice, error) {
	views, err := p.Cashier.List(ctx, code)
	if err != nil {
		return nil, err
	}
	var out []PayableNotice
	for i := range views {
		v := &views[i]
		if v.DebtorCF != code || v.Payable(0) != nil {
			continue
		}
		label := v.Causale + " — " + app.Euro(v.AmountCents)
		if !v.DueDate.IsZero() {
			label += ", entro il " + v.DueDate.Format("02/01/2006")
		}
		out = append(out, PayableNotice{ID: v.ID, Label: label})
	}
	return out, nil
}

// NoticePDF lays out the notice of one of the citizen's own positions:
// EFORBIDDEN for another person's.
func (p *Payments) NoticePDF(ctx context.Context, code, id string) ([]byte, error) {
	v, err := p.Cashier.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if v.DebtorCF != code {
		return nil, app.Errorf(app.EFORBIDDEN, "l'avviso non è intestato alla persona identificata")
	}
	if err := v.Payable(0); err != nil {
		return nil, err
	}
	_, pdf, err := p.Cashier.Notice(ctx, Operator(p.Device), id)
	return pdf, err
}
