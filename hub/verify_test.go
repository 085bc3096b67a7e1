package hub_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"html"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/app/cf"
	"github.com/sportello/sportello/hub"
	"github.com/sportello/sportello/hub/sqlstore"
)

// The story of the verification tests, in the hub's time: Milano's
// workstations are enrolled, one is revoked, a certificate is issued, and
// a day later someone scans its QR code.
var (
	enrolledAt  = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	revokedAt   = time.Date(2026, 3, 5, 12, 0, 0, 0, time.UTC)
	issuedAt    = time.Date(2026, 3, 10, 10, 30, 0, 0, time.UTC) // 11:30 in Rome
	lateRevoke  = time.Date(2026, 3, 10, 18, 0, 0, 0, time.UTC)
	verifiedAt  = time.Date(2026, 3, 11, 8, 0, 0, 0, time.UTC)
	sevenMonths = time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC) // the certificate is valid until 10/09/2026
)

const hubBase = "https://hub.example.it"

// workstation is an enrolled workstation whose private key the test holds.
type workstation struct {
	ID         string
	Key        ed25519.PrivateKey
	Cert       app.KeyCert
	ComuneCert app.KeyCert
}

// stamp signs the facts of a certificate numbered by the workstation.
func (w *workstation) stamp(tb testing.TB, seq int64, mods ...func(*certificate.Facts)) string {
	tb.Helper()
	f := residenceFacts(tb, w.ID, seq)
	for _, m := range mods {
		m(&f)
	}
	s, err := certificate.Sign(f, w.Key, w.Cert, w.ComuneCert)
	if err != nil {
		tb.Fatalf("sign: %v", err)
	}
	return s
}

// verifyHub is the hub's database with Milano (F205) and three
// workstations: Good, Revoked before the certificate was issued, and
// RevokedLater, after.
type verifyHub struct {
	DB                         *sqlstore.DB
	Good, Revoked, RevokedLate *workstation
}

func newVerifyHub(tb testing.TB) *verifyHub {
	tb.Helper()
	ctx := context.Background()
	db := MustOpenDB(tb)
	clock := enrolledAt
	db.Now = func() time.Time { return clock }
	if err := db.EnsureComune(ctx, "F205", "MILANO"); err != nil {
		tb.Fatal(err)
	}
	enroll := func() *workstation {
		code, err := db.NewEnrollCode(ctx, "F205", time.Hour)
		if err != nil {
			tb.Fatal(err)
		}
		pub, key, _ := ed25519.GenerateKey(nil)
		e, err := db.Enroll(ctx, code, "Sportello", pub)
		if err != nil {
			tb.Fatal(err)
		}
		return &workstation{ID: e.Device.Device, Key: key, Cert: e.Device.Cert, ComuneCert: e.ComuneCert}
	}
	h := &verifyHub{DB: db, Good: enroll(), Revoked: enroll(), RevokedLate: enroll()}
	for _, r := range []struct {
		w  *workstation
		at time.Time
	}{{h.Revoked, revokedAt}, {h.RevokedLate, lateRevoke}} {
		clock = r.at
		if err := db.RevokeDevice(ctx, r.w.ID); err != nil {
			tb.Fatal(err)
		}
	}
	return h
}

// seedRossi puts Mario Rossi, the person of residenceFacts, in Milano's
// anagrafe, as the facts certify him: the hub compares a certificate
// issued online with its anagrafe.
func (h *verifyHub) seedRossi(tb testing.TB) {
	tb.Helper()
	f := residenceFacts(tb, h.Good.ID, 1)
	if _, err := h.DB.ReplaceAnagrafe(context.Background(), "F205", []app.Citizen{{CodiceFiscale: f.CodiceFiscale, Surname: "Rossi",
		GivenName: "Mario", Sex: "M", BirthDate: f.BirthDate, BirthPlaceCode: "A562", Citizenship: "ITA", CivilStatus: app.CivilStatusSingle,
		Comune: "F205", FamilyID: "1", Relationship: app.RelationshipHead, Status: app.StatusResident, Certifiability: app.CertifiableFully}}); err != nil {
		tb.Fatal(err)
	}
}

// handler is the hub's handler with its clock at now.
func (h *verifyHub) handler(now time.Time) http.Handler {
	return hub.NewServer(hub.Deps{DB: h.DB, Now: func() time.Time { return now }})
}

// residenceFacts are those of a residence certificate of Mario Rossi,
// issued by the workstation.
func residenceFacts(tb testing.TB, device string, seq int64) certificate.Facts {
	tb.Helper()
	n, err := certificate.NewNumber(device, 2026, seq)
	if err != nil {
		tb.Fatal(err)
	}
	born := app.Date(1985, 12, 10)
	code, err := cf.Compute(cf.Person{Surname: "ROSSI", Name: "MARIO", Sex: "M", BirthDate: born, BirthPlaceCode: "A562"})
	if err != nil {
		tb.Fatal(err)
	}
	ty, err := certificate.TypeBySlug(certificate.SlugResidenza)
	if err != nil {
		tb.Fatal(err)
	}
	return certificate.Facts{
		Number: n, Type: ty.ID, Comune: "F205", CodiceFiscale: code, Surname: "ROSSI", GivenName: "MARIO",
		BirthDate: born, IssuedAt: issuedAt, AsOf: issuedAt.Add(-2 * time.Hour), Marca: "01234567890123",
		Digest: sha256.Sum256([]byte("CERTIFICATO DI RESIDENZA\nCognome: ROSSI\n")),
	}
}

// alterFacts changes one character of the signed facts (the surname ROSSI
// becomes ROSSO), keeping the stamp well formed.
func alterFacts(tb testing.TB, stamp string) string {
	tb.Helper()
	parts := strings.Split(stamp, ".")
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		tb.Fatal(err)
	}
	i := bytes.Index(raw, []byte("ROSSI"))
	if i < 0 {
		tb.Fatal("no surname in the facts")
	}
	raw[i+4] = 'O'
	parts[1] = base64.RawURLEncoding.EncodeToString(raw)
	return strings.Join(parts, ".")
}

// otherNetwork signs as a workstation F205-W001 whose chain leads to a
// root that is not this network's.
func otherNetwork(tb testing.TB) *workstation {
	tb.Helper()
	_, root, _ := ed25519.GenerateKey(nil)
	comPub, comKey, _ := ed25519.GenerateKey(nil)
	devPub, devKey, _ := ed25519.GenerateKey(nil)
	return &workstation{
		ID:         "F205-W001",
		Key:        devKey,
		ComuneCert: app.SignKeyCert(root, app.IssuerRoot, app.ComuneSubject("F205"), comPub, enrolledAt),
		Cert:       app.SignKeyCert(comKey, app.ComuneSubject("F205"), app.DeviceSubject("F205-W001"), devPub, enrolledAt),
	}
}

var (
	markup     = regexp.MustCompile(`(?s)<style.*?</style>|<[^>]*>`)
	whitespace = regexp.MustCompile(`\s+`)
)

// pageText is what a person reads on a page: its text without the markup
// and the style sheet, white space collapsed.
func pageText(page string) string {
	return strings.TrimSpace(whitespace.ReplaceAllString(html.UnescapeString(markup.ReplaceAllString(page, " ")), " "))
}

// verdictOf is the verdict a person reads on the page, in Italian
// whatever the page's language; "" for none.
func verdictOf(text string) string {
	for _, v := range []struct{ it, en string }{{"NON VALIDO", "NOT VALID"}, {"SCADUTO", "EXPIRED"}, {"VALIDO", "VALID"}} {
		if strings.Contains(text, v.it) || strings.Contains(text, v.en) {
			return v.it
		}
	}
	return ""
}

func form(c string) string { return url.Values{"c": {c}}.Encode() }

func TestVerifyPage(t *testing.T) {
	h := newVerifyHub(t)
	srv := h.handler(verifiedAt)
	good := h.Good.stamp(t, 1)
	goodURL := certificate.URL(hubBase, good)
	rossi := "ROSSI"
	for _, tc := range []struct {
		name    string
		handler http.Handler // default: the hub on the day after the issue
		method  string       // default GET
		query   string       // of /verifica
		body    string       // of a POST, form-encoded
		verdict string       // "" for the form alone
		want    []string     // read on the page
		notWant []string
	}{
		{name: "Form", want: []string{"Verifica del contrassegno", "Testo del QR code", "Verifica"}},
		{name: "Valid", query: "c=" + good, verdict: "VALIDO", want: []string{
			rossi, "MARIO", h.Good.ID + "-2026-", "CERTIFICATO DI RESIDENZA", "MILANO (F205)", "RSSMRA85T10A562S",
			"10/12/1985", "10/03/2026 11:30:00", "10/03/2026 09:30:00", "in linea", "marca da bollo n. 01234567890123",
			"10/09/2026", hexDigest(t, good), "deve avere esattamente questa impronta"}},
		{name: "ValidQRCodeURL", query: "c=" + url.QueryEscape(goodURL), verdict: "VALIDO", want: []string{rossi}},
		{name: "ValidOffline", query: "c=" + h.Good.stamp(t, 2, func(f *certificate.Facts) { f.Offline = true }), verdict: "VALIDO", want: []string{"fuori linea"}},
		{name: "ValidStatoCivileNoExpiry", query: "c=" + h.Good.stamp(t, 3, func(f *certificate.Facts) {
			ty, _ := certificate.TypeBySlug(certificate.SlugNascita)
			f.Type, f.Marca = ty.ID, ""
		}), handler: h.handler(sevenMonths.AddDate(10, 0, 0)), verdict: "VALIDO", want: []string{"CERTIFICATO ANAGRAFICO DI NASCITA", "esente: certificato di stato civile", "senza scadenza"}},
		{name: "ValidExempt", query: "c=" + h.Good.stamp(t, 4, func(f *certificate.Facts) { f.Marca, f.ExemptionID = "", 5 }), verdict: "VALIDO", want: []string{"esente: INTERDIZIONE, INABILITAZIONE", "codice ANPR 5"}},
		// Dated before the revocation, but never delivered: only the
		// revoked key vouches for the date (TestRevokedKeyCertificates).
		{name: "ErrRevokedAfterIssueUnregistered", query: "c=" + h.RevokedLate.stamp(t, 1), verdict: "NON VALIDO", want: []string{"l'hub non ha mai ricevuto"}, notWant: []string{rossi}},
		{name: "English", query: "lang=en&c=" + good, verdict: "VALIDO", want: []string{"Stamp verification", "Certificate number", rossi, "Italiano"}, notWant: []string{"Numero del certificato"}},
		{name: "ErrAltered", query: "c=" + alterFacts(t, good), verdict: "NON VALIDO", want: []string{"alterato o contraffatto"}, notWant: []string{"ROSSO", "Dati certificati"}},
		{name: "ErrOtherNetwork", query: "c=" + otherNetwork(t).stamp(t, 1), verdict: "NON VALIDO", want: []string{"la chiave del comune F205 non è certificata dalla rete"}, notWant: []string{rossi}},
		{name: "ErrRevoked", query: "c=" + h.Revoked.stamp(t, 1), verdict: "NON VALIDO", want: []string{"revocata il 05/03/2026"}, notWant: []string{rossi}},
		{name: "ErrExpired", query: "c=" + good, handler: h.handler(sevenMonths), verdict: "SCADUTO", want: []string{"valido fino al 10/09/2026", rossi, "MARIO", "RSSMRA85T10A562S", hexDigest(t, good)}},
		{name: "ErrGarbage", query: "c=ciao", verdict: "NON VALIDO", want: []string{"non è un contrassegno di Sportello", "ciao"}},
		{name: "ErrTruncated", query: "c=" + good[:len(good)-10], verdict: "NON VALIDO", want: []string{"contrassegno non leggibile"}},
		{name: "ErrTooLongForAStamp", query: "c=SPT1." + strings.Repeat("A", 5000), verdict: "NON VALIDO", want: []string{"testo troppo lungo"}},
		{name: "PasteForm", method: "POST", body: form("\n " + goodURL + " \n"), verdict: "VALIDO", want: []string{rossi, h.Good.ID}},
		{name: "PasteFormEnglish", method: "POST", body: "lang=en&" + form(good), verdict: "VALIDO", want: []string{"Certified data"}},
		{name: "PasteFormAltered", method: "POST", body: form(alterFacts(t, good)), verdict: "NON VALIDO"},
		{name: "PasteFormEmpty", method: "POST", body: form("  "), want: []string{"Testo del QR code"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			handler := tc.handler
			if handler == nil {
				handler = srv
			}
			method := tc.method
			if method == "" {
				method = "GET"
			}
			req := httptest.NewRequest(method, "/verifica?"+tc.query, strings.NewReader(tc.body))
			if tc.body != "" {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			rec := httptest.NewRecorder()
			handler.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d, want 200: %s", rec.Code, pageText(rec.Body.String()))
			}
			text := pageText(rec.Body.String())
			if got := verdictOf(text); got != tc.verdict {
				t.Errorf("verdict %q, want %q on the page:\n%s", got, tc.verdict, text)
			}
			for _, s := range tc.want {
				if !strings.Contains(text, s) {
					t.Errorf("page does not say %q:\n%s", s, text)
				}
			}
			for _, s := range tc.notWant {
				if strings.Contains(text, s) {
					t.Errorf("page says %q:\n%s", s, text)
				}
			}
		})
	}
}

// hexDigest is the digest a valid stamp signs, as the page prints it.
func hexDigest(tb testing.TB, stamp string) string {
	tb.Helper()
	f, err := certificate.ParseStamp(stamp)
	if err != nil {
		tb.Fatal(err)
	}
	return hex.EncodeToString(f.Facts.Digest[:])
}

func TestVerifyPageRequest(t *testing.T) {
	h := newVerifyHub(t)
	srv := h.handler(verifiedAt)
	do := func(method, target, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec
	}
	t.Run("Headers", func(t *testing.T) {
		for _, target := range []string{"/verifica", "/verifica?c=" + h.Good.stamp(t, 1), "/verifica?c=%zz"} {
			rec := do("GET", target, "")
			for k, v := range map[string]string{
				"Content-Type":            "text/html; charset=utf-8",
				"Cache-Control":           "no-store",
				"Content-Security-Policy": "default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
				"X-Content-Type-Options":  "nosniff",
			} {
				if got := rec.Header().Get(k); got != v {
					t.Errorf("%.40s: %s: %q, want %q", target, k, got, v)
				}
			}
		}
	})
	t.Run("EscapesTheInput", func(t *testing.T) {
		attack := `"><script>alert(1)</script><a href="javascript:alert(2)">x</a>`
		for _, rec := range []*httptest.ResponseRecorder{
			do("GET", "/verifica?c="+url.QueryEscape(attack), ""),
			do("GET", "/verifica?lang="+url.QueryEscape(attack)+"&c="+url.QueryEscape(attack), ""),
			do("POST", "/verifica", form(attack)),
		} {
			page := rec.Body.String()
			if strings.Contains(page, "<script") || strings.Contains(page, `href="javascript:`) {
				t.Errorf("the input comes back as markup:\n%s", page)
			}
			if !strings.Contains(pageText(page), "<script>alert(1)</script>") {
				t.Errorf("the input is not shown back as text to correct:\n%s", pageText(page))
			}
		}
	})
	for _, tc := range []struct {
		name, method, target, body string
		want                       string
	}{
		{"ErrBadEscape", "GET", "/verifica?c=%zz", "", "richiesta non leggibile"},
		{"ErrTooLong", "GET", "/verifica?c=SPT1." + strings.Repeat("A", 9000), "", "testo troppo lungo"},
		{"ErrBodyTooLarge", "POST", "/verifica", form(strings.Repeat("é", 20000)), "richiesta troppo grande"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(tc.method, tc.target, tc.body)
			text := pageText(rec.Body.String())
			if rec.Code != http.StatusBadRequest || !strings.Contains(text, tc.want) || verdictOf(text) != "" {
				t.Errorf("status %d, want 400 with %q and no verdict:\n%s", rec.Code, tc.want, text)
			}
		})
	}
	t.Run("ErrHubDatabaseDown", func(t *testing.T) {
		// Without the revocations the hub gives no verdict at all.
		down := newVerifyHub(t)
		stamp := down.Good.stamp(t, 1)
		down.DB.Close()
		rec := httptest.NewRecorder()
		down.handler(verifiedAt).ServeHTTP(rec, httptest.NewRequest("GET", "/verifica?c="+stamp, nil))
		text := pageText(rec.Body.String())
		if rec.Code != http.StatusInternalServerError || verdictOf(text) != "" || !strings.Contains(text, "riprovate più tardi") {
			t.Errorf("status %d:\n%s", rec.Code, text)
		}
	})
	t.Run("MethodNotAllowed", func(t *testing.T) {
		if rec := do("PUT", "/verifica", ""); rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("PUT: status %d", rec.Code)
		}
	})
}

func TestVerifyJSON(t *testing.T) {
	h := newVerifyHub(t)
	good := h.Good.stamp(t, 1)
	type answer struct {
		Valid   bool   `json:"valid"`
		Reason  string `json:"reason"`
		Message string `json:"message"`
		Facts   *struct {
			Number        string `json:"number"`
			TypeTitle     string `json:"type_title"`
			ComuneName    string `json:"comune_name"`
			CodiceFiscale string `json:"codice_fiscale"`
			Surname       string `json:"surname"`
			BirthDate     string `json:"birth_date"`
			IssuedAt      string `json:"issued_at"`
			ValidUntil    string `json:"valid_until"`
			Digest        string `json:"digest"`
		} `json:"facts"`
	}
	for _, tc := range []struct {
		name   string
		now    time.Time
		c      string
		status int
		valid  bool
		reason certificate.Reason
		facts  bool
	}{
		{"Valid", verifiedAt, certificate.URL(hubBase, good), 200, true, "", true},
		{"ErrAltered", verifiedAt, alterFacts(t, good), 200, false, certificate.Forged, false},
		{"ErrOtherNetwork", verifiedAt, otherNetwork(t).stamp(t, 1), 200, false, certificate.Untrusted, false},
		{"ErrRevoked", verifiedAt, h.Revoked.stamp(t, 1), 200, false, certificate.Revoked, false},
		{"ErrExpired", sevenMonths, good, 200, false, certificate.Expired, true},
		{"ErrGarbage", verifiedAt, "ciao", 200, false, certificate.Malformed, false},
		{"ErrMissing", verifiedAt, "", 400, false, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.handler(tc.now).ServeHTTP(rec, httptest.NewRequest("GET", "/v1/verify?"+form(tc.c), nil))
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			if tc.status != 200 {
				return
			}
			var a answer
			if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
				t.Fatal(err)
			}
			if a.Valid != tc.valid || a.Reason != string(tc.reason) || (a.Facts != nil) != tc.facts || (!a.Valid && a.Message == "") {
				t.Fatalf("got %s", rec.Body)
			}
			if a.Facts == nil {
				return
			}
			f := a.Facts
			if !strings.HasPrefix(f.Number, h.Good.ID+"-2026-") || f.Surname != "ROSSI" || f.CodiceFiscale != "RSSMRA85T10A562S" ||
				f.ComuneName != "MILANO" || f.TypeTitle != "CERTIFICATO DI RESIDENZA" || f.BirthDate != "1985-12-10" ||
				f.IssuedAt != "2026-03-10T10:30:00Z" || f.ValidUntil != "2026-09-10" || f.Digest != hexDigest(t, good) {
				t.Errorf("facts %s", rec.Body)
			}
		})
	}
}

// TestVerifyPageInChromium opens the page as a phone's browser would: the
// hub on a loopback address, Debian's headless Chromium, the QR code's
// link. SPORTELLO_UPDATE_DOCS=1 writes the screenshot to docs/verifica.png.
func TestVerifyPageInChromium(t *testing.T) {
	const chromium = "/usr/bin/chromium"
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s missing on CI: ./do test installs it", chromium)
		}
		t.Skipf("%s not installed", chromium)
	}
	h := newVerifyHub(t)
	srv := httptest.NewServer(h.handler(verifiedAt))
	defer srv.Close()
	good := h.Good.stamp(t, 1)
	for _, tc := range []struct {
		name, stamp, verdict string
		showsHolder          bool
	}{
		{"Valid", good, "VALIDO", true},
		{"ErrAltered", alterFacts(t, good), "NON VALIDO", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := pageText(string(runChromium(t, "--dump-dom", certificate.URL(srv.URL, tc.stamp))))
			if got := verdictOf(text); got != tc.verdict {
				t.Errorf("verdict %q, want %q:\n%s", got, tc.verdict, text)
			}
			if strings.Contains(text, "MARIO") != tc.showsHolder {
				t.Errorf("holder's name shown: %v, want %v:\n%s", !tc.showsHolder, tc.showsHolder, text)
			}
		})
	}
	t.Run("Screenshot", func(t *testing.T) {
		shot := filepath.Join(t.TempDir(), "verifica.png")
		if os.Getenv("SPORTELLO_UPDATE_DOCS") == "1" {
			shot = filepath.Join("..", "docs", "verifica.png")
			if err := os.MkdirAll(filepath.Dir(shot), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		runChromium(t, "--screenshot="+shot, "--window-size=1000,1200", certificate.URL(srv.URL, good))
		f, err := os.Open(shot)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		img, err := png.Decode(f)
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != 1000 || b.Dy() != 1200 {
			t.Errorf("screenshot %v, want 1000×1200", b)
		}
		// The style sheet applies (the CSP lets it): the header is the
		// PA's blue, the verdict a green box.
		if n := pixels(img, 0x00, 0x66, 0xcc); n < 1000*40 {
			t.Errorf("%d pixels of the header's blue", n)
		}
		if n := pixels(img, 0x00, 0x80, 0x55); n < 600*80 {
			t.Errorf("%d pixels of the verdict's green", n)
		}
	})
}

// pixels counts the pixels of a colour, give or take the renderer's
// rounding.
func pixels(img image.Image, r, g, b uint8) int {
	near := func(a uint32, want uint8) bool { d := int(a>>8) - int(want); return d >= -3 && d <= 3 }
	n := 0
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			pr, pg, pb, _ := img.At(x, y).RGBA()
			if near(pr, r) && near(pg, g) && near(pb, b) {
				n++
			}
		}
	}
	return n
}

// runChromium runs headless Chromium with a fresh profile, bounded in time,
// and returns its standard output.
func runChromium(t *testing.T, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second) // a fresh browser, the stylesheet and fonts, on a busy machine
	defer cancel()
	args = append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir()}, args...)
	cmd := exec.CommandContext(ctx, "/usr/bin/chromium", args...) // killed when ctx ends
	cmd.WaitDelay = 5 * time.Second                               // its helpers may hold the pipes open
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v (%v)\n%s", strings.Join(args, " "), err, ctx.Err(), stderr.String())
	}
	return stdout.Bytes()
}

// TestVerifyPageHubRegister shows what the hub knows beyond the stamp: a
// certificate it received, one not yet delivered, and a second certificate
// signed under a number the hub already holds (a stolen key).
func TestVerifyPageHubRegister(t *testing.T) {
	ctx := context.Background()
	h := newVerifyHub(t)
	h.DB.Now = func() time.Time { return issuedAt.Add(time.Hour) }
	h.seedRossi(t)
	delivered := h.Good.stamp(t, 10)
	f := residenceFacts(t, h.Good.ID, 10)
	res := h.DB.ApplyOp(ctx, &sqlstore.Device{ID: h.Good.ID, Comune: "F205"}, app.Operation{
		ID: "6f1c2b8e-0f3a-4c59-9a47-1d2e3f4a5b6c", Device: h.Good.ID, Seq: 1, Kind: app.OpCertificate, CreatedAt: issuedAt,
		Certificate: &app.CertificateFact{Number: f.Number.String(), Type: certificate.SlugResidenza, CodiceFiscale: f.CodiceFiscale,
			Comune: "F205", IssuedAt: f.IssuedAt, AsOf: f.AsOf, Operator: "mrossi", Stamp: certificate.URL(hubBase, delivered)},
	})
	if !res.Applied {
		t.Fatalf("the hub refused the certificate: %+v", res)
	}
	twin := h.Good.stamp(t, 10, func(f *certificate.Facts) { f.GivenName = "MARIA" })
	srv := h.handler(verifiedAt)
	for _, tc := range []struct{ name, stamp, want string }{
		{"Received", certificate.URL(hubBase, delivered), "ricevuto dalla postazione il 10/03/2026"},
		{"NotYetReceived", h.Good.stamp(t, 11), "non ancora ricevuto"},
		{"ErrTwin", twin, "ATTENZIONE: l'hub ha ricevuto un altro certificato con lo stesso numero"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, httptest.NewRequest("GET", "/verifica?"+form(tc.stamp), nil))
			if text := pageText(rec.Body.String()); !strings.Contains(text, tc.want) {
				t.Fatalf("page does not say %q:\n%s", tc.want, text)
			}
		})
	}
}
