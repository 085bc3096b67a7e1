package request_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/request"
)

func sampleRequest() *request.Request {
	at := time.Date(2026, 9, 1, 8, 45, 0, 0, time.UTC)
	return &request.Request{ID: "0b7f3a52-4f7e-4c2a-9d1e-3a1b2c3d4e5f", Comune: "I690", Number: "2026/000123", Provisional: "PROV-I690-W001-000007",
		Service: "iscrizione-mensa", ServiceTitle: "Iscrizione alla mensa scolastica", CodiceFiscale: "RSSMRA85T10A562S", ApplicantName: "Rossi Mario",
		Values: request.Values{"figlio": "RSSLCU16A09F205X", "giorni": "lun,mer"}, MemberNames: map[string]string{"figlio": "Rossi Luca"},
		Attachments: []request.AttachmentMeta{{Field: "certificato_dieta", Name: "dieta.pdf", Type: "application/pdf", Size: 4821, SHA256: strings.Repeat("a", 64)}},
		SubmittedAt: at, Operator: "demo", Device: "I690-W001", Channel: "sportello", FollowCode: "ABCDEFGHJKLMNPQR",
		Status: request.StatusWorking, Version: 2, ProtocolAt: at.Add(time.Minute),
		History: []request.StatusChange{{Status: request.StatusReceived, Operator: "demo", At: at.Add(time.Minute), Version: 1},
			{Status: request.StatusWorking, Note: "in istruttoria", Operator: "bo", At: at.Add(time.Hour), Version: 2}}}
}

// TestRequestJSON sends a request, its state change and the hub's answers
// through their JSON as the records and the outbox carry them, and reads
// them back unchanged; the fact carries no number, state or history.
func TestRequestJSON(t *testing.T) {
	r := sampleRequest()
	t.Run("Record", func(t *testing.T) {
		rec := request.RequestRecord(r)
		if rec.Kind != request.KindRequest || rec.Key != r.ID || rec.Subject != r.CodiceFiscale {
			t.Fatalf("record %+v", rec)
		}
		got, err := request.DecodeRequest(rec.Data)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, r) {
			t.Fatalf("round trip:\n got %+v\nwant %+v", got, r)
		}
	})
	t.Run("Fact", func(t *testing.T) {
		data := request.EncodeRequestFact(r)
		for _, leak := range []string{"2026/000123", "in istruttoria", `"status"`, `"history"`} {
			if bytes.Contains(data, []byte(leak)) {
				t.Errorf("the fact carries the hub's %s: %s", leak, data)
			}
		}
		got, err := request.DecodeRequestFact(data)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != r.ID || got.MemberNames["figlio"] != "Rossi Luca" || !got.SubmittedAt.Equal(r.SubmittedAt) || len(got.Attachments) != 1 || got.Number != "" {
			t.Fatalf("fact read back as %+v", got)
		}
		if id, err := request.RequestFactID(data); err != nil || id != r.ID {
			t.Fatalf("RequestFactID = %q, %v", id, err)
		}
	})
	t.Run("StatusFact", func(t *testing.T) {
		f := &request.StatusFact{Request: r.ID, Comune: "I690", To: request.StatusRejected, Note: "manca l'ISEE", Expected: 2, Operator: "bo", At: r.SubmittedAt}
		got, err := request.DecodeStatusFact(request.EncodeStatusFact(f))
		if err != nil || !reflect.DeepEqual(got, f) {
			t.Fatalf("state change read back as %+v (%v)", got, err)
		}
	})
	t.Run("Answer", func(t *testing.T) {
		n, at, err := request.DecodeRequestAnswer(request.EncodeRequestAnswer("2026/000123", r.ProtocolAt))
		if err != nil || n != "2026/000123" || !at.Equal(r.ProtocolAt) {
			t.Fatalf("answer %q %v %v", n, at, err)
		}
		if _, _, err := request.DecodeRequestAnswer([]byte(`{"number":"123"}`)); app.ErrorCode(err) != app.EINVALID {
			t.Fatalf("a bad protocol number was taken: %v", err)
		}
	})
	t.Run("Catalogue", func(t *testing.T) {
		for _, s := range request.DefaultCatalogue() {
			got, err := request.DecodeService(request.ServiceRecord(&s).Data)
			if err != nil || !reflect.DeepEqual(*got, s) {
				t.Fatalf("service %s read back as %+v (%v)", s.ID, got, err)
			}
		}
		ids, err := request.DecodeEnabled(request.EnabledRecord("I690", nil).Data)
		if err != nil || ids == nil || len(ids) != 0 {
			t.Fatalf("no services enabled read back as %#v (%v)", ids, err)
		}
	})
	t.Run("ErrBadInput", func(t *testing.T) {
		for name, data := range map[string]string{
			"NotJSON":      `{`,
			"NoHistory":    strings.Replace(string(request.EncodeRequest(r)), `"history":[`, `"history":[],"x":[`, 1),
			"BadTime":      strings.Replace(string(request.EncodeRequest(r)), "2026-09-01T08:45:00Z", "ieri", 1),
			"UnknownState": strings.Replace(string(request.EncodeRequest(r)), `"status":"in_lavorazione"`, `"status":"smarrita"`, 1),
		} {
			if _, err := request.DecodeRequest([]byte(data)); app.ErrorCode(err) != app.EINVALID {
				t.Errorf("%s: decoded (%v)", name, err)
			}
		}
	})
}

// FuzzDecodeRequest feeds the decoders of what workstations send the hub
// and the hub sends workstations: whatever they accept is valid and
// encodes back to what decodes to the same request.
func FuzzDecodeRequest(f *testing.F) {
	r := sampleRequest()
	f.Add(request.EncodeRequest(r))
	f.Add(request.EncodeRequestFact(r))
	f.Add(request.EncodeStatusFact(&request.StatusFact{Request: r.ID, Comune: "I690", To: request.StatusConcluded, Expected: 1, Operator: "bo"}))
	f.Add([]byte(`{"id":"x","values":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, err := request.DecodeRequest(data); err == nil {
			if err := got.ValidateSubmission(); err != nil {
				t.Fatalf("decoded an invalid request: %v", err)
			}
			again, err := request.DecodeRequest(request.EncodeRequest(got))
			if err != nil || !reflect.DeepEqual(again, got) {
				t.Fatalf("re-encoded request differs: %v\n%+v\n%+v", err, again, got)
			}
		}
		if got, err := request.DecodeRequestFact(data); err == nil {
			if err := got.ValidateSubmission(); err != nil {
				t.Fatalf("decoded an invalid fact: %v", err)
			}
		}
		if f, err := request.DecodeStatusFact(data); err == nil {
			if err := f.Validate(); err != nil {
				t.Fatalf("decoded an invalid state change: %v", err)
			}
		}
		request.RequestFactID(data)
	})
}
