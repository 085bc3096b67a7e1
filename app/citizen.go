package app

import (
	"context"
	"regexp"
	"strings"
	"time"

	"github.com/sportello/sportello/app/cf"
)

// Status is where a person stands in a comune's anagrafe.
type Status string

// The statuses of a person in the anagrafe. Only residents can have most
// certificates; the others stay in the file for history.
const (
	StatusResident  Status = "residente"
	StatusEmigrated Status = "emigrato"
	StatusDeceased  Status = "deceduto"
	StatusAIRE      Status = "aire" // Italians resident abroad (Anagrafe Italiani Residenti all'Estero)
)

// Valid reports whether s is one of the known statuses.
func (s Status) Valid() bool {
	switch s {
	case StatusResident, StatusEmigrated, StatusDeceased, StatusAIRE:
		return true
	}
	return false
}

// Address is a residence address in the comune.
type Address struct {
	Street      string // toponym with its particle: "Via Giuseppe Garibaldi"
	HouseNumber string // civico, with its letter or bis: "12/A"
	Postcode    string // CAP
}

// String formats the address as it is printed on a certificate.
func (a Address) String() string {
	s := strings.TrimSpace(a.Street + " " + a.HouseNumber)
	if a.Postcode != "" {
		s += " - " + a.Postcode
	}
	return s
}

// Citizen is a person of a comune's anagrafe as the hub publishes it. The
// codice fiscale is the key across the network.
type Citizen struct {
	CodiceFiscale  string
	Surname        string
	GivenName      string
	Sex            string    // "M" or "F"
	BirthDate      time.Time // calendar date
	BirthPlaceCode string    // Belfiore code of the comune, or Z code of the foreign state
	Citizenship    string    // ISO 3166 alpha-3: "ITA", "ALB"…
	CivilStatus    int       // ANPR stato_civile code
	Comune         string    // Belfiore code of the comune of the anagrafe
	Address        Address
	FamilyID       string // the family sheet (scheda di famiglia)
	Relationship   int    // ANPR relazione_parentela code towards the head of the family
	Status         Status
	RegisteredOn   time.Time // iscrizione
	CancelledOn    time.Time // cancellazione; zero while registered
	CancelReason   string
	Certifiability int    // ANPR motivi_non_certificabilita code; 2 = fully certifiable
	DocumentNumber string // identity document on file: the kiosk's second factor, never printed
	UpdatedAt      time.Time

	// Civil and residence history (civil.go): the facts of the ANPR
	// certificates of marriage, civil union, convivenza contract, death,
	// AIRE, citizenship history and residence at a date. Empty when the
	// comune's file does not carry them; lists oldest first.
	Unions        []Union
	Cohabitations []Cohabitation // convivenze di fatto
	Death         *Death         // deceased persons whose death is recorded
	AIRE          *AIRERecord    // persons registered in the AIRE
	Citizenships  []CitizenshipPeriod
	Residences    []ResidencePeriod

	// CitizenshipStatus says why Citizenship is empty, as ANPR records it:
	// "" when Citizenship holds the citizenship. ANPR's stati_esteri gives
	// the two cases codes of their own (997 in corso di definizione, 998
	// non attribuibile) with no ISO code; its certificates also stop when
	// the data is missing altogether.
	CitizenshipStatus CitizenshipStatus
	// OtherCitizenships are the person's further citizenships beyond
	// Citizenship, ISO 3166 alpha-3 codes separated by spaces ("FRA USA";
	// a string keeps Citizen comparable): ANPR refuses the certificate of
	// citizenship to a person holding several.
	OtherCitizenships string
	// OpenProcedure is set while an administrative procedure on the
	// person's record is open (a change of residence being checked, a
	// cancellation under way): ANPR stops certificates until it closes,
	// unless the officer forces it.
	OpenProcedure bool
	// NoFixedAbode marks a person registered as senza fissa dimora (L.
	// 1228/1954 art. 2 c. 3): ANPR issues no stato di famiglia for them.
	NoFixedAbode bool
}

// CitizenshipStatus is why a person's citizenship is not known, in ANPR's
// terms (stati_esteri codes 997 and 998).
type CitizenshipStatus string

// The citizenship statuses. JSON and CSV carry these values.
const (
	CitizenshipKnown           CitizenshipStatus = ""
	CitizenshipDefining        CitizenshipStatus = "in_definizione"   // ANPR 997: in corso di definizione
	CitizenshipNotAttributable CitizenshipStatus = "non_attribuibile" // ANPR 998: non attribuibile
	CitizenshipMissing         CitizenshipStatus = "assente"          // no citizenship data at all
)

// Valid reports whether s is one of the known statuses.
func (s CitizenshipStatus) Valid() bool {
	switch s {
	case CitizenshipKnown, CitizenshipDefining, CitizenshipNotAttributable, CitizenshipMissing:
		return true
	}
	return false
}

// ANPR codes used by the rules below (ANPR tables relazione_parentela,
// stato_civile, motivi_non_certificabilita).
const (
	RelationshipHead      = 1 // Intestatario Scheda
	RelationshipSpouse    = 2 // Marito / Moglie
	RelationshipChild     = 3 // Figlio / Figlia
	RelationshipParent    = 6 // Padre / Madre
	RelationshipCivilUnit = 28
	CivilStatusSingle     = 1 // Celibe/Nubile
	CivilStatusMarried    = 2
	CivilStatusWidowed    = 3
	CivilStatusDivorced   = 4
	CivilStatusUnknown    = 9
	CertifiableFully      = 2 // CERTIFICABILITA COMPLETA
)

var (
	belfioreRE = regexp.MustCompile(`^[A-Z][0-9]{3}$`)
	iso3RE     = regexp.MustCompile(`^[A-Z]{3}$`)
)

// ValidBelfiore reports whether code has the shape of a cadastral code of a
// comune (letter + three digits) or of a foreign state (Z + three digits).
func ValidBelfiore(code string) bool { return belfioreRE.MatchString(code) }

// FullName is surname then given name, as the anagrafe lists people.
func (c *Citizen) FullName() string { return c.Surname + " " + c.GivenName }

// AgeOn returns the age in whole years on day.
func (c *Citizen) AgeOn(day time.Time) int {
	y := day.Year() - c.BirthDate.Year()
	if day.Month() < c.BirthDate.Month() || (day.Month() == c.BirthDate.Month() && day.Day() < c.BirthDate.Day()) {
		y--
	}
	return y
}

// Validate checks a citizen record as it arrives at a boundary (anagrafe
// import, sync payload). The codice fiscale must be valid and agree with sex
// and birth date; a mismatching birth place is allowed, because the code
// stays as assigned when a comune changes code.
func (c *Citizen) Validate() error {
	info, err := cf.Parse(c.CodiceFiscale)
	if err != nil {
		return Errorf(EINVALID, "%v", err)
	}
	switch {
	case strings.TrimSpace(c.Surname) == "":
		return Errorf(EINVALID, "cognome mancante")
	case strings.TrimSpace(c.GivenName) == "":
		return Errorf(EINVALID, "nome mancante")
	case c.Sex != "M" && c.Sex != "F":
		return Errorf(EINVALID, "sesso non valido %q: M o F", c.Sex)
	case c.Sex != info.Sex:
		return Errorf(EINVALID, "il sesso non corrisponde al codice fiscale %s", c.CodiceFiscale)
	case c.BirthDate.IsZero():
		return Errorf(EINVALID, "data di nascita mancante")
	case !sameDay(c.BirthDate, info.BirthDate) && !sameDay(c.BirthDate.AddDate(-100, 0, 0), info.BirthDate) && !sameDay(c.BirthDate.AddDate(100, 0, 0), info.BirthDate):
		// The code's two-digit year is ambiguous by a century: accept both.
		return Errorf(EINVALID, "la data di nascita non corrisponde al codice fiscale %s", c.CodiceFiscale)
	case !ValidBelfiore(c.BirthPlaceCode):
		return Errorf(EINVALID, "codice del luogo di nascita non valido %q", c.BirthPlaceCode)
	case !c.CitizenshipStatus.Valid():
		return Errorf(EINVALID, "stato della cittadinanza non valido %q", c.CitizenshipStatus)
	case c.CitizenshipStatus == CitizenshipKnown && !iso3RE.MatchString(c.Citizenship):
		return Errorf(EINVALID, "cittadinanza non valida %q: codice ISO a tre lettere", c.Citizenship)
	case c.CitizenshipStatus != CitizenshipKnown && (c.Citizenship != "" || c.OtherCitizenships != ""):
		return Errorf(EINVALID, "cittadinanza %q indicata con stato %q: lasciarla vuota", c.Citizenship, c.CitizenshipStatus)
	case !validOtherCitizenships(c.Citizenship, c.OtherCitizenships):
		return Errorf(EINVALID, "altre cittadinanze non valide: codici ISO a tre lettere, diversi tra loro e dalla prima")
	case !ValidBelfiore(c.Comune) || c.Comune[0] == 'Z':
		return Errorf(EINVALID, "codice del comune non valido %q", c.Comune)
	case !c.Status.Valid():
		return Errorf(EINVALID, "posizione anagrafica non valida %q", c.Status)
	case c.FamilyID == "":
		return Errorf(EINVALID, "famiglia mancante")
	case c.Relationship <= 0:
		return Errorf(EINVALID, "relazione di parentela mancante")
	case c.CivilStatus <= 0:
		return Errorf(EINVALID, "stato civile mancante")
	case c.Status != StatusResident && c.CancelledOn.IsZero():
		return Errorf(EINVALID, "data di cancellazione mancante per posizione %s", c.Status)
	case !c.CancelledOn.IsZero() && c.CancelledOn.Before(c.RegisteredOn):
		return Errorf(EINVALID, "cancellazione anteriore all'iscrizione")
	}
	return c.validateCivil()
}

// validOtherCitizenships reports whether other lists ISO codes separated
// by single spaces, none repeated nor equal to first.
func validOtherCitizenships(first string, other string) bool {
	if other == "" {
		return true
	}
	seen := map[string]bool{first: true}
	for _, o := range strings.Split(other, " ") {
		if !iso3RE.MatchString(o) || seen[o] {
			return false
		}
		seen[o] = true
	}
	return true
}

func sameDay(a, b time.Time) bool {
	return a.Year() == b.Year() && a.Month() == b.Month() && a.Day() == b.Day()
}

// CitizenSummary is one line of a search result.
type CitizenSummary struct {
	CodiceFiscale string
	Surname       string
	GivenName     string
	BirthDate     time.Time
	Comune        string // Belfiore code of the citizen's comune
	ComuneName    string
	Status        Status
	Remote        bool // found through the hub: a citizen of another comune of the network
}

// FamilyMember is a line of the family sheet.
type FamilyMember struct {
	Citizen
	RelationshipName string
}

// CitizenFile is everything the counter shows about a person (fascicolo).
// Sections that later capabilities fill (certificates, requests, payments)
// are there from the start, empty, so the operator sees that they are.
type CitizenFile struct {
	Citizen          Citizen
	BirthPlaceName   string
	CitizenshipName  string
	CivilStatusName  string
	RelationshipName string
	ComuneName       string
	Family           []FamilyMember
	Remote           bool      // from the hub, not the local cache
	AsOf             time.Time // "dati aggiornati al": when the cache last heard from the hub
	// DataSeq is the change-log position of the comune that the cached
	// data had reached (0 for data from the hub): a certificate carries it,
	// and the hub flags the certificate when the record changed after it.
	DataSeq      int64
	Certificates []CertificateSummary
	Requests     []RequestSummary
	Payments     []PaymentSummary
}

// CertificateSummary is a certificate in the citizen file.
type CertificateSummary struct {
	Number   string
	Type     string
	IssuedAt time.Time
	Flagged  string // why the operator must look at it again, if at all
}

// RequestSummary is a request (istanza) in the citizen file.
type RequestSummary struct {
	Number  string
	Service string
	Status  string
	At      time.Time
}

// PaymentSummary is a payment position in the citizen file.
type PaymentSummary struct {
	CodiceAvviso string
	Causale      string
	AmountCents  int64
	State        string
	DueDate      time.Time
}

// Directory is the anagrafe as one source sees it: the workstation's cache or
// the hub. Citizen returns ENOTFOUND for an unknown code; Family returns the
// members of a family sheet, head first.
type Directory interface {
	SearchCitizens(ctx context.Context, q Query, limit int) ([]CitizenSummary, error)
	Citizen(ctx context.Context, codiceFiscale string) (*Citizen, error)
	Family(ctx context.Context, familyID string) ([]Citizen, error)
}
