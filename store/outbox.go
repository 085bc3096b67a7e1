package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/payment"
)

// AppendAudit writes an audit event, chained to the device's previous one,
// and the outbox operation that carries it to the hub, in one transaction:
// an event is never recorded without being sent, nor sent without being
// recorded. It returns EINVALID before enrolment, when there is no device
// to chain the event to.
func (s *Store) AppendAudit(ctx context.Context, operator, action, subject string, at time.Time) error {
	if action == "" {
		return app.Errorf(app.EINVALID, "evento di audit senza azione")
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		device, err := profileDevice(ctx, tx)
		if err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, device, operator, action, subject, at); err != nil || !app.PrivilegedAction(action) {
			return err
		}
		return s.prove(ctx, tx, device, operator)
	})
	if err != nil {
		return fmt.Errorf("append audit %s: %w", action, err)
	}
	return nil
}

// profileDevice is the enrolled workstation's device id.
func profileDevice(ctx context.Context, tx *sql.Tx) (string, error) {
	var device string
	err := tx.QueryRowContext(ctx, `SELECT device FROM profile WHERE id = 1`).Scan(&device)
	if errors.Is(err, sql.ErrNoRows) {
		return "", app.Errorf(app.EINVALID, "postazione non registrata: impossibile registrare l'evento di audit")
	}
	return device, err
}

// appendAudit writes the next audit event of the device and its outbox
// operation in tx.
func appendAudit(ctx context.Context, tx *sql.Tx, device, operator, action, subject string, at time.Time) error {
	ev := app.AuditEvent{Device: device, Operator: operator, Action: action, Subject: subject, At: at.UTC()}
	err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit WHERE device = ? ORDER BY seq DESC LIMIT 1`, device).
		Scan(&ev.Seq, &ev.PrevHash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	ev.Seq++
	ev.Hash = ev.ComputeHash()
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit (device, seq, operator, action, subject, at, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		ev.Device, ev.Seq, ev.Operator, ev.Action, ev.Subject, formatTime(ev.At), ev.PrevHash, ev.Hash); err != nil {
		return err
	}
	return insertOp(ctx, tx, device, app.OpAudit, ev.Seq, "", at)
}

// insertOp queues an operation for the fact just written in tx (an audit
// event's seq, or a certificate's number), with the device's next
// operation number.
func insertOp(ctx context.Context, tx *sql.Tx, device, kind string, auditSeq int64, certNumber string, at time.Time) error {
	var seq int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox WHERE device = ?`, device).Scan(&seq); err != nil {
		return err
	}
	var aSeq, cNum any
	if auditSeq > 0 {
		aSeq = auditSeq
	}
	if certNumber != "" {
		cNum = certNumber
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO outbox (id, device, seq, kind, audit_seq, cert_number, created_at, state)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		uuid.NewString(), device, seq, kind, aSeq, cNum, formatTime(at), string(app.OpPending))
	return err
}

// insertOpData queues a fact of the other kinds, its data in the row.
func insertOpData(ctx context.Context, tx *sql.Tx, device, kind string, data []byte, at time.Time) error {
	var seq int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox WHERE device = ?`, device).Scan(&seq); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO outbox (id, device, seq, kind, data, created_at, state) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		uuid.NewString(), device, seq, kind, string(data), formatTime(at), string(app.OpPending))
	return err
}

// opQuery reads operations with the fact they carry.
const opQuery = `SELECT o.id, o.device, o.seq, o.kind, o.created_at, o.attempts, o.state, o.reason, o.last_error,
		a.seq, a.operator, a.action, a.subject, a.at, a.prev_hash, a.hash,
		c.number, c.codice_fiscale, c.type, c.data, c.stamp, c.data_seq, o.data, o.proof_operator, o.proof_signature, o.result
	FROM outbox o LEFT JOIN audit a ON a.device = o.device AND a.seq = o.audit_seq
	LEFT JOIN certificates c ON c.number = o.cert_number
	WHERE o.state IN (?, ?) ORDER BY o.seq`

// NextOps returns up to limit pending operations (100 if limit <= 0), in
// the order they were created; parked ones are not among them.
func (s *Store) NextOps(ctx context.Context, limit int) ([]app.Operation, error) {
	if limit <= 0 {
		limit = 100
	}
	ops, err := s.queryOps(ctx, opQuery+` LIMIT ?`, string(app.OpPending), string(app.OpPending), limit)
	if err != nil {
		return nil, fmt.Errorf("next operations: %w", err)
	}
	return ops, nil
}

// ParkedOps returns the operations the hub refused, for a person to look at.
func (s *Store) ParkedOps(ctx context.Context) ([]app.Operation, error) {
	ops, err := s.queryOps(ctx, opQuery, string(app.OpParked), string(app.OpParked))
	if err != nil {
		return nil, fmt.Errorf("parked operations: %w", err)
	}
	return ops, nil
}

// Unsent returns the operations the hub has not taken, pending and parked,
// in device order: the outbox as a person resolving it sees it.
func (s *Store) Unsent(ctx context.Context) ([]app.Operation, error) {
	ops, err := s.queryOps(ctx, opQuery, string(app.OpPending), string(app.OpParked))
	if err != nil {
		return nil, fmt.Errorf("unsent operations: %w", err)
	}
	return ops, nil
}

// RetryParked puts a parked operation back in line, its attempts reset,
// once a person has dealt with the reason it was parked; the decision is
// an audit event of by, in the same transaction. ENOTFOUND for an unknown
// id, ECONFLICT for one that is not parked.
func (s *Store) RetryParked(ctx context.Context, id string, by *app.Operator, at time.Time) error {
	err := s.decide(ctx, id, by, app.AuditOutboxRetry, id, at, func(tx *sql.Tx, kind string) error {
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET state = ?, attempts = 0, reason = '', result = '', done_at = '' WHERE id = ?`,
			string(app.OpPending), id)
		return err
	})
	if err != nil {
		return fmt.Errorf("retry parked operation %s: %w", id, err)
	}
	return nil
}

// moneyFacts are the kinds of operation only a supervisor may discard: a
// payment, a day's closing or a refund that never reaches the hub leaves
// the comune's accounts short.
var moneyFacts = map[string]bool{payment.FactPayment: true, payment.FactClosing: true, payment.FactRefundDone: true}

// DiscardOp sets a parked operation aside for good, with the reason a
// person gave; the decision is an audit event of by, in the same
// transaction. Payments, closings and refunds need a supervisor
// (EFORBIDDEN). ENOTFOUND for an unknown id, ECONFLICT for one that is not
// parked, EINVALID without a reason.
func (s *Store) DiscardOp(ctx context.Context, id string, by *app.Operator, reason string, at time.Time) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return app.Errorf(app.EINVALID, "indicare il motivo per cui l'operazione viene scartata")
	}
	err := s.decide(ctx, id, by, app.AuditOutboxDiscard, id+": "+reason, at, func(tx *sql.Tx, kind string) error {
		if moneyFacts[kind] && !by.Has(app.RoleSupervisor) {
			return app.Errorf(app.EFORBIDDEN, "solo un supervisore può scartare un'operazione di cassa (%s): %s non lo è", kind, by.Username)
		}
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET state = ?, reason = ?, done_at = ? WHERE id = ?`,
			string(app.OpDiscarded), "scartata da "+by.Username+": "+reason, formatTime(at), id)
		return err
	})
	if err != nil {
		return fmt.Errorf("discard operation %s: %w", id, err)
	}
	return nil
}

// decide applies a person's decision on the parked operation id and
// records it as an audit event, in one transaction.
func (s *Store) decide(ctx context.Context, id string, by *app.Operator, action, subject string, at time.Time, fn func(tx *sql.Tx, kind string) error) error {
	if by == nil || by.Username == "" {
		return app.Errorf(app.EINVALID, "indicare l'operatore che decide")
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var kind, state string
		err := tx.QueryRowContext(ctx, `SELECT kind, state FROM outbox WHERE id = ?`, id).Scan(&kind, &state)
		if errors.Is(err, sql.ErrNoRows) {
			return app.Errorf(app.ENOTFOUND, "operazione %s sconosciuta", id)
		}
		if err != nil {
			return err
		}
		if app.OpState(state) != app.OpParked {
			return app.Errorf(app.ECONFLICT, "l'operazione %s non è sospesa (stato %s)", id, state)
		}
		if err := fn(tx, kind); err != nil {
			return err
		}
		device, err := profileDevice(ctx, tx)
		if err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, device, by.Username, action, subject, at); err != nil {
			return err
		}
		return s.prove(ctx, tx, device, by.Username)
	})
}

func (s *Store) queryOps(ctx context.Context, query string, args ...any) ([]app.Operation, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []app.Operation
	for rows.Next() {
		var (
			op                                  app.Operation
			created, state                      string
			aSeq                                sql.NullInt64
			aOp, aAction, aSubj, aAt, aPrev, aH sql.NullString
			cNum, cCF, cType, cData, cStamp     sql.NullString
			cDataSeq                            sql.NullInt64
			data                                sql.NullString
			proofOp                             string
			proofSig                            []byte
			result                              string
		)
		if err := rows.Scan(&op.ID, &op.Device, &op.Seq, &op.Kind, &created, &op.Attempts, &state, &op.Reason, &op.LastError,
			&aSeq, &aOp, &aAction, &aSubj, &aAt, &aPrev, &aH,
			&cNum, &cCF, &cType, &cData, &cStamp, &cDataSeq, &data, &proofOp, &proofSig, &result); err != nil {
			return nil, err
		}
		if data.Valid {
			op.Data = []byte(data.String)
		}
		if proofOp != "" {
			op.Proof = &app.OperatorProof{Operator: proofOp, Signature: proofSig}
		}
		if state == string(app.OpPending) && result != "" {
			// Confirmed by a hub since restored from an older copy: its
			// answer then goes with it (Reconcile).
			var prior app.OpResult
			if err := json.Unmarshal([]byte(result), &prior); err == nil && len(prior.Data) > 0 {
				op.Prior = prior.Data
			}
		}
		if cNum.Valid {
			c, err := decodeCertificate(cType.String, cData.String)
			if err != nil {
				return nil, fmt.Errorf("operation %s: %w", op.ID, err)
			}
			op.Certificate = &app.CertificateFact{Number: cNum.String, Type: cType.String, CodiceFiscale: cCF.String,
				Comune: c.ComuneCode, IssuedAt: c.IssuedAt, AsOf: c.AsOf, DataSeq: cDataSeq.Int64, Offline: c.Offline,
				Operator: c.Operator, Stamp: cStamp.String}
		}
		op.State = app.OpState(state)
		if op.CreatedAt, err = parseTime(created); err != nil {
			return nil, fmt.Errorf("operation %s: %w", op.ID, err)
		}
		if aSeq.Valid {
			ev := &app.AuditEvent{Device: op.Device, Seq: aSeq.Int64, Operator: aOp.String, Action: aAction.String,
				Subject: aSubj.String, PrevHash: aPrev.String, Hash: aH.String}
			if ev.At, err = parseTime(aAt.String); err != nil {
				return nil, fmt.Errorf("operation %s: %w", op.ID, err)
			}
			op.Audit = ev
		}
		out = append(out, op)
	}
	return out, rows.Err()
}

// MarkOp records the hub's answer to an operation. A refusal (res.Code set)
// parks it with the hub's message for a person to read, also when it comes
// back as a duplicate: the hub returns the answer it stored the first time.
// An accepted operation is done. Rows stay, with the answer, as the record
// of what the hub was told.
func (s *Store) MarkOp(ctx context.Context, id string, res app.OpResult, at time.Time) error {
	if res.ID != "" && res.ID != id {
		return fmt.Errorf("mark operation %s: the result is for operation %s", id, res.ID)
	}
	res.ID = id
	return s.MarkOps(ctx, []app.OpResult{res}, at)
}

// MarkOps records the hub's answers to a push, as MarkOp each, in one
// transaction: all or none, one commit for a push of hundreds. Every
// result names its operation.
func (s *Store) MarkOps(ctx context.Context, results []app.OpResult, at time.Time) error {
	if len(results) == 0 {
		return nil
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, res := range results {
			if err := markOp(ctx, tx, res, at); err != nil {
				return fmt.Errorf("mark operation %s: %w", res.ID, err)
			}
		}
		return nil
	})
	return err
}

// markOp is MarkOp's work in tx.
func markOp(ctx context.Context, tx *sql.Tx, res app.OpResult, at time.Time) error {
	id := res.ID
	var state app.OpState
	var reason string
	switch {
	case id == "":
		return fmt.Errorf("mark operation: the result names no operation")
	case res.Code != "":
		state, reason = app.OpParked, res.Message
		if reason == "" {
			reason = "operazione rifiutata dal centro servizi (" + res.Code + ")"
		}
	case res.Applied || res.Duplicate:
		state = app.OpDone
	default:
		return fmt.Errorf("the result neither applies nor refuses it")
	}
	result, err := json.Marshal(res)
	if err != nil {
		return err
	}
	r, err := tx.ExecContext(ctx, `UPDATE outbox SET state = ?, reason = ?, result = ?, done_at = ? WHERE id = ?`,
		string(state), reason, string(result), formatTime(at), id)
	if err != nil {
		return err
	}
	if err := mustAffect(r, "operazione %s sconosciuta", id); err != nil {
		return err
	}
	if state == app.OpDone && len(res.Data) > 0 {
		var kind string
		if err := tx.QueryRowContext(ctx, `SELECT kind FROM outbox WHERE id = ?`, id).Scan(&kind); err != nil {
			return err
		}
		if err := applyResult(ctx, tx, kind, res); err != nil {
			return err
		}
	}
	if res.Flag == "" {
		return nil
	}
	// The hub's flag on a certificate: shown in the citizen file and
	// the worklist until the operator has dealt with it.
	_, err = tx.ExecContext(ctx, `UPDATE certificates SET flag = ?
		WHERE number = (SELECT cert_number FROM outbox WHERE id = ?)`, res.Flag, id)
	return err
}

// RetryOp records a failed attempt (network, 5xx) on an operation, which
// stays pending for the next round.
func (s *Store) RetryOp(ctx context.Context, id string, reason string) error {
	r, err := s.exec(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?`, reason, id)
	if err != nil {
		return fmt.Errorf("retry operation %s: %w", id, err)
	}
	return mustAffect(r, "operazione %s sconosciuta", id)
}

// mustAffect returns ENOTFOUND when an update changed no row.
func mustAffect(r sql.Result, format string, args ...any) error {
	n, err := r.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return app.Errorf(app.ENOTFOUND, format, args...)
	}
	return nil
}

// OutboxCounts returns how many operations wait for the hub and how many
// it refused.
func (s *Store) OutboxCounts(ctx context.Context) (pending, parked int, err error) {
	// Two lookups on the (state, seq) index rather than one GROUP BY,
	// which would also count the done rows of years past.
	const q = `SELECT COUNT(*) FROM outbox WHERE state = ?`
	if err := s.db.QueryRowContext(ctx, q, string(app.OpPending)).Scan(&pending); err != nil {
		return 0, 0, fmt.Errorf("outbox counts: %w", err)
	}
	if err := s.db.QueryRowContext(ctx, q, string(app.OpParked)).Scan(&parked); err != nil {
		return 0, 0, fmt.Errorf("outbox counts: %w", err)
	}
	return pending, parked, nil
}
