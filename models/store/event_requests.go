package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/event"
)

// EventMailKeys are the mails the event use cases queue; each has KEY.subject and KEY.body.
var EventMailKeys = []string{"mail.event_registration_pending", "mail.event_registration_waitlisted",
	"mail.event_registration_approved", "mail.event_registration_rejected",
	"mail.meeting_requested", "mail.meeting_accepted", "mail.meeting_declined", "mail.meeting_cancelled",
	"mail.meeting_expired", "mail.agenda_changed", "mail.event_follow_up"}

// requestRow is a meeting request between two registrations of an event.
type requestRow struct {
	ID           uint `gorm:"primaryKey"`
	EventID      uint
	FromID, ToID uint
	Priority     string
	State        string
	NoThanks     bool
	Reason       string
	Message      string
	MadeBy       *uint
	MadeAt       time.Time
	AnsweredAt   *time.Time
}

func (requestRow) TableName() string { return "meeting_requests" }

func (r *requestRow) request() event.MeetingRequest {
	return event.MeetingRequest{ID: r.ID, EventID: r.EventID, FromID: r.FromID, ToID: r.ToID,
		Priority: event.Priority(r.Priority), State: event.RequestState(r.State), NoThanks: r.NoThanks,
		Reason: r.Reason, Message: r.Message, MadeBy: r.MadeBy, Made: r.MadeAt, Answered: r.AnsweredAt}
}

// RequestMeeting records one registration asking another for a meeting. The actor must act for
// the requesting registration; staff may request for anyone, outside the request window too,
// and with Accept make the meeting agreed at once (hosted-buyer programmes). Both sides must be
// approved; the event's rules (direction, a pair blocked by "no thanks", one open request a
// pair) hold for everyone. The other side is told by mail.
func (s *Store) RequestMeeting(ctx context.Context, a models.Actor, eventID uint, in event.RequestInput) (*event.MeetingRequest, error) {
	in.Message = strings.TrimSpace(in.Message)
	if n := utf8.RuneCountInString(in.Message); n > event.MaxMessageLength {
		return nil, fieldErr("message", "validation.too_long", models.Args{"Length": n, "Max": event.MaxMessageLength})
	}
	if in.Accept && !a.IsStaff() {
		return nil, models.ErrForbidden
	}
	now := s.now()
	var out event.MeetingRequest
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var evRow eventRow
		if err := first(tx, &evRow, eventID); err != nil {
			return err
		}
		ev := evRow.record()
		var regs []registrationRow
		if err := tx.Where("event_id = ? AND id IN ?", eventID, []uint{in.FromID, in.ToID}).Find(&regs).Error; err != nil {
			return err
		}
		byID := map[uint]*event.Registration{}
		for i := range regs {
			byID[regs[i].ID] = regs[i].registration()
		}
		from, to := byID[in.FromID], byID[in.ToID]
		if from == nil {
			return models.ErrNotFound
		}
		if !canActFor(a, from) {
			return models.ErrForbidden
		}
		if from.Status != event.Approved {
			return fieldErr("from", "event.not_approved", nil)
		}
		participants := map[string]*event.Participant{}
		for _, r := range byID {
			if r.Status == event.Approved {
				p := r.Participant()
				participants[p.ID] = &p
			}
		}
		var existing []requestRow
		if err := tx.Where("event_id = ? AND ((from_id = ? AND to_id = ?) OR (from_id = ? AND to_id = ?))",
			eventID, in.FromID, in.ToID, in.ToID, in.FromID).Find(&existing).Error; err != nil {
			return err
		}
		reqs := make([]event.Request, len(existing))
		for i := range existing {
			reqs[i] = existing[i].request().Request()
		}
		r := event.Request{ID: "new", From: strconv.FormatUint(uint64(in.FromID), 10), To: strconv.FormatUint(uint64(in.ToID), 10),
			Priority: in.Priority, State: event.Requested, Made: now}
		if err := ev.CheckRequest(&r, participants, reqs, now); err != nil {
			if a.IsStaff() {
				err = withoutField(err, "made")
			}
			if err != nil {
				return err
			}
		}
		row := requestRow{EventID: eventID, FromID: in.FromID, ToID: in.ToID, Priority: string(in.Priority),
			State: string(event.Requested), Message: in.Message, MadeAt: now}
		if a.UserID != 0 {
			id := a.UserID
			row.MadeBy = &id
		}
		if in.Accept {
			row.State, row.AnsweredAt = string(event.Accepted), &now
		}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		out = row.request()
		if err := writeAudit(tx, now, a, models.AuditEvent{Action: "meeting_request.create", EntityType: "meeting_request",
			EntityID: idText(row.ID), FirmID: from.FirmID, Changes: models.FieldChanges{
				{Field: "from", New: from.Company}, {Field: "to", New: to.Company},
				{Field: "priority", New: row.Priority}, {Field: "state", New: row.State}}}); err != nil {
			return err
		}
		rr := out.Request()
		args := map[string]any{"Other": from.Company, "Message": row.Message, "Expires": stampOf(rr.ExpiresAt(&ev.Event))}
		key := "mail.meeting_requested"
		if in.Accept {
			key = "mail.meeting_accepted"
			if err := s.tellRegistration(tx, now, ev, from, key, map[string]any{"Other": to.Company, "Reason": ""}, requestsPath(ev.ID, from.ID)); err != nil {
				return err
			}
		}
		return s.tellRegistration(tx, now, ev, to, key, args, requestsPath(ev.ID, to.ID))
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func requestsPath(eventID, regID uint) string {
	return fmt.Sprintf("/events/%d/requests?as=%d", eventID, regID)
}

// withoutField drops the errors on one field from a validation error; nil when none are left.
func withoutField(err error, field string) error {
	var ve *models.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	var keep []models.FieldError
	for _, f := range ve.Fields {
		if f.Field != field {
			keep = append(keep, f)
		}
	}
	if len(keep) == 0 {
		return nil
	}
	return &models.ValidationError{Fields: keep}
}

// AnswerRequest accepts, declines or cancels a meeting request. The side asked accepts or
// declines (a decline with "no thanks" blocks the pair); the side that asked may withdraw
// (cancel) its request while it waits; staff may do any of these for anyone and cancel an
// accepted meeting. A request past its deadline cannot be accepted: it expires instead, and the
// answer is refused. The other side is told by mail.
func (s *Store) AnswerRequest(ctx context.Context, a models.Actor, requestID uint, in event.AnswerInput) (*event.MeetingRequest, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	now := s.now()
	var out event.MeetingRequest
	var refused error
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var row requestRow
		if err := first(tx, &row, requestID); err != nil {
			return err
		}
		var evRow eventRow
		if err := first(tx, &evRow, row.EventID); err != nil {
			return err
		}
		var from, to registrationRow
		if err := first(tx, &from, row.FromID); err != nil {
			return err
		}
		if err := first(tx, &to, row.ToID); err != nil {
			return err
		}
		side := to.registration()
		if in.State == event.Cancelled {
			side = from.registration()
		}
		if !canActFor(a, side) || in.State == event.Cancelled && row.State == string(event.Accepted) && !a.IsStaff() {
			return models.ErrForbidden
		}
		err := s.changeRequest(tx, now, a, evRow.record(), &row, in, false)
		out = row.request()
		var ve *models.ValidationError
		if errors.As(err, &ve) && row.State == string(event.Expired) {
			// The expiry is kept; the answer is refused after the commit.
			refused = err
			return nil
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if refused != nil {
		return &out, refused
	}
	return &out, nil
}

// changeRequest moves row to the answer's state by the event's rules, records it and tells the
// side that did not act. With quiet the refusal of a request already answered is no error (a
// withdrawal sweeps them all).
func (s *Store) changeRequest(tx *gorm.DB, now time.Time, a models.Actor, ev *event.Record, row *requestRow, in event.AnswerInput, quiet bool) error {
	r := row.request().Request()
	old := row.State
	err := r.Answer(&ev.Event, in.State, now, in.Reason, in.NoThanks)
	if r.State == event.RequestState(old) {
		if quiet {
			return nil
		}
		return err
	}
	row.State, row.Reason, row.NoThanks, row.AnsweredAt = string(r.State), r.Reason, r.NoThanks, &now
	if res := tx.Model(row).Where("state = ?", old).Updates(map[string]any{"state": row.State, "reason": row.Reason,
		"no_thanks": row.NoThanks, "answered_at": now}); res.Error != nil {
		return res.Error
	} else if res.RowsAffected == 0 {
		return fmt.Errorf("%w: the request was answered meanwhile", models.ErrConflict)
	}
	var from, to registrationRow
	if e := first(tx, &from, row.FromID); e != nil {
		return e
	}
	if e := first(tx, &to, row.ToID); e != nil {
		return e
	}
	action := "meeting_request." + row.State
	if e := writeAudit(tx, now, a, models.AuditEvent{Action: action, EntityType: "meeting_request", EntityID: idText(row.ID),
		Reason: row.Reason, FirmID: to.FirmID, Changes: models.FieldChanges{{Field: "state", Old: old, New: row.State},
			{Field: "no_thanks", New: strconv.FormatBool(row.NoThanks)}}}); e != nil {
		return e
	}
	key := "mail.meeting_" + row.State
	tell := func(who, other *registrationRow) error {
		return s.tellRegistration(tx, now, ev, who.registration(), key, map[string]any{"Other": other.Company, "Reason": row.Reason},
			requestsPath(ev.ID, who.ID))
	}
	switch event.RequestState(row.State) {
	case event.Expired:
		if e := tell(&from, &to); e != nil {
			return e
		}
		if e := tell(&to, &from); e != nil {
			return e
		}
	case event.Cancelled:
		// Whoever did not cancel is told; staff cancelling tells both.
		if a.IsStaff() || !canActFor(a, from.registration()) {
			if e := tell(&from, &to); e != nil {
				return e
			}
		}
		if e := tell(&to, &from); e != nil {
			return e
		}
	default:
		if e := tell(&from, &to); e != nil {
			return e
		}
	}
	return err
}

// ExpireRequests moves every request left unanswered past its deadline to expired, so it stops
// holding anything, and tells both sides. It returns how many expired.
func (s *Store) ExpireRequests(ctx context.Context) (int, error) {
	now := s.now()
	var rows []requestRow
	if err := s.db.WithContext(ctx).Where("state = ?", string(event.Requested)).Order("id").Find(&rows).Error; err != nil {
		return 0, err
	}
	events := map[uint]*event.Record{}
	n := 0
	for i := range rows {
		row := &rows[i]
		ev := events[row.EventID]
		if ev == nil {
			var err error
			if ev, err = s.EventByID(ctx, row.EventID); err != nil {
				return n, err
			}
			events[row.EventID] = ev
		}
		r := row.request().Request()
		if now.Before(r.ExpiresAt(&ev.Event)) {
			continue
		}
		err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			return s.changeRequest(tx, now, models.SystemActor("request expiry"), ev, row, event.AnswerInput{State: event.Expired}, true)
		})
		if err != nil && !errors.Is(err, models.ErrConflict) {
			return n, err
		}
		if err == nil {
			n++
		}
	}
	return n, nil
}

// RequestsOf lists the requests a registration made and received, newest first, to those who
// act for it.
func (s *Store) RequestsOf(ctx context.Context, a models.Actor, regID uint) ([]event.MeetingRequest, error) {
	if _, err := s.Registration(ctx, a, regID); err != nil {
		return nil, err
	}
	return s.requests(ctx, s.db.WithContext(ctx).Where("from_id = ? OR to_id = ?", regID, regID))
}

// EventRequests lists every request of an event; staff only.
func (s *Store) EventRequests(ctx context.Context, a models.Actor, eventID uint) ([]event.MeetingRequest, error) {
	if !a.IsStaff() {
		return nil, models.ErrForbidden
	}
	return s.requests(ctx, s.db.WithContext(ctx).Where("event_id = ?", eventID))
}

func (s *Store) requests(ctx context.Context, q *gorm.DB) ([]event.MeetingRequest, error) {
	var rows []requestRow
	if err := q.Order("made_at DESC, id DESC").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]event.MeetingRequest, len(rows))
	for i := range rows {
		out[i] = rows[i].request()
	}
	return out, nil
}
