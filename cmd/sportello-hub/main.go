// Command sportello-hub is the network's central service hub: it imports
// the reference tables and the comuni's anagrafe, issues enrolment codes and
// serves the workstations over HTTP.
package main

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anagrafe"
	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/hub"
	"github.com/sportello/sportello/hub/hubdb"
	"github.com/sportello/sportello/passwd"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "sportello-hub:", message(err))
		os.Exit(exitCode(err))
	}
}

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

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
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

const usage = `uso: sportello-hub COMANDO [opzioni]

comandi:
  serve            --data DIR --addr HOST:PORTA [--public-url URL]   avvia l'hub
                   (URL: l'indirizzo dei link negli avvisi; anche SPORTELLO_PUBLIC_URL)
  import-reference --data DIR CARTELLA               importa le tabelle ANPR
  demo             --data DIR --comune CODICE --residents N [--seed S]
  import-anagrafe  --data DIR --comune CODICE FILE.csv
  enroll-code      --data DIR --comune CODICE [--ttl 24h]
  add-operator     --data DIR --comune CODICE --username U --name "Nome" [--role operatore,...]
                   (password da SPORTELLO_PASSWORD o dalla prima riga dell'input)
  revoke-device    --data DIR --device ID
  compact          --data DIR --comune CODICE --upto SEQ
  payment online   --data DIR --avviso CODICE --amount CENTESIMI   un pagamento dal nodo pagoPA
  payment refunds  --data DIR --comune CODICE   i pagamenti doppi da rimborsare
  payment refund-done --data DIR --comune CODICE --id RIMBORSO [--method M] [--date AAAA-MM-GG] [--note TESTO]   registra un rimborso eseguito
  root-key         --data DIR   la chiave pubblica della rete (base64), per verificare i certificati
` + requestsUsage + `
  fees             --data DIR --comune CODICE [--with-bollo CENT] [--exempt CENT] [--stato-civile CENT]
                   i diritti di segreteria del comune sui certificati`

// run is the whole command; main only maps its error to an exit status.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(stdout, usage)
		if len(args) == 0 {
			return usageError{"manca il comando"}
		}
		return nil
	}
	cmd, args := args[0], args[1:]
	if cmd == "catalogue" && len(args) > 0 && args[0] == "import" { // its own flags: catalogue_import.go
		return runCatalogueImport(ctx, args[1:], stdout)
	}
	switch cmd {
	case "catalogue", "request", "notices": // requests.go
		return runRequests(ctx, cmd, args, getenv, stdout, stderr)
	}
	if cmd == "payment" { // its own subcommands and flags: payment.go
		return cmdPayment(ctx, args, stdout)
	}
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	data := fs.String("data", "", "cartella dei dati dell'hub")
	addr := fs.String("addr", "127.0.0.1:8450", "indirizzo di ascolto")
	publicURL := fs.String("public-url", getenv("SPORTELLO_PUBLIC_URL"), "indirizzo pubblico dell'hub, per i link degli avvisi") // requests.go
	comune := fs.String("comune", "", "codice catastale del comune (es. I690)")
	residents := fs.Int("residents", 0, "residenti da generare")
	seed := fs.Int64("seed", 1, "seme del generatore")
	ttl := fs.Duration("ttl", 24*time.Hour, "validità del codice di attivazione")
	username := fs.String("username", "", "nome utente")
	name := fs.String("name", "", "nome e cognome")
	roles := fs.String("role", string(app.RoleOperator), "ruoli separati da virgola")
	device := fs.String("device", "", "postazione")
	upto := fs.Int64("upto", 0, "ultima modifica da compattare")
	withBollo := fs.Int64("with-bollo", certificate.DefaultFees.WithBolloCents, "diritti su un certificato in bollo, centesimi")
	exempt := fs.Int64("exempt", certificate.DefaultFees.ExemptCents, "diritti su un certificato esente, centesimi")
	statoCivile := fs.Int64("stato-civile", certificate.DefaultFees.StatoCivileCents, "diritti su un certificato di stato civile, centesimi")
	if err := fs.Parse(args); err != nil {
		return usageError{fmt.Sprintf("%s: %v", cmd, err)}
	}
	if *data == "" {
		return usageError{cmd + ": manca --data DIR"}
	}
	*comune = strings.ToUpper(*comune)
	needComune := func() error { return checkComune(cmd, *comune) }
	db, err := openHubDB(ctx, *data)
	if err != nil {
		return err
	}
	defer db.Close()

	switch cmd {
	case "serve":
		if err := checkPublicURL(*publicURL); err != nil { // requests.go
			return err
		}
		if err := startNotifier(ctx, db, getenv, stderr); err != nil { // requests.go
			return err
		}
		return serve(ctx, db, *addr, *publicURL, stderr)
	case "import-reference":
		if fs.NArg() != 1 {
			return usageError{"import-reference: indicare la cartella delle tabelle ANPR"}
		}
		t, err := anpr.ReadFS(os.DirFS(fs.Arg(0)))
		if err != nil {
			return app.Errorf(app.EINVALID, "%v", err)
		}
		if err := db.ImportReference(ctx, t); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "tabelle importate: %d comuni, %d stati esteri, %d tipi di certificato\n", len(t.Comuni), len(t.States), len(t.CertificateTypes))
		return nil
	case "demo":
		if err := needComune(); err != nil {
			return err
		}
		if *residents < 1 || *residents > 5_000_000 {
			return usageError{"demo: --residents vuole un numero tra 1 e 5000000"}
		}
		start := time.Now()
		n, err := hub.SeedDemo(ctx, db, hub.DemoOptions{Comune: *comune, Residents: *residents, Seed: *seed, HashPassword: passwd.Hash})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "comune %s: %d persone in anagrafe (%s); operatore %s, password %s\n", *comune, n, time.Since(start).Round(time.Millisecond), hub.DemoOperator, hub.DemoPassword)
		return nil
	case "import-anagrafe":
		if err := needComune(); err != nil {
			return err
		}
		if fs.NArg() != 1 {
			return usageError{"import-anagrafe: indicare il file CSV"}
		}
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			return app.Errorf(app.EINVALID, "file non leggibile: %v", err)
		}
		defer f.Close()
		citizens, err := anagrafe.Read(f, *comune)
		if err != nil {
			return app.Errorf(app.EINVALID, "%v", err)
		}
		res, err := db.ReplaceAnagrafe(ctx, *comune, citizens)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "anagrafe di %s: %d nuovi, %d modificati, %d cancellati, %d invariati\n", *comune, res.Added, res.Updated, res.Deleted, res.Unchanged)
		return nil
	case "enroll-code":
		if err := needComune(); err != nil {
			return err
		}
		code, err := db.NewEnrollCode(ctx, *comune, *ttl)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "codice di attivazione per una postazione di %s, valido %s:\n%s\n", *comune, *ttl, code)
		return nil
	case "add-operator":
		if err := needComune(); err != nil {
			return err
		}
		pw := getenv("SPORTELLO_PASSWORD")
		if pw == "" {
			b, _ := io.ReadAll(io.LimitReader(stdin, 1024))
			pw, _, _ = strings.Cut(string(b), "\n")
		}
		if len(pw) < 8 {
			return app.Errorf(app.EINVALID, "password troppo corta: almeno 8 caratteri")
		}
		hash, err := passwd.Hash(pw)
		if err != nil {
			return err
		}
		op := app.Operator{Username: *username, Name: *name, Comune: *comune, PasswordHash: hash, Active: true}
		for _, r := range strings.Split(*roles, ",") {
			op.Roles = append(op.Roles, app.Role(strings.TrimSpace(r)))
		}
		if err := db.PutOperator(ctx, op); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "operatore %s salvato\n", op.Username)
		return nil
	case "revoke-device":
		if err := db.RevokeDevice(ctx, *device); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "postazione %s revocata\n", *device)
		return nil
	case "fees":
		// The comune's diritti di segreteria on certificates, in cents;
		// every workstation of the comune prints and takes them.
		if err := needComune(); err != nil {
			return err
		}
		if *withBollo < 0 || *exempt < 0 || *statoCivile < 0 {
			return usageError{"fees: gli importi sono in centesimi, non negativi"}
		}
		rec, err := certificate.FeesRecord(*comune, certificate.ComuneFees{WithBolloCents: *withBollo, ExemptCents: *exempt, StatoCivileCents: *statoCivile})
		if err != nil {
			return err
		}
		if err := db.PutRecords(ctx, *comune, []app.Record{rec}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "diritti di segreteria di %s: %d centesimi in bollo, %d in carta libera, %d sui certificati di stato civile\n",
			*comune, *withBollo, *exempt, *statoCivile)
		return nil
	case "root-key":
		// The network's public key, for verifiers that never enrolled
		// (sportello verify --root-key).
		k, err := db.RootKey(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, base64.StdEncoding.EncodeToString(k.Public().(ed25519.PublicKey)))
		return nil
	case "compact":
		if err := needComune(); err != nil {
			return err
		}
		return db.Compact(ctx, *comune, *upto)
	}
	return usageError{fmt.Sprintf("comando sconosciuto %q\n%s", cmd, usage)}
}

func serve(ctx context.Context, db *hubdb.DB, addr, publicURL string, stderr io.Writer) error {
	log := slog.New(slog.NewTextHandler(stderr, nil))
	srv := &http.Server{
		Addr:              addr,
		Handler:           hub.NewServer(hub.Deps{DB: db, Log: log}),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	return hub.Serve(ctx, srv, func(a string) {
		db.PublicURL = publicAddress(publicURL, a) // requests.go
		log.Info("hub listening", "addr", "http://"+a, "public", db.PublicURL)
	})
}

// checkComune refuses a --comune that is not a comune's Belfiore code.
func checkComune(cmd, code string) error {
	if !app.ValidBelfiore(code) || code[0] == 'Z' {
		return usageError{fmt.Sprintf("%s: --comune vuole un codice catastale come I690, non %q", cmd, code)}
	}
	return nil
}

// openHubDB opens (creating it) the hub's database in its data folder.
func openHubDB(ctx context.Context, data string) (*hubdb.DB, error) {
	if err := os.MkdirAll(data, 0o700); err != nil {
		return nil, err
	}
	return hubdb.Open(ctx, filepath.Join(data, "hub.db"))
}
