package models

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/template"
)

// ErrNotFound is returned when a record does not exist.
var ErrNotFound = errors.New("not found")

// ErrForbidden is returned when the actor may not do what was asked: the store checks inside
// every write, so a handler that forgot to check cannot leak another firm's data.
var ErrForbidden = errors.New("forbidden")

// ErrTokenInvalid is returned for a single-use link that is unknown, used or expired; the three
// are not told apart.
var ErrTokenInvalid = errors.New("the link is invalid, used or expired")

// ErrConflict is returned when a write collides with a stored record (a duplicate tax code, or a
// firm changed by someone else since it was read).
var ErrConflict = errors.New("conflict")

// FieldError names one field whose value breaks a rule. Key and Args let a page say it in the
// user's language (the locales hold a message for every key); Reason is the same in English, for
// logs, the command line and import reports.
type FieldError struct {
	Field  string         `json:"field"`
	Key    string         `json:"key"`
	Args   map[string]any `json:"args,omitempty"`
	Reason string         `json:"reason"`
}

func (e FieldError) Error() string { return e.Field + ": " + e.Reason }

// ValidationError lists every field error found in one record.
type ValidationError struct {
	Fields []FieldError `json:"fields"`
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Error()
	}
	return "invalid: " + strings.Join(parts, "; ")
}

// Has reports whether field is among the errors.
func (e *ValidationError) Has(field string) bool {
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// Args are the named values a message shows ({{.Value}}, {{.Max}}).
type Args = map[string]any

// NewFieldError makes the error for field from a message key and its arguments.
func NewFieldError(field, key string, args Args) FieldError {
	return FieldError{Field: field, Key: key, Args: args, Reason: MessageEN(key, args)}
}

// problems collects field errors while a record is checked.
type problems []FieldError

func (p *problems) add(field, key string, args Args) {
	*p = append(*p, NewFieldError(field, key, args))
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &ValidationError{Fields: p}
}

// messagesEN are the English texts of the validation messages; the locales repeat every key in
// Vietnamese and English for the pages, and a test keeps the three in step. Templates use the
// go-i18n syntax so the same arguments fill both.
var messagesEN = map[string]string{
	"validation.required":           "is required",
	"validation.tax_code":           "{{.Value}} must be 10 digits, or 10 digits, a hyphen and 3 digits for a branch",
	"validation.too_long":           "is {{.Length}} characters long; at most {{.Max}}",
	"validation.not_utf8":           "is not valid UTF-8 text",
	"validation.control_character":  "contains a control character ({{.Char}})",
	"validation.year_range":         "{{.Value}} must be between {{.Min}} and {{.Max}}",
	"validation.number_range":       "{{.Value}} must be between {{.Min}} and {{.Max}}",
	"validation.ownership":          "{{.Value}} must be one of private, state, fdi, jv",
	"validation.website":            "{{.Value}} is not a web address",
	"validation.email":              "{{.Value}} is not an e-mail address",
	"validation.phone":              "{{.Value}} is not a phone number",
	"validation.too_many":           "has {{.Count}} entries; at most {{.Max}}",
	"validation.too_many_terms":     "too many taxonomy entries ({{.Count}})",
	"validation.lat_lng_pair":       "latitude and longitude go together",
	"validation.cert_no_standard":   "names no standard",
	"validation.cert_expiry_order":  "expires ({{.Expires}}) before it was issued ({{.Issued}})",
	"validation.date_future":        "issue date {{.Value}} is in the future",
	"validation.recognition_year":   "year {{.Value}} must be between {{.Min}} and {{.Max}}",
	"validation.unknown_district":   "{{.Value}} is not one of Hanoi's 30 former districts",
	"validation.unknown_zone":       "{{.Value}} is not a known industrial park or cluster",
	"validation.zone_outside_hanoi": "{{.Zone}} is not in Hanoi, so it cannot be in a Hanoi district",
	"validation.zone_district":      "{{.Zone}} does not lie in {{.District}}",
	"validation.unknown_corridor":   "{{.Value}} is not a known corridor",
	"validation.unknown_term":       "{{.Value}} is not a taxonomy term",
	"validation.duplicate":          "tax code {{.Value}} appears more than once",
	"validation.claim_domain":       "the address must be at the firm's website domain ({{.Domain}})",
	"validation.role":               "{{.Value}} must be one of buyer, supplier, staff, admin",
	"validation.criterion_kind":     "{{.Value}} is not a kind of criterion: sector, product, process, material, cert, corridor, district, zone, size, ownership, spcncl, market, equipment or near",
	"validation.unknown_standard":   "{{.Value}} is not a known certification standard",
	"validation.unknown_market":     "{{.Value}} is not a known country or market",
	"validation.size":               "{{.Value}} must be one of micro, small, medium, large",
	"validation.spcncl":             "{{.Value}} must be yes or a year",
	"validation.equipment":          "{{.Value}} is not a machine with an optional threshold, such as press ≥ 250 t or CNC ≥ 5 axes",
	"validation.near":               "{{.Value}} is not a place and a distance: latitude, longitude, km",
	"validation.date":               "{{.Value}} is not a date in the form YYYY-MM-DD",
	"validation.date_past":          "{{.Value}} is not after today",
	"validation.price":              "{{.Value}} is not a price: a number above zero, such as 12500 or 0.85",
	"validation.currency":           "{{.Value}} is not one of the currencies offered",
	"validation.frequency":          "{{.Value}} must be daily, weekly or off",
	"validation.stored_file":        "{{.Value}} is not a file the portal stored",
}

var messageTemplates = func() map[string]*template.Template {
	out := make(map[string]*template.Template, len(messagesEN))
	for k, v := range messagesEN {
		out[k] = template.Must(template.New(k).Option("missingkey=error").Parse(v))
	}
	return out
}()

// MessageKeys lists every message key a FieldError from this package can carry.
func MessageKeys() []string { return slices.Sorted(maps.Keys(messagesEN)) }

// MessageEN renders the English text of a message key; an unknown key is returned as it is.
func MessageEN(key string, args Args) string {
	t, ok := messageTemplates[key]
	if !ok {
		return key
	}
	var b bytes.Buffer
	if err := t.Execute(&b, args); err != nil {
		return key
	}
	return b.String()
}

// quoted is how a value a user typed appears inside a message: in quotes, so an empty or odd
// value is visible.
func quoted(v any) string { return fmt.Sprintf("%q", fmt.Sprint(v)) }
