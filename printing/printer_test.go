package printing_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	ipp "github.com/phin1x/go-ipp"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/printing"
)

// cupsPDF makes sure a CUPS scheduler runs with the cups-pdf printer "PDF"
// (testdata/cups-setup.sh) and returns the folders where cups-pdf may write
// this user's jobs.
func cupsPDF(t *testing.T) []string {
	t.Helper()
	if _, err := os.Stat("/usr/sbin/cupsd"); err != nil && os.Getenv("CI") != "true" {
		t.Skip("cupsd not installed (apt-get install cups printer-driver-cups-pdf)")
	}
	needTool(t, "lp", "lpstat", "pdftoppm", "zbarimg")
	out, err := exec.Command("sh", "testdata/cups-setup.sh").Output()
	if err != nil {
		msg := err.Error()
		if ee, ok := err.(*exec.ExitError); ok {
			msg += ": " + string(ee.Stderr)
		}
		if os.Getenv("CI") == "true" {
			t.Fatalf("cups-setup.sh: %s", msg)
		}
		t.Skipf("cups-setup.sh: %s", msg)
	}
	// A job of an unknown user goes to cups-pdf's anonymous folder.
	return []string{strings.TrimSpace(string(out)), "/var/spool/cups-pdf/ANONYMOUS"}
}

// pdfsIn lists the PDFs in the folders.
func pdfsIn(dirs []string) map[string]bool {
	files := map[string]bool{}
	for _, d := range dirs {
		m, _ := filepath.Glob(filepath.Join(d, "*.pdf"))
		for _, f := range m {
			files[f] = true
		}
	}
	return files
}

// awaitPrinted waits for a new PDF in the folders whose page carries the
// stamp, and returns its path. cups-pdf names files as it likes: the test
// watches the folders and reads every new file until one is the job.
//
// The job is recognised by its QR code, read from the rendered page as a
// phone reads the paper, not by its text: cups-pdf sends every job through
// PostScript and Ghostscript, which keeps the glyphs of the embedded fonts
// but not their Unicode mapping, so the text of its output is unreadable
// to pdftotext (any PDF with CID fonts, ours included). The stamp carries
// the certificate's number and the digest of its text, and sits at the foot
// of the page: a match means the whole page came out.
func awaitPrinted(t *testing.T, dirs []string, before map[string]bool, stamp string) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	png := filepath.Join(t.TempDir(), "printed")
	for time.Now().Before(deadline) {
		for f := range pdfsIn(dirs) {
			if before[f] {
				continue
			}
			if err := exec.Command("pdftoppm", "-r", "150", "-png", "-singlefile", "-f", "1", "-l", "1", f, png).Run(); err != nil {
				continue // still being written
			}
			out, _ := exec.Command("zbarimg", "--raw", "-q", png+".png").Output()
			if strings.TrimSpace(string(out)) == stamp {
				t.Cleanup(func() { os.Remove(f) })
				return f
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("no new PDF with the certificate's stamp in %v after 30 s", dirs)
	return ""
}

// printed issues a certificate with its own number and returns it, its
// stamp URL and its PDF.
func printed(t *testing.T, seq int64) (*certificate.Certificate, string, []byte) {
	t.Helper()
	c := issue(t, certificate.SlugResidenza, nicolo(t), seq, certificate.Bollo{})
	opts := options(t, c)
	pdf, err := printing.CertificatePDF(c, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c, opts.Stamp, pdf
}

// TestCUPSPrintsThroughIPP prints on a real cupsd's cups-pdf printer with an
// IPP Print-Job, and finds the certificate in the PDF it writes.
func TestCUPSPrintsThroughIPP(t *testing.T) {
	dirs := cupsPDF(t)
	c, stamp, pdf := printed(t, 901)
	before := pdfsIn(dirs)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	p := printing.CUPS{URI: "ipp://localhost:631/printers/PDF"}
	if err := p.Print(ctx, "Certificato "+c.Number.String(), pdf, 1); err != nil {
		t.Fatalf("Print: %v (%s)", err, app.ErrorMessage(err))
	}
	awaitPrinted(t, dirs, before, stamp)
}

// TestLPPrints prints the same way through the lp command.
func TestLPPrints(t *testing.T) {
	dirs := cupsPDF(t)
	c, stamp, pdf := printed(t, 902)
	before := pdfsIn(dirs)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := (printing.LP{Dest: "PDF"}).Print(ctx, "Certificato "+c.Number.String(), pdf, 1); err != nil {
		t.Fatalf("Print: %v", err)
	}
	awaitPrinted(t, dirs, before, stamp)
}

// TestPrintersRefuseUnknown: a printer CUPS does not know is a
// configuration error, said in Italian, through IPP and through lp.
func TestPrintersRefuseUnknown(t *testing.T) {
	cupsPDF(t)
	ctx := context.Background()
	for name, p := range map[string]printing.Printer{
		"CUPS": printing.CUPS{URI: "ipp://localhost:631/printers/NOPE"},
		"LP":   printing.LP{Dest: "NOPE"},
	} {
		t.Run(name, func(t *testing.T) {
			err := p.Print(ctx, "x", []byte("%PDF-1.4"), 1)
			if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "sconosciuta") {
				t.Errorf("error %v (%s), want EINVALID: stampante sconosciuta", err, app.ErrorCode(err))
			}
		})
	}
}

// TestListPrinters finds the PDF printer over IPP and, when IPP cannot be
// reached, through lpstat.
func TestListPrinters(t *testing.T) {
	cupsPDF(t)
	find := func(t *testing.T) printing.Destination {
		ds, err := printing.ListPrinters(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			if d.Name == "PDF" {
				return d
			}
		}
		t.Fatalf("PDF not among %+v", ds)
		return printing.Destination{}
	}
	t.Run("IPP", func(t *testing.T) {
		t.Setenv("CUPS_SERVER", "")
		d := find(t)
		if d.URI != "ipp://localhost:631/printers/PDF" || d.Problem != "" {
			t.Errorf("PDF = %+v", d)
		}
	})
	t.Run("Lpstat", func(t *testing.T) {
		// CUPS on its local socket only: lpstat goes there, IPP over TCP
		// is not tried.
		const sock = "/run/cups/cups.sock"
		if _, err := os.Stat(sock); err != nil {
			t.Skipf("no CUPS socket at %s", sock)
		}
		t.Setenv("CUPS_SERVER", sock)
		if d := find(t); d.URI != "ipp://localhost:631/printers/PDF" {
			t.Errorf("PDF = %+v", d)
		}
	})
}

// fakeIPP is a printer answering IPP over HTTP with the state the test
// sets, and recording the jobs it gets: the printer conditions a real
// cups-pdf never has (no paper, a jam).
type fakeIPP struct {
	mu        sync.Mutex
	state     int
	reasons   []string
	accepting bool
	jobs      []fakeJob
}

type fakeJob struct {
	format, name string
	copies       int
	data         []byte
}

func (f *fakeIPP) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// go-ipp's decoder wants whole reads, which a network body does not
	// promise: read it all first.
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var data bytes.Buffer
	req, err := ipp.NewRequestDecoder(bytes.NewReader(body)).Decode(&data)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	resp := ipp.NewResponse(ipp.StatusOk, req.RequestId)
	switch req.Operation {
	case ipp.OperationGetPrinterAttributes:
		resp.PrinterAttributes = append(resp.PrinterAttributes, ipp.Attributes{
			ipp.AttributePrinterState:           {{Value: f.state}},
			ipp.AttributePrinterIsAcceptingJobs: {{Value: f.accepting}},
			ipp.AttributePrinterStateReasons:    {{Value: f.reasons}}, // the encoder takes a multi-valued keyword as one []string
		})
	case ipp.OperationPrintJob:
		job := fakeJob{data: data.Bytes()}
		job.format, _ = req.OperationAttributes[ipp.AttributeDocumentFormat].(string)
		job.name, _ = req.OperationAttributes[ipp.AttributeJobName].(string)
		job.copies, _ = req.JobAttributes[ipp.AttributeCopies].(int)
		f.jobs = append(f.jobs, job)
		resp.JobAttributes = append(resp.JobAttributes, ipp.Attributes{ipp.AttributeJobID: {{Value: len(f.jobs)}}})
	default:
		resp.StatusCode = 0x0501 // server-error-operation-not-supported
	}
	b, err := resp.Encode()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", ipp.ContentTypeIPP)
	w.Write(b)
}

// TestCUPSPrinterStates: the printer's state decides whether the job goes,
// and the operator reads why not.
func TestCUPSPrinterStates(t *testing.T) {
	pdf := []byte("%PDF-1.4 a certificate")
	for _, tc := range []struct {
		name      string
		state     int
		reasons   []string
		accepting bool
		want      string // in the message; "" when the job goes
	}{
		{"Idle", 3, []string{"none"}, true, ""},
		{"ReportOnly", 3, []string{"offline-report", "cups-waiting-for-job-completed"}, true, ""},
		{"MediaLowWarning", 3, []string{"media-low-warning"}, true, ""},
		{"ErrMediaEmpty", 3, []string{"offline-report", "media-empty-error"}, true, "Stampante senza carta"},
		{"ErrMediaEmptyWarning", 3, []string{"media-empty-warning"}, true, "Stampante senza carta"},
		{"ErrMediaNeeded", 4, []string{"media-needed"}, true, "Stampante senza carta"},
		{"ErrMediaJam", 3, []string{"media-jam-error"}, true, "Carta inceppata"},
		{"ErrTonerEmpty", 3, []string{"toner-empty-error"}, true, "Toner esaurito"},
		{"ErrOffline", 3, []string{"offline-error"}, true, "Stampante spenta o scollegata"},
		{"ErrStopped", 5, []string{"paused"}, true, "Stampante in pausa"},
		{"ErrNotAccepting", 3, []string{"none"}, false, "non accetta lavori"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeIPP{state: tc.state, reasons: tc.reasons, accepting: tc.accepting}
			srv := httptest.NewServer(f)
			defer srv.Close()
			uri := "ipp://" + strings.TrimPrefix(srv.URL, "http://") + "/printers/Ufficio"
			err := printing.CUPS{URI: uri}.Print(context.Background(), "Certificato I690-W001-2026-000001", pdf, 2)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Print: %v", err)
				}
				if len(f.jobs) != 1 {
					t.Fatalf("%d jobs, want 1", len(f.jobs))
				}
				j := f.jobs[0]
				if j.format != "application/pdf" || j.copies != 2 || j.name != "Certificato I690-W001-2026-000001" || !bytes.Equal(j.data, pdf) {
					t.Errorf("job %q, format %q, %d copies, %d bytes; want the PDF as application/pdf, 2 copies", j.name, j.format, j.copies, len(j.data))
				}
				return
			}
			if app.ErrorCode(err) != printing.CodePrinter || !strings.Contains(app.ErrorMessage(err), tc.want) {
				t.Errorf("error %v (code %q), want %s: %q", err, app.ErrorCode(err), printing.CodePrinter, tc.want)
			}
			if len(f.jobs) != 0 {
				t.Errorf("a job was sent to a printer that cannot print it")
			}
		})
	}
}

// TestCUPSUnreachable: nothing listening is a printer to switch on, not an
// internal error.
func TestCUPSUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	err = printing.CUPS{URI: "ipp://" + addr + "/printers/PDF"}.Print(context.Background(), "x", []byte("%PDF"), 1)
	if app.ErrorCode(err) != printing.CodePrinter || !strings.Contains(app.ErrorMessage(err), "non raggiungibile") {
		t.Errorf("error %v, want %s: non raggiungibile", err, printing.CodePrinter)
	}
	err = printing.CUPS{URI: "lpd://printer/queue"}.Print(context.Background(), "x", []byte("%PDF"), 1)
	if app.ErrorCode(err) != app.EINVALID {
		t.Errorf("lpd URI: error %v, want EINVALID", err)
	}
}

// TestFileSaves: the PDF lands in the folder under the job's name, and a
// second one never overwrites the first.
func TestFileSaves(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "stampe")
	p := printing.File{Dir: dir}
	name := "Certificato di residenza I690-W001-2026-000005 D'ANGELO MÜLLER/NICOLÒ"
	for i, content := range []string{"%PDF first", "%PDF second"} {
		if err := p.Print(context.Background(), name, []byte(content), 1); err != nil {
			t.Fatalf("print %d: %v", i+1, err)
		}
	}
	first, err := os.ReadFile(filepath.Join(dir, "Certificato di residenza I690-W001-2026-000005 D'ANGELO MÜLLER_NICOLÒ.pdf"))
	if err != nil || string(first) != "%PDF first" {
		t.Errorf("first file: %q, %v", first, err)
	}
	second, err := os.ReadFile(filepath.Join(dir, "Certificato di residenza I690-W001-2026-000005 D'ANGELO MÜLLER_NICOLÒ (2).pdf"))
	if err != nil || string(second) != "%PDF second" {
		t.Errorf("second file: %q, %v", second, err)
	}
	if err := (printing.File{}).Print(context.Background(), name, nil, 1); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("no folder: %v, want EINVALID", err)
	}
	// Certificates are personal data: the folder and the files are the
	// operator's alone.
	for path, want := range map[string]os.FileMode{dir: os.ModeDir | 0o700, filepath.Join(dir, "Certificato di residenza I690-W001-2026-000005 D'ANGELO MÜLLER_NICOLÒ.pdf"): 0o600} {
		if fi, err := os.Stat(path); err != nil || fi.Mode() != want {
			t.Errorf("%s: %v %v, want %v", filepath.Base(path), fi.Mode(), err, want)
		}
	}
}
