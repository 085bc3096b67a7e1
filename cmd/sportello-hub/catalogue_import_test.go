package main

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/sportello/sportello/sync/wire"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/request"
	"github.com/sportello/sportello/hub/sqlstore"
	"github.com/sportello/sportello/internal/cmdline"
)

// TestCatalogueImport publishes the built-in catalogue, then a comune's
// own file that changes one service, drops another and adds one: the
// workstations get exactly those three changes from the change log. A
// bad file is refused with where its mistake is, and changes nothing.
func TestCatalogueImport(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	var out bytes.Buffer
	imp := func(args ...string) error {
		out.Reset()
		return run(ctx, append([]string{"catalogue", "import", "--data", data}, args...), func(string) string { return "" }, strings.NewReader(""), &out, io.Discard)
	}
	if err := imp(); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.HasPrefix(got, "catalogo pubblicato: 117 servizi (incorporato): 117 nuovi, 0 modificati, 0 ritirati, 0 invariati") {
		t.Fatalf("built-in: %q", got)
	}
	cursor := lastChange(t, data)

	cat := request.DefaultCatalogue()
	cat[0].Title = "Cambio di residenza e di abitazione" // changed
	cat = append(cat[:1], cat[2:]...)                    // contributo-affitto dropped
	cat = append(cat, request.Service{ID: "orto-didattico", Title: "Orto didattico per le scuole", Event: request.EventSport,
		Audience: request.Citizens, Office: "Ufficio Ambiente", Days: 60,
		Fields: []request.Field{{ID: "nome", Label: "Nome", Type: request.Text, Required: true, Prefill: request.FromGivenName}}})
	file := filepath.Join(t.TempDir(), "catalogo-comune.json")
	var b bytes.Buffer
	if err := request.EncodeCatalogue(&b, cat); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	t.Run("ErrSyntax", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "rotto.json")
		os.WriteFile(bad, bytes.Replace(b.Bytes(), []byte(`"days": 45,`), []byte(`"days": 45,,`), 1), 0o644)
		err := imp(bad)
		if app.ErrorCode(err) != app.EINVALID || cmdline.ExitCode(err) != 1 || !strings.Contains(cmdline.Message(err), "rotto.json: catalogo, riga 8 colonna 16: JSON non valido") {
			t.Fatalf("%v (exit %d)", cmdline.Message(err), cmdline.ExitCode(err))
		}
	})
	t.Run("ErrField", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "sbagliato.json")
		os.WriteFile(bad, bytes.Replace(b.Bytes(), []byte(`"type": "date"`), []byte(`"type": "data"`), 1), 0o644)
		err := imp(bad)
		if msg := cmdline.Message(err); app.ErrorCode(err) != app.EINVALID || !strings.Contains(msg, "riga 2: servizio cambio-residenza: campo data_nascita di tipo sconosciuto \"data\"") {
			t.Fatalf("%v", msg)
		}
	})
	t.Run("ErrUsage", func(t *testing.T) {
		for _, args := range [][]string{{file, file}, {"--bogus", file}} {
			if err := imp(args...); cmdline.ExitCode(err) != 2 {
				t.Errorf("%q: %v", args, err)
			}
		}
		if err := run(ctx, []string{"catalogue", "import", file}, func(string) string { return "" }, strings.NewReader(""), &out, io.Discard); cmdline.ExitCode(err) != 2 || !strings.Contains(cmdline.Message(err), "--data") {
			t.Errorf("without --data: %v", err)
		}
	})
	if n := lastChange(t, data); n != cursor {
		t.Fatalf("refused files wrote %d changes", n-cursor)
	}

	if err := imp(file); err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "catalogo pubblicato: 117 servizi ("+file+"): 1 nuovi, 1 modificati, 1 ritirati, 115 invariati\n"; got != want {
		t.Fatalf("comune's file:\n got %q\nwant %q", got, want)
	}
	db, err := sqlstore.Open(ctx, filepath.Join(data, "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	page, err := db.Changes(ctx, app.ScopeNetwork, cursor, 1000)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, raw := range page.Changes {
		var c wire.Change
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatal(err)
		}
		switch {
		case c.Deleted:
			got[c.Key] = "withdrawn"
		case c.Record != nil:
			s, err := request.DecodeService(c.Record.Data)
			if err != nil {
				t.Fatal(err)
			}
			got[c.Key] = s.Title
		}
	}
	want := map[string]string{"cambio-residenza": "Cambio di residenza e di abitazione", "contributo-affitto": "withdrawn",
		"orto-didattico": "Orto didattico per le scuole"}
	if len(got) != len(want) || len(page.Changes) != 3 {
		t.Fatalf("changes for the workstations: %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("change of %s: %q, want %q", k, got[k], v)
		}
	}
	db.Close()

	t.Run("Again", func(t *testing.T) {
		if err := imp(file); err != nil || !strings.HasSuffix(out.String(), "0 nuovi, 0 modificati, 0 ritirati, 117 invariati\n") {
			t.Fatalf("%q (%v)", out.String(), err)
		}
	})
	t.Run("Help", func(t *testing.T) {
		var help bytes.Buffer
		err := run(ctx, []string{"catalogue", "import", "--help"}, func(string) string { return "" }, nil, &help, &help)
		if err != nil || !strings.Contains(help.String(), "catalogue import (--data DIR | --db URL) [FILE]") || !strings.Contains(help.String(), "-data") {
			t.Fatalf("%q (%v)", help.String(), err)
		}
	})
}

// lastChange is the last change number of the network's scope.
func lastChange(t *testing.T, data string) int64 {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), filepath.Join(data, "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	page, err := db.Changes(context.Background(), app.ScopeNetwork, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	return page.Last
}
