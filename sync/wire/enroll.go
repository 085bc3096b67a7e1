package wire

import "strings"

// HeaderEnrollProof carries, on an enrolment, the base64 Ed25519 signature
// of EnrollProof(code) by the workstation's new key: with it the hub
// answers a repeated enrolment (its first answer was lost on the way) with
// the same enrolment. A header, so that a hub that does not know it
// ignores it.
const HeaderEnrollProof = "Sportello-Enroll-Proof"

// EnrollProof is what a workstation signs to prove, on enrolment, that it
// holds the private key it asks the hub to certify: the code as the hub
// reads it (no dashes or spaces, upper case), in a domain of its own.
func EnrollProof(code string) []byte {
	return []byte("sportello-enroll\x00" + strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(code)))
}
