package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestProfileFolderPrivate: a profile folder holds the device's token and
// key and the cache of personal data: its owner's alone (0700), also one
// an older version made 0755, with the database 0600.
func TestProfileFolderPrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "profilo")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ws, err := openWorkstation(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	ws.Close()
	for path, want := range map[string]os.FileMode{dir: os.ModeDir | 0o700, storePath(dir): 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != want {
			t.Errorf("%s: %v, want %v", filepath.Base(path), fi.Mode(), want)
		}
	}
}
