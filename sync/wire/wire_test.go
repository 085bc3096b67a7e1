package wire_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/cf"
	"github.com/sportello/sportello/sync/wire"
)

// TestCitizenControlsFields: the fields ANPR's issuing controls read go
// over the wire with English keys, and are left out when unset, so that a
// record reads the same to a client or hub of the previous version.
func TestCitizenControlsFields(t *testing.T) {
	c := app.Citizen{Surname: "ROSSI", GivenName: "MARIO", Sex: "M", BirthDate: app.Date(1980, time.January, 2),
		BirthPlaceCode: "F205", Citizenship: "ITA", CivilStatus: 1, Comune: "I690", FamilyID: "F1",
		Relationship: 1, Status: app.StatusResident, Certifiability: 2}
	code, err := cf.Compute(cf.Person{Surname: c.Surname, Name: c.GivenName, Sex: c.Sex, BirthDate: c.BirthDate, BirthPlaceCode: c.BirthPlaceCode})
	if err != nil {
		t.Fatal(err)
	}
	c.CodiceFiscale = code
	plain, _ := json.Marshal(wire.CitizenToWire(&c))
	for _, key := range []string{"citizenship_status", "other_citizenships", "open_procedure", "no_fixed_abode"} {
		if strings.Contains(string(plain), key) {
			t.Errorf("unset %s on the wire: %s", key, plain)
		}
	}
	c.OtherCitizenships, c.OpenProcedure, c.NoFixedAbode = "FRA", true, true
	b, _ := json.Marshal(wire.CitizenToWire(&c))
	for _, key := range []string{`"other_citizenships":"FRA"`, `"open_procedure":true`, `"no_fixed_abode":true`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("%s missing: %s", key, b)
		}
	}
	var w wire.Citizen
	if err := json.Unmarshal(b, &w); err != nil {
		t.Fatal(err)
	}
	got, err := wire.CitizenFromWire(w)
	if err != nil || !reflect.DeepEqual(got, c) {
		t.Errorf("round trip: %+v %v\nwant %+v", got, err, c)
	}
	c.Citizenship, c.OtherCitizenships, c.CitizenshipStatus = "", "", app.CitizenshipDefining
	got, err = wire.CitizenFromWire(wire.CitizenToWire(&c))
	if err != nil || got.CitizenshipStatus != app.CitizenshipDefining {
		t.Errorf("citizenship in definizione: %+v %v", got, err)
	}
}
