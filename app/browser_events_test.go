package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/auth"
)

// eventsSignIn signs in as a fixture account in a fresh cookie jar.
func eventsSignIn(t *testing.T, ctx context.Context, fx *authzFixture, base, role string) {
	t.Helper()
	clear := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, network.ClearBrowserCookies, cdp.Empty{})
		return err
	})
	chromeDo(t, ctx, clear, chromedp.Navigate(base+"/en/login"), chromedp.WaitVisible("#f-email"),
		chromedp.SendKeys("#f-email", fx.users[role].Email), chromedp.SendKeys("#f-password", staffPassword),
		chromedp.Submit("#f-email"))
	chromeWait(t, ctx, `!location.pathname.endsWith('/login')`)
}

// TestBrowserEventFlow walks the main flow of a business-matching event in Chromium at phone
// width, with axe-core on every page it passes: the supplier accepts the buyer's request from
// its inbox, staff run the scheduler and publish, and the buyer reads its agenda. With
// PORTAL_SCREENSHOTS set it saves each page there in both languages.
func TestBrowserEventFlow(t *testing.T) {
	fx := newAuthzFixture(t)
	hash, err := auth.Hash(staffPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range []string{"admin", "supplier of this firm", "buyer"} {
		if err := fx.store.SetPassword(context.Background(), models.SystemActor("test"), fx.users[role].ID, hash); err != nil {
			t.Fatal(err)
		}
	}
	base := serveLoopback(t, fx.srv)
	ctx := newBrowser(t, 375)
	axe := axeSource(t)
	shots := os.Getenv("PORTAL_SCREENSHOTS")
	look := func(t *testing.T, name, path string) {
		t.Helper()
		for _, lang := range languages {
			chromeDo(t, ctx, chromedp.Navigate(base+localPath(lang, fx.path(path))), chromedp.WaitReady("footer"))
			checkAxe(t, ctx, axe)
			if shots != "" {
				png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
				if err != nil {
					t.Fatal(err)
				}
				if err := saveScreenshot(shots, name+"-"+lang, png, 2400); err != nil {
					t.Fatal(err)
				}
			}
		}
	}

	look(t, "events", "/events")
	look(t, "event", "/events/{event}")

	eventsSignIn(t, ctx, fx, base, "supplier of this firm")
	look(t, "requests", "/events/{event}/requests?as={regA}")
	card := "#request-" + fx.ids["{reqA}"]
	chromeDo(t, ctx, chromedp.WaitVisible(card), chromedp.Click(card+" form.inline-form button[type=submit]"))
	chromeWait(t, ctx, `location.search.includes('done=answered') && document.readyState === 'complete'`)
	if got := chromeEval[string](t, ctx, `document.querySelector('#request-`+fx.ids["{reqA}"]+`').textContent`); !strings.Contains(got, "Canon Vietnam") {
		t.Fatalf("answered request: %q", got)
	}

	eventsSignIn(t, ctx, fx, base, "admin")
	look(t, "staff-event", "/staff/events/{event}")
	look(t, "staff-event-form", "/staff/events/{event}/edit")
	chromeDo(t, ctx, chromedp.Navigate(base+fx.path("/en/staff/events/{event}/schedule")), chromedp.WaitReady("footer"),
		chromedp.Click(`form[action$="/schedule/run"] button`))
	chromeWait(t, ctx, `location.search.includes('done=schedule_run') && document.readyState === 'complete'`)
	chromeDo(t, ctx, chromedp.WaitVisible("#placed")) // the new page may still be loading
	if got := chromeEval[string](t, ctx, `document.querySelector('#placed').textContent.trim()`); got != "2 / 2" {
		t.Fatalf("placed / bound after the run: %q", got)
	}
	look(t, "staff-schedule", "/staff/events/{event}/schedule")
	chromeDo(t, ctx, chromedp.Navigate(base+fx.path("/en/staff/events/{event}/schedule")), chromedp.WaitReady("footer"),
		chromedp.Click(`form[action$="/schedule/publish"] button`))
	chromeWait(t, ctx, `location.search.includes('done=schedule_published') && document.readyState === 'complete'`)

	eventsSignIn(t, ctx, fx, base, "buyer")
	look(t, "register", "/events/{event}/register")
	look(t, "agenda", "/events/{event}/agenda?as={regBuyer}")
	if n := chromeEval[int](t, ctx, `document.querySelectorAll('.agenda tbody tr').length`); n != 2 {
		t.Fatalf("the buyer's agenda has %d meetings, want 2", n)
	}

	// The day: the buyer's badge, the desk checks it in by its code, staff mark the meeting
	// with firm B held, and the buyer records what it led to.
	look(t, "badge", "/events/{event}/badge?as={regBuyer}")
	code := chromeEval[string](t, ctx, `document.querySelector('.event-badge-code strong').textContent`)
	if len(code) < 16 {
		t.Fatalf("badge code %q", code)
	}
	// The day, after the meetings: the test clock moves on and everyone signs in again.
	var evID uint
	fmt.Sscan(fx.ids["{event}"], &evID)
	ev, err := fx.store.EventByID(context.Background(), evID)
	if err != nil {
		t.Fatal(err)
	}
	slots := ev.Slots()
	fx.store.SetClock(func() time.Time { return slots[len(slots)-1].End })
	eventsSignIn(t, ctx, fx, base, "admin")
	look(t, "staff-day", "/staff/events/{event}/day")
	chromeDo(t, ctx, chromedp.Navigate(base+fx.path("/en/staff/events/{event}/day")), chromedp.WaitVisible("#f-code"),
		chromedp.SendKeys("#f-code", code), chromedp.Click(`section[aria-labelledby="code-heading"] button`))
	chromeWait(t, ctx, `location.search.includes('done=checked_in') && document.readyState === 'complete'`)
	if got := chromeEval[string](t, ctx, `document.querySelector('#checked-in-count').textContent`); !strings.HasPrefix(got, "1 of") {
		t.Fatalf("checked in: %q", got)
	}
	meeting := fx.ids["{meeting}"]
	chromeDo(t, ctx, chromedp.SetValue("#f-status-"+meeting, "held"),
		chromedp.Click("#meeting-"+meeting+" button"))
	chromeWait(t, ctx, `location.search.includes('done=meeting_marked') && document.readyState === 'complete'`)
	// Firm A's meeting with the buyer: firm A did not come, and staff look at whom its slot can
	// go to.
	sv, err := fx.store.Schedule(context.Background(), models.SystemActor("test"), evID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range sv.Meetings {
		if fmt.Sprint(m.ID) != meeting {
			fx.ids["{missed}"] = fmt.Sprint(m.ID)
		}
	}
	chromeDo(t, ctx, chromedp.SetValue("#f-status-"+fx.ids["{missed}"], "supplier_no_show"),
		chromedp.Click("#meeting-"+fx.ids["{missed}"]+" button"))
	chromeWait(t, ctx, `!!document.querySelector('#meeting-`+fx.ids["{missed}"]+` a.offer-link')`)
	look(t, "staff-offer", "/staff/events/{event}/meetings/{missed}/offer")
	look(t, "staff-badges", "/staff/events/{event}/badges")
	look(t, "staff-results", "/staff/events/{event}/results")

	eventsSignIn(t, ctx, fx, base, "buyer")
	look(t, "outcomes", "/events/{event}/outcomes?as={regBuyer}")
	chromeDo(t, ctx, chromedp.Navigate(base+fx.path("/en/events/{event}/outcomes?as={regBuyer}")), chromedp.WaitVisible("#meeting-"+meeting),
		chromedp.Click("#f-outcome-"+meeting+"-quotation"), chromedp.SendKeys("#f-notes-"+meeting, "Drawings by Friday"),
		chromedp.Click("#meeting-"+meeting+" button[type=submit]"))
	chromeWait(t, ctx, `location.search.includes('done=outcome_recorded') && !!document.querySelector('#f-outcome-`+meeting+`-quotation')`)
	if !chromeEval[bool](t, ctx, `document.querySelector('#f-outcome-`+meeting+`-quotation').checked`) {
		t.Fatal("the outcome is not shown as recorded")
	}
}
