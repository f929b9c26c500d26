package models

import (
	"testing"
	"time"
)

func TestDatesAreHanoiDates(t *testing.T) {
	expires := DateOf(2027, 6, 30)
	tests := []struct {
		name    string
		now     time.Time
		expired bool
	}{
		{"ValidDuringTheDayInHanoi", time.Date(2027, 6, 30, 12, 0, 0, 0, Hanoi), false},
		{"ValidAtTheLastMinuteInHanoi", time.Date(2027, 6, 30, 23, 59, 59, 0, Hanoi), false},
		{"ExpiredAtMidnightInHanoi", time.Date(2027, 7, 1, 0, 0, 0, 0, Hanoi), true},
		// 18:00 UTC on the 30th is already 1 July in Hanoi.
		{"ExpiredThoughStillTheDayInUTC", time.Date(2027, 6, 30, 18, 0, 0, 0, time.UTC), true},
		{"ValidEarlyInTheDayInUTC", time.Date(2027, 6, 29, 20, 0, 0, 0, time.UTC), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := expires.EndedBy(tt.now); got != tt.expired {
				t.Fatalf("EndedBy(%s) = %v, want %v", tt.now.In(Hanoi), got, tt.expired)
			}
			c := Certificate{Standard: "ISO 9001", Expires: expires}
			if got := c.Status(tt.now) == CertExpired; got != tt.expired {
				t.Fatalf("status at %s: %s", tt.now.In(Hanoi), c.Status(tt.now))
			}
		})
	}
}

func TestTodayInHanoiIsNotInTheFuture(t *testing.T) {
	// 20:00 UTC on 31 December is already 1 January in Hanoi: a certificate issued "today" there
	// is valid, and so is a firm founded in the new year.
	now := time.Date(2026, 12, 31, 20, 0, 0, 0, time.UTC)
	if got := Today(now); got.String() != "2027-01-01" {
		t.Fatalf("Today = %s, want 2027-01-01", got)
	}
	f := &Firm{TaxCode: "0101234567", NameVI: "Công ty TNHH Năm Mới", FoundedYear: 2027,
		Certificates: []Certificate{{Standard: "ISO 9001", IssuedOn: DateOf(2027, 1, 1)}}}
	if err := f.validate(now); err != nil {
		t.Fatalf("a date that is today in Hanoi was refused: %v", err)
	}
	f.Certificates[0].IssuedOn = DateOf(2027, 1, 2)
	if err := f.validate(now); err == nil {
		t.Fatal("an issue date after today in Hanoi was accepted")
	}
}

func TestFieldErrorsCarryMessageKeys(t *testing.T) {
	f := &Firm{TaxCode: "12", NameVI: "", Employees: -1}
	err := f.validate(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	ve, ok := err.(*ValidationError)
	if !ok {
		t.Fatalf("want a ValidationError, got %v", err)
	}
	keys := map[string]bool{}
	for _, fe := range MessageKeys() {
		keys[fe] = true
	}
	for _, fe := range ve.Fields {
		if !keys[fe.Key] {
			t.Errorf("%s: key %q is not a known message key", fe.Field, fe.Key)
		}
		if fe.Reason == "" || fe.Reason == fe.Key {
			t.Errorf("%s: reason %q was not rendered from %q", fe.Field, fe.Reason, fe.Key)
		}
	}
	if got := ve.Fields[0]; got.Field != "tax_code" || got.Key != "validation.tax_code" || got.Args["Value"] != `"12"` {
		t.Errorf("first error = %+v", got)
	}
}
