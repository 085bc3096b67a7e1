package main

import (
	"testing"
	"time"
)

// TestTestClock: SPORTELLO_TEST_CLOCK_SKEW shifts the workstation's clock
// by a Go duration, and a value that is not one is refused.
func TestTestClock(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "SPORTELLO_TEST_CLOCK_SKEW" {
				return v
			}
			return ""
		}
	}
	for _, tc := range []struct {
		value string
		skew  time.Duration
	}{{"", 0}, {"-24h", -24 * time.Hour}, {"90m", 90 * time.Minute}} {
		now, err := testClock(env(tc.value))
		if err != nil {
			t.Fatalf("%q: %v", tc.value, err)
		}
		if d := now().Sub(time.Now()) - tc.skew; d < -time.Second || d > time.Second {
			t.Errorf("%q: the clock is off by %v more than asked", tc.value, d)
		}
	}
	if _, err := testClock(env("domani")); err == nil {
		t.Error("a skew that is not a duration was taken")
	}
}
