package sqlstore

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
)

// accessFixture is a hub with a device of Milano (F205) and one of Roma
// (H501), Milano's citizen rossi, audit events uploaded by both devices
// and a read of rossi at the hub by Roma's device.
type accessFixture struct {
	db             *DB
	milano, roma   *Device
	rossi, bianchi string
	t0             time.Time
}

func newAccessFixture(t *testing.T) *accessFixture {
	t.Helper()
	ctx := context.Background()
	f := &accessFixture{db: MustOpenDB(t), rossi: "RSSMRA85T10F205X", bianchi: "BNCLRA90A41H501Y",
		t0: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	enrol := func(comune, name string) *Device {
		if err := f.db.EnsureComune(ctx, comune, name); err != nil {
			t.Fatal(err)
		}
		pub, _, _ := ed25519.GenerateKey(nil)
		code, err := f.db.NewEnrollCode(ctx, comune, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		e, err := f.db.Enroll(ctx, code, "W", pub)
		if err != nil {
			t.Fatal(err)
		}
		return &Device{ID: e.Device.Device, Comune: comune}
	}
	f.milano, f.roma = enrol("F205", "MILANO"), enrol("H501", "ROMA")
	for _, c := range []struct{ cf, comune string }{{f.rossi, "F205"}, {f.bianchi, "H501"}} {
		if _, err := f.db.db.ExecContext(ctx, `INSERT INTO citizens (codice_fiscale, comune, surname_key, given_key, birth_date, family_id, data, seq)
			VALUES (?, ?, 'X', 'Y', '1985-12-10', '1', '{}', 1)`, c.cf, c.comune); err != nil {
			t.Fatal(err)
		}
	}
	chain := map[string]*app.AuditEvent{}
	n := 0
	audit := func(dev *Device, op, action, subject string, at time.Time) {
		prev := chain[dev.ID]
		e := app.AuditEvent{Device: dev.ID, Seq: 1, Operator: op, Action: action, Subject: subject, At: at}
		if prev != nil {
			e.Seq, e.PrevHash = prev.Seq+1, prev.Hash
		}
		e.Hash = e.ComputeHash()
		chain[dev.ID] = &e
		n++
		res := f.db.ApplyOp(ctx, dev, app.Operation{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", n),
			Device: dev.ID, Seq: e.Seq, Kind: app.OpAudit, CreatedAt: at, Audit: &e})
		if !res.Applied {
			t.Fatalf("audit %s %d: %+v", dev.ID, e.Seq, res)
		}
	}
	audit(f.milano, "mrossi", app.AuditSearch, "risultati: 2", f.t0)
	audit(f.milano, "mrossi", app.AuditView, f.rossi, f.t0.Add(time.Minute))
	audit(f.milano, "mrossi", "certificate.reprint", f.rossi+" 2026/000012", f.t0.Add(3*time.Minute))
	audit(f.milano, "lverdi", app.AuditView, f.bianchi, f.t0.Add(4*time.Minute))
	audit(f.roma, "gneri", app.AuditView, f.rossi, f.t0.Add(2*time.Minute))
	audit(f.roma, "gneri", app.AuditView, f.bianchi, f.t0.Add(5*time.Minute))
	audit(f.milano, "mrossi", app.AuditView, f.rossi+"X", f.t0.Add(6*time.Minute)) // another subject that starts alike
	if err := f.db.RecordRead(ctx, CitizenRead{At: f.t0.Add(2*time.Minute - time.Second), Device: f.roma.ID, DeviceComune: "H501",
		Operator: "gneri", Subject: f.rossi, SubjectComune: "F205", Purpose: "richiesta di certificato"}); err != nil {
		t.Fatal(err)
	}
	if err := f.db.RecordRead(ctx, CitizenRead{At: f.t0.Add(4*time.Minute - time.Second), Device: f.milano.ID, DeviceComune: "F205",
		Operator: "lverdi", Subject: f.bianchi, SubjectComune: "H501", Purpose: "pratica"}); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestAccesses: a comune exports every access to its own citizen, by its
// devices and by other comuni's, from the workstations' audit chains and
// the hub's reads, in time order; for another comune's citizen it sees
// only what its own devices did.
func TestAccesses(t *testing.T) {
	f := newAccessFixture(t)
	type row struct{ device, operator, action string }
	for _, tc := range []struct {
		name, comune, cf string
		want             []row
	}{
		{"OwnCitizen", "F205", f.rossi, []row{
			{f.milano.ID, "mrossi", app.AuditView},
			{f.roma.ID, "gneri", ActionHubRead},
			{f.roma.ID, "gneri", app.AuditView},
			{f.milano.ID, "mrossi", "certificate.reprint"},
		}},
		{"OtherComuneCitizen", "F205", f.bianchi, []row{
			{f.milano.ID, "lverdi", ActionHubRead},
			{f.milano.ID, "lverdi", app.AuditView},
		}},
		{"NotItsCitizenNorItsDevices", "H501", f.rossi, []row{
			{f.roma.ID, "gneri", ActionHubRead},
			{f.roma.ID, "gneri", app.AuditView},
		}},
		{"Nobody", "F205", "MRTMRT80A01F205Z", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := f.db.Accesses(context.Background(), tc.comune, tc.cf)
			if err != nil {
				t.Fatal(err)
			}
			var rows []row
			for i, a := range got {
				rows = append(rows, row{a.Device, a.Operator, a.Action})
				if i > 0 && a.At.Before(got[i-1].At) {
					t.Errorf("not in time order: %v after %v", a.At, got[i-1].At)
				}
			}
			if fmt.Sprint(rows) != fmt.Sprint(tc.want) {
				t.Errorf("accesses\n got %v\nwant %v", rows, tc.want)
			}
		})
	}
}

// TestPruneAccesses: the retention deletes the hub's reads older than the
// cut and clears who and whom from older audit events, keeping the chain:
// no gap appears, newer records stay whole.
func TestPruneAccesses(t *testing.T) {
	ctx := context.Background()
	f := newAccessFixture(t)
	reads, events, err := f.db.PruneAccesses(ctx, f.t0.Add(150*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	// Before 09:02:30: Milano's search and view of rossi, Roma's view of
	// rossi; Roma's hub read of rossi.
	if reads != 1 || events != 3 {
		t.Errorf("pruned %d reads and %d events, want 1 and 3", reads, events)
	}
	got, err := f.db.Accesses(ctx, "F205", f.rossi)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Action != "certificate.reprint" || got[0].Operator != "mrossi" {
		t.Errorf("after the retention: %+v, want only the reprint at 09:03", got)
	}
	for _, dev := range []string{f.milano.ID, f.roma.ID} {
		if gaps, err := f.db.AuditGaps(ctx, dev); err != nil || len(gaps) != 0 {
			t.Errorf("gaps of %s after the retention: %v %v", dev, gaps, err)
		}
	}
	// A second pass has nothing left to do.
	if reads, events, err := f.db.PruneAccesses(ctx, f.t0.Add(150*time.Second)); err != nil || reads != 0 || events != 0 {
		t.Errorf("second pass: %d %d %v", reads, events, err)
	}
}
