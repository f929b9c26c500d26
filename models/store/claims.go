package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/hanoi-cnht/portal/models"
)

// claimLinkTTL is how long the link sent to a firm's domain address works.
const claimLinkTTL = 72 * time.Hour

// ClaimFirm records a supplier account's request to manage a listed firm. With proof by domain
// e-mail the address must be at the firm's website domain, and a link is mailed to it; the
// returned token is that link's, for the caller's log in development.
func (s *Store) ClaimFirm(ctx context.Context, a models.Actor, firmID uint, method models.ClaimMethod, evidence, message string) (*models.Claim, error) {
	if a.Role != models.RoleSupplier {
		return nil, models.ErrForbidden
	}
	f, err := s.FirmByID(ctx, firmID)
	if err != nil {
		return nil, err
	}
	evidence, message = strings.TrimSpace(evidence), strings.TrimSpace(message)
	if err := checkClaim(f, method, &evidence, message); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	c := &models.Claim{UserID: a.UserID, FirmID: &f.ID, Method: method, Evidence: evidence, Message: message,
		Status: models.ClaimPending, CreatedAt: now}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var open int64
		if err := tx.Model(&models.Claim{}).Where("user_id = ? AND firm_id = ? AND status IN ?", a.UserID, f.ID,
			[]models.ClaimStatus{models.ClaimPending, models.ClaimEmailConfirmed}).Count(&open).Error; err != nil {
			return err
		}
		if open > 0 {
			return fmt.Errorf("%w: a claim of this firm is already waiting", models.ErrConflict)
		}
		if err := tx.Create(c).Error; err != nil {
			return err
		}
		fid := f.ID
		if err := writeAudit(tx, now, a, models.AuditEvent{Action: "claim.create", EntityType: "claim", EntityID: idText(c.ID),
			FirmID: &fid, Changes: models.FieldChanges{{Field: "method", New: string(method)}, {Field: "evidence", New: evidence}}}); err != nil {
			return err
		}
		if method != models.ClaimByDomainEmail {
			return nil
		}
		uid := a.UserID
		token, err := issueToken(tx, now, models.TokenClaimDomain, &uid, evidence, idText(c.ID), claimLinkTTL)
		if err != nil {
			return err
		}
		var u models.User
		if err := tx.First(&u, a.UserID).Error; err != nil {
			return err
		}
		path := "/account/claims/confirm"
		if u.Lang == "en" {
			path = "/en" + path
		}
		return s.queueFor(tx, now, evidence, u.Lang, "mail.claim_confirm", map[string]any{
			"Firm": f.NameVI, "Link": path + "?token=" + token, "Name": a.Name})
	})
	return c, err
}

func checkClaim(f *models.Firm, method models.ClaimMethod, evidence *string, message string) error {
	var fields []models.FieldError
	switch method {
	case models.ClaimByDomainEmail:
		email, ok := models.NormalizeEmail(*evidence)
		*evidence = email
		switch {
		case !ok:
			fields = append(fields, models.NewFieldError("evidence", "validation.email", models.Args{"Value": fmt.Sprintf("%q", email)}))
		case f.WebsiteDomain() == "" || !models.AtDomain(email, f.WebsiteDomain()):
			fields = append(fields, models.NewFieldError("evidence", "validation.claim_domain", models.Args{"Domain": f.WebsiteDomain()}))
		}
	case models.ClaimByRegistration:
		if *evidence == "" {
			fields = append(fields, models.NewFieldError("evidence", "validation.required", nil))
		}
	case models.ClaimByPhone:
	default:
		fields = append(fields, models.NewFieldError("method", "validation.required", nil))
	}
	if len([]rune(message)) > 2000 {
		fields = append(fields, models.NewFieldError("message", "validation.too_long", models.Args{"Length": len([]rune(message)), "Max": 2000}))
	}
	if len(fields) > 0 {
		return &models.ValidationError{Fields: fields}
	}
	return nil
}

// ConfirmClaimEmail spends the link mailed to the firm's domain address: the claim's proof holds.
func (s *Store) ConfirmClaimEmail(ctx context.Context, token string) (*models.Claim, error) {
	t, err := s.UseToken(ctx, token, models.TokenClaimDomain)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	var c models.Claim
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("id = ? AND status = ?", t.Data, models.ClaimPending).First(&c).Error; err != nil {
			return models.ErrTokenInvalid
		}
		c.Status = models.ClaimEmailConfirmed
		if err := tx.Model(&c).Update("status", c.Status).Error; err != nil {
			return err
		}
		return writeAudit(tx, now, models.SystemActor("claim link"), models.AuditEvent{Action: "claim.confirm_email",
			EntityType: "claim", EntityID: idText(c.ID), FirmID: c.FirmID,
			Changes: models.FieldChanges{{Field: "status", Old: string(models.ClaimPending), New: string(c.Status)}}})
	})
	return &c, err
}

// ProposeFirm records a supplier account's proposal of a firm that is not listed; it appears
// once staff approve it. The firm is checked like any other before it waits.
func (s *Store) ProposeFirm(ctx context.Context, a models.Actor, f *models.Firm, message string) (*models.Claim, error) {
	if a.Role != models.RoleSupplier {
		return nil, models.ErrForbidden
	}
	ref := s.Reference()
	stored, err := s.StoredFirms(ctx, []string{strings.TrimSpace(f.TaxCode)})
	if err != nil {
		return nil, err
	}
	if len(stored) > 0 {
		return nil, fmt.Errorf("%w: a firm with tax code %s is listed; claim it instead", models.ErrConflict, f.TaxCode)
	}
	f.Sample, f.OwnerUserID, f.VerifiedAt = false, nil, nil
	b := models.PlanFirms(ref, s.now(), nil, []*models.Firm{f})
	if err := b.Err(); err != nil {
		return nil, err
	}
	proposal, err := json.Marshal(f)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	c := &models.Claim{UserID: a.UserID, Proposal: string(proposal), Method: models.ClaimByPhone,
		Message: strings.TrimSpace(message), Status: models.ClaimPending, CreatedAt: now}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(c).Error; err != nil {
			return err
		}
		return writeAudit(tx, now, a, models.AuditEvent{Action: "claim.propose", EntityType: "claim", EntityID: idText(c.ID),
			Changes: models.FieldChanges{{Field: "tax_code", New: f.TaxCode}, {Field: "name_vi", New: f.NameVI}}})
	})
	return c, err
}

// DecideClaim approves or rejects a claim; staff only, with a reason the applicant reads. An
// approved claim makes the applicant an owner of the firm (an editor once it has enough
// owners); an approved proposal creates the firm first.
func (s *Store) DecideClaim(ctx context.Context, a models.Actor, claimID uint, approve bool, reason string) error {
	if !a.IsStaff() {
		return models.ErrForbidden
	}
	reason = strings.TrimSpace(reason)
	if !approve && reason == "" {
		return &models.ValidationError{Fields: []models.FieldError{models.NewFieldError("reason", "validation.required", nil)}}
	}
	now := s.now().UTC()
	return s.transact(ctx, func(tx *gorm.DB, ch *changeSet) error {
		var c models.Claim
		if err := tx.First(&c, claimID).Error; err != nil {
			return models.ErrNotFound
		}
		if !c.Open() {
			return fmt.Errorf("%w: the claim was decided already", models.ErrConflict)
		}
		c.Status, c.Reason, c.DecidedAt = models.ClaimRejected, reason, &now
		if a.UserID != 0 {
			uid := a.UserID
			c.DecidedBy = &uid
		}
		if approve {
			c.Status = models.ClaimApproved
			if c.FirmID == nil {
				id, err := s.createProposed(tx, now, a, &c)
				if err != nil {
					return err
				}
				c.FirmID, ch.changed = &id, []uint{id}
			}
			if err := approveMember(tx, now, a, *c.FirmID, c.UserID); err != nil {
				return err
			}
		}
		if err := tx.Model(&c).Select("status", "reason", "decided_at", "decided_by", "firm_id").Updates(&c).Error; err != nil {
			return err
		}
		if err := writeAudit(tx, now, a, models.AuditEvent{Action: "claim." + string(c.Status), EntityType: "claim",
			EntityID: idText(c.ID), FirmID: c.FirmID, Reason: reason,
			Changes: models.FieldChanges{{Field: "status", Old: string(models.ClaimPending), New: string(c.Status)}}}); err != nil {
			return err
		}
		var u models.User
		if err := tx.First(&u, c.UserID).Error; err != nil {
			return err
		}
		return s.queueFor(tx, now, u.Email, u.Lang, "mail.claim_"+string(c.Status), map[string]any{"Reason": reason, "Name": u.Name})
	})
}

func approveMember(tx *gorm.DB, now time.Time, a models.Actor, firmID, userID uint) error {
	var owners int64
	if err := tx.Model(&models.Membership{}).Where("firm_id = ? AND role = ?", firmID, models.MemberOwner).Count(&owners).Error; err != nil {
		return err
	}
	role := models.MemberOwner
	if owners >= models.MaxOwners {
		role = models.MemberEditor
	}
	var existing int64
	tx.Model(&models.Membership{}).Where("firm_id = ? AND user_id = ?", firmID, userID).Count(&existing)
	if existing > 0 {
		return nil
	}
	return addMember(tx, now, a, firmID, userID, role)
}

func (s *Store) createProposed(tx *gorm.DB, now time.Time, a models.Actor, c *models.Claim) (uint, error) {
	var f models.Firm
	if err := json.Unmarshal([]byte(c.Proposal), &f); err != nil {
		return 0, fmt.Errorf("read the proposed firm: %w", err)
	}
	f.ID, f.Slug = 0, ""
	b := models.PlanFirms(s.Reference(), now, nil, []*models.Firm{&f})
	if err := b.Err(); err != nil {
		return 0, err
	}
	w := &b.Writes[0]
	if err := s.writeFirm(tx, w, map[string]bool{}); err != nil {
		return 0, err
	}
	return f.ID, writeAudit(tx, now, a, firmEvent(w, "claim-"+idText(c.ID)))
}

// Claims lists claims with the status ("" for the open ones), oldest first, for staff.
func (s *Store) Claims(ctx context.Context, a models.Actor, status models.ClaimStatus) ([]models.Claim, error) {
	if !a.IsStaff() {
		return nil, models.ErrForbidden
	}
	q := s.db.WithContext(ctx).Order("created_at, id")
	if status == "" {
		q = q.Where("status IN ?", []models.ClaimStatus{models.ClaimPending, models.ClaimEmailConfirmed})
	} else {
		q = q.Where("status = ?", status)
	}
	var out []models.Claim
	return out, q.Find(&out).Error
}

// ClaimsOf lists an account's own claims, newest first.
func (s *Store) ClaimsOf(ctx context.Context, a models.Actor) ([]models.Claim, error) {
	var out []models.Claim
	err := s.db.WithContext(ctx).Where("user_id = ?", a.UserID).Order("created_at DESC").Find(&out).Error
	return out, err
}

// Claim loads one claim for staff or its applicant.
func (s *Store) Claim(ctx context.Context, a models.Actor, id uint) (*models.Claim, error) {
	var out []models.Claim
	if err := s.db.WithContext(ctx).Where("id = ?", id).Limit(1).Find(&out).Error; err != nil {
		return nil, err
	}
	if len(out) == 0 || (!a.IsStaff() && out[0].UserID != a.UserID) {
		return nil, models.ErrNotFound
	}
	return &out[0], nil
}
