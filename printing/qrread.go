package printing

import (
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg" // scans and phone photos
	_ "image/png"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"golang.org/x/image/draw"

	"github.com/sportello/sportello/app"
)

// maxImageBytes bounds an image given to ReadQR: a page scanned at 300 dpi
// is a few megabytes.
const maxImageBytes = 32 << 20

// ReadQR returns the text of the QR code in a PNG or JPEG image: a
// certificate's stamp photographed or scanned. It returns EINVALID for an
// image it cannot read or without a QR code.
func ReadQR(img []byte) (string, error) {
	if len(img) > maxImageBytes {
		return "", app.Errorf(app.EINVALID, "immagine troppo grande (massimo %d MB)", maxImageBytes>>20)
	}
	m, _, err := image.Decode(bytes.NewReader(img))
	if err != nil {
		return "", app.Errorf(app.EINVALID, "immagine non leggibile (servono PNG o JPEG): %v", err)
	}
	// A stamp's QR holds a few hundred bytes: on a page scanned at 150 dpi
	// its modules are two or three pixels wide, and the detector's estimate
	// of the module size (hence the grid it samples) misses on some scales
	// and not on others. Try the image as it is, then rescaled, each with
	// the hybrid and the global binarizer.
	for _, scale := range []float64{1, 2, 1.5, 3, 0.75, 2.5} {
		src := gozxing.NewLuminanceSourceFromImage(rescale(m, scale))
		for _, bin := range []func(gozxing.LuminanceSource) gozxing.Binarizer{
			gozxing.NewHybridBinarizer,
			gozxing.NewGlobalHistgramBinarizer,
		} {
			bmp, err := gozxing.NewBinaryBitmap(bin(src))
			if err != nil {
				return "", fmt.Errorf("read QR: %w", err)
			}
			hints := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true}
			if res, err := qrcode.NewQRCodeReader().Decode(bmp, hints); err == nil {
				return res.GetText(), nil
			}
		}
	}
	return "", app.Errorf(app.EINVALID, "nessun codice QR leggibile nell'immagine")
}

// rescale scales m by factor with bilinear interpolation (1: m itself).
func rescale(m image.Image, factor float64) image.Image {
	if factor == 1 {
		return m
	}
	b := m.Bounds()
	dst := image.NewGray(image.Rect(0, 0, int(float64(b.Dx())*factor), int(float64(b.Dy())*factor)))
	draw.BiLinear.Scale(dst, dst.Bounds(), m, b, draw.Src, nil)
	return dst
}
