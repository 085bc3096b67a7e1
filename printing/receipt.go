package printing

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/signintech/gopdf"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/request"
	"github.com/sportello/sportello/assets"
)

// RequestReceiptPDF lays out the receipt of a request (ricevuta di
// presentazione) on an A4 page: the comune, the request's number — the
// protocol number, or the provisional one with a mark saying that the
// protocol number follows — the service, the applicant, when it was
// presented, the office and the time to conclude, the fees, the form as
// filled and the files attached, and a QR code with followURL, the page
// where the citizen follows the request ("" leaves it out). A reprint
// after sync carries the protocol number and the provisional one it
// replaced.
func RequestReceiptPDF(comuneName string, r *request.Request, s *request.Service, followURL string) ([]byte, error) {
	if r == nil || s == nil {
		return nil, app.Errorf(app.EINVALID, "ricevuta senza richiesta")
	}
	fs, err := loadFonts()
	if err != nil {
		return nil, err
	}
	head, form := receiptRows(r, s)
	for _, row := range append(head, form...) {
		for _, t := range row {
			if c, bad := fs.missingRune(t); bad {
				return nil, app.Errorf(app.EINVALID, "il carattere %q (U+%04X) non è stampabile: correggere il modulo", c, c)
			}
		}
	}
	var qr [][]bool
	if followURL != "" {
		q, err := qrcode.New(followURL, qrcode.Medium)
		if err != nil {
			return nil, app.Errorf(app.EINVALID, "indirizzo troppo lungo per un codice QR: %v", err)
		}
		q.DisableBorder = true
		qr = q.Bitmap()
	}
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitMM})
	pdf.SetCompressLevel(6)
	for _, f := range []string{fontRegular, fontSemiBold, fontBold} {
		if err := pdf.AddTTFFontFromFontContainer(f, fs.container); err != nil {
			return nil, fmt.Errorf("font %s: %w", f, err)
		}
	}
	comune := strings.ToUpper(comuneName)
	pdf.SetInfo(gopdf.PdfInfo{Title: "Ricevuta della richiesta n. " + r.DisplayNumber(), Author: "Comune di " + comuneName,
		Subject: s.Title, Creator: "Sportello", Producer: "Sportello", CreationDate: r.SubmittedAt.In(app.Rome)})
	l := &receiptLayout{p: &pen{pdf: pdf}, r: r, comune: comune, qr: qr, url: followURL}
	l.newPage()
	l.header(s.Office)
	l.title(s)
	top := l.y
	valueW := contentW - receiptLabelW - 4
	if qr != nil {
		valueW -= receiptQR + 6
	}
	for _, row := range head {
		l.row(row[0], row[1], valueW)
	}
	l.drawQR(top)
	l.section("Dati del modulo")
	for _, row := range form {
		l.row(row[0], row[1], contentW-receiptLabelW-4)
	}
	if l.p.err != nil {
		return nil, fmt.Errorf("lay out receipt %s: %w", r.DisplayNumber(), l.p.err)
	}
	var buf bytes.Buffer
	if _, err := pdf.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("write receipt %s: %w", r.DisplayNumber(), err)
	}
	return buf.Bytes(), nil
}

// receiptRows are the receipt's label/value rows: the request's, and the
// form's fields in the order of the service, then the files.
func receiptRows(r *request.Request, s *request.Service) (head, form [][2]string) {
	fees := "nessuno"
	if len(s.Fees) > 0 {
		var parts []string
		for _, f := range s.Fees {
			parts = append(parts, f.Label+" "+app.Euro(f.Cents))
		}
		fees = strings.Join(parts, "; ")
		if len(s.Fees) > 1 {
			fees += " (totale " + app.Euro(s.TotalFees()) + ")"
		}
	}
	rows := [][2]string{
		{"Servizio", s.Title},
		{"Richiedente", r.ApplicantName + " - " + r.CodiceFiscale},
		{"Presentata il", r.SubmittedAt.In(app.Rome).Format("02/01/2006 15:04")},
		{"Ufficio competente", orNone(s.Office)},
		{"Termine", termine(s.Days)},
		{"Stato", r.Status.Title()},
		{"Importi dovuti", fees},
		{"Operatore", r.Operator},
	}
	if r.Number != "" {
		rows = append(rows, [2]string{"Protocollata il", r.ProtocolAt.In(app.Rome).Format("02/01/2006 15:04")})
	}
	for _, f := range s.Fields {
		v, ok := r.Values[f.ID]
		if !ok || f.Type == request.Attachment {
			continue
		}
		form = append(form, [2]string{f.Label, displayValue(f, v, r.MemberNames[f.ID])})
	}
	// Values of fields the service no longer has still print.
	for _, k := range slices.Sorted(maps.Keys(r.Values)) {
		if _, ok := s.Field(k); !ok {
			form = append(form, [2]string{k, r.Values[k]})
		}
	}
	for _, a := range r.Attachments {
		form = append(form, [2]string{"Allegato", fmt.Sprintf("%s (%s, %s)", a.Name, a.Type, size(a.Size))})
	}
	return rows, form
}

func orNone(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func termine(days int) string {
	if days == 1 {
		return "1 giorno"
	}
	return strconv.Itoa(days) + " giorni dalla presentazione"
}

func size(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d kB", (n+1023)/1024)
}

// displayValue writes a stored value as the form showed it; member is the
// name of the family member a FamilyMember field picked.
func displayValue(f request.Field, v, member string) string {
	switch f.Type {
	case request.FamilyMember:
		if member != "" {
			return member + " - " + v
		}
	case request.Choice:
		return f.OptionLabel(v)
	case request.MultiChoice:
		var out []string
		for _, id := range strings.Split(v, ",") {
			out = append(out, f.OptionLabel(id))
		}
		return strings.Join(out, ", ")
	case request.Date:
		if d, ok := request.ParseDate(v); ok {
			return d.Format("02/01/2006")
		}
	case request.Amount:
		if n, err := strconv.ParseFloat(v, 64); err == nil {
			return app.Euro(int64(n*100 + 0.5))
		}
	case request.Consent:
		return "Sì"
	}
	return v
}

type receiptLayout struct {
	p      *pen
	r      *request.Request
	comune string
	qr     [][]bool
	url    string
	y      float64
	page   int
}

const receiptLabelW = 52.0

func (l *receiptLayout) newPage() {
	l.p.pdf.AddPage()
	l.page++
	l.y = marginTop
	l.p.text(styleFooter, marginL, footerY, "Ricevuta della richiesta n. "+l.r.DisplayNumber())
	l.p.textRight(styleFooter, right, footerY, fmt.Sprintf("Pagina %d", l.page))
	if l.page > 1 {
		l.y = l.p.paragraph([]span{{styleFooter, "COMUNE DI " + l.comune + " - ricevuta (segue)"}}, marginL, l.y, contentW, true) + 4
	}
}

func (l *receiptLayout) ensure(h float64) {
	if l.y+h > contentLimit {
		l.newPage()
	}
}

func (l *receiptLayout) header(office string) {
	p := l.p
	holder, err := gopdf.ImageHolderByBytes(assets.Emblem)
	if err != nil {
		p.fail(fmt.Errorf("emblem: %w", err))
		return
	}
	h := emblemW * 1.2
	if a, ok := imageAspect(assets.Emblem); ok {
		h = emblemW * a
	}
	p.fail(p.pdf.ImageByHolder(holder, marginL, l.y, &gopdf.Rect{W: emblemW, H: h}))
	x := marginL + emblemW + 5
	y := l.y + 1
	for _, line := range p.wrap(styleComune, "COMUNE DI "+l.comune, right-x) {
		p.text(styleComune, x, y+styleComune.ascent(), line)
		y += styleComune.lineHeight()
	}
	y += 0.5
	for _, line := range p.wrap(styleOffice, office, right-x) {
		p.text(styleOffice, x, y+styleOffice.ascent(), line)
		y += styleOffice.lineHeight()
	}
	l.y = max(y, l.y+h) + 3
	p.rule(colorBrand, 0.5, marginL, right, l.y)
	l.y += 8
}

func (l *receiptLayout) title(s *request.Service) {
	p, r := l.p, l.r
	p.textCenter(styleTitle, pageW/2, l.y+styleTitle.ascent(), "RICEVUTA DI PRESENTAZIONE DELLA RICHIESTA")
	l.y += styleTitle.lineHeight() + 1
	number := "Numero di protocollo " + r.Number
	if r.IsProvisional() {
		number = "Numero provvisorio " + r.Provisional
	}
	p.textCenter(styleBodyBold, pageW/2, l.y+styleBodyBold.ascent(), number)
	l.y += styleBodyBold.lineHeight() + 1
	if r.IsProvisional() {
		text := "NUMERO PROVVISORIO: IL NUMERO DI PROTOCOLLO SEGUE"
		w := p.width(styleMark, text) + 8
		hh := styleMark.lineHeight() + 2.4
		p.box(colorAlert, 0.5, pageW/2-w/2, l.y, w, hh)
		p.textCenter(styleMark, pageW/2, l.y+1.2+styleMark.ascent(), text)
		l.y += hh + 2
		l.y = p.paragraph([]span{{styleSmall, "La richiesta è stata presa in carico dallo sportello; il numero di protocollo, assegnato dal comune alla trasmissione, si legge sulla pagina del codice QR o sulla ristampa di questa ricevuta."}},
			marginL, l.y, contentW, true) + 3
	} else {
		p.textCenter(styleNumber, pageW/2, l.y+styleNumber.ascent(), "numero provvisorio allo sportello: "+r.Provisional)
		l.y += styleNumber.lineHeight() + 3
	}
	l.y += 2
}

func (l *receiptLayout) section(title string) {
	l.ensure(12)
	l.y += 3
	l.p.text(styleSmallBold, marginL, l.y+styleSmallBold.ascent(), strings.ToUpper(title))
	l.y += styleSmallBold.lineHeight() + 0.5
	l.p.rule(colorRule, 0.3, marginL, right, l.y)
	l.y += 1.5
}

func (l *receiptLayout) row(label, value string, valueW float64) {
	p := l.p
	labels := p.wrap(styleLabel, label, receiptLabelW)
	values := p.wrap(styleValue, value, valueW)
	h := max(float64(len(labels))*styleLabel.lineHeight(), float64(len(values))*styleValue.lineHeight())
	l.ensure(h + 1)
	for i, t := range labels {
		p.text(styleLabel, marginL, l.y+styleLabel.ascent()+float64(i)*styleLabel.lineHeight(), t)
	}
	for i, t := range values {
		p.text(styleValue, marginL+receiptLabelW+4, l.y+styleValue.ascent()+float64(i)*styleValue.lineHeight(), t)
	}
	l.y += h + 1.2
}

// receiptQR is the side of the QR code, in mm.
const receiptQR = 30.0

// drawQR draws the QR code that follows the request at the right of the
// request's rows, top at top, with its caption below; the rows continue
// under it if they are shorter.
func (l *receiptLayout) drawQR(top float64) {
	if l.qr == nil {
		return
	}
	p := l.p
	n := len(l.qr)
	m := receiptQR / float64(n)
	x0 := right - receiptQR
	p.pdf.SetFillColor(colorQRDark.r, colorQRDark.g, colorQRDark.b)
	for r, row := range l.qr {
		for c := 0; c < n; {
			if !row[c] {
				c++
				continue
			}
			start := c
			for c < n && row[c] {
				c++
			}
			p.pdf.RectFromUpperLeftWithStyle(x0+float64(start)*m, top+float64(r)*m, float64(c-start)*m+0.02, m+0.02, "F")
		}
	}
	y := top + receiptQR + 2
	for _, line := range p.wrap(styleCaption, "Inquadri il codice per seguire la richiesta", receiptQR) {
		p.textCenter(styleCaption, x0+receiptQR/2, y+styleCaption.ascent(), line)
		y += styleCaption.lineHeight()
	}
	l.y = max(l.y, y+2)
}
