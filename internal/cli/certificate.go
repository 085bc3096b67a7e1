package cli

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/internal/cmdline"
	"github.com/sportello/sportello/printing"
)

func cmdCertTypes(_ context.Context, e *Env, args []string) error {
	if len(args) > 0 {
		return cmdline.Usagef("certificate types: nessun argomento previsto")
	}
	for _, t := range certificate.Types() {
		bollo := "bollo €16 salvo esenzione"
		if !t.Bollo() {
			bollo = "esente per legge"
		}
		fmt.Fprintf(e.Stdout, "%-45s %s (%s)\n", t.Slug, t.Title, bollo)
	}
	return nil
}

// cmdCertControls lists ANPR's issuing controls of a type: the ids that
// --force takes, whether each can be forced, ANPR's section and words.
func cmdCertControls(_ context.Context, e *Env, args []string) error {
	fs := flags("certificate controls")
	typ := fs.String("type", "", "")
	if err := fs.Parse(args); err != nil {
		return cmdline.Usagef("certificate controls: %v", err)
	}
	if fs.NArg() > 0 || *typ == "" {
		return cmdline.Usagef("certificate controls: serve --type TIPO (sportello certificate types li elenca)")
	}
	t, err := certificate.TypeBySlug(*typ)
	if err != nil {
		return cmdline.Usagef("certificate controls: %s", app.ErrorMessage(err))
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
		fmt.Fprintf(e.Stdout, "%-45s %-9s %s: %s\n", c.ID, kind, c.Category, what)
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
// request, the reference date of a historical certificate. A usage error
// when --force and --reason do not go together.
func certIssueRules(req *certificate.IssueRequest, force forceFlag, reason, destination, paRequest, on string) error {
	reason = strings.TrimSpace(reason)
	switch {
	case len(force) > 0 && reason == "":
		return cmdline.Usagef("certificate issue: --force vuole --reason TESTO, il motivo della forzatura (al massimo 256 caratteri)")
	case len(force) == 0 && reason != "":
		return cmdline.Usagef("certificate issue: --reason senza --force CONTROLLO (sportello certificate controls --type TIPO li elenca)")
	}
	for _, id := range force {
		req.Force = append(req.Force, certificate.Forcing{Control: id, Reason: reason})
	}
	d, err := certificate.ParseDestination(destination)
	if err != nil {
		return cmdline.Usagef("certificate issue: --destinazione: %s", app.ErrorMessage(err))
	}
	req.Destination = d
	req.PARequest = strings.TrimSpace(paRequest)
	req.RequesterPA = req.PARequest != ""
	if on != "" {
		day, err := app.ParseDate(on)
		if err != nil || day.IsZero() {
			return cmdline.Usagef("certificate issue: --alla-data vuole una data AAAA-MM-GG")
		}
		req.On = day
	}
	return nil
}

func cmdCertIssue(ctx context.Context, e *Env, args []string) error {
	fs := flags("certificate issue")
	cfCode := fs.String("cf", "", "")
	typ := fs.String("type", "", "")
	marca := fs.String("marca", "", "")
	esenzione := fs.String("esenzione", "", "")
	esenzioneText := fs.String("esenzione-testo", "", "")
	use := fs.String("uso", "", "")
	abroad := fs.Bool("estero", false, "")
	out := fs.String("out", "", "")
	printer := fs.String("print", "", "")
	opName := operatorFlags(fs)
	purpose := purposeFlag(fs)
	var force forceFlag
	fs.Var(&force, "force", "")
	reason := fs.String("reason", "", "")
	destination := fs.String("destinazione", "", "")
	paRequest := fs.String("richiesta-pa", "", "")
	on := fs.String("alla-data", "", "")
	if err := fs.Parse(args); err != nil {
		return cmdline.Usagef("certificate issue: %v", err)
	}
	switch {
	case fs.NArg() > 0:
		return cmdline.Usagef("certificate issue: argomento inatteso %q", fs.Arg(0))
	case *cfCode == "" || *typ == "":
		return cmdline.Usagef("certificate issue: servono --cf CODICE e --type TIPO (sportello certificate types li elenca)")
	case *out == "" && *printer == "":
		return cmdline.Usagef("certificate issue: servono --out FILE.pdf o --print STAMPANTE")
	case *marca != "" && *esenzione != "":
		return cmdline.Usagef("certificate issue: --marca oppure --esenzione, non entrambi")
	}
	t, err := certificate.TypeBySlug(*typ)
	if err != nil {
		return cmdline.Usagef("certificate issue: %s", app.ErrorMessage(err))
	}
	req := certificate.IssueRequest{Type: t.Slug, Use: *use, Abroad: *abroad, Marca: *marca, ExemptionText: *esenzioneText}
	if err := certIssueRules(&req, force, *reason, *destination, *paRequest, *on); err != nil {
		return err
	}
	if *esenzione != "" {
		n, err := strconv.Atoi(*esenzione)
		if err != nil || n <= 0 {
			return cmdline.Usagef("certificate issue: --esenzione vuole il numero della tabella ANPR esenzione_bollo")
		}
		req.ExemptionID = n
	}
	if t.Bollo() && req.Marca == "" && req.ExemptionID == 0 {
		return cmdline.Usagef("certificate issue: il certificato %s vuole --marca (14 cifre) o --esenzione ID", t.Slug)
	}
	// A round first, so that the data is the hub's latest when it answers;
	// without the hub the certificate is issued offline, from the cache.
	s, op, err := e.openAs(ctx, preamble{log: e.Stderr, round: true}, opName)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.readPurpose("certificate issue", op, *purpose); err != nil {
		return err
	}
	file, err := s.Counter.OpenFile(ctx, op, *cfCode)
	if err != nil {
		return needPurpose("certificate issue", err)
	}
	is, pdf, err := s.Certificates.Issue(ctx, op, file, req)
	if err != nil {
		return err
	}
	if err := deliver(ctx, *out, *printer, is.Certificate.Number.String(), pdf); err != nil {
		return fmt.Errorf("certificato %s rilasciato ma non consegnato (ristampabile con 'certificate reprint'): %w", is.Certificate.Number, err)
	}
	fmt.Fprintf(e.Stdout, "certificato %s rilasciato: %s di %s %s; %s\n", is.Certificate.Number, strings.ToLower(t.Title),
		is.Certificate.Person.Surname, is.Certificate.Person.GivenName, s.sentNote(ctx))
	if is.Certificate.Offline {
		fmt.Fprintln(e.Stdout, "rilasciato senza collegamento con l'hub: sarà verificato alla prossima sincronizzazione")
	}
	for _, f := range is.Certificate.Forced {
		fmt.Fprintf(e.Stdout, "controllo ANPR forzato: %s (registrato nel registro delle attività)\n", f.Control)
	}
	if issued, err := s.Local.Certificate(ctx, is.Certificate.Number.String()); err == nil && issued.Flag != "" {
		fmt.Fprintln(e.Stdout, "ATTENZIONE:", issued.Flag)
	}
	return nil
}

// certLine is one certificate of `certificate list --json`.
type certLine struct {
	Number   string `json:"number"`
	Type     string `json:"type"`
	IssuedAt string `json:"issued_at"`
	Operator string `json:"operator"`
	Offline  bool   `json:"offline"`
	Synced   bool   `json:"synced"`
	Flag     string `json:"flag,omitempty"`
}

func cmdCertList(ctx context.Context, e *Env, args []string) error {
	fs := flags("certificate list")
	cfCode := fs.String("cf", "", "")
	asJSON := fs.Bool("json", false, "")
	flagged := fs.Bool("flagged", false, "")
	if err := fs.Parse(args); err != nil {
		return cmdline.Usagef("certificate list: %v", err)
	}
	if (*cfCode == "") == !*flagged {
		return cmdline.Usagef("certificate list: serve --cf CODICE oppure --flagged")
	}
	s, err := e.open(ctx, preamble{log: e.Stderr})
	if err != nil {
		return err
	}
	defer s.Close()
	var list []certificate.Issued
	if *flagged {
		list, err = s.Local.Flagged(ctx)
	} else {
		list, err = s.Local.Certificates(ctx, strings.ToUpper(strings.TrimSpace(*cfCode)))
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
		enc := json.NewEncoder(e.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(lines)
	}
	for _, l := range lines {
		sent := "in attesa di invio"
		if l.Synced {
			sent = "inviato"
		}
		fmt.Fprintf(e.Stdout, "%s  %-45s  %s  %s\n", l.Number, l.Type, l.IssuedAt, sent)
		if l.Flag != "" {
			fmt.Fprintln(e.Stdout, "    DA VERIFICARE:", l.Flag)
		}
	}
	if len(lines) == 0 {
		fmt.Fprintln(e.Stdout, "nessun certificato")
	}
	return nil
}

func cmdCertReprint(ctx context.Context, e *Env, args []string) error {
	fs := flags("certificate reprint")
	number := fs.String("number", "", "")
	out := fs.String("out", "", "")
	printer := fs.String("print", "", "")
	opName := operatorFlags(fs)
	if err := fs.Parse(args); err != nil {
		return cmdline.Usagef("certificate reprint: %v", err)
	}
	if *number == "" || (*out == "" && *printer == "") {
		return cmdline.Usagef("certificate reprint: servono --number NUMERO e --out FILE.pdf o --print STAMPANTE")
	}
	s, op, err := e.openAs(ctx, preamble{log: e.Stderr}, opName)
	if err != nil {
		return err
	}
	defer s.Close()
	pdf, err := s.Certificates.Reprint(ctx, op, *number)
	if err != nil {
		return err
	}
	if err := deliver(ctx, *out, *printer, *number+"-duplicato", pdf); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "duplicato del certificato %s\n", *number)
	return nil
}

// cmdVerify verifies a certificate's stamp from a PDF, an image of its QR
// code, or the QR code's text. It needs only the network's root public key:
// from --root-key (base64, or a file holding it), SPORTELLO_ROOT_KEY, or the
// enrolled profile, which also knows the revoked workstations.
func cmdVerify(ctx context.Context, e *Env, args []string) error {
	fs := flags("verify")
	rootFlag := fs.String("root-key", "", "")
	if err := fs.Parse(args); err != nil {
		return cmdline.Usagef("verify: %v", err)
	}
	if fs.NArg() != 1 {
		return cmdline.Usagef("verify: indicare un PDF, un'immagine del codice QR o il testo del contrassegno")
	}
	stamp, text, err := readStamp(fs.Arg(0))
	if err != nil {
		return err
	}
	root, revoked, closeFn, err := verifierKeys(ctx, e, *rootFlag)
	if err != nil {
		return err
	}
	defer closeFn()
	f, verr := certificate.Verify(stamp, root, revoked, time.Now())
	if verr == nil && text != "" && sha256.Sum256([]byte(text)) != f.Digest {
		verr = app.Errorf(app.EINVALID, "il testo del PDF non è quello firmato: il certificato è stato alterato")
	}
	if f != nil {
		printFacts(e, f)
	}
	if verr != nil {
		fmt.Fprintln(e.Stdout, "NON VALIDO:", app.ErrorMessage(verr))
		return cmdline.SilentError{Code: cmdline.ExitRefused}
	}
	fmt.Fprintln(e.Stdout, "VALIDO")
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

// verifierKeys are the network's root key and the revoked workstations:
// the enrolled workstation's, when there is one, and the key given by
// flag or environment over it.
func verifierKeys(ctx context.Context, e *Env, flagValue string) (ed25519.PublicKey, func(string) (time.Time, bool), func(), error) {
	none := func() {}
	var revoked func(string) (time.Time, bool)
	closeFn := none
	var root []byte
	if e.Exists() {
		ws, err := e.Open(nil)
		if err != nil {
			return nil, nil, none, err
		}
		closeFn = func() { ws.Close() }
		if p, err := ws.Profile(ctx); err == nil {
			root = p.RootKey
		}
		revoked = func(device string) (time.Time, bool) {
			d, err := ws.Local.DeviceKey(ctx, device)
			if err != nil || d.RevokedAt.IsZero() {
				return time.Time{}, false
			}
			return d.RevokedAt, true
		}
	}
	given := flagValue
	if given == "" {
		given = e.Getenv("SPORTELLO_ROOT_KEY")
	}
	if given != "" {
		if b, err := os.ReadFile(given); err == nil {
			given = string(b)
		}
		k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(given))
		if err != nil || len(k) != ed25519.PublicKeySize {
			closeFn()
			return nil, nil, none, cmdline.Usagef("verify: --root-key vuole la chiave pubblica della rete in base64 (32 byte), o un file che la contiene")
		}
		root = k
	}
	if root == nil {
		closeFn()
		return nil, nil, none, cmdline.Usagef("verify: serve la chiave pubblica della rete: --root-key CHIAVE (sportello-hub root-key la stampa) o una postazione attivata")
	}
	return root, revoked, closeFn, nil
}

func printFacts(e *Env, f *certificate.Facts) {
	t, _ := certificate.TypeByID(f.Type)
	bollo := "esente"
	if f.Marca != "" {
		bollo = "marca da bollo n. " + f.Marca
	} else if f.ExemptionID != 0 {
		bollo = fmt.Sprintf("esente (esenzione ANPR %d)", f.ExemptionID)
	}
	fmt.Fprintf(e.Stdout, "certificato n. %s\ntipo: %s\ncomune: %s\nintestatario: %s %s, %s, nato/a il %s\nrilasciato il: %s\ndati aggiornati al: %s\nbollo: %s\n",
		f.Number, t.Title, f.Comune, f.Surname, f.GivenName, f.CodiceFiscale, f.BirthDate.Format("02/01/2006"),
		f.IssuedAt.In(app.Rome).Format("02/01/2006 15:04"), f.AsOf.In(app.Rome).Format("02/01/2006 15:04"), bollo)
	if f.Offline {
		fmt.Fprintln(e.Stdout, "rilasciato senza collegamento con l'hub")
	}
	if u := f.ValidUntil(); !u.IsZero() {
		fmt.Fprintf(e.Stdout, "valido fino al: %s\n", u.Format("02/01/2006"))
	}
}
