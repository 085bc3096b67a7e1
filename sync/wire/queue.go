package wire

import "encoding/json"

// The bodies of the hub's queue endpoints. The tickets they carry are the
// JSON of the queue's ticket records (package queue's format:
// queue.EncodeTicket, queue.DecodeTicket); the queue's records, facts and
// answers travel as records and operations and have no type here.

// CallRequest asks the hub for the next ticket of a counter (POST
// /v1/queue/call). RequestID makes a repeated request get the same ticket.
type CallRequest struct {
	RequestID string   `json:"request_id"`
	Counter   string   `json:"counter"`
	Operator  string   `json:"operator"`
	Areas     []string `json:"areas,omitempty"`
}

// CallResponse is the ticket called (queue.EncodeTicket), null when nobody
// waits.
type CallResponse struct {
	Ticket json.RawMessage `json:"ticket"`
}

// HasTicket reports whether the hub called a ticket.
func (r *CallResponse) HasTicket() bool {
	return len(r.Ticket) > 0 && string(r.Ticket) != "null"
}

// TicketsResponse lists tickets of past days (GET /v1/queue/tickets), each
// as queue.EncodeTicket writes it.
type TicketsResponse struct {
	Tickets []json.RawMessage `json:"tickets"`
}
