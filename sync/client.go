// Package sync is the workstation's sync engine: enrolment, the initial
// download (resumable, with progress), the incremental pull of the hub's
// change log, and the push of the outbox with retries. It also answers the
// counter's network-wide lookups. Everything it receives is validated at
// the wire boundary before it reaches the local store.
package sync

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	stdsync "sync"
	"sync/atomic"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/kiosk"
	"github.com/sportello/sportello/internal/hubpin"
	"github.com/sportello/sportello/sync/wire"
)

// Options tune the engine; the zero value is usable.
type Options struct {
	Log          *slog.Logger
	Now          func() time.Time
	Timeout      time.Duration // one HTTP request
	SnapshotPage int
	ChangesPage  int
	PushBatch    int
	// NoPreparedAnagrafe makes a first download go by pages even when the
	// hub has the comune's prepared file (anagrafe.go): for measuring one
	// against the other.
	NoPreparedAnagrafe bool
	// OnApplied is called after changes were applied, with the kinds seen
	// (e.g. app.ChangeReference, so the counter reloads its tables).
	OnApplied func(kinds map[string]bool)
}

// Client talks to the hub for one workstation.
type Client struct {
	store app.SyncStore
	opt   Options
	http  *resty.Client

	mu      stdsync.Mutex
	status  app.SyncStatus
	subs    map[int]func(app.SyncStatus)
	nextSub int
	round   stdsync.Mutex // one round at a time
	trigger chan struct{}
	// pin is the hub's TLS fingerprint in force: the enrolment code's
	// while enrolling, the profile's after it.
	pin atomic.Pointer[string]
	// pinsAsked is when the hub's announced pins were last asked (under
	// round: pins.go).
	pinsAsked time.Time
	// prunedAt is when the outbox was last pruned (under round).
	prunedAt time.Time
	// leftoversSwept tells that the files of a prepared anagrafe's
	// download left beside an adopted cache were removed (under round).
	leftoversSwept bool
	// skewLoaded tells that the skew kept from the last run was read;
	// savedSkew is the skew last kept (under mu).
	skewLoaded bool
	savedSkew  time.Duration
}

// New returns an engine over the workstation's store.
func New(store app.SyncStore, opt Options) *Client {
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Timeout == 0 {
		opt.Timeout = 30 * time.Second
	}
	if opt.SnapshotPage == 0 {
		opt.SnapshotPage = 2000
	}
	if opt.ChangesPage == 0 {
		opt.ChangesPage = 500
	}
	if opt.PushBatch == 0 {
		opt.PushBatch = 500
	}
	h := resty.New().
		SetTimeout(opt.Timeout).
		SetHeader(wire.HeaderProtocol, strconv.Itoa(wire.ProtocolVersion)).
		SetHeader("User-Agent", "sportello/"+strconv.Itoa(wire.ProtocolVersion)).
		// Answers are read strictly: a key this version does not know is
		// an error, not a field silently left empty.
		SetJSONUnmarshaler(app.DecodeJSON).
		// A few quick retries of one request, with resty's jittered
		// backoff, ride out a hub restart; longer outages are the Run
		// loop's business. Every request is safe to repeat: reads, and
		// pushes that the hub deduplicates.
		SetRetryCount(2).
		SetRetryWaitTime(200 * time.Millisecond).
		SetRetryMaxWaitTime(2 * time.Second).
		AddRetryCondition(func(r *resty.Response, err error) bool {
			if err != nil {
				_, refused := tlsRefusal(err) // the same certificate again
				return !refused
			}
			return r.StatusCode() >= 500
		})
	c := &Client{store: store, opt: opt, http: h, subs: map[int]func(app.SyncStatus){},
		status: app.SyncStatus{Progress: -1}, trigger: make(chan struct{}, 1)}
	// Certificates are checked against the pin, on the real clock (the
	// engine's Now may be a test's).
	h.SetTLSClientConfig(hubpin.Config(c.hubPin, time.Now))
	return c
}

// hubPin is the pin connections are checked against: "" until one is known.
func (c *Client) hubPin() string {
	if p := c.pin.Load(); p != nil {
		return *p
	}
	return ""
}

// profile reads the workstation's profile and puts its pin in force.
func (c *Client) profile(ctx context.Context) (*app.Profile, error) {
	p, err := c.store.Profile(ctx)
	if err == nil {
		c.pin.Store(&p.HubPin)
	}
	return p, err
}

// checkScheme refuses plain HTTP to any hub but this machine's, before
// anything is sent: a token, a citizen's data or an enrolment over a LAN
// in clear is readable by anyone on it.
func checkScheme(hubURL string) error {
	u, err := url.Parse(hubURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return app.Errorf(app.EINVALID, "indirizzo dell'hub non valido %q: ad esempio https://hub.esempio.it", hubURL)
	}
	if u.Scheme == "http" && !hubpin.Loopback(hubURL) {
		return app.Errorf(app.EINVALID, "l'hub %s è indicato con http:// (in chiaro): fuori da questo computer la postazione si collega solo in https://", u.Host)
	}
	return nil
}

// Status returns the engine's state for the status bar.
func (c *Client) Status() app.SyncStatus {
	c.loadSkew()
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.status
}

// Subscribe calls fn, from the engine's goroutine, whenever the status
// changes; the returned function stops it.
func (c *Client) Subscribe(fn func(app.SyncStatus)) (cancel func()) {
	c.mu.Lock()
	id := c.nextSub
	c.nextSub++
	c.subs[id] = fn
	c.mu.Unlock()
	return func() {
		c.mu.Lock()
		delete(c.subs, id)
		c.mu.Unlock()
	}
}

func (c *Client) update(fn func(*app.SyncStatus)) {
	c.mu.Lock()
	fn(&c.status)
	st := c.status
	subs := make([]func(app.SyncStatus), 0, len(c.subs))
	for _, s := range c.subs {
		subs = append(subs, s)
	}
	c.mu.Unlock()
	for _, s := range subs {
		s(st)
	}
}

// refreshCounts puts the outbox's counts in the status.
func (c *Client) refreshCounts(ctx context.Context) {
	p, k, err := c.store.OutboxCounts(ctx)
	if err != nil {
		c.opt.Log.Warn("outbox counts", "err", err)
		return
	}
	c.update(func(s *app.SyncStatus) { s.Pending, s.Parked = p, k })
}

// KioskAlertFor is how long a kiosk's lockout stays in the status.
const KioskAlertFor = 24 * time.Hour

// refreshKioskAlert puts in the status the comune's newest kiosk lockout
// of the last KioskAlertFor, which the hub published (kiosk.KindAlert).
func (c *Client) refreshKioskAlert(ctx context.Context) {
	recs, err := c.store.Records(ctx, kiosk.KindAlert, "")
	if err != nil {
		c.opt.Log.Warn("kiosk alerts", "err", err)
		return
	}
	var newest kiosk.Alert
	for _, r := range recs {
		a, err := kiosk.DecodeAlert(r.Data)
		if err == nil && a.At.After(newest.At) {
			newest = a
		}
	}
	if c.Now().Sub(newest.At) > KioskAlertFor {
		newest = kiosk.Alert{}
	}
	name := newest.DeviceName
	if name == "" {
		name = newest.Device
	}
	c.update(func(s *app.SyncStatus) { s.KioskLocked, s.KioskLockedAt = name, newest.At })
}

// SkewTolerance is how far the workstation's clock may be from the hub's
// before Now corrects it: a drift of seconds is normal and must not make
// the times the counter records jump.
const SkewTolerance = 2 * time.Minute

// Now is the time by the hub's clock, as well as the workstation knows
// it: its own clock, corrected by the skew measured at the hub's last
// answer when that is beyond SkewTolerance. A clock a day off must not
// date certificates, payments and cash days on the wrong day (the status
// bar shows the skew all the same). Before the hub's first answer, and
// for a small drift, it is the workstation's clock.
func (c *Client) Now() time.Time {
	c.loadSkew()
	c.mu.Lock()
	skew := c.status.ClockSkew
	c.mu.Unlock()
	now := c.opt.Now()
	if skew > SkewTolerance || skew < -SkewTolerance {
		return now.Add(-skew)
	}
	return now
}

// skewSetting keeps the skew measured at the hub's last answer across
// restarts: a workstation started offline with its clock a day off still
// dates right.
const skewSetting = "sync.clock_skew"

// loadSkew reads, once, the skew kept from the last run, until the hub
// answers again.
func (c *Client) loadSkew() {
	c.mu.Lock()
	if c.skewLoaded {
		c.mu.Unlock()
		return
	}
	c.skewLoaded = true
	c.mu.Unlock()
	v, err := c.store.Setting(context.Background(), skewSetting)
	if err != nil || v == "" {
		return
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return
	}
	c.mu.Lock()
	c.savedSkew = d
	if c.status.ClockSkew == 0 {
		c.status.ClockSkew = d
	}
	c.mu.Unlock()
}

// measuredSkew records the skew of the hub's answer; it is kept when it
// moved by more than a minute from the one kept.
func (c *Client) measuredSkew(ctx context.Context, skew time.Duration) {
	c.loadSkew()
	c.update(func(s *app.SyncStatus) { s.Online = true; s.ClockSkew = skew })
	c.mu.Lock()
	d := skew - c.savedSkew
	keep := d > time.Minute || d < -time.Minute
	if keep {
		c.savedSkew = skew
	}
	c.mu.Unlock()
	if keep {
		if err := c.store.SetSetting(ctx, skewSetting, skew.String()); err != nil {
			c.opt.Log.Warn("keep the clock's skew", "err", err)
		}
	}
}

// RefreshStatus re-reads the outbox counts: call it after writing to the
// outbox so the status bar shows the new pending operation at once.
func (c *Client) RefreshStatus(ctx context.Context) { c.refreshCounts(ctx) }

// do sends a request and decodes the answer into out. Transport failures
// become EOFFLINE; error answers become the domain error the hub sent.
func (c *Client) do(ctx context.Context, hubURL, token, method, path string, query url.Values, body, out any) error {
	return c.doWith(ctx, hubURL, token, method, path, query, nil, body, out)
}

// doWith is do with extra request headers.
func (c *Client) doWith(ctx context.Context, hubURL, token, method, path string, query url.Values, header map[string]string, body, out any) error {
	_, err := c.doResp(ctx, hubURL, token, method, path, query, header, body, out)
	return err
}

// doResp is doWith that also returns the answer's headers (nil when the
// hub did not answer), for the hub's mark.
func (c *Client) doResp(ctx context.Context, hubURL, token, method, path string, query url.Values, header map[string]string, body, out any) (http.Header, error) {
	resp, err := c.execute(ctx, hubURL, token, method, path, query, header, body, out)
	if resp == nil || resp.RawResponse == nil {
		return nil, err
	}
	return resp.Header(), err
}

func (c *Client) execute(ctx context.Context, hubURL, token, method, path string, query url.Values, header map[string]string, body, out any) (*resty.Response, error) {
	if err := checkScheme(hubURL); err != nil {
		return nil, err
	}
	req := c.http.R().SetContext(ctx).SetError(&wire.Error{}).SetHeaders(header)
	if out != nil {
		req.SetResult(out)
	}
	if token != "" {
		req.SetAuthToken(token)
	}
	if body != nil {
		req.SetBody(body)
	}
	if query != nil {
		req.SetQueryParamsFromValues(query)
	}
	resp, err := req.Execute(method, hubURL+path)
	if err != nil {
		if resp != nil && resp.RawResponse != nil && ctx.Err() == nil {
			if _, refused := tlsRefusal(err); !refused {
				// The hub answered, in words this version does not read (a
				// key it does not know): not an outage, and not to be applied.
				return resp, app.Errorf(app.EINVALID, "risposta dell'hub non leggibile (%s %s): %v", method, path, err)
			}
		}
		return nil, c.unreachable(ctx, hubURL, err)
	}
	if t, err := time.Parse(time.RFC3339Nano, resp.Header().Get(wire.HeaderHubTime)); err == nil {
		c.measuredSkew(ctx, c.opt.Now().Sub(t).Truncate(time.Second))
	}
	if resp.IsError() {
		e, _ := resp.Error().(*wire.Error)
		return resp, hubRefusal(resp.StatusCode(), resp.Status(), e)
	}
	return resp, nil
}

// unreachable is the error of a request the hub did not answer (err from
// the transport), the status bar told: the context's own end; a refused
// certificate (not an outage: another machine, or a certificate that no
// longer holds; nothing is sent to it, and no retry helps); else the hub
// offline.
func (c *Client) unreachable(ctx context.Context, hubURL string, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if msg, ok := tlsRefusal(err); ok {
		c.update(func(s *app.SyncStatus) { s.Online = false; s.LastError = msg })
		return app.Errorf(app.EFORBIDDEN, "%s", msg)
	}
	c.update(func(s *app.SyncStatus) { s.Online = false; s.LastError = "hub non raggiungibile" })
	return app.Errorf(app.EOFFLINE, "hub non raggiungibile (%s): si lavora con i dati locali", hostOf(hubURL))
}

// hubRefusal is the error of an answer with an error status: the hub's
// own words when its body carried them (e), else the code of the status
// (a 5xx after the retries: the hub is not serving).
func hubRefusal(status int, statusText string, e *wire.Error) error {
	if e != nil && e.Code != "" {
		return &app.Error{Code: e.Code, Message: e.Message}
	}
	code, ok := wire.StatusCodes[status]
	if !ok {
		code = app.EOFFLINE
	}
	return app.Errorf(code, "l'hub ha risposto %s", statusText)
}

// tlsRefusal tells a handshake that the pin or the certificate refused
// from an outage, with the words for the operator.
func tlsRefusal(err error) (string, bool) {
	for _, e := range []error{hubpin.ErrMismatch, hubpin.ErrExpired, hubpin.ErrInvalid} {
		if errors.Is(err, e) {
			return e.Error(), true
		}
	}
	var cv *tls.CertificateVerificationError
	var ui x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	if errors.As(err, &cv) || errors.As(err, &ui) || errors.As(err, &hn) || errors.As(err, &ci) {
		return "il certificato dell'hub non è valido: collegamento rifiutato (" + err.Error() + ")", true
	}
	return "", false
}

func hostOf(u string) string {
	if p, err := url.Parse(u); err == nil && p.Host != "" {
		return p.Host
	}
	return u
}

// Enroll enrols the workstation with a one-time code: it makes the device's
// key, has the hub certify it, checks the certificates against the root key
// the hub sends, and saves the profile.
func (c *Client) Enroll(ctx context.Context, hubURL, code, name string) (*app.Profile, error) {
	if _, err := c.store.Profile(ctx); err == nil {
		return nil, app.Errorf(app.ECONFLICT, "questa postazione è già attivata")
	}
	if err := checkScheme(hubURL); err != nil {
		return nil, err
	}
	code, pin, err := hubpin.Split(code)
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "%v", err)
	}
	u, _ := url.Parse(hubURL)
	if u.Scheme == "http" {
		pin = "" // this machine's hub: nothing crosses a network
	}
	// The hub is trusted by the code's pin from the first byte sent.
	c.pin.Store(&pin)
	// Without a trailing slash: every path is appended as "/v1/...".
	hubURL = u.Scheme + "://" + u.Host + strings.TrimRight(u.Path, "/")
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	var res wire.EnrollResponse
	// The proof lets the hub answer a repeat of this request (resty's
	// retries, when the first answer is lost) with the same enrolment.
	proof := map[string]string{wire.HeaderEnrollProof: wire.B64(ed25519.Sign(priv, wire.EnrollProof(code)))}
	if err := c.doWith(ctx, hubURL, "", http.MethodPost, "/v1/enroll", nil, proof, wire.EnrollRequest{Code: code, Name: name, PublicKey: wire.B64(pub)}, &res); err != nil {
		return nil, err
	}
	root, err := wire.UnB64(res.RootKey)
	if err != nil {
		return nil, err
	}
	comCert, err := wire.KeyCertFromWire(res.ComuneCert)
	if err != nil {
		return nil, err
	}
	devCert, err := wire.KeyCertFromWire(res.Cert)
	if err != nil {
		return nil, err
	}
	if err := comCert.Verify(root); err != nil {
		return nil, fmt.Errorf("certificato del comune: %w", err)
	}
	if err := devCert.Verify(comCert.PublicKey); err != nil {
		return nil, fmt.Errorf("certificato della postazione: %w", err)
	}
	if string(devCert.PublicKey) != string(pub) || devCert.Subject != app.DeviceSubject(res.Device) || comCert.Subject != app.ComuneSubject(res.Comune) {
		return nil, app.Errorf(app.EINVALID, "l'hub ha certificato un'altra chiave o un'altra postazione")
	}
	p := &app.Profile{Device: res.Device, Comune: res.Comune, ComuneName: res.ComuneName, HubURL: hubURL, HubPin: pin,
		Token: res.Token, PrivateKey: priv, PublicKey: pub, Cert: devCert.Signature, RootKey: root, EnrolledAt: c.opt.Now(),
		DeviceCert: devCert, ComuneCert: comCert}
	if err := c.store.SaveProfile(ctx, p); err != nil {
		return nil, err
	}
	return p, nil
}

// Round runs one full sync round: push the outbox, pull the network scope,
// then the comune's (with the initial download when needed). It returns
// nil only when the workstation is in sync with the hub.
func (c *Client) Round(ctx context.Context) error {
	c.round.Lock()
	defer c.round.Unlock()
	p, err := c.profile(ctx)
	if err != nil {
		return err
	}
	err = c.round1(ctx, p)
	c.refreshCounts(ctx)
	switch {
	case app.ErrorCode(err) == app.EUNAUTHORIZED && p.RefusedAt.IsZero():
		// The hub no longer knows this workstation (revoked, or a profile
		// of another network): remember it, so that nothing is issued that
		// a verifier would refuse, even after a restart offline.
		p.RefusedAt, p.RefusedWhy = c.opt.Now(), app.ErrorMessage(err)
		if serr := c.store.SaveProfile(ctx, p); serr != nil {
			return serr
		}
	case err == nil && !p.RefusedAt.IsZero():
		p.RefusedAt, p.RefusedWhy = time.Time{}, "" // accepted again (re-enrolled)
		if serr := c.store.SaveProfile(ctx, p); serr != nil {
			return serr
		}
	}
	if err != nil {
		msg := app.ErrorMessage(err)
		c.update(func(s *app.SyncStatus) { s.Phase, s.Progress, s.LastError = "", -1, msg })
		return err
	}
	c.refreshPins(ctx, p) // pins.go: a change of the hub's certificate announced
	c.update(func(s *app.SyncStatus) {
		s.Online, s.LastSync, s.Phase, s.Progress, s.LastError = true, c.opt.Now(), "", -1, ""
	})
	return nil
}

// errRestored stops a pull whose answer showed a hub restored from an
// older backup: the cursors were moved back, and the round starts again.
var errRestored = errors.New("hub restored from an older backup")

func (c *Client) round1(ctx context.Context, p *app.Profile) error {
	for attempt := 0; ; attempt++ {
		err := c.round2(ctx, p)
		if !errors.Is(err, errRestored) || attempt >= 2 {
			return err
		}
	}
}

func (c *Client) round2(ctx context.Context, p *app.Profile) error {
	if err := c.push(ctx, p); err != nil {
		return fmt.Errorf("push: %w", err)
	}
	if err := c.pull(ctx, p, app.ScopeNetwork); err != nil {
		return fmt.Errorf("pull %s: %w", app.ScopeNetwork, err)
	}
	for attempt := 0; ; attempt++ {
		err := c.pull(ctx, p, p.Comune)
		if app.ErrorCode(err) != app.ERESNAPSHOT || attempt >= 2 {
			if err != nil {
				return fmt.Errorf("pull %s: %w", p.Comune, err)
			}
			break
		}
		// The hub can no longer serve our cursor: download the comune
		// again. The outbox is untouched: unsent facts stay unsent.
		c.opt.Log.Info("resnapshot", "scope", p.Comune, "reason", app.ErrorMessage(err))
		if err := c.snapshot(ctx, p, true); err != nil {
			return fmt.Errorf("snapshot %s: %w", p.Comune, err)
		}
	}
	// The kiosk alerts the pulls may have brought, once a round rather
	// than after every page applied.
	c.refreshKioskAlert(ctx)
	// Anything written while we pulled goes out now, not at the next round.
	if err := c.push(ctx, p); err != nil {
		return err
	}
	c.prune(ctx)
	return nil
}

// PruneEvery is how often a workstation removes from its outbox what the
// hub confirmed and backed up (store.PruneConfirmed).
const PruneEvery = time.Hour

// prune removes, at most once every PruneEvery, the audit operations the
// hub confirmed and holds in its newest backup; a failure is logged, and
// nothing depends on it.
func (c *Client) prune(ctx context.Context) {
	now := c.opt.Now()
	if now.Sub(c.prunedAt) < PruneEvery && !now.Before(c.prunedAt) {
		return
	}
	c.prunedAt = now
	n, err := c.store.PruneConfirmed(ctx, now)
	if err != nil {
		c.opt.Log.Warn("prune the outbox", "err", err)
		return
	}
	if n > 0 {
		c.opt.Log.Info("outbox pruned: audit operations the hub confirmed and backed up", "removed", n)
	}
}

// push sends pending operations in device order until none is left. The
// hub applies them in that order and stops at the first failure, so the
// engine resends from the first operation it did not apply. An operation
// that is at fault is parked with its reason, and the ones behind it go
// on: one the hub refuses (4xx), one whose request or attachment the hub
// refuses as a whole, and one the hub failed to record MaxAttempts times.
// A transport failure leaves them all pending for the next round.
func (c *Client) push(ctx context.Context, p *app.Profile) error {
	batch := c.opt.PushBatch
	for {
		ops, err := c.store.NextOps(ctx, batch)
		if err != nil || len(ops) == 0 {
			if err == nil {
				c.suspend(false) // nothing waits for a number (the held one discarded, say)
			}
			return err
		}
		c.update(func(s *app.SyncStatus) { s.Phase = "invio operazioni" })
		ops, err = c.uploadEach(ctx, p, ops)
		if err != nil {
			return err
		}
		if len(ops) == 0 {
			continue // the first one was parked for its attachment
		}
		req := wire.PushRequest{Ops: make([]wire.Op, len(ops))}
		for i, op := range ops {
			req.Ops[i] = wire.OpToWire(op)
		}
		// What the hub confirmed goes with the push: a hub restored from
		// an older backup refuses it, so that nothing new lands before
		// what it lacks.
		known, err := c.store.LocalMark(ctx)
		if err != nil {
			return err
		}
		var res wire.PushResponse
		hdr, err := c.doResp(ctx, p.HubURL, p.Token, http.MethodPost, "/v1/ops", nil, pushHeader(known, c.Status().Pending), req, &res)
		if restored, rerr := c.reconcile(ctx, hdr); rerr != nil || restored {
			if rerr != nil {
				return rerr
			}
			continue // what the hub lacks is in line again, before these
		}
		if err != nil {
			if !opFault(err) {
				return err
			}
			if len(ops) > 1 {
				// One of them made the hub refuse the whole request (it is
				// too large, or unreadable): find which, one at a time.
				batch = 1
				continue
			}
			if perr := c.parkIfAtFault(ctx, p, ops[0], err); perr != nil {
				return perr
			}
			continue
		}
		if len(res.Results) == 0 || len(res.Results) > len(ops) {
			return app.Errorf(app.EINTERNAL, "l'hub ha risposto a %d operazioni su %d", len(res.Results), len(ops))
		}
		// The answers are recorded in one transaction, after the loop,
		// whatever ends it: those before a stop are the hub's too.
		var marks []app.OpResult
		var stop error
		pending := false
	answers:
		for i, r := range res.Results {
			if r.ID != ops[i].ID {
				stop = app.Errorf(app.EINTERNAL, "risposta dell'hub fuori ordine")
				break
			}
			switch {
			case r.Code == app.EPENDING:
				// The hub, restored from a backup, numbers nothing new
				// until every workstation of the comune has sent back its
				// work: this one waits, with its provisional number, and
				// the ones behind it with it. Not a failure: nothing is
				// counted, and the round goes on.
				pending = true
				break answers
			case r.Skipped && i == 0:
				stop = app.Errorf(app.EINTERNAL, "l'hub non ha applicato la prima operazione inviata")
				break answers
			case r.Skipped:
				break answers // the hub stopped at the one before: resend from here
			case r.Code == app.EINTERNAL || r.Code == app.ESTORAGE:
				// The hub's fault, not the operation's: keep it pending and
				// stop, since the ones behind it must not overtake it; but
				// not for ever.
				failed, err := c.failedAtHub(ctx, ops[i], r.Message)
				if err != nil {
					stop = err
				} else if failed {
					stop = app.Errorf(app.EOFFLINE, "l'hub non ha potuto registrare le operazioni: si riprova")
				}
				break answers
			case r.Code != "":
				c.opt.Log.Warn("operation parked", "op", r.ID, "code", r.Code, "reason", r.Message)
			}
			marks = append(marks, app.OpResult{ID: r.ID, Applied: r.Applied, Duplicate: r.Duplicate, Code: r.Code, Message: r.Message, Flag: r.Flag, Data: []byte(r.Data)})
		}
		if err := c.store.MarkOps(ctx, marks, c.opt.Now()); err != nil {
			return err
		}
		if pending {
			c.suspend(true)
			c.refreshCounts(ctx)
			return nil
		}
		if stop != nil {
			c.refreshCounts(ctx)
			return stop
		}
		c.suspend(false)
		c.refreshCounts(ctx)
	}
}

// suspend shows whether the hub holds this workstation's numbering after a
// restore (app.SyncStatus.Suspended), logging when that changes.
func (c *Client) suspend(on bool) {
	c.mu.Lock()
	same := c.status.Suspended == on
	c.mu.Unlock()
	if same {
		return
	}
	if on {
		c.opt.Log.Info("the hub, restored from a backup, numbers nothing new until every workstation of the comune has sent back its work")
	}
	c.update(func(s *app.SyncStatus) { s.Suspended = on })
}

// markHeader is the request headers that tell the hub what it confirmed
// to this workstation: none before the first answer that carried a mark.
func markHeader(m app.HubMark) map[string]string {
	if m.Epoch == "" {
		return nil
	}
	return map[string]string{wire.HeaderHubEpoch: m.Epoch,
		wire.HeaderHubMark: strconv.FormatInt(m.Seq, 10), wire.HeaderHubApplied: strconv.FormatInt(m.Applied, 10),
		wire.HeaderConfirmed: strconv.FormatInt(m.Confirmed, 10)}
}

// confirmedHeader is what a changes request tells a restored hub: the
// epoch known and the confirmed mark, so that a workstation with nothing
// left to push is known to have sent back all its work (the hub's
// recovery); none before the first answer that carried a mark.
func confirmedHeader(m app.HubMark) map[string]string {
	if m.Epoch == "" {
		return nil
	}
	return map[string]string{wire.HeaderHubEpoch: m.Epoch, wire.HeaderConfirmed: strconv.FormatInt(m.Confirmed, 10)}
}

// pushHeader is markHeader and the outbox's depth, which the hub shows in
// its metrics: a workstation that cannot empty its outbox is seen there.
func pushHeader(m app.HubMark, pending int) map[string]string {
	h := markHeader(m)
	if h == nil {
		h = map[string]string{}
	}
	h[wire.HeaderOutboxDepth] = strconv.Itoa(max(pending, 0))
	return h
}

// reconcile reads the hub's mark in an answer's headers and compares it
// with what the hub confirmed. When the hub was restored from an older
// backup the operations it lacks are in line again, the cursors start
// again, and the operator is told; restored reports it. An answer without
// a mark (a hub of an earlier version, no answer) changes nothing.
func (c *Client) reconcile(ctx context.Context, h http.Header) (restored bool, err error) {
	m, ok := wire.MarkFromHeader(h)
	if !ok {
		return false, nil
	}
	rec, err := c.store.Reconcile(ctx, m, c.opt.Now())
	if err != nil || !rec.Restored {
		return false, err
	}
	c.opt.Log.Warn("the hub was restored from an older backup: confirmed operations it lacks are sent again, and its data read again",
		"resent", rec.Resent, "lacked", rec.Lacked, "hub_mark", m.Seq, "epoch", m.Epoch)
	if rec.Pruned {
		c.opt.Log.Error("the hub was put back from a copy older than a backup it had confirmed: audit operations removed since then cannot be sent again, and its audit chain will show the gap",
			"hub_mark", m.Seq)
	}
	now := c.opt.Now()
	c.update(func(s *app.SyncStatus) { s.HubRestored, s.Resent = now, rec.Resent })
	c.refreshCounts(ctx)
	return true, nil
}

// MaxAttempts is how many times the hub may fail to record the same
// operation before it is parked, so that it does not hold back the ones
// behind it for ever.
const MaxAttempts = 8

// failedAtHub counts a failure of the hub to record op. It parks op after
// MaxAttempts (stop is false: the ones behind it may go), and otherwise
// keeps it pending (stop is true).
func (c *Client) failedAtHub(ctx context.Context, op app.Operation, reason string) (stop bool, err error) {
	if err := c.store.RetryOp(ctx, op.ID, reason); err != nil {
		return true, err
	}
	if op.Attempts+1 < MaxAttempts {
		return true, nil
	}
	msg := fmt.Sprintf("l'hub non ha potuto registrare l'operazione dopo %d tentativi: %s", op.Attempts+1, reason)
	c.opt.Log.Warn("operation parked", "op", op.ID, "attempts", op.Attempts+1, "reason", reason)
	return false, c.store.MarkOp(ctx, op.ID, app.OpResult{ID: op.ID, Code: app.EINTERNAL, Message: msg}, c.opt.Now())
}

// opFault tells whether a whole-request error may be the fault of what
// was sent rather than of the network, the hub or the device's standing.
func opFault(err error) bool {
	switch app.ErrorCode(err) {
	case app.EOFFLINE, app.EUNAUTHORIZED, app.EFORBIDDEN, app.ELOCKED, app.ERESNAPSHOT:
		return false
	}
	return !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
}

// parkIfAtFault deals with a request of op alone that the hub refused as
// a whole. An empty request tells whether the hub refuses anything (then
// it is not op's fault and err is returned) or only op, which is parked
// with the hub's reason; a failure of the hub itself counts as an attempt.
func (c *Client) parkIfAtFault(ctx context.Context, p *app.Profile, op app.Operation, err error) error {
	var probe wire.PushResponse
	if perr := c.do(ctx, p.HubURL, p.Token, http.MethodPost, "/v1/ops", nil, wire.PushRequest{Ops: []wire.Op{}}, &probe); perr != nil {
		return err
	}
	if app.ErrorCode(err) == app.EINTERNAL {
		stop, ferr := c.failedAtHub(ctx, op, app.ErrorMessage(err))
		if ferr != nil {
			return ferr
		}
		if stop {
			return app.Errorf(app.EOFFLINE, "l'hub non ha potuto registrare le operazioni: si riprova")
		}
		return nil
	}
	return c.park(ctx, op, "l'hub ha rifiutato l'invio dell'operazione: "+app.ErrorMessage(err))
}

// park sets op aside with its reason, for a person to resolve.
func (c *Client) park(ctx context.Context, op app.Operation, reason string) error {
	c.opt.Log.Warn("operation parked", "op", op.ID, "reason", reason)
	if err := c.store.MarkOp(ctx, op.ID, app.OpResult{ID: op.ID, Code: app.EINVALID, Message: reason}, c.opt.Now()); err != nil {
		return err
	}
	c.refreshCounts(ctx)
	return nil
}

// uploadEach uploads the attachments of ops, one operation at a time, and
// returns the ones that may be sent: those before the first whose
// attachment could not be uploaded. That one is parked when the failure is
// its own (the hub refused the file, or it cannot be read here), and
// otherwise stays pending with the error returned.
func (c *Client) uploadEach(ctx context.Context, p *app.Profile, ops []app.Operation) ([]app.Operation, error) {
	for i, op := range ops {
		err := c.uploadAttachments(ctx, p, ops[i:i+1]) // requests.go
		if err == nil {
			continue
		}
		if i > 0 {
			return ops[:i], nil // those before go now; this one next time
		}
		if !opFault(err) {
			return nil, err
		}
		if app.ErrorCode(err) == app.EINTERNAL && errors.As(err, new(*app.Error)) {
			stop, ferr := c.failedAtHub(ctx, op, app.ErrorMessage(err))
			if ferr != nil {
				return nil, ferr
			}
			if stop {
				return nil, app.Errorf(app.EOFFLINE, "l'hub non ha potuto ricevere gli allegati: si riprova")
			}
			return nil, nil
		}
		return nil, c.park(ctx, op, "allegato non inviato: "+reasonOf(err))
	}
	return ops, nil
}

// reasonOf is err's message for the operator: the domain message, or
// the error itself when it is a local failure the person must see.
func reasonOf(err error) string {
	if errors.As(err, new(*app.Error)) {
		return app.ErrorMessage(err)
	}
	return err.Error()
}

// pull brings a scope up to date from the change log, taking the initial
// download first when the scope has never been read.
func (c *Client) pull(ctx context.Context, p *app.Profile, scope string) error {
	if scope != app.ScopeNetwork {
		cur, err := c.store.Cursor(ctx, scope)
		if err != nil {
			return err
		}
		st, err := c.store.Snapshot(ctx, scope)
		if err != nil {
			return err
		}
		if cur.Seq == 0 || st != nil {
			if err := c.snapshot(ctx, p, false); err != nil {
				return err
			}
		} else if !c.leftoversSwept {
			// A workstation stopped between adopting the file and
			// removing it: the cache holds the anagrafe, the file goes.
			c.sweepAnagrafeFiles()
			c.leftoversSwept = true
		}
	}
	// What the hub confirmed, for a restored hub's recovery: once a pull,
	// not a page (a pull stops at a restore noticed).
	known, err := c.store.LocalMark(ctx)
	if err != nil {
		return err
	}
	confirmed := confirmedHeader(known)
	restarted, fromZero := false, false
	for {
		cur, err := c.store.Cursor(ctx, scope)
		if err != nil {
			return err
		}
		c.update(func(s *app.SyncStatus) { s.Phase = "ricezione aggiornamenti" })
		fromZero = fromZero || (scope == app.ScopeNetwork && cur.Seq == 0)
		var res wire.ChangesResponse
		q := url.Values{"scope": {scope}, "after": {strconv.FormatInt(cur.Seq, 10)}, "limit": {strconv.Itoa(c.opt.ChangesPage)}}
		hdr, err := c.doResp(ctx, p.HubURL, p.Token, http.MethodGet, "/v1/changes", q, confirmed, nil, &res)
		if restored, rerr := c.reconcile(ctx, hdr); rerr != nil || restored {
			if rerr != nil {
				return rerr
			}
			return errRestored
		}
		if app.ErrorCode(err) == app.ERESNAPSHOT && scope == app.ScopeNetwork && cur.Seq > 0 && !restarted {
			// The network scope has no download: its change log is read
			// again from the start (a hub restored from a copy older than
			// our cursor that did not notice it otherwise).
			c.opt.Log.Info("network scope read again from the start", "reason", app.ErrorMessage(err))
			if err := c.store.RestartCursor(ctx, scope); err != nil {
				return err
			}
			restarted = true
			continue
		}
		if err != nil {
			return err
		}
		asOf, err := wire.ParseTime(res.AsOf)
		if err != nil {
			return err
		}
		changes := make([]app.Change, 0, len(res.Changes))
		kinds := map[string]bool{}
		to := app.Cursor{Scope: scope, Seq: cur.Seq, AsOf: asOf}
		for _, w := range res.Changes {
			if w.Seq <= to.Seq {
				return app.Errorf(app.EINVALID, "modifiche dell'hub fuori ordine (%d dopo %d)", w.Seq, to.Seq)
			}
			ch, err := wire.ChangeFromWire(scope, w)
			if err != nil {
				return fmt.Errorf("change %d: %w", w.Seq, err)
			}
			changes = append(changes, ch)
			kinds[ch.Kind] = true
			to.Seq = w.Seq
		}
		if !res.More && res.Last > to.Seq {
			// Changes between were superseded and dropped by the hub.
			to.Seq = res.Last
		}
		if err := c.store.ApplyChanges(ctx, scope, changes, to); err != nil {
			return err
		}
		if len(kinds) > 0 && c.opt.OnApplied != nil {
			c.opt.OnApplied(kinds)
		}
		if !res.More {
			if fromZero {
				// Read whole: what it did not bring is gone from the hub.
				return c.store.SweepRestarted(ctx, scope)
			}
			return nil
		}
	}
}

// snapshot runs or resumes the initial download of the workstation's
// comune, page by page, each page stored with the download's state so that
// an interruption resumes where it stopped. restart drops a download in
// progress and starts again (the hub asked for a resnapshot).
//
// The next page is fetched and decoded while the store writes the current
// one (fetchPages): on a large comune the hub's reading and compressing,
// the network and the JSON decoding then overlap the disk, instead of each
// waiting for the others. Only what the store committed counts: a page
// fetched ahead and not written is fetched again after an interruption.
func (c *Client) snapshot(ctx context.Context, p *app.Profile, restart bool) error {
	scope := p.Comune
	st, err := c.store.Snapshot(ctx, scope)
	if err != nil {
		return err
	}
	if restart {
		st = nil
	}
	if st == nil && !restart {
		// A first download: the comune's prepared file when the hub has one.
		err := c.prepared(ctx, p)
		if !errors.Is(err, errByPages) {
			if err == nil {
				c.update(func(s *app.SyncStatus) { s.Phase, s.Progress, s.Done, s.Total = "", -1, 0, 0 })
			}
			return err
		}
	}
	c.update(func(s *app.SyncStatus) { s.Phase, s.Progress = "scaricamento iniziale dei dati", 0 })
	after := ""
	if st != nil {
		after = st.After
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pages := c.fetchPages(ctx, p, scope, after)
	for pg := range pages {
		if pg.err != nil {
			return pg.err
		}
		res := pg.res
		want := ""
		if st != nil {
			want = st.After
		}
		if pg.after != want {
			return fmt.Errorf("snapshot page after %q fetched for position %q", pg.after, want)
		}
		asOf, err := wire.ParseTime(res.AsOf)
		if err != nil {
			return err
		}
		first := st == nil
		if first {
			st = &app.SnapshotState{Scope: scope, Seq: res.Seq, Total: res.Total, Started: c.opt.Now()}
		}
		pg, err := wire.SnapshotPageFromWire(scope, st.After, first, res)
		if err != nil {
			return err
		}
		st.After = pg.After
		citizens, operators, records := pg.Citizens, pg.Operators, pg.Records
		st.Done += len(citizens) + len(records)
		if err := c.store.PutSnapshotPage(ctx, *st, citizens, operators, records); err != nil {
			return err
		}
		progress := 1.0
		if st.Total > 0 {
			progress = min(1, float64(st.Done)/float64(st.Total))
		}
		done, total := st.Done, st.Total
		c.update(func(s *app.SyncStatus) { s.Progress, s.Done, s.Total = progress, done, total })
		if res.Done {
			if err := c.store.FinishSnapshot(ctx, *st, asOf); err != nil {
				return err
			}
			c.update(func(s *app.SyncStatus) { s.Progress, s.Done, s.Total = -1, 0, 0 })
			return nil
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// The fetcher stopped on a page that moved nowhere and was not the last.
	if st != nil {
		after = st.After
	}
	return app.Errorf(app.EINVALID, "pagina dello scaricamento non valida (nessun progresso dopo %q)", after)
}

// snapshotPage is one page of the download as fetched, with the position
// it was asked after.
type snapshotPage struct {
	after string
	res   *wire.SnapshotResponse
	err   error
}

// fetchPages fetches the pages of the download from after on, one ahead of
// the reader, until the last page, an error (sent, then the channel
// closes) or the end of ctx.
func (c *Client) fetchPages(ctx context.Context, p *app.Profile, scope, after string) <-chan snapshotPage {
	out := make(chan snapshotPage, 1)
	go func() {
		defer close(out)
		for {
			var res wire.SnapshotResponse
			q := url.Values{"scope": {scope}, "after": {after}, "limit": {strconv.Itoa(c.opt.SnapshotPage)}}
			err := c.do(ctx, p.HubURL, p.Token, http.MethodGet, "/v1/snapshot", q, nil, &res)
			select {
			case out <- snapshotPage{after: after, res: &res, err: err}:
			case <-ctx.Done():
				return
			}
			if err != nil || res.Done {
				return
			}
			next := res.After
			if len(res.Records) == 0 && len(res.Citizens) > 0 {
				next = res.Citizens[len(res.Citizens)-1].CodiceFiscale
			}
			if next == after {
				return // no progress: the reader refuses the page it has
			}
			after = next
		}
	}()
	return out
}

// SyncNow asks the Run loop for a round as soon as possible.
func (c *Client) SyncNow() {
	select {
	case c.trigger <- struct{}{}:
	default:
	}
}

// Run syncs every interval until ctx ends. After a failure it waits with
// exponential backoff and jitter (up to max), so that a thousand
// workstations coming back together do not hit the hub at once.
func (c *Client) Run(ctx context.Context, interval, maxBackoff time.Duration) {
	wait := time.Duration(0)
	backoff := time.Second
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		case <-c.trigger:
		}
		if err := c.Round(ctx); err != nil {
			if ctx.Err() != nil {
				return
			}
			c.opt.Log.Info("sync round failed", "err", err)
			wait = backoff/2 + jitter(backoff/2)
			backoff = min(backoff*2, maxBackoff)
			continue
		}
		backoff = time.Second
		wait = interval
	}
}

func jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	var b [8]byte
	rand.Read(b[:])
	n := int64(0)
	for _, x := range b {
		n = n<<8 | int64(x)
	}
	if n < 0 {
		n = -n
	}
	return time.Duration(n % int64(d))
}
