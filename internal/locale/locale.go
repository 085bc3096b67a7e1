// Package locale names a real locale for the process when the environment
// names "C" or "POSIX" (containers, cron, CI): Fyne parses the locale in its
// package initialisation and logs an error for those, which every command of
// the binary, headless ones too, would print.
//
// main imports it first, blank. Go initialises packages in import-path
// order among those whose imports are ready (Go spec, "Package
// initialization"), and this one imports only os, so it runs before
// fyne.io/fyne/v2/lang, which waits for golang.org/x/text.
package locale

import (
	"os"
	"strings"
)

func init() {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		val := os.Getenv(v)
		if val == "" {
			continue
		}
		if val == "C" || val == "POSIX" || strings.HasPrefix(val, "C.") {
			os.Setenv(v, "it_IT.UTF-8")
		}
		return // the first one set is the one that counts
	}
}
