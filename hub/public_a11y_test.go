package hub_test

import (
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/sportello/sportello/app/queue"
	"github.com/sportello/sportello/hub"
)

// axeTags are the rules of WCAG 2.1 level AA, as axe-core tags them.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// browser starts Debian's headless Chromium, driven over the DevTools
// protocol. Without it the test fails on CI (./do test installs it) and is
// skipped elsewhere.
func browser(t *testing.T) context.Context {
	t.Helper()
	const chromium = "/usr/bin/chromium"
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s missing on CI: ./do test installs it", chromium)
		}
		t.Skipf("%s not installed", chromium)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first run starts the browser, and lives as long as it: no
	// timeout on it; the page's actions below have theirs.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", chromium, err)
	}
	return ctx
}

// violation is what axe-core reports of a broken rule.
type violation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
}

// checkAxe runs axe-core (testdata/axe, vendored: no npm at test time) on
// the page the browser shows, with the WCAG 2.1 AA rules.
func checkAxe(t *testing.T, ctx context.Context, axe string) []violation {
	t.Helper()
	tags, _ := json.Marshal(axeTags)
	script := fmt.Sprintf(`axe.run(document, {runOnly: {type: "tag", values: %s}, resultTypes: ["violations"]}).then(r =>
		JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.join(" ") + " " + n.html.slice(0, 120))}))))`, tags)
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[*runtime.RemoteObject](axe)); err != nil {
		t.Fatalf("load axe: %v", err)
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](script, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe: %v", err)
	}
	var vs []violation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		t.Fatalf("axe's answer %q: %v", out, err)
	}
	return vs
}

// TestPublicPagesAccessible opens every public page, in Italian and in
// English, in headless Chromium and checks it with axe-core against WCAG
// 2.1 AA: no violation. It also books an appointment through the form as a
// citizen would, checks the refusal and the confirmation pages the same
// way, and (SPORTELLO_UPDATE_DOCS=1) writes the screenshots of docs/.
func TestPublicPagesAccessible(t *testing.T) {
	ctx := browser(t)
	axe, err := os.ReadFile(filepath.Join("testdata", "axe", "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	h := newPublicHub(t)
	check := func(t *testing.T, what string) {
		t.Helper()
		for _, v := range checkAxe(t, ctx, string(axe)) {
			t.Errorf("%s: %s (%s, %s): %s", what, v.ID, v.Impact, v.Help, strings.Join(v.Targets, " | "))
		}
	}
	reqs, err := h.DB.HubRequests(context.Background(), "I690", "")
	if err != nil || len(reqs) == 0 {
		t.Fatalf("demo requests: %d, %v", len(reqs), err)
	}
	follow := hub.FollowPath + "?id=" + reqs[0].ID + "&k=" + reqs[0].FollowCode
	for _, path := range []string{"/", "/comuni/I690/", "/comuni/I690/servizi", "/comuni/I690/servizi/cambio-residenza",
		"/comuni/I690/albo", "/comuni/I690/orari", "/comuni/I690/prenota", "/comuni/I690/prenota?area=C", "/comuni/Z999/",
		"/comuni/I690/certificato-per-posta",
		hub.FollowPath, follow, hub.FollowPath + "?id=nessuna&k=x", "/verifica", "/verifica?c=SPT1.nonvalido"} {
		for _, lang := range []string{"it", "en"} {
			u := h.URL + path
			if lang == "en" {
				u += map[bool]string{true: "&", false: "?"}[strings.Contains(u, "?")] + "lang=en"
			}
			t.Run(lang+path, func(t *testing.T) {
				if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
					t.Fatal(err)
				}
				font, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.body).fontFamily`))
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(font, "Titillium Web") {
					t.Errorf("the page's font is %q: Bootstrap Italia's stylesheet did not load", font)
				}
				check(t, u)
			})
		}
	}

	t.Run("BookInTheBrowser", func(t *testing.T) {
		slot := firstSlot(1)
		radio := `input[value="` + slot + `"]`
		tctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		err := chromedp.Do(tctx, chromedp.Navigate(h.URL+"/comuni/I690/prenota?area=C"),
			chromedp.Click(radio),
			chromedp.SendKeys("#codice_fiscale", "RSSMRA85T10A562X"),
			chromedp.SendKeys("#name", "Rossi Mario"),
			chromedp.Submit("form.booking-form"),
			chromedp.WaitVisible(`div[role="alert"]`))
		if err != nil {
			t.Fatal(err)
		}
		check(t, "refused booking")
		err = chromedp.Do(tctx,
			chromedp.SetValue("#codice_fiscale", rossiCF),
			chromedp.Click(radio),
			chromedp.Submit("form.booking-form"),
			chromedp.WaitVisible(`.booking-code`))
		if err != nil {
			t.Fatal(err)
		}
		h1, err := chromedp.Run(tctx, chromedp.Text("h1"))
		if err != nil {
			t.Fatal(err)
		}
		if h1 != "Appuntamento prenotato" {
			t.Errorf("after booking the page says %q", h1)
		}
		check(t, "booking confirmed")
		recs, err := h.DB.Records(context.Background(), "I690", queue.KindAppointment, rossiCF)
		if err != nil || len(recs) != 1 {
			t.Fatalf("appointments of the citizen: %d, %v", len(recs), err)
		}
	})

	// WCAG 1.4.10: at a phone's width (320 CSS pixels) every page reads
	// without scrolling sideways.
	t.Run("Reflow", func(t *testing.T) {
		for _, path := range []string{"/", "/comuni/I690/", "/comuni/I690/servizi", "/comuni/I690/servizi/cambio-residenza",
			"/comuni/I690/prenota?area=C", "/comuni/I690/albo", follow} {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(320, 640), chromedp.Navigate(h.URL+path)); err != nil {
				t.Fatal(err)
			}
			w, err := chromedp.Run(ctx, chromedp.Evaluate[[2]int](`[window.innerWidth, document.documentElement.scrollWidth]`))
			if err != nil {
				t.Fatal(err)
			}
			if w[0] != 320 || w[1] > 320 {
				t.Errorf("%s is %d pixels wide in a window of %d, want 320", path, w[1], w[0])
			}
		}
	})

	t.Run("Screenshots", func(t *testing.T) {
		dir := t.TempDir()
		if os.Getenv("SPORTELLO_UPDATE_DOCS") == "1" {
			dir = filepath.Join("..", "docs")
		}
		for name, path := range map[string]string{
			"public-front.png":    "/",
			"public-services.png": "/comuni/I690/servizi",
			"public-booking.png":  "/comuni/I690/prenota?area=C",
		} {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(h.URL+path)); err != nil {
				t.Fatal(err)
			}
			// The top of the page, as a browser's window shows it.
			shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(dir, name)
			if err := os.WriteFile(file, shot, 0o644); err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(file)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(f)
			f.Close()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 900 {
				t.Errorf("%s: %v, too small", name, b)
			}
		}
	})
}
