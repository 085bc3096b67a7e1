package hub_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/cf"
	"github.com/sportello/sportello/hub"
	"github.com/sportello/sportello/hub/sqlstore"
	"github.com/sportello/sportello/internal/pgdb/pgtest"
	"github.com/sportello/sportello/sync/wire"
)

// limits are small, so that the tests can exceed them cheaply.
var limits = hub.Limits{MaxBody: 4 << 10, ChangesPage: 10, SnapshotPage: 10, PushOps: 3}

// testHub is the hub's handler over a real database with a comune (F205)
// and its workstation, another comune (H501), and a revoked workstation.
type testHub struct {
	DB      *sqlstore.DB
	H       http.Handler
	Token   string // F205-W001's
	Device  string
	Revoked string // F205-W002's token, revoked
}

// MustOpenDB opens a hub database in the test's directory.
func MustOpenDB(tb testing.TB) *sqlstore.DB {
	tb.Helper()
	db, err := sqlstore.Open(context.Background(), pgtest.HubTarget(tb, tb.TempDir()))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func newHub(tb testing.TB) *testHub {
	tb.Helper()
	ctx := context.Background()
	db := MustOpenDB(tb)
	for code, name := range map[string]string{"F205": "MILANO", "H501": "ROMA"} {
		if err := db.EnsureComune(ctx, code, name); err != nil {
			tb.Fatal(err)
		}
	}
	born := app.Date(1985, 12, 10)
	code, err := cf.Compute(cf.Person{Surname: "Rossi", Name: "Mario", Sex: "M", BirthDate: born, BirthPlaceCode: "A562"})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := db.ReplaceAnagrafe(ctx, "F205", []app.Citizen{{CodiceFiscale: code, Surname: "Rossi", GivenName: "Mario",
		Sex: "M", BirthDate: born, BirthPlaceCode: "A562", Citizenship: "ITA", CivilStatus: app.CivilStatusSingle, Comune: "F205",
		FamilyID: "F205-1", Relationship: app.RelationshipHead, Status: app.StatusResident, Certifiability: app.CertifiableFully}}); err != nil {
		tb.Fatal(err)
	}
	h := &testHub{DB: db}
	enroll := func() (string, string) {
		c, err := db.NewEnrollCode(ctx, "F205", time.Hour)
		if err != nil {
			tb.Fatal(err)
		}
		pub, _, _ := ed25519.GenerateKey(nil)
		e, err := db.Enroll(ctx, c, "Sportello", pub)
		if err != nil {
			tb.Fatal(err)
		}
		return e.Token, e.Device.Device
	}
	h.Token, h.Device = enroll()
	var revoked string
	h.Revoked, revoked = enroll()
	if err := db.RevokeDevice(ctx, revoked); err != nil {
		tb.Fatal(err)
	}
	h.H = hub.NewServer(hub.Deps{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Limits: limits})
	return h
}

// do sends a request to the handler; token "" sends none.
func (h *testHub) do(method, target, token, body string, header ...string) *httptest.ResponseRecorder {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, r)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.H.ServeHTTP(rec, req)
	return rec
}

func TestRoutes(t *testing.T) {
	h := newHub(t)
	tok := h.Token
	big := `{"ops":[` + strings.Repeat(`{"id":"x"},`, 1000) + `{"id":"x"}]}`
	pub, _, _ := ed25519.GenerateKey(nil)
	enrol := `{"code":"AAAA-BBBB-CCCC-DDDD","name":"Sportello","public_key":"` + wire.B64(pub) + `"}`
	for _, tc := range []struct {
		name         string
		method, path string
		token, body  string
		header       []string
		status       int
		code         string // of the wire.Error answer
	}{
		{name: "Health", method: "GET", path: "/v1/health", status: 200},
		{name: "Keys", method: "GET", path: "/v1/keys", status: 200},
		{name: "ErrProtocol99", method: "GET", path: "/v1/health", header: []string{wire.HeaderProtocol, "99"}, status: 400, code: app.EINVALID},
		{name: "ErrProtocolBeforeAuth", method: "GET", path: "/v1/changes?scope=F205&after=0", header: []string{wire.HeaderProtocol, "99"}, status: 400, code: app.EINVALID},

		{name: "EnrollErrUnknownCode", method: "POST", path: "/v1/enroll", body: enrol, status: 401, code: app.EUNAUTHORIZED},
		{name: "EnrollErrBadJSON", method: "POST", path: "/v1/enroll", body: `{"code":`, status: 400, code: app.EINVALID},
		{name: "EnrollErrUnknownField", method: "POST", path: "/v1/enroll", body: `{"code":"x","name":"y","public_key":"","codice":"z"}`, status: 400, code: app.EINVALID},
		{name: "EnrollErrTrailingData", method: "POST", path: "/v1/enroll", body: enrol + `{"code":"other"}`, status: 400, code: app.EINVALID},
		{name: "EnrollErrOversized", method: "POST", path: "/v1/enroll", body: `{"code":"` + strings.Repeat("A", 5000) + `"}`, status: 400, code: app.EINVALID},
		{name: "EnrollErrBadKey", method: "POST", path: "/v1/enroll", body: `{"code":"x","name":"y","public_key":"!!"}`, status: 400, code: app.EINVALID},
		{name: "EnrollErrShortKey", method: "POST", path: "/v1/enroll", body: `{"code":"x","name":"y","public_key":"AAAA"}`, status: 400, code: app.EINVALID},

		{name: "ChangesOK", method: "GET", path: "/v1/changes?scope=F205&after=0", token: tok, status: 200},
		{name: "ChangesNetworkOK", method: "GET", path: "/v1/changes?scope=*&after=0&limit=5", token: tok, status: 200},
		{name: "ChangesErrNoToken", method: "GET", path: "/v1/changes?scope=F205&after=0", status: 401, code: app.EUNAUTHORIZED},
		{name: "ChangesErrBadToken", method: "GET", path: "/v1/changes?scope=F205&after=0", token: "f00d", status: 401, code: app.EUNAUTHORIZED},
		{name: "ChangesErrBasicAuth", method: "GET", path: "/v1/changes?scope=F205&after=0", header: []string{"Authorization", "Basic " + tok}, status: 401, code: app.EUNAUTHORIZED},
		{name: "ChangesErrRevoked", method: "GET", path: "/v1/changes?scope=F205&after=0", token: h.Revoked, status: 401, code: app.EUNAUTHORIZED},
		{name: "ChangesErrOtherComune", method: "GET", path: "/v1/changes?scope=H501&after=0", token: tok, status: 403, code: app.EFORBIDDEN},
		{name: "ChangesErrNoScope", method: "GET", path: "/v1/changes?after=0", token: tok, status: 403, code: app.EFORBIDDEN},
		{name: "ChangesErrNoAfter", method: "GET", path: "/v1/changes?scope=F205", token: tok, status: 400, code: app.EINVALID},
		{name: "ChangesErrAfterText", method: "GET", path: "/v1/changes?scope=F205&after=uno", token: tok, status: 400, code: app.EINVALID},
		{name: "ChangesErrAfterNegative", method: "GET", path: "/v1/changes?scope=F205&after=-1", token: tok, status: 400, code: app.EINVALID},
		{name: "ChangesErrAfterOverflow", method: "GET", path: "/v1/changes?scope=F205&after=99999999999999999999", token: tok, status: 400, code: app.EINVALID},
		{name: "ChangesErrAfterBeyondLog", method: "GET", path: "/v1/changes?scope=F205&after=1000", token: tok, status: 410, code: app.ERESNAPSHOT},
		{name: "ChangesErrLimitZero", method: "GET", path: "/v1/changes?scope=F205&after=0&limit=0", token: tok, status: 400, code: app.EINVALID},
		{name: "ChangesErrLimitText", method: "GET", path: "/v1/changes?scope=F205&after=0&limit=tanti", token: tok, status: 400, code: app.EINVALID},

		{name: "SnapshotOK", method: "GET", path: "/v1/snapshot?scope=F205&limit=2", token: tok, status: 200},
		{name: "SnapshotErrNoToken", method: "GET", path: "/v1/snapshot?scope=F205", status: 401, code: app.EUNAUTHORIZED},
		{name: "SnapshotErrOtherComune", method: "GET", path: "/v1/snapshot?scope=H501", token: tok, status: 403, code: app.EFORBIDDEN},
		{name: "SnapshotErrNetworkScope", method: "GET", path: "/v1/snapshot?scope=*", token: tok, status: 400, code: app.EINVALID},
		{name: "SnapshotErrLimitNegative", method: "GET", path: "/v1/snapshot?scope=F205&limit=-5", token: tok, status: 400, code: app.EINVALID},

		{name: "PushOK", method: "POST", path: "/v1/ops", token: tok, body: `{"ops":[]}`, status: 200},
		{name: "PushErrNoToken", method: "POST", path: "/v1/ops", body: `{"ops":[]}`, status: 401, code: app.EUNAUTHORIZED},
		{name: "PushErrRevoked", method: "POST", path: "/v1/ops", token: h.Revoked, body: `{"ops":[]}`, status: 401, code: app.EUNAUTHORIZED},
		{name: "PushErrBadJSON", method: "POST", path: "/v1/ops", token: tok, body: `{"ops":[`, status: 400, code: app.EINVALID},
		{name: "PushErrEmptyBody", method: "POST", path: "/v1/ops", token: tok, status: 400, code: app.EINVALID},
		{name: "PushErrWrongType", method: "POST", path: "/v1/ops", token: tok, body: `{"ops":{}}`, status: 400, code: app.EINVALID},
		{name: "PushErrUnknownField", method: "POST", path: "/v1/ops", token: tok, body: `{"ops":[],"force":true}`, status: 400, code: app.EINVALID},
		{name: "PushErrUnknownOpField", method: "POST", path: "/v1/ops", token: tok, body: `{"ops":[{"id":"x","priority":1}]}`, status: 400, code: app.EINVALID},
		{name: "PushErrTrailingData", method: "POST", path: "/v1/ops", token: tok, body: `{"ops":[]} {"ops":[]}`, status: 400, code: app.EINVALID},
		{name: "PushErrOversized", method: "POST", path: "/v1/ops", token: tok, body: big, status: 400, code: app.EINVALID},
		{name: "PushErrTooManyOps", method: "POST", path: "/v1/ops", token: tok, body: `{"ops":[{},{},{},{}]}`, status: 400, code: app.EINVALID},
		{name: "PushErrMethod", method: "GET", path: "/v1/ops", token: tok, status: 405},

		{name: "SearchOK", method: "GET", path: "/v1/citizens?q=rossi", token: tok, status: 200},
		{name: "SearchErrNoToken", method: "GET", path: "/v1/citizens?q=rossi", status: 401, code: app.EUNAUTHORIZED},
		{name: "SearchErrEmpty", method: "GET", path: "/v1/citizens?q=", token: tok, status: 400, code: app.EINVALID},
		{name: "SearchErrTooLong", method: "GET", path: "/v1/citizens?q=" + strings.Repeat("a", app.MaxQueryLength+1), token: tok, status: 400, code: app.EINVALID},
		{name: "SearchErrLimit", method: "GET", path: "/v1/citizens?q=rossi&limit=x", token: tok, status: 400, code: app.EINVALID},

		{name: "CitizenOK", method: "GET", path: "/v1/citizens/rssmra85t10a562s", token: tok, status: 200},
		{name: "CitizenErrNoToken", method: "GET", path: "/v1/citizens/RSSMRA85T10A562S", status: 401, code: app.EUNAUTHORIZED},
		// A code the device's comune lacks is another comune's read: without
		// the operator's proof it is refused, known or not (readproof_test.go).
		{name: "CitizenErrUnknownWithoutProof", method: "GET", path: "/v1/citizens/NREGUO80A01H501X", token: tok, status: 403, code: app.EFORBIDDEN},

		{name: "FamilyOK", method: "GET", path: "/v1/families/F205-1", token: tok, status: 200},
		{name: "FamilyErrNoToken", method: "GET", path: "/v1/families/F205-1", status: 401, code: app.EUNAUTHORIZED},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := h.do(tc.method, tc.path, tc.token, tc.body, tc.header...)
			if rec.Code != tc.status {
				t.Fatalf("%s %s: status %d, want %d; body %s", tc.method, tc.path, rec.Code, tc.status, rec.Body)
			}
			if rec.Header().Get(wire.HeaderHubTime) == "" {
				t.Errorf("answer without %s", wire.HeaderHubTime)
			}
			if tc.code == "" {
				return
			}
			var e wire.Error
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
				t.Fatalf("error answer is not a wire.Error: %v: %s", err, rec.Body)
			}
			if e.Code != tc.code || e.Message == "" {
				t.Errorf("error answer %+v, want code %q with a message", e, tc.code)
			}
		})
	}
}

// TestPushResults checks the answers to the operations of one push: in
// order, one each, refusals with their reason, repeats with the stored
// answer, and nothing applied after the first failure.
func TestPushResults(t *testing.T) {
	h := newHub(t)
	first := auditOp(h.Device, "00000000-0000-4000-8000-000000000001", 1, 1, "")
	second := auditOp(h.Device, "00000000-0000-4000-8000-000000000002", 2, 2, first.Audit.Hash)
	other := auditOp("H501-W001", "00000000-0000-4000-8000-000000000003", 1, 1, "")
	tampered := auditOp(h.Device, "00000000-0000-4000-8000-000000000004", 3, 3, second.Audit.Hash)
	tampered.Audit.Subject = "RSSMRA85T10A562S"
	push := func(ops ...wire.Op) []wire.OpResult {
		t.Helper()
		b, _ := json.Marshal(wire.PushRequest{Ops: ops})
		rec := h.do("POST", "/v1/ops", h.Token, string(b))
		if rec.Code != 200 {
			t.Fatalf("push: %d %s", rec.Code, rec.Body)
		}
		var res wire.PushResponse
		if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
			t.Fatal(err)
		}
		if len(res.Results) != len(ops) {
			t.Fatalf("%d results for %d operations", len(res.Results), len(ops))
		}
		for i := range ops {
			if res.Results[i].ID != ops[i].ID {
				t.Fatalf("result %d is for %s, want %s", i, res.Results[i].ID, ops[i].ID)
			}
		}
		return res.Results
	}
	res := push(first, other, second)
	if !res[0].Applied || res[0].Duplicate || res[0].Code != "" {
		t.Errorf("first: %+v", res[0])
	}
	if res[1].Applied || res[1].Code != app.EFORBIDDEN {
		t.Errorf("another device's operation: %+v", res[1])
	}
	// The device's batch stops at the first failure: what follows is not
	// tried, and says so.
	if res[2].Applied || !res[2].Skipped || res[2].Code != app.EINTERNAL {
		t.Errorf("operation after a refused one: %+v", res[2])
	}
	if res := push(tampered); res[0].Applied || res[0].Code != app.EINVALID || !strings.Contains(res[0].Message, "impronta") {
		t.Errorf("tampered audit event: %+v", res[0])
	}
	res = push(first, second)
	if !res[0].Applied || !res[0].Duplicate {
		t.Errorf("repeated operation: %+v", res[0])
	}
	if !res[1].Applied || res[1].Duplicate {
		t.Errorf("second: %+v", res[1])
	}
	// Same device and number, another id: a second PC with a copied
	// identity, or a reset outbox.
	clash := auditOp(h.Device, "00000000-0000-4000-8000-000000000005", 2, 2, first.Audit.Hash)
	if res := push(clash); res[0].Code != app.ECONFLICT {
		t.Errorf("clashing operation: %+v", res[0])
	}
	if n, _ := h.DB.AuditCount(context.Background(), h.Device); n != 2 {
		t.Errorf("hub holds %d audit events, want 2", n)
	}
}

// auditOp is an outbox operation carrying a well-formed audit event.
func auditOp(device, id string, seq, auditSeq int64, prev string) wire.Op {
	e := app.AuditEvent{Device: device, Seq: auditSeq, Operator: "mrossi", Action: app.AuditView,
		Subject: "ricerca", At: time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC), PrevHash: prev}
	e.Hash = e.ComputeHash()
	return wire.OpToWire(app.Operation{ID: id, Device: device, Seq: seq, Kind: app.OpAudit, CreatedAt: e.At, Audit: &e})
}

// FuzzPush sends arbitrary bodies to /v1/ops as an enrolled workstation:
// the hub must answer 200 or 400, never fail, and answer every operation
// of a request it reads.
func FuzzPush(f *testing.F) {
	for _, op := range []wire.Op{
		auditOp("F205-W001", "00000000-0000-4000-8000-000000000001", 1, 1, ""),
		auditOp("H501-W001", "00000000-0000-4000-8000-000000000002", 1, 1, ""),
	} {
		b, _ := json.Marshal(wire.PushRequest{Ops: []wire.Op{op, op}})
		f.Add(b)
	}
	f.Add([]byte(`{"ops":[]}`))
	f.Add([]byte(`{"ops":null}`))
	f.Add([]byte(`{"ops":[{"id":"00000000-0000-4000-8000-000000000009","device":"F205-W001","seq":1,"kind":"audit","created_at":"x"}]}`))
	h := newHub(f)
	if h.Device != "F205-W001" {
		f.Fatalf("the seeds expect the workstation F205-W001, got %s", h.Device)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := h.do("POST", "/v1/ops", h.Token, string(body))
		switch rec.Code {
		case http.StatusOK:
			var req wire.PushRequest
			if err := json.Unmarshal(body, &req); err != nil {
				t.Fatalf("hub read a body that is not a push request: %v", err)
			}
			var res wire.PushResponse
			if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
				t.Fatalf("answer: %v", err)
			}
			if len(res.Results) != len(req.Ops) {
				t.Fatalf("%d results for %d operations", len(res.Results), len(req.Ops))
			}
			failed := false
			for i, r := range res.Results {
				if failed != r.Skipped {
					t.Fatalf("operation %d: skipped %v, want %v (only and all those after a failure)", i, r.Skipped, failed)
				}
				if r.Skipped {
					continue
				}
				failed = r.Code != ""
				if r.Code == app.EINTERNAL {
					t.Fatalf("operation %d failed inside the hub: %s", i, r.Message)
				}
				if r.Applied == (r.Code != "") {
					t.Fatalf("operation %d neither applied nor refused (or both): %+v", i, r)
				}
			}
		case http.StatusBadRequest:
			var e wire.Error
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Code != app.EINVALID {
				t.Fatalf("400 answer %q: %v", rec.Body, err)
			}
		default:
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	})
}

// TestAuditGap: an event the workstation parked leaves a gap in the hub's
// copy of its audit chain, and the later events still go in; the gap
// closes only with the event that links to both neighbours.
func TestAuditGap(t *testing.T) {
	ctx := context.Background()
	h := newHub(t)
	ev := func(id string, seq int64, prev, subject string) wire.Op {
		if subject == "" {
			return auditOp(h.Device, id, seq, seq, prev)
		}
		// Well formed, its own hash right, but not the event the next one
		// follows.
		e := app.AuditEvent{Device: h.Device, Seq: seq, Operator: "mrossi", Action: app.AuditView,
			Subject: subject, At: time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC), PrevHash: prev}
		e.Hash = e.ComputeHash()
		return wire.OpToWire(app.Operation{ID: id, Device: h.Device, Seq: seq, Kind: app.OpAudit, CreatedAt: e.At, Audit: &e})
	}
	first := ev("00000000-0000-4000-8000-000000000001", 1, "", "")
	second := ev("00000000-0000-4000-8000-000000000002", 2, first.Audit.Hash, "")
	third := ev("00000000-0000-4000-8000-000000000003", 3, second.Audit.Hash, "")
	forged := ev("00000000-0000-4000-8000-000000000004", 2, first.Audit.Hash, "RSSMRA85T10A562S")
	push := func(op wire.Op) wire.OpResult {
		t.Helper()
		b, _ := json.Marshal(wire.PushRequest{Ops: []wire.Op{op}})
		rec := h.do("POST", "/v1/ops", h.Token, string(b))
		var res wire.PushResponse
		if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || len(res.Results) != 1 {
			t.Fatalf("push: %d %s", rec.Code, rec.Body)
		}
		return res.Results[0]
	}
	gaps := func() []int64 {
		t.Helper()
		g, err := h.DB.AuditGaps(ctx, h.Device)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	for _, step := range []struct {
		name string
		op   wire.Op
		code string
		gaps []int64
	}{
		{"First", first, "", nil},
		{"ThirdOverTheGap", third, "", []int64{2}},
		{"ErrForgedSecond", forged, app.ECONFLICT, []int64{2}},
		{"ErrFirstAgainAsNew", ev("00000000-0000-4000-8000-000000000005", 1, "", ""), app.ECONFLICT, []int64{2}},
		{"SecondClosesTheGap", second, "", nil},
	} {
		t.Run(step.name, func(t *testing.T) {
			res := push(step.op)
			if res.Code != step.code || res.Applied != (step.code == "") {
				t.Fatalf("%+v, want code %q", res, step.code)
			}
			if g := gaps(); fmt.Sprint(g) != fmt.Sprint(step.gaps) {
				t.Fatalf("gaps %v, want %v", g, step.gaps)
			}
		})
	}
}
