package rotlog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return string(b)
}

func TestFile(t *testing.T) {
	t.Run("RotatesPastMax", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "kiosk.log")
		l := New(path, 10)
		defer l.Close()
		for _, s := range []string{"aaaa\n", "bbbb\n", "cccc\n", "dddd\n", "eeee\n"} {
			if n, err := l.Write([]byte(s)); err != nil || n != len(s) {
				t.Fatalf("write %q: %d, %v", s, n, err)
			}
		}
		// 10 bytes a file: "eeee" alone in the current one, "cccc dddd" before.
		if got := read(t, path); got != "eeee\n" {
			t.Errorf("current file %q", got)
		}
		if got := read(t, path+".1"); got != "cccc\ndddd\n" {
			t.Errorf("rotated file %q", got)
		}
		files, _ := filepath.Glob(path + "*")
		if len(files) != 2 {
			t.Errorf("files %v, want two at most", files)
		}
	})
	t.Run("ContinuesAnEarlierRun", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "board.log")
		if err := os.WriteFile(path, []byte("old\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		l := New(path, 10)
		l.Write([]byte("new\n"))
		l.Close()
		if got := read(t, path); got != "old\nnew\n" {
			t.Errorf("appended file %q", got)
		}
	})
	t.Run("RotatesAFullFileOfAnEarlierRun", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "board.log")
		if err := os.WriteFile(path, []byte(strings.Repeat("x", 9)), 0o600); err != nil {
			t.Fatal(err)
		}
		l := New(path, 10)
		l.Write([]byte("new\n"))
		l.Close()
		if got := read(t, path); got != "new\n" {
			t.Errorf("current file %q", got)
		}
		if got := read(t, path+".1"); got != strings.Repeat("x", 9) {
			t.Errorf("rotated file %q", got)
		}
	})
	t.Run("UnwritableIsNotAnError", func(t *testing.T) {
		l := New(filepath.Join(t.TempDir(), "missing", "kiosk.log"), 10)
		if n, err := l.Write([]byte("lost\n")); err != nil || n != 5 {
			t.Fatalf("write to an unwritable log: %d, %v", n, err)
		}
	})
}
