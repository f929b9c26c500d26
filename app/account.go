package main

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/auth"
)

// accountData is what the account pages show besides their form.
type accountData struct {
	Form     *form
	User     *models.User
	Firms    []*models.Firm
	Sessions []sessionView
	Token    string // the single-use link's token, carried by the form behind it
	IsStaff  bool
	// Owner says of each firm whether the account owns it (and may manage members, read history).
	Owner map[uint]bool
	// Events invite the account's firms to the events open for registration.
	Events []eventInvite
}

type sessionView struct {
	ID         uint
	Current    bool
	Started    time.Time
	LastSeen   time.Time
	ClientAddr string
	UserAgent  string
}

func (s *Server) accountRender(c echo.Context, status int, name, titleKey string, d *accountData) error {
	p := s.newPage(c, "account", s.tr(c, titleKey), "")
	p.NoIndex, p.Data = true, d
	return s.render(c, status, name, p)
}

func (s *Server) loginPage(c echo.Context) error {
	if userOf(c) != nil {
		return c.Redirect(http.StatusSeeOther, s.homeOf(c, userOf(c)))
	}
	return s.accountRender(c, http.StatusOK, "login", "login.title", &accountData{Form: s.newForm(c)})
}

// login signs an account in. An unknown address and a wrong password cost the same time and get
// the same answer; failures are counted per address and per account, and past the limit the
// form answers 429 with Retry-After.
func (s *Server) login(c echo.Context) error {
	f := s.newForm(c)
	email, _ := models.NormalizeEmail(c.FormValue("email"))
	password := c.FormValue("password")
	keys := []string{"ip:" + c.RealIP(), "acct:" + email}
	for _, k := range keys {
		if ok, wait := s.throttle.Allow(k); !ok {
			slog.Warn("sign-in throttled", "addr", c.RealIP(), "email", email)
			c.Response().Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
			f.fail("email", s.tr(c, "login.throttled", "Minutes", int(wait.Minutes())+1))
			return s.accountRender(c, http.StatusTooManyRequests, "login", "login.title", &accountData{Form: f})
		}
	}
	u, err := s.store.UserByEmail(c.Request().Context(), email)
	ok := false
	switch {
	case err == nil:
		var rehash bool
		ok, rehash, err = auth.Verify(password, u.PasswordHash)
		if err != nil {
			slog.Error("stored password hash unreadable", "user", u.ID, "err", err)
			ok = false
		}
		ok = ok && !u.Disabled()
		if ok && rehash {
			if h, err := auth.Hash(password); err == nil {
				a, _ := s.store.ActorFor(c.Request().Context(), u, c.RealIP())
				s.store.SetPassword(c.Request().Context(), a, u.ID, h)
			}
		}
	case errors.Is(err, models.ErrNotFound):
		auth.VerifyDummy(password)
	default:
		return err
	}
	if !ok {
		for _, k := range keys {
			s.throttle.Fail(k)
		}
		slog.Warn("sign-in failed", "addr", c.RealIP(), "email", email)
		f.fail("email", s.tr(c, "login.failed"))
		return s.accountRender(c, http.StatusUnprocessableEntity, "login", "login.title", &accountData{Form: f})
	}
	s.throttle.Reset("acct:" + email)
	if err := s.signIn(c, u); err != nil {
		return err
	}
	next := f.Next
	if next == "" {
		next = s.homeOf(c, u)
	}
	return c.Redirect(http.StatusSeeOther, next)
}

// homeOf is where an account lands after signing in.
func (s *Server) homeOf(c echo.Context, u *models.User) string {
	if u.Role == models.RoleStaff || u.Role == models.RoleAdmin {
		return localPath(pageLang(c), "/staff")
	}
	return localPath(pageLang(c), "/account")
}

func (s *Server) logout(c echo.Context) error {
	if token, ok := c.Get(tokenKey).(string); ok {
		if err := s.store.EndSession(c.Request().Context(), token); err != nil {
			return err
		}
	}
	s.clearSessionCookie(c)
	return c.Redirect(http.StatusSeeOther, localPath(pageLang(c), "/"))
}

func (s *Server) signupPage(c echo.Context) error {
	return s.accountRender(c, http.StatusOK, "signup", "signup.title", &accountData{Form: s.newForm(c)})
}

// signup makes a buyer or supplier account, signs it in and mails the link that confirms the
// address.
func (s *Server) signup(c echo.Context) error {
	f := s.newForm(c)
	in := models.UserInput{Email: c.FormValue("email"), Name: c.FormValue("name"), Role: models.Role(c.FormValue("role")),
		Lang: pageLang(c), Mail: models.TokenVerifyEmail}
	if in.Role != models.RoleBuyer && in.Role != models.RoleSupplier {
		f.fail("role", s.tr(c, "signup.role_required"))
	}
	password := c.FormValue("password")
	if err := auth.CheckPolicy(password, in.Email, in.Name); err != nil {
		s.setErrors(f, err)
	}
	if err := in.Validate(); err != nil {
		s.setErrors(f, err)
	}
	if f.Failed() {
		return s.accountRender(c, http.StatusUnprocessableEntity, "signup", "signup.title", &accountData{Form: f})
	}
	hash, err := auth.Hash(password)
	if err != nil {
		return err
	}
	in.PasswordHash = hash
	u, err := s.store.CreateUser(c.Request().Context(), actorOf(c), in)
	if errors.Is(err, models.ErrConflict) {
		// Saying that the address has an account would tell anyone who has one; the owner of the
		// address is better served by the reset link.
		f.fail("email", s.tr(c, "signup.email_taken"))
		return s.accountRender(c, http.StatusUnprocessableEntity, "signup", "signup.title", &accountData{Form: f})
	}
	if err != nil {
		return err
	}
	s.wake()
	if err := s.signIn(c, u); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, localPath(pageLang(c), "/account")+"?done=signed_up")
}

// setupPage serves the one-time link the server prints when no admin exists yet.
func (s *Server) setupPage(c echo.Context) error {
	token := c.QueryParam("token")
	if _, err := s.store.PeekToken(c.Request().Context(), token, models.TokenFirstAdmin); err != nil {
		return badLink()
	}
	return s.accountRender(c, http.StatusOK, "setup", "setup.title", &accountData{Form: s.newForm(c), Token: token})
}

// setup creates the first admin from the one-time link.
func (s *Server) setup(c echo.Context) error {
	f := s.newForm(c)
	token := c.FormValue("token")
	in := models.UserInput{Email: c.FormValue("email"), Name: c.FormValue("name"), Role: models.RoleAdmin, Lang: pageLang(c), Verified: true}
	password := c.FormValue("password")
	if err := auth.CheckPolicy(password, in.Email, in.Name); err != nil {
		s.setErrors(f, err)
	}
	if err := in.Validate(); err != nil {
		s.setErrors(f, err)
	}
	if f.Failed() {
		return s.accountRender(c, http.StatusUnprocessableEntity, "setup", "setup.title", &accountData{Form: f, Token: token})
	}
	if _, err := s.store.UseToken(c.Request().Context(), token, models.TokenFirstAdmin); err != nil {
		return badLink()
	}
	hash, err := auth.Hash(password)
	if err != nil {
		return err
	}
	in.PasswordHash = hash
	u, err := s.store.CreateUser(c.Request().Context(), models.SystemActor("setup link"), in)
	if err != nil {
		return err
	}
	if err := s.signIn(c, u); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, s.homeOf(c, u))
}

func (s *Server) forgotPage(c echo.Context) error {
	return s.accountRender(c, http.StatusOK, "forgot", "forgot.title", &accountData{Form: s.newForm(c)})
}

// forgot mails a reset link; the answer is the same whether or not the address has an account.
func (s *Server) forgot(c echo.Context) error {
	f := s.newForm(c)
	email, ok := models.NormalizeEmail(c.FormValue("email"))
	if !ok {
		f.fail("email", s.tr(c, "validation.email", "Value", strconv.Quote(c.FormValue("email"))))
		return s.accountRender(c, http.StatusUnprocessableEntity, "forgot", "forgot.title", &accountData{Form: f})
	}
	for _, k := range []string{"ip:" + c.RealIP(), "reset:" + email} {
		if allowed, wait := s.throttle.Allow(k); !allowed {
			c.Response().Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
			f.fail("email", s.tr(c, "login.throttled", "Minutes", int(wait.Minutes())+1))
			return s.accountRender(c, http.StatusTooManyRequests, "forgot", "forgot.title", &accountData{Form: f})
		}
		// Every request counts: a reset mail is sent at most Limit times a window per address.
		s.throttle.Fail(k)
	}
	if err := s.store.RequestPasswordReset(c.Request().Context(), email); err != nil {
		return err
	}
	s.wake()
	slog.Info("password reset requested", "addr", c.RealIP())
	return c.Redirect(http.StatusSeeOther, localPath(pageLang(c), "/password/forgot")+"?done=reset_sent")
}

func (s *Server) resetPage(c echo.Context) error {
	token := c.QueryParam("token")
	if _, err := s.peekResetToken(c, token); err != nil {
		return badLink()
	}
	return s.accountRender(c, http.StatusOK, "reset", "reset.title", &accountData{Form: s.newForm(c), Token: token})
}

func (s *Server) peekResetToken(c echo.Context, token string) (*models.Token, error) {
	t, err := s.store.PeekToken(c.Request().Context(), token, models.TokenReset)
	if err != nil {
		t, err = s.store.PeekToken(c.Request().Context(), token, models.TokenInvite)
	}
	return t, err
}

// reset sets a new password from a reset or invitation link, which works once.
func (s *Server) reset(c echo.Context) error {
	f := s.newForm(c)
	token := c.FormValue("token")
	t, err := s.peekResetToken(c, token)
	if err != nil || t.UserID == nil {
		return badLink()
	}
	u, err := s.store.UserByID(c.Request().Context(), *t.UserID)
	if err != nil {
		return err
	}
	password := c.FormValue("password")
	if err := auth.CheckPolicy(password, u.Email, u.Name); err != nil {
		s.setErrors(f, err)
		return s.accountRender(c, http.StatusUnprocessableEntity, "reset", "reset.title", &accountData{Form: f, Token: token})
	}
	if _, err := s.store.UseToken(c.Request().Context(), token, t.Purpose); err != nil {
		return badLink()
	}
	hash, err := auth.Hash(password)
	if err != nil {
		return err
	}
	sys := models.SystemActor("password link")
	if err := s.store.SetPassword(c.Request().Context(), sys, u.ID, hash); err != nil {
		return err
	}
	if u.EmailVerifiedAt == nil {
		// The link reached the address, which proves it.
		if err := s.store.MarkEmailVerified(c.Request().Context(), sys, u.ID); err != nil {
			return err
		}
	}
	slog.Info("password set from a link", "user", u.ID, "addr", c.RealIP())
	return c.Redirect(http.StatusSeeOther, localPath(pageLang(c), "/login")+"?done=password_set")
}

func (s *Server) verifyPage(c echo.Context) error {
	return s.linkPage(c, models.TokenVerifyEmail, "verify", "verify.title")
}

// linkPage serves the page behind a single-use link: a form that spends it, shown only while
// the link is good.
func (s *Server) linkPage(c echo.Context, purpose models.TokenPurpose, name, titleKey string) error {
	token := c.QueryParam("token")
	if _, err := s.store.PeekToken(c.Request().Context(), token, purpose); err != nil {
		return badLink()
	}
	return s.accountRender(c, http.StatusOK, name, titleKey, &accountData{Form: s.newForm(c), Token: token})
}

// badLink is the answer to a single-use link that is unknown, used or expired.
func badLink() error {
	return echo.NewHTTPError(http.StatusNotFound, "the link is invalid, used or expired")
}

// verify confirms an account's address from the link mailed to it. The page asks for a click
// rather than confirming on GET, so a mail scanner that opens links confirms nothing.
func (s *Server) verify(c echo.Context) error {
	t, err := s.store.UseToken(c.Request().Context(), c.FormValue("token"), models.TokenVerifyEmail)
	if err != nil || t.UserID == nil {
		return badLink()
	}
	if err := s.store.MarkEmailVerified(c.Request().Context(), models.SystemActor("verification link"), *t.UserID); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, localPath(pageLang(c), "/account")+"?done=verified")
}

func (s *Server) accountPage(c echo.Context) error {
	u := userOf(c)
	a := actorOf(c)
	ids := make([]uint, 0, len(a.Firms))
	for id := range a.Firms {
		ids = append(ids, id)
	}
	firms, err := s.store.FirmsByIDs(c.Request().Context(), ids)
	if err != nil {
		return err
	}
	d := &accountData{Form: s.newForm(c), User: u, Firms: firms, IsStaff: a.IsStaff(), Owner: map[uint]bool{}}
	for id := range a.Firms {
		d.Owner[id] = a.CanManageMembers(id)
	}
	for _, f := range firms {
		d.Events = append(d.Events, s.eventInvites(c, []models.Firm{*f})...)
	}
	return s.accountRender(c, http.StatusOK, "account", "account.title", d)
}

func (s *Server) resendVerification(c echo.Context) error {
	if err := s.store.RequestVerification(c.Request().Context(), userOf(c)); err != nil {
		return err
	}
	s.wake()
	return c.Redirect(http.StatusSeeOther, localPath(pageLang(c), "/account")+"?done=verification_sent")
}

// changePassword needs the current password; every session ends, and this browser gets a new one.
func (s *Server) changePassword(c echo.Context) error {
	u, a := userOf(c), actorOf(c)
	f := s.newForm(c)
	if ok, _, _ := auth.Verify(c.FormValue("current_password"), u.PasswordHash); !ok {
		f.fail("current_password", s.tr(c, "account.wrong_password"))
	} else if err := auth.CheckPolicy(c.FormValue("password"), u.Email, u.Name); err != nil {
		s.setErrors(f, err)
	}
	if f.Failed() {
		return s.accountRender(c, http.StatusUnprocessableEntity, "account", "account.title", &accountData{Form: f, User: u, IsStaff: a.IsStaff()})
	}
	hash, err := auth.Hash(c.FormValue("password"))
	if err != nil {
		return err
	}
	if err := s.store.SetPassword(c.Request().Context(), a, u.ID, hash); err != nil {
		return err
	}
	if err := s.signIn(c, u); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, localPath(pageLang(c), "/account")+"?done=password_changed")
}

// changeEmail needs the password again and mails a link to the new address.
func (s *Server) changeEmail(c echo.Context) error {
	u, a := userOf(c), actorOf(c)
	f := s.newForm(c)
	if ok, _, _ := auth.Verify(c.FormValue("email_password"), u.PasswordHash); !ok {
		f.fail("email_password", s.tr(c, "account.wrong_password"))
	} else if err := s.store.RequestEmailChange(c.Request().Context(), a, u, c.FormValue("new_email")); err != nil {
		switch {
		case errors.Is(err, models.ErrConflict):
			f.fail("new_email", s.tr(c, "signup.email_taken"))
		case !s.setErrors(f, err):
			return err
		}
		if fe, ok := f.Errors["email"]; ok {
			delete(f.Errors, "email")
			f.Order = strings.Fields(strings.ReplaceAll(strings.Join(f.Order, " "), "email", ""))
			f.fail("new_email", fe)
		}
	}
	if f.Failed() {
		return s.accountRender(c, http.StatusUnprocessableEntity, "account", "account.title", &accountData{Form: f, User: u, IsStaff: a.IsStaff()})
	}
	s.wake()
	return c.Redirect(http.StatusSeeOther, localPath(pageLang(c), "/account")+"?done=email_link_sent")
}

func (s *Server) confirmEmailPage(c echo.Context) error {
	return s.linkPage(c, models.TokenChangeEmail, "email_confirm", "email_confirm.title")
}

func (s *Server) confirmEmail(c echo.Context) error {
	t, err := s.store.UseToken(c.Request().Context(), c.FormValue("token"), models.TokenChangeEmail)
	if err != nil || t.UserID == nil {
		return badLink()
	}
	if err := s.store.ChangeEmail(c.Request().Context(), models.SystemActor("e-mail change link"), *t.UserID, t.Data); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, localPath(pageLang(c), "/account")+"?done=email_changed")
}

func (s *Server) sessionsPage(c echo.Context) error {
	u, cur := userOf(c), sessionOf(c)
	list, err := s.store.Sessions(c.Request().Context(), u.ID)
	if err != nil {
		return err
	}
	d := &accountData{Form: s.newForm(c), User: u}
	for _, x := range list {
		d.Sessions = append(d.Sessions, sessionView{ID: x.ID, Current: x.ID == cur.ID, Started: x.CreatedAt,
			LastSeen: x.LastSeenAt, ClientAddr: x.ClientAddr, UserAgent: x.UserAgent})
	}
	return s.accountRender(c, http.StatusOK, "sessions", "sessions.title", d)
}

func (s *Server) endOtherSessions(c echo.Context) error {
	u := userOf(c)
	if _, err := s.store.EndOtherSessions(c.Request().Context(), actorOf(c), u.ID, sessionOf(c).ID); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, localPath(pageLang(c), "/account/sessions")+"?done=sessions_ended")
}

// wake nudges the mail worker after a change queued mail.
func (s *Server) wake() {
	if s.wakeMail != nil {
		s.wakeMail()
	}
}
