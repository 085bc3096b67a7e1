package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/sportello/sportello/hub/sqlstore"
	"github.com/sportello/sportello/internal/sqlitedb"
	"github.com/sportello/sportello/store"
	"github.com/sportello/sportello/sync"
)

// measureSync enrols a new workstation of the comune and times its first
// sync round (the whole download, as `sportello sync` runs it), then a
// bare SQLite bulk insert of the very rows it stored.
// The workstation stays open for the measures that follow (ws).
func measureSync(ctx context.Context, cfg *config, db *sqlstore.DB, url string, res *Result, ws *workstation) error {
	code, err := db.NewEnrollCode(ctx, comune, time.Hour)
	if err != nil {
		return err
	}
	path := filepath.Join(cfg.work, "sync", "cache.db")
	st, err := openStoreAt(path)
	if err != nil {
		return err
	}
	// The engine's log tells how the download went.
	var logged bytes.Buffer
	c := sync.New(st, sync.Options{Log: slog.New(slog.NewTextHandler(&logged, nil)), Timeout: 2 * time.Minute, NoPreparedAnagrafe: cfg.pages})
	*ws = workstation{st: st, c: c, path: path}
	if _, err := c.Enroll(ctx, url, code, "bench"); err != nil {
		return fmt.Errorf("enroll: %w", err)
	}
	start := time.Now()
	if err := c.Round(ctx); err != nil {
		return err
	}
	res.InitialSyncS = time.Since(start).Seconds()
	res.SyncMode = "pages"
	if strings.Contains(logged.String(), "anagrafe adopted") {
		res.SyncMode = "prepared"
	} else if !cfg.pages {
		return fmt.Errorf("the hub's prepared file was not adopted:\n%s", logged.String())
	}
	first, err := db.Snapshot(ctx, comune, "", 1)
	if err != nil {
		return err
	}
	res.InitialRows = first.Total
	res.InitialRowsPS = float64(res.InitialRows) / res.InitialSyncS
	n, took, err := bareInsert(ctx, path, filepath.Join(cfg.work, "sync", "bare.db"))
	if err != nil {
		return fmt.Errorf("bare insert: %w", err)
	}
	res.BareInsertS = took.Seconds()
	res.BareInsertRPS = float64(n) / res.BareInsertS
	res.SyncVsBare = res.InitialSyncS / (float64(res.InitialRows) / res.BareInsertRPS)
	return nil
}

// workstation is the synced workstation the later measures use.
type workstation struct {
	st   *store.Store
	c    *sync.Client
	path string
}

func openStoreAt(path string) (*store.Store, error) {
	if err := mkdirFor(path); err != nil {
		return nil, err
	}
	st, err := store.Open(path)
	if err != nil {
		return nil, err
	}
	if err := st.Checked(context.Background()); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// bareInsert is the floor of a download: the rows the workstation stored
// (read back from its cache into memory first, not timed), written into a
// new file with the same table by one prepared statement in one
// transaction, then the same indexes built, with the cache's own settings
// (WAL, synchronous=FULL). No network, no JSON, no checks.
func bareInsert(ctx context.Context, from, to string) (int, time.Duration, error) {
	src, err := sqlitedb.OpenReadOnly(from)
	if err != nil {
		return 0, 0, err
	}
	defer src.Close()
	var table string
	if err := src.QueryRowContext(ctx, `SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'citizens'`).Scan(&table); err != nil {
		return 0, 0, err
	}
	var indexes []string
	rows, err := src.QueryContext(ctx, `SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'citizens' AND sql IS NOT NULL`)
	if err != nil {
		return 0, 0, err
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return 0, 0, err
		}
		indexes = append(indexes, s)
	}
	rows.Close()
	rows, err = src.QueryContext(ctx, `SELECT * FROM citizens`)
	if err != nil {
		return 0, 0, err
	}
	cols, _ := rows.Columns()
	var data [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			rows.Close()
			return 0, 0, err
		}
		data = append(data, vals)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, 0, err
	}
	if err := mkdirFor(to); err != nil {
		return 0, 0, err
	}
	dst, err := sqlitedb.Open(to)
	if err != nil {
		return 0, 0, err
	}
	defer dst.Close()
	if _, err := dst.ExecContext(ctx, table); err != nil {
		return 0, 0, err
	}
	start := time.Now()
	err = func() error {
		tx, err := dst.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		ins, err := tx.PrepareContext(ctx, `INSERT INTO citizens VALUES (`+strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",")+`)`)
		if err != nil {
			return err
		}
		defer ins.Close()
		for _, r := range data {
			if _, err := ins.ExecContext(ctx, r...); err != nil {
				return err
			}
		}
		for _, ix := range indexes {
			if _, err := tx.ExecContext(ctx, ix); err != nil {
				return err
			}
		}
		return tx.Commit()
	}()
	return len(data), time.Since(start), err
}
