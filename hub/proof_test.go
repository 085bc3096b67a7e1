package hub_test

// Issue 10, "operators prove who they are": what a holder of a counter's
// token tries with the privileged facts, against the real hub over HTTP.

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/app/request"
	"github.com/sportello/sportello/hub/sqlstore"
	"github.com/sportello/sportello/passwd"
	"github.com/sportello/sportello/sync/wire"
)

// cheapKeys keep the tests fast; the code paths are those of the defaults.
var cheapKeys = passwd.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// putOperator creates (or gives a new password to) an operator of comune
// at the hub, as sportello-hub add-operator does, and returns the signing
// key the password unlocks.
func putOperator(tb testing.TB, h *trustHub, comune, username, password string, roles ...app.Role) ed25519.PrivateKey {
	tb.Helper()
	hash, err := passwd.HashWith(cheapKeys, password)
	if err != nil {
		tb.Fatal(err)
	}
	params, pub, err := passwd.NewKeyWith(cheapKeys, password)
	if err != nil {
		tb.Fatal(err)
	}
	op := app.Operator{Username: username, Name: username, Comune: comune, Roles: roles, PasswordHash: hash,
		KeyParams: params, PublicKey: pub, Active: true}
	if err := h.DB.PutOperator(context.Background(), op); err != nil {
		tb.Fatal(err)
	}
	key, err := passwd.DeriveKey(params, password)
	if err != nil {
		tb.Fatal(err)
	}
	return key
}

// TestOperatorProofs: a refund paid out and a request's state moved are
// taken only with the proof of the operator they name; a device token, a
// name, another operator's or another operation's signature, another
// comune's device are refused with nothing stored; a password change
// leaves the work signed offline before it valid, for a while.
func TestOperatorProofs(t *testing.T) {
	h := newTrustHub(t)
	ctx := context.Background()
	py := payment.Payee{Comune: "F205", Name: "Comune di Milano", CFEnte: "01199250158", Aux: 3, Code: "01"}
	if err := h.DB.PutPayee(ctx, &py); err != nil {
		t.Fatal(err)
	}
	sup := putOperator(t, h, "F205", "supervisore", "Vecchia-Password-1", app.RoleOperator, app.RoleSupervisor, app.RoleBackOffice)
	clerk := putOperator(t, h, "F205", "mrossi", "Password-di-Rossi", app.RoleOperator)
	supSesto := putOperator(t, h, "I690", "sup.sesto", "Password-di-Sesto", app.RoleOperator, app.RoleSupervisor)

	// A TARI paid twice at the node: one refund to pay out.
	luca := h.People["Bianchi Luca"]
	tari, err := h.DB.CreatePosition(ctx, payment.Position{Comune: "F205", DebtorCF: luca.CodiceFiscale, DebtorName: "BIANCHI LUCA",
		Service: payment.ServiceTARI, Causale: "TARI 2026", AmountCents: 5000, DueDate: app.Date(2026, 12, 31)})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := h.DB.RecordOnlinePayment(ctx, tari.Avviso, 5000, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	open := func() payment.Refund {
		t.Helper()
		rs, err := h.DB.Refunds(ctx, "F205")
		if err != nil || len(rs) != 1 {
			t.Fatalf("refunds %+v %v", rs, err)
		}
		return rs[0]
	}
	refund := open()
	w := &pusher{h: h, token: h.Milano, device: "F205-W001"}
	repay := func(operator, comune, device string) []byte {
		return payment.EncodeRepayment(&payment.Repayment{Refund: refund.ID, Comune: comune, Method: payment.RefundTransfer,
			On: app.Date(2026, 3, 2), Operator: operator, Device: device, At: time.Now().UTC()})
	}
	stillOpen := func(t *testing.T) {
		t.Helper()
		if r := open(); r.State != payment.RefundOpen {
			t.Fatalf("refund now %s", r.State)
		}
	}

	t.Run("ErrDeviceTokenAsSupervisor", func(t *testing.T) {
		res := w.push(t, payment.FactRefundDone, repay("supervisore", "F205", w.device))
		if res.Applied || res.Code != app.EFORBIDDEN || !strings.Contains(res.Message, "prova") {
			t.Errorf("refund without proof: %+v, want forbidden for want of proof", res)
		}
		stillOpen(t)
	})
	// Signed, but by the wrong one: a clerk, a clerk's key under the
	// supervisor's name, a clerk with no role for it, the supervisor from
	// another comune's device, another comune's supervisor.
	sesto := &pusher{h: h, token: h.Sesto, device: "I690-W001"}
	for _, tc := range []struct {
		name           string
		p              *pusher
		named          string // the operator the fact names
		key            ed25519.PrivateKey
		signer, comune string
	}{
		{"ErrClerkProofOnSupervisorsRefund", w, "supervisore", clerk, "mrossi", "F205"},
		{"ErrClerkKeyAsSupervisor", w, "supervisore", clerk, "supervisore", "F205"},
		{"ErrClerkOwnRefund", w, "mrossi", clerk, "mrossi", "F205"},
		{"ErrAnotherComunesDevice", sesto, "supervisore", sup, "supervisore", "F205"},
		{"ErrAnotherComunesSupervisor", sesto, "sup.sesto", supSesto, "sup.sesto", "I690"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			op := tc.p.next(payment.FactRefundDone, repay(tc.named, "F205", tc.p.device))
			if res := tc.p.pushOp(t, op, app.SignOp(tc.key, tc.comune, tc.signer, &op)); res.Applied || res.Code != app.EFORBIDDEN {
				t.Errorf("%+v, want forbidden", res)
			}
			stillOpen(t)
		})
	}
	t.Run("ErrProofOfAnotherOperation", func(t *testing.T) {
		// A proof the supervisor made for another operation (a status
		// move, or the same refund under another id) is copied.
		other := w.next(request.FactStatus, []byte(`{"request":"x"}`))
		stolen := app.SignOp(sup, "F205", "supervisore", &other)
		op := w.next(payment.FactRefundDone, repay("supervisore", "F205", w.device))
		if res := w.pushOp(t, op, stolen); res.Applied || res.Code != app.EFORBIDDEN {
			t.Errorf("replayed signature: %+v", res)
		}
		op2 := op
		op2.ID, op2.Seq = "00000000-0000-4000-8000-999999999999", op.Seq+1
		w.seq++
		if res := w.pushOp(t, op2, app.SignOp(sup, "F205", "supervisore", &op)); res.Applied || res.Code != app.EFORBIDDEN {
			t.Errorf("signature of the same fact under another id: %+v", res)
		}
		stillOpen(t)
	})
	t.Run("ErrStatusMoveAsBackOffice", func(t *testing.T) {
		f := request.StatusFact{Request: "11111111-2222-4333-8444-555555555555", Comune: "F205", To: request.StatusWorking, Expected: 1, Operator: "supervisore", At: time.Now().UTC()}
		res := w.push(t, request.FactStatus, request.EncodeStatusFact(&f))
		if res.Applied || res.Code != app.EFORBIDDEN || !strings.Contains(res.Message, "prova") {
			t.Errorf("status move without proof: %+v", res)
		}
	})
	t.Run("ErrDecisionWithoutProof", func(t *testing.T) {
		ev := app.AuditEvent{Device: w.device, Seq: 1, Operator: "mrossi", Action: app.AuditOutboxDiscard, Subject: "x: y", At: time.Now().UTC()}
		ev.Hash = ev.ComputeHash()
		op := w.next(app.OpAudit, nil)
		op.Audit = &ev
		if res := w.pushOp(t, op, nil); res.Applied || res.Code != app.EFORBIDDEN {
			t.Errorf("an operation discarded without proof: %+v", res)
		}
		if res := w.pushOp(t, op, app.SignOp(clerk, "F205", "mrossi", &op)); !res.Applied {
			t.Errorf("an operation discarded with mrossi's proof: %+v", res)
		}
	})
	t.Run("RefundWithProof", func(t *testing.T) {
		op := w.next(payment.FactRefundDone, repay("supervisore", "F205", w.device))
		p := app.SignOp(sup, "F205", "supervisore", &op)
		if res := w.pushOp(t, op, p); !res.Applied {
			t.Fatalf("refund with the supervisor's proof: %+v", res)
		}
		if r := open(); r.State != payment.RefundDone {
			t.Errorf("refund now %s, want done", r.State)
		}
		if res := w.pushOp(t, op, p); !res.Duplicate {
			t.Errorf("the same operation again: %+v, want its stored answer", res)
		}
	})
	t.Run("PasswordChange", func(t *testing.T) {
		status := func(at time.Time) app.Operation {
			f := request.StatusFact{Request: "11111111-2222-4333-8444-555555555555", Comune: "F205", To: request.StatusWorking, Expected: 1, Operator: "supervisore", At: at}
			op := w.next(request.FactStatus, request.EncodeStatusFact(&f))
			op.CreatedAt = at
			return op
		}
		// Signed offline with the old key, before the change.
		before := status(time.Now().UTC().Add(-time.Hour))
		beforeProof := app.SignOp(sup, "F205", "supervisore", &before)
		time.Sleep(time.Millisecond)
		newKey := putOperator(t, h, "F205", "supervisore", "Nuova-Password-2", app.RoleOperator, app.RoleSupervisor, app.RoleBackOffice)
		after := status(time.Now().UTC().Add(time.Second))
		// The old key still proves what was made before the change (the
		// request is unknown: the proof passed, the fact is checked).
		if res := w.pushOp(t, before, beforeProof); res.Code != app.ENOTFOUND {
			t.Errorf("old key, before the change: %+v, want the proof taken (request unknown)", res)
		}
		if res := w.pushOp(t, after, app.SignOp(sup, "F205", "supervisore", &after)); res.Code != app.EFORBIDDEN {
			t.Errorf("old key, after the change: %+v, want forbidden", res)
		}
		late := status(time.Now().UTC().Add(2 * time.Second))
		if res := w.pushOp(t, late, app.SignOp(newKey, "F205", "supervisore", &late)); res.Code != app.ENOTFOUND {
			t.Errorf("new key: %+v, want the proof taken", res)
		}
		// Past the grace, the old key proves nothing any more.
		h.DB.Now = func() time.Time { return time.Now().Add(app.OperatorKeyGrace + time.Hour) }
		defer func() { h.DB.Now = time.Now }()
		old := status(time.Now().UTC().Add(-2 * time.Hour))
		if res := w.pushOp(t, old, app.SignOp(sup, "F205", "supervisore", &old)); res.Code != app.EFORBIDDEN {
			t.Errorf("old key past the grace: %+v, want forbidden", res)
		}
	})
}

// TestAccessExport: the accesses to a citizen go, through a device, only
// to a supervisor of the citizen's comune who proves it now; a device
// token, a clerk, a kiosk, another comune's citizen, a stale or copied
// request get nothing.
func TestAccessExport(t *testing.T) {
	h := newTrustHub(t)
	sup := putOperator(t, h, "F205", "supervisore", "Password-del-Sup", app.RoleOperator, app.RoleSupervisor)
	clerk := putOperator(t, h, "F205", "mrossi", "Password-di-Rossi", app.RoleOperator)
	luca, paolo, carlo := h.People["Bianchi Luca"], h.People["Bianchi Paolo"], h.People["Verdi Carlo"]
	// The counter opened Luca's file: an event of its audit chain.
	w := &pusher{h: h, token: h.Milano, device: "F205-W001"}
	ev := app.AuditEvent{Device: w.device, Seq: 1, Operator: "mrossi", Action: app.AuditView, Subject: luca.CodiceFiscale, At: time.Now().UTC()}
	ev.Hash = ev.ComputeHash()
	op := w.next(app.OpAudit, nil)
	op.Audit = &ev
	if res := w.pushOp(t, op, nil); !res.Applied {
		t.Fatalf("audit event: %+v", res)
	}
	request := func(key ed25519.PrivateKey, device, operator, cf string, at time.Time) wire.AccessRequest {
		return wire.AccessRequest{CodiceFiscale: cf, Operator: operator, At: wire.FormatTime(at),
			Signature: wire.B64(ed25519.Sign(key, app.AccessExportMessage("F205", device, cf, operator, at)))}
	}
	ask := func(token string, req wire.AccessRequest) (int, wire.Error, wire.AccessesResponse) {
		t.Helper()
		body, _ := json.Marshal(req)
		var res wire.AccessesResponse
		st, e := h.send(t, http.MethodPost, "/v1/accesses", token, string(body), &res)
		return st, e, res
	}
	now := time.Now().UTC()
	t.Run("SupervisorGetsThem", func(t *testing.T) {
		st, e, res := ask(h.Milano, request(sup, w.device, "supervisore", luca.CodiceFiscale, now))
		if st != http.StatusOK || len(res.Accesses) != 1 {
			t.Fatalf("%d %+v %+v", st, e, res)
		}
		a := res.Accesses[0]
		if a.Device != w.device || a.Operator != "mrossi" || a.Action != app.AuditView || a.At == "" || a.Source != sqlstore.SourceDevice {
			t.Errorf("access %+v", a)
		}
	})
	kiosk := trustEnrol(t, h.DB, "F205", sqlstore.RoleKiosk)
	stolen := request(sup, w.device, "supervisore", luca.CodiceFiscale, now)
	for _, tc := range []struct {
		name   string
		token  string
		req    wire.AccessRequest
		status int
	}{
		{"ErrTokenAlone", h.Milano, wire.AccessRequest{CodiceFiscale: luca.CodiceFiscale, Operator: "supervisore", At: wire.FormatTime(now),
			Signature: wire.B64(make([]byte, ed25519.SignatureSize))}, http.StatusForbidden},
		{"ErrNoSignature", h.Milano, wire.AccessRequest{CodiceFiscale: luca.CodiceFiscale, Operator: "supervisore", At: wire.FormatTime(now)}, http.StatusForbidden},
		{"ErrClerk", h.Milano, request(clerk, w.device, "mrossi", luca.CodiceFiscale, now), http.StatusForbidden},
		{"ErrClerkKeyAsSupervisor", h.Milano, request(clerk, w.device, "supervisore", luca.CodiceFiscale, now), http.StatusForbidden},
		{"ErrStale", h.Milano, request(sup, w.device, "supervisore", luca.CodiceFiscale, now.Add(-10*time.Minute)), http.StatusForbidden},
		{"ErrCopiedToAnotherCitizen", h.Milano, wire.AccessRequest{CodiceFiscale: paolo.CodiceFiscale, Operator: stolen.Operator,
			At: stolen.At, Signature: stolen.Signature}, http.StatusForbidden},
		{"ErrAnotherComunesCitizen", h.Milano, request(sup, w.device, "supervisore", carlo.CodiceFiscale, now), http.StatusNotFound},
		{"ErrAnotherComunesDevice", h.Sesto, stolen, http.StatusNotFound},
		{"ErrKiosk", kiosk, stolen, http.StatusForbidden},
		{"ErrNoCredentials", "", stolen, http.StatusUnauthorized},
		{"ErrSQLInCF", h.Milano, request(sup, w.device, "supervisore", "' OR 1=1 --", now), http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, e, res := ask(tc.token, tc.req)
			if st != tc.status || len(res.Accesses) != 0 || (st != http.StatusUnauthorized && e.Message == "") {
				t.Errorf("%d %+v %d accesses, want %d and nothing", st, e, len(res.Accesses), tc.status)
			}
		})
	}
}
