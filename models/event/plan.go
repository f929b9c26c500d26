package event

import (
	"slices"

	"github.com/hanoi-cnht/portal/models"
)

// Problem builds the scheduler's problem for the event: its slots and sessions, its tables, the
// participants with their unavailability and the event's caps, and one meeting for every
// accepted request (its ID is the request's), hosted by the buyer, with the interpreters who
// could join when the two sides share no language. previous are the meetings of the last
// schedule: locked ones become fixed, the others keep their seat as Previous. It also returns
// what cannot go into the problem, so that nothing disappears unreported: previous meetings
// whose request is no longer accepted (dropped, with the reason) and accepted requests that
// need an interpreter the event does not have.
func (e *Event) Problem(participants []Participant, requests []Request, previous []Meeting) (*Problem, []Change, []Unplaced) {
	slots := e.Slots()
	p := &Problem{Slots: len(slots)}
	names := e.SessionNames()
	for _, s := range slots {
		if len(p.Sessions) <= s.Session {
			p.Sessions = append(p.Sessions, SessionSpan{Name: names[s.Session], Day: s.Day, Slots: [2]int{s.Number, s.Number}})
		}
		p.Sessions[s.Session].Slots[1] = s.Number
	}
	for _, t := range e.Tables {
		p.Tables = append(p.Tables, TableSpec{ID: t.Number, Chairs: t.Chairs, Zone: t.Zone})
	}
	byID := map[string]*Participant{}
	var interpreters []*Participant
	for i := range participants {
		ps := &participants[i]
		byID[ps.ID] = ps
		p.Participants = append(p.Participants, Person{ID: ps.ID, Unavailable: ps.Unavailable,
			MaxMeetings: e.MaxMeetings, MaxPerSession: e.MaxPerSession})
		if ps.Side == Interpreter {
			interpreters = append(interpreters, ps)
		}
	}
	prev := map[string]*Meeting{}
	for i := range previous {
		prev[previous[i].RequestID] = &previous[i]
	}
	var changes []Change
	var unplaced []Unplaced
	accepted := map[string]bool{}
	for _, r := range requests {
		if r.State != Accepted {
			continue
		}
		from, to := byID[r.From], byID[r.To]
		if from == nil || to == nil {
			continue
		}
		buyer, supplier := from, to
		if buyer.Side != Buyer {
			buyer, supplier = to, from
		}
		m := MeetingToPlace{ID: r.ID, Participants: []string{buyer.ID, supplier.ID}, Host: buyer.ID,
			Priority: r.Priority.Rank(), Chairs: buyer.Chairs() + supplier.Chairs()}
		if !shareLanguage(buyer, supplier) {
			for _, in := range interpreters {
				if shareLanguage(in, buyer) && shareLanguage(in, supplier) {
					m.Interpreters = append(m.Interpreters, in.ID)
				}
			}
			if len(m.Interpreters) == 0 {
				args := models.Args{}
				unplaced = append(unplaced, Unplaced{Meeting: r.ID, Priority: m.Priority, Key: "schedule.no_interpreter",
					Args: args, Reason: MessageEN("schedule.no_interpreter", args)})
				continue
			}
			m.Chairs++
		}
		if pm := prev[r.ID]; pm != nil {
			seat := Seat{Slot: pm.Slot, Table: pm.Table}
			if len(pm.Participants) > 2 {
				seat.Interpreter = pm.Participants[2]
			}
			if pm.Locked {
				m.Fixed = &seat
			} else {
				m.Previous, m.Published = &seat, pm.Published
			}
		}
		accepted[r.ID] = true
		p.Meetings = append(p.Meetings, m)
	}
	state := map[string]RequestState{}
	for _, r := range requests {
		state[r.ID] = r.State
	}
	for _, pm := range previous {
		if accepted[pm.RequestID] {
			continue
		}
		st := state[pm.RequestID]
		if st == "" {
			st = Cancelled
		}
		args := models.Args{"State": string(st)}
		changes = append(changes, Change{Meeting: pm.RequestID, Kind: Dropped, From: Seat{Slot: pm.Slot, Table: pm.Table},
			Published: pm.Published, Key: "schedule.request_withdrawn", Args: args, Reason: MessageEN("schedule.request_withdrawn", args)})
	}
	return p, changes, unplaced
}

func shareLanguage(a, b *Participant) bool {
	for _, l := range a.Languages {
		if slices.Contains(b.Languages, l) {
			return true
		}
	}
	return false
}
