package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/queue"
	"github.com/sportello/sportello/internal/population"
)

// TestQueueCLI runs the queue through the binaries: a hub in its own
// process and two workstation profiles of the same comune. Tickets from
// both share the hub's numbering; each counter gets a different ticket;
// the board and the statistics agree with what happened; bad arguments
// exit 2 and refused input 1.
func TestQueueCLI(t *testing.T) {
	hubData, ws1, ws2 := t.TempDir(), t.TempDir(), t.TempDir()
	mustRun(t, "sportello-hub", "import-reference", "--data", hubData, referenceDir(t))
	mustRun(t, "sportello-hub", "demo", "--data", hubData, "--comune", "I690", "--residents", "300", "--seed", "3")
	url := startHub(t, hubData)
	for _, ws := range []string{ws1, ws2} {
		out := mustRun(t, "sportello-hub", "enroll-code", "--data", hubData, "--comune", "I690")
		code := strings.TrimSpace(out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:])
		mustRun(t, "sportello", "--data", ws, "enroll", "--hub", url, "--code", code)
		mustRun(t, "sportello", "--data", ws, "sync")
	}
	people, err := population.Generate(population.Options{Comune: "I690", Residents: 300, Seed: 3, Today: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	var citizen app.Citizen
	for _, c := range people {
		if c.Status == app.StatusResident {
			citizen = c
			break
		}
	}

	// Tickets from the two workstations: one numbering, the people ahead.
	if out := mustRun(t, "sportello", "--data", ws1, "queue", "ticket", "--area", "A"); !strings.HasPrefix(out, "A001\tin attesa prima: 0\t") {
		t.Fatalf("first ticket: %q", out)
	}
	out := mustRun(t, "sportello", "--data", ws2, "queue", "ticket", "--area", "a", "--cf", strings.ToLower(citizen.CodiceFiscale))
	if !strings.HasPrefix(out, "A002\tin attesa prima: 1\tattesa stimata: 6 minuti") {
		t.Fatalf("second ticket: %q", out)
	}
	// Each counter calls a different ticket, in order; the linked one
	// names its citizen.
	if out := mustRun(t, "sportello", "--data", ws2, "queue", "call", "--counter", "2", "--area", "A", "--operator", "demo"); out != "A001 allo sportello 2\n" {
		t.Fatalf("call at counter 2: %q", out)
	}
	if out := mustRun(t, "sportello", "--data", ws1, "queue", "call", "--counter", "1"); out != "A002 allo sportello 1\t"+citizen.CodiceFiscale+"\n" {
		t.Fatalf("call at counter 1: %q", out)
	}
	// Calling again closes the ticket served at counter 1.
	if out := mustRun(t, "sportello", "--data", ws1, "queue", "call", "--counter", "1", "--area", "A,T"); out != "nessuno in attesa\n" {
		t.Fatalf("nobody waits: %q", out)
	}

	t.Run("Board", func(t *testing.T) {
		var st struct {
			Day   string `json:"day"`
			Calls []struct {
				Number   string `json:"number"`
				Counter  string `json:"counter"`
				CalledAt string `json:"called_at"`
			} `json:"calls"`
			Waiting map[string]int `json:"waiting"`
		}
		out := mustRun(t, "sportello", "--data", ws2, "queue", "board", "--json")
		if err := json.Unmarshal([]byte(out), &st); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		if st.Day != queue.Day(time.Now()) || len(st.Calls) != 2 || st.Waiting["A"] != 0 {
			t.Fatalf("board %+v", st)
		}
		got := map[string]string{}
		for _, c := range st.Calls {
			got[c.Number] = c.Counter
		}
		if got["A001"] != "2" || got["A002"] != "1" {
			t.Fatalf("board calls %+v", st.Calls)
		}
		if plain := mustRun(t, "sportello", "--data", ws1, "queue", "board"); !strings.Contains(plain, "A001\tsportello 2") || !strings.Contains(plain, "A002\tsportello 1") {
			t.Fatalf("board as text: %q", plain)
		}
	})

	t.Run("Stats", func(t *testing.T) {
		out := mustRun(t, "sportello", "--data", ws1, "queue", "stats", "--json")
		var rows []struct {
			Day         string  `json:"day"`
			Area        string  `json:"area"`
			Hour        int     `json:"hour"`
			Issued      int     `json:"issued"`
			Served      int     `json:"served"`
			Skipped     int     `json:"skipped"`
			MeanWait    float64 `json:"mean_wait_minutes"`
			MaxWait     float64 `json:"max_wait_minutes"`
			MeanService float64 `json:"mean_service_minutes"`
		}
		if err := json.Unmarshal([]byte(out), &rows); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		var issued, served int
		for _, r := range rows {
			if r.Area != "A" || r.Day != queue.Day(time.Now()) || r.MaxWait < r.MeanWait || r.MeanWait < 0 {
				t.Fatalf("row %+v", r)
			}
			issued, served = issued+r.Issued, served+r.Served
		}
		if issued != 2 || served != 1 {
			t.Fatalf("stats %s: %d issued, %d served; want 2 and 1", out, issued, served)
		}
		// The other workstation reads the same statistics from the hub.
		if other := mustRun(t, "sportello", "--data", ws2, "queue", "stats", "--json"); other != out {
			t.Fatalf("the two workstations disagree:\n%s\n%s", out, other)
		}
		yesterday := queue.Day(time.Now().AddDate(0, 0, -1))
		if out := mustRun(t, "sportello", "--data", ws2, "queue", "stats", "--json", "--from", yesterday, "--to", yesterday); strings.TrimSpace(out) != "[]" {
			t.Fatalf("yesterday: %s", out)
		}
	})

	t.Run("BadInput", func(t *testing.T) {
		for _, c := range []struct {
			args []string
			code int
			want string
		}{
			{[]string{"queue"}, 2, "ticket, call, board o stats"},
			{[]string{"queue", "ticket"}, 2, "--area"},
			{[]string{"queue", "call"}, 2, "--counter"},
			{[]string{"queue", "stats", "--from", "ieri"}, 2, "queue stats"},
			// The period is checked by queue.Service.Stats, as on the screen.
			{[]string{"queue", "stats", "--from", "2026-05-12", "--to", "2026-05-01"}, 1, "viene dopo quella finale"},
			{[]string{"queue", "ticket", "--area", "Z"}, 1, "area \"Z\" sconosciuta"},
			{[]string{"queue", "dance"}, 2, "sconosciuto"},
		} {
			r := runBin(t, "sportello", append([]string{"--data", ws1}, c.args...)...)
			if r.code != c.code || !strings.Contains(r.err+r.out, c.want) {
				t.Errorf("%v: exit %d, %q; want %d and %q", c.args, r.code, r.err+r.out, c.code, c.want)
			}
		}
	})
}
