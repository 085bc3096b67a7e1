// Package hub is the network's central service hub over HTTP: enrolment of
// workstations, the per-comune change log and snapshots they sync from, the
// operations they push, and the network-wide lookups that let any counter
// serve any citizen of the network. Storage is behind the interfaces of
// package storage.
package hub

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/request"
	"github.com/sportello/sportello/hub/storage"
	"github.com/sportello/sportello/sync/wire"
)

// Deps is what the hub's handler needs.
type Deps struct {
	DB     storage.Store
	Log    *slog.Logger
	Now    func() time.Time
	Limits Limits
	// Pins is the announcement of the TLS keys the workstations accept,
	// signed by the root key (pins.go); nil, or nil from it: none.
	Pins func() (*wire.PinsResponse, error)
	// Metrics collects the hub's metrics (metrics.go), served apart by
	// MetricsHandler; nil keeps them unexposed.
	Metrics *Metrics
	// Prepared serves the comuni's prepared anagrafe files (anagrafe.go);
	// nil: every download goes by pages.
	Prepared *Prepared
}

// Limits bound what one request may ask or send.
type Limits struct {
	MaxBody      int64 // bytes of a request body
	ChangesPage  int   // changes per page, at most
	SnapshotPage int   // citizens per snapshot page, at most
	PushOps      int   // operations per push
	// Reads is how many anagrafe reads (searches, another comune's
	// citizen or family) a device may make at once; one more every
	// ReadEvery.
	Reads     int
	ReadEvery time.Duration
	// Public is how many requests one address may make at once to the
	// routes open without a token (enrolment, verification, the follow
	// page); one more every PublicEvery. PublicInFlight caps the requests
	// in progress there per address, PublicInFlightAll in all.
	Public            int
	PublicEvery       time.Duration
	PublicInFlight    int
	PublicInFlightAll int
}

// DefaultLimits are the limits of a hub started without others: a counter
// searches a burst of 60 and then one every 2 seconds, more than an
// operator types, far less than a walk through an anagrafe needs.
// An address verifies a burst of 30 certificates, then one a second;
// it holds 8 public requests in progress, the hub 256.
var DefaultLimits = Limits{MaxBody: 8 << 20, ChangesPage: 1000, SnapshotPage: 5000, PushOps: 500, Reads: 60, ReadEvery: 2 * time.Second,
	Public: 30, PublicEvery: time.Second, PublicInFlight: 8, PublicInFlightAll: 256}

type server struct {
	db     storage.Store
	log    *slog.Logger
	now    func() time.Time
	limits Limits
	reads  *rateLimiter
	// public and inFlight guard the routes open without a token.
	public   *rateLimiter
	inFlight *inFlight
	// forms bounds what one address posts through the public forms (a
	// booking, a certificate by post: each costs the hub a transaction
	// and the comune a slot or a letter); crossOrigin refuses their posts
	// from other sites' pages (forms.go).
	forms       *rateLimiter
	crossOrigin *http.CrossOriginProtection

	// operatorReads and operatorDaily bound each operator's reads of
	// other comuni's citizens, whichever device they use (access.go).
	operatorReads, operatorDaily *rateLimiter
	pins                         func() (*wire.PinsResponse, error)
	metrics                      *Metrics // metrics.go
	prepared                     *Prepared
}

// One address may post a burst of publicForms forms (bookings and
// certificates by post together), then one every publicFormEvery: a
// household books a few slots and asks for a few certificates; a script
// filling the comune's agenda or its back office is stopped.
const (
	publicForms     = 10
	publicFormEvery = time.Minute
)

// NewServer returns the hub's HTTP handler; every route is in routes.go.
func NewServer(d Deps) http.Handler {
	s := &server{db: d.DB, log: d.Log, now: d.Now, limits: d.Limits, pins: d.Pins, metrics: d.Metrics, prepared: d.Prepared}
	if s.metrics == nil {
		s.metrics = NewMetrics()
	}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.limits == (Limits{}) {
		s.limits = DefaultLimits
	}
	if s.limits.Reads <= 0 || s.limits.ReadEvery <= 0 {
		s.limits.Reads, s.limits.ReadEvery = DefaultLimits.Reads, DefaultLimits.ReadEvery
	}
	if s.limits.Public <= 0 || s.limits.PublicEvery <= 0 {
		s.limits.Public, s.limits.PublicEvery = DefaultLimits.Public, DefaultLimits.PublicEvery
	}
	if s.limits.PublicInFlight <= 0 || s.limits.PublicInFlightAll <= 0 {
		s.limits.PublicInFlight, s.limits.PublicInFlightAll = DefaultLimits.PublicInFlight, DefaultLimits.PublicInFlightAll
	}
	s.reads = newRateLimiter(s.limits.Reads, s.limits.ReadEvery, "troppe ricerche da questa postazione")
	s.operatorReads = newRateLimiter(OperatorReads, time.Minute/OperatorReads, "troppe consultazioni di cittadini di altri comuni da questo operatore")
	s.operatorDaily = newRateLimiter(OperatorDailyReads, 24*time.Hour/OperatorDailyReads, "consultazioni di cittadini di altri comuni di questo operatore esaurite per oggi")
	s.public = newRateLimiter(s.limits.Public, s.limits.PublicEvery, "troppe richieste da questo indirizzo")
	s.inFlight = &inFlight{perIP: s.limits.PublicInFlight, total: s.limits.PublicInFlightAll, byIP: map[string]int{}}
	s.forms = newRateLimiter(publicForms, publicFormEvery, "troppi moduli da questo indirizzo")
	s.crossOrigin = http.NewCrossOriginProtection()
	mux := http.NewServeMux()
	s.routes(mux)
	return s.common(s.notFound(mux))
}

// common adds what every answer carries: the hub's clock, for the
// workstations' skew warning, the protocol check, the security headers
// (a page that needs more than nothing sets its own policy), and a bound
// on every request body, whatever the handler reads.
func (s *server) common(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		limit := s.limits.MaxBody
		if strings.HasPrefix(r.URL.Path, attachmentsPrefix) {
			limit = max(limit, request.MaxAttachmentSize) // the handler holds it to its own bound
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		w.Header().Set(wire.HeaderHubTime, s.now().UTC().Format(time.RFC3339Nano))
		w.Header().Set(wire.HeaderProtocol, strconv.Itoa(wire.ProtocolVersion))
		n := wire.ProtocolVersion // a script that names no version speaks the current one
		if v := r.Header.Get(wire.HeaderProtocol); v != "" {
			var err error
			n, err = strconv.Atoi(v)
			if err != nil || n < wire.MinProtocolVersion || n > wire.ProtocolVersion {
				s.writeError(w, r, app.Errorf(app.EINVALID, "versione del protocollo %q non supportata dall'hub (accetta %d-%d): aggiornare la postazione", v, wire.MinProtocolVersion, wire.ProtocolVersion))
				return
			}
		}
		if n < wire.ProtocolVersion {
			s.serveV2(next, w, r) // compat.go
			return
		}
		next.ServeHTTP(w, r)
	})
}

// device authenticates a workstation's call by its bearer token and
// checks that its role may call the route.
func (s *server) device(roles []storage.DeviceRole, next func(http.ResponseWriter, *http.Request, *storage.Device)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || tok == "" {
			s.writeError(w, r, app.Errorf(app.EUNAUTHORIZED, "postazione non autenticata"))
			return
		}
		dev, err := s.db.DeviceByToken(r.Context(), tok)
		if err == nil {
			err = allowed(roles, dev)
		}
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		next(w, r, dev)
	}
}

// decode reads a JSON body, bounded in size, refusing unknown fields and
// anything after the one JSON value.
func (s *server) decode(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, s.limits.MaxBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, err = dec.Token(); err == nil {
			err = errors.New("dati oltre la fine del JSON")
		} else if err == io.EOF {
			err = nil
		}
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return app.Errorf(app.EINVALID, "richiesta troppo grande (massimo %d byte)", s.limits.MaxBody)
		}
		return app.Errorf(app.EINVALID, "richiesta non leggibile: %v", err)
	}
	return nil
}

// errInternal stands for a failure of the hub's own, of which a device
// learns only that it happened.
var errInternal = errors.New("internal")

func (s *server) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "protocol": wire.ProtocolVersion})
}

func (s *server) handleEnroll(w http.ResponseWriter, r *http.Request) {
	var req wire.EnrollRequest
	if err := s.decode(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	pub, err := wire.UnB64(req.PublicKey)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	e, err := s.db.Enroll(r.Context(), req.Code, req.Name, pub)
	if errors.Is(err, storage.ErrCodeUsed) && holdsKey(r, req.Code, pub) {
		// The same workstation again, its first answer lost on the way:
		// the same enrolment, not a burnt code.
		e, err = s.db.Reenroll(r.Context(), req.Code, pub)
		if err == nil {
			s.log.Info("device enrolment repeated", "device", e.Device.Device, "comune", e.Device.Comune)
		}
	} else if err == nil {
		s.log.Info("device enrolled", "device", e.Device.Device, "comune", e.Device.Comune, "name", req.Name)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, wire.EnrollResponse{
		Device: e.Device.Device, Comune: e.Device.Comune, ComuneName: e.ComuneName, Token: e.Token,
		Cert: wire.KeyCertToWire(e.Device.Cert), ComuneCert: wire.KeyCertToWire(e.ComuneCert), RootKey: wire.B64(e.RootKey),
	})
}

// holdsKey tells whether an enrolment request proves, by its signature of
// the code, that it holds the private key of pub: a used code and the
// public key alone (which the hub publishes) must not get a workstation's
// token.
func holdsKey(r *http.Request, code string, pub []byte) bool {
	sig, err := wire.UnB64(r.Header.Get(wire.HeaderEnrollProof))
	return err == nil && len(pub) == ed25519.PublicKeySize && ed25519.Verify(pub, wire.EnrollProof(code), sig)
}

// scopeFor checks that a device reads only its comune's scope or the
// network's.
func scopeFor(r *http.Request, dev *storage.Device) (string, error) {
	scope := r.URL.Query().Get("scope")
	if scope != dev.Comune && scope != app.ScopeNetwork {
		return "", app.Errorf(app.EFORBIDDEN, "la postazione del comune %s non può leggere l'ambito %q", dev.Comune, scope)
	}
	return scope, nil
}

func intParam(r *http.Request, name string, def, max int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, app.Errorf(app.EINVALID, "parametro %s non valido %q", name, v)
	}
	return min(n, max), nil
}

func (s *server) handleChanges(w http.ResponseWriter, r *http.Request, dev *storage.Device) {
	scope, err := scopeFor(r, dev)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	after, err := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	if err != nil || after < 0 {
		s.writeError(w, r, app.Errorf(app.EINVALID, "posizione non valida %q", r.URL.Query().Get("after")))
		return
	}
	limit, err := intParam(r, "limit", s.limits.ChangesPage, s.limits.ChangesPage)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.reconciled(r, dev) // recovery.go
	s.setMark(w, r, dev) // on a refusal too: a cursor past the log's end may mean a restore
	page, err := s.db.ChangesFor(r.Context(), storage.ViewOf(dev.Role), scope, after, limit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := changesToWire(page)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	changesFor(dev.Role, res) // view.go
	s.metrics.lag.WithLabelValues(dev.ID, scope).Set(float64(max(res.Last-after, 0)))
	writeGzipJSON(w, r, res)
}

// setMark puts the hub's high-water mark for dev in the answer's headers,
// so that the workstation notices a hub restored from an older copy. A
// mark that cannot be read is left out: the answer is still right.
func (s *server) setMark(w http.ResponseWriter, r *http.Request, dev *storage.Device) {
	m, err := s.db.DeviceMark(r.Context(), dev.ID)
	if err != nil {
		s.log.Warn("device mark", "device", dev.ID, "err", err)
		return
	}
	h := w.Header()
	h.Set(wire.HeaderHubEpoch, m.Epoch)
	h.Set(wire.HeaderHubMark, strconv.FormatInt(m.Seq, 10))
	h.Set(wire.HeaderHubApplied, strconv.FormatInt(m.Applied, 10))
	h.Set(wire.HeaderHubBackedUp, strconv.FormatInt(m.BackedUp, 10))
}

// checkMark refuses (ERESNAPSHOT) a push from a workstation to which
// this hub, or the copy it was restored from, confirmed more than it
// holds: the workstation must send what the hub lacks first, or a day's
// closing could land before a payment the restore lost. The workstation
// names the hub's epoch it knows and what it had confirmed; a workstation
// of an earlier version names nothing and is not checked.
func (s *server) checkMark(r *http.Request, dev *storage.Device) error {
	known := r.Header.Get(wire.HeaderHubEpoch)
	if known == "" {
		return nil
	}
	m, err := s.db.DeviceMark(r.Context(), dev.ID)
	if err != nil {
		return err
	}
	seq, err1 := strconv.ParseInt(r.Header.Get(wire.HeaderHubMark), 10, 64)
	applied, err2 := strconv.ParseInt(r.Header.Get(wire.HeaderHubApplied), 10, 64)
	if err1 != nil || err2 != nil {
		return app.Errorf(app.EINVALID, "intestazioni %s e %s non valide", wire.HeaderHubMark, wire.HeaderHubApplied)
	}
	if known != m.Epoch || seq > m.Seq || applied > m.Applied {
		s.log.Warn("push of a device ahead of the hub: the hub was restored", "device", dev.ID,
			"confirmed_seq", seq, "hub_seq", m.Seq, "confirmed_applied", applied, "hub_applied", m.Applied)
		return app.Errorf(app.ERESNAPSHOT, "l'hub è stato ripristinato da un backup: la postazione gli rinvia prima quanto non ha")
	}
	return nil
}

func (s *server) handleSnapshot(w http.ResponseWriter, r *http.Request, dev *storage.Device) {
	scope, err := scopeFor(r, dev)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	limit, err := intParam(r, "limit", s.limits.SnapshotPage, s.limits.SnapshotPage)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	page, err := s.db.SnapshotFor(r.Context(), storage.ViewOf(dev.Role), scope, r.URL.Query().Get("after"), limit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	res := snapshotToWire(page)
	if !changesCitizens(dev.Role) { // view.go
		// The citizens go as stored: a counter receives them whole.
		snapshotFor(dev.Role, res)
		writeGzipJSONLevel(w, r, rawSnapshot{res, page.Citizens}, gzip.BestSpeed)
		return
	}
	if res.Citizens, err = snapshotCitizens(page); err != nil {
		s.writeError(w, r, err)
		return
	}
	snapshotFor(dev.Role, res) // view.go
	writeGzipJSONLevel(w, r, res, gzip.BestSpeed)
}

// writeJSON writes the page with the stored citizens copied as they are:
// encoding/json would compact and check every one of them again (10.7 s of
// the hub's 39 s on a Milano download). The hub wrote them itself with
// json.Marshal; one that did not read would be refused whole by the
// workstation's strict decoder, page and all, never stored in part.
func (p rawSnapshot) writeJSON(w io.Writer) error {
	res := *p.SnapshotResponse
	res.Citizens = []wire.Citizen{}
	head, err := json.Marshal(&res)
	if err != nil {
		return err
	}
	const empty = `"citizens":[]`
	i := bytes.Index(head, []byte(empty))
	if i < 0 {
		return errors.New("snapshot page: no citizens key")
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(head[:i])
	bw.WriteString(`"citizens":[`)
	for j, c := range p.Citizens {
		if j > 0 {
			bw.WriteByte(',')
		}
		bw.Write(c)
	}
	bw.WriteByte(']')
	bw.Write(head[i+len(empty):])
	bw.WriteByte('\n')
	return bw.Flush()
}

// jsonWriter is an answer that writes its own JSON.
type jsonWriter interface{ writeJSON(io.Writer) error }

func (s *server) handlePush(w http.ResponseWriter, r *http.Request, dev *storage.Device) {
	var req wire.PushRequest
	if err := s.decode(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if len(req.Ops) > s.limits.PushOps {
		s.writeError(w, r, app.Errorf(app.EINVALID, "troppe operazioni in una richiesta: al massimo %d", s.limits.PushOps))
		return
	}
	// A key of protocol 2 in a request of protocol 3 is refused, whole,
	// with its new name: never dropped as an unknown field of one fact.
	// (A request of protocol 2 has been rewritten already: compat.go.)
	for _, op := range req.Ops {
		if err := wire.CheckV3(wire.V2Data(op.Kind), op.Data); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	depth, reported, err := outboxDepth(r) // metrics.go
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if reported {
		s.metrics.outbox.WithLabelValues(dev.ID).Set(float64(depth))
	}
	if err := s.checkMark(r, dev); err != nil {
		s.setMark(w, r, dev)
		s.writeError(w, r, err)
		return
	}
	// A device's operations are applied in its order, and the first one
	// that fails stops the batch: a day's closing must never land before a
	// payment of that day that the hub could not record. The ones behind it
	// are answered "skipped", so the workstation sends them again after it.
	//
	// The batch is applied in one transaction (sqlstore.DB.ApplyOps): a push
	// of hundreds costs one commit, not hundreds.
	// An operation the hub cannot read, or the device may not push, ends
	// the batch where it stands.
	ops := make([]app.Operation, 0, len(req.Ops))
	var refused *app.OpResult
	for _, wop := range req.Ops {
		op, err := wire.OpFromWire(wop)
		if err == nil {
			err = mayPush(dev, op.Kind)
		}
		if err != nil {
			refused = &app.OpResult{ID: wop.ID, Code: app.ErrorCode(err), Message: app.ErrorMessage(err)}
			break
		}
		ops = append(ops, op)
	}
	var outs []app.OpResult
	if len(ops) > 0 {
		outs = s.db.ApplyOps(r.Context(), dev, ops)
	}
	if refused != nil && len(outs) == len(ops) && (len(outs) == 0 || outs[len(outs)-1].Code == "") {
		outs = append(outs, *refused)
	}
	res := wire.PushResponse{Results: make([]wire.OpResult, 0, len(req.Ops))}
	failed := ""
	for i, wop := range req.Ops {
		if failed != "" || i >= len(outs) {
			res.Results = append(res.Results, wire.OpResult{ID: wop.ID, Skipped: true, Code: app.EINTERNAL,
				Message: "non applicata: l'operazione precedente della postazione non è stata registrata"})
			continue
		}
		out := outs[i]
		if out.Code != app.EOFFLINE {
			s.metrics.op(wop.Kind, out)
		}
		if out.Code == app.EPENDING && r.Header.Get(wire.HeaderConfirmed) == "" {
			// Numbering held after a restore (recovery.go), for a
			// workstation of an earlier version, which would park an
			// operation refused with a code it does not know: to it the
			// hub is busy, which it retries without counting.
			out.Code = app.EOFFLINE
		}
		if out.Code == app.EOFFLINE {
			// The hub is busy: the whole request fails as a hub that is
			// not serving, which the workstation retries without holding
			// it against any operation; those applied before are answered
			// again from their stored result.
			s.writeError(w, r, app.Errorf(app.EOFFLINE, "%s", out.Message))
			return
		}
		if out.Code != "" {
			failed = wop.ID
			s.log.Warn("operation refused", "device", dev.ID, "op", wop.ID, "seq", wop.Seq, "code", out.Code, "message", out.Message)
		}
		if out.Code == app.EINTERNAL {
			out.Message = app.ErrorMessage(errInternal) // the detail is in the hub's log, not for devices
		}
		res.Results = append(res.Results, wire.OpResult{ID: out.ID, Applied: out.Applied, Duplicate: out.Duplicate, Code: out.Code, Message: out.Message, Flag: out.Flag, Data: out.Data})
	}
	s.reconciled(r, dev) // recovery.go
	s.setMark(w, r, dev)
	writeJSON(w, http.StatusOK, res)
}

// handleSearch searches the anagrafe for a counter: its own comune by any
// prefix, another comune's citizens only by an exact key (the whole codice
// fiscale, or surname, given name and birth date), each such hit recorded.
func (s *server) handleSearch(w http.ResponseWriter, r *http.Request, dev *storage.Device) {
	if err := s.reads.take(dev.ID, s.now()); err != nil {
		s.writeError(w, r, err)
		return
	}
	rd, err := s.reader(r, dev)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	q, err := app.ParseQuery(r.URL.Query().Get("q"))
	if err == nil && queryLength(q.Text) < minQuery {
		err = app.Errorf(app.EINVALID, "ricerca troppo corta: almeno %d lettere o cifre", minQuery)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	limit, err := intParam(r, "limit", app.SearchLimit, app.SearchLimit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	found, err := s.db.SearchCitizens(r.Context(), dev.Comune, q, limit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if rd.proven {
		for i := range found {
			if err := s.db.RecordRead(r.Context(), s.readBy(dev, rd, &found[i], "ricerca")); err != nil {
				s.writeError(w, r, err)
				return
			}
		}
	}
	var others []app.CitizenSummary
	if room := limit - len(found); room > 0 && rd.proven {
		// Only what is answered is recorded as read; without the
		// operator's proof nothing of other comuni is answered.
		if others, err = s.otherComuni(r, dev, rd, room); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	res := wire.SearchResponse{Citizens: []wire.CitizenSummary{}}
	for _, c := range append(found, others...) {
		res.Citizens = append(res.Citizens, wire.SummaryToWire(c))
	}
	writeJSON(w, http.StatusOK, res)
}

// otherComuni finds other comuni's citizens by the exact key in the query,
// recording each one read.
func (s *server) otherComuni(r *http.Request, dev *storage.Device, rd reader, limit int) ([]app.CitizenSummary, error) {
	text := r.URL.Query().Get("q")
	var hits []app.CitizenSummary
	if code, ok := fullCF(text); ok {
		c, err := s.db.Citizen(r.Context(), code)
		if app.ErrorCode(err) == app.ENOTFOUND {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		hits = append(hits, app.CitizenSummary{CodiceFiscale: c.CodiceFiscale, Surname: c.Surname, GivenName: c.GivenName,
			BirthDate: c.BirthDate, Comune: c.Comune, Status: c.Status})
	} else if key, ok := app.ParseNameKey(text); ok {
		seen := map[string]bool{}
		for _, sp := range key.Splits() {
			found, err := s.db.CitizensByKey(r.Context(), sp[0], sp[1], key.Born, limit)
			if err != nil {
				return nil, err
			}
			for _, c := range found {
				if !seen[c.CodiceFiscale] {
					seen[c.CodiceFiscale] = true
					hits = append(hits, c)
				}
			}
		}
	}
	var out []app.CitizenSummary
	for i := range hits {
		if hits[i].Comune != dev.Comune && len(out) < limit {
			out = append(out, hits[i])
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	if err := s.crossAllowed(dev, rd); err != nil {
		return nil, err
	}
	for i := range out {
		if err := s.db.RecordRead(r.Context(), s.readBy(dev, rd, &out[i], "ricerca")); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// crossRead lets a counter read a citizen by its exact key: one of its own
// comune freely (recorded when the operator's proof comes with it), one of
// another comune only with the operator's proof, within the budgets, and
// recorded. c is nil for a code the hub does not have: without a proof it
// is refused like another comune's, so that a token alone learns nothing.
func (s *server) crossRead(r *http.Request, dev *storage.Device, rd reader, c *app.Citizen, what string) error {
	if c != nil && c.Comune == dev.Comune {
		return s.recordRead(r, dev, rd, c, what)
	}
	if c == nil {
		if !rd.proven {
			return errUnproven
		}
		return nil
	}
	if !rd.proven {
		return errUnproven
	}
	if err := s.reads.take(dev.ID, s.now()); err != nil {
		return err
	}
	if err := s.crossAllowed(dev, rd); err != nil {
		return err
	}
	return s.recordRead(r, dev, rd, c, what)
}

// recordRead records a read of another comune's citizen, and of the
// device's own comune when an operator's proof names who reads and why; a
// read of its own comune without one is the device's daily work, recorded
// by the workstation's own audit trail.
func (s *server) recordRead(r *http.Request, dev *storage.Device, rd reader, c *app.Citizen, what string) error {
	if c.Comune == dev.Comune && !rd.proven {
		return nil
	}
	return s.db.RecordRead(r.Context(), s.readBy(dev, rd, &app.CitizenSummary{CodiceFiscale: c.CodiceFiscale, Comune: c.Comune}, what))
}

// citizenToWire is a citizen as the hub answers it to a device: never with
// the identity document, the kiosk's second factor, which the kiosk checks
// against its own comune's copy and no device needs from the hub.
func citizenToWire(c *app.Citizen) wire.Citizen {
	w := wire.CitizenToWire(c)
	w.DocumentNumber = ""
	return w
}

// citizenRead reads the citizen code for dev by its exact key, the proof
// checked first (crossRead).
func (s *server) citizenRead(r *http.Request, dev *storage.Device, rd reader, code, what string) (*app.Citizen, error) {
	c, err := s.db.Citizen(r.Context(), strings.ToUpper(code))
	if app.ErrorCode(err) == app.ENOTFOUND {
		if err := s.crossRead(r, dev, rd, nil, what); err != nil {
			return nil, err
		}
	}
	if err != nil {
		return nil, err
	}
	if err := s.crossRead(r, dev, rd, c, what); err != nil {
		return nil, err
	}
	return c, nil
}

func (s *server) handleCitizen(w http.ResponseWriter, r *http.Request, dev *storage.Device) {
	rd, err := s.reader(r, dev)
	var c *app.Citizen
	if err == nil {
		c, err = s.citizenRead(r, dev, rd, r.PathValue("cf"), "scheda")
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	fam, err := s.db.Family(r.Context(), c.Comune, c.FamilyID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	res := wire.CitizenResponse{Citizen: citizenToWire(c), Family: []wire.Citizen{}}
	for i := range fam {
		if fam[i].CodiceFiscale != c.CodiceFiscale {
			if err := s.recordRead(r, dev, rd, &fam[i], "stato di famiglia"); err != nil {
				s.writeError(w, r, err)
				return
			}
		}
		res.Family = append(res.Family, citizenToWire(&fam[i]))
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *server) handleKeys(w http.ResponseWriter, r *http.Request) {
	keys, err := s.db.Keys(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, keysToWire(keys))
}

var gzipPools = map[int]*sync.Pool{
	gzip.DefaultCompression: {New: func() any { return gzip.NewWriter(io.Discard) }},
	gzip.BestSpeed:          {New: func() any { w, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed); return w }},
}

// writeGzipJSON compresses the large answers (snapshot and change pages:
// a Milano snapshot is hundreds of megabytes of JSON) when the client
// accepts it, as Go's HTTP client does by default.
func writeGzipJSON(w http.ResponseWriter, r *http.Request, v any) {
	writeGzipJSONLevel(w, r, v, gzip.DefaultCompression)
}

// writeGzipJSONLevel is writeGzipJSON at a compression level of
// gzipPools. The download's pages go at BestSpeed: measured on a Milano
// download, the default level cost the hub three times the CPU for a
// fifth less bytes, and the hub's compressing was the slowest stage.
func writeGzipJSONLevel(w http.ResponseWriter, r *http.Request, v any, level int) {
	encode := func(w io.Writer) error { return json.NewEncoder(w).Encode(v) }
	if jw, ok := v.(jsonWriter); ok {
		encode = jw.writeJSON
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		w.WriteHeader(http.StatusOK)
		if err := encode(w); err != nil {
			slog.Debug("write response", "err", err)
		}
		return
	}
	w.Header().Set("Content-Encoding", "gzip")
	w.Header().Set("Vary", "Accept-Encoding")
	pool := gzipPools[level]
	gz := pool.Get().(*gzip.Writer)
	defer pool.Put(gz)
	gz.Reset(w)
	if err := encode(gz); err != nil {
		slog.Debug("write response", "err", err)
	}
	gz.Close()
}

// Timeouts of the hub's HTTP server. A body must arrive within
// ReadTimeout (an attachment on a slow counter line included), an answer
// leave within WriteTimeout (a snapshot page of a large comune included):
// a client that trickles holds a connection no longer.
const (
	ReadHeaderTimeout = 10 * time.Second
	ReadTimeout       = 60 * time.Second
	WriteTimeout      = 120 * time.Second
	IdleTimeout       = 120 * time.Second
)

// NewHTTPServer is the http.Server the hub runs on addr, with its
// timeouts; the hub binary and the app's embedded demo hub both use it.
func NewHTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: ReadHeaderTimeout, ReadTimeout: ReadTimeout,
		WriteTimeout: WriteTimeout, IdleTimeout: IdleTimeout, MaxHeaderBytes: 64 << 10}
}

// Serve runs the handler on addr until ctx ends, then shuts down
// gracefully; over TLS when srv has a TLSConfig.
func Serve(ctx context.Context, srv *http.Server, ready func(addr string)) error {
	ln, err := listen(srv.Addr)
	if err != nil {
		return err
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() {
		if srv.TLSConfig != nil {
			errc <- srv.ServeTLS(ln, "", "") // the certificates come from TLSConfig
			return
		}
		errc <- srv.Serve(ln)
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(sctx)
	}
}

// handleFamily answers a family sheet of the device's comune; another
// comune's sheet only with the codice fiscale of one of its members, the
// exact key an operator who opened that citizen has in hand.
func (s *server) handleFamily(w http.ResponseWriter, r *http.Request, dev *storage.Device) {
	comune, id, read := dev.Comune, r.PathValue("id"), ""
	rd, err := s.reader(r, dev)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if cf := r.URL.Query().Get("cf"); cf != "" {
		c, err := s.citizenRead(r, dev, rd, cf, "stato di famiglia")
		if err == nil && c.FamilyID != id {
			err = app.Errorf(app.ENOTFOUND, "il cittadino non appartiene alla famiglia %s", id)
		}
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		comune, read = c.Comune, c.CodiceFiscale
	}
	fam, err := s.db.Family(r.Context(), comune, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	res := wire.FamilyResponse{Members: []wire.Citizen{}}
	for i := range fam {
		if fam[i].CodiceFiscale == read {
			// recorded by citizenRead
		} else if err := s.recordRead(r, dev, rd, &fam[i], "stato di famiglia"); err != nil {
			s.writeError(w, r, err)
			return
		}
		res.Members = append(res.Members, citizenToWire(&fam[i]))
	}
	writeJSON(w, http.StatusOK, res)
}
