package main

import (
	"context"
	"fmt"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/payment"
)

// cmdPaymentRefundDone is `sportello payment refund-done`: a supervisor
// records that the excess of a double payment went back to the payer; the
// fact goes to the hub through the outbox, which checks the role again.
func cmdPaymentRefundDone(ctx context.Context, o options, args []string) error {
	fs := subFlags("payment refund-done")
	id := fs.String("id", "", "")
	method := fs.String("method", "bonifico", "")
	on := fs.String("date", "", "")
	note := fs.String("note", "", "")
	opName := fs.String("operator", "", "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *id == "" {
		return usageError{"payment refund-done: servono --id RIMBORSO [--method bonifico|contanti|storno_pos|compensazione] [--date AAAA-MM-GG] [--note TESTO] --operator SUPERVISORE"}
	}
	m, err := payment.ParseRefundMethod(*method)
	if err != nil {
		return usageError{"payment refund-done: " + app.ErrorMessage(err)}
	}
	var day time.Time
	if *on != "" {
		if day, err = app.ParseDate(*on); err != nil {
			return usageError{"payment refund-done: --date vuole AAAA-MM-GG"}
		}
	}
	ws, c, err := openCashier(ctx, o)
	if err != nil {
		return err
	}
	defer ws.Close()
	op, err := cliOperator(ctx, ws, o, *opName)
	if err != nil {
		return err
	}
	r, err := c.CompleteRefund(ctx, op, *id, m, day, *note)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.stdout, "rimborso %s registrato come eseguito %s; %s\n", r.Refund, r.Describe(), sentNote(ctx, ws))
	if refused := parkedRepayments(ctx, ws, r.Refund); len(refused) > 0 {
		return app.Errorf(app.EFORBIDDEN, "l'hub ha rifiutato il rimborso: %s", refused[0])
	}
	return nil
}

// parkedRepayments are the reasons the hub refused repayments of refund.
func parkedRepayments(ctx context.Context, ws *workstation, refund string) []string {
	ops, err := ws.store.ParkedOps(ctx)
	if err != nil {
		return nil
	}
	var out []string
	for _, op := range ops {
		if op.Kind != payment.FactRefundDone {
			continue
		}
		if r, err := payment.DecodeRepayment(op.Data); err == nil && r.Refund == refund {
			out = append(out, op.Reason)
		}
	}
	return out
}
