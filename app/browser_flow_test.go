package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/auth"
)

// TestBrowserTrustFlow is the portal's whole trust story in each language, in real browsers: a
// supplier signs up, claims a listed firm, edits its profile with the keyboard alone and uploads
// a certificate scan; staff approve the claim and verify the certificate; an anonymous buyer then
// reads "verified by the Department on DATE" on the public profile.
func TestBrowserTrustFlow(t *testing.T) {
	for i, lang := range languages {
		t.Run(lang, func(t *testing.T) {
			fx := newAuthzFixture(t)
			base := serveLoopback(t, fx.srv)
			ctx := context.Background()
			hash, err := auth.Hash(staffPassword)
			if err != nil {
				t.Fatal(err)
			}
			if err := fx.store.SetPassword(ctx, models.SystemActor("test"), fx.users["staff"].ID, hash); err != nil {
				t.Fatal(err)
			}
			firm := fx.firm(t, "{firmA}")
			cert := firm.Certificates[0]
			page := func(p string) string { return base + localPath(lang, p) }

			// The supplier signs up and asks to manage the firm, proof by a call from the Department.
			sup := newBrowser(t, 1280)
			email := fmt.Sprintf("giamdoc-%d@example.com", i)
			chromeDo(t, sup, chromedp.Navigate(page("/signup")), chromedp.WaitReady("#f-name"),
				chromedp.Click("#role-supplier"), chromedp.SendKeys("#f-name", "Phạm Minh Đức"),
				chromedp.SendKeys("#f-email", email), chromedp.SendKeys("#f-password", "cây đa đầu làng 1975"),
				chromedp.Submit("#f-name"))
			chromeWait(t, sup, fmt.Sprintf("location.pathname === %q", localPath(lang, "/account")))
			chromeDo(t, sup, chromedp.Navigate(page("/suppliers/"+firm.Slug)), chromedp.WaitVisible(".profile-actions a"),
				chromedp.Click(".profile-actions a"), chromedp.WaitVisible("#f-method-phone"),
				chromedp.Click("#f-method-phone"), chromedp.Submit("#f-method-phone"))
			chromeWait(t, sup, `location.search.includes('done=claim_sent')`)

			// Staff approve the claim from the queue.
			st := newBrowser(t, 1280)
			chromeDo(t, st, chromedp.Navigate(page("/login")), chromedp.WaitVisible("#f-email"),
				chromedp.SendKeys("#f-email", fx.users["staff"].Email), chromedp.SendKeys("#f-password", staffPassword),
				chromedp.Submit("#f-email"))
			chromeWait(t, st, fmt.Sprintf("location.pathname === %q", localPath(lang, "/staff")))
			claims, err := fx.store.Claims(ctx, models.SystemActor("test"), "")
			if err != nil || len(claims) == 0 {
				t.Fatalf("claims waiting: %v, %v", claims, err)
			}
			claim := fmt.Sprintf("#claim-%d", claims[len(claims)-1].ID)
			chromeDo(t, st, chromedp.Navigate(page("/staff/queue?kind=claim")), chromedp.WaitVisible(claim),
				chromedp.Click(fmt.Sprintf("#f-claim-%d-decision-approve", claims[len(claims)-1].ID)), chromedp.Click(claim+" button[type=submit]"))
			chromeWait(t, st, `location.search.includes('done=claim_decided')`)

			// The supplier, now the firm's owner, edits the profile with the keyboard alone: Tab
			// to the English name, type, and Enter saves.
			chromeDo(t, sup, chromedp.Navigate(page(fmt.Sprintf("/account/firms/%d/edit", firm.ID))), chromedp.WaitVisible("#f-name_en"))
			chromeEval[bool](t, sup, `(document.activeElement && document.activeElement.blur(), true)`)
			for n := 0; n < 40 && !chromeEval[bool](t, sup, `document.activeElement && document.activeElement.id === 'f-name_en'`); n++ {
				chromeDo(t, sup, chromedp.KeyEvent(kb.Tab))
			}
			if !chromeEval[bool](t, sup, `document.activeElement.id === 'f-name_en'`) {
				t.Fatal("Tab never reached the English name")
			}
			chromeDo(t, sup, chromedp.KeyEvent(kb.End), chromedp.KeyEvent("An Phu Precision Mechanics"), chromedp.KeyEvent(kb.Enter))
			chromeWait(t, sup, `location.search.includes('done=profile_saved')`)
			if got, _ := fx.store.FirmByID(ctx, firm.ID); !strings.HasSuffix(got.NameEN, "An Phu Precision Mechanics") {
				t.Fatalf("the English name was not saved: %q", got.NameEN)
			}
			// … and uploads the certificate's scan.
			scan := filepath.Join(t.TempDir(), "iso9001.pdf")
			if err := os.WriteFile(scan, []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			file := fmt.Sprintf("#f-scan_%d", cert.ID)
			chromeDo(t, sup, chromedp.WaitVisible(file), chromedp.SetUploadFiles(file, []string{scan}),
				chromedp.Submit(file))
			chromeWait(t, sup, `location.search.includes('done=scan_added')`)

			// Staff verify the certificate against the certification body's register.
			key := fmt.Sprintf("cert-%d", cert.ID)
			chromeDo(t, st, chromedp.Navigate(page("/staff/queue?kind=certificate")), chromedp.WaitVisible("#"+key),
				chromedp.Click("#f-"+key+"-decision-verify"), chromedp.SetValue("#f-"+key+"-method", "register"),
				chromedp.Click("#"+key+" button[type=submit]"))
			chromeWait(t, st, `location.search.includes('done=certificate_decided')`)

			// A buyer without an account reads what the Department checked.
			buyer := newBrowser(t, 1280)
			chromeDo(t, buyer, chromedp.Navigate(page("/suppliers/"+firm.Slug)), chromedp.WaitReady("footer"))
			want := fx.srv.views.messages.tr(lang, "cert.checked", "Date", formatDate(lang, fx.srv.now()))
			if got := chromeEval[string](t, buyer, `document.querySelector('.cert-verified') ? document.querySelector('.cert-verified').textContent : ''`); !strings.Contains(got, want) {
				t.Fatalf("the buyer reads %q, want %q", strings.Join(strings.Fields(got), " "), want)
			}
		})
	}
}

// TestScreenshotsOfAccountPages saves PNGs of the account, supplier and staff pages in both
// languages at desktop and phone width into $PORTAL_SCREENSHOTS, for a person to look at.
func TestScreenshotsOfAccountPages(t *testing.T) {
	dir := os.Getenv("PORTAL_SCREENSHOTS")
	if dir == "" {
		t.Skip("set PORTAL_SCREENSHOTS=dir to save screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	fx, base := staffBrowserFixture(t)
	firm := fx.ids["{firmA}"]
	pages := map[string][]string{
		"supplier of this firm":    {"/account", "/account/firms/" + firm + "/edit", "/account/firms/" + firm + "/members", "/account/firms/" + firm + "/history"},
		"supplier of another firm": {"/account/claims/new?firm=" + fx.ids["{slugA}"], "/account/propose"},
		"admin":                    {"/staff", "/staff/queue", "/staff/audit", "/staff/import", "/staff/accounts", "/staff/taxonomy"},
	}
	for role, paths := range pages {
		token, _, err := fx.store.CreateSession(context.Background(), fx.users[role], "127.0.0.1", "screenshots", fx.srv.sessionLimits)
		if err != nil {
			t.Fatal(err)
		}
		for _, width := range []int64{1280, 360} {
			ctx := newBrowser(t, width)
			chromeDo(t, ctx, setCookie(base, sessionCookie, token))
			for _, lang := range languages {
				for _, p := range paths {
					chromeDo(t, ctx, chromedp.Navigate(base+localPath(lang, p)), chromedp.WaitReady("footer"))
					png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
					if err != nil {
						t.Fatal(err)
					}
					name := strings.Trim(strings.NewReplacer("/", "_", "?", "_", "=", "_").Replace(p), "_")
					if err := saveScreenshot(dir, fmt.Sprintf("%s-%s-%d", name, lang, width), png, int(width)*5/2); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
}

// setCookie sets a cookie for base in the browser, as a signed-in session would have.
func setCookie(base, name, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.SetCookie, network.SetCookieParams{Name: name, Value: value, URL: base})
		return err
	})
}

// TestBrowserTermTypeAhead filters the product checkboxes of the profile form by an English
// word and by Vietnamese typed without diacritics.
func TestBrowserTermTypeAhead(t *testing.T) {
	fx := newAuthzFixture(t)
	base := serveLoopback(t, fx.srv)
	token, _, err := fx.store.CreateSession(context.Background(), fx.users["supplier of this firm"], "127.0.0.1", "browser", fx.srv.sessionLimits)
	if err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t, 1280)
	chromeDo(t, ctx, setCookie(base, sessionCookie, token),
		chromedp.Navigate(base+"/en/account/firms/"+fx.ids["{firmA}"]+"/edit"), chromedp.WaitVisible("#term-filter-1"))
	visible := `Array.from(document.querySelectorAll('[data-term-filter]')[1].querySelectorAll('li')).filter(li => !li.hidden).map(li => li.querySelector('input').value)`
	all := len(chromeEval[[]string](t, ctx, visible))
	for _, q := range []string{"mould", "khuon mau"} {
		chromeEval[bool](t, ctx, `(document.querySelector('#term-filter-1').value = '', true)`)
		chromeDo(t, ctx, chromedp.SendKeys("#term-filter-1", q))
		got := chromeEval[[]string](t, ctx, visible)
		if len(got) == 0 || len(got) >= all || !strings.Contains(strings.Join(got, " "), "mould") {
			t.Errorf("filter %q shows %v of %d", q, got, all)
		}
	}
}
