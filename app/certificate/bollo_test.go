package certificate_test

import (
	"strings"
	"testing"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/app/certificate"
)

func TestResolveBollo(t *testing.T) {
	residenza := mustType(t, certificate.SlugResidenza)
	nascita := mustType(t, certificate.SlugNascita)
	cittadinanza := mustType(t, certificate.SlugCittadinanza)
	for _, tc := range []struct {
		name string
		typ  certificate.Type
		in   certificate.Bollo
		want certificate.Bollo
	}{
		{"Marca", residenza, certificate.Bollo{Marca: " " + marca + " "}, certificate.Bollo{Marca: marca, AmountCents: 1600}},
		{"MarcaTwoFogli", residenza, certificate.Bollo{Marca: marca, AmountCents: 3200}, certificate.Bollo{Marca: marca, AmountCents: 3200}},
		{"ExemptionPensioneEstera", residenza, certificate.Bollo{ExemptionID: 9},
			certificate.Bollo{ExemptionID: 9, ExemptionText: "PENSIONE ESTERA - art. 9, tabella allegato B)  DPR 642/1972"}},
		{"ExemptionAlsoFromDiritti", residenza, certificate.Bollo{ExemptionID: 10},
			certificate.Bollo{ExemptionID: 10, ExemptionText: "SCAMBIO DI ATTI E DOCUMENTI FRA PP.AA. - art. 16, tabella allegato B) DPR 642/1972", DirittiExempt: true}},
		{"ExemptionOtherStatesTheLaw", residenza, certificate.Bollo{ExemptionID: 99, ExemptionText: "Borsa di studio - art. 11 tabella B DPR 642/1972"},
			certificate.Bollo{ExemptionID: 99, ExemptionText: "Borsa di studio - art. 11 tabella B DPR 642/1972"}},
		// Birth and citizenship are anagrafe certificates (ANPR): a
		// marca, or an exemption whose legal reference is printed.
		{"NascitaMarca", nascita, certificate.Bollo{Marca: marca}, certificate.Bollo{Marca: marca, AmountCents: 1600}},
		{"NascitaExemption", nascita, certificate.Bollo{ExemptionID: 7},
			certificate.Bollo{ExemptionID: 7, ExemptionText: "SEPARAZIONE/DIVORZIO ai sensi dell'art. 19 della legge 74/1987", DirittiExempt: true}},
		{"CittadinanzaMarca", cittadinanza, certificate.Bollo{Marca: marca}, certificate.Bollo{Marca: marca, AmountCents: 1600}},
		{"CittadinanzaExemption", cittadinanza, certificate.Bollo{ExemptionID: 9},
			certificate.Bollo{ExemptionID: 9, ExemptionText: "PENSIONE ESTERA - art. 9, tabella allegato B)  DPR 642/1972"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := certificate.ResolveBollo(tc.typ, tc.in, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}

	for _, tc := range []struct {
		name string
		typ  certificate.Type
		in   certificate.Bollo
		msg  string
	}{
		{"ErrNeither", residenza, certificate.Bollo{}, "indicare il numero della marca"},
		{"ErrMarcaShort", residenza, certificate.Bollo{Marca: "0123456789012"}, "14 cifre"},
		{"ErrMarcaLong", residenza, certificate.Bollo{Marca: "012345678901234"}, "14 cifre"},
		{"ErrMarcaLetter", residenza, certificate.Bollo{Marca: "0123456789012A"}, "14 cifre"},
		{"ErrMarcaSpaced", residenza, certificate.Bollo{Marca: "0123456 7890123"}, "14 cifre"},
		{"ErrMarcaArabicDigits", residenza, certificate.Bollo{Marca: "٠١٢٣٤٥٦٧٨٩٠١٢٣"}, "14 cifre"},
		{"ErrMarcaAmount", residenza, certificate.Bollo{Marca: marca, AmountCents: 1000}, "importo"},
		{"ErrBoth", residenza, certificate.Bollo{Marca: marca, ExemptionID: 9}, "l'una o l'altra"},
		{"ErrExemptionUnknown", residenza, certificate.Bollo{ExemptionID: 11}, "sconosciuto"},
		{"ErrExemptionNegative", residenza, certificate.Bollo{ExemptionID: -1}, "sconosciuto"},
		{"ErrExemptionOtherWithoutLaw", residenza, certificate.Bollo{ExemptionID: 99}, "norma di legge"},
		{"ErrExemptionOtherOnlyTableText", residenza, certificate.Bollo{ExemptionID: 99, ExemptionText: "ALTRO MOTIVO DI ESENZIONE"}, "norma di legge"},
		// The old reading (stato civile, exempt by law) is gone: neither
		// nothing nor its legal reference issues a birth or citizenship
		// certificate.
		{"ErrNascitaNeither", nascita, certificate.Bollo{}, "marca da bollo"},
		{"ErrCittadinanzaNeither", cittadinanza, certificate.Bollo{}, "marca da bollo"},
		{"ErrNascitaStatoCivileReference", nascita, certificate.Bollo{ExemptionText: certificate.StatoCivileExemption}, "certificato anagrafico in bollo"},
		{"ErrCittadinanzaStatoCivileReference", cittadinanza, certificate.Bollo{ExemptionText: certificate.StatoCivileExemption}, "certificato anagrafico in bollo"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := certificate.ResolveBollo(tc.typ, tc.in, nil)
			if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), tc.msg) {
				t.Errorf("got %v, want EINVALID saying %q", err, tc.msg)
			}
		})
	}

	t.Run("ErrExemptionTextNotTheTable", func(t *testing.T) {
		b := certificate.Bollo{ExemptionID: 9, ExemptionText: "PENSIONE"}
		if err := b.Validate(residenza, nil); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("got %v", err)
		}
	})
	t.Run("ErrDirittiFlagNotTheTable", func(t *testing.T) {
		b, _ := certificate.ResolveBollo(residenza, certificate.Bollo{ExemptionID: 9}, nil)
		b.DirittiExempt = true
		if err := b.Validate(residenza, nil); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("got %v", err)
		}
	})
	t.Run("ExemptionOfTheHubTables", func(t *testing.T) {
		// The hub distributes the tables: an exemption ANPR adds is valid
		// where the tables have it, and only there.
		tables := anpr.Defaults()
		tables.BolloExemptions = append(tables.BolloExemptions, anpr.Entry{ID: 11, Description: "NUOVA ESENZIONE - art. 1 L. 1/2030", Flag: true})
		hub := anpr.NewIndex(tables)
		b, err := certificate.ResolveBollo(residenza, certificate.Bollo{ExemptionID: 11}, hub)
		if err != nil || b.ExemptionText != "NUOVA ESENZIONE - art. 1 L. 1/2030" || !b.DirittiExempt {
			t.Errorf("got %+v, %v", b, err)
		}
		if err := b.Validate(residenza, nil); err == nil {
			t.Error("valid against the built-in tables, which lack it")
		}
	})
}

func TestFees(t *testing.T) {
	residenza := mustType(t, certificate.SlugResidenza)
	cittadinanza := mustType(t, certificate.SlugCittadinanza)
	resolve := func(typ certificate.Type, b certificate.Bollo) certificate.Bollo {
		t.Helper()
		b, err := certificate.ResolveBollo(typ, b, nil)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	custom := certificate.ComuneFees{WithBolloCents: 100, ExemptCents: 50, StatoCivileCents: 26}
	for _, tc := range []struct {
		name          string
		typ           certificate.Type
		bollo         certificate.Bollo
		fees          certificate.ComuneFees
		bolloCents    int64
		dirittiCents  int64
		dirittiReason string
	}{
		{"InBollo", residenza, resolve(residenza, certificate.Bollo{Marca: marca}), certificate.DefaultFees, 1600, 52, "L. 604/1962 tabella D, in bollo"},
		{"InBolloUnresolved", residenza, certificate.Bollo{Marca: marca}, certificate.DefaultFees, 1600, 52, "the amount defaults to one foglio"},
		{"Exempt", residenza, resolve(residenza, certificate.Bollo{ExemptionID: 9}), certificate.DefaultFees, 0, 26, "carta libera"},
		{"ExemptAlsoFromDiritti", residenza, resolve(residenza, certificate.Bollo{ExemptionID: 6}), certificate.DefaultFees, 0, 0, "table says SI"},
		{"CittadinanzaInBollo", cittadinanza, resolve(cittadinanza, certificate.Bollo{Marca: marca}), certificate.DefaultFees, 1600, 52, "an anagrafe certificate, in bollo"},
		{"CittadinanzaExempt", cittadinanza, resolve(cittadinanza, certificate.Bollo{ExemptionID: 9}), certificate.DefaultFees, 0, 26, "an anagrafe certificate, in carta libera"},
		{"LegacyStatoCivile", cittadinanza, certificate.Bollo{ExemptionText: certificate.StatoCivileExemption}, certificate.DefaultFees, 0, 0, "issued as stato civile before: as issued"},
		{"ComuneInBollo", residenza, resolve(residenza, certificate.Bollo{Marca: marca}), custom, 1600, 100, "comune's amount"},
		{"ComuneExempt", residenza, resolve(residenza, certificate.Bollo{ExemptionID: 3}), custom, 0, 50, "comune's amount"},
		{"ComuneLegacyStatoCivile", cittadinanza, certificate.Bollo{ExemptionText: certificate.StatoCivileExemption}, custom, 0, 26, "comune's amount"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, d := certificate.Fees(tc.typ, tc.bollo, tc.fees)
			if b != tc.bolloCents || d != tc.dirittiCents {
				t.Errorf("bollo %d diritti %d, want %d and %d (%s)", b, d, tc.bolloCents, tc.dirittiCents, tc.dirittiReason)
			}
		})
	}
	t.Run("DefaultFeesAreTheLaw", func(t *testing.T) {
		if certificate.DefaultFees.WithBolloCents != 52 || certificate.DefaultFees.ExemptCents != 26 {
			t.Errorf("got %+v, want €0.52 and €0.26", certificate.DefaultFees)
		}
	})
	t.Run("ErrNegativeFees", func(t *testing.T) {
		if err := (certificate.ComuneFees{ExemptCents: -1}).Validate(); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("got %v", err)
		}
	})
}

func TestNumber(t *testing.T) {
	for _, tc := range []struct {
		device string
		year   int
		seq    int64
		want   string
	}{
		{"I690-W001", 2026, 123, "I690-W001-2026-000123"},
		{"F205-W1234", 2027, 1, "F205-W1234-2027-000001"},
		{"F205-K01", 2026, 1234567, "F205-K01-2026-1234567"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			n, err := certificate.NewNumber(tc.device, tc.year, tc.seq)
			if err != nil {
				t.Fatal(err)
			}
			if n.String() != tc.want || n.DeviceID() != tc.device {
				t.Errorf("got %s of %s", n, n.DeviceID())
			}
			back, err := certificate.ParseNumber(n.String())
			if err != nil || back != n {
				t.Errorf("ParseNumber(%s) = %+v, %v", n, back, err)
			}
		})
	}
	for _, tc := range []struct{ name, s string }{
		{"ErrEmpty", ""},
		{"ErrShortSeq", "I690-W001-2026-123"},
		{"ErrPaddedBeyondSix", "I690-W001-2026-0000123"},
		{"ErrZeroSeq", "I690-W001-2026-000000"},
		{"ErrSignedSeq", "I690-W001-2026-+00123"},
		{"ErrTwoDigitYear", "I690-W001-26-000123"},
		{"ErrForeignState", "Z100-W001-2026-000123"},
		{"ErrLowerCase", "i690-w001-2026-000123"},
		{"ErrNoDevice", "I690--2026-000123"},
		{"ErrExtraPart", "I690-W001-X-2026-000123"},
		{"ErrSpaces", " I690-W001-2026-000123"},
		{"ErrYearBefore2000", "I690-W001-1999-000123"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if n, err := certificate.ParseNumber(tc.s); app.ErrorCode(err) != app.EINVALID {
				t.Errorf("ParseNumber(%q) = %v, %v", tc.s, n, err)
			}
		})
	}
	t.Run("ErrDeviceWithoutComune", func(t *testing.T) {
		if _, err := certificate.NewNumber("W001", 2026, 1); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("got %v", err)
		}
	})
}
