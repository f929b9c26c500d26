package event

import (
	"slices"
	"testing"
)

// TestBoundNeverBelowTheOptimum compares the bounds with exhaustive search on small random
// problems: AnySchedule is never below the most meetings any schedule places (whatever their
// priority), and Total, which PriorityFirst may lower, is never below what the best schedule by
// the order "priority first" places.
func TestBoundNeverBelowTheOptimum(t *testing.T) {
	const seeds = 600
	tighter, usedPriority := 0, 0
	for seed := uint64(1); seed <= seeds; seed++ {
		p := smallProblem(seed)
		s, err := Solve(p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		best := exactOptimum(p)
		bestTotal := 0
		for _, n := range best {
			bestTotal += n
		}
		// The most meetings whatever their priority: the same problem with one priority.
		flat := *p
		flat.Meetings = slices.Clone(p.Meetings)
		for i := range flat.Meetings {
			flat.Meetings[i].Priority = 1
		}
		most := exactOptimum(&flat)[1]
		b := s.Bound
		if b.AnySchedule < most {
			t.Errorf("seed %d: AnySchedule %d below the most meetings a schedule places, %d", seed, b.AnySchedule, most)
		}
		if b.Total < bestTotal {
			t.Errorf("seed %d: Total %d (PriorityFirst %d) below the best schedule's %d meetings %v", seed, b.Total, b.PriorityFirst, bestTotal, best)
		}
		if b.PriorityFirst != 0 {
			usedPriority++
			if b.PriorityFirst < bestTotal {
				t.Errorf("seed %d: PriorityFirst %d below the best schedule's %d", seed, b.PriorityFirst, bestTotal)
			}
			if b.PriorityFirst < b.AnySchedule {
				tighter++
			}
		}
		if b.Total > b.AnySchedule {
			t.Errorf("seed %d: Total %d above AnySchedule %d", seed, b.Total, b.AnySchedule)
		}
	}
	t.Logf("PriorityFirst applies on %d of %d problems and is tighter than AnySchedule on %d", usedPriority, seeds, tighter)
	if tighter == 0 {
		t.Error("PriorityFirst is never tighter: the test does not exercise it")
	}
}

// TestBoundCountsWhatPriorityCosts: a must-meet meeting a–b in the only slot rules out the two
// would-like meetings a–c and b–d. Any schedule could place two meetings; the best one by
// priority places one, and the bound says so.
func TestBoundCountsWhatPriorityCosts(t *testing.T) {
	p := hand(1, 2, map[string][]int{"a": nil, "b": nil, "c": nil, "d": nil},
		meeting("ab", 2, "a", "b"), meeting("ac", 1, "a", "c"), meeting("bd", 1, "b", "d"))
	s, err := Solve(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.PlacedByPriority[2] != 1 || s.Placed != 1 {
		t.Fatalf("placed %v", s.PlacedByPriority)
	}
	if s.Bound.AnySchedule != 2 || s.Bound.PriorityFirst != 1 || s.Bound.Total != 1 {
		t.Errorf("bound %+v; want AnySchedule 2, PriorityFirst 1, Total 1", s.Bound)
	}
}
