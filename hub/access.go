package hub

import (
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/cf"
	"github.com/sportello/sportello/hub/hubdb"
	"github.com/sportello/sportello/sync/wire"
)

// minQuery is the shortest search the hub answers, counted in letters and
// digits: a one- or two-character prefix is a walk through the anagrafe,
// not a search. The counter's own minimum is the same; the hub's is the
// one that holds.
const minQuery = 3

// bucket is a token bucket: tokens refill at one per every, up to burst.
type bucket struct {
	tokens float64
	last   time.Time
}

// rateLimiter limits the anagrafe reads of each device, in memory: a hub
// restart refills every bucket, which only lets a device read a burst more.
type rateLimiter struct {
	mu      sync.Mutex
	burst   float64
	every   time.Duration
	buckets map[string]*bucket
	too     string // what the refusal says, before "riprovare tra"
}

func newRateLimiter(burst int, every time.Duration, too string) *rateLimiter {
	return &rateLimiter{burst: float64(burst), every: every, buckets: map[string]*bucket{}, too: too}
}

// take spends a token of key at now; ETOOMANY when there is none.
func (l *rateLimiter) take(key string, now time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		l.forget(now)
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	if d := now.Sub(b.last); d > 0 {
		b.tokens = min(l.burst, b.tokens+float64(d)/float64(l.every))
		b.last = now
	}
	if b.tokens < 1 {
		wait := time.Duration((1 - b.tokens) * float64(l.every)).Round(time.Second)
		return app.Errorf(app.ETOOMANY, "%s: riprovare tra %s", l.too, max(wait, time.Second))
	}
	b.tokens--
	return nil
}

// maxBuckets bounds the keys a limiter remembers: the public pages' keys
// are client addresses, which anyone can vary.
const maxBuckets = 10000

// forget drops, when the limiter holds maxBuckets keys, those whose
// bucket has refilled by now: forgetting them changes nothing.
func (l *rateLimiter) forget(now time.Time) {
	if len(l.buckets) < maxBuckets {
		return
	}
	full := time.Duration(l.burst * float64(l.every))
	for k, b := range l.buckets {
		if now.Sub(b.last) >= full-time.Duration(b.tokens*float64(l.every)) {
			delete(l.buckets, k)
		}
	}
}

// inFlight caps the requests in progress on the public routes, for each
// address and in all: a client that opens many slow requests (a body
// trickled to /v1/enroll, a page read slowly) holds only its share.
type inFlight struct {
	mu           sync.Mutex
	perIP, total int
	byIP         map[string]int
	all          int
}

func (f *inFlight) acquire(ip string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.all >= f.total || f.byIP[ip] >= f.perIP {
		return false
	}
	f.all++
	f.byIP[ip]++
	return true
}

func (f *inFlight) release(ip string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.all--
	if f.byIP[ip]--; f.byIP[ip] <= 0 {
		delete(f.byIP, ip)
	}
}

// unauthenticated guards a route that anyone may call without a device
// token (enrolment, verification, the citizen's follow page): a token
// bucket per address and a cap on requests in progress. The address is the
// connection's: behind a reverse proxy every caller shares the proxy's.
func (s *server) unauthenticated(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ip, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			ip = r.RemoteAddr
		}
		if err := s.public.take(ip, s.now()); err != nil {
			s.writeError(w, r, err)
			return
		}
		if !s.inFlight.acquire(ip) {
			s.writeError(w, r, app.Errorf(app.ETOOMANY, "troppe richieste in corso da questo indirizzo: riprovare tra poco"))
			return
		}
		defer s.inFlight.release(ip)
		next(w, r)
	}
}

// queryLength counts the letters and digits of a search.
func queryLength(text string) int {
	n := 0
	for _, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	return n
}

// dateLayouts are the ways a counter writes a birth date in the search box.
var dateLayouts = []string{"02/01/2006", "2/1/2006", "02-01-2006", "2-1-2006", "02.01.2006", "2006-01-02"}

// nameKey is the exact key of another comune's citizen by name: surname,
// given name and birth date, all three, with no prefix.
type nameKey struct {
	words []string // NameKey-folded words of the names, in the order typed
	born  time.Time
}

// parseNameKey reads "surname name date" (or "name surname date", the date
// anywhere): ok only with a date and at least two words of names.
func parseNameKey(text string) (nameKey, bool) {
	var k nameKey
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return unicode.IsSpace(r) || r == ',' }) {
		if d, ok := parseDate(w); ok {
			if !k.born.IsZero() {
				return nameKey{}, false
			}
			k.born = d
			continue
		}
		if n := app.NameKey(w); n != "" {
			k.words = append(k.words, n)
		}
	}
	return k, !k.born.IsZero() && len(k.words) >= 2
}

func parseDate(s string) (time.Time, bool) {
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// splits are the readings of the words as surname and given name, both
// orders, every cut: "de luca mario" is (DELUCA, MARIO) or (LUCAMARIO, DE)…
func (k nameKey) splits() [][2]string {
	var out [][2]string
	for i := 1; i < len(k.words); i++ {
		a, b := strings.Join(k.words[:i], ""), strings.Join(k.words[i:], "")
		out = append(out, [2]string{a, b}, [2]string{b, a})
	}
	return out
}

// fullCF returns the text as a codice fiscale when it is a whole, valid
// one.
func fullCF(text string) (string, bool) {
	c := strings.ToUpper(strings.TrimSpace(text))
	return c, len(c) == 16 && cf.Valid(c)
}

// readBy is who reads a citizen at the hub, for its record.
func (s *server) readBy(r *http.Request, dev *hubdb.Device, subject *app.CitizenSummary, purpose string) hubdb.CitizenRead {
	if p := strings.TrimSpace(r.Header.Get(wire.HeaderPurpose)); p != "" {
		purpose = p
	}
	return hubdb.CitizenRead{
		At: s.now().UTC(), Device: dev.ID, DeviceComune: dev.Comune,
		Operator: clip(strings.TrimSpace(r.Header.Get(wire.HeaderOperator)), 100),
		Subject:  subject.CodiceFiscale, SubjectComune: subject.Comune, Purpose: clip(purpose, 200),
	}
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// handleAccesses answers a supervisor's request for who accessed a citizen
// of the device's comune, when and why (art. 15 GDPR): a counter only,
// with the supervisor's proof (hubdb.ProvenAccesses).
func (s *server) handleAccesses(w http.ResponseWriter, r *http.Request, dev *hubdb.Device) {
	var req wire.AccessRequest
	if err := s.decode(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	code, ok := fullCF(req.CodiceFiscale)
	at, err := wire.ParseTime(req.At)
	sig, serr := wire.UnB64(req.Signature)
	if !ok || err != nil || at.IsZero() || serr != nil || req.Operator == "" {
		s.writeError(w, r, app.Errorf(app.EINVALID, "richiesta degli accessi incompleta: codice fiscale, operatore, ora e firma"))
		return
	}
	list, err := s.db.ProvenAccesses(r.Context(), dev, code, req.Operator, at, sig)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	res := wire.AccessesResponse{Accesses: make([]wire.Access, 0, len(list))}
	for _, a := range list {
		res.Accesses = append(res.Accesses, wire.AccessToWire(a))
	}
	writeJSON(w, http.StatusOK, res)
}
