package app

import "testing"

// TestOutboxedNotify: a service with no hook set writes its facts all the
// same; one with a hook calls it once per write.
func TestOutboxedNotify(t *testing.T) {
	var none Outboxed
	none.Notify()
	calls := 0
	Outboxed(func() { calls++ }).Notify()
	if calls != 1 {
		t.Fatalf("hook called %d times", calls)
	}
}
