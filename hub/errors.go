package hub

import (
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/sync/wire"
)

// codes maps the domain's error codes to HTTP statuses, here and only here;
// the sync client maps them back with wire's copy of this table.
var codes = map[string]int{
	app.EINVALID:      http.StatusBadRequest,
	app.EUNAUTHORIZED: http.StatusUnauthorized,
	app.EFORBIDDEN:    http.StatusForbidden,
	app.ENOTFOUND:     http.StatusNotFound,
	app.ECONFLICT:     http.StatusConflict,
	app.ERESNAPSHOT:   http.StatusGone,
	app.ELOCKED:       http.StatusLocked,
	app.EOFFLINE:      http.StatusServiceUnavailable,
	app.EINTERNAL:     http.StatusInternalServerError,
}

// writeError answers with the error's code and Italian message; an internal
// error is logged with its detail and answered generically.
func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := app.ErrorCode(err)
	if code == app.EINTERNAL {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	status, ok := codes[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	writeJSON(w, status, wire.Error{Code: code, Message: app.ErrorMessage(err)})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		slog.Debug("write response", "err", err)
	}
}
