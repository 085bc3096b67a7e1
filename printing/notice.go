package printing

import (
	"fmt"
	"strings"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/datamatrix"
	dmenc "github.com/makiuchi-d/gozxing/datamatrix/encoder"
	"github.com/signintech/gopdf"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/assets"
)

// The pagoPA notice follows the layout of "Avviso di pagamento pagoPA —
// linee guida e manuale d'uso" (v2): the creditor and the notice's title at
// the top; the object of the payment; creditor and addressee side by side;
// "Quanto e quando pagare?" with the amount and its due date (for a fine,
// the amounts of art. 202 CdS by date); "Dove pagare?"; then the part for
// banks and other channels with the QR code, the CBILL code, the codice
// avviso in groups of four and the creditor's codice fiscale; and, where
// the creditor has a postal account, the postal slip with the Poste
// DataMatrix.

var (
	styleNoticeTitle = style{fontBold, 16, colorBrand}
	styleSection     = style{fontBold, 9.5, colorBrand}
	styleAmount      = style{fontBold, 20, colorInk}
	styleCode        = style{fontBold, 12, colorInk}
)

// qrMatrix is the QR code of text as a square of modules, without border.
func qrMatrix(text string) ([][]bool, error) {
	qr, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return nil, err
	}
	qr.DisableBorder = true
	return qr.Bitmap(), nil
}

// dataMatrix is the ECC 200 DataMatrix of text as rows of modules, square
// as the Poste slip prints it.
func dataMatrix(text string) ([][]bool, error) {
	hints := map[gozxing.EncodeHintType]any{gozxing.EncodeHintType_DATA_MATRIX_SHAPE: dmenc.SymbolShapeHint_FORCE_SQUARE}
	m, err := datamatrix.NewDataMatrixWriter().Encode(text, gozxing.BarcodeFormat_DATA_MATRIX, 0, 0, hints)
	if err != nil {
		return nil, err
	}
	out := make([][]bool, m.GetHeight())
	for y := range out {
		out[y] = make([]bool, m.GetWidth())
		for x := range out[y] {
			out[y][x] = m.Get(x, y)
		}
	}
	return out, nil
}

// drawModules draws a 2D code's dark modules as filled rectangles, w mm
// wide (each row's runs merged).
func (p *pen) drawModules(m [][]bool, x, y, w float64) {
	if len(m) == 0 {
		return
	}
	mod := w / float64(len(m[0]))
	p.pdf.SetFillColor(colorQRDark.r, colorQRDark.g, colorQRDark.b)
	for r, row := range m {
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			start := c
			for c < len(row) && row[c] {
				c++
			}
			p.pdf.RectFromUpperLeftWithStyle(x+float64(start)*mod, y+float64(r)*mod, float64(c-start)*mod+0.01, mod+0.02, "F")
		}
	}
}

// newDoc starts a document with the fonts on pages of size.
func newDoc(size *gopdf.Rect, info gopdf.PdfInfo) (*pen, error) {
	fs, err := loadFonts()
	if err != nil {
		return nil, err
	}
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *size, Unit: gopdf.UnitMM})
	pdf.SetCompressLevel(6)
	for _, f := range []string{fontRegular, fontSemiBold, fontBold} {
		if err := pdf.AddTTFFontFromFontContainer(f, fs.container); err != nil {
			return nil, fmt.Errorf("font %s: %w", f, err)
		}
	}
	pdf.SetInfo(info)
	pdf.AddPage()
	return &pen{pdf: pdf}, nil
}

// printableAll returns EINVALID for the first text with a character the
// fonts lack.
func printableAll(texts ...string) error {
	fs, err := loadFonts()
	if err != nil {
		return err
	}
	for _, s := range texts {
		if r, bad := fs.missingRune(s); bad {
			return app.Errorf(app.EINVALID, "il carattere %q (U+%04X) non è stampabile", r, r)
		}
	}
	return nil
}

// finish returns the document's bytes, or the first error of the drawing.
func (p *pen) finish() ([]byte, error) {
	if p.err != nil {
		return nil, p.err
	}
	var b strings.Builder
	if _, err := p.pdf.WriteTo(&b); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

// lines draws text wrapped to width from y (the top) and returns the y
// under it.
func (p *pen) lines(s style, x, y, width float64, text string) float64 {
	for _, line := range p.wrap(s, text, width) {
		p.text(s, x, y+s.ascent(), line)
		y += s.lineHeight()
	}
	return y
}

// labelled draws a small caption over a value and returns the y under it.
func (p *pen) labelled(x, y, width float64, caption, value string, vs style) float64 {
	y = p.lines(styleBoxTitle, x, y, width, strings.ToUpper(caption))
	return p.lines(vs, x, y+0.3, width, value)
}

// brandHeader draws the creditor's emblem and name and, on the right, the
// document's title; it returns the y under the rule.
func (p *pen) brandHeader(emblem []byte, name, office, title string, width float64) float64 {
	y := marginTop
	holder, err := gopdf.ImageHolderByBytes(emblem)
	if err != nil {
		p.fail(fmt.Errorf("emblem: %w", err))
		return y
	}
	h := 14 * 1.2
	if a, ok := imageAspect(emblem); ok {
		h = 14 * a
	}
	p.fail(p.pdf.ImageByHolder(holder, marginL, y, &gopdf.Rect{W: 14, H: h}))
	x := marginL + 18
	ty := p.lines(styleComune, x, y+1, width*0.55, strings.ToUpper(name))
	if office != "" {
		ty = p.lines(styleOffice, x, ty+0.5, width*0.55, office)
	}
	p.textRight(styleNoticeTitle, marginL+width, y+1+styleNoticeTitle.ascent(), title)
	bottom := max(ty, y+h) + 3
	p.rule(colorBrand, 0.5, marginL, marginL+width, bottom)
	return bottom + 5
}

// NoticePDF lays out the pagoPA notice of a position on an A4 page. The
// PDF's subject carries the QR code's payload and, for a postal account,
// the DataMatrix's, on their own lines, so that a program can check a
// file without reading the codes. It returns EINVALID for fields that do
// not make a notice.
func NoticePDF(n *payment.NoticeFields) ([]byte, error) {
	if n == nil || n.Position == nil || n.Payee == nil {
		return nil, app.Errorf(app.EINVALID, "avviso senza posizione o senza ente creditore")
	}
	if err := n.QR.Validate(); err != nil {
		return nil, err
	}
	pos, py := n.Position, n.Payee
	if err := printableAll(pos.Causale, pos.DebtorName, py.Name, py.Office, py.PostalHolder); err != nil {
		return nil, err
	}
	qr, err := qrMatrix(n.QR.String())
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "codice QR: %v", err)
	}
	var dm [][]bool
	if n.DataMatrix != "" {
		if dm, err = dataMatrix(n.DataMatrix); err != nil {
			return nil, app.Errorf(app.EINVALID, "DataMatrix postale: %v", err)
		}
	}
	avviso := n.Avviso()
	subject := n.QR.String() + "\n" + n.DataMatrix
	p, err := newDoc(gopdf.PageSizeA4, gopdf.PdfInfo{Title: "Avviso di pagamento " + avviso.Grouped(), Author: py.Name,
		Subject: subject, Creator: "Sportello", Producer: "Sportello", CreationDate: n.PrintedOn})
	if err != nil {
		return nil, err
	}
	w := contentW
	y := p.brandHeader(assets.Emblem, py.Name, py.Office, "AVVISO DI PAGAMENTO", w)
	if py.Demo {
		p.textCenter(styleMark, pageW/2, y+styleMark.ascent(), "AVVISO DIMOSTRATIVO — NON PAGARE")
		y += styleMark.lineHeight() + 1
	}
	if n.NotPayable {
		y = p.lines(styleMark, marginL, y, w, "NON ANCORA PAGABILE: l'avviso sarà pagabile appena l'ente lo avrà registrato su pagoPA (di norma entro un giorno lavorativo).") + 1
	}

	object := pos.Causale
	if n.Instalment != nil {
		object += " — " + pos.TargetName(n.Instalment.N)
	}
	p.text(styleSection, marginL, y+styleSection.ascent(), "OGGETTO DEL PAGAMENTO")
	y = p.lines(styleValue, marginL, y+styleSection.lineHeight(), w, object) + 4

	half := (w - 6) / 2
	top := y
	y1 := p.labelled(marginL, top, half, "Ente creditore", py.Name, styleValue)
	y1 = p.lines(styleSmall, marginL, y1, half, "Cod. Fiscale "+py.CFEnte)
	y2 := p.labelled(marginL+half+6, top, half, "Destinatario avviso", pos.DebtorName, styleValue)
	y2 = p.lines(styleSmall, marginL+half+6, y2, half, "Cod. Fiscale "+pos.DebtorCF)
	y = max(y1, y2) + 5

	p.fill(colorShade, marginL, y, w, 7)
	p.text(styleSection, marginL+2, y+5, "QUANTO E QUANDO PAGARE?")
	y += 10
	amountLine := app.Euro(n.Due) + "  entro il " + n.DueDate().Format("02/01/2006")
	switch {
	case n.Stage != nil:
		amountLine = app.Euro(n.Due)
		if !n.Stage.Until.IsZero() {
			amountLine += "  entro il " + n.Stage.Until.Format("02/01/2006")
		}
	}
	p.text(styleAmount, marginL, y+styleAmount.ascent(), amountLine)
	y += styleAmount.lineHeight() + 1
	switch {
	case n.Fine != nil:
		f := n.Fine
		y = p.lines(styleSmall, marginL, y, w, fmt.Sprintf("Verbale n. %s del %s, targa %s: %s (%s).", f.Number,
			f.ViolatedAt.In(app.Rome).Format("02/01/2006"), f.Plate, f.Offence, f.Article))
		y = p.lines(styleSmall, marginL, y, w, "Importo "+payment.StageName(n.Stage.Stage)+", spese di notifica comprese ("+app.Euro(f.CostsCents)+").")
		if n.Stage.NextCents > 0 {
			y = p.lines(styleSmallBold, marginL, y, w, fmt.Sprintf("Dopo il %s l'importo dovuto è %s: pagare con l'avviso aggiornato.",
				n.Stage.Until.Format("02/01/2006"), app.Euro(n.Stage.NextCents)))
		}
	case n.Instalment != nil:
		y = p.lines(styleSmall, marginL, y, w, fmt.Sprintf("Avviso della %s della posizione di %s in totale: paga questa rata con il suo codice avviso, entro la sua scadenza.",
			pos.TargetName(n.Instalment.N), app.Euro(pos.AmountCents)))
	case len(pos.Instalments) > 0:
		y = p.lines(styleSmall, marginL, y, w, "Puoi pagare in un'unica soluzione con questo codice avviso, oppure a rate, ciascuna con il suo codice avviso:")
		for i, in := range pos.Instalments {
			line := fmt.Sprintf("rata %d: %s entro il %s — codice avviso %s", in.N,
				app.Euro(in.AmountCents), in.DueDate.Format("02/01/2006"), in.Avviso.Grouped())
			if i < len(n.InstalmentStatus) && n.InstalmentStatus[i] != payment.StatusDue && n.InstalmentStatus[i] != payment.StatusNotPayable {
				line += " — " + string(n.InstalmentStatus[i])
			}
			y = p.lines(styleSmall, marginL+4, y, w-4, line)
		}
	default:
		y = p.lines(styleSmall, marginL, y, w, "L'importo è aggiornato automaticamente dal sistema pagoPA, così paghi sempre quanto dovuto.")
	}
	y += 4

	p.fill(colorShade, marginL, y, w, 7)
	p.text(styleSection, marginL+2, y+5, "DOVE PAGARE?")
	y += 10
	ly := p.lines(styleSmallBold, marginL, y, half, "PAGA SUL SITO O CON LE APP")
	ly = p.lines(styleSmall, marginL, ly, half, "del tuo Ente Creditore, di Poste Italiane, della tua Banca o degli altri canali di pagamento: potrai pagare con carte, conto corrente, CBILL.")
	ry := p.lines(styleSmallBold, marginL+half+6, y, half, "PAGA SUL TERRITORIO")
	ry = p.lines(styleSmall, marginL+half+6, ry, half, "in tutti gli Uffici Postali, in Banca, in Ricevitoria, dal Tabaccaio, al Bancomat, al Supermercato e allo sportello del Comune.")
	y = max(ly, ry) + 6

	// Banche e altri canali.
	boxH := 56.0
	p.box(colorBrand, 0.3, marginL, y, w, boxH)
	p.text(styleSection, marginL+3, y+6, "BANCHE E ALTRI CANALI")
	qrW := 34.0
	p.drawModules(qr, marginL+4, y+10, qrW)
	fx := marginL + qrW + 10
	fw := w - qrW - 14
	fy := y + 9
	fy = p.labelled(fx, fy, fw, "Destinatario", pos.DebtorName, styleSmallBold)
	fy = p.labelled(fx, fy+0.5, fw, "Ente creditore", py.Name, styleSmallBold)
	fy = p.labelled(fx, fy+0.5, fw, "Oggetto del pagamento", object, styleSmallBold)
	col := fw / 3
	ry1 := p.labelled(fx, fy+1, col, "Codice CBILL", orDash(py.CBILL), styleCode)
	ry2 := p.labelled(fx+col, fy+1, col*2, "Codice Avviso", avviso.Grouped(), styleCode)
	fy = max(ry1, ry2)
	ry1 = p.labelled(fx, fy+0.5, col, "Cod. Fiscale Ente Creditore", py.CFEnte, styleCode)
	ry2 = p.labelled(fx+col, fy+0.5, col*2, "Euro", strings.TrimPrefix(app.Euro(n.Due), "€ "), styleCode)
	y += boxH + 5

	if dm != nil {
		boxH = 50.0
		p.box(colorBrand, 0.3, marginL, y, w, boxH)
		p.text(styleSection, marginL+3, y+6, "BOLLETTINO POSTALE PA")
		holder := py.PostalHolder
		if holder == "" {
			holder = py.Name
		}
		p.lines(styleSmall, marginL+60, y+3, w-63, "sul C/C n. "+pad12(py.PostalAccount)+" intestato a "+holder)
		dmW := 26.0
		p.drawModules(dm, marginL+4, y+10, dmW)
		fx = marginL + dmW + 10
		fw = w - dmW - 14
		fy = y + 10
		fy = p.labelled(fx, fy, fw, "Destinatario", pos.DebtorName, styleSmallBold)
		fy = p.labelled(fx, fy+0.5, fw, "Oggetto del pagamento", object, styleSmallBold)
		col = fw / 4
		a1 := p.labelled(fx, fy+1, col*2, "Codice Avviso", avviso.Grouped(), styleCode)
		p.labelled(fx+col*2, fy+1, col, "Tipo", "P1", styleCode)
		p.labelled(fx+col*3, fy+1, col, "Euro", strings.TrimPrefix(app.Euro(n.Due), "€ "), styleCode)
		a1 = p.labelled(fx, a1+0.5, col*2, "Cod. Fiscale Ente Creditore", py.CFEnte, styleCode)
		_ = a1
		y += boxH + 4
	}
	footer := "Avviso della posizione " + pos.ID
	if n.Instalment != nil {
		footer = fmt.Sprintf("Posizione %s, rata %d", pos.ID, n.Instalment.N)
	}
	p.text(styleFooter, marginL, footerY, footer+" — stampato il "+n.PrintedOn.Format("02/01/2006"))
	p.textRight(styleFooter, right, footerY, "pagoPA — Sistema dei pagamenti della Pubblica Amministrazione")
	_ = ry1
	_ = ry2
	return p.finish()
}

// pad12 is a postal account as the slip prints it, on 12 digits.
func pad12(s string) string {
	for len(s) < 12 {
		s = "0" + s
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// NoticeCodes returns the QR payload and the Poste DataMatrix payload ("" when
// none) a notice PDF carries in its subject.
func NoticeCodes(pdf []byte) (qr, dm string, err error) {
	first, last, err := Embedded(pdf)
	if err != nil {
		return "", "", app.Errorf(app.EINVALID, "non è un avviso di pagamento di Sportello")
	}
	qr, dm = strings.TrimSuffix(first, "\n"), last
	if !strings.HasPrefix(qr, "PAGOPA|") {
		return "", "", app.Errorf(app.EINVALID, "non è un avviso di pagamento di Sportello")
	}
	return qr, dm, nil
}

// when is an instant in Rome for documents.
func when(t time.Time) string { return t.In(app.Rome).Format("02/01/2006 15:04") }
