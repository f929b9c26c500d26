package search

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hanoi-cnht/portal/models"
)

// Limits on what a query may ask for.
const (
	// MaxTextRunes caps the query text; longer text is cut at a word boundary and searched as
	// plain text.
	MaxTextRunes = 200
	// DefaultPerPage is the page size when none is given.
	DefaultPerPage = 20
	// MaxPerPage is the largest page size.
	MaxPerPage = 100
	// MaxResultWindow is how deep pages may go: page*per_page may not pass it, because every
	// page before the one asked for is ranked too.
	MaxResultWindow = 10000
)

// Sort orders.
const (
	SortRelevance = "relevance"
	SortName      = "name"
	SortSize      = "size"
	SortUpdated   = "updated"
)

// Facet names, which are also the query parameters that filter on them.
const (
	FacetSector    = "sector"
	FacetProduct   = "product"
	FacetProcess   = "process"
	FacetMaterial  = "material"
	FacetCert      = "cert"
	FacetCorridor  = "corridor"
	FacetDistrict  = "district"
	FacetZone      = "zone"
	FacetSize      = "size"
	FacetOwnership = "ownership"
	FacetMarket    = "market"
)

// Facets lists every facet a search counts, in display order.
var Facets = []string{FacetSector, FacetProduct, FacetProcess, FacetMaterial, FacetCert, FacetCorridor,
	FacetDistrict, FacetZone, FacetSize, FacetOwnership, FacetMarket}

// Query is one search: text, filters, order and page.
type Query struct {
	// Text is what the user typed. It is searched as plain words; double quotes mark phrases
	// only when they are balanced.
	Text string
	// Lang ("vi" or "en") chooses facet labels and the name used for sorting.
	Lang    string
	Filters Filters
	// Sort is SortRelevance (default), SortName, SortSize or SortUpdated.
	Sort string
	// Page is 1-based; PerPage defaults to DefaultPerPage and is capped at MaxPerPage.
	Page, PerPage int
}

// Filters narrows a search. Several values of one filter mean any of them; different filters
// must all hold.
type Filters struct {
	Sector, Product, Process, Material []string // taxonomy term codes
	Cert                               []string // standard codes, e.g. "ISO 9001"
	// Verified keeps firms holding a certificate the Department verified that has not expired;
	// with Cert, the named standards must be the verified ones. False means no restriction.
	Verified  bool
	Corridor  []string // corridor codes
	District  []string // GSO district codes
	Zone      []string // park and cluster codes
	Size      []string // micro, small, medium, large
	Ownership []string // private, state, fdi, jv
	// SPCNCL keeps firms with a key industrial product recognition. False means no restriction.
	SPCNCL bool
	Market []string // ISO 3166-1 alpha-2 codes
}

// values returns the filter values of a facet.
func (f *Filters) values(facet string) []string {
	switch facet {
	case FacetSector:
		return f.Sector
	case FacetProduct:
		return f.Product
	case FacetProcess:
		return f.Process
	case FacetMaterial:
		return f.Material
	case FacetCert:
		return f.Cert
	case FacetCorridor:
		return f.Corridor
	case FacetDistrict:
		return f.District
	case FacetZone:
		return f.Zone
	case FacetSize:
		return f.Size
	case FacetOwnership:
		return f.Ownership
	case FacetMarket:
		return f.Market
	}
	return nil
}

// ParamError says which query parameter was wrong and why. Its text is safe to show.
type ParamError struct {
	Param  string
	Reason string
}

// Error names the parameter and says what is wrong with it.
func (e *ParamError) Error() string { return "parameter " + e.Param + ": " + e.Reason }

// ParseQuery reads a search from URL parameters: q, lang, sector, product, process, material,
// cert, verified, corridor, district, zone, size, ownership, spcncl, market, sort, page and
// per_page. A filter given several times keeps every value. Filter values are the facets' values
// (term, standard, corridor, zone codes; GSO district codes, though district names and slugs are
// accepted and turned into codes). Anything it cannot use is a *ParamError naming the parameter.
func ParseQuery(values url.Values, ref *models.Reference) (Query, error) {
	q := Query{Text: cleanText(values.Get("q")), Lang: "vi", Sort: SortRelevance, Page: 1, PerPage: DefaultPerPage}

	if v := strings.TrimSpace(values.Get("lang")); v != "" {
		if v != "vi" && v != "en" {
			return Query{}, &ParamError{"lang", fmt.Sprintf("%q is not vi or en", clip(v))}
		}
		q.Lang = v
	}
	if v := strings.TrimSpace(values.Get("sort")); v != "" {
		if !slices.Contains([]string{SortRelevance, SortName, SortSize, SortUpdated}, v) {
			return Query{}, &ParamError{"sort", fmt.Sprintf("%q is not one of relevance, name, size, updated", clip(v))}
		}
		q.Sort = v
	}
	var err error
	if q.Page, err = intParam(values, "page", 1, 1, MaxResultWindow); err != nil {
		return Query{}, err
	}
	if q.PerPage, err = intParam(values, "per_page", DefaultPerPage, 1, MaxPerPage); err != nil {
		return Query{}, err
	}
	if q.Page*q.PerPage > MaxResultWindow {
		return Query{}, &ParamError{"page", fmt.Sprintf("only the first %d results can be paged through", MaxResultWindow)}
	}

	f := &q.Filters
	for _, p := range []struct {
		param string
		dst   *[]string
	}{
		{"sector", &f.Sector}, {"product", &f.Product}, {"process", &f.Process}, {"material", &f.Material},
		{"cert", &f.Cert}, {"corridor", &f.Corridor}, {"district", &f.District}, {"zone", &f.Zone},
		{"size", &f.Size}, {"ownership", &f.Ownership}, {"market", &f.Market},
	} {
		if *p.dst, err = listParam(values, p.param, func(v string) (string, bool) {
			return ResolveFilter(ref, p.param, v)
		}); err != nil {
			return Query{}, err
		}
	}
	if f.Verified, err = boolParam(values, "verified"); err != nil {
		return Query{}, err
	}
	if f.SPCNCL, err = boolParam(values, "spcncl"); err != nil {
		return Query{}, err
	}
	return q, nil
}

// ResolveFilter turns a value of the filter parameter param (a code, or a label, name or slug
// in either language) into the code the facets report, and says whether it names anything.
func ResolveFilter(ref *models.Reference, param, v string) (string, bool) {
	switch param {
	case "sector", "product", "process", "material":
		kind := models.TermKind(param)
		if t, ok := ref.Term(v); ok && t.Kind == kind {
			return t.Code, true
		}
		t, ok := ref.ResolveTerm(kind, v)
		return t.Code, ok
	case "cert":
		if s, ok := ref.Standard(v); ok {
			return s.Code, true
		}
		s, ok := ref.ResolveStandard(v)
		return s.Code, ok
	case "corridor":
		if c, ok := ref.Corridor(v); ok {
			return c.Code, true
		}
		c, ok := ref.ResolveCorridor(v)
		return c.Code, ok
	case "district":
		if d, ok := ref.District(v); ok {
			return d.Code, true
		}
		d, ok := ref.ResolveDistrict(v)
		return d.Code, ok
	case "zone":
		if z, ok := ref.Zone(v); ok {
			return z.Code, true
		}
		z, ok := ref.ResolveZone(v)
		return z.Code, ok
	case "size":
		b := models.SizeBand(strings.ToLower(v))
		return string(b), slices.Contains(models.SizeBands, b)
	case "ownership":
		o := models.Ownership(strings.ToLower(v))
		return string(o), slices.Contains(models.Ownerships, o)
	case "market":
		c, ok := models.ResolveCountry(v)
		return c.Code, ok
	}
	return "", false
}

// intParam reads an integer parameter between lo and hi, or def when it is absent or empty.
func intParam(values url.Values, name string, def, lo, hi int) (int, error) {
	v := strings.TrimSpace(values.Get(name))
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, &ParamError{name, fmt.Sprintf("%q is not a whole number", clip(v))}
	}
	if n < lo || n > hi {
		return 0, &ParamError{name, fmt.Sprintf("%d must be between %d and %d", n, lo, hi)}
	}
	return n, nil
}

// boolParam reads true/false/1/0 (also yes/no, on/off as HTML checkboxes send).
func boolParam(values url.Values, name string) (bool, error) {
	v := strings.ToLower(strings.TrimSpace(values.Get(name)))
	switch v {
	case "", "false", "0", "no", "off":
		return false, nil
	case "true", "1", "yes", "on":
		return true, nil
	}
	return false, &ParamError{name, fmt.Sprintf("%q is not true or false", clip(v))}
}

// listParam reads every value of a repeatable filter through resolve, which returns the
// canonical code. Empty values (an unselected form field) are skipped; duplicates are dropped.
func listParam(values url.Values, name string, resolve func(string) (string, bool)) ([]string, error) {
	var out []string
	for _, raw := range values[name] {
		v := strings.TrimSpace(raw)
		if v == "" {
			continue
		}
		code, ok := resolve(v)
		if !ok {
			return nil, &ParamError{name, fmt.Sprintf("%q is not a known %s", clip(v), name)}
		}
		if !slices.Contains(out, code) {
			out = append(out, code)
		}
	}
	return out, nil
}

// clip shortens a value quoted back in an error message.
func clip(s string) string {
	s = strings.ToValidUTF8(s, "")
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	r := []rune(s)
	return string(r[:40]) + "…"
}

// cleanText makes query text safe to analyse: valid UTF-8 in NFC, control characters as spaces,
// spaces collapsed, and at most MaxTextRunes runes, cut at a word boundary.
func cleanText(s string) string {
	s = normalizeText(s)
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= MaxTextRunes {
		return s
	}
	r := []rune(s)[:MaxTextRunes]
	if i := strings.LastIndexFunc(string(r), unicode.IsSpace); i > MaxTextRunes/2 {
		return strings.TrimSpace(string(r)[:i])
	}
	return string(r)
}

// normalized returns q with defaults filled in and limits applied, so a Query built by hand is
// as safe as one from ParseQuery.
func (q Query) normalized() Query {
	q.Text = cleanText(q.Text)
	if q.Lang != "en" {
		q.Lang = "vi"
	}
	switch q.Sort {
	case SortName, SortSize, SortUpdated:
	default:
		q.Sort = SortRelevance
	}
	if q.PerPage <= 0 {
		q.PerPage = DefaultPerPage
	}
	q.PerPage = min(q.PerPage, MaxPerPage)
	q.Page = max(q.Page, 1)
	if q.Page*q.PerPage > MaxResultWindow {
		q.Page = MaxResultWindow / q.PerPage
	}
	return q
}
