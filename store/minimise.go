package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/sportello/sportello/app/kiosk"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/app/queue"
)

// KeepForKiosk reduces the cache of a kiosk to what its screens need, as
// the hub now serves it: no operator accounts (nor their password
// hashes), no refunds, and each identity document as its check
// (kiosk.DocumentCheck), never the number. A cache synced before the hub
// confined kiosks is cleaned at the kiosk's start; a clean one is left
// as it is. It returns how many document numbers it replaced.
func (s *Store) KeepForKiosk(ctx context.Context) (int, error) {
	n := 0
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM operators`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM records WHERE kind = ?`, payment.KindRefund); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT codice_fiscale, document_number FROM citizens
			WHERE document_number <> '' AND substr(document_number, 1, ?) <> ?`, len(kiosk.DocumentCheckPrefix), kiosk.DocumentCheckPrefix)
		if err != nil {
			return err
		}
		var codes, checks []string
		for rows.Next() {
			var code, number string
			if err := rows.Scan(&code, &number); err != nil {
				rows.Close()
				return err
			}
			codes, checks = append(codes, code), append(checks, kiosk.DocumentCheck(code, number))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range codes {
			if _, err := tx.ExecContext(ctx, `UPDATE citizens SET document_number = ? WHERE codice_fiscale = ?`, checks[i], codes[i]); err != nil {
				return err
			}
		}
		n = len(codes)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("keep for kiosk: %w", err)
	}
	return n, nil
}

// KeepForBoard reduces the cache of a display board to the queue: no
// citizen, no operator, no record but the areas and the board's state.
func (s *Store) KeepForBoard(ctx context.Context) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		args := make([]any, len(queue.BoardKinds))
		for i, k := range queue.BoardKinds {
			args[i] = k
		}
		for _, q := range []struct {
			query string
			args  []any
		}{
			{`DELETE FROM operators`, nil},
			{`DELETE FROM citizens`, nil},
			{`DELETE FROM records WHERE kind NOT IN (` + strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ") + `)`, args},
		} {
			if _, err := tx.ExecContext(ctx, q.query, q.args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("keep for board: %w", err)
	}
	return nil
}
