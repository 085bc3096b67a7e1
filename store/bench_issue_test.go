package store_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/signintech/gopdf"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/assets"
	"github.com/sportello/sportello/internal/sqlitedb"
	"github.com/sportello/sportello/passwd"
	"github.com/sportello/sportello/printing"
	"github.com/sportello/sportello/store"
)

// BenchmarkIssueCertificate times what the operator waits for when issuing
// a certificate on a large cache (SPORTELLO_BENCH_N, 1.4 million for
// Milano): open the citizen file (lookup, family, audit event), check,
// number, sign and lay the certificate out, and commit it with its outbox
// operation and audit event, fsynced. Beside it, the floor on the same
// file and text: the bare SQLite lookup of the person and a bare gopdf page
// with the certified text and the QR code. The benchmark uses printing's
// real layout: the store's own cost is small beside it, and the sum is what
// the counter feels.
func BenchmarkIssueCertificate(b *testing.B) {
	ctx := context.Background()
	n := benchN(b)
	src := benchPath(b, n)
	// A copy: issuing writes certificates, the shared file stays as built.
	path := filepath.Join(b.TempDir(), "cache.db")
	if err := copyFile(src, path); err != nil {
		b.Fatal(err)
	}
	s, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	p := benchProfile(b)
	if err := s.SaveProfile(ctx, p); err != nil {
		b.Fatal(err)
	}
	family := fixtures()[:3] // Rossi Mario, Marta, Luca: valid codici fiscali
	if err := s.PutCitizens(ctx, family); err != nil {
		b.Fatal(err)
	}
	// As synced: the cache's data has a time and a change-log position.
	if err := s.ApplyChanges(ctx, "F205", nil, app.Cursor{Scope: "F205", Seq: 1, AsOf: time.Now().Add(-time.Minute)}); err != nil {
		b.Fatal(err)
	}
	cs := &app.CounterService{Local: s, Verify: passwd.Verify, Comune: "F205", Now: time.Now}
	svc := &certificate.Service{Store: s, Profile: s.Profile, Index: cs.Index, Now: time.Now,
		Render: func(c *certificate.Certificate, stamp string, fees certificate.ComuneFees) ([]byte, error) {
			return printing.CertificatePDF(c, printing.Options{Stamp: stamp, Fees: fees})
		}}
	op := &app.Operator{Username: "mrossi"}
	who := family[0].CodiceFiscale
	req := certificate.IssueRequest{Type: certificate.SlugStatoDiFamiglia, Use: "uso privato", Marca: "01234567890123"}
	var last *certificate.Issued

	b.Run("Issue", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			file, err := cs.OpenFile(ctx, op, who)
			if err != nil {
				b.Fatal(err)
			}
			is, pdf, err := svc.Issue(ctx, op, file, req)
			if err != nil {
				b.Fatal(err)
			}
			if len(pdf) == 0 {
				b.Fatal("no PDF")
			}
			last = is
		}
	})
	if last == nil {
		b.Skip("no certificate issued")
	}
	text := last.Certificate.CertifiedText()
	raw, err := sqlitedb.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	b.Run("BareSQLiteAndGopdf", func(b *testing.B) {
		st, err := raw.PrepareContext(ctx, `SELECT codice_fiscale, surname, given_name, birth_date, comune, status FROM citizens WHERE codice_fiscale = ?`)
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		b.ReportAllocs()
		for b.Loop() {
			if rows, err := bareQuery(ctx, st, []any{who}); err != nil || len(rows) != 1 {
				b.Fatal(err)
			}
			if err := barePage(text, last.Stamp); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// barePage is one gopdf page with the text and the QR code, no layout.
func barePage(text, stamp string) error {
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4})
	pdf.AddPage()
	if err := pdf.AddTTFFontData("tw", assets.TitilliumRegular); err != nil {
		return err
	}
	if err := pdf.SetFont("tw", "", 10); err != nil {
		return err
	}
	y := 60.0
	for _, line := range bytes.Split([]byte(text), []byte("\n")) {
		pdf.SetXY(50, y)
		if err := pdf.Text(string(line)); err != nil {
			return err
		}
		y += 14
	}
	png, err := qrcode.Encode(stamp, qrcode.Medium, 400)
	if err != nil {
		return err
	}
	img, err := gopdf.ImageHolderByBytes(png)
	if err != nil {
		return err
	}
	if err := pdf.ImageByHolder(img, 400, 650, &gopdf.Rect{W: 113, H: 113}); err != nil {
		return err
	}
	_, err = pdf.WriteTo(io.Discard)
	return err
}

// benchProfile is an enrolled workstation of F205 with a real key chain.
func benchProfile(tb testing.TB) *app.Profile {
	_, root, _ := ed25519.GenerateKey(rand.Reader)
	comPub, com, _ := ed25519.GenerateKey(rand.Reader)
	devPub, dev, _ := ed25519.GenerateKey(rand.Reader)
	since := time.Now().Add(-time.Hour)
	return &app.Profile{Device: "F205-W001", Comune: "F205", ComuneName: "MILANO", HubURL: "https://hub.example.it",
		Token: "t", PrivateKey: dev, PublicKey: devPub, RootKey: root.Public().(ed25519.PublicKey), EnrolledAt: since,
		DeviceCert: app.SignKeyCert(com, app.ComuneSubject("F205"), app.DeviceSubject("F205-W001"), devPub, since),
		ComuneCert: app.SignKeyCert(root, app.IssuerRoot, app.ComuneSubject("F205"), comPub, since)}
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
