package certificate

import (
	"strings"

	"github.com/sportello/sportello/app"
)

// Kind says which register a certificate draws from, which decides its tax.
type Kind int

const (
	// Anagrafe certificates are subject to the imposta di bollo from the
	// start ("sin dall'origine"): DPR 642/1972, tariffa allegato A, parte I,
	// art. 4 c. 1 (text of DM 20 agosto 1992), €16 per foglio since DL
	// 43/2013 art. 7-bis c. 3. Only an exemption of law, declared by the
	// applicant and printed, waives it. Every one of ANPR's 20 types is of
	// this kind: ANPR's own pages call them all "certificati anagrafici
	// producibili dagli ufficiali di anagrafe" (controllo-certificati,
	// index.rst), and its open data count the "anagrafico di nascita" and
	// "di cittadinanza" both with bollo and exempt (italia/anpr-opendata,
	// certificati_export: November 2021, residents, 21,983 NASCITA with
	// bollo and 29,845 exempt; 4,969 CITTADINANZA with bollo and 3,810
	// exempt). They certify what the anagrafe records of a birth or a
	// citizenship; they are not extracts of the registers of stato civile.
	Anagrafe Kind = iota + 1
	// StatoCivile certificates are the certificates and extracts of the
	// registers of stato civile (DPR 396/2000 art. 106-108), issued by the
	// ufficiale di stato civile, exempt from bollo: the comuni cite art. 7
	// L. 29 dicembre 1990 n. 405 for "i certificati e gli estratti di
	// nascita, matrimonio e morte" (Comune di Terni, servizio imposta di
	// bollo); we read its commas 1-4 in the Gazzetta Ufficiale (bollo
	// amounts), not the one that exempts. Some comuni also list the
	// certificate of citizenship among them (Comune di Agna); ANPR issues
	// it with bollo. Where the sources disagree Sportello takes the
	// stricter reading, collecting the bollo unless an exemption is
	// declared. The anagrafe counter issues no stato civile extract, so no
	// type is of this kind: it stays so that Bollo() is false only on
	// purpose, and certificates of birth and citizenship issued as stato
	// civile ones before Sportello read ANPR rightly are kept and
	// reprinted as issued (see StatoCivileExemption).
	StatoCivile
)

// String is the kind as the counter names it.
func (k Kind) String() string {
	switch k {
	case Anagrafe:
		return "anagrafe"
	case StatoCivile:
		return "stato civile"
	}
	return "sconosciuto"
}

// Fact is one kind of fact a certificate certifies beyond the identity of
// the person (names, codice fiscale, date and place of birth), which every
// certificate prints.
type Fact uint32

// The facts. A Type's Facts is their union.
const (
	FactBirth             Fact = 1 << iota // date and place of birth, as the certified fact itself
	FactCitizenship                        // Italian citizenship
	FactAlive                              // the person is alive on the day of issue
	FactResidence                          // current address in the comune
	FactResidenceHistory                   // period of residence in the comune
	FactCivilStatus                        // stato civile
	FactFreeStatus                         // stato libero: not married, not in a civil union
	FactFamily                             // members of the family sheet
	FactRelationships                      // each member's relationship to the head
	FactFamilyCivilStatus                  // each member's civil status
	FactConvivenza                         // member of a convivenza anagrafica
	FactCancellation                       // date and reason of the cancellation from the anagrafe

	// The facts of the civil and residence history (civil.go).
	FactMarriage             // the current marriage: date, place, spouse
	FactCivilUnion           // the current civil union: date, place, partner
	FactCohabitationContract // the convivenza di fatto and its registered contract
	FactDeath                // date and place of death
	FactCitizenshipHistory   // the citizenships held, from when, how acquired
	FactAIREResidence        // the address abroad and the consulate
	FactAIREFamily           // the members of the AIRE family
	FactResidenceOnDate      // the residence on a date the applicant names
)

var factNames = []struct {
	f    Fact
	name string
}{
	{FactBirth, "nascita"},
	{FactCitizenship, "cittadinanza"},
	{FactAlive, "esistenza in vita"},
	{FactResidence, "residenza"},
	{FactResidenceHistory, "periodo di residenza"},
	{FactCivilStatus, "stato civile"},
	{FactFreeStatus, "stato libero"},
	{FactFamily, "componenti della famiglia"},
	{FactRelationships, "rapporti di parentela"},
	{FactFamilyCivilStatus, "stato civile dei componenti"},
	{FactConvivenza, "convivenza anagrafica"},
	{FactCancellation, "cancellazione anagrafica"},
	{FactMarriage, "matrimonio"},
	{FactCivilUnion, "unione civile"},
	{FactCohabitationContract, "contratto di convivenza"},
	{FactDeath, "morte"},
	{FactCitizenshipHistory, "storico di cittadinanza"},
	{FactAIREResidence, "residenza all'estero (AIRE)"},
	{FactAIREFamily, "famiglia AIRE"},
	{FactResidenceOnDate, "residenza alla data"},
}

// Has reports whether f includes all of g.
func (f Fact) Has(g Fact) bool { return f&g == g }

// Names lists the facts of f in Italian, in a fixed order.
func (f Fact) Names() []string {
	var out []string
	for _, n := range factNames {
		if f.Has(n.f) {
			out = append(out, n.name)
		}
	}
	return out
}

// String joins Names with commas.
func (f Fact) String() string { return strings.Join(f.Names(), ", ") }

// Type is a kind of certificate the counter issues.
type Type struct {
	// Slug names the type on the command line and in storage: kebab-case
	// Italian, stable.
	Slug string
	// ID is the number the stamp carries: the ANPR ID of tipo_certificato
	// for the ANPR types, above 100 for Sportello's own.
	ID int
	// ANPR is the ID of the ANPR type the certificate is reported as. The
	// contestuale di residenza e stato di famiglia has no type of its own in
	// ANPR; it is reported as "di Stato di famiglia" (12), whose ANPR
	// certificate also states the family's address.
	ANPR int
	// Title is printed at the top, in capitals.
	Title string
	Kind  Kind
	// Facts certified beyond the person's identity.
	Facts Fact
	// ValidMonths is how long the certificate is valid from the day of
	// issue; 0 means without limit. DPR 445/2000 art. 41 c. 1: certificates
	// of facts that cannot change (birth) are valid without limit, all the
	// others six months.
	ValidMonths int
}

// Bollo reports whether the imposta di bollo is due unless an exemption
// applies: for every type but those of stato civile, so that a Type of no
// known kind is taxed rather than exempted by mistake.
func (t Type) Bollo() bool { return t.Kind != StatoCivile }

// The slugs of the types, as the CLI takes them.
const (
	SlugNascita                    = "nascita"
	SlugCancellazione              = "cancellazione-anagrafica"
	SlugCittadinanza               = "cittadinanza"
	SlugEsistenzaInVita            = "esistenza-in-vita"
	SlugResidenza                  = "residenza"
	SlugResidenzaStorico           = "residenza-storico"
	SlugStatoCivile                = "stato-civile"
	SlugStatoDiFamiglia            = "stato-di-famiglia"
	SlugStatoDiFamigliaStatoCivile = "stato-di-famiglia-e-stato-civile"
	SlugResidenzaConvivenza        = "residenza-in-convivenza"
	SlugStatoDiFamigliaParentela   = "stato-di-famiglia-con-rapporti-di-parentela"
	SlugStatoLibero                = "stato-libero"
	SlugContestuale                = "contestuale-residenza-stato-di-famiglia"

	SlugMorte               = "morte"
	SlugMatrimonio          = "matrimonio"
	SlugStoricoCittadinanza = "cittadinanza-storico"
	SlugResidenzaAIRE       = "residenza-aire"
	SlugStatoDiFamigliaAIRE = "stato-di-famiglia-aire"
	SlugUnioneCivile        = "unione-civile"
	SlugContrattoConvivenza = "contratto-di-convivenza"
	SlugResidenzaAllaData   = "residenza-storico-alla-data"
)

// sixMonths is the validity of every certificate whose facts can change
// (DPR 445/2000 art. 41 c. 1).
const sixMonths = 6

// types are ANPR's 20 types, in the order of ANPR's table, then
// Sportello's own. The types of the civil and residence history (morte,
// matrimonio, storico di cittadinanza, AIRE, unione civile, contratto di
// convivenza, storico di residenza alla data) are anagrafe certificates,
// with bollo unless an exemption applies, as ANPR issues them. Death is a
// fact that cannot change: its certificate is valid without limit (DPR
// 445/2000 art. 41 c. 1); the others can (a marriage ends, a contract is
// resolved, the history grows): six months.
var types = []Type{
	{SlugNascita, 1, 1, "CERTIFICATO ANAGRAFICO DI NASCITA", Anagrafe, FactBirth, 0},
	{SlugMorte, 2, 2, "CERTIFICATO ANAGRAFICO DI MORTE", Anagrafe, FactDeath, 0},
	{SlugMatrimonio, 3, 3, "CERTIFICATO ANAGRAFICO DI MATRIMONIO", Anagrafe, FactMarriage, sixMonths},
	// Cancellation is a past fact, but the person may be registered again:
	// six months, as anything that can change.
	{SlugCancellazione, 4, 4, "CERTIFICATO DI CANCELLAZIONE ANAGRAFICA", Anagrafe, FactCancellation, sixMonths},
	{SlugCittadinanza, 5, 5, "CERTIFICATO DI CITTADINANZA", Anagrafe, FactCitizenship, sixMonths},
	{SlugStoricoCittadinanza, 6, 6, "CERTIFICATO STORICO DI CITTADINANZA", Anagrafe, FactCitizenship | FactCitizenshipHistory, sixMonths},
	{SlugEsistenzaInVita, 7, 7, "CERTIFICATO DI ESISTENZA IN VITA", Anagrafe, FactAlive, sixMonths},
	{SlugResidenza, 8, 8, "CERTIFICATO DI RESIDENZA", Anagrafe, FactResidence, sixMonths},
	{SlugResidenzaStorico, 9, 9, "CERTIFICATO STORICO DI RESIDENZA", Anagrafe, FactResidenceHistory, sixMonths},
	{SlugResidenzaAIRE, 10, 10, "CERTIFICATO DI RESIDENZA AIRE", Anagrafe, FactAIREResidence, sixMonths},
	{SlugStatoCivile, 11, 11, "CERTIFICATO DI STATO CIVILE", Anagrafe, FactCivilStatus, sixMonths},
	{SlugStatoDiFamiglia, 12, 12, "CERTIFICATO DI STATO DI FAMIGLIA", Anagrafe, FactResidence | FactFamily, sixMonths},
	{SlugStatoDiFamigliaStatoCivile, 13, 13, "CERTIFICATO DI STATO DI FAMIGLIA E DI STATO CIVILE", Anagrafe, FactResidence | FactFamily | FactCivilStatus | FactFamilyCivilStatus, sixMonths},
	{SlugResidenzaConvivenza, 14, 14, "CERTIFICATO DI RESIDENZA IN CONVIVENZA", Anagrafe, FactResidence | FactConvivenza, sixMonths},
	{SlugStatoDiFamigliaAIRE, 15, 15, "CERTIFICATO DI STATO DI FAMIGLIA AIRE", Anagrafe, FactAIREResidence | FactAIREFamily, sixMonths},
	{SlugStatoDiFamigliaParentela, 16, 16, "CERTIFICATO DI STATO DI FAMIGLIA CON RAPPORTI DI PARENTELA", Anagrafe, FactResidence | FactFamily | FactRelationships, sixMonths},
	{SlugStatoLibero, 17, 17, "CERTIFICATO DI STATO LIBERO", Anagrafe, FactCivilStatus | FactFreeStatus, sixMonths},
	{SlugUnioneCivile, 18, 18, "CERTIFICATO ANAGRAFICO DI UNIONE CIVILE", Anagrafe, FactCivilUnion, sixMonths},
	{SlugContrattoConvivenza, 19, 19, "CERTIFICATO DI CONTRATTO DI CONVIVENZA", Anagrafe, FactCohabitationContract, sixMonths},
	{SlugResidenzaAllaData, 20, 20, "CERTIFICATO STORICO DI RESIDENZA ALLA DATA", Anagrafe, FactResidenceOnDate, sixMonths},
	{SlugContestuale, 101, 12, "CERTIFICATO CONTESTUALE DI RESIDENZA E STATO DI FAMIGLIA", Anagrafe, FactResidence | FactFamily, sixMonths},
}

// Types lists the certificate types, in ANPR order. The slice is the
// caller's.
func Types() []Type { return append([]Type(nil), types...) }

// TypeBySlug finds a type by its slug; ENOTFOUND lists the valid ones.
func TypeBySlug(slug string) (Type, error) {
	s := strings.ToLower(strings.TrimSpace(slug))
	for _, t := range types {
		if t.Slug == s {
			return t, nil
		}
	}
	slugs := make([]string, len(types))
	for i, t := range types {
		slugs[i] = t.Slug
	}
	return Type{}, app.Errorf(app.ENOTFOUND, "tipo di certificato sconosciuto %q: tipi disponibili %s", slug, strings.Join(slugs, ", "))
}

// TypeByID finds a type by the ID a stamp carries.
func TypeByID(id int) (Type, bool) {
	for _, t := range types {
		if t.ID == id {
			return t, true
		}
	}
	return Type{}, false
}
