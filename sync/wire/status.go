package wire

import (
	"net/http"

	"github.com/sportello/sportello/app"
)

// codeStatuses is the one table between the domain's error codes and HTTP
// statuses: the hub answers an error with its code's status, and the
// client reads a status back as the code when the body is not an Error
// (a proxy's answer, an old hub). Both directions derive from it.
var codeStatuses = []struct {
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
	// A restored hub holding its numbering: not serving that, for now.
	// Read back as EOFFLINE (a 503 without a body), never as a refusal.
	{app.EPENDING, http.StatusServiceUnavailable},
	{app.EINTERNAL, http.StatusInternalServerError},
}

// HTTPStatus is the status the hub answers an error of code with; a code
// the table does not know is the hub's fault: 500.
func HTTPStatus(code string) int {
	for _, cs := range codeStatuses {
		if cs.code == code {
			return cs.status
		}
	}
	return http.StatusInternalServerError
}

// StatusCodes maps HTTP statuses back to the domain's error codes, for
// answers whose body is not an Error. A bare 500 is left out: it is the
// hub failing, which the client treats as a hub that is not serving
// (EOFFLINE after its retries), not as a refusal of the operation.
var StatusCodes = func() map[int]string {
	m := make(map[int]string, len(codeStatuses))
	for _, cs := range codeStatuses {
		if cs.code != app.EINTERNAL && cs.code != app.EPENDING {
			m[cs.status] = cs.code
		}
	}
	return m
}()
