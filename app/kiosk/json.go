package kiosk

import (
	"encoding/json"

	"github.com/sportello/sportello/app"
)

// The JSON of the kiosk's records, as they travel in app.Record.Data: the
// acts of the albo pretorio (record kind queue.KindNotice) and the kiosk
// policy (queue.KindKioskPolicy). The domain types carry no tags: these
// structs are the format, converted explicitly. Dates are AAAA-MM-GG.

type noticeJSON struct {
	Number   string `json:"number"`
	Title    string `json:"title"`
	Office   string `json:"office,omitempty"`
	Category string `json:"category,omitempty"`
	From     string `json:"from"`
	To       string `json:"to,omitempty"`
	Text     string `json:"text,omitempty"`
}

type policyJSON struct {
	Certificates []allowedJSON `json:"certificates"`
}

type allowedJSON struct {
	Type string    `json:"type"`
	Uses []useJSON `json:"uses,omitempty"`
}

type useJSON struct {
	Label       string `json:"label"`
	LabelEN     string `json:"label_en,omitempty"`
	ExemptionID int    `json:"exemption_id"`
}

// EncodeNotice is the Data of a notice's record.
func EncodeNotice(n Notice) []byte {
	b, _ := json.Marshal(noticeJSON{Number: n.Number, Title: n.Title, Office: n.Office, Category: n.Category,
		From: app.FormatDate(n.From), To: app.FormatDate(n.To), Text: n.Text})
	return b
}

// DecodeNotice reads and validates a notice.
func DecodeNotice(data []byte) (Notice, error) {
	var w noticeJSON
	if err := app.DecodeJSON(data, &w); err != nil {
		return Notice{}, app.Errorf(app.EINVALID, "avviso dell'albo non leggibile")
	}
	n := Notice{Number: w.Number, Title: w.Title, Office: w.Office, Category: w.Category, Text: w.Text}
	var err error
	if n.From, err = app.ParseDate(w.From); err != nil {
		return n, err
	}
	if n.To, err = app.ParseDate(w.To); err != nil {
		return n, err
	}
	return n, n.Validate()
}

// EncodePolicy is the Data of the comune's kiosk policy record.
func EncodePolicy(p Policy) []byte {
	w := policyJSON{Certificates: []allowedJSON{}}
	for _, a := range p.Certificates {
		c := allowedJSON{Type: a.Type}
		for _, u := range a.Uses {
			c.Uses = append(c.Uses, useJSON{Label: u.Label, LabelEN: u.LabelEN, ExemptionID: u.ExemptionID})
		}
		w.Certificates = append(w.Certificates, c)
	}
	b, _ := json.Marshal(w)
	return b
}

// DecodePolicy reads and validates a kiosk policy.
func DecodePolicy(data []byte) (Policy, error) {
	var w policyJSON
	if err := app.DecodeJSON(data, &w); err != nil {
		return Policy{}, app.Errorf(app.EINVALID, "regole del chiosco non leggibili")
	}
	var p Policy
	for _, c := range w.Certificates {
		a := Allowed{Type: c.Type}
		for _, u := range c.Uses {
			a.Uses = append(a.Uses, Use{Label: u.Label, LabelEN: u.LabelEN, ExemptionID: u.ExemptionID})
		}
		p.Certificates = append(p.Certificates, a)
	}
	return p, p.Validate()
}
