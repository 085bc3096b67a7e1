package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/internal/pgdb"
	"github.com/sportello/sportello/internal/sqlitedb"
)

// TableCount is a table copied by CopyToPostgres and its rows.
type TableCount struct {
	Table string
	Rows  int64
}

// CopyToPostgres moves a network that outgrows one file: it copies the hub
// database file at path, brought up to this version first, into the
// PostgreSQL database at target, which must hold no hub yet. The copy is
// one read of the file (a consistent state even if a hub still served it,
// which it must not: what it writes later would not be copied) and one
// PostgreSQL transaction: it lands whole or not at all. Every row keeps
// its values, the epoch and the change log included, so the workstations
// go on from their cursors as if nothing had happened. It returns the
// rows copied per table, counted again in the new database.
func CopyToPostgres(ctx context.Context, path, target string) ([]TableCount, error) {
	if !pgdb.IsURL(target) {
		return nil, app.Errorf(app.EINVALID, "la destinazione deve essere l'URL di un database PostgreSQL (postgres://…)")
	}
	if _, err := os.Stat(path); err != nil {
		return nil, app.Errorf(app.ENOTFOUND, "non c'è il database di un hub in %s", path)
	}
	src, err := Open(ctx, path) // brings an older file up to this version
	if err != nil {
		return nil, err
	}
	src.Close()
	dst, err := Open(ctx, target)
	if err != nil {
		return nil, err
	}
	defer dst.Close()
	var held int
	if err := dst.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM network) + (SELECT count(*) FROM comuni) + (SELECT count(*) FROM devices)`).Scan(&held); err != nil {
		return nil, err
	}
	if held > 0 {
		return nil, app.Errorf(app.ECONFLICT, "il database PostgreSQL contiene già un hub: la migrazione va fatta in un database nuovo")
	}
	ro, err := sqlitedb.OpenReadOnly(path)
	if err != nil {
		return nil, err
	}
	defer ro.Close()
	rtx, err := ro.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer rtx.Rollback()
	tables, err := copyOrder(ctx, rtx)
	if err != nil {
		return nil, err
	}
	err = pgdb.WithConn(ctx, dst.db, func(conn *pgx.Conn) error {
		tx, err := conn.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		// What the migrations seeded (the epoch) gives way to the file's.
		for _, t := range slices.Backward(tables) {
			if _, err := tx.Exec(ctx, `DELETE FROM `+pgx.Identifier{t}.Sanitize()); err != nil {
				return fmt.Errorf("empty %s: %w", t, err)
			}
		}
		for _, t := range tables {
			if err := copyTable(ctx, rtx, tx, t); err != nil {
				return fmt.Errorf("copy %s: %w", t, err)
			}
		}
		// Identity columns go on after the highest value copied.
		ids, err := tx.Query(ctx, `SELECT table_name, column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND is_identity = 'YES'`)
		if err != nil {
			return err
		}
		var pairs [][2]string
		for ids.Next() {
			var t, c string
			if err := ids.Scan(&t, &c); err != nil {
				ids.Close()
				return err
			}
			pairs = append(pairs, [2]string{t, c})
		}
		ids.Close()
		for _, p := range pairs {
			if _, err := tx.Exec(ctx, fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', '%s'), coalesce(max(%s), 0) + 1, false) FROM %s`,
				p[0], p[1], quoteName(p[1]), quoteName(p[0]))); err != nil {
				return fmt.Errorf("identity of %s: %w", p[0], err)
			}
		}
		return tx.Commit(ctx)
	})
	if err != nil {
		return nil, err
	}
	var out []TableCount
	for _, t := range tables {
		var want, got int64
		if err := rtx.QueryRowContext(ctx, `SELECT count(*) FROM `+quoteName(t)).Scan(&want); err != nil {
			return nil, err
		}
		if err := dst.db.QueryRowContext(ctx, `SELECT count(*) FROM `+quoteName(t)).Scan(&got); err != nil {
			return nil, err
		}
		if got != want {
			return nil, fmt.Errorf("copy %s: %d rows in the file, %d in PostgreSQL", t, want, got)
		}
		out = append(out, TableCount{t, got})
	}
	return out, nil
}

func quoteName(s string) string { return pgx.Identifier{s}.Sanitize() }

// copyOrder lists the hub's tables, each after the tables it refers to.
func copyOrder(ctx context.Context, rtx *sql.Tx) ([]string, error) {
	names, err := queryStrings(ctx, rtx, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	refs := map[string][]string{}
	for _, t := range names {
		if refs[t], err = queryStrings(ctx, rtx, `SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`, t); err != nil {
			return nil, err
		}
	}
	var order []string
	done := map[string]bool{}
	var visit func(t string, depth int) error
	visit = func(t string, depth int) error {
		if done[t] {
			return nil
		}
		if depth > len(names) {
			return errors.New("copy: the tables refer to each other in a cycle")
		}
		for _, r := range refs[t] {
			if r != t {
				if err := visit(r, depth+1); err != nil {
					return err
				}
			}
		}
		done[t] = true
		order = append(order, t)
		return nil
	}
	for _, t := range names {
		if err := visit(t, 0); err != nil {
			return nil, err
		}
	}
	return order, nil
}

func queryStrings(ctx context.Context, q *sql.Tx, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// copyTable streams table from the file into PostgreSQL with COPY, each
// value as the PostgreSQL column's type wants it; SQLite's implicit rowid
// goes into the column that stands for it (pgdb.Translate).
func copyTable(ctx context.Context, rtx *sql.Tx, tx pgx.Tx, table string) error {
	types := map[string]string{}
	rows, err := tx.Query(ctx, `SELECT column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1`, table)
	if err != nil {
		return err
	}
	for rows.Next() {
		var c, t string
		if err := rows.Scan(&c, &t); err != nil {
			rows.Close()
			return err
		}
		types[c] = t
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	cols, err := queryStrings(ctx, rtx, `SELECT name FROM pragma_table_info(?) ORDER BY cid`, table)
	if err != nil {
		return err
	}
	if _, ok := types["rowid"]; ok {
		cols = append(cols, "rowid")
	}
	for _, c := range cols {
		if types[c] == "" {
			return fmt.Errorf("column %s of the file is not in PostgreSQL's schema", c)
		}
	}
	list := ""
	for i, c := range cols {
		if i > 0 {
			list += ", "
		}
		list += quoteName(c)
	}
	src, err := rtx.QueryContext(ctx, `SELECT `+list+` FROM `+quoteName(table))
	if err != nil {
		return err
	}
	defer src.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	next := func() ([]any, error) {
		if !src.Next() {
			return nil, src.Err()
		}
		if err := src.Scan(ptrs...); err != nil {
			return nil, err
		}
		out := make([]any, len(cols))
		for i, v := range vals {
			if out[i], err = asPostgres(v, types[cols[i]]); err != nil {
				return nil, fmt.Errorf("column %s: %w", cols[i], err)
			}
		}
		return out, nil
	}
	_, err = tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromFunc(next))
	return err
}

// asPostgres is SQLite's value v as a value of PostgreSQL's type typ
// (the translated schema's: bigint, text, bytea).
func asPostgres(v any, typ string) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch typ {
	case "text":
		switch x := v.(type) {
		case string:
			return x, nil
		case []byte:
			return string(x), nil
		case int64:
			return strconv.FormatInt(x, 10), nil
		}
	case "bigint":
		switch x := v.(type) {
		case int64:
			return x, nil
		case string:
			return strconv.ParseInt(x, 10, 64)
		case bool:
			if x {
				return int64(1), nil
			}
			return int64(0), nil
		}
	case "bytea":
		switch x := v.(type) {
		case []byte:
			return x, nil
		case string:
			return []byte(x), nil
		}
	case "double precision":
		switch x := v.(type) {
		case float64:
			return x, nil
		case int64:
			return float64(x), nil
		}
	}
	return nil, fmt.Errorf("value %T for a column of type %s", v, typ)
}
