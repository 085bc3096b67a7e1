package store

import (
	"encoding/json"
	"fmt"

	"github.com/sportello/sportello/app"
)

// history is the stored form of a citizen's civil and residence history:
// the JSON of the domain records, as the certificates column keeps
// certificates. Only the store reads it back.
type history struct {
	Unions        []app.Union             `json:"unions,omitempty"`
	Cohabitations []app.Cohabitation      `json:"cohabitations,omitempty"`
	Death         *app.Death              `json:"death,omitempty"`
	AIRE          *app.AIRERecord         `json:"aire,omitempty"`
	Citizenships  []app.CitizenshipPeriod `json:"citizenships,omitempty"`
	Residences    []app.ResidencePeriod   `json:"residences,omitempty"`
}

// historyText is the history column of c: "" when it has none.
func historyText(c *app.Citizen) string {
	h := history{c.Unions, c.Cohabitations, c.Death, c.AIRE, c.Citizenships, c.Residences}
	if len(h.Unions)+len(h.Cohabitations)+len(h.Citizenships)+len(h.Residences) == 0 && h.Death == nil && h.AIRE == nil {
		return ""
	}
	b, err := json.Marshal(h)
	if err != nil {
		panic("store: history of " + c.CodiceFiscale + ": " + err.Error()) // plain structs of strings and times: cannot fail
	}
	return string(b)
}

// setHistory reads the history column s into c.
func setHistory(c *app.Citizen, s string) error {
	if s == "" {
		return nil
	}
	var h history
	if err := json.Unmarshal([]byte(s), &h); err != nil {
		return fmt.Errorf("citizen %s history: %w", c.CodiceFiscale, err)
	}
	c.Unions, c.Cohabitations, c.Death, c.AIRE, c.Citizenships, c.Residences = h.Unions, h.Cohabitations, h.Death, h.AIRE, h.Citizenships, h.Residences
	return nil
}
