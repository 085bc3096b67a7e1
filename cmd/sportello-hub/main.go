// Command sportello-hub is the network's central service hub: it imports
// the reference tables and the comuni's anagrafe, issues enrolment codes and
// serves the workstations over HTTP.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/hub/sqlstore"
	"github.com/sportello/sportello/internal/cmdline"
	"github.com/sportello/sportello/internal/pgdb"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(cmdline.Report(os.Stderr, "sportello-hub", err))
}

// env is what a command gets from the process, so that tests run the whole
// binary through run.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// commands are every subcommand, in the order the usage lists them. The
// name is what a script types; a name of two words is a verb of a group
// (payment, request, catalogue, notices).
var commands = []*command{
	serveCmd, importReferenceCmd, demoCmd, importAnagrafeCmd, enrollCodeCmd, addOperatorCmd, revokeDeviceCmd,
	compactCmd, rootKeyCmd, feesCmd, prepareCmd, // admin.go
	tlsAnnounceCmd,                    // tls.go
	backupCmd, restoreCmd, migrateCmd, // backup.go, migrate.go
	recoveryListCmd, recoveryReleaseCmd, recoveryLogCmd, // recovery.go
	paymentOnlineCmd, paymentRefundsCmd, paymentRefundDoneCmd, // payment.go
	catalogueImportCmd, catalogueListCmd, catalogueEnableCmd, requestListCmd, requestStatusCmd,
	noticesListCmd, noticesSendCmd, noticesRequeueCmd, // requests.go
	auditCmd, auditRetentionCmd, // audit.go
}

// run is the whole command; main only maps its error to an exit status.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		printUsage(stdout)
		return cmdline.Usagef("manca il comando")
	}
	switch args[0] {
	case "-h", "--help", "-help", "help":
		if len(args) > 1 { // help COMMAND [VERB]
			return run(ctx, append(args[1:], "--help"), getenv, stdin, stdout, stderr)
		}
		printUsage(stdout)
		return nil
	}
	c, rest, err := lookup(args, stdout)
	if c == nil {
		return err // nil when a group's usage was asked for
	}
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	work := c.setup(e, fs)
	help, err := c.parse(fs, rest, stdout)
	if help || err != nil {
		return err
	}
	return work(ctx)
}

// lookup finds the command args name: one word, or a group and its verb.
// It returns the arguments that follow the name. For a group asked for
// its usage (`payment --help`) it prints the group's verbs and returns no
// command and no error.
func lookup(args []string, stdout io.Writer) (*command, []string, error) {
	name := args[0]
	var verbs []*command
	for _, c := range commands {
		if c.name == name {
			return c, args[1:], nil
		}
		if group, _, ok := strings.Cut(c.name, " "); ok && group == name {
			verbs = append(verbs, c)
		}
	}
	if len(verbs) == 0 {
		return nil, nil, cmdline.Usagef("comando sconosciuto %q (sportello-hub --help per l'elenco)", name)
	}
	var names []string
	for _, c := range verbs {
		names = append(names, strings.TrimPrefix(c.name, name+" "))
	}
	if len(args) < 2 {
		return nil, nil, cmdline.Usagef("%s: manca il comando (%s)", name, strings.Join(names, ", "))
	}
	switch args[1] {
	case "-h", "--help", "-help", "help":
		fmt.Fprintf(stdout, "uso: sportello-hub %s COMANDO --data DIR [opzioni]\n\n", name)
		for _, c := range verbs {
			printSummary(stdout, c)
		}
		fmt.Fprintf(stdout, "\nsportello-hub %s COMANDO --help per le opzioni di un comando\n", name)
		return nil, nil, nil
	}
	for _, c := range verbs {
		if c.name == name+" "+args[1] {
			return c, args[2:], nil
		}
	}
	return nil, nil, cmdline.Usagef("%s: comando sconosciuto %q (%s)", name, args[1], strings.Join(names, ", "))
}

// printUsage lists every command with its synopsis.
func printUsage(w io.Writer) {
	fmt.Fprint(w, "uso: sportello-hub COMANDO [opzioni]\n\ncomandi:\n")
	for _, c := range commands {
		printSummary(w, c)
	}
	fmt.Fprint(w, "\nsportello-hub COMANDO --help per le opzioni di un comando\n")
}

func printSummary(w io.Writer, c *command) {
	fmt.Fprintf(w, "  %s %s\n", c.name, c.synopsis)
	for _, line := range strings.Split(c.summary, "\n") {
		fmt.Fprintf(w, "      %s\n", line)
	}
}

// hubPlace is where the hub keeps its data: its folder (--data), with the
// SQLite database hub.db, or the PostgreSQL database (--db) that takes
// hub.db's place when a network outgrows one file; the folder then keeps
// only what is the process's own (its TLS authority).
type hubPlace struct {
	dir string
	db  string
}

// dataFlag is the hub's place, which every command takes: --data, and --db
// (or SPORTELLO_HUB_DB).
func dataFlag(e *env, fs *flag.FlagSet) *hubPlace {
	p := &hubPlace{}
	fs.StringVar(&p.dir, "data", "", "la cartella `DIR` dei dati dell'hub (hub.db)")
	fs.StringVar(&p.db, "db", e.getenv("SPORTELLO_HUB_DB"), "l'`URL` di un database PostgreSQL (postgres://…) al posto di hub.db; anche SPORTELLO_HUB_DB")
	return p
}

// comuneFlag is the Belfiore code of the comune a command works on.
func comuneFlag(fs *flag.FlagSet) *string {
	return fs.String("comune", "", "il codice catastale `CODICE` del comune (es. I690)")
}

// openHubDB opens (creating it) the hub's database: PostgreSQL's with
// --db, hub.db in the data folder otherwise.
func openHubDB(ctx context.Context, cmd string, p *hubPlace) (*sqlstore.DB, error) {
	if p.db != "" {
		if !pgdb.IsURL(p.db) {
			return nil, cmdline.Usagef("%s: --db vuole l'URL di un database PostgreSQL (postgres://utente@host/database), non un file: il file è hub.db in --data", cmd)
		}
		return sqlstore.Open(ctx, p.db)
	}
	if p.dir == "" {
		return nil, cmdline.Usagef("%s: manca --data DIR (o --db URL)", cmd)
	}
	if err := os.MkdirAll(p.dir, 0o700); err != nil {
		return nil, err
	}
	return sqlstore.Open(ctx, filepath.Join(p.dir, "hub.db"))
}

// checkComune refuses a --comune that is not a comune's Belfiore code,
// and returns it in capitals.
func checkComune(cmd, code string) (string, error) {
	code = strings.ToUpper(code)
	if !app.ValidBelfiore(code) || code[0] == 'Z' {
		return "", cmdline.Usagef("%s: --comune vuole un codice catastale come I690, non %q", cmd, code)
	}
	return code, nil
}
