package printing

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/signintech/gopdf"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/post"
)

// The cover letter of a certificate by post (app/post).
//
// The window of a DL envelope (110 × 220 mm) and where the address falls
// on an A4 sheet folded in three to go in it.
//
// Italy's rule for window envelopes is the Ministry's (DM 1991 on the
// "invii normalizzati", Gazzetta Ufficiale 14 January 1992, allegato 8,
// tabella 8, 2.3.1): the window lies parallel to the long side, at least
// 40 mm from the top edge and 15 mm from the left, right and bottom
// edges; Poste Italiane wants the address at the bottom right ("in basso a
// destra", with a 15 mm white band under it). The DL window envelopes
// sold in Italy ("busta a finestra destra") carry the ISO 269 window of
// 90 × 45 mm, 20 mm from the right edge and 15 mm from the bottom: 50 mm
// under the top, inside the Ministry's bounds.
//
// The top third of a sheet folded in three (99 mm) faces the window. In
// an envelope 10 mm wider and 11 mm taller than the folded sheet, the
// sheet may sit anywhere: the part of the sheet the window shows whatever
// the slack is x 110–190 mm, y 50–84 mm from the sheet's top left corner
// (PostWindowSafe), and the address is printed inside it with 3 mm to
// spare on every side.
const (
	DLWidth, DLHeight    = 220.0, 110.0
	DLWindowW, DLWindowH = 90.0, 45.0
	DLWindowRight        = 20.0 // from the envelope's right edge
	DLWindowBottom       = 15.0 // from the envelope's bottom edge
)

// PostSafe is the part of the sheet, in mm from its top left corner, that
// the window shows however the folded sheet sits in the envelope.
const (
	PostSafeX0 = DLWidth - DLWindowRight - DLWindowW           // 110: the sheet pushed right shows more, never less
	PostSafeY0 = DLHeight - DLWindowBottom - DLWindowH         // 50
	PostSafeX1 = PostSafeX0 + DLWindowW - (DLWidth - pageW)    // 190: the sheet pushed right by the 10 mm of slack
	PostSafeY1 = PostSafeY0 + DLWindowH - (DLHeight - pageH/3) // 84: the sheet down by the 11 mm of slack
)

const (
	postAddressX      = PostSafeX0 + 3
	postAddressY      = PostSafeY0 + 3
	postAddressW      = PostSafeX1 - PostSafeX0 - 6
	postAddressLineMM = 5.2
	postSenderY       = 14.0
	postBodyY         = 108.0 // under the first fold (99 mm)
	postFoldMark      = 6.0   // the fold marks' length on the left edge
)

// styleAddress is the address's type: 11 pt, down to 8 pt for a line
// that would not fit the window otherwise.
var styleAddress = style{fontRegular, 11, colorInk}

// PostCoverPDF lays the cover letter out on an A4 page, with the address
// inside the window of a DL envelope (see DLWindowW) and fold marks at the
// thirds, and appends the pages of the PDFs in attach (the certificate,
// the pagoPA notice) so that one job prints the envelope's content.
func PostCoverPDF(c *post.Cover, attach ...[]byte) ([]byte, error) {
	lines := c.Address.Lines()
	if err := printableAll(append(lines, c.ComuneName, c.Title, c.Operator)...); err != nil {
		return nil, err
	}
	office := "Ufficio Anagrafe"
	p, err := newDoc(gopdf.PageSizeA4, gopdf.PdfInfo{Title: "Certificato per posta " + c.Certificate, Author: "Comune di " + c.ComuneName,
		Subject: "Richiesta " + c.Request, Creator: "Sportello", Producer: "Sportello", CreationDate: c.Date.In(app.Rome)})
	if err != nil {
		return nil, err
	}
	// The return address, top left (Poste: "il blocco mittente va in alto
	// a sinistra"), outside the window.
	y := p.lines(styleOffice, marginL, postSenderY, 80, "Comune di "+c.ComuneName)
	p.lines(styleHeader, marginL, y, 80, office)
	// The recipient in the window.
	y = postAddressY
	for _, l := range lines {
		st := styleAddress
		for st.size > 8 && p.width(st, l) > postAddressW {
			st.size -= 0.5
		}
		if p.width(st, l) > postAddressW {
			return nil, app.Errorf(app.EINVALID, "riga dell'indirizzo troppo lunga per la finestra della busta: %q", l)
		}
		p.text(st, postAddressX, y+postAddressLineMM*0.75, l)
		y += postAddressLineMM
	}
	// Fold marks on the left edge, at the thirds.
	p.rule(colorMuted, 0.2, 0, postFoldMark, pageH/3)
	p.rule(colorMuted, 0.2, 0, postFoldMark, 2*pageH/3)

	y = postBodyY
	y = p.lines(styleSmall, marginL, y, contentW, c.ComuneName+", "+c.Date.In(app.Rome).Format("02/01/2006")) + 4
	y = p.lines(styleBodyBold, marginL, y, contentW, "Oggetto: certificato richiesto per posta - richiesta n. "+c.Request) + 4
	y = p.lines(styleBody, marginL, y, contentW, fmt.Sprintf("Come richiesto, si trasmette il %s n. %s, con il contrassegno elettronico che ne permette la verifica (CAD art. 23-ter).",
		strings.ToLower(c.Title), c.Certificate)) + 3
	if c.AmountCents > 0 {
		y = p.lines(styleBody, marginL, y, contentW, fmt.Sprintf("Si prega di pagare %s entro il %s con l'avviso pagoPA allegato (codice avviso %s), presso un prestatore di servizi di pagamento, l'app IO o allo sportello:",
			app.Euro(c.AmountCents), c.Due.Format("02/01/2006"), c.Avviso)) + 2
		for _, ch := range c.Charges {
			p.text(styleBody, marginL+6, y+4, "- "+ch.Label)
			p.textRight(styleBody, marginL+110, y+4, app.Euro(ch.Cents))
			y += 5.5
		}
		y += 3
	}
	p.lines(styleSmall, marginL, y, contentW, "L'ufficiale d'anagrafe ("+c.Operator+")")
	for i, doc := range attach {
		if err := appendPages(p.pdf, doc); err != nil {
			return nil, fmt.Errorf("post cover: attachment %d: %w", i+1, err)
		}
	}
	return p.finish()
}

// appendPages adds the pages of doc, A4, after the current ones, each as
// an imported page drawn full size.
func appendPages(pdf *gopdf.GoPdf, doc []byte) (err error) {
	defer func() {
		// gofpdi panics on a file it cannot read.
		if r := recover(); r != nil {
			err = fmt.Errorf("import pages: %v", r)
		}
	}()
	var rs io.ReadSeeker = bytes.NewReader(doc)
	n := len(pdf.GetStreamPageSizes(&rs))
	if n == 0 {
		return fmt.Errorf("no pages")
	}
	for page := 1; page <= n; page++ {
		pdf.AddPage()
		tpl := pdf.ImportPageStream(&rs, page, "/MediaBox")
		pdf.UseImportedTemplate(tpl, 0, 0, pageW, pageH)
	}
	return nil
}
