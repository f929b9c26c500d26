package search

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/sample"
	"github.com/hanoi-cnht/portal/models/store/storetest"
)

// TestSearchAgreesWithBleve checks the counts, totals and pages that search works out from its
// in-memory columns against bleve computing the same search itself: a conjunction of the text
// and the filters, sorted by bleve, and bleve's term facets over the facets field with each
// facet's own filter left out. The index has several segments and deleted documents, and is
// searched both in one scan and in parallel parts.
func TestSearchAgreesWithBleve(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	firms := sample.GenerateAsOf(s.Reference(), 7, 0, 1200, testNow)
	if _, err := s.SaveFirms(ctx, firms[:800]); err != nil {
		t.Fatal(err)
	}
	ix := openTestIndex(t, newIndexDir(t), s)
	// Later writes land in new segments; updates and deletions leave deleted documents behind.
	for i := 800; i < len(firms); i += 100 {
		if _, err := s.SaveFirms(ctx, firms[i:i+100]); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 60; i += 3 {
		if err := s.DeleteFirm(ctx, models.SystemActor("test"), firms[i].ID, ""); err != nil {
			t.Fatal(err)
		}
		f := firms[i+1]
		f.Employees += 7
		f.DescriptionVI += " Gia công cơ khí chính xác."
		if _, err := s.SaveFirms(ctx, []*models.Firm{f}); err != nil {
			t.Fatal(err)
		}
	}
	// Firms of one name, in the query's language, tie in a sort by name (see below).
	sortName := map[string]map[uint]string{"vi": {}, "en": {}}
	for _, f := range firms {
		sortName["vi"][f.ID], sortName["en"][f.ID] = sortKey(f.NameVI), sortKey(f.DisplayName("en"))
	}
	v, err := ix.columns.view(ix.idx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d segments", len(v.segs))
	v.Close()

	queries := []Query{
		{},
		{Lang: "en", Sort: SortName, Page: 3, PerPage: 7},
		{Text: "khuôn mẫu"},
		{Text: "co khi chinh xac", Filters: Filters{District: []string{"017", "250"}}},
		{Text: "injection moulding", Filters: Filters{Cert: []string{"ISO 9001"}}},
		{Text: "gia công cơ khí", Sort: SortName, Page: 2},
		{Text: "ép nhựa", Filters: Filters{Size: []string{"small", "medium"}}},
		{Text: "sơn tĩnh điện", Filters: Filters{Process: []string{"powder-coating"}, District: []string{"279"}}},
		{Text: "wire harness", Filters: Filters{Verified: true}},
		{Filters: Filters{Sector: []string{"co-khi"}}, Sort: SortSize},
		{Filters: Filters{Cert: []string{"ISO 9001", "IATF 16949"}, Verified: true}},
		{Filters: Filters{SPCNCL: true, Ownership: []string{"fdi", "jv"}}, Sort: SortUpdated, PerPage: 50},
		{Text: "stamping", Lang: "en", Filters: Filters{Corridor: []string{"ql5-hai-phong"}, Market: []string{"JP", "KR"}}},
		{Text: "PCB", Sort: SortSize},
	}
	check := func(t *testing.T) {
		for _, q := range queries {
			t.Run(fmt.Sprintf("%q%+v", q.Text, q.Filters), func(t *testing.T) {
				got := search(t, ix, q)
				want := bleveSearch(t, ix, q)
				if got.Total != want.Total {
					t.Errorf("total %d, bleve %d", got.Total, want.Total)
				}
				if len(got.Hits) != len(want.Hits) {
					t.Fatalf("%d hits, bleve %d", len(got.Hits), len(want.Hits))
				}
				for i, h := range got.Hits {
					w := want.Hits[i]
					names := sortName["vi"]
					if q.Lang == "en" {
						names = sortName["en"]
					}
					if h.ID != w.ID && h.Score == 0 && w.Score == 0 && names[h.ID] == names[w.ID] {
						// bleve's reference sorts on the name alone and leaves firms of one name in
						// whatever order its collector met them; the search puts them in index order.
						continue
					}
					if h.ID != w.ID || math.Abs(h.Score-w.Score) > 1e-9*math.Max(1, w.Score) {
						t.Errorf("hit %d: firm %d score %g, bleve firm %d score %g", i, h.ID, h.Score, w.ID, w.Score)
					}
				}
				for _, facet := range Facets {
					if g, w := counts(got.Facets[facet]), counts(want.Facets[facet]); !maps2Equal(g, w) {
						t.Errorf("facet %s: %v, bleve %v", facet, g, w)
					}
				}
			})
		}
	}
	t.Run("OneScan", check)
	t.Run("Parts", func(t *testing.T) {
		defer func(n uint64, procs int) { parallelFrom = n; runtime.GOMAXPROCS(procs) }(parallelFrom, runtime.GOMAXPROCS(3))
		parallelFrom = 1
		check(t)
	})
}

// TestSearchEmptyIndex checks searches over an index with no segments at all.
func TestSearchEmptyIndex(t *testing.T) {
	ix := openTestIndex(t, newIndexDir(t), storetest.Open(t))
	for _, q := range []Query{{}, {Text: "khuôn mẫu"}, {Text: "stamping", Sort: SortName, Page: 2},
		{Filters: Filters{Sector: []string{"co-khi"}, Verified: true, SPCNCL: true}}} {
		res := search(t, ix, q)
		if res.Total != 0 || len(res.Hits) != 0 {
			t.Errorf("%+v: %d results, %d hits", q, res.Total, len(res.Hits))
		}
		if n, ok := facetCount(res, FacetSector, "co-khi"); len(q.Filters.Sector) > 0 && (!ok || n != 0) {
			t.Errorf("%+v: the chosen sector is listed %v with %d firms", q, ok, n)
		}
	}
}

// TestScanFromAnyDocument checks that a scan started in the middle of the index, as each part
// of a parallel scan is, matches and scores every firm as a scan from the start does.
func TestScanFromAnyDocument(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	if _, err := s.SaveFirms(ctx, sample.GenerateAsOf(s.Reference(), 7, 0, 600, testNow)); err != nil {
		t.Fatal(err)
	}
	ix := openTestIndex(t, newIndexDir(t), s)
	v, err := ix.columns.view(ix.idx)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	m := ix.idx.Mapping()
	g := ix.glossaryFor(s.Reference())
	for _, text := range []string{"co khi chinh xac", "khuôn mẫu ép nhựa", "wire harness assembly", "sơn tĩnh điện"} {
		tq := buildTextQuery(planText(m, g, text), false)
		scores := func(from uint64) map[uint64]float64 {
			r := &ranking{v: v, k: int(v.docs)}
			c := &collector{matched: newBitmaps(len(v.segs)), top: r}
			if err := v.scanRange(ctx, m, tq, true, from, v.docs, c); err != nil {
				t.Fatal(err)
			}
			// Unscored, the same firms match.
			u := &collector{matched: newBitmaps(len(v.segs))}
			if err := v.scanRange(ctx, m, tq, false, from, v.docs, u); err != nil {
				t.Fatal(err)
			}
			for i := range v.segs {
				if !u.matched[i].Equals(c.matched[i]) {
					t.Errorf("%q from %d: segment %d matches %d firms unscored, %d scored", text, from, i,
						u.matched[i].GetCardinality(), c.matched[i].GetCardinality())
				}
			}
			out := map[uint64]float64{}
			for _, d := range r.docs {
				out[v.segs[d.seg].offset+uint64(d.local)] = d.score
			}
			return out
		}
		all := scores(0)
		if len(all) == 0 {
			t.Fatalf("%q matches nothing", text)
		}
		for _, from := range []uint64{1, 2, 3, 7, 50, v.docs / 3, v.docs / 2, v.docs - 5} {
			part := scores(from)
			want := 0
			for doc, score := range all {
				if doc < from {
					continue
				}
				want++
				if got, ok := part[doc]; !ok || !sameScore(got, score) {
					t.Errorf("%q from %d: document %d scored %g (found %v), from the start %g", text, from, doc, got, ok, score)
				}
			}
			if len(part) != want {
				t.Errorf("%q from %d: %d matches, from the start %d", text, from, len(part), want)
			}
		}
	}
}

// bleveTotal counts with bleve alone the firms matching text and q's filters.
func bleveTotal(t *testing.T, ix *Index, q Query, text query.Query) int {
	t.Helper()
	req := bleve.NewSearchRequestOptions(combine(text, filterQueries(q.Filters, "")), 0, 0, false)
	res, err := ix.idx.Search(req)
	if err != nil {
		t.Fatal(err)
	}
	return int(res.Total)
}

// sameScore compares scores to rounding: bleve's disjunction of more than ten clauses keeps its
// clauses in a heap whose order, and so the order of the additions, depends on where a scan
// started.
func sameScore(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(math.Abs(a), math.Abs(b)) }

func counts(vals []FacetValue) map[string]int {
	out := map[string]int{}
	for _, v := range vals {
		if v.Count > 0 {
			out[v.Value] = v.Count
		}
	}
	return out
}

func maps2Equal(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// bleveSearch runs q the way bleve alone would: one request for the page and one per facet.
func bleveSearch(t *testing.T, ix *Index, q Query) *Result {
	t.Helper()
	ctx := context.Background()
	q = q.normalized()
	idx := ix.idx
	var text query.Query
	var rank *query.BooleanQuery
	if q.Text != "" {
		v, err := ix.columns.view(idx)
		if err != nil {
			t.Fatal(err)
		}
		defer v.Close()
		known := func(field, term string) bool { return v.hasTerm(ctx, field, term) }
		plan := ix.plan(idx.Mapping(), ix.glossaryFor(ix.store.Reference()), q.Text, known)
		tq := buildTextQuery(plan, false)
		// As Search does, a query of several words that few firms match lets them miss one.
		if total := bleveTotal(t, ix, Query{}, tq.match); total < relaxBelow && plan.required() >= 2 {
			relaxed := *plan
			relaxed.relaxed = true
			if rq := buildTextQuery(&relaxed, false); bleveTotal(t, ix, q, rq.match) > bleveTotal(t, ix, q, tq.match) {
				tq = rq
			}
		}
		text, rank = tq.match, tq.rank
	}
	// The page comes from bleve's boolean searcher reading every match in turn, the filters
	// applied beside it without scoring.
	var pageQuery query.Query = combine(nil, filterQueries(q.Filters, ""))
	if rank != nil {
		b := *rank
		if f := filterQueries(q.Filters, ""); len(f) > 0 {
			b.AddFilter(query.NewConjunctionQuery(f))
		}
		pageQuery = &b
	}
	main := bleve.NewSearchRequestOptions(pageQuery, q.PerPage, (q.Page-1)*q.PerPage, false)
	name := fieldNameSort
	if q.Lang == "en" {
		name = fieldNameSortEN
	}
	switch {
	case q.Sort == SortSize:
		main.SortBy([]string{"-" + fieldEmployees, name})
	case q.Sort == SortUpdated:
		main.SortBy([]string{"-" + fieldUpdated, name})
	case q.Sort == SortName || text == nil:
		main.SortBy([]string{name})
	default:
		main.SortBy([]string{"-_score"})
	}
	if text == nil || q.Sort != SortRelevance {
		main.Score = "none"
	}
	res, err := idx.SearchInContext(ctx, main)
	if err != nil {
		t.Fatal(err)
	}
	out := &Result{Total: int(res.Total), Facets: map[string][]FacetValue{}}
	for _, h := range res.Hits {
		var id uint
		fmt.Sscan(h.ID, &id)
		out.Hits = append(out.Hits, Hit{ID: id, Score: h.Score})
	}
	for _, facet := range Facets {
		field := facetField(facet, q.Filters)
		r := bleve.NewSearchRequestOptions(combine(text, filterQueries(q.Filters, facet)), 0, 0, false)
		fr := bleve.NewFacetRequest(fieldFacets, 10000)
		fr.TermPrefix = field + ":"
		r.AddFacet(facet, fr)
		fres, err := idx.SearchInContext(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		for _, term := range fres.Facets[facet].Terms.Terms() {
			out.Facets[facet] = append(out.Facets[facet], FacetValue{Value: strings.TrimPrefix(term.Term, field+":"), Count: term.Count})
		}
		slices.SortFunc(out.Facets[facet], func(a, b FacetValue) int { return strings.Compare(a.Value, b.Value) })
	}
	return out
}

// The filters as bleve queries, for bleveSearch.

// combine puts the text query (nil for none) and the filters together in a conjunction.
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

// fakeSegment stands for a segment as a map key; the column cache never calls it.
type fakeSegment struct {
	segment.Segment
	name string
}

func TestColumnCacheKeepsNewerSegmentsForOlderViews(t *testing.T) {
	var cc columnCache
	a, b, c := &fakeSegment{name: "a"}, &fakeSegment{name: "b"}, &fakeSegment{name: "c"}
	newer := cc.use([]segment.Segment{a, b, c})
	// A search still on the snapshot from before c was written opens its view now.
	cc.use([]segment.Segment{a, b})
	again := cc.use([]segment.Segment{a, b, c})
	if again[2] != newer[2] {
		t.Fatal("a view of an older snapshot made the cache forget the newest segment's columns")
	}
	// A segment merged away is forgotten once enough views have not used it.
	for range columnsKeptFor + 1 {
		cc.use([]segment.Segment{a, b})
	}
	if _, ok := cc.entries[c]; ok {
		t.Fatal("the columns of a segment no view uses are kept for ever")
	}
}
