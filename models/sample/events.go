package sample

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/event"
)

// Events returns the sample set's business-matching events, laid out around the day asOf like
// the firms' dates: a fair held two months before, with its registrations, requests, published
// schedule, check-ins, no-shows and outcomes, and a fair six weeks after, open for registration,
// with its first registrations and requests. suppliers are sample firms, stored (with their ids)
// and in the order of the sample stream; the past fair takes the first 26 and the upcoming one
// the 10 after, as many as there are. The buyers are invented companies whose accounts are
// never signed in to. The same firms and day give the same events.
func Events(suppliers []*models.Firm, asOf time.Time) []event.History {
	asOf = asOf.UTC()
	day := time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, time.UTC)
	past := pastEvent(suppliers[:min(26, len(suppliers))], day)
	var next []*models.Firm
	if len(suppliers) > 26 {
		next = suppliers[26:min(36, len(suppliers))]
	}
	return []event.History{past, upcomingEvent(next, day)}
}

// sampleBuyer is an invented buyer: an assembler's purchasing office in Vietnam.
type sampleBuyer struct {
	company, country string
	languages        []string
	attendee         event.Attendee
	requirement      string
}

var sampleBuyers = []sampleBuyer{
	{"Hanamori Seimitsu Việt Nam", "Japan", []string{"ja", "en", "vi"},
		event.Attendee{Name: "Sato Kenji", Position: "Purchasing manager"},
		"Linh kiện nhựa ép phun cho vỏ máy in, dung sai ±0,05 mm, có ISO 9001; khuôn do nhà cung cấp làm."},
	{"Daesung Hitech Vina", "South Korea", []string{"ko", "en", "vi"},
		event.Attendee{Name: "Park Ji-hoon", Position: "Sourcing lead"},
		"Stamped and bent sheet-metal brackets for washing machines, zinc plated, about 20,000 pieces a month."},
	{"Kirinoya Motor Parts Vietnam", "Japan", []string{"ja", "vi"},
		event.Attendee{Name: "Nguyễn Thị Hồng", Position: "Trưởng phòng mua hàng"},
		"Chi tiết cơ khí tiện CNC cho xe máy, thép và nhôm, yêu cầu IATF 16949 hoặc đang triển khai."},
	{"Nordvik Automotive Components", "Sweden", []string{"en", "vi"},
		event.Attendee{Name: "Erik Lindqvist", Position: "Supplier development engineer"},
		"Wire harnesses and cable assemblies for agricultural machines, UL-listed wire, small and medium lots."},
	{"Sungwoo Display Parts Vietnam", "South Korea", []string{"ko", "vi"},
		event.Attendee{Name: "Trần Văn Đức", Position: "Purchasing staff"},
		"Gioăng cao su và chi tiết silicon cho màn hình, cần phòng sạch hoặc kiểm soát bụi."},
	{"Takumi Office Machines Hà Nội", "Japan", []string{"ja", "en", "vi"},
		event.Attendee{Name: "Yamada Aiko", Position: "Localisation manager"},
		"Precision moulds and mould maintenance for office-machine parts; ISO 9001 and ISO 14001 preferred."},
	{"Rheinfeld Elektrotechnik Asia", "Germany", []string{"de", "en", "vi"},
		event.Attendee{Name: "Lena Hoffmann", Position: "Strategic buyer"},
		"Die-cast aluminium housings for electric motors, machined, with surface treatment; ISO 9001 required."},
	{"Công ty CP Lắp ráp Điện tử Sông Hồng", "Vietnam", []string{"vi"},
		event.Attendee{Name: "Lê Minh Tuấn", Position: "Phó giám đốc sản xuất"},
		"Bao bì carton và khay nhựa định hình cho linh kiện điện tử, giao hàng theo tuần."},
	{"Oakridge Medical Devices Vietnam", "United States", []string{"en", "vi"},
		event.Attendee{Name: "Mai Anh Phạm", Position: "Supply chain analyst"},
		"Injection-moulded medical-grade plastic parts; ISO 13485 certified suppliers only."},
	{"Kotobuki Garment Trims Việt Nam", "Japan", []string{"ja", "vi"},
		event.Attendee{Name: "Hoàng Thu Trang", Position: "Chuyên viên mua hàng"},
		"Phụ liệu may mặc: nhãn dệt, khuy, khoá kéo cho hàng xuất khẩu sang Nhật."},
	{"Hwaseong Battery Materials Vina", "South Korea", []string{"ko", "en", "vi"},
		event.Attendee{Name: "Kim Min-seo", Position: "Procurement manager"},
		"Metal stampings and nickel tabs for battery packs, with traceability per lot."},
	{"Alpine Drive Systems Vietnam", "Switzerland", []string{"de", "en", "vi"},
		event.Attendee{Name: "Marco Keller", Position: "Purchasing director"},
		"Gears and shafts, hobbed and ground, heat-treated; quotation within two weeks."},
}

// sampleAttendees are the people a supplier sends: a director and someone from sales.
var sampleAttendees = []event.Attendee{
	{Name: "Nguyễn Văn An", Position: "Giám đốc"}, {Name: "Trần Thị Bích", Position: "Trưởng phòng kinh doanh"},
	{Name: "Phạm Quốc Cường", Position: "Giám đốc kỹ thuật"}, {Name: "Lê Thị Dung", Position: "Kinh doanh xuất khẩu"},
	{Name: "Vũ Đức Hải", Position: "Phó giám đốc"}, {Name: "Đỗ Thị Hạnh", Position: "Quản lý chất lượng"},
	{Name: "Bùi Văn Khánh", Position: "Giám đốc nhà máy"}, {Name: "Ngô Thị Lan", Position: "Nhân viên kinh doanh"},
}

var declineReasons = []string{
	"Chưa đủ năng lực sản xuất số lượng này trong năm nay.",
	"We do not work with this material.",
	"Sản phẩm không thuộc lĩnh vực của công ty.",
	"Our lot sizes are much smaller than what we need.",
}

var outcomeNotes = map[event.Outcome][]string{
	event.NoFit:          {"Không phù hợp về vật liệu.", "Volumes too small for us.", ""},
	event.FurtherContact: {"Hẹn gặp lại sau khi xem bản vẽ.", "Will send drawings next week.", ""},
	event.Quotation:      {"Gửi yêu cầu báo giá 3 mã hàng.", "RFQ for two part numbers sent.", ""},
	event.SampleOrder:    {"Đặt 200 mẫu thử.", "Trial order of 500 pieces.", ""},
	event.Agreement:      {"Ký biên bản ghi nhớ hợp tác.", "MoU signed at the fair.", ""},
}

// at is the instant at the given Hanoi clock time on the day days after day.
func at(day time.Time, days, hour, minute int) time.Time {
	d := day.AddDate(0, 0, days)
	return time.Date(d.Year(), d.Month(), d.Day(), hour, minute, 0, 0, models.Hanoi)
}

func dateAfter(day time.Time, days int) models.Date {
	d := day.AddDate(0, 0, days)
	return *models.DateOf(d.Year(), d.Month(), d.Day())
}

func buyerRegistration(b sampleBuyer, account string, status event.RegistrationStatus, made time.Time) event.HistoryRegistration {
	decided := made.Add(26 * time.Hour)
	r := event.HistoryRegistration{Registration: event.Registration{Side: event.Buyer, Company: b.company,
		Country: b.country, Requirement: b.requirement, Languages: b.languages, Attendees: []event.Attendee{b.attendee},
		Status: status, CreatedAt: made, UpdatedAt: made}, Account: account, AccountName: b.attendee.Name}
	if status != event.Pending {
		r.DecidedAt, r.UpdatedAt = &decided, decided
	}
	return r
}

func supplierRegistration(r *rand.Rand, f *models.Firm, status event.RegistrationStatus, made time.Time) event.HistoryRegistration {
	langs := []string{"vi"}
	if f.DescriptionEN != "" || r.IntN(3) == 0 {
		langs = append(langs, "en")
	}
	first := r.IntN(len(sampleAttendees))
	attendees := []event.Attendee{sampleAttendees[first]}
	if r.IntN(2) == 0 {
		attendees = append(attendees, sampleAttendees[(first+1+r.IntN(len(sampleAttendees)-1))%len(sampleAttendees)])
	}
	id := f.ID
	decided := made.Add(30 * time.Hour)
	out := event.HistoryRegistration{Registration: event.Registration{Side: event.Supplier, FirmID: &id,
		Company: f.NameVI, Languages: langs, Attendees: attendees, Status: status, CreatedAt: made, UpdatedAt: made},
		Account: "sample-registrar@sample.invalid", AccountName: "Sample registrar"}
	if status != event.Pending {
		out.DecidedAt, out.UpdatedAt = &decided, decided
	}
	return out
}

// pastEvent is last season's fair, held 60 days before day: one day, 18 slots of 20 minutes,
// a table for each buyer.
func pastEvent(suppliers []*models.Firm, day time.Time) event.History {
	r := rand.New(rand.NewPCG(2026, 13))
	const held = -60
	year := day.AddDate(0, 0, held).Year()
	rec := event.Record{Event: event.Event{
		NameVI: fmt.Sprintf("Kết nối kinh doanh công nghiệp hỗ trợ Hà Nội %d", year),
		NameEN: fmt.Sprintf("Hanoi Supporting Industry Business Matching %d", year),
		Venue:  "Trung tâm Triển lãm mẫu, 91 phố Mẫu, Hoàn Kiếm, Hà Nội",
		Days: []event.Day{{Date: dateAfter(day, held), Sessions: []event.Session{
			{Name: "Sáng", Start: 8*60 + 30, End: 12 * 60, MeetingMinutes: 20,
				Breaks: []event.Break{{Name: "Giải lao", Start: 10*60 + 10, End: 10*60 + 30}}},
			{Name: "Chiều", Start: 13*60 + 30, End: 16*60 + 30, MeetingMinutes: 20},
		}}},
		Languages:          []event.LanguageOffer{{Code: "vi"}, {Code: "en", Interpreters: 2}, {Code: "ja", Interpreters: 1}, {Code: "ko", Interpreters: 1}},
		RegistrationOpens:  at(day, held-60, 8, 0),
		RegistrationCloses: at(day, held-10, 17, 0),
		RequestsOpen:       at(day, held-40, 8, 0),
		RequestsClose:      at(day, held-4, 17, 0),
		AnswerWithin:       7 * 24 * time.Hour,
		MaxMeetings:        10,
		Direction:          event.BothWays,
	}, MaxBuyers: 8, MaxSuppliers: 22}
	for i := 1; i <= 8; i++ {
		zone := "A"
		if i > 4 {
			zone = "B"
		}
		rec.Tables = append(rec.Tables, event.Table{Number: i, Zone: zone, Chairs: 4})
	}
	published := at(day, held-3, 15, 0)
	rec.PublishedAt = &published
	rec.CreatedAt, rec.UpdatedAt = at(day, held-70, 9, 0), published
	h := event.History{Record: rec}

	// Eight buyers approved and one that withdrew; the suppliers in order, the first 22
	// approved, then two waitlisted, one rejected and one withdrawn.
	var buyers, sups []int
	for i, b := range sampleBuyers[:9] {
		st := event.Approved
		if i == 8 {
			st = event.Withdrawn
		}
		reg := buyerRegistration(b, fmt.Sprintf("sample-buyer-%02d@sample.invalid", i+1), st, at(day, held-55+i, 10, 0))
		if i == 2 {
			reg.Unavailable = []int{16, 17, 18} // leaves early for the airport
		}
		h.Registrations = append(h.Registrations, reg)
		if st == event.Approved {
			buyers = append(buyers, len(h.Registrations)-1)
		}
	}
	for i, f := range suppliers {
		st := event.Approved
		switch {
		case i >= 25:
			st = event.Withdrawn
		case i == 24:
			st = event.Rejected
		case i >= 22:
			st = event.Waitlisted
		}
		reg := supplierRegistration(r, f, st, at(day, held-50+i, 9+i%8, 15))
		if st == event.Rejected {
			reg.Reason = "Hồ sơ chưa có sản phẩm thuộc lĩnh vực công nghiệp hỗ trợ."
		}
		if i%7 == 3 {
			reg.Unavailable = []int{1, 2}
		}
		h.Registrations = append(h.Registrations, reg)
		if st == event.Approved {
			sups = append(sups, len(h.Registrations)-1)
		}
	}
	if len(sups) == 0 {
		return h
	}

	// Each buyer asks six suppliers; a few suppliers ask buyers. Seven in ten are accepted.
	asked := map[[2]int]bool{}
	addRequest := func(from, to int, made time.Time) {
		key := [2]int{min(from, to), max(from, to)}
		if asked[key] {
			return
		}
		asked[key] = true
		q := event.HistoryRequest{From: from, To: to, Priority: event.WouldLike, Made: made}
		if r.IntN(3) == 0 {
			q.Priority = event.MustMeet
		}
		answered := made.Add(time.Duration(2+r.IntN(100)) * time.Hour)
		switch u := r.Float64(); {
		case u < 0.70:
			q.State = event.Accepted
		case u < 0.85:
			q.State, q.Reason = event.Declined, declineReasons[r.IntN(len(declineReasons))]
		case u < 0.90:
			q.State, q.NoThanks = event.Declined, true
		default:
			q.State, answered = event.Expired, made.Add(rec.AnswerWithin)
		}
		q.Answered = &answered
		h.Requests = append(h.Requests, q)
	}
	for bi, b := range buyers {
		for k, si := range r.Perm(len(sups))[:min(6, len(sups))] {
			addRequest(b, sups[si], at(day, held-38+bi, 9+k, 0))
		}
	}
	for k := range 6 {
		addRequest(sups[r.IntN(len(sups))], buyers[r.IntN(len(buyers))], at(day, held-30+k, 14, 30))
	}

	// The published schedule: each accepted request at the buyer's table, in the first slot
	// both sides are free.
	slots := len(rec.Slots())
	busy := map[[2]int]bool{}
	unavailable := func(reg, slot int) bool {
		for _, u := range h.Registrations[reg].Unavailable {
			if u == slot {
				return true
			}
		}
		return false
	}
	for qi, q := range h.Requests {
		if q.State != event.Accepted {
			continue
		}
		buyer, supplier := q.From, q.To
		if h.Registrations[buyer].Side != event.Buyer {
			buyer, supplier = supplier, buyer
		}
		table := 0
		for bi, b := range buyers {
			if b == buyer {
				table = bi + 1
			}
		}
		for slot := 1; slot <= slots; slot++ {
			if busy[[2]int{buyer, slot}] || busy[[2]int{supplier, slot}] || unavailable(buyer, slot) || unavailable(supplier, slot) {
				continue
			}
			busy[[2]int{buyer, slot}], busy[[2]int{supplier, slot}] = true, true
			h.Meetings = append(h.Meetings, event.HistoryMeeting{Request: qi, Slot: slot, Table: table})
			break
		}
	}

	// The day: most meetings held, some sides absent; outcomes from both sides of most held
	// meetings; whoever came checked in before the first meeting.
	came := map[int]bool{}
	outcome := func() *event.OutcomeInput {
		o := event.Outcomes[pickWeighted(r, []float64{25, 35, 20, 12, 8})]
		notes := outcomeNotes[o]
		return &event.OutcomeInput{Outcome: o, Notes: notes[r.IntN(len(notes))]}
	}
	for i := range h.Meetings {
		m := &h.Meetings[i]
		switch u := r.Float64(); {
		case u < 0.84:
			m.Status = event.Held
		case u < 0.91:
			m.Status = event.SupplierNoShow
		case u < 0.97:
			m.Status = event.BuyerNoShow
		default:
			m.Status = event.BothNoShow
		}
		q := h.Requests[m.Request]
		buyer, supplier := q.From, q.To
		if h.Registrations[buyer].Side != event.Buyer {
			buyer, supplier = supplier, buyer
		}
		if !m.Status.NoShow(event.Buyer) {
			came[buyer] = true
		}
		if !m.Status.NoShow(event.Supplier) {
			came[supplier] = true
		}
		if m.Status != event.Held {
			continue
		}
		if r.Float64() < 0.9 {
			m.BuyerOutcome = outcome()
		}
		if r.Float64() < 0.8 {
			m.SupplierOutcome = outcome()
		}
	}
	for i := range h.Registrations {
		if came[i] {
			t := at(day, held, 7, 45+r.IntN(40))
			h.Registrations[i].CheckedInAt = &t
		}
	}
	return h
}

// upcomingEvent is the next fair, 40 days after day, open for registration: two days, the
// second with a morning only, tables in zones with a larger one for delegations, and
// interpreters for English, Japanese and Korean.
func upcomingEvent(suppliers []*models.Firm, day time.Time) event.History {
	r := rand.New(rand.NewPCG(2026, 14))
	const first = 40
	year := day.AddDate(0, 0, first).Year()
	rec := event.Record{Event: event.Event{
		NameVI: fmt.Sprintf("Hội chợ công nghiệp hỗ trợ Hà Nội %d – kết nối kinh doanh", year),
		NameEN: fmt.Sprintf("Hanoi Supporting Industry Fair %d – business matching", year),
		Venue:  "Trung tâm Hội nghị mẫu, 8 đường Mẫu, Nam Từ Liêm, Hà Nội",
		Days: []event.Day{
			{Date: dateAfter(day, first), Sessions: []event.Session{
				{Name: "Sáng", Start: 8*60 + 30, End: 12 * 60, MeetingMinutes: 30,
					Breaks: []event.Break{{Name: "Giải lao", Start: 10*60 + 30, End: 10*60 + 45}}},
				{Name: "Chiều", Start: 13*60 + 30, End: 17 * 60, MeetingMinutes: 30},
			}},
			{Date: dateAfter(day, first+1), Sessions: []event.Session{
				{Name: "Sáng", Start: 8*60 + 30, End: 11*60 + 30, MeetingMinutes: 30},
			}},
		},
		Languages: []event.LanguageOffer{{Code: "vi"}, {Code: "en", Interpreters: 3}, {Code: "ja", Interpreters: 2},
			{Code: "ko", Interpreters: 2}},
		RegistrationOpens:  at(day, -14, 8, 0),
		RegistrationCloses: at(day, first-10, 17, 0),
		RequestsOpen:       at(day, -7, 8, 0),
		RequestsClose:      at(day, first-3, 17, 0),
		AnswerWithin:       5 * 24 * time.Hour,
		MaxMeetings:        12,
		MaxPerSession:      6,
		Direction:          event.BothWays,
	}, MaxBuyers: 20, MaxSuppliers: 60}
	for i := 1; i <= 12; i++ {
		t := event.Table{Number: i, Zone: "A", Chairs: 4}
		switch {
		case i > 10:
			t.Zone, t.Name, t.Chairs = "VIP", fmt.Sprintf("VIP %d", i-10), 6
		case i > 6:
			t.Zone = "B"
		}
		rec.Tables = append(rec.Tables, t)
	}
	rec.CreatedAt, rec.UpdatedAt = at(day, -20, 9, 0), at(day, -20, 9, 0)
	h := event.History{Record: rec}
	var buyers, sups []int
	for i, b := range sampleBuyers[8:] {
		st := event.Approved
		if i == len(sampleBuyers)-9 {
			st = event.Pending
		}
		h.Registrations = append(h.Registrations, buyerRegistration(b,
			fmt.Sprintf("sample-buyer-%02d@sample.invalid", i+9), st, at(day, -12+i, 10, 0)))
		if st == event.Approved {
			buyers = append(buyers, len(h.Registrations)-1)
		}
	}
	for i, f := range suppliers {
		st := event.Approved
		if i >= 8 {
			st = event.Pending
		}
		h.Registrations = append(h.Registrations, supplierRegistration(r, f, st, at(day, -10+i/2, 9+i%8, 0)))
		if st == event.Approved {
			sups = append(sups, len(h.Registrations)-1)
		}
	}
	if len(sups) == 0 {
		return h
	}
	// The first requests: two answered, the rest waiting for an answer.
	for k := range min(5, len(sups)) {
		q := event.HistoryRequest{From: buyers[k%len(buyers)], To: sups[k], Priority: event.WouldLike,
			State: event.Requested, Made: at(day, -3+k%2, 9+k, 0),
			Message: "Chúng tôi muốn gặp để trao đổi về năng lực sản xuất."}
		if k%2 == 0 {
			q.Priority = event.MustMeet
		}
		if k < 2 {
			answered := q.Made.Add(time.Duration(3+r.IntN(20)) * time.Hour)
			q.State, q.Answered = event.Accepted, &answered
		}
		h.Requests = append(h.Requests, q)
	}
	return h
}

// EventWriter is what adding the sample events needs from the store.
type EventWriter interface {
	Now() time.Time
	SampleFirmsInOrder(ctx context.Context, n int) ([]*models.Firm, error)
	AddEventHistory(ctx context.Context, a models.Actor, h event.History) (*event.Record, error)
}

// AddEvents writes the sample events around today over the sample firms already stored; it
// does nothing when there are none.
func AddEvents(ctx context.Context, w EventWriter) error {
	firms, err := w.SampleFirmsInOrder(ctx, 36)
	if err != nil || len(firms) == 0 {
		return err
	}
	for _, h := range Events(firms, w.Now()) {
		if _, err := w.AddEventHistory(ctx, models.SystemActor("sample events"), h); err != nil {
			return fmt.Errorf("sample event %q: %w", h.Record.NameEN, err)
		}
	}
	return nil
}
