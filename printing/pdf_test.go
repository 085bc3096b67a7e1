package printing_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/xml"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/printing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata (text, and the review PNGs)")

// writePDF writes pdf in a temporary folder and returns its path.
func writePDF(tb testing.TB, name string, pdf []byte) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), name+".pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// TestCertificatePDFGolden prints every certificate type and compares the
// page text, as pdftotext lays it out, with testdata/<case>.txt: the words,
// their order and their columns. Run with -update after a deliberate
// change, and look at the PNGs it writes next to them.
func TestCertificatePDFGolden(t *testing.T) {
	needTool(t, "pdftotext")
	covered := map[string]bool{}
	for _, gc := range goldenCases() {
		t.Run(gc.name, func(t *testing.T) {
			c := gc.cert(t)
			covered[c.Type.Slug] = true
			pdf, err := printing.CertificatePDF(c, options(t, c))
			if err != nil {
				t.Fatal(err)
			}
			path := writePDF(t, gc.name, pdf)
			got := run(t, "pdftotext", "-layout", "-enc", "UTF-8", path, "-")
			golden := filepath.Join("testdata", gc.name+".txt")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				if mainTypes[gc.name] {
					needTool(t, "pdftoppm")
					run(t, "pdftoppm", "-r", "60", "-png", "-singlefile", path, filepath.Join("testdata", gc.name))
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./printing -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("text of %s differs from %s (go test ./printing -update rewrites it):\n%s", gc.name, golden, lineDiff(string(want), string(got)))
			}
		})
	}
	for _, ty := range certificate.Types() {
		if !covered[ty.Slug] {
			t.Errorf("no golden case prints the type %s", ty.Slug)
		}
	}
}

// mainTypes are the cases whose page is kept as a PNG for review.
var mainTypes = map[string]bool{
	"residenza": true, "stato-di-famiglia-con-rapporti-di-parentela": true, "nascita": true,
	"residenza-duplicato": true, "esistenza-in-vita-offline": true, "nomi-lunghi": true, "cittadinanza-forzata": true,
	// The types of the civil and residence history.
	"morte": true, "matrimonio": true, "cittadinanza-storico": true, "residenza-aire": true, "stato-di-famiglia-aire": true,
	"unione-civile": true, "contratto-di-convivenza": true, "residenza-storico-alla-data": true,
}

// lineDiff shows the first lines that differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 8; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  want %q\n   got %q\n", i+1, wl, gl)
			shown++
		}
	}
	return b.String()
}

// TestCertificatePDFText checks, independently of the golden files, what
// an Italian reader checks on the page: accents, the fixed wording, the
// marks.
func TestCertificatePDFText(t *testing.T) {
	needTool(t, "pdftotext")
	text := func(t *testing.T, c *certificate.Certificate) string {
		pdf, err := printing.CertificatePDF(c, options(t, c))
		if err != nil {
			t.Fatal(err)
		}
		// Without -layout: one word after the other, for phrases.
		return strings.Join(strings.Fields(string(run(t, "pdftotext", "-enc", "UTF-8", writePDF(t, "c", pdf), "-"))), " ")
	}
	cases := map[string]*certificate.Certificate{}
	for _, gc := range goldenCases() {
		cases[gc.name] = gc.cert(t)
	}
	must := func(t *testing.T, s string, want ...string) {
		t.Helper()
		for _, w := range want {
			if w = strings.Join(strings.Fields(w), " "); !strings.Contains(s, w) {
				t.Errorf("page lacks %q", w)
			}
		}
	}
	mustNot := func(t *testing.T, s string, bad ...string) {
		t.Helper()
		for _, w := range bad {
			if strings.Contains(s, w) {
				t.Errorf("page has %q", w)
			}
		}
	}
	t.Run("Residenza", func(t *testing.T) {
		s := text(t, cases["residenza"])
		must(t, s,
			"COMUNE DI SESTO SAN GIOVANNI", "Città Metropolitana di Milano", "Ufficio Anagrafe",
			"CERTIFICATO DI RESIDENZA",
			"L'UFFICIALE D'ANAGRAFE, visti gli atti d'ufficio, CERTIFICA che",
			"D'ANGELO MÜLLER", "NICOLÒ", "SAN GIULIANO TERME", "DNGNCL79C14A562Z", "14/03/1979",
			"Viale Giuseppe Mazzini 120/B - 20099, SESTO SAN GIOVANNI",
			"uso consentito dalla legge",
			"Assolta con marca da bollo n. 01170458290761 di € 16,00",
			"Diritti di segreteria: € 0,52",
			certificate.Notice,
			"Dati anagrafici aggiornati al 23/11/2026 09:30",
			"Rilasciato il 23/11/2026 alle ore 11:00 da postazione I690-W001",
			"I690-W001-2026-000005",
			"Contrassegno elettronico (art. 23-ter CAD): inquadrare il codice o verificarlo su",
			hub+"/verifica",
		)
		mustNot(t, s, "DUPLICATO", "COLLEGAMENTO")
	})
	t.Run("Duplicate", func(t *testing.T) {
		s := text(t, cases["residenza-duplicato"])
		must(t, s, "DUPLICATO", "I690-W001-2026-000005")
		// The watermark is drawn, not written: the text reads as the
		// original's plus the one mark.
		if n := strings.Count(s, "DUPLICATO"); n != 1 {
			t.Errorf("DUPLICATO %d times in the text, want 1 (the mark; the watermark is no text)", n)
		}
	})
	t.Run("Offline", func(t *testing.T) {
		must(t, text(t, cases["esistenza-in-vita-offline"]), "RILASCIATO IN ASSENZA DI COLLEGAMENTO: DA VERIFICARE")
	})
	t.Run("Abroad", func(t *testing.T) {
		s := text(t, cases["residenza-estero"])
		must(t, s, certificate.NoticeAbroad)
		mustNot(t, s, "non può essere prodotto")
	})
	t.Run("Exemption", func(t *testing.T) {
		c := cases["stato-di-famiglia-esente"]
		must(t, text(t, c), "Esente da imposta di bollo ai sensi di: "+c.Bollo.ExemptionText, "Diritti di segreteria: € 0,26")
	})
	// Birth and citizenship are anagrafe certificates: in bollo, or
	// exempt with the exemption's legal reference (issue 14).
	t.Run("NascitaInBollo", func(t *testing.T) {
		s := text(t, cases["nascita"])
		must(t, s, "Assolta con marca da bollo n. "+marca, "Diritti di segreteria: € 0,52", "Validità illimitata")
		mustNot(t, s, "stato civile", "Esente")
	})
	t.Run("CittadinanzaExempt", func(t *testing.T) {
		c := cases["cittadinanza"]
		must(t, text(t, c), "Esente da imposta di bollo ai sensi di: "+c.Bollo.ExemptionText, "Diritti di segreteria: € 0,26")
	})
	t.Run("Forced", func(t *testing.T) {
		s := text(t, cases["cittadinanza-forzata"])
		must(t, s, "In deroga", "SVIZZERA", "cittadinanza non italiana")
		mustNot(t, s, "ITALIANA", "doppia cittadinanza")
	})
	t.Run("FamilyRelationships", func(t *testing.T) {
		must(t, text(t, cases["stato-di-famiglia-con-rapporti-di-parentela"]),
			"Rapporto di parentela", "ROSSI GIULIA", "SVIZZERA", "Marito / Moglie", "Figlio / Figlia", "D'ANGELO MÜLLER SOFIA")
	})
	t.Run("TwoPages", func(t *testing.T) {
		s := text(t, cases["nomi-lunghi"])
		must(t, s, "Pagina 1 di 2", "Pagina 2 di 2", "(segue)", "ORSOLA", "NOÈ")
	})
}

// TestCertificatePDFFitsItsFields checks with the words' boxes that nothing
// leaves the page's margins and no two words overlap, on every case, the
// long names above all.
func TestCertificatePDFFitsItsFields(t *testing.T) {
	needTool(t, "pdftotext")
	const (
		mm     = 72 / 25.4
		left   = 20 * mm
		right  = (210 - 20) * mm
		bottom = 292 * mm
		slack  = 0.5 // points: glyph boxes overhang their advance a little
	)
	for _, gc := range goldenCases() {
		t.Run(gc.name, func(t *testing.T) {
			c := gc.cert(t)
			pdf, err := printing.CertificatePDF(c, options(t, c))
			if err != nil {
				t.Fatal(err)
			}
			pages := wordBoxes(t, run(t, "pdftotext", "-bbox", writePDF(t, gc.name, pdf), "-"))
			if len(pages) == 0 {
				t.Fatal("no pages")
			}
			for pi, words := range pages {
				for i, w := range words {
					if w.XMin < left-slack || w.XMax > right+slack || w.YMax > bottom {
						t.Errorf("page %d: %q at x %.1f–%.1f, y %.1f leaves the margins (x %.1f–%.1f)", pi+1, w.Text, w.XMin, w.XMax, w.YMax, left, right)
					}
					for _, o := range words[i+1:] {
						if overlap(w, o) > 0.5 {
							t.Errorf("page %d: %q and %q overlap", pi+1, w.Text, o.Text)
						}
					}
				}
			}
		})
	}
}

type box struct {
	XMin float64 `xml:"xMin,attr"`
	YMin float64 `xml:"yMin,attr"`
	XMax float64 `xml:"xMax,attr"`
	YMax float64 `xml:"yMax,attr"`
	Text string  `xml:",chardata"`
}

// wordBoxes reads the words of each page from pdftotext -bbox.
func wordBoxes(tb testing.TB, html []byte) [][]box {
	tb.Helper()
	var doc struct {
		Pages []struct {
			Words []box `xml:"word"`
		} `xml:"body>doc>page"`
	}
	dec := xml.NewDecoder(bytes.NewReader(html))
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity
	if err := dec.Decode(&doc); err != nil {
		tb.Fatalf("pdftotext -bbox: %v", err)
	}
	var pages [][]box
	for _, p := range doc.Pages {
		pages = append(pages, p.Words)
	}
	return pages
}

// overlap is the area two boxes share, in square points; font boxes of
// neighbouring lines touch, so a tolerance applies.
func overlap(a, b box) float64 {
	w := min(a.XMax, b.XMax) - max(a.XMin, b.XMin)
	h := min(a.YMax, b.YMax) - max(a.YMin, b.YMin)
	if w <= 0 || h <= 0 {
		return 0
	}
	// Vertical overlap of up to a quarter of a line is the fonts' ascent
	// and descent, not text over text.
	lh := min(a.YMax-a.YMin, b.YMax-b.YMin)
	if h < lh*0.25 {
		return 0
	}
	return w * h
}

// TestCertificatePDFStamp decodes the QR code from the rendered page, as a
// phone would from the paper, and compares it with the stamp URL.
func TestCertificatePDFStamp(t *testing.T) {
	needTool(t, "pdftoppm", "zbarimg")
	for _, name := range []string{"residenza", "nomi-lunghi", "residenza-duplicato"} {
		t.Run(name, func(t *testing.T) {
			var gc goldenCase
			for _, g := range goldenCases() {
				if g.name == name {
					gc = g
				}
			}
			c := gc.cert(t)
			opts := options(t, c)
			pdf, err := printing.CertificatePDF(c, opts)
			if err != nil {
				t.Fatal(err)
			}
			path := writePDF(t, name, pdf)
			// The stamp is on the last page.
			pages := len(wordBoxes(t, run(t, "pdftotext", "-bbox", path, "-")))
			png := filepath.Join(t.TempDir(), "page")
			run(t, "pdftoppm", "-r", "150", "-png", "-singlefile", "-f", strconv.Itoa(pages), "-l", strconv.Itoa(pages), path, png)
			got := strings.TrimSpace(string(run(t, "zbarimg", "--raw", "-q", png+".png")))
			if got != opts.Stamp {
				t.Errorf("QR code reads\n%q\nwant the stamp URL\n%q", got, opts.Stamp)
			}
			s, err := certificate.ParseStamp(strings.TrimPrefix(got, hub+"/verifica?c="))
			if err != nil {
				t.Fatalf("the QR code's stamp does not parse: %v", err)
			}
			if s.Facts.Number != c.Number {
				t.Errorf("stamp certifies %s, the page is %s", s.Facts.Number, c.Number)
			}
		})
	}
}

// TestCertificatePDFDeterministic: the same certificate gives the same
// bytes, and a duplicate differs from the original.
func TestCertificatePDFDeterministic(t *testing.T) {
	c := issue(t, certificate.SlugStatoDiFamigliaParentela, nicolo(t), 12, certificate.Bollo{})
	opts := options(t, c)
	a, err := printing.CertificatePDF(c, opts)
	if err != nil {
		t.Fatal(err)
	}
	b, err := printing.CertificatePDF(c, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("two PDFs of the same certificate differ")
	}
	if !bytes.Contains(a, []byte("/CreationDate(D:20261123110000+01'00')")) {
		t.Error("creation date is not the time of issue in Rome")
	}
	c.Duplicate = true
	d, err := printing.CertificatePDF(c, opts)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a, d) {
		t.Error("the duplicate is the same PDF as the original")
	}
}

// TestCertificatePDFConcurrent: the font cache is shared; PDFs made at once
// are the PDFs made one by one (run with -race).
func TestCertificatePDFConcurrent(t *testing.T) {
	var certs []*certificate.Certificate
	var opts []printing.Options
	var want [][]byte
	for _, gc := range goldenCases()[:6] {
		c := gc.cert(t)
		o := options(t, c)
		pdf, err := printing.CertificatePDF(c, o)
		if err != nil {
			t.Fatal(err)
		}
		certs, opts, want = append(certs, c), append(opts, o), append(want, pdf)
	}
	var wg sync.WaitGroup
	for i := range certs {
		for range 3 {
			wg.Go(func() {
				got, err := printing.CertificatePDF(certs[i], opts[i])
				if err != nil {
					t.Error(err)
				} else if !bytes.Equal(got, want[i]) {
					t.Errorf("PDF %s made concurrently differs", certs[i].Number)
				}
			})
		}
	}
	wg.Wait()
}

// TestEmbedded reads back the certified text and the stamp a verifier
// needs, and the text's digest is the one the stamp signs.
func TestEmbedded(t *testing.T) {
	c := issue(t, certificate.SlugResidenza, nicolo(t), 5, certificate.Bollo{})
	opts := options(t, c)
	pdf, err := printing.CertificatePDF(c, opts)
	if err != nil {
		t.Fatal(err)
	}
	text, stamp, err := printing.Embedded(pdf)
	if err != nil {
		t.Fatal(err)
	}
	if text != c.CertifiedText() {
		t.Errorf("embedded text\n%s\nwant\n%s", text, c.CertifiedText())
	}
	if stamp != opts.Stamp {
		t.Errorf("embedded stamp %q, want %q", stamp, opts.Stamp)
	}
	s, err := certificate.ParseStamp(strings.TrimPrefix(stamp, hub+"/verifica?c="))
	if err != nil {
		t.Fatal(err)
	}
	if s.Facts.Digest != sha256.Sum256([]byte(text)) {
		t.Error("the stamp's digest is not the embedded text's")
	}
	if _, _, err := printing.Embedded([]byte("%PDF-1.4 not ours")); err == nil {
		t.Error("Embedded read a PDF without a subject")
	}
}

// TestCertificatePDFRefuses: what cannot be printed is refused with a
// message for the operator, not printed wrong.
func TestCertificatePDFRefuses(t *testing.T) {
	good := issue(t, certificate.SlugResidenza, nicolo(t), 5, certificate.Bollo{})
	for _, tc := range []struct {
		name string
		mod  func(c *certificate.Certificate, o *printing.Options)
		want string
	}{
		{"ErrNoStamp", func(_ *certificate.Certificate, o *printing.Options) { o.Stamp = "" }, "contrassegno"},
		{"ErrStampNotURL", func(_ *certificate.Certificate, o *printing.Options) { o.Stamp = "SPT1.abc.def.ghi" }, "contrassegno"},
		{"ErrInvalidCertificate", func(c *certificate.Certificate, _ *printing.Options) { c.Person.Surname = "" }, "cognome"},
		{"ErrGlyphMissing", func(c *certificate.Certificate, _ *printing.Options) { c.Person.GivenName = "ЖАННА" }, "non è stampabile"},
		{"ErrEmblemNotImage", func(_ *certificate.Certificate, o *printing.Options) { o.Emblem = []byte("not an image") }, "stemma"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := *good
			o := options(t, good)
			tc.mod(&c, &o)
			_, err := printing.CertificatePDF(&c, o)
			if err == nil {
				t.Fatal("printed")
			}
			if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), tc.want) {
				t.Errorf("error %v (code %s), want EINVALID about %q", err, app.ErrorCode(err), tc.want)
			}
		})
	}
}

// TestCertificatePDFCustomEmblem: a comune's own emblem replaces the
// placeholder in the header.
func TestCertificatePDFCustomEmblem(t *testing.T) {
	needTool(t, "pdftoppm")
	red := image.NewRGBA(image.Rect(0, 0, 100, 120))
	draw.Draw(red, red.Bounds(), &image.Uniform{color.RGBA{200, 0, 0, 255}}, image.Point{}, draw.Src)
	var buf bytes.Buffer
	if err := png.Encode(&buf, red); err != nil {
		t.Fatal(err)
	}
	c := issue(t, certificate.SlugResidenza, nicolo(t), 5, certificate.Bollo{})
	opts := options(t, c)
	opts.Emblem = buf.Bytes()
	pdf, err := printing.CertificatePDF(c, opts)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "page")
	run(t, "pdftoppm", "-r", "72", "-png", "-singlefile", writePDF(t, "emblem", pdf), out)
	f, err := os.Open(out + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	page, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	// The middle of the emblem: 20 mm + 8.5 mm from the left, 14 mm + 10 mm
	// from the top, at 72 dpi.
	const px = 72 / 25.4
	x, y := 28.5*px, 24*px
	r, g, b, _ := page.At(int(x), int(y)).RGBA()
	if r>>8 < 150 || g>>8 > 60 || b>>8 > 60 {
		t.Errorf("emblem area is rgb(%d,%d,%d), want the comune's red", r>>8, g>>8, b>>8)
	}
}
