package ui

// The texts of the kiosk, the display board and the counter's queue bar.
// They are messages of the same catalog, numbered from kioskMsgBase so
// that they stay clear of the counter's; init adds them to catalog.
const kioskMsgBase msg = 10000

const (
	msgKioskWelcome msg = kioskMsgBase + iota
	msgKioskTouch
	msgKioskTakeTicket
	msgKioskIdentify
	msgKioskAlbo
	msgKioskOtherLang
	msgKioskBack
	msgKioskChooseArea
	msgKioskNoAreas
	msgKioskYourNumber
	msgKioskTakePaper
	msgKioskAhead
	msgKioskWait
	msgKioskWaitNone
	msgKioskOfflineTicket
	msgKioskPrinting
	msgKioskPrinterTrouble
	msgKioskRetry
	msgKioskCancel
	msgKioskDone
	msgKioskCF
	msgKioskDocument
	msgKioskDocumentHint
	msgKioskConfirm
	msgKioskChecking
	msgKioskHello
	msgKioskLinkedTicket
	msgKioskCheckIn
	msgKioskCertificates
	msgKioskActivity
	msgKioskEnd
	msgKioskChooseCert
	msgKioskChooseUse
	msgKioskCertPrinted
	msgKioskCertExempt
	msgKioskRequests
	msgKioskPayments
	msgKioskAppointments
	msgKioskNone
	msgKioskAppointmentLine
	msgKioskNoNotices
	msgKioskNoticeLine
	msgKioskAppointmentAt
	msgKioskIdleSoon
	msgKioskClear

	msgBoardTitle
	msgBoardNumber
	msgBoardCounter
	msgBoardWaiting
	msgBoardNone
	msgBoardCallAt

	msgQueueTitle
	msgQueueCallNext
	msgQueueRecall
	msgQueueSkip
	msgQueueTransfer
	msgQueueServe
	msgQueueNobody
	msgQueueCurrent
	msgQueueCounter
	msgQueueAreas
	msgQueueCalling
	msgQueueLinked
	msgQueueTransferTo

	kioskMsgEnd // keep last
)

var kioskCatalog = map[msg]struct{ it, en string }{
	msgKioskWelcome:         {"Comune di %s", "Comune of %s"},
	msgKioskTouch:           {"Tocchi lo schermo per iniziare", "Touch the screen to start"},
	msgKioskTakeTicket:      {"Prendi il numero", "Take a ticket"},
	msgKioskIdentify:        {"Certificati e pratiche (codice fiscale)", "Certificates and requests (codice fiscale)"},
	msgKioskAlbo:            {"Albo pretorio", "Public notices (albo pretorio)"},
	msgKioskOtherLang:       {"English", "Italiano"},
	msgKioskBack:            {"Indietro", "Back"},
	msgKioskChooseArea:      {"Scelga il servizio", "Choose the service"},
	msgKioskNoAreas:         {"Nessun servizio disponibile al chiosco: si rivolga allo sportello", "No service available at the kiosk: please ask at the counter"},
	msgKioskYourNumber:      {"Il suo numero", "Your number"},
	msgKioskTakePaper:       {"Ritiri il biglietto qui sotto", "Take your ticket below"},
	msgKioskAhead:           {"Persone in attesa prima di lei: %d", "People ahead of you: %d"},
	msgKioskWait:            {"Attesa stimata: %d minuti", "Estimated wait: %d minutes"},
	msgKioskWaitNone:        {"Attesa stimata: nessuna", "Estimated wait: none"},
	msgKioskOfflineTicket:   {"Biglietto emesso senza rete: il numero comparirà sul tabellone", "Ticket issued offline: your number will show on the board"},
	msgKioskPrinting:        {"Stampa in corso…", "Printing…"},
	msgKioskPrinterTrouble:  {"Problema di stampa", "Printing problem"},
	msgKioskRetry:           {"Riprova", "Try again"},
	msgKioskCancel:          {"Annulla", "Cancel"},
	msgKioskDone:            {"Fine", "Done"},
	msgKioskCF:              {"Codice fiscale", "Codice fiscale (tax code)"},
	msgKioskDocument:        {"Numero del documento d'identità", "Identity document number"},
	msgKioskDocumentHint:    {"Il numero della carta d'identità registrata in anagrafe", "The number of the identity card on file at the registry office"},
	msgKioskConfirm:         {"Conferma", "Confirm"},
	msgKioskChecking:        {"Verifica in corso…", "Checking…"},
	msgKioskHello:           {"Buongiorno, %s", "Hello, %s"},
	msgKioskLinkedTicket:    {"Numero per lo sportello", "Ticket for the counter"},
	msgKioskCheckIn:         {"Sono qui per l'appuntamento delle %s", "I am here for my %s appointment"},
	msgKioskCertificates:    {"Stampa un certificato", "Print a certificate"},
	msgKioskActivity:        {"Le mie pratiche, pagamenti e appuntamenti", "My requests, payments and appointments"},
	msgKioskEnd:             {"Esci e cancella i miei dati dallo schermo", "Leave and clear my data from the screen"},
	msgKioskChooseCert:      {"Scelga il certificato", "Choose the certificate"},
	msgKioskChooseUse:       {"Per quale uso? (esente da bollo)", "What is it for? (bollo-exempt)"},
	msgKioskCertPrinted:     {"Certificato n. %s stampato: lo ritiri qui sotto", "Certificate no. %s printed: take it below"},
	msgKioskCertExempt:      {"esente da bollo per legge", "bollo-exempt by law"},
	msgKioskRequests:        {"Pratiche", "Requests"},
	msgKioskPayments:        {"Pagamenti", "Payments"},
	msgKioskAppointments:    {"Appuntamenti", "Appointments"},
	msgKioskNone:            {"Nessuna", "None"},
	msgKioskAppointmentLine: {"%s alle %s — %s, sportello %s", "%s at %s — %s, counter %s"},
	msgKioskNoNotices:       {"Nessun atto pubblicato oggi", "No notices published today"},
	msgKioskNoticeLine:      {"n. %s — %s — pubblicato dal %s al %s", "no. %s — %s — published %s to %s"},
	msgKioskAppointmentAt:   {"Appuntamento delle %s", "Appointment at %s"},
	msgKioskIdleSoon:        {"Per la sua riservatezza lo schermo torna all'inizio dopo un minuto senza tocchi", "For your privacy the screen returns to the start after a minute without touches"},
	msgKioskClear:           {"Cancella", "Clear"},

	msgBoardTitle:   {"Comune di %s — Sportelli", "Comune of %s — Counters"},
	msgBoardNumber:  {"Numero", "Number"},
	msgBoardCounter: {"Sportello", "Counter"},
	msgBoardWaiting: {"In attesa: %s", "Waiting: %s"},
	msgBoardNone:    {"Benvenuti: prendete il numero al chiosco", "Welcome: take a ticket at the kiosk"},
	msgBoardCallAt:  {"%s allo sportello %s", "%s to counter %s"},

	msgQueueTitle:      {"Coda", "Queue"},
	msgQueueCallNext:   {"Chiama il prossimo (F2)", "Call next (F2)"},
	msgQueueRecall:     {"Richiama", "Recall"},
	msgQueueSkip:       {"Assente", "No-show"},
	msgQueueTransfer:   {"Trasferisci", "Transfer"},
	msgQueueServe:      {"Servito", "Served"},
	msgQueueNobody:     {"Nessuno in attesa", "Nobody waiting"},
	msgQueueCurrent:    {"Allo sportello: %s", "At the counter: %s"},
	msgQueueCounter:    {"Sportello %s", "Counter %s"},
	msgQueueAreas:      {"Servizi", "Services"},
	msgQueueCalling:    {"Chiamata…", "Calling…"},
	msgQueueLinked:     {"%s (identificato al chiosco)", "%s (identified at the kiosk)"},
	msgQueueTransferTo: {"Trasferisci a…", "Transfer to…"},
}

func init() {
	for id, m := range kioskCatalog {
		catalog[id] = m
	}
}
