package cli

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/user"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/printing"
)

// roundTimeout bounds a command's sync round: without the hub the cache
// serves, and the operator should not wait long to learn it.
const roundTimeout = 20 * time.Second

// session is the preamble of every command, written once: the workstation
// opened, its enrolled profile loaded (the counter set to its comune), and,
// when the command asks, a sync round so the data is the hub's latest.
type session struct {
	*Workstation
	env     *Env
	profile *app.Profile
}

// preamble says what a command needs before it starts.
type preamble struct {
	log        io.Writer // where the sync engine's warnings go; nil discards them
	unenrolled bool      // the command runs before enrolment (enroll itself)
	round      bool      // a sync round first; offline the cache serves
	iuvBlock   bool      // ask the hub for IUVs when few are left (payments)
}

func (e *Env) open(ctx context.Context, p preamble) (*session, error) {
	w := p.log
	if w == nil {
		w = io.Discard
	}
	ws, err := e.Open(slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		return nil, err
	}
	s := &session{Workstation: ws, env: e}
	if !p.unenrolled {
		if s.profile, err = ws.Profile(ctx); err != nil {
			ws.Close()
			return nil, err
		}
	}
	if p.iuvBlock {
		_ = ws.Cashier.EnsureBlock(ctx) // offline the block in hand serves
	}
	if p.round {
		_ = s.round(ctx)
	}
	return s, nil
}

// openAs opens the session of p and names the operator the command acts
// for (operator): the preamble of every command that records something.
func (e *Env) openAs(ctx context.Context, p preamble, name string) (*session, *app.Operator, error) {
	s, err := e.open(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	op, err := s.operator(ctx, name)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	return s, op, nil
}

// round is one sync round, bounded.
func (s *session) round(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, roundTimeout)
	defer cancel()
	return s.Sync.Round(ctx)
}

// sentNote runs a round and says whether what was just stored reached the
// hub.
func (s *session) sentNote(ctx context.Context) string {
	if err := s.round(ctx); err != nil {
		return "in attesa di invio all'hub (" + app.ErrorMessage(err) + ")"
	}
	return "inviato all'hub"
}

// operator is who a command acts for: an operator of the workstation by
// --operator (or SPORTELLO_OPERATOR), who must be active, or else the
// system user, named as such ("cli:USER") in the audit trail and on what
// is issued.
func (s *session) operator(ctx context.Context, name string) (*app.Operator, error) {
	if name == "" {
		name = s.env.Getenv("SPORTELLO_OPERATOR")
	}
	if name == "" {
		u := "sconosciuto"
		if cu, err := user.Current(); err == nil && cu.Username != "" {
			u = cu.Username
		}
		return &app.Operator{Username: "cli:" + u}, nil
	}
	op, err := s.Local.Operator(ctx, name)
	if err != nil {
		return nil, err
	}
	if !op.Active {
		return nil, app.Errorf(app.EFORBIDDEN, "operatore %s disattivato", name)
	}
	return op, nil
}

// deliver writes the PDF to the file out and/or sends it to printer.
func deliver(ctx context.Context, out, printer, name string, pdf []byte) error {
	if out != "" {
		if err := os.WriteFile(out, pdf, 0o600); err != nil {
			return err
		}
	}
	if printer != "" {
		if err := printing.PrintTo(ctx, printer, name, pdf); err != nil {
			return err
		}
	}
	return nil
}
