package hub

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	_ "embed"
	"net/http"
	"net/url"
	"strings"

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
	words := publicLanguage(r)
	t, lang := &words.Post, words.Lang
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
	if r.Method == http.MethodPost {
		status := s.postRequest(w, r, p, code)
		if p.Done != nil {
			s.writePostPage(w, r, http.StatusOK, p)
			return
		}
		s.writePostForm(w, r, status, p)
		return
	}
	s.writePostForm(w, r, http.StatusOK, p)
}

// writePostForm answers with the page and a new form token.
func (s *server) writePostForm(w http.ResponseWriter, r *http.Request, status int, p *postView) {
	tok, err := s.formToken(r.Context(), w, r, p.Code)
	if err != nil {
		s.log.Error("post page token", "err", err)
		http.Error(w, "errore interno", http.StatusInternalServerError)
		return
	}
	p.Token = tok
	s.writePostPage(w, r, status, p)
}

// postRequest reads and submits the form; it fills p.Done, or p.Problem
// with the status to answer.
func (s *server) postRequest(w http.ResponseWriter, r *http.Request, p *postView, code string) int {
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
	token := r.PostForm.Get("token")
	if ok, err := s.formPosted(r.Context(), r, code, token); err != nil {
		s.log.Error("post page token", "err", err)
		p.Problem = t.Internal
		return http.StatusInternalServerError
	} else if !ok {
		p.Problem = t.Expired
		return http.StatusForbidden
	}
	if err := s.forms.take(clientIP(r), s.now()); err != nil {
		p.Problem = t.TooMany
		return http.StatusTooManyRequests
	}
	if p.V["privacy"] != "" {
		p.V["privacy"] = "sì"
	}
	cf := strings.ToUpper(p.V["codice_fiscale"])
	// The request's id comes from the form's token: the same form posted
	// twice (a double click, a resent page) is one request.
	key, err := s.csrfKey(r.Context())
	if err != nil {
		s.log.Error("post page key", "err", err)
		p.Problem = t.Internal
		return http.StatusInternalServerError
	}
	id := tokenRequestID(key, token)
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
	if u := s.db.FollowURL(r); u != "" {
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
