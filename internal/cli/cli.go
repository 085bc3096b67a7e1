// Package cli is the headless side of the desktop binary: the `sportello`
// subcommands that comuni's IT people script (enroll, sync, search, cf,
// certificate, payment, request, queue, outbox, verify), over the same services as
// the counter's screens. It is given a wired workstation by main and
// neither opens databases nor imports Fyne; what every command shares —
// opening the workstation, its enrolled profile, the operator it acts for,
// a sync round — is written once here (session.go). The contract of each
// command, its exit codes and its --json keys, is docs/CLI.md.
package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/app/dashboard"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/app/post"
	"github.com/sportello/sportello/app/queue"
	"github.com/sportello/sportello/app/request"
	"github.com/sportello/sportello/internal/cmdline"
)

// Env is what a command runs with: the global options and the way to the
// workstation, wired by main.
type Env struct {
	Lang   string // "it" or "en"
	HubURL string // --hub: the hub enroll uses unless given its own
	Getenv func(string) string
	Stdout io.Writer
	Stderr io.Writer
	// Open opens the workstation's profile (creating its folder) with its
	// services wired; log receives the sync engine's messages.
	Open func(log *slog.Logger) (*Workstation, error)
	// Exists reports whether the profile holds a workstation yet: cf and
	// verify read one when there is one and create nothing otherwise.
	Exists func() bool
	// Backup copies the profile's cache to the new file out; Restore puts
	// the backup file in its place, the profile closed (backup.go).
	Backup  func(ctx context.Context, out string) error
	Restore func(ctx context.Context, file string) (*Restored, error)
	// ReadPassword asks for a password at the terminal without echo; an
	// error when there is no terminal. Nil: never asked.
	ReadPassword func(prompt string) (string, error)
	// Salvage replaces a damaged cache with a new one holding what could
	// be read of the workstation's own records (backup.go).
	Salvage func(ctx context.Context) (*Salvaged, error)
}

// Workstation is an opened workstation: its local cache, its sync engine
// and the services built over them.
type Workstation struct {
	Local        Local
	Sync         Sync
	Counter      *app.CounterService
	Certificates *certificate.Service
	Desk         *request.Desk
	Cashier      *payment.Cashier
	Queue        *queue.Service
	Post         *post.Service
	// Profile is the enrolled profile, with the counter set to its comune;
	// ENOTFOUND, saying how to enrol, before enrolment.
	Profile func(ctx context.Context) (*app.Profile, error)
	Close   func() error
}

// Local is what the commands read directly from the workstation's cache
// (the rest goes through the services); the SQLite store implements it.
type Local interface {
	CountCitizens(ctx context.Context) (int, error)
	Citizen(ctx context.Context, codiceFiscale string) (*app.Citizen, error)
	Operator(ctx context.Context, username string) (*app.Operator, error)
	Reference(ctx context.Context) (*anpr.Tables, error)
	DeviceKey(ctx context.Context, device string) (*app.DeviceKey, error)
	ParkedOps(ctx context.Context) ([]app.Operation, error)
	// Unsent, RetryParked and DiscardOp resolve the outbox (outbox.go).
	Unsent(ctx context.Context) ([]app.Operation, error)
	RetryParked(ctx context.Context, id string, by *app.Operator, at time.Time) error
	DiscardOp(ctx context.Context, id string, by *app.Operator, reason string, at time.Time) error
	Certificate(ctx context.Context, number string) (*certificate.Issued, error)
	Certificates(ctx context.Context, codiceFiscale string) ([]certificate.Issued, error)
	Flagged(ctx context.Context) ([]certificate.Issued, error)
	Payment(ctx context.Context, receipt string) (*payment.Payment, error)
	Request(ctx context.Context, idOrNumber string) (*request.Request, error)
	// Report is the supervisor's dashboard of the days from to to (stats.go).
	Report(ctx context.Context, from, to string) (*dashboard.Report, error)
}

// Sync is the workstation's sync engine as the commands use it.
type Sync interface {
	Enroll(ctx context.Context, hubURL, code, name string) (*app.Profile, error)
	Round(ctx context.Context) error
	Status() app.SyncStatus
}

// Usage is the help of the desktop binary: `sportello help`.
const Usage = `uso: sportello [--data DIR] [--lang it|en] [COMANDO]

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
  post list [--json] [--operator UTENTE]        i certificati per posta da spedire (ruolo backoffice)
  post issue --number N [--marca N] (--out FILE.pdf | --print STAMPANTE) [--operator UTENTE]
                                                rilascia, addebita la spedizione e segna spedita la richiesta
  queue ticket --area A [--cf CF]               emette un biglietto della coda
  queue call --counter N [--area A,B]           chiama il prossimo allo sportello N
  queue board [--json]                          le ultime chiamate e le persone in attesa
  queue stats [--from AAAA-MM-GG] [--to AAAA-MM-GG] [--json]
                                                tempi di attesa e di servizio per area e ora
  stats [--period today|week|30d | --from AAAA-MM-GG --to AAAA-MM-GG] [--csv CARTELLA]
                                                il cruscotto: certificati, istanze, pagamenti, chiusure, coda
  outbox list [--json]                          le operazioni non ancora accettate dall'hub e perché
  outbox retry --id ID [--operator UTENTE]      rimette in coda un'operazione sospesa
  outbox discard --id ID --reason MOTIVO [--operator UTENTE]
                                                scarta un'operazione sospesa (cassa: solo supervisore)
  backup --out FILE                             copia controllata della postazione nel FILE nuovo, anche ad app aperta
  restore FILE                                  rimette il backup FILE (app chiusa); la copia di prima resta accanto
  salvage                                       archivio danneggiato: ne recupera profilo e operazioni non inviate in un archivio nuovo (app chiusa)
opzioni: --kiosk il chiosco pubblico, --board il tabellone (a schermo intero)`

// command runs one subcommand with its own arguments.
type command func(ctx context.Context, e *Env, args []string) error

// commands are the subcommands by name; those with subcommands of their
// own dispatch again through group.
var commands map[string]command

func init() {
	commands = map[string]command{
		"enroll": cmdEnroll, "sync": cmdSync, "search": cmdSearch, "cf": cmdCF, "verify": cmdVerify,
		"backup": cmdBackup, "restore": cmdRestore, "stats": cmdStats, "salvage": cmdSalvage,
		"certificate": group("certificate", "types, controls, issue, list, reprint", map[string]command{
			"types": cmdCertTypes, "controls": cmdCertControls, "issue": cmdCertIssue, "list": cmdCertList, "reprint": cmdCertReprint,
		}),
		"payment": group("payment", "list, notice, pay, fine, new, close, receipt, scan, refunds, refund-done", map[string]command{
			"list": cmdPaymentList, "notice": cmdPaymentNotice, "pay": cmdPaymentPay, "fine": cmdPaymentFine,
			"new": cmdPaymentNew, "close": cmdPaymentClose, "receipt": cmdPaymentReceipt, "scan": cmdPaymentScan,
			"refunds": cmdPaymentRefunds, "refund-done": cmdPaymentRefundDone,
		}),
		"request": group("request", "services, submit, list, receipt, status, scanner-folder", map[string]command{
			"services": cmdRequestServices, "submit": cmdRequestSubmit, "list": cmdRequestList,
			"receipt": cmdRequestReceipt, "status": cmdRequestStatus, "scanner-folder": cmdRequestScannerFolder,
		}),
		"post": group("post", "list, issue", map[string]command{"list": cmdPostList, "issue": cmdPostIssue}),
		"outbox": group("outbox", "list, retry, discard", map[string]command{
			"list": cmdOutboxList, "retry": cmdOutboxRetry, "discard": cmdOutboxDiscard,
		}),
		"queue": group("queue", "ticket, call, board, stats", map[string]command{
			"ticket": cmdQueueTicket, "call": cmdQueueCall, "board": cmdQueueBoard, "stats": cmdQueueStats,
		}),
	}
}

// Run runs the subcommand args[0] with the rest of args. Its errors map to
// exit statuses through cmdline: UsageError for a wrong command line,
// SilentError when the reason is already printed.
func Run(ctx context.Context, e *Env, args []string) error {
	if len(args) == 0 || args[0] == "help" {
		fmt.Fprintln(e.Stdout, Usage)
		return nil
	}
	cmd, ok := commands[args[0]]
	if !ok {
		return cmdline.Usagef("comando sconosciuto %q: 'sportello help' elenca i comandi", args[0])
	}
	return cmd(ctx, e, args[1:])
}

// group is a command with subcommands, listed in order in names.
func group(name, names string, subs map[string]command) command {
	list := strings.Split(names, ", ")
	return func(ctx context.Context, e *Env, args []string) error {
		if len(args) == 0 {
			return cmdline.Usagef("%s: indicare %s o %s", name, strings.Join(list[:len(list)-1], ", "), list[len(list)-1])
		}
		cmd, ok := subs[args[0]]
		if !ok {
			return cmdline.Usagef("%s: comando sconosciuto %q (%s)", name, args[0], names)
		}
		return cmd(ctx, e, args[1:])
	}
}

// flags is the flag set of a subcommand: errors are returned, not printed.
func flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}
