package ui

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/sportello/sportello/app/queue"
)

// TestBoard shows the newest call large with the calls before it, chimes
// once per new call and not for a repeated state.
func TestBoard(t *testing.T) {
	test.NewApp()
	h := &harness{t: t, q: &uiQueue{}}
	h.w = test.NewWindow(nil)
	h.w.Resize(fyne.NewSize(1920, 1080))
	var mu sync.Mutex
	st := queue.State{Waiting: map[string]int{}}
	var chimes, polls atomic.Int32
	at := time.Date(2026, 5, 12, 8, 0, 0, 0, time.UTC)
	b := newBoard(h.w, BoardDeps{ComuneName: "SESTO SAN GIOVANNI", Every: 10 * time.Millisecond, Lang: "it",
		State: func(context.Context) (queue.State, error) { polls.Add(1); mu.Lock(); defer mu.Unlock(); return st, nil },
		Chime: func() { chimes.Add(1) }}, &bridge{post: h.q.post})
	t.Cleanup(b.Close)
	h.waitFor("the empty board", func() bool { return h.shows("Benvenuti") && polls.Load() > 1 })
	set := func(s queue.State) { mu.Lock(); st = s; mu.Unlock() }
	set(queue.State{Calls: []queue.Call{{Number: "A017", Counter: "3", At: at}, {Number: "T004", Counter: "1", At: at.Add(-time.Minute)}},
		Waiting: map[string]int{"A": 4, "T": 1}})
	h.waitFor("the call", func() bool { return h.shows("A017") })
	h.assertShows("Comune di Sesto San Giovanni — Sportelli", "Numero", "Sportello", "A017", "3", "T004", "In attesa: A 4   T 1")
	h.settle(60 * time.Millisecond)
	if n := chimes.Load(); n != 1 {
		t.Fatalf("%d chimes for one call", n)
	}
	if dir := getenvShots(); dir != "" {
		saveCapture(t, h.w, dir, "board.png")
	}
	// A recall of the same ticket is a new call: it chimes again.
	set(queue.State{Calls: []queue.Call{{Number: "A017", Counter: "3", At: at.Add(time.Minute)}}, Waiting: map[string]int{}})
	h.waitFor("the chime of the recall", func() bool { return chimes.Load() == 2 })
}
