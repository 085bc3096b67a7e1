package hubpin

import (
	"strings"
	"time"
)

// Changing the hub's certificate. The hub announces, over the channel its
// workstations already trust, every pin they must accept, the one in force
// first, signed by the network's root key (which the workstations received
// at enrolment, over that same channel); each workstation keeps the list in
// its profile and accepts any of them. The hub then changes its
// certificate, and once every workstation has synced with the new one the
// administrator announces the new pin alone.

// MaxPins bounds an announcement: the key in force and the next, with room
// for a changeover that is itself changed.
const MaxPins = 4

// List reads a profile's pins: the pins joined by commas ("" none).
func List(pins string) []string {
	var out []string
	for _, p := range strings.Split(pins, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Valid tells whether s reads as a pin.
func Valid(s string) bool {
	if len(s) != PinLen {
		return false
	}
	_, err := enc.DecodeString(s)
	return err == nil
}

// AnnouncementMessage is what the network's root key signs to announce the
// pins of the hub's keys at time at.
func AnnouncementMessage(pins []string, at time.Time) []byte {
	return []byte("sportello hub pins 1\x00" + strings.Join(pins, ",") + "\x00" + at.UTC().Format(time.RFC3339))
}
