package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	gosync "sync"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/app/cf"
	"github.com/sportello/sportello/internal/anprdir"
	"github.com/sportello/sportello/internal/cmdline"
)

func cmdEnroll(ctx context.Context, e *Env, args []string) error {
	fs := flags("enroll")
	hubURL := fs.String("hub", e.HubURL, "")
	code := fs.String("code", "", "")
	host, _ := os.Hostname()
	name := fs.String("name", host, "")
	if err := fs.Parse(args); err != nil {
		return cmdline.Usagef("enroll: %v", err)
	}
	if *hubURL == "" || *code == "" {
		return cmdline.Usagef("enroll: servono --hub URL e --code CODICE")
	}
	s, err := e.open(ctx, preamble{log: e.Stderr, unenrolled: true})
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := s.Sync.Enroll(ctx, *hubURL, *code, *name)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "postazione %s attivata per il comune di %s (%s)\n", p.Device, p.ComuneName, p.Comune)
	return nil
}

func cmdSync(ctx context.Context, e *Env, args []string) error {
	if len(args) > 0 {
		return cmdline.Usagef("sync: nessun argomento previsto")
	}
	s, err := e.open(ctx, preamble{log: e.Stderr})
	if err != nil {
		return err
	}
	defer s.Close()
	if sub, ok := s.Sync.(subscriber); ok {
		defer sub.Subscribe(downloadProgress(e.Stderr))()
	}
	if err := s.Sync.Round(ctx); err != nil {
		return err
	}
	st := s.Sync.Status()
	n, err := s.Local.CountCitizens(ctx)
	if err != nil {
		return err
	}
	if st.Parked > 0 {
		return app.Errorf(app.ECONFLICT, "sincronizzato, ma %d operazioni sono state rifiutate dall'hub e vanno verificate", st.Parked)
	}
	if st.Pending > 0 && st.Suspended {
		return app.Errorf(app.EOFFLINE, "%d operazioni ancora da inviare: centro servizi ripristinato, numerazione sospesa finché tutte le postazioni non hanno reinviato il loro lavoro", st.Pending)
	}
	if st.Pending > 0 {
		return app.Errorf(app.EOFFLINE, "%d operazioni ancora da inviare", st.Pending)
	}
	fmt.Fprintf(e.Stdout, "sincronizzato: %d persone in anagrafe locale, nessuna operazione in attesa\n", n)
	return nil
}

// subscriber is a sync engine that reports its progress (sync.Client).
type subscriber interface {
	Subscribe(fn func(app.SyncStatus)) (cancel func())
}

// downloadProgress writes the initial download's progress to w, a line
// every tenth of the way: a Milano-size first download takes a while, and
// a script's log shows that it moves.
func downloadProgress(w io.Writer) func(app.SyncStatus) {
	var mu gosync.Mutex
	last := -1
	return func(st app.SyncStatus) {
		if st.Progress < 0 || st.Total == 0 {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if tenth := int(st.Progress * 10); tenth > last {
			last = tenth
			fmt.Fprintf(w, "scaricamento iniziale: %d%% (%d di %d)\n", int(st.Progress*100), st.Done, st.Total)
		}
	}
}

// searchLine is one person of `search --json`.
type searchLine struct {
	CodiceFiscale string `json:"codice_fiscale"`
	Surname       string `json:"surname"`
	GivenName     string `json:"given_name"`
	BirthDate     string `json:"birth_date"`
	Comune        string `json:"comune"`
	ComuneName    string `json:"comune_name"`
	Status        string `json:"status"` // in the anagrafe: residente, emigrato, deceduto…
	Remote        bool   `json:"remote"` // a citizen of another comune, found through the hub
}

func cmdSearch(ctx context.Context, e *Env, args []string) error {
	fs := flags("search")
	asJSON := fs.Bool("json", false, "")
	opName := operatorFlags(fs)
	purpose := purposeFlag(fs)
	if err := fs.Parse(args); err != nil {
		return cmdline.Usagef("search: %v", err)
	}
	text := strings.Join(fs.Args(), " ")
	if strings.TrimSpace(text) == "" {
		return cmdline.Usagef("search: indicare il testo da cercare")
	}
	// Another comune's citizen is found only as an operator's act: with
	// --operator (logged in) and --purpose; without, the comune's own.
	var (
		s   *session
		op  *app.Operator
		err error
	)
	if opName.name != "" || *purpose != "" {
		s, op, err = e.openAs(ctx, preamble{}, opName)
	} else {
		s, err = e.open(ctx, preamble{})
	}
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.readPurpose("search", op, *purpose); err != nil {
		return err
	}
	res, err := s.Counter.Search(ctx, op, text)
	if err != nil {
		return err
	}
	out := []searchLine{}
	for _, list := range [][]app.CitizenSummary{res.Local, res.Remote} {
		for _, c := range list {
			out = append(out, searchLine{c.CodiceFiscale, c.Surname, c.GivenName, app.FormatDate(c.BirthDate), c.Comune, c.ComuneName, string(c.Status), c.Remote})
		}
	}
	if *asJSON {
		enc := json.NewEncoder(e.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	for _, r := range out {
		line := fmt.Sprintf("%s  %-40s  %s", r.CodiceFiscale, r.Surname+" "+r.GivenName, r.BirthDate)
		if r.Remote {
			line += "  " + r.ComuneName + " (altro comune)"
		}
		if r.Status != string(app.StatusResident) {
			line += "  [" + r.Status + "]"
		}
		fmt.Fprintln(e.Stdout, line)
	}
	if len(out) == 0 {
		fmt.Fprintln(e.Stdout, "nessun risultato")
	}
	if res.NetworkErr != nil {
		fmt.Fprintln(e.Stderr, "nota:", app.ErrorMessage(res.NetworkErr))
	}
	return nil
}

// CFResult is the contract of `cf --json`, fixed since the first release.
type CFResult struct {
	Valid          bool   `json:"valid"`
	Error          string `json:"error"`
	Sex            string `json:"sex"`
	BirthDate      string `json:"birth_date"`
	BirthPlaceCode string `json:"birth_place_code"`
	BirthPlace     string `json:"birth_place"`
	Omocodia       bool   `json:"omocodia"`
}

func cmdCF(ctx context.Context, e *Env, args []string) error {
	fs := flags("cf")
	asJSON := fs.Bool("json", false, "")
	if err := fs.Parse(args); err != nil {
		return cmdline.Usagef("cf: %v", err)
	}
	if fs.NArg() != 1 {
		return cmdline.Usagef("cf: indicare un codice fiscale")
	}
	refs, err := referenceTables(ctx, e)
	if err != nil {
		return err
	}
	var res CFResult
	info, err := cf.Parse(fs.Arg(0))
	if err != nil {
		res.Error = err.Error()
		var ce *cf.Error
		if e.Lang == "en" && errors.As(err, &ce) {
			res.Error = ce.EnglishMessage()
		}
	} else {
		res = CFResult{Valid: true, Sex: info.Sex, BirthDate: app.FormatDate(info.BirthDate),
			BirthPlaceCode: info.BirthPlaceCode, Omocodia: info.Omocodia}
		res.BirthPlace, _ = info.BirthPlace(anpr.NewIndex(refs))
	}
	if *asJSON {
		if err := json.NewEncoder(e.Stdout).Encode(res); err != nil {
			return err
		}
	} else if res.Valid {
		fmt.Fprintf(e.Stdout, "%s valido\nsesso: %s\nnato/a il: %s\nluogo di nascita: %s %s\nomocodia: %v\n",
			info.Code, res.Sex, info.BirthDate.Format("02/01/2006"), res.BirthPlaceCode, res.BirthPlace, yesNo(res.Omocodia))
	} else {
		fmt.Fprintln(e.Stdout, res.Error)
	}
	if !res.Valid {
		return cmdline.SilentError{Code: cmdline.ExitRefused}
	}
	return nil
}

func yesNo(b bool) string {
	if b {
		return "sì"
	}
	return "no"
}

// referenceTables are the workstation's synced tables when it exists, the
// full tables built into the binary otherwise: cf works before any enrolment, and creates
// nothing.
func referenceTables(ctx context.Context, e *Env) (*anpr.Tables, error) {
	if !e.Exists() {
		return anprdir.BuiltIn(), nil
	}
	ws, err := e.Open(nil)
	if err != nil {
		return nil, err
	}
	defer ws.Close()
	return ws.Local.Reference(ctx)
}
