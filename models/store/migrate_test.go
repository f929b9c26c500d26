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

	"github.com/hanoi-cnht/portal/models/store/internal/testdb"
)

// TestMigrationsFreshEqualsUpgraded builds one database from the migrations and one as the first
// release left it (its schema, made by that release, is in testdata), opens the old one so every
// later step applies, and compares the two schemas column by column, index by index and
// foreign key by foreign key. The old database keeps its firms through the upgrade.
func TestMigrationsFreshEqualsUpgraded(t *testing.T) {
	if testdb.Postgres() {
		t.Skip("the upgrade from the first release is SQLite's; PostgreSQL starts at the current schema")
	}
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
	sqliteSteps, err := loadMigrations("sqlite")
	if err != nil {
		t.Fatal(err)
	}
	pgSteps, err := loadMigrations("postgres")
	if err != nil {
		t.Fatal(err)
	}
	if len(pgSteps) != len(sqliteSteps) {
		t.Fatalf("%d steps for SQLite, %d for PostgreSQL", len(sqliteSteps), len(pgSteps))
	}
	for i, m := range sqliteSteps {
		if m.version != i+1 || len(splitStatements(m.sql)) == 0 {
			t.Errorf("step %d: version %d with %d statements", i+1, m.version, len(splitStatements(m.sql)))
		}
		if pgSteps[i].name != m.name {
			t.Errorf("step %d is %q on SQLite, %q on PostgreSQL", i+1, m.name, pgSteps[i].name)
		}
	}
}

// TestDialectsHaveTheSameSchema compares a fresh PostgreSQL database with a fresh SQLite one:
// the same tables and columns, NOT NULL where the other has it, and the same indexes and foreign
// keys, so the store's queries mean the same on both.
func TestDialectsHaveTheSameSchema(t *testing.T) {
	if !testdb.Postgres() {
		t.Skip("runs on the PostgreSQL pass")
	}
	lite, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	pg := openTestStore(t)
	want, got := schemaShape(t, lite.db, "sqlite"), schemaShape(t, pg.db, "postgres")
	if len(got) < 200 {
		t.Fatalf("read only %d lines of the PostgreSQL schema", len(got))
	}
	if !slices.Equal(got, want) {
		t.Errorf("the PostgreSQL schema differs from SQLite's:\n%s", diffLines(want, got))
	}
}

// schemaShape lists columns (with NOT NULL), indexes and foreign keys of either dialect as
// sorted lines that leave out type names, which differ by design.
func schemaShape(t *testing.T, db *gorm.DB, dialect string) []string {
	t.Helper()
	var out []string
	if dialect == "sqlite" {
		for _, l := range describeSchema(t, db) {
			f := strings.Fields(l)
			switch {
			case strings.Contains(l, " notnull="):
				// "table.col TYPE notnull=N pk=N": a primary key is NOT NULL on PostgreSQL.
				notNull := f[2] == "notnull=1" || f[3] != "pk=0"
				out = append(out, fmt.Sprintf("%s notnull=%t", f[0], notNull))
			case strings.Contains(l, " index (primary key)"):
			case strings.Contains(l, " index "):
				out = append(out, fmt.Sprintf("%s index %s unique=%t on %s", f[0], f[2], f[3] == "unique=1", f[5]))
			default:
				out = append(out, l)
			}
		}
		slices.Sort(out)
		return out
	}
	var cols []struct{ TableName, ColumnName, IsNullable string }
	db.Raw(`SELECT table_name, column_name, is_nullable FROM information_schema.columns WHERE table_schema = current_schema()`).Scan(&cols)
	for _, c := range cols {
		out = append(out, fmt.Sprintf("%s.%s notnull=%t", c.TableName, c.ColumnName, c.IsNullable == "NO"))
	}
	var idxs []struct {
		Table, Name, Cols string
		Unique            bool
	}
	db.Raw(`SELECT t.relname AS "table", i.relname AS name, ix.indisunique AS "unique",
	  (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, n)
	   JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum) AS cols
	  FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
	  JOIN pg_namespace n ON n.oid = t.relnamespace
	  WHERE n.nspname = current_schema() AND NOT ix.indisprimary`).Scan(&idxs)
	for _, ix := range idxs {
		out = append(out, fmt.Sprintf("%s index %s unique=%t on %s", ix.Table, ix.Name, ix.Unique, ix.Cols))
	}
	var fks []struct{ Table, From, To, ToCol, OnDelete string }
	db.Raw(`SELECT tc.relname AS "table", a.attname AS "from", rc.relname AS "to", ra.attname AS to_col,
	  CASE c.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' ELSE 'NO ACTION' END AS on_delete
	  FROM pg_constraint c JOIN pg_class tc ON tc.oid = c.conrelid JOIN pg_class rc ON rc.oid = c.confrelid
	  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
	  JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1]
	  JOIN pg_namespace n ON n.oid = tc.relnamespace
	  WHERE c.contype = 'f' AND n.nspname = current_schema()`).Scan(&fks)
	for _, fk := range fks {
		out = append(out, fmt.Sprintf("%s.%s -> %s.%s on delete %s", fk.Table, fk.From, fk.To, fk.ToCol, fk.OnDelete))
	}
	slices.Sort(out)
	return out
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
