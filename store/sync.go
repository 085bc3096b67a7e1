package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/app/cf"
	"github.com/sportello/sportello/internal/anprdir"
)

// Profile returns the workstation's enrolment, ENOTFOUND before it.
func (s *Store) Profile(ctx context.Context) (*app.Profile, error) {
	var (
		p                app.Profile
		enrolled         string
		devCert, comCert string
		refused          string
	)
	err := s.db.QueryRowContext(ctx, `SELECT device, comune, comune_name, hub_url, token,
		private_key, public_key, cert, root_key, enrolled_at, device_cert, comune_cert, refused_at, hub_pin FROM profile WHERE id = 1`).
		Scan(&p.Device, &p.Comune, &p.ComuneName, &p.HubURL, &p.Token,
			&p.PrivateKey, &p.PublicKey, &p.Cert, &p.RootKey, &enrolled, &devCert, &comCert, &refused, &p.HubPin)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, app.Errorf(app.ENOTFOUND, "postazione non ancora registrata presso il centro servizi")
	}
	if err != nil {
		return nil, fmt.Errorf("profile: %w", err)
	}
	if p.EnrolledAt, err = parseTime(enrolled); err != nil {
		return nil, fmt.Errorf("profile: %w", err)
	}
	if at, why, ok := strings.Cut(refused, " "); ok {
		if p.RefusedAt, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("profile: %w", err)
		}
		p.RefusedWhy = why
	}
	for _, c := range []struct {
		s   string
		dst *app.KeyCert
	}{{devCert, &p.DeviceCert}, {comCert, &p.ComuneCert}} {
		if c.s == "" {
			continue // enrolled before the chain was kept: no stamps until enrolled again
		}
		if err := json.Unmarshal([]byte(c.s), c.dst); err != nil {
			return nil, fmt.Errorf("profile key chain: %w", err)
		}
	}
	return &p, nil
}

// SaveProfile stores the workstation's enrolment, replacing any previous
// one. The audit chain and the outbox are per device, so a new device id
// starts a new chain; operations of the old one stay queued.
func (s *Store) SaveProfile(ctx context.Context, p *app.Profile) error {
	if p.Device == "" || p.Comune == "" {
		return app.Errorf(app.EINVALID, "registrazione della postazione incompleta: mancano postazione o comune")
	}
	var chain [2]string
	for i, c := range []app.KeyCert{p.DeviceCert, p.ComuneCert} {
		if c.Signature == nil {
			continue
		}
		b, err := json.Marshal(c)
		if err != nil {
			return fmt.Errorf("save profile: %w", err)
		}
		chain[i] = string(b)
	}
	_, err := s.exec(ctx, `INSERT OR REPLACE INTO profile (id, device, comune, comune_name, hub_url, token,
		private_key, public_key, cert, root_key, enrolled_at, device_cert, comune_cert, refused_at, hub_pin) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.Device, p.Comune, p.ComuneName, p.HubURL, p.Token, p.PrivateKey, p.PublicKey, p.Cert, p.RootKey, formatTime(p.EnrolledAt),
		chain[0], chain[1], refusedText(p), p.HubPin)
	if err != nil {
		return fmt.Errorf("save profile: %w", err)
	}
	return nil
}

// refusedText keeps the time and the hub's word in one column.
func refusedText(p *app.Profile) string {
	if p.RefusedAt.IsZero() {
		return ""
	}
	return formatTime(p.RefusedAt) + " " + p.RefusedWhy
}

// Cursor returns how far scope has been applied: the zero Cursor of the
// scope when nothing has.
func (s *Store) Cursor(ctx context.Context, scope string) (app.Cursor, error) {
	cur, err := readCursor(ctx, s.db, scope)
	if err != nil {
		return app.Cursor{}, fmt.Errorf("cursor %s: %w", scope, err)
	}
	return cur, nil
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func readCursor(ctx context.Context, q querier, scope string) (app.Cursor, error) {
	cur := app.Cursor{Scope: scope}
	var asOf string
	err := q.QueryRowContext(ctx, `SELECT seq, as_of FROM cursors WHERE scope = ?`, scope).Scan(&cur.Seq, &asOf)
	if errors.Is(err, sql.ErrNoRows) {
		return cur, nil
	}
	if err != nil {
		return app.Cursor{}, err
	}
	cur.AsOf, err = parseTime(asOf)
	return cur, err
}

func writeCursor(ctx context.Context, tx *sql.Tx, cur app.Cursor) error {
	_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO cursors (scope, seq, as_of) VALUES (?, ?, ?)`,
		cur.Scope, cur.Seq, formatTime(cur.AsOf))
	return err
}

// ApplyChanges applies a page of the change log of scope and moves its
// cursor to to, in one transaction. Changes at or below the current cursor
// were applied already and are skipped, so a page received twice (the
// answer to a request whose commit the client did not see) is harmless. A
// change that does not make sense (an invalid citizen, an unknown kind, a
// change of another scope or beyond to) aborts the whole page with
// EINVALID: nothing of it is applied and the cursor stays, so the same page
// comes again once the hub or the client is fixed.
func (s *Store) ApplyChanges(ctx context.Context, scope string, changes []app.Change, to app.Cursor) error {
	if to.Scope != "" && to.Scope != scope {
		return app.Errorf(app.EINVALID, "aggiornamenti incoerenti: cursore dell'ambito %q per l'ambito %q", to.Scope, scope)
	}
	to.Scope = scope
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		cur, err := readCursor(ctx, tx, scope)
		if err != nil {
			return err
		}
		for i := range changes {
			ch := &changes[i]
			switch {
			case ch.Scope != "" && ch.Scope != scope:
				return app.Errorf(app.EINVALID, "modifica %d (%s %s) dell'ambito %q ricevuta per l'ambito %q", ch.Seq, ch.Kind, ch.Key, ch.Scope, scope)
			case ch.Seq > to.Seq:
				return app.Errorf(app.EINVALID, "modifica %d (%s %s) oltre la posizione %d della pagina", ch.Seq, ch.Kind, ch.Key, to.Seq)
			case ch.Seq <= cur.Seq:
				continue
			}
			if err := applyChange(ctx, tx, ch); err != nil {
				return err
			}
		}
		if to.Seq < cur.Seq {
			return nil // a page older than the cursor: never move back
		}
		return writeCursor(ctx, tx, to)
	})
	if err != nil {
		return fmt.Errorf("apply changes %s up to %d: %w", scope, to.Seq, err)
	}
	return nil
}

// applyChange writes the whole new state of one record.
func applyChange(ctx context.Context, tx *sql.Tx, ch *app.Change) error {
	var err error
	switch ch.Kind {
	case app.ChangeCitizen:
		switch {
		case ch.Deleted:
			_, err = tx.ExecContext(ctx, `DELETE FROM citizens WHERE codice_fiscale = ?`, cf.Normalize(ch.Key))
		case ch.Citizen == nil:
			return app.Errorf(app.EINVALID, "cittadino %s: modifica senza dati", ch.Key)
		case cf.Normalize(ch.Citizen.CodiceFiscale) != cf.Normalize(ch.Key):
			return app.Errorf(app.EINVALID, "cittadino %s: i dati sono di %s", ch.Key, ch.Citizen.CodiceFiscale)
		default:
			if err := ch.Citizen.Validate(); err != nil {
				return invalidCitizen(ch.Key, err)
			}
			err = upsertCitizens(ctx, tx, []app.Citizen{*ch.Citizen}, nil)
		}
	case app.ChangeOperator:
		switch {
		case ch.Deleted:
			_, err = tx.ExecContext(ctx, `DELETE FROM operators WHERE username = ?`, ch.Key)
		case ch.Operator == nil:
			return app.Errorf(app.EINVALID, "operatore %s: modifica senza dati", ch.Key)
		case ch.Operator.Username != ch.Key:
			return app.Errorf(app.EINVALID, "operatore %s: i dati sono di %s", ch.Key, ch.Operator.Username)
		default:
			if err := ch.Operator.Validate(); err != nil {
				return app.Errorf(app.EINVALID, "operatore %s: %s", ch.Key, app.ErrorMessage(err))
			}
			err = upsertOperator(ctx, tx, ch.Operator)
		}
	case app.ChangeReference:
		switch {
		case ch.Deleted:
			// Back to the built-in tables.
			_, err = tx.ExecContext(ctx, `DELETE FROM reference`)
		case ch.Reference == nil:
			return app.Errorf(app.EINVALID, "tabelle di riferimento: modifica senza dati")
		default:
			err = saveReference(ctx, tx, ch.Reference, ch.At)
		}
	case app.ChangeDevice:
		switch {
		case ch.Deleted:
			_, err = tx.ExecContext(ctx, `DELETE FROM device_keys WHERE device = ?`, ch.Key)
		case ch.Device == nil:
			return app.Errorf(app.EINVALID, "postazione %s: modifica senza dati", ch.Key)
		case ch.Device.Device != ch.Key:
			return app.Errorf(app.EINVALID, "postazione %s: i dati sono di %s", ch.Key, ch.Device.Device)
		default:
			d := ch.Device
			_, err = tx.ExecContext(ctx, `INSERT OR REPLACE INTO device_keys (device, comune, subject, issuer,
				public_key, not_before, signature, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
				d.Device, d.Comune, d.Cert.Subject, d.Cert.Issuer, d.Cert.PublicKey, formatTime(d.Cert.NotBefore),
				d.Cert.Signature, formatTime(d.RevokedAt))
		}
	default:
		if ch.Record == nil && !ch.Deleted {
			// Skipping it would lose it for good once the cursor moves
			// past: stop, so that the page is applied by a client that
			// knows it.
			return app.Errorf(app.EINVALID, "modifica %d di tipo sconosciuto %q: aggiornare il programma", ch.Seq, ch.Kind)
		}
		// A record of the hub beyond the anagrafe: kept as it came, read
		// by its kind's package.
		switch {
		case ch.Deleted:
			_, err = tx.ExecContext(ctx, `DELETE FROM records WHERE kind = ? AND key = ?`, ch.Kind, ch.Key)
		case ch.Record.Kind != ch.Kind || ch.Record.Key != ch.Key:
			return app.Errorf(app.EINVALID, "record %s/%s: i dati sono di %s/%s", ch.Kind, ch.Key, ch.Record.Kind, ch.Record.Key)
		default:
			err = upsertRecord(ctx, tx, ch.Scope, ch.Record, nil)
		}
	}
	if err != nil {
		return fmt.Errorf("%s %s: %w", ch.Kind, ch.Key, err)
	}
	return nil
}

// DeviceKey returns the public key of a workstation of the network, to
// check the stamp of a certificate offline; ENOTFOUND for an unknown device.
func (s *Store) DeviceKey(ctx context.Context, device string) (*app.DeviceKey, error) {
	var (
		d                  app.DeviceKey
		notBefore, revoked string
	)
	err := s.db.QueryRowContext(ctx, `SELECT device, comune, subject, issuer, public_key, not_before, signature, revoked_at
		FROM device_keys WHERE device = ?`, device).
		Scan(&d.Device, &d.Comune, &d.Cert.Subject, &d.Cert.Issuer, &d.Cert.PublicKey, &notBefore, &d.Cert.Signature, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, app.Errorf(app.ENOTFOUND, "postazione %s sconosciuta", device)
	}
	if err != nil {
		return nil, fmt.Errorf("device key %s: %w", device, err)
	}
	if d.Cert.NotBefore, err = parseTime(notBefore); err != nil {
		return nil, fmt.Errorf("device key %s: %w", device, err)
	}
	if d.RevokedAt, err = parseTime(revoked); err != nil {
		return nil, fmt.Errorf("device key %s: %w", device, err)
	}
	return &d, nil
}

// Reference returns the reference tables the hub last sent, or the
// built-in ones before it has sent any.
func (s *Store) Reference(ctx context.Context) (*anpr.Tables, error) {
	var js string
	err := s.db.QueryRowContext(ctx, `SELECT tables FROM reference WHERE id = 1`).Scan(&js)
	if errors.Is(err, sql.ErrNoRows) {
		return anprdir.BuiltIn(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("reference tables: %w", err)
	}
	var t anpr.Tables
	if err := json.Unmarshal([]byte(js), &t); err != nil {
		return nil, fmt.Errorf("reference tables: %w", err)
	}
	return &t, nil
}

// SaveReference replaces the reference tables (the CLI's import; sync
// brings them as a ChangeReference).
func (s *Store) SaveReference(ctx context.Context, t *anpr.Tables) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error { return saveReference(ctx, tx, t, time.Now()) })
	if err != nil {
		return fmt.Errorf("save reference tables: %w", err)
	}
	return nil
}

func saveReference(ctx context.Context, tx *sql.Tx, t *anpr.Tables, at time.Time) error {
	js, err := json.Marshal(t)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT OR REPLACE INTO reference (id, tables, updated_at) VALUES (1, ?, ?)`, string(js), formatTime(at))
	return err
}

// Snapshot returns the initial download of scope in progress, nil if none.
func (s *Store) Snapshot(ctx context.Context, scope string) (*app.SnapshotState, error) {
	st := app.SnapshotState{Scope: scope}
	var started string
	err := s.db.QueryRowContext(ctx, `SELECT seq, after, done, total, started FROM snapshot_state WHERE scope = ?`, scope).
		Scan(&st.Seq, &st.After, &st.Done, &st.Total, &started)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("snapshot %s: %w", scope, err)
	}
	if st.Started, err = parseTime(started); err != nil {
		return nil, fmt.Errorf("snapshot %s: %w", scope, err)
	}
	return &st, nil
}

// PutSnapshotPage writes a page of the initial download of st.Scope and the
// download's new state in one transaction, so that an interrupted download
// resumes after the last page written. The rows are marked with st.Seq, the
// position the hub took the snapshot at: FinishSnapshot keeps the marked
// rows of the scope and drops the others. A download restarted at another
// position marks the rows again. An invalid citizen aborts the page with
// EINVALID. The first page also carries the comune's operators.
func (s *Store) PutSnapshotPage(ctx context.Context, st app.SnapshotState, citizens []app.Citizen, operators []app.Operator, records []app.Record) error {
	if err := validateCitizens(citizens); err != nil {
		return err
	}
	for i := range operators {
		if err := operators[i].Validate(); err != nil {
			return fmt.Errorf("operatore %s: %w", operators[i].Username, err)
		}
	}
	err := s.inLoadTx(ctx, func(tx *sql.Tx) error {
		if err := dropSearchIndexesIfEmpty(ctx, tx, st.Scope); err != nil {
			return err
		}
		if err := upsertCitizens(ctx, tx, citizens, st.Seq); err != nil {
			return err
		}
		for i := range operators {
			if err := upsertOperator(ctx, tx, &operators[i]); err != nil {
				return err
			}
		}
		for i := range records {
			if err := upsertRecord(ctx, tx, st.Scope, &records[i], st.Seq); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO snapshot_state (scope, seq, after, done, total, started)
			VALUES (?, ?, ?, ?, ?, ?)`, st.Scope, st.Seq, st.After, st.Done, st.Total, formatTime(st.Started))
		return err
	})
	if err != nil {
		return fmt.Errorf("snapshot %s page after %q: %w", st.Scope, st.After, err)
	}
	return nil
}

// searchIndexes are the citizens' secondary indexes (001_init.sql; a test
// holds them to the schema). A first download into an empty cache drops
// them and FinishSnapshot builds them once over the whole anagrafe: SQLite
// sorts a million keys in a second, while keeping three indexes up to
// date row by row costs several times the insert itself.
var searchIndexes = []string{
	`CREATE INDEX IF NOT EXISTS citizens_surname ON citizens (surname_key, given_key, birth_date)`,
	`CREATE INDEX IF NOT EXISTS citizens_given ON citizens (given_key, surname_key, birth_date)`,
	`CREATE INDEX IF NOT EXISTS citizens_family ON citizens (family_id)`,
}

// dropSearchIndexesIfEmpty drops the search indexes when the download of
// scope starts on a cache that holds no citizen. In the page's own
// transaction: a download killed before its first page keeps them, one
// killed later resumes without them, and FinishSnapshot (or the next Open,
// once no download is in progress) builds them.
func dropSearchIndexesIfEmpty(ctx context.Context, tx *sql.Tx, scope string) error {
	var started, any int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM snapshot_state WHERE scope = ?`, scope).Scan(&started); err != nil {
		return err
	}
	if started > 0 {
		return nil
	}
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM citizens)`).Scan(&any); err != nil {
		return err
	}
	if any != 0 {
		return nil
	}
	for _, ix := range []string{"citizens_surname", "citizens_given", "citizens_family"} {
		if _, err := tx.ExecContext(ctx, `DROP INDEX IF EXISTS `+ix); err != nil {
			return err
		}
	}
	return nil
}

// createSearchIndexes builds the search indexes a bulk download dropped;
// nothing when they are there.
func createSearchIndexes(ctx context.Context, q interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}) error {
	for _, ix := range searchIndexes {
		if _, err := q.ExecContext(ctx, ix); err != nil {
			return fmt.Errorf("build search index: %w", err)
		}
	}
	return nil
}

// FinishSnapshot ends the initial download of st.Scope in one transaction:
// the scope's citizens the download did not deliver are gone from the hub
// and are deleted, the cursor moves to the snapshot's position, and the
// download's state is cleared. The outbox is not touched: facts not yet
// sent survive a resnapshot.
func (s *Store) FinishSnapshot(ctx context.Context, st app.SnapshotState, asOf time.Time) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		// A full scan, once per download: an index on snapshot_gen would
		// cost on every write of a citizen instead.
		if _, err := tx.ExecContext(ctx, `DELETE FROM citizens WHERE comune = ? AND snapshot_gen IS NOT ?`, st.Scope, st.Seq); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM records WHERE scope = ? AND snapshot_gen IS NOT ?`, st.Scope, st.Seq); err != nil {
			return err
		}
		if err := writeCursor(ctx, tx, app.Cursor{Scope: st.Scope, Seq: st.Seq, AsOf: asOf}); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM snapshot_state WHERE scope = ?`, st.Scope); err != nil {
			return err
		}
		return createSearchIndexes(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("finish snapshot %s: %w", st.Scope, err)
	}
	return nil
}
