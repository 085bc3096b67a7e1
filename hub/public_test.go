package hub_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/cf"
	"github.com/sportello/sportello/app/kiosk"
	"github.com/sportello/sportello/app/queue"
	"github.com/sportello/sportello/hub"
	"github.com/sportello/sportello/hub/demo"
	"github.com/sportello/sportello/hub/sqlstore"
	"github.com/sportello/sportello/sync/wire"
)

// publicNow is the public pages' clock in the tests: a Tuesday morning,
// before the day's first appointment.
var publicNow = time.Date(2026, 3, 10, 8, 0, 0, 0, app.Rome)

// publicHub is the real hub over HTTP on loopback with the demo comune
// (catalogue, queue, albo, requests), another comune without them, and a
// counter of the first enrolled.
type publicHub struct {
	URL   string
	DB    *sqlstore.DB
	Token string // a counter of I690
	now   *time.Time
}

func newPublicHub(tb testing.TB) *publicHub {
	tb.Helper()
	ctx := context.Background()
	db := MustOpenDB(tb)
	now := publicNow
	clock := func() time.Time { return now }
	db.Now = clock
	// The demo's Sesto, small: its catalogue, queue, albo and requests.
	if _, err := demo.Seed(ctx, db, demo.Options{Comune: "I690", Residents: 60, Seed: 1, Today: now,
		HashPassword: func(string) (string, error) {
			// argon2id's form, at the seeding's cost: the login is not under test.
			return "$argon2id$v=19$m=65536,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", nil
		}}); err != nil {
		tb.Fatal(err)
	}
	if err := db.EnsureComune(ctx, "C707", "CINISELLO BALSAMO"); err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(hub.NewServer(hub.Deps{DB: db, Now: clock}))
	tb.Cleanup(srv.Close)
	return &publicHub{URL: srv.URL, DB: db, Token: trustEnrol(tb, db, "I690", ""), now: &now}
}

// client is a browser: it keeps the cookies of the pages it opened.
func (h *publicHub) client(tb testing.TB) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		tb.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (h *publicHub) get(tb testing.TB, c *http.Client, path string) (int, string, http.Header) {
	tb.Helper()
	res, err := c.Get(h.URL + path)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), res.Header
}

func (h *publicHub) post(tb testing.TB, c *http.Client, path string, form url.Values, header ...string) (int, string) {
	tb.Helper()
	req, _ := http.NewRequest("POST", h.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := c.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// snapshotSeq is the change-log position a counter of I690 pulls from
// after its snapshot.
func (h *publicHub) snapshotSeq(tb testing.TB) int64 {
	tb.Helper()
	req, _ := http.NewRequest("GET", h.URL+"/v1/snapshot?scope=I690", nil)
	req.Header.Set("Authorization", "Bearer "+h.Token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	var snap wire.SnapshotResponse
	if err := json.NewDecoder(res.Body).Decode(&snap); err != nil || res.StatusCode != 200 {
		tb.Fatalf("snapshot: %d %v", res.StatusCode, err)
	}
	return snap.Seq
}

var hidden = regexp.MustCompile(`<input type="hidden" name="(\w+)" value="([^"]*)">`)

// bookingForm opens the booking page of area as a browser would and
// returns its hidden fields.
func (h *publicHub) bookingForm(tb testing.TB, c *http.Client, area string) url.Values {
	tb.Helper()
	st, page, _ := h.get(tb, c, "/comuni/I690/prenota?area="+area)
	if st != 200 {
		tb.Fatalf("booking page: %d\n%s", st, page)
	}
	v := url.Values{}
	for _, m := range hidden.FindAllStringSubmatch(page, -1) {
		v.Set(m[1], m[2])
	}
	if v.Get("token") == "" || v.Get("appointment") == "" {
		tb.Fatalf("booking page without its hidden fields:\n%s", page)
	}
	return v
}

var rossiCF = func() string {
	c, err := cf.Compute(cf.Person{Surname: "Rossi", Name: "Mario", Sex: "M", BirthDate: app.Date(1985, 12, 10), BirthPlaceCode: "A562"})
	if err != nil {
		panic(err)
	}
	return c
}()

var biancaCF = func() string {
	c, err := cf.Compute(cf.Person{Surname: "Bianchi", Name: "Laura", Sex: "F", BirthDate: app.Date(1980, 1, 1), BirthPlaceCode: "F205"})
	if err != nil {
		panic(err)
	}
	return c
}()

// firstSlot is the ID of the first identity-card slot of the day d days
// after publicNow.
func firstSlot(d int) string {
	day := publicNow.AddDate(0, 0, d)
	return queue.SlotID("C", "1", time.Date(day.Year(), day.Month(), day.Day(), 9, 0, 0, 0, app.Rome))
}

// TestPublicPages: every page answers in Italian and in English, with the
// comune's name, its menu, its breadcrumb and the security headers; an
// unknown comune, service or page is the 404 page.
func TestPublicPages(t *testing.T) {
	h := newPublicHub(t)
	c := h.client(t)
	for _, tc := range []struct {
		path     string
		status   int
		it, en   string
		contains []string
	}{
		{"/", 200, "I comuni della rete", "The network&#39;s comuni", []string{`href="/comuni/I690/`, "Comune di Sesto San Giovanni", "Comune di Cinisello Balsamo"}},
		{"/comuni/I690/", 200, "Comune di Sesto San Giovanni", "Comune di Sesto San Giovanni", []string{"Ordinanza di divieto di sosta", `href="/pratica`, `href="/verifica`, `href="/comuni/I690/certificato-per-posta`}},
		{"/comuni/I690/servizi", 200, "Avere una famiglia", "Having a family", []string{"Cambio di residenza", `href="/comuni/I690/certificato-per-posta`, `href="/comuni/I690/servizi/cambio-residenza`}},
		{"/comuni/I690/servizi/cambio-residenza", 200, "Quanto costa", "Costs", []string{"Ufficio Anagrafe", "45"}},
		{"/comuni/I690/albo", 200, "Albo pretorio", "Official notice board", []string{"2026/0142", "Settore Urbanistica"}},
		{"/comuni/I690/orari", 200, "Su appuntamento", "By appointment", []string{"09:00–12:20"}},
		{"/comuni/I690/prenota", 200, "Scegli il servizio", "Choose the service", []string{`href="/comuni/I690/prenota?area=C`}},
		{"/comuni/I690/prenota?area=C", 200, "Scegli giorno e ora", "Choose day and time", []string{firstSlot(0)}},
		{"/comuni/C707/servizi", 200, "Servizi", "Services", nil},
		{"/comuni/Z999/", 404, "Pagina non trovata", "Page not found", nil},
		{"/comuni/H501/servizi", 404, "Pagina non trovata", "Page not found", nil},
		{"/comuni/I690/servizi/nessuno", 404, "Pagina non trovata", "Page not found", nil},
		{"/comuni/i690%3Cscript%3E/albo", 404, "Pagina non trovata", "Page not found", nil},
		{"/nessuna-pagina", 404, "Pagina non trovata", "Page not found", nil},
	} {
		t.Run(tc.path, func(t *testing.T) {
			for lang, want := range map[string]string{"it": tc.it, "en": tc.en} {
				path := tc.path
				if lang == "en" {
					path += map[bool]string{true: "&", false: "?"}[strings.Contains(path, "?")] + "lang=en"
				}
				st, page, hd := h.get(t, c, path)
				if st != tc.status {
					t.Fatalf("GET %s: %d, want %d\n%s", path, st, tc.status, page)
				}
				for _, w := range append([]string{want, `<html lang="` + lang + `">`}, tc.contains...) {
					if !strings.Contains(page, w) {
						t.Errorf("GET %s does not show %q", path, w)
					}
				}
				if lang == "en" && strings.Contains(strings.ReplaceAll(page, `href="/comuni/I690/servizi" lang="it"`, ""), `href="/comuni/I690/servizi"`) {
					t.Errorf("GET %s: a link of the English page leads to the Italian one", path)
				}
				for header, w := range map[string]string{
					"Content-Security-Policy": "frame-ancestors 'none'",
					"X-Content-Type-Options":  "nosniff",
					"Referrer-Policy":         "no-referrer",
					"Content-Type":            "text/html; charset=utf-8",
				} {
					if got := hd.Get(header); !strings.Contains(got, w) {
						t.Errorf("GET %s: %s = %q, want %q", path, header, got, w)
					}
				}
				if csp := hd.Get("Content-Security-Policy"); strings.Contains(csp, "script-src") || strings.Contains(csp, "unsafe-inline") {
					t.Errorf("GET %s: the policy lets scripts or inline styles run: %q", path, csp)
				}
			}
		})
	}
	t.Run("LanguageSwitch", func(t *testing.T) {
		_, page, _ := h.get(t, c, "/comuni/I690/prenota?area=C")
		if !strings.Contains(page, `href="/comuni/I690/prenota?area=C&amp;lang=en" lang="en" hreflang="en">English</a>`) {
			t.Errorf("no switch to the same page in English:\n%s", page)
		}
		_, page, _ = h.get(t, c, "/comuni/I690/prenota?area=C&lang=en")
		if !strings.Contains(page, `href="/comuni/I690/prenota?area=C" lang="it" hreflang="it">Italiano</a>`) {
			t.Errorf("no switch back to Italian:\n%s", page)
		}
	})
	t.Run("Static", func(t *testing.T) {
		_, page, _ := h.get(t, c, "/")
		m := regexp.MustCompile(`href="(/static/[0-9a-f]+/)bootstrap-italia/bootstrap-italia.min.css"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no stylesheet:\n%s", page)
		}
		for _, f := range []string{"bootstrap-italia/bootstrap-italia.min.css", "sportello.css", "fonts/titillium-web-v10-latin-ext_latin-regular.woff2", "bootstrap-italia/LICENSE", "fonts/OFL.txt"} {
			st, body, hd := h.get(t, c, m[1]+f)
			if st != 200 || len(body) < 100 {
				t.Errorf("%s: %d, %d bytes", f, st, len(body))
			}
			if cc := hd.Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") {
				t.Errorf("%s: Cache-Control %q, want a year", f, cc)
			}
		}
		if st, _, _ := h.get(t, c, "/static/0000/sportello.css"); st != 404 {
			t.Errorf("an asset under another version: %d, want 404", st)
		}
		if st, _, _ := h.get(t, c, m[1]); st != 404 {
			t.Errorf("the assets' folder listed: %d, want 404", st)
		}
	})
	t.Run("ComuneWithoutSlash", func(t *testing.T) {
		res, err := c.Get(h.URL + "/comuni/I690?lang=en")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 301 || res.Header.Get("Location") != "/comuni/I690/?lang=en" {
			t.Errorf("/comuni/I690: %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
	})
	t.Run("APIStaysJSON", func(t *testing.T) {
		if st, page, _ := h.get(t, c, "/v1/nessuna"); st != 404 || strings.Contains(page, "<html") {
			t.Errorf("unknown API path: %d %q", st, page)
		}
	})
}

// TestPublicAlboEscaping: a notice's title, office and text are the
// comune's words, shown as text and never as markup.
func TestPublicAlboEscaping(t *testing.T) {
	h := newPublicHub(t)
	hostile := `<script>alert(1)</script><img src=x onerror=alert(2)>`
	if err := h.DB.PublishNotice(context.Background(), "I690", kiosk.Notice{Number: "2026/0999", Title: "Avviso " + hostile,
		Office: `"><b>Ufficio</b>`, Category: "Avviso", From: app.Date(2026, 3, 1), To: app.Date(2026, 3, 31), Text: hostile}); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/comuni/I690/albo", "/comuni/I690/"} {
		_, page, _ := h.get(t, h.client(t), path)
		if strings.Contains(page, "<script>") || strings.Contains(page, "<img src=x") || strings.Contains(page, "<b>Ufficio") {
			t.Errorf("%s: hostile markup on the page:\n%s", path, page)
		}
		if path == "/comuni/I690/albo" && !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s: the title is not shown as text", path)
		}
	}
}

// TestPublicAlboInPublication: only acts in publication today.
func TestPublicAlboInPublication(t *testing.T) {
	h := newPublicHub(t)
	ctx := context.Background()
	for _, n := range []kiosk.Notice{
		{Number: "2026/0001", Title: "Atto scaduto", Category: "Avviso", From: app.Date(2026, 1, 1), To: app.Date(2026, 3, 9)},
		{Number: "2026/0002", Title: "Atto futuro", Category: "Avviso", From: app.Date(2026, 3, 11)},
		{Number: "2026/0003", Title: "Atto di oggi", Category: "Avviso", From: app.Date(2026, 3, 10), To: app.Date(2026, 3, 10)},
	} {
		if err := h.DB.PublishNotice(ctx, "I690", n); err != nil {
			t.Fatal(err)
		}
	}
	_, page, _ := h.get(t, h.client(t), "/comuni/I690/albo")
	if strings.Contains(page, "Atto scaduto") || strings.Contains(page, "Atto futuro") || !strings.Contains(page, "Atto di oggi") {
		t.Errorf("albo shows what is not in publication, or misses today's:\n%s", page)
	}
}

// TestPublicBooking books through the form as a browser does: the slot is
// taken for the counters (in the change log a counter pulls), the page
// shows the booking's code; every refusal stores nothing.
func TestPublicBooking(t *testing.T) {
	h := newPublicHub(t)
	ctx := context.Background()
	c := h.client(t)
	slot := firstSlot(1)
	cursor := h.snapshotSeq(t) // where the counter stands before the booking
	form := h.bookingForm(t, c, "C")
	form.Set("slot", slot)
	form.Set("codice_fiscale", strings.ToLower(rossiCF))
	form.Set("name", "Rossi  Mario")
	st, page := h.post(t, c, "/comuni/I690/prenota", form)
	if st != 200 || !strings.Contains(page, "Appuntamento prenotato") {
		t.Fatalf("booking: %d\n%s", st, page)
	}
	code := hub.BookingCode(form.Get("appointment"))
	if !strings.Contains(page, code) || !strings.Contains(page, "mercoledì 11 marzo, 09:00") || !strings.Contains(page, "Rossi Mario") {
		t.Errorf("confirmation without code %s, time or name:\n%s", code, page)
	}
	a, err := h.DB.Appointment(ctx, "I690", form.Get("appointment"))
	if err != nil {
		t.Fatal(err)
	}
	if a.Slot != slot || a.CodiceFiscale != rossiCF || a.Status != queue.Booked || a.BookedBy != hub.PublicBooker || a.Name != "Rossi Mario" {
		t.Errorf("stored appointment %+v", a)
	}

	t.Run("VisibleToTheCounter", func(t *testing.T) {
		// The counter pulls the comune's change log, page after page.
		var sawSlot, sawAppt bool
		for after, more := cursor, true; more; {
			req, _ := http.NewRequest("GET", fmt.Sprintf("%s/v1/changes?scope=I690&after=%d", h.URL, after), nil)
			req.Header.Set("Authorization", "Bearer "+h.Token)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var page wire.ChangesResponse
			err = json.NewDecoder(res.Body).Decode(&page)
			res.Body.Close()
			if err != nil || res.StatusCode != 200 || len(page.Changes) == 0 && page.More {
				t.Fatalf("changes after %d: %d %v", after, res.StatusCode, err)
			}
			for _, ch := range page.Changes {
				after = ch.Seq
				if ch.Record == nil {
					continue
				}
				switch ch.Kind {
				case queue.KindSlot:
					if s, err := queue.DecodeSlot(ch.Record.Data); err == nil && s.ID == slot && s.Appointment == a.ID {
						sawSlot = true
					}
				case queue.KindAppointment:
					sawAppt = sawAppt || ch.Key == a.ID
				}
			}
			more = page.More
		}
		if !sawSlot || !sawAppt {
			t.Errorf("the counter's changes miss the booking: slot %v, appointment %v", sawSlot, sawAppt)
		}
	})
	t.Run("RepeatedPostIsOneBooking", func(t *testing.T) {
		st, page := h.post(t, c, "/comuni/I690/prenota", form)
		if st != 200 || !strings.Contains(page, code) {
			t.Errorf("the same form again: %d\n%s", st, page)
		}
		n := 0
		recs, _ := h.DB.Records(ctx, "I690", queue.KindAppointment, rossiCF)
		n = len(recs)
		if n != 1 {
			t.Errorf("%d appointments after the form posted twice, want 1", n)
		}
	})

	refuse := func(t *testing.T, f url.Values, status int, want string, header ...string) {
		t.Helper()
		before, _ := h.DB.Records(ctx, "I690", queue.KindAppointment, "")
		st, page := h.post(t, c, "/comuni/I690/prenota", f, header...)
		if st != status || !strings.Contains(page, want) {
			t.Errorf("%d, want %d with %q:\n%s", st, status, want, page)
		}
		if !strings.Contains(page, `role="alert"`) {
			t.Errorf("the refusal is not announced as an alert")
		}
		after, _ := h.DB.Records(ctx, "I690", queue.KindAppointment, "")
		if len(after) != len(before) {
			t.Errorf("a refused booking stored an appointment: %d, then %d", len(before), len(after))
		}
	}
	fresh := func(mod func(url.Values)) url.Values {
		f := h.bookingForm(t, c, "C")
		f.Set("slot", firstSlot(2))
		f.Set("codice_fiscale", rossiCF)
		f.Set("name", "Rossi Mario")
		mod(f)
		return f
	}
	t.Run("ErrDoubleBooking", func(t *testing.T) {
		refuse(t, fresh(func(f url.Values) { f.Set("slot", slot); f.Set("codice_fiscale", biancaCF) }), 409, "già stato prenotato")
	})
	t.Run("ErrPastSlot", func(t *testing.T) {
		*h.now = publicNow.Add(26 * time.Hour) // Wednesday 10:00
		defer func() { *h.now = publicNow }()
		refuse(t, fresh(func(f url.Values) { f.Set("slot", firstSlot(1)[:len(firstSlot(1))-7]+"09:20-1") }), 400, "già passato")
	})
	t.Run("ErrUnknownSlot", func(t *testing.T) {
		refuse(t, fresh(func(f url.Values) { f.Set("slot", "C-2026-03-12T07:00-1") }), 400, "tra quelli liberi")
	})
	t.Run("ErrSlotOfAnotherArea", func(t *testing.T) {
		refuse(t, fresh(func(f url.Values) { f.Set("area", "A") }), 400, "tra quelli liberi")
	})
	t.Run("ErrCodiceFiscale", func(t *testing.T) {
		bad := rossiCF[:15] + map[bool]string{true: "A", false: "B"}[rossiCF[15] != 'A']
		refuse(t, fresh(func(f url.Values) { f.Set("codice_fiscale", bad) }), 400, "Il codice fiscale non è valido")
		refuse(t, fresh(func(f url.Values) { f.Set("codice_fiscale", "") }), 400, "Il codice fiscale non è valido")
	})
	t.Run("ErrName", func(t *testing.T) {
		refuse(t, fresh(func(f url.Values) { f.Set("name", "<b>Rossi</b>") }), 400, "cognome e nome")
		refuse(t, fresh(func(f url.Values) { f.Set("name", "  ") }), 400, "cognome e nome")
	})
	t.Run("ErrCSRF", func(t *testing.T) {
		refuse(t, fresh(func(f url.Values) { f.Set("token", strings.Repeat("A", 43)) }), 403, "scaduto")
		// A token of this browser's page with its random part changed.
		tok := strings.Split(fresh(func(url.Values) {}).Get("token"), ".")
		refuse(t, fresh(func(f url.Values) { f.Set("token", tok[0]+"."+tok[1]+"x."+tok[2]) }), 403, "scaduto")
		// Another browser: no cookie, the token of someone else's page.
		before, _ := h.DB.Records(ctx, "I690", queue.KindAppointment, "")
		st, _ := h.post(t, h.client(t), "/comuni/I690/prenota", fresh(func(url.Values) {}))
		after, _ := h.DB.Records(ctx, "I690", queue.KindAppointment, "")
		if st != 403 || len(after) != len(before) {
			t.Errorf("a post without the page's cookie: %d, %d appointments then %d", st, len(before), len(after))
		}
	})
	t.Run("ErrCrossOrigin", func(t *testing.T) {
		refuse(t, fresh(func(url.Values) {}), 403, "scaduto", "Sec-Fetch-Site", "cross-site")
		refuse(t, fresh(func(url.Values) {}), 403, "scaduto", "Origin", "https://evil.example")
	})
	t.Run("ErrEnglish", func(t *testing.T) {
		f := fresh(func(f url.Values) { f.Set("slot", slot) })
		st, page := h.post(t, c, "/comuni/I690/prenota?lang=en", f)
		if st != 409 || !strings.Contains(page, "already been booked") {
			t.Errorf("English refusal: %d\n%s", st, page)
		}
	})
	t.Run("ErrOtherComune", func(t *testing.T) {
		// Cinisello has no slots: the form of Sesto posted there books nothing.
		f := fresh(func(url.Values) {})
		st, _ := h.post(t, c, "/comuni/C707/prenota", f)
		if st == 200 {
			t.Errorf("a slot of I690 booked through C707's page")
		}
	})
	t.Run("ErrTooMany", func(t *testing.T) {
		var st int
		var page string
		for i := 0; i < 12 && st != 429; i++ {
			st, page = h.post(t, c, "/comuni/I690/prenota", fresh(func(f url.Values) { f.Set("name", "") }))
		}
		if st != 429 || !strings.Contains(page, "Troppe prenotazioni") {
			t.Errorf("no limit per address: %d\n%s", st, page)
		}
	})
}

// TestPublicFollow: the page a receipt's QR code opens shows the request
// in its comune's layout, in both languages; a wrong code tells nothing.
func TestPublicFollow(t *testing.T) {
	h := newPublicHub(t)
	c := h.client(t)
	reqs, err := h.DB.HubRequests(context.Background(), "I690", "")
	if err != nil || len(reqs) == 0 {
		t.Fatalf("demo requests: %d, %v", len(reqs), err)
	}
	r := reqs[0]
	link := hub.FollowPath + "?id=" + r.ID + "&k=" + r.FollowCode
	st, page, hd := h.get(t, c, link)
	if st != 200 || !strings.Contains(page, r.ServiceTitle) || !strings.Contains(page, r.DisplayNumber()) ||
		!strings.Contains(page, "Comune di Sesto San Giovanni") || !strings.Contains(page, r.Status.Title()) {
		t.Errorf("follow page: %d\n%s", st, page)
	}
	if hd.Get("Referrer-Policy") != "no-referrer" || hd.Get("Cache-Control") != "no-store" {
		t.Errorf("the follow code may leak: %v", hd)
	}
	if st, page, _ := h.get(t, c, link+"&lang=en"); st != 200 || !strings.Contains(page, "History of the request") {
		t.Errorf("English follow page: %d\n%s", st, page)
	}
	for _, q := range []string{"?id=" + r.ID + "&k=" + r.FollowCode + "x", "?id=" + r.ID, "?id=nessuna&k=" + r.FollowCode} {
		st, page, _ := h.get(t, c, hub.FollowPath+q)
		if st != 404 || !strings.Contains(page, "Richiesta non trovata") || strings.Contains(page, r.ServiceTitle) {
			t.Errorf("%s: %d\n%s", q, st, page)
		}
	}
	if st, page, _ := h.get(t, c, hub.FollowPath); st != 200 || !strings.Contains(page, "QR code") {
		t.Errorf("the page without a request: %d\n%s", st, page)
	}
}

// FuzzPublicBooking posts arbitrary forms: the hub answers a page (never a
// failure), and whatever it answers 200 to is a booking of a real free
// slot by a valid codice fiscale.
func FuzzPublicBooking(f *testing.F) {
	f.Add(firstSlot(1), rossiCF, "Rossi Mario", "C", "")
	f.Add(firstSlot(1), "rssmra85t10a562s", "D'Angelo Anna-Maria", "C", "x")
	f.Add("C-2026-03-11T09:00-1\x00", "RSSMRA85T10A562S", "<b>", "Z", "%zz")
	f.Add("", "", "", "", "&slot=")
	f.Fuzz(func(t *testing.T, slot, code, name, area, raw string) {
		h := newPublicHub(t)
		c := h.client(t)
		form := h.bookingForm(t, c, "C")
		form.Set("slot", slot)
		form.Set("codice_fiscale", code)
		form.Set("name", name)
		form.Set("area", area)
		req, _ := http.NewRequest("POST", h.URL+"/comuni/I690/prenota", strings.NewReader(form.Encode()+"&"+raw))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode >= 500 {
			t.Fatalf("status %d", res.StatusCode)
		}
		recs, _ := h.DB.Records(context.Background(), "I690", queue.KindAppointment, "")
		if (res.StatusCode == 200) != (len(recs) == 1) {
			t.Fatalf("status %d with %d appointments", res.StatusCode, len(recs))
		}
		for _, r := range recs {
			a, _ := queue.DecodeAppointment(r.Data)
			if !cf.Valid(a.CodiceFiscale) || a.Slot != slot {
				t.Fatalf("stored %+v from slot %q code %q", a, slot, code)
			}
		}
	})
}
