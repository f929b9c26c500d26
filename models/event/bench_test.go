package event

import (
	"testing"
	"time"
)

// breaksSpread is the spread of breaks asked of generated instances, as in the example.
const breaksSpread = 2

// BenchmarkSchedule solves generated instances of the shapes of real events and reports, per
// instance, meetings placed against the proven upper bound, must-meet meetings against theirs,
// total breaks and their spread between participants.
//
//	go test ./models/event -run '^$' -bench Schedule -benchtime 3x
func BenchmarkSchedule(b *testing.B) {
	for _, sh := range []shape{shapeBrokerage, shapeFair2000, shapeFair3000} {
		p := generate(sh, 1)
		p.MaxBreaksSpread = new(breaksSpread)
		b.Run(sh.name, func(b *testing.B) {
			var s *Schedule
			start := time.Now()
			for b.Loop() {
				var err error
				if s, err = Solve(p, Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(s.Placed), "placed")
			b.ReportMetric(float64(s.Bound.Total), "bound")
			b.ReportMetric(100*float64(s.Placed)/float64(s.Bound.Total), "%bound")
			b.ReportMetric(float64(s.Bound.AnySchedule), "bound-any-schedule")
			b.ReportMetric(100*float64(s.PlacedByPriority[2])/float64(max(1, s.Bound.AtLeast[2])), "%must-bound")
			b.ReportMetric(float64(s.Breaks), "breaks")
			b.ReportMetric(float64(s.MaxBreaks-s.MinBreaks), "break-spread")
			b.ReportMetric(float64(s.OverSpread), "over-spread")
			b.ReportMetric(100*s.HostOneTable, "%host-one-table")
			b.ReportMetric(100*s.HostMainTable, "%host-main-table")
			b.ReportMetric(time.Since(start).Seconds()/float64(b.N), "s/solve")
		})
	}
}

// TestScheduleAgainstItsBound solves several generated instances of each shape and logs placed
// against bound; it fails if any falls below a floor that the current algorithm meets, so that a
// change that makes it worse is seen.
//
//	go test ./models/event -run AgainstItsBound -v
func TestScheduleAgainstItsBound(t *testing.T) {
	if testing.Short() {
		t.Skip("solves instances of full size")
	}
	floors := map[string]float64{shapeBrokerage.name: 0.99, shapeFair2000.name: 0.99, shapeFair3000.name: 0.99}
	for _, sh := range []shape{shapeBrokerage, shapeFair2000, shapeFair3000} {
		for seed := uint64(1); seed <= 3; seed++ {
			p := generate(sh, seed)
			p.MaxBreaksSpread = new(breaksSpread)
			start := time.Now()
			s, err := Solve(p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			took := time.Since(start)
			for _, v := range checkSchedule(p, s) {
				t.Errorf("%s seed %d: %s", sh.name, seed, v)
			}
			ratio := float64(s.Placed) / float64(s.Bound.Total)
			t.Logf("%s seed %d: placed %d / bound %d = %.1f %% (bounds: priority first %d, any schedule %d = least of meetings %d, slots %d, participants %d); must-meet %d / %d; breaks %d (%d–%d, %d over the spread of %d); buyers on one table a day %.0f %% (meetings at the buyer's main table %.0f %%); %.2fs",
				sh.name, seed, s.Placed, s.Bound.Total, 100*ratio, s.Bound.PriorityFirst, s.Bound.AnySchedule, s.Bound.Meetings, s.Bound.Slots, s.Bound.Participants,
				s.PlacedByPriority[2], s.Bound.AtLeast[2], s.Breaks, s.MinBreaks, s.MaxBreaks, s.OverSpread, breaksSpread, 100*s.HostOneTable, 100*s.HostMainTable, took.Seconds())
			if ratio < floors[sh.name] {
				t.Errorf("%s seed %d: %.1f %% of the bound, below the floor of %.1f %%", sh.name, seed, 100*ratio, 100*floors[sh.name])
			}
		}
	}
}
