package main

import (
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/hanoi-cnht/portal/models/event"
)

func eventFormBase() url.Values {
	return url.Values{"name_vi": {"Ngày kết nối"}, "name_en": {"Matching day"}, "venue": {"Hà Nội"},
		"dates": {"2026-10-14\n2026-10-15"}, "direction": {"both"}, "chairs": {"4"},
		"registration_opens": {"2026-08-01T08:00"}, "registration_closes": {"2026-09-30T17:00"},
		"requests_open": {"2026-08-15T08:00"}, "requests_close": {"2026-10-10T17:00"}}
}

// TestEventFormDaysTablesLanguages: the form gives a day sessions of its own, tables their
// zones, chairs and names, and languages their interpreters; what it cannot read is named by
// field; and a stored event fills the form so that sending it back changes nothing.
func TestEventFormDaysTablesLanguages(t *testing.T) {
	v := eventFormBase()
	v.Set("sessions", "Sáng | 08:30-12:00 | 30 | 10:30-10:45\nChiều | 13:30-17:00 | 30\n2026-10-15 | Sáng | 08:30-11:30 | 30")
	v.Set("tables", "1-6 | A | 4\n7-10 | B\n11 | VIP | 6 | VIP 1")
	v.Set("languages", "vi, en:3, ja:2, ko:1")
	r, errs := parseEventForm(v)
	if len(errs) != 0 {
		t.Fatalf("errors %+v", errs)
	}
	if err := r.ValidateRecord(); err != nil {
		t.Fatal(err)
	}
	if len(r.Days) != 2 || len(r.Days[0].Sessions) != 2 || len(r.Days[1].Sessions) != 1 || r.Days[1].Sessions[0].End != 11*60+30 {
		t.Fatalf("days %+v", r.Days)
	}
	if len(r.Tables) != 11 || r.Tables[0].Zone != "A" || r.Tables[7].Zone != "B" || r.Tables[7].Chairs != 4 ||
		r.Tables[10] != (event.Table{Number: 11, Zone: "VIP", Chairs: 6, Name: "VIP 1"}) {
		t.Fatalf("tables %+v", r.Tables)
	}
	if r.Languages[1] != (event.LanguageOffer{Code: "en", Interpreters: 3}) {
		t.Fatalf("languages %+v", r.Languages)
	}
	t.Run("RoundTrip", func(t *testing.T) {
		back := eventFormValues(&r)
		again, errs := parseEventForm(back)
		if len(errs) != 0 || !reflect.DeepEqual(again.Days, r.Days) || !reflect.DeepEqual(again.Tables, r.Tables) ||
			!reflect.DeepEqual(again.Languages, r.Languages) {
			t.Fatalf("round trip: %+v\n%q\n%q", errs, back.Get("sessions"), back.Get("tables"))
		}
		if !strings.Contains(back.Get("sessions"), "2026-10-15 | Sáng") {
			t.Errorf("sessions %q", back.Get("sessions"))
		}
	})
	t.Run("PlainCount", func(t *testing.T) {
		v := eventFormBase()
		v.Set("sessions", "Sáng | 08:30-12:00 | 30")
		v.Set("tables", "12")
		r, errs := parseEventForm(v)
		if len(errs) != 0 || len(r.Tables) != 12 || r.Tables[11].Chairs != 4 || len(r.Days[1].Sessions) != 1 {
			t.Fatalf("%+v %+v", errs, r.Tables)
		}
		if got := eventFormValues(&r).Get("tables"); got != "12" {
			t.Fatalf("tables written back as %q", got)
		}
	})
	for name, c := range map[string]struct{ field, value, key string }{
		"ErrTableLine":   {"tables", "1-6 | A | four", "event.table_line"},
		"ErrNamedRange":  {"tables", "1-2 | A | 4 | VIP", "event.table_line"},
		"ErrSessionDay":  {"sessions", "Sáng | 08:30-12:00 | 30\n2026-11-01 | Sáng | 08:30-11:00 | 30", "event.session_day"},
		"ErrSessionLine": {"sessions", "2026-10-15 | Sáng | nonsense", "event.session_line"},
		"ErrLanguage":    {"languages", "vi, en:many", "event.language"},
	} {
		t.Run(name, func(t *testing.T) {
			v := eventFormBase()
			v.Set("sessions", "Sáng | 08:30-12:00 | 30")
			v.Set("tables", "4")
			v.Set(c.field, c.value)
			_, errs := parseEventForm(v)
			if len(errs) != 1 || errs[0].Field != c.field || errs[0].Key != c.key {
				t.Fatalf("errors %+v", errs)
			}
		})
	}
}

// TestEventFormErrorsNamedInBothLanguages: a table line and a day's sessions that cannot be
// read are named on their fields, in the page's language.
func TestEventFormErrorsNamedInBothLanguages(t *testing.T) {
	fx := newAuthzFixture(t)
	staffC := fx.as(t, "staff")
	for lang, want := range map[string][]string{"": {"không theo dạng SỐ", "không phải một ngày"}, "/en": {"is not in the form NUMBER", "which is not one of the days"}} {
		form := staffC.get(lang + "/staff/events/new")
		values := formOf(t, form.Doc, "form.form")
		values.Set("tables", "1-6 | A | four")
		values.Set("sessions", values.Get("sessions")+"\n2000-01-01 | Sáng | 08:30-11:00 | 30")
		bad := staffC.post(lang+"/staff/events", values)
		expectStatus(t, bad, 422)
		for _, id := range []string{"#f-tables-error", "#f-sessions-error"} {
			if bad.Doc.Find(".error-summary a[href='"+strings.TrimSuffix(id, "-error")+"']").Length() == 0 {
				t.Errorf("%s: no error summary link to %s", lang, id)
			}
		}
		if got := bad.Doc.Find("#f-tables-error").Text(); !strings.Contains(got, want[0]) {
			t.Errorf("%s: tables error %q", lang, got)
		}
		if got := bad.Doc.Find("#f-sessions-error").Text(); !strings.Contains(got, want[1]) {
			t.Errorf("%s: sessions error %q", lang, got)
		}
	}
}
