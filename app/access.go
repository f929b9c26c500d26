package main

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
)

// access says who may use a route. Object-level rules (which firm) are checked again by the
// store inside every write; a route's access only keeps the wrong people from its pages.
type access string

// The access levels of routes.
const (
	anyone   access = "anyone"   // public pages, the login form
	signedIn access = "signedIn" // any account
	supplier access = "supplier" // supplier accounts (and staff, who act for firms)
	member   access = "member"   // members of the firm named by :firm, and staff
	buyer    access = "buyer"    // buyer accounts: shortlists, requests for quotation, saved searches
	staff    access = "staff"    // Department staff and admins
	admin    access = "admin"    // admins
	// operator is whoever holds the metrics token (Authorization: Bearer), whatever the session;
	// with no token configured nobody is.
	operator access = "operator"
)

// routeInfo is one registered route, for the authorization matrix test.
type routeInfo struct {
	Method, Path string
	Access       access
}

// handle registers h for method and path (and HEAD beside every GET) behind the guard for who.
// Pages are registered in both languages.
func (s *Server) handle(e *echo.Echo, method, path string, who access, h echo.HandlerFunc) {
	paths := []string{path}
	if localized(path) {
		paths = []string{path, "/en" + path}
		if path == "/" {
			paths = []string{"/", "/en", "/en/"}
		}
	}
	for _, p := range paths {
		lang := "vi"
		if p == "/en" || strings.HasPrefix(p, "/en/") {
			lang = "en"
		}
		hh := withLang(lang, s.guard(who, h))
		e.Add(method, p, hh)
		s.routeTable = append(s.routeTable, routeInfo{Method: method, Path: p, Access: who})
		if method == http.MethodGet {
			e.Add(http.MethodHead, p, hh)
		}
	}
}

// guard answers for the route before h runs: a page that needs an account sends the visitor to
// the login page and back; the API answers 401 or 403 in JSON.
func (s *Server) guard(who access, h echo.HandlerFunc) echo.HandlerFunc {
	switch who {
	case anyone:
		return h
	case operator:
		return s.requireMetricsToken(h)
	}
	return func(c echo.Context) error {
		a := actorOf(c)
		if a.UserID == 0 {
			if isAPI(c) {
				return echo.NewHTTPError(http.StatusUnauthorized, "sign in first")
			}
			if c.Request().Method != http.MethodGet {
				return echo.NewHTTPError(http.StatusUnauthorized, "sign in first")
			}
			return c.Redirect(http.StatusSeeOther, localPath(pageLang(c), "/login")+"?next="+urlQueryEscape(c.Request().URL.RequestURI()))
		}
		if !allowed(who, a, c) {
			return echo.NewHTTPError(http.StatusForbidden, "not allowed")
		}
		return h(c)
	}
}

// allowed reports whether the actor may use a route of level who.
func allowed(who access, a models.Actor, c echo.Context) bool {
	switch who {
	case signedIn:
		return true
	case supplier:
		return a.Role == models.RoleSupplier || a.IsStaff()
	case buyer:
		return a.CanSource()
	case member:
		id, ok := firmParam(c)
		return ok && a.CanEditFirm(id)
	case staff:
		return a.IsStaff()
	case admin:
		return a.IsAdmin()
	}
	return false
}

func isAPI(c echo.Context) bool { return strings.HasPrefix(c.Request().URL.Path, "/api/") }

// isProbe reports whether a path is one a load balancer or orchestrator polls.
func isProbe(path string) bool { return path == "/healthz" || path == "/readyz" }

// localized reports whether a path is a page, served in both languages; the API, assets and
// crawler files have one address.
func localized(path string) bool {
	for _, p := range []string{"/api/", "/static/", "/sitemap", "/robots.txt", "/healthz", "/readyz", "/metrics"} {
		if strings.HasPrefix(path, p) {
			return false
		}
	}
	return true
}
