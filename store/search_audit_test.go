package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/passwd"
)

// TestSearchAudited: a counter's search is an audit event that records how
// many citizens it found and never the text typed; the citizen it leads to
// is recorded by codice fiscale when the file is opened.
func TestSearchAudited(t *testing.T) {
	ctx := context.Background()
	s := mustOpenWithFixtures(t)
	if err := s.SaveProfile(ctx, benchProfile(t)); err != nil {
		t.Fatal(err)
	}
	if err := s.ApplyChanges(ctx, "F205", nil, app.Cursor{Scope: "F205", Seq: 1, AsOf: time.Now().Add(-time.Minute)}); err != nil {
		t.Fatal(err)
	}
	cs := &app.CounterService{Local: s, Verify: passwd.Verify, Comune: "F205", Now: time.Now}
	op := &app.Operator{Username: "mrossi"}
	for _, tc := range []struct {
		name, text string
	}{
		{"Surname", "rossi mario"},
		{"NoHits", "zzzyxw"},
		{"CodiceFiscale", rossiMarta.CodiceFiscale},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := cs.Search(ctx, op, tc.text)
			if err != nil {
				t.Fatal(err)
			}
			var operator, action, subject string
			if err := s.DB().QueryRow(`SELECT operator, action, subject FROM audit ORDER BY seq DESC LIMIT 1`).Scan(&operator, &action, &subject); err != nil {
				t.Fatal(err)
			}
			want := app.SearchSubject(len(res.Local) + len(res.Remote))
			if operator != "mrossi" || action != app.AuditSearch || subject != want {
				t.Errorf("audit %q %q %q, want mrossi %q %q", operator, action, subject, app.AuditSearch, want)
			}
			if strings.Contains(strings.ToLower(subject), strings.ToLower(strings.Fields(tc.text)[0])) {
				t.Errorf("the search text %q is in the audit trail: %q", tc.text, subject)
			}
		})
	}
	t.Run("OpenedResult", func(t *testing.T) {
		res, err := cs.Search(ctx, op, "rossi marta")
		if err != nil || len(res.Local) == 0 {
			t.Fatalf("search: %d hits, %v", len(res.Local), err)
		}
		if _, err := cs.OpenFile(ctx, op, res.Local[0].CodiceFiscale); err != nil {
			t.Fatal(err)
		}
		var action, subject string
		if err := s.DB().QueryRow(`SELECT action, subject FROM audit ORDER BY seq DESC LIMIT 1`).Scan(&action, &subject); err != nil {
			t.Fatal(err)
		}
		if action != app.AuditView || subject != res.Local[0].CodiceFiscale {
			t.Errorf("opening audited as %q %q, want %q %q", action, subject, app.AuditView, res.Local[0].CodiceFiscale)
		}
	})
}
