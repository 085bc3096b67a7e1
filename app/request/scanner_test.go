package request_test

import (
	"bytes"
	"context"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/request"
)

// TestRecentScans lists a scanner folder as the request form offers it:
// newest first, only what an attachment takes.
func TestRecentScans(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	file := func(data string, min int) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte(data), ModTime: at.Add(time.Duration(min) * time.Minute)}
	}
	dir := fstest.MapFS{
		"b.pdf":          file("%PDF-1.7 b", 5),
		"a.pdf":          file("%PDF-1.7 a", 5), // same minute as b: by name
		"scan.tif":       file("II*\x00tiff", 9),
		"foto.jpg":       file("\xFF\xD8\xFF\xE0", 1),
		"finto.pdf":      file("MZ\x90\x00", 10),
		"vuoto.pdf":      file("", 11),
		"enorme.pdf":     {Data: append([]byte("%PDF-"), bytes.Repeat([]byte{0}, request.MaxAttachmentSize)...), ModTime: at.Add(12 * time.Minute)},
		".nascosto.png":  file("\x89PNG\r\n\x1a\n", 13),
		"cartella/c.pdf": file("%PDF-1.4 c", 14),
	}
	names := func(s []request.Scan) []string {
		var out []string
		for _, x := range s {
			out = append(out, x.Name)
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		limit int
		want  []string
	}{
		{"All", 0, []string{"scan.tif", "a.pdf", "b.pdf", "foto.jpg"}},
		{"Limit", 2, []string{"scan.tif", "a.pdf"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := request.RecentScans(dir, tc.limit)
			if err != nil || !slices.Equal(names(got), tc.want) {
				t.Fatalf("RecentScans = %q (%v), want %q", names(got), err, tc.want)
			}
			if got[0].Type != "image/tiff" || got[0].Size != 8 {
				t.Fatalf("first scan %+v", got[0])
			}
		})
	}
	t.Run("ReadScan", func(t *testing.T) {
		f, err := request.ReadScan(dir, "documento", "a.pdf")
		if err != nil || f.Field != "documento" || f.Name != "a.pdf" || string(f.Data) != "%PDF-1.7 a" {
			t.Fatalf("ReadScan = %+v, %v", f, err)
		}
		for _, bad := range []string{"../a.pdf", "cartella/c.pdf", "/etc/passwd", ".", ""} {
			if _, err := request.ReadScan(dir, "documento", bad); app.ErrorCode(err) != app.EINVALID {
				t.Errorf("ReadScan(%q) = %v", bad, err)
			}
		}
		if _, err := request.ReadScan(dir, "documento", "sparito.pdf"); app.ErrorCode(err) != app.ENOTFOUND {
			t.Errorf("a missing file: %v", err)
		}
	})
}

// settings is the workstation's settings table and the folders of its
// machine, in memory: folders maps an absolute path to its files.
type settings struct {
	values  map[string]string
	folders map[string]fstest.MapFS
}

func (s settings) Setting(_ context.Context, k string) (string, error) { return s.values[k], nil }
func (s settings) SetSetting(_ context.Context, k, v string) error     { s.values[k] = v; return nil }

func (s settings) Folder(path string) (string, error) {
	if !strings.HasPrefix(path, "/") {
		path = "/home/operatore/" + path
	}
	if _, ok := s.folders[path]; !ok {
		return "", app.Errorf(app.EINVALID, "la cartella %s non esiste", path)
	}
	return path, nil
}

func (s settings) FolderFS(dir string) fs.FS {
	if f, ok := s.folders[dir]; ok {
		return f
	}
	return gone{}
}

// gone is a folder that was there and is not any more.
type gone struct{}

func (gone) Open(string) (fs.File, error) { return nil, fs.ErrNotExist }

// TestDeskScannerFolder keeps the folder the machine resolves, refuses one
// that does not exist, and offers and reads its files.
func TestDeskScannerFolder(t *testing.T) {
	ctx := context.Background()
	set := settings{values: map[string]string{}, folders: map[string]fstest.MapFS{
		"/home/operatore/scanner": {"doc.pdf": {Data: []byte("%PDF-1.4 doc")}},
	}}
	d := &request.Desk{Settings: set}
	if dir, list, err := d.Scans(ctx, 5); dir != "" || list != nil || err != nil {
		t.Fatalf("no folder: %q %v %v", dir, list, err)
	}
	dir, err := d.SetScannerFolder(ctx, " scanner ")
	if err != nil || dir != "/home/operatore/scanner" || set.values[request.SettingScannerFolder] != dir {
		t.Fatalf("SetScannerFolder = %q, %v; kept %q", dir, err, set.values[request.SettingScannerFolder])
	}
	if got, list, err := d.Scans(ctx, 5); got != dir || len(list) != 1 || list[0].Name != "doc.pdf" || err != nil {
		t.Fatalf("Scans = %q %+v %v", got, list, err)
	}
	if f, err := d.ReadScan(ctx, "documento", "doc.pdf"); err != nil || string(f.Data) != "%PDF-1.4 doc" {
		t.Fatalf("ReadScan = %+v %v", f, err)
	}
	if _, err := d.SetScannerFolder(ctx, "manca"); app.ErrorCode(err) != app.EINVALID || set.values[request.SettingScannerFolder] != dir {
		t.Fatalf("a missing folder: %v; kept %q", err, set.values[request.SettingScannerFolder])
	}
	delete(set.folders, dir)
	if _, _, err := d.Scans(ctx, 5); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("a folder gone: %v", err)
	}
	if _, err := d.ReadScan(ctx, "documento", "doc.pdf"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("a file of a folder gone: %v", err)
	}
	if _, err := d.SetScannerFolder(ctx, ""); err != nil || set.values[request.SettingScannerFolder] != "" {
		t.Fatalf("unset: %v", err)
	}
}
