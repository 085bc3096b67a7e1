package kiosk

import (
	"context"
	"slices"
	"strconv"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/request"
)

// Post takes, at the kiosk, the request of a certificate by post
// (request.PostService) for the identified citizen, mailed to the
// residence the anagrafe records: the kiosk has no keyboard for an
// address, and the residence is the one address it can vouch for. The
// request goes through the workstation's desk (its outbox, offline too)
// under the kiosk's operator, and the back office posts it.
type Post struct {
	Desk    *request.Desk
	Counter *app.CounterService
	Device  string
}

// Types are the certificates the kiosk takes by post: those the comune's
// policy lets it print that the service offers by post, with their uses.
func (p *Post) Types(policy Policy) []Allowed {
	var out []Allowed
	for _, a := range policy.Certificates {
		if slices.Contains(request.PostTypes, a.Type) {
			out = append(out, a)
		}
	}
	return out
}

// Address is where the certificate of the file's person goes: the
// residence, with the comune's name and province from the reference
// tables.
func (p *Post) Address(ctx context.Context, file *app.CitizenFile) (request.Address, error) {
	c := file.Citizen
	ix, err := p.Counter.Index(ctx)
	if err != nil {
		return request.Address{}, err
	}
	com, ok := ix.Comune(c.Comune, p.Counter.Now())
	if !ok {
		return request.Address{}, app.Errorf(app.ENOTFOUND, "comune di residenza %s sconosciuto alle tabelle", c.Comune)
	}
	a := c.Address
	return request.ParseAddress(c.GivenName+" "+c.Surname, a.Street+" "+a.HouseNumber, a.Postcode, com.Name, com.Province)
}

// Ask takes the request for type slug: use is the index of one of the
// policy's uses (an exemption), or -1 for the bollo, charged with the
// postage. It returns the request, with its provisional number, and the
// receipt to print.
func (p *Post) Ask(ctx context.Context, policy Policy, file *app.CitizenFile, slug string, use int) (*request.Request, []byte, error) {
	v := request.Values{request.PostFieldType: slug, request.PostFieldBollo: request.PostBolloMarca}
	if use >= 0 {
		req, err := policy.Request(slug, use)
		if err != nil {
			return nil, nil, err
		}
		v[request.PostFieldUse], v[request.PostFieldBollo] = req.Use, request.PostBolloExemption
		v[request.PostFieldExemption] = strconv.Itoa(req.ExemptionID)
	} else if !slices.ContainsFunc(p.Types(policy), func(a Allowed) bool { return a.Type == slug }) {
		return nil, nil, app.Errorf(app.EFORBIDDEN, "questo certificato non si chiede al chiosco: rivolgersi allo sportello")
	}
	a, err := p.Address(ctx, file)
	if err != nil {
		return nil, nil, err
	}
	c := file.Citizen
	v["cognome"], v["nome"], v["codice_fiscale"], v["privacy"] = c.Surname, c.GivenName, c.CodiceFiscale, "si"
	v[request.PostFieldRecipient], v[request.PostFieldStreet], v[request.PostFieldCAP] = a.Recipient, a.Street, a.CAP
	v[request.PostFieldComune], v[request.PostFieldProvincia] = a.Comune, a.Provincia
	return p.Desk.Submit(ctx, Operator(p.Device), file, request.PostService, v, nil)
}
