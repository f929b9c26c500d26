package main

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/upload"
)

// claimData is the page that claims a listed firm.
type claimData struct {
	Form     *form
	FirmName string
	Slug     string
	Domain   string
}

// claimMethods are the proofs a claim may bring, in the order the form offers them.
var claimMethods = []models.ClaimMethod{models.ClaimByDomainEmail, models.ClaimByRegistration, models.ClaimByPhone}

func (s *Server) claimPage(c echo.Context) error {
	f := s.newForm(c)
	f.Values.Set("method", string(models.ClaimByDomainEmail))
	return s.renderClaim(c, http.StatusOK, f, c.QueryParam("firm"))
}

func (s *Server) renderClaim(c echo.Context, status int, f *form, slug string) error {
	firm, err := s.store.FirmBySlug(c.Request().Context(), slug)
	if err != nil {
		return err
	}
	d := &claimData{Form: f, FirmName: firm.DisplayName(pageLang(c)), Slug: firm.Slug, Domain: firm.WebsiteDomain()}
	p := s.newPage(c, "account", s.tr(c, "claim.title"), "")
	p.NoIndex, p.Data = true, d
	return s.render(c, status, "claim", p)
}

// claimFirm records a supplier account's claim of a listed firm with one proof: an address at
// the firm's domain (a link is mailed to it), a scan of the business registration, or the
// Department's call.
func (s *Server) claimFirm(c echo.Context) error {
	f := s.newForm(c)
	slug := c.FormValue("firm")
	firm, err := s.store.FirmBySlug(c.Request().Context(), slug)
	if err != nil {
		return err
	}
	method := models.ClaimMethod(c.FormValue("method"))
	var evidence string
	switch method {
	case models.ClaimByDomainEmail:
		evidence = c.FormValue("evidence_email")
	case models.ClaimByRegistration:
		up, err := s.saveEvidence(c, "registration")
		var p *upload.Problem
		if errors.As(err, &p) {
			f.fail("registration", s.views.messages.tr(f.Lang, p.Key, argsList(p.Args)...))
			return s.renderClaim(c, http.StatusUnprocessableEntity, f, slug)
		}
		if err != nil {
			return err
		}
		evidence = up.Name
	}
	_, err = s.store.ClaimFirm(c.Request().Context(), actorOf(c), firm.ID, method, evidence, c.FormValue("message"))
	if err != nil {
		if method == models.ClaimByRegistration {
			s.removeEvidence(evidence)
		}
		var ve *models.ValidationError
		switch {
		case errors.As(err, &ve):
			for _, fe := range ve.Fields {
				field := fe.Field
				if field == "evidence" {
					field = map[models.ClaimMethod]string{models.ClaimByDomainEmail: "evidence_email", models.ClaimByRegistration: "registration"}[method]
				}
				f.fail(field, s.views.messages.tr(f.Lang, fe.Key, argsList(fe.Args)...))
			}
		case errors.Is(err, models.ErrConflict):
			f.fail("method", s.tr(c, "claim.already_waiting"))
		default:
			return forbidden(err)
		}
		return s.renderClaim(c, http.StatusUnprocessableEntity, f, slug)
	}
	s.wake()
	return c.Redirect(http.StatusSeeOther, localPath(pageLang(c), "/account/propose")+"?done=claim_sent")
}

// claimConfirmData is the page behind the link mailed to a firm's domain address.
type claimConfirmData struct {
	Form  *form
	Token string
	Done  bool
}

func (s *Server) claimConfirmPage(c echo.Context) error {
	token := c.QueryParam("token")
	if _, err := s.store.PeekToken(c.Request().Context(), token, models.TokenClaimDomain); err != nil {
		return echo.NewHTTPError(http.StatusNotFound, "the link is invalid, used or expired")
	}
	return s.renderClaimConfirm(c, &claimConfirmData{Form: s.newForm(c), Token: token})
}

// claimConfirm spends the link: the claim's proof holds, and it waits for staff. The page asks
// for a click rather than confirming on GET, so a mail scanner that opens links confirms nothing.
func (s *Server) claimConfirm(c echo.Context) error {
	if _, err := s.store.ConfirmClaimEmail(c.Request().Context(), c.FormValue("token")); err != nil {
		if errors.Is(err, models.ErrTokenInvalid) || errors.Is(err, models.ErrNotFound) {
			return echo.NewHTTPError(http.StatusNotFound, "the link is invalid, used or expired")
		}
		return err
	}
	return s.renderClaimConfirm(c, &claimConfirmData{Form: s.newForm(c), Done: true})
}

func (s *Server) renderClaimConfirm(c echo.Context, d *claimConfirmData) error {
	p := s.newPage(c, "account", s.tr(c, "claim_confirm.title"), "")
	p.NoIndex, p.Data = true, d
	return s.render(c, http.StatusOK, "claim_confirm", p)
}

// proposeData is the page that proposes a firm not listed, with the account's claims.
type proposeData struct {
	Form   *form
	Action string
	View   *profileFormView
	Claims []claimView
}

type claimView struct {
	Firm, Method, Status, Reason, Date string
}

func (s *Server) proposePage(c echo.Context) error {
	f := s.newForm(c)
	return s.renderPropose(c, http.StatusOK, f, profileRows{Sites: 1, Certs: 1, Equipment: 1, Recognitions: 1})
}

func (s *Server) renderPropose(c echo.Context, status int, f *form, rows profileRows) error {
	ctx := c.Request().Context()
	lang := pageLang(c)
	claims, err := s.store.ClaimsOf(ctx, actorOf(c))
	if err != nil {
		return err
	}
	var ids []uint
	for _, cl := range claims {
		if cl.FirmID != nil {
			ids = append(ids, *cl.FirmID)
		}
	}
	firms, err := s.store.FirmsByIDs(ctx, ids)
	if err != nil {
		return err
	}
	names := map[uint]string{}
	for _, fm := range firms {
		names[fm.ID] = fm.DisplayName(lang)
	}
	d := &proposeData{Form: f, Action: localPath(lang, "/account/propose"), View: s.profileView(c, f, rows, nil)}
	for _, cl := range claims {
		v := claimView{Method: s.tr(c, "claim.method."+string(cl.Method)), Status: s.tr(c, "claim.status."+string(cl.Status)),
			Reason: cl.Reason, Date: formatDate(lang, cl.CreatedAt)}
		switch {
		case cl.FirmID != nil:
			v.Firm = names[*cl.FirmID]
		case cl.Proposal != "":
			v.Firm = s.tr(c, "propose.proposal")
			v.Method = s.tr(c, "propose.proposal")
		}
		d.Claims = append(d.Claims, v)
	}
	p := s.newPage(c, "account", s.tr(c, "propose.title"), "")
	p.NoIndex, p.Data = true, d
	return s.render(c, status, "propose", p)
}

// propose records a supplier account's proposal of a firm that is not listed; it waits for
// staff, who check it like any other profile.
func (s *Server) propose(c echo.Context) error {
	f := s.newForm(c)
	upd, rows, rm := s.readProfileForm(c, f)
	if addRow(c, &rows) {
		return s.renderPropose(c, http.StatusOK, f, rows)
	}
	firm, err := upd.Apply(s.store.Reference(), &models.Firm{TaxCode: strings.TrimSpace(c.FormValue("tax_code"))})
	if err != nil && !s.setProfileErrors(f, err, rm) {
		return forbidden(err)
	}
	if f.Failed() {
		if firm != nil {
			if err := models.PlanFirms(s.store.Reference(), s.now(), nil, []*models.Firm{firm}).Err(); err != nil {
				s.setProfileErrors(f, err, rm)
			}
		}
		return s.renderPropose(c, http.StatusUnprocessableEntity, f, rows)
	}
	_, err = s.store.ProposeFirm(c.Request().Context(), actorOf(c), firm, c.FormValue("message"))
	switch {
	case errors.Is(err, models.ErrConflict):
		f.fail("tax_code", s.tr(c, "propose.listed"))
	case err != nil && !s.setProfileErrors(f, err, rm):
		return forbidden(err)
	}
	if f.Failed() {
		return s.renderPropose(c, http.StatusUnprocessableEntity, f, rows)
	}
	return c.Redirect(http.StatusSeeOther, localPath(pageLang(c), "/account/propose")+"?done=proposal_sent")
}
