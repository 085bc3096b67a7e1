package sqlstore

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// RootPublicKey returns the network's root public key, with which anyone
// verifies a stamp. Unlike RootKey it reads without taking the writer's
// lock, once the key exists: the verification page is public, and its
// traffic must not queue the workstations' sync behind it.
func (d *DB) RootPublicKey(ctx context.Context) (ed25519.PublicKey, error) {
	var b []byte
	err := d.db.QueryRowContext(ctx, `SELECT root_key FROM network WHERE id = 1`).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		key, err := d.RootKey(ctx)
		if err != nil {
			return nil, err
		}
		return key.Public().(ed25519.PublicKey), nil
	}
	if err != nil {
		return nil, fmt.Errorf("read root key: %w", err)
	}
	if len(b) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("root key of %d bytes", len(b))
	}
	return ed25519.PrivateKey(b).Public().(ed25519.PublicKey), nil
}

// DeviceRevokedAt returns when a workstation was revoked, for the
// verification of the stamps it signed; false when it is not revoked, or
// not enrolled at this hub (its chain, which the stamp carries, is then all
// a verifier knows of it).
func (d *DB) DeviceRevokedAt(ctx context.Context, device string) (time.Time, bool, error) {
	return deviceRevokedAt(ctx, d.db, device)
}
