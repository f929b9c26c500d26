package event

import (
	"cmp"
	"slices"
	"time"

	"github.com/hanoi-cnht/portal/models"
)

// DefaultEffort is how many slot tries the improvement phase may spend on one unplaced meeting.
const DefaultEffort = 4000

// secondOrderUpTo is the most meetings for which the scheduler also tries the plain order
// (see trySecondOrder): on small problems it costs little and finds some optima the first
// order misses; on large ones the first order is clearly the better and time counts.
const secondOrderUpTo = 1000

// Options tune the scheduler; the zero value is the default.
type Options struct {
	// Effort bounds the work spent trying to make room for one unplaced meeting; 0 means
	// DefaultEffort. The schedule depends only on the problem and the options, never on the
	// clock, so the same input always gives the same schedule.
	Effort int
	// NoImprovement stops after the greedy placement, for measuring what the repair adds.
	NoImprovement bool
	// TimeLimit, when not 0, ends the repair and the passes for breaks once it has passed since
	// Solve started; the schedule is valid whenever they stop. Only then does the schedule depend
	// on the clock.
	TimeLimit time.Duration
	// BreakMoves is how many moves the search for fewer breaks tries (see reduceBreaks); 0
	// means breakMovesPerMeeting for each pair of meetings it may move, at most maxBreakMoves, and a
	// negative value turns the search off.
	BreakMoves int
}

// Schedule is the scheduler's answer.
type Schedule struct {
	Assignments []Assignment `json:"assignments"`
	Unscheduled []Unplaced   `json:"unscheduled"`
	// Changes lists every meeting that had a previous seat and does not keep it.
	Changes []Change `json:"changes,omitempty"`
	// Conflicts lists fixed meetings that cannot stay where they were fixed; they are not placed.
	Conflicts []Unplaced `json:"conflicts,omitempty"`

	Placed           int         `json:"placed"`
	PlacedByPriority map[int]int `json:"placed_by_priority"`
	// Breaks counts, over all participants, the runs of idle slots between two of their
	// meetings on the same day; MaxBreaks and MinBreaks are the most and fewest one participant
	// with a meeting has.
	Breaks    int `json:"breaks"`
	MaxBreaks int `json:"max_breaks"`
	MinBreaks int `json:"min_breaks"`
	// OverSpread counts the participants with more breaks than MinBreaks plus the problem's
	// MaxBreaksSpread, when it has one: those the scheduler could not bring within it by moving
	// meetings.
	OverSpread int `json:"over_spread,omitempty"`
	// HostOneTable is the share of hosts' days (a host with a meeting placed that day) on which
	// all the host's meetings sit at one table; 1 when no meeting has a host. Meetings that need
	// a bigger table or another zone than the host's others make it fall short of 1.
	HostOneTable float64 `json:"host_one_table"`
	// HostMainTable is the share of hosts' meetings at the table their host uses most that day.
	HostMainTable float64 `json:"host_main_table"`
	// Bound holds proven upper bounds: Bound.AnySchedule on what any valid schedule could
	// place, Bound.Total on what a schedule at least as good as this one by the order
	// "priority first" could place.
	Bound Bound `json:"bound"`
}

// Assignment is a placed meeting.
type Assignment struct {
	Meeting     string `json:"meeting"`
	Slot        int    `json:"slot"`
	Table       int    `json:"table"`
	Interpreter string `json:"interpreter,omitempty"`
}

// Unplaced is a meeting the schedule leaves out, and why, as a message key.
type Unplaced struct {
	Meeting  string      `json:"meeting"`
	Priority int         `json:"priority"`
	Key      string      `json:"key"`
	Args     models.Args `json:"args,omitempty"`
	Reason   string      `json:"reason"`
}

// ChangeKind says what happened to a meeting that had a seat.
type ChangeKind string

// The changes a re-run can make to a meeting that had a seat.
const (
	TableChanged ChangeKind = "table_changed" // same slot, another table
	Moved        ChangeKind = "moved"         // another slot
	Dropped      ChangeKind = "dropped"       // no seat any more
)

// Change is a meeting whose seat the schedule does not keep, and why.
type Change struct {
	Meeting   string      `json:"meeting"`
	Kind      ChangeKind  `json:"kind"`
	From      Seat        `json:"from"`
	To        *Seat       `json:"to,omitempty"`
	Published bool        `json:"published,omitempty"`
	Key       string      `json:"key"`
	Args      models.Args `json:"args,omitempty"`
	Reason    string      `json:"reason"`
}

// Solve places the problem's meetings. It returns a *models.ValidationError when the problem is
// malformed; a fixed meeting that cannot stay is not an error but a Conflict in the schedule.
func Solve(p *Problem, opt Options) (*Schedule, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if opt.Effort <= 0 {
		opt.Effort = DefaultEffort
	}
	x := newSolver(p)
	if opt.TimeLimit > 0 {
		x.deadline = time.Now().Add(opt.TimeLimit)
	}
	out := &Schedule{PlacedByPriority: map[int]int{}}
	reasons := map[int]reason{} // why a meeting lost its previous seat

	// Fixed meetings first: they never move, and one that cannot stay is a conflict.
	for m := range x.m {
		f := p.Meetings[m].Fixed
		if f == nil || f.Slot == 0 {
			continue
		}
		s := f.Slot - 1
		r := x.diagnoseSeat(m, s, f.Table)
		if r.key != "" {
			out.Conflicts = append(out.Conflicts, x.unplaced(m, r))
			x.excluded[m] = true
			continue
		}
		t, i, _ := x.fit(m, s, f.Table)
		x.place(m, s, t, i)
		x.pinned[m], x.tablePinned[m] = true, f.Table != 0
	}
	// Then the meetings of the last schedule, published ones first: each keeps its slot and
	// table while it can, its slot if only the table is lost, and otherwise is placed again below.
	prev := make([]int, 0, len(x.m))
	for m := range x.m {
		if x.slot[m] < 0 && !x.excluded[m] && p.Meetings[m].Previous != nil {
			prev = append(prev, m)
		}
	}
	slices.SortStableFunc(prev, func(a, b int) int {
		ma, mb := &p.Meetings[a], &p.Meetings[b]
		if ma.Published != mb.Published {
			if ma.Published {
				return -1
			}
			return 1
		}
		return cmp.Compare(mb.Priority, ma.Priority)
	})
	for _, m := range prev {
		seat := *p.Meetings[m].Previous
		s := seat.Slot - 1
		want := slices.Index(x.pID, seat.Interpreter)
		if r := x.diagnoseSeat(m, s, seat.Table); r.key == "" {
			t, i, _ := x.fitWith(m, s, seat.Table, want)
			x.place(m, s, t, i)
			x.pinned[m], x.tablePinned[m] = true, true
			continue
		} else if r.table {
			if t, i, ok := x.fitWith(m, s, 0, want); ok {
				x.place(m, s, t, i)
				x.pinned[m], x.tablePinned[m] = true, true
			}
			reasons[m] = r
		} else {
			reasons[m] = r
		}
	}

	mark := len(x.log)
	x.greedy(true)
	out.Bound = x.bound()
	if !opt.NoImprovement {
		x.repair(opt.Effort)
		if len(x.m) <= secondOrderUpTo && !x.late() {
			x.trySecondOrder(mark, opt.Effort)
		}
		x.compact()
		x.evenBreaks()
		if opt.BreakMoves >= 0 && !x.late() {
			x.reduceBreaks(cmp.Or(opt.BreakMoves, -1))
		}
		x.seatHosts()
	}

	for m := range x.m {
		if x.slot[m] >= 0 {
			out.Assignments = append(out.Assignments, x.assignment(m))
			out.Placed++
			out.PlacedByPriority[x.m[m].prio]++
		} else if !x.excluded[m] {
			out.Unscheduled = append(out.Unscheduled, x.unplaced(m, x.diagnoseUnplaced(m)))
		}
		if prev := p.Meetings[m].Previous; prev != nil && !x.excluded[m] {
			if c, changed := x.change(m, *prev, reasons[m]); changed {
				out.Changes = append(out.Changes, c)
			}
		}
	}
	slices.SortFunc(out.Assignments, func(a, b Assignment) int {
		return cmp.Or(cmp.Compare(a.Slot, b.Slot), cmp.Compare(a.Table, b.Table))
	})
	slices.SortStableFunc(out.Unscheduled, func(a, b Unplaced) int { return cmp.Compare(b.Priority, a.Priority) })
	out.Breaks, out.MaxBreaks, out.MinBreaks = x.breakStats()
	if p.MaxBreaksSpread != nil {
		for q := range x.nP {
			if x.cnt[q] > 0 && x.breaksOf(q) > out.MinBreaks+*p.MaxBreaksSpread {
				out.OverSpread++
			}
		}
	}
	out.HostOneTable, out.HostMainTable = x.hostTables()
	x.tightenByPriority(&out.Bound, out.PlacedByPriority)
	return out, nil
}

func (x *solver) assignment(m int) Assignment {
	a := Assignment{Meeting: x.m[m].id, Slot: x.slot[m] + 1, Table: x.tID[x.table[m]]}
	if i := x.interp[m]; i >= 0 {
		a.Interpreter = x.pID[i]
	}
	return a
}

func (x *solver) unplaced(m int, r reason) Unplaced {
	return Unplaced{Meeting: x.m[m].id, Priority: x.m[m].prio, Key: r.key, Args: r.args, Reason: MessageEN(r.key, r.args)}
}

// change reports what happened to a meeting that had the seat prev, if it lost it.
func (x *solver) change(m int, prev Seat, r reason) (Change, bool) {
	c := Change{Meeting: x.m[m].id, From: prev, Published: x.p.Meetings[m].Published}
	if x.slot[m] < 0 {
		c.Kind = Dropped
		if r.key == "" {
			r = reason{key: "schedule.priority_first"}
		}
	} else {
		now := Seat{Slot: x.slot[m] + 1, Table: x.tID[x.table[m]]}
		if i := x.interp[m]; i >= 0 {
			now.Interpreter = x.pID[i]
		}
		if now.Slot == prev.Slot && now.Table == prev.Table {
			return c, false
		}
		c.To = &now
		c.Kind = Moved
		if now.Slot == prev.Slot {
			c.Kind = TableChanged
		}
	}
	c.Key, c.Args, c.Reason = r.key, r.args, MessageEN(r.key, r.args)
	return c, true
}

// reason is a message key with its arguments; table says the slot would do but the table not.
type reason struct {
	key   string
	args  models.Args
	table bool
}

// hostTables measures the rule that a host keeps one table a day, over the (host, day) pairs
// with a placed meeting: the share of them on which all the host's meetings sit at one table,
// and the share of hosts' meetings that sit at the table their host uses most that day. Both
// are 1 when no meeting has a host.
func (x *solver) hostTables() (oneTable, mainTable float64) {
	type hostDay struct{ q, day int }
	at := map[hostDay]map[int]int{} // meetings per table
	var days []hostDay
	meetings := 0
	for m := range x.m {
		q := x.m[m].host
		if q < 0 || x.slot[m] < 0 {
			continue
		}
		k := hostDay{q, x.slotDay[x.slot[m]]}
		if at[k] == nil {
			at[k] = map[int]int{}
			days = append(days, k)
		}
		at[k][x.table[m]]++
		meetings++
	}
	if len(days) == 0 {
		return 1, 1
	}
	one, onMain := 0, 0
	for _, k := range days {
		if len(at[k]) == 1 {
			one++
		}
		most := 0
		for _, n := range at[k] {
			most = max(most, n)
		}
		onMain += most
	}
	return float64(one) / float64(len(days)), float64(onMain) / float64(meetings)
}
