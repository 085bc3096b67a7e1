package ui

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/app/pagopa"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/app/post"
	"github.com/sportello/sportello/app/request"
)

// fakePost implements PostDesk over one request in memory: Post records
// the marca it is given and takes the request off the list, as the
// service does once every step is stored.
type fakePost struct {
	mu     sync.Mutex
	items  []post.Item
	marcas []string
	ops    []string
}

func newFakePost(t *testing.T) *fakePost {
	v := request.Values{"tipo_certificato": "residenza", "uso": "uso pensione", "bollo": "marca", "destinatario": "Mario Rossi",
		"indirizzo_recapito": "Via Roma 10", "cap": "20121", "comune_recapito": "Milano", "provincia": "MI"}
	o, err := request.PostOrderOf(v)
	if err != nil {
		t.Fatal(err)
	}
	r := request.Request{ID: "0b6a3a1c-6f55-4d4f-9b1c-3f2b2f0e6a11", Number: "2026/000001", Service: request.PostService,
		CodiceFiscale: "RSSMRA80A01F205X", ApplicantName: "Rossi Mario", Values: v, SubmittedAt: testNow.Add(-24 * time.Hour),
		Status: request.StatusReceived, Version: 1}
	return &fakePost{items: []post.Item{{Request: r, Order: o}}}
}

func (f *fakePost) Worklist(_ context.Context, op *app.Operator) ([]post.Item, error) {
	if !op.Has(app.RoleBackOffice) {
		return nil, app.Errorf(app.EFORBIDDEN, "solo il back-office")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]post.Item(nil), f.items...), nil
}

func (f *fakePost) Post(_ context.Context, op *app.Operator, id, marca string) (*post.Posted, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.marcas, f.ops = append(f.marcas, marca), append(f.ops, op.Username)
	r := f.items[0].Request
	f.items = nil
	n, _ := certificate.NewNumber("I690-W001", 2026, 7)
	avviso, _ := pagopa.NewAvviso(3, "01", 1234)
	return &post.Posted{Request: &r, Certificate: &certificate.Issued{Certificate: certificate.Certificate{Number: n}},
		Position: &payment.View{Position: payment.Position{Avviso: avviso, AmountCents: 1787}}, PDF: []byte("%PDF posta")}, nil
}

// asBackOffice gives the test operator the back-office role at login.
func asBackOffice(h *harness) {
	login := h.counter.login
	h.counter.login = func(ctx context.Context, u, p string) (*app.Operator, error) {
		op, err := login(ctx, u, p)
		if op != nil {
			op.Roles = append(op.Roles, app.RoleBackOffice)
		}
		return op, err
	}
}

// TestPostWorklist: the back office sees the certificates to post in the
// header, opens the list, posts one giving the marca da bollo, and the PDF
// goes to the workstation's output; the request leaves the list.
func TestPostWorklist(t *testing.T) {
	desk := newFakePost(t)
	h := newHarness(t, func(d *Deps) { d.Post = desk })
	asBackOffice(h)
	h.login()
	h.waitFor("the button", func() bool { return h.shows("Certificati per posta (1)") })
	if w := h.w.Content().MinSize().Width; w > windowWidth {
		t.Errorf("the counter needs %v pixels with the post button, more than the %v of the window", w, windowWidth)
	}
	h.tap(h.button("Certificati per posta"))
	h.waitFor("the list", func() bool { return h.shows("Richiesta 2026/000001 del 13/05/2025: residenza, con bollo") })
	h.assertShows("Certificati da spedire per posta", "Rossi Mario", "RSSMRA80A01F205X", "Mario Rossi · Via Roma 10 · 20121 MILANO MI")
	writePNG(t, filepath.Join("testdata", "post_worklist.png"), h)

	h.tap(h.button("Spedisci"))
	h.waitFor("the marca's form", func() bool { return h.shows("Marca da bollo (14 cifre)") })
	h.typeText("01234567890123")
	h.press(fyne.KeyReturn)
	h.waitFor("the outcome", func() bool { return h.shows("Richiesta 2026/000001 spedita: certificato I690-W001-2026-000007") })
	h.waitFor("the empty list", func() bool { return h.shows("Nessun certificato da spedire") })
	desk.mu.Lock()
	defer desk.mu.Unlock()
	if len(desk.marcas) != 1 || desk.marcas[0] != "01234567890123" || desk.ops[0] != testUser {
		t.Errorf("posted with %q by %q", desk.marcas, desk.ops)
	}
	h.output.mu.Lock()
	defer h.output.mu.Unlock()
	if len(h.output.saved)+len(h.output.printed) != 1 {
		t.Errorf("%d documents delivered, want the envelope's PDF", len(h.output.saved)+len(h.output.printed))
	}
}

// TestPostWorklistRoles: an operator without the back-office role has no
// list; in English the button speaks English.
func TestPostWorklistRoles(t *testing.T) {
	h := newHarness(t, func(d *Deps) { d.Post = newFakePost(t) })
	h.login()
	h.settle(200 * time.Millisecond)
	if h.c.posts != nil || h.shows("Certificati per posta") {
		t.Error("a clerk sees the certificates to post")
	}
	en := newHarness(t, func(d *Deps) { d.Post = newFakePost(t); d.Lang = "en" })
	asBackOffice(en)
	en.login()
	en.waitFor("the English button", func() bool { return en.shows("Certificates by post (1)") })
}
