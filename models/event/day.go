package event

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hanoi-cnht/portal/models"
)

// DefaultFollowUpDays is how long after an event its participants are asked, by default, how
// their meetings went: about six months.
const DefaultFollowUpDays = 182

// FollowUpAfter is how many days after its last day the event's participants get the
// follow-up mail.
func (r *Record) FollowUpAfter() int {
	if r.FollowUpDays <= 0 {
		return DefaultFollowUpDays
	}
	return r.FollowUpDays
}

// LastDay is the start of the day after the event's last day, in Hanoi; zero without days.
func (r *Record) LastDay() time.Time {
	var last time.Time
	for _, d := range r.Days {
		t := time.Date(d.Date.Year(), d.Date.Month(), d.Date.Day(), 0, 0, 0, 0, models.Hanoi).AddDate(0, 0, 1)
		if t.After(last) {
			last = t
		}
	}
	return last
}

// Badge is a participant's badge: the code its QR carries, random so that nobody can guess
// another's, and when the participant checked in at the desk.
type Badge struct {
	RegistrationID, EventID uint
	Token                   string
	CheckedInAt             *time.Time
	CheckedInBy             *uint
	Registration            *Registration
}

// MeetingStatus is what happened to a meeting on the day.
type MeetingStatus string

// A meeting was held, or one side (or both) did not come.
const (
	Held           MeetingStatus = "held"
	BuyerNoShow    MeetingStatus = "buyer_no_show"
	SupplierNoShow MeetingStatus = "supplier_no_show"
	BothNoShow     MeetingStatus = "both_no_show"
)

// MeetingStatuses lists the statuses in the order forms offer them.
var MeetingStatuses = []MeetingStatus{Held, BuyerNoShow, SupplierNoShow, BothNoShow}

// ValidateStatus checks a meeting status; "" clears it.
func ValidateStatus(st MeetingStatus) error {
	if st == "" {
		return nil
	}
	for _, s := range MeetingStatuses {
		if s == st {
			return nil
		}
	}
	var p problems
	p.add("status", "event.meeting_status", models.Args{"Value": quoted(st)})
	return p.err()
}

// NoShow reports whether the side did not come to a meeting of this status.
func (st MeetingStatus) NoShow(side Side) bool {
	return st == BothNoShow || st == BuyerNoShow && side == Buyer || st == SupplierNoShow && side == Supplier
}

// Outcome is what a meeting led to, as one side sees it.
type Outcome string

// The outcomes, from nothing to an agreement.
const (
	NoFit          Outcome = "no_fit"
	FurtherContact Outcome = "further_contact"
	Quotation      Outcome = "quotation"
	SampleOrder    Outcome = "sample_order"
	Agreement      Outcome = "agreement"
)

// Outcomes lists the outcomes in the order forms and results show them.
var Outcomes = []Outcome{NoFit, FurtherContact, Quotation, SampleOrder, Agreement}

// MaxNotesLength bounds an outcome's notes.
const MaxNotesLength = 2000

// OutcomeInput is what one side records after a meeting.
type OutcomeInput struct {
	Outcome Outcome
	Notes   string
}

// Validate checks the outcome; it trims the notes.
func (in *OutcomeInput) Validate() error {
	in.Notes = strings.TrimSpace(in.Notes)
	var p problems
	known := false
	for _, o := range Outcomes {
		known = known || o == in.Outcome
	}
	if !known {
		p.add("outcome", "event.outcome", models.Args{"Value": quoted(in.Outcome)})
	}
	if n := utf8.RuneCountInString(in.Notes); n > MaxNotesLength {
		p.add("notes", "validation.too_long", models.Args{"Length": n, "Max": MaxNotesLength})
	}
	return p.err()
}

// MeetingOutcome is the outcome one side recorded for a meeting.
type MeetingOutcome struct {
	MeetingID, RegistrationID uint
	Outcome                   Outcome
	Notes                     string
	RecordedAt                time.Time
}

// DayMeeting is a meeting of the published schedule as the day and its aftermath see it: where
// it sits, who meets, what happened and the outcome each side recorded.
type DayMeeting struct {
	ID                uint
	Slot              Slot
	Table             Table
	Buyer, Supplier   *Registration
	Status            MeetingStatus
	BuyerOutcome      *MeetingOutcome
	SupplierOutcome   *MeetingOutcome
	BuyerCheckedIn    bool
	SupplierCheckedIn bool
}

// Counterpart is the other side of the meeting for registration regID.
func (m *DayMeeting) Counterpart(regID uint) *Registration {
	if m.Buyer != nil && m.Buyer.ID == regID {
		return m.Supplier
	}
	return m.Buyer
}

// OutcomeOf is what registration regID recorded, nil when nothing yet.
func (m *DayMeeting) OutcomeOf(regID uint) *MeetingOutcome {
	if m.Buyer != nil && m.Buyer.ID == regID {
		return m.BuyerOutcome
	}
	return m.SupplierOutcome
}

// Count is one row of a results table: a label and its figures.
type Count struct {
	Label                   string
	Meetings, Held, NoShows int
	Outcomes                map[Outcome]int
}

// Results are an event's figures for staff.
type Results struct {
	// Registrations by status and side.
	Registrations map[Side]map[RegistrationStatus]int
	// Requests made, by state; Answered of them were answered, Accepted accepted.
	Requests                 map[RequestState]int
	RequestsMade, Answered   int
	Accepted                 int
	Scheduled, Held, NoShows int
	StatusUnknown            int
	CheckedIn, Participants  int
	Outcomes                 map[Outcome]int
	BySector, ByBuyerCountry []Count
}

// AcceptanceRate is the share of answered requests that were accepted, 0 to 1.
func (r *Results) AcceptanceRate() float64 {
	if r.Answered == 0 {
		return 0
	}
	return float64(r.Accepted) / float64(r.Answered)
}
