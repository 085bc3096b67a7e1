package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/request"
	"github.com/sportello/sportello/hub/storage/stored"
)

// ImportCatalogue publishes services to the whole network (records of kind
// request.KindService): every workstation receives them at its next pull.
// A service equal to the published one is not published again.
func (d *DB) ImportCatalogue(ctx context.Context, services []request.Service) error {
	recs := make([]app.Record, 0, len(services))
	seen := map[string]bool{}
	for i := range services {
		s := &services[i]
		if err := s.Validate(); err != nil {
			return err
		}
		if seen[s.ID] {
			return app.Errorf(app.EINVALID, "servizio %s ripetuto nel catalogo", s.ID)
		}
		seen[s.ID] = true
		recs = append(recs, request.ServiceRecord(s))
	}
	return d.PutRecords(ctx, app.ScopeNetwork, recs)
}

// Catalogue returns the services of the network.
func (d *DB) Catalogue(ctx context.Context) ([]request.Service, error) {
	recs, err := d.Records(ctx, app.ScopeNetwork, request.KindService, "")
	if err != nil {
		return nil, err
	}
	out := make([]request.Service, 0, len(recs))
	for _, r := range recs {
		s, err := request.DecodeService(r.Data)
		if err != nil {
			return nil, fmt.Errorf("service %s: %w", r.Key, err)
		}
		out = append(out, *s)
	}
	return out, nil
}

// EnableServices sets the services a comune offers (ids of the catalogue);
// its workstations show only those.
func (d *DB) EnableServices(ctx context.Context, comune string, ids []string) error {
	if _, err := d.Comune(ctx, comune); err != nil {
		return err
	}
	cat, err := d.Catalogue(ctx)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, s := range cat {
		known[s.ID] = true
	}
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	for _, id := range ids {
		if !known[id] {
			return app.Errorf(app.EINVALID, "servizio %q non presente nel catalogo", id)
		}
	}
	return d.PutRecords(ctx, comune, []app.Record{request.EnabledRecord(comune, ids)})
}

// EnabledServices returns the services a comune offers; nil when it has
// not chosen (all of them).
func (d *DB) EnabledServices(ctx context.Context, comune string) ([]string, error) {
	r, err := d.Record(ctx, comune, request.KindEnabled, comune)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return request.DecodeEnabled(r.Data)
}

// PutAttachment stores the content of a request's file, uploaded by a
// workstation before the request. The content must hash to sum and be of a
// type requests take (by its bytes); storing it again is harmless.
func (d *DB) PutAttachment(ctx context.Context, dev *Device, sum string, content []byte) error {
	h := sha256.Sum256(content)
	switch {
	case hex.EncodeToString(h[:]) != sum:
		return app.Errorf(app.EINVALID, "il contenuto dell'allegato non corrisponde alla sua impronta")
	case len(content) == 0 || len(content) > request.MaxAttachmentSize:
		return app.Errorf(app.EINVALID, "allegato vuoto o più grande di %d MB", request.MaxAttachmentSize>>20)
	}
	t := request.SniffType(content)
	if t == "" {
		return app.Errorf(app.EINVALID, "l'allegato non è un PDF o un'immagine JPEG, PNG o TIFF")
	}
	quota := d.AttachmentQuota
	if quota <= 0 {
		quota = DefaultAttachmentQuota
	}
	return d.tx(ctx, func(tx *sql.Tx) error {
		var known bool
		var used int64
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM attachments WHERE sha256 = ?),
			(SELECT coalesce(sum(size), 0) FROM attachments WHERE device = ?)`, sum, dev.ID).Scan(&known, &used); err != nil {
			return err
		}
		if known {
			return nil // stored already, by this device or another
		}
		if used+int64(len(content)) > quota {
			return app.Errorf(app.ETOOMANY, "spazio per gli allegati della postazione esaurito (%d MB): rivolgersi all'amministratore dell'hub", quota>>20)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO attachments (sha256, type, size, content, device, received_at) VALUES (?, ?, ?, ?, ?, ?)`,
			sum, t, len(content), content, dev.ID, ts(d.now()))
		return err
	})
}

// Attachment returns a stored file's content and type; ENOTFOUND when the
// hub does not have it.
func (d *DB) Attachment(ctx context.Context, sum string) ([]byte, string, error) {
	var b []byte
	var t string
	err := d.db.QueryRowContext(ctx, `SELECT content, type FROM attachments WHERE sha256 = ?`, sum).Scan(&b, &t)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", app.Errorf(app.ENOTFOUND, "allegato sconosciuto")
	}
	return b, t, err
}

// applicantTx is the applicant of a request as the hub's anagrafe knows
// them, with their family, for the form's check.
func applicantTx(ctx context.Context, tx *sql.Tx, cf string, day time.Time) (request.Applicant, error) {
	a := request.Applicant{CodiceFiscale: cf, Today: day}
	var comuneCode, family string
	err := tx.QueryRowContext(ctx, `SELECT comune, family_id FROM citizens WHERE codice_fiscale = ?`, cf).Scan(&comuneCode, &family)
	if errors.Is(err, sql.ErrNoRows) {
		return a, nil
	}
	if err != nil {
		return a, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT data FROM citizens WHERE comune = ? AND family_id = ?`, comuneCode, family)
	if err != nil {
		return a, err
	}
	defer rows.Close()
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return a, err
		}
		c, err := stored.DecodeCitizen([]byte(data))
		if err != nil {
			return a, err
		}
		a.Family = append(a.Family, request.Member{CodiceFiscale: c.CodiceFiscale, Name: c.FullName(), BirthDate: c.BirthDate})
	}
	return a, rows.Err()
}

// applyRequest records a request a workstation took and gives it its
// protocol number: the next of the comune in the current year, in this
// transaction, so that numbers are gap-free and unique (a refused or
// failed application takes none). The form is checked again here, by the
// same code as at the counter, against the hub's anagrafe. The answer is
// the number, for the workstation's receipt.
func (d *DB) applyRequest(ctx context.Context, tx *sql.Tx, dev *Device, op app.Operation) ([]byte, error) {
	r, err := request.DecodeRequestFact(op.Data)
	if err != nil {
		return nil, err
	}
	switch {
	case r.Comune != dev.Comune:
		return nil, app.Errorf(app.EFORBIDDEN, "richiesta %s per il comune %s da una postazione di %s", r.Provisional, r.Comune, dev.Comune)
	case r.Device != dev.ID || !strings.HasPrefix(r.Provisional, "PROV-"+dev.ID+"-"):
		return nil, app.Errorf(app.EFORBIDDEN, "richiesta %s di un'altra postazione", r.Provisional)
	case dev.Role == RoleKiosk && r.Service != request.PostService:
		// A kiosk takes only the certificate by post (app/kiosk/post.go).
		return nil, app.Errorf(app.EFORBIDDEN, "un chiosco non presenta richieste di %s", r.Service)
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM requests WHERE id = ? OR provisional = ?`, r.ID, r.Provisional).Scan(&n); err != nil {
		return nil, err
	}
	if n > 0 {
		return nil, app.Errorf(app.ECONFLICT, "richiesta %s già ricevuta da un'altra operazione", r.Provisional)
	}
	if err := d.receiveTx(ctx, tx, r, op.Prior); err != nil {
		return nil, err
	}
	return request.EncodeRequestAnswer(r.Number, r.ProtocolAt), nil
}

// receiveTx checks request r (its form again, by the same code as where it
// was taken, against the hub's anagrafe; its attachments, uploaded), gives
// it the comune's next protocol number of the year — or the one a restored
// hub had given it (prior, priorNumber) — and records it, in tx.
func (d *DB) receiveTx(ctx context.Context, tx *sql.Tx, r *request.Request, prior []byte) error {
	rec, err := recordTx(ctx, tx, app.ScopeNetwork, request.KindService, r.Service)
	if err != nil {
		return app.Errorf(app.EINVALID, "richiesta %s: servizio %s sconosciuto al catalogo", r.Provisional, r.Service)
	}
	svc, err := request.DecodeService(rec.Data)
	if err != nil {
		return err
	}
	who, err := applicantTx(ctx, tx, r.CodiceFiscale, r.SubmittedAt)
	if err != nil {
		return err
	}
	values, err := svc.ValidateForm(r.Values, r.Attachments, who)
	if err != nil {
		return app.Errorf(app.EINVALID, "richiesta %s rifiutata: %s", r.Provisional, app.ErrorMessage(err))
	}
	for _, a := range r.Attachments {
		var size int64
		err := tx.QueryRowContext(ctx, `SELECT size FROM attachments WHERE sha256 = ?`, a.SHA256).Scan(&size)
		if errors.Is(err, sql.ErrNoRows) {
			// Not the request's fault: the upload comes before the
			// operation, so the workstation sends it again.
			return fmt.Errorf("request %s: attachment %s not uploaded yet", r.Provisional, a.SHA256)
		}
		if err != nil {
			return err
		}
		if size != a.Size {
			return app.Errorf(app.EINVALID, "richiesta %s: l'allegato %s non corrisponde", r.Provisional, a.Name)
		}
	}
	now := d.now()
	// The protocol year is the comune's, in Italian time: a request of
	// 00:30 on 1 January is of the new year, whatever the hub's clock zone.
	year := now.In(app.Rome).Year()
	var seq int64
	if y, n, at, ok, err := priorNumber(ctx, tx, r.Comune, prior); err != nil {
		return err
	} else if ok {
		year, seq, now = y, n, at
	} else if err := holdNumbering(ctx, tx, r.Comune); err != nil {
		// In recovery nothing is numbered anew (recovery.go). A request
		// sent again always finds its earlier number free then, since
		// none is handed out: one that does not (a forged answer) waits
		// with the rest, until a person releases its device.
		return err
	} else if err := tx.QueryRowContext(ctx, `INSERT INTO protocol_counters (comune, year, last) VALUES (?, ?, 1)
		ON CONFLICT (comune, year) DO UPDATE SET last = protocol_counters.last + 1 RETURNING last`, r.Comune, year).Scan(&seq); err != nil {
		return fmt.Errorf("protocol number: %w", err)
	}
	r.Values, r.Number, r.ProtocolAt = values, request.ProtocolNumber(year, seq), now
	r.MemberNames = svc.MemberNames(values, who) // as the hub's anagrafe names them
	if r.ServiceTitle == "" {
		r.ServiceTitle = svc.Title
	}
	r.Status, r.Version = request.StatusReceived, 1
	r.History = []request.StatusChange{{Status: request.StatusReceived, Operator: r.Operator, At: now, Version: 1}}
	if _, err := tx.ExecContext(ctx, `INSERT INTO requests (id, comune, year, seq, number, provisional, device, codice_fiscale, service,
		status, version, follow_code, submitted_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.Comune, year, seq, r.Number, r.Provisional, r.Device, r.CodiceFiscale, r.Service, string(r.Status), r.Version,
		r.FollowCode, ts(r.SubmittedAt), ts(now)); err != nil {
		return fmt.Errorf("insert request %s: %w", r.Provisional, err)
	}
	for _, a := range r.Attachments {
		if _, err := tx.ExecContext(ctx, `INSERT INTO request_attachments (request, field, sha256, name) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			r.ID, a.Field, a.SHA256, a.Name); err != nil {
			return err
		}
	}
	return d.recordStep(ctx, tx, r)
}

// recordStep writes a request's latest step: its history row, its index
// row, its record for the comune's workstations, and the notices to the
// applicant, all in tx.
func (d *DB) recordStep(ctx context.Context, tx *sql.Tx, r *request.Request) error {
	last := r.History[len(r.History)-1]
	if _, err := tx.ExecContext(ctx, `INSERT INTO request_history (request, version, status, note, operator, at) VALUES (?, ?, ?, ?, ?, ?)`,
		r.ID, last.Version, string(last.Status), last.Note, last.Operator, ts(last.At)); err != nil {
		return fmt.Errorf("history of %s: %w", r.Number, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE requests SET status = ?, version = ? WHERE id = ?`, string(r.Status), r.Version, r.ID); err != nil {
		return err
	}
	if err := d.PutRecordsTx(ctx, tx, r.Comune, []app.Record{request.RequestRecord(r)}); err != nil {
		return err
	}
	com, err := comune(ctx, tx, r.Comune)
	if err != nil {
		return err
	}
	for _, n := range request.NoticesFor(r, placeName(com.Name), request.FollowURL(d.PublicURL, r), d.now()) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO notices (id, request, comune, channel, recipient, subject, body, state, next_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
			n.ID, n.Request, n.Comune, n.Channel, n.Recipient, n.Subject, n.Body, request.NoticeQueued, ts(n.CreatedAt), ts(n.CreatedAt)); err != nil {
			return fmt.Errorf("queue notice %s: %w", n.ID, err)
		}
	}
	return nil
}

// placeName writes an anagrafe name in capitals ("SESTO SAN GIOVANNI") as
// a message does ("Sesto San Giovanni").
func placeName(s string) string {
	if strings.ToUpper(s) != s {
		return s
	}
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		if i > 0 && (w == "di" || w == "del" || w == "della" || w == "sul" || w == "sull'" || w == "in" || w == "e") {
			continue
		}
		r := []rune(w)
		r[0] = []rune(strings.ToUpper(string(r[0])))[0]
		for j := 1; j < len(r); j++ {
			if r[j-1] == '\'' || r[j-1] == '-' {
				r[j] = []rune(strings.ToUpper(string(r[j])))[0]
			}
		}
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}

// applyRequestStatus applies a back-office state change from a
// workstation: the operator must be a back-office operator of the
// device's comune, and the request at the version the operator saw
// (ECONFLICT otherwise, parked at the workstation with the reason).
func (d *DB) applyRequestStatus(ctx context.Context, tx *sql.Tx, dev *Device, op app.Operation) ([]byte, error) {
	f, err := request.DecodeStatusFact(op.Data)
	if err != nil {
		return nil, err
	}
	if f.Comune != dev.Comune {
		return nil, app.Errorf(app.EFORBIDDEN, "cambio di stato per il comune %s da una postazione di %s", f.Comune, dev.Comune)
	}
	// A kiosk or a board has no back office: its token, stolen, must not
	// move requests in the name of an operator it merely names.
	if dev.Role != RoleCounter {
		return nil, app.Errorf(app.EFORBIDDEN, "una postazione %s non cambia lo stato delle richieste", dev.Role)
	}
	o, err := operatorTx(ctx, tx, dev.Comune, f.Operator)
	if err != nil {
		return nil, err
	}
	if !o.Active || !o.Has(app.RoleBackOffice) {
		return nil, app.Errorf(app.EFORBIDDEN, "l'operatore %s non ha il ruolo di back-office", f.Operator)
	}
	r, err := d.moveTx(ctx, tx, dev.Comune, f.Request, f.To, f.Note, f.Operator, f.Expected)
	if err != nil {
		return nil, err
	}
	return request.EncodeStatusAnswer(r), nil
}

// moveTx moves a request of comune through a state change in tx. expected
// < 0 takes the request as it is (the hub's own command line).
func (d *DB) moveTx(ctx context.Context, tx *sql.Tx, comune, id string, to request.Status, note, operator string, expected int) (*request.Request, error) {
	rec, err := recordTx(ctx, tx, comune, request.KindRequest, id)
	if err != nil {
		return nil, app.Errorf(app.ENOTFOUND, "richiesta sconosciuta al comune %s", comune)
	}
	r, err := request.DecodeRequest(rec.Data)
	if err != nil {
		return nil, err
	}
	if expected < 0 {
		expected = r.Version
	}
	if err := r.Move(to, note, operator, expected, d.now()); err != nil {
		return nil, err
	}
	if err := d.recordStep(ctx, tx, r); err != nil {
		return nil, err
	}
	return r, nil
}

// SetRequestStatus moves a request of comune, named by its protocol
// number, from the hub's command line; the change reaches the comune's
// workstations and the applicant like one from a workstation.
func (d *DB) SetRequestStatus(ctx context.Context, comune, number string, to request.Status, note, operator string) (*request.Request, error) {
	if _, _, err := request.ParseProtocolNumber(number); err != nil {
		return nil, err
	}
	var r *request.Request
	err := d.tx(ctx, func(tx *sql.Tx) error {
		var id string
		err := tx.QueryRowContext(ctx, `SELECT id FROM requests WHERE comune = ? AND number = ?`, comune, number).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return app.Errorf(app.ENOTFOUND, "nessuna richiesta %s nel comune %s", number, comune)
		}
		if err != nil {
			return err
		}
		r, err = d.moveTx(ctx, tx, comune, id, to, note, operator, -1)
		return err
	})
	return r, err
}

// HubRequest returns a request of comune by id or protocol number.
func (d *DB) HubRequest(ctx context.Context, comune, idOrNumber string) (*request.Request, error) {
	var id string
	err := d.db.QueryRowContext(ctx, `SELECT id FROM requests WHERE comune = ? AND (id = ? OR number = ?)`, comune, idOrNumber, idOrNumber).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, app.Errorf(app.ENOTFOUND, "nessuna richiesta %s nel comune %s", idOrNumber, comune)
	}
	if err != nil {
		return nil, err
	}
	rec, err := d.Record(ctx, comune, request.KindRequest, id)
	if err != nil {
		return nil, err
	}
	return request.DecodeRequest(rec.Data)
}

// FollowRequest returns a request by its id and follow code, for the
// citizen's page; ENOTFOUND for any mismatch, without telling which.
func (d *DB) FollowRequest(ctx context.Context, id, code string) (*request.Request, error) {
	var comune, want string
	err := d.db.QueryRowContext(ctx, `SELECT comune, follow_code FROM requests WHERE id = ?`, id).Scan(&comune, &want)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (code == "" || want != code)) {
		return nil, app.Errorf(app.ENOTFOUND, "richiesta sconosciuta o non ancora arrivata al comune")
	}
	if err != nil {
		return nil, err
	}
	return d.HubRequest(ctx, comune, id)
}

// HubRequests lists the requests of comune, newest first; status, when
// not "", keeps those in that state.
func (d *DB) HubRequests(ctx context.Context, comune string, status request.Status) ([]request.Request, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT r.data FROM requests q JOIN records r ON r.scope = q.comune AND r.kind = ? AND r.key = q.id
		WHERE q.comune = ? AND (? = '' OR q.status = ?) ORDER BY q.year DESC, q.seq DESC`, request.KindRequest, comune, string(status), string(status))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []request.Request
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		r, err := request.DecodeRequest([]byte(data))
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}

// applyRequestFact applies the facts of requests (facts.go's switch).
func (d *DB) applyRequestFact(ctx context.Context, tx *sql.Tx, dev *Device, op app.Operation) ([]byte, error) {
	if op.Kind == request.FactStatus {
		return d.applyRequestStatus(ctx, tx, dev, op)
	}
	return d.applyRequest(ctx, tx, dev, op)
}

// priorNumber gives a request sent again after a restore of the hub the
// protocol number the hub had given it before (prior, the hub's answer
// then), with its time, when that number is still free: the citizen's
// receipt stays right. Only a restored hub takes a prior number, and the
// counter moves past it, so that later requests never take it again. A
// number another request took meanwhile is not kept (ok false): the
// request gets the next one, and the workstation its new number.
func priorNumber(ctx context.Context, tx *sql.Tx, comune string, prior []byte) (year int, seq int64, at time.Time, ok bool, err error) {
	if len(prior) == 0 {
		return 0, 0, time.Time{}, false, nil
	}
	number, at, err := request.DecodeRequestAnswer(prior)
	if err != nil {
		return 0, 0, time.Time{}, false, nil // not an answer of ours: numbered as new
	}
	year, seq, _ = request.ParseProtocolNumber(number)
	var restored string
	var taken int
	if err := tx.QueryRowContext(ctx, `SELECT restored_at, (SELECT count(*) FROM requests WHERE comune = ? AND year = ? AND seq = ?)
		FROM hub_state`, comune, year, seq).Scan(&restored, &taken); err != nil {
		return 0, 0, time.Time{}, false, fmt.Errorf("prior protocol number: %w", err)
	}
	if restored == "" || taken > 0 || at.In(app.Rome).Year() != year {
		return 0, 0, time.Time{}, false, nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO protocol_counters (comune, year, last) VALUES (?, ?, ?)
		ON CONFLICT (comune, year) DO UPDATE SET last = CASE WHEN protocol_counters.last > excluded.last THEN protocol_counters.last ELSE excluded.last END`, comune, year, seq); err != nil {
		return 0, 0, time.Time{}, false, fmt.Errorf("protocol number: %w", err)
	}
	return year, seq, at, true, nil
}

// FollowURL is the address of the page where a citizen follows r, as its
// notices carry it; "" while the hub's public address is unknown.
func (d *DB) FollowURL(r *request.Request) string {
	return request.FollowURL(d.PublicURL, r)
}
