package main

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/event"
)

// TestMoveMeetingThroughPages: from the grid, staff open a meeting's move page, check a seat
// taken by another meeting of the buyer (refused, with the conflicts named in the page's
// language and no move button), then a seat firm B said it cannot make (a warning and "move it
// here anyway"), and move it; the published meeting's two sides are told and the buyer's agenda
// shows the new seat.
func TestMoveMeetingThroughPages(t *testing.T) {
	fx := newAuthzFixture(t)
	ctx := context.Background()
	staffA, _ := fx.store.ActorFor(ctx, fx.users["staff"], "")
	var evID, meetingID uint
	fmt.Sscan(fx.ids["{event}"], &evID)
	fmt.Sscan(fx.ids["{meeting}"], &meetingID)
	// A second meeting for the buyer, with firm A; both published.
	var regA, regB, regBuyer, reqA uint
	fmt.Sscan(fx.ids["{regA}"], &regA)
	fmt.Sscan(fx.ids["{regB}"], &regB)
	fmt.Sscan(fx.ids["{regBuyer}"], &regBuyer)
	fmt.Sscan(fx.ids["{reqA}"], &reqA)
	if _, err := fx.store.AnswerRequest(ctx, staffA, reqA, event.AnswerInput{State: event.Accepted}); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.store.RunSchedule(ctx, staffA, evID); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.store.PublishSchedule(ctx, staffA, evID); err != nil {
		t.Fatal(err)
	}
	v, err := fx.store.Schedule(ctx, staffA, evID)
	if err != nil || len(v.Meetings) != 2 {
		t.Fatalf("schedule %+v %v", v, err)
	}
	var mine, other event.Placement
	for _, m := range v.Meetings {
		if m.ID == meetingID {
			mine = m
		} else {
			other = m
		}
	}
	free := 1
	for free == mine.Slot || free == other.Slot {
		free++
	}
	// Firm B cannot make the free slot.
	regs, _ := fx.store.Registrations(ctx, models.SystemActor("test"), evID)
	for _, r := range regs {
		if r.ID == regB {
			in := event.RegistrationInput{Languages: r.Languages, Attendees: r.Attendees, Unavailable: []int{free}}
			if _, err := fx.store.UpdateRegistration(ctx, staffA, regB, in); err != nil {
				t.Fatal(err)
			}
		}
	}
	staffC := fx.as(t, "staff")
	grid := staffC.get(fmt.Sprintf("/staff/events/%d/schedule", evID))
	href, _ := grid.Doc.Find(fmt.Sprintf(`a.move-link[href$="/meetings/%d/move"]`, meetingID)).Attr("href")
	if href == "" {
		t.Fatal("no move link in the grid")
	}
	taken := staffC.get(fmt.Sprintf("/en%s?slot=%d&table=%d", href, other.Slot, other.Table))
	expectStatus(t, taken, 200)
	text := taken.Doc.Find(".move-conflicts").Text()
	if !strings.Contains(text, "Not possible") || !strings.Contains(text, "already meets") || !strings.Contains(text, "already holds a meeting") ||
		taken.Doc.Find(`form[method=post] button`).Length() != 0 {
		t.Fatalf("a taken seat:\n%s", taken.Doc.Find("main").Text())
	}
	// Posted anyway, it is refused.
	refused := staffC.post(href, url.Values{"slot": {fmt.Sprint(other.Slot)}, "table": {fmt.Sprint(other.Table)}, "confirm": {"true"}})
	expectStatus(t, refused, 422)
	if !strings.Contains(refused.Doc.Find(".error-summary").Text(), "Không thể chuyển") {
		t.Fatalf("refusal:\n%s", refused.Doc.Find("main").Text())
	}
	warned := staffC.get(fmt.Sprintf("%s?slot=%d&table=%d", href, free, mine.Table))
	if got := warned.Doc.Find(".move-conflicts").Text(); !strings.Contains(got, "Lưu ý") || !strings.Contains(got, "không gặp được") {
		t.Fatalf("warning: %q", got)
	}
	values := formOf(t, warned.Doc, `form[method=post]`)
	if values.Get("confirm") != "true" {
		t.Fatalf("the move form does not confirm: %v", values)
	}
	queued, _, _, _ := fx.store.OutboxCounts(ctx)
	moved := staffC.post(href, values)
	expectStatus(t, moved, 303)
	if loc := moved.Header.Get("Location"); !strings.Contains(loc, "done=meeting_moved") {
		t.Fatalf("after the move: %q", loc)
	}
	after, _, _, _ := fx.store.OutboxCounts(ctx)
	if after <= queued {
		t.Error("nobody was told of the move")
	}
	buyer, _ := fx.store.ActorFor(ctx, fx.users["buyer"], "")
	items, err := fx.store.Agenda(ctx, buyer, regBuyer, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.Counterpart.ID == regB && (it.Slot.Number != free || !it.Published) {
			t.Fatalf("the buyer's agenda shows the meeting with B at slot %d", it.Slot.Number)
		}
	}
	// The portal says so too, in the reader's language.
	page := fx.as(t, "buyer").get(fmt.Sprintf("/en/events/%d/agenda?as=%d", evID, regBuyer))
	if got := page.Doc.Find(".agenda-moved").Text(); !strings.Contains(got, "Moved on") {
		t.Fatalf("the agenda does not say the meeting moved: %q", got)
	}
}
