package storage

import (
	"crypto/ed25519"
	"encoding/json"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/kiosk"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/app/queue"
	"github.com/sportello/sportello/app/request"
)

// DeviceRole is what an enrolled workstation is for; the hub serves each
// role only what its screens need.
type DeviceRole string

// The roles of a workstation. A counter serves citizens with an operator
// at the desk; a kiosk and a board stand in public, unattended.
const (
	RoleCounter DeviceRole = "counter"
	RoleKiosk   DeviceRole = "kiosk"
	RoleBoard   DeviceRole = "board"
)

// Valid reports whether r is one of the roles.
func (r DeviceRole) Valid() bool { return r == RoleCounter || r == RoleKiosk || r == RoleBoard }

// ParseDeviceRole reads a role as an administrator writes it, in Italian
// (sportello, chiosco, tabellone) or as stored.
func ParseDeviceRole(s string) (DeviceRole, error) {
	switch s {
	case "sportello", string(RoleCounter):
		return RoleCounter, nil
	case "chiosco", string(RoleKiosk):
		return RoleKiosk, nil
	case "tabellone", string(RoleBoard):
		return RoleBoard, nil
	}
	return "", app.Errorf(app.EINVALID, "ruolo della postazione non valido %q: sportello, chiosco o tabellone", s)
}

// CitizenRead is one read of another comune's citizen at the hub.
type CitizenRead struct {
	At            time.Time
	Device        string
	DeviceComune  string
	Operator      string // as the device named them: a claim, not a proof
	Subject       string // codice fiscale
	SubjectComune string
	Purpose       string
}

// Comune is a comune of the network as the hub holds it.
type Comune struct {
	Code string
	Name string
	Key  ed25519.PrivateKey
	Cert app.KeyCert
}

// Enrollment is what a newly enrolled workstation receives.
type Enrollment struct {
	Device     app.DeviceKey
	ComuneName string
	ComuneCert app.KeyCert
	RootKey    ed25519.PublicKey
	Token      string
}

// ErrCodeUsed is Enroll's answer to a code already redeemed: the handler
// then tries Reenroll, for a workstation whose first answer was lost.
var ErrCodeUsed = app.Errorf(app.EUNAUTHORIZED, "codice di attivazione già usato")

// Device is an enrolled workstation as authentication sees it.
type Device struct {
	ID      string
	Comune  string
	Role    DeviceRole
	Revoked bool
}

// ImportResult counts what an anagrafe import changed.
type ImportResult struct {
	Added, Updated, Deleted, Unchanged int
	Seq                                int64 // the scope's last change after the import
}

// AwaitedDevice is a device a comune in recovery waits for.
type AwaitedDevice struct {
	Comune, Device, Name string
	Role                 DeviceRole
	Since                time.Time // the restore
	// LastSeen is its last exchange with the hub since the restore, or
	// else its last operation the restored hub holds; zero when neither.
	LastSeen time.Time
}

// RecoveryEvent is a line of the recovery log.
type RecoveryEvent struct {
	At                   time.Time
	Comune, Device       string
	Event, Actor, Reason string
}

// CatalogueResult counts what ReplaceCatalogue changed.
type CatalogueResult struct {
	Added, Updated, Withdrawn, Unchanged int
}

// HubPayment is a payment as the hub recorded it.
type HubPayment struct {
	Receipt     string
	PositionID  string
	AmountCents int64
	Channel     string
	Device      string
	DuplicateOf string
}

// OnlinePayment is a payment the pagoPA node reported.
type OnlinePayment struct {
	Position   payment.Position
	Instalment int // the rata the avviso pays; 0 for the rata unica
	Receipt    string
	Answer     payment.PaymentAnswer
}

// IssuedCertificate is a certificate as the hub recorded it.
type IssuedCertificate struct {
	Number     string
	Device     string
	ReceivedAt time.Time
	Flag       string
	Stamp      string
	// Mismatch: the certified facts contradict the hub's anagrafe where
	// they could not have changed (FlagMismatch).
	Mismatch bool
}

// FlagMismatch is the flag of a certificate whose certified facts the
// hub's anagrafe contradicts.
const FlagMismatch = "Cognome, nome o data di nascita del certificato non corrispondono all'anagrafe dell'hub per questo codice fiscale: il certificato non è valido; verificare la postazione che lo ha rilasciato."

// Mark is what the hub holds of one device's operations, sent with every
// push and changes answer so that the workstation can tell a hub restored
// from an older copy and send again what it lacks.
type Mark struct {
	// Epoch names this copy of the hub's database: a restore draws a new
	// one.
	Epoch string
	// Seq is the highest operation number of the device the hub applied,
	// Applied how many of its operations it applied.
	Seq, Applied int64
	// BackedUp is Seq in the newest backup known to be sound, -1 when no
	// backup is known.
	BackedUp int64
}

// NoticeState is a notice with its delivery state, for the operator.
type NoticeState struct {
	request.Notice
	State     string
	LastError string
	SentAt    string
}

// View is what of a comune's change log and snapshot a device receives:
// a kiosk or a board holds only what its screens need, so that its disk,
// read by whoever takes it from a public hall, yields no more.
type View struct {
	NoOperators bool     // the operators' accounts and password hashes
	NoCitizens  bool     // the anagrafe
	Records     []string // the record kinds served; nil: every kind but NoRecords
	NoRecords   []string // record kinds never served
}

// ViewOf is the view of a device's role. A counter holds its comune. A
// kiosk serves the citizen who identified at it: the anagrafe (its second
// factor), positions, requests, appointments, the albo; never the
// operators' accounts, nor refunds. A board shows the queue: its areas and
// its state, nothing of any person.
func ViewOf(role DeviceRole) View {
	switch role {
	case RoleKiosk:
		return View{NoOperators: true, NoRecords: []string{payment.KindRefund, kiosk.KindAlert}}
	case RoleBoard:
		return View{NoOperators: true, NoCitizens: true, Records: queue.BoardKinds}
	}
	return View{}
}

// ChangesPage is a page of a scope's change log after a cursor.
type ChangesPage struct {
	Scope string
	// Changes are the entries in seq order, each as stored: the JSON of
	// the sync protocol's change (wire.Change), which is the stored form
	// by design (package stored), so that the hub hands them on without
	// another conversion.
	Changes []json.RawMessage
	Last    int64 // the scope's newest seq when the page was read
	More    bool  // changes after the page's last one
	AsOf    time.Time
}

// SnapshotPage is a page of a comune's initial download: its citizens in
// codice fiscale order, then its records in (kind, key) order.
type SnapshotPage struct {
	Scope string
	Seq   int64 // the change-log position to pull from afterwards
	Total int   // citizens and records in the whole snapshot, on the first page
	// Citizens are the page's citizens as stored: the sync protocol's
	// JSON (wire.Citizen), the stored form by design, which the hub copies
	// into its answer without decoding and encoding each again (a Milano
	// download is 1.5 million of them).
	Citizens  []json.RawMessage
	Operators []app.Operator // the comune's operator accounts, on the first page only
	Records   []app.Record
	After     string // the key to ask the next page after
	Done      bool
	AsOf      time.Time
}

// Keys are the network's public keys, for verifiers: the root key, each
// comune's certificate from it and each device's certificate from its
// comune, with its revocation.
type Keys struct {
	Root    ed25519.PublicKey
	Comuni  []app.KeyCert
	Devices []app.DeviceKey
}

// Call asks for the next ticket at a counter. RequestID makes a repeated
// call the same call.
type Call struct {
	RequestID string
	Counter   string
	Operator  string
	Areas     []string // the areas the counter serves; nil: all
}
