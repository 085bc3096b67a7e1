package wire

import (
	"fmt"
	"time"

	"github.com/sportello/sportello/app"
)

// The civil and residence history of a citizen on the wire (app/civil.go):
// English snake_case keys, dates as AAAA-MM-GG, every list and record left
// out when empty, so a citizen without history is sent as before and an
// older client, which ignores unknown keys, reads the rest unchanged.

// Union is a marriage or civil union on the wire.
type Union struct {
	Kind                 string `json:"kind"` // "matrimonio" or "unione_civile"
	Date                 string `json:"date"`
	PlaceCode            string `json:"place_code"`
	Act                  string `json:"act,omitempty"`
	PartnerSurname       string `json:"partner_surname"`
	PartnerGivenName     string `json:"partner_given_name"`
	PartnerCodiceFiscale string `json:"partner_codice_fiscale,omitempty"`
	EndDate              string `json:"end_date,omitempty"`
	EndReason            string `json:"end_reason,omitempty"`
}

// Cohabitation is a convivenza di fatto on the wire.
type Cohabitation struct {
	PartnerSurname       string `json:"partner_surname"`
	PartnerGivenName     string `json:"partner_given_name"`
	PartnerCodiceFiscale string `json:"partner_codice_fiscale,omitempty"`
	Since                string `json:"since"`
	ContractDate         string `json:"contract_date,omitempty"`
	ContractProfessional string `json:"contract_professional,omitempty"`
	ContractReference    string `json:"contract_reference,omitempty"`
	ContractRegisteredOn string `json:"contract_registered_on,omitempty"`
	EndDate              string `json:"end_date,omitempty"`
	EndReason            string `json:"end_reason,omitempty"`
}

// Death is a death on the wire.
type Death struct {
	Date      string `json:"date"`
	PlaceCode string `json:"place_code"`
}

// AIRE is an AIRE registration on the wire.
type AIRE struct {
	RegisteredOn string `json:"registered_on"`
	CountryCode  string `json:"country_code"`
	Locality     string `json:"locality"`
	Address      string `json:"address"`
	Consulate    string `json:"consulate"`
}

// CitizenshipPeriod is a citizenship held, on the wire.
type CitizenshipPeriod struct {
	Citizenship string `json:"citizenship"`
	From        string `json:"from"`
	To          string `json:"to,omitempty"`
	How         string `json:"how"`
}

// ResidencePeriod is a residence of the history, on the wire.
type ResidencePeriod struct {
	From        string `json:"from"`
	To          string `json:"to,omitempty"`
	ComuneCode  string `json:"comune_code"`
	Street      string `json:"street"`
	HouseNumber string `json:"house_number,omitempty"`
	Postcode    string `json:"postcode,omitempty"`
}

// historyToWire fills w's history from c.
func historyToWire(c *app.Citizen, w *Citizen) {
	d := app.FormatDate
	for _, u := range c.Unions {
		w.Unions = append(w.Unions, Union{Kind: string(u.Kind), Date: d(u.Date), PlaceCode: u.PlaceCode, Act: u.Act,
			PartnerSurname: u.PartnerSurname, PartnerGivenName: u.PartnerGivenName, PartnerCodiceFiscale: u.PartnerCodiceFiscale,
			EndDate: d(u.EndDate), EndReason: string(u.EndReason)})
	}
	for _, x := range c.Cohabitations {
		w.Cohabitations = append(w.Cohabitations, Cohabitation{PartnerSurname: x.PartnerSurname, PartnerGivenName: x.PartnerGivenName,
			PartnerCodiceFiscale: x.PartnerCodiceFiscale, Since: d(x.Since), ContractDate: d(x.ContractDate),
			ContractProfessional: x.ContractProfessional, ContractReference: x.ContractReference,
			ContractRegisteredOn: d(x.ContractRegisteredOn), EndDate: d(x.EndDate), EndReason: x.EndReason})
	}
	if x := c.Death; x != nil {
		w.Death = &Death{Date: d(x.Date), PlaceCode: x.PlaceCode}
	}
	if a := c.AIRE; a != nil {
		w.AIRE = &AIRE{RegisteredOn: d(a.RegisteredOn), CountryCode: a.CountryCode, Locality: a.Locality, Address: a.Address, Consulate: a.Consulate}
	}
	for _, p := range c.Citizenships {
		w.CitizenshipHistory = append(w.CitizenshipHistory, CitizenshipPeriod{Citizenship: p.Citizenship, From: d(p.From), To: d(p.To), How: p.How})
	}
	for _, p := range c.Residences {
		w.ResidenceHistory = append(w.ResidenceHistory, ResidencePeriod{From: d(p.From), To: d(p.To), ComuneCode: p.ComuneCode,
			Street: p.Address.Street, HouseNumber: p.Address.HouseNumber, Postcode: p.Address.Postcode})
	}
}

// historyFromWire fills c's history from w; Validate checks it after.
func historyFromWire(w *Citizen, c *app.Citizen) error {
	var err error
	date := func(s, what string) time.Time {
		if err != nil {
			return time.Time{}
		}
		t, e := app.ParseDate(s)
		if e != nil {
			err = fmt.Errorf("%s: %w", what, e)
		}
		return t
	}
	for _, u := range w.Unions {
		c.Unions = append(c.Unions, app.Union{Kind: app.UnionKind(u.Kind), Date: date(u.Date, "unions.date"), PlaceCode: u.PlaceCode,
			Act: u.Act, PartnerSurname: u.PartnerSurname, PartnerGivenName: u.PartnerGivenName, PartnerCodiceFiscale: u.PartnerCodiceFiscale,
			EndDate: date(u.EndDate, "unions.end_date"), EndReason: app.UnionEnd(u.EndReason)})
	}
	for _, x := range w.Cohabitations {
		c.Cohabitations = append(c.Cohabitations, app.Cohabitation{PartnerSurname: x.PartnerSurname, PartnerGivenName: x.PartnerGivenName,
			PartnerCodiceFiscale: x.PartnerCodiceFiscale, Since: date(x.Since, "cohabitations.since"),
			ContractDate: date(x.ContractDate, "cohabitations.contract_date"), ContractProfessional: x.ContractProfessional,
			ContractReference: x.ContractReference, ContractRegisteredOn: date(x.ContractRegisteredOn, "cohabitations.contract_registered_on"),
			EndDate: date(x.EndDate, "cohabitations.end_date"), EndReason: x.EndReason})
	}
	if x := w.Death; x != nil {
		c.Death = &app.Death{Date: date(x.Date, "death.date"), PlaceCode: x.PlaceCode}
	}
	if a := w.AIRE; a != nil {
		c.AIRE = &app.AIRERecord{RegisteredOn: date(a.RegisteredOn, "aire.registered_on"), CountryCode: a.CountryCode,
			Locality: a.Locality, Address: a.Address, Consulate: a.Consulate}
	}
	for _, p := range w.CitizenshipHistory {
		c.Citizenships = append(c.Citizenships, app.CitizenshipPeriod{Citizenship: p.Citizenship,
			From: date(p.From, "citizenship_history.from"), To: date(p.To, "citizenship_history.to"), How: p.How})
	}
	for _, p := range w.ResidenceHistory {
		c.Residences = append(c.Residences, app.ResidencePeriod{From: date(p.From, "residence_history.from"),
			To: date(p.To, "residence_history.to"), ComuneCode: p.ComuneCode,
			Address: app.Address{Street: p.Street, HouseNumber: p.HouseNumber, Postcode: p.Postcode}})
	}
	return err
}
