package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/queue"
)

// cmdQueue is `sportello queue`: tickets, calls, the board and the
// statistics from the command line, over the same queue service as the
// kiosk and the counter.
func cmdQueue(ctx context.Context, o options, args []string) error {
	if len(args) == 0 {
		return usageError{"queue: indicare ticket, call, board o stats"}
	}
	ws, err := openWorkstation(o, quietLog(io.Discard))
	if err != nil {
		return err
	}
	defer ws.Close()
	if _, err := ws.profile(ctx); err != nil {
		return err
	}
	q := newQueueService(ws)
	q.Outboxed = nil
	rest := args[1:]
	switch args[0] {
	case "ticket":
		fs := subFlags("queue ticket")
		area := fs.String("area", "", "")
		code := fs.String("cf", "", "")
		if err := fs.Parse(rest); err != nil || *area == "" {
			return usageError{"queue ticket: --area A [--cf CF]"}
		}
		_ = ws.client.Round(ctx) // the areas, and the hub's number if it answers
		t, err := q.Issue(ctx, strings.ToUpper(*area), strings.ToUpper(*code), "")
		if err != nil {
			return err
		}
		if err := q.Printed(ctx, t); err != nil {
			return err
		}
		_ = ws.client.Round(ctx)
		fmt.Fprintf(o.stdout, "%s\tin attesa prima: %d\tattesa stimata: %d minuti\n", t.Number, t.Ahead, t.WaitMinutes)
		return nil
	case "call":
		fs := subFlags("queue call")
		counter := fs.String("counter", "", "")
		areas := fs.String("area", "", "")
		operator := fs.String("operator", "", "")
		if err := fs.Parse(rest); err != nil || *counter == "" {
			return usageError{"queue call: --counter N [--area A,B]"}
		}
		var list []string
		if *areas != "" {
			list = strings.Split(strings.ToUpper(*areas), ",")
		}
		t, err := q.CallNext(ctx, *operator, *counter, list)
		if err != nil {
			return err
		}
		_ = ws.client.Round(ctx)
		if t == nil {
			fmt.Fprintln(o.stdout, "nessuno in attesa")
			return nil
		}
		fmt.Fprintf(o.stdout, "%s allo sportello %s", t.Number, t.Counter)
		if t.CodiceFiscale != "" {
			fmt.Fprintf(o.stdout, "\t%s", t.CodiceFiscale)
		}
		fmt.Fprintln(o.stdout)
		return nil
	case "board":
		fs := subFlags("queue board")
		asJSON := fs.Bool("json", false, "")
		if err := fs.Parse(rest); err != nil {
			return usageError{"queue board: " + err.Error()}
		}
		_ = ws.client.Round(ctx)
		st, err := q.Board(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			return json.NewEncoder(o.stdout).Encode(st)
		}
		for _, c := range st.Calls {
			fmt.Fprintf(o.stdout, "%s\tsportello %s\t%s\n", c.Number, c.Counter, c.At.In(queue.Rome).Format("15:04:05"))
		}
		return nil
	case "stats":
		return cmdQueueStats(ctx, o, q, rest)
	}
	return usageError{fmt.Sprintf("queue: comando sconosciuto %q", args[0])}
}

// cmdQueueStats is `sportello queue stats`: the supervisor's statistics
// through the queue service, as the counter's screen reads them.
func cmdQueueStats(ctx context.Context, o options, q *queue.Service, args []string) error {
	fs := subFlags("queue stats")
	today := queue.Day(time.Now())
	from := fs.String("from", today, "")
	to := fs.String("to", today, "")
	asJSON := fs.Bool("json", false, "")
	if err := fs.Parse(args); err != nil {
		return usageError{"queue stats: " + err.Error()}
	}
	for _, d := range []string{*from, *to} {
		if _, err := app.ParseDate(d); err != nil {
			return usageError{"queue stats: " + app.ErrorMessage(err)}
		}
	}
	rows, err := q.Stats(ctx, *from, *to)
	if err != nil {
		return err
	}
	if *asJSON {
		type row struct {
			Day         string  `json:"day"`
			Area        string  `json:"area"`
			Hour        int     `json:"hour"`
			Issued      int     `json:"issued"`
			Served      int     `json:"served"`
			Skipped     int     `json:"skipped"`
			MeanWait    float64 `json:"mean_wait_minutes"`
			MaxWait     float64 `json:"max_wait_minutes"`
			MeanService float64 `json:"mean_service_minutes"`
		}
		out := []row{}
		for _, r := range rows {
			out = append(out, row{r.Day, r.Area, r.Hour, r.Issued, r.Served, r.Skipped, r.MeanWait.Minutes(), r.MaxWait.Minutes(), r.MeanService.Minutes()})
		}
		return json.NewEncoder(o.stdout).Encode(out)
	}
	tw := tabwriter.NewWriter(o.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "giorno\tarea\tora\temessi\tserviti\tassenti\tattesa media\tattesa max\tservizio medio")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%02d-%02d\t%d\t%d\t%d\t%s\t%s\t%s\n", r.Day, r.Area, r.Hour, r.Hour+1, r.Issued, r.Served, r.Skipped,
			minutes(r.MeanWait), minutes(r.MaxWait), minutes(r.MeanService))
	}
	return tw.Flush()
}

func minutes(d time.Duration) string { return fmt.Sprintf("%.1f min", d.Minutes()) }
