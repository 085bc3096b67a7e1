package ui

// The texts of appointments (counter and kiosk) and of the supervisor's
// queue statistics, numbered from apptMsgBase, clear of the counter's and
// the kiosk's; init adds them to catalog.
const apptMsgBase msg = 11000

const (
	msgApptTitle msg = apptMsgBase + iota
	msgApptBook
	msgApptMove
	msgApptCancel
	msgApptNone
	msgApptLine
	msgApptBooked
	msgApptCheckedIn
	msgApptCancelledState
	msgApptFormTitle
	msgApptMoveTitle
	msgApptArea
	msgApptDay
	msgApptPickTime
	msgApptNoSlots
	msgApptNoAreas
	msgApptChosen
	msgApptSubmitBook
	msgApptSubmitMove
	msgApptDoneBooked
	msgApptDoneMoved
	msgApptDoneCancelled
	msgApptPending
	msgApptConfirmCancel
	msgApptConfirmYes
	msgApptConfirmNo
	msgApptLoading
	msgApptNeedFile
	msgApptWhen
	msgApptCounter

	msgKioskBook
	msgKioskMyAppointments
	msgKioskBookArea
	msgKioskBookDay
	msgKioskBookTime
	msgKioskBookConfirm
	msgKioskBookYes
	msgKioskBookDone
	msgKioskBookPending
	msgKioskApptCancel
	msgKioskApptCancelled
	msgKioskNoBookable
	msgKioskPayNotices
	msgKioskNoPayable
	msgKioskNoticePrinted
	msgKioskNoticeHowToPay

	msgStatsButton
	msgStatsTitle
	msgStatsFrom
	msgStatsTo
	msgStatsShow
	msgStatsDay
	msgStatsArea
	msgStatsHour
	msgStatsIssued
	msgStatsServed
	msgStatsSkipped
	msgStatsMeanWait
	msgStatsMaxWait
	msgStatsMeanService
	msgStatsNone
	msgStatsTotal
	msgStatsLoading
	msgMinutes

	apptMsgEnd // keep last
)

var apptCatalog = map[msg]struct{ it, en string }{
	msgApptTitle:          {"Appuntamenti", "Appointments"},
	msgApptBook:           {"Prenota appuntamento", "Book an appointment"},
	msgApptMove:           {"Sposta", "Move"},
	msgApptCancel:         {"Annulla", "Cancel"},
	msgApptNone:           {"Nessun appuntamento", "No appointments"},
	msgApptLine:           {"%s — %s, sportello %s — %s", "%s — %s, counter %s — %s"},
	msgApptBooked:         {"prenotato", "booked"},
	msgApptCheckedIn:      {"presentato al chiosco", "checked in at the kiosk"},
	msgApptCancelledState: {"annullato", "cancelled"},
	msgApptFormTitle:      {"Prenota un appuntamento per %s", "Book an appointment for %s"},
	msgApptMoveTitle:      {"Sposta l'appuntamento di %s", "Move the appointment of %s"},
	msgApptArea:           {"Servizio", "Service"},
	msgApptDay:            {"Giorno", "Day"},
	msgApptPickTime:       {"Scegliere l'orario", "Pick the time"},
	msgApptNoSlots:        {"Nessuna fascia libera nei prossimi %d giorni", "No free slot in the next %d days"},
	msgApptNoAreas:        {"Nessun servizio su appuntamento ha fasce libere", "No appointment service has free slots"},
	msgApptChosen:         {"Scelto: %s, %s", "Chosen: %s, %s"},
	msgApptSubmitBook:     {"Prenota", "Book"},
	msgApptSubmitMove:     {"Sposta qui", "Move here"},
	msgApptDoneBooked:     {"Appuntamento prenotato: %s", "Appointment booked: %s"},
	msgApptDoneMoved:      {"Appuntamento spostato: %s", "Appointment moved: %s"},
	msgApptDoneCancelled:  {"Appuntamento annullato: %s", "Appointment cancelled: %s"},
	msgApptPending:        {"%s — senza rete: l'hub lo confermerà appena raggiungibile", "%s — offline: the hub will confirm it once reachable"},
	msgApptConfirmCancel:  {"Annullare l'appuntamento di %s?", "Cancel the appointment of %s?"},
	msgApptConfirmYes:     {"Annulla l'appuntamento", "Cancel the appointment"},
	msgApptConfirmNo:      {"Indietro", "Back"},
	msgApptLoading:        {"Caricamento…", "Loading…"},
	msgApptNeedFile:       {"Aprire prima la scheda del cittadino", "Open the citizen's file first"},
	msgApptWhen:           {"%s alle %s", "%s at %s"},
	msgApptCounter:        {"sportello %s", "counter %s"},

	msgKioskBook:           {"Prenota un appuntamento", "Book an appointment"},
	msgKioskMyAppointments: {"I miei appuntamenti", "My appointments"},
	msgKioskBookArea:       {"Per quale servizio?", "For which service?"},
	msgKioskBookDay:        {"%s — scelga il giorno", "%s — choose the day"},
	msgKioskBookTime:       {"%s — scelga l'orario", "%s — choose the time"},
	msgKioskBookConfirm:    {"Conferma la prenotazione?", "Confirm the booking?"},
	msgKioskBookYes:        {"Sì, prenota", "Yes, book it"},
	msgKioskBookDone:       {"Appuntamento prenotato", "Appointment booked"},
	msgKioskBookPending:    {"Il chiosco è senza rete: la prenotazione sarà confermata appena possibile. Se la fascia fosse stata presa nel frattempo, la contatterà lo sportello.", "The kiosk is offline: the booking will be confirmed as soon as possible. Should the slot have been taken meanwhile, the office will contact you."},
	msgKioskApptCancel:     {"Annulla questo appuntamento", "Cancel this appointment"},
	msgKioskApptCancelled:  {"Appuntamento annullato", "Appointment cancelled"},
	msgKioskNoBookable:     {"Nessun servizio ha orari liberi: si rivolga allo sportello", "No service has free times: please ask at the counter"},
	msgKioskPayNotices:     {"Stampa un avviso di pagamento pagoPA", "Print a pagoPA payment notice"},
	msgKioskNoPayable:      {"Nessun pagamento da fare", "Nothing to pay"},
	msgKioskNoticePrinted:  {"Avviso di pagamento stampato: lo ritiri qui sotto", "Payment notice printed: take it below"},
	msgKioskNoticeHowToPay: {"Si paga con il codice QR dell'avviso dall'app della banca o della posta, in tabaccheria, in banca o su pagoPA.", "Pay with the notice's QR code in your bank's or the post office's app, at a tobacconist's, at a bank, or on pagoPA."},

	msgStatsButton:      {"Statistiche coda", "Queue statistics"},
	msgStatsTitle:       {"Statistiche della coda", "Queue statistics"},
	msgStatsFrom:        {"Dal", "From"},
	msgStatsTo:          {"al", "to"},
	msgStatsShow:        {"Aggiorna", "Refresh"},
	msgStatsDay:         {"Giorno", "Day"},
	msgStatsArea:        {"Servizio", "Service"},
	msgStatsHour:        {"Ora", "Hour"},
	msgStatsIssued:      {"Emessi", "Issued"},
	msgStatsServed:      {"Serviti", "Served"},
	msgStatsSkipped:     {"Assenti", "No-shows"},
	msgStatsMeanWait:    {"Attesa media", "Mean wait"},
	msgStatsMaxWait:     {"Attesa max", "Longest wait"},
	msgStatsMeanService: {"Servizio medio", "Mean service"},
	msgStatsNone:        {"Nessun biglietto nel periodo", "No tickets in the period"},
	msgStatsTotal:       {"Totale: %d emessi, %d serviti, %d assenti; attesa media %s", "Total: %d issued, %d served, %d no-shows; mean wait %s"},
	msgStatsLoading:     {"Lettura dall'hub…", "Reading from the hub…"},
	msgMinutes:          {"%d min", "%d min"},
}

func init() {
	for id, m := range apptCatalog {
		catalog[id] = m
	}
}
