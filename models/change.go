package models

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// FieldChange is one stored field that a write changes, with the old and new values as text. A
// list entry is named with its position ("sites[2]", "certificates[1]").
type FieldChange struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// FirmChanges lists the stored fields whose values differ between old and new, in a fixed order;
// it is empty when the two records say the same. Every stored fact counts, including those no
// page or API shows (the owner, the sample flag, a corridor chosen by staff, certificate evidence);
// ids, slugs and timestamps of the record itself do not.
func FirmChanges(old, new *Firm) []FieldChange {
	a, b := firmFields(old), firmFields(new)
	var out []FieldChange
	for i := 0; i < max(len(a), len(b)); i++ {
		var fa, fb field
		if i < len(a) {
			fa = a[i]
		}
		if i < len(b) {
			fb = b[i]
		}
		if fa.name == fb.name {
			if fa.value != fb.value {
				out = append(out, FieldChange{Field: fa.name, Old: fa.value, New: fb.value})
			}
			continue
		}
		// Lists of different lengths put their entries out of step; compare them by name.
		return diffByName(a, b)
	}
	return out
}

func diffByName(a, b []field) []FieldChange {
	old := make(map[string]string, len(a))
	for _, f := range a {
		old[f.name] = f.value
	}
	seen := make(map[string]bool, len(b))
	var out []FieldChange
	for _, f := range b {
		seen[f.name] = true
		if v, ok := old[f.name]; !ok || v != f.value {
			out = append(out, FieldChange{Field: f.name, Old: v, New: f.value})
		}
	}
	for _, f := range a {
		if !seen[f.name] {
			out = append(out, FieldChange{Field: f.name, Old: f.value})
		}
	}
	return out
}

type field struct{ name, value string }

// firmFields renders every stored field of f as text, lists entry by entry.
func firmFields(f *Firm) []field {
	if f == nil {
		return nil
	}
	out := []field{
		{"tax_code", f.TaxCode}, {"name_vi", f.NameVI}, {"name_en", f.NameEN}, {"short_name", f.ShortName},
		{"description_vi", f.DescriptionVI}, {"description_en", f.DescriptionEN},
		{"founded_year", itoaNonZero(f.FoundedYear)}, {"employees", itoaNonZero(f.Employees)},
		{"ownership", string(f.Ownership)}, {"website", f.Website}, {"email", f.Email}, {"phone", f.Phone},
		{"contact_name", f.ContactName},
	}
	for _, kind := range TermKinds {
		out = append(out, field{kind.Column(), strings.Join(f.TermCodes(kind), "; ")},
			field{"free_" + kind.Column(), strings.Join(f.FreeTerms.Texts(kind), "; ")})
	}
	out = append(out,
		field{"key_customers", strings.Join(f.KeyCustomers, "; ")},
		field{"export_markets", strings.Join(f.ExportMarkets, "; ")},
		field{"owner", uintText(f.OwnerUserID)},
		field{"verified_at", timeText(f.VerifiedAt)},
		field{"verified_by", f.VerifiedBy},
		field{"monthly_capacity", f.MonthlyCapacity},
		field{"lot_sizes", f.LotSizes},
		field{"lead_time_days", itoaNonZero(f.LeadTimeDays)},
		field{"capacity_notes", f.CapacityNotes},
		field{"sample", strconv.FormatBool(f.Sample)},
	)
	for i, e := range f.Equipment {
		out = append(out, field{fmt.Sprintf("equipment[%d]", i+1), joinParts("type", e.MachineType, "count", itoaNonZero(e.Count), "spec", e.Spec)})
	}
	for i, s := range f.Sites {
		out = append(out, field{fmt.Sprintf("sites[%d]", i+1), siteText(s)})
	}
	for i, c := range f.Certificates {
		out = append(out, field{fmt.Sprintf("certificates[%d]", i+1), certificateText(c)})
	}
	for i, r := range f.Recognitions {
		out = append(out, field{fmt.Sprintf("spcncl[%d]", i+1), fmt.Sprintf("%d: %s", r.Year, r.Product)})
	}
	return out
}

func siteText(s Site) string {
	corridors := strings.Join(s.Corridors, ",")
	if s.CorridorsSet {
		corridors += " (set by staff)"
	}
	return joinParts("address", s.Address, "ward", s.Ward, "district", s.District, "zone", s.Zone,
		"corridors", corridors, "latitude", floatText(s.Latitude), "longitude", floatText(s.Longitude))
}

func certificateText(c Certificate) string {
	return joinParts("standard", c.Standard, "edition", c.Edition, "number", c.Number, "issuer", c.Issuer,
		"accreditation", c.AccreditationBody, "scope", c.Scope, "issued", dateText(c.IssuedOn),
		"expires", dateText(c.Expires), "state", string(c.State), "verified", timeText(c.VerifiedAt),
		"verified_by", c.VerifiedBy, "method", c.VerificationMethod, "note", c.DecisionNote, "evidence", c.Evidence)
}

// joinParts writes the non-empty name/value pairs as "name: value | name: value".
func joinParts(kv ...string) string {
	var parts []string
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			parts = append(parts, kv[i]+": "+kv[i+1])
		}
	}
	return strings.Join(parts, " | ")
}

func itoaNonZero(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func uintText(p *uint) string {
	if p == nil {
		return ""
	}
	return strconv.FormatUint(uint64(*p), 10)
}

func floatText(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', -1, 64)
}

func dateText(d *Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

func timeText(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}
