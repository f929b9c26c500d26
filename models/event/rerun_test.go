package event

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/hanoi-cnht/portal/models"
)

// publish marks every placed meeting of s as published at its seat, as the portal does before
// a re-run.
func publish(p *Problem, s *Schedule) *Problem {
	q := *p
	q.Meetings = slices.Clone(p.Meetings)
	at := map[string]Seat{}
	for _, a := range s.Assignments {
		at[a.Meeting] = Seat{Slot: a.Slot, Table: a.Table, Interpreter: a.Interpreter}
	}
	for i := range q.Meetings {
		if seat, ok := at[q.Meetings[i].ID]; ok {
			q.Meetings[i].Previous, q.Meetings[i].Published = &seat, true
		}
	}
	return &q
}

// perturb changes about share of the requests: some are cancelled, as many new ones arrive,
// and a few participants become unavailable in a slot where they had a meeting. It returns the
// participants and slots made unavailable.
func perturb(p *Problem, s *Schedule, share float64, seed uint64) map[[2]any]bool {
	r := rand.New(rand.NewPCG(seed, 99))
	n := int(float64(len(p.Meetings)) * share / 2)
	for range n {
		k := r.IntN(len(p.Meetings))
		p.Meetings = slices.Delete(p.Meetings, k, k+1)
	}
	buyers, suppliers := []string{}, []string{}
	for _, ps := range p.Participants {
		switch ps.ID[0] {
		case 'b':
			buyers = append(buyers, ps.ID)
		case 's':
			suppliers = append(suppliers, ps.ID)
		}
	}
	for k := range n {
		p.Meetings = append(p.Meetings, MeetingToPlace{ID: fmt.Sprintf("new%d", k),
			Participants: []string{buyers[r.IntN(len(buyers))], suppliers[r.IntN(len(suppliers))]}, Priority: 1 + r.IntN(2)})
	}
	away := map[[2]any]bool{}
	p.Participants = slices.Clone(p.Participants)
	for range 3 {
		a := s.Assignments[r.IntN(len(s.Assignments))]
		var m *MeetingToPlace
		for i := range p.Meetings {
			if p.Meetings[i].ID == a.Meeting {
				m = &p.Meetings[i]
			}
		}
		if m == nil {
			continue
		}
		who := m.Participants[0]
		for i := range p.Participants {
			if p.Participants[i].ID == who {
				p.Participants[i].Unavailable = append(slices.Clone(p.Participants[i].Unavailable), a.Slot)
			}
		}
		away[[2]any{who, a.Slot}] = true
	}
	return away
}

// TestRerunKeepsPublishedMeetings: after 5 % of the requests change, every published meeting
// that is still possible keeps its slot and table, every one that does not is reported with a
// reason, and at least 95 % keep their seat.
func TestRerunKeepsPublishedMeetings(t *testing.T) {
	for seed := uint64(1); seed <= 10; seed++ {
		p := generate(shapeBrokerage, seed)
		first, err := Solve(p, testOptions(shapeBrokerage, seed))
		if err != nil {
			t.Fatal(err)
		}
		q := publish(p, first)
		away := perturb(q, first, 0.05, seed)
		second, err := Solve(q, testOptions(shapeBrokerage, seed))
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range checkSchedule(q, second) {
			t.Errorf("seed %d: %s", seed, v)
		}
		now := map[string]Seat{}
		for _, a := range second.Assignments {
			now[a.Meeting] = Seat{Slot: a.Slot, Table: a.Table}
		}
		changed := map[string]Change{}
		for _, c := range second.Changes {
			changed[c.Meeting] = c
		}
		published, kept := 0, 0
		for _, m := range q.Meetings {
			if m.Previous == nil {
				continue
			}
			published++
			seat, placed := now[m.ID]
			if placed && seat.Slot == m.Previous.Slot && seat.Table == m.Previous.Table {
				kept++
				if _, ok := changed[m.ID]; ok {
					t.Errorf("seed %d: %s kept its seat but is reported changed", seed, m.ID)
				}
				continue
			}
			c, ok := changed[m.ID]
			if !ok {
				t.Errorf("seed %d: %s lost its seat %v silently", seed, m.ID, *m.Previous)
				continue
			}
			if !away[[2]any{m.Participants[0], m.Previous.Slot}] && !away[[2]any{m.Participants[1], m.Previous.Slot}] {
				t.Errorf("seed %d: %s moved though nothing about it changed: %+v", seed, m.ID, c)
			}
			if c.Key != "schedule.participant_unavailable" {
				t.Errorf("seed %d: %s moved for %s, want participant_unavailable", seed, m.ID, c.Key)
			}
		}
		if kept*100 < published*95 {
			t.Errorf("seed %d: %d of %d published meetings kept their seat", seed, kept, published)
		}
	}
}

// TestFixedMeetingsStayOrConflict: a fixed meeting is placed at its seat, or reported as a
// conflict when it cannot be; it is never moved.
func TestFixedMeetingsStayOrConflict(t *testing.T) {
	p := hand(3, 2, map[string][]int{"a": {2}, "b": nil, "c": nil},
		MeetingToPlace{ID: "ab", Participants: []string{"a", "b"}, Priority: 1, Fixed: &Seat{Slot: 3, Table: 2}},
		MeetingToPlace{ID: "ac", Participants: []string{"a", "c"}, Priority: 1, Fixed: &Seat{Slot: 2}},
		MeetingToPlace{ID: "bc", Participants: []string{"b", "c"}, Priority: 1, Fixed: &Seat{Slot: 3, Table: 2}},
		meeting("cb", 2, "c", "b"))
	s, err := Solve(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range checkSchedule(p, s) {
		t.Error(v)
	}
	got := map[string]string{}
	for _, c := range s.Conflicts {
		got[c.Meeting] = c.Key
	}
	want := map[string]string{"ac": "schedule.participant_unavailable", "bc": "schedule.clash"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("conflicts %v, want %v", got, want)
	}
	if len(s.Assignments) == 0 || s.Assignments[len(s.Assignments)-1] != (Assignment{Meeting: "ab", Slot: 3, Table: 2}) {
		t.Errorf("assignments %+v: ab should stay at slot 3, table 2", s.Assignments)
	}
}

// TestRerunReportsTableChanges: a published meeting whose table is withdrawn keeps its slot,
// gets another table and is reported.
func TestRerunReportsTableChanges(t *testing.T) {
	p := hand(2, 2, map[string][]int{"a": nil, "b": nil},
		MeetingToPlace{ID: "ab", Participants: []string{"a", "b"}, Priority: 1, Previous: &Seat{Slot: 2, Table: 1}, Published: true})
	p.Tables[0].Unavailable = []int{2}
	s, err := Solve(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Changes) != 1 || s.Changes[0].Kind != TableChanged || *s.Changes[0].To != (Seat{Slot: 2, Table: 2}) ||
		s.Changes[0].Key != "schedule.table_unavailable" {
		t.Errorf("changes %+v", s.Changes)
	}
}

// TestBadProblemsAreRefusedByField: a malformed problem gives field errors, never a panic.
func TestBadProblemsAreRefusedByField(t *testing.T) {
	good := func() *Problem {
		return &Problem{Slots: 4, Sessions: []SessionSpan{{Name: "am", Slots: [2]int{1, 2}}},
			Tables:       []TableSpec{{ID: 1}},
			Participants: []Person{{ID: "a"}, {ID: "b"}},
			Meetings:     []MeetingToPlace{{ID: "m", Participants: []string{"a", "b"}}}}
	}
	cases := []struct {
		name  string
		edit  func(p *Problem)
		field string
	}{
		{"ErrSlotsRange", func(p *Problem) { p.Slots = 0 }, "slots"},
		{"ErrSessionPastEnd", func(p *Problem) { p.Sessions[0].Slots[1] = 9 }, "sessions[0].slots[1]"},
		{"ErrNoTables", func(p *Problem) { p.Tables = nil }, "tables"},
		{"ErrDuplicateTable", func(p *Problem) { p.Tables = append(p.Tables, TableSpec{ID: 1}) }, "tables[1].id"},
		{"ErrUnknownParticipant", func(p *Problem) { p.Meetings[0].Participants[1] = "z" }, "meetings[0].participants[1]"},
		{"ErrUnavailableOutOfRange", func(p *Problem) { p.Participants[0].Unavailable = []int{5} }, "participants[0].unavailable[0]"},
		{"ErrUnknownSession", func(p *Problem) { p.Meetings[0].Session = "pm" }, "meetings[0].session"},
		{"ErrFixedSlot", func(p *Problem) { p.Meetings[0].Fixed = &Seat{Slot: 7} }, "meetings[0].fixed.slot"},
		{"ErrFixedTable", func(p *Problem) { p.Meetings[0].Fixed = &Seat{Slot: 1, Table: 3} }, "meetings[0].fixed.table"},
		{"ErrBreaksSpreadNegative", func(p *Problem) { p.MaxBreaksSpread = new(-1) }, "max_breaks_spread"},
		{"ErrDuplicateMeeting", func(p *Problem) { p.Meetings = append(p.Meetings, p.Meetings[0]) }, "meetings[1].id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := good()
			c.edit(p)
			_, err := Solve(p, Options{})
			ve, ok := err.(*models.ValidationError)
			if !ok {
				t.Fatalf("want a validation error, got %v", err)
			}
			if !ve.Has(c.field) {
				t.Errorf("no error on %s: %v", c.field, err)
			}
			for _, f := range ve.Fields {
				if f.Reason == f.Key || f.Reason == "" {
					t.Errorf("%s: key %s has no English text", f.Field, f.Key)
				}
			}
		})
	}
	if _, err := Solve(good(), Options{}); err != nil {
		t.Fatalf("the good problem was refused: %v", err)
	}
}
