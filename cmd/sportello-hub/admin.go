package main

import (
	"context"
	"crypto/ed25519"
	"crypto/tls"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anagrafe"
	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/hub"
	"github.com/sportello/sportello/hub/demo"
	"github.com/sportello/sportello/hub/sqlstore"
	"github.com/sportello/sportello/hub/storage"
	"github.com/sportello/sportello/internal/cmdline"
	"github.com/sportello/sportello/internal/hubpin"
	"github.com/sportello/sportello/passwd"
	"github.com/sportello/sportello/sync/wire"
)

// The hub's own commands: serving, its reference tables and anagrafi, its
// workstations and operators, a comune's fees.

var serveCmd = &command{
	name:     "serve",
	synopsis: "--data DIR [--db URL] [--addr HOST:PORTA] [--metrics-addr HOST:PORTA|off] [--tls-name NOME]... [--tls-cert FILE --tls-key FILE] [--tls | --insecure-http] [--public-url URL] [--backup-every DURATA --backup-dir CARTELLA [--backup-keep N]]",
	summary:  "avvia l'hub: l'API delle postazioni, la pagina di verifica e quella delle richieste\n(URL: l'indirizzo dei link negli avvisi; anche SPORTELLO_PUBLIC_URL);\nfuori dal loopback in TLS, con il certificato del comune o con l'autorità propria dell'hub;\ncon --backup-every un backup nella CARTELLA a ogni DURATA, tenendo gli N più recenti",
	setup: func(e *env, fs *flag.FlagSet) func(context.Context) error {
		data := dataFlag(e, fs)
		addr := fs.String("addr", "127.0.0.1:8450", "l'indirizzo `HOST:PORTA` di ascolto")
		metricsAddr := fs.String("metrics-addr", "127.0.0.1:8451", "l'indirizzo `HOST:PORTA` delle metriche Prometheus (/metrics), off per nessuno")
		publicURL := fs.String("public-url", e.getenv("SPORTELLO_PUBLIC_URL"), "l'indirizzo pubblico `URL` dell'hub, per i link degli avvisi")
		backups := scheduleFlags(fs) // backup.go
		tlsOpt := tlsFlags(fs)       // tls.go
		return func(ctx context.Context) error {
			if err := checkPublicURL(*publicURL); err != nil { // requests.go
				return err
			}
			if err := backups.check(); err != nil {
				return err
			}
			if backups.every > 0 && data.db != "" {
				return sqlstore.ErrPostgresBackup
			}
			db, err := openHubDB(ctx, "serve", data)
			if err != nil {
				return err
			}
			defer db.Close()
			if err := startNotifier(ctx, db, e.getenv, e.stderr); err != nil { // requests.go
				return err
			}
			log := slog.New(slog.NewTextHandler(e.stderr, nil))
			tlsConf, pin, err := tlsOpt.config(data.dir, *addr, log)
			if err != nil {
				return err
			}
			backups.start(ctx, db, e.stderr)
			metrics := hub.NewMetrics()
			if err := serveMetrics(ctx, *metricsAddr, metrics, log); err != nil {
				return err
			}
			var prepared *hub.Prepared
			if data.dir != "" {
				if prepared, err = hub.NewPrepared(ctx, preparedDir(data.dir), db, log); err != nil {
					return err
				}
				go prepared.Run(ctx, preparedEvery)
			}
			return serve(ctx, db, *addr, *publicURL, tlsConf, pin, loadPins(data.dir), log, metrics, prepared)
		}
	},
}

// preparedDir is the folder of the comuni's prepared anagrafe files
// (hub.Prepared) in the hub's data folder.
func preparedDir(data string) string { return filepath.Join(data, "anagrafe-preparate") }

// preparedEvery is how often serve looks for comuni whose prepared file is
// missing or stale.
const preparedEvery = 10 * time.Minute

var prepareCmd = &command{
	name:     "prepare",
	synopsis: "--data DIR [--db URL] --comune CODICE",
	summary:  "prepara ora l'anagrafe del comune come file per il primo scaricamento delle sue postazioni\n(l'hub in servizio lo fa da sé per i comuni di almeno 20.000 residenti)",
	setup: func(e *env, fs *flag.FlagSet) func(context.Context) error {
		data, comune := dataFlag(e, fs), comuneFlag(fs)
		return func(ctx context.Context) error {
			code, err := checkComune("prepare", *comune)
			if err != nil {
				return err
			}
			if data.dir == "" {
				return cmdline.Usagef("prepare: manca --data DIR, la cartella dove si tengono i file preparati")
			}
			db, err := openHubDB(ctx, "prepare", data)
			if err != nil {
				return err
			}
			defer db.Close()
			if n, err := db.CountCitizens(ctx, code); err != nil {
				return err
			} else if n == 0 {
				return app.Errorf(app.ENOTFOUND, "il comune %s non ha residenti sull'hub: niente da preparare", code)
			}
			p, err := hub.NewPrepared(ctx, preparedDir(data.dir), db, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				return err
			}
			start := time.Now()
			a, err := p.Build(ctx, code)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "anagrafe di %s preparata alla posizione %d: %.1f MB compressi in %s\n",
				code, a.Seq, float64(a.Size)/1e6, time.Since(start).Round(time.Second))
			return nil
		}
	},
}

func serve(ctx context.Context, db *sqlstore.DB, addr, publicURL string, tlsConf *tls.Config, pin string,
	pins func() (*wire.PinsResponse, error), log *slog.Logger, metrics *hub.Metrics, prepared *hub.Prepared) error {
	srv := hub.NewHTTPServer(addr, hub.NewServer(hub.Deps{DB: db, Log: log, Pins: pins, Metrics: metrics, Prepared: prepared}))
	srv.TLSConfig = tlsConf
	scheme := "http"
	if tlsConf != nil {
		scheme = "https"
	}
	return hub.Serve(ctx, srv, func(a string) {
		db.PublicURL = publicAddress(publicURL, scheme, a) // requests.go
		log.Info("hub listening", "addr", scheme+"://"+a, "public", db.PublicURL, "pin", pin)
	})
}

var importReferenceCmd = &command{
	name:     "import-reference",
	synopsis: "(--data DIR | --db URL) CARTELLA",
	summary:  "importa le tabelle ANPR della CARTELLA e le pubblica a ogni postazione",
	args:     1,
	setup: func(e *env, fs *flag.FlagSet) func(context.Context) error {
		data := dataFlag(e, fs)
		return func(ctx context.Context) error {
			if fs.NArg() != 1 {
				return cmdline.Usagef("import-reference: indicare la cartella delle tabelle ANPR")
			}
			t, err := anpr.ReadFS(os.DirFS(fs.Arg(0)))
			if err != nil {
				return app.Errorf(app.EINVALID, "%v", err)
			}
			db, err := openHubDB(ctx, "import-reference", data)
			if err != nil {
				return err
			}
			defer db.Close()
			if err := db.ImportReference(ctx, t); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "tabelle importate: %d comuni, %d stati esteri, %d tipi di certificato\n", len(t.Comuni), len(t.States), len(t.CertificateTypes))
			return nil
		}
	},
}

var demoCmd = &command{
	name:     "demo",
	synopsis: "(--data DIR | --db URL) --comune CODICE --residents N [--seed S]",
	summary:  "aggiunge un comune dimostrativo: anagrafe sintetica, operatori, catalogo, richieste,\npagamenti e multe, code e albo",
	setup: func(e *env, fs *flag.FlagSet) func(context.Context) error {
		data, comune := dataFlag(e, fs), comuneFlag(fs)
		residents := fs.Int("residents", 0, "`N` residenti da generare (da 1 a 5000000)")
		seed := fs.Int64("seed", 1, "il seme `S` del generatore: lo stesso seme dà le stesse persone")
		return func(ctx context.Context) error {
			code, err := checkComune("demo", *comune)
			if err != nil {
				return err
			}
			if *residents < 1 || *residents > 5_000_000 {
				return cmdline.Usagef("demo: --residents vuole un numero tra 1 e 5000000")
			}
			db, err := openHubDB(ctx, "demo", data)
			if err != nil {
				return err
			}
			defer db.Close()
			start := time.Now()
			n, err := demo.Seed(ctx, db, demo.Options{Comune: code, Residents: *residents, Seed: *seed, HashPassword: passwd.Hash})
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "comune %s: %d persone in anagrafe (%s); operatore %s, password %s\n", code, n, time.Since(start).Round(time.Millisecond), demo.Operator, demo.Password)
			return nil
		}
	},
}

var importAnagrafeCmd = &command{
	name:     "import-anagrafe",
	synopsis: "(--data DIR | --db URL) --comune CODICE FILE.csv",
	summary:  "fa del FILE l'anagrafe del comune: le differenze arrivano alle postazioni;\nun file con righe errate è rifiutato per intero",
	args:     1,
	setup: func(e *env, fs *flag.FlagSet) func(context.Context) error {
		data, comune := dataFlag(e, fs), comuneFlag(fs)
		return func(ctx context.Context) error {
			code, err := checkComune("import-anagrafe", *comune)
			if err != nil {
				return err
			}
			if fs.NArg() != 1 {
				return cmdline.Usagef("import-anagrafe: indicare il file CSV")
			}
			db, err := openHubDB(ctx, "import-anagrafe", data)
			if err != nil {
				return err
			}
			defer db.Close()
			f, err := os.Open(fs.Arg(0))
			if err != nil {
				return app.Errorf(app.EINVALID, "file non leggibile: %v", err)
			}
			defer f.Close()
			citizens, err := anagrafe.Read(f, code)
			if err != nil {
				return app.Errorf(app.EINVALID, "%v", err)
			}
			res, err := db.ReplaceAnagrafe(ctx, code, citizens)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "anagrafe di %s: %d nuovi, %d modificati, %d cancellati, %d invariati\n", code, res.Added, res.Updated, res.Deleted, res.Unchanged)
			return nil
		}
	},
}

var enrollCodeCmd = &command{
	name:     "enroll-code",
	synopsis: "(--data DIR | --db URL) --comune CODICE [--ttl DURATA] [--role RUOLO] [--tls-cert FILE]",
	summary:  "un codice di attivazione monouso per una postazione del comune (ultima riga), con l'impronta\ndel certificato dell'hub che la postazione verifica all'attivazione",
	setup: func(e *env, fs *flag.FlagSet) func(context.Context) error {
		data, comune := dataFlag(e, fs), comuneFlag(fs)
		ttl := fs.Duration("ttl", 24*time.Hour, "la validità `DURATA` del codice (es. 24h, 30m)")
		roleName := fs.String("role", "sportello", "il `RUOLO` della postazione: sportello, chiosco o tabellone (chiosco e tabellone non consultano l'anagrafe)")
		tlsCert := fs.String("tls-cert", "", "il `FILE` del certificato del comune che l'hub serve (serve --tls-cert); senza, l'autorità propria dell'hub")
		return func(ctx context.Context) error {
			code, err := checkComune("enroll-code", *comune)
			if err != nil {
				return err
			}
			role, err := storage.ParseDeviceRole(*roleName)
			if err != nil {
				return cmdline.Usagef("enroll-code: --role vuole sportello, chiosco o tabellone, non %q", *roleName)
			}
			db, err := openHubDB(ctx, "enroll-code", data)
			if err != nil {
				return err
			}
			defer db.Close()
			pin, err := hubPin(data.dir, *tlsCert)
			if err != nil {
				return err
			}
			enroll, err := db.NewEnrollCodeFor(ctx, code, role, *ttl)
			if err != nil {
				return err
			}
			enroll = hubpin.Join(enroll, pin)
			fmt.Fprintf(e.stdout, "codice di attivazione per una postazione di %s, valido %s:\n%s\n", code, *ttl, enroll)
			return nil
		}
	},
}

var addOperatorCmd = &command{
	name:     "add-operator",
	synopsis: "(--data DIR | --db URL) --comune CODICE --username U --name NOME [--role RUOLI]",
	summary:  "crea o aggiorna un operatore; la password da SPORTELLO_PASSWORD o dalla prima riga dell'input",
	setup: func(e *env, fs *flag.FlagSet) func(context.Context) error {
		data, comune := dataFlag(e, fs), comuneFlag(fs)
		username := fs.String("username", "", "il nome utente `U`")
		name := fs.String("name", "", "il `NOME` e cognome dell'operatore")
		roles := fs.String("role", string(app.RoleOperator), "i `RUOLI` separati da virgola: operatore, supervisore, backoffice")
		return func(ctx context.Context) error {
			code, err := checkComune("add-operator", *comune)
			if err != nil {
				return err
			}
			pw := e.getenv("SPORTELLO_PASSWORD")
			if pw == "" {
				b, _ := io.ReadAll(io.LimitReader(e.stdin, 1024))
				pw, _, _ = strings.Cut(string(b), "\n")
			}
			if len(pw) < 8 {
				return app.Errorf(app.EINVALID, "password troppo corta: almeno 8 caratteri")
			}
			hash, err := passwd.Hash(pw)
			if err != nil {
				return err
			}
			// A new password, a new signing key: the previous one stays
			// at the hub for what was signed with it (docs/SECURITY.md).
			params, pub, err := passwd.NewKey(pw)
			if err != nil {
				return err
			}
			op := app.Operator{Username: *username, Name: *name, Comune: code, PasswordHash: hash, KeyParams: params, PublicKey: pub, Active: true}
			for _, r := range strings.Split(*roles, ",") {
				op.Roles = append(op.Roles, app.Role(strings.TrimSpace(r)))
			}
			db, err := openHubDB(ctx, "add-operator", data)
			if err != nil {
				return err
			}
			defer db.Close()
			if err := db.PutOperator(ctx, op); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "operatore %s salvato\n", op.Username)
			return nil
		}
	},
}

var revokeDeviceCmd = &command{
	name:     "revoke-device",
	synopsis: "(--data DIR | --db URL) --device ID",
	summary:  "revoca una postazione: il suo token smette di valere, la revoca della chiave arriva alle altre",
	setup: func(e *env, fs *flag.FlagSet) func(context.Context) error {
		data := dataFlag(e, fs)
		device := fs.String("device", "", "la postazione `ID` da revocare")
		return func(ctx context.Context) error {
			db, err := openHubDB(ctx, "revoke-device", data)
			if err != nil {
				return err
			}
			defer db.Close()
			if err := db.RevokeDevice(ctx, *device); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "postazione %s revocata\n", *device)
			return nil
		}
	},
}

var compactCmd = &command{
	name:     "compact",
	synopsis: "(--data DIR | --db URL) --comune CODICE --upto SEQ",
	summary:  "compatta il registro delle modifiche del comune fino a SEQ: le postazioni più indietro riscaricano l'anagrafe",
	setup: func(e *env, fs *flag.FlagSet) func(context.Context) error {
		data, comune := dataFlag(e, fs), comuneFlag(fs)
		upto := fs.Int64("upto", 0, "l'ultima modifica `SEQ` da compattare")
		return func(ctx context.Context) error {
			code, err := checkComune("compact", *comune)
			if err != nil {
				return err
			}
			db, err := openHubDB(ctx, "compact", data)
			if err != nil {
				return err
			}
			defer db.Close()
			return db.Compact(ctx, code, *upto)
		}
	},
}

var rootKeyCmd = &command{
	name:     "root-key",
	synopsis: "(--data DIR | --db URL)",
	summary:  "la chiave pubblica della rete (base64), per verificare i certificati (sportello verify --root-key)",
	setup: func(e *env, fs *flag.FlagSet) func(context.Context) error {
		data := dataFlag(e, fs)
		return func(ctx context.Context) error {
			db, err := openHubDB(ctx, "root-key", data)
			if err != nil {
				return err
			}
			defer db.Close()
			k, err := db.RootKey(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintln(e.stdout, base64.StdEncoding.EncodeToString(k.Public().(ed25519.PublicKey)))
			return nil
		}
	},
}

var feesCmd = &command{
	name:     "fees",
	synopsis: "(--data DIR | --db URL) --comune CODICE [--with-bollo CENT] [--exempt CENT] [--stato-civile CENT]",
	summary:  "i diritti di segreteria del comune sui certificati, che ogni sua postazione stampa e incassa",
	setup: func(e *env, fs *flag.FlagSet) func(context.Context) error {
		data, comune := dataFlag(e, fs), comuneFlag(fs)
		withBollo := fs.Int64("with-bollo", certificate.DefaultFees.WithBolloCents, "i diritti `CENT` su un certificato in bollo, in centesimi")
		exempt := fs.Int64("exempt", certificate.DefaultFees.ExemptCents, "i diritti `CENT` su un certificato esente, in centesimi")
		statoCivile := fs.Int64("stato-civile", certificate.DefaultFees.StatoCivileCents, "i diritti `CENT` su un certificato di stato civile, in centesimi")
		return func(ctx context.Context) error {
			code, err := checkComune("fees", *comune)
			if err != nil {
				return err
			}
			if *withBollo < 0 || *exempt < 0 || *statoCivile < 0 {
				return cmdline.Usagef("fees: gli importi sono in centesimi, non negativi")
			}
			rec, err := certificate.FeesRecord(code, certificate.ComuneFees{WithBolloCents: *withBollo, ExemptCents: *exempt, StatoCivileCents: *statoCivile})
			if err != nil {
				return err
			}
			db, err := openHubDB(ctx, "fees", data)
			if err != nil {
				return err
			}
			defer db.Close()
			if err := db.PutRecords(ctx, code, []app.Record{rec}); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "diritti di segreteria di %s: %d centesimi in bollo, %d in carta libera, %d sui certificati di stato civile\n",
				code, *withBollo, *exempt, *statoCivile)
			return nil
		}
	},
}

// hubPin is the fingerprint an enrolment code carries: of the comune's
// certificate the hub serves, or of the hub's own CA (made now if the hub
// has not served TLS yet, so that the code holds when it does).
func hubPin(data, certFile string) (string, error) {
	if certFile != "" {
		pin, err := hub.LoadPin(certFile)
		if err != nil {
			return "", cmdline.Usagef("enroll-code: --tls-cert: %v", err)
		}
		return pin, nil
	}
	if data == "" {
		return "", cmdline.Usagef("enroll-code: il codice porta l'impronta del certificato dell'hub: servono --data DIR (la sua autorità TLS) o --tls-cert FILE")
	}
	ca, err := hub.LoadOrCreateCA(data, time.Now())
	if err != nil {
		return "", err
	}
	return ca.Pin(), nil
}
