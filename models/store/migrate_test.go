package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// TestMigrationsFreshEqualsUpgraded builds one database from the migrations and one as the first
// release left it (its schema, made by that release, is in testdata), opens the old one so every
// later step applies, and compares the two schemas column by column, index by index and
// foreign key by foreign key. The old database keeps its firms through the upgrade.
func TestMigrationsFreshEqualsUpgraded(t *testing.T) {
	ctx := context.Background()
	fresh := openTestStore(t)

	dir := t.TempDir()
	old, err := gorm.Open(sqlite.Open(filepath.Join(dir, DatabaseFile)), &gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
	if err != nil {
		t.Fatal(err)
	}
	schema, err := os.ReadFile("testdata/release1_schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range splitStatements(string(schema)) {
		if strings.Contains(stmt, "sqlite_sequence") {
			continue
		}
		if err := old.Exec(stmt).Error; err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	for _, stmt := range []string{
		`INSERT INTO schema_migrations (version, name, applied_at) VALUES (1, 'initial schema', '2026-11-01 00:00:00')`,
		`INSERT INTO terms (code, kind, label_vi, label_en, position) VALUES ('co-khi', 'sector', 'Cơ khí', 'Mechanical engineering', 0)`,
		`INSERT INTO firms (id, tax_code, slug, name_vi, created_at, updated_at, sample) VALUES (1, '0101234567', 'an-phu', 'Công ty TNHH An Phú', '2026-11-01 00:00:00', '2026-11-01 00:00:00', 0)`,
		`INSERT INTO firm_terms (firm_id, term_code, position) VALUES (1, 'co-khi', 0)`,
		// A link left behind by a firm deleted without its links: the upgrade drops it.
		`INSERT INTO firm_terms (firm_id, term_code, position) VALUES (2, 'co-khi', 0)`,
	} {
		if err := old.Exec(stmt).Error; err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	sqlDB, _ := old.DB()
	sqlDB.Close()

	upgraded, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer upgraded.Close()

	want, got := describeSchema(t, fresh.db), describeSchema(t, upgraded.db)
	if !slices.Equal(got, want) {
		t.Errorf("the upgraded schema differs from a fresh one:\n%s", diffLines(want, got))
	}
	f, err := upgraded.FirmByTaxCode(ctx, "0101234567")
	if err != nil || len(f.Terms) != 1 || f.Terms[0].Code != "co-khi" {
		t.Fatalf("the firm did not survive the upgrade with its term: %+v, %v", f, err)
	}
	var orphans int64
	upgraded.db.Raw("SELECT count(*) FROM firm_terms WHERE firm_id = 2").Scan(&orphans)
	if orphans != 0 {
		t.Fatalf("%d links to a missing firm survived the upgrade", orphans)
	}
	var versions []int
	upgraded.db.Raw("SELECT version FROM schema_migrations ORDER BY version").Scan(&versions)
	steps, _ := loadMigrations("sqlite")
	if len(versions) != len(steps) {
		t.Fatalf("applied %v, want all %d steps", versions, len(steps))
	}
}

func TestMigrationsAreNumberedInOrder(t *testing.T) {
	steps, err := loadMigrations("sqlite")
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range steps {
		if m.version != i+1 || len(splitStatements(m.sql)) == 0 {
			t.Errorf("step %d: version %d with %d statements", i+1, m.version, len(splitStatements(m.sql)))
		}
	}
}

// describeSchema lists every table's columns, indexes and foreign keys as lines, sorted, so
// two schemas written with different quoting or statement order compare equal.
func describeSchema(t *testing.T, db *gorm.DB) []string {
	t.Helper()
	var tables []string
	db.Raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").Scan(&tables)
	var out []string
	for _, table := range tables {
		var cols []struct {
			Name    string
			Type    string
			NotNull int
			Pk      int
		}
		db.Raw(fmt.Sprintf("SELECT name, upper(type) AS type, \"notnull\" AS not_null, pk FROM pragma_table_info('%s')", table)).Scan(&cols)
		for _, c := range cols {
			out = append(out, fmt.Sprintf("%s.%s %s notnull=%d pk=%d", table, c.Name, c.Type, c.NotNull, c.Pk))
		}
		var fks []struct {
			Table, From, To, OnDelete string
		}
		db.Raw(fmt.Sprintf("SELECT \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list('%s')", table)).Scan(&fks)
		for _, fk := range fks {
			out = append(out, fmt.Sprintf("%s.%s -> %s.%s on delete %s", table, fk.From, fk.Table, fk.To, fk.OnDelete))
		}
		var idxs []struct {
			Name   string
			Unique int
		}
		db.Raw(fmt.Sprintf("SELECT name, \"unique\" FROM pragma_index_list('%s')", table)).Scan(&idxs)
		for _, ix := range idxs {
			var cols []string
			db.Raw(fmt.Sprintf("SELECT name FROM pragma_index_info('%s') ORDER BY seqno", ix.Name)).Scan(&cols)
			name := ix.Name
			if strings.HasPrefix(name, "sqlite_autoindex_") {
				name = "(primary key)"
			}
			out = append(out, fmt.Sprintf("%s index %s unique=%d on %s", table, name, ix.Unique, strings.Join(cols, ",")))
		}
	}
	slices.Sort(out)
	if len(out) == 0 {
		t.Fatal("empty schema")
	}
	return out
}

func diffLines(want, got []string) string {
	var b strings.Builder
	for _, l := range want {
		if !slices.Contains(got, l) {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range got {
		if !slices.Contains(want, l) {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}
