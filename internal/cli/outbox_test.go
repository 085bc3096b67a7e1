package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/internal/cmdline"
)

// outboxLocal is a workstation's outbox for the commands: the store's
// rules are tested with the store; here, what the commands pass and print.
type outboxLocal struct {
	local
	ops       []app.Operation
	decisions []string
}

func (l *outboxLocal) Unsent(context.Context) ([]app.Operation, error) { return l.ops, nil }

func (l *outboxLocal) find(id string) error {
	for _, op := range l.ops {
		if op.ID == id {
			return nil
		}
	}
	return app.Errorf(app.ENOTFOUND, "operazione %s sconosciuta", id)
}

func (l *outboxLocal) RetryParked(_ context.Context, id string, by *app.Operator, _ time.Time) error {
	if err := l.find(id); err != nil {
		return err
	}
	l.decisions = append(l.decisions, "retry "+id+" by "+by.Username)
	return nil
}

func (l *outboxLocal) DiscardOp(_ context.Context, id string, by *app.Operator, reason string, _ time.Time) error {
	if err := l.find(id); err != nil {
		return err
	}
	if !by.Has(app.RoleSupervisor) {
		return app.Errorf(app.EFORBIDDEN, "solo un supervisore")
	}
	l.decisions = append(l.decisions, "discard "+id+" by "+by.Username+": "+reason)
	return nil
}

type roundOnly struct{ Sync }

func (roundOnly) Round(context.Context) error { return nil }

func TestOutboxCommands(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	password := "pw"
	newEnv := func(l *outboxLocal, out io.Writer) *Env {
		getenv := func(k string) string {
			if k == "SPORTELLO_PASSWORD" {
				return password
			}
			return ""
		}
		return &Env{Getenv: getenv, Stdout: out, Stderr: io.Discard,
			Open: func(*slog.Logger) (*Workstation, error) {
				return &Workstation{Local: l, Sync: roundOnly{}, Counter: (&logins{local: l.local}).counter(),
					Profile: func(context.Context) (*app.Profile, error) { return &app.Profile{Device: "F205-W001"}, nil },
					Close:   func() error { return nil }}, nil
			}}
	}
	newLocal := func() *outboxLocal {
		return &outboxLocal{
			local: local{operators: map[string]*app.Operator{
				"mrossi":   {Username: "mrossi", Comune: "F205", PasswordHash: "h:pw", Roles: []app.Role{app.RoleOperator}, Active: true},
				"gbianchi": {Username: "gbianchi", Comune: "F205", PasswordHash: "h:pw", Roles: []app.Role{app.RoleSupervisor}, Active: true},
			}},
			ops: []app.Operation{
				{ID: "op-1", Seq: 7, Kind: "payment", State: app.OpParked, Reason: "giornata già chiusa", CreatedAt: at},
				{ID: "op-2", Seq: 8, Kind: "audit", State: app.OpPending, Attempts: 2, LastError: "guasto", CreatedAt: at},
			},
		}
	}

	t.Run("List", func(t *testing.T) {
		var out bytes.Buffer
		if err := Run(ctx, newEnv(newLocal(), &out), []string{"outbox", "list"}); err != nil {
			t.Fatal(err)
		}
		want := "op-1\t7\tpayment\tsospesa\tgiornata già chiusa\n" +
			"op-2\t8\taudit\tin attesa\tin attesa di invio (2 tentativi, ultimo errore: guasto)\n"
		if out.String() != want {
			t.Fatalf("list:\n%s\nwant:\n%s", out.String(), want)
		}
	})
	t.Run("ListJSON", func(t *testing.T) {
		var out bytes.Buffer
		if err := Run(ctx, newEnv(newLocal(), &out), []string{"outbox", "list", "--json"}); err != nil {
			t.Fatal(err)
		}
		var lines []outboxLine
		if err := json.Unmarshal(out.Bytes(), &lines); err != nil {
			t.Fatal(err)
		}
		if len(lines) != 2 || lines[0].ID != "op-1" || lines[0].State != "parked" || lines[0].Reason != "giornata già chiusa" ||
			lines[1].Attempts != 2 || lines[1].LastError != "guasto" || lines[1].CreatedAt != "2026-12-05T09:00:00Z" {
			t.Fatalf("list --json: %s", out.String())
		}
	})
	for _, tc := range []struct {
		name          string
		args          []string
		exit          int
		decision      string
		wrongPassword bool
	}{
		{"RetryByOperator", []string{"retry", "--id", "op-1", "--operator", "mrossi"}, 0, "retry op-1 by mrossi", false},
		{"DiscardBySupervisor", []string{"discard", "--id", "op-1", "--reason", "doppia", "--operator", "gbianchi"}, 0, "discard op-1 by gbianchi: doppia", false},
		{"ErrDiscardByOperator", []string{"discard", "--id", "op-1", "--reason", "doppia", "--operator", "mrossi"}, cmdline.ExitRefused, "", false},
		{"ErrUnknownID", []string{"retry", "--id", "op-9", "--operator", "mrossi"}, cmdline.ExitRefused, "", false},
		{"ErrUnknownOperator", []string{"retry", "--id", "op-1", "--operator", "nessuno"}, cmdline.ExitRefused, "", false},
		{"ErrWrongPassword", []string{"discard", "--id", "op-1", "--reason", "doppia", "--operator", "gbianchi"}, cmdline.ExitRefused, "", true},
		{"ErrRetryWithoutID", []string{"retry"}, cmdline.ExitUsage, "", false},
		{"ErrDiscardWithoutReason", []string{"discard", "--id", "op-1"}, cmdline.ExitUsage, "", false},
		{"ErrUnknownSubcommand", []string{"purge"}, cmdline.ExitUsage, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newLocal()
			var out bytes.Buffer
			password = "pw"
			if tc.wrongPassword {
				password = "sbagliata"
			}
			err := Run(ctx, newEnv(l, &out), append([]string{"outbox"}, tc.args...))
			if got := cmdline.ExitCode(err); got != tc.exit {
				t.Fatalf("exit %d (%v), want %d", got, err, tc.exit)
			}
			if got := strings.Join(l.decisions, ";"); got != tc.decision {
				t.Fatalf("decisions %q, want %q", got, tc.decision)
			}
			if tc.exit == 0 && !strings.Contains(out.String(), "inviato all'hub") {
				t.Fatalf("output %q does not say the decision went to the hub", out.String())
			}
		})
	}
}
