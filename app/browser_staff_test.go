package main

import (
	"context"
	"net"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/auth"
)

// staffBrowserFixture is the authorization fixture with something of every kind in the queue,
// an admin who can sign in with a password, served on a loopback port.
func staffBrowserFixture(t *testing.T) (*authzFixture, string) {
	t.Helper()
	fx := newAuthzFixture(t)
	ctx := context.Background()
	sys := models.SystemActor("test")
	if _, err := fx.store.AddScan(ctx, sys, fx.id(t, "{certA}"), models.CertificateScan{StoredName: "s.pdf",
		OriginalName: "iso9001.pdf", ContentType: "application/pdf", Size: 10}); err != nil {
		t.Fatal(err)
	}
	owner, _ := fx.store.ActorFor(ctx, fx.users["supplier of this firm"], "")
	f, _ := fx.store.FirmByID(ctx, fx.id(t, "{firmA}"))
	p := models.ProfileUpdateOf(f)
	p.NameEN = "An Phu Mechanical"
	if _, err := fx.store.UpdateProfile(ctx, owner, f.ID, p); err != nil {
		t.Fatal(err)
	}
	hash, err := auth.Hash(staffPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := fx.store.SetPassword(ctx, sys, fx.users["admin"].ID, hash); err != nil {
		t.Fatal(err)
	}
	return fx, serveLoopback(t, fx.srv)
}

// serveLoopback serves srv on a loopback port until the test ends and returns its base URL.
func serveLoopback(t *testing.T, srv *Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	serveCtx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.Serve(serveCtx, ln)
	}()
	t.Cleanup(func() {
		stop()
		<-done
	})
	return "http://" + ln.Addr().String()
}

const staffPassword = "a long pass phrase for the staff test"

func staffSignIn(t *testing.T, ctx context.Context, fx *authzFixture, base string) {
	t.Helper()
	chromeDo(t, ctx, chromedp.Navigate(base+"/en/login"), chromedp.WaitVisible("#f-email"),
		chromedp.SendKeys("#f-email", fx.users["admin"].Email), chromedp.SendKeys("#f-password", staffPassword),
		chromedp.Submit("#f-email"))
	chromeWait(t, ctx, `location.pathname === '/en/staff'`)
}

// TestBrowserStaffWithoutJavaScript decides from the queue with scripts off. (Refused forms
// answer 422, which the console watch counts as an error; the server tests cover them.)
func TestBrowserStaffWithoutJavaScript(t *testing.T) {
	fx, base := staffBrowserFixture(t)
	ctx := newBrowser(t, 1280)
	noScript := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})
	chromeDo(t, ctx, noScript)
	staffSignIn(t, ctx, fx, base)
	claim := "#claim-" + fx.ids["{claimA}"]
	chromeDo(t, ctx, chromedp.Navigate(base+"/en/staff/queue?kind=claim"), chromedp.WaitVisible(claim),
		chromedp.Click(claim+" input[value=approve]"), chromedp.Click(claim+" button[type=submit]"))
	chromeWait(t, ctx, `location.search.includes('done=claim_decided') && document.readyState === 'complete'`)
	a, _ := fx.store.ActorFor(context.Background(), fx.users["applicant"], "")
	if _, ok := a.Firms[fx.id(t, "{firmA}")]; !ok {
		t.Error("the approved applicant is not a member")
	}
}

// TestBrowserStaffAccessibility runs axe on every staff page in both languages, the queue
// holding an item of every kind.
func TestBrowserStaffAccessibility(t *testing.T) {
	fx, base := staffBrowserFixture(t)
	ctx := newBrowser(t, 1280)
	axe := axeSource(t)
	staffSignIn(t, ctx, fx, base)
	check := func(t *testing.T) { checkAxe(t, ctx, axe) }
	for _, lang := range languages {
		for _, p := range []string{"/staff", "/staff/queue", "/staff/audit", "/staff/import", "/staff/accounts", "/staff/taxonomy",
			"/staff/taxonomy/" + fx.ids["{term}"], "/staff/reference?zone=" + fx.ids["{zone}"], "/staff/firms/" + fx.ids["{firmA}"]} {
			t.Run(localPath(lang, p), func(t *testing.T) {
				chromeDo(t, ctx, chromedp.Navigate(base+localPath(lang, p)), chromedp.WaitReady("footer"))
				check(t)
			})
		}
	}
}
