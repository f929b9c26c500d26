package event

import (
	"fmt"
	"time"
)

// History is an event together with what happened in it, written at once rather than through
// the use cases one by one: the sample set's past event with its results, and its upcoming one
// with its first registrations. Requests and meetings name registrations and requests by their
// index in the lists.
type History struct {
	Record        Record
	Registrations []HistoryRegistration
	Requests      []HistoryRequest
	Meetings      []HistoryMeeting
}

// HistoryRegistration is a registration with the account that made it (by e-mail, created
// disabled when new, so that nobody signs in as it) and when it checked in at the desk.
type HistoryRegistration struct {
	Registration
	Account, AccountName string
	CheckedInAt          *time.Time
}

// HistoryRequest is a meeting request between two registrations.
type HistoryRequest struct {
	From, To int
	Priority Priority
	State    RequestState
	NoThanks bool
	Reason   string
	Message  string
	Made     time.Time
	Answered *time.Time
}

// HistoryMeeting is an accepted request placed in the published schedule, what happened to it
// on the day and the outcome each side recorded (nil when it recorded none).
type HistoryMeeting struct {
	Request         int
	Slot, Table     int
	Status          MeetingStatus
	BuyerOutcome    *OutcomeInput
	SupplierOutcome *OutcomeInput
}

// Check verifies that the history holds together: a valid event, registrations valid for it,
// requests between registrations of the two sides, meetings only for accepted requests, at
// slots and tables the event has, and nobody and no table in two meetings at once.
func (h *History) Check() error {
	if err := h.Record.ValidateRecord(); err != nil {
		return err
	}
	slots := h.Record.Slots()
	tables := map[int]bool{}
	for _, t := range h.Record.Tables {
		tables[t.Number] = true
	}
	for i, r := range h.Registrations {
		p := r.Participant()
		p.ID = fmt.Sprint(i)
		if err := p.Validate(&h.Record.Event); err != nil {
			return fmt.Errorf("registration %d (%s): %w", i, r.Company, err)
		}
		if r.Account == "" {
			return fmt.Errorf("registration %d (%s): no account", i, r.Company)
		}
	}
	for i, q := range h.Requests {
		if q.From < 0 || q.From >= len(h.Registrations) || q.To < 0 || q.To >= len(h.Registrations) {
			return fmt.Errorf("request %d: unknown registration", i)
		}
		if h.Registrations[q.From].Side == h.Registrations[q.To].Side {
			return fmt.Errorf("request %d: both sides are %s", i, h.Registrations[q.From].Side)
		}
		if (q.State == Requested) != (q.Answered == nil) {
			return fmt.Errorf("request %d: state %s with answered %v", i, q.State, q.Answered)
		}
	}
	busy := map[[2]int]bool{}
	seat := map[[2]int]bool{}
	for i, m := range h.Meetings {
		if m.Request < 0 || m.Request >= len(h.Requests) || h.Requests[m.Request].State != Accepted {
			return fmt.Errorf("meeting %d: request %d is not accepted", i, m.Request)
		}
		if m.Slot < 1 || m.Slot > len(slots) || !tables[m.Table] {
			return fmt.Errorf("meeting %d: no slot %d or table %d", i, m.Slot, m.Table)
		}
		if seat[[2]int{m.Slot, m.Table}] {
			return fmt.Errorf("meeting %d: table %d taken in slot %d", i, m.Table, m.Slot)
		}
		seat[[2]int{m.Slot, m.Table}] = true
		q := h.Requests[m.Request]
		for _, who := range []int{q.From, q.To} {
			if busy[[2]int{who, m.Slot}] {
				return fmt.Errorf("meeting %d: %s double-booked in slot %d", i, h.Registrations[who].Company, m.Slot)
			}
			busy[[2]int{who, m.Slot}] = true
			for _, u := range h.Registrations[who].Unavailable {
				if u == m.Slot {
					return fmt.Errorf("meeting %d: %s unavailable in slot %d", i, h.Registrations[who].Company, m.Slot)
				}
			}
		}
		if err := ValidateStatus(m.Status); err != nil {
			return fmt.Errorf("meeting %d: %w", i, err)
		}
		for _, o := range []*OutcomeInput{m.BuyerOutcome, m.SupplierOutcome} {
			if o == nil {
				continue
			}
			if err := o.Validate(); err != nil {
				return fmt.Errorf("meeting %d: %w", i, err)
			}
		}
	}
	return nil
}
