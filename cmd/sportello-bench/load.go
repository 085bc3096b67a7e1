package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	stdsync "sync"
	"sync/atomic"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/hub/sqlstore"
	"github.com/sportello/sportello/sync/wire"
)

// The load generator: cfg.workstations simulated workstations, each
// enrolled at the hub with a token of its own, poll the change log every
// cfg.pollEvery (their first polls spread over one period) and, together,
// push cfg.pushes operations a second (an audit event each, a valid chain
// per device), for cfg.loadFor, over real HTTP on loopback. It reports
// the hub's p99 over every request, and for polls and pushes apart.
//
// It runs against whatever hub answers at url: the SQLite hub here. The
// PostgreSQL hub (issue 12's next part) is measured by starting it and
// pointing runLoad at its URL with its own enrolled devices (loadDevices
// takes the hub's database): nothing here is SQLite's.

// loadDevice is one simulated workstation.
type loadDevice struct {
	id, token string
	pushMu    stdsync.Mutex // one push at a time per device, in its order
	mu        stdsync.Mutex
	seq       int64
	prev      string
}

// loadDevices enrols n workstations of the comune straight in the hub's
// database (the enrolment is not what is measured).
func loadDevices(ctx context.Context, db *sqlstore.DB, n int) ([]*loadDevice, error) {
	out := make([]*loadDevice, 0, n)
	for range n {
		code, err := db.NewEnrollCode(ctx, comune, time.Hour)
		if err != nil {
			return nil, err
		}
		pub, _, err := ed25519.GenerateKey(nil)
		if err != nil {
			return nil, err
		}
		e, err := db.Enroll(ctx, code, "carico", pub)
		if err != nil {
			return nil, err
		}
		out = append(out, &loadDevice{id: e.Device.Device, token: e.Token})
	}
	return out, nil
}

// nextOp is the device's next audit event as an operation.
func (d *loadDevice) nextOp() wire.Op {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.seq++
	e := app.AuditEvent{Device: d.id, Seq: d.seq, Operator: "demo", Action: app.AuditView,
		Subject: "ricerca", At: time.Now().UTC(), PrevHash: d.prev}
	e.Hash = e.ComputeHash()
	d.prev = e.Hash
	id := fmt.Sprintf("%08x-0000-4000-8000-%012x", hashID(d.id), d.seq)
	return wire.OpToWire(app.Operation{ID: id, Device: d.id, Seq: d.seq, Kind: app.OpAudit, CreatedAt: e.At, Audit: &e})
}

func hashID(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	return h
}

type loadStats struct {
	mu           stdsync.Mutex
	polls, push  []time.Duration
	errors       atomic.Int64
	pushFailures atomic.Int64
}

func (s *loadStats) add(poll bool, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if poll {
		s.polls = append(s.polls, d)
	} else {
		s.push = append(s.push, d)
	}
}

// head is the change-log position the workstations are at: as synced,
// their polls find nothing new, as most polls of a day do.
func runLoad(ctx context.Context, cfg *config, url string, head int64, devs []*loadDevice, res *Result) error {
	tr := &http.Transport{MaxIdleConns: 1024, MaxIdleConnsPerHost: 1024, IdleConnTimeout: time.Minute}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	stats := &loadStats{}
	ctx, cancel := context.WithTimeout(ctx, cfg.loadFor)
	defer cancel()
	var wg stdsync.WaitGroup
	request := func(d *loadDevice, method, path string, body []byte) (int, error) {
		var r io.Reader
		if body != nil {
			r = bytes.NewReader(body)
		}
		req, err := http.NewRequestWithContext(ctx, method, url+path, r)
		if err != nil {
			return 0, err
		}
		req.Header.Set("Authorization", "Bearer "+d.token)
		req.Header.Set(wire.HeaderProtocol, strconv.Itoa(wire.ProtocolVersion))
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set(wire.HeaderOutboxDepth, "0")
		}
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	// Polls: each device on its own period, spread over the first one.
	for i, d := range devs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			offset := time.Duration(int64(cfg.pollEvery) * int64(i) / int64(len(devs)))
			timer := time.NewTimer(offset)
			defer timer.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-timer.C:
				}
				start := time.Now()
				code, err := request(d, "GET", "/v1/changes?scope="+comune+"&after="+strconv.FormatInt(head, 10), nil)
				if ctx.Err() != nil {
					return
				}
				if err != nil || code != 200 {
					stats.errors.Add(1)
				} else {
					stats.add(true, time.Since(start))
				}
				timer.Reset(cfg.pollEvery)
			}
		}()
	}
	// Pushes: cfg.pushes a second in all, each by the next device.
	if cfg.pushes > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tick := time.NewTicker(time.Second / time.Duration(cfg.pushes))
			defer tick.Stop()
			for n := 0; ; n++ {
				select {
				case <-ctx.Done():
					return
				case <-tick.C:
				}
				d := devs[n%len(devs)]
				wg.Add(1)
				go func() {
					defer wg.Done()
					d.pushMu.Lock()
					defer d.pushMu.Unlock()
					op := d.nextOp()
					body, _ := json.Marshal(wire.PushRequest{Ops: []wire.Op{op}})
					start := time.Now()
					code, err := request(d, "POST", "/v1/ops", body)
					if ctx.Err() != nil {
						return
					}
					if err != nil || code != 200 {
						stats.errors.Add(1)
						return
					}
					stats.add(false, time.Since(start))
				}()
			}
		}()
	}
	wg.Wait()
	all := append(append([]time.Duration{}, stats.polls...), stats.push...)
	res.HubWorkstations = len(devs)
	res.HubRequests = len(all)
	res.HubErrors = int(stats.errors.Load())
	res.HubP99Ms = ms(quantile(all, 0.99))
	res.HubPollP99Ms = ms(quantile(stats.polls, 0.99))
	res.HubPushP99Ms = ms(quantile(stats.push, 0.99))
	return nil
}
