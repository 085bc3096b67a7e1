package store_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/sportello/sportello/app"
)

// TestFolder resolves the scanner folder an operator types: a relative
// path becomes absolute, a missing folder or a file is refused, and the
// folder's files are read through FolderFS.
func TestFolder(t *testing.T) {
	s := MustOpen(t)
	tmp := t.TempDir()
	if err := os.Mkdir(filepath.Join(tmp, "scanner"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "scanner", "doc.pdf"), []byte("%PDF-1.4 doc"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(tmp)
	dir, err := s.Folder("scanner")
	if err != nil || dir != filepath.Join(tmp, "scanner") {
		t.Fatalf("Folder = %q, %v", dir, err)
	}
	if b, err := fs.ReadFile(s.FolderFS(dir), "doc.pdf"); err != nil || string(b) != "%PDF-1.4 doc" {
		t.Fatalf("FolderFS: %q %v", b, err)
	}
	for _, bad := range []string{"manca", filepath.Join("scanner", "doc.pdf")} {
		if _, err := s.Folder(bad); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("Folder(%q) = %v", bad, err)
		}
	}
}
