package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/event"
)

// placementRow is a meeting of an event's schedule.
type placementRow struct {
	ID                            uint `gorm:"primaryKey"`
	EventID                       uint
	RequestID                     uint
	Slot                          int
	TableNumber                   int
	InterpreterID                 *uint
	Locked                        bool
	PublishedSlot, PublishedTable int
	UpdatedAt                     time.Time
}

func (placementRow) TableName() string { return "meetings" }

func (p *placementRow) placement() event.Placement {
	return event.Placement{ID: p.ID, EventID: p.EventID, RequestID: p.RequestID, Slot: p.Slot, Table: p.TableNumber,
		InterpreterID: p.InterpreterID, Locked: p.Locked, PublishedSlot: p.PublishedSlot,
		PublishedTable: p.PublishedTable, UpdatedAt: p.UpdatedAt}
}

// runRow is one run of the scheduler.
type runRow struct {
	ID                                                       uint `gorm:"primaryKey"`
	EventID                                                  uint
	RunAt                                                    time.Time
	RunBy                                                    string
	Placed, Bound, Unscheduled, Breaks, MaxBreaks, MinBreaks int
	Report                                                   event.RunReport `gorm:"serializer:json"`
}

func (runRow) TableName() string { return "schedule_runs" }

func (r *runRow) run() *event.ScheduleRun {
	return &event.ScheduleRun{ID: r.ID, EventID: r.EventID, RunAt: r.RunAt, RunBy: r.RunBy, Placed: r.Placed,
		Bound: r.Bound, Unscheduled: r.Unscheduled, Breaks: r.Breaks, MaxBreaks: r.MaxBreaks, MinBreaks: r.MinBreaks,
		Report: r.Report}
}

// eventState is everything of an event the scheduler and the agendas read.
type eventState struct {
	ev         *event.Record
	regs       map[uint]*event.Registration
	requests   map[uint]*requestRow
	placements []placementRow
}

func loadEventState(tx *gorm.DB, eventID uint) (*eventState, error) {
	var evRow eventRow
	if err := first(tx, &evRow, eventID); err != nil {
		return nil, err
	}
	st := &eventState{ev: evRow.record(), regs: map[uint]*event.Registration{}, requests: map[uint]*requestRow{}}
	var regs []registrationRow
	if err := tx.Where("event_id = ?", eventID).Order("id").Find(&regs).Error; err != nil {
		return nil, err
	}
	for i := range regs {
		st.regs[regs[i].ID] = regs[i].registration()
	}
	var reqs []requestRow
	if err := tx.Where("event_id = ?", eventID).Order("id").Find(&reqs).Error; err != nil {
		return nil, err
	}
	for i := range reqs {
		st.requests[reqs[i].ID] = &reqs[i]
	}
	if err := tx.Where("event_id = ?", eventID).Order("id").Find(&st.placements).Error; err != nil {
		return nil, err
	}
	return st, nil
}

// sides orders a request's two registrations as buyer, supplier.
func (st *eventState) sides(r *requestRow) (buyer, supplier *event.Registration) {
	buyer, supplier = st.regs[r.FromID], st.regs[r.ToID]
	if buyer != nil && buyer.Side != event.Buyer {
		buyer, supplier = supplier, buyer
	}
	return buyer, supplier
}

// RunSchedule runs the scheduler over an event's approved participants and accepted requests,
// keeping locked meetings where they are and the last schedule's meetings where they still fit,
// and stores the schedule and the run's report; staff only. Nobody is told until the schedule
// is published: participants keep seeing the seats they were told.
func (s *Store) RunSchedule(ctx context.Context, a models.Actor, eventID uint) (*event.ScheduleRun, error) {
	if !a.IsStaff() {
		return nil, models.ErrForbidden
	}
	now := s.now()
	var out *event.ScheduleRun
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		st, err := loadEventState(tx, eventID)
		if err != nil {
			return err
		}
		var participants []event.Participant
		for _, id := range slices.Sorted(maps.Keys(st.regs)) {
			if r := st.regs[id]; r.Status == event.Approved {
				participants = append(participants, r.Participant())
			}
		}
		var requests []event.Request
		for _, id := range slices.Sorted(maps.Keys(st.requests)) {
			requests = append(requests, st.requests[id].request().Request())
		}
		var previous []event.Meeting
		for _, p := range st.placements {
			r := st.requests[p.RequestID]
			if p.Slot == 0 || r == nil {
				continue
			}
			buyer, supplier := st.sides(r)
			if buyer == nil || supplier == nil {
				continue
			}
			m := event.Meeting{ID: idText(p.ID), RequestID: idText(p.RequestID), Slot: p.Slot, Table: p.TableNumber,
				Participants: []string{buyer.ParticipantID(), supplier.ParticipantID()}, Priority: event.Priority(r.Priority),
				Locked: p.Locked}
			pl := p.placement()
			m.Published = pl.Published()
			if p.InterpreterID != nil {
				m.Participants = append(m.Participants, idText(*p.InterpreterID))
			}
			previous = append(previous, m)
		}
		problem, dropped, unplaced := st.ev.Problem(participants, requests, previous)
		sched, err := event.Solve(problem, event.Options{})
		if err != nil {
			return err
		}
		if err := st.store(tx, now, sched); err != nil {
			return err
		}
		report := event.RunReport{Unscheduled: append(unplaced, sched.Unscheduled...), Conflicts: sched.Conflicts,
			Changes: append(dropped, sched.Changes...), Bound: sched.Bound}
		run := runRow{EventID: eventID, RunAt: now, RunBy: a.Name, Placed: sched.Placed, Bound: sched.Bound.Total,
			Unscheduled: len(report.Unscheduled) + len(report.Conflicts), Breaks: sched.Breaks, MaxBreaks: sched.MaxBreaks,
			MinBreaks: sched.MinBreaks, Report: report}
		if err := tx.Create(&run).Error; err != nil {
			return err
		}
		out = run.run()
		return writeAudit(tx, now, a, models.AuditEvent{Action: "schedule.run", EntityType: "event", EntityID: idText(eventID),
			Changes: models.FieldChanges{{Field: "placed", New: strconv.Itoa(run.Placed)}, {Field: "bound", New: strconv.Itoa(run.Bound)},
				{Field: "unscheduled", New: strconv.Itoa(run.Unscheduled)}, {Field: "changes", New: strconv.Itoa(len(report.Changes))}}})
	})
	return out, err
}

// store writes the schedule's meetings: placed ones take their seat; one no longer placed is
// removed, unless its participants were told of it, in which case it stays without a seat until
// the next publication tells them it is gone.
func (st *eventState) store(tx *gorm.DB, now time.Time, sched *event.Schedule) error {
	byRequest := map[uint]*placementRow{}
	for i := range st.placements {
		byRequest[st.placements[i].RequestID] = &st.placements[i]
	}
	seated := map[uint]bool{}
	for _, as := range sched.Assignments {
		reqID, err := strconv.ParseUint(as.Meeting, 10, 64)
		if err != nil {
			return fmt.Errorf("schedule names meeting %q: %w", as.Meeting, err)
		}
		id := uint(reqID)
		seated[id] = true
		var interp *uint
		if as.Interpreter != "" {
			if n, err := strconv.ParseUint(as.Interpreter, 10, 64); err == nil {
				v := uint(n)
				interp = &v
			}
		}
		p := byRequest[id]
		if p == nil {
			p = &placementRow{EventID: st.ev.ID, RequestID: id}
		} else if p.Slot == as.Slot && p.TableNumber == as.Table && ptrEq(p.InterpreterID, interp) {
			continue
		}
		p.Slot, p.TableNumber, p.InterpreterID, p.UpdatedAt = as.Slot, as.Table, interp, now
		if err := tx.Save(p).Error; err != nil {
			return err
		}
	}
	for i := range st.placements {
		p := &st.placements[i]
		if seated[p.RequestID] {
			continue
		}
		if p.PublishedSlot == 0 {
			if err := tx.Delete(p).Error; err != nil {
				return err
			}
			continue
		}
		if p.Slot != 0 {
			if err := tx.Model(p).Updates(map[string]any{"slot": 0, "table_number": 0, "locked": false, "updated_at": now}).Error; err != nil {
				return err
			}
		}
	}
	return nil
}

func ptrEq(a, b *uint) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

// PublishSchedule tells the participants their agendas; staff only. Every registration with a
// meeting whose seat is new, moved or gone since the last publication gets a mail; meetings
// without a seat are then removed. It returns how many registrations were told.
func (s *Store) PublishSchedule(ctx context.Context, a models.Actor, eventID uint) (int, error) {
	if !a.IsStaff() {
		return 0, models.ErrForbidden
	}
	now := s.now()
	told := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		st, err := loadEventState(tx, eventID)
		if err != nil {
			return err
		}
		concerned := map[uint]bool{}
		for i := range st.placements {
			p := &st.placements[i]
			if p.Slot == p.PublishedSlot && p.TableNumber == p.PublishedTable {
				continue
			}
			if r := st.requests[p.RequestID]; r != nil {
				concerned[r.FromID], concerned[r.ToID] = true, true
			}
			if p.InterpreterID != nil {
				concerned[*p.InterpreterID] = true
			}
			if p.Slot == 0 {
				if err := tx.Delete(p).Error; err != nil {
					return err
				}
				continue
			}
			if err := tx.Model(p).Updates(map[string]any{"published_slot": p.Slot, "published_table": p.TableNumber}).Error; err != nil {
				return err
			}
		}
		if err := tx.Model(&eventRow{}).Where("id = ?", eventID).Update("published_at", now).Error; err != nil {
			return err
		}
		for _, id := range slices.Sorted(maps.Keys(concerned)) {
			r := st.regs[id]
			if r == nil || r.Status != event.Approved {
				continue
			}
			if err := s.tellRegistration(tx, now, st.ev, r, "mail.agenda_changed", nil,
				fmt.Sprintf("/events/%d/agenda?as=%d", eventID, id)); err != nil {
				return err
			}
			told++
		}
		return writeAudit(tx, now, a, models.AuditEvent{Action: "schedule.publish", EntityType: "event", EntityID: idText(eventID),
			Changes: models.FieldChanges{{Field: "told", New: strconv.Itoa(told)}}})
	})
	return told, err
}

// LockMeeting fixes a meeting where it is, or frees it; staff only. The scheduler never moves a
// locked meeting.
func (s *Store) LockMeeting(ctx context.Context, a models.Actor, meetingID uint, locked bool) error {
	if !a.IsStaff() {
		return models.ErrForbidden
	}
	now := s.now()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var p placementRow
		if err := first(tx, &p, meetingID); err != nil {
			return err
		}
		if p.Locked == locked {
			return nil
		}
		if err := tx.Model(&p).Updates(map[string]any{"locked": locked, "updated_at": now}).Error; err != nil {
			return err
		}
		return writeAudit(tx, now, a, models.AuditEvent{Action: "meeting.lock", EntityType: "meeting", EntityID: idText(p.ID),
			Changes: models.FieldChanges{{Field: "locked", Old: strconv.FormatBool(!locked), New: strconv.FormatBool(locked)}}})
	})
}

// ScheduleView is an event's stored schedule as staff see it.
type ScheduleView struct {
	Event         *event.Record
	Registrations map[uint]*event.Registration
	Requests      map[uint]event.MeetingRequest
	Meetings      []event.Placement
	// LastRun is the latest run of the scheduler, nil before the first.
	LastRun *event.ScheduleRun
}

// Schedule returns an event's schedule with its registrations, requests and last run; staff only.
func (s *Store) Schedule(ctx context.Context, a models.Actor, eventID uint) (*ScheduleView, error) {
	if !a.IsStaff() {
		return nil, models.ErrForbidden
	}
	st, err := loadEventState(s.db.WithContext(ctx), eventID)
	if err != nil {
		return nil, err
	}
	v := &ScheduleView{Event: st.ev, Registrations: st.regs, Requests: map[uint]event.MeetingRequest{}}
	for id, r := range st.requests {
		v.Requests[id] = r.request()
	}
	for i := range st.placements {
		v.Meetings = append(v.Meetings, st.placements[i].placement())
	}
	var runs []runRow
	if err := s.db.WithContext(ctx).Where("event_id = ?", eventID).Order("id DESC").Limit(1).Find(&runs).Error; err != nil {
		return nil, err
	}
	if len(runs) > 0 {
		v.LastRun = runs[0].run()
	}
	return v, nil
}

// Agenda lists a registration's meetings in time order to those who act for it: the seats the
// participants were told (published), with the counterpart and the interpreter. Staff see the
// current seats, published or not, with all=true.
func (s *Store) Agenda(ctx context.Context, a models.Actor, regID uint, all bool) ([]event.AgendaItem, error) {
	me, err := s.Registration(ctx, a, regID)
	if err != nil {
		return nil, err
	}
	all = all && a.IsStaff()
	st, err := loadEventState(s.db.WithContext(ctx), me.EventID)
	if err != nil {
		return nil, err
	}
	slots := st.ev.Slots()
	tables := map[int]event.Table{}
	for _, t := range st.ev.Tables {
		tables[t.Number] = t
	}
	var out []event.AgendaItem
	moved := map[uint]int{} // meeting → its item, for the moves staff made
	for i := range st.placements {
		p := st.placements[i].placement()
		r := st.requests[p.RequestID]
		if r == nil {
			continue
		}
		mine := r.FromID == regID || r.ToID == regID || p.InterpreterID != nil && *p.InterpreterID == regID
		if !mine {
			continue
		}
		slot, table := p.PublishedSlot, p.PublishedTable
		if all {
			slot, table = p.Slot, p.Table
		}
		if slot < 1 || slot > len(slots) {
			continue
		}
		other := st.regs[r.ToID]
		if r.ToID == regID {
			other = st.regs[r.FromID]
		}
		if other == nil {
			continue
		}
		cp := *other
		cp.Attendees, cp.Unavailable = nil, nil
		item := event.AgendaItem{Slot: slots[slot-1], Table: tables[table], Counterpart: cp,
			Priority: event.Priority(r.Priority), Published: p.Published()}
		moved[p.ID] = len(out)
		if item.Table.Number == 0 {
			item.Table.Number = table
		}
		if p.InterpreterID != nil {
			if in := st.regs[*p.InterpreterID]; in != nil {
				item.Interpreter = in.Company
			}
		}
		out = append(out, item)
	}
	if err := s.fillMoves(ctx, out, moved); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(x, y event.AgendaItem) int { return x.Slot.Number - y.Slot.Number })
	regs := make([]*event.Registration, len(out))
	for i := range out {
		regs[i] = &out[i].Counterpart
	}
	if err := s.fillMakes(ctx, out); err != nil {
		return nil, err
	}
	return out, s.fillSlugs(ctx, regs)
}

// agendaMakes is how many products an agenda names for a supplier.
const agendaMakes = 3

// fillMakes names what each supplier counterpart of an agenda makes: its first products.
func (s *Store) fillMakes(ctx context.Context, items []event.AgendaItem) error {
	var ids []uint
	for _, it := range items {
		if it.Counterpart.FirmID != nil {
			ids = append(ids, *it.Counterpart.FirmID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var rows []struct {
		FirmID   uint
		TermCode string
	}
	if err := s.db.WithContext(ctx).Table("firm_terms").Select("firm_terms.firm_id, firm_terms.term_code").
		Joins("JOIN terms ON terms.code = firm_terms.term_code").
		Where("firm_terms.firm_id IN ? AND terms.kind = ?", ids, string(models.KindProduct)).
		Order("firm_terms.firm_id, firm_terms.position").Scan(&rows).Error; err != nil {
		return err
	}
	makes := map[uint][]string{}
	for _, r := range rows {
		if len(makes[r.FirmID]) < agendaMakes {
			makes[r.FirmID] = append(makes[r.FirmID], r.TermCode)
		}
	}
	for i := range items {
		if id := items[i].Counterpart.FirmID; id != nil {
			items[i].Makes = makes[*id]
		}
	}
	return nil
}

// fillMoves says when staff last moved each published meeting of an agenda, from the audit log.
func (s *Store) fillMoves(ctx context.Context, items []event.AgendaItem, byMeeting map[uint]int) error {
	if len(byMeeting) == 0 {
		return nil
	}
	ids := make([]string, 0, len(byMeeting))
	for id := range byMeeting {
		ids = append(ids, idText(id))
	}
	var rows []models.AuditEvent
	if err := s.db.WithContext(ctx).Where("entity_type = ? AND action = ? AND entity_id IN ?", "meeting", "meeting.move", ids).
		Order("id").Find(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		id, err := strconv.ParseUint(r.EntityID, 10, 64)
		if err != nil {
			continue
		}
		for _, c := range r.Changes {
			// Only a move the participants were told of counts.
			if c.Field == "published" && c.New == "true" {
				at := r.At
				items[byMeeting[uint(id)]].MovedAt = &at
			}
		}
	}
	return nil
}
