package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/hub/sqlstore"
	"github.com/sportello/sportello/internal/population"
)

type requestLine struct {
	ID          string `json:"id"`
	Number      string `json:"number"`
	Provisional bool   `json:"provisional"`
	ProvNumber  string `json:"provisional_number"`
	Service     string `json:"service"`
	Status      string `json:"status"`
	Note        string `json:"note"`
	SubmittedAt string `json:"submitted_at"`
}

func requestList(t *testing.T, ws, code string) []requestLine {
	t.Helper()
	var lines []requestLine
	if err := json.Unmarshal([]byte(mustRun(t, "sportello", "--data", ws, "request", "list", "--cf", code, "--json")), &lines); err != nil {
		t.Fatal(err)
	}
	return lines
}

// demoWorkstation is a workstation of the demo's I690 (300 residents),
// enrolled at and synced with the real hub binary, with the demo's
// people.
func demoWorkstation(t *testing.T) (hubData, ws, url string, people []app.Citizen) {
	t.Helper()
	hubData, ws = t.TempDir(), t.TempDir()
	mustRun(t, "sportello-hub", "import-reference", "--data", hubData, referenceDir(t))
	mustRun(t, "sportello-hub", "demo", "--data", hubData, "--comune", "I690", "--residents", "300", "--seed", "3")
	out := mustRun(t, "sportello-hub", "enroll-code", "--data", hubData, "--comune", "I690")
	code := strings.TrimSpace(out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:])
	url = startHub(t, hubData)
	mustRun(t, "sportello", "--data", ws, "enroll", "--hub", url, "--code", code)
	mustRun(t, "sportello", "--data", ws, "sync")
	people, err := population.Generate(population.Options{Comune: "I690", Residents: 300, Seed: 3, Today: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	return hubData, ws, url, people
}

// TestRequestCLI takes requests headless: offline with a provisional
// number, then through the real hub binary, which assigns the protocol
// number; the hub's back office moves one, the list shows it.
func TestRequestCLI(t *testing.T) {
	needTool(t, "pdftotext")
	hubData, ws, url, people := demoWorkstation(t)
	// Someone without the demo's requests.
	var demoRequests []struct {
		CF string `json:"codice_fiscale"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "sportello-hub", "request", "list", "--data", hubData, "--comune", "I690", "--json")), &demoRequests); err != nil || len(demoRequests) == 0 {
		t.Fatalf("the demo's requests: %v %v", demoRequests, err)
	}
	applied := map[string]bool{}
	for _, r := range demoRequests {
		applied[r.CF] = true
	}
	var adult app.Citizen
	for _, c := range people {
		if c.Status == app.StatusResident && c.AgeOn(time.Now()) >= 30 && !applied[c.CodiceFiscale] {
			adult = c
			break
		}
	}

	t.Run("ScannerFolder", func(t *testing.T) {
		if out := mustRun(t, "sportello", "--data", ws, "request", "scanner-folder"); !strings.Contains(out, "non impostata") {
			t.Fatalf("no folder set: %s", out)
		}
		dir := t.TempDir()
		for i, f := range []struct{ name, data string }{{"vecchia.pdf", "%PDF-1.4 a"}, {"appunti.txt", "testo"}, {"nuova.jpg", "\xFF\xD8\xFF\xE0 b"}} {
			path := filepath.Join(dir, f.name)
			os.WriteFile(path, []byte(f.data), 0o644)
			at := time.Now().Add(time.Duration(i-3) * time.Hour)
			os.Chtimes(path, at, at)
		}
		out := mustRun(t, "sportello", "--data", ws, "request", "scanner-folder", dir)
		if !strings.Contains(out, "cartella dello scanner: "+dir) || strings.Contains(out, "appunti.txt") ||
			!strings.Contains(out, "nuova.jpg") || strings.Index(out, "nuova.jpg") > strings.Index(out, "vecchia.pdf") {
			t.Fatalf("scanner-folder %s:\n%s", dir, out)
		}
		if out := mustRun(t, "sportello", "--data", ws, "request", "scanner-folder"); !strings.Contains(out, dir) {
			t.Fatalf("the folder was not kept: %s", out)
		}
		if r := runBin(t, "sportello", "--data", ws, "request", "scanner-folder", filepath.Join(dir, "manca")); r.code != 1 || !strings.Contains(r.err, "non esiste") {
			t.Fatalf("a missing folder: exit %d %s", r.code, r.err)
		}
		mustRun(t, "sportello", "--data", ws, "request", "scanner-folder", "--clear")
		if out := mustRun(t, "sportello", "--data", ws, "request", "scanner-folder"); !strings.Contains(out, "non impostata") {
			t.Fatalf("after --clear: %s", out)
		}
	})

	if out := mustRun(t, "sportello", "--data", ws, "request", "services", "tari"); !strings.Contains(out, "tari-dichiarazione") {
		t.Fatalf("services tari:\n%s", out)
	}
	var services []map[string]any
	json.Unmarshal([]byte(mustRun(t, "sportello", "--data", ws, "request", "services", "--json")), &services)
	if len(services) < 80 {
		t.Fatalf("%d services offered", len(services))
	}

	if r := runBin(t, "sportello", "--data", ws, "request", "submit", "--cf", adult.CodiceFiscale, "--service", "segnalazione-disservizio",
		"--field", "categoria=illuminazione"); r.code != 1 || !strings.Contains(r.err, "Luogo") {
		t.Fatalf("an incomplete form: exit %d\n%s", r.code, r.err)
	}

	scan := filepath.Join(t.TempDir(), "foto.jpg")
	os.WriteFile(scan, append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, []byte("JFIF foto del lampione")...), 0o644)
	receipt := filepath.Join(t.TempDir(), "ricevuta.pdf")
	out := mustRun(t, "sportello", "--data", ws, "request", "submit", "--cf", adult.CodiceFiscale, "--service", "segnalazione-disservizio",
		"--field", "categoria=illuminazione", "--field", "luogo=Via Roma 12", "--field", "descrizione=Lampione spento",
		"--field", "email=cittadino@example.it", "--field", "dichiarazione=si", "--field", "privacy=si",
		"--attach", "foto="+scan, "--out", receipt)
	year := time.Now().Year()
	if !strings.Contains(out, "richiesta protocollata: ") {
		t.Fatalf("submit said: %s", out)
	}
	lines := requestList(t, ws, adult.CodiceFiscale)
	if len(lines) != 1 || lines[0].Provisional || !strings.HasPrefix(lines[0].Number, strconv.Itoa(year)+"/") ||
		lines[0].ProvNumber != "PROV-I690-W001-000001" || lines[0].Service != "segnalazione-disservizio" || lines[0].Status != "ricevuta" || lines[0].SubmittedAt == "" {
		t.Fatalf("list = %+v", lines)
	}
	number := lines[0].Number
	// The citizen's email links to the request's page on the hub, at the
	// address the hub serves on (no --public-url given).
	t.Run("NoticeLinksToTheFollowPage", func(t *testing.T) {
		db, err := sqlstore.Open(context.Background(), filepath.Join(hubData, "hub.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		ns, err := db.Notices(context.Background(), lines[0].ID)
		if err != nil || len(ns) != 1 || ns[0].Channel != "email" {
			t.Fatalf("notices %+v (%v)", ns, err)
		}
		link := regexp.MustCompile(`http://\S+/pratica\?id=\S+`).FindString(ns[0].Body)
		if !strings.HasPrefix(link, url+"/pratica?id="+lines[0].ID+"&k=") {
			t.Fatalf("the email links to %q:\n%s", link, ns[0].Body)
		}
		resp, err := http.Get(link)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		page, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), number) || !strings.Contains(string(page), "Ricevuta") {
			t.Fatalf("follow page %d:\n%s", resp.StatusCode, page)
		}
	})
	// The receipt printed at submission carries the provisional number; the
	// reprint the protocol number.
	if text := pdfText(t, receipt); !strings.Contains(text, "PROV-I690-W001-000001") || !strings.Contains(text, "foto.jpg") {
		t.Fatalf("receipt:\n%s", text)
	}
	reprint := filepath.Join(t.TempDir(), "ristampa.pdf")
	mustRun(t, "sportello", "--data", ws, "request", "receipt", "--number", number, "--out", reprint)
	if text := strings.Join(strings.Fields(pdfText(t, reprint)), " "); !strings.Contains(text, "Numero di protocollo "+number) {
		t.Fatalf("reprint:\n%s", text)
	}

	out = mustRun(t, "sportello-hub", "request", "status", "--data", hubData, "--comune", "I690", "--number", number,
		"--to", "in_lavorazione", "--note", "segnalata alla ditta")
	if !strings.Contains(out, "in lavorazione") {
		t.Fatalf("hub request status: %s", out)
	}
	mustRun(t, "sportello", "--data", ws, "sync")
	lines = requestList(t, ws, adult.CodiceFiscale)
	if lines[0].Status != "in_lavorazione" || lines[0].Note != "segnalata alla ditta" {
		t.Fatalf("after the hub's change: %+v", lines)
	}
	if r := runBin(t, "sportello", "--data", ws, "request", "status", "--number", number, "--to", "conclusa", "--operator", "demo", "--password-file", demoPassword(t)); r.code != 1 ||
		!strings.Contains(r.err, "back-office") {
		t.Fatalf("a front-office operator moved a request: exit %d %s", r.code, r.err)
	}
	out = mustRun(t, "sportello", "--data", ws, "request", "status", "--number", number, "--to", "conclusa", "--note", "lampione sostituito", "--operator", "supervisore", "--password-file", demoPassword(t))
	if !strings.Contains(out, "conclusa") {
		t.Fatalf("status: %s", out)
	}
	if out := mustRun(t, "sportello-hub", "request", "list", "--data", hubData, "--comune", "I690", "--status", "conclusa"); !strings.Contains(out, number) {
		t.Fatalf("hub list: %s", out)
	}
	if out := mustRun(t, "sportello-hub", "notices", "list", "--data", hubData); strings.Count(out, "cittadino@example.it") != 3 {
		t.Fatalf("notices:\n%s", out)
	}
}
