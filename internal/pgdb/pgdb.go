// Package pgdb opens PostgreSQL databases for the hub's storage when a
// network outgrows one SQLite file. The hub's SQL is written once, in the
// subset both engines speak; what differs is decided here:
//   - placeholders: the hub writes SQLite's ? and ?N, the connection
//     rewrites them to PostgreSQL's $N (Rebind), outside strings and
//     comments;
//   - the schema: the migrations' SQLite DDL is translated (Translate), and
//     a migration whose statements only SQLite runs has its PostgreSQL
//     twin beside it;
//   - transactions: SQLite runs one writer at a time; on PostgreSQL every
//     transaction of the hub is SERIALIZABLE and retried when the server
//     aborts it for a conflict (Retryable), which gives several hub
//     processes on one database the same outcome as one process on SQLite:
//     a counter read and raised in a transaction is never handed out twice.
package pgdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// IsURL reports whether target names a PostgreSQL database
// ("postgres://…" or "postgresql://…") rather than a file.
func IsURL(target string) bool {
	return strings.HasPrefix(target, "postgres://") || strings.HasPrefix(target, "postgresql://")
}

// Redact is target with its password hidden, for logs and messages.
func Redact(target string) string {
	u, err := url.Parse(target)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

// Open connects to the PostgreSQL database at url (a libpq URL) and checks
// that it answers. The pool opens connections as the hub's handlers need
// them (each request's transaction holds one), up to maxConns.
func Open(ctx context.Context, target string, maxConns int) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(target)
	if err != nil {
		return nil, fmt.Errorf("open postgres %s: %w", Redact(target), err)
	}
	db := sql.OpenDB(rebindConnector{stdlib.GetConnector(*cfg)})
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres %s: %w", Redact(target), err)
	}
	return db, nil
}

// Retryable reports whether err is PostgreSQL's abort of a transaction for
// a conflict with a concurrent one: a serialization failure, a deadlock, or
// a unique key another transaction inserted meanwhile (PostgreSQL reports
// that as a serialization failure only when the transaction looked the key
// up itself; one that counted rows to make a number, as the receipts are
// numbered, sees a unique violation). The transaction did nothing and may
// run again; run again, it reads the other's row. A unique violation that
// does not come from a concurrent transaction fails again each time.
func Retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01" || pe.Code == "23505")
}

// Unavailable reports whether err means the server cannot take work now
// (too many connections, shutting down, starting up).
func Unavailable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "53300" || pe.Code == "57P01" || pe.Code == "57P03")
}

// rebindConnector opens pgx's connections with the placeholders rewritten.
type rebindConnector struct{ driver.Connector }

func (c rebindConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &rebindConn{conn.(*stdlib.Conn)}, nil
}

// rebindConn is pgx's connection with every statement rebound; the rest of
// its methods (transactions, ping, session reset, value checks) are its
// own.
type rebindConn struct{ *stdlib.Conn }

func (c *rebindConn) Prepare(query string) (driver.Stmt, error) { return c.Conn.Prepare(Rebind(query)) }

func (c *rebindConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(ctx, Rebind(query))
}

func (c *rebindConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.ExecContext(ctx, Rebind(query), args)
}

func (c *rebindConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.QueryContext(ctx, Rebind(query), args)
}

// CheckNamedValue stores a Go bool as SQLite does, 1 or 0: the schema's
// flags are integers on both engines.
func (c *rebindConn) CheckNamedValue(v *driver.NamedValue) error {
	if b, ok := v.Value.(bool); ok {
		v.Value = int64(0)
		if b {
			v.Value = int64(1)
		}
	}
	return c.Conn.CheckNamedValue(v)
}

// Rebind rewrites SQLite's placeholders, ? (numbered in order) and ?N, to
// PostgreSQL's $N, leaving quoted strings, quoted names and comments as
// they are.
func Rebind(query string) string {
	if !strings.ContainsRune(query, '?') {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	for _, sg := range split(query) {
		if sg.kind != code {
			b.WriteString(sg.text)
			continue
		}
		t := sg.text
		for i := 0; i < len(t); i++ {
			if t[i] != '?' {
				b.WriteByte(t[i])
				continue
			}
			j := i + 1
			for j < len(t) && t[j] >= '0' && t[j] <= '9' {
				j++
			}
			b.WriteByte('$')
			if j > i+1 {
				b.WriteString(t[i+1 : j])
				i = j - 1
			} else {
				n++
				fmt.Fprint(&b, n)
			}
		}
	}
	return b.String()
}

// A segment of SQL text: code, a quoted string or name, or a comment.
type segment struct {
	kind int
	text string
}

const (
	code = iota
	quoted
	comment
)

// split cuts SQL text into its segments; an unclosed quote or comment runs
// to the end.
func split(s string) []segment {
	var out []segment
	start := 0
	cut := func(end int) { // the code before end
		if end > start {
			out = append(out, segment{code, s[start:end]})
		}
	}
	for i := 0; i < len(s); i++ {
		var end, kind int
		switch c := s[i]; {
		case c == '\'' || c == '"':
			end, kind = closing(s, i+1, c), quoted
		case c == '-' && i+1 < len(s) && s[i+1] == '-':
			end, kind = len(s), comment
			if j := strings.IndexByte(s[i:], '\n'); j >= 0 {
				end = i + j
			}
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			end, kind = len(s), comment
			if j := strings.Index(s[i+2:], "*/"); j >= 0 {
				end = i + 2 + j + 2
			}
		default:
			continue
		}
		cut(i)
		out = append(out, segment{kind, s[i:end]})
		start, i = end, end-1
	}
	cut(len(s))
	return out
}

// closing is the index just past the quote q that closes the quoted text
// starting at i (a doubled quote is part of the text), or len(s).
func closing(s string, i int, q byte) int {
	for i < len(s) {
		if s[i] == q {
			if i+1 < len(s) && s[i+1] == q {
				i += 2
				continue
			}
			return i + 1
		}
		i++
	}
	return len(s)
}

// WithConn runs fn on one of db's connections as pgx's own, for what
// database/sql cannot do (COPY).
func WithConn(ctx context.Context, db *sql.DB, fn func(*pgx.Conn) error) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*rebindConn)
		if !ok {
			return fmt.Errorf("not a PostgreSQL connection: %T", dc)
		}
		return fn(c.Conn.Conn())
	})
}
