package payment

import (
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/pagopa"
)

// CertificateFee is a certificate an operator issued on the day, with the
// bollo of its marca and the diritti di segreteria it carried.
type CertificateFee struct {
	Number       string
	Type         string // title
	IssuedAt     time.Time
	BolloCents   int64 // the marca's value: paid to the tobacconist, not collected by the comune
	DirittiCents int64 // collected at the counter
}

// Total is a line of the closing's totals.
type Total struct {
	Key   string // the method or the service
	Name  string
	Count int
	Cents int64
}

// Closing is the cash closing (chiusura di cassa) of an operator's day at a
// workstation: every receipt the operator issued that day, the totals by
// method and by service, the certificates with their bollo and diritti,
// signed with the workstation's key. Once closed, the day takes no other
// payment of the operator at the workstation, here or at the hub.
type Closing struct {
	Device       string
	Comune       string
	Operator     string
	OperatorName string
	Day          string // AAAA-MM-GG
	ClosedAt     time.Time
	Payments     []Payment // in the order taken
	ByMethod     []Total
	ByService    []Total
	TotalCents   int64 // the payments' total: equal to the sum of their receipts
	Certificates []CertificateFee
	BolloCents   int64
	DirittiCents int64
	// Signature is the workstation's Ed25519 signature of SignedBytes;
	// PublicKey the key it verifies with (the device's certified key).
	Signature []byte
	PublicKey []byte
}

// Summarize builds the closing of the payments and certificates given,
// which must all be the operator's on the day.
func Summarize(device, comune, operator, operatorName, day string, closedAt time.Time, payments []Payment, certs []CertificateFee) (*Closing, error) {
	if _, err := time.Parse(app.DateLayout, day); err != nil {
		return nil, app.Errorf(app.EINVALID, "giornata %q non valida: AAAA-MM-GG", day)
	}
	c := &Closing{Device: device, Comune: comune, Operator: operator, OperatorName: operatorName, Day: day,
		ClosedAt: closedAt.UTC().Truncate(time.Second), Payments: payments, Certificates: certs}
	methods, services := map[string]*Total{}, map[string]*Total{}
	add := func(m map[string]*Total, key, name string, cents int64) {
		t := m[key]
		if t == nil {
			t = &Total{Key: key, Name: name}
			m[key] = t
		}
		t.Count++
		t.Cents += cents
	}
	for _, p := range payments {
		if p.Operator != operator || p.Day != day || p.Device != device {
			return nil, fmt.Errorf("closing %s %s: payment %s of %s on %s", operator, day, p.Receipt, p.Operator, p.Day)
		}
		add(methods, string(p.Method), p.Method.Name(), p.AmountCents)
		add(services, string(p.Service), p.Service.Name(), p.AmountCents)
		c.TotalCents += p.AmountCents
	}
	for _, cf := range certs {
		c.BolloCents += cf.BolloCents
		c.DirittiCents += cf.DirittiCents
	}
	c.ByMethod, c.ByService = sorted(methods), sorted(services)
	return c, nil
}

func sorted(m map[string]*Total) []Total {
	out := make([]Total, 0, len(m))
	for _, t := range m {
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// GrandTotalCents is what the drawer and the POS hold for the day: the
// payments and the certificates' diritti.
func (c *Closing) GrandTotalCents() int64 { return c.TotalCents + c.DirittiCents }

const closingContext = "sportello-chiusura-cassa-v1\n"

// SignedBytes is what the signature covers: the closing's JSON without
// the signature.
func (c *Closing) SignedBytes() []byte {
	cc := *c
	cc.Signature, cc.PublicKey = nil, nil
	return append([]byte(closingContext), EncodeClosing(&cc)...)
}

// Sign signs the closing with the workstation's key.
func (c *Closing) Sign(key ed25519.PrivateKey) error {
	if len(key) != ed25519.PrivateKeySize {
		return app.Errorf(app.EFORBIDDEN, "la postazione non ha una chiave di firma: attivarla di nuovo")
	}
	c.PublicKey = append([]byte(nil), key.Public().(ed25519.PublicKey)...)
	c.Signature = ed25519.Sign(key, c.SignedBytes())
	return nil
}

// Verify checks the signature with pub, the workstation's certified key.
//
// A closing signed before the keys of its JSON were renamed (protocol 2,
// docs/VOCABULARY.md) covers the same facts spelled the old way: respell,
// when given, turns the JSON of SignedBytes into an earlier spelling, and
// a signature of that spelling is the workstation's as well.
func (c *Closing) Verify(pub ed25519.PublicKey, respell ...func([]byte) ([]byte, error)) error {
	if len(pub) == ed25519.PublicKeySize {
		signed := c.SignedBytes()
		if ed25519.Verify(pub, signed, c.Signature) {
			return nil
		}
		body := signed[len(closingContext):]
		for _, rs := range respell {
			old, err := rs(body)
			if err == nil && ed25519.Verify(pub, append([]byte(closingContext), old...), c.Signature) {
				return nil
			}
		}
	}
	return app.Errorf(app.EINVALID, "chiusura di cassa %s %s: firma non valida", c.Operator, c.Day)
}

type totalJSON struct {
	Key   string `json:"key"`
	Name  string `json:"name"`
	Count int    `json:"count"`
	Cents int64  `json:"cents"`
}

type certFeeJSON struct {
	Number   string `json:"number"`
	Type     string `json:"type"`
	IssuedAt string `json:"issued_at"`
	Bollo    int64  `json:"bollo_cents"`
	Diritti  int64  `json:"diritti_cents"`
}

type closingJSON struct {
	Device       string            `json:"device"`
	Comune       string            `json:"comune"`
	Operator     string            `json:"operator"`
	OperatorName string            `json:"operator_name"`
	Day          string            `json:"day"`
	ClosedAt     string            `json:"closed_at"`
	Payments     []json.RawMessage `json:"payments"`
	ByMethod     []totalJSON       `json:"by_method"`
	ByService    []totalJSON       `json:"by_service"`
	Total        int64             `json:"total_cents"`
	Certificates []certFeeJSON     `json:"certificates"`
	Bollo        int64             `json:"bollo_cents"`
	Diritti      int64             `json:"diritti_cents"`
	Signature    []byte            `json:"signature,omitempty"`
	PublicKey    []byte            `json:"public_key,omitempty"`
}

func totalsToJSON(ts []Total) []totalJSON {
	out := []totalJSON{}
	for _, t := range ts {
		out = append(out, totalJSON{Key: t.Key, Name: t.Name, Count: t.Count, Cents: t.Cents})
	}
	return out
}

// EncodeClosing is the JSON of a closing fact.
func EncodeClosing(c *Closing) []byte {
	j := closingJSON{Device: c.Device, Comune: c.Comune, Operator: c.Operator, OperatorName: c.OperatorName, Day: c.Day,
		ClosedAt: app.FormatInstant(c.ClosedAt), Payments: []json.RawMessage{}, ByMethod: totalsToJSON(c.ByMethod), ByService: totalsToJSON(c.ByService),
		Total: c.TotalCents, Certificates: []certFeeJSON{}, Bollo: c.BolloCents, Diritti: c.DirittiCents, Signature: c.Signature, PublicKey: c.PublicKey}
	for i := range c.Payments {
		j.Payments = append(j.Payments, EncodePayment(&c.Payments[i]))
	}
	for _, f := range c.Certificates {
		j.Certificates = append(j.Certificates, certFeeJSON{Number: f.Number, Type: f.Type, IssuedAt: app.FormatInstant(f.IssuedAt), Bollo: f.BolloCents, Diritti: f.DirittiCents})
	}
	b, _ := json.Marshal(j)
	return b
}

// DecodeClosing reads a closing; its totals must be those of its payments.
func DecodeClosing(b []byte) (*Closing, error) {
	var j closingJSON
	if err := app.DecodeJSON(b, &j); err != nil {
		return nil, app.Errorf(app.EINVALID, "chiusura di cassa non leggibile: %v", err)
	}
	var d decoder
	c := &Closing{Device: j.Device, Comune: j.Comune, Operator: j.Operator, OperatorName: j.OperatorName, Day: j.Day,
		ClosedAt: d.instant("closed_at", j.ClosedAt), TotalCents: j.Total, BolloCents: j.Bollo, DirittiCents: j.Diritti,
		Signature: j.Signature, PublicKey: j.PublicKey}
	for _, raw := range j.Payments {
		p, err := DecodePayment(raw)
		if err != nil {
			return nil, err
		}
		c.Payments = append(c.Payments, *p)
	}
	for _, t := range j.ByMethod {
		c.ByMethod = append(c.ByMethod, Total{Key: t.Key, Name: t.Name, Count: t.Count, Cents: t.Cents})
	}
	for _, t := range j.ByService {
		c.ByService = append(c.ByService, Total{Key: t.Key, Name: t.Name, Count: t.Count, Cents: t.Cents})
	}
	for _, f := range j.Certificates {
		c.Certificates = append(c.Certificates, CertificateFee{Number: f.Number, Type: f.Type, IssuedAt: d.instant("certificates.issued_at", f.IssuedAt), BolloCents: f.Bollo, DirittiCents: f.Diritti})
	}
	if d.err != nil {
		return nil, app.Errorf(app.EINVALID, "chiusura di cassa: %v", d.err)
	}
	check, err := Summarize(c.Device, c.Comune, c.Operator, c.OperatorName, c.Day, c.ClosedAt, c.Payments, c.Certificates)
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "chiusura di cassa: %v", err)
	}
	if check.TotalCents != c.TotalCents || check.BolloCents != c.BolloCents || check.DirittiCents != c.DirittiCents {
		return nil, app.Errorf(app.EINVALID, "chiusura di cassa %s %s: i totali non corrispondono alle ricevute", c.Operator, c.Day)
	}
	return c, nil
}

// NoticeFields is what a notice prints of a position, computed for a day:
// the amount due (a fine's follows art. 202) and its codice avviso.
type NoticeFields struct {
	Position *Position
	Payee    *Payee
	Fine     *Fine // nil unless the position collects a fine
	Due      int64
	Stage    *Due // for a fine
	QR       pagopa.QR
	// DataMatrix is the Poste payload, "" without a postal account.
	DataMatrix string
	// NotPayable says the position is not yet payable at the node: the
	// notice is printed, marked so.
	NotPayable bool
	PrintedOn  time.Time
	// Instalment is the rata the notice is of; nil for the whole position,
	// whose notice lists the instalments with InstalmentStatus (in the
	// same order).
	Instalment       *Instalment
	InstalmentStatus []Status
}

// Avviso is the codice avviso the notice pays: the instalment's or the
// position's.
func (n *NoticeFields) Avviso() pagopa.CodiceAvviso {
	if n.Instalment != nil {
		return n.Instalment.Avviso
	}
	return n.Position.Avviso
}

// DueDate is the due date of what the notice pays.
func (n *NoticeFields) DueDate() time.Time {
	if n.Instalment != nil {
		return n.Instalment.DueDate
	}
	return n.Position.DueDate
}
