package certificate_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/app/certificate"
)

func TestTypes(t *testing.T) {
	ix := anpr.NewIndex(anpr.Defaults())
	seen := map[string]bool{}
	for _, typ := range certificate.Types() {
		t.Run(typ.Slug, func(t *testing.T) {
			if seen[typ.Slug] {
				t.Fatal("slug twice")
			}
			seen[typ.Slug] = true
			e, ok := ix.Entry(anpr.TableCertificateTypes, typ.ANPR)
			if !ok {
				t.Fatalf("ANPR type %d not in tipo_certificato", typ.ANPR)
			}
			// The title is ANPR's description, as a certificate heads it;
			// Sportello's own types say what they join.
			if typ.ID == typ.ANPR && typ.Title != "CERTIFICATO "+strings.ToUpper(e.Description) {
				t.Errorf("title %q, ANPR says %q", typ.Title, e.Description)
			}
			if typ.ID != typ.ANPR && typ.ID <= 100 {
				t.Errorf("own type with ID %d in ANPR's range", typ.ID)
			}
			if got, err := certificate.TypeBySlug(strings.ToUpper(typ.Slug)); err != nil || got != typ {
				t.Errorf("TypeBySlug: %v, %v", got, err)
			}
			if got, ok := certificate.TypeByID(typ.ID); !ok || got != typ {
				t.Errorf("certificate.TypeByID(%d) = %v", typ.ID, got)
			}
			if typ.Facts == 0 || typ.Facts.String() == "" {
				t.Error("certifies nothing")
			}
			if (typ.ValidMonths == 0) != (typ.Slug == certificate.SlugNascita || typ.Slug == certificate.SlugMorte) {
				t.Errorf("validity %d months: only birth and death are valid without limit (DPR 445/2000 art. 41)", typ.ValidMonths)
			}
			// ANPR's 20 types are all anagrafe certificates, birth and
			// citizenship included: with bollo unless an exemption is
			// declared (controllo-certificati/index.rst; issue 14).
			if typ.Kind != certificate.Anagrafe || !typ.Bollo() {
				t.Errorf("kind %s: every ANPR type is an anagrafe certificate, in bollo", typ.Kind)
			}
			if len(certificate.ControlsOf(typ)) == 0 {
				t.Error("no issuing controls")
			}
		})
	}
	for _, slug := range []string{"residenza", "stato-di-famiglia", "stato-di-famiglia-con-rapporti-di-parentela", "nascita", "cittadinanza",
		"esistenza-in-vita", "stato-civile", "stato-libero", "residenza-storico", "contestuale-residenza-stato-di-famiglia"} {
		if !seen[slug] {
			t.Errorf("type %s missing", slug)
		}
	}
	t.Run("ErrUnknownSlug", func(t *testing.T) {
		_, err := certificate.TypeBySlug("matrimonio-religioso")
		if app.ErrorCode(err) != app.ENOTFOUND || !strings.Contains(app.ErrorMessage(err), "stato-libero") {
			t.Errorf("got %v, want ENOTFOUND listing the types", err)
		}
	})
}

// TestCheck runs every type against every situation a counter meets; each
// row lists the types the person can have, and every other type must be
// refused with a reason. The rules are ANPR's (controls.go); TestControls
// proves each of them alone.
func TestCheck(t *testing.T) {
	all := func(except ...string) []string {
		var out []string
		for _, typ := range certificate.Types() {
			if !slices.Contains(except, typ.Slug) {
				out = append(out, typ.Slug)
			}
		}
		return out
	}
	// The types of the civil and residence history need data the plain
	// person lacks; TestCheckCivil gives it to them.
	civil := []string{certificate.SlugMorte, certificate.SlugMatrimonio, certificate.SlugStoricoCittadinanza, certificate.SlugResidenzaAIRE,
		certificate.SlugStatoDiFamigliaAIRE, certificate.SlugUnioneCivile, certificate.SlugContrattoConvivenza, certificate.SlugResidenzaAllaData}
	resident := all(append(civil, certificate.SlugCancellazione, certificate.SlugResidenzaConvivenza)...)
	minus := func(set []string, except ...string) []string {
		return slices.DeleteFunc(slices.Clone(set), func(s string) bool { return slices.Contains(except, s) })
	}
	// ANPR's pages of residence and family alone leave out "parzialmente
	// certificabile": "certificabilità parziale (solo residenza e stato di
	// famiglia)".
	residenceAndFamily := []string{certificate.SlugResidenza, certificate.SlugStatoDiFamiglia, certificate.SlugContestuale}

	for _, tc := range []struct {
		name    string
		mod     func(*app.Citizen)
		allowed []string
		reason  string // in the refusal of some refused type
	}{
		{"Resident", func(*app.Citizen) {}, resident, "non risulta cancellata"},
		// ANPR refuses even the cancellation to the deceased (the
		// anagrafico di morte certifies the death); the history remains.
		{"Deceased", func(c *app.Citizen) { c.Status = app.StatusDeceased }, []string{certificate.SlugResidenzaStorico}, "deceduta (cancellata il 05/03/2024)"},
		{"Emigrated", func(c *app.Citizen) { c.Status = app.StatusEmigrated }, []string{certificate.SlugCancellazione, certificate.SlugResidenzaStorico}, "comune di nuova residenza"},
		{"AIRE", func(c *app.Citizen) { c.Status = app.StatusAIRE },
			[]string{certificate.SlugNascita, certificate.SlugCittadinanza, certificate.SlugResidenzaStorico}, "AIRE"},
		{"AIREBornAbroad", func(c *app.Citizen) { c.Status, c.BirthPlaceCode = app.StatusAIRE, "Z133" },
			[]string{certificate.SlugCittadinanza, certificate.SlugResidenzaStorico}, "nata all'estero"},
		{"Minor", func(c *app.Citizen) { c.BirthDate = app.Date(2008, time.November, 24) }, minus(resident, certificate.SlugStatoLibero), "minorenne"},
		{"EighteenToday", func(c *app.Citizen) { c.BirthDate = app.Date(2008, time.November, 23) }, resident, ""},
		{"Married", func(c *app.Citizen) { c.CivilStatus = app.CivilStatusMarried }, minus(resident, certificate.SlugStatoLibero), "coniugata"},
		{"CivilUnion", func(c *app.Citizen) { c.CivilStatus = 6 }, minus(resident, certificate.SlugStatoLibero), "unita civilmente"},
		{"Widowed", func(c *app.Citizen) { c.CivilStatus = app.CivilStatusWidowed }, resident, ""},
		{"Divorced", func(c *app.Citizen) { c.CivilStatus = app.CivilStatusDivorced }, resident, ""},
		{"FreeAfterCivilUnion", func(c *app.Citizen) { c.CivilStatus = 8 }, resident, ""},
		{"CivilStatusUnknown", func(c *app.Citizen) { c.CivilStatus = app.CivilStatusUnknown },
			minus(resident, certificate.SlugStatoCivile, certificate.SlugStatoLibero), "stato civile non noto"},
		{"Foreigner", func(c *app.Citizen) { c.Citizenship = "ALB" }, minus(resident, certificate.SlugCittadinanza), "cittadinanza italiana"},
		{"ConvivenzaMember", func(c *app.Citizen) { c.Relationship = 25 },
			[]string{certificate.SlugNascita, certificate.SlugCittadinanza, certificate.SlugEsistenzaInVita, certificate.SlugResidenza, certificate.SlugResidenzaStorico, certificate.SlugStatoCivile, certificate.SlugResidenzaConvivenza, certificate.SlugStatoLibero}, "convivenza anagrafica"},
		{"ConvivenzaHead", func(c *app.Citizen) { c.Relationship = 24 },
			[]string{certificate.SlugNascita, certificate.SlugCittadinanza, certificate.SlugEsistenzaInVita, certificate.SlugResidenza, certificate.SlugResidenzaStorico, certificate.SlugStatoCivile, certificate.SlugResidenzaConvivenza, certificate.SlugStatoLibero}, "convivenza anagrafica"},
		{"NonCertificabile", func(c *app.Citizen) { c.Certifiability = 0 }, nil, "non certificabile"},
		{"CertificabilitaParziale", func(c *app.Citizen) { c.Certifiability = 1 }, residenceAndFamily, "solo per residenza e stato di famiglia"},
		{"SoggettoNonIscrivibile", func(c *app.Citizen) { c.Certifiability = 3 }, nil, "non iscrivibile"},
		{"InterdettoSottopostoATutela", func(c *app.Citizen) { c.Certifiability = 4 }, nil, "interdetta"},
		{"OpenProcedure", func(c *app.Citizen) { c.OpenProcedure = true }, nil, "procedimento amministrativo aperto"},
		{"SeveralCitizenships", func(c *app.Citizen) { c.OtherCitizenships = "FRA" }, minus(resident, certificate.SlugCittadinanza), "più cittadinanze"},
		{"CitizenshipDefining", func(c *app.Citizen) { c.Citizenship, c.CitizenshipStatus = "", app.CitizenshipDefining }, minus(resident, certificate.SlugCittadinanza), "997"},
		{"NoFixedAbode", func(c *app.Citizen) { c.NoFixedAbode = true }, minus(resident, certificate.SlugStatoDiFamiglia, certificate.SlugContestuale), "senza fissa dimora"},
		{"CertifiabilityUnknown", func(c *app.Citizen) { c.Certifiability = 7 }, nil, "sconosciuto (7)"},
		{"DeceasedNonCertificabile", func(c *app.Citizen) { c.Status, c.Certifiability = app.StatusDeceased, 0 }, nil, "deceduta"},
		{"RegistrationUnknown", func(c *app.Citizen) { c.RegisteredOn = time.Time{} }, minus(resident, certificate.SlugResidenzaStorico), "ricerca d'archivio"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := person(t, tc.mod)
			var reasons []string
			for _, typ := range certificate.Types() {
				err := certificate.Check(typ, file(t, c), now)
				want := slices.Contains(tc.allowed, typ.Slug)
				switch {
				case want && err != nil:
					t.Errorf("%s refused: %v", typ.Slug, err)
				case !want && err == nil:
					t.Errorf("%s issued, want refused", typ.Slug)
				case !want && app.ErrorCode(err) != app.EINVALID:
					t.Errorf("%s: code %q, want %q", typ.Slug, app.ErrorCode(err), app.EINVALID)
				case !want && !strings.Contains(strings.ToLower(app.ErrorMessage(err)), strings.ToLower(strings.TrimPrefix(typ.Title, "CERTIFICATO "))):
					t.Errorf("%s: the reason %q does not name the certificate", typ.Slug, app.ErrorMessage(err))
				case !want:
					reasons = append(reasons, app.ErrorMessage(err))
				}
			}
			if tc.reason != "" && !slices.ContainsFunc(reasons, func(r string) bool { return strings.Contains(r, tc.reason) }) {
				t.Errorf("no refusal says %q: %q", tc.reason, reasons)
			}
		})
	}

	t.Run("ErrNoPerson", func(t *testing.T) {
		if err := certificate.Check(mustType(t, certificate.SlugResidenza), nil, now); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("got %v", err)
		}
	})
	t.Run("ErrUnknownType", func(t *testing.T) {
		if err := certificate.Check(certificate.Type{Slug: "matrimonio", ID: 3}, file(t, person(t)), now); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("got %v", err)
		}
	})
}
