package search

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2/mapping"

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
	ID         uint
	Score      float64
	Highlights []Snippet
	// Matched says why the firm was found: the concepts and words of the query it matched,
	// taken from the clauses that scored it. Empty when the query had no text.
	Matched []Match
}

// Snippet is a piece of a firm's description with the matched words in <mark> tags.
// Everything else in Text is HTML-escaped, so it may be written into a page as is.
type Snippet struct {
	Text string
	Lang string // the language of the description it comes from: "vi" or "en"
}

// FacetValue is one value of a facet with how many firms have it.
type FacetValue struct {
	Value    string `json:"value"` // what the filter parameter takes
	Label    string `json:"label"` // in the query's language
	Count    int    `json:"count"`
	Selected bool   `json:"selected"`
}

// relaxBelow is the number of firms matching every word (filters aside) under which a search of
// several words is retried letting a firm miss one of them.
const relaxBelow = 10

// fuzzyBelow is the result count under which a search is retried allowing one typo per word.
const fuzzyBelow = 3

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
	g := ix.glossaryFor(ref)

	v, err := ix.columns.view(idx)
	if err != nil {
		return nil, err
	}
	defer v.Close()
	known := func(field, term string) bool { return v.hasTerm(ctx, field, term) }

	var plan *textPlan
	if q.Text != "" {
		plan = ix.plan(idx.Mapping(), g, q.Text, known)
	}
	var text *textQuery
	if plan != nil {
		text = buildTextQuery(plan, false)
	}
	res, err := ix.run(ctx, v, idx.Mapping(), q, text)
	if err != nil {
		return nil, err
	}
	if plan != nil && res.textTotal < relaxBelow && plan.required() >= 2 {
		// Few firms have every word: let them miss one, ranked by how much of the query they
		// cover. When the filters, not the words, are what leaves few, the words stay required.
		relaxed := *plan
		relaxed.relaxed = true
		retry, err := ix.run(ctx, v, idx.Mapping(), q, buildTextQuery(&relaxed, false))
		if err != nil {
			return nil, err
		}
		if retry.total > res.total {
			res, plan = retry, &relaxed
		}
	}
	shown := plan // the plan whose words the snippets mark
	var suggestion string
	if plan != nil && (res.total < fuzzyBelow || plan.hasUnknown()) {
		// Few results, or a word no firm has: respell words neither the taxonomy nor the index
		// knows, and allow one typo per word if there are still few. A respelling that finds
		// anything beats dropping the word it respelled.
		alt := plan
		c := g.correct(plan.all, func(w string) bool {
			return slices.ContainsFunc(foldedFields, func(f fieldBoost) bool { return known(f.field, w) })
		})
		if c != "" {
			if alt = ix.plan(idx.Mapping(), g, c, known); alt == nil {
				alt, c = plan, ""
			} else {
				alt.relaxed = plan.relaxed
			}
		}
		if c != "" || res.total < fuzzyBelow {
			retry, err := ix.run(ctx, v, idx.Mapping(), q, buildTextQuery(alt, true))
			if err != nil {
				return nil, err
			}
			if retry.total > res.total || c != "" && retry.total > 0 {
				res, shown, suggestion = retry, alt, c
			}
		}
	}

	out := &Result{
		Total:      res.total,
		Page:       q.Page,
		PerPage:    q.PerPage,
		Hits:       make([]Hit, 0, len(res.hits)),
		Facets:     facetValues(g, q, res),
		Suggestion: suggestion,
	}
	var snippets map[string][]Snippet
	if shown != nil && len(res.hits) > 0 {
		if snippets, err = v.highlight(shown, res.hits); err != nil {
			return nil, err
		}
	}
	for _, h := range res.hits {
		id, err := strconv.ParseUint(h.id, 10, 64)
		if err != nil {
			continue
		}
		out.Hits = append(out.Hits, Hit{ID: uint(id), Score: h.score, Highlights: snippets[h.id], Matched: h.matched})
	}
	out.Took = time.Since(start)
	return out, nil
}

// plan analyses query text and marks the words no firm has.
func (ix *Index) plan(m mapping.IndexMapping, g *glossary, text string, known func(field, term string) bool) *textPlan {
	p := planText(m, g, text)
	if p.empty() {
		return nil
	}
	p.markUnknown(known)
	return p
}

// facetField is the index field a facet counts and filters on. With Verified, certificates
// count only when verified and current.
func facetField(facet string, f Filters) string {
	if facet == FacetCert && f.Verified {
		return fieldCertVerified
	}
	return facet // the other facets share their field's name
}

// facetValues labels the counted values of every facet, adds selected values that counted
// nothing, and orders them by count, then label.
func facetValues(g *glossary, q Query, res *runResult) map[string][]FacetValue {
	ref := g.ref
	out := make(map[string][]FacetValue, len(Facets))
	for _, facet := range Facets {
		counts := res.counts[facet]
		selected := q.Filters.values(facet)
		vals := make([]FacetValue, 0, len(counts)+len(selected))
		for v, n := range counts {
			vals = append(vals, FacetValue{Value: v, Label: facetLabel(ref, facet, v, q.Lang),
				Count: n, Selected: slices.Contains(selected, v)})
		}
		for _, v := range selected {
			if counts[v] == 0 {
				vals = append(vals, FacetValue{Value: v, Label: facetLabel(ref, facet, v, q.Lang), Selected: true})
			}
		}
		keys := make(map[string]string, len(vals))
		for _, v := range vals {
			keys[v.Value] = g.sortKey(v.Label)
		}
		sort.Slice(vals, func(i, j int) bool {
			if vals[i].Count != vals[j].Count {
				return vals[i].Count > vals[j].Count
			}
			if ki, kj := keys[vals[i].Value], keys[vals[j].Value]; ki != kj {
				return ki < kj
			}
			return vals[i].Value < vals[j].Value
		})
		out[facet] = vals
	}
	return out
}

// glossaryFor returns the glossary of ref, building it when the reference data changed.
func (ix *Index) glossaryFor(ref *models.Reference) *glossary {
	if g := ix.glossary.Load(); g != nil && g.ref == ref {
		return g
	}
	g := newGlossary(ref, ix.builderFor(ref).matcher)
	ix.glossary.Store(g)
	return g
}
