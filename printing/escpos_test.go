package printing_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/printing"
)

var ticketAt = time.Date(2026, 5, 12, 9, 41, 0, 0, time.FixedZone("CEST", 2*3600))

func sampleTicket() printing.Ticket {
	return printing.Ticket{Comune: "Comune di Sesto San Giovanni", Area: "Anagrafe", Number: "A017",
		IssuedAt: ticketAt, Ahead: 3, Wait: 12}
}

// TestTicketESCPOS checks the bytes of a ticket against the Epson ESC/POS
// command set, one command at a time (see the table in escpos.go).
func TestTicketESCPOS(t *testing.T) {
	got := printing.TicketESCPOS(sampleTicket())
	var want []byte
	add := func(b ...byte) { want = append(want, b...) }
	text := func(s string) { want = append(want, s...); want = append(want, 0x0A) } // LF: print and line feed
	add(0x1B, 0x40)                                                                 // ESC @: initialize
	add(0x1B, 0x74, 19)                                                             // ESC t 19: code page PC858
	add(0x1B, 0x61, 1)                                                              // ESC a 1: centred
	add(0x1B, 0x45, 1)                                                              // ESC E 1: bold on
	text("Comune di Sesto San Giovanni")
	add(0x1D, 0x21, 0x11) // GS ! 11h: double width and height
	text("Anagrafe")
	add(0x1D, 0x21, 0x33) // GS ! 33h: quadruple
	text("A017")
	add(0x1D, 0x21, 0x00) // GS ! 0: normal size
	add(0x1B, 0x45, 0)    // ESC E 0: bold off
	text("12/05/2026 09:41")
	text("Persone in attesa prima di lei: 3")
	text("Attesa stimata: 12 minuti")
	add(0x1B, 0x61, 0)          // ESC a 0: left again, for the next job
	add(0x1B, 0x64, 4)          // ESC d 4: feed 4 lines past the cutter
	add(0x1D, 0x56, 0x41, 0x10) // GS V 65 16: feed 16 dots, partial cut
	if !bytes.Equal(got, want) {
		t.Fatalf("ticket bytes\n got %x\nwant %x", got, want)
	}
}

// TestTicketESCPOSAccents encodes the accented letters of Italian in code
// page 858, as golang.org/x/text's table of it (an independent source)
// has them, and drops control characters that would be printer commands.
func TestTicketESCPOSAccents(t *testing.T) {
	tk := sampleTicket()
	tk.Area = "Città, Università, Perché, Più, Però, È, €"
	tk.Holder = "NICOLÒ CANTÙ\x1b@\x1dV"
	got := printing.TicketESCPOS(tk)
	for _, s := range []string{tk.Area, "NICOLÒ CANTÙ@V"} {
		enc, err := charmap.CodePage858.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(got, append(enc, 0x0A)) {
			t.Errorf("%q not encoded as CP858 %x in\n%x", s, enc, got)
		}
	}
	if bytes.Count(got, []byte{0x1B, 0x40}) != 1 || bytes.Contains(got, []byte{0x1D, 0x56, 0x0A}) {
		t.Errorf("a control character of the name reached the printer: %x", got)
	}
}

// fakeThermal is a network ESC/POS printer on loopback: it answers the
// paper status query with status and keeps what it was sent.
func fakeThermal(t *testing.T, status byte) (addr string, got chan []byte) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	got = make(chan []byte, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		q := make([]byte, 3)
		if _, err := io.ReadFull(c, q); err != nil || !bytes.Equal(q, []byte{0x10, 0x04, 0x04}) {
			got <- nil
			return
		}
		c.Write([]byte{status})
		c.SetReadDeadline(time.Now().Add(2 * time.Second))
		rest, _ := io.ReadAll(c)
		got <- rest
	}()
	return ln.Addr().String(), got
}

func TestESCPOSPrinter(t *testing.T) {
	ctx := context.Background()
	data := printing.TicketESCPOS(sampleTicket())
	t.Run("TCPPaperPresent", func(t *testing.T) {
		addr, got := fakeThermal(t, 0x12) // DLE EOT 4: fixed bits only, paper present
		if err := (printing.ESCPOS{Target: "tcp://" + addr}).Print(ctx, data); err != nil {
			t.Fatal(err)
		}
		if b := <-got; !bytes.Equal(b, data) {
			t.Fatalf("printer received %x", b)
		}
	})
	t.Run("TCPPaperOut", func(t *testing.T) {
		addr, _ := fakeThermal(t, 0x72) // bits 5 and 6: roll paper end
		err := (printing.ESCPOS{Target: "tcp://" + addr}).Print(ctx, data)
		if app.ErrorCode(err) != printing.CodePrinter || !strings.Contains(app.ErrorMessage(err), "carta esaurita") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("TCPUnreachable", func(t *testing.T) {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := ln.Addr().String()
		ln.Close()
		err := (printing.ESCPOS{Target: "tcp://" + addr, Timeout: time.Second}).Print(ctx, data)
		if app.ErrorCode(err) != printing.CodePrinter {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("DeviceFile", func(t *testing.T) {
		dev := filepath.Join(t.TempDir(), "lp0")
		if err := os.WriteFile(dev, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := (printing.ESCPOS{Target: dev}).Print(ctx, data); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(dev); !bytes.Equal(b, data) {
			t.Fatalf("device received %x", b)
		}
		err := (printing.ESCPOS{Target: filepath.Join(t.TempDir(), "missing", "lp0")}).Print(ctx, data)
		if app.ErrorCode(err) != printing.CodePrinter {
			t.Fatalf("unplugged printer: %v", err)
		}
	})
}

func TestTicketPDF(t *testing.T) {
	needTool(t, "pdftotext")
	tk := sampleTicket()
	tk.Number = "A-W2-017"
	tk.Offline = true
	tk.Holder = "CANTÙ Giulia"
	pdf, err := printing.TicketPDF(tk)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "ticket.pdf")
	os.WriteFile(path, pdf, 0o600)
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{"Comune di Sesto San Giovanni", "Anagrafe", "A-W2-017", "12/05/2026 09:41",
		"Persone in attesa prima di lei: 3", "Attesa stimata: 12 minuti", "CANTÙ Giulia", "Emesso senza rete"} {
		if !strings.Contains(text, want) {
			t.Errorf("ticket PDF lacks %q:\n%s", want, text)
		}
	}
	info, _ := exec.Command("pdfinfo", path).Output()
	if !strings.Contains(string(info), "226.77 x 311.81 pts") { // 80 x 110 mm
		t.Errorf("page size: %s", info)
	}
	if os.Getenv("SPORTELLO_KEEP") != "" {
		os.WriteFile(filepath.Join(os.Getenv("SPORTELLO_KEEP"), "ticket.pdf"), pdf, 0o644)
	}
}
