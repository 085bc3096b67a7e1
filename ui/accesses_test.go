package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
)

// TestAccessExport: a supervisor exports who accessed the open citizen,
// saved as CSV and JSON; an operator is not offered it; a refusal from the
// hub is shown in its words and nothing is saved.
func TestAccessExport(t *testing.T) {
	var asked []string
	fail := false
	h := newHarness(t, func(d *Deps) {
		d.Accesses = func(_ context.Context, op *app.Operator, cf string) ([]app.Access, error) {
			asked = append(asked, op.Username+" "+cf)
			if fail {
				return nil, app.Errorf(app.EFORBIDDEN, "la prova del supervisore non è valida")
			}
			return []app.Access{
				{At: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), Device: "F205-W001", DeviceComune: "F205", Operator: "mrossi",
					Action: app.AuditView, Subject: cf, Source: "device"},
				{At: time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC), Device: "I690-W003", DeviceComune: "I690", Operator: "gverdi",
					Action: "lettura_hub", Subject: cf, Purpose: "scheda", Source: "hub"},
			}, nil
		}
	})
	h.login()
	mario := h.dir.byName("Rossi", "Mario")
	h.openByKeyboard("rossi mario", 1)
	h.waitFor("the file", func() bool { return h.shows(mario.CodiceFiscale) })
	h.assertHides("Accessi al cittadino (GDPR)")

	h.c.op.Roles = append(h.c.op.Roles, app.RoleSupervisor)
	h.c.openFile(mario.CodiceFiscale)
	h.waitFor("the export button", func() bool { return h.shows("Accessi al cittadino (GDPR)") })
	h.tap(h.button("Accessi al cittadino (GDPR)"))
	h.waitFor("the export done", func() bool { return h.shows("2 accessi esportati in") })
	_, saved := h.output.jobs()
	if len(saved) != 2 || !strings.HasSuffix(saved[0].name, ".csv") || !strings.HasSuffix(saved[1].name, ".json") {
		t.Fatalf("saved %+v", saved)
	}
	csv := strings.Split(strings.TrimSpace(saved[0].pdf), "\n")
	if len(csv) != 3 || csv[0] != "at,device,device_comune,operator,action,subject,purpose,source" ||
		!strings.HasPrefix(csv[1], "2026-12-01T09:00:00Z,F205-W001,F205,mrossi,consultazione,"+mario.CodiceFiscale) {
		t.Errorf("csv:\n%s", saved[0].pdf)
	}
	if lines := strings.Split(strings.TrimSpace(saved[1].pdf), "\n"); len(lines) != 2 ||
		!strings.Contains(lines[1], `"operator":"gverdi"`) || !strings.Contains(lines[1], `"purpose":"scheda"`) {
		t.Errorf("json:\n%s", saved[1].pdf)
	}
	if len(asked) != 1 || asked[0] != h.c.op.Username+" "+mario.CodiceFiscale {
		t.Errorf("asked %v", asked)
	}

	fail = true
	h.tap(h.button("Accessi al cittadino (GDPR)"))
	h.waitFor("the refusal", func() bool { return h.shows("Accessi non esportati: la prova del supervisore non è valida") })
	if _, saved := h.output.jobs(); len(saved) != 2 {
		t.Errorf("saved after a refusal: %d files", len(saved))
	}
}
