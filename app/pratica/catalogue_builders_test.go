package pratica

import (
	_ "embed"
	"reflect"
	"testing"
)

//go:embed catalogue.json
var catalogueFile []byte

// TestCatalogueFileMatchesBuilders proves the catalogue file holds exactly
// the services the Go builders produced, field by field, before the
// builders go.
func TestCatalogueFileMatchesBuilders(t *testing.T) {
	built := DefaultCatalogue()
	read, err := DecodeCatalogue(catalogueFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(read) != len(built) {
		t.Fatalf("file has %d services, builders %d", len(read), len(built))
	}
	fields, options, fees := 0, 0, 0
	for i := range built {
		if !reflect.DeepEqual(read[i], built[i]) {
			t.Errorf("service %d (%s) differs:\nfile     %+v\nbuilders %+v", i, built[i].ID, read[i], built[i])
		}
		fields += len(built[i].Fields)
		fees += len(built[i].Fees)
		for _, f := range built[i].Fields {
			options += len(f.Options)
		}
	}
	t.Logf("%d services, %d fields, %d options, %d fees: identical (reflect.DeepEqual, in order)", len(built), fields, options, fees)
}
