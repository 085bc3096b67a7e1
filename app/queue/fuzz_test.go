package queue_test

import (
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/queue"
)

// FuzzSlots reads opening hours as a comune's staff types them ("09:00-
// 12:30"): never a panic; what it accepts is a run of valid slots of the
// length asked, one after the other within the hours of the day, each
// named for its start.
func FuzzSlots(f *testing.F) {
	for _, s := range []struct {
		hours   string
		minutes int
	}{{"09:00-12:30", 20}, {" 14:00 - 16:00 ", 15}, {"09:00-09:10", 20}, {"12:00-09:00", 10}, {"9-12", 30}, {"00:00-23:59", 1}, {"10:00-11:00", 0}, {"25:00-26:00", 5}} {
		f.Add(s.hours, s.minutes)
	}
	day := time.Date(2026, 5, 12, 0, 0, 0, 0, app.Rome)
	f.Fuzz(func(t *testing.T, hours string, minutes int) {
		slots, err := queue.Slots("C", "1", day, hours, minutes)
		if err != nil {
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("refused with %v", err)
			}
			return
		}
		if len(slots) > 24*60 {
			t.Fatalf("%d slots in a day", len(slots))
		}
		for i, s := range slots {
			if s.Minutes != minutes || queue.Day(s.Start) != "2026-05-12" || !strings.HasPrefix(s.ID, "C-2026-05-12T") {
				t.Fatalf("slot %d of %q/%d: %+v", i, hours, minutes, s)
			}
			if minutes <= 240 {
				if err := s.Validate(); err != nil {
					t.Fatalf("slot %d of %q/%d invalid: %v", i, hours, minutes, err)
				}
			}
			if i > 0 && !s.Start.Equal(slots[i-1].Start.Add(time.Duration(minutes)*time.Minute)) {
				t.Fatalf("slots %d and %d of %q are not consecutive", i-1, i, hours)
			}
		}
	})
}

// FuzzDevicePrefix names devices in offline ticket numbers: never a panic,
// and the number keeps its area first and its count last.
func FuzzDevicePrefix(f *testing.F) {
	for _, d := range []string{"I690-W002", "F205-W120", "W7", "I690-", "-", "", "I690-W99999999999999999999", "I690-Wé1"} {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, device string) {
		p := queue.DevicePrefix(device)
		n := queue.LocalNumber("A", device, 17)
		if n != "A-"+p+"-017" {
			t.Fatalf("device %q: number %q, prefix %q", device, n, p)
		}
		if len(p) > len(device) {
			t.Fatalf("prefix %q longer than the device %q", p, device)
		}
	})
}
