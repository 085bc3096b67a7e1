package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/internal/cmdline"
)

var update = flag.Bool("update", false, "rewrite testdata/json-keys.golden")

// outputs are the types every `sportello ... --json` prints, by command:
// a command's JSON is these keys and no other.
var outputs = []struct {
	command string
	line    any
}{
	{"search --json", searchLine{}},
	{"cf --json", CFResult{}},
	{"certificate list --json", certLine{}},
	{"payment list --json", positionLine{}},
	{"payment fine --json", fineLine{}},
	{"payment scan --json", scanLine{}},
	{"request services --json", serviceLine{}},
	{"request list --json", requestLine{}},
	{"post list --json", postLine{}},
	{"queue board --json", boardLine{}},
	{"queue stats --json", statsLine{}},
	{"outbox list --json", outboxLine{}},
}

// keys are the JSON keys of t, nested ones as parent.child.
func keys(t reflect.Type, prefix string) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		out = append(out, prefix+name)
		ft := f.Type
		for ft.Kind() == reflect.Slice || ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct && ft.PkgPath() == t.PkgPath() {
			out = append(out, keys(ft, prefix+name+".")...)
		}
	}
	return out
}

// TestJSONVocabulary holds every --json output to the vocabulary of
// docs/CLI.md: English snake_case keys, the keys fixed by earlier releases
// unchanged, no key of the older Italian spellings, the whole set as in
// testdata/json-keys.golden, and each key documented.
func TestJSONVocabulary(t *testing.T) {
	snake := regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)
	// Keys renamed by issue 9: none may come back.
	retired := map[string]bool{"cognome": true, "nome": true, "data_nascita": true, "comune_nome": true, "posizione": true,
		"altro_comune": true, "numero": true, "tipo": true, "rilasciato_il": true, "operatore": true, "senza_collegamento": true,
		"inviato": true, "segnalazione": true, "targa": true, "violazione": true, "notificato_il": true, "fase": true,
		"dovuto_centesimi": true, "fino_al": true, "poi_centesimi": true, "stato": true, "importo_centesimi": true,
		"messaggio": true, "valido": true, "rata": true, "Day": true, "Calls": true, "Waiting": true}
	fixed := map[string][]string{
		"cf --json":           {"valid", "error", "sex", "birth_date", "birth_place_code", "birth_place", "omocodia"},
		"request list --json": {"number", "provisional", "service", "status", "submitted_at"},
		"payment list --json": {"id", "codice_avviso", "amount_cents", "state", "instalments"},
	}
	doc, err := os.ReadFile("../../docs/CLI.md")
	if err != nil {
		t.Fatal(err)
	}
	var golden strings.Builder
	for _, o := range outputs {
		ks := keys(reflect.TypeOf(o.line), "")
		fmt.Fprintf(&golden, "%s: %s\n", o.command, strings.Join(ks, " "))
		t.Run(strings.ReplaceAll(o.command, " ", "_"), func(t *testing.T) {
			have := map[string]bool{}
			for _, k := range ks {
				have[k] = true
				leaf := k[strings.LastIndex(k, ".")+1:]
				if !snake.MatchString(leaf) {
					t.Errorf("key %q is not snake_case", k)
				}
				if retired[leaf] {
					t.Errorf("key %q was renamed: use its English name", k)
				}
				if !bytes.Contains(doc, []byte("`"+strings.ReplaceAll(k, ".", "[].")+"`")) {
					t.Errorf("key %q is not in docs/CLI.md", k)
				}
			}
			for _, k := range fixed[o.command] {
				if !have[k] {
					t.Errorf("fixed key %q missing", k)
				}
			}
			var both []string
			for _, k := range ks {
				if k == "state" || k == "status" || strings.HasSuffix(k, ".state") || strings.HasSuffix(k, ".status") {
					both = append(both, k)
				}
			}
			if len(both) > 1 && sameLevel(both) {
				t.Errorf("both state and status on one line: %v", both)
			}
		})
	}
	const path = "testdata/json-keys.golden"
	if *update {
		if err := os.WriteFile(path, []byte(golden.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if golden.String() != string(want) {
		t.Errorf("the --json keys changed (a contract scripts rely on: update docs/CLI.md, then go test -update):\n got:\n%s\nwant:\n%s", golden.String(), want)
	}
}

func sameLevel(ks []string) bool {
	depth := map[int]int{}
	for _, k := range ks {
		depth[strings.Count(k, ".")]++
	}
	for _, n := range depth {
		if n > 1 {
			return true
		}
	}
	return false
}

// env is an Env whose workstation must not be opened: command lines that
// are wrong are refused before anything is touched.
func env(t *testing.T) (*Env, *bytes.Buffer) {
	var out bytes.Buffer
	return &Env{Lang: "it", Getenv: func(string) string { return "" }, Stdout: &out, Stderr: io.Discard,
		Open: func(*slog.Logger) (*Workstation, error) {
			t.Fatal("the workstation was opened for a wrong command line")
			return nil, nil
		},
		Exists: func() bool { return false },
	}, &out
}

func TestUsage(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"UnknownCommand", []string{"bogus"}, `comando sconosciuto "bogus"`},
		{"NoPaymentCommand", []string{"payment"}, "payment: indicare list, notice, pay, fine, new, close, receipt, scan, refunds o refund-done"},
		{"UnknownQueueCommand", []string{"queue", "bogus"}, `queue: comando sconosciuto "bogus" (ticket, call, board, stats)`},
		{"SearchWithoutText", []string{"search", " "}, "search: indicare il testo da cercare"},
		{"CFWithoutCode", []string{"cf"}, "cf: indicare un codice fiscale"},
		{"EnrollWithoutCode", []string{"enroll", "--hub", "http://x"}, "servono --hub URL e --code CODICE"},
		{"SyncWithArgument", []string{"sync", "now"}, "nessun argomento previsto"},
		{"CertificateMarcaAndExemption", []string{"certificate", "issue", "--cf", "X", "--type", "residenza", "--out", "x.pdf", "--marca", "1", "--esenzione", "2"}, "non entrambi"},
		{"CertificateWithoutBollo", []string{"certificate", "issue", "--cf", "X", "--type", "residenza", "--out", "x.pdf"}, "vuole --marca"},
		{"PaymentBadMethod", []string{"payment", "pay", "--id", "P", "--method", "cheque"}, "payment pay:"},
		{"PaymentBadDue", []string{"payment", "new", "--cf", "X", "--causale", "C", "--amount", "100", "--due", "31/12/2026"}, "--due vuole AAAA-MM-GG"},
		{"RequestBadField", []string{"request", "submit", "--cf", "X", "--service", "S", "--field", "novalue"}, "--field vuole campo=valore"},
		{"RequestBadStatus", []string{"request", "status", "--number", "1", "--to", "boh"}, "request status:"},
		{"QueueStatsBadDate", []string{"queue", "stats", "--from", "ieri"}, "queue stats:"},
		{"VerifyTwoFiles", []string{"verify", "a.pdf", "b.pdf"}, "verify: indicare"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, _ := env(t)
			err := Run(context.Background(), e, tc.args)
			if cmdline.ExitCode(err) != cmdline.ExitUsage || !strings.Contains(cmdline.Message(err), tc.want) {
				t.Fatalf("exit %d, %q: want exit 2 and %q", cmdline.ExitCode(err), cmdline.Message(err), tc.want)
			}
		})
	}
	t.Run("Help", func(t *testing.T) {
		e, out := env(t)
		if err := Run(context.Background(), e, []string{"help"}); err != nil || out.String() != Usage+"\n" {
			t.Fatalf("help: %v, %q", err, out.String())
		}
	})
}

// local is the workstation's cache with only the operators a test needs:
// any other method panics, so a command reading more is noticed.
// logins is the part of the counter's cache a login uses: accounts,
// failures, the audit trail.
type logins struct {
	local
	failures map[string]int
	audit    []string
}

func (l *logins) counter() *app.CounterService {
	return &app.CounterService{Local: l, Comune: "F205", Now: time.Now,
		Verify: func(hash, pw string) bool { return hash == "h:"+pw }}
}

func (l *logins) Cursor(context.Context, string) (app.Cursor, error) { return app.Cursor{}, nil }

func (l *logins) SearchCitizens(context.Context, app.Query, int) ([]app.CitizenSummary, error) {
	return nil, nil
}

func (l *logins) Family(context.Context, string) ([]app.Citizen, error) { return nil, nil }

func (l *logins) LoginFailures(_ context.Context, name string) (int, time.Time, error) {
	return l.failures[name], time.Now(), nil
}

func (l *logins) RecordLogin(_ context.Context, name string, ok bool, _ time.Time) error {
	if l.failures == nil {
		l.failures = map[string]int{}
	}
	if ok {
		delete(l.failures, name)
	} else {
		l.failures[name]++
	}
	return nil
}

func (l *logins) AppendAudit(_ context.Context, operator, action, _ string, _ time.Time) error {
	l.audit = append(l.audit, operator+" "+action)
	return nil
}

type local struct {
	Local
	operators map[string]*app.Operator
}

func (l local) Operator(_ context.Context, name string) (*app.Operator, error) {
	if op, ok := l.operators[name]; ok {
		return op, nil
	}
	return nil, app.Errorf(app.ENOTFOUND, "operatore %s sconosciuto", name)
}

// TestPreamble runs the part every command shares: a workstation not yet
// enrolled is refused with what to do, and closed; the operator named by
// flag or environment must exist and be active.
func TestPreamble(t *testing.T) {
	ctx := context.Background()
	closed := 0
	notEnrolled := app.Errorf(app.ENOTFOUND, "postazione non attivata: usare 'sportello enroll --hub URL --code CODICE'")
	e := &Env{Getenv: func(string) string { return "" }, Stdout: io.Discard, Stderr: io.Discard,
		Open: func(*slog.Logger) (*Workstation, error) {
			return &Workstation{
				Profile: func(context.Context) (*app.Profile, error) { return nil, notEnrolled },
				Close:   func() error { closed++; return nil },
			}, nil
		},
		Exists: func() bool { return true },
	}
	for _, args := range [][]string{
		{"sync"}, {"search", "rossi"}, {"certificate", "list", "--flagged"}, {"payment", "list", "--cf", "RSSMRA85T10A562S"},
		{"request", "list", "--cf", "RSSMRA85T10A562S"}, {"queue", "board"},
	} {
		t.Run(strings.Join(args[:min(2, len(args))], "_"), func(t *testing.T) {
			before := closed
			err := Run(ctx, e, args)
			if !errors.Is(err, notEnrolled) || cmdline.ExitCode(err) != cmdline.ExitRefused {
				t.Fatalf("%v: %v, want the enrolment message and exit 1", args, err)
			}
			if closed != before+1 {
				t.Fatalf("%v: the workstation was not closed", args)
			}
		})
	}

	ops := map[string]*app.Operator{
		"demo":   {Username: "demo", Comune: "F205", PasswordHash: "h:pw-demo", Active: true},
		"ex":     {Username: "ex", Comune: "F205", PasswordHash: "h:pw-ex", Active: false},
		"giulia": {Username: "giulia", Comune: "F205", PasswordHash: "h:pw-giulia", Active: true},
	}
	dir := t.TempDir()
	pwFile := func(pw string) string {
		f := filepath.Join(dir, pw)
		if err := os.WriteFile(f, []byte(pw+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return f
	}
	for _, tc := range []struct {
		name, flag, file, env, envPw, typed, want string
		code                                      string
	}{
		{name: "ByFlagAndFile", flag: "demo", file: pwFile("pw-demo"), env: "giulia", want: "demo"},
		{name: "ByEnvironment", env: "giulia", envPw: "pw-giulia", want: "giulia"},
		{name: "AtTheTerminal", flag: "demo", typed: "pw-demo", want: "demo"},
		{name: "ErrWrongPassword", flag: "demo", file: pwFile("pw-giulia"), code: app.EUNAUTHORIZED},
		{name: "ErrNoPassword", flag: "demo", code: app.EUNAUTHORIZED},
		{name: "ErrNoPasswordFile", flag: "demo", file: filepath.Join(dir, "nessuno"), code: app.EINVALID},
		{name: "ErrInactive", flag: "ex", envPw: "pw-ex", code: app.EUNAUTHORIZED},
		{name: "ErrUnknown", flag: "nessuno", envPw: "x", code: app.EUNAUTHORIZED},
	} {
		t.Run("Operator"+tc.name, func(t *testing.T) {
			l := &logins{local: local{operators: ops}}
			s := &session{Workstation: &Workstation{Local: l.local, Counter: l.counter()},
				env: &Env{Getenv: func(k string) string {
					switch k {
					case "SPORTELLO_OPERATOR":
						return tc.env
					case "SPORTELLO_PASSWORD":
						return tc.envPw
					}
					return ""
				}}}
			if tc.typed != "" {
				s.env.ReadPassword = func(string) (string, error) { return tc.typed, nil }
			}
			op, err := s.operator(ctx, &actor{name: tc.flag, passwordFile: tc.file})
			if tc.code != "" {
				if app.ErrorCode(err) != tc.code || cmdline.ExitCode(err) != cmdline.ExitRefused {
					t.Fatalf("operator %q: %v, want %s and exit 1", tc.flag, err, tc.code)
				}
				if len(l.audit) != 0 {
					t.Fatalf("recorded %v", l.audit)
				}
				return
			}
			if err != nil || op.Username != tc.want {
				t.Fatalf("operator %q (env %q): %v, %v; want %s", tc.flag, tc.env, op, err, tc.want)
			}
			if len(l.audit) != 1 || l.audit[0] != tc.want+" "+app.AuditLogin {
				t.Fatalf("audit %v, want the login of %s", l.audit, tc.want)
			}
		})
	}
	t.Run("OperatorLockout", func(t *testing.T) {
		l := &logins{local: local{operators: ops}}
		s := &session{Workstation: &Workstation{Local: l.local, Counter: l.counter()}, env: &Env{Getenv: func(string) string { return "" }}}
		for range app.MaxLoginFailures {
			if _, err := s.operator(ctx, &actor{name: "demo", passwordFile: pwFile("sbagliata")}); app.ErrorCode(err) != app.EUNAUTHORIZED {
				t.Fatalf("wrong password: %v", err)
			}
		}
		if _, err := s.operator(ctx, &actor{name: "demo", passwordFile: pwFile("pw-demo")}); app.ErrorCode(err) != app.ELOCKED {
			t.Fatalf("right password after %d wrong ones: %v, want locked as at the counter", app.MaxLoginFailures, err)
		}
	})
	t.Run("OperatorSystemUser", func(t *testing.T) {
		s := &session{Workstation: &Workstation{}, env: &Env{Getenv: func(string) string { return "" }}}
		op, err := s.operator(ctx, &actor{})
		if err != nil || !strings.HasPrefix(op.Username, "cli:") {
			t.Fatalf("no operator named: %v, %v; want cli:USER", op, err)
		}
	})
}

// TestJSONOutputsListed checks that outputs, which the vocabulary test
// walks, names every command whose help offers --json.
func TestJSONOutputsListed(t *testing.T) {
	listed := map[string]bool{}
	for _, o := range outputs {
		listed[strings.TrimSuffix(o.command, " --json")] = true
	}
	for _, line := range strings.Split(Usage, "\n") {
		fields := strings.Fields(line)
		if !strings.Contains(line, "[--json]") || len(fields) == 0 {
			continue
		}
		var words []string
		for _, f := range fields {
			if strings.HasPrefix(f, "-") || strings.HasPrefix(f, "[") || strings.HasPrefix(f, "(") || strings.ToUpper(f) == f {
				break
			}
			words = append(words, f)
		}
		if cmd := strings.Join(words, " "); !listed[cmd] {
			t.Errorf("%q offers --json but its keys are not checked: add it to outputs", cmd)
		}
	}
}
