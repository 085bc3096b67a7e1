package main

import (
	"fyne.io/fyne/v2"
	"github.com/go-gl/glfw/v3.3/glfw"
)

// The counter window opens within the screen it starts on: at its
// preferred size when that fits the screen's work area (the screen less
// the taskbar and panels), otherwise filling the work area, so that the
// status bar stays on screen on a 1366×768 counter PC.
//
// Fyne (v2.7) has no call for the screen's size nor for maximising a
// window; its desktop driver is GLFW, initialised once the first window
// exists, so the work area is read from GLFW on the main thread, when the
// app starts. New windows open on the primary monitor, the one read.

// counterSize is the counter window's preferred size, in Fyne units.
var counterSize = fyne.NewSize(1280, 800)

// frameAllowance is the room left in the work area for the window
// manager's title bar and borders, which GLFW sizes do not include.
const frameAllowance = 40

// fitScreen is the window's size for a work area (in Fyne units): the
// preferred size when it fits with the frame, the work area less the frame
// otherwise (filled reports that case).
func fitScreen(preferred, work fyne.Size) (size fyne.Size, filled bool) {
	if work.Width <= 0 || work.Height <= 0 {
		return preferred, false // unknown: keep the preferred size
	}
	if preferred.Width <= work.Width && preferred.Height+frameAllowance <= work.Height {
		return preferred, false
	}
	return fyne.NewSize(min(preferred.Width, work.Width), min(preferred.Height, work.Height-frameAllowance)), true
}

// openWithinScreen sizes w to fit its screen as soon as the app has
// started (the window's scale is known then), and centres it.
func openWithinScreen(a fyne.App, w fyne.Window, preferred fyne.Size) {
	w.Resize(preferred)
	a.Lifecycle().SetOnStarted(func() {
		mon := glfw.GetPrimaryMonitor()
		if mon == nil {
			return
		}
		_, _, width, height := mon.GetWorkarea()
		scale := w.Canvas().Scale()
		if scale <= 0 {
			scale = 1
		}
		size, filled := fitScreen(preferred, fyne.NewSize(float32(width)/scale, float32(height)/scale))
		if filled {
			w.Resize(size)
		}
		w.CenterOnScreen()
	})
}
