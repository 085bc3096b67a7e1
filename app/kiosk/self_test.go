package kiosk_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/kiosk"
	"github.com/sportello/sportello/app/pagopa"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/app/request"
)

// TestActivityLines reads the records the hub publishes for a person as
// the kiosk shows them: each kind through its own decoder, never by
// guessing among keys.
func TestActivityLines(t *testing.T) {
	at := time.Date(2026, 9, 1, 8, 45, 0, 0, time.UTC)
	req := &request.Request{ID: "0b7f3a52-4f7e-4c2a-9d1e-3a1b2c3d4e5f", Comune: "I690", Provisional: "PROV-I690-W001-000007",
		Service: "iscrizione-mensa", ServiceTitle: "Iscrizione alla mensa scolastica", CodiceFiscale: "RSSMRA85T10A562S",
		ApplicantName: "Rossi Mario", Values: request.Values{}, SubmittedAt: at, Operator: "demo", Device: "I690-W001",
		Channel: "sportello", FollowCode: "ABCDEFGHJKLMNPQR", Status: request.StatusReceived, Version: 1,
		History: []request.StatusChange{{Status: request.StatusReceived, Operator: "demo", At: at, Version: 1}}}
	numbered := *req
	numbered.Number, numbered.ProtocolAt = "2026/000123", at.Add(time.Minute)

	avviso, err := pagopa.NewAvviso(3, "01", 10)
	if err != nil {
		t.Fatal(err)
	}
	position := &payment.Position{ID: "I690-2026-H0000010", Comune: "I690", DebtorCF: "RSSMRA85T10A562S", DebtorName: "ROSSI MARIO",
		Service: payment.ServiceTARI, Causale: "TARI 2026", AmountCents: 23850, DueDate: app.Date(2026, 12, 16), Avviso: avviso,
		State: payment.StateDue, Published: true}
	paid := *position
	paid.State = payment.StatePaid

	for _, tc := range []struct {
		name string
		line func(app.Record) string
		rec  app.Record
		want string
	}{
		{"ProvisionalRequest", kiosk.RequestLine, request.RequestRecord(req),
			"PROV-I690-W001-000007 — Iscrizione alla mensa scolastica — " + strings.ToLower(request.StatusReceived.Title())},
		{"NumberedRequest", kiosk.RequestLine, request.RequestRecord(&numbered),
			"2026/000123 — Iscrizione alla mensa scolastica — " + strings.ToLower(request.StatusReceived.Title())},
		{"PositionDue", kiosk.PositionLine, app.Record{Kind: payment.KindPosition, Key: position.ID, Data: payment.EncodePosition(position)},
			"TARI 2026 — € 238,50 — da pagare — entro il 16/12/2026"},
		{"PositionPaid", kiosk.PositionLine, app.Record{Kind: payment.KindPosition, Key: paid.ID, Data: payment.EncodePosition(&paid)},
			"TARI 2026 — € 238,50 — pagato — entro il 16/12/2026"},
		{"ErrUnreadableRequest", kiosk.RequestLine, app.Record{Key: "r-1", Data: []byte(`{"number":"2026/1"}`)}, "r-1"},
		{"ErrUnreadablePosition", kiosk.PositionLine, app.Record{Key: "p-1", Data: []byte(`not json`)}, "p-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.line(tc.rec); got != tc.want {
				t.Errorf("line %q, want %q", got, tc.want)
			}
		})
	}
}

// cache is the kiosk's cache with only records and notices: any other
// method panics, so Self reading more is noticed.
type cache struct {
	kiosk.Cache
	records map[string][]app.Record // by kind
	day     time.Time               // the day Notices was asked for
}

func (c *cache) Records(_ context.Context, kind, subject string) ([]app.Record, error) {
	var out []app.Record
	for _, r := range c.records[kind] {
		if r.Subject == subject {
			out = append(out, r)
		}
	}
	return out, nil
}

func (c *cache) Notices(_ context.Context, day time.Time) ([]kiosk.Notice, error) {
	c.day = day
	return nil, nil
}

func TestSelf(t *testing.T) {
	ctx := context.Background()
	const code = "RSSMRA85T10A562S"
	at := time.Date(2026, 9, 1, 8, 45, 0, 0, time.UTC)
	req := &request.Request{ID: "0b7f3a52-4f7e-4c2a-9d1e-3a1b2c3d4e5f", Comune: "I690", Number: "2026/000123", ProtocolAt: at,
		Provisional: "PROV-I690-W001-000007", Service: "iscrizione-mensa", ServiceTitle: "Iscrizione alla mensa scolastica",
		CodiceFiscale: code, ApplicantName: "Rossi Mario", Values: request.Values{}, SubmittedAt: at, Operator: "demo",
		Device: "I690-W001", Channel: "sportello", FollowCode: "ABCDEFGHJKLMNPQR", Status: request.StatusConcluded, Version: 2,
		History: []request.StatusChange{{Status: request.StatusReceived, Operator: "demo", At: at, Version: 1},
			{Status: request.StatusConcluded, Operator: "bo", At: at.Add(time.Hour), Version: 2}}}
	other := *req
	other.ID, other.CodiceFiscale, other.Number = "1c8e4b63-5a8f-4d3b-8e2f-4b2c3d4e5f60", "VRDLGU90A01F205X", "2026/000124"
	avviso, err := pagopa.NewAvviso(3, "01", 10)
	if err != nil {
		t.Fatal(err)
	}
	position := &payment.Position{ID: "I690-2026-H0000010", Comune: "I690", DebtorCF: code, DebtorName: "ROSSI MARIO",
		Service: payment.ServiceCanteen, Causale: "Mensa settembre", AmountCents: 8450, DueDate: app.Date(2026, 9, 30), Avviso: avviso,
		State: payment.StateDue, Published: true}
	c := &cache{records: map[string][]app.Record{
		request.KindRequest:  {request.RequestRecord(req), request.RequestRecord(&other)},
		payment.KindPosition: {{Kind: payment.KindPosition, Key: position.ID, Subject: code, Data: payment.EncodePosition(position)}},
	}}
	// Half past midnight of New Year's Day in Rome, still 31 December in UTC.
	s := &kiosk.Self{Cache: c, Device: "I690-K001", Now: func() time.Time { return time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC) }}

	t.Run("Activity", func(t *testing.T) {
		requests, positions, err := s.Activity(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		if len(requests) != 1 || !strings.HasPrefix(requests[0], "2026/000123 — Iscrizione alla mensa scolastica") {
			t.Errorf("requests %q: want the person's one only", requests)
		}
		if len(positions) != 1 || positions[0] != "Mensa settembre — € 84,50 — da pagare — entro il 30/09/2026" {
			t.Errorf("positions %q", positions)
		}
	})
	t.Run("NoticesOfTheDayInRome", func(t *testing.T) {
		if _, err := s.Notices(ctx); err != nil {
			t.Fatal(err)
		}
		if y, m, d := c.day.Date(); y != 2027 || m != time.January || d != 1 {
			t.Errorf("notices asked for %s, want 2027-01-01 (Italian time)", c.day.Format("2006-01-02"))
		}
	})
}
