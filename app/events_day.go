package main

import (
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/skip2/go-qrcode"

	"github.com/hanoi-cnht/portal/models/event"
)

// The fair day as participants see it: the printable badge, and after each meeting the form
// that records what it led to.

// badgeView is one printable badge: who, and the QR code that opens the desk's check-in page
// with the badge's code filled in.
type badgeView struct {
	*event.Badge
	// Code is the badge's code in groups of four, for a desk that types it.
	Code string
	QR   template.URL
}

type badgesData struct {
	Event  eventView
	Me     *event.Registration
	Mine   []*event.Registration
	Badges []badgeView
	// Staff says the page prints every badge of the event; Missing counts the approved
	// registrations without a badge yet.
	Staff   bool
	Missing int
	Form    *form
}

// badgeCode writes a badge's code in groups of four.
func badgeCode(token string) string {
	var parts []string
	for len(token) > 4 {
		parts = append(parts, token[:4])
		token = token[4:]
	}
	return strings.Join(append(parts, token), "-")
}

// badgeViewOf draws the badge's QR code: the address of the desk's check-in page for the code,
// which a phone camera opens in the browser of a signed-in staff member.
func (s *Server) badgeViewOf(c echo.Context, b *event.Badge) (badgeView, error) {
	if b.Token == "" {
		return badgeView{Badge: b}, nil
	}
	link := fmt.Sprintf("%s/staff/events/%d/day?code=%s", s.origin(c), b.EventID, b.Token)
	png, err := qrcode.Encode(link, qrcode.Medium, 256)
	if err != nil {
		return badgeView{}, err
	}
	return badgeView{Badge: b, Code: badgeCode(b.Token),
		QR: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))}, nil
}

// badgePage is a participant's badge, to print and bring to the desk.
func (s *Server) badgePage(c echo.Context) error {
	ev, err := s.eventOf(c)
	if err != nil {
		return err
	}
	me, mine, err := s.asRegistration(c, ev.ID)
	if err != nil {
		return err
	}
	d := &badgesData{Event: ev, Me: me, Mine: mine}
	if me != nil {
		b, err := s.store.Badge(c.Request().Context(), actorOf(c), me.ID)
		if err != nil {
			return err
		}
		v, err := s.badgeViewOf(c, b)
		if err != nil {
			return err
		}
		d.Badges = append(d.Badges, v)
	}
	return s.eventRender(c, http.StatusOK, "event_badges", s.tr(c, "events.badge.title"), d)
}

type outcomesData struct {
	Event    eventView
	Form     *form
	Me       *event.Registration
	Mine     []*event.Registration
	Meetings []*event.DayMeeting
	Outcomes []event.Outcome
	// Target is the meeting whose form was refused, for its errors.
	Target uint
}

// outcomesPage lists a participant's meetings with what happened on the day and, for each
// meeting held (or not marked), the form that records what it led to.
func (s *Server) outcomesPage(c echo.Context) error {
	return s.outcomesRender(c, http.StatusOK, s.newForm(c), 0)
}

func (s *Server) outcomesRender(c echo.Context, status int, f *form, target uint) error {
	ev, err := s.eventOf(c)
	if err != nil {
		return err
	}
	me, mine, err := s.asRegistration(c, ev.ID)
	if err != nil {
		return err
	}
	d := &outcomesData{Event: ev, Form: f, Me: me, Mine: mine, Outcomes: event.Outcomes, Target: target}
	if me != nil {
		if d.Meetings, err = s.store.DayMeetings(c.Request().Context(), actorOf(c), ev.ID, me.ID); err != nil {
			return err
		}
	}
	return s.eventRender(c, status, "event_outcomes", s.tr(c, "events.outcomes.title"), d)
}

// recordOutcome records the outcome of a meeting for the form's registration.
func (s *Server) recordOutcome(c echo.Context) error {
	f := s.newForm(c)
	id, _ := idParam(c, "event")
	meetingID, ok := idParam(c, "meeting")
	if !ok {
		return echo.ErrNotFound
	}
	as, ok := formID(c, "as")
	if !ok {
		return echo.ErrNotFound
	}
	in := event.OutcomeInput{Outcome: event.Outcome(c.FormValue("outcome")), Notes: c.FormValue("notes")}
	if err := s.store.RecordOutcome(c.Request().Context(), actorOf(c), meetingID, as, in); err != nil {
		if s.eventFormError(c, f, err) {
			return s.outcomesRender(c, http.StatusUnprocessableEntity, f, meetingID)
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, localPath(pageLang(c), fmt.Sprintf("/events/%d/outcomes?as=%d&done=outcome_recorded#meeting-%d", id, as, meetingID)))
}

// formID reads a positive id from the form or the query.
func formID(c echo.Context, name string) (uint, bool) {
	n, err := strconv.ParseUint(c.FormValue(name), 10, 32)
	return uint(n), err == nil && n > 0
}

// eventDayMessageIDs are the messages of the day's pages that their templates build in code.
func eventDayMessageIDs() []string {
	var ids []string
	for _, o := range event.Outcomes {
		ids = append(ids, "events.outcome."+string(o))
	}
	for _, st := range event.MeetingStatuses {
		ids = append(ids, "events.meeting_status."+string(st))
	}
	return append(ids, "events.meeting_status.none")
}
