package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// copiedTables are the tables a move between databases copies, parents before children, each
// with the columns that order its rows. Leases and sign-in throttling are left behind: they
// describe the processes of the old deployment, not its records.
var copiedTables = []struct{ name, order string }{
	{"meta", "key"}, {"terms", "code"}, {"districts", "code"}, {"zones", "code"}, {"corridors", "code"},
	{"standards", "code"}, {"wards", "name"},
	{"users", "id"}, {"firms", "id"}, {"sites", "id"}, {"certificates", "id"}, {"recognitions", "id"},
	{"firm_terms", "firm_id, term_code"}, {"equipment", "id"}, {"memberships", "user_id, firm_id"},
	{"sessions", "id"}, {"tokens", "id"}, {"outbox", "id"}, {"audit_events", "id"},
	{"certificate_scans", "id"}, {"reminders_sent", "certificate_id, days, expires"}, {"claims", "id"},
	{"change_counter", "id"}, {"changes", "seq, kind, entity_id"},
	{"shortlists", "id"}, {"shortlist_items", "shortlist_id, firm_id"}, {"rfqs", "id"}, {"rfq_threads", "id"},
	{"rfq_messages", "id"}, {"rfq_files", "id"}, {"saved_searches", "id"}, {"saved_search_hits", "saved_search_id, firm_id"},
	{"events", "id"}, {"event_registrations", "id"}, {"meeting_requests", "id"}, {"meetings", "id"},
	{"schedule_runs", "id"}, {"event_badges", "id"}, {"meeting_attendance", "id"}, {"meeting_outcomes", "id"},
	{"event_follow_ups", "id"}, {"event_notices", "id"},
	{"programme_targets", "id"}, {"dashboard_snapshots", "id"},
}

// notCopied are the tables a move leaves behind on purpose.
var notCopied = []string{"schema_migrations", "leases", "throttle"}

// TableCopy is what a move found for one table: rows and a checksum of their values on each side.
type TableCopy struct {
	Table              string
	Rows, CopiedRows   int
	Checksum, CopiedTo string
}

// OK reports whether the copy holds the same rows as the source.
func (c TableCopy) OK() bool { return c.Rows == c.CopiedRows && c.Checksum == c.CopiedTo }

// CopyTo copies every record of s into dst, a database that holds no firms, accounts or audit
// rows yet (its reference data, seeded when it was made, is replaced by s's). It reads s in one
// transaction, so a portal may keep running on s meanwhile; it writes dst in one transaction, so
// a failed copy leaves dst as it was. Then it reads dst back and compares each table's rows and
// checksum with s's.
func (s *Store) CopyTo(ctx context.Context, dst *Store) ([]TableCopy, error) {
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		return nil, err
	}
	if w, err := dst.SchemaVersion(ctx); err != nil || v != w {
		return nil, fmt.Errorf("the databases are at different schema versions (%d and %d): %v", v, w, err)
	}
	for _, table := range []string{"firms", "users", "audit_events"} {
		var n int64
		if err := dst.db.WithContext(ctx).Table(table).Count(&n).Error; err != nil {
			return nil, err
		}
		if n > 0 {
			return nil, fmt.Errorf("the target database is not empty: it has %d rows in %s", n, table)
		}
	}
	var report []TableCopy
	err = s.db.WithContext(ctx).Transaction(func(src *gorm.DB) error {
		if s.dialect == "postgres" {
			if err := src.Exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY").Error; err != nil {
				return err
			}
		}
		return dst.db.WithContext(ctx).Transaction(func(out *gorm.DB) error {
			// Reference data and the feed's counter were seeded when dst was made.
			for i := len(copiedTables) - 1; i >= 0; i-- {
				if err := out.Exec("DELETE FROM " + copiedTables[i].name).Error; err != nil {
					return err
				}
			}
			for _, t := range copiedTables {
				c, err := copyTable(src, out, dst.dialect, t.name, t.order)
				if err != nil {
					return fmt.Errorf("copy %s: %w", t.name, err)
				}
				report = append(report, c)
			}
			return dst.resetIdentities(out)
		})
	})
	if err != nil {
		return nil, err
	}
	for i, t := range copiedTables {
		n, sum, err := checksumTable(dst.db.WithContext(ctx), t.name, t.order)
		if err != nil {
			return nil, err
		}
		report[i].CopiedRows, report[i].CopiedTo = n, sum
	}
	return report, dst.ReloadReference()
}

// copyTable inserts src's rows of table into out in batches and returns their count and checksum.
func copyTable(src, out *gorm.DB, dialect, table, order string) (TableCopy, error) {
	c := TableCopy{Table: table}
	types, err := columnTypes(out, dialect, table)
	if err != nil {
		return c, err
	}
	rows, err := src.Raw("SELECT * FROM " + table + " ORDER BY " + order).Rows()
	if err != nil {
		return c, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return c, err
	}
	sum := sha256.New()
	perBatch := max(1, 5000/len(cols))
	var batch []any
	flush := func(n int) error {
		if n == 0 {
			return nil
		}
		row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
		stmt := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES " +
			strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
		err := out.Exec(stmt, batch...).Error
		batch = batch[:0]
		return err
	}
	pending := 0
	for rows.Next() {
		vals, err := scanRow(rows, len(cols))
		if err != nil {
			return c, err
		}
		writeRow(sum, vals)
		for i, v := range vals {
			batch = append(batch, convertFor(dialect, types[cols[i]], v))
		}
		c.Rows++
		if pending++; pending == perBatch {
			if err := flush(pending); err != nil {
				return c, err
			}
			pending = 0
		}
	}
	if err := rows.Err(); err != nil {
		return c, err
	}
	c.Checksum = hex.EncodeToString(sum.Sum(nil))
	return c, flush(pending)
}

// checksumTable counts and checksums a table's rows as copyTable does.
func checksumTable(db *gorm.DB, table, order string) (int, string, error) {
	rows, err := db.Raw("SELECT * FROM " + table + " ORDER BY " + order).Rows()
	if err != nil {
		return 0, "", err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, "", err
	}
	sum, n := sha256.New(), 0
	for rows.Next() {
		vals, err := scanRow(rows, len(cols))
		if err != nil {
			return 0, "", err
		}
		writeRow(sum, vals)
		n++
	}
	return n, hex.EncodeToString(sum.Sum(nil)), rows.Err()
}

func scanRow(rows *sql.Rows, n int) ([]any, error) {
	vals := make([]any, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	return vals, rows.Scan(ptrs...)
}

// writeRow adds a row to a checksum in a form both databases give alike: booleans as 0 or 1,
// times in UTC to the microsecond (PostgreSQL's precision), a midnight as its date, since SQLite
// may give a date as text where PostgreSQL gives a time.
func writeRow(h hash.Hash, vals []any) {
	for _, v := range vals {
		var s string
		switch x := v.(type) {
		case nil:
			s = "\x00"
		case bool:
			s = "0"
			if x {
				s = "1"
			}
		case int64:
			s = strconv.FormatInt(x, 10)
		case float64:
			s = strconv.FormatFloat(x, 'g', -1, 64)
		case time.Time:
			x = x.UTC().Truncate(time.Microsecond)
			if x.Equal(x.Truncate(24 * time.Hour)) {
				s = x.Format(time.DateOnly)
			} else {
				s = x.Format(time.RFC3339Nano)
			}
		case []byte:
			s = string(x)
		default:
			s = fmt.Sprint(x)
		}
		h.Write([]byte(s))
		h.Write([]byte{0x1f})
	}
	h.Write([]byte{0x1e})
}

// columnTypes maps a table's columns to their declared types in dialect.
func columnTypes(db *gorm.DB, dialect, table string) (map[string]string, error) {
	var cols []struct{ Name, Type string }
	q := "SELECT name, lower(type) AS type FROM pragma_table_info(?)"
	if dialect == "postgres" {
		q = "SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?"
	}
	if err := db.Raw(q, table).Scan(&cols).Error; err != nil {
		return nil, err
	}
	out := make(map[string]string, len(cols))
	for _, c := range cols {
		out[c.Name] = c.Type
	}
	return out, nil
}

// convertFor turns a value read from one database into what a column of the other expects:
// SQLite keeps booleans as numbers and dates as text, PostgreSQL has types for both and keeps
// times to the microsecond.
func convertFor(dialect, colType string, v any) any {
	switch x := v.(type) {
	case int64:
		if colType == "boolean" {
			return x != 0
		}
	case time.Time:
		if dialect == "sqlite" && colType != "datetime" {
			return x.UTC().Format(time.DateOnly)
		}
		return x.UTC().Truncate(time.Microsecond)
	}
	return v
}

// resetIdentities moves PostgreSQL's id sequences past the copied ids; SQLite does so by itself.
func (s *Store) resetIdentities(tx *gorm.DB) error {
	if s.dialect != "postgres" {
		return nil
	}
	var tables []string
	err := tx.Raw(`SELECT table_name FROM information_schema.columns
	  WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES'`).Scan(&tables).Error
	if err != nil {
		return err
	}
	for _, t := range tables {
		q := fmt.Sprintf("SELECT setval(pg_get_serial_sequence('%s', 'id'), coalesce(max(id), 0) + 1, false) FROM %s", t, t)
		if err := tx.Exec(q).Error; err != nil {
			return err
		}
	}
	return nil
}
