package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/auth"
)

// Saved searches belong to one buyer, like shortlists; the alert job runs them as the system,
// and the unsubscribe link in every alert turns one off without signing in.

// SavedSearches lists the actor's saved searches by name.
func (s *Store) SavedSearches(ctx context.Context, a models.Actor) ([]models.SavedSearch, error) {
	if !a.CanSource() {
		return nil, models.ErrForbidden
	}
	var out []models.SavedSearch
	err := s.db.WithContext(ctx).Where("user_id = ?", a.UserID).Order("name, id").Find(&out).Error
	return out, err
}

// SaveSearch keeps a requirement of the find-suppliers page for the actor, with its alerts.
func (s *Store) SaveSearch(ctx context.Context, a models.Actor, in models.SavedSearchInput) (*models.SavedSearch, error) {
	if !a.CanSource() {
		return nil, models.ErrForbidden
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	token, _, err := auth.NewToken()
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	ss := &models.SavedSearch{UserID: a.UserID, Name: in.Name, Query: in.Query, Frequency: in.Frequency,
		UnsubscribeToken: token, CreatedAt: now}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&models.SavedSearch{}).Where("user_id = ?", a.UserID).Count(&n).Error; err != nil {
			return err
		}
		if n >= models.MaxSavedSearches {
			return fieldError("name", "validation.too_many", models.Args{"Count": n + 1, "Max": models.MaxSavedSearches})
		}
		if err := tx.Create(ss).Error; err != nil {
			return err
		}
		return writeAudit(tx, now, a, models.AuditEvent{Action: "saved_search.create", EntityType: "saved_search",
			EntityID: idText(ss.ID), Changes: models.FieldChanges{{Field: "name", New: ss.Name},
				{Field: "query", New: ss.Query}, {Field: "frequency", New: string(ss.Frequency)}}})
	})
	return ss, err
}

// SetAlertFrequency changes how often one of the actor's saved searches alerts.
func (s *Store) SetAlertFrequency(ctx context.Context, a models.Actor, id uint, f models.AlertFrequency) error {
	if !a.CanSource() {
		return models.ErrForbidden
	}
	if !models.ValidFrequency(f) {
		return fieldError("frequency", "validation.frequency", models.Args{"Value": string(f)})
	}
	return s.setFrequency(ctx, a, "user_id = ? AND id = ?", []any{a.UserID, id}, f)
}

// Unsubscribe turns off the alerts of the saved search whose link carries token; it returns the
// search. An unknown token is models.ErrTokenInvalid.
func (s *Store) Unsubscribe(ctx context.Context, token string) (*models.SavedSearch, error) {
	ss, err := s.SavedSearchByToken(ctx, token)
	if err != nil {
		return nil, err
	}
	if ss.Frequency == models.AlertOff {
		return ss, nil
	}
	err = s.setFrequency(ctx, models.SystemActor("unsubscribe link"), "id = ?", []any{ss.ID}, models.AlertOff)
	ss.Frequency = models.AlertOff
	return ss, err
}

// SavedSearchByToken finds the saved search whose unsubscribe link carries token.
func (s *Store) SavedSearchByToken(ctx context.Context, token string) (*models.SavedSearch, error) {
	if len(token) < 20 {
		return nil, models.ErrTokenInvalid
	}
	var out []models.SavedSearch
	if err := s.db.WithContext(ctx).Where("unsubscribe_token = ?", token).Limit(1).Find(&out).Error; err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, models.ErrTokenInvalid
	}
	return &out[0], nil
}

func (s *Store) setFrequency(ctx context.Context, a models.Actor, cond string, args []any, f models.AlertFrequency) error {
	now := s.now().UTC()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var ss []models.SavedSearch
		if err := tx.Where(cond, args...).Limit(1).Find(&ss).Error; err != nil {
			return err
		}
		if len(ss) == 0 {
			return models.ErrNotFound
		}
		if ss[0].Frequency == f {
			return nil
		}
		if err := tx.Model(&models.SavedSearch{}).Where("id = ?", ss[0].ID).Update("frequency", f).Error; err != nil {
			return err
		}
		return writeAudit(tx, now, a, models.AuditEvent{Action: "saved_search.frequency", EntityType: "saved_search",
			EntityID: idText(ss[0].ID), Changes: models.FieldChanges{{Field: "frequency", Old: string(ss[0].Frequency), New: string(f)}}})
	})
}

// DeleteSavedSearch deletes one of the actor's saved searches.
func (s *Store) DeleteSavedSearch(ctx context.Context, a models.Actor, id uint) error {
	if !a.CanSource() {
		return models.ErrForbidden
	}
	now := s.now().UTC()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Where("id = ? AND user_id = ?", id, a.UserID).Delete(&models.SavedSearch{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return models.ErrNotFound
		}
		return writeAudit(tx, now, a, models.AuditEvent{Action: "saved_search.delete", EntityType: "saved_search", EntityID: idText(id)})
	})
}

// DueSavedSearch is a saved search whose alert is due, with its owner.
type DueSavedSearch struct {
	Search models.SavedSearch
	User   models.User
}

// DueSavedSearches lists the saved searches with alerts on whose period has passed since they
// last ran (or that never ran), of accounts that can sign in, oldest first.
func (s *Store) DueSavedSearches(ctx context.Context, now time.Time, limit int) ([]DueSavedSearch, error) {
	db := s.db.WithContext(ctx)
	var list []models.SavedSearch
	due := func(f models.AlertFrequency) time.Time { return now.UTC().Add(-f.Period()) }
	err := db.Joins("JOIN users ON users.id = saved_searches.user_id").
		Where("users.disabled_at IS NULL").
		Where(db.Where("saved_searches.frequency = ? AND (saved_searches.last_run_at IS NULL OR saved_searches.last_run_at <= ?)",
			models.AlertDaily, due(models.AlertDaily)).
			Or("saved_searches.frequency = ? AND (saved_searches.last_run_at IS NULL OR saved_searches.last_run_at <= ?)",
				models.AlertWeekly, due(models.AlertWeekly))).
		Order("saved_searches.last_run_at, saved_searches.id").Limit(limit).Find(&list).Error
	if err != nil {
		return nil, err
	}
	out := make([]DueSavedSearch, 0, len(list))
	for _, ss := range list {
		u, err := s.UserByID(ctx, ss.UserID)
		if err != nil {
			return nil, err
		}
		out = append(out, DueSavedSearch{Search: ss, User: *u})
	}
	return out, nil
}

// AlertText words an alert: the mail's arguments for the suppliers that newly match, in the
// account's language.
type AlertText func(u *models.User, ss *models.SavedSearch, newFirms []uint) map[string]any

// RecordSavedSearchRun records the suppliers a saved search lists now and mails its owner those
// it did not list before (worded by text). The first run only records: the buyer saw that list
// when saving it. It returns how many suppliers were new.
func (s *Store) RecordSavedSearchRun(ctx context.Context, id uint, firmIDs []uint, text AlertText) (int, error) {
	now := s.now().UTC()
	var fresh []uint
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var ss models.SavedSearch
		if err := tx.First(&ss, id).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return models.ErrNotFound
			}
			return err
		}
		var seen []uint
		if err := tx.Model(&models.SavedSearchHit{}).Where("saved_search_id = ?", id).Pluck("firm_id", &seen).Error; err != nil {
			return err
		}
		known := make(map[uint]bool, len(seen))
		for _, f := range seen {
			known[f] = true
		}
		var hits []models.SavedSearchHit
		for _, f := range uniqueIDs(firmIDs) {
			if !known[f] {
				fresh = append(fresh, f)
				hits = append(hits, models.SavedSearchHit{SavedSearchID: id, FirmID: f, FirstSeenAt: now})
			}
		}
		if len(hits) > 0 {
			if err := tx.CreateInBatches(hits, 200).Error; err != nil {
				return err
			}
		}
		if err := tx.Model(&models.SavedSearch{}).Where("id = ?", id).Update("last_run_at", now).Error; err != nil {
			return err
		}
		if ss.LastRunAt == nil || len(fresh) == 0 || ss.Frequency == models.AlertOff {
			fresh = nil
			return nil
		}
		var u models.User
		if err := tx.First(&u, ss.UserID).Error; err != nil {
			return err
		}
		args := text(&u, &ss, fresh)
		args["Name"] = u.Name
		if err := s.queueFor(tx, now, u.Email, u.Lang, "mail.saved_search_alert", args); err != nil {
			return err
		}
		return writeAudit(tx, now, models.SystemActor("saved search alerts"), models.AuditEvent{Action: "saved_search.alert",
			EntityType: "saved_search", EntityID: idText(id), Changes: models.FieldChanges{{Field: "new_suppliers", New: idText(uint(len(fresh)))}}})
	})
	return len(fresh), err
}
