package main

import (
	"container/list"
	"sync"
	"time"
)

// searchCache keeps recent searches with their loaded firms. Buyers and the home, browse and
// sitemap pages repeat the same few searches (the empty query's facets above all), so a small
// cache spares the index and the database most of the work. Any write to the firms empties it,
// and entries also age out, because certificate expiry changes the "verified and current"
// counts without a write.
type searchCache struct {
	mu      sync.Mutex
	max     int
	ttl     time.Duration
	now     func() time.Time
	order   *list.List // most recent first; values are *cacheEntry
	entries map[string]*list.Element
	// gen counts clears, so a search that began before a write is not stored after it.
	gen uint64
}

type cacheEntry struct {
	key   string
	value *supplierSearch
	added time.Time
}

func newSearchCache(max int, ttl time.Duration, now func() time.Time) *searchCache {
	return &searchCache{max: max, ttl: ttl, now: now, order: list.New(), entries: map[string]*list.Element{}}
}

// get returns the cached search for key, if it is there and fresh.
func (c *searchCache) get(key string) (*supplierSearch, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	e := el.Value.(*cacheEntry)
	if c.now().Sub(e.added) > c.ttl {
		c.order.Remove(el)
		delete(c.entries, key)
		return nil, false
	}
	c.order.MoveToFront(el)
	return e.value, true
}

// generation is read before a search; put takes it back so that results computed across a
// write are dropped.
func (c *searchCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put stores a search, dropping the least recently used one when full.
func (c *searchCache) put(key string, v *supplierSearch, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if el, ok := c.entries[key]; ok {
		c.order.Remove(el)
	}
	c.entries[key] = c.order.PushFront(&cacheEntry{key: key, value: v, added: c.now()})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.entries, last.Value.(*cacheEntry).key)
	}
}

// clear empties the cache after a write.
func (c *searchCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.order.Init()
	clear(c.entries)
}
