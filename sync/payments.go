package sync

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/pagopa"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/sync/wire"
)

var _ payment.Network = Network{}

// lookupTimeout bounds a scanner's lookup at the hub: the operator is
// waiting at the counter, and offline is an answer too.
const lookupTimeout = 8 * time.Second

// FindPosition asks the hub for the position a codice avviso pays in any
// comune of the network (of the creditor cfEnte, when not "").
func (n Network) FindPosition(ctx context.Context, cfEnte string, avviso pagopa.CodiceAvviso) (*payment.NetworkPosition, error) {
	p, err := n.profile(ctx)
	if err != nil {
		return nil, err
	}
	lctx, cancel := context.WithTimeout(ctx, lookupTimeout)
	defer cancel()
	q := url.Values{"avviso": {string(avviso)}}
	if cfEnte != "" {
		q.Set("ente", cfEnte)
	}
	var res wire.PositionResponse
	if err := n.c.do(lctx, p.HubURL, p.Token, http.MethodGet, "/v1/payments/positions", q, nil, &res); err != nil {
		if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			return nil, app.Errorf(app.EOFFLINE, "l'hub non ha risposto in tempo")
		}
		return nil, err
	}
	return wire.PositionFromWire(res)
}
