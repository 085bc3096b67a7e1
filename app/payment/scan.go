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
	Position *View  // nil when no comune of the network has it
	Status   Status // of the position, or of the instalment; StatusUnknown without one
	// Instalment is the rata the code pays; 0 for the rata unica.
	Instalment int
	// Remote: the position is of another comune of the network, looked up
	// at the hub (ComuneName); it is not collected at this counter.
	Remote     bool
	ComuneName string
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
	own := ""
	if _, py, err := s.payee(ctx); err == nil {
		own = py.CFEnte
	}
	if r.CFEnte != "" && own != "" && r.CFEnte != own {
		return s.scanRemote(ctx, r)
	}
	v, err := s.Store.PositionByAvviso(ctx, r.Avviso)
	if app.ErrorCode(err) == app.ENOTFOUND {
		if r.CFEnte == "" && s.Network != nil {
			return s.scanRemote(ctx, r) // a typed avviso names no creditor: maybe another comune's
		}
		r.Message = "Nessuna posizione con il codice avviso " + r.Avviso.Grouped() + " sulla postazione."
		return r, nil
	}
	if err != nil {
		return nil, err
	}
	s.describe(ctx, r, v)
	return r, nil
}

// describe fills r with the position v, and the instalment the code pays.
func (s *Cashier) describe(ctx context.Context, r *ScanResult, v *View) {
	r.Position, r.Status = v, v.Status()
	causale := v.Causale
	if t, ok := v.TargetOf(r.Avviso); ok && t.N > 0 {
		r.Instalment, r.Status = t.N, v.InstalmentStatus(t.N)
		causale += " — " + v.TargetName(t.N) + ", " + app.Euro(t.AmountCents) + " entro il " + t.DueDate.Format("02/01/2006")
	}
	r.Message = causale + " — " + string(r.Status)
	if r.Remote {
		return
	}
	settled := v.Settled()
	if r.Instalment > 0 {
		settled = v.Payable(r.Instalment) != nil
	}
	if r.Amount > 0 && !settled {
		due := int64(0)
		if r.Instalment > 0 {
			due = v.Instalment(r.Instalment).AmountCents
		} else if d, _, _, err := s.dueOn(ctx, v, Today(s.now())); err == nil {
			due = d
		}
		if due > 0 && due != r.Amount {
			r.Message += "; l'importo del codice (" + app.Euro(r.Amount) + ") non è più quello dovuto oggi: " + app.Euro(due)
		}
	}
}

// scanRemote asks the hub for a position of another comune of the network.
func (s *Cashier) scanRemote(ctx context.Context, r *ScanResult) (*ScanResult, error) {
	other := "Avviso di un altro ente creditore"
	if r.CFEnte != "" {
		other += " (codice fiscale " + r.CFEnte + ")"
	}
	if s.Network == nil {
		r.Message = other + ": non si incassa a questo sportello."
		return r, nil
	}
	np, err := s.Network.FindPosition(ctx, r.CFEnte, r.Avviso)
	switch app.ErrorCode(err) {
	case "":
	case app.EOFFLINE:
		r.Message = other + ": per cercarlo tra i comuni della rete serve il collegamento con l'hub, ora non disponibile. Riprovare quando la postazione è in linea."
		r.Status = StatusOffline
		return r, nil
	case app.ENOTFOUND:
		if r.CFEnte == "" {
			r.Message = "Nessuna posizione con il codice avviso " + r.Avviso.Grouped() + ", né sulla postazione né tra i comuni della rete."
		} else {
			r.Message = other + ", che non è un comune della rete: non si incassa a questo sportello."
		}
		return r, nil
	default:
		return nil, err
	}
	r.Remote, r.ComuneName = true, np.ComuneName
	s.describe(ctx, r, &View{Position: np.Position})
	r.Message = np.ComuneName + ": " + r.Message + ". Si paga con pagoPA (l'avviso stesso) o allo sportello di quel comune."
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

// NetworkPosition is a position of a comune of the network as the hub has
// it, with the comune's name and creditor settings.
type NetworkPosition struct {
	Position   Position
	ComuneName string
	Payee      *Payee
}

// Network is the hub as the directory of every comune's positions.
// FindPosition returns the position a codice avviso pays (of the creditor
// cfEnte, when not ""), ENOTFOUND when no comune of the network has it,
// EOFFLINE when the hub cannot be reached.
type Network interface {
	FindPosition(ctx context.Context, cfEnte string, avviso pagopa.CodiceAvviso) (*NetworkPosition, error)
}
