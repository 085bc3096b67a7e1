package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/app/queue"
	"github.com/sportello/sportello/app/request"
)

// OutboxDesk resolves the operations the hub refused or could not take
// (parked): the workstation store's own methods, the same that
// `sportello outbox` calls, so that every decision is taken, checked and
// audited in one place.
type OutboxDesk interface {
	ParkedOps(ctx context.Context) ([]app.Operation, error)
	RetryParked(ctx context.Context, id string, by *app.Operator, at time.Time) error
	DiscardOp(ctx context.Context, id string, by *app.Operator, reason string, at time.Time) error
}

// The worklist's size in the counter's window.
const (
	outboxWidth  = 900
	outboxHeight = 560
)

// opKinds names the kinds of operation in the counter's words.
var opKinds = map[string]msg{
	app.OpAudit:            msgOpAudit,
	app.OpCertificate:      msgOpCertificate,
	request.FactRequest:    msgOpRequest,
	request.FactStatus:     msgOpRequestStatus,
	payment.FactPayment:    msgOpPayment,
	payment.FactPosition:   msgOpPosition,
	payment.FactIUVBlock:   msgOpIUVBlock,
	payment.FactClosing:    msgOpClosing,
	payment.FactRefundDone: msgOpRefund,
	queue.FactTicket:       msgOpTicket,
	queue.FactEvent:        msgOpQueueEvent,
	queue.FactAppointment:  msgOpAppointment,
}

// outboxScreen is the supervisor's worklist of parked operations: for
// each, what it is, when it was recorded and why the hub did not take it,
// with "send again" (once the cause is dealt with) and "discard" (with a
// reason, for good).
type outboxScreen struct {
	c      *Counter
	list   *fyne.Container
	status *fyne.Container
	dlg    *dialog.CustomDialog
	gen    int
}

// canResolveParked reports whether the operator may open the worklist: a
// supervisor, on a workstation wired to it.
func (c *Counter) canResolveParked() bool {
	return c.d.Outbox != nil && c.op != nil && c.op.Has(app.RoleSupervisor)
}

// onOutbox opens the worklist of parked operations (supervisors only).
func (c *Counter) onOutbox() {
	if !c.canResolveParked() || c.dialogOpen() {
		return
	}
	c.touch()
	l := c.lang
	s := &outboxScreen{c: c, list: container.NewVBox(), status: container.NewVBox()}
	closeButton := widget.NewButtonWithIcon(l.text(msgClose), theme.CancelIcon(), s.close)
	s.dlg = dialog.NewCustomWithoutButtons(l.text(msgOutboxTitle),
		container.NewBorder(s.status, nil, nil, nil, container.NewVScroll(s.list)), c.w)
	s.dlg.SetButtons([]fyne.CanvasObject{closeButton})
	s.dlg.Resize(fyne.NewSize(outboxWidth, outboxHeight))
	c.outbox = s
	s.dlg.Show()
	s.load("")
}

func (s *outboxScreen) close() {
	if s.c.outbox == s {
		s.c.outbox = nil
	}
	s.dlg.Hide()
}

type outboxResult struct {
	ops []app.Operation
	err error
}

// load reads the parked operations again and shows them, with done (a
// decision just taken) above them.
func (s *outboxScreen) load(done string) {
	c := s.c
	s.gen++
	gen, ctx, desk := s.gen, c.session, c.d.Outbox
	inBackground(c.ui, func() outboxResult {
		ops, err := desk.ParkedOps(ctx)
		return outboxResult{ops, err}
	}, func(r outboxResult) {
		if ctx.Err() != nil || gen != s.gen || c.outbox != s {
			return
		}
		if r.err != nil {
			s.say(app.ErrorMessage(r.err), true)
			return
		}
		s.show(r.ops, done)
	})
}

func (s *outboxScreen) say(text string, isError bool) {
	s.status.Objects = []fyne.CanvasObject{note(text, isError)}
	s.status.Refresh()
}

func (s *outboxScreen) show(ops []app.Operation, done string) {
	l := s.c.lang
	s.list.Objects = nil
	switch {
	case done != "":
		s.say(done, false)
	case len(ops) == 0:
		s.say(l.text(msgOutboxNone), false)
	default:
		s.say(l.textf(msgOutboxCount, len(ops)), false)
	}
	for _, op := range ops {
		s.list.Add(s.row(op))
		s.list.Add(widget.NewSeparator())
	}
	s.list.Refresh()
}

// row is one parked operation with its two decisions.
func (s *outboxScreen) row(op app.Operation) fyne.CanvasObject {
	l := s.c.lang
	kind := op.Kind
	if m, ok := opKinds[op.Kind]; ok {
		kind = l.text(m)
	}
	title := widget.NewLabel(l.textf(msgOutboxLine, kind, op.Seq, s.c.whenText(op.CreatedAt)))
	title.TextStyle.Bold = true
	why := widget.NewLabel(l.textf(msgOutboxWhy, op.Reason))
	why.Wrapping = fyne.TextWrapWord
	reason := widget.NewEntry()
	reason.SetPlaceHolder(l.text(msgOutboxReason))
	retry := widget.NewButtonWithIcon(l.text(msgOutboxRetry), theme.MediaReplayIcon(), func() { s.onRetry(op) })
	discard := widget.NewButtonWithIcon(l.text(msgOutboxDiscard), theme.DeleteIcon(), func() { s.onDiscard(op, reason.Text) })
	return container.NewVBox(title, why, container.NewBorder(nil, nil, retry, discard, reason))
}

// onRetry puts op back in line and asks for a sync round.
func (s *outboxScreen) onRetry(op app.Operation) {
	s.decide(func(ctx context.Context, by *app.Operator, at time.Time) error {
		return s.c.d.Outbox.RetryParked(ctx, op.ID, by, at)
	}, s.c.lang.textf(msgOutboxRetried, op.Seq), true)
}

// onDiscard sets op aside for good, with the supervisor's reason.
func (s *outboxScreen) onDiscard(op app.Operation, reason string) {
	s.decide(func(ctx context.Context, by *app.Operator, at time.Time) error {
		return s.c.d.Outbox.DiscardOp(ctx, op.ID, by, reason, at)
	}, s.c.lang.textf(msgOutboxDiscarded, op.Seq), false)
}

// decide runs a decision of the operator in the background; the list is
// read again after it, and a retried operation goes out at once.
func (s *outboxScreen) decide(fn func(context.Context, *app.Operator, time.Time) error, done string, sync bool) {
	c := s.c
	c.touch()
	ctx, by, at := c.session, c.op, c.d.Now()
	inBackground(c.ui, func() error { return fn(ctx, by, at) }, func(err error) {
		if ctx.Err() != nil || c.outbox != s {
			return
		}
		if err != nil {
			s.say(app.ErrorMessage(err), true)
			return
		}
		if sync && c.d.SyncNow != nil {
			c.d.SyncNow()
		}
		s.load(done)
	})
}
