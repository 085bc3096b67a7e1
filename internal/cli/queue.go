package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/queue"
	"github.com/sportello/sportello/internal/cmdline"
)

// The queue commands work over the same queue service as the kiosk and
// the counter: tickets, calls, the board and the statistics.

func cmdQueueTicket(ctx context.Context, e *Env, args []string) error {
	fs := flags("queue ticket")
	area := fs.String("area", "", "")
	code := fs.String("cf", "", "")
	if err := fs.Parse(args); err != nil || *area == "" {
		return cmdline.Usagef("queue ticket: --area A [--cf CF]")
	}
	// A round first: the areas, and the hub's number if it answers.
	s, err := e.open(ctx, preamble{round: true})
	if err != nil {
		return err
	}
	defer s.Close()
	t, err := s.Queue.Issue(ctx, strings.ToUpper(*area), strings.ToUpper(*code), "")
	if err != nil {
		return err
	}
	if err := s.Queue.Printed(ctx, t); err != nil {
		return err
	}
	_ = s.round(ctx)
	fmt.Fprintf(e.Stdout, "%s\tin attesa prima: %d\tattesa stimata: %d minuti\n", t.Number, t.Ahead, t.WaitMinutes)
	return nil
}

func cmdQueueCall(ctx context.Context, e *Env, args []string) error {
	fs := flags("queue call")
	counter := fs.String("counter", "", "")
	areas := fs.String("area", "", "")
	operator := fs.String("operator", "", "")
	if err := fs.Parse(args); err != nil || *counter == "" {
		return cmdline.Usagef("queue call: --counter N [--area A,B]")
	}
	var list []string
	if *areas != "" {
		list = strings.Split(strings.ToUpper(*areas), ",")
	}
	s, err := e.open(ctx, preamble{})
	if err != nil {
		return err
	}
	defer s.Close()
	t, err := s.Queue.CallNext(ctx, *operator, *counter, list)
	if err != nil {
		return err
	}
	_ = s.round(ctx)
	if t == nil {
		fmt.Fprintln(e.Stdout, "nessuno in attesa")
		return nil
	}
	fmt.Fprintf(e.Stdout, "%s allo sportello %s", t.Number, t.Counter)
	if t.CodiceFiscale != "" {
		fmt.Fprintf(e.Stdout, "\t%s", t.CodiceFiscale)
	}
	fmt.Fprintln(e.Stdout)
	return nil
}

// boardLine is `queue board --json`: what the display board shows.
type boardLine struct {
	Day     string         `json:"day"` // AAAA-MM-GG, in Italian time
	Calls   []callLine     `json:"calls"`
	Waiting map[string]int `json:"waiting"` // people waiting, by area
}

// callLine is one call on the board, newest first.
type callLine struct {
	Number   string `json:"number"`
	Counter  string `json:"counter"`
	Area     string `json:"area"`
	CalledAt string `json:"called_at"`
}

func cmdQueueBoard(ctx context.Context, e *Env, args []string) error {
	fs := flags("queue board")
	asJSON := fs.Bool("json", false, "")
	if err := fs.Parse(args); err != nil {
		return cmdline.Usagef("queue board: %v", err)
	}
	s, err := e.open(ctx, preamble{round: true})
	if err != nil {
		return err
	}
	defer s.Close()
	st, err := s.Queue.Board(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		out := boardLine{Day: st.Day, Calls: []callLine{}, Waiting: st.Waiting}
		if out.Waiting == nil {
			out.Waiting = map[string]int{}
		}
		for _, c := range st.Calls {
			out.Calls = append(out.Calls, callLine{Number: c.Number, Counter: c.Counter, Area: c.Area, CalledAt: app.FormatInstant(c.At)})
		}
		return json.NewEncoder(e.Stdout).Encode(out)
	}
	for _, c := range st.Calls {
		fmt.Fprintf(e.Stdout, "%s\tsportello %s\t%s\n", c.Number, c.Counter, c.At.In(app.Rome).Format("15:04:05"))
	}
	return nil
}

// statsLine is one row of `queue stats --json`: a day, an area and an
// hour of the day.
type statsLine struct {
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

// cmdQueueStats is the supervisor's statistics through the queue service,
// as the counter's screen reads them.
func cmdQueueStats(ctx context.Context, e *Env, args []string) error {
	fs := flags("queue stats")
	today := queue.Day(time.Now())
	from := fs.String("from", today, "")
	to := fs.String("to", today, "")
	asJSON := fs.Bool("json", false, "")
	if err := fs.Parse(args); err != nil {
		return cmdline.Usagef("queue stats: %v", err)
	}
	for _, d := range []string{*from, *to} {
		if _, err := app.ParseDate(d); err != nil {
			return cmdline.Usagef("queue stats: %s", app.ErrorMessage(err))
		}
	}
	s, err := e.open(ctx, preamble{})
	if err != nil {
		return err
	}
	defer s.Close()
	rows, err := s.Queue.Stats(ctx, *from, *to)
	if err != nil {
		return err
	}
	if *asJSON {
		out := []statsLine{}
		for _, r := range rows {
			out = append(out, statsLine{r.Day, r.Area, r.Hour, r.Issued, r.Served, r.Skipped, r.MeanWait.Minutes(), r.MaxWait.Minutes(), r.MeanService.Minutes()})
		}
		return json.NewEncoder(e.Stdout).Encode(out)
	}
	tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "giorno\tarea\tora\temessi\tserviti\tassenti\tattesa media\tattesa max\tservizio medio")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%02d-%02d\t%d\t%d\t%d\t%s\t%s\t%s\n", r.Day, r.Area, r.Hour, r.Hour+1, r.Issued, r.Served, r.Skipped,
			minutes(r.MeanWait), minutes(r.MaxWait), minutes(r.MeanService))
	}
	return tw.Flush()
}

func minutes(d time.Duration) string { return fmt.Sprintf("%.1f min", d.Minutes()) }
