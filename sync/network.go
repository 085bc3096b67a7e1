package sync

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/sync/wire"
)

// Network is the hub as a directory of the whole network's anagrafe, for
// the counter's cross-comune lookups. Every method returns EOFFLINE when
// the hub cannot be reached.
type Network struct{ c *Client }

var _ app.Directory = Network{}

// Network returns the engine's view of the hub's anagrafe.
func (c *Client) Network() Network { return Network{c} }

func (n Network) profile(ctx context.Context) (*app.Profile, error) {
	p, err := n.c.profile(ctx)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil, app.Errorf(app.EOFFLINE, "postazione non attivata: la rete non è disponibile")
	}
	return p, err
}

// SearchCitizens searches the whole network.
func (n Network) SearchCitizens(ctx context.Context, q app.Query, limit int) ([]app.CitizenSummary, error) {
	p, err := n.profile(ctx)
	if err != nil {
		return nil, err
	}
	var res wire.SearchResponse
	if err := n.read(ctx, p, "/v1/citizens", "/v1/citizens", url.Values{"q": {q.Text}, "limit": {strconv.Itoa(limit)}}, &res); err != nil {
		return nil, err
	}
	out := make([]app.CitizenSummary, 0, len(res.Citizens))
	for _, w := range res.Citizens {
		s, err := wire.SummaryFromWire(w)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// Citizen returns a citizen of any comune of the network.
func (n Network) Citizen(ctx context.Context, codiceFiscale string) (*app.Citizen, error) {
	p, err := n.profile(ctx)
	if err != nil {
		return nil, err
	}
	var res wire.CitizenResponse
	if err := n.read(ctx, p, "/v1/citizens/"+url.PathEscape(codiceFiscale), "/v1/citizens/"+codiceFiscale, nil, &res); err != nil {
		return nil, err
	}
	c, err := wire.CitizenFromWire(res.Citizen)
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// Family returns a family sheet of the workstation's comune: the hub scopes
// a bare family id to the device's comune.
func (n Network) Family(ctx context.Context, familyID string) ([]app.Citizen, error) {
	return n.family(ctx, familyID, nil)
}

// FamilyOf returns the family sheet of c, of any comune of the network: c's
// codice fiscale is the key the hub asks for another comune's sheet.
func (n Network) FamilyOf(ctx context.Context, c *app.Citizen) ([]app.Citizen, error) {
	return n.family(ctx, c.FamilyID, url.Values{"cf": {c.CodiceFiscale}})
}

func (n Network) family(ctx context.Context, familyID string, q url.Values) ([]app.Citizen, error) {
	p, err := n.profile(ctx)
	if err != nil {
		return nil, err
	}
	var res wire.FamilyResponse
	if err := n.read(ctx, p, "/v1/families/"+url.PathEscape(familyID), "/v1/families/"+familyID, q, &res); err != nil {
		return nil, err
	}
	out := make([]app.Citizen, 0, len(res.Members))
	for _, w := range res.Members {
		c, err := wire.CitizenFromWire(w)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// read GETs the hub's anagrafe at path (unescaped) with query, signed by
// the operator ctx carries (app.WithReader): the hub answers another
// comune's citizen only to an operator's proof, and records who read and
// why. A read without a reader is the device's own (its comune only).
func (n Network) read(ctx context.Context, p *app.Profile, path, unescaped string, query url.Values, out any) error {
	var header map[string]string
	if rd, ok := app.ReaderFrom(ctx); ok {
		at := n.c.Now().UTC() // the hub's clock as measured: the proof is checked against it
		msg := app.ReadProofMessage(p.Comune, p.Device, rd.Operator, rd.Purpose, http.MethodGet, unescaped, query.Encode(), at)
		sig, err := rd.Sign(msg)
		if err != nil {
			return err
		}
		header = wire.ReadProof{Operator: rd.Operator, Purpose: rd.Purpose, At: at, Signature: sig}.Headers()
	}
	return n.c.doWith(ctx, p.HubURL, p.Token, http.MethodGet, path, query, header, nil, out)
}

// Accesses asks the hub who accessed a citizen of the workstation's
// comune, when and why (POST /v1/accesses): the request is signed now by
// operator through sign (the store's key of the logged-in supervisor).
func (n Network) Accesses(ctx context.Context, codiceFiscale, operator string, sign func(msg []byte) ([]byte, error)) ([]app.Access, error) {
	p, err := n.profile(ctx)
	if err != nil {
		return nil, err
	}
	at := time.Now().UTC()
	sig, err := sign(app.AccessExportMessage(p.Comune, p.Device, codiceFiscale, operator, at))
	if err != nil {
		return nil, err
	}
	req := wire.AccessRequest{CodiceFiscale: codiceFiscale, Operator: operator, At: wire.FormatTime(at), Signature: wire.B64(sig)}
	var res wire.AccessesResponse
	if err := n.c.do(ctx, p.HubURL, p.Token, http.MethodPost, "/v1/accesses", nil, req, &res); err != nil {
		return nil, err
	}
	out := make([]app.Access, 0, len(res.Accesses))
	for _, w := range res.Accesses {
		a, err := wire.AccessFromWire(w)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}
