package main

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/event"
)

// The staff form writes an event in a few plain fields: the days one a line; the sessions one a
// line ("Sáng | 08:30-12:00 | 25 | 10:10-10:30"), which every day has unless a line starting with
// a date gives that day sessions of its own ("2026-10-15 | Sáng | 08:30-11:30 | 30"); the tables
// as a count with the chairs at each, or one a line, a number or a range with its zone, chairs
// and name ("1-6 | A | 4", "11 | VIP | 6 | VIP 1"); the languages as codes with their
// interpreters ("vi, en, ja:2").

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
	for i, d := range r.Days {
		if i > 0 && sameSessions(d.Sessions, r.Days[0].Sessions) {
			continue
		}
		for _, ss := range d.Sessions {
			line := sessionLine(ss)
			if i > 0 {
				line = d.Date.String() + " | " + line
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
	chairs := 4
	if len(r.Tables) > 0 {
		chairs = r.Tables[0].Chairs
	}
	v.Set("tables", tableLines(r.Tables, chairs))
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
	byDate := map[string][]event.Session{}
	dated := map[string]int{} // the first line giving a date its own sessions
	for i, line := range lines(v.Get("sessions")) {
		date, rest := "", line
		if head, tail, ok := strings.Cut(line, "|"); ok {
			if d, err := models.ParseDate(strings.TrimSpace(head)); err == nil {
				date, rest = d.String(), tail
			}
		}
		s, ok := parseSessionLine(rest)
		if !ok {
			bad("sessions", "event.session_line", models.Args{"Line": i + 1, "Value": strconv.Quote(line)})
			continue
		}
		if date == "" {
			sessions = append(sessions, s)
			continue
		}
		if _, seen := dated[date]; !seen {
			dated[date] = i + 1
		}
		byDate[date] = append(byDate[date], s)
	}
	for _, line := range lines(v.Get("dates")) {
		d, err := models.ParseDate(line)
		if err != nil {
			bad("dates", "event.date", models.Args{"Value": strconv.Quote(line)})
			continue
		}
		own, ok := byDate[d.String()]
		if !ok {
			own = sessions
		}
		delete(dated, d.String())
		r.Days = append(r.Days, event.Day{Date: *d, Sessions: append([]event.Session(nil), own...)})
	}
	for _, date := range slices.Sorted(maps.Keys(dated)) {
		bad("sessions", "event.session_day", models.Args{"Line": dated[date], "Value": date})
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
	chairs := number("chairs", 2, event.MaxChairs)
	if chairs == 0 {
		chairs = 4
	}
	if count := strings.TrimSpace(v.Get("tables")); !strings.ContainsAny(count, "|\n-") {
		for i := 1; i <= number("tables", 1, event.MaxTables); i++ {
			r.Tables = append(r.Tables, event.Table{Number: i, Chairs: chairs})
		}
	} else {
		for i, line := range lines(count) {
			ts, ok := parseTableLine(line, chairs)
			if !ok {
				bad("tables", "event.table_line", models.Args{"Line": i + 1, "Value": strconv.Quote(line)})
				continue
			}
			r.Tables = append(r.Tables, ts...)
		}
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

// sessionLine writes a session as parseSessionLine reads it.
func sessionLine(s event.Session) string {
	line := fmt.Sprintf("%s | %s-%s | %d", s.Name, s.Start, s.End, s.MeetingMinutes)
	var bs []string
	for _, b := range s.Breaks {
		bs = append(bs, b.Start.String()+"-"+b.End.String())
	}
	if len(bs) > 0 {
		line += " | " + strings.Join(bs, ", ")
	}
	return line
}

func sameSessions(a, b []event.Session) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if sessionLine(a[i]) != sessionLine(b[i]) {
			return false
		}
	}
	return true
}

// tableLines writes the tables as the form reads them: their count when all are numbered 1…N
// with the same chairs and no zone or name, else a line a run of alike tables.
func tableLines(ts []event.Table, chairs int) string {
	plain := true
	for i, t := range ts {
		plain = plain && t.Number == i+1 && t.Zone == "" && t.Name == "" && t.Chairs == chairs
	}
	if plain {
		return strconv.Itoa(len(ts))
	}
	var out []string
	for i := 0; i < len(ts); {
		j := i
		for j+1 < len(ts) && ts[i].Name == "" && ts[j+1].Name == "" && ts[j+1].Number == ts[j].Number+1 &&
			ts[j+1].Zone == ts[i].Zone && ts[j+1].Chairs == ts[i].Chairs {
			j++
		}
		line := strconv.Itoa(ts[i].Number)
		if j > i {
			line += "-" + strconv.Itoa(ts[j].Number)
		}
		line += fmt.Sprintf(" | %s | %d", ts[i].Zone, ts[i].Chairs)
		if ts[i].Name != "" {
			line += " | " + ts[i].Name
		}
		out = append(out, line)
		i = j + 1
	}
	return strings.Join(out, "\n")
}

// parseTableLine reads "NUMBER[-LAST] | ZONE | CHAIRS | NAME", everything after the numbers
// optional; chairs is the count when the line gives none. A name goes with a single table.
func parseTableLine(line string, chairs int) ([]event.Table, bool) {
	parts := strings.Split(line, "|")
	if len(parts) > 4 {
		return nil, false
	}
	first, last, isRange := strings.Cut(strings.TrimSpace(parts[0]), "-")
	a, err1 := strconv.Atoi(strings.TrimSpace(first))
	b, err2 := a, error(nil)
	if isRange {
		b, err2 = strconv.Atoi(strings.TrimSpace(last))
	}
	if err1 != nil || err2 != nil || b < a || b-a >= event.MaxTables {
		return nil, false
	}
	t := event.Table{Chairs: chairs}
	if len(parts) > 1 {
		t.Zone = strings.TrimSpace(parts[1])
	}
	if len(parts) > 2 && strings.TrimSpace(parts[2]) != "" {
		n, err := strconv.Atoi(strings.TrimSpace(parts[2]))
		if err != nil {
			return nil, false
		}
		t.Chairs = n
	}
	if len(parts) > 3 {
		if t.Name = strings.TrimSpace(parts[3]); t.Name != "" && a != b {
			return nil, false
		}
	}
	var out []event.Table
	for n := a; n <= b; n++ {
		t.Number = n
		out = append(out, t)
	}
	return out, true
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
		return "tables"
	case strings.HasPrefix(field, "languages"):
		return "languages"
	case field == "answer_within":
		return "answer_hours"
	}
	return field
}
