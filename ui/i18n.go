package ui

import (
	"fmt"
	"strings"
)

// The one way the screens speak: every text a person reads on them is a msg
// of catalog below, written in Italian and in English, and reaches a widget
// through lang.text or lang.textf. Data that arrives in both languages (an
// area's name, a use of a certificate) goes through lang.pick. Dates and
// amounts are written by format.go.

// lang is the language the screens speak: Italian unless English is asked for.
type lang int

const (
	langIT lang = iota
	langEN
)

func langFor(code string) lang {
	if strings.EqualFold(strings.TrimSpace(code), "en") {
		return langEN
	}
	return langIT
}

// code is the language's ISO 639-1 code, as Deps.Lang takes it.
func (l lang) code() string {
	if l == langEN {
		return "en"
	}
	return "it"
}

// msg identifies a text of the screens; catalog holds it in both languages.
// The keys are grouped by the screen that shows them; a word every screen
// uses (Annulla, Conferma) is one key, used everywhere.
type msg int

const (
	// The window and the sign-in (counter.go, login.go).
	msgWindowTitle msg = iota
	msgComune
	msgDevice
	msgOperator
	msgLogout
	msgLoginTitle
	msgUsername
	msgPassword
	msgLogin
	msgLoggingIn
	msgAttribution
	msgIdleLocked

	// The search (search.go).
	msgSearchPlaceholder
	msgSearchHint
	msgSearching
	msgLocalHeader
	msgNoLocal
	msgRemoteHeader
	msgRemoteBadge
	msgNetworkOffline
	msgBornOn
	msgStatusEmigrated
	msgStatusDeceased
	msgStatusAIRE

	// The citizen's file (file.go).
	msgNoFile
	msgOpening
	msgBackToSearch
	msgRemoteMarker
	msgAsOf
	msgAsOfUnknown
	msgPersonal
	msgSex
	msgMale
	msgFemale
	msgBornMale
	msgBornFemale
	msgBornAt
	msgCitizenship
	msgCivilStatus
	msgPosition
	msgResident
	msgRegisteredOn
	msgCancelledOn
	msgRelationship
	msgResidence
	msgAddress
	msgComuneLabel
	msgFamilySheet
	msgFamily
	msgColName
	msgColCodiceFiscale
	msgColBirthDate
	msgNoFamily
	msgCertificates
	msgNoCertificates
	msgCertificateLine
	msgToCheck
	msgRequests
	msgNoRequests
	msgRequestLine
	msgPayments
	msgNoPayments
	msgPaymentLine

	// The status bar (statusbar.go).
	msgOnline
	msgOffline
	msgLastSync
	msgNever
	msgToday
	msgPending
	msgParked
	msgSkewAhead
	msgSkewBehind
	msgSkewAheadHours
	msgSkewBehindHours
	msgHubRestored
	msgNumberingSuspended
	msgKioskLocked
	msgSyncNow

	// The certificates card (certificates.go).
	msgCertificatesUnavailable
	msgCertificatesLoadFailed
	msgNotSent
	msgReprint
	msgIssueButton
	msgSentToPrinter
	msgSavedTo
	msgAccessExport
	msgAccessExporting
	msgAccessExported
	msgAccessExportFailed
	msgIssuedTo
	msgIssuedNotDelivered
	msgReprintedTo
	msgReprintFailed

	// The issue form (issue.go).
	msgIssueTitle
	msgIssueHint
	msgTypeLabel
	msgNotIssuable
	msgNoIssuableType
	msgExemptTag
	msgUse
	msgUsePlaceholder
	msgAbroad
	msgBollo
	msgMarcaOption
	msgExemptOption
	msgMarcaPlaceholder
	msgMarcaHint
	msgMarcaCount
	msgMarcaComplete
	msgMarcaInvalid
	msgMarcaIncomplete
	msgMarcaMissing
	msgExemption
	msgExemptionPick
	msgExemptionLaw
	msgExemptionLawMissing
	msgExemptByLaw
	msgOutput
	msgSavePDF
	msgLoadingOptions
	msgPrintersFailed
	msgExemptionsFailed
	msgNoOutput
	msgChooseType
	msgIssueSubmit
	msgCancel
	msgIssuing
	// ANPR's issuing controls that the officer may override.
	msgForceableTag
	msgForceTitle
	msgForceReason
	msgForceReasonMissing
	msgForceReasonLong
	// The day a storico di residenza alla data certifies.
	msgOnDate
	msgOnDatePlaceholder
	msgOnDateMissing

	// The certificates to check (worklist.go), and words every dialog uses.
	msgFlaggedButton
	msgFlaggedTitle
	msgFlaggedHint
	msgNoFlagged
	msgLoading
	msgClose

	// The names of the papers the screens print, as print jobs show them
	// (certificates.go, issue.go, payments.go, requests.go, the kiosk).
	msgPaperCertificate
	msgPaperDuplicate
	msgPaperNotice
	msgPaperReceipt

	// Payments (payments.go, payments_scan.go, payments_refund.go).
	msgPaymentsLoadFailed
	msgRefundLine
	msgPositionLine
	msgNoticeButton
	msgPayButton
	msgNoticeFailed
	msgNoticeDone
	msgMethodCash
	msgMethodCard
	msgPayTitle
	msgPayConfirm
	msgPayAmountHint
	msgPayFailed
	msgPaidNoReceipt
	msgPaid
	msgStatusDue
	msgStatusNotPayable
	msgStatusPaid
	msgStatusPaidHere
	msgStatusDuplicate
	msgStatusCancelled
	msgStatusUnknown
	msgScanPlaceholder
	msgScanUnknown
	msgScanCertificate
	msgScanPosition
	msgScanAvviso
	msgScanAmount
	msgScanOpenFile
	msgScanKindQR
	msgScanKindPoste
	msgScanKindAvviso
	msgInstalmentLine
	msgInstalmentNotice
	msgPayWhat
	msgPayUnica
	msgPayInstalment
	msgStatusPartial
	msgStatusOffline
	msgRefundDoneButton
	msgRefundMethod
	msgRefundDate
	msgRefundNote
	msgRefundNoteLabel
	msgRefundDoneLine
	msgRefundPending
	msgRefundRecorded
	msgRefundFailed
	msgRefundBadDate
	msgRefundTransfer
	msgRefundCard
	msgRefundOffset
	msgScanCreditor
	msgScanInstalment

	// The refunds to make (payments_worklist.go).
	msgRefundsButton
	msgRefundsTitle
	msgRefundsHint
	msgNoRefunds
	msgRefundsLine
	msgRefundsReceipt

	// Requests (requests.go, requests_scans.go).
	msgNewRequest
	msgRequestsFailed
	msgProvisional
	msgReceipt
	msgChangeStatus
	msgReceiptFailed
	msgReceiptDone
	msgStatusNote
	msgConfirm
	msgChooseStatus
	msgStatusQueued
	msgNewStatus
	msgServiceSearch
	msgAllEvents
	msgDays
	msgSubmitRequest
	msgOtherService
	msgRequestTitle
	msgServiceHint
	msgFees
	msgNoAttachment
	msgChooseFile
	msgRequestTaken
	msgRequestTakenNoReceipt
	msgScannerFolder
	msgNoScans
	msgRequestReceived
	msgRequestWorking
	msgRequestIntegration
	msgRequestConcluded
	msgRequestRejected
	msgHintDate
	msgHintAmount
	msgHintPartitaIVA
	msgHintCodiceFiscale
	msgHintEmail

	// Appointments at the counter (appointments.go).
	msgAppointments
	msgApptBook
	msgApptMove
	msgApptNone
	msgApptLine
	msgApptBooked
	msgApptCheckedIn
	msgApptFormTitle
	msgApptMoveTitle
	msgService
	msgDay
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
	msgBack
	msgApptNeedFile
	msgApptWhen
	msgApptCounter
	msgSunday
	msgMonday
	msgTuesday
	msgWednesday
	msgThursday
	msgFriday
	msgSaturday

	// The kiosk (kiosk*.go).
	msgKioskTouch
	msgKioskTakeTicket
	msgKioskIdentify
	msgKioskAlbo
	msgKioskOtherLang
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
	msgKioskDone
	msgKioskCF
	msgKioskDocument
	msgKioskDocumentHint
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
	msgKioskNone
	msgKioskAppointmentLine
	msgKioskNoNotices
	msgKioskNoticeLine
	msgKioskAppointmentAt
	msgKioskIdleSoon
	msgKioskClear
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

	// The display board (board.go).
	msgBoardTitle
	msgBoardNumber
	msgBoardCounter
	msgBoardWaiting
	msgBoardNone

	// The counter's queue bar (queue.go).
	msgQueueCallNext
	msgQueueRecall
	msgQueueSkip
	msgQueueServe
	msgQueueNobody
	msgQueueCurrent
	msgQueueCounter
	msgQueueCalling
	msgQueueLinked
	msgQueueTransferTo

	// The supervisor's worklist of parked operations (outbox.go).
	msgOutboxButton
	msgOutboxTitle
	msgOutboxNone
	msgOutboxCount
	msgOutboxLine
	msgOutboxWhy
	msgOutboxReason
	msgOutboxRetry
	msgOutboxDiscard
	msgOutboxRetried
	msgOutboxDiscarded
	msgOpAudit
	msgOpCertificate
	msgOpRequest
	msgOpRequestStatus
	msgOpPayment
	msgOpPosition
	msgOpIUVBlock
	msgOpClosing
	msgOpRefund
	msgOpTicket
	msgOpQueueEvent
	msgOpAppointment

	// The supervisor's queue statistics (stats.go).
	msgStatsButton
	msgStatsToday
	msgStatsYesterday
	msgStatsLast7
	msgStatsLast30
	msgStatsTitle
	msgStatsShow
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

	// Certificates by post (post.go, kiosk_post.go).
	msgPostButton
	msgPostTitle
	msgPostHint
	msgNoPost
	msgPostLine
	msgPostBollo
	msgPostExempt
	msgPostStarted
	msgPostSend
	msgPostMarca
	msgPostMarcaHint
	msgPostDone
	msgPostFailed
	msgPostProblem
	msgKioskPost
	msgKioskPostChoose
	msgKioskPostBollo
	msgKioskPostTo
	msgKioskPostConfirm
	msgKioskPostDone
	msgKioskPostNone
	// The supervisor's dashboard (dashboard.go).
	msgDashButton
	msgDashTitle
	msgDashWeek
	msgDashLoading
	msgDashSummary
	msgDashNone
	msgDashExport
	msgDashQueue
	msgDashClosings
	msgDashType
	msgDashCount
	msgDashBollo
	msgDashDiritti
	msgDashStatus
	msgDashMethod
	msgDashAmount
	msgDashOperator
	msgDashClosedAt
	msgDashChartCertificates
	msgDashChartRequests
	msgDashChartPayments
	msgDashChartClosings
	msgDashChartQueue
	msgDashTotal

	// The purpose of reading another comune's citizen (purpose.go).
	msgPurposeTitle
	msgPurposeWhy
	msgPurposeCertificate
	msgPurposeRequest
	msgPurposePayment
	msgPurposeIdentity
	msgPurposeOther
	msgPurposeOtherText
	msgPurposeNeeded

	msgCount // keep last: the number of messages
)

// catalog is every text of the screens, in the words of the counter:
// Italian first, English second. Its length is msgCount, so a key past
// the end does not compile; a key without its texts fails TestCatalog.
var catalog = [msgCount]struct{ it, en string }{
	// The window and the sign-in (counter.go, login.go).
	msgWindowTitle: {"Sportello — Comune di %s", "Sportello — Comune of %s"},
	msgComune:      {"Comune di %s", "Comune of %s"},
	msgDevice:      {"Postazione %s", "Workstation %s"},
	msgOperator:    {"Operatore: %s", "Operator: %s"},
	msgLogout:      {"Esci", "Log out"},
	msgLoginTitle:  {"Accesso alla postazione", "Sign in to this workstation"},
	msgUsername:    {"Nome utente", "Username"},
	msgPassword:    {"Password", "Password"},
	msgLogin:       {"Accedi", "Sign in"},
	msgLoggingIn:   {"Verifica delle credenziali…", "Checking credentials…"},
	// CC BY 4.0 asks the source and licence of the built-in ANPR tables
	// to be shown where the app shows their data (assets/anpr/README.md).
	msgAttribution: {"Dati di riferimento (comuni, stati esteri, codici): ANPR, Ministero dell'Interno — licenza CC BY 4.0 — github.com/italia/anpr",
		"Reference data (comuni, foreign states, codes): ANPR, Ministero dell'Interno — CC BY 4.0 licence — github.com/italia/anpr"},
	msgIdleLocked: {"Sessione chiusa per inattività: accedere di nuovo.", "Session closed after inactivity: please sign in again."},

	// The search (search.go).
	msgSearchPlaceholder: {"Codice fiscale oppure cognome e nome", "Codice fiscale or surname and name"},
	msgSearchHint:        {"Scrivere il codice fiscale oppure cognome e nome (Ctrl+F). Frecce per scegliere, Invio per aprire il fascicolo.", "Type the codice fiscale or surname and name (Ctrl+F). Arrows to choose, Enter to open the file."},
	msgSearching:         {"Ricerca in corso…", "Searching…"},
	msgLocalHeader:       {"In questo comune", "In this comune"},
	msgNoLocal:           {"Nessun cittadino trovato in questo comune", "No citizen found in this comune"},
	msgRemoteHeader:      {"Altri comuni della rete", "Other comuni of the network"},
	msgRemoteBadge:       {"%s — altro comune", "%s — other comune"},
	msgNetworkOffline:    {"La ricerca negli altri comuni richiede la rete", "Searching other comuni needs the network"},
	msgBornOn:            {"nato/a il %s", "born %s"},
	msgStatusEmigrated:   {"emigrato", "emigrated"},
	msgStatusDeceased:    {"deceduto", "deceased"},
	msgStatusAIRE:        {"iscritto AIRE", "AIRE (abroad)"},

	// The citizen's file (file.go).
	msgNoFile:           {"Nessun fascicolo aperto: cercare un cittadino e premere Invio.", "No file open: search for a citizen and press Enter."},
	msgOpening:          {"Apertura del fascicolo…", "Opening the file…"},
	msgBackToSearch:     {"Torna alla ricerca", "Back to search"},
	msgRemoteMarker:     {"Altro comune: %s (dati dalla rete)", "Other comune: %s (data from the network)"},
	msgAsOf:             {"Dati anagrafici aggiornati al %s", "Registry data as of %s"},
	msgAsOfUnknown:      {"Dati anagrafici: data di aggiornamento non nota", "Registry data: date of update unknown"},
	msgPersonal:         {"Dati anagrafici", "Personal data"},
	msgSex:              {"Sesso", "Sex"},
	msgMale:             {"maschile", "male"},
	msgFemale:           {"femminile", "female"},
	msgBornMale:         {"Nato il", "Born"},
	msgBornFemale:       {"Nata il", "Born"},
	msgBornAt:           {"%s a %s", "%s in %s"},
	msgCitizenship:      {"Cittadinanza", "Citizenship"},
	msgCivilStatus:      {"Stato civile", "Civil status"},
	msgPosition:         {"Posizione anagrafica", "Registry status"},
	msgResident:         {"residente", "resident"},
	msgRegisteredOn:     {"Iscrizione", "Registered"},
	msgCancelledOn:      {"Cancellazione", "Cancelled"},
	msgRelationship:     {"Relazione di parentela", "Relationship"},
	msgResidence:        {"Residenza", "Residence"},
	msgAddress:          {"Indirizzo", "Address"},
	msgComuneLabel:      {"Comune", "Comune"},
	msgFamilySheet:      {"Scheda di famiglia", "Family sheet"},
	msgFamily:           {"Famiglia", "Family"},
	msgColName:          {"Cognome e nome", "Surname and name"},
	msgColCodiceFiscale: {"Codice fiscale", "Codice fiscale"},
	msgColBirthDate:     {"Data di nascita", "Date of birth"},
	msgNoFamily:         {"Nessun componente", "No members"},
	msgCertificates:     {"Certificati", "Certificates"},
	msgNoCertificates:   {"Nessun certificato", "No certificates"},
	msgCertificateLine:  {"N. %s — %s — %s", "No. %s — %s — %s"},
	msgToCheck:          {"da verificare: %s", "to check: %s"},
	msgRequests:         {"Istanze", "Requests"},
	msgNoRequests:       {"Nessuna istanza", "No requests"},
	msgRequestLine:      {"N. %s — %s — %s (%s)", "No. %s — %s — %s (%s)"},
	msgPayments:         {"Pagamenti", "Payments"},
	msgNoPayments:       {"Nessun pagamento", "No payments"},
	msgPaymentLine:      {"%s — %s — %s, scadenza %s", "%s — %s — %s, due %s"},

	// The status bar (statusbar.go).
	msgOnline:          {"Online", "Online"},
	msgOffline:         {"Offline", "Offline"},
	msgLastSync:        {"Ultima sincronizzazione: %s", "Last sync: %s"},
	msgNever:           {"mai", "never"},
	msgToday:           {"oggi alle %s", "today at %s"},
	msgPending:         {"Operazioni in attesa: %d", "Pending operations: %d"},
	msgParked:          {"da verificare: %d", "to check: %d"},
	msgSkewAhead:       {"Orologio della postazione avanti di %d minuti", "Workstation clock %d minutes ahead"},
	msgSkewBehind:      {"Orologio della postazione indietro di %d minuti", "Workstation clock %d minutes behind"},
	msgSkewAheadHours:  {"Orologio della postazione avanti di %d ore: controllare data e ora", "Workstation clock %d hours ahead: check the date and time"},
	msgSkewBehindHours: {"Orologio della postazione indietro di %d ore: controllare data e ora", "Workstation clock %d hours behind: check the date and time"},
	msgHubRestored:     {"Centro servizi ripristinato da un backup: %d operazioni reinviate", "Hub restored from a backup: %d operations sent again"},
	msgNumberingSuspended: {"Centro servizi ripristinato: numerazione sospesa finché tutte le postazioni non hanno reinviato il loro lavoro",
		"Hub restored: numbering suspended until every workstation has sent back its work"},
	msgKioskLocked: {"Chiosco %s bloccato per tentativi errati (%s): verificare",
		"Kiosk %s locked after wrong attempts (%s): please check"},
	msgSyncNow: {"Sincronizza", "Sync now"},

	// The certificates card (certificates.go).
	msgCertificatesUnavailable: {"Certificati non disponibili su questa postazione", "Certificates are not available on this workstation"},
	msgCertificatesLoadFailed:  {"Elenco dei certificati non disponibile: %s", "List of certificates unavailable: %s"},
	msgNotSent:                 {"in attesa di invio", "waiting to be sent"},
	msgReprint:                 {"Ristampa", "Reprint"},
	msgIssueButton:             {"Rilascia certificato", "Issue certificate"},
	msgSentToPrinter:           {"inviato alla stampante %s", "sent to the printer %s"},
	msgSavedTo:                 {"salvato in %s", "saved to %s"},
	msgAccessExport:            {"Accessi al cittadino (GDPR)", "Accesses to the citizen (GDPR)"},
	msgAccessExporting:         {"Richiesta degli accessi all'hub…", "Asking the hub for the accesses…"},
	msgAccessExported:          {"%d accessi esportati in %s", "%d accesses exported to %s"},
	msgAccessExportFailed:      {"Accessi non esportati: %s", "Accesses not exported: %s"},
	msgIssuedTo:                {"Certificato N. %s rilasciato: %s.", "Certificate No. %s issued: %s."},
	msgIssuedNotDelivered:      {"Certificato N. %s rilasciato ma non stampato: %s. Ristamparlo dall'elenco dei certificati.", "Certificate No. %s issued but not printed: %s. Reprint it from the list of certificates."},
	msgReprintedTo:             {"Duplicato del certificato N. %s %s.", "Duplicate of certificate No. %s %s."},
	msgReprintFailed:           {"Ristampa del certificato N. %s non riuscita: %s", "Reprint of certificate No. %s failed: %s"},

	// The issue form (issue.go).
	msgIssueTitle:          {"Rilascio di un certificato — %s", "Issue a certificate — %s"},
	msgIssueHint:           {"Frecce e Invio per il tipo, Tab per passare da un campo all'altro, Invio per rilasciare e stampare, Esc per annullare.", "Arrows and Enter for the type, Tab to move between fields, Enter to issue and print, Esc to cancel."},
	msgTypeLabel:           {"Tipo di certificato", "Type of certificate"},
	msgNotIssuable:         {"Non rilasciabili a questa persona", "Not available for this person"},
	msgNoIssuableType:      {"Nessun certificato è rilasciabile a questa persona.", "No certificate can be issued to this person."},
	msgExemptTag:           {"esente da bollo", "no bollo"},
	msgUse:                 {"Uso", "Use"},
	msgUsePlaceholder:      {"Uso dichiarato dal richiedente", "Use declared by the applicant"},
	msgAbroad:              {"Per l'estero", "For use abroad"},
	msgBollo:               {"Imposta di bollo", "Stamp duty (bollo)"},
	msgMarcaOption:         {"Marca da bollo n.", "Marca da bollo no."},
	msgExemptOption:        {"Esente", "Exempt"},
	msgMarcaPlaceholder:    {"%d cifre", "%d digits"},
	msgMarcaHint:           {"Il numero di %d cifre stampato sulla marca", "The %d-digit number printed on the marca"},
	msgMarcaCount:          {"%d cifre di %d", "%d of %d digits"},
	msgMarcaComplete:       {"Numero completo", "Number complete"},
	msgMarcaInvalid:        {"Il numero della marca da bollo è di %d cifre, solo numeri", "The number of the marca da bollo is %d digits, digits only"},
	msgMarcaIncomplete:     {"Numero della marca da bollo incompleto: %d cifre di %d", "Incomplete number of the marca da bollo: %d of %d digits"},
	msgMarcaMissing:        {"Indicare il numero della marca da bollo (%d cifre) oppure scegliere Esente", "Enter the number of the marca da bollo (%d digits) or choose Exempt"},
	msgExemption:           {"Motivo di esenzione", "Reason for the exemption"},
	msgExemptionPick:       {"Scegliere il motivo di esenzione", "Choose the reason for the exemption"},
	msgExemptionLaw:        {"Norma di legge che prevede l'esenzione", "Law that provides for the exemption"},
	msgExemptionLawMissing: {"Indicare la norma di legge che prevede l'esenzione", "Enter the law that provides for the exemption"},
	msgExemptByLaw:         {"Esente per legge (stato civile)", "Exempt by law (stato civile)"},
	msgOutput:              {"Stampa su", "Print to"},
	msgSavePDF:             {"Salva come PDF", "Save as PDF"},
	msgLoadingOptions:      {"Caricamento delle stampanti e delle esenzioni…", "Loading printers and exemptions…"},
	msgPrintersFailed:      {"Stampanti non disponibili: %s", "Printers unavailable: %s"},
	msgExemptionsFailed:    {"Esenzioni non disponibili: %s", "Exemptions unavailable: %s"},
	msgNoOutput:            {"Nessuna stampa configurata su questa postazione", "No printing is set up on this workstation"},
	msgChooseType:          {"Scegliere il tipo di certificato", "Choose the type of certificate"},
	msgIssueSubmit:         {"Rilascia e stampa", "Issue and print"},
	msgCancel:              {"Annulla", "Cancel"},
	msgIssuing:             {"Rilascio in corso…", "Issuing…"},
	msgForceableTag:        {"da forzare", "to override"},
	msgForceTitle:          {"Controlli ANPR da forzare: %s", "ANPR checks to override: %s"},
	msgForceReason:         {"Motivo della forzatura (registrato)", "Reason for the override (recorded)"},
	msgForceReasonMissing:  {"Indicare il motivo per cui si rilascia nonostante i controlli ANPR", "Enter why the certificate is issued despite the ANPR checks"},
	msgForceReasonLong:     {"Motivo troppo lungo: al massimo %d caratteri", "Reason too long: at most %d characters"},
	msgOnDate:              {"Residenza alla data del", "Residence on"},
	msgOnDatePlaceholder:   {"GG/MM/AAAA", "DD/MM/YYYY"},
	msgOnDateMissing:       {"Indicare la data alla quale certificare la residenza (GG/MM/AAAA)", "Enter the date the residence is certified on (DD/MM/YYYY)"},

	// The certificates to check (worklist.go), and words every dialog uses.
	msgFlaggedButton: {"Certificati da verificare (%d)", "Certificates to check (%d)"},
	msgFlaggedTitle:  {"Certificati da verificare", "Certificates to check"},
	msgFlaggedHint:   {"I dati sono cambiati dopo il rilascio. Invio apre il fascicolo: se i fatti certificati sono diversi, rilasciare di nuovo il certificato.", "The data changed after issue. Enter opens the file: if the certified facts differ, issue the certificate again."},
	msgNoFlagged:     {"Nessun certificato da verificare", "No certificates to check"},
	msgLoading:       {"Caricamento…", "Loading…"},
	msgClose:         {"Chiudi", "Close"},

	// The names of the papers the screens print: Italian papers, so Italian
	// in both languages.
	msgPaperCertificate: {"Certificato %s", "Certificato %s"},
	msgPaperDuplicate:   {"Duplicato %s", "Duplicato %s"},
	msgPaperNotice:      {"Avviso %s", "Avviso %s"},
	msgPaperReceipt:     {"Ricevuta %s", "Ricevuta %s"},

	// Payments (payments.go, payments_scan.go, payments_refund.go).
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
	msgInstalmentLine:     {"Rata %d — %s, scadenza %s", "Instalment %d — %s, due %s"},
	msgInstalmentNotice:   {"Avviso rata %d", "Notice of instalment %d"},
	msgPayWhat:            {"Che cosa paga il cittadino", "What the citizen pays"},
	msgPayUnica:           {"Rata unica: %s entro il %s", "Whole amount: %s by %s"},
	msgPayInstalment:      {"Rata %d: %s entro il %s", "Instalment %d: %s by %s"},
	msgStatusPartial:      {"pagato in parte", "partly paid"},
	msgStatusOffline:      {"serve la rete", "needs the network"},
	msgRefundDoneButton:   {"Rimborso eseguito", "Refund done"},
	msgRefundMethod:       {"Come è stato restituito", "How it was returned"},
	msgRefundDate:         {"Data del rimborso (GG/MM/AAAA)", "Date of the refund (DD/MM/YYYY)"},
	msgRefundNote:         {"Nota: CRO del bonifico, mandato, ricevuta…", "Note: transfer reference, mandate, receipt…"},
	msgRefundNoteLabel:    {"Nota", "Note"},
	msgRefundDoneLine:     {"Pagamento doppio rimborsato — %s: %s restituiti il %s (%s)%s", "Double payment refunded — %s: %s returned on %s (%s)%s"},
	msgRefundPending:      {", in attesa di conferma dell'hub", ", waiting for the hub"},
	msgRefundRecorded:     {"Rimborso %s registrato come eseguito", "Refund %s recorded as done"},
	msgRefundFailed:       {"Rimborso non registrato: %s", "Refund not recorded: %s"},
	msgRefundBadDate:      {"Data non valida: scrivere GG/MM/AAAA, non oltre oggi", "Invalid date: write DD/MM/YYYY, not after today"},
	msgRefundTransfer:     {"Bonifico", "Bank transfer"},
	msgRefundCard:         {"Storno sulla carta (POS)", "Card reversal (POS)"},
	msgRefundOffset:       {"Compensazione con altra posizione", "Offset against another position"},
	msgScanCreditor:       {"Ente creditore", "Creditor"},
	msgScanInstalment:     {"Rata", "Instalment"},

	// The refunds to make (payments_worklist.go).
	msgRefundsButton:  {"Rimborsi da fare (%d)", "Refunds to make (%d)"},
	msgRefundsTitle:   {"Rimborsi da fare", "Refunds to make"},
	msgRefundsHint:    {"Posizioni pagate due volte: restituire l'eccedenza a chi ha pagato. Invio apre il fascicolo della persona.", "Positions paid twice: return the excess to the payer. Enter opens the person's file."},
	msgNoRefunds:      {"Nessun rimborso da fare", "No refunds to make"},
	msgRefundsLine:    {"%s — eccedenza %s, da rimborsare dal %s", "%s — excess %s, to refund since %s"},
	msgRefundsReceipt: {"Ricevuta %s — %s, %s, %s", "Receipt %s — %s, %s, %s"},

	// Requests (requests.go, requests_scans.go).
	msgNewRequest:            {"Nuova istanza", "New request"},
	msgRequestsFailed:        {"Istanze non disponibili: %s", "Requests unavailable: %s"},
	msgProvisional:           {"%s (provvisorio)", "%s (provisional)"},
	msgReceipt:               {"Ricevuta", "Receipt"},
	msgChangeStatus:          {"Cambia stato", "Change state"},
	msgReceiptFailed:         {"Ricevuta della richiesta %s non stampata: %s", "Receipt of request %s not printed: %s"},
	msgReceiptDone:           {"Ricevuta della richiesta %s %s.", "Receipt of request %s %s."},
	msgStatusNote:            {"Nota per il richiedente", "Note for the applicant"},
	msgConfirm:               {"Conferma", "Confirm"},
	msgChooseStatus:          {"Scegliere il nuovo stato", "Choose the new state"},
	msgStatusQueued:          {"Richiesta %s: %s, inviato all'hub.", "Request %s: %s, sent to the hub."},
	msgNewStatus:             {"Nuovo stato", "New state"},
	msgServiceSearch:         {"Cerca un servizio: mensa, residenza, TARI…", "Search a service: canteen, residence, TARI…"},
	msgAllEvents:             {"Tutti gli eventi della vita", "All life events"},
	msgDays:                  {"%d giorni", "%d days"},
	msgSubmitRequest:         {"Presenta e stampa la ricevuta", "Submit and print the receipt"},
	msgOtherService:          {"Altro servizio", "Other service"},
	msgRequestTitle:          {"Nuova istanza — %s", "New request — %s"},
	msgServiceHint:           {"Scrivere qualche parola o scegliere l'evento della vita, poi il servizio.", "Type a few words or choose the life event, then the service."},
	msgFees:                  {"Importi dovuti: %s", "Fees due: %s"},
	msgNoAttachment:          {"Nessun file", "No file"},
	msgChooseFile:            {"Scegli file…", "Choose file…"},
	msgRequestTaken:          {"Richiesta %s presentata; ricevuta %s.", "Request %s submitted; receipt %s."},
	msgRequestTakenNoReceipt: {"Richiesta %s presentata, ma la ricevuta non è stata stampata: %s", "Request %s submitted, but the receipt was not printed: %s"},
	msgScannerFolder:         {"Dalla cartella dello scanner (%s):", "From the scanner folder (%s):"},
	msgNoScans:               {"nessun documento da allegare", "no document to attach"},
	msgRequestReceived:       {"ricevuta", "received"},
	msgRequestWorking:        {"in lavorazione", "in progress"},
	msgRequestIntegration:    {"integrazione richiesta", "documents requested"},
	msgRequestConcluded:      {"conclusa", "concluded"},
	msgRequestRejected:       {"respinta", "rejected"},
	msgHintDate:              {"gg/mm/aaaa", "dd/mm/yyyy"},
	msgHintAmount:            {"0,00", "0,00"},
	msgHintPartitaIVA:        {"11 cifre", "11 digits"},
	msgHintCodiceFiscale:     {"16 caratteri", "16 characters"},
	msgHintEmail:             {"nome@esempio.it", "name@example.com"},

	// Appointments at the counter (appointments.go).
	msgAppointments:      {"Appuntamenti", "Appointments"},
	msgApptBook:          {"Prenota appuntamento", "Book an appointment"},
	msgApptMove:          {"Sposta", "Move"},
	msgApptNone:          {"Nessun appuntamento", "No appointments"},
	msgApptLine:          {"%s — %s, sportello %s — %s", "%s — %s, counter %s — %s"},
	msgApptBooked:        {"prenotato", "booked"},
	msgApptCheckedIn:     {"presentato al chiosco", "checked in at the kiosk"},
	msgApptFormTitle:     {"Prenota un appuntamento per %s", "Book an appointment for %s"},
	msgApptMoveTitle:     {"Sposta l'appuntamento di %s", "Move the appointment of %s"},
	msgService:           {"Servizio", "Service"},
	msgDay:               {"Giorno", "Day"},
	msgApptPickTime:      {"Scegliere l'orario", "Pick the time"},
	msgApptNoSlots:       {"Nessuna fascia libera nei prossimi %d giorni", "No free slot in the next %d days"},
	msgApptNoAreas:       {"Nessun servizio su appuntamento ha fasce libere", "No appointment service has free slots"},
	msgApptChosen:        {"Scelto: %s, %s", "Chosen: %s, %s"},
	msgApptSubmitBook:    {"Prenota", "Book"},
	msgApptSubmitMove:    {"Sposta qui", "Move here"},
	msgApptDoneBooked:    {"Appuntamento prenotato: %s", "Appointment booked: %s"},
	msgApptDoneMoved:     {"Appuntamento spostato: %s", "Appointment moved: %s"},
	msgApptDoneCancelled: {"Appuntamento annullato: %s", "Appointment cancelled: %s"},
	msgApptPending:       {"%s — senza rete: l'hub lo confermerà appena raggiungibile", "%s — offline: the hub will confirm it once reachable"},
	msgApptConfirmCancel: {"Annullare l'appuntamento di %s?", "Cancel the appointment of %s?"},
	msgApptConfirmYes:    {"Annulla l'appuntamento", "Cancel the appointment"},
	msgBack:              {"Indietro", "Back"},
	msgApptNeedFile:      {"Aprire prima la scheda del cittadino", "Open the citizen's file first"},
	msgApptWhen:          {"%s alle %s", "%s at %s"},
	msgApptCounter:       {"sportello %s", "counter %s"},
	msgSunday:            {"dom", "Sun"},
	msgMonday:            {"lun", "Mon"},
	msgTuesday:           {"mar", "Tue"},
	msgWednesday:         {"mer", "Wed"},
	msgThursday:          {"gio", "Thu"},
	msgFriday:            {"ven", "Fri"},
	msgSaturday:          {"sab", "Sat"},

	// The kiosk (kiosk*.go).
	msgKioskTouch:           {"Tocchi lo schermo per iniziare", "Touch the screen to start"},
	msgKioskTakeTicket:      {"Prendi il numero", "Take a ticket"},
	msgKioskIdentify:        {"Certificati e pratiche (codice fiscale)", "Certificates and requests (codice fiscale)"},
	msgKioskAlbo:            {"Albo pretorio", "Public notices (albo pretorio)"},
	msgKioskOtherLang:       {"English", "Italiano"},
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
	msgKioskDone:            {"Fine", "Done"},
	msgKioskCF:              {"Codice fiscale", "Codice fiscale (tax code)"},
	msgKioskDocument:        {"Numero del documento d'identità", "Identity document number"},
	msgKioskDocumentHint:    {"Il numero della carta d'identità registrata in anagrafe", "The number of the identity card on file at the registry office"},
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
	msgKioskNone:            {"Nessuna", "None"},
	msgKioskAppointmentLine: {"%s alle %s — %s, sportello %s", "%s at %s — %s, counter %s"},
	msgKioskNoNotices:       {"Nessun atto pubblicato oggi", "No notices published today"},
	msgKioskNoticeLine:      {"n. %s — %s — pubblicato dal %s al %s", "no. %s — %s — published %s to %s"},
	msgKioskAppointmentAt:   {"Appuntamento delle %s", "Appointment at %s"},
	msgKioskIdleSoon:        {"Per la sua riservatezza lo schermo torna all'inizio dopo un minuto senza tocchi", "For your privacy the screen returns to the start after a minute without touches"},
	msgKioskClear:           {"Cancella", "Clear"},
	msgKioskBook:            {"Prenota un appuntamento", "Book an appointment"},
	msgKioskMyAppointments:  {"I miei appuntamenti", "My appointments"},
	msgKioskBookArea:        {"Per quale servizio?", "For which service?"},
	msgKioskBookDay:         {"%s — scelga il giorno", "%s — choose the day"},
	msgKioskBookTime:        {"%s — scelga l'orario", "%s — choose the time"},
	msgKioskBookConfirm:     {"Conferma la prenotazione?", "Confirm the booking?"},
	msgKioskBookYes:         {"Sì, prenota", "Yes, book it"},
	msgKioskBookDone:        {"Appuntamento prenotato", "Appointment booked"},
	msgKioskBookPending:     {"Il chiosco è senza rete: la prenotazione sarà confermata appena possibile. Se la fascia fosse stata presa nel frattempo, la contatterà lo sportello.", "The kiosk is offline: the booking will be confirmed as soon as possible. Should the slot have been taken meanwhile, the office will contact you."},
	msgKioskApptCancel:      {"Annulla questo appuntamento", "Cancel this appointment"},
	msgKioskApptCancelled:   {"Appuntamento annullato", "Appointment cancelled"},
	msgKioskNoBookable:      {"Nessun servizio ha orari liberi: si rivolga allo sportello", "No service has free times: please ask at the counter"},
	msgKioskPayNotices:      {"Stampa un avviso di pagamento pagoPA", "Print a pagoPA payment notice"},
	msgKioskNoPayable:       {"Nessun pagamento da fare", "Nothing to pay"},
	msgKioskNoticePrinted:   {"Avviso di pagamento stampato: lo ritiri qui sotto", "Payment notice printed: take it below"},
	msgKioskNoticeHowToPay:  {"Si paga con il codice QR dell'avviso dall'app della banca o della posta, in tabaccheria, in banca o su pagoPA.", "Pay with the notice's QR code in your bank's or the post office's app, at a tobacconist's, at a bank, or on pagoPA."},

	// The display board (board.go).
	msgBoardTitle:   {"Comune di %s — Sportelli", "Comune of %s — Counters"},
	msgBoardNumber:  {"Numero", "Number"},
	msgBoardCounter: {"Sportello", "Counter"},
	msgBoardWaiting: {"In attesa: %s", "Waiting: %s"},
	msgBoardNone:    {"Benvenuti: prendete il numero al chiosco", "Welcome: take a ticket at the kiosk"},

	// The counter's queue bar (queue.go).
	msgQueueCallNext:   {"Chiama il prossimo (F2)", "Call next (F2)"},
	msgQueueRecall:     {"Richiama", "Recall"},
	msgQueueSkip:       {"Assente", "No-show"},
	msgQueueServe:      {"Servito", "Served"},
	msgQueueNobody:     {"Nessuno in attesa", "Nobody waiting"},
	msgQueueCurrent:    {"Allo sportello: %s", "At the counter: %s"},
	msgQueueCounter:    {"Sportello %s", "Counter %s"},
	msgQueueCalling:    {"Chiamata…", "Calling…"},
	msgQueueLinked:     {"%s (identificato al chiosco)", "%s (identified at the kiosk)"},
	msgQueueTransferTo: {"Trasferisci a…", "Transfer to…"},

	// The supervisor's queue statistics (stats.go).
	msgStatsButton: {"Statistiche coda", "Queue statistics"},

	msgOutboxButton:     {"Risolvi sospese", "Resolve held"},
	msgOutboxTitle:      {"Operazioni sospese", "Operations on hold"},
	msgOutboxNone:       {"Nessuna operazione sospesa: il centro servizi ha ricevuto tutto.", "No operation on hold: the hub has received everything."},
	msgOutboxCount:      {"Operazioni che il centro servizi non ha accettato: %d. Risolta la causa, inviarle di nuovo; altrimenti scartarle indicando il motivo.", "Operations the hub did not accept: %d. Once the cause is dealt with, send them again; otherwise discard them, giving the reason."},
	msgOutboxLine:       {"%s n. %d, registrata %s", "%s no. %d, recorded %s"},
	msgOutboxWhy:        {"Motivo: %s", "Reason: %s"},
	msgOutboxReason:     {"Motivo dello scarto (obbligatorio per scartare)", "Why it is discarded (needed to discard)"},
	msgOutboxRetry:      {"Invia di nuovo", "Send again"},
	msgOutboxDiscard:    {"Scarta", "Discard"},
	msgOutboxRetried:    {"Operazione n. %d rimessa in coda: parte con la prossima sincronizzazione.", "Operation no. %d is back in line: it goes with the next sync."},
	msgOutboxDiscarded:  {"Operazione n. %d scartata: non sarà inviata al centro servizi.", "Operation no. %d discarded: it will not be sent to the hub."},
	msgOpAudit:          {"Registro degli accessi", "Access log entry"},
	msgOpCertificate:    {"Certificato", "Certificate"},
	msgOpRequest:        {"Istanza", "Request"},
	msgOpRequestStatus:  {"Cambio di stato di un'istanza", "Request status change"},
	msgOpPayment:        {"Pagamento", "Payment"},
	msgOpPosition:       {"Posizione di pagamento", "Payment position"},
	msgOpIUVBlock:       {"Blocco di codici IUV", "Block of IUV codes"},
	msgOpClosing:        {"Chiusura di cassa", "Cash closing"},
	msgOpRefund:         {"Rimborso", "Refund"},
	msgOpTicket:         {"Biglietto della coda", "Queue ticket"},
	msgOpQueueEvent:     {"Chiamata della coda", "Queue call"},
	msgOpAppointment:    {"Appuntamento", "Appointment"},
	msgStatsToday:       {"Oggi", "Today"},
	msgStatsYesterday:   {"Ieri", "Yesterday"},
	msgStatsLast7:       {"Ultimi 7 giorni", "Last 7 days"},
	msgStatsLast30:      {"Ultimi 30 giorni", "Last 30 days"},
	msgStatsTitle:       {"Statistiche della coda", "Queue statistics"},
	msgStatsShow:        {"Aggiorna", "Refresh"},
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

	// Certificates by post (post.go, kiosk_post.go).
	msgPostButton:       {"Certificati per posta (%d)", "Certificates by post (%d)"},
	msgPostTitle:        {"Certificati da spedire per posta", "Certificates to post"},
	msgPostHint:         {"Richieste di certificati da spedire a casa. Spedisci rilascia il certificato, crea l'avviso pagoPA della spedizione e segna la richiesta come spedita; stampa lettera (indirizzo nella finestra della busta DL), certificato e avviso. Invio apre il fascicolo della persona.", "Requests for certificates mailed home. Post issues the certificate, makes the pagoPA notice for the postage and marks the request as sent; it prints the letter (address in the DL envelope's window), the certificate and the notice. Enter opens the person's file."},
	msgNoPost:           {"Nessun certificato da spedire", "No certificates to post"},
	msgPostLine:         {"Richiesta %s del %s: %s, %s", "Request %s of %s: %s, %s"},
	msgPostBollo:        {"con bollo", "with stamp duty"},
	msgPostExempt:       {"esente (esenzione %d)", "exempt (exemption %d)"},
	msgPostStarted:      {"Spedizione iniziata: certificato %s già rilasciato", "Posting begun: certificate %s already issued"},
	msgPostSend:         {"Spedisci", "Post"},
	msgPostMarca:        {"Marca da bollo (14 cifre)", "Revenue stamp (14 digits)"},
	msgPostMarcaHint:    {"Il numero della marca da bollo applicata al certificato", "The number of the revenue stamp applied to the certificate"},
	msgPostDone:         {"Richiesta %s spedita: certificato %s, avviso %s di %s. %s", "Request %s posted: certificate %s, notice %s of %s. %s"},
	msgPostFailed:       {"Spedizione non completata: %s", "Posting not completed: %s"},
	msgPostProblem:      {"Da correggere: %s", "To correct: %s"},
	msgKioskPost:        {"Certificato per posta", "Certificate by post"},
	msgKioskPostChoose:  {"Quale certificato spedire a casa?", "Which certificate should be mailed home?"},
	msgKioskPostBollo:   {"Con bollo: 16 euro, pagati con la spedizione", "With stamp duty: 16 euro, paid with the postage"},
	msgKioskPostTo:      {"Sarà spedito all'indirizzo di residenza:", "It will be mailed to your residence:"},
	msgKioskPostConfirm: {"Conferma la richiesta", "Confirm the request"},
	msgKioskPostDone:    {"Richiesta n. %s ricevuta: il certificato arriverà per posta con l'avviso di pagamento. Ritiri la ricevuta qui sotto.", "Request no. %s received: the certificate will arrive by post with the payment notice. Take the receipt below."},
	msgKioskPostNone:    {"Nessun certificato si chiede per posta a questo chiosco: rivolgersi allo sportello", "No certificate can be asked by post at this kiosk: please ask at the counter"},
	// The supervisor's dashboard (dashboard.go).
	msgDashButton:            {"Cruscotto", "Dashboard"},
	msgDashTitle:             {"Cruscotto del supervisore", "Supervisor's dashboard"},
	msgDashWeek:              {"Questa settimana", "This week"},
	msgDashLoading:           {"Lettura dei dati della postazione…", "Reading the workstation's data…"},
	msgDashSummary:           {"Dal %s al %s: %d certificati, %d istanze, %d pagamenti per %s", "From %s to %s: %d certificates, %d requests, %d payments for %s"},
	msgDashNone:              {"Niente nel periodo", "Nothing in the period"},
	msgDashExport:            {"Esporta CSV…", "Export CSV…"},
	msgDashQueue:             {"Coda", "Queue"},
	msgDashClosings:          {"Chiusure di cassa", "Cash closings"},
	msgDashType:              {"Tipo", "Type"},
	msgDashCount:             {"Quantità", "Count"},
	msgDashBollo:             {"Bollo", "Stamp duty"},
	msgDashDiritti:           {"Diritti di segreteria", "Secretarial fees"},
	msgDashStatus:            {"Stato", "Status"},
	msgDashMethod:            {"Modalità", "Method"},
	msgDashAmount:            {"Importo", "Amount"},
	msgDashOperator:          {"Operatore", "Operator"},
	msgDashClosedAt:          {"Chiusa il", "Closed on"},
	msgDashChartCertificates: {"Certificati rilasciati per tipo", "Certificates issued by type"},
	msgDashChartRequests:     {"Istanze per servizio e stato", "Requests by service and status"},
	msgDashChartPayments:     {"Incassi per servizio e modalità (euro)", "Takings by service and method (euro)"},
	msgDashChartClosings:     {"Incassi chiusi per giorno (euro)", "Closed takings by day (euro)"},
	msgDashChartQueue:        {"Attesa media per ora di emissione e area (minuti)", "Mean wait by hour of issue and area (minutes)"},
	msgDashTotal:             {"Totale", "Total"},

	msgPurposeTitle:       {"Cittadino di un altro comune", "Citizen of another comune"},
	msgPurposeWhy:         {"Per quale motivo consulta i dati? Resta registrato all'hub con il suo nome e vale per questa sessione.", "Why are you looking at this person's data? It is recorded at the hub with your name, for this session."},
	msgPurposeCertificate: {"Rilascio di un certificato", "Issuing a certificate"},
	msgPurposeRequest:     {"Presentazione di un'istanza", "Taking a request"},
	msgPurposePayment:     {"Riscossione di un pagamento", "Taking a payment"},
	msgPurposeIdentity:    {"Verifica dell'identità", "Identity check"},
	msgPurposeOther:       {"Altro", "Other"},
	msgPurposeOtherText:   {"Scriva il motivo", "Write the reason"},
	msgPurposeNeeded:      {"Per cercare negli altri comuni indichi il motivo della consultazione.", "To search the other comuni, say why you are looking."},
}

// text returns message id in l.
func (l lang) text(id msg) string {
	if id < 0 || id >= msgCount || catalog[id].it == "" {
		return fmt.Sprintf("!msg%d", id) // a missing entry shows, and a test catches it
	}
	if l == langEN {
		return catalog[id].en
	}
	return catalog[id].it
}

// textf formats message id in l with args.
func (l lang) textf(id msg, args ...any) string { return fmt.Sprintf(l.text(id), args...) }

// pick chooses between the Italian and the English of data that carries
// both, such as a queue area's name; data without its English reads in
// Italian.
func (l lang) pick(it, en string) string {
	if l == langEN && en != "" {
		return en
	}
	return it
}
