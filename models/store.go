package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// FirmObserver is told, after a transaction commits, which firms were written and which removed.
// The search index uses it to stay in step with the database.
type FirmObserver func(changed, deleted []uint)

// Store is the portal's database: firms, taxonomy and reference data, in SQLite.
type Store struct {
	db *gorm.DB
	// Created is true when the database file did not exist before Open.
	Created bool

	mu           sync.RWMutex
	ref          *Reference
	observers    []observer
	nextObserver int
	now          func() time.Time
}

type observer struct {
	id int
	fn FirmObserver
}

// FirmTerm links a firm to a taxonomy term, in the order the firm listed them.
type FirmTerm struct {
	FirmID   uint   `gorm:"primaryKey"`
	TermCode string `gorm:"primaryKey;index"`
	Position int
}

// Meta holds small facts about the database, such as whether it holds sample data.
type Meta struct {
	Key   string `gorm:"primaryKey"`
	Value string
}

// DatabaseFile is the SQLite file's name inside the data directory.
const DatabaseFile = "portal.db"

// Open opens (creating if needed) the database in dataDir, applies migrations and loads the
// reference data.
func Open(dataDir string) (*Store, error) {
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	path := filepath.Join(dataDir, DatabaseFile)
	_, statErr := os.Stat(path)
	created := errors.Is(statErr, os.ErrNotExist)
	dsn := "file:" + path + "?_journal_mode=WAL&_busy_timeout=10000&_foreign_keys=on&_synchronous=NORMAL"
	db, err := gorm.Open(sqlite.Open(dsn), &gorm.Config{
		Logger:                 logger.Default.LogMode(logger.Silent),
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
	})
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	s := &Store{db: db, Created: created, now: time.Now}
	if err := s.migrate(); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.seedReference(); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.ReloadReference(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
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
func (s *Store) Reference() *Reference {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.ref
}

// ReloadReference reads the reference tables again, after staff edit them.
func (s *Store) ReloadReference() error {
	var (
		terms     []Term
		districts []District
		zones     []Zone
		corridors []Corridor
		standards []Standard
		wards     []Ward
	)
	for _, q := range []any{&terms, &districts, &zones, &corridors, &standards, &wards} {
		if err := s.db.Find(q).Error; err != nil {
			return fmt.Errorf("load reference data: %w", err)
		}
	}
	ref := NewReference(terms, districts, zones, corridors, standards, wards)
	s.mu.Lock()
	s.ref = ref
	s.mu.Unlock()
	return nil
}

// SetMeta records a fact about the database.
func (s *Store) SetMeta(key, value string) error {
	return s.db.Save(&Meta{Key: key, Value: value}).Error
}

// GetMeta returns a recorded fact, or "" if none.
func (s *Store) GetMeta(key string) string {
	var m Meta
	if err := s.db.Where("key = ?", key).Limit(1).Find(&m).Error; err != nil {
		return ""
	}
	return m.Value
}

// HasSampleData reports whether any firm was made by the sample generator.
func (s *Store) HasSampleData(ctx context.Context) bool {
	var n int64
	s.db.WithContext(ctx).Model(&Firm{}).Where("sample = ?", true).Limit(1).Count(&n)
	return n > 0
}

// CountFirms returns how many firms are stored.
func (s *Store) CountFirms(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Firm{}).Count(&n).Error
	return n, err
}

// Fingerprint changes whenever a firm is added, changed or removed, by this process or another:
// the count of firms and the latest update time. It is cheap enough to poll.
func (s *Store) Fingerprint(ctx context.Context) (string, error) {
	var row struct {
		N    int64
		Last string
	}
	err := s.db.WithContext(ctx).Model(&Firm{}).Select("count(*) AS n, coalesce(max(updated_at), '') AS last").Scan(&row).Error
	return fmt.Sprintf("%d/%s", row.N, row.Last), err
}

// FirmStamp is a firm's id, slug and last update: what checking the search index against the
// database and listing the profiles in the sitemap need, without loading whole firms.
type FirmStamp struct {
	ID        uint
	Slug      string
	UpdatedAt time.Time
}

// FirmStamps returns the id, slug and update time of every firm, by id.
func (s *Store) FirmStamps(ctx context.Context) ([]FirmStamp, error) {
	var out []FirmStamp
	err := s.db.WithContext(ctx).Model(&Firm{}).Select("id, slug, updated_at").Order("id").Find(&out).Error
	return out, err
}

// FirmByID loads one firm with everything on it.
func (s *Store) FirmByID(ctx context.Context, id uint) (*Firm, error) {
	return s.firmWhere(ctx, "id = ?", id)
}

// FirmByTaxCode loads the firm with the tax code.
func (s *Store) FirmByTaxCode(ctx context.Context, taxCode string) (*Firm, error) {
	return s.firmWhere(ctx, "tax_code = ?", taxCode)
}

// FirmBySlug loads the firm with the slug.
func (s *Store) FirmBySlug(ctx context.Context, slug string) (*Firm, error) {
	return s.firmWhere(ctx, "slug = ?", slug)
}

func (s *Store) firmWhere(ctx context.Context, cond string, arg any) (*Firm, error) {
	var firms []*Firm
	if err := s.preload(s.db.WithContext(ctx)).Where(cond, arg).Limit(1).Find(&firms).Error; err != nil {
		return nil, err
	}
	if len(firms) == 0 {
		return nil, ErrNotFound
	}
	if err := s.loadTerms(ctx, firms); err != nil {
		return nil, err
	}
	return firms[0], nil
}

// FirmsByIDs loads the firms with the ids, in the order of ids; missing ids are skipped.
func (s *Store) FirmsByIDs(ctx context.Context, ids []uint) ([]*Firm, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var firms []*Firm
	if err := s.preload(s.db.WithContext(ctx)).Where("id IN ?", ids).Find(&firms).Error; err != nil {
		return nil, err
	}
	if err := s.loadTerms(ctx, firms); err != nil {
		return nil, err
	}
	byID := make(map[uint]*Firm, len(firms))
	for _, f := range firms {
		byID[f.ID] = f
	}
	out := make([]*Firm, 0, len(firms))
	for _, id := range ids {
		if f, ok := byID[id]; ok {
			out = append(out, f)
		}
	}
	return out, nil
}

// LatestFirms returns the n most recently updated firms.
func (s *Store) LatestFirms(ctx context.Context, n int) ([]*Firm, error) {
	var ids []uint
	if err := s.db.WithContext(ctx).Model(&Firm{}).Order("updated_at DESC, id DESC").Limit(n).Pluck("id", &ids).Error; err != nil {
		return nil, err
	}
	return s.FirmsByIDs(ctx, ids)
}

// EachFirm calls fn with every firm, in batches of size in id order, stopping at fn's first error.
func (s *Store) EachFirm(ctx context.Context, size int, fn func([]*Firm) error) error {
	var last uint
	for {
		var ids []uint
		if err := s.db.WithContext(ctx).Model(&Firm{}).Where("id > ?", last).Order("id").Limit(size).Pluck("id", &ids).Error; err != nil {
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

func (s *Store) preload(db *gorm.DB) *gorm.DB {
	return db.
		Preload("Sites", func(db *gorm.DB) *gorm.DB { return db.Order("position") }).
		Preload("Certificates", func(db *gorm.DB) *gorm.DB { return db.Order("position") }).
		Preload("Recognitions", func(db *gorm.DB) *gorm.DB { return db.Order("year DESC, id") })
}

// loadTerms fills each firm's Terms from the link table and the in-memory taxonomy.
func (s *Store) loadTerms(ctx context.Context, firms []*Firm) error {
	return s.loadTermsWith(s.db.WithContext(ctx), firms)
}

func (s *Store) loadTermsWith(db *gorm.DB, firms []*Firm) error {
	if len(firms) == 0 {
		return nil
	}
	ids := make([]uint, len(firms))
	byID := make(map[uint]*Firm, len(firms))
	for i, f := range firms {
		ids[i] = f.ID
		byID[f.ID] = f
		f.Terms = nil
	}
	var links []FirmTerm
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

// SaveFirm validates and writes one firm (created, or updated by tax code).
func (s *Store) SaveFirm(ctx context.Context, f *Firm) error {
	_, err := s.SaveFirms(ctx, []*Firm{f})
	return err
}

// SaveFirms validates every firm, then writes them all in one transaction: a firm whose tax code
// is stored updates that record, others are created. Nothing is written if any firm is invalid.
// A firm whose content equals what is stored is left untouched, so its update time stays. It
// returns the ids of the firms actually written.
func (s *Store) SaveFirms(ctx context.Context, firms []*Firm) ([]uint, error) {
	ref := s.Reference()
	for i, f := range firms {
		f.normalize(ref)
		if err := f.Check(ref, s.now()); err != nil {
			if len(firms) > 1 {
				return nil, fmt.Errorf("firm %d (%s): %w", i+1, f.TaxCode, err)
			}
			return nil, err
		}
	}
	var changed []uint
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		codes := make([]string, len(firms))
		for i, f := range firms {
			codes[i] = f.TaxCode
		}
		stored, err := s.storedByTaxCode(tx, codes)
		if err != nil {
			return err
		}
		slugs := map[string]bool{}
		for _, f := range firms {
			wrote, err := s.writeFirm(tx, f, stored[f.TaxCode], slugs)
			if err != nil {
				return err
			}
			if wrote {
				changed = append(changed, f.ID)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.notify(changed, nil)
	return changed, nil
}

// storedByTaxCode loads, a chunk at a time, the stored firms with the given tax codes, keyed by
// tax code.
func (s *Store) storedByTaxCode(db *gorm.DB, codes []string) (map[string]*Firm, error) {
	out := make(map[string]*Firm, len(codes))
	for start := 0; start < len(codes); start += 500 {
		var stored []*Firm
		if err := s.preload(db).Where("tax_code IN ?", codes[start:min(start+500, len(codes))]).Find(&stored).Error; err != nil {
			return nil, err
		}
		if err := s.loadTermsWith(db, stored); err != nil {
			return nil, err
		}
		for _, f := range stored {
			out[f.TaxCode] = f
		}
	}
	return out, nil
}

// writeFirm writes f inside tx over old, the stored record with its tax code (nil if none),
// reporting whether anything changed.
func (s *Store) writeFirm(tx *gorm.DB, f, old *Firm, slugs map[string]bool) (bool, error) {
	if old != nil {
		f.ID, f.Slug, f.CreatedAt = old.ID, old.Slug, old.CreatedAt
		if f.OwnerUserID == nil {
			f.OwnerUserID = old.OwnerUserID
		}
		if sameContent(old, f) {
			f.UpdatedAt = old.UpdatedAt
			return false, nil
		}
		for _, child := range []any{&Site{}, &Certificate{}, &Recognition{}} {
			if err := tx.Where("firm_id = ?", f.ID).Delete(child).Error; err != nil {
				return false, err
			}
		}
		if err := tx.Where("firm_id = ?", f.ID).Delete(&FirmTerm{}).Error; err != nil {
			return false, err
		}
		f.UpdatedAt = time.Time{}
		if err := tx.Omit("Sites", "Certificates", "Recognitions").Save(f).Error; err != nil {
			return false, err
		}
	} else {
		slug, err := uniqueSlug(tx, f, slugs)
		if err != nil {
			return false, err
		}
		f.ID, f.Slug = 0, slug
		if err := tx.Omit("Sites", "Certificates", "Recognitions").Create(f).Error; err != nil {
			if strings.Contains(err.Error(), "UNIQUE") {
				return false, fmt.Errorf("%w: %v", ErrConflict, err)
			}
			return false, err
		}
	}
	return true, writeChildren(tx, f)
}

func writeChildren(tx *gorm.DB, f *Firm) error {
	for i := range f.Sites {
		f.Sites[i].ID, f.Sites[i].FirmID, f.Sites[i].Position = 0, f.ID, i
	}
	for i := range f.Certificates {
		f.Certificates[i].ID, f.Certificates[i].FirmID, f.Certificates[i].Position = 0, f.ID, i
	}
	for i := range f.Recognitions {
		f.Recognitions[i].ID, f.Recognitions[i].FirmID = 0, f.ID
	}
	links := make([]FirmTerm, len(f.Terms))
	for i, t := range f.Terms {
		links[i] = FirmTerm{FirmID: f.ID, TermCode: t.Code, Position: i}
	}
	if err := createRows(tx, f.Sites); err != nil {
		return err
	}
	if err := createRows(tx, f.Certificates); err != nil {
		return err
	}
	if err := createRows(tx, f.Recognitions); err != nil {
		return err
	}
	return createRows(tx, links)
}

func createRows[T any](tx *gorm.DB, rows []T) error {
	if len(rows) == 0 {
		return nil
	}
	return tx.Create(&rows).Error
}

// DeleteFirm removes a firm and everything on it.
func (s *Store) DeleteFirm(ctx context.Context, id uint) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, child := range []any{&Site{}, &Certificate{}, &Recognition{}, &FirmTerm{}} {
			if err := tx.Where("firm_id = ?", id).Delete(child).Error; err != nil {
				return err
			}
		}
		res := tx.Delete(&Firm{}, id)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.notify(nil, []uint{id})
	return nil
}

// sameContent reports whether two records of one firm say the same things, ignoring ids,
// timestamps and row order keys.
func sameContent(a, b *Firm) bool {
	return contentKey(a) == contentKey(b)
}

func contentKey(f *Firm) string {
	c := *f
	c.Sites = slices.Clone(c.Sites) // the loop below must not touch the caller's sites
	c.ID, c.CreatedAt, c.UpdatedAt = 0, time.Time{}, time.Time{}
	// A record read back has empty lists where a new one has none; they say the same.
	c.FreeTerms, c.KeyCustomers, c.ExportMarkets = nilIfEmpty(c.FreeTerms), nilIfEmpty(c.KeyCustomers), nilIfEmpty(c.ExportMarkets)
	c.Certificates, c.Recognitions, c.Sites = nilIfEmpty(c.Certificates), nilIfEmpty(c.Recognitions), nilIfEmpty(c.Sites)
	for i := range c.Sites {
		c.Sites[i].Corridors = nilIfEmpty(c.Sites[i].Corridors)
	}
	codes := make([]string, len(f.Terms))
	for i, t := range f.Terms {
		codes[i] = t.Code
	}
	b, _ := json.Marshal(struct {
		F     Firm
		Terms []string
	}{c, codes})
	return string(b)
}

func nilIfEmpty[S ~[]E, E any](s S) S {
	if len(s) == 0 {
		return nil
	}
	return s
}

// companyForms are the legal-form words dropped from a name when making its slug.
var companyForms = []string{
	"cong ty trach nhiem huu han mot thanh vien", "cong ty tnhh mot thanh vien", "cong ty tnhh mtv",
	"cong ty trach nhiem huu han", "cong ty tnhh", "cong ty co phan", "cong ty cp", "doanh nghiep tu nhan",
	"chi nhanh cong ty tnhh", "chi nhanh cong ty co phan", "chi nhanh", "cong ty",
}

// BaseSlug is the URL name made from a firm's short name, or its legal name without the legal form.
func BaseSlug(f *Firm) string {
	name := f.ShortName
	if name == "" {
		name = FoldKey(f.NameVI)
		for _, form := range companyForms {
			if strings.HasPrefix(name, form+" ") {
				name = strings.TrimPrefix(name, form+" ")
				break
			}
		}
	}
	slug := Slugify(name)
	if len(slug) > 60 {
		slug = strings.TrimRight(slug[:60], "-")
	}
	if slug == "" {
		slug = "firm"
	}
	return slug
}

func uniqueSlug(tx *gorm.DB, f *Firm, taken map[string]bool) (string, error) {
	base := BaseSlug(f)
	for _, slug := range []string{base, base + "-" + strings.ReplaceAll(f.TaxCode, "-", "")} {
		if taken[slug] {
			continue
		}
		var n int64
		if err := tx.Model(&Firm{}).Where("slug = ?", slug).Count(&n).Error; err != nil {
			return "", err
		}
		if n == 0 {
			taken[slug] = true
			return slug, nil
		}
	}
	return "", fmt.Errorf("%w: slug for tax code %s is taken", ErrConflict, f.TaxCode)
}
