package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sportello/sportello/hub"
	"github.com/sportello/sportello/hub/sqlstore"
	"github.com/sportello/sportello/internal/cmdline"
	"github.com/sportello/sportello/internal/hubpin"
)

// result is what a user sees of one run: the exit status and both streams.
type result struct {
	code           int
	stdout, stderr string
}

// runHub runs the command as the binary would, with env as its
// environment and nothing on its input.
func runHub(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr)
	code := cmdline.Report(&stderr, "sportello-hub", err)
	return result{code, stdout.String(), stderr.String()}
}

// flagsOf are the flags each subcommand takes, as docs/CLI.md lists them:
// scripts rely on these names.
var flagsOf = map[string][]string{
	"serve":               {"data", "db", "addr", "metrics-addr", "public-url", "backup-every", "backup-dir", "backup-keep", "tls-cert", "tls-key", "tls-name", "tls", "insecure-http"},
	"import-reference":    {"data", "db"},
	"demo":                {"data", "db", "comune", "residents", "seed"},
	"prepare":             {"data", "db", "comune"},
	"import-anagrafe":     {"data", "db", "comune"},
	"enroll-code":         {"data", "db", "comune", "ttl", "role", "tls-cert"},
	"add-operator":        {"data", "db", "comune", "username", "name", "role"},
	"revoke-device":       {"data", "db", "device"},
	"compact":             {"data", "db", "comune", "upto"},
	"root-key":            {"data", "db"},
	"tls-announce":        {"data", "db", "cert", "clear"},
	"fees":                {"data", "db", "comune", "with-bollo", "exempt", "stato-civile"},
	"backup":              {"data", "db", "out"},
	"restore":             {"data", "db"},
	"migrate":             {"from", "to"},
	"recovery list":       {"data", "db", "comune"},
	"recovery release":    {"data", "db", "device", "by", "reason"},
	"recovery log":        {"data", "db", "comune"},
	"payment online":      {"data", "db", "avviso", "amount", "ente", "at"},
	"payment refunds":     {"data", "db", "comune"},
	"payment refund-done": {"data", "db", "comune", "id", "method", "date", "note"},
	"catalogue import":    {"data", "db"},
	"catalogue list":      {"data", "db", "comune", "json"},
	"catalogue enable":    {"data", "db", "comune", "all"},
	"request list":        {"data", "db", "comune", "status", "json"},
	"request status":      {"data", "db", "comune", "number", "to", "note", "operator"},
	"notices list":        {"data", "db", "request"},
	"notices send":        {"data", "db"},
	"notices requeue":     {"data", "db", "id"},
	"audit":               {"data", "db", "comune", "cf", "json"},
	"audit-retention":     {"data", "db", "days"},
}

// TestSubcommandHelp asks every subcommand for its usage, both ways: it
// is printed on stdout with exit status 0, names the command, lists each
// of its flags and no flag of another command.
func TestSubcommandHelp(t *testing.T) {
	every := map[string]bool{}
	for _, fl := range flagsOf {
		for _, f := range fl {
			every[f] = true
		}
	}
	for _, c := range commands {
		if _, ok := flagsOf[c.name]; !ok {
			t.Errorf("subcommand %q is not in the test's table", c.name)
		}
	}
	for name, want := range flagsOf {
		for _, help := range []string{"--help", "-h"} {
			t.Run(strings.ReplaceAll(name, " ", "_")+help, func(t *testing.T) {
				r := runHub(t, nil, append(strings.Fields(name), help)...)
				if r.code != 0 || r.stderr != "" {
					t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
				}
				if !strings.HasPrefix(r.stdout, "uso: sportello-hub "+name+" ") {
					t.Errorf("usage does not start with the command:\n%s", r.stdout)
				}
				listed := map[string]bool{}
				for _, line := range strings.Split(r.stdout, "\n") {
					if f, ok := strings.CutPrefix(line, "  --"); ok {
						f, _, _ = strings.Cut(f, " ")
						listed[f] = true
					}
				}
				first, _, _ := strings.Cut(r.stdout, "\n")
				for _, f := range want {
					if !listed[f] {
						t.Errorf("--%s not listed:\n%s", f, r.stdout)
					}
					if !regexp.MustCompile(`--` + f + `([^a-z-]|$)`).MatchString(first) {
						t.Errorf("the usage line does not show --%s: %s", f, first)
					}
				}
				for f := range listed {
					if !slices.Contains(want, f) {
						t.Errorf("--%s listed, but it is not a flag of %s", f, name)
					}
				}
				for f := range every {
					if !slices.Contains(want, f) && regexp.MustCompile(`--`+f+`([^a-z-]|$)`).MatchString(r.stdout) {
						t.Errorf("the usage of %s mentions --%s", name, f)
					}
				}
			})
		}
	}
}

// TestUsageErrors: a command line the hub cannot read ends with exit
// status 2 and one line on stderr that says what is wrong, before any
// data folder is touched.
func TestUsageErrors(t *testing.T) {
	data := filepath.Join(t.TempDir(), "hub")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"UnknownFlag", []string{"fees", "--data", data, "--comune", "I690", "--residents", "3"}, "fees: opzione sconosciuta --residents"},
		{"FlagOfAnotherVerb", []string{"payment", "refunds", "--data", data, "--amount", "5"}, "payment refunds: opzione sconosciuta --amount"},
		{"BadValue", []string{"enroll-code", "--data", data, "--comune", "I690", "--ttl", "domani"}, `enroll-code: valore non valido "domani" per --ttl`},
		{"BadRole", []string{"enroll-code", "--data", data, "--comune", "I690", "--role", "capo"}, `enroll-code: --role vuole sportello, chiosco o tabellone, non "capo"`},
		{"MissingValue", []string{"demo", "--data"}, "demo: manca il valore di --data"},
		{"UnknownCommand", []string{"esporta"}, `comando sconosciuto "esporta"`},
		{"UnknownVerb", []string{"payment", "offline"}, `payment: comando sconosciuto "offline"`},
		{"MissingVerb", []string{"request"}, "request: manca il comando (list, status)"},
		{"MissingData", []string{"root-key"}, "root-key: manca --data DIR"},
		{"BadComune", []string{"fees", "--data", data, "--comune", "Milano"}, "fees: --comune vuole un codice catastale"},
		{"ExtraArgument", []string{"serve", "--data", data, "8450"}, `serve: argomento inatteso "8450"`},
		{"NoCommand", nil, "manca il comando"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runHub(t, nil, tc.args...)
			if r.code != 2 {
				t.Errorf("exit %d, want 2", r.code)
			}
			if !strings.HasPrefix(r.stderr, "sportello-hub: ") || !strings.Contains(r.stderr, tc.want) || strings.Count(r.stderr, "\n") != 1 {
				t.Errorf("stderr %q, want one line with %q", r.stderr, tc.want)
			}
		})
	}
	if _, err := os.Stat(data); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a refused command line made the data folder (%v)", err)
	}
}

// TestHelp lists every command on stdout with exit status 0, also as
// `help COMMAND`.
func TestHelp(t *testing.T) {
	r := runHub(t, nil, "--help")
	if r.code != 0 {
		t.Fatalf("exit %d", r.code)
	}
	for _, c := range commands {
		if !strings.Contains(r.stdout, "\n  "+c.name+" ") {
			t.Errorf("%s is not listed:\n%s", c.name, r.stdout)
		}
	}
	if r := runHub(t, nil, "help", "payment", "online"); r.code != 0 || !strings.Contains(r.stdout, "--avviso CODICE") {
		t.Errorf("help payment online: exit %d\n%s", r.code, r.stdout)
	}
	if r := runHub(t, nil, "catalogue", "--help"); r.code != 0 || !strings.Contains(r.stdout, "catalogue enable") || strings.Contains(r.stdout, "payment") {
		t.Errorf("catalogue --help: exit %d\n%s", r.code, r.stdout)
	}
}

// TestCommands runs the hub's administration through run, as a comune's
// IT person scripts it: the reference tables, a demo comune, its fees, an
// enrolment code, its requests and refunds, the network's key; a refused
// input exits 1.
func TestCommands(t *testing.T) {
	data := t.TempDir()
	mustRun := func(args ...string) string {
		t.Helper()
		r := runHub(t, nil, args...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d, stderr %s", args, r.code, r.stderr)
		}
		return r.stdout
	}
	out := mustRun("import-reference", "--data", data, filepath.Join("..", "..", "assets", "anpr"))
	if !strings.HasPrefix(out, "tabelle importate: ") {
		t.Errorf("import-reference: %q", out)
	}
	out = mustRun("demo", "--data", data, "--comune", "i690", "--residents", "300", "--seed", "3")
	if !strings.HasPrefix(out, "comune I690: ") || !strings.Contains(out, "operatore demo, password sportello") {
		t.Errorf("demo: %q", out)
	}
	// The comune's anagrafe prepared as a file for the first downloads.
	out = mustRun("prepare", "--data", data, "--comune", "I690")
	if !strings.HasPrefix(out, "anagrafe di I690 preparata alla posizione ") {
		t.Errorf("prepare: %q", out)
	}
	if files, _ := filepath.Glob(filepath.Join(data, "anagrafe-preparate", "I690-*.anagrafe.zst")); len(files) != 1 {
		t.Errorf("prepare left %v, want one file of I690", files)
	}
	if r := runHub(t, nil, "prepare", "--data", data, "--comune", "H501"); r.code == 0 || !strings.Contains(r.stderr, "non ha residenti") {
		t.Errorf("prepare of a comune without residents: exit %d, %q", r.code, r.stderr)
	}
	out = mustRun("fees", "--data", data, "--comune", "I690", "--with-bollo", "100", "--exempt", "50")
	if want := "diritti di segreteria di I690: 100 centesimi in bollo, 50 in carta libera, 0 sui certificati di stato civile\n"; out != want {
		t.Errorf("fees: %q, want %q", out, want)
	}
	lines := strings.Split(strings.TrimSpace(mustRun("enroll-code", "--data", data, "--comune", "I690", "--ttl", "1h")), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "codice di attivazione per una postazione di I690, valido 1h0m0s:") || lines[1] == "" {
		t.Errorf("enroll-code: %q", lines)
	}
	// A kiosk's code makes a kiosk: the hub, not the workstation, says so.
	kiosk := strings.Split(strings.TrimSpace(mustRun("enroll-code", "--data", data, "--comune", "I690", "--role", "chiosco")), "\n")
	if db, err := sqlstore.Open(context.Background(), filepath.Join(data, "hub.db")); err != nil {
		t.Error(err)
	} else {
		pub, _, _ := ed25519.GenerateKey(nil)
		e, err := db.Enroll(context.Background(), kiosk[len(kiosk)-1], "Chiosco atrio", pub)
		if err != nil {
			t.Fatal(err)
		}
		if dev, err := db.DeviceByToken(context.Background(), e.Token); err != nil || dev.Role != sqlstore.RoleKiosk {
			t.Errorf("device of a chiosco code: %+v %v", dev, err)
		}
		db.Close()
	}
	var requests []struct {
		Number string `json:"number"`
		Status string `json:"status"`
	}
	if err := json.Unmarshal([]byte(mustRun("request", "list", "--data", data, "--comune", "I690", "--json")), &requests); err != nil || len(requests) == 0 {
		t.Fatalf("request list --json: %d requests (%v)", len(requests), err)
	}
	out = mustRun("payment", "refunds", "--data", data, "--comune", "I690")
	if !strings.Contains(out, "da rimborsare € ") {
		t.Errorf("payment refunds: the demo's double payment is not listed:\n%s", out)
	}
	if key := strings.TrimSpace(mustRun("root-key", "--data", data)); len(key) != 44 {
		t.Errorf("root-key: %q", key)
	}
	if r := runHub(t, nil, "request", "status", "--data", data, "--comune", "I690", "--number", "1999/000001", "--to", "conclusa"); r.code != 1 || r.stderr == "" {
		t.Errorf("a request that does not exist: exit %d, stderr %q", r.code, r.stderr)
	}
}

// lockedBuffer is a stderr the test reads while the hub writes its log.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestServe runs the hub through run on a free port, as `serve` does: it
// logs where it listens, answers the workstations' health check and the
// public verification page, and stops cleanly (exit 0) when interrupted.
func TestServe(t *testing.T) {
	base, _, stop := startServe(t, "--data", t.TempDir(), "--addr", "127.0.0.1:0")
	if !strings.HasPrefix(base, "http://") {
		t.Errorf("on loopback with no TLS option the hub speaks plain HTTP: %s", base)
	}
	for _, path := range []string{"/v1/health", "/verifica"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %s", path, resp.Status)
		}
	}
	stop()
}

// startServe runs serve with args until stop, which asserts a clean
// exit; it returns the address the hub logged and its log.
func startServe(t *testing.T, args ...string) (base string, stderr *lockedBuffer, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stderr = &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve"}, args...), func(string) string { return "" },
			strings.NewReader(""), io.Discard, stderr)
	}()
	listening := regexp.MustCompile(`msg="hub listening" addr=(https?://\S+:\d+) `)
	for deadline := time.Now().Add(20 * time.Second); base == ""; time.Sleep(20 * time.Millisecond) {
		if m := listening.FindStringSubmatch(stderr.String()); m != nil {
			base = m[1]
		}
		select {
		case err := <-done:
			cancel()
			t.Fatalf("serve ended before listening: %v\n%s", err, stderr)
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve did not listen:\n%s", stderr)
		}
	}
	stop = func() {
		t.Helper()
		cancel()
		select {
		case err := <-done:
			if code := cmdline.ExitCode(err); code != 0 {
				t.Fatalf("interrupted serve: exit %d (%v)", code, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("serve did not stop when interrupted")
		}
	}
	return base, stderr, stop
}

// TestServeTLS: off loopback (every interface here) the hub serves TLS by
// default with its own CA, made once in the data folder with its key
// readable by the hub's user only; enroll-code pins that CA, and a client
// that checks the pin talks to the hub while plain HTTP gets nothing.
func TestServeTLS(t *testing.T) {
	data := t.TempDir()
	base, stderr, stop := startServe(t, "--data", data, "--addr", "0.0.0.0:0", "--tls-name", "hub.comune.example")
	defer stop()
	port := base[strings.LastIndex(base, ":")+1:]
	if !strings.HasPrefix(base, "https://") {
		t.Fatalf("hub on every interface: %s\n%s", base, stderr)
	}
	for file, mode := range map[string]os.FileMode{"tls": 0o700 | os.ModeDir, "tls/ca-key.pem": 0o600} {
		if fi, err := os.Stat(filepath.Join(data, file)); err != nil || fi.Mode() != mode {
			t.Errorf("%s: %v %v, want %v", file, fi.Mode(), err, mode)
		}
	}
	db, err := sqlstore.Open(context.Background(), filepath.Join(data, "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	err = db.EnsureComune(context.Background(), "I690", "PISA")
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	res := runHub(t, nil, "enroll-code", "--data", data, "--comune", "I690")
	if res.code != 0 {
		t.Fatalf("enroll-code: %+v", res)
	}
	lines := strings.Split(strings.TrimSpace(res.stdout), "\n")
	_, pin, err := hubpin.Split(lines[len(lines)-1])
	if err != nil || pin == "" {
		t.Fatalf("enroll-code printed no pin: %q %v", res.stdout, err)
	}
	if !strings.Contains(stderr.String(), "pin="+pin) {
		t.Errorf("the hub's log does not show the pin %s:\n%s", pin, stderr)
	}
	pinned := &http.Client{Transport: &http.Transport{TLSClientConfig: hubpin.Config(func() string { return pin }, time.Now)}}
	for _, host := range []string{"127.0.0.1", "localhost"} {
		resp, err := pinned.Get("https://" + host + ":" + port + "/v1/health")
		if err != nil {
			t.Fatalf("%s: %v", host, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %s", host, resp.Status)
		}
	}
	if resp, err := http.Get("http://127.0.0.1:" + port + "/v1/health"); err == nil {
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Error("plain HTTP answered on the TLS port")
		}
	}
	// The same CA at the next start: codes already given out still hold.
	ca, err := hub.LoadOrCreateCA(data, time.Now())
	if err != nil || ca.Pin() != pin {
		t.Errorf("CA after restart: pin %v (%v), want %s", ca, err, pin)
	}
}

// TestServeTLSOptions: the TLS options that contradict each other are
// refused before anything listens.
func TestServeTLSOptions(t *testing.T) {
	data := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--tls-cert", "x.pem"}, "--tls-cert e --tls-key vanno indicati insieme"},
		{[]string{"--insecure-http", "--tls-name", "hub"}, "--insecure-http esclude le opzioni --tls"},
	} {
		res := runHub(t, nil, append([]string{"serve", "--data", data, "--addr", "127.0.0.1:0"}, tc.args...)...)
		if res.code != 2 || !strings.Contains(res.stderr, tc.want) {
			t.Errorf("%v: exit %d, %q", tc.args, res.code, res.stderr)
		}
	}
}
