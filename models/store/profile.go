package store

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"github.com/hanoi-cnht/portal/models"
)

// UpdateProfile applies a firm's own edit of its profile: its members and staff may. The edit
// goes live at once and waits in the staff review queue; a change to the core facts lapses the
// Department's verification of the profile, and a change to a verified certificate's checked
// facts sends it back to claimed. It returns the field changes (none: nothing was written).
func (s *Store) UpdateProfile(ctx context.Context, a models.Actor, firmID uint, p models.ProfileUpdate) ([]models.FieldChange, error) {
	if !a.CanEditFirm(firmID) {
		return nil, models.ErrForbidden
	}
	old, err := s.FirmByID(ctx, firmID)
	if err != nil {
		return nil, err
	}
	ref := s.Reference()
	f, err := p.Apply(ref, old)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	batch := models.PlanFirms(ref, now, map[string]*models.Firm{old.TaxCode: old}, []*models.Firm{f})
	w := &batch.Writes[0]
	if w.Err != nil {
		return nil, w.Err
	}
	if w.Unchanged() {
		return nil, nil
	}
	byFirm := !a.IsStaff()
	if f.VerifiedAt != nil && byFirm && models.LapsesVerification(w.Changes) {
		f.VerifiedAt, f.VerifiedBy = nil, ""
		w.Changes = models.FirmChanges(old, f)
	}
	if byFirm {
		f.EditedAt = &now
	}
	err = s.transact(ctx, func(tx *gorm.DB, c *changeSet) error {
		if err := s.writeFirm(tx, w, map[string]bool{}); err != nil {
			return err
		}
		c.changed = []uint{firmID}
		ev := firmEvent(w, "")
		ev.Action = "firm.edit"
		return writeAudit(tx, now, a, ev)
	})
	if err != nil {
		return nil, err
	}
	return w.Changes, nil
}

// ReviewProfile records that staff reviewed a firm's edits; with verify the profile is marked
// verified by the Department. The firm's members are told, with the reason.
func (s *Store) ReviewProfile(ctx context.Context, a models.Actor, firmID uint, verify bool, reason string) error {
	if !a.IsStaff() {
		return models.ErrForbidden
	}
	now := s.now().UTC()
	reason = strings.TrimSpace(reason)
	return s.transact(ctx, func(tx *gorm.DB, c *changeSet) error {
		set := map[string]any{"reviewed_at": now}
		changes := models.FieldChanges{{Field: "reviewed", New: now.Format("2006-01-02")}}
		if verify {
			set["verified_at"], set["verified_by"], set["updated_at"] = now, a.Name, now
			changes = append(changes, models.FieldChange{Field: "verified_at", New: now.Format("2006-01-02T15:04:05Z")})
		}
		res := tx.Model(&models.Firm{}).Where("id = ?", firmID).Updates(set)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return models.ErrNotFound
		}
		if verify {
			c.changed = []uint{firmID}
		}
		fid := firmID
		action := "firm.review"
		if verify {
			action = "firm.verify"
		}
		if err := writeAudit(tx, now, a, models.AuditEvent{Action: action, EntityType: "firm", EntityID: idText(firmID),
			FirmID: &fid, Changes: changes, Reason: reason}); err != nil {
			return err
		}
		if !verify && reason == "" {
			return nil
		}
		return s.queueForMembers(tx, now, firmID, "mail.profile_reviewed", map[string]any{"Verified": verify, "Reason": reason, "FirmID": firmID})
	})
}
