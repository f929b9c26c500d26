package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/event"
)

func conflictKeys(err error) []string {
	var mc *MoveConflictsError
	if !errors.As(err, &mc) {
		return nil
	}
	var out []string
	for _, c := range mc.Conflicts {
		out = append(out, c.Key)
	}
	return out
}

// TestMoveMeeting: staff move a published meeting; a seat where someone is booked or the table
// is taken is refused outright; one a participant said it cannot make is refused until staff
// confirm; the move is locked, audited, and told to both sides at once.
func TestMoveMeeting(t *testing.T) {
	w, day := publishedWorld(t)
	ctx := context.Background()
	withA, withB := day[0], day[1]
	busy := map[int]bool{withA.Slot.Number: true, withB.Slot.Number: true}
	free := 0
	for _, sl := range w.ev.Slots() {
		if !busy[sl.Number] {
			free = sl.Number
			break
		}
	}
	if free == 0 {
		t.Fatal("no free slot in the test event")
	}
	t.Run("ErrForbiddenSupplierMoves", func(t *testing.T) {
		if err := w.s.MoveMeeting(ctx, w.supA, w.ev.ID, withA.ID, MoveInput{Slot: free, Table: 1}); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("a supplier moved a meeting: %v", err)
		}
		if _, err := w.s.MovePreview(ctx, w.buyer, w.ev.ID, withA.ID, free, 1); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("a buyer previewed a move: %v", err)
		}
	})
	t.Run("ErrDoubleBookedAndTableTaken", func(t *testing.T) {
		err := w.s.MoveMeeting(ctx, w.staff, w.ev.ID, withA.ID, MoveInput{Slot: withB.Slot.Number, Table: withB.Table.Number, Confirm: true})
		keys := conflictKeys(err)
		if !errors.Is(err, models.ErrConflict) || len(keys) != 2 || keys[0] != "event.table_taken" || keys[1] != "event.double_booked" {
			t.Fatalf("onto the buyer's other meeting: %v %v", keys, err)
		}
	})
	t.Run("ErrUnknownSeat", func(t *testing.T) {
		if keys := conflictKeys(w.s.MoveMeeting(ctx, w.staff, w.ev.ID, withA.ID, MoveInput{Slot: 99, Table: 1})); len(keys) != 1 || keys[0] != "event.unknown_slot" {
			t.Fatalf("slot 99: %v", keys)
		}
		if keys := conflictKeys(w.s.MoveMeeting(ctx, w.staff, w.ev.ID, withA.ID, MoveInput{Slot: free, Table: 7})); len(keys) != 1 || keys[0] != "event.unknown_table" {
			t.Fatalf("table 7: %v", keys)
		}
	})
	// Firm A cannot make the free slot.
	in := w.supplierInput(w.firmA)
	in.Unavailable = []int{free}
	if _, err := w.s.UpdateRegistration(ctx, w.supA, w.regA.ID, in); err != nil {
		t.Fatal(err)
	}
	v, err := w.s.MovePreview(ctx, w.staff, w.ev.ID, withA.ID, free, 2)
	if err != nil || len(v.Conflicts) != 1 || v.Conflicts[0].Key != "event.unavailable" || v.Conflicts[0].Hard {
		t.Fatalf("preview %+v %v", v, err)
	}
	if keys := conflictKeys(w.s.MoveMeeting(ctx, w.staff, w.ev.ID, withA.ID, MoveInput{Slot: free, Table: 2})); len(keys) != 1 {
		t.Fatalf("an unconfirmed move went through: %v", keys)
	}
	queued, _, _, _ := w.s.OutboxCounts(ctx)
	if err := w.s.MoveMeeting(ctx, w.staff, w.ev.ID, withA.ID, MoveInput{Slot: free, Table: 2, Confirm: true}); err != nil {
		t.Fatal(err)
	}
	after, _, _, _ := w.s.OutboxCounts(ctx)
	if after-queued != 2 {
		t.Errorf("%d mails about the move, want one to the buyer and one to firm A's member", after-queued)
	}
	agenda, err := w.s.Agenda(ctx, w.buyer, w.regBuyer.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	moved := false
	for _, it := range agenda {
		moved = moved || it.Slot.Number == free && it.Table.Number == 2 && it.Counterpart.ID == w.regA.ID && it.Published && it.MovedAt != nil
	}
	if !moved {
		t.Fatalf("the buyer's agenda does not show the new seat: %+v", agenda)
	}
	sv, _ := w.s.Schedule(ctx, w.staff, w.ev.ID)
	for _, m := range sv.Meetings {
		if m.ID == withA.ID && !m.Locked {
			t.Error("a moved meeting is not locked")
		}
	}
	if n := auditCount(t, w.s, "meeting.move"); n != 1 {
		t.Fatalf("%d moves audited", n)
	}
	// The day's view follows the move.
	days, _ := w.s.DayMeetings(ctx, w.staff, w.ev.ID, 0)
	for _, m := range days {
		if m.ID == withA.ID && (m.Slot.Number != free || m.Table.Number != 2) {
			t.Fatalf("day view %+v", m)
		}
	}
}

// TestOfferFreedSlot: firm A does not come to its meeting with the buyer; staff offer the slot
// to firm C, on the supplier waitlist: C is approved on the spot, gets a badge and a locked,
// published meeting with the buyer at the same table, and both are told. A held meeting frees
// nothing; an offer no longer possible is refused.
func TestOfferFreedSlot(t *testing.T) {
	w, day := publishedWorld(t)
	ctx := context.Background()
	withA, withB := day[0], day[1]
	if _, err := w.s.DecideRegistration(ctx, w.staff, w.regC.ID, event.Waitlisted, "full"); err != nil {
		t.Fatal(err)
	}
	w.clock = withA.Slot.Start.Add(10 * time.Minute)
	if w.clock.Before(withB.Slot.Start) {
		w.clock = withB.Slot.Start.Add(10 * time.Minute)
	}
	if err := w.s.MarkMeeting(ctx, w.staff, withB.ID, event.Held); err != nil {
		t.Fatal(err)
	}
	t.Run("ErrNotFreed", func(t *testing.T) {
		if _, err := w.s.FreedSlotOffers(ctx, w.staff, w.ev.ID, withB.ID); !isField(err, "meeting", "event.not_freed") {
			t.Fatalf("a held meeting freed its slot: %v", err)
		}
	})
	if err := w.s.MarkMeeting(ctx, w.staff, withA.ID, event.SupplierNoShow); err != nil {
		t.Fatal(err)
	}
	t.Run("ErrForbiddenParticipant", func(t *testing.T) {
		if _, err := w.s.FreedSlotOffers(ctx, w.buyer, w.ev.ID, withA.ID); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("a buyer saw the offers: %v", err)
		}
		if err := w.s.OfferFreedSlot(ctx, w.buyer, w.ev.ID, withA.ID, SlotOffer{RegistrationID: w.regC.ID}); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("a buyer offered a slot: %v", err)
		}
	})
	fs, err := w.s.FreedSlotOffers(ctx, w.staff, w.ev.ID, withA.ID)
	if err != nil || fs.Present.ID != w.regBuyer.ID || len(fs.Offers) != 1 || fs.Offers[0].RegistrationID != w.regC.ID || !fs.Offers[0].Waitlisted {
		t.Fatalf("offers %+v %v", fs, err)
	}
	t.Run("ErrOfferGone", func(t *testing.T) {
		if err := w.s.OfferFreedSlot(ctx, w.staff, w.ev.ID, withA.ID, SlotOffer{RegistrationID: w.regB.ID}); !isField(err, "offer", "event.offer_gone") {
			t.Fatalf("an offer to a firm that is no offer: %v", err)
		}
	})
	queued, _, _, _ := w.s.OutboxCounts(ctx)
	if err := w.s.OfferFreedSlot(ctx, w.staff, w.ev.ID, withA.ID, SlotOffer{RegistrationID: w.regC.ID}); err != nil {
		t.Fatal(err)
	}
	if after, _, _, _ := w.s.OutboxCounts(ctx); after-queued != 2 {
		t.Errorf("%d mails about the offered slot, want the buyer's and firm C's", after-queued)
	}
	c, err := w.s.Registration(ctx, w.staff, w.regC.ID)
	if err != nil || c.Status != event.Approved {
		t.Fatalf("firm C %+v %v", c, err)
	}
	if b, err := w.s.Badge(ctx, w.supC, w.regC.ID); err != nil || b.Token == "" {
		t.Fatalf("firm C's badge %+v %v", b, err)
	}
	agenda, err := w.s.Agenda(ctx, w.supC, w.regC.ID, false)
	if err != nil || len(agenda) != 1 || agenda[0].Slot.Number != withA.Slot.Number || agenda[0].Table.Number != withA.Table.Number ||
		agenda[0].Counterpart.ID != w.regBuyer.ID || !agenda[0].Published {
		t.Fatalf("firm C's agenda %+v %v", agenda, err)
	}
	if n := auditCount(t, w.s, "meeting.offer"); n != 1 {
		t.Fatalf("%d offers audited", n)
	}
	// The slot is taken now: nothing more to offer.
	if fs, err := w.s.FreedSlotOffers(ctx, w.staff, w.ev.ID, withA.ID); err != nil || len(fs.Offers) != 0 {
		t.Fatalf("offers after filling: %+v %v", fs, err)
	}
}
