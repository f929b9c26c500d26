package main

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
)

// browseKind is one kind of browse page; its name is also the search parameter that filters by it.
type browseKind struct {
	Name  string
	codes func(*models.Reference) []string
	label func(*models.Reference, string, string) (string, bool)
}

// browseKinds are the kinds of browse page, in the order the browse index shows them.
var browseKinds = []browseKind{
	termKind(models.KindSector),
	termKind(models.KindProduct),
	termKind(models.KindProcess),
	termKind(models.KindMaterial),
	{Name: "zone",
		codes: func(r *models.Reference) []string {
			var out []string
			for _, z := range r.Zones {
				out = append(out, z.Code)
			}
			return out
		},
		label: func(r *models.Reference, code, lang string) (string, bool) {
			z, ok := r.Zone(code)
			return z.Label(lang), ok
		}},
	{Name: "corridor",
		codes: func(r *models.Reference) []string {
			var out []string
			for _, c := range r.Corridors {
				out = append(out, c.Code)
			}
			return out
		},
		label: func(r *models.Reference, code, lang string) (string, bool) {
			c, ok := r.Corridor(code)
			return c.Label(lang), ok
		}},
	{Name: "district",
		codes: func(r *models.Reference) []string {
			var out []string
			for _, d := range r.Districts {
				out = append(out, d.Code)
			}
			return out
		},
		label: func(r *models.Reference, code, lang string) (string, bool) {
			d, ok := r.District(code)
			return d.Label(lang), ok
		}},
}

func termKind(kind models.TermKind) browseKind {
	return browseKind{Name: string(kind),
		codes: func(r *models.Reference) []string {
			var out []string
			for _, t := range r.TermsOfKind(kind) {
				out = append(out, t.Code)
			}
			return out
		},
		label: func(r *models.Reference, code, lang string) (string, bool) {
			t, ok := r.Term(code)
			return t.Label(lang), ok && t.Kind == kind
		}}
}

func browseKindNamed(name string) (browseKind, bool) {
	for _, k := range browseKinds {
		if k.Name == name {
			return k, true
		}
	}
	return browseKind{}, false
}

// browsePath is the browse page of one sector, product, park… without the language prefix.
func browsePath(kind, code string) string {
	return "/browse/" + kind + "/" + pathEscape(code)
}

func pathEscape(s string) string { return url.PathEscape(s) }

// facetCounts counts the firms of every facet value, from one search without a query.
func (s *Server) facetCounts(ctx context.Context) (map[string]map[string]int, error) {
	found, err := s.searchSuppliers(ctx, url.Values{"per_page": {"1"}}, "vi")
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]int{}
	for key, values := range found.Result.Facets {
		m := make(map[string]int, len(values))
		for _, v := range values {
			m[v.Value] = v.Count
		}
		out[key] = m
	}
	out["total"] = map[string]int{"": found.Result.Total}
	return out, nil
}

// browseLink is one entry of the browse index.
type browseLink struct {
	Label string
	URL   string
	Count int
	Items []browseLink // a sector's product groups
}

// browseSection is one kind on the browse index.
type browseSection struct {
	Kind    string
	Heading string
	Links   []browseLink
}

type browseIndexData struct {
	Sections []browseSection
}

func (s *Server) browseIndexPage(c echo.Context) error {
	lang := pageLang(c)
	counts, err := s.facetCounts(c.Request().Context())
	if err != nil {
		return err
	}
	ref := s.store.Reference()
	link := func(kind, code, label string) browseLink {
		return browseLink{Label: label, URL: localPath(lang, browsePath(kind, code)), Count: counts[kind][code]}
	}
	var data browseIndexData
	sectors := browseSection{Kind: "sector", Heading: s.tr(c, "browse.kind.sector")}
	for _, sec := range ref.TermsOfKind(models.KindSector) {
		l := link("sector", sec.Code, sec.Label(lang))
		for _, p := range ref.TermsOfKind(models.KindProduct) {
			if p.Parent == sec.Code {
				l.Items = append(l.Items, link("product", p.Code, p.Label(lang)))
			}
		}
		sectors.Links = append(sectors.Links, l)
	}
	data.Sections = append(data.Sections, sectors)
	for _, k := range browseKinds {
		if k.Name == "sector" || k.Name == "product" {
			continue
		}
		sec := browseSection{Kind: k.Name, Heading: s.tr(c, "browse.kind."+k.Name)}
		for _, code := range k.codes(ref) {
			label, _ := k.label(ref, code, lang)
			l := link(k.Name, code, label)
			if l.Count > 0 || k.Name == "corridor" {
				sec.Links = append(sec.Links, l)
			}
		}
		data.Sections = append(data.Sections, sec)
	}
	p := s.newPage(c, "browse", s.tr(c, "browse.title"), s.tr(c, "browse.meta"))
	p.Data = data
	return s.render(c, 200, "browse_index", p)
}

type browseData struct {
	Kind      string
	KindLabel string
	Label     string
	Facts     []fact
	Total     int
	Results   *resultList
	SearchURL string
}

// fact is a labelled line about a park, corridor or term.
type fact struct {
	Label string
	Value string
}

func (s *Server) browsePage(c echo.Context) error {
	lang := pageLang(c)
	ref := s.store.Reference()
	kind, ok := browseKindNamed(c.Param("kind"))
	if !ok {
		return echo.ErrNotFound
	}
	code, err := url.PathUnescape(c.Param("code"))
	if err != nil {
		return echo.ErrNotFound
	}
	label, ok := kind.label(ref, code, lang)
	if !ok {
		return echo.ErrNotFound
	}
	values := url.Values{kind.Name: {code}, "sort": {"name"}}
	if pg := c.QueryParam("page"); pg != "" {
		if n, err := strconv.Atoi(pg); err != nil || n < 1 {
			return echo.ErrNotFound
		}
		values.Set("page", pg)
	}
	found, err := s.searchSuppliers(c.Request().Context(), values, lang)
	if err != nil {
		return err
	}
	data := browseData{Kind: kind.Name, KindLabel: s.tr(c, "browse.kind_one."+kind.Name), Label: label,
		Total:     found.Result.Total,
		SearchURL: localPath(lang, "/search") + "?" + url.Values{kind.Name: {code}}.Encode(),
		Facts:     s.browseFacts(c, kind.Name, code)}
	data.Results = s.resultList(c, found, values, localPath(lang, browsePath(kind.Name, code)))
	title := label + " – " + data.KindLabel
	desc := s.tr(c, "browse.page_description", "Label", label, "Count", found.Result.Total)
	p := s.newPage(c, "browse", title, desc)
	p.Data = data
	return s.render(c, 200, "browse", p)
}

// browseFacts describes a park (kind, districts, area), a corridor (roads) or a product's sector.
func (s *Server) browseFacts(c echo.Context, kind, code string) []fact {
	lang := pageLang(c)
	ref := s.store.Reference()
	var out []fact
	switch kind {
	case "zone":
		z, _ := ref.Zone(code)
		if z.Kind != "" {
			out = append(out, fact{s.tr(c, "browse.fact.zone_kind"), s.tr(c, "zone_kind."+zoneKindKey(z.Kind))})
		}
		for _, d := range z.Districts {
			if dd, ok := ref.District(d); ok {
				out = append(out, fact{s.tr(c, "browse.fact.district"), dd.Label(lang)})
			}
		}
		if z.AreaHa != nil {
			out = append(out, fact{s.tr(c, "browse.fact.area"), s.tr(c, "browse.fact.area_value", "Area", strconv.FormatFloat(*z.AreaHa, 'f', -1, 64))})
		}
		if !z.InHanoi {
			out = append(out, fact{s.tr(c, "browse.fact.note"), s.tr(c, "browse.fact.outside_hanoi")})
		}
	case "corridor":
		co, _ := ref.Corridor(code)
		if co.Roads != "" {
			out = append(out, fact{s.tr(c, "browse.fact.roads"), strings.ReplaceAll(co.Roads, "|", ", ")})
		}
	case "product":
		t, _ := ref.Term(code)
		if sec, ok := ref.Term(t.Parent); ok {
			out = append(out, fact{s.tr(c, "browse.fact.sector"), sec.Label(lang)})
		}
	}
	return out
}

// zoneKinds are the kinds of zone the reference data uses, each with a message.
var zoneKinds = []string{"kcn", "kcnc", "ccn", "it-park"}

func zoneKindKey(kind string) string {
	for _, k := range zoneKinds {
		if k == kind {
			if k == "it-park" {
				return "it_park"
			}
			return k
		}
	}
	return "unknown"
}
