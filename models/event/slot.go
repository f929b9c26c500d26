package event

import (
	"time"

	"github.com/hanoi-cnht/portal/models"
)

// Slot is one meeting time of an event. Slots are numbered 1…N in time order over all days and
// sessions, which is how participants' unavailability, meetings and the scheduler name them.
type Slot struct {
	Number     int
	Day        int // index into Event.Days
	Session    int // index of the session over the whole event, in time order
	Start, End time.Time
}

// clocks lists the start of every meeting that fits in the session: meetings follow each other
// from the start, and one that would run into a break starts when the break ends.
func (s Session) clocks() []Clock {
	if s.MeetingMinutes <= 0 || s.End <= s.Start {
		return nil
	}
	var out []Clock
	length := Clock(s.MeetingMinutes)
	t := s.Start
	for t+length <= s.End {
		moved := false
		for _, b := range s.Breaks {
			if b.End > b.Start && t < b.End && b.Start < t+length {
				t, moved = b.End, true
			}
		}
		if moved {
			continue
		}
		out = append(out, t)
		t += length
	}
	return out
}

// Slots lists the event's meeting slots in time order: each session cut into meetings of its
// length, leaving out its breaks. Sessions of a day are taken in order of their start.
func (e *Event) Slots() []Slot {
	var out []Slot
	session := 0
	for di, d := range e.Days {
		for _, s := range sessionsInOrder(d.Sessions) {
			for _, c := range s.clocks() {
				start := d.Date.Time
				y, m, dd := start.Date()
				st := time.Date(y, m, dd, int(c)/60, int(c)%60, 0, 0, models.Hanoi)
				out = append(out, Slot{Number: len(out) + 1, Day: di, Session: session,
					Start: st, End: st.Add(time.Duration(s.MeetingMinutes) * time.Minute)})
			}
			session++
		}
	}
	return out
}

// SessionNames lists the name of every session over the event in the order Slot.Session counts
// them, each with its day.
func (e *Event) SessionNames() []string {
	var out []string
	for _, d := range e.Days {
		for _, s := range sessionsInOrder(d.Sessions) {
			out = append(out, d.Date.String()+" "+s.Name)
		}
	}
	return out
}

func sessionsInOrder(ss []Session) []Session {
	out := append([]Session(nil), ss...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Start < out[j-1].Start; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
