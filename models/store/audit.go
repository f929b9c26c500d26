package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/hanoi-cnht/portal/models"
)

// writeAudit records ev in the transaction of the change it records; the database refuses to
// update or delete it (see migration 3).
func writeAudit(tx *gorm.DB, now time.Time, a models.Actor, ev models.AuditEvent) error {
	ev = auditRow(now, a, ev)
	return tx.Create(&ev).Error
}

// auditRow fills in the actor and time of an audit row.
func auditRow(now time.Time, a models.Actor, ev models.AuditEvent) models.AuditEvent {
	ev.ID, ev.At = 0, now.UTC()
	if !a.System && a.UserID != 0 {
		id := a.UserID
		ev.ActorID = &id
	}
	ev.ActorName, ev.ActorRole, ev.ClientAddr = a.Name, a.AuditRole(), a.ClientAddr
	if ev.Changes == nil {
		ev.Changes = models.FieldChanges{}
	}
	return ev
}

// AuditFilter narrows the audit log; zero fields do not filter.
type AuditFilter struct {
	FirmID        uint
	EntityType    string
	EntityID      string
	ActorID       uint
	Action        string
	CorrelationID string
	Since, Until  time.Time
	Limit, Offset int
}

// AuditEvents lists the audit log, newest first. Staff read all of it; a firm's owners read
// their firm's history; nobody else reads any.
func (s *Store) AuditEvents(ctx context.Context, a models.Actor, f AuditFilter) ([]models.AuditEvent, error) {
	if !a.IsStaff() && (f.FirmID == 0 || !a.CanManageMembers(f.FirmID)) {
		return nil, models.ErrForbidden
	}
	q := s.db.WithContext(ctx).Model(&models.AuditEvent{})
	for _, c := range []struct {
		on   bool
		cond string
		arg  any
	}{
		{f.FirmID != 0, "firm_id = ?", f.FirmID}, {f.EntityType != "", "entity_type = ?", f.EntityType},
		{f.EntityID != "", "entity_id = ?", f.EntityID}, {f.ActorID != 0, "actor_id = ?", f.ActorID},
		{f.Action != "", "action = ?", f.Action}, {f.CorrelationID != "", "correlation_id = ?", f.CorrelationID},
		{!f.Since.IsZero(), "at >= ?", f.Since.UTC()}, {!f.Until.IsZero(), "at < ?", f.Until.UTC()},
	} {
		if c.on {
			q = q.Where(c.cond, c.arg)
		}
	}
	if f.Limit <= 0 || f.Limit > 10_000 {
		f.Limit = 200
	}
	var out []models.AuditEvent
	err := q.Order("id DESC").Limit(f.Limit).Offset(f.Offset).Find(&out).Error
	return out, err
}
