package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/store"
	"github.com/hanoi-cnht/portal/models/store/storetest"
	"github.com/hanoi-cnht/portal/search"
)

// The roles of the authorization matrix, in the order of authzCase.Want.
var authzRoles = []string{"anonymous", "buyer", "supplier of this firm", "supplier of another firm", "staff", "admin"}

// authzCase says what each role gets from one route. Want has one letter a role: a (allowed:
// the route's own answer), l (sent to sign in: a redirect to the login page, or 401), d (denied:
// 403), n (not found: 404).
type authzCase struct {
	// Path is the address requested, with {firmA}, {firmB}, {certA}, {scanA}… from the fixture;
	// empty means the route's own path. Form values name the fixture's ids the same way.
	Path string
	Form url.Values
	Want string
}

// authzTables holds the cases by area, keyed "METHOD /path" as the route table names the
// Vietnamese route; each area's test file adds its table in an init function, and its
// fixture objects through authzSetups.
var authzTables = map[string]map[string]authzCase{"public": authzPublic, "account": authzAccount}

// authzSetups add what an area's cases need to the fixture (a claim, a scan…), naming them in
// fx.ids for the paths.
var authzSetups []func(ctx context.Context, fx *authzFixture) error

var authzPublic = map[string]authzCase{
	"GET /healthz":              {Want: "aaaaaa"},
	"GET /readyz":               {Want: "aaaaaa"},
	"GET /api/v1/suppliers":     {Want: "aaaaaa"},
	"GET /api/v1/suppliers/:id": {Path: "/api/v1/suppliers/0101234567", Want: "aaaaaa"},
	"GET /api/v1/openapi.json":  {Want: "aaaaaa"},
	"GET /api/v1/taxonomy":      {Want: "aaaaaa"},
	"GET /api/v1/suggest":       {Path: "/api/v1/suggest?q=khuon", Want: "aaaaaa"},
	"GET /static/*":             {Path: "/static/app.css", Want: "aaaaaa"},
	"GET /robots.txt":           {Want: "aaaaaa"},
	"GET /sitemap.xml":          {Want: "aaaaaa"},
	"GET /sitemap-:part":        {Path: "/sitemap-1.xml", Want: "nnnnnn"},
	"GET /":                     {Want: "aaaaaa"},
	"GET /search":               {Path: "/search?q=khuon", Want: "aaaaaa"},
	"GET /suppliers/:slug":      {Path: "/suppliers/{slugA}", Want: "aaaaaa"},
	"GET /browse":               {Want: "aaaaaa"},
	"GET /browse/:kind/:code":   {Path: "/browse/district/017", Want: "aaaaaa"},
	"GET /about":                {Want: "aaaaaa"},
	"GET /search/suggest":       {Path: "/search/suggest?q=khuon", Want: "aaaaaa"},
}

var authzAccount = map[string]authzCase{
	"GET /login":                        {Want: "aaaaaa"},
	"POST /login":                       {Form: url.Values{"email": {"nobody@example.com"}, "password": {"wrong password"}}, Want: "aaaaaa"},
	"POST /logout":                      {Want: "laaaaa"},
	"GET /signup":                       {Want: "aaaaaa"},
	"POST /signup":                      {Form: url.Values{"email": {"x"}}, Want: "aaaaaa"},
	"GET /setup":                        {Path: "/setup?token=bad", Want: "nnnnnn"},
	"POST /setup":                       {Form: url.Values{"token": {"bad"}, "email": {"a@b.vn"}, "name": {"A"}, "password": {"a long pass phrase"}}, Want: "nnnnnn"},
	"GET /password/forgot":              {Want: "aaaaaa"},
	"POST /password/forgot":             {Form: url.Values{"email": {"nobody@example.com"}}, Want: "aaaaaa"},
	"GET /password/reset":               {Path: "/password/reset?token=bad", Want: "nnnnnn"},
	"POST /password/reset":              {Form: url.Values{"token": {"bad"}}, Want: "nnnnnn"},
	"GET /account/verify":               {Path: "/account/verify?token=bad", Want: "nnnnnn"},
	"POST /account/verify":              {Form: url.Values{"token": {"bad"}}, Want: "nnnnnn"},
	"GET /account":                      {Want: "laaaaa"},
	"POST /account/verify/resend":       {Want: "laaaaa"},
	"POST /account/password":            {Form: url.Values{"current_password": {"wrong"}}, Want: "laaaaa"},
	"POST /account/email":               {Form: url.Values{"email_password": {"wrong"}}, Want: "laaaaa"},
	"GET /account/email/confirm":        {Path: "/account/email/confirm?token=bad", Want: "nnnnnn"},
	"POST /account/email/confirm":       {Form: url.Values{"token": {"bad"}}, Want: "nnnnnn"},
	"GET /account/sessions":             {Want: "laaaaa"},
	"POST /account/sessions/end-others": {Want: "laaaaa"},
}

// authzFixture is a portal with two firms, an account of each role and the ids the cases use.
type authzFixture struct {
	srv   *Server
	store *store.Store
	users map[string]*models.User // by role name of authzRoles (but anonymous)
	ids   map[string]string       // {firmA} → "12"
}

func newAuthzFixture(t testing.TB) *authzFixture {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db := storetest.OpenIn(t, dir)
	ref := db.Reference()
	sector := ref.TermsOfKind(models.KindSector)[0]
	a := &models.Firm{TaxCode: "0101234567", NameVI: "Công ty TNHH Cơ khí An Phú", Website: "https://anphu.example.vn",
		Terms: []models.Term{sector}, Sites: []models.Site{{District: "017"}},
		Certificates: []models.Certificate{{Standard: "ISO 9001", Number: "Q-1"}}}
	b := &models.Firm{TaxCode: "0107654321", NameVI: "Công ty TNHH Nhựa Bình Minh", Terms: []models.Term{sector},
		Certificates: []models.Certificate{{Standard: "ISO 14001"}}}
	if _, err := db.SaveFirms(ctx, []*models.Firm{a, b}); err != nil {
		t.Fatal(err)
	}
	a, _ = db.FirmByTaxCode(ctx, a.TaxCode)
	b, _ = db.FirmByTaxCode(ctx, b.TaxCode)
	index, err := search.Open(filepath.Join(dir, "index"), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { index.Close() })
	srv, err := NewServer(db, index)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	srv.dataDir = dir
	fx := &authzFixture{srv: srv, store: db, users: map[string]*models.User{}, ids: map[string]string{
		"{firmA}": fmt.Sprint(a.ID), "{firmB}": fmt.Sprint(b.ID), "{slugA}": a.Slug,
		"{certA}": fmt.Sprint(a.Certificates[0].ID), "{certB}": fmt.Sprint(b.Certificates[0].ID)}}
	sys := models.SystemActor("test")
	for i, r := range []models.Role{models.RoleBuyer, models.RoleSupplier, models.RoleSupplier, models.RoleStaff, models.RoleAdmin} {
		name := authzRoles[i+1]
		u, err := db.CreateUser(ctx, sys, models.UserInput{Email: fmt.Sprintf("role%d@example.com", i), Name: name, Role: r, Verified: true,
			PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"})
		if err != nil {
			t.Fatal(err)
		}
		fx.users[name] = u
		fx.ids["{user"+fmt.Sprint(i)+"}"] = fmt.Sprint(u.ID)
	}
	if err := db.AddMember(ctx, sys, a.ID, fx.users["supplier of this firm"].ID, models.MemberOwner); err != nil {
		t.Fatal(err)
	}
	if err := db.AddMember(ctx, sys, b.ID, fx.users["supplier of another firm"].ID, models.MemberOwner); err != nil {
		t.Fatal(err)
	}
	for _, setup := range authzSetups {
		if err := setup(ctx, fx); err != nil {
			t.Fatal(err)
		}
	}
	return fx
}

// request makes one request as role, with a fresh session and a valid form token, and says
// which outcome it got.
func (fx *authzFixture) request(t *testing.T, role, method, path string, form url.Values) (byte, int) {
	t.Helper()
	body := url.Values{}
	for k, vs := range form {
		for _, v := range vs {
			for id, value := range fx.ids {
				v = strings.ReplaceAll(v, id, value)
			}
			body.Add(k, v)
		}
	}
	var cookies []*http.Cookie
	if u := fx.users[role]; u != nil {
		token, sess, err := fx.store.CreateSession(context.Background(), u, "127.0.0.1", "authz", fx.srv.sessionLimits)
		if err != nil {
			t.Fatal(err)
		}
		cookies = append(cookies, &http.Cookie{Name: sessionCookie, Value: token})
		body.Set(csrfField, sess.CSRFToken)
	} else {
		const anon = "anonymous-form-token-0123456789abcdef0123"
		cookies = append(cookies, &http.Cookie{Name: anonCSRFCookie, Value: anon})
		body.Set(csrfField, anon)
	}
	var req *http.Request
	if method == http.MethodGet || method == http.MethodHead {
		req = httptest.NewRequest(method, path, nil)
	} else {
		req = httptest.NewRequest(method, path, strings.NewReader(body.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	fx.srv.ServeHTTP(rec, req)
	switch loc := rec.Header().Get("Location"); {
	case rec.Code == http.StatusUnauthorized, rec.Code == http.StatusSeeOther && strings.Contains(loc, "/login?next="):
		return 'l', rec.Code
	case rec.Code == http.StatusForbidden:
		return 'd', rec.Code
	case rec.Code == http.StatusNotFound:
		return 'n', rec.Code
	}
	return 'a', rec.Code
}

// TestAuthorizationMatrix requests every registered route as every role and compares what each
// gets with the table; a route without an entry fails the test.
func TestAuthorizationMatrix(t *testing.T) {
	fx := newAuthzFixture(t)
	cases := map[string]authzCase{}
	for area, table := range authzTables {
		for k, v := range table {
			if _, dup := cases[k]; dup {
				t.Errorf("%s: %s has two entries", area, k)
			}
			cases[k] = v
		}
	}
	seen := map[string]bool{}
	routes := append([]routeInfo{}, fx.srv.routeTable...)
	sort.Slice(routes, func(i, j int) bool { return routes[i].Path+routes[i].Method < routes[j].Path+routes[j].Method })
	checked := 0
	for _, r := range routes {
		base := strings.TrimPrefix(r.Path, "/en")
		if base == "" {
			base = "/"
		}
		key := r.Method + " " + base
		c, ok := cases[key]
		if !ok {
			t.Errorf("route %s %s has no entry in the authorization matrix", r.Method, r.Path)
			continue
		}
		seen[key] = true
		path := c.Path
		if path == "" {
			path = base
		}
		for k, v := range fx.ids {
			path = strings.ReplaceAll(path, k, v)
		}
		if strings.HasPrefix(r.Path, "/en") {
			path = "/en" + path
			if base == "/" {
				path = r.Path
			}
		}
		if len(c.Want) != len(authzRoles) {
			t.Fatalf("%s: want %q names %d roles, not %d", key, c.Want, len(c.Want), len(authzRoles))
		}
		for i, role := range authzRoles {
			got, status := fx.request(t, role, r.Method, path, c.Form)
			if status >= 500 {
				t.Errorf("%s %s as %s: status %d", r.Method, path, role, status)
			}
			if got != c.Want[i] {
				t.Errorf("%s %s as %s: got %c (status %d), want %c", r.Method, path, role, got, status, c.Want[i])
			}
			checked++
		}
	}
	for k := range cases {
		if !seen[k] {
			t.Errorf("the matrix has %s, which is not a route", k)
		}
	}
	t.Logf("%d routes × %d roles: %d requests checked", len(routes), len(authzRoles), checked)
}
