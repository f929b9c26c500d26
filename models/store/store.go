// Package store keeps the portal's records in SQLite or PostgreSQL through GORM: opening and migrating the
// database, the use-case methods that write in one transaction, and the observers told of every
// write. It is the only package that knows GORM.
package store

import (
	"context"
	"fmt"
	neturl "net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/hanoi-cnht/portal/models"
)

// FirmObserver is told, after a transaction commits, which firms were written and which removed.
// The search index uses it to stay in step with the database.
type FirmObserver = func(changed, deleted []uint)

// Store is the portal's database: firms, taxonomy and reference data.
type Store struct {
	db      *gorm.DB
	dialect string
	// origin names this process in the change feed (see changefeed.go).
	origin string
	// Created is true when Open made the database's tables: it was new.
	Created bool

	mu           sync.RWMutex
	ref          *models.Reference
	observers    []observer
	nextObserver int
	now          func() time.Time
	mailText     MailText
	// dashboard keeps the day's figures as of one change of the feed (see dashboard.go).
	dashboard dashboardCache
	dashFacts dashFacts
}

type observer struct {
	id int
	fn FirmObserver
}

// firmTerm links a firm to a taxonomy term, in the order the firm listed them.
type firmTerm struct {
	FirmID   uint   `gorm:"primaryKey"`
	TermCode string `gorm:"primaryKey"`
	Position int
}

func (firmTerm) TableName() string { return "firm_terms" }

// metaRow holds a small fact about the database, such as where the sample stream continues.
type metaRow struct {
	Key   string `gorm:"primaryKey"`
	Value string
}

func (metaRow) TableName() string { return "meta" }

// DatabaseFile is the SQLite file's name inside the data directory.
const DatabaseFile = "portal.db"

// Open opens (creating if needed) the SQLite database in dataDir, applies migrations and loads
// the reference data.
func Open(dataDir string) (*Store, error) {
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	path := filepath.Join(dataDir, DatabaseFile)
	// Transactions take the write lock when they begin, so two processes writing at once wait for
	// each other instead of failing when one would upgrade its read to a write.
	dsn := "file:" + path + "?_journal_mode=WAL&_busy_timeout=10000&_foreign_keys=on&_synchronous=NORMAL&_txlock=immediate"
	s, err := open(sqlite.Open(dsn), "sqlite")
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return s, nil
}

// OpenURL opens the database a URL names: postgres://… (or postgresql://…) for a PostgreSQL
// database shared by several portal instances, sqlite:DIR for the SQLite file of a data
// directory. A PostgreSQL database must exist; its tables are created or migrated here.
func OpenURL(url string) (*Store, error) {
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		s, err := open(postgres.Open(url), "postgres")
		if err != nil {
			return nil, fmt.Errorf("open database %s: %w", RedactURL(url), err)
		}
		return s, nil
	case strings.HasPrefix(url, "sqlite:"):
		// sqlite:DIR or sqlite:DIR/portal.db: the database of a data directory.
		dir := strings.TrimPrefix(url, "sqlite:")
		if filepath.Base(dir) == DatabaseFile {
			dir = filepath.Dir(dir)
		}
		if dir == "" {
			return nil, fmt.Errorf("database URL %q names no data directory", url)
		}
		return Open(dir)
	}
	return nil, fmt.Errorf("database URL %q: use postgres://user:password@host:5432/name or sqlite:DATA_DIR", RedactURL(url))
}

// RedactURL hides the password of a database URL, for messages and logs.
func RedactURL(raw string) string {
	u, err := neturl.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	return u.Redacted()
}

// open connects through GORM and brings the schema and reference data up to date.
func open(dialector gorm.Dialector, dialect string) (*Store, error) {
	db, err := gorm.Open(dialector, &gorm.Config{
		Logger:                 logger.Default.LogMode(logger.Silent),
		SkipDefaultTransaction: true,
		// Constraint failures come back as gorm.ErrDuplicatedKey and friends, read from the
		// driver's error codes rather than its message text.
		TranslateError: true,
		NowFunc:        func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
	})
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, dialect: dialect, origin: newOrigin()}
	s.SetClock(time.Now)
	if dialect == "postgres" {
		sqlDB, err := db.DB()
		if err != nil {
			return nil, err
		}
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(10)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	for _, step := range []func() error{s.migrate, s.seedReference, s.ReloadReference} {
		if err := step(); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// SetClock replaces the store's clock, for tests of dated rules. The store keeps times in UTC to
// the microsecond, as PostgreSQL does, so both databases hold the same values.
func (s *Store) SetClock(now func() time.Time) {
	s.now = func() time.Time { return now().UTC().Truncate(time.Microsecond) }
}

// Close closes the database.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Observe registers fn to hear about every firm written or removed; observers hear in the order
// they registered. Calling stop unregisters fn.
func (s *Store) Observe(fn FirmObserver) (stop func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextObserver++
	id := s.nextObserver
	s.observers = append(s.observers, observer{id: id, fn: fn})
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.observers = slices.DeleteFunc(s.observers, func(o observer) bool { return o.id == id })
	}
}

func (s *Store) notify(changed, deleted []uint) {
	if len(changed) == 0 && len(deleted) == 0 {
		return
	}
	s.mu.RLock()
	obs := slices.Clone(s.observers)
	s.mu.RUnlock()
	for _, o := range obs {
		o.fn(changed, deleted)
	}
}

// Reference returns the taxonomy and reference data currently in force.
func (s *Store) Reference() *models.Reference {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.ref
}

// ReloadReference reads the reference tables again, after staff edit them.
func (s *Store) ReloadReference() error {
	var (
		terms     []models.Term
		districts []models.District
		zones     []models.Zone
		corridors []models.Corridor
		standards []models.Standard
		wards     []models.Ward
	)
	for _, q := range []any{&terms, &districts, &zones, &corridors, &standards, &wards} {
		if err := s.db.Find(q).Error; err != nil {
			return fmt.Errorf("load reference data: %w", err)
		}
	}
	ref := models.NewReference(terms, districts, zones, corridors, standards, wards)
	s.mu.Lock()
	s.ref = ref
	s.mu.Unlock()
	return nil
}

// SetMeta records a fact about the database.
func (s *Store) SetMeta(ctx context.Context, key, value string) error {
	return s.db.WithContext(ctx).Save(&metaRow{Key: key, Value: value}).Error
}

// Meta returns a recorded fact, or "" if none was recorded.
func (s *Store) Meta(ctx context.Context, key string) (string, error) {
	var rows []metaRow
	if err := s.db.WithContext(ctx).Where("key = ?", key).Limit(1).Find(&rows).Error; err != nil {
		return "", fmt.Errorf("read %s: %w", key, err)
	}
	if len(rows) == 0 {
		return "", nil
	}
	return rows[0].Value, nil
}

// HasSampleData reports whether any firm was made by the sample generator.
func (s *Store) HasSampleData(ctx context.Context) (bool, error) {
	var ids []uint
	err := s.db.WithContext(ctx).Model(&models.Firm{}).Where("sample = ?", true).Limit(1).Pluck("id", &ids).Error
	return len(ids) > 0, err
}

// CountFirms returns how many firms are stored.
func (s *Store) CountFirms(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&models.Firm{}).Count(&n).Error
	return n, err
}

// FirmStamps returns the id, slug and update time of every firm, by id.
func (s *Store) FirmStamps(ctx context.Context) ([]models.FirmStamp, error) {
	var out []models.FirmStamp
	err := s.db.WithContext(ctx).Model(&models.Firm{}).Select("id, slug, updated_at").Order("id").Find(&out).Error
	return out, err
}
