//go:build ignore

// gen_emblem renders emblem.svg to emblem.png, the raster the PDF printer
// embeds, and to icon.png, the application's icon (the emblem centred on a
// transparent square, as desktop launchers and fyne package want it): run
// `go generate ./assets` after changing the SVG.
package main

import (
	"bytes"
	"image"
	"image/color"
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

// iconSize is the application icon's side in pixels (the largest size the
// freedesktop icon theme asks for), iconMargin its transparent border.
const (
	iconSize   = 512
	iconMargin = 40
	iconRadius = 80
)

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
	writePNG("emblem.png", img)

	// The icon: the emblem centred on a white tile with rounded corners
	// (white as on paper: the shield stays readable on a dark panel too).
	ih := iconSize - 2*iconMargin
	iw := int(float64(ih) * icon.ViewBox.W / icon.ViewBox.H)
	x := (iconSize - iw) / 2
	icon.SetTarget(float64(x), iconMargin, float64(iw), float64(ih))
	sq := image.NewRGBA(image.Rect(0, 0, iconSize, iconSize))
	for py := range iconSize {
		for px := range iconSize {
			if inRoundedSquare(px, py) {
				sq.Set(px, py, color.White)
			}
		}
	}
	icon.Draw(rasterx.NewDasher(iconSize, iconSize, rasterx.NewScannerGV(iconSize, iconSize, sq, sq.Bounds())), 1)
	writePNG("icon.png", sq)
}

// inRoundedSquare reports whether pixel (x, y) is on the icon's tile: the
// square with corners rounded by iconRadius.
func inRoundedSquare(x, y int) bool {
	const r = iconRadius
	cx := min(max(x, r), iconSize-1-r)
	cy := min(max(y, r), iconSize-1-r)
	dx, dy := x-cx, y-cy
	return dx*dx+dy*dy <= r*r
}

func writePNG(name string, img image.Image) {
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, img); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}
