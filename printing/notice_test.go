package printing_test

import (
	"bytes"
	"crypto/ed25519"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/datamatrix"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/pagopa"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/printing"
)

var sesto = payment.Payee{Comune: "I690", Name: "Comune di Sesto San Giovanni", CFEnte: "02253930156", Aux: 3, Code: "01",
	CBILL: "A1B2C", PostalAccount: "1017918208", PostalHolder: "Comune di Sesto San Giovanni - Servizio Tesoreria", Office: "Servizi al cittadino"}

func tariNotice(t *testing.T, postal bool) *payment.NoticeFields {
	t.Helper()
	py := sesto
	if !postal {
		py.PostalAccount = ""
	}
	avviso, err := pagopa.NewAvviso(3, "01", 1234)
	if err != nil {
		t.Fatal(err)
	}
	pos := &payment.Position{ID: "I690-2026-H0001234", Comune: "I690", DebtorCF: "BNCNCL01P09F205X", DebtorName: "Bianchi Nicolò",
		Service: payment.ServiceTARI, Causale: "TARI 2026 - tassa sui rifiuti, rata unica", AmountCents: 23850,
		DueDate: app.Date(2026, 12, 16), Avviso: avviso, State: payment.StateDue, Published: true}
	n := &payment.NoticeFields{Position: pos, Payee: &py, Due: 23850, PrintedOn: app.Date(2026, 11, 23),
		QR: pagopa.QR{Avviso: avviso, CFEnte: py.CFEnte, AmountCents: 23850}}
	if postal {
		dm := pagopa.DataMatrix{Avviso: avviso, Account: py.PostalAccount, AmountCents: 23850, CFEnte: py.CFEnte,
			DebtorCF: pos.DebtorCF, DebtorName: pos.DebtorName, Causale: pos.Causale}
		n.DataMatrix = dm.String()
	}
	return n
}

// TestNoticePDF renders a notice and reads its codes back from the page
// image: the QR code with zbarimg, the Poste DataMatrix with gozxing, and
// compares them with the payloads; the text carries what the official
// layout asks.
func TestNoticePDF(t *testing.T) {
	needTool(t, "pdftoppm", "zbarimg", "pdftotext")
	n := tariNotice(t, true)
	pdf, err := printing.NoticePDF(n)
	if err != nil {
		t.Fatal(err)
	}
	path := writePDF(t, "avviso-tari", pdf)
	base := filepath.Join(t.TempDir(), "page")
	run(t, "pdftoppm", "-r", "200", "-png", "-singlefile", path, base)
	got := strings.TrimSpace(string(run(t, "zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", base+".png")))
	if got != n.QR.String() {
		t.Fatalf("QR code reads %q, want %q", got, n.QR.String())
	}
	if q, err := pagopa.ParseQR(got); err != nil || q != n.QR {
		t.Fatalf("QR payload parses to %+v, %v", q, err)
	}
	if dm := readDataMatrix(t, path, base+".png"); dm != n.DataMatrix {
		t.Fatalf("DataMatrix reads\n%q\nwant\n%q", dm, n.DataMatrix)
	}
	text := string(run(t, "pdftotext", "-layout", path, "-"))
	for _, want := range []string{"AVVISO DI PAGAMENTO", "3010 0000 0000 1234 68", "A1B2C", "02253930156", "€ 238,50",
		"entro il 16/12/2026", "Bianchi Nicolò", "BNCNCL01P09F205X", "TARI 2026", "BANCHE E ALTRI CANALI",
		"BOLLETTINO POSTALE PA", "001017918208", "DOVE PAGARE?", "QUANTO E QUANDO PAGARE?"} {
		if !strings.Contains(strings.Join(strings.Fields(text), " "), want) {
			t.Errorf("notice text lacks %q", want)
		}
	}
	qr, dm, err := printing.NoticeCodes(pdf)
	if err != nil || qr != n.QR.String() || dm != n.DataMatrix {
		t.Errorf("NoticeCodes = %q, %q, %v", qr, dm, err)
	}
}

func TestNoticePDFWithoutPostalAccount(t *testing.T) {
	needTool(t, "pdftotext")
	n := tariNotice(t, false)
	n.NotPayable = true
	pdf, err := printing.NoticePDF(n)
	if err != nil {
		t.Fatal(err)
	}
	text := string(run(t, "pdftotext", writePDF(t, "avviso-non-pagabile", pdf), "-"))
	if strings.Contains(text, "BOLLETTINO POSTALE") || !strings.Contains(text, "NON ANCORA PAGABILE") {
		t.Fatalf("text:\n%s", text)
	}
}

func TestNoticePDFFine(t *testing.T) {
	needTool(t, "pdftotext")
	n := tariNotice(t, false)
	f := &payment.Fine{Number: "V2026/000123", Comune: "I690", Plate: "AB123CD", Offence: "Sosta in area riservata",
		Article: "art. 7 c. 1 e 14", ViolatedAt: time.Date(2026, 11, 10, 8, 0, 0, 0, time.UTC), NotifiedOn: app.Date(2026, 11, 20),
		MinCents: 4200, MaxCents: 17300, CostsCents: 1250, DiscountAllowed: true}
	d := f.Due(app.Date(2026, 11, 23))
	n.Fine, n.Stage, n.Due = f, &d, d.Cents
	n.QR.AmountCents = d.Cents
	n.Position.Fine, n.Position.Service = f.Number, payment.ServiceFine
	pdf, err := printing.NoticePDF(n)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(run(t, "pdftotext", writePDF(t, "avviso-verbale", pdf), "-"))), " ")
	for _, want := range []string{"€ 41,90", "entro il 25/11/2026", "V2026/000123", "AB123CD", "Dopo il 25/11/2026 l'importo dovuto è € 54,50"} {
		if !strings.Contains(text, want) {
			t.Errorf("fine notice lacks %q:\n%s", want, text)
		}
	}
}

func TestReceiptAndClosingPDF(t *testing.T) {
	needTool(t, "pdftotext")
	n := tariNotice(t, false)
	at := time.Date(2026, 11, 23, 9, 41, 0, 0, time.UTC)
	pays := []payment.Payment{
		{Receipt: "I690-W001-2026-R000001", PositionID: n.Position.ID, Avviso: n.Position.Avviso, AmountCents: 23850, Method: payment.Cash,
			Operator: "demo", Device: "I690-W001", At: at, Day: "2026-11-23", Service: payment.ServiceTARI, Causale: n.Position.Causale,
			DebtorCF: n.Position.DebtorCF, DebtorName: n.Position.DebtorName},
		{Receipt: "I690-W001-2026-R000002", PositionID: "I690-2026-H0000007", Avviso: "301000000000000799", AmountCents: 8450, Method: payment.Card,
			Operator: "demo", Device: "I690-W001", At: at.Add(time.Hour), Day: "2026-11-23", Service: payment.ServiceCanteen, Causale: "Refezione scolastica ottobre",
			DebtorCF: "CNTGLI95A71C933X", DebtorName: "Cantù Giulia"},
	}
	pays[1].Avviso, _ = pagopa.NewAvviso(3, "01", 7)
	rpdf, err := printing.ReceiptPDF(&pays[0], &payment.View{Position: *n.Position}, &sesto)
	if err != nil {
		t.Fatal(err)
	}
	rtext := strings.Join(strings.Fields(string(run(t, "pdftotext", writePDF(t, "ricevuta", rpdf), "-"))), " ")
	for _, want := range []string{"RICEVUTA DI PAGAMENTO", "I690-W001-2026-R000001", "€ 238,50", "Contanti", "23/11/2026 10:41"} {
		if !strings.Contains(rtext, want) {
			t.Errorf("receipt lacks %q:\n%s", want, rtext)
		}
	}
	certs := []payment.CertificateFee{{Number: "I690-W001-2026-000004", Type: "Certificato di residenza", BolloCents: 1600, DirittiCents: 52}}
	c, err := payment.Summarize("I690-W001", "I690", "demo", "Operatore dimostrativo", "2026-11-23", at.Add(8*time.Hour), pays, certs)
	if err != nil {
		t.Fatal(err)
	}
	_, key, _ := ed25519.GenerateKey(nil)
	if err := c.Sign(key); err != nil {
		t.Fatal(err)
	}
	cpdf, err := printing.ClosingPDF(c, &sesto)
	if err != nil {
		t.Fatal(err)
	}
	ctext := strings.Join(strings.Fields(string(run(t, "pdftotext", "-layout", writePDF(t, "chiusura", cpdf), "-"))), " ")
	for _, want := range []string{"CHIUSURA DI CASSA", "I690-W001-2026-R000002", "Contanti (1) € 238,50", "Carta (POS) (1) € 84,50",
		"Totale incassi € 323,00", "TARI (1) € 238,50", "bollo € 16,00", "Diritti di segreteria incassati € 0,52", "€ 323,52", "FIRMA DELLA POSTAZIONE"} {
		if !strings.Contains(ctext, want) {
			t.Errorf("closing lacks %q:\n%s", want, ctext)
		}
	}
	if _, err := printing.ClosingPDF(&payment.Closing{Day: "2026-11-23"}, nil); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("unsigned closing: %v", err)
	}
}

// readDataMatrix reads the DataMatrix of the postal slip from the page
// image. gozxing reads a symbol that fills its image, so the image is
// cropped to the slip's code: left in the box whose title is "BOLLETTINO",
// found with pdftotext -bbox.
func readDataMatrix(t *testing.T, pdfPath, pngPath string) string {
	t.Helper()
	var top float64 = -1
	for _, w := range wordBoxes(t, run(t, "pdftotext", "-bbox", pdfPath, "-"))[0] {
		if w.Text == "BOLLETTINO" {
			top = w.YMin * 25.4 / 72
		}
	}
	if top < 0 {
		t.Fatal("no postal slip on the page")
	}
	b, err := os.ReadFile(pngPath)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	mm := float64(img.Bounds().Dx()) / 210
	crop := image.Rect(int(21*mm), int((top+3)*mm), int(56*mm), int((top+38)*mm))
	sub := img.(interface {
		SubImage(image.Rectangle) image.Image
	}).SubImage(crop)
	bmp, err := gozxing.NewBinaryBitmapFromImage(sub)
	if err != nil {
		t.Fatal(err)
	}
	res, err := datamatrix.NewDataMatrixReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		t.Fatalf("DataMatrix not readable: %v", err)
	}
	return res.GetText()
}

// TestNoticePDFInstalment renders the notice of one instalment and reads
// its QR code and DataMatrix back from the page: the instalment's own
// codice avviso and amount; and the notice of the whole position lists the
// instalments with the state of a paid one.
func TestNoticePDFInstalment(t *testing.T) {
	needTool(t, "pdftoppm", "zbarimg", "pdftotext")
	n := tariNotice(t, true)
	a1, _ := pagopa.NewAvviso(3, "01", 1235)
	a2, _ := pagopa.NewAvviso(3, "01", 1236)
	n.Position.Instalments = []payment.Instalment{{N: 1, Avviso: a1, AmountCents: 11925, DueDate: app.Date(2026, 11, 16), State: payment.StatePaid},
		{N: 2, Avviso: a2, AmountCents: 11925, DueDate: app.Date(2026, 12, 16)}}
	if err := n.Position.Validate(); err != nil {
		t.Fatal(err)
	}
	whole := *n
	whole.InstalmentStatus = []payment.Status{payment.StatusPaid, payment.StatusDue}

	in := &n.Position.Instalments[1]
	n.Instalment, n.Due = in, in.AmountCents
	n.QR = pagopa.QR{Avviso: in.Avviso, CFEnte: sesto.CFEnte, AmountCents: in.AmountCents}
	dm := pagopa.DataMatrix{Avviso: in.Avviso, Account: sesto.PostalAccount, AmountCents: in.AmountCents, CFEnte: sesto.CFEnte,
		DebtorCF: n.Position.DebtorCF, DebtorName: n.Position.DebtorName, Causale: n.Position.Causale}
	n.DataMatrix = dm.String()
	pdf, err := printing.NoticePDF(n)
	if err != nil {
		t.Fatal(err)
	}
	path := writePDF(t, "avviso-rata", pdf)
	base := filepath.Join(t.TempDir(), "page")
	run(t, "pdftoppm", "-r", "200", "-png", "-singlefile", path, base)
	if got := strings.TrimSpace(string(run(t, "zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", base+".png"))); got != "PAGOPA|002|"+string(a2)+"|02253930156|0000011925" {
		t.Fatalf("the instalment's QR code reads %q", got)
	}
	if got := readDataMatrix(t, path, base+".png"); got != n.DataMatrix {
		t.Fatalf("the instalment's DataMatrix reads %q", got)
	}
	text := strings.Join(strings.Fields(string(run(t, "pdftotext", path, "-"))), " ")
	for _, want := range []string{a2.Grouped(), "€ 119,25 entro il 16/12/2026", "rata 2 di 2", "posizione di € 238,50 in totale", "Posizione I690-2026-H0001234, rata 2 — stampato"} {
		if !strings.Contains(text, want) {
			t.Errorf("instalment notice lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, n.Position.Avviso.Grouped()) {
		t.Errorf("the instalment's notice carries the rata unica's avviso")
	}

	pdf, err = printing.NoticePDF(&whole)
	if err != nil {
		t.Fatal(err)
	}
	text = strings.Join(strings.Fields(string(run(t, "pdftotext", writePDF(t, "avviso-rate", pdf), "-"))), " ")
	for _, want := range []string{"rata 1: € 119,25 entro il 16/11/2026 — codice avviso " + a1.Grouped() + " — pagato",
		"rata 2: € 119,25 entro il 16/12/2026 — codice avviso " + a2.Grouped()} {
		if !strings.Contains(text, want) {
			t.Errorf("whole notice lacks %q:\n%s", want, text)
		}
	}
}
