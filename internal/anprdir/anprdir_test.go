package anprdir_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/internal/anprdir"
)

// TestWriteDirReadDir writes an import folder and reads it back; a folder
// missing a file is refused naming it.
func TestWriteDirReadDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "anpr")
	want := anpr.Defaults()
	if err := anprdir.WriteDir(dir, want); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 8 {
		t.Fatalf("%d files (%v), want the 8 published", len(entries), err)
	}
	got, err := anprdir.ReadDir(dir)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("read back differently (%v)", err)
	}
	if err := os.Remove(filepath.Join(dir, anpr.FileStates)); err != nil {
		t.Fatal(err)
	}
	if _, err := anprdir.ReadDir(dir); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), anpr.FileStates) {
		t.Fatalf("a missing file: %v", err)
	}
}
