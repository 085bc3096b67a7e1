package cmdline

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/sportello/sportello/app"
)

func TestReport(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		code int
		out  string
	}{
		{"Nil", nil, 0, ""},
		{"Usage", Usagef("--lang: it oppure en"), 2, "sportello: --lang: it oppure en\n"},
		{"WrappedUsage", fmt.Errorf("parse: %w", UsageError{"manca --cf"}), 2, "sportello: manca --cf\n"},
		{"Refused", app.Errorf(app.EINVALID, "codice fiscale non valido"), 1, "sportello: codice fiscale non valido\n"},
		{"Internal", fmt.Errorf("open store: %w", errors.New("disk I/O error")), 1, "sportello: open store: disk I/O error\n"},
		{"Silent", SilentError{Code: 1}, 1, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if got := Report(&buf, "sportello", tc.err); got != tc.code {
				t.Errorf("exit %d, want %d", got, tc.code)
			}
			if buf.String() != tc.out {
				t.Errorf("printed %q, want %q", buf.String(), tc.out)
			}
		})
	}
}
