package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/hanoi-cnht/portal/models"
)

// certificateOf loads a certificate with the firm it belongs to.
func (s *Store) certificateOf(db *gorm.DB, certID uint) (*models.Certificate, error) {
	var cs []models.Certificate
	if err := db.Where("id = ?", certID).Limit(1).Find(&cs).Error; err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, models.ErrNotFound
	}
	return &cs[0], nil
}

// DecideCertificate records staff's decision on a certificate: verified (with how and a note),
// rejected or revoked (with the reason the firm reads). The firm's members are told by mail.
func (s *Store) DecideCertificate(ctx context.Context, a models.Actor, certID uint, d models.CertificateDecision) error {
	if !a.IsStaff() {
		return models.ErrForbidden
	}
	if err := d.Validate(); err != nil {
		return err
	}
	now := s.now().UTC()
	return s.transact(ctx, func(tx *gorm.DB, ch *changeSet) error {
		c, err := s.certificateOf(tx, certID)
		if err != nil {
			return err
		}
		ch.changed = []uint{c.FirmID}
		old := *c
		switch d.Action {
		case "verify":
			c.State, c.VerifiedAt, c.VerifiedBy, c.VerificationMethod = models.CertVerified, &now, a.Name, d.Method
		case "reject":
			c.State, c.VerifiedAt, c.VerifiedBy, c.VerificationMethod = models.CertRejected, nil, a.Name, ""
		case "revoke":
			c.State, c.VerifiedBy = models.CertRevoked, a.Name
		}
		c.DecisionNote = d.Note
		if err := tx.Model(c).Select("state", "verified_at", "verified_by", "verification_method", "decision_note").Updates(c).Error; err != nil {
			return err
		}
		if err := tx.Model(&models.Firm{}).Where("id = ?", c.FirmID).Update("updated_at", now).Error; err != nil {
			return err
		}
		fid := c.FirmID
		changes := models.FirmChanges(&models.Firm{Certificates: []models.Certificate{old}}, &models.Firm{Certificates: []models.Certificate{*c}})
		if err := writeAudit(tx, now, a, models.AuditEvent{Action: "certificate." + d.Action, EntityType: "certificate",
			EntityID: idText(c.ID), FirmID: &fid, Changes: changes, Reason: d.Note}); err != nil {
			return err
		}
		return s.queueForMembers(tx, now, c.FirmID, "mail.certificate_"+d.Action, map[string]any{
			"Standard": c.Label(), "Note": d.Note, "FirmID": c.FirmID})
	})
}

// AddScan records an uploaded scan of a certificate, already stored under scan.StoredName by the
// caller; the firm's members and staff may add scans.
func (s *Store) AddScan(ctx context.Context, a models.Actor, certID uint, scan models.CertificateScan) (*models.CertificateScan, error) {
	now := s.now().UTC()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		c, err := s.certificateOf(tx, certID)
		if err != nil {
			return err
		}
		if !a.CanEditFirm(c.FirmID) {
			return models.ErrForbidden
		}
		scan.ID, scan.CertificateID, scan.FirmID, scan.UploadedAt = 0, c.ID, c.FirmID, now
		if a.UserID != 0 {
			uid := a.UserID
			scan.UploadedBy = &uid
		}
		if err := tx.Create(&scan).Error; err != nil {
			return err
		}
		fid := c.FirmID
		return writeAudit(tx, now, a, models.AuditEvent{Action: "certificate.scan", EntityType: "certificate", EntityID: idText(c.ID),
			FirmID: &fid, Changes: models.FieldChanges{{Field: "scan", New: fmt.Sprintf("%s (%d bytes)", scan.OriginalName, scan.Size)}}})
	})
	return &scan, err
}

// Scans lists a firm's certificate scans for the actor, who must be a member or staff.
func (s *Store) Scans(ctx context.Context, a models.Actor, firmID uint) ([]models.CertificateScan, error) {
	if !a.CanReadEvidence(firmID) {
		return nil, models.ErrForbidden
	}
	var out []models.CertificateScan
	err := s.db.WithContext(ctx).Where("firm_id = ?", firmID).Order("certificate_id, id").Find(&out).Error
	return out, err
}

// Scan returns one scan if the actor may read it; another firm's scan is not found, so its id
// says nothing.
func (s *Store) Scan(ctx context.Context, a models.Actor, scanID uint) (*models.CertificateScan, error) {
	var out []models.CertificateScan
	if err := s.db.WithContext(ctx).Where("id = ?", scanID).Limit(1).Find(&out).Error; err != nil {
		return nil, err
	}
	if len(out) == 0 || !a.CanReadEvidence(out[0].FirmID) {
		return nil, models.ErrNotFound
	}
	return &out[0], nil
}

// reminderDays are how long before expiry the firm's members are reminded, each once.
var reminderDays = []int{60, 30}

// SendExpiryReminders queues the mails for certificates that expire within 60 and 30 days (in
// Hanoi), each reminder once per certificate and expiry date; it returns how many were queued.
func (s *Store) SendExpiryReminders(ctx context.Context) (int, error) {
	now := s.now()
	today := models.Today(now)
	sent := 0
	for _, days := range reminderDays {
		limit := today.AddDate(0, 0, days).Format(time.DateOnly)
		var certs []models.Certificate
		err := s.db.WithContext(ctx).
			Where("expires IS NOT NULL AND expires >= ? AND expires <= ? AND state <> 'rejected' AND state <> 'revoked'", today.String(), limit).
			Where("NOT EXISTS (SELECT 1 FROM reminders_sent r WHERE r.certificate_id = certificates.id AND r.days = ? AND r.expires = certificates.expires)", days).
			Find(&certs).Error
		if err != nil {
			return sent, err
		}
		for _, c := range certs {
			err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
				res := tx.Exec("INSERT INTO reminders_sent (certificate_id, days, expires, sent_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
					c.ID, days, c.Expires.String(), now.UTC())
				if res.Error != nil || res.RowsAffected == 0 {
					return res.Error
				}
				sent++
				return s.queueForMembers(tx, now.UTC(), c.FirmID, "mail.certificate_expiring", map[string]any{
					"Standard": c.Label(), "Expires": c.Expires.String(), "Days": days, "FirmID": c.FirmID})
			})
			if err != nil {
				return sent, err
			}
		}
	}
	return sent, nil
}
