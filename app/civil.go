package app

import (
	"strings"
	"time"

	"github.com/sportello/sportello/app/cf"
)

// This file holds the civil and residence history of a person: what ANPR's
// certificates anagrafico di matrimonio, di unione civile, di contratto di
// convivenza, anagrafico di morte, di residenza AIRE, di stato di famiglia
// AIRE, storico di cittadinanza and storico di residenza alla data certify.
// Periods run from their first day to the day they ended, that day
// excluded: the day a person moves is already the day of the new address.

// UnionKind says whether a union is a marriage or a civil union.
type UnionKind string

// The kinds of union the anagrafe records.
const (
	UnionMarriage   UnionKind = "matrimonio"
	UnionCivilUnion UnionKind = "unione_civile" // L. 20 maggio 2016 n. 76, commi 1-35
)

// UnionEnd is why a marriage or civil union ended.
type UnionEnd string

// The ways a union ends. Divorce (L. 898/1970) ends a marriage;
// scioglimento (L. 76/2016 c. 22-26) ends a civil union; the death of the
// spouse or partner and the annulment end both.
const (
	UnionEndDeath     UnionEnd = "decesso"
	UnionEndDivorce   UnionEnd = "divorzio"
	UnionEndDissolved UnionEnd = "scioglimento"
	UnionEndAnnulled  UnionEnd = "annullamento"
)

// CivilStatusCivilUnion is ANPR's stato civile "Unito civilmente".
const CivilStatusCivilUnion = 6

// maxCivilText bounds the free texts of the history, as the import does.
const maxCivilText = 200

// Union is a marriage or a civil union of the person.
type Union struct {
	Kind      UnionKind
	Date      time.Time // of the celebration
	PlaceCode string    // Belfiore code of the comune, or Z code of the foreign state
	Act       string    // estremi dell'atto (registro, parte, serie, numero); may be empty
	// The spouse or partner: name required, codice fiscale when known (a
	// foreign spouse may have none).
	PartnerSurname       string
	PartnerGivenName     string
	PartnerCodiceFiscale string
	EndDate              time.Time // zero while the union lasts
	EndReason            UnionEnd  // set exactly when EndDate is
}

// Open reports whether the union has not ended.
func (u *Union) Open() bool { return u.EndDate.IsZero() }

// Validate checks one union on its own.
func (u *Union) Validate() error {
	what := "matrimonio"
	if u.Kind == UnionCivilUnion {
		what = "unione civile"
	}
	switch {
	case u.Kind != UnionMarriage && u.Kind != UnionCivilUnion:
		return Errorf(EINVALID, "tipo di unione non valido %q: matrimonio o unione_civile", u.Kind)
	case u.Date.IsZero():
		return Errorf(EINVALID, "%s: data mancante", what)
	case !ValidBelfiore(u.PlaceCode):
		return Errorf(EINVALID, "%s: luogo non valido %q (codice del comune o dello stato estero)", what, u.PlaceCode)
	case !civilText(u.Act, false):
		return Errorf(EINVALID, "%s: estremi dell'atto non validi", what)
	case !civilText(u.PartnerSurname, true) || !civilText(u.PartnerGivenName, true):
		return Errorf(EINVALID, "%s: cognome e nome del coniuge o della parte mancanti", what)
	case u.PartnerCodiceFiscale != "" && !cf.Valid(u.PartnerCodiceFiscale):
		return Errorf(EINVALID, "%s: codice fiscale del coniuge o della parte non valido %q", what, u.PartnerCodiceFiscale)
	case u.EndDate.IsZero() != (u.EndReason == ""):
		return Errorf(EINVALID, "%s: data e motivo della fine vanno indicati insieme", what)
	case !u.EndDate.IsZero() && u.EndDate.Before(u.Date):
		return Errorf(EINVALID, "%s: finito prima di essere celebrato", what)
	}
	switch u.EndReason {
	case "", UnionEndDeath, UnionEndAnnulled:
	case UnionEndDivorce:
		if u.Kind != UnionMarriage {
			return Errorf(EINVALID, "unione civile: si scioglie, non si divorzia (motivo scioglimento)")
		}
	case UnionEndDissolved:
		if u.Kind != UnionCivilUnion {
			return Errorf(EINVALID, "matrimonio: lo scioglimento del matrimonio è il divorzio (motivo divorzio)")
		}
	default:
		return Errorf(EINVALID, "%s: motivo della fine non valido %q: decesso, divorzio, scioglimento o annullamento", what, u.EndReason)
	}
	return nil
}

// Cohabitation is a convivenza di fatto (L. 76/2016 c. 36-65): two adults
// living together as a couple, declared to the anagrafe, with the contract
// that regulates their life in common when they signed one (c. 50-52: a
// public deed or an authenticated private deed, which the notary or lawyer
// sends to the comune for the anagrafe to record).
type Cohabitation struct {
	PartnerSurname       string
	PartnerGivenName     string
	PartnerCodiceFiscale string    // when known
	Since                time.Time // from the declaration to the anagrafe
	// The contract: all of ContractDate, ContractProfessional and
	// ContractRegisteredOn, or none.
	ContractDate         time.Time // of the deed
	ContractProfessional string    // the notary or lawyer who drew up or authenticated it
	ContractReference    string    // repertorio and registration reference; may be empty
	ContractRegisteredOn time.Time // recorded in the anagrafe (c. 52)
	EndDate              time.Time // zero while it lasts
	EndReason            string    // set exactly when EndDate is
}

// Open reports whether the convivenza has not ended.
func (c *Cohabitation) Open() bool { return c.EndDate.IsZero() }

// HasContract reports whether a contract is recorded.
func (c *Cohabitation) HasContract() bool { return !c.ContractDate.IsZero() }

// Validate checks one convivenza on its own.
func (c *Cohabitation) Validate() error {
	contract := []bool{!c.ContractDate.IsZero(), c.ContractProfessional != "", !c.ContractRegisteredOn.IsZero()}
	switch {
	case !civilText(c.PartnerSurname, true) || !civilText(c.PartnerGivenName, true):
		return Errorf(EINVALID, "convivenza di fatto: cognome e nome del convivente mancanti")
	case c.PartnerCodiceFiscale != "" && !cf.Valid(c.PartnerCodiceFiscale):
		return Errorf(EINVALID, "convivenza di fatto: codice fiscale del convivente non valido %q", c.PartnerCodiceFiscale)
	case c.Since.IsZero():
		return Errorf(EINVALID, "convivenza di fatto: data di inizio mancante")
	case contract[0] != contract[1] || contract[1] != contract[2]:
		return Errorf(EINVALID, "contratto di convivenza: data, professionista e data di registrazione vanno indicati insieme")
	case c.ContractReference != "" && !contract[0]:
		return Errorf(EINVALID, "contratto di convivenza: estremi senza contratto")
	case !civilText(c.ContractProfessional, false) || !civilText(c.ContractReference, false) || !civilText(c.EndReason, false):
		return Errorf(EINVALID, "convivenza di fatto: testo non valido")
	case contract[0] && c.ContractRegisteredOn.Before(c.ContractDate):
		return Errorf(EINVALID, "contratto di convivenza: registrato prima di essere stipulato")
	case c.EndDate.IsZero() != (c.EndReason == ""):
		return Errorf(EINVALID, "convivenza di fatto: data e motivo della fine vanno indicati insieme")
	case !c.EndDate.IsZero() && c.EndDate.Before(c.Since):
		return Errorf(EINVALID, "convivenza di fatto: finita prima di cominciare")
	}
	return nil
}

// Death is the death of a person, as the anagrafe records it from the
// stato civile.
type Death struct {
	Date      time.Time
	PlaceCode string // Belfiore code of the comune, or Z code of the foreign state
}

// Validate checks the record on its own.
func (d *Death) Validate() error {
	switch {
	case d.Date.IsZero():
		return Errorf(EINVALID, "decesso: data mancante")
	case !ValidBelfiore(d.PlaceCode):
		return Errorf(EINVALID, "decesso: luogo non valido %q (codice del comune o dello stato estero)", d.PlaceCode)
	}
	return nil
}

// AIRERecord is a person's registration in the comune's AIRE (L. 27
// ottobre 1988 n. 470): where the Italian citizen lives abroad, and the
// consular office that serves that place.
type AIRERecord struct {
	RegisteredOn time.Time
	CountryCode  string // Z code of the foreign state
	Locality     string // city abroad
	Address      string // street and number abroad, as the consulate writes it
	Consulate    string // "Consolato Generale d'Italia a Zurigo"
}

// Validate checks the record on its own.
func (a *AIRERecord) Validate() error {
	switch {
	case a.RegisteredOn.IsZero():
		return Errorf(EINVALID, "AIRE: data di iscrizione mancante")
	case !ValidBelfiore(a.CountryCode) || a.CountryCode[0] != 'Z':
		return Errorf(EINVALID, "AIRE: stato estero non valido %q (codice Z)", a.CountryCode)
	case !civilText(a.Locality, true):
		return Errorf(EINVALID, "AIRE: località estera mancante")
	case !civilText(a.Address, true):
		return Errorf(EINVALID, "AIRE: indirizzo estero mancante")
	case !civilText(a.Consulate, true):
		return Errorf(EINVALID, "AIRE: ufficio consolare mancante")
	}
	return nil
}

// CitizenshipPeriod is a citizenship the person held, and how it was
// acquired ("per nascita", "per matrimonio", "per residenza (art. 9 L.
// 91/1992)"…).
type CitizenshipPeriod struct {
	Citizenship string    // ISO 3166 alpha-3
	From        time.Time // acquired
	To          time.Time // lost or renounced; zero while held
	How         string
}

// Validate checks one period on its own.
func (p *CitizenshipPeriod) Validate() error {
	switch {
	case !iso3RE.MatchString(p.Citizenship):
		return Errorf(EINVALID, "storico di cittadinanza: cittadinanza non valida %q", p.Citizenship)
	case p.From.IsZero():
		return Errorf(EINVALID, "storico di cittadinanza %s: data di acquisto mancante", p.Citizenship)
	case !p.To.IsZero() && !p.To.After(p.From):
		return Errorf(EINVALID, "storico di cittadinanza %s: persa prima di essere acquistata", p.Citizenship)
	case !civilText(p.How, true):
		return Errorf(EINVALID, "storico di cittadinanza %s: modo di acquisto mancante", p.Citizenship)
	}
	return nil
}

// ResidencePeriod is where the person lived from one day to another: in a
// comune (Belfiore code) at an address, or abroad (Z code, the address
// abroad in Address.Street).
type ResidencePeriod struct {
	From       time.Time
	To         time.Time // the day of the next move; zero for the current residence
	ComuneCode string
	Address    Address
}

// Validate checks one period on its own.
func (p *ResidencePeriod) Validate() error {
	switch {
	case p.From.IsZero():
		return Errorf(EINVALID, "storico di residenza: data di decorrenza mancante")
	case !p.To.IsZero() && !p.To.After(p.From):
		return Errorf(EINVALID, "storico di residenza: periodo dal %s al %s vuoto o rovesciato", FormatDate(p.From), FormatDate(p.To))
	case !ValidBelfiore(p.ComuneCode):
		return Errorf(EINVALID, "storico di residenza: comune non valido %q", p.ComuneCode)
	case !civilText(p.Address.Street, true) || !civilText(p.Address.HouseNumber, false) || !civilText(p.Address.Postcode, false):
		return Errorf(EINVALID, "storico di residenza: indirizzo mancante")
	}
	return nil
}

// Contains reports whether the person lived there on day.
func (p *ResidencePeriod) Contains(day time.Time) bool {
	return !day.Before(p.From) && (p.To.IsZero() || day.Before(p.To))
}

// ResidenceOn returns the period of the history that contains day.
func (c *Citizen) ResidenceOn(day time.Time) (ResidencePeriod, bool) {
	for _, p := range c.Residences {
		if p.Contains(day) {
			return p, true
		}
	}
	return ResidencePeriod{}, false
}

// CurrentUnion returns the union of the kind that has not ended.
func (c *Citizen) CurrentUnion(kind UnionKind) (Union, bool) {
	for _, u := range c.Unions {
		if u.Kind == kind && u.Open() {
			return u, true
		}
	}
	return Union{}, false
}

// CurrentCohabitation returns the convivenza di fatto that has not ended.
func (c *Citizen) CurrentCohabitation() (Cohabitation, bool) {
	for _, x := range c.Cohabitations {
		if x.Open() {
			return x, true
		}
	}
	return Cohabitation{}, false
}

// validateCivil checks the civil and residence history, each record and
// how they agree with each other and with the rest of the record.
func (c *Citizen) validateCivil() error {
	var prev *Union
	for i := range c.Unions {
		u := &c.Unions[i]
		if err := u.Validate(); err != nil {
			return err
		}
		if u.Date.Before(c.BirthDate) {
			return Errorf(EINVALID, "unione del %s anteriore alla nascita", FormatDate(u.Date))
		}
		if prev != nil && (prev.Open() || u.Date.Before(prev.EndDate)) {
			return Errorf(EINVALID, "unioni sovrapposte: l'unione del %s comincia prima della fine di quella del %s (elencarle dalla più vecchia)", FormatDate(u.Date), FormatDate(prev.Date))
		}
		prev = u
	}
	if len(c.Unions) > 0 {
		_, married := c.CurrentUnion(UnionMarriage)
		_, united := c.CurrentUnion(UnionCivilUnion)
		switch {
		case married != (c.CivilStatus == CivilStatusMarried):
			return Errorf(EINVALID, "lo stato civile (%d) non corrisponde ai matrimoni registrati", c.CivilStatus)
		case united != (c.CivilStatus == CivilStatusCivilUnion):
			return Errorf(EINVALID, "lo stato civile (%d) non corrisponde alle unioni civili registrate", c.CivilStatus)
		}
	}
	open := 0
	for i := range c.Cohabitations {
		x := &c.Cohabitations[i]
		if err := x.Validate(); err != nil {
			return err
		}
		if x.Open() {
			open++
		}
	}
	if open > 1 {
		return Errorf(EINVALID, "più di una convivenza di fatto in corso")
	}
	if d := c.Death; d != nil {
		if err := d.Validate(); err != nil {
			return err
		}
		switch {
		case c.Status != StatusDeceased:
			return Errorf(EINVALID, "decesso registrato per una persona in posizione %s", c.Status)
		case d.Date.Before(c.BirthDate):
			return Errorf(EINVALID, "decesso anteriore alla nascita")
		case d.Date.After(c.CancelledOn):
			return Errorf(EINVALID, "decesso posteriore alla cancellazione anagrafica")
		}
	}
	if a := c.AIRE; a != nil {
		if err := a.Validate(); err != nil {
			return err
		}
		switch {
		case c.Status != StatusAIRE:
			return Errorf(EINVALID, "iscrizione AIRE per una persona in posizione %s", c.Status)
		case a.RegisteredOn.Before(c.BirthDate):
			return Errorf(EINVALID, "iscrizione AIRE anteriore alla nascita")
		}
	}
	current := false
	for i := range c.Citizenships {
		p := &c.Citizenships[i]
		if err := p.Validate(); err != nil {
			return err
		}
		if p.From.Before(c.BirthDate) {
			return Errorf(EINVALID, "cittadinanza %s acquistata prima della nascita", p.Citizenship)
		}
		for _, q := range c.Citizenships[:i] {
			if q.Citizenship == p.Citizenship && (q.To.IsZero() || p.From.Before(q.To)) && (p.To.IsZero() || q.From.Before(p.To)) {
				return Errorf(EINVALID, "storico di cittadinanza: periodi sovrapposti della cittadinanza %s", p.Citizenship)
			}
		}
		current = current || (p.Citizenship == c.Citizenship && p.To.IsZero())
	}
	if len(c.Citizenships) > 0 && !current {
		return Errorf(EINVALID, "storico di cittadinanza: manca il periodo in corso della cittadinanza %s", c.Citizenship)
	}
	for i := range c.Residences {
		p := &c.Residences[i]
		if err := p.Validate(); err != nil {
			return err
		}
		if p.From.Before(c.BirthDate) {
			return Errorf(EINVALID, "storico di residenza: decorrenza %s anteriore alla nascita", FormatDate(p.From))
		}
		if i > 0 {
			q := &c.Residences[i-1]
			if q.To.IsZero() || p.From.Before(q.To) {
				return Errorf(EINVALID, "storico di residenza: il periodo dal %s comincia prima della fine del precedente (elencarli dal più vecchio)", FormatDate(p.From))
			}
		}
	}
	if n := len(c.Residences); n > 0 && c.Status == StatusResident {
		last := &c.Residences[n-1]
		if !last.To.IsZero() || last.ComuneCode != c.Comune || last.Address != c.Address {
			return Errorf(EINVALID, "storico di residenza: l'ultimo periodo deve essere in corso, nel comune, all'indirizzo di residenza")
		}
	}
	return nil
}

// civilText reports whether s is a text the history can hold: one line, not
// too long, and present when required.
func civilText(s string, required bool) bool {
	if required && strings.TrimSpace(s) == "" {
		return false
	}
	return len(s) <= maxCivilText && !strings.ContainsAny(s, "\n\r\t")
}
