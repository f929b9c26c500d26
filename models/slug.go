package models

import "strings"

// companyForms are the legal-form words dropped from a name when making its slug.
var companyForms = []string{
	"cong ty trach nhiem huu han mot thanh vien", "cong ty tnhh mot thanh vien", "cong ty tnhh mtv",
	"cong ty trach nhiem huu han", "cong ty tnhh", "cong ty co phan", "cong ty cp", "doanh nghiep tu nhan",
	"chi nhanh cong ty tnhh", "chi nhanh cong ty co phan", "chi nhanh", "cong ty",
}

// BaseSlug is the URL name made from a firm's short name, or its legal name without the legal form.
func BaseSlug(f *Firm) string {
	name := f.ShortName
	if name == "" {
		name = FoldKey(f.NameVI)
		for _, form := range companyForms {
			if strings.HasPrefix(name, form+" ") {
				name = strings.TrimPrefix(name, form+" ")
				break
			}
		}
	}
	slug := Slugify(name)
	if len(slug) > 60 {
		slug = strings.TrimRight(slug[:60], "-")
	}
	if slug == "" {
		slug = "firm"
	}
	return slug
}
