package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/internal/sqlitedb"
	"github.com/sportello/sportello/store"
)

// searchCase is one search as an operator types it and the bare SQL
// query that answers it on the same index, without the store.
type searchCase struct {
	text string
	sql  string
	args []any
}

const (
	bareCols  = `SELECT codice_fiscale, surname, given_name, birth_date, comune, status FROM citizens `
	bareOrder = ` ORDER BY surname_key, given_key, birth_date LIMIT 50`
)

// searchCases draws people of the cache and searches each the four ways a
// counter does: surname, surname and a given name's start, a codice
// fiscale's first six characters, the whole codice fiscale.
func searchCases(ctx context.Context, db *sql.DB, n int) ([]searchCase, error) {
	var total int
	if err := db.QueryRowContext(ctx, `SELECT max(rowid) FROM citizens`).Scan(&total); err != nil {
		return nil, err
	}
	r := rand.New(rand.NewPCG(1, 2))
	var out []searchCase
	for len(out) < n*4 {
		var code, surname, given string
		err := db.QueryRowContext(ctx, `SELECT codice_fiscale, surname_key, given_key FROM citizens WHERE rowid >= ? LIMIT 1`, 1+r.IntN(total)).
			Scan(&code, &surname, &given)
		if err != nil {
			return nil, err
		}
		if len(given) < 2 || len(surname) < 2 || !plainKey(surname) || !plainKey(given) {
			continue
		}
		g := given[:2]
		out = append(out,
			searchCase{surname, bareCols + `WHERE surname_key >= ? AND surname_key < ?` + bareOrder, []any{surname, prefixEnd(surname)}},
			searchCase{surname + " " + g, bareCols + `WHERE surname_key = ? AND given_key >= ? AND given_key < ?` + bareOrder, []any{surname, g, prefixEnd(g)}},
			searchCase{code[:6], bareCols + `WHERE codice_fiscale >= ? AND codice_fiscale < ? ORDER BY codice_fiscale LIMIT 50`, []any{code[:6], prefixEnd(code[:6])}},
			searchCase{code, bareCols + `WHERE codice_fiscale = ?`, []any{code}},
		)
	}
	return out, nil
}

// plainKey: one word of letters, as the drawn searches need.
func plainKey(s string) bool {
	for _, c := range s {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

func prefixEnd(p string) string {
	b := []byte(p)
	b[len(b)-1]++
	return string(b)
}

// measureSearch times the store's search and the bare queries on the
// synced cache, interleaved, after one warm-up pass of each.
func measureSearch(ctx context.Context, st *store.Store, path string, res *Result) error {
	raw, err := sqlitedb.OpenReadOnly(path)
	if err != nil {
		return err
	}
	defer raw.Close()
	cases, err := searchCases(ctx, raw, 100)
	if err != nil {
		return fmt.Errorf("draw searches: %w", err)
	}
	stmts := map[string]*sql.Stmt{}
	defer func() {
		for _, s := range stmts {
			s.Close()
		}
	}()
	var mine, bare []time.Duration
	for pass := range 3 {
		for _, c := range cases {
			q, err := app.ParseQuery(c.text)
			if err != nil {
				return fmt.Errorf("query %q: %w", c.text, err)
			}
			start := time.Now()
			if _, err := st.SearchCitizens(ctx, q, app.SearchLimit); err != nil {
				return err
			}
			took := time.Since(start)
			s := stmts[c.sql]
			if s == nil {
				if s, err = raw.PrepareContext(ctx, c.sql); err != nil {
					return err
				}
				stmts[c.sql] = s
			}
			start = time.Now()
			if err := bareRows(ctx, s, c.args); err != nil {
				return err
			}
			bareTook := time.Since(start)
			if pass > 0 {
				mine, bare = append(mine, took), append(bare, bareTook)
			}
		}
	}
	res.SearchMedianMs = ms(quantile(mine, 0.5))
	res.SearchP99Ms = ms(quantile(mine, 0.99))
	res.SearchBareMedianMs = ms(quantile(bare, 0.5))
	return nil
}

func bareRows(ctx context.Context, st *sql.Stmt, args []any) error {
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var cf, surname, given, birth, comune, status string
	for rows.Next() {
		if err := rows.Scan(&cf, &surname, &given, &birth, &comune, &status); err != nil {
			return err
		}
	}
	return rows.Err()
}

// quantile of the durations (sorted in place), nearest rank.
func quantile(d []time.Duration, q float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	i := int(q*float64(len(d))+0.5) - 1
	return d[min(max(i, 0), len(d)-1)]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
