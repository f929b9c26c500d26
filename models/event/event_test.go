package event

import (
	"testing"
	"time"

	"github.com/hanoi-cnht/portal/models"
)

func clock(s string) Clock {
	c, err := ParseClock(s)
	if err != nil {
		panic(err)
	}
	return c
}

// fair is a two-day event: mornings 08:30–12:00 with a coffee break, afternoons 13:30–17:00,
// meetings of 25 minutes.
func fair() *Event {
	session := func(name, start, end string, breaks ...Break) Session {
		return Session{Name: name, Start: clock(start), End: clock(end), MeetingMinutes: 25, Breaks: breaks}
	}
	day := func(d int) Day {
		return Day{Date: *models.DateOf(2026, 10, d), Sessions: []Session{
			session("afternoon", "13:30", "17:00"),
			session("morning", "08:30", "12:00", Break{Name: "coffee", Start: clock("10:10"), End: clock("10:30")}),
		}}
	}
	open := time.Date(2026, 8, 1, 0, 0, 0, 0, models.Hanoi)
	return &Event{NameVI: "Kết nối công nghiệp hỗ trợ Hà Nội 2026", NameEN: "Hanoi Supporting Industry Matching 2026",
		Venue: "Cung Văn hoá Hữu nghị", Days: []Day{day(14), day(15)},
		Tables:            []Table{{Number: 1, Chairs: 4}, {Number: 2, Chairs: 6, Zone: "A"}},
		Languages:         []LanguageOffer{{Code: "vi"}, {Code: "ja", Interpreters: 2}},
		RegistrationOpens: open, RegistrationCloses: open.AddDate(0, 1, 0),
		RequestsOpen: open.AddDate(0, 0, 15), RequestsClose: open.AddDate(0, 2, 0), AnswerWithin: 72 * time.Hour,
		MaxMeetings: 12, Direction: BothWays}
}

func TestSlotsSkipBreaksAndFollowTime(t *testing.T) {
	slots := fair().Slots()
	// Morning: 08:30 … 09:45 (4 meetings end by 10:10), then 10:30 … 11:35 (3 end by 12:00);
	// afternoon: 13:30 … 16:35 (8 end by 17:00). 15 a day.
	if len(slots) != 30 {
		t.Fatalf("%d slots, want 30", len(slots))
	}
	starts := []string{}
	for _, s := range slots[:15] {
		starts = append(starts, s.Start.Format("15:04"))
	}
	want := "08:30 08:55 09:20 09:45 10:30 10:55 11:20 13:30 13:55 14:20 14:45 15:10 15:35 16:00 16:25"
	if got := joinSpace(starts); got != want {
		t.Errorf("day one starts\n got %s\nwant %s", got, want)
	}
	for i, s := range slots {
		if s.Number != i+1 || i > 0 && !s.Start.After(slots[i-1].Start) {
			t.Fatalf("slot %d out of order: %+v", i, s)
		}
	}
	if slots[15].Day != 1 || slots[15].Session != 2 || slots[15].Start.Format("2006-01-02 15:04") != "2026-10-15 08:30" {
		t.Errorf("first slot of day two: %+v", slots[15])
	}
}

func joinSpace(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += " "
		}
		out += s
	}
	return out
}

func TestEventValidate(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(e *Event)
		field string
		key   string
	}{
		{"ErrNameRequired", func(e *Event) { e.NameEN = " " }, "name_en", "validation.required"},
		{"ErrSessionOrder", func(e *Event) { e.Days[0].Sessions[0].End = clock("12:00") }, "days[0].sessions[0].end", "event.order"},
		{"ErrBreakOutside", func(e *Event) {
			e.Days[0].Sessions[1].Breaks[0] = Break{Name: "lunch", Start: clock("12:00"), End: clock("13:00")}
		}, "days[0].sessions[1].breaks[0]", "event.break_outside"},
		{"ErrSessionsOverlap", func(e *Event) { e.Days[0].Sessions[0].Start = clock("11:00") }, "days[0].sessions[1]", "event.overlap"},
		{"ErrNoSlot", func(e *Event) { e.Days[1].Sessions[0].MeetingMinutes = 120; e.Days[1].Sessions[0].End = clock("15:00") }, "days[1].sessions[0]", "event.no_slot"},
		{"ErrMeetingLength", func(e *Event) { e.Days[0].Sessions[0].MeetingMinutes = 5 }, "days[0].sessions[0].meeting_minutes", "validation.number_range"},
		{"ErrDuplicateTable", func(e *Event) { e.Tables[1].Number = 1 }, "tables[1].number", "event.duplicate"},
		{"ErrChairs", func(e *Event) { e.Tables[0].Chairs = 1 }, "tables[0].chairs", "validation.number_range"},
		{"ErrLanguage", func(e *Event) { e.Languages[1].Code = "Japanese" }, "languages[1].code", "event.language"},
		{"ErrWindowOrder", func(e *Event) { e.RequestsClose = e.RequestsOpen }, "requests_closes", "event.window_order"},
		{"ErrWindowLate", func(e *Event) { e.RegistrationCloses = e.Slots()[1].Start }, "registration_closes", "event.window_late"},
		{"ErrDirection", func(e *Event) { e.Direction = "any" }, "direction", "event.direction"},
	}
	if err := fair().Validate(); err != nil {
		t.Fatalf("the sample event is refused: %v", err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := fair()
			c.edit(e)
			err := e.Validate()
			ve, ok := err.(*models.ValidationError)
			if !ok {
				t.Fatalf("want a validation error, got %v", err)
			}
			found := false
			for _, f := range ve.Fields {
				if f.Field == c.field && f.Key == c.key {
					found = true
				}
				if f.Reason == f.Key {
					t.Errorf("%s: %s has no English text", f.Field, f.Key)
				}
			}
			if !found {
				t.Errorf("want %s on %s, got %v", c.key, c.field, err)
			}
		})
	}
}

func TestRequestRules(t *testing.T) {
	e := fair()
	e.Direction = BuyersToSuppliers
	people := map[string]*Participant{
		"b": {ID: "b", Side: Buyer, Languages: []string{"ja"}},
		"s": {ID: "s", Side: Supplier, Languages: []string{"vi"}},
	}
	now := e.RequestsOpen.Add(time.Hour)
	r := Request{ID: "r1", From: "b", To: "s", Priority: MustMeet, State: Requested, Made: now}
	if err := e.CheckRequest(&r, people, nil, now); err != nil {
		t.Fatalf("a buyer's request was refused: %v", err)
	}
	t.Run("ErrDirection", func(t *testing.T) {
		back := Request{ID: "r2", From: "s", To: "b", Priority: WouldLike}
		if err := e.CheckRequest(&back, people, nil, now); err == nil || !err.(*models.ValidationError).Has("to") {
			t.Errorf("a supplier's request was accepted at a buyers-only event: %v", err)
		}
	})
	t.Run("ErrRequestOpen", func(t *testing.T) {
		again := Request{ID: "r2", From: "s", To: "b", Priority: WouldLike}
		e2 := *e
		e2.Direction = BothWays
		if err := e2.CheckRequest(&again, people, []Request{r}, now); err == nil {
			t.Error("a second live request for the same pair was accepted")
		}
	})
	t.Run("ErrPairBlocked", func(t *testing.T) {
		declined := r
		if err := declined.Answer(e, Declined, now.Add(time.Hour), "not our field", true); err != nil {
			t.Fatal(err)
		}
		later := Request{ID: "r3", From: "b", To: "s", Priority: WouldLike}
		if err := e.CheckRequest(&later, people, []Request{declined}, now.Add(48*time.Hour)); err == nil {
			t.Error("a request was accepted after a no thanks")
		}
	})
	t.Run("ExpiredFreesThePair", func(t *testing.T) {
		late := now.Add(e.AnswerWithin + time.Minute)
		if r.Live(e, late) {
			t.Error("an unanswered request is still live after its deadline")
		}
		accept := r
		if err := accept.Answer(e, Accepted, late, "", false); err == nil || accept.State != Expired {
			t.Errorf("a late accept gave %v, state %s", err, accept.State)
		}
		again := Request{ID: "r4", From: "b", To: "s", Priority: WouldLike}
		if err := e.CheckRequest(&again, people, []Request{r}, late); err != nil {
			t.Errorf("the pair is still held after the request expired: %v", err)
		}
	})
	t.Run("ErrAnsweredTwice", func(t *testing.T) {
		done := r
		_ = done.Answer(e, Accepted, now, "", false)
		if err := done.Answer(e, Declined, now, "", false); err == nil {
			t.Error("an accepted request was declined")
		}
		if err := done.Answer(e, Cancelled, now, "staff", false); err != nil {
			t.Errorf("staff could not cancel an accepted request: %v", err)
		}
	})
}

// TestEventProblemCarriesEverything: the problem built from an event has its slots and
// sessions, books an interpreter where the sides share no language, fixes locked meetings and
// reports a published meeting whose request was cancelled.
func TestEventProblemCarriesEverything(t *testing.T) {
	e := fair()
	people := []Participant{
		{ID: "b1", Side: Buyer, Name: "Canon", Attendees: []Attendee{{Name: "Sato"}}, Languages: []string{"ja"}},
		{ID: "s1", Side: Supplier, Name: "Cơ khí Hà Nội", Attendees: []Attendee{{Name: "Lan"}, {Name: "Minh"}}, Languages: []string{"vi"}},
		{ID: "s2", Side: Supplier, Name: "Nhựa Thăng Long", Attendees: []Attendee{{Name: "Hà"}}, Languages: []string{"vi", "ja"}, Unavailable: []int{1, 2}},
		{ID: "i1", Side: Interpreter, Name: "Ngọc", Languages: []string{"vi", "ja"}},
	}
	for i := range people {
		if err := people[i].Validate(e); err != nil && people[i].Side != Interpreter {
			t.Fatalf("%s refused: %v", people[i].ID, err)
		}
	}
	requests := []Request{
		{ID: "r1", From: "b1", To: "s1", Priority: MustMeet, State: Accepted},
		{ID: "r2", From: "s2", To: "b1", Priority: WouldLike, State: Accepted},
		{ID: "r3", From: "b1", To: "s2", Priority: WouldLike, State: Cancelled},
	}
	previous := []Meeting{
		{RequestID: "r2", Participants: []string{"b1", "s2"}, Slot: 5, Table: 2, Locked: true},
		{RequestID: "r3", Participants: []string{"b1", "s2"}, Slot: 6, Table: 1, Published: true},
	}
	p, changes, unplaced := e.Problem(people, requests, previous)
	if p.Slots != 30 || len(p.Sessions) != 4 || p.Sessions[1].Slots != [2]int{8, 15} || p.Sessions[2].Day != 1 {
		t.Errorf("slots %d, sessions %+v", p.Slots, p.Sessions)
	}
	if len(unplaced) != 0 || len(p.Meetings) != 2 {
		t.Fatalf("meetings %+v, unplaced %+v", p.Meetings, unplaced)
	}
	m1, m2 := p.Meetings[0], p.Meetings[1]
	if len(m1.Interpreters) != 1 || m1.Chairs != 4 || m1.Host != "b1" || m1.Priority != 2 {
		t.Errorf("r1 %+v: wants interpreter i1, 4 chairs, hosted by b1, must-meet", m1)
	}
	if len(m2.Interpreters) != 0 || m2.Fixed == nil || *m2.Fixed != (Seat{Slot: 5, Table: 2}) || m2.Participants[0] != "b1" {
		t.Errorf("r2 %+v: no interpreter, fixed at slot 5 table 2, buyer first", m2)
	}
	if len(changes) != 1 || changes[0].Meeting != "r3" || changes[0].Kind != Dropped || changes[0].Key != "schedule.request_withdrawn" {
		t.Errorf("changes %+v", changes)
	}
	s, err := Solve(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range checkSchedule(p, s) {
		t.Error(v)
	}
	if s.Placed != 2 {
		t.Errorf("placed %d of 2: %+v", s.Placed, s.Unscheduled)
	}
}

// TestMessageKeysHaveEnglish: every key used by this package renders to English.
func TestMessageKeysHaveEnglish(t *testing.T) {
	args := models.Args{"Value": "V", "Min": 1, "Max": 2, "Start": "S", "End": "E", "Other": "O", "Minutes": 25,
		"From": "F", "To": "T", "Participant": "P", "Slot": 3, "Session": "am", "Table": 4, "State": "cancelled"}
	for _, k := range MessageKeys() {
		if got := MessageEN(k, args); got == k || got == "" {
			t.Errorf("%s does not render", k)
		}
	}
}
