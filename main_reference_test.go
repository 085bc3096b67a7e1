package main

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/app/cf"
	"github.com/sportello/sportello/internal/cli"
)

// TestCFBuiltInTables: on a fresh install — no data folder, no enrolment,
// no import — `sportello cf` names the birth place of a codice fiscale from
// anywhere in ANPR's archive, not only from the hundred comuni of
// anpr.Defaults: the smallest comune in Italy, a comune merged away in
// 1999, a state.
func TestCFBuiltInTables(t *testing.T) {
	fresh := filepath.Join(t.TempDir(), "mai-usata")
	ix := anpr.NewIndex(anpr.Defaults())
	for _, tc := range []struct {
		name, place, want string
		born              time.Time
	}{
		{"SmallComune", "F758", "MORTERONE", time.Date(1990, time.May, 4, 0, 0, 0, 0, time.UTC)},
		{"CeasedComune", "F769", "MOSSO SANTA MARIA", time.Date(1960, time.March, 21, 0, 0, 0, 0, time.UTC)},
		{"State", "Z117", "ISLANDA", time.Date(1980, time.October, 30, 0, 0, 0, 0, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if name, ok := ix.PlaceName(tc.place, tc.born); ok {
				t.Fatalf("%s is in the defaults as %s: the case proves nothing", tc.place, name)
			}
			code, err := cf.Compute(cf.Person{Surname: "Rota", Name: "Giulia", Sex: "F", BirthDate: tc.born, BirthPlaceCode: tc.place})
			if err != nil {
				t.Fatal(err)
			}
			var res cli.CFResult
			if err := json.Unmarshal([]byte(mustRun(t, "sportello", "--data", fresh, "cf", "--json", code)), &res); err != nil {
				t.Fatal(err)
			}
			if !res.Valid || res.BirthPlaceCode != tc.place || res.BirthPlace != tc.want {
				t.Errorf("cf %s = %+v, want born in %s %s", code, res, tc.place, tc.want)
			}
		})
	}
}
