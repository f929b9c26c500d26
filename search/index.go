// Package search keeps the portal's full-text index of firms and answers searches over it.
//
// The index is derived from the database (models.Store), which stays the source of truth: it is
// built from the database when missing, rebuilt when MappingVersion or the taxonomy changes, kept
// in step with every write through Store.Observe, and repaired at start when it missed writes.
// A search returns firm ids, scores, highlighted snippets and facet counts; callers load the
// records themselves from the store.
//
// Analysis (Vietnamese folding that keeps the original spelling, two-syllable shingles, English
// stemming) is registered with bleve in analysis.go; the mapping is in mapping.go; queries are
// built by hand in query_build.go and never parsed with bleve's query-string syntax. A search
// (collect.go) runs the text query through bleve's searcher and takes facet counts, filters and
// sort orders from bitmaps of each index segment kept in memory (columns.go).
package search

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"
	bolt "go.etcd.io/bbolt"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/search/lexicon"
)

// IndexDir is the usual name of the index's directory inside the data directory:
// Open(filepath.Join(dataDir, search.IndexDir), store).
const IndexDir = "index"

// Keys of the facts the index records about itself in bleve's internal storage.
var (
	keyMappingVersion = []byte("portal.mapping_version")
	keyMappingHash    = []byte("portal.mapping_hash")
	keyReference      = []byte("portal.reference")
)

// ErrClosed is returned by an Index used after Close.
var ErrClosed = errors.New("search index is closed")

// Option changes how Open sets up the index.
type Option func(*options)

type options struct {
	version   int
	now       func() time.Time
	logger    *slog.Logger
	batchSize int
}

// WithMappingVersion overrides MappingVersion; tests use it to force a rebuild.
func WithMappingVersion(v int) Option { return func(o *options) { o.version = v } }

// WithClock sets the clock that decides whether a certificate is current; tests use it.
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithLogger sets where the index reports rebuilds, repairs and failed updates.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// Store is what the index needs from the database: the reference data, the firms by id and in
// batches, their stamps for repair, and word of every write.
type Store interface {
	Reference() *models.Reference
	Observe(fn func(changed, deleted []uint)) (stop func())
	FirmsByIDs(ctx context.Context, ids []uint) ([]*models.Firm, error)
	EachFirm(ctx context.Context, size int, fn func([]*models.Firm) error) error
	FirmStamps(ctx context.Context) ([]models.FirmStamp, error)
}

// Index is the search index of firms. It is safe for concurrent use.
type Index struct {
	path  string
	store Store
	opt   options

	// rebuildMu lets one rebuild run at a time.
	rebuildMu sync.Mutex
	// writeMu orders every write to the index. Firms are loaded from the database while it is
	// held, so a write always indexes what is committed at that moment and a slower writer can
	// never overwrite a newer version with an older one. It is taken before mu.
	writeMu sync.Mutex
	// mu guards idx and closed: searches share it, swapping or closing the index takes it alone.
	mu     sync.RWMutex
	idx    bleve.Index
	closed bool

	// nextExpiry is when (Unix ns) the soonest indexed certificate expires; searches after that
	// moment first reindex the firms concerned, so "verified and current" is never stale.
	nextExpiry atomic.Int64
	glossary   atomic.Pointer[glossary]
	builder    atomic.Pointer[docBuilder]
	// columns are the facet values and sort keys of the segments being searched.
	columns columnCache
	// matchColumns are what matching reads of the segments beside their facet columns.
	matchColumns matchColumnCache
	// unobserve stops the store telling the index about writes.
	unobserve func()
}

// Open opens the index in the directory dir, creating it from store when it is missing and
// rebuilding it when its mapping version or the taxonomy changed, then repairs it against the
// database and subscribes it to every later write. Rebuilds write beside dir (dir.building,
// dir.new) and swap by rename, so dir's parent must be writable. Only one process may have the
// index open.
func Open(dir string, store Store, opts ...Option) (*Index, error) {
	o := options{version: MappingVersion, now: time.Now, logger: slog.Default(), batchSize: 500}
	for _, fn := range opts {
		fn(&o)
	}
	ix := &Index{path: filepath.Clean(dir), store: store, opt: o}
	if err := os.MkdirAll(filepath.Dir(ix.path), 0o750); err != nil {
		return nil, fmt.Errorf("search: create index parent directory: %w", err)
	}
	if err := ix.recoverSwap(); err != nil {
		return nil, err
	}
	// Subscribe before anything is read from the database, so no write can fall between the
	// build or repair and the first observed change.
	ix.unobserve = store.Observe(ix.observe)

	ctx := context.Background()
	idx, current, err := ix.openExisting()
	switch {
	case errors.Is(err, bolt.ErrTimeout):
		// Another process has the index open; rebuilding would pull it from under that process.
		return nil, fmt.Errorf("search: index %s: %w (%v)", ix.path, ErrInUse, err)
	case err != nil:
		ix.opt.logger.Warn("search index unreadable; rebuilding", "path", ix.path, "err", err)
	}
	ix.setIndex(idx)
	switch {
	case idx != nil && current:
		if err := ix.repairLive(ctx); err != nil {
			ix.Close()
			return nil, err
		}
	case idx != nil:
		// Serve the old index until the new one is ready, and keep serving it if the rebuild fails.
		ix.opt.logger.Info("search index mapping or taxonomy changed; rebuilding", "path", ix.path)
		if err := ix.Rebuild(ctx); err != nil {
			ix.opt.logger.Error("search index rebuild failed; serving the old index", "err", err)
			if err := ix.repairLive(ctx); err != nil {
				ix.Close()
				return nil, err
			}
		}
	default:
		if err := ix.Rebuild(ctx); err != nil {
			ix.Close()
			return nil, err
		}
	}
	if err := ix.resetExpiry(); err != nil {
		ix.Close()
		return nil, err
	}
	ix.warm()
	return ix, nil
}

// warm reads the columns of the live index's segments (see columns.go), so the first search
// after the index is opened or rebuilt does not wait for them.
func (ix *Index) warm() {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed || ix.idx == nil {
		return
	}
	start := time.Now()
	v, err := ix.columns.view(ix.idx)
	if err != nil {
		ix.opt.logger.Warn("search: read index columns", "err", err)
		return
	}
	ix.opt.logger.Debug("search index columns read", "segments", len(v.segs), "took", time.Since(start).Round(time.Millisecond))
	v.Close()
}

// setIndex makes idx the live index.
func (ix *Index) setIndex(idx bleve.Index) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.idx = idx
}

// ErrInUse is returned by Open when another process (a running portal) has the index open.
var ErrInUse = errors.New("in use by another process")

// Sync repairs the index against the database: for writes made by another process, such as an
// import from the command line while the portal runs.
func (ix *Index) Sync(ctx context.Context) error { return ix.repairLive(ctx) }

// repairLive repairs the live index against the database.
func (ix *Index) repairLive(ctx context.Context) error {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed || ix.idx == nil {
		return ErrClosed
	}
	return ix.repair(ctx, ix.idx)
}

// Close closes the index and stops following the store's writes.
func (ix *Index) Close() error {
	ix.unobserve()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return nil
	}
	ix.closed = true
	if ix.idx == nil {
		return nil
	}
	err := ix.idx.Close()
	ix.idx = nil
	if err != nil {
		return fmt.Errorf("search: close index: %w", err)
	}
	return nil
}

// DocCount returns how many firms the index holds.
func (ix *Index) DocCount() (uint64, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed || ix.idx == nil {
		return 0, ErrClosed
	}
	return ix.idx.DocCount()
}

// Rebuild builds a fresh index from the database beside the live one and swaps it in by rename.
// Searches keep using the old index until the swap; writes made meanwhile are caught up before
// it. If anything fails, the old index stays in place.
func (ix *Index) Rebuild(ctx context.Context) error {
	ix.rebuildMu.Lock()
	defer ix.rebuildMu.Unlock()
	ix.mu.RLock()
	closed := ix.closed
	ix.mu.RUnlock()
	if closed {
		return ErrClosed
	}
	start := time.Now()
	building, ready := ix.path+".building", ix.path+".new"
	for _, p := range []string{building, ready} {
		if err := os.RemoveAll(p); err != nil {
			return fmt.Errorf("search: clear %s: %w", p, err)
		}
	}
	n, err := ix.buildAt(ctx, building)
	if err != nil {
		os.RemoveAll(building)
		return err
	}
	if err := os.Rename(building, ready); err != nil {
		os.RemoveAll(building)
		return fmt.Errorf("search: rebuild: %w", err)
	}

	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	fresh, err := openIndex(ready)
	if err != nil {
		os.RemoveAll(ready)
		return fmt.Errorf("search: open rebuilt index: %w", err)
	}
	// Writes committed while the build ran are in the database but maybe not in the new index.
	if err := ix.repair(ctx, fresh); err != nil {
		fresh.Close()
		os.RemoveAll(ready)
		return err
	}
	if err := fresh.Close(); err != nil {
		os.RemoveAll(ready)
		return fmt.Errorf("search: close rebuilt index: %w", err)
	}
	if err := ix.swapIn(ready); err != nil {
		return err
	}
	// The new documents were made as of the build's clock; find their soonest expiry afresh.
	ix.mu.RLock()
	next, err := soonestExpiry(ctx, ix.idx)
	ix.mu.RUnlock()
	if err != nil {
		return err
	}
	ix.nextExpiry.Store(next)
	ix.opt.logger.Info("search index rebuilt", "firms", n, "took", time.Since(start).Round(time.Millisecond))
	ix.warm()
	return nil
}

// buildWriters is how many goroutines write batches during a build.
const buildWriters = 2

// buildBatch is how many firms a build loads and indexes at a time. Each batch becomes a segment;
// larger ones leave fewer segments to merge (at 20,000 firms, 2,000 a batch took 12 % less CPU
// than 500).
const buildBatch = 2000

// buildAt writes a new index of every firm at path, loading the next batch from the database
// while the previous one is analysed.
func (ix *Index) buildAt(ctx context.Context, path string) (int, error) {
	// unsafe_batch skips an fsync per batch: a crash mid-build leaves only a .building directory,
	// which is thrown away.
	// A build merges its segments into one at the end (forceMerge), so merging them along the way
	// is mostly work done twice: up to 50 segments of a size wait for the final merge.
	cfg := map[string]interface{}{
		"unsafe_batch":           true,
		"scorchMergePlanOptions": map[string]interface{}{"MaxSegmentsPerTier": 50},
	}
	idx, err := bleve.NewUsing(path, newMapping(), scorch.Name, scorch.Name, cfg)
	if err != nil {
		return 0, fmt.Errorf("search: create index %s: %w", path, err)
	}
	ref := ix.store.Reference()
	docs := ix.builderFor(ref)
	now := ix.opt.now()
	batches := make(chan []*models.Firm, 2)
	loadErr := make(chan error, 1)
	loadCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer close(batches)
		loadErr <- ix.store.EachFirm(loadCtx, buildBatch, func(firms []*models.Firm) error {
			select {
			case batches <- firms:
				return nil
			case <-loadCtx.Done():
				return loadCtx.Err()
			}
		})
	}()
	// Several writers: bleve builds each batch's segment in the calling goroutine, so one writer
	// leaves cores idle while the analysis workers wait for the next batch.
	var (
		mu       sync.Mutex
		n        int
		indexErr error
		wg       sync.WaitGroup
	)
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if indexErr == nil {
			indexErr = err
		}
		cancel()
	}
	for range buildWriters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for firms := range batches {
				if loadCtx.Err() != nil {
					continue // drain so the loader can finish
				}
				b := idx.NewBatch()
				for _, f := range firms {
					if err := b.Index(docID(f.ID), docs.doc(f, now)); err != nil {
						fail(fmt.Errorf("search: index firm %d: %w", f.ID, err))
						break
					}
				}
				if err := idx.Batch(b); err != nil {
					fail(fmt.Errorf("search: index batch: %w", err))
				}
				mu.Lock()
				n += len(firms)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if err := <-loadErr; err != nil && indexErr == nil {
		indexErr = fmt.Errorf("search: load firms: %w", err)
	}
	if indexErr == nil {
		indexErr = forceMerge(ctx, idx)
	}
	if indexErr == nil {
		indexErr = ix.stampIndex(ctx, idx, ref)
	}
	if err := idx.Close(); err != nil && indexErr == nil {
		indexErr = fmt.Errorf("search: close new index: %w", err)
	}
	return n, indexErr
}

// forceMerge merges a freshly built index into one segment: searches then look each term up once
// instead of once per segment, which is worth the few seconds it takes.
func forceMerge(ctx context.Context, idx bleve.Index) error {
	adv, err := idx.Advanced()
	if err != nil {
		return fmt.Errorf("search: merge new index: %w", err)
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	if err := s.ForceMerge(ctx, nil); err != nil {
		return fmt.Errorf("search: merge new index: %w", err)
	}
	return nil
}

// stampIndex records the mapping version and taxonomy fingerprint the index was built with, and
// waits until that last batch, and so every batch before it, is on disk: the build runs with
// unsafe_batch, which persists asynchronously and would otherwise lose the tail at Close.
func (ix *Index) stampIndex(ctx context.Context, idx bleve.Index, ref *models.Reference) error {
	b := idx.NewBatch()
	b.SetInternal(keyMappingVersion, []byte(strconv.Itoa(ix.opt.version)))
	b.SetInternal(keyMappingHash, []byte(mappingHash()))
	b.SetInternal(keyReference, []byte(referenceFingerprint(ref)))
	persisted := make(chan error, 1)
	b.SetPersistedCallback(func(err error) { persisted <- err })
	if err := idx.Batch(b); err != nil {
		return fmt.Errorf("search: record mapping version: %w", err)
	}
	select {
	case err := <-persisted:
		if err != nil {
			return fmt.Errorf("search: persist new index: %w", err)
		}
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// swapIn replaces the live index with the complete one at ready. The caller holds writeMu.
func (ix *Index) swapIn(ready string) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		os.RemoveAll(ready)
		return ErrClosed
	}
	old := ix.path + ".old"
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("search: clear %s: %w", old, err)
	}
	if ix.idx != nil {
		if err := ix.idx.Close(); err != nil {
			ix.opt.logger.Warn("search: close old index", "err", err)
		}
		ix.idx = nil
	}
	hadOld := false
	if _, err := os.Stat(ix.path); err == nil {
		if err := os.Rename(ix.path, old); err != nil {
			return ix.reopenAfter(fmt.Errorf("search: move old index aside: %w", err))
		}
		hadOld = true
	}
	if err := os.Rename(ready, ix.path); err != nil {
		if hadOld {
			os.Rename(old, ix.path)
		}
		return ix.reopenAfter(fmt.Errorf("search: move new index in place: %w", err))
	}
	idx, err := openIndex(ix.path)
	if err != nil {
		return fmt.Errorf("search: open swapped index: %w", err)
	}
	ix.idx = idx
	if err := os.RemoveAll(old); err != nil {
		ix.opt.logger.Warn("search: remove old index", "path", old, "err", err)
	}
	return nil
}

// reopenAfter reopens the live index after a failed swap and returns cause.
func (ix *Index) reopenAfter(cause error) error {
	idx, err := openIndex(ix.path)
	if err != nil {
		return errors.Join(cause, err)
	}
	ix.idx = idx
	return cause
}

// recoverSwap finishes or undoes a swap that a crash interrupted: a complete index.new is moved
// in if index is missing, else index.old is restored; leftovers are removed.
func (ix *Index) recoverSwap() error {
	ready, old, building := ix.path+".new", ix.path+".old", ix.path+".building"
	if _, err := os.Stat(ix.path); errors.Is(err, os.ErrNotExist) {
		for _, p := range []string{ready, old} {
			if _, err := os.Stat(p); err == nil {
				if err := os.Rename(p, ix.path); err != nil {
					return fmt.Errorf("search: recover index from %s: %w", p, err)
				}
				break
			}
		}
	}
	for _, p := range []string{ready, old, building} {
		if err := os.RemoveAll(p); err != nil {
			return fmt.Errorf("search: remove %s: %w", p, err)
		}
	}
	return nil
}

// openExisting opens the index on disk, reporting whether it matches the mapping version and
// taxonomy in force. It returns nil and no error when there is no index.
func (ix *Index) openExisting() (bleve.Index, bool, error) {
	if _, err := os.Stat(ix.path); errors.Is(err, os.ErrNotExist) {
		return nil, false, nil
	}
	idx, err := openIndex(ix.path)
	if err != nil {
		return nil, false, err
	}
	v, err := idx.GetInternal(keyMappingVersion)
	if err != nil {
		idx.Close()
		return nil, false, fmt.Errorf("read mapping version: %w", err)
	}
	fp, err := idx.GetInternal(keyReference)
	if err != nil {
		idx.Close()
		return nil, false, fmt.Errorf("read taxonomy fingerprint: %w", err)
	}
	mh, err := idx.GetInternal(keyMappingHash)
	if err != nil {
		idx.Close()
		return nil, false, fmt.Errorf("read mapping hash: %w", err)
	}
	current := string(v) == strconv.Itoa(ix.opt.version) && string(mh) == mappingHash() &&
		string(fp) == referenceFingerprint(ix.store.Reference())
	return idx, current, nil
}

// openIndex opens an index for normal use. The bolt timeout makes a second process fail fast
// instead of waiting forever for the lock.
func openIndex(path string) (bleve.Index, error) {
	return bleve.OpenUsing(path, map[string]interface{}{"unsafe_batch": false, "bolt_timeout": "2s"})
}

// repair makes idx agree with the database: firms whose update time differs from the indexed one
// (or that are missing) are reindexed, documents of firms no longer stored are deleted. The
// caller holds writeMu.
func (ix *Index) repair(ctx context.Context, idx bleve.Index) error {
	stamps, err := ix.store.FirmStamps(ctx)
	if err != nil {
		return fmt.Errorf("search: repair: read database stamps: %w", err)
	}
	indexed, err := indexedStamps(ctx, idx)
	if err != nil {
		return fmt.Errorf("search: repair: %w", err)
	}
	var stale []uint
	for _, s := range stamps {
		if indexed[s.ID] != stampOf(s.UpdatedAt) {
			stale = append(stale, s.ID)
		}
		delete(indexed, s.ID)
	}
	gone := make([]uint, 0, len(indexed))
	for id := range indexed {
		gone = append(gone, id)
	}
	slices.Sort(gone)
	if len(stale) == 0 && len(gone) == 0 {
		return nil
	}
	if err := ix.indexIDs(ctx, idx, stale, gone); err != nil {
		return fmt.Errorf("search: repair: %w", err)
	}
	ix.opt.logger.Info("search index repaired", "reindexed", len(stale), "deleted", len(gone))
	return nil
}

// indexedStamps reads every document's firm id and stamp, a page at a time in id order.
func indexedStamps(ctx context.Context, idx bleve.Index) (map[uint]string, error) {
	const page = 5000
	out := map[uint]string{}
	req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), page, 0, false)
	req.Fields = []string{fieldStamp}
	req.SortBy([]string{"_id"})
	req.Score = "none"
	for {
		res, err := idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("read indexed stamps: %w", err)
		}
		for _, h := range res.Hits {
			id, err := strconv.ParseUint(h.ID, 10, 64)
			if err != nil {
				continue
			}
			s, _ := h.Fields[fieldStamp].(string)
			out[uint(id)] = s
		}
		if len(res.Hits) < page {
			return out, nil
		}
		req.SearchAfter = res.Hits[len(res.Hits)-1].Sort
	}
}

// indexIDs reindexes the firms with ids changed from the database and deletes those in deleted
// (and any changed id no longer stored). The caller holds writeMu.
func (ix *Index) indexIDs(ctx context.Context, idx bleve.Index, changed, deleted []uint) error {
	docs := ix.builderFor(ix.store.Reference())
	now := ix.opt.now()
	b := idx.NewBatch()
	for _, id := range deleted {
		b.Delete(docID(id))
	}
	soonest := int64(math.MaxInt64)
	for start := 0; start < len(changed); start += ix.opt.batchSize {
		ids := changed[start:min(start+ix.opt.batchSize, len(changed))]
		firms, err := ix.store.FirmsByIDs(ctx, ids)
		if err != nil {
			return fmt.Errorf("load firms: %w", err)
		}
		found := make(map[uint]bool, len(firms))
		for _, f := range firms {
			found[f.ID] = true
			d := docs.doc(f, now)
			if err := b.Index(docID(f.ID), d); err != nil {
				return fmt.Errorf("index firm %d: %w", f.ID, err)
			}
			if d.ValidUntil != nil {
				soonest = min(soonest, d.ValidUntil.UnixNano())
			}
		}
		for _, id := range ids {
			if !found[id] {
				b.Delete(docID(id))
			}
		}
		if err := idx.Batch(b); err != nil {
			return fmt.Errorf("write index batch: %w", err)
		}
		// A new batch rather than Reset: bleve's Batch may still be ranging over the old one's
		// documents in a goroutine of its own when it returns.
		b = idx.NewBatch()
	}
	if b.Size() > 0 {
		if err := idx.Batch(b); err != nil {
			return fmt.Errorf("write index batch: %w", err)
		}
	}
	ix.lowerExpiry(soonest)
	return nil
}

// observe is the store's observer: it indexes written firms and deletes removed ones as soon as
// their transaction commits. It cannot return an error; a failure is logged and the start-up
// repair catches the firm later.
func (ix *Index) observe(changed, deleted []uint) {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed || ix.idx == nil {
		return // a build in progress catches these up before it is swapped in
	}
	if err := ix.indexIDs(context.Background(), ix.idx, changed, deleted); err != nil {
		ix.opt.logger.Error("search index update failed; it will be repaired at next start",
			"changed", len(changed), "deleted", len(deleted), "err", err)
	}
}

// lowerExpiry moves nextExpiry earlier to t (Unix ns) if t is sooner.
func (ix *Index) lowerExpiry(t int64) {
	for {
		cur := ix.nextExpiry.Load()
		if t >= cur || ix.nextExpiry.CompareAndSwap(cur, t) {
			return
		}
	}
}

// resetExpiry sets nextExpiry to the soonest valid_until in the index.
func (ix *Index) resetExpiry() error {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed || ix.idx == nil {
		return ErrClosed
	}
	next, err := soonestExpiry(context.Background(), ix.idx)
	if err != nil {
		return err
	}
	ix.nextExpiry.Store(next)
	return nil
}

// soonestExpiry returns the earliest valid_until in idx (Unix ns), or MaxInt64 when none.
func soonestExpiry(ctx context.Context, idx bleve.Index) (int64, error) {
	q := query.NewDateRangeQuery(time.Unix(0, 0).UTC(), time.Time{})
	q.SetField(fieldValidUntil)
	req := bleve.NewSearchRequestOptions(q, 1, 0, false)
	req.SortBy([]string{fieldValidUntil})
	req.Fields = []string{fieldValidUntil}
	req.Score = "none"
	res, err := idx.SearchInContext(ctx, req)
	if err != nil {
		return 0, fmt.Errorf("search: find next certificate expiry: %w", err)
	}
	if len(res.Hits) == 0 {
		return math.MaxInt64, nil
	}
	s, _ := res.Hits[0].Fields[fieldValidUntil].(string)
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return 0, fmt.Errorf("search: read certificate expiry of firm %s: %w", res.Hits[0].ID, err)
	}
	return t.UnixNano(), nil
}

// refreshExpired reindexes the firms whose certificate fields changed by date alone (a
// certificate expired) since they were indexed. Searches call it first; it costs one atomic
// load until the moment comes.
func (ix *Index) refreshExpired(ctx context.Context) error {
	if ix.opt.now().UnixNano() < ix.nextExpiry.Load() {
		return nil
	}
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	now := ix.opt.now()
	if now.UnixNano() < ix.nextExpiry.Load() {
		return nil
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed || ix.idx == nil {
		return ErrClosed
	}
	incl := true
	q := query.NewDateRangeInclusiveQuery(time.Time{}, now, nil, &incl)
	q.SetField(fieldValidUntil)
	req := bleve.NewSearchRequestOptions(q, 10000, 0, false)
	req.Score = "none"
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return fmt.Errorf("search: find expired certificates: %w", err)
	}
	ids := make([]uint, 0, len(res.Hits))
	for _, h := range res.Hits {
		if id, err := strconv.ParseUint(h.ID, 10, 64); err == nil {
			ids = append(ids, uint(id))
		}
	}
	ix.nextExpiry.Store(math.MaxInt64)
	if err := ix.indexIDs(ctx, ix.idx, ids, nil); err != nil {
		ix.nextExpiry.Store(0) // try again on the next search
		return fmt.Errorf("search: reindex firms with expired certificates: %w", err)
	}
	next, err := soonestExpiry(ctx, ix.idx)
	if err != nil {
		return err
	}
	ix.nextExpiry.Store(next)
	return nil
}

// ConceptMatcher returns the matcher the index finds concepts in firms' text with, for the
// reference data ref, so that an import reads its taxonomy cells exactly as the index reads text.
func (ix *Index) ConceptMatcher(ref *models.Reference) *ConceptMatcher {
	return ix.builderFor(ref).matcher
}

// builderFor returns the document builder for ref, making a new one when the reference data
// changed.
func (ix *Index) builderFor(ref *models.Reference) *docBuilder {
	if b := ix.builder.Load(); b != nil && b.ref == ref {
		return b
	}
	b := newDocBuilder(ref)
	ix.builder.Store(b)
	return b
}

// mappingHash summarises the mapping, so an index built with other fields or analyzer names is
// rebuilt even if MappingVersion was not bumped. (A change inside an analyzer's code still
// needs the bump.)
func mappingHash() string {
	b, err := json.Marshal(newMapping())
	if err != nil {
		panic(fmt.Sprintf("search: the index mapping does not encode: %v", err))
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// referenceFingerprint summarises the parts of the reference data that go into documents (term
// words and parents, standard codes and spellings, the lexicon), so a change to them triggers a
// rebuild.
func referenceFingerprint(ref *models.Reference) string {
	h := sha256.New()
	for _, t := range ref.Terms {
		fmt.Fprintf(h, "t\x00%s\x00%s\x00%s\x00%s\n", t.Code, t.Kind, t.Parent, strings.Join(t.Words(), "\x00"))
	}
	for _, s := range ref.Standards {
		fmt.Fprintf(h, "s\x00%s\x00%s\x00%s\n", s.Code, s.NameEN, strings.Join(s.Synonyms, "\x00"))
	}
	// The lexicon decides what is found in firms' text; a binary with another one rebuilds.
	entries, _ := lexicon.Load()
	for _, e := range entries {
		fmt.Fprintf(h, "l\x00%s\x00%s\x00%s\x00%s\n", e.Kind, e.VI, e.EN, e.Concept)
	}
	return hex.EncodeToString(h.Sum(nil))
}
