package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/hanoi-cnht/portal/models"
)

// TestBrowserRFQNDAAndForwarding: in Chromium, the firm reads an RFQ that requires an NDA, its
// attachments withheld, and accepts the NDA with the button; staff mark the request to a firm
// without an account as forwarded, and the buyer reads the date. axe checks the pages in both
// languages; at phone width they fit, and with PORTAL_SCREENSHOTS set they are saved.
func TestBrowserRFQNDAAndForwarding(t *testing.T) {
	fx := newAuthzFixture(t)
	ctx0 := context.Background()
	buyer, err := fx.store.ActorFor(ctx0, fx.users["buyer"], "")
	if err != nil {
		t.Fatal(err)
	}
	files, err := storeTestAttachments(fx, "bản vẽ giá đỡ.pdf")
	if err != nil {
		t.Fatal(err)
	}
	a := fx.firm(t, "{firmA}")
	lone, err := loneFirm(ctx0, fx)
	if err != nil {
		t.Fatal(err)
	}
	r, err := fx.store.SendRFQ(ctx0, buyer, models.RFQInput{Title: "Giá đỡ điều hoà", Description: "SPCC 1,2 mm, mạ kẽm",
		NDA: true, FirmIDs: []uint{a.ID, lone.ID}, Files: files})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := fx.store.RFQ(ctx0, buyer, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	var toFirm, forwarded string
	for _, th := range sum.Threads {
		if th.Thread.FirmID == a.ID {
			toFirm = fmt.Sprint(th.Thread.ID)
		} else {
			forwarded = fmt.Sprint(th.Thread.ID)
		}
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
	look := func(role string, paths ...string) {
		for _, width := range []int64{1280, 375} {
			b := newBrowser(t, width)
			chromeDo(t, b, session(role))
			for _, p := range paths {
				for _, path := range []string{p, "/en" + p} {
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
						name := strings.NewReplacer("/", "_").Replace(strings.Trim(path, "/"))
						if err := saveScreenshot(dir, role+"-375-"+name, png, 2400); err != nil {
							t.Fatal(err)
						}
					}
				}
			}
		}
	}
	threadPath := "/account/threads/" + toFirm
	look("supplier of this firm", threadPath)
	look("staff", "/staff/rfqs")

	// The firm accepts the NDA with the button; the drawing is then linked.
	ctx := newBrowser(t, 1280)
	chromeDo(t, ctx, session("supplier of this firm"), chromedp.Navigate(base+"/en"+threadPath), chromedp.WaitReady("footer"))
	if n := chromeEval[int](t, ctx, `document.querySelectorAll('.rfq-files a').length`); n != 0 {
		t.Fatalf("%d attachments linked before the NDA", n)
	}
	chromeDo(t, ctx, chromedp.Click(`.nda-accept button`))
	chromeWait(t, ctx, `document.querySelector('#nda-accepted') !== null`)
	if n := chromeEval[int](t, ctx, `document.querySelectorAll('.rfq-facts .rfq-files a').length`); n != 1 {
		t.Errorf("%d attachments linked after accepting the NDA", n)
	}

	// Staff mark the other request as forwarded; the buyer reads when.
	chromeDo(t, ctx, session("staff"), chromedp.Navigate(base+"/en/staff/rfqs"), chromedp.WaitReady("footer"))
	chromeDo(t, ctx, chromedp.Click(`form.mark-forwarded[action$="/`+forwarded+`/forwarded"] button`))
	chromeWait(t, ctx, `document.querySelector('form.mark-forwarded') === null && document.querySelector('.notice-done') !== null`)
	look("buyer", "/account/threads/"+forwarded, "/account/rfqs/"+fmt.Sprint(r.ID))
}
