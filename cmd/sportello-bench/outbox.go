package main

import (
	"context"
	"fmt"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/hub/sqlstore"
	"github.com/sportello/sportello/store"
	"github.com/sportello/sportello/sync"
)

// measureOutbox queues cfg.outboxOps audit events on the synced
// workstation (each its own committed transaction, as the counter writes
// them; not timed) and times the sync round that sends them to the hub.
// Duplicates are the hub's audit events for the device beyond those sent,
// plus any left pending: both must be 0.
func measureOutbox(ctx context.Context, cfg *config, db *sqlstore.DB, st *store.Store, c *sync.Client, res *Result) error {
	p, err := st.Profile(ctx)
	if err != nil {
		return err
	}
	if err := c.Round(ctx); err != nil { // what was queued before is not timed
		return err
	}
	before, err := db.AuditCount(ctx, p.Device)
	if err != nil {
		return err
	}
	at := time.Now()
	for i := range cfg.outboxOps {
		if err := st.AppendAudit(ctx, "demo", app.AuditView, fmt.Sprintf("ricerca %d", i), at); err != nil {
			return err
		}
	}
	c.RefreshStatus(ctx)
	start := time.Now()
	if err := c.Round(ctx); err != nil {
		return err
	}
	res.OutboxFlush10kS = time.Since(start).Seconds()
	res.OutboxOps = cfg.outboxOps
	after, err := db.AuditCount(ctx, p.Device)
	if err != nil {
		return err
	}
	pending, _, err := st.OutboxCounts(ctx)
	if err != nil {
		return err
	}
	if after-before < cfg.outboxOps || pending > 0 {
		return fmt.Errorf("the hub holds %d of the %d audit events sent, %d still pending", after-before, cfg.outboxOps, pending)
	}
	res.Duplicates = after - before - cfg.outboxOps
	return nil
}
