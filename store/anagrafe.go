package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/mattn/go-sqlite3"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/cf"
	"github.com/sportello/sportello/internal/sqlitedb"
)

// A prepared anagrafe is a comune's whole download as a cache file: the
// hub builds it once with this package (PutSnapshotPage, FinishSnapshot
// into an empty cache) for every workstation of the comune, and a new
// workstation adopts it instead of inserting a million rows itself
// (AdoptAnagrafe). docs/BENCHMARKS.md, "Where the first download goes",
// tells why: copying the rows costs more than the whole download may.

// preparedTables are the tables a prepared anagrafe may fill, with the
// check each one's rows must pass; every other table of the file must be
// empty. instalment_avvisi is derived from the records by trigger: it is
// built again from them, never taken from the file.
var preparedTables = []string{"citizens", "records", "instalment_avvisi", "cursors", "operators", "schema_migrations"}

// AdoptAnagrafe makes the prepared anagrafe in file the cache's download of
// scope, at the change-log position seq: the file is brought to this
// version's schema and checked whole (its pages, its schema against the
// cache's, every citizen, record and operator as a download's page is
// checked, nothing of the scope's outside its tables); then what the cache
// holds of its own is copied into it, and its pages replace the cache's in
// one transaction (SQLite's backup), so that a crash leaves the cache as
// it was. Only a cache that holds no citizen and no download in progress
// adopts one (ECONFLICT otherwise: the download goes by pages). The file is
// changed; the caller removes it afterwards.
//
// While the pages are copied, nothing else of the workstation reads or
// writes the cache (its one connection is held); a write of another
// process (the command line) while the cache's own records were copied is
// noticed (data_version) and nothing is adopted (ECONFLICT: the next round
// tries again).
func (s *Store) AdoptAnagrafe(ctx context.Context, file, scope string, seq int64) error {
	if err := s.writable(ctx); err != nil {
		return err
	}
	if err := checkPrepared(ctx, s.db, file, scope, seq); err != nil {
		return err
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return sqlitedb.StorageError(s.path, err)
	}
	defer conn.Close()
	version, err := dataVersion(ctx, conn)
	if err != nil {
		return sqlitedb.StorageError(s.path, err)
	}
	if err := mergeIntoPrepared(ctx, conn, file, scope); err != nil {
		return err
	}
	if again, err := dataVersion(ctx, conn); err != nil {
		return sqlitedb.StorageError(s.path, err)
	} else if again != version {
		return app.Errorf(app.ECONFLICT, "la cache è stata scritta da un altro programma durante lo scaricamento dell'anagrafe: si riprova")
	}
	if err := backupInto(ctx, conn, file); err != nil {
		return sqlitedb.StorageError(s.path, fmt.Errorf("adopt the anagrafe of %s: %w", scope, err))
	}
	// The statements prepared on the old pages prepare again by themselves
	// (SQLite sees the schema cookie move); nothing else is cached.
	return nil
}

// dataVersion is the cache's PRAGMA data_version: it moves when another
// connection commits to the file.
func dataVersion(ctx context.Context, conn *sql.Conn) (int64, error) {
	var v int64
	err := conn.QueryRowContext(ctx, `PRAGMA main.data_version`).Scan(&v)
	return v, err
}

// checkPrepared opens file on a connection of its own, migrates it to this
// version's schema and checks it whole; cache is the cache, whose schema
// the file's must equal. Any fault is EINVALID: the file is not adopted.
func checkPrepared(ctx context.Context, cache *sql.DB, file, scope string, seq int64) error {
	refuse := func(format string, a ...any) error {
		return app.Errorf(app.EINVALID, "anagrafe preparata dall'hub non valida: "+format, a...)
	}
	if _, err := os.Stat(file); err != nil {
		return fmt.Errorf("prepared anagrafe: %w", err)
	}
	db, err := sqlitedb.Open(file)
	if err != nil {
		return refuse("%v", err)
	}
	defer db.Close()
	if err := sqlitedb.QuickCheck(ctx, db, file); err != nil {
		return refuse("%v", err)
	}
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	if err := sqlitedb.Migrate(ctx, db, sub); err != nil {
		return refuse("%v", err)
	}
	want, err := schemaOf(ctx, cache)
	if err != nil {
		return err
	}
	got, err := schemaOf(ctx, db)
	if err != nil {
		return refuse("%v", err)
	}
	if !slices.Equal(want, got) {
		return refuse("il suo schema non è quello della postazione")
	}
	var migs, ours int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&migs); err != nil {
		return refuse("%v", err)
	}
	if err := cache.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&ours); err != nil {
		return err
	}
	if migs != ours {
		return refuse("migrazioni diverse da quelle della postazione")
	}
	for _, t := range want {
		name, ok := strings.CutPrefix(t, "table\x00")
		if !ok {
			continue
		}
		name, _, _ = strings.Cut(name, "\x00")
		if slices.Contains(preparedTables, name) || strings.HasPrefix(name, "sqlite_") {
			continue
		}
		var any int
		if err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM "`+name+`")`).Scan(&any); err != nil {
			return refuse("%v", err)
		}
		if any != 0 {
			return refuse("contiene dati di una postazione (%s)", name)
		}
	}
	var n int
	var curSeq int64
	if err := db.QueryRowContext(ctx, `SELECT count(*), COALESCE(max(seq), -1) FROM cursors`).Scan(&n, &curSeq); err != nil {
		return refuse("%v", err)
	}
	var scoped int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM cursors WHERE scope = ?`, scope).Scan(&scoped); err != nil {
		return refuse("%v", err)
	}
	if n != 1 || scoped != 1 || curSeq != seq {
		return refuse("la sua posizione non è %d per %s", seq, scope)
	}
	if err := checkPreparedCitizens(ctx, db, file, scope); err != nil {
		return refuse("%v", err)
	}
	if err := checkPreparedRecords(ctx, db, scope); err != nil {
		return refuse("%v", err)
	}
	if err := checkPreparedOperators(ctx, db, scope); err != nil {
		return refuse("%v", err)
	}
	return nil
}

// schemaOf lists a file's schema, one entry a "type NUL name NUL sql",
// sorted; SQLite's own tables (statistics) are left out.
func schemaOf(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT type, name, COALESCE(sql, '') FROM sqlite_schema
		WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var typ, name, text string
		if err := rows.Scan(&typ, &name, &text); err != nil {
			return nil, err
		}
		out = append(out, typ+"\x00"+name+"\x00"+text)
	}
	return out, rows.Err()
}

// checkPreparedCitizens checks the citizens of the file in two passes
// that run at once, each on a connection of its own: one in SQL over every
// column (what each must hold: the required fields, the forms of dates and
// codes, a status and its date of cancellation, the history as JSON), one
// in Go over what SQL cannot compute (the codice fiscale read by its rules,
// check character included, agreeing with the row's sex and birth date; the
// comune; the search keys the cache derives from the names).
//
// The hub validated every citizen whole (app.Citizen.Validate) when it
// built the file with this package, and the network's root key signs the
// file's hash (sync/anagrafe.go). Validating each one whole again means
// decoding every row and its history: 28 s of CPU for Milano's 1.5 million
// rows, more than the whole download may take (docs/BENCHMARKS.md). What is
// checked here is what a hub of another version or a damaged build could
// still get wrong.
func checkPreparedCitizens(ctx context.Context, db *sql.DB, file, scope string) error {
	other, err := sqlitedb.OpenReadOnly(file)
	if err != nil {
		return err
	}
	defer other.Close()
	inSQL := make(chan error, 1)
	go func() { inSQL <- checkCitizenColumns(ctx, other, scope) }()
	err = checkCitizenCodes(ctx, db, scope)
	if sqlErr := <-inSQL; err == nil {
		err = sqlErr
	}
	return err
}

// checkCitizenColumns is the SQL pass of checkPreparedCitizens.
func checkCitizenColumns(ctx context.Context, db *sql.DB, scope string) error {
	const date = `'[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'`
	const code = `'[A-Z][0-9][0-9][0-9]'`
	const iso = `'[A-Z][A-Z][A-Z]'`
	var cfCode string
	err := db.QueryRowContext(ctx, `SELECT codice_fiscale FROM citizens WHERE
		comune <> ?1 OR length(codice_fiscale) <> 16 OR trim(surname) = '' OR trim(given_name) = ''
		OR sex NOT IN ('M', 'F') OR birth_date NOT GLOB `+date+` OR birth_place_code NOT GLOB `+code+`
		OR citizenship_status NOT IN (`+sqlList(app.CitizenshipKnown, app.CitizenshipDefining, app.CitizenshipNotAttributable, app.CitizenshipMissing)+`)
		OR (citizenship_status = '' AND citizenship NOT GLOB `+iso+`)
		OR (citizenship_status <> '' AND (citizenship <> '' OR other_citizenships <> ''))
		OR civil_status <= 0 OR family_id = '' OR relationship <= 0
		OR status NOT IN (`+sqlList(app.StatusResident, app.StatusEmigrated, app.StatusDeceased, app.StatusAIRE)+`)
		OR (registered_on <> '' AND registered_on NOT GLOB `+date+`)
		OR (cancelled_on <> '' AND cancelled_on NOT GLOB `+date+`)
		OR (status <> '`+string(app.StatusResident)+`' AND cancelled_on = '')
		OR (cancelled_on <> '' AND cancelled_on < registered_on)
		OR (history <> '' AND NOT json_valid(history))
		OR open_procedure NOT IN (0, 1) OR no_fixed_abode NOT IN (0, 1)
		OR typeof(civil_status) <> 'integer' OR typeof(relationship) <> 'integer' OR typeof(certifiability) <> 'integer'
		LIMIT 1`, scope).Scan(&cfCode)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("cittadino %s: dati non validi (campi obbligatori, date, codici, posizione o storia)", cfCode)
}

// sqlList quotes values for SQL's IN: the domain's constants, never input.
func sqlList[T ~string](values ...T) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = "'" + strings.ReplaceAll(string(v), "'", "''") + "'"
	}
	return strings.Join(q, ", ")
}

// checkCitizenCodes is the Go pass of checkPreparedCitizens.
func checkCitizenCodes(ctx context.Context, db *sql.DB, scope string) error {
	rows, err := db.QueryContext(ctx, `SELECT codice_fiscale, surname, given_name, surname_key, given_key, sex, birth_date, comune FROM citizens`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var code, surname, given, surnameKey, givenKey, sex, birth, comune string
	for rows.Next() {
		if err := rows.Scan(&code, &surname, &given, &surnameKey, &givenKey, &sex, &birth, &comune); err != nil {
			return err
		}
		info, err := cf.Parse(code)
		if err != nil {
			return fmt.Errorf("cittadino %s: %v", code, err)
		}
		born, err := parseDate(birth)
		switch {
		case info.Code != code:
			return fmt.Errorf("codice fiscale %q non normalizzato", code)
		case comune != scope:
			return fmt.Errorf("cittadino %s di un altro comune (%s)", code, comune)
		case info.Sex != sex:
			return fmt.Errorf("cittadino %s: il sesso non corrisponde al codice fiscale", code)
		case err != nil || born.Month() != info.BirthDate.Month() || born.Day() != info.BirthDate.Day() || (born.Year()-info.BirthDate.Year())%100 != 0:
			return fmt.Errorf("cittadino %s: la data di nascita non corrisponde al codice fiscale", code)
		case surnameKey != app.NameKey(surname) || givenKey != app.NameKey(given):
			return fmt.Errorf("chiavi di ricerca di %s non corrispondenti", code)
		}
	}
	return rows.Err()
}

// checkPreparedRecords checks every record of the file (app.Record.Validate,
// the scope) and builds the table derived from them again.
func checkPreparedRecords(ctx context.Context, db *sql.DB, scope string) error {
	rows, err := db.QueryContext(ctx, `SELECT kind, key, scope, subject, data FROM records`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r app.Record
		var sc, data string
		if err := rows.Scan(&r.Kind, &r.Key, &sc, &r.Subject, &data); err != nil {
			return err
		}
		r.Data = []byte(data)
		if err := r.Validate(); err != nil {
			return err
		}
		if sc != scope {
			return fmt.Errorf("record %s/%s di un altro ambito (%s)", r.Kind, r.Key, sc)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	// The table is derived again by the (checked) schema's own trigger on
	// positions, not taken from the file on trust nor derived by a copy of
	// the trigger's SQL that a later migration could leave behind.
	if _, err := db.ExecContext(ctx, `DELETE FROM instalment_avvisi`); err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, `UPDATE records SET data = data WHERE kind = 'position'`)
	return err
}

// checkPreparedOperators checks the comune's operators the file holds.
func checkPreparedOperators(ctx context.Context, db *sql.DB, scope string) error {
	rows, err := db.QueryContext(ctx, `SELECT `+operatorCols+` FROM operators`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		op, err := scanOperator(rows)
		if err != nil {
			return err
		}
		if err := op.Validate(); err != nil {
			return fmt.Errorf("operatore %s: %w", op.Username, err)
		}
		if op.Comune != scope {
			return fmt.Errorf("operatore %s di un altro comune (%s)", op.Username, op.Comune)
		}
	}
	return rows.Err()
}

// mergeIntoPrepared copies into the prepared file, in one transaction,
// everything the cache holds besides the scope's download: its own records
// (the outbox, the audit trail, the profile…), the other scopes' records
// and cursors, and the operators the file does not name. The cache must
// hold no citizen and no download in progress (ECONFLICT).
func mergeIntoPrepared(ctx context.Context, conn *sql.Conn, file, scope string) (err error) {
	if _, err := conn.ExecContext(ctx, `ATTACH DATABASE ? AS prepared`, file); err != nil {
		return fmt.Errorf("prepared anagrafe: %w", err)
	}
	defer func() {
		if _, derr := conn.ExecContext(context.Background(), `DETACH DATABASE prepared`); derr != nil && err == nil {
			err = fmt.Errorf("prepared anagrafe: %w", derr)
		}
	}()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("prepared anagrafe: %w", err)
	}
	defer tx.Rollback()
	var busy int
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM main.citizens) OR EXISTS (SELECT 1 FROM main.snapshot_state)`).Scan(&busy); err != nil {
		return err
	}
	if busy != 0 {
		return app.Errorf(app.ECONFLICT, "la postazione ha già dei cittadini: lo scaricamento procede per pagine")
	}
	// A child row may be copied before its parent: checked at the commit.
	if _, err := tx.ExecContext(ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
		return err
	}
	tables, err := tablesOf(ctx, tx)
	if err != nil {
		return err
	}
	for _, t := range tables {
		var q string
		var args []any
		switch t {
		case "citizens", "instalment_avvisi", "schema_migrations":
			continue // none in the cache; derived by trigger; the same
		case "records", "cursors":
			q, args = `INSERT INTO prepared.`+t+` SELECT * FROM main.`+t+` WHERE scope <> ?`, []any{scope}
		case "operators":
			q = `INSERT INTO prepared.operators SELECT * FROM main.operators
				WHERE username NOT IN (SELECT username FROM prepared.operators)`
		case "sqlite_sequence":
			q = `INSERT OR REPLACE INTO prepared.sqlite_sequence SELECT * FROM main.sqlite_sequence`
		default:
			q = `INSERT INTO prepared."` + t + `" SELECT * FROM main."` + t + `"`
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("prepared anagrafe: copy %s: %w", t, err)
		}
	}
	return tx.Commit()
}

// tablesOf lists the cache's tables, SQLite's statistics left out.
func tablesOf(ctx context.Context, tx *sql.Tx) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name FROM main.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_stat%' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// backupInto replaces the pages of the cache held on conn with those of
// file, in one write transaction of the cache (sqlite3_backup, all pages in
// one step): a crash before its commit leaves the cache as it was.
func backupInto(ctx context.Context, conn *sql.Conn, file string) error {
	src, err := sql.Open("sqlite3", "file:"+file+"?mode=ro&_busy_timeout=10000")
	if err != nil {
		return err
	}
	defer src.Close()
	srcConn, err := src.Conn(ctx)
	if err != nil {
		return err
	}
	defer srcConn.Close()
	return srcConn.Raw(func(sc any) error {
		from, ok := sc.(*sqlite3.SQLiteConn)
		if !ok {
			return errors.New("not a SQLite connection")
		}
		return conn.Raw(func(dc any) error {
			to, ok := dc.(*sqlite3.SQLiteConn)
			if !ok {
				return errors.New("not a SQLite connection")
			}
			b, err := to.Backup("main", from, "main")
			if err != nil {
				return err
			}
			done, err := b.Step(-1)
			if ferr := b.Finish(); err == nil {
				err = ferr
			}
			if err == nil && !done {
				err = errors.New("backup stopped before the last page")
			}
			return err
		})
	})
}

// Path is the cache's file: a prepared anagrafe is downloaded beside it.
func (s *Store) Path() string { return s.path }

// HasCitizens tells whether the cache holds any citizen.
func (s *Store) HasCitizens(ctx context.Context) (bool, error) {
	var any int
	if err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM citizens)`).Scan(&any); err != nil {
		return false, fmt.Errorf("citizens: %w", err)
	}
	return any != 0, nil
}
