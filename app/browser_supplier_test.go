package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserSupplierPages signs a firm's owner in, checks the supplier pages with axe, and
// uses the profile form with scripts off: a refused save shows its errors, "add another site"
// adds a row.
func TestBrowserSupplierPages(t *testing.T) {
	fx := newAuthzFixture(t)
	base := serveLoopback(t, fx.srv)
	token, _, err := fx.store.CreateSession(context.Background(), fx.users[asOwner], "127.0.0.1", "browser", fx.srv.sessionLimits)
	if err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t, 1280)
	axe := axeSource(t)
	signIn := setCookie(base, sessionCookie, token)
	noScript := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})
	chromeDo(t, ctx, signIn)
	edit := fx.path("/account/firms/{firmA}/edit")
	for _, p := range []string{edit, "/en" + edit, fx.path("/en/account/firms/{firmA}/members"), fx.path("/account/firms/{firmA}/history"),
		fx.path("/en/account/claims/new?firm={slugA}"), "/en/account/propose", "/account", fx.path("/en/suppliers/{slugA}")} {
		t.Run("Axe"+p, func(t *testing.T) {
			chromeDo(t, ctx, chromedp.Navigate(base+p), chromedp.WaitReady("footer"))
			checkAxe(t, ctx, axe)
			if dir := os.Getenv("PORTAL_SCREENSHOTS"); dir != "" {
				png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
				if err != nil {
					t.Fatal(err)
				}
				name := strings.NewReplacer("/", "_", "?", "_", "=", "_").Replace(strings.Trim(p, "/"))
				if err := saveScreenshot(dir, "supplier-"+name, png, 3200); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
	t.Run("AxeRefusedSave", func(t *testing.T) {
		chromeDo(t, ctx, chromedp.Navigate(base+"/en"+edit), chromedp.WaitReady("footer"),
			chromedp.SetValue(`[id="f-employees"]`, "many"),
			chromedp.Click(`form.profile-form > p > button[type=submit]`))
		chromeWait(t, ctx, `document.querySelector('.error-summary a[href="#f-employees"]') !== null`)
		checkAxe(t, ctx, axe)
	})
	// Scripts off from here: the form works as plain HTML.
	ctx = newBrowser(t, 1280)
	chromeDo(t, ctx, signIn, noScript)
	t.Run("RefusedSaveByKeyboardWithoutJavaScript", func(t *testing.T) {
		// Enter in a field saves the profile: the first submit button is "Save", not "add a row".
		chromeDo(t, ctx, chromedp.Navigate(base+"/en"+edit), chromedp.WaitReady("footer"),
			chromedp.SendKeys(`[id="f-employees"]`, "many"+kb.Enter))
		chromeWait(t, ctx, `document.querySelector('.error-summary a[href="#f-employees"]') !== null`)
		if got := chromeEval[string](t, ctx, `document.getElementById('f-employees').value`); got != "many" {
			t.Errorf("the refused input holds %q", got)
		}
	})
	t.Run("AddAnotherSiteWithoutJavaScript", func(t *testing.T) {
		chromeDo(t, ctx, chromedp.Navigate(base+edit), chromedp.WaitReady("footer"))
		// The refused page before was the English one: wait until this page has replaced it.
		chromeWait(t, ctx, fmt.Sprintf(`location.pathname === %q && document.readyState === 'complete'`, edit))
		rows := chromeEval[int](t, ctx, `document.querySelectorAll('#sites fieldset').length`)
		chromeDo(t, ctx, chromedp.Click(`button[name=add][value=site]`))
		chromeWait(t, ctx, fmt.Sprintf(`document.querySelectorAll('#sites fieldset').length === %d`, rows+1))
	})
}
