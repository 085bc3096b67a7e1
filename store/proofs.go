package store

import (
	"context"
	"crypto/ed25519"
	"database/sql"

	"github.com/sportello/sportello/app"
)

// HoldOperatorKey keeps an operator's signing key, unlocked by the password
// at login, for the session: the privileged operations the operator makes
// are signed with it as they are queued (app.OperatorProof). It lives in
// memory only, never in the file.
func (s *Store) HoldOperatorKey(username string, key ed25519.PrivateKey) {
	s.keysMu.Lock()
	defer s.keysMu.Unlock()
	if s.keys == nil {
		s.keys = map[string]ed25519.PrivateKey{}
	}
	s.keys[username] = key
}

// ForgetOperatorKey drops an operator's key: at logout and at the idle lock.
func (s *Store) ForgetOperatorKey(username string) {
	s.keysMu.Lock()
	defer s.keysMu.Unlock()
	delete(s.keys, username)
}

func (s *Store) operatorKey(username string) ed25519.PrivateKey {
	s.keysMu.Lock()
	defer s.keysMu.Unlock()
	return s.keys[username]
}

// prove signs the device's operation just queued in tx with the key of
// operator, when the operation is privileged (app.Privileged). Without the
// operator's key in hand (no login with the password in this session) it
// is EUNAUTHORIZED and the whole transaction, fact included, is undone:
// the hub would refuse the operation anyway.
func (s *Store) prove(ctx context.Context, tx *sql.Tx, device, operator string) error {
	var (
		op      = app.Operation{Device: device}
		created string
		data    sql.NullString
		action  sql.NullString
		hash    sql.NullString
		comune  string
	)
	err := tx.QueryRowContext(ctx, `SELECT o.id, o.seq, o.kind, o.created_at, o.data, a.action, a.hash
		FROM outbox o LEFT JOIN audit a ON a.device = o.device AND a.seq = o.audit_seq
		WHERE o.device = ? ORDER BY o.seq DESC LIMIT 1`, device).
		Scan(&op.ID, &op.Seq, &op.Kind, &created, &data, &action, &hash)
	if err != nil {
		return err
	}
	if hash.Valid {
		op.Audit = &app.AuditEvent{Action: action.String, Hash: hash.String}
	}
	if !app.Privileged(&op) {
		return nil
	}
	if data.Valid {
		op.Data = []byte(data.String)
	}
	if op.CreatedAt, err = parseTime(created); err != nil {
		return err
	}
	if err := tx.QueryRowContext(ctx, `SELECT comune FROM profile WHERE id = 1`).Scan(&comune); err != nil {
		return err
	}
	sig, err := s.SignAs(operator, app.ProofMessage(comune, operator, &op))
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE outbox SET proof_operator = ?, proof_signature = ? WHERE id = ?`, operator, sig, op.ID)
	return err
}

// OperatorKeys is the store's keyring as the counter's login uses it
// (app.OperatorKeys), the derivation given by the caller (passwd.DeriveKey).
func (s *Store) OperatorKeys(derive func(params, password string) (ed25519.PrivateKey, error)) app.OperatorKeys {
	return keyring{s: s, derive: derive}
}

type keyring struct {
	s      *Store
	derive func(params, password string) (ed25519.PrivateKey, error)
}

func (k keyring) Unlock(op *app.Operator, password string) error {
	if op.KeyParams == "" {
		return nil
	}
	key, err := k.derive(op.KeyParams, password)
	if err != nil {
		return app.Errorf(app.EINVALID, "chiave dell'operatore %s non leggibile: %v", op.Username, err)
	}
	if !key.Public().(ed25519.PublicKey).Equal(ed25519.PublicKey(op.PublicKey)) {
		// The hash matched but the key does not: the account reached
		// this workstation damaged or half-updated.
		return app.Errorf(app.ECONFLICT, "la chiave dell'operatore %s non corrisponde alla password: sincronizzare la postazione", op.Username)
	}
	k.s.HoldOperatorKey(op.Username, key)
	return nil
}

func (k keyring) Forget(username string) { k.s.ForgetOperatorKey(username) }

// SignAs signs msg with the key of username held for the session:
// EUNAUTHORIZED when the operator has not logged in with the password.
func (s *Store) SignAs(username string, msg []byte) ([]byte, error) {
	key := s.operatorKey(username)
	if key == nil {
		return nil, app.Errorf(app.EUNAUTHORIZED, "per questa operazione serve l'accesso dell'operatore %s con la sua password", username)
	}
	return ed25519.Sign(key, msg), nil
}
