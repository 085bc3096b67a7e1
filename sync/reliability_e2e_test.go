package sync_test

// Reliability of the push against the real hub: failures are real SQLite
// failures of the hub's database (a trigger that aborts an insert, added
// through a second connection to its file), not hooks in the code.

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/app/request"
	"github.com/sportello/sportello/hub"
	"github.com/sportello/sportello/internal/pgdb"
	"github.com/sportello/sportello/sync"
	"github.com/sportello/sportello/sync/wire"
)

// breakTable makes the hub's inserts into table fail, as a database fault
// (not a refusal) whenever when holds; the returned function mends it.
func (h *testHub) breakTable(table, when string) (mend func()) {
	h.t.Helper()
	db := h.rawDB()
	name := "fault_" + table
	create := fmt.Sprintf(`CREATE TRIGGER %s BEFORE INSERT ON %s WHEN %s BEGIN SELECT RAISE(ABORT, 'guasto simulato'); END`, name, table, when)
	drop := `DROP TRIGGER ` + name
	if h.DB.Postgres() {
		create = fmt.Sprintf(`CREATE FUNCTION %[1]s() RETURNS trigger LANGUAGE plpgsql AS $f$
			BEGIN IF %[3]s THEN RAISE EXCEPTION 'guasto simulato'; END IF; RETURN NEW; END $f$;
			CREATE TRIGGER %[1]s BEFORE INSERT ON %[2]s FOR EACH ROW EXECUTE FUNCTION %[1]s()`, name, table, when)
		drop = fmt.Sprintf(`DROP TRIGGER %[1]s ON %[2]s; DROP FUNCTION %[1]s()`, name, table)
	}
	if _, err := db.Exec(create); err != nil {
		h.t.Fatal(err)
	}
	return func() {
		h.t.Helper()
		if _, err := db.Exec(drop); err != nil {
			h.t.Fatal(err)
		}
		db.Close()
	}
}

// rawDB opens the hub's database beside the hub, as an administrator
// would, on either engine.
func (h *testHub) rawDB() *sql.DB {
	h.t.Helper()
	if h.DB.Postgres() {
		db, err := pgdb.Open(context.Background(), h.Path, 2)
		if err != nil {
			h.t.Fatal(err)
		}
		return db
	}
	db, err := sql.Open("sqlite3", h.Path+"?_busy_timeout=5000")
	if err != nil {
		h.t.Fatal(err)
	}
	return db
}

// opsAtHub counts the device's operations the hub has applied.
func (h *testHub) opsAtHub(device string) int {
	h.t.Helper()
	db := h.rawDB()
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM ops WHERE device = ?`, device).Scan(&n); err != nil {
		h.t.Fatal(err)
	}
	return n
}

func withBatch(h *testHub, w *workstation, n int) {
	opt := options()
	opt.PushBatch = n
	w.C = sync.New(w.St, opt)
}

// TestPerDeviceOrder: when the hub fails to record one operation of a
// batch, nothing behind it is applied; the workstation resends from it.
func TestPerDeviceOrder(t *testing.T) {
	ctx := context.Background()

	t.Run("NothingAfterTheFailedOpIsApplied", func(t *testing.T) {
		h := newHub(t)
		h.replace("F205", milano())
		w := h.synced("F205")
		withBatch(h, w, 10)
		before := h.opsAtHub(w.Profile.Device)
		w.audit(t, 5)
		signer(t, h, w, "gbianchi", app.RoleSupervisor) // the decision to retry carries the proof
		mend := h.breakTable("audit", "NEW.seq = 2")
		err := w.C.Round(ctx)
		wantCode(t, err, app.EOFFLINE)
		if got := h.opsAtHub(w.Profile.Device) - before; got != 1 {
			t.Fatalf("hub applied %d operations of the batch, want only the one before the failure", got)
		}
		if n, _ := h.DB.AuditCount(ctx, w.Profile.Device); n != 1 {
			t.Fatalf("hub audit events = %d, want 1", n)
		}
		if p, k := w.outbox(t); p != 4 || k != 0 {
			t.Fatalf("outbox pending %d parked %d, want 4 and 0", p, k)
		}
		mend()
		round(t, w)
		if n, _ := h.DB.AuditCount(ctx, w.Profile.Device); n != 5 {
			t.Fatalf("hub audit events after the fault = %d, want 5", n)
		}
		if p, k := w.outbox(t); p != 0 || k != 0 {
			t.Fatalf("outbox pending %d parked %d after the fault", p, k)
		}
	})

	t.Run("ClosingNeverLandsBeforeThePayment", func(t *testing.T) {
		h := newHub(t)
		people := milano()
		h.replace("F205", people)
		if err := h.DB.PutPayee(ctx, &milanoPayee); err != nil {
			t.Fatal(err)
		}
		pos, err := h.DB.CreatePosition(ctx, payment.Position{Comune: "F205", DebtorCF: people[0].CodiceFiscale, DebtorName: "ROSSI MARIO",
			Service: payment.ServiceTARI, Causale: "TARI 2026 rata unica", AmountCents: 12000, DueDate: app.Date(2026, 12, 31)})
		if err != nil {
			t.Fatal(err)
		}
		w := h.synced("F205")
		withBatch(h, w, 50)
		now := func() time.Time { return time.Date(2026, 11, 23, 9, 30, 0, 0, app.Rome) }
		c := cashier(w, now)
		op := &app.Operator{Username: "mrossi", Name: "Maria Rossi"}
		signer(t, h, w, op.Username)
		h.Stop()
		if _, _, err := c.Pay(ctx, op, pos.ID, payment.Cash); err != nil {
			t.Fatal(err)
		}
		day := payment.DayOf(now())
		if _, _, err := c.Close(ctx, op, day); err != nil {
			t.Fatal(err)
		}
		h.Start()
		mend := h.breakTable("payments", "1 = 1")
		for range 2 { // the hub fails the payment twice: the closing waits
			wantCode(t, w.C.Round(ctx), app.EOFFLINE)
			if closed, _, _, err := h.DB.ClosedDay(ctx, w.Profile.Device, op.Username, day); err != nil || closed {
				t.Fatalf("the hub closed the day before it had its payment (%v)", err)
			}
		}
		mend()
		round(t, w)
		closed, total, hubTotal, err := h.DB.ClosedDay(ctx, w.Profile.Device, op.Username, day)
		if err != nil || !closed || total != 12000 || hubTotal != 12000 {
			t.Fatalf("hub's closing: closed %v total %d hub total %d (%v), want 12000 both", closed, total, hubTotal, err)
		}
		if pays, _ := h.DB.PositionPayments(ctx, "F205", pos.ID); len(pays) != 1 {
			t.Fatalf("hub payments = %d, want 1", len(pays))
		}
		if p, k := w.outbox(t); p != 0 || k != 0 {
			t.Fatalf("outbox pending %d parked %d", p, k)
		}
	})
}

// TestNothingStuck: an operation that cannot go does not hold back the
// ones behind it for ever.
func TestNothingStuck(t *testing.T) {
	ctx := context.Background()

	t.Run("PoisonOpParkedAfterMaxAttempts", func(t *testing.T) {
		h := newHub(t)
		h.replace("F205", milano())
		w := h.synced("F205")
		withBatch(h, w, 10)
		w.audit(t, 5)
		signer(t, h, w, "gbianchi", app.RoleSupervisor) // the decision to retry carries the proof
		mend := h.breakTable("audit", "NEW.seq = 2")
		for i := range sync.MaxAttempts - 1 {
			wantCode(t, w.C.Round(ctx), app.EOFFLINE)
			if p, k := w.outbox(t); p != 4 || k != 0 {
				t.Fatalf("after failure %d: pending %d parked %d", i+1, p, k)
			}
		}
		round(t, w)
		parked, err := w.St.ParkedOps(ctx)
		if err != nil || len(parked) != 1 || parked[0].Audit == nil || parked[0].Audit.Seq != 2 ||
			!strings.Contains(parked[0].Reason, fmt.Sprintf("dopo %d tentativi", sync.MaxAttempts)) {
			t.Fatalf("parked = %+v (%v)", parked, err)
		}
		if n, _ := h.DB.AuditCount(ctx, w.Profile.Device); n != 4 {
			t.Fatalf("hub audit events = %d, want 4: the chain goes on past the parked event", n)
		}
		if p, _ := w.outbox(t); p != 0 {
			t.Fatalf("pending %d", p)
		}
		if gaps, err := h.DB.AuditGaps(ctx, w.Profile.Device); err != nil || len(gaps) != 1 || gaps[0] != 2 {
			t.Fatalf("hub audit gaps = %v (%v), want [2]", gaps, err)
		}

		// The hub mended, a person sends the event again: the gap closes,
		// and the decision itself reaches the hub.
		mend()
		if err := w.St.RetryParked(ctx, parked[0].ID, &app.Operator{Username: "gbianchi"}, time.Now()); err != nil {
			t.Fatal(err)
		}
		round(t, w)
		if gaps, err := h.DB.AuditGaps(ctx, w.Profile.Device); err != nil || len(gaps) != 0 {
			t.Fatalf("hub audit gaps after the retry = %v (%v)", gaps, err)
		}
		if n, _ := h.DB.AuditCount(ctx, w.Profile.Device); n != 6 {
			t.Fatalf("hub audit events = %d, want 6 (five and the decision)", n)
		}
		if p, k := w.outbox(t); p != 0 || k != 0 {
			t.Fatalf("pending %d parked %d after the retry", p, k)
		}
	})

	t.Run("WholeRequestRefusalParksTheOpThatCausedIt", func(t *testing.T) {
		h := newHub(t)
		h.replace("F205", milano())
		w := h.synced("F205")
		withBatch(h, w, 10)
		w.audit(t, 1)
		huge := strings.Repeat("x", 9<<20) // over the hub's 8 MiB body limit
		if err := w.St.AppendAudit(ctx, "mrossi", app.AuditView, huge, time.Now()); err != nil {
			t.Fatal(err)
		}
		w.audit(t, 2)
		round(t, w)
		parked, err := w.St.ParkedOps(ctx)
		if err != nil || len(parked) != 1 || parked[0].Audit == nil || parked[0].Audit.Seq != 2 ||
			!strings.Contains(parked[0].Reason, "troppo grande") {
			t.Fatalf("parked = %+v (%v)", parked, err)
		}
		if n, _ := h.DB.AuditCount(ctx, w.Profile.Device); n != 3 {
			t.Fatalf("hub audit events = %d, want 3", n)
		}
	})

	t.Run("RefusedAttachmentParksItsOp", func(t *testing.T) {
		h := newHub(t)
		people := milano()
		h.replace("F205", people)
		if _, err := hub.SeedCatalogue(ctx, h.DB, "F205"); err != nil {
			t.Fatal(err)
		}
		w := h.synced("F205")
		withBatch(h, w, 10)
		d := deskOf(w)
		mensa, err := d.Service(ctx, "iscrizione-mensa")
		if err != nil {
			t.Fatal(err)
		}
		mario := openFile(t, w, people[0].CodiceFiscale)
		round(t, w)
		files := []request.File{{Field: "certificato_dieta", Name: "dieta.pdf", Data: pdfCert}}
		if _, _, err := d.Submit(ctx, clerk, mario, "iscrizione-mensa", canteen(d, mensa, mario, people[2].CodiceFiscale), files); err != nil {
			t.Fatal(err)
		}
		w.audit(t, 2)
		before, _ := h.DB.AuditCount(ctx, w.Profile.Device)
		h.SetFault(func(rw http.ResponseWriter, r *http.Request, next http.Handler) bool {
			if r.Method != http.MethodPut || !strings.HasPrefix(r.URL.Path, "/v1/attachments/") {
				return false
			}
			rw.Header().Set("Content-Type", "application/json")
			rw.WriteHeader(http.StatusBadRequest)
			json.NewEncoder(rw).Encode(wire.Error{Code: app.EINVALID, Message: "allegato non accettato"})
			return true
		})
		round(t, w)
		h.SetFault(nil)
		parked, err := w.St.ParkedOps(ctx)
		if err != nil || len(parked) != 1 || parked[0].Kind != request.FactRequest || !strings.Contains(parked[0].Reason, "allegato non accettato") {
			t.Fatalf("parked = %+v (%v)", parked, err)
		}
		// The audit events behind the request (the submission's and two
		// more) went.
		if n, _ := h.DB.AuditCount(ctx, w.Profile.Device); n < before+2 {
			t.Fatalf("hub audit events = %d, want at least %d", n, before+2)
		}
		if p, _ := w.outbox(t); p != 0 {
			t.Fatalf("pending %d: the request holds back the ones behind it", p)
		}
	})
}

// TestProtocolYearInRome: the hub numbers a request in the comune's year,
// in Italian time: at 23:30 UTC on 31 December it is already 1 January in
// Rome, and the request takes the first number of the new year.
func TestProtocolYearInRome(t *testing.T) {
	ctx := context.Background()
	h, people, w, d, guasto := reportDesk(t)
	h.Clk.mu.Lock()
	h.Clk.t = time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC)
	h.Clk.mu.Unlock()
	file := openFile(t, w, people[3].CodiceFiscale)
	r, _, err := d.Submit(ctx, clerk, file, "segnalazione-disservizio", report(d, guasto, file, 1), nil)
	if err != nil {
		t.Fatal(err)
	}
	round(t, w)
	got, err := w.St.Request(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Number != "2027/000001" {
		t.Fatalf("protocol number %q at 00:30 of 1 January 2027 in Rome, want 2027/000001", got.Number)
	}
}

// TestEnrolmentAnswerLost: the hub enrolled the workstation but its answer
// was lost; the retry with the same code and key gets the same enrolment
// back instead of "code already used". Another key with the code is
// refused, as is the same key without proof that the caller holds it.
func TestEnrolmentAnswerLost(t *testing.T) {
	ctx := context.Background()
	h := newHub(t)
	h.replace("F205", milano())
	code := h.code("F205", time.Hour)
	var lost atomic.Bool
	h.SetFault(func(rw http.ResponseWriter, r *http.Request, next http.Handler) bool {
		if r.URL.Path != "/v1/enroll" || lost.Load() {
			return false
		}
		lost.Store(true)
		next.ServeHTTP(httptest.NewRecorder(), r) // the hub enrols…
		dropConnection(t, rw)                     // …and the answer never arrives
		return true
	})
	st := openStore(t)
	c := sync.New(st, options())
	p, err := c.Enroll(ctx, h.URL, code, "Sportello 1")
	if err != nil {
		t.Fatalf("enrolment after a lost answer: %v", err)
	}
	h.SetFault(nil)
	if !lost.Load() || p.Device != "F205-W001" {
		t.Fatalf("lost %v, device %q: want the first answer lost and the device the hub enrolled then", lost.Load(), p.Device)
	}
	w := &workstation{St: st, C: c, Profile: p}
	round(t, w) // the token it got works
	keys, err := h.DB.Keys(ctx)
	if err != nil || len(keys.Devices) != 1 {
		t.Fatalf("hub devices %+v (%v), want one", keys, err)
	}

	enrol := func(pub ed25519.PublicKey, priv ed25519.PrivateKey) (int, wire.Error) {
		t.Helper()
		b, _ := json.Marshal(wire.EnrollRequest{Code: code, Name: "Sportello 1", PublicKey: wire.B64(pub)})
		req, _ := http.NewRequest(http.MethodPost, h.URL+"/v1/enroll", bytes.NewReader(b))
		if priv != nil {
			req.Header.Set(wire.HeaderEnrollProof, wire.B64(ed25519.Sign(priv, wire.EnrollProof(code))))
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var e wire.Error
		json.NewDecoder(resp.Body).Decode(&e)
		return resp.StatusCode, e
	}
	otherPub, otherPriv, _ := ed25519.GenerateKey(nil)
	for _, tc := range []struct {
		name string
		pub  ed25519.PublicKey
		priv ed25519.PrivateKey
	}{
		{"ErrAnotherKey", otherPub, otherPriv},
		{"ErrSameKeyWithoutProof", p.PublicKey, nil},
		{"ErrSameKeyProofOfAnother", p.PublicKey, otherPriv},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, e := enrol(tc.pub, tc.priv)
			if status != http.StatusUnauthorized || !strings.Contains(e.Message, "già usato") {
				t.Fatalf("status %d %+v, want 401 code already used", status, e)
			}
		})
	}
	round(t, w) // and none of them took the workstation's token away
}
