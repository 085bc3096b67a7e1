package hub

import (
	"context"
	"time"

	"github.com/sportello/sportello/hub/demo"
	"github.com/sportello/sportello/hub/hubdb"
)

// The demo's seeding lives in package hub/demo. These names forward to it
// only so that the desktop binary builds until it calls hub/demo itself:
// delete this file then.

// Demo credentials.
//
// Deprecated: use demo.Operator, demo.Password, demo.Supervisor.
const (
	DemoOperator   = demo.Operator
	DemoPassword   = demo.Password
	DemoSupervisor = demo.Supervisor
)

// DemoOptions is demo.Options.
//
// Deprecated: use demo.Options.
type DemoOptions = demo.Options

// SeedDemo is demo.Seed.
//
// Deprecated: use demo.Seed, or demo.SeedNetwork for the embedded default.
func SeedDemo(ctx context.Context, db *hubdb.DB, o DemoOptions) (int, error) {
	return demo.Seed(ctx, db, o)
}

// SeedDemoQueue is demo.SeedQueue.
//
// Deprecated: use demo.SeedNetwork, which tops up a seeded network.
func SeedDemoQueue(ctx context.Context, db *hubdb.DB, comune string, today time.Time) error {
	return demo.SeedQueue(ctx, db, comune, today)
}

// SeedDemoRequests is demo.SeedRequests.
//
// Deprecated: use demo.SeedNetwork, which tops up a seeded network.
func SeedDemoRequests(ctx context.Context, db *hubdb.DB, comune string, today time.Time) error {
	return demo.SeedRequests(ctx, db, comune, today)
}
