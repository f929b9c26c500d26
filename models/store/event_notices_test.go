package store

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/event"
)

// TestEventNoticesKeepWhatEachSideWasTold: every mail about an event is also a notice of the
// registration it concerns, readable by those who act for it and by no one else.
func TestEventNoticesKeepWhatEachSideWasTold(t *testing.T) {
	w := newEventWorld(t)
	w.registerAll(t)
	ctx := context.Background()
	r, err := w.s.RequestMeeting(ctx, w.buyer, w.ev.ID, event.RequestInput{FromID: w.regBuyer.ID, ToID: w.regA.ID, Priority: event.MustMeet})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.AnswerRequest(ctx, w.supA, r.ID, event.AnswerInput{State: event.Declined, Reason: "no capacity"}); err != nil {
		t.Fatal(err)
	}
	keys := func(a models.Actor, regID uint) []string {
		t.Helper()
		ns, err := w.s.NoticesOf(ctx, a, regID)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, n := range ns {
			out = append(out, n.Key)
		}
		return out
	}
	buyer := keys(w.buyer, w.regBuyer.ID)
	want := []string{"mail.meeting_declined", "mail.event_registration_approved", "mail.event_registration_pending"}
	if !slices.Equal(buyer, want) {
		t.Fatalf("the buyer's notices, newest first: %v, want %v", buyer, want)
	}
	ns, _ := w.s.NoticesOf(ctx, w.buyer, w.regBuyer.ID)
	if ns[0].Args["Reason"] != "no capacity" || ns[0].Args["Other"] == "" || ns[0].Path == "" {
		t.Errorf("the decline notice lost its reason, counterpart or page: %+v", ns[0])
	}
	firmA := keys(w.supA, w.regA.ID)
	if len(firmA) != 3 || firmA[0] != "mail.meeting_requested" {
		t.Errorf("firm A's notices: %v (the request, the approval, the registration)", firmA)
	}
	if got := keys(w.staff, w.regA.ID); !slices.Equal(got, firmA) {
		t.Errorf("staff read firm A's notices as %v, want %v", got, firmA)
	}
	for _, other := range []models.Actor{w.supB, w.buyer2, {}} {
		for _, reg := range []uint{w.regA.ID, w.regBuyer.ID} {
			if _, err := w.s.NoticesOf(ctx, other, reg); !errors.Is(err, models.ErrForbidden) {
				t.Errorf("%q read registration %d's notices: %v", other.Name, reg, err)
			}
		}
	}
}
