package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/sportello/sportello/app"
)

// Operator returns the account of username, ENOTFOUND if the workstation
// has not received it.
func (s *Store) Operator(ctx context.Context, username string) (*app.Operator, error) {
	op, err := scanOperator(s.db.QueryRowContext(ctx, `SELECT `+operatorCols+` FROM operators WHERE username = ?`, username))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, app.Errorf(app.ENOTFOUND, "operatore %s sconosciuto a questa postazione", username)
	}
	if err != nil {
		return nil, fmt.Errorf("operator %s: %w", username, err)
	}
	return op, nil
}

// operatorCols are the columns scanOperator reads.
const operatorCols = `username, name, comune, roles, password_hash, key_params, public_key, active, updated_at`

func scanOperator(row scanner) (*app.Operator, error) {
	var (
		op         app.Operator
		roles, upd string
	)
	if err := row.Scan(&op.Username, &op.Name, &op.Comune, &roles, &op.PasswordHash, &op.KeyParams, &op.PublicKey, &op.Active, &upd); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(roles), &op.Roles); err != nil {
		return nil, fmt.Errorf("roles: %w", err)
	}
	var err error
	if op.UpdatedAt, err = parseTime(upd); err != nil {
		return nil, err
	}
	return &op, nil
}

// upsertOperator writes an account as the hub sent it.
func upsertOperator(ctx context.Context, tx *sql.Tx, op *app.Operator) error {
	roles, err := json.Marshal(op.Roles)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO operators (username, name, comune, roles, password_hash, key_params, public_key, active, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (username) DO UPDATE SET name = excluded.name, comune = excluded.comune,
			roles = excluded.roles, password_hash = excluded.password_hash,
			key_params = excluded.key_params, public_key = excluded.public_key,
			active = excluded.active, updated_at = excluded.updated_at`,
		op.Username, op.Name, op.Comune, string(roles), op.PasswordHash, op.KeyParams, op.PublicKey, op.Active, formatTime(op.UpdatedAt))
	return err
}

// LoginFailures returns the failed logins of username since its last good
// one, and when the last failure happened.
func (s *Store) LoginFailures(ctx context.Context, username string) (count int, last time.Time, err error) {
	var at string
	err = s.db.QueryRowContext(ctx, `SELECT count, last_at FROM login_failures WHERE username = ?`, username).Scan(&count, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, nil
	}
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("login failures %s: %w", username, err)
	}
	if last, err = parseTime(at); err != nil {
		return 0, time.Time{}, fmt.Errorf("login failures %s: %w", username, err)
	}
	return count, last, nil
}

// RecordLogin counts a failed login, or clears the count after a good one.
func (s *Store) RecordLogin(ctx context.Context, username string, ok bool, at time.Time) error {
	var err error
	if ok {
		_, err = s.exec(ctx, `DELETE FROM login_failures WHERE username = ?`, username)
	} else {
		_, err = s.exec(ctx, `INSERT INTO login_failures (username, count, last_at) VALUES (?, 1, ?)
			ON CONFLICT (username) DO UPDATE SET count = count + 1, last_at = excluded.last_at`,
			username, formatTime(at))
	}
	if err != nil {
		return fmt.Errorf("record login %s: %w", username, err)
	}
	return nil
}
