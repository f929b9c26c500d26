package event

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hanoi-cnht/portal/models"
)

// Record is an event as the portal keeps it: the event, its id, how many firms of each side it
// takes before registrations go to the waitlist, and when its schedule was last published.
type Record struct {
	ID uint
	Event
	// MaxBuyers and MaxSuppliers cap the approved registrations of each side; 0 means no cap.
	MaxBuyers, MaxSuppliers int
	// FollowUpDays is how many days after the event its participants are asked how their meetings
	// went; 0 means DefaultFollowUpDays.
	FollowUpDays         int
	PublishedAt          *time.Time
	CreatedAt, UpdatedAt time.Time
}

// Name is the event's name in lang.
func (r *Record) Name(lang string) string {
	if lang == "en" && r.NameEN != "" {
		return r.NameEN
	}
	return r.NameVI
}

// Cap is the most approved registrations of the side, 0 for none.
func (r *Record) Cap(side Side) int {
	switch side {
	case Buyer:
		return r.MaxBuyers
	case Supplier:
		return r.MaxSuppliers
	}
	return 0
}

// RegistrationOpen reports whether firms may register at now.
func (r *Record) RegistrationOpen(now time.Time) bool {
	return !now.Before(r.RegistrationOpens) && now.Before(r.RegistrationCloses)
}

// RequestsOpenAt reports whether meetings may be requested at now.
func (r *Record) RequestsOpenAt(now time.Time) bool {
	return !now.Before(r.RequestsOpen) && now.Before(r.RequestsClose)
}

// ValidateRecord checks the event and its caps.
func (r *Record) ValidateRecord() error {
	err := r.Validate()
	var p problems
	if ve, ok := err.(*models.ValidationError); ok {
		p = ve.Fields
	} else if err != nil {
		return err
	}
	for _, c := range []struct {
		field string
		v     int
	}{{"max_buyers", r.MaxBuyers}, {"max_suppliers", r.MaxSuppliers}} {
		if c.v < 0 || c.v > 10000 {
			p.add(c.field, "validation.number_range", models.Args{"Value": c.v, "Min": 0, "Max": 10000})
		}
	}
	return p.err()
}

// RegistrationStatus is where a registration stands.
type RegistrationStatus string

// A registration waits for staff (pending) or, when its side is full, on the waitlist; staff
// approve or reject it; the firm may withdraw it.
const (
	Pending    RegistrationStatus = "pending"
	Waitlisted RegistrationStatus = "waitlisted"
	Approved   RegistrationStatus = "approved"
	Rejected   RegistrationStatus = "rejected"
	Withdrawn  RegistrationStatus = "withdrawn"
)

// Limits of a registration.
const (
	MaxCompanyLength     = 200
	MaxRequirementLength = models.MaxRequirementText
	MaxMessageLength     = 1000
)

// Registration is a firm (a supplier from its profile, or a buyer's company) signed up for an
// event, with who comes, the languages they meet in and the slots they cannot.
type Registration struct {
	ID      uint
	EventID uint
	Side    Side
	// FirmID is the supplier's firm in the directory; buyers have none.
	FirmID *uint
	// UserID is the account that registered; for a buyer, the account that acts for it.
	UserID uint
	// Company is the firm's name; Country where a buyer's company comes from; Requirement what a
	// buyer wants to source, in its own words.
	Company, Country, Requirement string
	Languages                     []string
	Attendees                     []Attendee
	Unavailable                   []int
	Status                        RegistrationStatus
	Reason                        string
	DecidedAt                     *time.Time
	CreatedAt, UpdatedAt          time.Time
	// FirmSlug is the supplier's profile address, filled by reads.
	FirmSlug string
}

// ParticipantID is how the scheduler and requests name the registration.
func (r *Registration) ParticipantID() string { return strconv.FormatUint(uint64(r.ID), 10) }

// Participant is the registration as the event's rules and scheduler see it.
func (r *Registration) Participant() Participant {
	return Participant{ID: r.ParticipantID(), Side: r.Side, Name: r.Company, Attendees: r.Attendees,
		Languages: r.Languages, Unavailable: r.Unavailable}
}

// RegistrationInput is what a firm gives when it registers or changes its registration.
type RegistrationInput struct {
	Side                          Side
	FirmID                        uint // suppliers: the firm whose profile is the registration
	Company, Country, Requirement string
	Languages                     []string
	Attendees                     []Attendee
	Unavailable                   []int
}

// Validate checks the input against the event; it trims what it reads.
func (in *RegistrationInput) Validate(e *Event) error {
	in.Company = strings.TrimSpace(in.Company)
	in.Country = strings.TrimSpace(in.Country)
	in.Requirement = strings.TrimSpace(in.Requirement)
	var attendees []Attendee
	for _, a := range in.Attendees {
		a.Name, a.Position = strings.TrimSpace(a.Name), strings.TrimSpace(a.Position)
		if a.Name != "" || a.Position != "" {
			attendees = append(attendees, a)
		}
	}
	in.Attendees = attendees
	ps := Participant{ID: "new", Side: in.Side, Name: in.Company, Attendees: in.Attendees, Languages: in.Languages,
		Unavailable: in.Unavailable}
	var p problems
	if err := ps.Validate(e); err != nil {
		if ve, ok := err.(*models.ValidationError); ok {
			for _, f := range ve.Fields {
				if f.Field == "name" {
					f.Field = "company"
				}
				p = append(p, f)
			}
		} else {
			return err
		}
	}
	if in.Side == Interpreter {
		p.add("side", "event.side", models.Args{"Value": quoted(in.Side)})
	}
	if in.Side == Supplier && in.FirmID == 0 {
		p.add("firm", "validation.required", nil)
	}
	checkName(&p, "company", in.Company, MaxCompanyLength, false)
	checkName(&p, "country", in.Country, 80, false)
	checkName(&p, "requirement", in.Requirement, MaxRequirementLength, false)
	if in.Side == Buyer && in.Requirement == "" {
		p.add("requirement", "validation.required", nil)
	}
	return p.err()
}

// MeetingRequest is a request as the portal keeps it, between two registrations.
type MeetingRequest struct {
	ID, EventID  uint
	FromID, ToID uint
	Priority     Priority
	State        RequestState
	NoThanks     bool
	Reason       string
	Message      string
	// MadeBy is the account that made the request: the requester's, or staff acting for it.
	MadeBy   *uint
	Made     time.Time
	Answered *time.Time
}

// Request is the stored request as the event's rules see it.
func (m MeetingRequest) Request() Request {
	r := Request{ID: strconv.FormatUint(uint64(m.ID), 10), From: strconv.FormatUint(uint64(m.FromID), 10),
		To: strconv.FormatUint(uint64(m.ToID), 10), Priority: m.Priority, State: m.State, NoThanks: m.NoThanks,
		Reason: m.Reason, Made: m.Made}
	if m.Answered != nil {
		r.Answered = *m.Answered
	}
	return r
}

// RequestInput is a new meeting request.
type RequestInput struct {
	FromID, ToID uint
	Priority     Priority
	Message      string
	// Accept, for staff, makes the meeting agreed at once (hosted-buyer programmes).
	Accept bool
}

// AnswerInput answers a request: accepted, declined (with a reason, and "no thanks" to block
// the pair) or cancelled.
type AnswerInput struct {
	State    RequestState
	Reason   string
	NoThanks bool
}

// Validate checks the answer's own fields.
func (in *AnswerInput) Validate() error {
	in.Reason = strings.TrimSpace(in.Reason)
	var p problems
	switch in.State {
	case Accepted, Declined, Cancelled:
	default:
		p.add("state", "event.request_state", models.Args{"Value": quoted(in.State)})
	}
	if utf8.RuneCountInString(in.Reason) > MaxMessageLength {
		p.add("reason", "validation.too_long", models.Args{"Length": utf8.RuneCountInString(in.Reason), "Max": MaxMessageLength})
	}
	if in.State == Declined && in.Reason == "" && !in.NoThanks {
		p.add("reason", "event.reason_required", nil)
	}
	return p.err()
}

// Placement is a meeting of the stored schedule: where an accepted request sits, whether staff
// locked it, and where the participants were last told it is (0 when never published).
type Placement struct {
	ID, EventID, RequestID        uint
	Slot, Table                   int
	InterpreterID                 *uint
	Locked                        bool
	PublishedSlot, PublishedTable int
	UpdatedAt                     time.Time
}

// Published reports whether the participants know the meeting's current seat.
func (p *Placement) Published() bool {
	return p.Slot > 0 && p.PublishedSlot == p.Slot && p.PublishedTable == p.Table
}

// ScheduleRun is one run of the scheduler over an event and what it reported.
type ScheduleRun struct {
	ID, EventID                                              uint
	RunAt                                                    time.Time
	RunBy                                                    string
	Placed, Bound, Unscheduled, Breaks, MaxBreaks, MinBreaks int
	Report                                                   RunReport
}

// RunReport is what a run could not do or changed: meetings left out, fixed meetings in
// conflict, and every meeting of the last schedule that lost its seat.
type RunReport struct {
	Unscheduled []Unplaced `json:"unscheduled,omitempty"`
	Conflicts   []Unplaced `json:"conflicts,omitempty"`
	Changes     []Change   `json:"changes,omitempty"`
	Bound       Bound      `json:"bound"`
}

// AgendaItem is one meeting on a participant's agenda.
type AgendaItem struct {
	Slot        Slot
	Table       Table
	Counterpart Registration
	Interpreter string
	// Makes is what a supplier counterpart makes: the codes of its first products in the
	// taxonomy, which a page names in its language.
	Makes    []string
	Priority Priority
	// Published says the seat is the one the participants were told; a staff view shows
	// unpublished seats too. MovedAt is when staff last moved the published meeting, so that
	// the agenda says it changed.
	Published bool
	MovedAt   *time.Time
}

// Describe is a short text of the registration for lists: company and country.
func (r *Registration) Describe() string {
	if r.Country != "" {
		return fmt.Sprintf("%s (%s)", r.Company, r.Country)
	}
	return r.Company
}
