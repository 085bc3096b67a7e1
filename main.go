// Command sportello is the counter application of a network of comuni: the
// Fyne desktop app (on an embedded demo network when nothing is configured)
// and, for scripts and checks, headless subcommands over the same code.
//
// This package is wiring only: main.go opens the workstation and builds
// its services once, then hands them to a headless command (internal/cli)
// or to a window (gui.go: the counter, the kiosk, the board); demo.go runs
// the embedded demo network's hub.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/google/uuid"
	"golang.org/x/term"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/app/post"
	"github.com/sportello/sportello/app/queue"
	"github.com/sportello/sportello/app/request"
	"github.com/sportello/sportello/hub"
	"github.com/sportello/sportello/internal/cli"
	"github.com/sportello/sportello/internal/cmdline"
	_ "github.com/sportello/sportello/internal/locale" // before Fyne's init: see the package
	"github.com/sportello/sportello/passwd"
	"github.com/sportello/sportello/printing"
	"github.com/sportello/sportello/store"
	"github.com/sportello/sportello/sync"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(cmdline.Report(os.Stderr, "sportello", err))
}

// options are the global flags.
type options struct {
	data   string
	lang   string
	hubURL string
	getenv func(string) string
	stdout io.Writer
	stderr io.Writer
}

// run is the whole program; main only maps its error to an exit status.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sportello", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	o := options{getenv: getenv, stdout: stdout, stderr: stderr}
	fs.StringVar(&o.data, "data", "", "cartella del profilo della postazione")
	fs.StringVar(&o.lang, "lang", "it", "lingua: it o en")
	fs.StringVar(&o.hubURL, "hub", "", "indirizzo dell'hub (altrimenti la rete dimostrativa)")
	kioskMode := fs.Bool("kiosk", false, "il chiosco pubblico, a schermo intero")
	boardMode := fs.Bool("board", false, "il tabellone delle chiamate, a schermo intero")
	help := fs.Bool("help", false, "")
	if err := fs.Parse(args); err != nil {
		return cmdline.Usagef("%v: 'sportello help' elenca i comandi", err)
	}
	if *help {
		fmt.Fprintln(stdout, cli.Usage)
		return nil
	}
	if o.lang != "it" && o.lang != "en" {
		return cmdline.Usagef("--lang: it oppure en")
	}
	if o.data == "" {
		dir, err := os.UserConfigDir()
		if err != nil {
			return fmt.Errorf("no --data and no user config dir: %w", err)
		}
		o.data = filepath.Join(dir, "sportello")
	}
	rest := fs.Args()
	switch {
	case len(rest) > 0:
		return cli.Run(ctx, &cli.Env{Lang: o.lang, HubURL: o.hubURL, Getenv: getenv, Stdout: stdout, Stderr: stderr,
			Open: func(log *slog.Logger) (*cli.Workstation, error) {
				ws, err := openWorkstation(o.data, log)
				if err != nil {
					return nil, err
				}
				return ws.headless(), nil
			},
			Exists:       func() bool { _, err := os.Stat(storePath(o.data)); return err == nil },
			ReadPassword: func(prompt string) (string, error) { return readPassword(stderr, prompt) },
			Backup:       func(ctx context.Context, out string) error { return store.Backup(ctx, storePath(o.data), out) },
			Restore: func(ctx context.Context, file string) (*cli.Restored, error) {
				if err := privateDir(o.data); err != nil {
					return nil, err
				}
				r, err := store.Restore(ctx, storePath(o.data), file, time.Now())
				if r == nil {
					return nil, err
				}
				return &cli.Restored{Aside: r.Aside, Pending: r.Pending, Parked: r.Parked}, err
			},
			Salvage: func(ctx context.Context) (*cli.Salvaged, error) {
				r, err := store.Salvage(ctx, storePath(o.data), time.Now())
				if r == nil {
					return nil, err
				}
				return &cli.Salvaged{Aside: r.Aside, Kept: r.Kept, Lost: r.Lost, Partial: r.Partial, Pending: r.Pending, Parked: r.Parked}, err
			},
		}, rest)
	case *kioskMode:
		return runKiosk(ctx, o)
	case *boardMode:
		return runBoard(ctx, o)
	}
	return runCounter(ctx, o)
}

// workstation is an opened profile: the local store, its sync engine and
// the services every window and command of this binary uses, built once
// here.
type workstation struct {
	store        *store.Store
	client       *sync.Client
	counter      *app.CounterService
	certificates *certificate.Service
	desk         *request.Desk
	cashier      *payment.Cashier
	queue        *queue.Service
	post         *post.Service
}

// testClock is the workstation's clock. SPORTELLO_TEST_CLOCK_SKEW, a Go
// duration ("-24h", "90m"), shifts it: a test hook, read only here, with
// which cmd/sportello-chaos runs workstations whose clocks are wrong. It is
// never set on a counter.
func testClock(getenv func(string) string) (func() time.Time, error) {
	v := getenv("SPORTELLO_TEST_CLOCK_SKEW")
	if v == "" {
		return time.Now, nil
	}
	skew, err := time.ParseDuration(v)
	if err != nil {
		return nil, fmt.Errorf("SPORTELLO_TEST_CLOCK_SKEW: %w", err)
	}
	return func() time.Time { return time.Now().Add(skew) }, nil
}

func storePath(dir string) string { return filepath.Join(dir, "sportello.db") }

// privateDir makes a profile folder readable by its owner alone (0700),
// also one an older version created open to every user of the machine:
// it holds the device's token and key, the cache and the logs.
func privateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return os.Chmod(dir, 0o700)
}

// openWorkstation opens the profile in dir, creating it, and wires its
// services; log receives the sync engine's messages (nil discards them).
func openWorkstation(dir string, log *slog.Logger) (*workstation, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := privateDir(dir); err != nil {
		return nil, err
	}
	st, err := store.Open(storePath(dir))
	if app.ErrorCode(err) == app.ESTORAGE {
		return nil, app.Errorf(app.ESTORAGE, "%s. Se l'archivio è danneggiato, con l'applicazione chiusa 'sportello --data %s salvage' "+
			"ne recupera il profilo e le operazioni non inviate in un archivio nuovo", app.ErrorMessage(err), dir)
	}
	if err != nil {
		return nil, err
	}
	ws := &workstation{store: st}
	clock, err := testClock(os.Getenv)
	if err != nil {
		st.Close()
		return nil, err
	}
	ws.counter = &app.CounterService{Local: st, Verify: passwd.Verify, Keys: st.OperatorKeys(passwd.DeriveKey), SignAs: st.SignAs}
	ws.client = sync.New(st, sync.Options{Log: log, Now: clock, OnApplied: func(kinds map[string]bool) {
		if kinds[app.ChangeReference] {
			ws.counter.ReferenceChanged()
		}
	}})
	// Every service dates what it records by the hub's clock as the engine
	// measured it: a workstation whose clock is a day off still issues,
	// takes and closes on the right day.
	now := ws.client.Now
	ws.counter.Now = now
	ws.counter.Network = ws.client.Network()
	// A citizen's accesses come from the hub, asked with the supervisor's
	// signature made by the key the login unlocked.
	ws.counter.AccessLog = func(ctx context.Context, operator, cf string) ([]app.Access, error) {
		return ws.client.Network().Accesses(ctx, cf, operator, func(msg []byte) ([]byte, error) { return st.SignAs(operator, msg) })
	}
	// Whatever a service stores for the hub is sent at once: the status
	// bar's count moves and the engine wakes up.
	outboxed := func() { ws.client.RefreshStatus(context.Background()); ws.client.SyncNow() }
	ws.counter.Outboxed = outboxed
	ws.certificates = &certificate.Service{
		Store:   st,
		Profile: st.Profile,
		Index:   ws.counter.Index,
		Render: func(c *certificate.Certificate, stamp string, fees certificate.ComuneFees) ([]byte, error) {
			return printing.CertificatePDF(c, printing.Options{Stamp: stamp, Fees: fees})
		},
		Fees: func(ctx context.Context, comune string) (certificate.ComuneFees, error) {
			r, err := st.Record(ctx, certificate.RecordFees, comune)
			if app.ErrorCode(err) == app.ENOTFOUND {
				return certificate.DefaultFees, nil
			}
			if err != nil {
				return certificate.ComuneFees{}, err
			}
			return certificate.ParseFees(r.Data)
		},
		Online:   func() bool { return ws.client.Status().Online },
		Now:      now,
		Outboxed: outboxed,
	}
	ws.desk = &request.Desk{
		Store:    st,
		Profile:  st.Profile,
		Settings: st,
		Render:   printing.RequestReceiptPDF,
		Now:      now,
		// The receipt's QR code leads to the hub's follow page.
		FollowURL: func(r *request.Request) string {
			p, err := st.Profile(context.Background())
			if err != nil || p.HubURL == "" {
				return ""
			}
			return hub.FollowURL(p.HubURL, r)
		},
		Outboxed: outboxed,
	}
	ws.cashier = &payment.Cashier{
		Store:   st,
		Profile: st.Profile,
		Render: payment.Renderers{
			Notice:  printing.NoticePDF,
			Receipt: printing.ReceiptPDF,
			Closing: printing.ClosingPDF,
		},
		Network:     ws.client.Network(), // the scanner looks other comuni's avvisi up at the hub
		VerifyStamp: ws.verifyStamp,
		Now:         now,
		Outboxed:    outboxed,
	}
	ws.queue = &queue.Service{Local: st, Hub: ws.client, NewID: uuid.NewString, Now: now, Outboxed: outboxed}
	ws.post = &post.Service{Store: st, Counter: ws.counter, Certificates: ws.certificates, Cashier: ws.cashier, Desk: ws.desk,
		Render: printing.PostCoverPDF, Now: now, Outboxed: outboxed}
	return ws, nil
}

// verifyStamp checks a scanned certificate stamp with the network's keys
// the workstation holds, for the payment scanner.
func (ws *workstation) verifyStamp(ctx context.Context, stamp string) (string, error) {
	p, err := ws.store.Profile(ctx)
	if err != nil {
		return "", err
	}
	revoked := func(device string) (time.Time, bool) {
		d, err := ws.store.DeviceKey(ctx, device)
		if err != nil || d.RevokedAt.IsZero() {
			return time.Time{}, false
		}
		return d.RevokedAt, true
	}
	f, err := certificate.Verify(stamp, p.RootKey, revoked, time.Now())
	if f == nil {
		return "", err
	}
	t, _ := certificate.TypeByID(f.Type)
	return fmt.Sprintf("Certificato n. %s — %s — codice fiscale %s, rilasciato il %s", f.Number, t.Title, f.CodiceFiscale,
		f.IssuedAt.In(app.Rome).Format("02/01/2006 15:04")), err
}

// profile returns the enrolled profile and sets the counter's comune.
func (ws *workstation) profile(ctx context.Context) (*app.Profile, error) {
	p, err := ws.store.Profile(ctx)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil, app.Errorf(app.ENOTFOUND, "postazione non attivata: usare 'sportello enroll --hub URL --code CODICE'")
	}
	if err != nil {
		return nil, err
	}
	ws.counter.Comune = p.Comune
	return p, nil
}

// headless is the workstation as the headless commands receive it.
func (ws *workstation) headless() *cli.Workstation {
	return &cli.Workstation{Local: ws.store, Sync: ws.client, Counter: ws.counter, Certificates: ws.certificates,
		Desk: ws.desk, Cashier: ws.cashier, Queue: ws.queue, Post: ws.post, Profile: ws.profile, Close: ws.Close}
}

func (ws *workstation) Close() error { return ws.store.Close() }

var (
	_ cli.Local = (*store.Store)(nil)
	_ cli.Sync  = (*sync.Client)(nil)
)

// readPassword asks for a password at the terminal, without echo; an
// error when the standard input is not a terminal (a script must give
// --password-file or SPORTELLO_PASSWORD).
func readPassword(w io.Writer, prompt string) (string, error) {
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return "", errors.New("no terminal")
	}
	fmt.Fprint(w, prompt)
	b, err := term.ReadPassword(fd)
	fmt.Fprintln(w)
	return string(b), err
}
