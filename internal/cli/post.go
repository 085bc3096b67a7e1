package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/internal/cmdline"
)

// postLine is one request of `post list --json`.
type postLine struct {
	ID          string `json:"id"`
	Number      string `json:"number"`
	Status      string `json:"status"`
	Type        string `json:"type"`
	Bollo       string `json:"bollo"` // "marca" or "esenzione"
	Recipient   string `json:"recipient"`
	Address     string `json:"address"` // the lines, "; "-joined
	SubmittedAt string `json:"submitted_at"`
	Certificate string `json:"certificate,omitempty"` // a posting begun: what is stored
	Position    string `json:"position,omitempty"`
	Problem     string `json:"problem,omitempty"`
}

// cmdPostList lists the back office's queue of certificates by post.
func cmdPostList(ctx context.Context, e *Env, args []string) error {
	fs := flags("post list")
	asJSON := fs.Bool("json", false, "")
	opName := operatorFlags(fs)
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return cmdline.Usagef("post list: [--json] [--operator UTENTE [--password-file FILE]]")
	}
	s, op, err := e.openAs(ctx, preamble{log: e.Stderr, round: true}, opName)
	if err != nil {
		return err
	}
	defer s.Close()
	items, err := s.Post.Worklist(ctx, op)
	if err != nil {
		return err
	}
	lines := []postLine{}
	for _, it := range items {
		r := it.Request
		l := postLine{ID: r.ID, Number: r.DisplayNumber(), Status: string(r.Status), SubmittedAt: r.SubmittedAt.UTC().Format(time.RFC3339), Problem: it.Problem}
		if o := it.Order; o != nil {
			l.Type, l.Recipient, l.Address, l.Bollo = o.Type, o.Address.Recipient, strings.Join(o.Address.Lines(), "; "), "esenzione"
			if o.Marca {
				l.Bollo = "marca"
			}
		}
		if d := it.Dispatch; d != nil {
			l.Certificate, l.Position = d.Certificate, d.Position
		}
		lines = append(lines, l)
	}
	if *asJSON {
		return json.NewEncoder(e.Stdout).Encode(lines)
	}
	if len(lines) == 0 {
		fmt.Fprintln(e.Stdout, "nessun certificato da spedire")
	}
	for _, l := range lines {
		fmt.Fprintf(e.Stdout, "%s  %-40s  %-9s  %s\n", l.Number, l.Type, l.Bollo, l.Address)
		if l.Problem != "" {
			fmt.Fprintln(e.Stdout, "    DA CORREGGERE:", l.Problem)
		}
		if l.Certificate != "" {
			fmt.Fprintf(e.Stdout, "    spedizione iniziata: certificato %s %s\n", l.Certificate, l.Position)
		}
	}
	return nil
}

// cmdPostIssue posts one request: certificate, postage position, move to
// concluded, and the PDF of the envelope's content.
func cmdPostIssue(ctx context.Context, e *Env, args []string) error {
	fs := flags("post issue")
	number := fs.String("number", "", "")
	marca := fs.String("marca", "", "")
	out := fs.String("out", "", "")
	printer := fs.String("print", "", "")
	opName := operatorFlags(fs)
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *number == "" || (*out == "" && *printer == "") {
		return cmdline.Usagef("post issue: servono --number N [--marca N] e --out FILE.pdf (o --print STAMPANTE)")
	}
	s, op, err := e.openAs(ctx, preamble{log: e.Stderr, round: true, iuvBlock: true}, opName)
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := s.Post.Post(ctx, op, *number, *marca)
	if err != nil {
		return err
	}
	c := p.Certificate.Certificate
	if err := deliver(ctx, *out, *printer, "posta-"+c.Number.String(), p.PDF); err != nil {
		return fmt.Errorf("certificato %s pronto ma non stampato (ripetere post issue per ristamparlo): %w", c.Number, err)
	}
	fmt.Fprintf(e.Stdout, "richiesta %s: certificato %s, avviso %s di %s; spedita; %s\n", p.Request.DisplayNumber(), c.Number,
		p.Position.Avviso.Grouped(), app.Euro(p.Position.AmountCents), s.sentNote(ctx))
	return nil
}
