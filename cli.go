package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/app/cf"
	"github.com/sportello/sportello/store"
)

func subFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

func cmdEnroll(ctx context.Context, o options, args []string) error {
	fs := subFlags("enroll")
	hubURL := fs.String("hub", o.hubURL, "")
	code := fs.String("code", "", "")
	host, _ := os.Hostname()
	name := fs.String("name", host, "")
	if err := fs.Parse(args); err != nil {
		return usageError{"enroll: " + err.Error()}
	}
	if *hubURL == "" || *code == "" {
		return usageError{"enroll: servono --hub URL e --code CODICE"}
	}
	ws, err := openWorkstation(o, quietLog(o.stderr))
	if err != nil {
		return err
	}
	defer ws.Close()
	p, err := ws.client.Enroll(ctx, *hubURL, *code, *name)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.stdout, "postazione %s attivata per il comune di %s (%s)\n", p.Device, p.ComuneName, p.Comune)
	return nil
}

func cmdSync(ctx context.Context, o options, args []string) error {
	if len(args) > 0 {
		return usageError{"sync: nessun argomento previsto"}
	}
	ws, err := openWorkstation(o, quietLog(o.stderr))
	if err != nil {
		return err
	}
	defer ws.Close()
	if _, err := ws.profile(ctx); err != nil {
		return err
	}
	if err := ws.client.Round(ctx); err != nil {
		return err
	}
	st := ws.client.Status()
	n, err := ws.store.CountCitizens(ctx)
	if err != nil {
		return err
	}
	if st.Parked > 0 {
		return app.Errorf(app.ECONFLICT, "sincronizzato, ma %d operazioni sono state rifiutate dall'hub e vanno verificate", st.Parked)
	}
	if st.Pending > 0 {
		return app.Errorf(app.EOFFLINE, "%d operazioni ancora da inviare", st.Pending)
	}
	fmt.Fprintf(o.stdout, "sincronizzato: %d persone in anagrafe locale, nessuna operazione in attesa\n", n)
	return nil
}

// searchResult is one line of `search --json`.
type searchResult struct {
	CodiceFiscale string `json:"codice_fiscale"`
	Surname       string `json:"cognome"`
	GivenName     string `json:"nome"`
	BirthDate     string `json:"data_nascita"`
	Comune        string `json:"comune"`
	ComuneName    string `json:"comune_nome"`
	Status        string `json:"posizione"`
	Remote        bool   `json:"altro_comune"`
}

func cmdSearch(ctx context.Context, o options, args []string) error {
	fs := subFlags("search")
	asJSON := fs.Bool("json", false, "")
	if err := fs.Parse(args); err != nil {
		return usageError{"search: " + err.Error()}
	}
	text := strings.Join(fs.Args(), " ")
	if strings.TrimSpace(text) == "" {
		return usageError{"search: indicare il testo da cercare"}
	}
	ws, err := openWorkstation(o, quietLog(io.Discard))
	if err != nil {
		return err
	}
	defer ws.Close()
	if _, err := ws.profile(ctx); err != nil {
		return err
	}
	res, err := ws.counter.Search(ctx, nil, text)
	if err != nil {
		return err
	}
	out := []searchResult{}
	for _, list := range [][]app.CitizenSummary{res.Local, res.Remote} {
		for _, c := range list {
			out = append(out, searchResult{c.CodiceFiscale, c.Surname, c.GivenName, app.FormatDate(c.BirthDate), c.Comune, c.ComuneName, string(c.Status), c.Remote})
		}
	}
	if *asJSON {
		enc := json.NewEncoder(o.stdout)
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
		fmt.Fprintln(o.stdout, line)
	}
	if len(out) == 0 {
		fmt.Fprintln(o.stdout, "nessun risultato")
	}
	if res.NetworkErr != nil {
		fmt.Fprintln(o.stderr, "nota:", app.ErrorMessage(res.NetworkErr))
	}
	return nil
}

// cfResult is the contract of `cf --json`.
type cfResult struct {
	Valid          bool   `json:"valid"`
	Error          string `json:"error"`
	Sex            string `json:"sex"`
	BirthDate      string `json:"birth_date"`
	BirthPlaceCode string `json:"birth_place_code"`
	BirthPlace     string `json:"birth_place"`
	Omocodia       bool   `json:"omocodia"`
}

func cmdCF(ctx context.Context, o options, args []string) error {
	fs := subFlags("cf")
	asJSON := fs.Bool("json", false, "")
	if err := fs.Parse(args); err != nil {
		return usageError{"cf: " + err.Error()}
	}
	if fs.NArg() != 1 {
		return usageError{"cf: indicare un codice fiscale"}
	}
	refs, err := referenceTables(ctx, o)
	if err != nil {
		return err
	}
	var res cfResult
	info, err := cf.Parse(fs.Arg(0))
	if err != nil {
		res.Error = err.Error()
		var ce *cf.Error
		if o.lang == "en" && errors.As(err, &ce) {
			res.Error = ce.EnglishMessage()
		}
	} else {
		res = cfResult{Valid: true, Sex: info.Sex, BirthDate: app.FormatDate(info.BirthDate),
			BirthPlaceCode: info.BirthPlaceCode, Omocodia: info.Omocodia}
		res.BirthPlace, _ = info.BirthPlace(anpr.NewIndex(refs))
	}
	if *asJSON {
		if err := json.NewEncoder(o.stdout).Encode(res); err != nil {
			return err
		}
	} else if res.Valid {
		fmt.Fprintf(o.stdout, "%s valido\nsesso: %s\nnato/a il: %s\nluogo di nascita: %s %s\nomocodia: %v\n",
			info.Code, res.Sex, info.BirthDate.Format("02/01/2006"), res.BirthPlaceCode, res.BirthPlace, yesNo(res.Omocodia))
	} else {
		fmt.Fprintln(o.stdout, res.Error)
	}
	if !res.Valid {
		return silentError{1}
	}
	return nil
}

func yesNo(b bool) string {
	if b {
		return "sì"
	}
	return "no"
}

// referenceTables returns the workstation's synced tables when its profile
// exists, the built-in defaults otherwise (cf works before any enrolment).
func referenceTables(ctx context.Context, o options) (*anpr.Tables, error) {
	path := o.data + "/sportello.db"
	if _, err := os.Stat(path); err != nil {
		return anpr.Defaults(), nil
	}
	st, err := store.Open(path)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return st.Reference(ctx)
}
