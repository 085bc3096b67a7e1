// Command sportello-chaos proves that nothing is lost: it runs seeded
// scenarios against the real hub and workstations, started as binaries on
// loopback, with faults (workstations and the hub SIGKILLed, a proxy that
// cuts, delays, duplicates and reorders requests, workstations offline
// together, skewed clocks, a hub restored from a backup), and checks
// afterwards that every fact a workstation confirmed is at the hub exactly
// once, that protocol numbers are gap-free and unique, that every
// workstation converged to the hub and that no operation is stuck without
// a visible reason.
//
//	go run ./cmd/sportello-chaos --runs 20 --seed 1
//
// It ends with `chaos: runs=N lost=L duplicated=D diverged=V stuck=S` and
// exits 0 only when all four are zero. Run i uses seed S+i; a failing run
// replays alone with `--seed SEED --runs 1`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	stdsync "sync"
	"syscall"
	"time"

	_ "github.com/mattn/go-sqlite3"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	var usage usageError
	switch {
	case err == nil:
	case errors.As(err, &usage):
		fmt.Fprintln(os.Stderr, "sportello-chaos:", err)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "sportello-chaos:", err)
		os.Exit(1)
	}
}

type usageError struct{ error }

// errFailed is a series with failures: the summary line says how many.
var errFailed = errors.New("some runs lost, duplicated, diverged or left stuck facts")

// run is the whole command.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sportello-chaos", flag.ContinueOnError)
	fs.SetOutput(stderr)
	runs := fs.Int("runs", 20, "how many runs")
	seed := fs.Uint64("seed", 1, "the first run's seed; run i uses seed+i")
	names := fs.String("scenarios", strings.Join(defaultScenarios, ","),
		"the scenarios, comma-separated, or \"all\"; run i takes the one at (seed+i) mod their number")
	binDir := fs.String("bin", "", "a folder holding sportello and sportello-hub already built (default: build them)")
	keep := fs.Bool("keep", false, "keep the folders of failing runs")
	verbose := fs.Bool("v", false, "print what each run did")
	parallel := fs.Int("parallel", 1, "how many runs at once")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	if fs.NArg() > 0 || *runs < 1 || *parallel < 1 {
		return usageError{fmt.Errorf("usage: sportello-chaos [--runs N] [--seed S] [--scenarios A,B|all] [--bin DIR] [--parallel P] [--keep] [-v]")}
	}
	var chosen []scenario
	if *names == "all" {
		chosen = scenarios
	} else {
		for _, n := range strings.Split(*names, ",") {
			s, ok := scenarioNamed(strings.TrimSpace(n))
			if !ok {
				return usageError{fmt.Errorf("unknown scenario %q", n)}
			}
			chosen = append(chosen, s)
		}
	}

	work, err := os.MkdirTemp("", "sportello-chaos")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	start := time.Now()
	bin := binaries{*binDir}
	if *binDir == "" {
		if bin, err = build(ctx, root, filepath.Join(work, "bin")); err != nil {
			return err
		}
	}
	tmpl, err := makeTemplate(ctx, bin, root, filepath.Join(work, "template"))
	if err != nil {
		return fmt.Errorf("template: %w", err)
	}
	fmt.Fprintf(stdout, "chaos: binaries and template ready in %v\n", time.Since(start).Round(time.Millisecond))

	// Runs go in parallel (--parallel) but are reported in their order.
	type result struct {
		sc            scenario
		seed          uint64
		dir           string
		c             counts
		problems, log []string
		took          time.Duration
		done          chan struct{}
	}
	results := make([]*result, *runs)
	for i := range results {
		s := *seed + uint64(i)
		results[i] = &result{sc: chosen[s%uint64(len(chosen))], seed: s, dir: filepath.Join(work, fmt.Sprintf("run-%d", s)),
			done: make(chan struct{})}
	}
	next := make(chan *result)
	go func() {
		defer close(next)
		for _, r := range results {
			select {
			case next <- r:
			case <-ctx.Done():
				return
			}
		}
	}()
	var workers stdsync.WaitGroup
	// Every run's processes end before the work folder goes.
	defer workers.Wait()
	for range *parallel {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for r := range next {
				t0 := time.Now()
				c, problems, log, err := runOne(ctx, tmpl, r.sc, r.dir, r.seed)
				if err != nil {
					// The harness itself failed (a hub that would not
					// start): the run proves nothing, a failure too.
					c.diverged++
					problems = append(problems, "harness: "+err.Error())
				}
				r.c, r.problems, r.log, r.took = c, problems, log, time.Since(t0)
				if !c.failed() || !*keep {
					removeAll(r.dir)
				}
				close(r.done)
			}
		}()
	}

	var total counts
	per := map[string]*counts{}
	perRuns := map[string]int{}
	failedRuns := 0
	series := time.Now()
	done := 0 // runs reported; fewer than asked when interrupted
	for i, r := range results {
		select {
		case <-r.done:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			// Interrupted: the runs finished so far are the series.
			fmt.Fprintf(stdout, "chaos: interrupted after %d of %d runs\n", done, *runs)
			break
		}
		done++
		c := r.c
		total.add(c)
		if per[r.sc.name] == nil {
			per[r.sc.name] = &counts{}
		}
		per[r.sc.name].add(c)
		perRuns[r.sc.name]++
		line := fmt.Sprintf("run %d seed=%d scenario=%s %v lost=%d duplicated=%d diverged=%d stuck=%d parked=%d",
			i+1, r.seed, r.sc.name, r.took.Round(time.Millisecond), c.lost, c.duplicated, c.diverged, c.stuck, c.parked)
		if c.failed() {
			failedRuns++
			fmt.Fprintf(stdout, "FAIL %s (replay: --seed %d --runs 1 --scenarios %s)\n", line, r.seed, r.sc.name)
			for _, p := range r.problems {
				fmt.Fprintln(stdout, "  ", p)
			}
			for _, l := range r.log {
				fmt.Fprintln(stdout, "   |", l)
			}
			if *keep {
				fmt.Fprintln(stdout, "   kept in", r.dir)
			}
		} else if *verbose {
			fmt.Fprintln(stdout, "ok  ", line)
			for _, l := range r.log {
				fmt.Fprintln(stdout, "   |", l)
			}
		}
		if (i+1)%50 == 0 && i+1 < *runs {
			fmt.Fprintf(stdout, "chaos: %d of %d runs in %v, %d failed\n", i+1, *runs, time.Since(series).Round(time.Second), failedRuns)
		}
	}
	if *keep && failedRuns > 0 {
		// The failing runs' folders outlive the series.
		kept := filepath.Join(os.TempDir(), fmt.Sprintf("sportello-chaos-kept-%d", time.Now().Unix()))
		os.Rename(work, kept)
		fmt.Fprintln(stdout, "chaos: failing runs kept under", kept)
	}
	for _, sc := range chosen {
		if c, ok := per[sc.name]; ok {
			fmt.Fprintf(stdout, "chaos: scenario %s runs=%d lost=%d duplicated=%d diverged=%d stuck=%d parked=%d\n",
				sc.name, perRuns[sc.name], c.lost, c.duplicated, c.diverged, c.stuck, c.parked)
		}
	}
	fmt.Fprintf(stdout, "chaos: %d runs in %v, %d failed\n", done, time.Since(series).Round(time.Millisecond), failedRuns)
	fmt.Fprintf(stdout, "chaos: runs=%d lost=%d duplicated=%d diverged=%d stuck=%d\n",
		done, total.lost, total.duplicated, total.diverged, total.stuck)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if total.failed() {
		return errFailed
	}
	return nil
}

// runOne plays one seeded scenario, heals the network and checks.
func runOne(ctx context.Context, tmpl *template, sc scenario, dir string, seed uint64) (counts, []string, []string, error) {
	w, err := newWorld(ctx, tmpl, dir, seed, sc.nws)
	if err != nil {
		return counts{}, nil, nil, err
	}
	defer w.close()
	if err := sc.run(w); err != nil {
		return counts{}, nil, w.log, err
	}
	if err := w.heal(); err != nil {
		return counts{}, nil, w.log, err
	}
	w.stopHub()
	c, problems := w.check()
	return c, problems, w.log, nil
}
