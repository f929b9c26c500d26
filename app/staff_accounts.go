package main

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
)

type staffAccountsData struct {
	staffPage
	Users  []models.User
	Roles  []models.Role
	Target string // the account whose form was refused: "user-12", or "invite"
	Self   uint
}

func (s *Server) accountsRender(c echo.Context, status int, f *form, target string) error {
	users, err := s.store.Users(c.Request().Context(), actorOf(c))
	if err != nil {
		return err
	}
	d := &staffAccountsData{staffPage: s.staffPageOf(c, f), Users: users, Roles: models.Roles, Target: target, Self: actorOf(c).UserID}
	return s.staffRender(c, status, "staff_accounts", "staff_accounts.title", d)
}

// staffAccounts lists every account with its role and state, with the forms that change them.
func (s *Server) staffAccounts(c echo.Context) error {
	return s.accountsRender(c, http.StatusOK, s.newForm(c), "")
}

// staffInvite creates an account and mails its owner a link to set a password.
func (s *Server) staffInvite(c echo.Context) error {
	f := s.newForm(c)
	in := models.UserInput{Email: c.FormValue("email"), Name: c.FormValue("name"), Role: models.Role(c.FormValue("role")),
		Lang: c.FormValue("lang"), Mail: models.TokenInvite, Verified: false}
	if err := in.Validate(); err != nil {
		s.setErrors(f, err)
		return s.accountsRender(c, http.StatusUnprocessableEntity, f, "invite")
	}
	if _, err := s.store.CreateUser(c.Request().Context(), actorOf(c), in); err != nil {
		if errors.Is(err, models.ErrConflict) {
			f.fail("email", s.tr(c, "staff.accounts.email_taken"))
			return s.accountsRender(c, http.StatusUnprocessableEntity, f, "invite")
		}
		if s.storeFormError(c, f, "email", err) {
			return s.accountsRender(c, http.StatusUnprocessableEntity, f, "invite")
		}
		return err
	}
	s.wake()
	return s.staffRedirect(c, "/staff/accounts", "invited")
}

// userTarget reads :user and checks the account exists.
func (s *Server) userTarget(c echo.Context) (*models.User, string, error) {
	id, ok := idParam(c, "user")
	if !ok {
		return nil, "", echo.ErrNotFound
	}
	u, err := s.store.UserByID(c.Request().Context(), id)
	if err != nil {
		return nil, "", err
	}
	return u, fmt.Sprintf("user-%d", id), nil
}

func (s *Server) staffSetRole(c echo.Context) error {
	u, target, err := s.userTarget(c)
	if err != nil {
		return err
	}
	f := s.newForm(c)
	if err := s.store.SetRole(c.Request().Context(), actorOf(c), u.ID, models.Role(c.FormValue("role"))); err != nil {
		if errors.Is(err, models.ErrConflict) {
			f.fail("role", s.tr(c, "staff.accounts.last_admin"))
			return s.accountsRender(c, http.StatusUnprocessableEntity, f, target)
		}
		if s.storeFormError(c, f, "role", err) {
			return s.accountsRender(c, http.StatusUnprocessableEntity, f, target)
		}
		return err
	}
	return s.staffRedirect(c, "/staff/accounts", "role_changed")
}

// staffDisable stops an account signing in, with the reason recorded in the audit log.
func (s *Server) staffDisable(c echo.Context) error {
	u, target, err := s.userTarget(c)
	if err != nil {
		return err
	}
	f := s.newForm(c)
	reason := strings.TrimSpace(c.FormValue("reason"))
	if reason == "" {
		f.fail("reason", s.tr(c, "validation.required"))
	} else if err := models.CheckReason("reason", reason); err != nil {
		s.setErrors(f, err)
	}
	if u.ID == actorOf(c).UserID {
		f.fail("reason", s.tr(c, "staff.accounts.not_self"))
	}
	if f.Failed() {
		return s.accountsRender(c, http.StatusUnprocessableEntity, f, target)
	}
	if err := s.store.DisableUser(c.Request().Context(), actorOf(c), u.ID, reason); err != nil {
		if s.storeFormError(c, f, "reason", err) {
			return s.accountsRender(c, http.StatusUnprocessableEntity, f, target)
		}
		return err
	}
	return s.staffRedirect(c, "/staff/accounts", "account_disabled")
}

// staffEndSessions signs an account out everywhere.
func (s *Server) staffEndSessions(c echo.Context) error {
	u, _, err := s.userTarget(c)
	if err != nil {
		return err
	}
	// An admin ending their own sessions keeps this one.
	var keep uint
	if sess := sessionOf(c); sess != nil && u.ID == actorOf(c).UserID {
		keep = sess.ID
	}
	if _, err := s.store.EndOtherSessions(c.Request().Context(), actorOf(c), u.ID, keep); err != nil {
		return err
	}
	return s.staffRedirect(c, "/staff/accounts", "account_sessions_ended")
}
