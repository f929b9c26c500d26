package event

import (
	"math"
	"math/rand/v2"
)

// When Options.BreakMoves is 0 the break search tries breakMovesPerMeeting moves for each
// pair of movable meetings (small problems settle fast), at most maxBreakMoves, so that large
// fairs stay within a few seconds of one core.
const (
	breakMovesPerMeeting = 100
	maxBreakMoves        = 3_000_000
)

// overWeight is what one break over the spread limit costs the break search, against 1 for a
// break within it: fairness counts, but never more than a few breaks.
const overWeight = 3

// reduceBreaks lowers the breaks by a local search with simulated annealing over moves that keep
// the schedule valid and every meeting placed: a meeting moves to another slot where its
// participants (and an interpreter and a table) are free, or two meetings of one participant
// swap their slots. Pinned meetings (fixed, or keeping the last schedule's seat) never move. The
// cost is the breaks plus overWeight for each break over the spread limit (the fewest breaks
// plus MaxBreaksSpread); moves that keep it or lower it are taken, moves that raise it only
// while the temperature allows, and the best schedule seen is kept. The random choices come from
// a fixed seed and the number of moves is fixed, so the result depends only on the input (and on
// the clock only under Options.TimeLimit).
func (x *solver) reduceBreaks(moves int) {
	var movable []int
	for m := range x.m {
		if x.slot[m] >= 0 && !x.pinned[m] && len(x.m[m].cand) > 1 {
			movable = append(movable, m)
		}
	}
	if len(movable) == 0 || moves == 0 {
		return
	}
	if moves < 0 {
		n := len(movable)
		moves = min(maxBreakMoves, breakMovesPerMeeting*n*n)
	}
	x.spreadCap = -1
	if x.p.MaxBreaksSpread != nil {
		_, _, fewest := x.breakStats()
		x.spreadCap = fewest + *x.p.MaxBreaksSpread
	}
	cost := 0
	for q := range x.nP {
		cost += x.breakCost(q)
	}
	best := cost
	snap := x.snapshot()
	rng := rand.New(rand.NewPCG(uint64(len(x.m)), uint64(x.nS)))
	const t0, t1 = 1.5, 0.05
	touched := make([]int, 0, 8)
	for k := range moves {
		if k&1023 == 0 && x.late() {
			break
		}
		temp := t0 * math.Pow(t1/t0, float64(k)/float64(moves))
		m := movable[rng.IntN(len(movable))]
		if rng.IntN(4) != 0 && !x.hasBreaks(m) {
			// Most moves start from a meeting of someone with a break: the others can only
			// gain by making room.
			m = movable[rng.IntN(len(movable))]
		}
		mark := len(x.log)
		touched = touched[:0]
		ok := false
		if rng.IntN(3) == 0 {
			touched, ok = x.swapMove(m, rng, touched)
		} else {
			touched, ok = x.slotMove(m, rng, touched)
		}
		if !ok {
			x.rollback(mark)
			x.log = x.log[:mark]
			continue
		}
		before := 0
		for _, q := range touched {
			before += x.costBefore(q)
		}
		after := 0
		for _, q := range touched {
			after += x.breakCost(q)
		}
		delta := after - before
		if delta <= 0 || rng.Float64() < math.Exp(-float64(delta)/temp) {
			x.log = x.log[:mark]
			cost += delta
			if cost < best {
				best, snap = cost, x.snapshotInto(snap)
			}
			continue
		}
		x.rollback(mark)
		x.log = x.log[:mark]
	}
	if cost > best {
		x.restore(snap)
	}
	x.log = x.log[:0]
}

// hasBreaks reports whether one of m's participants has a break.
func (x *solver) hasBreaks(m int) bool {
	for _, q := range x.m[m].parts {
		if x.breaksOf(q) > 0 {
			return true
		}
	}
	return false
}

// breakCost is q's share of the cost reduceBreaks lowers.
func (x *solver) breakCost(q int) int {
	b := x.breaksOf(q)
	if x.spreadCap >= 0 && b > x.spreadCap {
		return b + overWeight*(b-x.spreadCap)
	}
	return b
}

// costBefore is q's cost before the changes logged since the move began: breakCost on the
// slots q was busy in then. The move's log is replayed backwards on a copy of q's slots.
func (x *solver) costBefore(q int) int {
	row := x.busy[q*x.nS : (q+1)*x.nS]
	var buf [64]int32
	var old []int32
	if x.nS <= len(buf) {
		old = buf[:x.nS]
	} else {
		old = make([]int32, x.nS)
	}
	copy(old, row)
	for j := len(x.log) - 1; j >= x.moveMark; j-- {
		o := x.log[j]
		if !x.involves(o.m, o.i, q) {
			continue
		}
		switch o.kind {
		case opPlace:
			old[o.s] = -1
		case opRemove:
			old[o.s] = int32(o.m)
		}
	}
	n, last := 0, -1
	for s := range x.nS {
		if old[s] < 0 {
			continue
		}
		if last >= 0 && s > last+1 && x.slotDay[last] == x.slotDay[s] {
			n++
		}
		last = s
	}
	if x.spreadCap >= 0 && n > x.spreadCap {
		return n + overWeight*(n-x.spreadCap)
	}
	return n
}

// involves reports whether q takes part in meeting m, as a participant or as its interpreter i.
func (x *solver) involves(m, i, q int) bool {
	if i == q {
		return true
	}
	for _, r := range x.m[m].parts {
		if r == q {
			return true
		}
	}
	return false
}

// slotMove moves m to a random other slot where it fits, and adds the participants whose day
// changes to touched.
func (x *solver) slotMove(m int, rng *rand.Rand, touched []int) ([]int, bool) {
	cand := x.m[m].cand
	c := cand[rng.IntN(len(cand))]
	s := x.slot[m]
	if c == s {
		return touched, false
	}
	x.moveMark = len(x.log)
	touched = x.addTouched(touched, m)
	x.remove(m)
	t, i, ok := x.fit(m, c, 0)
	if !ok {
		return touched, false
	}
	x.place(m, c, t, i)
	return x.addTouched(touched, m), true
}

// swapMove swaps the slots of m and another movable meeting of one of its participants.
func (x *solver) swapMove(m int, rng *rand.Rand, touched []int) ([]int, bool) {
	parts := x.m[m].parts
	q := parts[rng.IntN(len(parts))]
	ms := x.byPart[q]
	n := ms[rng.IntN(len(ms))]
	s1, s2 := x.slot[m], x.slot[n]
	if n == m || s2 < 0 || x.pinned[n] || s1 == s2 || !x.m[m].allowed[s2] || !x.m[n].allowed[s1] {
		return touched, false
	}
	x.moveMark = len(x.log)
	touched = x.addTouched(touched, m)
	touched = x.addTouched(touched, n)
	x.remove(m)
	x.remove(n)
	t, i, ok := x.fit(m, s2, 0)
	if !ok {
		return touched, false
	}
	x.place(m, s2, t, i)
	if t, i, ok = x.fit(n, s1, 0); !ok {
		return touched, false
	}
	x.place(n, s1, t, i)
	touched = x.addTouched(touched, m)
	return x.addTouched(touched, n), true
}

// addTouched adds m's participants and interpreter to touched, once each.
func (x *solver) addTouched(touched []int, m int) []int {
	add := func(q int) {
		for _, r := range touched {
			if r == q {
				return
			}
		}
		touched = append(touched, q)
	}
	for _, q := range x.m[m].parts {
		add(q)
	}
	if i := x.interp[m]; i >= 0 {
		add(i)
	}
	return touched
}

// seat is where a meeting sits, for snapshots.
type seat struct{ s, t, i int }

func (x *solver) snapshot() []seat {
	return x.snapshotInto(make([]seat, len(x.m)))
}

func (x *solver) snapshotInto(snap []seat) []seat {
	for m := range x.m {
		snap[m] = seat{x.slot[m], x.table[m], x.interp[m]}
	}
	return snap
}

// restore puts every meeting back where snap has it. Meetings are the same ones placed, so
// taking out all that differ and placing them again gives a valid schedule.
func (x *solver) restore(snap []seat) {
	var diff []int
	for m := range x.m {
		if x.slot[m] >= 0 && (snap[m] != seat{x.slot[m], x.table[m], x.interp[m]}) {
			diff = append(diff, m)
		}
	}
	for _, m := range diff {
		x.remove(m)
	}
	x.restoring = true
	for _, m := range diff {
		x.place(m, snap[m].s, snap[m].t, snap[m].i)
	}
	x.restoring = false
	x.log = x.log[:0]
}
