package store

import (
	"context"

	"gorm.io/gorm"

	"github.com/hanoi-cnht/portal/models"
)

// FirmByID loads one firm with everything on it.
func (s *Store) FirmByID(ctx context.Context, id uint) (*models.Firm, error) {
	return s.firmWhere(ctx, "id = ?", id)
}

// FirmByTaxCode loads the firm with the tax code.
func (s *Store) FirmByTaxCode(ctx context.Context, taxCode string) (*models.Firm, error) {
	return s.firmWhere(ctx, "tax_code = ?", taxCode)
}

// FirmBySlug loads the firm with the slug.
func (s *Store) FirmBySlug(ctx context.Context, slug string) (*models.Firm, error) {
	return s.firmWhere(ctx, "slug = ?", slug)
}

func (s *Store) firmWhere(ctx context.Context, cond string, arg any) (*models.Firm, error) {
	var firms []*models.Firm
	if err := s.preload(s.db.WithContext(ctx)).Where(cond, arg).Limit(1).Find(&firms).Error; err != nil {
		return nil, err
	}
	if len(firms) == 0 {
		return nil, models.ErrNotFound
	}
	if err := s.loadTerms(s.db.WithContext(ctx), firms); err != nil {
		return nil, err
	}
	return firms[0], nil
}

// FirmsByIDs loads the firms with the ids, in the order of ids; missing ids are skipped.
func (s *Store) FirmsByIDs(ctx context.Context, ids []uint) ([]*models.Firm, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var firms []*models.Firm
	if err := s.preload(s.db.WithContext(ctx)).Where("id IN ?", ids).Find(&firms).Error; err != nil {
		return nil, err
	}
	if err := s.loadTerms(s.db.WithContext(ctx), firms); err != nil {
		return nil, err
	}
	byID := make(map[uint]*models.Firm, len(firms))
	for _, f := range firms {
		byID[f.ID] = f
	}
	out := make([]*models.Firm, 0, len(firms))
	for _, id := range ids {
		if f, ok := byID[id]; ok {
			out = append(out, f)
		}
	}
	return out, nil
}

// LatestFirms returns the n most recently updated firms.
func (s *Store) LatestFirms(ctx context.Context, n int) ([]*models.Firm, error) {
	var ids []uint
	if err := s.db.WithContext(ctx).Model(&models.Firm{}).Order("updated_at DESC, id DESC").Limit(n).Pluck("id", &ids).Error; err != nil {
		return nil, err
	}
	return s.FirmsByIDs(ctx, ids)
}

// EachFirm calls fn with every firm, in batches of size in id order, stopping at fn's first error.
func (s *Store) EachFirm(ctx context.Context, size int, fn func([]*models.Firm) error) error {
	var last uint
	for {
		var ids []uint
		if err := s.db.WithContext(ctx).Model(&models.Firm{}).Where("id > ?", last).Order("id").Limit(size).Pluck("id", &ids).Error; err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		firms, err := s.FirmsByIDs(ctx, ids)
		if err != nil {
			return err
		}
		if err := fn(firms); err != nil {
			return err
		}
		last = ids[len(ids)-1]
	}
}

// StoredFirms loads, a chunk at a time, the stored firms with the given tax codes, keyed by tax
// code.
func (s *Store) StoredFirms(ctx context.Context, taxCodes []string) (map[string]*models.Firm, error) {
	db := s.db.WithContext(ctx)
	out := make(map[string]*models.Firm, len(taxCodes))
	for start := 0; start < len(taxCodes); start += 500 {
		var stored []*models.Firm
		if err := s.preload(db).Where("tax_code IN ?", taxCodes[start:min(start+500, len(taxCodes))]).Find(&stored).Error; err != nil {
			return nil, err
		}
		if err := s.loadTerms(db, stored); err != nil {
			return nil, err
		}
		for _, f := range stored {
			out[f.TaxCode] = f
		}
	}
	return out, nil
}

func (s *Store) preload(db *gorm.DB) *gorm.DB {
	return db.
		Preload("Sites", func(db *gorm.DB) *gorm.DB { return db.Order("position") }).
		Preload("Certificates", func(db *gorm.DB) *gorm.DB { return db.Order("position") }).
		Preload("Recognitions", func(db *gorm.DB) *gorm.DB { return db.Order("year DESC, id") }).
		Preload("Equipment", func(db *gorm.DB) *gorm.DB { return db.Order("position") })
}

// loadTerms fills each firm's Terms from the link table and the in-memory taxonomy.
func (s *Store) loadTerms(db *gorm.DB, firms []*models.Firm) error {
	if len(firms) == 0 {
		return nil
	}
	ids := make([]uint, len(firms))
	byID := make(map[uint]*models.Firm, len(firms))
	for i, f := range firms {
		ids[i] = f.ID
		byID[f.ID] = f
		f.Terms = nil
	}
	var links []firmTerm
	if err := db.Where("firm_id IN ?", ids).Order("firm_id, position").Find(&links).Error; err != nil {
		return err
	}
	ref := s.Reference()
	for _, l := range links {
		if t, ok := ref.Term(l.TermCode); ok {
			byID[l.FirmID].Terms = append(byID[l.FirmID].Terms, t)
		}
	}
	return nil
}
