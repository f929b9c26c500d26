package store

import (
	"context"
	"maps"
	"slices"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/event"
)

// EventResults counts an event's registrations, requests, meetings held against those
// scheduled, no-shows and outcomes, in all and by the supplier's sector (a term code, "" for
// none) and the buyer's country ("" when not given); staff only. The acceptance rate counts an
// expired request as not accepted and leaves out those withdrawn or still waiting.
func (s *Store) EventResults(ctx context.Context, a models.Actor, eventID uint) (*event.Results, error) {
	if !a.IsStaff() {
		return nil, models.ErrForbidden
	}
	db := s.db.WithContext(ctx)
	st, err := loadEventState(db, eventID)
	if err != nil {
		return nil, err
	}
	res := &event.Results{Registrations: map[event.Side]map[event.RegistrationStatus]int{}, Requests: map[event.RequestState]int{},
		Outcomes: map[event.Outcome]int{}}
	var firmIDs []uint
	for _, r := range st.regs {
		if res.Registrations[r.Side] == nil {
			res.Registrations[r.Side] = map[event.RegistrationStatus]int{}
		}
		res.Registrations[r.Side][r.Status]++
		if r.Status == event.Approved {
			res.Participants++
		}
		if r.FirmID != nil {
			firmIDs = append(firmIDs, *r.FirmID)
		}
	}
	for _, r := range st.requests {
		state := event.RequestState(r.State)
		res.Requests[state]++
		res.RequestsMade++
		switch state {
		case event.Accepted:
			res.Accepted++
			res.Answered++
		case event.Declined, event.Expired:
			res.Answered++
		}
	}
	var checkedIn int64
	if err := db.Model(&badgeRow{}).Where("event_id = ? AND checked_in_at IS NOT NULL", eventID).Count(&checkedIn).Error; err != nil {
		return nil, err
	}
	res.CheckedIn = int(checkedIn)
	sectors := map[uint][]string{}
	if len(firmIDs) > 0 {
		var rows []struct {
			FirmID   uint
			TermCode string
		}
		if err := db.Table("firm_terms").Select("firm_terms.firm_id, firm_terms.term_code").
			Joins("JOIN terms ON terms.code = firm_terms.term_code").
			Where("firm_terms.firm_id IN ? AND terms.kind = ?", firmIDs, string(models.KindSector)).
			Order("firm_terms.firm_id, firm_terms.position").Scan(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			sectors[r.FirmID] = append(sectors[r.FirmID], r.TermCode)
		}
	}
	meetings, err := dayMeetings(db, st, 0)
	if err != nil {
		return nil, err
	}
	bySector, byCountry := map[string]*event.Count{}, map[string]*event.Count{}
	add := func(groups map[string]*event.Count, label string, m *event.DayMeeting) {
		c := groups[label]
		if c == nil {
			c = &event.Count{Label: label, Outcomes: map[event.Outcome]int{}}
			groups[label] = c
		}
		c.Meetings++
		switch {
		case m.Status == event.Held:
			c.Held++
		case m.Status != "":
			c.NoShows++
		}
		for _, o := range []*event.MeetingOutcome{m.BuyerOutcome, m.SupplierOutcome} {
			if o != nil {
				c.Outcomes[o.Outcome]++
			}
		}
	}
	for _, m := range meetings {
		res.Scheduled++
		switch {
		case m.Status == event.Held:
			res.Held++
		case m.Status == "":
			res.StatusUnknown++
		default:
			res.NoShows++
		}
		for _, o := range []*event.MeetingOutcome{m.BuyerOutcome, m.SupplierOutcome} {
			if o != nil {
				res.Outcomes[o.Outcome]++
			}
		}
		var codes []string
		if m.Supplier.FirmID != nil {
			codes = sectors[*m.Supplier.FirmID]
		}
		if len(codes) == 0 {
			codes = []string{""}
		}
		for _, code := range codes {
			add(bySector, code, m)
		}
		add(byCountry, m.Buyer.Country, m)
	}
	ordered := func(groups map[string]*event.Count) []event.Count {
		var out []event.Count
		for _, k := range slices.Sorted(maps.Keys(groups)) {
			out = append(out, *groups[k])
		}
		return out
	}
	res.BySector, res.ByBuyerCountry = ordered(bySector), ordered(byCountry)
	return res, nil
}
