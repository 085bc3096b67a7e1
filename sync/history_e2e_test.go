package sync_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
)

// withHistories gives three citizens of Milano the civil and residence
// history the certificates of ANPR's types 2-20 need: a marriage with its
// place abroad, a convivenza with its contract, citizenship and residence
// histories; the fourth is registered in the AIRE.
func withHistories(cs []app.Citizen) []app.Citizen {
	mario, marta := &cs[0], &cs[1]
	mario.CivilStatus, marta.CivilStatus = app.CivilStatusMarried, app.CivilStatusMarried
	mario.Unions = []app.Union{{Kind: app.UnionMarriage, Date: app.Date(2010, 5, 22), PlaceCode: "Z133", Act: "trascritto al n. 88",
		PartnerSurname: marta.Surname, PartnerGivenName: marta.GivenName, PartnerCodiceFiscale: marta.CodiceFiscale}}
	marta.Unions = []app.Union{{Kind: app.UnionMarriage, Date: app.Date(2010, 5, 22), PlaceCode: "Z133",
		PartnerSurname: mario.Surname, PartnerGivenName: mario.GivenName, PartnerCodiceFiscale: mario.CodiceFiscale}}
	mario.Residences = []app.ResidencePeriod{
		{From: mario.BirthDate, To: app.Date(2011, 3, 1), ComuneCode: "A562", Address: app.Address{Street: "Via Roma", HouseNumber: "1"}},
		{From: app.Date(2011, 3, 1), ComuneCode: "F205", Address: mario.Address},
	}
	nicolo := &cs[3]
	nicolo.Cohabitations = []app.Cohabitation{{PartnerSurname: "Neri", PartnerGivenName: "Sara", Since: app.Date(2022, 1, 10),
		ContractDate: app.Date(2022, 2, 1), ContractProfessional: "Notaio Carla Verdi", ContractReference: "rep. 1234",
		ContractRegisteredOn: app.Date(2022, 2, 15)}}
	giulia := &cs[4]
	giulia.Citizenships = []app.CitizenshipPeriod{{Citizenship: "ITA", From: giulia.BirthDate, How: "per nascita"},
		{Citizenship: "FRA", From: app.Date(2020, 9, 1), To: app.Date(2023, 9, 1), How: "per matrimonio"}}
	maria := &cs[5]
	maria.Status, maria.CancelledOn = app.StatusAIRE, app.Date(2019, 4, 1)
	maria.AIRE = &app.AIRERecord{RegisteredOn: maria.CancelledOn, CountryCode: "Z110", Locality: "Parigi", Address: "12 rue de Rivoli",
		Consulate: "Consolato Generale d'Italia a Parigi"}
	for i := range cs {
		if err := cs[i].Validate(); err != nil {
			panic(err)
		}
	}
	return cs
}

// TestSyncHistory: the history the hub holds reaches the workstation's
// cache whole, by the initial download and by the change log, and a
// change of it (a death) travels as any other change.
func TestSyncHistory(t *testing.T) {
	ctx := context.Background()
	h := newHub(t)
	cs := withHistories(milano())
	h.replace("F205", cs)
	w := h.synced("F205")
	assertMirrors(t, h, w)
	got, err := w.St.Citizen(ctx, cs[0].CodiceFiscale)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Unions, cs[0].Unions) || !reflect.DeepEqual(got.Residences, cs[0].Residences) {
		t.Errorf("download: history of %s\n got %+v %+v\nwant %+v %+v", cs[0].CodiceFiscale, got.Unions, got.Residences, cs[0].Unions, cs[0].Residences)
	}
	if got, _ := w.St.Citizen(ctx, cs[5].CodiceFiscale); got == nil || got.AIRE == nil || got.AIRE.Consulate != "Consolato Generale d'Italia a Parigi" {
		t.Errorf("download: AIRE registration lost: %+v", got)
	}

	// The counter issues the certificates of the history from its cache,
	// and the hub accepts them.
	online := true
	cs2, svc := counterOf(w, &online)
	for _, tc := range []struct{ code, slug, want string }{
		{cs[0].CodiceFiscale, certificate.SlugMatrimonio, "Matrimonio: celebrato il 22/05/2010 a SVIZZERA"},
		{cs[3].CodiceFiscale, certificate.SlugContrattoConvivenza, "Contratto di convivenza: stipulato il 01/02/2022 presso Notaio Carla Verdi, rep. 1234"},
		{cs[4].CodiceFiscale, certificate.SlugStoricoCittadinanza, "Cittadinanza FRANCIA: dal 01/09/2020 al 01/09/2023, per matrimonio"},
		{cs[5].CodiceFiscale, certificate.SlugResidenzaAIRE, "Residenza all'estero: 12 rue de Rivoli, Parigi (FRANCIA)"},
	} {
		is := issue(t, cs2, svc, tc.code, tc.slug)
		if text := is.Certificate.CertifiedText(); !strings.Contains(text, tc.want) {
			t.Errorf("%s lacks %q:\n%s", tc.slug, tc.want, text)
		}
	}
	file, err := cs2.OpenFile(ctx, clerk, cs[0].CodiceFiscale)
	if err != nil {
		t.Fatal(err)
	}
	is, _, err := svc.Issue(ctx, clerk, file, certificate.IssueRequest{Type: certificate.SlugResidenzaAllaData, Marca: "01234567890123", On: app.Date(2005, 1, 1)})
	if err != nil {
		t.Fatal(err)
	}
	if text := is.Certificate.CertifiedText(); !strings.Contains(text, "Residenza: Via Roma 1, ") || !strings.Contains(text, "Periodo di residenza: dal 10/12/1985 al 01/03/2011") {
		t.Errorf("storico alla data:\n%s", text)
	}
	if again := stored(t, w, is.Certificate.Number.String()); again.Certificate.Civil.ResidenceOn == nil {
		t.Error("the stored certificate lost the residence it certifies")
	}
	if err := w.C.Round(ctx); err != nil {
		t.Fatal(err)
	}
	if _, parked := w.outbox(t); parked != 0 {
		t.Errorf("%d certificates of the history parked by the hub", parked)
	}

	// Paolo dies; Mario's wife becomes his widow: two changes.
	paolo := &cs[9]
	paolo.Status, paolo.CancelledOn, paolo.CancelReason = app.StatusDeceased, app.Date(2026, 1, 3), "decesso"
	paolo.Death = &app.Death{Date: app.Date(2026, 1, 2), PlaceCode: "F205"}
	cs[1].CivilStatus = app.CivilStatusWidowed
	cs[1].Unions[0].EndDate, cs[1].Unions[0].EndReason = app.Date(2026, 1, 2), app.UnionEndDeath
	cs[0].Unions[0].PartnerSurname = "Rossi Bianchi" // corrected on the husband's record
	if res := h.replace("F205", cs); res.Updated != 3 {
		t.Fatalf("import: %+v, want 3 updated", res)
	}
	if err := w.C.Round(ctx); err != nil {
		t.Fatal(err)
	}
	assertMirrors(t, h, w)
	got, err = w.St.Citizen(ctx, paolo.CodiceFiscale)
	if err != nil {
		t.Fatal(err)
	}
	if got.Death == nil || !got.Death.Date.Equal(time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)) || got.Death.PlaceCode != "F205" {
		t.Errorf("change log: death of %s = %+v", paolo.CodiceFiscale, got.Death)
	}
	if got, _ := w.St.Citizen(ctx, cs[1].CodiceFiscale); got == nil || got.Unions[0].EndReason != app.UnionEndDeath {
		t.Errorf("change log: the widow's marriage did not end: %+v", got)
	}
	// Issued from the changed cache: the death is certified.
	if is := issue(t, cs2, svc, paolo.CodiceFiscale, certificate.SlugMorte); !strings.Contains(is.Certificate.CertifiedText(), "Deceduto il: 02/01/2026 a MILANO") {
		t.Errorf("morte:\n%s", is.Certificate.CertifiedText())
	}
	if cur, err := w.St.Cursor(ctx, "F205"); err != nil || cur.Seq != h.lastSeq("F205") {
		t.Errorf("cursor %+v (%v), want the hub's last change %d", cur, err, h.lastSeq("F205"))
	}
}
