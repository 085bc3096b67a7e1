package payment

import (
	"context"
	"strings"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/pagopa"
)

// What a scanned text was recognised as.
const (
	ScanPagoPA      = "pagopa"      // the QR code of a pagoPA notice
	ScanPoste       = "poste"       // the DataMatrix of a postal slip
	ScanAvviso      = "avviso"      // a codice avviso typed or read as a barcode
	ScanCertificate = "certificato" // the stamp of a certificate of ours
)

// ScanResult is what the scanner field found.
type ScanResult struct {
	Kind     string
	Avviso   pagopa.CodiceAvviso
	Amount   int64 // the amount the code carries; 0 for a codice avviso
	CFEnte   string
	Position *View  // nil when the position is not the comune's or unknown
	Status   Status // of the position; StatusUnknown without one
	// Message says it in words: the position's state, an amount that is
	// no longer the one due, a code of another creditor, or what the
	// certificate certifies and whether it is valid.
	Message string
	Valid   bool // for a certificate: the stamp verifies
}

// Scan recognises the text of a keyboard-wedge scanner or a pasted string
// as a pagoPA QR code, a Poste DataMatrix, a codice avviso, or the stamp
// of one of our certificates (bare "SPT1." or its verification address),
// and finds the position or checks the stamp. EINVALID for a text that is
// none of them, with the parser's reason.
func (s *Cashier) Scan(ctx context.Context, text string) (*ScanResult, error) {
	t := strings.TrimSpace(text)
	up := strings.ToUpper(t)
	switch {
	case strings.HasPrefix(up, "PAGOPA|"):
		q, err := pagopa.ParseQR(t)
		if err != nil {
			return nil, err
		}
		return s.scanPosition(ctx, &ScanResult{Kind: ScanPagoPA, Avviso: q.Avviso, Amount: q.AmountCents, CFEnte: q.CFEnte})
	case strings.HasPrefix(t, "codfase="):
		d, err := pagopa.ParseDataMatrix(t)
		if err != nil {
			return nil, err
		}
		return s.scanPosition(ctx, &ScanResult{Kind: ScanPoste, Avviso: d.Avviso, Amount: d.AmountCents, CFEnte: d.CFEnte})
	case strings.HasPrefix(t, "SPT1.") || strings.Contains(t, "/verifica?c=SPT1."):
		if s.VerifyStamp == nil {
			return nil, app.Errorf(app.EINVALID, "verifica dei certificati non disponibile su questa postazione")
		}
		msg, err := s.VerifyStamp(ctx, t)
		r := &ScanResult{Kind: ScanCertificate, Status: StatusUnknown, Message: msg, Valid: err == nil}
		if err != nil {
			r.Message = strings.TrimSpace(msg + "\nNON VALIDO: " + app.ErrorMessage(err))
		}
		return r, nil
	}
	if a, err := pagopa.ParseAvviso(t); err == nil {
		return s.scanPosition(ctx, &ScanResult{Kind: ScanAvviso, Avviso: a})
	} else if onlyDigitsAndSpaces(t) {
		return nil, err
	}
	return nil, app.Errorf(app.EINVALID, "codice non riconosciuto: né un avviso pagoPA, né un bollettino postale, né un certificato")
}

func (s *Cashier) scanPosition(ctx context.Context, r *ScanResult) (*ScanResult, error) {
	r.Status = StatusUnknown
	if r.CFEnte != "" {
		if _, py, err := s.payee(ctx); err == nil && py.CFEnte != r.CFEnte {
			r.Message = "Avviso di un altro ente creditore (codice fiscale " + r.CFEnte + "): non si incassa a questo sportello."
			return r, nil
		}
	}
	v, err := s.Store.PositionByAvviso(ctx, r.Avviso)
	if app.ErrorCode(err) == app.ENOTFOUND {
		r.Message = "Nessuna posizione con il codice avviso " + r.Avviso.Grouped() + " sulla postazione."
		return r, nil
	}
	if err != nil {
		return nil, err
	}
	r.Position, r.Status = v, v.Status()
	r.Message = v.Causale + " — " + string(r.Status)
	if r.Amount > 0 && !v.Settled() {
		if due, _, _, err := s.dueOn(ctx, v, Today(s.now())); err == nil && due != r.Amount {
			r.Message += "; l'importo del codice (" + Euro(r.Amount) + ") non è più quello dovuto oggi: " + Euro(due)
		}
	}
	return r, nil
}

func onlyDigitsAndSpaces(s string) bool {
	for _, r := range s {
		if (r < '0' || r > '9') && r != ' ' {
			return false
		}
	}
	return s != ""
}
