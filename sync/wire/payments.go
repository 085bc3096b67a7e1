package wire

import (
	"encoding/json"
	"fmt"

	"github.com/sportello/sportello/app/payment"
)

// PositionResponse is the answer of GET /v1/payments/positions: the
// position a codice avviso pays in a comune of the network, for a
// counter's scanner. The position and the creditor travel as the JSON of
// their records (package payment's format).
type PositionResponse struct {
	ComuneName string          `json:"comune_name"`
	Position   json.RawMessage `json:"position"`
	Payee      json.RawMessage `json:"payee"`
}

// PositionToWire is the answer for a position found.
func PositionToWire(p *payment.NetworkPosition) PositionResponse {
	return PositionResponse{ComuneName: p.ComuneName, Position: payment.EncodePosition(&p.Position), Payee: payment.EncodePayee(p.Payee)}
}

// PositionFromWire reads the answer and validates what it carries.
func PositionFromWire(w PositionResponse) (*payment.NetworkPosition, error) {
	pos, err := payment.DecodePosition(w.Position)
	if err != nil {
		return nil, fmt.Errorf("position from the hub: %w", err)
	}
	py, err := payment.DecodePayee(w.Payee)
	if err != nil {
		return nil, fmt.Errorf("payee from the hub: %w", err)
	}
	return &payment.NetworkPosition{Position: *pos, ComuneName: w.ComuneName, Payee: py}, nil
}
