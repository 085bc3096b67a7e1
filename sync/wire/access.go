package wire

import (
	"time"

	"github.com/sportello/sportello/app"
)

// AccessRequest asks the hub for the accesses to a citizen of the device's
// comune (POST /v1/accesses), signed by a supervisor
// (app.AccessExportMessage).
type AccessRequest struct {
	CodiceFiscale string `json:"codice_fiscale"`
	Operator      string `json:"operator"`
	At            string `json:"at"`
	Signature     string `json:"signature"` // base64
}

// Access is one access to a citizen on the wire; `sportello-hub audit
// --json` prints the same keys.
type Access struct {
	At           string `json:"at"` // RFC 3339, UTC
	Device       string `json:"device"`
	DeviceComune string `json:"device_comune"`
	Operator     string `json:"operator"`
	Action       string `json:"action"`
	Subject      string `json:"subject"`
	Purpose      string `json:"purpose"`
	Source       string `json:"source"` // device: a workstation's audit chain; hub: the hub's own record
}

// AccessesResponse is the hub's answer to an AccessRequest.
type AccessesResponse struct {
	Accesses []Access `json:"accesses"`
}

// AccessToWire converts an access for the wire.
func AccessToWire(a app.Access) Access {
	return Access{At: a.At.UTC().Format(time.RFC3339Nano), Device: a.Device, DeviceComune: a.DeviceComune, Operator: a.Operator,
		Action: a.Action, Subject: a.Subject, Purpose: a.Purpose, Source: a.Source}
}

// AccessFromWire converts an access from the wire.
func AccessFromWire(w Access) (app.Access, error) {
	at, err := parseTime(w.At)
	if err != nil {
		return app.Access{}, err
	}
	return app.Access{At: at, Device: w.Device, DeviceComune: w.DeviceComune, Operator: w.Operator, Action: w.Action,
		Subject: w.Subject, Purpose: w.Purpose, Source: w.Source}, nil
}
