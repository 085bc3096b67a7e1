package app

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/sportello/sportello/app/anpr"
)

// ScopeNetwork is the change-log scope of what every comune receives: the
// reference tables and the network's public keys. Every other scope is a
// comune's Belfiore code.
const ScopeNetwork = "*"

// Change kinds of the hub's change log.
const (
	ChangeCitizen   = "citizen"
	ChangeOperator  = "operator"
	ChangeReference = "reference"
	ChangeDevice    = "device" // a device's key certificate or its revocation
)

// Record is a record the hub owns beyond the anagrafe and its operators:
// a service of the catalogue, a request's state, a payment position, a
// notice of the albo. The change log carries it whole (Change.Record), the
// initial download too, and the workstation keeps it as it came; the
// package of its kind reads Data. Kinds other than the Change* ones above
// are records.
type Record struct {
	Kind    string
	Key     string // unique within the kind
	Subject string // the codice fiscale it concerns, "" for none: the citizen file finds it by it
	Data    []byte // JSON, the kind's own
}

// Validate checks the envelope; the kind's package checks Data.
func (r *Record) Validate() error {
	switch {
	case r.Kind == "" || len(r.Kind) > 40 || strings.ContainsAny(r.Kind, "/~ "):
		return Errorf(EINVALID, "record di tipo non valido %q", r.Kind)
	case r.Key == "" || len(r.Key) > 200:
		return Errorf(EINVALID, "record %s senza chiave", r.Kind)
	case len(r.Subject) > 16:
		return Errorf(EINVALID, "record %s/%s: soggetto non valido", r.Kind, r.Key)
	case !json.Valid(r.Data):
		return Errorf(EINVALID, "record %s/%s: dati non validi", r.Kind, r.Key)
	}
	return nil
}

// Change is one entry of the hub's change log. Seq is monotonic within its
// scope: clients order by it, never by clocks. An entry carries the whole
// new state of its record, so applying it twice is harmless.
type Change struct {
	Scope     string
	Seq       int64
	Kind      string
	Key       string
	Deleted   bool
	At        time.Time // hub time, for display only
	Citizen   *Citizen
	Operator  *Operator
	Reference *anpr.Tables
	Device    *DeviceKey
	Record    *Record // for the kinds of records; nil when Deleted
}

// DeviceKey is a workstation's public key as the network knows it: its
// certificate from the comune's key (trust.go), and its revocation.
type DeviceKey struct {
	Device    string
	Comune    string
	Cert      KeyCert
	RevokedAt time.Time
}

// Operation kinds a workstation pushes through its outbox.
const (
	OpAudit       = "audit"
	OpCertificate = "certificate"
)

// CertificateFact is an issued certificate as it travels to the hub: who
// issued what for whom, the data it came from, and its stamp, which the hub
// verifies before it records the certificate.
type CertificateFact struct {
	Number        string // as printed: "I690-W001-2026-000123"
	Type          string // slug
	CodiceFiscale string
	Comune        string // Belfiore code of the comune in whose name it was issued
	IssuedAt      time.Time
	AsOf          time.Time
	DataSeq       int64 // change-log position of the data in the cache; 0: the hub's own data
	Offline       bool
	Operator      string
	Stamp         string // the QR code's text
}

// Validate checks the shape; the hub checks the rest against the stamp.
func (c *CertificateFact) Validate() error {
	switch {
	case c.Number == "" || len(c.Number) > 40:
		return Errorf(EINVALID, "certificato senza numero")
	case c.Type == "" || len(c.Type) > 60:
		return Errorf(EINVALID, "certificato %s senza tipo", c.Number)
	case len(c.CodiceFiscale) != 16 || !ValidBelfiore(c.Comune):
		return Errorf(EINVALID, "certificato %s: persona o comune non validi", c.Number)
	case c.IssuedAt.IsZero() || c.AsOf.IsZero() || c.AsOf.After(c.IssuedAt):
		return Errorf(EINVALID, "certificato %s: date non valide", c.Number)
	case c.DataSeq < 0:
		return Errorf(EINVALID, "certificato %s: posizione dei dati non valida", c.Number)
	case c.Stamp == "" || len(c.Stamp) > 8192:
		return Errorf(EINVALID, "certificato %s senza contrassegno", c.Number)
	}
	return nil
}

// OpState is where an operation stands in the outbox.
type OpState string

// The outbox states. A parked operation was refused by the hub (4xx) and
// waits for a person; it never blocks the ones behind it.
const (
	OpPending OpState = "pending"
	OpDone    OpState = "done"
	OpParked  OpState = "parked"
	// OpDiscarded is a parked operation a person decided never to send,
	// with the reason; the decision is in the audit trail.
	OpDiscarded OpState = "discarded"
)

// Operation is a fact created at the workstation on its way to the hub. The
// fact and its outbox row are written in one transaction; ID and Seq make
// the hub apply it exactly once.
type Operation struct {
	ID          string // UUID
	Device      string
	Seq         int64 // per device
	Kind        string
	CreatedAt   time.Time
	Attempts    int
	State       OpState
	Reason      string // why it was parked, for a person to read
	LastError   string // why the last attempt to send it failed
	Audit       *AuditEvent
	Certificate *CertificateFact
	// Data is the fact of the other kinds, as JSON of the kind's package
	// (a request, a payment, a queue event).
	Data []byte
	// Proof is the operator's signature on a privileged operation
	// (Privileged); nil on the others.
	Proof *OperatorProof
	// Prior is the hub's answer to the operation before the hub was
	// restored from an older backup: sent again with it, so that the hub
	// keeps a request's protocol number where it can.
	Prior []byte
}

// OpResult is the hub's answer to one operation. A repeated operation gets
// the stored answer back with Duplicate set.
type OpResult struct {
	ID        string
	Applied   bool
	Duplicate bool
	Code      string // error code when refused
	Message   string
	// Flag is the hub's word on an applied certificate whose record had
	// changed after the data it was issued from: the operator must check it.
	Flag string
	// Data is the hub's answer to a fact of the other kinds, as JSON of the
	// kind's package (the definitive protocol number of a request).
	Data []byte
}

// SyncStatus is what the status bar shows, always.
type SyncStatus struct {
	Online   bool
	LastSync time.Time // last successful round
	Pending  int       // operations not yet accepted by the hub
	Parked   int       // operations refused, waiting for a person
	Progress float64   // 0..1 during the initial download, -1 otherwise
	// Done and Total count the rows of the initial download in progress.
	Done, Total int
	Phase       string // what the engine is doing, in Italian; "" when idle
	LastError   string
	ClockSkew   time.Duration // workstation clock minus hub clock
	// HubRestored is when the engine found the hub restored from an older
	// backup, and Resent how many confirmed operations it sent again.
	HubRestored time.Time
	Resent      int
	// Suspended tells that the hub, restored from a backup, holds its
	// numbering until every workstation of the comune has sent back its
	// work: new requests keep their provisional numbers meanwhile, as when
	// offline. Not an error; it clears at the first round numbered again.
	Suspended bool
	// KioskLocked names the kiosk of the comune that locked after wrong
	// attempts most recently within the last day (KioskLockedAt), for the
	// supervisor; "" when none did.
	KioskLocked   string
	KioskLockedAt time.Time
}

// Profile is the identity of an enrolled workstation.
type Profile struct {
	Device     string
	Comune     string
	ComuneName string
	HubURL     string
	// HubPin is the fingerprint of the hub's TLS key (internal/hubpin)
	// that the enrolment code carried; every connection is checked
	// against it. Empty: the machine's roots (a hub enrolled without one).
	HubPin     string
	Token      string // bearer secret for the hub; never leaves the workstation otherwise
	PrivateKey []byte // Ed25519 seed+key
	PublicKey  []byte
	Cert       []byte // signature of DeviceCert (kept for profiles enrolled before DeviceCert)
	RootKey    []byte // the network's root public key
	// DeviceCert certifies PublicKey for Device, issued by the comune;
	// ComuneCert the comune's key, issued by the root. The stamps of the
	// certificates the workstation issues carry both.
	DeviceCert KeyCert
	ComuneCert KeyCert
	// RefusedAt is when the hub refused the workstation's token (revoked,
	// or unknown to it), zero while it accepts it; RefusedWhy is its word.
	RefusedAt  time.Time
	RefusedWhy string
	EnrolledAt time.Time
}

// Cursor is how far a workstation has read a scope of the change log.
type Cursor struct {
	Scope string
	Seq   int64
	AsOf  time.Time // when the hub served it: "dati aggiornati al"
}

// SnapshotState records an initial download in progress, so that it
// resumes where it stopped.
type SnapshotState struct {
	Scope   string
	Seq     int64  // the change-log position the snapshot was taken at
	After   string // last key received
	Done    int
	Total   int
	Started time.Time
}

// HubMark is the hub's high-water mark for this workstation, carried by
// every push and changes answer.
type HubMark struct {
	// Epoch names the copy of the hub's database that answered: a hub
	// restored from a backup has a new one.
	Epoch string
	// Seq is the highest operation number of the workstation the hub
	// applied; Applied how many of its operations it applied.
	Seq, Applied int64
	// BackedUp is Seq in the hub's newest sound backup, -1 when none is
	// known: operations up to it survive a restore from that backup.
	BackedUp int64
	// Confirmed, in the workstation's own mark only (LocalMark), is the
	// highest seq that any copy of the hub confirmed, the operations
	// being sent again after a restore included: a restored hub waits
	// until it holds that much (its recovery) before numbering anew.
	Confirmed int64
}

// Reconciliation is what the workstation did about a hub mark.
type Reconciliation struct {
	// Restored tells that the hub is older than what it had confirmed (a
	// restore from a backup): Resent operations it had confirmed are in
	// line again, in their order, and the cursors start again.
	Restored bool
	Resent   int
	// Lacked is how many of the resent operations were confirmed by the
	// hub and are not in its mark (the rest were resent to be safe).
	Lacked int
	// Pruned tells that the hub lacks audit operations the workstation
	// removed from its outbox after a backup of the hub had confirmed
	// them: the hub was put back from an older copy than that backup, and
	// those audit events are missing from its chain (a gap it shows).
	Pruned bool
}

// SyncStore is the workstation's side of the sync contract.
//   - ApplyChanges writes a page of changes and the new cursor in one
//     transaction.
//   - PutSnapshotPage writes a page of the initial download (citizens, and
//     on the first page the comune's operators; then the scope's records)
//     and the snapshot state in one transaction; FinishSnapshot drops the
//     scope's citizens (those whose Comune is the scope) and records not
//     seen in it, sets the cursor to the
//     snapshot's Seq and clears the state. A download is identified by
//     its Seq.
//   - NextOps returns pending operations in Seq order, parked ones excluded.
type SyncStore interface {
	Profile(ctx context.Context) (*Profile, error) // ENOTFOUND before enrolment
	SaveProfile(ctx context.Context, p *Profile) error
	Cursor(ctx context.Context, scope string) (Cursor, error)
	ApplyChanges(ctx context.Context, scope string, changes []Change, to Cursor) error
	Snapshot(ctx context.Context, scope string) (*SnapshotState, error) // nil when none runs
	PutSnapshotPage(ctx context.Context, st SnapshotState, citizens []Citizen, operators []Operator, records []Record) error
	FinishSnapshot(ctx context.Context, st SnapshotState, asOf time.Time) error
	NextOps(ctx context.Context, limit int) ([]Operation, error)
	MarkOp(ctx context.Context, id string, res OpResult, at time.Time) error
	// MarkOps records the answers to a push, each as MarkOp, all or none.
	MarkOps(ctx context.Context, results []OpResult, at time.Time) error
	// PruneConfirmed removes the audit operations the hub confirmed and
	// backed up long enough ago, returning how many.
	PruneConfirmed(ctx context.Context, now time.Time) (int, error)
	RetryOp(ctx context.Context, id string, reason string) error
	OutboxCounts(ctx context.Context) (pending, parked int, err error)
	ParkedOps(ctx context.Context) ([]Operation, error)
	// Reconcile compares the hub's mark with the operations the hub
	// confirmed; when the hub lacks some, it puts them back in line.
	Reconcile(ctx context.Context, m HubMark, at time.Time) (Reconciliation, error)
	// LocalMark is the hub's epoch last seen and the highest seq and the
	// number of the operations the hub confirmed.
	LocalMark(ctx context.Context) (HubMark, error)
	// RestartCursor reads scope again from the start of its change log;
	// SweepRestarted, once it was read to its end, drops the records it
	// no longer has.
	RestartCursor(ctx context.Context, scope string) error
	SweepRestarted(ctx context.Context, scope string) error
	// Setting and SetSetting keep a value of the engine's across
	// restarts (the clock's skew from the hub's); "" for none.
	Setting(ctx context.Context, key string) (string, error)
	SetSetting(ctx context.Context, key, value string) error
	// Records are the hub's records of a kind the workstation holds (the
	// engine reads the kiosks' alerts for the status).
	Records(ctx context.Context, kind, subject string) ([]Record, error)
}
