package app_test

import (
	"os"
	"strings"
	"testing"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/app/kiosk"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/app/request"
)

// TestAuditActionsDocumented keeps the table of audit actions in
// docs/VOCABULARY.md whole: scripts read the access export's actions.
func TestAuditActionsDocumented(t *testing.T) {
	b, err := os.ReadFile("../docs/VOCABULARY.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, a := range []string{app.AuditLogin, app.AuditSearch, app.AuditView, app.AuditPrint, app.AuditAccessExport,
		app.AuditOutboxRetry, app.AuditOutboxDiscard, certificate.AuditIssue, certificate.AuditReprint, certificate.AuditForce,
		request.AuditSubmit, request.AuditStatus, request.AuditReceipt, payment.AuditNotice, payment.AuditReceipt, kiosk.AuditLockout,
		"lettura_hub"} {
		if !strings.Contains(doc, "`"+a+"`") {
			t.Errorf("audit action %q is not in docs/VOCABULARY.md", a)
		}
	}
}
