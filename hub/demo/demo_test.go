package demo_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/hub/demo"
	"github.com/sportello/sportello/hub/sqlstore"
)

func MustOpenDB(tb testing.TB) *sqlstore.DB {
	tb.Helper()
	db, err := sqlstore.Open(context.Background(), filepath.Join(tb.TempDir(), "hub.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// fastHash stands in for argon2id, whose cost is the login's business,
// not the seeding's.
func fastHash(string) (string, error) {
	return "$argon2id$v=19$m=65536,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", nil
}

// demoHub is a hub with the reference tables and one demo comune,
// Sesto San Giovanni, of 300 residents.
func demoHub(t *testing.T, today time.Time) *sqlstore.DB {
	t.Helper()
	ctx := context.Background()
	db := MustOpenDB(t)
	if err := db.ImportReference(ctx, anpr.Defaults()); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, db, demo.Options{Comune: "I690", Residents: 300, Seed: 1, Today: today, HashPassword: fastHash}); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestSeedNetwork seeds the embedded default's network on an empty hub:
// both comuni, named from the reference tables, the home comune's
// operators under the plain names and the neighbour's suffixed; seeding
// the same hub again, days later, keeps what is there.
func TestSeedNetwork(t *testing.T) {
	ctx := context.Background()
	today := time.Date(2026, 5, 14, 10, 0, 0, 0, time.UTC)
	db := MustOpenDB(t)
	if err := demo.SeedNetwork(ctx, db, fastHash, today); err != nil {
		t.Fatal(err)
	}
	comuni, err := db.Comuni(ctx)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, c := range comuni {
		names[c.Code] = c.Name
	}
	if names["I690"] != "SESTO SAN GIOVANNI" || names["C707"] != "CINISELLO BALSAMO" || len(names) != 2 {
		t.Fatalf("demo network comuni: %v", names)
	}
	if demo.Home != "I690" {
		t.Errorf("home comune %s", demo.Home)
	}
	for _, tc := range []struct{ username, comune string }{
		{demo.Operator, "I690"},
		{demo.Supervisor, "I690"},
		{demo.Operator + ".c707", "C707"},
		{demo.Supervisor + ".c707", "C707"},
	} {
		if got, err := db.OperatorComune(ctx, tc.username); err != nil || got != tc.comune {
			t.Errorf("operator %s: comune %q (%v), want %s", tc.username, got, err, tc.comune)
		}
	}
	people := func(comune string) int {
		cs, err := db.ComuneCitizens(ctx, comune, 1_000_000)
		if err != nil {
			t.Fatal(err)
		}
		return len(cs)
	}
	sesto, cinisello := people("I690"), people("C707")
	if sesto < demo.Network[0].Residents || cinisello < demo.Network[1].Residents {
		t.Fatalf("anagrafe: %d people in I690, %d in C707", sesto, cinisello)
	}
	for code, want := range map[string]string{"I690": "Comune di Sesto San Giovanni", "C707": "Comune di Cinisello Balsamo"} {
		rec, err := db.Record(ctx, code, payment.KindPayee, code)
		if err != nil || !strings.Contains(string(rec.Data), `"`+want+`"`) {
			t.Errorf("%s: the creditor is not %q (%v)", code, want, err)
		}
	}
	if refunds, err := db.Refunds(ctx, "I690"); err != nil || len(refunds) != 1 || refunds[0].ExcessCents != 8450 {
		t.Errorf("home comune: refunds %+v (%v), want the one canteen fee paid twice", refunds, err)
	}
	requests, err := db.HubRequests(ctx, "I690", "")
	if err != nil || len(requests) == 0 {
		t.Fatalf("home comune: %d requests (%v)", len(requests), err)
	}

	if err := demo.SeedNetwork(ctx, db, fastHash, today.AddDate(0, 0, 3)); err != nil {
		t.Fatal(err)
	}
	if again := people("I690"); again != sesto {
		t.Errorf("seeding again: %d people in I690, were %d", again, sesto)
	}
	if again, _ := db.HubRequests(ctx, "I690", ""); len(again) != len(requests) {
		t.Errorf("seeding again: %d requests, were %d", len(again), len(requests))
	}
}
