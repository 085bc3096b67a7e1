package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/cf"
)

// citizenCols are the columns of app.Citizen, in the order scanCitizen
// reads them and citizenArgs writes them.
const citizenCols = `codice_fiscale, surname, given_name, sex, birth_date, birth_place_code,
	citizenship, civil_status, comune, street, house_number, postcode, family_id, relationship,
	status, registered_on, cancelled_on, cancel_reason, certifiability, document_number, updated_at, history,
	citizenship_status, other_citizenships, open_procedure, no_fixed_abode`

// upsertCitizenSQL writes a whole citizen. snapshot_gen is set only by an
// initial download (the last argument, NULL otherwise), so a change applied
// after a download does not hide the row from the next one's clean-up.
const upsertCitizenSQL = `INSERT INTO citizens (` + citizenCols + `, surname_key, given_key, snapshot_gen)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (codice_fiscale) DO UPDATE SET
		surname = excluded.surname, given_name = excluded.given_name, sex = excluded.sex,
		birth_date = excluded.birth_date, birth_place_code = excluded.birth_place_code,
		citizenship = excluded.citizenship, civil_status = excluded.civil_status,
		comune = excluded.comune, street = excluded.street, house_number = excluded.house_number,
		postcode = excluded.postcode, family_id = excluded.family_id,
		relationship = excluded.relationship, status = excluded.status,
		registered_on = excluded.registered_on, cancelled_on = excluded.cancelled_on,
		cancel_reason = excluded.cancel_reason, certifiability = excluded.certifiability,
		document_number = excluded.document_number, updated_at = excluded.updated_at, history = excluded.history,
		citizenship_status = excluded.citizenship_status, other_citizenships = excluded.other_citizenships,
		open_procedure = excluded.open_procedure, no_fixed_abode = excluded.no_fixed_abode,
		surname_key = excluded.surname_key, given_key = excluded.given_key,
		snapshot_gen = COALESCE(excluded.snapshot_gen, citizens.snapshot_gen)`

// citizenArgs are the arguments of upsertCitizenSQL; gen is nil outside an
// initial download. The codice fiscale is stored normalized (Validate
// accepts "rssmra…"), as Citizen and the search look it up.
func citizenArgs(c *app.Citizen, gen any) []any {
	return []any{
		cf.Normalize(c.CodiceFiscale), c.Surname, c.GivenName, c.Sex, app.FormatDate(c.BirthDate), c.BirthPlaceCode,
		c.Citizenship, c.CivilStatus, c.Comune, c.Address.Street, c.Address.HouseNumber, c.Address.Postcode, c.FamilyID, c.Relationship,
		string(c.Status), app.FormatDate(c.RegisteredOn), app.FormatDate(c.CancelledOn), c.CancelReason, c.Certifiability, c.DocumentNumber, formatTime(c.UpdatedAt),
		historyText(c),
		string(c.CitizenshipStatus), c.OtherCitizenships, c.OpenProcedure, c.NoFixedAbode,
		app.NameKey(c.Surname), app.NameKey(c.GivenName), gen,
	}
}

type scanner interface{ Scan(dest ...any) error }

func scanCitizen(row scanner) (*app.Citizen, error) {
	var (
		c                                            app.Citizen
		status, birth, reg, canc, upd, hist, cstatus string
	)
	if err := row.Scan(&c.CodiceFiscale, &c.Surname, &c.GivenName, &c.Sex, &birth, &c.BirthPlaceCode,
		&c.Citizenship, &c.CivilStatus, &c.Comune, &c.Address.Street, &c.Address.HouseNumber, &c.Address.Postcode, &c.FamilyID, &c.Relationship,
		&status, &reg, &canc, &c.CancelReason, &c.Certifiability, &c.DocumentNumber, &upd, &hist,
		&cstatus, &c.OtherCitizenships, &c.OpenProcedure, &c.NoFixedAbode); err != nil {
		return nil, err
	}
	if err := setHistory(&c, hist); err != nil {
		return nil, err
	}
	c.Status = app.Status(status)
	c.CitizenshipStatus = app.CitizenshipStatus(cstatus)
	var err error
	if c.BirthDate, err = parseDate(birth); err != nil {
		return nil, fmt.Errorf("citizen %s: %w", c.CodiceFiscale, err)
	}
	if c.RegisteredOn, err = parseDate(reg); err != nil {
		return nil, fmt.Errorf("citizen %s: %w", c.CodiceFiscale, err)
	}
	if c.CancelledOn, err = parseDate(canc); err != nil {
		return nil, fmt.Errorf("citizen %s: %w", c.CodiceFiscale, err)
	}
	if c.UpdatedAt, err = parseTime(upd); err != nil {
		return nil, fmt.Errorf("citizen %s: %w", c.CodiceFiscale, err)
	}
	return &c, nil
}

// Citizen returns the cached citizen with the codice fiscale, ENOTFOUND if
// the cache does not have it.
func (s *Store) Citizen(ctx context.Context, codiceFiscale string) (*app.Citizen, error) {
	code := cf.Normalize(codiceFiscale)
	c, err := scanCitizen(s.db.QueryRowContext(ctx, `SELECT `+citizenCols+` FROM citizens WHERE codice_fiscale = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, app.Errorf(app.ENOTFOUND, "nessun cittadino con codice fiscale %s nell'anagrafe di questa postazione", code)
	}
	if err != nil {
		return nil, fmt.Errorf("citizen %s: %w", code, err)
	}
	return c, nil
}

// Family returns the members of a family sheet: the head (intestatario
// scheda) first, then by birth date, as the certificate lists them.
func (s *Store) Family(ctx context.Context, familyID string) ([]app.Citizen, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+citizenCols+` FROM citizens WHERE family_id = ?
		ORDER BY relationship <> ?, birth_date, codice_fiscale`, familyID, app.RelationshipHead)
	if err != nil {
		return nil, fmt.Errorf("family %s: %w", familyID, err)
	}
	defer rows.Close()
	var out []app.Citizen
	for rows.Next() {
		c, err := scanCitizen(rows)
		if err != nil {
			return nil, fmt.Errorf("family %s: %w", familyID, err)
		}
		out = append(out, *c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("family %s: %w", familyID, err)
	}
	return out, nil
}

// PutCitizens validates and writes citizens in one transaction, replacing
// those already cached: the anagrafe import of the CLI. An invalid citizen
// writes nothing and returns EINVALID naming it.
func (s *Store) PutCitizens(ctx context.Context, citizens []app.Citizen) error {
	if err := validateCitizens(citizens); err != nil {
		return err
	}
	return s.putCitizens(ctx, citizens)
}

// putCitizens writes citizens without validating them; the benchmark loads
// synthetic codes through it.
func (s *Store) putCitizens(ctx context.Context, citizens []app.Citizen) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		return upsertCitizens(ctx, tx, citizens, nil)
	})
	if err != nil {
		return fmt.Errorf("put citizens: %w", err)
	}
	return nil
}

func validateCitizens(citizens []app.Citizen) error {
	for i := range citizens {
		if err := citizens[i].Validate(); err != nil {
			return invalidCitizen(citizens[i].CodiceFiscale, err)
		}
	}
	return nil
}

// invalidCitizen names the citizen in the message of a validation error,
// which the operator or the log will read without the payload at hand.
func invalidCitizen(key string, err error) error {
	return app.Errorf(app.EINVALID, "cittadino %s: %s", key, app.ErrorMessage(err))
}

// upsertCitizens writes citizens inside tx through one prepared statement.
func upsertCitizens(ctx context.Context, tx *sql.Tx, citizens []app.Citizen, gen any) error {
	if len(citizens) == 0 {
		return nil
	}
	st, err := tx.PrepareContext(ctx, upsertCitizenSQL)
	if err != nil {
		return err
	}
	defer st.Close()
	for i := range citizens {
		if _, err := st.ExecContext(ctx, citizenArgs(&citizens[i], gen)...); err != nil {
			return fmt.Errorf("citizen %s: %w", citizens[i].CodiceFiscale, err)
		}
	}
	return nil
}

// CountCitizens returns how many citizens the cache holds.
func (s *Store) CountCitizens(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM citizens`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count citizens: %w", err)
	}
	return n, nil
}

// summaryCols are the columns of app.CitizenSummary, read by scanSummary.
const summaryCols = `codice_fiscale, surname, given_name, birth_date, comune, status`

// nameOrder is the order of the rows of one reading of the query. The
// search indexes hold the rows in this order, so LIMIT stops early.
const nameOrder = ` ORDER BY surname_key, given_key, birth_date LIMIT ?`

// SearchCitizens finds citizens by (a prefix of) the codice fiscale, then by
// each reading of the words (q.Splits), in that order, without repeating a
// citizen, up to limit (app.SearchLimit if limit <= 0). Every query is a
// range on an index: LIKE would not use the case-sensitive key indexes and
// would scan the whole table.
func (s *Store) SearchCitizens(ctx context.Context, q app.Query, limit int) ([]app.CitizenSummary, error) {
	if limit <= 0 {
		limit = app.SearchLimit
	}
	var out []app.CitizenSummary
	seen := map[string]bool{}
	for _, sq := range searchQueries(q) {
		if len(out) >= limit {
			break
		}
		var err error
		if out, err = s.searchInto(ctx, out, seen, limit, sq); err != nil {
			return nil, fmt.Errorf("search citizens %q: %w", q.Text, err)
		}
	}
	return out, nil
}

// searchQuery is one SQL query of a search, without its LIMIT argument.
type searchQuery struct {
	sql  string
	args []any
}

// searchQueries turns a query into the SQL it runs, in the order of the
// results: codice fiscale first (a text that reads as one rarely reads as a
// name, and the reverse), then the name readings, most likely first.
func searchQueries(q app.Query) []searchQuery {
	var out []searchQuery
	if q.CFPrefix != "" {
		out = append(out, searchQuery{
			sql:  `SELECT ` + summaryCols + ` FROM citizens WHERE codice_fiscale >= ? AND codice_fiscale < ? ORDER BY codice_fiscale LIMIT ?`,
			args: []any{q.CFPrefix, prefixEnd(q.CFPrefix)},
		})
	}
	for _, sp := range q.Splits() {
		var conds []string
		var args []any
		add := func(col, key string, prefix bool) {
			switch {
			case key == "":
			case prefix:
				conds = append(conds, col+" >= ? AND "+col+" < ?")
				args = append(args, key, prefixEnd(key))
			default:
				conds = append(conds, col+" = ?")
				args = append(args, key)
			}
		}
		add("surname_key", sp.Surname, sp.SurnamePrefix)
		add("given_key", sp.Given, sp.GivenPrefix)
		if len(conds) == 0 {
			continue
		}
		out = append(out, searchQuery{
			sql:  `SELECT ` + summaryCols + ` FROM citizens WHERE ` + strings.Join(conds, " AND ") + nameOrder,
			args: args,
		})
	}
	return out
}

// prefixEnd is the smallest string greater than every string starting with
// p: p with its last byte incremented. Keys are A-Z and 0-9, so the last
// byte is never 0xFF.
func prefixEnd(p string) string {
	b := []byte(p)
	b[len(b)-1]++
	return string(b)
}

// searchInto appends to out the results of sq not yet seen, up to limit.
func (s *Store) searchInto(ctx context.Context, out []app.CitizenSummary, seen map[string]bool, limit int, sq searchQuery) ([]app.CitizenSummary, error) {
	st, err := s.stmt(ctx, sq.sql)
	if err != nil {
		return nil, err
	}
	// Ask for limit rows, not limit-len(out): up to len(out) of them may
	// be citizens an earlier reading already found.
	rows, err := st.QueryContext(ctx, append(sq.args[:len(sq.args):len(sq.args)], limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for len(out) < limit && rows.Next() {
		var (
			c             app.CitizenSummary
			birth, status string
		)
		if err := rows.Scan(&c.CodiceFiscale, &c.Surname, &c.GivenName, &birth, &c.Comune, &status); err != nil {
			return nil, err
		}
		if seen[c.CodiceFiscale] {
			continue
		}
		seen[c.CodiceFiscale] = true
		if c.BirthDate, err = parseDate(birth); err != nil {
			return nil, fmt.Errorf("citizen %s: %w", c.CodiceFiscale, err)
		}
		c.Status = app.Status(status)
		out = append(out, c)
	}
	return out, rows.Err()
}
