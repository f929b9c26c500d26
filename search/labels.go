package search

import "github.com/hanoi-cnht/portal/models"

// sizeLabels name the size bands in each language, with their head counts.
var sizeLabels = map[models.SizeBand][2]string{
	models.SizeMicro:  {"Siêu nhỏ (≤10)", "Micro (≤10)"},
	models.SizeSmall:  {"Nhỏ (11–100)", "Small (11–100)"},
	models.SizeMedium: {"Vừa (101–200)", "Medium (101–200)"},
	models.SizeLarge:  {"Lớn (>200)", "Large (>200)"},
}

// ownershipLabels name the ownership types in each language.
var ownershipLabels = map[models.Ownership][2]string{
	models.OwnershipPrivate:      {"Tư nhân", "Private"},
	models.OwnershipState:        {"Nhà nước", "State-owned"},
	models.OwnershipFDI:          {"Vốn đầu tư nước ngoài (FDI)", "Foreign-invested (FDI)"},
	models.OwnershipJointVenture: {"Liên doanh", "Joint venture"},
}

// SizeLabel names a size band in lang ("vi" or "en").
func SizeLabel(b models.SizeBand, lang string) string {
	if l, ok := sizeLabels[b]; ok {
		return pickLang(l, lang)
	}
	return string(b)
}

// OwnershipLabel names an ownership type in lang ("vi" or "en").
func OwnershipLabel(o models.Ownership, lang string) string {
	if l, ok := ownershipLabels[o]; ok {
		return pickLang(l, lang)
	}
	return string(o)
}

func pickLang(l [2]string, lang string) string {
	if lang == "en" {
		return l[1]
	}
	return l[0]
}

// facetLabel names a facet value in lang from the reference data; a value it does not know is
// shown as it is.
func facetLabel(ref *models.Reference, facet, value, lang string) string {
	switch facet {
	case FacetSector, FacetProduct, FacetProcess, FacetMaterial:
		if t, ok := ref.Term(value); ok {
			return t.Label(lang)
		}
	case FacetCert:
		if s, ok := ref.Standard(value); ok {
			return s.Label(lang)
		}
	case FacetCorridor:
		if c, ok := ref.Corridor(value); ok {
			return c.Label(lang)
		}
	case FacetDistrict:
		if d, ok := ref.District(value); ok {
			return d.Label(lang)
		}
	case FacetZone:
		if z, ok := ref.Zone(value); ok {
			return z.Label(lang)
		}
	case FacetSize:
		return SizeLabel(models.SizeBand(value), lang)
	case FacetOwnership:
		return OwnershipLabel(models.Ownership(value), lang)
	case FacetMarket:
		if c, ok := models.ResolveCountry(value); ok && c.Code == value {
			return c.Label(lang)
		}
	}
	return value
}
