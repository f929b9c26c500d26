package main

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hanoi-cnht/portal/models/event"
)

// TestOfferFreedSlotThroughPages: firm B does not come to its meeting with the buyer; from the
// desk's list staff follow "offer the slot", see firm A on the waitlist, give it the slot, and
// the day's list shows the buyer's new meeting with firm A at the same time and table.
func TestOfferFreedSlotThroughPages(t *testing.T) {
	fx := newAuthzFixture(t)
	ctx := context.Background()
	staffA, _ := fx.store.ActorFor(ctx, fx.users["staff"], "")
	var evID, meetingID, regA uint
	fmt.Sscan(fx.ids["{event}"], &evID)
	fmt.Sscan(fx.ids["{meeting}"], &meetingID)
	fmt.Sscan(fx.ids["{regA}"], &regA)
	if _, err := fx.store.DecideRegistration(ctx, staffA, regA, event.Waitlisted, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.store.PublishSchedule(ctx, staffA, evID); err != nil {
		t.Fatal(err)
	}
	ev, _ := fx.store.EventByID(ctx, evID)
	fx.store.SetClock(func() time.Time { return ev.Slots()[len(ev.Slots())-1].End })
	staffC := fx.as(t, "staff")
	for _, lang := range []string{"", "/en"} {
		day := staffC.get(fmt.Sprintf("%s/staff/events/%d/day", lang, evID))
		if day.Doc.Find("a.offer-link").Length() != 0 {
			t.Fatal("an offer link on a meeting nobody missed")
		}
	}
	base := fmt.Sprintf("/staff/events/%d", evID)
	expectStatus(t, staffC.post(fmt.Sprintf("%s/meetings/%d/status", base, meetingID), url.Values{"status": {"supplier_no_show"}}), 303)
	day := staffC.get(base + "/day")
	href, _ := day.Doc.Find(fmt.Sprintf("#meeting-%d a.offer-link", meetingID)).Attr("href")
	if href == "" {
		t.Fatalf("no offer link:\n%s", day.Doc.Find(fmt.Sprintf("#meeting-%d", meetingID)).Text())
	}
	for _, lang := range []string{"/en", ""} {
		page := staffC.get(lang + href)
		expectStatus(t, page, 200)
		want := map[string]string{"/en": "on the waitlist", "": "danh sách chờ"}[lang]
		if got := page.Doc.Find(".slot-offers").Text(); !strings.Contains(got, "An Phú") || !strings.Contains(got, want) {
			t.Fatalf("offers %q", got)
		}
	}
	page := staffC.get(href)
	given := staffC.post(href, formOf(t, page.Doc, ".slot-offers form"))
	expectStatus(t, given, 303)
	if loc := given.Header.Get("Location"); !strings.Contains(loc, "done=slot_offered") {
		t.Fatalf("after the offer: %q", loc)
	}
	day = staffC.get(base + "/day")
	if !strings.Contains(day.Doc.Find(".data-table").Last().Text(), "An Phú") {
		t.Fatalf("the day's meetings:\n%s", day.Doc.Find(".data-table").Last().Text())
	}
	// Nothing more to offer: the slot is taken.
	if got := staffC.get(href).Doc.Find(".slot-offers").Length(); got != 0 {
		t.Fatal("the slot is still offered")
	}
}
