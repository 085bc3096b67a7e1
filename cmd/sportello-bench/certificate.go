package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"path/filepath"
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

// certificateRounds is how many certificates each side issues.
const certificateRounds = 40

// measureCertificate times what the operator waits for when issuing a
// stato di famiglia on the synced cache: open the citizen's file, check,
// number, sign, lay out the PDF and commit it with its outbox operation
// and audit event. Beside it, the bare floor: the person's row read by
// its key, a gopdf page with the same text and QR code, and one row
// inserted and committed on a file with the cache's settings.
func measureCertificate(ctx context.Context, cfg *config, st *store.Store, path string, res *Result) error {
	cs := &app.CounterService{Local: st, Verify: passwd.Verify, Comune: comune, Now: time.Now}
	svc := &certificate.Service{Store: st, Profile: st.Profile, Index: cs.Index, Now: time.Now,
		Render: func(c *certificate.Certificate, stamp string, fees certificate.ComuneFees) ([]byte, error) {
			return printing.CertificatePDF(c, printing.Options{Stamp: stamp, Fees: fees})
		}}
	op := &app.Operator{Username: "demo", Name: "Operatore dimostrativo", Comune: comune, Roles: []app.Role{app.RoleOperator}, Active: true}
	req := certificate.IssueRequest{Type: certificate.SlugStatoDiFamiglia, Use: "uso privato", Marca: "01234567890123"}
	who, err := certifiable(ctx, cs, svc, op, req, path)
	if err != nil {
		return err
	}
	var mine []time.Duration
	var last *certificate.Issued
	for range certificateRounds {
		start := time.Now()
		file, err := cs.OpenFile(ctx, op, who)
		if err != nil {
			return err
		}
		is, pdf, err := svc.Issue(ctx, op, file, req)
		if err != nil {
			return err
		}
		if len(pdf) == 0 {
			return errors.New("no PDF")
		}
		mine = append(mine, time.Since(start))
		last = is
	}
	bare, err := bareCertificates(ctx, cfg, path, who, last.Certificate.CertifiedText(), last.Stamp)
	if err != nil {
		return fmt.Errorf("bare certificate: %w", err)
	}
	res.CertificateMedianMs = ms(quantile(mine, 0.5))
	res.CertificateBareMedianMs = ms(quantile(bare, 0.5))
	return nil
}

// certifiable finds a resident whose stato di famiglia can be issued.
func certifiable(ctx context.Context, cs *app.CounterService, svc *certificate.Service, op *app.Operator, req certificate.IssueRequest, path string) (string, error) {
	raw, err := sqlitedb.OpenReadOnly(path)
	if err != nil {
		return "", err
	}
	defer raw.Close()
	rows, err := raw.QueryContext(ctx, `SELECT codice_fiscale FROM citizens WHERE comune = ? AND status = ? LIMIT 50`, comune, string(app.StatusResident))
	if err != nil {
		return "", err
	}
	var codes []string
	for rows.Next() {
		var c string
		if rows.Scan(&c) == nil {
			codes = append(codes, c)
		}
	}
	rows.Close()
	var last error
	for _, c := range codes {
		file, err := cs.OpenFile(ctx, op, c)
		if err == nil {
			_, _, err = svc.Issue(ctx, op, file, req)
		}
		if err == nil {
			return c, nil
		}
		last = err
	}
	return "", fmt.Errorf("no resident of %d tried can have a stato di famiglia: %v", len(codes), last)
}

// bareCertificates is the floor of one certificate, timed as many times.
func bareCertificates(ctx context.Context, cfg *config, path, who, text, stamp string) ([]time.Duration, error) {
	raw, err := sqlitedb.OpenReadOnly(path)
	if err != nil {
		return nil, err
	}
	defer raw.Close()
	lookup, err := raw.PrepareContext(ctx, bareCols+`WHERE codice_fiscale = ?`)
	if err != nil {
		return nil, err
	}
	defer lookup.Close()
	dst, err := sqlitedb.Open(filepath.Join(cfg.work, "bare-certificates.db"))
	if err != nil {
		return nil, err
	}
	defer dst.Close()
	if _, err := dst.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS issued (id INTEGER PRIMARY KEY, cf TEXT, pdf BLOB)`); err != nil {
		return nil, err
	}
	var out []time.Duration
	for range certificateRounds {
		start := time.Now()
		if err := bareRows(ctx, lookup, []any{who}); err != nil {
			return nil, err
		}
		pdf, err := barePage(text, stamp)
		if err != nil {
			return nil, err
		}
		if err := bareInsertOne(ctx, dst, who, pdf); err != nil {
			return nil, err
		}
		out = append(out, time.Since(start))
	}
	return out, nil
}

func bareInsertOne(ctx context.Context, db *sql.DB, who string, pdf []byte) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO issued (cf, pdf) VALUES (?, ?)`, who, pdf); err != nil {
		return err
	}
	return tx.Commit()
}

// barePage is one gopdf page with the text and the QR code, no layout.
func barePage(text, stamp string) ([]byte, error) {
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4})
	pdf.AddPage()
	if err := pdf.AddTTFFontData("tw", assets.TitilliumRegular); err != nil {
		return nil, err
	}
	if err := pdf.SetFont("tw", "", 10); err != nil {
		return nil, err
	}
	y := 60.0
	for _, line := range bytes.Split([]byte(text), []byte("\n")) {
		pdf.SetXY(50, y)
		if err := pdf.Text(string(line)); err != nil {
			return nil, err
		}
		y += 14
	}
	png, err := qrcode.Encode(stamp, qrcode.Medium, 400)
	if err != nil {
		return nil, err
	}
	img, err := gopdf.ImageHolderByBytes(png)
	if err != nil {
		return nil, err
	}
	if err := pdf.ImageByHolder(img, 400, 650, &gopdf.Rect{W: 113, H: 113}); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	_, err = pdf.WriteTo(io.Writer(&b))
	return b.Bytes(), err
}
