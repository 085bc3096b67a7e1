package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/sportello/sportello/app"
)

// DB gives tests the store's connection, to look at rows and to plant
// faults (a trigger that fails an insert).
func (s *Store) DB() *sql.DB { return s.db }

// PutCitizensUnchecked loads citizens without validating them: the
// benchmark's synthetic codes are not valid codici fiscali.
func (s *Store) PutCitizensUnchecked(ctx context.Context, cs []app.Citizen) error {
	return s.putCitizens(ctx, cs)
}

// ExplainSearch returns SQLite's plan of every query SearchCitizens runs
// for q, one string per query.
func (s *Store) ExplainSearch(ctx context.Context, q app.Query) ([]string, error) {
	var plans []string
	for _, sq := range searchQueries(q) {
		rows, err := s.db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+sq.sql, append(sq.args, app.SearchLimit)...)
		if err != nil {
			return nil, err
		}
		var lines []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				rows.Close()
				return nil, err
			}
			lines = append(lines, detail)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		plans = append(plans, sq.sql+"\n\t"+strings.Join(lines, "\n\t"))
	}
	return plans, nil
}
