package event

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hanoi-cnht/portal/models"
)

// Limits of an event.
const (
	MaxNameLength       = 200
	MaxVenueLength      = 300
	MaxDays             = 7
	MaxSessionsPerDay   = 4
	MaxBreaksPerSession = 4
	MaxTables           = 500
	MaxLanguages        = 12
	MinMeetingMinutes   = 10
	MaxMeetingMinutes   = 120
	MaxChairs           = 20
	MaxInterpreters     = 100
	MaxMeetingsCap      = 100
)

// Clock is a time of day in minutes after midnight, Hanoi time.
type Clock int

// ParseClock reads HH:MM.
func ParseClock(s string) (Clock, error) {
	h, m, ok := strings.Cut(s, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || len(m) != 2 || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, fmt.Errorf("%q is not a time of day in the form HH:MM", s)
	}
	return Clock(hh*60 + mm), nil
}

func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// valid reports whether the clock lies within one day.
func (c Clock) valid() bool { return c >= 0 && c <= 24*60 }

// Direction says who may request a meeting with whom.
type Direction string

// The request directions an event may allow.
const (
	BuyersToSuppliers Direction = "buyers_to_suppliers"
	SuppliersToBuyers Direction = "suppliers_to_buyers"
	BothWays          Direction = "both"
)

// Event is one business-matching event: where and when, its tables, the languages it offers,
// its windows and caps.
type Event struct {
	NameVI, NameEN string
	Venue          string
	Days           []Day
	Tables         []Table
	Languages      []LanguageOffer

	// Registration and request windows, as instants; a request not answered within
	// AnswerWithin of being made expires.
	RegistrationOpens, RegistrationCloses time.Time
	RequestsOpen, RequestsClose           time.Time
	AnswerWithin                          time.Duration

	// MaxMeetings caps the meetings of one participant over the event, MaxPerSession those in one
	// session; 0 means no cap beyond the slots.
	MaxMeetings   int
	MaxPerSession int
	Direction     Direction
}

// Day is one day of an event and its sessions, in time order.
type Day struct {
	Date     models.Date
	Sessions []Session
}

// Session is a run of meetings of equal length, such as the morning, with breaks inside it.
type Session struct {
	Name           string
	Start, End     Clock
	MeetingMinutes int
	Breaks         []Break
}

// Break is a pause inside a session (lunch, coffee) during which nobody meets.
type Break struct {
	Name       string
	Start, End Clock
}

// Table is a numbered table on the floor; Name is what its sign says when not just the number.
type Table struct {
	Number int
	Name   string
	Zone   string
	Chairs int
}

// Label is what an agenda shows for the table.
func (t Table) Label() string {
	if t.Name != "" {
		return t.Name
	}
	return strconv.Itoa(t.Number)
}

// LanguageOffer is a language the event works in and how many interpreters it has for it (0 for
// a language everyone there is expected to speak, such as Vietnamese).
type LanguageOffer struct {
	Code         string
	Interpreters int
}

var languageCode = regexp.MustCompile(`^[a-z]{2,3}$`)

// Validate checks the event; it returns a *models.ValidationError listing every problem.
func (e *Event) Validate() error {
	var p problems
	checkName(&p, "name_vi", e.NameVI, MaxNameLength, true)
	checkName(&p, "name_en", e.NameEN, MaxNameLength, true)
	checkName(&p, "venue", e.Venue, MaxVenueLength, true)
	switch {
	case len(e.Days) == 0:
		p.add("days", "validation.required", nil)
	case len(e.Days) > MaxDays:
		p.add("days", "validation.too_many", models.Args{"Count": len(e.Days), "Max": MaxDays})
	}
	seenDay := map[string]bool{}
	for i, d := range e.Days {
		field := fmt.Sprintf("days[%d]", i)
		if d.Date.IsZero() {
			p.add(field+".date", "validation.required", nil)
		} else if seenDay[d.Date.String()] {
			p.add(field+".date", "event.duplicate", models.Args{"Value": d.Date.String()})
		}
		seenDay[d.Date.String()] = true
		d.validate(&p, field)
	}
	if len(e.Tables) == 0 {
		p.add("tables", "validation.required", nil)
	} else if len(e.Tables) > MaxTables {
		p.add("tables", "validation.too_many", models.Args{"Count": len(e.Tables), "Max": MaxTables})
	}
	seenTable := map[int]bool{}
	for i, t := range e.Tables {
		field := fmt.Sprintf("tables[%d]", i)
		if t.Number < 1 || t.Number > 9999 {
			p.add(field+".number", "validation.number_range", models.Args{"Value": t.Number, "Min": 1, "Max": 9999})
		} else if seenTable[t.Number] {
			p.add(field+".number", "event.duplicate", models.Args{"Value": t.Number})
		}
		seenTable[t.Number] = true
		checkName(&p, field+".name", t.Name, 40, false)
		checkName(&p, field+".zone", t.Zone, 40, false)
		if t.Chairs < 2 || t.Chairs > MaxChairs {
			p.add(field+".chairs", "validation.number_range", models.Args{"Value": t.Chairs, "Min": 2, "Max": MaxChairs})
		}
	}
	if len(e.Languages) > MaxLanguages {
		p.add("languages", "validation.too_many", models.Args{"Count": len(e.Languages), "Max": MaxLanguages})
	}
	seenLang := map[string]bool{}
	for i, l := range e.Languages {
		field := fmt.Sprintf("languages[%d]", i)
		switch {
		case !languageCode.MatchString(l.Code):
			p.add(field+".code", "event.language", models.Args{"Value": quoted(l.Code)})
		case seenLang[l.Code]:
			p.add(field+".code", "event.duplicate", models.Args{"Value": l.Code})
		}
		seenLang[l.Code] = true
		if l.Interpreters < 0 || l.Interpreters > MaxInterpreters {
			p.add(field+".interpreters", "validation.number_range", models.Args{"Value": l.Interpreters, "Min": 0, "Max": MaxInterpreters})
		}
	}
	var start time.Time
	if slots := e.Slots(); len(slots) > 0 {
		start = slots[0].Start
	}
	checkWindow(&p, "registration", e.RegistrationOpens, e.RegistrationCloses, start)
	checkWindow(&p, "requests", e.RequestsOpen, e.RequestsClose, start)
	if e.AnswerWithin < 0 {
		p.add("answer_within", "validation.number_range", models.Args{"Value": e.AnswerWithin.String(), "Min": 0, "Max": "the request window"})
	}
	if e.MaxMeetings < 0 || e.MaxMeetings > MaxMeetingsCap {
		p.add("max_meetings", "validation.number_range", models.Args{"Value": e.MaxMeetings, "Min": 0, "Max": MaxMeetingsCap})
	}
	if e.MaxPerSession < 0 || e.MaxPerSession > MaxMeetingsCap {
		p.add("max_per_session", "validation.number_range", models.Args{"Value": e.MaxPerSession, "Min": 0, "Max": MaxMeetingsCap})
	}
	switch e.Direction {
	case BuyersToSuppliers, SuppliersToBuyers, BothWays:
	default:
		p.add("direction", "event.direction", models.Args{"Value": quoted(e.Direction)})
	}
	return p.err()
}

func (d Day) validate(p *problems, field string) {
	switch {
	case len(d.Sessions) == 0:
		p.add(field+".sessions", "validation.required", nil)
	case len(d.Sessions) > MaxSessionsPerDay:
		p.add(field+".sessions", "validation.too_many", models.Args{"Count": len(d.Sessions), "Max": MaxSessionsPerDay})
	}
	for i, s := range d.Sessions {
		sf := fmt.Sprintf("%s.sessions[%d]", field, i)
		checkName(p, sf+".name", s.Name, 60, true)
		if !s.Start.valid() {
			p.add(sf+".start", "event.clock", models.Args{"Value": quoted(s.Start)})
			continue
		}
		if !s.End.valid() {
			p.add(sf+".end", "event.clock", models.Args{"Value": quoted(s.End)})
			continue
		}
		if s.End <= s.Start {
			p.add(sf+".end", "event.order", models.Args{"Start": s.Start.String(), "End": s.End.String()})
			continue
		}
		for j := range i {
			if o := d.Sessions[j]; o.Start < s.End && s.Start < o.End {
				p.add(sf, "event.overlap", models.Args{"Other": o.Name})
			}
		}
		if s.MeetingMinutes < MinMeetingMinutes || s.MeetingMinutes > MaxMeetingMinutes {
			p.add(sf+".meeting_minutes", "validation.number_range", models.Args{"Value": s.MeetingMinutes, "Min": MinMeetingMinutes, "Max": MaxMeetingMinutes})
			continue
		}
		if len(s.Breaks) > MaxBreaksPerSession {
			p.add(sf+".breaks", "validation.too_many", models.Args{"Count": len(s.Breaks), "Max": MaxBreaksPerSession})
		}
		for k, b := range s.Breaks {
			bf := fmt.Sprintf("%s.breaks[%d]", sf, k)
			switch {
			case !b.Start.valid() || !b.End.valid():
				p.add(bf, "event.clock", models.Args{"Value": quoted(b.Start.String() + "–" + b.End.String())})
			case b.End <= b.Start:
				p.add(bf+".end", "event.order", models.Args{"Start": b.Start.String(), "End": b.End.String()})
			case b.Start < s.Start || b.End > s.End:
				p.add(bf, "event.break_outside", models.Args{"Start": b.Start.String(), "End": b.End.String()})
			}
			for _, o := range s.Breaks[:k] {
				if o.Start < b.End && b.Start < o.End {
					p.add(bf, "event.overlap", models.Args{"Other": o.Name})
				}
			}
		}
		if len(s.clocks()) == 0 {
			p.add(sf, "event.no_slot", models.Args{"Minutes": s.MeetingMinutes})
		}
	}
}

func checkWindow(p *problems, field string, opens, closes, eventStart time.Time) {
	switch {
	case opens.IsZero():
		p.add(field+"_opens", "validation.required", nil)
	case closes.IsZero():
		p.add(field+"_closes", "validation.required", nil)
	case !closes.After(opens):
		p.add(field+"_closes", "event.window_order", models.Args{"Start": stamp(opens), "End": stamp(closes)})
	case !eventStart.IsZero() && closes.After(eventStart):
		p.add(field+"_closes", "event.window_late", models.Args{"Value": stamp(eventStart)})
	}
}

func checkName(p *problems, field, v string, max int, required bool) {
	switch {
	case strings.TrimSpace(v) == "":
		if required {
			p.add(field, "validation.required", nil)
		}
	case !utf8.ValidString(v):
		p.add(field, "validation.not_utf8", nil)
	case utf8.RuneCountInString(v) > max:
		p.add(field, "validation.too_long", models.Args{"Length": utf8.RuneCountInString(v), "Max": max})
	}
}

func stamp(t time.Time) string { return t.In(models.Hanoi).Format("2006-01-02 15:04") }

func quoted(v any) string { return fmt.Sprintf("%q", fmt.Sprint(v)) }
