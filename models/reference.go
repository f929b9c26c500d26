package models

import (
	"sort"
	"strings"
)

// Reference holds the taxonomy and reference data in memory, with lookups that accept codes and
// labels in either language, with or without diacritics, in any case. It is read-only once built;
// the store builds a new one when staff change reference data.
type Reference struct {
	Terms     []Term
	Districts []District
	Zones     []Zone
	Corridors []Corridor
	Standards []Standard
	Wards     []Ward

	termByCode     map[string]*Term
	termByKey      map[TermKind]map[string]*Term
	districtByCode map[string]*District
	districtByKey  map[string]*District
	zoneByCode     map[string]*Zone
	zoneByKey      map[string]*Zone
	corridorByCode map[string]*Corridor
	corridorByKey  map[string]*Corridor
	standardByCode map[string]*Standard
	standardByKey  map[string]*Standard
	wardByKey      map[string]*Ward
}

// NewReference indexes the given reference data for lookups.
func NewReference(terms []Term, districts []District, zones []Zone, corridors []Corridor, standards []Standard, wards []Ward) *Reference {
	r := &Reference{Terms: terms, Districts: districts, Zones: zones, Corridors: corridors, Standards: standards, Wards: wards}
	sort.SliceStable(r.Terms, func(i, j int) bool { return r.Terms[i].Position < r.Terms[j].Position })
	sort.SliceStable(r.Corridors, func(i, j int) bool { return r.Corridors[i].Position < r.Corridors[j].Position })
	sort.SliceStable(r.Standards, func(i, j int) bool { return r.Standards[i].Position < r.Standards[j].Position })

	r.termByCode = map[string]*Term{}
	r.termByKey = map[TermKind]map[string]*Term{}
	// Labels win over synonyms when a word is both, so index synonyms first and labels last.
	for pass := 0; pass < 2; pass++ {
		for i := range r.Terms {
			t := &r.Terms[i]
			r.termByCode[t.Code] = t
			m := r.termByKey[t.Kind]
			if m == nil {
				m = map[string]*Term{}
				r.termByKey[t.Kind] = m
			}
			words := append(append(StringList{}, t.SynonymsVI...), t.SynonymsEN...)
			if pass == 1 {
				words = StringList{t.Code, t.LabelVI, t.LabelEN}
			}
			for _, w := range words {
				if k := FoldKey(w); k != "" {
					m[k] = t
				}
			}
		}
	}

	r.districtByCode = map[string]*District{}
	r.districtByKey = map[string]*District{}
	for i := range r.Districts {
		d := &r.Districts[i]
		r.districtByCode[d.Code] = d
		for _, w := range []string{d.Code, d.NameVI, d.PrefixVI + " " + d.NameVI, d.NameEN, d.NameEN + " district", d.NameEN + " town", d.Slug()} {
			r.districtByKey[FoldKey(w)] = d
		}
	}

	r.zoneByCode = map[string]*Zone{}
	r.zoneByKey = map[string]*Zone{}
	for i := range r.Zones {
		z := &r.Zones[i]
		r.zoneByCode[z.Code] = z
		for _, w := range []string{z.Code, z.NameVI, z.NameEN, stripZonePrefix(z.NameVI), stripAside(z.NameEN)} {
			r.zoneByKey[FoldKey(w)] = z
		}
	}

	r.corridorByCode = map[string]*Corridor{}
	r.corridorByKey = map[string]*Corridor{}
	for i := range r.Corridors {
		c := &r.Corridors[i]
		r.corridorByCode[c.Code] = c
		for _, w := range []string{c.Code, c.LabelVI, c.LabelEN} {
			r.corridorByKey[FoldKey(w)] = c
		}
	}

	r.standardByCode = map[string]*Standard{}
	r.standardByKey = map[string]*Standard{}
	for i := range r.Standards {
		s := &r.Standards[i]
		r.standardByCode[s.Code] = s
		for _, w := range append([]string{s.Code, s.NameEN}, s.Synonyms...) {
			r.standardByKey[compactKey(w)] = s
		}
	}

	r.wardByKey = map[string]*Ward{}
	for i := range r.Wards {
		w := &r.Wards[i]
		r.wardByKey[FoldKey(w.Name)] = w
		r.wardByKey[FoldKey("phường "+w.Name)] = w
	}
	return r
}

// stripZonePrefix drops "KCN ", "CCN " and similar from a zone's name so "Thăng Long" finds
// "KCN Thăng Long".
func stripZonePrefix(name string) string {
	for _, p := range []string{"KCN ", "CCN ", "Khu công nghiệp ", "Cụm công nghiệp ", "Khu công nghệ cao "} {
		if strings.HasPrefix(name, p) {
			return strings.TrimPrefix(name, p)
		}
	}
	return name
}

// stripAside drops a closing remark in parentheses from a name: "Thang Long Industrial Park
// (TLIP)" is also written without it.
func stripAside(name string) string {
	if i := strings.LastIndex(name, " ("); i > 0 && strings.HasSuffix(name, ")") {
		return name[:i]
	}
	return name
}

// compactKey folds s and keeps only letters and digits, so "ISO9001", "iso 9001" and "ISO-9001"
// are one key.
func compactKey(s string) string {
	return strings.ReplaceAll(FoldKey(s), " ", "")
}

// Term returns the term with the code.
func (r *Reference) Term(code string) (Term, bool) {
	t, ok := r.termByCode[code]
	if !ok {
		return Term{}, false
	}
	return *t, true
}

// TermsOfKind returns the terms of one kind in display order.
func (r *Reference) TermsOfKind(kind TermKind) []Term {
	var out []Term
	for _, t := range r.Terms {
		if t.Kind == kind {
			out = append(out, t)
		}
	}
	return out
}

// ResolveTerm finds the term of kind that text names by code, label or synonym in either
// language, ignoring case and diacritics.
func (r *Reference) ResolveTerm(kind TermKind, text string) (Term, bool) {
	t, ok := r.termByKey[kind][FoldKey(text)]
	if !ok {
		return Term{}, false
	}
	return *t, true
}

// District returns the district with the GSO code.
func (r *Reference) District(code string) (District, bool) {
	d, ok := r.districtByCode[code]
	if !ok {
		return District{}, false
	}
	return *d, true
}

// ResolveDistrict finds a district from its code, or its name with or without "Quận"/"Huyện"/
// "Thị xã" or "District", in either language.
func (r *Reference) ResolveDistrict(text string) (District, bool) {
	d, ok := r.districtByKey[FoldKey(text)]
	if !ok {
		return District{}, false
	}
	return *d, true
}

// Zone returns the park or cluster with the code.
func (r *Reference) Zone(code string) (Zone, bool) {
	z, ok := r.zoneByCode[code]
	if !ok {
		return Zone{}, false
	}
	return *z, true
}

// ResolveZone finds a park or cluster from its code or name.
func (r *Reference) ResolveZone(text string) (Zone, bool) {
	z, ok := r.zoneByKey[FoldKey(text)]
	if !ok {
		return Zone{}, false
	}
	return *z, true
}

// Corridor returns the corridor with the code.
func (r *Reference) Corridor(code string) (Corridor, bool) {
	c, ok := r.corridorByCode[code]
	if !ok {
		return Corridor{}, false
	}
	return *c, true
}

// ResolveCorridor finds a corridor from its code or label.
func (r *Reference) ResolveCorridor(text string) (Corridor, bool) {
	c, ok := r.corridorByKey[FoldKey(text)]
	if !ok {
		return Corridor{}, false
	}
	return *c, true
}

// Standard returns the standard with the code.
func (r *Reference) Standard(code string) (Standard, bool) {
	s, ok := r.standardByCode[code]
	if !ok {
		return Standard{}, false
	}
	return *s, true
}

// ResolveStandard finds a standard from its code, name or a common spelling ("ISO9001").
func (r *Reference) ResolveStandard(text string) (Standard, bool) {
	s, ok := r.standardByKey[compactKey(text)]
	if !ok {
		return Standard{}, false
	}
	return *s, true
}

// ResolveWard finds a listed ward by name; communes are not listed, so a miss is not an error.
func (r *Reference) ResolveWard(text string) (Ward, bool) {
	w, ok := r.wardByKey[FoldKey(text)]
	if !ok {
		return Ward{}, false
	}
	return *w, true
}

// DeriveCorridors returns the corridors a site lies on: those of its zone's districts, or of its
// district.
func (r *Reference) DeriveCorridors(district, zone string) StringList {
	districts := []string{district}
	if z, ok := r.zoneByCode[zone]; ok && len(z.Districts) > 0 {
		districts = z.Districts
	}
	seen := map[string]bool{}
	var out StringList
	for _, code := range districts {
		d, ok := r.districtByCode[code]
		if !ok {
			continue
		}
		for _, c := range d.Corridors {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	return out
}
