package event

import (
	"slices"
)

// Bound is an upper bound on the meetings any valid schedule can place, with the three bounds it
// is the least of. Each relaxes the problem, so each is at least the true optimum:
//
//   - Meetings: the meetings that have at least one slot where all their participants are
//     available, the session allows them and a suitable table (and interpreter) exists.
//   - Slots: the sum over slots of the most meetings that slot can hold, which is at most the
//     number of suitable tables free in it and at most a maximum matching among the meetings
//     possible in it (two meetings sharing a participant cannot both be there).
//   - Participants: a maximum b-matching of the meetings, in which each participant takes at
//     most as many meetings as its cap, its caps per session and the slots it could meet in
//     allow — computed as a maximum flow, since buyers meet suppliers and the graph is
//     bipartite (when it is not, half the sum of those capacities).
//
// AtLeast holds the same bound for the meetings of each priority and above, so that the
// must-meet meetings can be measured on their own. AnySchedule is the least of the three, a
// bound on every valid schedule.
//
// The scheduler does not look for the most meetings but for the best schedule by the order
// "more meetings of the highest priority, then of the next": a must-meet meeting placed may cost
// two would-like ones. PriorityFirst bounds what such a schedule can place, and Total is the least
// of it and the three. The argument: let X be the schedule found and p1 > p2 > … the priorities.
// Suppose that for the first j of them X places as many meetings of priority p1 or above, p2 or
// above, …, pj or above as AtLeast allows: as many as any schedule can. A schedule S at least as
// good as X by the order then places exactly as many of each: S places at least as many of
// priority p1 as X (else X is better), so as many, since that is the most; then at least as many
// of p2, else X is better, so as many of p2 or above, the most; and so on to pj. S is also a
// b-matching of the Participants bound (each participant within its capacity). So S places at most
// the most meetings of a b-matching that holds as many meetings of priority pk or above as
// AtLeast[pk], for each k ≤ j; and X shows that such b-matchings exist. That most is found as a
// maximum-weight b-matching (a minimum-cost flow) in which a meeting weighs 1 plus, for each such
// level k it belongs to, a weight W(k) larger than all the weight of the levels below it can add
// up to: the heaviest b-matching first holds the most of priority p1 or above, then of p2 or
// above, …, then the most meetings. PriorityFirst is 0 when X falls short of AtLeast at the top
// priority, or the participants do not fall into two sides; Total is then AnySchedule. On
// fair-sized events X places every must-meet meeting the bound allows, and this bound is what
// the must-meet meetings leave for the others.
type Bound struct {
	Total         int         `json:"total"`
	AnySchedule   int         `json:"any_schedule"`
	PriorityFirst int         `json:"priority_first,omitempty"`
	Meetings      int         `json:"meetings"`
	Slots         int         `json:"slots"`
	Participants  int         `json:"participants"`
	AtLeast       map[int]int `json:"at_least"`
}

func (x *solver) bound() Bound {
	prios := []int{}
	for m := range x.m {
		if !slices.Contains(prios, x.m[m].prio) {
			prios = append(prios, x.m[m].prio)
		}
	}
	slices.Sort(prios)
	out := Bound{AtLeast: map[int]int{}}
	for k, lvl := range prios {
		var ms []int
		for m := range x.m {
			if x.m[m].prio >= lvl && !x.excluded[m] && len(x.m[m].cand) > 0 {
				ms = append(ms, m)
			}
		}
		b := x.boundOf(ms)
		out.AtLeast[lvl] = b.Total
		if k == 0 {
			b.AtLeast = out.AtLeast
			out = b
		}
	}
	return out
}

func (x *solver) boundOf(ms []int) Bound {
	b := Bound{Meetings: len(ms)}
	side, bipartite := x.sides(ms)

	// Per slot: tables and a matching.
	for s := range x.nS {
		var here []int
		usable := make([]bool, x.nT)
		for _, m := range ms {
			if !slices.Contains(x.m[m].cand, s) {
				continue
			}
			here = append(here, m)
			for _, t := range x.m[m].tables {
				if x.tOK[t*x.nS+s] {
					usable[t] = true
				}
			}
		}
		tables := 0
		for _, u := range usable {
			if u {
				tables++
			}
		}
		most := min(tables, len(here))
		if bipartite {
			most = min(most, x.matching(here, side, nil))
		} else {
			seen := map[int]bool{}
			for _, m := range here {
				for _, q := range x.m[m].parts {
					seen[q] = true
				}
			}
			most = min(most, len(seen)/2)
		}
		b.Slots += most
	}

	// Per participant: a b-matching.
	capacity := x.capacities(ms)
	if bipartite {
		b.Participants = x.matching(ms, side, capacity)
	} else {
		sum := 0
		for _, c := range capacity {
			sum += c
		}
		b.Participants = sum / 2
	}
	b.Total = min(b.Meetings, b.Slots, b.Participants)
	b.AnySchedule = b.Total
	return b
}

// tightenByPriority sets b.PriorityFirst from the meetings placed at each priority (see Bound)
// and lowers b.Total to it.
func (x *solver) tightenByPriority(b *Bound, placed map[int]int) {
	var prios []int
	for p := range b.AtLeast {
		prios = append(prios, p)
	}
	slices.Sort(prios)
	slices.Reverse(prios)
	// The leading levels at which the schedule places as many as the bound allows; the lowest
	// level is left out, as there the bound is AnySchedule itself.
	j, cum := 0, 0
	for k, p := range prios {
		cum += placed[p]
		if k == len(prios)-1 || cum != b.AtLeast[p] {
			break
		}
		j = k + 1
	}
	var ms []int
	for m := range x.m {
		if !x.excluded[m] && len(x.m[m].cand) > 0 {
			ms = append(ms, m)
		}
	}
	n := int64(len(ms)) + 1
	// W(k) = n^(j-k+1): keep j small enough that the weights fit.
	for j > 0 {
		w := int64(1)
		ok := true
		for range j + 1 {
			if w > (1<<62)/n/n {
				ok = false
				break
			}
			w *= n
		}
		if ok {
			break
		}
		j--
	}
	if j == 0 {
		return
	}
	side, bipartite := x.sides(ms)
	if !bipartite {
		return
	}
	weight := func(m int) int64 {
		w, wk := int64(1), n
		for k := j - 1; k >= 0; k-- {
			if x.m[m].prio >= prios[k] {
				w += wk
			}
			wk *= n
		}
		return w
	}
	capacity := x.capacities(ms)
	f := newCostFlow(2 + x.nP)
	arcs := make([]int, len(ms))
	used := make([]bool, x.nP)
	for k, m := range ms {
		a, c := x.m[m].parts[0], x.m[m].parts[1]
		if side[a] < 0 {
			a, c = c, a
		}
		arcs[k] = f.add(2+a, 2+c, 1, -weight(m))
		used[a], used[c] = true, true
	}
	for q := range x.nP {
		if !used[q] {
			continue
		}
		if side[q] > 0 {
			f.add(0, 2+q, capacity[q], 0)
		} else {
			f.add(2+q, 1, capacity[q], 0)
		}
	}
	f.maxWeight(0, 1)
	total := 0
	for _, e := range arcs {
		if f.capa[e] == 0 {
			total++
		}
	}
	b.PriorityFirst = total
	b.Total = min(b.Total, total)
}

// sides two-colours the participants by the first two of each meeting; it reports false when
// that graph has an odd cycle or a meeting has fewer than two participants.
func (x *solver) sides(ms []int) ([]int8, bool) {
	adj := make([][]int, x.nP)
	for _, m := range ms {
		p := x.m[m].parts
		if len(p) < 2 {
			return nil, false
		}
		adj[p[0]] = append(adj[p[0]], p[1])
		adj[p[1]] = append(adj[p[1]], p[0])
	}
	side := make([]int8, x.nP)
	for start := range x.nP {
		if side[start] != 0 || len(adj[start]) == 0 {
			continue
		}
		side[start] = 1
		queue := []int{start}
		for len(queue) > 0 {
			q := queue[0]
			queue = queue[1:]
			for _, r := range adj[q] {
				switch side[r] {
				case 0:
					side[r] = -side[q]
					queue = append(queue, r)
				case side[q]:
					return nil, false
				}
			}
		}
	}
	return side, true
}

// matching is the largest set of the meetings ms in which each participant takes part at most
// capacity times (once when capacity is nil), by the first two participants of each meeting.
func (x *solver) matching(ms []int, side []int8, capacity []int) int {
	n, _ := x.matchingChoice(ms, side, capacity)
	return n
}

// matchingChoice is matching, with which of the meetings ms the largest set takes.
func (x *solver) matchingChoice(ms []int, side []int8, capacity []int) (int, []bool) {
	// Nodes: 0 source, 1 sink, 2+q participants.
	f := newFlow(2 + x.nP)
	used := make([]bool, x.nP)
	edge := make([]int, len(ms))
	for k, m := range ms {
		a, b := x.m[m].parts[0], x.m[m].parts[1]
		if side[a] < 0 {
			a, b = b, a
		}
		edge[k] = len(f.to)
		f.add(2+a, 2+b, 1)
		used[a], used[b] = true, true
	}
	for q := range x.nP {
		if !used[q] {
			continue
		}
		c := 1
		if capacity != nil {
			c = capacity[q]
		}
		if side[q] > 0 {
			f.add(0, 2+q, c)
		} else {
			f.add(2+q, 1, c)
		}
	}
	n := f.max(0, 1)
	chosen := make([]bool, len(ms))
	for k, e := range edge {
		chosen[k] = f.capa[e] == 0
	}
	return n, chosen
}

// flow is a maximum-flow network solved by Dinic's algorithm.
type flow struct {
	head       []int
	to, next   []int
	capa       []int
	level, cur []int
}

func newFlow(n int) *flow {
	f := &flow{head: make([]int, n), level: make([]int, n), cur: make([]int, n)}
	for i := range f.head {
		f.head[i] = -1
	}
	return f
}

func (f *flow) add(a, b, c int) {
	f.to = append(f.to, b, a)
	f.capa = append(f.capa, c, 0)
	f.next = append(f.next, f.head[a], f.head[b])
	f.head[a] = len(f.to) - 2
	f.head[b] = len(f.to) - 1
}

func (f *flow) max(s, t int) int {
	total := 0
	for f.bfs(s, t) {
		copy(f.cur, f.head)
		for {
			pushed := f.dfs(s, t, 1<<30)
			if pushed == 0 {
				break
			}
			total += pushed
		}
	}
	return total
}

func (f *flow) bfs(s, t int) bool {
	for i := range f.level {
		f.level[i] = -1
	}
	f.level[s] = 0
	queue := []int{s}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for e := f.head[v]; e >= 0; e = f.next[e] {
			if f.capa[e] > 0 && f.level[f.to[e]] < 0 {
				f.level[f.to[e]] = f.level[v] + 1
				queue = append(queue, f.to[e])
			}
		}
	}
	return f.level[t] >= 0
}

func (f *flow) dfs(v, t, limit int) int {
	if v == t {
		return limit
	}
	for ; f.cur[v] >= 0; f.cur[v] = f.next[f.cur[v]] {
		e := f.cur[v]
		w := f.to[e]
		if f.capa[e] <= 0 || f.level[w] != f.level[v]+1 {
			continue
		}
		if d := f.dfs(w, t, min(limit, f.capa[e])); d > 0 {
			f.capa[e] -= d
			f.capa[e^1] += d
			return d
		}
	}
	return 0
}

// capacities is, per participant, the most meetings of ms it could take: no more than it has,
// its caps allow, and the slots it could meet in.
func (x *solver) capacities(ms []int) []int {
	capacity := make([]int, x.nP)
	deg := make([]int, x.nP)
	in := make([]bool, len(x.m))
	for _, m := range ms {
		in[m] = true
		for _, q := range x.m[m].parts {
			deg[q]++
		}
	}
	could := make([]bool, x.nS)
	for q := range x.nP {
		if deg[q] == 0 {
			continue
		}
		clear(could)
		for _, m := range x.byPart[q] {
			if in[m] {
				for _, s := range x.m[m].cand {
					could[s] = true
				}
			}
		}
		perSession := make([]int, x.nSess)
		total, outside := 0, 0
		for s, ok := range could {
			if !ok {
				continue
			}
			total++
			if k := x.slotSess[s]; k >= 0 {
				perSession[k]++
			} else {
				outside++
			}
		}
		if x.capSess[q] > 0 {
			sum := outside
			for _, n := range perSession {
				sum += min(n, x.capSess[q])
			}
			total = min(total, sum)
		}
		if x.capAll[q] > 0 {
			total = min(total, x.capAll[q])
		}
		capacity[q] = min(total, deg[q])
	}
	return capacity
}

// costFlow is a network for a minimum-cost flow, solved by successive shortest paths with
// potentials (Dijkstra on reduced costs), augmenting along every shortest path at once.
type costFlow struct {
	head           []int
	to, next, capa []int
	cost           []int64
}

func newCostFlow(n int) *costFlow {
	f := &costFlow{head: make([]int, n)}
	for i := range f.head {
		f.head[i] = -1
	}
	return f
}

func (f *costFlow) add(a, b, c int, cost int64) int {
	f.to = append(f.to, b, a)
	f.capa = append(f.capa, c, 0)
	f.cost = append(f.cost, cost, -cost)
	f.next = append(f.next, f.head[a], f.head[b])
	f.head[a] = len(f.to) - 2
	f.head[b] = len(f.to) - 1
	return len(f.to) - 2
}

// maxWeight sends flow from s to t while a path of negative cost is left, which gives the flow
// of least cost whatever its size: with arc costs the negated weights, a maximum-weight
// b-matching.
func (f *costFlow) maxWeight(s, t int) {
	n := len(f.head)
	const inf = int64(1) << 62
	// Potentials: shortest distances from s by Bellman-Ford (queue-based); the network has no
	// negative cycle, since it starts empty of flow and its arcs go source → one side → other side
	// → sink.
	pot := make([]int64, n)
	for i := range pot {
		pot[i] = inf
	}
	pot[s] = 0
	queue := []int{s}
	inQueue := make([]bool, n)
	inQueue[s] = true
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		inQueue[v] = false
		for e := f.head[v]; e >= 0; e = f.next[e] {
			if f.capa[e] > 0 && pot[v]+f.cost[e] < pot[f.to[e]] {
				pot[f.to[e]] = pot[v] + f.cost[e]
				if !inQueue[f.to[e]] {
					inQueue[f.to[e]] = true
					queue = append(queue, f.to[e])
				}
			}
		}
	}
	dist := make([]int64, n)
	level := make([]int, n)
	cur := make([]int, n)
	h := &distHeap{}
	for {
		if pot[t] >= inf {
			return
		}
		// Dijkstra on reduced costs, which are never negative.
		for i := range dist {
			dist[i] = inf
		}
		dist[s] = 0
		h.items = h.items[:0]
		h.push(s, 0)
		for len(h.items) > 0 {
			v, d := h.pop()
			if d > dist[v] {
				continue
			}
			for e := f.head[v]; e >= 0; e = f.next[e] {
				w := f.to[e]
				if f.capa[e] <= 0 || pot[w] >= inf {
					continue
				}
				if nd := d + f.cost[e] + pot[v] - pot[w]; nd < dist[w] {
					dist[w] = nd
					h.push(w, nd)
				}
			}
		}
		if dist[t] >= inf {
			return
		}
		for v := range pot {
			if dist[v] < inf && pot[v] < inf {
				pot[v] += dist[v]
			} else {
				pot[v] = inf
			}
		}
		if pot[t]-pot[s] >= 0 {
			return // no path of negative cost is left
		}
		// Every path of arcs with reduced cost 0 is a shortest path: push along all of them.
		for {
			for i := range level {
				level[i] = -1
			}
			level[s] = 0
			q := []int{s}
			for len(q) > 0 {
				v := q[0]
				q = q[1:]
				for e := f.head[v]; e >= 0; e = f.next[e] {
					w := f.to[e]
					if f.capa[e] > 0 && level[w] < 0 && pot[w] < inf && f.cost[e]+pot[v]-pot[w] == 0 {
						level[w] = level[v] + 1
						q = append(q, w)
					}
				}
			}
			if level[t] < 0 {
				break
			}
			copy(cur, f.head)
			for f.push(s, t, 1<<30, level, cur, pot) > 0 {
			}
		}
	}
}

func (f *costFlow) push(v, t, limit int, level, cur []int, pot []int64) int {
	if v == t {
		return limit
	}
	for ; cur[v] >= 0; cur[v] = f.next[cur[v]] {
		e := cur[v]
		w := f.to[e]
		if f.capa[e] <= 0 || level[w] != level[v]+1 || f.cost[e]+pot[v]-pot[w] != 0 {
			continue
		}
		if d := f.push(w, t, min(limit, f.capa[e]), level, cur, pot); d > 0 {
			f.capa[e] -= d
			f.capa[e^1] += d
			return d
		}
	}
	return 0
}

// distHeap is a binary heap of nodes by distance.
type distHeap struct {
	items []distItem
}

type distItem struct {
	v int
	d int64
}

func (h *distHeap) push(v int, d int64) {
	h.items = append(h.items, distItem{v, d})
	i := len(h.items) - 1
	for i > 0 {
		p := (i - 1) / 2
		if h.items[p].d <= h.items[i].d {
			break
		}
		h.items[p], h.items[i] = h.items[i], h.items[p]
		i = p
	}
}

func (h *distHeap) pop() (int, int64) {
	top := h.items[0]
	last := len(h.items) - 1
	h.items[0] = h.items[last]
	h.items = h.items[:last]
	i := 0
	for {
		l, r, small := 2*i+1, 2*i+2, i
		if l < last && h.items[l].d < h.items[small].d {
			small = l
		}
		if r < last && h.items[r].d < h.items[small].d {
			small = r
		}
		if small == i {
			break
		}
		h.items[i], h.items[small] = h.items[small], h.items[i]
		i = small
	}
	return top.v, top.d
}
