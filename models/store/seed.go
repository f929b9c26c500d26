package store

import (
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/hanoi-cnht/portal/models"
)

// seedReference adds the built-in reference rows that are not stored yet.
func (s *Store) seedReference() error {
	terms, districts, zones, corridors, standards, wards, err := models.BuiltinReferenceRows()
	if err != nil {
		return fmt.Errorf("built-in reference data: %w", err)
	}
	return s.db.Transaction(func(tx *gorm.DB) error {
		ins := tx.Clauses(clause.OnConflict{DoNothing: true})
		for _, rows := range []any{&terms, &districts, &zones, &corridors, &standards, &wards} {
			if err := ins.CreateInBatches(rows, 200).Error; err != nil {
				return fmt.Errorf("seed reference data: %w", err)
			}
		}
		return nil
	})
}
