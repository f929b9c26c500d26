package search

import (
	"container/heap"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sort"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// A search runs over one snapshot of the index (a view) in three steps:
//
//  1. The text query, if any, goes through bleve's searcher, and every firm it matches is
//     marked in a bitmap per segment; without text every firm is marked. Firms are scored only
//     when the order is by relevance.
//  2. Filters are bitmaps too: for each facet, the firms having any of its chosen values.
//  3. A facet's counts intersect the text matches and every other facet's filter with each of
//     its values' bitmaps ("disjunctive faceting": choosing a second value widens the results
//     as the counts promised). The page is the best of the matches that pass every filter, by
//     score or by the sort keys in the columns.
//
// Large indexes are scanned in parts, in parallel: each part has its own bleve searcher that
// starts at its first document, so a broad query uses every core.

// parallelFrom is the number of documents from which the text query is scanned in parts.
// Tests lower it.
var parallelFrom uint64 = 20_000

// maxParts caps the number of parts a scan runs in.
const maxParts = 4

// runResult is what a search found: the page of hits and the count of every facet value.
type runResult struct {
	total int
	// textTotal counts the firms the text matched, before filters.
	textTotal int
	hits      []pageHit
	counts    map[string]map[string]int // facet → value → firms
}

// pageHit is one firm on the page, by its index document id, with why it matched.
type pageHit struct {
	id      string
	score   float64
	matched []Match
}

// run finds the firms of the view matching text (nil for none) and q's filters, counts every
// facet and returns the page q asks for.
func (ix *Index) run(ctx context.Context, v *view, m mapping.IndexMapping, q Query, text *textQuery) (*runResult, error) {
	var err error
	fs := v.filters(q.Filters)
	r := newRanking(v, q, text != nil)

	var matched []*roaring.Bitmap
	ranked := false
	switch {
	case text == nil:
		matched = make([]*roaring.Bitmap, len(v.segs))
		for i := range v.segs {
			matched[i] = v.segs[i].snap.DocNumbersLive()
		}
	case r.order != byScore:
		if matched, _, err = v.scan(ctx, m, text, false, nil, nil); err != nil {
			return nil, err
		}
	case fs.all != nil && v.docs <= math.MaxUint32 && 2*cardinality(fs.all) <= v.docs:
		// Filters keep at most half the firms: every match of the text is found without scores,
		// for the facet counts, and only those the filters keep are scored (view.only).
		if matched, _, err = v.scan(ctx, m, text, false, nil, nil); err != nil {
			return nil, err
		}
		kept := make([]*roaring.Bitmap, len(v.segs))
		for i := range v.segs {
			kept[i] = roaring.And(matched[i], fs.all[i])
		}
		if _, r, err = v.only(kept).scan(ctx, m, text, true, kept, r); err != nil {
			return nil, err
		}
		ranked = true
	default:
		if matched, r, err = v.scan(ctx, m, text, true, fs.all, r); err != nil {
			return nil, err
		}
		ranked = true
	}

	out := &runResult{counts: make(map[string]map[string]int, len(Facets))}
	for _, b := range matched {
		out.textTotal += int(b.GetCardinality())
	}
	hits := fs.within(matched, "")
	for _, b := range hits {
		out.total += int(b.GetCardinality())
	}
	for _, facet := range Facets {
		base := hits
		if fs.facets[facet] != nil {
			base = fs.within(matched, facet)
		}
		out.counts[facet] = v.count(base, facetField(facet, q.Filters))
	}
	if !ranked {
		for i, b := range hits {
			it := b.Iterator()
			for it.HasNext() {
				r.offer(rankedDoc{seg: i, local: it.Next()})
			}
		}
	}
	from := (q.Page - 1) * q.PerPage
	page := r.sorted()[min(from, len(r.docs)):]
	var why [][]Match
	if text != nil {
		if why, err = v.explain(ctx, text.evidence, page); err != nil {
			return nil, err
		}
	}
	for i, d := range page {
		id, err := v.segs[d.seg].snap.DocID(uint64(d.local))
		if err != nil {
			return nil, fmt.Errorf("search: read document id: %w", err)
		}
		h := pageHit{id: string(id), score: d.score}
		if why != nil {
			h.matched = why[i]
		}
		out.hits = append(out.hits, h)
	}
	return out, nil
}

// filterSet is a search's filters as bitmaps, per segment of a view.
type filterSet struct {
	// global holds the filters no facet counts past: verified and SPCNCL; nil when off.
	global []*roaring.Bitmap
	// facets holds, for each facet with chosen values, the firms having any of them.
	facets map[string][]*roaring.Bitmap
	// all is every filter together; nil when there is none.
	all []*roaring.Bitmap
}

func (v *view) filters(f Filters) *filterSet {
	fs := &filterSet{facets: map[string][]*roaring.Bitmap{}}
	var global []string
	// A verified certificate of a chosen standard is itself verified, so "verified" holds
	// with or without a certificate filter, and also when the certificate facet is counted.
	if f.Verified {
		global = append(global, fieldVerified)
	}
	if f.SPCNCL {
		global = append(global, fieldSPCNCL)
	}
	if len(global) > 0 {
		fs.global = make([]*roaring.Bitmap, len(v.segs))
		for i, s := range v.segs {
			bs := make([]*roaring.Bitmap, len(global))
			for j, field := range global {
				bs[j] = s.anyOf(field, []string{"yes"})
			}
			fs.global[i] = roaring.FastAnd(bs...)
		}
	}
	for _, facet := range Facets {
		vals := f.values(facet)
		if len(vals) == 0 {
			continue
		}
		field := facetField(facet, f)
		per := make([]*roaring.Bitmap, len(v.segs))
		for i, s := range v.segs {
			per[i] = s.anyOf(field, vals)
		}
		fs.facets[facet] = per
	}
	if fs.global != nil || len(fs.facets) > 0 {
		fs.all = make([]*roaring.Bitmap, len(v.segs))
		for i := range v.segs {
			fs.all[i] = fs.and(nil, i, "")
		}
	}
	return fs
}

// and returns base (nil: every document) of segment i narrowed by every filter but the facet
// named except. It returns base itself when no filter applies.
func (fs *filterSet) and(base *roaring.Bitmap, i int, except string) *roaring.Bitmap {
	if except == "" && fs.all != nil && base != nil {
		return roaring.And(base, fs.all[i])
	}
	var bs []*roaring.Bitmap
	if base != nil {
		bs = append(bs, base)
	}
	if fs.global != nil {
		bs = append(bs, fs.global[i])
	}
	for _, facet := range Facets {
		if per := fs.facets[facet]; per != nil && facet != except {
			bs = append(bs, per[i])
		}
	}
	if len(bs) == 1 && base != nil {
		return base
	}
	return roaring.FastAnd(bs...)
}

// within returns, per segment, the matched firms that pass every filter but except's.
func (fs *filterSet) within(matched []*roaring.Bitmap, except string) []*roaring.Bitmap {
	out := make([]*roaring.Bitmap, len(matched))
	for i, b := range matched {
		out[i] = fs.and(b, i, except)
	}
	return out
}

// count returns how many of base (per segment) have each value of field.
func (v *view) count(base []*roaring.Bitmap, field string) map[string]int {
	out := map[string]int{}
	for i, s := range v.segs {
		if base[i].IsEmpty() {
			continue
		}
		for val, b := range s.values[field] {
			if n := base[i].AndCardinality(b); n > 0 {
				out[val] += int(n)
			}
		}
	}
	return out
}

// scan runs q over the view and returns its matches per segment. With r, it also ranks the
// matches that keep allows (nil: all) and returns r with them. score has each match scored,
// which only a ranking by relevance needs.
func (v *view) scan(ctx context.Context, m mapping.IndexMapping, q *textQuery, score bool, keep []*roaring.Bitmap, r *ranking) ([]*roaring.Bitmap, *ranking, error) {
	parts := 1
	if v.docs >= parallelFrom {
		parts = min(runtime.GOMAXPROCS(0), maxParts)
	}
	cs := make([]*collector, parts)
	errs := make([]error, parts)
	var wg sync.WaitGroup
	for p := range cs {
		c := &collector{keep: keep, matched: newBitmaps(len(v.segs))}
		if r != nil {
			c.top = r.empty()
		}
		cs[p] = c
		from, to := v.docs*uint64(p)/uint64(parts), v.docs*uint64(p+1)/uint64(parts)
		wg.Go(func() { errs[p] = v.scanRange(ctx, m, q, score, from, to, c) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	for _, c := range cs[1:] {
		for i, b := range c.matched {
			cs[0].matched[i].Or(b)
		}
		if r != nil {
			for _, d := range c.top.docs {
				cs[0].top.offer(d)
			}
		}
	}
	return cs[0].matched, cs[0].top, nil
}

// scanRange hands c the matches of q among documents from to to-1.
//
// Scored, it walks q's required clauses and its bonus clauses side by side and adds their
// scores, as bleve's boolean searcher does with the same query norm. It does not use that
// searcher because its Advance, which starts a part in the middle of the index, loses a bonus
// clause's match when that clause is already at or past the target.
func (v *view) scanRange(ctx context.Context, m mapping.IndexMapping, q *textQuery, score bool, from, to uint64, c *collector) error {
	opts := bsearch.SearcherOptions{}
	main, bonus := q.match, query.Query(nil)
	if score {
		main = q.rank.Must
		if q.rank.Should != nil {
			bonus = q.rank.Should
		}
	} else {
		opts.Score = "none"
	}
	s, err := main.Searcher(ctx, v.reader, m, opts)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	defer s.Close()
	var b bsearch.Searcher
	if bonus != nil {
		if b, err = bonus.Searcher(ctx, v.reader, m, opts); err != nil {
			return fmt.Errorf("search: %w", err)
		}
		defer b.Close()
		norm := 1 / math.Sqrt(s.Weight()+b.Weight())
		s.SetQueryNorm(norm)
		b.SetQueryNorm(norm)
	}
	poolSize := s.DocumentMatchPoolSize()
	if b != nil {
		poolSize += b.DocumentMatchPoolSize()
	}
	sc := &bsearch.SearchContext{DocumentMatchPool: bsearch.NewDocumentMatchPool(poolSize, 0), IndexReader: v.reader}
	docOf := func(dm *bsearch.DocumentMatch) uint64 { return binary.BigEndian.Uint64(dm.IndexInternalID) }

	var dm, bm *bsearch.DocumentMatch
	if from > 0 {
		// The first match of the part; the part before it is another scan's.
		dm, err = s.Advance(sc, binary.BigEndian.AppendUint64(nil, from))
	} else {
		dm, err = s.Next(sc)
	}
	bonusDone := b == nil
	seg := v.segmentAt(from)
	for n := 1; dm != nil && err == nil; n++ {
		doc := docOf(dm)
		if doc >= to {
			break
		}
		score := dm.Score
		if !bonusDone && (bm == nil || docOf(bm) < doc) {
			if bm != nil {
				sc.DocumentMatchPool.Put(bm)
			}
			if bm, err = b.Advance(sc, dm.IndexInternalID); err != nil {
				break
			}
			bonusDone = bm == nil
		}
		if bm != nil && docOf(bm) == doc {
			score += bm.Score
		}
		for seg+1 < len(v.segs) && doc >= v.segs[seg+1].offset {
			seg++
		}
		c.collect(seg, uint32(doc-v.segs[seg].offset), score)
		sc.DocumentMatchPool.Put(dm)
		if n%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		dm, err = s.Next(sc)
	}
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	return nil
}

// collector gathers one part of a scan.
type collector struct {
	matched []*roaring.Bitmap // per segment
	keep    []*roaring.Bitmap // per segment, which matches may be ranked; nil: all
	top     *ranking          // nil when not ranking
}

func (c *collector) collect(seg int, local uint32, score float64) {
	c.matched[seg].Add(local)
	if c.top != nil && (c.keep == nil || c.keep[seg].Contains(local)) {
		c.top.offer(rankedDoc{seg: seg, local: local, score: score})
	}
}

// rankOrder is how a page is ordered.
type rankOrder int

const (
	byScore rankOrder = iota
	byName
	bySize
	byUpdated
)

// rankedDoc is a firm found, by segment and number in it.
type rankedDoc struct {
	seg   int
	local uint32
	score float64
}

// ranking keeps the best k documents seen. docs is a heap whose root is the worst kept.
type ranking struct {
	v     *view
	order rankOrder
	names func(segmentView) []string
	k     int
	docs  []rankedDoc
}

// newRanking returns the ranking q asks for: by relevance when there is text to rank by,
// otherwise by name, size or last update, each breaking ties by name. What is still equal goes
// in index order, so pages never overlap.
func newRanking(v *view, q Query, hasText bool) *ranking {
	r := &ranking{v: v, k: q.Page * q.PerPage, names: func(s segmentView) []string { return s.nameVI }}
	if q.Lang == "en" {
		r.names = func(s segmentView) []string { return s.nameEN }
	}
	switch q.Sort {
	case SortName:
		r.order = byName
	case SortSize:
		r.order = bySize
	case SortUpdated:
		r.order = byUpdated
	default:
		r.order = byName
		if hasText {
			r.order = byScore
		}
	}
	return r
}

func (r *ranking) empty() *ranking {
	e := *r
	e.docs = nil
	return &e
}

// before reports whether a ranks above b.
func (r *ranking) before(a, b rankedDoc) bool {
	sa, sb := r.v.segs[a.seg], r.v.segs[b.seg]
	switch r.order {
	case byScore:
		if a.score != b.score {
			return a.score > b.score
		}
	case bySize:
		if ea, eb := sa.employees[a.local], sb.employees[b.local]; ea != eb {
			return ea > eb
		}
	case byUpdated:
		if ua, ub := sa.updated[a.local], sb.updated[b.local]; ua != ub {
			return ua > ub
		}
	}
	if r.order != byScore {
		if na, nb := r.names(sa)[a.local], r.names(sb)[b.local]; na != nb {
			return na < nb
		}
	}
	return sa.offset+uint64(a.local) < sb.offset+uint64(b.local)
}

func (r *ranking) offer(d rankedDoc) {
	switch {
	case len(r.docs) < r.k:
		heap.Push(r, d)
	case r.k > 0 && r.before(d, r.docs[0]):
		r.docs[0] = d
		heap.Fix(r, 0)
	}
}

// sorted returns the documents kept, best first.
func (r *ranking) sorted() []rankedDoc {
	sort.Slice(r.docs, func(i, j int) bool { return r.before(r.docs[i], r.docs[j]) })
	return r.docs
}

// heap.Interface, the worst document at the root.
func (r *ranking) Len() int           { return len(r.docs) }
func (r *ranking) Less(i, j int) bool { return r.before(r.docs[j], r.docs[i]) }
func (r *ranking) Swap(i, j int)      { r.docs[i], r.docs[j] = r.docs[j], r.docs[i] }
func (r *ranking) Push(x any)         { r.docs = append(r.docs, x.(rankedDoc)) }
func (r *ranking) Pop() any {
	d := r.docs[len(r.docs)-1]
	r.docs = r.docs[:len(r.docs)-1]
	return d
}

// cardinality counts the documents of bitmaps.
func cardinality(bitmaps []*roaring.Bitmap) uint64 {
	var n uint64
	for _, b := range bitmaps {
		n += b.GetCardinality()
	}
	return n
}

// newBitmaps returns n empty bitmaps, one per segment.
func newBitmaps(n int) []*roaring.Bitmap {
	out := make([]*roaring.Bitmap, n)
	for i := range out {
		out[i] = roaring.New()
	}
	return out
}
