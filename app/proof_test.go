package app_test

import (
	"context"
	"crypto/ed25519"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/app/request"
)

// TestPrivilegedKinds holds app's spelling of the privileged kinds to the
// packages that define them.
func TestPrivilegedKinds(t *testing.T) {
	for _, kind := range []string{payment.FactRefundDone, request.FactStatus, payment.FactClosing} {
		if !app.Privileged(&app.Operation{Kind: kind}) {
			t.Errorf("%s is not privileged", kind)
		}
	}
	for _, action := range []string{app.AuditOutboxRetry, app.AuditOutboxDiscard, certificate.AuditForce} {
		if !app.Privileged(&app.Operation{Kind: app.OpAudit, Audit: &app.AuditEvent{Action: action}}) {
			t.Errorf("audit %s is not privileged", action)
		}
	}
	for _, op := range []app.Operation{{Kind: payment.FactPayment}, {Kind: request.FactRequest},
		{Kind: app.OpAudit, Audit: &app.AuditEvent{Action: app.AuditView}}, {Kind: app.OpCertificate}} {
		if app.Privileged(&op) {
			t.Errorf("%s %+v is privileged", op.Kind, op.Audit)
		}
	}
}

// TestProofBindsTheOperation: a proof verifies for its own operation only.
func TestProofBindsTheOperation(t *testing.T) {
	pub, key, _ := ed25519.GenerateKey(nil)
	op := app.Operation{ID: "00000000-0000-4000-8000-000000000001", Device: "F205-W001", Seq: 3, Kind: payment.FactRefundDone,
		CreatedAt: time.Date(2026, 12, 5, 9, 0, 0, 1, time.UTC), Data: []byte(`{"refund":"R1"}`)}
	op.Proof = app.SignOp(key, "F205", "sup", &op)
	if !app.VerifyOp(pub, "F205", &op) {
		t.Fatal("the proof does not verify")
	}
	for name, change := range map[string]func(o *app.Operation){
		"Comune":   nil,
		"Device":   func(o *app.Operation) { o.Device = "F205-W002" },
		"Seq":      func(o *app.Operation) { o.Seq++ },
		"ID":       func(o *app.Operation) { o.ID = "00000000-0000-4000-8000-000000000002" },
		"Kind":     func(o *app.Operation) { o.Kind = request.FactStatus },
		"Time":     func(o *app.Operation) { o.CreatedAt = o.CreatedAt.Add(time.Nanosecond) },
		"Data":     func(o *app.Operation) { o.Data = []byte(`{"refund":"R2"}`) },
		"Operator": func(o *app.Operation) { p := *o.Proof; p.Operator = "other"; o.Proof = &p },
	} {
		o := op
		comune := "F205"
		if change == nil {
			comune = "I690"
		} else {
			change(&o)
		}
		if app.VerifyOp(pub, comune, &o) {
			t.Errorf("the proof verifies with another %s", name)
		}
	}
}

// TestExportAccesses: only a supervisor exports, and the export is audited.
func TestExportAccesses(t *testing.T) {
	ctx := context.Background()
	var audited []string
	s := &app.CounterService{Local: auditOnly{&audited}, Now: time.Now,
		AccessLog: func(_ context.Context, operator, cf string) ([]app.Access, error) {
			return []app.Access{{Device: "F205-W001", Operator: "mrossi", Action: app.AuditView, Subject: cf}}, nil
		}}
	clerk := &app.Operator{Username: "mrossi", Roles: []app.Role{app.RoleOperator}}
	if _, err := s.ExportAccesses(ctx, clerk, "RSSMRA85T10A562S"); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Errorf("a clerk exports: %v", err)
	}
	boss := &app.Operator{Username: "gbianchi", Roles: []app.Role{app.RoleSupervisor}}
	list, err := s.ExportAccesses(ctx, boss, "RSSMRA85T10A562S")
	if err != nil || len(list) != 1 {
		t.Fatalf("%+v %v", list, err)
	}
	if len(audited) != 1 || audited[0] != "gbianchi "+app.AuditAccessExport+" RSSMRA85T10A562S" {
		t.Errorf("audited %v", audited)
	}
	s.AccessLog = nil
	if _, err := s.ExportAccesses(ctx, boss, "RSSMRA85T10A562S"); app.ErrorCode(err) != app.EOFFLINE {
		t.Errorf("without a hub: %v", err)
	}
}

// auditOnly is a cache that records audit events and nothing else.
type auditOnly struct{ events *[]string }

func (a auditOnly) AppendAudit(_ context.Context, operator, action, subject string, _ time.Time) error {
	*a.events = append(*a.events, operator+" "+action+" "+subject)
	return nil
}

func (auditOnly) SearchCitizens(context.Context, app.Query, int) ([]app.CitizenSummary, error) {
	return nil, nil
}
func (auditOnly) Citizen(context.Context, string) (*app.Citizen, error)   { return nil, nil }
func (auditOnly) Family(context.Context, string) ([]app.Citizen, error)   { return nil, nil }
func (auditOnly) Operator(context.Context, string) (*app.Operator, error) { return nil, nil }
func (auditOnly) LoginFailures(context.Context, string) (int, time.Time, error) {
	return 0, time.Time{}, nil
}
func (auditOnly) RecordLogin(context.Context, string, bool, time.Time) error { return nil }
func (auditOnly) Reference(context.Context) (*anpr.Tables, error)            { return nil, nil }
func (auditOnly) Cursor(context.Context, string) (app.Cursor, error)         { return app.Cursor{}, nil }
