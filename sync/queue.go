package sync

import (
	"context"
	"net/http"
	"net/url"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/queue"
	"github.com/sportello/sportello/sync/wire"
)

// CallNext asks the hub for the counter's next ticket (nil when nobody
// waits). EOFFLINE when the hub cannot be reached: the counter then calls
// from its cache, and the hub checks that call when it arrives.
func (c *Client) CallNext(ctx context.Context, requestID, counter, operator string, areas []string) (*queue.Ticket, error) {
	p, err := c.profile(ctx)
	if err != nil {
		return nil, err
	}
	var res wire.CallResponse
	req := wire.CallRequest{RequestID: requestID, Counter: counter, Operator: operator, Areas: areas}
	if err := c.do(ctx, p.HubURL, p.Token, http.MethodPost, "/v1/queue/call", nil, req, &res); err != nil {
		return nil, err
	}
	if !res.HasTicket() {
		return nil, nil
	}
	t, err := queue.DecodeTicket(res.Ticket)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// QueueTickets fetches the comune's tickets of the days from..to
// (YYYY-MM-DD) from the hub, for the statistics.
func (c *Client) QueueTickets(ctx context.Context, from, to string) ([]queue.Ticket, error) {
	p, err := c.profile(ctx)
	if err != nil {
		return nil, err
	}
	var res wire.TicketsResponse
	if err := c.do(ctx, p.HubURL, p.Token, http.MethodGet, "/v1/queue/tickets", url.Values{"from": {from}, "to": {to}}, nil, &res); err != nil {
		return nil, err
	}
	out := make([]queue.Ticket, 0, len(res.Tickets))
	for _, w := range res.Tickets {
		t, err := queue.DecodeTicket(w)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// Push sends the outbox now, without pulling: the kiosk uses it to have
// the hub number a ticket before printing it.
func (c *Client) Push(ctx context.Context) error {
	c.round.Lock()
	defer c.round.Unlock()
	p, err := c.profile(ctx)
	if err != nil {
		return err
	}
	err = c.push(ctx, p)
	c.refreshCounts(ctx)
	if err != nil && app.ErrorCode(err) != app.EOFFLINE {
		return err
	}
	return err
}
