package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
)

// TestFitScreen: the preferred size where it fits with the window's
// frame, the work area otherwise; unknown screens keep the preferred size.
func TestFitScreen(t *testing.T) {
	for _, c := range []struct {
		name   string
		work   fyne.Size
		want   fyne.Size
		filled bool
	}{
		{"FullHD", fyne.NewSize(1920, 1040), counterSize, false},
		{"1366x768WithTaskbar", fyne.NewSize(1366, 728), fyne.NewSize(1280, 688), true},
		{"1366x768Bare", fyne.NewSize(1366, 768), fyne.NewSize(1280, 728), true},
		{"1024x768", fyne.NewSize(1024, 768), fyne.NewSize(1024, 728), true},
		{"Unknown", fyne.NewSize(0, 0), counterSize, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got, filled := fitScreen(counterSize, c.work); got != c.want || filled != c.filled {
				t.Errorf("fitScreen(%v) = %v %v, want %v %v", c.work, got, filled, c.want, c.filled)
			}
		})
	}
}

// TestCounterWindowFitsScreen opens the real counter window (the embedded
// demo) under Xvfb on a 1366×768 screen: the window, and with it the
// status bar at its bottom, lies within the screen. At the old fixed
// 1280×800 the window was 32 pixels taller than the screen.
func TestCounterWindowFitsScreen(t *testing.T) {
	needTool(t, "Xvfb", "xdotool")
	display := fmt.Sprintf(":%d", 140+os.Getpid()%50)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	xvfb := exec.CommandContext(ctx, "Xvfb", display, "-screen", "0", "1366x768x24", "-nolisten", "tcp")
	if err := xvfb.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = xvfb.Process.Kill(); _ = xvfb.Wait() }()
	env := append(os.Environ(), "DISPLAY="+display, "LANG=C.UTF-8")
	xdo := func(args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, "xdotool", args...)
		cmd.Env = env
		out, err := cmd.Output()
		return string(out), err
	}
	// The X server is up when xdotool reaches it.
	for i := 0; ; i++ {
		if _, err := xdo("getdisplaygeometry"); err == nil {
			break
		}
		if i > 100 {
			t.Fatal("Xvfb did not start")
		}
		time.Sleep(100 * time.Millisecond)
	}
	app := exec.CommandContext(ctx, filepath.Join(binDir, "sportello"), "--data", filepath.Join(t.TempDir(), "profile"))
	app.Env = env
	var logs strings.Builder
	app.Stdout, app.Stderr = &logs, &logs
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = app.Process.Kill(); _ = app.Wait() }()

	var geom map[string]int
	deadline := time.Now().Add(90 * time.Second)
	for {
		if time.Now().After(deadline) {
			t.Fatalf("no counter window within 90 s; the app said:\n%s", logs.String())
		}
		time.Sleep(500 * time.Millisecond)
		ids, err := xdo("search", "--onlyvisible", "--name", "Sportello")
		if err != nil || strings.TrimSpace(ids) == "" {
			continue
		}
		id := strings.Fields(ids)[0]
		out, err := xdo("getwindowgeometry", "--shell", id)
		if err != nil {
			continue
		}
		geom = map[string]int{}
		for _, line := range strings.Split(out, "\n") {
			if k, v, ok := strings.Cut(line, "="); ok {
				geom[k], _ = strconv.Atoi(v)
			}
		}
		// Fyne sizes the window once the app has started: wait for the
		// size to settle.
		time.Sleep(time.Second)
		again, _ := xdo("getwindowgeometry", "--shell", id)
		if again == out {
			break
		}
	}
	x, y, w, h := geom["X"], geom["Y"], geom["WIDTH"], geom["HEIGHT"]
	if w == 0 || h == 0 || x < 0 || y < 0 || x+w > 1366 || y+h > 768 {
		t.Fatalf("the counter window lies at %d,%d, %d×%d: not within the 1366×768 screen (the status bar at its bottom falls off)", x, y, w, h)
	}
	if w < 1200 || h < 700 {
		t.Errorf("the counter window is %d×%d: it should use the screen", w, h)
	}
}
