package anprdir_test

import (
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/assets"
	"github.com/sportello/sportello/internal/anprdir"
)

// TestBuiltIn: the binaries carry the whole of ANPR's tables, not a
// subset, valid, and each caller gets its own copy.
func TestBuiltIn(t *testing.T) {
	start := time.Now()
	full, err := anpr.ReadFS(assets.ANPR)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("parsed the embedded tables in %v", time.Since(start).Round(time.Millisecond))
	if err := full.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	got := anprdir.BuiltIn()
	if !reflect.DeepEqual(got, full) {
		t.Fatal("BuiltIn differs from the embedded files")
	}
	if len(got.Comuni) != 19352 || len(got.States) != 238 {
		t.Errorf("%d comuni and %d states, want ANPR's 19352 and 238", len(got.Comuni), len(got.States))
	}
	ix := anpr.NewIndex(got)
	// A small comune far from the defaults' hundred: Morterone (LC),
	// the smallest in Italy, and a state.
	for code, want := range map[string]string{"F758": "MORTERONE", "Z404": "STATI UNITI D'AMERICA"} {
		if name, ok := ix.PlaceName(code, time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)); !ok || name != want {
			t.Errorf("PlaceName(%s) = %q, %v; want %q", code, name, ok, want)
		}
	}
	got.Comuni[0].Name = "changed"
	got.States = got.States[:1]
	if again := anprdir.BuiltIn(); again.Comuni[0].Name == "changed" || len(again.States) != 238 {
		t.Error("a caller's change reached the next caller")
	}
}

// TestBuiltInIsTheReleaseFolder: reading the compressed folder as an
// import folder (what `sportello-hub import-reference` does) gives the
// built-in tables, so the embedded copy is a published release, unchanged.
func TestBuiltInIsTheReleaseFolder(t *testing.T) {
	got, err := anprdir.ReadDir("../../assets/anpr")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, anprdir.BuiltIn()) {
		t.Error("assets/anpr read as a folder differs from BuiltIn")
	}
	if _, err := os.Stat("../../assets/anpr/README.md"); err != nil {
		t.Errorf("the CC BY 4.0 attribution must travel with the tables: %v", err)
	}
}

// BenchmarkParseBuiltIn measures what the first lookup of a place costs
// a binary: parsing the eight compressed files.
func BenchmarkParseBuiltIn(b *testing.B) {
	for b.Loop() {
		if _, err := anpr.ReadFS(assets.ANPR); err != nil {
			b.Fatal(err)
		}
	}
}
