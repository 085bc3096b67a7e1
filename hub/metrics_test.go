package hub_test

import (
	"encoding/json"
	"github.com/sportello/sportello/hub/storage/stored"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/hub"
	"github.com/sportello/sportello/sync/wire"
)

// scrape reads the metrics as a Prometheus server on addr would.
func scrape(t *testing.T, m *hub.Metrics, remoteAddr string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("GET", "/metrics", nil)
	req.RemoteAddr = remoteAddr
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	hub.MetricsHandler(m, false).ServeHTTP(rec, req)
	return rec
}

func TestMetrics(t *testing.T) {
	h := newHub(t)
	m := hub.NewMetrics()
	h.H = hub.NewServer(hub.Deps{DB: h.DB, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Limits: limits, Metrics: m})
	snap, err := h.DB.Snapshot(t.Context(), "F205", "", 1)
	if err != nil || len(snap.Citizens) == 0 {
		t.Fatalf("fixture: %v", err)
	}
	first, err := stored.DecodeCitizen(snap.Citizens[0])
	if err != nil {
		t.Fatal(err)
	}
	code := first.CodiceFiscale

	if rec := h.do("GET", "/v1/citizens/"+code, h.Token, ""); rec.Code != 200 {
		t.Fatalf("citizen: %d %s", rec.Code, rec.Body)
	}
	if rec := h.do("GET", "/v1/changes?scope=F205&after=0&limit=1", h.Token, ""); rec.Code != 200 {
		t.Fatalf("changes: %d %s", rec.Code, rec.Body)
	}
	op := auditOp(h.Device, "00000000-0000-4000-8000-000000000001", 1, 1, "")
	body, _ := json.Marshal(wire.PushRequest{Ops: []wire.Op{op}})
	if rec := h.do("POST", "/v1/ops", h.Token, string(body), wire.HeaderOutboxDepth, "7"); rec.Code != 200 {
		t.Fatalf("push: %d %s", rec.Code, rec.Body)
	}
	h.do("POST", "/v1/ops", h.Token, string(body), wire.HeaderOutboxDepth, "6") // the same again: a duplicate

	rec := scrape(t, m, "127.0.0.1:40000")
	if rec.Code != 200 {
		t.Fatalf("scrape from loopback: %d %s", rec.Code, rec.Body)
	}
	text := rec.Body.String()
	for _, want := range []string{
		`sportello_hub_request_duration_seconds_count{code="200",route="GET /v1/citizens/{cf}"} 1`,
		`sportello_hub_request_duration_seconds_count{code="200",route="POST /v1/ops"} 2`,
		`sportello_hub_ops_total{kind="audit",result="applied"} 1`,
		`sportello_hub_ops_total{kind="audit",result="duplicate"} 1`,
		`sportello_hub_changes_lag{device="` + h.Device + `",scope="F205"} `,
		`sportello_hub_device_outbox_depth{device="` + h.Device + `"} 6`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(text, code) {
		t.Errorf("a codice fiscale is in the metrics:\n%s", text)
	}

	t.Run("ErrBadOutboxDepth", func(t *testing.T) {
		for _, bad := range []string{"-1", "x", "99999999999", "1e3"} {
			rec := h.do("POST", "/v1/ops", h.Token, string(body), wire.HeaderOutboxDepth, bad)
			if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), app.EINVALID) {
				t.Errorf("outbox depth %q: %d %s", bad, rec.Code, rec.Body)
			}
		}
	})
	t.Run("ErrRemotePeer", func(t *testing.T) {
		if rec := scrape(t, m, "192.0.2.10:40000"); rec.Code != http.StatusForbidden {
			t.Errorf("scrape from another machine: %d", rec.Code)
		}
	})
	t.Run("ErrDeviceToken", func(t *testing.T) {
		if rec := scrape(t, m, "127.0.0.1:40000", "Authorization", "Bearer "+h.Token); rec.Code != http.StatusForbidden {
			t.Errorf("scrape with a device token: %d", rec.Code)
		}
		// The API's listener has no /metrics, for a device or anyone.
		for _, tok := range []string{h.Token, ""} {
			if rec := h.do("GET", "/metrics", tok, ""); rec.Code != http.StatusNotFound || strings.Contains(rec.Body.String(), "sportello_hub_") {
				t.Errorf("/metrics on the API listener (token %q): %d", tok, rec.Code)
			}
		}
	})
}
