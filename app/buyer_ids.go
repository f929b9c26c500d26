package main

import "github.com/hanoi-cnht/portal/models"

// buyerMailKeys are the mails of shortlists, RFQs and saved searches; each has KEY.subject and
// KEY.body in both languages.
var buyerMailKeys = []string{"mail.rfq_received", "mail.rfq_message", "mail.rfq_quote", "mail.rfq_decline",
	"mail.rfq_award", "mail.rfq_close", "mail.saved_search_alert"}

// buyerMessageIDs are the messages the buyer's and the RFQ pages build in code.
func buyerMessageIDs() []string {
	ids := []string{"shortlist.list_title", "shortlist.title", "shortlist.default_name", "shortlist.new_list",
		"compare.title", "compare.too_many", "compare.note", "compare.certificates", "compare.until", "compare.equipment",
		"compare.capacity", "compare.lead_time", "compare.location", "compare.size", "compare.employees",
		"compare.markets", "compare.customers", "compare.updated", "compare.name", "compare.profile",
		"rfq.new_title", "rfq.too_many", "rfq.list_title", "rfq.title", "rfq.thread_title", "inbox.title",
		"staff.rfqs.title", "alerts.title", "alerts.unsubscribe_title"}
	for _, k := range buyerMailKeys {
		ids = append(ids, k+".subject", k+".body")
	}
	for _, st := range models.ThreadStatuses {
		ids = append(ids, "rfq.status."+string(st))
	}
	for _, k := range []models.MessageKind{models.MessageRequest, models.MessageText, models.MessageQuote,
		models.MessageDecline, models.MessageAward, models.MessageClose} {
		ids = append(ids, "rfq.kind."+string(k))
	}
	for _, f := range models.AlertFrequencies {
		ids = append(ids, "alerts.frequency."+string(f))
	}
	return ids
}
