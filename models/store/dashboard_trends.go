package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/hanoi-cnht/portal/models"
)

// MonthCount is how many firms were added and verified in one month (YYYY-MM, Hanoi time),
// counted from the audit log.
type MonthCount struct {
	Month    string
	Added    int
	Verified int
}

// Audit actions the monthly trend counts: a firm created (by import, by staff or by a claim)
// and a profile verified by the Department. The sample generator writes one row for its whole
// batch, so sample firms are not among the firms added.
const (
	ActionFirmCreate = "firm.create"
	ActionFirmVerify = "firm.verify"
	ActionFirmNudge  = "firm.nudge"
)

// FirmsByMonth counts the firms added and verified in each of the last months (this one
// included), oldest first, with zero months kept. Staff only.
func (s *Store) FirmsByMonth(ctx context.Context, a models.Actor, months int) ([]MonthCount, error) {
	if !a.IsStaff() {
		return nil, models.ErrForbidden
	}
	// Firms are created and verified only by writes that take a number of the change feed.
	v, err := s.dashboardKept(ctx, "months-"+strconv.Itoa(months), func(models.Date) (any, error) { return s.firmsByMonth(ctx, months) })
	if err != nil {
		return nil, err
	}
	return v.([]MonthCount), nil
}

func (s *Store) firmsByMonth(ctx context.Context, months int) ([]MonthCount, error) {
	now := s.now().In(models.Hanoi)
	first := time.Date(now.Year(), now.Month()-time.Month(months-1), 1, 0, 0, 0, 0, models.Hanoi)
	out := make([]MonthCount, months)
	// A count over a range of the index on action and time for each month and action: the
	// months are Hanoi's, and the counts are those of the audit log filtered the same way.
	for i := range out {
		from := first.AddDate(0, i, 0)
		out[i].Month = from.Format("2006-01")
		for _, c := range []struct {
			action string
			dst    *int
		}{{ActionFirmCreate, &out[i].Added}, {ActionFirmVerify, &out[i].Verified}} {
			err := s.db.WithContext(ctx).Raw("SELECT COUNT(*) FROM audit_events WHERE action = ? AND at >= ? AND at < ?",
				c.action, from.UTC(), from.AddDate(0, 1, 0).UTC()).Scan(c.dst).Error
			if err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// StaleFirm is a firm on the worklist of profiles not updated for a year.
type StaleFirm struct {
	ID        uint      `gorm:"column:id"`
	Name      string    `gorm:"column:name_vi"`
	UpdatedAt time.Time `gorm:"column:updated_at"`
	Sample    bool      `gorm:"column:sample"`
	Members   int       `gorm:"column:members"`
	NudgedAt  *time.Time
}

// staleMonths is how long a profile may go without an update before the firm is reminded.
const staleMonths = 12

// NudgeInterval is how long after a reminder a firm may not be reminded again.
const NudgeInterval = 30 * 24 * time.Hour

// staleCutoff is the instant before which a profile's last update makes it stale.
func (s *Store) staleCutoff() time.Time { return s.now().UTC().AddDate(0, -staleMonths, 0) }

// StaleProfiles lists up to limit firms whose profile has not been updated for 12 months, the
// longest-untouched first, with how many such firms there are in all. Staff only.
func (s *Store) StaleProfiles(ctx context.Context, a models.Actor, limit int) ([]StaleFirm, int, error) {
	if !a.IsStaff() {
		return nil, 0, models.ErrForbidden
	}
	cutoff := s.staleCutoff()
	db := s.db.WithContext(ctx)
	var total int
	if err := db.Raw("SELECT COUNT(*) FROM firms WHERE updated_at < ?", cutoff).Scan(&total).Error; err != nil {
		return nil, 0, err
	}
	var out []StaleFirm
	err := db.Raw(`SELECT f.id, f.name_vi, f.updated_at, f.sample,
		(SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.firm_id = f.id AND u.disabled_at IS NULL) AS members
		FROM firms f WHERE f.updated_at < ? ORDER BY f.updated_at, f.id LIMIT ?`, cutoff, limit).Scan(&out).Error
	if err != nil || len(out) == 0 {
		return out, total, err
	}
	ids := make([]uint, len(out))
	for i := range out {
		ids[i] = out[i].ID
	}
	var nudges []struct {
		FirmID uint      `gorm:"column:firm_id"`
		At     time.Time `gorm:"column:at"`
	}
	if err := db.Raw("SELECT firm_id, at FROM audit_events WHERE action = ? AND firm_id IN ? ORDER BY id",
		ActionFirmNudge, ids).Scan(&nudges).Error; err != nil {
		return nil, 0, err
	}
	last := map[uint]time.Time{}
	for _, n := range nudges {
		last[n.FirmID] = n.At
	}
	for i := range out {
		if t, ok := last[out[i].ID]; ok {
			out[i].NudgedAt = &t
		}
	}
	return out, total, nil
}

// Reasons a reminder to update a profile is not sent; both are conflicts.
var (
	ErrNudgeSample   = fmt.Errorf("%w: sample firms are never mailed", models.ErrConflict)
	ErrNudgeRecent   = fmt.Errorf("%w: the firm was reminded less than 30 days ago", models.ErrConflict)
	ErrNudgeNotStale = fmt.Errorf("%w: the profile was updated within a year", models.ErrConflict)
	ErrNudgeNoMember = fmt.Errorf("%w: the firm has no member who can sign in", models.ErrConflict)
)

// NudgeStaleFirm queues a reminder to update the profile to each member of the firm, in the
// member's language, and audits it. Staff only. It refuses a sample firm, a firm whose profile
// is not stale, one without members, and one reminded within NudgeInterval; it returns how
// many members were mailed.
func (s *Store) NudgeStaleFirm(ctx context.Context, a models.Actor, firmID uint) (int, error) {
	if !a.IsStaff() {
		return 0, models.ErrForbidden
	}
	now := s.now().UTC()
	var members int
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var firms []models.Firm
		if err := tx.Select("id", "updated_at", "sample").Where("id = ?", firmID).Limit(1).Find(&firms).Error; err != nil {
			return err
		}
		if len(firms) == 0 {
			return models.ErrNotFound
		}
		f := firms[0]
		switch {
		case f.Sample:
			return ErrNudgeSample
		case !f.UpdatedAt.Before(s.staleCutoff()):
			return ErrNudgeNotStale
		}
		var recent int64
		if err := tx.Model(&models.AuditEvent{}).Where("action = ? AND firm_id = ? AND at > ?", ActionFirmNudge, firmID,
			now.Add(-NudgeInterval)).Count(&recent).Error; err != nil {
			return err
		}
		if recent > 0 {
			return ErrNudgeRecent
		}
		if err := tx.Raw(`SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id
			WHERE m.firm_id = ? AND u.disabled_at IS NULL`, firmID).Scan(&members).Error; err != nil {
			return err
		}
		if members == 0 {
			return ErrNudgeNoMember
		}
		if err := s.queueForMembers(tx, now, firmID, "mail.profile_stale", map[string]any{
			"FirmID": firmID, "Updated": models.Today(f.UpdatedAt).String()}); err != nil {
			return err
		}
		fid := firmID
		return writeAudit(tx, now, a, models.AuditEvent{Action: ActionFirmNudge, EntityType: "firm", EntityID: idText(firmID),
			FirmID: &fid, Changes: models.FieldChanges{{Field: "members_mailed", New: strconv.Itoa(members)}}})
	})
	if err != nil {
		return 0, err
	}
	return members, nil
}

// FirmRef is a firm named in a list a dashboard figure links to.
type FirmRef struct {
	ID   uint   `gorm:"column:id"`
	Name string `gorm:"column:name_vi"`
	Slug string `gorm:"column:slug"`
}

// RecognisedFirms lists the firms with a key industrial product recognised in year, by name.
// Staff only.
func (s *Store) RecognisedFirms(ctx context.Context, a models.Actor, year int) ([]FirmRef, error) {
	if !a.IsStaff() {
		return nil, models.ErrForbidden
	}
	var out []FirmRef
	err := s.db.WithContext(ctx).Raw(`SELECT f.id, f.name_vi, f.slug FROM firms f
		WHERE f.id IN (SELECT firm_id FROM recognitions WHERE year = ?) ORDER BY f.name_vi, f.id`, year).Scan(&out).Error
	return out, err
}

// MapPoint is how many firms have a site in a former district or an industrial zone, placed at
// the mean of those sites' coordinates (HasPlace is false when none has coordinates).
type MapPoint struct {
	Key      string   `gorm:"column:k"`
	Firms    int      `gorm:"column:n"`
	Lat      *float64 `gorm:"column:lat"`
	Lon      *float64 `gorm:"column:lon"`
	HasPlace bool     `gorm:"-"`
}

// DashboardMap counts the firms by former district (dim DimDistrict) or by industrial park or
// cluster (DimZone) and places each at the mean of its sites' coordinates. Staff only.
func (s *Store) DashboardMap(ctx context.Context, a models.Actor, dim string) ([]MapPoint, error) {
	if !a.IsStaff() {
		return nil, models.ErrForbidden
	}
	if dim != DimDistrict && dim != DimZone {
		return nil, fmt.Errorf("%w: no map by %q", models.ErrNotFound, dim)
	}
	t, err := s.dashTally(ctx, models.Today(s.now()))
	if err != nil {
		return nil, err
	}
	return t.places[dim], nil
}

// ProgrammeReport is the figures of a chosen day for the Department's periodic reports.
type ProgrammeReport struct {
	*DashboardFigures
	// Snapshot is the headline figures exactly as counted that day, when a snapshot was taken;
	// nil when the day has none and every figure was recounted from the records.
	Snapshot *models.DashboardSnapshot
}

// ProgrammeReportOn counts the figures of day for a report. Staff only. The headline figures
// come from that day's snapshot when there is one: it is what was counted on the day, and the
// records cannot give it back exactly once firms are deleted or certificates revoked. The tables
// by dimension (and the headline figures of a day without a snapshot) are recounted from the
// records as of the end of that day: firms created by then, certificates issued by then and
// current that day, as they are recorded now.
func (s *Store) ProgrammeReportOn(ctx context.Context, a models.Actor, day models.Date) (*ProgrammeReport, error) {
	if !a.IsStaff() {
		return nil, models.ErrForbidden
	}
	if day.AfterToday(s.now()) {
		return nil, fmt.Errorf("%w: %s is in the future", models.ErrNotFound, day)
	}
	asOf := day.Time.Before(models.Today(s.now()).Time)
	f, err := s.dashboardCount(ctx, day, asOf)
	if err != nil {
		return nil, err
	}
	r := &ProgrammeReport{DashboardFigures: f}
	var snaps []models.DashboardSnapshot
	if err := s.db.WithContext(ctx).Where("day = ?", day.String()).Limit(1).Find(&snaps).Error; err != nil {
		return nil, err
	}
	if len(snaps) == 1 && asOf {
		r.Snapshot = &snaps[0]
		f.Firms, f.Certified, f.VerifiedCertified = r.Snapshot.Firms, r.Snapshot.Certified, r.Snapshot.VerifiedCertified
	}
	return r, nil
}
