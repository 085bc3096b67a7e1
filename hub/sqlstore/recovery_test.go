package sqlstore

import (
	"context"
	"crypto/ed25519"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/pagopa"
	"github.com/sportello/sportello/app/payment"
)

// TestRecoveryHoldsHubNumbering: a restore awaits the comune's active
// counters and kiosks (not a board, not a revoked device); meanwhile the
// hub numbers no IUV of its own (a position, a fine) and gives no block,
// a block named as an earlier answer but not the device's is not kept;
// the release of the last awaited device resumes the numbering.
func TestRecoveryHoldsHubNumbering(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hub.db")
	d, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.EnsureComune(ctx, "F205", "MILANO"); err != nil {
		t.Fatal(err)
	}
	py := payment.Payee{Comune: "F205", Name: "Comune di Milano", CFEnte: "01199250158", Aux: 3, Code: "01"}
	if err := d.PutPayee(ctx, &py); err != nil {
		t.Fatal(err)
	}
	devices := map[DeviceRole]string{}
	for _, role := range []DeviceRole{RoleCounter, RoleKiosk, RoleBoard} {
		code, err := d.NewEnrollCodeFor(ctx, "F205", role, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		pub, _, _ := ed25519.GenerateKey(nil)
		e, err := d.Enroll(ctx, code, string(role), pub)
		if err != nil {
			t.Fatal(err)
		}
		devices[role] = e.Device.Device
	}
	code, _ := d.NewEnrollCode(ctx, "F205", time.Hour)
	pub, _, _ := ed25519.GenerateKey(nil)
	gone, err := d.Enroll(ctx, code, "revocata", pub)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.RevokeDevice(ctx, gone.Device.Device); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "backup.db")
	if err := BackupFile(ctx, path, out); err != nil {
		t.Fatal(err)
	}
	d.Close()
	if _, err := Restore(ctx, path, out, time.Now()); err != nil {
		t.Fatal(err)
	}
	if d, err = Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	list, err := d.Recovery(ctx, "F205")
	if err != nil {
		t.Fatal(err)
	}
	var awaited []string
	for _, a := range list {
		awaited = append(awaited, a.Device)
	}
	slices.Sort(awaited)
	want := []string{devices[RoleCounter], devices[RoleKiosk]}
	slices.Sort(want)
	if !slices.Equal(awaited, want) {
		t.Fatalf("awaited %v, want the counter and the kiosk %v", awaited, want)
	}

	position := payment.Position{Comune: "F205", DebtorCF: "RSSMRA85T10A562S", DebtorName: "ROSSI MARIO",
		Service: payment.ServiceTARI, Causale: "TARI", AmountCents: 5000, DueDate: app.Date(2026, 12, 31)}
	if _, err := d.CreatePosition(ctx, position); app.ErrorCode(err) != app.EPENDING {
		t.Errorf("a position numbered by the hub in recovery: %v, want pending", err)
	}
	counter := &Device{ID: devices[RoleCounter], Comune: "F205", Role: RoleCounter}
	apply := func(seq int64, prior []byte) app.OpResult {
		return d.ApplyOp(ctx, counter, app.Operation{ID: "00000000-0000-4000-8000-00000000000" + string(rune('0'+seq)),
			Device: counter.ID, Seq: seq, Kind: payment.FactIUVBlock, Data: []byte(`{}`), Prior: prior})
	}
	if res := apply(1, nil); res.Code != app.EPENDING {
		t.Errorf("a new block in recovery: %+v, want pending", res)
	}
	other := payment.EncodeBlock(pagopa.Block{Device: devices[RoleKiosk], Aux: 3, Code: "01", First: 5000, Last: 5000 + BlockSize - 1})
	if res := apply(1, other); res.Code != app.EPENDING {
		t.Errorf("another device's block named as the earlier answer: %+v, want pending", res)
	}
	own := payment.EncodeBlock(pagopa.Block{Device: counter.ID, Aux: 3, Code: "01", First: 5000, Last: 5000 + BlockSize - 1})
	if res := apply(1, own); !res.Applied || string(res.Data) != string(own) {
		t.Errorf("the device's own block sent again: %+v, want it kept", res)
	}
	if _, err := d.ReleaseDevice(ctx, devices[RoleCounter], "m.bianchi", "guasta"); err != nil {
		t.Fatal(err)
	}
	ended, err := d.ReleaseDevice(ctx, devices[RoleKiosk], "m.bianchi", "dismesso")
	if err != nil || ended != "F205" {
		t.Fatalf("release of the last awaited device: %q, %v", ended, err)
	}
	p, err := d.CreatePosition(ctx, position)
	if err != nil {
		t.Fatalf("a position after the recovery: %v", err)
	}
	if base, _ := iuvBase(p.Avviso); base < 5000+BlockSize {
		t.Errorf("the hub's avviso %s falls in the block kept", p.Avviso)
	}
	if _, err := d.ReleaseDevice(ctx, devices[RoleKiosk], "m.bianchi", "di nuovo"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("a device released twice: %v", err)
	}
}
