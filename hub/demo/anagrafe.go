package demo

import (
	"context"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/hub/storage"
	"github.com/sportello/sportello/internal/population"
)

// seedComune registers the comune, with its key, under the name the hub's
// reference tables give it on the demo's day.
func seedComune(ctx context.Context, db storage.Store, o Options) error {
	refs, err := db.Reference(ctx)
	if err != nil {
		return err
	}
	com, ok := anpr.NewIndex(refs).Comune(o.Comune, o.Today)
	if !ok {
		return app.Errorf(app.ENOTFOUND, "comune %s sconosciuto alle tabelle di riferimento: importarle prima (import-reference)", o.Comune)
	}
	return db.EnsureComune(ctx, o.Comune, com.Name)
}

// seedAnagrafe fills the comune's anagrafe with the generated population
// (residents, and the people the comune cancelled), streamed so that a
// demo Milano does not sit in memory.
func seedAnagrafe(ctx context.Context, db storage.Store, o Options) (int, error) {
	opt := population.Options{Comune: o.Comune, Residents: o.Residents, Seed: o.Seed, Today: o.Today}
	return db.SeedCitizens(ctx, o.Comune, func(yield func(app.Citizen) error) error {
		return population.Stream(opt, yield)
	})
}
