package hub

import (
	"net/http"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/pagopa"
	"github.com/sportello/sportello/hub/storage"
	"github.com/sportello/sportello/sync/wire"
)

// handlePosition answers a counter's scanner with the position a codice
// avviso pays in any comune of the network (?avviso=, and ?ente= the
// creditor's codice fiscale the QR code names).
func (s *server) handlePosition(p storage.Payments) deviceHandler {
	return func(w http.ResponseWriter, r *http.Request, dev *storage.Device) {
		a, err := pagopa.ParseAvviso(r.URL.Query().Get("avviso"))
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		ente := r.URL.Query().Get("ente")
		if ente != "" && !pagopa.ValidCFEnte(ente) {
			s.writeError(w, r, app.Errorf(app.EINVALID, "codice fiscale dell'ente %q non valido", ente))
			return
		}
		p, err := p.NetworkPosition(r.Context(), ente, a)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, wire.PositionToWire(p))
	}
}
