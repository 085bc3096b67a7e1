package main

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/sportello/sportello/hub"
	"github.com/sportello/sportello/internal/cmdline"
)

// serveMetrics serves the hub's metrics on addr, a listener apart from the
// API's: never reachable through the API's address, nor through a reverse
// proxy that forwards it. On a loopback address only loopback peers are
// answered; an address beyond loopback is the operator's choice (a
// Prometheus server on the comune's network), logged as a warning. A port
// already taken (a second hub on the machine) leaves the hub serving
// without metrics, with a warning: metrics are not worth an outage.
func serveMetrics(ctx context.Context, addr string, m *hub.Metrics, log *slog.Logger) error {
	if addr == "off" || addr == "" {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return cmdline.Usagef("serve: --metrics-addr vuole HOST:PORTA oppure off, non %q", addr)
	}
	ip := net.ParseIP(host)
	remote := host != "localhost" && (ip == nil || !ip.IsLoopback())
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		log.Warn("metrics not served: their address is not free", "addr", addr, "err", err)
		return nil
	}
	if remote {
		log.Warn("metrics served beyond loopback, without authentication: keep the port behind a firewall", "addr", ln.Addr().String())
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", hub.MetricsHandler(m, remote))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: time.Minute}
	go srv.Serve(ln)
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	log.Info("metrics listening", "addr", "http://"+ln.Addr().String()+"/metrics")
	return nil
}
