package event

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hanoi-cnht/portal/models"
)

// The file the command "schedule solve" reads and writes. It is a plain JSON object, shaped for
// people who compute schedules outside the portal:
//
//	{"slots": 21,
//	 "sessions": [{"name": "am", "slots": [1, 13]}, {"name": "pm", "slots": [14, 21]}],
//	 "tables": 14,
//	 "max_breaks_spread": 2,
//	 "participants": [{"id": "p1", "unavailable": [3, 4]}, {"id": "p2"}],
//	 "meetings": [{"id": "m1", "participants": ["p1", "p2"], "session": "am", "fixed_slot": 0, "priority": 1}]}
//
// "tables" is either how many tables there are, or one number per slot: how many tables exist
// in that slot. Everything but slots, tables, participants and meetings is optional.
// fixed_slot 0 leaves the meeting free; a higher priority is placed first.

// MaxFileBytes is the largest problem file ReadProblemFile accepts.
const MaxFileBytes = 64 << 20

// MaxFileTables is the most tables a problem file may have in one slot.
const MaxFileTables = 10000

// FileError is a problem file that cannot be read: every field that is missing, of the wrong
// type or not part of the format, or that breaks a rule of the problem, named by its path in the
// file (meetings[3].fixed_slot).
type FileError struct {
	Fields []models.FieldError
}

func (e *FileError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Reason
		if f.Field == "" {
			parts[i] = f.Reason
		}
	}
	return "the problem file is not valid: " + strings.Join(parts, "; ")
}

// Has reports whether field is among the errors.
func (e *FileError) Has(field string) bool {
	return slices.ContainsFunc(e.Fields, func(f models.FieldError) bool { return f.Field == field })
}

// fileReader walks the decoded JSON and collects what is wrong with it. Its messages are for the
// command line, in English; a meaning the problem's own validation has (a slot out of range, an
// unknown participant) comes from Problem.Validate with its message key.
type fileReader struct{ errs []models.FieldError }

func (r *fileReader) fail(field, format string, a ...any) {
	r.errs = append(r.errs, models.FieldError{Field: field, Key: "file.invalid", Reason: fmt.Sprintf(format, a...)})
}

// ReadProblemFile reads a problem file (see the format above) into a Problem. Every error is a
// *FileError naming the fields at fault; the problem returned has passed Problem.Validate.
func ReadProblemFile(in io.Reader) (*Problem, error) {
	data, err := io.ReadAll(io.LimitReader(in, MaxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileBytes {
		return nil, &FileError{Fields: []models.FieldError{{Key: "file.invalid", Reason: fmt.Sprintf("the file is larger than %d MiB", MaxFileBytes>>20)}}}
	}
	return parseProblemFile(data)
}

func parseProblemFile(data []byte) (*Problem, error) {
	r := &fileReader{}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		r.fail("", "not JSON: %s", jsonProblem(data, err))
		return nil, &FileError{Fields: r.errs}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		r.fail("", "not JSON: more follows the object, at %s", position(data, dec.InputOffset()))
		return nil, &FileError{Fields: r.errs}
	}
	p := r.problem(root)
	if len(r.errs) > 0 {
		return nil, &FileError{Fields: r.errs}
	}
	if err := p.Validate(); err != nil {
		var ve *models.ValidationError
		if !errors.As(err, &ve) {
			return nil, err
		}
		out := &FileError{}
		for _, f := range ve.Fields {
			// The file says fixed_slot where the problem has a fixed seat.
			f.Field = strings.Replace(f.Field, ".fixed.slot", ".fixed_slot", 1)
			out.Fields = append(out.Fields, f)
		}
		return nil, out
	}
	return p, nil
}

// jsonProblem says where and why the JSON does not parse.
func jsonProblem(data []byte, err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%s, at %s", se.Error(), position(data, se.Offset))
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "the file ends before the JSON does"
	}
	return err.Error()
}

// position is the line and column of a byte offset, for people reading the file in an editor.
func position(data []byte, offset int64) string {
	offset = max(0, min(offset, int64(len(data))))
	line := 1 + bytes.Count(data[:offset], []byte("\n"))
	col := offset - int64(bytes.LastIndexByte(data[:offset], '\n'))
	return fmt.Sprintf("line %d, column %d", line, col)
}

func (r *fileReader) problem(root any) *Problem {
	obj, ok := r.object("", root, []string{"slots", "sessions", "tables", "max_breaks_spread", "participants", "meetings"})
	if !ok {
		return nil
	}
	p := &Problem{}
	if v, ok := r.required("slots", obj); ok {
		p.Slots, _ = r.integer("slots", v)
	}
	if v, ok := obj["sessions"]; ok {
		for i, item := range r.array("sessions", v) {
			f := fmt.Sprintf("sessions[%d]", i)
			so, ok := r.object(f, item, []string{"name", "slots"})
			if !ok {
				continue
			}
			var s SessionSpan
			if v, ok := r.required(f+".name", so); ok {
				s.Name, _ = r.str(f+".name", v)
			}
			if v, ok := r.required(f+".slots", so); ok {
				span := r.array(f+".slots", v)
				if span != nil && len(span) != 2 {
					r.fail(f+".slots", "must be [first, last], two slot numbers; it has %d", len(span))
				} else if span != nil {
					s.Slots[0], _ = r.integer(f+".slots[0]", span[0])
					s.Slots[1], _ = r.integer(f+".slots[1]", span[1])
				}
			}
			p.Sessions = append(p.Sessions, s)
		}
	}
	if v, ok := r.required("tables", obj); ok {
		p.Tables = r.tables(v, p.Slots)
	}
	if v, ok := obj["max_breaks_spread"]; ok {
		if n, ok := r.integer("max_breaks_spread", v); ok {
			p.MaxBreaksSpread = &n
		}
	}
	if v, ok := r.required("participants", obj); ok {
		for i, item := range r.array("participants", v) {
			f := fmt.Sprintf("participants[%d]", i)
			po, ok := r.object(f, item, []string{"id", "unavailable"})
			if !ok {
				continue
			}
			var ps Person
			if v, ok := r.required(f+".id", po); ok {
				ps.ID, _ = r.str(f+".id", v)
			}
			if v, ok := po["unavailable"]; ok {
				for j, s := range r.array(f+".unavailable", v) {
					if n, ok := r.integer(fmt.Sprintf("%s.unavailable[%d]", f, j), s); ok {
						ps.Unavailable = append(ps.Unavailable, n)
					}
				}
			}
			p.Participants = append(p.Participants, ps)
		}
	}
	if v, ok := r.required("meetings", obj); ok {
		for i, item := range r.array("meetings", v) {
			f := fmt.Sprintf("meetings[%d]", i)
			mo, ok := r.object(f, item, []string{"id", "participants", "session", "fixed_slot", "priority"})
			if !ok {
				continue
			}
			var m MeetingToPlace
			if v, ok := r.required(f+".id", mo); ok {
				m.ID, _ = r.str(f+".id", v)
			}
			if v, ok := r.required(f+".participants", mo); ok {
				who := r.array(f+".participants", v)
				if who != nil && len(who) < 2 {
					r.fail(f+".participants", "a meeting needs two participants or more; it has %d", len(who))
				}
				for j, w := range who {
					if id, ok := r.str(fmt.Sprintf("%s.participants[%d]", f, j), w); ok {
						m.Participants = append(m.Participants, id)
					}
				}
			}
			if v, ok := mo["session"]; ok {
				m.Session, _ = r.str(f+".session", v)
			}
			if v, ok := mo["fixed_slot"]; ok {
				if n, ok := r.integer(f+".fixed_slot", v); ok && n != 0 {
					m.Fixed = &Seat{Slot: n}
				}
			}
			if v, ok := mo["priority"]; ok {
				m.Priority, _ = r.integer(f+".priority", v)
			}
			p.Meetings = append(p.Meetings, m)
		}
	}
	return p
}

// tables reads "tables": a count, or one count per slot. Table k exists in the slots whose count
// is at least k.
func (r *fileReader) tables(v any, slots int) []TableSpec {
	if _, isList := v.([]any); !isList {
		n, ok := r.integer("tables", v)
		if !ok {
			return nil
		}
		if n < 1 || n > MaxFileTables {
			r.fail("tables", "%d must be between 1 and %d", n, MaxFileTables)
			return nil
		}
		out := make([]TableSpec, n)
		for t := range out {
			out[t].ID = t + 1
		}
		return out
	}
	list := r.array("tables", v)
	if slots >= 1 && len(list) != slots {
		r.fail("tables", "gives %d numbers; with one number per slot it needs %d", len(list), slots)
		return nil
	}
	counts := make([]int, len(list))
	most := 0
	for s, item := range list {
		f := fmt.Sprintf("tables[%d]", s)
		n, ok := r.integer(f, item)
		if !ok {
			continue
		}
		if n < 0 || n > MaxFileTables {
			r.fail(f, "%d must be between 0 and %d", n, MaxFileTables)
			continue
		}
		counts[s] = n
		most = max(most, n)
	}
	if most == 0 {
		r.fail("tables", "no slot has a table")
		return nil
	}
	out := make([]TableSpec, most)
	for t := range out {
		out[t].ID = t + 1
		for s, n := range counts {
			if n <= t {
				out[t].Unavailable = append(out[t].Unavailable, s+1)
			}
		}
	}
	return out
}

func (r *fileReader) required(field string, obj map[string]any) (any, bool) {
	v, ok := obj[field[strings.LastIndexByte(field, '.')+1:]]
	if !ok {
		r.fail(field, "is required")
	}
	return v, ok
}

// object checks that v is an object with no key but those allowed.
func (r *fileReader) object(field string, v any, allowed []string) (map[string]any, bool) {
	obj, ok := v.(map[string]any)
	if !ok {
		r.fail(field, "must be an object, not %s", kind(v))
		return nil, false
	}
	unknown := []string{}
	for k := range obj {
		if !slices.Contains(allowed, k) {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	for _, k := range unknown {
		name := k
		if field != "" {
			name = field + "." + k
		}
		r.fail(name, "is not part of the format (it has %s)", strings.Join(allowed, ", "))
	}
	return obj, true
}

func (r *fileReader) array(field string, v any) []any {
	a, ok := v.([]any)
	if !ok {
		r.fail(field, "must be a list, not %s", kind(v))
	}
	return a
}

func (r *fileReader) str(field string, v any) (string, bool) {
	s, ok := v.(string)
	if !ok {
		r.fail(field, "must be a string, not %s", kind(v))
	}
	return s, ok
}

// integer reads a whole number small enough for any field of the format.
func (r *fileReader) integer(field string, v any) (int, bool) {
	num, ok := v.(json.Number)
	if !ok {
		r.fail(field, "must be a whole number, not %s", kind(v))
		return 0, false
	}
	n, err := strconv.ParseInt(string(num), 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(string(num), 64)
		if ferr != nil || f != math.Trunc(f) || math.Abs(f) > 1e9 {
			r.fail(field, "must be a whole number, not %s", num)
			return 0, false
		}
		n = int64(f)
	}
	if n < -1e9 || n > 1e9 {
		r.fail(field, "%s is out of range", num)
		return 0, false
	}
	return int(n), true
}

func kind(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "true or false"
	case string:
		return fmt.Sprintf("the string %q", v)
	case json.Number:
		return "the number " + string(v)
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// ScheduleFile is the schedule the command "schedule solve" writes: where each placed meeting
// sits, the meetings left out, the breaks, and a proven upper bound (Bound.Total) on the meetings
// that a schedule placing higher priorities first could place.
type ScheduleFile struct {
	Assignments []FileAssignment `json:"assignments"`
	Unscheduled []string         `json:"unscheduled"`
	Breaks      int              `json:"breaks"`
	MaxBreaks   int              `json:"max_breaks"`
	MinBreaks   int              `json:"min_breaks"`
	UpperBound  int              `json:"upper_bound"`
	Seconds     float64          `json:"seconds"`
}

// FileAssignment is a placed meeting in a ScheduleFile.
type FileAssignment struct {
	Meeting string `json:"meeting"`
	Slot    int    `json:"slot"`
	Table   int    `json:"table"`
}

// FixedConflictError is a fixed meeting that cannot stay at its slot: the file asks for what no
// schedule can give.
type FixedConflictError struct {
	Conflicts []Unplaced
}

func (e *FixedConflictError) Error() string {
	parts := make([]string, len(e.Conflicts))
	for i, c := range e.Conflicts {
		parts[i] = fmt.Sprintf("meeting %s: %s", c.Meeting, c.Reason)
	}
	return "fixed meetings cannot be placed at their fixed slot: " + strings.Join(parts, "; ")
}

// SolveFile solves a problem read from a file and gives the schedule in the file's form. A
// fixed meeting that cannot stay where it is fixed is a *FixedConflictError.
func SolveFile(p *Problem, opt Options) (*ScheduleFile, error) {
	start := time.Now()
	s, err := Solve(p, opt)
	if err != nil {
		return nil, err
	}
	if len(s.Conflicts) > 0 {
		return nil, &FixedConflictError{Conflicts: s.Conflicts}
	}
	out := &ScheduleFile{Assignments: []FileAssignment{}, Unscheduled: []string{},
		Breaks: s.Breaks, MaxBreaks: s.MaxBreaks, MinBreaks: s.MinBreaks, UpperBound: s.Bound.Total,
		Seconds: math.Round(time.Since(start).Seconds()*1000) / 1000}
	for _, a := range s.Assignments {
		out.Assignments = append(out.Assignments, FileAssignment{Meeting: a.Meeting, Slot: a.Slot, Table: a.Table})
	}
	for _, u := range s.Unscheduled {
		out.Unscheduled = append(out.Unscheduled, u.Meeting)
	}
	return out, nil
}

// CheckScheduleFile verifies a schedule file against its problem without the scheduler, so that
// a schedule made by any program can be checked: every meeting is placed once or listed as
// unscheduled; nobody and no table is in two meetings at once; every table exists in its slot;
// nobody meets in a slot they are unavailable; meetings keep to their session; fixed meetings
// are at their slot; the breaks, most and fewest breaks are what the assignments give; and no
// more meetings are placed than the upper bound. It returns every violation found.
func CheckScheduleFile(p *Problem, s *ScheduleFile) []string {
	var bad []string
	fail := func(f string, a ...any) { bad = append(bad, fmt.Sprintf(f, a...)) }
	meetings := map[string]*MeetingToPlace{}
	for i := range p.Meetings {
		meetings[p.Meetings[i].ID] = &p.Meetings[i]
	}
	away := map[string]map[int]bool{}
	for _, ps := range p.Participants {
		away[ps.ID] = map[int]bool{}
		for _, s := range ps.Unavailable {
			away[ps.ID][s] = true
		}
	}
	tableAt := func(id, slot int) bool {
		for _, t := range p.Tables {
			if t.ID == id {
				return !slices.Contains(t.Unavailable, slot)
			}
		}
		return false
	}
	session := map[string][2]int{}
	for _, ss := range p.Sessions {
		session[ss.Name] = ss.Slots
	}
	seen := map[string]string{}
	mark := func(id, where string) {
		if prev, ok := seen[id]; ok {
			fail("meeting %s is both %s and %s", id, prev, where)
		}
		seen[id] = where
	}
	person := map[[2]any]string{}
	table := map[[2]int]string{}
	var placed []Assignment
	for _, a := range s.Assignments {
		mark(a.Meeting, "assigned")
		m := meetings[a.Meeting]
		if m == nil {
			fail("assignment of unknown meeting %s", a.Meeting)
			continue
		}
		if a.Slot < 1 || a.Slot > p.Slots {
			fail("%s in slot %d, which does not exist", a.Meeting, a.Slot)
			continue
		}
		placed = append(placed, Assignment{Meeting: a.Meeting, Slot: a.Slot, Table: a.Table})
		if span, ok := session[m.Session]; m.Session != "" && (!ok || a.Slot < span[0] || a.Slot > span[1]) {
			fail("%s in slot %d, outside its session %s", a.Meeting, a.Slot, m.Session)
		}
		if m.Fixed != nil && m.Fixed.Slot != 0 && m.Fixed.Slot != a.Slot {
			fail("%s is fixed at slot %d but placed in slot %d", a.Meeting, m.Fixed.Slot, a.Slot)
		}
		for _, q := range m.Participants {
			if away[q][a.Slot] {
				fail("%s: %s is unavailable in slot %d", a.Meeting, q, a.Slot)
			}
			if o, ok := person[[2]any{q, a.Slot}]; ok {
				fail("%s double-booked in slot %d: %s and %s", q, a.Slot, o, a.Meeting)
			}
			person[[2]any{q, a.Slot}] = a.Meeting
		}
		if !tableAt(a.Table, a.Slot) {
			fail("%s at table %d, which does not exist in slot %d", a.Meeting, a.Table, a.Slot)
		}
		if o, ok := table[[2]int{a.Table, a.Slot}]; ok {
			fail("table %d double-booked in slot %d: %s and %s", a.Table, a.Slot, o, a.Meeting)
		}
		table[[2]int{a.Table, a.Slot}] = a.Meeting
	}
	for _, id := range s.Unscheduled {
		mark(id, "unscheduled")
		if meetings[id] == nil {
			fail("unknown meeting %s listed as unscheduled", id)
		}
	}
	for _, m := range p.Meetings {
		if _, ok := seen[m.ID]; !ok {
			fail("meeting %s is neither placed nor unscheduled", m.ID)
		}
	}
	total, most, fewest := CountBreaks(p, placed)
	if s.Breaks != total || s.MaxBreaks != most || s.MinBreaks != fewest {
		fail("breaks %d (%d–%d) reported, the assignments give %d (%d–%d)", s.Breaks, s.MinBreaks, s.MaxBreaks, total, fewest, most)
	}
	if len(s.Assignments) > s.UpperBound {
		fail("%d meetings placed, above the upper bound %d", len(s.Assignments), s.UpperBound)
	}
	return bad
}

// CountBreaks counts the breaks of placed meetings from their slots alone: for each participant
// (and interpreter) with a meeting, the maximal runs of idle slots between two of its meetings
// on the same day. It returns their sum and the most and fewest one participant has.
func CountBreaks(p *Problem, placed []Assignment) (total, most, fewest int) {
	who := map[string][]string{}
	for _, m := range p.Meetings {
		who[m.ID] = m.Participants
	}
	day := func(slot int) int {
		for _, ss := range p.Sessions {
			if ss.Slots[0] <= slot && slot <= ss.Slots[1] {
				return ss.Day
			}
		}
		return 0
	}
	slotsOf := map[string][]int{}
	for _, a := range placed {
		people := who[a.Meeting]
		if a.Interpreter != "" {
			people = append(slices.Clone(people), a.Interpreter)
		}
		for _, q := range people {
			slotsOf[q] = append(slotsOf[q], a.Slot)
		}
	}
	fewest = -1
	for _, slots := range slotsOf {
		slices.Sort(slots)
		n := 0
		for k := 1; k < len(slots); k++ {
			if slots[k] > slots[k-1]+1 && day(slots[k]) == day(slots[k-1]) {
				n++
			}
		}
		total += n
		most = max(most, n)
		if fewest < 0 || n < fewest {
			fewest = n
		}
	}
	return total, most, max(fewest, 0)
}
