package search

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"strconv"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// The text of a requirement ranks only the firms that meet its required criteria. A scan of
// the text's matches (view.scan, as for a search) would score every firm the text matches,
// though only the candidates are ranked; and a broad Vietnamese text ("gia công cơ khí chính
// xác") matches most of the index through a hundred term clauses, many the same term repeated
// (a concept counts for each word it covers). textRanking therefore scores term at a time: each
// distinct clause is read once, over postings that hold only the candidates (candidateReader),
// and its scores are combined up the query as bleve's searchers combine them: a disjunction sums
// the scores of the clauses a firm matches times the share of its clauses matched (and needs its
// minimum), a conjunction sums them and needs all. Leaves are bleve's own searchers under the
// same query norm, so a firm scores as in a scan of all matches, up to the order in which
// floating-point sums are taken.

// textRanking returns the best MaxMatchCandidates candidates by text relevance.
func (v *view) textRanking(ctx context.Context, m mapping.IndexMapping, q *textQuery, cands []*roaring.Bitmap) (*ranking, error) {
	r := &ranking{v: v, order: byScore, k: MaxMatchCandidates}
	if v.docs > math.MaxUint32 {
		_, top, err := v.scan(ctx, m, q, true, cands, r)
		return top, err
	}
	keep := v.numbers(cands)
	t := &termAtATime{ctx: ctx, m: m, reader: &candidateReader{IndexReader: v.reader, keep: keep},
		docs: keep.ToArray(), memo: map[query.Query]*clauseHits{}, uses: map[query.Query]int{}, leaves: map[string]*clauseLeaf{}}
	t.ord = make([]int32, v.docs)
	for i := range t.ord {
		t.ord[i] = -1
	}
	for i, d := range t.docs {
		t.ord[d] = int32(i)
	}
	t.sum, t.count = make([]float64, len(t.docs)), make([]int32, len(t.docs))
	defer t.close()
	roots := []query.Query{q.rank.Must}
	if q.rank.Should != nil {
		roots = append(roots, q.rank.Should)
	}
	var weight float64
	for _, root := range roots {
		w, err := t.prepare(root)
		if err != nil {
			return nil, err
		}
		weight += w
	}
	t.norm = 1 / math.Sqrt(weight)
	if err := t.readLeaves(); err != nil {
		return nil, err
	}
	var hits []*clauseHits
	for _, root := range roots {
		h, err := t.eval(root)
		if err != nil {
			return nil, err
		}
		hits = append(hits, h)
	}
	// A firm ranks when it matches the required clauses; the bonus clauses add to its score.
	var bonus map[int32]float64
	if len(hits) > 1 {
		bonus = make(map[int32]float64, len(hits[1].ord))
		for i, o := range hits[1].ord {
			bonus[o] = hits[1].score[i]
		}
	}
	seg := 0
	for i, o := range hits[0].ord {
		doc := uint64(t.docs[o])
		for seg+1 < len(v.segs) && doc >= v.segs[seg+1].offset {
			seg++
		}
		score := hits[0].score[i]
		if b, ok := bonus[o]; ok {
			score += b
		}
		r.offer(rankedDoc{seg: seg, local: uint32(doc - v.segs[seg].offset), score: score})
	}
	return r, nil
}

// clauseHits are the candidates a clause matches, in order, with their scores.
type clauseHits struct {
	ord   []int32 // ordinals of the candidates
	score []float64
}

// clauseLeaf is a clause read with a bleve searcher: a term, or anything but a disjunction or
// conjunction (a phrase, a prefix).
type clauseLeaf struct {
	s    bsearch.Searcher
	hits *clauseHits
}

// termAtATime scores one text over the candidates of one view.
type termAtATime struct {
	ctx    context.Context
	m      mapping.IndexMapping
	reader *candidateReader
	docs   []uint32 // the candidates' numbers in the snapshot, by ordinal
	ord    []int32  // and back, -1 for the others
	norm   float64
	// leaves by field, term and boost (the same term clause is read once); memo by clause,
	// kept until its last use.
	leaves map[string]*clauseLeaf
	memo   map[query.Query]*clauseHits
	uses   map[query.Query]int
	// Scratch for combining clauses, zero between uses.
	sum   []float64
	count []int32
}

// leafKey names a term clause by what decides its scores; other leaves by themselves.
func leafKey(q query.Query) string {
	if tq, ok := q.(*query.TermQuery); ok {
		return tq.FieldVal + "\x00" + tq.Term + "\x00" + strconv.FormatFloat(tq.BoostVal.Value(), 'g', -1, 64)
	}
	return fmt.Sprintf("%p", q)
}

// prepare opens the searchers of q's leaves and returns q's weight, as its bleve searcher's.
func (t *termAtATime) prepare(q query.Query) (float64, error) {
	t.uses[q]++
	var children []query.Query
	switch c := q.(type) {
	case *query.DisjunctionQuery:
		children = c.Disjuncts
	case *query.ConjunctionQuery:
		children = c.Conjuncts
	default:
		key := leafKey(q)
		l := t.leaves[key]
		if l == nil {
			s, err := q.Searcher(t.ctx, t.reader, t.m, bsearch.SearcherOptions{})
			if err != nil {
				return 0, fmt.Errorf("search: %w", err)
			}
			l = &clauseLeaf{s: s}
			t.leaves[key] = l
		}
		return l.s.Weight(), nil
	}
	var w float64
	for _, c := range children {
		cw, err := t.prepare(c)
		if err != nil {
			return 0, err
		}
		w += cw
	}
	return w, nil
}

// eval returns the candidates q matches, with their scores.
func (t *termAtATime) eval(q query.Query) (*clauseHits, error) {
	if h, ok := t.memo[q]; ok {
		if t.uses[q]--; t.uses[q] == 0 {
			delete(t.memo, q)
		}
		return h, nil
	}
	var h *clauseHits
	var err error
	switch c := q.(type) {
	case *query.DisjunctionQuery:
		h, err = t.combine(c.Disjuncts, int(c.Min), true)
	case *query.ConjunctionQuery:
		h, err = t.combine(c.Conjuncts, len(c.Conjuncts), false)
	default:
		h, err = t.leaf(q)
	}
	if err != nil {
		return nil, err
	}
	if t.uses[q]--; t.uses[q] > 0 {
		t.memo[q] = h
	}
	return h, nil
}

// leaf returns a leaf clause's matches, read by readLeaves.
func (t *termAtATime) leaf(q query.Query) (*clauseHits, error) {
	return t.leaves[leafKey(q)].hits, nil
}

// readLeaves reads the matches of every leaf, the leaves shared among the cores.
func (t *termAtATime) readLeaves() error {
	leaves := slices.Collect(maps.Values(t.leaves))
	workers := min(runtime.GOMAXPROCS(0), maxParts, len(leaves))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(leaves) && errs[w] == nil; i += workers {
				errs[w] = t.read(leaves[i])
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// read reads one leaf's matches among the candidates, scored under the query norm.
func (t *termAtATime) read(l *clauseLeaf) error {
	l.s.SetQueryNorm(t.norm)
	sc := &bsearch.SearchContext{DocumentMatchPool: bsearch.NewDocumentMatchPool(l.s.DocumentMatchPoolSize(), 0), IndexReader: t.reader}
	most := min(int(l.s.Count()), len(t.docs))
	h := &clauseHits{ord: make([]int32, 0, most), score: make([]float64, 0, most)}
	for n := 0; ; n++ {
		dm, err := l.s.Next(sc)
		if err != nil {
			return fmt.Errorf("search: %w", err)
		}
		if dm == nil {
			break
		}
		if doc := binary.BigEndian.Uint64(dm.IndexInternalID); doc < uint64(len(t.ord)) && t.ord[doc] >= 0 {
			h.ord = append(h.ord, t.ord[doc])
			h.score = append(h.score, dm.Score)
		}
		sc.DocumentMatchPool.Put(dm)
		if n%4096 == 0 && t.ctx.Err() != nil {
			return t.ctx.Err()
		}
	}
	l.hits = h
	return nil
}

// combine scores a disjunction (or, with all set false, a conjunction) of clauses: a candidate
// matching at least need of them scores the sum of their scores in the clauses' order, times,
// in a disjunction, the share of the clauses it matches.
func (t *termAtATime) combine(clauses []query.Query, need int, disjunction bool) (*clauseHits, error) {
	// The clauses first: combining a clause uses the same scratch.
	hits := make([]*clauseHits, len(clauses))
	for i, c := range clauses {
		h, err := t.eval(c)
		if err != nil {
			return nil, err
		}
		hits[i] = h
	}
	var touched []int32
	for _, h := range hits {
		for i, o := range h.ord {
			if t.count[o] == 0 {
				touched = append(touched, o)
			}
			t.count[o]++
			t.sum[o] += h.score[i]
		}
	}
	slices.Sort(touched)
	out := &clauseHits{}
	for _, o := range touched {
		if n := int(t.count[o]); n >= max(need, 1) {
			score := t.sum[o]
			if disjunction {
				score *= float64(n) / float64(len(clauses))
			}
			out.ord = append(out.ord, o)
			out.score = append(out.score, score)
		}
		t.count[o], t.sum[o] = 0, 0
	}
	return out, nil
}

func (t *termAtATime) close() {
	for _, l := range t.leaves {
		l.s.Close()
	}
}

// only returns the view as if it held only the documents of keep (per segment): a scan of it
// meets and scores those alone, each as a scan of the whole view scores it. The view must number
// fewer than 2³² documents.
func (v *view) only(keep []*roaring.Bitmap) *view {
	o := *v
	o.reader = &candidateReader{IndexReader: v.reader, keep: v.numbers(keep)}
	return &o
}

// numbers gives the documents of docs (per segment) by their numbers in the snapshot.
func (v *view) numbers(docs []*roaring.Bitmap) *roaring.Bitmap {
	out := roaring.New()
	for s, b := range docs {
		it := b.Iterator()
		for it.HasNext() {
			out.Add(uint32(v.segs[s].offset) + it.Next())
		}
	}
	return out
}

// candidateReader is an index reader whose term postings hold only the documents in keep (by
// their number in the snapshot); everything else it reads from the whole index.
type candidateReader struct {
	index.IndexReader
	keep *roaring.Bitmap
}

func (r *candidateReader) TermFieldReader(ctx context.Context, term []byte, field string, freq, norm, vectors bool) (index.TermFieldReader, error) {
	tfr, err := r.IndexReader.TermFieldReader(ctx, term, field, freq, norm, vectors)
	if err != nil {
		return nil, err
	}
	return &candidatePostings{TermFieldReader: tfr, keep: r.keep, next: r.keep.Iterator()}, nil
}

// candidatePostings walks a term's postings from one kept document to the next, so that the
// postings of the others are skipped rather than read. Count stays the whole index's, for the
// term's weight.
type candidatePostings struct {
	index.TermFieldReader
	keep *roaring.Bitmap
	next roaring.IntPeekable // the documents kept, from the last one met
	at   uint32              // the document after the last one returned
	id   [8]byte
}

func (p *candidatePostings) Next(pre *index.TermFieldDoc) (*index.TermFieldDoc, error) {
	p.next.AdvanceIfNeeded(p.at)
	if !p.next.HasNext() {
		return nil, nil
	}
	binary.BigEndian.PutUint64(p.id[:], uint64(p.next.PeekNext()))
	d, err := p.TermFieldReader.Advance(p.id[:], pre)
	return p.kept(d, err)
}

func (p *candidatePostings) Advance(id index.IndexInternalID, pre *index.TermFieldDoc) (*index.TermFieldDoc, error) {
	d, err := p.TermFieldReader.Advance(id, pre)
	return p.kept(d, err)
}

// kept returns d when it is kept, or else the first kept document after it that has the term.
func (p *candidatePostings) kept(d *index.TermFieldDoc, err error) (*index.TermFieldDoc, error) {
	for err == nil && d != nil {
		n := binary.BigEndian.Uint64(d.ID)
		if n >= math.MaxUint32 {
			return nil, nil
		}
		doc := uint32(n)
		if doc < p.at {
			p.next = p.keep.Iterator() // moved back: start again
		}
		p.next.AdvanceIfNeeded(doc)
		if !p.next.HasNext() {
			return nil, nil
		}
		want := p.next.PeekNext()
		if want == doc {
			p.at = doc + 1
			return d, nil
		}
		p.at = doc
		binary.BigEndian.PutUint64(p.id[:], uint64(want))
		d, err = p.TermFieldReader.Advance(p.id[:], d)
	}
	return d, err
}
