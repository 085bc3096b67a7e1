package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"github.com/sportello/sportello/app"
)

// Where an access record comes from: a workstation's audit chain, or the
// hub's own record of reads of another comune's citizen (citizen_reads).
const (
	SourceDevice = "device"
	SourceHub    = "hub"
)

// ActionHubRead is the action of an access the hub recorded itself: a
// device read another comune's citizen through the hub.
const ActionHubRead = "lettura_hub"

// Access is one access to a citizen's data (app.Access).
type Access = app.Access

// Accesses lists the accesses to the citizen codiceFiscale that comune
// may see, oldest first: the audit events uploaded by its own devices and
// the hub's reads by its devices, and, when the citizen is one of its
// own, those of every other comune's devices too. An audit event is about
// the citizen when its subject is the codice fiscale or starts with it
// (a reprint or a forcing names the certificate after it).
func (d *DB) Accesses(ctx context.Context, comune, codiceFiscale string) ([]Access, error) {
	var own int
	if err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM citizens WHERE codice_fiscale = ? AND comune = ?`,
		codiceFiscale, comune).Scan(&own); err != nil {
		return nil, fmt.Errorf("accesses of %s: %w", codiceFiscale, err)
	}
	var out []Access
	rows, err := d.db.QueryContext(ctx, `SELECT a.at, a.device, d.comune, a.operator, a.action, a.subject
		FROM audit a JOIN devices d ON d.id = a.device
		WHERE (a.subject = ?1 OR substr(a.subject, 1, length(?1) + 1) = ?1 || ' ') AND (d.comune = ?2 OR ?3 = 1)`,
		codiceFiscale, comune, own > 0)
	if err != nil {
		return nil, fmt.Errorf("accesses of %s: %w", codiceFiscale, err)
	}
	for rows.Next() {
		a := Access{Source: SourceDevice}
		var at string
		if err := rows.Scan(&at, &a.Device, &a.DeviceComune, &a.Operator, &a.Action, &a.Subject); err != nil {
			rows.Close()
			return nil, fmt.Errorf("accesses of %s: %w", codiceFiscale, err)
		}
		a.At, _ = time.Parse(time.RFC3339Nano, at)
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("accesses of %s: %w", codiceFiscale, err)
	}
	reads, err := d.CitizenReads(ctx, codiceFiscale)
	if err != nil {
		return nil, err
	}
	for _, r := range reads {
		if r.DeviceComune != comune && r.SubjectComune != comune {
			continue
		}
		out = append(out, Access{At: r.At, Device: r.Device, DeviceComune: r.DeviceComune, Operator: r.Operator,
			Action: ActionHubRead, Subject: r.Subject, Purpose: r.Purpose, Source: SourceHub})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
}

// PruneAccesses applies a retention period: the hub's reads older than
// before are deleted, and the audit events uploaded by workstations older
// than before lose what names a person (operator and subject). The events
// themselves stay, with their sequence numbers and hashes, so that each
// device's chain still links and a real gap (an event never delivered)
// still shows in AuditGaps instead of hiding among the pruned ones. It
// returns how many reads it deleted and how many events it cleared.
func (d *DB) PruneAccesses(ctx context.Context, before time.Time) (reads, events int64, err error) {
	err = d.tx(ctx, func(tx *sql.Tx) error {
		// Times are stored as RFC 3339 in UTC, which sort as text; the
		// cut is at a whole second, which is all a retention in days needs.
		cut := before.UTC().Truncate(time.Second).Format(time.RFC3339)
		r, err := tx.ExecContext(ctx, `DELETE FROM citizen_reads WHERE at < ?`, cut)
		if err != nil {
			return err
		}
		if reads, err = r.RowsAffected(); err != nil {
			return err
		}
		r, err = tx.ExecContext(ctx, `UPDATE audit SET operator = '', subject = '' WHERE at < ? AND (operator <> '' OR subject <> '')`, cut)
		if err != nil {
			return err
		}
		events, err = r.RowsAffected()
		return err
	})
	if err != nil {
		return 0, 0, fmt.Errorf("prune accesses before %s: %w", before.Format(time.DateOnly), err)
	}
	return reads, events, nil
}
