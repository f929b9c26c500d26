package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/auth"
)

// dashboardBrowserFixture is the dashboard fixture over the sample data, with a staff account
// that signs in with a password, served on a loopback port.
func dashboardBrowserFixture(t *testing.T) (*authzFixture, string) {
	t.Helper()
	fx, _ := dashboardFixture(t, uiSampleSize)
	hash, err := auth.Hash(staffPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := fx.store.SetPassword(context.Background(), models.SystemActor("test"), fx.users["staff"].ID, hash); err != nil {
		t.Fatal(err)
	}
	if err := fx.store.TakeDashboardSnapshot(context.Background()); err != nil {
		t.Fatal(err)
	}
	return fx, serveLoopback(t, fx.srv)
}

func dashboardSignIn(t *testing.T, ctx context.Context, fx *authzFixture, base string) {
	t.Helper()
	chromeDo(t, ctx, chromedp.Navigate(base+"/en/login"), chromedp.WaitVisible("#f-email"),
		chromedp.SendKeys("#f-email", fx.users["staff"].Email), chromedp.SendKeys("#f-password", staffPassword),
		chromedp.Submit("#f-email"))
	chromeWait(t, ctx, `!location.pathname.endsWith('/login')`)
}

// leadingNumber reads the number a text starts with, ignoring thousands separators.
func leadingNumber(t *testing.T, text string) int {
	t.Helper()
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		if r == '.' || r == ',' || r == '\u00a0' {
			return -1
		}
		return ' '
	}, strings.TrimSpace(text))
	n, err := strconv.Atoi(strings.Fields(digits + " x")[0])
	if err != nil {
		t.Fatalf("no number at the start of %q", text)
	}
	return n
}

// TestBrowserDashboard: staff open the dashboard in both languages, axe finds no serious or
// critical violation, every chart has a text alternative, a figure leads to a search finding
// as many firms, and the tables and the programme report download, named with the day.
func TestBrowserDashboard(t *testing.T) {
	fx, base := dashboardBrowserFixture(t)
	ctx := newBrowser(t, 1280)
	axe := axeSource(t)
	dashboardSignIn(t, ctx, fx, base)
	day := models.Today(fx.store.Now()).String()
	for _, lang := range languages {
		t.Run(lang, func(t *testing.T) {
			page := base + localPath(lang, "/staff/dashboard")
			chromeDo(t, ctx, chromedp.Navigate(page), chromedp.WaitReady("footer"))
			checkAxe(t, ctx, axe)
			charts := chromeEval[int](t, ctx, `document.querySelectorAll('svg.dash-chart').length`)
			untitled := chromeEval[int](t, ctx, `[...document.querySelectorAll('svg.dash-chart')].filter(s => {
				const ids = (s.getAttribute('aria-labelledby') || '').split(' ').filter(Boolean);
				return s.getAttribute('role') !== 'img' || ids.length === 0 || ids.some(id => !document.getElementById(id) || !document.getElementById(id).textContent.trim());
			}).length`)
			if charts < 12 || untitled != 0 {
				t.Errorf("%d charts, %d without a text alternative", charts, untitled)
			}
			if n := chromeEval[int](t, ctx, `document.querySelectorAll('svg.dash-map circle').length`); n == 0 {
				t.Error("the maps have no dots")
			}

			// Follow the certified figure to its firms.
			shown := leadingNumber(t, chromeEval[string](t, ctx, `document.querySelector('a[data-figure=certified]').textContent`))
			chromeDo(t, ctx, chromedp.Click(`a[data-figure=certified]`))
			chromeWait(t, ctx, `location.pathname.endsWith('/search') && document.querySelector('.results-count') !== null`)
			if found := leadingNumber(t, chromeEval[string](t, ctx, `document.querySelector('.results-count').textContent`)); found != shown {
				t.Errorf("the dashboard shows %d certified firms, the search it links to finds %d", shown, found)
			}
			// And a district of the map's table.
			chromeDo(t, ctx, chromedp.Navigate(page), chromedp.WaitReady("footer"))
			shown = leadingNumber(t, chromeEval[string](t, ctx, `document.querySelector('table[data-map=district] a[data-figure]').textContent`))
			chromeDo(t, ctx, chromedp.Click(`table[data-map=district] a[data-figure]`))
			chromeWait(t, ctx, `location.pathname.endsWith('/search') && document.querySelector('.results-count') !== null`)
			if found := leadingNumber(t, chromeEval[string](t, ctx, `document.querySelector('.results-count').textContent`)); found != shown {
				t.Errorf("the map's first district shows %d firms, its search finds %d", shown, found)
			}

			// Download a table and the programme report, as the browser would.
			chromeDo(t, ctx, chromedp.Navigate(page), chromedp.WaitReady("footer"))
			for _, tc := range []struct{ link, name string }{
				{`document.querySelector('.dash-exports a[href*="table=sector"][href*="format=xlsx"]').href`, "dashboard-sector-" + lang + "-" + day + ".xlsx"},
				{`document.querySelector('.dash-exports a[href*="table=months"][href*="format=csv"]').href`, "dashboard-months-" + lang + "-" + day + ".csv"},
				{`(() => { const f = document.querySelector('form.dash-report'); return f.action + '?' + new URLSearchParams(new FormData(f)); })()`, "programme-report-" + lang + "-" + day + ".xlsx"},
			} {
				got := chromeEval[string](t, ctx, `(() => { const x = new XMLHttpRequest();
					x.open('GET', `+tc.link+`, false); x.send();
					return x.status + ' ' + x.getResponseHeader('Content-Disposition') })()`)
				if !strings.HasPrefix(got, "200 ") || !strings.Contains(got, tc.name) {
					t.Errorf("download %s: %s", tc.name, got)
				}
			}
		})
	}
}

// TestScreenshotsDashboard saves the dashboard in both languages at desktop and phone width,
// and as printed, into $PORTAL_SCREENSHOTS.
func TestScreenshotsDashboard(t *testing.T) {
	dir := os.Getenv("PORTAL_SCREENSHOTS")
	if dir == "" {
		t.Skip("set PORTAL_SCREENSHOTS=dir to save screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	fx, base := dashboardBrowserFixture(t)
	for _, width := range []int64{1280, 375} {
		ctx := newBrowser(t, width)
		dashboardSignIn(t, ctx, fx, base)
		for _, lang := range languages {
			for _, media := range []string{"screen", "print"} {
				if media == "print" && width != 1280 {
					continue
				}
				m := media
				if m == "screen" {
					m = ""
				}
				chromeDo(t, ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
					_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
					return err
				}), chromedp.Navigate(base+localPath(lang, "/staff/dashboard")), chromedp.WaitReady("footer"))
				png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
				if err != nil {
					t.Fatal(err)
				}
				if err := saveScreenshot(dir, fmt.Sprintf("dashboard-%s-%d-%s", lang, width, media), png, int(width)*5/2); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// TestBrowserDashboardPhoneWidth: at 375 pixels the dashboard scrolls only down; wide tables
// scroll in their own region.
func TestBrowserDashboardPhoneWidth(t *testing.T) {
	fx, base := dashboardBrowserFixture(t)
	ctx := newBrowser(t, 375)
	dashboardSignIn(t, ctx, fx, base)
	for _, lang := range languages {
		chromeDo(t, ctx, chromedp.Navigate(base+localPath(lang, "/staff/dashboard")), chromedp.WaitReady("footer"))
		wide := chromeEval[string](t, ctx, `[...document.querySelectorAll('body *')].filter(e => {
			const r = e.getBoundingClientRect(); return r.right > 376 && !e.parentElement.closest('.table-scroll');
		}).slice(0, 8).map(e => e.tagName + ' ' + (e.id || '') + ' ' + (typeof e.className === 'string' ? e.className : e.className.baseVal)).join(', ')`)
		if w := chromeEval[int](t, ctx, `document.documentElement.scrollWidth`); w > 376 {
			t.Errorf("%s: the page is %d pixels wide: %s", lang, w, wide)
		}
	}
}
