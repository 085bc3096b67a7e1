package sqlstore

import (
	"context"
	"testing"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/request"
)

// TestReplaceCatalogue refuses a catalogue with a service twice or an
// invalid one without writing anything, and withdraws what a new
// catalogue leaves out.
func TestReplaceCatalogue(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	cat := request.DefaultCatalogue()
	if res, err := db.ReplaceCatalogue(ctx, cat); err != nil || res.Added != len(cat) {
		t.Fatalf("%+v (%v)", res, err)
	}
	seq := func() int64 {
		page, err := db.Changes(ctx, app.ScopeNetwork, 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		return page.Last
	}
	before := seq()
	bad := request.DefaultCatalogue()[:3]
	bad[2].Days = 0
	for name, c := range map[string][]request.Service{
		"ErrTwice":   append(request.DefaultCatalogue()[:3], request.DefaultCatalogue()[0]),
		"ErrInvalid": bad,
	} {
		if _, err := db.ReplaceCatalogue(ctx, c); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
	if after := seq(); after != before {
		t.Fatalf("refused catalogues made %d changes", after-before)
	}
	res, err := db.ReplaceCatalogue(ctx, cat[:100])
	if err != nil || res != (CatalogueResult{Unchanged: 100, Withdrawn: len(cat) - 100}) {
		t.Fatalf("%+v (%v)", res, err)
	}
	if got, err := db.Catalogue(ctx); err != nil || len(got) != 100 {
		t.Fatalf("%d services (%v)", len(got), err)
	}
}
