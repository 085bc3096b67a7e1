package certificate_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sportello/sportello/app/certificate"
)

var update = flag.Bool("update", false, "rewrite the fuzz seeds in testdata/fuzz")

// TestFuzzCorpus keeps the fuzz seeds meaningful: the "valid" seed must be
// the stamp the test network signs today, or the fuzzers would start from
// a stamp that no longer verifies. go test -run TestFuzzCorpus -update
// rewrites them after a deliberate change of the stamp or the text.
func TestFuzzCorpus(t *testing.T) {
	f := facts(t)
	stamp := network.sign(t, f)
	parts := strings.Split(stamp, ".")
	alt := f
	alt.Digest[0] ^= 1
	forged := strings.Split(network.sign(t, alt), ".")
	seeds := map[string]string{
		"valid":     stamp,
		"url":       certificate.URL(hubBase, stamp),
		"untrusted": newPKI(key(2), "I690", "I690-W001", 20).sign(t, f),
		"forged":    parts[0] + "." + forged[1] + "." + parts[2] + "." + parts[3],
		"truncated": stamp[:len(stamp)/2],
		"empty_url": hubBase + "/verifica?c=",
		"short":     "SPT1.AAAA.AAAA.AAAA",
	}
	for _, fuzzer := range []string{"FuzzParseStamp", "FuzzVerify"} {
		dir := filepath.Join("testdata", "fuzz", fuzzer)
		for name, s := range seeds {
			path := filepath.Join(dir, name)
			want := fmt.Sprintf("go test fuzz v1\nstring(%q)\n", s)
			if *update {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			got, err := os.ReadFile(path)
			if err != nil || string(got) != want {
				t.Errorf("%s is stale or missing (%v): run go test -run TestFuzzCorpus -update", path, err)
			}
		}
	}
}
