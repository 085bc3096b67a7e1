package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sportello/sportello/app/pagopa"
	"github.com/sportello/sportello/hub/sqlstore"
)

// TestPaymentCLI runs the payments' contract on the real binaries: the
// positions of a person as JSON, the notice whose QR code (read back from
// the rendered page) is the pagoPA payload, a payment at the counter, the
// same position then paid through the pagoPA node and listed for refund
// with both receipts, the fines of a plate, and the signed closing of the
// day whose total is the receipts'; a refund marked done by the
// supervisor (refused for an operator) reaching the hub; a TARI position
// paid by instalment, with the notice of the other instalment alone.
func TestPaymentCLI(t *testing.T) {
	needTool(t, "pdftotext", "pdftoppm", "zbarimg")
	hubData, ws := t.TempDir(), t.TempDir()
	mustRun(t, "sportello-hub", "import-reference", "--data", hubData, referenceDir(t))
	mustRun(t, "sportello-hub", "demo", "--data", hubData, "--comune", "I690", "--residents", "300", "--seed", "3")
	db, err := sqlstore.Open(context.Background(), filepath.Join(hubData, "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	debtors, err := db.ComuneCitizens(context.Background(), "I690", 13)
	db.Close()
	if err != nil || len(debtors) != 13 {
		t.Fatalf("demo debtors: %v", err)
	}
	cf := debtors[2].CodiceFiscale // the third has a canteen fee to pay
	out := mustRun(t, "sportello-hub", "enroll-code", "--data", hubData, "--comune", "I690")
	code := strings.TrimSpace(out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:])
	url := startHub(t, hubData)
	mustRun(t, "sportello", "--data", ws, "enroll", "--hub", url, "--code", code)
	mustRun(t, "sportello", "--data", ws, "sync")

	var list []struct {
		ID           string `json:"id"`
		CodiceAvviso string `json:"codice_avviso"`
		AmountCents  int64  `json:"amount_cents"`
		State        string `json:"state"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "sportello", "--data", ws, "payment", "list", "--cf", cf, "--json")), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].State != "da_pagare" || list[0].AmountCents != 8450 {
		t.Fatalf("positions of %s: %+v", cf, list)
	}
	pos := list[0]
	if _, err := pagopa.ParseAvviso(pos.CodiceAvviso); err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	notice := filepath.Join(dir, "avviso.pdf")
	mustRun(t, "sportello", "--data", ws, "payment", "notice", "--id", pos.ID, "--out", notice)
	png := filepath.Join(dir, "avviso")
	if b, err := exec.Command("pdftoppm", "-r", "200", "-png", "-singlefile", notice, png).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, b)
	}
	qr, err := exec.Command("zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", png+".png").Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "PAGOPA|002|" + pos.CodiceAvviso + "|02253930156|0000008450"; strings.TrimSpace(string(qr)) != want {
		t.Fatalf("notice QR reads %q, want %q", qr, want)
	}
	if text := pdfText(t, notice); !strings.Contains(text, pagopa.CodiceAvviso(pos.CodiceAvviso).Grouped()) {
		t.Fatalf("notice text lacks the grouped avviso:\n%s", text)
	}

	receipt := filepath.Join(dir, "ricevuta.pdf")
	out = mustRun(t, "sportello", "--data", ws, "payment", "pay", "--id", pos.ID, "--method", "cash", "--operator", "demo", "--password-file", demoPassword(t), "--out", receipt)
	if !strings.Contains(out, "ricevuta I690-W001-") || !strings.Contains(out, "inviato all'hub") {
		t.Fatalf("pay: %s", out)
	}
	if r := runBin(t, "sportello", "--data", ws, "payment", "pay", "--id", pos.ID, "--method", "card", "--operator", "demo", "--password-file", demoPassword(t)); r.code != 1 || !strings.Contains(r.err, "già") {
		t.Fatalf("second payment at the counter: %+v", r)
	}
	// Each print of a notice or a receipt names the debtor: an audit event
	// that reaches the hub's access export. The notice printed twice is two.
	number := regexp.MustCompile(`I690-W001-\d{4}-R\d{6}`).FindString(out)
	mustRun(t, "sportello", "--data", ws, "payment", "notice", "--id", pos.ID, "--out", notice, "--operator", "demo", "--password-file", demoPassword(t))
	mustRun(t, "sportello", "--data", ws, "payment", "receipt", "--number", number, "--out", receipt, "--operator", "demo", "--password-file", demoPassword(t))
	mustRun(t, "sportello", "--data", ws, "sync")
	prints := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(mustRun(t, "sportello-hub", "audit", "--data", hubData, "--comune", "I690", "--cf", cf, "--json")), "\n") {
		var a struct{ Action, Operator, Device, At, Subject string }
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			t.Fatalf("audit line %q: %v", line, err)
		}
		if strings.HasPrefix(a.Action, "payment.") && a.Device == "I690-W001" && a.At != "" && strings.HasPrefix(a.Subject, cf+" ") {
			prints[a.Action] = append(prints[a.Action], a.Operator)
		}
	}
	if n := prints["payment.notice"]; len(n) != 2 || n[1] != "demo" {
		t.Errorf("notice printed twice: audit at the hub %q", n)
	}
	if r := prints["payment.receipt"]; len(r) != 2 || r[0] != "demo" || r[1] != "demo" {
		t.Errorf("receipt printed and reprinted: audit at the hub %q", r)
	}
	out = mustRun(t, "sportello-hub", "payment", "online", "--data", hubData, "--avviso", pos.CodiceAvviso, "--amount", "8450")
	if !strings.Contains(out, "PAGAMENTO DOPPIO") {
		t.Fatalf("online payment: %s", out)
	}
	out = mustRun(t, "sportello", "--data", ws, "payment", "refunds", "--cf", cf)
	if !strings.Contains(out, "I690-W001-") || !strings.Contains(out, "pagoPA") || !strings.Contains(out, "da rimborsare € 84,50") {
		t.Fatalf("refunds: %s", out)
	}
	// The refund is marked done: refused for an operator, taken for the
	// supervisor; it reaches the hub, which refuses it twice.
	refund := strings.Fields(out)[0]
	if r := runBin(t, "sportello", "--data", ws, "payment", "refund-done", "--id", refund, "--operator", "demo", "--password-file", demoPassword(t)); r.code != 1 || !strings.Contains(r.err, "supervisore") {
		t.Fatalf("refund-done by an operator: %+v", r)
	}
	// The supervisor's name without the password records nothing.
	wrong := filepath.Join(t.TempDir(), "wrong")
	if err := os.WriteFile(wrong, []byte("non-la-password\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := runBin(t, "sportello", "--data", ws, "payment", "refund-done", "--id", refund, "--operator", "supervisore", "--password-file", wrong); r.code != 1 ||
		!strings.Contains(r.err, "password errati") {
		t.Fatalf("refund-done with a wrong password: %+v", r)
	}
	if out := mustRun(t, "sportello", "--data", ws, "outbox", "list"); strings.Contains(out, "refund_done") {
		t.Fatalf("a refund queued with a wrong password: %s", out)
	}
	out = mustRun(t, "sportello", "--data", ws, "payment", "refund-done", "--id", refund, "--method", "bonifico", "--note", "CRO 77",
		"--operator", "supervisore", "--password-file", demoPassword(t))
	if !strings.Contains(out, "registrato come eseguito") || !strings.Contains(out, "inviato all'hub") {
		t.Fatalf("refund-done: %s", out)
	}
	out = mustRun(t, "sportello-hub", "payment", "refunds", "--data", hubData, "--comune", "I690")
	if !strings.Contains(out, refund) || !strings.Contains(out, "[rimborsato il ") || !strings.Contains(out, "CRO 77") {
		t.Fatalf("hub refunds after refund-done: %s", out)
	}
	if r := runBin(t, "sportello-hub", "payment", "refund-done", "--data", hubData, "--comune", "I690", "--id", refund); r.code != 1 || !strings.Contains(r.err, "già") {
		t.Fatalf("refund-done twice at the hub: %+v", r)
	}
	mustRun(t, "sportello", "--data", ws, "sync")
	if out = mustRun(t, "sportello", "--data", ws, "payment", "refunds", "--cf", cf); !strings.Contains(out, "[rimborsato il ") ||
		strings.Contains(out, "in attesa") {
		t.Fatalf("workstation refunds after sync: %s", out)
	}

	// A TARI position in two instalments: rata 1 paid at the counter,
	// the notice of rata 2 alone, the list with each instalment's state.
	tariCF := debtors[12].CodiceFiscale
	var tari []struct {
		ID          string `json:"id"`
		StateTitle  string `json:"state_title"`
		Instalments []struct {
			N            int    `json:"n"`
			CodiceAvviso string `json:"codice_avviso"`
			AmountCents  int64  `json:"amount_cents"`
			State        string `json:"state"`
		} `json:"instalments"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "sportello", "--data", ws, "payment", "list", "--cf", tariCF, "--json")), &tari); err != nil {
		t.Fatal(err)
	}
	if len(tari) != 1 || len(tari[0].Instalments) != 2 || tari[0].Instalments[0].State != "da_pagare" || tari[0].Instalments[1].AmountCents != 11925 {
		t.Fatalf("TARI of %s: %+v", tariCF, tari)
	}
	out = mustRun(t, "sportello", "--data", ws, "payment", "pay", "--id", tari[0].ID, "--rata", "1", "--method", "card", "--operator", "demo", "--password-file", demoPassword(t))
	if !strings.Contains(out, "€ 119,25") || !strings.Contains(out, "rata 1 di 2") {
		t.Fatalf("pay rata 1: %s", out)
	}
	if r := runBin(t, "sportello", "--data", ws, "payment", "pay", "--id", tari[0].ID, "--method", "cash", "--operator", "demo", "--password-file", demoPassword(t)); r.code != 1 || !strings.Contains(r.err, "rata unica") {
		t.Fatalf("rata unica after rata 1: %+v", r)
	}
	rata2 := filepath.Join(dir, "rata2.pdf")
	mustRun(t, "sportello", "--data", ws, "payment", "notice", "--id", tari[0].ID, "--rata", "2", "--out", rata2)
	if b, err := exec.Command("pdftoppm", "-r", "200", "-png", "-singlefile", rata2, png+"-rata2").CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, b)
	}
	qr, err = exec.Command("zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", png+"-rata2.png").Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "PAGOPA|002|" + tari[0].Instalments[1].CodiceAvviso + "|02253930156|0000011925"; strings.TrimSpace(string(qr)) != want {
		t.Fatalf("rata 2's notice QR reads %q, want %q", qr, want)
	}
	if err := json.Unmarshal([]byte(mustRun(t, "sportello", "--data", ws, "payment", "list", "--cf", tariCF, "--json")), &tari); err != nil {
		t.Fatal(err)
	}
	if tari[0].StateTitle != "pagato in parte" || tari[0].Instalments[0].State != "pagato" || tari[0].Instalments[1].State != "da_pagare" {
		t.Fatalf("TARI after rata 1: %+v", tari)
	}

	var fines []map[string]any
	if err := json.Unmarshal([]byte(mustRun(t, "sportello", "--data", ws, "payment", "fine", "--plate", "fa 123 bc", "--json")), &fines); err != nil {
		t.Fatal(err)
	}
	if len(fines) != 2 || fines[0]["stage"] != "ridotto" {
		t.Fatalf("fines of FA123BC: %+v", fines)
	}

	closing := filepath.Join(dir, "chiusura.pdf")
	out = mustRun(t, "sportello", "--data", ws, "payment", "close", "--operator", "demo", "--password-file", demoPassword(t), "--out", closing)
	if !strings.Contains(out, "2 incassi per € 203,75") {
		t.Fatalf("close: %s", out)
	}
	text := strings.Join(strings.Fields(pdfText(t, closing)), " ")
	if !strings.Contains(text, "Totale incassi € 203,75") || !strings.Contains(text, "FIRMA DELLA POSTAZIONE") {
		t.Fatalf("closing report:\n%s", text)
	}
	if r := runBin(t, "sportello", "--data", ws, "payment", "close", "--operator", "demo", "--password-file", demoPassword(t), "--out", closing); r.code != 1 {
		t.Fatalf("closing twice: %+v", r)
	}
}
