package certificate_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app/certificate"
)

// Stamps come from anyone's phone camera and the hub's public page. Whatever
// the text, parsing and verifying return an error rather than panic; a stamp
// has one spelling; and only what the test network signed verifies. The
// seeds are in testdata/fuzz: a valid stamp and its URL (reproducible, the
// keys are deterministic), a stamp of an untrusted network, and damaged
// ones.

func FuzzParseStamp(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		st, err := certificate.ParseStamp(s)
		if err != nil {
			if certificate.ReasonOf(err) != certificate.Malformed {
				t.Fatalf("error without reason Malformed: %v", err)
			}
			return
		}
		// One spelling: what parses is what String writes back.
		bare := strings.TrimSpace(s)
		if strings.HasPrefix(bare, certificate.StampVersion+".") && st.String() != bare {
			t.Fatalf("parsed %q, writes back %q", bare, st.String())
		}
		back, err := certificate.ParseStamp(st.String())
		if err != nil {
			t.Fatalf("reparse: %v", err)
		}
		if !reflect.DeepEqual(back, st) {
			t.Fatalf("round trip:\n got %+v\nwant %+v", back, st)
		}
		if err := st.Facts.Validate(); err != nil {
			t.Fatalf("parsed facts do not validate: %v", err)
		}
	})
}

func FuzzVerify(f *testing.F) {
	// The only stamps of the test network: the one in the corpus, and the
	// same facts as of a minute later (so a mixed-up signature is tried).
	g := facts(f)
	valid := map[string]certificate.Facts{network.sign(f, g): g}
	g.AsOf = g.AsOf.Add(time.Minute)
	valid[network.sign(f, g)] = g
	for s := range valid {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := certificate.Verify(s, network.rootPub, noRevocations, now)
		if err != nil {
			if certificate.ReasonOf(err) == "" {
				t.Fatalf("error without a reason: %v", err)
			}
			if got != nil && certificate.ReasonOf(err) != certificate.Expired {
				t.Fatalf("facts returned with %v", err)
			}
			return
		}
		st, perr := certificate.ParseStamp(s)
		if perr != nil {
			t.Fatalf("verified but does not parse: %v", perr)
		}
		want, ok := valid[st.String()]
		if !ok {
			t.Fatalf("verified a stamp the network never signed: %q", s)
		}
		if *got != want {
			t.Fatalf("verified facts %+v, signed %+v", *got, want)
		}
	})
}
