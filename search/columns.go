package search

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/numeric"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Facet counts, filters and sort orders come from columns kept in memory, one set per segment
// of the index: a bitmap of the segment's documents for each facet value, and each document's
// sort keys. bleve's own facets read every matching document's values from disk at every
// search, which at 100,000 firms cost most of a broad search; from bitmaps a facet value is
// counted by intersecting two of them. A segment never changes once written (deletions are
// kept beside it), so its columns are built once, when a search first meets the segment, and
// dropped when it leaves the index by a merge or a rebuild.

// segmentColumns are the columns of one segment, indexed by the segment's document numbers.
type segmentColumns struct {
	// values holds, for each field a search filters or counts on, the documents having each
	// value: the facet fields ("sector" → "co-khi" → …), "verified" and "spcncl".
	values    map[string]map[string]*roaring.Bitmap
	nameVI    []string
	nameEN    []string
	employees []float64
	updated   []int64
}

// columnFields are the doc-value fields the columns are read from.
var columnFields = []string{fieldFacets, fieldVerified, fieldSPCNCL, fieldNameSort, fieldNameSortEN, fieldEmployees, fieldUpdated}

// buildColumns reads every document of seg once, deleted ones included (a search never meets
// those).
func buildColumns(seg segment.Segment) (*segmentColumns, error) {
	dv, ok := seg.(segment.DocValueVisitable)
	if !ok {
		return nil, fmt.Errorf("search: index segment %T has no doc values", seg)
	}
	n := seg.Count()
	c := &segmentColumns{
		values:    map[string]map[string]*roaring.Bitmap{},
		nameVI:    make([]string, n),
		nameEN:    make([]string, n),
		employees: make([]float64, n),
		updated:   make([]int64, n),
	}
	var (
		doc   uint64
		state segment.DocVisitState
		err   error
	)
	visit := func(field string, term []byte) {
		switch field {
		case fieldFacets:
			if f, v, ok := bytes.Cut(term, []byte{':'}); ok {
				c.add(string(f), v, doc)
			}
		case fieldVerified, fieldSPCNCL:
			c.add(field, term, doc)
		case fieldNameSort:
			c.nameVI[doc] = string(term)
		case fieldNameSortEN:
			c.nameEN[doc] = string(term)
		case fieldEmployees, fieldUpdated:
			// Numbers are indexed at several precisions; the full one has shift 0.
			if valid, shift := numeric.ValidPrefixCodedTermBytes(term); !valid || shift != 0 {
				return
			}
			i, err := numeric.PrefixCoded(term).Int64()
			if err != nil {
				return
			}
			if field == fieldEmployees {
				c.employees[doc] = numeric.Int64ToFloat64(i)
			} else {
				c.updated[doc] = i
			}
		}
	}
	for doc = 0; doc < n; doc++ {
		if state, err = dv.VisitDocValues(doc, columnFields, visit, state); err != nil {
			return nil, fmt.Errorf("search: read document %d of a segment: %w", doc, err)
		}
	}
	for _, vals := range c.values {
		for _, b := range vals {
			b.RunOptimize()
		}
	}
	return c, nil
}

func (c *segmentColumns) add(field string, value []byte, doc uint64) {
	vals := c.values[field]
	if vals == nil {
		vals = map[string]*roaring.Bitmap{}
		c.values[field] = vals
	}
	b := vals[string(value)]
	if b == nil {
		b = roaring.New()
		vals[string(value)] = b
	}
	b.Add(uint32(doc))
}

// anyOf returns the documents having any of values in field.
func (c *segmentColumns) anyOf(field string, values []string) *roaring.Bitmap {
	bs := make([]*roaring.Bitmap, 0, len(values))
	for _, v := range values {
		if b := c.values[field][v]; b != nil {
			bs = append(bs, b)
		}
	}
	return roaring.FastOr(bs...)
}

// columnCache keeps the columns of the segments of the index being searched.
type columnCache struct {
	mu      sync.Mutex
	entries map[segment.Segment]*columnEntry
	// views counts the views opened; an entry remembers the last one that used it.
	views uint64
}

type columnEntry struct {
	once     sync.Once
	cols     *segmentColumns
	err      error
	lastUsed uint64
}

// columnsKeptFor is how many views a segment's columns outlive their last use. A segment merged
// away is forgotten after that many searches; a search on an older snapshot, which lacks the
// newest segments, does not make anyone forget theirs.
const columnsKeptFor = 64

// use returns the entries of the segments, making those not seen before, and forgets the entries
// no view has used for columnsKeptFor views.
func (cc *columnCache) use(segs []segment.Segment) []*columnEntry {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.entries == nil {
		cc.entries = map[segment.Segment]*columnEntry{}
	}
	cc.views++
	out := make([]*columnEntry, len(segs))
	for i, sg := range segs {
		e := cc.entries[sg]
		if e == nil {
			e = &columnEntry{}
			cc.entries[sg] = e
		}
		e.lastUsed, out[i] = cc.views, e
	}
	for sg, e := range cc.entries {
		if cc.views-e.lastUsed > columnsKeptFor {
			delete(cc.entries, sg)
		}
	}
	return out
}

// view is one snapshot of the index with the columns of its segments. Close it after use.
type view struct {
	reader index.IndexReader
	segs   []segmentView
	docs   uint64 // one past the highest document number
}

// segmentView is a segment of a view. A document's number in the snapshot (what bleve calls
// its internal id) is the segment's offset plus its number in the segment.
type segmentView struct {
	*segmentColumns
	snap   *scorch.SegmentSnapshot
	offset uint64
}

// view opens a snapshot of idx and returns it with its columns, building those of segments not
// seen before.
func (cc *columnCache) view(idx bleve.Index) (*view, error) {
	adv, err := idx.Advanced()
	if err != nil {
		return nil, fmt.Errorf("search: open index: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("search: open index reader: %w", err)
	}
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		r.Close()
		return nil, fmt.Errorf("search: unexpected index reader %T", r)
	}
	segs := snap.Segments()
	keys := make([]segment.Segment, len(segs))
	for i, ss := range segs {
		keys[i] = ss.Segment()
	}
	entries := cc.use(keys)

	v := &view{reader: r, segs: make([]segmentView, len(segs))}
	for i, ss := range segs {
		e := entries[i]
		e.once.Do(func() { e.cols, e.err = buildColumns(ss.Segment()) })
		if e.err != nil {
			cc.mu.Lock()
			delete(cc.entries, ss.Segment())
			cc.mu.Unlock()
			r.Close()
			return nil, e.err
		}
		// Document numbers run on from one segment to the next, deleted documents included,
		// as scorch numbers them.
		v.segs[i] = segmentView{segmentColumns: e.cols, snap: ss, offset: v.docs}
		v.docs += ss.Segment().Count()
	}
	return v, nil
}

func (v *view) Close() error { return v.reader.Close() }

// segmentAt returns the index of the segment holding document number doc.
func (v *view) segmentAt(doc uint64) int {
	i := 0
	for i+1 < len(v.segs) && doc >= v.segs[i+1].offset {
		i++
	}
	return i
}
