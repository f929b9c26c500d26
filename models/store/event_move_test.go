package store

import (
	"context"
	"errors"
	"testing"

	"github.com/hanoi-cnht/portal/models"
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
		moved = moved || it.Slot.Number == free && it.Table.Number == 2 && it.Counterpart.ID == w.regA.ID && it.Published
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
