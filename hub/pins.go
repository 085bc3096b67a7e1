package hub

import (
	"net/http"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/hub/storage"
)

// handlePins answers the hub's announcement of the keys its workstations
// accept (Deps.Pins), for a changeover of its certificate: ENOTFOUND when
// none is announced. Every device asks, over the channel it already trusts.
func (s *server) handlePins(w http.ResponseWriter, r *http.Request, _ *storage.Device) {
	var res any
	if s.pins != nil {
		p, err := s.pins()
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if p != nil {
			res = p
		}
	}
	if res == nil {
		s.writeError(w, r, app.Errorf(app.ENOTFOUND, "nessun cambio di certificato annunciato"))
		return
	}
	writeJSON(w, http.StatusOK, res)
}
