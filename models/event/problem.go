package event

import (
	"fmt"
	"slices"

	"github.com/hanoi-cnht/portal/models"
)

// Problem is what the scheduler places: slots, tables, participants and the meetings they
// accepted, in plain numbers and names so that it can be read from a file as well as built from
// an event (see Event.Problem). Slots are numbered 1…Slots in time order.
type Problem struct {
	Slots        int              `json:"slots"`
	Sessions     []SessionSpan    `json:"sessions,omitempty"`
	Tables       []TableSpec      `json:"tables"`
	Participants []Person         `json:"participants"`
	Meetings     []MeetingToPlace `json:"meetings"`
	// MaxBreaksSpread, when given, is how many more breaks one participant may have than the
	// participant with the fewest. Placing meetings comes first: the scheduler meets it by
	// moving meetings, never by leaving one out, and reports in Schedule.OverSpread whoever it
	// could not bring within it.
	MaxBreaksSpread *int `json:"max_breaks_spread,omitempty"`
}

// SessionSpan is a session and its first and last slot. Day groups sessions for counting breaks: idle
// slots between two meetings on different days are not a break.
type SessionSpan struct {
	Name  string `json:"name"`
	Slots [2]int `json:"slots"` // first and last
	Day   int    `json:"day,omitempty"`
}

// TableSpec is a table as the scheduler sees it.
type TableSpec struct {
	ID          int    `json:"id"`
	Chairs      int    `json:"chairs,omitempty"` // 0: enough for any meeting
	Zone        string `json:"zone,omitempty"`
	Unavailable []int  `json:"unavailable,omitempty"`
}

// Person is a participant as the scheduler sees it. MaxMeetings and MaxPerSession of 0 mean no
// cap.
type Person struct {
	ID            string `json:"id"`
	Unavailable   []int  `json:"unavailable,omitempty"`
	MaxMeetings   int    `json:"max_meetings,omitempty"`
	MaxPerSession int    `json:"max_per_session,omitempty"`
}

// MeetingToPlace is an accepted meeting waiting for a slot and a table.
type MeetingToPlace struct {
	ID           string   `json:"id"`
	Participants []string `json:"participants"`
	// Interpreters, when given, are the people of whom one must join the meeting.
	Interpreters []string `json:"interpreters,omitempty"`
	// Host is the participant who should keep one table all day (the buyer), if any.
	Host string `json:"host,omitempty"`
	// Session, when given, is the only session the meeting may be in.
	Session string `json:"session,omitempty"`
	// Chairs is how many chairs the meeting needs; Zone, if given, the zone its table must be in.
	Chairs   int    `json:"chairs,omitempty"`
	Zone     string `json:"zone,omitempty"`
	Priority int    `json:"priority,omitempty"`
	// Fixed is where staff locked the meeting: it stays there or the schedule reports a conflict.
	// A Table of 0 fixes only the slot.
	Fixed *Seat `json:"fixed,omitempty"`
	// Previous is where the last schedule put the meeting; it stays there while that is still
	// possible. Published says the participants have been told.
	Previous  *Seat `json:"previous,omitempty"`
	Published bool  `json:"published,omitempty"`
}

// Seat is a slot and a table, and the interpreter booked there if any.
type Seat struct {
	Slot        int    `json:"slot"`
	Table       int    `json:"table"`
	Interpreter string `json:"interpreter,omitempty"`
}

// Validate checks that the problem is well formed: every name it refers to exists, every slot is
// in range, nothing is listed twice. It does not check that a schedule exists.
func (p *Problem) Validate() error {
	var pr problems
	if p.Slots < 1 || p.Slots > 1000 {
		pr.add("slots", "validation.number_range", models.Args{"Value": p.Slots, "Min": 1, "Max": 1000})
		return pr.err()
	}
	if p.MaxBreaksSpread != nil && (*p.MaxBreaksSpread < 0 || *p.MaxBreaksSpread > p.Slots) {
		pr.add("max_breaks_spread", "validation.number_range", models.Args{"Value": *p.MaxBreaksSpread, "Min": 0, "Max": p.Slots})
	}
	slot := func(field string, s int) {
		if s < 1 || s > p.Slots {
			pr.add(field, "event.unknown_slot", models.Args{"Value": s, "Max": p.Slots})
		}
	}
	sessions := map[string]bool{}
	for i, s := range p.Sessions {
		f := fmt.Sprintf("sessions[%d]", i)
		if s.Name == "" {
			pr.add(f+".name", "validation.required", nil)
		} else if sessions[s.Name] {
			pr.add(f+".name", "event.duplicate", models.Args{"Value": s.Name})
		}
		sessions[s.Name] = true
		slot(f+".slots[0]", s.Slots[0])
		slot(f+".slots[1]", s.Slots[1])
		if s.Slots[1] < s.Slots[0] {
			pr.add(f+".slots[1]", "event.order", models.Args{"Start": s.Slots[0], "End": s.Slots[1]})
		}
		for j, o := range p.Sessions[:i] {
			if o.Slots[0] <= s.Slots[1] && s.Slots[0] <= o.Slots[1] {
				pr.add(f, "event.overlap", models.Args{"Other": fmt.Sprintf("sessions[%d]", j)})
			}
		}
	}
	if len(p.Tables) == 0 {
		pr.add("tables", "validation.required", nil)
	}
	tables := map[int]bool{}
	for i, t := range p.Tables {
		f := fmt.Sprintf("tables[%d]", i)
		if t.ID < 1 {
			pr.add(f+".id", "validation.number_range", models.Args{"Value": t.ID, "Min": 1, "Max": "any"})
		} else if tables[t.ID] {
			pr.add(f+".id", "event.duplicate", models.Args{"Value": t.ID})
		}
		tables[t.ID] = true
		if t.Chairs < 0 {
			pr.add(f+".chairs", "validation.number_range", models.Args{"Value": t.Chairs, "Min": 0, "Max": MaxChairs})
		}
		for j, s := range t.Unavailable {
			slot(fmt.Sprintf("%s.unavailable[%d]", f, j), s)
		}
	}
	people := map[string]bool{}
	for i, ps := range p.Participants {
		f := fmt.Sprintf("participants[%d]", i)
		if ps.ID == "" {
			pr.add(f+".id", "validation.required", nil)
		} else if people[ps.ID] {
			pr.add(f+".id", "event.duplicate", models.Args{"Value": ps.ID})
		}
		people[ps.ID] = true
		for j, s := range ps.Unavailable {
			slot(fmt.Sprintf("%s.unavailable[%d]", f, j), s)
		}
		if ps.MaxMeetings < 0 {
			pr.add(f+".max_meetings", "validation.number_range", models.Args{"Value": ps.MaxMeetings, "Min": 0, "Max": p.Slots})
		}
		if ps.MaxPerSession < 0 {
			pr.add(f+".max_per_session", "validation.number_range", models.Args{"Value": ps.MaxPerSession, "Min": 0, "Max": p.Slots})
		}
	}
	meetings := map[string]bool{}
	for i, m := range p.Meetings {
		f := fmt.Sprintf("meetings[%d]", i)
		if m.ID == "" {
			pr.add(f+".id", "validation.required", nil)
		} else if meetings[m.ID] {
			pr.add(f+".id", "event.duplicate", models.Args{"Value": m.ID})
		}
		meetings[m.ID] = true
		if len(m.Participants) == 0 {
			pr.add(f+".participants", "validation.required", nil)
		}
		for j, id := range m.Participants {
			pf := fmt.Sprintf("%s.participants[%d]", f, j)
			if !people[id] {
				pr.add(pf, "event.unknown_participant", models.Args{"Value": quoted(id)})
			} else if slices.Index(m.Participants, id) < j {
				pr.add(pf, "event.duplicate", models.Args{"Value": id})
			}
		}
		for j, id := range m.Interpreters {
			pf := fmt.Sprintf("%s.interpreters[%d]", f, j)
			if !people[id] {
				pr.add(pf, "event.unknown_participant", models.Args{"Value": quoted(id)})
			} else if slices.Contains(m.Participants, id) || slices.Index(m.Interpreters, id) < j {
				pr.add(pf, "event.duplicate", models.Args{"Value": id})
			}
		}
		if m.Host != "" && !slices.Contains(m.Participants, m.Host) {
			pr.add(f+".host", "event.unknown_participant", models.Args{"Value": quoted(m.Host)})
		}
		if m.Session != "" && !sessions[m.Session] {
			pr.add(f+".session", "event.unknown_session", models.Args{"Value": quoted(m.Session)})
		}
		if m.Chairs < 0 {
			pr.add(f+".chairs", "validation.number_range", models.Args{"Value": m.Chairs, "Min": 0, "Max": MaxChairs})
		}
		// A previous seat may name a slot or table that no longer exists: the schedule then
		// reports the meeting as moved. A fixed one may not.
		if m.Fixed != nil && m.Fixed.Slot != 0 {
			slot(f+".fixed.slot", m.Fixed.Slot)
			if m.Fixed.Table != 0 && !tables[m.Fixed.Table] {
				pr.add(f+".fixed.table", "event.unknown_table", models.Args{"Value": m.Fixed.Table})
			}
		}
	}
	return pr.err()
}
