package certificate

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anpr"
)

// The issuing controls of ANPR, as data.
//
// Source: ANPR, "Controlli applicati alla produzione di certificati"
// (italia/anpr, src/controllo-certificati/CERTIFICATO_*.rst, CC BY 4.0): one
// page per certificate type listing, in eight sections, the conditions on
// the data that stop ANPR from issuing it, some of which the officer may
// override with the request field forzaCertificazione. Sportello applies
// the same controls, in the same sections, keyed by ANPR's tipo_certificato
// ID, so a type added later takes its table by its ANPR code. A few rules
// of Sportello's own stand beside them where the certificate would print
// something false without them; their Source names the law instead.

// Category is a section of ANPR's control pages.
type Category string

// ANPR's sections, in the order of its pages.
const (
	CategoryCertifiability Category = "Certificabilità soggetto"
	CategoryProcedure      Category = "Procedimento amministrativo"
	CategoryRequesterPA    Category = "Tipo richiedente PA"
	CategoryBollo          Category = "Esenzione bolli"
	CategoryCombination    Category = "Combinazioni certificati su cumulativi"
	CategoryRegister       Category = "Controlli soggetto APR/AIRE"
	CategoryCancelled      Category = "Soggetto cancellato"
	CategorySpecific       Category = "Controlli specifici"
)

// ControlID names a control on the command line (--force), in storage and
// in docs/CERTIFICATES.md: kebab-case Italian, stable.
type ControlID string

// The controls. Their ANPR wording, test and printed statement are in
// controlDefs.
const (
	CtlNonCertificabile        ControlID = "non-certificabile"
	CtlNonIscrivibile          ControlID = "non-iscrivibile"
	CtlInterdetto              ControlID = "interdetto"
	CtlParzialmente            ControlID = "parzialmente-certificabile"
	CtlProcedimentoAperto      ControlID = "procedimento-aperto"
	CtlRichiedentePA           ControlID = "richiedente-pa-senza-estremi"
	CtlEsenzione99Descrizione  ControlID = "esenzione-99-senza-descrizione"
	CtlEsenzioneDescrLunga     ControlID = "esenzione-descrizione-oltre-256"
	CtlEsenzioneDiritti        ControlID = "esenzione-diritti-non-valida"
	CtlEsenzione99Diritti      ControlID = "esenzione-99-diritti-con-importo"
	CtlUsoSenzaEsenzione       ControlID = "uso-immigrazione-giudiziario-senza-esenzione"
	CtlDirittiZero             ControlID = "diritti-dovuti-a-zero"
	CtlBolloZero               ControlID = "bollo-dovuto-a-zero"
	CtlCumulativo              ControlID = "cumulativo-non-ammesso"
	CtlIscrittoAIRE            ControlID = "iscritto-aire"
	CtlResidente               ControlID = "residente"
	CtlCancellato              ControlID = "cancellato"
	CtlDeceduto                ControlID = "deceduto"
	CtlAIRENatoEstero          ControlID = "aire-nato-all-estero"
	CtlNonDeceduto             ControlID = "non-deceduto"
	CtlDataCancellazione       ControlID = "data-cancellazione-assente"
	CtlCittadinanzaIndefinita  ControlID = "cittadinanza-in-definizione"
	CtlPiuCittadinanze         ControlID = "piu-cittadinanze"
	CtlCittadinanzaAssente     ControlID = "cittadinanza-assente"
	CtlNonItaliano             ControlID = "non-cittadino-italiano"
	CtlStatoCivileMancante     ControlID = "stato-civile-mancante"
	CtlStatoCivileDatiAssenti  ControlID = "dati-stato-civile-assenti"
	CtlStatoNonLibero          ControlID = "stato-civile-non-libero"
	CtlStatoLiberoMinorenne    ControlID = "stato-libero-minorenne"
	CtlLiberoOUnito            ControlID = "stato-libero-o-unito-civilmente"
	CtlMatrimonioAssente       ControlID = "dati-matrimonio-assenti"
	CtlConiugeAssente          ControlID = "dati-coniuge-assenti"
	CtlAIREAlMatrimonio        ControlID = "aire-alla-data-del-matrimonio"
	CtlNonUnito                ControlID = "non-unito-civilmente"
	CtlUnioneAssente           ControlID = "dati-unione-civile-assenti"
	CtlParteUnitaAssente       ControlID = "dati-parte-unita-assenti"
	CtlAIREUnione              ControlID = "aire-unione-dopo-espatrio"
	CtlContrattoAssente        ControlID = "dati-contratto-assenti"
	CtlConviventeAssente       ControlID = "dati-convivente-assenti"
	CtlRichiedenteEstraneo     ControlID = "richiedente-non-convivente"
	CtlAIREContratto           ControlID = "aire-contratto-dopo-espatrio"
	CtlFamigliaNonCertificab   ControlID = "famiglia-non-certificabile"
	CtlSenzaFissaDimora        ControlID = "senza-fissa-dimora"
	CtlInConvivenza            ControlID = "in-convivenza"
	CtlNonInConvivenza         ControlID = "non-in-convivenza"
	CtlSenzaFamiglia           ControlID = "senza-famiglia"
	CtlSenzaIntestatario       ControlID = "famiglia-senza-intestatario"
	CtlUnicoComponente         ControlID = "unico-componente"
	CtlMinorenneEstraneo       ControlID = "richiedente-minorenne-estraneo"
	CtlFamigliaNonAIRE         ControlID = "famiglia-non-aire"
	CtlSenzaFamigliaConvivenza ControlID = "senza-famiglia-ne-convivenza"
	CtlParentelaNonAmmessa     ControlID = "parentela-non-ammessa"
	CtlRiferimentoAssente      ControlID = "data-riferimento-assente"
	CtlRiferimentoIscrizione   ControlID = "riferimento-prima-dell-iscrizione"
	CtlRiferimentoSubentro     ControlID = "riferimento-prima-del-subentro"
	CtlDecorrenzaIscrizione    ControlID = "decorrenza-prima-dell-iscrizione"
	CtlRiferimentoCancellaz    ControlID = "riferimento-dopo-cancellazione"
	CtlDecorrenzaAssente       ControlID = "decorrenza-assente"
)

// Control is one issuing control of a certificate type.
type Control struct {
	ID       ControlID
	Category Category
	// ANPR is ANPR's wording of the condition that stops the certificate;
	// "" for a rule of Sportello's own.
	ANPR string
	// Source is where the rule comes from: the ANPR page of the type, or
	// the law of a rule of Sportello's own.
	Source string
	// Forceable: ANPR lets the officer issue anyway (forzaCertificazione).
	// The counter then asks for a reason, prints Statement and audits it.
	Forceable bool
	// Statement is what a certificate issued despite the control prints,
	// so that it says nothing false: the fact that applies.
	Statement string
}

// Failure is a control that stops a certificate, with the reason in
// Italian for the operator.
type Failure struct {
	Control Control
	Reason  string
}

// Forcing is the officer's decision to issue despite a forceable control,
// with the reason, which is audited and kept with the certificate.
type Forcing struct {
	Control ControlID `json:"control"`
	Reason  string    `json:"reason"`
}

// MaxForceReason bounds the reason of a forcing, as ANPR bounds its free
// texts (DescrizioneEsenzioneBollo).
const MaxForceReason = 256

// Destination is ANPR's paEstera: where a certificate is to be used. The
// counter's "per l'estero" (Abroad) is paEstera 1; the two uses below
// replace the notice of art. 40 DPR 445/2000 with their own words.
type Destination int

// The destinations of ANPR's paEstera beyond Italy and abroad.
const (
	DestinationNone        Destination = 0
	DestinationImmigration Destination = 2
	DestinationCourt       Destination = 3
)

// Text is the notice ANPR prints for the destination, in its
// words (controllo-certificati, section "Esenzione bolli"); "" for none.
func (d Destination) Text() string {
	switch d {
	case DestinationImmigration:
		return "Certificato rilasciato per procedimenti disciplinati dalle norme sull'immigrazione"
	case DestinationCourt:
		return "Ai sensi dell'art. 40, d.P.R. 445/2000 il presente certificato è rilasciato per cause giudiziarie"
	}
	return ""
}

// Valid reports whether d is a known destination.
func (d Destination) Valid() bool {
	return d == DestinationNone || d == DestinationImmigration || d == DestinationCourt
}

// ParseDestination reads the CLI's word for a destination: "" (none),
// "immigrazione", "cause-giudiziarie".
func ParseDestination(s string) (Destination, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return DestinationNone, nil
	case "immigrazione":
		return DestinationImmigration, nil
	case "cause-giudiziarie":
		return DestinationCourt, nil
	}
	return 0, app.Errorf(app.EINVALID, "destinazione d'uso sconosciuta %q: immigrazione o cause-giudiziarie", s)
}

// Input is what the controls read: the person's record with the family
// sheet, the day, and once the bollo is settled, the bollo, the amounts
// and the request.
type Input struct {
	Citizen app.Citizen
	Family  []app.FamilyMember // the family sheet, the person included
	Today   time.Time          // in Rome
	// With are the ANPR types of the other certificates joined in the same
	// cumulative certificate (Sportello's contestuale joins 8 and 12).
	With []int

	// Settled is set once the bollo is known: the controls of the section
	// "Esenzione bolli" run only then (the counter's list of types runs
	// the others before the operator chooses).
	Settled bool
	// Refs are the reference tables the bollo was settled with (nil: the
	// built-in ones): an exemption the hub's tables add is judged by them.
	Refs         *anpr.Index
	Bollo        Bollo
	BolloCents   int64
	DirittiCents int64
	Destination  Destination
	// RequesterPA: a public administration asks (ANPR tipoRichiedente 3),
	// which the exemption "scambio di atti fra PP.AA." implies; PARequest
	// is the reference of its request (estremiDocRiconoscimento).
	RequesterPA bool
	PARequest   string
	// ApplicantMinorOutsideFamily: the applicant is a minor who does not
	// belong to the family (ANPR, stato di famiglia e stato civile and con
	// rapporti di parentela).
	ApplicantMinorOutsideFamily bool
	// ReferenceDate is the date a historical certificate certifies
	// (storico di residenza alla data); zero for the others.
	ReferenceDate time.Time
	// Acts are the acts of stato civile and of the register the types of
	// marriage, civil union, convivenza and AIRE certify; nil when the
	// record carries none.
	Acts *Acts
}

// Acts are the facts of the record that the controls of the marriage,
// civil union, convivenza, AIRE and historical types read. The anagrafe
// data that carries them fills this view (InputOf leaves it nil).
type Acts struct {
	Marriage, Spouse       bool // the marriage's data, the spouse's data (any of it)
	MarriedOn              time.Time
	CivilUnion, Partner    bool
	UnitedOn               time.Time
	Contract, Cohabitant   bool // the contratto di convivenza, the other party
	ContractOn             time.Time
	Cohabitants            []string // codici fiscali of the two parties
	Applicant              string   // codice fiscale of who asks, "" unknown
	ApplicantDeceased      bool
	ExpatriatedOn          time.Time // AIRE registration: the day the person went abroad
	AIREFamily             bool      // the family sheet is an AIRE family
	ResidenceSince         time.Time // decorrenza of the residence certified
	SubentroOn             time.Time // the day the comune of residence entered ANPR
	CivilStatusDataMissing bool      // the act behind the civil status is wholly missing
}

// InputOf is the input of the person controls for a citizen file on a day,
// with the acts its record carries (ActsOf).
func InputOf(file *app.CitizenFile, today time.Time) *Input {
	return &Input{Citizen: file.Citizen, Family: file.Family, Today: today, Acts: ActsOf(file)}
}

// ActsOf is the view of the acts of a citizen file that the controls read:
// the marriage, civil union and convivenza in force, the AIRE registration
// and the residence in force, from the record's civil and residence history
// (app/civil.go). A record with no history gives an empty view, in which
// every act is absent.
func ActsOf(file *app.CitizenFile) *Acts {
	c := &file.Citizen
	a := &Acts{Applicant: c.CodiceFiscale}
	if u, ok := c.CurrentUnion(app.UnionMarriage); ok {
		a.Marriage, a.MarriedOn = true, u.Date
		a.Spouse = u.PartnerSurname != "" && u.PartnerGivenName != ""
	}
	if u, ok := c.CurrentUnion(app.UnionCivilUnion); ok {
		a.CivilUnion, a.UnitedOn = true, u.Date
		a.Partner = u.PartnerSurname != "" && u.PartnerGivenName != ""
	}
	if x, ok := c.CurrentCohabitation(); ok {
		a.Contract, a.ContractOn = x.HasContract(), x.ContractRegisteredOn
		a.Cohabitant = x.PartnerSurname != "" && x.PartnerGivenName != ""
		a.Cohabitants = []string{c.CodiceFiscale}
		if x.PartnerCodiceFiscale != "" {
			a.Cohabitants = append(a.Cohabitants, x.PartnerCodiceFiscale)
		}
	}
	if c.AIRE != nil {
		a.ExpatriatedOn = c.AIRE.RegisteredOn
		// An AIRE family: a family sheet (not a convivenza) of a person
		// registered abroad; the certificate lists its AIRE members.
		a.AIREFamily = c.Status == app.StatusAIRE && c.FamilyID != "" && !inConvivenza(c)
	}
	// The residence in force: the open period of the history, oldest first.
	if n := len(c.Residences); n > 0 && c.Residences[n-1].To.IsZero() {
		a.ResidenceSince = c.Residences[n-1].From
	}
	return a
}

// ANPR codes the controls read (tables relazione_parentela, stato_civile,
// motivi_non_certificabilita, stati_esteri).
const (
	civilStatusCivilUnion          = 6 // Unito civilmente
	civilStatusFreeAfterPartner    = 7 // Stato libero a seguito di decesso della parte unita civilmente
	civilStatusFreeAfterDissolving = 8 // Stato libero a seguito di scioglimento dell'unione

	relationshipConvivenzaHead   = 24 // Responsabile della convivenza non affettiva
	relationshipConvivenzaMember = 25 // Convivente in convivenza non affettiva

	certifiableNone       = 0 // NON CERTIFICABILE
	certifiablePartial    = 1 // CERTIFICABILITA PARZIALE (SOLO RESIDENZA E STATO DI FAMIGLIA)
	certifiableNotAllowed = 3 // SOGGETTO NON ISCRIVIBILE
	certifiableInterdetto = 4 // INTERDETTO SOTTOPOSTO A TUTELA

	exemptionPA = 10 // SCAMBIO DI ATTI E DOCUMENTI FRA PP.AA.
)

// noLongerAdmitted are the relationships of relazione_parentela that ANPR
// closed on 14 September 2015 ("Utilizzabile solo al subentro").
var noLongerAdmitted = []int{14, 15, 19, 80}

// adultAge is the age of majority (codice civile art. 2).
const adultAge = 18

// maxExemptionText is ANPR's bound on DescrizioneEsenzioneBollo.
const maxExemptionText = 256

// def is a control: its section, ANPR's words, the rule's source when it is
// Sportello's own, the statement a forced certificate prints, and the test,
// which returns the reason it fails or "".
type def struct {
	cat       Category
	anpr      string
	own       string
	statement string
	test      func(in *Input, anprType int) string
}

func (in *Input) status() app.Status { return in.Citizen.Status }

func (in *Input) convivenza() bool { return inConvivenza(&in.Citizen) }

// inConvivenza reports whether c is registered in a convivenza anagrafica
// (its head or a member), which is not a family (DPR 223/1989 art. 5).
func inConvivenza(c *app.Citizen) bool {
	return c.Relationship == relationshipConvivenzaHead || c.Relationship == relationshipConvivenzaMember
}

// members are the people on the family sheet today.
func (in *Input) members() []app.FamilyMember {
	var out []app.FamilyMember
	for _, m := range in.Family {
		if m.Status == app.StatusResident || m.Status == app.StatusAIRE {
			out = append(out, m)
		}
	}
	return out
}

func (in *Input) notExempt() bool { return in.Bollo.Marca != "" }

// reference is the date a historical certificate certifies: the reference
// date, or for the storico di residenza, which certifies a period, its
// start.
func (in *Input) reference() time.Time {
	if !in.ReferenceDate.IsZero() {
		return in.ReferenceDate
	}
	return in.residenceSince()
}

func (in *Input) residenceSince() time.Time {
	if in.Acts != nil && !in.Acts.ResidenceSince.IsZero() {
		return in.Acts.ResidenceSince
	}
	return in.Citizen.RegisteredOn
}

var controlDefs = map[ControlID]def{
	CtlNonCertificabile: {cat: CategoryCertifiability, anpr: "Se Soggetto non certificabile",
		test: func(in *Input, _ int) string {
			switch in.Citizen.Certifiability {
			case certifiableNone:
				return "persona non certificabile (ANPR: non certificabile)"
			case certifiablePartial, app.CertifiableFully, certifiableNotAllowed, certifiableInterdetto:
				return ""
			}
			// A code outside motivi_non_certificabilita: certifiable is
			// not what the record says.
			return fmt.Sprintf("motivo di non certificabilità ANPR sconosciuto (%d): rivolgersi all'ufficio anagrafe", in.Citizen.Certifiability)
		}},
	CtlNonIscrivibile: {cat: CategoryCertifiability, anpr: "Se Soggetto non iscrivibile e forzaCertificazione assente o uguale a 0",
		statement: "soggetto non iscrivibile (ANPR)",
		test: func(in *Input, _ int) string {
			return when(in.Citizen.Certifiability == certifiableNotAllowed, "soggetto non iscrivibile (ANPR)")
		}},
	CtlInterdetto: {cat: CategoryCertifiability, anpr: "Se Soggetto interdetto e forzaCertificazione assente o uguale a 0",
		statement: "persona interdetta sottoposta a tutela",
		test: func(in *Input, _ int) string {
			return when(in.Citizen.Certifiability == certifiableInterdetto, "persona interdetta sottoposta a tutela (ANPR)")
		}},
	CtlParzialmente: {cat: CategoryCertifiability, anpr: "Se Soggetto parzialmente certificabile e forzaCertificazione assente o uguale a 0",
		statement: "persona certificabile solo per residenza e stato di famiglia",
		test: func(in *Input, _ int) string {
			return when(in.Citizen.Certifiability == certifiablePartial, "persona certificabile solo per residenza e stato di famiglia (ANPR: certificabilità parziale)")
		}},
	CtlProcedimentoAperto: {cat: CategoryProcedure, anpr: "Se procedimento aperto e forzaCertificazione assente o uguale a 0",
		statement: "procedimento amministrativo in corso sulla posizione anagrafica",
		test: func(in *Input, _ int) string {
			return when(in.Citizen.OpenProcedure, "procedimento amministrativo aperto sulla posizione anagrafica")
		}},
	CtlRichiedentePA: {cat: CategoryRequesterPA, anpr: "Se il richiedente è una PA (tipoRichiedente=3) e estremiDocRiconoscmento assente; in questo campo è obbligatorio indicare gli estremi della richiesta",
		test: func(in *Input, _ int) string {
			pa := in.RequesterPA || (in.Settled && in.Bollo.Marca == "" && in.Bollo.ExemptionID == exemptionPA)
			return when(pa && strings.TrimSpace(in.PARequest) == "", "richiesta di una pubblica amministrazione: indicarne gli estremi")
		}},
	CtlEsenzione99Descrizione: {cat: CategoryBollo, anpr: "Se motivo esenzione bollo = 99 - Altro motivo esenzione e Descrizione Esenzione Bollo assente",
		test: func(in *Input, _ int) string {
			t := strings.TrimSpace(in.Bollo.ExemptionText)
			return when(in.Bollo.ExemptionID == ExemptionOther && (t == "" || strings.EqualFold(t, "ALTRO MOTIVO DI ESENZIONE")),
				"esenzione per altro motivo senza descrizione: indicare la norma di legge che la prevede")
		}},
	CtlEsenzioneDescrLunga: {cat: CategoryBollo, anpr: "Se il campo DescrizioneEsenzioneBollo contiene maggiore di 256 caratteri.",
		test: func(in *Input, _ int) string {
			return when(utf8.RuneCountInString(in.Bollo.ExemptionText) > maxExemptionText,
				fmt.Sprintf("descrizione dell'esenzione oltre %d caratteri", maxExemptionText))
		}},
	// ANPR's field is a number that must be 0 or 1; Sportello's is a flag
	// copied from the table, so what can be wrong is that it differs from
	// the table.
	CtlEsenzioneDiritti: {cat: CategoryBollo, anpr: "Se il campo Esenzione diritti diverso da 0 e da 1",
		test: func(in *Input, _ int) string {
			b := in.Bollo
			bad := b.DirittiExempt && (b.Marca != "" || b.ExemptionID == 0) ||
				(b.ExemptionID > 0 && b.ExemptionID != ExemptionOther && b.DirittiExempt != exemptionWaivesDiritti(in.Refs, b.ExemptionID))
			return when(bad, "esenzione dai diritti di segreteria non conforme alla tabella ANPR delle esenzioni")
		}},
	CtlEsenzione99Diritti: {cat: CategoryBollo, anpr: "Se motivo esenzione bollo=99 e esenzione diritti = 1 (esente) e il campo importo dei diritti di segreteria > 0",
		test: func(in *Input, _ int) string {
			return when(in.Bollo.ExemptionID == ExemptionOther && in.Bollo.DirittiExempt && in.DirittiCents > 0,
				"esenzione per altro motivo, esente dai diritti, con importo dei diritti")
		}},
	CtlUsoSenzaEsenzione: {cat: CategoryBollo, anpr: "Se il campo paEstera=2 (destinazione d'uso = CERTIFICATO RILASCIATO PER PROCEDIMENTI DISCIPLINATI DALLE NORME SULL'IMMIGRAZIONE) o paEstera=3 (destinazione d'uso = AI SENSI DELL'ART. 40, D.P.R. 445/2000 IL PRESENTE CERTIFICATO E' RILASCIATO PER CAUSE GIUDIZIARIE) e il certificato non è esente da bollo",
		test: func(in *Input, _ int) string {
			return when((in.Destination == DestinationImmigration || in.Destination == DestinationCourt) && in.notExempt(),
				"uso per procedimenti di immigrazione o per cause giudiziarie: il certificato va rilasciato con l'esenzione dal bollo che lo prevede")
		}},
	CtlDirittiZero: {cat: CategoryBollo, anpr: "Se l'importo dei diritti segreteria è previsto (certificato non esente) ma è pari a 0",
		test: func(in *Input, _ int) string {
			return when(in.notExempt() && in.DirittiCents == 0, "diritti di segreteria dovuti ma pari a zero: impostare gli importi del comune")
		}},
	CtlBolloZero: {cat: CategoryBollo, anpr: "Se certificato non esente e importo bollo = 0,00 euro.",
		test: func(in *Input, _ int) string {
			return when(in.notExempt() && in.BolloCents == 0, "certificato in bollo con importo del bollo pari a zero")
		}},
	// ANPR's words differ per type: combinationWords.
	CtlCumulativo: {cat: CategoryCombination,
		test: func(in *Input, t int) string {
			for _, w := range in.With {
				if excluded(t, w) {
					return fmt.Sprintf("non cumulabile con il certificato %s", anprTypeName(w))
				}
			}
			return ""
		}},
	CtlIscrittoAIRE: {cat: CategoryRegister, anpr: "Se richiesto per soggetti iscritti all'AIRE",
		test: func(in *Input, _ int) string {
			return when(in.status() == app.StatusAIRE, "persona iscritta all'AIRE: non risiede nel comune; residenza e famiglia all'estero si certificano con i certificati AIRE")
		}},
	CtlResidente: {cat: CategoryRegister, anpr: "Se richiesto per soggetti residenti",
		test: func(in *Input, _ int) string {
			return when(in.status() != app.StatusAIRE, "la persona non è iscritta all'AIRE")
		}},
	CtlCancellato: {cat: CategoryCancelled, anpr: "Se richiesto per un soggetto cancellato anagraficamente",
		test: func(in *Input, _ int) string {
			return when(in.status() == app.StatusEmigrated, "persona cancellata dall'anagrafe"+since(in.Citizen.CancelledOn)+": lo rilascia il comune di nuova residenza")
		}},
	CtlDeceduto: {cat: CategoryCancelled, anpr: "Se il soggetto è cancellato per decesso",
		test: func(in *Input, _ int) string {
			return when(in.status() == app.StatusDeceased, "persona deceduta"+since(in.Citizen.CancelledOn))
		}},
	CtlAIRENatoEstero: {cat: CategorySpecific, anpr: "Se il soggetto è iscritto all'AIRE e non è nato in Italia.",
		test: func(in *Input, _ int) string {
			return when(in.status() == app.StatusAIRE && strings.HasPrefix(in.Citizen.BirthPlaceCode, "Z"), "persona iscritta all'AIRE nata all'estero")
		}},
	CtlNonDeceduto: {cat: CategorySpecific, anpr: "Se il soggetto che richiede il certificato è deceduto o il soggetto cui il certificato è intestato non è cancellato per decesso",
		test: func(in *Input, _ int) string {
			switch {
			case in.status() != app.StatusDeceased:
				return "la persona non risulta cancellata per decesso"
			case in.Acts != nil && in.Acts.ApplicantDeceased:
				return "il richiedente risulta deceduto"
			}
			return ""
		}},
	CtlDataCancellazione: {cat: CategorySpecific, anpr: "Se la data di cancellazione è assente",
		test: func(in *Input, _ int) string {
			return when(in.Citizen.CancelledOn.IsZero(), "data di cancellazione assente: la persona non risulta cancellata dall'anagrafe")
		}},
	CtlCittadinanzaIndefinita: {cat: CategorySpecific, anpr: "Se la cittadinanza risulta in definizione o non attribuibile (codice cittadinanza = 997 o 998)",
		test: func(in *Input, _ int) string {
			switch in.Citizen.CitizenshipStatus {
			case app.CitizenshipDefining:
				return "cittadinanza in corso di definizione (ANPR 997)"
			case app.CitizenshipNotAttributable:
				return "cittadinanza non attribuibile (ANPR 998)"
			}
			return ""
		}},
	CtlPiuCittadinanze: {cat: CategorySpecific, anpr: "Se il soggetto è in possesso di più cittadinanze",
		test: func(in *Input, _ int) string {
			return when(in.Citizen.OtherCitizenships != "", "la persona ha più cittadinanze")
		}},
	CtlCittadinanzaAssente: {cat: CategorySpecific, anpr: "Se i dati della cittadinanza sono integralmente assenti",
		test: func(in *Input, _ int) string {
			return when(in.Citizen.CitizenshipStatus == app.CitizenshipMissing || (in.Citizen.CitizenshipStatus == app.CitizenshipKnown && in.Citizen.Citizenship == ""),
				"dati della cittadinanza assenti")
		}},
	CtlNonItaliano: {cat: CategorySpecific, anpr: "Se il soggetto non è cittadino italiano",
		statement: "cittadinanza non italiana: il certificato attesta quella registrata in anagrafe",
		test: func(in *Input, _ int) string {
			c := in.Citizen
			return when(c.CitizenshipStatus == app.CitizenshipKnown && c.Citizenship != "" && c.Citizenship != "ITA",
				fmt.Sprintf("la persona non ha la cittadinanza italiana (%s)", c.Citizenship))
		}},
	CtlStatoCivileMancante: {cat: CategorySpecific, anpr: "Se lo stato civile non è indicato",
		test: func(in *Input, _ int) string {
			cs := in.Citizen.CivilStatus
			return when(cs <= 0 || cs == app.CivilStatusUnknown, "stato civile non noto all'anagrafe")
		}},
	CtlStatoCivileDatiAssenti: {cat: CategorySpecific, anpr: "Se i dati relativi allo stato civile da certificare sono integralmente assenti (ad esempio, stato civile = unito civilmente e i dati previsti per l'unione civile sono integralmente assenti)",
		test: func(in *Input, _ int) string {
			return when(in.Acts != nil && in.Acts.CivilStatusDataMissing, "dati dell'atto dello stato civile assenti")
		}},
	CtlStatoNonLibero: {cat: CategorySpecific, anpr: "Se lo stato civile è diverso da: 1. libero 2. vedovo/a 3. divorziato/a 4. stato libero per scioglimento con la parte unita civilmente 5. stato libero per decesso della parte unita civilmente",
		test: func(in *Input, _ int) string {
			switch cs := in.Citizen.CivilStatus; {
			case freeStatus(cs):
				return ""
			case cs == app.CivilStatusMarried:
				return "persona coniugata"
			case cs == civilStatusCivilUnion:
				return "persona unita civilmente"
			}
			return "stato civile non libero o non noto"
		}},
	CtlStatoLiberoMinorenne: {cat: CategorySpecific, own: "Sportello: codice civile art. 2 e 84 (un minore non è di stato libero ai fini del matrimonio senza autorizzazione del tribunale, che acquisisce da sé i documenti)",
		test: func(in *Input, _ int) string {
			return when(in.Citizen.AgeOn(in.Today) < adultAge, "persona minorenne")
		}},
	CtlLiberoOUnito: {cat: CategorySpecific, anpr: "Se la persona è di stato libero o unito civilmente.",
		test: func(in *Input, _ int) string {
			cs := in.Citizen.CivilStatus
			return when(cs == app.CivilStatusSingle || cs == civilStatusCivilUnion, "la persona non risulta coniugata")
		}},
	CtlMatrimonioAssente: {cat: CategorySpecific, anpr: "Se i dati del matrimonio sono assenti (integralmente; viene emesso se i dati sono parziali)",
		test: func(in *Input, _ int) string {
			return when(in.Acts == nil || !in.Acts.Marriage, "dati del matrimonio assenti")
		}},
	CtlConiugeAssente: {cat: CategorySpecific, anpr: "Se i dati del coniuge sono assenti (integralmente; viene emesso se i dati sono parziali)",
		test: func(in *Input, _ int) string {
			return when(in.Acts == nil || !in.Acts.Spouse, "dati del coniuge assenti")
		}},
	CtlAIREAlMatrimonio: {cat: CategorySpecific, anpr: "Se il soggetto era iscritto all'AIRE già alla data del matrimonio.",
		test: func(in *Input, _ int) string {
			a := in.Acts
			return when(a != nil && !a.ExpatriatedOn.IsZero() && !a.MarriedOn.IsZero() && !a.MarriedOn.Before(a.ExpatriatedOn),
				"persona già iscritta all'AIRE alla data del matrimonio")
		}},
	CtlNonUnito: {cat: CategorySpecific, anpr: "Se lo stato civile non è unito civilmente",
		test: func(in *Input, _ int) string {
			return when(in.Citizen.CivilStatus != civilStatusCivilUnion, "la persona non risulta unita civilmente")
		}},
	CtlUnioneAssente: {cat: CategorySpecific, anpr: "Se i dati dell'unione civile sono integralmente assenti",
		test: func(in *Input, _ int) string {
			return when(in.Acts == nil || !in.Acts.CivilUnion, "dati dell'unione civile assenti")
		}},
	CtlParteUnitaAssente: {cat: CategorySpecific, anpr: "Se i dati della parte unita civilmente sono integralmente assenti",
		test: func(in *Input, _ int) string {
			return when(in.Acts == nil || !in.Acts.Partner, "dati della parte unita civilmente assenti")
		}},
	CtlAIREUnione: {cat: CategorySpecific, anpr: "Se il soggetto è iscritto all'AIRE e l'unione è successiva all'espatrio.",
		test: func(in *Input, _ int) string {
			a := in.Acts
			return when(in.status() == app.StatusAIRE && a != nil && !a.ExpatriatedOn.IsZero() && a.UnitedOn.After(a.ExpatriatedOn),
				"persona iscritta all'AIRE con unione civile successiva all'espatrio")
		}},
	CtlContrattoAssente: {cat: CategorySpecific, anpr: "Se i dati del contratto di convivenza sono integralmente assenti",
		test: func(in *Input, _ int) string {
			return when(in.Acts == nil || !in.Acts.Contract, "dati del contratto di convivenza assenti")
		}},
	CtlConviventeAssente: {cat: CategorySpecific, anpr: "Se i dati del convivente sono integralmente assenti",
		test: func(in *Input, _ int) string {
			return when(in.Acts == nil || !in.Acts.Cohabitant, "dati del convivente assenti")
		}},
	CtlRichiedenteEstraneo: {cat: CategorySpecific, anpr: "Se il certificato è richiesto da un soggetto diverso da uno dei due conviventi, il controllo si basa sul codice fiscale del richiedente; se non indicato, il certificato comunque non viene emesso in quanto il controllo non è effettuabile",
		test: func(in *Input, _ int) string {
			a := in.Acts
			switch {
			case a == nil || a.Applicant == "":
				return "codice fiscale del richiedente non indicato: il certificato spetta solo ai conviventi"
			case !slices.Contains(a.Cohabitants, a.Applicant):
				return "il richiedente non è uno dei conviventi"
			}
			return ""
		}},
	CtlAIREContratto: {cat: CategorySpecific, anpr: "Se il soggetto è iscritto all'AIRE e il contratto di convivenza è registrato successivamente all'espatrio",
		test: func(in *Input, _ int) string {
			a := in.Acts
			return when(in.status() == app.StatusAIRE && a != nil && !a.ExpatriatedOn.IsZero() && a.ContractOn.After(a.ExpatriatedOn),
				"persona iscritta all'AIRE con contratto di convivenza registrato dopo l'espatrio")
		}},
	CtlFamigliaNonCertificab: {cat: CategorySpecific, anpr: "Se la famiglia del soggetto non risulta certificabile e/o completa",
		test: func(in *Input, _ int) string {
			for _, m := range in.members() {
				if m.Certifiability == certifiableNone || m.Certifiability == certifiableNotAllowed {
					return "un componente della famiglia non è certificabile (ANPR)"
				}
			}
			return ""
		}},
	CtlSenzaFissaDimora: {cat: CategorySpecific, anpr: "Se il soggetto risulta senza fissa dimora",
		test: func(in *Input, _ int) string {
			return when(in.Citizen.NoFixedAbode, "persona senza fissa dimora")
		}},
	CtlInConvivenza: {cat: CategorySpecific, anpr: "Se il soggetto appartiene ad una convivenza",
		test: func(in *Input, _ int) string {
			return when(in.convivenza(), "persona iscritta in una convivenza anagrafica, che non è una famiglia: rilasciare il certificato di residenza in convivenza")
		}},
	CtlNonInConvivenza: {cat: CategorySpecific, own: "Sportello: DPR 223/1989 art. 5 (il certificato attesta la convivenza anagrafica, che la persona deve avere)",
		test: func(in *Input, _ int) string {
			return when(!in.convivenza(), "la persona non è iscritta in una convivenza anagrafica")
		}},
	CtlSenzaFamiglia: {cat: CategorySpecific, anpr: "Se il soggetto non è associato ad una famiglia",
		test: func(in *Input, _ int) string {
			return when(in.Citizen.FamilyID == "" || len(in.members()) == 0, "la persona non è associata a una famiglia")
		}},
	CtlSenzaIntestatario: {cat: CategorySpecific, anpr: "Se la famiglia è priva di intestatario",
		test: func(in *Input, _ int) string {
			if len(in.members()) == 0 {
				return ""
			}
			return when(!slices.ContainsFunc(in.members(), func(m app.FamilyMember) bool { return m.Relationship == app.RelationshipHead }),
				"la famiglia è priva di intestatario")
		}},
	CtlUnicoComponente: {cat: CategorySpecific, anpr: "Se risulta soltanto un soggetto",
		test: func(in *Input, _ int) string {
			return when(len(in.members()) == 1, "la famiglia ha un solo componente: rilasciare il certificato di stato di famiglia o di stato civile")
		}},
	CtlMinorenneEstraneo: {cat: CategorySpecific, anpr: "Se il soggetto richiedente non è maggiorenne e non appartiene alla famiglia; questa condizione può essere forzata con forzaCertificazione",
		statement: "richiesto da persona minorenne estranea alla famiglia",
		test: func(in *Input, _ int) string {
			return when(in.ApplicantMinorOutsideFamily, "il richiedente è minorenne e non appartiene alla famiglia")
		}},
	CtlFamigliaNonAIRE: {cat: CategorySpecific, anpr: "Se la famiglia del soggetto non è una famiglia AIRE",
		test: func(in *Input, _ int) string {
			return when(in.Acts == nil || !in.Acts.AIREFamily, "la famiglia della persona non è una famiglia AIRE")
		}},
	CtlSenzaFamigliaConvivenza: {cat: CategorySpecific, anpr: "Se il soggetto non risulta associato né ad una famiglia né ad una convivenza",
		test: func(in *Input, _ int) string {
			return when(in.Citizen.FamilyID == "" && !in.convivenza(), "la persona non è associata né a una famiglia né a una convivenza")
		}},
	CtlParentelaNonAmmessa: {cat: CategorySpecific, anpr: "Se il soggetto o componenti della famiglia hanno un legame parentela con l'intestatario non più ammesso",
		test: func(in *Input, _ int) string {
			if slices.Contains(noLongerAdmitted, in.Citizen.Relationship) {
				return "la relazione di parentela della persona non è più ammessa da ANPR"
			}
			for _, m := range in.members() {
				if slices.Contains(noLongerAdmitted, m.Relationship) {
					return "un componente ha una relazione di parentela non più ammessa da ANPR"
				}
			}
			return ""
		}},
	CtlRiferimentoAssente: {cat: CategorySpecific, own: "Sportello: il certificato storico alla data attesta la residenza a una data, che va indicata",
		test: func(in *Input, _ int) string {
			// The date is the request's: the counter's list of types, which
			// runs before it is asked for, does not hold it against the type.
			return when(in.Settled && in.ReferenceDate.IsZero(), "data di riferimento del certificato mancante")
		}},
	CtlRiferimentoIscrizione: {cat: CategorySpecific, anpr: "Se la data di riferimento del certificato è antecedente alla data di prima iscrizione del soggetto",
		test: func(in *Input, _ int) string {
			reg := in.Citizen.RegisteredOn
			return when(!reg.IsZero() && in.reference().Before(reg), "data di riferimento anteriore alla prima iscrizione anagrafica")
		}},
	CtlRiferimentoSubentro: {cat: CategorySpecific, anpr: "Se la data di riferimento del certificato è antecedente alla data di subentro del comune di residenza del soggetto al momento del subentro stesso (prima residenza del soggetto registrata in ANPR)",
		test: func(in *Input, _ int) string {
			return when(in.Acts != nil && !in.Acts.SubentroOn.IsZero() && in.reference().Before(in.Acts.SubentroOn),
				"data di riferimento anteriore al subentro del comune in ANPR")
		}},
	CtlDecorrenzaIscrizione: {cat: CategorySpecific, anpr: "Se la data decorrenza della residenza è antecedente alla data di prima iscrizione del soggetto",
		test: func(in *Input, _ int) string {
			since, reg := in.residenceSince(), in.Citizen.RegisteredOn
			return when(!since.IsZero() && !reg.IsZero() && since.Before(reg), "decorrenza della residenza anteriore alla prima iscrizione")
		}},
	// ANPR writes "antecedente" here; read literally it would refuse
	// every past residence of a person who left, the one thing the
	// historical certificate is for. What cannot be certified is a date
	// after the person left the anagrafe: that is the rule applied, and
	// docs/CERTIFICATES.md says so.
	CtlRiferimentoCancellaz: {cat: CategorySpecific, anpr: "Se la data di riferimento del certificato è antecedente alla data di cancellazione anagrafica o di decesso del soggetto",
		test: func(in *Input, _ int) string {
			out := in.Citizen.CancelledOn
			return when(!in.ReferenceDate.IsZero() && !out.IsZero() && in.ReferenceDate.After(out),
				"data di riferimento successiva alla cancellazione anagrafica o al decesso")
		}},
	CtlDecorrenzaAssente: {cat: CategorySpecific, anpr: "Se la data di decorrenza della residenza è assente",
		test: func(in *Input, _ int) string {
			return when(in.residenceSince().IsZero(), "data di decorrenza della residenza assente: il certificato storico richiede una ricerca d'archivio")
		}},
}

// exemptionWaivesDiritti is the "ESENZIONE DIRITTO DI SEGRETERIA" column
// of the table.
func exemptionWaivesDiritti(refs *anpr.Index, id int) bool {
	e, ok := index(refs).Entry(anpr.TableBolloExemptions, id)
	return ok && e.Flag
}

func when(failed bool, reason string) string {
	if failed {
		return reason
	}
	return ""
}

// row is a control in a type's table: forceable where that type's page
// says so.
type row struct {
	id        ControlID
	forceable bool
}

func block(id ControlID) row { return row{id, false} }
func force(id ControlID) row { return row{id, true} }

// standard are the sections every ANPR page shares: certifiability (the
// fourth line, parzialmente certificabile, is missing from the pages of the
// types a partial certifiability covers: residence and family), the open
// procedure, the PA requester and the bollo.
func standard(partial bool) []row {
	rows := []row{block(CtlNonCertificabile), force(CtlNonIscrivibile), force(CtlInterdetto)}
	if partial {
		rows = append(rows, force(CtlParzialmente))
	}
	return append(rows, force(CtlProcedimentoAperto), block(CtlRichiedentePA),
		block(CtlEsenzione99Descrizione), block(CtlEsenzioneDescrLunga), block(CtlEsenzioneDiritti),
		block(CtlEsenzione99Diritti), block(CtlUsoSenzaEsenzione), block(CtlDirittiZero), block(CtlBolloZero))
}

func table(partial bool, rows ...ControlID) []row {
	out := standard(partial)
	for _, id := range rows {
		out = append(out, block(id))
	}
	return out
}

// cancelled are the two lines of the section "Soggetto cancellato".
var cancelled = []ControlID{CtlCancellato, CtlDeceduto}

func ids(groups ...[]ControlID) []ControlID { return slices.Concat(groups...) }

// tables are the controls of each ANPR type (tipo_certificato ID), in the
// order of its page (controllo-certificati/CERTIFICATO_<name>.rst).
var tables = map[int][]row{
	// CERTIFICATO_anagrafico_nascita.rst
	1: table(true, ids(cancelled, []ControlID{CtlAIRENatoEstero})...),
	// CERTIFICATO_anagrafico_morte.rst
	2: table(true, CtlCumulativo, CtlIscrittoAIRE, CtlNonDeceduto),
	// CERTIFICATO_anagrafico_matrimonio.rst
	3: table(true, ids([]ControlID{CtlCumulativo}, cancelled,
		[]ControlID{CtlStatoCivileMancante, CtlLiberoOUnito, CtlMatrimonioAssente, CtlConiugeAssente, CtlAIREAlMatrimonio})...),
	// CERTIFICATO_cancellazione_anagrafica.rst
	4: table(true, CtlCumulativo, CtlIscrittoAIRE, CtlDeceduto, CtlDataCancellazione),
	// CERTIFICATO_cittadinanza.rst: the last, "non è cittadino italiano",
	// can be forced.
	5: append(table(true, ids(cancelled, []ControlID{CtlCittadinanzaIndefinita, CtlPiuCittadinanze, CtlCittadinanzaAssente})...),
		force(CtlNonItaliano)),
	// CERTIFICATO_storico_cittadinanza.rst
	6: table(true, CtlCumulativo, CtlIscrittoAIRE, CtlNonItaliano, CtlCittadinanzaAssente),
	// CERTIFICATO_esistenza_in_vita.rst: "cancellato per decesso" twice on
	// ANPR's page, once here.
	7: table(true, ids([]ControlID{CtlIscrittoAIRE}, cancelled)...),
	// CERTIFICATO_residenza.rst
	8: table(false, ids([]ControlID{CtlIscrittoAIRE}, cancelled)...),
	// CERTIFICATO_storico_residenza.rst
	9: table(true, CtlCumulativo, CtlRiferimentoIscrizione, CtlRiferimentoSubentro, CtlDecorrenzaIscrizione,
		CtlRiferimentoCancellaz, CtlDecorrenzaAssente),
	// CERTIFICATO_residenza_aire.rst
	10: table(true, ids([]ControlID{CtlCumulativo, CtlResidente}, cancelled)...),
	// CERTIFICATO_stato_civile.rst
	11: table(true, ids([]ControlID{CtlCumulativo, CtlIscrittoAIRE}, cancelled, []ControlID{CtlStatoCivileMancante, CtlStatoCivileDatiAssenti})...),
	// CERTIFICATO_stato_di_famiglia.rst
	12: table(false, ids([]ControlID{CtlCumulativo, CtlIscrittoAIRE}, cancelled,
		[]ControlID{CtlFamigliaNonCertificab, CtlSenzaFissaDimora, CtlInConvivenza, CtlSenzaFamiglia, CtlSenzaIntestatario})...),
	// CERTIFICATO_stato_di_famiglia_e_stato_civile.rst
	13: familyTable(),
	// CERTIFICATO_residenza_in_convivenza.rst, with Sportello's own rule
	// that the person belongs to a convivenza.
	14: table(false, ids([]ControlID{CtlCumulativo, CtlIscrittoAIRE}, cancelled, []ControlID{CtlNonInConvivenza})...),
	// CERTIFICATO_stato_di_famiglia_aire.rst
	15: table(true, ids([]ControlID{CtlCumulativo, CtlResidente}, cancelled,
		[]ControlID{CtlFamigliaNonAIRE, CtlSenzaFamigliaConvivenza, CtlParentelaNonAmmessa})...),
	// CERTIFICATO_stato_di_famiglia_con_relazioni_di_parentela.rst
	16: familyTable(),
	// CERTIFICATO_stato_libero.rst, with Sportello's own rule on minors.
	17: table(true, ids([]ControlID{CtlCumulativo, CtlIscrittoAIRE}, cancelled, []ControlID{CtlStatoNonLibero, CtlStatoLiberoMinorenne})...),
	// CERTIFICATO_unione_civile.rst
	18: table(true, ids(cancelled, []ControlID{CtlStatoCivileMancante, CtlNonUnito, CtlUnioneAssente, CtlParteUnitaAssente, CtlAIREUnione})...),
	// CERTIFICATO_contratto_di_convivenza.rst
	19: table(true, ids(cancelled, []ControlID{CtlContrattoAssente, CtlConviventeAssente, CtlRichiedenteEstraneo, CtlAIREContratto})...),
	// CERTIFICATO_storico_residenza_alla_data.rst, with the reference date
	// required.
	20: table(true, CtlCumulativo, CtlRiferimentoAssente, CtlRiferimentoIscrizione, CtlRiferimentoSubentro, CtlDecorrenzaIscrizione,
		CtlRiferimentoCancellaz, CtlDecorrenzaAssente),
}

// familyTable is the page of the two family certificates with civil status
// or relationships: the minor applicant outside the family can be forced.
func familyTable() []row {
	rows := table(true, CtlCumulativo, CtlIscrittoAIRE, CtlCancellato, CtlDeceduto, CtlFamigliaNonCertificab)
	rows = append(rows, force(CtlMinorenneEstraneo))
	for _, id := range []ControlID{CtlInConvivenza, CtlSenzaFamiglia, CtlSenzaIntestatario, CtlUnicoComponente} {
		rows = append(rows, block(id))
	}
	return rows
}

// residentOnly are the types whose page refuses AIRE subjects: the
// "certificati previsti solo per i residenti" the AIRE types do not join.
func residentOnly(t int) bool {
	return slices.ContainsFunc(tables[t], func(r row) bool { return r.id == CtlIscrittoAIRE })
}

// excluded reports whether ANPR type t may not be joined with type w in a
// cumulative certificate (section "Combinazioni certificati su
// cumulativi" of t's page).
func excluded(t, w int) bool {
	switch t {
	case 2, 4, 6, 9, 20: // "può essere richiesto solo singolarmente"
		return true
	case 3:
		return w == 17 || w == 18
	case 10, 15:
		return residentOnly(w)
	case 11:
		return w == 12 || w == 14 || w == 16
	case 12:
		return w == 13 || w == 14 || w == 16
	case 13, 16:
		return w == 12 || w == 13 || w == 14 || w == 16
	case 14:
		return w == 12 || w == 13 || w == 16
	case 17:
		return w == 3 || w == 11
	}
	return false
}

func anprTypeName(id int) string {
	if e, ok := index(nil).Entry(anpr.TableCertificateTypes, id); ok {
		return strings.ToLower(e.Description)
	}
	return fmt.Sprint(id)
}

// components are the ANPR types a certificate of type t joins: its own,
// or for the contestuale the residence and the family it is made of.
func components(t Type) []int {
	if t.Slug == SlugContestuale {
		return []int{8, 12}
	}
	return []int{t.ANPR}
}

// ControlsOf lists the controls of type t, in the order of ANPR's page
// (of each component, for a cumulative type), each once.
func ControlsOf(t Type) []Control {
	var out []Control
	seen := map[ControlID]bool{}
	for _, a := range components(t) {
		for _, r := range tables[a] {
			if seen[r.id] {
				continue
			}
			seen[r.id] = true
			out = append(out, control(r, a))
		}
	}
	return out
}

// ANPRControls lists the controls of ANPR type anprType (tipo_certificato
// ID), for the types whose definition lives elsewhere; nil for an unknown
// one.
func ANPRControls(anprType int) []Control {
	var out []Control
	for _, r := range tables[anprType] {
		out = append(out, control(r, anprType))
	}
	return out
}

// combinationWords are the lines of the section "Combinazioni certificati
// su cumulativi" of each ANPR page, which excluded applies.
var combinationWords = map[int]string{
	2:  "Se richiesto con altri certificati (può essere prodotto solo singolarmente)",
	3:  "Se richiesto con quello di stato libero o unione civile",
	4:  "Se richiesto con altri certificati (può essere richiesto solo singolarmente)",
	6:  "Se richiesto con altri certificati (può essere richiesto solo singolarmente)",
	9:  "Se richiesto con altri certificati (può essere richiesto solo singolarmente)",
	10: "Se richiesto con certificati previsti solo per i residenti",
	11: "Se richiesto con quelli di stato di famiglia, stato di famiglia per convivenza e stato di famiglia con rapporti di parentela",
	12: "Se richiesto con quelli di stato di famiglia e stato civile, stato di famiglia per convivenza e stato di famiglia con rapporti di parentela",
	13: "Se richiesto con quelli di stato di famiglia per convivenza, stato di famiglia e stato civile e stato di famiglia",
	14: "Se richiesto con quelli di stato di famiglia, stato di famiglia e stato civile e stato di famiglia con rapporti di parentela",
	15: "Se richiesto con quelli previsti per i residenti",
	16: "Se richiesto con quelli di stato di famiglia per convivenza, stato di famiglia e stato civile e stato di famiglia",
	17: "Se richiesto con quelli di matrimonio o stato civile",
	20: "Se richiesto con altri certificati (puo' essere richiesto solo singolarmente)",
}

// pageWords are ANPR's words where a page words a control its own way.
var pageWords = map[ControlID]map[int]string{
	CtlParzialmente: {
		9:  "Se Soggetto parzialmente certificabile. e forzaCertificazione assente o uguale a 0",
		18: "Se Soggetto parzialmente certificabile. e forzaCertificazione assente o uguale a 0",
		20: "Se Soggetto parz. cert. e forzaCertificazione assente o uguale a 0",
	},
	CtlStatoCivileMancante: {
		3:  "Se lo stato civile non è indicato",
		11: "Se mancano i dati sullo stato civile;",
		18: "Se lo stato civile è mancante",
	},
	CtlCittadinanzaAssente: {6: "Se i dati previsti per la cittadinanza sono integralmente assenti"},
	CtlNonItaliano: {
		5: "Se il soggetto non è cittadino italiano; questa condizione può essere forzata con il campo forzaCertificazione",
	},
}

// usoWordsLater is how the pages of types 6, 9, 11, 12, 13, 15, 16, 17,
// 18 and 20 word CtlUsoSenzaEsenzione.
const usoWordsLater = "Se il campo paEstera=2 ( destinazione d'uso = CERTIFICATO RILASCIATO PER PROCEDIMENTI DISCIPLINATI DALLE NORME SULL'IMMIGRAZIONE ) o paEstera=3 (destinazione d'uso = AI SENSI DELL'ART. 40, D.P.R. 445/2000 IL PRESENTE CERTIFICATO E' RILASCIATO PER CAUSE GIUDIZIARIE) ed il certificato non è esente da bollo"

func control(r row, anprType int) Control {
	d := controlDefs[r.id]
	c := Control{ID: r.id, Category: d.cat, ANPR: d.anpr, Forceable: r.forceable, Statement: d.statement, Source: d.own}
	switch {
	case r.id == CtlCumulativo:
		c.ANPR = combinationWords[anprType]
	case r.id == CtlUsoSenzaEsenzione && slices.Contains([]int{6, 9, 11, 12, 13, 15, 16, 17, 18, 20}, anprType):
		c.ANPR = usoWordsLater
	case pageWords[r.id][anprType] != "":
		c.ANPR = pageWords[r.id][anprType]
	}
	if c.Source == "" {
		c.Source = "ANPR, controllo-certificati: " + anprTypeName(anprType)
	}
	if c.Statement == "" && c.Forceable {
		c.Statement = d.anpr
	}
	return c
}

// Evaluate runs every control of type t on in and returns each one that
// fails, in the table's order, with its reason; nil when none does. The
// controls of the bollo run only when in.Settled.
func Evaluate(t Type, in *Input) []Failure {
	var out []Failure
	seen := map[ControlID]bool{}
	for _, a := range components(t) {
		with := in.With
		for _, b := range components(t) {
			if b != a {
				with = append(slices.Clip(with), b)
			}
		}
		sub := *in
		sub.With = with
		for _, r := range tables[a] {
			d := controlDefs[r.id]
			if seen[r.id] || (d.cat == CategoryBollo && !in.Settled) {
				continue
			}
			if reason := d.test(&sub, a); reason != "" {
				seen[r.id] = true
				out = append(out, Failure{Control: control(r, a), Reason: reason})
			}
		}
	}
	return out
}

// Decide weighs the failures against the officer's forcings: nil when every
// failure is forceable and forced with a reason. EINVALID otherwise, naming
// every failure not forced (or that cannot be), and for a forcing that
// names no failing control, or has no reason or one over MaxForceReason
// characters.
func Decide(t Type, failures []Failure, forced []Forcing) error {
	byID := map[ControlID]Failure{}
	for _, f := range failures {
		byID[f.Control.ID] = f
	}
	for _, fc := range forced {
		f, ok := byID[fc.Control]
		switch {
		case !ok:
			return refuse(t, "il controllo %q da forzare non è tra quelli non superati", fc.Control)
		case !f.Control.Forceable:
			return refuse(t, "il controllo %q non si può forzare: %s", fc.Control, f.Reason)
		case !printable(strings.TrimSpace(fc.Reason), MaxForceReason) || fc.Reason != strings.TrimSpace(fc.Reason):
			return refuse(t, "forzatura del controllo %q: indicare il motivo, su una riga, al massimo %d caratteri", fc.Control, MaxForceReason)
		}
	}
	var reasons []string
	for _, f := range failures {
		if slices.ContainsFunc(forced, func(fc Forcing) bool { return fc.Control == f.Control.ID }) {
			continue
		}
		r := f.Reason
		if f.Control.Forceable {
			r += " (forzabile con un motivo: " + string(f.Control.ID) + ")"
		}
		reasons = append(reasons, r)
	}
	if len(reasons) > 0 {
		return refuse(t, "%s", strings.Join(reasons, "; "))
	}
	return nil
}

// Check tells whether the person of file can have a certificate of type t
// on today, before the bollo is chosen: nil, or EINVALID naming every
// control of the person that fails (forceable ones too: Failures tells
// them apart). The controls are ANPR's for the type (ControlsOf).
func Check(t Type, file *app.CitizenFile, today time.Time) error {
	if file == nil {
		return app.Errorf(app.EINVALID, "persona mancante")
	}
	if known, ok := TypeByID(t.ID); !ok || known != t {
		return app.Errorf(app.EINVALID, "tipo di certificato sconosciuto")
	}
	if !file.Citizen.Status.Valid() {
		return refuse(t, "posizione anagrafica non valida %q", file.Citizen.Status)
	}
	if err := Decide(t, Evaluate(t, InputOf(file, today)), nil); err != nil {
		return err
	}
	return checkCivil(t, &file.Citizen, today)
}

// Failures are the person's controls of type t that fail on today, before
// the bollo is chosen: the counter lists a type whose failures are all
// forceable as issuable with a reason.
func Failures(t Type, file *app.CitizenFile, today time.Time) []Failure {
	if file == nil {
		return nil
	}
	return Evaluate(t, InputOf(file, today))
}

// Forceable reports whether every failure can be forced (and there is at
// least one).
func Forceable(failures []Failure) bool {
	return len(failures) > 0 && !slices.ContainsFunc(failures, func(f Failure) bool { return !f.Control.Forceable })
}
