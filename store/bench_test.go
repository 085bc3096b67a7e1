package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/cf"
	"github.com/sportello/sportello/internal/sqlitedb"
	"github.com/sportello/sportello/store"
)

// benchSurnames and benchGivenNames make the synthetic anagrafe; most
// surnames get a suffix, so that a surname prefix matches thousands of rows
// and an exact surname hundreds, as in a large comune.
var (
	benchSurnames = []string{
		"Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
		"Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi", "Moretti",
		"Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso", "Ferrara", "Galli", "Martini", "Leone",
		"Longo", "Gentile", "Martinelli", "Vitale", "Lombardo", "Serra", "Coppola", "De Santis", "D'Angelo", "Marchetti",
		"Parisi", "Villa", "Conte", "Ferraro", "Ferri", "Fabbri", "Bianco", "Marini", "Grasso", "Valentini",
		"Messina", "Sala", "De Angelis", "Gatti", "Pellegrini", "Palumbo", "Sanna", "Farina", "Rizzi", "Monti",
	}
	benchGivenNames = []string{
		"Mario", "Marco", "Maria", "Matteo", "Martina", "Massimo", "Marta", "Giuseppe", "Giovanni", "Giulia",
		"Anna", "Andrea", "Alessandro", "Alessandra", "Francesco", "Francesca", "Luca", "Laura", "Paolo", "Paola",
		"Roberto", "Roberta", "Stefano", "Sara", "Antonio", "Antonella", "Nicolò", "Chiara", "Davide", "Elena",
		"Lorenzo", "Federica", "Simone", "Silvia", "Riccardo", "Valentina", "Gabriele", "Elisa", "Tommaso", "Giorgia",
	}
)

// synthCitizen is the i-th citizen of the synthetic anagrafe. Its codice
// fiscale is unique but not valid (see synthCode), so the anagrafe is loaded
// without validation.
func synthCitizen(i int) app.Citizen {
	k := i / len(benchSurnames)
	surname := benchSurnames[i%len(benchSurnames)]
	if k%8 != 0 {
		surname += suffix(k % 5000)
	}
	given := benchGivenNames[(k+k/8)%len(benchGivenNames)]
	born := app.Date(1930+i%90, time.Month(1+i%12), 1+i%28)
	return app.Citizen{
		CodiceFiscale:  synthCode(surname, given, i),
		Surname:        surname,
		GivenName:      given,
		Sex:            "M",
		BirthDate:      born,
		BirthPlaceCode: "F205",
		Citizenship:    "ITA",
		CivilStatus:    app.CivilStatusSingle,
		Comune:         "F205",
		Address:        app.Address{Street: "Via Giuseppe Garibaldi", HouseNumber: strconv.Itoa(1 + i%300), Postcode: "20121"},
		FamilyID:       "FAM-" + strconv.Itoa(i/3),
		Relationship:   1 + i%3,
		Status:         app.StatusResident,
		RegisteredOn:   born,
		Certifiability: app.CertifiableFully,
		UpdatedAt:      time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
	}
}

// synthCode is a code of the shape of a codice fiscale, so that the search
// box reads it as one: the real surname and name letters, then i spelt in
// the positions of date, place and check character (unique up to 3e9).
func synthCode(surname, given string, i int) string {
	const months = "ABCDEHLMPRST"
	return fmt.Sprintf("%s%s%02d%c%02d%c%03d%c", cf.SurnameCode(surname), cf.NameCode(given),
		i%100, months[i/100%12], i/1200%100, 'A'+byte(i/120000%26), i/3120000%1000, 'A'+byte(i%26))
}

// suffix spells n in lower-case letters: 0 = "a", 26 = "ba"…
func suffix(n int) string {
	b := []byte{byte('a' + n%26)}
	for n /= 26; n > 0; n /= 26 {
		b = append([]byte{byte('a' + n%26)}, b...)
	}
	return string(b)
}

func benchN(tb testing.TB) int {
	n := 200000
	if v := os.Getenv("SPORTELLO_BENCH_N"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n <= 0 {
			tb.Fatalf("SPORTELLO_BENCH_N=%q: want a positive number", v)
		}
	}
	return n
}

// benchVersion changes whenever synthCitizen does.
const benchVersion = 2

var benchDB struct {
	once sync.Once
	path string
	err  error
}

// benchPath returns the file of the synthetic anagrafe of n citizens,
// building it once per process and keeping it in the temporary directory
// for the next run: 1.4 million rows take a while to load.
func benchPath(tb testing.TB, n int) string {
	benchDB.once.Do(func() {
		// Named by the generator's version too: a file of an older
		// generator must not be reused.
		path := filepath.Join(os.TempDir(), fmt.Sprintf("sportello-bench-v%d-%d.db", benchVersion, n))
		if s, err := store.Open(path); err == nil {
			got, err := s.CountCitizens(context.Background())
			s.Close()
			if err == nil && got == n {
				benchDB.path = path
				return
			}
		}
		benchDB.path, benchDB.err = buildBenchDB(path, n)
	})
	if benchDB.err != nil {
		tb.Fatal(benchDB.err)
	}
	return benchDB.path
}

func buildBenchDB(path string, n int) (string, error) {
	start := time.Now()
	tmp := path + ".building"
	for _, p := range []string{tmp, tmp + "-wal", tmp + "-shm"} {
		os.Remove(p)
	}
	s, err := store.Open(tmp)
	if err != nil {
		return "", err
	}
	const batch = 50000
	cs := make([]app.Citizen, 0, batch)
	for i := 0; i < n; i += batch {
		cs = cs[:0]
		for j := i; j < min(i+batch, n); j++ {
			cs = append(cs, synthCitizen(j))
		}
		if err := s.PutCitizensUnchecked(context.Background(), cs); err != nil {
			s.Close()
			return "", err
		}
	}
	if err := s.Close(); err != nil { // checkpoints the WAL into the file
		return "", err
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", err
	}
	fmt.Fprintf(os.Stderr, "built %s: %d citizens in %v\n", path, n, time.Since(start).Round(time.Millisecond))
	return path, nil
}

type benchRow struct {
	cf, surname, given, birth, comune, status string
}

// BenchmarkSearch times the store's search on a large cache beside the bare
// SQL of its main query on the same file: the ratio is the store's cost
// (the other readings of the words, de-duplication, decoding).
func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	n := benchN(b)
	path := benchPath(b, n)
	s, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	raw, err := sqlitedb.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()

	const cols = `SELECT codice_fiscale, surname, given_name, birth_date, comune, status FROM citizens `
	const order = ` ORDER BY surname_key, given_key, birth_date LIMIT 50`
	fullCF := synthCitizen(n / 2).CodiceFiscale
	for _, tc := range []struct {
		name, text, sql string
		args            []any
	}{
		{"Surname", "ROSSI", cols + `WHERE surname_key >= ? AND surname_key < ?` + order, []any{"ROSSI", "ROSSJ"}},
		{"SurnameGiven", "ROSSI MA", cols + `WHERE surname_key = ? AND given_key >= ? AND given_key < ?` + order, []any{"ROSSI", "MA", "MB"}},
		{"CFPrefix", "RSSMRA", cols + `WHERE codice_fiscale >= ? AND codice_fiscale < ? ORDER BY codice_fiscale LIMIT 50`, []any{"RSSMRA", "RSSMRB"}},
		{"FullCF", fullCF, cols + `WHERE codice_fiscale = ?`, []any{fullCF}},
	} {
		q, err := app.ParseQuery(tc.text)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(tc.name+"/Store", func(b *testing.B) {
			var got []app.CitizenSummary
			for b.Loop() {
				if got, err = s.SearchCitizens(ctx, q, app.SearchLimit); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(got)), "rows")
		})
		b.Run(tc.name+"/SQL", func(b *testing.B) {
			st, err := raw.PrepareContext(ctx, tc.sql)
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			var got []benchRow
			for b.Loop() {
				if got, err = bareQuery(ctx, st, tc.args); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(got)), "rows")
		})
	}
}

func bareQuery(ctx context.Context, st *sql.Stmt, args []any) ([]benchRow, error) {
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []benchRow
	for rows.Next() {
		var r benchRow
		if err := rows.Scan(&r.cf, &r.surname, &r.given, &r.birth, &r.comune, &r.status); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// BenchmarkOpen is the cost of opening the cache, PRAGMA quick_check of
// every page included, on the synthetic anagrafe of SPORTELLO_BENCH_N.
func BenchmarkOpen(b *testing.B) {
	path := benchPath(b, benchN(b))
	if fi, err := os.Stat(path); err == nil {
		b.ReportMetric(float64(fi.Size())/(1<<20), "MB")
	}
	for b.Loop() {
		s, err := store.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}
