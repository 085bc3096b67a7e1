package hub_test

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/sportello/sportello/hub/hubdb"
	"github.com/sportello/sportello/sync/wire"
)

// A counter's download pages carry the citizens as the hub stores them,
// not decoded and encoded again: what the workstation reads is exactly
// the decoded page, gzipped or not.
func TestSnapshotRawPages(t *testing.T) {
	h := newHub(t)
	want, err := h.DB.SnapshotFor(t.Context(), hubdb.ViewOf(hubdb.RoleCounter), "F205", "", 10)
	if err != nil || len(want.Citizens) == 0 {
		t.Fatalf("fixture: %v", err)
	}
	for _, gz := range []bool{false, true} {
		req := httptest.NewRequest("GET", "/v1/snapshot?scope=F205", nil)
		req.Header.Set("Authorization", "Bearer "+h.Token)
		if gz {
			req.Header.Set("Accept-Encoding", "gzip")
		}
		rec := httptest.NewRecorder()
		h.H.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Fatalf("snapshot: %d %s", rec.Code, rec.Body)
		}
		var body io.Reader = rec.Body
		if gz {
			zr, err := gzip.NewReader(rec.Body)
			if err != nil {
				t.Fatal(err)
			}
			body = zr
		}
		var got wire.SnapshotResponse
		dec := json.NewDecoder(body)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&got); err != nil {
			t.Fatal(err)
		}
		got.AsOf, want.AsOf = "", ""
		if !reflect.DeepEqual(got, *want) {
			t.Errorf("gzip %v: the page reads\n %+v\nwant\n %+v", gz, got, *want)
		}
	}
}
