package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/auth"
	"github.com/hanoi-cnht/portal/models/event"
)

// TestBrowserEventWholeFlow walks a business-matching event from end to end in Chromium at
// phone width, once in each language, with axe-core on the pages it passes: the supplier
// registers its firm from its profile in two clicks and the buyer registers; staff approve
// both; the buyer requests a meeting and the supplier accepts; staff run the scheduler, look
// at the grid and a move, and publish; both sides read their agenda, download their .ics, and
// the buyer's agenda prints on one A4 page; on the day the desk checks the buyer in by its
// badge code, staff mark the meeting held, and both sides record an outcome. With
// PORTAL_SCREENSHOTS set it saves the pages there (the grid and the printed agenda among them).
func TestBrowserEventWholeFlow(t *testing.T) {
	for _, lang := range languages {
		t.Run(lang, func(t *testing.T) { browserEventWholeFlow(t, lang) })
	}
}

func browserEventWholeFlow(t *testing.T, lang string) {
	fx := newAuthzFixture(t)
	ctx0 := context.Background()
	hash, err := auth.Hash(staffPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range []string{"admin", "supplier of this firm", "buyer"} {
		if err := fx.store.SetPassword(ctx0, models.SystemActor("test"), fx.users[role].ID, hash); err != nil {
			t.Fatal(err)
		}
	}
	staffA, _ := fx.store.ActorFor(ctx0, fx.users["staff"], "")
	rec := testEventRecord(fx.store.Now())
	rec.NameVI, rec.NameEN = "Ngày kết nối trên trình duyệt", "Browser matching day"
	ev, err := fx.store.CreateEvent(ctx0, staffA, rec)
	if err != nil {
		t.Fatal(err)
	}
	base := serveLoopback(t, fx.srv)
	axe := axeSource(t)
	shots := os.Getenv("PORTAL_SCREENSHOTS")
	at := func(path string) string { return base + localPath(lang, path) }
	evPath := fmt.Sprintf("/events/%d", ev.ID)
	var ctx context.Context
	look := func(t *testing.T, name string) {
		t.Helper()
		chromeDo(t, ctx, chromedp.WaitReady("footer"))
		checkAxe(t, ctx, axe)
		if shots == "" {
			return
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := saveScreenshot(shots, "flow-"+name+"-"+lang, png, 2400); err != nil {
			t.Fatal(err)
		}
	}
	open := func(t *testing.T, name, path string) {
		t.Helper()
		chromeDo(t, ctx, chromedp.Navigate(at(path)))
		look(t, name)
	}
	submitAndWait := func(t *testing.T, button, done string) {
		t.Helper()
		chromeDo(t, ctx, chromedp.Click(button))
		chromeWait(t, ctx, `location.search.includes('done=`+done+`') && document.readyState === 'complete'`)
	}
	regs := func() (sup, buyer uint) {
		all, err := fx.store.Registrations(ctx0, models.SystemActor("test"), ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range all {
			if r.Side == event.Supplier {
				sup = r.ID
			} else {
				buyer = r.ID
			}
		}
		return sup, buyer
	}

	// Before the day: registration, requests, the schedule.
	ctx = newBrowser(t, 375)
	eventsSignIn(t, ctx, fx, base, "supplier of this firm")
	open(t, "profile-invite", "/suppliers/"+fx.ids["{slugA}"])
	chromeDo(t, ctx, chromedp.Click(fmt.Sprintf(`.event-invites a[href*="/events/%d/register"]`, ev.ID)))
	chromeWait(t, ctx, `location.pathname.endsWith('/register') && document.readyState === 'complete'`)
	look(t, "register-supplier")
	submitAndWait(t, "form.form button[type=submit]", "registered")

	eventsSignIn(t, ctx, fx, base, "buyer")
	open(t, "register-buyer", evPath+"/register")
	chromeDo(t, ctx, chromedp.SendKeys("#f-company", "Canon Vietnam"), chromedp.SendKeys("#f-country", "Japan"),
		chromedp.SendKeys("#f-requirement", "plastic injection parts, ISO 9001"))
	submitAndWait(t, "form.form button[type=submit]", "registered")
	supReg, buyerReg := regs()
	if supReg == 0 || buyerReg == 0 {
		t.Fatalf("registrations: supplier %d, buyer %d", supReg, buyerReg)
	}

	eventsSignIn(t, ctx, fx, base, "admin")
	for _, id := range []uint{supReg, buyerReg} {
		chromeDo(t, ctx, chromedp.Navigate(at(fmt.Sprintf("/staff/events/%d", ev.ID))), chromedp.WaitReady("footer"),
			chromedp.SetValue(fmt.Sprintf("#reg-%d select[name=status]", id), "approved"))
		submitAndWait(t, fmt.Sprintf("#reg-%d button[type=submit]", id), "registration_decided")
	}

	eventsSignIn(t, ctx, fx, base, "buyer")
	open(t, "requests-buyer", fmt.Sprintf("%s/requests?as=%d", evPath, buyerReg))
	chromeDo(t, ctx, chromedp.SetValue("#f-to", fmt.Sprint(supReg)), chromedp.Click("#f-priority-must"),
		chromedp.SendKeys("#f-message", "Drawings attached to our RFQ"))
	submitAndWait(t, "form.form button[type=submit]", "requested")

	eventsSignIn(t, ctx, fx, base, "supplier of this firm")
	open(t, "requests-supplier", fmt.Sprintf("%s/requests?as=%d", evPath, supReg))
	submitAndWait(t, "article.request form.inline-form button[type=submit]", "answered")

	eventsSignIn(t, ctx, fx, base, "admin")
	chromeDo(t, ctx, chromedp.Navigate(at(fmt.Sprintf("/staff/events/%d/schedule", ev.ID))), chromedp.WaitReady("footer"))
	submitAndWait(t, `form[action$="/schedule/run"] button`, "schedule_run")
	if got := chromeEval[string](t, ctx, `document.querySelector('#placed').textContent.trim()`); got != "1 / 1" {
		t.Fatalf("placed / bound: %q", got)
	}
	look(t, "schedule-grid")
	chromeDo(t, ctx, chromedp.Click(".schedule-grid a.move-link"))
	chromeWait(t, ctx, `location.pathname.endsWith('/move') && document.readyState === 'complete'`)
	look(t, "move")
	chromeDo(t, ctx, chromedp.Click(`form[method=get] button[type=submit]`))
	chromeWait(t, ctx, `!!document.querySelector('#conflicts-heading')`)
	look(t, "move-checked")
	chromeDo(t, ctx, chromedp.Navigate(at(fmt.Sprintf("/staff/events/%d/schedule", ev.ID))), chromedp.WaitReady("footer"))
	submitAndWait(t, `form[action$="/schedule/publish"] button`, "schedule_published")

	// The agendas, the calendar files and the printed page.
	ctx = newBrowser(t, 375)
	for _, side := range []struct {
		role string
		reg  uint
		meet string
	}{{"buyer", buyerReg, "An Phú"}, {"supplier of this firm", supReg, "Canon Vietnam"}} {
		eventsSignIn(t, ctx, fx, base, side.role)
		open(t, "agenda-"+strings.Fields(side.role)[0], fmt.Sprintf("%s/agenda?as=%d", evPath, side.reg))
		if got := chromeEval[string](t, ctx, `document.querySelector('.agenda tbody').textContent`); !strings.Contains(got, side.meet) {
			t.Fatalf("%s's agenda: %q", side.role, got)
		}
		fetch := fmt.Sprintf(`fetch(%q, {credentials: 'same-origin'}).then(async r => r.headers.get('Content-Type') + '\n' + await r.text())`,
			localPath(lang, fmt.Sprintf("%s/agenda.ics?as=%d", evPath, side.reg)))
		ics, err := chromedp.Run(ctx, chromedp.Evaluate[string](fetch, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(ics, "text/calendar") || !strings.Contains(ics, "BEGIN:VEVENT") || !strings.Contains(ics, side.meet) {
			t.Fatalf("%s's .ics:\n%s", side.role, ics)
		}
		if side.role != "buyer" {
			continue
		}
		// Printed on A4: one page, and a picture of it in print media.
		var pdf []byte
		chromeDo(t, ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			r, err := cdp.Call(ctx, tg, cdppage.PrintToPDF, cdppage.PrintToPDFParams{PaperWidth: 8.27, PaperHeight: 11.69})
			if err == nil {
				pdf = r.Data
			}
			return err
		}))
		pages := bytes.Count(pdf, []byte("/Type /Page")) - bytes.Count(pdf, []byte("/Type /Pages"))
		if pages != 1 {
			t.Errorf("the printed agenda takes %d A4 pages", pages)
		}
		if shots != "" {
			media := func(m string) chromedp.Action[chromedp.Void] {
				return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
					_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
					return err
				})
			}
			chromeDo(t, ctx, media("print"), chromedp.EmulateViewport(794, 1123))
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			chromeDo(t, ctx, media(""), chromedp.EmulateViewport(375, 900, chromedp.EmulateMobile, chromedp.EmulateTouch))
			if err := saveScreenshot(shots, "flow-agenda-print-"+lang, png, 1123); err != nil {
				t.Fatal(err)
			}
		}
	}
	eventsSignIn(t, ctx, fx, base, "buyer")
	open(t, "badge", fmt.Sprintf("%s/badge?as=%d", evPath, buyerReg))
	code := chromeEval[string](t, ctx, `document.querySelector('.event-badge-code strong').textContent`)

	// The day, after the meeting: the test clock moves on and everyone signs in again.
	sv, err := fx.store.Schedule(ctx0, staffA, ev.ID)
	if err != nil || len(sv.Meetings) != 1 {
		t.Fatalf("schedule %+v %v", sv, err)
	}
	meeting := fmt.Sprint(sv.Meetings[0].ID)
	end := ev.Slots()[sv.Meetings[0].Slot-1].End
	fx.store.SetClock(func() time.Time { return end.Add(5 * time.Minute) })
	ctx = newBrowser(t, 375)
	eventsSignIn(t, ctx, fx, base, "admin")
	open(t, "day", fmt.Sprintf("/staff/events/%d/day", ev.ID))
	// The desk's part of a check-in, typed code to confirmation, is logged (the issue asks
	// under 5 seconds a person, the person included).
	desk := time.Now()
	chromeDo(t, ctx, chromedp.SendKeys("#f-code", code))
	submitAndWait(t, `section[aria-labelledby="code-heading"] button`, "checked_in")
	t.Logf("check-in by badge code in the browser: %s", time.Since(desk).Round(time.Millisecond))
	if got := chromeEval[string](t, ctx, `document.querySelector('#checked-in-count').textContent`); !strings.HasPrefix(got, "1 ") {
		t.Fatalf("checked in: %q", got)
	}
	chromeDo(t, ctx, chromedp.SetValue("#f-status-"+meeting, "held"))
	submitAndWait(t, "#meeting-"+meeting+" button", "meeting_marked")
	for _, side := range []struct {
		role, outcome string
		reg           uint
	}{{"buyer", "quotation", buyerReg}, {"supplier of this firm", "agreement", supReg}} {
		eventsSignIn(t, ctx, fx, base, side.role)
		open(t, "outcomes-"+strings.Fields(side.role)[0], fmt.Sprintf("%s/outcomes?as=%d", evPath, side.reg))
		chromeDo(t, ctx, chromedp.Click("#f-outcome-"+meeting+"-"+side.outcome))
		submitAndWait(t, "#meeting-"+meeting+" button[type=submit]", "outcome_recorded")
	}
	eventsSignIn(t, ctx, fx, base, "admin")
	open(t, "results", fmt.Sprintf("/staff/events/%d/results", ev.ID))
	summary := chromeEval[string](t, ctx, `document.querySelector('.results-summary').textContent`)
	if !strings.Contains(summary, "1 / 1") {
		t.Fatalf("results: %q", summary)
	}
}
