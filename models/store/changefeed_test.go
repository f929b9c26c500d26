package store

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hanoi-cnht/portal/models"
)

// heard collects what a store's observers were told.
type heard struct {
	mu               sync.Mutex
	changed, deleted []uint
}

func listen(s *Store) *heard {
	h := &heard{}
	s.Observe(func(c, d []uint) {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.changed = append(h.changed, c...)
		h.deleted = append(h.deleted, d...)
	})
	return h
}

func (h *heard) take() (changed, deleted []uint) {
	h.mu.Lock()
	defer h.mu.Unlock()
	changed, deleted = h.changed, h.deleted
	h.changed, h.deleted = nil, nil
	return changed, deleted
}

// TestChangeFeedReachesOtherProcesses opens the same database twice, as two portal processes
// would, and checks that each hears the other's writes through the feed, and its own only once.
func TestChangeFeedReachesOtherProcesses(t *testing.T) {
	ctx := context.Background()
	where := newTestDatabase(t)
	a := openAt(t, where)
	b := openAt(t, where)
	feedA, feedB := a.NewFeed(0), b.NewFeed(0)
	heardA, heardB := listen(a), listen(b)

	f := termFirm(t, a.Reference(), "0101234567", "Công ty TNHH Cơ khí Hòa Lạc", "co-khi")
	if err := a.SaveFirm(ctx, f); err != nil {
		t.Fatal(err)
	}
	if c, _ := heardA.take(); !slices.Equal(c, []uint{f.ID}) {
		t.Fatalf("the writing process heard %v at commit, want [%d]", c, f.ID)
	}
	if n, err := feedA.Poll(ctx); err != nil || n != 1 {
		t.Fatalf("poll: %d changes, %v", n, err)
	}
	if c, _ := heardA.take(); len(c) != 0 {
		t.Fatalf("the writing process heard its own write again from the feed: %v", c)
	}
	if c, _ := heardB.take(); len(c) != 0 {
		t.Fatalf("the other process heard %v before following the feed", c)
	}
	if _, err := feedB.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	if c, _ := heardB.take(); !slices.Equal(c, []uint{f.ID}) {
		t.Fatalf("the other process heard %v, want [%d]", c, f.ID)
	}

	if err := b.DeleteFirm(ctx, models.SystemActor("test"), f.ID, "closed"); err != nil {
		t.Fatal(err)
	}
	if _, err := feedA.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	if _, d := heardA.take(); !slices.Equal(d, []uint{f.ID}) {
		t.Fatalf("the first process heard deletions %v", d)
	}

	rebuilt := 0
	feedA.OnReference = func() { rebuilt++ }
	u := models.TermUpdate{LabelVI: "Cơ khí chế tạo", LabelEN: "Machine building"}
	if _, err := b.UpdateTerm(ctx, models.SystemActor("test"), "co-khi", u); err != nil {
		t.Fatal(err)
	}
	if _, err := feedA.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	term, _ := a.Reference().Term("co-khi")
	if term.LabelEN != "Machine building" || rebuilt != 1 {
		t.Fatalf("after a reference change elsewhere: label %q, rebuilds %d", term.LabelEN, rebuilt)
	}
	last, err := a.LastChange(ctx)
	if err != nil || feedA.Applied() != last || last != 3 {
		t.Fatalf("applied %d, last change %d (%v); want 3 and 3", feedA.Applied(), last, err)
	}
}

// TestChangeFeedKeepsCommitOrder writes from two processes at once while a third follows: the
// follower must hear of every firm, which it would not if a sequence number could become visible
// before a smaller one.
func TestChangeFeedKeepsCommitOrder(t *testing.T) {
	ctx := context.Background()
	where := newTestDatabase(t)
	writers := []*Store{openAt(t, where), openAt(t, where)}
	follower := openAt(t, where)
	feed := follower.NewFeed(0)
	h := listen(follower)

	const perWriter = 40
	var wg sync.WaitGroup
	errs := make(chan error, 2*perWriter)
	for w, s := range writers {
		wg.Go(func() {
			for i := range perWriter {
				f := termFirm(t, s.Reference(), fmt.Sprintf("01%02d%06d", w, i), fmt.Sprintf("Công ty %d-%d", w, i), "co-khi")
				if err := s.SaveFirm(ctx, f); err != nil {
					errs <- err
				}
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	for following := true; following; {
		select {
		case <-done:
			following = false
		default:
		}
		if _, err := feed.Poll(ctx); err != nil {
			t.Fatal(err)
		}
	}
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	seen, _ := h.take()
	slices.Sort(seen)
	seen = slices.Compact(seen)
	if len(seen) != 2*perWriter {
		t.Fatalf("the follower heard of %d firms, want %d", len(seen), 2*perWriter)
	}
	var seqs []int64
	follower.db.Raw("SELECT DISTINCT seq FROM changes ORDER BY seq").Scan(&seqs)
	for i, seq := range seqs {
		if seq != int64(i+1) {
			t.Fatalf("sequence numbers have a gap at %d: %v", i+1, seqs)
		}
	}
}

func openAt(t *testing.T, where string) *Store {
	t.Helper()
	s, err := OpenURL(where)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestLeaseHasOneHolder: of two processes, one holds a lease until it lapses or is released.
func TestLeaseHasOneHolder(t *testing.T) {
	ctx := context.Background()
	where := newTestDatabase(t)
	a, b := openAt(t, where), openAt(t, where)
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for _, s := range []*Store{a, b} {
		s.SetClock(func() time.Time { return now })
	}
	hold := func(s *Store) bool {
		t.Helper()
		ok, err := s.HoldLease(ctx, "mail", 30*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !hold(a) || hold(b) || !hold(a) {
		t.Fatal("the first process should take and renew the lease, the second be refused")
	}
	now = now.Add(29 * time.Second)
	if hold(b) {
		t.Fatal("the second process took a lease that had not lapsed")
	}
	now = now.Add(2 * time.Second)
	if !hold(b) || hold(a) {
		t.Fatal("a lapsed lease should pass to the second process, and the first be refused")
	}
	if err := b.ReleaseLease(ctx, "mail"); err != nil {
		t.Fatal(err)
	}
	if !hold(a) {
		t.Fatal("a released lease should be free at once")
	}
}
