package hub

import (
	"fmt"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sportello/sportello/app/queue"
	"github.com/sportello/sportello/app/request"
)

// publicWords are the public pages' texts in one language, in the words
// of the Designers Italia comuni model where it has them.
type publicWords struct {
	Lang, OtherLanguage, OtherLanguageName, SkipToContent, Network, NetworkIntro, ComuniList, NoComuni string
	ComuneOf, Tagline, MainMenu, Breadcrumb, Home                                                      string

	Administration, News, Services, Albo, Hours, Book, Booked, Follow, Verify, PostalCertificate string
	ServicesIntro, NoServices, AlboIntro, NoNotices, LatestNotices, AllNotices, HoursIntro       string
	ByAppointment, WalkIn, Counter, FollowIntro, VerifyIntro, PostalIntro, UsefulLinks           string

	Audience, Citizens, Businesses, Office, Time, TimeDays, Costs, NoCosts, Documents, NoDocuments string
	Required, HowTo, HowToText, HowToKiosk, LifeEvent, LifeEvents, BookThis                        string

	Number, Category, Published, PublishedFromTo, PublishedFrom string

	BookIntro, ChooseArea, NoSlots, ChooseSlot, CodiceFiscale, CodiceFiscaleHelp, Name, NameHelp string
	Submit, ChangeArea, Privacy, BookedIntro, BookingCode, When, Where, BookedFor, BookedNext    string

	ErrForm, ErrSlot, ErrPast, ErrTaken, ErrName, ErrCF, ErrExpired, ErrTooMany, ProblemTitle string

	NotFound, NotFoundText, Unavailable, Credits string

	FollowNotFound, FollowNotFoundText, RequestNumber, ProvisionalNumber, RequestStatus string
	RequestHistory, RequestDate, RequestNote                                            string
	Statuses                                                                            map[request.Status]string

	Weekdays [7]string
	Months   [12]string
	Events   map[request.LifeEvent]string

	Post postWords
}

// event is the title of a life event.
func (w *publicWords) event(e request.LifeEvent) string {
	if t, ok := w.Events[e]; ok {
		return t
	}
	return e.Title()
}

// status is the title of a request's state.
func (w *publicWords) status(st request.Status) string {
	if t, ok := w.Statuses[st]; ok {
		return t
	}
	return st.Title()
}

// area is an area's name in the page's language.
func (w *publicWords) area(a queue.Area) string {
	if w.Lang == "en" && a.NameEN != "" {
		return a.NameEN
	}
	return a.Name
}

// day is a day as the page writes it: "lunedì 7 dicembre".
func (w *publicWords) day(t time.Time) string {
	return fmt.Sprintf("%s %d %s", w.Weekdays[t.Weekday()], t.Day(), w.Months[t.Month()-1])
}

// heading is s with its first letter capital, for a day that heads a list.
func heading(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// problem is what the page says of a refused form.
func (w *publicWords) problem(p *bookingProblem) string {
	switch p.Key {
	case "slot":
		return w.ErrSlot
	case "name":
		return w.ErrName
	case "cf":
		if p.CF != nil {
			if w.Lang == "en" {
				return w.ErrCF + " " + p.CF.EnglishMessage()
			}
			return w.ErrCF + " " + p.CF.Error()
		}
		return w.ErrCF
	}
	return w.ErrForm
}

var publicItalian = publicWords{
	Post:              postItalian,
	Lang:              "it",
	OtherLanguage:     "en",
	OtherLanguageName: "English",
	SkipToContent:     "Vai al contenuto principale",
	Network:           "I comuni della rete",
	NetworkIntro:      "I servizi, l'albo pretorio, gli orari e le prenotazioni dei comuni che usano Sportello. Scegli il tuo comune.",
	ComuniList:        "Comuni",
	NoComuni:          "Nessun comune fa ancora parte della rete.",
	ComuneOf:          "Comune di",
	Tagline:           "Servizi al cittadino",
	MainMenu:          "Menu principale",
	Breadcrumb:        "Percorso di navigazione",
	Home:              "Home",

	Administration:    "Amministrazione",
	News:              "Novità",
	Services:          "Servizi",
	Albo:              "Albo pretorio",
	Hours:             "Uffici e orari",
	Book:              "Prenota un appuntamento",
	Booked:            "Appuntamento prenotato",
	Follow:            "Segui la tua pratica",
	Verify:            "Verifica un certificato",
	PostalCertificate: "Certificato per posta",
	ServicesIntro:     "I servizi del comune, raggruppati per evento della vita: per ciascuno, chi può chiederlo, l'ufficio, i tempi, i costi e i documenti da presentare.",
	NoServices:        "Il comune non offre ancora servizi in questo elenco.",
	AlboIntro:         "Gli atti e gli avvisi in pubblicazione oggi all'albo pretorio del comune.",
	NoNotices:         "Nessun atto in pubblicazione oggi.",
	LatestNotices:     "Ultimi atti all'albo pretorio",
	AllNotices:        "Tutti gli atti in pubblicazione",
	HoursIntro:        "Gli sportelli del comune. Dove è indicato un orario, si riceve su appuntamento in quei giorni e orari; gli altri sportelli ricevono senza appuntamento, con il biglietto dell'eliminacode.",
	ByAppointment:     "Su appuntamento",
	WalkIn:            "Senza appuntamento, con il biglietto dell'eliminacode",
	Counter:           "sportello",
	FollowIntro:       "Inquadra il QR code stampato sulla ricevuta della tua richiesta: si apre la pagina con lo stato della pratica.",
	VerifyIntro:       "Controlla l'autenticità di un certificato dal suo contrassegno (QR code).",
	PostalIntro:       "Chiedi un certificato anagrafico da ricevere a casa per posta.",
	UsefulLinks:       "Link utili",

	Audience:    "A chi è rivolto",
	Citizens:    "Cittadini",
	Businesses:  "Imprese",
	Office:      "Ufficio",
	Time:        "Tempi",
	TimeDays:    "La pratica si conclude entro %d giorni.",
	Costs:       "Quanto costa",
	NoCosts:     "Nessun costo.",
	Documents:   "Cosa serve",
	NoDocuments: "Nessun documento da allegare: bastano i dati richiesti allo sportello.",
	Required:    "obbligatorio",
	HowTo:       "Come fare",
	HowToText:   "Presenta la richiesta allo sportello dell'ufficio indicato; puoi prenotare un appuntamento.",
	HowToKiosk:  "Puoi presentare la richiesta anche al chiosco self-service del comune.",
	LifeEvent:   "Evento della vita",
	LifeEvents:  "Eventi della vita",
	BookThis:    "Prenota un appuntamento",

	Number:          "Numero",
	Category:        "Tipo di atto",
	Published:       "Pubblicazione",
	PublishedFromTo: "dal %s al %s",
	PublishedFrom:   "dal %s",

	BookIntro:         "Scegli il servizio, il giorno e l'ora; poi indica il tuo codice fiscale e il tuo nome. Il giorno dell'appuntamento presenta il codice fiscale al chiosco o allo sportello.",
	ChooseArea:        "Scegli il servizio",
	NoSlots:           "Non ci sono appuntamenti liberi nei prossimi giorni.",
	ChooseSlot:        "Scegli giorno e ora",
	CodiceFiscale:     "Codice fiscale",
	CodiceFiscaleHelp: "16 caratteri, come sulla tessera sanitaria.",
	Name:              "Cognome e nome",
	NameHelp:          "Come ti chiameremo allo sportello.",
	Submit:            "Prenota",
	ChangeArea:        "Scegli un altro servizio",
	Privacy:           "Il comune usa il codice fiscale e il nome solo per gestire l'appuntamento.",
	BookedIntro:       "La prenotazione è registrata. Conserva il codice della prenotazione.",
	BookingCode:       "Codice della prenotazione",
	When:              "Quando",
	Where:             "Dove",
	BookedFor:         "Intestata a",
	BookedNext:        "Il giorno dell'appuntamento, da un'ora prima, presenta il codice fiscale al chiosco o allo sportello per il biglietto: sarai chiamato all'ora prenotata.",

	ErrForm:      "Il modulo non è completo: scegli di nuovo il giorno e l'ora.",
	ErrSlot:      "Scegli un giorno e un'ora tra quelli liberi.",
	ErrPast:      "L'orario scelto è già passato: scegline un altro.",
	ErrTaken:     "L'orario scelto è già stato prenotato: scegline un altro.",
	ErrName:      "Scrivi cognome e nome (solo lettere, al massimo 80 caratteri).",
	ErrCF:        "Il codice fiscale non è valido:",
	ErrExpired:   "Il modulo è scaduto o non viene da questa pagina: ripeti la scelta.",
	ErrTooMany:   "Troppe prenotazioni da questo collegamento: riprova tra qualche minuto.",
	ProblemTitle: "Prenotazione non registrata",

	NotFound:     "Pagina non trovata",
	NotFoundText: "La pagina cercata non esiste o il comune non fa parte della rete.",
	Unavailable:  "Il servizio non è disponibile in questo momento: riprova più tardi.",
	Credits:      "Aspetto grafico: Bootstrap Italia (Designers Italia, licenza BSD-3-Clause); carattere Titillium Web (SIL Open Font License).",

	FollowNotFound:     "Richiesta non trovata",
	FollowNotFoundText: "Richiesta sconosciuta o non ancora arrivata al comune: controlla di aver aperto l'indirizzo del QR code della ricevuta.",
	RequestNumber:      "Numero della richiesta",
	ProvisionalNumber:  "numero provvisorio",
	RequestStatus:      "Stato",
	RequestHistory:     "Storia della richiesta",
	RequestDate:        "Data",
	RequestNote:        "Nota",

	Weekdays: [7]string{"domenica", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato"},
	Months:   [12]string{"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"},
}

var publicEnglish = publicWords{
	Post:              postEnglish,
	Lang:              "en",
	OtherLanguage:     "it",
	OtherLanguageName: "Italiano",
	SkipToContent:     "Skip to main content",
	Network:           "The network's comuni",
	NetworkIntro:      "Services, official notice board, opening hours and appointments of the comuni that use Sportello. Choose your comune.",
	ComuniList:        "Comuni",
	NoComuni:          "No comune is part of the network yet.",
	ComuneOf:          "Comune di",
	Tagline:           "Services for citizens",
	MainMenu:          "Main menu",
	Breadcrumb:        "Breadcrumb",
	Home:              "Home",

	Administration:    "Administration",
	News:              "News",
	Services:          "Services",
	Albo:              "Official notice board (albo pretorio)",
	Hours:             "Offices and opening hours",
	Book:              "Book an appointment",
	Booked:            "Appointment booked",
	Follow:            "Follow your request",
	Verify:            "Verify a certificate",
	PostalCertificate: "Certificate by post",
	ServicesIntro:     "The comune's services, grouped by life event: for each, who may apply, the office, the time it takes, the costs and the documents to bring. Service descriptions are in Italian.",
	NoServices:        "The comune offers no services in this list yet.",
	AlboIntro:         "The acts and notices published today on the comune's official notice board (in Italian).",
	NoNotices:         "Nothing is published today.",
	LatestNotices:     "Latest acts on the notice board",
	AllNotices:        "All published acts",
	HoursIntro:        "The comune's counters. Where times are given, the counter receives by appointment on those days and hours; the others receive without appointment, with a queue ticket.",
	ByAppointment:     "By appointment",
	WalkIn:            "Without appointment, with a queue ticket",
	Counter:           "counter",
	FollowIntro:       "Scan the QR code printed on your request's receipt: it opens the page with the request's status.",
	VerifyIntro:       "Check that a certificate is authentic from its stamp (QR code).",
	PostalIntro:       "Ask for a registry certificate to be mailed to your home.",
	UsefulLinks:       "Useful links",

	Audience:    "Who may apply",
	Citizens:    "Citizens",
	Businesses:  "Businesses",
	Office:      "Office",
	Time:        "Time",
	TimeDays:    "The request is concluded within %d days.",
	Costs:       "Costs",
	NoCosts:     "No costs.",
	Documents:   "What you need",
	NoDocuments: "No documents to attach: the data asked at the counter are enough.",
	Required:    "required",
	HowTo:       "How to apply",
	HowToText:   "Apply at the counter of the office above; you can book an appointment.",
	HowToKiosk:  "You can also apply at the comune's self-service kiosk.",
	LifeEvent:   "Life event",
	LifeEvents:  "Life events",
	BookThis:    "Book an appointment",

	Number:          "Number",
	Category:        "Type of act",
	Published:       "Published",
	PublishedFromTo: "from %s to %s",
	PublishedFrom:   "from %s",

	BookIntro:         "Choose the service, the day and the time; then give your codice fiscale and your name. On the day, show your codice fiscale at the kiosk or the counter.",
	ChooseArea:        "Choose the service",
	NoSlots:           "There are no free appointments in the coming days.",
	ChooseSlot:        "Choose day and time",
	CodiceFiscale:     "Codice fiscale (Italian tax code)",
	CodiceFiscaleHelp: "16 characters, as on the health insurance card.",
	Name:              "Surname and given name",
	NameHelp:          "How the counter will call you.",
	Submit:            "Book",
	ChangeArea:        "Choose another service",
	Privacy:           "The comune uses your codice fiscale and name only to manage the appointment.",
	BookedIntro:       "Your booking is registered. Keep the booking code.",
	BookingCode:       "Booking code",
	When:              "When",
	Where:             "Where",
	BookedFor:         "Booked for",
	BookedNext:        "On the day, from one hour before, show your codice fiscale at the kiosk or the counter to get your ticket: you will be called at the booked time.",

	ErrForm:      "The form is incomplete: please choose the day and time again.",
	ErrSlot:      "Please choose one of the free days and times.",
	ErrPast:      "The chosen time has already passed: please choose another.",
	ErrTaken:     "The chosen time has already been booked: please choose another.",
	ErrName:      "Please write your surname and given name (letters only, at most 80 characters).",
	ErrCF:        "The codice fiscale is not valid:",
	ErrExpired:   "The form has expired or does not come from this page: please choose again.",
	ErrTooMany:   "Too many bookings from this connection: please try again in a few minutes.",
	ProblemTitle: "Booking not registered",

	NotFound:     "Page not found",
	NotFoundText: "The page does not exist, or the comune is not part of the network.",
	Unavailable:  "The service is not available right now: please try again later.",
	Credits:      "Design: Bootstrap Italia (Designers Italia, BSD-3-Clause licence); typeface Titillium Web (SIL Open Font License).",

	FollowNotFound:     "Request not found",
	FollowNotFoundText: "Unknown request, or not yet received by the comune: check that you opened the address of the receipt's QR code.",
	RequestNumber:      "Request number",
	ProvisionalNumber:  "provisional number",
	RequestStatus:      "Status",
	RequestHistory:     "History of the request",
	RequestDate:        "Date",
	RequestNote:        "Note (in Italian)",
	Statuses: map[request.Status]string{
		request.StatusReceived:    "Received",
		request.StatusWorking:     "In progress",
		request.StatusIntegration: "More information requested",
		request.StatusConcluded:   "Concluded",
		request.StatusRejected:    "Rejected",
	},

	Weekdays: [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
	Months:   [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	Events: map[request.LifeEvent]string{
		request.EventHome:      "Housing",
		request.EventFamily:    "Having a family",
		request.EventCitizen:   "Being a citizen",
		request.EventSport:     "Sport and leisure",
		request.EventTaxes:     "Paying taxes",
		request.EventSchool:    "Studying",
		request.EventTransport: "Using transport",
		request.EventHealth:    "Living in good health",
		request.EventBusiness:  "Starting, running, closing a business",
		request.EventProperty:  "Owning property",
	},
}

// postWords are the texts of the page of the certificate by post in one
// language (publicWords.Post).
type postWords struct {
	Title, Intro                                                       string
	Person, Surname, Name, CF, Certificate, Type, Use, UseHelp         string
	Bollo, Marca, Exemption, ExemptionPick, Address, Recipient, Street string
	CAP, Comune, Provincia, Contacts, Email, Phone, Privacy, Send      string
	NoComune, NoService, Unreadable, Expired, TooMany, Refused         string
	Internal, DoneTitle, DoneNumber, DoneFollow, DoneKeep, Fees        string
}

var postItalian = postWords{
	Title:  "Certificato per posta",
	Intro:  "Chiedi un certificato anagrafico da ricevere a casa. L'ufficio anagrafe lo rilascia con il contrassegno elettronico e lo spedisce all'indirizzo indicato, con l'avviso pagoPA della spedizione, del bollo (16 euro, salvo esenzione di legge) e dei diritti di segreteria.",
	Person: "La persona del certificato", Surname: "Cognome", Name: "Nome", CF: "Codice fiscale",
	Certificate: "Il certificato", Type: "Certificato", Use: "Uso", UseHelp: "ad esempio: uso pensione. Non serve per una pubblica amministrazione, che lo acquisisce d'ufficio.",
	Bollo: "Bollo", Marca: "Con bollo da 16 euro, pagato con la spedizione", Exemption: "Esente per legge", ExemptionPick: "Esenzione (se esente)",
	Address: "Indirizzo di spedizione", Recipient: "Destinatario (come sul campanello)", Street: "Via e numero civico", CAP: "CAP",
	Comune: "Comune", Provincia: "Provincia (sigla)", Contacts: "Per gli avvisi (facoltativi)", Email: "Email", Phone: "Cellulare",
	Privacy: "Ho preso visione dell'informativa sul trattamento dei dati personali (Reg. UE 2016/679)", Send: "Invia la richiesta",
	NoComune: "Comune sconosciuto a questa rete.", NoService: "Il comune non offre il certificato per posta.",
	Unreadable: "Richiesta non leggibile.", Expired: "Il modulo è scaduto o non proviene da questa pagina: ricaricare la pagina e inviarlo di nuovo.",
	TooMany: "Troppe richieste da questo indirizzo: riprovare più tardi.", Refused: "Richiesta non accettata",
	Internal: "Errore del servizio: riprovare più tardi.", DoneTitle: "Richiesta ricevuta", DoneNumber: "Numero di protocollo",
	DoneFollow: "Segui la richiesta", DoneKeep: "Conserva questo indirizzo: è l'unico modo di seguire la richiesta senza credenziali.",
	Fees: "Costi: spedizione in posta ordinaria, bollo 16 euro (salvo esenzione), diritti di segreteria del comune; si pagano con l'avviso pagoPA allegato al certificato.",
}

var postEnglish = postWords{
	Title:  "Certificate by post",
	Intro:  "Ask for a registry certificate to be mailed to your home. The registry office issues it with its electronic stamp and posts it to the address you give, with the pagoPA notice for the postage, the stamp duty (16 euro, unless exempt by law) and the office fees.",
	Person: "The person of the certificate", Surname: "Surname", Name: "Given name", CF: "Codice fiscale (tax code)",
	Certificate: "The certificate", Type: "Certificate", Use: "Use", UseHelp: "for example: pension. A public administration does not need it: it checks the registry itself.",
	Bollo: "Stamp duty", Marca: "With the 16 euro stamp duty, paid with the postage", Exemption: "Exempt by law", ExemptionPick: "Exemption (if exempt)",
	Address: "Postal address", Recipient: "Recipient (as on the doorbell)", Street: "Street and number", CAP: "Postcode (CAP)",
	Comune: "Town", Provincia: "Province (two letters)", Contacts: "For notices (optional)", Email: "Email", Phone: "Mobile phone",
	Privacy: "I have read the privacy notice (EU Regulation 2016/679)", Send: "Send the request",
	NoComune: "Comune unknown to this network.", NoService: "The comune does not offer certificates by post.",
	Unreadable: "Unreadable request.", Expired: "The form has expired or does not come from this page: reload the page and send it again.",
	TooMany: "Too many requests from this address: try again later.", Refused: "Request not accepted",
	Internal: "Service error: try again later.", DoneTitle: "Request received", DoneNumber: "Protocol number",
	DoneFollow: "Follow the request", DoneKeep: "Keep this address: it is the only way to follow the request without credentials.",
	Fees: "Costs: ordinary postage, 16 euro stamp duty (unless exempt), the comune's office fees; paid with the pagoPA notice sent with the certificate.",
}
