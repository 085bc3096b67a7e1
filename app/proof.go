package app

import (
	"crypto/ed25519"
	"crypto/sha256"
	"strconv"
	"time"
)

// OperatorProof is an operator's signature on one operation: the hub takes
// a privileged fact (Privileged) only with the proof of the operator the
// fact names, made with the operator's key, which only the operator's
// password unlocks. A device token alone cannot make one.
type OperatorProof struct {
	Operator  string
	Signature []byte // Ed25519 over ProofMessage
}

// Kinds of operation and audit actions that are privileged: spelt here
// because app imports none of the packages that define them (a test holds
// them equal).
const (
	privRefundDone = "refund_done"       // payment.FactRefundDone
	privStatus     = "request_status"    // request.FactStatus
	privClosing    = "cash_closing"      // payment.FactClosing
	privForce      = "certificate.force" // certificate.AuditForce
)

// OperatorKeyGrace is how long after a password change the hub still takes
// operations signed with the operator's previous key, when they were made
// before the change: the work of a workstation that was offline.
const OperatorKeyGrace = 30 * 24 * time.Hour

// Privileged reports whether an operation needs the proof of the operator
// it names: a refund paid out, a request's state moved, a cash day closed,
// a parked operation sent again or set aside, an ANPR control forced.
func Privileged(op *Operation) bool {
	switch op.Kind {
	case privRefundDone, privStatus, privClosing:
		return true
	case OpAudit:
		return op.Audit != nil && PrivilegedAction(op.Audit.Action)
	}
	return false
}

// PrivilegedAction reports whether an audit event of action records a
// decision that needs the operator's proof.
func PrivilegedAction(action string) bool {
	return action == AuditOutboxRetry || action == AuditOutboxDiscard || action == privForce
}

// ProofMessage is what an operator signs for op of a device of comune:
// everything that makes the operation this one (device, number, id, kind,
// time, and a digest of what it carries), so that a signature copied onto
// another operation, device or comune does not verify. Fields are
// separated by a byte that cannot occur in them.
func ProofMessage(comune, operator string, op *Operation) []byte {
	var payload []byte
	switch {
	case op.Audit != nil:
		payload = []byte(op.Audit.Hash) // the hash covers the whole event
	case op.Certificate != nil:
		payload = []byte(op.Certificate.Stamp)
	default:
		payload = op.Data
	}
	digest := sha256.Sum256(payload)
	msg := []byte("sportello operator proof 1")
	for _, f := range []string{comune, op.Device, strconv.FormatInt(op.Seq, 10), op.ID, op.Kind,
		FormatInstant(op.CreatedAt), operator, string(digest[:])} {
		msg = append(msg, 0)
		msg = append(msg, f...)
	}
	return msg
}

// SignOp returns operator's proof on op, made with the operator's key.
func SignOp(key ed25519.PrivateKey, comune, operator string, op *Operation) *OperatorProof {
	return &OperatorProof{Operator: operator, Signature: ed25519.Sign(key, ProofMessage(comune, operator, op))}
}

// VerifyOp reports whether op's proof is its operator's signature with pub.
func VerifyOp(pub ed25519.PublicKey, comune string, op *Operation) bool {
	p := op.Proof
	if p == nil || len(pub) != ed25519.PublicKeySize || len(p.Signature) != ed25519.SignatureSize {
		return false
	}
	return ed25519.Verify(pub, ProofMessage(comune, p.Operator, op), p.Signature)
}
