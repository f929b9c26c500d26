package models

import (
	"net/mail"
	"strings"
	"time"
)

// Role is what an account may do on the portal.
type Role string

// The roles: buyers search and contact; suppliers keep their firms' profiles; staff of the
// Department verify, review and import; admins also manage accounts.
const (
	RoleBuyer    Role = "buyer"
	RoleSupplier Role = "supplier"
	RoleStaff    Role = "staff"
	RoleAdmin    Role = "admin"
)

// Roles lists every role.
var Roles = []Role{RoleBuyer, RoleSupplier, RoleStaff, RoleAdmin}

// ValidRole reports whether r is one of Roles.
func ValidRole(r Role) bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// MemberRole is a supplier account's part in one firm.
type MemberRole string

// Owners manage the firm's members; editors edit its profile.
const (
	MemberOwner  MemberRole = "owner"
	MemberEditor MemberRole = "editor"
)

// MaxOwners is how many owners a firm may have: a few people answer for a profile.
const MaxOwners = 3

// User is an account.
type User struct {
	ID              uint       `gorm:"primaryKey"`
	Email           string     // lower case, unique
	Name            string     // how the person is addressed and shown in the audit log
	Role            Role       //
	Lang            string     // "vi" or "en": the language of the mails sent to the account
	PasswordHash    string     // Argon2id in PHC form; empty until a password is set
	EmailVerifiedAt *time.Time //
	DisabledAt      *time.Time //
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Disabled reports whether the account may no longer sign in.
func (u *User) Disabled() bool { return u.DisabledAt != nil }

// Membership makes a supplier account a member of a firm.
type Membership struct {
	UserID    uint `gorm:"primaryKey"`
	FirmID    uint `gorm:"primaryKey"`
	Role      MemberRole
	CreatedAt time.Time
}

// NormalizeEmail lower-cases and trims an address; ok is false when it is not an address.
func NormalizeEmail(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 || !strings.Contains(s[strings.LastIndexByte(s, '@'):], ".") {
		return s, false
	}
	return s, true
}

// Actor is who carries out a use case: a signed-in account with its firms, or the system (an
// import from the command line, a background job). The store checks it inside every write.
type Actor struct {
	UserID uint
	Name   string
	Role   Role
	// Firms are the firms the account is a member of, with its part in each.
	Firms map[uint]MemberRole
	// ClientAddr is the network address the request came from, for the audit log.
	ClientAddr string
	// System is set for work the portal does itself or on the command line.
	System bool
}

// SystemActor is the portal acting for itself; name says what ("import", "reminders").
func SystemActor(name string) Actor { return Actor{Name: name, System: true} }

// IsStaff reports whether the actor works for the Department (staff or admin) or is the system.
func (a Actor) IsStaff() bool { return a.System || a.Role == RoleStaff || a.Role == RoleAdmin }

// IsAdmin reports whether the actor may manage accounts.
func (a Actor) IsAdmin() bool { return a.System || a.Role == RoleAdmin }

// CanEditFirm reports whether the actor may change the firm's profile and certificates.
func (a Actor) CanEditFirm(firmID uint) bool {
	if a.IsStaff() {
		return true
	}
	_, ok := a.Firms[firmID]
	return ok && a.Role == RoleSupplier
}

// CanManageMembers reports whether the actor may add and remove the firm's editors.
func (a Actor) CanManageMembers(firmID uint) bool {
	return a.IsStaff() || (a.Role == RoleSupplier && a.Firms[firmID] == MemberOwner)
}

// CanReadEvidence reports whether the actor may see the firm's certificate scans.
func (a Actor) CanReadEvidence(firmID uint) bool { return a.CanEditFirm(firmID) }

// AuditRole is the role the audit log records for the actor.
func (a Actor) AuditRole() string {
	if a.System {
		return "system"
	}
	return string(a.Role)
}

// AuditEvent is one row of the append-only audit log.
type AuditEvent struct {
	ID            uint `gorm:"primaryKey"`
	At            time.Time
	ActorID       *uint
	ActorName     string
	ActorRole     string
	ClientAddr    string
	Action        string // "firm.update", "certificate.verify", "user.disable"…
	EntityType    string // "firm", "certificate", "user", "membership", "claim", "term"…
	EntityID      string
	FirmID        *uint
	Changes       FieldChanges `gorm:"type:text"`
	Reason        string
	CorrelationID string
}

// FieldChanges is a list of field changes stored as JSON in one column.
type FieldChanges []FieldChange

// Mail is one message in the outbox: queued with the change that causes it, sent by a worker.
type Mail struct {
	ID            uint `gorm:"primaryKey"`
	Recipient     string
	Lang          string
	Subject       string
	Body          string
	CreatedAt     time.Time
	NextAttemptAt time.Time
	Attempts      int
	LastError     string
	SentAt        *time.Time
	FailedAt      *time.Time
}

func (Mail) TableName() string { return "outbox" }

// Session is a signed-in browser. The token that identifies it is kept only as a hash.
type Session struct {
	ID         uint `gorm:"primaryKey"`
	TokenHash  string
	UserID     uint
	CSRFToken  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // the absolute end, whatever the activity
	ClientAddr string
	UserAgent  string
}

// TokenPurpose says what a single-use link is for.
type TokenPurpose string

// The single-use links the portal mails or prints.
const (
	TokenVerifyEmail TokenPurpose = "verify_email"
	TokenReset       TokenPurpose = "reset_password"
	TokenInvite      TokenPurpose = "invite"
	TokenChangeEmail TokenPurpose = "change_email"
	TokenClaimDomain TokenPurpose = "claim_domain"
	TokenFirstAdmin  TokenPurpose = "first_admin"
)

// Token is a used single-use link, with what it carried.
type Token struct {
	ID        uint `gorm:"primaryKey"`
	Hash      string
	Purpose   TokenPurpose
	UserID    *uint
	Email     string
	Data      string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

// UserInput is what creating an account takes.
type UserInput struct {
	Email        string
	Name         string
	Role         Role
	Lang         string
	PasswordHash string // empty: the person sets a password through an invitation link
	Verified     bool   // the address is known to be the person's (created by staff)
	// Mail, when set, is the link mailed to the new account in the same transaction: an
	// e-mail verification after sign-up, or an invitation to set a password.
	Mail TokenPurpose
}

// Validate checks the fields of a new account.
func (in *UserInput) Validate() error {
	var p problems
	email, ok := NormalizeEmail(in.Email)
	in.Email = email
	switch {
	case in.Email == "":
		p.add("email", "validation.required", nil)
	case !ok:
		p.add("email", "validation.email", Args{"Value": quoted(in.Email)})
	}
	in.Name = strings.TrimSpace(in.Name)
	checkText(&p, "name", in.Name, maxName, false)
	if !ValidRole(in.Role) {
		p.add("role", "validation.role", Args{"Value": quoted(in.Role)})
	}
	if in.Lang != "en" {
		in.Lang = "vi"
	}
	return p.err()
}

// ClaimMethod is how a supplier account proves it speaks for a firm.
type ClaimMethod string

// Proofs: an address at the firm's own web domain (confirmed by a link), a scan of the business
// registration, or the Department's call to the firm.
const (
	ClaimByDomainEmail  ClaimMethod = "domain_email"
	ClaimByRegistration ClaimMethod = "registration"
	ClaimByPhone        ClaimMethod = "phone"
)

// ClaimStatus is where a claim stands.
type ClaimStatus string

// A claim waits (pending; email_confirmed once the domain link was opened), then staff approve
// or reject it.
const (
	ClaimPending        ClaimStatus = "pending"
	ClaimEmailConfirmed ClaimStatus = "email_confirmed"
	ClaimApproved       ClaimStatus = "approved"
	ClaimRejected       ClaimStatus = "rejected"
)

// Claim is a supplier account asking to manage a listed firm, or proposing a firm not listed
// (FirmID nil, Proposal the firm as a JSON record).
type Claim struct {
	ID        uint `gorm:"primaryKey"`
	UserID    uint
	FirmID    *uint
	Proposal  string
	Method    ClaimMethod
	Evidence  string // the address at the firm's domain, or the stored name of the registration scan
	Message   string
	Status    ClaimStatus
	Reason    string
	DecidedBy *uint
	DecidedAt *time.Time
	CreatedAt time.Time
}

// Open reports whether the claim still waits for staff.
func (c *Claim) Open() bool { return c.Status == ClaimPending || c.Status == ClaimEmailConfirmed }

// WebsiteDomain is the host of the firm's website without "www.", lower case; "" when none.
func (f *Firm) WebsiteDomain() string {
	w := strings.ToLower(f.Website)
	if i := strings.Index(w, "://"); i >= 0 {
		w = w[i+3:]
	}
	if i := strings.IndexAny(w, "/:?#"); i >= 0 {
		w = w[:i]
	}
	return strings.TrimPrefix(w, "www.")
}

// AtDomain reports whether the e-mail address is at domain or one of its subdomains.
func AtDomain(email, domain string) bool {
	at := strings.LastIndexByte(email, '@')
	if at < 0 || domain == "" {
		return false
	}
	host := strings.ToLower(email[at+1:])
	return host == domain || strings.HasSuffix(host, "."+domain)
}
