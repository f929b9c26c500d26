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

// validate checks the rules a firm must meet on its own, naming each field that breaks one. Rules
// that need reference data (districts, parks) are in Check.
func (f *Firm) validate(now time.Time) error {
	var p problems
	switch {
	case f.TaxCode == "":
		p.add("tax_code", "validation.required", nil)
	case !ValidTaxCode(f.TaxCode):
		p.add("tax_code", "validation.tax_code", Args{"Value": quoted(f.TaxCode)})
	}
	if strings.TrimSpace(f.NameVI) == "" {
		p.add("name_vi", "validation.required", nil)
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
	year := now.In(Hanoi).Year()
	if f.FoundedYear != 0 && (f.FoundedYear < 1900 || f.FoundedYear > year) {
		p.add("founded_year", "validation.year_range", Args{"Value": f.FoundedYear, "Min": 1900, "Max": year})
	}
	if f.Employees < 0 || f.Employees > maxEmployees {
		p.add("employees", "validation.number_range", Args{"Value": f.Employees, "Min": 0, "Max": maxEmployees})
	}
	if f.Ownership != "" && !validOwnership(f.Ownership) {
		p.add("ownership", "validation.ownership", Args{"Value": quoted(f.Ownership)})
	}
	if f.Website != "" {
		if u, err := url.Parse(f.Website); err != nil || (u.Scheme != "http" && u.Scheme != "https") || !strings.Contains(u.Host, ".") {
			p.add("website", "validation.website", Args{"Value": quoted(f.Website)})
		}
	}
	if f.Email != "" {
		if a, err := mail.ParseAddress(f.Email); err != nil || a.Address != f.Email {
			p.add("email", "validation.email", Args{"Value": quoted(f.Email)})
		}
	}
	if f.Phone != "" && !validPhone(f.Phone) {
		p.add("phone", "validation.phone", Args{"Value": quoted(f.Phone)})
	}
	for _, l := range []struct {
		field string
		list  []string
	}{{"key_customers", f.KeyCustomers}, {"export_markets", f.ExportMarkets}} {
		if len(l.list) > maxListItems {
			p.add(l.field, "validation.too_many", Args{"Count": len(l.list), "Max": maxListItems})
		}
		for _, v := range l.list {
			checkText(&p, l.field, v, maxName, false)
		}
	}
	if len(f.Terms)+len(f.FreeTerms) > 4*maxListItems {
		p.add("products", "validation.too_many_terms", Args{"Count": len(f.Terms) + len(f.FreeTerms)})
	}
	for _, t := range f.FreeTerms {
		checkText(&p, t.Kind.Column(), t.Text, maxName, false)
	}
	for i, s := range f.Sites {
		s.validate(&p, siteField(i))
	}
	for i, c := range f.Certificates {
		field := fmt.Sprintf("certifications[%d]", i+1)
		if strings.TrimSpace(c.Standard) == "" {
			p.add(field, "validation.cert_no_standard", nil)
		}
		checkText(&p, field, c.Standard+c.Edition+c.Number+c.Issuer+c.Scope, maxShortText, false)
		if c.IssuedOn != nil && c.Expires != nil && c.Expires.Time.Before(c.IssuedOn.Time) {
			p.add(field, "validation.cert_expiry_order", Args{"Expires": c.Expires.String(), "Issued": c.IssuedOn.String()})
		}
		if c.IssuedOn != nil && c.IssuedOn.AfterToday(now) {
			p.add(field, "validation.date_future", Args{"Value": c.IssuedOn.String()})
		}
	}
	if len(f.Equipment) > maxListItems {
		p.add("equipment", "validation.too_many", Args{"Count": len(f.Equipment), "Max": maxListItems})
	}
	for i, e := range f.Equipment {
		field := fmt.Sprintf("equipment[%d]", i+1)
		if e.MachineType == "" {
			p.add(field, "validation.required", nil)
		}
		checkText(&p, field, e.MachineType+e.Spec, maxShortText, false)
		if e.Count < 1 || e.Count > maxEmployees {
			p.add(field, "validation.number_range", Args{"Value": e.Count, "Min": 1, "Max": maxEmployees})
		}
	}
	for _, t := range []struct{ field, value string }{
		{"monthly_capacity", f.MonthlyCapacity}, {"lot_sizes", f.LotSizes}, {"capacity_notes", f.CapacityNotes},
	} {
		checkText(&p, t.field, t.value, maxShortText, t.field == "capacity_notes")
	}
	if f.LeadTimeDays < 0 || f.LeadTimeDays > 730 {
		p.add("lead_time_days", "validation.number_range", Args{"Value": f.LeadTimeDays, "Min": 0, "Max": 730})
	}
	for i, r := range f.Recognitions {
		field := fmt.Sprintf("spcncl_years[%d]", i+1)
		if r.Year < firstRecognity || r.Year > year {
			p.add(field, "validation.recognition_year", Args{"Value": r.Year, "Min": firstRecognity, "Max": year})
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
		p.add(prefix+"latitude", "validation.lat_lng_pair", nil)
	}
	if s.Latitude != nil && (*s.Latitude < -90 || *s.Latitude > 90) {
		p.add(prefix+"latitude", "validation.number_range", Args{"Value": *s.Latitude, "Min": -90, "Max": 90})
	}
	if s.Longitude != nil && (*s.Longitude < -180 || *s.Longitude > 180) {
		p.add(prefix+"longitude", "validation.number_range", Args{"Value": *s.Longitude, "Min": -180, "Max": 180})
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
				p.add(prefix+"district", "validation.unknown_district", Args{"Value": quoted(s.District)})
			}
		}
		if s.Zone != "" {
			z, ok := ref.Zone(s.Zone)
			switch {
			case !ok:
				p.add(prefix+"industrial_zone", "validation.unknown_zone", Args{"Value": quoted(s.Zone)})
			case !z.InHanoi && s.District != "":
				p.add(prefix+"industrial_zone", "validation.zone_outside_hanoi", Args{"Zone": z.NameVI})
			case s.District != "" && len(z.Districts) > 0 && !slices.Contains(z.Districts, s.District):
				d, _ := ref.District(s.District)
				p.add(prefix+"industrial_zone", "validation.zone_district", Args{"Zone": z.NameVI, "District": d.NameVI})
			}
		}
		for _, c := range s.Corridors {
			if _, ok := ref.Corridor(c); !ok {
				p.add(prefix+"corridors", "validation.unknown_corridor", Args{"Value": quoted(c)})
			}
		}
	}
	for _, t := range f.Terms {
		if _, ok := ref.Term(t.Code); !ok {
			p.add(t.Kind.Column(), "validation.unknown_term", Args{"Value": quoted(t.Code)})
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
	for i := range f.Certificates {
		c := &f.Certificates[i]
		if c.State == "" {
			c.State = CertClaimed
			if c.VerifiedAt != nil {
				c.State = CertVerified
			}
		}
	}
	for i := range f.Equipment {
		e := &f.Equipment[i]
		e.MachineType, e.Spec = strings.TrimSpace(norm.NFC.String(e.MachineType)), strings.TrimSpace(norm.NFC.String(e.Spec))
	}
	f.ExportMarkets = dedupe(f.ExportMarkets)
	f.KeyCustomers = dedupe(f.KeyCustomers)
	f.resolveFreeTerms(ref)
	for i := range f.Sites {
		s := &f.Sites[i]
		s.Address, s.Ward = strings.TrimSpace(norm.NFC.String(s.Address)), strings.TrimSpace(norm.NFC.String(s.Ward))
		if w, ok := ref.ResolveWard(s.Ward); ok {
			s.Ward = w.FullName()
		}
		if z, ok := ref.Zone(s.Zone); ok && s.District == "" && len(z.Districts) == 1 {
			s.District = z.Districts[0]
		}
		if !s.CorridorsSet {
			s.Corridors = ref.DeriveCorridors(s.District, s.Zone)
		}
	}
}

// resolveFreeTerms turns free text that names a taxonomy term of its kind into that term, as an
// import does, so a firm's text never hides a term from the facets whichever way it was written.
func (f *Firm) resolveFreeTerms(ref *Reference) {
	var free FreeTermList
	for _, ft := range f.FreeTerms {
		t, ok := ref.ResolveTerm(ft.Kind, ft.Text)
		if !ok {
			free = append(free, ft)
			continue
		}
		if !slices.ContainsFunc(f.Terms, func(x Term) bool { return x.Code == t.Code }) {
			f.Terms = append(f.Terms, t)
		}
	}
	f.FreeTerms = free
}

// dedupe drops repeated entries, keeping the first of each.
func dedupe(list StringList) StringList {
	seen := make(map[string]bool, len(list))
	out := list[:0:0]
	for _, v := range list {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	if len(out) == len(list) {
		return list
	}
	return out
}

func checkText(p *problems, field, value string, max int, multiline bool) {
	if !utf8.ValidString(value) {
		p.add(field, "validation.not_utf8", nil)
		return
	}
	if n := utf8.RuneCountInString(value); n > max {
		p.add(field, "validation.too_long", Args{"Length": n, "Max": max})
	}
	for _, r := range value {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t')) {
			p.add(field, "validation.control_character", Args{"Char": fmt.Sprintf("U+%04X", r)})
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
