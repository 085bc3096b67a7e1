package printing

import (
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg" // scans and phone photos
	_ "image/png"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

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
	bmp, err := gozxing.NewBinaryBitmapFromImage(m)
	if err != nil {
		return "", fmt.Errorf("read QR: %w", err)
	}
	hints := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, hints)
	if err != nil {
		return "", app.Errorf(app.EINVALID, "nessun codice QR leggibile nell'immagine")
	}
	return res.GetText(), nil
}
