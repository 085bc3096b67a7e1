// Command sportello-bench measures what issue 12's table asks of a
// network-size Sportello, each measure beside its bare baseline taken in the
// same run on the same machine: the search on the workstation's cache
// against the bare SQLite query, a certificate against a bare gopdf page and
// insert, the first download against a bare SQLite bulk insert of the same
// rows, an outbox flush of 10,000 operations to a real hub on loopback, and
// simulated workstations polling and pushing against the hub over real HTTP.
//
//	go run ./cmd/sportello-bench --residents N [--json]
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "sportello-bench:", err)
		os.Exit(1)
	}
}
