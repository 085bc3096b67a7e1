package wire_test

import (
	"net/http"
	"testing"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/sync/wire"
)

// TestStatusTable checks that the client reads back every code the hub
// answers with, except the hub's own failure, which it must retry.
func TestStatusTable(t *testing.T) {
	for _, tc := range []struct {
		code   string
		status int
	}{
		{app.EINVALID, http.StatusBadRequest},
		{app.EUNAUTHORIZED, http.StatusUnauthorized},
		{app.EFORBIDDEN, http.StatusForbidden},
		{app.ENOTFOUND, http.StatusNotFound},
		{app.ECONFLICT, http.StatusConflict},
		{app.ERESNAPSHOT, http.StatusGone},
		{app.ELOCKED, http.StatusLocked},
		{app.ETOOMANY, http.StatusTooManyRequests},
		{app.EOFFLINE, http.StatusServiceUnavailable},
	} {
		t.Run(tc.code, func(t *testing.T) {
			if got := wire.HTTPStatus(tc.code); got != tc.status {
				t.Errorf("HTTPStatus(%q) = %d, want %d", tc.code, got, tc.status)
			}
			if got := wire.StatusCodes[tc.status]; got != tc.code {
				t.Errorf("StatusCodes[%d] = %q, want %q", tc.status, got, tc.code)
			}
		})
	}
	t.Run("Internal", func(t *testing.T) {
		if got := wire.HTTPStatus(app.EINTERNAL); got != http.StatusInternalServerError {
			t.Errorf("HTTPStatus(EINTERNAL) = %d", got)
		}
		if code, ok := wire.StatusCodes[http.StatusInternalServerError]; ok {
			t.Errorf("a bare 500 reads as %q: the client would park the operation instead of retrying", code)
		}
	})
	t.Run("UnknownCode", func(t *testing.T) {
		if got := wire.HTTPStatus("no_such_code"); got != http.StatusInternalServerError {
			t.Errorf("HTTPStatus(unknown) = %d, want 500", got)
		}
	})
	if len(wire.StatusCodes) != 9 {
		t.Errorf("StatusCodes has %d statuses, want the 9 above", len(wire.StatusCodes))
	}
}
