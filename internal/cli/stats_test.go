package cli

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/dashboard"
	"github.com/sportello/sportello/internal/cmdline"
)

// statsLocal is the store's report for the command; the store computes
// it in its own tests.
type statsLocal struct {
	local
	asked [][2]string
}

func (l *statsLocal) Report(_ context.Context, from, to string) (*dashboard.Report, error) {
	l.asked = append(l.asked, [2]string{from, to})
	return &dashboard.Report{From: from, To: to,
		Certificates: []dashboard.CertificateRow{{Type: "residenza", Title: "Certificato di residenza", Count: 2, BolloCents: 3200}},
		Payments:     []dashboard.PaymentRow{{Method: "contanti", Service: "tari", Count: 1, AmountCents: 12050}},
	}, nil
}

// TestStatsCommand: the period's days reach the store; --csv writes a
// file per table, named for its period, as an Italian spreadsheet opens
// it; without it the tables are printed; a wrong command line exits 2
// before the workstation is opened.
func TestStatsCommand(t *testing.T) {
	ctx := context.Background()
	run := func(l *statsLocal, args ...string) (string, error) {
		var out bytes.Buffer
		e := &Env{Getenv: func(string) string { return "" }, Stdout: &out, Stderr: io.Discard,
			Open: func(*slog.Logger) (*Workstation, error) {
				if l == nil {
					t.Fatal("the workstation was opened for a wrong command line")
				}
				return &Workstation{Local: l, Sync: roundOnly{},
					Profile: func(context.Context) (*app.Profile, error) { return &app.Profile{Device: "F205-W001"}, nil },
					Close:   func() error { return nil }}, nil
			}}
		err := Run(ctx, e, append([]string{"stats"}, args...))
		return out.String(), err
	}

	l := &statsLocal{}
	dir := filepath.Join(t.TempDir(), "cruscotto")
	out, err := run(l, "--period", "30d", "--csv", dir)
	if err != nil {
		t.Fatal(err)
	}
	from, to := dashboard.Last30.Days(time.Now())
	if len(l.asked) != 1 || l.asked[0] != [2]string{from, to} {
		t.Fatalf("asked %v, want %s..%s", l.asked, from, to)
	}
	var names []string
	for _, n := range []string{"certificates", "requests", "payments", "closings", "queue"} {
		names = append(names, filepath.Join(dir, n+"-"+from+"-"+to+".csv"))
	}
	if out != strings.Join(names, "\n")+"\n" {
		t.Fatalf("printed %q", out)
	}
	b, err := os.ReadFile(names[2])
	if err != nil {
		t.Fatal(err)
	}
	if want := "\ufefffrom;to;method;service;count;amount_eur\r\n" + from + ";" + to + ";contanti;tari;1;120,50\r\n"; string(b) != want {
		t.Errorf("payments file %q, want %q", b, want)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".stats-*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}

	out, err = run(l, "--from", "2026-11-01", "--to", "2026-11-30")
	if err != nil {
		t.Fatal(err)
	}
	if l.asked[1] != [2]string{"2026-11-01", "2026-11-30"} || !strings.Contains(out, "dal 2026-11-01 al 2026-11-30: 2 certificati, 0 istanze, 1 pagamenti per € 120,50") ||
		!strings.Contains(out, "residenza") {
		t.Errorf("printed:\n%s", out)
	}

	for _, bad := range [][]string{{"--period", "month"}, {"--from", "2026-11-01"}, {"--from", "2026-11-30", "--to", "2026-11-01"}, {"--to", "30/11/2026", "--from", "2026-11-01"}, {"today"}} {
		if _, err := run(nil, bad...); cmdline.ExitCode(err) != cmdline.ExitUsage {
			t.Errorf("stats %v: exit %d (%v), want 2", bad, cmdline.ExitCode(err), err)
		}
	}
}
