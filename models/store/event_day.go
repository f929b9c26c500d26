package store

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/event"
)

// The fair day and after: badges and check-in at the desk, what happened to each meeting, the
// outcome each side records, the follow-up mail and the event's results.

// badgeRow is a participant's badge and its check-in.
type badgeRow struct {
	ID             uint `gorm:"primaryKey"`
	EventID        uint
	RegistrationID uint
	Token          string
	CheckedInAt    *time.Time
	CheckedInBy    *uint
	CreatedAt      time.Time
}

func (badgeRow) TableName() string { return "event_badges" }

func (b *badgeRow) badge() *event.Badge {
	return &event.Badge{RegistrationID: b.RegistrationID, EventID: b.EventID, Token: b.Token, CheckedInAt: b.CheckedInAt,
		CheckedInBy: b.CheckedInBy}
}

// attendanceRow is what happened to a meeting on the day.
type attendanceRow struct {
	ID        uint `gorm:"primaryKey"`
	MeetingID uint
	Status    string
	MarkedBy  *uint
	MarkedAt  time.Time
}

func (attendanceRow) TableName() string { return "meeting_attendance" }

// outcomeRow is the outcome one side recorded for a meeting.
type outcomeRow struct {
	ID             uint `gorm:"primaryKey"`
	MeetingID      uint
	RegistrationID uint
	Outcome        string
	Notes          string
	RecordedBy     *uint
	RecordedAt     time.Time
}

func (outcomeRow) TableName() string { return "meeting_outcomes" }

func (o *outcomeRow) outcome() *event.MeetingOutcome {
	return &event.MeetingOutcome{MeetingID: o.MeetingID, RegistrationID: o.RegistrationID, Outcome: event.Outcome(o.Outcome),
		Notes: o.Notes, RecordedAt: o.RecordedAt}
}

// followUpRow records the follow-up mail sent to a participant.
type followUpRow struct {
	ID             uint `gorm:"primaryKey"`
	EventID        uint
	RegistrationID uint
	SentAt         time.Time
}

func (followUpRow) TableName() string { return "event_follow_ups" }

// badgeToken is a badge's code: 80 random bits, so that nobody checks in as another by
// guessing, written in letters and digits a desk can also type.
func badgeToken() (string, error) {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base32.StdEncoding.EncodeToString(b), nil
}

// NormalizeBadgeCode is a typed or scanned code as stored: upper case, without spaces or dashes.
func NormalizeBadgeCode(code string) string {
	return strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(code)))
}

func actorID(a models.Actor) *uint {
	if a.UserID == 0 {
		return nil
	}
	id := a.UserID
	return &id
}

// issueBadges gives a badge to each of regs that has none yet and returns every badge by
// registration.
func issueBadges(tx *gorm.DB, now time.Time, a models.Actor, eventID uint, regs []*event.Registration) (map[uint]*badgeRow, error) {
	var rows []badgeRow
	if err := tx.Where("event_id = ?", eventID).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := map[uint]*badgeRow{}
	for i := range rows {
		out[rows[i].RegistrationID] = &rows[i]
	}
	for _, r := range regs {
		if out[r.ID] != nil {
			continue
		}
		token, err := badgeToken()
		if err != nil {
			return nil, err
		}
		row := &badgeRow{EventID: eventID, RegistrationID: r.ID, Token: token, CreatedAt: now}
		if err := tx.Create(row).Error; err != nil {
			return nil, err
		}
		if err := writeAudit(tx, now, a, models.AuditEvent{Action: "badge.issue", EntityType: "registration",
			EntityID: idText(r.ID), FirmID: r.FirmID}); err != nil {
			return nil, err
		}
		out[r.ID] = row
	}
	return out, nil
}

// Badge returns a registration's badge to those who act for the registration; only an
// approved registration has one. Badges are issued on approval (and by IssueBadges for those
// approved before), never by reading: a registration without one gets a badge without a token.
func (s *Store) Badge(ctx context.Context, a models.Actor, regID uint) (*event.Badge, error) {
	db := s.db.WithContext(ctx)
	row, _, err := loadRegistration(db, regID)
	if err != nil {
		return nil, err
	}
	r := row.registration()
	if !canActFor(a, r) {
		return nil, models.ErrForbidden
	}
	if r.Status != event.Approved {
		return nil, fieldErr("registration", "event.not_approved", nil)
	}
	var rows []badgeRow
	if err := db.Where("registration_id = ?", regID).Limit(1).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := &event.Badge{RegistrationID: r.ID, EventID: r.EventID}
	if len(rows) > 0 {
		out = rows[0].badge()
	}
	out.Registration = r
	return out, s.fillSlugs(ctx, []*event.Registration{r})
}

// EventBadges returns the badge of every approved registration of an event in the order of
// the registrations, one without a token for a registration that has none yet; staff only.
func (s *Store) EventBadges(ctx context.Context, a models.Actor, eventID uint) ([]*event.Badge, error) {
	if !a.IsStaff() {
		return nil, models.ErrForbidden
	}
	db := s.db.WithContext(ctx)
	var ev eventRow
	if err := first(db, &ev, eventID); err != nil {
		return nil, err
	}
	var rows []registrationRow
	if err := db.Where("event_id = ? AND status = ?", eventID, string(event.Approved)).Order("side, company, id").
		Find(&rows).Error; err != nil {
		return nil, err
	}
	var badges []badgeRow
	if err := db.Where("event_id = ?", eventID).Find(&badges).Error; err != nil {
		return nil, err
	}
	byReg := map[uint]*badgeRow{}
	for i := range badges {
		byReg[badges[i].RegistrationID] = &badges[i]
	}
	out := make([]*event.Badge, 0, len(rows))
	for i := range rows {
		b := &event.Badge{RegistrationID: rows[i].ID, EventID: eventID}
		if row := byReg[rows[i].ID]; row != nil {
			b = row.badge()
		}
		b.Registration = rows[i].registration()
		out = append(out, b)
	}
	return out, nil
}

// IssueBadges gives a badge to every approved registration of an event that has none (those
// approved before badges came with approval); staff only. It returns how many it issued.
func (s *Store) IssueBadges(ctx context.Context, a models.Actor, eventID uint) (int, error) {
	if !a.IsStaff() {
		return 0, models.ErrForbidden
	}
	now := s.now()
	n := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var ev eventRow
		if err := first(tx, &ev, eventID); err != nil {
			return err
		}
		var rows []registrationRow
		if err := tx.Where("event_id = ? AND status = ?", eventID, string(event.Approved)).Order("id").Find(&rows).Error; err != nil {
			return err
		}
		var before int64
		if err := tx.Model(&badgeRow{}).Where("event_id = ?", eventID).Count(&before).Error; err != nil {
			return err
		}
		regs := make([]*event.Registration, len(rows))
		for i := range rows {
			regs[i] = rows[i].registration()
		}
		all, err := issueBadges(tx, now, a, eventID, regs)
		n = len(all) - int(before)
		return err
	})
	return n, err
}

// CheckInInput names who checks in: by the code on the badge, or by registration (a tick on
// the desk's list); Undo takes a check-in back.
type CheckInInput struct {
	Code           string
	RegistrationID uint
	Undo           bool
}

// CheckIn records a participant's arrival at the desk; staff only. A code must be one of the
// event's badges. Checking in twice keeps the first time.
func (s *Store) CheckIn(ctx context.Context, a models.Actor, eventID uint, in CheckInInput) (*event.Badge, error) {
	if !a.IsStaff() {
		return nil, models.ErrForbidden
	}
	now := s.now()
	var out *event.Badge
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var row badgeRow
		if code := NormalizeBadgeCode(in.Code); code != "" {
			err := tx.Where("event_id = ? AND token = ?", eventID, code).First(&row).Error
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return fieldErr("code", "event.unknown_badge", nil)
			} else if err != nil {
				return err
			}
		} else {
			reg, _, err := loadRegistration(tx, in.RegistrationID)
			if err != nil {
				return err
			}
			r := reg.registration()
			if r.EventID != eventID {
				return models.ErrNotFound
			}
			if r.Status != event.Approved {
				return fieldErr("registration", "event.not_approved", nil)
			}
			badges, err := issueBadges(tx, now, a, eventID, []*event.Registration{r})
			if err != nil {
				return err
			}
			row = *badges[r.ID]
		}
		var reg registrationRow
		if err := first(tx, &reg, row.RegistrationID); err != nil {
			return err
		}
		out = row.badge()
		out.Registration = reg.registration()
		if in.Undo == (row.CheckedInAt == nil) {
			return nil
		}
		var at *time.Time
		old, updated, action := "yes", "no", "registration.check_in_undo"
		if !in.Undo {
			at, old, updated, action = &now, "no", "yes", "registration.check_in"
		}
		if err := tx.Model(&row).Updates(map[string]any{"checked_in_at": at, "checked_in_by": actorID(a)}).Error; err != nil {
			return err
		}
		out.CheckedInAt, out.CheckedInBy = at, actorID(a)
		return writeAudit(tx, now, a, models.AuditEvent{Action: action, EntityType: "registration", EntityID: idText(reg.ID),
			FirmID: reg.FirmID, Changes: models.FieldChanges{{Field: "checked_in", Old: old, New: updated}}})
	})
	return out, err
}

// MarkMeeting records what happened to a meeting on the day: held, or who did not come; ""
// clears it. Staff only: the desk and the floor staff see who sits at the tables.
func (s *Store) MarkMeeting(ctx context.Context, a models.Actor, meetingID uint, status event.MeetingStatus) error {
	if !a.IsStaff() {
		return models.ErrForbidden
	}
	if err := event.ValidateStatus(status); err != nil {
		return err
	}
	now := s.now()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var m placementRow
		if err := first(tx, &m, meetingID); err != nil {
			return err
		}
		if m.PublishedSlot == 0 {
			return fieldErr("status", "event.not_held", nil)
		}
		if status != "" {
			if err := startedBy(tx, &m, now, "status"); err != nil {
				return err
			}
		}
		var old attendanceRow
		err := tx.Where("meeting_id = ?", meetingID).First(&old).Error
		if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		if old.Status == string(status) {
			return nil
		}
		switch {
		case status == "":
			err = tx.Delete(&old).Error
		case old.ID == 0:
			err = tx.Create(&attendanceRow{MeetingID: meetingID, Status: string(status), MarkedBy: actorID(a), MarkedAt: now}).Error
		default:
			err = tx.Model(&old).Updates(map[string]any{"status": string(status), "marked_by": actorID(a), "marked_at": now}).Error
		}
		if err != nil {
			return err
		}
		return writeAudit(tx, now, a, models.AuditEvent{Action: "meeting.status", EntityType: "meeting", EntityID: idText(meetingID),
			Changes: models.FieldChanges{{Field: "status", Old: old.Status, New: string(status)}}})
	})
}

// startedBy refuses, on field, a record of a published meeting whose slot has not begun at
// now: nobody knows yet whether it is held or what it leads to.
func startedBy(tx *gorm.DB, m *placementRow, now time.Time, field string) error {
	var ev eventRow
	if err := first(tx, &ev, m.EventID); err != nil {
		return err
	}
	slots := ev.record().Slots()
	if m.PublishedSlot < 1 || m.PublishedSlot > len(slots) {
		return fieldErr(field, "event.not_held", nil)
	}
	if start := slots[m.PublishedSlot-1].Start; now.Before(start) {
		return fieldErr(field, "event.too_early", models.Args{"Start": stampOf(start)})
	}
	return nil
}

// RecordOutcome records what a meeting led to, as the registration's side sees it. The actor
// must act for the registration, which must be a side of the meeting: one side never records
// the other's outcome. A meeting that was not held has no outcome.
func (s *Store) RecordOutcome(ctx context.Context, a models.Actor, meetingID, regID uint, in event.OutcomeInput) error {
	if err := in.Validate(); err != nil {
		return err
	}
	now := s.now()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var m placementRow
		if err := first(tx, &m, meetingID); err != nil {
			return err
		}
		var req requestRow
		if err := first(tx, &req, m.RequestID); err != nil {
			return err
		}
		if req.FromID != regID && req.ToID != regID {
			return models.ErrForbidden
		}
		var reg registrationRow
		if err := first(tx, &reg, regID); err != nil {
			return err
		}
		if !canActFor(a, reg.registration()) {
			return models.ErrForbidden
		}
		var att attendanceRow
		if err := tx.Where("meeting_id = ?", meetingID).Limit(1).Find(&att).Error; err != nil {
			return err
		}
		if m.PublishedSlot == 0 || att.Status != "" && att.Status != string(event.Held) {
			return fieldErr("outcome", "event.not_held", nil)
		}
		if err := startedBy(tx, &m, now, "outcome"); err != nil {
			return err
		}
		var old outcomeRow
		if err := tx.Where("meeting_id = ? AND registration_id = ?", meetingID, regID).Limit(1).Find(&old).Error; err != nil {
			return err
		}
		row := outcomeRow{ID: old.ID, MeetingID: meetingID, RegistrationID: regID, Outcome: string(in.Outcome), Notes: in.Notes,
			RecordedBy: actorID(a), RecordedAt: now}
		if err := tx.Save(&row).Error; err != nil {
			return err
		}
		return writeAudit(tx, now, a, models.AuditEvent{Action: "meeting.outcome", EntityType: "meeting", EntityID: idText(meetingID),
			FirmID: reg.FirmID, Changes: models.FieldChanges{{Field: "registration", New: idText(regID)},
				{Field: "outcome", Old: old.Outcome, New: row.Outcome}}})
	})
}

// DayMeetings lists an event's published meetings in time order with what happened and the
// outcomes: every meeting for staff (regID 0), or a registration's own to those who act for it.
func (s *Store) DayMeetings(ctx context.Context, a models.Actor, eventID, regID uint) ([]*event.DayMeeting, error) {
	if regID == 0 && !a.IsStaff() {
		return nil, models.ErrForbidden
	}
	if regID != 0 {
		r, err := s.Registration(ctx, a, regID)
		if err != nil {
			return nil, err
		}
		if r.EventID != eventID {
			return nil, models.ErrNotFound
		}
	}
	db := s.db.WithContext(ctx)
	st, err := loadEventState(db, eventID)
	if err != nil {
		return nil, err
	}
	return dayMeetings(db, st, regID)
}

func dayMeetings(db *gorm.DB, st *eventState, regID uint) ([]*event.DayMeeting, error) {
	var atts []attendanceRow
	var outs []outcomeRow
	var badges []badgeRow
	ids := make([]uint, 0, len(st.placements))
	for _, p := range st.placements {
		ids = append(ids, p.ID)
	}
	if len(ids) > 0 {
		if err := db.Where("meeting_id IN ?", ids).Find(&atts).Error; err != nil {
			return nil, err
		}
		if err := db.Where("meeting_id IN ?", ids).Find(&outs).Error; err != nil {
			return nil, err
		}
	}
	if err := db.Where("event_id = ? AND checked_in_at IS NOT NULL", st.ev.ID).Find(&badges).Error; err != nil {
		return nil, err
	}
	status := map[uint]string{}
	for _, x := range atts {
		status[x.MeetingID] = x.Status
	}
	type key struct{ meeting, reg uint }
	outcomes := map[key]*outcomeRow{}
	for i := range outs {
		outcomes[key{outs[i].MeetingID, outs[i].RegistrationID}] = &outs[i]
	}
	in := map[uint]bool{}
	for _, b := range badges {
		in[b.RegistrationID] = true
	}
	slots := st.ev.Slots()
	tables := map[int]event.Table{}
	for _, t := range st.ev.Tables {
		tables[t.Number] = t
	}
	var out []*event.DayMeeting
	for _, p := range st.placements {
		r := st.requests[p.RequestID]
		if r == nil || p.PublishedSlot < 1 || p.PublishedSlot > len(slots) {
			continue
		}
		if regID != 0 && r.FromID != regID && r.ToID != regID {
			continue
		}
		buyer, supplier := st.sides(r)
		if buyer == nil || supplier == nil {
			continue
		}
		m := &event.DayMeeting{ID: p.ID, Slot: slots[p.PublishedSlot-1], Table: tables[p.PublishedTable], Buyer: buyer,
			Supplier: supplier, Status: event.MeetingStatus(status[p.ID]), BuyerCheckedIn: in[buyer.ID], SupplierCheckedIn: in[supplier.ID]}
		if m.Table.Number == 0 {
			m.Table.Number = p.PublishedTable
		}
		if o := outcomes[key{p.ID, buyer.ID}]; o != nil {
			m.BuyerOutcome = o.outcome()
		}
		if o := outcomes[key{p.ID, supplier.ID}]; o != nil {
			m.SupplierOutcome = o.outcome()
		}
		out = append(out, m)
	}
	slices.SortStableFunc(out, func(x, y *event.DayMeeting) int {
		if x.Slot.Number != y.Slot.Number {
			return x.Slot.Number - y.Slot.Number
		}
		return x.Table.Number - y.Table.Number
	})
	return out, nil
}

// SendFollowUps mails, once, every participant of an event whose follow-up delay has passed
// since its last day and who had a meeting, asking how its meetings went; it returns how many
// registrations were asked.
func (s *Store) SendFollowUps(ctx context.Context) (int, error) {
	now := s.now()
	evs, err := s.Events(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, ev := range evs {
		last := ev.LastDay()
		if last.IsZero() || now.Before(last.AddDate(0, 0, ev.FollowUpAfter())) {
			continue
		}
		err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			st, err := loadEventState(tx, ev.ID)
			if err != nil {
				return err
			}
			var sent []followUpRow
			if err := tx.Where("event_id = ?", ev.ID).Find(&sent).Error; err != nil {
				return err
			}
			done := map[uint]bool{}
			for _, f := range sent {
				done[f.RegistrationID] = true
			}
			met := map[uint]bool{}
			for _, p := range st.placements {
				if r := st.requests[p.RequestID]; r != nil && p.PublishedSlot > 0 {
					met[r.FromID], met[r.ToID] = true, true
				}
			}
			for _, id := range slices.Sorted(maps.Keys(met)) {
				r := st.regs[id]
				if r == nil || done[id] || r.Status != event.Approved {
					continue
				}
				if err := tx.Create(&followUpRow{EventID: ev.ID, RegistrationID: id, SentAt: now}).Error; err != nil {
					return err
				}
				if err := writeAudit(tx, now, models.SystemActor("event follow-up"), models.AuditEvent{Action: "registration.follow_up",
					EntityType: "registration", EntityID: idText(id), FirmID: r.FirmID}); err != nil {
					return err
				}
				if err := s.tellRegistration(tx, now, ev, r, "mail.event_follow_up", nil,
					fmt.Sprintf("/events/%d/outcomes?as=%d", ev.ID, id)); err != nil {
					return err
				}
				n++
			}
			return nil
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
