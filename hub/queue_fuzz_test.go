package hub_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/queue"
	"github.com/sportello/sportello/sync/wire"
)

// queueHub is the test hub with the service areas of F205 and fifty
// waiting tickets, so that calls have something to pick.
func queueHub(tb testing.TB) *testHub {
	tb.Helper()
	ctx := context.Background()
	h := newHub(tb)
	if err := h.DB.PutAreas(ctx, "F205", []queue.Area{{Code: "A", Name: "Anagrafe", Minutes: 6, Kiosk: true}}); err != nil {
		tb.Fatal(err)
	}
	dev, err := h.DB.DeviceByToken(ctx, h.Token)
	if err != nil {
		tb.Fatal(err)
	}
	for i := range 50 {
		id := fmt.Sprintf("00000000-0000-4000-8000-%012d", 100+i)
		data := queue.EncodeTicketFact(queue.Ticket{ID: id, Area: "A", Local: queue.LocalNumber("A", dev.ID, i+1), IssuedAt: time.Now()})
		res := h.DB.ApplyOp(ctx, dev, app.Operation{ID: fmt.Sprintf("00000000-0000-4000-9000-%012d", i), Device: dev.ID, Seq: int64(i + 1),
			Kind: queue.FactTicket, Data: data, CreatedAt: time.Now()})
		if !res.Applied {
			tb.Fatalf("ticket %d: %+v", i, res)
		}
	}
	return h
}

// FuzzQueueCall sends arbitrary bodies to "call next" as an enrolled
// workstation: the hub answers 200 with a ticket called at the counter
// asked (or none) or 400, never anything else. Found: a request id used
// again by another counter got the first counter's ticket.
func FuzzQueueCall(f *testing.F) {
	for _, r := range []wire.CallRequest{
		{RequestID: "00000000-0000-4000-8000-000000000001", Counter: "1", Operator: "demo", Areas: []string{"A"}},
		{RequestID: "00000000-0000-4000-8000-000000000002", Counter: "2"},
		{RequestID: "short", Counter: "1"},
		{RequestID: "00000000-0000-4000-8000-000000000003", Counter: "123456789012345678901", Areas: []string{"", "zz"}},
	} {
		b, _ := json.Marshal(r)
		f.Add(b)
	}
	f.Add([]byte(`{"request_id":null}`))
	f.Add([]byte(`[]`))
	h := queueHub(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := h.do("POST", "/v1/queue/call", h.Token, string(body))
		switch rec.Code {
		case http.StatusOK:
			var req wire.CallRequest
			if err := json.Unmarshal(body, &req); err != nil {
				t.Fatalf("hub read a body that is not a call: %v", err)
			}
			var res wire.CallResponse
			if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
				t.Fatalf("answer %q: %v", rec.Body, err)
			}
			if res.HasTicket() {
				tk, err := queue.DecodeTicket(res.Ticket)
				// A repeated request gets its ticket back, which may have
				// been served since: at the counter asked, never waiting.
				if err != nil || tk.Status == queue.Waiting || tk.Counter != req.Counter {
					t.Fatalf("called %+v (%v) for %+v", tk, err, req)
				}
			}
		case http.StatusBadRequest:
			var e wire.Error
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Code != app.EINVALID {
				t.Fatalf("400 answer %q: %v", rec.Body, err)
			}
		default:
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	})
}

// FuzzQueueTickets sends arbitrary periods to the statistics' list: 200
// for two dates (from after to lists nothing), 400 otherwise.
func FuzzQueueTickets(f *testing.F) {
	f.Add("2026-05-12", "2026-05-12")
	f.Add("2026-05-01", "2026-05-31")
	f.Add("ieri", "2026-05-12")
	f.Add("", "")
	f.Add("2026-02-30", "2026-13-01")
	h := queueHub(f)
	f.Fuzz(func(t *testing.T, from, to string) {
		q := url.Values{"from": {from}, "to": {to}}.Encode()
		rec := h.do("GET", "/v1/queue/tickets?"+q, h.Token, "")
		_, ef := app.ParseDate(from)
		_, et := app.ParseDate(to)
		valid := ef == nil && et == nil && from != "" && to != ""
		switch {
		case rec.Code == http.StatusOK && valid:
			var res wire.TicketsResponse
			if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || res.Tickets == nil {
				t.Fatalf("answer %q: %v", rec.Body, err)
			}
			for _, b := range res.Tickets {
				if tk, err := queue.DecodeTicket(b); err != nil || tk.Day < from || tk.Day > to {
					t.Fatalf("from %q to %q: ticket %+v (%v)", from, to, tk, err)
				}
			}
		case rec.Code == http.StatusBadRequest && !valid:
		default:
			t.Fatalf("from %q to %q: status %d: %s", from, to, rec.Code, rec.Body)
		}
	})
}
