package sqlstore

import (
	"strings"

	"github.com/sportello/sportello/app"
)

// kinds is the SQL condition on a kind column for the view v, with its
// arguments: "" for everything.
func kinds(v View, col string) (string, []any) {
	var not []any
	if v.NoOperators {
		not = append(not, app.ChangeOperator)
	}
	if v.NoCitizens {
		not = append(not, app.ChangeCitizen)
	}
	for _, k := range v.NoRecords {
		not = append(not, k)
	}
	var cond []string
	var args []any
	if len(not) > 0 {
		cond = append(cond, col+" NOT IN ("+placeholders(len(not))+")")
		args = append(args, not...)
	}
	if v.Records != nil {
		in := []any{app.ChangeCitizen, app.ChangeOperator, app.ChangeReference, app.ChangeDevice}
		for _, k := range v.Records {
			in = append(in, k)
		}
		cond = append(cond, col+" IN ("+placeholders(len(in))+")")
		args = append(args, in...)
	}
	if len(cond) == 0 {
		return "", nil
	}
	return " AND " + strings.Join(cond, " AND "), args
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
