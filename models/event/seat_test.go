package event

import (
	"testing"
)

// TestCheckSeat: moving a meeting is checked against the scheduler's rules, each broken rule
// named once, hard or overridable.
func TestCheckSeat(t *testing.T) {
	e := fair()
	people := map[string]*Participant{
		"b1": {ID: "b1", Side: Buyer, Name: "Buyer 1", Attendees: []Attendee{{Name: "A"}, {Name: "B"}, {Name: "C"}}},
		"s1": {ID: "s1", Side: Supplier, Name: "Supplier 1", Attendees: []Attendee{{Name: "D"}, {Name: "E"}}, Unavailable: []int{3}},
		"s2": {ID: "s2", Side: Supplier, Name: "Supplier 2"},
	}
	m := Meeting{ID: "m1", Participants: []string{"b1", "s1"}, Slot: 1, Table: 2}
	others := []Meeting{m, {ID: "m2", Participants: []string{"b1", "s2"}, Slot: 2, Table: 1}}
	keys := func(cs []SeatConflict) map[string]bool {
		out := map[string]bool{}
		for _, c := range cs {
			out[c.Key] = c.Hard
		}
		return out
	}
	for name, c := range map[string]struct {
		slot, table int
		want        map[string]bool // key → hard
	}{
		"Free":                    {4, 2, map[string]bool{}},
		"ErrUnknownSlot":          {99, 1, map[string]bool{"event.unknown_slot": true}},
		"ErrUnknownTable":         {4, 9, map[string]bool{"event.unknown_table": true}},
		"ErrTakenAndDoubleBooked": {2, 1, map[string]bool{"event.table_taken": true, "event.double_booked": true, "event.too_few_chairs": false}},
		"ErrDoubleBookedOnly":     {2, 2, map[string]bool{"event.double_booked": true}},
		"WarnUnavailable":         {3, 2, map[string]bool{"event.unavailable": false}},
		"WarnChairs":              {4, 1, map[string]bool{"event.too_few_chairs": false}},
	} {
		t.Run(name, func(t *testing.T) {
			got := keys(e.CheckSeat(m, c.slot, c.table, others, people))
			if len(got) != len(c.want) {
				t.Fatalf("conflicts %v, want %v", got, c.want)
			}
			for k, hard := range c.want {
				if h, ok := got[k]; !ok || h != hard {
					t.Fatalf("conflicts %v, want %v", got, c.want)
				}
			}
		})
	}
	t.Run("WarnSessionCap", func(t *testing.T) {
		// Slot 2 is the same morning as slot 4 (after the coffee break): s2's meeting there
		// would be its second in the session with a cap of one.
		e.MaxPerSession = 1
		defer func() { e.MaxPerSession = 0 }()
		m3 := Meeting{ID: "m3", Participants: []string{"s2", "b9"}, Slot: 8, Table: 2}
		got := keys(e.CheckSeat(m3, 5, 2, append(others, m3), people))
		if h, ok := got["event.session_cap"]; !ok || h {
			t.Fatalf("conflicts %v", got)
		}
	})
}

// TestHistoryCheck: a history holds together or says what does not.
func TestHistoryCheck(t *testing.T) {
	base := func() History {
		people := []Attendee{{Name: "An"}}
		return History{Record: Record{Event: *fair()},
			Registrations: []HistoryRegistration{
				{Registration: Registration{Side: Buyer, Company: "B", Languages: []string{"vi"}, Attendees: people}, Account: "b@example.com"},
				{Registration: Registration{Side: Supplier, Company: "S", Languages: []string{"vi"}, Attendees: people}, Account: "s@example.com"},
				{Registration: Registration{Side: Supplier, Company: "T", Languages: []string{"vi"}, Attendees: people}, Account: "s@example.com"},
			},
			Requests: []HistoryRequest{{From: 0, To: 1, Priority: MustMeet, State: Accepted, Made: fair().RequestsOpen, Answered: &fair().RequestsOpen},
				{From: 0, To: 2, Priority: WouldLike, State: Accepted, Made: fair().RequestsOpen, Answered: &fair().RequestsOpen}},
			Meetings: []HistoryMeeting{{Request: 0, Slot: 1, Table: 1, Status: Held}}}
	}
	if h := base(); h.Check() != nil {
		t.Fatal(h.Check())
	}
	for name, spoil := range map[string]func(h *History){
		"ErrSameSides":     func(h *History) { h.Requests[0].To = 0 },
		"ErrNotAccepted":   func(h *History) { h.Requests[0].State = Declined },
		"ErrDoubleBooked":  func(h *History) { h.Meetings = append(h.Meetings, HistoryMeeting{Request: 1, Slot: 1, Table: 2}) },
		"ErrTableTaken":    func(h *History) { h.Meetings = append(h.Meetings, HistoryMeeting{Request: 1, Slot: 1, Table: 1}) },
		"ErrUnavailable":   func(h *History) { h.Registrations[1].Unavailable = []int{1} },
		"ErrNoAccount":     func(h *History) { h.Registrations[2].Account = "" },
		"ErrUnknownStatus": func(h *History) { h.Meetings[0].Status = "late" },
	} {
		t.Run(name, func(t *testing.T) {
			h := base()
			spoil(&h)
			if h.Check() == nil {
				t.Fatal("accepted")
			}
		})
	}
}
