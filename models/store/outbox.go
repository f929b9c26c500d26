package store

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/hanoi-cnht/portal/models"
)

// queueMail adds m to the outbox inside tx, so the mail exists exactly when the change that
// causes it commits: a rolled-back sign-up sends no link, and a committed one cannot lose its
// mail to a crash between the write and the send. now is the store's clock.
//
// A mail to the address of a sample firm is dropped without an error: the generator invents
// firms, but an invented address can still reach a real mailbox, and the caller's change
// (a claim of a sample firm, say) should go ahead without mailing a stranger.
func queueMail(tx *gorm.DB, now time.Time, m models.Mail) error {
	to, ok := models.NormalizeEmail(m.Recipient)
	if !ok {
		return &models.ValidationError{Fields: []models.FieldError{
			models.NewFieldError("recipient", "validation.email", models.Args{"Value": strconv.Quote(m.Recipient)}),
		}}
	}
	// lower() folds ASCII only, which is enough: NormalizeEmail has lower-cased the recipient,
	// and the generator writes sample addresses in ASCII.
	var sampleFirms []uint
	err := tx.Model(&models.Firm{}).
		Where("sample = ? AND email <> '' AND lower(trim(email)) = ?", true, to).
		Limit(1).Pluck("id", &sampleFirms).Error
	if err != nil {
		return fmt.Errorf("check recipient against sample firms: %w", err)
	}
	if len(sampleFirms) > 0 {
		slog.InfoContext(tx.Statement.Context, "mail not queued: sample firm address",
			"firm", sampleFirms[0], "subject", m.Subject)
		return nil
	}
	now = dbTime(now)
	row := models.Mail{
		Recipient:     to,
		Lang:          m.Lang,
		Subject:       m.Subject,
		Body:          m.Body,
		CreatedAt:     now,
		NextAttemptAt: now,
	}
	if err := tx.Create(&row).Error; err != nil {
		return fmt.Errorf("queue mail: %w", err)
	}
	return nil
}

// dbTime is t as the outbox stores it. The driver writes times as text and SQLite compares that
// text, so every time in a comparison must be in the same zone for "due" to mean "earlier".
func dbTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// QueueMail queues one mail on its own, for callers that change nothing else. A use case that
// writes records queues its mails inside its own transaction instead.
func (s *Store) QueueMail(ctx context.Context, m models.Mail) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return queueMail(tx, s.now(), m)
	})
}

// DueMails returns up to limit mails that are neither sent nor given up and whose next attempt
// is at or before now, oldest first. Only one worker should send from a database: two would
// both read the same due mails.
func (s *Store) DueMails(ctx context.Context, now time.Time, limit int) ([]models.Mail, error) {
	var out []models.Mail
	err := s.db.WithContext(ctx).
		Where("sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?", dbTime(now)).
		Order("created_at, id").Limit(limit).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("read due mails: %w", err)
	}
	return out, nil
}

// MailSent records that mail id was handed to the mail server at the given time.
func (s *Store) MailSent(ctx context.Context, id uint, at time.Time) error {
	return s.updateQueuedMail(ctx, id, map[string]any{
		"sent_at":  dbTime(at),
		"attempts": gorm.Expr("attempts + 1"),
	})
}

// MailFailed records a failed attempt to send mail id: the error, and when to try again. With
// giveUp the mail leaves the queue for good and counts as failed.
func (s *Store) MailFailed(ctx context.Context, id uint, errText string, next time.Time, giveUp bool) error {
	changes := map[string]any{
		"attempts":        gorm.Expr("attempts + 1"),
		"last_error":      errText,
		"next_attempt_at": dbTime(next),
	}
	if giveUp {
		changes["failed_at"] = dbTime(s.now())
	}
	return s.updateQueuedMail(ctx, id, changes)
}

// updateQueuedMail changes a mail that is still queued; a mail already sent or given up is
// models.ErrNotFound, so a late report cannot undo the outcome.
func (s *Store) updateQueuedMail(ctx context.Context, id uint, changes map[string]any) error {
	res := s.db.WithContext(ctx).Model(&models.Mail{}).
		Where("id = ? AND sent_at IS NULL AND failed_at IS NULL", id).
		Updates(changes)
	if res.Error != nil {
		return fmt.Errorf("update mail %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("queued mail %d: %w", id, models.ErrNotFound)
	}
	return nil
}

// OutboxCounts returns how many mails wait to be sent, were sent, and were given up.
func (s *Store) OutboxCounts(ctx context.Context) (queued, sent, failed int64, err error) {
	var row struct{ Queued, Sent, Failed int64 }
	err = s.db.WithContext(ctx).Model(&models.Mail{}).Select(
		"coalesce(sum(CASE WHEN sent_at IS NULL AND failed_at IS NULL THEN 1 ELSE 0 END), 0) AS queued, " +
			"coalesce(sum(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS sent, " +
			"coalesce(sum(CASE WHEN failed_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS failed").
		Scan(&row).Error
	if err != nil {
		return 0, 0, 0, fmt.Errorf("count outbox: %w", err)
	}
	return row.Queued, row.Sent, row.Failed, nil
}
