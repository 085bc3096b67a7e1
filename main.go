// Command sportello is the counter application of a network of comuni: the
// Fyne desktop app (on an embedded demo network when nothing is configured)
// and, for scripts and checks, headless subcommands over the same code.
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
	_ "time/tzdata" // Europe/Rome on every machine

	"github.com/sportello/sportello/app"
	_ "github.com/sportello/sportello/internal/locale" // before Fyne's init: see the package
	"github.com/sportello/sportello/passwd"
	"github.com/sportello/sportello/store"
	"github.com/sportello/sportello/sync"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		var s silentError
		if !errors.As(err, &s) {
			fmt.Fprintln(os.Stderr, "sportello:", message(err))
		}
		os.Exit(exitCode(err))
	}
}

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// silentError ends the command with a status whose reason was already
// printed (an invalid codice fiscale under `cf`).
type silentError struct{ code int }

func (e silentError) Error() string { return fmt.Sprintf("exit %d", e.code) }

func message(err error) string {
	var ue usageError
	if errors.As(err, &ue) {
		return ue.msg
	}
	if app.ErrorCode(err) == app.EINTERNAL {
		return err.Error()
	}
	return app.ErrorMessage(err)
}

func exitCode(err error) int {
	var ue usageError
	var se silentError
	switch {
	case errors.As(err, &ue):
		return 2
	case errors.As(err, &se):
		return se.code
	}
	return 1
}

const usage = `uso: sportello [--data DIR] [--lang it|en] [COMANDO]

senza comando apre l'applicazione di sportello; senza configurazione, su una
rete dimostrativa con l'hub incorporato.

comandi:
  enroll --hub URL --code CODICE [--name NOME]   attiva la postazione
  sync                                          una sincronizzazione completa
  search [--json] TESTO                         cerca per codice fiscale o cognome e nome
  cf [--json] CODICE                            verifica e decodifica un codice fiscale
  certificate types                             i tipi di certificato
  certificate issue --cf CF --type TIPO [--marca N | --esenzione ID] [--uso USO] [--estero]
                    (--out FILE.pdf | --print STAMPANTE) [--operator UTENTE]
                                                rilascia un certificato
  certificate list (--cf CF | --flagged) [--json]  i certificati rilasciati
  certificate reprint --number N (--out FILE.pdf | --print STAMPANTE)
                                                ristampa un certificato (duplicato)
  payment list --cf CF [--json]                 le posizioni di pagamento di una persona
  payment notice --id ID [--rata N] (--out FILE.pdf | --print STAMPANTE)   l'avviso pagoPA (di una rata)
  payment pay --id ID --method cash|card [--rata N] [--operator UTENTE] [--out RICEVUTA.pdf]
  payment fine (--verbale N | --plate TARGA) [--json]   i verbali e l'importo dovuto oggi
  payment new --cf CF --causale TESTO --amount CENTESIMI [--service S] [--due DATA] [--out AVVISO.pdf]
  payment close --operator UTENTE [--day AAAA-MM-GG] --out FILE.pdf   la chiusura di cassa firmata
  payment receipt --number RICEVUTA --out FILE.pdf   ristampa una ricevuta
  payment scan [--json] TESTO                   riconosce un QR pagoPA, un DataMatrix postale, un certificato
  payment refunds [--cf CF]                     i pagamenti doppi da rimborsare
  payment refund-done --id RIMBORSO [--method M] [--date AAAA-MM-GG] [--note TESTO] --operator SUPERVISORE   rimborso eseguito
  verify [--root-key CHIAVE] FILE.pdf|IMMAGINE|CONTRASSEGNO
                                                verifica il contrassegno di un certificato
  request services [--event EVENTO] [--json] [PAROLE]   i servizi offerti dal comune
  request submit --cf CF --service ID [--field campo=valore ...] [--attach campo=FILE ...]
                 [--out RICEVUTA.pdf] [--operator UTENTE]   presenta una richiesta (istanza)
  request list --cf CF [--json]                 le richieste di una persona, con numero e stato
  request receipt --number N --out FILE.pdf     ristampa la ricevuta (con il protocollo, se assegnato)
  request status --number N --to STATO [--note TESTO] --operator UTENTE
                                                cambia lo stato (ruolo backoffice)
  request scanner-folder [CARTELLA | --clear]   la cartella dello scanner della postazione e i suoi ultimi file
  queue ticket --area A [--cf CF]               emette un biglietto della coda
  queue call --counter N [--area A,B]           chiama il prossimo allo sportello N
  queue board [--json]                          le ultime chiamate e le persone in attesa
  queue stats [--from AAAA-MM-GG] [--to AAAA-MM-GG] [--json]
                                                tempi di attesa e di servizio per area e ora
opzioni: --kiosk il chiosco pubblico, --board il tabellone (a schermo intero)`

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
		return usageError{err.Error() + ": 'sportello help' elenca i comandi"}
	}
	if *help {
		fmt.Fprintln(stdout, usage)
		return nil
	}
	if o.lang != "it" && o.lang != "en" {
		return usageError{"--lang: it oppure en"}
	}
	if o.data == "" {
		dir, err := os.UserConfigDir()
		if err != nil {
			return fmt.Errorf("no --data and no user config dir: %w", err)
		}
		o.data = filepath.Join(dir, "sportello")
	}
	rest := fs.Args()
	if len(rest) == 0 && *kioskMode {
		return runKiosk(ctx, o)
	}
	if len(rest) == 0 && *boardMode {
		return runBoard(ctx, o)
	}
	if len(rest) == 0 {
		return runGUI(ctx, o)
	}
	switch rest[0] {
	case "enroll":
		return cmdEnroll(ctx, o, rest[1:])
	case "sync":
		return cmdSync(ctx, o, rest[1:])
	case "search":
		return cmdSearch(ctx, o, rest[1:])
	case "cf":
		return cmdCF(ctx, o, rest[1:])
	case "certificate":
		return cmdCertificate(ctx, o, rest[1:])
	case "payment":
		return cmdPayment(ctx, o, rest[1:])
	case "queue":
		return cmdQueue(ctx, o, rest[1:])
	case "verify":
		return cmdVerify(ctx, o, rest[1:])
	case "request":
		return cmdRequest(ctx, o, rest[1:]) // requestcli.go
	case "help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	return usageError{fmt.Sprintf("comando sconosciuto %q: 'sportello help' elenca i comandi", rest[0])}
}

// workstation is an opened profile: the local store and its sync engine.
type workstation struct {
	store   *store.Store
	client  *sync.Client
	counter *app.CounterService
}

func openWorkstation(o options, log *slog.Logger) (*workstation, error) {
	if err := os.MkdirAll(o.data, 0o700); err != nil {
		return nil, err
	}
	st, err := store.Open(filepath.Join(o.data, "sportello.db"))
	if err != nil {
		return nil, err
	}
	ws := &workstation{store: st}
	ws.counter = &app.CounterService{Local: st, Verify: passwd.Verify, Now: time.Now}
	ws.client = sync.New(st, sync.Options{Log: log, OnApplied: func(kinds map[string]bool) {
		if kinds[app.ChangeReference] {
			ws.counter.ReferenceChanged()
		}
	}})
	ws.counter.Network = ws.client.Network()
	ws.counter.Outboxed = func() { ws.client.RefreshStatus(context.Background()); ws.client.SyncNow() }
	return ws, nil
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

func (ws *workstation) Close() error { return ws.store.Close() }

func quietLog(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn}))
}
