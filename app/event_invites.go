package main

import (
	"fmt"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/event"
)

// eventInvite asks a supplier firm to an event open for registration, or says how its
// registration stands.
type eventInvite struct {
	Firm, Event string
	EventURL    string
	// Text says it in the page's language.
	Text string
	// RegisterURL is set while the firm has not registered: the registration form with the
	// firm chosen, so that registering takes two clicks.
	RegisterURL string
	// Status is the firm's registration when it has one.
	Status event.RegistrationStatus
}

// eventInvites lists, for each of the firms, the events open for registration now: a link to
// register the firm for the members of the firm (and for a visitor not signed in, who may be
// one), and how the registration stands once made. Others see nothing.
func (s *Server) eventInvites(c echo.Context, firms []models.Firm) []eventInvite {
	a := actorOf(c)
	ctx := c.Request().Context()
	var mine []models.Firm
	for _, f := range firms {
		if a.UserID == 0 || a.Role == models.RoleSupplier && a.CanEditFirm(f.ID) {
			mine = append(mine, f)
		}
	}
	if len(mine) == 0 {
		return nil
	}
	evs, err := s.store.Events(ctx)
	if err != nil {
		return nil
	}
	now := s.store.Now()
	var open []*event.Record
	for _, ev := range evs {
		if ev.RegistrationOpen(now) {
			open = append(open, ev)
		}
	}
	if len(open) == 0 {
		return nil
	}
	ids := make([]uint, len(mine))
	for i, f := range mine {
		ids[i] = f.ID
	}
	regs, err := s.store.FirmRegistrations(ctx, a, ids)
	if err != nil {
		return nil
	}
	lang := pageLang(c)
	var out []eventInvite
	for _, f := range mine {
		for _, ev := range open {
			inv := eventInvite{Firm: f.NameVI, Event: ev.Name(lang), EventURL: localPath(lang, fmt.Sprintf("/events/%d", ev.ID)),
				RegisterURL: localPath(lang, fmt.Sprintf("/events/%d/register?firm=%d", ev.ID, f.ID))}
			for _, r := range regs {
				if r.EventID == ev.ID && r.FirmID != nil && *r.FirmID == f.ID && r.Status != event.Withdrawn && r.Status != event.Rejected {
					inv.Status, inv.RegisterURL = r.Status, ""
				}
			}
			inv.Text = s.tr(c, "events.invite.register", "Firm", inv.Firm, "Event", inv.Event)
			if inv.Status != "" {
				inv.Text = s.tr(c, "events.invite.registered", "Firm", inv.Firm, "Event", inv.Event,
					"Status", s.tr(c, "events.status."+string(inv.Status)))
			}
			out = append(out, inv)
		}
	}
	return out
}
