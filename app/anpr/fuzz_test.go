package anpr

import (
	"bytes"
	"compress/gzip"
	"io"
	"reflect"
	"testing"
	"testing/fstest"
	"time"
)

// The readers take files an administrator uploads to the hub: whatever the
// bytes, they must return an error rather than panic, and what they accept
// and Validate passes must survive the writer unchanged, since the hub
// passes tables on in that format. The seeds are in testdata/fuzz.

func FuzzReadComuni(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, err := ReadComuni(bytes.NewReader(data))
		if err != nil {
			return
		}
		tables := &Tables{Comuni: cs}
		exerciseIndex(tables)
		if tables.Validate() != nil {
			return
		}
		var buf bytes.Buffer
		if err := WriteComuni(&buf, cs); err != nil {
			t.Fatalf("WriteComuni: %v", err)
		}
		back, err := ReadComuni(&buf)
		if err != nil {
			t.Fatalf("ReadComuni(WriteComuni(x)): %v\n%s", err, buf.Bytes())
		}
		if !reflect.DeepEqual(back, cs) {
			t.Fatalf("round trip:\n got %+v\nwant %+v", back, cs)
		}
	})
}

func FuzzReadStates(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		ss, err := ReadStates(bytes.NewReader(data))
		if err != nil {
			return
		}
		tables := &Tables{States: ss}
		exerciseIndex(tables)
		if tables.Validate() != nil {
			return
		}
		var buf bytes.Buffer
		if err := WriteStates(&buf, ss); err != nil {
			t.Fatalf("WriteStates: %v", err)
		}
		back, err := ReadStates(&buf)
		if err != nil {
			t.Fatalf("ReadStates(WriteStates(x)): %v\n%s", err, buf.Bytes())
		}
		if !reflect.DeepEqual(back, ss) {
			t.Fatalf("round trip:\n got %+v\nwant %+v", back, ss)
		}
	})
}

func FuzzReadEntries(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		es, err := ReadEntries(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, name := range TableNames() {
			tables := &Tables{}
			*tables.entries(name) = es
			exerciseIndex(tables)
			if tables.Validate() != nil {
				return
			}
			// Every layout, with or without the index, flag and note
			// columns, must give the rows back.
			var buf bytes.Buffer
			if err := WriteEntries(&buf, name, es); err != nil {
				t.Fatalf("WriteEntries(%s): %v", name, err)
			}
			back, err := ReadEntries(&buf)
			if err != nil {
				t.Fatalf("ReadEntries(WriteEntries(%s, x)): %v\n%s", name, err, buf.Bytes())
			}
			if !reflect.DeepEqual(back, es) {
				t.Fatalf("round trip through %s:\n got %+v\nwant %+v", name, back, es)
			}
		}
	})
}

// exerciseIndex runs the lookups over any tables a reader accepted, valid or
// not: a bad import must not crash a workstation.
func exerciseIndex(t *Tables) {
	ix := NewIndex(t)
	for _, c := range t.Comuni {
		ix.PlaceName(c.Code, c.ValidFrom)
		ix.ComuneByName(c.Name, c.ValidTo)
		ix.ComuniByName(c.AltName, time.Time{})
	}
	for _, s := range t.States {
		ix.PlaceName(s.Code, s.ValidTo)
		ix.StateByISO3(s.ISO3)
		ix.StateByIstat(s.Istat)
	}
	for _, name := range TableNames() {
		for _, e := range t.Entries(name) {
			ix.Entry(name, e.ID)
		}
	}
	_ = t.Validate()
}

// FuzzReadFSGzip: an uploaded release folder may hold the comuni archive
// compressed. Whatever its bytes, ReadFS returns an error or exactly what
// the plain reader gives for the decompressed file: the compressed path
// never accepts a truncated or corrupt archive as fewer records.
func FuzzReadFSGzip(f *testing.F) {
	files, err := Defaults().Files()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{}
		for name, b := range files {
			fsys[name] = &fstest.MapFile{Data: b}
		}
		delete(fsys, FileComuni)
		fsys[FileComuni+".gz"] = &fstest.MapFile{Data: data}
		got, err := ReadFS(fsys)
		if err != nil {
			return
		}
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("ReadFS accepted what gzip refuses: %v", err)
		}
		plain, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("ReadFS accepted a broken archive: %v", err)
		}
		want, err := ReadComuni(bytes.NewReader(plain))
		if err != nil || !reflect.DeepEqual(got.Comuni, want) {
			t.Fatalf("compressed and plain read differ (%v)", err)
		}
	})
}
