package sync_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	stdsync "sync"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/pagopa"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/app/queue"
	"github.com/sportello/sportello/app/request"
	"github.com/sportello/sportello/hub"
	"github.com/sportello/sportello/hub/sqlstore"
	"github.com/sportello/sportello/internal/pgdb/pgtest"
	"github.com/sportello/sportello/sync"
	"github.com/sportello/sportello/sync/wire"
)

// TestMigrateToPostgres moves a hub that served a workstation from its
// SQLite file to PostgreSQL (sqlstore.CopyToPostgres, what sportello-hub
// migrate runs) between two of the workstation's rounds: the workstation
// goes on from its cursors, pulls the changes made before the move, sends
// its new work once, and is never told the hub was restored; a second
// migration into the same database is refused with nothing changed.
func TestMigrateToPostgres(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "hub.db")
	h := newHubOn(t, file)
	w := h.synced("F205")
	w.audit(t, 3)
	if err := w.C.Round(ctx); err != nil {
		t.Fatal(err)
	}
	// Changes the workstation has not pulled yet when the hub moves.
	moved := slices.Clone(milano())
	moved[0].Address.Street = "Via Nuova"
	h.replace("F205", moved)
	before := h.lastSeq("F205")
	h.Stop()
	h.DB.Close()

	url := pgtest.NewDatabase(t)
	counts, err := sqlstore.CopyToPostgres(ctx, file, url)
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) < 20 {
		t.Fatalf("%d tables copied", len(counts))
	}
	if _, err := sqlstore.CopyToPostgres(ctx, file, url); err == nil {
		t.Fatal("a second migration into a database that holds a hub was taken")
	}
	pg, err := sqlstore.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Close() })
	pg.Now = h.Clk.Now
	h.DB, h.Path = pg, url
	h.handler = hub.NewServer(hub.Deps{DB: pg, Log: quiet, Now: h.Clk.Now})
	h.Start()
	if got := h.lastSeq("F205"); got != before {
		t.Fatalf("change log at %d after the move, %d before", got, before)
	}

	w.audit(t, 2)
	if err := w.C.Round(ctx); err != nil {
		t.Fatalf("round after the move: %v", err)
	}
	assertMirrors(t, h, w)
	if got := h.opsAtHub(w.Profile.Device); got != 5 {
		t.Errorf("%d audit operations at the hub, want 5, each once", got)
	}
	if st := w.C.Status(); !st.HubRestored.IsZero() || st.Resent != 0 {
		t.Errorf("the workstation was told the hub was restored: %+v", st)
	}
	pending, parked := w.outbox(t)
	if pending != 0 || parked != 0 {
		t.Errorf("outbox after the move: %d pending, %d parked", pending, parked)
	}
}

// TestTwoHubsOneDatabase runs two hubs, each with its own connections, on
// one PostgreSQL database, as two hub processes behind a load balancer:
// workstations enrol at both at once and get distinct device ids; four
// counters take requests and sync at the same time, half through each hub,
// and the protocol numbers come out unique and gap-free; every push to the
// first hub reaches the second at the same moment too (a balancer that
// sends a request again elsewhere), and each operation is applied once;
// every workstation ends with the whole comune's requests. Then the four
// ask for IUV blocks and pay one position in cash at once, and the pagoPA
// node reports another paid through both hubs at once: the blocks do not
// overlap, one payment of each position is the payment and the others are
// duplicates, and no receipt number is given twice.
func TestTwoHubsOneDatabase(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	a, b := newHubOn(t, url), newHubOn(t, url)
	people := milano()
	a.replace("F205", people)
	if _, err := hub.SeedCatalogue(ctx, a.DB, "F205"); err != nil {
		t.Fatal(err)
	}
	a.SetFault(func(w http.ResponseWriter, r *http.Request, next http.Handler) bool {
		if r.Method != http.MethodPost || r.URL.Path != "/v1/ops" {
			return false
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return false
		}
		twin := r.Clone(r.Context())
		twin.Body = io.NopCloser(bytes.NewReader(body))
		r.Body = io.NopCloser(bytes.NewReader(body))
		done := make(chan struct{})
		go func() {
			defer close(done)
			b.handler.ServeHTTP(httptest.NewRecorder(), twin)
		}()
		next.ServeHTTP(w, r)
		<-done
		return true
	})

	// Four enrolments at once, two at each hub.
	const n = 4
	ws := make([]*workstation, n)
	errs := make(chan error, n)
	for i := range n {
		h := []*testHub{a, b}[i%2]
		code := h.code("F205", time.Hour)
		st := openStore(t)
		go func() {
			c := sync.New(st, options())
			p, err := c.Enroll(ctx, h.URL, code, fmt.Sprintf("Sportello %d", i))
			if err == nil {
				ws[i] = &workstation{St: st, C: c, Profile: p}
			}
			errs <- err
		}()
	}
	ids := map[string]bool{}
	for range n {
		if err := <-errs; err != nil {
			t.Fatalf("enrol: %v", err)
		}
	}
	for _, w := range ws {
		ids[w.Profile.Device] = true
	}
	if len(ids) != n {
		t.Fatalf("device ids %v: not %d distinct ones", ids, n)
	}

	// Requests and syncs at once, through both hubs.
	const each = 5
	for _, w := range ws {
		w := w
		go func() {
			err := w.C.Round(ctx)
			d := deskOf(w)
			guasto, serr := d.Service(ctx, "segnalazione-disservizio")
			for i := 0; i < each && err == nil && serr == nil; i++ {
				file := openFile(t, w, people[i%len(people)].CodiceFiscale)
				if _, _, err = d.Submit(ctx, clerk, file, "segnalazione-disservizio", report(d, guasto, file, i), nil); err == nil {
					w.audit(t, 1)
					err = w.C.Round(ctx)
				}
			}
			errs <- errors.Join(err, serr)
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatalf("counter: %v", err)
		}
	}
	for _, w := range ws { // everyone pulls what the others pushed last
		if err := w.C.Round(ctx); err != nil {
			t.Fatal(err)
		}
	}

	reqs, err := a.DB.HubRequests(ctx, "F205", "")
	if err != nil {
		t.Fatal(err)
	}
	var numbers []string
	for _, r := range reqs {
		numbers = append(numbers, r.Number)
	}
	slices.Sort(numbers)
	year := a.Clk.Now().In(app.Rome).Year()
	for i, got := range numbers {
		if want := request.ProtocolNumber(year, int64(i+1)); got != want {
			t.Fatalf("protocol numbers not unique and gap-free: %v", numbers)
		}
	}
	if len(numbers) != n*each {
		t.Fatalf("%d requests at the hub, want %d", len(numbers), n*each)
	}
	for _, w := range ws {
		// Every operation of the device applied, once: as many as its
		// highest number, with a request and an audit event per round.
		m, err := b.DB.DeviceMark(ctx, w.Profile.Device)
		if err != nil {
			t.Fatal(err)
		}
		if got := int64(a.opsAtHub(w.Profile.Device)); got != m.Seq || m.Applied != m.Seq || m.Seq < 2*each {
			t.Errorf("%s: %d operations at the hub, mark %+v: want each of its operations once", w.Profile.Device, got, m)
		}
		if pending, parked := w.outbox(t); pending != 0 || parked != 0 {
			t.Errorf("%s: %d pending, %d parked", w.Profile.Device, pending, parked)
		}
		for _, r := range reqs {
			if got, err := w.St.Request(ctx, r.ID); err != nil || got.Number != r.Number {
				t.Errorf("%s: request %s (%s): %v %v", w.Profile.Device, r.ID, r.Number, got, err)
			}
		}
	}

	// IUV blocks and payments, at once through both hubs.
	if err := a.DB.PutPayee(ctx, &milanoPayee); err != nil {
		t.Fatal(err)
	}
	pos := func(causale string) *payment.Position {
		p, err := a.DB.CreatePosition(ctx, payment.Position{Comune: "F205", DebtorCF: people[0].CodiceFiscale, DebtorName: "Rossi Mario",
			Service: payment.ServiceTARI, Causale: causale, AmountCents: 12000, DueDate: app.Date(2026, 12, 31)})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	tari, online := pos("TARI 2026 rata unica"), pos("TARI 2026 conguaglio")
	for _, w := range ws {
		if err := w.C.Round(ctx); err != nil { // the payee and the positions
			t.Fatal(err)
		}
	}
	now := func() time.Time { return a.Clk.Now() }
	for _, w := range ws {
		go func() {
			c := cashier(w, now)
			_, _, err := c.Pay(ctx, clerk, tari.ID, payment.Cash)
			if err == nil {
				if _, err = w.St.RequestIUVBlock(ctx, now()); err == nil {
					err = w.C.Round(ctx)
				}
			}
			errs <- err
		}()
	}
	paid := make(chan *sqlstore.OnlinePayment, 2)
	for _, h := range []*testHub{a, b} {
		go func() {
			op, err := h.DB.RecordOnlinePayment(ctx, online.Avviso, 12000, now())
			if err != nil {
				t.Error(err)
			}
			paid <- op
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatalf("cashier: %v", err)
		}
	}
	first, second := <-paid, <-paid
	if first == nil || second == nil || first.Answer.Duplicate == second.Answer.Duplicate || first.Receipt == second.Receipt {
		t.Fatalf("one position paid online through both hubs at once: %+v, %+v", first, second)
	}
	pays, err := a.DB.PositionPayments(ctx, "F205", tari.ID)
	if err != nil {
		t.Fatal(err)
	}
	receipts, dups := map[string]bool{}, 0
	for _, p := range pays {
		receipts[p.Receipt] = true
		if p.DuplicateOf != "" {
			dups++
		}
	}
	if len(pays) != n || len(receipts) != n || dups != n-1 {
		t.Fatalf("a position paid at four counters at once: %+v", pays)
	}
	// The blocks as the hub answered them (the answers the workstations
	// stored come from these).
	raw := a.rawDB()
	defer raw.Close()
	rows, err := raw.QueryContext(ctx, `SELECT result FROM ops WHERE kind = ?`, "iuv_block")
	if err != nil {
		t.Fatal(err)
	}
	var blocks []pagopa.Block
	for rows.Next() {
		var res string
		if err := rows.Scan(&res); err != nil {
			t.Fatal(err)
		}
		var r wire.OpResult
		if err := json.Unmarshal([]byte(res), &r); err != nil {
			t.Fatal(err)
		}
		bl, err := payment.DecodeBlock(r.Data)
		if err != nil {
			t.Fatal(err)
		}
		blocks = append(blocks, bl)
	}
	rows.Close()
	if len(blocks) < n {
		t.Fatalf("%d IUV blocks for %d workstations", len(blocks), n)
	}
	for i, x := range blocks {
		for _, y := range blocks[i+1:] {
			if x.Aux == y.Aux && x.Code == y.Code && x.First <= y.Last && y.First <= x.Last {
				t.Fatalf("IUV blocks overlap: %v", blocks)
			}
		}
	}
}

// TestTwoHubsQueueCalls: two hub processes on one PostgreSQL database, a
// kiosk issuing tickets through the first, and two counters — one on each
// hub — calling twelve times at once for six tickets: every ticket is
// called once, by one counter, and the calls beyond them find nobody.
func TestTwoHubsQueueCalls(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	a, b := newHubOn(t, url), newHubOn(t, url)
	rome, _ := time.LoadLocation("Europe/Rome")
	y, m, d := time.Now().In(rome).Date()
	morning := time.Date(y, m, d, 10, 0, 0, 0, rome).UTC()
	for _, h := range []*testHub{a, b} {
		h.Clk.mu.Lock()
		h.Clk.t = morning
		h.Clk.mu.Unlock()
	}
	a.replace("F205", milano())
	if err := a.DB.PutAreas(ctx, "F205", []queue.Area{{Code: "A", Name: "Anagrafe", Minutes: 6, Kiosk: true}}); err != nil {
		t.Fatal(err)
	}
	kiosk := a.queueDesk("F205")
	c1, c2 := a.queueDesk("F205"), b.queueDesk("F205")
	for range 6 {
		tk, err := kiosk.Q.Issue(ctx, "A", "", "")
		if err != nil {
			t.Fatal(err)
		}
		if err := kiosk.Q.Printed(ctx, tk); err != nil {
			t.Fatal(err)
		}
	}
	var mu stdsync.Mutex
	calls := map[string][]string{} // ticket → the counters that got it
	var wg stdsync.WaitGroup
	for i := range 12 {
		desk := c1
		if i%2 == 1 {
			desk = c2
		}
		counter := fmt.Sprint(i + 1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			tk, err := desk.Q.CallNext(ctx, "demo", counter, []string{"A"})
			if err != nil {
				t.Error(err)
				return
			}
			if tk != nil {
				mu.Lock()
				calls[tk.Number] = append(calls[tk.Number], counter)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(calls) != 6 {
		t.Fatalf("called %v, want the 6 tickets", calls)
	}
	for number, by := range calls {
		if len(by) != 1 {
			t.Errorf("ticket %s called by counters %v, want one", number, by)
		}
	}
}
