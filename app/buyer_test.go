package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hanoi-cnht/portal/models"
)

func init() {
	authzTables["buyer"] = map[string]authzCase{
		"GET /account/shortlists":                    {Want: "ladddd"},
		"POST /account/shortlists":                   {Form: url.Values{"name": {"Ép nhựa"}}, Want: "ladddd"},
		"POST /account/shortlists/add":               {Form: url.Values{"firm": {"{firmA}"}, "list": {"{listA}"}}, Want: "ladddd"},
		"GET /account/shortlists/:list":              {Path: "/account/shortlists/{listA}", Want: "ladddd"},
		"POST /account/shortlists/:list/delete":      {Path: "/account/shortlists/{listGone}/delete", Want: "lndddd"},
		"POST /account/shortlists/:list/items/:item": {Path: "/account/shortlists/{listA}/items/{firmA}", Form: url.Values{"action": {"note"}, "note": {"Gọi lại"}}, Want: "ladddd"},
		"GET /account/shortlists/:list/compare":      {Path: "/account/shortlists/{listA}/compare", Want: "ladddd"},
		"GET /account/shortlists/:list/export":       {Path: "/account/shortlists/{listA}/export?format=csv", Want: "ladddd"},
		"GET /account/rfqs":                          {Want: "ladddd"},
		"GET /account/rfqs/new":                      {Path: "/account/rfqs/new?firm={firmA}", Want: "ladddd"},
		"POST /account/rfqs":                         {Form: url.Values{"title": {"Khuôn"}, "description": {"Khuôn ép"}, "firm": {"{firmA}"}}, Want: "ladddd"},
		"GET /account/rfqs/:rfq":                     {Path: "/account/rfqs/{rfqA}", Want: "ladddd"},
		"GET /account/threads/:thread":               {Path: "/account/threads/{threadA}", Want: "laannn"},
		"POST /account/threads/:thread":              {Path: "/account/threads/{threadA}", Form: url.Values{"kind": {"message"}, "message_body": {"Xin chào"}}, Want: "laannn"},
		"POST /account/threads/:thread/report":       {Path: "/account/threads/{threadReported}/report", Form: url.Values{"reason": {"Thư rác"}}, Want: "laandd"},
		"GET /account/firms/:firm/inbox":             {Path: "/account/firms/{firmA}/inbox", Want: "ldaddd"},
		"GET /account/searches":                      {Want: "ladddd"},
		"POST /account/searches":                     {Form: url.Values{"name": {"Dập"}, "query": {"k1=process&v1=stamping"}, "frequency": {"weekly"}}, Want: "ladddd"},
		"POST /account/searches/:search":             {Path: "/account/searches/{searchA}", Form: url.Values{"action": {"frequency"}, "frequency": {"daily"}}, Want: "ladddd"},
		"GET /alerts/unsubscribe":                    {Path: "/alerts/unsubscribe?token={tokenA}", Want: "aaaaaa"},
		"POST /alerts/unsubscribe":                   {Form: url.Values{"token": {"{tokenA}"}}, Want: "aaaaaa"},
		"GET /staff/rfqs":                            {Want: "ldddaa"},
	}
	authzSetups = append(authzSetups, func(ctx context.Context, fx *authzFixture) error {
		buyer, err := fx.store.ActorFor(ctx, fx.users["buyer"], "")
		if err != nil {
			return err
		}
		firmA, firmB := fx.ids["{firmA}"], fx.ids["{firmB}"]
		ids, err := buyerRecords(ctx, fx, buyer, firmA, firmB)
		if err != nil {
			return err
		}
		for k, v := range ids {
			fx.ids["{"+k+"}"] = v
		}
		return nil
	})
}

// buyerRecords gives a buyer a shortlist of two firms, an RFQ to the first, another reported
// later, and a saved search; it returns their ids by name.
func buyerRecords(ctx context.Context, fx *authzFixture, buyer models.Actor, firmA, firmB string) (map[string]string, error) {
	var a, b uint
	fmt.Sscan(firmA, &a)
	fmt.Sscan(firmB, &b)
	l, err := fx.store.CreateShortlist(ctx, buyer, "Cơ khí")
	if err != nil {
		return nil, err
	}
	gone, err := fx.store.CreateShortlist(ctx, buyer, "Cũ")
	if err != nil {
		return nil, err
	}
	if err := fx.store.DeleteShortlist(ctx, buyer, gone.ID); err != nil {
		return nil, err
	}
	for _, f := range []uint{a, b} {
		if err := fx.store.AddToShortlist(ctx, buyer, l.ID, f, ""); err != nil {
			return nil, err
		}
	}
	thread := func(title string) (uint, uint, error) {
		r, err := fx.store.SendRFQ(ctx, buyer, models.RFQInput{Title: title, Description: "Giá đỡ dập", FirmIDs: []uint{a}})
		if err != nil {
			return 0, 0, err
		}
		sum, err := fx.store.RFQ(ctx, buyer, r.ID)
		if err != nil {
			return 0, 0, err
		}
		return r.ID, sum.Threads[0].Thread.ID, nil
	}
	rfq, th, err := thread("Giá đỡ")
	if err != nil {
		return nil, err
	}
	_, reported, err := thread("Giá đỡ 2")
	if err != nil {
		return nil, err
	}
	ss, err := fx.store.SaveSearch(ctx, buyer, models.SavedSearchInput{Name: "Cơ khí", Query: "q=khu%C3%B4n", Frequency: models.AlertWeekly})
	if err != nil {
		return nil, err
	}
	return map[string]string{"listA": itoa(int(l.ID)), "listGone": itoa(int(gone.ID)), "rfqA": itoa(int(rfq)),
		"threadA": itoa(int(th)), "threadReported": itoa(int(reported)), "searchA": itoa(int(ss.ID)),
		"tokenA": ss.UnsubscribeToken}, nil
}

// TestBuyerRecordsStayPrivate: another buyer's shortlist, RFQ, thread and saved search are 404
// to the fixture's buyer, whatever the route; a thread is 404 to the other firm.
func TestBuyerRecordsStayPrivate(t *testing.T) {
	fx := newAuthzFixture(t)
	ctx := context.Background()
	other := addAccount(t, fx, "mua2@honda.example", models.RoleBuyer)
	oa, _ := fx.store.ActorFor(ctx, other, "")
	ids, err := buyerRecords(ctx, fx, oa, fx.ids["{firmA}"], fx.ids["{firmB}"])
	if err != nil {
		t.Fatal(err)
	}
	cl := fx.as(t, "buyer")
	for _, tc := range []struct {
		method, path string
		form         url.Values
	}{
		{"GET", "/account/shortlists/" + ids["listA"], nil},
		{"GET", "/account/shortlists/" + ids["listA"] + "/compare", nil},
		{"GET", "/account/shortlists/" + ids["listA"] + "/export?format=xlsx", nil},
		{"GET", "/account/rfqs/new?list=" + ids["listA"], nil},
		{"POST", "/account/shortlists/add", url.Values{"firm": {fx.ids["{firmA}"]}, "list": {ids["listA"]}}},
		{"POST", "/account/shortlists/" + ids["listA"] + "/items/" + fx.ids["{firmA}"], url.Values{"action": {"remove"}}},
		{"POST", "/account/shortlists/" + ids["listA"] + "/delete", nil},
		{"GET", "/account/rfqs/" + ids["rfqA"], nil},
		{"GET", "/account/threads/" + ids["threadA"], nil},
		{"POST", "/account/threads/" + ids["threadA"], url.Values{"kind": {"close"}}},
		{"POST", "/account/threads/" + ids["threadA"] + "/report", url.Values{"reason": {"x"}}},
		{"POST", "/account/searches/" + ids["searchA"], url.Values{"action": {"delete"}}},
	} {
		var r *uiResponse
		if tc.method == "GET" {
			r = cl.get(tc.path)
		} else {
			r = cl.post(tc.path, tc.form)
		}
		if r.Status != http.StatusNotFound {
			t.Errorf("%s %s as another buyer: %d, want 404", tc.method, tc.path, r.Status)
		}
	}
	if r := fx.as(t, "supplier of another firm").get("/en/account/threads/" + ids["threadA"]); r.Status != http.StatusNotFound {
		t.Errorf("another firm reads a thread: %d", r.Status)
	}
	// The other buyer's records are intact, and none shows on the buyer's own pages.
	if _, items, err := fx.store.Shortlist(ctx, oa, uint(atoiT(t, ids["listA"]))); err != nil || len(items) != 2 {
		t.Fatalf("the other buyer's list changed: %d items, %v", len(items), err)
	}
	for _, p := range []string{"/account/shortlists", "/account/rfqs", "/account/searches"} {
		r := cl.get(p)
		if strings.Contains(r.Body, "/account/shortlists/"+ids["listA"]+`"`) || strings.Contains(r.Body, "/account/rfqs/"+ids["rfqA"]+`"`) {
			t.Errorf("%s links another buyer's record", p)
		}
	}
}

func atoiT(t *testing.T, s string) int {
	t.Helper()
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestShortlistCompareAndRFQ goes the buyer's way through the pages: a supplier onto a new
// list from its profile, a note, the comparison and the export, an RFQ to both firms, the
// firm's quotation from its inbox, and the answers side by side.
func TestShortlistCompareAndRFQ(t *testing.T) {
	fx := newAuthzFixture(t)
	buyer := fx.as(t, "buyer")
	firmA, firmB := fx.firm(t, "{firmA}"), fx.firm(t, "{firmB}")

	profile := buyer.get("/en/suppliers/" + firmA.Slug)
	expectStatus(t, profile, http.StatusOK)
	add := formOf(t, profile.Doc, "form.shortlist-add")
	if add.Get("firm") != itoa(int(firmA.ID)) {
		t.Fatalf("the profile's shortlist form: %v", add)
	}
	if profile.Doc.Find(`.shortlist-on`).Length() != 1 {
		t.Error("the profile does not say the firm is on the fixture's list")
	}
	add.Set("list", "new")
	add.Set("name", "<script>alert(1)</script> brackets")
	r := buyer.post("/en/account/shortlists/add", add)
	expectStatus(t, r, http.StatusSeeOther)
	listPath := strings.SplitN(r.Header.Get("Location"), "?", 2)[0]
	page := buyer.get(r.Header.Get("Location"))
	expectStatus(t, page, http.StatusOK)
	if strings.Contains(page.Body, "<script>alert") || !strings.Contains(page.Body, "&lt;script&gt;") {
		t.Fatal("the list's name is not escaped")
	}
	if page.Doc.Find(`a[href="/en/suppliers/`+firmA.Slug+`"]`).Length() == 0 || page.Doc.Find(".notice-done").Length() != 1 {
		t.Fatal("the list does not show the supplier and the notice")
	}
	buyer.post("/en/account/shortlists/add", url.Values{"firm": {itoa(int(firmB.ID))}, "list": {strings.TrimPrefix(listPath, "/en/account/shortlists/")}})
	note := buyer.post(listPath+"/items/"+itoa(int(firmB.ID)), url.Values{"action": {"note"}, "note": {"Đã gặp ở hội chợ"}})
	expectStatus(t, note, http.StatusSeeOther)
	t.Run("ErrNoteTooLong", func(t *testing.T) {
		r := buyer.post(listPath+"/items/"+itoa(int(firmB.ID)), url.Values{"action": {"note"}, "note": {strings.Repeat("a", 1001)}})
		expectStatus(t, r, http.StatusUnprocessableEntity)
		if r.Doc.Find(".error-summary li").Length() != 1 {
			t.Error("no error named")
		}
	})

	cmp := buyer.get(listPath + "/compare")
	expectStatus(t, cmp, http.StatusOK)
	if n := cmp.Doc.Find(".compare-table thead th").Length(); n != 2 {
		t.Fatalf("%d suppliers compared", n)
	}
	if !strings.Contains(cmp.Doc.Find(".compare-table").Text(), "ISO 9001") || !strings.Contains(cmp.Body, "Đã gặp ở hội chợ") {
		t.Error("the comparison lacks a certificate or the note")
	}
	if rows := cmp.Doc.Find(".compare-table tbody tr").Length(); rows < 10 {
		t.Errorf("%d rows compared", rows)
	}

	for _, format := range []string{"csv", "xlsx"} {
		ex := buyer.get(listPath + "/export?format=" + format)
		expectStatus(t, ex, http.StatusOK)
		if !strings.Contains(ex.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("%s is not a download", format)
		}
		if format == "csv" {
			rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(ex.Body, "\uFEFF"))).ReadAll()
			if err != nil || len(rows) != 3 || rows[1][1] != firmA.TaxCode {
				t.Errorf("CSV: %v %v", rows, err)
			}
		}
	}

	// An RFQ to both, from the comparison's link.
	link, _ := cmp.Doc.Find(`a[href*="/account/rfqs/new"]`).Attr("href")
	form := buyer.get(link)
	expectStatus(t, form, http.StatusOK)
	if n := form.Doc.Find(`input[name="firm"][checked]`).Length(); n != 2 {
		t.Fatalf("%d suppliers ticked", n)
	}
	t.Run("ErrFieldsNamed", func(t *testing.T) {
		r := buyer.post("/en/account/rfqs", url.Values{"firm": {itoa(int(firmA.ID))}, "quantity": {"lots"}})
		expectStatus(t, r, http.StatusUnprocessableEntity)
		for _, f := range []string{"title", "description", "quantity"} {
			if r.Doc.Find("#f-"+f+"[aria-invalid=true]").Length() != 1 {
				t.Errorf("%s is not marked", f)
			}
		}
		if !strings.Contains(r.Doc.Find(".error-summary").Text(), "is required") {
			t.Error("the errors are not in English")
		}
	})
	sent := buyer.post("/en/account/rfqs", url.Values{"firm": {itoa(int(firmA.ID)), itoa(int(firmB.ID))},
		"title": {"AC bracket"}, "description": {"SPCC 1.2 mm, zinc plated"}, "quantity": {"5000"},
		"target_date": {time.Now().AddDate(0, 1, 0).Format(time.DateOnly)}, "nda": {"yes"}})
	expectStatus(t, sent, http.StatusSeeOther)
	rfqPath := strings.SplitN(sent.Header.Get("Location"), "?", 2)[0]

	// The firm answers from its inbox.
	supplier := fx.as(t, "supplier of this firm")
	inbox := supplier.get("/account/firms/" + itoa(int(firmA.ID)) + "/inbox")
	expectStatus(t, inbox, http.StatusOK)
	threadLink, ok := inbox.Doc.Find(`.rfq-answers a[href^="/account/threads/"]`).First().Attr("href")
	if !ok {
		t.Fatal("the inbox lists no thread")
	}
	th := supplier.get(threadLink)
	expectStatus(t, th, http.StatusOK)
	if th.Doc.Find("#thread-status").Text() != "đã xem" {
		t.Errorf("status after the firm read it: %q", th.Doc.Find("#thread-status").Text())
	}
	bad := supplier.post(threadLink, url.Values{"kind": {"quote"}, "price": {"cheap"}, "currency": {"VND"}})
	expectStatus(t, bad, http.StatusUnprocessableEntity)
	if bad.Doc.Find("#f-price[aria-invalid=true]").Length() != 1 || !strings.Contains(bad.Body, "không phải giá") {
		t.Error("the bad price is not named in Vietnamese")
	}
	q := supplier.post(threadLink, url.Values{"kind": {"quote"}, "price": {"9500"}, "currency": {"VND"},
		"lead_time_days": {"21"}, "quote_body": {"Giá FOB Hà Nội"}})
	expectStatus(t, q, http.StatusSeeOther)

	answers := buyer.get(rfqPath)
	expectStatus(t, answers, http.StatusOK)
	table := answers.Doc.Find(".rfq-answers").Text()
	if !strings.Contains(table, "9500 VND") || !strings.Contains(table, "quoted") || !strings.Contains(table, "sent") {
		t.Fatalf("the answers side by side: %s", table)
	}
	// The quotation was mailed to the buyer.
	if m := queuedMail(t, fx, fx.users["buyer"].Email, "mail.rfq_quote"); m == nil {
		t.Fatal("no mail to the buyer about the quotation")
	}
}

// queuedMail finds a queued mail to recipient whose subject starts with subject (the store's
// plain wording names the key when no mail text is set).
func queuedMail(t *testing.T, fx *authzFixture, recipient, subject string) *models.Mail {
	t.Helper()
	mails, err := fx.store.DueMails(context.Background(), time.Now().Add(time.Hour), 1000)
	if err != nil {
		t.Fatal(err)
	}
	for i := range mails {
		if mails[i].Recipient == recipient && strings.HasPrefix(mails[i].Subject, subject) {
			return &mails[i]
		}
	}
	return nil
}

// TestSavedSearchAlert runs the alert job: the first run records, a new supplier that starts
// matching is mailed with its reasons, and the mail's unsubscribe link works without an account.
func TestSavedSearchAlert(t *testing.T) {
	fx := newAuthzFixture(t)
	ctx := context.Background()
	buyer := fx.as(t, "buyer")
	res := buyer.get("/en/find-suppliers?k1=cert&v1=ISO+14001&n1=required")
	expectStatus(t, res, http.StatusOK)
	save := formOf(t, res.Doc, ".save-search form")
	save.Set("name", "Environmental")
	save.Set("frequency", "daily")
	expectStatus(t, buyer.post("/en/account/searches", save), http.StatusSeeOther)
	if _, err := fx.srv.runAlerts(ctx, "https://cnht.example"); err != nil {
		t.Fatal(err)
	}
	// A firm gains the certificate; the index follows the write.
	a := fx.firm(t, "{firmA}")
	p := models.ProfileUpdateOf(a)
	p.Certificates = append(p.Certificates, models.CertificateClaim{Standard: "ISO 14001", Number: "E-1"})
	if _, err := fx.store.UpdateProfile(ctx, models.SystemActor("test"), a.ID, p); err != nil {
		t.Fatal(err)
	}
	fx.srv.now = func() time.Time { return time.Now().Add(25 * time.Hour) }
	n, err := fx.srv.runAlerts(ctx, "https://cnht.example")
	if err != nil || n != 1 {
		t.Fatalf("%d alerts, %v", n, err)
	}
	m := queuedMail(t, fx, fx.users["buyer"].Email, "mail.saved_search_alert")
	if m == nil {
		t.Fatal("no alert queued")
	}
	if !strings.Contains(m.Body, "https://cnht.example/suppliers/"+a.Slug) || !strings.Contains(m.Body, "ISO 14001") {
		t.Fatalf("alert body:\n%s", m.Body)
	}
	// The buyer reads Vietnamese: the links are the Vietnamese pages.
	i := strings.Index(m.Body, "https://cnht.example/alerts/unsubscribe?token=")
	if i < 0 {
		t.Fatalf("no unsubscribe link:\n%s", m.Body)
	}
	link := strings.Fields(m.Body[i:])[0]
	u, _ := url.Parse(link)
	anon := newClient(t, fx.srv)
	page := anon.get(u.RequestURI())
	if page.Code != http.StatusOK {
		t.Fatalf("the link answers %d", page.Code)
	}
	token := anon.formToken(u.RequestURI())
	done := anon.post("/alerts/unsubscribe", url.Values{"_csrf": {token}, "token": {u.Query().Get("token")}})
	if done.Code != http.StatusOK || !strings.Contains(done.Body.String(), "sẽ không gửi thông báo nữa") {
		t.Fatalf("unsubscribe: %d", done.Code)
	}
}
