package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// osvEntry writes an OSV entry as the module golang.org/x/vulndb ships
// them (modified zero), for module path with the events given as
// introduced/fixed pairs.
func osvEntry(t testing.TB, id, path string, events ...string) []byte {
	t.Helper()
	var evs []map[string]string
	for i, v := range events {
		key := "introduced"
		if i%2 == 1 {
			key = "fixed"
		}
		evs = append(evs, map[string]string{key: v})
	}
	b, err := json.MarshalIndent(map[string]any{
		"schema_version": "1.3.1",
		"id":             id,
		"modified":       "0001-01-01T00:00:00Z",
		"published":      "2024-01-02T03:04:05Z",
		"summary":        "a summary",
		"affected": []any{map[string]any{
			"package": map[string]string{"name": path, "ecosystem": "Go"},
			"ranges":  []any{map[string]any{"type": "SEMVER", "events": evs}},
		}},
	}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRun(t *testing.T) {
	src := t.TempDir()
	for name, b := range map[string][]byte{
		"GO-2024-0001.json": osvEntry(t, "GO-2024-0001", "golang.org/x/net", "0", "0.17.0"),
		"GO-2024-0002.json": osvEntry(t, "GO-2024-0002", "golang.org/x/net", "0", "0.7.0", "0.8.0-0", "0.23.0"),
		"GO-2024-0003.json": osvEntry(t, "GO-2024-0003", "stdlib", "0", "1.21.11", "1.22.0-0", "1.22.4"),
		"README.md":         []byte("not an entry"),
	} {
		if err := os.WriteFile(filepath.Join(src, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "db")
	var stdout strings.Builder
	if err := run([]string{"-src", src, "-version", "v0.0.0-20261105234957-e22db6528018", "-out", out}, &stdout); err != nil {
		t.Fatal(err)
	}
	if want := "3 entries, 2 modules, modified 2026-11-05T23:49:57Z"; !strings.HasPrefix(stdout.String(), want) {
		t.Errorf("run said %q, want %q…", stdout.String(), want)
	}

	read := func(name string) []byte {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var meta struct{ Modified time.Time }
	if err := json.Unmarshal(read("index/db.json"), &meta); err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 11, 5, 23, 49, 57, 0, time.UTC); !meta.Modified.Equal(want) {
		t.Errorf("db modified %v, want %v", meta.Modified, want)
	}
	var modules []moduleMeta
	if err := json.Unmarshal(read("index/modules.json"), &modules); err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(modules)
	want := `[{"path":"golang.org/x/net","vulns":[` +
		`{"id":"GO-2024-0001","modified":"2026-11-05T23:49:57Z","fixed":"0.17.0"},` +
		`{"id":"GO-2024-0002","modified":"2026-11-05T23:49:57Z","fixed":"0.23.0"}]},` +
		`{"path":"stdlib","vulns":[{"id":"GO-2024-0003","modified":"2026-11-05T23:49:57Z","fixed":"1.22.4"}]}]`
	if string(got) != want {
		t.Errorf("modules index:\n got %s\nwant %s", got, want)
	}

	var e map[string]any
	if err := json.Unmarshal(read("ID/GO-2024-0002.json"), &e); err != nil {
		t.Fatal(err)
	}
	if e["id"] != "GO-2024-0002" || e["modified"] != "2026-11-05T23:49:57Z" || e["summary"] != "a summary" || e["affected"] == nil {
		t.Errorf("entry GO-2024-0002 = %v: want the source's fields, modified set", e)
	}
	if _, err := os.Stat(filepath.Join(out, "ID", "README.json")); !os.IsNotExist(err) {
		t.Errorf("a file that is not an entry became one: %v", err)
	}
}

func TestRunRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, file, version string
		body                []byte
		want                string
	}{
		{"NameNotID", "GO-2024-0009.json", "v0.0.0-20261105234957-e22db6528018", osvEntry(t, "GO-2024-0001", "m", "0", "1.0.0"), "want a file named"},
		{"NoModule", "GO-2024-0001.json", "v0.0.0-20261105234957-e22db6528018", osvEntry(t, "GO-2024-0001", "", "0", "1.0.0"), "names no module"},
		{"NotJSON", "GO-2024-0001.json", "v0.0.0-20261105234957-e22db6528018", []byte("{"), "GO-2024-0001.json"},
		{"NotPseudoVersion", "GO-2024-0001.json", "v1.2.3", osvEntry(t, "GO-2024-0001", "m", "0", "1.0.0"), "not a pseudo-version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := t.TempDir()
			if err := os.WriteFile(filepath.Join(src, tc.file), tc.body, 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), "db")
			err := run([]string{"-src", src, "-version", tc.version, "-out", out}, new(strings.Builder))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("run = %v, want an error saying %q", err, tc.want)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("a refused source left a database: %v", err)
			}
		})
	}
}

// TestLatestFix holds the cases of x/vuln's internal/semver
// TestNonSupersededFix: the index's "fixed" must agree with govulncheck's.
func TestLatestFix(t *testing.T) {
	r := func(events ...string) osvRange {
		var rg osvRange
		rg.Type = "SEMVER"
		for i, v := range events {
			var e struct {
				Introduced string `json:"introduced"`
				Fixed      string `json:"fixed"`
			}
			if i%2 == 0 {
				e.Introduced = v
			} else {
				e.Fixed = v
			}
			rg.Events = append(rg.Events, e)
		}
		return rg
	}
	for _, tc := range []struct {
		name   string
		ranges []osvRange
		want   string
	}{
		{"Empty", nil, ""},
		{"NoFix", []osvRange{r("0")}, ""},
		{"OneFix", []osvRange{r("0", "1.0.0")}, "1.0.0"},
		{"Latest", []osvRange{r("0", "1.0.1", "1.1.0", "1.1.3")}, "1.1.3"},
		{"Numeric", []osvRange{r("0", "1.9.0", "1.10.0-0", "1.10.2")}, "1.10.2"},
		{"ReintroducedAfterFix", []osvRange{r("0", "1.0.0", "1.2.0")}, ""},
		{"Prerelease", []osvRange{r("0", "1.20.0-rc.1")}, "1.20.0-rc.1"},
		{"SeveralRanges", []osvRange{r("0", "1.0.0"), r("0", "1.2.0")}, "1.2.0"},
		{"NotSemver", []osvRange{{Type: "GIT"}}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := latestFix(tc.ranges); got != tc.want {
				t.Errorf("latestFix = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestLess(t *testing.T) {
	// Each version is lower than the next: semver 2.0.0 §11's example,
	// then pseudo-versions, Go's own versions and short forms.
	ordered := []string{
		"", "not.a.version", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
		"1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1",
		"1.9.0", "1.10.0-0", "1.10.0", "1.10.1", "1.22.0-0", "1.22.0-rc.1", "1.22.0", "2",
		"2.0.1-0.20220906165146-f3363e06e74c", "2.0.1", "10.0.0",
	}
	for i := range ordered {
		for j := range ordered {
			if got, want := less(ordered[i], ordered[j]), i < j && !(i <= 1 && j <= 1); got != want {
				t.Errorf("less(%q, %q) = %v, want %v", ordered[i], ordered[j], got, want)
			}
		}
	}
	for _, bad := range []string{"01.0.0", "1.0.0-01", "1.0-rc", "1.0.0-", "1.0.0+", "1.0.0-a..b", "v1.0.0", "1.0.0.0"} {
		if _, ok := parse(bad); ok {
			t.Errorf("parse(%q) accepted an invalid version", bad)
		}
	}
	if c := compare("1.0.0+build.1", "1.0.0"); c != 0 {
		t.Errorf("build metadata changed the order: %d", c)
	}
}

// FuzzBuild feeds build any bytes as an entry: it refuses or indexes them,
// never panics, and an indexed entry is written under its own id.
func FuzzBuild(f *testing.F) {
	f.Add([]byte(osvEntry(f, "GO-2024-0001", "golang.org/x/net", "0", "0.17.0")))
	f.Add([]byte(`{"id":"GO-2024-0001","affected":[{"package":{"name":"m"},"ranges":[{"type":"SEMVER","events":[{"introduced":"1.0.0-01"},{"fixed":"x"}]}]}]}`))
	f.Add([]byte(`{"id":"GO-2024-0001","modified":"2020-01-01T00:00:00Z","affected":[]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		db, err := build(map[string][]byte{"GO-2024-0001.json": b}, time.Unix(0, 0))
		if err != nil {
			return
		}
		if _, ok := db.files["ID/GO-2024-0001.json"]; !ok || len(db.files) != 3 {
			t.Fatalf("built %d files, without the entry's own", len(db.files))
		}
	})
}
