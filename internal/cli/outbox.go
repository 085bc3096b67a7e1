package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/internal/cmdline"
)

// outboxLine is one line of `outbox list --json`: an operation the hub has
// not taken yet.
type outboxLine struct {
	ID        string `json:"id"`
	Seq       int64  `json:"seq"`
	Kind      string `json:"kind"`
	State     string `json:"state"`
	Attempts  int    `json:"attempts"`
	Reason    string `json:"reason"`
	LastError string `json:"last_error"`
	CreatedAt string `json:"created_at"`
}

// cmdOutboxList is `sportello outbox list`: what waits for the hub, and
// what was parked and why, oldest first.
func cmdOutboxList(ctx context.Context, e *Env, args []string) error {
	fs := flags("outbox list")
	asJSON := fs.Bool("json", false, "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return cmdline.Usagef("outbox list: uso: outbox list [--json]")
	}
	s, err := e.open(ctx, preamble{})
	if err != nil {
		return err
	}
	defer s.Close()
	ops, err := s.Local.Unsent(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]outboxLine, 0, len(ops))
		for _, op := range ops {
			out = append(out, outboxLine{ID: op.ID, Seq: op.Seq, Kind: op.Kind, State: string(op.State), Attempts: op.Attempts,
				Reason: op.Reason, LastError: op.LastError, CreatedAt: app.FormatInstant(op.CreatedAt)})
		}
		return json.NewEncoder(e.Stdout).Encode(out)
	}
	if len(ops) == 0 {
		fmt.Fprintln(e.Stdout, "nessuna operazione in attesa: l'hub ha ricevuto tutto")
		return nil
	}
	for _, op := range ops {
		why := op.Reason
		if op.State == app.OpPending {
			why = "in attesa di invio"
			if op.LastError != "" {
				why += fmt.Sprintf(" (%d tentativi, ultimo errore: %s)", op.Attempts, op.LastError)
			}
		}
		fmt.Fprintf(e.Stdout, "%s\t%d\t%s\t%s\t%s\n", op.ID, op.Seq, op.Kind, stateWord(op.State), why)
	}
	return nil
}

// stateWord is an outbox state in the counter's words.
func stateWord(s app.OpState) string {
	switch s {
	case app.OpPending:
		return "in attesa"
	case app.OpParked:
		return "sospesa"
	}
	return string(s)
}

// cmdOutboxRetry is `sportello outbox retry`: a parked operation goes back
// in line, once its cause is dealt with, and a sync round sends it.
func cmdOutboxRetry(ctx context.Context, e *Env, args []string) error {
	fs := flags("outbox retry")
	id := fs.String("id", "", "")
	opName := operatorFlags(fs)
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *id == "" {
		return cmdline.Usagef("outbox retry: servono --id OPERAZIONE [--operator UTENTE]")
	}
	s, op, err := e.openAs(ctx, preamble{}, opName)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Local.RetryParked(ctx, *id, op, time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "operazione %s rimessa in coda; %s\n", *id, s.sentNote(ctx))
	return nil
}

// cmdOutboxDiscard is `sportello outbox discard`: a parked operation is set
// aside for good, with the reason; a payment, closing or refund only by a
// supervisor.
func cmdOutboxDiscard(ctx context.Context, e *Env, args []string) error {
	fs := flags("outbox discard")
	id := fs.String("id", "", "")
	reason := fs.String("reason", "", "")
	opName := operatorFlags(fs)
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *id == "" || *reason == "" {
		return cmdline.Usagef("outbox discard: servono --id OPERAZIONE --reason MOTIVO [--operator UTENTE]")
	}
	s, op, err := e.openAs(ctx, preamble{}, opName)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Local.DiscardOp(ctx, *id, op, *reason, time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "operazione %s scartata: non sarà inviata all'hub; %s\n", *id, s.sentNote(ctx))
	return nil
}
