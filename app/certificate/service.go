package certificate

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anpr"
)

// Issued is a certificate as the workstation keeps it after issuing it.
type Issued struct {
	Certificate Certificate
	// Stamp is the text of the QR code: the verification address with the
	// signed stamp (URL).
	Stamp string
	// DataSeq is the position of the change log of the citizen's comune
	// that the certified data had reached in the cache; 0 when the data came
	// live from the hub. The hub compares it with the record's own position
	// at sync: order by the hub's sequence, never by clocks.
	DataSeq int64
	// Flag is the hub's word when the record changed after the data the
	// certificate was issued from: the operator must check it and, if the
	// facts differ, issue it again. "" when nothing is to be checked.
	Flag string
	// Synced reports whether the hub has accepted the certificate.
	Synced bool
	// Fees are the comune's diritti di segreteria when it was issued, and
	// BolloCents and DirittiCents what the certificate cost (Fees): the
	// counter's takings, and what a reprint prints again.
	Fees         ComuneFees
	BolloCents   int64
	DirittiCents int64
}

// IssueRequest is what the operator chooses at the counter.
type IssueRequest struct {
	Type   string // slug
	Use    string
	Abroad bool
	// Marca is the 14-digit id of the marca da bollo, or ExemptionID the
	// ANPR esenzione_bollo (ExemptionText the law, for ExemptionOther).
	// Neither for a stato civile certificate.
	Marca         string
	ExemptionID   int
	ExemptionText string
	// On is the date of a certificate storico di residenza alla data.
	On time.Time
	// Destination is ANPR's use for immigration or court (none: Italy, or
	// Abroad); RequesterPA and PARequest a public administration's request
	// with its reference.
	Destination Destination
	RequesterPA bool
	PARequest   string
	// Force overrides the forceable controls that fail (Failures), each
	// with the officer's reason: audited (AuditForce) and kept with the
	// certificate.
	Force []Forcing
}

// Store is the workstation's record of the certificates it issued.
//   - IssueCertificate gives build the next sequence number of the
//     workstation in year and, in the same transaction, stores what build
//     returns, the outbox operation that carries it to the hub and the audit
//     event of the operator (action AuditIssue, subject the codice
//     fiscale), durably. Nothing is stored when build fails.
//   - Certificate returns ENOTFOUND for an unknown number.
//   - Certificates lists a person's certificates, newest first; Flagged the
//     ones the hub flagged, for the worklist.
type Store interface {
	IssueCertificate(ctx context.Context, year int, operator string, build func(seq int64) (*Issued, error)) error
	Certificate(ctx context.Context, number string) (*Issued, error)
	Certificates(ctx context.Context, codiceFiscale string) ([]Issued, error)
	Flagged(ctx context.Context) ([]Issued, error)
	AppendAudit(ctx context.Context, operator, action, subject string, at time.Time) error
}

// Audit actions of certificates.
const (
	AuditIssue   = "certificate.issue"
	AuditReprint = "certificate.reprint"
	// AuditForce records a forced ANPR control: subject the codice
	// fiscale, the number, the control and the officer's reason.
	AuditForce = "certificate.force"
)

// Renderer lays a certificate out as a PDF with its stamp and the comune's
// fees (printing does).
type Renderer func(c *Certificate, stamp string, fees ComuneFees) ([]byte, error)

// Issuer is what the counter screens and the CLI ask of certificates.
//   - Issue: EINVALID with the reason when the person cannot have the type
//     or the bollo is wrong; EUNAUTHORIZED without an operator.
//   - Reprint: ENOTFOUND for an unknown number; the PDF is marked duplicate.
type Issuer interface {
	Issue(ctx context.Context, op *app.Operator, file *app.CitizenFile, r IssueRequest) (*Issued, []byte, error)
	Reprint(ctx context.Context, op *app.Operator, number string) ([]byte, error)
	List(ctx context.Context, codiceFiscale string) ([]Issued, error)
	Flagged(ctx context.Context) ([]Issued, error)
	Exemptions(ctx context.Context) ([]anpr.Entry, error)
}

// Service implements Issuer on the workstation: it checks, numbers, signs
// and renders a certificate, and stores it with its outbox operation.
type Service struct {
	Store   Store
	Profile func(ctx context.Context) (*app.Profile, error)
	Index   func(ctx context.Context) (*anpr.Index, error)
	Render  Renderer
	// Fees are the diritti di segreteria of the workstation's comune, which
	// takes them at its counter; nil, DefaultFees.
	Fees func(ctx context.Context, comune string) (ComuneFees, error)
	// Online reports whether the hub answered the last time it was asked:
	// a certificate issued from the cache without it says so.
	Online   func() bool
	Now      func() time.Time
	Outboxed app.Outboxed // after a certificate was stored
}

var _ Issuer = (*Service)(nil)

// Issue issues a certificate of the file's person: New checks and settles
// it, the workstation's key signs its stamp, the renderer lays it out, and
// the store keeps it with its outbox operation and audit event; the PDF is
// returned only once all of that is durable.
func (s *Service) Issue(ctx context.Context, op *app.Operator, file *app.CitizenFile, r IssueRequest) (*Issued, []byte, error) {
	if op == nil {
		return nil, nil, app.Errorf(app.EUNAUTHORIZED, "accesso richiesto")
	}
	if file == nil {
		return nil, nil, app.Errorf(app.EINVALID, "fascicolo della persona mancante")
	}
	t, err := TypeBySlug(r.Type)
	if err != nil {
		return nil, nil, app.Errorf(app.EINVALID, "%s", app.ErrorMessage(err))
	}
	p, err := s.Profile(ctx)
	if err != nil {
		return nil, nil, err
	}
	if !p.RefusedAt.IsZero() {
		return nil, nil, app.Errorf(app.EFORBIDDEN, "l'hub non riconosce più questa postazione (%s): non può rilasciare certificati; rivolgersi all'amministratore del comune", p.RefusedWhy)
	}
	refs, err := s.Index(ctx)
	if err != nil {
		return nil, nil, err
	}
	devCert, comCert, key, err := signingChain(p)
	if err != nil {
		return nil, nil, err
	}
	fees := DefaultFees
	if s.Fees != nil {
		if fees, err = s.Fees(ctx, p.Comune); err != nil {
			return nil, nil, err
		}
	}
	now := s.Now().UTC().Truncate(time.Second)
	offline := !file.Remote && s.Online != nil && !s.Online()
	req := Request{
		Use: r.Use, Abroad: r.Abroad, Destination: r.Destination, RequesterPA: r.RequesterPA, PARequest: r.PARequest,
		Bollo: Bollo{Marca: r.Marca, ExemptionID: r.ExemptionID, ExemptionText: r.ExemptionText},
		Fees:  &fees, Force: r.Force, On: r.On, IssuedAt: now, Offline: offline, Operator: op.Username,
	}
	// Check before taking a number, so that a refusal costs nothing.
	if err := checkIssue(t, file, refs, settle(t, req.Bollo, refs), req, now.In(app.Rome)); err != nil {
		return nil, nil, err
	}
	var issued *Issued
	var pdf []byte
	err = s.Store.IssueCertificate(ctx, now.In(app.Rome).Year(), op.Username, func(seq int64) (*Issued, error) {
		n, err := NewNumber(p.Device, now.In(app.Rome).Year(), seq)
		if err != nil {
			return nil, err
		}
		req.Number = n
		c, err := New(t, file, refs, req)
		if err != nil {
			return nil, err
		}
		stamp, err := Sign(c.Facts(), key, devCert, comCert)
		if err != nil {
			return nil, err
		}
		issued = &Issued{Certificate: *c, Stamp: URL(p.HubURL, stamp), DataSeq: file.DataSeq, Fees: fees}
		issued.BolloCents, issued.DirittiCents = Fees(c.Type, c.Bollo, fees)
		// Rendered inside the transaction: a certificate that cannot be
		// printed (a character the font lacks) is not issued either.
		if pdf, err = s.Render(c, issued.Stamp, fees); err != nil {
			return nil, err
		}
		return issued, nil
	})
	if err != nil {
		return nil, nil, err
	}
	// The forcings are kept with the certificate already; the audit trail
	// says who forced what and why, uploaded like every audit event.
	for _, f := range issued.Certificate.Forced {
		subject := issued.Certificate.Person.CodiceFiscale + " " + issued.Certificate.Number.String() + " " + string(f.Control) + ": " + f.Reason
		if err := s.Store.AppendAudit(ctx, op.Username, AuditForce, subject, now); err != nil {
			return nil, nil, fmt.Errorf("certificato %s rilasciato, ma la forzatura non è registrata: %w", issued.Certificate.Number, err)
		}
	}
	s.Outboxed.Notify()
	return issued, pdf, nil
}

// Reprint lays an issued certificate out again, marked as a duplicate, and
// audits the reprint.
func (s *Service) Reprint(ctx context.Context, op *app.Operator, number string) ([]byte, error) {
	if op == nil {
		return nil, app.Errorf(app.EUNAUTHORIZED, "accesso richiesto")
	}
	is, err := s.Store.Certificate(ctx, number)
	if err != nil {
		return nil, err
	}
	c := is.Certificate
	c.Duplicate = true
	pdf, err := s.Render(&c, is.Stamp, is.Fees)
	if err != nil {
		return nil, err
	}
	if err := s.Store.AppendAudit(ctx, op.Username, AuditReprint, c.Person.CodiceFiscale+" "+number, s.Now()); err != nil {
		return nil, err
	}
	s.Outboxed.Notify()
	return pdf, nil
}

// List is the person's certificates, newest first.
func (s *Service) List(ctx context.Context, codiceFiscale string) ([]Issued, error) {
	return s.Store.Certificates(ctx, codiceFiscale)
}

// Flagged is the worklist of certificates to check.
func (s *Service) Flagged(ctx context.Context) ([]Issued, error) { return s.Store.Flagged(ctx) }

// Exemptions are the bollo exemptions of the reference tables, in the
// table's order.
func (s *Service) Exemptions(ctx context.Context) ([]anpr.Entry, error) {
	refs, err := s.Index(ctx)
	if err != nil {
		return nil, err
	}
	return refs.Entries(anpr.TableBolloExemptions, s.Now()), nil
}

// signingChain is the workstation's key with the chain that certifies it.
func signingChain(p *app.Profile) (dev, com app.KeyCert, key ed25519.PrivateKey, err error) {
	if len(p.PrivateKey) != ed25519.PrivateKeySize || p.DeviceCert.Signature == nil || p.ComuneCert.Signature == nil {
		return dev, com, nil, app.Errorf(app.EFORBIDDEN, "la postazione non ha una chiave di firma certificata: attivarla di nuovo con un codice dell'hub")
	}
	return p.DeviceCert, p.ComuneCert, ed25519.PrivateKey(p.PrivateKey), nil
}
