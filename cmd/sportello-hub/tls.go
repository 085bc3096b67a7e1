package main

import (
	"context"
	"crypto/ed25519"
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/hub"
	"github.com/sportello/sportello/internal/cmdline"
	"github.com/sportello/sportello/internal/hubpin"
	"github.com/sportello/sportello/sync/wire"
)

// tlsOptions are serve's TLS flags. Off loopback the hub speaks TLS: with
// the comune's certificate (--tls-cert, --tls-key) or, by default, with a
// certificate of its own CA in the data folder. Plain HTTP is for loopback
// (the demo, a reverse proxy on the same machine), or wherever
// --insecure-http asks for it, with a warning at every start.
type tlsOptions struct {
	cert, key string
	names     names
	force     bool
	insecure  bool
}

// names is a repeatable flag.
type names []string

func (n *names) String() string { return strings.Join(*n, ",") }
func (n *names) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*n = append(*n, s)
		}
	}
	return nil
}

func tlsFlags(fs *flag.FlagSet) *tlsOptions {
	o := &tlsOptions{}
	fs.StringVar(&o.cert, "tls-cert", "", "il `FILE` PEM del certificato del comune per l'hub (con --tls-key); senza, un certificato dell'autorità propria dell'hub nella cartella dei dati")
	fs.StringVar(&o.key, "tls-key", "", "il `FILE` PEM della chiave privata di --tls-cert")
	fs.Var(&o.names, "tls-name", "un `NOME` o indirizzo IP con cui le postazioni raggiungono l'hub, per il suo certificato (ripetibile; l'indirizzo di ascolto c'è sempre)")
	fs.BoolVar(&o.force, "tls", false, "TLS anche su un indirizzo di loopback")
	fs.BoolVar(&o.insecure, "insecure-http", false, "HTTP in chiaro anche fuori dal loopback: dati e credenziali leggibili da chiunque sia in rete (sconsigliato)")
	return o
}

// config returns the server's TLS configuration for addr, nil for plain
// HTTP, and the pin the enrolment codes must carry ("" for a certificate
// of the comune, whose pin enroll-code --tls-cert reads).
func (o *tlsOptions) config(data, addr string, log *slog.Logger) (*tls.Config, string, error) {
	if (o.cert == "") != (o.key == "") {
		return nil, "", cmdline.Usagef("serve: --tls-cert e --tls-key vanno indicati insieme")
	}
	if o.insecure {
		if o.cert != "" || len(o.names) > 0 || o.force {
			return nil, "", cmdline.Usagef("serve: --insecure-http esclude le opzioni --tls")
		}
		if !loopbackAddr(addr) {
			log.Warn("plain HTTP off loopback (--insecure-http): anyone on the network reads personal data and device tokens", "addr", addr)
		}
		return nil, "", nil
	}
	if o.cert == "" && len(o.names) == 0 && !o.force && loopbackAddr(addr) {
		return nil, "", nil
	}
	if o.cert != "" {
		pair, err := tls.LoadX509KeyPair(o.cert, o.key)
		if err != nil {
			return nil, "", fmt.Errorf("serve: certificato TLS: %w", err)
		}
		return hub.ServerTLS(func(*tls.ClientHelloInfo) (*tls.Certificate, error) { return &pair, nil }), "", nil
	}
	ca, err := hub.LoadOrCreateCA(data, time.Now())
	if err != nil {
		return nil, "", err
	}
	own := &hub.OwnCertificates{CA: ca, Names: hub.ServerNames(o.names, addr), Now: time.Now}
	if _, err := own.GetCertificate(nil); err != nil {
		return nil, "", err
	}
	return hub.ServerTLS(own.GetCertificate), ca.Pin(), nil
}

// loopbackAddr tells whether a listen address is reachable from this
// machine only.
func loopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// pinsFile is where tls-announce keeps the hub's announcement of its keys,
// beside its own authority.
func pinsFile(data string) string { return filepath.Join(data, "tls", "pins.json") }

// loadPins reads the announcement of the hub in data: nil when there is
// none.
func loadPins(data string) func() (*wire.PinsResponse, error) {
	if data == "" { // a hub on PostgreSQL started without a data folder
		return nil
	}
	return func() (*wire.PinsResponse, error) {
		b, err := os.ReadFile(pinsFile(data))
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read hub pins: %w", err)
		}
		var p wire.PinsResponse
		if err := app.DecodeJSON(b, &p); err != nil {
			return nil, fmt.Errorf("read hub pins: %w", err)
		}
		return &p, nil
	}
}

var tlsAnnounceCmd = &command{
	name:     "tls-announce",
	synopsis: "--data DIR [--db URL] (--cert FILE.pem... | --clear)",
	summary: "annuncia alle postazioni i certificati dell'hub che devono accettare, quello in uso per primo\n" +
		"(per cambiare certificato o autorità senza riattivarle), firmato con la chiave della rete;\n" +
		"le postazioni lo leggono alla sincronizzazione; --clear lo ritira",
	setup: func(e *env, flags *flag.FlagSet) func(context.Context) error {
		data := dataFlag(e, flags)
		var certs names
		flags.Var(&certs, "cert", "un `FILE` PEM: il certificato dell'autorità dell'hub (tls/ca.pem) o quello del comune (ripetibile)")
		clear := flags.Bool("clear", false, "ritira l'annuncio")
		return func(ctx context.Context) error {
			if *clear == (len(certs) > 0) || len(certs) > hubpin.MaxPins {
				return cmdline.Usagef("tls-announce: servono --cert FILE (da 1 a %d) oppure --clear", hubpin.MaxPins)
			}
			if data.dir == "" { // the announcement is a file of the data folder, which serve answers
				return cmdline.Usagef("tls-announce: manca --data DIR")
			}
			db, err := openHubDB(ctx, "tls-announce", data)
			if err != nil {
				return err
			}
			defer db.Close()
			if *clear {
				if err := os.Remove(pinsFile(data.dir)); err != nil && !errors.Is(err, fs.ErrNotExist) {
					return err
				}
				fmt.Fprintln(e.stdout, "annuncio ritirato: le postazioni tengono le impronte che hanno")
				return nil
			}
			var pins []string
			for _, c := range certs {
				pin, err := hub.LoadPin(c)
				if err != nil {
					return app.Errorf(app.EINVALID, "tls-announce: %v", err)
				}
				if !slices.Contains(pins, pin) {
					pins = append(pins, pin)
				}
			}
			root, err := db.RootKey(ctx)
			if err != nil {
				return err
			}
			at := time.Now().UTC().Truncate(time.Second)
			res := wire.PinsResponse{Pins: pins, At: wire.FormatTime(at),
				Signature: wire.B64(ed25519.Sign(root, hubpin.AnnouncementMessage(pins, at)))}
			b, err := json.Marshal(res)
			if err != nil {
				return err
			}
			if err := os.MkdirAll(filepath.Dir(pinsFile(data.dir)), 0o700); err != nil {
				return err
			}
			if err := os.WriteFile(pinsFile(data.dir), b, 0o600); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "annunciate %d impronte (in uso per prima): %s\n", len(pins), strings.Join(pins, " "))
			return nil
		}
	},
}
