// Package mail sends the mails the store queues in its outbox: a Worker takes the due mails and
// hands each to a Sender, through an SMTP server when one is configured, or to the log when not,
// so a developer sees sign-in links in the console and no mail leaves the machine.
package mail

import (
	"context"
	"errors"
	"log/slog"

	"github.com/hanoi-cnht/portal/models"
)

// Sender delivers one mail, or says why it could not.
type Sender interface {
	Send(ctx context.Context, m models.Mail) error
}

// ErrRejected marks a failure that trying again cannot mend: the mail server refused the
// recipient for good. The worker gives such a mail up at once.
var ErrRejected = errors.New("mail rejected")

// LogSender writes each mail to the log instead of sending it: the portal's way of mailing when
// no SMTP server is configured.
type LogSender struct {
	Logger *slog.Logger
}

// Send writes m to the log at Info level, body included, so links in it can be followed.
func (s LogSender) Send(ctx context.Context, m models.Mail) error {
	logger := s.Logger
	if logger == nil {
		logger = slog.Default()
	}
	logger.InfoContext(ctx, "mail written to the log, not sent: no SMTP server configured",
		"id", m.ID, "to", m.Recipient, "lang", m.Lang, "subject", m.Subject, "body", m.Body)
	return nil
}
