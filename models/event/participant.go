package event

import (
	"fmt"
	"slices"
	"time"

	"github.com/hanoi-cnht/portal/models"
)

// Side is what a participant comes as.
type Side string

// The sides of a business-matching event. Interpreters are booked into meetings like the
// others, so that one is never in two meetings at once.
const (
	Buyer       Side = "buyer"
	Supplier    Side = "supplier"
	Interpreter Side = "interpreter"
)

// Limits of a participant.
const (
	MaxAttendees = 6
	MaxSpoken    = 8
)

// Participant is a firm (or an interpreter) registered for an event.
type Participant struct {
	ID   string
	Side Side
	Name string // the company, or the interpreter's name
	// Attendees are the people who come; each takes a chair at the table.
	Attendees []Attendee
	// Languages are the codes of the languages the firm can hold a meeting in.
	Languages []string
	// Unavailable lists the slot numbers the participant cannot meet in.
	Unavailable []int
}

// Attendee is a person who sits at the table.
type Attendee struct {
	Name, Position string
}

// Chairs is how many chairs the participant takes at a table.
func (p Participant) Chairs() int { return max(1, len(p.Attendees)) }

// Speaks reports whether the participant holds meetings in the language.
func (p Participant) Speaks(code string) bool { return slices.Contains(p.Languages, code) }

// Validate checks the participant against the event it registers for.
func (p *Participant) Validate(e *Event) error {
	var pr problems
	checkName(&pr, "id", p.ID, 64, true)
	checkName(&pr, "name", p.Name, MaxNameLength, true)
	switch p.Side {
	case Buyer, Supplier, Interpreter:
	default:
		pr.add("side", "event.side", models.Args{"Value": quoted(p.Side)})
	}
	if len(p.Attendees) == 0 && p.Side != Interpreter {
		pr.add("attendees", "event.no_attendee", nil)
	}
	if len(p.Attendees) > MaxAttendees {
		pr.add("attendees", "validation.too_many", models.Args{"Count": len(p.Attendees), "Max": MaxAttendees})
	}
	for i, a := range p.Attendees {
		checkName(&pr, fmt.Sprintf("attendees[%d].name", i), a.Name, 120, true)
		checkName(&pr, fmt.Sprintf("attendees[%d].position", i), a.Position, 120, false)
	}
	if len(p.Languages) == 0 {
		pr.add("languages", "validation.required", nil)
	}
	if len(p.Languages) > MaxSpoken {
		pr.add("languages", "validation.too_many", models.Args{"Count": len(p.Languages), "Max": MaxSpoken})
	}
	for i, l := range p.Languages {
		if !languageCode.MatchString(l) {
			pr.add(fmt.Sprintf("languages[%d]", i), "event.language", models.Args{"Value": quoted(l)})
		} else if slices.Index(p.Languages, l) < i {
			pr.add(fmt.Sprintf("languages[%d]", i), "event.duplicate", models.Args{"Value": l})
		}
	}
	n := len(e.Slots())
	for i, s := range p.Unavailable {
		if s < 1 || s > n {
			pr.add(fmt.Sprintf("unavailable[%d]", i), "event.unknown_slot", models.Args{"Value": s, "Max": n})
		}
	}
	return pr.err()
}

// Priority is how much the side that asks wants the meeting.
type Priority string

// The priorities of a meeting request.
const (
	MustMeet  Priority = "must_meet"
	WouldLike Priority = "would_like"
)

// Rank orders priorities for the scheduler: higher first.
func (p Priority) Rank() int {
	if p == MustMeet {
		return 2
	}
	return 1
}

// RequestState is where a meeting request stands.
type RequestState string

// The states of a request. Only a requested one can change, and only once.
const (
	Requested RequestState = "requested"
	Accepted  RequestState = "accepted"
	Declined  RequestState = "declined"
	Expired   RequestState = "expired"
	Cancelled RequestState = "cancelled"
)

// Request is one side asking the other for a meeting.
type Request struct {
	ID       string
	From, To string // participant IDs
	Priority Priority
	State    RequestState
	// NoThanks, on a declined request, blocks the pair: neither may ask the other again.
	NoThanks bool
	Reason   string // why it was declined or cancelled, in the words of who did it
	Made     time.Time
	Answered time.Time
}

// ExpiresAt is when an unanswered request expires and stops holding anything.
func (r *Request) ExpiresAt(e *Event) time.Time {
	if e.AnswerWithin <= 0 {
		return e.RequestsClose
	}
	t := r.Made.Add(e.AnswerWithin)
	if !e.RequestsClose.IsZero() && t.After(e.RequestsClose) {
		return e.RequestsClose
	}
	return t
}

// Live reports whether the request still holds: requested and not expired at now, or accepted.
func (r *Request) Live(e *Event, now time.Time) bool {
	return r.State == Accepted || r.State == Requested && now.Before(r.ExpiresAt(e))
}

// Answer moves the request to the state to (accepted, declined, expired or cancelled) at now.
// A request answered once stays answered, except that staff may cancel an accepted one; an
// accept after the deadline is refused and the request expires instead.
func (r *Request) Answer(e *Event, to RequestState, now time.Time, reason string, noThanks bool) error {
	allowed := r.State == Requested && (to == Accepted || to == Declined || to == Expired || to == Cancelled) ||
		r.State == Accepted && to == Cancelled
	if !allowed {
		return &models.ValidationError{Fields: []models.FieldError{
			fieldError("state", "event.state_change", models.Args{"From": string(r.State), "To": string(to)})}}
	}
	if to == Accepted && !now.Before(r.ExpiresAt(e)) {
		r.State, r.Answered = Expired, now
		return &models.ValidationError{Fields: []models.FieldError{
			fieldError("state", "event.state_change", models.Args{"From": string(Expired), "To": string(to)})}}
	}
	r.State, r.Answered, r.Reason = to, now, reason
	r.NoThanks = to == Declined && noThanks
	return nil
}

// pairKey names an unordered pair of participants.
func pairKey(a, b string) [2]string {
	if b < a {
		a, b = b, a
	}
	return [2]string{a, b}
}

// CheckRequest checks a new request against the event's rules and the requests already made:
// both are registered, the direction is allowed, the window is open, the pair is not blocked by a
// "no thanks" and has no live request already.
func (e *Event) CheckRequest(r *Request, participants map[string]*Participant, existing []Request, now time.Time) error {
	var p problems
	switch r.Priority {
	case MustMeet, WouldLike:
	default:
		p.add("priority", "event.priority", models.Args{"Value": quoted(r.Priority)})
	}
	from, to := participants[r.From], participants[r.To]
	if from == nil {
		p.add("from", "event.unknown_participant", models.Args{"Value": quoted(r.From)})
	}
	if to == nil {
		p.add("to", "event.unknown_participant", models.Args{"Value": quoted(r.To)})
	}
	if from != nil && to != nil {
		switch {
		case r.From == r.To:
			p.add("to", "event.self_request", nil)
		case !e.mayRequest(from.Side, to.Side):
			p.add("to", "event.direction_refused", models.Args{"From": string(from.Side), "To": string(to.Side)})
		}
	}
	if now.Before(e.RequestsOpen) || !now.Before(e.RequestsClose) {
		p.add("made", "event.requests_closed", models.Args{"Start": stamp(e.RequestsOpen), "End": stamp(e.RequestsClose)})
	}
	key := pairKey(r.From, r.To)
	for i := range existing {
		x := &existing[i]
		if x.ID == r.ID || pairKey(x.From, x.To) != key {
			continue
		}
		if x.State == Declined && x.NoThanks {
			p.add("to", "event.pair_blocked", nil)
			break
		}
		if x.Live(e, now) {
			p.add("to", "event.request_open", nil)
			break
		}
	}
	return p.err()
}

func (e *Event) mayRequest(from, to Side) bool {
	switch {
	case from == Buyer && to == Supplier:
		return e.Direction == BuyersToSuppliers || e.Direction == BothWays
	case from == Supplier && to == Buyer:
		return e.Direction == SuppliersToBuyers || e.Direction == BothWays
	}
	return false
}

// Meeting is an accepted request placed at a slot and a table.
type Meeting struct {
	ID        string
	RequestID string
	// Participants are the buyer, the supplier and, when the two share no language, the
	// interpreter booked for them.
	Participants []string
	Priority     Priority
	Slot         int
	Table        int // table number
	// Locked meetings were fixed by staff and the scheduler never moves them; published ones
	// have been sent to the participants and move only when they become impossible.
	Locked, Published bool
}
