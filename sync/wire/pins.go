package wire

// PinsResponse is the hub's announcement of the TLS keys its workstations
// accept (GET /v1/pins): their pins, the one in force first, signed by the
// network's root key over hubpin.AnnouncementMessage(pins, at).
type PinsResponse struct {
	Pins      []string `json:"pins"`
	At        string   `json:"at"`
	Signature string   `json:"signature"`
}
