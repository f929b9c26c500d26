package main

import (
	"errors"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/auth"
	"github.com/hanoi-cnht/portal/models/upload"
)

// form is what a form page shows: what the user typed (kept when the form is refused), the
// errors by field in the page's language, the forgery token and where to go next.
type form struct {
	Lang   string
	Values url.Values
	Errors map[string]string
	// Order lists the fields with errors in the order they were found, for the summary.
	Order []string
	CSRF  string
	Next  string
	// Done names a notice shown after a redirect ("password_changed"); only known names show.
	Done string
}

func (s *Server) newForm(c echo.Context) *form {
	f := &form{Lang: pageLang(c), Values: url.Values{}, Errors: map[string]string{}, CSRF: s.csrfToken(c),
		Next: safeNext(c.FormValue("next")), Done: c.QueryParam("done")}
	if c.Request().Method == "POST" {
		if params, err := c.FormParams(); err == nil {
			for k, v := range params {
				if k != csrfField && !strings.Contains(k, "password") {
					f.Values[k] = v
				}
			}
		}
	}
	return f
}

// doneNotices are the notices a page shows after a redirect (?done=NAME), message "done.NAME".
var doneNotices = []string{"signed_up", "verified", "verification_sent", "password_changed", "email_link_sent",
	"email_changed", "sessions_ended", "reset_sent", "password_set",
	// The staff area's.
	"claim_decided", "certificate_decided", "profile_reviewed", "invited", "role_changed", "account_disabled",
	"account_sessions_ended", "reference_saved", "target_saved", "firm_nudged",
	// The supplier pages'.
	"profile_saved", "scan_added", "member_added", "member_removed", "claim_sent", "proposal_sent",
	// The buyer's and the RFQ pages'.
	"shortlist_created", "shortlisted", "note_saved", "supplier_removed", "shortlist_deleted", "rfq_sent",
	"reply_sent", "thread_reported", "nda_accepted", "rfq_forwarded", "search_saved", "search_changed",
	// The event pages'.
	"registered", "requested", "answered", "event_saved", "registration_decided", "registration_waitlisted",
	"schedule_run", "schedule_published", "schedule_locked", "checked_in", "check_in_undone", "meeting_marked",
	"outcome_recorded", "badges_issued", "meeting_moved", "slot_offered"}

// DoneKey is the message of the notice to show, or "" for none (or an unknown name).
func (f *form) DoneKey() string {
	if slices.Contains(doneNotices, f.Done) {
		return "done." + f.Done
	}
	return ""
}

// Value is what the user typed in field name.
func (f *form) Value(name string) string { return f.Values.Get(name) }

// fail records an error on a field, in the page's language.
func (f *form) fail(field, msg string) {
	if _, ok := f.Errors[field]; !ok {
		f.Order = append(f.Order, field)
	}
	f.Errors[field] = msg
}

// rename moves the error of field from to field to, for a page with several forms whose
// fields the store names alike.
func (f *form) rename(from, to string) {
	msg, ok := f.Errors[from]
	if !ok {
		return
	}
	delete(f.Errors, from)
	f.Errors[to] = msg
	for i, field := range f.Order {
		if field == from {
			f.Order[i] = to
		}
	}
}

// Failed reports whether the form has errors.
func (f *form) Failed() bool { return len(f.Errors) > 0 }

// setErrors shows err's field errors on the form in the page's language; it reports whether err
// was such an error (a validation error, a password rule, an upload problem).
func (s *Server) setErrors(f *form, err error) bool {
	var ve *models.ValidationError
	var ap *auth.Problem
	var up *upload.Problem
	switch {
	case errors.As(err, &ve):
		for _, fe := range ve.Fields {
			f.fail(fe.Field, s.views.messages.tr(f.Lang, fe.Key, argsList(fe.Args)...))
		}
	case errors.As(err, &ap):
		f.fail("password", s.views.messages.tr(f.Lang, ap.Key, argsList(ap.Args)...))
	case errors.As(err, &up):
		f.fail("file", s.views.messages.tr(f.Lang, up.Key, argsList(up.Args)...))
	default:
		return false
	}
	return true
}

func argsList(m map[string]any) []any {
	out := make([]any, 0, 2*len(m))
	for k, v := range m {
		out = append(out, k, v)
	}
	return out
}

// safeNext keeps a return address only when it is a path on this site, so a login link cannot
// send the user elsewhere.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n") || len(next) > 500 {
		return ""
	}
	return next
}

// fieldView is one input as the "field" template draws it.
type fieldView struct {
	Name, Label, Type, Autocomplete, Value, Error, Hint string
	Required                                            bool
	// List names a datalist of suggestions for the input.
	List string
}

// formField builds the view of one input of f; opts are "required" or "hint=TEXT".
func formField(f *form, name, label, typ, autocomplete string, opts ...string) fieldView {
	v := fieldView{Name: name, Label: label, Type: typ, Autocomplete: autocomplete, Error: f.Errors[name]}
	if typ != "password" {
		v.Value = f.Value(name)
	}
	for _, o := range opts {
		switch {
		case o == "required":
			v.Required = true
		case strings.HasPrefix(o, "hint="):
			v.Hint = strings.TrimPrefix(o, "hint=")
		case strings.HasPrefix(o, "list="):
			v.List = strings.TrimPrefix(o, "list=")
		}
	}
	return v
}
