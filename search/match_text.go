package search

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
)

// The text of a requirement ranks only the firms that meet its required criteria. When they are
// few, walking every firm the text matches (as view.scan does for a search) costs far more than
// the ranking needs: scoreCandidates instead advances the query's searchers to each candidate in
// turn, scoring the same way scanRange does (the required clauses and the bonus clauses side by
// side, under one query norm).

// candidateScoringShare is the share of the index below which the candidates are scored one by
// one rather than by a scan of the text's matches.
const candidateScoringShare = 8

// textRanking returns the best MaxMatchCandidates candidates by text relevance, as a scan would.
func (v *view) textRanking(ctx context.Context, m mapping.IndexMapping, q *textQuery, cands []*roaring.Bitmap) (*ranking, error) {
	r := &ranking{v: v, order: byScore, k: MaxMatchCandidates}
	var n uint64
	for _, b := range cands {
		n += b.GetCardinality()
	}
	if n*candidateScoringShare > v.docs {
		_, top, err := v.scan(ctx, m, q, true, cands, r)
		return top, err
	}
	if v.docs < parallelFrom || n < 2 {
		return r, v.scoreCandidates(ctx, m, q, cands, r)
	}
	// In parts, as a scan: each part the candidates of a range of the index, in order.
	parts := min(runtime.GOMAXPROCS(0), maxParts)
	split := splitCandidates(cands, n, parts)
	tops := make([]*ranking, parts)
	errs := make([]error, parts)
	var wg sync.WaitGroup
	for p := range parts {
		tops[p] = r.empty()
		wg.Go(func() { errs[p] = v.scoreCandidates(ctx, m, q, split[p], tops[p]) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for _, t := range tops {
		for _, d := range t.docs {
			r.offer(d)
		}
	}
	return r, nil
}

// splitCandidates cuts the candidates, n in all, into parts of about the same size, each a run
// of the index in order.
func splitCandidates(cands []*roaring.Bitmap, n uint64, parts int) [][]*roaring.Bitmap {
	out := make([][]*roaring.Bitmap, parts)
	for p := range out {
		out[p] = make([]*roaring.Bitmap, len(cands))
		for s := range cands {
			out[p][s] = roaring.New()
		}
	}
	var i uint64
	for s, b := range cands {
		it := b.Iterator()
		for it.HasNext() {
			d := it.Next()
			out[min(int(i*uint64(parts)/n), parts-1)][s].Add(d)
			i++
		}
	}
	return out
}

// scoreCandidates offers r every candidate the text matches, with its score.
func (v *view) scoreCandidates(ctx context.Context, m mapping.IndexMapping, q *textQuery, cands []*roaring.Bitmap, r *ranking) error {
	opts := bsearch.SearcherOptions{}
	s, err := q.rank.Must.Searcher(ctx, v.reader, m, opts)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	defer s.Close()
	var b bsearch.Searcher
	if q.rank.Should != nil {
		if b, err = q.rank.Should.Searcher(ctx, v.reader, m, opts); err != nil {
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
	mainDone, bonusDone := false, b == nil
	target := make([]byte, 8)
	n := 0
	for seg, sv := range v.segs {
		it := cands[seg].Iterator()
		for it.HasNext() && !mainDone {
			local := it.Next()
			doc := sv.offset + uint64(local)
			binary.BigEndian.PutUint64(target, doc)
			if dm == nil || docOf(dm) < doc {
				if dm != nil {
					sc.DocumentMatchPool.Put(dm)
				}
				if dm, err = s.Advance(sc, target); err != nil {
					return fmt.Errorf("search: %w", err)
				}
				if dm == nil {
					mainDone = true
					break
				}
			}
			if docOf(dm) != doc {
				continue
			}
			score := dm.Score
			if !bonusDone && (bm == nil || docOf(bm) < doc) {
				if bm != nil {
					sc.DocumentMatchPool.Put(bm)
				}
				if bm, err = b.Advance(sc, target); err != nil {
					return fmt.Errorf("search: %w", err)
				}
				bonusDone = bm == nil
			}
			if bm != nil && docOf(bm) == doc {
				score += bm.Score
			}
			r.offer(rankedDoc{seg: seg, local: local, score: score})
			if n++; n%1024 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
		}
	}
	return nil
}
