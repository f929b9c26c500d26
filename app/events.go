package main

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/event"
	"github.com/hanoi-cnht/portal/models/store"
)

// eventView is what every event page shows of the event itself.
type eventView struct {
	*event.Record
	Lang  string
	Slots []event.Slot
	// OpenForRegistration and OpenForRequests say whether registration and requests are open now.
	OpenForRegistration, OpenForRequests bool
}

// Title is the event's name in the page's language.
func (v eventView) Title() string { return v.Name(v.Lang) }

func (s *Server) eventOf(c echo.Context) (eventView, error) {
	id, ok := idParam(c, "event")
	if !ok {
		return eventView{}, echo.ErrNotFound
	}
	ev, err := s.store.EventByID(c.Request().Context(), id)
	if err != nil {
		return eventView{}, err
	}
	now := s.store.Now()
	return eventView{Record: ev, Lang: pageLang(c), Slots: ev.Slots(), OpenForRegistration: ev.RegistrationOpen(now),
		OpenForRequests: ev.RequestsOpenAt(now)}, nil
}

// eventMeetingOf reads the event of the request's path and the meeting id beside it.
func (s *Server) eventMeetingOf(c echo.Context) (eventView, uint, error) {
	ev, err := s.eventOf(c)
	if err != nil {
		return eventView{}, 0, err
	}
	id, ok := idParam(c, "meeting")
	if !ok {
		return eventView{}, 0, echo.ErrNotFound
	}
	return ev, id, nil
}

// eventRender renders an event page; pages of an account are not indexed.
func (s *Server) eventRender(c echo.Context, status int, name, title string, data any) error {
	p := s.newPage(c, "events", title, "")
	p.Data = data
	return s.render(c, status, name, p)
}

type eventsData struct {
	Events []eventView
}

// eventsPage lists the Department's business-matching events.
func (s *Server) eventsPage(c echo.Context) error {
	evs, err := s.store.Events(c.Request().Context())
	if err != nil {
		return err
	}
	d := &eventsData{}
	now := s.store.Now()
	for _, e := range evs {
		d.Events = append(d.Events, eventView{Record: e, Lang: pageLang(c), OpenForRegistration: e.RegistrationOpen(now),
			OpenForRequests: e.RequestsOpenAt(now)})
	}
	return s.eventRender(c, http.StatusOK, "events", s.tr(c, "events.title"), d)
}

type eventPageData struct {
	Event             eventView
	Buyers, Suppliers []*event.Registration
	Mine              []*event.Registration
	SignedIn          bool
}

// eventPage is an event's public page: when and where, how it runs, and who comes.
func (s *Server) eventPage(c echo.Context) error {
	ev, err := s.eventOf(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	ps, err := s.store.Participants(ctx, ev.ID)
	if err != nil {
		return err
	}
	d := &eventPageData{Event: ev, SignedIn: actorOf(c).UserID != 0}
	for _, p := range ps {
		if p.Side == event.Buyer {
			d.Buyers = append(d.Buyers, p)
		} else if p.Side == event.Supplier {
			d.Suppliers = append(d.Suppliers, p)
		}
	}
	if d.Mine, err = s.store.MyRegistrations(ctx, actorOf(c), ev.ID); err != nil {
		return err
	}
	return s.eventRender(c, http.StatusOK, "event", ev.Title(), d)
}

type registerData struct {
	Event eventView
	Form  *form
	Mine  []*event.Registration
	// Side is what the account registers as: "supplier", "buyer", or "" (staff, who register
	// firms from the staff pages). Registered says a buyer's account has registered already.
	Side       string
	Registered bool
	Firms      []models.Firm
}

// Checked reports whether the form has value among the values of field name.
func (d *registerData) Checked(name, value string) bool {
	return slices.Contains(d.Form.Values[name], value)
}

// registerPage is the registration form: a supplier picks its firm (the profile is the
// registration) and says who comes; a buyer names its company and what it wants to source.
func (s *Server) registerPage(c echo.Context) error {
	f := s.newForm(c)
	a := actorOf(c)
	f.Values.Set("attendee_name_1", a.Name)
	f.Values["lang"] = []string{pageLang(c)}
	// A link from the firm's profile names the firm, so that registering takes two clicks.
	if firm := c.QueryParam("firm"); firm != "" {
		f.Values.Set("firm", firm)
	}
	return s.registerRender(c, http.StatusOK, f)
}

func (s *Server) registerRender(c echo.Context, status int, f *form) error {
	ev, err := s.eventOf(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	a := actorOf(c)
	d := &registerData{Event: ev, Form: f}
	if d.Mine, err = s.store.MyRegistrations(ctx, a, ev.ID); err != nil {
		return err
	}
	switch a.Role {
	case models.RoleSupplier:
		d.Side = string(event.Supplier)
		for _, id := range slices.Sorted(maps.Keys(a.Firms)) {
			if slices.ContainsFunc(d.Mine, func(r *event.Registration) bool {
				return r.FirmID != nil && *r.FirmID == id && r.Status != event.Withdrawn && r.Status != event.Rejected
			}) {
				continue
			}
			firm, err := s.store.FirmByID(ctx, id)
			if err != nil {
				return err
			}
			d.Firms = append(d.Firms, *firm)
		}
	case models.RoleBuyer:
		d.Side = string(event.Buyer)
		d.Registered = slices.ContainsFunc(d.Mine, func(r *event.Registration) bool {
			return r.Side == event.Buyer && r.Status != event.Withdrawn && r.Status != event.Rejected
		})
	}
	return s.eventRender(c, status, "event_register", s.tr(c, "events.register.title", "Event", ev.Title()), d)
}

// register records a registration from the form.
func (s *Server) register(c echo.Context) error {
	f := s.newForm(c)
	a := actorOf(c)
	id, _ := idParam(c, "event")
	in := registrationInput(c)
	switch a.Role {
	case models.RoleSupplier:
		in.Side = event.Supplier
		n, _ := strconv.ParseUint(c.FormValue("firm"), 10, 32)
		in.FirmID = uint(n)
	case models.RoleBuyer:
		in.Side = event.Buyer
	default:
		return echo.NewHTTPError(http.StatusForbidden, "staff register firms from the staff pages")
	}
	if _, err := s.store.Register(c.Request().Context(), a, id, in); err != nil {
		if s.eventFormError(c, f, err) {
			return s.registerRender(c, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, localPath(pageLang(c), fmt.Sprintf("/events/%d/register?done=registered", id)))
}

// registrationInput reads the fields both sides share.
func registrationInput(c echo.Context) event.RegistrationInput {
	in := event.RegistrationInput{Company: c.FormValue("company"), Country: c.FormValue("country"),
		Requirement: c.FormValue("requirement")}
	params, _ := c.FormParams()
	in.Languages = params["lang"]
	for i := 1; i <= 3; i++ {
		in.Attendees = append(in.Attendees, event.Attendee{Name: c.FormValue(fmt.Sprintf("attendee_name_%d", i)),
			Position: c.FormValue(fmt.Sprintf("attendee_position_%d", i))})
	}
	for _, v := range params["unavailable"] {
		if n, err := strconv.Atoi(v); err == nil {
			in.Unavailable = append(in.Unavailable, n)
		}
	}
	return in
}

// eventFormError shows a store error on a participant's form, each field error on the input
// that shows it; it reports whether err was such an error.
func (s *Server) eventFormError(c echo.Context, f *form, err error) bool {
	// A refusal is not the user's typing to correct: it answers 403.
	if errors.Is(err, models.ErrForbidden) || !s.storeFormError(c, f, "event", err) {
		return false
	}
	moved := map[string]string{}
	for _, k := range f.Order {
		moved[k] = participantFormField(k)
	}
	errs, order := f.Errors, f.Order
	f.Errors, f.Order = map[string]string{}, nil
	for _, k := range order {
		f.fail(moved[k], errs[k])
	}
	return true
}

// participantFormField is the input that shows an error of the registration or request rules.
func participantFormField(field string) string {
	switch {
	case strings.HasPrefix(field, "attendees["):
		i, _ := strconv.Atoi(strings.TrimSuffix(strings.SplitN(strings.TrimPrefix(field, "attendees["), "]", 2)[0], "]"))
		part := "name"
		if strings.HasSuffix(field, ".position") {
			part = "position"
		}
		return fmt.Sprintf("attendee_%s_%d", part, i+1)
	case field == "attendees":
		return "attendee_name_1"
	case strings.HasPrefix(field, "languages"):
		return "lang"
	case strings.HasPrefix(field, "unavailable"):
		return "unavailable"
	case field == "made" || field == "from":
		return "event"
	}
	return field
}

// asRegistration picks the registration the page acts as: ?as=ID (or the form's "as"), which
// must be one the account acts for, else its first approved one.
func (s *Server) asRegistration(c echo.Context, eventID uint) (*event.Registration, []*event.Registration, error) {
	ctx := c.Request().Context()
	a := actorOf(c)
	mine, err := s.store.MyRegistrations(ctx, a, eventID)
	if err != nil {
		return nil, nil, err
	}
	if as := cmp.Or(c.QueryParam("as"), c.FormValue("as")); as != "" {
		n, err := strconv.ParseUint(as, 10, 32)
		if err != nil {
			return nil, nil, echo.ErrNotFound
		}
		r, err := s.store.Registration(ctx, a, uint(n))
		if err != nil {
			return nil, nil, err
		}
		if r.EventID != eventID {
			return nil, nil, echo.ErrNotFound
		}
		return r, mine, nil
	}
	for _, r := range mine {
		if r.Status == event.Approved {
			return r, mine, nil
		}
	}
	return nil, mine, nil
}

type requestView struct {
	event.MeetingRequest
	Other    *event.Registration
	Incoming bool
	// Open says the request waits for an answer and has not expired.
	Open bool
}

type requestsData struct {
	Event    eventView
	Form     *form
	Me       *event.Registration
	Mine     []*event.Registration
	Incoming []requestView
	Outgoing []requestView
	// Others are the registrations the page's registration may ask for a meeting.
	Others []*event.Registration
	// Target is the request whose answer form was refused, for its errors.
	Target uint
	// Suggested are the registered suppliers the requirement matcher ranks best for a buyer.
	Suggested []supplierSuggestion
	// Notices are what the page's registrations were told, newest first, as the mails said it.
	Notices []noticeView
	// Staff act for the registration: they may ask after the window and agree for both sides.
	Staff bool
}

// noticeView is one thing a registration was told, worded in the reader's language.
type noticeView struct {
	When, Company, Subject, Body, Link string
}

// maxNotices is how many of its newest notices a requests page lists.
const maxNotices = 10

// notices words what regs were told, newest first, in the reader's language.
func (s *Server) notices(c echo.Context, ev eventView, regs []*event.Registration) ([]noticeView, error) {
	lang := pageLang(c)
	// The mails open with a greeting by name; the page leaves it out.
	const greeted = "\x00"
	var out []noticeView
	var at []time.Time
	for _, r := range regs {
		ns, err := s.store.NoticesOf(c.Request().Context(), actorOf(c), r.ID)
		if err != nil {
			return nil, err
		}
		for _, n := range ns {
			args := []any{"Name", greeted, "Event", ev.Name(lang), "Company", r.Company, "Link", "", "Reason", ""}
			for k, v := range n.Args {
				args = append(args, k, v)
			}
			v := noticeView{When: formatDateTime(lang, n.CreatedAt), Company: r.Company,
				Subject: s.views.messages.tr(lang, n.Key+".subject", args...),
				Body:    s.views.messages.tr(lang, n.Key+".body", args...)}
			if first, rest, ok := strings.Cut(v.Body, "\n\n"); ok && strings.Contains(first, greeted) {
				v.Body = rest
			}
			v.Body = strings.TrimSpace(v.Body)
			if n.Path != "" {
				v.Link = localPath(lang, n.Path)
			}
			out = append(out, v)
			at = append(at, n.CreatedAt)
		}
	}
	order := make([]int, len(out))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return at[order[a]].After(at[order[b]]) })
	sorted := make([]noticeView, min(len(out), maxNotices))
	for i := range sorted {
		sorted[i] = out[order[i]]
	}
	return sorted, nil
}

// requestsPage is a participant's inbox: requests received, with answers to give; requests
// made; and the form that asks for a meeting.
func (s *Server) requestsPage(c echo.Context) error {
	return s.requestsRender(c, http.StatusOK, s.newForm(c), 0)
}

func (s *Server) requestsRender(c echo.Context, status int, f *form, target uint) error {
	ev, err := s.eventOf(c)
	if err != nil {
		return err
	}
	me, mine, err := s.asRegistration(c, ev.ID)
	if err != nil {
		return err
	}
	d := &requestsData{Event: ev, Form: f, Me: me, Mine: mine, Target: target, Staff: actorOf(c).IsStaff()}
	told := mine
	if me != nil && !slices.ContainsFunc(mine, func(r *event.Registration) bool { return r.ID == me.ID }) {
		told = append(slices.Clone(mine), me) // staff acting for a registration
	}
	if d.Notices, err = s.notices(c, ev, told); err != nil {
		return err
	}
	if me == nil {
		return s.eventRender(c, status, "event_requests", s.tr(c, "events.requests.title"), d)
	}
	ctx := c.Request().Context()
	reqs, err := s.store.RequestsOf(ctx, actorOf(c), me.ID)
	if err != nil {
		return err
	}
	ps, err := s.store.Participants(ctx, ev.ID)
	if err != nil {
		return err
	}
	byID := map[uint]*event.Registration{}
	for _, p := range ps {
		byID[p.ID] = p
	}
	now := s.store.Now()
	for _, r := range reqs {
		v := requestView{MeetingRequest: r, Incoming: r.ToID == me.ID}
		rr := r.Request()
		v.Open = r.State == event.Requested && rr.Live(&ev.Event, now)
		other := r.FromID
		if !v.Incoming {
			other = r.ToID
		}
		v.Other = byID[other]
		if v.Other == nil {
			v.Other = &event.Registration{ID: other, Company: "—"}
		}
		if v.Incoming {
			d.Incoming = append(d.Incoming, v)
		} else {
			d.Outgoing = append(d.Outgoing, v)
		}
	}
	// Offer only those the rules let this registration ask: not one it has a live request
	// with, nor one either side said no thanks to.
	taken := map[uint]bool{}
	for _, r := range reqs {
		rr := r.Request()
		if rr.Live(&ev.Event, now) || r.State == event.Declined && r.NoThanks {
			taken[r.FromID], taken[r.ToID] = true, true
		}
	}
	for _, p := range ps {
		if p.ID != me.ID && p.Side != me.Side && mayAsk(ev.Direction, me.Side) && !taken[p.ID] {
			d.Others = append(d.Others, p)
		}
	}
	if ev.OpenForRequests {
		if d.Suggested, err = s.suggestSuppliers(c, me, d.Others); err != nil {
			return err
		}
	}
	return s.eventRender(c, status, "event_requests", s.tr(c, "events.requests.title"), d)
}

// mayAsk reports whether a participant of side may ask for meetings at an event of direction.
func mayAsk(dir event.Direction, side event.Side) bool {
	return dir == event.BothWays || dir == event.BuyersToSuppliers && side == event.Buyer ||
		dir == event.SuppliersToBuyers && side == event.Supplier
}

// requestMeeting asks for a meeting as the form's registration.
func (s *Server) requestMeeting(c echo.Context) error {
	f := s.newForm(c)
	id, _ := idParam(c, "event")
	from, _ := strconv.ParseUint(c.FormValue("as"), 10, 32)
	to, _ := strconv.ParseUint(c.FormValue("to"), 10, 32)
	in := event.RequestInput{FromID: uint(from), ToID: uint(to), Priority: event.Priority(c.FormValue("priority")),
		Message: c.FormValue("message"), Accept: c.FormValue("accept") == "on"}
	if _, err := s.store.RequestMeeting(c.Request().Context(), actorOf(c), id, in); err != nil {
		if s.eventFormError(c, f, err) {
			return s.requestsRender(c, http.StatusUnprocessableEntity, f, 0)
		}
		return err
	}
	s.wake()
	return c.Redirect(http.StatusSeeOther, localPath(pageLang(c), fmt.Sprintf("/events/%d/requests?as=%d&done=requested", id, from)))
}

// answerRequest accepts, declines or withdraws a request.
func (s *Server) answerRequest(c echo.Context) error {
	f := s.newForm(c)
	id, _ := idParam(c, "event")
	reqID, ok := idParam(c, "req")
	if !ok {
		return echo.ErrNotFound
	}
	in := event.AnswerInput{State: event.RequestState(c.FormValue("state")), Reason: c.FormValue("reason"),
		NoThanks: c.FormValue("no_thanks") == "on"}
	if _, err := s.store.AnswerRequest(c.Request().Context(), actorOf(c), reqID, in); err != nil {
		if s.eventFormError(c, f, err) {
			return s.requestsRender(c, http.StatusUnprocessableEntity, f, reqID)
		}
		return err
	}
	s.wake()
	return c.Redirect(http.StatusSeeOther, localPath(pageLang(c), fmt.Sprintf("/events/%d/requests?as=%s&done=answered", id, c.FormValue("as"))))
}

type agendaData struct {
	Event eventView
	Me    *event.Registration
	Mine  []*event.Registration
	Items []event.AgendaItem
	// Interpreters says whether any meeting has an interpreter, for the column.
	Interpreters bool
}

// agendaPage is a participant's meetings in time order, printable on one page.
func (s *Server) agendaPage(c echo.Context) error {
	ev, err := s.eventOf(c)
	if err != nil {
		return err
	}
	me, mine, err := s.asRegistration(c, ev.ID)
	if err != nil {
		return err
	}
	d := &agendaData{Event: ev, Me: me, Mine: mine}
	if me != nil {
		if d.Items, err = s.store.Agenda(c.Request().Context(), actorOf(c), me.ID, false); err != nil {
			return err
		}
		d.Interpreters = slices.ContainsFunc(d.Items, func(it event.AgendaItem) bool { return it.Interpreter != "" })
		ref := s.store.Reference()
		for i := range d.Items {
			for j, code := range d.Items[i].Makes {
				if term, ok := ref.Term(code); ok {
					d.Items[i].Makes[j] = term.Label(pageLang(c))
				}
			}
		}
	}
	return s.eventRender(c, http.StatusOK, "event_agenda", s.tr(c, "events.agenda.title"), d)
}

// agendaICS is a participant's agenda as an iCalendar file: one event a meeting, with stable
// ids so that a calendar that imports it again updates the meetings that moved.
func (s *Server) agendaICS(c echo.Context) error {
	ev, err := s.eventOf(c)
	if err != nil {
		return err
	}
	me, _, err := s.asRegistration(c, ev.ID)
	if err != nil {
		return err
	}
	if me == nil {
		return echo.ErrNotFound
	}
	items, err := s.store.Agenda(c.Request().Context(), actorOf(c), me.ID, false)
	if err != nil {
		return err
	}
	lang := pageLang(c)
	var b strings.Builder
	line := func(s string) { b.WriteString(icsFold(s) + "\r\n") }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//Hanoi CNHT portal//events//" + strings.ToUpper(lang))
	line("CALSCALE:GREGORIAN")
	line("METHOD:PUBLISH")
	line("X-WR-CALNAME:" + icsText(ev.Title()))
	stamp := s.store.Now().UTC().Format("20060102T150405Z")
	for _, it := range items {
		line("BEGIN:VEVENT")
		line(fmt.Sprintf("UID:event-%d-reg-%d-with-%d@cnht.hanoi.gov.vn", ev.ID, me.ID, it.Counterpart.ID))
		line("DTSTAMP:" + stamp)
		line("DTSTART:" + it.Slot.Start.UTC().Format("20060102T150405Z"))
		line("DTEND:" + it.Slot.End.UTC().Format("20060102T150405Z"))
		line("SUMMARY:" + icsText(s.views.messages.tr(lang, "events.agenda.ics_summary", "Company", it.Counterpart.Company)))
		line("LOCATION:" + icsText(s.views.messages.tr(lang, "events.agenda.ics_location", "Table", it.Table.Label(), "Venue", ev.Venue)))
		desc := it.Counterpart.Describe()
		if it.Counterpart.Requirement != "" {
			desc += "\n" + it.Counterpart.Requirement
		}
		line("DESCRIPTION:" + icsText(desc))
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	h := c.Response().Header()
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="agenda-%d-%d.ics"`, ev.ID, me.ID))
	h.Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "text/calendar; charset=utf-8", []byte(b.String()))
}

// icsText escapes a value of an iCalendar text property.
func icsText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`).Replace(s)
}

// icsFold cuts a content line into lines of at most 75 octets, never inside a character.
func icsFold(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		l := len(string(r))
		if n+l > 75 {
			b.WriteString("\r\n ")
			n = 1
		}
		b.WriteRune(r)
		n += l
	}
	return b.String()
}

// eventMessageIDs are the message ids the event pages build in code.
func eventMessageIDs() []string {
	ids := event.MessageKeys()
	ids = append(ids, "event.session_line", "event.datetime", "event.date", "event.table_line", "event.session_day")
	for _, st := range []event.RegistrationStatus{event.Pending, event.Waitlisted, event.Approved, event.Rejected, event.Withdrawn} {
		ids = append(ids, "events.status."+string(st))
	}
	for _, st := range []event.RequestState{event.Requested, event.Accepted, event.Declined, event.Expired, event.Cancelled} {
		ids = append(ids, "events.state."+string(st))
	}
	for _, side := range []event.Side{event.Buyer, event.Supplier, event.Interpreter} {
		ids = append(ids, "events.side."+string(side))
	}
	for _, k := range []event.ChangeKind{event.TableChanged, event.Moved, event.Dropped} {
		ids = append(ids, "events.change."+string(k))
	}
	ids = append(ids, eventDayMessageIDs()...)
	return append(ids, "events.priority.must_meet", "events.priority.would_like", "events.direction.buyers_to_suppliers",
		"events.direction.suppliers_to_buyers", "events.direction.both")
}

// mailKeysOfEvents are the store's event mails, for the locale checks.
var mailKeysOfEvents = store.EventMailKeys
