package kiosk

import (
	"strings"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
)

// Policy is what the comune lets its kiosks print. A kiosk takes no money
// and no marca da bollo, so it prints only certificates for a use that an
// exemption of the ANPR table covers: the citizen picks the use, the
// certificate prints the use and the exemption with its legal reference,
// as at the counter. Every type the kiosk knows is an anagrafe certificate
// in bollo, the anagrafico di nascita and the certificato di cittadinanza
// included (ANPR issues them with bollo unless the use is exempt; see
// certificate.Anagrafe): no certificate leaves the kiosk without a declared
// exemption, and Validate refuses a policy that offers one without uses.
//
// The diritti di segreteria are not charged at the kiosk: the comune waives
// them for self-service, as ANPR does for the certificates citizens print
// from its portal. A comune changes the policy by publishing a record of
// kind queue.KindKioskPolicy; without one, DefaultPolicy applies.
type Policy struct {
	Certificates []Allowed
}

// Allowed is a certificate type the kiosk prints, with the uses it may be
// printed for.
type Allowed struct {
	Type string // certificate slug
	Uses []Use  // for bollo types (all of ANPR's): at least one
}

// Use is a use the citizen may declare at the kiosk and the bollo
// exemption it carries (ANPR esenzione_bollo).
type Use struct {
	Label       string // printed on the certificate as the use: "pensione estera"
	LabelEN     string
	ExemptionID int // ANPR esenzione_bollo
}

// DefaultPolicy is the policy of a comune that has not published its own.
// The uses are exemptions of DPR 642/1972 tabella allegato B (art. 9
// pensione estera, art. 13 adozione e tutela di minori) and of art. 19 L.
// 74/1987 (separazione e divorzio), as ANPR's table names them; a birth or
// citizenship certificate is asked for the same procedures.
var DefaultPolicy = Policy{Certificates: []Allowed{
	{Type: certificate.SlugNascita, Uses: []Use{
		{"pensione estera", "foreign pension", 9},
		{"separazione o divorzio", "separation or divorce", 7},
		{"adozione, affidamento, tutela di minori", "adoption, fostering, guardianship of minors", 6},
	}},
	{Type: certificate.SlugCittadinanza, Uses: []Use{
		{"pensione estera", "foreign pension", 9},
		{"separazione o divorzio", "separation or divorce", 7},
		{"adozione, affidamento, tutela di minori", "adoption, fostering, guardianship of minors", 6},
	}},
	{Type: certificate.SlugResidenza, Uses: []Use{
		{"pensione estera", "foreign pension", 9},
		{"separazione o divorzio", "separation or divorce", 7},
		{"adozione, affidamento, tutela di minori", "adoption, fostering, guardianship of minors", 6},
	}},
	{Type: certificate.SlugStatoDiFamiglia, Uses: []Use{
		{"pensione estera", "foreign pension", 9},
		{"separazione o divorzio", "separation or divorce", 7},
		{"adozione, affidamento, tutela di minori", "adoption, fostering, guardianship of minors", 6},
	}},
	{Type: certificate.SlugEsistenzaInVita, Uses: []Use{
		{"pensione estera", "foreign pension", 9},
	}},
}}

// Validate checks a policy: known types, and an exemption for every use of
// a type that bears the bollo. EINVALID otherwise, an unknown type too.
func (p *Policy) Validate() error {
	for _, a := range p.Certificates {
		t, err := certificate.TypeBySlug(a.Type)
		if err != nil {
			return app.Errorf(app.EINVALID, "chiosco: %s", app.ErrorMessage(err))
		}
		if t.Bollo() && len(a.Uses) == 0 {
			return app.Errorf(app.EINVALID, "chiosco: il certificato %s richiede il bollo: indicare gli usi esenti", a.Type)
		}
		for _, u := range a.Uses {
			if strings.TrimSpace(u.Label) == "" || (t.Bollo() && u.ExemptionID == 0) {
				return app.Errorf(app.EINVALID, "chiosco: uso del certificato %s senza nome o senza esenzione", a.Type)
			}
		}
	}
	return nil
}

// Request is the counter's issue request for what the citizen chose at the
// kiosk: the type, and for a bollo type the use with its exemption.
// EFORBIDDEN for a type or use the policy does not allow.
func (p *Policy) Request(slug string, use int) (certificate.IssueRequest, error) {
	for _, a := range p.Certificates {
		if a.Type != slug {
			continue
		}
		t, err := certificate.TypeBySlug(slug)
		if err != nil {
			return certificate.IssueRequest{}, err
		}
		if !t.Bollo() {
			return certificate.IssueRequest{Type: slug}, nil
		}
		if use < 0 || use >= len(a.Uses) {
			return certificate.IssueRequest{}, app.Errorf(app.EINVALID, "scegliere l'uso del certificato")
		}
		u := a.Uses[use]
		return certificate.IssueRequest{Type: slug, Use: u.Label, ExemptionID: u.ExemptionID}, nil
	}
	return certificate.IssueRequest{}, app.Errorf(app.EFORBIDDEN, "questo certificato non si rilascia al chiosco: rivolgersi allo sportello")
}

// Operator is the name a kiosk issues certificates under, in the audit
// trail and on the certificate's record.
func Operator(device string) *app.Operator {
	return &app.Operator{Username: "chiosco:" + device, Name: "Chiosco " + device, Roles: []app.Role{app.RoleOperator}, Active: true}
}

// Notice is an act or notice of the albo pretorio, published by the comune
// through the hub (record kind queue.KindNotice).
type Notice struct {
	Number   string // registro dell'albo: "2026/0142"
	Title    string
	Office   string // who publishes it: "Settore Urbanistica"
	Category string // "Avviso", "Ordinanza", "Determinazione"…
	From     time.Time
	To       time.Time
	Text     string
}

// Current reports whether the notice is published on day.
func (n *Notice) Current(day time.Time) bool {
	return !day.Before(n.From) && (n.To.IsZero() || !day.After(n.To))
}

// Validate checks a notice's shape.
func (n *Notice) Validate() error {
	switch {
	case n.Number == "" || strings.TrimSpace(n.Title) == "":
		return app.Errorf(app.EINVALID, "avviso dell'albo senza numero o titolo")
	case n.From.IsZero() || (!n.To.IsZero() && n.To.Before(n.From)):
		return app.Errorf(app.EINVALID, "avviso %s: periodo di pubblicazione non valido", n.Number)
	case len(n.Text) > 20000:
		return app.Errorf(app.EINVALID, "avviso %s troppo lungo", n.Number)
	}
	return nil
}
