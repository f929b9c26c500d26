package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/event"
)

// testEvent is a one-day fair on 14 October 2026: a morning of 25-minute meetings with a coffee
// break, two tables; registration and requests open from 1 August, answers due in 72 hours.
func testEvent() event.Record {
	clock := func(s string) event.Clock {
		c, err := event.ParseClock(s)
		if err != nil {
			panic(err)
		}
		return c
	}
	open := time.Date(2026, 8, 1, 0, 0, 0, 0, models.Hanoi)
	return event.Record{Event: event.Event{NameVI: "Kết nối CNHT Hà Nội 2026", NameEN: "Hanoi Supporting Industry Matching 2026",
		Venue: "Cung Văn hoá Hữu nghị",
		Days: []event.Day{{Date: *models.DateOf(2026, 10, 14), Sessions: []event.Session{{Name: "morning",
			Start: clock("08:30"), End: clock("11:30"), MeetingMinutes: 25,
			Breaks: []event.Break{{Name: "coffee", Start: clock("10:10"), End: clock("10:30")}}}}}},
		Tables:            []event.Table{{Number: 1, Chairs: 4}, {Number: 2, Chairs: 6}},
		Languages:         []event.LanguageOffer{{Code: "vi"}, {Code: "en"}},
		RegistrationOpens: open, RegistrationCloses: open.AddDate(0, 1, 29),
		RequestsOpen: open, RequestsClose: open.AddDate(0, 2, 10), AnswerWithin: 72 * time.Hour,
		MaxMeetings: 6, Direction: event.BothWays}, MaxBuyers: 1}
}

// eventWorld is an event with three supplier firms (each with a member), two buyers and staff.
type eventWorld struct {
	s                          *Store
	ev                         *event.Record
	staff                      models.Actor
	supA, supB, supC           models.Actor
	buyer, buyer2              models.Actor
	firmA, firmB, firmC        uint
	clock                      time.Time
	regA, regB, regC, regBuyer *event.Registration
}

func newEventWorld(t *testing.T) *eventWorld {
	t.Helper()
	ctx := context.Background()
	s := openTestStore(t)
	w := &eventWorld{s: s, clock: time.Date(2026, 8, 10, 9, 0, 0, 0, models.Hanoi)}
	s.SetClock(func() time.Time { return w.clock })
	ref := s.Reference()
	var ids []uint
	for i, name := range []string{"Cơ khí An Phú", "Nhựa Bình Minh", "Điện tử Cầu Giấy"} {
		f := termFirm(t, ref, "010123456"+string(rune('1'+i)), "Công ty TNHH "+name, "co-khi")
		if err := s.SaveFirm(ctx, f); err != nil {
			t.Fatal(err)
		}
		got, err := s.FirmByTaxCode(ctx, f.TaxCode)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, got.ID)
	}
	w.firmA, w.firmB, w.firmC = ids[0], ids[1], ids[2]
	actor := func(email string, role models.Role, lang string, firm uint) models.Actor {
		u, err := s.CreateUser(ctx, admin, models.UserInput{Email: email, Name: email, Role: role, Lang: lang, PasswordHash: "x", Verified: true})
		if err != nil {
			t.Fatal(err)
		}
		if firm != 0 {
			if err := s.AddMember(ctx, admin, firm, u.ID, models.MemberOwner); err != nil {
				t.Fatal(err)
			}
		}
		a, err := s.ActorFor(ctx, u, "127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	w.staff = actor("lan@congthuong.hanoi.gov.vn", models.RoleStaff, "vi", 0)
	w.supA = actor("sales@anphu.vn", models.RoleSupplier, "vi", w.firmA)
	w.supB = actor("sales@binhminh.vn", models.RoleSupplier, "vi", w.firmB)
	w.supC = actor("sales@caugiay.vn", models.RoleSupplier, "vi", w.firmC)
	w.buyer = actor("buyer@canon.example.jp", models.RoleBuyer, "en", 0)
	w.buyer2 = actor("buyer@honda.example.jp", models.RoleBuyer, "en", 0)
	ev, err := s.CreateEvent(ctx, w.staff, testEvent())
	if err != nil {
		t.Fatal(err)
	}
	w.ev = ev
	return w
}

func (w *eventWorld) supplierInput(firm uint) event.RegistrationInput {
	return event.RegistrationInput{Side: event.Supplier, FirmID: firm, Languages: []string{"vi", "en"},
		Attendees: []event.Attendee{{Name: "Nguyễn Văn An", Position: "Giám đốc"}}}
}

func buyerInput(company string) event.RegistrationInput {
	return event.RegistrationInput{Side: event.Buyer, Company: company, Country: "JP", Requirement: "plastic injection parts, ISO 9001",
		Languages: []string{"en"}, Attendees: []event.Attendee{{Name: "Sato Ken", Position: "Procurement"}}}
}

// registerAll registers and approves suppliers A, B, C and the first buyer.
func (w *eventWorld) registerAll(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	reg := func(a models.Actor, in event.RegistrationInput) *event.Registration {
		r, err := w.s.Register(ctx, a, w.ev.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		r, err = w.s.DecideRegistration(ctx, w.staff, r.ID, event.Approved, "")
		if err != nil || r.Status != event.Approved {
			t.Fatalf("approve: %+v %v", r, err)
		}
		return r
	}
	w.regA = reg(w.supA, w.supplierInput(w.firmA))
	w.regB = reg(w.supB, w.supplierInput(w.firmB))
	w.regC = reg(w.supC, w.supplierInput(w.firmC))
	w.regBuyer = reg(w.buyer, buyerInput("Canon Vietnam"))
}

func isField(err error, field, key string) bool {
	var ve *models.ValidationError
	if !errors.As(err, &ve) {
		return false
	}
	for _, f := range ve.Fields {
		if f.Field == field && f.Key == key {
			return true
		}
	}
	return false
}

// mailsTo lists the subjects queued to an address (the plain wording puts the key there).
func mailsTo(t *testing.T, s *Store, to string) []models.Mail {
	t.Helper()
	var out []models.Mail
	if err := s.db.Where("recipient = ?", to).Order("id").Find(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

func TestEventsAreStaffWork(t *testing.T) {
	w := newEventWorld(t)
	ctx := context.Background()
	if _, err := w.s.CreateEvent(ctx, w.supA, testEvent()); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("a supplier created an event: %v", err)
	}
	bad := testEvent()
	bad.NameEN, bad.MaxBuyers = "", -1
	if _, err := w.s.CreateEvent(ctx, w.staff, bad); !isField(err, "name_en", "validation.required") || !isField(err, "max_buyers", "validation.number_range") {
		t.Fatalf("invalid event: %v", err)
	}
	edit := testEvent()
	edit.Venue = "Trung tâm Hội nghị Quốc gia"
	got, err := w.s.UpdateEvent(ctx, w.staff, w.ev.ID, edit)
	if err != nil || got.Venue != edit.Venue || len(got.Slots()) != 6 {
		t.Fatalf("update: %+v %v", got, err)
	}
	back, err := w.s.EventByID(ctx, w.ev.ID)
	if err != nil || back.Venue != edit.Venue || !back.RegistrationOpens.Equal(edit.RegistrationOpens) || back.AnswerWithin != 72*time.Hour ||
		len(back.Days[0].Sessions[0].Breaks) != 1 || back.Tables[1].Chairs != 6 {
		t.Fatalf("read back: %+v %v", back, err)
	}
	evs, err := w.s.AuditEvents(ctx, w.staff, AuditFilter{EntityType: "event"})
	if err != nil || len(evs) != 2 || evs[0].Action != "event.update" || evs[0].Changes[0].Field != "venue" {
		t.Fatalf("audit: %+v %v", evs, err)
	}
}

func TestRegistration(t *testing.T) {
	w := newEventWorld(t)
	ctx := context.Background()
	t.Run("SupplierRegistersItsOwnFirmFromItsProfile", func(t *testing.T) {
		if _, err := w.s.Register(ctx, w.supB, w.ev.ID, w.supplierInput(w.firmA)); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("a member of firm B registered firm A: %v", err)
		}
		r, err := w.s.Register(ctx, w.supA, w.ev.ID, w.supplierInput(w.firmA))
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != event.Pending || r.Company != "Công ty TNHH Cơ khí An Phú" || r.FirmID == nil || *r.FirmID != w.firmA {
			t.Fatalf("registration %+v", r)
		}
		if _, err := w.s.Register(ctx, w.supA, w.ev.ID, w.supplierInput(w.firmA)); !isField(err, "firm", "event.already_registered") {
			t.Fatalf("registered twice: %v", err)
		}
		if m := mailsTo(t, w.s, "sales@anphu.vn"); len(m) != 1 || m[0].Subject != "mail.event_registration_pending" || m[0].Lang != "vi" {
			t.Fatalf("mails %+v", m)
		}
		w.regA = r
	})
	t.Run("BuyerNamesWhatItSources", func(t *testing.T) {
		in := buyerInput("Canon Vietnam")
		in.Requirement, in.Attendees = "", nil
		_, err := w.s.Register(ctx, w.buyer, w.ev.ID, in)
		if !isField(err, "requirement", "validation.required") || !isField(err, "attendees", "event.no_attendee") {
			t.Fatalf("buyer without requirement: %v", err)
		}
		if _, err := w.s.Register(ctx, w.supA, w.ev.ID, buyerInput("X")); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("a supplier registered as buyer: %v", err)
		}
		r, err := w.s.Register(ctx, w.buyer, w.ev.ID, buyerInput("Canon Vietnam"))
		if err != nil || r.Status != event.Pending {
			t.Fatalf("buyer: %+v %v", r, err)
		}
		w.regBuyer = r
	})
	t.Run("WaitlistWhenFull", func(t *testing.T) {
		if _, err := w.s.DecideRegistration(ctx, w.supA, w.regBuyer.ID, event.Approved, ""); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("a supplier approved: %v", err)
		}
		r, err := w.s.DecideRegistration(ctx, w.staff, w.regBuyer.ID, event.Approved, "")
		if err != nil || r.Status != event.Approved {
			t.Fatalf("approve: %+v %v", r, err)
		}
		second, err := w.s.Register(ctx, w.buyer2, w.ev.ID, buyerInput("Honda Vietnam"))
		if err != nil || second.Status != event.Waitlisted {
			t.Fatalf("second buyer, one place: %+v %v", second, err)
		}
		if again, err := w.s.DecideRegistration(ctx, w.staff, second.ID, event.Approved, ""); err != nil || again.Status != event.Waitlisted {
			t.Fatalf("approving when full: %+v %v", again, err)
		}
		if m := mailsTo(t, w.s, "buyer@honda.example.jp"); len(m) != 1 || m[0].Subject != "mail.event_registration_waitlisted" || m[0].Lang != "en" {
			t.Fatalf("mails %+v", m)
		}
		// A withdrawal frees the place.
		if err := w.s.WithdrawRegistration(ctx, w.buyer2, w.regBuyer.ID); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("another buyer withdrew it: %v", err)
		}
		if err := w.s.WithdrawRegistration(ctx, w.buyer, w.regBuyer.ID); err != nil {
			t.Fatal(err)
		}
		if r, err := w.s.DecideRegistration(ctx, w.staff, second.ID, event.Approved, ""); err != nil || r.Status != event.Approved {
			t.Fatalf("approve from the waitlist: %+v %v", r, err)
		}
	})
	t.Run("PublicListShowsApprovedWithoutPeople", func(t *testing.T) {
		ps, err := w.s.Participants(ctx, w.ev.ID)
		if err != nil || len(ps) != 1 || ps[0].Company != "Honda Vietnam" || ps[0].Attendees != nil || ps[0].UserID != 0 {
			t.Fatalf("participants %d %+v %v", len(ps), ps[0], err)
		}
	})
	t.Run("ClosedWindow", func(t *testing.T) {
		w.clock = time.Date(2026, 10, 1, 0, 0, 0, 0, models.Hanoi)
		defer func() { w.clock = time.Date(2026, 8, 10, 9, 0, 0, 0, models.Hanoi) }()
		if _, err := w.s.Register(ctx, w.supB, w.ev.ID, w.supplierInput(w.firmB)); !isField(err, "event", "event.registration_closed") {
			t.Fatalf("late registration: %v", err)
		}
	})
	t.Run("UpdateKeepsSideAndFirm", func(t *testing.T) {
		in := w.supplierInput(w.firmB)
		in.Unavailable = []int{3, 1, 3}
		r, err := w.s.UpdateRegistration(ctx, w.supA, w.regA.ID, in)
		if err != nil || *r.FirmID != w.firmA || len(r.Unavailable) != 2 || r.Unavailable[0] != 1 {
			t.Fatalf("update: %+v %v", r, err)
		}
		if _, err := w.s.UpdateRegistration(ctx, w.supB, w.regA.ID, in); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("firm B changed firm A's registration: %v", err)
		}
		in.Unavailable = []int{99}
		if _, err := w.s.UpdateRegistration(ctx, w.supA, w.regA.ID, in); !isField(err, "unavailable[0]", "event.unknown_slot") {
			t.Fatalf("unknown slot: %v", err)
		}
	})
}

func TestMeetingRequests(t *testing.T) {
	w := newEventWorld(t)
	w.registerAll(t)
	ctx := context.Background()
	req := func(a models.Actor, from, to *event.Registration) (*event.MeetingRequest, error) {
		return w.s.RequestMeeting(ctx, a, w.ev.ID, event.RequestInput{FromID: from.ID, ToID: to.ID, Priority: event.MustMeet, Message: "Xin gặp"})
	}
	var ab *event.MeetingRequest
	t.Run("RequestAndAccept", func(t *testing.T) {
		if _, err := req(w.supB, w.regBuyer, w.regA); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("firm B requested in the buyer's name: %v", err)
		}
		var err error
		ab, err = req(w.buyer, w.regBuyer, w.regA)
		if err != nil || ab.State != event.Requested {
			t.Fatalf("request: %+v %v", ab, err)
		}
		if m := mailsTo(t, w.s, "sales@anphu.vn"); m[len(m)-1].Subject != "mail.meeting_requested" || !strings.Contains(m[len(m)-1].Body, "Canon Vietnam") {
			t.Fatalf("supplier told: %+v", m)
		}
		if _, err := req(w.supA, w.regA, w.regBuyer); !isField(err, "to", "event.request_open") {
			t.Fatalf("second request of the pair: %v", err)
		}
		if _, err := w.s.AnswerRequest(ctx, w.supB, ab.ID, event.AnswerInput{State: event.Accepted}); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("firm B answered firm A's request: %v", err)
		}
		if _, err := w.s.AnswerRequest(ctx, w.buyer, ab.ID, event.AnswerInput{State: event.Accepted}); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("the requester accepted its own request: %v", err)
		}
		got, err := w.s.AnswerRequest(ctx, w.supA, ab.ID, event.AnswerInput{State: event.Accepted})
		if err != nil || got.State != event.Accepted || got.Answered == nil {
			t.Fatalf("accept: %+v %v", got, err)
		}
		if m := mailsTo(t, w.s, "buyer@canon.example.jp"); m[len(m)-1].Subject != "mail.meeting_accepted" || m[len(m)-1].Lang != "en" {
			t.Fatalf("buyer told: %+v", m)
		}
		if _, err := w.s.AnswerRequest(ctx, w.buyer, ab.ID, event.AnswerInput{State: event.Cancelled}); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("the buyer cancelled an accepted meeting: %v", err)
		}
	})
	t.Run("NoThanksBlocksThePair", func(t *testing.T) {
		r, err := req(w.buyer, w.regBuyer, w.regB)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.AnswerRequest(ctx, w.supB, r.ID, event.AnswerInput{State: event.Declined}); !isField(err, "reason", "event.reason_required") {
			t.Fatalf("decline without reason: %v", err)
		}
		got, err := w.s.AnswerRequest(ctx, w.supB, r.ID, event.AnswerInput{State: event.Declined, Reason: "không cùng lĩnh vực", NoThanks: true})
		if err != nil || got.State != event.Declined || !got.NoThanks {
			t.Fatalf("decline: %+v %v", got, err)
		}
		if _, err := req(w.buyer, w.regBuyer, w.regB); !isField(err, "to", "event.pair_blocked") {
			t.Fatalf("asking again after no thanks: %v", err)
		}
		if _, err := req(w.supB, w.regB, w.regBuyer); !isField(err, "to", "event.pair_blocked") {
			t.Fatalf("the other way after no thanks: %v", err)
		}
	})
	t.Run("UnansweredRequestsExpire", func(t *testing.T) {
		r, err := req(w.supC, w.regC, w.regBuyer)
		if err != nil {
			t.Fatal(err)
		}
		w.clock = w.clock.Add(73 * time.Hour)
		n, err := w.s.ExpireRequests(ctx)
		if err != nil || n != 1 {
			t.Fatalf("expired %d: %v", n, err)
		}
		got, err := w.s.AnswerRequest(ctx, w.buyer, r.ID, event.AnswerInput{State: event.Accepted})
		if !isField(err, "state", "event.state_change") || got != nil && got.State != event.Expired {
			t.Fatalf("accepting an expired request: %+v %v", got, err)
		}
		if m := mailsTo(t, w.s, "sales@caugiay.vn"); m[len(m)-1].Subject != "mail.meeting_expired" {
			t.Fatalf("requester told: %+v", m)
		}
		// An expired request holds nothing: the pair may ask again.
		if _, err := req(w.supC, w.regC, w.regBuyer); err != nil {
			t.Fatalf("asking again after expiry: %v", err)
		}
	})
	t.Run("LateAcceptExpiresTheRequest", func(t *testing.T) {
		r, err := req(w.buyer, w.regBuyer, w.regC)
		if !isField(err, "to", "event.request_open") {
			t.Fatalf("pair with an open request: %+v %v", r, err)
		}
		var open []event.MeetingRequest
		all, _ := w.s.RequestsOf(ctx, w.buyer, w.regBuyer.ID)
		for _, x := range all {
			if x.State == event.Requested {
				open = append(open, x)
			}
		}
		w.clock = w.clock.Add(73 * time.Hour)
		got, err := w.s.AnswerRequest(ctx, w.buyer, open[0].ID, event.AnswerInput{State: event.Accepted})
		if err == nil || got == nil || got.State != event.Expired {
			t.Fatalf("late accept: %+v %v", got, err)
		}
	})
	t.Run("StaffActsForAnyone", func(t *testing.T) {
		w.clock = time.Date(2026, 10, 13, 9, 0, 0, 0, models.Hanoi) // requests closed
		if _, err := req(w.buyer, w.regBuyer, w.regC); !isField(err, "made", "event.requests_closed") {
			t.Fatalf("request after the window: %v", err)
		}
		r, err := w.s.RequestMeeting(ctx, w.staff, w.ev.ID, event.RequestInput{FromID: w.regBuyer.ID, ToID: w.regC.ID,
			Priority: event.WouldLike, Accept: true})
		if err != nil || r.State != event.Accepted {
			t.Fatalf("staff-made meeting: %+v %v", r, err)
		}
		if _, err := w.s.RequestMeeting(ctx, w.buyer, w.ev.ID, event.RequestInput{FromID: w.regBuyer.ID, ToID: w.regB.ID,
			Priority: event.WouldLike, Accept: true}); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("a buyer made an agreed meeting: %v", err)
		}
	})
}

// TestParticipantsCannotReachOthersRequestsOrMeetings: a firm reads and changes only what is
// its own, whatever id it names.
func TestParticipantsCannotReachOthersRequestsOrMeetings(t *testing.T) {
	w := newEventWorld(t)
	w.registerAll(t)
	ctx := context.Background()
	r, err := w.s.RequestMeeting(ctx, w.buyer, w.ev.ID, event.RequestInput{FromID: w.regBuyer.ID, ToID: w.regA.ID, Priority: event.MustMeet})
	if err != nil {
		t.Fatal(err)
	}
	for _, other := range []models.Actor{w.supB, w.buyer2, {}} {
		if _, err := w.s.RequestsOf(ctx, other, w.regA.ID); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("%s read firm A's requests: %v", other.Name, err)
		}
		if _, err := w.s.RequestsOf(ctx, other, w.regBuyer.ID); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("%s read the buyer's requests: %v", other.Name, err)
		}
		if _, err := w.s.Agenda(ctx, other, w.regA.ID, false); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("%s read firm A's agenda: %v", other.Name, err)
		}
		if _, err := w.s.Registration(ctx, other, w.regBuyer.ID); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("%s read the buyer's registration: %v", other.Name, err)
		}
		for _, st := range []event.RequestState{event.Accepted, event.Declined, event.Cancelled} {
			if _, err := w.s.AnswerRequest(ctx, other, r.ID, event.AnswerInput{State: st, Reason: "x"}); !errors.Is(err, models.ErrForbidden) {
				t.Errorf("%s moved the request to %s: %v", other.Name, st, err)
			}
		}
		if _, err := w.s.RequestMeeting(ctx, other, w.ev.ID, event.RequestInput{FromID: w.regA.ID, ToID: w.regBuyer.ID, Priority: event.MustMeet}); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("%s requested in firm A's name: %v", other.Name, err)
		}
		if err := w.s.WithdrawRegistration(ctx, other, w.regA.ID); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("%s withdrew firm A: %v", other.Name, err)
		}
		if _, err := w.s.RunSchedule(ctx, other, w.ev.ID); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("%s ran the scheduler: %v", other.Name, err)
		}
		if _, err := w.s.PublishSchedule(ctx, other, w.ev.ID); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("%s published: %v", other.Name, err)
		}
		if _, err := w.s.Schedule(ctx, other, w.ev.ID); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("%s read the schedule: %v", other.Name, err)
		}
	}
	if got, _ := w.s.RequestsOf(ctx, w.supA, w.regA.ID); len(got) != 1 {
		t.Fatalf("firm A's own requests: %+v", got)
	}
	mine, err := w.s.MyRegistrations(ctx, w.supB, w.ev.ID)
	if err != nil || len(mine) != 1 || mine[0].ID != w.regB.ID {
		t.Fatalf("firm B's registrations: %+v %v", mine, err)
	}
}

func TestScheduleRunPublishAndChange(t *testing.T) {
	w := newEventWorld(t)
	w.registerAll(t)
	ctx := context.Background()
	var ids []uint
	for _, to := range []*event.Registration{w.regA, w.regB, w.regC} {
		r, err := w.s.RequestMeeting(ctx, w.buyer, w.ev.ID, event.RequestInput{FromID: w.regBuyer.ID, ToID: to.ID, Priority: event.MustMeet})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	for i, a := range []models.Actor{w.supA, w.supB, w.supC} {
		if _, err := w.s.AnswerRequest(ctx, a, ids[i], event.AnswerInput{State: event.Accepted}); err != nil {
			t.Fatal(err)
		}
	}
	run, err := w.s.RunSchedule(ctx, w.staff, w.ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	if run.Placed != 3 || run.Bound != 3 || run.Unscheduled != 0 || run.Breaks != 0 {
		t.Fatalf("run: %+v", run)
	}
	// Not published yet: the participants see nothing.
	if got, err := w.s.Agenda(ctx, w.buyer, w.regBuyer.ID, false); err != nil || len(got) != 0 {
		t.Fatalf("agenda before publishing: %+v %v", got, err)
	}
	if got, _ := w.s.Agenda(ctx, w.staff, w.regBuyer.ID, true); len(got) != 3 || got[0].Published {
		t.Fatalf("staff's view before publishing: %+v", got)
	}
	told, err := w.s.PublishSchedule(ctx, w.staff, w.ev.ID)
	if err != nil || told != 4 {
		t.Fatalf("publish told %d: %v", told, err)
	}
	agenda, err := w.s.Agenda(ctx, w.buyer, w.regBuyer.ID, false)
	if err != nil || len(agenda) != 3 || !agenda[0].Published || agenda[0].Slot.Number >= agenda[1].Slot.Number {
		t.Fatalf("agenda: %+v %v", agenda, err)
	}
	// The buyer keeps one table all morning.
	if agenda[0].Table.Number != agenda[1].Table.Number || agenda[1].Table.Number != agenda[2].Table.Number {
		t.Errorf("the buyer changes tables: %+v", agenda)
	}
	if a, _ := w.s.Agenda(ctx, w.supA, w.regA.ID, false); len(a) != 1 || a[0].Counterpart.Company != "Canon Vietnam" {
		t.Fatalf("firm A's agenda: %+v", a)
	}
	if m := mailsTo(t, w.s, "buyer@canon.example.jp"); m[len(m)-1].Subject != "mail.agenda_changed" {
		t.Fatalf("buyer not told: %+v", m)
	}
	// A re-run with nothing changed moves nothing and tells nobody.
	if run, err := w.s.RunSchedule(ctx, w.staff, w.ev.ID); err != nil || len(run.Report.Changes) != 0 || run.Placed != 3 {
		t.Fatalf("re-run: %+v %v", run, err)
	}
	if told, _ := w.s.PublishSchedule(ctx, w.staff, w.ev.ID); told != 0 {
		t.Fatalf("publishing an unchanged schedule told %d", told)
	}

	// Staff cancel the meeting with firm B; the re-run reports it dropped, firm B still sees its
	// published seat until the schedule is published again, which tells it.
	if _, err := w.s.AnswerRequest(ctx, w.staff, ids[1], event.AnswerInput{State: event.Cancelled, Reason: "Firm B cannot come"}); err != nil {
		t.Fatal(err)
	}
	run, err = w.s.RunSchedule(ctx, w.staff, w.ev.ID)
	if err != nil || run.Placed != 2 || len(run.Report.Changes) != 1 || run.Report.Changes[0].Kind != event.Dropped ||
		run.Report.Changes[0].Key != "schedule.request_withdrawn" || !run.Report.Changes[0].Published {
		t.Fatalf("re-run after a cancellation: %+v %v", run, err)
	}
	if a, _ := w.s.Agenda(ctx, w.supB, w.regB.ID, false); len(a) != 1 {
		t.Fatalf("firm B's published agenda disappeared before publication: %+v", a)
	}
	before := len(mailsTo(t, w.s, "sales@binhminh.vn"))
	if told, err := w.s.PublishSchedule(ctx, w.staff, w.ev.ID); err != nil || told != 2 {
		t.Fatalf("publish after the change told %d: %v", told, err)
	}
	if a, _ := w.s.Agenda(ctx, w.supB, w.regB.ID, false); len(a) != 0 {
		t.Fatalf("firm B's agenda after publication: %+v", a)
	}
	if m := mailsTo(t, w.s, "sales@binhminh.vn"); len(m) != before+1 || m[len(m)-1].Subject != "mail.agenda_changed" {
		t.Fatalf("firm B not told its meeting is gone: %+v", m)
	}
	// Locked meetings stay where they are.
	view, err := w.s.Schedule(ctx, w.staff, w.ev.ID)
	if err != nil || len(view.Meetings) != 2 || view.LastRun == nil {
		t.Fatalf("schedule: %+v %v", view, err)
	}
	if err := w.s.LockMeeting(ctx, w.supA, view.Meetings[0].ID, true); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("a supplier locked a meeting: %v", err)
	}
	if err := w.s.LockMeeting(ctx, w.staff, view.Meetings[0].ID, true); err != nil {
		t.Fatal(err)
	}
	if run, err := w.s.RunSchedule(ctx, w.staff, w.ev.ID); err != nil || len(run.Report.Changes) != 0 {
		t.Fatalf("re-run with a lock: %+v %v", run, err)
	}
	for _, action := range []string{"schedule.run", "schedule.publish", "meeting.lock", "meeting_request.cancelled", "meeting_request.accepted"} {
		if evs, _ := w.s.AuditEvents(ctx, w.staff, AuditFilter{Action: action}); len(evs) == 0 {
			t.Errorf("no audit row %s", action)
		}
	}
}
