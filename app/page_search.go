package main

import (
	"errors"
	"html"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/search"
)

// facetOrder is the order of the filter groups on the results page; the first few start open.
var facetOrder = []string{"sector", "product", "process", "cert", "corridor", "district", "zone", "size",
	"material", "ownership", "market"}

// openFacets start expanded; the rest are one click away, to keep the filter column short.
const openFacets = 4

// facetShown is how many values of a group show before "more".
const facetShown = 8

// toggleFilters are the yes/no filters, shown as one group.
var toggleFilters = []string{"verified", "spcncl"}

// sortOrders are the orders a visitor can choose, as the API names them.
var sortOrders = []string{search.SortRelevance, search.SortName, search.SortSize, search.SortUpdated}

// searchBox is the search form with its type-ahead, on the home and results pages.
type searchBox struct {
	Lang      string
	Query     string
	Action    string
	SuggestAt string
	Big       bool
}

func newSearchBox(lang, q string) searchBox {
	return searchBox{Lang: lang, Query: q, Action: localPath(lang, "/search"), SuggestAt: localPath(lang, "/search/suggest")}
}

type searchData struct {
	Box         searchBox
	Query       string
	Action      string
	Hidden      []field // the current filters, carried by the sort form
	SortOptions []option
	Facets      []facetGroup
	Chips       []chip
	ClearAll    string
	Results     *resultList
	Suggestion  *linkCount
	Relax       []linkCount
	Heading     string
}

type field struct{ Name, Value string }

type option struct {
	Value, Label string
	Selected     bool
}

// facetGroup is one filter: its values with counts, each a link that adds or removes it.
type facetGroup struct {
	Key, Title string
	Open       bool
	Values     []facetLink
	More       []facetLink
	// ValuesHTML and MoreHTML are the values as list items, see facetHTML.
	ValuesHTML, MoreHTML template.HTML
}

type facetLink struct {
	Label    string
	Count    int
	URL      string
	Selected bool
}

// chip is an active filter with the link that removes it.
type chip struct{ Facet, Label, URL string }

type linkCount struct {
	Label string
	URL   string
	Count int
}

func (s *Server) searchPage(c echo.Context) error {
	lang := pageLang(c)
	values := c.QueryParams()
	c.Response().Header().Add("Vary", "X-Partial")
	found, err := s.searchSuppliers(c.Request().Context(), values, lang)
	var perr *search.ParamError
	if errors.As(err, &perr) {
		return s.renderBadParam(c, perr, values)
	}
	if err != nil {
		return err
	}
	self := localPath(lang, "/search")
	q := strings.TrimSpace(values.Get("q"))
	data := searchData{Box: newSearchBox(lang, q), Query: q, Action: self, Results: s.resultList(c, found, values, self)}
	data.Facets = s.facetGroups(c, found.Result, values, self)
	data.Chips = s.chips(c, found.Result, values, self)
	if len(data.Chips) > 0 {
		data.ClearAll = withQuery(self, url.Values{"q": {q}}.Encode())
		if q == "" {
			data.ClearAll = self
		}
	}
	sortBy := values.Get("sort")
	for _, o := range sortOrders {
		data.SortOptions = append(data.SortOptions, option{Value: o, Label: s.tr(c, "sort."+o),
			Selected: o == sortBy || (sortBy == "" && o == "relevance")})
	}
	for k, vs := range values {
		if k == "sort" || k == "page" || k == "lang" {
			continue
		}
		for _, v := range vs {
			data.Hidden = append(data.Hidden, field{k, v})
		}
	}
	sortFields(data.Hidden)
	if found.Result.Total == 0 {
		s.emptyResultHelp(c, &data, found.Result, values, self)
	}
	title := s.tr(c, "search.title")
	if q != "" {
		title = s.tr(c, "search.title_query", "Query", q)
	}
	data.Heading = title
	if n := found.Result.Page; n > 1 {
		title += " – " + s.tr(c, "pagination.page", "Page", n)
	}
	p := s.newPage(c, "search", title, s.tr(c, "search.meta"))
	p.Data = data
	if c.Request().Header.Get("X-Partial") == "results" {
		return s.execute(c, http.StatusOK, "search", "results_region", p)
	}
	return s.render(c, http.StatusOK, "search", p)
}

// renderBadParam explains, in the page's language, which parameter could not be understood, with
// links to the same search without it and to a new search.
func (s *Server) renderBadParam(c echo.Context, perr *search.ParamError, values url.Values) error {
	lang := pageLang(c)
	without := cloneValues(values)
	without.Del(perr.Param)
	without.Del("page")
	data := errorData{Status: http.StatusBadRequest, Heading: s.tr(c, "error.400.heading"),
		Message: s.tr(c, "error.400.param", "Param", perr.Param, "Value", values.Get(perr.Param)),
		Fix:     withQuery(localPath(lang, "/search"), without.Encode()), Home: localPath(lang, "/")}
	p := s.newPage(c, "search", s.tr(c, "error.400.title"), s.tr(c, "error.400.heading"))
	p.NoIndex = true
	p.Data = data
	return s.render(c, http.StatusBadRequest, "error", p)
}

// facetGroups turns the result's facets into links that add or remove one value each.
func (s *Server) facetGroups(c echo.Context, res *search.Result, values url.Values, self string) []facetGroup {
	var out []facetGroup
	for i, key := range facetOrder {
		facet := res.Facets[key]
		if len(facet) == 0 {
			continue
		}
		g := facetGroup{Key: key, Title: s.tr(c, "facet."+key), Open: i < openFacets}
		for _, v := range facet {
			if key == search.FacetCert && !v.Selected {
				if _, known := s.store.Reference().Standard(v.Value); !known {
					continue // a standard outside the list is counted but cannot be filtered on
				}
			}
			l := facetLink{Label: s.facetLabel(c, key, v), Count: v.Count, Selected: v.Selected,
				URL: withQuery(self, toggled(s.store.Reference(), values, key, v.Value, v.Selected).Encode())}
			if v.Selected {
				g.Open = true
			}
			if len(g.Values) < facetShown || v.Selected {
				g.Values = append(g.Values, l)
			} else {
				g.More = append(g.More, l)
			}
		}
		g.ValuesHTML, g.MoreHTML = s.facetHTML(c, g.Values), s.facetHTML(c, g.More)
		out = append(out, g)
	}
	toggles := facetGroup{Key: "more", Title: s.tr(c, "facet.more"), Open: false}
	for _, key := range toggleFilters {
		on := isYes(values.Get(key))
		next := cloneValues(values)
		next.Del("page")
		if on {
			next.Del(key)
			toggles.Open = true
		} else {
			next.Set(key, "true")
		}
		toggles.Values = append(toggles.Values, facetLink{Label: s.tr(c, "filter."+key), Selected: on,
			URL: withQuery(self, next.Encode()), Count: -1})
	}
	toggles.ValuesHTML = s.facetHTML(c, toggles.Values)
	return append(out, toggles)
}

// facetHTML writes facet values as list items of links. It is Go rather than a template
// because a results page has hundreds of them, and running a template for each made up most
// of the page's render time. Every value written is escaped.
func (s *Server) facetHTML(c echo.Context, links []facetLink) template.HTML {
	if len(links) == 0 {
		return ""
	}
	lang := pageLang(c)
	var b strings.Builder
	b.Grow(len(links) * 200)
	for _, l := range links {
		b.WriteString(`<li><a class="facet-link`)
		if l.Selected {
			b.WriteString(` is-selected`)
		}
		b.WriteString(`" href="`)
		b.WriteString(html.EscapeString(l.URL))
		b.WriteString(`" data-partial`)
		if l.Selected {
			b.WriteString(` aria-current="true"`)
		}
		b.WriteString(`><span class="facet-label">`)
		b.WriteString(html.EscapeString(l.Label))
		if l.Selected {
			b.WriteString(`<span class="visually-hidden"> (`)
			b.WriteString(html.EscapeString(s.tr(c, "facet.selected")))
			b.WriteString(`)</span>`)
		}
		b.WriteString(`</span>`)
		if l.Count >= 0 {
			b.WriteString(` <span class="count">`)
			b.WriteString(formatNumber(lang, l.Count))
			b.WriteString(`</span>`)
		}
		b.WriteString("</a></li>\n")
	}
	return template.HTML(b.String())
}

// facetLabel is a facet value's label in the page's language; sizes and ownership come from the
// messages, the rest from the search result.
func (s *Server) facetLabel(c echo.Context, key string, v search.FacetValue) string {
	switch key {
	case "size":
		if v.Value != "" {
			return s.tr(c, "size."+v.Value)
		}
	case "ownership":
		if v.Value != "" {
			return s.tr(c, "ownership."+v.Value)
		}
	}
	if v.Label != "" {
		return v.Label
	}
	return v.Value
}

// toggled returns values with the filter key=code added, or removed when selected; a new filter
// starts again from the first page.
func toggled(ref *models.Reference, values url.Values, key, code string, selected bool) url.Values {
	next := cloneValues(values)
	next.Del("page")
	if !selected {
		next.Add(key, code)
		return next
	}
	var keep []string
	for _, v := range next[key] {
		if resolveCode(ref, key, v) != code {
			keep = append(keep, v)
		}
	}
	next[key] = keep
	if len(keep) == 0 {
		next.Del(key)
	}
	return next
}

// resolveCode maps what a URL says (a code, a label, a slug) to the code a facet reports.
func resolveCode(ref *models.Reference, key, v string) string {
	if code, ok := search.ResolveFilter(ref, key, v); ok {
		return code
	}
	return strings.ToLower(strings.TrimSpace(v))
}

// chips lists the active filters, each with the link that removes it.
func (s *Server) chips(c echo.Context, res *search.Result, values url.Values, self string) []chip {
	ref := s.store.Reference()
	var out []chip
	for _, key := range facetOrder {
		for _, v := range values[key] {
			if strings.TrimSpace(v) == "" {
				continue
			}
			code := resolveCode(ref, key, v)
			label := v
			for _, fv := range res.Facets[key] {
				if fv.Value == code {
					label = s.facetLabel(c, key, fv)
				}
			}
			out = append(out, chip{Facet: s.tr(c, "facet."+key), Label: label,
				URL: withQuery(self, toggled(ref, values, key, code, true).Encode())})
		}
	}
	for _, key := range toggleFilters {
		if isYes(values.Get(key)) {
			next := cloneValues(values)
			next.Del(key)
			next.Del("page")
			out = append(out, chip{Facet: s.tr(c, "facet.more"), Label: s.tr(c, "filter."+key),
				URL: withQuery(self, next.Encode())})
		}
	}
	return out
}

func isYes(v string) bool {
	switch strings.ToLower(v) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// maxRelax bounds the extra searches an empty result page makes to suggest a filter to drop.
const maxRelax = 6

// emptyResultHelp suggests what to change when nothing matched: a spelling, or a filter to drop
// with the number of firms the search finds without it.
func (s *Server) emptyResultHelp(c echo.Context, data *searchData, res *search.Result, values url.Values, self string) {
	lang := pageLang(c)
	ctx := c.Request().Context()
	if res.Suggestion != "" {
		next := cloneValues(values)
		next.Set("q", res.Suggestion)
		next.Del("page")
		data.Suggestion = &linkCount{Label: res.Suggestion, URL: withQuery(self, next.Encode()), Count: -1}
	}
	for i, ch := range data.Chips {
		if i == maxRelax {
			break
		}
		u, err := url.Parse(ch.URL)
		if err != nil {
			continue
		}
		without := u.Query()
		without.Set("per_page", "1")
		found, err := s.searchSuppliers(ctx, without, lang)
		if err != nil || found.Result.Total == 0 {
			continue
		}
		data.Relax = append(data.Relax, linkCount{Label: ch.Label, URL: ch.URL, Count: found.Result.Total})
	}
	if q := values.Get("q"); q != "" && len(data.Chips) > 0 {
		next := cloneValues(values)
		next.Del("q")
		next.Del("page")
		next.Set("per_page", "1")
		if found, err := s.searchSuppliers(ctx, next, lang); err == nil && found.Result.Total > 0 {
			next.Del("per_page")
			data.Relax = append(data.Relax, linkCount{Label: "“" + q + "”", URL: withQuery(self, next.Encode()),
				Count: found.Result.Total})
		}
	}
}

// suggestion is one type-ahead entry as the fragment shows it.
type suggestion struct {
	Text, Kind, URL string
}

type suggestData struct {
	Lang  string
	Items []suggestion
}

// suggestFragment renders type-ahead entries as listbox options for the search box's script.
func (s *Server) suggestFragment(c echo.Context) error {
	lang := pageLang(c)
	list, err := s.suggestions(c, lang)
	if err != nil {
		return err
	}
	data := suggestData{Lang: lang}
	for _, sg := range list {
		data.Items = append(data.Items, suggestion{Text: sg.Text, Kind: s.suggestKind(c, sg.Kind),
			URL: suggestionURL(lang, sg)})
	}
	c.Response().Header().Set("Cache-Control", "private, max-age=60")
	c.Response().Header().Set("X-Robots-Tag", "noindex")
	return s.execute(c, http.StatusOK, "suggest", "suggest", data)
}

// suggestKinds are the kinds of type-ahead entry with a message of their own.
var suggestKinds = []string{"sector", "product", "process", "material", "cert", "zone", "district", "corridor", "firm"}

func (s *Server) suggestKind(c echo.Context, kind string) string {
	for _, k := range suggestKinds {
		if k == kind {
			return s.tr(c, "suggest.kind."+k)
		}
	}
	return ""
}

// suggestionURL is where choosing an entry leads: a firm's profile, a filtered search, or a
// search for the text.
func suggestionURL(lang string, sg search.Suggestion) string {
	switch sg.Kind {
	case "firm":
		if sg.Value != "" {
			return supplierPath(lang, sg.Value)
		}
	case "sector", "product", "process", "material", "cert", "zone", "district", "corridor":
		if sg.Value != "" {
			return localPath(lang, "/search") + "?" + url.Values{sg.Kind: {sg.Value}}.Encode()
		}
	}
	return localPath(lang, "/search") + "?" + url.Values{"q": {sg.Text}}.Encode()
}

func sortFields(f []field) {
	sort.Slice(f, func(i, j int) bool {
		if f[i].Name != f[j].Name {
			return f[i].Name < f[j].Name
		}
		return f[i].Value < f[j].Value
	})
}
