package main

import (
	"crypto/subtle"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models/auth"
)

// maxUploadBody bounds an upload request: a 20 MB import file, a 10 MB scan, or 20 MB of
// attachments to an RFQ, with the form.
const maxUploadBody = 21 << 20

// uploadMemory is how much of an upload is held in memory; the rest waits in temporary files.
const uploadMemory = 32 << 20

// csrfField is the hidden form field (or X-CSRF-Token header) that carries the token.
const csrfField = "_csrf"

// anonCSRFCookie carries the token of a visitor without a session (the login and sign-up
// forms): the form repeats it, which a cross-site page cannot read.
const anonCSRFCookie = "portal_csrf"

// readOnlyPosts are POST routes that read public data and change nothing, so API clients may
// call them without a session or form token. A page on another site gains nothing by making a
// browser send one: browsers mark such a request cross-site, which CrossOriginProtection still
// refuses; the body must be application/json, which a cross-site form cannot send; and the
// answer is readable by anyone anyway. They are POSTs only because a requirement does not fit
// in a URL.
var readOnlyPosts = map[string]bool{"/api/v1/match": true}

// csrfProtect refuses a state-changing request that comes from another site: the browser's
// Sec-Fetch-Site and Origin headers must not name another origin (Go's CrossOriginProtection),
// and the form must carry the session's token, or for a visitor without a session the token of
// its cookie. Either failure answers 403.
func (s *Server) csrfProtect(next echo.HandlerFunc) echo.HandlerFunc {
	cop := http.NewCrossOriginProtection()
	return func(c echo.Context) error {
		r := c.Request()
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		if err := cop.Check(r); err != nil {
			return echo.NewHTTPError(http.StatusForbidden, "cross-site request refused")
		}
		if readOnlyPosts[r.URL.Path] {
			return next(c)
		}
		if isUpload(c) {
			// Reading the token parses the form: bound the body before anything is read, and
			// say so when files together pass the bound, rather than that the form expired.
			r.Body = http.MaxBytesReader(c.Response(), r.Body, maxUploadBody)
			var tooBig *http.MaxBytesError
			if err := r.ParseMultipartForm(uploadMemory); errors.As(err, &tooBig) {
				return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "the files together are too large")
			}
		}
		sent := c.FormValue(csrfField)
		if sent == "" {
			sent = r.Header.Get("X-CSRF-Token")
		}
		if want := s.csrfToken(c); want == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(want)) != 1 {
			return echo.NewHTTPError(http.StatusForbidden, "the form has expired; reload the page and try again")
		}
		return next(c)
	}
}

// csrfToken is the token forms of this request must carry: the session's, or the anonymous
// cookie's (made on first use).
func (s *Server) csrfToken(c echo.Context) string {
	if sess := sessionOf(c); sess != nil {
		return sess.CSRFToken
	}
	if v, ok := c.Get(anonCSRFCookie).(string); ok {
		return v
	}
	if ck, err := c.Cookie(anonCSRFCookie); err == nil && len(ck.Value) >= 32 {
		c.Set(anonCSRFCookie, ck.Value)
		return ck.Value
	}
	if c.Request().Method != http.MethodGet && c.Request().Method != http.MethodHead {
		return ""
	}
	token, _, err := auth.NewToken()
	if err != nil {
		return ""
	}
	c.SetCookie(&http.Cookie{Name: anonCSRFCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: s.secureCookies(c)})
	c.Set(anonCSRFCookie, token)
	return token
}
