package hub_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/sportello/sportello/app/request"
	"github.com/sportello/sportello/hub"
)

// postPage is a browser on the public page of a comune: it keeps the
// cookie the page sets and the form's token.
type postPage struct {
	h      *testHub
	path   string
	cookie *http.Cookie
	token  string
	ip     string
}

var tokenRE = regexp.MustCompile(`name="token" value="([^"]+)"`)

func openPostPage(t *testing.T, h *testHub, comune, query string) (*postPage, *httptest.ResponseRecorder) {
	t.Helper()
	p := &postPage{h: h, path: "/comuni/" + comune + "/certificato-per-posta", ip: "192.0.2.10:5555"}
	rec := h.do("GET", p.path+query, "", "")
	for _, c := range rec.Result().Cookies() {
		if c.Name == "sportello_form" {
			p.cookie = c
		}
	}
	if m := tokenRE.FindStringSubmatch(rec.Body.String()); m != nil {
		p.token = m[1]
	}
	return p, rec
}

func (p *postPage) post(v url.Values) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", p.path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = p.ip
	if p.cookie != nil {
		req.AddCookie(p.cookie)
	}
	rec := httptest.NewRecorder()
	p.h.H.ServeHTTP(rec, req)
	return rec
}

// postValues is a valid form of Mario Rossi, Milano's resident of newHub.
func postValues(t *testing.T, h *testHub, token string) url.Values {
	t.Helper()
	cit, err := h.DB.ComuneCitizens(context.Background(), "F205", 1)
	if err != nil || len(cit) != 1 {
		t.Fatalf("citizens %v %v", cit, err)
	}
	return url.Values{"token": {token}, "cognome": {"Rossi"}, "nome": {"Mario"}, "codice_fiscale": {cit[0].CodiceFiscale},
		"tipo_certificato": {"residenza"}, "uso": {"uso pensione"}, "bollo": {"marca"}, "destinatario": {"Mario Rossi"},
		"indirizzo_recapito": {"Via Roma 10"}, "cap": {"20121"}, "comune_recapito": {"Milano"}, "provincia": {"mi"}, "privacy": {"si"}}
}

func TestPostPage(t *testing.T) {
	ctx := context.Background()
	h := newHub(t)
	if _, err := hub.SeedCatalogue(ctx, h.DB, "F205"); err != nil {
		t.Fatal(err)
	}
	requests := func() int {
		rs, err := h.DB.HubRequests(ctx, "F205", "")
		if err != nil {
			t.Fatal(err)
		}
		return len(rs)
	}

	t.Run("Form", func(t *testing.T) {
		p, rec := openPostPage(t, h, "F205", "")
		body := rec.Body.String()
		if rec.Code != 200 || p.cookie == nil || p.token == "" || !strings.Contains(body, "Comune di Milano") ||
			!strings.Contains(body, `value="stato-di-famiglia"`) || !strings.Contains(body, "Invia la richiesta") {
			t.Fatalf("%d cookie %v token %q\n%s", rec.Code, p.cookie, p.token, body)
		}
		if !strings.Contains(body, `rel="stylesheet" href="/static/`) || strings.Contains(body, "ZgotmplZ") {
			t.Errorf("the page lacks the public pages' stylesheet")
		}
		csp := rec.Header().Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "form-action 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("CSP %q", csp)
		}
		if !p.cookie.HttpOnly || p.cookie.SameSite != http.SameSiteStrictMode {
			t.Errorf("cookie %+v", p.cookie)
		}
		_, en := openPostPage(t, h, "F205", "?lang=en")
		if b := en.Body.String(); !strings.Contains(b, `lang="en"`) || !strings.Contains(b, "Send the request") || !strings.Contains(b, "Family status") {
			t.Errorf("English page:\n%s", b)
		}
	})
	t.Run("ErrNotOffered", func(t *testing.T) {
		_, rec := openPostPage(t, h, "H501", "")
		if rec.Code != 404 || !strings.Contains(rec.Body.String(), "non offre") {
			t.Errorf("Roma, which enables nothing: %d\n%s", rec.Code, rec.Body)
		}
		_, rec = openPostPage(t, h, "Z999", "")
		if rec.Code != 404 {
			t.Errorf("unknown comune: %d", rec.Code)
		}
	})
	t.Run("ErrNoToken", func(t *testing.T) {
		p, _ := openPostPage(t, h, "F205", "")
		v := postValues(t, h, "")
		if rec := p.post(v); rec.Code != 403 || requests() != 0 {
			t.Errorf("no token: %d, %d requests", rec.Code, requests())
		}
		p.cookie = nil // a forged form from another site: the strict cookie stays home
		if rec := p.post(postValues(t, h, p.token)); rec.Code != 403 || requests() != 0 {
			t.Errorf("no cookie: %d, %d requests", rec.Code, requests())
		}
	})
	t.Run("ErrTokenOfAnotherPage", func(t *testing.T) {
		p, _ := openPostPage(t, h, "F205", "")
		p.token = strings.Replace(p.token, ".", "0.", 1)
		if rec := p.post(postValues(t, h, p.token)); rec.Code != 403 || requests() != 0 {
			t.Errorf("tampered token: %d", rec.Code)
		}
	})
	t.Run("ErrBadAddressNothingStored", func(t *testing.T) {
		p, _ := openPostPage(t, h, "F205", "")
		p.ip = "192.0.2.20:1"
		for field, value := range map[string]string{"cap": "2012", "provincia": "XX", "indirizzo_recapito": "Via Roma", "destinatario": "<script>"} {
			v := postValues(t, h, p.token)
			v.Set(field, value)
			rec := p.post(v)
			if rec.Code != 422 || !strings.Contains(rec.Body.String(), "Richiesta non accettata") {
				t.Errorf("%s=%q: %d\n%s", field, value, rec.Code, rec.Body)
			}
			if strings.Contains(rec.Body.String(), "<script>") {
				t.Errorf("%s: the page echoes markup", field)
			}
		}
		if n := requests(); n != 0 {
			t.Errorf("%d requests stored from refused forms", n)
		}
	})
	var follow string
	t.Run("Submit", func(t *testing.T) {
		p, _ := openPostPage(t, h, "F205", "")
		p.ip = "192.0.2.30:1"
		rec := p.post(postValues(t, h, p.token))
		body := rec.Body.String()
		if rec.Code != 200 || !regexp.MustCompile(`id="number">\d{4}/000001<`).MatchString(body) {
			t.Fatalf("%d\n%s", rec.Code, body)
		}
		m := regexp.MustCompile(`id="follow" href="([^"]+)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no follow link")
		}
		follow = strings.ReplaceAll(m[1], "&amp;", "&")
		rs, err := h.DB.HubRequests(ctx, "F205", "")
		if err != nil || len(rs) != 1 {
			t.Fatalf("%v %v", rs, err)
		}
		r := rs[0]
		if r.Service != request.PostService || r.Channel != request.ChannelWeb || r.Status != request.StatusReceived ||
			r.Values["provincia"] != "MI" || r.ServiceTitle == "" {
			t.Errorf("stored %+v", r)
		}
		// The same form posted again (a double click) is the same request.
		again := p.post(postValues(t, h, p.token))
		if again.Code != 200 || !strings.Contains(again.Body.String(), `id="number">`+r.Number+`<`) {
			t.Errorf("the form posted twice: %d\n%s", again.Code, again.Body)
		}
		if rs, _ := h.DB.HubRequests(ctx, "F205", ""); len(rs) != 1 {
			t.Errorf("%d requests from one form posted twice", len(rs))
		}
		got := h.do("GET", follow, "", "")
		if got.Code != 200 || !strings.Contains(got.Body.String(), "Ricevuta") || !strings.Contains(got.Body.String(), r.Number) {
			t.Errorf("follow page %d\n%s", got.Code, got.Body)
		}
	})
	t.Run("ErrRateLimited", func(t *testing.T) {
		p, _ := openPostPage(t, h, "F205", "")
		p.ip = "192.0.2.40:1"
		v := postValues(t, h, p.token)
		v.Set("cap", "1") // refused forms count too: they cost the hub a transaction
		codes := []int{}
		for range 12 {
			codes = append(codes, p.post(v).Code)
		}
		if codes[9] != 422 || codes[10] != 429 || codes[11] != 429 {
			t.Errorf("codes %v: want ten answers, then 429", codes)
		}
	})
}
