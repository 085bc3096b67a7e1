package sqlstore

import (
	"context"
	"crypto/ed25519"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/pagopa"
	"github.com/sportello/sportello/app/payment"
)

// TestPaymentFacts: a workstation gets disjoint blocks of IUVs; a
// position numbered outside its blocks is refused; payments of a position
// from the node are all recorded, the second opening a refund.
func TestPaymentFacts(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	if err := d.EnsureComune(ctx, "F205", "MILANO"); err != nil {
		t.Fatal(err)
	}
	py := payment.Payee{Comune: "F205", Name: "Comune di Milano", CFEnte: "01199250158", Aux: 3, Code: "01"}
	if err := d.PutPayee(ctx, &py); err != nil {
		t.Fatal(err)
	}
	pub, _, _ := ed25519.GenerateKey(nil)
	code, _ := d.NewEnrollCode(ctx, "F205", time.Hour)
	e, err := d.Enroll(ctx, code, "W", pub)
	if err != nil {
		t.Fatal(err)
	}
	dev := &Device{ID: e.Device.Device, Comune: "F205"}
	apply := func(seq int64, kind string, data []byte) app.OpResult {
		return d.ApplyOp(ctx, dev, app.Operation{ID: strings.Repeat("0", 35) + string(rune('a'+seq)), Device: dev.ID, Seq: seq, Kind: kind, Data: data})
	}
	r1, r2 := apply(1, payment.FactIUVBlock, []byte(`{}`)), apply(2, payment.FactIUVBlock, []byte(`{}`))
	b1, err1 := payment.DecodeBlock(r1.Data)
	b2, err2 := payment.DecodeBlock(r2.Data)
	if err1 != nil || err2 != nil || b1.Last >= b2.First || b1.Size() != BlockSize {
		t.Fatalf("blocks %+v %+v %v %v", b1, b2, err1, err2)
	}
	hubPos, err := d.CreatePosition(ctx, payment.Position{Comune: "F205", DebtorCF: "RSSMRA85T10A562S", DebtorName: "ROSSI MARIO",
		Service: payment.ServiceTARI, Causale: "TARI", AmountCents: 5000, DueDate: app.Date(2026, 12, 31)})
	if err != nil {
		t.Fatal(err)
	}
	if base, _ := iuvBase(hubPos.Avviso); base <= b2.Last {
		t.Fatalf("the hub's own avviso %s reuses a workstation's block", hubPos.Avviso)
	}
	foreign, _ := pagopa.NewAvviso(3, "01", b2.Last+10)
	p := payment.Position{ID: dev.ID + "-2026-P000001", Comune: "F205", DebtorCF: "RSSMRA85T10A562S", DebtorName: "ROSSI MARIO",
		Service: payment.ServiceCertificate, Causale: "Diritti", AmountCents: 52, DueDate: app.Date(2026, 12, 31), Avviso: foreign,
		State: payment.StateDue, CreatedBy: dev.ID, CreatedAt: time.Now()}
	if res := apply(3, payment.FactPosition, payment.EncodePosition(&p)); res.Code != app.EFORBIDDEN {
		t.Fatalf("position outside the blocks: %+v", res)
	}
	p.Avviso, _ = b1.Avviso(b1.First)
	if res := apply(4, payment.FactPosition, payment.EncodePosition(&p)); !res.Applied {
		t.Fatalf("position from the block: %+v", res)
	}
	for i, wantDup := range []bool{false, true} {
		res, err := d.RecordOnlinePayment(ctx, hubPos.Avviso, 5000, time.Now())
		if err != nil || res.Answer.Duplicate != wantDup {
			t.Fatalf("online payment %d: %+v %v", i, res, err)
		}
	}
	pays, _ := d.PositionPayments(ctx, "F205", hubPos.ID)
	refunds, _ := d.Refunds(ctx, "F205")
	if len(pays) != 2 || len(refunds) != 1 || refunds[0].ExcessCents != 5000 || len(refunds[0].Receipts) != 2 {
		t.Fatalf("payments %+v refunds %+v", pays, refunds)
	}
}
