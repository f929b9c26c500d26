package event

// augment looks in each slot for augmenting paths, as in bipartite matching: the meetings of
// one slot are a matching of the participants, since nobody is in two meetings at once. A path
// starts at a participant free in the slot, adds a waiting meeting with someone who is busy
// there, takes that person's meeting out, adds a waiting meeting for the partner it freed, and
// so on, until it reaches someone free in the slot. Every participant on the path keeps one
// meeting in the slot but the two ends, who gain one, so the slot holds one meeting more; the
// meetings taken out wait again and the repair may place them elsewhere. Ejection chains keep
// the meetings they move; these paths change which meetings are placed, and may be long, which
// is what the busiest participants need: their every slot is taken, and a meeting can only come
// in for one that goes.
//
// A meeting is taken out only for one of at least its priority, so the meetings added dominate
// those taken out and the schedule improves by the order "more meetings of the highest priority
// first". Only meetings of two participants take part; pinned meetings stay. It reports whether
// it placed any meeting.
func (x *solver) augment(effort int) bool {
	gained := false
	visited := make([]int32, x.nP)
	stamp := int32(0)
	for s := range x.nS {
		if x.late() {
			break
		}
		stamp++
		x.budget = effort * 10
		for q := range x.nP {
			if x.budget <= 0 {
				break
			}
			if !x.free(q, s) || !x.waitsIn(q, s) || visited[q] == stamp {
				continue
			}
			var path []int // added, removed, added, …, added
			visited[q] = stamp
			if !x.augmentFrom(q, s, visited, stamp, &path) {
				continue
			}
			if x.applyPath(s, path) {
				gained = true
				stamp++ // the slot changed: every participant may be reached again
			}
		}
	}
	return gained
}

// waitsIn reports whether participant q has a waiting meeting that slot s allows.
func (x *solver) waitsIn(q, s int) bool {
	for _, m := range x.byPart[q] {
		if x.pathEdge(m, s) {
			return true
		}
	}
	return false
}

// pathEdge reports whether the waiting meeting m may be added in slot s by a path.
func (x *solver) pathEdge(m, s int) bool {
	mt := &x.m[m]
	return x.slot[m] < 0 && !x.excluded[m] && len(mt.parts) == 2 && mt.allowed[s] &&
		x.anyTable(mt, s) && x.anyInterpreter(mt, s)
}

// augmentFrom searches depth first from u, free in slot s (or freed by the path so far), for
// the rest of an augmenting path, and appends its meetings to path.
func (x *solver) augmentFrom(u, s int, visited []int32, stamp int32, path *[]int) bool {
	for _, m := range x.byPart[u] {
		if x.budget <= 0 {
			return false
		}
		x.budget--
		if !x.pathEdge(m, s) {
			continue
		}
		v := x.m[m].parts[0]
		if v == u {
			v = x.m[m].parts[1]
		}
		if visited[v] == stamp {
			continue
		}
		visited[v] = stamp
		if x.free(v, s) {
			*path = append(*path, m)
			return true
		}
		// v is busy in s but may be free in another slot β: a Kempe chain (see kempe) that
		// starts with v's meeting in s and keeps off the path frees v in s.
		if x.unavail[v*x.nS+s] {
			continue
		}
		x.onPath[u] = true
		for be := range x.nS {
			if be == s || !x.free(v, be) {
				continue
			}
			if chain := x.kempeChain(v, -1, s, be, nil); chain != nil && !x.chainTouchesPath(chain) {
				x.onPath[u] = false
				x.pathChain, x.pathBeta = chain, be
				*path = append(*path, m)
				return true
			}
		}
		x.onPath[u] = false
		w := int(x.busy[v*x.nS+s])
		if w < 0 || x.pinned[w] || x.inChain[w] || len(x.m[w].parts) != 2 || x.m[w].prio > x.m[m].prio || x.slot[w] != s {
			continue
		}
		z := x.m[w].parts[0]
		if z == v {
			z = x.m[w].parts[1]
		}
		// The interpreter of w is freed too, but the path does not count on it.
		if visited[z] == stamp || x.unavail[z*x.nS+s] {
			continue
		}
		visited[z] = stamp
		mark := len(*path)
		*path = append(*path, m, w)
		x.onPath[u], x.onPath[v] = true, true
		found := x.augmentFrom(z, s, visited, stamp, path)
		x.onPath[u], x.onPath[v] = false, false
		if found {
			return true
		}
		*path = (*path)[:mark]
	}
	return false
}

// applyPath takes out the path's placed meetings and adds its waiting ones in slot s, each at a
// table and with an interpreter; when one does not fit, it undoes everything.
func (x *solver) applyPath(s int, path []int) bool {
	delta := map[int]int{}
	for k, m := range path {
		if k%2 == 0 {
			delta[x.m[m].prio]++
		} else {
			delta[x.m[m].prio]--
		}
	}
	if !improves(delta) {
		x.pathChain = nil
		return false
	}
	mark := len(x.log)
	if chain := x.pathChain; chain != nil {
		x.pathChain = nil
		if !x.applyChain(chain, s, x.pathBeta) {
			return false
		}
	}
	for k := 1; k < len(path); k += 2 {
		x.remove(path[k])
	}
	for k := 0; k < len(path); k += 2 {
		t, i, ok := x.fit(path[k], s, 0)
		if !ok {
			x.rollback(mark)
			return false
		}
		x.place(path[k], s, t, i)
	}
	return true
}

// repair runs the ejection chains and swaps of improve and the augmenting paths in turn until
// neither gains.
func (x *solver) repair(effort int) {
	for round := 0; round < 20 && !x.late(); round++ {
		x.improve(effort)
		k := x.kempeAll()
		if !x.augment(effort) && !k {
			return
		}
	}
}

// next draws a number below n from the solver's own generator.
func (x *solver) next(n int) int {
	x.rotate = x.rotate*6364136223846793005 + 1442695040888963407
	return int((x.rotate >> 33) % uint64(n))
}

// kempeAll tries kempe on every waiting meeting; it reports whether it placed any.
func (x *solver) kempeAll() bool {
	gained := false
	for _, m := range x.order() {
		if x.late() {
			break
		}
		if x.slot[m] < 0 && x.kempe(m) {
			gained = true
		}
	}
	return gained
}

// kempe places the waiting meeting m of two participants in a slot α where one of them, v, is
// free and the other, u, is not, by exchanging two slots along a Kempe chain, as in the proof
// that a bipartite graph's edges can be coloured with as many colours as its largest degree: u's
// meeting in α moves to a slot β where u is free, the meeting its partner has in β moves to α,
// and so on along the chain of meetings that alternate between α and β. Everyone on the chain
// keeps as many meetings in each slot but the last, who moves one of its meetings to a slot where
// it was free; u ends up free in α and m goes there. Every meeting placed stays placed, so the
// exchange is kept whenever every meeting of the chain may sit in its new slot and finds a table.
// Chains hold only meetings of two participants without an interpreter that are not pinned.
func (x *solver) kempe(m int) bool {
	mt := &x.m[m]
	if len(mt.parts) != 2 || len(mt.interps) > 0 {
		return false
	}
	var chain []int
	for _, al := range mt.cand {
		a, b := mt.parts[0], mt.parts[1]
		fa, fb := x.free(a, al), x.free(b, al)
		if fa == fb {
			continue
		}
		u, v := a, b
		if fa {
			u, v = b, a
		}
		for be := range x.nS {
			if be == al || !x.free(u, be) {
				continue
			}
			chain = x.kempeChain(u, v, al, be, chain[:0])
			if chain == nil {
				continue
			}
			mark := len(x.log)
			if x.applyChain(chain, al, be) {
				if t, i, fits := x.fit(m, al, 0); fits {
					x.place(m, al, t, i)
					return true
				}
			}
			x.rollback(mark)
		}
	}
	return false
}

// kempeChain lists the meetings of the chain that starts with u's meeting in slot al and
// alternates between al and be, or returns nil when one of them may not move to the other slot
// or the chain reaches avoid.
func (x *solver) kempeChain(u, avoid, al, be int, buf []int) []int {
	chain := buf
	if chain == nil {
		chain = make([]int, 0, 8)
	}
	cur, col, other := u, al, be
	for len(chain) <= len(x.m) {
		w := int(x.busy[cur*x.nS+col])
		if w < 0 {
			// The chain ends at cur, which takes its last meeting into a slot where it had none.
			if !x.free(cur, col) {
				return nil
			}
			return chain
		}
		mw := &x.m[w]
		if x.pinned[w] || x.inChain[w] || len(mw.parts) != 2 || len(mw.interps) > 0 || x.slot[w] != col || !mw.allowed[other] {
			return nil
		}
		chain = append(chain, w)
		next := mw.parts[0]
		if next == cur {
			next = mw.parts[1]
		}
		if next == avoid || next == u {
			return nil
		}
		cur = next
		col, other = other, col
	}
	return nil
}

// applyChain moves each meeting of a Kempe chain from slot al to be or from be to al; when one
// finds no table it undoes the moves and reports false.
func (x *solver) applyChain(chain []int, al, be int) bool {
	mark := len(x.log)
	from := make([]int, len(chain))
	for k, w := range chain {
		from[k] = x.slot[w]
		x.remove(w)
	}
	for k, w := range chain {
		to := al
		if from[k] == al {
			to = be
		}
		t, i, fits := x.fit(w, to, 0)
		if !fits {
			x.rollback(mark)
			return false
		}
		x.place(w, to, t, i)
	}
	return true
}

// chainTouchesPath reports whether a meeting of the chain has a participant on the augmenting
// path being built.
func (x *solver) chainTouchesPath(chain []int) bool {
	for _, w := range chain {
		for _, q := range x.m[w].parts {
			if x.onPath[q] {
				return true
			}
		}
	}
	return false
}
