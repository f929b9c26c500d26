package models

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// migration is one ordered schema step, recorded once applied.
type migration struct {
	version int
	name    string
	apply   func(tx *gorm.DB) error
}

// migrations run in order; add new steps at the end and never edit an applied one. Additive
// changes may use AutoMigrate; anything else is an explicit statement.
var migrations = []migration{
	{1, "initial schema", func(tx *gorm.DB) error {
		return tx.AutoMigrate(&Meta{}, &Term{}, &District{}, &Zone{}, &Corridor{}, &Standard{}, &Ward{},
			&Firm{}, &Site{}, &Certificate{}, &Recognition{}, &FirmTerm{})
	}},
}

// SchemaMigration records an applied migration.
type SchemaMigration struct {
	Version   int `gorm:"primaryKey"`
	Name      string
	AppliedAt time.Time
}

func (s *Store) migrate() error {
	if err := s.db.AutoMigrate(&SchemaMigration{}); err != nil {
		return fmt.Errorf("migrations table: %w", err)
	}
	var applied []int
	if err := s.db.Model(&SchemaMigration{}).Pluck("version", &applied).Error; err != nil {
		return err
	}
	done := map[int]bool{}
	for _, v := range applied {
		done[v] = true
	}
	for _, m := range migrations {
		if done[m.version] {
			continue
		}
		err := s.db.Transaction(func(tx *gorm.DB) error {
			if err := m.apply(tx); err != nil {
				return err
			}
			return tx.Create(&SchemaMigration{Version: m.version, Name: m.name, AppliedAt: time.Now().UTC()}).Error
		})
		if err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
		}
	}
	return nil
}
