package sync_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/request"
	"github.com/sportello/sportello/hub"
	"github.com/sportello/sportello/hub/sqlstore"
	"github.com/sportello/sportello/sync/wire"
)

// backup takes a backup of the serving hub as `sportello-hub backup` does
// (sqlstore.BackupFile, on a connection of its own, the marks it holds
// recorded in the hub).
func (h *testHub) backup() string {
	h.t.Helper()
	out := filepath.Join(h.t.TempDir(), "hub-backup.db")
	if err := sqlstore.BackupFile(context.Background(), h.Path, out); err != nil {
		h.t.Fatalf("backup: %v", err)
	}
	return out
}

// restore stops the hub, puts the backup file in place of its database as
// `sportello-hub restore` does (sqlstore.Restore), and starts it again on the
// restored database, at the same address.
func (h *testHub) restore(file string) {
	h.t.Helper()
	ctx := context.Background()
	h.Stop()
	h.DB.Close()
	if _, err := sqlstore.Restore(ctx, h.Path, file, h.Clk.Now()); err != nil {
		h.t.Fatalf("restore: %v", err)
	}
	db, err := sqlstore.Open(ctx, h.Path)
	if err != nil {
		h.t.Fatalf("open the restored hub: %v", err)
	}
	h.t.Cleanup(func() { db.Close() })
	db.Now = h.Clk.Now
	h.mu.Lock()
	h.DB = db
	h.handler = hub.NewServer(hub.Deps{DB: db, Log: quiet, Now: h.Clk.Now})
	h.mu.Unlock()
	h.Start()
}

// reportDesk is a hub of Milano with the service catalogue and a synced
// workstation of it, ready to take reports of a fault
// (segnalazione-disservizio): the citizens, the workstation, its desk and
// the service.
func reportDesk(t *testing.T) (*testHub, []app.Citizen, *workstation, *request.Desk, *request.Service) {
	t.Helper()
	ctx := context.Background()
	h := newHub(t)
	people := milano()
	h.replace("F205", people)
	if _, err := hub.SeedCatalogue(ctx, h.DB, "F205"); err != nil {
		t.Fatal(err)
	}
	w := h.synced("F205")
	d := deskOf(w)
	guasto, err := d.Service(ctx, "segnalazione-disservizio")
	if err != nil {
		t.Fatal(err)
	}
	return h, people, w, d, guasto
}

// hubRequests counts, at the hub, the requests with each id.
func hubRequests(t *testing.T, path string) map[string]string {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT id, number FROM requests`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, number string
		if err := rows.Scan(&id, &number); err != nil {
			t.Fatal(err)
		}
		if _, dup := out[id]; dup {
			t.Errorf("request %s twice at the hub", id)
		}
		out[id] = number
	}
	return out
}

// TestHubRestoredFromOlderBackup restores the hub from a backup taken
// before the workstation's last requests, audit events and the network's
// last change, then lets the workstation sync: every request the hub had
// confirmed is at the hub exactly once with the protocol number the
// citizen's receipt carries, the audit chain has no gap, the cursors of
// both scopes recover (a change the restored hub made under a number the
// workstation had passed arrives), and the operator is told.
func TestHubRestoredFromOlderBackup(t *testing.T) {
	ctx := context.Background()
	h, people, w, d, guasto := reportDesk(t)
	var taken []*request.Request
	submit := func(n int) {
		t.Helper()
		for i := range n {
			file := openFile(t, w, people[3+i%5].CodiceFiscale)
			r, _, err := d.Submit(ctx, clerk, file, "segnalazione-disservizio", report(d, guasto, file, len(taken)), nil)
			if err != nil {
				t.Fatal(err)
			}
			taken = append(taken, r)
		}
	}
	submit(3)
	w.audit(t, 2)
	round(t, w)
	backup := h.backup()
	if m, err := h.DB.DeviceMark(ctx, w.Profile.Device); err != nil || m.BackedUp != m.Seq || m.Seq == 0 {
		t.Fatalf("the hub's mark after the backup %+v, %v: want the backup to hold every operation (%d)", m, err, m.Seq)
	}

	// After the backup: three more requests and audit events, confirmed
	// by the hub, and a change of the network scope the workstation reads.
	submit(3)
	w.audit(t, 2)
	if err := h.DB.PutRecords(ctx, app.ScopeNetwork, []app.Record{notice(1, "", "dopo il backup")}); err != nil {
		t.Fatal(err)
	}
	round(t, w)
	numbers := map[string]string{}
	for _, r := range taken {
		got, err := w.St.Request(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.IsProvisional() {
			t.Fatalf("request %s not confirmed before the restore", r.Provisional)
		}
		numbers[r.ID] = got.Number
	}
	if got := len(hubRequests(t, h.Path)); got != 6 {
		t.Fatalf("hub holds %d requests before the restore, want 6", got)
	}

	h.restore(backup)
	h.SetFault(nil) // clears the exchange log
	if got := len(hubRequests(t, h.Path)); got != 3 {
		t.Fatalf("restored hub holds %d requests, want the backup's 3", got)
	}
	// The restored hub changes the network scope twice: the first under
	// the number of the change it lost, which the workstation had read.
	if err := h.DB.PutRecords(ctx, app.ScopeNetwork, []app.Record{notice(2, "", "dopo il ripristino")}); err != nil {
		t.Fatal(err)
	}
	if err := h.DB.PutRecords(ctx, app.ScopeNetwork, []app.Record{notice(3, "", "ancora dopo")}); err != nil {
		t.Fatal(err)
	}
	w.audit(t, 1) // and the counter goes on working
	if err := w.C.Round(ctx); err != nil {
		t.Fatalf("round after the restore: %v", err)
	}
	round(t, w) // a second round changes nothing

	at := hubRequests(t, h.Path)
	if len(at) != len(taken) {
		t.Errorf("hub holds %d requests after the resend, want %d", len(at), len(taken))
	}
	for _, r := range taken {
		if at[r.ID] != numbers[r.ID] {
			t.Errorf("request %s: number %q at the hub, %q on the citizen's receipt", r.Provisional, at[r.ID], numbers[r.ID])
		}
		got, err := w.St.Request(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Number != numbers[r.ID] {
			t.Errorf("request %s: the workstation's number changed from %q to %q", r.Provisional, numbers[r.ID], got.Number)
		}
	}
	if pending, parked := w.outbox(t); pending != 0 || parked != 0 {
		t.Errorf("workstation outbox after the resend: %d pending, %d parked", pending, parked)
	}
	gaps, err := h.DB.AuditGaps(ctx, w.Profile.Device)
	if err != nil {
		t.Fatal(err)
	}
	if len(gaps) > 0 {
		t.Errorf("audit chain at the restored hub has gaps %v", gaps)
	}
	ops, audit, top := hubCounts(t, h.Path, w.Profile.Device)
	if ops != audit {
		t.Errorf("hub: %d audit operations, %d audit events", ops, audit)
	}
	local, err := w.St.LocalMark(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if top != local.Seq {
		t.Errorf("hub's newest operation of the workstation %d, the workstation's newest confirmed %d", top, local.Seq)
	}
	notices := records(t, w, "notice", "")
	if len(notices) != 2 || notices["N002"] == "" || notices["N003"] == "" {
		t.Errorf("network notices at the workstation %v: want the restored hub's two", notices)
	}
	for _, scope := range []string{app.ScopeNetwork, "F205"} {
		cur, err := w.St.Cursor(ctx, scope)
		if err != nil {
			t.Fatal(err)
		}
		if last := h.lastChange(scope); cur.Seq != last {
			t.Errorf("cursor of %s at %d, the restored hub's last change %d", scope, cur.Seq, last)
		}
	}
	if st := w.C.Status(); st.HubRestored.IsZero() || st.Resent < 6 {
		t.Errorf("status after the restore: restored %v, resent %d; want the restore shown and at least 6 resent", st.HubRestored, st.Resent)
	}
	// The first push after the restore named the epoch the workstation
	// knew and the hub refused it, before applying the new audit event
	// ahead of what it lacked; none after.
	refused := 0
	for _, e := range h.Exchanges("/v1/ops") {
		if e.Status != http.StatusOK {
			refused++
		}
	}
	if refused != 1 {
		t.Errorf("%d pushes refused after the restore, want the first one only", refused)
	}
}

// lastChange is the hub's newest change of scope (the network's too).
func (h *testHub) lastChange(scope string) int64 {
	h.t.Helper()
	res, err := h.DB.Changes(context.Background(), scope, 0, 1)
	if err != nil {
		h.t.Fatal(err)
	}
	return res.Last
}

// TestPriorNumberOnlyAfterRestore attacks the resend: a workstation that
// names a protocol number of its choosing as the hub's earlier answer gets
// the next number of a hub that was never restored; after a restore it
// gets a free number back (below the counter too: another workstation's
// resend) but never one another request holds, and new requests go on
// after the highest; and a
// push that claims more than the hub confirmed is refused before anything
// is applied (the device only refuses itself).
func TestPriorNumberOnlyAfterRestore(t *testing.T) {
	ctx := context.Background()
	h, people, w, d, guasto := reportDesk(t)
	dev, err := h.DB.DeviceByToken(ctx, w.Profile.Token)
	if err != nil {
		t.Fatal(err)
	}
	year := h.Clk.Now().In(app.Rome).Year()
	// submitWithPrior records a request offline and applies its operation
	// at the hub directly, naming prior as the hub's earlier answer.
	submitWithPrior := func(prior string) app.OpResult {
		t.Helper()
		file := openFile(t, w, people[3].CodiceFiscale)
		if _, _, err := d.Submit(ctx, clerk, file, "segnalazione-disservizio", report(d, guasto, file, 1), nil); err != nil {
			t.Fatal(err)
		}
		ops, err := w.St.NextOps(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		var answer app.OpResult
		for _, op := range ops {
			if op.Kind == request.FactRequest {
				op.Prior = request.EncodeRequestAnswer(prior, h.Clk.Now())
			}
			res := h.DB.ApplyOp(ctx, dev, op)
			if res.Code != "" {
				t.Fatalf("operation %d (%s): %s", op.Seq, op.Kind, res.Message)
			}
			if err := w.St.MarkOp(ctx, op.ID, res, h.Clk.Now()); err != nil {
				t.Fatal(err)
			}
			if op.Kind == request.FactRequest {
				answer = res
			}
		}
		return answer
	}
	number := func(res app.OpResult) string {
		t.Helper()
		n, _, err := request.DecodeRequestAnswer(res.Data)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if got := number(submitWithPrior(request.ProtocolNumber(year, 99))); got != request.ProtocolNumber(year, 1) {
		t.Fatalf("a hub never restored gave %s to a request that named number 99, want the next (1)", got)
	}
	backup := h.backup()
	h.restore(backup)
	// The numbering after the recovery (recovery_e2e_test.go), which this
	// test leaves aside: the one workstation is released.
	if _, err := h.DB.ReleaseDevice(ctx, dev.ID, "test", "la numerazione dopo il ripristino"); err != nil {
		t.Fatal(err)
	}
	if got := number(submitWithPrior(request.ProtocolNumber(year, 1))); got != request.ProtocolNumber(year, 2) {
		t.Fatalf("a restored hub gave %s to a request that named number 1, held by another: want the next (2)", got)
	}
	if got := number(submitWithPrior(request.ProtocolNumber(year, 7))); got != request.ProtocolNumber(year, 7) {
		t.Fatalf("a restored hub gave %s to a request that named the free number 7", got)
	}
	if got := number(submitWithPrior(request.ProtocolNumber(year, 3))); got != request.ProtocolNumber(year, 3) {
		t.Fatalf("a restored hub gave %s to a request that named the free number 3 (another workstation's resend)", got)
	}
	if got := number(submitWithPrior("")); got != request.ProtocolNumber(year, 8) {
		t.Fatalf("a new request after 7 was kept: %s, want 8", got)
	}

	// A push that claims more than the hub confirmed: refused, nothing
	// applied.
	w.audit(t, 1)
	before, _, _ := hubCounts(t, h.Path, w.Profile.Device)
	var res wire.PushResponse
	ops, _ := w.St.NextOps(ctx, 10)
	req := wire.PushRequest{Ops: []wire.Op{wire.OpToWire(ops[0])}}
	mark, err := h.DB.DeviceMark(ctx, w.Profile.Device)
	if err != nil {
		t.Fatal(err)
	}
	hdr := http.Header{}
	hdr.Set(wire.HeaderHubEpoch, mark.Epoch)
	hdr.Set(wire.HeaderHubMark, "1000")
	hdr.Set(wire.HeaderHubApplied, "1000")
	status := pushRaw(t, h, w.Profile.Token, hdr, req, &res)
	if after, _, _ := hubCounts(t, h.Path, w.Profile.Device); status == http.StatusOK || after != before {
		t.Fatalf("a push claiming 1000 confirmed operations: status %d, audit operations %d then %d", status, before, after)
	}
}

// pushRaw sends a push with the given headers as a workstation would.
func pushRaw(t *testing.T, h *testHub, token string, hdr http.Header, req wire.PushRequest, out *wire.PushResponse) int {
	t.Helper()
	body, _ := json.Marshal(req)
	r, err := http.NewRequest(http.MethodPost, h.URL+"/v1/ops", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header = hdr
	r.Header.Set("Authorization", "Bearer "+token)
	r.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	json.NewDecoder(resp.Body).Decode(out)
	return resp.StatusCode
}
