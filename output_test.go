package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/sportello/sportello/store"
)

func TestPrinterOutput(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "sportello.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	o := &printerOutput{store: st, dir: filepath.Join(dir, "documenti")}
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
		again := &printerOutput{store: st}
		if got := again.DefaultPrinter(); got != "PDF" {
			t.Fatalf("default printer = %q, want PDF", got)
		}
	})
}
