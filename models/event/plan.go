package event

import (
	"slices"
	"strings"

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

// SeatConflict is something moving a meeting to a seat would break, as a message key. Hard
// conflicts (a slot or table that does not exist, a participant booked twice, a table holding
// two meetings) refuse the move; staff may override the others (a participant's unavailable
// slot, the cap of meetings in a session, a table with too few chairs) once they have seen them.
type SeatConflict struct {
	Key  string
	Args models.Args
	Hard bool
}

// CheckSeat lists what placing meeting m at slot and table would break, given the schedule's
// other meetings and the participants by ID; nothing when the seat is free and suits everyone.
// The checks are the scheduler's rules: nobody double-booked, one meeting a table at a time,
// unavailable slots, the per-session cap and the table's chairs.
func (e *Event) CheckSeat(m Meeting, slot, table int, others []Meeting, participants map[string]*Participant) []SeatConflict {
	var out []SeatConflict
	add := func(hard bool, key string, args models.Args) {
		out = append(out, SeatConflict{Key: key, Args: args, Hard: hard})
	}
	slots := e.Slots()
	if slot < 1 || slot > len(slots) {
		add(true, "event.unknown_slot", models.Args{"Value": slot, "Max": len(slots)})
	}
	var tbl *Table
	for i := range e.Tables {
		if e.Tables[i].Number == table {
			tbl = &e.Tables[i]
		}
	}
	if tbl == nil {
		add(true, "event.unknown_table", models.Args{"Value": table})
	}
	if len(out) > 0 {
		return out
	}
	name := func(id string) string {
		if p := participants[id]; p != nil {
			return p.Name
		}
		return id
	}
	names := func(o Meeting) string {
		var b []string
		for _, id := range o.Participants {
			if p := participants[id]; p == nil || p.Side != Interpreter {
				b = append(b, name(id))
			}
		}
		return strings.Join(b, " – ")
	}
	when := slots[slot-1].Start.Format("15:04")
	session := slots[slot-1].Session
	perSession := map[string]int{}
	for _, o := range others {
		if o.ID == m.ID || o.Slot < 1 || o.Slot > len(slots) {
			continue
		}
		if slots[o.Slot-1].Session == session {
			for _, id := range o.Participants {
				perSession[id]++
			}
		}
		if o.Slot != slot {
			continue
		}
		if o.Table == table {
			add(true, "event.table_taken", models.Args{"Table": tbl.Label(), "Slot": when, "Other": names(o)})
		}
		for _, id := range m.Participants {
			if slices.Contains(o.Participants, id) {
				add(true, "event.double_booked", models.Args{"Participant": name(id), "Slot": when, "Other": names(o)})
			}
		}
	}
	chairs := 0
	for _, id := range m.Participants {
		p := participants[id]
		if p == nil {
			continue
		}
		chairs += p.Chairs()
		if slices.Contains(p.Unavailable, slot) {
			add(false, "event.unavailable", models.Args{"Participant": p.Name, "Slot": when})
		}
		if e.MaxPerSession > 0 && perSession[id] >= e.MaxPerSession {
			add(false, "event.session_cap", models.Args{"Participant": p.Name, "Max": e.MaxPerSession})
		}
	}
	if tbl.Chairs > 0 && chairs > tbl.Chairs {
		add(false, "event.too_few_chairs", models.Args{"Table": tbl.Label(), "Max": tbl.Chairs, "Min": chairs})
	}
	return out
}
