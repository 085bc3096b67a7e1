package sync

import (
	"context"
	"crypto/ed25519"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/internal/hubpin"
	"github.com/sportello/sportello/sync/wire"
)

// PinsEvery is how often a workstation asks the hub which keys it
// announces: at the first round of a run, then once in this time. A
// changeover announced a day before it happens reaches every workstation
// that syncs meanwhile.
var PinsEvery = time.Hour

// refreshPins takes the hub's announcement of the keys it serves, or will
// serve (GET /v1/pins), into the profile: from then on the workstation
// accepts any of them, and a change of the hub's certificate announced
// before it happens needs no new enrolment. Only a pinned workstation asks.
// An announcement not signed by the network's root key, or one that would
// drop every pin in force (the very channel it came over), changes
// nothing; so does a hub that announces none (ENOTFOUND). Nothing here
// fails the round: the pins in force stay in force.
func (c *Client) refreshPins(ctx context.Context, p *app.Profile) {
	if p.HubPin == "" || len(p.RootKey) != ed25519.PublicKeySize {
		return
	}
	now := time.Now() // the real clock: the engine's Now may be a test's
	if !c.pinsAsked.IsZero() && now.Sub(c.pinsAsked) < PinsEvery {
		return
	}
	c.pinsAsked = now
	var res wire.PinsResponse
	if err := c.do(ctx, p.HubURL, p.Token, http.MethodGet, "/v1/pins", nil, nil, &res); err != nil {
		if app.ErrorCode(err) != app.ENOTFOUND {
			c.opt.Log.Info("hub pins", "err", err)
		}
		return
	}
	if err := checkPins(p, &res); err != nil {
		c.opt.Log.Warn("hub pins refused", "err", err)
		return
	}
	pins := strings.Join(res.Pins, ",")
	if pins == p.HubPin {
		return
	}
	next := *p
	next.HubPin = pins
	if err := c.store.SaveProfile(ctx, &next); err != nil {
		c.opt.Log.Warn("keep the hub's pins", "err", err)
		return
	}
	c.pin.Store(&next.HubPin)
	c.opt.Log.Info("hub pins", "pins", pins)
}

// checkPins refuses an announcement that is not whole, not signed by the
// network's root key, or that keeps none of the pins in force.
func checkPins(p *app.Profile, res *wire.PinsResponse) error {
	bad := app.Errorf(app.EINVALID, "annuncio delle impronte dell'hub non valido")
	if len(res.Pins) == 0 || len(res.Pins) > hubpin.MaxPins {
		return bad
	}
	for _, pin := range res.Pins {
		if !hubpin.Valid(pin) {
			return bad
		}
	}
	at, err := wire.ParseTime(res.At)
	if err != nil || at.IsZero() {
		return bad
	}
	sig, err := wire.UnB64(res.Signature)
	if err != nil || !ed25519.Verify(p.RootKey, hubpin.AnnouncementMessage(res.Pins, at), sig) {
		return app.Errorf(app.EFORBIDDEN, "annuncio delle impronte dell'hub non firmato dalla chiave della rete")
	}
	if !slices.ContainsFunc(hubpin.List(p.HubPin), func(pin string) bool { return slices.Contains(res.Pins, pin) }) {
		return app.Errorf(app.EFORBIDDEN, "annuncio delle impronte dell'hub senza quella in uso")
	}
	return nil
}
