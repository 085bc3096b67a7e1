package sync_test

import (
	"context"
	"slices"
	"testing"

	"github.com/sportello/sportello/app/request"
	"github.com/sportello/sportello/hub"
)

// TestCatalogueReplacedReachesWorkstations publishes the built-in
// catalogue, syncs a counter, then replaces the catalogue with a comune's
// own (one service changed, one withdrawn, one added): at its next round
// the counter has exactly the new catalogue, and no longer offers the
// withdrawn service.
func TestCatalogueReplacedReachesWorkstations(t *testing.T) {
	ctx := context.Background()
	h := newHub(t)
	h.replace("F205", milano())
	if _, err := hub.SeedCatalogue(ctx, h.DB, "F205"); err != nil {
		t.Fatal(err)
	}
	w := h.synced("F205")
	d := deskOf(w)
	before, err := d.Catalogue(ctx)
	if err != nil || len(before) != 117 {
		t.Fatalf("before: %d services (%v)", len(before), err)
	}

	cat := request.DefaultCatalogue()
	cat[0].Title = "Cambio di residenza e di abitazione"
	cat = slices.DeleteFunc(cat, func(s request.Service) bool { return s.ID == "contributo-affitto" })
	cat = append(cat, request.Service{ID: "orto-didattico", Title: "Orto didattico per le scuole", Event: request.EventSchool,
		Audience: request.Businesses, Office: "Servizi scolastici", Days: 30,
		Fields: []request.Field{{ID: "scuola", Label: "Scuola", Type: request.Text, Required: true}}})
	if res, err := h.DB.ReplaceCatalogue(ctx, cat); err != nil || res.Added != 1 || res.Updated != 1 || res.Withdrawn != 1 {
		t.Fatalf("%+v (%v)", res, err)
	}
	if err := w.C.Round(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := w.St.Services(ctx)
	if err != nil {
		t.Fatal(err)
	}
	request.SortServices(got)
	want := slices.Clone(cat)
	request.SortServices(want)
	if len(got) != len(want) {
		t.Fatalf("the workstation has %d services, the hub %d", len(got), len(want))
	}
	for i := range want {
		if got[i].ID != want[i].ID || got[i].Title != want[i].Title || len(got[i].Fields) != len(want[i].Fields) {
			t.Errorf("service %d: %s %q, want %s %q", i, got[i].ID, got[i].Title, want[i].ID, want[i].Title)
		}
	}
	if _, err := d.Service(ctx, "contributo-affitto"); err == nil {
		t.Error("the counter still offers the withdrawn service")
	}
	if s, err := d.Service(ctx, "cambio-residenza"); err != nil || s.Title != "Cambio di residenza e di abitazione" {
		t.Errorf("changed service: %+v (%v)", s, err)
	}
}
