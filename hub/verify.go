package hub

import (
	"context"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/hub/storage"
)

// The verification page (/verifica) is where the QR code of a printed
// certificate leads: anyone, with a phone and no account, checks the stamp
// (contrassegno elettronico, CAD art. 23-ter c. 5; AgID circolare 62/2013)
// against the network's root key and the hub's revocations, and reads what
// it certifies. /v1/verify answers the same in JSON, for scripts.

// maxStampInput bounds the text one verification reads, in bytes: the
// longest stamp is under the certificate package's 4096 characters, and
// the QR code's URL, with the hub's address and the white space a paste
// brings along, under this. A longer text is a refused request, not a
// verdict.
const maxStampInput = 8 << 10

// maxVerifyForm bounds the body of the paste form: the text, percent-encoded
// (a URL's ":/?=" take three bytes each), and the language.
const maxVerifyForm = 4 * maxStampInput

// verification is the outcome of checking one stamp, as the page and the
// JSON answer show it.
type verification struct {
	Valid   bool
	Reason  certificate.Reason // "" when valid
	Message string             // the Italian reason of a failure
	// Facts are those certified, for a valid or an expired stamp only: of
	// anything else nothing is known to be true.
	Facts      *certificate.Facts
	ComuneName string // "" when the comune is not in this network
	Exemption  string // the ANPR description of Facts.ExemptionID
	// Received is the hub's record of the certificate, nil when no
	// workstation has delivered it yet (issued offline, not yet synced).
	// Its stamp differs from the one shown when the workstation signed two
	// certificates under one number: a stolen key, which the stamp alone
	// cannot reveal.
	Received *storage.IssuedCertificate
	Twin     bool
}

// verify checks a stamp, bare or as the QR code's URL. A stamp that does
// not verify is a verification, not an error; the error is the hub's own
// failure (its database), for which no verdict can be given.
func (s *server) verify(ctx context.Context, text string) (*verification, error) {
	root, err := s.db.RootPublicKey(ctx)
	if err != nil {
		return nil, err
	}
	var lookupErr error
	revoked := func(device string) (time.Time, bool) {
		at, ok, err := s.db.DeviceRevokedAt(ctx, device)
		if err != nil {
			lookupErr = err
		}
		return at, ok
	}
	f, err := certificate.Verify(text, root, revoked, s.now())
	if lookupErr != nil {
		// Without the revocations, "valid" could be a lie.
		return nil, lookupErr
	}
	v := &verification{Facts: f, Valid: err == nil, Reason: certificate.ReasonOf(err)}
	if err != nil {
		if v.Reason == "" {
			return nil, fmt.Errorf("verify stamp: %w", err)
		}
		v.Message = app.ErrorMessage(err)
	}
	if f == nil {
		return v, nil
	}
	c, err := s.db.Comune(ctx, f.Comune)
	switch {
	case err == nil:
		v.ComuneName = c.Name
	case app.ErrorCode(err) != app.ENOTFOUND:
		return nil, err
	}
	rec, err := s.db.IssuedCertificate(ctx, f.Number.String())
	switch {
	case err == nil:
		v.Received = rec
		_, shown, _ := strings.Cut(text, "?c=")
		if shown == "" {
			shown = text
		}
		_, kept, _ := strings.Cut(rec.Stamp, "?c=")
		if kept == "" {
			kept = rec.Stamp
		}
		v.Twin = strings.TrimSpace(shown) != kept
	case app.ErrorCode(err) != app.ENOTFOUND:
		return nil, err
	}
	if v.Valid || v.Reason == certificate.Expired {
		if err := s.distrust(ctx, v); err != nil {
			return nil, err
		}
		if v.Facts == nil {
			return v, nil
		}
	}
	if f.ExemptionID != 0 {
		refs, err := s.db.Reference(ctx)
		if err != nil {
			return nil, err
		}
		v.Exemption = exemptionName(refs, f.ExemptionID, f.IssuedAt)
	}
	return v, nil
}

// Reasons the hub adds to the stamp's own: what its register and its
// anagrafe know and the stamp alone cannot tell.
const (
	// reasonUnregistered: signed by a workstation revoked since, and never
	// delivered to the hub. A revoked workstation never syncs again, so
	// nothing but its stolen key can have made it: its date is the
	// signer's word.
	reasonUnregistered certificate.Reason = "revoked_unregistered"
	// reasonMismatch: the hub received it and its certified facts
	// contradict the anagrafe where they could not have changed.
	reasonMismatch certificate.Reason = "mismatch"
)

// distrust turns a stamp that verifies into NON VALIDO when the hub knows
// better: a revoked workstation's certificate missing from the register,
// or one recorded with facts the anagrafe contradicts. Of such a stamp
// nothing is known to be true, so its facts are not shown.
func (s *server) distrust(ctx context.Context, v *verification) error {
	f := v.Facts
	if v.Received != nil {
		if v.Received.Mismatch {
			v.Valid, v.Reason, v.Message, v.Facts = false, reasonMismatch, storage.FlagMismatch, nil
		}
		return nil
	}
	at, revoked, err := s.db.DeviceRevokedAt(ctx, f.Number.DeviceID())
	if err != nil {
		return err
	}
	if revoked {
		v.Valid, v.Reason, v.Facts = false, reasonUnregistered, nil
		v.Message = fmt.Sprintf("la postazione %s è stata revocata il %s e l'hub non ha mai ricevuto il certificato %s: la data di rilascio è solo la parola della chiave revocata",
			f.Number.DeviceID(), at.In(app.Rome).Format("02/01/2006 15:04"), f.Number)
	}
	return nil
}

// exemptionName is the description of an ANPR bollo exemption as it read
// when the certificate was issued.
func exemptionName(t *anpr.Tables, id int, on time.Time) string {
	name := ""
	for _, e := range t.Entries(anpr.TableBolloExemptions) {
		if e.ID != id {
			continue
		}
		name = e.Description
		if (e.ValidFrom.IsZero() || !on.Before(e.ValidFrom)) && (e.ValidTo.IsZero() || on.Before(e.ValidTo.AddDate(0, 0, 1))) {
			break
		}
	}
	return name
}

// stampParam reads the text to verify, from the query or the paste form,
// and the page's language; EINVALID for a request that is too large or
// not decodable.
func stampParam(w http.ResponseWriter, r *http.Request) (text, lang string, err error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxVerifyForm)
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return "", "", app.Errorf(app.EINVALID, "richiesta troppo grande (massimo %d byte)", maxVerifyForm)
		}
		return "", "", app.Errorf(app.EINVALID, "richiesta non leggibile: caratteri codificati male nel testo")
	}
	lang = r.Form.Get("lang")
	text = r.Form.Get("c")
	if len(text) > maxStampInput {
		return "", lang, app.Errorf(app.EINVALID, "testo troppo lungo per un contrassegno (massimo %d caratteri)", maxStampInput)
	}
	return text, lang, nil
}

// handleVerifyPage serves the verification page: the paste form alone, or
// with the verdict on the stamp of the query (the QR code's link) or of the
// form. Every verdict is a 200: the page is the answer either way.
func (s *server) handleVerifyPage(w http.ResponseWriter, r *http.Request) {
	text, lang, err := stampParam(w, r)
	p := newPageView(lang, text)
	if err != nil {
		p.Problem = app.ErrorMessage(err)
		s.writePage(w, r, http.StatusBadRequest, p)
		return
	}
	if p.Input == "" {
		s.writePage(w, r, http.StatusOK, p)
		return
	}
	v, err := s.verify(r.Context(), text)
	if err != nil {
		s.log.Error("verify stamp", "err", err)
		p.Problem = p.T.Unavailable
		s.writePage(w, r, http.StatusInternalServerError, p)
		return
	}
	p.show(v)
	s.writePage(w, r, http.StatusOK, p)
}

func (s *server) writePage(w http.ResponseWriter, r *http.Request, status int, v *pageView) {
	p := s.newPublicPage(r, v.T.Title, "")
	if v.T.Lang == "en" {
		p.T = &publicEnglish
	} else {
		p.T = &publicItalian
	}
	// The page's own switch keeps the stamp, also one that was posted.
	p.Switch = v.Switch
	p.Crumbs = []crumb{{p.T.Network, p.Link("/")}}
	p.NoIndex = true
	p.Data = v
	// The address holds the holder's name and codice fiscale: no-store,
	// no referrer (renderPublic).
	s.renderPublic(w, status, "verify", p)
}

// pageView is what the page template shows.
type pageView struct {
	T      *words
	Switch string // the same page in the other language
	// Input is the text to verify, trimmed; the form shows it again only
	// when it could not be read, for the person to correct the paste.
	Input     string
	FormInput string
	Problem   string // a request the page could not serve
	Checked   bool
	Verdict   string // "valid", "invalid" or "expired", the page's colour
	Headline  string // VALIDO, NON VALIDO, SCADUTO
	Summary   string
	Message   string // Verify's reason, in Italian
	Facts     []fact
	Digest    string
}

type fact struct{ Label, Value string }

func newPageView(lang, text string) *pageView {
	p := &pageView{T: &italian, Input: strings.TrimSpace(text)}
	other := "en"
	if lang == "en" {
		p.T, other = &english, "it"
	}
	q := url.Values{"lang": {other}}
	if p.Input != "" {
		q.Set("c", p.Input)
	}
	p.Switch = "/verifica?" + q.Encode()
	return p
}

// show puts a verification on the page.
func (p *pageView) show(v *verification) {
	t := p.T
	p.Checked = true
	p.Message = v.Message
	switch {
	case v.Valid:
		p.Verdict, p.Headline, p.Summary, p.Message = "valid", t.Valid, t.ValidSummary, ""
	case v.Reason == certificate.Expired:
		p.Verdict, p.Headline, p.Summary = "expired", t.Expired, t.ExpiredSummary
	default:
		p.Verdict, p.Headline, p.Summary = "invalid", t.Invalid, t.Reasons[v.Reason]
		if p.Summary == "" {
			p.Summary = t.Reasons[certificate.Forged]
		}
	}
	if v.Reason == certificate.Malformed {
		p.FormInput = p.Input
	}
	f := v.Facts
	if f == nil {
		return
	}
	typ := strconv.Itoa(f.Type)
	if ty, ok := certificate.TypeByID(f.Type); ok {
		typ = ty.Title
	}
	comune := f.Comune
	if v.ComuneName != "" {
		comune = v.ComuneName + " (" + f.Comune + ")"
	}
	issue := t.Online
	switch {
	case f.Offline:
		issue = t.Offline
	case v.Received == nil:
		// Only the workstation says so until the hub has compared the
		// facts with its anagrafe.
		issue = t.OnlineClaimed
	}
	validUntil := t.NoExpiry
	if u := f.ValidUntil(); !u.IsZero() {
		validUntil = u.Format("02/01/2006")
	}
	p.Facts = []fact{
		{t.Number, f.Number.String()},
		{t.Type, typ},
		{t.Comune, comune},
		{t.Surname, f.Surname},
		{t.GivenName, f.GivenName},
		{t.CodiceFiscale, f.CodiceFiscale},
		{t.BirthDate, f.BirthDate.Format("02/01/2006")},
		{t.IssuedAt, f.IssuedAt.In(app.Rome).Format("02/01/2006 15:04:05")},
		{t.AsOf, f.AsOf.In(app.Rome).Format("02/01/2006 15:04:05")},
		{t.Issue, issue},
		{t.Bollo, bolloText(t, f, v.Exemption)},
		{t.ValidUntil, validUntil},
		{t.Received, received(t, v)},
	}
	p.Digest = hex.EncodeToString(f.Digest[:])
}

// received says what the hub knows of the certificate beyond its stamp.
func received(t *words, v *verification) string {
	switch r := v.Received; {
	case r == nil:
		return t.NotReceived
	case v.Twin:
		return t.Twin
	case r.Flag != "":
		return fmt.Sprintf(t.ReceivedOn, r.ReceivedAt.In(app.Rome).Format("02/01/2006 15:04")) + " — " + t.Flagged
	default:
		return fmt.Sprintf(t.ReceivedOn, r.ReceivedAt.In(app.Rome).Format("02/01/2006 15:04"))
	}
}

func bolloText(t *words, f *certificate.Facts, exemption string) string {
	switch {
	case f.Marca != "":
		return fmt.Sprintf(t.Marca, f.Marca)
	case f.ExemptionID != 0 && exemption != "":
		return fmt.Sprintf(t.Exempt, exemption, f.ExemptionID)
	case f.ExemptionID != 0:
		return fmt.Sprintf(t.ExemptCode, f.ExemptionID)
	}
	return t.StatoCivile
}

// handleVerifyJSON answers /v1/verify?c=… with the verdict and, for a
// valid or expired stamp, the certified facts.
func (s *server) handleVerifyJSON(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	text, _, err := stampParam(w, r)
	if err == nil && strings.TrimSpace(text) == "" {
		err = app.Errorf(app.EINVALID, "parametro c mancante: il testo del contrassegno o l'indirizzo del QR code")
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	v, err := s.verify(r.Context(), text)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, verifyToJSON(v))
}

// verifyResponse is the JSON of /v1/verify.
type verifyResponse struct {
	Valid   bool        `json:"valid"`
	Reason  string      `json:"reason,omitempty"`  // certificate.Reason
	Message string      `json:"message,omitempty"` // in Italian
	Facts   *stampFacts `json:"facts,omitempty"`
}

// stampFacts are the certified facts in JSON: dates as YYYY-MM-DD, times
// in RFC 3339.
type stampFacts struct {
	Number        string `json:"number"`
	Type          int    `json:"type"`
	TypeTitle     string `json:"type_title,omitempty"`
	Comune        string `json:"comune"`
	ComuneName    string `json:"comune_name,omitempty"`
	CodiceFiscale string `json:"codice_fiscale"`
	Surname       string `json:"surname"`
	GivenName     string `json:"given_name"`
	BirthDate     string `json:"birth_date"`
	IssuedAt      string `json:"issued_at"`
	AsOf          string `json:"as_of"`
	Offline       bool   `json:"offline"`
	Marca         string `json:"marca,omitempty"`
	ExemptionID   int    `json:"exemption_id,omitempty"`
	Exemption     string `json:"exemption,omitempty"`
	ValidUntil    string `json:"valid_until,omitempty"` // absent: without limit
	Digest        string `json:"digest"`                // SHA-256 of the certified text, hex
}

func verifyToJSON(v *verification) verifyResponse {
	res := verifyResponse{Valid: v.Valid, Reason: string(v.Reason), Message: v.Message}
	f := v.Facts
	if f == nil {
		return res
	}
	ty, _ := certificate.TypeByID(f.Type)
	res.Facts = &stampFacts{
		Number: f.Number.String(), Type: f.Type, TypeTitle: ty.Title, Comune: f.Comune, ComuneName: v.ComuneName,
		CodiceFiscale: f.CodiceFiscale, Surname: f.Surname, GivenName: f.GivenName,
		BirthDate: f.BirthDate.Format(time.DateOnly), IssuedAt: f.IssuedAt.Format(time.RFC3339), AsOf: f.AsOf.Format(time.RFC3339),
		Offline: f.Offline, Marca: f.Marca, ExemptionID: f.ExemptionID, Exemption: v.Exemption,
		Digest: hex.EncodeToString(f.Digest[:]),
	}
	if u := f.ValidUntil(); !u.IsZero() {
		res.Facts.ValidUntil = u.Format(time.DateOnly)
	}
	return res
}

// words are the page's texts in one language.
type words struct {
	Lang, OtherLanguage, Title, Subtitle, Intro, PasteLabel, Submit, Another string
	Valid, Invalid, Expired                                                  string
	ValidSummary, ExpiredSummary                                             string
	Reasons                                                                  map[certificate.Reason]string
	Detail, Certified, DigestLabel, DigestNote, Unavailable, Legal           string

	Number, Type, Comune, Surname, GivenName, CodiceFiscale, BirthDate       string
	IssuedAt, AsOf, Issue, Online, OnlineClaimed, Offline, Bollo, ValidUntil string
	Marca, Exempt, ExemptCode, StatoCivile, NoExpiry                         string
	Received, ReceivedOn, NotReceived, Twin, Flagged                         string
}

var italian = words{
	Lang:           "it",
	OtherLanguage:  "English",
	Title:          "Verifica del contrassegno",
	Subtitle:       "Certificati anagrafici rilasciati con Sportello",
	Intro:          "Inquadrate il QR code stampato sul certificato con la fotocamera del telefono, oppure incollate qui il testo del QR code (l'indirizzo o il contrassegno che inizia con SPT1).",
	PasteLabel:     "Testo del QR code",
	Submit:         "Verifica",
	Another:        "Verifica un altro contrassegno",
	Valid:          "VALIDO",
	Invalid:        "NON VALIDO",
	Expired:        "SCADUTO",
	ValidSummary:   "Il contrassegno è autentico: il certificato è stato rilasciato con i dati qui sotto. Controllate che il documento che avete davanti riporti gli stessi dati.",
	ExpiredSummary: "Il contrassegno è autentico, ma il certificato non è più valido. I dati qui sotto sono quelli certificati al momento del rilascio.",
	Reasons: map[certificate.Reason]string{
		certificate.Malformed: "Il testo non è un contrassegno leggibile.",
		certificate.Forged:    "Il contrassegno è stato alterato o contraffatto: il documento non è un certificato valido.",
		certificate.Untrusted: "Il contrassegno non è firmato da una postazione certificata dalla rete: il documento non è un certificato valido.",
		certificate.Revoked:   "La postazione che lo ha firmato era già stata revocata: il documento non è un certificato valido.",
		reasonUnregistered:    "La postazione che lo ha firmato è stata revocata e l'hub non ha mai ricevuto questo certificato: non si può accertare che sia stato rilasciato prima della revoca. Il documento non è un certificato valido.",
		reasonMismatch:        "I dati certificati non corrispondono all'anagrafe del comune: il documento non è un certificato valido. Rivolgersi al comune.",
	},
	Detail:        "Motivo",
	Certified:     "Dati certificati",
	DigestLabel:   "Impronta del testo certificato (SHA-256)",
	DigestNote:    "Il testo certificato, incorporato nel PDF del certificato, deve avere esattamente questa impronta: se è diversa, il documento è stato modificato dopo il rilascio.",
	Unavailable:   "La verifica non è disponibile in questo momento: riprovate più tardi.",
	Legal:         "Contrassegno elettronico ai sensi dell'art. 23-ter, comma 5, del Codice dell'amministrazione digitale (D.Lgs. 82/2005) e della circolare AgID n. 62/2013.",
	Number:        "Numero del certificato",
	Type:          "Tipo",
	Comune:        "Comune",
	Surname:       "Cognome",
	GivenName:     "Nome",
	CodiceFiscale: "Codice fiscale",
	BirthDate:     "Data di nascita",
	IssuedAt:      "Rilasciato il",
	AsOf:          "Dati aggiornati al",
	Issue:         "Modalità di rilascio",
	Online:        "in linea, con i dati dell'hub",
	OnlineClaimed: "in linea, con i dati dell'hub, secondo la postazione (l'hub non lo ha ancora ricevuto e confrontato con l'anagrafe)",
	Offline:       "fuori linea, con la copia locale della postazione",
	Bollo:         "Bollo",
	ValidUntil:    "Valido fino al",
	Marca:         "marca da bollo n. %s",
	Exempt:        "esente: %s (codice ANPR %d)",
	ExemptCode:    "esente (codice ANPR %d)",
	StatoCivile:   "esente: " + certificate.StatoCivileExemption,
	NoExpiry:      "senza scadenza (art. 41 DPR 445/2000)",
	Received:      "Registro dell'hub",
	ReceivedOn:    "ricevuto dalla postazione il %s",
	NotReceived:   "non ancora ricevuto: la postazione, che è in servizio, lo invierà alla prossima sincronizzazione",
	Twin:          "ATTENZIONE: l'hub ha ricevuto un altro certificato con lo stesso numero; rivolgersi al comune",
	Flagged:       "segnalato all'ufficio: i dati anagrafici sono cambiati dopo quelli del certificato",
}

var english = words{
	Lang:           "en",
	OtherLanguage:  "Italiano",
	Title:          "Stamp verification",
	Subtitle:       "Registry certificates issued with Sportello",
	Intro:          "Scan the QR code printed on the certificate with your phone's camera, or paste the QR code's text here (the address, or the stamp starting with SPT1).",
	PasteLabel:     "Text of the QR code",
	Submit:         "Verify",
	Another:        "Verify another stamp",
	Valid:          "VALID",
	Invalid:        "NOT VALID",
	Expired:        "EXPIRED",
	ValidSummary:   "The stamp is authentic: the certificate was issued with the data below. Check that the document in front of you shows the same data.",
	ExpiredSummary: "The stamp is authentic, but the certificate is no longer valid. The data below are those certified when it was issued.",
	Reasons: map[certificate.Reason]string{
		certificate.Malformed: "The text is not a readable stamp.",
		certificate.Forged:    "The stamp was altered or forged: the document is not a valid certificate.",
		certificate.Untrusted: "The stamp is not signed by a workstation the network certified: the document is not a valid certificate.",
		certificate.Revoked:   "The workstation that signed it had already been revoked: the document is not a valid certificate.",
		reasonUnregistered:    "The workstation that signed it has been revoked and the hub never received this certificate: there is no telling that it was issued before the revocation. The document is not a valid certificate.",
		reasonMismatch:        "The certified data do not match the comune's registry: the document is not a valid certificate. Please contact the comune.",
	},
	Detail:        "Reason (in Italian)",
	Certified:     "Certified data",
	DigestLabel:   "Digest of the certified text (SHA-256)",
	DigestNote:    "The certified text embedded in the certificate's PDF must have exactly this digest: if it differs, the document was changed after it was issued.",
	Unavailable:   "Verification is not available right now: please try again later.",
	Legal:         "Electronic stamp under art. 23-ter(5) of the Italian Digital Administration Code (Legislative Decree 82/2005) and AgID circular 62/2013.",
	Number:        "Certificate number",
	Type:          "Type",
	Comune:        "Comune",
	Surname:       "Surname",
	GivenName:     "Given name",
	CodiceFiscale: "Codice fiscale",
	BirthDate:     "Date of birth",
	IssuedAt:      "Issued on",
	AsOf:          "Data as of",
	Issue:         "Issued",
	Online:        "online, with the hub's data",
	OnlineClaimed: "online, with the hub's data, as the workstation says (the hub has not yet received it and compared it with the registry)",
	Offline:       "offline, with the workstation's local copy",
	Bollo:         "Stamp duty",
	ValidUntil:    "Valid until",
	Marca:         "marca da bollo no. %s",
	Exempt:        "exempt: %s (ANPR code %d)",
	ExemptCode:    "exempt (ANPR code %d)",
	StatoCivile:   "exempt: " + certificate.StatoCivileExemption,
	NoExpiry:      "no expiry (art. 41 DPR 445/2000)",
	Received:      "Hub's register",
	ReceivedOn:    "received from the workstation on %s",
	NotReceived:   "not received yet: the workstation, which is in service, will send it at its next sync",
	Twin:          "WARNING: the hub received another certificate under the same number; please contact the comune",
	Flagged:       "flagged to the office: the registry data changed after the certificate's",
}
