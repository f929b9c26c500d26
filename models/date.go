package models

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"
)

// Hanoi is the portal's time zone (Asia/Ho_Chi_Minh, UTC+7 without daylight saving since 1975).
// A fixed zone needs no tz database, which a slim container image may lack.
var Hanoi = time.FixedZone("ICT", 7*60*60)

// Today is the calendar day it is in Hanoi at the instant now.
func Today(now time.Time) Date {
	y, m, d := now.In(Hanoi).Date()
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// Date is a calendar day stored as YYYY-MM-DD.
type Date struct{ time.Time }

// DateOf makes a Date from a year, month and day.
func DateOf(y int, m time.Month, d int) *Date {
	return &Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// ParseDate reads YYYY-MM-DD.
func ParseDate(s string) (*Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return nil, fmt.Errorf("%q is not a date in the form YYYY-MM-DD", s)
	}
	return &Date{t}, nil
}

// EndedBy reports whether the day is over in Hanoi at the instant now: a certificate that
// expires on a day is valid until the end of that day, Hanoi time.
func (d Date) EndedBy(now time.Time) bool { return !now.Before(d.End()) }

// End is the instant the day ends in Hanoi: midnight at the start of the next day.
func (d Date) End() time.Time {
	y, m, day := d.Date()
	return time.Date(y, m, day+1, 0, 0, 0, 0, Hanoi)
}

// AfterToday reports whether the day is later than the day it is in Hanoi at now.
func (d Date) AfterToday(now time.Time) bool {
	return d.Time.After(Today(now).Time)
}

func (d Date) String() string { return d.Format(time.DateOnly) }

// Value stores the date as text.
func (d Date) Value() (driver.Value, error) { return d.String(), nil }

// Scan reads a date stored as text or time.
func (d *Date) Scan(v any) error {
	switch x := v.(type) {
	case time.Time:
		d.Time = time.Date(x.Year(), x.Month(), x.Day(), 0, 0, 0, 0, time.UTC)
		return nil
	case string:
		return d.scanString(x)
	case []byte:
		return d.scanString(string(x))
	}
	return fmt.Errorf("cannot read a date from %T", v)
}

func (d *Date) scanString(s string) error {
	if len(s) > 10 {
		s = s[:10]
	}
	p, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = *p
	return nil
}

// MarshalJSON writes YYYY-MM-DD.
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads YYYY-MM-DD.
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	return d.scanString(s)
}
