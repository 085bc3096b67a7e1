package hubdb

import (
	"strings"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/kiosk"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/app/queue"
)

// View is what of a comune's change log and snapshot a device receives:
// a kiosk or a board holds only what its screens need, so that its disk,
// read by whoever takes it from a public hall, yields no more.
type View struct {
	NoOperators bool     // the operators' accounts and password hashes
	NoCitizens  bool     // the anagrafe
	Records     []string // the record kinds served; nil: every kind but NoRecords
	NoRecords   []string // record kinds never served
}

// ViewOf is the view of a device's role. A counter holds its comune. A
// kiosk serves the citizen who identified at it: the anagrafe (its second
// factor), positions, requests, appointments, the albo; never the
// operators' accounts, nor refunds. A board shows the queue: its areas and
// its state, nothing of any person.
func ViewOf(role DeviceRole) View {
	switch role {
	case RoleKiosk:
		return View{NoOperators: true, NoRecords: []string{payment.KindRefund, kiosk.KindAlert}}
	case RoleBoard:
		return View{NoOperators: true, NoCitizens: true, Records: queue.BoardKinds}
	}
	return View{}
}

// kinds is the SQL condition on a kind column for the view, with its
// arguments: "" for everything.
func (v View) kinds(col string) (string, []any) {
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
