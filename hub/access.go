package hub

import (
	"net"
	"net/http"
	"sync"
	"time"
	"unicode"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/hub/storage"
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

// fullCF returns the text as a codice fiscale when it is a whole, valid
// one.
func fullCF(text string) (string, bool) { return app.FullCodiceFiscale(text) }

// reader is who reads the anagrafe from a device, as the request's
// proof shows (wire.HeaderOperatorProof): proven when the request carries a
// valid proof of an operator of the device's comune.
type reader struct {
	operator, purpose string
	proven            bool
}

// reader checks the proof headers of a read: none is a read without proof
// (the device's own comune only); a proof present must be whole, of now
// (app.ReadProofWindow of the hub's clock), signed for this device, this
// method, path and query and this purpose, by the current key of an active
// operator of the device's comune who may read (sqlstore.ProvenReader).
func (s *server) reader(r *http.Request, dev *storage.Device) (reader, error) {
	p, present, err := wire.ParseReadProof(r.Header.Get(wire.HeaderOperator), r.Header.Get(wire.HeaderPurpose), r.Header.Get(wire.HeaderOperatorProof))
	if err != nil || !present {
		return reader{}, err
	}
	now := s.now()
	if p.At.Before(now.Add(-app.ReadProofWindow)) || p.At.After(now.Add(app.ReadProofWindow)) {
		return reader{}, app.Errorf(app.EFORBIDDEN, "prova dell'operatore fuori tempo: controllare l'ora della postazione")
	}
	msg := app.ReadProofMessage(dev.Comune, dev.ID, p.Operator, p.Purpose, r.Method, r.URL.Path, r.URL.Query().Encode(), p.At)
	if err := s.db.ProvenReader(r.Context(), dev, p.Operator, msg, p.Signature); err != nil {
		return reader{}, err
	}
	return reader{operator: p.Operator, purpose: p.Purpose, proven: true}, nil
}

// Each operator reads at most OperatorReads citizens of other comuni a
// minute and OperatorDailyReads a day, whichever devices of the comune
// they use: enough for a counter's busiest day, not for walking an
// anagrafe with a stolen password.
const (
	OperatorReads      = 30
	OperatorDailyReads = 300
)

// errUnproven refuses a read of another comune's citizen without the
// operator's proof; it answers the same for a code nobody has, so that a
// device token alone learns nothing of the network's anagrafe.
var errUnproven = app.Errorf(app.EFORBIDDEN, "per consultare un cittadino di un altro comune serve l'operatore "+
	"che ha fatto l'accesso con la password e la finalità della consultazione")

// crossAllowed spends the operator's budget for a read of another
// comune's citizen (a minute's and a day's, shared by every device of the
// comune the operator uses); the device's is its caller's (s.reads).
func (s *server) crossAllowed(dev *storage.Device, rd reader) error {
	if !rd.proven {
		return errUnproven
	}
	now := s.now()
	key := dev.Comune + "/" + rd.operator
	if err := s.operatorReads.take(key, now); err != nil {
		return err
	}
	return s.operatorDaily.take(key, now)
}

// readBy is the hub's record of a read of subject from dev by rd; what is
// the purpose recorded when the device gave none.
func (s *server) readBy(dev *storage.Device, rd reader, subject *app.CitizenSummary, what string) storage.CitizenRead {
	purpose := what
	if rd.proven {
		purpose = rd.purpose
	}
	return storage.CitizenRead{
		At: s.now().UTC(), Device: dev.ID, DeviceComune: dev.Comune, Operator: rd.operator,
		Subject: subject.CodiceFiscale, SubjectComune: subject.Comune, Purpose: clip(purpose, app.MaxPurposeLength),
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
// with the supervisor's proof (sqlstore.ProvenAccesses).
func (s *server) handleAccesses(a storage.Access) deviceHandler {
	return func(w http.ResponseWriter, r *http.Request, dev *storage.Device) {
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
		list, err := a.ProvenAccesses(r.Context(), dev, code, req.Operator, at, sig)
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
}
