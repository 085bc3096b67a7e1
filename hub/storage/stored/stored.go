// Package stored is the JSON in which the hub's storage keeps citizens,
// operator accounts, key certificates, operation results and the entries
// of the change log. It is the sync protocol's JSON (package wire), by
// design: the hub serves a snapshot's citizens and a page of changes as
// they are stored, without decoding and encoding each one again. The
// storage imports this package, not wire, so that its methods speak
// domain types and its one tie to the protocol's spelling is here.
package stored

import (
	"encoding/json"
	"fmt"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/sync/wire"
)

// Citizen is a citizen's stored form. UpdatedAt is left out, so two
// records are the same exactly when their JSON is: that is how a
// re-imported file's differences are found.
func Citizen(c *app.Citizen) string {
	w := wire.CitizenToWire(c)
	w.UpdatedAt = ""
	b, _ := json.Marshal(w)
	return string(b)
}

// DecodeCitizen reads and validates a stored citizen.
func DecodeCitizen(data []byte) (*app.Citizen, error) {
	var w wire.Citizen
	if err := app.DecodeJSON(data, &w); err != nil {
		return nil, err
	}
	c, err := wire.CitizenFromWire(w)
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// Summary reads a search result from a stored citizen, without the
// validation of the whole record: a search lists what it finds.
func Summary(data []byte) (app.CitizenSummary, error) {
	var w wire.Citizen
	if err := app.DecodeJSON(data, &w); err != nil {
		return app.CitizenSummary{}, err
	}
	bd, _ := app.ParseDate(w.BirthDate)
	return app.CitizenSummary{CodiceFiscale: w.CodiceFiscale, Surname: w.Surname, GivenName: w.GivenName,
		BirthDate: bd, Comune: w.Comune, Status: app.Status(w.Status)}, nil
}

// Operator is an operator account's stored form.
func Operator(o *app.Operator) string {
	b, _ := json.Marshal(wire.OperatorToWire(o))
	return string(b)
}

// DecodeOperator reads and validates a stored operator account.
func DecodeOperator(data []byte) (*app.Operator, error) {
	var w wire.Operator
	if err := app.DecodeJSON(data, &w); err != nil {
		return nil, err
	}
	o, err := wire.OperatorFromWire(w)
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// KeyCert is a key certificate's stored form.
func KeyCert(c app.KeyCert) string {
	b, _ := json.Marshal(wire.KeyCertToWire(c))
	return string(b)
}

// DecodeKeyCert reads a stored key certificate.
func DecodeKeyCert(data []byte) (app.KeyCert, error) {
	var w wire.KeyCert
	if err := app.DecodeJSON(data, &w); err != nil {
		return app.KeyCert{}, err
	}
	return wire.KeyCertFromWire(w)
}

// Change is a change-log entry's stored form; c.Scope is the log's and is
// left out.
func Change(c app.Change) (string, error) {
	w := wire.Change{Seq: c.Seq, Kind: c.Kind, Key: c.Key, Deleted: c.Deleted, At: app.FormatInstant(c.At)}
	if c.Citizen != nil {
		cw := wire.CitizenToWire(c.Citizen)
		w.Citizen = &cw
	}
	if c.Operator != nil {
		ow := wire.OperatorToWire(c.Operator)
		w.Operator = &ow
	}
	if c.Reference != nil {
		w.Reference = wire.ReferenceToWire(c.Reference)
	}
	if c.Device != nil {
		dw := wire.DeviceKeyToWire(c.Device)
		w.Device = &dw
	}
	if c.Record != nil {
		w.Record = wire.RecordToWire(*c.Record).Record
	}
	b, err := json.Marshal(w)
	if err != nil {
		return "", fmt.Errorf("encode change %s/%s: %w", c.Kind, c.Key, err)
	}
	return string(b), nil
}

// ChangeSeq reads the number of a stored change.
func ChangeSeq(data []byte) (int64, error) {
	var w struct {
		Seq int64 `json:"seq"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return 0, fmt.Errorf("decode change: %w", err)
	}
	return w.Seq, nil
}

// OpResult is the stored form of an applied operation's result, which a
// repeated operation gets back.
func OpResult(r app.OpResult) string {
	b, _ := json.Marshal(wire.OpResult{ID: r.ID, Applied: r.Applied, Code: r.Code, Message: r.Message, Flag: r.Flag, Data: json.RawMessage(r.Data)})
	return string(b)
}

// DecodeOpResult reads a stored operation result.
func DecodeOpResult(data []byte) (app.OpResult, error) {
	var w wire.OpResult
	if err := app.DecodeJSON(data, &w); err != nil {
		return app.OpResult{}, err
	}
	return app.OpResult{ID: w.ID, Applied: w.Applied, Duplicate: w.Duplicate, Code: w.Code, Message: w.Message, Flag: w.Flag, Data: []byte(w.Data)}, nil
}

// ClosingV2 is a day's closing in protocol 2's spelling: a day closed
// before the upgrade was signed in it, and its signature is checked
// against it.
func ClosingV2(data []byte) ([]byte, error) {
	return wire.DowngradeV2(wire.V2Data(payment.FactClosing), data)
}
