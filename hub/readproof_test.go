package hub_test

// Issue 10: a read of another comune's citizen is the operator's proven
// act. What a holder of a device token, a kiosk's or a board's, another
// comune's operator, or a copied proof tries, against the real hub over
// HTTP on loopback.

import (
	"context"
	"crypto/ed25519"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/hub"
	"github.com/sportello/sportello/hub/sqlstore"
	"github.com/sportello/sportello/sync/wire"
)

// readProof returns the headers of a read of target (path and query) by
// operator for device of comune at at, signed with key, as the counter
// sends them (app.ReadProofMessage, wire.ReadProof).
func readProof(tb testing.TB, key ed25519.PrivateKey, comune, device, operator, purpose, target string, at time.Time) []string {
	tb.Helper()
	u, err := url.Parse(target)
	if err != nil {
		tb.Fatal(err)
	}
	msg := app.ReadProofMessage(comune, device, operator, purpose, http.MethodGet, u.Path, u.Query().Encode(), at)
	p := wire.ReadProof{Operator: operator, Purpose: purpose, At: at, Signature: ed25519.Sign(key, msg)}
	var out []string
	for k, v := range p.Headers() {
		out = append(out, k, v)
	}
	return out
}

// clerk is the front-office operator "mrossi" of F205, made once per hub.
func (h *trustHub) clerk(tb testing.TB) ed25519.PrivateKey {
	tb.Helper()
	if h.clerkKey == nil {
		h.clerkKey = putOperator(tb, h, "F205", "mrossi", "Password-di-Rossi", app.RoleOperator)
	}
	return h.clerkKey
}

// asClerk are the headers of a read of target by the clerk from the first
// counter of F205, now, for the purpose of issuing a certificate.
func (h *trustHub) asClerk(tb testing.TB, target string) []string {
	tb.Helper()
	return readProof(tb, h.clerk(tb), "F205", "F205-W001", "mrossi", app.PurposeCertificate, target, time.Now().UTC())
}

func (h *trustHub) reads(tb testing.TB, cf string) []sqlstore.CitizenRead {
	tb.Helper()
	r, err := h.DB.CitizenReads(context.Background(), cf)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// TestCrossReadProof: another comune's citizen is answered only to a
// request signed now by an active front-office operator of the device's
// comune, for this device, this request and this purpose; every other
// attempt is refused and nothing is recorded as a read. The read proven is
// recorded once, with operator and purpose, in the access export.
func TestCrossReadProof(t *testing.T) {
	h := newTrustHub(t)
	ctx := context.Background()
	carlo, aldo, luca := h.People["Verdi Carlo"], h.People["Verdini Aldo"], h.People["Bianchi Luca"]
	clerk := h.clerk(t)
	other := putOperator(t, h, "I690", "gverdi", "Password-di-Verdi", app.RoleOperator, app.RoleSupervisor)
	back := putOperator(t, h, "F205", "pback", "Password-del-Back", app.RoleBackOffice)
	gone := putOperator(t, h, "F205", "exclerk", "Password-di-Ex", app.RoleOperator)
	if err := h.DB.PutOperator(ctx, app.Operator{Username: "exclerk", Name: "exclerk", Comune: "F205", Roles: []app.Role{app.RoleOperator},
		PasswordHash: "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaA", Active: false}); err != nil {
		t.Fatal(err)
	}
	kiosk := trustEnrol(t, h.DB, "F205", sqlstore.RoleKiosk)
	board := trustEnrol(t, h.DB, "F205", sqlstore.RoleBoard)
	second := trustEnrol(t, h.DB, "F205", "") // F205-W004: after the kiosk and the board
	now := time.Now().UTC()
	file := "/v1/citizens/" + carlo.CodiceFiscale
	search := "/v1/citizens?" + url.Values{"q": {carlo.CodiceFiscale}}.Encode()
	family := "/v1/families/1?cf=" + carlo.CodiceFiscale
	sign := func(key ed25519.PrivateKey, device, operator, purpose, target string, at time.Time) []string {
		return readProof(t, key, "F205", device, operator, purpose, target, at)
	}
	withPurpose := func(h []string, purpose string) []string {
		out := append([]string(nil), h...)
		for i := 0; i+1 < len(out); i += 2 {
			if out[i] == wire.HeaderPurpose {
				out[i+1] = url.PathEscape(purpose)
			}
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		token  string
		target string
		header []string
		status int
	}{
		{"ErrTokenWithoutProof", h.Milano, file, nil, http.StatusForbidden},
		{"ErrFamilyWithoutProof", h.Milano, family, nil, http.StatusForbidden},
		{"ErrUnknownCodeWithoutProof", h.Milano, "/v1/citizens/NREGUO80A01H501X", nil, http.StatusForbidden},
		{"ErrOperatorNameAlone", h.Milano, file, []string{wire.HeaderOperator, "mrossi", wire.HeaderPurpose, "istanza"}, http.StatusBadRequest},
		{"ErrKiosk", kiosk, file, sign(clerk, "F205-W002", "mrossi", app.PurposeCertificate, file, now), http.StatusForbidden},
		{"ErrBoard", board, file, sign(clerk, "F205-W003", "mrossi", app.PurposeCertificate, file, now), http.StatusForbidden},
		{"ErrOperatorOfAnotherComune", h.Milano, file, sign(other, "F205-W001", "gverdi", app.PurposeCertificate, file, now), http.StatusForbidden},
		{"ErrBackOfficeOnly", h.Milano, file, sign(back, "F205-W001", "pback", app.PurposeCertificate, file, now), http.StatusForbidden},
		{"ErrOperatorDeactivated", h.Milano, file, sign(gone, "F205-W001", "exclerk", app.PurposeCertificate, file, now), http.StatusForbidden},
		{"ErrAnotherOperatorsKey", h.Milano, file, sign(back, "F205-W001", "mrossi", app.PurposeCertificate, file, now), http.StatusForbidden},
		{"ErrReplayedWithAnotherPurpose", h.Milano, file, withPurpose(sign(clerk, "F205-W001", "mrossi", app.PurposeCertificate, file, now), app.PurposePayment), http.StatusForbidden},
		{"ErrReplayedOnAnotherPath", h.Milano, "/v1/citizens/" + aldo.CodiceFiscale, sign(clerk, "F205-W001", "mrossi", app.PurposeCertificate, file, now), http.StatusForbidden},
		{"ErrReplayedOnAnotherQuery", h.Milano, "/v1/citizens?q=" + aldo.CodiceFiscale, sign(clerk, "F205-W001", "mrossi", app.PurposeCertificate, search, now), http.StatusForbidden},
		{"ErrReplayedAfterTheWindow", h.Milano, file, sign(clerk, "F205-W001", "mrossi", app.PurposeCertificate, file, now.Add(-app.ReadProofWindow-time.Minute)), http.StatusForbidden},
		{"ErrDatedAhead", h.Milano, file, sign(clerk, "F205-W001", "mrossi", app.PurposeCertificate, file, now.Add(app.ReadProofWindow+time.Minute)), http.StatusForbidden},
		{"ErrSignedForAnotherDevice", second, file, sign(clerk, "F205-W001", "mrossi", app.PurposeCertificate, file, now), http.StatusForbidden},
		{"ErrAnotherComunesDevice", h.Sesto, "/v1/citizens/" + luca.CodiceFiscale, sign(clerk, "F205-W001", "mrossi", app.PurposeCertificate, "/v1/citizens/"+luca.CodiceFiscale, now), http.StatusForbidden},
		{"ErrGarbledProof", h.Milano, file, []string{wire.HeaderOperator, "mrossi", wire.HeaderPurpose, "istanza", wire.HeaderOperatorProof, "ieri firma"}, http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(h.reads(t, carlo.CodiceFiscale)) + len(h.reads(t, aldo.CodiceFiscale)) + len(h.reads(t, luca.CodiceFiscale))
			var res wire.CitizenResponse
			st, e := h.send(t, http.MethodGet, tc.target, tc.token, "", &res, tc.header...)
			if st != tc.status || e.Message == "" || res.Citizen.CodiceFiscale != "" {
				t.Errorf("%d %+v %q, want %d with a message and nothing", st, e, res.Citizen.CodiceFiscale, tc.status)
			}
			after := len(h.reads(t, carlo.CodiceFiscale)) + len(h.reads(t, aldo.CodiceFiscale)) + len(h.reads(t, luca.CodiceFiscale))
			if after != before {
				t.Errorf("a refused read was recorded: %d reads, were %d", after, before)
			}
		})
	}
	t.Run("SearchWithoutProofFindsOnlyItsOwn", func(t *testing.T) {
		got, st, e := h.search(t, h.Milano, carlo.CodiceFiscale)
		if st != 200 || len(got) != 0 || len(h.reads(t, carlo.CodiceFiscale)) != 0 {
			t.Errorf("%d %+v %v, reads %+v: want nothing of another comune, nothing recorded", st, e, got, h.reads(t, carlo.CodiceFiscale))
		}
	})
	t.Run("ProvenReadRecordedOnce", func(t *testing.T) {
		var res wire.CitizenResponse
		if st, e := h.send(t, http.MethodGet, file, h.Milano, "", &res, sign(clerk, "F205-W001", "mrossi", app.PurposeIdentity, file, time.Now().UTC())...); st != 200 {
			t.Fatalf("%d %+v", st, e)
		}
		if res.Citizen.CodiceFiscale != carlo.CodiceFiscale {
			t.Fatalf("answered %+v", res.Citizen)
		}
		list, err := h.DB.Accesses(ctx, "I690", carlo.CodiceFiscale)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 {
			t.Fatalf("accesses %+v, want exactly one", list)
		}
		a := list[0]
		if a.Operator != "mrossi" || a.Purpose != app.PurposeIdentity || a.Device != "F205-W001" || a.DeviceComune != "F205" ||
			a.Action != sqlstore.ActionHubRead || a.At.IsZero() {
			t.Errorf("access recorded as %+v", a)
		}
	})
	t.Run("ProvenSearchAndFamily", func(t *testing.T) {
		got, st, e := h.search(t, h.Milano, carlo.CodiceFiscale, h.asClerk(t, search)...)
		if st != 200 || len(got) != 1 {
			t.Fatalf("search %d %+v %v", st, e, got)
		}
		var fam wire.FamilyResponse
		if st, e := h.send(t, http.MethodGet, family, h.Milano, "", &fam, h.asClerk(t, family)...); st != 200 || len(fam.Members) != 1 {
			t.Fatalf("family %d %+v %+v", st, e, fam)
		}
		if n := len(h.reads(t, carlo.CodiceFiscale)); n != 3 {
			t.Errorf("reads of %s: %d, want 3 (file, search, family: once each)", carlo.CodiceFiscale, n)
		}
	})
	t.Run("OwnComuneFreeAndRecordedWithProof", func(t *testing.T) {
		own := "/v1/citizens/" + luca.CodiceFiscale
		if st, e := h.get(t, own, h.Milano, nil); st != 200 {
			t.Fatalf("own citizen without proof: %d %+v", st, e)
		}
		if n := len(h.reads(t, luca.CodiceFiscale)); n != 0 {
			t.Fatalf("own citizen without proof recorded %d times", n)
		}
		if st, e := h.send(t, http.MethodGet, own, h.Milano, "", nil, h.asClerk(t, own)...); st != 200 {
			t.Fatalf("own citizen with proof: %d %+v", st, e)
		}
		r := h.reads(t, luca.CodiceFiscale)
		if len(r) != 1 || r[0].Operator != "mrossi" || r[0].Purpose != app.PurposeCertificate {
			t.Errorf("own citizen with proof recorded as %+v", r)
		}
	})
}

// TestOperatorReadLimit: each operator reads at most hub.OperatorReads
// citizens of other comuni a minute, whichever devices of the comune they
// use; one operator's exhaustion leaves another operator of the same
// device free.
func TestOperatorReadLimit(t *testing.T) {
	h := newTrustHub(t, func(d *hub.Deps) { d.Limits.Reads, d.Limits.ReadEvery = 1000, time.Millisecond })
	carlo := h.People["Verdi Carlo"]
	clerk := h.clerk(t)
	colleague := putOperator(t, h, "F205", "lbianchi", "Password-di-Bianchi", app.RoleOperator)
	second := trustEnrol(t, h.DB, "F205", "")
	file := "/v1/citizens/" + carlo.CodiceFiscale
	read := func(token, device, operator string, key ed25519.PrivateKey) (int, wire.Error) {
		return h.send(t, http.MethodGet, file, token, "", nil,
			readProof(t, key, "F205", device, operator, app.PurposeRequest, file, time.Now().UTC())...)
	}
	for i := range hub.OperatorReads {
		token, device := h.Milano, "F205-W001"
		if i%2 == 1 {
			token, device = second, "F205-W002"
		}
		if st, e := read(token, device, "mrossi", clerk); st != 200 {
			t.Fatalf("read %d: %d %+v", i+1, st, e)
		}
	}
	before := len(h.reads(t, carlo.CodiceFiscale))
	for _, dev := range []struct{ token, id string }{{h.Milano, "F205-W001"}, {second, "F205-W002"}} {
		st, e := read(dev.token, dev.id, "mrossi", clerk)
		if st != http.StatusTooManyRequests || e.Code != app.ETOOMANY || e.Message == "" {
			t.Errorf("read past the operator's budget from %s: %d %+v, want 429 too_many", dev.id, st, e)
		}
	}
	if n := len(h.reads(t, carlo.CodiceFiscale)); n != before {
		t.Errorf("refused reads recorded: %d, were %d", n, before)
	}
	if st, e := read(second, "F205-W002", "lbianchi", colleague); st != 200 {
		t.Errorf("another operator of the same device: %d %+v, want 200", st, e)
	}
}
