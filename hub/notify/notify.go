// Package notify is the hub's notifier: it sends the notices that request
// changes queue in the hub's outbox (request.NoticeQueue) by email over
// SMTP, by PEC (SMTP to the certified-mail provider) and by SMS through a
// gateway, with retries and backoff.
//
// Delivery is at most once. A notice is claimed ("sending") in one
// transaction before it is handed to the server and marked sent in another
// after the server accepted it. A crash between the two leaves it
// "sending"; at start the worker turns such notices into "uncertain" and
// never sends them again by itself: a person decides (sportello-hub
// notices requeue). The window is the SMTP server's answer to the end of
// DATA. Each message carries a Message-ID derived from the notice's id
// (request, version, channel), so a receiving system that deduplicates by
// Message-ID drops a copy a person chose to send again.
package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/sportello/sportello/app/request"
)

// Sender delivers a notice on one channel. A *PermanentError means the
// notice cannot be delivered (a refused address): it is not retried.
type Sender interface {
	Send(ctx context.Context, n request.Notice) error
}

// PermanentError is a refusal that retrying will not change.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Worker sends the queued notices.
type Worker struct {
	Queue   request.NoticeQueue
	Senders map[string]Sender // by channel: request.ChannelEmail, ChannelPEC, ChannelSMS
	Log     *slog.Logger
	Now     func() time.Time
	// MaxAttempts before a notice is failed for good (default 8); Backoff
	// is the wait after the n-th failed attempt (default 1 min doubling,
	// at most 6 h, with jitter).
	MaxAttempts int
	Backoff     func(attempt int) time.Duration
	Batch       int
}

func (w *Worker) now() time.Time {
	if w.Now == nil {
		return time.Now()
	}
	return w.Now()
}

func (w *Worker) log() *slog.Logger {
	if w.Log == nil {
		return slog.Default()
	}
	return w.Log
}

// DefaultBackoff waits a minute after the first failure, doubling up to
// six hours, with ±20% jitter so that a server coming back is not hit by
// every notice at once.
func DefaultBackoff(attempt int) time.Duration {
	d := time.Minute << min(attempt-1, 9)
	d = min(d, 6*time.Hour)
	return d + time.Duration((rand.Float64()*0.4-0.2)*float64(d))
}

// Start recovers the notices a previous run left in flight; call it once
// before RunOnce or Run.
func (w *Worker) Start(ctx context.Context) error {
	n, err := w.Queue.RecoverNotices(ctx)
	if err != nil {
		return fmt.Errorf("recover notices: %w", err)
	}
	if n > 0 {
		w.log().Warn("notices interrupted while sending: not sent again until a person requeues them", "count", n)
	}
	return nil
}

// RunOnce sends the notices due now; it returns how many went out.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	batch := w.Batch
	if batch <= 0 {
		batch = 50
	}
	max := w.MaxAttempts
	if max <= 0 {
		max = 8
	}
	backoff := w.Backoff
	if backoff == nil {
		backoff = DefaultBackoff
	}
	sent := 0
	for {
		ns, err := w.Queue.ClaimNotices(ctx, w.now(), batch)
		if err != nil {
			return sent, fmt.Errorf("claim notices: %w", err)
		}
		if len(ns) == 0 {
			return sent, nil
		}
		for _, n := range ns {
			s, ok := w.Senders[n.Channel]
			if !ok {
				err = &PermanentError{fmt.Errorf("nessun canale %s configurato", n.Channel)}
			} else {
				err = s.Send(ctx, n)
			}
			if err == nil {
				if err := w.Queue.NoticeSent(ctx, n.ID, w.now()); err != nil {
					return sent, fmt.Errorf("mark notice %s sent: %w", n.ID, err)
				}
				sent++
				continue
			}
			var perm *PermanentError
			final := errors.As(err, &perm) || n.Attempts >= max
			w.log().Warn("notice not sent", "notice", n.ID, "channel", n.Channel, "attempt", n.Attempts, "final", final, "err", err)
			if err := w.Queue.NoticeFailed(ctx, n.ID, err.Error(), w.now().Add(backoff(n.Attempts)), final); err != nil {
				return sent, fmt.Errorf("mark notice %s failed: %w", n.ID, err)
			}
		}
	}
}

// Run sends due notices every interval until ctx ends.
func (w *Worker) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
			w.log().Error("notifier", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
