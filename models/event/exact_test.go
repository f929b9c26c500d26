package event

import (
	"fmt"
	"math/rand/v2"
	"slices"
)

// exactOptimum finds by exhaustive search the best any valid schedule of a small problem can do:
// the number of meetings placed at each priority, best first by the same order the scheduler
// uses. Fixed and previous seats are ignored; tests give it problems without them.
func exactOptimum(p *Problem) map[int]int {
	idx := map[string]int{}
	for i, ps := range p.Participants {
		idx[ps.ID] = i
	}
	unavail := func(q, s int) bool { return slices.Contains(p.Participants[q].Unavailable, s) }
	sessionOf := func(slot int) string {
		for _, ss := range p.Sessions {
			if ss.Slots[0] <= slot && slot <= ss.Slots[1] {
				return ss.Name
			}
		}
		return ""
	}
	prios := []int{}
	for _, m := range p.Meetings {
		if !slices.Contains(prios, m.Priority) {
			prios = append(prios, m.Priority)
		}
	}
	slices.Sort(prios)
	slices.Reverse(prios)
	better := func(a, b map[int]int) bool {
		for _, pr := range prios {
			if a[pr] != b[pr] {
				return a[pr] > b[pr]
			}
		}
		return false
	}
	busy := map[[2]int]bool{}
	count := make([]int, len(p.Participants))
	countSession := map[[2]any]int{}
	atSlot := map[int][]int{} // slot → meetings
	cur, best := map[int]int{}, map[int]int{}
	tablesFit := func(slot int, ms []int) bool {
		// A matching of the slot's meetings to suitable, available tables, by trying them all.
		used := make([]bool, len(p.Tables))
		var try func(k int) bool
		try = func(k int) bool {
			if k == len(ms) {
				return true
			}
			m := &p.Meetings[ms[k]]
			for t, ts := range p.Tables {
				if used[t] || slices.Contains(ts.Unavailable, slot) || ts.Chairs != 0 && ts.Chairs < chairsNeeded(m) || m.Zone != "" && ts.Zone != m.Zone {
					continue
				}
				used[t] = true
				if try(k + 1) {
					used[t] = false
					return true
				}
				used[t] = false
			}
			return false
		}
		return try(0)
	}
	take := func(q, slot int, d int) {
		busy[[2]int{q, slot}] = d > 0
		count[q] += d
		countSession[[2]any{q, sessionOf(slot)}] += d
	}
	canTake := func(q, slot int) bool {
		ps := p.Participants[q]
		if busy[[2]int{q, slot}] || unavail(q, slot+0) {
			return false
		}
		if ps.MaxMeetings > 0 && count[q] >= ps.MaxMeetings {
			return false
		}
		if sn := sessionOf(slot); sn != "" && ps.MaxPerSession > 0 && countSession[[2]any{q, sn}] >= ps.MaxPerSession {
			return false
		}
		return true
	}
	var walk func(k int)
	walk = func(k int) {
		if k == len(p.Meetings) {
			if better(cur, best) {
				best = map[int]int{}
				for a, b := range cur {
					best[a] = b
				}
			}
			return
		}
		m := &p.Meetings[k]
		walk(k + 1) // left out
		for slot := 1; slot <= p.Slots; slot++ {
			if m.Session != "" && sessionOf(slot) != m.Session {
				continue
			}
			ok := true
			for _, id := range m.Participants {
				ok = ok && canTake(idx[id], slot)
			}
			if !ok {
				continue
			}
			if !tablesFit(slot, append(slices.Clone(atSlot[slot]), k)) {
				continue
			}
			interps := []int{-1}
			if len(m.Interpreters) > 0 {
				interps = nil
				for _, id := range m.Interpreters {
					if canTake(idx[id], slot) {
						interps = append(interps, idx[id])
					}
				}
			}
			for _, i := range interps {
				for _, id := range m.Participants {
					take(idx[id], slot, 1)
				}
				if i >= 0 {
					take(i, slot, 1)
				}
				atSlot[slot] = append(atSlot[slot], k)
				cur[m.Priority]++
				walk(k + 1)
				cur[m.Priority]--
				atSlot[slot] = atSlot[slot][:len(atSlot[slot])-1]
				if i >= 0 {
					take(i, slot, -1)
				}
				for _, id := range m.Participants {
					take(idx[id], slot, -1)
				}
			}
		}
	}
	walk(0)
	return best
}

// smallProblem is a random problem small enough for exactOptimum: a few buyers and suppliers,
// few slots and tables, meetings that compete for them.
func smallProblem(seed uint64) *Problem {
	r := rand.New(rand.NewPCG(seed, 7))
	slots := 2 + r.IntN(3)
	p := &Problem{Slots: slots}
	if slots >= 3 && r.IntN(2) == 0 {
		p.Sessions = []SessionSpan{{Name: "am", Slots: [2]int{1, slots / 2}}, {Name: "pm", Slots: [2]int{slots/2 + 1, slots}}}
	}
	for t := range 1 + r.IntN(3) {
		ts := TableSpec{ID: t + 1, Chairs: 2 + r.IntN(3)}
		if r.IntN(6) == 0 {
			ts.Unavailable = []int{1 + r.IntN(slots)}
		}
		p.Tables = append(p.Tables, ts)
	}
	buyers, suppliers := 2+r.IntN(3), 2+r.IntN(4)
	for i := range buyers + suppliers + 1 {
		id := fmt.Sprintf("b%d", i)
		if i >= buyers {
			id = fmt.Sprintf("s%d", i-buyers)
		}
		if i == buyers+suppliers {
			id = "i0"
		}
		ps := Person{ID: id}
		for s := 1; s <= slots; s++ {
			if r.IntN(6) == 0 {
				ps.Unavailable = append(ps.Unavailable, s)
			}
		}
		if r.IntN(8) == 0 {
			ps.MaxMeetings = 1 + r.IntN(2)
		}
		if p.Sessions != nil && r.IntN(8) == 0 {
			ps.MaxPerSession = 1
		}
		p.Participants = append(p.Participants, ps)
	}
	n := 4 + r.IntN(5)
	seen := map[[2]int]bool{}
	for len(p.Meetings) < n && len(seen) < buyers*suppliers {
		b, s := r.IntN(buyers), r.IntN(suppliers)
		if seen[[2]int{b, s}] {
			continue
		}
		seen[[2]int{b, s}] = true
		m := MeetingToPlace{ID: fmt.Sprintf("m%d", len(p.Meetings)+1),
			Participants: []string{fmt.Sprintf("b%d", b), fmt.Sprintf("s%d", s)}, Priority: 1 + r.IntN(2)}
		if r.IntN(6) == 0 {
			m.Interpreters = []string{"i0"}
		}
		if r.IntN(5) == 0 {
			m.Chairs = 3
		}
		if p.Sessions != nil && r.IntN(6) == 0 {
			m.Session = p.Sessions[r.IntN(2)].Name
		}
		p.Meetings = append(p.Meetings, m)
	}
	return p
}
