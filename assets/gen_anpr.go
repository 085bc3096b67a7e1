//go:build ignore

// gen_anpr rebuilds anpr/*.csv.gz, the ANPR reference tables built into
// the binaries, from a release folder holding the eight published .csv
// files: `go run ./assets/gen_anpr.go FOLDER` from the repository root
// (anpr/README.md says where a release is published). The tables must
// parse and validate first, so that a broken release never gets built in.
package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"

	"github.com/sportello/sportello/app/anpr"
)

func main() {
	log.SetFlags(0)
	if len(os.Args) != 2 {
		log.Fatal("usage: go run ./assets/gen_anpr.go FOLDER")
	}
	src := os.Args[1]
	t, err := anpr.ReadFS(os.DirFS(src))
	if err != nil {
		log.Fatal(err)
	}
	if err := t.Validate(); err != nil {
		log.Fatal(err)
	}
	_, self, _, _ := runtime.Caller(0)
	dst := filepath.Join(filepath.Dir(self), "anpr")
	names := []string{anpr.FileComuni, anpr.FileStates}
	for _, n := range anpr.TableNames() {
		names = append(names, n.File())
	}
	for _, name := range names {
		// The published bytes, not t written back: the copy stays the
		// release, byte for byte once decompressed.
		data, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			log.Fatal(err)
		}
		var buf bytes.Buffer
		// No name or time in the header: the same release gives the same
		// bytes, and a rebuild without a change leaves git clean.
		zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if err != nil {
			log.Fatal(err)
		}
		if _, err := zw.Write(data); err != nil {
			log.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, name+".gz"), buf.Bytes(), 0o644); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %d bytes, %d compressed\n", name, len(data), buf.Len())
	}
}
