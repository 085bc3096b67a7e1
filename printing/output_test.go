package printing

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// settings is the workstation's settings kept in memory: the store's
// contract is a key and its value, nothing more.
type settings map[string]string

func (s settings) Setting(_ context.Context, key string) (string, error) { return s[key], nil }
func (s settings) SetSetting(_ context.Context, key, value string) error {
	s[key] = value
	return nil
}

func TestOutput(t *testing.T) {
	dir := t.TempDir()
	kept := settings{}
	o := &Output{Settings: kept, Dir: filepath.Join(dir, "documenti")}
	t.Run("SaveNamesTheFileOnce", func(t *testing.T) {
		for _, want := range []string{"I690-W001-2026-000001.pdf", "I690-W001-2026-000001 (2).pdf"} {
			path, err := o.Save("I690-W001-2026-000001.pdf", []byte("%PDF-1.4"))
			if err != nil {
				t.Fatal(err)
			}
			if filepath.Base(path) != want {
				t.Fatalf("saved as %s, want %s", filepath.Base(path), want)
			}
			if b, _ := os.ReadFile(path); string(b) != "%PDF-1.4" {
				t.Fatalf("file holds %q", b)
			}
		}
	})
	t.Run("DefaultPrinterRemembered", func(t *testing.T) {
		if o.DefaultPrinter() != "" {
			t.Fatal("a printer is chosen before any choice")
		}
		if err := o.SetDefaultPrinter("PDF"); err != nil {
			t.Fatal(err)
		}
		again := NewOutput(kept, dir)
		if got := again.DefaultPrinter(); got != "PDF" {
			t.Fatalf("default printer = %q, want PDF", got)
		}
	})
}
