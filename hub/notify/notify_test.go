package notify_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/cf"
	"github.com/sportello/sportello/app/request"
	"github.com/sportello/sportello/hub/notify"
	"github.com/sportello/sportello/hub/sqlstore"
)

// mailServer is a real SMTP server (go-smtp) on loopback that keeps what
// it accepts; failData makes it answer the end of DATA with an error.
type mailServer struct {
	Addr string

	mu       sync.Mutex
	messages []received
	failData *smtp.SMTPError
	failRcpt *smtp.SMTPError
}

type received struct {
	From, To string
	Msg      *mail.Message
	Body     string
}

func newMailServer(t *testing.T) *mailServer {
	t.Helper()
	ms := &mailServer{}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{ms: ms}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ms.Addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ms
}

func (ms *mailServer) got() []received {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return append([]received(nil), ms.messages...)
}

func (ms *mailServer) fail(data, rcpt *smtp.SMTPError) {
	ms.mu.Lock()
	ms.failData, ms.failRcpt = data, rcpt
	ms.mu.Unlock()
}

type session struct {
	ms       *mailServer
	from, to string
}

func (s *session) Reset()        {}
func (s *session) Logout() error { return nil }
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.ms.mu.Lock()
	defer s.ms.mu.Unlock()
	if s.ms.failRcpt != nil {
		return s.ms.failRcpt
	}
	s.to = to
	return nil
}

func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.ms.mu.Lock()
	defer s.ms.mu.Unlock()
	if s.ms.failData != nil {
		return s.ms.failData
	}
	msg, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(quotedprintable.NewReader(msg.Body))
	s.ms.messages = append(s.ms.messages, received{From: s.from, To: s.to, Msg: msg, Body: strings.ReplaceAll(string(body), "\r\n", "\n")})
	return nil
}

// smsGateway is an HTTP SMS provider on loopback.
type smsGateway struct {
	mu   sync.Mutex
	sent []map[string]string
}

func (g *smsGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var m map[string]string
	if r.Header.Get("Authorization") != "Bearer segreto" || json.NewDecoder(r.Body).Decode(&m) != nil {
		http.Error(w, "no", http.StatusBadRequest)
		return
	}
	g.mu.Lock()
	g.sent = append(g.sent, m)
	g.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// hubWithRequest is a hub database with one request whose form gives an
// email, a PEC address and a mobile number.
func hubWithRequest(t *testing.T, clk *clock) (*sqlstore.DB, *request.Request) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = clk.Now
	db.PublicURL = "https://hub.comuneamico.it/"
	if err := db.EnsureComune(ctx, "F205", "MILANO"); err != nil {
		t.Fatal(err)
	}
	born := app.Date(1980, 4, 12)
	code, _ := cf.Compute(cf.Person{Surname: "Verdi", Name: "Giuseppe", Sex: "M", BirthDate: born, BirthPlaceCode: "F205"})
	citizen := app.Citizen{CodiceFiscale: code, Surname: "Verdi", GivenName: "Giuseppe", Sex: "M", BirthDate: born, BirthPlaceCode: "F205",
		Citizenship: "ITA", CivilStatus: app.CivilStatusSingle, Comune: "F205", Address: app.Address{Street: "Via Dante", HouseNumber: "1"},
		FamilyID: "F205-1", Relationship: app.RelationshipHead, Status: app.StatusResident, RegisteredOn: born, Certifiability: app.CertifiableFully}
	if _, err := db.ReplaceAnagrafe(ctx, "F205", []app.Citizen{citizen}); err != nil {
		t.Fatal(err)
	}
	if err := db.ImportCatalogue(ctx, request.DefaultCatalogue()); err != nil {
		t.Fatal(err)
	}
	enrol, err := db.NewEnrollCode(ctx, "F205", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	e, err := db.Enroll(ctx, enrol, "Sportello 1", pub)
	if err != nil {
		t.Fatal(err)
	}
	dev, err := db.DeviceByToken(ctx, e.Token)
	if err != nil {
		t.Fatal(err)
	}
	r := &request.Request{ID: request.NewID(), Comune: "F205", Provisional: request.ProvisionalNumber(dev.ID, 1), Service: "segnalazione-disservizio",
		ServiceTitle: "Segnalazione di un disservizio", CodiceFiscale: code, ApplicantName: "Verdi Giuseppe",
		Values: request.Values{"cognome": "Verdi", "nome": "Giuseppe", "codice_fiscale": code, "categoria": "strade", "luogo": "Via Dante 1",
			"descrizione": "Buca profonda", "email": "giuseppe.verdi@example.it", "pec": "giuseppe.verdi@pec.example.it", "cellulare": "+393331234567",
			"dichiarazione": "si", "privacy": "si"},
		SubmittedAt: clk.Now(), Operator: "demo", Device: dev.ID, Channel: "sportello", FollowCode: "ABCDEFGHJKLMNPQR"}
	data := request.EncodeRequestFact(r)
	res := db.ApplyOp(ctx, dev, app.Operation{ID: request.NewID(), Device: dev.ID, Seq: 1, Kind: request.FactRequest, CreatedAt: clk.Now(), Data: data})
	if !res.Applied {
		t.Fatalf("request refused: %+v", res)
	}
	got, err := db.HubRequest(ctx, "F205", r.ID)
	if err != nil {
		t.Fatal(err)
	}
	return db, got
}

func states(t *testing.T, db *sqlstore.DB, requestID string) map[string]string {
	t.Helper()
	ns, err := db.Notices(context.Background(), requestID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, n := range ns {
		out[n.ID] = n.State
	}
	return out
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// TestNotifierThroughSMTP sends the notices of a request's changes to a
// real SMTP server on loopback (email and PEC) and to an SMS gateway over
// HTTP: each once, retried after a temporary refusal, dropped after a
// permanent one, and never sent again after a crash between sending and
// marking.
func TestNotifierThroughSMTP(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)}
	db, req := hubWithRequest(t, clk)
	email, pec := newMailServer(t), newMailServer(t)
	gw := &smsGateway{}
	gwSrv := httptest.NewServer(gw)
	t.Cleanup(gwSrv.Close)
	newWorker := func() *notify.Worker {
		return &notify.Worker{Queue: db, Log: quiet, Now: clk.Now, Backoff: func(int) time.Duration { return time.Minute },
			Senders: map[string]notify.Sender{
				request.ChannelEmail: &notify.SMTP{Addr: email.Addr, From: "sportello@comune.milano.it", Now: clk.Now},
				request.ChannelPEC:   &notify.SMTP{Addr: pec.Addr, From: "protocollo@pec.comune.milano.it", Now: clk.Now},
				request.ChannelSMS:   notify.SMS{Gateway: notify.HTTPGateway{URL: gwSrv.URL, Token: "segreto"}},
			}}
	}
	w := newWorker()
	if err := w.Start(ctx); err != nil {
		t.Fatal(err)
	}

	n, err := w.RunOnce(ctx)
	if err != nil || n != 3 {
		t.Fatalf("first run sent %d (%v)", n, err)
	}
	mails := email.got()
	if len(mails) != 1 || len(pec.got()) != 1 || len(gw.sent) != 1 {
		t.Fatalf("delivered: %d email, %d PEC, %d SMS", len(mails), len(pec.got()), len(gw.sent))
	}
	m := mails[0]
	subject, _ := new(mime.WordDecoder).DecodeHeader(m.Msg.Header.Get("Subject"))
	wantID := "<" + req.ID + ".v1.email@sportello>"
	if m.To != "giuseppe.verdi@example.it" || m.Msg.Header.Get("Message-ID") != wantID ||
		!strings.Contains(subject, req.Number) || !strings.Contains(subject, "ricevuta") || !strings.Contains(subject, "Milano") ||
		!strings.Contains(m.Body, "protocollata con il numero "+req.Number) {
		t.Fatalf("email: to %s, id %s, subject %q, body %q", m.To, m.Msg.Header.Get("Message-ID"), subject, m.Body)
	}
	// The email and the PEC link to the request's page on the hub; the
	// SMS stays one message.
	link := "https://hub.comuneamico.it/pratica?id=" + req.ID + "&k=" + req.FollowCode
	if !strings.Contains(m.Body, "Può seguirla a questo indirizzo, o inquadrando il codice QR della ricevuta:\n"+link+"\n") {
		t.Fatalf("the email does not link to %s:\n%s", link, m.Body)
	}
	if p := pec.got()[0]; p.To != "giuseppe.verdi@pec.example.it" || p.From != "protocollo@pec.comune.milano.it" || !strings.Contains(p.Body, link) {
		t.Fatalf("PEC: %s -> %s\n%s", p.From, p.To, p.Body)
	}
	if s := gw.sent[0]; s["to"] != "+393331234567" || !strings.Contains(s["text"], req.Number) || s["id"] != req.ID+".v1.sms@sportello" ||
		strings.Contains(s["text"], "http") || len(s["text"]) > 160 {
		t.Fatalf("SMS: %v", s)
	}

	t.Run("NeverTwice", func(t *testing.T) {
		clk.Advance(time.Hour)
		if n, err := w.RunOnce(ctx); err != nil || n != 0 {
			t.Fatalf("second run sent %d (%v)", n, err)
		}
		if len(email.got()) != 1 || len(pec.got()) != 1 || len(gw.sent) != 1 {
			t.Fatal("a notice went out twice")
		}
	})

	t.Run("RetriedAfterTemporaryRefusal", func(t *testing.T) {
		if _, err := db.SetRequestStatus(ctx, "F205", req.Number, request.StatusWorking, "sopralluogo fissato", "hub:ufficio"); err != nil {
			t.Fatal(err)
		}
		email.fail(&smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "riprovare più tardi"}, nil)
		if n, err := w.RunOnce(ctx); err != nil || n != 2 {
			t.Fatalf("run during the outage sent %d (%v)", n, err)
		}
		id := req.ID + ".v2.email@sportello"
		if st := states(t, db, req.ID)[id]; st != request.NoticeQueued {
			t.Fatalf("after a 451 the email is %q", st)
		}
		email.fail(nil, nil)
		if n, _ := w.RunOnce(ctx); n != 0 {
			t.Fatalf("retried before its backoff: %d", n)
		}
		clk.Advance(2 * time.Minute)
		if n, err := w.RunOnce(ctx); err != nil || n != 1 {
			t.Fatalf("retry sent %d (%v)", n, err)
		}
		got := email.got()
		if len(got) != 2 || got[1].Msg.Header.Get("Message-ID") != "<"+id+">" || !strings.Contains(got[1].Body, "sopralluogo fissato") {
			t.Fatalf("after the retry: %d emails", len(got))
		}
	})

	t.Run("PermanentRefusalIsNotRetried", func(t *testing.T) {
		if _, err := db.SetRequestStatus(ctx, "F205", req.Number, request.StatusIntegration, "manca la fotografia", "hub:ufficio"); err != nil {
			t.Fatal(err)
		}
		email.fail(nil, &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "casella inesistente"})
		w.RunOnce(ctx)
		email.fail(nil, nil)
		clk.Advance(24 * time.Hour)
		w.RunOnce(ctx)
		if st := states(t, db, req.ID)[req.ID+".v3.email@sportello"]; st != request.NoticeFailed || len(email.got()) != 2 {
			t.Fatalf("after a 550 the email is %q, %d delivered", st, len(email.got()))
		}
	})

	t.Run("CrashBetweenSendAndMark", func(t *testing.T) {
		if _, err := db.SetRequestStatus(ctx, "F205", req.Number, request.StatusConcluded, "buca riparata", "hub:ufficio"); err != nil {
			t.Fatal(err)
		}
		// A worker claims the notices, hands them over and dies before
		// marking them: they may have been delivered.
		claimed, err := db.ClaimNotices(ctx, clk.Now(), 10)
		if err != nil || len(claimed) != 3 {
			t.Fatalf("claimed %d (%v)", len(claimed), err)
		}
		before := len(email.got())
		id := req.ID + ".v4.email@sportello"
		// Another hub process starting while the claim runs leaves it to
		// its worker.
		w2 := newWorker()
		if err := w2.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if st := states(t, db, req.ID)[id]; st != request.NoticeSending {
			t.Fatalf("a live claim taken for a stopped one: %q", st)
		}
		// The claim lapses: its worker stopped.
		clk.Advance(time.Hour)
		if err := w2.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if n, _ := w2.RunOnce(ctx); n != 0 || len(email.got()) != before {
			t.Fatalf("the restarted worker sent %d notices that may have gone out already", n)
		}
		if st := states(t, db, req.ID)[id]; st != request.NoticeUncertain {
			t.Fatalf("interrupted notice is %q", st)
		}
		// A person checks and sends it again.
		if err := db.RequeueNotice(ctx, id); err != nil {
			t.Fatal(err)
		}
		if n, err := w2.RunOnce(ctx); err != nil || n != 1 || len(email.got()) != before+1 {
			t.Fatalf("requeued: sent %d (%v)", n, err)
		}
	})
}
