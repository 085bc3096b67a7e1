package main

import (
	"context"
	"crypto/ed25519"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/hub/sqlstore"
)

// TestRecoveryCommands: after a restore, recovery list names the awaited
// workstations, release refuses without who and why and then releases one,
// revoke-device releases the other, the comune leaves recovery, and log
// tells it all.
func TestRecoveryCommands(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	hubWithComuni(t, data, "F205")
	db, err := sqlstore.Open(ctx, filepath.Join(data, "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	var devices []string
	for _, name := range []string{"Sportello 1", "Sportello 2"} {
		code, err := db.NewEnrollCode(ctx, "F205", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		pub, _, _ := ed25519.GenerateKey(nil)
		e, err := db.Enroll(ctx, code, name, pub)
		if err != nil {
			t.Fatal(err)
		}
		devices = append(devices, e.Device.Device)
	}
	db.Close()
	if r := runHub(t, nil, "recovery", "list", "--data", data); r.code != 0 || !strings.Contains(r.stdout, "nessun comune in ripristino") {
		t.Fatalf("list before a restore: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	out := filepath.Join(t.TempDir(), "b.db")
	if r := runHub(t, nil, "backup", "--data", data, "--out", out); r.code != 0 {
		t.Fatalf("backup: %q", r.stderr)
	}
	if r := runHub(t, nil, "restore", "--data", data, out); r.code != 0 || !strings.Contains(r.stdout, "recovery list") {
		t.Fatalf("restore: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	r := runHub(t, nil, "recovery", "list", "--data", data, "--comune", "F205")
	if r.code != 0 || !strings.Contains(r.stdout, devices[0]) || !strings.Contains(r.stdout, devices[1]) {
		t.Fatalf("list after the restore: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, args := range [][]string{
		{"--device", devices[0]},
		{"--device", devices[0], "--by", "m.bianchi"},
		{"--by", "m.bianchi", "--reason", "rubata"},
	} {
		if r := runHub(t, nil, append([]string{"recovery", "release", "--data", data}, args...)...); r.code != 2 {
			t.Errorf("release %v: exit %d, want 2", args, r.code)
		}
	}
	if r := runHub(t, nil, "recovery", "release", "--data", data, "--device", "nessuna", "--by", "m.bianchi", "--reason", "rubata"); r.code != 1 {
		t.Errorf("release of a device not awaited: exit %d, want 1", r.code)
	}
	r = runHub(t, nil, "recovery", "release", "--data", data, "--device", devices[0], "--by", "m.bianchi", "--reason", "rubata, denuncia 123")
	if r.code != 0 || r.stdout != "postazione "+devices[0]+" non più attesa\n" {
		t.Fatalf("release: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	if r := runHub(t, nil, "revoke-device", "--data", data, "--device", devices[1]); r.code != 0 {
		t.Fatalf("revoke-device: %q", r.stderr)
	}
	if r := runHub(t, nil, "recovery", "list", "--data", data); !strings.Contains(r.stdout, "nessun comune in ripristino") {
		t.Errorf("list after the release and the revocation:\n%s", r.stdout)
	}
	r = runHub(t, nil, "recovery", "log", "--data", data, "--comune", "F205")
	for _, want := range []string{"attesa", "rilasciata", "m.bianchi", "rubata, denuncia 123", "revocata", "fine del ripristino"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("log lacks %q:\n%s", want, r.stdout)
		}
	}
}
