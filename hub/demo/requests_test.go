package demo_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/sportello/sportello/app/request"
	"github.com/sportello/sportello/hub/demo"
)

// TestDemoRequests seeds the demo comune's requests: numbered gap-free in
// the order they were taken, in every state with their notes, a child's
// enrolments naming the child, no notice sent for the past, and the same
// requests on every run.
func TestDemoRequests(t *testing.T) {
	ctx := context.Background()
	today := time.Date(2026, 5, 14, 10, 0, 0, 0, time.UTC)
	db := demoHub(t, today)
	list, err := db.HubRequests(ctx, "I690", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 8 {
		t.Fatalf("%d demo requests", len(list))
	}
	seen := map[request.Status]bool{}
	for i, r := range list { // newest first
		if want := request.ProtocolNumber(2026, int64(len(list)-i)); r.Number != want {
			t.Errorf("request %d numbered %s, want %s", i, r.Number, want)
		}
		if i > 0 && r.SubmittedAt.After(list[i-1].SubmittedAt) {
			t.Errorf("%s taken after %s but numbered before it", r.Number, list[i-1].Number)
		}
		if last := r.History[len(r.History)-1]; last.Status != r.Status || last.Version != r.Version || last.At.After(today) || r.SubmittedAt.After(today) {
			t.Errorf("%s: history %+v", r.Number, r.History)
		}
		if (r.Status == request.StatusRejected || r.Status == request.StatusIntegration) && r.LastNote() == "" {
			t.Errorf("%s is %s without a note", r.Number, r.Status)
		}
		if r.Values["figlio"] != "" && r.MemberNames["figlio"] == "" {
			t.Errorf("%s: the child is not named", r.Number)
		}
		seen[r.Status] = true
	}
	for _, s := range request.Statuses {
		if !seen[s] {
			t.Errorf("no demo request is %s", s)
		}
	}
	if ns, err := db.Notices(ctx, ""); err != nil || len(ns) != 0 {
		t.Fatalf("%d notices queued for the demo's past (%v)", len(ns), err)
	}

	t.Run("Deterministic", func(t *testing.T) {
		other, err := demoHub(t, today).HubRequests(ctx, "I690", "")
		if err != nil {
			t.Fatal(err)
		}
		encode := func(l []request.Request) (out []string) {
			for i := range l {
				out = append(out, string(request.EncodeRequest(&l[i])))
			}
			return out
		}
		if !slices.Equal(encode(list), encode(other)) {
			t.Fatal("two demo hubs seeded the same day have different requests")
		}
	})
	t.Run("AgainAddsNothing", func(t *testing.T) {
		if err := demo.SeedRequests(ctx, db, "I690", today.AddDate(0, 0, 3)); err != nil {
			t.Fatal(err)
		}
		if again, _ := db.HubRequests(ctx, "I690", ""); len(again) != len(list) {
			t.Fatalf("seeding again: %d requests", len(again))
		}
	})
}
