package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/store"
)

func init() {
	authzTables["rfq_nda"] = map[string]authzCase{
		// The thread asks firm A for an NDA: only its members accept; the buyer is refused.
		"POST /account/threads/:thread/nda": {Path: "/account/threads/{threadNDA}/nda", Want: "ldannn"},
		// Firm A has an account, so the Department does not forward the thread: staff find nothing
		// to mark (TestStaffMarkForwarded marks one that is forwarded).
		"POST /staff/rfqs/:thread/forwarded": {Path: "/staff/rfqs/{threadNDA}/forwarded", Want: "ldddnn"},
	}
	authzSetups = append(authzSetups, func(ctx context.Context, fx *authzFixture) error {
		buyer, err := fx.store.ActorFor(ctx, fx.users["buyer"], "")
		if err != nil {
			return err
		}
		var firmA uint
		fmt.Sscan(fx.ids["{firmA}"], &firmA)
		r, err := fx.store.SendRFQ(ctx, buyer, models.RFQInput{Title: "Khuôn mật", Description: "Bản vẽ mật", NDA: true,
			FirmIDs: []uint{firmA}})
		if err != nil {
			return err
		}
		sum, err := fx.store.RFQ(ctx, buyer, r.ID)
		if err != nil {
			return err
		}
		fx.ids["{threadNDA}"] = itoa(int(sum.Threads[0].Thread.ID))
		return nil
	})
}

// loneFirm adds a firm no account belongs to: RFQs to it go through the Department.
func loneFirm(ctx context.Context, fx *authzFixture) (*models.Firm, error) {
	const tax = "0106660001"
	if f, err := fx.store.FirmByTaxCode(ctx, tax); err == nil {
		return f, nil
	}
	f := &models.Firm{TaxCode: tax, NameVI: "Công ty TNHH Khuôn Mẫu Lẻ",
		Terms: []models.Term{fx.store.Reference().TermsOfKind(models.KindSector)[0]}}
	if _, err := fx.store.SaveFirms(ctx, []*models.Firm{f}); err != nil {
		return nil, err
	}
	return fx.store.FirmByTaxCode(ctx, tax)
}

// TestRFQNDAWithholdsAttachments: when the RFQ requires an NDA, the firm sees how many files
// there are but no links, and downloads are refused (403), until a member accepts the NDA in
// the thread; the acceptance is audited and shown to both sides, and the files then open.
func TestRFQNDAWithholdsAttachments(t *testing.T) {
	fx := newAuthzFixture(t)
	buyer, supplier := fx.as(t, "buyer"), fx.as(t, "supplier of this firm")
	firmA := fx.firm(t, "{firmA}")
	sent := buyer.postFiles("/en/account/rfqs", url.Values{"firm": {itoa(int(firmA.ID))}, "title": {"Secret bracket"},
		"description": {"Under NDA"}, "nda": {"yes"}}, "attachments", sentFile{"drawing.pdf", []byte(tinyPDF)})
	expectStatus(t, sent, http.StatusSeeOther)
	rfqPath := strings.SplitN(sent.Header.Get("Location"), "?", 2)[0]
	thread := "/account/threads/" + fx.threadsOf(t, rfqPath)[firmA.ID]
	drawing := fileLinksOn(buyer.get(rfqPath), ".rfq-facts")["drawing.pdf"]
	if drawing == "" {
		t.Fatal("the buyer's page lists no drawing")
	}
	// The same file read through the thread, without the language prefix.
	drawing = strings.TrimPrefix(drawing, "/en")

	for _, lang := range []string{"vi", "en"} {
		th := supplier.get(localPath(lang, thread))
		expectStatus(t, th, http.StatusOK)
		if got := fileLinksOn(th, ".thread"); len(got) != 0 {
			t.Errorf("%s: the firm sees links before accepting the NDA: %v", lang, got)
		}
		if th.Doc.Find(`.nda-accept form[action$="/nda"] button`).Length() != 1 || !strings.Contains(th.Doc.Find("#nda-withheld").Text(), "1") {
			t.Errorf("%s: no NDA to accept: %s", lang, th.Body)
		}
	}
	if r := supplier.get(drawing); r.Status != http.StatusForbidden {
		t.Fatalf("the firm downloads the drawing before accepting the NDA: %d", r.Status)
	}
	if r := buyer.get(drawing); r.Status != http.StatusOK {
		t.Errorf("the buyer downloads the drawing: %d", r.Status)
	}
	if r := buyer.post(thread+"/nda", nil); r.Status != http.StatusForbidden {
		t.Errorf("the buyer accepts the NDA: %d", r.Status)
	}

	acc := supplier.post("/en"+thread+"/nda", nil)
	expectStatus(t, acc, http.StatusSeeOther)
	th := supplier.get("/en" + thread + "?done=nda_accepted")
	if got := fileLinksOn(th, ".rfq-facts"); got["drawing.pdf"] == "" {
		t.Errorf("after accepting, the firm's thread lists %v", got)
	}
	if th.Doc.Find(".nda-accept").Length() != 0 || !strings.Contains(th.Doc.Find("#nda-accepted").Text(), "NDA accepted by") {
		t.Errorf("after accepting: %s", th.Doc.Find(".thread").Text())
	}
	if r := supplier.get(drawing); r.Status != http.StatusOK || r.Body != tinyPDF {
		t.Errorf("the firm downloads the drawing after accepting the NDA: %d", r.Status)
	}
	if b := buyer.get(thread); !strings.Contains(b.Doc.Find("#nda-accepted").Text(), "đã chấp nhận NDA") {
		t.Errorf("the buyer does not see the acceptance: %s", b.Doc.Find(".thread").Text())
	}
	if n := auditCount(t, fx, "rfq.nda_accept", thread[strings.LastIndex(thread, "/")+1:]); n != 1 {
		t.Errorf("%d audit rows of the acceptance", n)
	}
}

// TestRFQMailNamesAttachments: the mail to a firm's members names each attachment with its
// size, and says when an NDA is asked, in the member's language.
func TestRFQMailNamesAttachments(t *testing.T) {
	fx := newAuthzFixture(t)
	text := fx.srv.mailText("https://portal.example")
	files := []models.RFQFile{{OriginalName: "bản vẽ.pdf", Size: 2048}, {OriginalName: "bracket.step", Size: 1_500_000}}
	for _, tc := range []struct{ lang, nda string }{{"vi", "thoả thuận bảo mật"}, {"en", "non-disclosure agreement"}} {
		_, body := text(tc.lang, "mail.rfq_received", map[string]any{"Name": "An", "Buyer": "Canon", "Title": "Giá đỡ",
			"Firm": "An Phú", "Link": "/account/threads/1", "Files": files, "NDA": true})
		for _, want := range []string{"- bản vẽ.pdf (2 KB)", "- bracket.step (1", tc.nda} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: the mail lacks %q:\n%s", tc.lang, want, body)
			}
		}
		_, plain := text(tc.lang, "mail.rfq_received", map[string]any{"Name": "An", "Buyer": "Canon", "Title": "Giá đỡ",
			"Firm": "An Phú", "Link": "/account/threads/1", "Files": []models.RFQFile(nil), "NDA": false})
		if strings.Contains(plain, ".pdf") || strings.Contains(plain, tc.nda) || strings.Contains(plain, "no value") {
			t.Errorf("%s: a request without files or NDA:\n%s", tc.lang, plain)
		}
	}
	// The store hands the mail the request's files.
	buyer := fx.as(t, "buyer")
	firmA := fx.firm(t, "{firmA}")
	sent := buyer.postFiles("/account/rfqs", url.Values{"firm": {itoa(int(firmA.ID))}, "title": {"Giá đỡ có bản vẽ"},
		"description": {"SPCC"}}, "attachments", sentFile{"ban-ve.pdf", []byte(tinyPDF)})
	expectStatus(t, sent, http.StatusSeeOther)
	mails, err := fx.store.DueMails(context.Background(), time.Now().Add(time.Hour), 1000)
	if err != nil {
		t.Fatal(err)
	}
	named := false
	for _, m := range mails {
		if m.Recipient == fx.users["supplier of this firm"].Email && strings.Contains(m.Body, "Giá đỡ có bản vẽ") {
			named = strings.Contains(m.Body, "ban-ve.pdf")
		}
	}
	if !named {
		t.Fatal("the queued mail does not name the file")
	}
}

// TestStaffMarkForwarded: staff mark an RFQ to a firm without an account as forwarded from
// their queue; it is audited, and the buyer reads "forwarded by the Department on …".
func TestStaffMarkForwarded(t *testing.T) {
	fx := newAuthzFixture(t)
	ctx := context.Background()
	lone, err := loneFirm(ctx, fx)
	if err != nil {
		t.Fatal(err)
	}
	buyerActor, err := fx.store.ActorFor(ctx, fx.users["buyer"], "")
	if err != nil {
		t.Fatal(err)
	}
	r, err := fx.store.SendRFQ(ctx, buyerActor, models.RFQInput{Title: "Khuôn", Description: "Khuôn dập", FirmIDs: []uint{lone.ID}})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := fx.store.RFQ(ctx, buyerActor, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	fx.ids["{threadForwarded}"] = itoa(int(sum.Threads[0].Thread.ID))
	staff, buyer := fx.as(t, "staff"), fx.as(t, "buyer")
	page := staff.get("/en/staff/rfqs")
	expectStatus(t, page, http.StatusOK)
	action, ok := page.Doc.Find(`form.mark-forwarded`).First().Attr("action")
	if !ok || !strings.HasSuffix(action, "/staff/rfqs/"+fx.ids["{threadForwarded}"]+"/forwarded") {
		t.Fatalf("no mark-as-forwarded form in staff's queue (%q)", action)
	}
	if label := page.Doc.Find(`.rfq-forwarded`).First().Text(); label != "not forwarded yet" {
		t.Errorf("staff's queue labels a request not yet forwarded %q", label)
	}
	marked := staff.post(action, nil)
	expectStatus(t, marked, http.StatusSeeOther)
	page = staff.get(marked.Header.Get("Location"))
	if page.Doc.Find(`form.mark-forwarded`).Length() != 0 || !strings.Contains(page.Doc.Find(".rfq-forwarded").Text(), "forwarded by the Department on") {
		t.Errorf("staff's queue after marking: %s", page.Doc.Find(".rfq-answers").Text())
	}
	if n := auditCount(t, fx, "rfq.forwarded", fx.ids["{threadForwarded}"]); n != 1 {
		t.Errorf("%d audit rows", n)
	}
	th := buyer.get("/en/account/threads/" + fx.ids["{threadForwarded}"])
	expectStatus(t, th, http.StatusOK)
	if !strings.Contains(th.Doc.Find("#forwarded-on").Text(), "Forwarded by the Department on") {
		t.Errorf("the buyer's thread: %s", th.Doc.Find(".thread").Text())
	}
	list := buyer.get("/account/rfqs")
	if !strings.Contains(list.Body, "Sở Công Thương đã chuyển tiếp") {
		t.Error("the buyer's list does not say when the Department forwarded")
	}
}

// auditCount counts the audit rows of action on a thread, as staff read the log.
func auditCount(t *testing.T, fx *authzFixture, action, threadID string) int {
	t.Helper()
	ctx := context.Background()
	staff, err := fx.store.ActorFor(ctx, fx.users["staff"], "")
	if err != nil {
		t.Fatal(err)
	}
	evs, err := fx.store.AuditEvents(ctx, staff, store.AuditFilter{Action: action, EntityType: "rfq_thread", EntityID: threadID})
	if err != nil {
		t.Fatal(err)
	}
	return len(evs)
}
