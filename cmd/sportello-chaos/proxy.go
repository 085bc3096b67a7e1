package main

import (
	"bufio"
	"bytes"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	stdsync "sync"
	"sync/atomic"
	"time"
)

// fault is what the proxy does to one request.
type fault int

const (
	pass        fault = iota
	cutBefore         // the connection dropped before the hub saw the request
	cutAfter          // the hub applied the request; its answer is lost
	delay             // the request waits, then goes through
	duplicate         // the whole request sent twice; the client gets the second answer
	hold              // held back while later requests (of other workstations) overtake it
	replayLater       // a copy is kept and sent again after a later request: an old message replayed
	numFaults
)

var faultNames = [...]string{"pass", "cut-before", "cut-after", "delay", "duplicate", "hold", "replay-later"}

func (f fault) String() string { return faultNames[f] }

// proxy is a TCP proxy between one workstation and the hub that reads
// each HTTP request whole, so that a fault can drop, delay, repeat or
// reorder requests (not bytes): a replayed request is exactly what an
// attacker or a confused network would resend.
type proxy struct {
	ln      net.Listener
	target  atomic.Value // string: the hub's host:port
	offline atomic.Bool  // every connection refused at once
	rate    atomic.Int64 // per mille of requests that get a fault

	mu     stdsync.Mutex
	rng    *rand.Rand
	stale  [][]byte // requests kept for replayLater
	counts [numFaults]int
	wg     stdsync.WaitGroup
	conns  map[net.Conn]bool
	closed bool
}

func newProxy(target string, seed uint64) (*proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &proxy{ln: ln, rng: rand.New(rand.NewPCG(seed, 0x70)), conns: map[net.Conn]bool{}}
	p.target.Store(target)
	go p.serve()
	return p, nil
}

func (p *proxy) addr() string { return p.ln.Addr().String() }

func (p *proxy) setTarget(t string) { p.target.Store(t) }

// setFaults sets the share of requests (0..1000 per mille) that get a fault.
func (p *proxy) setFaults(perMille int) { p.rate.Store(int64(perMille)) }

func (p *proxy) close() {
	p.ln.Close()
	p.mu.Lock()
	p.closed = true
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}

func (p *proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			c.Close()
			return
		}
		p.conns[c] = true
		p.wg.Add(1)
		p.mu.Unlock()
		go func() {
			defer p.wg.Done()
			p.handle(c)
			c.Close()
			p.mu.Lock()
			delete(p.conns, c)
			p.mu.Unlock()
		}()
	}
}

// pick draws the fault of the next request.
func (p *proxy) pick() (fault, time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f := pass
	if int64(p.rng.IntN(1000)) < p.rate.Load() {
		f = fault(1 + p.rng.IntN(int(numFaults)-1))
	}
	p.counts[f]++
	return f, time.Duration(20+p.rng.IntN(300)) * time.Millisecond
}

func (p *proxy) handle(client net.Conn) {
	if p.offline.Load() {
		return
	}
	br := bufio.NewReader(client)
	for {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		body, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.ContentLength = int64(len(body))
		req.TransferEncoding = nil
		req.Close = true // one upstream connection a request
		var raw bytes.Buffer
		if err := req.Write(&raw); err != nil {
			return
		}
		if p.offline.Load() {
			return
		}
		f, d := p.pick()
		var answer []byte
		switch f {
		case cutBefore:
			return
		case cutAfter:
			p.forward(raw.Bytes())
			return
		case delay, hold:
			// A held request waits while the others go on: with several
			// workstations behind their proxies, later requests overtake it.
			time.Sleep(d)
			answer, err = p.forward(raw.Bytes())
		case duplicate:
			p.forward(raw.Bytes())
			answer, err = p.forward(raw.Bytes())
		case replayLater:
			p.mu.Lock()
			p.stale = append(p.stale, bytes.Clone(raw.Bytes()))
			p.mu.Unlock()
			answer, err = p.forward(raw.Bytes())
		default:
			answer, err = p.forward(raw.Bytes())
		}
		if err != nil {
			return
		}
		if _, err := client.Write(answer); err != nil {
			return
		}
		// The stale copies go after this request: replayed out of order.
		if f != replayLater {
			p.mu.Lock()
			stale := p.stale
			p.stale = nil
			p.mu.Unlock()
			for _, s := range stale {
				p.forward(s)
			}
		}
	}
}

// forward sends one raw request to the hub on a connection of its own and
// returns the raw answer, its body read whole.
func (p *proxy) forward(raw []byte) ([]byte, error) {
	up, err := net.DialTimeout("tcp", p.target.Load().(string), 2*time.Second)
	if err != nil {
		return nil, err
	}
	defer up.Close()
	up.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := up.Write(raw); err != nil {
		return nil, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(up), nil)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.TransferEncoding = nil
	resp.Close = false
	resp.Header.Del("Connection")
	var out bytes.Buffer
	if err := resp.Write(&out); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
