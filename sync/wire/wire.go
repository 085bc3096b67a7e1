// Package wire is the JSON of the sync protocol between workstations and
// the hub. Its types are not domain types: every value crosses with an
// explicit ToWire/FromWire conversion, so a field that must stay on one side
// (a device's private key, an operator's lockout state) cannot leak by
// accident, and the protocol can evolve without touching the domain.
package wire

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/sportello/sportello/app"
)

// Protocol versions. The hub accepts the current and the previous one, so
// workstations can be updated after the hub. Protocol 3 spells every key
// in English (docs/VOCABULARY.md); the hub rewrites the bodies of a
// workstation of protocol 2 at its boundary (v2.go, hub/compat.go).
// Protocol 1 (before records and facts of other kinds) is no longer served.
const (
	ProtocolVersion    = 3
	MinProtocolVersion = 2
	HeaderProtocol     = "Sportello-Protocol"
	HeaderHubTime      = "Sportello-Hub-Time" // RFC 3339, for clock-skew warnings
	HeaderOperator     = "Sportello-Operator" // the operator at the desk, for the hub's record of reads
	HeaderPurpose      = "Sportello-Purpose"  // why another comune's citizen is read
	// The hub's high-water mark for the calling device, on every push and
	// changes answer: headers, so that a workstation of the previous
	// version, which reads bodies strictly, is not disturbed.
	HeaderHubEpoch    = "Sportello-Hub-Epoch"     // names this copy of the hub's database; a restore draws a new one
	HeaderHubMark     = "Sportello-Hub-Mark"      // the device's highest operation seq the hub applied
	HeaderHubApplied  = "Sportello-Hub-Applied"   // how many of the device's operations the hub applied
	HeaderHubBackedUp = "Sportello-Hub-Backed-Up" // the mark in the newest sound backup; -1 none
	// HeaderConfirmed goes with every push and changes request, beside
	// HeaderHubEpoch: the highest seq of the device's operations any copy
	// of the hub confirmed, those it is sending again after a restore
	// included. A restored hub learns from it that the device has sent
	// back all it had been confirmed (its recovery, hub/sqlstore/recovery.go).
	HeaderConfirmed = "Sportello-Confirmed"
	// HeaderOutboxDepth, on a push, is how many operations wait in the
	// device's outbox, for the hub's metrics.
	HeaderOutboxDepth = "Sportello-Outbox-Depth"
)

// ConfirmedFromHeader reads what a device says it holds confirmed from a
// request's headers: the hub's epoch it knows and HeaderConfirmed. ok is
// false when they are absent (a workstation of an earlier version) or do
// not read.
func ConfirmedFromHeader(h http.Header) (epoch string, confirmed int64, ok bool) {
	epoch = h.Get(HeaderHubEpoch)
	v := h.Get(HeaderConfirmed)
	if epoch == "" || len(epoch) > 64 || v == "" {
		return "", 0, false
	}
	confirmed, err := strconv.ParseInt(v, 10, 64)
	if err != nil || confirmed < 0 {
		return "", 0, false
	}
	return epoch, confirmed, true
}

// MarkFromHeader reads the hub's mark for the device from an answer's
// headers; ok is false when they carry none (a hub of an earlier version)
// or one that does not read.
func MarkFromHeader(h http.Header) (m app.HubMark, ok bool) {
	m.Epoch = h.Get(HeaderHubEpoch)
	if m.Epoch == "" {
		return app.HubMark{}, false
	}
	var err1, err2, err3 error
	m.Seq, err1 = strconv.ParseInt(h.Get(HeaderHubMark), 10, 64)
	m.Applied, err2 = strconv.ParseInt(h.Get(HeaderHubApplied), 10, 64)
	m.BackedUp, err3 = strconv.ParseInt(h.Get(HeaderHubBackedUp), 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || m.Seq < 0 || m.Applied < 0 || len(m.Epoch) > 64 {
		return app.HubMark{}, false
	}
	return m, true
}

// Error is the body of every error answer.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Citizen is a citizen record on the wire.
type Citizen struct {
	CodiceFiscale  string `json:"codice_fiscale"`
	Surname        string `json:"surname"`
	GivenName      string `json:"given_name"`
	Sex            string `json:"sex"`
	BirthDate      string `json:"birth_date"`
	BirthPlaceCode string `json:"birth_place_code"`
	Citizenship    string `json:"citizenship"`
	CivilStatus    int    `json:"civil_status"`
	Comune         string `json:"comune"`
	Street         string `json:"street"`
	HouseNumber    string `json:"house_number"`
	Postcode       string `json:"postcode"`
	FamilyID       string `json:"family_id"`
	Relationship   int    `json:"relationship"`
	Status         string `json:"status"`
	RegisteredOn   string `json:"registered_on,omitempty"`
	CancelledOn    string `json:"cancelled_on,omitempty"`
	CancelReason   string `json:"cancel_reason,omitempty"`
	Certifiability int    `json:"certifiability"`
	DocumentNumber string `json:"document_number,omitempty"`
	UpdatedAt      string `json:"updated_at,omitempty"`

	// The civil and residence history (history.go): English keys, left
	// out when empty, so that an older client reads the rest unchanged.
	Unions             []Union             `json:"unions,omitempty"`
	Cohabitations      []Cohabitation      `json:"cohabitations,omitempty"`
	Death              *Death              `json:"death,omitempty"`
	AIRE               *AIRE               `json:"aire,omitempty"`
	CitizenshipHistory []CitizenshipPeriod `json:"citizenship_history,omitempty"`
	ResidenceHistory   []ResidencePeriod   `json:"residence_history,omitempty"`

	// What ANPR's issuing controls read (app.Citizen): omitted when
	// unset, so that a previous client or hub reads the record as before.
	CitizenshipStatus string `json:"citizenship_status,omitempty"`
	OtherCitizenships string `json:"other_citizenships,omitempty"`
	OpenProcedure     bool   `json:"open_procedure,omitempty"`
	NoFixedAbode      bool   `json:"no_fixed_abode,omitempty"`
}

// CitizenToWire converts a citizen for the wire.
func CitizenToWire(c *app.Citizen) Citizen {
	w := Citizen{
		CodiceFiscale: c.CodiceFiscale, Surname: c.Surname, GivenName: c.GivenName, Sex: c.Sex,
		BirthDate: app.FormatDate(c.BirthDate), BirthPlaceCode: c.BirthPlaceCode, Citizenship: c.Citizenship,
		CivilStatus: c.CivilStatus, Comune: c.Comune, Street: c.Address.Street, HouseNumber: c.Address.HouseNumber,
		Postcode: c.Address.Postcode, FamilyID: c.FamilyID, Relationship: c.Relationship, Status: string(c.Status),
		RegisteredOn: app.FormatDate(c.RegisteredOn), CancelledOn: app.FormatDate(c.CancelledOn),
		CancelReason: c.CancelReason, Certifiability: c.Certifiability, DocumentNumber: c.DocumentNumber,
		UpdatedAt:         formatTime(c.UpdatedAt),
		CitizenshipStatus: string(c.CitizenshipStatus), OtherCitizenships: c.OtherCitizenships,
		OpenProcedure: c.OpenProcedure, NoFixedAbode: c.NoFixedAbode,
	}
	historyToWire(c, &w)
	return w
}

// CitizenFromWire converts and validates a citizen from the wire.
func CitizenFromWire(w Citizen) (app.Citizen, error) {
	c := app.Citizen{
		CodiceFiscale: w.CodiceFiscale, Surname: w.Surname, GivenName: w.GivenName, Sex: w.Sex,
		BirthPlaceCode: w.BirthPlaceCode, Citizenship: w.Citizenship, CivilStatus: w.CivilStatus, Comune: w.Comune,
		Address:  app.Address{Street: w.Street, HouseNumber: w.HouseNumber, Postcode: w.Postcode},
		FamilyID: w.FamilyID, Relationship: w.Relationship, Status: app.Status(w.Status), CancelReason: w.CancelReason,
		Certifiability: w.Certifiability, DocumentNumber: w.DocumentNumber,
		CitizenshipStatus: app.CitizenshipStatus(w.CitizenshipStatus), OtherCitizenships: w.OtherCitizenships,
		OpenProcedure: w.OpenProcedure, NoFixedAbode: w.NoFixedAbode,
	}
	var err error
	if c.BirthDate, err = app.ParseDate(w.BirthDate); err != nil {
		return c, err
	}
	if c.RegisteredOn, err = app.ParseDate(w.RegisteredOn); err != nil {
		return c, err
	}
	if c.CancelledOn, err = app.ParseDate(w.CancelledOn); err != nil {
		return c, err
	}
	if c.UpdatedAt, err = parseTime(w.UpdatedAt); err != nil {
		return c, err
	}
	if err := historyFromWire(&w, &c); err != nil {
		return c, fmt.Errorf("cittadino %s: %w", w.CodiceFiscale, err)
	}
	if err := c.Validate(); err != nil {
		return c, fmt.Errorf("cittadino %s: %w", w.CodiceFiscale, err)
	}
	return c, nil
}

// CitizenSummary is a search result on the wire.
type CitizenSummary struct {
	CodiceFiscale string `json:"codice_fiscale"`
	Surname       string `json:"surname"`
	GivenName     string `json:"given_name"`
	BirthDate     string `json:"birth_date"`
	Comune        string `json:"comune"`
	Status        string `json:"status"`
}

// SummaryToWire converts a search result for the wire.
func SummaryToWire(s app.CitizenSummary) CitizenSummary {
	return CitizenSummary{CodiceFiscale: s.CodiceFiscale, Surname: s.Surname, GivenName: s.GivenName,
		BirthDate: app.FormatDate(s.BirthDate), Comune: s.Comune, Status: string(s.Status)}
}

// SummaryFromWire converts a search result from the wire.
func SummaryFromWire(w CitizenSummary) (app.CitizenSummary, error) {
	d, err := app.ParseDate(w.BirthDate)
	if err != nil {
		return app.CitizenSummary{}, err
	}
	return app.CitizenSummary{CodiceFiscale: w.CodiceFiscale, Surname: w.Surname, GivenName: w.GivenName,
		BirthDate: d, Comune: w.Comune, Status: app.Status(w.Status)}, nil
}

// Operator is an operator account on the wire. The password hash travels
// so that login works offline; the workstation's lockout state never does.
type Operator struct {
	Username     string   `json:"username"`
	Name         string   `json:"name"`
	Comune       string   `json:"comune"`
	Roles        []string `json:"roles"`
	PasswordHash string   `json:"password_hash"`
	KeyParams    string   `json:"key_params,omitempty"` // to derive the operator's signing key from the password
	PublicKey    string   `json:"public_key,omitempty"` // base64
	Active       bool     `json:"active"`
	UpdatedAt    string   `json:"updated_at,omitempty"`
}

// OperatorToWire converts an operator for the wire.
func OperatorToWire(o *app.Operator) Operator {
	w := Operator{Username: o.Username, Name: o.Name, Comune: o.Comune, PasswordHash: o.PasswordHash,
		KeyParams: o.KeyParams, Active: o.Active, UpdatedAt: formatTime(o.UpdatedAt)}
	if len(o.PublicKey) > 0 {
		w.PublicKey = b64(o.PublicKey)
	}
	for _, r := range o.Roles {
		w.Roles = append(w.Roles, string(r))
	}
	return w
}

// OperatorFromWire converts and validates an operator from the wire.
func OperatorFromWire(w Operator) (app.Operator, error) {
	o := app.Operator{Username: w.Username, Name: w.Name, Comune: w.Comune, PasswordHash: w.PasswordHash, KeyParams: w.KeyParams, Active: w.Active}
	for _, r := range w.Roles {
		o.Roles = append(o.Roles, app.Role(r))
	}
	var err error
	if w.PublicKey != "" {
		if o.PublicKey, err = unb64(w.PublicKey); err != nil || len(o.PublicKey) != ed25519.PublicKeySize {
			return o, app.Errorf(app.EINVALID, "chiave pubblica dell'operatore %s non valida", w.Username)
		}
	}
	if o.UpdatedAt, err = parseTime(w.UpdatedAt); err != nil {
		return o, err
	}
	return o, o.Validate()
}

// DeviceKey is a workstation's certified key on the wire.
type DeviceKey struct {
	Device    string  `json:"device"`
	Comune    string  `json:"comune"`
	Cert      KeyCert `json:"cert"`
	RevokedAt string  `json:"revoked_at,omitempty"`
}

// KeyCert is a key certificate on the wire; binary fields are base64.
type KeyCert struct {
	Subject   string `json:"subject"`
	Issuer    string `json:"issuer"`
	PublicKey string `json:"public_key"`
	NotBefore string `json:"not_before"`
	Signature string `json:"signature"`
}

// KeyCertToWire converts a key certificate for the wire.
func KeyCertToWire(c app.KeyCert) KeyCert {
	return KeyCert{Subject: c.Subject, Issuer: c.Issuer, PublicKey: b64(c.PublicKey),
		NotBefore: c.NotBefore.UTC().Format(time.RFC3339), Signature: b64(c.Signature)}
}

// KeyCertFromWire converts a key certificate from the wire.
func KeyCertFromWire(w KeyCert) (app.KeyCert, error) {
	c := app.KeyCert{Subject: w.Subject, Issuer: w.Issuer}
	var err error
	if c.PublicKey, err = unb64(w.PublicKey); err != nil {
		return c, err
	}
	if c.Signature, err = unb64(w.Signature); err != nil {
		return c, err
	}
	if c.NotBefore, err = time.Parse(time.RFC3339, w.NotBefore); err != nil {
		return c, app.Errorf(app.EINVALID, "data del certificato di chiave non valida")
	}
	return c, nil
}

// Change is a change-log entry on the wire.
type Change struct {
	Seq       int64      `json:"seq"`
	Kind      string     `json:"kind"`
	Key       string     `json:"key"`
	Deleted   bool       `json:"deleted,omitempty"`
	At        string     `json:"at"`
	Citizen   *Citizen   `json:"citizen,omitempty"`
	Operator  *Operator  `json:"operator,omitempty"`
	Reference *Reference `json:"reference,omitempty"`
	Device    *DeviceKey `json:"device,omitempty"`
	Record    *Record    `json:"record,omitempty"`
}

// Record is an app.Record on the wire; its kind and key are the change's.
type Record struct {
	Subject string          `json:"subject,omitempty"`
	Data    json.RawMessage `json:"data"`
}

// RecordToWire is the change that carries r.
func RecordToWire(r app.Record) Change {
	return Change{Kind: r.Kind, Key: r.Key, Record: &Record{Subject: r.Subject, Data: json.RawMessage(r.Data)}}
}

// ChangeFromWire converts and validates a change of scope from the wire.
func ChangeFromWire(scope string, w Change) (app.Change, error) {
	c := app.Change{Scope: scope, Seq: w.Seq, Kind: w.Kind, Key: w.Key, Deleted: w.Deleted}
	var err error
	if c.At, err = parseTime(w.At); err != nil {
		return c, err
	}
	if w.Seq <= 0 || w.Key == "" {
		return c, app.Errorf(app.EINVALID, "modifica senza numero o chiave")
	}
	spine := w.Kind == app.ChangeCitizen || w.Kind == app.ChangeOperator || w.Kind == app.ChangeReference || w.Kind == app.ChangeDevice
	switch {
	case !spine && (w.Deleted || w.Record != nil):
		r := app.Record{Kind: w.Kind, Key: w.Key, Data: []byte("null")}
		if w.Record != nil {
			r.Subject, r.Data = w.Record.Subject, []byte(w.Record.Data)
		}
		if err := r.Validate(); err != nil {
			return c, err
		}
		if !w.Deleted {
			c.Record = &r
		}
	case w.Deleted && (w.Kind == app.ChangeCitizen || w.Kind == app.ChangeOperator):
	case w.Kind == app.ChangeCitizen && w.Citizen != nil:
		ci, err := CitizenFromWire(*w.Citizen)
		if err != nil {
			return c, err
		}
		c.Citizen = &ci
	case w.Kind == app.ChangeOperator && w.Operator != nil:
		o, err := OperatorFromWire(*w.Operator)
		if err != nil {
			return c, err
		}
		c.Operator = &o
	case w.Kind == app.ChangeReference && w.Reference != nil:
		t := ReferenceFromWire(w.Reference)
		if err := t.Validate(); err != nil {
			return c, app.Errorf(app.EINVALID, "tabelle di riferimento non valide: %v", err)
		}
		c.Reference = t
	case w.Kind == app.ChangeDevice && w.Device != nil:
		d, err := DeviceKeyFromWire(*w.Device)
		if err != nil {
			return c, err
		}
		c.Device = &d
	default:
		return c, app.Errorf(app.EINVALID, "modifica %d di tipo %q senza contenuto", w.Seq, w.Kind)
	}
	return c, nil
}

// DeviceKeyToWire converts a device key for the wire.
func DeviceKeyToWire(d *app.DeviceKey) DeviceKey {
	return DeviceKey{Device: d.Device, Comune: d.Comune, Cert: KeyCertToWire(d.Cert), RevokedAt: formatTime(d.RevokedAt)}
}

// DeviceKeyFromWire converts a device key from the wire.
func DeviceKeyFromWire(w DeviceKey) (app.DeviceKey, error) {
	d := app.DeviceKey{Device: w.Device, Comune: w.Comune}
	var err error
	if d.RevokedAt, err = parseTime(w.RevokedAt); err != nil {
		return d, err
	}
	if d.Cert, err = KeyCertFromWire(w.Cert); err != nil {
		return d, err
	}
	if d.Cert.Subject != app.DeviceSubject(d.Device) {
		return d, app.Errorf(app.EINVALID, "certificato di chiave di un'altra postazione")
	}
	return d, nil
}

// ChangesResponse is a page of the change log after a cursor.
type ChangesResponse struct {
	Scope   string   `json:"scope"`
	Changes []Change `json:"changes"`
	Last    int64    `json:"last"` // the scope's newest seq when the page was read
	More    bool     `json:"more"`
	AsOf    string   `json:"as_of"`
}

// SnapshotResponse is a page of the initial download of a comune.
type SnapshotResponse struct {
	Scope     string     `json:"scope"`
	Seq       int64      `json:"seq"`   // the change-log position to pull from afterwards
	Total     int        `json:"total"` // citizens in the whole snapshot, for the progress bar
	Citizens  []Citizen  `json:"citizens"`
	Operators []Operator `json:"operators,omitempty"` // first page only
	// Records follow the citizens, in (kind, key) order: the pages after
	// the last citizen carry them.
	Records []Change `json:"records,omitempty"`
	After   string   `json:"after"` // key to ask the next page after
	Done    bool     `json:"done"`
	AsOf    string   `json:"as_of"`
}

// EnrollRequest enrols a workstation with a one-time code.
type EnrollRequest struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	PublicKey string `json:"public_key"` // base64 Ed25519
}

// EnrollResponse gives the workstation its identity.
type EnrollResponse struct {
	Device     string  `json:"device"`
	Comune     string  `json:"comune"`
	ComuneName string  `json:"comune_name"`
	Token      string  `json:"token"`
	Cert       KeyCert `json:"cert"`        // the device key, certified by the comune
	ComuneCert KeyCert `json:"comune_cert"` // the comune key, certified by the root
	RootKey    string  `json:"root_key"`
}

// AuditEvent is an audit event on the wire.
type AuditEvent struct {
	Device   string `json:"device"`
	Seq      int64  `json:"seq"`
	Operator string `json:"operator"`
	Action   string `json:"action"`
	Subject  string `json:"subject"`
	At       string `json:"at"`
	PrevHash string `json:"prev_hash"`
	Hash     string `json:"hash"`
}

// Op is an outbox operation on the wire.
type Op struct {
	ID        string      `json:"id"`
	Device    string      `json:"device"`
	Seq       int64       `json:"seq"`
	Kind      string      `json:"kind"`
	CreatedAt string      `json:"created_at"`
	Audit     *AuditEvent `json:"audit,omitempty"`
	// Certificate, or Data for the facts of the other kinds.
	Certificate *Certificate    `json:"certificate,omitempty"`
	Data        json.RawMessage `json:"data,omitempty"`
	// Prior is the answer a hub gave this operation before it was restored
	// from an older backup (a request's protocol number), sent again with
	// it so that the number is kept where it is still free.
	Prior json.RawMessage `json:"prior,omitempty"`
	// Proof is the operator's signature on a privileged operation.
	Proof *Proof `json:"proof,omitempty"`
}

// Proof is an operator's proof on the wire (app.OperatorProof).
type Proof struct {
	Operator  string `json:"operator"`
	Signature string `json:"signature"` // base64
}

// Certificate is an issued certificate on the wire (app.CertificateFact).
type Certificate struct {
	Number        string `json:"number"`
	Type          string `json:"type"`
	CodiceFiscale string `json:"codice_fiscale"`
	Comune        string `json:"comune"`
	IssuedAt      string `json:"issued_at"`
	AsOf          string `json:"as_of"`
	DataSeq       int64  `json:"data_seq"`
	Offline       bool   `json:"offline"`
	Operator      string `json:"operator"`
	Stamp         string `json:"stamp"`
}

// OpToWire converts an outbox operation for the wire.
func OpToWire(o app.Operation) Op {
	w := Op{ID: o.ID, Device: o.Device, Seq: o.Seq, Kind: o.Kind, CreatedAt: formatTime(o.CreatedAt)}
	if a := o.Audit; a != nil {
		w.Audit = &AuditEvent{Device: a.Device, Seq: a.Seq, Operator: a.Operator, Action: a.Action,
			Subject: a.Subject, At: a.At.UTC().Format(time.RFC3339Nano), PrevHash: a.PrevHash, Hash: a.Hash}
	}
	if len(o.Data) > 0 {
		w.Data = json.RawMessage(o.Data)
	}
	if len(o.Prior) > 0 {
		w.Prior = json.RawMessage(o.Prior)
	}
	if c := o.Certificate; c != nil {
		w.Certificate = &Certificate{Number: c.Number, Type: c.Type, CodiceFiscale: c.CodiceFiscale, Comune: c.Comune,
			IssuedAt: formatTime(c.IssuedAt), AsOf: formatTime(c.AsOf), DataSeq: c.DataSeq, Offline: c.Offline,
			Operator: c.Operator, Stamp: c.Stamp}
	}
	if p := o.Proof; p != nil {
		w.Proof = &Proof{Operator: p.Operator, Signature: b64(p.Signature)}
	}
	return w
}

// OpFromWire converts and validates an operation from the wire.
func OpFromWire(w Op) (app.Operation, error) {
	o := app.Operation{ID: w.ID, Device: w.Device, Seq: w.Seq, Kind: w.Kind, Prior: []byte(w.Prior)}
	var err error
	if o.CreatedAt, err = parseTime(w.CreatedAt); err != nil {
		return o, err
	}
	if len(w.ID) != 36 || w.Device == "" || w.Seq <= 0 {
		return o, app.Errorf(app.EINVALID, "operazione senza identificativo, postazione o numero")
	}
	if p := w.Proof; p != nil {
		sig, err := unb64(p.Signature)
		if err != nil || p.Operator == "" || len(sig) != ed25519.SignatureSize {
			return o, app.Errorf(app.EINVALID, "prova dell'operatore non valida")
		}
		o.Proof = &app.OperatorProof{Operator: p.Operator, Signature: sig}
	}
	switch w.Kind {
	case app.OpAudit:
		if w.Audit == nil {
			return o, app.Errorf(app.EINVALID, "operazione di audit senza evento")
		}
		a := app.AuditEvent{Device: w.Audit.Device, Seq: w.Audit.Seq, Operator: w.Audit.Operator,
			Action: w.Audit.Action, Subject: w.Audit.Subject, PrevHash: w.Audit.PrevHash, Hash: w.Audit.Hash}
		if a.At, err = time.Parse(time.RFC3339Nano, w.Audit.At); err != nil {
			return o, app.Errorf(app.EINVALID, "ora dell'evento di audit non valida")
		}
		if a.Device != w.Device {
			return o, app.Errorf(app.EINVALID, "evento di audit di un'altra postazione")
		}
		if err := a.Validate(); err != nil {
			return o, err
		}
		o.Audit = &a
	case app.OpCertificate:
		if w.Certificate == nil || w.Audit != nil {
			return o, app.Errorf(app.EINVALID, "operazione di certificato senza certificato")
		}
		c := app.CertificateFact{Number: w.Certificate.Number, Type: w.Certificate.Type, CodiceFiscale: w.Certificate.CodiceFiscale,
			Comune: w.Certificate.Comune, DataSeq: w.Certificate.DataSeq, Offline: w.Certificate.Offline,
			Operator: w.Certificate.Operator, Stamp: w.Certificate.Stamp}
		if c.IssuedAt, err = parseTime(w.Certificate.IssuedAt); err != nil {
			return o, app.Errorf(app.EINVALID, "ora di rilascio del certificato non valida")
		}
		if c.AsOf, err = parseTime(w.Certificate.AsOf); err != nil {
			return o, app.Errorf(app.EINVALID, "ora dei dati del certificato non valida")
		}
		if err := c.Validate(); err != nil {
			return o, err
		}
		o.Certificate = &c
	default:
		// The facts of the other kinds: their package reads the data, the
		// hub knows which kinds it accepts.
		if len(w.Data) == 0 || w.Audit != nil || w.Certificate != nil || !json.Valid(w.Data) || len(w.Kind) > 40 {
			return o, app.Errorf(app.EINVALID, "operazione di tipo %q senza dati", w.Kind)
		}
		o.Data = []byte(w.Data)
	}
	return o, nil
}

// PushRequest carries outbox operations, in device order.
type PushRequest struct {
	Ops []Op `json:"ops"`
}

// OpResult is the hub's answer to one operation.
type OpResult struct {
	ID        string          `json:"id"`
	Applied   bool            `json:"applied"`
	Duplicate bool            `json:"duplicate,omitempty"`
	Code      string          `json:"code,omitempty"`
	Message   string          `json:"message,omitempty"`
	Flag      string          `json:"flag,omitempty"`
	Data      json.RawMessage `json:"data,omitempty"`
	// Skipped marks an operation the hub did not try because one before it
	// in the batch failed: it is not the operation's fault, and a
	// workstation sends it again after the failed one. Code is EINTERNAL
	// too, so that a client of the previous version keeps it pending.
	Skipped bool `json:"skipped,omitempty"`
}

// PushResponse answers a PushRequest, one result per operation, in order.
type PushResponse struct {
	Results []OpResult `json:"results"`
}

// SearchResponse answers a network search.
type SearchResponse struct {
	Citizens []CitizenSummary `json:"citizens"`
}

// CitizenResponse is a citizen and the family sheet, from the hub.
type CitizenResponse struct {
	Citizen Citizen   `json:"citizen"`
	Family  []Citizen `json:"family"`
}

// KeysResponse publishes the network's keys for verifiers.
type KeysResponse struct {
	RootKey string      `json:"root_key"`
	Comuni  []KeyCert   `json:"comuni"`
	Devices []DeviceKey `json:"devices"`
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func unb64(s string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "chiave o firma non in base64")
	}
	return b, nil
}

// B64 and UnB64 encode binary fields as the protocol does.
func B64(b []byte) string            { return b64(b) }
func UnB64(s string) ([]byte, error) { return unb64(s) }

// The protocol's instants are those of records and facts.
var (
	formatTime = app.FormatInstant
	parseTime  = app.ParseInstant
)

// FormatTime and ParseTime are the protocol's timestamps (RFC 3339, UTC).
func FormatTime(t time.Time) string         { return formatTime(t) }
func ParseTime(s string) (time.Time, error) { return parseTime(s) }

// FamilyResponse is a family sheet, head first.
type FamilyResponse struct {
	Members []Citizen `json:"members"`
}
