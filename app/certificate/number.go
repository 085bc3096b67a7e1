package certificate

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/sportello/sportello/app"
)

// Number identifies a certificate across the network without anyone
// handing numbers out: the issuing workstation's comune and name, the year,
// and the workstation's own sequence for that year. Two workstations never
// share a (Comune, Device) pair, so two certificates never share a number,
// online or offline.
type Number struct {
	Comune string // Belfiore code of the issuing workstation's comune: "I690"
	Device string // the workstation within it: "W001"
	Year   int
	Seq    int64 // from 1, per workstation and year
}

// NewNumber builds the number for a workstation by its network name
// ("I690-W001", see app.DeviceSubject).
func NewNumber(deviceID string, year int, seq int64) (Number, error) {
	comune, device, ok := strings.Cut(deviceID, "-")
	if !ok {
		return Number{}, app.Errorf(app.EINVALID, "nome della postazione non valido %q", deviceID)
	}
	n := Number{Comune: comune, Device: device, Year: year, Seq: seq}
	return n, n.Validate()
}

// DeviceID is the workstation's name in the network: "I690-W001".
func (n Number) DeviceID() string { return n.Comune + "-" + n.Device }

// String is the number as printed: "I690-W001-2026-000123".
func (n Number) String() string {
	return fmt.Sprintf("%s-%s-%04d-%06d", n.Comune, n.Device, n.Year, n.Seq)
}

// Validate checks each part: a Belfiore code of a comune, a workstation
// name of a capital letter and up to seven capitals or digits, a four-digit
// year, a positive sequence.
func (n Number) Validate() error {
	switch {
	case !app.ValidBelfiore(n.Comune) || n.Comune[0] == 'Z':
		return app.Errorf(app.EINVALID, "numero di certificato: codice del comune non valido %q", n.Comune)
	case !validDevice(n.Device):
		return app.Errorf(app.EINVALID, "numero di certificato: postazione non valida %q", n.Device)
	case n.Year < 2000 || n.Year > 9999:
		return app.Errorf(app.EINVALID, "numero di certificato: anno non valido %d", n.Year)
	case n.Seq < 1 || n.Seq > maxSeq:
		return app.Errorf(app.EINVALID, "numero di certificato: progressivo non valido %d", n.Seq)
	}
	return nil
}

// maxSeq keeps a printed number short; no workstation issues a billion
// certificates a year.
const maxSeq = 999_999_999

func validDevice(s string) bool {
	if len(s) < 1 || len(s) > 8 || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if (s[i] < 'A' || s[i] > 'Z') && (s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	return true
}

// ParseNumber reads a number as String prints it, and only so: a number
// has one spelling, so that a lookup by number never misses.
func ParseNumber(s string) (Number, error) {
	bad := app.Errorf(app.EINVALID, "numero di certificato non valido %q: atteso come I690-W001-2026-000123", s)
	parts := strings.Split(s, "-")
	if len(parts) != 4 || len(parts[2]) != 4 || len(parts[3]) < 6 {
		return Number{}, bad
	}
	year, err := strconv.Atoi(parts[2])
	if err != nil || !digits(parts[2]) {
		return Number{}, bad
	}
	seq, err := strconv.ParseInt(parts[3], 10, 64)
	if err != nil || !digits(parts[3]) {
		return Number{}, bad
	}
	n := Number{Comune: parts[0], Device: parts[1], Year: year, Seq: seq}
	if err := n.Validate(); err != nil {
		return Number{}, err
	}
	if n.String() != s { // leading zeros beyond the six-digit padding
		return Number{}, bad
	}
	return n, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
