package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/event"
)

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
