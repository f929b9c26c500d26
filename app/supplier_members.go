package main

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/store"
)

// membersData is the members page of a firm.
type membersData struct {
	Form      *form
	FirmName  string
	FirmID    uint
	Members   []memberView
	CanManage bool
	AddAction string
}

type memberView struct {
	Name, Email, Role string
	RemoveAction      string // empty when this member cannot be removed here
}

func (s *Server) membersPage(c echo.Context) error {
	return s.renderMembers(c, http.StatusOK, s.newForm(c))
}

func (s *Server) renderMembers(c echo.Context, status int, f *form) error {
	firm, err := s.editFirm(c)
	if err != nil {
		return err
	}
	a := actorOf(c)
	list, err := s.store.Members(c.Request().Context(), a, firm.ID)
	if err != nil {
		return forbidden(err)
	}
	d := &membersData{Form: f, FirmName: firm.DisplayName(pageLang(c)), FirmID: firm.ID, CanManage: a.CanManageMembers(firm.ID),
		AddAction: firmPath(c, firm.ID, "/members")}
	for _, m := range list {
		v := memberView{Name: m.User.Name, Email: m.User.Email, Role: s.tr(c, "members.role."+string(m.Role))}
		if d.CanManage && (m.Role == models.MemberEditor || a.IsStaff()) {
			v.RemoveAction = firmPath(c, firm.ID, "/members/"+strconv.FormatUint(uint64(m.User.ID), 10)+"/remove")
		}
		d.Members = append(d.Members, v)
	}
	p := s.newPage(c, "account", s.tr(c, "members.title", "Name", d.FirmName), "")
	p.NoIndex, p.Data = true, d
	return s.render(c, status, "supplier_members", p)
}

// addMember makes an existing supplier account an editor of the firm; owners and staff may.
func (s *Server) addMember(c echo.Context) error {
	id, _ := firmParam(c)
	a := actorOf(c)
	if !a.CanManageMembers(id) {
		return echo.NewHTTPError(http.StatusForbidden, "not allowed")
	}
	f := s.newForm(c)
	email, ok := models.NormalizeEmail(c.FormValue("email"))
	if !ok {
		f.fail("email", s.tr(c, "members.unknown_account"))
		return s.renderMembers(c, http.StatusUnprocessableEntity, f)
	}
	u, err := s.store.UserByEmail(c.Request().Context(), email)
	if errors.Is(err, models.ErrNotFound) || (err == nil && u.Role != models.RoleSupplier) {
		f.fail("email", s.tr(c, "members.unknown_account"))
		return s.renderMembers(c, http.StatusUnprocessableEntity, f)
	}
	if err != nil {
		return err
	}
	err = s.store.AddMember(c.Request().Context(), a, id, u.ID, models.MemberEditor)
	if errors.Is(err, models.ErrConflict) {
		f.fail("email", s.tr(c, "members.already"))
		return s.renderMembers(c, http.StatusUnprocessableEntity, f)
	}
	if err != nil {
		return forbidden(err)
	}
	return c.Redirect(http.StatusSeeOther, firmPath(c, id, "/members")+"?done=member_added")
}

func (s *Server) removeMember(c echo.Context) error {
	id, _ := firmParam(c)
	userID, ok := idParam(c, "user")
	if !ok {
		return echo.ErrNotFound
	}
	if err := s.store.RemoveMember(c.Request().Context(), actorOf(c), id, userID); err != nil {
		return forbidden(err)
	}
	return c.Redirect(http.StatusSeeOther, firmPath(c, id, "/members")+"?done=member_removed")
}

// historyData is a firm's audit history, newest first.
type historyData struct {
	FirmName string
	Events   []historyEvent
}

type historyEvent struct {
	At, Actor, Action, Reason string
	Changes                   []models.FieldChange
}

// historyActions are the audit actions the history page names in words; others show their code.
var historyActions = []string{"firm.create", "firm.update", "firm.edit", "firm.review", "firm.verify", "certificate.scan",
	"certificate.verify", "certificate.reject", "certificate.revoke", "membership.add", "membership.remove",
	"claim.create", "claim.confirm_email", "claim.approved", "claim.rejected"}

func (s *Server) historyPage(c echo.Context) error {
	firm, err := s.editFirm(c)
	if err != nil {
		return err
	}
	events, err := s.store.AuditEvents(c.Request().Context(), actorOf(c), store.AuditFilter{FirmID: firm.ID})
	if err != nil {
		return forbidden(err)
	}
	lang := pageLang(c)
	d := &historyData{FirmName: firm.DisplayName(lang)}
	for _, ev := range events {
		action := ev.Action
		if containsString(historyActions, action) {
			action = s.tr(c, "history.action."+action)
		}
		d.Events = append(d.Events, historyEvent{At: formatDateTime(lang, ev.At), Actor: ev.ActorName, Action: action,
			Reason: ev.Reason, Changes: ev.Changes})
	}
	p := s.newPage(c, "account", s.tr(c, "history.title", "Name", d.FirmName), "")
	p.NoIndex, p.Data = true, d
	return s.render(c, http.StatusOK, "supplier_history", p)
}
