package store

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// migrations holds the schema as ordered SQL steps per dialect, named NNNN_what.sql. A step is
// never edited once released; a change to the schema is a new step at the end.
//
//go:embed migrations
var migrations embed.FS

// migration is one ordered schema step.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads the steps of one dialect in order.
func loadMigrations(dialect string) ([]migration, error) {
	dir := path.Join("migrations", dialect)
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migration file %s is not named NNNN_name.sql", e.Name())
		}
		b, err := fs.ReadFile(migrations, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: name, sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %d is missing (found %d)", i+1, m.version)
		}
	}
	return out, nil
}

// schemaMigrationsTable records applied steps; its SQLite shape is the one the first release made.
var schemaMigrationsTable = map[string]string{
	"sqlite":   `CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY AUTOINCREMENT, name text, applied_at datetime)`,
	"postgres": `CREATE TABLE IF NOT EXISTS schema_migrations (version bigint PRIMARY KEY, name text, applied_at timestamptz)`,
}

// migrationLock is the PostgreSQL advisory lock that instances starting together take in turn:
// the first applies the steps, the others then find them applied.
const migrationLock = 72_410_001

// migrate applies, each in its own transaction, the steps not yet recorded.
func (s *Store) migrate() error {
	steps, err := loadMigrations(s.dialect)
	if err != nil {
		return err
	}
	if s.dialect != "postgres" {
		s.Created, err = applyMigrations(s.db, s.dialect, steps)
		return err
	}
	return s.db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", migrationLock).Error; err != nil {
			return fmt.Errorf("wait for other instances' migrations: %w", err)
		}
		s.Created, err = applyMigrations(tx, s.dialect, steps)
		return err
	})
}

// applyMigrations applies the steps not yet recorded; created reports that the first one was
// among them, so the database was new.
func applyMigrations(db *gorm.DB, dialect string, steps []migration) (created bool, err error) {
	if err := db.Exec(schemaMigrationsTable[dialect]).Error; err != nil {
		return false, fmt.Errorf("migrations table: %w", err)
	}
	var applied []int
	if err := db.Raw("SELECT version FROM schema_migrations").Scan(&applied).Error; err != nil {
		return false, err
	}
	done := map[int]bool{}
	for _, v := range applied {
		done[v] = true
	}
	for _, m := range steps {
		if done[m.version] {
			continue
		}
		err := db.Transaction(func(tx *gorm.DB) error {
			for _, stmt := range splitStatements(m.sql) {
				if err := tx.Exec(stmt).Error; err != nil {
					return err
				}
			}
			return tx.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				m.version, m.name, time.Now().UTC()).Error
		})
		if err != nil {
			return false, fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
		}
	}
	return !done[1], nil
}

// splitStatements cuts a migration file into statements at semicolons that end a line, leaving
// out comment lines.
func splitStatements(sql string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(sql, "\n") {
		if t := strings.TrimSpace(line); t == "" || strings.HasPrefix(t, "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(strings.TrimSpace(line), ";") {
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}
