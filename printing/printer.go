package printing

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"

	ipp "github.com/phin1x/go-ipp"

	"github.com/sportello/sportello/app"
)

// Printer puts a PDF on paper, or wherever the workstation keeps its
// prints. name names the job (the certificate's title and number: what
// the print queue shows); copies is at least 1.
//
// Errors the operator can act on (no paper, printer off, unknown printer)
// are *app.Error with code CodePrinter, or EINVALID for a wrong
// configuration, with the message in Italian; anything else is wrapped.
type Printer interface {
	Print(ctx context.Context, name string, pdf []byte, copies int) error
}

// CodePrinter is the app.Error code of a problem at the printer that the
// operator fixes there: paper, toner, a jam, a printer off or paused. It is
// printing's own: no other part of the system produces it, and the counter
// shows its message as it shows any *app.Error.
const CodePrinter = "printer"

// The printers.
var (
	_ Printer = CUPS{}
	_ Printer = LP{}
	_ Printer = File{}
)

// CUPS prints through an IPP server, normally the workstation's CUPS, with
// a Print-Job of the PDF itself (document-format application/pdf). Before
// sending, it asks the printer's state, so that a printer without paper or
// switched off is reported to the operator instead of holding the job.
type CUPS struct {
	// URI is the printer's IPP address: ipp://localhost:631/printers/NAME
	// (ipps:// for TLS; the port defaults to 631), as ListPrinters gives it.
	URI string
	// User is the requesting-user-name; empty, the user of the process,
	// which is what cups-pdf and CUPS's job list go by.
	User string
}

// Print sends the PDF.
func (p CUPS) Print(ctx context.Context, name string, pdf []byte, copies int) error {
	if copies < 1 {
		copies = 1
	}
	t, err := parseIPP(p.URI)
	if err != nil {
		return err
	}
	c := newIPPClient(t, p.User)
	if err := c.check(ctx); err != nil {
		return err
	}
	req := ipp.NewRequest(ipp.OperationPrintJob, 2)
	req.OperationAttributes[ipp.AttributePrinterURI] = t.printerURI
	req.OperationAttributes[ipp.AttributeRequestingUserName] = c.user
	req.OperationAttributes[ipp.AttributeJobName] = name
	req.OperationAttributes[ipp.AttributeDocumentFormat] = "application/pdf"
	req.JobAttributes[ipp.AttributeCopies] = copies
	req.File, req.FileSize = bytes.NewReader(pdf), len(pdf)
	if _, err := c.send(ctx, req); err != nil {
		return err
	}
	return nil
}

// ippTarget is where an IPP printer answers.
type ippTarget struct {
	httpURL    string // what the HTTP request goes to
	printerURI string // the printer-uri attribute
	printer    string // a name for messages
	tls        bool
	host       string
}

func parseIPP(uri string) (ippTarget, error) {
	bad := app.Errorf(app.EINVALID, "indirizzo della stampante non valido %q: atteso ipp://server:631/printers/NOME", uri)
	u, err := url.Parse(uri)
	if err != nil || u.Host == "" {
		return ippTarget{}, bad
	}
	t := ippTarget{printer: strings.TrimPrefix(u.Path, "/printers/"), host: u.Host}
	switch u.Scheme {
	case "ipp", "http":
	case "ipps", "https":
		t.tls = true
	default:
		return ippTarget{}, bad
	}
	port := u.Port()
	if port == "" {
		port = "631"
	}
	scheme := "http"
	if t.tls {
		scheme = "https"
	}
	hostPort := net.JoinHostPort(u.Hostname(), port)
	t.httpURL = scheme + "://" + hostPort + u.EscapedPath()
	t.printerURI = strings.Replace(scheme, "http", "ipp", 1) + "://" + hostPort + u.EscapedPath()
	return t, nil
}

// ippClient sends IPP requests with a context (go-ipp's own client
// methods drop it).
type ippClient struct {
	t       ippTarget
	user    string
	adapter *ipp.HttpAdapter
}

func newIPPClient(t ippTarget, user string) *ippClient {
	if user == "" {
		user = currentUser()
	}
	client := &http.Client{}
	if t.tls {
		// A workstation's CUPS has a self-signed certificate, which lp and
		// every CUPS client accept too.
		client.Transport = &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}
	}
	return &ippClient{t: t, user: user, adapter: ipp.NewHttpAdapter("", 0, user, "", t.tls, ipp.WithHttpClient(client))}
}

func currentUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return "sportello"
}

// send sends a request and turns IPP and network failures into messages
// for the operator.
func (c *ippClient) send(ctx context.Context, req *ipp.Request) (*ipp.Response, error) {
	// go-ipp's default "en-US" is refused by CUPS 2.4 on some paths (an
	// unknown printer answers "Bad attributes-natural-language"): RFC 8011
	// §5.1.9 languages are lower case.
	req.OperationAttributes[ipp.AttributeNaturalLanguage] = "en"
	resp, err := c.adapter.SendRequestContext(ctx, c.t.httpURL, req, nil)
	if err == nil {
		return resp, nil
	}
	return nil, c.explain(ctx, err)
}

func (c *ippClient) explain(ctx context.Context, err error) error {
	var ippErr ipp.IPPError
	var httpErr ipp.HTTPError
	var netErr net.Error
	var opErr *net.OpError
	switch {
	case errors.As(err, &ippErr):
		return ippStatusError(c.t, ippErr)
	case errors.As(err, &httpErr):
		if httpErr.Code == http.StatusNotFound {
			return app.Errorf(app.EINVALID, "stampante %q sconosciuta al servizio di stampa %s", c.t.printer, c.t.host)
		}
		return fmt.Errorf("ipp %s: %w", c.t.httpURL, err)
	case ctx.Err() != nil:
		return fmt.Errorf("ipp %s: %w", c.t.httpURL, ctx.Err())
	case errors.As(err, &opErr), errors.As(err, &netErr):
		return app.Errorf(CodePrinter, "servizio di stampa non raggiungibile (%s): verificare che la stampante o CUPS siano accesi", c.t.host)
	}
	return fmt.Errorf("ipp %s: %w", c.t.httpURL, err)
}

// The IPP status codes the operator can act on (RFC 8011 §4.1.6, CUPS).
const (
	ippForbidden        = 0x0401
	ippNotAuthenticated = 0x0402
	ippFormatNotSupp    = 0x040A
	ippServiceUnavail   = 0x0502
	ippBusy             = 0x0507
)

func ippStatusError(t ippTarget, e ipp.IPPError) error {
	switch e.Status {
	case ipp.StatusErrorNotFound:
		return app.Errorf(app.EINVALID, "stampante %q sconosciuta al servizio di stampa %s", t.printer, t.host)
	case ipp.StatusErrorNotAcceptingJobs:
		return app.Errorf(CodePrinter, "la stampante %s non accetta lavori: riattivarla dal pannello di stampa", t.printer)
	case ippForbidden, ippNotAuthenticated:
		return app.Errorf(CodePrinter, "stampa non autorizzata sulla stampante %s", t.printer)
	case ippFormatNotSupp:
		return app.Errorf(CodePrinter, "la stampante %s non stampa PDF: sceglierne un'altra o usare lp", t.printer)
	case ippServiceUnavail, ippBusy:
		return app.Errorf(CodePrinter, "stampante %s occupata o non disponibile: riprovare tra poco", t.printer)
	}
	return fmt.Errorf("ipp %s: status 0x%04x: %s", t.httpURL, uint16(e.Status), e.Message)
}

// check asks the printer's state and refuses to send to one that would not
// print: stopped, not accepting jobs, or with an error condition.
func (c *ippClient) check(ctx context.Context) error {
	req := ipp.NewRequest(ipp.OperationGetPrinterAttributes, 1)
	req.OperationAttributes[ipp.AttributePrinterURI] = c.t.printerURI
	req.OperationAttributes[ipp.AttributeRequestingUserName] = c.user
	req.OperationAttributes[ipp.AttributeRequestedAttributes] = []string{
		ipp.AttributePrinterState, ipp.AttributePrinterStateReasons, ipp.AttributePrinterIsAcceptingJobs,
	}
	resp, err := c.send(ctx, req)
	if err != nil {
		return err
	}
	if len(resp.PrinterAttributes) == 0 {
		return nil // nothing to go by: let Print-Job speak
	}
	return stateError(c.t.printer, resp.PrinterAttributes[0])
}

// reasonMessages say what to do about a printer-state-reason (RFC 8011
// §5.4.12, PWG 5100.9), by keyword without its suffix.
var reasonMessages = map[string]string{
	"media-empty":         "Stampante senza carta: caricare la carta e ristampare",
	"media-needed":        "Stampante senza carta: caricare la carta e ristampare",
	"media-jam":           "Carta inceppata nella stampante: liberarla e ristampare",
	"toner-empty":         "Toner esaurito: sostituirlo e ristampare",
	"marker-supply-empty": "Toner o inchiostro esaurito: sostituirlo e ristampare",
	"door-open":           "Sportello della stampante aperto: chiuderlo e ristampare",
	"cover-open":          "Coperchio della stampante aperto: chiuderlo e ristampare",
	"interlock-open":      "Sportello della stampante aperto: chiuderlo e ristampare",
	"input-tray-missing":  "Cassetto della carta mancante: inserirlo e ristampare",
	"offline":             "Stampante spenta o scollegata: accenderla e ristampare",
	"shutdown":            "Stampante spenta o scollegata: accenderla e ristampare",
	"timed-out":           "Stampante spenta o scollegata: accenderla e ristampare",
	"paused":              "Stampante in pausa: riattivarla dal pannello di stampa",
}

// stateError reads printer-state, printer-state-reasons and
// printer-is-accepting-jobs. A reason blocks when it is an error: the
// "-error" suffix or none (RFC 8011: no suffix means error); paper is
// reported at the warning level too, since the job would wait for it.
func stateError(printer string, attrs ipp.Attributes) error {
	for _, a := range attrs[ipp.AttributePrinterStateReasons] {
		kw, _ := a.Value.(string)
		base, level := kw, "error"
		for _, suffix := range []string{"-error", "-warning", "-report"} {
			if strings.HasSuffix(kw, suffix) {
				base, level = strings.TrimSuffix(kw, suffix), suffix[1:]
			}
		}
		msg, known := reasonMessages[base]
		paper := base == "media-empty" || base == "media-needed"
		if known && (level == "error" || (level == "warning" && paper)) {
			return app.Errorf(CodePrinter, "%s (stampante %s)", msg, printer)
		}
	}
	if v := attrs[ipp.AttributePrinterIsAcceptingJobs]; len(v) > 0 {
		if ok, isBool := v[0].Value.(bool); isBool && !ok {
			return app.Errorf(CodePrinter, "la stampante %s non accetta lavori: riattivarla dal pannello di stampa", printer)
		}
	}
	if v := attrs[ipp.AttributePrinterState]; len(v) > 0 {
		if s, ok := v[0].Value.(int); ok && s == int(ipp.PrinterStateStopped) {
			return app.Errorf(CodePrinter, "%s (stampante %s)", reasonMessages["paused"], printer)
		}
	}
	return nil
}

// LP prints with the lp command of CUPS: the fallback where IPP cannot be
// reached directly, with the same queue and the same printers.
type LP struct {
	Dest    string // the CUPS destination; empty, the system default
	Command string // empty, "lp"
}

// Print pipes the PDF to lp.
func (p LP) Print(ctx context.Context, name string, pdf []byte, copies int) error {
	if copies < 1 {
		copies = 1
	}
	command := p.Command
	if command == "" {
		command = "lp"
	}
	args := []string{"-n", strconv.Itoa(copies), "-t", name}
	if p.Dest != "" {
		args = append([]string{"-d", p.Dest}, args...)
	}
	cmd := cupsCommand(ctx, command, args...)
	cmd.Stdin = bytes.NewReader(pdf)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if err == nil {
		return nil
	}
	if errors.Is(err, exec.ErrNotFound) {
		return app.Errorf(CodePrinter, "comando di stampa %s non disponibile: installare CUPS o scegliere un'altra stampante", command)
	}
	msg := strings.TrimSpace(stderr.String())
	low := strings.ToLower(msg)
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("lp -d %s: %w", p.Dest, ctx.Err())
	case strings.Contains(low, "does not exist") || strings.Contains(low, "unknown destination") || strings.Contains(low, "no default destination"):
		return app.Errorf(app.EINVALID, "stampante %q sconosciuta al servizio di stampa", p.Dest)
	case strings.Contains(low, "not accepting"):
		return app.Errorf(CodePrinter, "la stampante %s non accetta lavori: riattivarla dal pannello di stampa", p.Dest)
	case strings.Contains(low, "unable to connect") || strings.Contains(low, "scheduler is not running") || strings.Contains(low, "connection refused"):
		return app.Errorf(CodePrinter, "servizio di stampa non raggiungibile: verificare che CUPS sia avviato")
	}
	return fmt.Errorf("lp -d %s: %w: %s", p.Dest, err, msg)
}

// File saves the PDF in a folder instead of printing it: the "salva come
// PDF" of the counter, and a printer for a workstation without one.
type File struct {
	Dir string
}

// Print writes name.pdf in the folder, never over an existing file: a
// second file of the same name gets " (2)", and so on. copies is ignored.
func (p File) Print(_ context.Context, name string, pdf []byte, _ int) error {
	_, err := p.Save(name, pdf)
	return err
}

// Save is Print that returns the path written.
func (p File) Save(name string, pdf []byte) (string, error) {
	if p.Dir == "" {
		return "", app.Errorf(app.EINVALID, "cartella dei PDF non configurata")
	}
	if err := os.MkdirAll(p.Dir, 0o700); err != nil { // certificates and receipts: personal data
		return "", app.Errorf(CodePrinter, "cartella %s non utilizzabile: %v", p.Dir, err)
	}
	base := fileName(name)
	for i := 1; ; i++ {
		fn := base + ".pdf"
		if i > 1 {
			fn = fmt.Sprintf("%s (%d).pdf", base, i)
		}
		path := filepath.Join(p.Dir, fn)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err != nil {
			return "", app.Errorf(CodePrinter, "impossibile salvare il PDF in %s: %v", p.Dir, err)
		}
		_, werr := f.Write(pdf)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			os.Remove(path)
			return "", app.Errorf(CodePrinter, "impossibile salvare il PDF in %s: %v", p.Dir, werr)
		}
		return path, nil
	}
}

// fileName makes a job name safe as a file name on every system.
func fileName(name string) string {
	s := strings.Map(func(r rune) rune {
		switch {
		case strings.ContainsRune(`/\:*?"<>|`, r), unicode.IsControl(r):
			return '_'
		}
		return r
	}, strings.TrimSpace(name))
	s = strings.Trim(s, ". ")
	if s == "" {
		return "stampa"
	}
	return s
}

// Destination is a printer the workstation can choose.
type Destination struct {
	Name     string // the CUPS queue: LP{Dest: Name}
	URI      string // its IPP address: CUPS{URI: URI}
	Info     string // the description an administrator gave it
	Location string
	Default  bool
	// Problem is what the printer reports that would stop a print, in
	// Italian; empty when ready.
	Problem string
}

// ListPrinters lists the printers of the workstation's CUPS, default first:
// over IPP (CUPS-Get-Printers) at $CUPS_SERVER or localhost:631, or with
// `lpstat -e`, which knows only names, when CUPS_SERVER is a local socket
// or IPP cannot be reached.
func ListPrinters(ctx context.Context) ([]Destination, error) {
	server := os.Getenv("CUPS_SERVER")
	if strings.HasPrefix(server, "/") {
		return listLpstat(ctx) // a local socket: lpstat knows the way
	}
	if server == "" {
		server = "localhost:631"
	}
	if _, _, err := net.SplitHostPort(server); err != nil {
		server = net.JoinHostPort(server, "631")
	}
	ds, ipperr := listIPP(ctx, server)
	if ipperr == nil {
		return ds, nil
	}
	ds, err := listLpstat(ctx)
	if err != nil {
		return nil, errors.Join(ipperr, err)
	}
	return ds, nil
}

func listIPP(ctx context.Context, server string) ([]Destination, error) {
	t := ippTarget{httpURL: "http://" + server + "/", printerURI: "ipp://" + server + "/", host: server}
	c := newIPPClient(t, "")

	def := ""
	req := ipp.NewRequest(ipp.OperationCupsGetDefault, 1)
	req.OperationAttributes[ipp.AttributeRequestedAttributes] = []string{ipp.AttributePrinterName}
	if resp, err := c.send(ctx, req); err == nil && len(resp.PrinterAttributes) > 0 {
		def = attrString(resp.PrinterAttributes[0], ipp.AttributePrinterName)
	}

	req = ipp.NewRequest(ipp.OperationCupsGetPrinters, 2)
	req.OperationAttributes[ipp.AttributeRequestedAttributes] = []string{
		ipp.AttributePrinterName, ipp.AttributePrinterInfo, ipp.AttributePrinterLocation,
		ipp.AttributePrinterState, ipp.AttributePrinterStateReasons, ipp.AttributePrinterIsAcceptingJobs,
	}
	resp, err := c.adapter.SendRequestContext(ctx, t.httpURL, req, nil)
	if err != nil {
		var ippErr ipp.IPPError
		if errors.As(err, &ippErr) && ippErr.Status == ipp.StatusErrorNotFound {
			return nil, nil // CUPS answers "not found" when it has no printers
		}
		return nil, c.explain(ctx, err)
	}
	var ds []Destination
	for _, a := range resp.PrinterAttributes {
		name := attrString(a, ipp.AttributePrinterName)
		if name == "" {
			continue
		}
		d := Destination{
			Name:     name,
			URI:      "ipp://" + server + "/printers/" + url.PathEscape(name),
			Info:     attrString(a, ipp.AttributePrinterInfo),
			Location: attrString(a, ipp.AttributePrinterLocation),
			Default:  name == def,
		}
		if err := stateError(name, a); err != nil {
			d.Problem = app.ErrorMessage(err)
		}
		ds = append(ds, d)
	}
	sortDestinations(ds)
	return ds, nil
}

func attrString(a ipp.Attributes, name string) string {
	if v := a[name]; len(v) > 0 {
		s, _ := v[0].Value.(string)
		return s
	}
	return ""
}

func listLpstat(ctx context.Context) ([]Destination, error) {
	out, err := cupsCommand(ctx, "lpstat", "-e").Output()
	if err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return nil, app.Errorf(CodePrinter, "servizio di stampa non disponibile: installare CUPS o salvare in PDF")
		}
		return nil, fmt.Errorf("lpstat -e: %w", err)
	}
	def := ""
	if d, err := cupsCommand(ctx, "lpstat", "-d").Output(); err == nil {
		// "system default destination: PDF"
		if _, name, ok := strings.Cut(strings.TrimSpace(string(d)), ": "); ok {
			def = name
		}
	}
	var ds []Destination
	for _, name := range strings.Fields(string(out)) {
		ds = append(ds, Destination{
			Name:    name,
			URI:     "ipp://localhost:631/printers/" + url.PathEscape(name),
			Default: name == def,
		})
	}
	sortDestinations(ds)
	return ds, nil
}

func sortDestinations(ds []Destination) {
	sort.SliceStable(ds, func(i, j int) bool {
		if ds[i].Default != ds[j].Default {
			return ds[i].Default
		}
		return ds[i].Name < ds[j].Name
	})
}

// PrintTo prints on the printer the workstation chose, named as the
// operator sees it: a CUPS queue name (looked up with ListPrinters and sent
// over IPP, or through lp when IPP is not reachable), or an ipp:// address.
func PrintTo(ctx context.Context, printer, jobName string, pdf []byte) error {
	if strings.HasPrefix(printer, "ipp://") || strings.HasPrefix(printer, "ipps://") {
		return CUPS{URI: printer}.Print(ctx, jobName, pdf, 1)
	}
	if ds, err := ListPrinters(ctx); err == nil {
		for _, d := range ds {
			if d.Name == printer && d.URI != "" {
				return CUPS{URI: d.URI}.Print(ctx, jobName, pdf, 1)
			}
		}
	}
	return LP{Dest: printer}.Print(ctx, jobName, pdf, 1)
}

// cupsCommand runs a command of CUPS in English: its messages follow the
// caller's LANG ("lo scheduler è in funzione"), and we read them.
func cupsCommand(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C", "LANG=C", "LC_MESSAGES=C")
	return cmd
}
