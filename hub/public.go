package hub

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/cf"
	"github.com/sportello/sportello/app/kiosk"
	"github.com/sportello/sportello/app/queue"
	"github.com/sportello/sportello/app/request"
)

// The comune's public pages, for the comuni of the network without a
// portal of their own: the front page lists the network's comuni; each
// comune has its home, its services by life event, the albo pretorio, its
// opening hours and the booking of an appointment, in the structure and
// words of the Designers Italia "modello comuni" and with Bootstrap
// Italia's look (its compiled CSS and the Titillium Web font, vendored
// under public/static). The pages need no script; each is a template of
// public/ over public/layout.html.

//go:embed public/*.html
var publicTemplates embed.FS

//go:embed public/static
var publicStatic embed.FS

// staticPrefix is where the pages' assets are served: it names their
// content, so that they can be cached for a year and still change with a
// new release.
var staticPrefix = func() string {
	h := sha256.New()
	fs.WalkDir(publicStatic, "public/static", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := publicStatic.ReadFile(p)
			h.Write([]byte(p))
			h.Write(b)
		}
		return nil
	})
	return "/static/" + hex.EncodeToString(h.Sum(nil))[:12] + "/"
}()

// publicCSP is the policy of the public pages: their own stylesheets and
// fonts, the CSS's inline SVG images, forms posted only to the hub, no
// script at all, no framing.
const publicCSP = "default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

var publicPages = func() map[string]*template.Template {
	out := map[string]*template.Template{}
	for _, name := range []string{"home", "comune", "services", "service", "albo", "hours", "book", "booked", "follow", "verify", "post", "notfound"} {
		out[name] = template.Must(template.New("layout.html").ParseFS(publicTemplates, "public/layout.html", "public/"+name+".html"))
	}
	return out
}()

// The booking form's bounds.
const (
	maxBookingForm   = 4 << 10
	publicNameLength = 80
)

// publicPage is what every public page shows: the layout's parts and the
// page's own data.
type publicPage struct {
	T      *publicWords
	Static string
	Switch string // this page in the other language
	Comune *comuneView
	Title  string
	Menu   string // the menu item of the page
	Crumbs []crumb
	Data   any
	// NoIndex asks search engines to leave the page out (a certificate's
	// verification carries a person's data in its address).
	NoIndex bool
}

type crumb struct{ Label, Href string }

type comuneView struct {
	Code, Name string
}

// Link is path in the page's language.
func (p *publicPage) Link(path string) string {
	if p.T.Lang == "en" {
		if strings.Contains(path, "?") {
			return path + "&lang=en"
		}
		return path + "?lang=en"
	}
	return path
}

// Home is the comune's home page.
func (p *publicPage) Home() string { return p.Link("/comuni/" + p.Comune.Code + "/") }

// In is a page of the comune.
func (p *publicPage) In(page string) string { return p.Link("/comuni/" + p.Comune.Code + "/" + page) }

// publicLanguage is the words of the language the request asks for
// (?lang=en), Italian by default.
func publicLanguage(r *http.Request) *publicWords {
	if r.URL.Query().Get("lang") == "en" {
		return &publicEnglish
	}
	return &publicItalian
}

func (s *server) newPublicPage(r *http.Request, title, menu string) *publicPage {
	p := &publicPage{T: publicLanguage(r), Static: staticPrefix, Title: title, Menu: menu}
	q := r.URL.Query()
	q.Del("lang")
	if p.T.Lang == "it" {
		q.Set("lang", "en")
	}
	p.Switch = r.URL.Path
	if e := q.Encode(); e != "" {
		p.Switch += "?" + e
	}
	return p
}

// publicComune is the comune of the request's path, with the page started;
// false when the answer (a 404 or an error page) has been written.
func (s *server) publicComune(w http.ResponseWriter, r *http.Request, menu string) (*publicPage, bool) {
	p := s.newPublicPage(r, "", menu)
	code := r.PathValue("code")
	if !app.ValidBelfiore(code) {
		s.publicNotFound(w, r)
		return nil, false
	}
	c, err := s.db.Comune(r.Context(), code)
	if app.ErrorCode(err) == app.ENOTFOUND {
		s.publicNotFound(w, r)
		return nil, false
	}
	if err != nil {
		s.publicFailed(w, r, err)
		return nil, false
	}
	p.Comune = &comuneView{Code: c.Code, Name: app.PlaceTitle(c.Name)}
	p.Crumbs = []crumb{{p.T.Network, p.Link("/")}, {p.Comune.Name, p.Home()}}
	return p, true
}

func (s *server) renderPublic(w http.ResponseWriter, status int, name string, p *publicPage) {
	var b bytes.Buffer
	if err := publicPages[name].Execute(&b, p); err != nil {
		s.log.Error("render public page", "page", name, "err", err)
		http.Error(w, "errore interno", http.StatusInternalServerError)
		return
	}
	htmlHeaders(w.Header(), publicCSP)
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// htmlHeaders are the headers of the hub's HTML pages: never cached (they
// may carry a codice fiscale), the given policy, no sniffing, no referrer.
func htmlHeaders(h http.Header, csp string) {
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
}

func (s *server) publicNotFound(w http.ResponseWriter, r *http.Request) {
	p := s.newPublicPage(r, "", "")
	p.Title = p.T.NotFound
	s.renderPublic(w, http.StatusNotFound, "notfound", p)
}

func (s *server) publicFailed(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("public page", "path", r.URL.Path, "err", err)
	p := s.newPublicPage(r, "", "")
	p.Title = p.T.Unavailable
	p.Data = p.T.Unavailable
	s.renderPublic(w, http.StatusInternalServerError, "notfound", p)
}

// handleStatic serves the vendored assets, cached for a year: their path
// changes with their content.
func (s *server) handleStatic() http.Handler {
	sub, _ := fs.Sub(publicStatic, "public/static")
	files := http.StripPrefix(staticPrefix, http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, staticPrefix) || strings.HasSuffix(r.URL.Path, "/") {
			s.publicNotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		files.ServeHTTP(w, r)
	})
}

// comunePage is a page of the comune that shows what data reads, under
// the title the page's words give it.
func (s *server) comunePage(menu, name string, title func(*publicWords) string, data func(*http.Request, *publicPage) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, ok := s.publicComune(w, r, menu)
		if !ok {
			return
		}
		p.Title = title(p.T)
		v, err := data(r, p)
		if err != nil {
			s.publicFailed(w, r, err)
			return
		}
		p.Data = v
		s.renderPublic(w, http.StatusOK, name, p)
	}
}

type comuneLink struct{ Name, Href string }

// handlePublicHome lists the network's comuni.
func (s *server) handlePublicHome(w http.ResponseWriter, r *http.Request) {
	p := s.newPublicPage(r, "", "")
	p.Title = p.T.Network
	cs, err := s.db.Comuni(r.Context())
	if err != nil {
		s.publicFailed(w, r, err)
		return
	}
	var links []comuneLink
	for _, c := range cs {
		links = append(links, comuneLink{app.PlaceTitle(c.Name), p.Link("/comuni/" + c.Code + "/")})
	}
	slices.SortFunc(links, func(a, b comuneLink) int { return strings.Compare(a.Name, b.Name) })
	p.Data = links
	s.renderPublic(w, http.StatusOK, "home", p)
}

// handleComuneSlash sends /comuni/I690 to the comune's home, /comuni/I690/.
func handleComuneSlash(w http.ResponseWriter, r *http.Request) {
	u := *r.URL
	u.Path += "/"
	http.Redirect(w, r, u.RequestURI(), http.StatusMovedPermanently)
}

// comuneHome is the comune's home page: the latest notices and the ways in.
type comuneHome struct {
	Notices []noticeView
	Events  []eventView
}

func (s *server) handleComune(w http.ResponseWriter, r *http.Request) {
	p, ok := s.publicComune(w, r, "")
	if !ok {
		return
	}
	p.Title = p.Comune.Name
	p.Crumbs = p.Crumbs[:1]
	notices, err := s.db.PublishedNotices(r.Context(), p.Comune.Code, s.now())
	if err != nil {
		s.publicFailed(w, r, err)
		return
	}
	events, err := s.services(r, p)
	if err != nil {
		s.publicFailed(w, r, err)
		return
	}
	h := comuneHome{Events: events}
	for i, n := range notices {
		if i == 3 {
			break
		}
		h.Notices = append(h.Notices, newNoticeView(n))
	}
	p.Data = h
	s.renderPublic(w, http.StatusOK, "comune", p)
}

// eventView is a life event with the comune's services in it.
type eventView struct {
	ID, Title string
	Services  []serviceLink
}

type serviceLink struct{ Title, Summary, Href string }

// services are the services the comune offers, by life event in the
// catalogue's order.
func (s *server) services(r *http.Request, p *publicPage) ([]eventView, error) {
	all, err := s.offered(r, p.Comune.Code)
	if err != nil {
		return nil, err
	}
	var out []eventView
	for _, e := range request.LifeEvents {
		v := eventView{ID: string(e), Title: p.T.event(e)}
		for _, sv := range all {
			if sv.Event == e {
				v.Services = append(v.Services, serviceLink{sv.Title, sv.Summary, p.In("servizi/" + sv.ID)})
			}
		}
		if len(v.Services) > 0 {
			out = append(out, v)
		}
	}
	return out, nil
}

// offered are the catalogue's services the comune enabled (all of them
// when it has not chosen).
func (s *server) offered(r *http.Request, comune string) ([]request.Service, error) {
	cat, err := s.db.Catalogue(r.Context())
	if err != nil {
		return nil, err
	}
	enabled, err := s.db.EnabledServices(r.Context(), comune)
	if err != nil || enabled == nil {
		return cat, err
	}
	out := cat[:0]
	for _, sv := range cat {
		if slices.Contains(enabled, sv.ID) {
			out = append(out, sv)
		}
	}
	return out, nil
}

// serviceView is one service's page: what it needs, as the catalogue has
// it.
type serviceView struct {
	Title, Summary, Event, EventHref, Audience, Office string
	Days                                               int
	Fees                                               []feeView
	Documents                                          []documentView
	Kiosk                                              bool
}

type feeView struct{ Label, Amount string }

type documentView struct {
	Label, Help string
	Required    bool
}

func (s *server) handleService(w http.ResponseWriter, r *http.Request) {
	p, ok := s.publicComune(w, r, "servizi")
	if !ok {
		return
	}
	all, err := s.offered(r, p.Comune.Code)
	if err != nil {
		s.publicFailed(w, r, err)
		return
	}
	i := slices.IndexFunc(all, func(sv request.Service) bool { return sv.ID == r.PathValue("id") })
	if i < 0 {
		s.publicNotFound(w, r)
		return
	}
	sv := all[i]
	v := serviceView{Title: sv.Title, Summary: sv.Summary, Event: p.T.event(sv.Event), EventHref: p.In("servizi") + "#" + string(sv.Event),
		Audience: p.T.Citizens, Office: sv.Office, Days: sv.Days, Kiosk: sv.Kiosk}
	if sv.Audience == request.Businesses {
		v.Audience = p.T.Businesses
	}
	for _, f := range sv.Fees {
		v.Fees = append(v.Fees, feeView{f.Label, euro(f.Cents)})
	}
	for _, f := range sv.Fields {
		if f.Type == request.Attachment {
			v.Documents = append(v.Documents, documentView{f.Label, f.Help, f.Required})
		}
	}
	p.Title = sv.Title
	p.Crumbs = append(p.Crumbs, crumb{p.T.Services, p.In("servizi")})
	p.Data = v
	s.renderPublic(w, http.StatusOK, "service", p)
}

// euro writes cents as the counter does: "16,00 €".
func euro(cents int64) string {
	return fmt.Sprintf("%d,%02d €", cents/100, cents%100)
}

// notices are the albo's acts in publication today.
func (s *server) notices(r *http.Request, p *publicPage) ([]noticeView, error) {
	notices, err := s.db.PublishedNotices(r.Context(), p.Comune.Code, s.now())
	var vs []noticeView
	for _, n := range notices {
		vs = append(vs, newNoticeView(n))
	}
	return vs, err
}

// noticeView is an act of the albo pretorio as the page shows it.
type noticeView struct {
	Number, Title, Office, Category, From, To, Text string
}

func newNoticeView(n kiosk.Notice) noticeView {
	v := noticeView{Number: n.Number, Title: n.Title, Office: n.Office, Category: n.Category, From: n.From.Format("02/01/2006"), Text: n.Text}
	if !n.To.IsZero() {
		v.To = n.To.Format("02/01/2006")
	}
	return v
}

// areaHours are the times of an area: the weekdays and hours of its
// appointments, none for an area served without appointment.
type areaHours struct {
	Name  string
	Times []dayHours
}

type dayHours struct{ Day, From, To string }

// hours are the comune's areas with the times of their appointments in
// the booking window, from the slots it published: the hub holds no other
// opening hours.
func (s *server) hours(r *http.Request, p *publicPage) ([]areaHours, error) {
	areas, err := s.db.Areas(r.Context(), p.Comune.Code)
	if err != nil {
		return nil, err
	}
	slots, err := s.db.Slots(r.Context(), p.Comune.Code)
	if err != nil {
		return nil, err
	}
	now := s.now()
	until := now.AddDate(0, 0, queue.BookingDays)
	var out []areaHours
	for _, a := range areas {
		h := areaHours{Name: p.T.area(a)}
		span := map[time.Weekday][2]time.Time{}
		for _, sl := range slots {
			if sl.Area != a.Code || sl.Start.Before(now) || sl.Start.After(until) {
				continue
			}
			wd := sl.Start.In(app.Rome).Weekday()
			from, to := sl.Start.In(app.Rome), sl.Start.Add(time.Duration(sl.Minutes)*time.Minute).In(app.Rome)
			sp, ok := span[wd]
			if !ok || clock(from) < clock(sp[0]) {
				sp[0] = from
			}
			if !ok || clock(to) > clock(sp[1]) {
				sp[1] = to
			}
			span[wd] = sp
		}
		for _, wd := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday} {
			if sp, ok := span[wd]; ok {
				h.Times = append(h.Times, dayHours{p.T.Weekdays[wd], sp[0].Format("15:04"), sp[1].Format("15:04")})
			}
		}
		out = append(out, h)
	}
	return out, nil
}

func clock(t time.Time) int { return t.Hour()*60 + t.Minute() }

// bookView is the booking page: the areas with free slots, and for the
// chosen one its slots by day, the form and what went wrong.
type bookView struct {
	Areas       []bookArea
	Area        *bookArea
	Days        []bookDay
	Problem     string
	Token       string
	Appointment string
	Action      string
	// Values the person typed, shown again after a refusal.
	CodiceFiscale, Name, Slot string
}

type bookArea struct {
	Code, Name, Href string
}

type bookDay struct {
	ID, Label string
	Slots     []bookSlot
}

type bookSlot struct {
	ID, Time string
	Checked  bool
}

func (s *server) handleBookForm(w http.ResponseWriter, r *http.Request) {
	p, ok := s.publicComune(w, r, "prenota")
	if !ok {
		return
	}
	s.showBooking(w, r, p, http.StatusOK, bookingForm{Area: r.URL.Query().Get("area"), Appointment: request.NewID()}, "")
}

// showBooking writes the booking page with the form f and problem.
func (s *server) showBooking(w http.ResponseWriter, r *http.Request, p *publicPage, status int, f bookingForm, problem string) {
	p.Title = p.T.Book
	areas, err := s.db.Areas(r.Context(), p.Comune.Code)
	if err != nil {
		s.publicFailed(w, r, err)
		return
	}
	slots, err := s.db.Slots(r.Context(), p.Comune.Code)
	if err != nil {
		s.publicFailed(w, r, err)
		return
	}
	free := queue.Free(slots, s.now())
	v := bookView{Problem: problem, Appointment: f.Appointment, CodiceFiscale: f.CodiceFiscale, Name: f.Name, Slot: f.Slot}
	for _, a := range areas {
		if !slices.ContainsFunc(free, func(sl queue.Slot) bool { return sl.Area == a.Code }) {
			continue
		}
		ba := bookArea{Code: a.Code, Name: p.T.area(a), Href: p.In("prenota?area=" + url.QueryEscape(a.Code))}
		v.Areas = append(v.Areas, ba)
		if a.Code == f.Area {
			v.Area = &ba
		}
	}
	if v.Area != nil {
		for _, sl := range free {
			if sl.Area != v.Area.Code {
				continue
			}
			at := sl.Start.In(app.Rome)
			label := p.T.day(at)
			if len(v.Days) == 0 || v.Days[len(v.Days)-1].Label != heading(label) {
				v.Days = append(v.Days, bookDay{ID: at.Format("2006-01-02"), Label: heading(label)})
			}
			d := &v.Days[len(v.Days)-1]
			d.Slots = append(d.Slots, bookSlot{ID: sl.ID, Time: at.Format("15:04") + " · " + p.T.Counter + " " + sl.Counter, Checked: sl.ID == f.Slot})
		}
		tok, err := s.formToken(r.Context(), w, r, p.Comune.Code)
		if err != nil {
			s.publicFailed(w, r, err)
			return
		}
		v.Token = tok
		v.Action = p.In("prenota")
		p.Crumbs = append(p.Crumbs, crumb{p.T.Book, p.In("prenota")})
		p.Title = p.T.Book + ": " + v.Area.Name
	}
	p.Data = v
	s.renderPublic(w, status, "book", p)
}

// bookingForm is the booking form as posted.
type bookingForm struct {
	Area, Slot, CodiceFiscale, Name, Appointment, Token string
}

// bookingProblem is what is wrong with a posted form, as a key of the
// page's words, with the codice fiscale's own error when it is that.
type bookingProblem struct {
	Key string
	CF  *cf.Error
}

func (e *bookingProblem) Error() string { return "booking form: " + e.Key }

// parseBooking reads a posted booking form: every field present, of its
// shape, the codice fiscale valid at now. The codice fiscale comes back
// normalised, the name trimmed.
func parseBooking(form url.Values, now time.Time) (bookingForm, error) {
	f := bookingForm{Area: form.Get("area"), Slot: form.Get("slot"), CodiceFiscale: cf.Normalize(form.Get("codice_fiscale")),
		Name: strings.Join(strings.Fields(form.Get("name")), " "), Appointment: form.Get("appointment"), Token: form.Get("token")}
	switch {
	case len(f.Appointment) != 36 || strings.Trim(strings.ToLower(f.Appointment), "0123456789abcdef-") != "" ||
		len(f.Area) != 1 || f.Token == "" || len(f.Token) > maxFormToken:
		return f, &bookingProblem{Key: "form"}
	case f.Slot == "" || len(f.Slot) > 60:
		return f, &bookingProblem{Key: "slot"}
	case f.Name == "" || len([]rune(f.Name)) > publicNameLength || strings.IndexFunc(f.Name, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsMark(r) && !strings.ContainsRune(" '’-.", r)
	}) >= 0:
		return f, &bookingProblem{Key: "name"}
	}
	if len(form.Get("codice_fiscale")) > 40 {
		return f, &bookingProblem{Key: "cf"}
	}
	if _, err := cf.ParseAt(f.CodiceFiscale, now); err != nil {
		var ce *cf.Error
		errors.As(err, &ce)
		return f, &bookingProblem{Key: "cf", CF: ce}
	}
	return f, nil
}

// clientIP is the address a booking is counted against: the peer's.
// Behind a proxy every citizen shares the proxy's address, so the limit
// then bounds the proxy's bookings.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// handleBook books the slot of the posted form, under the same rules as
// the counter and the kiosk (sqlstore.BookAppointment), and shows the
// booking's code; a refused form is shown again with the reason and
// nothing stored. The same form posted twice is one booking.
func (s *server) handleBook(w http.ResponseWriter, r *http.Request) {
	p, ok := s.publicComune(w, r, "prenota")
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBookingForm)
	if err := r.ParseForm(); err != nil {
		s.showBooking(w, r, p, http.StatusBadRequest, bookingForm{}, p.T.ErrForm)
		return
	}
	now := s.now()
	f, err := parseBooking(r.PostForm, now)
	if ok, kerr := s.formPosted(r.Context(), r, p.Comune.Code, f.Token); kerr != nil {
		s.publicFailed(w, r, kerr)
		return
	} else if !ok {
		s.showBooking(w, r, p, http.StatusForbidden, bookingForm{Area: f.Area, Appointment: request.NewID()}, p.T.ErrExpired)
		return
	}
	if err := s.forms.take(clientIP(r), now); err != nil {
		s.showBooking(w, r, p, http.StatusTooManyRequests, bookingForm{}, p.T.ErrTooMany)
		return
	}
	if err != nil {
		var bp *bookingProblem
		errors.As(err, &bp)
		problem := p.T.problem(bp)
		if bp.Key == "form" {
			f = bookingForm{Area: f.Area, Appointment: request.NewID()}
		}
		s.showBooking(w, r, p, http.StatusBadRequest, f, problem)
		return
	}
	if a, err := s.db.Appointment(r.Context(), p.Comune.Code, f.Appointment); err == nil {
		s.repeatedBooking(w, r, p, f, a)
		return
	}
	slots, err := s.db.Slots(r.Context(), p.Comune.Code)
	if err != nil {
		s.publicFailed(w, r, err)
		return
	}
	// The reason a slot cannot be booked, in the page's language; the
	// booking itself checks again in its transaction.
	i := slices.IndexFunc(slots, func(sl queue.Slot) bool { return sl.ID == f.Slot && sl.Area == f.Area })
	switch {
	case i < 0:
		s.showBooking(w, r, p, http.StatusBadRequest, f, p.T.ErrSlot)
		return
	case !slots[i].Start.After(now):
		s.showBooking(w, r, p, http.StatusBadRequest, f, p.T.ErrPast)
		return
	case slots[i].Appointment != "":
		s.showBooking(w, r, p, http.StatusConflict, f, p.T.ErrTaken)
		return
	case !slots[i].Start.Before(now.AddDate(0, 0, queue.BookingDays)):
		s.showBooking(w, r, p, http.StatusBadRequest, f, p.T.ErrSlot)
		return
	}
	a, err := s.db.BookAppointment(r.Context(), p.Comune.Code, queue.AppointmentChange{Appointment: f.Appointment, Action: queue.Book,
		Slot: f.Slot, CodiceFiscale: f.CodiceFiscale, Name: f.Name, By: PublicBooker, At: now})
	switch app.ErrorCode(err) {
	case "":
	case app.ECONFLICT:
		if a, err := s.db.Appointment(r.Context(), p.Comune.Code, f.Appointment); err == nil {
			s.repeatedBooking(w, r, p, f, a)
			return
		}
		s.showBooking(w, r, p, http.StatusConflict, f, p.T.ErrTaken)
		return
	case app.EINVALID:
		s.showBooking(w, r, p, http.StatusBadRequest, f, p.T.ErrSlot)
		return
	default:
		s.publicFailed(w, r, err)
		return
	}
	s.log.Info("appointment booked on the public pages", "comune", p.Comune.Code, "slot", a.Slot)
	s.showBooked(w, r, p, a)
}

// PublicBooker is who books on the comune's public pages, as the hub
// records it in the appointment (BookedBy).
const PublicBooker = "web"

// repeatedBooking answers a form posted again: the same booking when it is
// the same person's for the same slot, a refusal otherwise.
func (s *server) repeatedBooking(w http.ResponseWriter, r *http.Request, p *publicPage, f bookingForm, a queue.Appointment) {
	if a.CodiceFiscale != f.CodiceFiscale || a.Slot != f.Slot {
		s.showBooking(w, r, p, http.StatusConflict, bookingForm{Area: f.Area, Appointment: request.NewID()}, p.T.ErrTaken)
		return
	}
	s.showBooked(w, r, p, a)
}

// bookedView is the confirmation of a booking.
type bookedView struct {
	Code, When, Area, Counter, Name string
}

// BookingCode is the code a booking on the public pages is shown with:
// the first eight characters of the appointment's id, as the counter
// sees it.
func BookingCode(appointment string) string {
	if len(appointment) < 8 {
		return strings.ToUpper(appointment)
	}
	return strings.ToUpper(appointment[:8])
}

func (s *server) showBooked(w http.ResponseWriter, r *http.Request, p *publicPage, a queue.Appointment) {
	p.Title = p.T.Booked
	area := a.Area
	if areas, err := s.db.Areas(r.Context(), p.Comune.Code); err == nil {
		for _, ar := range areas {
			if ar.Code == a.Area {
				area = p.T.area(ar)
			}
		}
	}
	at := a.Start.In(app.Rome)
	p.Crumbs = append(p.Crumbs, crumb{p.T.Book, p.In("prenota")})
	p.Data = bookedView{Code: BookingCode(a.ID), When: p.T.day(at) + ", " + at.Format("15:04"), Area: area, Counter: a.Counter, Name: a.Name}
	s.renderPublic(w, http.StatusOK, "booked", p)
}

// anyOf is a page's data function as comunePage takes it.
func anyOf[T any](f func(*http.Request, *publicPage) (T, error)) func(*http.Request, *publicPage) (any, error) {
	return func(r *http.Request, p *publicPage) (any, error) { return f(r, p) }
}
