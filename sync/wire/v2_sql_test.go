package wire

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// union is every renaming of a shape and the shapes inside it: what one
// statement of a migration applies to a whole document.
func union(s *Shape, out map[string]string, seen map[*Shape]bool) {
	if s == nil || seen[s] {
		return
	}
	seen[s] = true
	for k2, k3 := range s.keys {
		if o, ok := out[k2]; ok && o != k3 {
			out[k2] = o + "|" + k3
		} else {
			out[k2] = k3
		}
	}
	for _, c := range s.sub {
		union(c, out, seen)
	}
}

var (
	sqlStatement = regexp.MustCompile(`(?s)UPDATE (\w+) SET \w+ = (.*?)(?:\n\tWHERE kind = '(\w+)'[^;]*)?;`)
	sqlRename    = regexp.MustCompile(`'"(\w+)":("?)', '"(\w+)":"?'\)`)
)

// TestMigrationsFollowTheTable checks that migrations 009 rename, in each
// kind of document, exactly what the table of renamed keys renames: the
// SQL cannot import the table, so this test keeps the copies equal.
func TestMigrationsFollowTheTable(t *testing.T) {
	byTable := map[string]*Shape{"citizens": V2Citizen, "operators": V2Operator, "local_positions": v2Position,
		"payments": v2Payment, "cash_closings": v2Closing}
	byKind := map[string]*Shape{"citizen": V2Citizen, "operator": V2Operator, "reference": v2Reference}
	for _, file := range []string{"../../store/migrations/009_vocabulary.sql", "../../hub/sqlstore/migrations/009_vocabulary.sql"} {
		b, err := os.ReadFile(filepath.FromSlash(file))
		if err != nil {
			t.Fatal(err)
		}
		stmts := sqlStatement.FindAllStringSubmatch(string(b), -1)
		if len(stmts) < 10 {
			t.Fatalf("%s: %d statements found", file, len(stmts))
		}
		for _, m := range stmts {
			table, expr, kind := m[1], m[2], m[3]
			var shape *Shape
			switch {
			case table == "ops":
				shape = v2Answers[kind]
			case kind != "" && byKind[kind] != nil:
				shape = byKind[kind]
			case kind != "":
				shape = v2Data[kind]
			default:
				shape = byTable[table]
			}
			if shape == nil {
				t.Errorf("%s: UPDATE %s (kind %q) follows no shape", file, table, kind)
				continue
			}
			want := map[string]string{}
			union(shape, want, map[*Shape]bool{})
			got := map[string]string{}
			for _, r := range sqlRename.FindAllStringSubmatch(expr, -1) {
				if r[2] == `"` { // a key told apart by its value being a string
					got[r[1]] = r[3] + "|" + got[r[1]]
					continue
				}
				if o, ok := got[r[1]]; ok {
					got[r[1]] = strings.TrimSuffix(o, "|") + "|" + r[3]
					continue
				}
				got[r[1]] = r[3]
			}
			for k2, k3 := range want {
				if strings.Contains(k3, "|") {
					if !strings.Contains(got[k2], "|") {
						t.Errorf("%s: UPDATE %s (kind %q) renames %q one way, the table two: %s", file, table, kind, k2, k3)
					}
					continue
				}
				if got[k2] != k3 {
					t.Errorf("%s: UPDATE %s (kind %q): %q becomes %q, the table says %q", file, table, kind, k2, got[k2], k3)
				}
			}
			for k2 := range got {
				if _, ok := want[k2]; !ok {
					t.Errorf("%s: UPDATE %s (kind %q) renames %q, which the table does not", file, table, kind, k2)
				}
			}
		}
	}
}
