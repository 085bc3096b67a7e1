package main

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestServeMetrics: serve answers /metrics on its own listener, to
// loopback, without credentials; the API's listener has no /metrics.
func TestServeMetrics(t *testing.T) {
	base, stderr, stop := startServe(t, "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0")
	defer stop()
	var metrics string
	re := regexp.MustCompile(`msg="metrics listening" addr=(http://127\.0\.0\.1:\d+/metrics)`)
	for deadline := time.Now().Add(10 * time.Second); metrics == ""; time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(stderr.String()); m != nil {
			metrics = m[1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("no metrics listener logged:\n%s", stderr)
		}
	}
	get := func(url, token string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", url, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get(base+"/v1/health", ""); code != 200 {
		t.Fatalf("health: %d", code)
	}
	code, body := get(metrics, "")
	if code != 200 || !strings.Contains(body, `sportello_hub_request_duration_seconds_count{code="200",route="GET /v1/health"} 1`) {
		t.Errorf("metrics: %d\n%s", code, body)
	}
	if code, _ := get(metrics, "a-device-token"); code != http.StatusForbidden {
		t.Errorf("metrics with a token: %d, want 403", code)
	}
	if code, body := get(base+"/metrics", ""); code != http.StatusNotFound || strings.Contains(body, "sportello_hub_") {
		t.Errorf("/metrics on the API listener: %d", code)
	}
}
