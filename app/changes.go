package main

import (
	"strings"
)

// changeFields are the stored fields of a firm that the history and review pages name; each has
// a label "change.FIELD" in both languages.
var changeFields = []string{"tax_code", "name_vi", "name_en", "short_name", "description_vi", "description_en",
	"founded_year", "employees", "ownership", "website", "email", "phone", "contact_name", "sectors", "free_sectors",
	"products", "free_products", "processes", "free_processes", "materials", "free_materials", "key_customers",
	"export_markets", "owner", "verified_at", "verified_by", "monthly_capacity", "lot_sizes", "lead_time_days",
	"capacity_notes", "sample", "sites", "certificates", "spcncl", "equipment"}

// changeLabel names a changed field in lang: "name_en" → "Name in English", "sites[2]" →
// "Site 2". A field it does not know is shown as recorded.
func (c *catalog) changeLabel(lang, field string) string {
	base, n, indexed := strings.Cut(field, "[")
	if !c.ids[lang]["change."+base] {
		return field
	}
	label := c.tr(lang, "change."+base)
	if indexed {
		label += " " + strings.TrimSuffix(n, "]")
	}
	return label
}
