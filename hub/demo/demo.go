// Package demo seeds a hub with the demonstration network: the synthetic
// comuni of the embedded default (`sportello` with no configuration) and of
// `sportello-hub demo`. What a demo comune holds is chosen here, one file
// per subject: its anagrafe, its operators, its catalogue and requests, its
// payments and fines, its queue and albo. The rows are written through the
// hub's storage (storage.Store) with the same checks as real data, so the
// demo exercises the same code paths as production. A real network never
// runs it.
package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/sportello/sportello/hub/storage"
	"github.com/sportello/sportello/internal/anprdir"
)

// Credentials of the demo operators: printed on the login screen, so they
// are no secret.
const (
	Operator   = "demo"
	Password   = "sportello"
	Supervisor = "supervisore"
)

// Options say what Seed puts in a comune.
type Options struct {
	Comune    string
	Residents int
	Seed      int64
	// Today is the day the demo is as of; zero is now.
	Today time.Time
	// HashPassword hashes the demo operators' password (argon2id).
	HashPassword func(string) (string, error)
}

// Seed adds a whole demo comune to the hub and returns how many people its
// anagrafe has: the comune with its key, the demo operators, the built-in
// catalogue enabled, a deterministic anagrafe, then what its residents
// owe, asked for and booked. The comune's name comes from the hub's
// reference tables.
func Seed(ctx context.Context, db storage.Store, o Options) (int, error) {
	if o.Today.IsZero() {
		o.Today = time.Now()
	}
	if err := seedComune(ctx, db, o); err != nil { // anagrafe.go
		return 0, err
	}
	if err := seedOperators(ctx, db, o); err != nil { // operators.go
		return 0, err
	}
	if err := seedCatalogue(ctx, db, o.Comune); err != nil { // requests.go
		return 0, fmt.Errorf("demo catalogue: %w", err)
	}
	n, err := seedAnagrafe(ctx, db, o) // anagrafe.go
	if err != nil {
		return n, err
	}
	if err := seedPayments(ctx, db, o.Comune, o.Today); err != nil { // payments.go
		return n, fmt.Errorf("demo payments: %w", err)
	}
	if err := SeedRequests(ctx, db, o.Comune, o.Today); err != nil { // requests.go
		return n, fmt.Errorf("demo requests: %w", err)
	}
	if err := SeedQueue(ctx, db, o.Comune, o.Today); err != nil { // queue.go
		return n, fmt.Errorf("demo queue: %w", err)
	}
	return n, nil
}

// Network is the embedded default's demo network: Sesto San Giovanni,
// where the workstation is, and Cinisello Balsamo next door, whose
// citizens are found through the hub.
var Network = []Options{
	{Comune: "I690", Residents: 3000, Seed: 1},
	{Comune: "C707", Residents: 800, Seed: 2},
}

// Home is the comune of the embedded default's workstations: the first of
// Network.
var Home = Network[0].Comune

// SeedNetwork makes db the demo network. On an empty hub it imports the
// built-in reference tables and seeds every comune of Network; on a hub
// seeded before, it only adds to the home comune what an older seeding
// lacks (next week's bookable slots, the sample requests) and keeps
// everything else, bookings and work done included.
func SeedNetwork(ctx context.Context, db storage.Store, hashPassword func(string) (string, error), today time.Time) error {
	if today.IsZero() {
		today = time.Now()
	}
	comuni, err := db.Comuni(ctx)
	if err != nil {
		return err
	}
	if len(comuni) == 0 {
		if err := db.ImportReference(ctx, anprdir.BuiltIn()); err != nil {
			return fmt.Errorf("demo reference tables: %w", err)
		}
		for _, o := range Network {
			o.HashPassword, o.Today = hashPassword, today
			if _, err := Seed(ctx, db, o); err != nil {
				return fmt.Errorf("demo comune %s: %w", o.Comune, err)
			}
		}
		return nil
	}
	if err := SeedQueue(ctx, db, Home, today); err != nil {
		return fmt.Errorf("demo queue: %w", err)
	}
	if err := SeedRequests(ctx, db, Home, today); err != nil {
		return fmt.Errorf("demo requests: %w", err)
	}
	return nil
}
