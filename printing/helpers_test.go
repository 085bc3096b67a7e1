package printing_test

import (
	"bytes"
	"crypto/ed25519"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/app/cf"
	"github.com/sportello/sportello/printing"
)

// issuedAt is when the tests issue: 23 November 2026, 11:00 in Rome.
var issuedAt = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// hub is the network's public address, as the stamp URL carries it.
const hub = "https://hub.comuneamico.example"

// refs are the built-in tables and the birthplace of the test family's
// father, which they do not list.
var refs = func() *anpr.Index {
	t := anpr.Defaults()
	t.Comuni = append(t.Comuni, anpr.Comune{
		Code: "A562", Istat: "050031", Name: "SAN GIULIANO TERME", Province: "PI",
		ValidFrom: app.Date(1935, time.July, 31), ValidTo: anpr.OpenEnd, Active: true,
	})
	return anpr.NewIndex(t)
}()

// citizen returns a resident of Sesto San Giovanni with valid codice
// fiscale, changed by mod.
func citizen(tb testing.TB, mod func(*app.Citizen)) app.Citizen {
	tb.Helper()
	c := app.Citizen{
		Sex:            "M",
		Citizenship:    "ITA",
		CivilStatus:    app.CivilStatusMarried,
		Comune:         "I690",
		Address:        app.Address{Street: "Viale Giuseppe Mazzini", HouseNumber: "120/B", Postcode: "20099"},
		FamilyID:       "FAM-7",
		Relationship:   app.RelationshipHead,
		Status:         app.StatusResident,
		RegisteredOn:   app.Date(2003, time.June, 10),
		Certifiability: app.CertifiableFully,
	}
	mod(&c)
	code, err := cf.Compute(cf.Person{Surname: c.Surname, Name: c.GivenName, Sex: c.Sex, BirthDate: c.BirthDate, BirthPlaceCode: c.BirthPlaceCode})
	if err != nil {
		tb.Fatalf("codice fiscale of %s %s: %v", c.Surname, c.GivenName, err)
	}
	c.CodiceFiscale = code
	if err := c.Validate(); err != nil {
		tb.Fatalf("test citizen %s: %v", c.FullName(), err)
	}
	return c
}

// nicolo is the holder of most test certificates: accents in his names
// and in his birthplace, married, with a wife born abroad and two children.
func nicolo(tb testing.TB) *app.CitizenFile {
	tb.Helper()
	head := citizen(tb, func(c *app.Citizen) {
		c.Surname, c.GivenName = "D'ANGELO MÜLLER", "NICOLÒ"
		c.BirthDate, c.BirthPlaceCode = app.Date(1979, time.March, 14), "A562"
	})
	wife := citizen(tb, func(c *app.Citizen) {
		c.Surname, c.GivenName, c.Sex = "ROSSI", "GIULIA", "F"
		c.BirthDate, c.BirthPlaceCode, c.Relationship = app.Date(1981, time.October, 2), "Z133", app.RelationshipSpouse
	})
	son := citizen(tb, func(c *app.Citizen) {
		c.Surname, c.GivenName, c.CivilStatus = "D'ANGELO MÜLLER", "LORENZO", app.CivilStatusSingle
		c.BirthDate, c.BirthPlaceCode, c.Relationship = app.Date(2010, time.May, 21), "F205", app.RelationshipChild
	})
	daughter := citizen(tb, func(c *app.Citizen) {
		c.Surname, c.GivenName, c.Sex, c.CivilStatus = "D'ANGELO MÜLLER", "SOFIA", "F", app.CivilStatusSingle
		c.BirthDate, c.BirthPlaceCode, c.Relationship = app.Date(2014, time.January, 9), "I690", app.RelationshipChild
	})
	return fileOf(head, wife, son, daughter)
}

// fileOf is the citizen file of the first citizen, with all of them as
// the family, names resolved with refs.
func fileOf(members ...app.Citizen) *app.CitizenFile {
	c := members[0]
	f := &app.CitizenFile{
		Citizen:          c,
		CitizenshipName:  app.CitizenshipName(refs, c.Citizenship),
		CivilStatusName:  entry(anpr.TableCivilStatus, c.CivilStatus),
		RelationshipName: entry(anpr.TableRelationships, c.Relationship),
		ComuneName:       "SESTO SAN GIOVANNI",
		AsOf:             issuedAt.Add(-90 * time.Minute),
	}
	f.BirthPlaceName, _ = refs.PlaceName(c.BirthPlaceCode, c.BirthDate)
	for _, m := range members {
		f.Family = append(f.Family, app.FamilyMember{Citizen: m, RelationshipName: entry(anpr.TableRelationships, m.Relationship)})
	}
	return f
}

func entry(table anpr.TableName, id int) string {
	e, _ := refs.Entry(table, id)
	return e.Description
}

// marca is the id of a marca da bollo.
const marca = "01170458290761"

// issue issues a certificate of the type with the given slug to the file,
// with a marca da bollo on anagrafe certificates unless b says otherwise.
func issue(tb testing.TB, slug string, f *app.CitizenFile, seq int64, b certificate.Bollo) *certificate.Certificate {
	tb.Helper()
	t, err := certificate.TypeBySlug(slug)
	if err != nil {
		tb.Fatal(err)
	}
	if t.Bollo() && b == (certificate.Bollo{}) {
		b.Marca = marca
	}
	n, err := certificate.NewNumber("I690-W001", 2026, seq)
	if err != nil {
		tb.Fatal(err)
	}
	c, err := certificate.New(t, f, refs, certificate.Request{
		Number: n, Use: "uso consentito dalla legge", Bollo: b, IssuedAt: issuedAt, Operator: "mrossi",
	})
	if err != nil {
		tb.Fatalf("issue %s: %v", slug, err)
	}
	return c
}

// issueForced issues with a marca, forcing the controls.
func issueForced(tb testing.TB, slug string, f *app.CitizenFile, seq int64, force ...certificate.Forcing) *certificate.Certificate {
	tb.Helper()
	t, err := certificate.TypeBySlug(slug)
	if err != nil {
		tb.Fatal(err)
	}
	n, err := certificate.NewNumber("I690-W001", 2026, seq)
	if err != nil {
		tb.Fatal(err)
	}
	c, err := certificate.New(t, f, refs, certificate.Request{
		Number: n, Use: "uso consentito dalla legge", Bollo: certificate.Bollo{Marca: marca}, Force: force, IssuedAt: issuedAt, Operator: "mrossi",
	})
	if err != nil {
		tb.Fatalf("issue %s: %v", slug, err)
	}
	return c
}

// The network's keys: deterministic, so that stamps and golden files are
// reproducible.
var (
	rootKey   = key(1)
	comuneKey = key(10)
	deviceKey = key(11)
	certified = time.Date(2026, time.January, 10, 9, 0, 0, 0, time.UTC)
	comune    = app.SignKeyCert(rootKey, app.IssuerRoot, app.ComuneSubject("I690"), comuneKey.Public().(ed25519.PublicKey), certified)
	device    = app.SignKeyCert(comuneKey, app.ComuneSubject("I690"), app.DeviceSubject("I690-W001"), deviceKey.Public().(ed25519.PublicKey), certified)
)

func key(seed byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
}

// stampURL signs the certificate's facts and returns the QR code's text.
func stampURL(tb testing.TB, c *certificate.Certificate) string {
	tb.Helper()
	s, err := certificate.Sign(c.Facts(), deviceKey, device, comune)
	if err != nil {
		tb.Fatalf("sign: %v", err)
	}
	return certificate.URL(hub, s)
}

// options are Sesto San Giovanni's, with the stamp of c.
func options(tb testing.TB, c *certificate.Certificate) printing.Options {
	return printing.Options{
		Stamp:    stampURL(tb, c),
		Province: "Città Metropolitana di Milano",
		Fees:     certificate.DefaultFees,
	}
}

// needTool skips the test when a command is missing, except on CI, where
// the project's install list must have provided it.
func needTool(tb testing.TB, names ...string) {
	tb.Helper()
	for _, name := range names {
		if _, err := exec.LookPath(name); err != nil {
			if os.Getenv("CI") == "true" {
				tb.Fatalf("%s missing on CI: install it (see printing/testdata/cups-setup.sh)", name)
			}
			tb.Skipf("%s not installed", name)
		}
	}
}

// run runs a command and returns its standard output.
func run(tb testing.TB, name string, args ...string) []byte {
	tb.Helper()
	cmd := exec.Command(name, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return out
}
