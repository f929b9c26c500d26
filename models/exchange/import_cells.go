package exchange

import (
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hanoi-cnht/portal/models"
)

var groupedWhole = regexp.MustCompile(`^[0-9]{1,3}([.,  \x{00A0}\x{202F}][0-9]{3})+$`)

// wholeNumber reads a count, allowing thousands separators ("1.200", "1,200", "1 200"); empty is 0.
func (imp *rowImporter) wholeNumber(ir *importRow, col, v string) (int, bool) {
	if v == "" {
		return 0, true
	}
	s := v
	if groupedWhole.MatchString(s) {
		s = strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s)
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		imp.found.problem(ir.num, col, v, "%q is not a whole number", v)
		return 0, false
	}
	return n, true
}

// decimal reads a coordinate; a decimal comma ("21,0285", as Vietnamese Excel writes) is fine.
func (imp *rowImporter) decimal(ir *importRow, col, v string) (*float64, bool) {
	if v == "" {
		return nil, true
	}
	s := v
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		imp.found.problem(ir.num, col, v, "%q is not a number", v)
		return nil, false
	}
	return &x, true
}

// splitList splits a list cell, dropping empty entries.
func splitList(s string, seps ...rune) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return slices.Contains(seps, r) })
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// splitTopLevel splits s at sep outside parentheses.
func splitTopLevel(s string, sep rune) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
			}
		case sep:
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + utf8.RuneLen(r)
			}
		}
	}
	return append(out, s[start:])
}

var termColumns = []struct {
	kind models.TermKind
	col  string
}{{models.KindSector, "sectors"}, {models.KindProduct, "products"}, {models.KindProcess, "processes"}, {models.KindMaterial, "materials"}}

// applyTerms sets the firm's taxonomy terms and free terms from the taxonomy columns in the file;
// kinds whose column is absent keep the stored ones.
func (imp *rowImporter) applyTerms(ir *importRow, f *models.Firm) {
	anyPresent := false
	for _, tc := range termColumns {
		if _, ok := ir.get(tc.col); ok {
			anyPresent = true
		}
	}
	if !anyPresent {
		return
	}
	var terms []models.Term
	var free models.FreeTermList
	for _, tc := range termColumns {
		v, ok := ir.get(tc.col)
		if !ok {
			for _, t := range f.TermsOf(tc.kind) {
				// Another column may have named the term already.
				if !slices.ContainsFunc(terms, func(x models.Term) bool { return x.Code == t.Code }) {
					terms = append(terms, t)
				}
			}
			for _, ft := range f.FreeTerms {
				if ft.Kind == tc.kind {
					free = append(free, ft)
				}
			}
			continue
		}
		for _, item := range splitList(v, ';') {
			imp.readEntry(ir, tc.kind, tc.col, item, &terms, &free)
		}
	}
	f.Terms, f.FreeTerms = terms, free
}

// readEntry adds what one entry of a taxonomy column names to terms and free. An entry in quotes
// is free text as written; one that is a term's label or synonym (or whose comma-separated parts
// each are) is that term; otherwise, with a concept finder, the terms its phrases name, of any
// kind, and the words they leave as free text, both reported. Repeats are dropped.
func (imp *rowImporter) readEntry(ir *importRow, kind models.TermKind, col, item string, terms *[]models.Term, free *models.FreeTermList) {
	hasFree := func(text string) bool {
		k := models.FoldKey(text)
		return slices.ContainsFunc(*free, func(ft models.FreeTerm) bool { return ft.Kind == kind && models.FoldKey(ft.Text) == k })
	}
	addFree := func(text string) {
		if !hasFree(text) {
			*free = append(*free, models.FreeTerm{Kind: kind, Text: text})
		}
	}
	addTerms := func(found []models.Term) {
		for _, t := range found {
			if !slices.ContainsFunc(*terms, func(x models.Term) bool { return x.Code == t.Code }) {
				*terms = append(*terms, t)
			}
		}
	}
	if text, ok := quotedEntry(item); ok {
		addFree(text)
		return
	}
	found := imp.resolveTerms(kind, item)
	if found != nil && (imp.concepts == nil || len(found) > 1 || namesOnly(found[0], item)) {
		addTerms(found)
		return
	}
	if imp.concepts != nil {
		var whole *models.Term
		if found != nil {
			// A synonym may say more than its term: "Ép phun nhựa kỹ thuật" is injection moulding
			// of engineering plastics. A label (what export writes) is its term alone.
			whole = &found[0]
		}
		named, left := imp.readCell(item, whole)
		if whole != nil && len(named) == 1 {
			addTerms(named)
			return
		}
		if len(named) > 0 {
			addTerms(named)
			m := CellMapping{Row: ir.num, Column: col, Value: item, Free: left}
			for _, t := range named {
				m.Terms = append(m.Terms, MappedTerm{Code: t.Code, Kind: t.Kind, LabelVI: t.LabelVI, LabelEN: t.LabelEN})
			}
			imp.found.mapped(m)
			if len(left) > 0 {
				quoted := make([]string, len(left))
				for i, text := range left {
					addFree(text)
					quoted[i] = "“" + text + "”"
				}
				imp.found.warnKey(ir.num, col, item, KeyLeftFree, models.Args{"Free": strings.Join(quoted, ", ")})
			}
			return
		}
	}
	if !hasFree(item) {
		addFree(item)
		imp.found.warnKey(ir.num, col, item, KeyNotInTaxonomy, models.Args{"Value": item})
	}
}

// namesOnly reports whether item is t's code or one of its labels, which name nothing but t.
func namesOnly(t models.Term, item string) bool {
	k := models.FoldKey(item)
	return k == models.FoldKey(t.Code) || k == models.FoldKey(t.LabelVI) || k == models.FoldKey(t.LabelEN)
}

// resolveTerms finds the term an entry names; an entry that names none but whose comma-separated
// parts each name one ("Khuôn mẫu, Ép nhựa") gives those terms; otherwise nil.
func (imp *rowImporter) resolveTerms(kind models.TermKind, item string) []models.Term {
	if t, ok := imp.ref.ResolveTerm(kind, item); ok {
		return []models.Term{t}
	}
	parts := splitList(item, ',')
	if len(parts) < 2 {
		return nil
	}
	out := make([]models.Term, 0, len(parts))
	for _, p := range parts {
		t, ok := imp.ref.ResolveTerm(kind, p)
		if !ok {
			return nil
		}
		out = append(out, t)
	}
	return out
}

// siteColumns are the columns of the main site, and the keys of each entry of other_sites.
var siteColumns = []string{"address", "ward", "district", "industrial_zone", "corridors", "latitude", "longitude"}

// applySite sets the main site from the location columns in the file. A row with no location at
// all has no main site, unless the firm has other sites: then the main site is left empty rather
// than a plant taking its place.
func (imp *rowImporter) applySite(ir *importRow, f *models.Firm) {
	present := false
	for _, c := range siteColumns {
		if _, ok := ir.get(c); ok {
			present = true
		}
	}
	if !present {
		return
	}
	var site models.Site
	if len(f.Sites) > 0 {
		site = f.Sites[0]
	}
	site = imp.site(ir, site, ir.get, func(key string) string { return key })
	located := site.Address != "" || site.Ward != "" || site.District != "" || site.Zone != "" ||
		site.Latitude != nil || site.Longitude != nil
	switch {
	case !located && len(f.Sites) <= 1:
		if site.CorridorsSet {
			imp.found.warn(ir.num, "corridors", ir.cells["corridors"], "corridors without a location were ignored")
		}
		f.Sites = nil
	case len(f.Sites) == 0:
		f.Sites = []models.Site{site}
	default:
		f.Sites[0] = site
	}
}

// applyOtherSites replaces the firm's plants and offices beyond the main site with those of the
// other_sites cell: one site a line, its parts "key: value" separated by " | ", with the keys of
// the main site's columns.
func (imp *rowImporter) applyOtherSites(ir *importRow, f *models.Firm) {
	v, ok := ir.get("other_sites")
	if !ok {
		return
	}
	main := models.Site{}
	if len(f.Sites) > 0 {
		main = f.Sites[0]
	}
	sites := []models.Site{main}
	for _, line := range strings.Split(v, "\n") {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		parts := map[string]string{}
		for _, part := range strings.Split(line, " | ") {
			key, value, found := strings.Cut(part, ":")
			key = strings.TrimSpace(key)
			if !found || !slices.Contains(siteColumns, key) {
				imp.found.problem(ir.num, "other_sites", line, "%q is not \"key: value\" with a key among %s", part, strings.Join(siteColumns, ", "))
				continue
			}
			parts[key] = strings.TrimSpace(value)
		}
		get := func(key string) (string, bool) { v, ok := parts[key]; return v, ok }
		sites = append(sites, imp.site(ir, models.Site{}, get, func(string) string { return "other_sites" }))
	}
	if len(sites) == 1 && len(f.Sites) == 0 {
		return
	}
	f.Sites = sites
}

// site applies the location values that get finds to site; column names the column a problem
// with a key is reported against.
func (imp *rowImporter) site(ir *importRow, site models.Site, get func(string) (string, bool), column func(string) string) models.Site {
	if v, ok := get("address"); ok {
		site.Address = v
	}
	if v, ok := get("ward"); ok {
		site.Ward = v
		if w, ok := imp.ref.ResolveWard(v); ok {
			site.Ward = w.FullName()
		}
	}
	if v, ok := get("district"); ok {
		site.District = ""
		if v != "" {
			if d, ok := imp.ref.ResolveDistrict(v); ok {
				site.District = d.Code
			} else {
				imp.found.problem(ir.num, column("district"), v, "%q is not one of Hanoi's 30 former districts", v)
			}
		}
	}
	if v, ok := get("industrial_zone"); ok {
		site.Zone = ""
		if v != "" {
			if z, ok := imp.ref.ResolveZone(v); ok {
				site.Zone = z.Code
			} else {
				imp.found.problem(ir.num, column("industrial_zone"), v, "%q is not a known industrial park or cluster", v)
			}
		}
	}
	if v, ok := get("latitude"); ok {
		if x, ok := imp.decimal(ir, column("latitude"), v); ok {
			site.Latitude = x
		}
	}
	if v, ok := get("longitude"); ok {
		if x, ok := imp.decimal(ir, column("longitude"), v); ok {
			site.Longitude = x
		}
	}
	if v, ok := get("corridors"); ok {
		// A corridor named in the file is staff's choice; an empty cell lets location decide.
		site.Corridors, site.CorridorsSet = nil, v != ""
		for _, item := range splitList(v, ';') {
			c, ok := imp.ref.ResolveCorridor(item)
			if !ok {
				imp.found.problem(ir.num, column("corridors"), item, "%q is not a known corridor", item)
				continue
			}
			if !slices.Contains(site.Corridors, c.Code) {
				site.Corridors = append(site.Corridors, c.Code)
			}
		}
	}
	return site
}

// exportMarkets resolves countries to ISO codes; an unknown country is kept as written.
func (imp *rowImporter) exportMarkets(ir *importRow, v string) models.StringList {
	out := models.StringList{}
	for _, item := range splitList(v, ';', ',') {
		code := item
		if c, ok := models.ResolveCountry(item); ok {
			code = c.Code
		} else {
			imp.found.warn(ir.num, "export_markets", item, "%q is not a known country; it was kept as written", item)
		}
		if !slices.Contains(out, code) {
			out = append(out, code)
		}
	}
	return out
}

var recognitionEntry = regexp.MustCompile(`^([0-9]{4})\s*(?:(?::|-|–)\s*(.*))?$`)

// recognitions reads "2023: Khuôn ép nhựa chính xác; 2021". A bare year is a recognition whose
// product is not named (Check allows it); nothing is guessed. Entries are ordered newest first,
// the order the store loads them in.
func (imp *rowImporter) recognitions(ir *importRow, v string) ([]models.Recognition, []string) {
	var recs []models.Recognition
	var texts []string
	for _, item := range splitList(v, ';') {
		m := recognitionEntry.FindStringSubmatch(item)
		if m == nil {
			imp.found.problem(ir.num, "spcncl_years", item, "%q should be a year, or a year, a colon and the product (\"2023: Khuôn ép nhựa\")", item)
			continue
		}
		year, _ := strconv.Atoi(m[1])
		recs = append(recs, models.Recognition{Year: year, Product: strings.TrimSpace(m[2])})
		texts = append(texts, item)
	}
	idx := make([]int, len(recs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return recs[idx[a]].Year > recs[idx[b]].Year })
	sortedRecs, sortedTexts := make([]models.Recognition, len(recs)), make([]string, len(recs))
	for i, j := range idx {
		sortedRecs[i], sortedTexts[i] = recs[j], texts[j]
	}
	return sortedRecs, sortedTexts
}

// ownershipByKey maps codes and the labels people write to ownership types.
var ownershipByKey = func() map[string]models.Ownership {
	m := map[string]models.Ownership{}
	for o, words := range map[models.Ownership][]string{
		models.OwnershipPrivate: {"private", "Tư nhân", "Doanh nghiệp tư nhân", "Domestic private", "Private domestic",
			"Ngoài nhà nước", "Ngoài quốc doanh", "Dân doanh", "Trong nước", "Domestic"},
		models.OwnershipState: {"state", "Nhà nước", "Doanh nghiệp nhà nước", "DNNN", "Vốn nhà nước", "State-owned",
			"State owned", "SOE", "Quốc doanh"},
		models.OwnershipFDI: {"fdi", "Vốn đầu tư nước ngoài", "Có vốn đầu tư nước ngoài", "100% vốn nước ngoài",
			"Đầu tư nước ngoài", "Vốn nước ngoài", "Doanh nghiệp FDI", "Foreign-invested", "Foreign invested",
			"Foreign-owned", "Foreign owned", "Foreign", "100% foreign-owned"},
		models.OwnershipJointVenture: {"jv", "Liên doanh", "Doanh nghiệp liên doanh", "Joint venture", "Joint-venture"},
	} {
		for _, w := range words {
			m[models.FoldKey(w)] = o
		}
	}
	return m
}()
