package hub

import (
	"encoding/json"
	"net/http"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/queue"
	"github.com/sportello/sportello/hub/storage"
	"github.com/sportello/sportello/sync/wire"
)

// handleQueueCall is "call next": the hub picks the counter's next ticket
// in a transaction and answers at once, so that two counters never get
// the same ticket. A repeated request (same request_id) gets the same
// answer.
func (s *server) handleQueueCall(q storage.Queue) deviceHandler {
	return func(w http.ResponseWriter, r *http.Request, dev *storage.Device) {
		var req wire.CallRequest
		if err := s.decode(w, r, &req); err != nil {
			s.writeError(w, r, err)
			return
		}
		t, err := q.CallNext(r.Context(), dev, callFromWire(req))
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		res := wire.CallResponse{}
		if t != nil {
			res.Ticket = queue.EncodeTicket(*t)
		}
		writeJSON(w, http.StatusOK, res)
	}
}

// handleQueueTickets lists the comune's tickets of the days from..to, for
// the supervisor's statistics.
func (s *server) handleQueueTickets(q storage.Queue) deviceHandler {
	return func(w http.ResponseWriter, r *http.Request, dev *storage.Device) {
		from, to := r.URL.Query().Get("from"), r.URL.Query().Get("to")
		if _, err := app.ParseDate(from); err != nil || from == "" {
			s.writeError(w, r, app.Errorf(app.EINVALID, "data iniziale non valida %q: usare AAAA-MM-GG", from))
			return
		}
		if _, err := app.ParseDate(to); err != nil || to == "" {
			s.writeError(w, r, app.Errorf(app.EINVALID, "data finale non valida %q: usare AAAA-MM-GG", to))
			return
		}
		ts, err := q.QueueTickets(r.Context(), dev.Comune, from, to)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		res := wire.TicketsResponse{Tickets: make([]json.RawMessage, 0, len(ts))}
		for _, t := range ts {
			res.Tickets = append(res.Tickets, queue.EncodeTicket(t))
		}
		writeGzipJSON(w, r, res)
	}
}
