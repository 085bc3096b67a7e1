package printing_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app/request"
	"github.com/sportello/sportello/printing"
)

func canteenRequest(t *testing.T) (*request.Request, *request.Service) {
	t.Helper()
	var svc *request.Service
	for _, s := range request.DefaultCatalogue() {
		if s.ID == "iscrizione-mensa" {
			svc = &s
		}
	}
	at := time.Date(2026, 9, 1, 8, 45, 0, 0, time.UTC)
	r := &request.Request{ID: "0b7f3a52-4f7e-4c2a-9d1e-3a1b2c3d4e5f", Comune: "I690", Provisional: "PROV-I690-W001-000007",
		Service: svc.ID, ServiceTitle: svc.Title, CodiceFiscale: "RSSMRA85T10A562S", ApplicantName: "Rossi Mario",
		Values: request.Values{"cognome": "Rossi", "nome": "Mario", "codice_fiscale": "RSSMRA85T10A562S", "figlio": "RSSLCU16A09F205X",
			"scuola": "Primaria Gianni Rodari", "classe": "primaria_3", "anno_scolastico": "2026/2027", "dieta": "sanitaria",
			"giorni": "lun,mer,ven", "isee": "12500.00", "dichiarazione": "si", "privacy": "si"},
		MemberNames: map[string]string{"figlio": "Rossi Luca"},
		Attachments: []request.AttachmentMeta{{Field: "certificato_dieta", Name: "certificato celiachia.pdf", Type: "application/pdf", Size: 48213, SHA256: strings.Repeat("a", 64)}},
		SubmittedAt: at, Operator: "demo", Device: "I690-W001", Channel: "sportello", FollowCode: "ABCDEFGHJKLMNPQR",
		Status: request.StatusReceived, Version: 1, History: []request.StatusChange{{Status: request.StatusReceived, At: at, Version: 1}}}
	return r, svc
}

// TestRequestReceiptPDF prints the receipt of a request taken offline and
// its reprint after sync, and reads them back as a person would: the
// provisional number and its mark, then the protocol number; the service,
// the form with its choices in words, the file attached; the QR code that
// opens the request's page.
func TestRequestReceiptPDF(t *testing.T) {
	needTool(t, "pdftotext", "pdftoppm", "zbarimg")
	r, svc := canteenRequest(t)
	url := "https://hub.example.it/pratica?id=" + r.ID + "&k=" + r.FollowCode
	pdf, err := printing.RequestReceiptPDF("SESTO SAN GIOVANNI", r, svc, url)
	if err != nil {
		t.Fatal(err)
	}
	path := writePDF(t, "ricevuta", pdf)
	text := string(run(t, "pdftotext", "-layout", path, "-"))
	norm := regexp.MustCompile(`\s+`).ReplaceAllString(text, " ")
	for _, want := range []string{
		"COMUNE DI SESTO SAN GIOVANNI", "Servizi scolastici", "RICEVUTA DI PRESENTAZIONE DELLA RICHIESTA",
		"Numero provvisorio PROV-I690-W001-000007", "NUMERO PROVVISORIO: IL NUMERO DI PROTOCOLLO SEGUE",
		"Iscrizione alla mensa scolastica", "Rossi Mario - RSSMRA85T10A562S", "01/09/2026 10:45", "Alunno o alunna Rossi Luca - RSSLCU16A09F205X",
		"30 giorni dalla presentazione", "Ricevuta", "Primaria - classe 3ª", "Lunedì, Mercoledì, Venerdì",
		"Dieta sanitaria (allergie o intolleranze)", "€ 12.500,00", "certificato celiachia.pdf (application/pdf, 48 kB)",
		"Inquadri il codice per seguire la richiesta", "Ricevuta della richiesta n. PROV-I690-W001-000007",
	} {
		if !strings.Contains(norm, want) {
			t.Errorf("receipt lacks %q\n%s", want, text)
		}
	}
	dir := t.TempDir()
	run(t, "pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", path, filepath.Join(dir, "page"))
	page, _ := filepath.Glob(filepath.Join(dir, "page*.png"))
	if len(page) != 1 {
		t.Fatalf("pages rendered: %v", page)
	}
	if os.Getenv("SPORTELLO_KEEP") != "" {
		os.WriteFile("/tmp/ricevuta.png", mustRead(t, page[0]), 0o644)
	}
	if got := strings.TrimSpace(string(run(t, "zbarimg", "-q", "--raw", page[0]))); got != url {
		t.Fatalf("QR code reads %q, want %q", got, url)
	}

	t.Run("ReprintWithProtocolNumber", func(t *testing.T) {
		r.Number, r.ProtocolAt = "2026/000123", time.Date(2026, 9, 1, 9, 2, 0, 0, time.UTC)
		pdf, err := printing.RequestReceiptPDF("SESTO SAN GIOVANNI", r, svc, url)
		if err != nil {
			t.Fatal(err)
		}
		text := regexp.MustCompile(`\s+`).ReplaceAllString(string(run(t, "pdftotext", "-layout", writePDF(t, "ristampa", pdf), "-")), " ")
		for _, want := range []string{"Numero di protocollo 2026/000123", "numero provvisorio allo sportello: PROV-I690-W001-000007",
			"Protocollata il 01/09/2026 11:02", "Ricevuta della richiesta n. 2026/000123"} {
			if !strings.Contains(text, want) {
				t.Errorf("reprint lacks %q\n%s", want, text)
			}
		}
		if strings.Contains(text, "NUMERO PROVVISORIO:") {
			t.Error("the reprint still says the number is provisional")
		}
	})
}

// TestRequestReceiptMemberUnnamed prints a request kept before family
// members were named: the codice fiscale alone, as it was picked.
func TestRequestReceiptMemberUnnamed(t *testing.T) {
	needTool(t, "pdftotext")
	r, svc := canteenRequest(t)
	r.MemberNames = nil
	pdf, err := printing.RequestReceiptPDF("SESTO SAN GIOVANNI", r, svc, "")
	if err != nil {
		t.Fatal(err)
	}
	text := regexp.MustCompile(`\s+`).ReplaceAllString(string(run(t, "pdftotext", "-layout", writePDF(t, "senza-nome", pdf), "-")), " ")
	if !strings.Contains(text, "Alunno o alunna RSSLCU16A09F205X") || strings.Contains(text, "Rossi Luca") {
		t.Fatalf("receipt:\n%s", text)
	}
}

func mustRead(t *testing.T, path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
