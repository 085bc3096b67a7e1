package sync_test

import (
	"context"
	"database/sql"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/pagopa"
	"github.com/sportello/sportello/app/queue"
	"github.com/sportello/sportello/app/request"
	"github.com/sportello/sportello/hub/sqlstore"
	"github.com/sportello/sportello/sync"
	"github.com/sportello/sportello/sync/wire"
)

// gapFree fails unless the protocol numbers of numbers are 1..n, each
// once.
func gapFree(t *testing.T, numbers map[string]string) {
	t.Helper()
	var seqs []int64
	for _, n := range numbers {
		_, seq, err := request.ParseProtocolNumber(n)
		if err != nil {
			t.Fatalf("protocol number %q: %v", n, err)
		}
		seqs = append(seqs, seq)
	}
	slices.Sort(seqs)
	for i, s := range seqs {
		if s != int64(i+1) {
			t.Errorf("protocol numbers at the hub %v: want 1..%d, each once", seqs, len(seqs))
			return
		}
	}
}

// awaited is the devices the hub's recovery waits for.
func awaited(t *testing.T, h *testHub) []string {
	t.Helper()
	list, err := h.DB.Recovery(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range list {
		out = append(out, a.Device)
	}
	return out
}

// TestRestoredHubNeverNumbersTwice reproduces the chaos harness's finding
// (issue 11): two counters of a comune, the hub backed up, each takes a
// request the hub numbers, the hub restored; counter A syncs first and
// takes a new request. On the code before, A's new request took the next
// free number of the restored hub, the one B had confirmed to a citizen and
// not sent again yet, and B's request another. Now A's request waits with
// its provisional number, not parked, not an error, however many rounds,
// until B has sent back its work; then it gets the next number, and every
// number is unique, gap-free and the one on the receipt.
func TestRestoredHubNeverNumbersTwice(t *testing.T) {
	ctx := context.Background()
	h, people, a, da, guasto := reportDesk(t)
	b := h.synced("F205")
	db := deskOf(b)
	n := 0
	submit := func(w *workstation, d *request.Desk) *request.Request {
		t.Helper()
		file := openFile(t, w, people[3+n%5].CodiceFiscale)
		r, _, err := d.Submit(ctx, clerk, file, "segnalazione-disservizio", report(d, guasto, file, n), nil)
		if err != nil {
			t.Fatal(err)
		}
		n++
		return r
	}
	number := func(w *workstation, r *request.Request) string {
		t.Helper()
		got, err := w.St.Request(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Number
	}
	taken := map[string]*workstation{}
	var receipts []*request.Request
	take := func(w *workstation, d *request.Desk) *request.Request {
		r := submit(w, d)
		taken[r.ID] = w
		receipts = append(receipts, r)
		return r
	}
	take(a, da)
	take(b, db)
	round(t, a, b)
	backup := h.backup()
	take(a, da)
	take(b, db)
	round(t, a, b) // both confirmed: numbers 3 (A) and 4 (B) on the receipts
	confirmed := map[string]string{}
	for _, r := range receipts {
		confirmed[r.ID] = number(taken[r.ID], r)
		if confirmed[r.ID] == "" {
			t.Fatalf("request %s not confirmed before the restore", r.Provisional)
		}
	}

	h.restore(backup)
	if got := awaited(t, h); len(got) != 2 {
		t.Fatalf("the restored hub awaits %v, want both counters", got)
	}
	fresh := take(a, da)
	// A syncs first, again and again: its new request waits, as offline.
	for i := range sync.MaxAttempts + 2 {
		if err := a.C.Round(ctx); err != nil {
			t.Fatalf("round %d of A while the hub waits for B: %v", i, err)
		}
	}
	if got := number(a, fresh); got != "" {
		t.Fatalf("A's new request took %s while B had not sent back its work", got)
	}
	st := a.C.Status()
	if !st.Suspended || st.LastError != "" || st.Parked != 0 || st.Pending == 0 {
		t.Errorf("A's status while held: suspended %v, error %q, parked %d, pending %d: want suspended, no error, nothing parked",
			st.Suspended, st.LastError, st.Parked, st.Pending)
	}
	ops, err := a.St.NextOps(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(ops) == 0 || ops[0].Attempts != 0 || ops[0].LastError != "" {
		t.Errorf("A's held operation %+v: want pending, no attempt counted", ops)
	}
	if got := awaited(t, h); !slices.Equal(got, []string{b.Profile.Device}) {
		t.Errorf("after A's rounds the hub awaits %v, want B only", got)
	}

	round(t, b) // B sends back its request: the recovery ends
	if got := awaited(t, h); len(got) != 0 {
		t.Errorf("after B's round the hub still awaits %v", got)
	}
	round(t, a)
	if got := number(a, fresh); got == "" {
		t.Fatalf("A's new request still %s after the recovery ended", got)
	}
	if a.C.Status().Suspended {
		t.Error("A's status still says the numbering is suspended")
	}
	round(t, b)
	at := hubRequests(t, h.Path)
	gapFree(t, at)
	for _, r := range receipts {
		want := confirmed[r.ID]
		if r.ID == fresh.ID {
			want = number(a, fresh)
		}
		if at[r.ID] != want {
			t.Errorf("request %s: %q at the hub, %q on the receipt", r.Provisional, at[r.ID], want)
		}
		if got := number(taken[r.ID], r); got != want {
			t.Errorf("request %s: %q at its workstation, want %q", r.Provisional, got, want)
		}
	}
	if want := request.ProtocolNumber(h.Clk.Now().In(app.Rome).Year(), 5); number(a, fresh) != want {
		t.Errorf("A's new request %s, want the next after B's: %s", number(a, fresh), want)
	}
	log, err := h.DB.RecoveryLog(ctx, "F205")
	if err != nil {
		t.Fatal(err)
	}
	if len(log) == 0 || log[len(log)-1].Event != "ended" {
		t.Errorf("recovery log %+v: want it to end", log)
	}
}

// TestRecoveryRelease: a device that will not come back is released by a
// person (who and why recorded), or by its revocation, and the numbering
// resumes; a stolen kiosk token can end nothing, neither by its own word
// nor by replaying an exchange; a claim on the hub's old epoch counts for
// nothing.
func TestRecoveryRelease(t *testing.T) {
	ctx := context.Background()
	h, people, a, da, guasto := reportDesk(t)
	b, c := h.synced("F205"), h.synced("F205")
	code, err := h.DB.NewEnrollCodeFor(ctx, "F205", sqlstore.RoleKiosk, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	kst := openStore(t)
	kc := sync.New(kst, options())
	kp, err := kc.Enroll(ctx, h.URL, code, "Chiosco")
	if err != nil {
		t.Fatal(err)
	}
	k := &workstation{St: kst, C: kc, Profile: kp}
	round(t, a, b, c, k)
	oldMark, err := h.DB.DeviceMark(ctx, b.Profile.Device)
	if err != nil {
		t.Fatal(err)
	}
	h.restore(h.backup())
	if got := awaited(t, h); len(got) != 4 {
		t.Fatalf("awaited %v, want the three counters and the kiosk", got)
	}

	// The stolen kiosk's token: it reconciles itself, and nothing else.
	round(t, k)
	if got := awaited(t, h); len(got) != 3 || slices.Contains(got, k.Profile.Device) {
		t.Errorf("after the kiosk's round the hub awaits %v, want the three counters", got)
	}
	mark, err := h.DB.DeviceMark(ctx, b.Profile.Device)
	if err != nil {
		t.Fatal(err)
	}
	for _, hdr := range []http.Header{
		// B's exchange from before the restore, replayed with the kiosk's
		// token, and as B would (the old epoch, nothing confirmed).
		{wire.HeaderHubEpoch: {oldMark.Epoch}, wire.HeaderConfirmed: {"0"}},
		{wire.HeaderHubEpoch: {mark.Epoch}, wire.HeaderConfirmed: {"0"}, "X-Device": {b.Profile.Device}},
	} {
		var res wire.PushResponse
		pushRaw(t, h, k.Profile.Token, hdr, wire.PushRequest{Ops: []wire.Op{}}, &res)
	}
	var res wire.PushResponse
	pushRaw(t, h, b.Profile.Token, http.Header{wire.HeaderHubEpoch: {oldMark.Epoch}, wire.HeaderConfirmed: {"0"}},
		wire.PushRequest{Ops: []wire.Op{}}, &res) // B's token, the old epoch: a replay
	if got := awaited(t, h); len(got) != 3 {
		t.Errorf("after the kiosk's and the replayed claims the hub awaits %v, want the three counters", got)
	}

	// A takes a request: held while B and C are awaited.
	file := openFile(t, a, people[3].CodiceFiscale)
	r, _, err := da.Submit(ctx, clerk, file, "segnalazione-disservizio", report(da, guasto, file, 0), nil)
	if err != nil {
		t.Fatal(err)
	}
	round(t, a)
	numberOf := func() string {
		got, err := a.St.Request(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Number
	}
	if numberOf() != "" {
		t.Fatalf("numbered %s while the hub awaits B and C", numberOf())
	}
	// A workstation of the previous version names no confirmed mark: it
	// would park an operation refused with a code it does not know, so the
	// held request is answered as a busy hub, which it retries.
	ops, err := a.St.NextOps(ctx, 10)
	if err != nil || len(ops) == 0 {
		t.Fatalf("A's pending operations %v, %v", ops, err)
	}
	var old wire.PushResponse
	var wops []wire.Op
	for _, op := range ops {
		wops = append(wops, wire.OpToWire(op))
	}
	if status := pushRaw(t, h, a.Profile.Token, http.Header{}, wire.PushRequest{Ops: wops}, &old); status != http.StatusServiceUnavailable {
		t.Errorf("a held request from a workstation of the previous version: status %d, want 503", status)
	}
	if _, err := h.DB.ReleaseDevice(ctx, b.Profile.Device, "", ""); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("a release without who and why: %v, want refused", err)
	}
	ended, err := h.DB.ReleaseDevice(ctx, b.Profile.Device, "m.bianchi", "postazione rubata, denuncia 123")
	if err != nil || ended != "" {
		t.Fatalf("release of B: %q, %v: want C still awaited", ended, err)
	}
	if err := h.DB.RevokeDevice(ctx, c.Profile.Device); err != nil {
		t.Fatal(err)
	}
	if got := awaited(t, h); len(got) != 0 {
		t.Fatalf("after B's release and C's revocation the hub awaits %v", got)
	}
	round(t, a)
	if numberOf() == "" {
		t.Fatalf("still %s after the recovery ended", numberOf())
	}
	log, err := h.DB.RecoveryLog(ctx, "F205")
	if err != nil {
		t.Fatal(err)
	}
	var events []string
	for _, e := range log {
		if e.Event == "released" && (e.Actor != "m.bianchi" || e.Reason == "") {
			t.Errorf("release logged as %+v", e)
		}
		if e.Event != "awaited" {
			events = append(events, e.Event)
		}
	}
	if !slices.Equal(events, []string{"reconciled", "reconciled", "released", "revoked", "ended"}) {
		t.Errorf("recovery log %v", events)
	}
}

// TestIUVBlocksAcrossRestore: a block of IUVs the hub gave after its backup
// is not given to another workstation by the restored hub; the workstation
// that holds it sends it back and keeps it.
func TestIUVBlocksAcrossRestore(t *testing.T) {
	ctx := context.Background()
	h := newHub(t)
	h.replace("F205", milano())
	if err := h.DB.PutPayee(ctx, &milanoPayee); err != nil {
		t.Fatal(err)
	}
	w1, w2 := h.synced("F205"), h.synced("F205")
	block := func(w *workstation) {
		t.Helper()
		if _, err := w.St.RequestIUVBlock(ctx, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	block(w1)
	round(t, w1)
	backup := h.backup()
	block(w1) // after the backup: the restored hub does not know this one
	round(t, w1)
	h.restore(backup)
	block(w2)
	round(t, w2)
	if left, err := w2.St.IUVLeft(ctx); err != nil || left != 0 {
		t.Fatalf("w2 got %d IUVs while the hub awaited w1 (%v)", left, err)
	}
	round(t, w1, w2)
	if left, err := w2.St.IUVLeft(ctx); err != nil || left != sqlstore.BlockSize {
		t.Fatalf("w2 has %d IUVs after the recovery, want a block (%v)", left, err)
	}
	db, err := sql.Open("sqlite3", h.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var blocks []pagopa.Block
	rows, err := db.Query(`SELECT device, first, last FROM iuv_blocks ORDER BY first`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var b pagopa.Block
		if err := rows.Scan(&b.Device, &b.First, &b.Last); err != nil {
			t.Fatal(err)
		}
		blocks = append(blocks, b)
	}
	if len(blocks) != 3 {
		t.Fatalf("hub blocks %+v, want w1's two and w2's one", blocks)
	}
	for i := 1; i < len(blocks); i++ {
		if blocks[i].First <= blocks[i-1].Last {
			t.Errorf("blocks overlap at the hub: %+v", blocks)
		}
	}
	if blocks[2].Device != w2.Profile.Device {
		t.Errorf("blocks %+v: want w2's after both of w1's", blocks)
	}
	// What each workstation holds is what the hub gave it.
	for _, w := range []*workstation{w1, w2} {
		local, err := w.St.IUVLeft(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var want int64
		for _, b := range blocks {
			if b.Device == w.Profile.Device {
				want += b.Last - b.First + 1
			}
		}
		if local != want {
			t.Errorf("%s holds %d IUVs, the hub gave it %d", w.Profile.Device, local, want)
		}
	}
}

// TestQueueTicketsAcrossRestore: two kiosks' tickets numbered after the
// hub's backup keep, at the restored hub, the numbers printed on them,
// whichever kiosk comes back first. On the code before, the first to come
// back took the next free number, the other kiosk's.
func TestQueueTicketsAcrossRestore(t *testing.T) {
	ctx := context.Background()
	h := newHub(t)
	y, m, d := time.Now().In(app.Rome).Date()
	h.Clk.mu.Lock()
	h.Clk.t = time.Date(y, m, d, 10, 0, 0, 0, app.Rome).UTC()
	h.Clk.mu.Unlock()
	h.replace("F205", milano())
	if err := h.DB.PutAreas(ctx, "F205", []queue.Area{{Code: "A", Name: "Anagrafe", Minutes: 6, Kiosk: true}}); err != nil {
		t.Fatal(err)
	}
	k1, k2 := h.queueDesk("F205"), h.queueDesk("F205")
	issue := func(k *queueDesk, want string) queue.Ticket {
		t.Helper()
		tk, err := k.Q.Issue(ctx, "A", "", "")
		if err != nil {
			t.Fatal(err)
		}
		if tk.Number != want {
			t.Fatalf("ticket %s, want %s", tk.Number, want)
		}
		return tk
	}
	first := issue(k1, "A001")
	backup := h.backup()
	second, third := issue(k1, "A002"), issue(k2, "A003")
	h.restore(backup)
	k2.round(t) // the kiosk of A003 comes back first
	k1.round(t)
	db, err := sql.Open("sqlite3", h.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tk := range []queue.Ticket{first, second, third} {
		var number string
		if err := db.QueryRow(`SELECT json_extract(data, '$.number') FROM queue_tickets WHERE id = ?`, tk.ID).Scan(&number); err != nil {
			t.Fatalf("ticket %s at the hub: %v", tk.Number, err)
		}
		if number != tk.Number {
			t.Errorf("ticket printed %s is %s at the restored hub", tk.Number, number)
		}
	}
	issue(k1, "A004")
}
