package printing

import (
	"strings"

	"github.com/signintech/gopdf"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/assets"
)

// ReceiptPDF lays out the receipt of a payment taken at the counter on an
// A5 page: who paid what, for which position and notice, how, when, at
// which workstation and by whom, with the receipt's number. For a fine it
// names the stage of art. 202 CdS the amount follows. py may be nil (the
// comune's name then comes from the position).
func ReceiptPDF(p *payment.Payment, v *payment.View, py *payment.Payee) ([]byte, error) {
	if p == nil || v == nil {
		return nil, app.Errorf(app.EINVALID, "ricevuta senza pagamento")
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	name := "Comune " + v.Comune
	office := ""
	if py != nil {
		name, office = py.Name, py.Office
	}
	if err := printableAll(p.Causale, p.DebtorName, name, office, p.Operator); err != nil {
		return nil, err
	}
	pen, err := newDoc(gopdf.PageSizeA5, gopdf.PdfInfo{Title: "Ricevuta " + p.Receipt, Author: name, Subject: p.Receipt + "\n" + p.Avviso.String(),
		Creator: "Sportello", Producer: "Sportello", CreationDate: p.At.In(app.Rome)})
	if err != nil {
		return nil, err
	}
	const w = 148.0 - 2*12
	const x = 12.0
	y := receiptHeader(pen, name, office, w)
	pen.textCenter(styleTitle, 74, y+styleTitle.ascent(), "RICEVUTA DI PAGAMENTO")
	y += styleTitle.lineHeight()
	pen.textCenter(styleNumber, 74, y+styleNumber.ascent(), "n. "+p.Receipt)
	y += styleNumber.lineHeight() + 5
	row := func(label, value string) {
		pen.text(styleLabel, x, y+styleValue.ascent(), label)
		y = pen.lines(styleValue, x+38, y, w-38, value) + 1.2
	}
	row("Data e ora", when(p.At))
	row("Versante", p.DebtorName+" — "+p.DebtorCF)
	row("Causale", p.Causale)
	row("Servizio", p.Service.Name())
	if p.Fine != "" {
		row("Verbale", p.Fine+" — "+payment.StageName(p.FineStage))
	}
	if p.Instalment > 0 {
		row("Rata", v.TargetName(p.Instalment))
	}
	row("Codice avviso", p.Avviso.Grouped())
	row("Posizione", p.PositionID)
	row("Modalità", p.Method.Name())
	y += 3
	pen.fill(colorShade, x, y, w, 13)
	pen.text(styleBodyBold, x+3, y+8.5, "IMPORTO PAGATO")
	pen.textRight(styleAmount, x+w-3, y+10, app.Euro(p.AmountCents))
	y += 18
	row("Operatore", p.Operator)
	row("Postazione", p.Device)
	y += 3
	y = pen.lines(styleSmall, x, y, w, "Il Comune rilascia la presente ricevuta a quietanza del pagamento indicato. "+
		"L'incasso è registrato nella chiusura di cassa della giornata "+p.Day+" e trasmesso al sistema dei pagamenti dell'ente.")
	if py != nil && py.Demo {
		pen.textCenter(styleMark, 74, y+6, "RICEVUTA DIMOSTRATIVA — NESSUN INCASSO REALE")
	}
	pen.text(styleFooter, x, 200, "Ricevuta n. "+p.Receipt)
	return pen.finish()
}

// receiptHeader is the comune's emblem and name on a narrow page.
func receiptHeader(p *pen, name, office string, w float64) float64 {
	const x, top = 12.0, 10.0
	holder, err := gopdf.ImageHolderByBytes(assets.Emblem)
	if err != nil {
		p.fail(err)
		return top
	}
	h := 11 * 1.2
	if a, ok := imageAspect(assets.Emblem); ok {
		h = 11 * a
	}
	p.fail(p.pdf.ImageByHolder(holder, x, top, &gopdf.Rect{W: 11, H: h}))
	y := p.lines(styleOffice, x+14, top+1, w-14, strings.ToUpper(name))
	if office != "" {
		y = p.lines(styleHeader, x+14, y, w-14, office)
	}
	y = max(y, top+h) + 2
	p.rule(colorBrand, 0.4, x, x+w, y)
	return y + 6
}
