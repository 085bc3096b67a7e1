package printing_test

import (
	"bytes"
	"testing"

	"github.com/signintech/gopdf"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/assets"
	"github.com/sportello/sportello/printing"
)

// BenchmarkCertificatePDF lays out a certificate of residence, stamp
// included (the stamp is signed once, outside the loop).
func BenchmarkCertificatePDF(b *testing.B) {
	c := issue(b, "residenza", nicolo(b), 5, certificate.Bollo{})
	opts := options(b, c)
	if _, err := printing.CertificatePDF(c, opts); err != nil { // fonts parsed once, as in the app
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := printing.CertificatePDF(c, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBareGopdf is the floor: one gopdf page with the same font
// (parsed for each PDF, as gopdf does without a cache), the same text, and
// the same QR code drawn as an image, with no layout at all.
func BenchmarkBareGopdf(b *testing.B) {
	c := issue(b, "residenza", nicolo(b), 5, certificate.Bollo{})
	text := c.CertifiedText()
	stamp := options(b, c).Stamp
	b.ReportAllocs()
	for b.Loop() {
		pdf := &gopdf.GoPdf{}
		pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4})
		pdf.AddPage()
		if err := pdf.AddTTFFontData("tw", assets.TitilliumRegular); err != nil {
			b.Fatal(err)
		}
		if err := pdf.SetFont("tw", "", 10); err != nil {
			b.Fatal(err)
		}
		y := 60.0
		for _, line := range bytes.Split([]byte(text), []byte("\n")) {
			pdf.SetXY(50, y)
			if err := pdf.Text(string(line)); err != nil {
				b.Fatal(err)
			}
			y += 14
		}
		png, err := qrcode.Encode(stamp, qrcode.Medium, 400)
		if err != nil {
			b.Fatal(err)
		}
		img, err := gopdf.ImageHolderByBytes(png)
		if err != nil {
			b.Fatal(err)
		}
		if err := pdf.ImageByHolder(img, 400, 650, &gopdf.Rect{W: 113, H: 113}); err != nil {
			b.Fatal(err)
		}
		var out bytes.Buffer
		if _, err := pdf.WriteTo(&out); err != nil {
			b.Fatal(err)
		}
	}
}
