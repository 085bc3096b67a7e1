package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anagrafe"
	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/hub/demo"
	"github.com/sportello/sportello/internal/cli"
	"github.com/sportello/sportello/internal/population"
)

// binaries built once for the process tests.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sportello-bin")
	if err != nil {
		panic(err)
	}
	binDir = dir
	for pkg, name := range map[string]string{".": "sportello", "./cmd/sportello-hub": "sportello-hub"} {
		cmd := exec.Command("go", "build", "-o", filepath.Join(dir, name), pkg)
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "build", pkg, err)
			os.Exit(1)
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	out, err string
	code     int
}

func runBin(t *testing.T, name string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(binDir, name), args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{out: out.String(), err: errb.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return r
}

func mustRun(t *testing.T, name string, args ...string) string {
	t.Helper()
	r := runBin(t, name, args...)
	if r.code != 0 {
		t.Fatalf("%s %s: exit %d\nstdout: %s\nstderr: %s", name, strings.Join(args, " "), r.code, r.out, r.err)
	}
	return r.out
}

// referenceDir is the folder of the ANPR tables built into the binaries
// (assets/anpr, compressed): import-reference takes it as it takes a
// release folder.
func referenceDir(t *testing.T) string {
	const builtIn = "assets/anpr"
	if _, err := os.Stat(filepath.Join(builtIn, anpr.FileComuni+".gz")); err != nil {
		t.Fatalf("the built-in ANPR tables: %v", err)
	}
	return builtIn
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startHub runs `sportello-hub serve` as its own process until the test ends.
func startHub(t *testing.T, data string) string {
	addr := freeAddr(t)
	cmd := exec.Command(filepath.Join(binDir, "sportello-hub"), "serve", "--data", data, "--addr", addr)
	var logs bytes.Buffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
		if t.Failed() {
			t.Logf("hub log:\n%s", logs.String())
		}
	})
	url := "http://" + addr
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(url + "/v1/health")
		if err == nil {
			resp.Body.Close()
			return url
		}
		if time.Now().After(deadline) {
			t.Fatalf("hub did not start: %v\n%s", err, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

type searchLine struct {
	CodiceFiscale string `json:"codice_fiscale"`
	Surname       string `json:"surname"`
	GivenName     string `json:"given_name"`
	Comune        string `json:"comune"`
	Remote        bool   `json:"remote"`
}

func search(t *testing.T, ws, text string) []searchLine {
	t.Helper()
	var lines []searchLine
	if err := json.Unmarshal([]byte(mustRun(t, "sportello", "--data", ws, "search", "--json", text)), &lines); err != nil {
		t.Fatal(err)
	}
	return lines
}

func find(lines []searchLine, cf string) *searchLine {
	for i := range lines {
		if lines[i].CodiceFiscale == cf {
			return &lines[i]
		}
	}
	return nil
}

// TestCLIChain runs the operations CLI as separate processes: the hub
// imports the reference tables, seeds two comuni and serves; a workstation
// enrols, syncs, searches locally and across the network; a re-imported
// anagrafe reaches it as changes.
func TestCLIChain(t *testing.T) {
	hubData, ws := t.TempDir(), t.TempDir()
	today := time.Now()
	mustRun(t, "sportello-hub", "import-reference", "--data", hubData, referenceDir(t))
	mustRun(t, "sportello-hub", "demo", "--data", hubData, "--comune", "I690", "--residents", "400", "--seed", "7")
	mustRun(t, "sportello-hub", "demo", "--data", hubData, "--comune", "C707", "--residents", "150", "--seed", "8")
	out := mustRun(t, "sportello-hub", "enroll-code", "--data", hubData, "--comune", "I690")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	code := lines[len(lines)-1]

	url := startHub(t, hubData)
	mustRun(t, "sportello", "--data", ws, "enroll", "--hub", url, "--code", code)
	if r := runBin(t, "sportello", "--data", t.TempDir(), "enroll", "--hub", url, "--code", code); r.code == 0 {
		t.Fatalf("a used enrolment code worked again: %s", r.out)
	}
	mustRun(t, "sportello", "--data", ws, "sync")

	people, err := population.Generate(population.Options{Comune: "I690", Residents: 400, Seed: 7, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	var p app.Citizen
	for _, c := range people {
		if c.Status == app.StatusResident {
			p = c
			break
		}
	}
	t.Run("SearchByName", func(t *testing.T) {
		got := find(search(t, ws, p.Surname+" "+p.GivenName), p.CodiceFiscale)
		if got == nil || got.Remote {
			t.Fatalf("%s %s (%s) not found locally", p.Surname, p.GivenName, p.CodiceFiscale)
		}
	})
	t.Run("SearchByCFPrefix", func(t *testing.T) {
		if find(search(t, ws, strings.ToLower(p.CodiceFiscale[:11])), p.CodiceFiscale) == nil {
			t.Fatalf("%s not found by prefix", p.CodiceFiscale)
		}
	})
	t.Run("CrossComune", func(t *testing.T) {
		others, err := population.Generate(population.Options{Comune: "C707", Residents: 150, Seed: 8, Today: today})
		if err != nil {
			t.Fatal(err)
		}
		o := others[0]
		// Without an operator who says why, the hub answers the comune's
		// own citizens only.
		if got := find(search(t, ws, o.CodiceFiscale), o.CodiceFiscale); got != nil {
			t.Fatalf("citizen of C707 %s found without an operator's proof: %+v", o.CodiceFiscale, got)
		}
		var lines []searchLine
		out := mustRun(t, "sportello", "--data", ws, "search", "--json", "--operator", demo.Operator, "--password-file", demoPassword(t),
			"--purpose", app.PurposeIdentity, o.CodiceFiscale)
		if err := json.Unmarshal([]byte(out), &lines); err != nil {
			t.Fatal(err)
		}
		got := find(lines, o.CodiceFiscale)
		if got == nil || !got.Remote || got.Comune != "C707" {
			t.Fatalf("citizen of C707 %s: got %+v, want a remote result", o.CodiceFiscale, got)
		}
		if r := runBin(t, "sportello", "--data", ws, "search", "--operator", demo.Operator, "--password-file", demoPassword(t),
			"--purpose", "curiosità", o.CodiceFiscale); r.code != 2 || !strings.Contains(r.err, "finalità sconosciuta") {
			t.Errorf("an unknown purpose: exit %d, %s", r.code, r.err)
		}
		// The hub's record: who read, why (sportello-hub audit).
		audit := mustRun(t, "sportello-hub", "audit", "--data", hubData, "--comune", "C707", "--cf", o.CodiceFiscale, "--json")
		if !strings.Contains(audit, `"operator":"demo"`) || !strings.Contains(audit, app.PurposeIdentity) {
			t.Errorf("audit of %s: %s", o.CodiceFiscale, audit)
		}
	})
	t.Run("CF", func(t *testing.T) {
		var res cli.CFResult
		if err := json.Unmarshal([]byte(mustRun(t, "sportello", "--data", ws, "cf", "--json", p.CodiceFiscale)), &res); err != nil {
			t.Fatal(err)
		}
		if !res.Valid || res.Sex != p.Sex || res.BirthDate != app.FormatDate(p.BirthDate) || res.BirthPlace == "" {
			t.Errorf("cf %s = %+v", p.CodiceFiscale, res)
		}
		r := runBin(t, "sportello", "cf", "--json", "RSSMRA85T10A562X")
		if r.code != 1 || !strings.Contains(r.out, `"valid":false`) || !strings.Contains(r.out, "controllo") {
			t.Errorf("invalid cf: exit %d, %s", r.code, r.out)
		}
	})
	t.Run("ReimportReachesWorkstation", func(t *testing.T) {
		moved, gone := people[0], people[1]
		var next []app.Citizen
		for _, c := range people {
			switch c.CodiceFiscale {
			case gone.CodiceFiscale:
				continue
			case moved.CodiceFiscale:
				c.Address.Street = "Via dei Test Nuova"
			}
			next = append(next, c)
		}
		// Moving one person: move the whole family, as the anagrafe does.
		for i := range next {
			if next[i].FamilyID == moved.FamilyID {
				next[i].Address = app.Address{Street: "Via dei Test Nuova", HouseNumber: "1", Postcode: moved.Address.Postcode}
			}
		}
		file := filepath.Join(t.TempDir(), "anagrafe.csv")
		f, err := os.Create(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := anagrafe.Write(f, next); err != nil {
			t.Fatal(err)
		}
		f.Close()
		if gone.FamilyID == moved.FamilyID {
			t.Skip("fixture: the two people share a family")
		}
		out := mustRun(t, "sportello-hub", "import-anagrafe", "--data", hubData, "--comune", "I690", file)
		if !strings.Contains(out, "1 cancellati") {
			t.Errorf("import summary: %s", out)
		}
		mustRun(t, "sportello", "--data", ws, "sync")
		if find(search(t, ws, gone.CodiceFiscale), gone.CodiceFiscale) != nil {
			t.Errorf("%s still found after its deletion", gone.CodiceFiscale)
		}
	})
	t.Run("ErrBadInput", func(t *testing.T) {
		for _, args := range [][]string{
			{"--data", ws, "bogus"},
			{"--data", ws, "search"},
			{"--data", ws, "cf"},
			{"--data", ws, "enroll", "--hub", "ftp://x", "--code", "A"},
			{"--lang", "fr", "cf", "X"},
		} {
			r := runBin(t, "sportello", args...)
			if r.code == 0 || strings.Count(strings.TrimSpace(r.err), "\n") > 12 || r.err == "" {
				t.Errorf("sportello %v: exit %d, stderr %q", args, r.code, r.err)
			}
		}
		bad := filepath.Join(t.TempDir(), "bad.csv")
		os.WriteFile(bad, []byte("codice_fiscale,cognome\nXXX,Rossi\n"), 0o600)
		r := runBin(t, "sportello-hub", "import-anagrafe", "--data", hubData, "--comune", "I690", bad)
		if r.code == 0 {
			t.Errorf("bad anagrafe file imported: %s", r.out)
		}
	})
	t.Run("SyncOfflineFails", func(t *testing.T) {
		other := t.TempDir()
		code := strings.TrimSpace(mustRun(t, "sportello-hub", "enroll-code", "--data", hubData, "--comune", "I690"))
		code = code[strings.LastIndex(code, "\n")+1:]
		mustRun(t, "sportello", "--data", other, "enroll", "--hub", url, "--code", code)
		// Point the profile at a port where no hub listens.
		r := runBin(t, "sportello", "--data", other, "--hub", "http://"+freeAddr(t), "sync")
		_ = r // the --hub flag only changes the GUI's profile; sync uses the enrolled hub
	})
}

// demoPassword is a file holding the demo operators' password, for the
// commands that act as an operator (--password-file).
func demoPassword(t *testing.T) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "password")
	if err := os.WriteFile(f, []byte(demo.Password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}
