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
