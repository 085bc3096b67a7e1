package main

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/hub/sqlstore"
)

// TestAudit exports the accesses to a citizen as the DPO would, after a
// counter of Milano opened and printed the file and read it at the hub:
// one JSON object a line with the keys the export promises, in time
// order, or an Italian table; the retention then leaves nothing to export.
func TestAudit(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	const who = "RSSMRA85T10A562S"
	db, err := sqlstore.Open(ctx, filepath.Join(data, "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.EnsureComune(ctx, "F205", "MILANO"); err != nil {
		t.Fatal(err)
	}
	code, err := db.NewEnrollCode(ctx, "F205", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	pub, _, _ := ed25519.GenerateKey(nil)
	en, err := db.Enroll(ctx, code, "Sportello 1", pub)
	if err != nil {
		t.Fatal(err)
	}
	dev := &sqlstore.Device{ID: en.Device.Device, Comune: "F205"}
	t0 := time.Now().Add(-10 * 24 * time.Hour).UTC()
	var prev string
	for i, a := range []struct{ action, subject string }{{app.AuditSearch, "risultati: 1"}, {app.AuditView, who}, {app.AuditPrint, who}} {
		e := app.AuditEvent{Device: dev.ID, Seq: int64(i + 1), Operator: "mrossi", Action: a.action, Subject: a.subject, At: t0.Add(time.Duration(i) * time.Minute), PrevHash: prev}
		e.Hash = e.ComputeHash()
		prev = e.Hash
		if res := db.ApplyOp(ctx, dev, app.Operation{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i+1), Device: dev.ID, Seq: e.Seq,
			Kind: app.OpAudit, CreatedAt: e.At, Audit: &e}); !res.Applied {
			t.Fatalf("audit %d: %+v", i, res)
		}
	}
	if err := db.RecordRead(ctx, sqlstore.CitizenRead{At: t0.Add(90 * time.Second), Device: dev.ID, DeviceComune: "F205", Operator: "mrossi",
		Subject: who, SubjectComune: "A562", Purpose: "certificato"}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	r := runHub(t, nil, "audit", "--data", data, "--comune", "f205", "--cf", strings.ToLower(who), "--json")
	if r.code != 0 {
		t.Fatalf("audit --json: exit %d, %s", r.code, r.stderr)
	}
	var got []string
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		for _, k := range []string{"device", "operator", "at", "action", "purpose"} {
			if _, ok := m[k]; !ok {
				t.Errorf("line %q has no %q", sc.Text(), k)
			}
		}
		if m["device"] != dev.ID || m["operator"] != "mrossi" {
			t.Errorf("line %q: device or operator", sc.Text())
		}
		got = append(got, fmt.Sprint(m["action"], "/", m["purpose"]))
	}
	want := []string{app.AuditView + "/", sqlstore.ActionHubRead + "/certificato", app.AuditPrint + "/"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("audit --json actions %v, want %v (the search names nobody)", got, want)
	}

	r = runHub(t, nil, "audit", "--data", data, "--comune", "F205", "--cf", who)
	if r.code != 0 || !strings.HasPrefix(r.stdout, "quando ") || strings.Count(r.stdout, "\n") != 4 || !strings.Contains(r.stdout, "certificato") {
		t.Errorf("audit: exit %d\n%s", r.code, r.stdout)
	}
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"ErrBadCF", []string{"audit", "--data", data, "--comune", "F205", "--cf", "RSSMRA85T10A562X"}},
		{"ErrNoComune", []string{"audit", "--data", data, "--cf", who}},
		{"ErrNoDays", []string{"audit-retention", "--data", data}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if r := runHub(t, nil, tc.args...); r.code != 2 {
				t.Errorf("exit %d, want 2 (usage); stderr %q", r.code, r.stderr)
			}
		})
	}

	// A retention longer than the records' age keeps them; a shorter one
	// leaves nothing that names the citizen.
	if r := runHub(t, nil, "audit-retention", "--data", data, "--days", "30"); r.code != 0 || !strings.Contains(r.stdout, ": 0 letture dall'hub cancellate, 0 eventi") {
		t.Errorf("audit-retention 30: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	if r := runHub(t, nil, "audit-retention", "--data", data, "--days", "7"); r.code != 0 || !strings.Contains(r.stdout, ": 1 letture dall'hub cancellate, 3 eventi") {
		t.Errorf("audit-retention 7: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	if r := runHub(t, nil, "audit", "--data", data, "--comune", "F205", "--cf", who); r.code != 0 || r.stdout != "nessun accesso registrato a "+who+"\n" {
		t.Errorf("audit after the retention: exit %d %q", r.code, r.stdout)
	}
}
