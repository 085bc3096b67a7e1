package main

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/printing"
	"github.com/sportello/sportello/store"
)

// newCertificates is the certificate service of a workstation, rendering
// with printing's layout.
func newCertificates(ws *workstation) *certificate.Service {
	return &certificate.Service{
		Store:   ws.store,
		Profile: ws.store.Profile,
		Index:   ws.counter.Index,
		Render: func(c *certificate.Certificate, stamp string, fees certificate.ComuneFees) ([]byte, error) {
			return printing.CertificatePDF(c, printing.Options{Stamp: stamp, Fees: fees})
		},
		Fees: func(ctx context.Context, comune string) (certificate.ComuneFees, error) {
			r, err := ws.store.Record(ctx, certificate.RecordFees, comune)
			if app.ErrorCode(err) == app.ENOTFOUND {
				return certificate.DefaultFees, nil
			}
			if err != nil {
				return certificate.ComuneFees{}, err
			}
			return certificate.ParseFees(r.Data)
		},
		Online: func() bool { return ws.client.Status().Online },
		Now:    time.Now,
		Outboxed: func() {
			if ws.counter.Outboxed != nil {
				ws.counter.Outboxed()
			}
		},
	}
}

func cmdCertificate(ctx context.Context, o options, args []string) error {
	if len(args) == 0 {
		return usageError{"certificate: indicare types, controls, issue, list o reprint"}
	}
	switch args[0] {
	case "types":
		return cmdCertTypes(o, args[1:])
	case "controls":
		return cmdCertControls(o, args[1:])
	case "issue":
		return cmdCertIssue(ctx, o, args[1:])
	case "list":
		return cmdCertList(ctx, o, args[1:])
	case "reprint":
		return cmdCertReprint(ctx, o, args[1:])
	}
	return usageError{fmt.Sprintf("certificate: comando sconosciuto %q (types, controls, issue, list, reprint)", args[0])}
}

// cmdCertControls lists ANPR's issuing controls of a type: the ids that
// --force takes, whether each can be forced, ANPR's section and words.
func cmdCertControls(o options, args []string) error {
	fs := subFlags("certificate controls")
	typ := fs.String("type", "", "")
	if err := fs.Parse(args); err != nil {
		return usageError{"certificate controls: " + err.Error()}
	}
	if fs.NArg() > 0 || *typ == "" {
		return usageError{"certificate controls: serve --type TIPO (sportello certificate types li elenca)"}
	}
	t, err := certificate.TypeBySlug(*typ)
	if err != nil {
		return usageError{"certificate controls: " + app.ErrorMessage(err)}
	}
	for _, c := range certificate.ControlsOf(t) {
		kind := "bloccante"
		if c.Forceable {
			kind = "forzabile"
		}
		what := c.ANPR
		if what == "" {
			what = c.Source
		}
		fmt.Fprintf(o.stdout, "%-45s %-9s %s: %s\n", c.ID, kind, c.Category, what)
	}
	return nil
}

// forceFlag collects --force CONTROL, repeatable.
type forceFlag []certificate.ControlID

func (f *forceFlag) String() string { return fmt.Sprint(*f) }
func (f *forceFlag) Set(s string) error {
	*f = append(*f, certificate.ControlID(strings.TrimSpace(s)))
	return nil
}

// certIssueRules reads the flags of the issuing controls into the request:
// the controls forced with the one reason, the destination, the PA's
// request. A usage error when --force and --reason do not go together.
func certIssueRules(req *certificate.IssueRequest, force forceFlag, reason, destination, paRequest string) error {
	reason = strings.TrimSpace(reason)
	switch {
	case len(force) > 0 && reason == "":
		return usageError{"certificate issue: --force vuole --reason TESTO, il motivo della forzatura (al massimo 256 caratteri)"}
	case len(force) == 0 && reason != "":
		return usageError{"certificate issue: --reason senza --force CONTROLLO (sportello certificate controls --type TIPO li elenca)"}
	}
	for _, id := range force {
		req.Force = append(req.Force, certificate.Forcing{Control: id, Reason: reason})
	}
	d, err := certificate.ParseDestination(destination)
	if err != nil {
		return usageError{"certificate issue: --destinazione: " + app.ErrorMessage(err)}
	}
	req.Destination = d
	req.PARequest = strings.TrimSpace(paRequest)
	req.RequesterPA = req.PARequest != ""
	return nil
}

func cmdCertTypes(o options, args []string) error {
	if len(args) > 0 {
		return usageError{"certificate types: nessun argomento previsto"}
	}
	for _, t := range certificate.Types() {
		bollo := "bollo €16 salvo esenzione"
		if !t.Bollo() {
			bollo = "esente per legge"
		}
		fmt.Fprintf(o.stdout, "%-45s %s (%s)\n", t.Slug, t.Title, bollo)
	}
	return nil
}

// cliOperator is who issues from the command line: an operator of the
// workstation by --operator (or SPORTELLO_OPERATOR), or the system user,
// named as such in the audit trail and on the certificate.
func cliOperator(ctx context.Context, ws *workstation, o options, name string) (*app.Operator, error) {
	if name == "" {
		name = o.getenv("SPORTELLO_OPERATOR")
	}
	if name == "" {
		u := "sconosciuto"
		if cu, err := user.Current(); err == nil && cu.Username != "" {
			u = cu.Username
		}
		return &app.Operator{Username: "cli:" + u}, nil
	}
	op, err := ws.store.Operator(ctx, name)
	if err != nil {
		return nil, err
	}
	if !op.Active {
		return nil, app.Errorf(app.EFORBIDDEN, "operatore %s disattivato", name)
	}
	return op, nil
}

func cmdCertIssue(ctx context.Context, o options, args []string) error {
	fs := subFlags("certificate issue")
	cfCode := fs.String("cf", "", "")
	typ := fs.String("type", "", "")
	marca := fs.String("marca", "", "")
	esenzione := fs.String("esenzione", "", "")
	esenzioneText := fs.String("esenzione-testo", "", "")
	use := fs.String("uso", "", "")
	abroad := fs.Bool("estero", false, "")
	out := fs.String("out", "", "")
	printer := fs.String("print", "", "")
	opName := fs.String("operator", "", "")
	var force forceFlag
	fs.Var(&force, "force", "")
	reason := fs.String("reason", "", "")
	destination := fs.String("destinazione", "", "")
	paRequest := fs.String("richiesta-pa", "", "")
	if err := fs.Parse(args); err != nil {
		return usageError{"certificate issue: " + err.Error()}
	}
	switch {
	case fs.NArg() > 0:
		return usageError{fmt.Sprintf("certificate issue: argomento inatteso %q", fs.Arg(0))}
	case *cfCode == "" || *typ == "":
		return usageError{"certificate issue: servono --cf CODICE e --type TIPO (sportello certificate types li elenca)"}
	case *out == "" && *printer == "":
		return usageError{"certificate issue: servono --out FILE.pdf o --print STAMPANTE"}
	case *marca != "" && *esenzione != "":
		return usageError{"certificate issue: --marca oppure --esenzione, non entrambi"}
	}
	t, err := certificate.TypeBySlug(*typ)
	if err != nil {
		return usageError{"certificate issue: " + app.ErrorMessage(err)}
	}
	req := certificate.IssueRequest{Type: t.Slug, Use: *use, Abroad: *abroad, Marca: *marca, ExemptionText: *esenzioneText}
	if err := certIssueRules(&req, force, *reason, *destination, *paRequest); err != nil {
		return err
	}
	if *esenzione != "" {
		n, err := strconv.Atoi(*esenzione)
		if err != nil || n <= 0 {
			return usageError{"certificate issue: --esenzione vuole il numero della tabella ANPR esenzione_bollo"}
		}
		req.ExemptionID = n
	}
	if t.Bollo() && req.Marca == "" && req.ExemptionID == 0 {
		return usageError{"certificate issue: il certificato " + t.Slug + " vuole --marca (14 cifre) o --esenzione ID"}
	}
	ws, err := openWorkstation(o, quietLog(o.stderr))
	if err != nil {
		return err
	}
	defer ws.Close()
	if _, err := ws.profile(ctx); err != nil {
		return err
	}
	op, err := cliOperator(ctx, ws, o, *opName)
	if err != nil {
		return err
	}
	// A round first, so that the data is the hub's latest when it answers;
	// without the hub the certificate is issued offline, from the cache.
	syncCtx, cancel := context.WithTimeout(ctx, 20*time.Second)
	_ = ws.client.Round(syncCtx)
	cancel()
	file, err := ws.counter.OpenFile(ctx, op, *cfCode)
	if err != nil {
		return err
	}
	is, pdf, err := newCertificates(ws).Issue(ctx, op, file, req)
	if err != nil {
		return err
	}
	if err := deliver(ctx, o, *out, *printer, is.Certificate.Number.String(), pdf); err != nil {
		return fmt.Errorf("certificato %s rilasciato ma non consegnato (ristampabile con 'certificate reprint'): %w", is.Certificate.Number, err)
	}
	sent := "inviato all'hub"
	syncCtx, cancel = context.WithTimeout(ctx, 20*time.Second)
	if err := ws.client.Round(syncCtx); err != nil {
		sent = "in attesa di invio all'hub (" + app.ErrorMessage(err) + ")"
	}
	cancel()
	fmt.Fprintf(o.stdout, "certificato %s rilasciato: %s di %s %s; %s\n", is.Certificate.Number, strings.ToLower(t.Title),
		is.Certificate.Person.Surname, is.Certificate.Person.GivenName, sent)
	if is.Certificate.Offline {
		fmt.Fprintln(o.stdout, "rilasciato senza collegamento con l'hub: sarà verificato alla prossima sincronizzazione")
	}
	for _, f := range is.Certificate.Forced {
		fmt.Fprintf(o.stdout, "controllo ANPR forzato: %s (registrato nel registro delle attività)\n", f.Control)
	}
	if issued, err := ws.store.Certificate(ctx, is.Certificate.Number.String()); err == nil && issued.Flag != "" {
		fmt.Fprintln(o.stdout, "ATTENZIONE:", issued.Flag)
	}
	return nil
}

// deliver writes the PDF to the file and/or sends it to the printer.
func deliver(ctx context.Context, o options, out, printer, name string, pdf []byte) error {
	if out != "" {
		if err := os.WriteFile(out, pdf, 0o644); err != nil {
			return err
		}
	}
	if printer != "" {
		if err := printing.PrintTo(ctx, printer, name, pdf); err != nil {
			return err
		}
	}
	return nil
}

// certLine is one line of `certificate list --json`.
type certLine struct {
	Number   string `json:"numero"`
	Type     string `json:"tipo"`
	IssuedAt string `json:"rilasciato_il"`
	Operator string `json:"operatore"`
	Offline  bool   `json:"senza_collegamento"`
	Synced   bool   `json:"inviato"`
	Flag     string `json:"segnalazione,omitempty"`
}

func cmdCertList(ctx context.Context, o options, args []string) error {
	fs := subFlags("certificate list")
	cfCode := fs.String("cf", "", "")
	asJSON := fs.Bool("json", false, "")
	flagged := fs.Bool("flagged", false, "")
	if err := fs.Parse(args); err != nil {
		return usageError{"certificate list: " + err.Error()}
	}
	if (*cfCode == "") == !*flagged {
		return usageError{"certificate list: serve --cf CODICE oppure --flagged"}
	}
	ws, err := openWorkstation(o, quietLog(o.stderr))
	if err != nil {
		return err
	}
	defer ws.Close()
	var list []certificate.Issued
	if *flagged {
		list, err = ws.store.Flagged(ctx)
	} else {
		list, err = ws.store.Certificates(ctx, strings.ToUpper(strings.TrimSpace(*cfCode)))
	}
	if err != nil {
		return err
	}
	lines := []certLine{}
	for _, is := range list {
		c := is.Certificate
		lines = append(lines, certLine{Number: c.Number.String(), Type: c.Type.Slug, IssuedAt: c.IssuedAt.Format(time.RFC3339),
			Operator: c.Operator, Offline: c.Offline, Synced: is.Synced, Flag: is.Flag})
	}
	if *asJSON {
		enc := json.NewEncoder(o.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(lines)
	}
	for _, l := range lines {
		fmt.Fprintf(o.stdout, "%s  %-45s  %s  %s\n", l.Number, l.Type, l.IssuedAt, map[bool]string{true: "inviato", false: "in attesa di invio"}[l.Synced])
		if l.Flag != "" {
			fmt.Fprintln(o.stdout, "    DA VERIFICARE:", l.Flag)
		}
	}
	if len(lines) == 0 {
		fmt.Fprintln(o.stdout, "nessun certificato")
	}
	return nil
}

func cmdCertReprint(ctx context.Context, o options, args []string) error {
	fs := subFlags("certificate reprint")
	number := fs.String("number", "", "")
	out := fs.String("out", "", "")
	printer := fs.String("print", "", "")
	opName := fs.String("operator", "", "")
	if err := fs.Parse(args); err != nil {
		return usageError{"certificate reprint: " + err.Error()}
	}
	if *number == "" || (*out == "" && *printer == "") {
		return usageError{"certificate reprint: servono --number NUMERO e --out FILE.pdf o --print STAMPANTE"}
	}
	ws, err := openWorkstation(o, quietLog(o.stderr))
	if err != nil {
		return err
	}
	defer ws.Close()
	if _, err := ws.profile(ctx); err != nil {
		return err
	}
	op, err := cliOperator(ctx, ws, o, *opName)
	if err != nil {
		return err
	}
	pdf, err := newCertificates(ws).Reprint(ctx, op, *number)
	if err != nil {
		return err
	}
	if err := deliver(ctx, o, *out, *printer, *number+"-duplicato", pdf); err != nil {
		return err
	}
	fmt.Fprintf(o.stdout, "duplicato del certificato %s\n", *number)
	return nil
}

// cmdVerify verifies a certificate's stamp from a PDF, an image of its QR
// code, or the QR code's text. It needs only the network's root public key:
// from --root-key (base64, or a file holding it), SPORTELLO_ROOT_KEY, or the
// enrolled profile, which also knows the revoked workstations.
func cmdVerify(ctx context.Context, o options, args []string) error {
	fs := subFlags("verify")
	rootFlag := fs.String("root-key", "", "")
	if err := fs.Parse(args); err != nil {
		return usageError{"verify: " + err.Error()}
	}
	if fs.NArg() != 1 {
		return usageError{"verify: indicare un PDF, un'immagine del codice QR o il testo del contrassegno"}
	}
	arg := fs.Arg(0)
	stamp, text, err := readStamp(arg)
	if err != nil {
		return err
	}
	root, revoked, closeFn, err := verifierKeys(ctx, o, *rootFlag)
	if err != nil {
		return err
	}
	defer closeFn()
	f, verr := certificate.Verify(stamp, root, revoked, time.Now())
	if verr == nil && text != "" && sha256.Sum256([]byte(text)) != f.Digest {
		verr = app.Errorf(app.EINVALID, "il testo del PDF non è quello firmato: il certificato è stato alterato")
	}
	if f != nil {
		printFacts(o, f)
	}
	if verr != nil {
		fmt.Fprintln(o.stdout, "NON VALIDO:", app.ErrorMessage(verr))
		return silentError{1}
	}
	fmt.Fprintln(o.stdout, "VALIDO")
	return nil
}

// readStamp reads the stamp from a PDF (and the certified text the digest
// binds), from an image's QR code, or takes arg as the stamp's text.
func readStamp(arg string) (stamp, text string, err error) {
	b, ferr := os.ReadFile(arg)
	if ferr != nil {
		if strings.Contains(arg, certificate.StampVersion+".") {
			return strings.TrimSpace(arg), "", nil
		}
		return "", "", app.Errorf(app.EINVALID, "%q non è un file leggibile né un contrassegno (%v)", arg, ferr)
	}
	if strings.HasPrefix(string(b), "%PDF") {
		text, stamp, err := printing.Embedded(b)
		if err != nil {
			return "", "", app.Errorf(app.EINVALID, "il PDF non è un certificato di Sportello: %v", err)
		}
		return stamp, text, nil
	}
	s, err := printing.ReadQR(b)
	if err != nil {
		if strings.Contains(string(b), certificate.StampVersion+".") {
			return strings.TrimSpace(string(b)), "", nil // a text file with the QR code's text
		}
		return "", "", err
	}
	return s, "", nil
}

func verifierKeys(ctx context.Context, o options, flagValue string) (ed25519.PublicKey, func(string) (time.Time, bool), func(), error) {
	none := func() {}
	var revoked func(string) (time.Time, bool)
	closeFn := none
	var root []byte
	if path := filepath.Join(o.data, "sportello.db"); fileExists(path) {
		st, err := store.Open(path)
		if err != nil {
			return nil, nil, none, err
		}
		closeFn = func() { st.Close() }
		if p, err := st.Profile(ctx); err == nil {
			root = p.RootKey
		}
		revoked = func(device string) (time.Time, bool) {
			d, err := st.DeviceKey(ctx, device)
			if err != nil || d.RevokedAt.IsZero() {
				return time.Time{}, false
			}
			return d.RevokedAt, true
		}
	}
	given := flagValue
	if given == "" {
		given = o.getenv("SPORTELLO_ROOT_KEY")
	}
	if given != "" {
		if b, err := os.ReadFile(given); err == nil {
			given = string(b)
		}
		k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(given))
		if err != nil || len(k) != ed25519.PublicKeySize {
			closeFn()
			return nil, nil, none, usageError{"verify: --root-key vuole la chiave pubblica della rete in base64 (32 byte), o un file che la contiene"}
		}
		root = k
	}
	if root == nil {
		closeFn()
		return nil, nil, none, usageError{"verify: serve la chiave pubblica della rete: --root-key CHIAVE (sportello-hub root-key la stampa) o una postazione attivata"}
	}
	return root, revoked, closeFn, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func printFacts(o options, f *certificate.Facts) {
	t, _ := certificate.TypeByID(f.Type)
	bollo := "esente"
	if f.Marca != "" {
		bollo = "marca da bollo n. " + f.Marca
	} else if f.ExemptionID != 0 {
		bollo = fmt.Sprintf("esente (esenzione ANPR %d)", f.ExemptionID)
	}
	rome, _ := time.LoadLocation("Europe/Rome")
	fmt.Fprintf(o.stdout, "certificato n. %s\ntipo: %s\ncomune: %s\nintestatario: %s %s, %s, nato/a il %s\nrilasciato il: %s\ndati aggiornati al: %s\nbollo: %s\n",
		f.Number, t.Title, f.Comune, f.Surname, f.GivenName, f.CodiceFiscale, f.BirthDate.Format("02/01/2006"),
		f.IssuedAt.In(rome).Format("02/01/2006 15:04"), f.AsOf.In(rome).Format("02/01/2006 15:04"), bollo)
	if f.Offline {
		fmt.Fprintln(o.stdout, "rilasciato senza collegamento con l'hub")
	}
	if u := f.ValidUntil(); !u.IsZero() {
		fmt.Fprintf(o.stdout, "valido fino al: %s\n", u.Format("02/01/2006"))
	}
}
