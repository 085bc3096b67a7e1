package cli

import (
	"strings"
	"testing"

	"github.com/sportello/sportello/app"
)

// `sportello sync` tells a script's log how the first download moves: a
// line every tenth of the way, none outside a download.
func TestDownloadProgress(t *testing.T) {
	var b strings.Builder
	report := downloadProgress(&b)
	report(app.SyncStatus{Progress: -1})
	for done := 0; done <= 1000; done += 50 {
		report(app.SyncStatus{Progress: float64(done) / 1000, Done: done, Total: 1000})
	}
	report(app.SyncStatus{Progress: -1})
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 11 || lines[0] != "scaricamento iniziale: 0% (0 di 1000)" || lines[10] != "scaricamento iniziale: 100% (1000 di 1000)" {
		t.Errorf("progress lines:\n%s", b.String())
	}
}
