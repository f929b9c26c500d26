package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hanoi-cnht/portal/models"
)

// sourcingFixture is two firms with owners, two buyers and staff.
type sourcingFixture struct {
	*twoFirms
	buyer, other models.Actor
	buyerUser    *models.User
}

func newSourcingFixture(t *testing.T) *sourcingFixture {
	t.Helper()
	x := &sourcingFixture{twoFirms: newTwoFirms(t)}
	ctx := context.Background()
	x.buyerUser = createUser(t, x.s, "mua@canon.example", models.RoleBuyer)
	x.buyerUser.Lang = "en"
	x.s.db.Model(x.buyerUser).Update("lang", "en")
	x.buyer, _ = x.s.ActorFor(ctx, x.buyerUser, "")
	o := createUser(t, x.s, "mua@honda.example", models.RoleBuyer)
	x.other, _ = x.s.ActorFor(ctx, o, "")
	return x
}

func (x *sourcingFixture) mails(t *testing.T, key string) []models.Mail {
	t.Helper()
	var out []models.Mail
	if err := x.s.db.Where("subject = ?", key).Order("id").Find(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

func (x *sourcingFixture) audits(t *testing.T, action string) int64 {
	t.Helper()
	var n int64
	x.s.db.Model(&models.AuditEvent{}).Where("action = ?", action).Count(&n)
	return n
}

func TestShortlists(t *testing.T) {
	ctx := context.Background()
	x := newSourcingFixture(t)
	l, err := x.s.CreateShortlist(ctx, x.buyer, "  Stamping for AC brackets ")
	if err != nil || l.Name != "Stamping for AC brackets" {
		t.Fatalf("%+v %v", l, err)
	}
	if err := x.s.AddToShortlist(ctx, x.buyer, l.ID, x.a.ID, "Visit in May"); err != nil {
		t.Fatal(err)
	}
	if err := x.s.AddToShortlist(ctx, x.buyer, l.ID, x.b.ID, ""); err != nil {
		t.Fatal(err)
	}
	t.Run("AddAgainKeepsPlaceAndTakesNote", func(t *testing.T) {
		if err := x.s.AddToShortlist(ctx, x.buyer, l.ID, x.a.ID, "Visited"); err != nil {
			t.Fatal(err)
		}
		_, items, err := x.s.Shortlist(ctx, x.buyer, l.ID)
		if err != nil || len(items) != 2 || items[0].FirmID != x.a.ID || items[0].Note != "Visited" {
			t.Fatalf("%+v %v", items, err)
		}
	})
	t.Run("Summaries", func(t *testing.T) {
		ls, err := x.s.Shortlists(ctx, x.buyer)
		if err != nil || len(ls) != 1 || ls[0].Count != 2 {
			t.Fatalf("%+v %v", ls, err)
		}
		if ids, _ := x.s.ShortlistsWithFirm(ctx, x.buyer, x.b.ID); len(ids) != 1 || ids[0] != l.ID {
			t.Fatalf("lists with firm b: %v", ids)
		}
	})
	t.Run("ErrNotFoundForAnotherBuyer", func(t *testing.T) {
		for name, err := range map[string]error{
			"read":   func() error { _, _, err := x.s.Shortlist(ctx, x.other, l.ID); return err }(),
			"add":    x.s.AddToShortlist(ctx, x.other, l.ID, x.a.ID, "mine now"),
			"note":   x.s.SetShortlistNote(ctx, x.other, l.ID, x.a.ID, "mine now"),
			"remove": x.s.RemoveFromShortlist(ctx, x.other, l.ID, x.a.ID),
			"delete": x.s.DeleteShortlist(ctx, x.other, l.ID),
		} {
			if !errors.Is(err, models.ErrNotFound) {
				t.Errorf("%s: %v", name, err)
			}
		}
		if ls, _ := x.s.Shortlists(ctx, x.other); len(ls) != 0 {
			t.Errorf("the other buyer lists %d shortlists", len(ls))
		}
	})
	t.Run("ErrForbiddenForSuppliersAndStaff", func(t *testing.T) {
		for _, a := range []models.Actor{x.ownerA, x.staffer, {}} {
			if _, err := x.s.CreateShortlist(ctx, a, "x"); !errors.Is(err, models.ErrForbidden) {
				t.Errorf("%s: %v", a.Name, err)
			}
			if _, _, err := x.s.Shortlist(ctx, a, l.ID); !errors.Is(err, models.ErrForbidden) {
				t.Errorf("%s reads: %v", a.Name, err)
			}
		}
	})
	t.Run("ErrNameRequired", func(t *testing.T) {
		var ve *models.ValidationError
		if _, err := x.s.CreateShortlist(ctx, x.buyer, "  "); !errors.As(err, &ve) || !ve.Has("name") {
			t.Fatalf("%v", err)
		}
	})
	t.Run("ErrNotFoundFirm", func(t *testing.T) {
		if err := x.s.AddToShortlist(ctx, x.buyer, l.ID, 99999, ""); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("%v", err)
		}
	})
	t.Run("RemoveAndDelete", func(t *testing.T) {
		if err := x.s.RemoveFromShortlist(ctx, x.buyer, l.ID, x.b.ID); err != nil {
			t.Fatal(err)
		}
		if err := x.s.DeleteShortlist(ctx, x.buyer, l.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := x.s.Shortlist(ctx, x.buyer, l.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("after delete: %v", err)
		}
	})
	t.Run("Audited", func(t *testing.T) {
		for _, action := range []string{"shortlist.create", "shortlist.add", "shortlist.note", "shortlist.remove", "shortlist.delete"} {
			if x.audits(t, action) == 0 {
				t.Errorf("no audit row %s", action)
			}
		}
		var leaked int64
		x.s.db.Model(&models.AuditEvent{}).Where("entity_type = 'shortlist' AND firm_id IS NOT NULL").Count(&leaked)
		if leaked > 0 {
			t.Error("shortlist audit rows name a firm, so its owners would read who shortlisted it")
		}
	})
}

func sendRFQ(t *testing.T, x *sourcingFixture, firms ...uint) *models.RFQ {
	t.Helper()
	r, err := x.s.SendRFQ(context.Background(), x.buyer, models.RFQInput{Title: "AC bracket, SPCC 1.2 mm",
		Description: "Stamped bracket, zinc plated; drawing on request.", Quantity: "5,000", AnnualVolume: "60000",
		TargetDate: time.Now().AddDate(0, 2, 0).Format(time.DateOnly), Standards: "IATF 16949", NDA: true, FirmIDs: firms})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRFQThreads(t *testing.T) {
	ctx := context.Background()
	x := newSourcingFixture(t)
	r := sendRFQ(t, x, x.a.ID, x.b.ID, x.a.ID)
	if r.Quantity != 5000 || r.AnnualVolume != 60000 || r.TargetDate == nil || !r.NDA {
		t.Fatalf("stored %+v", r)
	}
	sum, err := x.s.RFQ(ctx, x.buyer, r.ID)
	if err != nil || len(sum.Threads) != 2 {
		t.Fatalf("%+v %v", sum, err)
	}
	threadOf := map[uint]uint{}
	for _, th := range sum.Threads {
		threadOf[th.Thread.FirmID] = th.Thread.ID
		if th.Thread.Status != models.ThreadSent || th.Thread.Forwarded {
			t.Errorf("new thread %+v", th.Thread)
		}
	}
	ta, tb := threadOf[x.a.ID], threadOf[x.b.ID]
	if m := x.mails(t, "mail.rfq_received"); len(m) != 2 || !strings.Contains(m[0].Body, "Link: /account/threads/") {
		t.Fatalf("received mails: %+v", m)
	}

	t.Run("SupplierSeesOnlyItsOwnThread", func(t *testing.T) {
		inbox, err := x.s.Inbox(ctx, x.ownerA, x.a.ID)
		if err != nil || len(inbox) != 1 || inbox[0].Thread.ID != ta {
			t.Fatalf("%+v %v", inbox, err)
		}
		if _, err := x.s.Inbox(ctx, x.ownerA, x.b.ID); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("another firm's inbox: %v", err)
		}
		if _, err := x.s.Inbox(ctx, x.staffer, x.a.ID); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("staff read an inbox: %v", err)
		}
		if _, err := x.s.OpenThread(ctx, x.ownerA, tb); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("another firm's thread: %v", err)
		}
	})
	t.Run("OtherBuyerAndStaffSeeNothing", func(t *testing.T) {
		if _, err := x.s.RFQ(ctx, x.other, r.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("other buyer's RFQ: %v", err)
		}
		for _, a := range []models.Actor{x.other, x.staffer, {}} {
			if _, err := x.s.OpenThread(ctx, a, ta); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("%q reads a thread: %v", a.Name, err)
			}
			if _, err := x.s.Reply(ctx, a, ta, models.ReplyInput{Kind: models.MessageText, Body: "hi"}); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("%q writes in a thread: %v", a.Name, err)
			}
		}
		if l, _ := x.s.RFQsOf(ctx, x.other); len(l) != 0 {
			t.Errorf("the other buyer lists %d RFQs", len(l))
		}
	})
	t.Run("ReadByTheFirm", func(t *testing.T) {
		v, err := x.s.OpenThread(ctx, x.ownerA, ta)
		if err != nil || v.Side != models.SideSupplier || v.Thread.Status != models.ThreadRead || v.RFQ.Title != r.Title {
			t.Fatalf("%+v %v", v, err)
		}
		v, _ = x.s.OpenThread(ctx, x.buyer, ta)
		if v.Side != models.SideBuyer || v.Thread.Status != models.ThreadRead {
			t.Fatalf("the buyer sees %s as %s", v.Thread.Status, v.Side)
		}
	})
	t.Run("ErrForbiddenWrongSide", func(t *testing.T) {
		if _, err := x.s.Reply(ctx, x.buyer, ta, models.ReplyInput{Kind: models.MessageQuote, Price: "1", Currency: "USD"}); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("buyer quotes: %v", err)
		}
		if _, err := x.s.Reply(ctx, x.ownerA, ta, models.ReplyInput{Kind: models.MessageAward}); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("supplier awards itself: %v", err)
		}
		if _, err := x.s.Reply(ctx, x.buyer, ta, models.ReplyInput{Kind: models.MessageAward}); !errors.Is(err, models.ErrConflict) {
			t.Errorf("award before a quotation: %v", err)
		}
	})
	t.Run("ErrQuoteFields", func(t *testing.T) {
		_, err := x.s.Reply(ctx, x.ownerA, ta, models.ReplyInput{Kind: models.MessageQuote, Price: "-3", Currency: "XYZ",
			LeadTimeDays: "soon", ValidUntil: "2001-01-01"})
		var ve *models.ValidationError
		if !errors.As(err, &ve) || !ve.Has("price") || !ve.Has("currency") || !ve.Has("lead_time_days") || !ve.Has("valid_until") {
			t.Fatalf("%v", err)
		}
	})
	t.Run("QuestionQuoteDeclineAward", func(t *testing.T) {
		if _, err := x.s.Reply(ctx, x.ownerA, ta, models.ReplyInput{Kind: models.MessageText, Body: "Which zinc thickness?"}); err != nil {
			t.Fatal(err)
		}
		if _, err := x.s.Reply(ctx, x.buyer, ta, models.ReplyInput{Kind: models.MessageText, Body: "8 µm"}); err != nil {
			t.Fatal(err)
		}
		if _, err := x.s.Reply(ctx, x.ownerA, ta, models.ReplyInput{Kind: models.MessageQuote, Price: "0.42", Currency: "usd",
			LeadTimeDays: "30", ValidUntil: time.Now().AddDate(0, 1, 0).Format(time.DateOnly), Body: "FOB Hanoi"}); err != nil {
			t.Fatal(err)
		}
		if _, err := x.s.Reply(ctx, x.ownerB, tb, models.ReplyInput{Kind: models.MessageDecline, Body: "No capacity until Q3"}); err != nil {
			t.Fatal(err)
		}
		sum, _ := x.s.RFQ(ctx, x.buyer, r.ID)
		for _, th := range sum.Threads {
			switch th.Thread.FirmID {
			case x.a.ID:
				if th.Thread.Status != models.ThreadAnswered || th.Answer == nil || th.Answer.Price != "0.42" || th.Answer.Currency != "USD" {
					t.Errorf("a: %+v %+v", th.Thread, th.Answer)
				}
			case x.b.ID:
				if th.Thread.Status != models.ThreadDeclined || th.Answer == nil || th.Answer.Body != "No capacity until Q3" {
					t.Errorf("b: %+v %+v", th.Thread, th.Answer)
				}
			}
		}
		if _, err := x.s.Reply(ctx, x.buyer, ta, models.ReplyInput{Kind: models.MessageAward}); err != nil {
			t.Fatal(err)
		}
		if _, err := x.s.Reply(ctx, x.ownerA, ta, models.ReplyInput{Kind: models.MessageText, Body: "Thanks"}); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("a message after the award: %v", err)
		}
		// The buyer's language is English: the link in its mails is the English page.
		if m := x.mails(t, "mail.rfq_quote"); len(m) != 1 || m[0].Recipient != "mua@canon.example" || !strings.Contains(m[0].Body, "Link: /en/account/threads/") {
			t.Errorf("quote mail: %+v", m)
		}
		if m := x.mails(t, "mail.rfq_award"); len(m) != 1 || m[0].Recipient != "chu@cokhian.vn" {
			t.Errorf("award mail: %+v", m)
		}
		for _, action := range []string{"rfq.send", "rfq.read", "rfq.message", "rfq.quote", "rfq.decline", "rfq.award"} {
			if x.audits(t, action) == 0 {
				t.Errorf("no audit row %s", action)
			}
		}
	})
	t.Run("ReportLetsStaffRead", func(t *testing.T) {
		if err := x.s.ReportThread(ctx, x.ownerB, tb, ""); err == nil {
			t.Fatal("a report without a reason")
		}
		if err := x.s.ReportThread(ctx, x.ownerB, tb, "Spam"); err != nil {
			t.Fatal(err)
		}
		v, err := x.s.OpenThread(ctx, x.staffer, tb)
		if err != nil || v.Side != models.SideStaff || v.Thread.ReportedBy != models.SideSupplier {
			t.Fatalf("%+v %v", v, err)
		}
		o, err := x.s.RFQOverview(ctx, x.staffer)
		if err != nil || o.RFQs != 1 || len(o.Reported) != 1 || o.ByStatus[models.ThreadAwarded] != 1 {
			t.Fatalf("%+v %v", o, err)
		}
		if _, err := x.s.RFQOverview(ctx, x.buyer); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("a buyer reads the overview: %v", err)
		}
	})
}

func TestRFQForwardingSampleAndThrottle(t *testing.T) {
	ctx := context.Background()
	x := newSourcingFixture(t)
	lone := termFirm(t, x.s.Reference(), "0109999999", "Công ty TNHH Khuôn Mẫu Lẻ", "co-khi")
	sample := termFirm(t, x.s.Reference(), "0108888888", "Công ty Mẫu", "co-khi")
	sample.Sample = true
	if _, err := x.s.SaveFirms(ctx, []*models.Firm{lone, sample}); err != nil {
		t.Fatal(err)
	}
	lone, _ = x.s.FirmByTaxCode(ctx, lone.TaxCode)
	sample, _ = x.s.FirmByTaxCode(ctx, sample.TaxCode)
	owner := createUser(t, x.s, "chu@mau.vn", models.RoleSupplier)
	if err := x.s.AddMember(ctx, admin, sample.ID, owner.ID, models.MemberOwner); err != nil {
		t.Fatal(err)
	}
	r := sendRFQ(t, x, lone.ID, sample.ID)
	sum, _ := x.s.RFQ(ctx, x.buyer, r.ID)
	for _, th := range sum.Threads {
		if want := th.Thread.FirmID == lone.ID; th.Thread.Forwarded != want {
			t.Errorf("firm %d forwarded %v", th.Thread.FirmID, th.Thread.Forwarded)
		}
	}
	if m := x.mails(t, "mail.rfq_received"); len(m) != 0 {
		t.Errorf("mailed %d: a sample firm's members or a firm without members", len(m))
	}
	o, _ := x.s.RFQOverview(ctx, x.staffer)
	if len(o.Forwarded) != 1 || o.Forwarded[0].Thread.FirmID != lone.ID {
		t.Fatalf("forwarded: %+v", o.Forwarded)
	}
	t.Run("ErrTooManyRFQs", func(t *testing.T) {
		for i := 1; i < models.RFQsPerHour; i++ {
			sendRFQ(t, x, x.a.ID)
		}
		_, err := x.s.SendRFQ(ctx, x.buyer, models.RFQInput{Title: "x", Description: "y", FirmIDs: []uint{x.a.ID}})
		if !errors.Is(err, models.ErrTooManyRFQs) {
			t.Fatalf("%v", err)
		}
		if _, err := x.s.SendRFQ(ctx, x.other, models.RFQInput{Title: "x", Description: "y", FirmIDs: []uint{x.a.ID}}); err != nil {
			t.Fatalf("another buyer is throttled too: %v", err)
		}
	})
	t.Run("ErrFields", func(t *testing.T) {
		_, err := x.s.SendRFQ(ctx, x.other, models.RFQInput{Quantity: "many", TargetDate: "yesterday"})
		var ve *models.ValidationError
		if !errors.As(err, &ve) {
			t.Fatal(err)
		}
		for _, f := range []string{"title", "description", "quantity", "target_date", "firms"} {
			if !ve.Has(f) {
				t.Errorf("no error on %s: %v", f, err)
			}
		}
		if _, err := x.s.SendRFQ(ctx, x.ownerA, models.RFQInput{Title: "x", Description: "y", FirmIDs: []uint{x.b.ID}}); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("a supplier sends an RFQ: %v", err)
		}
	})
}

func TestSavedSearchAlerts(t *testing.T) {
	ctx := context.Background()
	x := newSourcingFixture(t)
	ss, err := x.s.SaveSearch(ctx, x.buyer, models.SavedSearchInput{Name: "Stamping", Query: "k1=process&v1=stamping&n1=required", Frequency: models.AlertDaily})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("ErrNotFoundForAnotherBuyer", func(t *testing.T) {
		if err := x.s.SetAlertFrequency(ctx, x.other, ss.ID, models.AlertOff); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("%v", err)
		}
		if err := x.s.DeleteSavedSearch(ctx, x.other, ss.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("%v", err)
		}
		if l, _ := x.s.SavedSearches(ctx, x.other); len(l) != 0 {
			t.Errorf("the other buyer lists %d", len(l))
		}
	})
	text := func(u *models.User, s *models.SavedSearch, fresh []uint) map[string]any {
		return map[string]any{"Search": s.Name, "Count": len(fresh), "Lang": u.Lang}
	}
	now := time.Now()
	due, err := x.s.DueSavedSearches(ctx, now, 10)
	if err != nil || len(due) != 1 {
		t.Fatalf("due %+v %v", due, err)
	}
	if n, err := x.s.RecordSavedSearchRun(ctx, ss.ID, []uint{x.a.ID}, text); err != nil || n != 0 {
		t.Fatalf("first run: %d %v", n, err)
	}
	if due, _ := x.s.DueSavedSearches(ctx, now, 10); len(due) != 0 {
		t.Fatalf("due again at once: %+v", due)
	}
	if due, _ := x.s.DueSavedSearches(ctx, now.Add(25*time.Hour), 10); len(due) != 1 {
		t.Fatalf("not due a day later: %+v", due)
	}
	if n, err := x.s.RecordSavedSearchRun(ctx, ss.ID, []uint{x.a.ID, x.b.ID}, text); err != nil || n != 1 {
		t.Fatalf("second run: %d %v", n, err)
	}
	if n, _ := x.s.RecordSavedSearchRun(ctx, ss.ID, []uint{x.b.ID}, text); n != 0 {
		t.Fatalf("a known supplier mailed again")
	}
	m := x.mails(t, "mail.saved_search_alert")
	if len(m) != 1 || m[0].Lang != "en" || !strings.Contains(m[0].Body, "Count: 1") {
		t.Fatalf("alert mails %+v", m)
	}
	t.Run("UnsubscribeWithoutSigningIn", func(t *testing.T) {
		if _, err := x.s.Unsubscribe(ctx, "not-a-token-at-all-but-long"); !errors.Is(err, models.ErrTokenInvalid) {
			t.Fatalf("%v", err)
		}
		got, err := x.s.Unsubscribe(ctx, ss.UnsubscribeToken)
		if err != nil || got.Frequency != models.AlertOff {
			t.Fatalf("%+v %v", got, err)
		}
		if due, _ := x.s.DueSavedSearches(ctx, now.Add(30*24*time.Hour), 10); len(due) != 0 {
			t.Fatalf("an unsubscribed search is due")
		}
		if x.audits(t, "saved_search.frequency") != 1 || x.audits(t, "saved_search.alert") != 1 {
			t.Fatal("not audited")
		}
	})
	t.Run("ErrFrequency", func(t *testing.T) {
		_, err := x.s.SaveSearch(ctx, x.buyer, models.SavedSearchInput{Name: "x", Query: "q=a", Frequency: "hourly"})
		var ve *models.ValidationError
		if !errors.As(err, &ve) || !ve.Has("frequency") {
			t.Fatalf("%v", err)
		}
	})
	if err := x.s.DeleteSavedSearch(ctx, x.buyer, ss.ID); err != nil {
		t.Fatal(err)
	}
}
