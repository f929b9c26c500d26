package event

import (
	"maps"
	"testing"
)

// TestBreakSearchKeepsMeetingsAndLowersBreaks solves problems with and without the search for
// fewer breaks: with it, every schedule is valid, places the same meetings of each priority,
// and the breaks over all problems of a shape are fewer.
func TestBreakSearchKeepsMeetingsAndLowersBreaks(t *testing.T) {
	shapes := []struct {
		sh    shape
		seeds uint64
		moves int
	}{
		{shapeSmall, 100, 0},
		{shape{name: "capped", buyers: 6, suppliers: 10, days: 2, slotsPerDay: 6, tables: 4, requests: 40,
			unavailable: 0.1, mustMeet: 0.4, interpreters: 2, capPerSession: 2, chairsVary: true}, 30, 0},
		{shapeBrokerage, 3, 300_000},
	}
	for _, c := range shapes {
		t.Run(c.sh.name, func(t *testing.T) {
			without, with := 0, 0
			for seed := uint64(1); seed <= c.seeds; seed++ {
				p := generate(c.sh, seed)
				p.MaxBreaksSpread = new(breaksSpread)
				a, err := Solve(p, Options{BreakMoves: -1})
				if err != nil {
					t.Fatal(err)
				}
				b, err := Solve(p, Options{BreakMoves: c.moves})
				if err != nil {
					t.Fatal(err)
				}
				for _, v := range checkSchedule(p, b) {
					t.Errorf("seed %d: %s", seed, v)
				}
				if !maps.Equal(a.PlacedByPriority, b.PlacedByPriority) {
					t.Errorf("seed %d: placed %v without the break search, %v with it", seed, a.PlacedByPriority, b.PlacedByPriority)
				}
				without += a.Breaks
				with += b.Breaks
			}
			t.Logf("%s: %d breaks without the search, %d with it", c.sh.name, without, with)
			if with > without || without > 0 && with == without {
				t.Errorf("%s: %d breaks with the search, %d without", c.sh.name, with, without)
			}
		})
	}
}

// TestBreakSearchClosesGaps: A meets C, D and E, B meets C and D, in six slots on two tables;
// there is a schedule without a break (B–D, then A–D with B–C, then A–C, A–E), and the
// scheduler finds one.
func TestBreakSearchClosesGaps(t *testing.T) {
	p := hand(6, 2, map[string][]int{"A": nil, "B": nil, "C": nil, "D": nil, "E": nil},
		meeting("m1", 1, "A", "C"), meeting("m2", 1, "A", "D"), meeting("m3", 1, "A", "E"),
		meeting("m4", 1, "B", "C"), meeting("m5", 1, "B", "D"))
	s, err := Solve(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range checkSchedule(p, s) {
		t.Error(v)
	}
	if s.Placed != 5 || s.Breaks != 0 {
		t.Errorf("placed %d with %d breaks, want 5 with none: %+v", s.Placed, s.Breaks, s.Assignments)
	}
}
