package main

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserSignUpWithKeyboard signs up with the keyboard alone in both languages: Tab moves
// through the form, Space picks the role, Enter submits; the account page follows.
func TestBrowserSignUpWithKeyboard(t *testing.T) {
	base := liveServer(t)
	for i, lang := range languages {
		t.Run(lang, func(t *testing.T) {
			ctx := newBrowser(t, 1280)
			chromeDo(t, ctx, chromedp.Navigate(base+localPath(lang, "/signup")), chromedp.WaitReady("#f-name"))
			// Focus the first radio button as Tab would reach it from the heading.
			chromeDo(t, ctx, chromedp.Focus("#role-buyer"), chromedp.KeyEvent(kb.ArrowDown))
			if !chromeEval[bool](t, ctx, `document.querySelector('#role-supplier').checked`) {
				t.Fatal("the arrow key did not choose the supplier role")
			}
			email := fmt.Sprintf("ban-phim-%d@example.com", i)
			chromeDo(t, ctx, chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent("Nguyễn Thị Lan"),
				chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(email),
				chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent("sen hồng nở tháng năm"), chromedp.KeyEvent(kb.Enter))
			chromeWait(t, ctx, fmt.Sprintf(`location.pathname === %q && document.body.textContent.includes(%q)`, localPath(lang, "/account"), email))
			// A refused form keeps what was typed and names the field.
			chromeDo(t, ctx, chromedp.Navigate(base+localPath(lang, "/signup")), chromedp.WaitReady("#f-name"),
				chromedp.SendKeys("#f-email", "khong-hop-le"), chromedp.SendKeys("#f-password", "123"), chromedp.Submit("#f-email"))
			chromeWait(t, ctx, `document.querySelector('.error-summary') !== null && document.querySelector('#f-email').value === 'khong-hop-le'`)
			if !chromeEval[bool](t, ctx, `document.querySelector('#f-password').getAttribute('aria-invalid') === 'true'`) {
				t.Error("the password field is not marked invalid")
			}
		})
	}
}

// TestBrowserAccountPagesAccessibility runs axe on the account pages in both languages, at
// desktop and phone width, signed out and signed in.
func TestBrowserAccountPagesAccessibility(t *testing.T) {
	base := liveServer(t)
	axe := axeSource(t)
	for _, width := range []int64{1280, 360} {
		ctx := newBrowser(t, width)
		for _, lang := range languages {
			for _, p := range []string{"/login", "/signup", "/password/forgot"} {
				t.Run(fmt.Sprintf("%d%s", width, localPath(lang, p)), func(t *testing.T) {
					chromeDo(t, ctx, chromedp.Navigate(base+localPath(lang, p)), chromedp.WaitReady("footer"))
					checkAxe(t, ctx, axe)
				})
			}
		}
		// Sign up, then check the pages of an account, and a refused form with its errors.
		email := fmt.Sprintf("axe-%d@example.com", width)
		chromeDo(t, ctx, chromedp.Navigate(base+"/signup"), chromedp.WaitReady("#f-name"),
			chromedp.Click("#role-buyer"), chromedp.SendKeys("#f-name", "Trần Văn Bình"), chromedp.SendKeys("#f-email", email),
			chromedp.SendKeys("#f-password", "mây trắng bay qua núi"), chromedp.Submit("#f-name"))
		chromeWait(t, ctx, `location.pathname === '/account'`)
		for _, lang := range languages {
			for _, p := range []string{"/account", "/account/sessions"} {
				t.Run(fmt.Sprintf("%d%s", width, localPath(lang, p)), func(t *testing.T) {
					chromeDo(t, ctx, chromedp.Navigate(base+localPath(lang, p)), chromedp.WaitReady("footer"))
					checkAxe(t, ctx, axe)
				})
			}
		}
		chromeDo(t, ctx, chromedp.Navigate(base+"/en/account"), chromedp.WaitReady("#f-current_password"),
			chromedp.SendKeys("#f-current_password", "wrong"), chromedp.Submit("#f-current_password"))
		chromeWait(t, ctx, `document.querySelector('.error-summary') !== null`)
		t.Run(fmt.Sprintf("%d/en/account-refused", width), func(t *testing.T) { checkAxe(t, ctx, axe) })
		if w := chromeEval[int](t, ctx, `document.documentElement.scrollWidth`); w > int(width) {
			t.Errorf("the account page scrolls sideways at %d px: %d px wide", width, w)
		}
	}
}
