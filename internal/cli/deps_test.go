package cli

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencies keeps the headless commands headless and given their
// workstation: no Fyne (they run on servers without a display), and no
// store or sync engine of their own (main wires them).
func TestDependencies(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"fyne.io/fyne", "github.com/sportello/sportello/store", "github.com/sportello/sportello/sync", "github.com/mattn/go-sqlite3"} {
			if dep == banned || strings.HasPrefix(dep, banned+"/") {
				t.Errorf("internal/cli depends on %s", dep)
			}
		}
	}
}
