package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/pratica"
	"github.com/sportello/sportello/hub/hubdb"
	"github.com/sportello/sportello/hub/notify"
)

const requestsUsage = `  catalogue import  --data DIR [FILE]     pubblica il catalogo incorporato, o quello del comune (FILE)
  catalogue list    --data DIR [--comune CODICE] [--json]
  catalogue enable  --data DIR --comune CODICE (--all | ID...)   i servizi offerti dal comune
  request list      --data DIR --comune CODICE [--status STATO] [--json]
  request status    --data DIR --comune CODICE --number N --to STATO [--note TESTO] [--operator NOME]
  notices list      --data DIR [--request ID]
  notices send      --data DIR              invia una volta gli avvisi in coda (SMTP e SMS da variabili SPORTELLO_*)
  notices requeue   --data DIR --id ID      rimette in coda un avviso sospeso o fallito`

// runRequests runs the hub's commands of the catalogue, the requests and
// their notices: "catalogue", "request", "notices", each with a verb.
func runRequests(ctx context.Context, cmd string, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{cmd + ": manca il comando\n" + requestsUsage}
	}
	verb, args := args[0], args[1:]
	name := cmd + " " + verb
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	data := fs.String("data", "", "")
	comune := fs.String("comune", "", "")
	number := fs.String("number", "", "")
	to := fs.String("to", "", "")
	note := fs.String("note", "", "")
	operator := fs.String("operator", "", "")
	status := fs.String("status", "", "")
	request := fs.String("request", "", "")
	id := fs.String("id", "", "")
	all := fs.Bool("all", false, "")
	asJSON := fs.Bool("json", false, "")
	if err := fs.Parse(args); err != nil {
		return usageError{fmt.Sprintf("%s: %v", name, err)}
	}
	if *data == "" {
		return usageError{name + ": manca --data DIR"}
	}
	*comune = strings.ToUpper(*comune)
	needComune := func() error { return checkComune(name, *comune) }
	db, err := openHubDB(ctx, *data)
	if err != nil {
		return err
	}
	defer db.Close()
	db.PublicURL = getenv("SPORTELLO_PUBLIC_URL") // the notices of a status change link to the follow page

	switch name {
	case "catalogue list":
		cat, err := db.Catalogue(ctx)
		if err != nil {
			return err
		}
		var enabled []string
		if *comune != "" {
			if err := needComune(); err != nil {
				return err
			}
			if enabled, err = db.EnabledServices(ctx, *comune); err != nil {
				return err
			}
		}
		pratica.SortServices(cat)
		type line struct {
			ID       string `json:"id"`
			Title    string `json:"title"`
			Event    string `json:"event"`
			Audience string `json:"audience"`
			Enabled  bool   `json:"enabled"`
		}
		out := []line{}
		for _, s := range cat {
			on := enabled == nil || contains(enabled, s.ID)
			out = append(out, line{s.ID, s.Title, string(s.Event), string(s.Audience), on})
		}
		if *asJSON {
			return json.NewEncoder(stdout).Encode(out)
		}
		for _, l := range out {
			mark := " "
			if l.Enabled {
				mark = "*"
			}
			fmt.Fprintf(stdout, "%s %-36s %-10s %s\n", mark, l.ID, l.Audience, l.Title)
		}
		return nil
	case "catalogue enable":
		if err := needComune(); err != nil {
			return err
		}
		ids := fs.Args()
		if *all {
			cat, err := db.Catalogue(ctx)
			if err != nil {
				return err
			}
			ids = nil
			for _, s := range cat {
				ids = append(ids, s.ID)
			}
		}
		if len(ids) == 0 {
			return usageError{name + ": indicare --all o gli identificativi dei servizi"}
		}
		if err := db.EnableServices(ctx, *comune, ids); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "comune %s: %d servizi offerti\n", *comune, len(ids))
		return nil
	case "request list":
		if err := needComune(); err != nil {
			return err
		}
		var st pratica.Status
		if *status != "" {
			if st, err = pratica.ParseStatus(*status); err != nil {
				return usageError{name + ": " + app.ErrorMessage(err)}
			}
		}
		list, err := db.HubRequests(ctx, *comune, st)
		if err != nil {
			return err
		}
		if *asJSON {
			type line struct {
				ID          string `json:"id"`
				Number      string `json:"number"`
				Provisional string `json:"provisional_number"`
				Service     string `json:"service"`
				Applicant   string `json:"codice_fiscale"`
				Status      string `json:"status"`
				Version     int    `json:"version"`
				SubmittedAt string `json:"submitted_at"`
			}
			out := []line{}
			for _, r := range list {
				out = append(out, line{r.ID, r.Number, r.Provisional, r.Service, r.CodiceFiscale, string(r.Status), r.Version, r.SubmittedAt.UTC().Format(time.RFC3339)})
			}
			return json.NewEncoder(stdout).Encode(out)
		}
		for _, r := range list {
			fmt.Fprintf(stdout, "%s  %-22s %s  %s\n", r.Number, r.Status.Title(), r.CodiceFiscale, r.ServiceTitle)
		}
		return nil
	case "request status":
		if err := needComune(); err != nil {
			return err
		}
		if *number == "" || *to == "" {
			return usageError{name + ": servono --number N e --to STATO"}
		}
		st, err := pratica.ParseStatus(*to)
		if err != nil {
			return usageError{name + ": " + app.ErrorMessage(err)}
		}
		who := *operator
		if who == "" {
			who = "hub"
		}
		r, err := db.SetRequestStatus(ctx, *comune, *number, st, *note, who)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "richiesta %s: %s (versione %d)\n", r.Number, strings.ToLower(r.Status.Title()), r.Version)
		return nil
	case "notices list":
		ns, err := db.Notices(ctx, *request)
		if err != nil {
			return err
		}
		for _, n := range ns {
			fmt.Fprintf(stdout, "%-10s %-5s %-32s %s %s\n", n.State, n.Channel, n.Recipient, n.ID, n.LastError)
		}
		return nil
	case "notices send":
		w, err := notifier(db, getenv, stderr)
		if err != nil {
			return err
		}
		if err := w.Start(ctx); err != nil {
			return err
		}
		n, err := w.RunOnce(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "avvisi inviati: %d\n", n)
		return nil
	case "notices requeue":
		if *id == "" {
			return usageError{name + ": serve --id ID"}
		}
		if err := db.RequeueNotice(ctx, *id); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "avviso %s rimesso in coda\n", *id)
		return nil
	}
	return usageError{fmt.Sprintf("comando sconosciuto %q\n%s", name, requestsUsage)}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// notifier is the notices' worker as the environment configures it:
//
//	SPORTELLO_SMTP_ADDR, SPORTELLO_SMTP_FROM, SPORTELLO_SMTP_USER,
//	SPORTELLO_SMTP_PASSWORD, SPORTELLO_SMTP_STARTTLS=1   email
//	SPORTELLO_PEC_ADDR, SPORTELLO_PEC_FROM, SPORTELLO_PEC_USER,
//	SPORTELLO_PEC_PASSWORD (implicit TLS unless SPORTELLO_PEC_TLS=0)  PEC
//	SPORTELLO_SMS_URL, SPORTELLO_SMS_TOKEN, SPORTELLO_SMS_SENDER     SMS
//
// A channel without its address is not configured: its notices fail with
// that reason, visible in "notices list".
func notifier(db *hubdb.DB, getenv func(string) string, stderr io.Writer) (*notify.Worker, error) {
	senders := map[string]notify.Sender{}
	if a := getenv("SPORTELLO_SMTP_ADDR"); a != "" {
		senders[pratica.ChannelEmail] = &notify.SMTP{Addr: a, From: getenv("SPORTELLO_SMTP_FROM"), Username: getenv("SPORTELLO_SMTP_USER"),
			Password: getenv("SPORTELLO_SMTP_PASSWORD"), StartTLS: getenv("SPORTELLO_SMTP_STARTTLS") == "1"}
	}
	if a := getenv("SPORTELLO_PEC_ADDR"); a != "" {
		senders[pratica.ChannelPEC] = &notify.SMTP{Addr: a, From: getenv("SPORTELLO_PEC_FROM"), Username: getenv("SPORTELLO_PEC_USER"),
			Password: getenv("SPORTELLO_PEC_PASSWORD"), ImplicitTLS: getenv("SPORTELLO_PEC_TLS") != "0"}
	}
	if u := getenv("SPORTELLO_SMS_URL"); u != "" {
		senders[pratica.ChannelSMS] = notify.SMS{Gateway: notify.HTTPGateway{URL: u, Token: getenv("SPORTELLO_SMS_TOKEN"), Sender: getenv("SPORTELLO_SMS_SENDER")}}
	}
	for ch, s := range senders {
		if m, ok := s.(*notify.SMTP); ok && m.From == "" {
			return nil, app.Errorf(app.EINVALID, "canale %s: manca il mittente (SPORTELLO_%s_FROM)", ch, map[string]string{"email": "SMTP", "pec": "PEC"}[ch])
		}
	}
	return &notify.Worker{Queue: db, Senders: senders, Log: slog.New(slog.NewTextHandler(stderr, nil))}, nil
}

// startNotifier runs the notices' worker beside the hub's server when a
// channel is configured.
func startNotifier(ctx context.Context, db *hubdb.DB, getenv func(string) string, stderr io.Writer) error {
	w, err := notifier(db, getenv, stderr)
	if err != nil {
		return err
	}
	if len(w.Senders) == 0 {
		return nil
	}
	if err := w.Start(ctx); err != nil {
		return err
	}
	go w.Run(ctx, 30*time.Second)
	return nil
}

// checkPublicURL refuses a --public-url that is not an http(s) address.
func checkPublicURL(s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return usageError{fmt.Sprintf("serve: --public-url vuole un indirizzo come https://hub.comune.it, non %q", s)}
	}
	return nil
}

// publicAddress is the hub's address in the links of the notices: the one
// given, else the address it listens on, named by the machine's name when
// it listens on every interface (":8450", "0.0.0.0:8450").
func publicAddress(given, listen string) string {
	if given != "" {
		return strings.TrimRight(given, "/")
	}
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "http://" + listen
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
		if h, err := os.Hostname(); err == nil && h != "" {
			host = h
		}
	}
	return "http://" + net.JoinHostPort(host, port)
}
