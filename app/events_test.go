package main

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/event"
)

func init() {
	authzSetups = append(authzSetups, setupEvent)
	const own = "ldadaa" // the registration of "supplier of this firm", staff and admins
	authzTables["events"] = map[string]authzCase{
		"GET /events":                 {Want: "aaaaaa"},
		"GET /events/:event":          {Path: "/events/{event}", Want: "aaaaaa"},
		"GET /events/:event/register": {Path: "/events/{event}/register", Want: "laaaaa"},
		// Without a firm a supplier registers nothing; staff register from the staff pages.
		"POST /events/:event/register":             {Path: "/events/{event}/register", Want: "ladddd"},
		"GET /events/:event/requests":              {Path: "/events/{event}/requests?as={regA}", Want: own},
		"POST /events/:event/requests":             {Path: "/events/{event}/requests?as={regA}", Form: url.Values{"priority": {"must_meet"}}, Want: own},
		"POST /events/:event/requests/:req/answer": {Path: "/events/{event}/requests/{reqA}/answer?as={regA}", Form: url.Values{"state": {"accepted"}}, Want: own},
		"GET /events/:event/agenda":                {Path: "/events/{event}/agenda?as={regA}", Want: own},
		"GET /events/:event/agenda.ics":            {Path: "/events/{event}/agenda.ics?as={regA}", Want: own},

		"GET /staff/events":                                {Want: "ldddaa"},
		"GET /staff/events/new":                            {Want: "ldddaa"},
		"POST /staff/events":                               {Form: url.Values{"name_vi": {"x"}}, Want: "ldddaa"},
		"GET /staff/events/:event":                         {Path: "/staff/events/{event}", Want: "ldddaa"},
		"GET /staff/events/:event/edit":                    {Path: "/staff/events/{event}/edit", Want: "ldddaa"},
		"POST /staff/events/:event/edit":                   {Path: "/staff/events/{event}/edit", Form: url.Values{"name_vi": {"x"}}, Want: "ldddaa"},
		"POST /staff/events/:event/registrations/:reg":     {Path: "/staff/events/{event}/registrations/{regA}", Form: url.Values{"status": {"approved"}}, Want: "ldddaa"},
		"GET /staff/events/:event/schedule":                {Path: "/staff/events/{event}/schedule", Want: "ldddaa"},
		"POST /staff/events/:event/schedule/run":           {Path: "/staff/events/{event}/schedule/run", Want: "ldddaa"},
		"POST /staff/events/:event/schedule/publish":       {Path: "/staff/events/{event}/schedule/publish", Want: "ldddaa"},
		"POST /staff/events/:event/meetings/:meeting/lock": {Path: "/staff/events/{event}/meetings/{meeting}/lock", Form: url.Values{"locked": {"true"}}, Want: "ldddaa"},
		"GET /staff/events/:event/meetings/:meeting/move":  {Path: "/staff/events/{event}/meetings/{meeting}/move?slot=2&table=2", Want: "ldddaa"},
		"POST /staff/events/:event/meetings/:meeting/move": {Path: "/staff/events/{event}/meetings/{meeting}/move", Form: url.Values{"slot": {"2"}, "table": {"2"}}, Want: "ldddaa"},
	}
}

// testEventRecord is an event open for registration and requests now, held two months ahead.
func testEventRecord(now time.Time) event.Record {
	day := now.In(models.Hanoi).AddDate(0, 2, 0)
	return event.Record{Event: event.Event{NameVI: "Kết nối CNHT thử nghiệm", NameEN: "Trial matching day", Venue: "Cung Văn hoá Hữu nghị",
		Days: []event.Day{{Date: *models.DateOf(day.Year(), day.Month(), day.Day()), Sessions: []event.Session{
			{Name: "Sáng", Start: 8*60 + 30, End: 10 * 60, MeetingMinutes: 30}}}},
		Tables:            []event.Table{{Number: 1, Chairs: 4}, {Number: 2, Chairs: 4}},
		Languages:         []event.LanguageOffer{{Code: "vi"}, {Code: "en"}},
		RegistrationOpens: now.Add(-24 * time.Hour), RegistrationCloses: now.AddDate(0, 1, 0),
		RequestsOpen: now.Add(-24 * time.Hour), RequestsClose: now.AddDate(0, 1, 10), AnswerWithin: 72 * time.Hour,
		Direction: event.BothWays}}
}

// setupEvent adds an event with firm A, firm B and the buyer approved, an open request from the
// buyer to firm A, and a scheduled meeting of the buyer with firm B.
func setupEvent(ctx context.Context, fx *authzFixture) error {
	actor := func(role string) models.Actor {
		a, _ := fx.store.ActorFor(ctx, fx.users[role], "")
		return a
	}
	staffA, supA, supB, buyer := actor("staff"), actor("supplier of this firm"), actor("supplier of another firm"), actor("buyer")
	ev, err := fx.store.CreateEvent(ctx, staffA, testEventRecord(fx.store.Now()))
	if err != nil {
		return err
	}
	var firmA, firmB uint
	fmt.Sscan(fx.ids["{firmA}"], &firmA)
	fmt.Sscan(fx.ids["{firmB}"], &firmB)
	people := []event.Attendee{{Name: "Nguyễn An"}}
	regs := map[string]*event.Registration{}
	for key, in := range map[string]struct {
		a  models.Actor
		in event.RegistrationInput
	}{
		"{regA}":     {supA, event.RegistrationInput{Side: event.Supplier, FirmID: firmA, Languages: []string{"vi"}, Attendees: people}},
		"{regB}":     {supB, event.RegistrationInput{Side: event.Supplier, FirmID: firmB, Languages: []string{"vi"}, Attendees: people}},
		"{regBuyer}": {buyer, event.RegistrationInput{Side: event.Buyer, Company: "Canon Vietnam", Requirement: "moulds", Languages: []string{"vi", "en"}, Attendees: people}},
	} {
		r, err := fx.store.Register(ctx, in.a, ev.ID, in.in)
		if err != nil {
			return fmt.Errorf("register %s: %w", key, err)
		}
		if _, err := fx.store.DecideRegistration(ctx, staffA, r.ID, event.Approved, ""); err != nil {
			return err
		}
		regs[key] = r
		fx.ids[key] = fmt.Sprint(r.ID)
	}
	req, err := fx.store.RequestMeeting(ctx, buyer, ev.ID, event.RequestInput{FromID: regs["{regBuyer}"].ID, ToID: regs["{regA}"].ID, Priority: event.MustMeet})
	if err != nil {
		return err
	}
	if _, err := fx.store.RequestMeeting(ctx, staffA, ev.ID, event.RequestInput{FromID: regs["{regBuyer}"].ID, ToID: regs["{regB}"].ID,
		Priority: event.MustMeet, Accept: true}); err != nil {
		return err
	}
	if _, err := fx.store.RunSchedule(ctx, staffA, ev.ID); err != nil {
		return err
	}
	v, err := fx.store.Schedule(ctx, staffA, ev.ID)
	if err != nil || len(v.Meetings) != 1 {
		return fmt.Errorf("schedule: %v, %+v", err, v)
	}
	fx.ids["{event}"], fx.ids["{reqA}"], fx.ids["{meeting}"] = fmt.Sprint(ev.ID), fmt.Sprint(req.ID), fmt.Sprint(v.Meetings[0].ID)
	return nil
}

// TestEventMessagesMatchEnglish: the English locale says what models/event says, so a page and
// the scheduler's reports never disagree.
func TestEventMessagesMatchEnglish(t *testing.T) {
	en := messageFile(t, "en")
	args := models.Args{"Value": "V", "Min": 1, "Max": 2, "Start": "S", "End": "E", "Other": "O", "Minutes": 25,
		"From": "F", "To": "T", "Participant": "P", "Slot": 3, "Session": "am", "Table": 4, "State": "declined"}
	for _, key := range event.MessageKeys() {
		texts, ok := en[key]
		if !ok {
			t.Errorf("%s is not in the English locale", key)
			continue
		}
		var b strings.Builder
		if err := template.Must(template.New(key).Parse(texts[0])).Execute(&b, args); err != nil {
			t.Fatal(err)
		}
		if got, want := b.String(), event.MessageEN(key, args); got != want {
			t.Errorf("%s: the locale says %q, models/event says %q", key, got, want)
		}
	}
}

// TestEventFlowThroughPages walks the main flow through the forms: staff create an event, a
// supplier and a buyer register, staff approve, the buyer asks, the supplier declines once
// without a reason (refused, in the page's language) and then accepts, staff run the scheduler
// and publish, and both sides read their agenda and calendar file.
func TestEventFlowThroughPages(t *testing.T) {
	fx := newAuthzFixture(t)
	staffC, supC, buyerC := fx.as(t, "staff"), fx.as(t, "supplier of this firm"), fx.as(t, "buyer")

	form := fx.as(t, "staff").get("/staff/events/new")
	expectStatus(t, form, 200)
	values := formOf(t, form.Doc, "form.form")
	values.Set("name_vi", "Ngày kết nối")
	values.Set("name_en", "")
	values.Set("sessions", "Sáng | 08:30-10:00 | 30\nChiều | nonsense")
	bad := staffC.post("/staff/events", values)
	expectStatus(t, bad, 422)
	for _, want := range []string{"#f-name_en", "#f-sessions"} {
		if bad.Doc.Find(".error-summary a[href='"+want+"']").Length() == 0 {
			t.Errorf("no error on %s:\n%s", want, bad.Doc.Find(".error-summary").Text())
		}
	}
	if !strings.Contains(bad.Doc.Find(".error-summary").Text(), "không theo dạng") {
		t.Errorf("the session error is not in Vietnamese: %s", bad.Doc.Find(".error-summary").Text())
	}
	values.Set("name_en", "Matching day")
	values.Set("sessions", "Sáng | 08:30-10:00 | 30")
	values.Set("venue", "Cung Văn hoá Hữu nghị")
	created := staffC.post("/staff/events", values)
	expectStatus(t, created, 303)
	loc := created.Header.Get("Location")
	var id uint
	if _, err := fmt.Sscanf(loc, "/staff/events/%d?done=event_saved", &id); err != nil {
		t.Fatalf("redirect to %q: %v", loc, err)
	}
	base := fmt.Sprintf("/events/%d", id)

	public := buyerC.get("/en" + base)
	expectStatus(t, public, 200)
	if !strings.Contains(public.Body, "Matching day") || !strings.Contains(public.Body, "3 slots, 20 tables") {
		t.Fatalf("public page:\n%.1500s", public.Doc.Find("main").Text())
	}

	// The supplier: two clicks, the form pre-filled from the account and the profile.
	reg := supC.get(base + "/register")
	expectStatus(t, reg, 200)
	sv := formOf(t, reg.Doc, "form.form")
	if sv.Get("firm") != fx.ids["{firmA}"] || sv.Get("attendee_name_1") == "" || sv.Get("lang") != "vi" {
		t.Fatalf("supplier form not pre-filled: %v", sv)
	}
	sv.Add("lang", "en") // the buyer speaks English only, and the event has no interpreter
	expectStatus(t, supC.post(base+"/register", sv), 303)

	// The buyer forgets what it sources, in English.
	bv := url.Values{"company": {"Canon Vietnam"}, "lang": {"en"}, "attendee_name_1": {"Sato Ken"}}
	refused := buyerC.post("/en"+base+"/register", bv)
	expectStatus(t, refused, 422)
	if got := refused.Doc.Find("#f-requirement-error").Text(); got == "" || strings.Contains(got, "validation.") {
		t.Fatalf("requirement error %q", got)
	}
	bv.Set("requirement", "plastic injection parts")
	expectStatus(t, buyerC.post("/en"+base+"/register", bv), 303)

	regs, err := fx.store.Registrations(context.Background(), models.SystemActor("test"), id)
	if err != nil || len(regs) != 2 {
		t.Fatalf("registrations %+v %v", regs, err)
	}
	var regSup, regBuyer uint
	for _, r := range regs {
		expectStatus(t, staffC.post(fmt.Sprintf("/staff/events/%d/registrations/%d", id, r.ID), url.Values{"status": {"approved"}}), 303)
		if r.Side == event.Supplier {
			regSup = r.ID
		} else {
			regBuyer = r.ID
		}
	}

	// The buyer asks; firm A's member sees it and answers.
	asked := buyerC.post(fmt.Sprintf("/en%s/requests", base), url.Values{"as": {fmt.Sprint(regBuyer)}, "to": {fmt.Sprint(regSup)},
		"priority": {"must_meet"}, "message": {"We buy brackets"}})
	expectStatus(t, asked, 303)
	inbox := supC.get(fmt.Sprintf("%s/requests?as=%d", base, regSup))
	expectStatus(t, inbox, 200)
	reqCard := inbox.Doc.Find("article.request")
	if reqCard.Length() != 1 || !strings.Contains(reqCard.Text(), "Canon Vietnam") {
		t.Fatalf("inbox:\n%s", inbox.Doc.Find("main").Text())
	}
	reqID, _ := reqCard.Attr("id")
	answer := fmt.Sprintf("%s/requests/%s/answer", base, strings.TrimPrefix(reqID, "request-"))
	declined := supC.post(answer, url.Values{"as": {fmt.Sprint(regSup)}, "state": {"declined"}})
	expectStatus(t, declined, 422)
	if got := declined.Doc.Find("#f-reason-error").Text(); !strings.Contains(got, "lý do") {
		t.Fatalf("decline without reason: %q", got)
	}
	// Another firm's member cannot answer it.
	expectStatus(t, fx.as(t, "supplier of another firm").post(answer, url.Values{"as": {fmt.Sprint(regSup)}, "state": {"accepted"}}), 403)
	expectStatus(t, supC.post(answer, url.Values{"as": {fmt.Sprint(regSup)}, "state": {"accepted"}}), 303)

	// Staff run and publish.
	expectStatus(t, staffC.post(fmt.Sprintf("/staff/events/%d/schedule/run", id), nil), 303)
	grid := staffC.get(fmt.Sprintf("/staff/events/%d/schedule", id))
	expectStatus(t, grid, 200)
	if got := strings.TrimSpace(grid.Doc.Find("#placed").Text()); got != "1 / 1" {
		t.Fatalf("placed / bound %q", got)
	}
	if !strings.Contains(grid.Doc.Find(".schedule-grid").Text(), "Canon Vietnam – Công ty TNHH Cơ khí An Phú") {
		t.Fatalf("grid:\n%s", grid.Doc.Find(".schedule-grid").Text())
	}
	expectStatus(t, staffC.post(fmt.Sprintf("/staff/events/%d/schedule/publish", id), nil), 303)

	agenda := buyerC.get(fmt.Sprintf("/en%s/agenda?as=%d", base, regBuyer))
	expectStatus(t, agenda, 200)
	if rows := agenda.Doc.Find("tbody tr"); rows.Length() != 1 || !strings.Contains(rows.Text(), "An Phú") {
		t.Fatalf("buyer's agenda:\n%s", agenda.Doc.Find("main").Text())
	}
	ics := supC.get(fmt.Sprintf("%s/agenda.ics?as=%d", base, regSup))
	expectStatus(t, ics, 200)
	if ct := ics.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") || !strings.Contains(ics.Body, "BEGIN:VEVENT") ||
		!strings.Contains(ics.Body, "SUMMARY:Gặp Canon Vietnam") {
		t.Fatalf("ics %s:\n%s", ct, ics.Body)
	}
	// Each side finds what it was told on its requests page, in its page's language, newest first.
	told := buyerC.get(fmt.Sprintf("/en%s/requests?as=%d", base, regBuyer))
	expectStatus(t, told, 200)
	notices := told.Doc.Find(".notice-list li")
	if notices.Length() < 3 || !strings.Contains(notices.First().Text(), "Your agenda for Matching day") ||
		!strings.Contains(told.Doc.Find(".notice-list").Text(), "Meeting agreed with Công ty TNHH Cơ khí An Phú") {
		t.Fatalf("the buyer's notices:\n%s", told.Doc.Find(".notices").Text())
	}
	if href, _ := notices.First().Find("a").Attr("href"); !strings.HasPrefix(href, "/en/events/") {
		t.Errorf("the agenda notice links to %q", href)
	}
	toldVI := supC.get(fmt.Sprintf("%s/requests?as=%d", base, regSup))
	if got := toldVI.Doc.Find(".notice-list li").First().Text(); !strings.Contains(got, "Lịch gặp của bạn tại Ngày kết nối") {
		t.Errorf("the supplier's newest notice: %q", got)
	}
	if got := toldVI.Doc.Find(".notices").Text(); !strings.Contains(got, "Canon Vietnam đề nghị gặp bạn tại Ngày kết nối") ||
		strings.Contains(got, "Kính gửi") {
		t.Errorf("the supplier's notices, without the mails' greetings:\n%s", got)
	}
	// Staff arrange a meeting in a buyer's name with a second firm, agreed for both sides (a hosted
	// buyer); the buyer itself may only ask.
	supB := fx.as(t, "supplier of another firm")
	regForm := supB.get(base + "/register")
	expectStatus(t, regForm, 200)
	expectStatus(t, supB.post(base+"/register", formOf(t, regForm.Doc, "form.form")), 303)
	all, err := fx.store.Registrations(context.Background(), models.SystemActor("test"), id)
	if err != nil || len(all) != 3 {
		t.Fatalf("registrations %+v %v", all, err)
	}
	var regB uint
	for _, r := range all {
		if r.ID != regSup && r.ID != regBuyer {
			regB = r.ID
		}
	}
	expectStatus(t, staffC.post(fmt.Sprintf("/staff/events/%d/registrations/%d", id, regB), url.Values{"status": {"approved"}}), 303)
	staffPage := staffC.get(fmt.Sprintf("/staff/events/%d", id))
	actFor := fmt.Sprintf("/events/%d/requests?as=%d", id, regBuyer)
	if staffPage.Doc.Find(`a[href="`+actFor+`"]`).Length() != 1 {
		t.Fatalf("no link to act for the buyer on the staff page")
	}
	hosted := url.Values{"as": {fmt.Sprint(regBuyer)}, "to": {fmt.Sprint(regB)}, "priority": {"must_meet"}, "accept": {"on"}}
	expectStatus(t, buyerC.post(base+"/requests", hosted), 403)
	if form := staffC.get(actFor); form.Doc.Find("#f-accept").Length() != 1 {
		t.Fatalf("staff acting for the buyer see no agreed-meeting box")
	}
	if buyerC.get(fmt.Sprintf("%s/requests?as=%d", base, regBuyer)).Doc.Find("#f-accept").Length() != 0 {
		t.Fatalf("the buyer is offered to agree for both sides")
	}
	expectStatus(t, staffC.post(base+"/requests", hosted), 303)
	reqs, err := fx.store.RequestsOf(context.Background(), models.SystemActor("test"), regBuyer)
	if err != nil {
		t.Fatal(err)
	}
	agreed := false
	for _, r := range reqs {
		agreed = agreed || r.ToID == regB && r.State == event.Accepted
	}
	if !agreed {
		t.Fatalf("no agreed meeting with the second firm: %+v", reqs)
	}
	// Nobody reads another participant's agenda by naming its id.
	expectStatus(t, buyerC.get(fmt.Sprintf("%s/agenda?as=%d", base, regSup)), 403)
	expectStatus(t, supC.get(fmt.Sprintf("%s/requests?as=%d", base, regBuyer)), 403)
}
