package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The browser tests drive headless Chromium against the real server on a loopback port.

var (
	liveOnce sync.Once
	liveURL  string
	liveErr  error
	liveStop context.CancelFunc
)

// liveServer serves the shared fixture on 127.0.0.1 and returns its base URL.
func liveServer(t *testing.T) string {
	t.Helper()
	f := sharedUI(t)
	liveOnce.Do(func() {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			liveErr = err
			return
		}
		ctx, cancel := context.WithCancel(context.Background())
		liveStop = cancel
		go f.srv.Serve(ctx, ln)
		liveURL = "http://" + ln.Addr().String()
	})
	if liveErr != nil {
		t.Fatal(liveErr)
	}
	return liveURL
}

// browserTimeout bounds one browser test; a hung page fails instead of stalling the suite.
const browserTimeout = 90 * time.Second

// newBrowser starts headless Chromium with a fresh profile and returns a tab, sized to width.
// It skips the test when Chromium is not installed.
func newBrowser(t *testing.T, width int64) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed (exec.LookPath(\"chromium\") failed): skipping the browser tests")
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(int(width), 900),
	)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, browserTimeout)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900, mobileIf(width < 600)...)); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	watchConsole(t, ctx)
	return ctx
}

func refusedForm(text string) bool {
	return strings.Contains(text, "status of 422") || strings.Contains(text, "status of 429")
}

func mobileIf(mobile bool) []chromedp.EmulateViewportOption {
	if mobile {
		return []chromedp.EmulateViewportOption{chromedp.EmulateMobile, chromedp.EmulateTouch}
	}
	return nil
}

// watchConsole fails the test on a script error or a console error, such as a resource the
// Content-Security-Policy blocked.
func watchConsole(t *testing.T, ctx context.Context) {
	t.Helper()
	var mu sync.Mutex
	var problems []string
	done := make(chan struct{})
	messages := chromedp.Console(ctx)
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			// A refused form answers 422 (and a throttled one 429) by design; the browser logs
			// those as failed loads, which are not faults of the page.
			if refusedForm(m.Text) {
				continue
			}
			if m.IsException() || m.Type == chromedp.ConsoleError {
				mu.Lock()
				problems = append(problems, fmt.Sprintf("%s %s:%d %s", m.Type, m.URL, m.Line+1, m.Text))
				mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, p := range problems {
			t.Errorf("browser console: %s", p)
		}
	})
}

func chromeDo(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func chromeEval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// chromeWait polls a JavaScript condition until it holds. A navigation destroys the page's
// JavaScript context under a running poll; the poll then starts again in the new page.
func chromeWait(t *testing.T, ctx context.Context, cond string) {
	t.Helper()
	// Polled from here rather than with chromedp.Poll: that polls with the page's own timers,
	// which never fire on a page whose scripts are turned off.
	deadline := time.Now().Add(20 * time.Second)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var lastErr error
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond))
		if err == nil && ok {
			return
		}
		lastErr = err
		select {
		case <-ctx.Done():
			t.Fatalf("waiting for %s: %v", cond, ctx.Err())
		case <-tick.C:
		}
	}
	t.Fatalf("waiting for %s: not true within 20 s (last error: %v)", cond, lastErr)
}

func TestBrowserSearchFromHome(t *testing.T) {
	base := liveServer(t)
	ctx := newBrowser(t, 1280)
	chromeDo(t, ctx,
		chromedp.Navigate(base+"/en/"),
		chromedp.WaitVisible("#q"),
		chromedp.SendKeys("#q", "plastic"),
		chromedp.Click(`form[role=search] button[type=submit]`),
		chromedp.WaitVisible("#results-heading"),
	)
	loc := chromeEval[string](t, ctx, "location.pathname + location.search")
	if loc != "/en/search?q=plastic" {
		t.Errorf("landed on %q", loc)
	}
	if n := chromeEval[int](t, ctx, `document.querySelectorAll('.cards .card').length`); n == 0 {
		t.Error("no results for plastic")
	}
}

func TestBrowserFacetsUpdateInPlace(t *testing.T) {
	base := liveServer(t)
	ctx := newBrowser(t, 1280)
	chromeDo(t, ctx, chromedp.Navigate(base+"/en/search?q=parts"), chromedp.WaitVisible("[data-facet=sector] .facet-link"))
	// A marker on window survives only if the page is not reloaded.
	chromeEval[bool](t, ctx, `window.__noReload = true`)
	label := chromeEval[string](t, ctx, `document.querySelector('[data-facet=sector] .facet-link .facet-label').firstChild.textContent`)
	chromeDo(t, ctx, chromedp.Click(`[data-facet=sector] .facet-link`))
	chromeWait(t, ctx, `location.search.includes('sector=') && document.querySelector('.chips .chip') !== null`)
	if !chromeEval[bool](t, ctx, `window.__noReload === true`) {
		t.Error("applying a facet reloaded the whole page")
	}
	if chip := chromeEval[string](t, ctx, `document.querySelector('.chips .chip').textContent`); !strings.Contains(chip, label) {
		t.Errorf("chip %q does not name the facet value %q", chip, label)
	}
	if !chromeEval[bool](t, ctx, `document.activeElement.classList.contains('facet-link') && document.activeElement.classList.contains('is-selected')`) {
		t.Error("focus did not stay on the chosen facet value")
	}
	// Remove it again with the chip.
	chromeDo(t, ctx, chromedp.Click(`.chips .chip`))
	chromeWait(t, ctx, `!location.search.includes('sector=') && document.querySelector('.chips') === null`)
	if !chromeEval[bool](t, ctx, `window.__noReload === true`) {
		t.Error("removing a facet reloaded the whole page")
	}
	// Back returns to the filtered results.
	chromeDo(t, ctx, chromedp.NavigateBack())
	chromeWait(t, ctx, `location.search.includes('sector=') && document.querySelector('.chips .chip') !== null`)
}

func TestBrowserPagination(t *testing.T) {
	base := liveServer(t)
	ctx := newBrowser(t, 1280)
	chromeDo(t, ctx, chromedp.Navigate(base+"/search"), chromedp.WaitVisible(".pagination a[rel=next]"))
	first := chromeEval[string](t, ctx, `document.querySelector('.card-title a').href`)
	chromeDo(t, ctx, chromedp.Click(".pagination a[rel=next]"))
	chromeWait(t, ctx, `new URLSearchParams(location.search).get('page') === '2' && document.querySelector('.pagination [aria-current=page]').textContent.trim().endsWith('2')`)
	if second := chromeEval[string](t, ctx, `document.querySelector('.card-title a').href`); second == first {
		t.Error("page 2 starts with the first result of page 1")
	}
	chromeDo(t, ctx, chromedp.Click(".pagination a[rel=next]"))
	chromeWait(t, ctx, `new URLSearchParams(location.search).get('page') === '3'`)
	chromeDo(t, ctx, chromedp.Click(".pagination a[rel=prev]"))
	chromeWait(t, ctx, `new URLSearchParams(location.search).get('page') === '2'`)
}

func TestBrowserProfileAndLanguageSwitch(t *testing.T) {
	base := liveServer(t)
	ctx := newBrowser(t, 1280)
	chromeDo(t, ctx, chromedp.Navigate(base+"/en/search?q=quvortex"), chromedp.WaitVisible(".card-title a"))
	chromeDo(t, ctx, chromedp.Click(".card-title a"), chromedp.WaitVisible(".profile h1"))
	path := chromeEval[string](t, ctx, "location.pathname")
	if !strings.HasPrefix(path, "/en/suppliers/") {
		t.Fatalf("the result opened %q", path)
	}
	if got := chromeEval[string](t, ctx, `document.documentElement.lang`); got != "en" {
		t.Errorf("lang = %q", got)
	}
	chromeDo(t, ctx, chromedp.Click("a.lang-switch"))
	chromeWait(t, ctx, `document.documentElement.lang === 'vi'`)
	if got := chromeEval[string](t, ctx, "location.pathname"); got != strings.TrimPrefix(path, "/en") {
		t.Errorf("switching language led to %q, want %q", got, strings.TrimPrefix(path, "/en"))
	}
	chromeDo(t, ctx, chromedp.WaitVisible(".profile h1"))
}

func TestBrowserKeyboardOnlySearch(t *testing.T) {
	base := liveServer(t)
	ctx := newBrowser(t, 1280)
	chromeDo(t, ctx, chromedp.Navigate(base+"/"), chromedp.WaitReady("#q"))
	for i := 0; i < 25 && chromeEval[string](t, ctx, `document.activeElement.id`) != "q"; i++ {
		chromeDo(t, ctx, chromedp.KeyEvent(kb.Tab))
	}
	if chromeEval[string](t, ctx, `document.activeElement.id`) != "q" {
		t.Fatal("Tab never reached the search box")
	}
	if !chromeEval[bool](t, ctx, `getComputedStyle(document.activeElement).outlineStyle !== 'none'`) {
		t.Error("the focused search box shows no focus outline")
	}
	chromeDo(t, ctx, chromedp.KeyEvent("ep nhua"), chromedp.KeyEvent(kb.Enter))
	chromeWait(t, ctx, `location.pathname === '/search' && document.querySelector('#results-heading') !== null`)
	if q := chromeEval[string](t, ctx, `new URLSearchParams(location.search).get('q')`); q != "ep nhua" {
		t.Errorf("searched for %q", q)
	}
}

// enterWithoutChar presses Enter as a browser does when the page cancels the keydown: with no
// char event after it. kb.Enter sends a char event, which would also submit the form.
var enterWithoutChar = chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
	for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
		if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, input.DispatchKeyEventParams{
			Type: typ, Key: "Enter", Code: "Enter", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13,
		}); err != nil {
			return err
		}
	}
	return nil
})

func TestBrowserTypeAhead(t *testing.T) {
	base := liveServer(t)
	ctx := newBrowser(t, 1280)
	f := sharedUI(t)
	chromeDo(t, ctx, chromedp.Navigate(base+"/en/"), chromedp.WaitReady("#q"), chromedp.Focus("#q"))
	chromeDo(t, ctx, chromedp.KeyEvent(strings.ToLower(f.sector.LabelEN[:5])))
	chromeDo(t, ctx, chromedp.WaitVisible("#q-list [role=option]"))
	if chromeEval[string](t, ctx, `document.querySelector('#q').getAttribute('aria-expanded')`) != "true" {
		t.Error("aria-expanded is not true while suggestions show")
	}
	chromeDo(t, ctx, chromedp.KeyEvent(kb.ArrowDown))
	active := chromeEval[string](t, ctx, `document.querySelector('#q').getAttribute('aria-activedescendant')`)
	if active != "q-opt-0" || chromeEval[string](t, ctx, `document.getElementById('q-opt-0').getAttribute('aria-selected')`) != "true" {
		t.Fatalf("ArrowDown did not select the first option (active %q)", active)
	}
	href := chromeEval[string](t, ctx, `document.getElementById('q-opt-0').dataset.href`)
	chromeDo(t, ctx, enterWithoutChar)
	chromeWait(t, ctx, fmt.Sprintf(`location.pathname + location.search === %q`, href))
	chromeDo(t, ctx, chromedp.Navigate(base+"/en/"), chromedp.WaitReady("#q"), chromedp.Focus("#q"), chromedp.KeyEvent("zyx"))
	chromeDo(t, ctx, chromedp.WaitVisible("#q-list [role=option]"), chromedp.KeyEvent(kb.Escape))
	chromeWait(t, ctx, `document.querySelector('#q-list').hidden && document.querySelector('#q').getAttribute('aria-expanded') === 'false'`)
}

func TestBrowserPhoneWidth(t *testing.T) {
	base := liveServer(t)
	f := sharedUI(t)
	ctx := newBrowser(t, 360)
	for _, lang := range languages {
		for _, p := range []string{"/", "/search?q=parts&sector=" + url.QueryEscape(f.sector.Code), "/suppliers/" + f.viOnlyFirm, "/browse", "/about"} {
			u := base + localPath(lang, p)
			chromeDo(t, ctx, chromedp.Navigate(u), chromedp.WaitReady("footer"))
			if w := chromeEval[int](t, ctx, `document.documentElement.scrollWidth`); w > 360 {
				t.Errorf("%s scrolls sideways at 360 px: %d px wide", u, w)
			}
			if strings.Contains(p, "/search") && chromeEval[bool](t, ctx, `document.querySelector('[data-filters]').open`) {
				t.Errorf("%s: the filters are not collapsed on a phone", u)
			}
		}
	}
	// Open the filters on a phone and use one.
	chromeDo(t, ctx, chromedp.Navigate(base+"/en/search?q=parts"), chromedp.Click(".filters-toggle"),
		chromedp.WaitVisible("[data-facet=sector] .facet-link"), chromedp.Click("[data-facet=sector] .facet-link"))
	chromeWait(t, ctx, `location.search.includes('sector=')`)
}

// TestBrowserWithoutJavaScript searches, filters, sorts and pages with scripts turned off:
// every step is a link or a GET form.
func TestBrowserWithoutJavaScript(t *testing.T) {
	base := liveServer(t)
	ctx := newBrowser(t, 1280)
	noScript := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})
	chromeDo(t, ctx, noScript, chromedp.Navigate(base+"/en/"), chromedp.WaitVisible("#q"))
	if chromeEval[bool](t, ctx, `document.documentElement.classList.contains('js')`) {
		t.Fatal("scripts still run")
	}
	chromeDo(t, ctx, chromedp.SendKeys("#q", "parts"), chromedp.Submit("#q"))
	chromeWait(t, ctx, `location.pathname === '/en/search' && document.querySelector('#results-heading') !== null`)
	chromeDo(t, ctx, chromedp.Click("[data-facet=sector] .facet-link"))
	chromeWait(t, ctx, `location.search.includes('sector=') && document.querySelector('.chips .chip') !== null`)
	chromeDo(t, ctx, chromedp.SetValue("#sort", "name"), chromedp.Click("form[data-sort] button[type=submit]"))
	chromeWait(t, ctx, `new URLSearchParams(location.search).get('sort') === 'name' && location.search.includes('sector=')`)
	if chromeEval[bool](t, ctx, `document.querySelector('.pagination a[rel=next]') !== null`) {
		chromeDo(t, ctx, chromedp.Click(".pagination a[rel=next]"))
		chromeWait(t, ctx, `new URLSearchParams(location.search).get('page') === '2'`)
	}
}

// axeSource is axe-core, vendored in testdata (npm package axe-core, MPL-2.0).
func axeSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "axe.min.js"))
	if err != nil {
		t.Fatalf("read axe-core: %v", err)
	}
	return string(b)
}

type axeResult struct {
	Violations []axeViolation `json:"violations"`
	Passes     int            `json:"passes"`
}

type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

func TestBrowserAccessibility(t *testing.T) {
	base := liveServer(t)
	f := sharedUI(t)
	axe := axeSource(t)
	for _, width := range []int64{1280, 360} {
		ctx := newBrowser(t, width)
		for _, lang := range languages {
			for _, p := range []string{"/", "/search?q=parts&cert=ISO+9001", "/suppliers/" + f.viOnlyFirm, "/suppliers/" + f.scriptFirm} {
				u := base + localPath(lang, p)
				t.Run(fmt.Sprintf("%d%s", width, localPath(lang, p)), func(t *testing.T) {
					chromeDo(t, ctx, chromedp.Navigate(u), chromedp.WaitReady("footer"))
					checkAxe(t, ctx, axe)
				})
			}
		}
	}
}

// checkAxe runs axe-core on the page in ctx: serious and critical WCAG 2.1 A/AA violations fail
// the test, others are logged.
func checkAxe(t *testing.T, ctx context.Context, axe string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axe)); err != nil {
		t.Fatalf("inject axe: %v", err)
	}
	res, err := chromedp.Run(ctx, chromedp.Evaluate[axeResult](
		`axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})`+
			`.then(r => ({violations: r.violations, passes: r.passes.length}))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe: %v", err)
	}
	if res.Passes < 10 {
		t.Fatalf("axe passed only %d rules; did it run?", res.Passes)
	}
	for _, v := range res.Violations {
		msg := fmt.Sprintf("%s (%s): %s", v.ID, v.Impact, v.Help)
		for i, n := range v.Nodes {
			if i == 3 {
				break
			}
			msg += fmt.Sprintf("\n    %v %s", n.Target, n.HTML)
		}
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Error(msg)
		} else {
			t.Log(msg)
		}
	}
}

// saveScreenshot writes a full-page PNG, cut into parts of at most maxHeight pixels so that a
// person can read a long phone page: name-1.png, name-2.png…
func saveScreenshot(dir, name string, shot []byte, maxHeight int) error {
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		return err
	}
	b := img.Bounds()
	sub, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	})
	if !ok {
		return fmt.Errorf("cannot cut a %T", img)
	}
	for part, y := 1, b.Min.Y; y < b.Max.Y; part, y = part+1, y+maxHeight {
		var buf bytes.Buffer
		if err := png.Encode(&buf, sub.SubImage(image.Rect(b.Min.X, y, b.Max.X, min(y+maxHeight, b.Max.Y)))); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, part)), buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// TestScreenshots saves PNGs of the main pages in both languages at desktop and phone width
// into $PORTAL_SCREENSHOTS, for a person to look at.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("PORTAL_SCREENSHOTS")
	if dir == "" {
		t.Skip("set PORTAL_SCREENSHOTS=dir to save screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	base := liveServer(t)
	f := sharedUI(t)
	pages := []struct{ name, path string }{
		{"home", "/"},
		{"results", "/search?q=parts&cert=ISO+9001"},
		{"empty", "/search?q=zyxwidget&zone=kcn-noi-bai"},
		{"profile", "/suppliers/" + f.viOnlyFirm},
		{"browse", "/browse"},
	}
	for _, width := range []int64{1280, 360} {
		ctx := newBrowser(t, width)
		for _, lang := range languages {
			for _, p := range pages {
				chromeDo(t, ctx, chromedp.Navigate(base+localPath(lang, p.path)), chromedp.WaitReady("footer"))
				png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
				if err != nil {
					t.Fatal(err)
				}
				if err := saveScreenshot(dir, fmt.Sprintf("%s-%s-%d", p.name, lang, width), png, int(width)*5/2); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}
