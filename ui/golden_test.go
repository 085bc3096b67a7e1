package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/sportello/sportello/app"
)

// The golden images of the main screens at the counter's 1280x800. After a
// deliberate change of the look, regenerate them by deleting the PNG and
// copying testdata/failed/<name>.png over it, after looking at it.

func TestGoldenLogin(t *testing.T) {
	h := newHarness(t, func(d *Deps) { d.LoginHint = "Rete dimostrativa — operatore: demo   password: demo" })
	test.AssertImageMatches(t, "login.png", h.capture())
}

func TestGoldenLoginFailedEnglish(t *testing.T) {
	h := newHarness(t, func(d *Deps) { d.Lang = "en" })
	s := h.c.login
	s.username.SetText(testUser)
	s.password.SetText("wrong")
	h.tap(s.submit)
	h.waitFor("the error", func() bool { return s.message.Visible() })
	test.AssertImageMatches(t, "login_en_failed.png", h.capture())
}

func TestGoldenWorkspace(t *testing.T) {
	h := newHarness(t)
	h.status.publish(app.SyncStatus{Online: true, LastSync: testNow.Add(-5 * 60 * time.Second), Pending: 3, Parked: 1, Progress: -1})
	h.login()
	h.openByKeyboard("ross", 3)
	test.AssertImageMatches(t, "workspace.png", h.capture())
}

func TestGoldenRemoteFileOffline(t *testing.T) {
	h := newHarness(t)
	h.login()
	h.openByKeyboard("rosso", 1)
	h.online.Store(false)
	h.status.publish(app.SyncStatus{Online: false, LastSync: testNow.Add(-26 * 60 * 60 * time.Second), Pending: 12, Progress: -1,
		LastError: "centro servizi non raggiungibile", ClockSkew: 5 * 60 * time.Second})
	h.search("rossi")
	test.AssertImageMatches(t, "remote_offline.png", h.capture())
}

func TestGoldenInitialSync(t *testing.T) {
	h := newHarness(t)
	h.status.publish(app.SyncStatus{Online: true, Progress: 0.42, Phase: "Scaricamento dell'anagrafe: 1.260 di 3.000"})
	h.waitFor("the progress", func() bool { return h.c.status.progBox.Visible() })
	test.AssertObjectRendersToMarkup(t, "statusbar_initial_sync.xml", h.c.status)
}
