package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/store"
)

// queueItem is one thing waiting for the Department, with what staff need to decide it.
type queueItem struct {
	// Key names the item's decision form ("claim-12"), so a refused form shows its errors
	// beside the right item and its fields have ids unique on the page.
	Key       string
	Kind      string
	KindLabel string
	Since     time.Time
	FirmID    uint
	FirmName  string
	FirmSlug  string
	Claim     *models.Claim
	Applicant *models.User
	// Proposal is the proposed firm, for a proposal; ProposalName its name.
	Proposal     *models.Firm
	ProposalName string
	MethodLabel  string
	Certificate  *models.Certificate
	Scans        []models.CertificateScan
	Changes      []models.FieldChange
}

type kindOption struct {
	Value, Label string
	Count        int
	Current      bool
}

type staffQueueData struct {
	staffPage
	Kind   string
	Target string
	// TargetShown says whether the target's item is on the page (it may have been decided by
	// someone else, or filtered out), so the error summary links to it only then.
	TargetShown bool
	Kinds       []kindOption
	Items       []queueItem
	Methods     []kindOption
}

// staffQueue lists everything waiting, oldest first, filtered by kind.
func (s *Server) staffQueue(c echo.Context) error {
	return s.renderQueue(c, http.StatusOK, s.newForm(c), "")
}

// renderQueue shows the queue; target names the item whose form f belongs to.
func (s *Server) renderQueue(c echo.Context, status int, f *form, target string) error {
	ctx := c.Request().Context()
	kind := c.QueryParam("kind")
	if !slices.Contains(store.ReviewKinds, kind) {
		kind = ""
	}
	all, err := s.store.ReviewQueue(ctx, actorOf(c), "")
	if err != nil {
		return err
	}
	d := &staffQueueData{staffPage: s.staffPageOf(c, f), Kind: kind, Target: target}
	d.Kinds = append(d.Kinds, kindOption{Value: "", Label: s.tr(c, "staff.queue.all"), Count: len(all), Current: kind == ""})
	for _, k := range store.ReviewKinds {
		n := 0
		for _, it := range all {
			if it.Kind == k {
				n++
			}
		}
		d.Kinds = append(d.Kinds, kindOption{Value: k, Label: s.tr(c, "staff.kind."+k), Count: n, Current: kind == k})
	}
	for _, m := range models.VerificationMethods {
		d.Methods = append(d.Methods, kindOption{Value: m, Label: s.tr(c, "staff.method."+m)})
	}
	var firmIDs []uint
	for _, it := range all {
		if kind == "" || it.Kind == kind {
			if it.FirmID != 0 {
				firmIDs = append(firmIDs, it.FirmID)
			}
		}
	}
	firms, err := s.store.FirmsByIDs(ctx, firmIDs)
	if err != nil {
		return err
	}
	slugs := map[uint]string{}
	for _, f := range firms {
		slugs[f.ID] = f.Slug
	}
	for _, it := range all {
		if kind != "" && it.Kind != kind {
			continue
		}
		v := queueItem{Kind: it.Kind, KindLabel: s.tr(c, "staff.kind."+it.Kind), Since: it.Since, FirmID: it.FirmID,
			FirmName: it.FirmName, FirmSlug: slugs[it.FirmID], Claim: it.Claim, Certificate: it.Certificate,
			Scans: it.Scans, Changes: it.Changes}
		switch {
		case it.Claim != nil:
			v.Key = fmt.Sprintf("claim-%d", it.Claim.ID)
			v.MethodLabel = s.tr(c, "staff.claim_method."+string(it.Claim.Method))
			if u, err := s.store.UserByID(ctx, it.Claim.UserID); err == nil {
				v.Applicant = u
			}
			if it.Claim.Proposal != "" {
				var p models.Firm
				if json.Unmarshal([]byte(it.Claim.Proposal), &p) == nil {
					v.Proposal, v.ProposalName = &p, p.NameVI
				}
			}
		case it.Certificate != nil:
			v.Key = fmt.Sprintf("cert-%d", it.Certificate.ID)
		default:
			v.Key = fmt.Sprintf("firm-%d", it.FirmID)
		}
		d.Items = append(d.Items, v)
		d.TargetShown = d.TargetShown || v.Key == target
	}
	return s.staffRender(c, status, "staff_queue", "staff_queue.title", d)
}

// queueBack is where a decision returns to: the queue, filtered as it was.
func queueBack(c echo.Context) string {
	kind := c.QueryParam("kind")
	if !slices.Contains(store.ReviewKinds, kind) {
		return "/staff/queue"
	}
	return "/staff/queue?kind=" + kind
}

// decisionFailed shows the queue again with the errors of the form named target.
func (s *Server) decisionFailed(c echo.Context, f *form, target string) error {
	return s.renderQueue(c, http.StatusUnprocessableEntity, f, target)
}

// staffDecideClaim approves or rejects a claim or a proposal; a rejection needs a reason, which
// the applicant reads.
func (s *Server) staffDecideClaim(c echo.Context) error {
	id, ok := idParam(c, "id")
	if !ok {
		return echo.ErrNotFound
	}
	f := s.newForm(c)
	target := fmt.Sprintf("claim-%d", id)
	decision, reason := c.FormValue("decision"), c.FormValue("reason")
	if decision != "approve" && decision != "reject" {
		f.fail("decision", s.tr(c, "staff.error.choose"))
	}
	if err := models.CheckReason("reason", reason); err != nil {
		s.setErrors(f, err)
	}
	if f.Failed() {
		return s.decisionFailed(c, f, target)
	}
	if _, err := s.store.Claim(c.Request().Context(), actorOf(c), id); err != nil {
		return err
	}
	err := s.store.DecideClaim(c.Request().Context(), actorOf(c), id, decision == "approve", reason)
	if err != nil {
		if s.storeFormError(c, f, "reason", err) {
			return s.decisionFailed(c, f, target)
		}
		return err
	}
	s.wake()
	return s.staffRedirect(c, queueBack(c), "claim_decided")
}

// staffDecideCertificate verifies (with how it was checked and a note), rejects or revokes (with
// the reason the firm reads) a certificate.
func (s *Server) staffDecideCertificate(c echo.Context) error {
	id, ok := idParam(c, "cert")
	if !ok {
		return echo.ErrNotFound
	}
	f := s.newForm(c)
	d := models.CertificateDecision{Action: c.FormValue("decision"), Method: c.FormValue("method"), Note: c.FormValue("note")}
	err := s.store.DecideCertificate(c.Request().Context(), actorOf(c), id, d)
	if err != nil {
		var ve *models.ValidationError
		refused := false
		if errors.As(err, &ve) && ve.Has("action") {
			f.fail("decision", s.tr(c, "staff.error.choose"))
			refused = true
		} else {
			refused = s.storeFormError(c, f, "note", err)
		}
		if !refused {
			return err
		}
		target := fmt.Sprintf("cert-%d", id)
		if _, firm := certificateBack(c); firm != 0 {
			return s.renderStaffFirm(c, http.StatusUnprocessableEntity, firm, f, target)
		}
		return s.decisionFailed(c, f, target)
	}
	s.wake()
	back, _ := certificateBack(c)
	return s.staffRedirect(c, back, "certificate_decided")
}

// staffReviewFirm records that a firm's edits were reviewed: simply reviewed, the profile
// verified by the Department, or changes requested with a reason mailed to its members.
func (s *Server) staffReviewFirm(c echo.Context) error {
	id, ok := firmParam(c)
	if !ok {
		return echo.ErrNotFound
	}
	f := s.newForm(c)
	target := fmt.Sprintf("firm-%d", id)
	reason := c.FormValue("reason")
	var verify bool
	switch c.FormValue("decision") {
	case "reviewed":
	case "verify":
		verify = true
	case "changes":
		if strings.TrimSpace(reason) == "" {
			f.fail("reason", s.tr(c, "validation.required"))
		}
	default:
		f.fail("decision", s.tr(c, "staff.error.choose"))
	}
	if e := models.CheckReason("reason", reason); e != nil {
		s.setErrors(f, e)
	}
	if f.Failed() {
		return s.decisionFailed(c, f, target)
	}
	if _, err := s.store.FirmByID(c.Request().Context(), id); err != nil {
		return err
	}
	if err := s.store.ReviewProfile(c.Request().Context(), actorOf(c), id, verify, reason); err != nil {
		if s.storeFormError(c, f, "reason", err) {
			return s.decisionFailed(c, f, target)
		}
		return err
	}
	s.wake()
	return s.staffRedirect(c, queueBack(c), "profile_reviewed")
}
