package wire_test

import (
	"bytes"
	"crypto/ed25519"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/sync/wire"
)

// TestReadProofHeaders: what the counter sends is what the hub reads,
// the accented purpose included; a header set in part, or garbled, is
// refused as such.
func TestReadProofHeaders(t *testing.T) {
	at := time.Date(2026, 12, 5, 10, 0, 0, 123, time.UTC)
	sig := bytes.Repeat([]byte{7}, ed25519.SignatureSize)
	p := wire.ReadProof{Operator: "mrossi", Purpose: app.PurposeIdentity, At: at, Signature: sig}
	h := p.Headers()
	for _, v := range h {
		for _, r := range v {
			if r > 0x7e || r < 0x20 {
				t.Fatalf("header value %q is not printable ASCII", v)
			}
		}
	}
	got, present, err := wire.ParseReadProof(h[wire.HeaderOperator], h[wire.HeaderPurpose], h[wire.HeaderOperatorProof])
	if err != nil || !present || got.Operator != p.Operator || got.Purpose != p.Purpose || !got.At.Equal(at) || !bytes.Equal(got.Signature, sig) {
		t.Fatalf("round trip: %+v %v %v", got, present, err)
	}
	if _, present, err := wire.ParseReadProof("", "", ""); present || err != nil {
		t.Errorf("no headers: present %v, %v", present, err)
	}
	for name, tc := range map[string][3]string{
		"ErrOperatorAlone":   {"mrossi", "", ""},
		"ErrNoProof":         {"mrossi", "istanza", ""},
		"ErrNoSignature":     {"mrossi", "istanza", wire.FormatTime(at)},
		"ErrShortSignature":  {"mrossi", "istanza", wire.FormatTime(at) + " AAAA"},
		"ErrBadTime":         {"mrossi", "istanza", "ieri " + wire.B64(sig)},
		"ErrControlInReason": {"mrossi", "altro%3A%20a%0Ab", wire.FormatTime(at) + " " + wire.B64(sig)},
		"ErrBadEscape":       {"mrossi", "altro%zz", wire.FormatTime(at) + " " + wire.B64(sig)},
	} {
		t.Run(name, func(t *testing.T) {
			if _, present, err := wire.ParseReadProof(tc[0], tc[1], tc[2]); !present || app.ErrorCode(err) != app.EINVALID {
				t.Errorf("present %v, err %v; want present and EINVALID", present, err)
			}
		})
	}
}

// FuzzParseReadProof: arbitrary headers are read or refused with
// EINVALID, never a panic; what is read is whole and crosses back the same.
func FuzzParseReadProof(f *testing.F) {
	sig := wire.B64(bytes.Repeat([]byte{1}, ed25519.SignatureSize))
	f.Add("mrossi", "rilascio%20certificato", "2026-12-05T10:00:00Z "+sig)
	f.Add("", "", "")
	f.Add("m%ZZ", "x", "2026-12-05T10:00:00Z "+sig)
	f.Add("mrossi", "verifica%20dell%27identit%C3%A0", "2026-12-05T10:00:00.5Z  "+sig)
	f.Fuzz(func(t *testing.T, operator, purpose, proof string) {
		p, present, err := wire.ParseReadProof(operator, purpose, proof)
		if err != nil {
			if app.ErrorCode(err) != app.EINVALID || !present {
				t.Fatalf("error %v (present %v), want EINVALID", err, present)
			}
			return
		}
		if !present {
			return
		}
		if p.Operator == "" || p.Purpose == "" || p.At.IsZero() || len(p.Signature) != ed25519.SignatureSize {
			t.Fatalf("incomplete proof read: %+v", p)
		}
		h := p.Headers()
		q, _, err := wire.ParseReadProof(h[wire.HeaderOperator], h[wire.HeaderPurpose], h[wire.HeaderOperatorProof])
		if err != nil || q.Operator != p.Operator || q.Purpose != p.Purpose || !q.At.Equal(p.At) || !bytes.Equal(q.Signature, p.Signature) {
			t.Fatalf("round trip of %+v: %+v %v", p, q, err)
		}
		for _, v := range h {
			for i := 0; i < len(v); i++ {
				if v[i] < 0x20 || v[i] > 0x7e {
					t.Fatalf("header value %q is not printable ASCII", v)
				}
			}
		}
	})
}
