// Package post is the back office of certificates by post (the catalogue's
// service request.PostService): the worklist of the requests to post and
// the one action that posts one — the certificate issued with its stamp,
// the postage charged as a pagoPA position numbered from the
// workstation's IUV block, the request moved to concluded with the note
// "spedito" — each step stored with its outbox operation, so that it
// works offline and, repeated after a failure or a crash, does only the
// steps not yet done: nothing is issued, charged or moved twice.
package post

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/app/pagopa"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/app/request"
)

// DefaultPostageCents is the postage of a certificate (a letter up to 20 g,
// posta ordinaria "Posta4"): €1.35. A comune sets its own (Service.Postage).
const DefaultPostageCents = 135

// PaymentDays is the time the citizen has to pay the postage notice.
const PaymentDays = 30

// SentNote is the note of the request's last step: the word the citizen
// reads on the follow page ("spedito").
const SentNote = "Spedito per posta"

// Dispatch is how far the posting of a request has gone on this
// workstation: each step is stored with the fact it records.
type Dispatch struct {
	Request      string // the request's id
	Certificate  string // number, "" before it is issued
	Position     string // the postage's position id, "" before it is numbered
	StatusQueued bool   // the request's move to concluded is in the outbox
	Operator     string
	At           time.Time
}

// Done reports whether every step is stored.
func (d *Dispatch) Done() bool {
	return d != nil && d.Certificate != "" && d.Position != "" && d.StatusQueued
}

// Store keeps the dispatches, each step in the transaction of its fact:
//   - IssueCertificate stores the certificate as certificate.Store does
//     and the dispatch of request with it; ECONFLICT when the request has
//     a certificate already.
//   - NumberPosition numbers the position as payment.Store does and
//     records it in the dispatch; ECONFLICT without a certificate or with
//     a position already.
//   - QueueStatus queues the state change as request.Store does and marks
//     the dispatch; ECONFLICT before the position or when already queued.
//   - Dispatch: ENOTFOUND when nothing is stored for the request.
type Store interface {
	PostRequests(ctx context.Context) ([]request.Request, error)
	Dispatch(ctx context.Context, requestID string) (*Dispatch, error)
	IssuePostCertificate(ctx context.Context, requestID string, year int, operator string, build func(seq int64) (*certificate.Issued, error)) error
	NumberPostPosition(ctx context.Context, requestID string, build func(avviso pagopa.CodiceAvviso, seq int64) (*payment.Position, error)) error
	QueuePostStatus(ctx context.Context, requestID string, f request.StatusFact) error
}

// Item is a line of the worklist.
type Item struct {
	Request  request.Request
	Order    *request.PostOrder // nil when the form cannot be read (Problem)
	Dispatch *Dispatch          // nil before the first step
	Problem  string
}

// Posted is the outcome of Post: what went in the envelope.
type Posted struct {
	Request     *request.Request
	Certificate *certificate.Issued
	Position    *payment.View
	// PDF is the cover letter with the address in the envelope's window,
	// the certificate and the pagoPA notice, to print in one job.
	PDF []byte
}

// Cover is what the cover letter says (printing.PostCover lays it out).
type Cover struct {
	ComuneName  string
	Address     request.Address
	Request     string
	Certificate string
	Title       string
	Avviso      string
	AmountCents int64
	Charges     []Charge // what the amount is made of
	Due         time.Time
	Date        time.Time
	Operator    string
}

// Charge is a line of the amount the position charges.
type Charge struct {
	Label string
	Cents int64
}

// Renderer lays the cover letter out and appends the documents.
type Renderer func(c *Cover, attach ...[]byte) ([]byte, error)

// Service is the back office of certificates by post on a workstation.
type Service struct {
	Store        Store
	Counter      *app.CounterService
	Certificates *certificate.Service
	Cashier      *payment.Cashier
	Desk         *request.Desk
	Render       Renderer
	// Postage is the comune's postage in cents; 0, DefaultPostageCents.
	Postage  int64
	Now      func() time.Time
	Outboxed app.Outboxed
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// Worklist lists the requests of certificates by post still to post
// (received or in progress, or posted on this workstation only partly),
// oldest first: the back office's queue.
func (s *Service) Worklist(ctx context.Context, op *app.Operator) ([]Item, error) {
	if err := backOffice(op); err != nil {
		return nil, err
	}
	all, err := s.Store.PostRequests(ctx)
	if err != nil {
		return nil, err
	}
	var out []Item
	for i := len(all) - 1; i >= 0; i-- {
		r := all[i]
		d, err := s.Store.Dispatch(ctx, r.ID)
		if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
			return nil, err
		}
		if d.Done() || (r.Status.Final() && d == nil) {
			continue
		}
		it := Item{Request: r, Dispatch: d}
		if it.Order, err = request.PostOrderOf(r.Values); err != nil {
			it.Problem = app.ErrorMessage(err)
		}
		out = append(out, it)
	}
	return out, nil
}

func backOffice(op *app.Operator) error {
	if op == nil || op.Username == "" {
		return app.Errorf(app.EUNAUTHORIZED, "nessun operatore collegato")
	}
	if !op.Has(app.RoleBackOffice) {
		return app.Errorf(app.EFORBIDDEN, "solo il back-office spedisce i certificati per posta")
	}
	return nil
}

// Post posts the certificate a request asks for: it issues the
// certificate (marca is the 14-digit id of the marca da bollo applied,
// when the citizen chose the bollo), numbers the position of postage,
// bollo and diritti, and queues the request's move to concluded, then
// lays out the envelope's content. Each step is stored before the next;
// after a failure Post again does only what is missing (the certificate
// of an earlier attempt is printed again as a duplicate).
func (s *Service) Post(ctx context.Context, op *app.Operator, requestID, marca string) (*Posted, error) {
	if err := backOffice(op); err != nil {
		return nil, err
	}
	r, err := s.Desk.Get(ctx, requestID)
	if err != nil {
		return nil, err
	}
	if r.Service != request.PostService {
		return nil, app.Errorf(app.EINVALID, "la richiesta %s non è un certificato per posta", r.DisplayNumber())
	}
	if r.IsProvisional() {
		return nil, app.Errorf(app.ECONFLICT, "la richiesta %s non ha ancora il numero di protocollo: attendere la sincronizzazione", r.DisplayNumber())
	}
	order, err := request.PostOrderOf(r.Values)
	if err != nil {
		return nil, err
	}
	d, err := s.Store.Dispatch(ctx, r.ID)
	if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
		return nil, err
	}
	if d.Done() {
		return nil, app.Errorf(app.ECONFLICT, "il certificato della richiesta %s è già stato spedito (certificato %s)", r.DisplayNumber(), d.Certificate)
	}
	if d == nil && r.Status.Final() {
		return nil, app.Errorf(app.ECONFLICT, "la richiesta %s è %s: niente da spedire", r.DisplayNumber(), strings.ToLower(r.Status.Title()))
	}
	marca = strings.TrimSpace(marca)
	out := &Posted{Request: r}
	var certPDF []byte
	if d == nil || d.Certificate == "" {
		if order.Marca && marca == "" {
			return nil, app.Errorf(app.EINVALID, "il certificato vuole la marca da bollo: indicarne il numero (14 cifre)")
		}
		if !order.Marca {
			marca = ""
		}
		file, err := s.Counter.OpenFile(ctx, op, r.CodiceFiscale)
		if err != nil {
			return nil, err
		}
		issuer := *s.Certificates
		issuer.Store = linkedCertificates{Store: s.Certificates.Store, post: s.Store, request: r.ID}
		is, pdf, err := issuer.Issue(ctx, op, file, certificate.IssueRequest{Type: order.Type, Use: order.Use, Marca: marca, ExemptionID: order.ExemptionID})
		if err != nil {
			return nil, err
		}
		out.Certificate, certPDF = is, pdf
	} else {
		if out.Certificate, err = s.Certificates.Store.Certificate(ctx, d.Certificate); err != nil {
			return nil, err
		}
		if certPDF, err = s.Certificates.Reprint(ctx, op, d.Certificate); err != nil {
			return nil, err
		}
	}
	c := &out.Certificate.Certificate
	postage := s.Postage
	if postage <= 0 {
		postage = DefaultPostageCents
	}
	charges := []Charge{{Label: "Spedizione (posta ordinaria)", Cents: postage}}
	if out.Certificate.BolloCents > 0 {
		charges = append(charges, Charge{Label: "Imposta di bollo", Cents: out.Certificate.BolloCents})
	}
	if out.Certificate.DirittiCents > 0 {
		charges = append(charges, Charge{Label: "Diritti di segreteria", Cents: out.Certificate.DirittiCents})
	}
	var total int64
	for _, ch := range charges {
		total += ch.Cents
	}
	now := s.now()
	due := now.In(app.Rome).AddDate(0, 0, PaymentDays)
	var noticePDF []byte
	d, _ = s.Store.Dispatch(ctx, r.ID)
	if d == nil || d.Position == "" {
		cashier := *s.Cashier
		cashier.Store = linkedPositions{Store: s.Cashier.Store, post: s.Store, request: r.ID}
		v, pdf, err := cashier.NewPosition(ctx, op, payment.Position{DebtorCF: r.CodiceFiscale, DebtorName: c.Person.Surname + " " + c.Person.GivenName,
			Service: payment.ServiceCertificate, Causale: fmt.Sprintf("Certificato per posta %s, richiesta %s", c.Number, r.Number),
			AmountCents: total, DueDate: app.Date(due.Year(), due.Month(), due.Day())})
		if err != nil {
			return nil, fmt.Errorf("certificato %s rilasciato, spedizione non ancora addebitata: %w", c.Number, err)
		}
		out.Position, noticePDF = v, pdf
	} else {
		if out.Position, err = s.Cashier.Store.Position(ctx, d.Position); err != nil {
			return nil, err
		}
		if _, noticePDF, err = s.Cashier.Notice(ctx, op, d.Position); err != nil {
			return nil, err
		}
	}
	d, _ = s.Store.Dispatch(ctx, r.ID)
	if d == nil || !d.StatusQueued {
		note := fmt.Sprintf("%s: certificato %s; avviso pagoPA %s, %s", SentNote, c.Number, out.Position.Avviso.Grouped(), app.Euro(out.Position.AmountCents))
		desk := *s.Desk
		desk.Store = linkedStatus{Store: s.Desk.Store, post: s.Store}
		if _, err := desk.ChangeStatus(ctx, op, r.ID, request.StatusConcluded, note); err != nil {
			return nil, fmt.Errorf("certificato %s e avviso %s pronti, la richiesta non è ancora spostata: %w", c.Number, out.Position.Avviso.Grouped(), err)
		}
	}
	cover := &Cover{ComuneName: c.ComuneName, Address: order.Address, Request: r.Number, Certificate: c.Number.String(), Title: c.Type.Title,
		Avviso: out.Position.Avviso.Grouped(), AmountCents: out.Position.AmountCents, Charges: charges, Due: out.Position.DueDate, Date: now, Operator: op.Username}
	if out.PDF, err = s.Render(cover, certPDF, noticePDF); err != nil {
		return nil, fmt.Errorf("certificato %s spedibile, stampa non riuscita (ripetere Spedisci per ristamparlo): %w", c.Number, err)
	}
	s.Outboxed.Notify()
	return out, nil
}

// linkedCertificates issues through the post store, so that the
// certificate and the dispatch are stored together.
type linkedCertificates struct {
	certificate.Store
	post    Store
	request string
}

func (l linkedCertificates) IssueCertificate(ctx context.Context, year int, operator string, build func(seq int64) (*certificate.Issued, error)) error {
	return l.post.IssuePostCertificate(ctx, l.request, year, operator, build)
}

// linkedPositions numbers through the post store.
type linkedPositions struct {
	payment.Store
	post    Store
	request string
}

func (l linkedPositions) NumberPosition(ctx context.Context, build func(avviso pagopa.CodiceAvviso, seq int64) (*payment.Position, error)) error {
	return l.post.NumberPostPosition(ctx, l.request, build)
}

// linkedStatus queues the state change through the post store.
type linkedStatus struct {
	request.Store
	post Store
}

func (l linkedStatus) ChangeStatus(ctx context.Context, f request.StatusFact) error {
	return l.post.QueuePostStatus(ctx, f.Request, f)
}
