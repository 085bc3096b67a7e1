package certificate

import (
	"strings"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anpr"
)

// This file holds the certificates of the civil and residence history:
// anagrafico di morte and di matrimonio, storico di cittadinanza, di
// residenza AIRE and di stato di famiglia AIRE, di unione civile, di
// contratto di convivenza, storico di residenza alla data. What each
// certifies and when it is refused follows ANPR's controls for the type
// (italia/anpr, src/controllo-certificati, "Controlli specifici").

// Civil are the facts of the history a certificate certifies, places and
// citizenships named as printed. Only those of the certificate's type are
// set.
type Civil struct {
	Union        *UnionFacts        // matrimonio, unione civile
	Cohabitation *CohabitationFacts // contratto di convivenza
	Death        *DeathFacts        // morte
	AIRE         *AIREFacts         // residenza AIRE, stato di famiglia AIRE
	Citizenships []CitizenshipFacts // storico di cittadinanza, oldest first
	ResidenceOn  *ResidenceOnFacts  // storico di residenza alla data
}

// UnionFacts are a marriage or civil union as certified.
type UnionFacts struct {
	Date                 time.Time
	Place                string
	Act                  string
	Partner              string // surname and given name
	PartnerCodiceFiscale string
}

// CohabitationFacts are a convivenza di fatto and its contract.
type CohabitationFacts struct {
	Partner              string
	PartnerCodiceFiscale string
	Since                time.Time
	ContractDate         time.Time
	Professional         string
	Reference            string
	RegisteredOn         time.Time
}

// DeathFacts are the date and place of death.
type DeathFacts struct {
	Date  time.Time
	Place string
}

// AIREFacts are the registration in the AIRE and the address abroad.
type AIREFacts struct {
	RegisteredOn time.Time
	Country      string
	Locality     string
	Address      string
	Consulate    string
}

// CitizenshipFacts are one citizenship held.
type CitizenshipFacts struct {
	Citizenship string // "ITALIANA", "ALBANIA"
	From, To    time.Time
	How         string
}

// ResidenceOnFacts are where the person lived on Day, and the period of
// that residence.
type ResidenceOnFacts struct {
	Day      time.Time
	From, To time.Time
	Address  string
	Comune   string // name of the comune, or of the foreign state
}

// civilFacts lists the facts of the history in the fixed order of Facts.
const civilFacts = FactMarriage | FactCivilUnion | FactCohabitationContract | FactDeath |
	FactCitizenshipHistory | FactAIREResidence | FactAIREFamily | FactResidenceOnDate

// ListsFamily reports whether a certificate with the facts f lists the
// members of a family: of the family sheet, or of the AIRE family.
func (f Fact) ListsFamily() bool { return f&(FactFamily|FactAIREFamily) != 0 }

// checkCivil are the rules of the history types, after the rules of Check
// on the person's position and certifiability.
func checkCivil(t Type, c *app.Citizen, today time.Time) error {
	f := t.Facts
	if f.Has(FactMarriage) {
		switch {
		case c.CivilStatus <= 0 || c.CivilStatus == app.CivilStatusUnknown:
			return refuse(t, "stato civile non noto all'anagrafe")
		case c.CivilStatus != app.CivilStatusMarried:
			return refuse(t, "la persona non risulta coniugata")
		}
		u, ok := c.CurrentUnion(app.UnionMarriage)
		if !ok {
			return refuse(t, "i dati del matrimonio non sono presenti in anagrafe")
		}
		if c.AIRE != nil && !c.AIRE.RegisteredOn.After(u.Date) {
			return refuse(t, "la persona era già iscritta all'AIRE alla data del matrimonio: lo certifica l'atto trascritto, non l'anagrafe")
		}
	}
	if f.Has(FactCivilUnion) {
		switch {
		case c.CivilStatus <= 0 || c.CivilStatus == app.CivilStatusUnknown:
			return refuse(t, "stato civile non noto all'anagrafe")
		case c.CivilStatus != app.CivilStatusCivilUnion:
			return refuse(t, "la persona non risulta unita civilmente")
		}
		u, ok := c.CurrentUnion(app.UnionCivilUnion)
		if !ok {
			return refuse(t, "i dati dell'unione civile non sono presenti in anagrafe")
		}
		if c.AIRE != nil && u.Date.After(c.AIRE.RegisteredOn) {
			return refuse(t, "unione civile costituita dopo l'iscrizione all'AIRE")
		}
	}
	if f.Has(FactCohabitationContract) {
		x, ok := c.CurrentCohabitation()
		switch {
		case !ok:
			return refuse(t, "la persona non risulta in una convivenza di fatto")
		case !x.HasContract():
			return refuse(t, "nessun contratto di convivenza registrato in anagrafe")
		case c.AIRE != nil && x.ContractRegisteredOn.After(c.AIRE.RegisteredOn):
			return refuse(t, "contratto di convivenza registrato dopo l'iscrizione all'AIRE")
		}
	}
	if f.Has(FactDeath) {
		switch {
		case c.Status != app.StatusDeceased:
			return refuse(t, "la persona non risulta cancellata per decesso")
		case c.Death == nil:
			return refuse(t, "data e luogo del decesso non presenti in anagrafe")
		}
	}
	if f.Has(FactCitizenshipHistory) {
		has := false
		for _, p := range c.Citizenships {
			has = has || p.Citizenship == "ITA"
		}
		switch {
		case c.Status == app.StatusAIRE:
			// ANPR: "Se richiesto per soggetti iscritti all'AIRE".
			return refuse(t, "persona iscritta all'AIRE: lo storico di cittadinanza si chiede al consolato")
		case !has:
			return refuse(t, "storico di cittadinanza non presente in anagrafe")
		}
	}
	if f&(FactAIREResidence|FactAIREFamily) != 0 {
		switch {
		case c.Status != app.StatusAIRE:
			return refuse(t, "la persona non è iscritta all'AIRE del comune")
		case c.AIRE == nil:
			return refuse(t, "indirizzo estero e consolato non presenti in anagrafe")
		}
	}
	if f.Has(FactAIREFamily) && (c.FamilyID == "" || inConvivenza(c)) {
		return refuse(t, "la persona non risulta in una famiglia AIRE")
	}
	if f.Has(FactResidenceOnDate) && len(c.Residences) == 0 {
		return refuse(t, "storico delle residenze non presente in anagrafe: serve una ricerca d'archivio")
	}
	return nil
}

// newCivil takes the facts of the history the type certifies from the
// person's record; on is the date of a certificate alla data. It returns
// EINVALID when a fact the type needs is missing, which Check has already
// said for everything but the date.
func newCivil(t Type, file *app.CitizenFile, ix *anpr.Index, on, today time.Time) (Civil, []Member, error) {
	var cv Civil
	var family []Member
	p := &file.Citizen
	f := t.Facts
	union := func(kind app.UnionKind) *UnionFacts {
		u, ok := p.CurrentUnion(kind)
		if !ok {
			return nil
		}
		return &UnionFacts{
			Date: u.Date, Place: placeName(ix, u.PlaceCode, u.Date), Act: u.Act,
			Partner: strings.TrimSpace(u.PartnerSurname + " " + u.PartnerGivenName), PartnerCodiceFiscale: u.PartnerCodiceFiscale,
		}
	}
	if f.Has(FactMarriage) {
		cv.Union = union(app.UnionMarriage)
	}
	if f.Has(FactCivilUnion) {
		cv.Union = union(app.UnionCivilUnion)
	}
	if f.Has(FactCohabitationContract) {
		if x, ok := p.CurrentCohabitation(); ok {
			cv.Cohabitation = &CohabitationFacts{
				Partner: strings.TrimSpace(x.PartnerSurname + " " + x.PartnerGivenName), PartnerCodiceFiscale: x.PartnerCodiceFiscale,
				Since: x.Since, ContractDate: x.ContractDate, Professional: x.ContractProfessional, Reference: x.ContractReference,
				RegisteredOn: x.ContractRegisteredOn,
			}
		}
	}
	if f.Has(FactDeath) && p.Death != nil {
		cv.Death = &DeathFacts{Date: p.Death.Date, Place: placeName(ix, p.Death.PlaceCode, p.Death.Date)}
	}
	if f.Has(FactCitizenshipHistory) {
		for _, c := range p.Citizenships {
			cv.Citizenships = append(cv.Citizenships, CitizenshipFacts{
				Citizenship: app.CitizenshipName(ix, c.Citizenship), From: c.From, To: c.To, How: c.How,
			})
		}
	}
	if f.Has(FactAIREResidence) && p.AIRE != nil {
		a := p.AIRE
		cv.AIRE = &AIREFacts{RegisteredOn: a.RegisteredOn, Country: placeName(ix, a.CountryCode, today), Locality: a.Locality,
			Address: a.Address, Consulate: a.Consulate}
	}
	if f.Has(FactAIREFamily) {
		for _, m := range file.Family {
			if m.Status != app.StatusAIRE {
				continue // the AIRE family is of those registered abroad
			}
			family = append(family, Member{
				CodiceFiscale: m.CodiceFiscale, Surname: m.Surname, GivenName: m.GivenName, Sex: m.Sex,
				BirthDate: m.BirthDate, BirthPlace: placeName(ix, m.BirthPlaceCode, m.BirthDate),
			})
		}
	}
	if f.Has(FactResidenceOnDate) {
		day := time.Date(on.Year(), on.Month(), on.Day(), 0, 0, 0, 0, time.UTC)
		first := time.Time{}
		if len(p.Residences) > 0 {
			first = p.Residences[0].From
		}
		switch {
		case on.IsZero():
			return cv, nil, refuse(t, "indicare la data alla quale certificare la residenza")
		case day.After(time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)):
			return cv, nil, refuse(t, "la data %s è futura", formatDate(day))
		case len(p.Residences) == 0 || day.Before(first):
			return cv, nil, refuse(t, "alla data %s la persona non risulta ancora iscritta (prima residenza registrata dal %s)", formatDate(day), formatDate(first))
		case (p.Status == app.StatusDeceased || p.Status == app.StatusEmigrated) && !p.CancelledOn.IsZero() && !day.Before(p.CancelledOn):
			return cv, nil, refuse(t, "alla data %s la persona era già cancellata dall'anagrafe del comune (%s)", formatDate(day), formatDate(p.CancelledOn))
		}
		r, ok := p.ResidenceOn(day)
		if !ok {
			return cv, nil, refuse(t, "lo storico delle residenze non copre la data %s", formatDate(day))
		}
		place := placeName(ix, r.ComuneCode, day)
		if r.ComuneCode == p.Comune && file.ComuneName != "" {
			place = file.ComuneName
		}
		cv.ResidenceOn = &ResidenceOnFacts{Day: day, From: r.From, To: r.To, Address: r.Address.String(), Comune: place}
	}
	return cv, family, nil
}

// validate checks that every fact of the history the type certifies is
// there and printable.
func (cv *Civil) validate(t Type) error {
	f := t.Facts
	if f&civilFacts == 0 {
		if cv.Union != nil || cv.Cohabitation != nil || cv.Death != nil || cv.AIRE != nil || cv.Citizenships != nil || cv.ResidenceOn != nil {
			return app.Errorf(app.EINVALID, "fatti di stato civile o di residenza su un certificato che non li certifica")
		}
		return nil
	}
	text := func(ss ...string) bool {
		for _, s := range ss {
			if !printable(s, maxTextRunes) {
				return false
			}
		}
		return true
	}
	opt := func(s string) bool { return s == "" || printable(s, maxTextRunes) }
	switch {
	case f&(FactMarriage|FactCivilUnion) != 0 && (cv.Union == nil || cv.Union.Date.IsZero() || !text(cv.Union.Place, cv.Union.Partner) || !opt(cv.Union.Act) || !opt(cv.Union.PartnerCodiceFiscale)):
		return app.Errorf(app.EINVALID, "dati dell'unione o del coniuge mancanti")
	case f.Has(FactCohabitationContract) && (cv.Cohabitation == nil || cv.Cohabitation.ContractDate.IsZero() || cv.Cohabitation.RegisteredOn.IsZero() ||
		!text(cv.Cohabitation.Partner, cv.Cohabitation.Professional) || !opt(cv.Cohabitation.Reference) || !opt(cv.Cohabitation.PartnerCodiceFiscale)):
		return app.Errorf(app.EINVALID, "dati del contratto di convivenza mancanti")
	case f.Has(FactDeath) && (cv.Death == nil || cv.Death.Date.IsZero() || !text(cv.Death.Place)):
		return app.Errorf(app.EINVALID, "data o luogo del decesso mancanti")
	case f.Has(FactCitizenshipHistory) && len(cv.Citizenships) == 0:
		return app.Errorf(app.EINVALID, "storico di cittadinanza mancante")
	case f.Has(FactAIREResidence) && (cv.AIRE == nil || cv.AIRE.RegisteredOn.IsZero() || !text(cv.AIRE.Country, cv.AIRE.Locality, cv.AIRE.Address, cv.AIRE.Consulate)):
		return app.Errorf(app.EINVALID, "residenza all'estero o consolato mancanti")
	case f.Has(FactResidenceOnDate) && (cv.ResidenceOn == nil || cv.ResidenceOn.Day.IsZero() || cv.ResidenceOn.From.IsZero() || !text(cv.ResidenceOn.Address, cv.ResidenceOn.Comune)):
		return app.Errorf(app.EINVALID, "residenza alla data mancante")
	}
	for _, c := range cv.Citizenships {
		if c.From.IsZero() || !text(c.Citizenship, c.How) {
			return app.Errorf(app.EINVALID, "periodo dello storico di cittadinanza incompleto")
		}
	}
	return nil
}

// Row is one certified fact: its label and its value, as CertifiedText
// writes it and the printer lays it out.
type Row struct{ Label, Value string }

// CivilRows are the certified facts of the history, in the order the
// certificate prints them.
func (c *Certificate) CivilRows() []Row {
	var rows []Row
	add := func(label, value string) { rows = append(rows, Row{label, value}) }
	cv := &c.Civil
	f := c.Type.Facts
	partner := func(name, code string) string {
		if code == "" {
			return name
		}
		return name + ", codice fiscale " + code
	}
	if u := cv.Union; u != nil {
		what, act, who := "Matrimonio", "Atto di matrimonio", "Coniuge"
		if f.Has(FactCivilUnion) {
			what, act, who = "Unione civile", "Atto di unione civile", "Parte dell'unione civile"
		}
		verb := "celebrato il "
		if f.Has(FactCivilUnion) {
			verb = "costituita il "
		}
		add(what, verb+formatDate(u.Date)+" a "+u.Place)
		if u.Act != "" {
			add(act, u.Act)
		}
		add(who, partner(u.Partner, u.PartnerCodiceFiscale))
	}
	if x := cv.Cohabitation; x != nil {
		add("Convivenza di fatto", "con "+partner(x.Partner, x.PartnerCodiceFiscale)+", dal "+formatDate(x.Since))
		contract := "stipulato il " + formatDate(x.ContractDate) + " presso " + x.Professional
		if x.Reference != "" {
			contract += ", " + x.Reference
		}
		add("Contratto di convivenza", contract)
		add("Registrato in anagrafe il", formatDate(x.RegisteredOn))
	}
	if d := cv.Death; d != nil {
		dead := "Deceduto"
		if c.Person.Sex == "F" {
			dead = "Deceduta"
		}
		add(dead+" il", formatDate(d.Date)+" a "+d.Place)
	}
	for _, p := range cv.Citizenships {
		add("Cittadinanza "+p.Citizenship, period(p.From, p.To)+", "+p.How)
	}
	if a := cv.AIRE; a != nil {
		add("Iscrizione AIRE", "dal "+formatDate(a.RegisteredOn))
		add("Residenza all'estero", a.Address+", "+a.Locality+" ("+a.Country+")")
		add("Ufficio consolare", a.Consulate)
	}
	if r := cv.ResidenceOn; r != nil {
		add("Alla data del", formatDate(r.Day))
		add("Residenza", r.Address+", "+r.Comune)
		add("Periodo di residenza", period(r.From, r.To))
	}
	return rows
}

// period is "dal 01/02/2003 al 04/05/2006", or "dal 01/02/2003 a oggi".
func period(from, to time.Time) string {
	if to.IsZero() {
		return "dal " + formatDate(from) + " a oggi"
	}
	return "dal " + formatDate(from) + " al " + formatDate(to)
}
