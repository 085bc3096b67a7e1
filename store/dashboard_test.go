package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/app/dashboard"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/app/queue"
	"github.com/sportello/sportello/app/request"
)

// TestDashboardReport: on a real SQLite file, the report of a period
// counts what falls in its days in Rome (a certificate issued at 00:30 in
// Rome belongs to that day, though it is the day before in UTC), groups
// certificates by type with their bollo and diritti, requests by service
// and their latest status (the hub's record over the copy taken here,
// never both), payments by method and service with the closings, and the
// queue's waits by area and hour.
func TestDashboardReport(t *testing.T) {
	ctx := context.Background()
	s := mustOpenWithFixtures(t)
	enrol(t, s, "F205-W001")
	p := fixtures()[0]
	rome := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, app.Rome) }

	// Certificates: two on the 23rd, one at 00:30 on the 24th (23:30 UTC of
	// the 23rd), one on the 22nd.
	for _, at := range []time.Time{rome(22, 12, 0), rome(23, 9, 0), rome(23, 18, 0), rome(24, 0, 30)} {
		if err := s.IssueCertificate(ctx, 2026, "mrossi", built(t, "F205-W001", 2026, p, at)); err != nil {
			t.Fatal(err)
		}
	}

	// Requests: one taken here and not sent, one taken here that the hub
	// has concluded since, one of another workstation, one the day before.
	req := func(service, title string, at time.Time, st request.Status) *request.Request {
		return &request.Request{ID: request.NewID(), Comune: "F205", Service: service, ServiceTitle: title, CodiceFiscale: p.CodiceFiscale,
			ApplicantName: "Rossi Mario", SubmittedAt: at, Operator: "mrossi", Device: "F205-W001", Channel: "sportello",
			FollowCode: "ABCDEFGHJKLMNPQR", Status: st, Version: 1, History: []request.StatusChange{{Status: st, Version: 1, At: at}}}
	}
	var taken []*request.Request
	for _, at := range []time.Time{rome(23, 10, 0), rome(23, 11, 0)} {
		err := s.SubmitRequest(ctx, "mrossi", nil, func(seq int64) (*request.Request, error) {
			r := req("segnalazione-disservizio", "Segnalazione di disservizio", at, request.StatusReceived)
			r.Provisional = request.ProvisionalNumber("F205-W001", seq)
			taken = append(taken, r)
			return r, nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	concluded := *taken[1]
	concluded.Number, concluded.Status, concluded.Version = "2026/000007", request.StatusConcluded, 2
	concluded.History = append(concluded.History, request.StatusChange{Status: request.StatusConcluded, Version: 2, At: rome(23, 12, 0)})
	other := req("accesso-atti", "Accesso agli atti", rome(23, 15, 0), request.StatusReceived)
	other.Number, other.Device, other.Provisional = "2026/000008", "F205-W002", request.ProvisionalNumber("F205-W002", 1)
	before := req("accesso-atti", "Accesso agli atti", rome(22, 15, 0), request.StatusReceived)
	before.Number, before.Provisional = "2026/000006", request.ProvisionalNumber("F205-W001", 9)
	var recs []app.Record
	for _, r := range []*request.Request{&concluded, other, before} {
		recs = append(recs, app.Record{Kind: request.KindRequest, Key: r.ID, Subject: r.CodiceFiscale, Data: request.EncodeRequest(r)})
	}

	// Payments: two in cash and one by card on the 23rd (TARI), one on the
	// 22nd; the 23rd is closed.
	var positions []*payment.Position
	for i := range 4 {
		pos := testPosition("F205-2026-H"+string(rune('1'+i)), int64(i+1), p.CodiceFiscale)
		positions = append(positions, pos)
		recs = append(recs, app.Record{Kind: payment.KindPosition, Key: pos.ID, Subject: pos.DebtorCF, Data: payment.EncodePosition(pos)})
	}

	// Queue: three tickets in area A at 9 on the 23rd, one in T on the 22nd.
	ticket := func(id, area string, issued, called, done time.Time, st queue.Status) app.Record {
		return queue.TicketRecord(queue.Ticket{ID: id, Number: queue.HubNumber(area, 1), Area: area, Day: queue.Day(issued), Device: "F205-W001",
			IssuedAt: issued, CalledAt: called, DoneAt: done, Status: st, Version: 1})
	}
	recs = append(recs,
		ticket("00000000-0000-4000-8000-000000000001", "A", rome(23, 9, 5), rome(23, 9, 15), rome(23, 9, 21), queue.Served),
		ticket("00000000-0000-4000-8000-000000000002", "A", rome(23, 9, 10), rome(23, 9, 40), rome(23, 9, 48), queue.Served),
		ticket("00000000-0000-4000-8000-000000000003", "A", rome(23, 9, 20), rome(23, 9, 24), time.Time{}, queue.Skipped),
		ticket("00000000-0000-4000-8000-000000000004", "T", rome(22, 11, 0), rome(22, 11, 2), rome(22, 11, 12), queue.Served))
	putRecords(t, s, recs...)

	pay := func(pos *payment.Position, day string, m payment.Method) {
		t.Helper()
		err := s.TakePayment(ctx, 2026, func(seq int64) (*payment.Payment, error) {
			pp, err := payOf(pos, "F205-W001", "mrossi", day)(seq)
			if pp != nil {
				pp.Method = m
			}
			return pp, err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	pay(positions[0], "2026-11-23", payment.Cash)
	pay(positions[1], "2026-11-23", payment.Cash)
	pay(positions[2], "2026-11-23", payment.Card)
	pay(positions[3], "2026-11-22", payment.Cash)
	pays, err := s.DayPayments(ctx, "mrossi", "2026-11-23")
	if err != nil {
		t.Fatal(err)
	}
	fees, err := s.CertificateFees(ctx, "mrossi", "2026-11-23")
	if err != nil {
		t.Fatal(err)
	}
	c, err := payment.Summarize("F205-W001", "F205", "mrossi", "Mario Rossi", "2026-11-23", rome(23, 19, 0), pays, fees)
	if err != nil {
		t.Fatal(err)
	}
	holdKey(t, s, "mrossi") // a closing carries the operator's proof
	if err := s.CloseDay(ctx, c); err != nil {
		t.Fatal(err)
	}

	r, err := s.Report(ctx, "2026-11-23", "2026-11-23")
	if err != nil {
		t.Fatal(err)
	}
	resid := mustType(t, certificate.SlugResidenza)
	bollo, diritti := fees[0].BolloCents, fees[0].DirittiCents
	if want := []dashboard.CertificateRow{{Type: resid.Slug, Title: resid.Title, Count: 2, BolloCents: 2 * bollo, DirittiCents: 2 * diritti}}; !reflect.DeepEqual(r.Certificates, want) {
		t.Errorf("certificates of the 23rd:\n got %+v\nwant %+v", r.Certificates, want)
	}
	wantReq := []dashboard.RequestRow{
		{Service: "accesso-atti", ServiceTitle: "Accesso agli atti", Status: "ricevuta", StatusTitle: request.StatusReceived.Title(), Count: 1},
		{Service: "segnalazione-disservizio", ServiceTitle: "Segnalazione di disservizio", Status: "conclusa", StatusTitle: request.StatusConcluded.Title(), Count: 1},
		{Service: "segnalazione-disservizio", ServiceTitle: "Segnalazione di disservizio", Status: "ricevuta", StatusTitle: request.StatusReceived.Title(), Count: 1},
	}
	if !reflect.DeepEqual(r.Requests, wantReq) {
		t.Errorf("requests of the 23rd:\n got %+v\nwant %+v", r.Requests, wantReq)
	}
	wantPay := []dashboard.PaymentRow{
		{Method: "contanti", MethodName: payment.Cash.Name(), Service: string(payment.ServiceTARI), ServiceName: payment.ServiceTARI.Name(), Count: 2, AmountCents: 24000},
		{Method: "pos", MethodName: payment.Card.Name(), Service: string(payment.ServiceTARI), ServiceName: payment.ServiceTARI.Name(), Count: 1, AmountCents: 12000},
	}
	if !reflect.DeepEqual(r.Payments, wantPay) {
		t.Errorf("payments of the 23rd:\n got %+v\nwant %+v", r.Payments, wantPay)
	}
	if len(r.Closings) != 1 || r.Closings[0].Payments != 3 || r.Closings[0].TotalCents != 36000 || r.Closings[0].OperatorName != "Mario Rossi" ||
		r.Closings[0].BolloCents != 2*bollo || !r.Closings[0].ClosedAt.Equal(rome(23, 19, 0)) {
		t.Errorf("closings of the 23rd: %+v", r.Closings)
	}
	if len(r.Queue) != 1 || r.Queue[0].Area != "A" || r.Queue[0].Hour != 9 || r.Queue[0].Issued != 3 || r.Queue[0].Served != 2 ||
		r.Queue[0].Skipped != 1 || r.Queue[0].MeanWait != (10+30+4)*time.Minute/3 || r.Queue[0].MaxWait != 30*time.Minute {
		t.Errorf("queue of the 23rd: %+v", r.Queue)
	}

	// Two days: the 22nd's certificate, request, payment and ticket join.
	r, err = s.Report(ctx, "2026-11-22", "2026-11-24")
	if err != nil {
		t.Fatal(err)
	}
	if r.CertificateCount() != 4 || r.RequestCount() != 4 || len(r.Queue) != 2 {
		t.Errorf("22nd to 24th: %d certificates, %d requests, %d queue rows", r.CertificateCount(), r.RequestCount(), len(r.Queue))
	}
	if n, cents := r.PaymentTotal(); n != 4 || cents != 48000 {
		t.Errorf("22nd to 24th: %d payments, %d cents", n, cents)
	}

	// An empty period is empty, a bad one refused.
	if r, err := s.Report(ctx, "2026-12-01", "2026-12-01"); err != nil || r.CertificateCount()+r.RequestCount()+len(r.Payments)+len(r.Closings)+len(r.Queue) != 0 {
		t.Errorf("empty period: %+v %v", r, err)
	}
	for _, bad := range [][2]string{{"2026-11-23", "2026-11-22"}, {"23/11/2026", "2026-11-23"}, {"2026-11-23", ""}} {
		if _, err := s.Report(ctx, bad[0], bad[1]); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("period %v: %v, want EINVALID", bad, err)
		}
	}
}
