package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/sportello/sportello/hub"
	"github.com/sportello/sportello/hub/demo"
	"github.com/sportello/sportello/hub/sqlstore"
	"github.com/sportello/sportello/internal/pgdb"
	"github.com/sportello/sportello/passwd"
)

// comune is the benchmark's comune: Milano, the network's largest.
const comune = "F205"

// Result is what one run measured; its JSON keys are the issue's.
type Result struct {
	Residents     int     `json:"residents"`
	HubEngine     string  `json:"hub_engine"`   // "sqlite", or "postgres" with --hub-db
	Load          string  `json:"load_average"` // of the machine at the start, /proc/loadavg
	BuildS        float64 `json:"build_s"`
	InitialSyncS  float64 `json:"initial_sync_s"`
	InitialRows   int     `json:"initial_sync_rows"`
	InitialRowsPS float64 `json:"initial_sync_rows_per_s"`
	BareInsertS   float64 `json:"bare_insert_s"`
	BareInsertRPS float64 `json:"bare_insert_rows_per_s"`
	SyncVsBare    float64 `json:"initial_sync_vs_bare"`
	// SyncMode is how the first download went: "prepared" (the hub's
	// prepared file, built first in PrepareS, PreparedBytes compressed) or
	// "pages" (--pages).
	SyncMode      string  `json:"initial_sync_mode"`
	PrepareS      float64 `json:"hub_prepare_s"`
	PreparedBytes int64   `json:"prepared_bytes"`

	SearchMedianMs     float64 `json:"search_median_ms"`
	SearchP99Ms        float64 `json:"search_p99_ms"`
	SearchBareMedianMs float64 `json:"search_bare_median_ms"`

	CertificateMedianMs     float64 `json:"certificate_median_ms"`
	CertificateBareMedianMs float64 `json:"certificate_bare_median_ms"`

	OutboxFlush10kS float64 `json:"outbox_flush_10k_s"`
	OutboxOps       int     `json:"outbox_ops"` // sent in outbox_flush_10k_s: 10,000 unless --outbox-ops
	Duplicates      int     `json:"duplicates"`

	HubWorkstations int     `json:"hub_workstations"`
	HubRequests     int     `json:"hub_requests"`
	HubErrors       int     `json:"hub_errors"`
	HubP99Ms        float64 `json:"hub_p99_ms"`
	HubPollP99Ms    float64 `json:"hub_poll_p99_ms"`
	HubPushP99Ms    float64 `json:"hub_push_p99_ms"`
	// HubTxs is the hub's writing transactions under load, HubReruns the
	// runs a conflict made over again (PostgreSQL's SERIALIZABLE).
	HubTxs    int64 `json:"hub_txs"`
	HubReruns int64 `json:"hub_reruns"`
}

type config struct {
	residents  int
	asJSON     bool
	hubData    string
	hubDB      string
	work       string
	cpuProfile string
	only       map[string]bool
	outboxOps  int
	pages      bool
	// The load generator: workstations polling every pollEvery and
	// pushes per second in all, for loadFor.
	workstations int
	pushes       int
	pollEvery    time.Duration
	loadFor      time.Duration
}

func (c *config) wants(m string) bool { return len(c.only) == 0 || c.only[m] }

var measures = []string{"sync", "search", "certificate", "outbox", "load"}

func parse(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("sportello-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &config{}
	fs.IntVar(&c.residents, "residents", 2000, "residents of the demo comune to build")
	fs.BoolVar(&c.asJSON, "json", false, "print one JSON object instead of a table")
	fs.StringVar(&c.hubData, "hub-data", "", "a hub folder already built by `sportello-hub demo` for F205 (copied, never written)")
	fs.StringVar(&c.hubDB, "hub-db", "", "run the hub on this PostgreSQL database (postgres://…), which must be empty: the demo comune is built in it")
	fs.StringVar(&c.work, "work", "", "folder for the run's files (default: a temporary folder, removed at the end)")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of the measures run (hub and workstation, one process) to this file; --only picks them")
	only := fs.String("only", "", "comma-separated measures to run: "+strings.Join(measures, ","))
	fs.IntVar(&c.outboxOps, "outbox-ops", 10000, "operations in the outbox flush")
	fs.BoolVar(&c.pages, "pages", false, "first download by pages, without the hub's prepared file")
	fs.IntVar(&c.workstations, "workstations", 2000, "load generator: simulated workstations")
	fs.IntVar(&c.pushes, "pushes", 200, "load generator: pushes per second, in all")
	fs.DurationVar(&c.pollEvery, "poll-every", 5*time.Second, "load generator: each workstation polls the change log this often")
	fs.DurationVar(&c.loadFor, "load-for", 30*time.Second, "load generator: how long")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if c.hubDB != "" && (!pgdb.IsURL(c.hubDB) || c.hubData != "") {
		return nil, errors.New("--hub-db wants the URL of an empty PostgreSQL database (postgres://…), and no --hub-data")
	}
	if c.residents < 1 || c.residents > 5_000_000 {
		return nil, errors.New("--residents wants a number from 1 to 5000000")
	}
	if c.outboxOps < 1 || c.workstations < 1 || c.pushes < 0 || c.pollEvery <= 0 || c.loadFor <= 0 {
		return nil, errors.New("--outbox-ops and --workstations want 1 or more, --pushes 0 or more, --poll-every and --load-for a positive duration")
	}
	if *only != "" {
		c.only = map[string]bool{}
		for _, m := range strings.Split(*only, ",") {
			if !contains(measures, m) {
				return nil, fmt.Errorf("--only: unknown measure %q (%s)", m, strings.Join(measures, ","))
			}
			c.only[m] = true
		}
	}
	return c, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parse(args, stderr)
	if err != nil {
		return err
	}
	if cfg.work == "" {
		dir, err := os.MkdirTemp("", "sportello-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		cfg.work = dir
	} else if err := os.MkdirAll(cfg.work, 0o700); err != nil {
		return err
	}
	res := &Result{Residents: cfg.residents, HubEngine: "sqlite", Load: loadAverage()}
	if cfg.hubDB != "" {
		res.HubEngine = "postgres"
	}
	logf := func(format string, a ...any) {
		if !cfg.asJSON {
			fmt.Fprintf(stderr, format+"\n", a...)
		}
	}

	start := time.Now()
	db, err := buildHub(ctx, cfg)
	if err != nil {
		return fmt.Errorf("build the hub: %w", err)
	}
	defer db.Close()
	res.BuildS = time.Since(start).Seconds()
	logf("hub built: %d residents in %.1f s", cfg.residents, res.BuildS)
	var prepared *hub.Prepared
	if !cfg.pages && (cfg.wants("sync") || cfg.wants("search") || cfg.wants("certificate") || cfg.wants("outbox")) {
		// The hub prepares the comune's file once, before any workstation
		// asks (as `sportello-hub serve` does in the background).
		quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
		if prepared, err = hub.NewPrepared(ctx, filepath.Join(cfg.work, "hub", "prepared"), db, quiet); err != nil {
			return err
		}
		start := time.Now()
		a, err := prepared.Build(ctx, comune)
		if err != nil {
			return err
		}
		res.PrepareS, res.PreparedBytes = time.Since(start).Seconds(), a.Size
		logf("hub prepared the anagrafe: %.1f MB compressed in %.1f s", float64(a.Size)/1e6, res.PrepareS)
	}
	url, stopHub, err := startHub(ctx, db, prepared)
	if err != nil {
		return err
	}
	defer stopHub()

	// The measures after the download use its workstation.
	ws := &workstation{}
	defer func() {
		if ws.st != nil {
			ws.st.Close()
		}
	}()
	if cfg.cpuProfile != "" {
		f, err := os.Create(cfg.cpuProfile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if cfg.wants("sync") || cfg.wants("search") || cfg.wants("certificate") || cfg.wants("outbox") {
		err := measureSync(ctx, cfg, db, url, res, ws)
		if err != nil {
			return fmt.Errorf("initial sync: %w", err)
		}
		logf("initial sync: %d rows in %.2f s (%.0f rows/s); bare insert %.2f s (%.0f rows/s)",
			res.InitialRows, res.InitialSyncS, res.InitialRowsPS, res.BareInsertS, res.BareInsertRPS)
	}
	if cfg.wants("search") {
		if err := measureSearch(ctx, ws.st, ws.path, res); err != nil {
			return fmt.Errorf("search: %w", err)
		}
		logf("search: median %.3f ms, p99 %.3f ms; bare median %.3f ms", res.SearchMedianMs, res.SearchP99Ms, res.SearchBareMedianMs)
	}
	if cfg.wants("outbox") {
		if err := measureOutbox(ctx, cfg, db, ws.st, ws.c, res); err != nil {
			return fmt.Errorf("outbox flush: %w", err)
		}
		logf("outbox flush: %d operations in %.2f s, %d duplicates", res.OutboxOps, res.OutboxFlush10kS, res.Duplicates)
	}
	if cfg.wants("certificate") {
		if err := measureCertificate(ctx, cfg, ws.st, ws.path, res); err != nil {
			return fmt.Errorf("certificate: %w", err)
		}
		logf("certificate: median %.2f ms; bare median %.2f ms", res.CertificateMedianMs, res.CertificateBareMedianMs)
	}
	if cfg.wants("load") {
		devs, err := loadDevices(ctx, db, cfg.workstations)
		if err != nil {
			return fmt.Errorf("load: enrol: %w", err)
		}
		logf("load: %d workstations polling every %s, %d pushes/s, for %s", len(devs), cfg.pollEvery, cfg.pushes, cfg.loadFor)
		first, err := db.Snapshot(ctx, comune, "", 1)
		if err != nil {
			return err
		}
		txs, reruns := db.Conflicts()
		if err := runLoad(ctx, cfg, url, first.Seq, devs, res); err != nil {
			return fmt.Errorf("load: %w", err)
		}
		txsAfter, rerunsAfter := db.Conflicts()
		res.HubTxs, res.HubReruns = txsAfter-txs, rerunsAfter-reruns
		logf("load: %d requests, %d errors, p99 %.2f ms (polls %.2f, pushes %.2f); %d writing transactions, %d runs again for a conflict",
			res.HubRequests, res.HubErrors, res.HubP99Ms, res.HubPollP99Ms, res.HubPushP99Ms, res.HubTxs, res.HubReruns)
	}
	if cfg.asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	printTable(stdout, res)
	return nil
}

// buildHub makes the hub's database: a copy of --hub-data, or a demo
// comune of --residents built now.
func buildHub(ctx context.Context, cfg *config) (*sqlstore.DB, error) {
	if cfg.hubDB != "" {
		db, err := sqlstore.Open(ctx, cfg.hubDB)
		if err != nil {
			return nil, err
		}
		if n, err := db.CountCitizens(ctx, comune); err != nil || n > 0 {
			db.Close()
			if err == nil {
				err = fmt.Errorf("the database at --hub-db already holds %d citizens of %s: give an empty one", n, comune)
			}
			return nil, err
		}
		if _, err := demo.Seed(ctx, db, demo.Options{Comune: comune, Residents: cfg.residents, Seed: 1, HashPassword: passwd.Hash}); err != nil {
			db.Close()
			return nil, err
		}
		return db, nil
	}
	path := filepath.Join(cfg.work, "hub", "hub.db")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	if cfg.hubData != "" {
		for _, suffix := range []string{"", "-wal"} {
			if err := copyFile(filepath.Join(cfg.hubData, "hub.db"+suffix), path+suffix); err != nil && !(suffix != "" && errors.Is(err, os.ErrNotExist)) {
				return nil, err
			}
		}
		return sqlstore.Open(ctx, path)
	}
	db, err := sqlstore.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	if _, err := demo.Seed(ctx, db, demo.Options{Comune: comune, Residents: cfg.residents, Seed: 1, HashPassword: passwd.Hash}); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// startHub serves the hub on a loopback port, as `sportello-hub serve` does.
func startHub(ctx context.Context, db *sqlstore.DB, prepared *hub.Prepared) (url string, stop func(), err error) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := hub.NewHTTPServer("127.0.0.1:0", hub.NewServer(hub.Deps{DB: db, Log: quiet, Prepared: prepared}))
	ctx, cancel := context.WithCancel(ctx)
	addr := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- hub.Serve(ctx, srv, func(a string) { addr <- a }) }()
	select {
	case a := <-addr:
		return "http://" + a, func() { cancel(); <-done }, nil
	case err := <-done:
		cancel()
		return "", nil, err
	}
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

func mkdirFor(path string) error { return os.MkdirAll(filepath.Dir(path), 0o700) }

func printTable(w io.Writer, r *Result) {
	fmt.Fprintf(w, "residents %d, hub on %s (load average at start: %s)\n", r.Residents, r.HubEngine, r.Load)
	fmt.Fprintf(w, "%-34s %12s %12s\n", "measure", "value", "bare")
	row := func(name string, v, bare float64, unit string) {
		b := ""
		if bare > 0 {
			b = fmt.Sprintf("%.3f %s", bare, unit)
		}
		fmt.Fprintf(w, "%-34s %12s %12s\n", name, fmt.Sprintf("%.3f %s", v, unit), b)
	}
	row("initial sync", r.InitialSyncS, r.InitialSyncS/max(r.SyncVsBare, 1e-9), "s")
	fmt.Fprintf(w, "%-34s %12.0f %12.0f\n", "initial sync rows/s", r.InitialRowsPS, r.BareInsertRPS)
	row("search median", r.SearchMedianMs, r.SearchBareMedianMs, "ms")
	row("search p99", r.SearchP99Ms, 0, "ms")
	row("certificate median", r.CertificateMedianMs, r.CertificateBareMedianMs, "ms")
	row("outbox flush 10k", r.OutboxFlush10kS, 0, "s")
	fmt.Fprintf(w, "%-34s %12d\n", "duplicates", r.Duplicates)
	row("hub p99", r.HubP99Ms, 0, "ms")
}
