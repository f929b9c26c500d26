package sample

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/event"
	"github.com/hanoi-cnht/portal/models/store/storetest"
)

// eventFirms stands in for stored sample firms: the stream's first 36 with ids.
func eventFirms(t testing.TB) []*models.Firm {
	firms := GenerateAsOf(builtinRef(t), sampleSeed, 0, 36, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	for i, f := range firms {
		f.ID = uint(100 + i)
	}
	return firms
}

func TestSampleEventsDeterministic(t *testing.T) {
	firms := eventFirms(t)
	asOf := time.Date(2026, 3, 15, 4, 30, 0, 0, time.UTC)
	a := Events(firms, asOf)
	b := Events(firms, asOf.Add(9*time.Hour))
	if !reflect.DeepEqual(a, b) {
		t.Fatal("sample events made as of the same day differ")
	}
}

func TestSampleEventsValid(t *testing.T) {
	firms := eventFirms(t)
	asOf := time.Date(2026, 3, 15, 4, 30, 0, 0, time.UTC)
	evs := Events(firms, asOf)
	if len(evs) != 2 {
		t.Fatalf("%d sample events, want a past and an upcoming one", len(evs))
	}
	for _, h := range evs {
		if err := h.Check(); err != nil {
			t.Fatalf("%s: %v", h.Record.NameEN, err)
		}
	}
	past, next := evs[0], evs[1]
	t.Run("PastEventHasResults", func(t *testing.T) {
		if last := past.Record.LastDay(); !last.Before(asOf) {
			t.Fatalf("past event ends %s, after %s", last, asOf)
		}
		var noShows, both, unmet int
		for _, m := range past.Meetings {
			if m.Status != event.Held {
				noShows++
			}
			if m.BuyerOutcome != nil && m.SupplierOutcome != nil {
				both++
			}
		}
		for _, r := range past.Requests {
			if r.State != event.Accepted {
				unmet++
			}
		}
		if len(past.Meetings) < 20 || noShows == 0 || both == 0 || unmet == 0 {
			t.Fatalf("%d meetings, %d no-shows, %d with both outcomes, %d requests not accepted",
				len(past.Meetings), noShows, both, unmet)
		}
		if past.Record.PublishedAt == nil {
			t.Fatal("past schedule not published")
		}
	})
	t.Run("UpcomingEventOpen", func(t *testing.T) {
		if !next.Record.RegistrationOpen(asOf) || !next.Record.RequestsOpenAt(asOf) {
			t.Fatal("upcoming event not open for registration and requests")
		}
		if len(next.Record.Days) < 2 || len(next.Record.Days[1].Sessions) >= len(next.Record.Days[0].Sessions) {
			t.Error("upcoming event's days should differ in their sessions")
		}
	})
	t.Run("FewFirms", func(t *testing.T) {
		for _, n := range []int{1, 20, 30} {
			for _, h := range Events(firms[:n], asOf) {
				if err := h.Check(); err != nil {
					t.Fatalf("%d firms: %s: %v", n, h.Record.NameEN, err)
				}
			}
		}
	})
}

// TestSampleEventsStored writes the sample events over stored sample firms, as a new database
// gets them, and checks what users then see: figures on the past event's results and an open
// registration on the upcoming one.
func TestSampleEventsStored(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	if err := Add(ctx, s, sampleSeed, 60, 60); err != nil {
		t.Fatal(err)
	}
	if err := AddEvents(ctx, s); err != nil {
		t.Fatal(err)
	}
	evs, err := s.Events(ctx)
	if err != nil || len(evs) != 2 {
		t.Fatalf("events: %v, %v", evs, err)
	}
	staff := models.SystemActor("test")
	var past, next *event.Record
	for _, ev := range evs {
		if ev.RegistrationOpen(s.Now()) {
			next = ev
		} else {
			past = ev
		}
	}
	if past == nil || next == nil {
		t.Fatal("want one past and one open event")
	}
	t.Run("PastResults", func(t *testing.T) {
		res, err := s.EventResults(ctx, staff, past.ID)
		if err != nil {
			t.Fatal(err)
		}
		outcomes := 0
		for _, n := range res.Outcomes {
			outcomes += n
		}
		if res.Scheduled == 0 || res.Held == 0 || res.NoShows == 0 || res.CheckedIn == 0 || outcomes == 0 ||
			res.AcceptanceRate() == 0 || res.AcceptanceRate() == 1 || len(res.BySector) == 0 || len(res.ByBuyerCountry) < 3 {
			t.Fatalf("results lack figures: %+v", res)
		}
		t.Logf("registrations %v, requests %d (accepted %d), scheduled %d, held %d, no-shows %d, checked in %d of %d, outcomes %v",
			res.Registrations, res.RequestsMade, res.Accepted, res.Scheduled, res.Held, res.NoShows, res.CheckedIn, res.Participants, res.Outcomes)
		if res.StatusUnknown != 0 {
			t.Errorf("%d meetings without a status after the day", res.StatusUnknown)
		}
	})
	t.Run("UpcomingAcceptsRegistration", func(t *testing.T) {
		u, err := s.CreateUser(ctx, models.Actor{}, models.UserInput{Email: "buyer@example.com", Name: "A buyer",
			Role: models.RoleBuyer, Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		a := models.Actor{UserID: u.ID, Name: u.Name, Role: models.RoleBuyer}
		reg, err := s.Register(ctx, a, next.ID, event.RegistrationInput{Side: event.Buyer, Company: "Example Assembly",
			Country: "Japan", Requirement: "Plastic injection parts", Languages: []string{"en"},
			Attendees: []event.Attendee{{Name: "A buyer"}}})
		if err != nil {
			t.Fatal(err)
		}
		if reg.Status != event.Pending {
			t.Fatalf("status %s, want pending", reg.Status)
		}
	})
	t.Run("AgendaNamesWhatSuppliersMake", func(t *testing.T) {
		regs, err := s.Registrations(ctx, staff, past.ID)
		if err != nil {
			t.Fatal(err)
		}
		makes := 0
		for _, r := range regs {
			if r.Side != event.Buyer || r.Status != event.Approved {
				continue
			}
			items, err := s.Agenda(ctx, staff, r.ID, false)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range items {
				if len(it.Makes) > 0 {
					makes++
				}
			}
		}
		if makes == 0 {
			t.Fatal("no buyer's agenda says what its suppliers make")
		}
	})
	t.Run("SampleAccountsCannotSignIn", func(t *testing.T) {
		regs, err := s.Registrations(ctx, staff, past.ID)
		if err != nil || len(regs) == 0 {
			t.Fatal(regs, err)
		}
		u, err := s.UserByID(ctx, regs[0].UserID)
		if err != nil {
			t.Fatal(err)
		}
		if !u.Disabled() || u.PasswordHash != "" {
			t.Fatalf("sample account %s can sign in", u.Email)
		}
	})
	t.Run("NoMail", func(t *testing.T) {
		queued, sent, failed, err := s.OutboxCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// The buyer who signed up above is the only one with mail (none for its sign-up
		// without a link, one for its registration).
		if queued+sent+failed > 1 {
			t.Fatalf("%d mails queued with the sample events", queued+sent+failed)
		}
	})
}
