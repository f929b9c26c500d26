package mail

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/hanoi-cnht/portal/models"
)

// Outbox is the part of the store the worker needs: the queue of mails and the record of each
// attempt. *store.Store satisfies it.
type Outbox interface {
	DueMails(ctx context.Context, now time.Time, limit int) ([]models.Mail, error)
	MailSent(ctx context.Context, id uint, at time.Time) error
	MailFailed(ctx context.Context, id uint, errText string, next time.Time, giveUp bool) error
}

// Defaults of a Worker made by NewWorker.
const (
	// DefaultInterval is how often the worker looks for due mails when nobody wakes it. New
	// mails wake it, so this mostly paces retries.
	DefaultInterval = 30 * time.Second
	// DefaultMaxAttempts tries a mail for a little over two hours (1 + 2 + … + 64 minutes
	// between attempts) before giving it up: a sign-in link is stale by then anyway.
	DefaultMaxAttempts = 8
)

const (
	// batchSize is how many due mails one pass reads.
	batchSize = 50
	// firstRetry and lastRetry bound the wait after a failed attempt, which doubles each time.
	firstRetry = time.Minute
	lastRetry  = 6 * time.Hour
	// sendTimeout stops a Sender that ignores its own deadlines from holding the queue.
	sendTimeout = time.Minute
	// maxErrorText keeps a server's long reply from filling the outbox table.
	maxErrorText = 1000
)

// Worker sends the outbox's due mails, retrying failures with a growing wait. Mails are sent
// at least once: a mail whose sending cannot be recorded is sent again on the next pass. Run
// one Worker per database, as two would send the same mails. Make it with NewWorker, then
// change the fields before Run if needed.
type Worker struct {
	Outbox      Outbox
	Sender      Sender
	Now         func() time.Time
	Interval    time.Duration
	MaxAttempts int
	Logger      *slog.Logger
	// wake carries nudges to Run; it holds one, as one pass serves any number of them.
	wake chan struct{}
}

// NewWorker makes a worker with the default clock, interval and attempts.
func NewWorker(outbox Outbox, sender Sender, logger *slog.Logger) *Worker {
	if logger == nil {
		logger = slog.Default()
	}
	return &Worker{
		Outbox:      outbox,
		Sender:      sender,
		Now:         time.Now,
		Interval:    DefaultInterval,
		MaxAttempts: DefaultMaxAttempts,
		Logger:      logger,
		wake:        make(chan struct{}, 1),
	}
}

// Wake asks Run to look for due mails now rather than at the end of its interval; callers
// wake the worker after committing a change that queued mail. It never blocks.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run sends due mails until ctx ends, looking again every Interval or when woken. When ctx ends
// during a send, that mail is finished and recorded before Run returns.
func (w *Worker) Run(ctx context.Context) {
	interval := w.Interval
	if interval <= 0 {
		interval = DefaultInterval
	}
	for {
		sent, failed, err := w.SendDue(ctx)
		if err != nil {
			w.logger().ErrorContext(ctx, "mail outbox", "err", err)
		}
		if ctx.Err() != nil {
			return
		}
		if err == nil && sent+failed == batchSize {
			continue // the pass stopped at the batch size, so more may be due
		}
		select {
		case <-ctx.Done():
			return
		case <-w.wake:
		case <-time.After(interval):
		}
	}
}

// SendDue makes one pass: it reads the mails due now and tries each once, returning how many
// were sent and how many failed this time (given up or to be retried). It stops early, between
// mails, when ctx ends.
func (w *Worker) SendDue(ctx context.Context) (sent, failed int, err error) {
	mails, err := w.Outbox.DueMails(ctx, w.now(), batchSize)
	if err != nil {
		return 0, 0, err
	}
	for _, m := range mails {
		if ctx.Err() != nil {
			break
		}
		ok, err := w.deliver(ctx, m)
		if err != nil {
			return sent, failed, err
		}
		if ok {
			sent++
		} else {
			failed++
		}
	}
	return sent, failed, nil
}

// deliver tries m once and records the outcome. The send and the record run on past the end of
// ctx: a mail sent but not recorded would go out twice.
func (w *Worker) deliver(ctx context.Context, m models.Mail) (sent bool, err error) {
	keep := context.WithoutCancel(ctx)
	sendCtx, cancel := context.WithTimeout(keep, sendTimeout)
	sendErr := w.Sender.Send(sendCtx, m)
	cancel()
	now := w.now()
	if sendErr == nil {
		return true, w.Outbox.MailSent(keep, m.ID, now)
	}

	attempt := m.Attempts + 1
	rejected := errors.Is(sendErr, ErrRejected)
	giveUp := rejected || attempt >= w.maxAttempts()
	next := now.Add(retryDelay(attempt))
	text := sendErr.Error()
	if len(text) > maxErrorText {
		text = strings.ToValidUTF8(text[:maxErrorText], "")
	}
	attrs := []any{"id", m.ID, "to", m.Recipient, "attempt", attempt, "err", text}
	switch {
	case rejected:
		w.logger().ErrorContext(ctx, "mail given up: the server refused the recipient", attrs...)
	case giveUp:
		w.logger().ErrorContext(ctx, "mail given up after too many attempts", attrs...)
	default:
		w.logger().WarnContext(ctx, "mail not sent; will try again", append(attrs, "next", next)...)
	}
	return false, w.Outbox.MailFailed(keep, m.ID, text, next, giveUp)
}

// retryDelay is the wait after failed attempt n (from 1): a minute, doubling with each attempt,
// at most lastRetry, so a short outage costs minutes and a long one does not hammer the server.
func retryDelay(attempt int) time.Duration {
	d := firstRetry
	for i := 1; i < attempt && d < lastRetry; i++ {
		d *= 2
	}
	return min(d, lastRetry)
}

func (w *Worker) now() time.Time {
	if w.Now == nil {
		return time.Now()
	}
	return w.Now()
}

func (w *Worker) maxAttempts() int {
	if w.MaxAttempts <= 0 {
		return DefaultMaxAttempts
	}
	return w.MaxAttempts
}

func (w *Worker) logger() *slog.Logger {
	if w.Logger == nil {
		return slog.Default()
	}
	return w.Logger
}
