package search

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/highlight/highlighter/html"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/hanoi-cnht/portal/models"
)

// Result is one page of a search.
type Result struct {
	Total   int
	Page    int
	PerPage int
	Hits    []Hit
	// Facets maps each facet name (see Facets) to its values; counts for a facet reflect the
	// query and every other facet's filter, but not its own, so choosing a second value
	// widens the results as the counts promised.
	Facets map[string][]FacetValue
	Took   time.Duration
	// Suggestion is a respelling of the query text worth offering ("Did you mean …") when the
	// text as typed found little; "" when there is none.
	Suggestion string
}

// Hit is one firm found. Load the firm itself from the store by ID.
type Hit struct {
	ID    uint
	Score float64
	// Highlights are snippets of the firm's descriptions with the matched words in <mark>
	// tags. Everything else in them is HTML-escaped, so they may be written into a page as is.
	Highlights []string
}

// FacetValue is one value of a facet with how many firms have it.
type FacetValue struct {
	Value    string `json:"value"` // what the filter parameter takes
	Label    string `json:"label"` // in the query's language
	Count    int    `json:"count"`
	Selected bool   `json:"selected"`
}

// fuzzyBelow is the result count under which a search is retried allowing one typo per word.
const fuzzyBelow = 3

// facetSize is how many values the facets field may return: more than all facets have together.
const facetSize = 2000

// Search runs q and returns one page of results with facet counts.
func (ix *Index) Search(ctx context.Context, q Query) (*Result, error) {
	start := time.Now()
	q = q.normalized()
	if err := ix.refreshExpired(ctx); err != nil {
		return nil, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed || ix.idx == nil {
		return nil, ErrClosed
	}
	idx := ix.idx
	ref := ix.store.Reference()
	g := ix.glossaryFor(ref, idx)

	var plan *textPlan
	if q.Text != "" {
		plan = planText(idx.Mapping(), g, q.Text)
		if plan.empty() {
			plan = nil
		}
	}
	var text query.Query
	if plan != nil {
		text = buildTextQuery(plan, false)
	}
	res, err := ix.run(ctx, idx, q, text)
	if err != nil {
		return nil, err
	}
	var suggestion string
	if plan != nil && res.main.Total < fuzzyBelow {
		// Few results: respell words the taxonomy does not know, then allow one typo per word.
		alt := plan
		if c := g.correct(plan.all, func(w string) bool { return indexHasWord(ctx, idx, w) }); c != "" {
			alt = planText(idx.Mapping(), g, c)
			suggestion = c
		}
		retry, err := ix.run(ctx, idx, q, buildTextQuery(alt, true))
		if err != nil {
			return nil, err
		}
		if retry.main.Total > res.main.Total {
			res = retry
		} else {
			suggestion = ""
		}
	}

	out := &Result{
		Total:      int(res.main.Total),
		Page:       q.Page,
		PerPage:    q.PerPage,
		Hits:       make([]Hit, 0, len(res.main.Hits)),
		Facets:     facetValues(g, q, res),
		Suggestion: suggestion,
	}
	var snippets map[string][]string
	if text != nil && len(res.main.Hits) > 0 {
		if snippets, err = highlight(ctx, idx, res.text, res.main.Hits); err != nil {
			return nil, err
		}
	}
	for _, h := range res.main.Hits {
		id, err := strconv.ParseUint(h.ID, 10, 64)
		if err != nil {
			continue
		}
		out.Hits = append(out.Hits, Hit{ID: uint(id), Score: h.Score, Highlights: snippets[h.ID]})
	}
	out.Took = time.Since(start)
	return out, nil
}

// indexHasWord reports whether any firm has the folded word in a Vietnamese-analysed field, so a
// firm's own name ("Hoàng Gia") is never "corrected" into a taxonomy word.
func indexHasWord(ctx context.Context, idx bleve.Index, word string) bool {
	req := bleve.NewSearchRequestOptions(fieldsQuery(foldedFields, word, 1), 0, 0, false)
	req.Score = "none"
	res, err := idx.SearchInContext(ctx, req)
	return err == nil && res.Total > 0
}

// runResult is the search for the page of hits, and for each facet the search that counted it.
type runResult struct {
	text   query.Query // the text query searched, nil for none
	main   *bleve.SearchResult
	facets map[string]*bleve.SearchResult
}

// run executes the main search, which also counts the facets that have no filter, and one
// size-0 search per filtered facet that drops that facet's own filter ("disjunctive faceting").
// They run in parallel; only the main search scores.
func (ix *Index) run(ctx context.Context, idx bleve.Index, q Query, text query.Query) (*runResult, error) {
	main := bleve.NewSearchRequestOptions(combine(text, filterQueries(q.Filters, "")), q.PerPage, (q.Page-1)*q.PerPage, false)
	main.SortBy(sortOrder(q, text != nil))
	if text == nil || q.Sort != SortRelevance {
		main.Score = "none"
	}
	var extra []*bleve.SearchRequest
	counted := false
	for _, facet := range Facets {
		if len(q.Filters.values(facet)) == 0 {
			if !counted {
				main.AddFacet(fieldFacets, bleve.NewFacetRequest(fieldFacets, facetSize))
				counted = true
			}
			continue
		}
		r := bleve.NewSearchRequestOptions(combine(text, filterQueries(q.Filters, facet)), 0, 0, false)
		r.Score = "none"
		r.AddFacet(facet, bleve.NewFacetRequest(facetField(facet, q.Filters), facetSize))
		extra = append(extra, r)
	}

	out := &runResult{text: text, facets: map[string]*bleve.SearchResult{}}
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	for _, r := range extra {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := idx.SearchInContext(ctx, r)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = fmt.Errorf("search: count facets: %w", err)
				}
				return
			}
			for facet := range r.Facets {
				out.facets[facet] = res
			}
		}()
	}
	res, err := idx.SearchInContext(ctx, main)
	wg.Wait()
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	if firstErr != nil {
		return nil, firstErr
	}
	out.main = res
	for _, facet := range Facets {
		if _, ok := out.facets[facet]; !ok {
			out.facets[facet] = res
		}
	}
	return out, nil
}

// combine puts the text query and the filters together. The filters join a conjunction rather
// than a boolean filter so that a selective filter leads the search (bleve's filter runs after
// every text match is found); their clauses carry no weight, so a firm's rank depends on the
// text alone.
func combine(text query.Query, filters []query.Query) query.Query {
	switch {
	case text == nil && len(filters) == 0:
		return query.NewMatchAllQuery()
	case text == nil:
		return query.NewConjunctionQuery(filters)
	case len(filters) == 0:
		return text
	}
	return query.NewConjunctionQuery(append([]query.Query{text}, filters...))
}

// filterQueries returns one query per active filter, leaving out the facet named except.
func filterQueries(f Filters, except string) []query.Query {
	var out []query.Query
	for _, facet := range Facets {
		vals := f.values(facet)
		if facet == except || len(vals) == 0 {
			continue
		}
		field := facetField(facet, f)
		qs := make([]query.Query, len(vals))
		for i, v := range vals {
			qs[i] = termQ(field, v, 0)
		}
		out = append(out, query.NewDisjunctionQuery(qs))
	}
	if f.Verified && len(f.Cert) == 0 || f.Verified && except == FacetCert {
		out = append(out, termQ(fieldVerified, "yes", 0))
	}
	if f.SPCNCL {
		out = append(out, termQ(fieldSPCNCL, "yes", 0))
	}
	return out
}

// facetField is the index field a facet counts and filters on. With Verified, certificates
// count only when verified and current.
func facetField(facet string, f Filters) string {
	if facet == FacetCert && f.Verified {
		return fieldCertVerified
	}
	return facet // the other facets share their field's name
}

// sortOrder is the bleve sort for q. Without text, "relevance" has nothing to rank by and falls
// back to name order. bleve orders what is still equal by document, so pages never overlap.
// (Sorting by _id would fetch every hit's id, a tenth of the time of a search that matches most
// of the index.)
func sortOrder(q Query, hasText bool) []string {
	name := fieldNameSort
	if q.Lang == "en" {
		name = fieldNameSortEN
	}
	switch q.Sort {
	case SortName:
		return []string{name}
	case SortSize:
		return []string{"-" + fieldEmployees, name}
	case SortUpdated:
		return []string{"-" + fieldUpdated, name}
	}
	if !hasText {
		return []string{name}
	}
	// Equal scores are rare, and breaking ties by name would read a doc value for every match.
	return []string{"-_score"}
}

// highlight returns, by document id, the snippets of the hits' descriptions that contain a
// match. It searches again within the page's hits only: asking the main search to highlight
// makes it gather term locations for every match, most of which are never shown. bleve's html
// formatter escapes the text around the <mark> tags it adds, so the snippets are safe HTML.
func highlight(ctx context.Context, idx bleve.Index, text query.Query, hits bsearch.DocumentMatchCollection) (map[string][]string, error) {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	req := bleve.NewSearchRequestOptions(query.NewConjunctionQuery([]query.Query{query.NewDocIDQuery(ids), text}), len(ids), 0, false)
	req.Score = "none"
	req.Highlight = bleve.NewHighlightWithStyle(html.Name)
	req.Highlight.AddField(fieldDescriptionVI)
	req.Highlight.AddField(fieldDescriptionEN)
	res, err := idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search: highlight: %w", err)
	}
	out := make(map[string][]string, len(res.Hits))
	for _, h := range res.Hits {
		for _, field := range []string{fieldDescriptionVI, fieldDescriptionEN} {
			for _, frag := range h.Fragments[field] {
				if strings.Contains(frag, "<mark>") {
					out[h.ID] = append(out[h.ID], frag)
				}
			}
		}
	}
	return out, nil
}

// facetValues labels the counted values of every facet, adds selected values that counted
// nothing, and orders them by count, then label.
func facetValues(g *glossary, q Query, res *runResult) map[string][]FacetValue {
	ref := g.ref
	out := make(map[string][]FacetValue, len(Facets))
	for _, facet := range Facets {
		r := res.facets[facet]
		selected := q.Filters.values(facet)
		var vals []FacetValue
		seen := map[string]bool{}
		// The main search counted the facets field, whose terms are "field:value"; a facet's own
		// search counted its own field.
		prefix := facetTerm(facetField(facet, q.Filters), "")
		for name, fr := range r.Facets {
			if fr.Terms == nil || name != facet && name != fieldFacets {
				continue
			}
			for _, t := range fr.Terms.Terms() {
				v, ok := t.Term, true
				if name == fieldFacets {
					v, ok = strings.CutPrefix(t.Term, prefix)
				}
				if !ok {
					continue
				}
				seen[v] = true
				vals = append(vals, FacetValue{Value: v, Label: facetLabel(ref, facet, v, q.Lang),
					Count: t.Count, Selected: slices.Contains(selected, v)})
			}
		}
		for _, v := range selected {
			if !seen[v] {
				vals = append(vals, FacetValue{Value: v, Label: facetLabel(ref, facet, v, q.Lang), Selected: true})
			}
		}
		keys := make(map[string]string, len(vals))
		for _, v := range vals {
			keys[v.Value] = g.sortKey(v.Label)
		}
		sort.SliceStable(vals, func(i, j int) bool {
			if vals[i].Count != vals[j].Count {
				return vals[i].Count > vals[j].Count
			}
			return keys[vals[i].Value] < keys[vals[j].Value]
		})
		out[facet] = vals
	}
	return out
}

// glossaryFor returns the glossary of ref, building it when the reference data changed.
func (ix *Index) glossaryFor(ref *models.Reference, idx bleve.Index) *glossary {
	if g := ix.glossary.Load(); g != nil && g.ref == ref {
		return g
	}
	g := newGlossary(ref, idx.Mapping())
	ix.glossary.Store(g)
	return g
}
