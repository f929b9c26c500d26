package models

import (
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

var taxCodePattern = regexp.MustCompile(`^[0-9]{10}(-[0-9]{3})?$`)

// ValidTaxCode reports whether s is a tax code: 10 digits, or 10 digits, "-" and 3 for a branch.
func ValidTaxCode(s string) bool { return taxCodePattern.MatchString(s) }

// Field limits, generous for real text and small enough to keep a hostile file from filling the disk.
const (
	maxName        = 300
	maxDescription = 20000
	maxShortText   = 500
	maxListItems   = 100
	maxEmployees   = 500000
	firstRecognity = 2005 // the city's key-product programme started in 2005
)

// Validate checks the rules a firm must meet on its own, naming each field that breaks one. Rules
// that need reference data (districts, parks) are in Check.
func (f *Firm) Validate() error {
	return f.validate(time.Now())
}

func (f *Firm) validate(now time.Time) error {
	var p problems
	switch {
	case f.TaxCode == "":
		p.add("tax_code", "is required")
	case !ValidTaxCode(f.TaxCode):
		p.add("tax_code", "%q must be 10 digits, or 10 digits, a hyphen and 3 digits for a branch", f.TaxCode)
	}
	if strings.TrimSpace(f.NameVI) == "" {
		p.add("name_vi", "is required")
	}
	for _, t := range []struct {
		field, value string
		max          int
		multiline    bool
	}{
		{"name_vi", f.NameVI, maxName, false},
		{"name_en", f.NameEN, maxName, false},
		{"short_name", f.ShortName, maxName, false},
		{"description_vi", f.DescriptionVI, maxDescription, true},
		{"description_en", f.DescriptionEN, maxDescription, true},
		{"website", f.Website, maxShortText, false},
		{"email", f.Email, maxShortText, false},
		{"phone", f.Phone, maxShortText, false},
		{"contact_name", f.ContactName, maxShortText, false},
	} {
		checkText(&p, t.field, t.value, t.max, t.multiline)
	}
	if f.FoundedYear != 0 && (f.FoundedYear < 1900 || f.FoundedYear > now.Year()) {
		p.add("founded_year", "%d must be between 1900 and %d", f.FoundedYear, now.Year())
	}
	if f.Employees < 0 || f.Employees > maxEmployees {
		p.add("employees", "%d must be between 0 and %d", f.Employees, maxEmployees)
	}
	if f.Ownership != "" && !validOwnership(f.Ownership) {
		p.add("ownership", "%q must be one of private, state, fdi, jv", f.Ownership)
	}
	if f.Website != "" {
		if u, err := url.Parse(f.Website); err != nil || (u.Scheme != "http" && u.Scheme != "https") || !strings.Contains(u.Host, ".") {
			p.add("website", "%q is not a web address", f.Website)
		}
	}
	if f.Email != "" {
		if a, err := mail.ParseAddress(f.Email); err != nil || a.Address != f.Email {
			p.add("email", "%q is not an e-mail address", f.Email)
		}
	}
	if f.Phone != "" && !validPhone(f.Phone) {
		p.add("phone", "%q is not a phone number", f.Phone)
	}
	for _, l := range []struct {
		field string
		list  []string
	}{{"key_customers", f.KeyCustomers}, {"export_markets", f.ExportMarkets}} {
		if len(l.list) > maxListItems {
			p.add(l.field, "has %d entries; at most %d", len(l.list), maxListItems)
		}
		for _, v := range l.list {
			checkText(&p, l.field, v, maxName, false)
		}
	}
	if len(f.Terms)+len(f.FreeTerms) > 4*maxListItems {
		p.add("products", "too many taxonomy entries (%d)", len(f.Terms)+len(f.FreeTerms))
	}
	for _, t := range f.FreeTerms {
		checkText(&p, string(t.Kind)+"s", t.Text, maxName, false)
	}
	for i, s := range f.Sites {
		s.validate(&p, siteField(i))
	}
	for i, c := range f.Certificates {
		field := fmt.Sprintf("certifications[%d]", i+1)
		if strings.TrimSpace(c.Standard) == "" {
			p.add(field, "names no standard")
		}
		checkText(&p, field, c.Standard+c.Edition+c.Number+c.Issuer+c.Scope, maxShortText, false)
		if c.IssuedOn != nil && c.Expires != nil && c.Expires.Time.Before(c.IssuedOn.Time) {
			p.add(field, "expires (%s) before it was issued (%s)", c.Expires, c.IssuedOn)
		}
		if c.IssuedOn != nil && c.IssuedOn.After(now) {
			p.add(field, "issue date %s is in the future", c.IssuedOn)
		}
	}
	for i, r := range f.Recognitions {
		field := fmt.Sprintf("spcncl_years[%d]", i+1)
		if r.Year < firstRecognity || r.Year > now.Year() {
			p.add(field, "year %d must be between %d and %d", r.Year, firstRecognity, now.Year())
		}
		checkText(&p, field, r.Product, maxName, false)
	}
	return p.err()
}

// siteField names a site's fields: the main site uses the import columns ("district"), others
// are numbered ("sites[2].district").
func siteField(i int) string {
	if i == 0 {
		return ""
	}
	return fmt.Sprintf("sites[%d].", i+1)
}

func (s Site) validate(p *problems, prefix string) {
	checkText(p, prefix+"address", s.Address, maxShortText, false)
	checkText(p, prefix+"ward", s.Ward, maxName, false)
	if (s.Latitude == nil) != (s.Longitude == nil) {
		p.add(prefix+"latitude", "latitude and longitude go together")
	}
	if s.Latitude != nil && (*s.Latitude < -90 || *s.Latitude > 90) {
		p.add(prefix+"latitude", "%v must be between -90 and 90", *s.Latitude)
	}
	if s.Longitude != nil && (*s.Longitude < -180 || *s.Longitude > 180) {
		p.add(prefix+"longitude", "%v must be between -180 and 180", *s.Longitude)
	}
}

// Check validates the firm on its own and against the reference data: districts, parks and
// clusters, corridors and taxonomy terms must exist, and a park must lie in the site's district.
func (f *Firm) Check(ref *Reference, now time.Time) error {
	err := f.validate(now)
	var p problems
	if ve, ok := err.(*ValidationError); ok {
		p = ve.Fields
	}
	for i, s := range f.Sites {
		prefix := siteField(i)
		if s.District != "" {
			if _, ok := ref.District(s.District); !ok {
				p.add(prefix+"district", "%q is not one of Hanoi's 30 former districts", s.District)
			}
		}
		if s.Zone != "" {
			z, ok := ref.Zone(s.Zone)
			switch {
			case !ok:
				p.add(prefix+"industrial_zone", "%q is not a known industrial park or cluster", s.Zone)
			case !z.InHanoi && s.District != "":
				p.add(prefix+"industrial_zone", "%s is not in Hanoi, so it cannot be in a Hanoi district", z.NameVI)
			case s.District != "" && len(z.Districts) > 0 && !slices.Contains(z.Districts, s.District):
				d, _ := ref.District(s.District)
				p.add(prefix+"industrial_zone", "%s does not lie in %s", z.NameVI, d.NameVI)
			}
		}
		for _, c := range s.Corridors {
			if _, ok := ref.Corridor(c); !ok {
				p.add(prefix+"corridors", "%q is not a known corridor", c)
			}
		}
	}
	for _, t := range f.Terms {
		if _, ok := ref.Term(t.Code); !ok {
			p.add(string(t.Kind)+"s", "%q is not a taxonomy term", t.Code)
		}
	}
	return p.err()
}

// normalize tidies a firm before it is checked and stored: text in NFC without stray spaces,
// web addresses with a scheme, derived corridors filled in.
func (f *Firm) normalize(ref *Reference) {
	for _, s := range []*string{&f.TaxCode, &f.NameVI, &f.NameEN, &f.ShortName, &f.DescriptionVI,
		&f.DescriptionEN, &f.Website, &f.Email, &f.Phone, &f.ContactName} {
		*s = strings.TrimSpace(norm.NFC.String(*s))
	}
	if f.Website != "" && !strings.Contains(f.Website, "://") {
		f.Website = "https://" + f.Website
	}
	for i := range f.Sites {
		s := &f.Sites[i]
		s.Address, s.Ward = strings.TrimSpace(norm.NFC.String(s.Address)), strings.TrimSpace(norm.NFC.String(s.Ward))
		if z, ok := ref.Zone(s.Zone); ok && s.District == "" && len(z.Districts) == 1 {
			s.District = z.Districts[0]
		}
		if !s.CorridorsSet {
			s.Corridors = ref.DeriveCorridors(s.District, s.Zone)
		}
	}
}

func checkText(p *problems, field, value string, max int, multiline bool) {
	if !utf8.ValidString(value) {
		p.add(field, "is not valid UTF-8 text")
		return
	}
	if n := utf8.RuneCountInString(value); n > max {
		p.add(field, "is %d characters long; at most %d", n, max)
	}
	for _, r := range value {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t')) {
			p.add(field, "contains a control character (U+%04X)", r)
			return
		}
	}
}

func validOwnership(o Ownership) bool {
	for _, v := range Ownerships {
		if v == o {
			return true
		}
	}
	return false
}

func validPhone(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" +-().;/,", r):
		default:
			return false
		}
	}
	return digits >= 8 && digits <= 40
}
