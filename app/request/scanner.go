package request

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
)

// SettingScannerFolder is the workstation's setting naming the folder its
// scanner saves into: the request form offers the newest files there.
const SettingScannerFolder = "scanner_folder"

// Settings are the workstation's own settings (the store's settings
// table) and the folders of the machine a setting names, such as the
// scanner's: the domain decides which files to offer, the adapter that
// implements Settings is the one that touches the file system.
type Settings interface {
	// Setting returns "" for a setting never set.
	Setting(ctx context.Context, key string) (string, error)
	SetSetting(ctx context.Context, key, value string) error
	// Folder returns path, made absolute, when it names an existing
	// folder of the machine; EINVALID otherwise, with a message for the
	// operator.
	Folder(path string) (string, error)
	// FolderFS is the files of the folder at the absolute path dir.
	FolderFS(dir string) fs.FS
}

// Scan is a file of the scanner folder that an attachment may take.
type Scan struct {
	Name    string // the file's name in the folder
	Type    string // sniffed from its first bytes
	Size    int64
	ModTime time.Time
}

// sniffLen is how many bytes SniffType needs.
const sniffLen = 8

// RecentScans lists the files of fsys (the scanner folder) that
// attachments take, newest first, at most limit: regular files, not
// hidden, no larger than MaxAttachmentSize, of a type SniffType knows by
// their first bytes. Anything else the scanner leaves there (thumbnails,
// job files, half-written files still empty) is not offered.
func RecentScans(fsys fs.FS, limit int) ([]Scan, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var out []Scan
	for _, e := range entries {
		if !e.Type().IsRegular() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		info, err := e.Info()
		if err != nil || info.Size() == 0 || info.Size() > MaxAttachmentSize {
			continue
		}
		t, err := sniffFile(fsys, e.Name())
		if err != nil || t == "" {
			continue
		}
		out = append(out, Scan{Name: e.Name(), Type: t, Size: info.Size(), ModTime: info.ModTime()})
	}
	slices.SortStableFunc(out, func(a, b Scan) int {
		if c := b.ModTime.Compare(a.ModTime); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func sniffFile(fsys fs.FS, name string) (string, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	head := make([]byte, sniffLen)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return "", err
	}
	return SniffType(head[:n]), nil
}

// ReadScan reads a file of the scanner folder for field, as the file
// dialog would: name must be a file directly in the folder.
func ReadScan(fsys fs.FS, field, name string) (File, error) {
	if !fs.ValidPath(name) || strings.Contains(name, "/") || name == "." {
		return File{}, app.Errorf(app.EINVALID, "file %q non nella cartella dello scanner", name)
	}
	f, err := fsys.Open(name)
	if err != nil {
		return File{}, app.Errorf(app.ENOTFOUND, "il file %s non è più nella cartella dello scanner", name)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxAttachmentSize+1))
	if err != nil {
		return File{}, app.Errorf(app.EINVALID, "il file %s non è leggibile", name)
	}
	return File{Field: field, Name: name, Data: data}, nil
}

// ScannerFolder is the workstation's scanner folder; "" when not set.
func (d *Desk) ScannerFolder(ctx context.Context) (string, error) {
	if d.Settings == nil {
		return "", nil
	}
	return d.Settings.Setting(ctx, SettingScannerFolder)
}

// SetScannerFolder sets the scanner folder: an existing folder, kept as an
// absolute path; "" unsets it.
func (d *Desk) SetScannerFolder(ctx context.Context, path string) (string, error) {
	if d.Settings == nil {
		return "", app.Errorf(app.EINVALID, "la postazione non ha impostazioni")
	}
	path = strings.TrimSpace(path)
	if path != "" {
		abs, err := d.Settings.Folder(path)
		if err != nil {
			return "", err
		}
		path = abs
	}
	return path, d.Settings.SetSetting(ctx, SettingScannerFolder, path)
}

// Scans lists the newest files of the scanner folder that attachments
// take (RecentScans), with the folder; none when no folder is set.
// ENOTFOUND when the folder is set but cannot be read (a network share
// that is down).
func (d *Desk) Scans(ctx context.Context, limit int) (string, []Scan, error) {
	dir, err := d.ScannerFolder(ctx)
	if err != nil || dir == "" {
		return dir, nil, err
	}
	list, err := RecentScans(d.Settings.FolderFS(dir), limit)
	if err != nil {
		return dir, nil, app.Errorf(app.ENOTFOUND, "cartella dello scanner %s non leggibile", dir)
	}
	return dir, list, nil
}

// ReadScan reads a file of the scanner folder for an attachment field.
func (d *Desk) ReadScan(ctx context.Context, field, name string) (File, error) {
	dir, err := d.ScannerFolder(ctx)
	if err != nil {
		return File{}, err
	}
	if dir == "" {
		return File{}, app.Errorf(app.EINVALID, "nessuna cartella dello scanner impostata")
	}
	return ReadScan(d.Settings.FolderFS(dir), field, name)
}

// AcceptedTypes are the content types an Attachment field takes.
func (f *Field) AcceptedTypes() []string {
	if len(f.Accept) == 0 {
		return DefaultAttachmentTypes
	}
	return f.Accept
}
