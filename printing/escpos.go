package printing

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
)

// Ticket is what a queue ticket prints, on a thermal receipt printer
// (TicketESCPOS) or as a small PDF for a CUPS printer (TicketPDF).
type Ticket struct {
	Comune   string // "Comune di Sesto San Giovanni"
	Area     string // "Anagrafe"
	Number   string // "A017", or offline "A-W2-017"
	IssuedAt time.Time
	Ahead    int
	Wait     int    // estimated minutes
	Holder   string // the citizen identified at the kiosk, "" for anonymous
	Due      string // "Appuntamento delle 10:20", "" for a walk-in
	Offline  bool   // numbered by the kiosk without the hub
	Lang     string // "it" or "en": the citizen's language at the kiosk
}

func (t *Ticket) lines() (head []string, foot []string) {
	en := t.Lang == "en"
	when := t.IssuedAt.Format("02/01/2006 15:04")
	ahead := fmt.Sprintf("Persone in attesa prima di lei: %d", t.Ahead)
	wait := fmt.Sprintf("Attesa stimata: %d minuti", t.Wait)
	if en {
		ahead = fmt.Sprintf("People ahead of you: %d", t.Ahead)
		wait = fmt.Sprintf("Estimated wait: %d minutes", t.Wait)
	}
	if t.Wait == 0 {
		wait = "Attesa stimata: nessuna"
		if en {
			wait = "Estimated wait: none"
		}
	}
	foot = []string{when}
	if t.Due != "" {
		foot = append(foot, t.Due)
	} else {
		foot = append(foot, ahead, wait)
	}
	if t.Holder != "" {
		foot = append(foot, t.Holder)
	}
	if t.Offline {
		if en {
			foot = append(foot, "Issued offline: watch the board for your number")
		} else {
			foot = append(foot, "Emesso senza rete: attendere il numero sul tabellone")
		}
	}
	return []string{t.Comune, t.Area}, foot
}

// The ESC/POS commands a ticket uses, as the Epson ESC/POS Command
// Reference (TM series) defines them:
//
//	ESC @      1B 40        initialize printer: clears the buffer and modes
//	ESC t n    1B 74 n      select character code table; n = 19 is page 19,
//	                        PC858 (Euro): CP850 with € at D5h, which has
//	                        every accented letter of Italian
//	ESC a n    1B 61 n      select justification: 0 left, 1 centred, 2 right
//	ESC E n    1B 45 n      turn emphasized (bold) mode on (n = 1) or off (0)
//	GS ! n     1D 21 n      select character size: high nibble width-1,
//	                        low nibble height-1 (11h double, 33h quadruple)
//	LF         0A           print and line feed
//	ESC d n    1B 64 n      print and feed n lines (to clear the cutter)
//	GS V m n   1D 56 41 n   select cut mode and cut paper: function B,
//	                        m = 65 (41h), feed n dots then partial cut
//	DLE EOT n  10 04 04     transmit real-time status, n = 4: roll paper
//	                        sensor status (bits 2-3 near end, 5-6 end)
var (
	escInit      = []byte{0x1B, 0x40}
	escCodePage  = []byte{0x1B, 0x74, 19}
	escLeft      = []byte{0x1B, 0x61, 0}
	escCenter    = []byte{0x1B, 0x61, 1}
	escBoldOn    = []byte{0x1B, 0x45, 1}
	escBoldOff   = []byte{0x1B, 0x45, 0}
	gsSizeNormal = []byte{0x1D, 0x21, 0x00}
	gsSizeDouble = []byte{0x1D, 0x21, 0x11}
	gsSizeHuge   = []byte{0x1D, 0x21, 0x33}
	escFeed4     = []byte{0x1B, 0x64, 4}
	gsCut        = []byte{0x1D, 0x56, 0x41, 0x10}
	dleStatus    = []byte{0x10, 0x04, 0x04}
)

// TicketESCPOS encodes a ticket for an ESC/POS thermal printer: the comune
// and the area centred in bold, the number in quadruple size, then the
// time, the people ahead and the estimated wait, and a partial cut.
func TicketESCPOS(t Ticket) []byte {
	head, foot := t.lines()
	var b bytes.Buffer
	b.Write(escInit)
	b.Write(escCodePage)
	b.Write(escCenter)
	b.Write(escBoldOn)
	b.Write(encodePC858(head[0]))
	b.WriteByte('\n')
	b.Write(gsSizeDouble)
	b.Write(encodePC858(head[1]))
	b.WriteByte('\n')
	b.Write(gsSizeHuge)
	b.Write(encodePC858(t.Number))
	b.WriteByte('\n')
	b.Write(gsSizeNormal)
	b.Write(escBoldOff)
	for _, l := range foot {
		b.Write(encodePC858(l))
		b.WriteByte('\n')
	}
	b.Write(escLeft)
	b.Write(escFeed4)
	b.Write(gsCut)
	return b.Bytes()
}

// pc858 maps the characters beyond ASCII that Italian (and the names of
// the people of a comune) use to code page PC858.
var pc858 = map[rune]byte{
	'Ç': 0x80, 'ü': 0x81, 'é': 0x82, 'â': 0x83, 'ä': 0x84, 'à': 0x85, 'å': 0x86, 'ç': 0x87,
	'ê': 0x88, 'ë': 0x89, 'è': 0x8A, 'ï': 0x8B, 'î': 0x8C, 'ì': 0x8D, 'Ä': 0x8E, 'Å': 0x8F,
	'É': 0x90, 'ô': 0x93, 'ö': 0x94, 'ò': 0x95, 'û': 0x96, 'ù': 0x97, 'Ö': 0x99, 'Ü': 0x9A,
	'£': 0x9C, 'á': 0xA0, 'í': 0xA1, 'ó': 0xA2, 'ú': 0xA3, 'ñ': 0xA4, 'Ñ': 0xA5, 'º': 0xA7,
	'Á': 0xB5, 'Â': 0xB6, 'À': 0xB7, 'Ê': 0xD2, 'Ë': 0xD3, 'È': 0xD4, '€': 0xD5, 'Í': 0xD6,
	'Î': 0xD7, 'Ï': 0xD8, 'Ì': 0xDE, 'Ó': 0xE0, 'ß': 0xE1, 'Ô': 0xE2, 'Ò': 0xE3, 'Ú': 0xE9,
	'Û': 0xEA, 'Ù': 0xEB, '°': 0xF8, '’': '\'', '‘': '\'', '“': '"', '”': '"', '–': '-', '—': '-',
}

// encodePC858 writes s in code page PC858; a character it lacks prints as
// '?', and control characters are dropped so that a name cannot send a
// command to the printer.
func encodePC858(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r >= 0x20 && r < 0x7F:
			out = append(out, byte(r))
		case r < 0x20 || r == 0x7F:
		default:
			if c, ok := pc858[r]; ok {
				out = append(out, c)
			} else {
				out = append(out, '?')
			}
		}
	}
	return out
}

// ESCPOS sends raw ESC/POS bytes to a thermal printer, named by Target:
//   - "tcp://HOST:PORT" (port 9100, the raw socket of network printers):
//     before printing it asks the paper sensor (DLE EOT 4) and reports a
//     printer out of paper instead of sending into the void;
//   - "cups:QUEUE": a CUPS raw queue, through lp -o raw;
//   - anything else is a device file: "/dev/usb/lp0".
type ESCPOS struct {
	Target  string
	Timeout time.Duration // per connection or write; 0 is 5 s
}

// PaperOut is the message of a printer without paper: the kiosk shows it
// and retries.
const PaperOut = "carta esaurita nella stampante dei biglietti: avvisare il personale"

// Print sends data to the printer. Errors the staff can act on (no paper,
// printer off or unplugged) are *app.Error with code CodePrinter.
func (p ESCPOS) Print(ctx context.Context, data []byte) error {
	timeout := p.Timeout
	if timeout == 0 {
		timeout = 5 * time.Second
	}
	switch {
	case strings.HasPrefix(p.Target, "tcp://"):
		return p.printTCP(ctx, strings.TrimPrefix(p.Target, "tcp://"), data, timeout)
	case strings.HasPrefix(p.Target, "cups:"):
		queue := strings.TrimPrefix(p.Target, "cups:")
		cmd := cupsCommand(ctx, "lp", "-d", queue, "-o", "raw", "-t", "biglietto")
		cmd.Stdin = bytes.NewReader(data)
		if out, err := cmd.CombinedOutput(); err != nil {
			var ee *exec.Error
			if errors.As(err, &ee) {
				return app.Errorf(CodePrinter, "comando lp non disponibile: installare CUPS o collegare la stampante dei biglietti direttamente")
			}
			return app.Errorf(CodePrinter, "la stampante dei biglietti %s non accetta il lavoro: %s", queue, strings.TrimSpace(string(out)))
		}
		return nil
	case p.Target == "":
		return app.Errorf(app.EINVALID, "stampante dei biglietti non configurata")
	}
	f, err := os.OpenFile(p.Target, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return app.Errorf(CodePrinter, "stampante dei biglietti %s non collegata o spenta", p.Target)
	}
	defer f.Close()
	f.SetWriteDeadline(time.Now().Add(timeout)) // device files that support it
	if _, err := f.Write(data); err != nil {
		return app.Errorf(CodePrinter, "stampante dei biglietti %s: scrittura non riuscita (carta, coperchio, cavo?)", p.Target)
	}
	return nil
}

func (p ESCPOS) printTCP(ctx context.Context, addr string, data []byte, timeout time.Duration) error {
	d := net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return app.Errorf(CodePrinter, "stampante dei biglietti %s non raggiungibile: verificare che sia accesa e in rete", addr)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(timeout))
	if _, err := conn.Write(dleStatus); err != nil {
		return app.Errorf(CodePrinter, "stampante dei biglietti %s non risponde", addr)
	}
	status := make([]byte, 1)
	conn.SetReadDeadline(time.Now().Add(timeout / 5))
	if _, err := conn.Read(status); err == nil {
		if err := paperStatus(status[0]); err != nil {
			return err
		}
	}
	// A printer that does not answer the status query still prints.
	conn.SetDeadline(time.Now().Add(timeout))
	if _, err := conn.Write(data); err != nil {
		return app.Errorf(CodePrinter, "stampante dei biglietti %s: invio interrotto", addr)
	}
	return nil
}

// paperStatus reads the answer to DLE EOT 4 (roll paper sensor status):
// bits 5 and 6 set mean the paper has ended. The fixed bits (1 and 4 set,
// 0 and 7 clear) tell a status byte from anything else.
func paperStatus(b byte) error {
	if b&0x93 != 0x12 {
		return nil
	}
	if b&0x60 == 0x60 {
		return app.Errorf(CodePrinter, "%s", PaperOut)
	}
	return nil
}
