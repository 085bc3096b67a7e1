package hub

import (
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/sync/wire"
)

// writeError answers with the error's code, the status wire's table gives
// it, and its Italian message; an internal error is logged with its detail
// and answered generically.
func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := app.ErrorCode(err)
	if code == app.EINTERNAL {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if code == app.EPENDING {
		w.Header().Set("Retry-After", "60") // numbering held after a restore (recovery.go)
	}
	writeJSON(w, wire.HTTPStatus(code), wire.Error{Code: code, Message: app.ErrorMessage(err)})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		slog.Debug("write response", "err", err)
	}
}
