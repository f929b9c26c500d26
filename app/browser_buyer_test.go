package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/hanoi-cnht/portal/models"
)

// TestBrowserBuyerRFQ goes the buyer's way in Chromium: a requirement, three suppliers onto a
// shortlist from the results, the comparison, one RFQ with a drawing to two of them; the firm
// downloads the drawing and quotes from its inbox in Vietnamese; the buyer reads the answers side by side. axe checks every new page in
// both languages, and with PORTAL_SCREENSHOTS set they are saved at phone width.
func TestBrowserBuyerRFQ(t *testing.T) {
	fx := newAuthzFixture(t)
	ctx0 := context.Background()
	a := fx.firm(t, "{firmA}")
	third := &models.Firm{TaxCode: "0105555555", NameVI: "Công ty TNHH Dập Chính Xác Đông Anh", Terms: a.Terms,
		Sites: []models.Site{{District: "017"}}}
	if _, err := fx.store.SaveFirms(ctx0, []*models.Firm{third}); err != nil {
		t.Fatal(err)
	}
	base := serveLoopback(t, fx.srv)
	session := func(role string) chromedp.Action[chromedp.Void] {
		token, _, err := fx.store.CreateSession(ctx0, fx.users[role], "127.0.0.1", "browser", fx.srv.sessionLimits)
		if err != nil {
			t.Fatal(err)
		}
		return setCookie(base, sessionCookie, token)
	}
	axe := axeSource(t)
	ctx := newBrowser(t, 1280)
	chromeDo(t, ctx, session("buyer"))

	// A requirement: the fixture's sector, required.
	results := "/en/find-suppliers?k1=sector&v1=" + a.Terms[0].Code + "&n1=required"
	chromeDo(t, ctx, chromedp.Navigate(base+results), chromedp.WaitReady("footer"))
	if n := chromeEval[int](t, ctx, `document.querySelectorAll('.match-card form.shortlist-add').length`); n != 3 {
		t.Fatalf("%d result cards offer the shortlist", n)
	}
	checkAxe(t, ctx, axe)
	for i := 1; i <= 3; i++ {
		card := fmt.Sprintf(`.match-card:nth-child(%d) form.shortlist-add`, i)
		if i == 1 {
			chromeDo(t, ctx, chromedp.SetValue(card+` select`, "new"))
		}
		chromeDo(t, ctx, chromedp.Click(card+` button`))
		chromeWait(t, ctx, `location.pathname.startsWith('/en/account/shortlists/') && document.querySelector('.notice-done') !== null`)
		if i < 3 {
			chromeDo(t, ctx, chromedp.Click(`a[href^="/en/find-suppliers"]:not(nav a)`))
			chromeWait(t, ctx, `location.pathname === '/en/find-suppliers' && document.readyState === 'complete'`)
		}
	}
	listPath := chromeEval[string](t, ctx, `location.pathname`)
	if n := chromeEval[int](t, ctx, `document.querySelectorAll('.shortlist-item').length`); n != 3 {
		t.Fatalf("%d suppliers on the list", n)
	}
	checkAxe(t, ctx, axe)

	// Compare all three.
	chromeDo(t, ctx, chromedp.Click(`button[form=pick]:not([formaction])`))
	chromeWait(t, ctx, `location.pathname.endsWith('/compare') && document.querySelectorAll('.compare-table thead th').length === 3`)
	checkAxe(t, ctx, axe)

	// Tick the first two and ask them for a quotation.
	chromeDo(t, ctx, chromedp.Navigate(base+listPath), chromedp.WaitReady("footer"),
		chromedp.Click(`.shortlist-item:nth-child(1) input[type=checkbox]`),
		chromedp.Click(`.shortlist-item:nth-child(2) input[type=checkbox]`),
		chromedp.Click(`button[formaction]`))
	chromeWait(t, ctx, `location.pathname === '/en/account/rfqs/new' && document.readyState === 'complete'`)
	if n := chromeEval[int](t, ctx, `document.querySelectorAll('input[name=firm]:checked').length`); n != 2 {
		t.Fatalf("%d suppliers ticked on the RFQ form", n)
	}
	checkAxe(t, ctx, axe)
	drawing := filepath.Join(t.TempDir(), "bracket drawing.pdf")
	if err := os.WriteFile(drawing, []byte(tinyPDF), 0o600); err != nil {
		t.Fatal(err)
	}
	chromeDo(t, ctx, chromedp.SendKeys(`#f-title`, "AC bracket"),
		chromedp.SendKeys(`#f-description`, "SPCC 1.2 mm, zinc plated, 8 µm"),
		chromedp.SendKeys(`#f-quantity`, "5000"),
		chromedp.SetUploadFiles(`#f-attachments`, []string{drawing}),
		chromedp.Click(`form.rfq-form button[type=submit]`))
	chromeWait(t, ctx, `location.pathname.startsWith('/en/account/rfqs/') && document.querySelectorAll('.rfq-answers tbody tr').length === 2`)
	rfqPath := chromeEval[string](t, ctx, `location.pathname`)
	checkAxe(t, ctx, axe)

	// The firm answers from its inbox, in Vietnamese.
	sup := newBrowser(t, 1280)
	chromeDo(t, sup, session(asOwner))
	inbox := fx.path("/account/firms/{firmA}/inbox")
	chromeDo(t, sup, chromedp.Navigate(base+inbox), chromedp.WaitReady("footer"))
	checkAxe(t, sup, axe)
	chromeDo(t, sup, chromedp.Click(`.rfq-answers a[href^="/account/threads/"]`))
	chromeWait(t, sup, `location.pathname.startsWith('/account/threads/') && document.querySelector('#f-price') !== null`)
	threadPath := chromeEval[string](t, sup, `location.pathname`)
	checkAxe(t, sup, axe)
	if name := chromeEval[string](t, sup, `document.querySelector('.rfq-facts .rfq-files a').textContent`); name != "bracket drawing.pdf" {
		t.Fatalf("the firm's thread lists the drawing as %q", name)
	}
	// A synchronous request, so the answer is the expression's value.
	got := chromeEval[string](t, sup, `(() => { const x = new XMLHttpRequest();
		x.open('GET', document.querySelector('.rfq-facts .rfq-files a').href, false); x.send();
		return x.status + ' ' + x.getResponseHeader('Content-Type') + ' ' + x.responseText.length })()`)
	if want := fmt.Sprintf("200 application/pdf %d", len(tinyPDF)); got != want {
		t.Errorf("the firm downloads the drawing: %s, want %s", got, want)
	}
	chromeDo(t, sup, chromedp.SendKeys(`#f-price`, "9500"),
		chromedp.SendKeys(`#f-lead_time_days`, "21"),
		chromedp.SendKeys(`#f-quote_body`, "Giá FOB Hà Nội"),
		chromedp.Click(`input[name=kind][value=quote] ~ button[type=submit]`))
	chromeWait(t, sup, `document.querySelector('.message-quote') !== null && document.getElementById('thread-status').textContent === 'đã báo giá'`)

	// The buyer reads the answers side by side.
	chromeDo(t, ctx, chromedp.Navigate(base+rfqPath), chromedp.WaitReady("footer"))
	table := chromeEval[string](t, ctx, `document.querySelector('.rfq-answers').textContent`)
	if !strings.Contains(table, "9500 VND") || !strings.Contains(table, "quoted") {
		t.Fatalf("the answers: %s", table)
	}

	// Every new page in the other language too, and at phone width for a person to look at.
	pages := map[string][]string{"buyer": {results, listPath, listPath + "/compare", rfqPath, "/en/account/rfqs",
		"/en/account/searches", threadPath, "/en/account/shortlists"}, asOwner: {inbox, threadPath}}
	for role, paths := range pages {
		for _, width := range []int64{1280, 375} {
			b := newBrowser(t, width)
			chromeDo(t, b, session(role))
			for _, p := range paths {
				for _, lang := range []string{"vi", "en"} {
					path := strings.TrimPrefix(p, "/en")
					if lang == "en" {
						path = "/en" + path
					}
					chromeDo(t, b, chromedp.Navigate(base+path), chromedp.WaitReady("footer"))
					if width == 1280 {
						t.Run("Axe"+path, func(t *testing.T) { checkAxe(t, b, axe) })
						continue
					}
					if w := chromeEval[int](t, b, `document.documentElement.scrollWidth`); w > 380 {
						t.Errorf("%s is %d px wide at phone width", path, w)
					}
					if dir := os.Getenv("PORTAL_SCREENSHOTS"); dir != "" {
						png, err := chromedp.Run(b, chromedp.FullScreenshot(100))
						if err != nil {
							t.Fatal(err)
						}
						name := strings.NewReplacer("/", "_", "?", "_", "=", "_", "&", "_").Replace(strings.Trim(path, "/"))
						if err := saveScreenshot(dir, "buyer-375-"+name, png, 2400); err != nil {
							t.Fatal(err)
						}
					}
				}
			}
		}
	}
}
