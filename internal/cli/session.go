package cli

import (
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"os"
	"os/user"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/internal/cmdline"
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

// actor is who a command acts for: --operator and where the operator's
// password comes from (--password-file).
type actor struct {
	name, passwordFile string
}

// operatorFlags declares --operator and --password-file on fs.
func operatorFlags(fs *flag.FlagSet) *actor {
	a := &actor{}
	fs.StringVar(&a.name, "operator", "", "")
	fs.StringVar(&a.passwordFile, "password-file", "", "")
	return a
}

// purposeFlag declares --purpose: why the command may read a citizen of
// another comune through the hub (app.Purposes, or "altro: TEXT").
func purposeFlag(fs *flag.FlagSet) *string { return fs.String("purpose", "", "") }

// readPurpose gives op's session the purpose of --purpose; "" gives none,
// and a citizen of another comune is then refused (needPurpose).
func (s *session) readPurpose(cmd string, op *app.Operator, purpose string) error {
	if purpose == "" {
		return nil
	}
	choice, text, _ := strings.Cut(purpose, ":")
	p, err := app.ReadPurpose(strings.TrimSpace(choice), text)
	if err != nil {
		return cmdline.Usagef("%s: --purpose: %s", cmd, app.ErrorMessage(err))
	}
	s.Counter.SetPurpose(op, p)
	return nil
}

// needPurpose words the counter's request for a purpose for the command
// line: a missing flag.
func needPurpose(cmd string, err error) error {
	if errors.Is(err, app.ErrPurposeNeeded) {
		return cmdline.Usagef("%s: nessun cittadino di questo comune con questo codice fiscale; per cercarlo negli altri comuni "+
			"indicare l'operatore (--operator) e la finalità (--purpose: %s, oppure \"%s: motivo\")",
			cmd, strings.Join(app.Purposes[:len(app.Purposes)-1], ", "), app.PurposeOther)
	}
	return err
}

// openAs opens the session of p and names the operator the command acts
// for (operator): the preamble of every command that records something.
func (e *Env) openAs(ctx context.Context, p preamble, who *actor) (*session, *app.Operator, error) {
	s, err := e.open(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	op, err := s.operator(ctx, who)
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
// --operator (or SPORTELLO_OPERATOR), logged in with the password as at
// the counter (the same lockout; the login unlocks the key that signs
// the privileged facts), or else the system user, named as such
// ("cli:USER") in the audit trail and on what is issued, who can record
// nothing privileged.
func (s *session) operator(ctx context.Context, who *actor) (*app.Operator, error) {
	name := who.name
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
	pw, err := s.env.password(name, who.passwordFile)
	if err != nil {
		return nil, err
	}
	return s.Counter.Login(ctx, name, pw)
}

// password is the password of operator: the first line of file, or else
// SPORTELLO_PASSWORD, or else typed at the terminal without echo.
func (e *Env) password(operator, file string) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", app.Errorf(app.EINVALID, "file della password illeggibile: %v", err)
		}
		pw, _, _ := strings.Cut(string(b), "\n")
		return strings.TrimSuffix(pw, "\r"), nil
	}
	if pw := e.Getenv("SPORTELLO_PASSWORD"); pw != "" {
		return pw, nil
	}
	if e.ReadPassword != nil {
		if pw, err := e.ReadPassword("password di " + operator + ": "); err == nil {
			return pw, nil
		}
	}
	return "", app.Errorf(app.EUNAUTHORIZED, "serve la password dell'operatore %s: --password-file FILE, SPORTELLO_PASSWORD o da terminale", operator)
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
