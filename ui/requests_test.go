package ui

import (
	"context"
	"crypto/ed25519"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/request"
	"github.com/sportello/sportello/store"
)

// requestsDesk is the real requests counter over a real workstation store
// holding the default catalogue, as the hub sends it.
func requestsDesk(t *testing.T) (*request.Desk, *store.Store) {
	t.Helper()
	ctx := context.Background()
	st := enrolledStore(t)
	var changes []app.Change
	for i, s := range request.DefaultCatalogue() {
		rec := request.ServiceRecord(&s)
		changes = append(changes, app.Change{Scope: app.ScopeNetwork, Seq: int64(i + 1), Kind: rec.Kind, Key: rec.Key, At: testNow, Record: &rec})
	}
	if err := st.ApplyChanges(ctx, app.ScopeNetwork, changes, app.Cursor{Scope: app.ScopeNetwork, Seq: int64(len(changes)), AsOf: testNow}); err != nil {
		t.Fatal(err)
	}
	desk := &request.Desk{Store: st, Profile: st.Profile, Settings: st, Now: func() time.Time { return testNow },
		Render: func(comune string, r *request.Request, s *request.Service, url string) ([]byte, error) {
			return []byte("%PDF-1.4 ricevuta " + r.DisplayNumber()), nil
		}}
	return desk, st
}

func (h *harness) openRequestForm(text string) *requestForm {
	h.t.Helper()
	h.openByKeyboard(text, 1)
	h.waitFor("the requests of the file", func() bool { return h.c.file.reqs != nil && h.shows("Nuova istanza") })
	h.tap(h.button("Nuova istanza"))
	fm := h.c.file.reqs.form
	h.waitFor("the catalogue", func() bool { return len(fm.shown) > 80 })
	return fm
}

func (fm *requestForm) pickService(t *testing.T, id string) {
	t.Helper()
	i := slices.IndexFunc(fm.shown, func(s request.Service) bool { return s.ID == id })
	if i < 0 {
		t.Fatalf("service %s not listed", id)
	}
	fm.list.Select(i)
	if fm.svc == nil || fm.svc.ID != id {
		t.Fatalf("selecting %s did not open its form", id)
	}
}

func (fm *requestForm) set(t *testing.T, id string, v ...string) {
	t.Helper()
	switch w := fm.widgets[id].(type) {
	case *widget.Entry:
		w.SetText(v[0])
	case *widget.Select:
		w.SetSelected(v[0])
	case *widget.CheckGroup:
		w.SetSelected(v)
	case *widget.Check:
		w.SetChecked(true)
	default:
		t.Fatalf("field %s: no input (%T)", id, w)
	}
}

func (h *harness) savePNG(name string) {
	if os.Getenv("SPORTELLO_SHOTS") == "" {
		return
	}
	f, err := os.Create(filepath.Join(os.Getenv("SPORTELLO_SHOTS"), name))
	if err != nil {
		h.t.Fatal(err)
	}
	defer f.Close()
	png.Encode(f, h.capture())
}

// TestRequestFlow takes a request at the counter: the service found by
// words and by life event, its form filled from the citizen file, the
// family picker checked as the hub checks it, a file refused by its
// content, the receipt printed with the provisional number, the request in
// the file's list.
func TestRequestFlow(t *testing.T) {
	desk, st := requestsDesk(t)
	h := newHarness(t, func(d *Deps) { d.Requests = desk })
	h.login()
	fm := h.openRequestForm("rossi mario")
	h.assertShows("Nuova istanza — ROSSI Mario")

	fm.search.SetText("mensa")
	if len(fm.shown) == 0 || fm.shown[0].ID != "iscrizione-mensa" {
		t.Fatalf("searching mensa shows %v", ids(fm.shown))
	}
	fm.search.SetText("")
	fm.event.SetSelected(request.EventSchool.Title())
	for _, s := range fm.shown {
		if s.Event != request.EventSchool {
			t.Fatalf("the life event Studiare shows %s", s.ID)
		}
	}
	h.savePNG("request_catalogue.png")

	fm.pickService(t, "iscrizione-mensa")
	if got := fm.inputs["cognome"](); got != "Rossi" {
		t.Fatalf("cognome prefilled %q", got)
	}
	if got := fm.inputs["codice_fiscale"](); got != h.dir.byName("Rossi", "Mario").CodiceFiscale {
		t.Fatalf("codice fiscale prefilled %q", got)
	}
	// Luca is of age: the canteen is for minors, the same check as the hub's.
	fm.set(t, "figlio", "ROSSI Luca (20/11/2005)")
	h.tap(h.button("Presenta"))
	h.waitFor("the form's errors", func() bool { return h.shows("Rossi Luca è maggiorenne") })
	if msg := flat(visibleTexts(fm.errs["scuola"])[0]); msg != "obbligatorio" {
		t.Fatalf("under Scuola: %q", msg)
	}
	h.savePNG("request_form_errors.png")

	h.tap(h.button("Altro servizio"))
	fm.event.SetSelected("Tutti gli eventi della vita")
	fm.pickService(t, "assistenza-domiciliare")
	fm.set(t, "beneficiario", "BIANCHI Anna (04/07/1978)")
	fm.set(t, "prestazioni", "Igiene personale", "Spesa e commissioni")
	fm.set(t, "ore_settimana", "6")
	fm.set(t, "email", "mario.rossi@example.it")
	fm.set(t, "dichiarazione")
	fm.set(t, "privacy")
	fm.attach("certificato_medico", "virus.pdf.exe", []byte("MZ\x90\x00 not a document"), nil)
	if msg := flat(visibleTexts(fm.errs["certificato_medico"])[0]); !strings.Contains(msg, "non è un PDF") {
		t.Fatalf("an executable was taken as a certificate: %q", msg)
	}
	fm.attach("certificato_medico", "certificato.pdf", []byte("%PDF-1.5 certificato del medico"), nil)
	h.savePNG("request_form.png")
	h.tap(h.button("Presenta"))
	h.waitFor("the receipt", func() bool { return h.c.file.reqs.form == nil })

	const prov = "PROV-" + testComune + "-W001-000001"
	h.assertShows("Richiesta " + prov + " presentata; ricevuta inviato alla stampante " + printerDesk + ".")
	printed, _ := h.output.jobs()
	if len(printed) != 1 || printed[0].name != "Ricevuta "+prov || printed[0].pdf != "%PDF-1.4 ricevuta "+prov {
		t.Fatalf("printed %+v", printed)
	}
	h.waitFor("the list with the request", func() bool {
		return h.shows("N. " + prov + " (provvisorio) — Servizio di assistenza domiciliare (SAD - SISA) — ricevuta (14/05/2025)")
	})
	h.savePNG("request_list.png")
	list, err := st.Requests(context.Background(), h.dir.byName("Rossi", "Mario").CodiceFiscale)
	if err != nil || len(list) != 1 {
		t.Fatalf("stored %d requests (%v)", len(list), err)
	}
	r := list[0]
	if r.Values["beneficiario"] != h.dir.byName("Bianchi", "Anna").CodiceFiscale || r.MemberNames["beneficiario"] != "Bianchi Anna" || r.Values["prestazioni"] != "igiene,spesa" ||
		len(r.Attachments) != 1 || r.Attachments[0].Type != "application/pdf" {
		t.Fatalf("stored %+v", r)
	}
	ops, _ := st.NextOps(context.Background(), 10)
	if !slices.ContainsFunc(ops, func(o app.Operation) bool { return o.Kind == request.FactRequest }) {
		t.Fatal("the request is not in the outbox")
	}
}

func ids(s []request.Service) []string {
	var out []string
	for _, x := range s {
		out = append(out, x.ID)
	}
	return out
}

// TestRequestStatusByBackOffice shows a request as the hub numbered it and
// lets a back-office operator move it; a front-office one has no button.
func TestRequestStatusByBackOffice(t *testing.T) {
	ctx := context.Background()
	desk, st := requestsDesk(t)
	h := newHarness(t, func(d *Deps) { d.Requests = desk })
	mario := h.dir.byName("Rossi", "Mario")
	r := &request.Request{ID: request.NewID(), Comune: testComune, Number: "2025/000042", Provisional: "PROV-" + testComune + "-W002-000003",
		Service: "tari-dichiarazione", ServiceTitle: "Dichiarazione TARI per utenze domestiche", CodiceFiscale: mario.CodiceFiscale,
		ApplicantName: "Rossi Mario", Values: request.Values{}, SubmittedAt: testNow.Add(-48 * time.Hour), Operator: "altro", Device: testComune + "-W002",
		Channel: "sportello", FollowCode: "ABCDEFGHJKLMNPQR", Status: request.StatusWorking, Version: 2,
		History: []request.StatusChange{{Status: request.StatusReceived, Version: 1}, {Status: request.StatusWorking, Note: "in istruttoria", Version: 2}}}
	rec := request.RequestRecord(r)
	if err := st.ApplyChanges(ctx, testComune, []app.Change{{Scope: testComune, Seq: 1, Kind: rec.Kind, Key: rec.Key, At: testNow, Record: &rec}},
		app.Cursor{Scope: testComune, Seq: 1, AsOf: testNow}); err != nil {
		t.Fatal(err)
	}
	h.login()
	h.openByKeyboard("rossi mario", 1)
	h.waitFor("the request", func() bool {
		return h.shows("N. 2025/000042 — Dichiarazione TARI per utenze domestiche — in lavorazione (12/05/2025)")
	})
	h.assertShows("in istruttoria")
	h.assertHides("Cambia stato")

	h.c.op.Roles = append(h.c.op.Roles, app.RoleBackOffice)
	// The login unlocked the operator's signing key: the status move is
	// queued with the operator's proof.
	_, key, _ := ed25519.GenerateKey(nil)
	st.HoldOperatorKey(h.c.op.Username, key)
	h.c.openFile(mario.CodiceFiscale)
	h.waitFor("the state button", func() bool { return h.shows("Cambia stato") })
	h.tap(h.button("Cambia stato"))
	sd := h.c.file.reqs.statusDlg
	if got := sd.pick.Options; !slices.Equal(got, []string{"integrazione richiesta", "conclusa", "respinta"}) {
		t.Fatalf("next states %v", got)
	}
	sd.pick.SetSelected("respinta")
	h.tap(sd.confirm)
	h.waitFor("the missing note", func() bool { return h.shows("per respinta serve una nota con il motivo") })
	sd.note.SetText("superficie non dichiarata")
	h.tap(sd.confirm)
	h.waitFor("the change queued", func() bool { return h.shows("Richiesta 2025/000042: respinta, inviato all'hub.") })
	ops, _ := st.NextOps(ctx, 10)
	i := slices.IndexFunc(ops, func(o app.Operation) bool { return o.Kind == request.FactStatus })
	if i < 0 {
		t.Fatal("no state change in the outbox")
	}
	f, err := request.DecodeStatusFact(ops[i].Data)
	if err != nil || f.To != request.StatusRejected || f.Expected != 2 || f.Note != "superficie non dichiarata" || f.Operator != testUser {
		t.Fatalf("queued %+v (%v)", f, err)
	}
}
