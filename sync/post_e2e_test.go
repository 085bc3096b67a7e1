package sync_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/kiosk"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/app/post"
	"github.com/sportello/sportello/app/request"
	"github.com/sportello/sportello/hub"
	"github.com/sportello/sportello/hub/sqlstore"
	"github.com/sportello/sportello/passwd"
	"github.com/sportello/sportello/printing"
	"github.com/sportello/sportello/sync"
)

// askByPost fills the hub's public page as a citizen's browser does (it
// keeps the page's cookie) and returns the protocol number and the follow
// address the page shows.
func askByPost(t *testing.T, h *testHub, comune string, form url.Values) (number, follow string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	page := h.URL + "/comuni/" + comune + "/certificato-per-posta"
	res, err := browser.Get(page)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := regexp.MustCompile(`name="token" value="([^"]+)"`).FindSubmatch(body)
	if res.StatusCode != 200 || m == nil {
		t.Fatalf("public page %d\n%s", res.StatusCode, body)
	}
	form.Set("token", string(m[1]))
	res, err = browser.PostForm(page, form)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	n := regexp.MustCompile(`id="number">([0-9/]+)<`).FindSubmatch(body)
	f := regexp.MustCompile(`id="follow" href="([^"]+)"`).FindSubmatch(body)
	if res.StatusCode != 200 || n == nil || f == nil {
		t.Fatalf("submission %d\n%s", res.StatusCode, body)
	}
	return string(n[1]), strings.ReplaceAll(string(f[1]), "&amp;", "&")
}

// windowText is the text pdftotext finds on page 1 inside the part of the
// sheet the window of a DL envelope shows (printing.PostSafe*).
func windowText(t *testing.T, path string) string {
	t.Helper()
	const dpi = 72.0
	mm := func(v float64) string { return fmt.Sprint(int(v / 25.4 * dpi)) }
	out, err := exec.Command("pdftotext", "-f", "1", "-l", "1", "-r", fmt.Sprint(dpi), "-x", mm(printing.PostSafeX0), "-y", mm(printing.PostSafeY0),
		"-W", mm(printing.PostSafeX1-printing.PostSafeX0), "-H", mm(printing.PostSafeY1-printing.PostSafeY0), "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// TestCertificateByPost follows a certificate by post from the hub's
// public page to the citizen's letterbox: the request takes its protocol
// number at the hub, reaches Milano's workstation by sync and its back
// office's worklist; posting it issues the certificate, charges postage,
// bollo and diritti on a pagoPA position from the workstation's IUV block
// and moves the request to concluded — a posting interrupted (no IUVs
// yet) resumes without issuing a second certificate — and the PDF has the
// address inside the DL window. At the hub the position is payable and
// the citizen's page says the certificate was posted. A kiosk, another
// comune's workstation and an operator without the back-office role
// cannot post; a form with a bad address is refused with nothing stored.
func TestCertificateByPost(t *testing.T) {
	for _, tool := range []string{"pdftotext", "pdftoppm"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s missing on CI", tool)
			}
			t.Skipf("%s not installed", tool)
		}
	}
	ctx := context.Background()
	h := newHub(t)
	people := milano()
	h.replace("F205", people)
	h.replace("H501", roma())
	if err := h.DB.PutPayee(ctx, &milanoPayee); err != nil {
		t.Fatal(err)
	}
	if _, err := hub.SeedCatalogue(ctx, h.DB, "F205"); err != nil {
		t.Fatal(err)
	}
	bo := withKey(t, app.Operator{Username: backOffice.Username, Name: backOffice.Name, Comune: "F205", Roles: backOffice.Roles,
		PasswordHash: mustHash(t, cheapHash, "password123"), Active: true}, "password123")
	mustPutOperator(t, h, bo)
	boKey, err := passwd.DeriveKey(bo.KeyParams, "password123")
	if err != nil {
		t.Fatal(err)
	}
	mario := people[0]
	form := url.Values{"cognome": {mario.Surname}, "nome": {mario.GivenName}, "codice_fiscale": {mario.CodiceFiscale},
		"tipo_certificato": {"residenza"}, "uso": {"uso pensione"}, "bollo": {"marca"}, "destinatario": {"Mario Rossi"},
		"indirizzo_recapito": {"Via Alessandro Manzoni 7"}, "cap": {"20121"}, "comune_recapito": {"Milano"}, "provincia": {"mi"},
		"email": {"mario@example.it"}, "privacy": {"si"}}

	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("cap", "201")
	jar, _ := cookiejar.New(nil)
	res, err := (&http.Client{Jar: jar}).PostForm(h.URL+"/comuni/F205/certificato-per-posta", bad)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden { // no token: refused before anything
		t.Fatalf("a post without the page's token: %d", res.StatusCode)
	}
	number, follow := askByPost(t, h, "F205", form)

	w := h.synced("F205")
	w.St.HoldOperatorKey(backOffice.Username, boKey) // the move to concluded carries the proof
	online := true
	cs, certs := counterOf(w, &online)
	cash := cashier(w, time.Now)
	cash.Render.Notice = printing.NoticePDF
	svc := &post.Service{Store: w.St, Counter: cs, Certificates: certs, Cashier: cash, Desk: deskOf(w), Render: printing.PostCoverPDF}

	t.Run("ErrNotBackOffice", func(t *testing.T) {
		if _, err := svc.Worklist(ctx, clerk); app.ErrorCode(err) != app.EFORBIDDEN {
			t.Errorf("a clerk's worklist: %v", err)
		}
		if _, err := svc.Post(ctx, clerk, number, "01234567890123"); app.ErrorCode(err) != app.EFORBIDDEN {
			t.Errorf("a clerk posts: %v", err)
		}
	})
	items, err := svc.Worklist(ctx, backOffice)
	if err != nil || len(items) != 1 || items[0].Request.Number != number || items[0].Order == nil ||
		items[0].Order.Address.Lines()[2] != "20121 MILANO MI" {
		t.Fatalf("worklist %+v %v", items, err)
	}
	t.Run("ErrMarcaMissing", func(t *testing.T) {
		if _, err := svc.Post(ctx, backOffice, number, ""); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("without the marca: %v", err)
		}
	})

	// The workstation has no IUVs yet: the certificate is issued, the
	// postage cannot be numbered, and the posting stops there.
	if _, err := svc.Post(ctx, backOffice, number, "01234567890123"); app.ErrorCode(err) != app.EOFFLINE {
		t.Fatalf("posting without IUVs: %v", err)
	}
	items, _ = svc.Worklist(ctx, backOffice)
	if len(items) != 1 || items[0].Dispatch == nil || items[0].Dispatch.Certificate == "" || items[0].Dispatch.Position != "" {
		t.Fatalf("half-posted: %+v", items)
	}
	first := items[0].Dispatch.Certificate
	if err := cash.EnsureBlock(ctx); err != nil {
		t.Fatal(err)
	}
	round(t, w)
	h.Stop() // the rest works offline
	got, err := svc.Post(ctx, backOffice, number, "01234567890123")
	if err != nil {
		t.Fatal(err)
	}
	if got.Certificate.Certificate.Number.String() != first {
		t.Errorf("posted certificate %s, the first attempt issued %s", got.Certificate.Certificate.Number, first)
	}
	if list, _ := w.St.Certificates(ctx, mario.CodiceFiscale); len(list) != 1 {
		t.Errorf("%d certificates issued for one request", len(list))
	}
	wantCents := int64(post.DefaultPostageCents) + got.Certificate.BolloCents + got.Certificate.DirittiCents
	if got.Certificate.BolloCents != 1600 || got.Position.AmountCents != wantCents || got.Position.Service != payment.ServiceCertificate {
		t.Errorf("position %+v, certificate bollo %d diritti %d", got.Position.Position, got.Certificate.BolloCents, got.Certificate.DirittiCents)
	}
	if _, err := svc.Post(ctx, backOffice, number, "01234567890123"); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("posting twice: %v", err)
	}
	if items, _ := svc.Worklist(ctx, backOffice); len(items) != 0 {
		t.Errorf("worklist after posting: %+v", items)
	}

	path := filepath.Join(t.TempDir(), "posta.pdf")
	if err := os.WriteFile(path, got.PDF, 0o600); err != nil {
		t.Fatal(err)
	}
	win := strings.Join(strings.Fields(windowText(t, path)), " ")
	if win != "Mario Rossi Via Alessandro Manzoni 7 20121 MILANO MI" {
		t.Errorf("the window shows %q", win)
	}
	all, _ := exec.Command("pdftotext", "-layout", path, "-").Output()
	text := strings.Join(strings.Fields(string(all)), " ")
	for _, want := range []string{"richiesta n. " + number, "CERTIFICATO DI RESIDENZA", "AVVISO DI PAGAMENTO", got.Position.Avviso.Grouped(), app.Euro(wantCents)} {
		if !strings.Contains(text, want) {
			t.Errorf("the envelope's PDF lacks %q", want)
		}
	}
	if png := filepath.Join(t.TempDir(), "page"); exec.Command("pdftoppm", "-r", "50", "-png", "-singlefile", path, png).Run() != nil {
		t.Error("pdftoppm cannot render the envelope's PDF")
	}

	h.Start()
	round(t, w)
	if p, q, err := w.St.OutboxCounts(ctx); err != nil || p != 0 || q != 0 {
		t.Fatalf("outbox after sync: %d pending, %d parked, %v", p, q, err)
	}
	r, err := h.DB.HubRequest(ctx, "F205", number)
	if err != nil || r.Status != request.StatusConcluded || r.Version != 2 || !strings.HasPrefix(r.LastNote(), post.SentNote) {
		t.Fatalf("at the hub: %+v %v", r, err)
	}
	round(t, w) // a second round sends nothing again
	if again, _ := h.DB.HubRequest(ctx, "F205", number); again.Version != 2 {
		t.Errorf("version %d after a second round", again.Version)
	}
	paid, err := h.DB.RecordOnlinePayment(ctx, got.Position.Avviso, wantCents, time.Now())
	if err != nil || paid.Position.ID != got.Position.ID {
		t.Fatalf("the postage at the pagoPA node: %+v %v", paid, err)
	}
	res, err = http.Get(h.URL + follow)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(page), "Conclusa") || !strings.Contains(string(page), post.SentNote) {
		t.Errorf("the citizen's page %d\n%s", res.StatusCode, page)
	}

	t.Run("AtTheCounterAndTheKiosk", func(t *testing.T) {
		// The counter takes one for Giulia with the service's form; a bad
		// CAP is refused there, with nothing queued.
		giulia := people[4]
		desk := deskOf(w)
		file := openFile(t, w, giulia.CodiceFiscale)
		v := request.Values{"cognome": giulia.Surname, "nome": giulia.GivenName, "codice_fiscale": giulia.CodiceFiscale,
			"tipo_certificato": "stato-di-famiglia", "bollo": "esenzione", "esenzione": "9", "uso": "pensione estera",
			"destinatario": "Giulia Cantù", "indirizzo_recapito": "Via Dante 3", "cap": "2012", "comune_recapito": "Milano",
			"provincia": "MI", "privacy": "si"}
		before, _ := w.outbox(t)
		if _, _, err := desk.Submit(ctx, clerk, file, request.PostService, v, nil); err == nil || !strings.Contains(err.Error(), "CAP di 5 cifre") {
			t.Fatalf("a bad CAP at the counter: %v", err)
		}
		if after, _ := w.outbox(t); after != before {
			t.Fatalf("a refused form queued %d operations", after-before)
		}
		v["cap"] = "20123"
		atCounter, _, err := desk.Submit(ctx, clerk, file, request.PostService, v, nil)
		if err != nil {
			t.Fatal(err)
		}
		// The kiosk takes one for Nicolò, to his residence.
		code, err := h.DB.NewEnrollCodeFor(ctx, "F205", sqlstore.RoleKiosk, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		st := openStore(t)
		c := sync.New(st, options())
		p, err := c.Enroll(ctx, h.URL, code, "Chiosco")
		if err != nil {
			t.Fatal(err)
		}
		kw := &workstation{St: st, C: c, Profile: p}
		round(t, kw)
		kcs, _ := counterOf(kw, &online)
		kdesk := deskOf(kw)
		kdesk.Channel = "chiosco"
		byPost := &kiosk.Post{Desk: kdesk, Counter: kcs, Device: p.Device}
		nicolo := openFile(t, kw, people[3].CodiceFiscale)
		atKiosk, _, err := byPost.Ask(ctx, kiosk.DefaultPolicy, nicolo, "residenza", -1)
		if err != nil {
			t.Fatalf("kiosk: %v", err)
		}
		if _, _, err := byPost.Ask(ctx, kiosk.DefaultPolicy, nicolo, "matrimonio", -1); app.ErrorCode(err) != app.EFORBIDDEN {
			t.Errorf("a type the kiosk policy does not allow: %v", err)
		}
		round(t, w, kw)
		round(t, w)
		items, err := svc.Worklist(ctx, backOffice)
		if err != nil || len(items) != 2 {
			t.Fatalf("worklist %+v %v", items, err)
		}
		byID := map[string]post.Item{}
		for _, it := range items {
			byID[it.Request.ID] = it
		}
		ct, kt := byID[atCounter.ID], byID[atKiosk.ID]
		if ct.Request.Number == "" || ct.Order == nil || ct.Order.ExemptionID != 9 || ct.Request.Channel != "sportello" {
			t.Errorf("the counter's request: %+v", ct)
		}
		if kt.Request.Number == "" || kt.Order == nil || !kt.Order.Marca || kt.Request.Channel != "chiosco" ||
			kt.Order.Address.Lines()[1] != "Via Giuseppe Garibaldi 12/A" || kt.Order.Address.Lines()[2] != "20121 MILANO MI" {
			t.Errorf("the kiosk's request: %+v %+v", kt.Request, kt.Order)
		}
	})
	t.Run("ErrAnotherComune", func(t *testing.T) {
		roma := h.synced("H501")
		romaOp := &app.Operator{Username: "bo.roma", Comune: "H501", Roles: []app.Role{app.RoleOperator, app.RoleBackOffice}, Active: true}
		rcs, rcerts := counterOf(roma, &online)
		rsvc := &post.Service{Store: roma.St, Counter: rcs, Certificates: rcerts, Cashier: cashier(roma, time.Now), Desk: deskOf(roma), Render: printing.PostCoverPDF}
		if items, err := rsvc.Worklist(ctx, romaOp); err != nil || len(items) != 0 {
			t.Errorf("Roma's worklist: %+v %v", items, err)
		}
		if _, err := rsvc.Post(ctx, romaOp, number, "01234567890123"); app.ErrorCode(err) != app.ENOTFOUND {
			t.Errorf("Roma posts Milano's request: %v", err)
		}
	})
	t.Run("ErrKioskMovesRequest", func(t *testing.T) {
		second, _ := askByPost(t, h, "F205", form)
		code, err := h.DB.NewEnrollCodeFor(ctx, "F205", sqlstore.RoleKiosk, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		st := openStore(t)
		c := sync.New(st, options())
		if _, err := c.Enroll(ctx, h.URL, code, "Chiosco"); err != nil {
			t.Fatal(err)
		}
		if err := c.Round(ctx); err != nil {
			t.Fatal(err)
		}
		kiosk := &workstation{St: st, C: c}
		// A stolen kiosk naming the back-office operator, whose password
		// the thief has too: the hub refuses the move by the device's role.
		kiosk.St.HoldOperatorKey(backOffice.Username, boKey)
		if _, err := deskOf(kiosk).ChangeStatus(ctx, backOffice, mustRequest(t, kiosk, second).ID, request.StatusConcluded, "spedito"); err != nil {
			t.Fatal(err)
		}
		round(t, kiosk)
		if _, parked := kiosk.outbox(t); parked != 1 {
			t.Errorf("the kiosk's change: %d parked", parked)
		}
		if r, _ := h.DB.HubRequest(ctx, "F205", second); r.Status != request.StatusReceived {
			t.Errorf("a kiosk moved the request to %s", r.Status)
		}
	})
}

func mustRequest(t *testing.T, w *workstation, number string) *request.Request {
	t.Helper()
	r, err := w.St.Request(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
