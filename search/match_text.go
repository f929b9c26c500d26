package search

import (
	"context"
	"encoding/binary"
	"math"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
)

// The text of a requirement ranks only the firms that meet its required criteria. A scan of
// the text's matches (view.scan, as for a search) would score every firm the text matches,
// though only the candidates are ranked: a broad Vietnamese text matches most of the index.
// textRanking instead scans an index reader that shows each term's postings with every other
// firm left out (candidateReader), so the searchers meet and score the candidates alone. A
// term's statistics (how many firms have it, its frequency and norm in each) are read from the
// whole index as before, so every candidate scores exactly as in a scan of all matches.

// textRanking returns the best MaxMatchCandidates candidates by text relevance, as a scan would.
func (v *view) textRanking(ctx context.Context, m mapping.IndexMapping, q *textQuery, cands []*roaring.Bitmap) (*ranking, error) {
	r := &ranking{v: v, order: byScore, k: MaxMatchCandidates}
	only := *v
	if v.docs <= math.MaxUint32 {
		keep := roaring.New()
		for s, b := range cands {
			it := b.Iterator()
			for it.HasNext() {
				keep.Add(uint32(v.segs[s].offset) + it.Next())
			}
		}
		only.reader = &candidateReader{IndexReader: v.reader, keep: keep}
	}
	_, top, err := only.scan(ctx, m, q, true, cands, r)
	return top, err
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
