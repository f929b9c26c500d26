package event

import (
	"fmt"
	"slices"
)

// checkSchedule verifies a schedule against its problem without using the solver: every rule a
// schedule must keep, and the bookkeeping of what it reports. It returns every violation found.
func checkSchedule(p *Problem, s *Schedule) []string {
	var bad []string
	fail := func(f string, a ...any) { bad = append(bad, fmt.Sprintf(f, a...)) }
	meetings := map[string]*MeetingToPlace{}
	for i := range p.Meetings {
		meetings[p.Meetings[i].ID] = &p.Meetings[i]
	}
	people := map[string]*Person{}
	for i := range p.Participants {
		people[p.Participants[i].ID] = &p.Participants[i]
	}
	tables := map[int]*TableSpec{}
	for i := range p.Tables {
		tables[p.Tables[i].ID] = &p.Tables[i]
	}
	sessionOf := func(slot int) string {
		for _, ss := range p.Sessions {
			if ss.Slots[0] <= slot && slot <= ss.Slots[1] {
				return ss.Name
			}
		}
		return ""
	}
	seen := map[string]string{}
	mark := func(id, where string) {
		if prev, ok := seen[id]; ok {
			fail("meeting %s is both %s and %s", id, prev, where)
		}
		seen[id] = where
	}
	busy := map[[2]any]string{}
	count := map[string]int{}
	countSession := map[[2]string]int{}
	placed := map[int]int{}
	for _, a := range s.Assignments {
		mark(a.Meeting, "assigned")
		m := meetings[a.Meeting]
		if m == nil {
			fail("assignment of unknown meeting %s", a.Meeting)
			continue
		}
		placed[m.Priority]++
		if a.Slot < 1 || a.Slot > p.Slots {
			fail("%s in slot %d out of range", a.Meeting, a.Slot)
			continue
		}
		if m.Session != "" && sessionOf(a.Slot) != m.Session {
			fail("%s in slot %d outside session %s", a.Meeting, a.Slot, m.Session)
		}
		if m.Fixed != nil && m.Fixed.Slot != 0 && (m.Fixed.Slot != a.Slot || m.Fixed.Table != 0 && m.Fixed.Table != a.Table) {
			fail("fixed %s moved from %v to slot %d table %d", a.Meeting, *m.Fixed, a.Slot, a.Table)
		}
		who := slices.Clone(m.Participants)
		if len(m.Interpreters) > 0 {
			if !slices.Contains(m.Interpreters, a.Interpreter) {
				fail("%s has interpreter %q, not one of %v", a.Meeting, a.Interpreter, m.Interpreters)
			}
			who = append(who, a.Interpreter)
		} else if a.Interpreter != "" {
			fail("%s has an interpreter it did not ask for", a.Meeting)
		}
		for _, q := range who {
			ps := people[q]
			if ps == nil {
				continue
			}
			if slices.Contains(ps.Unavailable, a.Slot) {
				fail("%s: %s is unavailable in slot %d", a.Meeting, q, a.Slot)
			}
			if o, ok := busy[[2]any{q, a.Slot}]; ok {
				fail("%s double-booked in slot %d: %s and %s", q, a.Slot, o, a.Meeting)
			}
			busy[[2]any{q, a.Slot}] = a.Meeting
			count[q]++
			if sn := sessionOf(a.Slot); sn != "" {
				countSession[[2]string{q, sn}]++
				if ps.MaxPerSession > 0 && countSession[[2]string{q, sn}] > ps.MaxPerSession {
					fail("%s over its cap of %d in session %s", q, ps.MaxPerSession, sn)
				}
			}
			if ps.MaxMeetings > 0 && count[q] > ps.MaxMeetings {
				fail("%s over its cap of %d", q, ps.MaxMeetings)
			}
		}
		t := tables[a.Table]
		switch {
		case t == nil:
			fail("%s at unknown table %d", a.Meeting, a.Table)
		case slices.Contains(t.Unavailable, a.Slot):
			fail("%s at table %d unavailable in slot %d", a.Meeting, a.Table, a.Slot)
		case t.Chairs != 0 && t.Chairs < chairsNeeded(m):
			fail("%s needs %d chairs, table %d has %d", a.Meeting, chairsNeeded(m), a.Table, t.Chairs)
		case m.Zone != "" && t.Zone != m.Zone:
			fail("%s wants zone %s, table %d is in %s", a.Meeting, m.Zone, a.Table, t.Zone)
		}
		if o, ok := busy[[2]any{a.Table, a.Slot}]; ok {
			fail("table %d double-booked in slot %d: %s and %s", a.Table, a.Slot, o, a.Meeting)
		}
		busy[[2]any{a.Table, a.Slot}] = a.Meeting
	}
	for _, u := range s.Unscheduled {
		mark(u.Meeting, "unscheduled")
		if u.Key == "" || messagesEN[u.Key] == "" {
			fail("%s unscheduled without a known reason (%q)", u.Meeting, u.Key)
		}
	}
	for _, c := range s.Conflicts {
		mark(c.Meeting, "in conflict")
		if m := meetings[c.Meeting]; m == nil || m.Fixed == nil {
			fail("%s reported in conflict but is not fixed", c.Meeting)
		}
	}
	for id := range meetings {
		if _, ok := seen[id]; !ok {
			fail("meeting %s is neither placed nor reported", id)
		}
	}
	if s.Placed != len(s.Assignments) {
		fail("placed = %d but %d assignments", s.Placed, len(s.Assignments))
	}
	for prio, n := range placed {
		if s.PlacedByPriority[prio] != n {
			fail("placed at priority %d: says %d, is %d", prio, s.PlacedByPriority[prio], n)
		}
		atLeast := 0
		for p2, n2 := range placed {
			if p2 >= prio {
				atLeast += n2
			}
		}
		if b, ok := s.Bound.AtLeast[prio]; !ok || atLeast > b {
			fail("%d meetings of priority ≥ %d placed, above the bound %d", atLeast, prio, b)
		}
	}
	if total, most, fewest := CountBreaks(p, s.Assignments); s.Breaks != total || s.MaxBreaks != most || s.MinBreaks != fewest {
		fail("breaks %d (%d–%d) reported, the assignments give %d (%d–%d)", s.Breaks, s.MinBreaks, s.MaxBreaks, total, fewest, most)
	}
	if s.Placed > s.Bound.Total {
		fail("placed %d above the bound %d", s.Placed, s.Bound.Total)
	}
	for _, c := range s.Changes {
		if c.Key == "" || c.Reason == "" {
			fail("change of %s without a reason", c.Meeting)
		}
		m := meetings[c.Meeting]
		if m == nil || m.Previous == nil || *m.Previous != c.From {
			fail("change of %s from a seat it did not have", c.Meeting)
		}
	}
	return bad
}

func chairsNeeded(m *MeetingToPlace) int {
	if m.Chairs > 0 {
		return m.Chairs
	}
	n := len(m.Participants)
	if len(m.Interpreters) > 0 {
		n++
	}
	return n
}
