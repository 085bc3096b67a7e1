package printing

import (
	"fmt"

	"github.com/signintech/gopdf"
)

// The queue ticket as a PDF: a page of receipt width, for a kiosk whose
// printer is a CUPS queue rather than a raw ESC/POS one.
const (
	ticketW      = 80.0 // mm: the common receipt roll
	ticketH      = 110.0
	ticketMargin = 5.0
)

// TicketPDF lays a queue ticket out on an 80 mm page: the same lines as
// TicketESCPOS, in the Titillium faces of the certificates.
func TicketPDF(t Ticket) ([]byte, error) {
	fonts, err := loadFonts()
	if err != nil {
		return nil, err
	}
	head, foot := t.lines()
	for _, s := range append(append([]string{t.Number}, head...), foot...) {
		if r, bad := fonts.missingRune(s); bad {
			return nil, fmt.Errorf("ticket: the font has no %q", r)
		}
	}
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: gopdf.Rect{W: ticketW, H: ticketH}, Unit: gopdf.UnitMM})
	pdf.SetCompressLevel(6)
	for _, f := range []string{fontRegular, fontBold} {
		if err := pdf.AddTTFFontFromFontContainer(f, fonts.container); err != nil {
			return nil, fmt.Errorf("font %s: %w", f, err)
		}
	}
	pdf.SetInfo(gopdf.PdfInfo{Title: "Biglietto " + t.Number, Author: t.Comune, Creator: "Sportello", Producer: "Sportello", CreationDate: t.IssuedAt})
	pdf.AddPage()
	p := &pen{pdf: pdf}
	mid := ticketW / 2
	y := ticketMargin + 6.0
	p.textCenter(style{fontBold, 12, colorBrand}, mid, y, head[0])
	y += 8
	p.textCenter(style{fontBold, 16, colorInk}, mid, y, head[1])
	y += 24
	big := style{fontBold, 60, colorInk}
	if w := p.width(big, t.Number); w > ticketW-2*ticketMargin {
		big.size *= (ticketW - 2*ticketMargin) / w // an offline number is longer
	}
	p.textCenter(big, mid, y, t.Number)
	y += 10
	p.rule(colorRule, 0.3, ticketMargin, ticketW-ticketMargin, y)
	y += 7
	body := style{fontRegular, 11, colorInk}
	for _, l := range foot {
		for _, w := range p.wrap(body, l, ticketW-2*ticketMargin) {
			p.textCenter(body, mid, y, w)
			y += body.lineHeight()
		}
	}
	if p.err != nil {
		return nil, p.err
	}
	return pdf.GetBytesPdfReturnErr()
}
