// Package storage is what the hub keeps, as the hub's HTTP server and its
// workers use it: one small interface per capability (devices, the
// anagrafe, the change log, operations, requests, payments, the queue…),
// composed into Store, and the domain types they speak. The one
// implementation, package sqlstore, runs the same SQL on SQLite and on
// PostgreSQL. The wire format stays in package wire: the hub converts at
// its boundary (package hub), and the JSON the storage keeps is in
// package stored.
package storage

import (
	"context"
	"crypto/ed25519"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/app/kiosk"
	"github.com/sportello/sportello/app/pagopa"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/app/queue"
	"github.com/sportello/sportello/app/request"
)

// Store is the whole of the hub's storage that the server uses. The
// administration of the database itself (opening, migrating, backing up)
// is its implementation's, sqlstore.DB's, which the command line holds.
type Store interface {
	Network
	Devices
	Operators
	Citizens
	ChangeLog
	Records
	Ops
	Recovery
	Services
	Requests
	Notices
	Payments
	Queue
	Appointments
	Albo
	Certificates
	Access
}

// Network is the network itself: its root key, its comuni with their keys,
// the published keys verifiers check signatures against, and the ANPR
// reference tables every workstation holds.
type Network interface {
	// RootKey returns the network's root key, creating it on first use.
	RootKey(ctx context.Context) (ed25519.PrivateKey, error)

	// RootPublicKey returns the network's root public key, with which anyone
	// verifies a stamp. Unlike RootKey it reads without taking the writer's
	// lock, once the key exists: the verification page is public, and its
	// traffic must not queue the workstations' sync behind it.
	RootPublicKey(ctx context.Context) (ed25519.PublicKey, error)

	// EnsureComune adds a comune to the network with its own key, certified by
	// the root key; an existing comune is left as it is.
	EnsureComune(ctx context.Context, code, name string) error

	// Comune returns a comune; ENOTFOUND if it is not in the network.
	Comune(ctx context.Context, code string) (*Comune, error)

	// Comuni lists the comuni of the network.
	Comuni(ctx context.Context) ([]Comune, error)

	// Keys publishes the network's keys for verifiers.
	Keys(ctx context.Context) (*Keys, error)

	// ImportReference replaces the reference tables and publishes them to the
	// whole network in one change.
	ImportReference(ctx context.Context, t *anpr.Tables) error

	// Reference returns the reference tables, the full ones built into the
	// binary before any import.
	Reference(ctx context.Context) (*anpr.Tables, error)
}

// Devices is the enrolment and authentication of workstations: one-time
// codes, bearer tokens, revocation, and the mark of what the hub holds of
// each device's operations.
type Devices interface {
	// NewEnrollCode returns a one-time enrolment code for a workstation of the
	// comune, valid for ttl. Only its hash is stored.
	NewEnrollCode(ctx context.Context, comuneCode string, ttl time.Duration) (string, error)

	// NewEnrollCodeFor is NewEnrollCode for a workstation of the given role:
	// the role is the administrator's word, fixed at the hub, never the
	// workstation's.
	NewEnrollCodeFor(ctx context.Context, comuneCode string, role DeviceRole, ttl time.Duration) (string, error)

	// Enroll redeems a one-time code: the workstation's key is certified by its
	// comune's key and a bearer token is issued. The code cannot be used again.
	// EUNAUTHORIZED for an unknown, used or expired code.
	Enroll(ctx context.Context, code, name string, pub ed25519.PublicKey) (*Enrollment, error)

	// Reenroll answers an enrolment repeated with a used code: when the code
	// has not expired and was redeemed by a workstation with the key pub (the
	// caller has checked that the requester holds it), that workstation's
	// enrolment is returned again, with a new token that replaces the old one
	// (only its hash was kept, and the old one never reached the workstation).
	// Otherwise EUNAUTHORIZED, as for any used code: another key is refused.
	Reenroll(ctx context.Context, code string, pub ed25519.PublicKey) (*Enrollment, error)

	// DeviceByToken authenticates a bearer token: EUNAUTHORIZED when unknown or
	// revoked.
	DeviceByToken(ctx context.Context, token string) (*Device, error)

	// RevokeDevice revokes a workstation: its token stops working at once and
	// the revocation of its key reaches every verifier through the network
	// scope of the change log.
	RevokeDevice(ctx context.Context, device string) error

	// DeviceRevokedAt returns when a workstation was revoked, for the
	// verification of the stamps it signed; false when it is not revoked, or
	// not enrolled at this hub (its chain, which the stamp carries, is then all
	// a verifier knows of it).
	DeviceRevokedAt(ctx context.Context, device string) (time.Time, bool, error)

	// DeviceMark returns the hub's mark for device: one row by key, cheap
	// enough for every answer.
	DeviceMark(ctx context.Context, device string) (Mark, error)
}

// Operators is the operator accounts of the comuni.
type Operators interface {
	// PutOperator creates or updates an operator account; the change reaches
	// the comune's workstations.
	PutOperator(ctx context.Context, op app.Operator) error

	// OperatorComune returns the comune of an operator account; ENOTFOUND when
	// there is none.
	OperatorComune(ctx context.Context, username string) (string, error)
}

// Citizens is the network's anagrafe: imports, searches and reads.
type Citizens interface {
	// ReplaceAnagrafe makes citizens the comune's whole anagrafe, in one
	// transaction: each difference from the current records becomes a change
	// workstations receive; a citizen missing from the new data is deleted.
	// Every record is validated first: nothing is stored if one is wrong.
	// ECONFLICT when a codice fiscale belongs to another comune's anagrafe.
	ReplaceAnagrafe(ctx context.Context, comuneCode string, citizens []app.Citizen) (ImportResult, error)

	// SeedCitizens replaces a comune's anagrafe with the citizens next yields,
	// without a change per citizen: the scope's horizon moves past them, so
	// every workstation of the comune takes a fresh snapshot. It is the fast
	// path for a first load (and the demo), where there is nothing to diff.
	SeedCitizens(ctx context.Context, comuneCode string, each func(yield func(app.Citizen) error) error) (int, error)

	// Citizen returns a citizen of the network; ENOTFOUND when unknown.
	Citizen(ctx context.Context, codiceFiscale string) (*app.Citizen, error)

	// Family returns the members of a comune's family sheet, head first. Family
	// ids are the comune's own numbering (family "1" exists in every comune),
	// so the comune is part of the key.
	Family(ctx context.Context, comuneCode, familyID string) ([]app.Citizen, error)

	// SearchCitizens searches a comune's anagrafe by prefixes of codice fiscale
	// or names. Walking prefixes reads a whole anagrafe, so the hub offers it
	// only within the device's own comune; other comuni go by CitizensByKey and
	// Citizen.
	SearchCitizens(ctx context.Context, comuneCode string, q app.Query, limit int) ([]app.CitizenSummary, error)

	// CitizensByKey finds the citizens of the whole network with exactly this
	// surname, given name (NameKey-folded) and birth date: the key an operator
	// has in hand for a citizen of another comune. No prefixes.
	CitizensByKey(ctx context.Context, surnameKey, givenKey string, born time.Time, limit int) ([]app.CitizenSummary, error)

	// CountCitizens counts a comune's citizens ("" for the whole network).
	CountCitizens(ctx context.Context, comuneCode string) (int, error)

	// ComuneCitizens returns up to limit citizens of comune, family by family
	// (each family's members by birth date): what the demo picks its
	// applicants from, the same on every run.
	ComuneCitizens(ctx context.Context, comune string, limit int) ([]app.Citizen, error)
}

// ChangeLog is what workstations download: each scope's numbered changes and
// a comune's snapshot for a first download.
type ChangeLog interface {
	// Changes returns up to limit changes of scope after the cursor.
	// ERESNAPSHOT when the changes after the cursor are no longer all kept.
	Changes(ctx context.Context, scope string, after int64, limit int) (*ChangesPage, error)

	// ChangesFor is Changes as a device of view v receives them: the changes it
	// may not hold are left out (the cursor moves past them all the same).
	ChangesFor(ctx context.Context, v View, scope string, after int64, limit int) (*ChangesPage, error)

	// Snapshot returns a page of a comune's initial download: its citizens in
	// codice fiscale order after the key, and on the first page its operators,
	// the change-log position to continue from, and the total for the progress
	// bar.
	Snapshot(ctx context.Context, scope, after string, limit int) (*SnapshotPage, error)

	// SnapshotFor is Snapshot as a device of view v receives it. The citizens
	// come as stored, not decoded: the download's pages are the
	// hub's largest answers, and decoding each citizen only to encode it again
	// was a third of the hub's work on a Milano download.
	SnapshotFor(ctx context.Context, v View, scope, after string, limit int) (*SnapshotPage, error)

	// Compact drops the comune's citizen changes up to seq: a workstation whose
	// cursor is below it must take a new snapshot. The horizon never passes the
	// log's end, or a fresh snapshot's position would be below it too and the
	// workstations would download again at every round.
	Compact(ctx context.Context, scope string, upTo int64) error
}

// Records is the records of other kinds than citizens that the change log
// carries to a scope's workstations (positions, requests, tickets…).
type Records interface {
	// PutRecords writes records of a scope (a comune's code, or app.ScopeNetwork)
	// and their changes in one transaction: every workstation of the scope
	// receives them at its next pull. A record equal to the stored one is not
	// written again.
	PutRecords(ctx context.Context, scope string, recs []app.Record) error

	// DeleteRecord removes a record and tells the scope's workstations.
	DeleteRecord(ctx context.Context, scope, kind, key string) error

	// Record returns one record; ENOTFOUND when there is none.
	Record(ctx context.Context, scope, kind, key string) (*app.Record, error)

	// Records lists the records of a kind in a scope, by key; subject, when
	// not "", keeps those of one person.
	Records(ctx context.Context, scope, kind, subject string) ([]app.Record, error)
}

// Ops is the operations workstations push from their outbox, applied exactly
// once, and the audit chains they carry.
type Ops interface {
	// ApplyOp applies one outbox operation of a device exactly once: the
	// operation's id is recorded in the transaction that applies it, and a
	// repeated one gets its stored result back. A refusal is not recorded, so
	// the operation can be sent again once a person has resolved its cause.
	ApplyOp(ctx context.Context, dev *Device, op app.Operation) app.OpResult

	// ApplyOps applies a device's operations in their order, as ApplyOp each,
	// in one transaction: one commit, one fsync, for a push of hundreds. The
	// first operation that fails stops the batch: it is undone alone (a savepoint), its answer is the
	// last of the results, and nothing behind it is tried — a day's closing
	// never lands before a payment of that day the hub could not record.
	// When the commit fails nothing was applied, and every operation of the
	// batch is answered with that failure, the first first.
	//
	// On PostgreSQL a conflict with another hub process runs the whole batch
	// again; a batch that keeps conflicting is applied one operation at a
	// time, so that one operation's conflict is its own answer.
	ApplyOps(ctx context.Context, dev *Device, ops []app.Operation) []app.OpResult

	// AuditGaps returns the seqs missing from a device's audit chain at the
	// hub, below its newest event: events the workstation has not delivered
	// (parked, or discarded by a supervisor).
	AuditGaps(ctx context.Context, device string) ([]int64, error)

	// AuditCount counts a device's audit events at the hub.
	AuditCount(ctx context.Context, device string) (int, error)
}

// Recovery is a comune's recovery after the hub was restored from a backup:
// the devices it waits for to send back what the restore lost.
type Recovery interface {
	// Reconciled is called with every exchange of dev that names what the
	// device holds confirmed: epoch, the hub's epoch it knows, and confirmed,
	// the highest of its operations any copy of the hub confirmed to it (those
	// it is sending again included). dev has reconciled when it speaks of this
	// copy of the hub and the hub has applied all of that: its awaited row goes,
	// and ended names the comune that left recovery with it ("" otherwise).
	// It is the device's word about itself only: the device is the one the
	// token authenticated, and a claim on an older epoch (a replayed request)
	// counts for nothing.
	Reconciled(ctx context.Context, dev *Device, epoch string, confirmed int64) (ended string, err error)

	// ReleaseDevice stops awaiting device after a restore, on a person's
	// decision (actor, reason: both recorded in the recovery log): a device
	// that will not come back (stolen, broken, given up). What it had been
	// confirmed after the backup is then lost to the hub, and its numbers may
	// be given again: the person checks the comune's emergency register first.
	// ended is its comune if that left recovery. ENOTFOUND when the device is
	// not awaited.
	ReleaseDevice(ctx context.Context, device, actor, reason string) (ended string, err error)

	// Recovery lists the devices awaited by comune ("" for every comune), by
	// comune and device.
	Recovery(ctx context.Context, comune string) ([]AwaitedDevice, error)

	// RecoveryLog lists the recovery log of comune ("" for all), oldest first.
	RecoveryLog(ctx context.Context, comune string) ([]RecoveryEvent, error)
}

// Services is the catalogue of the services citizens may request, and the
// ones each comune offers.
type Services interface {
	// ImportCatalogue publishes services to the whole network (records of kind
	// request.KindService): every workstation receives them at its next pull.
	// A service equal to the published one is not published again.
	ImportCatalogue(ctx context.Context, services []request.Service) error

	// ReplaceCatalogue makes services the network's catalogue, in one
	// transaction: new and changed services are published, equal ones left as
	// they are, and services not among them withdrawn; each change reaches the
	// workstations through the change log like any record's. Nothing is written
	// when a service is invalid or repeated (EINVALID). A comune's list of
	// enabled services keeps a withdrawn id: the counter shows only services
	// of the catalogue, and the id is offered again if the service comes back.
	ReplaceCatalogue(ctx context.Context, services []request.Service) (CatalogueResult, error)

	// Catalogue returns the services of the network.
	Catalogue(ctx context.Context) ([]request.Service, error)

	// EnableServices sets the services a comune offers (ids of the catalogue);
	// its workstations show only those.
	EnableServices(ctx context.Context, comune string, ids []string) error

	// EnabledServices returns the services a comune offers; nil when it has
	// not chosen (all of them).
	EnabledServices(ctx context.Context, comune string) ([]string, error)
}

// Requests is the citizens' requests (pratiche) at the hub and their
// attachments.
type Requests interface {
	// SubmitWebRequest records a request a citizen made on the comune's public
	// page (request.ChannelWeb): the service must be one the comune enables,
	// the form passes the same checks as at a counter, and the request takes
	// its protocol number at once, in one transaction; nothing is stored for
	// a refused form. r carries ID, Comune, Service, CodiceFiscale,
	// ApplicantName, Values and FollowCode; the rest is set here.
	SubmitWebRequest(ctx context.Context, r *request.Request) error

	// SeedRequest records a request that already has a history (the demo's,
	// or one carried over from the comune's previous system): its form is
	// checked against the service and the hub's anagrafe as a submission is,
	// its steps are replayed through the same state rules, and it takes the
	// next protocol number of its comune in the year of its ProtocolAt. It
	// reaches the comune's workstations like any request; no notice is queued
	// for steps already past. r.History[0] is the reception; r.Status and
	// r.Version follow from the steps. A request already there is left as it
	// is.
	SeedRequest(ctx context.Context, r *request.Request) error

	// HasRequest reports whether the hub has the request with id.
	HasRequest(ctx context.Context, id string) bool

	// HubRequest returns a request of comune by id or protocol number.
	HubRequest(ctx context.Context, comune, idOrNumber string) (*request.Request, error)

	// HubRequests lists the requests of comune, newest first; status, when
	// not "", keeps those in that state.
	HubRequests(ctx context.Context, comune string, status request.Status) ([]request.Request, error)

	// FollowRequest returns a request by its id and follow code, for the
	// citizen's page; ENOTFOUND for any mismatch, without telling which.
	FollowRequest(ctx context.Context, id, code string) (*request.Request, error)

	// FollowURL is the address of the page where a citizen follows r, as its
	// notices carry it; "" while the hub's public address is unknown.
	FollowURL(r *request.Request) string

	// SetRequestStatus moves a request of comune, named by its protocol
	// number, from the hub's command line; the change reaches the comune's
	// workstations and the applicant like one from a workstation.
	SetRequestStatus(ctx context.Context, comune, number string, to request.Status, note, operator string) (*request.Request, error)

	// PutAttachment stores the content of a request's file, uploaded by a
	// workstation before the request. The content must hash to sum and be of a
	// type requests take (by its bytes); storing it again is harmless.
	PutAttachment(ctx context.Context, dev *Device, sum string, content []byte) error

	// Attachment returns a stored file's content and type; ENOTFOUND when the
	// hub does not have it.
	Attachment(ctx context.Context, sum string) ([]byte, string, error)
}

// Notices is the outbox of the notices request changes send to citizens
// (request.NoticeQueue, which the notifier drains) and its state for the
// operator.
type Notices interface {
	// ClaimNotices moves up to limit due notices to "sending", in one
	// transaction, and returns them. The claim holds for noticeLease (next_at
	// says until when): hub processes sharing one database never claim one
	// notice twice, and none takes another's live claim for a stopped one.
	ClaimNotices(ctx context.Context, now time.Time, limit int) ([]request.Notice, error)

	// NoticeSent marks a claimed notice sent.
	NoticeSent(ctx context.Context, id string, at time.Time) error

	// NoticeFailed records a failed attempt: back to the queue for retryAt, or
	// failed for good.
	NoticeFailed(ctx context.Context, id, reason string, retryAt time.Time, final bool) error

	// RecoverNotices turns notices left "sending" past their claim into
	// "uncertain": a worker stopped between handing them to the server and
	// marking them, so they may have been delivered. They are not sent again
	// unless a person requeues them (RequeueNotice). A claim still running is
	// another hub process's, left alone.
	RecoverNotices(ctx context.Context) (int, error)

	// RequeueNotice puts an uncertain or failed notice back in the queue, on a
	// person's decision.
	RequeueNotice(ctx context.Context, id string) error

	// Notices lists the notices of a request ("" for all), oldest first.
	Notices(ctx context.Context, requestID string) ([]NoticeState, error)
}

// Payments is the pagoPA positions, payments, fines, refunds and day
// closings of the network.
type Payments interface {
	// PutPayee stores a comune's pagoPA settings; its workstations receive them.
	PutPayee(ctx context.Context, p *payment.Payee) error

	// CreatePosition enters a position of the hub in the comune's archive of
	// pending payments: numbered with the comune's next IUV unless it has an
	// avviso, published (payable at the node), and sent to the comune's
	// workstations. The id is made when empty.
	CreatePosition(ctx context.Context, p payment.Position) (*payment.Position, error)

	// PutFine stores a verbale with the position that collects it (the
	// minimum plus costs, due in 60 days of the notification; what is due on a
	// day follows payment.Fine.Due).
	PutFine(ctx context.Context, f payment.Fine) (*payment.Fine, error)

	// NetworkPosition finds the position a codice avviso pays in any comune
	// of the network (of the creditor cfEnte, when not ""), with the comune's
	// name and creditor settings, for a counter's scanner. ENOTFOUND when no
	// comune has it.
	NetworkPosition(ctx context.Context, cfEnte string, avviso pagopa.CodiceAvviso) (*payment.NetworkPosition, error)

	// RecordOnlinePayment records a payment of the codice avviso received
	// through the pagoPA node (a PSP, the IO app): what the node's receipt
	// (ricevuta telematica) tells the creditor. The avviso of an instalment
	// pays that instalment. ENOTFOUND for an avviso of no position; EINVALID
	// when comuni of the network share it (RecordOnlinePaymentTo names the
	// creditor).
	RecordOnlinePayment(ctx context.Context, avviso pagopa.CodiceAvviso, amountCents int64, at time.Time) (*OnlinePayment, error)

	// RecordOnlinePaymentTo is RecordOnlinePayment for the creditor whose
	// codice fiscale is cfEnte ("" for whichever comune has the avviso).
	RecordOnlinePaymentTo(ctx context.Context, cfEnte string, avviso pagopa.CodiceAvviso, amountCents int64, at time.Time) (*OnlinePayment, error)

	// PositionPayments lists the payments of a position in the order applied.
	PositionPayments(ctx context.Context, comune, positionID string) ([]HubPayment, error)

	// Refunds lists a comune's refunds.
	Refunds(ctx context.Context, comune string) ([]payment.Refund, error)

	// CompleteRefund marks a refund of comune done, as the hub's administrator
	// records it (r.Operator "" or the supervisor who asked): the refund's
	// record carries how and when, the receipt in excess is marked refunded in
	// the position, which is paid again, no longer twice; both reach the
	// comune's workstations. ENOTFOUND for an unknown refund, ECONFLICT for
	// one done already.
	CompleteRefund(ctx context.Context, r payment.Repayment) (*payment.Refund, error)

	// ClosedDay reports whether the hub has the closing of a device's
	// operator's day, with the total it declared and the hub's own total.
	ClosedDay(ctx context.Context, device, operator, day string) (closed bool, total, hubTotal int64, err error)
}

// Queue is a comune's queue: its areas and slots, calls at the counters and
// the day's tickets.
type Queue interface {
	// PutAreas publishes the service areas of a comune.
	PutAreas(ctx context.Context, comune string, areas []queue.Area) error

	// Areas are the service areas of a comune, by code.
	Areas(ctx context.Context, comune string) ([]queue.Area, error)

	// PutSlots publishes bookable slots; a slot already booked keeps its
	// appointment.
	PutSlots(ctx context.Context, comune string, slots []queue.Slot) error

	// Slots are the bookable slots of a comune, booked or free, by time.
	Slots(ctx context.Context, comune string) ([]queue.Slot, error)

	// CallNext gives the counter the next ticket of the areas it serves (all
	// when none), in one transaction: the ticket it was serving is closed as
	// served, the next one by queue.Next is marked called at the counter and
	// published to the board. A repeated request (same RequestID) gets the same
	// ticket. nil when nobody waits.
	CallNext(ctx context.Context, dev *Device, req Call) (*queue.Ticket, error)

	// QueueTickets returns the tickets of a comune issued on the days from..to
	// (inclusive, YYYY-MM-DD), for the statistics.
	QueueTickets(ctx context.Context, comune, from, to string) ([]queue.Ticket, error)
}

// Appointments is the booking of slots of the agenda, by citizens on the
// public pages.
type Appointments interface {
	// BookAppointment books a slot of comune for a citizen who asks on the
	// comune's public pages, under the rules of a counter's or a kiosk's
	// booking (changeAppointment): the slot must exist, be free and be still
	// to come. Nothing is stored when it is refused.
	BookAppointment(ctx context.Context, comune string, c queue.AppointmentChange) (queue.Appointment, error)

	// Appointment returns an appointment of comune; ENOTFOUND when there is none.
	Appointment(ctx context.Context, comune, id string) (queue.Appointment, error)
}

// Albo is the notices a comune publishes to its kiosks and public pages.
type Albo interface {
	// PublishNotice publishes an act of the albo pretorio to the comune's
	// workstations and kiosks.
	PublishNotice(ctx context.Context, comune string, n kiosk.Notice) error

	// PublishedNotices are the acts of a comune's albo pretorio in publication
	// on day (Italian time), the latest first.
	PublishedNotices(ctx context.Context, comune string, day time.Time) ([]kiosk.Notice, error)
}

// Certificates is what the hub knows of the certificates workstations
// issued, for their verification.
type Certificates interface {
	// IssuedCertificate returns what the hub knows of a certificate number:
	// ENOTFOUND when no workstation has delivered it (yet).
	IssuedCertificate(ctx context.Context, number string) (*IssuedCertificate, error)
}

// Access is the record of who read a citizen's data: the hub's reads of
// other comuni's citizens, the devices' audit events, and the proofs a
// supervisor signs to see them.
type Access interface {
	// RecordRead records a read of another comune's citizen.
	RecordRead(ctx context.Context, r CitizenRead) error

	// CitizenReads lists the hub's record of reads of a citizen, oldest first.
	CitizenReads(ctx context.Context, codiceFiscale string) ([]CitizenRead, error)

	// Accesses lists the accesses to the citizen codiceFiscale that comune
	// may see, oldest first: the audit events uploaded by its own devices and
	// the hub's reads by its devices, and, when the citizen is one of its
	// own, those of every other comune's devices too. An audit event is about
	// the citizen when its subject is the codice fiscale or starts with it
	// (a reprint or a forcing names the certificate after it).
	Accesses(ctx context.Context, comune, codiceFiscale string) ([]app.Access, error)

	// ProvenAccesses answers a supervisor's request, from a device, for the
	// accesses to a citizen of the device's comune (Accesses): the request
	// must be signed now (app.AccessProofWindow) with the current key of an
	// active supervisor of that comune, over app.AccessExportMessage. A device
	// token alone, another role, another comune's citizen or a stale request
	// are refused: EFORBIDDEN, ENOTFOUND for a citizen the comune does not
	// have.
	ProvenAccesses(ctx context.Context, dev *Device, codiceFiscale, operator string, at time.Time, signature []byte) ([]app.Access, error)

	// ProvenReader checks the proof of a read of the anagrafe made from dev:
	// msg (app.ReadProofMessage) signed with the current key of operator, an
	// active operator of the device's comune whose roles let them read
	// another comune's citizen (app.MayReadOtherComuni). The time window and
	// the message are the caller's (the hub's handler knows the request).
	// EFORBIDDEN otherwise, naming what is wrong, never the key.
	ProvenReader(ctx context.Context, dev *Device, operator string, msg, signature []byte) error

	// PruneAccesses applies a retention period: the hub's reads older than
	// before are deleted, and the audit events uploaded by workstations older
	// than before lose what names a person (operator and subject). The events
	// themselves stay, with their sequence numbers and hashes, so that each
	// device's chain still links and a real gap (an event never delivered)
	// still shows in AuditGaps instead of hiding among the pruned ones. It
	// returns how many reads it deleted and how many events it cleared.
	PruneAccesses(ctx context.Context, before time.Time) (reads, events int64, err error)
}
