package sync_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
)

func notice(n int, subject, text string) app.Record {
	return app.Record{Kind: "notice", Key: fmt.Sprintf("N%03d", n), Subject: subject, Data: []byte(fmt.Sprintf(`{"text":%q}`, text))}
}

func records(t *testing.T, w *workstation, kind, subject string) map[string]string {
	t.Helper()
	list, err := w.St.Records(context.Background(), kind, subject)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range list {
		out[r.Key] = string(r.Data)
	}
	return out
}

// TestRecordsThroughTheHub carries the hub's records beyond the anagrafe
// (the kinds of the later capabilities) to the workstations: in the initial
// download after the citizens, page by page; by the change log; across a
// resnapshot, which drops what the hub no longer has.
func TestRecordsThroughTheHub(t *testing.T) {
	ctx := context.Background()
	h := newHub(t)
	people := milano()
	h.replace("F205", people)
	var recs []app.Record
	for i := range 5 {
		recs = append(recs, notice(i, people[i].CodiceFiscale, fmt.Sprintf("avviso %d", i)))
	}
	if err := h.DB.PutRecords(ctx, "F205", recs); err != nil {
		t.Fatal(err)
	}
	if err := h.DB.PutRecords(ctx, app.ScopeNetwork, []app.Record{{Kind: "service", Key: "mensa", Data: []byte(`{"name":"Mensa scolastica"}`)}}); err != nil {
		t.Fatal(err)
	}
	if err := h.DB.PutRecords(ctx, "H501", []app.Record{notice(9, "", "di Roma")}); err != nil {
		t.Fatal(err)
	}

	w := h.synced("F205") // pages of 3: citizens, then records
	if got := records(t, w, "notice", ""); len(got) != 5 || got["N002"] != `{"text":"avviso 2"}` {
		t.Fatalf("after the initial download: %v", got)
	}
	if got := records(t, w, "service", ""); got["mensa"] == "" {
		t.Fatalf("network records: %v", got)
	}
	if got := records(t, w, "notice", people[1].CodiceFiscale); len(got) != 1 || got["N001"] == "" {
		t.Fatalf("records of one person: %v", got)
	}

	t.Run("ChangeLog", func(t *testing.T) {
		if err := h.DB.PutRecords(ctx, "F205", []app.Record{notice(1, people[1].CodiceFiscale, "avviso 1 corretto"), notice(7, "", "nuovo")}); err != nil {
			t.Fatal(err)
		}
		if err := h.DB.DeleteRecord(ctx, "F205", "notice", "N000"); err != nil {
			t.Fatal(err)
		}
		if err := w.C.Round(ctx); err != nil {
			t.Fatal(err)
		}
		got := records(t, w, "notice", "")
		if len(got) != 5 || got["N000"] != "" || !strings.Contains(got["N001"], "corretto") || got["N007"] == "" {
			t.Fatalf("after the changes: %v", got)
		}
	})

	t.Run("ResnapshotDropsWhatTheHubLacks", func(t *testing.T) {
		// The log is compacted past the workstation's cursor: the deletion
		// reaches it only as a record missing from the new download.
		if err := h.DB.DeleteRecord(ctx, "F205", "notice", "N004"); err != nil {
			t.Fatal(err)
		}
		if err := h.DB.PutRecords(ctx, "F205", []app.Record{notice(8, "", "dopo")}); err != nil {
			t.Fatal(err)
		}
		if err := h.DB.Compact(ctx, "F205", h.lastSeq("F205")); err != nil {
			t.Fatal(err)
		}
		if err := w.C.Round(ctx); err != nil {
			t.Fatal(err)
		}
		got := records(t, w, "notice", "")
		if got["N004"] != "" || got["N008"] == "" || len(got) != 5 {
			t.Fatalf("after the resnapshot: %v", got)
		}
	})

	t.Run("UnknownFactIsParked", func(t *testing.T) {
		if err := w.St.AppendFact(ctx, "nonesiste", []byte(`{"a":1}`), time.Now(), nil); err != nil {
			t.Fatal(err)
		}
		w.audit(t, 1)
		if err := w.C.Round(ctx); err != nil && app.ErrorCode(err) != app.ECONFLICT {
			t.Fatal(err)
		}
		parked, err := w.St.ParkedOps(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(parked) != 1 || parked[0].Kind != "nonesiste" || !strings.Contains(parked[0].Reason, "sconosciuto") {
			t.Fatalf("parked = %+v", parked)
		}
		if p, _ := w.outbox(t); p != 0 {
			t.Fatalf("%d operations still pending behind the refused one", p)
		}
	})
}
