package event

import (
	"cmp"
	"slices"
	"time"

	"github.com/hanoi-cnht/portal/models"
)

// solver holds the state of one run: who and which table is busy in each slot, and where each
// meeting sits. Participants, tables and meetings are numbered by their place in the problem;
// slots from 0. Every change goes through place, remove and reseat, which write a log so that a
// failed attempt to make room can be rolled back exactly.
type solver struct {
	p           *Problem
	nS, nP, nT  int
	nSess       int
	slotSess    []int // session of each slot, or -1
	slotDay     []int
	pID         []string
	unavail     []bool  // participant*nS + slot
	busy        []int32 // participant*nS + slot: the meeting there, or -1
	cnt, capAll []int
	capSess     []int
	cntSess     []int // participant*nSess + session
	tID         []int
	tOK         []bool  // table*nS + slot
	tOcc        []int32 // table*nS + slot
	m           []meet
	slot, table []int // per meeting; -1 when not placed
	interp      []int // per meeting; the interpreter booked, or -1
	pinned      []bool
	tablePinned []bool
	excluded    []bool // fixed meetings in conflict
	home        []int  // per participant: the table a host sits at, or -1
	homes       []int  // per table: how many hosts call it home
	inChain     []bool
	log         []op
	budget      int
	rotate      uint64
	restoring   bool    // rollback is replaying the log backwards
	byPart      [][]int // per participant: its meetings
	byFit       []int   // tables, fewest chairs first
	spare       []bool  // per meeting: left out by the largest choice that fits the participants
	spreadCap   int     // the most breaks a participant should have, or -1 for no limit
	deadline    time.Time
	onPath      []bool // per participant: on the augmenting path being built
	pathChain   []int  // the Kempe chain that ends the path found, if any, between its slot and pathBeta
	pathBeta    int
	moveMark    int // where the log of the break search's current move begins
}

// late reports whether Options.TimeLimit has passed.
func (x *solver) late() bool {
	return !x.deadline.IsZero() && time.Now().After(x.deadline)
}

// meet is a meeting as the solver sees it.
type meet struct {
	id      string
	parts   []int
	interps []int
	host    int
	sess    int // the only session it may be in, or -1
	chairs  int
	zone    string
	prio    int
	allowed []bool // per slot: the session allows it and every participant is available
	cand    []int  // the allowed slots where a suitable table (and interpreter) exists
	tables  []int  // suitable tables, in order of preference
}

type opKind uint8

const (
	opPlace opKind = iota
	opRemove
	opReseat
)

type op struct {
	kind     opKind
	m        int
	s, t, i  int
	prevHome int
}

func newSolver(p *Problem) *solver {
	x := &solver{p: p, nS: p.Slots, nP: len(p.Participants), nT: len(p.Tables), nSess: len(p.Sessions)}
	x.slotSess = make([]int, x.nS)
	x.slotDay = make([]int, x.nS)
	for s := range x.slotSess {
		x.slotSess[s] = -1
	}
	sessIdx := map[string]int{}
	for k, ss := range p.Sessions {
		sessIdx[ss.Name] = k
		for s := ss.Slots[0] - 1; s < ss.Slots[1]; s++ {
			x.slotSess[s], x.slotDay[s] = k, ss.Day
		}
	}
	pIdx := map[string]int{}
	x.pID = make([]string, x.nP)
	x.unavail = make([]bool, x.nP*x.nS)
	x.busy = make([]int32, x.nP*x.nS)
	x.cnt, x.capAll, x.capSess = make([]int, x.nP), make([]int, x.nP), make([]int, x.nP)
	x.cntSess = make([]int, x.nP*max(1, x.nSess))
	x.home = make([]int, x.nP)
	x.onPath = make([]bool, x.nP)
	x.byPart = make([][]int, x.nP)
	for i, ps := range p.Participants {
		pIdx[ps.ID] = i
		x.pID[i] = ps.ID
		x.capAll[i], x.capSess[i] = ps.MaxMeetings, ps.MaxPerSession
		x.home[i] = -1
		for _, s := range ps.Unavailable {
			x.unavail[i*x.nS+s-1] = true
		}
	}
	for i := range x.busy {
		x.busy[i] = -1
	}
	x.tID = make([]int, x.nT)
	x.tOK = make([]bool, x.nT*x.nS)
	x.tOcc = make([]int32, x.nT*x.nS)
	x.homes = make([]int, x.nT)
	tIdx := map[int]int{}
	for t, ts := range p.Tables {
		x.tID[t] = ts.ID
		tIdx[ts.ID] = t
		for s := range x.nS {
			x.tOK[t*x.nS+s] = true
			x.tOcc[t*x.nS+s] = -1
		}
		for _, s := range ts.Unavailable {
			x.tOK[t*x.nS+s-1] = false
		}
	}
	// Tables are tried smallest first, so that big tables stay free for big meetings.
	byFit := make([]int, x.nT)
	for t := range byFit {
		byFit[t] = t
	}
	slices.SortStableFunc(byFit, func(a, b int) int {
		return cmp.Compare(chairsOrMax(p.Tables[a].Chairs), chairsOrMax(p.Tables[b].Chairs))
	})
	x.byFit = byFit
	n := len(p.Meetings)
	x.m = make([]meet, n)
	x.slot, x.table, x.interp = make([]int, n), make([]int, n), make([]int, n)
	x.pinned, x.tablePinned, x.excluded, x.inChain = make([]bool, n), make([]bool, n), make([]bool, n), make([]bool, n)
	for i, pm := range p.Meetings {
		mt := meet{id: pm.ID, host: -1, sess: -1, zone: pm.Zone, prio: pm.Priority}
		for _, id := range pm.Participants {
			mt.parts = append(mt.parts, pIdx[id])
		}
		for _, id := range pm.Interpreters {
			mt.interps = append(mt.interps, pIdx[id])
		}
		if pm.Host != "" {
			mt.host = pIdx[pm.Host]
		}
		if pm.Session != "" {
			mt.sess = sessIdx[pm.Session]
		}
		mt.chairs = pm.Chairs
		if mt.chairs == 0 {
			mt.chairs = len(mt.parts)
			if len(mt.interps) > 0 {
				mt.chairs++
			}
		}
		for _, t := range byFit {
			ts := p.Tables[t]
			if (ts.Chairs == 0 || ts.Chairs >= mt.chairs) && (mt.zone == "" || ts.Zone == mt.zone) {
				mt.tables = append(mt.tables, t)
			}
		}
		mt.allowed = make([]bool, x.nS)
		for s := range x.nS {
			ok := mt.sess < 0 || x.slotSess[s] == mt.sess
			for _, q := range mt.parts {
				ok = ok && !x.unavail[q*x.nS+s]
			}
			mt.allowed[s] = ok
			if ok && x.anyTable(&mt, s) && x.anyInterpreter(&mt, s) {
				mt.cand = append(mt.cand, s)
			}
		}
		x.m[i] = mt
		x.slot[i], x.table[i], x.interp[i] = -1, -1, -1
		for _, q := range mt.parts {
			x.byPart[q] = append(x.byPart[q], i)
		}
	}
	return x
}

func chairsOrMax(c int) int {
	if c == 0 {
		return 1 << 30
	}
	return c
}

func (x *solver) anyTable(mt *meet, s int) bool {
	for _, t := range mt.tables {
		if x.tOK[t*x.nS+s] {
			return true
		}
	}
	return false
}

func (x *solver) anyInterpreter(mt *meet, s int) bool {
	if len(mt.interps) == 0 {
		return true
	}
	for _, i := range mt.interps {
		if !x.unavail[i*x.nS+s] {
			return true
		}
	}
	return false
}

// free reports whether participant q could take one more meeting in slot s.
func (x *solver) free(q, s int) bool {
	if x.unavail[q*x.nS+s] || x.busy[q*x.nS+s] >= 0 {
		return false
	}
	if x.capAll[q] > 0 && x.cnt[q] >= x.capAll[q] {
		return false
	}
	if k := x.slotSess[s]; k >= 0 && x.capSess[q] > 0 && x.cntSess[q*x.nSess+k] >= x.capSess[q] {
		return false
	}
	return true
}

// fit finds a table and an interpreter for meeting m in slot s without moving anyone but, when
// no suitable table is free, one unpinned meeting of the slot to another table (the returned
// table is then reseated by place). wantTable, when not 0, is the only table it may have.
func (x *solver) fit(m, s, wantTable int) (t, i int, ok bool) {
	return x.fitWith(m, s, wantTable, -1)
}

// fitWith is fit, preferring the interpreter want when it is free.
func (x *solver) fitWith(m, s, wantTable, want int) (t, i int, ok bool) {
	mt := &x.m[m]
	if !mt.allowed[s] {
		return -1, -1, false
	}
	for _, q := range mt.parts {
		if !x.free(q, s) {
			return -1, -1, false
		}
	}
	i = -1
	if len(mt.interps) > 0 {
		best := -1
		if want >= 0 && x.free(want, s) && slices.Contains(mt.interps, want) {
			best = want
		}
		for _, c := range mt.interps {
			if best == want && want >= 0 {
				break
			}
			if x.free(c, s) && (best < 0 || x.cnt[c] < x.cnt[best]) {
				best = c
			}
		}
		if best < 0 {
			return -1, -1, false
		}
		i = best
	}
	if wantTable != 0 {
		for _, c := range mt.tables {
			if x.tID[c] == wantTable && x.tOK[c*x.nS+s] && x.tOcc[c*x.nS+s] < 0 {
				return c, i, true
			}
		}
		return -1, -1, false
	}
	t = x.pickTable(m, s)
	return t, i, t >= 0
}

// pickTable chooses a free suitable table: the host's own table if it has one, else the
// smallest that no other host calls home. When every suitable table is taken it looks for a
// meeting of the slot that could sit elsewhere and returns its table; place moves it.
func (x *solver) pickTable(m, s int) int {
	mt := &x.m[m]
	if mt.host >= 0 {
		if h := x.home[mt.host]; h >= 0 && x.tOK[h*x.nS+s] && x.tOcc[h*x.nS+s] < 0 && slices.Contains(mt.tables, h) {
			return h
		}
	}
	best := -1
	for _, t := range mt.tables {
		if !x.tOK[t*x.nS+s] || x.tOcc[t*x.nS+s] >= 0 {
			continue
		}
		if best < 0 || x.homes[t] < x.homes[best] {
			best = t
			if x.homes[t] == 0 {
				break
			}
		}
	}
	if best >= 0 {
		return best
	}
	for _, t := range mt.tables {
		o := int(x.tOcc[t*x.nS+s])
		if !x.tOK[t*x.nS+s] || o < 0 || x.tablePinned[o] {
			continue
		}
		for _, t2 := range x.m[o].tables {
			if t2 != t && x.tOK[t2*x.nS+s] && x.tOcc[t2*x.nS+s] < 0 {
				return t
			}
		}
	}
	return -1
}

func (x *solver) place(m, s, t, i int) {
	if o := int(x.tOcc[t*x.nS+s]); o >= 0 {
		for _, t2 := range x.m[o].tables {
			if t2 != t && x.tOK[t2*x.nS+s] && x.tOcc[t2*x.nS+s] < 0 {
				x.reseat(o, t2)
				break
			}
		}
	}
	mt := &x.m[m]
	for _, q := range mt.parts {
		x.book(q, s, m, 1)
	}
	if i >= 0 {
		x.book(i, s, m, 1)
	}
	x.tOcc[t*x.nS+s] = int32(m)
	x.slot[m], x.table[m], x.interp[m] = s, t, i
	o := op{kind: opPlace, m: m, s: s, t: t, i: i, prevHome: -1}
	if mt.host >= 0 && x.home[mt.host] < 0 && !x.restoring {
		o.prevHome = mt.host
		x.home[mt.host] = t
		x.homes[t]++
	}
	x.log = append(x.log, o)
}

func (x *solver) book(q, s, m, d int) {
	if d > 0 {
		x.busy[q*x.nS+s] = int32(m)
	} else {
		x.busy[q*x.nS+s] = -1
	}
	x.cnt[q] += d
	if k := x.slotSess[s]; k >= 0 {
		x.cntSess[q*x.nSess+k] += d
	}
}

func (x *solver) remove(m int) {
	s, t, i := x.slot[m], x.table[m], x.interp[m]
	for _, q := range x.m[m].parts {
		x.book(q, s, m, -1)
	}
	if i >= 0 {
		x.book(i, s, m, -1)
	}
	x.tOcc[t*x.nS+s] = -1
	x.slot[m], x.table[m], x.interp[m] = -1, -1, -1
	x.log = append(x.log, op{kind: opRemove, m: m, s: s, t: t, i: i, prevHome: -1})
}

func (x *solver) reseat(m, t int) {
	s, old := x.slot[m], x.table[m]
	x.tOcc[old*x.nS+s] = -1
	x.tOcc[t*x.nS+s] = int32(m)
	x.table[m] = t
	x.log = append(x.log, op{kind: opReseat, m: m, s: s, t: old, prevHome: -1})
}

// rollback undoes every change after the log had length mark.
func (x *solver) rollback(mark int) {
	x.restoring = true
	defer func() { x.restoring = false }()
	for len(x.log) > mark {
		o := x.log[len(x.log)-1]
		x.log = x.log[:len(x.log)-1]
		switch o.kind {
		case opPlace:
			x.remove(o.m)
			x.log = x.log[:len(x.log)-1]
			if o.prevHome >= 0 {
				x.homes[x.home[o.prevHome]]--
				x.home[o.prevHome] = -1
			}
		case opRemove:
			x.place(o.m, o.s, o.t, o.i)
			x.log = x.log[:len(x.log)-1]
		case opReseat:
			x.reseat(o.m, o.t)
			x.log = x.log[:len(x.log)-1]
		}
	}
}

// order lists the meetings still to place: higher priority first, then those that are not
// spares (see chooseSpares), then those with the fewest slots to choose from, then those whose
// participants have the most meetings, then as given.
func (x *solver) order() []int {
	deg := make([]int, x.nP)
	for m := range x.m {
		for _, q := range x.m[m].parts {
			deg[q]++
		}
	}
	load := func(m int) int {
		n := 0
		for _, q := range x.m[m].parts {
			n += deg[q]
		}
		return n
	}
	var out []int
	for m := range x.m {
		if x.slot[m] < 0 && !x.excluded[m] {
			out = append(out, m)
		}
	}
	slices.SortStableFunc(out, func(a, b int) int {
		return cmp.Or(cmp.Compare(x.m[b].prio, x.m[a].prio),
			cmp.Compare(x.spareRank(a), x.spareRank(b)),
			cmp.Compare(len(x.m[a].cand), len(x.m[b].cand)),
			cmp.Compare(load(b), load(a)))
	})
	return out
}

// greedy places each meeting, in order, in the slot that fits it best.
func (x *solver) greedy(spares bool) {
	x.spare = nil
	if spares {
		x.chooseSpares()
	}
	for _, m := range x.order() {
		if s, t, i, ok := x.bestSlot(m); ok {
			x.place(m, s, t, i)
		}
	}
}

// bestSlot is the slot where m fits that sits next to most meetings of its participants on
// the same day, so that their days have few gaps; the earliest among equals.
func (x *solver) bestSlot(m int) (s, t, i int, ok bool) {
	best := -1
	for _, c := range x.m[m].cand {
		x.budget--
		ct, ci, fits := x.fit(m, c, 0)
		if !fits {
			continue
		}
		score := x.adjacency(m, c)
		if !ok || score > best {
			s, t, i, ok, best = c, ct, ci, true, score
		}
	}
	return s, t, i, ok
}

func (x *solver) adjacency(m, s int) int {
	n := 0
	for _, q := range x.m[m].parts {
		if s > 0 && x.slotDay[s-1] == x.slotDay[s] && x.busy[q*x.nS+s-1] >= 0 && int(x.busy[q*x.nS+s-1]) != m {
			n++
		}
		if s+1 < x.nS && x.slotDay[s+1] == x.slotDay[s] && x.busy[q*x.nS+s+1] >= 0 && int(x.busy[q*x.nS+s+1]) != m {
			n++
		}
	}
	return n
}

// improve makes room for unplaced meetings by ejection chains: put the meeting in a slot,
// taking out the meetings that block it there (its participants' meetings in that slot, or one
// meeting holding the last suitable table), and place those again the same way, a few levels
// deep. A chain is kept only when every meeting it took out is placed again, or when those left
// out all have a lower priority than the one it placed, so each kept chain improves the
// schedule by the order "more meetings of the highest priority first", and the loop ends.
func (x *solver) improve(effort int) {
	for pass := 0; pass < 50; pass++ {
		gained := false
		for _, m := range x.order() {
			if x.late() {
				return
			}
			x.budget = effort
			var lost []int
			if x.slot[m] >= 0 {
				continue // placed by a swap earlier in this pass
			}
			if x.insert(m, 3, x.m[m].prio, &lost) {
				gained = true
				continue
			}
			x.budget = effort
			if x.swap(m) {
				gained = true
			}
		}
		if !gained {
			return
		}
	}
}

// insert places m, directly or by an ejection chain at most depth deep. Meetings taken out and
// not placed again are appended to lost; they all have a priority below floor.
func (x *solver) insert(m, depth, floor int, lost *[]int) bool {
	if s, t, i, ok := x.bestSlot(m); ok {
		x.place(m, s, t, i)
		return true
	}
	if depth == 0 || x.budget <= 0 {
		return false
	}
	x.inChain[m] = true
	defer func() { x.inChain[m] = false }()
	cand := x.m[m].cand
	x.rotate = x.rotate*6364136223846793005 + 1442695040888963407
	off := 0
	if len(cand) > 0 {
		off = int((x.rotate >> 33) % uint64(len(cand)))
	}
	var blockers []int
	for k := range cand {
		if x.budget <= 0 {
			return false
		}
		x.budget--
		s := cand[(k+off)%len(cand)]
		blockers = x.blockers(m, s, blockers[:0])
		if blockers == nil {
			continue
		}
		if len(blockers) > 2 || depth < 3 && len(blockers) > 1 {
			continue
		}
		mark, lostMark := len(x.log), len(*lost)
		for _, b := range blockers {
			x.remove(b)
		}
		t, i, ok := x.fit(m, s, 0)
		if !ok {
			if b := x.tableBlocker(m, s); b >= 0 {
				x.remove(b)
				blockers = append(blockers, b)
				t, i, ok = x.fit(m, s, 0)
			}
		}
		if !ok {
			x.rollback(mark)
			continue
		}
		x.place(m, s, t, i)
		done := true
		for _, b := range blockers {
			if x.insert(b, depth-1, floor, lost) {
				continue
			}
			if x.m[b].prio < floor {
				*lost = append(*lost, b)
				continue
			}
			done = false
			break
		}
		if done {
			return true
		}
		x.rollback(mark)
		*lost = (*lost)[:lostMark]
	}
	return false
}

// swap puts m in a slot in place of the meetings that block it there, places again those it
// can, then places other unplaced meetings of the participants the rest freed. It keeps the
// result when it improves the schedule by the order "more meetings of the highest priority
// first", which makes room where an ejection chain cannot: a meeting given up for another of
// the same priority that frees a participant for a third.
func (x *solver) swap(m int) bool {
	var buf []int
	for _, s := range x.m[m].cand {
		if x.budget <= 0 {
			return false
		}
		x.budget--
		blockers := x.blockers(m, s, buf[:0])
		if len(blockers) == 0 || len(blockers) > 2 {
			continue
		}
		mark := len(x.log)
		for _, b := range blockers {
			x.remove(b)
		}
		t, i, ok := x.fit(m, s, 0)
		if !ok {
			x.rollback(mark)
			continue
		}
		x.place(m, s, t, i)
		delta := map[int]int{x.m[m].prio: 1}
		for _, b := range blockers {
			if s2, t2, i2, ok := x.bestSlot(b); ok {
				x.place(b, s2, t2, i2)
			} else {
				delta[x.m[b].prio]--
			}
		}
		var others []int
		for _, b := range blockers {
			if x.slot[b] >= 0 {
				continue
			}
			for _, q := range x.m[b].parts {
				for _, u := range x.byPart[q] {
					if x.slot[u] < 0 && !x.excluded[u] && !slices.Contains(blockers, u) && !slices.Contains(others, u) {
						others = append(others, u)
					}
				}
			}
		}
		slices.SortStableFunc(others, func(a, b int) int { return cmp.Compare(x.m[b].prio, x.m[a].prio) })
		for _, u := range others {
			if s2, t2, i2, ok := x.bestSlot(u); ok {
				x.place(u, s2, t2, i2)
				delta[x.m[u].prio]++
			}
		}
		if improves(delta) {
			return true
		}
		x.rollback(mark)
	}
	return false
}

// improves reports whether a change of the counts of placed meetings by priority is for the
// better: the highest priority whose count changes gains.
func improves(delta map[int]int) bool {
	top, found := 0, false
	for p, d := range delta {
		if d != 0 && (!found || p > top) {
			top, found = p, true
		}
	}
	return found && delta[top] > 0
}

// blockers lists the meetings that keep m out of slot s: its participants' meetings in that
// slot and, for a participant at its cap, its meeting of lowest priority (in the same session
// when the session cap is the one reached). It returns nil when m cannot go there whatever
// moves: a participant is away, or a blocking meeting may not move or is already part of this
// chain. A blocker of higher priority than m may be taken out; insert keeps the chain only if it
// is placed again.
func (x *solver) blockers(m, s int, buf []int) []int {
	out := buf
	if out == nil {
		out = make([]int, 0, 4)
	}
	for _, q := range x.m[m].parts {
		if x.unavail[q*x.nS+s] {
			return nil
		}
		b := int(x.busy[q*x.nS+s])
		if b < 0 {
			b = x.capBlocker(q, s, out)
		}
		if b == -2 {
			return nil
		}
		if b < 0 || slices.Contains(out, b) {
			continue
		}
		if x.pinned[b] || x.inChain[b] {
			return nil
		}
		out = append(out, b)
	}
	return out
}

// capBlocker is, when q is free in slot s but at a cap, the meeting of q to take out so that it
// is not: -1 when q is under its caps, -2 when no meeting of q may be taken out.
func (x *solver) capBlocker(q, s int, taken []int) int {
	k := x.slotSess[s]
	overAll := x.capAll[q] > 0 && x.cnt[q] >= x.capAll[q]
	overSession := k >= 0 && x.capSess[q] > 0 && x.cntSess[q*x.nSess+k] >= x.capSess[q]
	if !overAll && !overSession {
		return -1
	}
	best := -2
	for _, b := range x.byPart[q] {
		if x.slot[b] < 0 || x.pinned[b] || x.inChain[b] || slices.Contains(taken, b) {
			continue
		}
		if overSession && x.slotSess[x.slot[b]] != k {
			continue
		}
		if best < 0 || x.m[b].prio < x.m[best].prio {
			best = b
		}
	}
	return best
}

// tableBlocker is a meeting in slot s holding a table m could use, that may be taken out: the
// one of lowest priority, then the first.
func (x *solver) tableBlocker(m, s int) int {
	best := -1
	for _, t := range x.m[m].tables {
		if !x.tOK[t*x.nS+s] {
			continue
		}
		o := int(x.tOcc[t*x.nS+s])
		if o < 0 || x.pinned[o] || x.inChain[o] {
			continue
		}
		if best < 0 || x.m[o].prio < x.m[best].prio {
			best = o
		}
	}
	return best
}

// compact moves single meetings to other free slots while that lowers the number of breaks of
// their participants, or keeps it and evens them out (a lower sum of squares). With a spread
// limit it first lowers the breaks over the limit (the fewest any participant has, plus the
// spread). Only meetings placed in this run move.
func (x *solver) compact() {
	for pass := 0; pass < 8 && !x.late(); pass++ {
		x.spreadCap = -1
		if x.p.MaxBreaksSpread != nil {
			_, _, fewest := x.breakStats()
			x.spreadCap = fewest + *x.p.MaxBreaksSpread
		}
		moved := false
		for m := range x.m {
			s := x.slot[m]
			if s < 0 || x.pinned[m] {
				continue
			}
			t, i := x.table[m], x.interp[m]
			best := x.localBreaks(m)
			mark := len(x.log)
			x.remove(m)
			bestS, bestT, bestI := s, t, i
			for _, c := range x.m[m].cand {
				if c == s {
					continue
				}
				ct, ci, ok := x.fit(m, c, 0)
				if !ok || x.tOcc[ct*x.nS+c] >= 0 {
					continue
				}
				x.book2(m, c, 1)
				here := x.localBreaks(m)
				x.book2(m, c, -1)
				if here.better(best) {
					bestS, bestT, bestI, best = c, ct, ci, here
				}
			}
			x.log = x.log[:mark]
			x.place(m, bestS, bestT, bestI)
			x.log = x.log[:mark]
			if bestS != s {
				moved = true
			}
		}
		if !moved {
			return
		}
	}
}

// evenBreaks brings participants over the spread limit within it where it can: it moves one
// of their meetings to another slot, moving the counterpart's meeting there (if any) to a free
// slot of its own, and keeps the move when it lowers the breaks over the limit of everyone it
// touches (then their breaks, then the sum of their squares). Pinned meetings do not move and
// no meeting is left out.
func (x *solver) evenBreaks() {
	if x.p.MaxBreaksSpread == nil {
		return
	}
	for pass := 0; pass < 4 && !x.late(); pass++ {
		_, _, fewest := x.breakStats()
		x.spreadCap = fewest + *x.p.MaxBreaksSpread
		moved := false
		for q := range x.nP {
			if x.breaksOf(q) <= x.spreadCap {
				continue
			}
			for _, m := range x.byPart[q] {
				if x.slot[m] >= 0 && !x.pinned[m] && x.breaksOf(q) > x.spreadCap && x.moveForBreaks(m) {
					moved = true
				}
			}
		}
		if !moved {
			return
		}
	}
}

// moveForBreaks tries m in each other slot, as evenBreaks says, and keeps the first move that
// improves.
func (x *solver) moveForBreaks(m int) bool {
	for _, c := range x.m[m].cand {
		if c == x.slot[m] {
			continue
		}
		touched := slices.Clone(x.m[m].parts)
		blocker, ok := -1, true
		for _, r := range x.m[m].parts {
			if u := int(x.busy[r*x.nS+c]); u >= 0 {
				if blocker >= 0 && u != blocker || x.pinned[u] {
					ok = false
					break
				}
				blocker = u
				for _, r2 := range x.m[u].parts {
					if !slices.Contains(touched, r2) {
						touched = append(touched, r2)
					}
				}
			}
		}
		if !ok {
			continue
		}
		before := x.scoreOf(touched)
		mark := len(x.log)
		x.remove(m)
		if blocker >= 0 {
			x.remove(blocker)
		}
		t, i, fits := x.fit(m, c, 0)
		if fits {
			x.place(m, c, t, i)
			if blocker >= 0 {
				var s2 int
				if s2, t, i, fits = x.bestSlot(blocker); fits {
					x.place(blocker, s2, t, i)
				}
			}
		}
		if fits && x.scoreOf(touched).better(before) {
			return true
		}
		x.rollback(mark)
	}
	return false
}

// scoreOf scores the breaks of the participants ps as localBreaks does.
func (x *solver) scoreOf(ps []int) breakScore {
	var sc breakScore
	for _, q := range ps {
		b := x.breaksOf(q)
		sc.total += b
		sc.squares += b * b
		if x.spreadCap >= 0 && b > x.spreadCap {
			sc.over += b - x.spreadCap
		}
	}
	return sc
}

// book2 books m's participants into slot s without a table, to count breaks.
func (x *solver) book2(m, s, d int) {
	for _, q := range x.m[m].parts {
		x.book(q, s, m, d)
	}
}

// breakScore is what compact lowers for the participants of one meeting: breaks over the
// spread limit, then breaks, then the sum of their squares.
type breakScore struct{ over, total, squares int }

func (a breakScore) better(b breakScore) bool {
	return cmp.Or(cmp.Compare(a.over, b.over), cmp.Compare(a.total, b.total), cmp.Compare(a.squares, b.squares)) < 0
}

// localBreaks scores the breaks of m's participants.
func (x *solver) localBreaks(m int) breakScore {
	return x.scoreOf(x.m[m].parts)
}

// breaksOf counts the runs of idle slots between two meetings of q on the same day.
func (x *solver) breaksOf(q int) int {
	n, last := 0, -1
	for s := range x.nS {
		if x.busy[q*x.nS+s] < 0 {
			continue
		}
		if last >= 0 && s > last+1 && x.slotDay[last] == x.slotDay[s] {
			n++
		}
		last = s
	}
	return n
}

func (x *solver) breakStats() (total, most, fewest int) {
	fewest = -1
	for q := range x.nP {
		if x.cnt[q] == 0 {
			continue
		}
		b := x.breaksOf(q)
		total += b
		most = max(most, b)
		if fewest < 0 || b < fewest {
			fewest = b
		}
	}
	return total, most, max(fewest, 0)
}

// diagnoseSeat says why meeting m cannot sit in slot s at table (0: any table), or returns a
// reason without a key when it can.
func (x *solver) diagnoseSeat(m, s, table int) reason {
	mt := &x.m[m]
	if s < 0 || s >= x.nS {
		return reason{key: "schedule.slot_removed", args: models.Args{"Slot": s + 1}}
	}
	if mt.sess >= 0 && x.slotSess[s] != mt.sess {
		return reason{key: "schedule.outside_session", args: models.Args{"Slot": s + 1, "Session": x.p.Sessions[mt.sess].Name}}
	}
	for _, q := range mt.parts {
		switch {
		case x.unavail[q*x.nS+s]:
			return reason{key: "schedule.participant_unavailable", args: models.Args{"Participant": x.pID[q], "Slot": s + 1}}
		case x.busy[q*x.nS+s] >= 0:
			return reason{key: "schedule.clash", args: models.Args{"Other": x.m[x.busy[q*x.nS+s]].id}}
		case !x.free(q, s):
			return reason{key: "schedule.over_cap", args: models.Args{"Participant": x.pID[q], "Max": x.capOf(q, s)}}
		}
	}
	if len(mt.interps) > 0 {
		if _, _, ok := x.fitInterpreterOnly(m, s); !ok {
			return reason{key: "schedule.no_interpreter"}
		}
	}
	if table == 0 {
		if _, _, ok := x.fit(m, s, 0); !ok {
			return reason{key: "schedule.no_table", table: true}
		}
		return reason{}
	}
	t := slices.Index(x.tID, table)
	switch {
	case t < 0 || !x.tOK[t*x.nS+s]:
		return reason{key: "schedule.table_unavailable", args: models.Args{"Table": table, "Slot": s + 1}, table: true}
	case !slices.Contains(mt.tables, t):
		return reason{key: "schedule.table_unsuitable", args: models.Args{"Table": table}, table: true}
	case x.tOcc[t*x.nS+s] >= 0:
		return reason{key: "schedule.clash", args: models.Args{"Other": x.m[x.tOcc[t*x.nS+s]].id}, table: true}
	}
	return reason{}
}

func (x *solver) fitInterpreterOnly(m, s int) (int, int, bool) {
	for _, c := range x.m[m].interps {
		if x.free(c, s) {
			return c, 0, true
		}
	}
	return -1, 0, false
}

func (x *solver) capOf(q, s int) int {
	if x.capAll[q] > 0 && x.cnt[q] >= x.capAll[q] {
		return x.capAll[q]
	}
	return x.capSess[q]
}

// diagnoseUnplaced says why an unplaced meeting could not go anywhere.
func (x *solver) diagnoseUnplaced(m int) reason {
	mt := &x.m[m]
	anyAllowed := false
	for s := range x.nS {
		anyAllowed = anyAllowed || mt.allowed[s]
	}
	if !anyAllowed {
		return reason{key: "schedule.no_common_slot"}
	}
	for _, q := range mt.parts {
		if x.capAll[q] > 0 && x.cnt[q] >= x.capAll[q] {
			return reason{key: "schedule.over_cap", args: models.Args{"Participant": x.pID[q], "Max": x.capAll[q]}}
		}
	}
	if len(mt.cand) == 0 {
		if len(mt.interps) > 0 {
			return reason{key: "schedule.no_interpreter"}
		}
		return reason{key: "schedule.no_table"}
	}
	partsFree, interpFree := false, false
	for _, s := range mt.cand {
		ok := true
		for _, q := range mt.parts {
			ok = ok && x.free(q, s)
		}
		if ok {
			partsFree = true
			if _, _, iok := x.fitInterpreterOnly(m, s); iok || len(mt.interps) == 0 {
				interpFree = true
			}
		}
	}
	switch {
	case !partsFree:
		return reason{key: "schedule.slots_taken"}
	case !interpFree:
		return reason{key: "schedule.no_interpreter"}
	}
	return reason{key: "schedule.no_table"}
}

// chooseSpares marks the meetings that a largest choice of meetings within each participant's
// capacity (the Participants bound's b-matching) leaves out, first for the highest priority and
// then adding the lower ones. Placing those last leaves the busiest participants' slots to
// meetings that a schedule as large as the bound would hold.
func (x *solver) chooseSpares() {
	x.spare = make([]bool, len(x.m))
	var ms []int
	for m := range x.m {
		if !x.excluded[m] && len(x.m[m].cand) > 0 {
			ms = append(ms, m)
		}
	}
	side, bipartite := x.sides(ms)
	if !bipartite {
		return
	}
	prios := []int{}
	for _, m := range ms {
		if !slices.Contains(prios, x.m[m].prio) {
			prios = append(prios, x.m[m].prio)
		}
	}
	slices.Sort(prios)
	slices.Reverse(prios)
	for _, lvl := range prios {
		var these []int
		for _, m := range ms {
			if x.m[m].prio >= lvl {
				these = append(these, m)
			}
		}
		_, chosen := x.matchingChoice(these, side, x.capacities(these))
		for k, m := range these {
			if x.m[m].prio == lvl {
				x.spare[m] = !chosen[k]
			}
		}
	}
}

func (x *solver) spareRank(m int) int {
	if x.spare != nil && x.spare[m] {
		return 1
	}
	return 0
}

// trySecondOrder undoes what greedy and improve placed after the log had length mark, places
// again in the plain order (without putting spares last), and keeps whichever of the two
// schedules is better by the order "more meetings of the highest priority first"; the first on
// a tie.
func (x *solver) trySecondOrder(mark, effort int) {
	type seat struct{ m, s, t, i int }
	var first []seat
	count := map[int]int{}
	for m := range x.m {
		if x.slot[m] >= 0 {
			first = append(first, seat{m, x.slot[m], x.table[m], x.interp[m]})
			count[x.m[m].prio]++
		}
	}
	x.rollback(mark)
	x.greedy(false)
	x.repair(effort)
	for m := range x.m {
		if x.slot[m] >= 0 {
			count[x.m[m].prio]--
		}
	}
	if !improves(count) {
		return
	}
	// The first was better: put it back, seat by seat (its tables are all distinct per slot).
	x.rollback(mark)
	for _, st := range first {
		if x.slot[st.m] < 0 {
			x.place(st.m, st.s, st.t, st.i)
		}
	}
}

// seatHosts gives hosts one table a day where it can, by changing only tables, never slots:
// for each day, the hosts with most meetings first each get a table that suits all their
// meetings of the day and is free at all their slots (the table they sit at most when it
// qualifies); then each slot is seated again, the hosts' meetings at their tables and the
// others at the smallest suitable table left, most constrained first. A slot whose other
// meetings would not all find a table keeps its seating. Meetings whose table is pinned (fixed
// with a table, or keeping the last schedule's seat) do not move.
func (x *solver) seatHosts() {
	// Kept only when it does better by the measure Schedule reports.
	one, main := x.hostTables()
	table, tOcc := slices.Clone(x.table), slices.Clone(x.tOcc)
	defer func() {
		if one2, main2 := x.hostTables(); one2 < one || one2 == one && main2 < main {
			x.table, x.tOcc = table, tOcc
		}
	}()
	nDays := 0
	for _, d := range x.slotDay {
		nDays = max(nDays, d+1)
	}
	for day := range nDays {
		byHost := map[int][]int{}
		var hosts []int
		for m := range x.m {
			q := x.m[m].host
			if q < 0 || x.slot[m] < 0 || x.slotDay[x.slot[m]] != day {
				continue
			}
			if _, seen := byHost[q]; !seen {
				hosts = append(hosts, q)
			}
			byHost[q] = append(byHost[q], m)
		}
		slices.SortStableFunc(hosts, func(a, b int) int { return cmp.Compare(len(byHost[b]), len(byHost[a])) })
		reserved := make([]int32, x.nT*x.nS) // the meeting that will sit there, or -1
		for i := range reserved {
			reserved[i] = -1
		}
		for m := range x.m {
			if x.slot[m] >= 0 && x.tablePinned[m] {
				reserved[x.table[m]*x.nS+x.slot[m]] = int32(m)
			}
		}
		rank := map[int]int{} // hosts with a table, in the order they got it
		for _, q := range hosts {
			ms := byHost[q]
			// The table that suits most of their meetings, free at their slots and no bigger than
			// each needs (big tables stay for big meetings); among equals the one where most of
			// them sit already. Meetings it does not suit sit elsewhere.
			fits := func(m, t int) bool {
				r := reserved[t*x.nS+x.slot[m]]
				return slices.Contains(x.m[m].tables, t) && x.tOK[t*x.nS+x.slot[m]] && x.snug(m, t) &&
					(r < 0 || int(r) == m) && (!x.tablePinned[m] || x.table[m] == t)
			}
			best, most, mostHere := -1, 0, 0
			for _, t := range x.byFit {
				n, here := 0, 0
				for _, m := range ms {
					if fits(m, t) {
						n++
						if x.table[m] == t {
							here++
						}
					}
				}
				if n > most || n == most && here > mostHere {
					best, most, mostHere = t, n, here
				}
			}
			if best < 0 {
				continue
			}
			rank[q] = len(rank)
			for _, m := range ms {
				if fits(m, best) {
					reserved[best*x.nS+x.slot[m]] = int32(m)
				}
			}
		}
		for s := range x.nS {
			if x.slotDay[s] != day {
				continue
			}
			// When the other meetings do not all find a table, the host of lowest rank in the
			// slot gives up its reservation there, until they do.
			for !x.reseatSlot(s, reserved) {
				drop := -1
				for t := range x.nT {
					r := int(reserved[t*x.nS+s])
					if r < 0 || x.tablePinned[r] {
						continue
					}
					if drop < 0 || rank[x.m[r].host] > rank[x.m[int(reserved[drop*x.nS+s])].host] {
						drop = t
					}
				}
				if drop < 0 {
					break
				}
				reserved[drop*x.nS+s] = -1
			}
		}
	}
}

// reseatSlot seats the meetings of slot s: those with a reserved table there at it, the others
// at the smallest suitable free table, the ones with fewest choices first. It changes nothing
// and reports false when one of them would find no table.
func (x *solver) reseatSlot(s int, reserved []int32) bool {
	var rest []int
	taken := make([]bool, x.nT)
	next := map[int]int{}
	for t := range x.nT {
		if r := reserved[t*x.nS+s]; r >= 0 {
			taken[t] = true
			next[int(r)] = t
		}
	}
	for t := range x.nT {
		if m := int(x.tOcc[t*x.nS+s]); m >= 0 {
			if _, ok := next[m]; !ok {
				rest = append(rest, m)
			}
		}
	}
	choices := func(m int) int {
		n := 0
		for _, t := range x.m[m].tables {
			if x.tOK[t*x.nS+s] && !taken[t] {
				n++
			}
		}
		return n
	}
	slices.SortStableFunc(rest, func(a, b int) int { return cmp.Compare(choices(a), choices(b)) })
	for _, m := range rest {
		t := slices.IndexFunc(x.m[m].tables, func(t int) bool { return x.tOK[t*x.nS+s] && !taken[t] })
		if t < 0 {
			return false
		}
		taken[x.m[m].tables[t]] = true
		next[m] = x.m[m].tables[t]
	}
	for m := range next {
		x.tOcc[x.table[m]*x.nS+s] = -1
	}
	for m, t := range next {
		x.tOcc[t*x.nS+s] = int32(m)
		x.table[m] = t
	}
	return true
}

// snug reports whether table t has no more chairs than the smallest table that suits m.
func (x *solver) snug(m, t int) bool {
	return chairsOrMax(x.p.Tables[t].Chairs) <= chairsOrMax(x.p.Tables[x.m[m].tables[0]].Chairs)
}
