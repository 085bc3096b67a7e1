package store_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/internal/anprdir"
)

func TestProfile(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	if _, err := s.Profile(ctx); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("before enrolment: %v, want ENOTFOUND", err)
	}
	enrol(t, s, "F205-W001")
	p, err := s.Profile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := &app.Profile{Device: "F205-W001", Comune: "F205", ComuneName: "MILANO", HubURL: "https://hub.example",
		Token: "secret", PrivateKey: []byte{1, 2}, PublicKey: []byte{3}, Cert: []byte{4}, RootKey: []byte{5}, EnrolledAt: t0}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("got  %+v\nwant %+v", p, want)
	}
	if err := s.SaveProfile(ctx, &app.Profile{Comune: "F205"}); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("profile without device: %v, want EINVALID", err)
	}
}

func TestCursor(t *testing.T) {
	s := MustOpen(t)
	cur, err := s.Cursor(context.Background(), "F205")
	if err != nil || cur != (app.Cursor{Scope: "F205"}) {
		t.Errorf("cursor = %+v, %v; want the zero cursor of F205", cur, err)
	}
}

func citizenChange(seq int64, c app.Citizen) app.Change {
	return app.Change{Scope: "F205", Seq: seq, Kind: app.ChangeCitizen, Key: c.CodiceFiscale, At: t0, Citizen: &c}
}

func TestApplyChanges(t *testing.T) {
	ctx := context.Background()
	pub, priv, _ := ed25519.GenerateKey(nil)
	cert := app.SignKeyCert(priv, app.ComuneSubject("F205"), app.DeviceSubject("F205-W002"), pub, t0)
	op := &app.Operator{Username: "mrossi", Name: "Mario Rossi", Comune: "F205", Roles: []app.Role{app.RoleOperator},
		PasswordHash: "$argon2id$v=19$m=65536,t=3,p=2$c2FsdA$aGFzaA", Active: true, UpdatedAt: t0}
	refs := anpr.Defaults()
	refs.Comuni = refs.Comuni[:3]
	page := []app.Change{
		citizenChange(1, rossiMario85),
		citizenChange(2, rossiMarta),
		{Scope: "F205", Seq: 3, Kind: app.ChangeOperator, Key: "mrossi", Operator: op},
		{Scope: "F205", Seq: 4, Kind: app.ChangeReference, Key: "anpr", Reference: refs},
		{Scope: "F205", Seq: 5, Kind: app.ChangeDevice, Key: "F205-W002", Device: &app.DeviceKey{Device: "F205-W002", Comune: "F205", Cert: cert}},
	}
	to := app.Cursor{Scope: "F205", Seq: 5, AsOf: t0}

	t.Run("AppliesAndIsIdempotent", func(t *testing.T) {
		s := MustOpen(t)
		for range 2 {
			if err := s.ApplyChanges(ctx, "F205", page, to); err != nil {
				t.Fatal(err)
			}
		}
		if n, _ := s.CountCitizens(ctx); n != 2 {
			t.Errorf("%d citizens, want 2", n)
		}
		if cur, _ := s.Cursor(ctx, "F205"); cur != to {
			t.Errorf("cursor = %+v, want %+v", cur, to)
		}
		got, err := s.Operator(ctx, "mrossi")
		if err != nil || !reflect.DeepEqual(got, op) {
			t.Errorf("operator = %+v, %v", got, err)
		}
		r, err := s.Reference(ctx)
		if err != nil || len(r.Comuni) != 3 {
			t.Errorf("reference: %v comuni, %v", len(r.Comuni), err)
		}
		dk, err := s.DeviceKey(ctx, "F205-W002")
		if err != nil {
			t.Fatal(err)
		}
		if err := dk.Cert.Verify(priv.Public().(ed25519.PublicKey)); err != nil {
			t.Errorf("stored device certificate does not verify: %v", err)
		}
	})

	t.Run("SkipsChangesAtOrBelowCursor", func(t *testing.T) {
		s := MustOpen(t)
		if err := s.ApplyChanges(ctx, "F205", page, to); err != nil {
			t.Fatal(err)
		}
		// A stale copy of change 2 arrives again with change 6: only 6 counts.
		stale := rossiMarta
		stale.Address.Street = "Via Vecchia"
		married := rossiMario85
		married.CivilStatus = app.CivilStatusMarried
		next := []app.Change{citizenChange(2, stale), citizenChange(6, married)}
		if err := s.ApplyChanges(ctx, "F205", next, app.Cursor{Scope: "F205", Seq: 6, AsOf: t0.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if c, _ := s.Citizen(ctx, rossiMarta.CodiceFiscale); c.Address.Street != rossiMarta.Address.Street {
			t.Errorf("stale change applied: street %q", c.Address.Street)
		}
		if c, _ := s.Citizen(ctx, rossiMario85.CodiceFiscale); c.CivilStatus != app.CivilStatusMarried {
			t.Errorf("change 6 not applied")
		}
		if cur, _ := s.Cursor(ctx, "F205"); cur.Seq != 6 || !cur.AsOf.Equal(t0.Add(time.Hour)) {
			t.Errorf("cursor = %+v", cur)
		}
	})

	t.Run("Deletes", func(t *testing.T) {
		s := MustOpen(t)
		if err := s.ApplyChanges(ctx, "F205", page, to); err != nil {
			t.Fatal(err)
		}
		del := []app.Change{
			{Scope: "F205", Seq: 6, Kind: app.ChangeCitizen, Key: rossiMarta.CodiceFiscale, Deleted: true},
			{Scope: "F205", Seq: 7, Kind: app.ChangeOperator, Key: "mrossi", Deleted: true},
			{Scope: "F205", Seq: 8, Kind: app.ChangeReference, Key: "anpr", Deleted: true},
		}
		if err := s.ApplyChanges(ctx, "F205", del, app.Cursor{Seq: 8, AsOf: t0}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Citizen(ctx, rossiMarta.CodiceFiscale); app.ErrorCode(err) != app.ENOTFOUND {
			t.Errorf("deleted citizen: %v", err)
		}
		if _, err := s.Operator(ctx, "mrossi"); app.ErrorCode(err) != app.ENOTFOUND {
			t.Errorf("deleted operator: %v", err)
		}
		if r, _ := s.Reference(ctx); len(r.Comuni) != len(anprdir.BuiltIn().Comuni) {
			t.Errorf("deleted reference: %d comuni, want the built-in %d", len(r.Comuni), len(anprdir.BuiltIn().Comuni))
		}
	})

	bad := rossiLuca
	bad.BirthDate = app.Date(2012, 1, 10) // disagrees with the codice fiscale
	for _, tc := range []struct {
		name    string
		changes []app.Change
		to      app.Cursor
		mention string
	}{
		{"ErrInvalidCitizen", []app.Change{citizenChange(1, rossiMario85), citizenChange(2, bad)}, app.Cursor{Seq: 2}, bad.CodiceFiscale},
		{"ErrKeyMismatch", []app.Change{citizenChange(1, rossiMario85), {Scope: "F205", Seq: 2, Kind: app.ChangeCitizen, Key: "RSSMRT83L61F205X", Citizen: &rossiLuca}}, app.Cursor{Seq: 2}, "RSSMRT83L61F205X"},
		{"ErrMissingPayload", []app.Change{citizenChange(1, rossiMario85), {Scope: "F205", Seq: 2, Kind: app.ChangeOperator, Key: "x"}}, app.Cursor{Seq: 2}, "operatore x"},
		{"ErrUnknownKind", []app.Change{citizenChange(1, rossiMario85), {Scope: "F205", Seq: 2, Kind: "fine", Key: "x"}}, app.Cursor{Seq: 2}, "fine"},
		{"ErrOtherScope", []app.Change{citizenChange(1, rossiMario85), {Scope: "H501", Seq: 2, Kind: app.ChangeCitizen, Key: deLucaMario.CodiceFiscale, Citizen: &deLucaMario}}, app.Cursor{Seq: 2}, "H501"},
		{"ErrChangeBeyondPage", []app.Change{citizenChange(1, rossiMario85), citizenChange(3, rossiLuca)}, app.Cursor{Seq: 2}, "oltre"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := MustOpen(t)
			err := s.ApplyChanges(ctx, "F205", tc.changes, tc.to)
			if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), tc.mention) {
				t.Errorf("err = %v, want EINVALID mentioning %q", err, tc.mention)
			}
			if n, _ := s.CountCitizens(ctx); n != 0 {
				t.Errorf("%d citizens applied from a refused page", n)
			}
			if cur, _ := s.Cursor(ctx, "F205"); cur.Seq != 0 {
				t.Errorf("cursor moved to %d", cur.Seq)
			}
		})
	}
}

func TestSnapshot(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cache.db")
	s := mustOpenAt(t, path)
	// Before the download: a citizen the hub no longer has, and one of
	// another comune, which a download of F205 must not touch.
	gone := rossiniMario
	other := deLucaMario
	other.Comune = "H501"
	if err := s.PutCitizens(ctx, []app.Citizen{gone, other, rossiMario85}); err != nil {
		t.Fatal(err)
	}
	if st, err := s.Snapshot(ctx, "F205"); st != nil || err != nil {
		t.Fatalf("snapshot before any: %+v, %v", st, err)
	}

	started := t0
	st := app.SnapshotState{Scope: "F205", Seq: 40, After: rossiMario85.CodiceFiscale, Done: 2, Total: 4, Started: started}
	if err := s.PutSnapshotPage(ctx, st, []app.Citizen{rossiMario85, rossiMarta}, nil, nil); err != nil {
		t.Fatal(err)
	}

	// The workstation is switched off here; the download resumes.
	s.Close()
	s = mustOpenAt(t, path)
	got, err := s.Snapshot(ctx, "F205")
	if err != nil {
		t.Fatal(err)
	}
	if got == nil || *got != st {
		t.Fatalf("resumed snapshot = %+v, want %+v", got, st)
	}

	t.Run("ErrInvalidPage", func(t *testing.T) {
		bad := rossiLuca
		bad.Comune = ""
		next := st
		next.After, next.Done = rossiGiulia.CodiceFiscale, 4
		if err := s.PutSnapshotPage(ctx, next, []app.Citizen{rossiGiulia, bad}, nil, nil); app.ErrorCode(err) != app.EINVALID {
			t.Fatalf("err = %v, want EINVALID", err)
		}
		if cur, _ := s.Snapshot(ctx, "F205"); *cur != st {
			t.Errorf("state moved to %+v by a refused page", cur)
		}
		if _, err := s.Citizen(ctx, rossiGiulia.CodiceFiscale); app.ErrorCode(err) != app.ENOTFOUND {
			t.Errorf("a citizen of a refused page was written")
		}
	})

	st.After, st.Done = rossiLuca.CodiceFiscale, 4
	if err := s.PutSnapshotPage(ctx, st, []app.Citizen{rossiGiulia, rossiLuca}, nil, nil); err != nil {
		t.Fatal(err)
	}
	asOf := t0.Add(10 * time.Minute)
	if err := s.FinishSnapshot(ctx, st, asOf); err != nil {
		t.Fatal(err)
	}

	if _, err := s.Citizen(ctx, gone.CodiceFiscale); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("citizen not in the snapshot survived: %v", err)
	}
	if _, err := s.Citizen(ctx, other.CodiceFiscale); err != nil {
		t.Errorf("citizen of another comune deleted: %v", err)
	}
	if n, _ := s.CountCitizens(ctx); n != 5 {
		t.Errorf("%d citizens, want the 4 of the snapshot and the one of H501", n)
	}
	if cur, _ := s.Cursor(ctx, "F205"); cur != (app.Cursor{Scope: "F205", Seq: 40, AsOf: asOf}) {
		t.Errorf("cursor = %+v", cur)
	}
	if got, _ := s.Snapshot(ctx, "F205"); got != nil {
		t.Errorf("snapshot state left: %+v", got)
	}

	t.Run("NextSnapshotDropsRowsOfTheChangeLog", func(t *testing.T) {
		// A citizen arrived by the change log, then a resnapshot that no
		// longer has it nor Giulia.
		if err := s.ApplyChanges(ctx, "F205", []app.Change{citizenChange(41, bianchiNicolo)}, app.Cursor{Seq: 41, AsOf: asOf}); err != nil {
			t.Fatal(err)
		}
		st2 := app.SnapshotState{Scope: "F205", Seq: 90, Started: asOf}
		if err := s.PutSnapshotPage(ctx, st2, []app.Citizen{rossiMario85, rossiMarta, rossiLuca}, nil, nil); err != nil {
			t.Fatal(err)
		}
		if err := s.FinishSnapshot(ctx, st2, asOf); err != nil {
			t.Fatal(err)
		}
		for _, c := range []app.Citizen{bianchiNicolo, rossiGiulia} {
			if _, err := s.Citizen(ctx, c.CodiceFiscale); app.ErrorCode(err) != app.ENOTFOUND {
				t.Errorf("%s survived the resnapshot", c.FullName())
			}
		}
		if n, _ := s.CountCitizens(ctx); n != 4 {
			t.Errorf("%d citizens, want 4", n)
		}
	})
}

func TestReference(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	asJSON := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	got, err := s.Reference(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if asJSON(got) != asJSON(anprdir.BuiltIn()) {
		t.Error("an empty cache does not give the built-in tables")
	}
	mine := anpr.Defaults()
	mine.States = mine.States[:1]
	if err := s.SaveReference(ctx, mine); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Reference(ctx); asJSON(got) != asJSON(mine) {
		t.Error("saved tables not returned")
	}
}

func TestLogin(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	op := &app.Operator{Username: "mrossi", Name: "Mario Rossi", Comune: "F205", Roles: []app.Role{app.RoleOperator},
		PasswordHash: "right", Active: true, UpdatedAt: t0}
	if err := s.ApplyChanges(ctx, "F205", []app.Change{{Seq: 1, Kind: app.ChangeOperator, Key: op.Username, Operator: op}}, app.Cursor{Seq: 1}); err != nil {
		t.Fatal(err)
	}
	verify := func(hash, password string) bool { return hash == password }

	t.Run("FailuresCountedAndReset", func(t *testing.T) {
		if n, last, err := s.LoginFailures(ctx, "mrossi"); n != 0 || !last.IsZero() || err != nil {
			t.Fatalf("before any: %d, %v, %v", n, last, err)
		}
		s.RecordLogin(ctx, "mrossi", false, t0)
		s.RecordLogin(ctx, "mrossi", false, t0.Add(time.Minute))
		if n, last, _ := s.LoginFailures(ctx, "mrossi"); n != 2 || !last.Equal(t0.Add(time.Minute)) {
			t.Errorf("after two failures: %d, last %v", n, last)
		}
		s.RecordLogin(ctx, "mrossi", true, t0.Add(2*time.Minute))
		if n, _, _ := s.LoginFailures(ctx, "mrossi"); n != 0 {
			t.Errorf("after a good login: %d failures", n)
		}
	})

	t.Run("LockoutThroughTheDomain", func(t *testing.T) {
		now := t0.Add(time.Hour)
		for i := range app.MaxLoginFailures {
			if _, err := app.Login(ctx, s, verify, "F205", "mrossi", "wrong", now.Add(time.Duration(i)*time.Second)); app.ErrorCode(err) != app.EUNAUTHORIZED {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		if _, err := app.Login(ctx, s, verify, "F205", "mrossi", "right", now.Add(time.Minute)); app.ErrorCode(err) != app.ELOCKED {
			t.Errorf("right password while locked: %v, want ELOCKED", err)
		}
		got, err := app.Login(ctx, s, verify, "F205", "mrossi", "right", now.Add(app.LockoutDuration+time.Minute))
		if err != nil || got.Username != "mrossi" {
			t.Errorf("after the lockout: %v, %v", got, err)
		}
	})

	t.Run("ErrUnknownOperator", func(t *testing.T) {
		if _, err := s.Operator(ctx, "nobody"); app.ErrorCode(err) != app.ENOTFOUND {
			t.Errorf("err = %v, want ENOTFOUND", err)
		}
	})
}
