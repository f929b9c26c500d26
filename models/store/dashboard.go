package store

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/hanoi-cnht/portal/models"
)

// Dashboard dimensions: the search filters the figures link to, so each count can be checked.
const (
	DimSector    = "sector"
	DimProduct   = "product"
	DimProcess   = "process"
	DimCert      = "cert"
	DimDistrict  = "district"
	DimZone      = "zone"
	DimCorridor  = "corridor"
	DimSize      = "size"
	DimOwnership = "ownership"
)

// DashboardDims lists the dimensions in the order the dashboard shows them.
var DashboardDims = []string{DimSector, DimProduct, DimProcess, DimCert, DimDistrict, DimZone, DimCorridor, DimSize, DimOwnership}

// DimCount is how many firms one value of a dimension counts.
type DimCount struct {
	Key   string `gorm:"column:k"`
	Firms int    `gorm:"column:n"`
}

// YearCount is how many firms and products were recognised as key industrial products in a year.
type YearCount struct {
	Year     int `gorm:"column:year"`
	Firms    int `gorm:"column:firms"`
	Products int `gorm:"column:products"`
}

// DashboardFigures are the programme's figures on one day, counted from the records. A firm
// counts as certified when it holds a certificate of a standard in the reference list that the
// Department has not rejected or revoked and that has not expired that day (a certificate is
// valid to the end of its expiry day, Hanoi time); verified when such a certificate is verified.
type DashboardFigures struct {
	Day               models.Date
	Firms             int
	Certified         int
	VerifiedCertified int
	SPCNCL            int
	By                map[string][]DimCount
	Recognitions      []YearCount
}

// Share is n as a percentage of the firms listed, rounded to one decimal.
func (f *DashboardFigures) Share(n int) float64 {
	if f.Firms == 0 {
		return 0
	}
	return float64(int(float64(n)*1000/float64(f.Firms)+0.5)) / 10
}

// currentCert is the condition on certificates (aliased c) that count on a day (the first
// argument, YYYY-MM-DD) for the standards given as the second.
const currentCert = "c.state NOT IN ('rejected', 'revoked') AND (c.expires IS NULL OR c.expires >= ?) AND c.standard IN ?"

// verifiedCert narrows currentCert to certificates the Department verified.
const verifiedCert = " AND (c.state = 'verified' OR (c.state = '' AND c.verified_at IS NOT NULL))"

// standardTexts maps each standard code of the reference list to the texts certificates store
// for it: the code, and any older spelling the list resolves to it.
func (s *Store) standardTexts(db *gorm.DB) (map[string][]string, error) {
	var texts []string
	if err := db.Raw("SELECT DISTINCT standard FROM certificates").Scan(&texts).Error; err != nil {
		return nil, err
	}
	ref := s.Reference()
	out := map[string][]string{}
	for _, t := range texts {
		st, ok := ref.Standard(t)
		if !ok {
			st, ok = ref.ResolveStandard(t)
		}
		if ok {
			out[st.Code] = append(out[st.Code], t)
		}
	}
	return out, nil
}

// Dashboard counts the programme's figures on the day it is in Hanoi now. Staff only. The
// figures are read-only: they may be shared with other callers.
func (s *Store) Dashboard(ctx context.Context, a models.Actor) (*DashboardFigures, error) {
	if !a.IsStaff() {
		return nil, models.ErrForbidden
	}
	return s.dashboardToday(ctx)
}

// DashboardSummary is the headline figures the About page shows everyone.
func (s *Store) DashboardSummary(ctx context.Context) (*DashboardFigures, error) {
	return s.dashboardToday(ctx)
}

// dashboardCache holds what was counted for one day as of one sequence number of the change
// feed, under one reference list: the worklists and trends read by SQL (the figures and maps are
// counted from facts kept the same way, dashboard_facts.go). Every write to firms, their sites,
// terms, certificates and recognitions, and to the reference data, takes the next sequence
// number in its own transaction, from a counter in the database that every process shares
// (changefeed.go). So what is kept under the newest number is what the records give now: the
// first page after any change, made by any process, counts again. A certificate stops counting
// by the day alone, which is why the day is part of the key.
type dashboardCache struct {
	mu   sync.Mutex
	seq  int64
	day  models.Date
	ref  *models.Reference
	kept map[string]any
}

// dashboardToday is the figures of today, counted again when anything changed since they were
// last counted.
func (s *Store) dashboardToday(ctx context.Context) (*DashboardFigures, error) {
	return s.dashboardOn(ctx, models.Today(s.now()))
}

// dashboardKept returns what compute counted for today under name, counting again when
// anything was written since (see dashboardCache). What it returns is shared: read only.
func (s *Store) dashboardKept(ctx context.Context, name string, compute func(day models.Date) (any, error)) (any, error) {
	day, ref := models.Today(s.now()), s.Reference()
	// The number is read before counting: a write that commits while the figures are counted
	// takes a later number, so the next page counts again.
	seq, err := s.LastChange(ctx)
	if err != nil {
		return nil, err
	}
	c := &s.dashboard
	c.mu.Lock()
	if c.seq != seq || c.day != day || c.ref != ref {
		c.seq, c.day, c.ref, c.kept = seq, day, ref, map[string]any{}
	}
	v, ok := c.kept[name]
	c.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err = compute(day)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.seq == seq && c.day == day && c.ref == ref {
		c.kept[name] = v
	}
	c.mu.Unlock()
	return v, nil
}

// countCertified counts the firms holding a current certificate (args and scope as for
// currentCert), of any standard, verified, and of each standard, from one reading of those
// certificates rather than a query for each figure.
func (s *Store) countCertified(db *gorm.DB, f *DashboardFigures, std map[string][]string, args []any, scope string) error {
	codeOf := map[string]string{}
	for code, texts := range std {
		for _, t := range texts {
			codeOf[t] = code
		}
	}
	var rows []struct {
		FirmID   uint   `gorm:"column:firm_id"`
		Standard string `gorm:"column:standard"`
		Verified int    `gorm:"column:verified"`
	}
	err := db.Raw(`SELECT c.firm_id, c.standard, CASE WHEN `+strings.TrimPrefix(verifiedCert, " AND ")+` THEN 1 ELSE 0 END AS verified
		FROM certificates c WHERE `+currentCert+scope, args...).Scan(&rows).Error
	if err != nil {
		return err
	}
	certified, verified := map[uint]bool{}, map[uint]bool{}
	byCode := map[string]map[uint]bool{}
	for _, r := range rows {
		code := codeOf[r.Standard]
		certified[r.FirmID] = true
		if r.Verified == 1 {
			verified[r.FirmID] = true
		}
		if byCode[code] == nil {
			byCode[code] = map[uint]bool{}
		}
		byCode[code][r.FirmID] = true
	}
	f.Certified, f.VerifiedCertified = len(certified), len(verified)
	for _, code := range slices.Sorted(maps.Keys(byCode)) {
		f.By[DimCert] = append(f.By[DimCert], DimCount{Key: code, Firms: len(byCode[code])})
	}
	return nil
}

// dashboardOn counts the figures of day from the facts kept up to date (dashboard_facts.go).
func (s *Store) dashboardOn(ctx context.Context, day models.Date) (*DashboardFigures, error) {
	t, err := s.dashTally(ctx, day)
	if err != nil {
		return nil, err
	}
	return t.figures, nil
}

// dashboardCount counts the figures of day by SQL over the tables. The dashboard counts today's
// from the facts kept in memory instead (dashboard_facts.go); a test holds the two to the same
// figures, and reports on a past day count here. With asOf it counts only the firms created by the
// end of that day and the certificates issued by then, for a report on a past day; the records
// as they are now are the ones counted, so a firm deleted since or a sector changed since is
// not undone (the daily snapshots keep the headline figures exactly as they were).
func (s *Store) dashboardCount(ctx context.Context, day models.Date, asOf bool) (*DashboardFigures, error) {
	f := &DashboardFigures{Day: day, By: map[string][]DimCount{}}
	// scope restricts a query's firms (column col) to those created by the end of day.
	var scopeArgs []any
	scope := func(col string) string {
		if !asOf {
			return ""
		}
		return " AND " + col + " IN (SELECT id FROM firms WHERE created_at < ?)"
	}
	certScope := ""
	if asOf {
		scopeArgs = []any{day.End().UTC()}
		certScope = scope("c.firm_id") + " AND (c.issued_on IS NULL OR c.issued_on <= ?)"
	}
	certArgs := func(args ...any) []any {
		if asOf {
			args = append(args, day.End().UTC(), day.String())
		}
		return args
	}
	err := s.db.WithContext(ctx).Transaction(func(db *gorm.DB) error {
		std, err := s.standardTexts(db)
		if err != nil {
			return err
		}
		var all []string
		for _, ts := range std {
			all = append(all, ts...)
		}
		today := day.String()
		firmsScope := ""
		if asOf {
			firmsScope = " WHERE created_at < ?"
		}
		counts := []struct {
			dst  *int
			sql  string
			args []any
		}{
			{&f.Firms, "SELECT COUNT(*) FROM firms" + firmsScope, scopeArgs},
			{&f.SPCNCL, "SELECT COUNT(DISTINCT firm_id) FROM recognitions WHERE 1 = 1" + scope("firm_id"), scopeArgs},
		}
		for _, c := range counts {
			if err := db.Raw(c.sql, c.args...).Scan(c.dst).Error; err != nil {
				return err
			}
		}
		firmScope := scope("id")
		// One pass over the firms' terms counts every product and process: a firm lists a term at
		// most once, so the rows of a term are its firms.
		var terms []DimCount
		if err := db.Raw("SELECT ft.term_code AS k, COUNT(*) AS n FROM firm_terms ft WHERE 1 = 1"+scope("ft.firm_id")+
			" GROUP BY ft.term_code", scopeArgs...).Scan(&terms).Error; err != nil {
			return err
		}
		ref := s.Reference()
		for _, tc := range terms {
			if t, ok := ref.Term(tc.Key); ok && (t.Kind == models.KindProduct || t.Kind == models.KindProcess) {
				f.By[string(t.Kind)] = append(f.By[string(t.Kind)], tc)
			}
		}
		// A product or process implies its sector, as in the search; a sector at a time, through
		// the index on the term, is cheaper than one grouping of every firm's terms.
		for _, sec := range ref.TermsOfKind(models.KindSector) {
			var n int
			if err := db.Raw(`SELECT COUNT(DISTINCT ft.firm_id) FROM firm_terms ft
				WHERE ft.term_code IN (SELECT code FROM terms WHERE code = ? OR parent = ?)`+scope("ft.firm_id"),
				append([]any{sec.Code, sec.Code}, scopeArgs...)...).Scan(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				f.By[DimSector] = append(f.By[DimSector], DimCount{Key: sec.Code, Firms: n})
			}
		}
		grouped := map[string]string{
			DimDistrict: "SELECT district AS k, COUNT(DISTINCT firm_id) AS n FROM sites WHERE district IS NOT NULL AND district <> ''" + scope("firm_id") + " GROUP BY district",
			DimZone:     "SELECT zone AS k, COUNT(DISTINCT firm_id) AS n FROM sites WHERE zone IS NOT NULL AND zone <> ''" + scope("firm_id") + " GROUP BY zone",
			DimSize: `SELECT CASE WHEN employees <= 10 THEN 'micro' WHEN employees <= 100 THEN 'small'
				WHEN employees <= 200 THEN 'medium' ELSE 'large' END AS k, COUNT(*) AS n FROM firms
				WHERE employees > 0` + firmScope + ` GROUP BY 1`,
			DimOwnership: "SELECT ownership AS k, COUNT(*) AS n FROM firms WHERE ownership IS NOT NULL AND ownership <> ''" + firmScope + " GROUP BY ownership",
		}
		for dim, q := range grouped {
			var rows []DimCount
			if err := db.Raw(q, scopeArgs...).Scan(&rows).Error; err != nil {
				return err
			}
			f.By[dim] = rows
		}
		if err := s.countCertified(db, f, std, certArgs(today, all), certScope); err != nil {
			return err
		}
		for _, c := range s.Reference().Corridors {
			var n int
			if err := db.Raw("SELECT COUNT(DISTINCT firm_id) FROM sites WHERE corridors LIKE ?"+scope("firm_id"), append([]any{`%"` + c.Code + `"%`}, scopeArgs...)...).Scan(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				f.By[DimCorridor] = append(f.By[DimCorridor], DimCount{Key: c.Code, Firms: n})
			}
		}
		return db.Raw(`SELECT year, COUNT(DISTINCT firm_id) AS firms, COUNT(*) AS products FROM recognitions
			WHERE year IS NOT NULL AND year > 0`+scope("firm_id")+` GROUP BY year ORDER BY year`, scopeArgs...).Scan(&f.Recognitions).Error
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// ProgrammeTargets lists the targets by metric and year.
func (s *Store) ProgrammeTargets(ctx context.Context) ([]models.ProgrammeTarget, error) {
	var out []models.ProgrammeTarget
	err := s.db.WithContext(ctx).Order("metric, year, id").Find(&out).Error
	return out, err
}

// UpdateProgrammeTarget changes a target's year, value and source. Staff only; audited. A year
// that the metric already has a target for is a conflict.
func (s *Store) UpdateProgrammeTarget(ctx context.Context, a models.Actor, id uint, u models.TargetUpdate) error {
	if !a.IsStaff() {
		return models.ErrForbidden
	}
	now := s.now().UTC()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var ts []models.ProgrammeTarget
		if err := tx.Where("id = ?", id).Limit(1).Find(&ts).Error; err != nil {
			return err
		}
		if len(ts) == 0 {
			return models.ErrNotFound
		}
		t := ts[0]
		if err := u.Validate(t.Metric); err != nil {
			return err
		}
		var taken int64
		if err := tx.Model(&models.ProgrammeTarget{}).Where("metric = ? AND year = ? AND id <> ?", t.Metric, u.Year, id).Count(&taken).Error; err != nil {
			return err
		}
		if taken > 0 {
			return models.ErrConflict // one target a metric and year
		}
		var ch models.FieldChanges
		for _, c := range []struct{ field, old, new string }{
			{"year", strconv.Itoa(t.Year), strconv.Itoa(u.Year)},
			{"value", strconv.Itoa(t.Value), strconv.Itoa(u.Value)},
			{"source", t.Source, u.Source},
		} {
			if c.old != c.new {
				ch = append(ch, models.FieldChange{Field: c.field, Old: c.old, New: c.new})
			}
		}
		if len(ch) == 0 {
			return nil
		}
		err := tx.Model(&models.ProgrammeTarget{}).Where("id = ?", id).
			Updates(map[string]any{"year": u.Year, "value": u.Value, "source": u.Source, "updated_at": now}).Error
		if err != nil {
			return err
		}
		return writeAudit(tx, now, a, models.AuditEvent{Action: "target.update", EntityType: "programme_target",
			EntityID: idText(id) + " " + t.Metric, Changes: ch})
	})
}

// TakeDashboardSnapshot records today's headline figures, replacing a snapshot taken earlier
// the same day.
func (s *Store) TakeDashboardSnapshot(ctx context.Context) error {
	now := s.now()
	f, err := s.dashboardOn(ctx, models.Today(now))
	if err != nil {
		return err
	}
	var verified int
	if err := s.db.WithContext(ctx).Raw("SELECT COUNT(*) FROM firms WHERE verified_at IS NOT NULL").Scan(&verified).Error; err != nil {
		return err
	}
	return s.db.WithContext(ctx).Exec(`INSERT INTO dashboard_snapshots (day, firms, certified, verified_certified, verified_firms, taken_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (day) DO UPDATE SET firms = excluded.firms, certified = excluded.certified,
		verified_certified = excluded.verified_certified, verified_firms = excluded.verified_firms, taken_at = excluded.taken_at`,
		f.Day.String(), f.Firms, f.Certified, f.VerifiedCertified, verified, now.UTC()).Error
}

// DashboardSnapshots lists the daily snapshots since the day given (YYYY-MM-DD), oldest first.
func (s *Store) DashboardSnapshots(ctx context.Context, since string) ([]models.DashboardSnapshot, error) {
	var out []models.DashboardSnapshot
	err := s.db.WithContext(ctx).Where("day >= ?", since).Order("day").Find(&out).Error
	return out, err
}

// ExpiringCertificate is a certificate on the expiry worklist, with its firm's name.
type ExpiringCertificate struct {
	CertificateID uint        `gorm:"column:id"`
	FirmID        uint        `gorm:"column:firm_id"`
	FirmName      string      `gorm:"column:name_vi"`
	Standard      string      `gorm:"column:standard"`
	Expires       models.Date `gorm:"column:expires"`
	State         string      `gorm:"column:state"`
}

// ExpiringCertificates lists the certificates that count today and expire within days, soonest
// first. Staff only.
func (s *Store) ExpiringCertificates(ctx context.Context, a models.Actor, days int) ([]ExpiringCertificate, error) {
	if !a.IsStaff() {
		return nil, models.ErrForbidden
	}
	v, err := s.dashboardKept(ctx, "expiring-"+strconv.Itoa(days), func(today models.Date) (any, error) {
		return s.expiringCertificates(ctx, today, days)
	})
	if err != nil {
		return nil, err
	}
	return v.([]ExpiringCertificate), nil
}

func (s *Store) expiringCertificates(ctx context.Context, today models.Date, days int) ([]ExpiringCertificate, error) {
	var out []ExpiringCertificate
	err := s.db.WithContext(ctx).Raw(`SELECT c.id, c.firm_id, f.name_vi, c.standard, c.expires, c.state FROM certificates c
		JOIN firms f ON f.id = c.firm_id WHERE c.state NOT IN ('rejected', 'revoked') AND c.expires >= ? AND c.expires <= ?
		ORDER BY c.expires, c.id LIMIT 1000`, today.String(), today.AddDate(0, 0, days).Format(time.DateOnly)).Scan(&out).Error
	return out, err
}
