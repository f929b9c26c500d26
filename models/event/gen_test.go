package event

import (
	"fmt"
	"math/rand/v2"
)

// shape describes generated instances like real brokerage events.
type shape struct {
	name                 string
	buyers, suppliers    int
	days, slotsPerDay    int
	tables               int
	requests             int
	unavailable          float64 // share of participant-slots away
	mustMeet             float64 // share of requests that are must-meet
	interpreters         int     // people; a tenth of meetings need one of them
	capPerSession        int
	chairsVary           bool
	previousFromSchedule bool
}

var (
	shapeSmall = shape{name: "small", buyers: 3, suppliers: 4, days: 1, slotsPerDay: 4, tables: 2,
		requests: 8, unavailable: 0.1, mustMeet: 0.3}
	shapeBrokerage = shape{name: "brokerage-60x250", buyers: 20, suppliers: 40, days: 1, slotsPerDay: 16,
		tables: 20, requests: 250, unavailable: 0.08, mustMeet: 0.3, interpreters: 3, chairsVary: true}
	shapeFair2000 = shape{name: "fair-150x300-2000", buyers: 150, suppliers: 300, days: 2, slotsPerDay: 16,
		tables: 60, requests: 2000, unavailable: 0.1, mustMeet: 0.3, interpreters: 8, chairsVary: true}
	shapeFair3000 = shape{name: "fair-150x450-3000", buyers: 150, suppliers: 450, days: 2, slotsPerDay: 16,
		tables: 120, requests: 3000, unavailable: 0.1, mustMeet: 0.3, interpreters: 10, chairsVary: true}
)

// generate builds a problem of the shape from the seed. Requests lean towards a few popular
// buyers and suppliers, as at a real fair, so that some have a meeting in nearly every slot;
// unavailability comes as whole sessions and as single slots.
func generate(sh shape, seed uint64) *Problem {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	slots := sh.days * sh.slotsPerDay
	p := &Problem{Slots: slots}
	half := sh.slotsPerDay / 2
	for d := range sh.days {
		base := d * sh.slotsPerDay
		p.Sessions = append(p.Sessions,
			SessionSpan{Name: fmt.Sprintf("d%d-am", d+1), Day: d, Slots: [2]int{base + 1, base + half}},
			SessionSpan{Name: fmt.Sprintf("d%d-pm", d+1), Day: d, Slots: [2]int{base + half + 1, base + sh.slotsPerDay}})
	}
	for t := range sh.tables {
		ts := TableSpec{ID: t + 1, Chairs: 4}
		if sh.chairsVary && t%5 == 0 {
			ts.Chairs = 6
		}
		if sh.chairsVary && t%7 == 3 {
			ts.Unavailable = []int{1 + r.IntN(slots)}
		}
		p.Tables = append(p.Tables, ts)
	}
	away := func() []int {
		var out []int
		if r.Float64() < sh.unavailable*2 {
			// A whole session away, half the time.
			k := r.IntN(len(p.Sessions))
			for s := p.Sessions[k].Slots[0]; s <= p.Sessions[k].Slots[1]; s++ {
				out = append(out, s)
			}
		}
		for s := 1; s <= slots; s++ {
			if r.Float64() < sh.unavailable/2 {
				out = append(out, s)
			}
		}
		return dedupeInts(out)
	}
	for i := range sh.buyers {
		p.Participants = append(p.Participants, Person{ID: fmt.Sprintf("b%03d", i+1), Unavailable: away(), MaxPerSession: sh.capPerSession})
	}
	for i := range sh.suppliers {
		p.Participants = append(p.Participants, Person{ID: fmt.Sprintf("s%03d", i+1), Unavailable: away(), MaxPerSession: sh.capPerSession})
	}
	var interps []string
	for i := range sh.interpreters {
		id := fmt.Sprintf("i%02d", i+1)
		interps = append(interps, id)
		p.Participants = append(p.Participants, Person{ID: id, Unavailable: away()})
	}
	// Popularity: weight 1/(rank+3), so the head is busy and the tail is not.
	pick := func(n int) int {
		total := 0.0
		for k := range n {
			total += 1 / float64(k+3)
		}
		u := r.Float64() * total
		for k := range n {
			u -= 1 / float64(k+3)
			if u <= 0 {
				return k
			}
		}
		return n - 1
	}
	seen := map[[2]int]bool{}
	for len(p.Meetings) < sh.requests && len(seen) < sh.buyers*sh.suppliers {
		b, s := pick(sh.buyers), pick(sh.suppliers)
		if seen[[2]int{b, s}] {
			continue
		}
		seen[[2]int{b, s}] = true
		m := MeetingToPlace{ID: fmt.Sprintf("m%04d", len(p.Meetings)+1),
			Participants: []string{p.Participants[b].ID, p.Participants[sh.buyers+s].ID},
			Host:         p.Participants[b].ID, Priority: 1}
		if r.Float64() < sh.mustMeet {
			m.Priority = 2
		}
		if len(interps) > 0 && r.IntN(10) == 0 {
			k := r.IntN(len(interps))
			m.Interpreters = []string{interps[k], interps[(k+1)%len(interps)]}
		}
		if sh.chairsVary && r.IntN(12) == 0 {
			m.Chairs = 5
		}
		p.Meetings = append(p.Meetings, m)
	}
	return p
}

func dedupeInts(in []int) []int {
	seen := map[int]bool{}
	var out []int
	for _, v := range in {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
