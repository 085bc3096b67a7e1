package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
)

// built returns a build function for IssueCertificate that issues a
// residence certificate of p on the given sequence.
func built(t *testing.T, device string, year int, p app.Citizen, issued time.Time) func(seq int64) (*certificate.Issued, error) {
	return func(seq int64) (*certificate.Issued, error) {
		n, err := certificate.NewNumber(device, year, seq)
		if err != nil {
			return nil, err
		}
		file := &app.CitizenFile{Citizen: p, ComuneName: "MILANO", AsOf: issued.Add(-time.Hour), DataSeq: 41}
		c, err := certificate.New(mustType(t, certificate.SlugResidenza), file, nil, certificate.Request{
			Number: n, Use: "uso privato", Bollo: certificate.Bollo{Marca: "01234567890123"}, IssuedAt: issued, Operator: "mrossi"})
		if err != nil {
			return nil, err
		}
		return &certificate.Issued{Certificate: *c, Stamp: "https://hub.example/verifica?c=SPT1.x", DataSeq: 41}, nil
	}
}

func mustType(t *testing.T, slug string) certificate.Type {
	t.Helper()
	ty, err := certificate.TypeBySlug(slug)
	if err != nil {
		t.Fatal(err)
	}
	return ty
}

func TestIssueCertificate(t *testing.T) {
	ctx := context.Background()
	issued := time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
	p := fixtures()[0]

	t.Run("NumbersOutboxAudit", func(t *testing.T) {
		s := MustOpen(t)
		enrol(t, s, "F205-W001")
		for range 3 {
			if err := s.IssueCertificate(ctx, 2026, "mrossi", built(t, "F205-W001", 2026, p, issued)); err != nil {
				t.Fatal(err)
			}
		}
		list, err := s.Certificates(ctx, p.CodiceFiscale)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 3 || list[0].Certificate.Number.String() != "F205-W001-2026-000003" || list[2].Certificate.Number.Seq != 1 {
			t.Fatalf("certificates = %v, want numbers 3, 2, 1", numbers(list))
		}
		if got := list[0]; got.Synced || got.DataSeq != 41 || got.Certificate.Type.Slug != certificate.SlugResidenza || got.Certificate.Person.Surname != p.Surname {
			t.Fatalf("stored certificate reads back as %+v", got)
		}
		ops, err := s.NextOps(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		var certOps, audits int
		for _, op := range ops {
			switch op.Kind {
			case app.OpCertificate:
				certOps++
				if op.Certificate == nil || op.Certificate.CodiceFiscale != p.CodiceFiscale || op.Certificate.DataSeq != 41 || op.Certificate.Stamp == "" {
					t.Fatalf("certificate operation carries %+v", op.Certificate)
				}
			case app.OpAudit:
				audits++
				if op.Audit.Action != certificate.AuditIssue {
					t.Fatalf("audit action %q", op.Audit.Action)
				}
			}
		}
		if certOps != 3 || audits != 3 {
			t.Fatalf("outbox: %d certificate and %d audit operations, want 3 and 3", certOps, audits)
		}
	})

	t.Run("FailedBuildStoresNothing", func(t *testing.T) {
		s := MustOpen(t)
		enrol(t, s, "F205-W001")
		boom := errors.New("printer font lacks a character")
		err := s.IssueCertificate(ctx, 2026, "mrossi", func(int64) (*certificate.Issued, error) { return nil, boom })
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v", err)
		}
		for _, table := range []string{"certificates", "outbox", "audit"} {
			if n := count(t, s, table); n != 0 {
				t.Errorf("%s has %d rows after a failed issue", table, n)
			}
		}
		// The number was not used up.
		if err := s.IssueCertificate(ctx, 2026, "mrossi", built(t, "F205-W001", 2026, p, issued)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Certificate(ctx, "F205-W001-2026-000001"); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("ErrWrongNumber", func(t *testing.T) {
		s := MustOpen(t)
		enrol(t, s, "F205-W001")
		build := built(t, "F205-W001", 2026, p, issued)
		err := s.IssueCertificate(ctx, 2026, "mrossi", func(int64) (*certificate.Issued, error) { return build(7) })
		if err == nil || count(t, s, "certificates") != 0 {
			t.Fatalf("a certificate numbered out of sequence was stored (err %v)", err)
		}
	})

	t.Run("FlagFromTheHub", func(t *testing.T) {
		s := MustOpen(t)
		enrol(t, s, "F205-W001")
		if err := s.IssueCertificate(ctx, 2026, "mrossi", built(t, "F205-W001", 2026, p, issued)); err != nil {
			t.Fatal(err)
		}
		ops, _ := s.NextOps(ctx, 0)
		for _, op := range ops {
			res := app.OpResult{ID: op.ID, Applied: true}
			if op.Kind == app.OpCertificate {
				res.Flag = "dati cambiati"
			}
			if err := s.MarkOp(ctx, op.ID, res, issued); err != nil {
				t.Fatal(err)
			}
		}
		flagged, err := s.Flagged(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(flagged) != 1 || flagged[0].Flag != "dati cambiati" || !flagged[0].Synced {
			t.Fatalf("flagged = %+v", flagged)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		s := MustOpen(t)
		if _, err := s.Certificate(ctx, "F205-W001-2026-000001"); app.ErrorCode(err) != app.ENOTFOUND {
			t.Fatalf("err = %v", err)
		}
	})
}

func numbers(list []certificate.Issued) []string {
	var out []string
	for _, is := range list {
		out = append(out, is.Certificate.Number.String())
	}
	return out
}

func TestSettings(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	if v, err := s.Setting(ctx, "printer"); err != nil || v != "" {
		t.Fatalf("unset setting = %q, %v", v, err)
	}
	for _, v := range []string{"PDF", "Ufficio"} {
		if err := s.SetSetting(ctx, "printer", v); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Setting(ctx, "printer"); got != v {
			t.Fatalf("setting = %q, want %q", got, v)
		}
	}
}
