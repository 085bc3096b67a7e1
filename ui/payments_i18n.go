package ui

// The texts of the payments screens (payments.go, payments_scan.go),
// merged into the catalog: their msg constants are in i18n.go.
var paymentTexts = map[msg]struct{ it, en string }{
	msgPaymentsLoadFailed: {"Pagamenti non disponibili: %s", "Payments not available: %s"},
	msgRefundLine:         {"Pagamento doppio da rimborsare — %s: eccedenza %s. Ricevute: %s", "Double payment to refund — %s: excess %s. Receipts: %s"},
	msgPositionLine:       {"%s — %s, scadenza %s", "%s — %s, due %s"},
	msgNoticeButton:       {"Avviso", "Notice"},
	msgPayButton:          {"Incassa", "Take payment"},
	msgNoticeFailed:       {"Avviso non stampato: %s", "Notice not printed: %s"},
	msgNoticeDone:         {"Avviso pagoPA %s", "pagoPA notice %s"},
	msgMethodCash:         {"Contanti", "Cash"},
	msgMethodCard:         {"Carta (POS)", "Card (POS)"},
	msgPayTitle:           {"Incasso allo sportello", "Payment at the counter"},
	msgPayConfirm:         {"%s — %s", "%s — %s"},
	msgPayAmountHint:      {"Importo: %s (per un verbale, l'importo dovuto oggi secondo l'art. 202 CdS)", "Amount: %s (for a fine, what art. 202 CdS makes due today)"},
	msgPayFailed:          {"Pagamento non registrato: %s", "Payment not recorded: %s"},
	msgPaidNoReceipt:      {"Pagamento %s di %s registrato, ma ricevuta non stampata: %s", "Payment %s of %s recorded, but the receipt was not printed: %s"},
	msgPaid:               {"Pagamento registrato: ricevuta %s di %s, %s", "Payment recorded: receipt %s of %s, %s"},
	msgStatusDue:          {"da pagare", "to be paid"},
	msgStatusNotPayable:   {"non ancora pagabile", "not yet payable"},
	msgStatusPaid:         {"pagato", "paid"},
	msgStatusPaidHere:     {"pagato allo sportello, in attesa dell'hub", "paid at the counter, waiting for the hub"},
	msgStatusDuplicate:    {"pagato due volte: da rimborsare", "paid twice: to refund"},
	msgStatusCancelled:    {"annullato", "cancelled"},
	msgStatusUnknown:      {"sconosciuto", "unknown"},
	msgScanPlaceholder:    {"Leggi o incolla un codice: avviso, bollettino, certificato", "Scan or paste a code: notice, slip, certificate"},
	msgScanUnknown:        {"Codice non riconosciuto", "Code not recognised"},
	msgScanCertificate:    {"Verifica del certificato", "Certificate check"},
	msgScanPosition:       {"Pagamento letto da %s", "Payment read from %s"},
	msgScanAvviso:         {"Codice avviso", "Notice code"},
	msgScanAmount:         {"Importo del codice", "Amount in the code"},
	msgScanOpenFile:       {"Apri il fascicolo di %s", "Open the file of %s"},
	msgScanKindQR:         {"QR code pagoPA", "pagoPA QR code"},
	msgScanKindPoste:      {"DataMatrix del bollettino postale", "postal slip DataMatrix"},
	msgScanKindAvviso:     {"codice avviso", "notice code"},
}

func init() {
	for k, v := range paymentTexts {
		catalog[k] = v
	}
}
