package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/hub/sqlstore"
	"github.com/sportello/sportello/internal/cmdline"
)

// The hub's backups: one on demand, a restore, and the schedule of serve.

var backupCmd = &command{
	name:     "backup",
	synopsis: "(--data DIR | --db URL) --out FILE",
	summary:  "copia coerente del database dell'hub nel FILE nuovo, anche mentre l'hub è in servizio;\nla copia è controllata prima di dirla fatta",
	setup: func(e *env, fs *flag.FlagSet) func(context.Context) error {
		data := dataFlag(e, fs)
		out := fs.String("out", "", "il `FILE` del backup, che non deve esistere")
		return func(ctx context.Context) error {
			if data.db != "" {
				return sqlstore.ErrPostgresBackup
			}
			if data.dir == "" {
				return cmdline.Usagef("backup: manca --data DIR")
			}
			if *out == "" {
				return cmdline.Usagef("backup: manca --out FILE")
			}
			// The file is read on a connection of its own, never opened
			// as the hub opens it: that would wait for the serving hub's
			// write lock.
			live := filepath.Join(data.dir, "hub.db")
			if _, err := os.Stat(live); err != nil {
				return app.Errorf(app.ENOTFOUND, "backup: in %s non c'è il database di un hub (hub.db)", data.dir)
			}
			start := time.Now()
			err := sqlstore.BackupFile(ctx, live, *out)
			if err != nil && !errors.Is(err, sqlstore.ErrNotRecorded) {
				return err
			}
			fmt.Fprintf(e.stdout, "backup fatto e controllato: %s (%s, %s)\n", *out, fileSize(*out), time.Since(start).Round(time.Millisecond))
			if err != nil {
				fmt.Fprintf(e.stdout, "non annotato nell'hub, occupato (%v): le postazioni lo sapranno dal prossimo backup\n", err)
			}
			return nil
		}
	},
}

var restoreCmd = &command{
	name:     "restore",
	synopsis: "--data DIR FILE | --db URL",
	summary:  "rimette il backup FILE al posto del database dell'hub, che resta accanto come\nhub.db.before-restore-DATA; fermare prima l'hub (un hub in servizio è di solito\nriconosciuto e il ripristino rifiutato, ma non sempre: su un disco di rete no);\ncon --db, dopo il ripristino di PostgreSQL (pg_restore), segna il database come ripristinato",
	args:     1,
	setup: func(e *env, fs *flag.FlagSet) func(context.Context) error {
		data := dataFlag(e, fs)
		return func(ctx context.Context) error {
			if data.db != "" {
				// PostgreSQL restores with its own tools; this marks the
				// database restored, so that the workstations resend what
				// it lacks.
				if fs.NArg() != 0 {
					return cmdline.Usagef("restore: con --db non si indica un file: il database si ripristina con pg_restore, poi restore --db URL lo segna come ripristinato")
				}
				if err := sqlstore.MarkRestored(ctx, data.db, time.Now()); err != nil {
					return err
				}
				fmt.Fprintln(e.stdout, "database segnato come ripristinato da un backup: le postazioni gli rinviano quanto aveva confermato loro dopo il backup e riscaricano i dati")
				return nil
			}
			if data.dir == "" {
				return cmdline.Usagef("restore: manca --data DIR")
			}
			if fs.NArg() != 1 {
				return cmdline.Usagef("restore: indicare il file del backup")
			}
			if err := os.MkdirAll(data.dir, 0o700); err != nil {
				return err
			}
			live := filepath.Join(data.dir, "hub.db")
			aside, err := sqlstore.Restore(ctx, live, fs.Arg(0), time.Now())
			if err != nil {
				return err
			}
			// Opening migrates a backup of an older hub and proves the
			// restored file serves.
			db, err := sqlstore.Open(ctx, live)
			if err != nil {
				return fmt.Errorf("restore: open the restored database: %w", err)
			}
			db.Close()
			fmt.Fprintf(e.stdout, "backup %s ripristinato in %s\n", fs.Arg(0), live)
			if aside != "" {
				fmt.Fprintf(e.stdout, "il database di prima è in %s\n", aside)
			}
			fmt.Fprintln(e.stdout, "le postazioni riconoscono l'hub ripristinato alla prossima sincronizzazione: gli rinviano quanto aveva confermato loro dopo il backup e riscaricano i dati")
			fmt.Fprintln(e.stdout, "fino ad allora nessun nuovo numero di protocollo né codice IUV: sportello-hub recovery list mostra le postazioni attese")
			return nil
		}
	},
}

func fileSize(path string) string {
	fi, err := os.Stat(path)
	if err != nil {
		return "?"
	}
	return fmt.Sprintf("%.1f MB", float64(fi.Size())/1e6)
}

// schedule is serve's backup schedule: every interval a backup into dir,
// keeping the newest keep. A zero interval is no schedule.
type schedule struct {
	every time.Duration
	dir   string
	keep  int
	log   *slog.Logger // set by start
}

// scheduleFlags defines serve's backup flags.
func scheduleFlags(fs *flag.FlagSet) *schedule {
	s := &schedule{}
	fs.DurationVar(&s.every, "backup-every", 0, "un backup ogni `DURATA` mentre l'hub è in servizio (es. 6h); 0 nessuno")
	fs.StringVar(&s.dir, "backup-dir", "", "la `CARTELLA` dei backup programmati (file hub-AAAAMMGGTHHMMSS.mmmZ.db, ora UTC)")
	fs.IntVar(&s.keep, "backup-keep", 7, "tenere gli `N` backup programmati più recenti: i più vecchi sono cancellati")
	return s
}

// check refuses a schedule that cannot work, before the hub starts.
func (s *schedule) check() error {
	switch {
	case s.every < 0:
		return cmdline.Usagef("serve: --backup-every vuole una durata positiva")
	case s.every == 0 && s.dir != "":
		return cmdline.Usagef("serve: --backup-dir senza --backup-every")
	case s.every > 0 && s.dir == "":
		return cmdline.Usagef("serve: --backup-every vuole anche --backup-dir CARTELLA")
	case s.keep < 1:
		return cmdline.Usagef("serve: --backup-keep vuole almeno 1")
	}
	return nil
}

// start runs the schedule until ctx ends. A failed backup (a full disk, a
// folder gone) is logged and tried again at the next tick: the hub goes
// on serving whatever happens to its backups.
func (s *schedule) start(ctx context.Context, db *sqlstore.DB, stderr io.Writer) {
	if s.every == 0 {
		return
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	s.log = log
	go func() {
		t := time.NewTicker(s.every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				out, err := s.run(ctx, db, now)
				if err != nil {
					if ctx.Err() == nil {
						log.Error("scheduled backup failed, retried at the next one", "dir", s.dir, "err", err)
					}
					continue
				}
				log.Info("scheduled backup done", "file", out)
			}
		}
	}()
}

// backupPrefix and backupLayout name the schedule's files: the names sort
// as their times do, and pruning touches only files named so.
const (
	backupPrefix = "hub-"
	backupLayout = "20060102T150405.000Z"
)

// run takes one scheduled backup and then prunes the oldest.
func (s *schedule) run(ctx context.Context, db *sqlstore.DB, now time.Time) (string, error) {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return "", err
	}
	out := filepath.Join(s.dir, backupPrefix+now.UTC().Format(backupLayout)+".db")
	if err := db.Backup(ctx, out); errors.Is(err, sqlstore.ErrNotRecorded) {
		if s.log != nil {
			s.log.Warn("scheduled backup done but not recorded in the hub: the workstations learn of it at the next one", "file", out, "err", err)
		}
	} else if err != nil {
		return "", err
	}
	return out, s.prune()
}

// prune removes the oldest scheduled backups beyond keep. Only after a
// backup succeeded: failures never cost an old copy.
func (s *schedule) prune() error {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return err
	}
	var ours []string
	for _, e := range entries {
		name := e.Name()
		stamp, ok := strings.CutPrefix(name, backupPrefix)
		stamp, ok2 := strings.CutSuffix(stamp, ".db")
		if !ok || !ok2 || e.IsDir() {
			continue
		}
		if _, err := time.Parse(backupLayout, stamp); err == nil {
			ours = append(ours, name)
		}
	}
	slices.Sort(ours)
	for len(ours) > s.keep {
		if err := os.Remove(filepath.Join(s.dir, ours[0])); err != nil {
			return fmt.Errorf("prune old backup: %w", err)
		}
		ours = ours[1:]
	}
	return nil
}
