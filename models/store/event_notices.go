package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/event"
)

// noticeRow is what a registration was told about an event, as the mail's message key and
// arguments, so that the portal can show it too, in whichever language its reader uses.
type noticeRow struct {
	ID             uint
	EventID        uint
	RegistrationID uint
	MessageKey     string
	Args           string
	Path           string
	CreatedAt      time.Time
}

func (noticeRow) TableName() string { return "event_notices" }

// EventNotice is one thing a registration was told: Key names the message (a mail's key), Args
// its arguments other than the reader's name and the event's, Path the page it points to.
type EventNotice struct {
	ID        uint
	Key       string
	Args      map[string]string
	Path      string
	CreatedAt time.Time
}

// keepNotice records, in the transaction that tells the registration by mail, what it was
// told. Arguments are kept as text: they are names, reasons and times already worded.
func keepNotice(tx *gorm.DB, now time.Time, r *event.Registration, key string, args map[string]any, path string) error {
	kept := map[string]string{}
	for k, v := range args {
		if v != nil {
			kept[k] = fmt.Sprint(v)
		}
	}
	b, err := json.Marshal(kept)
	if err != nil {
		return err
	}
	row := noticeRow{EventID: r.EventID, RegistrationID: r.ID, MessageKey: key, Args: string(b), Path: path, CreatedAt: now}
	if err := tx.Create(&row).Error; err != nil {
		return fmt.Errorf("keep event notice: %w", err)
	}
	return nil
}

// NoticesOf lists, newest first, what the registration was told; only those who act for it (and
// staff) may read them.
func (s *Store) NoticesOf(ctx context.Context, a models.Actor, regID uint) ([]EventNotice, error) {
	if _, err := s.Registration(ctx, a, regID); err != nil {
		return nil, err
	}
	var rows []noticeRow
	if err := s.db.WithContext(ctx).Where("registration_id = ?", regID).Order("id DESC").Limit(100).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]EventNotice, len(rows))
	for i, r := range rows {
		out[i] = EventNotice{ID: r.ID, Key: r.MessageKey, Path: r.Path, CreatedAt: r.CreatedAt}
		if err := json.Unmarshal([]byte(r.Args), &out[i].Args); err != nil {
			return nil, fmt.Errorf("event notice %d: %w", r.ID, err)
		}
	}
	return out, nil
}
