//go:build ignore

// gen_emblem renders emblem.svg to emblem.png, the raster the PDF printer
// embeds: run `go generate ./assets` after changing the SVG.
package main

import (
	"bytes"
	"image"
	"image/draw"
	"image/png"
	"log"
	"os"

	"github.com/srwiley/oksvg"
	"github.com/srwiley/rasterx"
)

// width is the raster's width in pixels: ~480 dpi at the 20 mm the
// certificate prints it.
const width = 380

func main() {
	icon, err := oksvg.ReadIcon("emblem.svg", oksvg.StrictErrorMode)
	if err != nil {
		log.Fatal(err)
	}
	w := width
	h := int(float64(w) * icon.ViewBox.H / icon.ViewBox.W)
	icon.SetTarget(0, 0, float64(w), float64(h))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src) // opaque: printers and PDF viewers agree on white
	icon.Draw(rasterx.NewDasher(w, h, rasterx.NewScannerGV(w, h, img, img.Bounds())), 1)
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, img); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("emblem.png", buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}
