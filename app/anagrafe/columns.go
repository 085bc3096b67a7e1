package anagrafe

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/cf"
)

// maxValue bounds every value, so that a broken export (a whole file in one
// quoted field) is refused line by line instead of reaching the database.
const maxValue = 200

// column is one column of the file: how a value becomes a field of the
// citizen and back. Read and Write share this one table, so the two cannot
// drift apart.
type column struct {
	name string
	get  func(c *app.Citizen) string
	// set stores the trimmed value s in c, or returns an *app.Error saying
	// what is wrong with it.
	set func(c *app.Citizen, s string) error
}

// optional are the columns a header may leave out: the files of the comuni
// written before they existed stay readable, a person without them is
// certifiable as before (no procedure open, one known citizenship).
var optional = map[string]bool{
	"stato_cittadinanza": true, "altre_cittadinanze": true, "procedimento_aperto": true, "senza_fissa_dimora": true,
}

// columns are the columns in the order Write puts them.
var columns = []column{
	{"codice_fiscale",
		func(c *app.Citizen) string { return c.CodiceFiscale },
		func(c *app.Citizen, s string) error {
			// The codice fiscale is the key across the network: store the
			// form every lookup uses, whatever case the export chose.
			c.CodiceFiscale = cf.Normalize(s)
			return nil
		}},
	{"cognome",
		func(c *app.Citizen) string { return c.Surname },
		func(c *app.Citizen, s string) error { c.Surname = s; return nil }},
	{"nome",
		func(c *app.Citizen) string { return c.GivenName },
		func(c *app.Citizen, s string) error { c.GivenName = s; return nil }},
	{"sesso",
		func(c *app.Citizen) string { return c.Sex },
		func(c *app.Citizen, s string) error { c.Sex = s; return nil }},
	{"data_nascita",
		func(c *app.Citizen) string { return app.FormatDate(c.BirthDate) },
		func(c *app.Citizen, s string) (err error) { c.BirthDate, err = app.ParseDate(s); return err }},
	{"luogo_nascita",
		func(c *app.Citizen) string { return c.BirthPlaceCode },
		func(c *app.Citizen, s string) error { c.BirthPlaceCode = s; return nil }},
	{"cittadinanza",
		func(c *app.Citizen) string { return c.Citizenship },
		func(c *app.Citizen, s string) error { c.Citizenship = s; return nil }},
	{"stato_civile",
		func(c *app.Citizen) string { return strconv.Itoa(c.CivilStatus) },
		func(c *app.Citizen, s string) (err error) {
			c.CivilStatus, err = parseCode(s, civilStatuses)
			return err
		}},
	{"indirizzo",
		func(c *app.Citizen) string { return c.Address.Street },
		func(c *app.Citizen, s string) error { c.Address.Street = s; return nil }},
	{"civico",
		func(c *app.Citizen) string { return c.Address.HouseNumber },
		func(c *app.Citizen, s string) error { c.Address.HouseNumber = s; return nil }},
	{"cap",
		func(c *app.Citizen) string { return c.Address.Postcode },
		func(c *app.Citizen, s string) error {
			if s != "" && !isDigits(s, 5) {
				return app.Errorf(app.EINVALID, "CAP non valido %q: cinque cifre", s)
			}
			c.Address.Postcode = s
			return nil
		}},
	{"id_famiglia",
		func(c *app.Citizen) string { return c.FamilyID },
		func(c *app.Citizen, s string) error { c.FamilyID = s; return nil }},
	{"relazione_parentela",
		func(c *app.Citizen) string { return strconv.Itoa(c.Relationship) },
		func(c *app.Citizen, s string) (err error) {
			c.Relationship, err = parseCode(s, relationships)
			return err
		}},
	{"posizione",
		func(c *app.Citizen) string { return string(c.Status) },
		func(c *app.Citizen, s string) error {
			if !app.Status(s).Valid() {
				return app.Errorf(app.EINVALID, "posizione anagrafica non valida %q: residente, emigrato, deceduto o aire", s)
			}
			c.Status = app.Status(s)
			return nil
		}},
	{"data_iscrizione",
		func(c *app.Citizen) string { return app.FormatDate(c.RegisteredOn) },
		func(c *app.Citizen, s string) (err error) { c.RegisteredOn, err = app.ParseDate(s); return err }},
	{"data_cancellazione",
		func(c *app.Citizen) string { return app.FormatDate(c.CancelledOn) },
		func(c *app.Citizen, s string) (err error) { c.CancelledOn, err = app.ParseDate(s); return err }},
	{"motivo_cancellazione",
		func(c *app.Citizen) string { return c.CancelReason },
		func(c *app.Citizen, s string) error { c.CancelReason = s; return nil }},
	{"certificabilita",
		func(c *app.Citizen) string { return strconv.Itoa(c.Certifiability) },
		func(c *app.Citizen, s string) (err error) {
			c.Certifiability, err = parseCode(s, certifiabilities)
			return err
		}},
	{"documento_identita",
		func(c *app.Citizen) string { return c.DocumentNumber },
		func(c *app.Citizen, s string) error { c.DocumentNumber = s; return nil }},
	// What ANPR's issuing controls read (certificate.Evaluate).
	{"stato_cittadinanza",
		func(c *app.Citizen) string { return string(c.CitizenshipStatus) },
		func(c *app.Citizen, s string) error {
			if !app.CitizenshipStatus(s).Valid() {
				return app.Errorf(app.EINVALID, "stato della cittadinanza non valido %q: vuoto, in_definizione, non_attribuibile o assente", s)
			}
			c.CitizenshipStatus = app.CitizenshipStatus(s)
			return nil
		}},
	{"altre_cittadinanze",
		func(c *app.Citizen) string { return c.OtherCitizenships },
		func(c *app.Citizen, s string) error {
			c.OtherCitizenships = strings.Join(strings.Fields(s), " ")
			return nil
		}},
	{"procedimento_aperto",
		func(c *app.Citizen) string { return flag(c.OpenProcedure) },
		func(c *app.Citizen, s string) (err error) { c.OpenProcedure, err = parseFlag(s); return err }},
	{"senza_fissa_dimora",
		func(c *app.Citizen) string { return flag(c.NoFixedAbode) },
		func(c *app.Citizen, s string) (err error) { c.NoFixedAbode, err = parseFlag(s); return err }},
}

// flag writes a yes/no column: 1 or 0.
func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// parseFlag reads a yes/no column: 1, or 0 or empty.
func parseFlag(s string) (bool, error) {
	switch s {
	case "1":
		return true, nil
	case "0", "":
		return false, nil
	}
	return false, app.Errorf(app.EINVALID, "valore non valido %q: 1 (sì) o 0 (no)", s)
}

// Column indexes used by the checks across lines.
const (
	colCodiceFiscale = iota
	colCognome
	colNome
	colSesso
	colDataNascita
	colLuogoNascita
	colCittadinanza
	colStatoCivile
	colIndirizzo
	colCivico
	colCap
	colIDFamiglia
	colRelazione
	colPosizione
	colDataIscrizione
	colDataCancellazione
	colMotivoCancellazione
	colCertificabilita
	colDocumento
)

// codeTable names an ANPR code table for the messages, and lists its codes.
type codeTable struct {
	name  string
	known func(int) bool
}

// parseCode reads an ANPR numeric code: digits only, as ANPR writes them.
func parseCode(s string, t codeTable) (int, error) {
	if s == "" {
		return 0, app.Errorf(app.EINVALID, "codice %s mancante", t.name)
	}
	if len(s) > 3 || !isDigits(s, len(s)) {
		return 0, app.Errorf(app.EINVALID, "codice %s non valido %q: un numero della tabella ANPR", t.name, s)
	}
	n, _ := strconv.Atoi(s)
	if !t.known(n) {
		return 0, app.Errorf(app.EINVALID, "codice %s %d sconosciuto: non è nella tabella ANPR", t.name, n)
	}
	return n, nil
}

// checkText refuses what cannot be stored and printed as it is: invalid
// UTF-8, control characters (a line break inside a quoted field), overlong
// values.
func checkText(s string) error {
	switch {
	case !utf8.ValidString(s):
		return app.Errorf(app.EINVALID, "testo non in UTF-8: salvare il file come UTF-8")
	case len(s) > maxValue:
		return app.Errorf(app.EINVALID, "valore troppo lungo: al massimo %d caratteri", maxValue)
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return app.Errorf(app.EINVALID, "carattere di controllo nel valore: togliere a capo e tabulazioni")
		}
	}
	return nil
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
