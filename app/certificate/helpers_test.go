package certificate_test

import (
	"bytes"
	"crypto/ed25519"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/app/cf"
)

// now is the moment the tests issue certificates: 23 November 2026, 11:00
// in Rome.
var now = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

var refs = anpr.NewIndex(anpr.Defaults())

// person returns a valid resident of Sesto San Giovanni, adult, Italian,
// single, fully certifiable, head of his family, changed by mods; the
// codice fiscale follows the changes.
func person(tb testing.TB, mods ...func(*app.Citizen)) *app.Citizen {
	tb.Helper()
	c := &app.Citizen{
		Surname:        "ROSSI",
		GivenName:      "MARIO",
		Sex:            "M",
		BirthDate:      app.Date(1980, time.January, 2),
		BirthPlaceCode: "F205",
		Citizenship:    "ITA",
		CivilStatus:    app.CivilStatusSingle,
		Comune:         "I690",
		Address:        app.Address{Street: "Via Giuseppe Garibaldi", HouseNumber: "12/A", Postcode: "20099"},
		FamilyID:       "FAM-1",
		Relationship:   app.RelationshipHead,
		Status:         app.StatusResident,
		RegisteredOn:   app.Date(1980, time.January, 2),
		Certifiability: app.CertifiableFully,
	}
	for _, m := range mods {
		m(c)
	}
	code, err := cf.Compute(cf.Person{Surname: c.Surname, Name: c.GivenName, Sex: c.Sex, BirthDate: c.BirthDate, BirthPlaceCode: c.BirthPlaceCode})
	if err != nil {
		tb.Fatalf("codice fiscale: %v", err)
	}
	c.CodiceFiscale = code
	if c.Status != app.StatusResident && c.CancelledOn.IsZero() {
		c.CancelledOn = app.Date(2024, time.March, 5)
	}
	if err := c.Validate(); err != nil {
		tb.Fatalf("test citizen: %v", err)
	}
	return c
}

// file is the citizen file of c with a wife and a son, and a daughter who
// emigrated (and so is no longer on the family sheet).
func file(tb testing.TB, c *app.Citizen) *app.CitizenFile {
	tb.Helper()
	wife := person(tb, func(w *app.Citizen) {
		w.Surname, w.GivenName, w.Sex = "BIANCHI", "LUCIA", "F"
		w.BirthDate, w.BirthPlaceCode = app.Date(1982, time.May, 30), "Z133"
		w.Relationship, w.CivilStatus, w.FamilyID = app.RelationshipSpouse, app.CivilStatusMarried, c.FamilyID
	})
	son := person(tb, func(s *app.Citizen) {
		s.GivenName, s.BirthDate = "LUCA", app.Date(2012, time.September, 1)
		s.Relationship, s.FamilyID = app.RelationshipChild, c.FamilyID
	})
	gone := person(tb, func(s *app.Citizen) {
		s.GivenName, s.Sex, s.BirthDate = "ANNA", "F", app.Date(2005, time.February, 14)
		s.Relationship, s.FamilyID, s.Status = app.RelationshipChild, c.FamilyID, app.StatusEmigrated
	})
	f := &app.CitizenFile{
		Citizen:          *c,
		BirthPlaceName:   "MILANO",
		CitizenshipName:  app.CitizenshipName(refs, c.Citizenship),
		CivilStatusName:  name(refs, anpr.TableCivilStatus, c.CivilStatus),
		RelationshipName: name(refs, anpr.TableRelationships, c.Relationship),
		ComuneName:       "SESTO SAN GIOVANNI",
		AsOf:             now.Add(-90 * time.Minute),
	}
	for _, m := range []*app.Citizen{c, wife, son, gone} {
		f.Family = append(f.Family, app.FamilyMember{Citizen: *m, RelationshipName: name(refs, anpr.TableRelationships, m.Relationship)})
	}
	return f
}

func name(ix *anpr.Index, table anpr.TableName, id int) string {
	e, _ := ix.Entry(table, id)
	return e.Description
}

func mustType(tb testing.TB, slug string) certificate.Type {
	tb.Helper()
	t, err := certificate.TypeBySlug(slug)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

const marca = "01234567890123"

// bolloFor is a bollo the operator would choose for t: a marca on anagrafe
// certificates, nothing on stato civile ones.
func bolloFor(t certificate.Type) certificate.Bollo {
	if t.Bollo() {
		return certificate.Bollo{Marca: marca}
	}
	return certificate.Bollo{}
}

func issue(tb testing.TB, t certificate.Type, f *app.CitizenFile, seq int64) *certificate.Certificate {
	tb.Helper()
	n, err := certificate.NewNumber("I690-W001", 2026, seq)
	if err != nil {
		tb.Fatal(err)
	}
	c, err := certificate.New(t, f, refs, certificate.Request{
		Number: n, Use: "uso privato", Bollo: bolloFor(t), IssuedAt: now, Operator: "mrossi", On: residenceDay,
	})
	if err != nil {
		tb.Fatalf("issue %s: %v", t.Slug, err)
	}
	return c
}

// pki is a network: a root, a comune and one of its workstations, with
// deterministic keys so that stamps, and the fuzz corpus, are reproducible.
type pki struct {
	rootPub ed25519.PublicKey
	rootKey ed25519.PrivateKey
	comKey  ed25519.PrivateKey
	comCert app.KeyCert
	devKey  ed25519.PrivateKey
	devCert app.KeyCert
}

var keysCertifiedAt = time.Date(2026, time.January, 10, 9, 0, 0, 0, time.UTC)

func key(seed byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
}

func newPKI(root ed25519.PrivateKey, comune, device string, seed byte) *pki {
	p := &pki{rootKey: root, rootPub: root.Public().(ed25519.PublicKey), comKey: key(seed), devKey: key(seed + 1)}
	p.comCert = app.SignKeyCert(root, app.IssuerRoot, app.ComuneSubject(comune), p.comKey.Public().(ed25519.PublicKey), keysCertifiedAt)
	p.devCert = app.SignKeyCert(p.comKey, app.ComuneSubject(comune), app.DeviceSubject(device), p.devKey.Public().(ed25519.PublicKey), keysCertifiedAt)
	return p
}

var network = newPKI(key(1), "I690", "I690-W001", 10)

func (p *pki) sign(tb testing.TB, f certificate.Facts) string {
	tb.Helper()
	s, err := certificate.Sign(f, p.devKey, p.devCert, p.comCert)
	if err != nil {
		tb.Fatalf("sign: %v", err)
	}
	return s
}

func noRevocations(string) (time.Time, bool) { return time.Time{}, false }
