package main

import (
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sportello/sportello/app/pagopa"
	"github.com/sportello/sportello/hub/hubdb"
)

// TestPaymentCLI runs the payments' contract on the real binaries: the
// positions of a person as JSON, the notice whose QR code (read back from
// the rendered page) is the pagoPA payload, a payment at the counter, the
// same position then paid through the pagoPA node and listed for refund
// with both receipts, the fines of a plate, and the signed closing of the
// day whose total is the receipt's.
func TestPaymentCLI(t *testing.T) {
	needTool(t, "pdftotext", "pdftoppm", "zbarimg")
	hubData, ws := t.TempDir(), t.TempDir()
	mustRun(t, "sportello-hub", "import-reference", "--data", hubData, referenceDir(t))
	mustRun(t, "sportello-hub", "demo", "--data", hubData, "--comune", "I690", "--residents", "300", "--seed", "3")
	db, err := hubdb.Open(context.Background(), filepath.Join(hubData, "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	debtors, err := db.DemoDebtors(context.Background(), "I690", 3)
	db.Close()
	if err != nil || len(debtors) != 3 {
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
	out = mustRun(t, "sportello", "--data", ws, "payment", "pay", "--id", pos.ID, "--method", "cash", "--operator", "demo", "--out", receipt)
	if !strings.Contains(out, "ricevuta I690-W001-") || !strings.Contains(out, "inviato all'hub") {
		t.Fatalf("pay: %s", out)
	}
	if r := runBin(t, "sportello", "--data", ws, "payment", "pay", "--id", pos.ID, "--method", "card", "--operator", "demo"); r.code != 1 || !strings.Contains(r.err, "già") {
		t.Fatalf("second payment at the counter: %+v", r)
	}
	out = mustRun(t, "sportello-hub", "payment", "online", "--data", hubData, "--avviso", pos.CodiceAvviso, "--amount", "8450")
	if !strings.Contains(out, "PAGAMENTO DOPPIO") {
		t.Fatalf("online payment: %s", out)
	}
	out = mustRun(t, "sportello", "--data", ws, "payment", "refunds", "--cf", cf)
	if !strings.Contains(out, "I690-W001-") || !strings.Contains(out, "pagoPA") || !strings.Contains(out, "da rimborsare € 84,50") {
		t.Fatalf("refunds: %s", out)
	}

	var fines []map[string]any
	if err := json.Unmarshal([]byte(mustRun(t, "sportello", "--data", ws, "payment", "fine", "--plate", "fa 123 bc", "--json")), &fines); err != nil {
		t.Fatal(err)
	}
	if len(fines) != 2 || fines[0]["fase"] != "ridotto" {
		t.Fatalf("fines of FA123BC: %+v", fines)
	}

	closing := filepath.Join(dir, "chiusura.pdf")
	out = mustRun(t, "sportello", "--data", ws, "payment", "close", "--operator", "demo", "--out", closing)
	if !strings.Contains(out, "1 incassi per € 84,50") {
		t.Fatalf("close: %s", out)
	}
	text := strings.Join(strings.Fields(pdfText(t, closing)), " ")
	if !strings.Contains(text, "Totale incassi € 84,50") || !strings.Contains(text, "FIRMA DELLA POSTAZIONE") {
		t.Fatalf("closing report:\n%s", text)
	}
	if r := runBin(t, "sportello", "--data", ws, "payment", "close", "--operator", "demo", "--out", closing); r.code != 1 {
		t.Fatalf("closing twice: %+v", r)
	}
}
