package main

import (
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/event"
)

type staffEventsData struct {
	staffPage
	Events []eventView
}

// staffEvents lists the events with links to their registrations, schedule and settings.
func (s *Server) staffEvents(c echo.Context) error {
	evs, err := s.store.Events(c.Request().Context())
	if err != nil {
		return err
	}
	d := &staffEventsData{staffPage: s.staffPageOf(c, nil)}
	for _, e := range evs {
		d.Events = append(d.Events, eventView{Record: e, Lang: pageLang(c)})
	}
	return s.staffRender(c, http.StatusOK, "staff_events", "staff_events.title", d)
}

type staffEventFormData struct {
	staffPage
	// ID is the event edited, 0 for a new one.
	ID uint
}

// staffEventNew is the form for a new event, filled with the usual shape of a fair day.
func (s *Server) staffEventNew(c echo.Context) error {
	f := s.newForm(c)
	now := s.store.Now().In(models.Hanoi)
	day := time.Date(now.Year(), now.Month()+3, 15, 0, 0, 0, 0, time.UTC)
	opens := time.Date(now.Year(), now.Month(), now.Day(), 8, 0, 0, 0, models.Hanoi)
	tables := make([]event.Table, 20)
	for i := range tables {
		tables[i] = event.Table{Number: i + 1, Chairs: 4}
	}
	f.Values = eventFormValues(&event.Record{Event: event.Event{
		Days: []event.Day{{Date: models.Date{Time: day}, Sessions: []event.Session{
			{Name: s.tr(c, "staff.events.morning"), Start: 8*60 + 30, End: 12 * 60, MeetingMinutes: 25,
				Breaks: []event.Break{{Start: 10*60 + 10, End: 10*60 + 30}}},
			{Name: s.tr(c, "staff.events.afternoon"), Start: 13*60 + 30, End: 17 * 60, MeetingMinutes: 25}}}},
		Tables:            tables,
		Languages:         []event.LanguageOffer{{Code: "vi"}, {Code: "en"}},
		RegistrationOpens: opens, RegistrationCloses: opens.AddDate(0, 2, 0),
		RequestsOpen: opens, RequestsClose: opens.AddDate(0, 2, 20), AnswerWithin: 72 * time.Hour,
		MaxMeetings: 12, Direction: event.BothWays}})
	f.Values.Set("chairs", "4")
	return s.staffRender(c, http.StatusOK, "staff_event_form", "staff.events.new", &staffEventFormData{staffPage: s.staffPageOf(c, f)})
}

// staffEventCreate stores a new event from the form.
func (s *Server) staffEventCreate(c echo.Context) error {
	return s.staffEventSave(c, 0)
}

// staffEventEdit is the form that changes an event.
func (s *Server) staffEventEdit(c echo.Context) error {
	ev, err := s.eventOf(c)
	if err != nil {
		return err
	}
	f := s.newForm(c)
	f.Values = eventFormValues(ev.Record)
	return s.staffRender(c, http.StatusOK, "staff_event_form", "staff.events.edit", &staffEventFormData{staffPage: s.staffPageOf(c, f), ID: ev.ID})
}

// staffEventUpdate saves the form over an event.
func (s *Server) staffEventUpdate(c echo.Context) error {
	ev, err := s.eventOf(c)
	if err != nil {
		return err
	}
	return s.staffEventSave(c, ev.ID)
}

func (s *Server) staffEventSave(c echo.Context, id uint) error {
	f := s.newForm(c)
	params, _ := c.FormParams()
	rec, errs := parseEventForm(params)
	var err error
	if len(errs) > 0 {
		err = &models.ValidationError{Fields: errs}
		// Show the event's own checks too, so every problem shows at once.
		if verr := rec.ValidateRecord(); verr != nil {
			if ve, ok := verr.(*models.ValidationError); ok {
				// A field the form could not read keeps that error, not what its absence causes.
				unread := map[string]bool{}
				for _, e := range errs {
					unread[e.Field] = true
				}
				all := errs
				for _, e := range ve.Fields {
					if !unread[eventFormField(e.Field)] {
						all = append(all, e)
					}
				}
				err = &models.ValidationError{Fields: all}
			}
		}
	} else if id == 0 {
		var saved *event.Record
		if saved, err = s.store.CreateEvent(c.Request().Context(), actorOf(c), rec); err == nil {
			id = saved.ID
		}
	} else {
		_, err = s.store.UpdateEvent(c.Request().Context(), actorOf(c), id, rec)
	}
	if err != nil {
		if s.storeFormError(c, f, "name_vi", err) {
			errs, order := f.Errors, f.Order
			f.Errors, f.Order = map[string]string{}, nil
			for _, k := range order {
				if _, seen := f.Errors[eventFormField(k)]; !seen {
					f.fail(eventFormField(k), errs[k])
				}
			}
			title := "staff.events.new"
			if id != 0 {
				title = "staff.events.edit"
			}
			return s.staffRender(c, http.StatusUnprocessableEntity, "staff_event_form", title,
				&staffEventFormData{staffPage: s.staffPageOf(c, f), ID: id})
		}
		return err
	}
	return s.staffRedirect(c, fmt.Sprintf("/staff/events/%d", id), "event_saved")
}

type staffEventData struct {
	staffPage
	Event         eventView
	Registrations []*event.Registration
	Counts        map[string]int
	Target        string
}

// staffEvent lists an event's registrations with the decisions staff take on them.
func (s *Server) staffEvent(c echo.Context) error {
	return s.staffEventRender(c, http.StatusOK, s.newForm(c), "")
}

func (s *Server) staffEventRender(c echo.Context, status int, f *form, target string) error {
	ev, err := s.eventOf(c)
	if err != nil {
		return err
	}
	regs, err := s.store.Registrations(c.Request().Context(), actorOf(c), ev.ID)
	if err != nil {
		return err
	}
	d := &staffEventData{staffPage: s.staffPageOf(c, f), Event: ev, Registrations: regs, Counts: map[string]int{}, Target: target}
	for _, r := range regs {
		d.Counts[string(r.Side)+"."+string(r.Status)]++
	}
	return s.staffRender(c, status, "staff_event", "staff.events.registrations", d)
}

// staffDecideRegistration approves, waitlists or rejects a registration.
func (s *Server) staffDecideRegistration(c echo.Context) error {
	ev, err := s.eventOf(c)
	if err != nil {
		return err
	}
	regID, ok := idParam(c, "reg")
	if !ok {
		return echo.ErrNotFound
	}
	f := s.newForm(c)
	r, err := s.store.DecideRegistration(c.Request().Context(), actorOf(c), regID,
		event.RegistrationStatus(c.FormValue("status")), c.FormValue("reason"))
	if err != nil {
		if s.storeFormError(c, f, "status", err) {
			return s.staffEventRender(c, http.StatusUnprocessableEntity, f, fmt.Sprintf("reg-%d", regID))
		}
		return err
	}
	s.wake()
	done := "registration_decided"
	if r.Status == event.Waitlisted && c.FormValue("status") == string(event.Approved) {
		done = "registration_waitlisted"
	}
	return s.staffRedirect(c, fmt.Sprintf("/staff/events/%d", ev.ID), done)
}

// gridCell is one (slot, table) of the schedule grid.
type gridCell struct {
	Buyer, Supplier string
	Locked          bool
	Published       bool
	MeetingID       uint
}

type gridRow struct {
	Slot  event.Slot
	Cells []gridCell
}

type reasonView struct {
	Meeting string
	Text    string
	Kind    string
}

type staffScheduleData struct {
	staffPage
	Event       eventView
	Tables      []event.Table
	Rows        []gridRow
	Run         *event.ScheduleRun
	Unscheduled []reasonView
	Conflicts   []reasonView
	Changes     []reasonView
	Unpublished int
	Accepted    int
}

// staffSchedule shows the schedule as a grid of slots and tables, with the last run's count
// against its bound, what it left out and what it moved, and the buttons that run and publish.
func (s *Server) staffSchedule(c echo.Context) error {
	ev, err := s.eventOf(c)
	if err != nil {
		return err
	}
	v, err := s.store.Schedule(c.Request().Context(), actorOf(c), ev.ID)
	if err != nil {
		return err
	}
	lang := pageLang(c)
	d := &staffScheduleData{staffPage: s.staffPageOf(c, nil), Event: ev, Tables: ev.Tables, Run: v.LastRun}
	col := map[int]int{}
	for i, t := range ev.Tables {
		col[t.Number] = i
	}
	cells := map[[2]int]gridCell{}
	name := func(reqID uint) (string, string) {
		r, ok := v.Requests[reqID]
		if !ok {
			return "", ""
		}
		a, b := v.Registrations[r.FromID], v.Registrations[r.ToID]
		if a == nil || b == nil {
			return "", ""
		}
		if a.Side != event.Buyer {
			a, b = b, a
		}
		return a.Company, b.Company
	}
	for _, m := range v.Meetings {
		if !m.Published() {
			d.Unpublished++
		}
		if m.Slot == 0 {
			continue
		}
		buyer, supplier := name(m.RequestID)
		cells[[2]int{m.Slot, m.Table}] = gridCell{Buyer: buyer, Supplier: supplier, Locked: m.Locked, Published: m.Published(), MeetingID: m.ID}
	}
	for _, r := range v.Requests {
		if r.State == event.Accepted {
			d.Accepted++
		}
	}
	for _, sl := range ev.Slots {
		row := gridRow{Slot: sl, Cells: make([]gridCell, len(ev.Tables))}
		for _, t := range ev.Tables {
			row.Cells[col[t.Number]] = cells[[2]int{sl.Number, t.Number}]
		}
		d.Rows = append(d.Rows, row)
	}
	label := func(meeting string) string {
		var id uint
		fmt.Sscan(meeting, &id)
		b, sup := name(id)
		if b == "" {
			return meeting
		}
		return b + " – " + sup
	}
	if v.LastRun != nil {
		for _, u := range v.LastRun.Report.Unscheduled {
			d.Unscheduled = append(d.Unscheduled, reasonView{Meeting: label(u.Meeting), Text: s.views.messages.tr(lang, u.Key, argsList(u.Args)...)})
		}
		for _, u := range v.LastRun.Report.Conflicts {
			d.Conflicts = append(d.Conflicts, reasonView{Meeting: label(u.Meeting), Text: s.views.messages.tr(lang, u.Key, argsList(u.Args)...)})
		}
		for _, ch := range v.LastRun.Report.Changes {
			d.Changes = append(d.Changes, reasonView{Meeting: label(ch.Meeting), Kind: string(ch.Kind),
				Text: s.views.messages.tr(lang, ch.Key, argsList(ch.Args)...)})
		}
	}
	return s.staffRender(c, http.StatusOK, "staff_schedule", "staff_schedule.title", d)
}

// staffRunSchedule runs the scheduler; nobody is told until the schedule is published.
func (s *Server) staffRunSchedule(c echo.Context) error {
	ev, err := s.eventOf(c)
	if err != nil {
		return err
	}
	if _, err := s.store.RunSchedule(c.Request().Context(), actorOf(c), ev.ID); err != nil {
		return err
	}
	return s.staffRedirect(c, fmt.Sprintf("/staff/events/%d/schedule", ev.ID), "schedule_run")
}

// staffPublishSchedule tells every participant whose agenda changed.
func (s *Server) staffPublishSchedule(c echo.Context) error {
	ev, err := s.eventOf(c)
	if err != nil {
		return err
	}
	if _, err := s.store.PublishSchedule(c.Request().Context(), actorOf(c), ev.ID); err != nil {
		return err
	}
	s.wake()
	return s.staffRedirect(c, fmt.Sprintf("/staff/events/%d/schedule", ev.ID), "schedule_published")
}

// staffLockMeeting fixes a meeting where it is, or frees it.
func (s *Server) staffLockMeeting(c echo.Context) error {
	ev, id, err := s.eventMeetingOf(c)
	if err != nil {
		return err
	}
	if err := s.store.LockMeeting(c.Request().Context(), actorOf(c), id, c.FormValue("locked") == "true"); err != nil {
		return err
	}
	return s.staffRedirect(c, fmt.Sprintf("/staff/events/%d/schedule", ev.ID), "schedule_locked")
}
