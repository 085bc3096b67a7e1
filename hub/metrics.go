package hub

import (
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/sync/wire"
)

// Metrics are what the hub tells a Prometheus server about itself: the
// latency of each route, the operations applied by kind, how far each
// device's change-log cursor is behind the head of its comune's log, and
// the outbox depth each device reported on its last push. Labels are
// route patterns (routes.go) and device ids, never a path or a query: no
// codice fiscale reaches a label.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.HistogramVec
	ops      *prometheus.CounterVec
	lag      *prometheus.GaugeVec
	outbox   *prometheus.GaugeVec
}

// NewMetrics returns the hub's metrics on a registry of their own, with
// the Go runtime's and the process's collectors beside them.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "sportello_hub", Name: "request_duration_seconds",
			Help:    "Time to answer a request, by route pattern and status code.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route", "code"}),
		ops: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "sportello_hub", Name: "ops_total",
			Help: "Operations pushed by workstations, by kind and result (applied, duplicate, refused).",
		}, []string{"kind", "result"}),
		lag: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: "sportello_hub", Name: "changes_lag",
			Help: "Changes of the scope's log after the cursor a device last asked from.",
		}, []string{"device", "scope"}),
		outbox: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: "sportello_hub", Name: "device_outbox_depth",
			Help: "Operations waiting in a device's outbox, as it reported on its last push.",
		}, []string{"device"}),
	}
	m.reg.MustRegister(m.requests, m.ops, m.lag, m.outbox,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// instrument times next under the route's pattern.
func (m *Metrics) instrument(pattern string, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		next(sw, r)
		m.requests.WithLabelValues(pattern, strconv.Itoa(sw.code)).Observe(time.Since(start).Seconds())
	}
}

// op counts one operation's result.
func (m *Metrics) op(kind string, res app.OpResult) {
	result := "applied"
	switch {
	case res.Code != "":
		result = "refused"
	case res.Duplicate:
		result = "duplicate"
	}
	m.ops.WithLabelValues(kind, result).Inc()
}

// MaxOutboxDepth bounds the outbox depth a device may report
// (wire.HeaderOutboxDepth): a bigger number is a forged or broken header.
const MaxOutboxDepth = 10_000_000

// outboxDepth reads the depth a push reports; absent (an older client) is
// not an error, a malformed or impossible one is.
func outboxDepth(r *http.Request) (int, bool, error) {
	v := r.Header.Get(wire.HeaderOutboxDepth)
	if v == "" {
		return 0, false, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > MaxOutboxDepth {
		return 0, false, app.Errorf(app.EINVALID, "intestazione %s non valida: un numero da 0 a %d", wire.HeaderOutboxDepth, MaxOutboxDepth)
	}
	return n, true, nil
}

// statusWriter remembers the status code of an answer. It passes Flush
// through, and Unwrap lets http.ResponseController reach the rest.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	w.code = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// MetricsHandler serves m in the Prometheus text format. It is never a
// route of the hub's API listener: it runs on a listener of its own
// (sportello-hub serve --metrics-addr), and there, unless remote is true
// (the operator named an address beyond loopback on purpose), it answers
// only a peer on loopback. A request that carries a token is refused
// whatever its address: a workstation's credentials open nothing here,
// and one sent here is a mistake to notice.
func MetricsHandler(m *Metrics, remote bool) http.Handler {
	h := promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			http.Error(w, "metrics take no credentials", http.StatusForbidden)
			return
		}
		if !remote && !loopbackPeer(r) {
			http.Error(w, "metrics are served to loopback only", http.StatusForbidden)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func loopbackPeer(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
