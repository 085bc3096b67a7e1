package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/cf"
	"github.com/sportello/sportello/app/request"
	"github.com/sportello/sportello/internal/cmdline"
)

// multiFlag collects a repeated flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// serviceLine is one service of `request services --json`.
type serviceLine struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Event     string `json:"event"`
	Audience  string `json:"audience"`
	Office    string `json:"office"`
	Days      int    `json:"days"`
	Kiosk     bool   `json:"kiosk"`
	FeesCents int64  `json:"fees_cents"`
}

func cmdRequestServices(ctx context.Context, e *Env, args []string) error {
	fs := flags("request services")
	event := fs.String("event", "", "")
	asJSON := fs.Bool("json", false, "")
	if err := fs.Parse(args); err != nil {
		return cmdline.Usagef("request services: %v", err)
	}
	if *event != "" && !request.LifeEvent(*event).Valid() {
		var ids []string
		for _, ev := range request.LifeEvents {
			ids = append(ids, string(ev))
		}
		return cmdline.Usagef("request services: --event tra %s", strings.Join(ids, ", "))
	}
	s, err := e.open(ctx, preamble{log: e.Stderr})
	if err != nil {
		return err
	}
	defer s.Close()
	found, err := s.Desk.Search(ctx, strings.Join(fs.Args(), " "), request.LifeEvent(*event))
	if err != nil {
		return err
	}
	if *asJSON {
		out := []serviceLine{}
		for _, sv := range found {
			out = append(out, serviceLine{sv.ID, sv.Title, string(sv.Event), string(sv.Audience), sv.Office, sv.Days, sv.Kiosk, sv.TotalFees()})
		}
		return json.NewEncoder(e.Stdout).Encode(out)
	}
	for _, sv := range found {
		fmt.Fprintf(e.Stdout, "%-36s %s (%s, %d giorni)\n", sv.ID, sv.Title, sv.Event.Title(), sv.Days)
	}
	return nil
}

func cmdRequestSubmit(ctx context.Context, e *Env, args []string) error {
	fs := flags("request submit")
	code := fs.String("cf", "", "")
	service := fs.String("service", "", "")
	out := fs.String("out", "", "")
	opName := operatorFlags(fs)
	purpose := purposeFlag(fs)
	var fields, attach multiFlag
	fs.Var(&fields, "field", "")
	fs.Var(&attach, "attach", "")
	if err := fs.Parse(args); err != nil {
		return cmdline.Usagef("request submit: %v", err)
	}
	switch {
	case fs.NArg() > 0:
		return cmdline.Usagef("request submit: argomento inatteso %q", fs.Arg(0))
	case *code == "" || *service == "":
		return cmdline.Usagef("request submit: servono --cf CODICE e --service ID (sportello request services li elenca)")
	}
	values := request.Values{}
	for _, f := range fields {
		k, v, ok := strings.Cut(f, "=")
		if !ok || k == "" {
			return cmdline.Usagef("request submit: --field vuole campo=valore, non %q", f)
		}
		values[k] = v
	}
	var files []request.File
	for _, a := range attach {
		field, path, ok := strings.Cut(a, "=")
		if !ok || field == "" || path == "" {
			return cmdline.Usagef("request submit: --attach vuole campo=FILE, non %q", a)
		}
		st, err := os.Stat(path)
		if err != nil {
			return app.Errorf(app.EINVALID, "allegato %s non leggibile", path)
		}
		if st.Size() > request.MaxAttachmentSize {
			return app.Errorf(app.EINVALID, "l'allegato %s supera %d MB", filepath.Base(path), request.MaxAttachmentSize>>20)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return app.Errorf(app.EINVALID, "allegato %s non leggibile", path)
		}
		files = append(files, request.File{Field: field, Name: filepath.Base(path), Data: b})
	}
	s, op, err := e.openAs(ctx, preamble{log: e.Stderr}, opName)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.readPurpose("request submit", op, *purpose); err != nil {
		return err
	}
	file, err := s.Counter.OpenFile(ctx, op, cf.Normalize(*code))
	if err != nil {
		return needPurpose("request submit", err)
	}
	sv, err := s.Desk.Service(ctx, *service)
	if err != nil {
		return err
	}
	// What the form would have filled from the file, unless given.
	for k, v := range s.Desk.Prefill(sv, file) {
		if _, set := values[k]; !set {
			values[k] = v
		}
	}
	r, pdf, err := s.Desk.Submit(ctx, op, file, sv.ID, values, files)
	if err != nil {
		var fe *request.FormError
		if errors.As(err, &fe) {
			for _, f := range fe.Fields {
				fmt.Fprintf(e.Stderr, "  %s (%s): %s\n", f.Label, f.Field, f.Message)
			}
		}
		return err
	}
	if *out != "" && pdf != nil {
		if err := os.WriteFile(*out, pdf, 0o600); err != nil {
			return err
		}
	}
	// Send it now when the hub is there: the protocol number comes back.
	if err := s.Sync.Round(ctx); err != nil && app.ErrorCode(err) != app.EOFFLINE {
		fmt.Fprintln(e.Stderr, "sincronizzazione:", app.ErrorMessage(err))
	}
	if got, err := s.Local.Request(ctx, r.ID); err == nil {
		r = got
	}
	if r.IsProvisional() {
		fmt.Fprintf(e.Stdout, "richiesta %s presa in carico (numero provvisorio: il protocollo segue alla sincronizzazione)\n", r.Provisional)
	} else {
		fmt.Fprintf(e.Stdout, "richiesta protocollata: %s (provvisorio %s)\n", r.Number, r.Provisional)
	}
	return nil
}

// requestLine is one request of `request list --json`; number,
// provisional, service, status and submitted_at are fixed since the first
// release.
type requestLine struct {
	ID                string `json:"id"`
	Number            string `json:"number"`
	Provisional       bool   `json:"provisional"`
	ProvisionalNumber string `json:"provisional_number"`
	Service           string `json:"service"`
	ServiceTitle      string `json:"service_title"`
	Status            string `json:"status"`
	StatusTitle       string `json:"status_title"`
	Version           int    `json:"version"`
	Note              string `json:"note,omitempty"`
	SubmittedAt       string `json:"submitted_at"`
}

func cmdRequestList(ctx context.Context, e *Env, args []string) error {
	fs := flags("request list")
	code := fs.String("cf", "", "")
	asJSON := fs.Bool("json", false, "")
	if err := fs.Parse(args); err != nil {
		return cmdline.Usagef("request list: %v", err)
	}
	if *code == "" || fs.NArg() > 0 {
		return cmdline.Usagef("request list: serve --cf CODICE")
	}
	s, err := e.open(ctx, preamble{log: e.Stderr})
	if err != nil {
		return err
	}
	defer s.Close()
	list, err := s.Desk.List(ctx, cf.Normalize(*code))
	if err != nil {
		return err
	}
	if *asJSON {
		out := []requestLine{}
		for _, r := range list {
			out = append(out, requestLine{ID: r.ID, Number: r.DisplayNumber(), Provisional: r.IsProvisional(), ProvisionalNumber: r.Provisional,
				Service: r.Service, ServiceTitle: r.ServiceTitle, Status: string(r.Status), StatusTitle: r.Status.Title(),
				Version: r.Version, Note: r.LastNote(), SubmittedAt: r.SubmittedAt.UTC().Format(time.RFC3339)})
		}
		return json.NewEncoder(e.Stdout).Encode(out)
	}
	if len(list) == 0 {
		fmt.Fprintln(e.Stdout, "nessuna richiesta")
	}
	for _, r := range list {
		mark := ""
		if r.IsProvisional() {
			mark = " (provvisorio)"
		}
		fmt.Fprintf(e.Stdout, "%s%s  %s  %s  %s\n", r.DisplayNumber(), mark, r.SubmittedAt.Local().Format("02/01/2006"), r.Status.Title(), r.ServiceTitle)
	}
	return nil
}

func cmdRequestReceipt(ctx context.Context, e *Env, args []string) error {
	fs := flags("request receipt")
	number := fs.String("number", "", "")
	out := fs.String("out", "", "")
	opName := operatorFlags(fs)
	if err := fs.Parse(args); err != nil {
		return cmdline.Usagef("request receipt: %v", err)
	}
	if *number == "" || *out == "" {
		return cmdline.Usagef("request receipt: servono --number N e --out FILE.pdf")
	}
	s, op, err := e.openAs(ctx, preamble{log: e.Stderr}, opName)
	if err != nil {
		return err
	}
	defer s.Close()
	pdf, err := s.Desk.Receipt(ctx, op, *number)
	if err != nil {
		return err
	}
	return os.WriteFile(*out, pdf, 0o600)
}

func cmdRequestStatus(ctx context.Context, e *Env, args []string) error {
	fs := flags("request status")
	number := fs.String("number", "", "")
	to := fs.String("to", "", "")
	note := fs.String("note", "", "")
	opName := operatorFlags(fs)
	if err := fs.Parse(args); err != nil {
		return cmdline.Usagef("request status: %v", err)
	}
	if *number == "" || *to == "" {
		return cmdline.Usagef("request status: servono --number N e --to STATO (in_lavorazione, integrazione_richiesta, conclusa, respinta)")
	}
	status, err := request.ParseStatus(*to)
	if err != nil {
		return cmdline.Usagef("request status: %s", app.ErrorMessage(err))
	}
	s, op, err := e.openAs(ctx, preamble{log: e.Stderr}, opName)
	if err != nil {
		return err
	}
	defer s.Close()
	r, err := s.Desk.Get(ctx, *number)
	if err != nil {
		return err
	}
	if _, err := s.Desk.ChangeStatus(ctx, op, r.ID, status, *note); err != nil {
		return err
	}
	if err := s.Sync.Round(ctx); err != nil {
		return err
	}
	got, err := s.Desk.Get(ctx, r.ID)
	if err != nil {
		return err
	}
	if got.Status != status {
		if parked, err := s.Local.ParkedOps(ctx); err == nil {
			for i := len(parked) - 1; i >= 0; i-- {
				if parked[i].Kind == request.FactStatus && strings.Contains(string(parked[i].Data), r.ID) {
					return app.Errorf(app.ECONFLICT, "cambio di stato rifiutato dall'hub: %s", parked[i].Reason)
				}
			}
		}
		return app.Errorf(app.EOFFLINE, "cambio di stato in attesa dell'hub: la richiesta %s risulta ancora %s", got.DisplayNumber(), strings.ToLower(got.Status.Title()))
	}
	fmt.Fprintf(e.Stdout, "richiesta %s: %s\n", got.DisplayNumber(), strings.ToLower(got.Status.Title()))
	return nil
}

// cmdRequestScannerFolder shows or sets the folder the workstation's
// scanner saves into (the request form offers its newest files), with the
// files it would offer now; --clear unsets it.
func cmdRequestScannerFolder(ctx context.Context, e *Env, args []string) error {
	fs := flags("request scanner-folder")
	unset := fs.Bool("clear", false, "")
	if err := fs.Parse(args); err != nil {
		return cmdline.Usagef("request scanner-folder: %v", err)
	}
	if fs.NArg() > 1 || (*unset && fs.NArg() > 0) {
		return cmdline.Usagef("request scanner-folder: indicare una sola CARTELLA, o --clear")
	}
	s, err := e.open(ctx, preamble{log: e.Stderr})
	if err != nil {
		return err
	}
	defer s.Close()
	switch {
	case *unset:
		if _, err := s.Desk.SetScannerFolder(ctx, ""); err != nil {
			return err
		}
		fmt.Fprintln(e.Stdout, "cartella dello scanner non impostata")
		return nil
	case fs.NArg() == 1:
		dir, err := s.Desk.SetScannerFolder(ctx, fs.Arg(0))
		if err != nil {
			return err
		}
		fmt.Fprintln(e.Stdout, "cartella dello scanner:", dir)
	}
	dir, scans, err := s.Desk.Scans(ctx, 10)
	if err != nil {
		return err
	}
	if dir == "" {
		fmt.Fprintln(e.Stdout, "cartella dello scanner non impostata")
		return nil
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(e.Stdout, "cartella dello scanner:", dir)
	}
	if len(scans) == 0 {
		fmt.Fprintln(e.Stdout, "nessun file allegabile")
	}
	for _, sc := range scans {
		fmt.Fprintf(e.Stdout, "  %s  %-15s %8d  %s\n", sc.ModTime.Local().Format("02/01/2006 15:04"), sc.Type, sc.Size, sc.Name)
	}
	return nil
}
