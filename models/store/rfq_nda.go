package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/hanoi-cnht/portal/models"
)

// AcceptNDA records that a supplier member accepted, for the firm, the non-disclosure agreement
// the RFQ of the thread asks for; the firm then opens the buyer's attachments. Accepting again
// changes nothing. Only the firm's side accepts: the buyer gets models.ErrForbidden, an RFQ
// without an NDA models.ErrConflict.
func (s *Store) AcceptNDA(ctx context.Context, a models.Actor, threadID uint) error {
	now := s.now().UTC()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		v, err := loadThread(tx, a, threadID)
		if err != nil {
			return err
		}
		if v.Side != models.SideSupplier {
			return models.ErrForbidden
		}
		if !v.RFQ.NDA {
			return fmt.Errorf("%w: the request asks for no NDA", models.ErrConflict)
		}
		if v.Thread.NDAAcceptedAt != nil {
			return nil
		}
		if err := tx.Model(&models.RFQThread{}).Where("id = ?", threadID).
			Updates(map[string]any{"nda_accepted_at": now, "nda_accepted_by": a.Name, "updated_at": now}).Error; err != nil {
			return err
		}
		return writeAudit(tx, now, a, models.AuditEvent{Action: "rfq.nda_accept", EntityType: "rfq_thread",
			EntityID: idText(threadID), Changes: models.FieldChanges{{Field: "nda_accepted_by", New: a.Name}}})
	})
}

// MarkForwarded records that staff passed an RFQ on to a firm without an account; the buyer then
// reads when the Department forwarded it. Only staff mark, and only a thread the Department
// forwards (any other is models.ErrNotFound, as staff may not read it); marking it again
// changes nothing.
func (s *Store) MarkForwarded(ctx context.Context, a models.Actor, threadID uint) error {
	if !a.IsStaff() {
		return models.ErrForbidden
	}
	now := s.now().UTC()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var ths []models.RFQThread
		if err := tx.Where("id = ? AND forwarded = ?", threadID, true).Limit(1).Find(&ths).Error; err != nil {
			return err
		}
		if len(ths) == 0 {
			return models.ErrNotFound
		}
		if ths[0].ForwardedAt != nil {
			return nil
		}
		if err := tx.Model(&models.RFQThread{}).Where("id = ?", threadID).
			Updates(map[string]any{"forwarded_at": now, "forwarded_by": a.Name, "updated_at": now}).Error; err != nil {
			return err
		}
		return writeAudit(tx, now, a, models.AuditEvent{Action: "rfq.forwarded", EntityType: "rfq_thread",
			EntityID: idText(threadID), Changes: models.FieldChanges{{Field: "forwarded_by", New: a.Name}}})
	})
}

// ndaWithholds reports whether the supplier side may not yet open file f of thread th: the RFQ
// asks for an NDA the firm has not accepted, and the file is the buyer's (the request's own or
// one of the buyer's messages'), not one the firm sent itself.
func ndaWithholds(tx *gorm.DB, th *models.RFQThread, f *models.RFQFile) (bool, error) {
	var r models.RFQ
	if err := tx.Select("id", "nda").First(&r, th.RFQID).Error; err != nil {
		return false, err
	}
	if !th.NDAPending(&r) {
		return false, nil
	}
	if f.MessageID == nil {
		return true, nil
	}
	var n int64
	err := tx.Model(&models.RFQMessage{}).Where("id = ? AND side = ?", *f.MessageID, models.SideSupplier).Count(&n).Error
	return n == 0, err
}
