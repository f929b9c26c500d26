package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/event"
)

// MoveConflictsError refuses a move: a hard conflict, or conflicts staff have not confirmed.
type MoveConflictsError struct {
	Conflicts []event.SeatConflict
}

func (e *MoveConflictsError) Error() string {
	var b []string
	for _, c := range e.Conflicts {
		b = append(b, event.MessageEN(c.Key, c.Args))
	}
	return "the move conflicts: " + strings.Join(b, "; ")
}

// Unwrap makes the refusal a models.ErrConflict.
func (e *MoveConflictsError) Unwrap() error { return models.ErrConflict }

// MoveView is a meeting of the schedule with its two sides, and what moving it to the seat
// asked for would break.
type MoveView struct {
	Meeting         event.Placement
	Buyer, Supplier *event.Registration
	Conflicts       []event.SeatConflict
}

// seatCheck builds the event's rules' view of the schedule around meeting p and checks the
// seat (slot, table) for it.
func (st *eventState) seatCheck(p *placementRow, slot, table int) (*MoveView, error) {
	participants := map[string]*event.Participant{}
	for _, r := range st.regs {
		ps := r.Participant()
		participants[ps.ID] = &ps
	}
	var moving *event.Meeting
	var others []event.Meeting
	for i := range st.placements {
		q := &st.placements[i]
		r := st.requests[q.RequestID]
		if q.Slot == 0 || r == nil {
			if q.ID != p.ID {
				continue
			}
		}
		m := event.Meeting{ID: idText(q.ID), Slot: q.Slot, Table: q.TableNumber}
		if r != nil {
			m.Participants = []string{idText(r.FromID), idText(r.ToID)}
		}
		if q.InterpreterID != nil {
			m.Participants = append(m.Participants, idText(*q.InterpreterID))
		}
		if q.ID == p.ID {
			moving = &m
		}
		others = append(others, m)
	}
	r := st.requests[p.RequestID]
	if moving == nil || r == nil {
		return nil, models.ErrNotFound
	}
	buyer, supplier := st.sides(r)
	pl := p.placement()
	return &MoveView{Meeting: pl, Buyer: buyer, Supplier: supplier,
		Conflicts: st.ev.CheckSeat(*moving, slot, table, others, participants)}, nil
}

// loadMove loads the event state of a meeting of eventID.
func loadMove(tx *gorm.DB, eventID, meetingID uint) (*eventState, *placementRow, error) {
	st, err := loadEventState(tx, eventID)
	if err != nil {
		return nil, nil, err
	}
	for i := range st.placements {
		if st.placements[i].ID == meetingID {
			return st, &st.placements[i], nil
		}
	}
	return nil, nil, models.ErrNotFound
}

// MovePreview says what moving a meeting of the event to (slot, table) would break, without
// moving it; staff only. A slot of 0 checks nothing and returns the meeting as it is.
func (s *Store) MovePreview(ctx context.Context, a models.Actor, eventID, meetingID uint, slot, table int) (*MoveView, error) {
	if !a.IsStaff() {
		return nil, models.ErrForbidden
	}
	st, p, err := loadMove(s.db.WithContext(ctx), eventID, meetingID)
	if err != nil {
		return nil, err
	}
	v, err := st.seatCheck(p, max(slot, 1), table)
	if err == nil && slot == 0 {
		v.Conflicts = nil
	}
	return v, err
}

// MoveInput is where staff move a meeting; Confirm overrides the conflicts that can be (a
// participant's unavailable slot, a session's cap, a table's chairs) once staff have seen them.
type MoveInput struct {
	Slot, Table int
	Confirm     bool
}

// MoveMeeting puts a meeting of the event at another slot and table and locks it there, so
// that the scheduler keeps it; staff only. It is refused with a *MoveConflictsError when
// someone would be double-booked or the table is taken, or when other conflicts are not
// confirmed. A published meeting moves for its participants at once: they are told by mail in
// their language and their agenda shows the new seat. The audit row names the old and new
// seat and every conflict overridden.
func (s *Store) MoveMeeting(ctx context.Context, a models.Actor, eventID, meetingID uint, in MoveInput) error {
	if !a.IsStaff() {
		return models.ErrForbidden
	}
	now := s.now()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		st, p, err := loadMove(tx, eventID, meetingID)
		if err != nil {
			return err
		}
		v, err := st.seatCheck(p, in.Slot, in.Table)
		if err != nil {
			return err
		}
		var overridden []string
		for _, c := range v.Conflicts {
			if c.Hard || !in.Confirm {
				return &MoveConflictsError{Conflicts: v.Conflicts}
			}
			overridden = append(overridden, event.MessageEN(c.Key, c.Args))
		}
		if p.Slot == in.Slot && p.TableNumber == in.Table {
			return nil
		}
		published := p.PublishedSlot > 0
		updates := map[string]any{"slot": in.Slot, "table_number": in.Table, "locked": true, "updated_at": now}
		if published {
			updates["published_slot"], updates["published_table"] = in.Slot, in.Table
		}
		if err := tx.Model(p).Updates(updates).Error; err != nil {
			return err
		}
		if err := writeAudit(tx, now, a, models.AuditEvent{Action: "meeting.move", EntityType: "meeting", EntityID: idText(p.ID),
			Reason: strings.Join(overridden, "; "), Changes: models.FieldChanges{
				{Field: "slot", Old: strconv.Itoa(p.Slot), New: strconv.Itoa(in.Slot)},
				{Field: "table", Old: strconv.Itoa(p.TableNumber), New: strconv.Itoa(in.Table)},
				{Field: "published", Old: strconv.FormatBool(published), New: strconv.FormatBool(published)}}}); err != nil {
			return err
		}
		if !published {
			return nil
		}
		told := []*event.Registration{v.Buyer, v.Supplier}
		if p.InterpreterID != nil {
			told = append(told, st.regs[*p.InterpreterID])
		}
		for _, r := range told {
			if r == nil || r.Status != event.Approved {
				continue
			}
			if err := s.tellRegistration(tx, now, st.ev, r, "mail.agenda_changed", nil,
				fmt.Sprintf("/events/%d/agenda?as=%d", eventID, r.ID)); err != nil {
				return err
			}
		}
		return nil
	})
}
