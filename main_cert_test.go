package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/internal/population"
	"github.com/sportello/sportello/printing"
)

// certLine is one certificate of `certificate list --json`.
type certLine struct {
	Number   string `json:"number"`
	Type     string `json:"type"`
	IssuedAt string `json:"issued_at"`
	Operator string `json:"operator"`
	Offline  bool   `json:"offline"`
	Synced   bool   `json:"synced"`
	Flag     string `json:"flag"`
}

// needTool fails on CI and skips elsewhere when a command is missing.
func needTool(t *testing.T, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, err := exec.LookPath(n); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s missing on CI", n)
			}
			t.Skipf("%s not installed", n)
		}
	}
}

func pdfText(t *testing.T, file string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-layout", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", file, err)
	}
	return string(out)
}

// TestCertificateCLI issues, lists, reprints and verifies certificates
// through the binaries, against a hub in its own process.
func TestCertificateCLI(t *testing.T) {
	needTool(t, "pdftotext", "pdftoppm")
	hubData, ws := t.TempDir(), t.TempDir()
	mustRun(t, "sportello-hub", "import-reference", "--data", hubData, referenceDir(t))
	mustRun(t, "sportello-hub", "demo", "--data", hubData, "--comune", "I690", "--residents", "300", "--seed", "3")
	out := mustRun(t, "sportello-hub", "enroll-code", "--data", hubData, "--comune", "I690")
	code := out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:]
	url := startHub(t, hubData)
	mustRun(t, "sportello", "--data", ws, "enroll", "--hub", url, "--code", strings.TrimSpace(code))
	mustRun(t, "sportello", "--data", ws, "sync")

	people, err := population.Generate(population.Options{Comune: "I690", Residents: 300, Seed: 3, Today: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	var adult, minor app.Citizen
	for _, c := range people {
		if c.Status != app.StatusResident || c.Certifiability != app.CertifiableFully {
			continue
		}
		age := c.AgeOn(time.Now())
		if age >= 30 && adult.CodiceFiscale == "" && len(c.Surname) > 3 {
			adult = c
		}
		if age < 15 && minor.CodiceFiscale == "" {
			minor = c
		}
	}
	if adult.CodiceFiscale == "" || minor.CodiceFiscale == "" {
		t.Fatal("fixture: no adult or minor resident in the demo comune")
	}
	dir := t.TempDir()
	pdf := filepath.Join(dir, "residenza.pdf")

	t.Run("Types", func(t *testing.T) {
		out := mustRun(t, "sportello", "certificate", "types")
		for _, want := range []string{"residenza", "stato-di-famiglia", "nascita", "cittadinanza", "esistenza-in-vita", "stato-civile", "stato-libero"} {
			if !strings.Contains(out, want+" ") {
				t.Errorf("types lack %s:\n%s", want, out)
			}
		}
	})
	t.Run("Issue", func(t *testing.T) {
		out := mustRun(t, "sportello", "--data", ws, "certificate", "issue", "--cf", adult.CodiceFiscale, "--type", "residenza",
			"--marca", "01234567890123", "--out", pdf)
		if !strings.Contains(out, "rilasciato") || !strings.Contains(out, "inviato all'hub") {
			t.Fatalf("issue said: %s", out)
		}
		text := pdfText(t, pdf)
		for _, want := range []string{"CERTIFICATO DI RESIDENZA", adult.Surname, adult.CodiceFiscale, "I690-W001-", "01234567890123", "art. 40 DPR 445/2000"} {
			if !strings.Contains(strings.Join(strings.Fields(text), " "), want) {
				t.Errorf("the PDF lacks %q", want)
			}
		}
	})
	t.Run("List", func(t *testing.T) {
		var lines []certLine
		if err := json.Unmarshal([]byte(mustRun(t, "sportello", "--data", ws, "certificate", "list", "--cf", adult.CodiceFiscale, "--json")), &lines); err != nil {
			t.Fatal(err)
		}
		if len(lines) != 1 || lines[0].Type != "residenza" || !lines[0].Synced || lines[0].Offline {
			t.Fatalf("list = %+v", lines)
		}
	})
	t.Run("VerifyPDF", func(t *testing.T) {
		out := mustRun(t, "sportello", "--data", ws, "verify", pdf)
		if !strings.Contains(out, "VALIDO") || !strings.Contains(out, adult.CodiceFiscale) {
			t.Fatalf("verify: %s", out)
		}
	})
	t.Run("VerifyImage", func(t *testing.T) {
		prefix := filepath.Join(dir, "page")
		if out, err := exec.Command("pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", pdf, prefix).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, out)
		}
		pages, _ := filepath.Glob(prefix + "*.png")
		if len(pages) == 0 {
			t.Fatal("pdftoppm wrote no page")
		}
		out := mustRun(t, "sportello", "--data", ws, "verify", pages[0])
		if !strings.HasSuffix(strings.TrimSpace(out), "VALIDO") || !strings.Contains(out, adult.CodiceFiscale) {
			t.Fatalf("verify of the page image: %s", out)
		}
	})
	t.Run("VerifyWithoutProfile", func(t *testing.T) {
		key := strings.TrimSpace(mustRun(t, "sportello-hub", "root-key", "--data", hubData))
		b, _ := os.ReadFile(pdf)
		_, stamp, err := printing.Embedded(b)
		if err != nil {
			t.Fatal(err)
		}
		fresh := t.TempDir()
		out := mustRun(t, "sportello", "--data", fresh, "verify", "--root-key", key, stamp)
		if !strings.HasSuffix(strings.TrimSpace(out), "VALIDO") {
			t.Fatalf("verify with the root key only: %s", out)
		}
		if r := runBin(t, "sportello", "--data", fresh, "verify", stamp); r.code != 2 || !strings.Contains(r.err, "root-key") {
			t.Fatalf("verify with no key at all: exit %d, %s", r.code, r.err)
		}
		if _, err := os.Stat(filepath.Join(fresh, "sportello.db")); err == nil {
			t.Fatal("verify created a workstation profile")
		}
		// Another network's key.
		other := t.TempDir()
		mustRun(t, "sportello-hub", "demo", "--data", other, "--comune", "C707", "--residents", "1")
		otherKey := strings.TrimSpace(mustRun(t, "sportello-hub", "root-key", "--data", other))
		if r := runBin(t, "sportello", "--data", fresh, "verify", "--root-key", otherKey, stamp); r.code != 1 || !strings.Contains(r.out, "NON VALIDO") {
			t.Fatalf("verify under another network's key: exit %d, %s", r.code, r.out)
		}
	})
	t.Run("VerifyAltered", func(t *testing.T) {
		b, _ := os.ReadFile(pdf)
		// The embedded certified text: change one letter of the surname.
		text, _, _ := printing.Embedded(b)
		i := strings.Index(text, adult.Surname)
		if i < 0 {
			t.Fatal("surname not in the embedded text")
		}
		hexOld := utf16Hex(text[i : i+1])
		hexNew := utf16Hex("Q")
		pos := bytes.LastIndex(b, []byte("/Subject <FEFF"))
		sub := b[pos:]
		j := bytes.Index(sub, []byte(hexOld))
		if j < 0 {
			t.Fatal("letter not found in the subject")
		}
		altered := append([]byte(nil), b...)
		copy(altered[pos+j:], hexNew)
		bad := filepath.Join(dir, "altered.pdf")
		os.WriteFile(bad, altered, 0o644)
		r := runBin(t, "sportello", "--data", ws, "verify", bad)
		if r.code != 1 || !strings.Contains(r.out, "NON VALIDO") {
			t.Fatalf("altered PDF: exit %d, %s", r.code, r.out)
		}
		r = runBin(t, "sportello", "--data", ws, "verify", "SPT1.AAAA.BBBB.CCCC")
		if r.code != 1 || !strings.Contains(r.out, "NON VALIDO") {
			t.Fatalf("garbage stamp: exit %d, %s", r.code, r.out)
		}
	})
	t.Run("Reprint", func(t *testing.T) {
		var lines []certLine
		json.Unmarshal([]byte(mustRun(t, "sportello", "--data", ws, "certificate", "list", "--cf", adult.CodiceFiscale, "--json")), &lines)
		dup := filepath.Join(dir, "dup.pdf")
		mustRun(t, "sportello", "--data", ws, "certificate", "reprint", "--number", lines[0].Number, "--out", dup)
		if !strings.Contains(pdfText(t, dup), "DUPLICATO") {
			t.Fatal("a reprint is not marked DUPLICATO")
		}
		if out := mustRun(t, "sportello", "--data", ws, "verify", dup); !strings.Contains(out, "VALIDO") {
			t.Fatalf("duplicate does not verify: %s", out)
		}
	})
	t.Run("AllaData", func(t *testing.T) {
		var moved *app.Citizen
		for i, c := range people {
			if c.Status == app.StatusResident && c.Certifiability == app.CertifiableFully && len(c.Residences) > 1 {
				moved = &people[i]
				break
			}
		}
		if moved == nil {
			t.Fatal("the demo has nobody who moved house")
		}
		first := moved.Residences[0]
		out := filepath.Join(dir, "alla-data.pdf")
		mustRun(t, "sportello", "--data", ws, "certificate", "issue", "--cf", moved.CodiceFiscale, "--type", "residenza-storico-alla-data",
			"--marca", "01234567890124", "--alla-data", app.FormatDate(first.From), "--out", out)
		text, err := exec.Command("pdftotext", "-layout", out, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(text), first.Address.Street) {
			t.Fatalf("the certificate does not show the residence of %s (%s):\n%s", app.FormatDate(first.From), first.Address.Street, text)
		}
	})
	t.Run("Refused", func(t *testing.T) {
		cases := []struct {
			name string
			args []string
			code int
			want string
		}{
			{"ErrMinorStatoLibero", []string{"--cf", minor.CodiceFiscale, "--type", "stato-libero", "--marca", "01234567890123"}, 1, "non rilasciabile"},
			{"ErrShortMarca", []string{"--cf", adult.CodiceFiscale, "--type", "residenza", "--marca", "0123456789012"}, 1, "marca"},
			{"ErrNoBollo", []string{"--cf", adult.CodiceFiscale, "--type", "residenza"}, 2, "--marca"},
			{"ErrUnknownType", []string{"--cf", adult.CodiceFiscale, "--type", "matrimonio-religioso", "--marca", "01234567890123"}, 2, "residenza"},
			{"ErrUnknownExemption", []string{"--cf", adult.CodiceFiscale, "--type", "residenza", "--esenzione", "9999"}, 1, "esenzione"},
			// Not of this comune: another comune's only as the operator's
			// act, with a purpose; then unknown to the whole network.
			{"ErrUnknownPersonWithoutPurpose", []string{"--cf", "RSSMRA85T10A562S", "--type", "residenza", "--marca", "01234567890123"}, 2, "--purpose"},
			{"ErrUnknownPerson", []string{"--cf", "RSSMRA85T10A562S", "--type", "residenza", "--marca", "01234567890123",
				"--operator", "demo", "--password-file", demoPassword(t), "--purpose", "rilascio certificato"}, 1, "RSSMRA85T10A562S"},
			{"ErrAllaDataBad", []string{"--cf", adult.CodiceFiscale, "--type", "residenza-storico-alla-data", "--marca", "01234567890123", "--alla-data", "ieri"}, 2, "--alla-data"},
			{"ErrAllaDataMissing", []string{"--cf", adult.CodiceFiscale, "--type", "residenza-storico-alla-data", "--marca", "01234567890123"}, 1, "data di riferimento"},
			{"ErrForceWithoutReason", []string{"--cf", adult.CodiceFiscale, "--type", "residenza", "--marca", "01234567890123", "--force", "procedimento-aperto"}, 2, "--reason"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				out := filepath.Join(dir, c.name+".pdf")
				r := runBin(t, "sportello", append([]string{"--data", ws, "certificate", "issue", "--out", out}, c.args...)...)
				if r.code != c.code || !strings.Contains(strings.ToLower(r.err), strings.ToLower(c.want)) {
					t.Fatalf("exit %d (want %d), stderr %q (want %q)", r.code, c.code, r.err, c.want)
				}
				if _, err := os.Stat(out); err == nil {
					t.Fatal("a refused certificate left a PDF")
				}
			})
		}
		// Nothing refused was stored.
		var lines []certLine
		json.Unmarshal([]byte(mustRun(t, "sportello", "--data", ws, "certificate", "list", "--cf", minor.CodiceFiscale, "--json")), &lines)
		if len(lines) != 0 {
			t.Fatalf("refused certificates stored: %+v", lines)
		}
	})
	t.Run("ComuneFees", func(t *testing.T) {
		mustRun(t, "sportello-hub", "fees", "--data", hubData, "--comune", "I690", "--with-bollo", "100", "--exempt", "50")
		mustRun(t, "sportello", "--data", ws, "sync")
		out := filepath.Join(dir, "fees.pdf")
		mustRun(t, "sportello", "--data", ws, "certificate", "issue", "--cf", adult.CodiceFiscale, "--type", "esistenza-in-vita",
			"--marca", "01234567890125", "--out", out)
		if text := strings.Join(strings.Fields(pdfText(t, out)), " "); !strings.Contains(text, "Diritti di segreteria: € 1,00") {
			t.Fatalf("the comune's fees are not printed:\n%s", text)
		}
		// The cash closing takes what each certificate cost when it was
		// issued: the comune's fees, not the law's.
		mustRun(t, "sportello", "--data", ws, "certificate", "issue", "--cf", adult.CodiceFiscale, "--type", "residenza",
			"--marca", "01234567890127", "--operator", "demo", "--password-file", demoPassword(t), "--out", filepath.Join(dir, "fees-demo.pdf"))
		closing := filepath.Join(dir, "closing.pdf")
		mustRun(t, "sportello", "--data", ws, "payment", "close", "--operator", "demo", "--password-file", demoPassword(t), "--out", closing)
		if text := strings.Join(strings.Fields(pdfText(t, closing)), " "); !strings.Contains(text, "diritti € 1,00") ||
			!strings.Contains(text, "Diritti di segreteria incassati € 1,00") {
			t.Fatalf("the closing does not take the comune's fees:\n%s", text)
		}
		if r := runBin(t, "sportello-hub", "fees", "--data", hubData, "--comune", "I690", "--exempt", "-5"); r.code != 2 {
			t.Fatalf("negative fees: exit %d", r.code)
		}
	})
	t.Run("RevokedWorkstation", func(t *testing.T) {
		// A second workstation, revoked at the hub (stolen): once the hub
		// has refused it, it issues nothing more. (What it could sign
		// offline before hearing of it is refused by the verifiers:
		// sync.TestCertificatesThroughTheHub.)
		other := t.TempDir()
		out := mustRun(t, "sportello-hub", "enroll-code", "--data", hubData, "--comune", "I690")
		code := out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:]
		enrolled := mustRun(t, "sportello", "--data", other, "enroll", "--hub", url, "--code", strings.TrimSpace(code))
		device := strings.Fields(enrolled)[1]
		mustRun(t, "sportello", "--data", other, "sync")
		mustRun(t, "sportello-hub", "revoke-device", "--data", hubData, "--device", device)
		if r := runBin(t, "sportello", "--data", other, "sync"); r.code == 0 || !strings.Contains(r.err, "revocata") {
			t.Fatalf("sync of a revoked workstation: exit %d, %s", r.code, r.err)
		}
		stolen := filepath.Join(dir, "stolen.pdf")
		r := runBin(t, "sportello", "--data", other, "certificate", "issue", "--cf", adult.CodiceFiscale, "--type", "residenza",
			"--marca", "01234567890126", "--out", stolen)
		if r.code != 1 || !strings.Contains(r.err, "non riconosce più questa postazione") {
			t.Fatalf("the revoked workstation issues: exit %d %s %s", r.code, r.out, r.err)
		}
		if _, err := os.Stat(stolen); err == nil {
			t.Fatal("a refused certificate left a PDF")
		}
	})
	// Birth and citizenship are anagrafe certificates: no marca nor
	// exemption, no certificate (issue 14).
	t.Run("NascitaInBollo", func(t *testing.T) {
		out := filepath.Join(dir, "nascita.pdf")
		if r := runBin(t, "sportello", "--data", ws, "certificate", "issue", "--cf", adult.CodiceFiscale, "--type", "nascita", "--out", out); r.code != 2 || !strings.Contains(r.err, "--marca") {
			t.Fatalf("nascita without marca: exit %d %s", r.code, r.err)
		}
		mustRun(t, "sportello", "--data", ws, "certificate", "issue", "--cf", adult.CodiceFiscale, "--type", "nascita",
			"--marca", "01234567890127", "--out", out)
		text := strings.Join(strings.Fields(pdfText(t, out)), " ")
		if !strings.Contains(text, "Assolta con marca da bollo n. 01234567890127") || strings.Contains(text, "stato civile") {
			t.Fatalf("nascita in bollo:\n%s", text)
		}
	})
	t.Run("Forced", func(t *testing.T) {
		var who app.Citizen
		control := ""
		for _, c := range people {
			if c.Status == app.StatusResident && (c.Certifiability == 1 || c.Certifiability == 4) {
				who, control = c, map[int]string{1: "parzialmente-certificabile", 4: "interdetto"}[c.Certifiability]
				break
			}
		}
		if control == "" {
			t.Fatal("fixture: no partially certifiable or interdetto resident in the demo comune")
		}
		out := filepath.Join(dir, "forzato.pdf")
		args := []string{"--data", ws, "certificate", "issue", "--cf", who.CodiceFiscale, "--type", "nascita", "--marca", "01234567890128", "--out", out}
		if r := runBin(t, "sportello", args...); r.code != 1 || !strings.Contains(r.err, "forzabile con un motivo: "+control) {
			t.Fatalf("not forced: exit %d %s", r.code, r.err)
		}
		if r := runBin(t, "sportello", append(args, "--force", control)...); r.code != 2 || !strings.Contains(r.err, "--reason") {
			t.Fatalf("forced without a reason: exit %d %s", r.code, r.err)
		}
		// A forcing is a privileged fact: the operator logs in to sign it.
		said := mustRun(t, "sportello", append(args, "--force", control, "--reason", "verificato con l'ufficio anagrafe",
			"--operator", "demo", "--password-file", demoPassword(t))...)
		if !strings.Contains(said, "controllo ANPR forzato: "+control) {
			t.Errorf("issue said: %s", said)
		}
		if text := strings.Join(strings.Fields(pdfText(t, out)), " "); !strings.Contains(text, "In deroga") || strings.Contains(text, "verificato con") {
			t.Errorf("the forced certificate:\n%s", text)
		}
		if !strings.Contains(mustRun(t, "sportello", "certificate", "controls", "--type", "nascita"), control) {
			t.Error("certificate controls does not list the control")
		}
	})
	t.Run("Exempt", func(t *testing.T) {
		out := filepath.Join(dir, "esente.pdf")
		mustRun(t, "sportello", "--data", ws, "certificate", "issue", "--cf", adult.CodiceFiscale, "--type", "stato-di-famiglia",
			"--esenzione", "1", "--out", out)
		if text := pdfText(t, out); !strings.Contains(strings.ToLower(text), "esente") {
			t.Fatalf("an exempt certificate does not say so:\n%s", text)
		}
	})
}

func utf16Hex(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteString(strings.ToUpper(hex4(r)))
	}
	return b.String()
}

func hex4(r rune) string {
	const digits = "0123456789ABCDEF"
	return string([]byte{digits[r>>12&15], digits[r>>8&15], digits[r>>4&15], digits[r&15]})
}
