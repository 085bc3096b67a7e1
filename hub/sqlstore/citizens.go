package sqlstore

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/kiosk"
	"github.com/sportello/sportello/hub/storage"
	"github.com/sportello/sportello/hub/storage/stored"
	"github.com/sportello/sportello/internal/pgdb"
	"github.com/sportello/sportello/internal/sqlitedb"
)

func upsertCitizen(ctx context.Context, stmt *sql.Stmt, c *app.Citizen, data string, seq int64) error {
	_, err := stmt.ExecContext(ctx, c.CodiceFiscale, c.Comune, app.NameKey(c.Surname), app.NameKey(c.GivenName),
		app.FormatDate(c.BirthDate), c.FamilyID, data, seq)
	if err != nil {
		return fmt.Errorf("store citizen %s: %w", c.CodiceFiscale, err)
	}
	return nil
}

const upsertCitizenSQL = `INSERT INTO citizens (codice_fiscale, comune, surname_key, given_key, birth_date, family_id, data, seq)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (codice_fiscale) DO UPDATE SET comune = excluded.comune, surname_key = excluded.surname_key,
	given_key = excluded.given_key, birth_date = excluded.birth_date, family_id = excluded.family_id,
	data = excluded.data, seq = excluded.seq`

// ReplaceAnagrafe makes citizens the comune's whole anagrafe, in one
// transaction: each difference from the current records becomes a change
// workstations receive; a citizen missing from the new data is deleted.
// Every record is validated first: nothing is stored if one is wrong.
// ECONFLICT when a codice fiscale belongs to another comune's anagrafe.
func (d *DB) ReplaceAnagrafe(ctx context.Context, comuneCode string, citizens []app.Citizen) (ImportResult, error) {
	var res ImportResult
	for i := range citizens {
		if citizens[i].Comune != comuneCode {
			return res, app.Errorf(app.EINVALID, "il cittadino %s appartiene al comune %s, non a %s", citizens[i].CodiceFiscale, citizens[i].Comune, comuneCode)
		}
		if err := citizens[i].Validate(); err != nil {
			return res, fmt.Errorf("cittadino %s: %w", citizens[i].CodiceFiscale, err)
		}
	}
	err := d.tx(ctx, func(tx *sql.Tx) error {
		if _, err := comune(ctx, tx, comuneCode); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS import_seen (cf TEXT PRIMARY KEY); DELETE FROM import_seen`); err != nil {
			return err
		}
		defer tx.ExecContext(ctx, `DROP TABLE IF EXISTS temp.import_seen`)
		up, err := tx.PrepareContext(ctx, upsertCitizenSQL)
		if err != nil {
			return err
		}
		defer up.Close()
		seen, err := tx.PrepareContext(ctx, `INSERT INTO import_seen (cf) VALUES (?)`)
		if err != nil {
			return err
		}
		defer seen.Close()
		now := d.now()
		for i := range citizens {
			c := &citizens[i]
			data := stored.Citizen(c)
			var oldComune, oldData string
			err := tx.QueryRowContext(ctx, `SELECT comune, data FROM citizens WHERE codice_fiscale = ?`, c.CodiceFiscale).Scan(&oldComune, &oldData)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				res.Added++
			case err != nil:
				return err
			case oldComune != comuneCode:
				return app.Errorf(app.ECONFLICT, "il codice fiscale %s è già nell'anagrafe del comune %s", c.CodiceFiscale, oldComune)
			case oldData == data:
				res.Unchanged++
			default:
				res.Updated++
			}
			if _, err := seen.ExecContext(ctx, c.CodiceFiscale); err != nil {
				return fmt.Errorf("codice fiscale %s ripetuto: %w", c.CodiceFiscale, err)
			}
			if oldData == data {
				continue
			}
			c.UpdatedAt = now
			seq, err := appendChange(ctx, tx, comuneCode, app.Change{Kind: app.ChangeCitizen, Key: c.CodiceFiscale, At: now, Citizen: c})
			if err != nil {
				return err
			}
			if err := upsertCitizen(ctx, up, c, data, seq); err != nil {
				return err
			}
		}
		rows, err := tx.QueryContext(ctx, `SELECT codice_fiscale FROM citizens WHERE comune = ? AND codice_fiscale NOT IN (SELECT cf FROM import_seen)`, comuneCode)
		if err != nil {
			return err
		}
		var gone []string
		for rows.Next() {
			var cf string
			if err := rows.Scan(&cf); err != nil {
				rows.Close()
				return err
			}
			gone = append(gone, cf)
		}
		rows.Close()
		for _, cf := range gone {
			if _, err := appendChange(ctx, tx, comuneCode, app.Change{Kind: app.ChangeCitizen, Key: cf, Deleted: true, At: now}); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM citizens WHERE codice_fiscale = ?`, cf); err != nil {
				return err
			}
		}
		res.Deleted = len(gone)
		return tx.QueryRowContext(ctx, `SELECT seq FROM scopes WHERE scope = ?`, comuneCode).Scan(&res.Seq)
	})
	return res, err
}

// SeedCitizens replaces a comune's anagrafe with the citizens next yields,
// without a change per citizen: the scope's horizon moves past them, so
// every workstation of the comune takes a fresh snapshot. It is the fast
// path for a first load (and the demo), where there is nothing to diff.
func (d *DB) SeedCitizens(ctx context.Context, comuneCode string, each func(yield func(app.Citizen) error) error) (int, error) {
	n := 0
	err := d.tx(ctx, func(tx *sql.Tx) error {
		if _, err := comune(ctx, tx, comuneCode); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM citizens WHERE comune = ?`, comuneCode); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM changes WHERE scope = ? AND kind = ?`, comuneCode, app.ChangeCitizen); err != nil {
			return err
		}
		var seq int64
		if err := tx.QueryRowContext(ctx, `UPDATE scopes SET seq = seq + 1, horizon = seq + 1 WHERE scope = ? RETURNING seq`, comuneCode).Scan(&seq); err != nil {
			return fmt.Errorf("advance scope %s: %w", comuneCode, err)
		}
		up, err := tx.PrepareContext(ctx, upsertCitizenSQL)
		if err != nil {
			return err
		}
		defer up.Close()
		return each(func(c app.Citizen) error {
			if c.Comune != comuneCode {
				return app.Errorf(app.EINVALID, "il cittadino %s appartiene al comune %s", c.CodiceFiscale, c.Comune)
			}
			if err := c.Validate(); err != nil {
				return fmt.Errorf("cittadino %s: %w", c.CodiceFiscale, err)
			}
			n++
			return upsertCitizen(ctx, up, &c, stored.Citizen(&c), seq)
		})
	})
	return n, err
}

// Compact drops the comune's citizen changes up to seq: a workstation whose
// cursor is below it must take a new snapshot. The horizon never passes the
// log's end, or a fresh snapshot's position would be below it too and the
// workstations would download again at every round.
func (d *DB) Compact(ctx context.Context, scope string, upTo int64) error {
	return d.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM changes WHERE scope = ? AND seq <= ? AND kind = ?`, scope, upTo, app.ChangeCitizen); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE scopes SET horizon = CASE WHEN horizon > ?1 OR horizon > seq THEN horizon WHEN ?1 < seq THEN ?1 ELSE seq END
			WHERE scope = ?2`, upTo, scope)
		return err
	})
}

// Changes returns up to limit changes of scope after the cursor.
// ERESNAPSHOT when the changes after the cursor are no longer all kept.
func (d *DB) Changes(ctx context.Context, scope string, after int64, limit int) (*storage.ChangesPage, error) {
	return d.ChangesFor(ctx, View{}, scope, after, limit)
}

// ChangesFor is Changes as a device of view v receives them: the changes it
// may not hold are left out (the cursor moves past them all the same).
func (d *DB) ChangesFor(ctx context.Context, v View, scope string, after int64, limit int) (*storage.ChangesPage, error) {
	res := &storage.ChangesPage{Scope: scope, AsOf: d.now(), Changes: []json.RawMessage{}}
	// Two statements, no transaction: a poll is most of the hub's
	// requests, and on PostgreSQL a transaction is two more round trips.
	// The page is read first and the scope's position and horizon after
	// it: a compaction raises the horizon in the transaction that drops
	// the changes, so a page it cut short is always found out here; and
	// the position read last is at least the page's last change.
	cond, args := kinds(v, "kind")
	rows, err := d.rd.QueryContext(ctx, `SELECT payload FROM changes WHERE scope = ? AND seq > ?`+cond+` ORDER BY seq LIMIT ?`,
		append(append([]any{scope, after}, args...), limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var p []byte
		if err := rows.Scan(&p); err != nil {
			return nil, err
		}
		res.Changes = append(res.Changes, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	var horizon int64
	err = d.rd.QueryRowContext(ctx, `SELECT seq, horizon FROM scopes WHERE scope = ?`, scope).Scan(&res.Last, &horizon)
	if errors.Is(err, sql.ErrNoRows) {
		res.Changes = res.Changes[:0]
		return res, nil // nothing ever happened in this scope
	}
	if err != nil {
		return nil, err
	}
	if after < horizon {
		return nil, app.Errorf(app.ERESNAPSHOT, "le modifiche dopo %d non sono più disponibili: serve un nuovo scaricamento completo", after)
	}
	if after > res.Last {
		return nil, app.Errorf(app.ERESNAPSHOT, "posizione %d sconosciuta all'hub (ultima %d): serve un nuovo scaricamento completo", after, res.Last)
	}
	if n := len(res.Changes); n > 0 {
		seq, err := stored.ChangeSeq(res.Changes[n-1])
		if err != nil {
			return nil, err
		}
		res.More = seq < res.Last
	}
	return res, nil
}

// Snapshot returns a page of a comune's initial download: its citizens in
// codice fiscale order after the key, and on the first page its operators,
// the change-log position to continue from, and the total for the progress
// bar.
func (d *DB) Snapshot(ctx context.Context, scope, after string, limit int) (*storage.SnapshotPage, error) {
	return d.SnapshotFor(ctx, View{}, scope, after, limit)
}

// SnapshotFor is Snapshot as a device of view v receives it. The citizens
// come as stored, not decoded: the download's pages are the hub's largest
// answers, and decoding each citizen only to encode it again was a third
// of the hub's work on a Milano download.
func (d *DB) SnapshotFor(ctx context.Context, v View, scope, after string, limit int) (*storage.SnapshotPage, error) {
	if scope == app.ScopeNetwork {
		return nil, app.Errorf(app.EINVALID, "l'ambito di rete si legge dalle modifiche, non con lo scaricamento completo")
	}
	res := &storage.SnapshotPage{Scope: scope, AsOf: d.now(), Citizens: []json.RawMessage{}}
	err := d.readTx(ctx, func(tx *sql.Tx) error {
		if _, err := comune(ctx, tx, scope); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT seq FROM scopes WHERE scope = ?`, scope).Scan(&res.Seq); err != nil {
			return err
		}
		if after == "" {
			cond, args := kinds(v, "kind")
			if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM citizens WHERE comune = ? AND ? = 0) + (SELECT count(*) FROM records WHERE scope = ?`+cond+`)`,
				append([]any{scope, v.NoCitizens, scope}, args...)...).Scan(&res.Total); err != nil {
				return err
			}
			rows, err := tx.QueryContext(ctx, `SELECT data FROM operators WHERE comune = ? AND ? = 0 ORDER BY username`, scope, v.NoOperators)
			if err != nil {
				return err
			}
			for rows.Next() {
				var p []byte
				var o *app.Operator
				err := rows.Scan(&p)
				if err == nil {
					o, err = stored.DecodeOperator(p)
				}
				if err != nil {
					rows.Close()
					return fmt.Errorf("snapshot %s operators: %w", scope, err)
				}
				res.Operators = append(res.Operators, *o)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		// The citizens, then the records: a position among the records
		// (recordAfter) sorts after every codice fiscale.
		if kind, key, ok := parseRecordAfter(after); ok {
			n, err := snapshotRecords(ctx, tx, res, v, scope, kind, key, limit)
			res.Done = n < limit
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT codice_fiscale, data FROM citizens WHERE comune = ? AND ? = 0 AND codice_fiscale > ? ORDER BY codice_fiscale LIMIT ?`, scope, v.NoCitizens, after, limit)
		if err != nil {
			return err
		}
		citizens := 0
		for rows.Next() {
			var cf string
			var p []byte
			if err := rows.Scan(&cf, &p); err != nil {
				rows.Close()
				return err
			}
			citizens++
			res.After = cf
			res.Citizens = append(res.Citizens, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if citizens == limit {
			return nil
		}
		n, err := snapshotRecords(ctx, tx, res, v, scope, "", "", limit-citizens)
		res.Done = n < limit-citizens
		return err
	})
	return res, err
}

// SearchCitizens searches a comune's anagrafe by prefixes of codice fiscale
// or names. Walking prefixes reads a whole anagrafe, so the hub offers it
// only within the device's own comune; other comuni go by CitizensByKey and
// Citizen.
func (d *DB) SearchCitizens(ctx context.Context, comuneCode string, q app.Query, limit int) ([]app.CitizenSummary, error) {
	var out []app.CitizenSummary
	seen := map[string]bool{}
	add := func(query string, args ...any) error {
		if len(out) >= limit {
			return nil
		}
		rows, err := d.db.QueryContext(ctx, query, append(args, limit-len(out))...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var cf, data string
			if err := rows.Scan(&cf, &data); err != nil {
				return err
			}
			if seen[cf] {
				continue
			}
			seen[cf] = true
			s, err := summaryOf(cf, data)
			if err != nil {
				return err
			}
			out = append(out, s)
		}
		return rows.Err()
	}
	if q.CFPrefix != "" {
		if err := add(`SELECT codice_fiscale, data FROM citizens WHERE comune = ? AND codice_fiscale >= ? AND codice_fiscale < ? ORDER BY codice_fiscale LIMIT ?`,
			comuneCode, q.CFPrefix, prefixEnd(q.CFPrefix)); err != nil {
			return nil, err
		}
	}
	for _, s := range q.Splits() {
		where, args := keyRange("surname_key", s.Surname, s.SurnamePrefix)
		where, args = "comune = ? AND "+where, append([]any{comuneCode}, args...)
		if s.Given != "" {
			w2, a2 := keyRange("given_key", s.Given, s.GivenPrefix)
			where += " AND " + w2
			args = append(args, a2...)
		}
		if err := add(`SELECT codice_fiscale, data FROM citizens WHERE `+where+` ORDER BY surname_key, given_key, birth_date LIMIT ?`, args...); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func summaryOf(cf, data string) (app.CitizenSummary, error) {
	s, err := stored.Summary([]byte(data))
	if err != nil {
		return s, fmt.Errorf("citizen %s: %w", cf, err)
	}
	s.CodiceFiscale = cf
	return s, nil
}

func keyRange(col, key string, prefix bool) (string, []any) {
	if !prefix {
		return col + " = ?", []any{key}
	}
	return col + " >= ? AND " + col + " < ?", []any{key, prefixEnd(key)}
}

// prefixEnd is the smallest string greater than every string with the
// prefix: keys are ASCII, so bumping the last byte is enough.
func prefixEnd(p string) string {
	b := []byte(p)
	b[len(b)-1]++
	return string(b)
}

// Citizen returns a citizen of the network; ENOTFOUND when unknown.
func (d *DB) Citizen(ctx context.Context, codiceFiscale string) (*app.Citizen, error) {
	var data string
	err := d.db.QueryRowContext(ctx, `SELECT data FROM citizens WHERE codice_fiscale = ?`, codiceFiscale).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, app.Errorf(app.ENOTFOUND, "nessun cittadino della rete con codice fiscale %s", codiceFiscale)
	}
	if err != nil {
		return nil, err
	}
	return stored.DecodeCitizen([]byte(data))
}

// Family returns the members of a comune's family sheet, head first. Family
// ids are the comune's own numbering (family "1" exists in every comune),
// so the comune is part of the key.
func (d *DB) Family(ctx context.Context, comuneCode, familyID string) ([]app.Citizen, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT data FROM citizens WHERE comune = ? AND family_id = ? ORDER BY birth_date`, comuneCode, familyID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []app.Citizen
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		c, err := stored.DecodeCitizen([]byte(data))
		if err != nil {
			return nil, err
		}
		if c.Relationship == app.RelationshipHead {
			out = append([]app.Citizen{*c}, out...)
		} else {
			out = append(out, *c)
		}
	}
	return out, rows.Err()
}

// CountCitizens counts a comune's citizens ("" for the whole network).
func (d *DB) CountCitizens(ctx context.Context, comuneCode string) (int, error) {
	var n int
	err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM citizens WHERE ? = '' OR comune = ?`, comuneCode, comuneCode).Scan(&n)
	return n, err
}

// ApplyOp applies one outbox operation of a device exactly once: the
// operation's id is recorded in the transaction that applies it, and a
// repeated one gets its stored result back. A refusal is not recorded, so
// the operation can be sent again once a person has resolved its cause.
func (d *DB) ApplyOp(ctx context.Context, dev *Device, op app.Operation) app.OpResult {
	res := app.OpResult{ID: op.ID}
	err := d.tx(ctx, func(tx *sql.Tx) error {
		res = app.OpResult{ID: op.ID}
		return d.applyOp(ctx, tx, dev, op, &res)
	})
	if err != nil {
		return opFailure(op.ID, err)
	}
	return res
}

// ApplyOps applies a device's operations in their order, as ApplyOp each,
// in one transaction: one commit, one fsync, for a push of hundreds. The
// first operation that fails stops the batch: it is undone alone (a savepoint), its answer is the
// last of the results, and nothing behind it is tried — a day's closing
// never lands before a payment of that day the hub could not record.
// When the commit fails nothing was applied, and the first operation is
// answered with that failure.
//
// On PostgreSQL a conflict with another hub process runs the whole batch
// again; a batch that keeps conflicting is applied one operation at a
// time, so that one operation's conflict is its own answer.
func (d *DB) ApplyOps(ctx context.Context, dev *Device, ops []app.Operation) []app.OpResult {
	if d.pg && deviceLocal(dev, ops) {
		return d.applyDeviceLocal(ctx, dev, ops)
	}
	var out []app.OpResult
	err := d.tx(ctx, func(tx *sql.Tx) (err error) {
		out, err = d.applyBatch(ctx, tx, dev, ops)
		return err
	})
	if err == nil {
		return out
	}
	if d.pg && pgdb.Retryable(err) {
		out = out[:0]
		for _, op := range ops {
			res := d.ApplyOp(ctx, dev, op)
			out = append(out, res)
			if res.Code != "" {
				break
			}
		}
		return out
	}
	// Nothing was applied: the first operation carries the failure, and
	// the hub's answer skips the rest (or, busy, fails the whole push).
	return []app.OpResult{opFailure(ops[0].ID, err)}
}

// deviceLocal tells whether applying ops touches only rows of dev's own:
// audit events (its chain, its operations, its mark), none of them a
// kiosk's lockout, which alerts its comune through the change log.
func deviceLocal(dev *Device, ops []app.Operation) bool {
	for i := range ops {
		if ops[i].Kind != app.OpAudit || ops[i].Audit == nil || dev.Role == RoleKiosk && ops[i].Audit.Action == kiosk.AuditLockout {
			return false
		}
	}
	return true
}

// applyDeviceLocal is ApplyOps on PostgreSQL for a batch that touches only
// the device's own rows (deviceLocal): READ COMMITTED under a lock of the
// device's, held to the commit, instead of SERIALIZABLE. Two hub processes
// given the same device's batch apply it one after the other, the second
// seeing what the first committed (each statement reads the newest
// commits), as SERIALIZABLE would have them; but pushes of different
// devices no longer abort each other through the predicate locks
// SERIALIZABLE takes on the index pages they share (27 % of the pushes
// under the benchmark's load ran again: docs/BENCHMARKS.md). An operation
// id that another device uses at the same moment breaks the primary key
// of ops and is refused like any failure.
func (d *DB) applyDeviceLocal(ctx context.Context, dev *Device, ops []app.Operation) []app.OpResult {
	d.txs.Add(1)
	var out []app.OpResult
	err := runTx(ctx, d.db, &sql.TxOptions{Isolation: sql.LevelReadCommitted}, func(tx *sql.Tx) (err error) {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, deviceLockKey(dev.ID)); err != nil {
			return err
		}
		out, err = d.applyBatch(ctx, tx, dev, ops)
		return err
	})
	if err != nil {
		return []app.OpResult{opFailure(ops[0].ID, err)}
	}
	return out
}

// applyBatch applies ops in tx in their order, each under a savepoint,
// and answers each up to the first that fails, which is undone alone and
// stops the batch (those before it stay, to be committed). On PostgreSQL
// a conflict with another transaction is returned instead, for the whole
// batch to run again.
func (d *DB) applyBatch(ctx context.Context, tx *sql.Tx, dev *Device, ops []app.Operation) ([]app.OpResult, error) {
	out := make([]app.OpResult, 0, len(ops))
	for _, op := range ops {
		res := app.OpResult{ID: op.ID}
		err := d.applyInSavepoint(ctx, tx, dev, op, &res)
		if d.pg && pgdb.Retryable(err) {
			return nil, err
		}
		if err != nil {
			return append(out, opFailure(op.ID, err)), nil
		}
		out = append(out, res)
	}
	return out, nil
}

// deviceLockKey is the advisory lock of a device's operations: 64 bits of
// its id's SHA-256 (the other advisory lock of the hub, pgLock, is a
// constant a device's key matches once in 2^64).
func deviceLockKey(device string) int64 {
	sum := sha256.Sum256([]byte("sportello device ops\x00" + device))
	return int64(binary.BigEndian.Uint64(sum[:8]))
}

// applyInSavepoint is applyOp undone alone when it fails, the batch's
// transaction kept.
func (d *DB) applyInSavepoint(ctx context.Context, tx *sql.Tx, dev *Device, op app.Operation, res *app.OpResult) error {
	if _, err := tx.ExecContext(ctx, `SAVEPOINT apply_op`); err != nil {
		return err
	}
	err := d.applyOp(ctx, tx, dev, op, res)
	if err != nil {
		if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT apply_op`); rerr != nil {
			return errors.Join(err, rerr)
		}
	}
	if _, rerr := tx.ExecContext(ctx, `RELEASE SAVEPOINT apply_op`); rerr != nil {
		return errors.Join(err, rerr)
	}
	return err
}

// opFailure is the answer for an operation that err stopped; nil is no
// failure (an empty Code).
func opFailure(id string, err error) app.OpResult {
	if err == nil {
		return app.OpResult{ID: id}
	}
	code := app.ErrorCode(err)
	if sqlitedb.Busy(err) {
		// The database is held by another writer (an import of the
		// anagrafe): the hub is busy, not failing on this operation,
		// and the workstation must not count it towards parking it.
		return app.OpResult{ID: id, Code: app.EOFFLINE, Message: "centro servizi occupato: si riprova tra poco"}
	}
	if code == app.EINTERNAL {
		// Not the operation's fault: the client retries it later.
		return app.OpResult{ID: id, Code: code, Message: err.Error()}
	}
	return app.OpResult{ID: id, Code: code, Message: app.ErrorMessage(err)}
}

// applyOp is ApplyOp's work in tx, its answer in res.
func (d *DB) applyOp(ctx context.Context, tx *sql.Tx, dev *Device, op app.Operation, res *app.OpResult) error {
	var result, owner string
	err := tx.QueryRowContext(ctx, `SELECT result, device FROM ops WHERE id = ?`, op.ID).Scan(&result, &owner)
	if err == nil && owner != dev.ID {
		// Another device's stored answer (a payment's, a block of
		// IUVs) is not for whoever guesses its id.
		return app.Errorf(app.EFORBIDDEN, "operazione di un'altra postazione")
	}
	if err == nil {
		r, err := stored.DecodeOpResult([]byte(result))
		if err != nil {
			return err
		}
		r.Duplicate = true
		*res = r
		return nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if op.Device != dev.ID {
		return app.Errorf(app.EFORBIDDEN, "operazione di un'altra postazione (%s)", op.Device)
	}
	var other string
	err = tx.QueryRowContext(ctx, `SELECT id FROM ops WHERE device = ? AND seq = ?`, op.Device, op.Seq).Scan(&other)
	if err == nil {
		return app.Errorf(app.ECONFLICT, "operazione %d della postazione già ricevuta con un altro identificativo", op.Seq)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if err := d.checkProof(ctx, tx, dev, &op); err != nil {
		return err
	}
	switch op.Kind {
	case app.OpAudit:
		if err := applyAudit(ctx, tx, op.Audit); err != nil {
			return err
		}
		if dev.Role == RoleKiosk && op.Audit.Action == kiosk.AuditLockout {
			if err := d.publishKioskAlert(ctx, tx, dev, op.Audit); err != nil { // alerts.go
				return err
			}
		}
	case app.OpCertificate:
		flag, err := d.applyCertificate(ctx, tx, dev, op.Certificate)
		if err != nil {
			return err
		}
		res.Flag = flag
	default:
		data, err := d.applyFact(ctx, tx, dev, op)
		if err != nil {
			return err
		}
		res.Data = data
	case "":
		return app.Errorf(app.EINVALID, "tipo di operazione sconosciuto %q", op.Kind)
	}
	res.Applied = true
	_, err = tx.ExecContext(ctx, `INSERT INTO ops (id, device, seq, kind, result, applied_at) VALUES (?, ?, ?, ?, ?, ?)`,
		op.ID, op.Device, op.Seq, op.Kind, stored.OpResult(*res), ts(d.now()))
	if err != nil {
		return err
	}
	return raiseMark(ctx, tx, op.Device, op.Seq) // marks.go
}

// applyAudit adds an audit event to its device's chain. The event must
// link to its neighbours the hub holds: its PrevHash to the event before,
// and its Hash to the PrevHash of the event after. A neighbour the hub
// lacks is a gap, not a refusal: an event the workstation parked (it could
// not be delivered) must not hold back every later event of the device.
// The gap stays visible (AuditGaps) and closes when the parked event
// arrives, checked against both sides.
func applyAudit(ctx context.Context, tx *sql.Tx, e *app.AuditEvent) error {
	if e.Seq < 1 || e.Hash != e.ComputeHash() {
		return app.Errorf(app.EINVALID, "evento di audit %d della postazione %s non integro", e.Seq, e.Device)
	}
	neighbour := func(seq int64) (prevHash, hash string, ok bool, err error) {
		err = tx.QueryRowContext(ctx, `SELECT prev_hash, hash FROM audit WHERE device = ? AND seq = ?`, e.Device, seq).Scan(&prevHash, &hash)
		if errors.Is(err, sql.ErrNoRows) {
			return "", "", false, nil
		}
		return prevHash, hash, err == nil, err
	}
	if _, _, ok, err := neighbour(e.Seq); err != nil || ok {
		if err != nil {
			return err
		}
		return app.Errorf(app.ECONFLICT, "registro di audit della postazione %s: evento %d già ricevuto", e.Device, e.Seq)
	}
	if e.Seq == 1 && e.PrevHash != "" {
		return app.Errorf(app.ECONFLICT, "registro di audit della postazione %s interrotto all'evento 1", e.Device)
	}
	if _, hash, ok, err := neighbour(e.Seq - 1); err != nil {
		return err
	} else if ok && hash != e.PrevHash {
		return app.Errorf(app.ECONFLICT, "registro di audit della postazione %s interrotto: l'evento %d non segue il %d", e.Device, e.Seq, e.Seq-1)
	}
	if prev, _, ok, err := neighbour(e.Seq + 1); err != nil {
		return err
	} else if ok && prev != e.Hash {
		return app.Errorf(app.ECONFLICT, "registro di audit della postazione %s interrotto: l'evento %d non precede il %d", e.Device, e.Seq, e.Seq+1)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit (device, seq, operator, action, subject, at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Device, e.Seq, e.Operator, e.Action, e.Subject, e.At.UTC().Format(time.RFC3339Nano), e.PrevHash, e.Hash)
	return err
}

// AuditGaps returns the seqs missing from a device's audit chain at the
// hub, below its newest event: events the workstation has not delivered
// (parked, or discarded by a supervisor).
func (d *DB) AuditGaps(ctx context.Context, device string) ([]int64, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT seq FROM audit WHERE device = ? ORDER BY seq`, device)
	if err != nil {
		return nil, fmt.Errorf("audit gaps of %s: %w", device, err)
	}
	defer rows.Close()
	var gaps []int64
	next := int64(1)
	for rows.Next() {
		var seq int64
		if err := rows.Scan(&seq); err != nil {
			return nil, err
		}
		for ; next < seq; next++ {
			gaps = append(gaps, next)
		}
		next = seq + 1
	}
	return gaps, rows.Err()
}

// AuditCount counts a device's audit events at the hub.
func (d *DB) AuditCount(ctx context.Context, device string) (int, error) {
	var n int
	err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM audit WHERE device = ?`, device).Scan(&n)
	return n, err
}

// Keys publishes the network's keys for verifiers.
func (d *DB) Keys(ctx context.Context) (*storage.Keys, error) {
	root, err := d.RootKey(ctx)
	if err != nil {
		return nil, err
	}
	res := &storage.Keys{Root: root.Public().(ed25519.PublicKey)}
	comuni, err := d.Comuni(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range comuni {
		res.Comuni = append(res.Comuni, c.Cert)
	}
	rows, err := d.db.QueryContext(ctx, `SELECT id, comune, cert, coalesce(revoked_at, '') FROM devices ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var dk app.DeviceKey
		var cert, revoked string
		if err := rows.Scan(&dk.Device, &dk.Comune, &cert, &revoked); err != nil {
			return nil, err
		}
		if dk.Cert, err = stored.DecodeKeyCert([]byte(cert)); err != nil {
			return nil, fmt.Errorf("device %s certificate: %w", dk.Device, err)
		}
		if dk.RevokedAt, err = app.ParseInstant(revoked); err != nil {
			return nil, fmt.Errorf("device %s revocation: %w", dk.Device, err)
		}
		res.Devices = append(res.Devices, dk)
	}
	return res, rows.Err()
}
