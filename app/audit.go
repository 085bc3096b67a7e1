package app

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"
)

// Audit actions: who viewed or printed which citizen.
const (
	AuditView   = "consultazione"
	AuditPrint  = "stampa"
	AuditSearch = "ricerca"
	AuditLogin  = "accesso"
	// A person's decision on an operation the hub did not take: sent
	// again, or set aside for good. The subject is the operation's id.
	AuditOutboxRetry   = "operazione_reinviata"
	AuditOutboxDiscard = "operazione_scartata"
)

// AuditEvent is one entry of a device's audit trail. Entries are chained by
// hash per device, so that a removed or altered entry shows at the hub.
type AuditEvent struct {
	Device   string
	Seq      int64 // per device, from 1, gap-free
	Operator string
	Action   string
	Subject  string // the codice fiscale viewed or printed; a search's number of hits (SearchSubject)
	At       time.Time
	PrevHash string // hex SHA-256 of the previous event of the device; "" for the first
	Hash     string
}

// ComputeHash returns the hex SHA-256 of the event's fields and its
// predecessor's hash, fields separated by a byte that cannot occur in them.
func (e *AuditEvent) ComputeHash() string {
	h := sha256.New()
	for _, f := range []string{e.Device, strconv.FormatInt(e.Seq, 10), e.Operator, e.Action, e.Subject, e.At.UTC().Format(time.RFC3339Nano), e.PrevHash} {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Validate checks an event as the hub receives it: its hash must be right.
func (e *AuditEvent) Validate() error {
	switch {
	case e.Device == "" || e.Seq <= 0:
		return Errorf(EINVALID, "evento di audit senza postazione o numero")
	case e.Action == "":
		return Errorf(EINVALID, "evento di audit senza azione")
	case e.Hash != e.ComputeHash():
		return Errorf(EINVALID, "evento di audit %d: impronta non valida", e.Seq)
	}
	return nil
}

// Access is one access to a citizen's data, as a supervisor or the DPO
// exports them for a request under art. 15 GDPR: who (device, operator),
// when, what (action) and why (purpose, when the device gave one).
type Access struct {
	At           time.Time
	Device       string
	DeviceComune string
	Operator     string // the operator the device names
	Action       string // the audit action (consultazione, stampa, certificate.reprint…) or the hub's read
	Subject      string // as recorded: the codice fiscale, with the certificate number for a reprint
	Purpose      string
	Source       string // "device": a workstation's audit chain; "hub": the hub's own record
}

// AuditAccessExport records that a supervisor exported the accesses to a
// citizen (subject the codice fiscale): an export is an access too.
const AuditAccessExport = "esportazione_accessi"

// AccessProofWindow is how far from the hub's clock the time of a signed
// request for a citizen's accesses may be: the request is made online,
// and a copied one is worth nothing after it.
const AccessProofWindow = 5 * time.Minute

// AccessExportMessage is what a supervisor signs to ask the hub for the
// accesses to codiceFiscale from a device of comune, at time at.
func AccessExportMessage(comune, device, codiceFiscale, operator string, at time.Time) []byte {
	msg := []byte("sportello access export 1")
	for _, f := range []string{comune, device, codiceFiscale, operator, FormatInstant(at)} {
		msg = append(msg, 0)
		msg = append(msg, f...)
	}
	return msg
}

// accessColumns are the columns of an access export, the keys of its JSON.
var accessColumns = []string{"at", "device", "device_comune", "operator", "action", "subject", "purpose", "source"}

func accessFields(a Access) []string {
	return []string{FormatInstant(a.At), a.Device, a.DeviceComune, a.Operator, a.Action, a.Subject, a.Purpose, a.Source}
}

// AccessesCSV is an access export as CSV (RFC 4180), a header row first.
func AccessesCSV(list []Access) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(accessColumns)
	for _, a := range list {
		_ = w.Write(accessFields(a))
	}
	w.Flush()
	return b.Bytes()
}

// AccessesJSON is an access export as JSON, one object an access a line,
// with the keys of `sportello-hub audit --json`.
func AccessesJSON(list []Access) []byte {
	var b bytes.Buffer
	for _, a := range list {
		b.WriteByte('{')
		for i, v := range accessFields(a) {
			if i > 0 {
				b.WriteByte(',')
			}
			k, _ := json.Marshal(accessColumns[i])
			x, _ := json.Marshal(v)
			b.Write(k)
			b.WriteByte(':')
			b.Write(x)
		}
		b.WriteString("}\n")
	}
	return b.Bytes()
}
