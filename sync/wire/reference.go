package wire

import (
	"time"

	"github.com/sportello/sportello/app/anpr"
)

// Reference is the ANPR reference tables on the wire (a change of kind
// app.ChangeReference). Instants keep encoding/json's time format, as
// protocol 2 sent them; protocol 2 spelled the keys as anpr's Go fields.
type Reference struct {
	Comuni            []ReferenceComune `json:"comuni"`
	States            []ReferenceState  `json:"states"`
	CertificateTypes  []ReferenceEntry  `json:"certificate_types"`
	BolloExemptions   []ReferenceEntry  `json:"bollo_exemptions"`
	Relationships     []ReferenceEntry  `json:"relationships"`
	CivilStatus       []ReferenceEntry  `json:"civil_status"`
	CitizenshipTypes  []ReferenceEntry  `json:"citizenship_types"`
	NonCertifiability []ReferenceEntry  `json:"non_certifiability"`
}

// ReferenceComune is a record of the archive of comuni (anpr.Comune).
type ReferenceComune struct {
	Code      string    `json:"code"`
	Istat     string    `json:"istat"`
	Name      string    `json:"name"`
	AltName   string    `json:"alt_name"`
	Province  string    `json:"province"`
	ValidFrom time.Time `json:"valid_from"`
	ValidTo   time.Time `json:"valid_to"`
	Active    bool      `json:"active"`
}

// ReferenceState is a record of the foreign states (anpr.State).
type ReferenceState struct {
	Code        string    `json:"code"`
	Name        string    `json:"name"`
	NameEN      string    `json:"name_en"`
	ISO3        string    `json:"iso3"`
	Istat       string    `json:"istat"`
	Citizenship bool      `json:"citizenship"`
	Birth       bool      `json:"birth"`
	Residence   bool      `json:"residence"`
	ValidFrom   time.Time `json:"valid_from"`
	ValidTo     time.Time `json:"valid_to"`
}

// ReferenceEntry is a row of a code table (anpr.Entry).
type ReferenceEntry struct {
	ID          int       `json:"id"`
	Description string    `json:"description"`
	Flag        bool      `json:"flag"`
	Note        string    `json:"note"`
	ValidFrom   time.Time `json:"valid_from"`
	ValidTo     time.Time `json:"valid_to"`
}

// ReferenceToWire converts the reference tables for the wire.
func ReferenceToWire(t *anpr.Tables) *Reference {
	w := &Reference{
		CertificateTypes: entriesToWire(t.CertificateTypes), BolloExemptions: entriesToWire(t.BolloExemptions),
		Relationships: entriesToWire(t.Relationships), CivilStatus: entriesToWire(t.CivilStatus),
		CitizenshipTypes: entriesToWire(t.CitizenshipTypes), NonCertifiability: entriesToWire(t.NonCertifiability),
	}
	for _, c := range t.Comuni {
		w.Comuni = append(w.Comuni, ReferenceComune{Code: c.Code, Istat: c.Istat, Name: c.Name, AltName: c.AltName,
			Province: c.Province, ValidFrom: c.ValidFrom, ValidTo: c.ValidTo, Active: c.Active})
	}
	for _, s := range t.States {
		w.States = append(w.States, ReferenceState{Code: s.Code, Name: s.Name, NameEN: s.NameEN, ISO3: s.ISO3, Istat: s.Istat,
			Citizenship: s.Citizenship, Birth: s.Birth, Residence: s.Residence, ValidFrom: s.ValidFrom, ValidTo: s.ValidTo})
	}
	return w
}

// ReferenceFromWire converts the reference tables from the wire; the
// caller validates them.
func ReferenceFromWire(w *Reference) *anpr.Tables {
	t := &anpr.Tables{
		CertificateTypes: entriesFromWire(w.CertificateTypes), BolloExemptions: entriesFromWire(w.BolloExemptions),
		Relationships: entriesFromWire(w.Relationships), CivilStatus: entriesFromWire(w.CivilStatus),
		CitizenshipTypes: entriesFromWire(w.CitizenshipTypes), NonCertifiability: entriesFromWire(w.NonCertifiability),
	}
	for _, c := range w.Comuni {
		t.Comuni = append(t.Comuni, anpr.Comune{Code: c.Code, Istat: c.Istat, Name: c.Name, AltName: c.AltName,
			Province: c.Province, ValidFrom: c.ValidFrom, ValidTo: c.ValidTo, Active: c.Active})
	}
	for _, s := range w.States {
		t.States = append(t.States, anpr.State{Code: s.Code, Name: s.Name, NameEN: s.NameEN, ISO3: s.ISO3, Istat: s.Istat,
			Citizenship: s.Citizenship, Birth: s.Birth, Residence: s.Residence, ValidFrom: s.ValidFrom, ValidTo: s.ValidTo})
	}
	return t
}

func entriesToWire(es []anpr.Entry) []ReferenceEntry {
	var out []ReferenceEntry
	for _, e := range es {
		out = append(out, ReferenceEntry{ID: e.ID, Description: e.Description, Flag: e.Flag, Note: e.Note, ValidFrom: e.ValidFrom, ValidTo: e.ValidTo})
	}
	return out
}

func entriesFromWire(es []ReferenceEntry) []anpr.Entry {
	var out []anpr.Entry
	for _, e := range es {
		out = append(out, anpr.Entry{ID: e.ID, Description: e.Description, Flag: e.Flag, Note: e.Note, ValidFrom: e.ValidFrom, ValidTo: e.ValidTo})
	}
	return out
}
