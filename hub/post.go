package hub

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/app/request"
)

// The page "certificato per posta" (GET/POST PostPagePath): a citizen of
// a comune without its own portal asks for an anagrafe certificate to be
// mailed home. The request is made at the hub, which gives it its
// protocol number at once, and reaches the comune's back office like one
// taken at a counter; the page shows the number and the address that
// follows it (FollowPath). The form is protected against cross-site
// posting by a token bound to a cookie, and each address may post a few
// times only (postLimiter).

// PostPagePath is the path of a comune's page, {code} its Belfiore code.
const PostPagePath = "/comuni/{code}/" + request.PostService

// maxPostForm bounds the body of the form: a few short fields.
const maxPostForm = 16 << 10

// postLimiter lets one address (IP) post a burst of 5 requests, then one
// every 10 minutes: a household asks for a few certificates, a script
// filling the back office's queue is stopped.
func newPostLimiter() *rateLimiter {
	return newRateLimiter(5, 10*time.Minute, "troppe richieste di certificati per posta da questo indirizzo")
}

// postCSRFCookie holds the nonce the form's token is bound to.
const postCSRFCookie = "sportello_post"

// csrfTTL is how long a form may stay open before it is posted.
const csrfTTL = 2 * time.Hour

// postView is what the template shows.
type postView struct {
	Code       string
	T          *postWords
	Lang       string
	Action     string
	ComuneName string
	Token      string
	V          request.Values
	Types      []request.Option
	Exemptions []anpr.Entry
	Problem    string
	Done       *request.Request
	FollowURL  string
}

func (s *server) handlePostPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	code := strings.ToUpper(r.PathValue("code"))
	lang := r.URL.Query().Get("lang")
	t := &postItalian
	if lang == "en" {
		t = &postEnglish
	} else {
		lang = "it"
	}
	p := &postView{Code: code, T: t, Lang: lang, V: request.Values{},
		Action: "/comuni/" + code + "/" + request.PostService + "?lang=" + lang}
	com, err := s.db.Comune(ctx, code)
	if err != nil || !app.ValidBelfiore(code) {
		p.Problem = t.NoComune
		s.writePostPage(w, r, http.StatusNotFound, p)
		return
	}
	p.ComuneName = app.PlaceTitle(com.Name)
	svc, err := s.postService(ctx, code)
	if err != nil {
		if app.ErrorCode(err) != app.ENOTFOUND {
			s.log.Error("post page", "err", err)
			http.Error(w, "errore interno", http.StatusInternalServerError)
			return
		}
		p.Problem = t.NoService
		s.writePostPage(w, r, http.StatusNotFound, p)
		return
	}
	if f, ok := svc.Field(request.PostFieldType); ok {
		p.Types = f.Options
		if lang == "en" {
			p.Types = englishTypes(f.Options)
		}
	}
	if refs, err := s.db.Reference(ctx); err == nil {
		p.Exemptions = anpr.NewIndex(refs).Entries(anpr.TableBolloExemptions, s.now())
	}
	key, err := s.csrfKey(ctx)
	if err != nil {
		s.log.Error("post page key", "err", err)
		http.Error(w, "errore interno", http.StatusInternalServerError)
		return
	}
	nonce := ""
	if c, err := r.Cookie(postCSRFCookie); err == nil && len(c.Value) == 32 {
		nonce = c.Value
	}
	if r.Method == http.MethodPost {
		status := s.postRequest(w, r, p, key, nonce, code)
		if p.Done != nil {
			s.writePostPage(w, r, http.StatusOK, p)
			return
		}
		nonce = s.newNonce(w, code)
		p.Token = csrfToken(key, nonce, code, s.now())
		s.writePostPage(w, r, status, p)
		return
	}
	if nonce == "" {
		nonce = s.newNonce(w, code)
	}
	p.Token = csrfToken(key, nonce, code, s.now())
	s.writePostPage(w, r, http.StatusOK, p)
}

// postRequest reads and submits the form; it fills p.Done, or p.Problem
// with the status to answer.
func (s *server) postRequest(w http.ResponseWriter, r *http.Request, p *postView, key []byte, nonce, code string) int {
	t := p.T
	r.Body = http.MaxBytesReader(w, r.Body, maxPostForm)
	if err := r.ParseForm(); err != nil {
		p.Problem = t.Unreadable
		return http.StatusBadRequest
	}
	for _, f := range postFormFields {
		if v := strings.TrimSpace(r.PostForm.Get(f)); v != "" {
			p.V[f] = v
		}
	}
	if nonce == "" || !csrfValid(key, nonce, code, r.PostForm.Get("token"), s.now()) {
		p.Problem = t.Expired
		return http.StatusForbidden
	}
	if err := s.posts.take(clientIP(r), s.now()); err != nil {
		p.Problem = t.TooMany
		return http.StatusTooManyRequests
	}
	if p.V["privacy"] != "" {
		p.V["privacy"] = "sì"
	}
	cf := strings.ToUpper(p.V["codice_fiscale"])
	// The request's id comes from the form's token: the same form posted
	// twice (a double click, a resent page) is one request.
	id := tokenRequestID(key, r.PostForm.Get("token"))
	if prev, err := s.db.HubRequest(r.Context(), code, id); err == nil {
		p.Done, p.FollowURL = prev, s.followLink(prev)
		return http.StatusOK
	}
	req := &request.Request{ID: id, Comune: code, Service: request.PostService, CodiceFiscale: cf,
		ApplicantName: strings.TrimSpace(p.V["cognome"] + " " + p.V["nome"]), Values: p.V, FollowCode: request.NewFollowCode()}
	if len(cf) != 16 {
		p.Problem = t.Refused + ": codice fiscale"
		return http.StatusUnprocessableEntity
	}
	if err := s.db.SubmitWebRequest(r.Context(), req); err != nil {
		if app.ErrorCode(err) == app.EINTERNAL {
			s.log.Error("post request", "err", err)
			p.Problem = t.Internal
			return http.StatusInternalServerError
		}
		p.Problem = t.Refused + ": " + app.ErrorMessage(err)
		if app.ErrorCode(err) == app.EPENDING {
			return http.StatusServiceUnavailable // numbering held after a restore: later
		}
		return http.StatusUnprocessableEntity
	}
	p.Done, p.FollowURL = req, s.followLink(req)
	return http.StatusOK
}

// followLink is the address of the follow page of r.
func (s *server) followLink(r *request.Request) string {
	if u := request.FollowURL(s.db.PublicURL, r); u != "" {
		return u
	}
	// A hub without its public address: this one's path.
	return FollowPath + "?" + url.Values{"id": {r.ID}, "k": {r.FollowCode}}.Encode()
}

// tokenRequestID is the id (a version 4 UUID's shape) of the request
// made with a form's token.
func tokenRequestID(key []byte, token string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("request id|" + token))
	return request.IDFrom(m.Sum(nil))
}

// postFormFields are the fields the page takes: the service's form.
var postFormFields = []string{"cognome", "nome", "codice_fiscale", request.PostFieldType, request.PostFieldUse, request.PostFieldBollo,
	request.PostFieldExemption, request.PostFieldRecipient, request.PostFieldStreet, request.PostFieldCAP, request.PostFieldComune,
	request.PostFieldProvincia, "email", "cellulare", "privacy"}

// postService is the service of the certificate by post as the network's
// catalogue has it, when comune offers it; ENOTFOUND otherwise.
func (s *server) postService(ctx context.Context, comune string) (*request.Service, error) {
	enabled, err := s.db.EnabledServices(ctx, comune)
	if err != nil {
		return nil, err
	}
	on := false
	for _, id := range enabled {
		on = on || id == request.PostService
	}
	if !on {
		return nil, app.Errorf(app.ENOTFOUND, "servizio non offerto")
	}
	cat, err := s.db.Catalogue(ctx)
	if err != nil {
		return nil, err
	}
	for i := range cat {
		if cat[i].ID == request.PostService {
			return &cat[i], nil
		}
	}
	return nil, app.Errorf(app.ENOTFOUND, "servizio non nel catalogo")
}

// writePostPage answers with the page in the public pages' layout.
func (s *server) writePostPage(w http.ResponseWriter, r *http.Request, status int, v *postView) {
	p := s.newPublicPage(r, v.T.Title, "servizi")
	p.Crumbs = []crumb{{p.T.Network, p.Link("/")}}
	if v.ComuneName != "" {
		p.Comune = &comuneView{Code: v.Code, Name: v.ComuneName}
		p.Crumbs = append(p.Crumbs, crumb{p.Comune.Name, p.Home()})
	}
	p.NoIndex = true
	p.Data = v
	s.renderPublic(w, status, "post", p)
}

// csrfKey is the key of the form tokens: derived from the network's root
// key, so that every hub process behind a load balancer makes and checks
// the same tokens, and never the root key itself.
func (s *server) csrfKey(ctx context.Context) ([]byte, error) {
	root, err := s.db.RootKey(ctx)
	if err != nil {
		return nil, err
	}
	m := hmac.New(sha256.New, root.Seed())
	m.Write([]byte("sportello public form token v1"))
	return m.Sum(nil), nil
}

// newNonce sets a fresh nonce cookie for the page of comune.
func (s *server) newNonce(w http.ResponseWriter, code string) string {
	var b [16]byte
	rand.Read(b[:])
	n := hex.EncodeToString(b[:])
	http.SetCookie(w, &http.Cookie{Name: postCSRFCookie, Value: n, Path: "/comuni/" + code + "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, MaxAge: int(csrfTTL / time.Second)})
	return n
}

// csrfToken binds the nonce of the browser's cookie to comune and the
// time the form was served: "unix seconds.mac".
func csrfToken(key []byte, nonce, comune string, at time.Time) string {
	ts := strconv.FormatInt(at.Unix(), 10)
	return ts + "." + csrfMAC(key, nonce, comune, ts)
}

func csrfMAC(key []byte, nonce, comune, ts string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(nonce + "|" + comune + "|" + ts))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// csrfValid reports whether token was made for nonce and comune less than
// csrfTTL before now.
func csrfValid(key []byte, nonce, comune, token string, now time.Time) bool {
	ts, mac, ok := strings.Cut(token, ".")
	if !ok {
		return false
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	age := now.Sub(time.Unix(sec, 0))
	if age < -time.Minute || age > csrfTTL {
		return false
	}
	return hmac.Equal([]byte(mac), []byte(csrfMAC(key, nonce, comune, ts)))
}

// englishTypes names the certificates in English for the page in English.
func englishTypes(opts []request.Option) []request.Option {
	names := map[string]string{
		"residenza": "Residence", "stato-di-famiglia": "Family status", "contestuale-residenza-stato-di-famiglia": "Residence and family status",
		"nascita": "Birth (registry)", "cittadinanza": "Citizenship", "esistenza-in-vita": "Proof of life", "stato-civile": "Marital status",
		"stato-libero": "Free to marry (stato libero)", "matrimonio": "Marriage (registry)", "residenza-storico": "Residence history",
	}
	out := make([]request.Option, len(opts))
	for i, o := range opts {
		out[i] = o
		if n, ok := names[o.ID]; ok {
			out[i].Label = n
		}
	}
	return out
}

// postWords are the page's texts in one language.
type postWords struct {
	Lang, Title, Intro                                                 string
	Person, Surname, Name, CF, Certificate, Type, Use, UseHelp         string
	Bollo, Marca, Exemption, ExemptionPick, Address, Recipient, Street string
	CAP, Comune, Provincia, Contacts, Email, Phone, Privacy, Send      string
	NoComune, NoService, Unreadable, Expired, TooMany, Refused         string
	Internal, DoneTitle, DoneNumber, DoneFollow, DoneKeep, Fees        string
}

var postItalian = postWords{
	Lang: "it", Title: "Certificato per posta",
	Intro:  "Chiedi un certificato anagrafico da ricevere a casa. L'ufficio anagrafe lo rilascia con il contrassegno elettronico e lo spedisce all'indirizzo indicato, con l'avviso pagoPA della spedizione, del bollo (16 euro, salvo esenzione di legge) e dei diritti di segreteria.",
	Person: "La persona del certificato", Surname: "Cognome", Name: "Nome", CF: "Codice fiscale",
	Certificate: "Il certificato", Type: "Certificato", Use: "Uso", UseHelp: "ad esempio: uso pensione. Non serve per una pubblica amministrazione, che lo acquisisce d'ufficio.",
	Bollo: "Bollo", Marca: "Con bollo da 16 euro, pagato con la spedizione", Exemption: "Esente per legge", ExemptionPick: "Esenzione (se esente)",
	Address: "Indirizzo di spedizione", Recipient: "Destinatario (come sul campanello)", Street: "Via e numero civico", CAP: "CAP",
	Comune: "Comune", Provincia: "Provincia (sigla)", Contacts: "Per gli avvisi (facoltativi)", Email: "Email", Phone: "Cellulare",
	Privacy: "Ho preso visione dell'informativa sul trattamento dei dati personali (Reg. UE 2016/679)", Send: "Invia la richiesta",
	NoComune: "Comune sconosciuto a questa rete.", NoService: "Il comune non offre il certificato per posta.",
	Unreadable: "Richiesta non leggibile.", Expired: "Il modulo è scaduto o non proviene da questa pagina: ricaricare la pagina e inviarlo di nuovo.",
	TooMany: "Troppe richieste da questo indirizzo: riprovare più tardi.", Refused: "Richiesta non accettata",
	Internal: "Errore del servizio: riprovare più tardi.", DoneTitle: "Richiesta ricevuta", DoneNumber: "Numero di protocollo",
	DoneFollow: "Segui la richiesta", DoneKeep: "Conserva questo indirizzo: è l'unico modo di seguire la richiesta senza credenziali.",
	Fees: "Costi: spedizione in posta ordinaria, bollo 16 euro (salvo esenzione), diritti di segreteria del comune; si pagano con l'avviso pagoPA allegato al certificato.",
}

var postEnglish = postWords{
	Lang: "en", Title: "Certificate by post",
	Intro:  "Ask for a registry certificate to be mailed to your home. The registry office issues it with its electronic stamp and posts it to the address you give, with the pagoPA notice for the postage, the stamp duty (16 euro, unless exempt by law) and the office fees.",
	Person: "The person of the certificate", Surname: "Surname", Name: "Given name", CF: "Codice fiscale (tax code)",
	Certificate: "The certificate", Type: "Certificate", Use: "Use", UseHelp: "for example: pension. A public administration does not need it: it checks the registry itself.",
	Bollo: "Stamp duty", Marca: "With the 16 euro stamp duty, paid with the postage", Exemption: "Exempt by law", ExemptionPick: "Exemption (if exempt)",
	Address: "Postal address", Recipient: "Recipient (as on the doorbell)", Street: "Street and number", CAP: "Postcode (CAP)",
	Comune: "Town", Provincia: "Province (two letters)", Contacts: "For notices (optional)", Email: "Email", Phone: "Mobile phone",
	Privacy: "I have read the privacy notice (EU Regulation 2016/679)", Send: "Send the request",
	NoComune: "Comune unknown to this network.", NoService: "The comune does not offer certificates by post.",
	Unreadable: "Unreadable request.", Expired: "The form has expired or does not come from this page: reload the page and send it again.",
	TooMany: "Too many requests from this address: try again later.", Refused: "Request not accepted",
	Internal: "Service error: try again later.", DoneTitle: "Request received", DoneNumber: "Protocol number",
	DoneFollow: "Follow the request", DoneKeep: "Keep this address: it is the only way to follow the request without credentials.",
	Fees: "Costs: ordinary postage, 16 euro stamp duty (unless exempt), the comune's office fees; paid with the pagoPA notice sent with the certificate.",
}
