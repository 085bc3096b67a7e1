package hub

import (
	"net/http"

	"github.com/sportello/sportello/hub/storage"
	"github.com/sportello/sportello/sync/wire"
)

// reconciled tells the database what dev says it holds confirmed, so that
// a comune in recovery after a restore learns that the device has sent
// back all it had been confirmed (sqlstore.Reconciled), and logs the end of a
// comune's recovery. A failure here is logged, not answered: the exchange
// itself is right, and the next one tries again.
func (s *server) reconciled(r *http.Request, dev *storage.Device) {
	epoch, confirmed, ok := wire.ConfirmedFromHeader(r.Header)
	if !ok {
		return
	}
	ended, err := s.db.Reconciled(r.Context(), dev, epoch, confirmed)
	if err != nil {
		s.log.Warn("recovery after a restore", "device", dev.ID, "err", err)
		return
	}
	if ended != "" {
		s.log.Info("comune out of recovery: every device sent back its work, numbering resumes", "comune", ended, "last", dev.ID)
	}
}
