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
// must-meet meetings can be measured on their own.
type Bound struct {
	Total        int         `json:"total"`
	Meetings     int         `json:"meetings"`
	Slots        int         `json:"slots"`
	Participants int         `json:"participants"`
	AtLeast      map[int]int `json:"at_least"`
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
	return b
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
	for _, m := range ms {
		for _, q := range x.m[m].parts {
			deg[q]++
		}
	}
	for q := range x.nP {
		if deg[q] == 0 {
			continue
		}
		could := make([]bool, x.nS)
		for _, m := range ms {
			if slices.Contains(x.m[m].parts, q) {
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
