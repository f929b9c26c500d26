package main

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models/event"
	"github.com/hanoi-cnht/portal/models/store"
)

// Staff move a meeting of the schedule to another slot and table: the page shows what the seat
// chosen would break before anything moves, and the move takes a confirmation when staff may
// override what it breaks.

type moveConflictView struct {
	Text string
	Hard bool
}

type staffMoveData struct {
	staffPage
	Event           eventView
	Meeting         event.Placement
	Buyer, Supplier string
	// Slot and Table are the seat asked for (0 before one is chosen); From describes the seat
	// the meeting has.
	Slot, Table int
	From        string
	Conflicts   []moveConflictView
	// Checked says a seat was checked; Hard that a conflict refuses it.
	Checked, Hard bool
}

// staffMovePage shows a meeting's seat and a choice of another; with ?slot=&table= it lists
// what that seat would break.
func (s *Server) staffMovePage(c echo.Context) error {
	slot, _ := strconv.Atoi(c.QueryParam("slot"))
	table, _ := strconv.Atoi(c.QueryParam("table"))
	return s.staffMoveRender(c, http.StatusOK, s.newForm(c), slot, table)
}

func (s *Server) staffMoveRender(c echo.Context, status int, f *form, slot, table int) error {
	ev, id, err := s.eventMeetingOf(c)
	if err != nil {
		return err
	}
	v, err := s.store.MovePreview(c.Request().Context(), actorOf(c), ev.ID, id, slot, table)
	if err != nil {
		return err
	}
	d := &staffMoveData{staffPage: s.staffPageOf(c, f), Event: ev, Meeting: v.Meeting, Slot: slot, Table: table,
		Checked: slot > 0}
	if v.Buyer != nil {
		d.Buyer = v.Buyer.Company
	}
	if v.Supplier != nil {
		d.Supplier = v.Supplier.Company
	}
	if m := v.Meeting; m.Slot >= 1 && m.Slot <= len(ev.Slots) {
		d.From = s.tr(c, "staff.move.seat", "Time", formatDateTime(pageLang(c), ev.Slots[m.Slot-1].Start), "Table", m.Table)
	}
	if d.Slot == 0 {
		d.Slot, d.Table = v.Meeting.Slot, v.Meeting.Table
	}
	lang := pageLang(c)
	for _, cf := range v.Conflicts {
		d.Conflicts = append(d.Conflicts, moveConflictView{Text: s.views.messages.tr(lang, cf.Key, argsList(cf.Args)...), Hard: cf.Hard})
		d.Hard = d.Hard || cf.Hard
	}
	return s.staffRender(c, status, "staff_event_move", "staff_event_move.title", d)
}

// staffMoveMeeting moves the meeting, or shows the page again with what the move would break.
func (s *Server) staffMoveMeeting(c echo.Context) error {
	ev, id, err := s.eventMeetingOf(c)
	if err != nil {
		return err
	}
	slot, _ := strconv.Atoi(c.FormValue("slot"))
	table, _ := strconv.Atoi(c.FormValue("table"))
	in := store.MoveInput{Slot: slot, Table: table, Confirm: c.FormValue("confirm") == "true"}
	if err := s.store.MoveMeeting(c.Request().Context(), actorOf(c), ev.ID, id, in); err != nil {
		var mc *store.MoveConflictsError
		if errors.As(err, &mc) {
			f := s.newForm(c)
			f.fail("slot", s.tr(c, "staff.move.refused"))
			return s.staffMoveRender(c, http.StatusUnprocessableEntity, f, slot, table)
		}
		return err
	}
	return s.staffRedirect(c, fmt.Sprintf("/staff/events/%d/schedule", ev.ID), "meeting_moved")
}
