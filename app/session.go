package main

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/store"
)

// sessionCookie carries the session token; the database keeps only its hash.
const sessionCookie = "portal_session"

// Keys of what loadSession puts in the request's context.
const (
	actorKey   = "actor"
	userKey    = "user"
	sessionKey = "session"
	tokenKey   = "session_token"
)

// loadSession finds the request's session, if any, and puts the account and its actor in the
// context. A cookie naming no live session is cleared.
func (s *Server) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		a := models.Actor{ClientAddr: c.RealIP()}
		if p := c.Request().URL.Path; strings.HasPrefix(p, "/static/") || isProbe(p) {
			c.Set(actorKey, a)
			return next(c)
		}
		ck, err := c.Cookie(sessionCookie)
		if err == nil && ck.Value != "" {
			sess, u, err := s.store.SessionByToken(c.Request().Context(), ck.Value, s.sessionLimits)
			switch {
			case err == nil:
				if a, err = s.store.ActorFor(c.Request().Context(), u, c.RealIP()); err != nil {
					return err
				}
				c.Set(userKey, u)
				c.Set(sessionKey, sess)
				c.Set(tokenKey, ck.Value)
			case errors.Is(err, models.ErrNotFound):
				s.clearSessionCookie(c)
			default:
				return err
			}
		}
		c.Set(actorKey, a)
		if _, ok := c.Get(userKey).(*models.User); ok {
			// Pages of an account are never cached by the browser or a proxy.
			c.Response().Header().Set("Cache-Control", "no-store")
		}
		return next(c)
	}
}

// actorOf is who makes the request: an account with its firms, or an anonymous visitor.
func actorOf(c echo.Context) models.Actor {
	a, _ := c.Get(actorKey).(models.Actor)
	return a
}

// userOf is the signed-in account, or nil.
func userOf(c echo.Context) *models.User {
	u, _ := c.Get(userKey).(*models.User)
	return u
}

// sessionOf is the request's session, or nil.
func sessionOf(c echo.Context) *models.Session {
	sess, _ := c.Get(sessionKey).(*models.Session)
	return sess
}

// signIn starts a new session for u, replacing any the browser had, and sets its cookie.
func (s *Server) signIn(c echo.Context, u *models.User) error {
	if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
		if err := s.store.EndSession(c.Request().Context(), ck.Value); err != nil {
			return err
		}
	}
	token, _, err := s.store.CreateSession(c.Request().Context(), u, c.RealIP(), c.Request().UserAgent(), s.sessionLimits)
	if err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.secureCookies(c), MaxAge: int(s.sessionLimits.Absolute / time.Second)})
	slog.Info("sign-in", "user", u.ID, "addr", c.RealIP())
	return nil
}

func (s *Server) clearSessionCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.secureCookies(c), MaxAge: -1})
}

// secureCookies is true when the portal is served over https, by its base URL or the request.
func (s *Server) secureCookies(c echo.Context) bool {
	if s.baseURL != "" {
		return len(s.baseURL) > 8 && s.baseURL[:8] == "https://"
	}
	return c.Scheme() == "https"
}

// defaultSessionLimits: a working day of inactivity ends a session, and none lives past a week.
var defaultSessionLimits = store.SessionLimits{Idle: 8 * time.Hour, Absolute: 7 * 24 * time.Hour}

// firmParam reads the :firm route parameter.
func firmParam(c echo.Context) (uint, bool) {
	return idParam(c, "firm")
}

// idParam reads a numeric route parameter.
func idParam(c echo.Context, name string) (uint, bool) {
	n, err := strconv.ParseUint(c.Param(name), 10, 32)
	return uint(n), err == nil && n > 0
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
