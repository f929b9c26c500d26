package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/event"
	"github.com/hanoi-cnht/portal/models/store"
)

// The fair day as staff run it: every badge to print, the check-in desk, what happened to
// each meeting, and the event's results with their export.

// staffBadges prints every approved participant's badge.
func (s *Server) staffBadges(c echo.Context) error {
	ev, err := s.eventOf(c)
	if err != nil {
		return err
	}
	badges, err := s.store.EventBadges(c.Request().Context(), actorOf(c), ev.ID)
	if err != nil {
		return err
	}
	d := &badgesData{Event: ev, Staff: true, Form: s.newForm(c)}
	for _, b := range badges {
		if b.Token == "" {
			d.Missing++
			continue
		}
		v, err := s.badgeViewOf(c, b)
		if err != nil {
			return err
		}
		d.Badges = append(d.Badges, v)
	}
	p := s.newPage(c, "staff", s.tr(c, "events.badge.all_title"), "")
	p.NoIndex, p.Data = true, d
	return s.render(c, http.StatusOK, "event_badges", p)
}

// staffIssueBadges issues the badges missing from registrations approved before badges came
// with approval.
func (s *Server) staffIssueBadges(c echo.Context) error {
	ev, err := s.eventOf(c)
	if err != nil {
		return err
	}
	if _, err := s.store.IssueBadges(c.Request().Context(), actorOf(c), ev.ID); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, localPath(pageLang(c), fmt.Sprintf("/staff/events/%d/badges?done=badges_issued", ev.ID)))
}

type staffDayData struct {
	staffPage
	Event eventView
	// Query filters the desk's list by company or attendee; Code is a scanned badge's code.
	Query, Code      string
	Badges           []*event.Badge
	CheckedIn, Total int
	Meetings         []*event.DayMeeting
	Statuses         []event.MeetingStatus
}

// staffDay is the check-in desk and the day's meetings: a scanned badge opens it with the code
// filled in; a name typed in the search narrows the list to tick.
func (s *Server) staffDay(c echo.Context) error {
	return s.staffDayRender(c, http.StatusOK, s.newForm(c))
}

func (s *Server) staffDayRender(c echo.Context, status int, f *form) error {
	ev, err := s.eventOf(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	badges, err := s.store.EventBadges(ctx, actorOf(c), ev.ID)
	if err != nil {
		return err
	}
	d := &staffDayData{staffPage: s.staffPageOf(c, f), Event: ev, Query: strings.TrimSpace(c.QueryParam("q")),
		Code: c.QueryParam("code"), Statuses: event.MeetingStatuses, Total: len(badges)}
	if d.Code == "" {
		d.Code = c.FormValue("code")
	}
	q := strings.ToLower(d.Query)
	for _, b := range badges {
		if b.CheckedInAt != nil {
			d.CheckedIn++
		}
		if q == "" || strings.Contains(strings.ToLower(badgeSearchText(b.Registration)), q) {
			d.Badges = append(d.Badges, b)
		}
	}
	if d.Meetings, err = s.store.DayMeetings(ctx, actorOf(c), ev.ID, 0); err != nil {
		return err
	}
	return s.staffRender(c, status, "staff_event_day", "staff_event_day.title", d)
}

// badgeSearchText is what the desk's search looks in: company, country and attendees.
func badgeSearchText(r *event.Registration) string {
	parts := []string{r.Company, r.Country}
	for _, a := range r.Attendees {
		parts = append(parts, a.Name)
	}
	return strings.Join(parts, " ")
}

// staffCheckIn checks a participant in by the code on its badge or by a tick on the list, or
// takes a check-in back.
func (s *Server) staffCheckIn(c echo.Context) error {
	f := s.newForm(c)
	ev, err := s.eventOf(c)
	if err != nil {
		return err
	}
	in := store.CheckInInput{Code: c.FormValue("code"), Undo: c.FormValue("undo") == "true"}
	if in.Code == "" {
		if in.RegistrationID, _ = formID(c, "reg"); in.RegistrationID == 0 {
			f.fail("code", s.tr(c, "validation.required"))
			return s.staffDayRender(c, http.StatusUnprocessableEntity, f)
		}
	}
	b, err := s.store.CheckIn(c.Request().Context(), actorOf(c), ev.ID, in)
	if err != nil {
		if s.storeFormError(c, f, "code", err) {
			return s.staffDayRender(c, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	done := "checked_in"
	if in.Undo {
		done = "check_in_undone"
	}
	path := fmt.Sprintf("/staff/events/%d/day?q=%s&done=%s#reg-%d", ev.ID, urlQueryEscape(c.FormValue("q")), done, b.RegistrationID)
	return c.Redirect(http.StatusSeeOther, localPath(pageLang(c), path))
}

// staffMarkMeeting records whether a meeting was held or who did not come.
func (s *Server) staffMarkMeeting(c echo.Context) error {
	ev, id, err := s.eventMeetingOf(c)
	if err != nil {
		return err
	}
	if err := s.store.MarkMeeting(c.Request().Context(), actorOf(c), id, event.MeetingStatus(c.FormValue("status"))); err != nil {
		f := s.newForm(c)
		if s.storeFormError(c, f, "status", err) {
			return s.staffDayRender(c, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	return s.staffRedirect(c, fmt.Sprintf("/staff/events/%d/day", ev.ID), "meeting_marked")
}

// resultLine is one row of a results table, in the page's language.
type resultLine struct {
	Label                   string
	Meetings, Held, NoShows int
	Outcomes                []int
}

type staffResultsData struct {
	staffPage
	Event               eventView
	Results             *event.Results
	Outcomes            []event.Outcome
	Summary             [][2]string
	BySector, ByCountry []resultLine
	Groups              []resultGroup
}

// resultGroup is one table of the results page: the meetings by sector, or by buyer's country.
type resultGroup struct {
	ID, Title, Column string
	Lines             []resultLine
}

// resultsOf reads an event's results and writes them in the page's language.
func (s *Server) resultsOf(c echo.Context, ev eventView) (*staffResultsData, error) {
	res, err := s.store.EventResults(c.Request().Context(), actorOf(c), ev.ID)
	if err != nil {
		return nil, err
	}
	lang := pageLang(c)
	d := &staffResultsData{staffPage: s.staffPageOf(c, nil), Event: ev, Results: res, Outcomes: event.Outcomes}
	regs := func(side event.Side) string {
		m := res.Registrations[side]
		return s.tr(c, "staff.results.registrations_of", "Approved", m[event.Approved], "Waiting", m[event.Pending]+m[event.Waitlisted],
			"Other", m[event.Rejected]+m[event.Withdrawn])
	}
	d.Summary = [][2]string{
		{s.tr(c, "events.side.buyer"), regs(event.Buyer)},
		{s.tr(c, "events.side.supplier"), regs(event.Supplier)},
		{s.tr(c, "staff.results.requests"), strconv.Itoa(res.RequestsMade)},
		{s.tr(c, "staff.results.acceptance"), fmt.Sprintf("%.0f%% (%d / %d)", res.AcceptanceRate()*100, res.Accepted, res.Answered)},
		{s.tr(c, "staff.results.checked_in"), fmt.Sprintf("%d / %d", res.CheckedIn, res.Participants)},
		{s.tr(c, "staff.results.held"), fmt.Sprintf("%d / %d", res.Held, res.Scheduled)},
		{s.tr(c, "staff.results.no_shows"), strconv.Itoa(res.NoShows)},
		{s.tr(c, "staff.results.unmarked"), strconv.Itoa(res.StatusUnknown)},
	}
	for _, o := range event.Outcomes {
		d.Summary = append(d.Summary, [2]string{s.tr(c, "events.outcome."+string(o)), strconv.Itoa(res.Outcomes[o])})
	}
	line := func(cnt event.Count, label string) resultLine {
		l := resultLine{Label: label, Meetings: cnt.Meetings, Held: cnt.Held, NoShows: cnt.NoShows}
		for _, o := range event.Outcomes {
			l.Outcomes = append(l.Outcomes, cnt.Outcomes[o])
		}
		return l
	}
	ref := s.store.Reference()
	for _, cnt := range res.BySector {
		label := s.tr(c, "staff.results.none")
		if t, ok := ref.Term(cnt.Label); ok {
			label = t.Label(lang)
		} else if cnt.Label != "" {
			label = cnt.Label
		}
		d.BySector = append(d.BySector, line(cnt, label))
	}
	for _, cnt := range res.ByBuyerCountry {
		label := s.tr(c, "staff.results.none")
		if co, ok := models.ResolveCountry(cnt.Label); ok {
			label = co.Label(lang)
		} else if cnt.Label != "" {
			label = cnt.Label
		}
		d.ByCountry = append(d.ByCountry, line(cnt, label))
	}
	d.Groups = []resultGroup{
		{ID: "by-sector", Title: s.tr(c, "staff.results.by_sector"), Column: s.tr(c, "staff.results.sector"), Lines: d.BySector},
		{ID: "by-country", Title: s.tr(c, "staff.results.by_country"), Column: s.tr(c, "staff.results.country"), Lines: d.ByCountry}}
	return d, nil
}

// staffResults shows an event's figures: registrations, requests and their acceptance,
// meetings held against scheduled, no-shows and outcomes by sector and by buyer's country.
func (s *Server) staffResults(c echo.Context) error {
	ev, err := s.eventOf(c)
	if err != nil {
		return err
	}
	d, err := s.resultsOf(c, ev)
	if err != nil {
		return err
	}
	return s.staffRender(c, http.StatusOK, "staff_event_results", "staff.results.title", d)
}

// staffResultsExport sends the results as CSV (UTF-8 with a byte-order mark) or XLSX, in the
// page's language, named with the event and today's date.
func (s *Server) staffResultsExport(c echo.Context) error {
	format := c.QueryParam("format")
	if format != "csv" && format != "xlsx" {
		return echo.NewHTTPError(http.StatusBadRequest, "format must be csv or xlsx")
	}
	ev, err := s.eventOf(c)
	if err != nil {
		return err
	}
	d, err := s.resultsOf(c, ev)
	if err != nil {
		return err
	}
	table := [][]string{{ev.Title()}}
	for _, row := range d.Summary {
		table = append(table, []string{row[0], row[1]})
	}
	header := []string{"", s.tr(c, "staff.results.meetings"), s.tr(c, "staff.results.held"), s.tr(c, "staff.results.no_shows")}
	for _, o := range event.Outcomes {
		header = append(header, s.tr(c, "events.outcome."+string(o)))
	}
	for _, group := range []struct {
		title string
		lines []resultLine
	}{{s.tr(c, "staff.results.by_sector"), d.BySector}, {s.tr(c, "staff.results.by_country"), d.ByCountry}} {
		h := append([]string{group.title}, header[1:]...)
		table = append(table, nil, h)
		for _, l := range group.lines {
			row := []string{l.Label, strconv.Itoa(l.Meetings), strconv.Itoa(l.Held), strconv.Itoa(l.NoShows)}
			for _, n := range l.Outcomes {
				row = append(row, strconv.Itoa(n))
			}
			table = append(table, row)
		}
	}
	var buf bytes.Buffer
	name := fmt.Sprintf("event-%d-results-%s.%s", ev.ID, s.store.Now().In(models.Hanoi).Format("2006-01-02"), format)
	contentType := "text/csv; charset=utf-8"
	if format == "csv" {
		buf.WriteString("\uFEFF")
		for _, line := range table {
			for i, v := range line {
				line[i] = spreadsheetText(v)
			}
		}
		if err := csv.NewWriter(&buf).WriteAll(table); err != nil {
			return err
		}
	} else {
		contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		if err := writeXLSX(&buf, s.tr(c, "staff.results.title")+" — "+ev.Title(), table); err != nil {
			return err
		}
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	return c.Blob(http.StatusOK, contentType, buf.Bytes())
}
