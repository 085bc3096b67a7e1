// Package rotlog is a size-bounded log file for a machine nobody watches
// for weeks (the kiosk, the display board): past its limit the file moves
// to NAME.1, replacing the previous one, and a new one starts, so the log
// never holds more than two files.
package rotlog

import (
	"os"
	"sync"
)

// File is a log file bounded to about twice Max bytes on disk. It is safe
// for concurrent writers (slog handlers share it).
type File struct {
	path string
	max  int64

	mu   sync.Mutex
	f    *os.File
	size int64
}

// New returns the log at path, rotated past max bytes. Nothing is opened
// until the first write.
func New(path string, max int64) *File { return &File{path: path, max: max} }

// Write appends b, rotating first when b would take the file past its
// limit. A log that cannot be written must not stop the machine it
// records: a failure to open the file drops b and reports success.
func (l *File) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil || l.size+int64(len(b)) > l.max {
		if l.f != nil {
			l.f.Close()
			l.f = nil
			os.Rename(l.path, l.path+".1")
		}
		f, err := os.OpenFile(l.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return len(b), nil
		}
		var size int64
		if fi, err := f.Stat(); err == nil {
			size = fi.Size()
		}
		l.f, l.size = f, size
		// A file left by an earlier run that is already too full for b.
		if l.size > 0 && l.size+int64(len(b)) > l.max {
			l.f.Close()
			l.f = nil
			os.Rename(l.path, l.path+".1")
			f, err := os.OpenFile(l.path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
			if err != nil {
				return len(b), nil
			}
			l.f, l.size = f, 0
		}
	}
	n, err := l.f.Write(b)
	l.size += int64(n)
	return n, err
}

// Close closes the current file; a later Write opens it again.
func (l *File) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}
