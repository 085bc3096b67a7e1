package hub

import (
	"encoding/json"
	"fmt"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/hub/storage"
	"github.com/sportello/sportello/sync/wire"
)

// The storage speaks domain types (package storage); these turn its pages
// into the sync protocol's, one function per type.

// changesToWire is a page of the change log on the wire. The stored
// changes are the wire's JSON already; they are decoded because a kiosk's
// view changes the citizens they carry (changesFor).
func changesToWire(p *storage.ChangesPage) (*wire.ChangesResponse, error) {
	res := &wire.ChangesResponse{Scope: p.Scope, Last: p.Last, More: p.More, AsOf: wire.FormatTime(p.AsOf),
		Changes: make([]wire.Change, len(p.Changes))}
	for i, raw := range p.Changes {
		if err := app.DecodeJSON(raw, &res.Changes[i]); err != nil {
			return nil, fmt.Errorf("decode change: %w", err)
		}
	}
	return res, nil
}

// snapshotToWire is a snapshot page on the wire without its citizens:
// they go as stored (rawSnapshot), or through snapshotCitizens for a view
// that changes them.
func snapshotToWire(p *storage.SnapshotPage) *wire.SnapshotResponse {
	res := &wire.SnapshotResponse{Scope: p.Scope, Seq: p.Seq, Total: p.Total, Citizens: []wire.Citizen{},
		After: p.After, Done: p.Done, AsOf: wire.FormatTime(p.AsOf)}
	for i := range p.Operators {
		res.Operators = append(res.Operators, wire.OperatorToWire(&p.Operators[i]))
	}
	for _, r := range p.Records {
		res.Records = append(res.Records, wire.RecordToWire(r))
	}
	return res
}

// snapshotCitizens decodes the stored citizens of a snapshot page.
func snapshotCitizens(p *storage.SnapshotPage) ([]wire.Citizen, error) {
	out := make([]wire.Citizen, len(p.Citizens))
	for i, raw := range p.Citizens {
		if err := app.DecodeJSON(raw, &out[i]); err != nil {
			return nil, fmt.Errorf("snapshot %s: decode citizen: %w", p.Scope, err)
		}
	}
	return out, nil
}

// keysToWire is the network's keys on the wire.
func keysToWire(k *storage.Keys) *wire.KeysResponse {
	res := &wire.KeysResponse{RootKey: wire.B64(k.Root)}
	for _, c := range k.Comuni {
		res.Comuni = append(res.Comuni, wire.KeyCertToWire(c))
	}
	for i := range k.Devices {
		res.Devices = append(res.Devices, wire.DeviceKeyToWire(&k.Devices[i]))
	}
	return res
}

// callFromWire is a counter's call for its next ticket.
func callFromWire(w wire.CallRequest) storage.Call {
	return storage.Call{RequestID: w.RequestID, Counter: w.Counter, Operator: w.Operator, Areas: w.Areas}
}

// rawSnapshot is a wire.SnapshotResponse whose citizens are the stored
// JSON: its Citizens field hides the embedded one of the same key.
type rawSnapshot struct {
	*wire.SnapshotResponse
	Citizens []json.RawMessage `json:"citizens"`
}
