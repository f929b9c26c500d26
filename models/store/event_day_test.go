package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/event"
)

// publishedWorld is the event world with the buyer's meetings with firms A and B accepted,
// scheduled and published; it returns the two meetings, A's first.
func publishedWorld(t *testing.T) (*eventWorld, []*event.DayMeeting) {
	t.Helper()
	w := newEventWorld(t)
	w.registerAll(t)
	ctx := context.Background()
	for _, p := range []struct {
		to *event.Registration
		a  models.Actor
	}{{w.regA, w.supA}, {w.regB, w.supB}} {
		r, err := w.s.RequestMeeting(ctx, w.buyer, w.ev.ID, event.RequestInput{FromID: w.regBuyer.ID, ToID: p.to.ID, Priority: event.MustMeet})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.AnswerRequest(ctx, p.a, r.ID, event.AnswerInput{State: event.Accepted}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.s.RunSchedule(ctx, w.staff, w.ev.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.PublishSchedule(ctx, w.staff, w.ev.ID); err != nil {
		t.Fatal(err)
	}
	day, err := w.s.DayMeetings(ctx, w.staff, w.ev.ID, 0)
	if err != nil || len(day) != 2 {
		t.Fatalf("day meetings %+v %v", day, err)
	}
	if day[0].Supplier.ID != w.regA.ID {
		day[0], day[1] = day[1], day[0]
	}
	return w, day
}

func auditCount(t *testing.T, s *Store, action string) int64 {
	t.Helper()
	var n int64
	if err := s.db.Model(&models.AuditEvent{}).Where("action = ?", action).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBadgesAndCheckIn(t *testing.T) {
	w, _ := publishedWorld(t)
	ctx := context.Background()
	b, err := w.s.Badge(ctx, w.supA, w.regA.ID)
	if err != nil || len(b.Token) < 16 || b.CheckedInAt != nil {
		t.Fatalf("badge %+v %v", b, err)
	}
	again, _ := w.s.Badge(ctx, w.supA, w.regA.ID)
	if again.Token != b.Token {
		t.Fatal("a second look issued another badge")
	}
	other, _ := w.s.Badge(ctx, w.supB, w.regB.ID)
	if other.Token == b.Token {
		t.Fatal("two badges share a code")
	}
	t.Run("ErrForbiddenOthersBadge", func(t *testing.T) {
		if _, err := w.s.Badge(ctx, w.supB, w.regA.ID); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("firm B read firm A's badge: %v", err)
		}
	})
	t.Run("ErrForbiddenParticipantChecksIn", func(t *testing.T) {
		for _, a := range []models.Actor{w.supA, w.supB, w.buyer} {
			if _, err := w.s.CheckIn(ctx, a, w.ev.ID, CheckInInput{Code: b.Token}); !errors.Is(err, models.ErrForbidden) {
				t.Fatalf("a participant checked in: %v", err)
			}
		}
	})
	t.Run("UnknownCode", func(t *testing.T) {
		if _, err := w.s.CheckIn(ctx, w.staff, w.ev.ID, CheckInInput{Code: "AAAA-BBBB"}); !isField(err, "code", "event.unknown_badge") {
			t.Fatalf("unknown code: %v", err)
		}
	})
	t.Run("ByCode", func(t *testing.T) {
		// Typed at the desk in lower case with a space.
		got, err := w.s.CheckIn(ctx, w.staff, w.ev.ID, CheckInInput{Code: " " + b.Token[:4] + " " + b.Token[4:]})
		if err != nil || got.CheckedInAt == nil || got.Registration.ID != w.regA.ID {
			t.Fatalf("check-in %+v %v", got, err)
		}
		if n := auditCount(t, w.s, "registration.check_in"); n != 1 {
			t.Fatalf("%d check-ins audited", n)
		}
		// Twice keeps the first and audits nothing more.
		if _, err := w.s.CheckIn(ctx, w.staff, w.ev.ID, CheckInInput{Code: b.Token}); err != nil || auditCount(t, w.s, "registration.check_in") != 1 {
			t.Fatalf("second check-in: %v", err)
		}
	})
	t.Run("ByListAndUndo", func(t *testing.T) {
		got, err := w.s.CheckIn(ctx, w.staff, w.ev.ID, CheckInInput{RegistrationID: w.regBuyer.ID})
		if err != nil || got.CheckedInAt == nil {
			t.Fatalf("tick %+v %v", got, err)
		}
		got, err = w.s.CheckIn(ctx, w.staff, w.ev.ID, CheckInInput{RegistrationID: w.regBuyer.ID, Undo: true})
		if err != nil || got.CheckedInAt != nil {
			t.Fatalf("undo %+v %v", got, err)
		}
	})
	all, err := w.s.EventBadges(ctx, w.staff, w.ev.ID)
	if err != nil || len(all) != 4 {
		t.Fatalf("badges %d %v", len(all), err)
	}
	if _, err := w.s.EventBadges(ctx, w.buyer, w.ev.ID); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("a buyer printed every badge: %v", err)
	}
}

func TestMeetingStatusAndOutcomes(t *testing.T) {
	w, day := publishedWorld(t)
	ctx := context.Background()
	withA, withB := day[0], day[1]
	t.Run("ErrTooEarly", func(t *testing.T) {
		// Before the meeting's slot begins nobody knows whether it is held or what it led to.
		w.clock = withA.Slot.Start.Add(-time.Minute)
		if err := w.s.MarkMeeting(ctx, w.staff, withA.ID, event.Held); !isField(err, "status", "event.too_early") {
			t.Fatalf("marked before the meeting: %v", err)
		}
		if err := w.s.RecordOutcome(ctx, w.buyer, withA.ID, w.regBuyer.ID, event.OutcomeInput{Outcome: event.NoFit}); !isField(err, "outcome", "event.too_early") {
			t.Fatalf("an outcome before the meeting: %v", err)
		}
	})
	// The day: both meetings have begun.
	w.clock = withA.Slot.End
	if withB.Slot.End.After(w.clock) {
		w.clock = withB.Slot.End
	}
	t.Run("ErrForbiddenParticipantMarks", func(t *testing.T) {
		if err := w.s.MarkMeeting(ctx, w.buyer, withA.ID, event.Held); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("the buyer marked a meeting: %v", err)
		}
	})
	t.Run("ErrStatusUnknown", func(t *testing.T) {
		if err := w.s.MarkMeeting(ctx, w.staff, withA.ID, "late"); !isField(err, "status", "event.meeting_status") {
			t.Fatalf("bad status: %v", err)
		}
	})
	if err := w.s.MarkMeeting(ctx, w.staff, withA.ID, event.Held); err != nil {
		t.Fatal(err)
	}
	if err := w.s.MarkMeeting(ctx, w.staff, withB.ID, event.SupplierNoShow); err != nil {
		t.Fatal(err)
	}
	t.Run("ErrForbiddenOtherSidesOutcome", func(t *testing.T) {
		// Firm B is no side of the meeting with A; firm A cannot speak for the buyer.
		if err := w.s.RecordOutcome(ctx, w.supB, withA.ID, w.regB.ID, event.OutcomeInput{Outcome: event.NoFit}); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("a stranger recorded an outcome: %v", err)
		}
		if err := w.s.RecordOutcome(ctx, w.supA, withA.ID, w.regBuyer.ID, event.OutcomeInput{Outcome: event.NoFit}); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("the supplier recorded the buyer's outcome: %v", err)
		}
	})
	t.Run("ErrOutcomeUnknown", func(t *testing.T) {
		if err := w.s.RecordOutcome(ctx, w.supA, withA.ID, w.regA.ID, event.OutcomeInput{Outcome: "great"}); !isField(err, "outcome", "event.outcome") {
			t.Fatalf("bad outcome: %v", err)
		}
	})
	t.Run("ErrNotHeld", func(t *testing.T) {
		if err := w.s.RecordOutcome(ctx, w.buyer, withB.ID, w.regBuyer.ID, event.OutcomeInput{Outcome: event.NoFit}); !isField(err, "outcome", "event.not_held") {
			t.Fatalf("an outcome of a no-show: %v", err)
		}
	})
	if err := w.s.RecordOutcome(ctx, w.buyer, withA.ID, w.regBuyer.ID, event.OutcomeInput{Outcome: event.FurtherContact}); err != nil {
		t.Fatal(err)
	}
	// Recorded again, the outcome changes in place.
	if err := w.s.RecordOutcome(ctx, w.buyer, withA.ID, w.regBuyer.ID, event.OutcomeInput{Outcome: event.Quotation, Notes: " drawings by June "}); err != nil {
		t.Fatal(err)
	}
	if err := w.s.RecordOutcome(ctx, w.supA, withA.ID, w.regA.ID, event.OutcomeInput{Outcome: event.SampleOrder}); err != nil {
		t.Fatal(err)
	}
	mine, err := w.s.DayMeetings(ctx, w.buyer, w.ev.ID, w.regBuyer.ID)
	if err != nil || len(mine) != 2 {
		t.Fatalf("buyer's meetings %+v %v", mine, err)
	}
	for _, m := range mine {
		if m.ID == withA.ID && (m.BuyerOutcome == nil || m.BuyerOutcome.Outcome != event.Quotation || m.BuyerOutcome.Notes != "drawings by June" ||
			m.SupplierOutcome == nil || m.Status != event.Held) {
			t.Fatalf("meeting with A: %+v", m)
		}
	}
	if _, err := w.s.DayMeetings(ctx, w.supB, w.ev.ID, w.regA.ID); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("firm B read firm A's meetings: %v", err)
	}
	if n := auditCount(t, w.s, "meeting.outcome"); n != 3 {
		t.Fatalf("%d outcomes audited", n)
	}

	res, err := w.s.EventResults(ctx, w.staff, w.ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res.Scheduled != 2 || res.Held != 1 || res.NoShows != 1 || res.RequestsMade != 2 || res.AcceptanceRate() != 1 ||
		res.Outcomes[event.Quotation] != 1 || res.Outcomes[event.SampleOrder] != 1 || res.Participants != 4 {
		t.Fatalf("results %+v", res)
	}
	if len(res.ByBuyerCountry) != 1 || res.ByBuyerCountry[0].Label != "JP" || res.ByBuyerCountry[0].Meetings != 2 {
		t.Fatalf("by country %+v", res.ByBuyerCountry)
	}
	if len(res.BySector) == 0 || res.BySector[0].Label == "" {
		t.Fatalf("by sector %+v", res.BySector)
	}
	if _, err := w.s.EventResults(ctx, w.supA, w.ev.ID); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("a supplier read the results: %v", err)
	}
}

func TestFollowUpMailsOnceAfterTheDelay(t *testing.T) {
	w, _ := publishedWorld(t)
	ctx := context.Background()
	// The event is on 14 October 2026; the default delay is 182 days.
	w.clock = w.ev.LastDay().AddDate(0, 0, 181)
	if n, err := w.s.SendFollowUps(ctx); err != nil || n != 0 {
		t.Fatalf("early follow-ups %d %v", n, err)
	}
	w.clock = w.ev.LastDay().AddDate(0, 0, 182)
	if n, err := w.s.SendFollowUps(ctx); err != nil || n != 3 {
		t.Fatalf("follow-ups %d %v", n, err)
	}
	if m := mailsTo(t, w.s, "buyer@canon.example.jp"); m[len(m)-1].Subject != "mail.event_follow_up" {
		t.Fatalf("buyer not asked: %+v", m[len(m)-1])
	}
	if n, err := w.s.SendFollowUps(ctx); err != nil || n != 0 {
		t.Fatalf("asked twice: %d %v", n, err)
	}
	// Firm C had no meeting and is not asked.
	for _, m := range mailsTo(t, w.s, "sales@caugiay.vn") {
		if m.Subject == "mail.event_follow_up" {
			t.Fatal("firm C was asked about meetings it never had")
		}
	}
}

// TestBadgesIssuedOnApprovalNotOnRead: approval issues the badge; reading a badge or the
// event's badges writes nothing; a registration approved before badges came with approval
// has none until staff issue the missing ones, by a write of their own.
func TestBadgesIssuedOnApprovalNotOnRead(t *testing.T) {
	w := newEventWorld(t)
	w.registerAll(t)
	ctx := context.Background()
	count := func() int64 {
		var n int64
		if err := w.s.db.Model(&badgeRow{}).Where("event_id = ?", w.ev.ID).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != 4 {
		t.Fatalf("%d badges after approving four registrations", n)
	}
	issued := auditCount(t, w.s, "badge.issue")
	// A registration approved before badges came with approval.
	if err := w.s.db.Where("registration_id = ?", w.regA.ID).Delete(&badgeRow{}).Error; err != nil {
		t.Fatal(err)
	}
	b, err := w.s.Badge(ctx, w.supA, w.regA.ID)
	if err != nil || b.Token != "" || b.Registration == nil {
		t.Fatalf("badge without a row: %+v %v", b, err)
	}
	all, err := w.s.EventBadges(ctx, w.staff, w.ev.ID)
	if err != nil || len(all) != 4 {
		t.Fatalf("badges %+v %v", all, err)
	}
	if n := count(); n != 3 || auditCount(t, w.s, "badge.issue") != issued {
		t.Fatalf("reading badges wrote: %d badges", n)
	}
	t.Run("ErrForbiddenIssueByParticipant", func(t *testing.T) {
		if _, err := w.s.IssueBadges(ctx, w.supA, w.ev.ID); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("a supplier issued badges: %v", err)
		}
	})
	n, err := w.s.IssueBadges(ctx, w.staff, w.ev.ID)
	if err != nil || n != 1 || count() != 4 {
		t.Fatalf("issued %d, %v; %d badges", n, err, count())
	}
	if n, _ := w.s.IssueBadges(ctx, w.staff, w.ev.ID); n != 0 {
		t.Fatalf("issued %d more the second time", n)
	}
	if b, _ := w.s.Badge(ctx, w.supA, w.regA.ID); len(b.Token) < 16 {
		t.Fatalf("badge after issuing: %+v", b)
	}
}
