package main

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"sort"
)

// counts are the four failures a run can show.
type counts struct {
	lost, duplicated, diverged, stuck int
	parked                            int // visible, with a reason: not a failure
}

func (c *counts) add(o counts) {
	c.lost += o.lost
	c.duplicated += o.duplicated
	c.diverged += o.diverged
	c.stuck += o.stuck
	c.parked += o.parked
}

func (c counts) failed() bool { return c.lost+c.duplicated+c.diverged+c.stuck > 0 }

type hubRequest struct {
	id, comune, number, provisional, device, status string
	year, seq, version                              int
}

type wsRequest struct {
	id, provisional, number, status string
	version                         int
}

type outboxOp struct {
	id, kind, state, reason string
	seq                     int
}

// check compares, after heal, what every workstation holds and confirmed
// with the hub's database (read-only, the hub stopped): each finding is
// described in problems.
func (w *world) check() (c counts, problems []string) {
	bad := func(n *int, format string, args ...any) {
		*n++
		problems = append(problems, fmt.Sprintf(format, args...))
	}
	hdb, err := openRO(filepath.Join(w.hubData, "hub.db"))
	if err != nil {
		bad(&c.diverged, "hub database: %v", err)
		return
	}
	defer hdb.Close()

	hub := map[string]hubRequest{}        // by id
	byProv := map[string][]hubRequest{}   // by provisional number
	byNumber := map[string][]hubRequest{} // by comune and protocol number
	seqs := map[string][]int{}            // by comune and year
	rows, err := hdb.Query(`SELECT id, comune, year, seq, number, provisional, device, status, version FROM requests`)
	if err != nil {
		bad(&c.diverged, "hub requests: %v", err)
		return
	}
	for rows.Next() {
		var r hubRequest
		if err := rows.Scan(&r.id, &r.comune, &r.year, &r.seq, &r.number, &r.provisional, &r.device, &r.status, &r.version); err != nil {
			bad(&c.diverged, "hub requests: %v", err)
			rows.Close()
			return
		}
		hub[r.id] = r
		byProv[r.provisional] = append(byProv[r.provisional], r)
		byNumber[r.comune+" "+r.number] = append(byNumber[r.comune+" "+r.number], r)
		key := fmt.Sprintf("%s %d", r.comune, r.year)
		seqs[key] = append(seqs[key], r.seq)
	}
	rows.Close()

	// Protocol numbers: unique, and gap-free per comune and year.
	for k, rs := range byNumber {
		if len(rs) > 1 {
			bad(&c.duplicated, "protocol number %s given %d times", k, len(rs))
		}
	}
	for k, ss := range seqs {
		sort.Ints(ss)
		for i, s := range ss {
			if s != i+1 {
				bad(&c.lost, "protocol numbers of %s: %d where %d was due (a gap or a repeat)", k, s, i+1)
				break
			}
		}
	}
	for prov, rs := range byProv {
		if len(rs) > 1 {
			bad(&c.duplicated, "request %s at the hub %d times", prov, len(rs))
		}
	}

	ops := map[string]bool{}
	opRows, err := hdb.Query(`SELECT id FROM ops`)
	if err != nil {
		bad(&c.diverged, "hub ops: %v", err)
		return
	}
	for opRows.Next() {
		var id string
		opRows.Scan(&id)
		ops[id] = true
	}
	opRows.Close()
	hubCursor := map[string]int{}
	curRows, err := hdb.Query(`SELECT scope, MAX(seq) FROM changes GROUP BY scope`)
	if err != nil {
		bad(&c.diverged, "hub changes: %v", err)
		return
	}
	for curRows.Next() {
		var scope string
		var seq int
		curRows.Scan(&scope, &seq)
		hubCursor[scope] = seq
	}
	curRows.Close()

	w.checkCash(hdb, &c, bad)

	local := map[int]map[string]wsRequest{} // by workstation, by provisional
	for _, ws := range w.ws {
		reqs, outbox, records, cursors, device, err := readWorkstation(filepath.Join(ws.dir, "sportello.db"))
		if err != nil {
			bad(&c.diverged, "ws%d: %v", ws.n, err)
			continue
		}
		local[ws.n] = reqs
		for _, op := range outbox {
			switch {
			case op.state == "done" && !ops[op.id]:
				bad(&c.lost, "ws%d: operation %d (%s) done at the workstation, unknown to the hub", ws.n, op.seq, op.kind)
			case op.state == "pending":
				bad(&c.stuck, "ws%d: operation %d (%s) still pending after the network healed", ws.n, op.seq, op.kind)
			case op.state == "parked" && op.reason == "":
				bad(&c.stuck, "ws%d: operation %d (%s) parked without a reason", ws.n, op.seq, op.kind)
			case op.state == "parked":
				c.parked++
				problems = append(problems, fmt.Sprintf("ws%d: operation %d (%s) parked: %s (visible, not counted)", ws.n, op.seq, op.kind, op.reason))
			}
		}
		atHub := 0
		for _, r := range hub {
			if r.device == device {
				atHub++
			}
		}
		if atHub > len(reqs) {
			bad(&c.duplicated, "ws%d: the hub holds %d requests of %s, the workstation took %d", ws.n, atHub, device, len(reqs))
		}
		for _, r := range reqs {
			if h, ok := hub[r.id]; ok && r.number != h.number {
				bad(&c.diverged, "ws%d: request %s numbered %q here, %q at the hub", ws.n, r.provisional, r.number, h.number)
			}
		}
		// Every request of the comune at the hub, as the hub has it.
		for _, h := range hub {
			if h.comune != comune {
				continue
			}
			r, ok := records[h.id]
			if !ok || r.number != h.number || r.status != h.status || r.version != h.version {
				bad(&c.diverged, "ws%d: the hub's request %s is %q %s v%d here, %s v%d at the hub", ws.n, h.number,
					r.number, r.status, r.version, h.status, h.version)
			}
		}
		for scope, seq := range cursors {
			if hubCursor[scope] != seq {
				bad(&c.diverged, "ws%d: cursor of %q at %d, the hub's log ends at %d", ws.n, scope, seq, hubCursor[scope])
			}
		}
	}

	for _, cf := range w.confirmed {
		rs := byProv[cf.provisional]
		if reqs, ok := local[cf.ws]; ok {
			if _, ok := reqs[cf.provisional]; !ok {
				bad(&c.lost, "ws%d: request %s confirmed, gone from the workstation", cf.ws, cf.provisional)
			}
		}
		if cf.number != "" {
			for _, other := range byNumber[comune+" "+cf.number] {
				if other.provisional != cf.provisional {
					bad(&c.duplicated, "ws%d: protocol number %s confirmed for %s, given at the hub to %s too", cf.ws, cf.number, cf.provisional, other.provisional)
				}
			}
		}
		if len(rs) == 0 {
			bad(&c.lost, "ws%d: request %s confirmed, not at the hub", cf.ws, cf.provisional)
			continue
		}
		if cf.number != "" && rs[0].number != cf.number {
			bad(&c.diverged, "ws%d: request %s confirmed as %s, the hub has %s", cf.ws, cf.provisional, cf.number, rs[0].number)
		}
	}
	return c, problems
}

// readWorkstation reads a workstation's requests (by provisional number),
// outbox, change cursors and device id.
func readWorkstation(path string) (reqs map[string]wsRequest, outbox []outboxOp, records map[string]wsRequest, cursors map[string]int, device string, err error) {
	db, err := openRO(path)
	if err != nil {
		return nil, nil, nil, nil, "", err
	}
	defer db.Close()
	if err := db.QueryRow(`SELECT device FROM profile`).Scan(&device); err != nil {
		return nil, nil, nil, nil, "", fmt.Errorf("profile: %w", err)
	}
	reqs = map[string]wsRequest{}
	err = each(db, `SELECT id, provisional, number FROM requests`, func(rows *sql.Rows) error {
		var r wsRequest
		if err := rows.Scan(&r.id, &r.provisional, &r.number); err != nil {
			return err
		}
		reqs[r.provisional] = r
		return nil
	})
	if err != nil {
		return nil, nil, nil, nil, "", fmt.Errorf("requests: %w", err)
	}
	// The hub's requests of the comune, as the workstation pulled them.
	records = map[string]wsRequest{}
	err = each(db, `SELECT key, COALESCE(json_extract(data, '$.number'), ''), COALESCE(json_extract(data, '$.status'), ''),
		COALESCE(json_extract(data, '$.version'), 0) FROM records WHERE kind = 'request'`, func(rows *sql.Rows) error {
		var r wsRequest
		if err := rows.Scan(&r.id, &r.number, &r.status, &r.version); err != nil {
			return err
		}
		records[r.id] = r
		return nil
	})
	if err != nil {
		return nil, nil, nil, nil, "", fmt.Errorf("records: %w", err)
	}
	err = each(db, `SELECT id, seq, kind, state, reason FROM outbox ORDER BY seq`, func(rows *sql.Rows) error {
		var o outboxOp
		if err := rows.Scan(&o.id, &o.seq, &o.kind, &o.state, &o.reason); err != nil {
			return err
		}
		outbox = append(outbox, o)
		return nil
	})
	if err != nil {
		return nil, nil, nil, nil, "", fmt.Errorf("outbox: %w", err)
	}
	cursors = map[string]int{}
	err = each(db, `SELECT scope, seq FROM cursors`, func(rows *sql.Rows) error {
		var scope string
		var seq int
		if err := rows.Scan(&scope, &seq); err != nil {
			return err
		}
		cursors[scope] = seq
		return nil
	})
	if err != nil {
		return nil, nil, nil, nil, "", fmt.Errorf("cursors: %w", err)
	}
	return reqs, outbox, records, cursors, device, nil
}

func each(db *sql.DB, query string, fn func(*sql.Rows) error) error {
	rows, err := db.Query(query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// checkCash checks the cash payments and the day's closings: every payment
// confirmed at the hub once, every closing confirmed at the hub, and no
// closing at the hub whose total is not what the hub had received of that
// day (a closing that overtook one of its payments).
func (w *world) checkCash(hdb *sql.DB, c *counts, bad func(*int, string, ...any)) {
	receipts := map[string]int{}
	err := each(hdb, `SELECT receipt FROM payments`, func(rows *sql.Rows) error {
		var r string
		err := rows.Scan(&r)
		receipts[r]++
		return err
	})
	if err != nil {
		bad(&c.diverged, "hub payments: %v", err)
		return
	}
	for r, ws := range w.receipts {
		switch n := receipts[r]; {
		case n == 0:
			bad(&c.lost, "ws%d: cash payment %s confirmed, not at the hub", ws, r)
		case n > 1:
			bad(&c.duplicated, "ws%d: cash payment %s at the hub %d times", ws, r, n)
		}
	}
	closings := map[string]bool{}
	err = each(hdb, `SELECT device, operator, day, total, hub_total FROM cash_closings`, func(rows *sql.Rows) error {
		var device, operator, day string
		var total, hubTotal int
		if err := rows.Scan(&device, &operator, &day, &total, &hubTotal); err != nil {
			return err
		}
		closings[device] = true
		if total != hubTotal {
			bad(&c.lost, "closing of %s %s %s: %d cents at the workstation, the hub had %d when it arrived", device, operator, day, total, hubTotal)
		}
		return nil
	})
	if err != nil {
		bad(&c.diverged, "hub closings: %v", err)
		return
	}
	for _, n := range w.closings {
		device := fmt.Sprintf("%s-W%03d", comune, n)
		if !closings[device] {
			bad(&c.lost, "ws%d: the day's closing confirmed, not at the hub", n)
		}
	}
}
