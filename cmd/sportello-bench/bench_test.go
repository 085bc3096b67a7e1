package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sportello/sportello/internal/pgdb/pgtest"
)

// TestBenchSmall runs every measure on a small comune, as the command
// runs on Milano, and checks the JSON a script reads: every key of the
// issue's table, a number each, no duplicate in the outbox flush, no
// failed request under load.
func TestBenchSmall(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"--residents", "2000", "--json", "--work", t.TempDir(),
		"--outbox-ops", "200", "--workstations", "20", "--pushes", "10", "--poll-every", "500ms", "--load-for", "2s"}, &out, &errOut)
	if err != nil {
		t.Fatalf("bench: %v\n%s", err, errOut.String())
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, out.String())
	}
	for _, k := range []string{"search_median_ms", "search_p99_ms", "search_bare_median_ms", "certificate_median_ms",
		"certificate_bare_median_ms", "initial_sync_s", "initial_sync_rows_per_s", "bare_insert_rows_per_s",
		"outbox_flush_10k_s", "duplicates", "hub_p99_ms"} {
		v, ok := got[k].(float64)
		if !ok {
			t.Errorf("key %s missing or not a number: %v", k, got[k])
			continue
		}
		if k != "duplicates" && v <= 0 {
			t.Errorf("%s = %v, want a measure", k, v)
		}
	}
	if got["duplicates"] != 0.0 {
		t.Errorf("duplicates = %v, want 0", got["duplicates"])
	}
	if got["hub_errors"] != 0.0 || got["hub_requests"].(float64) < 20 {
		t.Errorf("load: %v requests, %v errors", got["hub_requests"], got["hub_errors"])
	}
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "VOCABULARY.md"))
	if err != nil {
		t.Fatal(err)
	}
	for k := range got {
		if !strings.Contains(string(doc), "| `"+k+"` |") {
			t.Errorf("key %q has no row in docs/VOCABULARY.md", k)
		}
	}
	if got["initial_sync_rows"].(float64) < 2000 {
		t.Errorf("initial sync of %v rows, want the 2000 residents and more", got["initial_sync_rows"])
	}
}

// TestBenchPostgres runs the outbox flush and the load generator against
// the hub on a real PostgreSQL database (a new one, from the server
// ./do test starts), as `--hub-db URL` does for a network's hub.
func TestBenchPostgres(t *testing.T) {
	url := pgtest.NewDatabase(t)
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"--residents", "300", "--json", "--work", t.TempDir(), "--hub-db", url,
		"--only", "outbox,load", "--outbox-ops", "300", "--workstations", "10", "--pushes", "10", "--poll-every", "500ms", "--load-for", "2s"}, &out, &errOut)
	if err != nil {
		t.Fatalf("bench: %v\n%s", err, errOut.String())
	}
	var got Result
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, out.String())
	}
	if got.HubEngine != "postgres" || got.OutboxOps != 300 || got.OutboxFlush10kS <= 0 || got.Duplicates != 0 {
		t.Errorf("outbox on PostgreSQL: %+v", got)
	}
	if got.HubErrors != 0 || got.HubRequests < 10 || got.HubP99Ms <= 0 {
		t.Errorf("load on PostgreSQL: %d requests, %d errors, p99 %v ms", got.HubRequests, got.HubErrors, got.HubP99Ms)
	}
	// The same database again is refused: the demo is built only in an
	// empty one.
	err = run(context.Background(), []string{"--residents", "300", "--json", "--work", t.TempDir(), "--hub-db", url, "--only", "load"}, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("a second run on the same database: %v, want a refusal naming an empty one", err)
	}
}
