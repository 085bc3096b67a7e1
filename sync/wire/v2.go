package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"slices"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/app/queue"
	"github.com/sportello/sportello/app/request"
)

// Protocol 2 spelled the keys of citizens, operators and the records and
// facts of payments in Italian; protocol 3 spells every key in English
// (docs/VOCABULARY.md). The hub still serves workstations of protocol 2:
// it rewrites what they send into protocol 3 on the way in and what it
// answers back into protocol 2 on the way out, with the table below and
// nothing else. A body of protocol 3 that carries a key of protocol 2 is
// refused (CheckV3), so an old key is never silently dropped.
//
// The table is by shape, not one flat list: the same Italian word was two
// things in two places ("posizione" a citizen's status and a payment's
// position; "numero" a count among a closing's totals and a number among
// its certificates).

// A Shape is how the keys of one JSON object (or of each object of an
// array) changed from protocol 2 to protocol 3.
type Shape struct {
	name string
	keys map[string]string // protocol 2 key → protocol 3 key; keys absent here are the same in both
	sub  map[string]*Shape // protocol 3 key → the shape of its value
	// kinds, when set, gives the shape of the value of "data" by the kind
	// of the operation or change that carries it.
	kinds map[string]*Shape
	inv   map[string]string // protocol 3 key → protocol 2 key
}

func newShape(name string, keys map[string]string, sub map[string]*Shape) *Shape {
	s := &Shape{name: name, keys: keys, sub: sub, inv: map[string]string{}}
	for k2, k3 := range keys {
		if _, dup := s.inv[k3]; dup {
			panic("wire: two keys of protocol 2 become " + k3 + " in " + name)
		}
		s.inv[k3] = k2
	}
	return s
}

// The shapes of the records and facts of package payment (app/payment/json.go);
// the kiosk policy's is below, with the kinds.
var (
	v2Instalment = newShape("instalment", map[string]string{
		"importo_centesimi": "amount_cents", "scadenza": "due_date", "stato": "state",
	}, nil)
	v2Receipt = newShape("receipt", map[string]string{
		"numero": "number", "canale": "channel", "modalita": "method", "importo_centesimi": "amount_cents", "il": "at",
		"postazione": "device", "operatore": "operator", "rata": "instalment", "eccedenza_centesimi": "excess_cents",
		"rimborsato_centesimi": "refunded_cents",
	}, nil)
	v2Position = newShape("position", map[string]string{
		"debitore_cf": "debtor_codice_fiscale", "debitore": "debtor", "servizio": "service", "importo_centesimi": "amount_cents",
		"scadenza": "due_date", "rate": "instalments", "stato": "state", "pubblicata": "published", "verbale": "fine",
		"ricevute": "receipts", "creata_il": "created_at", "creata_da": "created_by",
	}, map[string]*Shape{"instalments": v2Instalment, "receipts": v2Receipt})
	v2Fine = newShape("fine", map[string]string{
		"numero": "number", "targa": "plate", "violazione": "offence", "norma": "article", "accertata_il": "violated_at",
		"notificata_il": "notified_on", "minimo_centesimi": "min_cents", "massimo_centesimi": "max_cents",
		"spese_centesimi": "costs_cents", "riduzione_ammessa": "discount_allowed", "trasgressore_cf": "offender_codice_fiscale",
		"trasgressore": "offender", "posizione": "position_id",
	}, nil)
	v2Payee = newShape("payee", map[string]string{
		"denominazione": "name", "codice": "code", "conto_postale": "postal_account", "intestatario_conto": "postal_holder",
		"ufficio": "office", "dimostrativo": "demo",
	}, nil)
	v2Payment = newShape("payment", map[string]string{
		"ricevuta": "receipt", "posizione": "position_id", "rata": "instalment", "importo_centesimi": "amount_cents",
		"modalita": "method", "operatore": "operator", "postazione": "device", "il": "at", "giornata": "day",
		"servizio": "service", "debitore_cf": "debtor_codice_fiscale", "debitore": "debtor", "verbale": "fine",
		"fase_verbale": "fine_stage",
	}, nil)
	v2PaymentAnswer = newShape("payment answer", map[string]string{"pagamento_doppio": "duplicate", "rimborso": "refund"}, nil)
	v2Repayment     = newShape("repayment", map[string]string{
		"rimborso": "refund", "modalita": "method", "eseguito_il": "done_on", "nota": "note", "operatore": "operator",
		"postazione": "device", "il": "at",
	}, nil)
	v2Refund = newShape("refund", map[string]string{
		"posizione": "position_id", "debitore_cf": "debtor_codice_fiscale", "debitore": "debtor", "dovuto_centesimi": "due_cents",
		"pagato_centesimi": "paid_cents", "eccedenza_centesimi": "excess_cents", "ricevute": "receipts", "stato": "state",
		"aperto_il": "opened_at", "rata": "instalment", "eseguito": "done",
	}, map[string]*Shape{"receipts": v2Receipt, "done": v2Repayment})
	v2Block = newShape("IUV block", map[string]string{
		"postazione": "device", "codice": "code", "primo": "first", "ultimo": "last",
	}, nil)
	v2Total = newShape("closing total", map[string]string{
		"chiave": "key", "nome": "name", "numero": "count", "centesimi": "cents",
	}, nil)
	v2CertificateFee = newShape("closing certificate", map[string]string{
		"numero": "number", "tipo": "type", "rilasciato_il": "issued_at", "bollo_centesimi": "bollo_cents",
		"diritti_centesimi": "diritti_cents",
	}, nil)
	v2Closing = newShape("cash closing", map[string]string{
		"postazione": "device", "operatore": "operator", "nome_operatore": "operator_name", "giornata": "day",
		"chiusa_il": "closed_at", "pagamenti": "payments", "per_modalita": "by_method", "per_servizio": "by_service",
		"totale_centesimi": "total_cents", "certificati": "certificates", "bollo_centesimi": "bollo_cents",
		"diritti_centesimi": "diritti_cents", "firma": "signature", "chiave_pubblica": "public_key",
	}, map[string]*Shape{"payments": v2Payment, "by_method": v2Total, "by_service": v2Total, "certificates": v2CertificateFee})
)

// v2Data gives the shape of the data of a record or fact by its kind; the
// kinds that are not here kept their keys.
var v2Data = map[string]*Shape{
	payment.KindPosition:   v2Position, // and payment.FactPosition
	payment.KindFine:       v2Fine,
	payment.KindPayee:      v2Payee,
	payment.KindRefund:     v2Refund,
	payment.FactPayment:    v2Payment,
	payment.FactIUVBlock:   newShape("IUV block request", map[string]string{"postazione": "device"}, nil),
	payment.FactClosing:    v2Closing,
	payment.FactRefundDone: v2Repayment,
	request.FactStatus:     newShape("request status change", map[string]string{"expected_version": "expect_version"}, nil),
	queue.KindKioskPolicy: newShape("kiosk policy", nil, map[string]*Shape{
		"certificates": newShape("kiosk certificate", nil, map[string]*Shape{
			"uses": newShape("kiosk use", map[string]string{"exemption": "exemption_id"}, nil),
		}),
	}),
}

// v2Answers gives the shape of the hub's answer to a fact, by its kind.
var v2Answers = map[string]*Shape{
	payment.FactPayment:  v2PaymentAnswer,
	payment.FactIUVBlock: v2Block,
}

// The shapes of the protocol's own types, as the hub also keeps them: a
// citizen, an operator, a change of the change log.
var (
	V2Citizen = newShape("citizen", map[string]string{
		"cognome": "surname", "nome": "given_name", "sesso": "sex", "data_nascita": "birth_date",
		"luogo_nascita": "birth_place_code", "cittadinanza": "citizenship", "stato_civile": "civil_status",
		"indirizzo": "street", "civico": "house_number", "cap": "postcode", "id_famiglia": "family_id",
		"relazione_parentela": "relationship", "posizione": "status", "data_iscrizione": "registered_on",
		"data_cancellazione": "cancelled_on", "motivo_cancellazione": "cancel_reason", "certificabilita": "certifiability",
		"documento": "document_number", "aggiornato": "updated_at",
	}, nil)
	V2Operator = newShape("operator", map[string]string{
		"nome": "name", "ruoli": "roles", "attivo": "active", "aggiornato": "updated_at",
	}, nil)
	v2Record      = &Shape{name: "record", kinds: v2Data}
	v2RefValidity = map[string]string{"ValidFrom": "valid_from", "ValidTo": "valid_to"}
	v2RefEntry    = newShape("reference entry", with(v2RefValidity, map[string]string{
		"ID": "id", "Description": "description", "Flag": "flag", "Note": "note",
	}), nil)
	v2Reference = newShape("reference tables", map[string]string{
		"Comuni": "comuni", "States": "states", "CertificateTypes": "certificate_types", "BolloExemptions": "bollo_exemptions",
		"Relationships": "relationships", "CivilStatus": "civil_status", "CitizenshipTypes": "citizenship_types",
		"NonCertifiability": "non_certifiability",
	}, map[string]*Shape{
		"comuni": newShape("reference comune", with(v2RefValidity, map[string]string{
			"Code": "code", "Istat": "istat", "Name": "name", "AltName": "alt_name", "Province": "province", "Active": "active",
		}), nil),
		"states": newShape("reference state", with(v2RefValidity, map[string]string{
			"Code": "code", "Name": "name", "NameEN": "name_en", "ISO3": "iso3", "Istat": "istat", "Citizenship": "citizenship",
			"Birth": "birth", "Residence": "residence",
		}), nil),
		"certificate_types": v2RefEntry, "bollo_exemptions": v2RefEntry, "relationships": v2RefEntry, "civil_status": v2RefEntry,
		"citizenship_types": v2RefEntry, "non_certifiability": v2RefEntry,
	})
	V2Change = newShape("change", nil, map[string]*Shape{"citizen": V2Citizen, "operator": V2Operator, "record": v2Record,
		"reference": v2Reference})
	v2Op = &Shape{name: "operation", kinds: v2Data}
)

// The bodies of the protocol whose keys changed, for UpgradeV2, DowngradeV2
// and CheckV3. A body not listed here is the same in both protocols.
var (
	V2PushRequest   = newShape("push", nil, map[string]*Shape{"ops": v2Op})
	V2Changes       = newShape("changes", nil, map[string]*Shape{"changes": V2Change})
	V2Snapshot      = newShape("snapshot", nil, map[string]*Shape{"citizens": V2Citizen, "operators": V2Operator, "records": V2Change})
	V2Search        = newShape("search", nil, map[string]*Shape{"citizens": V2Citizen})
	V2CitizenAnswer = newShape("citizen answer", nil, map[string]*Shape{"citizen": V2Citizen, "family": V2Citizen})
	V2Family        = newShape("family", nil, map[string]*Shape{"members": V2Citizen})
	V2Position      = newShape("position answer", map[string]string{
		"comune_nome": "comune_name", "posizione": "position", "ente_creditore": "payee",
	}, map[string]*Shape{"position": v2Position, "payee": v2Payee})
)

// with is the union of two tables of keys.
func with(a, b map[string]string) map[string]string {
	out := maps.Clone(a)
	maps.Copy(out, b)
	return out
}

// V2Data is the shape of the data of a record or fact of kind, nil when its
// keys did not change.
func V2Data(kind string) *Shape { return v2Data[kind] }

// V2Answer is the shape of the hub's answer to a fact of kind, nil when
// its keys did not change.
func V2Answer(kind string) *Shape { return v2Answers[kind] }

type direction int

const (
	upgrade   direction = iota // protocol 2 → 3
	downgrade                  // protocol 3 → 2
	check                      // protocol 3: refuse a key of protocol 2
)

// UpgradeV2 rewrites a body of protocol 2 of shape s into protocol 3; a nil
// shape leaves it as it is. Key order and values are kept byte for byte.
func UpgradeV2(s *Shape, body []byte) ([]byte, error) { return s.rewrite(body, upgrade, "") }

// DowngradeV2 rewrites a body of protocol 3 of shape s into protocol 2, as
// a workstation of protocol 2 (or a signature made by one) expects it.
func DowngradeV2(s *Shape, body []byte) ([]byte, error) { return s.rewrite(body, downgrade, "") }

// CheckV3 refuses a body of protocol 3 of shape s that carries a key of
// protocol 2, naming it and its new spelling (EINVALID).
func CheckV3(s *Shape, body []byte) error {
	_, err := s.rewrite(body, check, "")
	return err
}

type pair struct {
	key string
	val json.RawMessage
}

// rewrite walks one value of shape s; kind is that of the nearest
// operation or change around it.
func (s *Shape) rewrite(raw []byte, d direction, kind string) ([]byte, error) {
	if s == nil {
		return raw, nil
	}
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) > 0 && raw[0] == '[':
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, app.Errorf(app.EINVALID, "%s non leggibile: %v", s.name, err)
		}
		var b bytes.Buffer
		b.WriteByte('[')
		for i, it := range items {
			out, err := s.rewrite(it, d, kind)
			if err != nil {
				return nil, err
			}
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(out)
		}
		b.WriteByte(']')
		return b.Bytes(), nil
	case len(raw) > 0 && raw[0] == '{':
	default:
		return raw, nil // null, or a value where an object was expected: the decoder says what is wrong
	}
	pairs, err := objectPairs(raw)
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "%s non leggibile: %v", s.name, err)
	}
	for _, p := range pairs {
		if p.key == "kind" {
			_ = json.Unmarshal(p.val, &kind)
		}
	}
	seen := map[string]bool{}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range pairs {
		key := p.key
		switch d {
		case upgrade:
			if k3, ok := s.keys[key]; ok {
				key = k3
			}
		case downgrade:
			if k2, ok := s.inv[key]; ok {
				key = k2
			}
		case check:
			if k3, ok := s.keys[key]; ok {
				if _, alsoNew := s.inv[key]; !alsoNew {
					return nil, app.Errorf(app.EINVALID, "chiave %q della versione 2 del protocollo in %s: dalla versione 3 è %q", key, s.name, k3)
				}
			}
		}
		if seen[key] {
			return nil, app.Errorf(app.EINVALID, "%s con la chiave %q due volte", s.name, key)
		}
		seen[key] = true
		k3 := p.key
		if d == upgrade {
			k3 = key
		}
		child := s.sub[k3]
		if k3 == "data" && s.kinds != nil {
			child = s.kinds[kind]
		}
		val, err := child.rewrite(p.val, d, kind)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(key)
		b.Write(kb)
		b.WriteByte(':')
		b.Write(val)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// objectPairs reads the members of a JSON object in their order.
func objectPairs(raw []byte) ([]pair, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	var pairs []pair
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, ok := t.(string)
		if !ok {
			return nil, errors.New("chiave non testuale")
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		pairs = append(pairs, pair{key, v})
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("dati oltre la fine del JSON")
	}
	return pairs, nil
}

// V2Keys lists every key of protocol 2 with its protocol 3 spelling, per
// shape, sorted: what docs/VOCABULARY.md's table of renamed keys shows and
// what the stores' migrations apply.
func V2Keys() map[string][][2]string {
	out := map[string][][2]string{}
	var walk func(s *Shape)
	seen := map[*Shape]bool{}
	walk = func(s *Shape) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		for _, k2 := range slices.Sorted(maps.Keys(s.keys)) {
			out[s.name] = append(out[s.name], [2]string{k2, s.keys[k2]})
		}
		for _, c := range s.sub {
			walk(c)
		}
		for _, c := range s.kinds {
			walk(c)
		}
	}
	for _, s := range []*Shape{V2PushRequest, V2Changes, V2Snapshot, V2Search, V2CitizenAnswer, V2Family, V2Position} {
		walk(s)
	}
	for _, s := range v2Answers {
		walk(s)
	}
	return out
}
