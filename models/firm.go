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
	OwnerUserID   *uint         `json:"-"` // the supplier account that claimed the profile (accounts come later)
	VerifiedAt    *time.Time    `json:"verified_at,omitempty"`
	CreatedAt     time.Time     `json:"created_at"`
	UpdatedAt     time.Time     `gorm:"index" json:"updated_at"`
	Sample        bool          `gorm:"index" json:"-"` // made by the sample generator
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

// CertificateStatus says how far a certificate can be trusted.
type CertificateStatus string

// Statuses: claimed by the firm, verified by the Department, expired by date.
const (
	CertClaimed  CertificateStatus = "claimed"
	CertVerified CertificateStatus = "verified"
	CertExpired  CertificateStatus = "expired"
)

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
	// VerifiedAt is set when Department staff checked the evidence.
	VerifiedAt *time.Time `json:"verified_at,omitempty"`
	Evidence   string     `json:"-"` // path of the uploaded scan, relative to the data directory
}

// Status is derived at the moment asked, so an expired certificate never shows as current.
func (c *Certificate) Status(now time.Time) CertificateStatus {
	if c.Expires != nil && c.Expires.EndedBy(now) {
		return CertExpired
	}
	if c.VerifiedAt != nil {
		return CertVerified
	}
	return CertClaimed
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
