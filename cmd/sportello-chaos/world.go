package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	stdsync "sync"
	"time"
)

// maxWorkstations is how many enrolled workstations the template holds.
const maxWorkstations = 3

// comune is the template's one comune: small, so that a run takes seconds.
const comune = "I690"

// template is a hub with a small demo comune and enrolled, synced
// workstations, made once and copied for every run.
type template struct {
	dir       string
	bin       binaries
	citizen   string   // a codice fiscale the requests are for
	positions []string // payment positions to pay, in one go each
}

func makeTemplate(ctx context.Context, bin binaries, root, dir string) (*template, error) {
	t := &template{dir: dir, bin: bin}
	hub := filepath.Join(dir, "hub")
	hb := bin.path("sportello-hub")
	for _, args := range [][]string{
		{"import-reference", "--data", hub, filepath.Join(root, "assets", "anpr")},
		{"demo", "--data", hub, "--comune", comune, "--residents", "20", "--seed", "1"},
	} {
		if o := runCmd(ctx, hb, nil, 0, args...); o.code != 0 {
			return nil, fmt.Errorf("sportello-hub %v: %s%s", args, o.out, o.err)
		}
	}
	h, err := startHub(bin, hub)
	if err != nil {
		return nil, err
	}
	defer h.stop()
	for i := 1; i <= maxWorkstations; i++ {
		o := runCmd(ctx, hb, nil, 0, "enroll-code", "--data", hub, "--comune", comune)
		if o.code != 0 {
			return nil, fmt.Errorf("enroll-code: %s", o.err)
		}
		ws := t.wsDir(i)
		for _, args := range [][]string{
			{"--data", ws, "enroll", "--hub", "http://" + h.addr, "--code", lastLine(o.out), "--name", fmt.Sprintf("chaos-%d", i)},
			{"--data", ws, "sync"},
		} {
			if o := runCmd(ctx, bin.path("sportello"), nil, 0, args...); o.code != 0 {
				return nil, fmt.Errorf("sportello %v: %s%s", args, o.out, o.err)
			}
		}
	}
	db, err := openRO(filepath.Join(t.wsDir(1), "sportello.db"))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	err = db.QueryRow(`SELECT codice_fiscale FROM citizens WHERE comune = ? AND status = 'residente'
		AND birth_date < '2000-01-01' ORDER BY codice_fiscale LIMIT 1`, comune).Scan(&t.citizen)
	if err != nil {
		return nil, fmt.Errorf("an adult of the demo comune: %w", err)
	}
	err = each(db, `SELECT key FROM records WHERE kind = 'position' AND json_extract(data, '$.state') = 'da_pagare'
		AND json_array_length(COALESCE(json_extract(data, '$.instalments'), '[]')) = 0 ORDER BY key`, func(rows *sql.Rows) error {
		var id string
		err := rows.Scan(&id)
		t.positions = append(t.positions, id)
		return err
	})
	if err != nil || len(t.positions) < 3 {
		return nil, fmt.Errorf("positions to pay: %d (%v)", len(t.positions), err)
	}
	return t, nil
}

func (t *template) wsDir(i int) string { return filepath.Join(t.dir, fmt.Sprintf("ws%d", i)) }

// confirmed is a request a workstation's command reported done.
type confirmed struct {
	ws          int
	provisional string
	number      string // the protocol number, when the command reported one
}

// world is one run: its hub, workstations and proxies, and what the
// workstations confirmed.
type world struct {
	ctx     context.Context
	bin     binaries
	tmpl    *template
	dir     string
	rng     *rand.Rand
	hubData string

	mu        stdsync.Mutex
	hub       *hubProc
	ws        []*workstation
	confirmed []confirmed
	receipts  map[string]int // cash payments confirmed: receipt → workstation
	closings  []int          // workstations whose day's closing was confirmed
	log       []string       // what happened, printed for a failing run
}

type workstation struct {
	n     int
	dir   string
	proxy *proxy
	env   []string // SPORTELLO_TEST_CLOCK_SKEW for a skewed workstation
}

func newWorld(ctx context.Context, tmpl *template, dir string, seed uint64, nws int) (*world, error) {
	w := &world{ctx: ctx, bin: tmpl.bin, tmpl: tmpl, dir: dir, rng: rand.New(rand.NewPCG(seed, 0xc4a05)),
		hubData: filepath.Join(dir, "hub")}
	if err := copyDir(filepath.Join(tmpl.dir, "hub"), w.hubData); err != nil {
		return nil, err
	}
	h, err := startHub(tmpl.bin, w.hubData)
	if err != nil {
		return nil, err
	}
	w.hub = h
	for i := 1; i <= nws; i++ {
		ws := &workstation{n: i, dir: filepath.Join(dir, fmt.Sprintf("ws%d", i))}
		if err := copyDir(tmpl.wsDir(i), ws.dir); err != nil {
			w.close()
			return nil, err
		}
		p, err := newProxy(h.addr, seed*31+uint64(i))
		if err != nil {
			w.close()
			return nil, err
		}
		ws.proxy = p
		w.ws = append(w.ws, ws)
		// The workstation follows its proxy, not the hub.
		if err := setHubURL(filepath.Join(ws.dir, "sportello.db"), "http://"+p.addr()); err != nil {
			w.close()
			return nil, err
		}
	}
	return w, nil
}

// setHubURL points a copied workstation at the run's proxy: the template
// was enrolled with a hub address that no longer exists.
func setHubURL(path, url string) error {
	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=5000")
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Exec(`UPDATE profile SET hub_url = ?`, url)
	return err
}

func (w *world) close() {
	w.stopHub()
	for _, ws := range w.ws {
		if ws.proxy != nil {
			ws.proxy.close()
		}
	}
}

func (w *world) logf(format string, args ...any) {
	w.mu.Lock()
	w.log = append(w.log, fmt.Sprintf(format, args...))
	w.mu.Unlock()
}

// intn and the other draws share the run's generator under the lock, so
// that concurrent steps can draw.
func (w *world) intn(n int) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.rng.IntN(n)
}

func (w *world) chance(perMille int) bool { return w.intn(1000) < perMille }

func (w *world) ms(lo, hi int) time.Duration {
	return time.Duration(lo+w.intn(hi-lo+1)) * time.Millisecond
}

var (
	reProvisional = regexp.MustCompile(`richiesta (\S+) presa in carico`)
	reProtocol    = regexp.MustCompile(`richiesta protocollata: (\S+) \(provvisorio (\S+)\)`)
)

// wsRun runs one command of workstation ws; killAfter > 0 SIGKILLs it
// then.
func (w *world) wsRun(ws *workstation, killAfter time.Duration, args ...string) outcome {
	full := append([]string{"--data", ws.dir}, args...)
	t0 := time.Now()
	o := runCmd(w.ctx, w.bin.path("sportello"), append([]string{"SPORTELLO_OPERATOR=demo"}, ws.env...), killAfter, full...)
	state := fmt.Sprintf("exit %d", o.code)
	if o.killed {
		state = fmt.Sprintf("SIGKILL after %v", killAfter)
	}
	said := lastLine(o.out)
	if said == "" || o.code != 0 {
		said = lastLine(o.err)
	}
	w.logf("ws%d %s: %s (%v) %s", ws.n, strings.Join(args[:min(2, len(args))], " "), state, time.Since(t0).Round(time.Millisecond), said)
	return o
}

// submit takes a request at ws and records it when the command says done.
func (w *world) submit(ws *workstation, killAfter time.Duration) {
	o := w.wsRun(ws, killAfter, "request", "submit", "--cf", w.tmpl.citizen, "--service", "segnalazione-disservizio",
		"--field", "categoria=illuminazione", "--field", "luogo=Via Roma 12", "--field", "descrizione=Lampione spento",
		"--field", "dichiarazione=si", "--field", "privacy=si")
	if o.code != 0 {
		return
	}
	c := confirmed{ws: ws.n}
	if m := reProtocol.FindStringSubmatch(o.out); m != nil {
		c.number, c.provisional = m[1], m[2]
	} else if m := reProvisional.FindStringSubmatch(o.out); m != nil {
		c.provisional = m[1]
	} else {
		w.logf("ws%d submit: exit 0 without a number: %q", ws.n, o.out)
		return
	}
	w.mu.Lock()
	w.confirmed = append(w.confirmed, c)
	w.mu.Unlock()
}

// submitN takes n requests at ws, one after the other.
func (w *world) submitN(ws *workstation, n int) {
	for range n {
		w.submit(ws, 0)
	}
}

var (
	reReceipt = regexp.MustCompile(`pagamento registrato: ricevuta (\S+),`)
	reClosing = regexp.MustCompile(`giornata \S+ di \S+ chiusa`)
)

// pay takes a cash payment of a position at ws and records its receipt
// when the command says done.
func (w *world) pay(ws *workstation, position string, killAfter time.Duration) {
	o := w.wsRun(ws, killAfter, "payment", "pay", "--id", position, "--method", "cash")
	if m := reReceipt.FindStringSubmatch(o.out); o.code == 0 && m != nil {
		w.mu.Lock()
		if w.receipts == nil {
			w.receipts = map[string]int{}
		}
		w.receipts[m[1]] = ws.n
		w.mu.Unlock()
	}
}

// closeDay closes the operator's day at ws and records it when the
// command says done.
func (w *world) closeDay(ws *workstation, killAfter time.Duration) {
	o := w.wsRun(ws, killAfter, "payment", "close", "--operator", "demo", "--out", filepath.Join(w.dir, fmt.Sprintf("chiusura-ws%d.pdf", ws.n)))
	if o.code == 0 && reClosing.MatchString(o.out) {
		w.mu.Lock()
		w.closings = append(w.closings, ws.n)
		w.mu.Unlock()
	}
}

func (w *world) sync(ws *workstation, killAfter time.Duration) outcome {
	return w.wsRun(ws, killAfter, "sync")
}

// moveOne moves a protocolled request at the hub, as the back office does:
// a change every workstation of the comune pulls and applies.
func (w *world) moveOne() {
	w.mu.Lock()
	var numbers []string
	for _, c := range w.confirmed {
		if c.number != "" {
			numbers = append(numbers, c.number)
		}
	}
	w.mu.Unlock()
	if len(numbers) == 0 {
		return
	}
	n := numbers[w.intn(len(numbers))]
	o := runCmd(w.ctx, w.bin.path("sportello-hub"), nil, 0, "request", "status", "--data", w.hubData, "--comune", comune,
		"--number", n, "--to", "in_lavorazione", "--note", "presa in carico")
	w.logf("hub request status %s: exit %d %s", n, o.code, lastLine(o.out+"\n"+o.err))
}

// killHub SIGKILLs the hub; restartHub serves the same data again and
// points every proxy at it.
func (w *world) killHub() {
	if h := w.takeHub(); h != nil {
		h.kill()
		w.logf("hub SIGKILL")
	}
}

// takeHub returns the running hub, if any, and forgets it.
func (w *world) takeHub() *hubProc {
	w.mu.Lock()
	defer w.mu.Unlock()
	h := w.hub
	w.hub = nil
	return h
}

func (w *world) restartHub() error {
	h, err := startHub(w.bin, w.hubData)
	if err != nil {
		return err
	}
	w.mu.Lock()
	w.hub = h
	w.mu.Unlock()
	for _, ws := range w.ws {
		ws.proxy.setTarget(h.addr)
	}
	w.logf("hub restarted")
	return nil
}

func (w *world) stopHub() {
	if h := w.takeHub(); h != nil {
		h.stop()
	}
}

// heal ends every fault and syncs each workstation until it has nothing
// left to send, then once more each, so that what one sent reaches the
// others.
func (w *world) heal() error {
	if w.hub == nil {
		if err := w.restartHub(); err != nil {
			return err
		}
	}
	for _, ws := range w.ws {
		ws.proxy.setFaults(0)
		ws.proxy.offline.Store(false)
	}
	for round := 0; round < 2; round++ {
		for _, ws := range w.ws {
			for try := 0; try < 4; try++ {
				if o := w.sync(ws, 0); o.code == 0 {
					break
				}
			}
		}
	}
	return nil
}

func removeAll(dir string) { os.RemoveAll(dir) }
