package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/hanoi-cnht/portal/models"
)

// CreateUser makes an account. Admins create any; the system (the command line, the first-admin
// link) too; anyone may sign up as a buyer or supplier (a signing-up actor has no role yet).
func (s *Store) CreateUser(ctx context.Context, a models.Actor, in models.UserInput) (*models.User, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	signup := a.UserID == 0 && !a.System
	if !a.IsAdmin() && !(signup && (in.Role == models.RoleBuyer || in.Role == models.RoleSupplier)) {
		return nil, models.ErrForbidden
	}
	now := s.now().UTC()
	u := &models.User{Email: in.Email, Name: in.Name, Role: in.Role, Lang: in.Lang, PasswordHash: in.PasswordHash,
		CreatedAt: now, UpdatedAt: now}
	if in.Verified {
		u.EmailVerifiedAt = &now
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(u).Error; err != nil {
			return err
		}
		if signup {
			a.UserID, a.Name, a.Role = u.ID, u.Name, u.Role
		}
		if err := writeAudit(tx, now, a, models.AuditEvent{Action: "user.create", EntityType: "user", EntityID: idText(u.ID),
			Changes: models.FieldChanges{{Field: "email", New: u.Email}, {Field: "role", New: string(u.Role)}, {Field: "name", New: u.Name}}}); err != nil {
			return err
		}
		if in.Mail == "" {
			return nil
		}
		return s.mailLink(tx, now, u, in.Mail, u.Email, "")
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return nil, fmt.Errorf("%w: an account with this e-mail exists", models.ErrConflict)
	}
	return u, err
}

// UserByEmail finds an account by its e-mail address, in any case.
func (s *Store) UserByEmail(ctx context.Context, email string) (*models.User, error) {
	email, _ = models.NormalizeEmail(email)
	return s.userWhere(ctx, "email = ?", email)
}

// UserByID finds an account.
func (s *Store) UserByID(ctx context.Context, id uint) (*models.User, error) {
	return s.userWhere(ctx, "id = ?", id)
}

func (s *Store) userWhere(ctx context.Context, cond string, arg any) (*models.User, error) {
	var us []models.User
	if err := s.db.WithContext(ctx).Where(cond, arg).Limit(1).Find(&us).Error; err != nil {
		return nil, err
	}
	if len(us) == 0 {
		return nil, models.ErrNotFound
	}
	return &us[0], nil
}

// Users lists every account, staff first, for admins.
func (s *Store) Users(ctx context.Context, a models.Actor) ([]models.User, error) {
	if !a.IsAdmin() {
		return nil, models.ErrForbidden
	}
	var out []models.User
	err := s.db.WithContext(ctx).Order("CASE role WHEN 'admin' THEN 0 WHEN 'staff' THEN 1 ELSE 2 END, email").Find(&out).Error
	return out, err
}

// CountUsers counts accounts with the role ("" for all).
func (s *Store) CountUsers(ctx context.Context, role models.Role) (int64, error) {
	q := s.db.WithContext(ctx).Model(&models.User{})
	if role != "" {
		q = q.Where("role = ? AND disabled_at IS NULL", role)
	}
	var n int64
	err := q.Count(&n).Error
	return n, err
}

// ActorFor is the actor for a signed-in account: its role and its firms.
func (s *Store) ActorFor(ctx context.Context, u *models.User, clientAddr string) (models.Actor, error) {
	a := models.Actor{UserID: u.ID, Name: u.Name, Role: u.Role, ClientAddr: clientAddr, Firms: map[uint]models.MemberRole{}}
	if a.Name == "" {
		a.Name = u.Email
	}
	var ms []models.Membership
	if err := s.db.WithContext(ctx).Where("user_id = ?", u.ID).Find(&ms).Error; err != nil {
		return a, err
	}
	for _, m := range ms {
		a.Firms[m.FirmID] = m.Role
	}
	return a, nil
}

// SetPassword stores a new password hash for the account: the account itself, an admin, or the
// system (a reset link). Every session of the account ends, so a stolen session dies with the
// old password.
func (s *Store) SetPassword(ctx context.Context, a models.Actor, userID uint, hash string) error {
	if a.UserID != userID && !a.IsAdmin() {
		return models.ErrForbidden
	}
	return s.updateUser(ctx, a, userID, "user.password", map[string]any{"password_hash": hash},
		models.FieldChanges{{Field: "password", Old: "…", New: "(changed)"}}, true)
}

// MarkEmailVerified records that the account's owner opened the verification link.
func (s *Store) MarkEmailVerified(ctx context.Context, a models.Actor, userID uint) error {
	now := s.now().UTC()
	return s.updateUser(ctx, a, userID, "user.verify_email", map[string]any{"email_verified_at": now},
		models.FieldChanges{{Field: "email_verified", New: "yes"}}, false)
}

// ChangeEmail gives the account a new address, already proven by a link sent to it.
func (s *Store) ChangeEmail(ctx context.Context, a models.Actor, userID uint, email string) error {
	email, ok := models.NormalizeEmail(email)
	if !ok {
		return &models.ValidationError{Fields: []models.FieldError{models.NewFieldError("email", "validation.email", models.Args{"Value": email})}}
	}
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	err = s.updateUser(ctx, a, userID, "user.change_email", map[string]any{"email": email, "email_verified_at": now},
		models.FieldChanges{{Field: "email", Old: u.Email, New: email}}, false)
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return fmt.Errorf("%w: an account with this e-mail exists", models.ErrConflict)
	}
	return err
}

// SetRole changes an account's role; admins only, and the last admin cannot stop being one.
func (s *Store) SetRole(ctx context.Context, a models.Actor, userID uint, role models.Role) error {
	if !a.IsAdmin() {
		return models.ErrForbidden
	}
	if !models.ValidRole(role) {
		return &models.ValidationError{Fields: []models.FieldError{models.NewFieldError("role", "validation.role", models.Args{"Value": string(role)})}}
	}
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	if u.Role == models.RoleAdmin && role != models.RoleAdmin {
		if n, err := s.CountUsers(ctx, models.RoleAdmin); err != nil || n <= 1 {
			return fmt.Errorf("%w: the last admin keeps the role", models.ErrConflict)
		}
	}
	return s.updateUser(ctx, a, userID, "user.role", map[string]any{"role": role},
		models.FieldChanges{{Field: "role", Old: string(u.Role), New: string(role)}}, true)
}

// DisableUser stops an account signing in and ends its sessions; admins only, never oneself.
func (s *Store) DisableUser(ctx context.Context, a models.Actor, userID uint, reason string) error {
	if !a.IsAdmin() || a.UserID == userID {
		return models.ErrForbidden
	}
	now := s.now().UTC()
	return s.updateUser(ctx, a, userID, "user.disable", map[string]any{"disabled_at": now},
		models.FieldChanges{{Field: "disabled", Old: "no", New: "yes"}}, true, reason)
}

// updateUser writes fields of an account with its audit row, ending its sessions when asked.
func (s *Store) updateUser(ctx context.Context, a models.Actor, userID uint, action string, set map[string]any, changes models.FieldChanges, endSessions bool, reason ...string) error {
	now := s.now().UTC()
	set["updated_at"] = now
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&models.User{}).Where("id = ?", userID).Updates(set)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return models.ErrNotFound
		}
		if endSessions {
			if err := tx.Where("user_id = ?", userID).Delete(&models.Session{}).Error; err != nil {
				return err
			}
		}
		ev := models.AuditEvent{Action: action, EntityType: "user", EntityID: idText(userID), Changes: changes}
		if len(reason) > 0 {
			ev.Reason = reason[0]
		}
		return writeAudit(tx, now, a, ev)
	})
}

// AddMember makes an account a member of a firm; the firm's owners and staff may.
func (s *Store) AddMember(ctx context.Context, a models.Actor, firmID, userID uint, role models.MemberRole) error {
	if !a.CanManageMembers(firmID) || (role == models.MemberOwner && !a.IsStaff()) {
		return models.ErrForbidden
	}
	now := s.now().UTC()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return addMember(tx, now, a, firmID, userID, role)
	})
}

func addMember(tx *gorm.DB, now time.Time, a models.Actor, firmID, userID uint, role models.MemberRole) error {
	var u models.User
	if err := tx.Where("id = ?", userID).First(&u).Error; err != nil {
		return models.ErrNotFound
	}
	if u.Role != models.RoleSupplier {
		return fmt.Errorf("%w: only supplier accounts belong to firms", models.ErrConflict)
	}
	if role == models.MemberOwner {
		var owners int64
		if err := tx.Model(&models.Membership{}).Where("firm_id = ? AND role = ?", firmID, models.MemberOwner).Count(&owners).Error; err != nil {
			return err
		}
		if owners >= models.MaxOwners {
			return fmt.Errorf("%w: a firm has at most %d owners", models.ErrConflict, models.MaxOwners)
		}
	}
	m := models.Membership{UserID: userID, FirmID: firmID, Role: role, CreatedAt: now}
	if err := tx.Create(&m).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return fmt.Errorf("%w: already a member", models.ErrConflict)
		}
		return err
	}
	fid := firmID
	return writeAudit(tx, now, a, models.AuditEvent{Action: "membership.add", EntityType: "membership",
		EntityID: idText(firmID) + "/" + idText(userID), FirmID: &fid,
		Changes: models.FieldChanges{{Field: "member", New: u.Email}, {Field: "role", New: string(role)}}})
}

// RemoveMember ends an account's membership of a firm; owners and staff may, and the last owner
// stays.
func (s *Store) RemoveMember(ctx context.Context, a models.Actor, firmID, userID uint) error {
	if !a.CanManageMembers(firmID) {
		return models.ErrForbidden
	}
	now := s.now().UTC()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var m models.Membership
		if err := tx.Where("firm_id = ? AND user_id = ?", firmID, userID).First(&m).Error; err != nil {
			return models.ErrNotFound
		}
		if m.Role == models.MemberOwner {
			if !a.IsStaff() {
				return models.ErrForbidden
			}
		}
		if err := tx.Where("firm_id = ? AND user_id = ?", firmID, userID).Delete(&models.Membership{}).Error; err != nil {
			return err
		}
		fid := firmID
		return writeAudit(tx, now, a, models.AuditEvent{Action: "membership.remove", EntityType: "membership",
			EntityID: idText(firmID) + "/" + idText(userID), FirmID: &fid,
			Changes: models.FieldChanges{{Field: "role", Old: string(m.Role)}}})
	})
}

// Member is an account in a firm, for the firm's members page.
type Member struct {
	User models.User
	Role models.MemberRole
}

// Members lists a firm's members; its members and staff may read them.
func (s *Store) Members(ctx context.Context, a models.Actor, firmID uint) ([]Member, error) {
	if !a.CanEditFirm(firmID) {
		return nil, models.ErrForbidden
	}
	var ms []models.Membership
	if err := s.db.WithContext(ctx).Where("firm_id = ?", firmID).Order("role DESC, created_at").Find(&ms).Error; err != nil {
		return nil, err
	}
	out := make([]Member, 0, len(ms))
	for _, m := range ms {
		u, err := s.UserByID(ctx, m.UserID)
		if err != nil {
			return nil, err
		}
		out = append(out, Member{User: *u, Role: m.Role})
	}
	return out, nil
}

func idText(id uint) string { return strconv.FormatUint(uint64(id), 10) }

// linkTTL is how long each kind of single-use link works.
var linkTTL = map[models.TokenPurpose]time.Duration{
	models.TokenVerifyEmail: 7 * 24 * time.Hour,
	models.TokenReset:       time.Hour,
	models.TokenInvite:      7 * 24 * time.Hour,
	models.TokenChangeEmail: 24 * time.Hour,
}

// linkPath is the page each kind of link opens.
var linkPath = map[models.TokenPurpose]string{
	models.TokenVerifyEmail: "/account/verify",
	models.TokenReset:       "/password/reset",
	models.TokenInvite:      "/password/reset",
	models.TokenChangeEmail: "/account/email/confirm",
}

// mailLink issues a single-use link for u and queues the mail that carries it to address, in
// u's language, inside tx.
func (s *Store) mailLink(tx *gorm.DB, now time.Time, u *models.User, purpose models.TokenPurpose, address, data string) error {
	uid := u.ID
	token, err := issueToken(tx, now, purpose, &uid, address, data, linkTTL[purpose])
	if err != nil {
		return err
	}
	path := linkPath[purpose]
	if u.Lang == "en" {
		path = "/en" + path
	}
	return s.queueFor(tx, now, address, u.Lang, "mail."+string(purpose), map[string]any{
		"Name": u.Name, "Link": path + "?token=" + token, "Hours": int(linkTTL[purpose] / time.Hour)})
}

// RequestVerification mails the account a new link to confirm its address.
func (s *Store) RequestVerification(ctx context.Context, u *models.User) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return s.mailLink(tx, s.now().UTC(), u, models.TokenVerifyEmail, u.Email, "")
	})
}

// RequestPasswordReset mails a reset link to the account with the address, if there is one that
// may sign in; the caller answers the same either way, so the form says nothing of who has an
// account.
func (s *Store) RequestPasswordReset(ctx context.Context, email string) error {
	u, err := s.UserByEmail(ctx, email)
	if errors.Is(err, models.ErrNotFound) {
		return nil
	}
	if err != nil || u.Disabled() {
		return err
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return s.mailLink(tx, s.now().UTC(), u, models.TokenReset, u.Email, "")
	})
}

// RequestEmailChange mails a link to the new address; the address changes when it is opened.
func (s *Store) RequestEmailChange(ctx context.Context, a models.Actor, u *models.User, email string) error {
	if a.UserID != u.ID {
		return models.ErrForbidden
	}
	email, ok := models.NormalizeEmail(email)
	if !ok {
		return &models.ValidationError{Fields: []models.FieldError{models.NewFieldError("email", "validation.email", models.Args{"Value": fmt.Sprintf("%q", email)})}}
	}
	if _, err := s.UserByEmail(ctx, email); err == nil {
		return fmt.Errorf("%w: an account with this e-mail exists", models.ErrConflict)
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return s.mailLink(tx, s.now().UTC(), u, models.TokenChangeEmail, email, email)
	})
}
