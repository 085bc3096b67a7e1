package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/cf"
	"github.com/sportello/sportello/app/pratica"
	"github.com/sportello/sportello/hub"
	"github.com/sportello/sportello/printing"
)

// newDesk is the requests counter of a workstation: receipts by printing's
// layout, with the QR code to the hub's follow page.
func newDesk(ws *workstation) *pratica.Desk {
	return &pratica.Desk{
		Store:    ws.store,
		Profile:  ws.store.Profile,
		Settings: ws.store,
		Render:   printing.RequestReceiptPDF,
		Now:      time.Now,
		FollowURL: func(r *pratica.Request) string {
			p, err := ws.store.Profile(context.Background())
			if err != nil || p.HubURL == "" {
				return ""
			}
			return hub.FollowURL(p.HubURL, r)
		},
		Outboxed: func() {
			if ws.counter.Outboxed != nil {
				ws.counter.Outboxed()
			}
		},
	}
}

func cmdRequest(ctx context.Context, o options, args []string) error {
	if len(args) == 0 {
		return usageError{"request: indicare services, submit, list, receipt, status o scanner-folder"}
	}
	switch args[0] {
	case "services":
		return cmdRequestServices(ctx, o, args[1:])
	case "submit":
		return cmdRequestSubmit(ctx, o, args[1:])
	case "list":
		return cmdRequestList(ctx, o, args[1:])
	case "receipt":
		return cmdRequestReceipt(ctx, o, args[1:])
	case "status":
		return cmdRequestStatus(ctx, o, args[1:])
	case "scanner-folder":
		return cmdRequestScannerFolder(ctx, o, args[1:])
	}
	return usageError{fmt.Sprintf("request: comando sconosciuto %q (services, submit, list, receipt, status, scanner-folder)", args[0])}
}

// multiFlag collects a repeated flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func openDesk(ctx context.Context, o options) (*workstation, *pratica.Desk, error) {
	ws, err := openWorkstation(o, quietLog(o.stderr))
	if err != nil {
		return nil, nil, err
	}
	if _, err := ws.profile(ctx); err != nil {
		ws.Close()
		return nil, nil, err
	}
	return ws, newDesk(ws), nil
}

type serviceJSON struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Event    string `json:"event"`
	Audience string `json:"audience"`
	Office   string `json:"office"`
	Days     int    `json:"days"`
	Kiosk    bool   `json:"kiosk"`
	Fees     int64  `json:"fees_cents"`
}

func cmdRequestServices(ctx context.Context, o options, args []string) error {
	fs := subFlags("request services")
	event := fs.String("event", "", "")
	asJSON := fs.Bool("json", false, "")
	if err := fs.Parse(args); err != nil {
		return usageError{"request services: " + err.Error()}
	}
	if *event != "" && !pratica.LifeEvent(*event).Valid() {
		var ids []string
		for _, e := range pratica.LifeEvents {
			ids = append(ids, string(e))
		}
		return usageError{"request services: --event tra " + strings.Join(ids, ", ")}
	}
	ws, desk, err := openDesk(ctx, o)
	if err != nil {
		return err
	}
	defer ws.Close()
	found, err := desk.Search(ctx, strings.Join(fs.Args(), " "), pratica.LifeEvent(*event))
	if err != nil {
		return err
	}
	if *asJSON {
		out := []serviceJSON{}
		for _, s := range found {
			out = append(out, serviceJSON{s.ID, s.Title, string(s.Event), string(s.Audience), s.Office, s.Days, s.Kiosk, s.TotalFees()})
		}
		return json.NewEncoder(o.stdout).Encode(out)
	}
	for _, s := range found {
		fmt.Fprintf(o.stdout, "%-36s %s (%s, %d giorni)\n", s.ID, s.Title, s.Event.Title(), s.Days)
	}
	return nil
}

func cmdRequestSubmit(ctx context.Context, o options, args []string) error {
	fs := subFlags("request submit")
	code := fs.String("cf", "", "")
	service := fs.String("service", "", "")
	out := fs.String("out", "", "")
	opName := fs.String("operator", "", "")
	var fields, attach multiFlag
	fs.Var(&fields, "field", "")
	fs.Var(&attach, "attach", "")
	if err := fs.Parse(args); err != nil {
		return usageError{"request submit: " + err.Error()}
	}
	switch {
	case fs.NArg() > 0:
		return usageError{fmt.Sprintf("request submit: argomento inatteso %q", fs.Arg(0))}
	case *code == "" || *service == "":
		return usageError{"request submit: servono --cf CODICE e --service ID (sportello request services li elenca)"}
	}
	values := pratica.Values{}
	for _, f := range fields {
		k, v, ok := strings.Cut(f, "=")
		if !ok || k == "" {
			return usageError{fmt.Sprintf("request submit: --field vuole campo=valore, non %q", f)}
		}
		values[k] = v
	}
	var files []pratica.File
	for _, a := range attach {
		field, path, ok := strings.Cut(a, "=")
		if !ok || field == "" || path == "" {
			return usageError{fmt.Sprintf("request submit: --attach vuole campo=FILE, non %q", a)}
		}
		st, err := os.Stat(path)
		if err != nil {
			return app.Errorf(app.EINVALID, "allegato %s non leggibile", path)
		}
		if st.Size() > pratica.MaxAttachmentSize {
			return app.Errorf(app.EINVALID, "l'allegato %s supera %d MB", filepath.Base(path), pratica.MaxAttachmentSize>>20)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return app.Errorf(app.EINVALID, "allegato %s non leggibile", path)
		}
		files = append(files, pratica.File{Field: field, Name: filepath.Base(path), Data: b})
	}
	ws, desk, err := openDesk(ctx, o)
	if err != nil {
		return err
	}
	defer ws.Close()
	op, err := cliOperator(ctx, ws, o, *opName)
	if err != nil {
		return err
	}
	file, err := ws.counter.OpenFile(ctx, op, cf.Normalize(*code))
	if err != nil {
		return err
	}
	s, err := desk.Service(ctx, *service)
	if err != nil {
		return err
	}
	// What the form would have filled from the file, unless given.
	for k, v := range desk.Prefill(s, file) {
		if _, set := values[k]; !set {
			values[k] = v
		}
	}
	r, pdf, err := desk.Submit(ctx, op, file, s.ID, values, files)
	if err != nil {
		if fe, ok := err.(*pratica.FormError); ok {
			for _, f := range fe.Fields {
				fmt.Fprintf(o.stderr, "  %s (%s): %s\n", f.Label, f.Field, f.Message)
			}
		}
		return err
	}
	if *out != "" && pdf != nil {
		if err := os.WriteFile(*out, pdf, 0o644); err != nil {
			return err
		}
	}
	// Send it now when the hub is there: the protocol number comes back.
	if err := ws.client.Round(ctx); err != nil && app.ErrorCode(err) != app.EOFFLINE {
		fmt.Fprintln(o.stderr, "sincronizzazione:", app.ErrorMessage(err))
	}
	if got, err := ws.store.Request(ctx, r.ID); err == nil {
		r = got
	}
	if r.IsProvisional() {
		fmt.Fprintf(o.stdout, "richiesta %s presa in carico (numero provvisorio: il protocollo segue alla sincronizzazione)\n", r.Provisional)
	} else {
		fmt.Fprintf(o.stdout, "richiesta protocollata: %s (provvisorio %s)\n", r.Number, r.Provisional)
	}
	return nil
}

type requestJSON struct {
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

func cmdRequestList(ctx context.Context, o options, args []string) error {
	fs := subFlags("request list")
	code := fs.String("cf", "", "")
	asJSON := fs.Bool("json", false, "")
	if err := fs.Parse(args); err != nil {
		return usageError{"request list: " + err.Error()}
	}
	if *code == "" || fs.NArg() > 0 {
		return usageError{"request list: serve --cf CODICE"}
	}
	ws, desk, err := openDesk(ctx, o)
	if err != nil {
		return err
	}
	defer ws.Close()
	list, err := desk.List(ctx, cf.Normalize(*code))
	if err != nil {
		return err
	}
	if *asJSON {
		out := []requestJSON{}
		for _, r := range list {
			out = append(out, requestJSON{ID: r.ID, Number: r.DisplayNumber(), Provisional: r.IsProvisional(), ProvisionalNumber: r.Provisional,
				Service: r.Service, ServiceTitle: r.ServiceTitle, Status: string(r.Status), StatusTitle: r.Status.Title(),
				Version: r.Version, Note: r.LastNote(), SubmittedAt: r.SubmittedAt.UTC().Format(time.RFC3339)})
		}
		return json.NewEncoder(o.stdout).Encode(out)
	}
	if len(list) == 0 {
		fmt.Fprintln(o.stdout, "nessuna richiesta")
	}
	for _, r := range list {
		mark := ""
		if r.IsProvisional() {
			mark = " (provvisorio)"
		}
		fmt.Fprintf(o.stdout, "%s%s  %s  %s  %s\n", r.DisplayNumber(), mark, r.SubmittedAt.Local().Format("02/01/2006"), r.Status.Title(), r.ServiceTitle)
	}
	return nil
}

func cmdRequestReceipt(ctx context.Context, o options, args []string) error {
	fs := subFlags("request receipt")
	number := fs.String("number", "", "")
	out := fs.String("out", "", "")
	opName := fs.String("operator", "", "")
	if err := fs.Parse(args); err != nil {
		return usageError{"request receipt: " + err.Error()}
	}
	if *number == "" || *out == "" {
		return usageError{"request receipt: servono --number N e --out FILE.pdf"}
	}
	ws, desk, err := openDesk(ctx, o)
	if err != nil {
		return err
	}
	defer ws.Close()
	op, err := cliOperator(ctx, ws, o, *opName)
	if err != nil {
		return err
	}
	pdf, err := desk.Receipt(ctx, op, *number)
	if err != nil {
		return err
	}
	return os.WriteFile(*out, pdf, 0o644)
}

func cmdRequestStatus(ctx context.Context, o options, args []string) error {
	fs := subFlags("request status")
	number := fs.String("number", "", "")
	to := fs.String("to", "", "")
	note := fs.String("note", "", "")
	opName := fs.String("operator", "", "")
	if err := fs.Parse(args); err != nil {
		return usageError{"request status: " + err.Error()}
	}
	if *number == "" || *to == "" {
		return usageError{"request status: servono --number N e --to STATO (in_lavorazione, integrazione_richiesta, conclusa, respinta)"}
	}
	status, err := pratica.ParseStatus(*to)
	if err != nil {
		return usageError{"request status: " + app.ErrorMessage(err)}
	}
	ws, desk, err := openDesk(ctx, o)
	if err != nil {
		return err
	}
	defer ws.Close()
	op, err := cliOperator(ctx, ws, o, *opName)
	if err != nil {
		return err
	}
	r, err := desk.Get(ctx, *number)
	if err != nil {
		return err
	}
	if _, err := desk.ChangeStatus(ctx, op, r.ID, status, *note); err != nil {
		return err
	}
	if err := ws.client.Round(ctx); err != nil {
		return err
	}
	got, err := desk.Get(ctx, r.ID)
	if err != nil {
		return err
	}
	if got.Status != status {
		if parked, err := ws.store.ParkedOps(ctx); err == nil {
			for i := len(parked) - 1; i >= 0; i-- {
				if parked[i].Kind == pratica.FactStatus && strings.Contains(string(parked[i].Data), r.ID) {
					return app.Errorf(app.ECONFLICT, "cambio di stato rifiutato dall'hub: %s", parked[i].Reason)
				}
			}
		}
		return app.Errorf(app.EOFFLINE, "cambio di stato in attesa dell'hub: la richiesta %s risulta ancora %s", got.DisplayNumber(), strings.ToLower(got.Status.Title()))
	}
	fmt.Fprintf(o.stdout, "richiesta %s: %s\n", got.DisplayNumber(), strings.ToLower(got.Status.Title()))
	return nil
}

// cmdRequestScannerFolder shows or sets the folder the workstation's
// scanner saves into (the request form offers its newest files), with the
// files it would offer now; --clear unsets it.
func cmdRequestScannerFolder(ctx context.Context, o options, args []string) error {
	fs := subFlags("request scanner-folder")
	unset := fs.Bool("clear", false, "")
	if err := fs.Parse(args); err != nil {
		return usageError{"request scanner-folder: " + err.Error()}
	}
	if fs.NArg() > 1 || (*unset && fs.NArg() > 0) {
		return usageError{"request scanner-folder: indicare una sola CARTELLA, o --clear"}
	}
	ws, desk, err := openDesk(ctx, o)
	if err != nil {
		return err
	}
	defer ws.Close()
	switch {
	case *unset:
		if _, err := desk.SetScannerFolder(ctx, ""); err != nil {
			return err
		}
		fmt.Fprintln(o.stdout, "cartella dello scanner non impostata")
		return nil
	case fs.NArg() == 1:
		dir, err := desk.SetScannerFolder(ctx, fs.Arg(0))
		if err != nil {
			return err
		}
		fmt.Fprintln(o.stdout, "cartella dello scanner:", dir)
	}
	dir, scans, err := desk.Scans(ctx, 10)
	if err != nil {
		return err
	}
	if dir == "" {
		fmt.Fprintln(o.stdout, "cartella dello scanner non impostata")
		return nil
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(o.stdout, "cartella dello scanner:", dir)
	}
	if len(scans) == 0 {
		fmt.Fprintln(o.stdout, "nessun file allegabile")
	}
	for _, s := range scans {
		fmt.Fprintf(o.stdout, "  %s  %-15s %8d  %s\n", s.ModTime.Local().Format("02/01/2006 15:04"), s.Type, s.Size, s.Name)
	}
	return nil
}
