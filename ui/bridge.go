package ui

import "fyne.io/fyne/v2"

// bridge carries work from background goroutines (searches, file openings,
// status callbacks, timers) to the UI goroutine, the only one that touches
// widgets. It is the one place of the package that calls fyne.Do;
// FyneApp.toml opts into Fyne's thread checks, so a widget touched from
// anywhere else shows up in the log.
type bridge struct {
	post func(func()) // fyne.Do; tests queue instead and run the queue on their own goroutine
}

func newBridge() *bridge { return &bridge{post: fyne.Do} }

// do runs f on the UI goroutine, later.
func (b *bridge) do(f func()) { b.post(f) }

// inBackground runs work on its own goroutine and hands its result to apply
// on the UI goroutine. apply decides whether the result is still wanted.
func inBackground[T any](b *bridge, work func() T, apply func(T)) {
	go func() {
		v := work()
		b.do(func() { apply(v) })
	}()
}
