package models

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// The buyer's tools: shortlists of suppliers, requests for quotation (RFQs) answered in a
// thread per supplier firm, and saved searches that mail the suppliers that newly match. All of
// them belong to one buyer account; an RFQ thread also to the firm it was sent to.

// Limits of the buyer's tools.
const (
	MaxShortlists       = 50
	MaxShortlistItems   = 200
	MaxShortlistName    = 100
	MaxShortlistNote    = 1000
	MaxCompare          = 5
	MaxRFQFirms         = 10
	MaxRFQTitle         = 200
	MaxRFQText          = 5000
	MaxRFQShort         = 500
	MaxRFQQuantity      = 1_000_000_000
	MaxMessageBody      = 5000
	MaxReportReason     = 1000
	MaxSavedSearches    = 20
	MaxSavedSearchQuery = 4000
	// RFQsPerHour is how many RFQs one buyer may send in an hour: enough for real sourcing,
	// too few to spam the directory.
	RFQsPerHour = 10
)

// ErrTooManyRFQs is returned when a buyer has sent RFQsPerHour RFQs in the last hour.
var ErrTooManyRFQs = errors.New("too many requests for quotation in an hour")

// CanSource reports whether the actor may keep shortlists, send RFQs and save searches: buyer
// accounts may.
func (a Actor) CanSource() bool { return a.Role == RoleBuyer && a.UserID != 0 && !a.System }

// Shortlist is a buyer's named list of suppliers.
type Shortlist struct {
	ID        uint `gorm:"primaryKey"`
	UserID    uint
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ShortlistItem is a supplier on a shortlist, with the buyer's note.
type ShortlistItem struct {
	ShortlistID uint `gorm:"primaryKey"`
	FirmID      uint `gorm:"primaryKey"`
	Note        string
	AddedAt     time.Time
}

// CheckShortlistName checks a shortlist's name; it returns the name trimmed.
func CheckShortlistName(name string) (string, error) {
	var p problems
	name = strings.TrimSpace(name)
	if name == "" {
		p.add("name", "validation.required", nil)
	}
	checkText(&p, "name", name, MaxShortlistName, false)
	return name, p.err()
}

// CheckShortlistNote checks a note on a shortlisted supplier; it returns the note trimmed.
func CheckShortlistNote(note string) (string, error) {
	var p problems
	note = strings.TrimSpace(note)
	checkText(&p, "note", note, MaxShortlistNote, true)
	return note, p.err()
}

// ThreadStatus is where the RFQ stands between the buyer and one supplier firm.
type ThreadStatus string

// A thread is sent, read by the firm, answered with a quotation or declined; the buyer then
// awards it or closes it.
const (
	ThreadSent     ThreadStatus = "sent"
	ThreadRead     ThreadStatus = "read"
	ThreadAnswered ThreadStatus = "answered"
	ThreadDeclined ThreadStatus = "declined"
	ThreadAwarded  ThreadStatus = "awarded"
	ThreadClosed   ThreadStatus = "closed"
)

// ThreadStatuses lists every status in the order of a thread's life.
var ThreadStatuses = []ThreadStatus{ThreadSent, ThreadRead, ThreadAnswered, ThreadDeclined, ThreadAwarded, ThreadClosed}

// NDAPending reports whether the firm must still accept the RFQ's non-disclosure agreement
// before it opens the buyer's attachments.
func (t *RFQThread) NDAPending(r *RFQ) bool { return r.NDA && t.NDAAcceptedAt == nil }

// Open reports whether the thread still takes messages.
func (s ThreadStatus) Open() bool { return s != ThreadAwarded && s != ThreadClosed }

// RFQ is a request for quotation a buyer sends to one or several supplier firms.
type RFQ struct {
	ID            uint `gorm:"primaryKey"`
	BuyerID       uint
	Title         string
	Description   string
	Quantity      int
	AnnualVolume  int
	TargetDate    *Date
	Standards     string
	DeliveryPlace string
	NDA           bool `gorm:"column:nda"`
	CreatedAt     time.Time
}

// TableName is the RFQs' table.
func (RFQ) TableName() string { return "rfqs" }

// RFQThread is one RFQ between the buyer and one firm: its status and messages.
type RFQThread struct {
	ID     uint `gorm:"primaryKey"`
	RFQID  uint `gorm:"column:rfq_id"`
	FirmID uint
	Status ThreadStatus
	// Forwarded says the firm had no account on the portal when the RFQ was sent: the
	// Department forwards it, and staff may read the thread.
	Forwarded bool
	ReadAt    *time.Time
	// ReportedAt is set when a party reported the thread as spam or abuse; staff may then read it.
	ReportedAt   *time.Time
	ReportedBy   string // "buyer" or "supplier"
	ReportReason string
	// NDAAcceptedAt is when a member of the firm accepted the non-disclosure agreement the RFQ
	// asks for, NDAAcceptedBy who; until then the firm does not open the buyer's attachments.
	NDAAcceptedAt *time.Time `gorm:"column:nda_accepted_at"`
	NDAAcceptedBy string     `gorm:"column:nda_accepted_by"`
	// ForwardedAt is when staff passed a forwarded RFQ on to the firm, ForwardedBy who.
	ForwardedAt *time.Time
	ForwardedBy string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// TableName is the threads' table.
func (RFQThread) TableName() string { return "rfq_threads" }

// MessageKind is what a message in a thread does.
type MessageKind string

// A thread holds the request, messages (questions and answers), quotations, declines, and the
// buyer's award or closing.
const (
	MessageRequest MessageKind = "request"
	MessageText    MessageKind = "message"
	MessageQuote   MessageKind = "quote"
	MessageDecline MessageKind = "decline"
	MessageAward   MessageKind = "award"
	MessageClose   MessageKind = "close"
)

// Sides of a thread: who wrote a message.
const (
	SideBuyer    = "buyer"
	SideSupplier = "supplier"
	SideStaff    = "staff"
)

// RFQMessage is one message of a thread.
type RFQMessage struct {
	ID           uint `gorm:"primaryKey"`
	ThreadID     uint
	AuthorID     *uint
	AuthorName   string
	Side         string
	Kind         MessageKind
	Body         string
	Price        string // a decimal number, as the supplier wrote it without grouping
	Currency     string
	LeadTimeDays int
	ValidUntil   *Date
	CreatedAt    time.Time
}

// TableName is the messages' table.
func (RFQMessage) TableName() string { return "rfq_messages" }

// Currencies are the currencies a quotation may be in.
var Currencies = []string{"VND", "USD", "JPY", "KRW", "EUR", "CNY", "TWD", "THB"}

// RFQInput is what sending an RFQ takes; the form maps onto it.
type RFQInput struct {
	Title         string
	Description   string
	Quantity      string
	AnnualVolume  string
	TargetDate    string // YYYY-MM-DD, or empty
	Standards     string
	DeliveryPlace string
	NDA           bool
	FirmIDs       []uint
	// Files are the drawings and specifications, checked and stored by the caller.
	Files []RFQFile
}

// Validate checks the RFQ and returns it ready to store; now is the time it is sent.
func (in RFQInput) Validate(now time.Time) (*RFQ, error) {
	var p problems
	r := &RFQ{Title: strings.TrimSpace(in.Title), Description: strings.TrimSpace(in.Description),
		Standards: strings.TrimSpace(in.Standards), DeliveryPlace: strings.TrimSpace(in.DeliveryPlace), NDA: in.NDA}
	if r.Title == "" {
		p.add("title", "validation.required", nil)
	}
	checkText(&p, "title", r.Title, MaxRFQTitle, false)
	if r.Description == "" {
		p.add("description", "validation.required", nil)
	}
	checkText(&p, "description", r.Description, MaxRFQText, true)
	checkText(&p, "standards", r.Standards, MaxRFQShort, false)
	checkText(&p, "delivery_place", r.DeliveryPlace, MaxRFQShort, false)
	r.Quantity = checkCount(&p, "quantity", in.Quantity)
	r.AnnualVolume = checkCount(&p, "annual_volume", in.AnnualVolume)
	if s := strings.TrimSpace(in.TargetDate); s != "" {
		d, err := ParseDate(s)
		switch {
		case err != nil:
			p.add("target_date", "validation.date", Args{"Value": quoted(s)})
		case !d.AfterToday(now):
			p.add("target_date", "validation.date_past", Args{"Value": s})
		default:
			r.TargetDate = d
		}
	}
	switch n := len(in.FirmIDs); {
	case n == 0:
		p.add("firms", "validation.required", nil)
	case n > MaxRFQFirms:
		p.add("firms", "validation.too_many", Args{"Count": n, "Max": MaxRFQFirms})
	}
	checkFiles(&p, "attachments", in.Files)
	return r, p.err()
}

// checkCount reads a whole number of parts, empty for none.
func checkCount(p *problems, field, s string) int {
	s = strings.NewReplacer(",", "", ".", "", " ", "").Replace(strings.TrimSpace(s))
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > MaxRFQQuantity {
		p.add(field, "validation.number_range", Args{"Value": quoted(s), "Min": 0, "Max": MaxRFQQuantity})
		return 0
	}
	return n
}

// ReplyInput is a message a party adds to a thread: text, a quotation or a decline (suppliers),
// or the buyer's award or closing.
type ReplyInput struct {
	Kind         MessageKind
	Body         string
	Price        string
	Currency     string
	LeadTimeDays string
	ValidUntil   string
	// Files go with a message or a quotation, checked and stored by the caller.
	Files []RFQFile
}

// Validate checks the reply and returns the message to store (without thread and author).
func (in ReplyInput) Validate(now time.Time) (*RFQMessage, error) {
	var p problems
	m := &RFQMessage{Kind: in.Kind, Body: strings.TrimSpace(in.Body)}
	checkText(&p, "body", m.Body, MaxMessageBody, true)
	switch in.Kind {
	case MessageText, MessageDecline:
		if m.Body == "" {
			p.add("body", "validation.required", nil)
		}
	case MessageQuote:
		price := strings.ReplaceAll(strings.TrimSpace(in.Price), ",", "")
		f, err := strconv.ParseFloat(price, 64)
		switch {
		case price == "":
			p.add("price", "validation.required", nil)
		case err != nil || f <= 0 || f > 1e15:
			p.add("price", "validation.price", Args{"Value": quoted(in.Price)})
		default:
			m.Price = price
		}
		m.Currency = strings.ToUpper(strings.TrimSpace(in.Currency))
		if !containsText(Currencies, m.Currency) {
			p.add("currency", "validation.currency", Args{"Value": quoted(in.Currency)})
		}
		if s := strings.TrimSpace(in.LeadTimeDays); s != "" {
			d, err := strconv.Atoi(s)
			if err != nil || d < 0 || d > 3650 {
				p.add("lead_time_days", "validation.number_range", Args{"Value": quoted(s), "Min": 0, "Max": 3650})
			}
			m.LeadTimeDays = d
		}
		if s := strings.TrimSpace(in.ValidUntil); s != "" {
			d, err := ParseDate(s)
			switch {
			case err != nil:
				p.add("valid_until", "validation.date", Args{"Value": quoted(s)})
			case !d.AfterToday(now):
				p.add("valid_until", "validation.date_past", Args{"Value": s})
			default:
				m.ValidUntil = d
			}
		}
	case MessageAward, MessageClose:
	default:
		p.add("kind", "validation.required", nil)
	}
	if in.Kind == MessageText || in.Kind == MessageQuote {
		checkFiles(&p, "attachments", in.Files)
	} else if len(in.Files) > 0 {
		p.add("attachments", "validation.too_many", Args{"Count": len(in.Files), "Max": 0})
	}
	return m, p.err()
}

func containsText(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// AlertFrequency is how often a saved search mails the suppliers that newly match.
type AlertFrequency string

// Saved searches alert daily, weekly, or not at all.
const (
	AlertDaily  AlertFrequency = "daily"
	AlertWeekly AlertFrequency = "weekly"
	AlertOff    AlertFrequency = "off"
)

// AlertFrequencies lists the choices in the order a form offers them.
var AlertFrequencies = []AlertFrequency{AlertWeekly, AlertDaily, AlertOff}

// Period is the time between two alerts; 0 for off.
func (f AlertFrequency) Period() time.Duration {
	switch f {
	case AlertDaily:
		return 24 * time.Hour
	case AlertWeekly:
		return 7 * 24 * time.Hour
	}
	return 0
}

// ValidFrequency reports whether f is one of AlertFrequencies.
func ValidFrequency(f AlertFrequency) bool {
	for _, x := range AlertFrequencies {
		if x == f {
			return true
		}
	}
	return false
}

// SavedSearch is a buyer's requirement kept to be run again: the find-suppliers page's query.
type SavedSearch struct {
	ID        uint `gorm:"primaryKey"`
	UserID    uint
	Name      string
	Query     string // the find-suppliers page's URL query, without page
	Frequency AlertFrequency
	// UnsubscribeToken is the secret of the link in every alert that stops the alerts without
	// signing in. It is kept as it is, not hashed: every alert repeats it, and it can only stop
	// mail.
	UnsubscribeToken string
	LastRunAt        *time.Time
	CreatedAt        time.Time
}

// SavedSearchHit is a supplier a saved search has already listed, so only new ones are mailed.
type SavedSearchHit struct {
	SavedSearchID uint `gorm:"primaryKey"`
	FirmID        uint `gorm:"primaryKey"`
	FirstSeenAt   time.Time
}

// SavedSearchInput is what saving a search takes.
type SavedSearchInput struct {
	Name      string
	Query     string
	Frequency AlertFrequency
}

// Validate checks the saved search.
func (in *SavedSearchInput) Validate() error {
	var p problems
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		p.add("name", "validation.required", nil)
	}
	checkText(&p, "name", in.Name, MaxShortlistName, false)
	in.Query = strings.TrimSpace(in.Query)
	if in.Query == "" {
		p.add("query", "validation.required", nil)
	}
	checkText(&p, "query", in.Query, MaxSavedSearchQuery, false)
	if !ValidFrequency(in.Frequency) {
		p.add("frequency", "validation.frequency", Args{"Value": quoted(in.Frequency)})
	}
	return p.err()
}
