package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/hub"
	"github.com/sportello/sportello/hub/demo"
	"github.com/sportello/sportello/hub/sqlstore"
	"github.com/sportello/sportello/passwd"
)

// The embedded demo network: `sportello` with no configuration runs a hub
// inside the process, on loopback, with its own SQLite file under the
// profile ("demo-hub"), seeded the first time. The workstation (and the
// kiosk and board, each its own) enrols in it automatically. Every demo
// seeding call of this binary is in this file.

// joinDemo starts the demo hub and enrols ws in it under name, with role,
// the first time, or follows the hub to its new port afterwards.
func joinDemo(ctx context.Context, ws *workstation, dir, name string, role sqlstore.DeviceRole, log *slog.Logger) error {
	url, err := startDemoHub(ctx, dir, log)
	if err != nil {
		return fmt.Errorf("embedded demo hub: %w", err)
	}
	p, err := ws.store.Profile(ctx)
	switch {
	case app.ErrorCode(err) == app.ENOTFOUND:
		code, err := demoEnrollCode(ctx, dir, role)
		if err != nil {
			return fmt.Errorf("enrol %q in the demo network: %w", name, err)
		}
		if _, err = ws.client.Enroll(ctx, url, code, name); err != nil {
			return fmt.Errorf("enrol %q in the demo network: %w", name, err)
		}
		return nil
	case err != nil:
		return err
	case p.HubURL != url:
		p.HubURL = url
		return ws.store.SaveProfile(ctx, p)
	}
	return nil
}

// startDemoHub runs the demo network's hub in this process on a loopback
// port, seeding it on first use, and returns its URL.
func startDemoHub(ctx context.Context, dir string, log *slog.Logger) (string, error) {
	db, err := openDemoHub(ctx, dir)
	if err != nil {
		return "", err
	}
	ready := make(chan string, 1)
	errc := make(chan error, 1)
	go func() {
		defer db.Close()
		errc <- serveHub(ctx, db, "127.0.0.1:0", log, func(addr string) { ready <- addr })
	}()
	select {
	case addr := <-ready:
		return "http://" + addr, nil
	case err := <-errc:
		return "", err
	case <-time.After(10 * time.Second):
		return "", errors.New("the demo hub did not start")
	}
}

// openDemoHub opens the demo hub's database: seeded the first time with the
// built-in reference tables and the demo comuni (demo.Network), topped up
// afterwards with what an older seeding lacks.
func openDemoHub(ctx context.Context, dir string) (*sqlstore.DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	db, err := sqlstore.Open(ctx, filepath.Join(dir, "hub.db"))
	if err != nil {
		return nil, err
	}
	if err := demo.SeedNetwork(ctx, db, passwd.Hash, time.Now()); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func demoEnrollCode(ctx context.Context, dir string, role sqlstore.DeviceRole) (string, error) {
	db, err := sqlstore.Open(ctx, filepath.Join(dir, "hub.db"))
	if err != nil {
		return "", err
	}
	defer db.Close()
	return db.NewEnrollCodeFor(ctx, demo.Home, role, time.Hour)
}

// serveHub serves the hub's API on addr until ctx ends.
func serveHub(ctx context.Context, db *sqlstore.DB, addr string, log *slog.Logger, ready func(string)) error {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	srv := hub.NewHTTPServer(addr, hub.NewServer(hub.Deps{DB: db, Log: log}))
	return hub.Serve(ctx, srv, ready)
}
