package main

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models/store"
)

// On the day: a meeting one side did not come to leaves a slot free at a table; staff offer
// it on the spot to an agreed meeting that had no seat or to a firm on the waitlist.

type staffOfferData struct {
	staffPage
	Event eventView
	Freed *store.FreedSlot
	Intro string
}

// staffOfferPage lists whom a freed slot can go to.
func (s *Server) staffOfferPage(c echo.Context) error {
	return s.staffOfferRender(c, http.StatusOK, s.newForm(c))
}

func (s *Server) staffOfferRender(c echo.Context, status int, f *form) error {
	ev, id, err := s.eventMeetingOf(c)
	if err != nil {
		return err
	}
	fs, err := s.store.FreedSlotOffers(c.Request().Context(), actorOf(c), ev.ID, id)
	if err != nil {
		return err
	}
	d := &staffOfferData{staffPage: s.staffPageOf(c, f), Event: ev, Freed: fs,
		Intro: s.tr(c, "staff.offer.intro", "Company", fs.Present.Company, "Table", fs.Meeting.PublishedTable,
			"Time", formatDateTime(pageLang(c), fs.Slot.Start))}
	return s.staffRender(c, status, "staff_event_offer", "staff_event_offer.title", d)
}

// staffOfferSlot gives the freed slot to the offer chosen.
func (s *Server) staffOfferSlot(c echo.Context) error {
	ev, id, err := s.eventMeetingOf(c)
	if err != nil {
		return err
	}
	offer := store.SlotOffer{}
	offer.RequestID, _ = formID(c, "request")
	offer.RegistrationID, _ = formID(c, "registration")
	if err := s.store.OfferFreedSlot(c.Request().Context(), actorOf(c), ev.ID, id, offer); err != nil {
		f := s.newForm(c)
		if s.storeFormError(c, f, "offer", err) {
			return s.staffOfferRender(c, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	return s.staffRedirect(c, fmt.Sprintf("/staff/events/%d/day#meeting-%d", ev.ID, id), "slot_offered")
}
