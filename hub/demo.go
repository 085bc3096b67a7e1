package hub

import (
	"context"
	"fmt"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/app/demo"
	"github.com/sportello/sportello/hub/hubdb"
)

// Demo credentials of the embedded default: printed on the login screen, so
// they are no secret. A real network never runs SeedDemo.
const (
	DemoOperator   = "demo"
	DemoPassword   = "sportello"
	DemoSupervisor = "supervisore"
)

// DemoOptions say what SeedDemo puts in a comune.
type DemoOptions struct {
	Comune    string
	Residents int
	Seed      int64
	Today     time.Time
	// HashPassword hashes the demo operators' password (argon2id).
	HashPassword func(string) (string, error)
}

// SeedDemo adds a synthetic comune to the hub: the comune with its key, the
// demo operators and a deterministic anagrafe. The comune's name comes from
// the hub's reference tables.
func SeedDemo(ctx context.Context, db *hubdb.DB, o DemoOptions) (int, error) {
	refs, err := db.Reference(ctx)
	if err != nil {
		return 0, err
	}
	if o.Today.IsZero() {
		o.Today = time.Now()
	}
	com, ok := anpr.NewIndex(refs).Comune(o.Comune, o.Today)
	if !ok {
		return 0, app.Errorf(app.ENOTFOUND, "comune %s sconosciuto alle tabelle di riferimento: importarle prima (import-reference)", o.Comune)
	}
	if err := db.EnsureComune(ctx, o.Comune, com.Name); err != nil {
		return 0, err
	}
	hash, err := o.HashPassword(DemoPassword)
	if err != nil {
		return 0, err
	}
	ops := []app.Operator{
		{Username: DemoOperator, Name: "Operatore dimostrativo", Roles: []app.Role{app.RoleOperator}},
		{Username: DemoSupervisor, Name: "Supervisore dimostrativo", Roles: []app.Role{app.RoleOperator, app.RoleSupervisor, app.RoleBackOffice}},
	}
	for _, op := range ops {
		// Usernames are network-wide: the first demo comune keeps the
		// plain names, the others get theirs suffixed.
		if existing, err := db.OperatorComune(ctx, op.Username); err == nil && existing != o.Comune {
			op.Username += "." + lower(o.Comune)
		}
		op.Comune, op.PasswordHash, op.Active = o.Comune, hash, true
		if err := db.PutOperator(ctx, op); err != nil {
			return 0, fmt.Errorf("demo operator %s: %w", op.Username, err)
		}
	}
	if _, err := SeedCatalogue(ctx, db, o.Comune); err != nil { // requests.go
		return 0, fmt.Errorf("demo catalogue: %w", err)
	}
	opt := demo.Options{Comune: o.Comune, Residents: o.Residents, Seed: o.Seed, Today: o.Today}
	n, err := db.SeedCitizens(ctx, o.Comune, func(yield func(app.Citizen) error) error {
		return demo.Stream(opt, yield)
	})
	if err != nil {
		return n, err
	}
	if err := SeedDemoPayments(ctx, db, o.Comune, o.Today); err != nil { // payments.go
		return n, fmt.Errorf("demo payments: %w", err)
	}
	if err := SeedDemoRequests(ctx, db, o.Comune, o.Today); err != nil { // demo_requests.go
		return n, fmt.Errorf("demo requests: %w", err)
	}
	if err := SeedDemoQueue(ctx, db, o.Comune, o.Today); err != nil { // demo_queue.go
		return n, fmt.Errorf("demo queue: %w", err)
	}
	return n, nil
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
