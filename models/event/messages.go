package event

import (
	"bytes"
	"maps"
	"slices"
	"text/template"

	"github.com/hanoi-cnht/portal/models"
)

// messagesEN are the English texts of the message keys this package puts in field errors and in
// the scheduler's reports, in the locales' template syntax, so that a page can say them in the
// reader's language and a test in the web layer can keep en.toml saying the same. Keys shared
// with models (validation.required, validation.too_long, validation.number_range,
// validation.too_many) are rendered by models and are not repeated here.
var messagesEN = map[string]string{
	"event.clock":               "{{.Value}} is not a time of day in the form HH:MM",
	"event.order":               "ends at {{.End}}, not after it starts at {{.Start}}",
	"event.break_outside":       "the break {{.Start}}–{{.End}} lies outside its session",
	"event.overlap":             "overlaps {{.Other}}",
	"event.no_slot":             "leaves no room for a meeting of {{.Minutes}} minutes",
	"event.duplicate":           "{{.Value}} is listed more than once",
	"event.language":            "{{.Value}} is not a language code such as vi, en, ja or ko",
	"event.window_order":        "closes at {{.End}}, not after it opens at {{.Start}}",
	"event.window_late":         "closes after the event starts ({{.Value}})",
	"event.direction":           "{{.Value}} must be one of buyers_to_suppliers, suppliers_to_buyers, both",
	"event.side":                "{{.Value}} must be one of buyer, supplier, interpreter",
	"event.unknown_slot":        "slot {{.Value}} does not exist; the slots are 1 to {{.Max}}",
	"event.priority":            "{{.Value}} must be must_meet or would_like",
	"event.request_state":       "{{.Value}} must be one of requested, accepted, declined, expired, cancelled",
	"event.unknown_participant": "{{.Value}} is not registered for this event",
	"event.unknown_table":       "table {{.Value}} does not exist",
	"event.unknown_session":     "{{.Value}} is not a session of this event",
	"event.direction_refused":   "a {{.From}} may not request a meeting with a {{.To}} at this event",
	"event.self_request":        "a participant cannot request a meeting with itself",
	"event.pair_blocked":        "one of the two said no thanks to meeting the other",
	"event.request_open":        "a request between these two is already open",
	"event.requests_closed":     "requests are taken from {{.Start}} to {{.End}}",
	"event.state_change":        "a {{.From}} request cannot become {{.To}}",
	"event.no_attendee":         "names nobody who attends",
	"event.reason_required":     "say why, or choose no thanks",
	"event.registration_closed": "registration is open from {{.Start}} to {{.End}}",
	"event.already_registered":  "is already registered for this event",
	"event.not_approved":        "the registration is not approved",
	"event.outcome":             "{{.Value}} must be one of no_fit, further_contact, quotation, sample_order, agreement",
	"event.meeting_status":      "{{.Value}} must be one of held, buyer_no_show, supplier_no_show, both_no_show",
	"event.unknown_badge":       "no participant of this event has this badge code",
	"event.not_held":            "the meeting was not held",
	"event.table_taken":         "table {{.Table}} already holds a meeting at {{.Slot}}: {{.Other}}",
	"event.double_booked":       "{{.Participant}} already meets at {{.Slot}}: {{.Other}}",
	"event.unavailable":         "{{.Participant}} said it cannot meet at {{.Slot}}",
	"event.session_cap":         "{{.Participant}} would have more than {{.Max}} meetings in this session",
	"event.too_few_chairs":      "table {{.Table}} has {{.Max}} chairs; the meeting needs {{.Min}}",
	"event.not_freed":           "only a meeting that one side did not come to frees its slot",
	"event.offer_gone":          "this offer is no longer possible: someone is now busy at that time",
	"event.too_early":           "the meeting starts at {{.Start}}: say how it went once it has begun",

	"schedule.participant_unavailable": "{{.Participant}} is not available in slot {{.Slot}}",
	"schedule.outside_session":         "slot {{.Slot}} is outside the session {{.Session}}",
	"schedule.table_unavailable":       "table {{.Table}} is not available in slot {{.Slot}}",
	"schedule.table_unsuitable":        "table {{.Table}} has too few chairs or lies in another zone",
	"schedule.over_cap":                "{{.Participant}} has reached the cap of {{.Max}} meetings",
	"schedule.clash":                   "clashes with meeting {{.Other}}, which stays where it is",
	"schedule.no_common_slot":          "no slot suits every participant",
	"schedule.slots_taken":             "every slot that suits all participants is taken by other meetings",
	"schedule.no_interpreter":          "no interpreter is free in a slot that suits both sides",
	"schedule.no_table":                "no suitable table is free in a slot that suits all participants",
	"schedule.request_withdrawn":       "the request is no longer accepted ({{.State}})",
	"schedule.slot_removed":            "slot {{.Slot}} no longer exists",
	"schedule.unknown_participant":     "{{.Participant}} is not a participant",
	"schedule.priority_first":          "made room for a meeting of higher priority",
}

var messageTemplates = func() map[string]*template.Template {
	out := make(map[string]*template.Template, len(messagesEN))
	for k, v := range messagesEN {
		out[k] = template.Must(template.New(k).Option("missingkey=error").Parse(v))
	}
	return out
}()

// MessageKeys lists every message key this package adds to those of models: the field errors of
// events, participants and requests, and the reasons the scheduler gives for a meeting it moved,
// dropped or could not place.
func MessageKeys() []string { return slices.Sorted(maps.Keys(messagesEN)) }

// MessageEN renders the English text of a message key of this package or of models; an unknown
// key is returned as it is.
func MessageEN(key string, args models.Args) string {
	t, ok := messageTemplates[key]
	if !ok {
		return models.MessageEN(key, args)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, args); err != nil {
		return key
	}
	return b.String()
}

// fieldError makes the error for field from a key of this package or of models.
func fieldError(field, key string, args models.Args) models.FieldError {
	return models.FieldError{Field: field, Key: key, Args: args, Reason: MessageEN(key, args)}
}

// problems collects field errors while a record is checked.
type problems []models.FieldError

func (p *problems) add(field, key string, args models.Args) {
	*p = append(*p, fieldError(field, key, args))
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &models.ValidationError{Fields: p}
}
