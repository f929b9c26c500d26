package event

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestReadProblemFileExample reads the README's example file and checks what it becomes.
func TestReadProblemFileExample(t *testing.T) {
	p := readTestFile(t, "testdata/schedule-example.json")
	if p.Slots != 8 || len(p.Sessions) != 2 || p.Sessions[1] != (SessionSpan{Name: "pm", Slots: [2]int{5, 8}}) {
		t.Errorf("slots %d, sessions %+v", p.Slots, p.Sessions)
	}
	// "tables": [3, 3, 3, 3, 2, 2, 2, 2]: table 3 exists in the morning only.
	if len(p.Tables) != 3 || len(p.Tables[0].Unavailable) != 0 || !slices.Equal(p.Tables[2].Unavailable, []int{5, 6, 7, 8}) {
		t.Errorf("tables %+v", p.Tables)
	}
	if p.MaxBreaksSpread == nil || *p.MaxBreaksSpread != 2 {
		t.Errorf("max_breaks_spread %v", p.MaxBreaksSpread)
	}
	m4 := p.Meetings[3]
	if m4.ID != "m4" || m4.Fixed == nil || m4.Fixed.Slot != 2 || m4.Fixed.Table != 0 || m4.Priority != 2 {
		t.Errorf("m4 is %+v", m4)
	}
	if m := p.Meetings[0]; m.Fixed != nil || m.Session != "" {
		t.Errorf("m1 is %+v", m)
	}
	if m := p.Meetings[5]; len(m.Participants) != 3 || m.Session != "pm" {
		t.Errorf("m6 is %+v", m)
	}
}

func readTestFile(t *testing.T, name string) *Problem {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := ReadProblemFile(f)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestReadProblemFileRefusesBadFiles: each broken file is refused with an error naming the
// field at fault.
func TestReadProblemFileRefusesBadFiles(t *testing.T) {
	const people = `"participants": [{"id": "a"}, {"id": "b"}]`
	const meeting = `"meetings": [{"id": "m1", "participants": ["a", "b"]}]`
	cases := []struct {
		name, file, field, says string
	}{
		{"NotJSON", `{"slots": 4,`, "", "not JSON"},
		{"TrailingData", `{"slots": 4, "tables": 1, ` + people + `, ` + meeting + `} {}`, "", "more follows"},
		{"NotAnObject", `[1, 2]`, "", "must be an object"},
		{"SlotsMissing", `{"tables": 1, ` + people + `, ` + meeting + `}`, "slots", "is required"},
		{"SlotsAString", `{"slots": "4", "tables": 1, ` + people + `, ` + meeting + `}`, "slots", `not the string "4"`},
		{"SlotsFraction", `{"slots": 4.5, "tables": 1, ` + people + `, ` + meeting + `}`, "slots", "whole number"},
		{"SlotsHuge", `{"slots": 1e300, "tables": 1, ` + people + `, ` + meeting + `}`, "slots", "whole number"},
		{"SlotsZero", `{"slots": 0, "tables": 1, ` + people + `, ` + meeting + `}`, "slots", "between 1 and 1000"},
		{"UnknownField", `{"slots": 4, "tables": 1, "colour": "red", ` + people + `, ` + meeting + `}`, "colour", "not part of the format"},
		{"UnknownMeetingField", `{"slots": 4, "tables": 1, ` + people + `, "meetings": [{"id": "m1", "participants": ["a", "b"], "table": 2}]}`, "meetings[0].table", "not part of the format"},
		{"TablesZero", `{"slots": 4, "tables": 0, ` + people + `, ` + meeting + `}`, "tables", "between 1 and"},
		{"TablesTooMany", `{"slots": 4, "tables": 100000000, ` + people + `, ` + meeting + `}`, "tables", "between 1 and"},
		{"TablesPerSlotWrongLength", `{"slots": 4, "tables": [2, 2], ` + people + `, ` + meeting + `}`, "tables", "needs 4"},
		{"TablesPerSlotNegative", `{"slots": 2, "tables": [2, -1], ` + people + `, ` + meeting + `}`, "tables[1]", "between 0 and"},
		{"TablesPerSlotNone", `{"slots": 2, "tables": [0, 0], ` + people + `, ` + meeting + `}`, "tables", "no slot has a table"},
		{"TablesAString", `{"slots": 2, "tables": "many", ` + people + `, ` + meeting + `}`, "tables", "whole number"},
		{"SessionSlotsNotAPair", `{"slots": 4, "sessions": [{"name": "am", "slots": [1]}], "tables": 1, ` + people + `, ` + meeting + `}`, "sessions[0].slots", "[first, last]"},
		{"SessionBackwards", `{"slots": 4, "sessions": [{"name": "am", "slots": [3, 1]}], "tables": 1, ` + people + `, ` + meeting + `}`, "sessions[0].slots[1]", "not after it starts"},
		{"SessionOutOfRange", `{"slots": 4, "sessions": [{"name": "am", "slots": [1, 9]}], "tables": 1, ` + people + `, ` + meeting + `}`, "sessions[0].slots[1]", "slot 9 does not exist"},
		{"SpreadNegative", `{"slots": 4, "tables": 1, "max_breaks_spread": -1, ` + people + `, ` + meeting + `}`, "max_breaks_spread", "between 0 and 4"},
		{"ParticipantWithoutID", `{"slots": 4, "tables": 1, "participants": [{"id": "a"}, {"unavailable": [1]}], ` + meeting + `}`, "participants[1].id", "is required"},
		{"ParticipantTwice", `{"slots": 4, "tables": 1, "participants": [{"id": "a"}, {"id": "b"}, {"id": "a"}], ` + meeting + `}`, "participants[2].id", "more than once"},
		{"UnavailableOutOfRange", `{"slots": 4, "tables": 1, "participants": [{"id": "a", "unavailable": [2, 5]}, {"id": "b"}], ` + meeting + `}`, "participants[0].unavailable[1]", "slot 5 does not exist"},
		{"UnavailableNotAList", `{"slots": 4, "tables": 1, "participants": [{"id": "a", "unavailable": 2}, {"id": "b"}], ` + meeting + `}`, "participants[0].unavailable", "must be a list"},
		{"MeetingOfOne", `{"slots": 4, "tables": 1, ` + people + `, "meetings": [{"id": "m1", "participants": ["a"]}]}`, "meetings[0].participants", "two participants or more"},
		{"MeetingUnknownParticipant", `{"slots": 4, "tables": 1, ` + people + `, "meetings": [{"id": "m1", "participants": ["a", "z"]}]}`, "meetings[0].participants[1]", `"z" is not registered`},
		{"MeetingParticipantNumber", `{"slots": 4, "tables": 1, ` + people + `, "meetings": [{"id": "m1", "participants": ["a", 7]}]}`, "meetings[0].participants[1]", "must be a string"},
		{"MeetingTwice", `{"slots": 4, "tables": 1, ` + people + `, "meetings": [{"id": "m1", "participants": ["a", "b"]}, {"id": "m1", "participants": ["b", "a"]}]}`, "meetings[1].id", "more than once"},
		{"MeetingUnknownSession", `{"slots": 4, "tables": 1, ` + people + `, "meetings": [{"id": "m1", "participants": ["a", "b"], "session": "pm"}]}`, "meetings[0].session", `"pm" is not a session`},
		{"FixedSlotAString", `{"slots": 4, "tables": 1, ` + people + `, "meetings": [{"id": "m0", "participants": ["a", "b"]}, {"id": "m1", "participants": ["a", "b"], "fixed_slot": "2"}]}`, "meetings[1].fixed_slot", "whole number"},
		{"FixedSlotOutOfRange", `{"slots": 4, "tables": 1, ` + people + `, "meetings": [{"id": "m1", "participants": ["a", "b"], "fixed_slot": 7}]}`, "meetings[0].fixed_slot", "slot 7 does not exist"},
		{"PriorityNull", `{"slots": 4, "tables": 1, ` + people + `, "meetings": [{"id": "m1", "participants": ["a", "b"], "priority": null}]}`, "meetings[0].priority", "not null"},
		{"MeetingsNotAList", `{"slots": 4, "tables": 1, ` + people + `, "meetings": {"id": "m1"}}`, "meetings", "must be a list"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := ReadProblemFile(strings.NewReader(c.file))
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("got %+v, %v; want a FileError", p, err)
			}
			if !fe.Has(c.field) {
				t.Fatalf("error %q does not name the field %q", err, c.field)
			}
			if !strings.Contains(err.Error(), c.says) {
				t.Errorf("error %q does not say %q", err, c.says)
			}
			if c.field != "" && !strings.Contains(err.Error(), c.field+": ") {
				t.Errorf("error %q does not put the field first", err)
			}
		})
	}
}

// problemAsFile writes a generated problem in the file format, leaving out what the format does
// not have (interpreters, chairs, hosts, caps).
func problemAsFile(p *Problem) []byte {
	type session struct {
		Name  string `json:"name"`
		Slots [2]int `json:"slots"`
	}
	type person struct {
		ID          string `json:"id"`
		Unavailable []int  `json:"unavailable,omitempty"`
	}
	type meeting struct {
		ID           string   `json:"id"`
		Participants []string `json:"participants"`
		Session      string   `json:"session,omitempty"`
		FixedSlot    int      `json:"fixed_slot"`
		Priority     int      `json:"priority"`
	}
	f := struct {
		Slots        int       `json:"slots"`
		Sessions     []session `json:"sessions,omitempty"`
		Tables       []int     `json:"tables"`
		Spread       *int      `json:"max_breaks_spread,omitempty"`
		Participants []person  `json:"participants"`
		Meetings     []meeting `json:"meetings"`
	}{Slots: p.Slots, Spread: p.MaxBreaksSpread}
	for _, s := range p.Sessions {
		f.Sessions = append(f.Sessions, session{s.Name, s.Slots})
	}
	for s := 1; s <= p.Slots; s++ {
		n := 0
		for _, t := range p.Tables {
			if !slices.Contains(t.Unavailable, s) {
				n++
			}
		}
		f.Tables = append(f.Tables, n)
	}
	for _, ps := range p.Participants {
		f.Participants = append(f.Participants, person{ps.ID, ps.Unavailable})
	}
	for _, m := range p.Meetings {
		fm := meeting{ID: m.ID, Participants: m.Participants, Session: m.Session, Priority: m.Priority}
		if m.Fixed != nil {
			fm.FixedSlot = m.Fixed.Slot
		}
		f.Meetings = append(f.Meetings, fm)
	}
	b, err := json.Marshal(f)
	if err != nil {
		panic(err)
	}
	return b
}

// solveAsFile reads a problem file, solves it and returns the schedule file as a program
// reading the output would see it.
func solveAsFile(t *testing.T, file []byte) (*Problem, *ScheduleFile) {
	t.Helper()
	p, err := ReadProblemFile(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	s, err := SolveFile(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back ScheduleFile
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&back); err != nil {
		t.Fatal(err)
	}
	return p, &back
}

// TestSolveFileOutputIsChecked solves the example and generated problems through the file
// format and checks each output file with the independent checker.
func TestSolveFileOutputIsChecked(t *testing.T) {
	example, err := os.ReadFile("testdata/schedule-example.json")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"example": example}
	for seed := uint64(1); seed <= 5; seed++ {
		g := generate(shapeBrokerage, seed)
		g.MaxBreaksSpread = new(breaksSpread)
		// Fix a few meetings where an earlier schedule put them, as staff lock meetings.
		first, err := Solve(g, Options{BreakMoves: -1})
		if err != nil {
			t.Fatal(err)
		}
		for k, a := range first.Assignments {
			if k%20 == 0 {
				for i := range g.Meetings {
					if g.Meetings[i].ID == a.Meeting {
						g.Meetings[i].Fixed = &Seat{Slot: a.Slot}
					}
				}
			}
		}
		files[fmt.Sprintf("brokerage-%d", seed)] = problemAsFile(g)
		files[fmt.Sprintf("small-%d", seed)] = problemAsFile(smallProblem(seed))
	}
	for _, name := range sortedKeys(files) {
		p, s := solveAsFile(t, files[name])
		for _, v := range CheckScheduleFile(p, s) {
			t.Errorf("%s: %s", name, v)
		}
		if len(s.Assignments) == 0 {
			t.Errorf("%s: nothing placed", name)
		}
		t.Logf("%s: %d of %d placed, upper bound %d, breaks %d (%d–%d)", name, len(s.Assignments), len(p.Meetings), s.UpperBound, s.Breaks, s.MinBreaks, s.MaxBreaks)
	}
}

// TestCheckScheduleFileFindsFaults: the checker is not satisfied by anything. Each fault is
// made in a valid schedule and must be reported.
func TestCheckScheduleFileFindsFaults(t *testing.T) {
	example, err := os.ReadFile("testdata/schedule-example.json")
	if err != nil {
		t.Fatal(err)
	}
	p, good := solveAsFile(t, example)
	if bad := CheckScheduleFile(p, good); len(bad) > 0 {
		t.Fatalf("the valid schedule is refused: %v", bad)
	}
	at := func(s *ScheduleFile, id string) *FileAssignment {
		for i := range s.Assignments {
			if s.Assignments[i].Meeting == id {
				return &s.Assignments[i]
			}
		}
		t.Fatalf("%s is not placed", id)
		return nil
	}
	faults := []struct {
		name, says string
		spoil      func(s *ScheduleFile)
	}{
		{"DoubleBooking", "double-booked", func(s *ScheduleFile) { *at(s, "m3") = FileAssignment{"m3", at(s, "m1").Slot, 3} }},
		{"TableTwice", "table", func(s *ScheduleFile) { a := at(s, "m7"); b := at(s, "m5"); b.Slot, b.Table = a.Slot, a.Table }},
		{"TableMissingInSlot", "does not exist in slot", func(s *ScheduleFile) { a := at(s, "m6"); a.Slot, a.Table = 8, 3 }},
		{"Unavailable", "unavailable", func(s *ScheduleFile) { a := at(s, "m7"); a.Slot = 6 }},
		{"OutsideSession", "outside its session", func(s *ScheduleFile) { a := at(s, "m2"); a.Slot = 7 }},
		{"FixedMoved", "fixed at slot 2", func(s *ScheduleFile) { a := at(s, "m4"); a.Slot = 8 }},
		{"Lost", "neither placed nor unscheduled", func(s *ScheduleFile) { s.Assignments = s.Assignments[1:] }},
		{"Twice", "both assigned and unscheduled", func(s *ScheduleFile) { s.Unscheduled = append(s.Unscheduled, s.Assignments[0].Meeting) }},
		{"BreaksWrong", "the assignments give", func(s *ScheduleFile) { s.Breaks++ }},
		{"MaxBreaksWrong", "the assignments give", func(s *ScheduleFile) { s.MaxBreaks += 2 }},
		{"AboveBound", "above the upper bound", func(s *ScheduleFile) { s.UpperBound = 3 }},
	}
	for _, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			s := *good
			s.Assignments = slices.Clone(good.Assignments)
			s.Unscheduled = slices.Clone(good.Unscheduled)
			f.spoil(&s)
			bad := CheckScheduleFile(p, &s)
			if !slices.ContainsFunc(bad, func(v string) bool { return strings.Contains(v, f.says) }) {
				t.Errorf("the checker says %q, nothing about %q", bad, f.says)
			}
		})
	}
}

// TestSolveFileRefusesAFixedMeetingThatCannotStay: a meeting fixed in a slot where a participant
// is away is an error that names it, not a schedule without it.
func TestSolveFileRefusesAFixedMeetingThatCannotStay(t *testing.T) {
	p := readTestFile(t, "testdata/schedule-fixed-conflict.json")
	s, err := SolveFile(p, Options{})
	var fc *FixedConflictError
	if !errors.As(err, &fc) {
		t.Fatalf("got %+v, %v; want a FixedConflictError", s, err)
	}
	if len(fc.Conflicts) != 1 || fc.Conflicts[0].Meeting != "m1" || !strings.Contains(err.Error(), "b1 is not available in slot 3") {
		t.Errorf("error %q", err)
	}
}

// FuzzReadProblemFile: no file makes the reader or the scheduler panic; a file the reader takes
// gives a schedule the checker accepts, or a fixed meeting it refuses.
//
//	go test ./models/event -run '^$' -fuzz FuzzReadProblemFile -fuzztime 30s
func FuzzReadProblemFile(f *testing.F) {
	for _, name := range []string{"testdata/schedule-example.json", "testdata/schedule-fixed-conflict.json"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(problemAsFile(smallProblem(1)))
	f.Add(problemAsFile(smallProblem(2)))
	for _, s := range []string{
		`{"slots": 2, "tables": [1, 0], "participants": [{"id": "a"}, {"id": "b"}, {"id": "c"}], "meetings": [{"id": "m", "participants": ["a", "b", "c"]}]}`,
		`{"slots": 4, "tables": 1e3, "participants": [], "meetings": []}`,
		`{"slots": 4, "sessions": [{"name": "x", "slots": [2, 1]}], "tables": 1, "participants": [{"id": ""}], "meetings": [{"id": "m", "participants": ["", ""], "fixed_slot": -1}]}`,
		`{"slots": -3, "tables": [], "participants": null, "meetings": [null]}`,
		`{"slots": 1, "tables": 1, "participants": [{"id": "a"}, {"id": "b"}], "meetings": [{"id": "m", "participants": ["a", "b"], "priority": -9007199254740993}]}`,
		`[`, `{}`, `null`, `"x"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ReadProblemFile(bytes.NewReader(data))
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) || len(fe.Fields) == 0 {
				t.Fatalf("error %v is not a FileError naming fields", err)
			}
			return
		}
		if len(p.Meetings) > 200 || p.Slots*len(p.Tables) > 100000 || p.Slots*len(p.Participants) > 100000 {
			return // valid, but too big to solve at fuzzing speed
		}
		s, err := SolveFile(p, Options{Effort: 50})
		if err != nil {
			var fc *FixedConflictError
			if !errors.As(err, &fc) {
				t.Fatalf("a file that was read gives %v", err)
			}
			return
		}
		for _, v := range CheckScheduleFile(p, s) {
			t.Error(v)
		}
	})
}

// TestSolveWithinATimeLimit: a time limit too short for the repair still gives a valid
// schedule, and never a better one than without it.
func TestSolveWithinATimeLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("solves a fair-sized instance")
	}
	p := generate(shapeFair2000, 1)
	cut, err := Solve(p, Options{TimeLimit: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range checkSchedule(p, cut) {
		t.Error(v)
	}
	full, err := Solve(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("placed %d in a millisecond's repair, %d without a limit (bound %d)", cut.Placed, full.Placed, full.Bound.Total)
	// The repair only ever improves by the order "priority first", so the full run is at least
	// as good by it.
	delta := map[int]int{}
	for prio, n := range cut.PlacedByPriority {
		delta[prio] += n
	}
	for prio, n := range full.PlacedByPriority {
		delta[prio] -= n
	}
	if improves(delta) {
		t.Errorf("the cut run placed %v, better than the full run's %v", cut.PlacedByPriority, full.PlacedByPriority)
	}
}
