package ui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/sportello/sportello/app/request"
)

// TestRequestScannerFolder attaches a document from the workstation's
// scanner folder with one click: the form offers the newest files the
// field takes, newest first, and leaves out what a request cannot carry
// (a program named .pdf, a file over the size limit, hidden files,
// folders). Without a folder set nothing is offered.
func TestRequestScannerFolder(t *testing.T) {
	ctx := context.Background()
	desk, st := requestsDesk(t)
	h := newHarness(t, func(d *Deps) { d.Requests = desk })
	h.login()

	fm := h.openRequestForm("rossi mario")
	fm.pickService(t, "assistenza-domiciliare")
	slot := scanSlotOf(t, fm, "certificato_medico")
	h.settle(100 * time.Millisecond) // a load would have come back
	if slot.box.Visible() {
		t.Fatal("scanned files offered without a scanner folder")
	}
	h.tap(h.button("Annulla"))

	dir := t.TempDir()
	now := time.Now()
	write := func(name string, data []byte, age time.Duration) {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, now.Add(-age), now.Add(-age)); err != nil {
			t.Fatal(err)
		}
	}
	write("vecchio.pdf", []byte("%PDF-1.4 vecchia scansione"), 2*time.Hour)
	write("scansione_0002.pdf", []byte("%PDF-1.7 certificato del medico curante"), time.Minute)
	write("foto.jpg", []byte("\xFF\xD8\xFF\xE0 jpeg"), 10*time.Minute)
	write("virus.pdf", []byte("MZ\x90\x00 not a document"), 0)
	write("grande.pdf", append([]byte("%PDF-1.4 "), bytes.Repeat([]byte("x"), request.MaxAttachmentSize)...), 0)
	write(".miniatura.png", []byte("\x89PNG\r\n\x1a\n"), 0)
	if err := os.Mkdir(filepath.Join(dir, "archivio.pdf"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := desk.SetScannerFolder(ctx, dir); err != nil {
		t.Fatal(err)
	}

	fm = h.openRequestForm("rossi mario")
	fm.pickService(t, "assistenza-domiciliare")
	slot = scanSlotOf(t, fm, "certificato_medico")
	h.waitFor("the scanned files", func() bool { return len(slot.buttons) > 0 })
	var offered []string
	for _, b := range slot.buttons {
		name, _, _ := strings.Cut(b.Text, " — ")
		offered = append(offered, name)
	}
	if want := []string{"scansione_0002.pdf", "foto.jpg", "vecchio.pdf"}; !slices.Equal(offered, want) {
		t.Fatalf("offered %q, want %q", offered, want)
	}
	h.assertShows("Dalla cartella dello scanner (" + dir + "):")
	h.tap(slot.buttons[0])
	h.waitFor("the file attached", func() bool { return fm.files["certificato_medico"].Name == "scansione_0002.pdf" })
	fm.set(t, "beneficiario", "BIANCHI Anna (04/07/1978)")
	fm.set(t, "prestazioni", "Igiene personale")
	fm.set(t, "ore_settimana", "4")
	fm.set(t, "dichiarazione")
	fm.set(t, "privacy")
	if sc, ok := fm.body.Objects[0].(*container.Scroll); ok {
		d := fyne.CurrentApp().Driver() // the field in view, for the screenshot
		sc.ScrollToOffset(fyne.NewPos(0, d.AbsolutePositionForObject(slot.box).Y-d.AbsolutePositionForObject(sc.Content).Y-120))
	}
	h.savePNG("request_scans.png")
	h.tap(h.button("Presenta"))
	h.waitFor("the receipt", func() bool { return h.c.file.reqs.form == nil })
	list, err := st.Requests(ctx, h.dir.byName("Rossi", "Mario").CodiceFiscale)
	if err != nil || len(list) != 1 {
		t.Fatalf("stored %d requests (%v)", len(list), err)
	}
	if a := list[0].Attachments; len(a) != 1 || a[0].Name != "scansione_0002.pdf" || a[0].Type != "application/pdf" || a[0].Size != 39 {
		t.Fatalf("attached %+v", a)
	}

	t.Run("ErrFileGone", func(t *testing.T) {
		fm := h.openRequestForm("rossi mario")
		fm.pickService(t, "assistenza-domiciliare")
		slot := scanSlotOf(t, fm, "certificato_medico")
		h.waitFor("the scanned files", func() bool { return len(slot.buttons) > 0 })
		os.Remove(filepath.Join(dir, "scansione_0002.pdf"))
		h.tap(slot.buttons[0])
		h.waitFor("the reason", func() bool { return h.shows("il file scansione_0002.pdf non è più nella cartella dello scanner") })
		if _, ok := fm.files["certificato_medico"]; ok {
			t.Fatal("a file no longer there was attached")
		}
	})
}

func scanSlotOf(t *testing.T, fm *requestForm, field string) *scanSlot {
	t.Helper()
	for _, s := range fm.scans.fields {
		if s.f.ID == field {
			return s
		}
	}
	t.Fatalf("no scanner files under %s", field)
	return nil
}
