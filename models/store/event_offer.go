package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"gorm.io/gorm"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/event"
)

// On the day a meeting one side does not come to leaves the other side at its table with
// nobody: staff offer that slot on the spot to a meeting that could not be placed (an accepted
// request of the side that came) or to a firm on the waitlist of the side that did not come.

// SlotOffer is someone the freed slot can go to: an accepted request without a seat
// (RequestID), or a waitlisted registration (RegistrationID) that staff approve on the spot.
type SlotOffer struct {
	RequestID, RegistrationID uint
	Company                   string
	Waitlisted                bool
}

// FreedSlot is a published meeting one side did not come to: who is left at the table, when
// and where, and to whom the slot can be offered.
type FreedSlot struct {
	Meeting event.Placement
	Present *event.Registration
	Slot    event.Slot
	Offers  []SlotOffer
}

// freed loads the meeting and checks that exactly one side did not come to it.
func freed(tx *gorm.DB, eventID, meetingID uint) (*eventState, *placementRow, *event.Registration, event.Side, error) {
	st, p, err := loadMove(tx, eventID, meetingID)
	if err != nil {
		return nil, nil, nil, "", err
	}
	var att attendanceRow
	if err := tx.Where("meeting_id = ?", meetingID).Limit(1).Find(&att).Error; err != nil {
		return nil, nil, nil, "", err
	}
	r := st.requests[p.RequestID]
	if r == nil {
		return nil, nil, nil, "", models.ErrNotFound
	}
	if p.PublishedSlot == 0 {
		return nil, nil, nil, "", fieldErr("meeting", "event.not_freed", nil)
	}
	buyer, supplier := st.sides(r)
	switch event.MeetingStatus(att.Status) {
	case event.BuyerNoShow:
		return st, p, supplier, event.Buyer, nil
	case event.SupplierNoShow:
		return st, p, buyer, event.Supplier, nil
	}
	return nil, nil, nil, "", fieldErr("meeting", "event.not_freed", nil)
}

// offers lists whom the freed slot can go to: each must be free at the slot, able to meet
// then, and not blocked from meeting the side that came.
func (st *eventState) offers(p *placementRow, present *event.Registration, absent event.Side) []SlotOffer {
	participants := map[string]*event.Participant{}
	for _, r := range st.regs {
		ps := r.Participant()
		participants[ps.ID] = &ps
	}
	placed := map[uint]bool{}
	var others []event.Meeting
	for _, q := range st.placements {
		if q.Slot == 0 {
			continue
		}
		placed[q.RequestID] = true
		r := st.requests[q.RequestID]
		if q.ID == p.ID || r == nil {
			continue
		}
		others = append(others, event.Meeting{ID: idText(q.ID), Slot: q.Slot, Table: q.TableNumber,
			Participants: []string{idText(r.FromID), idText(r.ToID)}})
	}
	fits := func(other uint) bool {
		m := event.Meeting{ID: "offer", Participants: []string{present.ParticipantID(), idText(other)}}
		return len(st.ev.CheckSeat(m, p.PublishedSlot, p.PublishedTable, others, participants)) == 0
	}
	blocked := map[uint]bool{}
	var out []SlotOffer
	for _, id := range slices.Sorted(maps.Keys(st.requests)) {
		r := st.requests[id]
		if r.FromID != present.ID && r.ToID != present.ID {
			continue
		}
		other := r.FromID
		if other == present.ID {
			other = r.ToID
		}
		if r.State == string(event.Declined) && r.NoThanks {
			blocked[other] = true
		}
		o := st.regs[other]
		if r.State != string(event.Accepted) || placed[id] || o == nil || o.Status != event.Approved || !fits(other) {
			continue
		}
		out = append(out, SlotOffer{RequestID: id, Company: o.Company})
	}
	for _, id := range slices.Sorted(maps.Keys(st.regs)) {
		r := st.regs[id]
		if r.Side != absent || r.Status != event.Waitlisted || blocked[id] || !fits(id) {
			continue
		}
		out = append(out, SlotOffer{RegistrationID: id, Company: r.Company, Waitlisted: true})
	}
	return out
}

// FreedSlotOffers returns a meeting one side did not come to and whom its slot can be offered
// to; staff only.
func (s *Store) FreedSlotOffers(ctx context.Context, a models.Actor, eventID, meetingID uint) (*FreedSlot, error) {
	if !a.IsStaff() {
		return nil, models.ErrForbidden
	}
	st, p, present, absent, err := freed(s.db.WithContext(ctx), eventID, meetingID)
	if err != nil {
		return nil, err
	}
	return &FreedSlot{Meeting: p.placement(), Present: present, Slot: st.ev.Slots()[p.PublishedSlot-1],
		Offers: st.offers(p, present, absent)}, nil
}

// OfferFreedSlot gives the slot of a meeting one side did not come to, at the same table, to
// one of its offers: the accepted request's meeting, or a meeting with the waitlisted firm,
// approved on the spot (with its badge) and agreed by staff for the side that came. The new
// meeting is locked and published; both sides are told by mail in their language and see it on
// their agenda; staff only.
func (s *Store) OfferFreedSlot(ctx context.Context, a models.Actor, eventID, meetingID uint, offer SlotOffer) error {
	if !a.IsStaff() {
		return models.ErrForbidden
	}
	now := s.now()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		st, p, present, absent, err := freed(tx, eventID, meetingID)
		if err != nil {
			return err
		}
		var chosen *SlotOffer
		for _, o := range st.offers(p, present, absent) {
			if o.RequestID != 0 && o.RequestID == offer.RequestID || o.RegistrationID != 0 && o.RegistrationID == offer.RegistrationID {
				chosen = &o
			}
		}
		if chosen == nil {
			return fieldErr("offer", "event.offer_gone", nil)
		}
		reqID := chosen.RequestID
		other := st.regs[chosen.RegistrationID]
		if chosen.Waitlisted {
			if err := tx.Model(&registrationRow{}).Where("id = ?", other.ID).Updates(map[string]any{
				"status": string(event.Approved), "decided_at": now, "updated_at": now}).Error; err != nil {
				return err
			}
			if err := writeAudit(tx, now, a, models.AuditEvent{Action: "registration.decide", EntityType: "registration",
				EntityID: idText(other.ID), FirmID: other.FirmID, Reason: "freed slot",
				Changes: models.FieldChanges{{Field: "status", Old: string(other.Status), New: string(event.Approved)}}}); err != nil {
				return err
			}
			other.Status = event.Approved
			if _, err := issueBadges(tx, now, a, eventID, []*event.Registration{other}); err != nil {
				return err
			}
			req := requestRow{EventID: eventID, FromID: present.ID, ToID: other.ID, Priority: string(event.WouldLike),
				State: string(event.Accepted), MadeBy: actorID(a), MadeAt: now, AnsweredAt: &now}
			if err := tx.Create(&req).Error; err != nil {
				return err
			}
			reqID = req.ID
		} else {
			r := st.requests[reqID]
			otherID := r.FromID
			if otherID == present.ID {
				otherID = r.ToID
			}
			other = st.regs[otherID]
		}
		row := placementRow{EventID: eventID, RequestID: reqID, Slot: p.PublishedSlot, TableNumber: p.PublishedTable,
			Locked: true, PublishedSlot: p.PublishedSlot, PublishedTable: p.PublishedTable, UpdatedAt: now}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		if err := writeAudit(tx, now, a, models.AuditEvent{Action: "meeting.offer", EntityType: "meeting", EntityID: idText(row.ID),
			Changes: models.FieldChanges{{Field: "freed_meeting", New: idText(meetingID)},
				{Field: "slot", New: strconv.Itoa(row.Slot)}, {Field: "table", New: strconv.Itoa(row.TableNumber)},
				{Field: "request", New: idText(reqID)}, {Field: "waitlisted", New: strconv.FormatBool(chosen.Waitlisted)}}}); err != nil {
			return err
		}
		for _, r := range []*event.Registration{present, other} {
			if err := s.tellRegistration(tx, now, st.ev, r, "mail.agenda_changed", nil,
				fmt.Sprintf("/events/%d/agenda?as=%d", eventID, r.ID)); err != nil {
				return err
			}
		}
		return nil
	})
}
