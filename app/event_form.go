package main

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/event"
)

// The staff form writes an event in a few plain fields: the days one a line, the sessions every
// day has one a line ("Sáng | 08:30-12:00 | 25 | 10:10-10:30"), the tables as a count and the
// chairs at each, the languages as codes with their interpreters ("vi, en, ja:2").

const formTime = "2006-01-02T15:04" // what a datetime-local input sends

// eventFormValues fills the form from a stored event.
func eventFormValues(r *event.Record) url.Values {
	v := url.Values{}
	v.Set("name_vi", r.NameVI)
	v.Set("name_en", r.NameEN)
	v.Set("venue", r.Venue)
	var dates, sessions, langs []string
	for _, d := range r.Days {
		dates = append(dates, d.Date.String())
	}
	if len(r.Days) > 0 {
		for _, s := range r.Days[0].Sessions {
			line := fmt.Sprintf("%s | %s-%s | %d", s.Name, s.Start, s.End, s.MeetingMinutes)
			var bs []string
			for _, b := range s.Breaks {
				bs = append(bs, b.Start.String()+"-"+b.End.String())
			}
			if len(bs) > 0 {
				line += " | " + strings.Join(bs, ", ")
			}
			sessions = append(sessions, line)
		}
	}
	for _, l := range r.Languages {
		if l.Interpreters > 0 {
			langs = append(langs, fmt.Sprintf("%s:%d", l.Code, l.Interpreters))
		} else {
			langs = append(langs, l.Code)
		}
	}
	v.Set("dates", strings.Join(dates, "\n"))
	v.Set("sessions", strings.Join(sessions, "\n"))
	v.Set("languages", strings.Join(langs, ", "))
	v.Set("tables", strconv.Itoa(len(r.Tables)))
	chairs := 4
	if len(r.Tables) > 0 {
		chairs = r.Tables[0].Chairs
	}
	v.Set("chairs", strconv.Itoa(chairs))
	for name, t := range map[string]time.Time{"registration_opens": r.RegistrationOpens, "registration_closes": r.RegistrationCloses,
		"requests_open": r.RequestsOpen, "requests_close": r.RequestsClose} {
		if !t.IsZero() {
			v.Set(name, t.In(models.Hanoi).Format(formTime))
		}
	}
	v.Set("answer_hours", strconv.Itoa(int(r.AnswerWithin/time.Hour)))
	v.Set("max_meetings", strconv.Itoa(r.MaxMeetings))
	v.Set("max_per_session", strconv.Itoa(r.MaxPerSession))
	v.Set("max_buyers", strconv.Itoa(r.MaxBuyers))
	v.Set("max_suppliers", strconv.Itoa(r.MaxSuppliers))
	v.Set("follow_up_days", strconv.Itoa(r.FollowUpAfter()))
	v.Set("direction", string(r.Direction))
	return v
}

// parseEventForm reads the staff form into an event. What cannot be read is returned as field
// errors (by form field) with the event's own checks, so every problem shows at once.
func parseEventForm(v url.Values) (event.Record, []models.FieldError) {
	var errs []models.FieldError
	bad := func(field, key string, args models.Args) {
		errs = append(errs, models.NewFieldError(field, key, args))
	}
	r := event.Record{Event: event.Event{NameVI: strings.TrimSpace(v.Get("name_vi")), NameEN: strings.TrimSpace(v.Get("name_en")),
		Venue: strings.TrimSpace(v.Get("venue")), Direction: event.Direction(v.Get("direction"))}}
	var sessions []event.Session
	for i, line := range lines(v.Get("sessions")) {
		s, ok := parseSessionLine(line)
		if !ok {
			bad("sessions", "event.session_line", models.Args{"Line": i + 1, "Value": strconv.Quote(line)})
			continue
		}
		sessions = append(sessions, s)
	}
	for _, line := range lines(v.Get("dates")) {
		d, err := models.ParseDate(line)
		if err != nil {
			bad("dates", "event.date", models.Args{"Value": strconv.Quote(line)})
			continue
		}
		r.Days = append(r.Days, event.Day{Date: *d, Sessions: append([]event.Session(nil), sessions...)})
	}
	number := func(name string, min, max int) int {
		s := strings.TrimSpace(v.Get(name))
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < min || n > max {
			bad(name, "validation.number_range", models.Args{"Value": strconv.Quote(s), "Min": min, "Max": max})
			return 0
		}
		return n
	}
	tables, chairs := number("tables", 1, event.MaxTables), number("chairs", 2, event.MaxChairs)
	if chairs == 0 {
		chairs = 4
	}
	for i := 1; i <= tables; i++ {
		r.Tables = append(r.Tables, event.Table{Number: i, Chairs: chairs})
	}
	for _, part := range strings.FieldsFunc(v.Get("languages"), func(r rune) bool { return r == ',' || r == ' ' || r == '\n' }) {
		code, count, _ := strings.Cut(strings.TrimSpace(part), ":")
		l := event.LanguageOffer{Code: strings.ToLower(code)}
		if count != "" {
			n, err := strconv.Atoi(count)
			if err != nil {
				bad("languages", "event.language", models.Args{"Value": strconv.Quote(part)})
				continue
			}
			l.Interpreters = n
		}
		r.Languages = append(r.Languages, l)
	}
	instant := func(name string) time.Time {
		s := strings.TrimSpace(v.Get(name))
		if s == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation(formTime, s, models.Hanoi)
		if err != nil {
			bad(name, "event.datetime", models.Args{"Value": strconv.Quote(s)})
		}
		return t
	}
	r.RegistrationOpens, r.RegistrationCloses = instant("registration_opens"), instant("registration_closes")
	r.RequestsOpen, r.RequestsClose = instant("requests_open"), instant("requests_close")
	r.AnswerWithin = time.Duration(number("answer_hours", 0, 24*60)) * time.Hour
	r.MaxMeetings = number("max_meetings", 0, event.MaxMeetingsCap)
	r.MaxPerSession = number("max_per_session", 0, event.MaxMeetingsCap)
	r.MaxBuyers = number("max_buyers", 0, 10000)
	r.MaxSuppliers = number("max_suppliers", 0, 10000)
	r.FollowUpDays = number("follow_up_days", 0, 3*365)
	return r, errs
}

// parseSessionLine reads "NAME | HH:MM-HH:MM | MINUTES | HH:MM-HH:MM, …".
func parseSessionLine(line string) (event.Session, bool) {
	parts := strings.Split(line, "|")
	if len(parts) < 3 || len(parts) > 4 {
		return event.Session{}, false
	}
	s := event.Session{Name: strings.TrimSpace(parts[0])}
	var ok bool
	if s.Start, s.End, ok = parseSpan(parts[1]); !ok {
		return s, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(parts[2]))
	if err != nil {
		return s, false
	}
	s.MeetingMinutes = n
	if len(parts) == 4 {
		for i, b := range strings.Split(parts[3], ",") {
			if strings.TrimSpace(b) == "" {
				continue
			}
			start, end, ok := parseSpan(b)
			if !ok {
				return s, false
			}
			s.Breaks = append(s.Breaks, event.Break{Name: fmt.Sprintf("%d", i+1), Start: start, End: end})
		}
	}
	return s, true
}

func parseSpan(s string) (event.Clock, event.Clock, bool) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return 0, 0, false
	}
	start, err1 := event.ParseClock(strings.TrimSpace(a))
	end, err2 := event.ParseClock(strings.TrimSpace(b))
	return start, end, err1 == nil && err2 == nil
}

// eventFormField is the form field that shows a model error on field: every error inside the
// days and sessions shows on the sessions box, and so on.
func eventFormField(field string) string {
	switch {
	case strings.HasPrefix(field, "days[") && strings.HasSuffix(field, "].date"):
		return "dates"
	case strings.HasPrefix(field, "days"):
		if strings.Contains(field, "sessions") {
			return "sessions"
		}
		return "dates"
	case strings.HasPrefix(field, "tables"):
		if strings.HasSuffix(field, ".chairs") {
			return "chairs"
		}
		return "tables"
	case strings.HasPrefix(field, "languages"):
		return "languages"
	case field == "answer_within":
		return "answer_hours"
	}
	return field
}
