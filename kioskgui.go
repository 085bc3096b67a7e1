package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	stdsync "sync"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"github.com/google/uuid"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/app/kiosk"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/app/queue"
	"github.com/sportello/sportello/printing"
	"github.com/sportello/sportello/ui"
)

// The kiosk (--kiosk) and the display board (--board) are workstations of
// their own: each enrols in the network with its own device, key and
// outbox, so that a kiosk's offline tickets carry its own prefix. On the
// embedded demo each keeps its profile in a folder of the counter's
// ("kiosk", "board") and runs the demo hub over the same database as the
// counter, as several hub processes share one database in production.

// openRole opens the workstation of a kiosk or board and, on the demo,
// starts the embedded hub and enrols it. It returns the workstation, the
// profile and the log of the role, size-bounded under the profile.
func openRole(ctx context.Context, o options, role, name string) (*workstation, *app.Profile, string, *slog.Logger, error) {
	demoDir := filepath.Join(o.data, "demo-hub")
	_, demoErr := os.Stat(demoDir)
	counter, err := openWorkstation(o, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return nil, nil, "", nil, err
	}
	_, perr := counter.store.Profile(ctx)
	counter.Close()
	demo := demoErr == nil || (app.ErrorCode(perr) == app.ENOTFOUND && o.hubURL == "")
	ro := o
	if demo {
		ro.data = filepath.Join(o.data, role)
	}
	if err := os.MkdirAll(ro.data, 0o700); err != nil {
		return nil, nil, "", nil, err
	}
	logw := &rotatingLog{path: filepath.Join(ro.data, role+".log"), max: 1 << 20}
	log := slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: slog.LevelInfo}))
	ws, err := openWorkstation(ro, log)
	if err != nil {
		return nil, nil, "", nil, err
	}
	if demo {
		url, err := startDemoHub(ctx, demoDir, log)
		if err != nil {
			ws.Close()
			return nil, nil, "", nil, fmt.Errorf("embedded demo hub: %w", err)
		}
		if err := ensureRoleEnrolled(ctx, ws, url, demoDir, name); err != nil {
			ws.Close()
			return nil, nil, "", nil, fmt.Errorf("enrol the %s in the demo network: %w", role, err)
		}
	}
	p, err := ws.profile(ctx)
	if err != nil {
		ws.Close()
		return nil, nil, "", nil, err
	}
	if o.hubURL != "" && o.hubURL != p.HubURL {
		p.HubURL = o.hubURL
		if err := ws.store.SaveProfile(ctx, p); err != nil {
			ws.Close()
			return nil, nil, "", nil, err
		}
	}
	if err := ws.client.Round(ctx); err != nil {
		log.Info("first sync", "err", err) // offline is normal: the cache serves
	}
	return ws, p, ro.data, log, nil
}

// ensureRoleEnrolled enrols a workstation (the counter, the kiosk, the
// board) in the demo network under name the first time, and follows the
// hub to its new port afterwards.
func ensureRoleEnrolled(ctx context.Context, ws *workstation, url, dir, name string) error {
	p, err := ws.store.Profile(ctx)
	switch {
	case app.ErrorCode(err) == app.ENOTFOUND:
		code, err := demoEnrollCode(ctx, dir)
		if err != nil {
			return err
		}
		_, err = ws.client.Enroll(ctx, url, code, name)
		return err
	case err != nil:
		return err
	case p.HubURL != url:
		p.HubURL = url
		return ws.store.SaveProfile(ctx, p)
	}
	return nil
}

// runKiosk opens the public kiosk, fullscreen, with no way out from its
// window: closing is refused, and there is no menu.
func runKiosk(ctx context.Context, o options) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ws, p, dir, log, err := openRole(ctx, o, "kiosk", "Chiosco dimostrativo")
	if err != nil {
		return err
	}
	defer ws.Close()
	go ws.client.Run(ctx, syncInterval, maxBackoff)
	q := newQueueService(ws)
	self := &kioskSelf{ws: ws, device: p.Device, certs: newCertificates(ws), now: time.Now}
	pr := &kioskPrinter{ticket: o.getenv("SPORTELLO_TICKET_PRINTER"), pdf: o.getenv("SPORTELLO_PRINTER"),
		dir: filepath.Join(dir, "stampe"), comune: p.ComuneName, log: log}
	a := fyneapp.NewWithID("it.sportello.kiosk")
	w := a.NewWindow("Sportello — chiosco")
	k := ui.NewKiosk(w, ui.KioskDeps{ComuneName: p.ComuneName, Queue: q, Self: self, Printer: pr, Lang: o.lang, Now: time.Now,
		Appointments: q, Device: p.Device, Payments: &kioskPayments{cashier: newCashier(ws)}})
	defer k.Close()
	w.SetCloseIntercept(func() { log.Info("close refused: the kiosk stays open") })
	w.SetFullScreen(o.getenv("SPORTELLO_KIOSK_WINDOWED") == "")
	w.Resize(fyne.NewSize(1280, 1024))
	w.SetMaster()
	w.ShowAndRun()
	return nil
}

// runBoard opens the display board, fullscreen.
func runBoard(ctx context.Context, o options) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ws, p, dir, log, err := openRole(ctx, o, "board", "Tabellone dimostrativo")
	if err != nil {
		return err
	}
	defer ws.Close()
	chime := newChime(filepath.Join(dir, "chime.wav"), o.stdout, log)
	a := fyneapp.NewWithID("it.sportello.board")
	w := a.NewWindow("Sportello — tabellone")
	b := ui.NewBoard(w, ui.BoardDeps{
		ComuneName: p.ComuneName,
		State:      ws.store.QueueState,
		Refresh: func(ctx context.Context) error {
			rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			return ws.client.Round(rctx)
		},
		Chime: chime,
		Lang:  o.lang,
	})
	defer b.Close()
	w.SetFullScreen(o.getenv("SPORTELLO_KIOSK_WINDOWED") == "")
	w.Resize(fyne.NewSize(1920, 1080))
	w.SetMaster()
	w.ShowAndRun()
	return nil
}

func newQueueService(ws *workstation) *queue.Service {
	return &queue.Service{Local: ws.store, Hub: ws.client, NewID: uuid.NewString, Now: time.Now,
		Outboxed: func() { ws.client.RefreshStatus(context.Background()); ws.client.SyncNow() }}
}

// kioskSelf is the citizen's self-service over the workstation.
type kioskSelf struct {
	ws     *workstation
	device string
	certs  *certificate.Service
	now    func() time.Time
}

// Identify checks the pair offline against the cache and opens the file
// as the kiosk's operator: the opening is audited like a counter's.
func (s *kioskSelf) Identify(ctx context.Context, code, doc string) (*app.CitizenFile, error) {
	c, err := kiosk.Identify(ctx, s.ws.store, s.ws.store, code, doc, s.now())
	if err != nil {
		return nil, err
	}
	return s.ws.counter.OpenFile(ctx, kiosk.Operator(s.device), c.CodiceFiscale)
}

func (s *kioskSelf) Policy(ctx context.Context) (kiosk.Policy, error) {
	return s.ws.store.KioskPolicy(ctx)
}

func (s *kioskSelf) Certificate(ctx context.Context, file *app.CitizenFile, slug string, use int) (string, []byte, error) {
	p, err := s.ws.store.KioskPolicy(ctx)
	if err != nil {
		return "", nil, err
	}
	req, err := p.Request(slug, use)
	if err != nil {
		return "", nil, err
	}
	is, pdf, err := s.certs.Issue(ctx, kiosk.Operator(s.device), file, req)
	if err != nil {
		return "", nil, err
	}
	return is.Certificate.Number.String(), pdf, nil
}

func (s *kioskSelf) Appointments(ctx context.Context, code string) ([]queue.Appointment, error) {
	return s.ws.store.Appointments(ctx, code)
}

func (s *kioskSelf) Notices(ctx context.Context) ([]kiosk.Notice, error) {
	return s.ws.store.Notices(ctx, app.Date(s.now().In(queue.Rome).Date()))
}

// Activity lists the person's requests and payment positions as the hub
// published them (record kinds "request" and "position", built by their
// own capabilities): a line of the fields a citizen reads.
func (s *kioskSelf) Activity(ctx context.Context, code string) ([]string, []string, error) {
	var out [2][]string
	for i, kind := range []string{"request", "position"} {
		recs, err := s.ws.store.Records(ctx, kind, code)
		if err != nil {
			return nil, nil, err
		}
		for _, r := range recs {
			out[i] = append(out[i], recordLine(r))
		}
	}
	return out[0], out[1], nil
}

// recordLine picks the fields a citizen reads from a record of another
// capability, whatever its exact shape: its number, what it is, its state,
// its amount and due date.
func recordLine(r app.Record) string {
	var m map[string]any
	if json.Unmarshal(r.Data, &m) != nil {
		return r.Key
	}
	parts := []string{}
	for _, keys := range [][]string{
		{"protocol", "protocollo", "number", "numero"},
		{"service_name", "service", "servizio", "causale", "title", "description"},
		{"status", "state", "stato"},
		{"amount_cents", "importo_cents", "amount"},
		{"due", "due_date", "scadenza"},
	} {
		for _, k := range keys {
			v, ok := m[k]
			if !ok || v == nil || v == "" {
				continue
			}
			switch x := v.(type) {
			case float64:
				if strings.HasSuffix(k, "cents") {
					parts = append(parts, fmt.Sprintf("€ %.2f", x/100))
				} else {
					parts = append(parts, fmt.Sprint(x))
				}
			case string:
				parts = append(parts, x)
			}
			break
		}
	}
	if len(parts) == 0 {
		return r.Key
	}
	return strings.Join(parts, " — ")
}

// kioskPrinter prints tickets on the thermal printer (ticket: tcp://,
// cups:QUEUE raw, a device file) or, without one, as a PDF on the CUPS
// printer (pdf) or in a file; certificates go to the CUPS printer or a
// file. Without any printer (the demo) each print overwrites one file,
// so the disk does not fill over weeks.
type kioskPrinter struct {
	ticket, pdf string
	dir         string
	comune      string
	log         *slog.Logger
}

func (p *kioskPrinter) PrintTicket(ctx context.Context, t queue.Ticket, area, holder, lang string) error {
	pt := printing.Ticket{Comune: "Comune di " + placeTitle(p.comune), Area: area, Number: t.Number, IssuedAt: time.Now().In(queue.Rome),
		Ahead: t.Ahead, Wait: t.WaitMinutes, Holder: holder, Offline: t.Number == t.Local, Lang: lang}
	if !t.Due.IsZero() {
		pt.Due = "Appuntamento delle " + t.Due.In(queue.Rome).Format("15:04")
		if lang == "en" {
			pt.Due = "Appointment at " + t.Due.In(queue.Rome).Format("15:04")
		}
	}
	if p.ticket != "" {
		return printing.ESCPOS{Target: p.ticket}.Print(ctx, printing.TicketESCPOS(pt))
	}
	pdf, err := printing.TicketPDF(pt)
	if err != nil {
		return err
	}
	return p.PrintPDF(ctx, "Biglietto "+t.Number, pdf)
}

func (p *kioskPrinter) PrintPDF(ctx context.Context, name string, pdf []byte) error {
	if p.pdf != "" {
		return printing.PrintTo(ctx, p.pdf, name, pdf)
	}
	if err := os.MkdirAll(p.dir, 0o700); err != nil {
		return app.Errorf(printing.CodePrinter, "cartella delle stampe non disponibile: %v", err)
	}
	file := "biglietto.pdf"
	if strings.HasPrefix(name, "Certificato") {
		file = "certificato.pdf"
	}
	path := filepath.Join(p.dir, file)
	p.log.Info("printed to file", "job", name, "path", path)
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		return app.Errorf(printing.CodePrinter, "stampa non riuscita: %v", err)
	}
	return nil
}

func placeTitle(s string) string {
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		if i > 0 && (w == "di" || w == "del" || w == "della") {
			continue
		}
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

// rotatingLog is the kiosk's log, bounded: past max bytes the file is
// moved to .1 (replacing the previous one) and a new one starts, so two
// files at most, for a machine nobody watches for weeks.
type rotatingLog struct {
	mu   stdsync.Mutex
	path string
	max  int64
	f    *os.File
	size int64
}

func (l *rotatingLog) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil || l.size+int64(len(b)) > l.max {
		if l.f != nil {
			l.f.Close()
			os.Rename(l.path, l.path+".1")
		}
		f, err := os.OpenFile(l.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return len(b), nil // a log that cannot be written must not stop the kiosk
		}
		fi, _ := f.Stat()
		l.f, l.size = f, fi.Size()
		if l.size+int64(len(b)) > l.max && l.size > 0 {
			l.f.Close()
			os.Rename(l.path, l.path+".1")
			l.f, _ = os.OpenFile(l.path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
			l.size = 0
		}
	}
	n, err := l.f.Write(b)
	l.size += int64(n)
	return n, err
}

// newChime returns the board's chime: a two-tone "ding-dong" written once
// as a WAV (16-bit mono PCM, made here: no audio library) and played with
// the first player found (paplay, aplay, ffplay); without one, the
// terminal bell.
func newChime(path string, stdout io.Writer, log *slog.Logger) func() {
	if err := os.WriteFile(path, chimeWAV(), 0o600); err != nil {
		log.Warn("chime", "err", err)
	}
	var player []string
	for _, p := range [][]string{{"paplay"}, {"aplay", "-q"}, {"ffplay", "-nodisp", "-autoexit", "-loglevel", "quiet"}} {
		if _, err := exec.LookPath(p[0]); err == nil {
			player = p
			break
		}
	}
	return func() {
		if player == nil {
			fmt.Fprint(stdout, "\a")
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := exec.CommandContext(ctx, player[0], append(player[1:], path)...).Run(); err != nil {
			fmt.Fprint(stdout, "\a")
		}
	}
}

// chimeWAV is 0.9 s of two decaying sine tones (E5 then C5).
func chimeWAV() []byte {
	const rate = 22050
	var pcm []int16
	for _, tone := range []float64{659.25, 523.25} {
		n := rate * 45 / 100
		for i := range n {
			t := float64(i) / rate
			v := math.Sin(2*math.Pi*tone*t) * math.Exp(-4*t) * 0.6
			pcm = append(pcm, int16(v*math.MaxInt16))
		}
	}
	var b bytes.Buffer
	data := len(pcm) * 2
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(36+data))
	b.WriteString("WAVEfmt ")
	for _, v := range []any{uint32(16), uint16(1), uint16(1), uint32(rate), uint32(rate * 2), uint16(2), uint16(16)} {
		binary.Write(&b, binary.LittleEndian, v) // fmt chunk: PCM, mono, 16 bit
	}
	b.WriteString("data")
	binary.Write(&b, binary.LittleEndian, uint32(data))
	binary.Write(&b, binary.LittleEndian, pcm)
	return b.Bytes()
}

// kioskPayments prints the identified citizen's pagoPA notices at the
// kiosk, over the counter's payment service (paymentcli.go): the same
// positions, amounts due today and notice layout.
type kioskPayments struct {
	cashier *payment.Cashier
}

// PayableNotices are the citizen's positions still to pay.
func (p *kioskPayments) PayableNotices(ctx context.Context, code string) ([]ui.KioskNotice, error) {
	views, err := p.cashier.List(ctx, code)
	if err != nil {
		return nil, err
	}
	var out []ui.KioskNotice
	for i := range views {
		v := &views[i]
		if v.DebtorCF != code || v.Payable(0) != nil {
			continue
		}
		label := fmt.Sprintf("%s — € %s", v.Causale, payment.Euro(v.AmountCents))
		if !v.DueDate.IsZero() {
			label += ", entro il " + v.DueDate.Format("02/01/2006")
		}
		out = append(out, ui.KioskNotice{ID: v.ID, Label: label})
	}
	return out, nil
}

// NoticePDF lays out the notice of one of the citizen's own positions.
func (p *kioskPayments) NoticePDF(ctx context.Context, code, id string) ([]byte, error) {
	v, err := p.cashier.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if v.DebtorCF != code {
		return nil, app.Errorf(app.EFORBIDDEN, "l'avviso non è intestato alla persona identificata")
	}
	if err := v.Payable(0); err != nil {
		return nil, err
	}
	_, pdf, err := p.cashier.Notice(ctx, id)
	return pdf, err
}
