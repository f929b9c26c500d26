package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
)

// ErrSnapshotUnsupported is returned by Snapshot and CheckIntegrity for a database the portal
// cannot copy itself: PostgreSQL is backed up with its own tools (pg_dump, pg_restore).
var ErrSnapshotUnsupported = errors.New("the database is PostgreSQL: back it up with pg_dump and restore it with pg_restore")

// Dialect names the database behind the store: "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.dialect }

// Snapshot writes a consistent copy of the whole SQLite database to path, which must not exist
// yet or be an empty file. VACUUM INTO reads inside one transaction, so writers carry on while
// it runs and the copy holds exactly the transactions committed when it began.
func (s *Store) Snapshot(ctx context.Context, path string) error {
	if s.dialect != "sqlite" {
		return ErrSnapshotUnsupported
	}
	if info, err := os.Stat(path); err == nil && info.Size() > 0 {
		return fmt.Errorf("snapshot: %s already exists and is not empty", path)
	}
	if err := s.db.WithContext(ctx).Exec("VACUUM INTO ?", path).Error; err != nil {
		return fmt.Errorf("snapshot the database into %s: %w", path, err)
	}
	return nil
}

// CheckIntegrity runs SQLite's integrity check over the whole database and returns an error
// listing what it found wrong.
func (s *Store) CheckIntegrity(ctx context.Context) error {
	if s.dialect != "sqlite" {
		return ErrSnapshotUnsupported
	}
	var rows []string
	if err := s.db.WithContext(ctx).Raw("PRAGMA integrity_check").Scan(&rows).Error; err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	if len(rows) == 1 && rows[0] == "ok" {
		return nil
	}
	return fmt.Errorf("integrity check failed: %s", strings.Join(rows, "; "))
}

// SchemaVersion is the number of the last schema step applied to the database.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v *int
	if err := s.db.WithContext(ctx).Raw("SELECT max(version) FROM schema_migrations").Scan(&v).Error; err != nil {
		return 0, fmt.Errorf("read the schema version: %w", err)
	}
	if v == nil {
		return 0, nil
	}
	return *v, nil
}

// KnownSchemaVersion is the number of the last schema step this build of the portal has for
// dialect: a database with a later step was written by a newer portal.
func KnownSchemaVersion(dialect string) (int, error) {
	steps, err := loadMigrations(dialect)
	if err != nil {
		return 0, err
	}
	return len(steps), nil
}
