package printing

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // emblems
	_ "image/png"
	"strconv"
	"strings"
	"time"

	"github.com/signintech/gopdf"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/assets"
)

// Options are what the sheet needs beyond the certificate: the signed
// stamp, and how the comune presents itself.
type Options struct {
	// Stamp is the text of the QR code: the verification address with the
	// signed stamp, as certificate.URL writes it
	// ("https://hub.example.it/verifica?c=SPT1…"). Required.
	Stamp string
	// Province is the line under the comune's name in the header
	// ("Città Metropolitana di Milano"); empty, the line is left out.
	Province string
	// Office is the issuing office; empty, "Ufficio Anagrafe".
	Office string
	// Fees are the comune's diritti di segreteria, printed as the amount
	// certificate.Fees gives for this certificate. The zero value prints
	// no diritti due: pass certificate.DefaultFees for the law's amounts.
	Fees certificate.ComuneFees
	// Emblem is the comune's emblem as PNG or JPEG, printed 17 mm wide in
	// the header; nil, the neutral placeholder of package assets.
	Emblem []byte
}

// The page, in millimetres: A4, with the margins of an Italian
// administrative letter.
const (
	pageW        = 210.0
	pageH        = 297.0
	marginL      = 20.0
	marginR      = 20.0
	contentW     = pageW - marginL - marginR
	right        = pageW - marginR
	marginTop    = 14.0
	contentLimit = 280.0 // nothing of the certificate below this line: the footer's
	footerY      = 288.0 // baseline of the footer

	emblemW  = 17.0
	labelW   = 46.0 // the label column of the facts
	valueX   = marginL + labelW + 4
	valueW   = right - valueX
	qrSize   = 40.0 // ≥ 35 mm: a phone reads ~95 modules at arm's length
	qrColumn = 46.0 // the QR code and its caption, at the bottom right
)

var (
	styleComune    = style{fontBold, 15, colorBrand}
	styleHeader    = style{fontRegular, 10.5, colorBrand}
	styleOffice    = style{fontSemiBold, 10.5, colorBrand}
	styleTitle     = style{fontBold, 15, colorInk}
	styleNumber    = style{fontSemiBold, 10, colorMuted}
	styleBody      = style{fontRegular, 11, colorInk}
	styleBodyBold  = style{fontBold, 11, colorInk}
	styleLabel     = style{fontRegular, 10, colorMuted}
	styleValue     = style{fontSemiBold, 11, colorInk}
	styleTableHead = style{fontSemiBold, 9, colorInk}
	styleTable     = style{fontRegular, 9.5, colorInk}
	styleSmall     = style{fontRegular, 9, colorInk}
	styleSmallBold = style{fontBold, 9, colorInk}
	styleBoxTitle  = style{fontBold, 8, colorMuted}
	styleCaption   = style{fontRegular, 7.5, colorMuted}
	styleFooter    = style{fontRegular, 8, colorMuted}
	styleMark      = style{fontBold, 11, colorAlert}
)

// CertificatePDF lays the certificate out on A4 pages and returns the PDF:
// the comune's header, the title, the certifying sentence, the certified
// facts (and the family table), the use, the bollo and the diritti, the
// notice of DPR 445/2000 art. 40, the times of the data and of issue, the
// number, and the stamp as a QR code with how to verify it. A reprint
// (c.Duplicate) is marked DUPLICATO; a certificate issued offline says it
// must be checked.
//
// The output depends only on its arguments: the PDF's creation date is the
// certificate's time of issue. Fonts are embedded (the characters used).
// The PDF's subject carries the certified text and, on its last line, the
// stamp (see Embedded), so that a program can verify a file without reading
// the QR code.
//
// It returns EINVALID for a certificate that does not validate, a missing
// stamp, or a text with a character the font cannot print.
func CertificatePDF(c *certificate.Certificate, opts Options) ([]byte, error) {
	if c == nil {
		return nil, app.Errorf(app.EINVALID, "certificato mancante")
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	hub, ok := verifyPage(opts.Stamp)
	if !ok {
		return nil, app.Errorf(app.EINVALID, "contrassegno mancante o non valido: atteso l'indirizzo di verifica <hub>/verifica?c=…")
	}
	if opts.Office == "" {
		opts.Office = "Ufficio Anagrafe"
	}
	fs, err := loadFonts()
	if err != nil {
		return nil, err
	}
	for _, s := range []string{c.CertifiedText(), opts.Province, opts.Office, hub, c.Operator} {
		if r, bad := fs.missingRune(s); bad {
			return nil, app.Errorf(app.EINVALID, "il carattere %q (U+%04X) non è stampabile: correggere il dato in anagrafe", r, r)
		}
	}
	qr, err := qrcode.New(opts.Stamp, qrcode.Medium)
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "contrassegno troppo lungo per un codice QR: %v", err)
	}
	qr.DisableBorder = true // the page around it is the quiet zone
	emblem := opts.Emblem
	if emblem == nil {
		emblem = assets.Emblem
	} else if _, ok := imageAspect(emblem); !ok {
		return nil, app.Errorf(app.EINVALID, "stemma del comune non leggibile: serve un'immagine PNG o JPEG")
	}

	// Lay out once; a certificate longer than a page (a large family) is
	// laid out again knowing its number of pages, for "Pagina 1 di 2".
	l := &layout{c: c, opts: opts, hub: hub, fonts: fs, qr: qr.Bitmap(), emblem: emblem, pages: 1}
	pdf, pages, err := l.render()
	if err == nil && pages != l.pages {
		l.pages = pages
		pdf, _, err = l.render()
	}
	if err != nil {
		return nil, fmt.Errorf("lay out certificate %s: %w", c.Number, err)
	}
	var buf bytes.Buffer
	if _, err := pdf.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("write certificate %s: %w", c.Number, err)
	}
	return buf.Bytes(), nil
}

// verifyPage is the address of the verification page in a stamp URL,
// printed beside the QR code: "https://hub.example.it/verifica".
func verifyPage(stamp string) (string, bool) {
	page, payload, ok := strings.Cut(stamp, "?c=")
	if !ok || payload == "" || !strings.HasSuffix(page, "/verifica") || strings.ContainsAny(stamp, " \n\t") {
		return "", false
	}
	return page, true
}

// layout is one rendering of a certificate.
type layout struct {
	c      *certificate.Certificate
	opts   Options
	hub    string
	fonts  *fontSet
	qr     [][]bool
	emblem []byte
	pages  int // the number of pages the footers print

	p    *pen
	page int
	y    float64 // the top of what comes next
}

func (l *layout) render() (*gopdf.GoPdf, int, error) {
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitMM})
	pdf.SetCompressLevel(6)
	for _, f := range []string{fontRegular, fontSemiBold, fontBold} {
		if err := pdf.AddTTFFontFromFontContainer(f, l.fonts.container); err != nil {
			return nil, 0, fmt.Errorf("font %s: %w", f, err)
		}
	}
	c := l.c
	pdf.SetInfo(gopdf.PdfInfo{
		Title:        c.Type.Title + " n. " + c.Number.String(),
		Author:       "Comune di " + c.ComuneName,
		Subject:      c.CertifiedText() + l.opts.Stamp,
		Creator:      "Sportello",
		Producer:     "Sportello",
		CreationDate: c.IssuedAt.In(app.Rome),
	})
	l.p = &pen{pdf: pdf}
	l.page = 0
	l.newPage()

	l.header()
	l.title()
	l.certifies()
	l.facts()
	if c.Type.Facts.ListsFamily() {
		l.family()
	}
	if c.Use != "" {
		l.gap(1)
		l.row("Uso", c.Use)
	}
	if c.PARequest != "" {
		l.row("Richiesta della P.A.", c.PARequest)
	}
	// A control of ANPR the officer forced: the certificate states the
	// fact that applies, so that it says nothing false.
	for _, s := range c.ForcedStatements() {
		l.row("In deroga", s)
	}
	l.closing()
	return pdf, l.page, l.p.err
}

// newPage starts a page: the watermark of a duplicate first, under
// everything, then the footer.
func (l *layout) newPage() {
	p := l.p
	p.pdf.AddPage()
	l.page++
	l.y = marginTop
	if l.c.Duplicate {
		l.watermark()
	}
	p.text(styleFooter, marginL, footerY, "Certificato n. "+l.c.Number.String())
	p.textRight(styleFooter, right, footerY, fmt.Sprintf("Pagina %d di %d", l.page, max(l.pages, l.page)))
	if l.page > 1 {
		// Continuation pages say whose certificate they continue.
		l.y = p.paragraph([]span{{styleFooter, "COMUNE DI " + l.c.ComuneName + " - " + l.c.Type.Title + " (segue)"}}, marginL, l.y, contentW, true) + 4
	}
}

// ensure starts a new page unless h mm fit above the footer; it reports
// whether it did.
func (l *layout) ensure(h float64) bool {
	if l.y+h <= contentLimit {
		return false
	}
	l.newPage()
	return true
}

func (l *layout) gap(mm float64) { l.y += mm }

// header is the comune's: emblem, name, province, office, and a rule.
func (l *layout) header() {
	p := l.p
	holder, err := gopdf.ImageHolderByBytes(l.emblem)
	if err != nil {
		p.fail(fmt.Errorf("emblem: %w", err))
		return
	}
	emblemH := emblemW * 1.2
	if cfg, ok := imageAspect(l.emblem); ok {
		emblemH = emblemW * cfg
	}
	p.fail(p.pdf.ImageByHolder(holder, marginL, l.y, &gopdf.Rect{W: emblemW, H: emblemH}))

	x := marginL + emblemW + 5
	w := right - x
	y := l.y + 1
	for _, line := range p.wrap(styleComune, "COMUNE DI "+l.c.ComuneName, w) {
		p.text(styleComune, x, y+styleComune.ascent(), line)
		y += styleComune.lineHeight()
	}
	y += 0.5
	if l.opts.Province != "" {
		for _, line := range p.wrap(styleHeader, l.opts.Province, w) {
			p.text(styleHeader, x, y+styleHeader.ascent(), line)
			y += styleHeader.lineHeight()
		}
	}
	for _, line := range p.wrap(styleOffice, l.opts.Office, w) {
		p.text(styleOffice, x, y+styleOffice.ascent(), line)
		y += styleOffice.lineHeight()
	}
	l.y = max(y, l.y+emblemH) + 3
	p.rule(colorBrand, 0.5, marginL, right, l.y)
	l.y += 9
}

// title is the type's title, the number, and the marks of a duplicate or
// of an issue without connection.
func (l *layout) title() {
	p := l.p
	for _, line := range p.wrap(styleTitle, l.c.Type.Title, contentW) {
		p.textCenter(styleTitle, pageW/2, l.y+styleTitle.ascent(), line)
		l.y += styleTitle.lineHeight()
	}
	l.y += 0.5
	p.textCenter(styleNumber, pageW/2, l.y+styleNumber.ascent(), "n. "+l.c.Number.String())
	l.y += styleNumber.lineHeight() + 3
	if l.c.Duplicate {
		l.mark("DUPLICATO")
	}
	if l.c.Offline {
		l.mark("RILASCIATO IN ASSENZA DI COLLEGAMENTO: DA VERIFICARE")
	}
	l.y += 3
}

// mark is a framed line in the alert colour, centred.
func (l *layout) mark(text string) {
	p := l.p
	w := p.width(styleMark, text) + 8
	h := styleMark.lineHeight() + 2.4
	p.box(colorAlert, 0.5, pageW/2-w/2, l.y, w, h)
	p.textCenter(styleMark, pageW/2, l.y+1.2+styleMark.ascent(), text)
	l.y += h + 2.5
}

// certifies is the sentence of the ufficiale d'anagrafe.
func (l *layout) certifies() {
	spans := []span{
		{styleBodyBold, "L'UFFICIALE D'ANAGRAFE"},
		{styleBody, ", visti gli atti d'ufficio, "},
		{styleBodyBold, "CERTIFICA"},
		{styleBody, " che negli atti anagrafici di questo Comune risulta quanto segue:"},
	}
	l.y = l.p.paragraph(spans, marginL, l.y, contentW, true) + 3
}

// facts are the certified facts, one row each, in the words of
// certificate.CertifiedText.
func (l *layout) facts() {
	p := &l.c.Person
	f := l.c.Type.Facts
	l.row("Cognome", p.Surname)
	l.row("Nome", p.GivenName)
	l.row("Codice fiscale", p.CodiceFiscale)
	l.row(born(p.Sex)+" il", formatDate(p.BirthDate))
	l.row(born(p.Sex)+" a", p.BirthPlace)
	if f.Has(certificate.FactCitizenship) {
		l.row("Cittadinanza", p.Citizenship)
	}
	if f.Has(certificate.FactAlive) {
		l.row("Esistenza in vita", "la persona è in vita alla data del rilascio")
	}
	if f.Has(certificate.FactResidence) || (f.Has(certificate.FactResidenceHistory) && p.Address != "") {
		l.row("Residenza", p.Address+", "+l.c.ComuneName)
	}
	if f.Has(certificate.FactConvivenza) {
		l.row("Convivenza anagrafica", p.Relationship)
	}
	if f.Has(certificate.FactResidenceHistory) {
		period := "dal " + formatDate(p.RegisteredOn)
		if !p.CancelledOn.IsZero() {
			period += " al " + formatDate(p.CancelledOn)
		} else {
			period += " a oggi"
		}
		l.row("Residente nel comune", period)
	}
	if f.Has(certificate.FactCivilStatus) {
		l.row("Stato civile", p.CivilStatus)
	}
	if f.Has(certificate.FactFreeStatus) {
		l.row("Stato libero", "la persona non risulta coniugata né unita civilmente")
	}
	if f.Has(certificate.FactCancellation) {
		reason := p.CancelReason
		if reason == "" {
			reason = string(p.Status)
		}
		l.row("Cancellazione anagrafica", formatDate(p.CancelledOn)+", "+reason)
	}
	for _, r := range l.c.CivilRows() {
		l.row(r.Label, r.Value)
	}
}

// row is a label and its value, both wrapped in their columns, with a
// hairline under.
func (l *layout) row(label, value string) {
	p := l.p
	labels := p.wrap(styleLabel, label, labelW)
	values := p.wrap(styleValue, value, valueW)
	h := max(float64(len(labels))*styleLabel.lineHeight(), float64(len(values))*styleValue.lineHeight())
	l.ensure(h + 2.2)
	// Labels sit on the baseline of the value's first line.
	base := l.y + styleValue.ascent()
	for i, s := range labels {
		p.text(styleLabel, marginL, base+float64(i)*styleLabel.lineHeight(), s)
	}
	for i, s := range values {
		p.text(styleValue, valueX, base+float64(i)*styleValue.lineHeight(), s)
	}
	l.y += h + 0.9
	p.rule(colorRule, 0.2, marginL, right, l.y)
	l.y += 1.3
}

// column is a column of the family table.
type column struct {
	title  string
	width  float64 // mm; 0 for a share of what the fixed columns leave
	weight float64 // the share
	cell   func(i int, m certificate.Member) string
}

// family is the table of the members of the family, head first.
func (l *layout) family() {
	p := l.p
	f := l.c.Type.Facts
	const pad = 1.6 // inside a cell, each side
	cols := []column{
		{"N.", 7, 0, func(i int, _ certificate.Member) string { return fmt.Sprint(i + 1) }},
		{"Cognome e nome", 0, 2.2, func(_ int, m certificate.Member) string { return m.Surname + " " + m.GivenName }},
		{"Nato/a il", p.width(styleTable, "00/00/0000") + 2*pad + 1, 0, func(_ int, m certificate.Member) string { return formatDate(m.BirthDate) }},
		{"Luogo di nascita", 0, 1.3, func(_ int, m certificate.Member) string { return m.BirthPlace }},
	}
	if f.Has(certificate.FactRelationships) {
		cols = append(cols, column{"Rapporto di parentela", 0, 1.2, func(_ int, m certificate.Member) string { return m.Relationship }})
	}
	if f.Has(certificate.FactFamilyCivilStatus) {
		cols = append(cols, column{"Stato civile", 0, 1.1, func(_ int, m certificate.Member) string { return m.CivilStatus }})
	}
	// Fixed columns take their width; the others share the rest by weight.
	fixed, weights := 0.0, 0.0
	for _, c := range cols {
		fixed += c.width
		weights += c.weight
	}
	for i := range cols {
		if cols[i].width == 0 {
			cols[i].width = (contentW - fixed) * cols[i].weight / weights
		}
	}

	cells := func(texts []string, s style) ([][]string, float64) {
		lines := make([][]string, len(cols))
		n := 1
		for i, c := range cols {
			lines[i] = p.wrap(s, texts[i], c.width-2*pad)
			n = max(n, len(lines[i]))
		}
		return lines, float64(n)*s.lineHeight() + 2*pad
	}
	drawRow := func(lines [][]string, h float64, s style, shade bool) {
		if shade {
			p.fill(colorShade, marginL, l.y, contentW, h)
		}
		x := marginL
		for i, c := range cols {
			for j, line := range lines[i] {
				p.text(s, x+pad, l.y+pad+s.ascent()+float64(j)*s.lineHeight()-0.4, line)
			}
			x += c.width
		}
		l.y += h
		p.rule(colorRule, 0.2, marginL, right, l.y)
	}
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.title
	}
	headLines, headH := cells(titles, styleTableHead)

	intro := "La famiglia anagrafica risulta così composta:"
	if f.Has(certificate.FactAIREFamily) {
		intro = "La famiglia iscritta all'AIRE risulta così composta:"
	}
	l.ensure(styleBody.lineHeight() + 3 + headH + 10)
	l.y += 2
	l.y = p.paragraph([]span{{styleBody, intro}}, marginL, l.y, contentW, true) + 1.5
	drawRow(headLines, headH, styleTableHead, true)
	for i, m := range l.c.Family {
		texts := make([]string, len(cols))
		for j, c := range cols {
			texts[j] = c.cell(i, m)
		}
		lines, h := cells(texts, styleTable)
		if l.ensure(h) {
			drawRow(headLines, headH, styleTableHead, true)
		}
		drawRow(lines, h, styleTable, false)
	}
	l.y += 3
}

// closing is the end of the certificate, kept together on the last page:
// the place, date and signature of the office, then a block at the foot of
// the page with, on the left, the bollo, the notice and the times and, on
// the right, the stamp. On the page of the facts the block keeps to the
// bottom, so that the QR code is always in the same place.
func (l *layout) closing() {
	leftW := contentW - qrColumn - 6
	blockH := max(l.bottomLeft(0, leftW, false), l.bottomRight(0, false))
	signH := styleBody.lineHeight() + 12
	if l.ensure(signH + blockH) {
		l.y += 4
	}
	p := l.p
	base := l.y + 6 + styleBody.ascent()
	p.text(styleBody, marginL, base, l.c.ComuneName+", "+l.c.IssuedAt.In(app.Rome).Format("02/01/2006"))
	p.textCenter(styleBodyBold, right-qrColumn/2, base, "L'UFFICIALE D'ANAGRAFE")
	l.y += signH

	top := max(l.y, contentLimit-blockH)
	l.bottomLeft(top, leftW, true)
	l.bottomRight(top, true)
	l.y = top + blockH
}

func (l *layout) bottomLeft(top, w float64, draw bool) float64 {
	p := l.p
	c := l.c
	y := top

	// The bollo and the diritti, in a frame: the counter checks them at a
	// glance.
	// The exemption's text is its legal reference: an entry of the ANPR
	// table (or the applicant's statement of the law) for anagrafe
	// certificates, the law that exempts stato civile certificates.
	var bollo string
	switch {
	case c.Bollo.Marca != "":
		bollo = "Assolta con marca da bollo n. " + c.Bollo.Marca + " di " + app.Euro(c.Bollo.AmountCents)
	case c.Type.Bollo():
		bollo = "Esente da imposta di bollo ai sensi di: " + c.Bollo.ExemptionText
	default:
		bollo = "Esente da imposta di bollo: " + c.Bollo.ExemptionText
	}
	_, diritti := certificate.Fees(c.Type, c.Bollo, l.opts.Fees)
	dirittiText := "Diritti di segreteria: " + app.Euro(diritti)
	switch {
	case c.Bollo.DirittiExempt:
		dirittiText = "Diritti di segreteria: esente"
	case diritti == 0:
		dirittiText = "Diritti di segreteria: non dovuti"
	}
	const pad = 2.5
	inner := w - 2*pad
	by := y + pad
	if draw {
		p.text(styleBoxTitle, marginL+pad, by+styleBoxTitle.ascent(), "IMPOSTA DI BOLLO")
	}
	by += styleBoxTitle.lineHeight() + 0.3
	by = p.paragraph([]span{{styleSmall, bollo}}, marginL+pad, by, inner, draw)
	by = p.paragraph([]span{{styleSmall, dirittiText}}, marginL+pad, by, inner, draw)
	by += pad - 0.8
	if draw {
		p.box(colorMuted, 0.3, marginL, y, w, by-y)
	}
	y = by + 3

	y = p.paragraph([]span{{styleSmallBold, c.Notice()}}, marginL, y, w, draw) + 2

	validity := "Validità illimitata (art. 41 DPR 445/2000)"
	if until := c.ValidUntil(); !until.IsZero() {
		validity = "Valido fino al " + until.In(app.Rome).Format("02/01/2006") + " (art. 41 DPR 445/2000)"
	}
	issued := c.IssuedAt.In(app.Rome)
	for _, s := range []string{
		validity,
		"Dati anagrafici aggiornati al " + c.AsOf.In(app.Rome).Format("02/01/2006 15:04"),
		"Rilasciato il " + issued.Format("02/01/2006") + " alle ore " + issued.Format("15:04") +
			" da postazione " + c.Number.DeviceID() + " (operatore " + c.Operator + ")",
	} {
		y = p.paragraph([]span{{styleSmall, s}}, marginL, y, w, draw) + 0.6
	}
	return y - top
}

func (l *layout) bottomRight(top float64, draw bool) float64 {
	p := l.p
	x := right - qrColumn
	qx := right - qrColumn + (qrColumn-qrSize)/2
	if draw {
		l.drawQR(qx, top, qrSize)
	}
	y := top + qrSize + 2
	caption := []span{{styleCaption, "Contrassegno elettronico (art. 23-ter CAD): inquadrare il codice o verificarlo su"}}
	y = p.paragraph(caption, x, y, qrColumn, draw)
	// The address on lines of its own, smaller if it must, broken after a
	// slash or a dot if even that is too wide.
	s := styleCaption
	for s.size > 6 && p.width(s, l.hub) > qrColumn {
		s.size -= 0.25
	}
	for _, line := range p.wrapURL(s, l.hub, qrColumn) {
		if draw {
			p.text(s, x, y+s.ascent(), line)
		}
		y += s.lineHeight()
	}
	return y - top
}

// drawQR draws the stamp's modules as filled rectangles: sharp at any
// resolution, as a printer or a phone's camera needs. A rectangle covers a
// run of dark modules in a row and, below it, the same run in the rows
// that repeat it, which halves the drawing operations.
func (l *layout) drawQR(x, y, size float64) {
	n := len(l.qr)
	if n == 0 {
		return
	}
	m := size / float64(n)
	done := make([][]bool, n)
	for r := range done {
		done[r] = make([]bool, n)
	}
	c := colorQRDark
	l.p.pdf.SetFillColor(c.r, c.g, c.b)
	for r, row := range l.qr {
		for col := 0; col < n; {
			if !row[col] || done[r][col] {
				col++
				continue
			}
			start := col
			for col < n && row[col] && !done[r][col] {
				col++
			}
			// Rows below with exactly this run: dark over it, light (or the
			// edge) on both sides.
			same := func(rr int) bool {
				for k := start; k < col; k++ {
					if !l.qr[rr][k] || done[rr][k] {
						return false
					}
				}
				return (start == 0 || !l.qr[rr][start-1]) && (col == n || !l.qr[rr][col])
			}
			rows := 1
			for r+rows < n && same(r+rows) {
				for k := start; k < col; k++ {
					done[r+rows][k] = true
				}
				rows++
			}
			// A hair of overlap closes the seams a renderer may leave
			// between abutting rectangles.
			l.p.pdf.RectFromUpperLeftWithStyle(x+float64(start)*m, y+float64(r)*m, float64(col-start)*m, float64(rows)*m+0.02, "F")
		}
	}
}

// imageAspect is height over width of a PNG or JPEG.
func imageAspect(b []byte) (float64, bool) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil || cfg.Width == 0 {
		return 0, false
	}
	return float64(cfg.Height) / float64(cfg.Width), true
}

func born(sex string) string {
	if sex == "F" {
		return "Nata"
	}
	return "Nato"
}

// formatDate is a calendar date (birth, registration) as stored.
func formatDate(t time.Time) string { return t.Format("02/01/2006") }

// Embedded returns what CertificatePDF writes in a PDF's subject: the
// certified text (certificate.CertifiedText) and the stamp. A verifier
// checks the stamp, then compares the SHA-256 of the text with the digest
// the stamp signs. It reads only PDFs written by CertificatePDF.
func Embedded(pdf []byte) (certifiedText, stamp string, err error) {
	const key = "/Subject <FEFF"
	i := bytes.LastIndex(pdf, []byte(key))
	if i < 0 {
		return "", "", errors.New("read certificate PDF: no subject")
	}
	hexText := pdf[i+len(key):]
	end := bytes.IndexByte(hexText, '>')
	if end < 0 || end%4 != 0 {
		return "", "", errors.New("read certificate PDF: malformed subject")
	}
	var b strings.Builder
	for j := 0; j < end; j += 4 {
		r, err := strconv.ParseUint(string(hexText[j:j+4]), 16, 16)
		if err != nil {
			return "", "", fmt.Errorf("read certificate PDF: subject: %w", err)
		}
		b.WriteRune(rune(r))
	}
	s := b.String()
	nl := strings.LastIndexByte(s, '\n')
	if nl < 0 {
		return "", "", errors.New("read certificate PDF: subject without stamp")
	}
	return s[:nl+1], s[nl+1:], nil
}
