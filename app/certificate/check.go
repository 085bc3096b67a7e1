package certificate

import (
	"fmt"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
)

// freeStatus reports whether a civil status is "stato libero".
func freeStatus(code int) bool {
	switch code {
	case app.CivilStatusSingle, app.CivilStatusWidowed, app.CivilStatusDivorced,
		civilStatusFreeAfterPartner, civilStatusFreeAfterDissolving:
		return true
	}
	return false
}

func refuse(t Type, format string, args ...any) error {
	return app.Errorf(app.EINVALID, "Certificato %s non rilasciabile: %s", lowerTitle(t), fmt.Sprintf(format, args...))
}

// lowerTitle is the title without "CERTIFICATO", in lower case, for a
// sentence: "di stato libero".
func lowerTitle(t Type) string {
	return strings.ToLower(strings.TrimPrefix(t.Title, "CERTIFICATO "))
}

// since is the date of cancellation for a refusal: the anagrafe records
// when the person was cancelled, which is not always the day of the event.
func since(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return " (cancellata il " + formatDate(t) + ")"
}
