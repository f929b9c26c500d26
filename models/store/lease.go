package store

import (
	"context"
	"time"
)

// lease is a named job that one process at a time runs, such as sending the outbox's mail.
type lease struct {
	Name      string `gorm:"primaryKey"`
	Holder    string
	ExpiresAt time.Time
}

func (lease) TableName() string { return "leases" }

// HoldLease takes or renews the lease name for this process until ttl from now, and reports
// whether this process holds it. A lease another process holds is taken only once it expired,
// so a process that stops renewing (it ended, or lost the database) hands the job on after ttl.
func (s *Store) HoldLease(ctx context.Context, name string, ttl time.Duration) (bool, error) {
	now := dbTime(s.now())
	until := now.Add(ttl)
	db := s.db.WithContext(ctx)
	res := db.Model(&lease{}).Where("name = ? AND (holder = ? OR expires_at < ?)", name, s.origin, now).
		Updates(map[string]any{"holder": s.origin, "expires_at": until})
	if res.Error != nil {
		return false, res.Error
	}
	if res.RowsAffected > 0 {
		return true, nil
	}
	res = db.Exec("INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", name, s.origin, until)
	return res.RowsAffected > 0, res.Error
}

// ReleaseLease gives the lease up, if this process holds it, so another takes it at once.
func (s *Store) ReleaseLease(ctx context.Context, name string) error {
	return s.db.WithContext(ctx).Where("name = ? AND holder = ?", name, s.origin).Delete(&lease{}).Error
}
