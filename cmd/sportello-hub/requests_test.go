package main

import (
	"errors"
	"os"
	"testing"

	"github.com/sportello/sportello/internal/cmdline"
)

// TestPublicAddress is the address the notices link to: the one given,
// else where the hub listens, by the machine's name when it listens on
// every interface.
func TestPublicAddress(t *testing.T) {
	host, _ := os.Hostname()
	if host == "" {
		host = "localhost"
	}
	for _, tc := range []struct{ name, given, listen, want string }{
		{"Given", "https://hub.comuneamico.it/", "127.0.0.1:8450", "https://hub.comuneamico.it"},
		{"Loopback", "", "127.0.0.1:8450", "http://127.0.0.1:8450"},
		{"EveryInterface", "", "[::]:8450", "http://" + host + ":8450"},
		{"EveryIPv4Interface", "", "0.0.0.0:8450", "http://" + host + ":8450"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := publicAddress(tc.given, "http", tc.listen); got != tc.want {
				t.Fatalf("publicAddress(%q, %q) = %q, want %q", tc.given, tc.listen, got, tc.want)
			}
		})
	}
	for _, bad := range []string{"hub.comune.it", "ftp://hub.comune.it", "https://", "https://hub.it/?x=1"} {
		var ue cmdline.UsageError
		if err := checkPublicURL(bad); !errors.As(err, &ue) {
			t.Errorf("--public-url %q taken (%v)", bad, err)
		}
	}
	if err := checkPublicURL("https://hub.comuneamico.it/sportello"); err != nil {
		t.Errorf("a good address refused: %v", err)
	}
}
