package printing

import (
	"bytes"
	"context"
	"io"
	"net"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
)

// FuzzPrinterStatus plays a thermal printer on loopback that answers the
// status query (DLE EOT 4) with whatever bytes the fuzzer gives, or
// nothing: Print refuses with the paper-out message exactly when the first
// byte is a roll-paper status with the paper-end bits set (and then sends
// nothing), and otherwise delivers the ticket whole.
func FuzzPrinterStatus(f *testing.F) {
	for _, b := range [][]byte{{0x12}, {0x72}, {0x7e}, {0x1e}, {0x60}, {0xff}, {}, {0x72, 0x12}, {0x12, 0x72}} {
		f.Add(b)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		f.Fatal(err)
	}
	defer ln.Close()
	type job struct {
		answer []byte
		got    chan []byte
	}
	jobs := make(chan job)
	go func() {
		for j := range jobs {
			conn, err := ln.Accept()
			if err != nil {
				close(j.got)
				return
			}
			q := make([]byte, 3)
			io.ReadFull(conn, q)
			if len(j.answer) > 0 {
				conn.Write(j.answer)
			}
			rest, _ := io.ReadAll(conn)
			conn.Close()
			if !bytes.Equal(q, dleStatus) {
				rest = append([]byte("bad query "), q...)
			}
			j.got <- rest
		}
	}()
	defer close(jobs)
	ticket := TicketESCPOS(Ticket{Comune: "Comune di Sesto San Giovanni", Area: "Anagrafe", Number: "A017", IssuedAt: time.Date(2026, 5, 12, 9, 30, 0, 0, time.UTC)})
	f.Fuzz(func(t *testing.T, answer []byte) {
		j := job{answer: answer, got: make(chan []byte, 1)}
		jobs <- j
		err := ESCPOS{Target: "tcp://" + ln.Addr().String(), Timeout: 100 * time.Millisecond}.Print(context.Background(), ticket)
		got := <-j.got
		out := len(answer) > 0 && answer[0]&0x93 == 0x12 && answer[0]&0x60 == 0x60
		switch {
		case out:
			if app.ErrorCode(err) != CodePrinter || app.ErrorMessage(err) != PaperOut || len(got) != 0 {
				t.Fatalf("status %#x: err %v, %d bytes sent", answer[0], err, len(got))
			}
		case err != nil:
			t.Fatalf("answer %x: %v", answer, err)
		case !bytes.Equal(got, ticket):
			t.Fatalf("answer %x: the printer got %d bytes of %d", answer, len(got), len(ticket))
		}
	})
}
