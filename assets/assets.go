// Package assets holds the files Sportello carries inside its binaries:
// the Titillium Web font family (the typeface of the Italian public
// administration's design system, SIL Open Font License 1.1, fonts/OFL.txt)
// and the placeholder emblem printed in a comune's header until the comune
// configures its own.
//
// The fonts are the TrueType files of the npm package bootstrap-italia
// 2.18.3 (dist/fonts/Titillium_Web, "latin-ext_latin" subset: every letter
// of Italian, German and French names, and the euro sign). The emblem is
// drawn for Sportello: a shield under a mural crown, the arms of no comune;
// emblem.png is rendered from emblem.svg by `go generate`.
//
// anpr/ holds the reference tables of ANPR, gzip-compressed, under the
// Creative Commons Attribution 4.0 licence (anpr/README.md): the app and the
// hub start with every comune and state, not a subset.
package assets

import (
	"embed"
	"io/fs"
)

//go:generate go run gen_emblem.go

// Titillium Web, as TrueType bytes. Callers parse them once and keep the
// result: parsing costs milliseconds.
var (
	//go:embed fonts/TitilliumWeb-Regular.ttf
	TitilliumRegular []byte
	//go:embed fonts/TitilliumWeb-SemiBold.ttf
	TitilliumSemiBold []byte
	//go:embed fonts/TitilliumWeb-Bold.ttf
	TitilliumBold []byte
)

// FontLicense is the SIL Open Font License of Titillium Web, which must
// travel with the fonts.
//
//go:embed fonts/OFL.txt
var FontLicense string

// Emblem is the placeholder emblem as an opaque PNG, 380 pixels wide.
//
//go:embed emblem.png
var Emblem []byte

// EmblemSVG is the emblem's source, for screens that draw vectors.
//
//go:embed emblem.svg
var EmblemSVG []byte

//go:embed anpr/*.csv.gz
var anprFiles embed.FS

// ANPR is the folder of ANPR's eight reference tables as published, each
// file gzip-compressed (archivio_comuni.csv.gz…): anpr.ReadFS reads it.
// gen_anpr.go rebuilds it from a newer release.
var ANPR = func() fs.FS {
	sub, err := fs.Sub(anprFiles, "anpr")
	if err != nil {
		panic(err) // "anpr" is a valid path, fixed at compile time
	}
	return sub
}()
