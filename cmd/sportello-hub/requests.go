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
	"github.com/sportello/sportello/app/request"
	"github.com/sportello/sportello/hub/notify"
	"github.com/sportello/sportello/hub/sqlstore"
	"github.com/sportello/sportello/internal/cmdline"
)

// The commands of the service catalogue, the requests and their notices.

// openRequestsDB opens the hub's database for a command of the requests:
// a status change queues notices that link to the follow page, at the
// hub's public address.
func openRequestsDB(ctx context.Context, e *env, cmd string, data *hubPlace) (*sqlstore.DB, error) {
	db, err := openHubDB(ctx, cmd, data)
	if err != nil {
		return nil, err
	}
	db.PublicURL = e.getenv("SPORTELLO_PUBLIC_URL")
	return db, nil
}

var catalogueListCmd = &command{
	name:     "catalogue list",
	synopsis: "(--data DIR | --db URL) [--comune CODICE] [--json]",
	summary:  "il catalogo dei servizi; con --comune, segnati con * quelli che il comune offre",
	setup: func(e *env, fs *flag.FlagSet) func(context.Context) error {
		data, comune := dataFlag(e, fs), comuneFlag(fs)
		asJSON := fs.Bool("json", false, "in JSON: id, title, event, audience, enabled")
		return func(ctx context.Context) error {
			code := ""
			if *comune != "" {
				var err error
				if code, err = checkComune("catalogue list", *comune); err != nil {
					return err
				}
			}
			db, err := openRequestsDB(ctx, e, "catalogue list", data)
			if err != nil {
				return err
			}
			defer db.Close()
			cat, err := db.Catalogue(ctx)
			if err != nil {
				return err
			}
			var enabled []string
			if code != "" {
				if enabled, err = db.EnabledServices(ctx, code); err != nil {
					return err
				}
			}
			request.SortServices(cat)
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
				return json.NewEncoder(e.stdout).Encode(out)
			}
			for _, l := range out {
				mark := " "
				if l.Enabled {
					mark = "*"
				}
				fmt.Fprintf(e.stdout, "%s %-36s %-10s %s\n", mark, l.ID, l.Audience, l.Title)
			}
			return nil
		}
	},
}

var catalogueEnableCmd = &command{
	name:     "catalogue enable",
	synopsis: "(--data DIR | --db URL) --comune CODICE (--all | ID...)",
	summary:  "i servizi che il comune offre: tutti, o quelli indicati",
	args:     -1,
	setup: func(e *env, fs *flag.FlagSet) func(context.Context) error {
		data, comune := dataFlag(e, fs), comuneFlag(fs)
		all := fs.Bool("all", false, "tutti i servizi del catalogo")
		return func(ctx context.Context) error {
			code, err := checkComune("catalogue enable", *comune)
			if err != nil {
				return err
			}
			ids := fs.Args()
			if !*all && len(ids) == 0 {
				return cmdline.Usagef("catalogue enable: indicare --all o gli identificativi dei servizi")
			}
			db, err := openRequestsDB(ctx, e, "catalogue enable", data)
			if err != nil {
				return err
			}
			defer db.Close()
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
				return cmdline.Usagef("catalogue enable: indicare --all o gli identificativi dei servizi")
			}
			if err := db.EnableServices(ctx, code, ids); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "comune %s: %d servizi offerti\n", code, len(ids))
			return nil
		}
	},
}

var requestListCmd = &command{
	name:     "request list",
	synopsis: "(--data DIR | --db URL) --comune CODICE [--status STATO] [--json]",
	summary:  "le richieste del comune, dalla più recente",
	setup: func(e *env, fs *flag.FlagSet) func(context.Context) error {
		data, comune := dataFlag(e, fs), comuneFlag(fs)
		status := fs.String("status", "", "solo le richieste nello `STATO` : ricevuta, in_lavorazione, integrazione_richiesta, conclusa, respinta")
		asJSON := fs.Bool("json", false, "in JSON: id, number, provisional_number, service, codice_fiscale, status, version, submitted_at")
		return func(ctx context.Context) error {
			code, err := checkComune("request list", *comune)
			if err != nil {
				return err
			}
			var st request.Status
			if *status != "" {
				if st, err = request.ParseStatus(*status); err != nil {
					return cmdline.Usagef("request list: %s", app.ErrorMessage(err))
				}
			}
			db, err := openRequestsDB(ctx, e, "request list", data)
			if err != nil {
				return err
			}
			defer db.Close()
			list, err := db.HubRequests(ctx, code, st)
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
				return json.NewEncoder(e.stdout).Encode(out)
			}
			for _, r := range list {
				fmt.Fprintf(e.stdout, "%s  %-22s %s  %s\n", r.Number, r.Status.Title(), r.CodiceFiscale, r.ServiceTitle)
			}
			return nil
		}
	},
}

var requestStatusCmd = &command{
	name:     "request status",
	synopsis: "(--data DIR | --db URL) --comune CODICE --number N --to STATO [--note NOTA] [--operator NOME]",
	summary:  "porta una richiesta a un nuovo stato; il cittadino riceve l'avviso",
	setup: func(e *env, fs *flag.FlagSet) func(context.Context) error {
		data, comune := dataFlag(e, fs), comuneFlag(fs)
		number := fs.String("number", "", "il numero di protocollo `N` della richiesta (es. 2026/000012)")
		to := fs.String("to", "", "il nuovo `STATO`: in_lavorazione, integrazione_richiesta, conclusa, respinta")
		note := fs.String("note", "", "la `NOTA` per il cittadino (per integrazione_richiesta e respinta)")
		operator := fs.String("operator", "", "chi fa il passaggio, `NOME` nella storia della richiesta (predefinito: hub)")
		return func(ctx context.Context) error {
			code, err := checkComune("request status", *comune)
			if err != nil {
				return err
			}
			if *number == "" || *to == "" {
				return cmdline.Usagef("request status: servono --number N e --to STATO")
			}
			st, err := request.ParseStatus(*to)
			if err != nil {
				return cmdline.Usagef("request status: %s", app.ErrorMessage(err))
			}
			who := *operator
			if who == "" {
				who = "hub"
			}
			db, err := openRequestsDB(ctx, e, "request status", data)
			if err != nil {
				return err
			}
			defer db.Close()
			r, err := db.SetRequestStatus(ctx, code, *number, st, *note, who)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "richiesta %s: %s (versione %d)\n", r.Number, strings.ToLower(r.Status.Title()), r.Version)
			return nil
		}
	},
}

var noticesListCmd = &command{
	name:     "notices list",
	synopsis: "(--data DIR | --db URL) [--request ID]",
	summary:  "gli avvisi ai cittadini: stato, canale, destinatario, id, ultimo errore",
	setup: func(e *env, fs *flag.FlagSet) func(context.Context) error {
		data := dataFlag(e, fs)
		requestID := fs.String("request", "", "solo gli avvisi della richiesta `ID`")
		return func(ctx context.Context) error {
			db, err := openRequestsDB(ctx, e, "notices list", data)
			if err != nil {
				return err
			}
			defer db.Close()
			ns, err := db.Notices(ctx, *requestID)
			if err != nil {
				return err
			}
			for _, n := range ns {
				fmt.Fprintf(e.stdout, "%-10s %-5s %-32s %s %s\n", n.State, n.Channel, n.Recipient, n.ID, n.LastError)
			}
			return nil
		}
	},
}

var noticesSendCmd = &command{
	name:     "notices send",
	synopsis: "(--data DIR | --db URL)",
	summary:  "invia una volta gli avvisi in coda (SMTP, PEC e SMS dalle variabili SPORTELLO_*)",
	setup: func(e *env, fs *flag.FlagSet) func(context.Context) error {
		data := dataFlag(e, fs)
		return func(ctx context.Context) error {
			db, err := openRequestsDB(ctx, e, "notices send", data)
			if err != nil {
				return err
			}
			defer db.Close()
			w, err := notifier(db, e.getenv, e.stderr)
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
			fmt.Fprintf(e.stdout, "avvisi inviati: %d\n", n)
			return nil
		}
	},
}

var noticesRequeueCmd = &command{
	name:     "notices requeue",
	synopsis: "(--data DIR | --db URL) --id ID",
	summary:  "rimette in coda un avviso sospeso o fallito",
	setup: func(e *env, fs *flag.FlagSet) func(context.Context) error {
		data := dataFlag(e, fs)
		id := fs.String("id", "", "l'avviso `ID`, come lo elenca notices list")
		return func(ctx context.Context) error {
			if *id == "" {
				return cmdline.Usagef("notices requeue: serve --id ID")
			}
			db, err := openRequestsDB(ctx, e, "notices requeue", data)
			if err != nil {
				return err
			}
			defer db.Close()
			if err := db.RequeueNotice(ctx, *id); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "avviso %s rimesso in coda\n", *id)
			return nil
		}
	},
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
func notifier(queue request.NoticeQueue, getenv func(string) string, stderr io.Writer) (*notify.Worker, error) {
	senders := map[string]notify.Sender{}
	if a := getenv("SPORTELLO_SMTP_ADDR"); a != "" {
		senders[request.ChannelEmail] = &notify.SMTP{Addr: a, From: getenv("SPORTELLO_SMTP_FROM"), Username: getenv("SPORTELLO_SMTP_USER"),
			Password: getenv("SPORTELLO_SMTP_PASSWORD"), StartTLS: getenv("SPORTELLO_SMTP_STARTTLS") == "1"}
	}
	if a := getenv("SPORTELLO_PEC_ADDR"); a != "" {
		senders[request.ChannelPEC] = &notify.SMTP{Addr: a, From: getenv("SPORTELLO_PEC_FROM"), Username: getenv("SPORTELLO_PEC_USER"),
			Password: getenv("SPORTELLO_PEC_PASSWORD"), ImplicitTLS: getenv("SPORTELLO_PEC_TLS") != "0"}
	}
	if u := getenv("SPORTELLO_SMS_URL"); u != "" {
		senders[request.ChannelSMS] = notify.SMS{Gateway: notify.HTTPGateway{URL: u, Token: getenv("SPORTELLO_SMS_TOKEN"), Sender: getenv("SPORTELLO_SMS_SENDER")}}
	}
	for ch, s := range senders {
		if m, ok := s.(*notify.SMTP); ok && m.From == "" {
			return nil, app.Errorf(app.EINVALID, "canale %s: manca il mittente (SPORTELLO_%s_FROM)", ch, map[string]string{"email": "SMTP", "pec": "PEC"}[ch])
		}
	}
	return &notify.Worker{Queue: queue, Senders: senders, Log: slog.New(slog.NewTextHandler(stderr, nil))}, nil
}

// startNotifier runs the notices' worker beside the hub's server when a
// channel is configured.
func startNotifier(ctx context.Context, queue request.NoticeQueue, getenv func(string) string, stderr io.Writer) error {
	w, err := notifier(queue, getenv, stderr)
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
		return cmdline.Usagef("serve: --public-url vuole un indirizzo come https://hub.comune.it, non %q", s)
	}
	return nil
}

// publicAddress is the hub's address in the links of the notices: the one
// given, else the address it listens on, named by the machine's name when
// it listens on every interface (":8450", "0.0.0.0:8450").
func publicAddress(given, scheme, listen string) string {
	if given != "" {
		return strings.TrimRight(given, "/")
	}
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return scheme + "://" + listen
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
		if h, err := os.Hostname(); err == nil && h != "" {
			host = h
		}
	}
	return scheme + "://" + net.JoinHostPort(host, port)
}
