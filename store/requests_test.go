package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/request"
)

// TestRequests stores requests taken at the workstation with their files
// and outbox operation, finds them by id and by number, and merges the
// hub's record of a request over the workstation's own.
func TestRequests(t *testing.T) {
	ctx := context.Background()
	st := MustOpen(t)
	if err := st.SaveProfile(ctx, &app.Profile{Device: "I690-W001", Comune: "I690"}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	var taken []*request.Request
	for i, files := range [][]request.File{nil, {{Field: "foto", Name: "f.png", Data: []byte("\x89PNG\r\n\x1a\nimmagine")}}} {
		atts, err := request.Attachments(files)
		if err != nil {
			t.Fatal(err)
		}
		err = st.SubmitRequest(ctx, "demo", files, func(seq int64) (*request.Request, error) {
			r := &request.Request{ID: request.NewID(), Comune: "I690", Provisional: request.ProvisionalNumber("I690-W001", seq),
				Service: "segnalazione-disservizio", ServiceTitle: "Segnalazione", CodiceFiscale: "RSSMRA85T10A562S", ApplicantName: "Rossi Mario",
				Values: request.Values{"luogo": "Via Roma"}, Attachments: atts, SubmittedAt: at.Add(time.Duration(i) * time.Hour), Operator: "demo",
				Device: "I690-W001", Channel: "sportello", FollowCode: "ABCDEFGHJKLMNPQR", Status: request.StatusReceived, Version: 1,
				History: []request.StatusChange{{Status: request.StatusReceived, Version: 1, At: at}}}
			taken = append(taken, r)
			return r, nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if taken[1].Provisional != "PROV-I690-W001-000002" {
		t.Fatalf("second provisional number %s", taken[1].Provisional)
	}
	// A failed build stores nothing and takes no number.
	if err := st.SubmitRequest(ctx, "demo", nil, func(int64) (*request.Request, error) {
		return nil, app.Errorf(app.EINVALID, "no")
	}); app.ErrorCode(err) != app.EINVALID {
		t.Fatal(err)
	}
	ops, err := st.NextOps(ctx, 20)
	if err != nil {
		t.Fatal(err)
	}
	var reqOps []app.Operation
	for _, o := range ops {
		if o.Kind == request.FactRequest {
			reqOps = append(reqOps, o)
		}
	}
	if len(reqOps) != 2 || len(ops) != 4 { // and the two audit events
		t.Fatalf("outbox: %d operations, %d requests", len(ops), len(reqOps))
	}
	files, err := st.OpAttachments(ctx, reqOps[1])
	if err != nil || len(files) != 1 || !strings.HasPrefix(string(files[0].Data), "\x89PNG") || files[0].SHA256 != taken[1].Attachments[0].SHA256 {
		t.Fatalf("files of the second: %+v %v", files, err)
	}
	got, err := st.Request(ctx, "PROV-I690-W001-000001")
	if err != nil || got.ID != taken[0].ID || !got.IsProvisional() {
		t.Fatalf("by provisional number: %+v %v", got, err)
	}

	// The hub's answer: the protocol number, and the files let go.
	if err := st.MarkOp(ctx, reqOps[1].ID, app.OpResult{ID: reqOps[1].ID, Applied: true, Data: request.EncodeRequestAnswer("2026/000010", at)}, at); err != nil {
		t.Fatal(err)
	}
	if got, err := st.Request(ctx, "2026/000010"); err != nil || got.ID != taken[1].ID || got.Provisional != "PROV-I690-W001-000002" {
		t.Fatalf("by protocol number: %+v %v", got, err)
	}
	if files, _ := st.OpAttachments(ctx, reqOps[1]); len(files) != 0 {
		t.Fatal("the workstation still holds a file the hub has")
	}

	// The hub's record of the first, moved on by the back office.
	hubView := *taken[0]
	hubView.Number, hubView.Status, hubView.Version = "2026/000009", request.StatusWorking, 2
	hubView.History = append(hubView.History, request.StatusChange{Status: request.StatusWorking, Note: "presa in carico", Version: 2, At: at})
	rec := request.RequestRecord(&hubView)
	if err := st.ApplyChanges(ctx, "I690", []app.Change{{Scope: "I690", Seq: 1, Kind: rec.Kind, Key: rec.Key, At: at, Record: &rec}},
		app.Cursor{Scope: "I690", Seq: 1, AsOf: at}); err != nil {
		t.Fatal(err)
	}
	list, err := st.Requests(ctx, "RSSMRA85T10A562S")
	if err != nil || len(list) != 2 {
		t.Fatalf("list: %d (%v)", len(list), err)
	}
	if list[0].ID != taken[1].ID || list[0].Number != "2026/000010" || list[1].Status != request.StatusWorking || list[1].LastNote() != "presa in carico" {
		t.Fatalf("list = %+v", list)
	}
	if _, err := st.Request(ctx, "2026/999999"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("unknown number: %v", err)
	}
}
