package printing

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"

	"github.com/signintech/gopdf"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/assets"
)

// ClosingPDF lays out the signed cash closing of an operator's day on A4
// pages: every receipt, the totals by method and by service, the
// certificates with their bollo and diritti, the grand total, and the
// Ed25519 signature of the workstation with the fingerprint of its key.
// The closing must be signed. py may be nil.
func ClosingPDF(c *payment.Closing, py *payment.Payee) ([]byte, error) {
	if c == nil || len(c.Signature) == 0 {
		return nil, app.Errorf(app.EINVALID, "chiusura di cassa non firmata")
	}
	name, office := "Comune "+c.Comune, ""
	if py != nil {
		name, office = py.Name, py.Office
	}
	texts := []string{name, office, c.OperatorName}
	for _, p := range c.Payments {
		texts = append(texts, p.Causale, p.DebtorName)
	}
	if err := printableAll(texts...); err != nil {
		return nil, err
	}
	p, err := newDoc(gopdf.PageSizeA4, gopdf.PdfInfo{Title: "Chiusura di cassa " + c.Day + " " + c.Operator, Author: name,
		Subject: fmt.Sprintf("%s %s %s %d", c.Device, c.Operator, c.Day, c.TotalCents), Creator: "Sportello", Producer: "Sportello",
		CreationDate: c.ClosedAt.In(app.Rome)})
	if err != nil {
		return nil, err
	}
	page := 1
	footer := func() {
		p.text(styleFooter, marginL, footerY, "Chiusura di cassa "+c.Day+" — "+c.Operator+" — postazione "+c.Device)
		p.textRight(styleFooter, right, footerY, fmt.Sprintf("Pagina %d", page))
	}
	footer()
	y := p.brandHeader(assets.Emblem, name, office, "CHIUSURA DI CASSA", contentW)
	ensure := func(h float64) {
		if y+h > contentLimit {
			p.pdf.AddPage()
			page++
			footer()
			y = marginTop
		}
	}
	row := func(label, value string) {
		p.text(styleLabel, marginL, y+styleValue.ascent(), label)
		y = p.lines(styleValue, valueX, y, valueW, value) + 1
	}
	row("Giornata", c.Day)
	row("Operatore", c.OperatorName+" ("+c.Operator+")")
	row("Postazione", c.Device)
	row("Chiusa il", when(c.ClosedAt))
	y += 4

	cols := []struct {
		title string
		x, w  float64
		right bool
	}{{"Ricevuta", marginL, 44, false}, {"Ora", marginL + 44, 12, false}, {"Versante e causale", marginL + 56, 70, false},
		{"Modalità", marginL + 126, 22, false}, {"Importo", marginL + 148, contentW - 148, true}}
	head := func() {
		p.fill(colorShade, marginL, y, contentW, 6)
		for _, col := range cols {
			if col.right {
				p.textRight(styleTableHead, col.x+col.w-1, y+4.3, col.title)
			} else {
				p.text(styleTableHead, col.x+1, y+4.3, col.title)
			}
		}
		y += 7
	}
	p.text(styleSection, marginL, y+styleSection.ascent(), fmt.Sprintf("INCASSI (%d)", len(c.Payments)))
	y += styleSection.lineHeight() + 1
	head()
	if len(c.Payments) == 0 {
		y = p.lines(styleSmall, marginL+1, y, contentW, "Nessun incasso nella giornata.") + 1
	}
	for _, pay := range c.Payments {
		desc := p.wrap(styleTable, pay.DebtorName+" — "+pay.Causale, cols[2].w-2)
		h := float64(len(desc))*styleTable.lineHeight() + 1.5
		if y+h > contentLimit {
			ensure(h + 10)
			head()
		}
		base := y + styleTable.ascent()
		p.text(styleTable, cols[0].x+1, base, pay.Receipt)
		p.text(styleTable, cols[1].x+1, base, pay.At.In(app.Rome).Format("15:04"))
		for i, line := range desc {
			p.text(styleTable, cols[2].x+1, base+float64(i)*styleTable.lineHeight(), line)
		}
		p.text(styleTable, cols[3].x+1, base, pay.Method.Name())
		p.textRight(styleTable, cols[4].x+cols[4].w-1, base, app.Euro(pay.AmountCents))
		y += h
		p.rule(colorRule, 0.15, marginL, right, y-0.5)
	}
	y += 4
	totals := func(title string, ts []payment.Total) {
		ensure(10 + float64(len(ts)+1)*6)
		p.text(styleSection, marginL, y+styleSection.ascent(), title)
		y += styleSection.lineHeight() + 1
		for _, t := range ts {
			p.text(styleBody, marginL+2, y+styleBody.ascent(), fmt.Sprintf("%s (%d)", t.Name, t.Count))
			p.textRight(styleBody, right, y+styleBody.ascent(), app.Euro(t.Cents))
			y += styleBody.lineHeight()
		}
		p.rule(colorBrand, 0.3, marginL, right, y+0.5)
		y += 1.5
		p.text(styleBodyBold, marginL+2, y+styleBodyBold.ascent(), "Totale incassi")
		p.textRight(styleBodyBold, right, y+styleBodyBold.ascent(), app.Euro(c.TotalCents))
		y += styleBodyBold.lineHeight() + 4
	}
	totals("TOTALI PER MODALITÀ", c.ByMethod)
	totals("TOTALI PER SERVIZIO", c.ByService)

	ensure(30 + float64(len(c.Certificates))*5)
	p.text(styleSection, marginL, y+styleSection.ascent(), fmt.Sprintf("CERTIFICATI RILASCIATI (%d)", len(c.Certificates)))
	y += styleSection.lineHeight() + 1
	for _, cf := range c.Certificates {
		ensure(6)
		p.text(styleTable, marginL+2, y+styleTable.ascent(), cf.Number+" — "+cf.Type)
		p.textRight(styleTable, right-30, y+styleTable.ascent(), "bollo "+app.Euro(cf.BolloCents))
		p.textRight(styleTable, right, y+styleTable.ascent(), "diritti "+app.Euro(cf.DirittiCents))
		y += styleTable.lineHeight()
	}
	y += 1
	p.text(styleBody, marginL+2, y+styleBody.ascent(), "Imposta di bollo assolta con marca (non incassata dal Comune)")
	p.textRight(styleBody, right, y+styleBody.ascent(), app.Euro(c.BolloCents))
	y += styleBody.lineHeight()
	p.text(styleBody, marginL+2, y+styleBody.ascent(), "Diritti di segreteria incassati")
	p.textRight(styleBody, right, y+styleBody.ascent(), app.Euro(c.DirittiCents))
	y += styleBody.lineHeight() + 3
	p.fill(colorShade, marginL, y, contentW, 9)
	p.text(styleBodyBold, marginL+2, y+6.3, "TOTALE DELLA GIORNATA (incassi e diritti)")
	p.textRight(styleBodyBold, right-2, y+6.3, app.Euro(c.GrandTotalCents()))
	y += 14

	ensure(30)
	fp := sha256.Sum256(c.PublicKey)
	p.text(styleSection, marginL, y+styleSection.ascent(), "FIRMA DELLA POSTAZIONE")
	y += styleSection.lineHeight() + 1
	y = p.lines(styleSmall, marginL, y, contentW, "Chiusura firmata con la chiave Ed25519 della postazione "+c.Device+
		", certificata dal Comune nella rete dei comuni. Impronta SHA-256 della chiave: "+hex.EncodeToString(fp[:16])+".")
	y = p.lines(styleCaption, marginL, y+1, contentW, "Firma: "+base64.StdEncoding.EncodeToString(c.Signature))
	y += 10
	p.text(styleSmall, marginL, y, "Firma dell'operatore ________________________")
	p.text(styleSmall, marginL+95, y, "Visto del responsabile ________________________")
	return p.finish()
}
