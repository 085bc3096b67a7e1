package printing_test

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/app/post"
	"github.com/sportello/sportello/app/request"
	"github.com/sportello/sportello/printing"
)

// Word is a word of a page as pdftotext -bbox places it, in mm from the
// page's top left corner.
type Word struct {
	Page                   int
	Text                   string
	XMin, YMin, XMax, YMax float64
}

var (
	pageRE = regexp.MustCompile(`<page width="[0-9.]+" height="[0-9.]+">`)
	wordRE = regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>`)
)

// BBoxWords reads the words of a PDF with pdftotext -bbox.
func BBoxWords(t testing.TB, path string) []Word {
	t.Helper()
	out := string(run(t, "pdftotext", "-bbox", path, "-"))
	var words []Word
	for i, page := range pageRE.Split(out, -1)[1:] {
		for _, m := range wordRE.FindAllStringSubmatch(page, -1) {
			f := func(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v * 25.4 / 72 }
			words = append(words, Word{Page: i + 1, Text: m[5], XMin: f(m[1]), YMin: f(m[2]), XMax: f(m[3]), YMax: f(m[4])})
		}
	}
	return words
}

// AddressInWindow fails unless every word of the address lines is on page
// 1 inside the part of the sheet a DL envelope's window shows.
func AddressInWindow(t testing.TB, words []Word, a request.Address) {
	t.Helper()
	want := strings.Fields(strings.Join(a.Lines(), " "))
	found := 0
	for _, w := range words {
		if w.Page != 1 || w.YMin < 40 || w.YMax > 99 || w.XMin < 100 {
			continue
		}
		if w.XMin < printing.PostSafeX0 || w.XMax > printing.PostSafeX1 || w.YMin < printing.PostSafeY0 || w.YMax > printing.PostSafeY1 {
			t.Errorf("%q at x %.1f–%.1f y %.1f–%.1f mm: outside the window (x %.0f–%.0f, y %.0f–%.0f)", w.Text, w.XMin, w.XMax, w.YMin, w.YMax,
				printing.PostSafeX0, printing.PostSafeX1, printing.PostSafeY0, printing.PostSafeY1)
		}
		found++
	}
	if found != len(want) {
		t.Errorf("%d words in the window's area, want the address's %d (%q)", found, len(want), want)
	}
}

func TestPostCoverPDF(t *testing.T) {
	needTool(t, "pdftotext", "pdftoppm", "zbarimg")
	c := issue(t, "residenza", nicolo(t), 7, certificate.Bollo{})
	cert, err := printing.CertificatePDF(c, options(t, c))
	if err != nil {
		t.Fatal(err)
	}
	notice, err := printing.NoticePDF(tariNotice(t, false))
	if err != nil {
		t.Fatal(err)
	}
	addr := request.Address{Recipient: "Nicolò Bianchi D'Alessandro", Street: "Via Giuseppe Garibaldi 112/B int. 4", CAP: "20099",
		Comune: "Sesto San Giovanni", Provincia: "MI"}
	cover := &post.Cover{ComuneName: "Sesto San Giovanni", Address: addr, Request: "2026/000123", Certificate: c.Number.String(),
		Title: c.Type.Title, Avviso: "3010 0000 0000 1234 68", AmountCents: 1787,
		Charges: []post.Charge{{Label: "Spedizione (posta ordinaria)", Cents: 135}, {Label: "Bollo", Cents: 1600}, {Label: "Diritti di segreteria", Cents: 52}},
		Due:     time.Date(2026, 4, 10, 0, 0, 0, 0, time.UTC), Date: issuedAt, Operator: "mrossi"}
	pdf, err := printing.PostCoverPDF(cover, cert, notice)
	if err != nil {
		t.Fatal(err)
	}
	path := writePDF(t, "posta", pdf)
	words := BBoxWords(t, path)
	AddressInWindow(t, words, addr)
	pages := 0
	for _, w := range words {
		pages = max(pages, w.Page)
	}
	if pages != 3 {
		t.Errorf("%d pages, want cover, certificate, notice", pages)
	}
	text := strings.Join(strings.Fields(string(run(t, "pdftotext", "-layout", path, "-"))), " ")
	for _, want := range []string{"Comune di Sesto San Giovanni", "Oggetto: certificato richiesto per posta - richiesta n. 2026/000123",
		"20099 SESTO SAN GIOVANNI MI", "€ 17,87", "3010 0000 0000 1234 68", "CERTIFICATO DI RESIDENZA", "AVVISO DI PAGAMENTO"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	// The certificate's stamp survives the import: its QR code reads.
	base := filepath.Join(t.TempDir(), "page")
	run(t, "pdftoppm", "-r", "150", "-png", "-f", "2", "-l", "2", "-singlefile", path, base)
	if got := strings.TrimSpace(string(run(t, "zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", base+".png"))); got != options(t, c).Stamp {
		t.Errorf("the certificate's QR code reads %q", got)
	}
	if *update {
		run(t, "pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", path, filepath.Join("..", "docs", "certificate-post"))
	}
	t.Run("ErrLineTooWide", func(t *testing.T) {
		wide := *cover
		wide.Address.Street = strings.Repeat("WWWWWWWWWW ", 4) + "1"
		if _, err := printing.PostCoverPDF(&wide); err == nil || !strings.Contains(err.Error(), "finestra") {
			t.Errorf("a line wider than the window: %v", err)
		}
	})
}
