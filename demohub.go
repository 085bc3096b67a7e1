package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/hub"
	"github.com/sportello/sportello/hub/hubdb"
	"github.com/sportello/sportello/passwd"
)

// openDemoHub opens the demo hub's database, seeding it the first time with
// the built-in reference tables and the demo comuni.
func openDemoHub(ctx context.Context, dir string) (*hubdb.DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	db, err := hubdb.Open(ctx, filepath.Join(dir, "hub.db"))
	if err != nil {
		return nil, err
	}
	comuni, err := db.Comuni(ctx)
	if err != nil || len(comuni) > 0 {
		return db, err
	}
	if err := db.ImportReference(ctx, anpr.Defaults()); err != nil {
		db.Close()
		return nil, err
	}
	for _, o := range demoComuni {
		o.HashPassword = passwd.Hash
		if _, err := hub.SeedDemo(ctx, db, o); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}

func demoEnrollCode(ctx context.Context, dir string) (string, error) {
	db, err := hubdb.Open(ctx, filepath.Join(dir, "hub.db"))
	if err != nil {
		return "", err
	}
	defer db.Close()
	return db.NewEnrollCode(ctx, demoComuni[0].Comune, time.Hour)
}

// serveHub serves the hub's API on addr until ctx ends.
func serveHub(ctx context.Context, db *hubdb.DB, addr string, log *slog.Logger, ready func(string)) error {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	srv := &http.Server{Addr: addr, Handler: hub.NewServer(hub.Deps{DB: db, Log: log}), ReadHeaderTimeout: 10 * time.Second}
	return hub.Serve(ctx, srv, ready)
}
