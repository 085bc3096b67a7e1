package stored_test

import (
	"crypto/ed25519"
	"encoding/json"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/hub/storage/stored"
	"github.com/sportello/sportello/internal/anprdir"
	"github.com/sportello/sportello/sync/wire"
)

// The change log keeps each change as the wire's JSON, byte for byte what
// the hub encoded from wire types before the storage spoke domain types:
// the hub serves the stored changes and a snapshot's citizens as they are,
// and workstations and older rows must read the same bytes.
func TestChangeIsWireForm(t *testing.T) {
	at := time.Date(2026, time.March, 4, 10, 11, 12, 345678900, time.FixedZone("CET", 3600))
	citizen := app.Citizen{CodiceFiscale: "RSSMRA80A02F205C", Surname: "ROSSI", GivenName: "MARIO", Sex: "M",
		BirthDate: app.Date(1980, time.January, 2), BirthPlaceCode: "F205", Citizenship: "ITA", CivilStatus: 1,
		Comune: "F205", Address: app.Address{Street: "VIA ROMA", HouseNumber: "1", Postcode: "20100"}, FamilyID: "F205-1",
		Relationship: 1, Status: app.StatusResident, Certifiability: 2, UpdatedAt: at}
	pub, key, _ := ed25519.GenerateKey(nil)
	operator := app.Operator{Username: "mrossi", Name: "Mario Rossi", Comune: "F205", Roles: []app.Role{app.RoleOperator},
		PasswordHash: "hash", PublicKey: pub, Active: true, UpdatedAt: at}
	cert := app.SignKeyCert(key, app.ComuneSubject("F205"), app.DeviceSubject("F205-W001"), pub, at)
	device := app.DeviceKey{Device: "F205-W001", Comune: "F205", Cert: cert, RevokedAt: at}
	record := app.Record{Kind: "position", Key: "P1", Subject: "RSSMRA80A02F205C", Data: []byte(`{"id":"P1"}`)}
	ref := anprdir.BuiltIn()

	cw, ow, dw := wire.CitizenToWire(&citizen), wire.OperatorToWire(&operator), wire.DeviceKeyToWire(&device)
	ts := at.UTC().Format(time.RFC3339Nano)
	for _, tc := range []struct {
		name   string
		change app.Change
		want   wire.Change
	}{
		{"Citizen", app.Change{Seq: 7, Kind: app.ChangeCitizen, Key: citizen.CodiceFiscale, At: at, Citizen: &citizen},
			wire.Change{Seq: 7, Kind: app.ChangeCitizen, Key: citizen.CodiceFiscale, At: ts, Citizen: &cw}},
		{"Deleted", app.Change{Seq: 8, Kind: app.ChangeCitizen, Key: citizen.CodiceFiscale, Deleted: true, At: at},
			wire.Change{Seq: 8, Kind: app.ChangeCitizen, Key: citizen.CodiceFiscale, Deleted: true, At: ts}},
		{"Operator", app.Change{Seq: 9, Kind: app.ChangeOperator, Key: "mrossi", At: at, Operator: &operator},
			wire.Change{Seq: 9, Kind: app.ChangeOperator, Key: "mrossi", At: ts, Operator: &ow}},
		{"Device", app.Change{Seq: 10, Kind: app.ChangeDevice, Key: device.Device, At: at, Device: &device},
			wire.Change{Seq: 10, Kind: app.ChangeDevice, Key: device.Device, At: ts, Device: &dw}},
		{"Reference", app.Change{Seq: 11, Kind: app.ChangeReference, Key: "anpr", At: at, Reference: ref},
			wire.Change{Seq: 11, Kind: app.ChangeReference, Key: "anpr", At: ts, Reference: wire.ReferenceToWire(ref)}},
		{"Record", app.Change{Seq: 12, Kind: record.Kind, Key: record.Key, At: at, Record: &record},
			func() wire.Change { c := wire.RecordToWire(record); c.Seq, c.At = 12, ts; return c }()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := stored.Change(tc.change)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := json.Marshal(tc.want)
			if got != string(want) {
				t.Fatalf("stored\n %s\nwire\n %s", got, want)
			}
			if seq, err := stored.ChangeSeq([]byte(got)); err != nil || seq != tc.change.Seq {
				t.Errorf("ChangeSeq = %d, %v; want %d", seq, err, tc.change.Seq)
			}
		})
	}
}

// A citizen, an operator and a key certificate read back as they were
// stored.
func TestRoundTrip(t *testing.T) {
	at := time.Date(2026, time.March, 4, 10, 11, 12, 0, time.UTC)
	c := app.Citizen{CodiceFiscale: "RSSMRA80A02F205C", Surname: "ROSSI", GivenName: "MARIO", Sex: "M",
		BirthDate: app.Date(1980, time.January, 2), BirthPlaceCode: "F205", Citizenship: "ITA", CivilStatus: 1,
		Comune: "F205", FamilyID: "F205-1", Relationship: 1, Status: app.StatusResident, Certifiability: 2}
	got, err := stored.DecodeCitizen([]byte(stored.Citizen(&c)))
	if err != nil || stored.Citizen(got) != stored.Citizen(&c) {
		t.Fatalf("citizen %+v, %v", got, err)
	}
	pub, key, _ := ed25519.GenerateKey(nil)
	o := app.Operator{Username: "mrossi", Name: "Mario Rossi", Comune: "F205", Roles: []app.Role{app.RoleOperator},
		PasswordHash: "hash", PublicKey: pub, Active: true, UpdatedAt: at}
	if got, err := stored.DecodeOperator([]byte(stored.Operator(&o))); err != nil || stored.Operator(got) != stored.Operator(&o) {
		t.Fatalf("operator %+v, %v", got, err)
	}
	cert := app.SignKeyCert(key, app.IssuerRoot, app.ComuneSubject("F205"), pub, at)
	if got, err := stored.DecodeKeyCert([]byte(stored.KeyCert(cert))); err != nil || got.Verify(pub) != nil {
		t.Fatalf("key certificate %+v, %v", got, err)
	}
	r := app.OpResult{ID: "op-1", Applied: true, Flag: "flag", Data: []byte(`{"n":1}`)}
	if got, err := stored.DecodeOpResult([]byte(stored.OpResult(r))); err != nil || got.ID != r.ID || !got.Applied || got.Flag != r.Flag || string(got.Data) != string(r.Data) {
		t.Fatalf("operation result %+v, %v", got, err)
	}
}
