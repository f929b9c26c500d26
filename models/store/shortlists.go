package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/hanoi-cnht/portal/models"
)

// A buyer's shortlists are the buyer's alone: every method takes the actor and finds a list
// only among the actor's own, so another account's list id answers models.ErrNotFound, the same
// as one that does not exist. Audit rows of shortlists name no firm: a firm's history, which its
// owners read, must not tell them who shortlisted it.

// ShortlistSummary is a shortlist with how many suppliers it holds.
type ShortlistSummary struct {
	models.Shortlist
	Count int
}

// Shortlists lists the actor's shortlists by name.
func (s *Store) Shortlists(ctx context.Context, a models.Actor) ([]ShortlistSummary, error) {
	if !a.CanSource() {
		return nil, models.ErrForbidden
	}
	var out []ShortlistSummary
	err := s.db.WithContext(ctx).Model(&models.Shortlist{}).
		Select("shortlists.*, (SELECT count(*) FROM shortlist_items i WHERE i.shortlist_id = shortlists.id) AS count").
		Where("user_id = ?", a.UserID).Order("name, id").Scan(&out).Error
	return out, err
}

// CreateShortlist makes a new, empty shortlist for the actor.
func (s *Store) CreateShortlist(ctx context.Context, a models.Actor, name string) (*models.Shortlist, error) {
	if !a.CanSource() {
		return nil, models.ErrForbidden
	}
	name, err := models.CheckShortlistName(name)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	l := &models.Shortlist{UserID: a.UserID, Name: name, CreatedAt: now, UpdatedAt: now}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&models.Shortlist{}).Where("user_id = ?", a.UserID).Count(&n).Error; err != nil {
			return err
		}
		if n >= models.MaxShortlists {
			return fieldError("name", "validation.too_many", models.Args{"Count": n + 1, "Max": models.MaxShortlists})
		}
		if err := tx.Create(l).Error; err != nil {
			return err
		}
		return writeAudit(tx, now, a, models.AuditEvent{Action: "shortlist.create", EntityType: "shortlist",
			EntityID: idText(l.ID), Changes: models.FieldChanges{{Field: "name", New: name}}})
	})
	return l, err
}

// Shortlist loads one of the actor's shortlists with its suppliers, in the order they were added.
func (s *Store) Shortlist(ctx context.Context, a models.Actor, id uint) (*models.Shortlist, []models.ShortlistItem, error) {
	if !a.CanSource() {
		return nil, nil, models.ErrForbidden
	}
	db := s.db.WithContext(ctx)
	l, err := ownShortlist(db, a, id)
	if err != nil {
		return nil, nil, err
	}
	var items []models.ShortlistItem
	err = db.Where("shortlist_id = ?", id).Order("added_at, firm_id").Find(&items).Error
	return l, items, err
}

func ownShortlist(tx *gorm.DB, a models.Actor, id uint) (*models.Shortlist, error) {
	var ls []models.Shortlist
	if err := tx.Where("id = ? AND user_id = ?", id, a.UserID).Limit(1).Find(&ls).Error; err != nil {
		return nil, err
	}
	if len(ls) == 0 {
		return nil, models.ErrNotFound
	}
	return &ls[0], nil
}

// AddToShortlist puts a firm on one of the actor's shortlists with a note; a firm already on it
// keeps its place, and a note given replaces the old one.
func (s *Store) AddToShortlist(ctx context.Context, a models.Actor, listID, firmID uint, note string) error {
	if !a.CanSource() {
		return models.ErrForbidden
	}
	note, err := models.CheckShortlistNote(note)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := ownShortlist(tx, a, listID); err != nil {
			return err
		}
		if err := firmExists(tx, firmID); err != nil {
			return err
		}
		var have []models.ShortlistItem
		if err := tx.Where("shortlist_id = ? AND firm_id = ?", listID, firmID).Limit(1).Find(&have).Error; err != nil {
			return err
		}
		if len(have) > 0 {
			if note == "" || note == have[0].Note {
				return nil
			}
			return setNote(tx, now, a, listID, firmID, have[0].Note, note)
		}
		var n int64
		if err := tx.Model(&models.ShortlistItem{}).Where("shortlist_id = ?", listID).Count(&n).Error; err != nil {
			return err
		}
		if n >= models.MaxShortlistItems {
			return fieldError("firm", "validation.too_many", models.Args{"Count": n + 1, "Max": models.MaxShortlistItems})
		}
		if err := tx.Create(&models.ShortlistItem{ShortlistID: listID, FirmID: firmID, Note: note, AddedAt: now}).Error; err != nil {
			return err
		}
		if err := touchShortlist(tx, now, listID); err != nil {
			return err
		}
		return writeAudit(tx, now, a, models.AuditEvent{Action: "shortlist.add", EntityType: "shortlist",
			EntityID: idText(listID), Changes: models.FieldChanges{{Field: "firm", New: idText(firmID)}, {Field: "note", New: note}}})
	})
}

// SetShortlistNote changes the note on a supplier of one of the actor's shortlists.
func (s *Store) SetShortlistNote(ctx context.Context, a models.Actor, listID, firmID uint, note string) error {
	if !a.CanSource() {
		return models.ErrForbidden
	}
	note, err := models.CheckShortlistNote(note)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := ownShortlist(tx, a, listID); err != nil {
			return err
		}
		var have []models.ShortlistItem
		if err := tx.Where("shortlist_id = ? AND firm_id = ?", listID, firmID).Limit(1).Find(&have).Error; err != nil {
			return err
		}
		if len(have) == 0 {
			return models.ErrNotFound
		}
		if have[0].Note == note {
			return nil
		}
		return setNote(tx, now, a, listID, firmID, have[0].Note, note)
	})
}

func setNote(tx *gorm.DB, now time.Time, a models.Actor, listID, firmID uint, old, note string) error {
	if err := tx.Model(&models.ShortlistItem{}).Where("shortlist_id = ? AND firm_id = ?", listID, firmID).
		Update("note", note).Error; err != nil {
		return err
	}
	if err := touchShortlist(tx, now, listID); err != nil {
		return err
	}
	return writeAudit(tx, now, a, models.AuditEvent{Action: "shortlist.note", EntityType: "shortlist",
		EntityID: idText(listID), Changes: models.FieldChanges{{Field: "firm", New: idText(firmID)}, {Field: "note", Old: old, New: note}}})
}

// RemoveFromShortlist takes a firm off one of the actor's shortlists.
func (s *Store) RemoveFromShortlist(ctx context.Context, a models.Actor, listID, firmID uint) error {
	if !a.CanSource() {
		return models.ErrForbidden
	}
	now := s.now().UTC()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := ownShortlist(tx, a, listID); err != nil {
			return err
		}
		res := tx.Where("shortlist_id = ? AND firm_id = ?", listID, firmID).Delete(&models.ShortlistItem{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return models.ErrNotFound
		}
		if err := touchShortlist(tx, now, listID); err != nil {
			return err
		}
		return writeAudit(tx, now, a, models.AuditEvent{Action: "shortlist.remove", EntityType: "shortlist",
			EntityID: idText(listID), Changes: models.FieldChanges{{Field: "firm", Old: idText(firmID)}}})
	})
}

// DeleteShortlist deletes one of the actor's shortlists with its notes.
func (s *Store) DeleteShortlist(ctx context.Context, a models.Actor, listID uint) error {
	if !a.CanSource() {
		return models.ErrForbidden
	}
	now := s.now().UTC()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		l, err := ownShortlist(tx, a, listID)
		if err != nil {
			return err
		}
		if err := tx.Delete(&models.Shortlist{}, listID).Error; err != nil {
			return err
		}
		return writeAudit(tx, now, a, models.AuditEvent{Action: "shortlist.delete", EntityType: "shortlist",
			EntityID: idText(listID), Changes: models.FieldChanges{{Field: "name", Old: l.Name}}})
	})
}

// ShortlistsWithFirm lists the actor's shortlists that hold the firm, by id.
func (s *Store) ShortlistsWithFirm(ctx context.Context, a models.Actor, firmID uint) ([]uint, error) {
	if !a.CanSource() {
		return nil, nil
	}
	var ids []uint
	err := s.db.WithContext(ctx).Model(&models.ShortlistItem{}).
		Joins("JOIN shortlists ON shortlists.id = shortlist_items.shortlist_id").
		Where("shortlists.user_id = ? AND shortlist_items.firm_id = ?", a.UserID, firmID).
		Pluck("shortlist_items.shortlist_id", &ids).Error
	return ids, err
}

func touchShortlist(tx *gorm.DB, now time.Time, id uint) error {
	return tx.Model(&models.Shortlist{}).Where("id = ?", id).Update("updated_at", now).Error
}

func firmExists(tx *gorm.DB, firmID uint) error {
	var n int64
	if err := tx.Model(&models.Firm{}).Where("id = ?", firmID).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("firm %d: %w", firmID, models.ErrNotFound)
	}
	return nil
}

// fieldError is a validation error on one field.
func fieldError(field, key string, args models.Args) error {
	return &models.ValidationError{Fields: []models.FieldError{models.NewFieldError(field, key, args)}}
}
