package kiosk_test

import (
	"bytes"
	"testing"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/kiosk"
)

// FuzzKioskRecords feeds the same bytes to the decoders of the kiosk's
// records (the albo's notices, the kiosk policy), as a workstation reads
// them from its cache: never a panic, every refusal EINVALID, what is
// accepted valid and readable again once encoded.
func FuzzKioskRecords(f *testing.F) {
	for _, b := range [][]byte{
		[]byte(`{"number":"2026/0142","title":"Avviso","from":"2026-05-01","to":"2026-05-31","text":"…"}`),
		[]byte(`{"certificates":[{"type":"residenza","uses":[{"label":"pensione estera","exemption_id":9}]},{"type":"nascita"}]}`),
		kiosk.EncodePolicy(kiosk.DefaultPolicy),
	} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if n, err := kiosk.DecodeNotice(data); err == nil {
			if err := n.Validate(); err != nil {
				t.Fatalf("accepted an invalid notice: %v", err)
			}
			if _, err := kiosk.DecodeNotice(kiosk.EncodeNotice(n)); err != nil {
				t.Fatalf("notice round trip of %q: %v", data, err)
			}
		} else if app.ErrorCode(err) != app.EINVALID {
			t.Fatalf("notice refused with %v", err)
		}
		if p, err := kiosk.DecodePolicy(data); err == nil {
			if err := p.Validate(); err != nil {
				t.Fatalf("accepted an invalid policy: %v", err)
			}
			again, err := kiosk.DecodePolicy(kiosk.EncodePolicy(p))
			if err != nil {
				t.Fatalf("policy round trip of %q: %v", data, err)
			}
			if !bytes.Equal(kiosk.EncodePolicy(again), kiosk.EncodePolicy(p)) {
				t.Fatalf("round trip changed the policy of %q", data)
			}
		} else if app.ErrorCode(err) != app.EINVALID {
			t.Fatalf("policy refused with %v", err)
		}
	})
}
