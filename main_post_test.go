package main

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
)

type postListLine struct {
	ID, Number, Status, Type, Bollo, Recipient, Address, Certificate, Position, Problem string
}

// TestPostCLI posts a certificate headless through the real binaries: the
// counter takes the request (request submit), the back office lists it
// (post list) and posts it (post issue): the PDF's window shows the
// address; posting again is refused, and the request is concluded at the
// hub.
func TestPostCLI(t *testing.T) {
	needTool(t, "pdftotext")
	_, ws, _, people := demoWorkstation(t)
	var adult app.Citizen
	for _, c := range people {
		if c.Status == app.StatusResident && c.Certifiability == app.CertifiableFully && c.AgeOn(time.Now()) >= 30 {
			adult = c
			break
		}
	}
	mustRun(t, "sportello", "--data", ws, "request", "submit", "--cf", adult.CodiceFiscale, "--service", "certificato-per-posta",
		"--field", "tipo_certificato=residenza", "--field", "bollo=marca", "--field", "uso=uso privato",
		"--field", "destinatario=Anna Verdi", "--field", "indirizzo_recapito=Via Roma 1", "--field", "cap=20099",
		"--field", "comune_recapito=Sesto San Giovanni", "--field", "provincia=MI", "--field", "privacy=si")
	mustRun(t, "sportello", "--data", ws, "sync")

	if r := runBin(t, "sportello", "--data", ws, "post", "list", "--operator", "demo", "--password-file", demoPassword(t)); r.code != 1 {
		t.Errorf("a front-office operator lists the posting: exit %d %s", r.code, r.out)
	}
	var lines []postListLine
	if err := json.Unmarshal([]byte(mustRun(t, "sportello", "--data", ws, "post", "list", "--json", "--operator", "supervisore", "--password-file", demoPassword(t))), &lines); err != nil {
		t.Fatal(err)
	}
	if len(lines) != 1 || lines[0].Type != "residenza" || lines[0].Bollo != "marca" || lines[0].Address != "Anna Verdi; Via Roma 1; 20099 SESTO SAN GIOVANNI MI" {
		t.Fatalf("post list: %+v", lines)
	}
	pdf := filepath.Join(t.TempDir(), "posta.pdf")
	out := mustRun(t, "sportello", "--data", ws, "post", "issue", "--number", lines[0].Number, "--marca", "01234567890123", "--out", pdf, "--operator", "supervisore", "--password-file", demoPassword(t))
	if !strings.Contains(out, "richiesta "+lines[0].Number+": certificato I690-") || !strings.Contains(out, "spedita") {
		t.Errorf("post issue: %s", out)
	}
	win, err := exec.Command("pdftotext", "-f", "1", "-l", "1", "-x", "312", "-y", "142", "-W", "226", "-H", "96", "-layout", pdf, "-").Output()
	if err != nil || strings.Join(strings.Fields(string(win)), " ") != "Anna Verdi Via Roma 1 20099 SESTO SAN GIOVANNI MI" {
		t.Errorf("the window (x 110–190 mm, y 50–84 mm) shows %q %v", win, err)
	}
	if r := runBin(t, "sportello", "--data", ws, "post", "issue", "--number", lines[0].Number, "--marca", "01234567890123", "--out", pdf, "--operator", "supervisore", "--password-file", demoPassword(t)); r.code != 1 ||
		!strings.Contains(r.err, "già stato spedito") {
		t.Errorf("posting twice: exit %d %s", r.code, r.err)
	}
	mustRun(t, "sportello", "--data", ws, "sync")
	if out := mustRun(t, "sportello", "--data", ws, "post", "list", "--operator", "supervisore", "--password-file", demoPassword(t)); !strings.Contains(out, "nessun certificato da spedire") {
		t.Errorf("post list after posting: %s", out)
	}
	for _, l := range requestList(t, ws, adult.CodiceFiscale) {
		if l.Number == lines[0].Number && (l.Status != "conclusa" || !strings.HasPrefix(l.Note, "Spedito per posta")) {
			t.Errorf("the request after sync: %+v", l)
		}
	}
}
