package payment

import (
	"testing"
	"time"
)

// TestFineDatesInItalianTime: a fine violated and notified at 23:30 UTC
// of 5 December (00:30 of the 6th in Rome), given as an instant of a zone
// other than UTC, is dated the 6th both when checked and when encoded, so
// that it validates again once decoded. Before, the notification's date
// was written in the instant's own zone (the 5th) and the fine, read
// back, was refused as notified before its violation.
func TestFineDatesInItalianTime(t *testing.T) {
	at := time.Date(2026, 12, 5, 23, 30, 0, 0, time.FixedZone("GMT", 0))
	f := &Fine{Number: "V-9", Comune: "F205", Plate: "AB123CD", Offence: "Sosta vietata", Article: "art. 7",
		ViolatedAt: at, NotifiedOn: at, MinCents: 4200, MaxCents: 17300}
	if err := f.Validate(); err != nil {
		t.Fatal(err)
	}
	g, err := DecodeFine(EncodeFine(f))
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Validate(); err != nil {
		t.Fatalf("decoded: %v", err)
	}
	if want := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC); !g.NotifiedOn.Equal(want) {
		t.Fatalf("notified on %v, want %v", g.NotifiedOn, want)
	}
}
