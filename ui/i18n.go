package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/sportello/sportello/app"
)

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

// msg identifies a text of the screens; catalog holds it in both languages.
type msg int

const (
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
	msgIdleLocked

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

	msgNoFile
	msgOpening
	msgBack
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
	msgColRelationship
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

	msgOnline
	msgOffline
	msgLastSync
	msgNever
	msgToday
	msgPending
	msgParked
	msgSkewAhead
	msgSkewBehind
	msgSyncNow

	msgCertificatesUnavailable
	msgCertificatesLoadFailed
	msgNotSent
	msgReprint
	msgIssueButton
	msgSentToPrinter
	msgSavedTo
	msgIssuedTo
	msgIssuedNotDelivered
	msgReprintedTo
	msgReprintFailed

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

	msgFlaggedButton
	msgFlaggedTitle
	msgFlaggedHint
	msgNoFlagged
	msgLoading
	msgClose

	// payments_i18n.go
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

	// payments.go, payments_refund.go: instalments, refunds, other comuni
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
	msgRefundCash
	msgRefundCard
	msgRefundOffset
	msgScanCreditor
	msgScanInstalment

	// requests.go
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
	msgRefundsButton
	msgRefundsTitle
	msgRefundsHint
	msgNoRefunds
	msgRefundsLine
	msgRefundsReceipt

	msgCount // keep last: the number of messages
)

// catalog is every text of the screens, in the words of the counter.
var catalog = map[msg]struct{ it, en string }{
	msgWindowTitle: {"Sportello — Comune di %s", "Sportello — Comune of %s"},
	msgComune:      {"Comune di %s", "Comune of %s"},
	msgDevice:      {"Postazione %s", "Workstation %s"},
	msgOperator:    {"Operatore: %s", "Operator: %s"},
	msgLogout:      {"Esci", "Log out"},

	msgLoginTitle: {"Accesso alla postazione", "Sign in to this workstation"},
	msgUsername:   {"Nome utente", "Username"},
	msgPassword:   {"Password", "Password"},
	msgLogin:      {"Accedi", "Sign in"},
	msgLoggingIn:  {"Verifica delle credenziali…", "Checking credentials…"},
	msgIdleLocked: {"Sessione chiusa per inattività: accedere di nuovo.", "Session closed after inactivity: please sign in again."},

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

	msgNoFile:           {"Nessun fascicolo aperto: cercare un cittadino e premere Invio.", "No file open: search for a citizen and press Enter."},
	msgOpening:          {"Apertura del fascicolo…", "Opening the file…"},
	msgBack:             {"Torna alla ricerca", "Back to search"},
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
	msgColRelationship:  {"Relazione di parentela", "Relationship"},
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

	msgOnline:     {"Online", "Online"},
	msgOffline:    {"Offline", "Offline"},
	msgLastSync:   {"Ultima sincronizzazione: %s", "Last sync: %s"},
	msgNever:      {"mai", "never"},
	msgToday:      {"oggi alle %s", "today at %s"},
	msgPending:    {"Operazioni in attesa: %d", "Pending operations: %d"},
	msgParked:     {"da verificare: %d", "to check: %d"},
	msgSkewAhead:  {"Orologio della postazione avanti di %d minuti", "Workstation clock %d minutes ahead"},
	msgSkewBehind: {"Orologio della postazione indietro di %d minuti", "Workstation clock %d minutes behind"},
	msgSyncNow:    {"Sincronizza", "Sync now"},

	msgCertificatesUnavailable: {"Certificati non disponibili su questa postazione", "Certificates are not available on this workstation"},
	msgCertificatesLoadFailed:  {"Elenco dei certificati non disponibile: %s", "List of certificates unavailable: %s"},
	msgNotSent:                 {"in attesa di invio", "waiting to be sent"},
	msgReprint:                 {"Ristampa", "Reprint"},
	msgIssueButton:             {"Rilascia certificato", "Issue certificate"},
	msgSentToPrinter:           {"inviato alla stampante %s", "sent to the printer %s"},
	msgSavedTo:                 {"salvato in %s", "saved to %s"},
	msgIssuedTo:                {"Certificato N. %s rilasciato: %s.", "Certificate No. %s issued: %s."},
	msgIssuedNotDelivered:      {"Certificato N. %s rilasciato ma non stampato: %s. Ristamparlo dall'elenco dei certificati.", "Certificate No. %s issued but not printed: %s. Reprint it from the list of certificates."},
	msgReprintedTo:             {"Duplicato del certificato N. %s %s.", "Duplicate of certificate No. %s %s."},
	msgReprintFailed:           {"Ristampa del certificato N. %s non riuscita: %s", "Reprint of certificate No. %s failed: %s"},

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

	msgFlaggedButton: {"Certificati da verificare (%d)", "Certificates to check (%d)"},
	msgFlaggedTitle:  {"Certificati da verificare", "Certificates to check"},
	msgFlaggedHint:   {"I dati sono cambiati dopo il rilascio. Invio apre il fascicolo: se i fatti certificati sono diversi, rilasciare di nuovo il certificato.", "The data changed after issue. Enter opens the file: if the certified facts differ, issue the certificate again."},
	msgNoFlagged:     {"Nessun certificato da verificare", "No certificates to check"},
	msgLoading:       {"Caricamento…", "Loading…"},
	msgClose:         {"Chiudi", "Close"},
	// requests.go
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
}

// text returns message id in l.
func (l lang) text(id msg) string {
	m, ok := catalog[id]
	if !ok {
		return fmt.Sprintf("!msg%d", id) // a missing entry shows, and a test catches it
	}
	if l == langEN {
		return m.en
	}
	return m.it
}

// textf formats message id in l with args.
func (l lang) textf(id msg, args ...any) string { return fmt.Sprintf(l.text(id), args...) }

// Dates are written the Italian way in both languages: the counter's papers are Italian.
const (
	dateLayout     = "02/01/2006"
	dateTimeLayout = "02/01/2006 15:04"
)

// formatDate writes a calendar date; dates are stored at UTC midnight, so
// they are not moved to another zone.
func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(dateLayout)
}

// formatInstant writes a moment in the zone of the counter's clock.
func formatInstant(t time.Time, loc *time.Location) string {
	return t.In(loc).Format(dateTimeLayout)
}

// statusText is the position of a non-resident, or "" for a resident.
func (l lang) statusText(s app.Status) string {
	switch s {
	case app.StatusEmigrated:
		return l.text(msgStatusEmigrated)
	case app.StatusDeceased:
		return l.text(msgStatusDeceased)
	case app.StatusAIRE:
		return l.text(msgStatusAIRE)
	}
	return ""
}

// formatEuro writes an amount in cents as the counter says it: "€ 16,00"
// in Italian, "€16.00" in English.
func (l lang) formatEuro(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	units, rest := strconv.FormatInt(cents/100, 10), cents%100
	if l == langEN {
		return fmt.Sprintf("%s€%s.%02d", sign, groupThousands(units, ","), rest)
	}
	return fmt.Sprintf("%s€ %s,%02d", sign, groupThousands(units, "."), rest)
}

func groupThousands(digits, sep string) string {
	for i := len(digits) - 3; i > 0; i -= 3 {
		digits = digits[:i] + sep + digits[i:]
	}
	return digits
}

// displayName is "SURNAME Given", as the anagrafe lists people, with a
// given name stored in capitals written in its ordinary case.
func displayName(surname, given string) string {
	return strings.ToUpper(surname) + " " + properCase(given)
}

func properCase(s string) string {
	if s != strings.ToUpper(s) {
		return s // already written with care: keep it
	}
	rs := []rune(strings.ToLower(s))
	start := true
	for i, r := range rs {
		if start {
			rs[i] = []rune(strings.ToUpper(string(r)))[0]
		}
		start = r == ' ' || r == '\'' || r == '-'
	}
	return string(rs)
}

// placeName writes the name of a comune, which ANPR publishes in capitals,
// as a sentence writes it: "SESTO SAN GIOVANNI" as "Sesto San Giovanni",
// "REGGIO NELL'EMILIA" as "Reggio nell'Emilia", "BOLZANO/BOZEN" as
// "Bolzano/Bozen". A name already in mixed case is kept.
func placeName(s string) string {
	if s != strings.ToUpper(s) {
		return s
	}
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		if i > 0 && placeParticles[w] {
			continue
		}
		if j := strings.IndexRune(w, '\''); j >= 0 {
			head, rest := w[:j+1], w[j+1:]
			if i == 0 || !placeParticles[head] {
				head = capitalize(head)
			}
			words[i] = head + capitalize(rest)
			continue
		}
		words[i] = capitalize(w)
	}
	return strings.Join(words, " ")
}

// placeParticles stay in lower case inside a name.
var placeParticles = map[string]bool{
	"a": true, "al": true, "alla": true, "d'": true, "da": true, "de": true, "dei": true, "degli": true,
	"del": true, "dell'": true, "della": true, "delle": true, "dello": true, "di": true, "e": true,
	"in": true, "nel": true, "nell'": true, "sul": true, "sull'": true, "sulla": true,
}

// capitalize upper-cases the first letter of w and of each part after a
// hyphen or a slash.
func capitalize(w string) string {
	rs := []rune(w)
	start := true
	for i, r := range rs {
		if start {
			rs[i] = unicode.ToUpper(r)
		}
		start = r == '-' || r == '/'
	}
	return string(rs)
}
