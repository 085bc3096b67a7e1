package store

import (
	"io/fs"
	"os"
	"path/filepath"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/request"
)

// The store is the workstation's adapter to its own machine: beside the
// settings table, the folders a setting names (the scanner's), so that the
// domain chooses files from an fs.FS and never calls os itself.
var _ request.Settings = (*Store)(nil)

// Folder returns path, made absolute, when it names an existing folder of
// this machine; EINVALID otherwise.
func (s *Store) Folder(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", app.Errorf(app.EINVALID, "cartella non valida %q", path)
	}
	st, err := os.Stat(abs)
	if err != nil || !st.IsDir() {
		return "", app.Errorf(app.EINVALID, "la cartella %s non esiste", abs)
	}
	return abs, nil
}

// FolderFS is the files of the folder at dir, read when they are asked
// for: a folder that has gone (a network share that is down) fails then.
func (s *Store) FolderFS(dir string) fs.FS { return os.DirFS(dir) }
