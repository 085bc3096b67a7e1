// Package sqlstore is the hub's storage: comuni and their keys, devices and
// enrolment codes, operators, the network's anagrafe, the reference
// tables, applied operations and the per-scope change log. It runs on an
// SQLite file, the embedded default for one comune or a small network, or
// on a PostgreSQL database (internal/pgdb) that several hub processes
// share. The SQL is written once, in the subset both engines speak (hence
// the name: the storage in SQL, whichever engine runs it), rather than
// twice in two packages that would drift apart. DB is the one
// implementation of the interfaces of package storage, through which the
// hub's server uses it.
package sqlstore

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	mrand "math/rand/v2"
	"strings"
	"sync/atomic"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/hub/storage/stored"
	"github.com/sportello/sportello/internal/anprdir"
	"github.com/sportello/sportello/internal/hubpin"
	"github.com/sportello/sportello/internal/pgdb"
	"github.com/sportello/sportello/internal/sqlitedb"
)

//go:embed migrations/*.sql migrations/postgres/*.sql
var migrations embed.FS

// DB is the hub's storage.
type DB struct {
	db *sql.DB
	// rd serves the reads every request makes (the token, the device's
	// mark, polls of the change log, download pages): on SQLite a pool of
	// read-only connections beside the one writer, so that they wait
	// neither for a push's commit nor hold it up; on PostgreSQL db itself.
	rd   *sql.DB
	path string // the file, for backups (backup.go); "" on PostgreSQL
	pg   bool   // the database is PostgreSQL
	Now  func() time.Time
	// PublicURL is the hub's address as citizens reach it ("https://…"):
	// the notices of requests link to its follow page. "" leaves the link
	// out. Set it before serving.
	PublicURL string
	// AttachmentQuota bounds the bytes of attachments one device may have
	// stored at the hub, so that a stolen token cannot fill its disk;
	// 0 is DefaultAttachmentQuota.
	AttachmentQuota int64

	// txs and reruns count the writing transactions run, and those run
	// again for a conflict with another transaction (PostgreSQL's
	// serialization failures): the measure of how much SERIALIZABLE
	// costs under load (Conflicts).
	txs, reruns atomic.Int64
}

// Conflicts returns how many writing transactions ran, and how many runs
// a conflict made over again, since the database was opened (always 0
// reruns on SQLite, whose one writer never conflicts).
func (d *DB) Conflicts() (txs, reruns int64) { return d.txs.Load(), d.reruns.Load() }

// DefaultAttachmentQuota is a device's attachment quota unless set: some
// thousands of scanned documents, years of a counter's requests.
const DefaultAttachmentQuota = 4 << 30

// Open opens or creates the hub database and migrates it: target is the
// SQLite file, or the URL of a PostgreSQL database ("postgres://…").
func Open(ctx context.Context, target string) (*DB, error) {
	if pgdb.IsURL(target) {
		return openPostgres(ctx, target)
	}
	path := target
	db, err := sqlitedb.Open(path)
	if err != nil {
		return nil, err
	}
	sub, _ := fs.Sub(migrations, "migrations")
	if err := sqlitedb.Migrate(ctx, db, sub); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate hub database: %w", err)
	}
	rd, err := sqlitedb.OpenReadPool(path, readConns)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &DB{db: db, rd: rd, path: path, Now: time.Now}, nil
}

// readConns bounds the read-only connections of a hub on SQLite: more
// than the machine's cores serve nothing faster.
const readConns = 4

// pgConns bounds the connections of one hub process to PostgreSQL: every
// request's transaction holds one, and a server's default allows 100 in
// all, for the hub processes and the DBA.
const pgConns = 20

// pgLock is the advisory lock that makes hub processes migrating one
// PostgreSQL database at once take turns.
const pgLock = `SELECT pg_advisory_xact_lock(7308270001)`

func openPostgres(ctx context.Context, target string) (*DB, error) {
	db, err := pgdb.Open(ctx, target, pgConns)
	if err != nil {
		return nil, err
	}
	if err := sqlitedb.MigrateDialect(ctx, db, migrationsFS(), pgDialect); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate hub database: %w", err)
	}
	return &DB{db: db, rd: db, pg: true, Now: time.Now}, nil
}

// pgDialect runs the migrations on PostgreSQL: the file's twin in
// migrations/postgres where it has one, its translation otherwise.
var pgDialect = sqlitedb.Dialect{Lock: pgLock, Script: func(name string, body []byte) (string, error) {
	if twin, err := migrations.ReadFile("migrations/postgres/" + name); err == nil {
		return string(twin), nil
	}
	return pgdb.Translate(string(body)), nil
}}

// Postgres reports whether the hub's database is PostgreSQL.
func (d *DB) Postgres() bool { return d.pg }

// Close closes the database.
func (d *DB) Close() error {
	if d.rd != d.db {
		d.rd.Close()
	}
	return d.db.Close()
}

func (d *DB) now() time.Time { return d.Now().UTC() }

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// tx runs fn in a transaction, committed when fn returns nil.
//
// On PostgreSQL the transaction is SERIALIZABLE: its outcome is that of
// some order of the transactions of every hub process, one at a time, as
// on SQLite. When the server aborts it for a conflict with another, fn
// runs again from the start (fn must only set, never add to, what it
// leaves outside), up to pgAttempts times.
func (d *DB) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	d.txs.Add(1)
	if !d.pg {
		return runTx(ctx, d.db, nil, fn)
	}
	var err error
	for attempt := 0; attempt < pgAttempts; attempt++ {
		if attempt > 0 {
			d.reruns.Add(1)
			// Back off, jittered, so that the transactions that collided
			// do not collide again.
			wait := time.Duration(1+mrand.IntN(4<<min(attempt, 6))) * time.Millisecond
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(wait):
			}
		}
		err = runTx(ctx, d.db, &sql.TxOptions{Isolation: sql.LevelSerializable}, fn)
		if !pgdb.Retryable(err) {
			return err
		}
	}
	return err
}

// readTx runs fn in a transaction that only reads, on the read
// connections: one consistent state of the database, the commits made
// before it began, without waiting for a writer.
func (d *DB) readTx(ctx context.Context, fn func(*sql.Tx) error) error {
	if !d.pg {
		return runTx(ctx, d.rd, nil, fn)
	}
	return runTx(ctx, d.rd, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}, fn)
}

// pgAttempts bounds the runs of one transaction on PostgreSQL.
const pgAttempts = 12

func runTx(ctx context.Context, db *sql.DB, opts *sql.TxOptions, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// RootKey returns the network's root key, creating it on first use.
func (d *DB) RootKey(ctx context.Context) (ed25519.PrivateKey, error) {
	var key ed25519.PrivateKey
	err := d.tx(ctx, func(tx *sql.Tx) error {
		var err error
		key, err = rootKey(ctx, tx, d.now())
		return err
	})
	return key, err
}

func rootKey(ctx context.Context, tx *sql.Tx, now time.Time) (ed25519.PrivateKey, error) {
	var b []byte
	err := tx.QueryRowContext(ctx, `SELECT root_key FROM network WHERE id = 1`).Scan(&b)
	if err == nil {
		return ed25519.PrivateKey(b), nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("read root key: %w", err)
	}
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO network (id, root_key, created_at) VALUES (1, ?, ?)`, []byte(key), ts(now)); err != nil {
		return nil, fmt.Errorf("store root key: %w", err)
	}
	return key, nil
}

// EnsureComune adds a comune to the network with its own key, certified by
// the root key; an existing comune is left as it is.
func (d *DB) EnsureComune(ctx context.Context, code, name string) error {
	if !app.ValidBelfiore(code) || code[0] == 'Z' {
		return app.Errorf(app.EINVALID, "codice del comune non valido %q", code)
	}
	if strings.TrimSpace(name) == "" {
		return app.Errorf(app.EINVALID, "nome del comune mancante")
	}
	return d.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM comuni WHERE code = ?`, code).Scan(&n); err != nil || n > 0 {
			return err
		}
		root, err := rootKey(ctx, tx, d.now())
		if err != nil {
			return err
		}
		pub, key, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return err
		}
		cert := stored.KeyCert(app.SignKeyCert(root, app.IssuerRoot, app.ComuneSubject(code), pub, d.now()))
		if _, err := tx.ExecContext(ctx, `INSERT INTO comuni (code, name, private_key, cert, created_at) VALUES (?, ?, ?, ?, ?)`,
			code, name, []byte(key), cert, ts(d.now())); err != nil {
			return fmt.Errorf("insert comune %s: %w", code, err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO scopes (scope) VALUES (?) ON CONFLICT DO NOTHING`, code)
		return err
	})
}

// Comune returns a comune; ENOTFOUND if it is not in the network.
func (d *DB) Comune(ctx context.Context, code string) (*Comune, error) {
	return comune(ctx, d.db, code)
}

type queryer interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func comune(ctx context.Context, q queryer, code string) (*Comune, error) {
	c := &Comune{Code: code}
	var key []byte
	var cert string
	err := q.QueryRowContext(ctx, `SELECT name, private_key, cert FROM comuni WHERE code = ?`, code).Scan(&c.Name, &key, &cert)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, app.Errorf(app.ENOTFOUND, "il comune %s non fa parte della rete", code)
	}
	if err != nil {
		return nil, fmt.Errorf("read comune %s: %w", code, err)
	}
	c.Key = key
	if c.Cert, err = stored.DecodeKeyCert([]byte(cert)); err != nil {
		return nil, fmt.Errorf("comune %s cert: %w", code, err)
	}
	return c, nil
}

// Comuni lists the comuni of the network.
func (d *DB) Comuni(ctx context.Context) ([]Comune, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT code FROM comuni ORDER BY code`)
	if err != nil {
		return nil, err
	}
	var codes []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return nil, err
		}
		codes = append(codes, c)
	}
	rows.Close()
	var out []Comune
	for _, code := range codes {
		c, err := d.Comune(ctx, code)
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, nil
}

// appendChange numbers a change in its scope and stores it. Updating the
// scope row first takes its lock for the rest of the transaction, so
// changes of a scope commit in the order of their numbers (this matters
// under PostgreSQL's row locks too: a client reading "after N" must never
// see N+2 before N+1 is visible).
func appendChange(ctx context.Context, tx *sql.Tx, scope string, c app.Change) (int64, error) {
	if _, err := tx.ExecContext(ctx, `INSERT INTO scopes (scope) VALUES (?) ON CONFLICT DO NOTHING`, scope); err != nil {
		return 0, err
	}
	var seq int64
	if err := tx.QueryRowContext(ctx, `UPDATE scopes SET seq = seq + 1 WHERE scope = ? RETURNING seq`, scope).Scan(&seq); err != nil {
		return 0, fmt.Errorf("number change in %s: %w", scope, err)
	}
	c.Seq = seq
	payload, err := stored.Change(c)
	if err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO changes (scope, seq, kind, key, payload) VALUES (?, ?, ?, ?, ?)`, scope, seq, c.Kind, c.Key, payload); err != nil {
		return 0, fmt.Errorf("store change %s/%d: %w", scope, seq, err)
	}
	return seq, nil
}

// NewEnrollCode returns a one-time enrolment code for a workstation of the
// comune, valid for ttl. Only its hash is stored.
func (d *DB) NewEnrollCode(ctx context.Context, comuneCode string, ttl time.Duration) (string, error) {
	return d.NewEnrollCodeFor(ctx, comuneCode, RoleCounter, ttl)
}

// NewEnrollCodeFor is NewEnrollCode for a workstation of the given role:
// the role is the administrator's word, fixed at the hub, never the
// workstation's.
func (d *DB) NewEnrollCodeFor(ctx context.Context, comuneCode string, role DeviceRole, ttl time.Duration) (string, error) {
	if !role.Valid() {
		return "", app.Errorf(app.EINVALID, "ruolo della postazione non valido %q: sportello, chiosco o tabellone", role)
	}
	if _, err := d.Comune(ctx, comuneCode); err != nil {
		return "", err
	}
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	raw := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b) // 16 chars, no 0/1/8/9 confusion
	code := raw[0:4] + "-" + raw[4:8] + "-" + raw[8:12] + "-" + raw[12:16]
	_, err := d.db.ExecContext(ctx, `INSERT INTO enroll_codes (code_hash, comune, expires_at, role) VALUES (?, ?, ?, ?)`,
		hashSecret(normalizeCode(code)), comuneCode, ts(d.now().Add(ttl)), string(role))
	if err != nil {
		return "", fmt.Errorf("store enrolment code: %w", err)
	}
	return code, nil
}

// normalizeCode is the one-time part of a code as typed: capitals, no
// dashes or spaces, and without the hub's fingerprint that follows it when
// the code carries one (hubpin; the workstation checks it, the hub knows
// its own).
func normalizeCode(s string) string {
	s = strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(s))
	if len(s) == hubpin.CodeLen+hubpin.PinLen {
		s = s[:hubpin.CodeLen]
	}
	return s
}

func hashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// Enroll redeems a one-time code: the workstation's key is certified by its
// comune's key and a bearer token is issued. The code cannot be used again.
// EUNAUTHORIZED for an unknown, used or expired code.
func (d *DB) Enroll(ctx context.Context, code, name string, pub ed25519.PublicKey) (*Enrollment, error) {
	if len(pub) != ed25519.PublicKeySize {
		return nil, app.Errorf(app.EINVALID, "chiave pubblica della postazione non valida")
	}
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 {
		return nil, app.Errorf(app.EINVALID, "nome della postazione mancante o troppo lungo")
	}
	var e Enrollment
	err := d.tx(ctx, func(tx *sql.Tx) error {
		var comuneCode, expires, role string
		var used sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT comune, expires_at, used_by, role FROM enroll_codes WHERE code_hash = ?`,
			hashSecret(normalizeCode(code))).Scan(&comuneCode, &expires, &used, &role)
		if errors.Is(err, sql.ErrNoRows) {
			return app.Errorf(app.EUNAUTHORIZED, "codice di attivazione sconosciuto")
		}
		if err != nil {
			return err
		}
		if used.Valid {
			return ErrCodeUsed
		}
		if exp, _ := time.Parse(time.RFC3339Nano, expires); d.now().After(exp) {
			return app.Errorf(app.EUNAUTHORIZED, "codice di attivazione scaduto")
		}
		com, err := comune(ctx, tx, comuneCode)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM devices WHERE comune = ?`, comuneCode).Scan(&n); err != nil {
			return err
		}
		device := fmt.Sprintf("%s-W%03d", comuneCode, n+1)
		cert := app.SignKeyCert(com.Key, app.ComuneSubject(comuneCode), app.DeviceSubject(device), pub, d.now())
		tok := make([]byte, 32)
		if _, err := rand.Read(tok); err != nil {
			return err
		}
		e.Token = hex.EncodeToString(tok)
		e.Device = app.DeviceKey{Device: device, Comune: comuneCode, Cert: cert}
		if _, err := tx.ExecContext(ctx, `INSERT INTO devices (id, comune, name, cert, token_hash, enrolled_at, role) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			device, comuneCode, name, stored.KeyCert(cert), hashSecret(e.Token), ts(d.now()), role); err != nil {
			return fmt.Errorf("insert device: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE enroll_codes SET used_by = ? WHERE code_hash = ?`, device, hashSecret(normalizeCode(code))); err != nil {
			return err
		}
		// Verifiers anywhere learn the new key through the network scope.
		if _, err := appendChange(ctx, tx, app.ScopeNetwork, app.Change{Kind: app.ChangeDevice, Key: device, At: d.now(), Device: &e.Device}); err != nil {
			return err
		}
		root, err := rootKey(ctx, tx, d.now())
		if err != nil {
			return err
		}
		e.ComuneName, e.ComuneCert, e.RootKey = com.Name, com.Cert, root.Public().(ed25519.PublicKey)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &e, nil
}

// Reenroll answers an enrolment repeated with a used code: when the code
// has not expired and was redeemed by a workstation with the key pub (the
// caller has checked that the requester holds it), that workstation's
// enrolment is returned again, with a new token that replaces the old one
// (only its hash was kept, and the old one never reached the workstation).
// Otherwise EUNAUTHORIZED, as for any used code: another key is refused.
func (d *DB) Reenroll(ctx context.Context, code string, pub ed25519.PublicKey) (*Enrollment, error) {
	var e Enrollment
	err := d.tx(ctx, func(tx *sql.Tx) error {
		var expires, device, comuneCode, certJSON string
		var revoked sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT c.expires_at, d.id, d.comune, d.cert, d.revoked_at
			FROM enroll_codes c JOIN devices d ON d.id = c.used_by WHERE c.code_hash = ?`,
			hashSecret(normalizeCode(code))).Scan(&expires, &device, &comuneCode, &certJSON, &revoked)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrCodeUsed
		}
		if err != nil {
			return err
		}
		cert, err := stored.DecodeKeyCert([]byte(certJSON))
		if err != nil {
			return fmt.Errorf("device %s certificate: %w", device, err)
		}
		if exp, _ := time.Parse(time.RFC3339Nano, expires); revoked.Valid || d.now().After(exp) || !bytes.Equal(cert.PublicKey, pub) {
			return ErrCodeUsed
		}
		com, err := comune(ctx, tx, comuneCode)
		if err != nil {
			return err
		}
		tok := make([]byte, 32)
		if _, err := rand.Read(tok); err != nil {
			return err
		}
		e.Token = hex.EncodeToString(tok)
		if _, err := tx.ExecContext(ctx, `UPDATE devices SET token_hash = ? WHERE id = ?`, hashSecret(e.Token), device); err != nil {
			return fmt.Errorf("renew token of %s: %w", device, err)
		}
		root, err := rootKey(ctx, tx, d.now())
		if err != nil {
			return err
		}
		e.Device = app.DeviceKey{Device: device, Comune: comuneCode, Cert: cert}
		e.ComuneName, e.ComuneCert, e.RootKey = com.Name, com.Cert, root.Public().(ed25519.PublicKey)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &e, nil
}

// DeviceByToken authenticates a bearer token: EUNAUTHORIZED when unknown or
// revoked.
func (d *DB) DeviceByToken(ctx context.Context, token string) (*Device, error) {
	dev := &Device{}
	var revoked sql.NullString
	err := d.rd.QueryRowContext(ctx, `SELECT id, comune, role, revoked_at FROM devices WHERE token_hash = ?`, hashSecret(token)).Scan(&dev.ID, &dev.Comune, &dev.Role, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, app.Errorf(app.EUNAUTHORIZED, "postazione non riconosciuta: ripetere l'attivazione")
	}
	if err != nil {
		return nil, err
	}
	if revoked.Valid {
		return nil, app.Errorf(app.EUNAUTHORIZED, "postazione revocata")
	}
	return dev, nil
}

// RevokeDevice revokes a workstation: its token stops working at once and
// the revocation of its key reaches every verifier through the network
// scope of the change log.
func (d *DB) RevokeDevice(ctx context.Context, device string) error {
	return d.tx(ctx, func(tx *sql.Tx) error {
		var comuneCode, certJSON string
		err := tx.QueryRowContext(ctx, `SELECT comune, cert FROM devices WHERE id = ?`, device).Scan(&comuneCode, &certJSON)
		if errors.Is(err, sql.ErrNoRows) {
			return app.Errorf(app.ENOTFOUND, "postazione %s sconosciuta", device)
		}
		if err != nil {
			return err
		}
		now := d.now()
		if _, err := tx.ExecContext(ctx, `UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, ts(now), device); err != nil {
			return err
		}
		// A revoked device will not send back what a restored hub lacks:
		// its comune no longer waits for it (recovery.go).
		if _, _, err := releaseTx(ctx, tx, device, "revoked", "revoke-device", "postazione revocata", now); err != nil {
			return err
		}
		cert, err := stored.DecodeKeyCert([]byte(certJSON))
		if err != nil {
			return fmt.Errorf("device %s certificate: %w", device, err)
		}
		dk := app.DeviceKey{Device: device, Comune: comuneCode, Cert: cert, RevokedAt: now}
		_, err = appendChange(ctx, tx, app.ScopeNetwork, app.Change{Kind: app.ChangeDevice, Key: device, At: now, Device: &dk})
		return err
	})
}

// PutOperator creates or updates an operator account; the change reaches
// the comune's workstations.
func (d *DB) PutOperator(ctx context.Context, op app.Operator) error {
	op.UpdatedAt = d.now()
	if err := op.Validate(); err != nil {
		return err
	}
	data := stored.Operator(&op)
	return d.tx(ctx, func(tx *sql.Tx) error {
		if _, err := comune(ctx, tx, op.Comune); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO operators (username, comune, data) VALUES (?, ?, ?)
			ON CONFLICT (username) DO UPDATE SET comune = excluded.comune, data = excluded.data`, op.Username, op.Comune, data); err != nil {
			return fmt.Errorf("store operator: %w", err)
		}
		if err := putOperatorKey(ctx, tx, &op); err != nil {
			return err
		}
		_, err := appendChange(ctx, tx, op.Comune, app.Change{Kind: app.ChangeOperator, Key: op.Username, At: op.UpdatedAt, Operator: &op})
		return err
	})
}

// putOperatorKey makes op's public key the operator's current one, the
// previous one replaced now but kept: operations signed with it before the
// change still verify (checkProof). An account without a key keeps its
// keys as they are.
func putOperatorKey(ctx context.Context, tx *sql.Tx, op *app.Operator) error {
	if len(op.PublicKey) == 0 {
		return nil
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM operator_keys WHERE comune = ? AND username = ? AND public_key = ? AND replaced_at = ''`,
		op.Comune, op.Username, op.PublicKey).Scan(&n); err != nil || n > 0 {
		return err
	}
	at := ts(op.UpdatedAt)
	if _, err := tx.ExecContext(ctx, `UPDATE operator_keys SET replaced_at = ? WHERE comune = ? AND username = ? AND replaced_at = ''`,
		at, op.Comune, op.Username); err != nil {
		return fmt.Errorf("replace operator key: %w", err)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO operator_keys (comune, username, public_key, valid_from) VALUES (?, ?, ?, ?)
		ON CONFLICT (comune, username, public_key) DO UPDATE SET valid_from = excluded.valid_from, replaced_at = ''`,
		op.Comune, op.Username, op.PublicKey, at)
	if err != nil {
		return fmt.Errorf("store operator key: %w", err)
	}
	return nil
}

// ImportReference replaces the reference tables and publishes them to the
// whole network in one change.
func (d *DB) ImportReference(ctx context.Context, t *anpr.Tables) error {
	if err := t.Validate(); err != nil {
		return app.Errorf(app.EINVALID, "tabelle di riferimento non valide: %v", err)
	}
	b, err := json.Marshal(t)
	if err != nil {
		return err
	}
	return d.tx(ctx, func(tx *sql.Tx) error {
		now := d.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO reference (id, data, updated_at) VALUES (1, ?, ?)
			ON CONFLICT (id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`, string(b), ts(now)); err != nil {
			return err
		}
		// Older reference changes are superseded: drop them so the
		// network scope stays small for a new workstation's first pull.
		if _, err := tx.ExecContext(ctx, `DELETE FROM changes WHERE scope = ? AND kind = ?`, app.ScopeNetwork, app.ChangeReference); err != nil {
			return err
		}
		_, err := appendChange(ctx, tx, app.ScopeNetwork, app.Change{Kind: app.ChangeReference, Key: "anpr", At: now, Reference: t})
		return err
	})
}

// Reference returns the reference tables, the full ones built into the
// binary before any import.
func (d *DB) Reference(ctx context.Context) (*anpr.Tables, error) {
	var data string
	err := d.db.QueryRowContext(ctx, `SELECT data FROM reference WHERE id = 1`).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return anprdir.BuiltIn(), nil
	}
	if err != nil {
		return nil, err
	}
	var t anpr.Tables
	if err := json.Unmarshal([]byte(data), &t); err != nil {
		return nil, fmt.Errorf("decode reference tables: %w", err)
	}
	return &t, nil
}

// OperatorComune returns the comune of an operator account; ENOTFOUND when
// there is none.
func (d *DB) OperatorComune(ctx context.Context, username string) (string, error) {
	var c string
	err := d.db.QueryRowContext(ctx, `SELECT comune FROM operators WHERE username = ?`, username).Scan(&c)
	if errors.Is(err, sql.ErrNoRows) {
		return "", app.Errorf(app.ENOTFOUND, "operatore %s sconosciuto", username)
	}
	return c, err
}
