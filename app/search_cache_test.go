package main

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/hanoi-cnht/portal/models"
)

func TestSearchCacheEvictsAndAges(t *testing.T) {
	now := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	c := newSearchCache(2, time.Minute, func() time.Time { return now })
	a, b, d := &supplierSearch{}, &supplierSearch{}, &supplierSearch{}
	c.put("a", a, c.generation())
	c.put("b", b, c.generation())
	if got, ok := c.get("a"); !ok || got != a {
		t.Fatal("a fresh entry was not returned")
	}
	c.put("d", d, c.generation()) // b is now the least recently used
	if _, ok := c.get("b"); ok {
		t.Fatal("the least recently used entry survived a full cache")
	}
	now = now.Add(2 * time.Minute)
	if _, ok := c.get("a"); ok {
		t.Fatal("an entry older than the TTL was returned")
	}
	gen := c.generation()
	c.clear()
	c.put("late", a, gen)
	if _, ok := c.get("late"); ok {
		t.Fatal("a search begun before a write was cached after it")
	}
}

// TestSearchCacheFollowsWrites checks that a cached search never hides a firm written since.
func TestSearchCacheFollowsWrites(t *testing.T) {
	f, err := newUIFixture(t.TempDir(), 20)
	if err != nil {
		t.Fatal(err)
	}
	defer f.close()
	const path = "/api/v1/suppliers?q=quasarbolt"
	count := func() int {
		r := uiGet(t, f.srv, path)
		var body suppliersResponse
		if err := json.Unmarshal([]byte(r.Body), &body); err != nil {
			t.Fatalf("%v in %s", err, r.Body)
		}
		return body.Total
	}
	if n := count(); n != 0 {
		t.Fatalf("%d firms found before any was written", n)
	}
	count() // now served from the cache
	firm := &models.Firm{TaxCode: "0109876543", NameVI: "Công ty TNHH Quasarbolt Việt Nam"}
	if err := f.store.SaveFirm(context.Background(), firm); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 1 {
		t.Fatalf("after the write the search found %d firms, want 1", n)
	}
}
