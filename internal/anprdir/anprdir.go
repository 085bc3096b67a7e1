// Package anprdir reads and writes the ANPR reference tables as a folder
// of the machine: the file-system side of app/anpr, which parses and
// writes the published files without touching the disk.
package anprdir

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/sportello/sportello/app/anpr"
)

// ReadDir reads the eight published files from dir (anpr.ReadFS).
func ReadDir(dir string) (*anpr.Tables, error) { return anpr.ReadFS(os.DirFS(dir)) }

// WriteDir writes t into dir as the eight published files, creating dir if
// needed: an import folder for tests and the demo. ReadDir gives t back.
func WriteDir(dir string, t *anpr.Tables) error {
	files, err := t.Files()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write ANPR tables: %w", err)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return fmt.Errorf("write ANPR tables: %w", err)
		}
	}
	return nil
}
