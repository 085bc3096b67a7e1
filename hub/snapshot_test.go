package hub_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/sportello/sportello/hub/demo"
	"github.com/sportello/sportello/hub/storage"
	"github.com/sportello/sportello/passwd"
	"github.com/sportello/sportello/sync/wire"
)

// A counter's download pages carry the citizens as the hub stores them,
// not decoded and encoded again: what the workstation reads is exactly
// the decoded page, gzipped or not.
func TestSnapshotRawPages(t *testing.T) {
	h := newHub(t)
	hash := func(pw string) (string, error) {
		return passwd.HashWith(passwd.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, pw)
	}
	if _, err := demo.Seed(t.Context(), h.DB, demo.Options{Comune: "F205", Residents: 25, Seed: 3, HashPassword: hash}); err != nil {
		t.Fatal(err)
	}
	for _, gz := range []bool{false, true} {
		after, pages := "", 0
		for {
			want, err := h.DB.SnapshotFor(t.Context(), storage.ViewOf(storage.RoleCounter), "F205", after, 10)
			if err != nil {
				t.Fatal(err)
			}
			req := httptest.NewRequest("GET", "/v1/snapshot?scope=F205&limit=10&after="+url.QueryEscape(after), nil)
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
				t.Fatalf("page after %q: %v", after, err)
			}
			if got.Scope != want.Scope || got.Seq != want.Seq || got.Total != want.Total || got.After != want.After ||
				got.Done != want.Done || len(got.Operators) != len(want.Operators) || len(got.Records) != len(want.Records) {
				t.Fatalf("gzip %v, page after %q reads\n %+v\nwant\n %+v", gz, after, got, *want)
			}
			if len(got.Citizens) != len(want.Citizens) {
				t.Fatalf("gzip %v, page after %q: %d citizens, want %d", gz, after, len(got.Citizens), len(want.Citizens))
			}
			for i := range got.Citizens {
				b, err := json.Marshal(got.Citizens[i])
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(b, want.Citizens[i]) {
					t.Fatalf("gzip %v, citizen %d after %q reads\n %s\nstored\n %s", gz, i, after, b, want.Citizens[i])
				}
			}
			pages++
			if got.Done {
				break
			}
			after = got.After
		}
		if pages < 3 {
			t.Errorf("%d pages: the fixture should need several", pages)
		}
	}
}
