package certificate_test

import (
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
)

func TestNew(t *testing.T) {
	// A person for each type: the resident family man has all but two.
	holder := map[string]*app.Citizen{
		certificate.SlugCancellazione:       person(t, func(c *app.Citizen) { c.Status, c.CancelReason = app.StatusEmigrated, "emigrato a MONZA" }),
		certificate.SlugResidenzaConvivenza: person(t, func(c *app.Citizen) { c.Relationship = 25 }),
	}
	for slug, c := range civilHolders(t) {
		holder[slug] = c
	}
	for _, typ := range certificate.Types() {
		t.Run(typ.Slug, func(t *testing.T) {
			c, ok := holder[typ.Slug]
			if !ok {
				c = person(t)
			}
			cert := issue(t, typ, file(t, c), 7)
			text := cert.CertifiedText()
			for _, want := range []string{typ.Title + "\n", "Numero: I690-W001-2026-000007\n", "Codice fiscale: " + c.CodiceFiscale + "\n",
				"Nato il: 02/01/1980 a MILANO\n", "Rilasciato il: 23/11/2026 11:00:00 da mrossi\n",
				"Dati anagrafici aggiornati al: 23/11/2026 09:30:00\n", certificate.Notice + "\n"} {
				if !strings.Contains(text, want) {
					t.Errorf("text lacks %q:\n%s", want, text)
				}
			}
			// Each certificate says what its type certifies, and no more.
			for _, f := range []struct {
				fact certificate.Fact
				line string
			}{
				{certificate.FactCitizenship, "Cittadinanza: ITALIANA"},
				{certificate.FactAlive, "Esistenza in vita:"},
				{certificate.FactResidence, "Residenza: Via Giuseppe Garibaldi 12/A - 20099, SESTO SAN GIOVANNI"},
				{certificate.FactResidenceHistory, "Residente nel comune: dal 02/01/1980 a oggi"},
				{certificate.FactCivilStatus, "Stato civile: Celibe/Nubile"},
				{certificate.FactFreeStatus, "Stato libero:"},
				{certificate.FactFamily, "Famiglia anagrafica:\n1. ROSSI MARIO, nato il 02/01/1980 a MILANO"},
				{certificate.FactRelationships, "2. BIANCHI LUCIA, nata il 30/05/1982 a SVIZZERA, Marito / Moglie"},
				{certificate.FactFamilyCivilStatus, "3. ROSSI LUCA, nato il 01/09/2012 a MILANO, Celibe/Nubile"},
				{certificate.FactConvivenza, "Convivenza anagrafica: Convivente in convivenza non affettiva"},
				{certificate.FactCancellation, "Cancellazione anagrafica: 05/03/2024, emigrato a MONZA"},
			} {
				want := typ.Facts.Has(f.fact)
				if f.fact == certificate.FactResidence && typ.Facts.Has(certificate.FactResidenceHistory) {
					want = true // the history ends with the current address
				}
				if got := strings.Contains(text, f.line); got != want {
					t.Errorf("certifies %s: %v, prints %q: %v\n%s", f.fact, want, f.line, got, text)
				}
			}
			if strings.Contains(text, "ANNA") {
				t.Error("lists the daughter who emigrated")
			}
			if typ.Bollo() != strings.Contains(text, "Imposta di bollo: assolta con marca da bollo n. 01234567890123 di € 16,00\n") {
				t.Errorf("bollo line wrong for %s:\n%s", typ.Kind, text)
			}
			if !typ.Bollo() && !strings.Contains(text, "\nEsente da imposta di bollo: certificato di stato civile (art. 7 L. 405/1990)\n") {
				t.Errorf("stato civile certificate without its exemption:\n%s", text)
			}
			if (typ.ValidMonths == 0) == strings.Contains(text, "Valido fino al: 23/05/2027\n") {
				t.Errorf("validity line wrong for %d months:\n%s", typ.ValidMonths, text)
			}
		})
	}
}

// TestCertifiedText pins the whole text of one certificate: its digest is
// in every stamp already printed, so a change here breaks their check
// against the page.
func TestCertifiedText(t *testing.T) {
	f := file(t, person(t))
	n, _ := certificate.NewNumber("I690-W001", 2026, 123)
	c, err := certificate.New(mustType(t, certificate.SlugStatoDiFamigliaParentela), f, refs, certificate.Request{
		Number: n, Use: "uso successione", Bollo: certificate.Bollo{ExemptionID: 7}, IssuedAt: now, Offline: true, Operator: "mrossi",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `CERTIFICATO DI STATO DI FAMIGLIA CON RAPPORTI DI PARENTELA
Numero: I690-W001-2026-000123
Comune: SESTO SAN GIOVANNI (I690)
Cognome: ROSSI
Nome: MARIO
Codice fiscale: RSSMRA80A02F205C
Nato il: 02/01/1980 a MILANO
Residenza: Via Giuseppe Garibaldi 12/A - 20099, SESTO SAN GIOVANNI
Famiglia anagrafica:
1. ROSSI MARIO, nato il 02/01/1980 a MILANO, Intestatario Scheda
2. BIANCHI LUCIA, nata il 30/05/1982 a SVIZZERA, Marito / Moglie
3. ROSSI LUCA, nato il 01/09/2012 a MILANO, Figlio / Figlia
Uso: uso successione
Esente da imposta di bollo: SEPARAZIONE/DIVORZIO ai sensi dell'art. 19 della legge 74/1987
Rilasciato il: 23/11/2026 11:00:00 da mrossi
Dati anagrafici aggiornati al: 23/11/2026 09:30:00
Rilascio: senza collegamento con l'anagrafe centrale: dati della postazione
Valido fino al: 23/05/2027
Il presente certificato non può essere prodotto agli organi della pubblica amministrazione o ai privati gestori di pubblici servizi (art. 40 DPR 445/2000)
`
	if got := c.CertifiedText(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}

	t.Run("DuplicateSameDigest", func(t *testing.T) {
		d := *c
		d.Duplicate = true
		if d.Digest() != c.Digest() || d.Facts() != c.Facts() {
			t.Error("a reprint changes the signed facts")
		}
	})
	t.Run("AbroadNotice", func(t *testing.T) {
		a := *c
		a.Abroad = true
		text := a.CertifiedText()
		if !strings.Contains(text, certificate.NoticeAbroad) || strings.Contains(text, certificate.Notice) {
			t.Errorf("notice for use abroad wrong:\n%s", text)
		}
		if a.Digest() == c.Digest() {
			t.Error("the notice is not bound by the digest")
		}
	})
}

func TestNewRequest(t *testing.T) {
	residenza := mustType(t, certificate.SlugResidenza)
	n, _ := certificate.NewNumber("I690-W001", 2026, 1)
	req := func(mod func(*certificate.Request)) certificate.Request {
		r := certificate.Request{Number: n, Bollo: certificate.Bollo{Marca: marca}, IssuedAt: now, Operator: "mrossi"}
		mod(&r)
		return r
	}
	t.Run("AsOfNeverAfterIssue", func(t *testing.T) {
		f := file(t, person(t))
		f.AsOf = now.Add(2 * time.Minute) // the hub's clock is ahead
		c, err := certificate.New(residenza, f, refs, req(func(*certificate.Request) {}))
		if err != nil || !c.AsOf.Equal(c.IssuedAt) {
			t.Errorf("as of %v, issued %v: %v", c.AsOf, c.IssuedAt, err)
		}
	})
	t.Run("WholeSecondsUTC", func(t *testing.T) {
		c, err := certificate.New(residenza, file(t, person(t)), refs, req(func(r *certificate.Request) {
			r.IssuedAt = now.Add(700 * time.Millisecond).In(time.FixedZone("CET", 3600))
		}))
		if err != nil || !c.IssuedAt.Equal(now) || c.IssuedAt.Location() != time.UTC {
			t.Errorf("issued %v: %v", c.IssuedAt, err)
		}
	})
	for _, tc := range []struct {
		name string
		mod  func(*certificate.Request)
		msg  string
	}{
		{"ErrNoBollo", func(r *certificate.Request) { r.Bollo = certificate.Bollo{} }, "marca da bollo"},
		{"ErrNoOperator", func(r *certificate.Request) { r.Operator = "" }, "operatore"},
		{"ErrUseOnTwoLines", func(r *certificate.Request) { r.Use = "uso\nprivato" }, "uso"},
		{"ErrNumberOfAnotherYear", func(r *certificate.Request) { r.Number.Year = 2025 }, "anno"},
		{"ErrNoNumber", func(r *certificate.Request) { r.Number = certificate.Number{} }, "numero"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := certificate.New(residenza, file(t, person(t)), refs, req(tc.mod))
			if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), tc.msg) {
				t.Errorf("got %v, want EINVALID about %q", err, tc.msg)
			}
		})
	}
	t.Run("ErrRefused", func(t *testing.T) {
		_, err := certificate.New(mustType(t, certificate.SlugStatoLibero), file(t, person(t, func(c *app.Citizen) { c.CivilStatus = app.CivilStatusMarried })), refs, req(func(*certificate.Request) {}))
		if !strings.Contains(app.ErrorMessage(err), "coniugata") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("ErrPersonNotInFamily", func(t *testing.T) {
		f := file(t, person(t))
		f.Family = f.Family[1:]
		_, err := certificate.New(mustType(t, certificate.SlugStatoDiFamiglia), f, refs, req(func(*certificate.Request) {}))
		if app.ErrorCode(err) != app.EINVALID {
			t.Errorf("got %v", err)
		}
	})
}

func TestValidUntil(t *testing.T) {
	residenza := mustType(t, certificate.SlugResidenza)
	for _, tc := range []struct {
		name   string
		issued time.Time
		want   string
	}{
		{"SixMonths", time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC), "2026-07-15"},
		{"EndOfMonth", time.Date(2026, 8, 31, 9, 0, 0, 0, time.UTC), "2027-02-28"},
		{"LeapYear", time.Date(2027, 8, 31, 9, 0, 0, 0, time.UTC), "2028-02-29"},
		// 23:30 UTC on 31 December is 1 January in Rome: the day of issue
		// is Rome's.
		{"DayOfIssueInRome", time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC), "2027-07-01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := certificate.Certificate{Type: residenza, IssuedAt: tc.issued}
			if got := c.ValidUntil().Format(time.DateOnly); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
	t.Run("BirthWithoutLimit", func(t *testing.T) {
		c := certificate.Certificate{Type: mustType(t, certificate.SlugNascita), IssuedAt: now}
		if !c.ValidUntil().IsZero() {
			t.Errorf("got %v", c.ValidUntil())
		}
	})
}
