package store

import (
	"context"
	"sort"
	"time"

	"github.com/hanoi-cnht/portal/models"
)

// The kinds of work in the staff review queue.
const (
	ReviewClaim       = "claim"
	ReviewProposal    = "proposal"
	ReviewCertificate = "certificate"
	ReviewEdit        = "edit"
)

// ReviewKinds lists the queue's kinds in the order the staff page shows their counts.
var ReviewKinds = []string{ReviewClaim, ReviewProposal, ReviewCertificate, ReviewEdit}

// ReviewItem is one thing waiting for the Department.
type ReviewItem struct {
	Kind     string
	Since    time.Time // when it started waiting; the queue is oldest first
	FirmID   uint      // 0 for a proposed firm
	FirmName string
	Claim    *models.Claim
	// Certificate and its scans, for kind certificate.
	Certificate *models.Certificate
	Scans       []models.CertificateScan
	// Changes are a firm's edits since staff last reviewed it, field by field (first old value,
	// last new value), for kind edit.
	Changes []models.FieldChange
}

// ReviewQueue lists what waits for staff, oldest first; kind "" lists every kind.
func (s *Store) ReviewQueue(ctx context.Context, a models.Actor, kind string) ([]ReviewItem, error) {
	if !a.IsStaff() {
		return nil, models.ErrForbidden
	}
	var items []ReviewItem
	db := s.db.WithContext(ctx)
	if kind == "" || kind == ReviewClaim || kind == ReviewProposal {
		claims, err := s.Claims(ctx, a, "")
		if err != nil {
			return nil, err
		}
		for i := range claims {
			c := &claims[i]
			it := ReviewItem{Kind: ReviewClaim, Since: c.CreatedAt, Claim: c}
			if c.FirmID == nil {
				it.Kind = ReviewProposal
			} else {
				it.FirmID = *c.FirmID
			}
			if kind == "" || kind == it.Kind {
				items = append(items, it)
			}
		}
	}
	if kind == "" || kind == ReviewCertificate {
		var certs []models.Certificate
		err := db.Where("state = ? AND EXISTS (SELECT 1 FROM certificate_scans s WHERE s.certificate_id = certificates.id)", models.CertClaimed).
			Find(&certs).Error
		if err != nil {
			return nil, err
		}
		for i := range certs {
			var scans []models.CertificateScan
			if err := db.Where("certificate_id = ?", certs[i].ID).Order("id").Find(&scans).Error; err != nil {
				return nil, err
			}
			items = append(items, ReviewItem{Kind: ReviewCertificate, Since: scans[len(scans)-1].UploadedAt,
				FirmID: certs[i].FirmID, Certificate: &certs[i], Scans: scans})
		}
	}
	if kind == "" || kind == ReviewEdit {
		var firms []models.Firm
		err := db.Select("id, name_vi, edited_at, reviewed_at").
			Where("edited_at IS NOT NULL AND (reviewed_at IS NULL OR edited_at > reviewed_at)").Find(&firms).Error
		if err != nil {
			return nil, err
		}
		for _, f := range firms {
			changes, since, err := s.editsSince(ctx, f.ID, f.ReviewedAt)
			if err != nil {
				return nil, err
			}
			items = append(items, ReviewItem{Kind: ReviewEdit, Since: since, FirmID: f.ID, FirmName: f.NameVI, Changes: changes})
		}
	}
	if err := s.nameFirms(ctx, items); err != nil {
		return nil, err
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].Since.Before(items[j].Since) })
	return items, nil
}

// editsSince folds the firm's own edits after the last review into one change per field.
func (s *Store) editsSince(ctx context.Context, firmID uint, reviewed *time.Time) ([]models.FieldChange, time.Time, error) {
	q := s.db.WithContext(ctx).Where("firm_id = ? AND action = ?", firmID, "firm.edit")
	if reviewed != nil {
		q = q.Where("at > ?", reviewed.UTC())
	}
	var events []models.AuditEvent
	if err := q.Order("id").Find(&events).Error; err != nil {
		return nil, time.Time{}, err
	}
	var since time.Time
	var out []models.FieldChange
	at := map[string]int{}
	for i, ev := range events {
		if i == 0 {
			since = ev.At
		}
		for _, c := range ev.Changes {
			if j, ok := at[c.Field]; ok {
				out[j].New = c.New
				continue
			}
			at[c.Field] = len(out)
			out = append(out, c)
		}
	}
	return out, since, nil
}

func (s *Store) nameFirms(ctx context.Context, items []ReviewItem) error {
	var ids []uint
	for _, it := range items {
		if it.FirmID != 0 && it.FirmName == "" {
			ids = append(ids, it.FirmID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var firms []models.Firm
	if err := s.db.WithContext(ctx).Select("id, name_vi").Where("id IN ?", ids).Find(&firms).Error; err != nil {
		return err
	}
	names := map[uint]string{}
	for _, f := range firms {
		names[f.ID] = f.NameVI
	}
	for i := range items {
		if items[i].FirmName == "" {
			items[i].FirmName = names[items[i].FirmID]
		}
	}
	return nil
}

// ReviewCounts counts the queue by kind, for the staff home page.
func (s *Store) ReviewCounts(ctx context.Context, a models.Actor) (map[string]int, error) {
	items, err := s.ReviewQueue(ctx, a, "")
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, it := range items {
		out[it.Kind]++
	}
	return out, nil
}
