package certificate_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
)

// anprPages names the page of controllo-certificati of each ANPR type.
var anprPages = map[int]string{
	1: "anagrafico_nascita", 2: "anagrafico_morte", 3: "anagrafico_matrimonio", 4: "cancellazione_anagrafica",
	5: "cittadinanza", 6: "storico_cittadinanza", 7: "esistenza_in_vita", 8: "residenza", 9: "storico_residenza",
	10: "residenza_aire", 11: "stato_civile", 12: "stato_di_famiglia", 13: "stato_di_famiglia_e_stato_civile",
	14: "residenza_in_convivenza", 15: "stato_di_famiglia_aire", 16: "stato_di_famiglia_con_relazioni_di_parentela",
	17: "stato_libero", 18: "unione_civile", 19: "contratto_di_convivenza", 20: "storico_residenza_alla_data",
}

// excludedPartner is, per ANPR type, a type its page forbids joining in a
// cumulative certificate ("Combinazioni certificati su cumulativi").
var excludedPartner = map[int]int{
	2: 1, 3: 17, 4: 1, 6: 1, 9: 1, 10: 8, 11: 12, 12: 13, 13: 12, 14: 12, 15: 8, 16: 12, 17: 3, 20: 1,
}

// baseInput is a person who passes every control of ANPR type a: an
// adult Italian resident, head of a family of three, fully certifiable,
// with every act the type certifies on record, and a bollo paid.
func baseInput(tb testing.TB, a int) *certificate.Input {
	c := person(tb)
	f := file(tb, c)
	in := certificate.InputOf(f, now)
	in.Settled = true
	in.Bollo = certificate.Bollo{Marca: marca, AmountCents: certificate.BolloCents}
	in.BolloCents, in.DirittiCents = certificate.BolloCents, certificate.DefaultFees.WithBolloCents
	in.Acts = &certificate.Acts{
		Marriage: true, Spouse: true, MarriedOn: app.Date(2010, time.June, 5),
		CivilUnion: true, Partner: true, UnitedOn: app.Date(2018, time.May, 2),
		Contract: true, Cohabitant: true, ContractOn: app.Date(2019, time.March, 1),
		Cohabitants: []string{c.CodiceFiscale, "BNCLCU82E70Z133X"}, Applicant: c.CodiceFiscale,
		AIREFamily: true, ResidenceSince: c.RegisteredOn, SubentroOn: app.Date(1979, time.January, 1),
	}
	switch a {
	case 2: // di morte: of a deceased person
		in.Citizen.Status, in.Citizen.CancelledOn = app.StatusDeceased, app.Date(2025, time.January, 3)
	case 3: // di matrimonio
		in.Citizen.CivilStatus = app.CivilStatusMarried
	case 4: // di cancellazione: of a person who left
		in.Citizen.Status, in.Citizen.CancelledOn = app.StatusEmigrated, app.Date(2024, time.March, 5)
	case 10, 15: // the AIRE types: of a person abroad
		in.Citizen.Status, in.Citizen.CancelledOn = app.StatusAIRE, app.Date(2024, time.March, 5)
		in.Acts.ExpatriatedOn = app.Date(2024, time.March, 5)
	case 14: // residenza in convivenza
		in.Citizen.Relationship = 25
		in.Family = nil
	case 18: // unione civile
		in.Citizen.CivilStatus = 6
	case 20: // storico alla data
		in.ReferenceDate = app.Date(2000, time.January, 1)
	}
	return in
}

// breakers make a passing input fail one control.
var breakers = map[certificate.ControlID]func(in *certificate.Input){
	certificate.CtlNonCertificabile:   func(in *certificate.Input) { in.Citizen.Certifiability = 0 },
	certificate.CtlNonIscrivibile:     func(in *certificate.Input) { in.Citizen.Certifiability = 3 },
	certificate.CtlInterdetto:         func(in *certificate.Input) { in.Citizen.Certifiability = 4 },
	certificate.CtlParzialmente:       func(in *certificate.Input) { in.Citizen.Certifiability = 1 },
	certificate.CtlProcedimentoAperto: func(in *certificate.Input) { in.Citizen.OpenProcedure = true },
	certificate.CtlRichiedentePA:      func(in *certificate.Input) { in.RequesterPA = true },
	certificate.CtlEsenzione99Descrizione: func(in *certificate.Input) {
		in.Bollo = certificate.Bollo{ExemptionID: certificate.ExemptionOther}
		in.BolloCents, in.DirittiCents = 0, 26
	},
	certificate.CtlEsenzioneDescrLunga: func(in *certificate.Input) {
		in.Bollo = certificate.Bollo{ExemptionID: certificate.ExemptionOther, ExemptionText: strings.Repeat("a", 257)}
		in.BolloCents, in.DirittiCents = 0, 26
	},
	certificate.CtlEsenzioneDiritti: func(in *certificate.Input) {
		in.Bollo = certificate.Bollo{ExemptionID: 9, ExemptionText: "PENSIONE ESTERA - art. 9, tabella allegato B)  DPR 642/1972", DirittiExempt: true}
		in.BolloCents, in.DirittiCents = 0, 0
	},
	certificate.CtlEsenzione99Diritti: func(in *certificate.Input) {
		in.Bollo = certificate.Bollo{ExemptionID: certificate.ExemptionOther, ExemptionText: "Borsa di studio - art. 11 tabella B DPR 642/1972", DirittiExempt: true}
		in.BolloCents, in.DirittiCents = 0, 26
	},
	certificate.CtlUsoSenzaEsenzione: func(in *certificate.Input) { in.Destination = certificate.DestinationCourt },
	certificate.CtlDirittiZero:       func(in *certificate.Input) { in.DirittiCents = 0 },
	certificate.CtlBolloZero:         func(in *certificate.Input) { in.BolloCents = 0 },
	certificate.CtlIscrittoAIRE: func(in *certificate.Input) {
		in.Citizen.Status, in.Citizen.CancelledOn = app.StatusAIRE, app.Date(2024, time.March, 5)
	},
	certificate.CtlResidente: func(in *certificate.Input) {
		in.Citizen.Status, in.Citizen.CancelledOn = app.StatusResident, time.Time{}
	},
	certificate.CtlCancellato: func(in *certificate.Input) {
		in.Citizen.Status, in.Citizen.CancelledOn = app.StatusEmigrated, app.Date(2024, time.March, 5)
	},
	certificate.CtlDeceduto: func(in *certificate.Input) {
		in.Citizen.Status, in.Citizen.CancelledOn = app.StatusDeceased, app.Date(2024, time.March, 5)
	},
	certificate.CtlAIRENatoEstero: func(in *certificate.Input) {
		in.Citizen.Status, in.Citizen.CancelledOn, in.Citizen.BirthPlaceCode = app.StatusAIRE, app.Date(2024, time.March, 5), "Z133"
	},
	certificate.CtlNonDeceduto: func(in *certificate.Input) {
		in.Citizen.Status, in.Citizen.CancelledOn = app.StatusResident, time.Time{}
	},
	certificate.CtlDataCancellazione: func(in *certificate.Input) { in.Citizen.CancelledOn = time.Time{} },
	certificate.CtlCittadinanzaIndefinita: func(in *certificate.Input) {
		in.Citizen.Citizenship, in.Citizen.CitizenshipStatus = "", app.CitizenshipNotAttributable
	},
	certificate.CtlPiuCittadinanze: func(in *certificate.Input) { in.Citizen.OtherCitizenships = "FRA" },
	certificate.CtlCittadinanzaAssente: func(in *certificate.Input) {
		in.Citizen.Citizenship, in.Citizen.CitizenshipStatus = "", app.CitizenshipMissing
	},
	certificate.CtlNonItaliano:            func(in *certificate.Input) { in.Citizen.Citizenship = "ALB" },
	certificate.CtlStatoCivileMancante:    func(in *certificate.Input) { in.Citizen.CivilStatus = app.CivilStatusUnknown },
	certificate.CtlStatoCivileDatiAssenti: func(in *certificate.Input) { in.Acts.CivilStatusDataMissing = true },
	certificate.CtlStatoNonLibero:         func(in *certificate.Input) { in.Citizen.CivilStatus = app.CivilStatusMarried },
	certificate.CtlStatoLiberoMinorenne:   func(in *certificate.Input) { in.Citizen.BirthDate = app.Date(2008, time.November, 24) },
	certificate.CtlLiberoOUnito:           func(in *certificate.Input) { in.Citizen.CivilStatus = app.CivilStatusSingle },
	certificate.CtlMatrimonioAssente:      func(in *certificate.Input) { in.Acts.Marriage = false },
	certificate.CtlConiugeAssente:         func(in *certificate.Input) { in.Acts.Spouse = false },
	certificate.CtlAIREAlMatrimonio:       func(in *certificate.Input) { in.Acts.ExpatriatedOn = app.Date(2009, time.January, 1) },
	certificate.CtlNonUnito:               func(in *certificate.Input) { in.Citizen.CivilStatus = app.CivilStatusDivorced },
	certificate.CtlUnioneAssente:          func(in *certificate.Input) { in.Acts.CivilUnion = false },
	certificate.CtlParteUnitaAssente:      func(in *certificate.Input) { in.Acts.Partner = false },
	certificate.CtlAIREUnione: func(in *certificate.Input) {
		in.Citizen.Status, in.Citizen.CancelledOn = app.StatusAIRE, app.Date(2015, time.March, 5)
		in.Acts.ExpatriatedOn = app.Date(2015, time.March, 5)
	},
	certificate.CtlContrattoAssente:    func(in *certificate.Input) { in.Acts.Contract = false },
	certificate.CtlConviventeAssente:   func(in *certificate.Input) { in.Acts.Cohabitant = false },
	certificate.CtlRichiedenteEstraneo: func(in *certificate.Input) { in.Acts.Applicant = "" },
	certificate.CtlAIREContratto: func(in *certificate.Input) {
		in.Citizen.Status, in.Citizen.CancelledOn = app.StatusAIRE, app.Date(2015, time.March, 5)
		in.Acts.ExpatriatedOn = app.Date(2015, time.March, 5)
	},
	certificate.CtlFamigliaNonCertificab: func(in *certificate.Input) {
		in.Family = slices.Clone(in.Family)
		in.Family[1].Certifiability = 0
	},
	certificate.CtlSenzaFissaDimora: func(in *certificate.Input) { in.Citizen.NoFixedAbode = true },
	certificate.CtlInConvivenza:     func(in *certificate.Input) { in.Citizen.Relationship = 25 },
	certificate.CtlNonInConvivenza:  func(in *certificate.Input) { in.Citizen.Relationship = app.RelationshipHead },
	certificate.CtlSenzaFamiglia:    func(in *certificate.Input) { in.Citizen.FamilyID, in.Family = "", nil },
	certificate.CtlSenzaIntestatario: func(in *certificate.Input) {
		in.Family = slices.Clone(in.Family)
		for i := range in.Family {
			if in.Family[i].Relationship == app.RelationshipHead {
				in.Family[i].Relationship = 13 // Altro parente
			}
		}
	},
	certificate.CtlUnicoComponente:   func(in *certificate.Input) { in.Family = in.Family[:1] },
	certificate.CtlMinorenneEstraneo: func(in *certificate.Input) { in.ApplicantMinorOutsideFamily = true },
	certificate.CtlFamigliaNonAIRE:   func(in *certificate.Input) { in.Acts.AIREFamily = false },
	certificate.CtlSenzaFamigliaConvivenza: func(in *certificate.Input) {
		in.Citizen.FamilyID, in.Family = "", nil
	},
	certificate.CtlParentelaNonAmmessa:   func(in *certificate.Input) { in.Citizen.Relationship = 14 },
	certificate.CtlRiferimentoAssente:    func(in *certificate.Input) { in.ReferenceDate = time.Time{} },
	certificate.CtlRiferimentoIscrizione: func(in *certificate.Input) { in.ReferenceDate = app.Date(1975, time.January, 1) },
	certificate.CtlRiferimentoSubentro:   func(in *certificate.Input) { in.Acts.SubentroOn = app.Date(2020, time.January, 1) },
	certificate.CtlDecorrenzaIscrizione:  func(in *certificate.Input) { in.Acts.ResidenceSince = app.Date(1979, time.June, 1) },
	certificate.CtlRiferimentoCancellaz: func(in *certificate.Input) {
		in.Citizen.Status, in.Citizen.CancelledOn = app.StatusEmigrated, app.Date(2024, time.March, 5)
		in.ReferenceDate = app.Date(2025, time.January, 1)
	},
	certificate.CtlDecorrenzaAssente: func(in *certificate.Input) {
		in.Citizen.RegisteredOn, in.Acts.ResidenceSince = time.Time{}, time.Time{}
	},
}

// anprType is a Type for an ANPR type, whether or not Sportello defines
// it yet: the controls are keyed by the ANPR code.
func anprType(a int) certificate.Type {
	for _, t := range certificate.Types() {
		if t.ID == a {
			return t
		}
	}
	return certificate.Type{ID: a, ANPR: a, Slug: anprPages[a], Title: "CERTIFICATO " + strings.ToUpper(anprPages[a]), Kind: certificate.Anagrafe}
}

// TestControls proves every row of every ANPR type's table (docs/
// CERTIFICATES.md): a person who passes every control of the type fails
// the row's control, and only with the reason of that rule, once one fact
// is changed; a forceable row is forceable, a blocking one is not.
func TestControls(t *testing.T) {
	for a := 1; a <= 20; a++ {
		typ := anprType(a)
		controls := certificate.ANPRControls(a)
		if len(controls) == 0 {
			t.Errorf("ANPR type %d has no controls", a)
			continue
		}
		t.Run(fmt.Sprintf("%02d-%s", a, anprPages[a]), func(t *testing.T) {
			if f := certificate.Evaluate(typ, baseInput(t, a)); f != nil {
				t.Fatalf("the base person fails: %+v", f)
			}
			for _, ctl := range controls {
				t.Run(string(ctl.ID), func(t *testing.T) {
					in := baseInput(t, a)
					if ctl.ID == certificate.CtlCumulativo {
						in.With = []int{excludedPartner[a]}
					} else {
						breakers[ctl.ID](in)
					}
					failures := certificate.Evaluate(typ, in)
					i := slices.IndexFunc(failures, func(f certificate.Failure) bool { return f.Control.ID == ctl.ID })
					if i < 0 {
						t.Fatalf("control %s did not fail: %+v", ctl.ID, failures)
					}
					f := failures[i]
					if f.Reason == "" || f.Control.Category == "" || f.Control.Source == "" || (f.Control.ANPR == "" && !strings.HasPrefix(f.Control.Source, "Sportello")) {
						t.Errorf("failure without reason, section or source: %+v", f)
					}
					err := certificate.Decide(typ, failures, nil)
					if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), f.Reason) {
						t.Errorf("Decide: %v, want EINVALID with %q", err, f.Reason)
					}
					// Forcing it, with a reason, lets it through when ANPR
					// says so, and only then.
					var force []certificate.Forcing
					for _, g := range failures {
						force = append(force, certificate.Forcing{Control: g.Control.ID, Reason: "verificato dall'ufficiale d'anagrafe"})
					}
					err = certificate.Decide(typ, failures, force)
					if ctl.Forceable && len(failures) == 1 && err != nil {
						t.Errorf("forced, refused: %v", err)
					}
					if !ctl.Forceable && err == nil {
						t.Error("a blocking control was forced")
					}
				})
			}
		})
	}
}

// TestControlsFollowANPR reads ANPR's pages: every type has the sections
// ANPR writes, a control for each line, and the lines ANPR lets the officer
// force are the forceable ones.
func TestControlsFollowANPR(t *testing.T) {
	dir := filepath.Join("testdata", "controllo-certificati")
	bullet := regexp.MustCompile(`(?m)^- `)
	for a, page := range anprPages {
		t.Run(page, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(dir, "CERTIFICATO_"+page+".rst"))
			if err != nil {
				t.Fatal(err)
			}
			text := string(b)
			flatText := strings.Join(strings.Fields(text), " ")
			controls := certificate.ANPRControls(a)
			own, forceable := 0, 0
			for _, c := range controls {
				if c.ANPR == "" {
					own++
				}
				if c.Forceable {
					forceable++
				}
				if c.ANPR != "" && !strings.Contains(text, string(c.Category)) {
					t.Errorf("%s: section %q not on ANPR's page", c.ID, c.Category)
				}
				// ANPR's words, as on the page (its residence pages write
				// "soggetto" in lower case).
				if c.ANPR != "" && !strings.Contains(strings.ToLower(flatText), strings.ToLower(strings.Join(strings.Fields(c.ANPR), " "))) {
					t.Errorf("%s: %q is not ANPR's words on its page", c.ID, c.ANPR)
				}
			}
			// One control per line of ANPR's page, but for the pages that
			// list one condition twice (esistenza in vita) or several on one
			// line (con relazioni di parentela), the lines about the
			// combinations, which are one control, and the stato libero's
			// enumeration.
			lines := len(bullet.FindAllString(text, -1))
			switch page {
			case "esistenza_in_vita":
				lines--
			case "stato_di_famiglia_con_relazioni_di_parentela":
				lines += 5
			}
			if got := len(controls) - own; got != lines {
				t.Errorf("%d controls of ANPR's, its page has %d lines", got, lines)
			}
			if want := strings.Count(text, "forzaCertificazione") - strings.Count(text, "Soggetto non certificabile e forza"); forceable != want {
				t.Errorf("%d forceable controls, ANPR's page names forzaCertificazione %d times", forceable, want)
			}
		})
	}
}

// TestDecide covers the officer's forcings themselves.
func TestDecide(t *testing.T) {
	typ := anprType(1)
	in := baseInput(t, 1)
	in.Citizen.Certifiability = 1 // parzialmente certificabile: forceable
	failures := certificate.Evaluate(typ, in)
	ok := certificate.Forcing{Control: certificate.CtlParzialmente, Reason: "richiesto per la pratica di cittadinanza"}
	for _, tc := range []struct {
		name  string
		force []certificate.Forcing
		msg   string
	}{
		{"ErrNotForced", nil, "forzabile con un motivo"},
		{"ErrNoReason", []certificate.Forcing{{Control: certificate.CtlParzialmente}}, "indicare il motivo"},
		{"ErrBlankReason", []certificate.Forcing{{Control: certificate.CtlParzialmente, Reason: "   "}}, "indicare il motivo"},
		{"ErrReasonOver256", []certificate.Forcing{{Control: certificate.CtlParzialmente, Reason: strings.Repeat("x", 257)}}, "256"},
		{"ErrReasonTwoLines", []certificate.Forcing{{Control: certificate.CtlParzialmente, Reason: "uno\ndue"}}, "su una riga"},
		{"ErrNotFailing", []certificate.Forcing{ok, {Control: certificate.CtlInterdetto, Reason: "x"}}, "non è tra quelli non superati"},
		{"ErrUnknown", []certificate.Forcing{ok, {Control: "tutto", Reason: "x"}}, "non è tra quelli non superati"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := certificate.Decide(typ, failures, tc.force)
			if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), tc.msg) {
				t.Errorf("got %v, want EINVALID saying %q", err, tc.msg)
			}
		})
	}
	t.Run("Forced", func(t *testing.T) {
		if err := certificate.Decide(typ, failures, []certificate.Forcing{ok}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ReasonOf256", func(t *testing.T) {
		if err := certificate.Decide(typ, failures, []certificate.Forcing{{Control: certificate.CtlParzialmente, Reason: strings.Repeat("è", 256)}}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrBlockingNotForceable", func(t *testing.T) {
		in := baseInput(t, 1)
		in.Citizen.Certifiability = 0
		err := certificate.Decide(typ, certificate.Evaluate(typ, in), []certificate.Forcing{{Control: certificate.CtlNonCertificabile, Reason: "x"}})
		if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "non si può forzare") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("EveryFailureListed", func(t *testing.T) {
		in := baseInput(t, 5)
		in.Citizen.OpenProcedure, in.Citizen.OtherCitizenships, in.DirittiCents = true, "FRA", 0
		failures := certificate.Evaluate(anprType(5), in)
		var got []certificate.ControlID
		for _, f := range failures {
			got = append(got, f.Control.ID)
		}
		want := []certificate.ControlID{certificate.CtlProcedimentoAperto, certificate.CtlDirittiZero, certificate.CtlPiuCittadinanze}
		if !slices.Equal(got, want) {
			t.Errorf("failures %v, want %v in ANPR's order", got, want)
		}
	})
	t.Run("BolloControlsWaitForTheBollo", func(t *testing.T) {
		in := baseInput(t, 8)
		in.Settled, in.DirittiCents = false, 0
		if f := certificate.Evaluate(anprType(8), in); f != nil {
			t.Errorf("before the bollo is chosen: %+v", f)
		}
	})
	t.Run("ContestualeJoinsResidenceAndFamily", func(t *testing.T) {
		// ANPR joins residence (8) and family (12) in one certificate;
		// the contestuale runs the controls of both.
		typ := mustType(t, certificate.SlugContestuale)
		in := baseInput(t, 12)
		if f := certificate.Evaluate(typ, in); f != nil {
			t.Fatalf("%+v", f)
		}
		in.Citizen.NoFixedAbode = true
		if f := certificate.Evaluate(typ, in); len(f) != 1 || f[0].Control.ID != certificate.CtlSenzaFissaDimora {
			t.Errorf("%+v", f)
		}
	})
}
