package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/event"
)

// eventRow is an event as stored: days, tables and languages as JSON, read and written whole.
type eventRow struct {
	ID                                                                 uint `gorm:"primaryKey"`
	NameVI, NameEN, Venue                                              string
	Days                                                               []event.Day           `gorm:"serializer:json"`
	Tables                                                             []event.Table         `gorm:"serializer:json"`
	Languages                                                          []event.LanguageOffer `gorm:"serializer:json"`
	RegistrationOpens, RegistrationCloses, RequestsOpen, RequestsClose time.Time
	AnswerWithinMinutes, MaxMeetings, MaxPerSession                    int
	Direction                                                          string
	MaxBuyers, MaxSuppliers                                            int
	FollowUpDays                                                       int
	PublishedAt                                                        *time.Time
	CreatedAt, UpdatedAt                                               time.Time
}

func (eventRow) TableName() string { return "events" }

func (r *eventRow) record() *event.Record {
	in := func(t time.Time) time.Time { return t.In(models.Hanoi) }
	return &event.Record{ID: r.ID, Event: event.Event{NameVI: r.NameVI, NameEN: r.NameEN, Venue: r.Venue,
		Days: r.Days, Tables: r.Tables, Languages: r.Languages,
		RegistrationOpens: in(r.RegistrationOpens), RegistrationCloses: in(r.RegistrationCloses),
		RequestsOpen: in(r.RequestsOpen), RequestsClose: in(r.RequestsClose),
		AnswerWithin: time.Duration(r.AnswerWithinMinutes) * time.Minute,
		MaxMeetings:  r.MaxMeetings, MaxPerSession: r.MaxPerSession, Direction: event.Direction(r.Direction)},
		MaxBuyers: r.MaxBuyers, MaxSuppliers: r.MaxSuppliers, FollowUpDays: r.FollowUpDays, PublishedAt: r.PublishedAt,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func eventRowOf(r *event.Record) eventRow {
	return eventRow{ID: r.ID, NameVI: r.NameVI, NameEN: r.NameEN, Venue: r.Venue, Days: r.Days, Tables: r.Tables,
		Languages: r.Languages, RegistrationOpens: dbTime(r.RegistrationOpens), RegistrationCloses: dbTime(r.RegistrationCloses),
		RequestsOpen: dbTime(r.RequestsOpen), RequestsClose: dbTime(r.RequestsClose),
		AnswerWithinMinutes: int(r.AnswerWithin / time.Minute), MaxMeetings: r.MaxMeetings, MaxPerSession: r.MaxPerSession,
		Direction: string(r.Direction), MaxBuyers: r.MaxBuyers, MaxSuppliers: r.MaxSuppliers, FollowUpDays: r.FollowUpAfter(),
		PublishedAt: r.PublishedAt, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// CreateEvent stores a new event; staff only.
func (s *Store) CreateEvent(ctx context.Context, a models.Actor, in event.Record) (*event.Record, error) {
	if !a.IsStaff() {
		return nil, models.ErrForbidden
	}
	if err := in.ValidateRecord(); err != nil {
		return nil, err
	}
	now := s.now()
	row := eventRowOf(&in)
	row.ID, row.PublishedAt, row.CreatedAt, row.UpdatedAt = 0, nil, now, now
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return writeAudit(tx, now, a, models.AuditEvent{Action: "event.create", EntityType: "event", EntityID: idText(row.ID),
			Changes: models.FieldChanges{{Field: "name_vi", New: row.NameVI}, {Field: "name_en", New: row.NameEN}}})
	})
	if err != nil {
		return nil, err
	}
	return row.record(), nil
}

// UpdateEvent replaces an event's settings; staff only. Registrations, requests and the
// schedule stay; the next run of the scheduler fits the schedule to the new days and tables and
// reports every meeting that moves.
func (s *Store) UpdateEvent(ctx context.Context, a models.Actor, id uint, in event.Record) (*event.Record, error) {
	if !a.IsStaff() {
		return nil, models.ErrForbidden
	}
	if err := in.ValidateRecord(); err != nil {
		return nil, err
	}
	now := s.now()
	var out *event.Record
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var old eventRow
		if err := first(tx, &old, id); err != nil {
			return err
		}
		row := eventRowOf(&in)
		row.ID, row.PublishedAt, row.CreatedAt, row.UpdatedAt = id, old.PublishedAt, old.CreatedAt, now
		if err := tx.Save(&row).Error; err != nil {
			return err
		}
		out = row.record()
		return writeAudit(tx, now, a, models.AuditEvent{Action: "event.update", EntityType: "event", EntityID: idText(id),
			Changes: eventChanges(old.record(), out)})
	})
	return out, err
}

// eventChanges lists what an edit changed, field by field, in words staff read in the log.
func eventChanges(old, new *event.Record) models.FieldChanges {
	var out models.FieldChanges
	add := func(field, o, n string) {
		if o != n {
			out = append(out, models.FieldChange{Field: field, Old: o, New: n})
		}
	}
	add("name_vi", old.NameVI, new.NameVI)
	add("name_en", old.NameEN, new.NameEN)
	add("venue", old.Venue, new.Venue)
	add("days", fmt.Sprint(len(old.Days)), fmt.Sprint(len(new.Days)))
	add("slots", fmt.Sprint(len(old.Slots())), fmt.Sprint(len(new.Slots())))
	add("tables", fmt.Sprint(len(old.Tables)), fmt.Sprint(len(new.Tables)))
	add("registration_closes", old.RegistrationCloses.UTC().String(), new.RegistrationCloses.UTC().String())
	add("requests_close", old.RequestsClose.UTC().String(), new.RequestsClose.UTC().String())
	add("max_meetings", fmt.Sprint(old.MaxMeetings), fmt.Sprint(new.MaxMeetings))
	add("direction", string(old.Direction), string(new.Direction))
	add("max_buyers", fmt.Sprint(old.MaxBuyers), fmt.Sprint(new.MaxBuyers))
	add("max_suppliers", fmt.Sprint(old.MaxSuppliers), fmt.Sprint(new.MaxSuppliers))
	add("follow_up_days", fmt.Sprint(old.FollowUpAfter()), fmt.Sprint(new.FollowUpAfter()))
	return out
}

// EventByID returns an event; events are public.
func (s *Store) EventByID(ctx context.Context, id uint) (*event.Record, error) {
	var row eventRow
	if err := first(s.db.WithContext(ctx), &row, id); err != nil {
		return nil, err
	}
	return row.record(), nil
}

// Events lists every event, the latest first.
func (s *Store) Events(ctx context.Context) ([]*event.Record, error) {
	var rows []eventRow
	if err := s.db.WithContext(ctx).Order("registration_opens DESC, id DESC").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]*event.Record, len(rows))
	for i := range rows {
		out[i] = rows[i].record()
	}
	return out, nil
}

// first reads the row with id into dst, or models.ErrNotFound.
func first(tx *gorm.DB, dst any, id uint) error {
	err := tx.First(dst, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return models.ErrNotFound
	}
	return err
}
