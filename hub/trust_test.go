package hub_test

// The attack suite of issue 10: what a holder of a valid device token
// tries against the real hub over HTTP on loopback, and what must refuse it.

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/cf"
	"github.com/sportello/sportello/hub"
	"github.com/sportello/sportello/hub/hubdb"
	"github.com/sportello/sportello/sync/wire"
)

// trustHub is a real hub on loopback with two comuni, F205 (Milano) and
// I690 (Sesto San Giovanni), whose family sheets are both numbered "1", and
// a counter workstation in each.
type trustHub struct {
	DB     *hubdb.DB
	URL    string
	Milano string // token of a counter of F205
	Sesto  string // token of a counter of I690
	People map[string]app.Citizen
}

func trustPerson(tb testing.TB, comune, surname, given string, born time.Time, family string, rel int, doc string) app.Citizen {
	tb.Helper()
	code, err := cf.Compute(cf.Person{Surname: surname, Name: given, Sex: "M", BirthDate: born, BirthPlaceCode: comune})
	if err != nil {
		tb.Fatal(err)
	}
	return app.Citizen{CodiceFiscale: code, Surname: surname, GivenName: given, Sex: "M", BirthDate: born,
		BirthPlaceCode: comune, Citizenship: "ITA", CivilStatus: app.CivilStatusSingle, Comune: comune,
		FamilyID: family, Relationship: rel, Status: app.StatusResident, Certifiability: app.CertifiableFully,
		DocumentNumber: doc}
}

func newTrustHub(tb testing.TB, opts ...func(*hub.Deps)) *trustHub {
	tb.Helper()
	ctx := context.Background()
	db := MustOpenDB(tb)
	for code, name := range map[string]string{"F205": "MILANO", "I690": "SESTO SAN GIOVANNI"} {
		if err := db.EnsureComune(ctx, code, name); err != nil {
			tb.Fatal(err)
		}
	}
	h := &trustHub{DB: db, People: map[string]app.Citizen{}}
	anagrafe := map[string][]app.Citizen{
		"F205": {
			trustPerson(tb, "F205", "Bianchi", "Luca", app.Date(1970, 3, 4), "1", app.RelationshipHead, "CA11111AA"),
			trustPerson(tb, "F205", "Bianchi", "Paolo", app.Date(2001, 5, 6), "1", app.RelationshipChild, "CA22222BB"),
		},
		"I690": {
			trustPerson(tb, "I690", "Verdi", "Carlo", app.Date(1960, 7, 8), "1", app.RelationshipHead, "CA33333CC"),
			trustPerson(tb, "I690", "Verdini", "Aldo", app.Date(1990, 9, 10), "2", app.RelationshipHead, "CA44444DD"),
		},
	}
	for comune, people := range anagrafe {
		if _, err := db.ReplaceAnagrafe(ctx, comune, people); err != nil {
			tb.Fatal(err)
		}
		for _, p := range people {
			h.People[p.Surname+" "+p.GivenName] = p
		}
	}
	h.Milano = trustEnrol(tb, db, "F205", "")
	h.Sesto = trustEnrol(tb, db, "I690", "")
	d := hub.Deps{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Limits: limits}
	for _, o := range opts {
		o(&d)
	}
	srv := httptest.NewServer(hub.NewServer(d))
	tb.Cleanup(srv.Close)
	h.URL = srv.URL
	return h
}

// trustEnrol enrols a workstation of comune through a real one-time code and
// returns its token; role "" is the code's default.
func trustEnrol(tb testing.TB, db *hubdb.DB, comune, role string) string {
	tb.Helper()
	ctx := context.Background()
	code, err := db.NewEnrollCode(ctx, comune, time.Hour)
	if err != nil {
		tb.Fatal(err)
	}
	pub, _, _ := ed25519.GenerateKey(nil)
	e, err := db.Enroll(ctx, code, "Postazione", pub)
	if err != nil {
		tb.Fatal(err)
	}
	return e.Token
}

// get sends a GET over the loopback with token and decodes a 200 answer
// into out; it returns the status and, for errors, the wire error.
func (h *trustHub) get(tb testing.TB, path, token string, out any) (int, wire.Error) {
	tb.Helper()
	return h.send(tb, http.MethodGet, path, token, "", out)
}

func (h *trustHub) send(tb testing.TB, method, path, token, body string, out any) (int, wire.Error) {
	tb.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, h.URL+path, r)
	if err != nil {
		tb.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var e wire.Error
	if res.StatusCode != http.StatusOK {
		if err := json.Unmarshal(b, &e); err != nil {
			tb.Fatalf("%s %s: status %d, answer not a wire.Error: %s", method, path, res.StatusCode, b)
		}
		return res.StatusCode, e
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			tb.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
	return res.StatusCode, e
}

// TestFamilyScopedByComune: family "1" of one comune never returns a person
// of another, by any of the routes that answer a family sheet.
func TestFamilyScopedByComune(t *testing.T) {
	h := newTrustHub(t)
	luca, paolo, carlo := h.People["Bianchi Luca"], h.People["Bianchi Paolo"], h.People["Verdi Carlo"]
	members := func(ws []wire.Citizen) []string {
		var out []string
		for _, w := range ws {
			out = append(out, w.CodiceFiscale)
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		path  string
		token string
		want  []string
	}{
		{"FamilyOwnComune", "/v1/families/1", h.Milano, []string{luca.CodiceFiscale, paolo.CodiceFiscale}},
		{"FamilyOtherDevice", "/v1/families/1", h.Sesto, []string{carlo.CodiceFiscale}},
		{"FamilyOtherComuneByMember", "/v1/families/1?cf=" + carlo.CodiceFiscale, h.Milano, []string{carlo.CodiceFiscale}},
		{"CitizenFile", "/v1/citizens/" + carlo.CodiceFiscale, h.Milano, []string{carlo.CodiceFiscale}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			if strings.HasPrefix(tc.path, "/v1/families/") {
				var res wire.FamilyResponse
				if st, e := h.get(t, tc.path, tc.token, &res); st != 200 {
					t.Fatalf("status %d %+v", st, e)
				}
				got = members(res.Members)
			} else {
				var res wire.CitizenResponse
				if st, e := h.get(t, tc.path, tc.token, &res); st != 200 {
					t.Fatalf("status %d %+v", st, e)
				}
				got = members(res.Family)
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("family = %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("ErrMemberOfAnotherFamily", func(t *testing.T) {
		aldo := h.People["Verdini Aldo"]
		st, e := h.get(t, "/v1/families/1?cf="+url.QueryEscape(aldo.CodiceFiscale), h.Milano, nil)
		if st != 404 || e.Code != app.ENOTFOUND {
			t.Errorf("status %d %+v, want 404 ENOTFOUND", st, e)
		}
	})
}
