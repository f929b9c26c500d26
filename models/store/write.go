package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/hanoi-cnht/portal/models"
)

// SaveFirms writes whole firm records: a firm whose tax code is stored replaces that record,
// others are created. It loads the stored firms once, plans the batch (normalising, checking and
// comparing each firm once) and writes it; nothing is written if any firm is invalid. It returns
// the ids of the firms actually written.
func (s *Store) SaveFirms(ctx context.Context, firms []*models.Firm) ([]uint, error) {
	codes := make([]string, len(firms))
	for i, f := range firms {
		codes[i] = strings.TrimSpace(f.TaxCode)
	}
	stored, err := s.StoredFirms(ctx, codes)
	if err != nil {
		return nil, err
	}
	return s.WriteFirms(ctx, models.PlanFirms(s.Reference(), s.now(), stored, firms))
}

// SaveFirm writes one whole firm record, created or replaced by tax code.
func (s *Store) SaveFirm(ctx context.Context, f *models.Firm) error {
	_, err := s.SaveFirms(ctx, []*models.Firm{f})
	return err
}

// Now is the store's clock, which plans and dated rules should use.
func (s *Store) Now() time.Time { return s.now() }

// WriteFirms writes a planned batch in one transaction: new firms are created, changed firms
// replaced, unchanged firms left as they are (their update time stays). A stored firm that
// another writer changed since the batch was planned makes the whole batch fail with
// models.ErrConflict; so does a tax code another writer created meanwhile. It returns the ids of
// the firms written.
func (s *Store) WriteFirms(ctx context.Context, b *models.FirmBatch) ([]uint, error) {
	if err := b.Err(); err != nil {
		return nil, err
	}
	a := b.Actor
	if a.UserID == 0 && !a.System {
		a = models.SystemActor("system")
	}
	if !a.IsStaff() {
		return nil, models.ErrForbidden
	}
	now := s.now().UTC()
	var changed []uint
	var events []models.AuditEvent
	err := s.transact(ctx, func(tx *gorm.DB, c *changeSet) error {
		slugs := map[string]bool{}
		for i := range b.Writes {
			w := &b.Writes[i]
			if w.Unchanged() {
				continue
			}
			if err := s.writeFirm(tx, w, slugs); err != nil {
				return err
			}
			changed = append(changed, w.Firm.ID)
			c.changed = changed
			// The sample generator's firms are recorded by one row a batch, below.
			if b.SampleNext == 0 {
				events = append(events, auditRow(now, a, firmEvent(w, b.CorrelationID)))
			}
		}
		if len(events) > 0 {
			if err := tx.CreateInBatches(events, 200).Error; err != nil {
				return err
			}
		}
		if b.SampleNext > 0 && len(changed) > 0 {
			err := writeAudit(tx, now, a, models.AuditEvent{Action: "firm.sample", EntityType: "firm", EntityID: "sample",
				CorrelationID: b.CorrelationID, Changes: models.FieldChanges{{Field: "firms", New: strconv.Itoa(len(changed))}}})
			if err != nil {
				return err
			}
		}
		if b.SampleNext > 0 {
			row := metaRow{Key: models.SampleNextKey, Value: strconv.Itoa(b.SampleNext)}
			return tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return nil, fmt.Errorf("%w: %v", models.ErrConflict, err)
		}
		return nil, err
	}
	return changed, nil
}

// firmEvent is the audit row of one firm written by a batch.
func firmEvent(w *models.FirmWrite, correlation string) models.AuditEvent {
	action, changes := "firm.update", w.Changes
	if w.Stored == nil {
		action, changes = "firm.create", models.FirmChanges(nil, w.Firm)
	}
	id := w.Firm.ID
	return models.AuditEvent{Action: action, EntityType: "firm", EntityID: idText(id), FirmID: &id,
		Changes: changes, CorrelationID: correlation}
}

var firmChildren = []string{"Sites", "Certificates", "Recognitions", "Equipment"}

// writeFirm creates or replaces one firm inside tx.
func (s *Store) writeFirm(tx *gorm.DB, w *models.FirmWrite, slugs map[string]bool) error {
	f := w.Firm
	if old := w.Stored; old != nil {
		// Replace only the record that was planned against: another writer's change in between
		// would otherwise be lost without anyone knowing.
		res := tx.Model(f).Where("updated_at = ?", old.UpdatedAt).Select("*").Omit(append([]string{"ID", "CreatedAt"}, firmChildren...)...).Updates(f)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("%w: firm %s was changed by someone else; load it again", models.ErrConflict, f.TaxCode)
		}
		for _, child := range []any{&models.Site{}, &models.Recognition{}, &models.Equipment{}, &firmTerm{}} {
			if err := tx.Where("firm_id = ?", f.ID).Delete(child).Error; err != nil {
				return err
			}
		}
		return writeChildren(tx, f, old.Certificates)
	} else {
		slug, err := uniqueSlug(tx, f, slugs)
		if err != nil {
			return err
		}
		f.ID, f.Slug = 0, slug
		if err := tx.Omit(firmChildren...).Create(f).Error; err != nil {
			return err
		}
	}
	return writeChildren(tx, f, nil)
}

// writeChildren writes the firm's lists. Certificates keep their rows (their scans and audit
// history point at them): one whose id was stored for this firm is updated in place, the others
// are created, and stored ones no longer listed are removed.
func writeChildren(tx *gorm.DB, f *models.Firm, storedCerts []models.Certificate) error {
	for i := range f.Sites {
		f.Sites[i].ID, f.Sites[i].FirmID, f.Sites[i].Position = 0, f.ID, i
	}
	for i := range f.Recognitions {
		f.Recognitions[i].ID, f.Recognitions[i].FirmID = 0, f.ID
	}
	for i := range f.Equipment {
		f.Equipment[i].ID, f.Equipment[i].FirmID, f.Equipment[i].Position = 0, f.ID, i
	}
	if err := writeCertificates(tx, f, storedCerts); err != nil {
		return err
	}
	links := make([]firmTerm, len(f.Terms))
	for i, t := range f.Terms {
		links[i] = firmTerm{FirmID: f.ID, TermCode: t.Code, Position: i}
	}
	if err := createRows(tx, f.Sites); err != nil {
		return err
	}
	if err := createRows(tx, f.Recognitions); err != nil {
		return err
	}
	if err := createRows(tx, f.Equipment); err != nil {
		return err
	}
	return createRows(tx, links)
}

func writeCertificates(tx *gorm.DB, f *models.Firm, stored []models.Certificate) error {
	keep := make(map[uint]bool, len(stored))
	for _, c := range stored {
		keep[c.ID] = false
	}
	var created []models.Certificate
	for i := range f.Certificates {
		c := &f.Certificates[i]
		c.FirmID, c.Position = f.ID, i
		if kept, ok := keep[c.ID]; ok && !kept && c.ID != 0 {
			keep[c.ID] = true
			if err := tx.Model(c).Select("*").Updates(c).Error; err != nil {
				return err
			}
			continue
		}
		c.ID = 0
		created = append(created, *c)
	}
	var gone []uint
	for id, kept := range keep {
		if !kept {
			gone = append(gone, id)
		}
	}
	if len(gone) > 0 {
		if err := tx.Where("firm_id = ? AND id IN ?", f.ID, gone).Delete(&models.Certificate{}).Error; err != nil {
			return err
		}
	}
	if err := createRows(tx, created); err != nil {
		return err
	}
	// Give the new rows' ids back to the firm.
	n := 0
	for i := range f.Certificates {
		if f.Certificates[i].ID == 0 {
			f.Certificates[i].ID = created[n].ID
			n++
		}
	}
	return nil
}

func createRows[T any](tx *gorm.DB, rows []T) error {
	if len(rows) == 0 {
		return nil
	}
	return tx.Create(&rows).Error
}

// DeleteFirm removes a firm and everything on it; staff only.
func (s *Store) DeleteFirm(ctx context.Context, a models.Actor, id uint, reason string) error {
	if !a.IsStaff() {
		return models.ErrForbidden
	}
	return s.transact(ctx, func(tx *gorm.DB, c *changeSet) error {
		for _, child := range []any{&models.Site{}, &models.Certificate{}, &models.Recognition{}, &models.Equipment{}, &firmTerm{}} {
			if err := tx.Where("firm_id = ?", id).Delete(child).Error; err != nil {
				return err
			}
		}
		res := tx.Delete(&models.Firm{}, id)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return models.ErrNotFound
		}
		c.deleted = []uint{id}
		return writeAudit(tx, s.now(), a, models.AuditEvent{Action: "firm.delete", EntityType: "firm", EntityID: idText(id), Reason: reason})
	})
}

func uniqueSlug(tx *gorm.DB, f *models.Firm, taken map[string]bool) (string, error) {
	base := models.BaseSlug(f)
	for _, slug := range []string{base, base + "-" + strings.ReplaceAll(f.TaxCode, "-", "")} {
		if taken[slug] {
			continue
		}
		var n int64
		if err := tx.Model(&models.Firm{}).Where("slug = ?", slug).Count(&n).Error; err != nil {
			return "", err
		}
		if n == 0 {
			taken[slug] = true
			return slug, nil
		}
	}
	return "", fmt.Errorf("%w: slug for tax code %s is taken", models.ErrConflict, f.TaxCode)
}
