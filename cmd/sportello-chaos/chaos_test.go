package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// The binaries and the template, made once for the package's tests.
var (
	testTmpl *template
	testRoot string
)

func TestMain(m *testing.M) {
	os.Exit(func() int {
		dir, err := os.MkdirTemp("", "sportello-chaos-test")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		if testRoot, err = moduleRoot(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		bin, err := build(context.Background(), testRoot, filepath.Join(dir, "bin"))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if testTmpl, err = makeTemplate(context.Background(), bin, testRoot, filepath.Join(dir, "template")); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		return m.Run()
	}())
}

// TestSeries runs one run of every default scenario through the command
// itself and expects a clean summary line.
func TestSeries(t *testing.T) {
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"--runs", "7", "--seed", "1", "--bin", testTmpl.bin.dir}, &out, &errb)
	if err != nil {
		t.Fatalf("%v\n%s%s", err, out.String(), errb.String())
	}
	if !regexp.MustCompile(`(?m)^chaos: runs=7 lost=0 duplicated=0 diverged=0 stuck=0$`).MatchString(out.String()) {
		t.Fatalf("no clean summary line:\n%s", out.String())
	}
	for _, name := range defaultScenarios {
		if !regexp.MustCompile(`(?m)^chaos: scenario ` + name + ` runs=1 `).MatchString(out.String()) {
			t.Errorf("scenario %s did not run:\n%s", name, out.String())
		}
	}
}

// TestCheckCatches damages a healthy run's result in each way the check
// must see, so that a series reporting zeros means something.
func TestCheckCatches(t *testing.T) {
	cases := []struct {
		name   string
		db     func(w *world) string // the file to change
		change string
		want   func(c counts) bool
	}{
		{"LostAtTheHub", hubFile, `DELETE FROM requests WHERE rowid = (SELECT MAX(rowid) FROM requests)`,
			func(c counts) bool { return c.lost > 0 }},
		{"DoneOpUnknownToTheHub", hubFile, `DELETE FROM ops WHERE rowid = (SELECT MAX(rowid) FROM ops)`,
			func(c counts) bool { return c.lost > 0 }},
		{"ProtocolGap", hubFile, `UPDATE requests SET seq = seq + 1 WHERE seq = (SELECT MAX(seq) FROM requests)`,
			func(c counts) bool { return c.lost > 0 }},
		{"StatusNotPulled", hubFile, `UPDATE requests SET status = 'conclusa', version = version + 1 WHERE rowid = 1`,
			func(c counts) bool { return c.diverged > 0 }},
		{"CursorBehind", wsFile, `UPDATE cursors SET seq = seq - 1`,
			func(c counts) bool { return c.diverged > 0 }},
		{"Pending", wsFile, `UPDATE outbox SET state = 'pending' WHERE seq = (SELECT MAX(seq) FROM outbox)`,
			func(c counts) bool { return c.stuck > 0 }},
		{"ParkedWithoutReason", wsFile, `UPDATE outbox SET state = 'parked', reason = '' WHERE seq = (SELECT MAX(seq) FROM outbox)`,
			func(c counts) bool { return c.stuck > 0 }},
		{"CashPaymentLost", hubFile, `DELETE FROM payments WHERE device = 'I690-W001'`,
			func(c counts) bool { return c.lost > 0 }},
		{"ClosingOvertookAPayment", hubFile, `UPDATE cash_closings SET hub_total = 0`,
			func(c counts) bool { return c.lost > 0 }},
		{"ClosingLost", hubFile, `DELETE FROM cash_closings`,
			func(c counts) bool { return c.lost > 0 }},
		{"ConfirmedGoneFromTheWorkstation", wsFile, `DELETE FROM request_files; DELETE FROM requests`,
			func(c counts) bool { return c.lost > 0 }},
	}
	// One healthy run, copied for each damage.
	healthy, err := newWorld(context.Background(), testTmpl, t.TempDir(), 100, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer healthy.close()
	healthy.submit(healthy.ws[0], 0)
	healthy.submit(healthy.ws[0], 0)
	healthy.pay(healthy.ws[0], testTmpl.positions[0], 0)
	healthy.closeDay(healthy.ws[0], 0)
	if err := healthy.heal(); err != nil {
		t.Fatal(err)
	}
	healthy.stopHub()
	if c, problems := healthy.check(); c.failed() || len(healthy.confirmed) != 2 || len(healthy.receipts) != 1 || len(healthy.closings) != 1 {
		t.Fatalf("a healthy run: %+v %v, %d requests, %d payments, %d closings confirmed\n%v", c, problems,
			len(healthy.confirmed), len(healthy.receipts), len(healthy.closings), healthy.log)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			w := &world{hubData: filepath.Join(dir, "hub"), confirmed: healthy.confirmed,
				receipts: healthy.receipts, closings: healthy.closings,
				ws: []*workstation{{n: 1, dir: filepath.Join(dir, "ws1")}}}
			if err := copyDir(healthy.hubData, w.hubData); err != nil {
				t.Fatal(err)
			}
			if err := copyDir(healthy.ws[0].dir, w.ws[0].dir); err != nil {
				t.Fatal(err)
			}
			db, err := sql.Open("sqlite3", tc.db(w))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(tc.change); err != nil {
				t.Fatal(err)
			}
			db.Close()
			if c, problems := w.check(); !tc.want(c) {
				t.Errorf("after %q the check found %+v: %v", tc.change, c, problems)
			}
		})
	}
}

func hubFile(w *world) string { return filepath.Join(w.hubData, "hub.db") }
func wsFile(w *world) string  { return filepath.Join(w.ws[0].dir, "sportello.db") }
