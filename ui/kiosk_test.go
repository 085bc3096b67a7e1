package ui

import (
	"context"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/cf"
	"github.com/sportello/sportello/app/kiosk"
	"github.com/sportello/sportello/app/queue"
)

// kioskAttempts keeps the wrong attempts as the store does.
type kioskAttempts struct {
	mu sync.Mutex
	m  map[string]struct {
		n    int
		last time.Time
	}
}

func (a *kioskAttempts) Failures(_ context.Context, key string) (int, time.Time, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.m[key].n, a.m[key].last, nil
}

func (a *kioskAttempts) RecordAttempt(_ context.Context, key string, ok bool, at time.Time) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if ok {
		delete(a.m, key)
		return nil
	}
	v := a.m[key]
	v.n++
	v.last = at
	a.m[key] = v
	return nil
}

type kioskDir map[string]app.Citizen

func (d kioskDir) Citizen(_ context.Context, code string) (*app.Citizen, error) {
	c, ok := d[code]
	if !ok {
		return nil, app.Errorf(app.ENOTFOUND, "sconosciuto")
	}
	return &c, nil
}

// fakeSelf identifies with the real rules over a small anagrafe.
type fakeSelf struct {
	dir   kioskDir
	att   *kioskAttempts
	now   func() time.Time
	certs []string
	book  *fakeBook // the appointments, when the test books some
}

func (s *fakeSelf) Identify(ctx context.Context, code, doc string) (*app.CitizenFile, error) {
	c, err := kiosk.Identify(ctx, s.dir, s.att, code, doc, s.now())
	if err != nil {
		return nil, err
	}
	return &app.CitizenFile{Citizen: *c, ComuneName: "SESTO SAN GIOVANNI"}, nil
}
func (s *fakeSelf) Policy(context.Context) (kiosk.Policy, error) { return kiosk.DefaultPolicy, nil }
func (s *fakeSelf) Certificate(_ context.Context, f *app.CitizenFile, slug string, use int) (string, []byte, error) {
	if _, err := kiosk.DefaultPolicy.Request(slug, use); err != nil {
		return "", nil, err
	}
	s.certs = append(s.certs, slug+" "+f.Citizen.CodiceFiscale)
	return "I690-W003-2026-000001", []byte("%PDF-1.7"), nil
}
func (s *fakeSelf) Activity(context.Context, string) ([]string, []string, error) {
	return []string{"2026/000012 — Cambio di residenza — in lavorazione"}, nil, nil
}
func (s *fakeSelf) Appointments(ctx context.Context, code string) ([]queue.Appointment, error) {
	if s.book != nil {
		return s.book.Appointments(ctx, code)
	}
	return nil, nil
}
func (s *fakeSelf) Notices(context.Context) ([]kiosk.Notice, error) {
	return []kiosk.Notice{{Number: "2026/0142", Title: "Avviso di deposito del piano urbanistico", Office: "Settore Urbanistica",
		Category: "Avviso", From: app.Date(2026, 5, 1), To: app.Date(2026, 5, 31), Text: "Si avvisa la cittadinanza…"}}, nil
}

// fakeKioskQueue numbers tickets as the hub would.
type fakeKioskQueue struct {
	mu      sync.Mutex
	issued  []queue.Ticket
	printed []string
	book    *fakeBook // checks in its appointments
}

func (q *fakeKioskQueue) Areas(context.Context) ([]queue.Area, error) {
	return []queue.Area{{Code: "A", Name: "Anagrafe", NameEN: "Registry office", Minutes: 6, Kiosk: true},
		{Code: "T", Name: "Tributi", NameEN: "Local taxes", Minutes: 10, Kiosk: true},
		{Code: "P", Name: "Protocollo", Minutes: 5}}, nil
}
func (q *fakeKioskQueue) Issue(_ context.Context, area, code, appt string) (queue.Ticket, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := len(q.issued) + 1
	t := queue.Ticket{ID: "00000000-0000-0000-0000-00000000000" + string(rune('0'+n)), Area: area, Number: queue.HubNumber(area, n),
		Local: queue.LocalNumber(area, "I690-W003", n), CodiceFiscale: code, Ahead: n - 1, WaitMinutes: 6 * (n - 1)}
	q.issued = append(q.issued, t)
	return t, nil
}
func (q *fakeKioskQueue) Printed(_ context.Context, t queue.Ticket) error {
	q.mu.Lock()
	q.printed = append(q.printed, t.Number)
	q.mu.Unlock()
	return nil
}
func (q *fakeKioskQueue) CheckIn(ctx context.Context, code string) (queue.Ticket, queue.Appointment, error) {
	if q.book == nil {
		return queue.Ticket{}, queue.Appointment{}, app.Errorf(app.ENOTFOUND, "nessun appuntamento per oggi")
	}
	q.book.mu.Lock()
	defer q.book.mu.Unlock()
	now := q.book.now()
	for i := range q.book.appts {
		a := &q.book.appts[i]
		if a.CodiceFiscale != code || queue.CanCheckIn(a, now) != nil {
			continue
		}
		q.mu.Lock()
		n := len(q.issued) + 1
		t := queue.Ticket{ID: fmt.Sprintf("00000000-0000-0000-0001-%012d", n), Area: a.Area, Number: queue.HubNumber(a.Area, n),
			Local: queue.LocalNumber(a.Area, "I690-W003", n), CodiceFiscale: code, Appointment: a.ID, Due: a.Start}
		q.issued = append(q.issued, t)
		q.mu.Unlock()
		a.Status, a.Ticket = queue.CheckedIn, t.ID
		return t, *a, nil
	}
	return queue.Ticket{}, queue.Appointment{}, app.Errorf(app.ENOTFOUND, "nessun appuntamento per oggi")
}

// fakeKioskPrinter fails with the paper-out message while paperOut is set.
type fakeKioskPrinter struct {
	mu       sync.Mutex
	paperOut bool
	tickets  []string
	pdfs     []string
}

func (p *fakeKioskPrinter) PrintTicket(_ context.Context, t queue.Ticket, area, holder, lang string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.paperOut {
		return app.Errorf("printer", "carta esaurita nella stampante dei biglietti: avvisare il personale")
	}
	p.tickets = append(p.tickets, t.Number+" "+area+" "+holder)
	return nil
}
func (p *fakeKioskPrinter) PrintPDF(_ context.Context, name string, pdf []byte) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.paperOut {
		return app.Errorf("printer", "carta esaurita nella stampante: avvisare il personale")
	}
	p.pdfs = append(p.pdfs, name)
	return nil
}

type kioskHarness struct {
	*harness
	k       *Kiosk
	self    *fakeSelf
	queue   *fakeKioskQueue
	printer *fakeKioskPrinter
	clock   time.Time
	cf, doc string
}

func newKioskHarness(t *testing.T, idle time.Duration) *kioskHarness {
	t.Helper()
	test.NewApp()
	code, err := cf.Compute(cf.Person{Surname: "Cantù", Name: "Giulia", Sex: "F", BirthDate: app.Date(1995, 1, 31), BirthPlaceCode: "C933"})
	if err != nil {
		t.Fatal(err)
	}
	kh := &kioskHarness{harness: &harness{t: t, q: &uiQueue{}}, queue: &fakeKioskQueue{}, printer: &fakeKioskPrinter{},
		clock: time.Date(2026, 5, 12, 7, 30, 0, 0, time.UTC), cf: code, doc: "CA12345AB"}
	now := func() time.Time { return kh.clock }
	kh.self = &fakeSelf{now: now, att: &kioskAttempts{m: map[string]struct {
		n    int
		last time.Time
	}{}}, dir: kioskDir{code: {CodiceFiscale: code, Surname: "CANTÙ", GivenName: "GIULIA", Status: app.StatusResident, DocumentNumber: "CA12345AB"}}}
	kh.w = test.NewWindow(nil)
	kh.w.Resize(fyne.NewSize(1280, 1024))
	kh.k = newKiosk(kh.w, KioskDeps{ComuneName: "SESTO SAN GIOVANNI", Queue: kh.queue, Self: kh.self, Printer: kh.printer,
		Lang: "it", Now: now, Idle: idle}, &bridge{post: kh.q.post})
	t.Cleanup(func() { kh.k.Close(); kh.w.Close() })
	return kh
}

// press taps the button labelled text (the first one whose label starts
// with it).
func (kh *kioskHarness) press(text string) {
	kh.t.Helper()
	b := findButton(kh.w.Content(), text)
	if b == nil {
		kh.t.Fatalf("no button %q on screen %s:\n%s", text, kh.k.screen, kh.screen())
	}
	test.Tap(b)
	kh.settle(30 * time.Millisecond)
}

func findButton(o fyne.CanvasObject, text string) *widget.Button {
	switch x := o.(type) {
	case *widget.Button:
		if strings.HasPrefix(x.Text, text) {
			return x
		}
	case *fyne.Container:
		for _, c := range x.Objects {
			if b := findButton(c, text); b != nil {
				return b
			}
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			if b := findButton(c, text); b != nil {
				return b
			}
		}
	}
	return nil
}

// identify types code and document on the on-screen keyboard and confirms.
func (kh *kioskHarness) identify(code, doc string) {
	kh.t.Helper()
	if kh.k.screen == "identify" {
		kh.press("Indietro") // back to the start: the entries are wiped
	}
	kh.press("Certificati e pratiche")
	for _, r := range code {
		kh.pressKey(string(r))
	}
	kh.press("Numero del documento")
	for _, r := range doc {
		kh.pressKey(string(r))
	}
	kh.press("Conferma")
	kh.waitFor("the identification's answer", func() bool { return !kh.shows("Verifica in corso") })
}

// pressKey taps a key of the on-screen keyboard (an exact label).
func (kh *kioskHarness) pressKey(s string) {
	kh.t.Helper()
	var find func(o fyne.CanvasObject) *widget.Button
	find = func(o fyne.CanvasObject) *widget.Button {
		switch x := o.(type) {
		case *widget.Button:
			if x.Text == s {
				return x
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				if b := find(c); b != nil {
					return b
				}
			}
		case *keyboard:
			for _, c := range test.WidgetRenderer(x).Objects() {
				if b := find(c); b != nil {
					return b
				}
			}
		}
		return nil
	}
	b := find(kh.w.Content())
	if b == nil {
		kh.t.Fatalf("no key %q", s)
	}
	test.Tap(b)
}

func (kh *kioskHarness) capture(name string) {
	if dir := getenvShots(); dir != "" {
		saveCapture(kh.t, kh.w, dir, name)
	}
}

// getenvShots is where the tests save their screens (SPORTELLO_SHOTS),
// for a person to look at; "" saves none.
func getenvShots() string { return os.Getenv("SPORTELLO_SHOTS") }

func saveCapture(t *testing.T, w fyne.Window, dir, name string) {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	png.Encode(f, w.Canvas().Capture())
}

// TestKioskTicket takes an anonymous ticket: pick the area, the ticket
// prints with its number, the people ahead and the wait.
func TestKioskTicket(t *testing.T) {
	kh := newKioskHarness(t, time.Minute)
	kh.assertShows("Comune di Sesto San Giovanni", "Prendi il numero", "Albo pretorio", "English")
	kh.capture("kiosk-start.png")
	kh.press("Prendi il numero")
	kh.waitFor("the areas", func() bool { return kh.shows("Scelga il servizio") })
	kh.assertShows("A · Anagrafe", "T · Tributi")
	kh.assertHides("Protocollo") // not offered at the kiosk
	kh.press("A · Anagrafe")
	kh.waitFor("the ticket", func() bool { return kh.k.screen == "ticket" })
	kh.assertShows("Il suo numero", "A001", "Persone in attesa prima di lei: 0", "Attesa stimata: nessuna", "Ritiri il biglietto")
	if len(kh.printer.tickets) != 1 || kh.printer.tickets[0] != "A001 Anagrafe " || kh.queue.printed[0] != "A001" {
		t.Fatalf("printed %v, marked %v", kh.printer.tickets, kh.queue.printed)
	}
	kh.press("Fine")
	kh.press("English")
	kh.press("Take a ticket")
	kh.waitFor("the areas", func() bool { return kh.shows("Choose the service") })
	kh.press("T · Local taxes")
	kh.waitFor("the ticket", func() bool { return kh.k.screen == "ticket" })
	kh.assertShows("Your number", "T002", "People ahead of you: 1", "Estimated wait: 6 minutes")
}

// TestKioskPrinterOutOfPaper shows the printer's message and prints on
// retry once paper is back, with the same ticket.
func TestKioskPrinterOutOfPaper(t *testing.T) {
	kh := newKioskHarness(t, time.Minute)
	kh.printer.paperOut = true
	kh.press("Prendi il numero")
	kh.waitFor("the areas", func() bool { return kh.shows("Scelga il servizio") })
	kh.press("A · Anagrafe")
	kh.waitFor("the printer's trouble", func() bool { return kh.k.screen == "printer" })
	kh.assertShows("Problema di stampa", "carta esaurita", "Riprova")
	kh.capture("kiosk-paper.png")
	kh.printer.mu.Lock()
	kh.printer.paperOut = false
	kh.printer.mu.Unlock()
	kh.press("Riprova")
	kh.waitFor("the ticket", func() bool { return kh.k.screen == "ticket" })
	if len(kh.queue.issued) != 1 || len(kh.printer.tickets) != 1 {
		t.Fatalf("a retry must print the same ticket: issued %d, printed %v", len(kh.queue.issued), kh.printer.tickets)
	}
}

// TestKioskIdentityLockout: wrong documents are refused without saying
// which part is wrong, then the code is locked even for the right one.
func TestKioskIdentityLockout(t *testing.T) {
	kh := newKioskHarness(t, time.Minute)
	kh.identify(kh.cf, "CA99999ZZ")
	kh.assertShows("codice fiscale o numero del documento non corrispondono")
	kh.assertHides("Buongiorno")
	kh.capture("kiosk-identify.png")
	kh.identify(kh.cf, "CA12345AB") // too soon after the failure: wait
	kh.assertShows("attendere qualche secondo")
	for range kiosk.MaxFailures - 1 {
		kh.clock = kh.clock.Add(5 * time.Second)
		kh.identify(kh.cf, "XX0000000")
	}
	kh.assertShows("troppi tentativi errati")
	kh.clock = kh.clock.Add(5 * time.Second)
	kh.identify(kh.cf, "CA12345AB")
	kh.assertShows("troppi tentativi errati")
	kh.assertHides("Buongiorno")
	kh.clock = kh.clock.Add(kiosk.Lockout)
	kh.identify(kh.cf, "CA12345AB")
	kh.assertShows("Buongiorno, Giulia CANTÙ")
}

// TestKioskIdleWipe: an identified citizen who walks away is forgotten
// after the idle timeout: the start screen, no name, no session.
func TestKioskIdleWipe(t *testing.T) {
	// The idle time leaves a wide margin over the pauses below, so a
	// loaded machine (the race detector, two cores) cannot wipe early.
	const idle = 2 * time.Second
	kh := newKioskHarness(t, idle)
	kh.identify(kh.cf, kh.doc)
	kh.waitFor("the menu", func() bool { return kh.k.screen == "menu" })
	kh.assertShows("Buongiorno, Giulia CANTÙ", "Numero per lo sportello", "Stampa un certificato", "Esci e cancella")
	kh.capture("kiosk-menu.png")
	citizen := kh.k.session.Citizen
	// A linked ticket prints the holder's name.
	kh.press("Numero per lo sportello")
	kh.waitFor("the areas", func() bool { return kh.shows("Scelga il servizio") })
	kh.press("A · Anagrafe")
	kh.waitFor("the ticket", func() bool { return kh.k.screen == "ticket" })
	if kh.queue.issued[0].CodiceFiscale != kh.cf || !strings.HasSuffix(kh.printer.tickets[0], "CANTÙ Giulia") {
		t.Fatalf("the ticket is not linked: %+v %v", kh.queue.issued[0], kh.printer.tickets)
	}
	kh.press("Fine")
	kh.waitFor("the menu", func() bool { return kh.k.screen == "menu" })
	// Touching keeps it; walking away wipes it.
	kh.settle(idle / 2)
	kh.press("Le mie pratiche")
	kh.waitFor("the activity", func() bool { return kh.k.screen == "activity" })
	kh.assertShows("Cambio di residenza")
	kh.settle(idle / 2)
	if kh.k.screen != "activity" {
		t.Fatalf("wiped while in use: %s", kh.k.screen)
	}
	kh.waitFor("the idle wipe", func() bool { return kh.k.screen == "start" })
	kh.assertHides("CANTÙ", "Giulia", "Cambio di residenza", "Buongiorno")
	if kh.k.session != nil || citizen.CodiceFiscale != "" || citizen.DocumentNumber != "" || citizen.Surname != "" {
		t.Fatalf("the citizen's data stayed in memory: %+v %+v", kh.k.session, citizen)
	}
}

// TestKioskCertificateAndAlbo prints a bollo-exempt certificate for a use
// the policy allows, and reads the albo pretorio.
func TestKioskCertificateAndAlbo(t *testing.T) {
	kh := newKioskHarness(t, time.Minute)
	kh.identify(kh.cf, kh.doc)
	kh.waitFor("the menu", func() bool { return kh.k.screen == "menu" })
	kh.press("Stampa un certificato")
	kh.waitFor("the certificates", func() bool { return kh.k.screen == "certificates" })
	kh.assertShows("Nascita", "Residenza")
	kh.assertHides("Stato libero")
	kh.press("Residenza")
	kh.assertShows("Per quale uso?", "pensione estera")
	kh.press("pensione estera")
	kh.waitFor("the print", func() bool { return kh.k.screen == "printed" })
	kh.assertShows("Certificato n. I690-W003-2026-000001 stampato")
	if len(kh.self.certs) != 1 || kh.self.certs[0] != "residenza "+kh.cf || len(kh.printer.pdfs) != 1 {
		t.Fatalf("certs %v pdfs %v", kh.self.certs, kh.printer.pdfs)
	}
	kh.press("Fine")
	kh.waitFor("the menu", func() bool { return kh.k.screen == "menu" })
	kh.press("Esci e cancella")
	kh.assertShows("Prendi il numero")
	kh.press("Albo pretorio")
	kh.waitFor("the albo", func() bool { return kh.k.screen == "albo" })
	kh.assertShows("Avviso: Avviso di deposito del piano urbanistico", "n. 2026/0142 — Settore Urbanistica — pubblicato dal 01/05/2026 al 31/05/2026")
	kh.press("Avviso: Avviso")
	kh.assertShows("Si avvisa la cittadinanza")
}

// TestKioskAppointments: the identified citizen books an appointment at
// the kiosk (service, day, time, confirmation), sees it among their own,
// checks in for it from the menu and gets a ticket for its time; a second
// one is cancelled.
func TestKioskAppointments(t *testing.T) {
	kh := newKioskHarness(t, time.Minute)
	rome := func(d, h, m int) time.Time { return time.Date(2026, 5, 12+d, h, m, 0, 0, app.Rome) } // the clock: 09:30 of Tuesday 12/05
	book := newFakeBook(func() time.Time { return kh.clock }, rome(0, 9, 0), rome(0, 10, 0), rome(0, 10, 20), rome(1, 9, 0))
	kh.k.d.Appointments, kh.k.d.Device = book, "I690-W003"
	kh.queue.book, kh.self.book = book, book

	kh.identify(kh.cf, kh.doc)
	kh.waitFor("the menu", func() bool { return kh.k.screen == "menu" })
	kh.assertHides("Sono qui per l'appuntamento")
	kh.press("I miei appuntamenti")
	kh.waitFor("the appointments", func() bool { return kh.k.screen == "appointments" })
	kh.assertShows("Nessun appuntamento")
	kh.press("Prenota un appuntamento")
	kh.waitFor("the services", func() bool { return kh.k.screen == "book-areas" })
	kh.assertShows("Per quale servizio?")
	kh.assertHides("Anagrafe") // no slots
	kh.press("Carta d'identità")
	kh.waitFor("the days", func() bool { return kh.k.screen == "book-days" })
	kh.assertShows("mar 12/05/2026", "mer 13/05/2026")
	kh.press("mar 12/05/2026")
	kh.assertShows("10:00", "10:20")
	kh.assertHides("09:00") // past
	kh.capture("kiosk-book-times.png")
	kh.press("10:00")
	kh.assertShows("Conferma la prenotazione?", "mar 12/05/2026 alle 10:00 — Carta d'identità, sportello 1")
	kh.press("Sì, prenota")
	kh.waitFor("the booking", func() bool { return kh.k.screen == "booked" })
	kh.assertShows("Appuntamento prenotato", "mar 12/05/2026 alle 10:00 — Carta d'identità, sportello 1")
	kh.assertHides("senza rete")
	if book.free(rome(0, 10, 0)) || len(book.by) != 1 || book.by[0] != "chiosco:I690-W003" {
		t.Fatalf("booked by %v, slot free %v", book.by, book.free(rome(0, 10, 0)))
	}
	kh.capture("kiosk-booked.png")

	// Back on the menu, the appointment is due within the hour: check in.
	kh.press("Fine")
	kh.waitFor("the check-in", func() bool { return kh.shows("Sono qui per l'appuntamento delle 10:00") })
	kh.press("Sono qui per l'appuntamento delle 10:00")
	kh.waitFor("the ticket", func() bool { return kh.k.screen == "ticket" })
	kh.assertShows("C001", "Appuntamento delle 10:00")
	kh.printer.mu.Lock()
	tickets := kh.printer.tickets
	kh.printer.mu.Unlock()
	if len(tickets) != 1 || !strings.HasPrefix(tickets[0], "C001") || !strings.Contains(tickets[0], "CANTÙ Giulia") {
		t.Fatalf("printed %v", tickets)
	}
	as, _ := book.Appointments(context.Background(), kh.cf)
	if len(as) != 1 || as[0].Status != queue.CheckedIn {
		t.Fatalf("after the check-in: %+v", as)
	}

	// A second appointment, tomorrow, then cancelled.
	kh.press("Fine")
	kh.waitFor("the menu", func() bool { return kh.k.screen == "menu" })
	kh.press("I miei appuntamenti")
	kh.waitFor("the appointments", func() bool { return kh.k.screen == "appointments" })
	kh.assertShows("Nessun appuntamento") // the one checked in is no longer to come
	kh.press("Prenota un appuntamento")
	kh.waitFor("the services", func() bool { return kh.k.screen == "book-areas" })
	kh.press("Carta d'identità")
	kh.waitFor("the days", func() bool { return kh.k.screen == "book-days" })
	kh.press("mer 13/05/2026")
	kh.press("09:00")
	kh.press("Sì, prenota")
	kh.waitFor("the booking", func() bool { return kh.k.screen == "booked" })
	kh.press("Fine")
	kh.waitFor("the menu", func() bool { return kh.k.screen == "menu" })
	kh.press("I miei appuntamenti")
	kh.waitFor("the list", func() bool { return kh.shows("mer 13/05/2026 alle 09:00 — Carta d'identità, sportello 1") })
	kh.capture("kiosk-appointments.png")
	kh.press("Annulla questo appuntamento")
	kh.waitFor("the cancellation", func() bool { return kh.k.screen == "cancelled" })
	kh.assertShows("Appuntamento annullato")
	if !book.free(rome(1, 9, 0)) {
		t.Fatal("the cancellation must free the slot")
	}
	kh.press("Fine")
	kh.waitFor("the list", func() bool { return kh.k.screen == "appointments" })
	kh.assertShows("Nessun appuntamento")

	// The idle wipe forgets the citizen mid-booking.
	kh.press("Prenota un appuntamento")
	kh.waitFor("the services", func() bool { return kh.k.screen == "book-areas" })
	kh.k.wipe()
	kh.assertShows("Prendi il numero")
	kh.assertHides("Carta d'identità")
}

// fakeKioskPayments has one payable position of the test's citizen.
type fakeKioskPayments struct {
	mu      sync.Mutex
	cf      string
	printed []string
}

func (p *fakeKioskPayments) PayableNotices(_ context.Context, code string) ([]KioskNotice, error) {
	if code != p.cf {
		return nil, nil
	}
	return []KioskNotice{{ID: "I690-TARI-2026-0007", Label: "TARI 2026 — € 187,00, entro il 31/05/2026"}}, nil
}

func (p *fakeKioskPayments) NoticePDF(_ context.Context, code, id string) ([]byte, error) {
	if code != p.cf {
		return nil, app.Errorf(app.EFORBIDDEN, "l'avviso non è intestato alla persona identificata")
	}
	p.mu.Lock()
	p.printed = append(p.printed, code+" "+id)
	p.mu.Unlock()
	return []byte("%PDF-1.7 avviso"), nil
}

// TestKioskPayNotices: the identified citizen prints the pagoPA notice of
// a position to pay; out of paper, the kiosk says so and prints on retry.
func TestKioskPayNotices(t *testing.T) {
	kh := newKioskHarness(t, time.Minute)
	pay := &fakeKioskPayments{cf: kh.cf}
	kh.k.d.Payments = pay
	kh.k.d.Appointments = newFakeBook(func() time.Time { return kh.clock })
	kh.identify(kh.cf, kh.doc)
	kh.waitFor("the menu", func() bool { return kh.k.screen == "menu" })
	kh.capture("kiosk-menu-full.png")
	kh.press("Stampa un avviso di pagamento pagoPA")
	kh.waitFor("the positions", func() bool { return kh.k.screen == "pay-notices" })
	kh.assertShows("TARI 2026 — € 187,00, entro il 31/05/2026")
	kh.printer.mu.Lock()
	kh.printer.paperOut = true
	kh.printer.mu.Unlock()
	kh.press("TARI 2026")
	kh.waitFor("the printer's trouble", func() bool { return kh.k.screen == "printer" })
	kh.printer.mu.Lock()
	kh.printer.paperOut = false
	kh.printer.mu.Unlock()
	kh.press("Riprova")
	kh.waitFor("the notice", func() bool { return kh.k.screen == "notice-printed" })
	kh.assertShows("Avviso di pagamento stampato")
	kh.printer.mu.Lock()
	pdfs := kh.printer.pdfs
	kh.printer.mu.Unlock()
	if len(pdfs) != 1 || pdfs[0] != "Avviso I690-TARI-2026-0007" || len(pay.printed) != 1 || pay.printed[0] != kh.cf+" I690-TARI-2026-0007" {
		t.Fatalf("printed %v, laid out %v", pdfs, pay.printed)
	}
}
