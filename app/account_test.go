package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/auth"
)

// client is a cookie-keeping client of the server in tests.
type client struct {
	t       testing.TB
	srv     http.Handler
	cookies map[string]*http.Cookie
}

func newClient(t testing.TB, srv http.Handler) *client {
	return &client{t: t, srv: srv, cookies: map[string]*http.Cookie{}}
}

func (b *client) do(req *http.Request) *httptest.ResponseRecorder {
	for _, c := range b.cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	b.srv.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	return rec
}

func (b *client) get(path string) *httptest.ResponseRecorder {
	return b.do(httptest.NewRequest(http.MethodGet, path, nil))
}

// formToken fetches path and returns the form token its first form carries.
func (b *client) formToken(path string) string {
	b.t.Helper()
	rec := b.get(path)
	doc, err := goquery.NewDocumentFromReader(rec.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	token, _ := doc.Find(`input[name="_csrf"]`).First().Attr("value")
	if token == "" {
		b.t.Fatalf("%s (status %d) has no form token", path, rec.Code)
	}
	return token
}

func (b *client) post(path string, form url.Values, headers ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.do(req)
}

const testPassword = "hoa sen trắng nở 2026"

func addAccount(t testing.TB, fx *authzFixture, email string, role models.Role) *models.User {
	t.Helper()
	hash, err := auth.Hash(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	u, err := fx.store.CreateUser(context.Background(), models.SystemActor("test"),
		models.UserInput{Email: email, Name: "Người Thử", Role: role, PasswordHash: hash, Verified: true})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (b *client) login(email, password string) *httptest.ResponseRecorder {
	b.t.Helper()
	token := b.formToken("/login")
	return b.post("/login", url.Values{"_csrf": {token}, "email": {email}, "password": {password}})
}

func TestLoginRotatesTheSession(t *testing.T) {
	fx := newAuthzFixture(t)
	addAccount(t, fx, "mua@example.com", models.RoleBuyer)
	b := newClient(t, fx.srv)
	// A session id chosen by someone else before the login (fixation) is never adopted.
	planted := "planted-by-an-attacker-0123456789abcdefghijkl"
	b.cookies[sessionCookie] = &http.Cookie{Name: sessionCookie, Value: planted}
	rec := b.login("mua@example.com", testPassword)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/account" {
		t.Fatalf("login: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	got := b.cookies[sessionCookie]
	if got == nil || got.Value == planted || !got.HttpOnly || got.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie after login: %+v", got)
	}
	// Signing in again from a signed-in browser replaces its session too.
	first := got.Value
	rec = b.post("/login", url.Values{"_csrf": {b.formToken("/account")}, "email": {"mua@example.com"}, "password": {testPassword}})
	if rec.Code != http.StatusSeeOther || b.cookies[sessionCookie].Value == first {
		t.Fatalf("second login: %d, same session %v", rec.Code, b.cookies[sessionCookie].Value == first)
	}
	if _, _, err := fx.store.SessionByToken(context.Background(), first, fx.srv.sessionLimits); err == nil {
		t.Fatal("the session from before the second login still works")
	}
	if rec := b.get("/account"); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "mua@example.com") {
		t.Fatalf("account page after login: %d", rec.Code)
	}
	// Logout ends the session on the server, not only in the browser.
	token := b.cookies[sessionCookie].Value
	if rec := b.post("/logout", url.Values{"_csrf": {b.formToken("/account")}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("logout: %d", rec.Code)
	}
	if _, _, err := fx.store.SessionByToken(context.Background(), token, fx.srv.sessionLimits); err == nil {
		t.Fatal("the session works after logout")
	}
	if rec := b.get("/account"); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login?next=") {
		t.Fatalf("account page after logout: %d %s", rec.Code, rec.Header().Get("Location"))
	}
}

func TestLoginFailuresLookAlikeAndAreThrottled(t *testing.T) {
	fx := newAuthzFixture(t)
	addAccount(t, fx, "nha-cung-cap@example.com", models.RoleSupplier)
	b := newClient(t, fx.srv)
	unknown := b.login("khong-co@example.com", testPassword)
	wrong := b.login("nha-cung-cap@example.com", "sai mật khẩu rồi")
	if unknown.Code != wrong.Code || unknown.Code != http.StatusUnprocessableEntity {
		t.Fatalf("unknown e-mail %d, wrong password %d", unknown.Code, wrong.Code)
	}
	msg := func(r *httptest.ResponseRecorder) string {
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(r.Body.String()))
		return doc.Find(".error-message").Text()
	}
	if msg(unknown) == "" || msg(unknown) != msg(wrong) {
		t.Fatalf("messages differ: %q vs %q", msg(unknown), msg(wrong))
	}
	var last *httptest.ResponseRecorder
	for range auth.DefaultThrottleLimit {
		last = b.login("nha-cung-cap@example.com", "sai mật khẩu rồi")
	}
	if last.Code != http.StatusTooManyRequests || last.Header().Get("Retry-After") == "" {
		t.Fatalf("after %d failures: %d, Retry-After %q", auth.DefaultThrottleLimit+1, last.Code, last.Header().Get("Retry-After"))
	}
	// Even the right password waits until the lock ends.
	if rec := b.login("nha-cung-cap@example.com", testPassword); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("right password while locked: %d", rec.Code)
	}
}

// TestStateChangingRoutesRefuseForgery posts to every state-changing route from another site,
// and without the form token: each answers 403 and changes nothing.
func TestStateChangingRoutesRefuseForgery(t *testing.T) {
	fx := newAuthzFixture(t)
	u := addAccount(t, fx, "csrf@example.com", models.RoleAdmin)
	token, sess, err := fx.store.CreateSession(context.Background(), u, "", "", fx.srv.sessionLimits)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, r := range fx.srv.routeTable {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			continue
		}
		path := r.Path
		for k, v := range fx.ids {
			path = strings.ReplaceAll(path, ":"+strings.Trim(k, "{}"), v)
		}
		path = strings.NewReplacer(":firm", fx.ids["{firmA}"], ":cert", fx.ids["{certA}"], ":id", "1", ":user", fx.ids["{user0}"], ":scan", "1", ":code", "co-khi").Replace(path)
		for _, tc := range []struct {
			name    string
			form    url.Values
			headers []string
		}{
			{"CrossSite", url.Values{"_csrf": {sess.CSRFToken}}, []string{"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"}},
			{"NoToken", url.Values{}, nil},
			{"WrongToken", url.Values{"_csrf": {"x" + sess.CSRFToken[1:]}}, nil},
		} {
			if readOnlyPosts[path] && tc.name != "CrossSite" {
				continue // reads public data: needs no token, but a browser on another site is still refused
			}
			b := newClient(t, fx.srv)
			b.cookies[sessionCookie] = &http.Cookie{Name: sessionCookie, Value: token}
			if rec := b.post(path, tc.form, tc.headers...); rec.Code != http.StatusForbidden {
				t.Errorf("%s %s (%s): %d, want 403", r.Method, path, tc.name, rec.Code)
			}
			checked++
		}
	}
	if checked < 20 {
		t.Fatalf("only %d forged requests checked", checked)
	}
	if _, _, err := fx.store.SessionByToken(context.Background(), token, fx.srv.sessionLimits); err != nil {
		t.Fatal("a forged logout ended the session")
	}
}

func TestHeadAnswersLikeGet(t *testing.T) {
	fx := newAuthzFixture(t)
	for _, path := range []string{"/", "/en/", "/search?q=khuon", "/about", "/login", "/healthz", "/api/v1/taxonomy", "/sitemap.xml"} {
		get := httptest.NewRecorder()
		fx.srv.ServeHTTP(get, httptest.NewRequest(http.MethodGet, path, nil))
		head := httptest.NewRecorder()
		fx.srv.ServeHTTP(head, httptest.NewRequest(http.MethodHead, path, nil))
		if head.Code != get.Code || head.Header().Get("Content-Type") != get.Header().Get("Content-Type") {
			t.Errorf("HEAD %s: %d %q, GET: %d %q", path, head.Code, head.Header().Get("Content-Type"), get.Code, get.Header().Get("Content-Type"))
		}
	}
	// Through a real server, HEAD sends no body.
	ts := httptest.NewServer(fx.srv)
	defer ts.Close()
	res, err := http.Head(ts.URL + "/about")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if n, _ := res.Body.Read(make([]byte, 1)); res.StatusCode != 200 || n != 0 {
		t.Fatalf("HEAD /about: %d with %d body bytes", res.StatusCode, n)
	}
}

func TestSignUpAndResetByMail(t *testing.T) {
	ctx := context.Background()
	fx := newAuthzFixture(t)
	b := newClient(t, fx.srv)
	token := b.formToken("/en/signup")
	// Refused: the form keeps what was typed, errors beside their fields.
	rec := b.post("/en/signup", url.Values{"_csrf": {token}, "email": {"moi@example.com"}, "name": {"<script>x</script>"}, "password": {"password1"}, "role": {"buyer"}})
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `value="moi@example.com"`) ||
		!strings.Contains(rec.Body.String(), "too common") || strings.Contains(rec.Body.String(), "<script>x") {
		t.Fatalf("weak password: %d", rec.Code)
	}
	rec = b.post("/en/signup", url.Values{"_csrf": {token}, "email": {"moi@example.com"}, "name": {"Lan"}, "password": {testPassword}, "role": {"supplier"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("sign-up: %d %s", rec.Code, rec.Body.String())
	}
	// The fixture's requests for quotation queued mail to the firms; the new account gets one.
	all, _ := fx.store.DueMails(ctx, fx.srv.now().Add(1e9), 100)
	mails := slices.DeleteFunc(all, func(m models.Mail) bool { return m.Recipient != "moi@example.com" })
	if len(mails) != 1 || mails[0].Lang != "en" || !strings.Contains(mails[0].Body, "/en/account/verify?token=") {
		t.Fatalf("verification mail: %+v", mails)
	}
	// A reset link works once.
	anon := newClient(t, fx.srv)
	if rec := anon.post("/password/forgot", url.Values{"_csrf": {anon.formToken("/password/forgot")}, "email": {"moi@example.com"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("forgot: %d", rec.Code)
	}
	mails, _ = fx.store.DueMails(ctx, fx.srv.now().Add(1e9), 100)
	link := ""
	for _, m := range mails {
		if i := strings.Index(m.Body, "/password/reset?token="); i >= 0 {
			link = strings.Fields(m.Body[i:])[0]
		}
	}
	if link == "" {
		t.Fatalf("no reset link mailed: %+v", mails)
	}
	resetToken := strings.TrimPrefix(link, "/password/reset?token=")
	form := url.Values{"_csrf": {anon.formToken(link)}, "token": {resetToken}, "password": {"một mật khẩu mới dài"}}
	if rec := anon.post("/password/reset", form); rec.Code != http.StatusSeeOther {
		t.Fatalf("reset: %d", rec.Code)
	}
	if rec := anon.post("/password/reset", form); rec.Code != http.StatusNotFound {
		t.Fatalf("second use of the reset link: %d", rec.Code)
	}
	if rec := anon.login("moi@example.com", "một mật khẩu mới dài"); rec.Code != http.StatusSeeOther {
		t.Fatalf("login with the new password: %d", rec.Code)
	}
	u, _ := fx.store.UserByEmail(ctx, "moi@example.com")
	if !strings.HasPrefix(u.PasswordHash, "$argon2id$") || models.Role(u.Role) != models.RoleSupplier {
		t.Fatalf("stored account: %+v", u)
	}
}

func TestPagesThatNeedAnAccount(t *testing.T) {
	fx := newAuthzFixture(t)
	rec := newClient(t, fx.srv).get("/en/account/sessions")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/en/login?next=%2Fen%2Faccount%2Fsessions" {
		t.Fatalf("%d %s", rec.Code, rec.Header().Get("Location"))
	}
	for _, next := range []string{"https://evil.example/", "//evil.example/", "/\\evil.example"} {
		if safeNext(next) != "" {
			t.Errorf("next %q is kept", next)
		}
	}
}

// BenchmarkLogin measures a whole sign-in through the server: the form, the Argon2id check and
// the new session. go test ./app -run '^$' -bench Login -benchtime 50x
func BenchmarkLogin(b *testing.B) {
	fx := newAuthzFixture(b)
	addAccount(b, fx, "bench@example.com", models.RoleBuyer)
	c := newClient(b, fx.srv)
	token := c.formToken("/login")
	form := url.Values{"_csrf": {token}, "email": {"bench@example.com"}, "password": {testPassword}}
	for b.Loop() {
		anon := newClient(b, fx.srv)
		anon.cookies[anonCSRFCookie] = c.cookies[anonCSRFCookie]
		if rec := anon.post("/login", form); rec.Code != http.StatusSeeOther {
			b.Fatalf("login: %d", rec.Code)
		}
	}
}
