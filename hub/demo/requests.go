package demo

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/request"
	"github.com/sportello/sportello/hub/storage"
)

// seedCatalogue publishes the built-in catalogue to the network and
// enables all of it for the comune: a demo comune offers every service.
func seedCatalogue(ctx context.Context, db storage.Store, comune string) error {
	cat := request.DefaultCatalogue()
	if err := db.ImportCatalogue(ctx, cat); err != nil {
		return err
	}
	ids := make([]string, len(cat))
	for i, s := range cat {
		ids[i] = s.ID
	}
	return db.EnableServices(ctx, comune, ids)
}

// demoRequest is a request of the demo: who applies (a parent, or anyone
// of age), for which service, with what, when, and what happened since.
type demoRequest struct {
	parent  bool // applied by a parent, for the child; otherwise any adult
	service string
	values  request.Values
	days    int // submitted this many days ago
	steps   []demoStep
	channel string
}

type demoStep struct {
	status request.Status
	note   string
	after  int // days after submission
	office bool
}

// demoRequests span the states of a procedure, with their notes.
var demoRequests = []demoRequest{
	{parent: true, service: "iscrizione-mensa", days: 41, values: request.Values{"scuola": "Primaria Gianni Rodari", "classe": "primaria_3",
		"anno_scolastico": "", "dieta": "normale", "giorni": "lun,mer,ven", "isee": "14500.00"},
		steps: []demoStep{{request.StatusWorking, "", 2, true}, {request.StatusConcluded, "Iscrizione accolta: retta in fascia B (€ 3,80 a pasto).", 9, true}}},
	{parent: true, service: "trasporto-scolastico", days: 12, values: request.Values{"scuola": "Primaria Gianni Rodari", "classe": "primaria_3",
		"fermata": "Piazza della Resistenza", "tragitto": "andata_ritorno"},
		steps: []demoStep{{request.StatusWorking, "In verifica la capienza della linea 2.", 3, true}}},
	{parent: true, service: "centri-estivi", days: 2, values: request.Values{"settimane": "lug1,lug2", "orario": "intero"}, channel: "chiosco"},
	{service: "tari-dichiarazione", days: 25, values: request.Values{"tipo": "variazione", "indirizzo_immobile": "Via Fratelli Bandiera 14",
		"dati_catastali": "foglio 12, particella 340, sub 7", "superficie": "84", "occupanti": "3", "decorrenza": "01/03/2025", "titolo": "proprietario"},
		steps: []demoStep{{request.StatusIntegration, "Manca la planimetria catastale dell'immobile: portarla allo sportello tributi.", 6, true}}},
	{service: "segnalazione-disservizio", days: 18, values: request.Values{"categoria": "illuminazione", "luogo": "Via Cesare Battisti 22",
		"descrizione": "Lampione spento davanti al civico da una settimana."},
		steps: []demoStep{{request.StatusWorking, "Segnalata alla ditta di manutenzione.", 1, true}, {request.StatusConcluded, "Lampada sostituita.", 4, true}}},
	{service: "adozione-cane", days: 30, values: request.Values{"taglia": "grande", "abitazione": "appartamento", "ore_solo": "10", "impegno": "si"},
		steps: []demoStep{{request.StatusRejected, "Un cane di taglia grande non può restare solo dieci ore al giorno in appartamento: il canile propone un nuovo colloquio.", 5, true}}},
	{service: "prenotazione-teatro", days: 6, values: request.Values{"spettacolo": "La locandiera", "posti": "2", "settore": "platea", "riduzioni": "over65"},
		steps: []demoStep{{request.StatusConcluded, "Posti 12 e 13, fila F: ritiro in biglietteria.", 1, true}}},
	{service: "segnalazione-disservizio", days: 1, values: request.Values{"categoria": "strade", "luogo": "Via Giuseppe Garibaldi 40",
		"descrizione": "Buca profonda sulla carreggiata all'altezza delle strisce pedonali."}},
}

// demoID is a stable UUID (version 4 shape) for the n-th demo request of
// comune: seeding again finds the requests already there.
func demoID(comune string, n int) (id, followCode string) {
	sum := sha256.Sum256([]byte(fmt.Sprintf("sportello-demo-request/%s/%d", comune, n)))
	b := sum[:16]
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:],
		base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[16:26])
}

// demoDevice is the counter the demo's requests were taken at: not one a
// workstation is ever enrolled as, so its provisional numbers never clash.
func demoDevice(comune string) string { return comune + "-W000" }

// SeedRequests gives the demo comune requests in every state, with
// their history and notes, taken over the last weeks from its first
// families: a parent's canteen, school bus and summer camp enrolments for
// a child, and an adult's waste tax declaration, reports, a dog adoption,
// a theatre booking. The same requests every time for the same anagrafe;
// seeding again adds nothing.
func SeedRequests(ctx context.Context, db storage.Store, comune string, today time.Time) error {
	if first, _ := demoID(comune, 0); db.HasRequest(ctx, first) {
		return nil
	}
	people, err := db.ComuneCitizens(ctx, comune, 400)
	if err != nil {
		return err
	}
	parent, child, adult := demoApplicants(people, today)
	if parent == nil || adult == nil {
		return nil // an anagrafe too small for the demo's requests
	}
	clerk, office := username(ctx, db, Operator, comune), username(ctx, db, Supervisor, comune)
	y, m, d := today.In(app.Rome).Date()
	type dated struct {
		n  int
		at time.Time
	}
	order := make([]dated, len(demoRequests))
	for i, dr := range demoRequests {
		order[i] = dated{i, time.Date(y, m, d, 9, 10+7*i, 0, 0, app.Rome).AddDate(0, 0, -dr.days)}
	}
	// Protocol numbers follow the order in which they were taken.
	sort.SliceStable(order, func(i, j int) bool { return order[i].at.Before(order[j].at) })
	for k, o := range order {
		dr := demoRequests[o.n]
		who := adult
		if dr.parent {
			who = parent
		}
		svc, err := serviceByID(dr.service)
		if err != nil {
			return err
		}
		v := request.PrefillFrom(svc, &app.CitizenFile{Citizen: *who})
		for f, x := range dr.values {
			v[f] = x
		}
		if dr.parent {
			v["figlio"] = child.CodiceFiscale
		}
		if _, ok := dr.values["anno_scolastico"]; ok {
			v["anno_scolastico"] = schoolYear(o.at)
		}
		if dr.service == "prenotazione-teatro" {
			v["data_spettacolo"] = today.In(app.Rome).AddDate(0, 0, 9).Format("02/01/2006")
		}
		v["email"] = demoEmail(who)
		v["dichiarazione"], v["privacy"] = "si", "si"
		id, follow := demoID(comune, o.n)
		channel := dr.channel
		if channel == "" {
			channel = "sportello"
		}
		r := &request.Request{ID: id, Comune: comune, Provisional: request.ProvisionalNumber(demoDevice(comune), int64(k+1)),
			Service: svc.ID, ServiceTitle: svc.Title, CodiceFiscale: who.CodiceFiscale, ApplicantName: who.FullName(), Values: v,
			SubmittedAt: o.at.UTC(), Operator: clerk, Device: demoDevice(comune), Channel: channel, FollowCode: follow,
			ProtocolAt: o.at.Add(3 * time.Minute).UTC(),
			History:    []request.StatusChange{{Status: request.StatusReceived, Operator: clerk}}}
		for i, s := range dr.steps {
			by := clerk
			if s.office {
				by = office
			}
			at := o.at.AddDate(0, 0, s.after).Add(time.Duration(60+25*i) * time.Minute)
			if at.After(today) {
				at = today.Add(-time.Duration(len(dr.steps)-i) * time.Minute)
			}
			r.History = append(r.History, request.StatusChange{Status: s.status, Note: s.note, Operator: by, At: at.UTC()})
		}
		if err := db.SeedRequest(ctx, r); err != nil {
			return fmt.Errorf("demo request %s: %w", dr.service, err)
		}
	}
	return nil
}

// demoApplicants picks, from the first families, a parent with a child of
// school age and another adult.
func demoApplicants(people []app.Citizen, today time.Time) (parent, child, adult *app.Citizen) {
	families := map[string][]*app.Citizen{}
	var ids []string
	for i := range people {
		c := &people[i]
		if c.Status != app.StatusResident {
			continue
		}
		if _, ok := families[c.FamilyID]; !ok {
			ids = append(ids, c.FamilyID)
		}
		families[c.FamilyID] = append(families[c.FamilyID], c)
	}
	for _, id := range ids {
		var grown, kid *app.Citizen
		for _, c := range families[id] {
			switch age := c.AgeOn(today); {
			case age >= 25 && grown == nil:
				grown = c
			case age >= 6 && age <= 10 && kid == nil:
				kid = c
			}
		}
		switch {
		case parent == nil && grown != nil && kid != nil:
			parent, child = grown, kid
		case adult == nil && grown != nil && (parent == nil || grown.FamilyID != parent.FamilyID):
			adult = grown
		}
		if parent != nil && adult != nil {
			break
		}
	}
	return parent, child, adult
}

func demoEmail(c *app.Citizen) string {
	clean := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' {
				return r
			}
			return -1
		}, strings.ToLower(app.NameKey(s)))
	}
	return clean(c.GivenName) + "." + clean(c.Surname) + "@example.it"
}

func serviceByID(id string) (*request.Service, error) {
	for _, s := range request.DefaultCatalogue() {
		if s.ID == id {
			return &s, nil
		}
	}
	return nil, app.Errorf(app.ENOTFOUND, "servizio %s non nel catalogo", id)
}

// schoolYear is the school year a day falls in ("2026/2027" from
// September).
func schoolYear(t time.Time) string {
	y := t.In(app.Rome).Year()
	if t.In(app.Rome).Month() < time.September {
		y--
	}
	return fmt.Sprintf("%d/%d", y, y+1)
}
