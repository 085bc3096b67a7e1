package hub_test

// The attack suite of issue 10: what a holder of a valid device token
// tries against the real hub over HTTP on loopback, and what must refuse it.

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/app/cf"
	kioskapp "github.com/sportello/sportello/app/kiosk"
	"github.com/sportello/sportello/app/pagopa"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/app/queue"
	"github.com/sportello/sportello/hub"
	"github.com/sportello/sportello/hub/sqlstore"
	"github.com/sportello/sportello/sync/wire"
)

// trustHub is a real hub on loopback with two comuni, F205 (Milano) and
// I690 (Sesto San Giovanni), whose family sheets are both numbered "1", and
// a counter workstation in each.
type trustHub struct {
	DB     *sqlstore.DB
	URL    string
	Milano string // token of a counter of F205
	Sesto  string // token of a counter of I690
	People map[string]app.Citizen

	clerkKey ed25519.PrivateKey // the clerk's (readproof_test.go)
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
func trustEnrol(tb testing.TB, db *sqlstore.DB, comune string, role sqlstore.DeviceRole) string {
	tb.Helper()
	ctx := context.Background()
	code, err := db.NewEnrollCode(ctx, comune, time.Hour)
	if role != "" {
		code, err = db.NewEnrollCodeFor(ctx, comune, role, time.Hour)
	}
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

func (h *trustHub) send(tb testing.TB, method, path, token, body string, out any, header ...string) (int, wire.Error) {
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
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
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
			var proof []string // another comune's sheet is the operator's act
			if strings.Contains(tc.path, carlo.CodiceFiscale) {
				proof = h.asClerk(t, tc.path)
			}
			if strings.HasPrefix(tc.path, "/v1/families/") {
				var res wire.FamilyResponse
				if st, e := h.send(t, http.MethodGet, tc.path, tc.token, "", &res, proof...); st != 200 {
					t.Fatalf("status %d %+v", st, e)
				}
				got = members(res.Members)
			} else {
				var res wire.CitizenResponse
				if st, e := h.send(t, http.MethodGet, tc.path, tc.token, "", &res, proof...); st != 200 {
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
		path := "/v1/families/1?cf=" + url.QueryEscape(aldo.CodiceFiscale)
		st, e := h.send(t, http.MethodGet, path, h.Milano, "", nil, h.asClerk(t, path)...)
		if st != 404 || e.Code != app.ENOTFOUND {
			t.Errorf("status %d %+v, want 404 ENOTFOUND", st, e)
		}
	})
}

// search asks the hub's search as token and returns the codici fiscali
// found.
func (h *trustHub) search(tb testing.TB, token, text string, header ...string) ([]string, int, wire.Error) {
	tb.Helper()
	var res wire.SearchResponse
	st, e := h.send(tb, http.MethodGet, "/v1/citizens?"+url.Values{"q": {text}}.Encode(), token, "", &res, header...)
	var out []string
	for _, c := range res.Citizens {
		out = append(out, c.CodiceFiscale)
	}
	return out, st, e
}

// TestAnagrafeConfined: a device reads its own comune by search, another
// comune's citizen only by an exact key and on the record, and a kiosk or
// board not at all; identity documents never leave the hub.
func TestAnagrafeConfined(t *testing.T) {
	h := newTrustHub(t)
	ctx := context.Background()
	luca, paolo := h.People["Bianchi Luca"], h.People["Bianchi Paolo"]
	carlo, aldo := h.People["Verdi Carlo"], h.People["Verdini Aldo"]
	kiosk := trustEnrol(t, h.DB, "F205", sqlstore.RoleKiosk)
	board := trustEnrol(t, h.DB, "F205", sqlstore.RoleBoard)

	t.Run("ErrRoleNotCounter", func(t *testing.T) {
		for _, tok := range []string{kiosk, board} {
			for _, path := range []string{"/v1/citizens?q=bianchi", "/v1/citizens/" + luca.CodiceFiscale, "/v1/families/1"} {
				if st, e := h.get(t, path, tok, nil); st != 403 || e.Code != app.EFORBIDDEN {
					t.Errorf("GET %s as kiosk/board: %d %+v, want 403 forbidden", path, st, e)
				}
			}
		}
	})
	for _, tc := range []struct {
		name   string
		text   string
		want   []string
		status int
		proven bool // with the clerk's proof (readproof_test.go)
	}{
		{"OwnComuneByPrefix", "bian", []string{luca.CodiceFiscale, paolo.CodiceFiscale}, 200, false},
		{"OwnComuneByCFPrefix", luca.CodiceFiscale[:9], []string{luca.CodiceFiscale}, 200, false},
		{"ErrTooShort", "ve", nil, 400, false},
		{"ErrTooShortPunctuation", "v.'", nil, 400, false},
		{"OtherComuneNotByNamePrefix", "verd", nil, 200, false},
		{"OtherComuneNotByName", "verdi carlo", nil, 200, false},
		{"OtherComuneNotByCFPrefix", carlo.CodiceFiscale[:6], nil, 200, false},
		{"OtherComuneNotByAlmostWholeCF", carlo.CodiceFiscale[:15], nil, 200, false},
		{"OtherComuneNotByWrongDate", "verdi carlo 09/07/1960", nil, 200, false},
		{"OtherComuneNotByPrefixAndDate", "verd carl 08/07/1960", nil, 200, false},
		{"OtherComuneByCF", strings.ToLower(carlo.CodiceFiscale), []string{carlo.CodiceFiscale}, 200, true},
		{"OtherComuneByNameAndDate", "Verdi Carlo 08/07/1960", []string{carlo.CodiceFiscale}, 200, true},
		{"OtherComuneByNameFirstAndISODate", "Aldo Verdini 1990-09-10", []string{aldo.CodiceFiscale}, 200, true},
		{"OtherComuneNotByCFWithoutProof", carlo.CodiceFiscale, nil, 200, false},
		{"OtherComuneNotByNameAndDateWithoutProof", "Verdi Carlo 08/07/1960", nil, 200, false},
		{"OtherComuneNotByWrongDateWithProof", "verdi carlo 09/07/1960", nil, 200, true},
		{"SQLMetacharacters", "x' OR '1'='1", nil, 200, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var proof []string
			if tc.proven {
				proof = h.asClerk(t, "/v1/citizens?"+url.Values{"q": {tc.text}}.Encode())
			}
			got, st, e := h.search(t, h.Milano, tc.text, proof...)
			if st != tc.status {
				t.Fatalf("status %d %+v, want %d", st, e, tc.status)
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("search %q found %v, want %v", tc.text, got, tc.want)
			}
		})
	}
	t.Run("NoDocumentNumbers", func(t *testing.T) {
		for _, path := range []string{"/v1/citizens/" + carlo.CodiceFiscale, "/v1/citizens/" + luca.CodiceFiscale,
			"/v1/families/1", "/v1/families/1?cf=" + carlo.CodiceFiscale} {
			var raw json.RawMessage
			var proof []string
			if strings.Contains(path, carlo.CodiceFiscale) {
				proof = h.asClerk(t, path)
			}
			if st, e := h.send(t, http.MethodGet, path, h.Milano, "", &raw, proof...); st != 200 {
				t.Fatalf("GET %s: %d %+v", path, st, e)
			}
			for _, doc := range []string{"CA11111AA", "CA22222BB", "CA33333CC"} {
				if strings.Contains(string(raw), doc) {
					t.Errorf("GET %s answers the identity document %s: %s", path, doc, raw)
				}
			}
		}
	})
	t.Run("ReadsRecorded", func(t *testing.T) {
		before, err := h.DB.CitizenReads(ctx, aldo.CodiceFiscale)
		if err != nil {
			t.Fatal(err)
		}
		search := "/v1/citizens?" + url.Values{"q": {aldo.CodiceFiscale}}.Encode()
		if _, st, e := h.search(t, h.Milano, aldo.CodiceFiscale, h.asClerk(t, search)...); st != 200 {
			t.Fatalf("search: %d %+v", st, e)
		}
		file := "/v1/citizens/" + aldo.CodiceFiscale
		if st, e := h.send(t, http.MethodGet, file, h.Milano, "", nil, readProof(t, h.clerk(t), "F205", "F205-W001", "mrossi", app.PurposeRequest, file, time.Now().UTC())...); st != 200 {
			t.Fatalf("citizen: %d %+v", st, e)
		}
		reads, err := h.DB.CitizenReads(ctx, aldo.CodiceFiscale)
		if err != nil {
			t.Fatal(err)
		}
		if len(reads) != len(before)+2 {
			t.Fatalf("reads of %s = %+v, want 2 more than %d", aldo.CodiceFiscale, reads, len(before))
		}
		r := reads[len(before)]
		if r.Device != "F205-W001" || r.DeviceComune != "F205" || r.Operator != "mrossi" || r.Purpose != app.PurposeCertificate ||
			r.SubjectComune != "I690" || r.At.IsZero() {
			t.Errorf("search read recorded as %+v", r)
		}
		if r := reads[len(before)+1]; r.Purpose != app.PurposeRequest || r.Operator != "mrossi" {
			t.Errorf("file read recorded as %+v", r)
		}
		// Its own comune's citizens read without a proof are the device's
		// daily work: no record at the hub (the workstation's audit has it).
		if own, err := h.DB.CitizenReads(ctx, luca.CodiceFiscale); err != nil || len(own) != 0 {
			t.Errorf("reads of an own citizen = %+v, %v", own, err)
		}
	})
}

// TestReadRateLimit: a device that keeps searching is slowed down with 429,
// and only that device.
func TestReadRateLimit(t *testing.T) {
	h := newTrustHub(t, func(d *hub.Deps) {
		d.Limits.Reads, d.Limits.ReadEvery = 3, time.Hour
	})
	for i := range 3 {
		if _, st, e := h.search(t, h.Milano, "bianchi"); st != 200 {
			t.Fatalf("search %d: %d %+v", i+1, st, e)
		}
	}
	_, st, e := h.search(t, h.Milano, "bianchi")
	if st != http.StatusTooManyRequests || e.Code != app.ETOOMANY || e.Message == "" {
		t.Errorf("4th search: %d %+v, want 429 too_many with a message", st, e)
	}
	carlo := h.People["Verdi Carlo"]
	file := "/v1/citizens/" + carlo.CodiceFiscale
	if st, e := h.send(t, http.MethodGet, file, h.Milano, "", nil, h.asClerk(t, file)...); st != http.StatusTooManyRequests {
		t.Errorf("another comune's citizen after the limit: %d %+v, want 429", st, e)
	}
	if _, st, e := h.search(t, h.Sesto, "verdi"); st != 200 {
		t.Errorf("another device: %d %+v, want 200", st, e)
	}
}

// pusher sends a device's facts to the hub over HTTP, numbering them.
type pusher struct {
	h      *trustHub
	token  string
	device string
	seq    int64
}

func (p *pusher) push(tb testing.TB, kind string, data []byte) wire.OpResult {
	tb.Helper()
	return p.pushOp(tb, p.next(kind, data), nil)
}

// next is the device's next operation, not sent yet.
func (p *pusher) next(kind string, data []byte) app.Operation {
	p.seq++
	return app.Operation{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", p.seq), Device: p.device, Seq: p.seq,
		Kind: kind, CreatedAt: time.Now().UTC(), Data: data}
}

// pushOp sends op, with proof if not nil.
func (p *pusher) pushOp(tb testing.TB, op app.Operation, proof *app.OperatorProof) wire.OpResult {
	tb.Helper()
	op.Proof = proof
	body, _ := json.Marshal(wire.PushRequest{Ops: []wire.Op{wire.OpToWire(op)}})
	var res wire.PushResponse
	if st, e := p.h.send(tb, http.MethodPost, "/v1/ops", p.token, string(body), &res); st != 200 || len(res.Results) != 1 {
		tb.Fatalf("push %s: %d %+v %+v", op.Kind, st, e, res)
	}
	return res.Results[0]
}

// TestFactsAgainstOwnership: a workstation's payment facts are checked
// against who owns the position and its avvisi and against what is due;
// a refused fact stores nothing.
func TestFactsAgainstOwnership(t *testing.T) {
	h := newTrustHub(t)
	ctx := context.Background()
	py := payment.Payee{Comune: "F205", Name: "Comune di Milano", CFEnte: "01199250158", Aux: 3, Code: "01"}
	if err := h.DB.PutPayee(ctx, &py); err != nil {
		t.Fatal(err)
	}
	w := &pusher{h: h, token: h.Milano, device: "F205-W001"}
	res := w.push(t, payment.FactIUVBlock, []byte(`{}`))
	block, err := payment.DecodeBlock(res.Data)
	if !res.Applied || err != nil {
		t.Fatalf("block: %+v %v", res, err)
	}
	luca := h.People["Bianchi Luca"]
	tari, err := h.DB.CreatePosition(ctx, payment.Position{Comune: "F205", DebtorCF: luca.CodiceFiscale, DebtorName: "BIANCHI LUCA",
		Service: payment.ServiceTARI, Causale: "TARI 2026", AmountCents: 50000, DueDate: app.Date(2026, 12, 31)})
	if err != nil {
		t.Fatal(err)
	}
	// Twenty days ago, as a date in Italian time: between 23:00 and
	// midnight UTC Rome is already on the next day.
	ago := time.Now().In(app.Rome).AddDate(0, 0, -20)
	day := app.Date(ago.Year(), ago.Month(), ago.Day())
	fine, err := h.DB.PutFine(ctx, payment.Fine{Number: "V-1", Comune: "F205", Plate: "AB123CD", Offence: "Sosta vietata",
		Article: "art. 7", ViolatedAt: day, NotifiedOn: day,
		MinCents: 4200, MaxCents: 17300, CostsCents: 1000, DiscountAllowed: true, OffenderCF: luca.CodiceFiscale, OffenderName: "BIANCHI LUCA"})
	if err != nil {
		t.Fatal(err)
	}
	record := func(id string) *payment.Position {
		t.Helper()
		rec, err := h.DB.Record(ctx, "F205", payment.KindPosition, id)
		if app.ErrorCode(err) == app.ENOTFOUND {
			return nil
		}
		if err != nil {
			t.Fatal(err)
		}
		p, err := payment.DecodePosition(rec.Data)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	own := func(n int64) pagopa.CodiceAvviso {
		a, err := block.Avviso(block.First + n)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	position := func(id string, avviso pagopa.CodiceAvviso, instalments ...payment.Instalment) []byte {
		amount := int64(52)
		if len(instalments) > 0 {
			amount = 0
			for _, in := range instalments {
				amount += in.AmountCents
			}
		}
		return payment.EncodePosition(&payment.Position{ID: id, Comune: "F205", DebtorCF: luca.CodiceFiscale, DebtorName: "BIANCHI LUCA",
			Service: payment.ServiceCertificate, Causale: "Diritti", AmountCents: amount, DueDate: app.Date(2026, 12, 31), Avviso: avviso,
			State: payment.StateDue, CreatedBy: w.device, CreatedAt: time.Now().UTC(), Instalments: instalments})
	}
	pay := func(receipt string, pos *payment.Position, cents int64) []byte {
		return payment.EncodePayment(&payment.Payment{Receipt: receipt, PositionID: pos.ID, Avviso: pos.Avviso, AmountCents: cents,
			Method: payment.Cash, Operator: "mrossi", Device: w.device, At: time.Now().UTC(), Day: payment.DayOf(time.Now()),
			Service: pos.Service, Causale: pos.Causale, DebtorCF: pos.DebtorCF, DebtorName: pos.DebtorName, Fine: pos.Fine})
	}
	farAvviso, _ := pagopa.NewAvviso(3, "01", block.Last+500)

	for _, tc := range []struct {
		name string
		kind string
		data []byte
		code string
		gone string // a position id that must stay unknown
	}{
		{"ErrPositionReusesHubID", payment.FactPosition, position(tari.ID, own(1)), app.EFORBIDDEN, ""},
		{"ErrInstalmentOutsideBlock", payment.FactPosition, position("F205-W001-2026-P000002", own(2),
			payment.Instalment{N: 1, Avviso: own(3), AmountCents: 1, DueDate: app.Date(2026, 6, 30)},
			payment.Instalment{N: 2, Avviso: farAvviso, AmountCents: 1, DueDate: app.Date(2026, 12, 31)}), app.EFORBIDDEN, "F205-W001-2026-P000002"},
		{"ErrOneCentForTARI", payment.FactPayment, pay("F205-W001-2026-R000001", tari, 1), app.EINVALID, ""},
		{"ErrOneCentForFine", payment.FactPayment, pay("F205-W001-2026-R000002", record(fine.PositionID), 1), app.EINVALID, ""},
		{"ErrTooMuchForTARI", payment.FactPayment, pay("F205-W001-2026-R000003", tari, 50001), app.EINVALID, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := w.push(t, tc.kind, tc.data)
			if res.Applied || res.Code != tc.code || res.Message == "" {
				t.Errorf("result %+v, want refused %s with a reason", res, tc.code)
			}
			if tc.gone != "" && record(tc.gone) != nil {
				t.Errorf("position %s stored", tc.gone)
			}
			for _, p := range []*payment.Position{tari, record(fine.PositionID)} {
				got := record(p.ID)
				if got.State != payment.StateDue || len(got.Receipts) != 0 || got.AmountCents != p.AmountCents || got.DebtorCF != p.DebtorCF {
					t.Errorf("position %s now %s, %d receipts, %d cents, debtor %s", p.ID, got.State, len(got.Receipts), got.AmountCents, got.DebtorCF)
				}
				if pays, err := h.DB.PositionPayments(ctx, "F205", p.ID); err != nil || len(pays) != 0 {
					t.Errorf("payments of %s: %+v %v", p.ID, pays, err)
				}
			}
		})
	}
	t.Run("OwnPositionAndDuePayments", func(t *testing.T) {
		if res := w.push(t, payment.FactPosition, position("F205-W001-2026-P000004", own(4))); !res.Applied {
			t.Fatalf("own position from the block: %+v", res)
		}
		if res := w.push(t, payment.FactPosition, position("F205-W001-2026-P000004", own(5))); res.Code != app.ECONFLICT {
			t.Errorf("own position sent again under another avviso: %+v, want conflict", res)
		}
		if res := w.push(t, payment.FactPayment, pay("F205-W001-2026-R000004", tari, 50000)); !res.Applied {
			t.Errorf("TARI paid in full: %+v", res)
		}
		fp := record(fine.PositionID)
		due := fine.Due(payment.Today(time.Now())).Cents
		if res := w.push(t, payment.FactPayment, pay("F205-W001-2026-R000005", fp, due)); !res.Applied {
			t.Errorf("fine paid %d, what its day makes due: %+v", due, res)
		}
		if got := record(tari.ID); got.State != payment.StatePaid {
			t.Errorf("TARI after a full payment: %s", got.State)
		}
	})
}

// verifyOverHTTP asks /verifica and /v1/verify about a stamp on a real
// hub on loopback; it returns the page's text and the JSON answer.
func verifyOverHTTP(t *testing.T, base, stamp string) (string, map[string]any) {
	t.Helper()
	res, err := http.Get(base + "/verifica?" + form(stamp))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("/verifica: status %d", res.StatusCode)
	}
	res, err = http.Get(base + "/v1/verify?" + form(stamp))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var js map[string]any
	if err := json.NewDecoder(res.Body).Decode(&js); err != nil {
		t.Fatal(err)
	}
	return pageText(string(b)), js
}

// TestRevokedKeyCertificates: a key revoked since signs a stamp dated
// before its revocation with invented data. Absent from the hub's register
// it is NON VALIDO on both verification routes, and the page tells nothing
// it cannot know; delivered before the revocation it stays VALIDO.
func TestRevokedKeyCertificates(t *testing.T) {
	ctx := context.Background()
	h := newVerifyHub(t)
	h.seedRossi(t)
	// Delivered while the workstation was in service (the hub's clock
	// before lateRevoke).
	h.DB.Now = func() time.Time { return issuedAt.Add(time.Hour) }
	f := residenceFacts(t, h.RevokedLate.ID, 7)
	delivered := h.RevokedLate.stamp(t, 7)
	res := h.DB.ApplyOp(ctx, &sqlstore.Device{ID: h.RevokedLate.ID, Comune: "F205", Role: sqlstore.RoleCounter}, app.Operation{
		ID: "6f1c2b8e-0f3a-4c59-9a47-1d2e3f4a5b6d", Device: h.RevokedLate.ID, Seq: 1, Kind: app.OpCertificate, CreatedAt: issuedAt,
		Certificate: &app.CertificateFact{Number: f.Number.String(), Type: certificate.SlugResidenza, CodiceFiscale: f.CodiceFiscale,
			Comune: "F205", IssuedAt: f.IssuedAt, AsOf: f.AsOf, Operator: "mrossi", Stamp: delivered},
	})
	if !res.Applied || res.Flag != "" {
		t.Fatalf("delivery before the revocation: %+v", res)
	}
	srv := httptest.NewServer(h.handler(verifiedAt))
	defer srv.Close()

	invented := h.RevokedLate.stamp(t, 8, func(f *certificate.Facts) { f.Surname, f.GivenName = "FALSI", "GIANNI" })
	page, js := verifyOverHTTP(t, srv.URL, invented)
	if v := verdictOf(page); v != "NON VALIDO" {
		t.Errorf("unregistered stamp of a revoked key: verdict %q\n%s", v, page)
	}
	for _, lie := range []string{"FALSI", "in linea", "prossima sincronizzazione"} {
		if strings.Contains(page, lie) {
			t.Errorf("page says %q:\n%s", lie, page)
		}
	}
	if js["valid"] != false || js["reason"] != "revoked_unregistered" || js["facts"] != nil {
		t.Errorf("/v1/verify = %v", js)
	}

	page, js = verifyOverHTTP(t, srv.URL, delivered)
	if v := verdictOf(page); v != "VALIDO" || !strings.Contains(page, "ROSSI") || !strings.Contains(page, "ricevuto dalla postazione") {
		t.Errorf("delivered before the revocation: verdict %q\n%s", v, page)
	}
	if js["valid"] != true {
		t.Errorf("/v1/verify of the delivered one = %v", js)
	}
}

// TestCertificateAgainstAnagrafe: a workstation that claims the hub's live
// data (DataSeq 0, online) signs a certificate with an invented name for a
// real codice fiscale. The hub compares it with its anagrafe: recorded
// flagged, and NON VALIDO wherever it is verified.
func TestCertificateAgainstAnagrafe(t *testing.T) {
	h := newVerifyHub(t)
	h.seedRossi(t)
	h.DB.Now = func() time.Time { return issuedAt.Add(time.Hour) }
	srv := httptest.NewServer(h.handler(verifiedAt))
	defer srv.Close()
	th := &trustHub{DB: h.DB, URL: srv.URL}
	// A workstation enrolled for real, whose signing key the test holds.
	pub, key, _ := ed25519.GenerateKey(nil)
	code, _ := h.DB.NewEnrollCode(context.Background(), "F205", time.Hour)
	e, err := h.DB.Enroll(context.Background(), code, "Sportello", pub)
	if err != nil {
		t.Fatal(err)
	}
	w := &workstation{ID: e.Device.Device, Key: key, Cert: e.Device.Cert, ComuneCert: e.ComuneCert}
	tok, device := e.Token, e.Device.Device
	p := &pusher{h: th, token: tok, device: device}
	send := func(seq int64, mod func(*certificate.Facts)) (wire.OpResult, string) {
		t.Helper()
		f := residenceFacts(t, device, seq)
		mod(&f)
		stamp := w.stamp(t, seq, mod)
		p.seq++
		op := wire.OpToWire(app.Operation{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", p.seq), Device: device, Seq: p.seq,
			Kind: app.OpCertificate, CreatedAt: issuedAt, Certificate: &app.CertificateFact{Number: f.Number.String(),
				Type: certificate.SlugResidenza, CodiceFiscale: f.CodiceFiscale, Comune: "F205", IssuedAt: f.IssuedAt, AsOf: f.AsOf,
				Operator: "mrossi", Stamp: stamp}})
		body, _ := json.Marshal(wire.PushRequest{Ops: []wire.Op{op}})
		var res wire.PushResponse
		if st, e := th.send(t, http.MethodPost, "/v1/ops", tok, string(body), &res); st != 200 || len(res.Results) != 1 {
			t.Fatalf("push: %d %+v", st, e)
		}
		return res.Results[0], stamp
	}
	for _, tc := range []struct {
		name string
		mod  func(*certificate.Facts)
	}{
		{"ErrInventedName", func(f *certificate.Facts) { f.Surname, f.GivenName = "FALSI", "GIANNI" }},
		{"ErrInventedBirthDate", func(f *certificate.Facts) { f.BirthDate = app.Date(1985, 12, 11) }},
		{"ErrUnknownPerson", func(f *certificate.Facts) {
			f.CodiceFiscale, _ = cf.Compute(cf.Person{Surname: "NESSUNO", Name: "UGO", Sex: "M", BirthDate: app.Date(1980, 1, 1), BirthPlaceCode: "A562"})
			f.Surname, f.GivenName, f.BirthDate = "NESSUNO", "UGO", app.Date(1980, 1, 1)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, stamp := send(p.seq+20, tc.mod)
			if res.Flag != sqlstore.FlagMismatch {
				t.Errorf("result %+v, want flagged %q", res, sqlstore.FlagMismatch)
			}
			page, js := verifyOverHTTP(t, srv.URL, stamp)
			if v := verdictOf(page); v != "NON VALIDO" || strings.Contains(page, "FALSI") {
				t.Errorf("verdict %q:\n%s", v, page)
			}
			if js["valid"] != false || js["reason"] != "mismatch" {
				t.Errorf("/v1/verify = %v", js)
			}
		})
	}
	t.Run("TrueFacts", func(t *testing.T) {
		res, stamp := send(50, func(*certificate.Facts) {})
		if !res.Applied || res.Flag != "" {
			t.Errorf("result %+v", res)
		}
		if page, _ := verifyOverHTTP(t, srv.URL, stamp); verdictOf(page) != "VALIDO" {
			t.Errorf("true certificate:\n%s", page)
		}
	})
}

// TestHardening: every answer carries the security headers, no body
// passes its bound, the server has its timeouts, and a stored answer is
// only for the device that sent the operation.
func TestHardening(t *testing.T) {
	h := newTrustHub(t)
	t.Run("SecurityHeaders", func(t *testing.T) {
		for _, path := range []string{"/v1/health", "/verifica", hub.FollowPath + "?id=nessuna&k=x", "/v1/citizens?q=rossi", "/nessuna-pagina"} {
			res, err := http.Get(h.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			for header, want := range map[string]string{
				"X-Content-Type-Options":  "nosniff",
				"X-Frame-Options":         "DENY",
				"Referrer-Policy":         "no-referrer",
				"Content-Security-Policy": "frame-ancestors 'none'",
			} {
				if got := res.Header.Get(header); !strings.Contains(got, want) {
					t.Errorf("GET %s: %s = %q, want %q", path, header, got, want)
				}
			}
		}
	})
	t.Run("BodyLimits", func(t *testing.T) {
		big := `{"x":"` + strings.Repeat("A", int(limits.MaxBody)) + `"}`
		for _, tc := range []struct{ method, path, token string }{
			{"POST", "/v1/enroll", ""},
			{"POST", "/v1/ops", h.Milano},
			{"POST", "/v1/queue/call", h.Milano},
		} {
			if st, e := h.send(t, tc.method, tc.path, tc.token, big, nil); st != 400 || e.Code != app.EINVALID {
				t.Errorf("%s %s with %d bytes: %d %+v, want 400", tc.method, tc.path, len(big), st, e)
			}
		}
	})
	t.Run("Timeouts", func(t *testing.T) {
		srv := hub.NewHTTPServer("127.0.0.1:0", http.NotFoundHandler())
		if srv.ReadHeaderTimeout <= 0 || srv.ReadTimeout <= 0 || srv.WriteTimeout <= 0 || srv.IdleTimeout <= 0 {
			t.Errorf("server timeouts: header %v, read %v, write %v, idle %v", srv.ReadHeaderTimeout, srv.ReadTimeout, srv.WriteTimeout, srv.IdleTimeout)
		}
	})
	t.Run("ErrStoredAnswerOfAnotherDevice", func(t *testing.T) {
		ctx := context.Background()
		py := payment.Payee{Comune: "F205", Name: "Comune di Milano", CFEnte: "01199250158", Aux: 3, Code: "01"}
		if err := h.DB.PutPayee(ctx, &py); err != nil {
			t.Fatal(err)
		}
		owner := &pusher{h: h, token: h.Milano, device: "F205-W001"}
		if res := owner.push(t, payment.FactIUVBlock, []byte(`{}`)); !res.Applied {
			t.Fatalf("block: %+v", res)
		}
		// A second counter of the same comune replays the owner's op id.
		thief := &pusher{h: h, token: trustEnrol(t, h.DB, "F205", ""), device: "F205-W002"}
		res := thief.push(t, payment.FactIUVBlock, []byte(`{}`))
		if res.Code != app.EFORBIDDEN || len(res.Data) != 0 || res.Applied {
			t.Errorf("another device's op id: %+v, want forbidden without the stored answer", res)
		}
	})
}

// FuzzSearch sends arbitrary search texts as a counter of F205: the hub
// answers 200 or 400, never fails, and a citizen of another comune comes
// back only for the whole codice fiscale or a text that holds the
// citizen's birth date: never for a prefix.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{"verdi carlo 08/07/1960", "VRDCRL60L08I690W", "bianchi", "x' OR '1'='1", "verd", "1960-07-08 carlo verdi",
		"a b 1/1/2000 2/2/2000", "%", "_", "ÀÉ 08.07.1960 verdi"} {
		f.Add(s)
	}
	h := newTrustHub(f, func(d *hub.Deps) { d.Limits.Reads, d.Limits.ReadEvery = 1<<30, time.Millisecond })
	f.Fuzz(func(t *testing.T, text string) {
		var res wire.SearchResponse
		st, e := h.send(t, http.MethodGet, "/v1/citizens?"+url.Values{"q": {text}}.Encode(), h.Milano, "", &res)
		switch st {
		case 200:
		case 400:
			if e.Code != app.EINVALID || e.Message == "" {
				t.Fatalf("400 with %+v", e)
			}
			return
		default:
			t.Fatalf("q=%q: status %d %+v", text, st, e)
		}
		for _, c := range res.Citizens {
			if c.Comune == "F205" || strings.EqualFold(strings.TrimSpace(text), c.CodiceFiscale) {
				continue
			}
			born, err := time.Parse(time.DateOnly, c.BirthDate)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, l := range []string{"02/01/2006", "2/1/2006", "02-01-2006", "2-1-2006", "02.01.2006", "2006-01-02"} {
				found = found || strings.Contains(text, born.Format(l))
			}
			if !found {
				t.Errorf("q=%q found %s of %s without its exact key", text, c.CodiceFiscale, c.Comune)
			}
		}
	})
}

// TestRolesEveryRoute walks every route of the hub's table (routes.go)
// with a kiosk's, a board's and a counter's token: a role the route does
// not list gets 403 before the handler runs; a role it lists is served
// (whatever the handler then says of the request, never 401 or 403 for its
// role); a public route needs no token.
func TestRolesEveryRoute(t *testing.T) {
	h := newTrustHub(t)
	tokens := map[sqlstore.DeviceRole]string{
		sqlstore.RoleCounter: h.Milano,
		sqlstore.RoleKiosk:   trustEnrol(t, h.DB, "F205", sqlstore.RoleKiosk),
		sqlstore.RoleBoard:   trustEnrol(t, h.DB, "F205", sqlstore.RoleBoard),
	}
	cf := h.People["Bianchi Luca"].CodiceFiscale
	fill := strings.NewReplacer("{cf}", cf, "{id}", "1", "{sha}", strings.Repeat("0", 64))
	routes := hub.RouteRoles()
	if len(routes) < 17 {
		t.Fatalf("%d routes in the table", len(routes))
	}
	query := map[string]string{"/v1/changes": "?scope=F205&after=0", "/v1/snapshot": "?scope=F205", "/v1/anagrafe": "?scope=F205"}
	for pattern, roles := range routes {
		method, path, _ := strings.Cut(pattern, " ")
		path = fill.Replace(path) + query[path]
		body := ""
		if method != http.MethodGet {
			body = "{}"
		}
		if roles == nil {
			req, _ := http.NewRequest(method, h.URL+path, strings.NewReader(body))
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode == 401 || res.StatusCode == 403 {
				t.Errorf("public %s: %s", pattern, res.Status)
			}
			continue
		}
		for role, token := range tokens {
			st, e := h.send(t, method, path, token, body, nil)
			allowed := false
			for _, r := range roles {
				allowed = allowed || r == role
			}
			switch {
			case !allowed && (st != 403 || e.Code != app.EFORBIDDEN):
				t.Errorf("%s as %s: %d %+v, want 403", pattern, role, st, e)
			case allowed && (st == 401 || st == 403):
				t.Errorf("%s as %s: %d %+v, want served", pattern, role, st, e)
			}
		}
		if st, _ := h.send(t, method, path, "", body, nil); st != 401 {
			t.Errorf("%s without a token: %d, want 401", pattern, st)
		}
	}
	// What a kiosk and a board reach, spelled out: the anagrafe, the
	// queue's controls, payments and attachments are the counter's.
	for _, pattern := range []string{"GET /v1/citizens", "POST /v1/queue/call", "GET /v1/payments/positions", "PUT /v1/attachments/{sha}"} {
		if got := routes[pattern]; len(got) != 1 || got[0] != sqlstore.RoleCounter {
			t.Errorf("%s: roles %v, want the counter's alone", pattern, got)
		}
	}
}

// TestDeviceViews: what a kiosk and a board download. A board gets the
// queue and nothing of any person; a kiosk the anagrafe it identifies
// citizens by, never an operator's account or password hash; a counter
// everything. The operation kinds they may push are confined likewise.
func TestDeviceViews(t *testing.T) {
	ctx := context.Background()
	h := newTrustHub(t)
	if err := h.DB.PutOperator(ctx, app.Operator{Username: "mrossi", Name: "Mario Rossi", Comune: "F205",
		Roles: []app.Role{app.RoleOperator}, PasswordHash: "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", Active: true}); err != nil {
		t.Fatal(err)
	}
	if err := h.DB.PutAreas(ctx, "F205", []queue.Area{{Code: "A", Name: "Anagrafe", NameEN: "Registry office", Minutes: 10, Kiosk: true}}); err != nil {
		t.Fatal(err)
	}
	kiosk := trustEnrol(t, h.DB, "F205", sqlstore.RoleKiosk)
	board := trustEnrol(t, h.DB, "F205", sqlstore.RoleBoard)
	type seen struct{ citizens, operators, records, area, clearDocs, checkedDocs int }
	download := func(token string) seen {
		var s seen
		var snap wire.SnapshotResponse
		if st, e := h.get(t, "/v1/snapshot?scope=F205&limit=1000", token, &snap); st != 200 {
			t.Fatalf("snapshot: %d %+v", st, e)
		}
		s.citizens, s.operators, s.records = len(snap.Citizens), len(snap.Operators), len(snap.Records)
		doc := func(c *wire.Citizen) {
			want := ""
			for _, p := range h.People {
				if p.CodiceFiscale == c.CodiceFiscale {
					want = p.DocumentNumber
				}
			}
			switch c.DocumentNumber {
			case want:
				s.clearDocs++
			case kioskapp.DocumentCheck(c.CodiceFiscale, want):
				s.checkedDocs++
			default:
				t.Errorf("document of %s: %q", c.CodiceFiscale, c.DocumentNumber)
			}
		}
		for i := range snap.Citizens {
			doc(&snap.Citizens[i])
		}
		var ch wire.ChangesResponse
		if st, e := h.get(t, "/v1/changes?scope=F205&after=0", token, &ch); st != 200 {
			t.Fatalf("changes: %d %+v", st, e)
		}
		for _, c := range append(ch.Changes, snap.Records...) {
			switch {
			case c.Citizen != nil:
				s.citizens++
				doc(c.Citizen)
			case c.Operator != nil:
				s.operators++
			case c.Kind == queue.KindArea:
				s.area++
			}
		}
		return s
	}
	counterSaw, kioskSaw, boardSaw := download(h.Milano), download(kiosk), download(board)
	if counterSaw.citizens == 0 || counterSaw.operators == 0 || counterSaw.area == 0 {
		t.Errorf("counter: %+v, want the whole comune", counterSaw)
	}
	if kioskSaw.citizens == 0 || kioskSaw.operators != 0 || kioskSaw.area == 0 || kioskSaw.clearDocs != 0 || kioskSaw.checkedDocs != kioskSaw.citizens {
		t.Errorf("kiosk: %+v, want citizens with their documents' checks and areas, no operator", kioskSaw)
	}
	if counterSaw.clearDocs != counterSaw.citizens {
		t.Errorf("counter: %+v, want the documents on file", counterSaw)
	}
	if boardSaw.citizens != 0 || boardSaw.operators != 0 || boardSaw.area == 0 {
		t.Errorf("board: %+v, want the queue's areas alone", boardSaw)
	}

	t.Run("Pushes", func(t *testing.T) {
		for _, tc := range []struct {
			token, device, kind string
			want                string
		}{
			{board, "F205-W004", payment.FactIUVBlock, app.EFORBIDDEN},
			{kiosk, "F205-W003", payment.FactIUVBlock, app.EFORBIDDEN},
			{kiosk, "F205-W003", "cash_closing", app.EFORBIDDEN},
		} {
			p := &pusher{h: h, token: tc.token, device: tc.device}
			if res := p.push(t, tc.kind, []byte(`{}`)); res.Code != tc.want || res.Applied {
				t.Errorf("%s pushes %s: %+v, want %s", tc.device, tc.kind, res, tc.want)
			}
		}
	})
}

// TestPublicRoutesLimited: the routes open without a token answer an
// address a burst and then 429, and hold only so many of its requests in
// progress: a body trickled to /v1/enroll keeps no more than its share.
func TestPublicRoutesLimited(t *testing.T) {
	t.Run("RatePerAddress", func(t *testing.T) {
		h := newTrustHub(t, func(d *hub.Deps) { d.Limits.Public, d.Limits.PublicEvery = 3, time.Hour })
		for i := range 4 {
			res, err := http.Get(h.URL + "/verifica")
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if want := map[bool]int{true: 200, false: 429}[i < 3]; res.StatusCode != want {
				t.Errorf("request %d: %s, want %d", i+1, res.Status, want)
			}
		}
		// A device's routes are not the public bucket's.
		if st, e := h.get(t, "/v1/snapshot?scope=F205", h.Milano, nil); st != 200 {
			t.Errorf("a counter after the public burst: %d %+v", st, e)
		}
	})
	t.Run("InFlightPerAddress", func(t *testing.T) {
		h := newTrustHub(t, func(d *hub.Deps) { d.Limits.PublicInFlight, d.Limits.PublicInFlightAll = 1, 10 })
		pr, pw := io.Pipe()
		defer pw.Close()
		slow := make(chan int, 1)
		go func() {
			req, _ := http.NewRequest(http.MethodPost, h.URL+"/v1/enroll", pr)
			req.ContentLength = -1
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				slow <- 0
				return
			}
			res.Body.Close()
			slow <- res.StatusCode
		}()
		pw.Write([]byte(`{"code":`)) // and nothing more, for now
		var st int
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			res, err := http.Get(h.URL + "/v1/verify?stamp=x")
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if st = res.StatusCode; st == 429 {
				break
			}
		}
		if st != 429 {
			t.Errorf("a second request while one trickles: %d, want 429", st)
		}
		pw.Close()
		if got := <-slow; got != 400 {
			t.Errorf("the trickled enrolment: %d, want 400", got)
		}
		res, err := http.Get(h.URL + "/v1/verify?stamp=x")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode == 429 {
			t.Error("the address is still held after its request ended")
		}
	})
}
