package models

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"
)

// Ownership is the kind of capital behind a firm.
type Ownership string

// The ownership types the Department records.
const (
	OwnershipPrivate      Ownership = "private"
	OwnershipState        Ownership = "state"
	OwnershipFDI          Ownership = "fdi"
	OwnershipJointVenture Ownership = "jv"
)

// Ownerships lists every ownership type in display order.
var Ownerships = []Ownership{OwnershipPrivate, OwnershipState, OwnershipFDI, OwnershipJointVenture}

// Firm is a supporting-industry company: the record behind a supplier profile.
type Firm struct {
	ID            uint      `gorm:"primaryKey" json:"id"`
	TaxCode       string    `gorm:"uniqueIndex;size:14;not null" json:"tax_code"`
	Slug          string    `gorm:"uniqueIndex;not null" json:"slug"`
	NameVI        string    `gorm:"not null" json:"name_vi"`
	NameEN        string    `json:"name_en"`
	ShortName     string    `json:"short_name"`
	DescriptionVI string    `json:"description_vi"`
	DescriptionEN string    `json:"description_en"`
	FoundedYear   int       `json:"founded_year,omitempty"`
	Employees     int       `json:"employees,omitempty"`
	Ownership     Ownership `gorm:"size:16" json:"ownership,omitempty"`
	Website       string    `json:"website"`
	Email         string    `json:"email"`
	Phone         string    `json:"phone"`
	ContactName   string    `json:"contact_name"`

	// Terms holds the firm's sectors, products, processes and materials from the taxonomy.
	Terms []Term `gorm:"-" json:"-"`
	// FreeTerms keeps what a firm wrote that matched no taxonomy term, so it stays searchable.
	FreeTerms     FreeTermList  `gorm:"type:text" json:"free_terms"`
	Certificates  []Certificate `gorm:"constraint:OnDelete:CASCADE" json:"certificates"`
	KeyCustomers  StringList    `gorm:"type:text" json:"key_customers"`
	ExportMarkets StringList    `gorm:"type:text" json:"export_markets"`
	Recognitions  []Recognition `gorm:"constraint:OnDelete:CASCADE" json:"spcncl"`
	Sites         []Site        `gorm:"constraint:OnDelete:CASCADE" json:"sites"`
	OwnerUserID   *uint         `json:"-"` // the supplier account that first claimed the profile
	Equipment     []Equipment   `gorm:"constraint:OnDelete:CASCADE" json:"equipment"`
	// Capacity: what buyers ask before they ask for a quote.
	MonthlyCapacity string `json:"monthly_capacity"` // "200,000 stamped parts", "15 t castings"
	LotSizes        string `json:"lot_sizes"`        // typical lot sizes
	LeadTimeDays    int    `json:"lead_time_days,omitempty"`
	CapacityNotes   string `json:"capacity_notes"`
	// VerifiedAt and VerifiedBy say when and by whom the Department verified the profile; a
	// change to the firm's core facts lapses it.
	VerifiedAt *time.Time `json:"verified_at,omitempty"`
	VerifiedBy string     `json:"-"`
	// EditedAt is when the firm itself last changed its profile; ReviewedAt when staff last
	// reviewed such changes. Edits after the review wait in the staff queue.
	EditedAt   *time.Time `json:"-"`
	ReviewedAt *time.Time `json:"-"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `gorm:"index" json:"updated_at"`
	Sample     bool       `gorm:"index" json:"-"` // made by the sample generator
}

// TermsOf returns the firm's taxonomy terms of one kind, in stored order.
func (f *Firm) TermsOf(kind TermKind) []Term {
	var out []Term
	for _, t := range f.Terms {
		if t.Kind == kind {
			out = append(out, t)
		}
	}
	return out
}

// TermCodes returns the codes of the firm's terms of one kind.
func (f *Firm) TermCodes(kind TermKind) []string {
	var out []string
	for _, t := range f.Terms {
		if t.Kind == kind {
			out = append(out, t.Code)
		}
	}
	return out
}

// MainSite is the first site, where the firm is listed on the map and in facets; nil if none.
func (f *Firm) MainSite() *Site {
	if len(f.Sites) == 0 {
		return nil
	}
	return &f.Sites[0]
}

// DisplayName is the firm's name in lang ("en" or "vi"), falling back to Vietnamese.
func (f *Firm) DisplayName(lang string) string {
	if lang == "en" && f.NameEN != "" {
		return f.NameEN
	}
	return f.NameVI
}

// SizeBand is the firm's size class by employees, as Decree 80/2021 sets for manufacturing.
func (f *Firm) SizeBand() SizeBand { return SizeBandOf(f.Employees) }

// SizeBand groups firms by head count.
type SizeBand string

// Size bands by employees: micro up to 10, small up to 100, medium up to 200, large above.
const (
	SizeMicro  SizeBand = "micro"
	SizeSmall  SizeBand = "small"
	SizeMedium SizeBand = "medium"
	SizeLarge  SizeBand = "large"
	SizeNone   SizeBand = ""
)

// SizeBands lists the bands from smallest to largest.
var SizeBands = []SizeBand{SizeMicro, SizeSmall, SizeMedium, SizeLarge}

// SizeBandOf returns the band for a head count; SizeNone when it is unknown (0).
func SizeBandOf(employees int) SizeBand {
	switch {
	case employees <= 0:
		return SizeNone
	case employees <= 10:
		return SizeMicro
	case employees <= 100:
		return SizeSmall
	case employees <= 200:
		return SizeMedium
	}
	return SizeLarge
}

// Site is a place where a firm works: its office or a plant.
type Site struct {
	ID       uint   `gorm:"primaryKey" json:"-"`
	FirmID   uint   `gorm:"index;not null" json:"-"`
	Position int    `json:"-"` // order on the profile; 0 is the main site
	Address  string `json:"address"`
	// Ward is the ward or commune (phường/xã) in force since 1 July 2025.
	Ward string `json:"ward"`
	// District is the GSO code of the former district (one of the 30), kept as a facet.
	District string `gorm:"size:3;index" json:"district"`
	// Zone is the code of the industrial park or cluster, if the site lies in one.
	Zone string `gorm:"index" json:"zone,omitempty"`
	// Corridors are derived from district and zone unless CorridorsSet says staff chose them.
	Corridors    StringList `gorm:"type:text" json:"corridors"`
	CorridorsSet bool       `json:"-"`
	Latitude     *float64   `json:"latitude,omitempty"`
	Longitude    *float64   `json:"longitude,omitempty"`
}

// Equipment is a kind of machine a firm runs, with how many and the specification buyers compare
// (tonnage, axes, bed size).
type Equipment struct {
	ID          uint   `gorm:"primaryKey" json:"-"`
	FirmID      uint   `gorm:"index;not null" json:"-"`
	Position    int    `json:"-"`
	MachineType string `json:"machine_type"`
	Count       int    `json:"count"`
	Spec        string `json:"spec"`
}

// CertificateStatus says how far a certificate can be trusted.
type CertificateStatus string

// Statuses: claimed by the firm, verified by the Department, rejected or revoked by it, and
// expired, which is derived from the expiry date and never stored.
const (
	CertClaimed  CertificateStatus = "claimed"
	CertVerified CertificateStatus = "verified"
	CertRejected CertificateStatus = "rejected"
	CertRevoked  CertificateStatus = "revoked"
	CertExpired  CertificateStatus = "expired"
)

// VerificationMethods are how staff check a certificate.
var VerificationMethods = []string{"register", "phone", "original"}

// Certificate is a firm's claim to meet a standard.
type Certificate struct {
	ID       uint   `gorm:"primaryKey" json:"-"`
	FirmID   uint   `gorm:"index;not null" json:"-"`
	Position int    `json:"-"`
	Standard string `gorm:"index;not null" json:"standard"` // a Standard code, or the text given if unknown
	Edition  string `json:"edition,omitempty"`              // "2015"
	Number   string `json:"number,omitempty"`
	Issuer   string `json:"issuer,omitempty"`
	Scope    string `json:"scope,omitempty"`
	IssuedOn *Date  `gorm:"type:date" json:"issued_on,omitempty"`
	Expires  *Date  `gorm:"type:date" json:"expires_on,omitempty"`
	// AccreditationBody accredited the certification body (BoA, UKAS, JAB…).
	AccreditationBody string `json:"accreditation_body,omitempty"`
	// State is the Department's decision: claimed (none yet), verified, rejected or revoked.
	State CertificateStatus `json:"-"`
	// VerifiedAt is set when Department staff checked the evidence; VerifiedBy is who,
	// VerificationMethod how (one of VerificationMethods), DecisionNote what they noted or why
	// they rejected it.
	VerifiedAt         *time.Time `json:"verified_at,omitempty"`
	VerifiedBy         string     `json:"-"`
	VerificationMethod string     `json:"-"`
	DecisionNote       string     `json:"-"`
	Evidence           string     `json:"-"` // path of a scan given by an import, relative to the data directory
	// Scans are the uploaded evidence, read by the store on request.
	Scans []CertificateScan `gorm:"-" json:"-"`
}

// CertificateScan is an uploaded scan of a certificate, stored in the data directory under a
// random name and served only to the firm's members and to staff.
type CertificateScan struct {
	ID            uint `gorm:"primaryKey"`
	CertificateID uint
	FirmID        uint
	StoredName    string
	OriginalName  string
	ContentType   string
	Size          int64
	UploadedBy    *uint
	UploadedAt    time.Time
}

// Status is derived at the moment asked, so an expired certificate never shows as current.
func (c *Certificate) Status(now time.Time) CertificateStatus {
	switch c.State {
	case CertRejected, CertRevoked:
		return c.State
	}
	if c.Expires != nil && c.Expires.EndedBy(now) {
		return CertExpired
	}
	if c.State == CertVerified || (c.State == "" && c.VerifiedAt != nil) {
		return CertVerified
	}
	return CertClaimed
}

// VerifiedFacts are the facts staff check; a change to any sends a verified certificate back to
// claimed.
func (c *Certificate) VerifiedFacts() string {
	return certificateText(Certificate{Standard: c.Standard, Edition: c.Edition, Number: c.Number, Issuer: c.Issuer,
		Scope: c.Scope, IssuedOn: c.IssuedOn, Expires: c.Expires, AccreditationBody: c.AccreditationBody})
}

// Current reports whether the certificate has not expired at now.
func (c *Certificate) Current(now time.Time) bool { return c.Status(now) != CertExpired }

// Label is the standard with its edition: "ISO 9001:2015".
func (c *Certificate) Label() string {
	if c.Edition == "" {
		return c.Standard
	}
	return c.Standard + ":" + c.Edition
}

// Recognition is a key industrial product (sản phẩm công nghiệp chủ lực, SPCNCL) title.
type Recognition struct {
	ID      uint   `gorm:"primaryKey" json:"-"`
	FirmID  uint   `gorm:"index;not null" json:"-"`
	Year    int    `json:"year"`
	Product string `json:"product"`
}

// FreeTerm is text a firm gave for a taxonomy kind that matched no term.
type FreeTerm struct {
	Kind TermKind `json:"kind"`
	Text string   `json:"text"`
}

// StringList is a list of strings stored as a JSON array in one column.
type StringList []string

// Value stores the list as JSON.
func (l StringList) Value() (driver.Value, error) { return jsonValue(l) }

// Scan reads the list from JSON.
func (l *StringList) Scan(v any) error { return jsonScan(v, l) }

// FreeTermList is a list of free terms stored as JSON in one column.
type FreeTermList []FreeTerm

// Value stores the list as JSON.
func (l FreeTermList) Value() (driver.Value, error) { return jsonValue(l) }

// Scan reads the list from JSON.
func (l *FreeTermList) Scan(v any) error { return jsonScan(v, l) }

// Texts returns the free terms of one kind.
func (l FreeTermList) Texts(kind TermKind) []string {
	var out []string
	for _, t := range l {
		if t.Kind == kind {
			out = append(out, t.Text)
		}
	}
	return out
}

func jsonValue[T any](l []T) (driver.Value, error) {
	if len(l) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(l)
	return string(b), err
}

func jsonScan(v any, dst any) error {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return json.Unmarshal([]byte(x), dst)
	case []byte:
		return json.Unmarshal(x, dst)
	}
	return fmt.Errorf("cannot read a list from %T", v)
}

// FirmStamp is a firm's id, slug and last update: what checking the search index against the
// database and listing the profiles in the sitemap need, without loading whole firms.
type FirmStamp struct {
	ID        uint
	Slug      string
	UpdatedAt time.Time
}

// Value stores the changes as JSON.
func (l FieldChanges) Value() (driver.Value, error) { return jsonValue(l) }

// Scan reads the changes from JSON.
func (l *FieldChanges) Scan(v any) error { return jsonScan(v, l) }
