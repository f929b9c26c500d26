package main

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/event"
)

func init() {
	const own = "ldadaa" // the registration of "supplier of this firm", staff and admins
	authzTables["events_day"] = map[string]authzCase{
		"GET /events/:event/badge":    {Path: "/events/{event}/badge?as={regA}", Want: own},
		"GET /events/:event/outcomes": {Path: "/events/{event}/outcomes?as={regA}", Want: own},
		// The fixture's meeting is the buyer's with firm B: firm A's member speaks for neither side,
		// and firm B's member cannot record the buyer's outcome.
		"POST /events/:event/meetings/:meeting/outcome": {Path: "/events/{event}/meetings/{meeting}/outcome?as={regBuyer}",
			Form: url.Values{"outcome": {"no_fit"}}, Want: "laddaa"},
		"GET /staff/events/:event/badges":                    {Path: "/staff/events/{event}/badges", Want: "ldddaa"},
		"POST /staff/events/:event/badges":                   {Path: "/staff/events/{event}/badges", Want: "ldddaa"},
		"GET /staff/events/:event/day":                       {Path: "/staff/events/{event}/day", Want: "ldddaa"},
		"POST /staff/events/:event/checkin":                  {Path: "/staff/events/{event}/checkin", Form: url.Values{"reg": {"{regA}"}}, Want: "ldddaa"},
		"POST /staff/events/:event/meetings/:meeting/status": {Path: "/staff/events/{event}/meetings/{meeting}/status", Form: url.Values{"status": {"held"}}, Want: "ldddaa"},
		// The fixture's meeting was not missed: staff are told it frees nothing (422), others refused.
		"GET /staff/events/:event/meetings/:meeting/offer":  {Path: "/staff/events/{event}/meetings/{meeting}/offer", Want: "ldddaa"},
		"POST /staff/events/:event/meetings/:meeting/offer": {Path: "/staff/events/{event}/meetings/{meeting}/offer", Form: url.Values{"registration": {"{regA}"}}, Want: "ldddaa"},
		"GET /staff/events/:event/results":                  {Path: "/staff/events/{event}/results", Want: "ldddaa"},
		"GET /staff/events/:event/results/export":           {Path: "/staff/events/{event}/results/export?format=csv", Want: "ldddaa"},
	}
}

// newSuggestionEvent adds an event where the fixture's buyer, sourcing plastics, and both firms
// are approved with no request between them yet; it returns the event and the registrations.
func newSuggestionEvent(t *testing.T, fx *authzFixture) (ev *event.Record, buyer, regA, regB *event.Registration) {
	t.Helper()
	ctx := context.Background()
	actor := func(role string) models.Actor {
		a, _ := fx.store.ActorFor(ctx, fx.users[role], "")
		return a
	}
	staffA := actor("staff")
	ev, err := fx.store.CreateEvent(ctx, staffA, testEventRecord(fx.store.Now()))
	if err != nil {
		t.Fatal(err)
	}
	people := []event.Attendee{{Name: "Nguyễn An"}}
	reg := func(role string, in event.RegistrationInput) *event.Registration {
		in.Languages, in.Attendees = []string{"vi"}, people
		r, err := fx.store.Register(ctx, actor(role), ev.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if r, err = fx.store.DecideRegistration(ctx, staffA, r.ID, event.Approved, ""); err != nil {
			t.Fatal(err)
		}
		return r
	}
	regA = reg("supplier of this firm", event.RegistrationInput{Side: event.Supplier, FirmID: fx.id(t, "{firmA}")})
	regB = reg("supplier of another firm", event.RegistrationInput{Side: event.Supplier, FirmID: fx.id(t, "{firmB}")})
	buyer = reg("buyer", event.RegistrationInput{Side: event.Buyer, Company: "Canon Vietnam", Requirement: "nhựa Bình Minh"})
	return ev, buyer, regA, regB
}

// TestBuyerSeesSuggestedSuppliers: the buyer's requests page suggests the registered suppliers
// the matcher ranks for its requirement, with the reasons, and one button asks for a meeting.
func TestBuyerSeesSuggestedSuppliers(t *testing.T) {
	fx := newAuthzFixture(t)
	ev, buyer, _, regB := newSuggestionEvent(t, fx)
	buyerC := fx.as(t, "buyer")
	page := buyerC.get(fmt.Sprintf("/en/events/%d/requests?as=%d", ev.ID, buyer.ID))
	expectStatus(t, page, 200)
	card := page.Doc.Find(fmt.Sprintf("#suggested-%d", regB.ID))
	if card.Length() != 1 || !strings.Contains(card.Text(), "Bình Minh") || !strings.Contains(card.Text(), "matched on") {
		t.Fatalf("suggestions:\n%s", page.Doc.Find("main").Text())
	}
	v := formOf(t, page.Doc, fmt.Sprintf("#suggested-%d form", regB.ID))
	v.Set("priority", "must_meet")
	expectStatus(t, buyerC.post(fmt.Sprintf("/en/events/%d/requests", ev.ID), v), 303)
	after := buyerC.get(fmt.Sprintf("/en/events/%d/requests?as=%d", ev.ID, buyer.ID))
	if after.Doc.Find(fmt.Sprintf("#suggested-%d", regB.ID)).Length() != 0 {
		t.Error("a supplier already asked is still suggested")
	}
	// A supplier's page suggests nothing.
	sup := fx.as(t, "supplier of another firm").get(fmt.Sprintf("/events/%d/requests?as=%d", ev.ID, regB.ID))
	expectStatus(t, sup, 200)
	if sup.Doc.Find(".suggestion").Length() != 0 {
		t.Error("a supplier is shown suggestions")
	}
}

// TestEventDayThroughPages: the buyer prints its badge, the desk checks it in from the code the
// QR carries and firm B from the list, staff mark the meeting held, both sides record an
// outcome (neither can record the other's), and the results page and its exports count them.
func TestEventDayThroughPages(t *testing.T) {
	fx := newAuthzFixture(t)
	ctx := context.Background()
	ev, buyer, _, regB := newSuggestionEvent(t, fx)
	staffA, _ := fx.store.ActorFor(ctx, fx.users["staff"], "")
	if _, err := fx.store.RequestMeeting(ctx, staffA, ev.ID, event.RequestInput{FromID: buyer.ID, ToID: regB.ID,
		Priority: event.MustMeet, Accept: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.store.RunSchedule(ctx, staffA, ev.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.store.PublishSchedule(ctx, staffA, ev.ID); err != nil {
		t.Fatal(err)
	}
	staffC, buyerC, supC := fx.as(t, "staff"), fx.as(t, "buyer"), fx.as(t, "supplier of another firm")
	base := fmt.Sprintf("/events/%d", ev.ID)

	badge := buyerC.get(fmt.Sprintf("/en%s/badge?as=%d", base, buyer.ID))
	expectStatus(t, badge, 200)
	src, _ := badge.Doc.Find(".event-badge-qr").Attr("src")
	code := strings.TrimSpace(badge.Doc.Find(".event-badge-code strong").Text())
	if !strings.HasPrefix(src, "data:image/png;base64,") || len(code) < 19 {
		t.Fatalf("badge:\n%s", badge.Doc.Find("main").Text())
	}
	// Another participant cannot print the buyer's badge.
	expectStatus(t, supC.get(fmt.Sprintf("%s/badge?as=%d", base, buyer.ID)), 403)

	// The QR opens the desk with the code filled in.
	desk := staffC.get(fmt.Sprintf("/staff%s/day?code=%s", base, strings.ReplaceAll(code, "-", "")))
	expectStatus(t, desk, 200)
	v := formOf(t, desk.Doc, "section[aria-labelledby=code-heading] form")
	if v.Get("code") == "" {
		t.Fatal("the scanned code is not filled in")
	}
	in := staffC.post(fmt.Sprintf("/staff%s/checkin", base), v)
	expectStatus(t, in, 303)
	if loc := in.Header.Get("Location"); !strings.Contains(strings.SplitN(loc, "#", 2)[0], "done=checked_in") {
		t.Fatalf("back to the desk at %q", loc)
	}
	bad := staffC.post(fmt.Sprintf("/staff%s/checkin", base), url.Values{"code": {"WRONG-CODE"}})
	expectStatus(t, bad, 422)
	if bad.Doc.Find("#f-code-error").Length() != 1 {
		t.Fatalf("no error on a wrong code:\n%s", bad.Doc.Find("main").Text())
	}
	// Firm B is found by name and ticked on the list.
	found := staffC.get(fmt.Sprintf("/staff%s/day?q=%s", base, url.QueryEscape("bình minh")))
	row := found.Doc.Find(fmt.Sprintf("#reg-%d", regB.ID))
	if found.Doc.Find(".checkin-list tbody tr").Length() != 1 || row.Length() != 1 {
		t.Fatalf("search:\n%s", found.Doc.Find(".checkin-list").Text())
	}
	expectStatus(t, staffC.post(fmt.Sprintf("/staff%s/checkin", base), formOf(t, found.Doc, fmt.Sprintf("#reg-%d form", regB.ID))), 303)
	desk = staffC.get(fmt.Sprintf("/staff%s/day", base))
	if got := desk.Doc.Find("#checked-in-count").Text(); !strings.Contains(got, "2") {
		t.Fatalf("count %q", got)
	}
	meetingRow := desk.Doc.Find(".data-table tr[id^=meeting-]")
	mid, _ := meetingRow.Attr("id")
	meetingID := strings.TrimPrefix(mid, "meeting-")
	// Before the meeting begins neither staff nor a side can say how it went.
	early := buyerC.post(fmt.Sprintf("%s/meetings/%s/outcome", base, meetingID), url.Values{"as": {fmt.Sprint(buyer.ID)}, "outcome": {"quotation"}})
	expectStatus(t, early, 422)
	if got := early.Doc.Find(".error-summary").Text(); !strings.Contains(got, "bắt đầu lúc") {
		t.Fatalf("outcome before the meeting: %q", got)
	}
	expectStatus(t, staffC.post(fmt.Sprintf("/staff%s/meetings/%s/status", base, meetingID), url.Values{"status": {"held"}}), 422)
	// The day of the event, after the meeting: the test clock moves on and everyone signs in again.
	var start time.Time
	for _, sl := range ev.Slots() {
		if sl.Number == 1 {
			start = sl.End
		}
	}
	fx.store.SetClock(func() time.Time { return start.Add(4 * time.Hour) })
	staffC, buyerC, supC = fx.as(t, "staff"), fx.as(t, "buyer"), fx.as(t, "supplier of another firm")
	expectStatus(t, staffC.post(fmt.Sprintf("/staff%s/meetings/%s/status", base, meetingID), url.Values{"status": {"held"}}), 303)

	// Each side records its outcome; firm B cannot record the buyer's.
	outcome := fmt.Sprintf("%s/meetings/%s/outcome", base, meetingID)
	expectStatus(t, supC.post(outcome, url.Values{"as": {fmt.Sprint(buyer.ID)}, "outcome": {"agreement"}}), 403)
	refused := buyerC.post("/en"+outcome, url.Values{"as": {fmt.Sprint(buyer.ID)}})
	expectStatus(t, refused, 422)
	if refused.Doc.Find(".error-summary a[href='#f-outcome']").Length() != 1 {
		t.Fatalf("no outcome error:\n%s", refused.Doc.Find("main").Text())
	}
	expectStatus(t, buyerC.post("/en"+outcome, url.Values{"as": {fmt.Sprint(buyer.ID)}, "outcome": {"quotation"}, "notes": {"drawings"}}), 303)
	page := supC.get(fmt.Sprintf("%s/outcomes?as=%d", base, regB.ID))
	expectStatus(t, page, 200)
	sv := formOf(t, page.Doc, "#meeting-"+meetingID+" form")
	sv.Set("outcome", "sample_order")
	expectStatus(t, supC.post(outcome, sv), 303)

	res := staffC.get(fmt.Sprintf("/en/staff%s/results", base))
	expectStatus(t, res, 200)
	summary := res.Doc.Find(".results-summary").Text()
	for _, want := range []string{"1 / 1", "2 / 3", "100%"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, summary)
		}
	}
	for _, format := range []string{"csv", "xlsx"} {
		ex := staffC.get(fmt.Sprintf("/en/staff%s/results/export?format=%s", base, format))
		expectStatus(t, ex, 200)
		if cd := ex.Header.Get("Content-Disposition"); !strings.Contains(cd, fmt.Sprintf("event-%d-results-20", ev.ID)) || !strings.Contains(cd, "."+format) {
			t.Errorf("%s named %q", format, cd)
		}
		if format == "csv" && (!strings.Contains(ex.Body, "Quotation requested,1") || !strings.Contains(ex.Body, "Meetings held")) {
			t.Errorf("csv:\n%s", ex.Body)
		}
	}
}
