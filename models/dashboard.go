package models

import (
	"strings"
	"time"
)

// Programme target metrics: how many supporting-industry firms are listed, and the share of them
// (in percent) holding a current international certificate.
const (
	TargetFirms          = "firms"
	TargetCertifiedShare = "certified_share"
)

// ProgrammeTarget is one numeric target of the city's supporting-industry programme for a year,
// with the document it comes from. Staff edit them; the first ones come from the published plans.
type ProgrammeTarget struct {
	ID        uint `gorm:"primaryKey"`
	Metric    string
	Year      int
	Value     int
	Source    string
	UpdatedAt time.Time
}

// TableName keeps GORM off its plural guess.
func (ProgrammeTarget) TableName() string { return "programme_targets" }

// TargetUpdate is what staff may change of a target: its year, value and source.
type TargetUpdate struct {
	Year   int
	Value  int
	Source string
}

// Validate checks the update against the target's metric.
func (u *TargetUpdate) Validate(metric string) error {
	var p problems
	u.Source = strings.TrimSpace(u.Source)
	if u.Year < 2000 || u.Year > 2100 {
		p.add("year", "validation.year_range", Args{"Value": u.Year, "Min": 2000, "Max": 2100})
	}
	max := 1_000_000
	if metric == TargetCertifiedShare {
		max = 100
	}
	if u.Value < 0 || u.Value > max {
		p.add("value", "validation.number_range", Args{"Value": u.Value, "Min": 0, "Max": max})
	}
	if u.Source == "" {
		p.add("source", "validation.required", nil)
	}
	checkText(&p, "source", u.Source, 300, false)
	return p.err()
}

// DashboardSnapshot is the headline figures of one day, kept for the trends.
type DashboardSnapshot struct {
	ID                uint `gorm:"primaryKey"`
	Day               string
	Firms             int
	Certified         int
	VerifiedCertified int
	VerifiedFirms     int
	TakenAt           time.Time
}

// TableName keeps GORM off its plural guess.
func (DashboardSnapshot) TableName() string { return "dashboard_snapshots" }
