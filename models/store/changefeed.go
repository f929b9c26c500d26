package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
)

// The change feed lets several portal processes share one database, each with a search index of
// its own: every write to firms or reference data records, in its own transaction, which firms it
// wrote or removed under one sequence number. The number comes from a counter row that the writer
// holds locked until it commits, so numbers become visible in order and a reader that has seen
// number n has seen every write before it. Each process follows the feed and tells its observers
// of the writes other processes made; its own writes reach them at once, after they commit.

// Kinds of change.
const (
	changeFirm      = "firm"      // a firm was created or changed
	changeRemoved   = "removed"   // a firm was deleted
	changeReference = "reference" // taxonomy or reference data changed
)

// changeRow is one entry of the feed.
type changeRow struct {
	Seq      int64
	Kind     string
	EntityID uint
	Origin   string
	At       time.Time
}

func (changeRow) TableName() string { return "changes" }

// changeSet collects what one transaction wrote, for the feed and the observers.
type changeSet struct {
	changed, deleted []uint
	reference        bool
}

// transact runs fn in a transaction, records in the feed the changes fn reports, and after the
// commit tells the observers.
func (s *Store) transact(ctx context.Context, fn func(tx *gorm.DB, c *changeSet) error) error {
	var c changeSet
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := fn(tx, &c); err != nil {
			return err
		}
		return s.recordChanges(tx, &c)
	})
	if err != nil {
		return err
	}
	s.notify(c.changed, c.deleted)
	return nil
}

// recordChanges takes the next sequence number and writes c under it.
func (s *Store) recordChanges(tx *gorm.DB, c *changeSet) error {
	if len(c.changed) == 0 && len(c.deleted) == 0 && !c.reference {
		return nil
	}
	var seq int64
	if err := tx.Raw("UPDATE change_counter SET value = value + 1 WHERE id = 1 RETURNING value").Scan(&seq).Error; err != nil {
		return err
	}
	now := dbTime(s.now())
	seen := map[[2]any]bool{}
	var rows []changeRow
	add := func(kind string, id uint) {
		if k := [2]any{kind, id}; !seen[k] {
			seen[k] = true
			rows = append(rows, changeRow{Seq: seq, Kind: kind, EntityID: id, Origin: s.origin, At: now})
		}
	}
	for _, id := range c.changed {
		add(changeFirm, id)
	}
	for _, id := range c.deleted {
		add(changeRemoved, id)
	}
	if c.reference {
		add(changeReference, 0)
	}
	return tx.CreateInBatches(rows, 500).Error
}

// LastChange is the newest sequence number of the feed: a process that has applied every change
// up to it is in step with the database.
func (s *Store) LastChange(ctx context.Context) (int64, error) {
	var seq int64
	err := s.db.WithContext(ctx).Raw("SELECT value FROM change_counter WHERE id = 1").Scan(&seq).Error
	return seq, err
}

// Feed follows the change feed for one process.
type Feed struct {
	s        *Store
	applied  atomic.Int64
	inStepAt atomic.Int64 // Unix ns of the last poll that found the process in step
	// OnReference is called after reference data changed elsewhere and was reloaded here; the
	// search index must then be rebuilt.
	OnReference func()
}

// NewFeed starts following the feed after sequence number from, typically LastChange taken
// before the search index was built or repaired.
func (s *Store) NewFeed(from int64) *Feed {
	f := &Feed{s: s}
	f.applied.Store(from)
	return f
}

// Poll applies the changes recorded after the last one applied: firms written or removed by
// other processes go to the observers, reference data is reloaded. It returns how many changes
// it applied.
func (f *Feed) Poll(ctx context.Context) (int, error) {
	s := f.s
	start := time.Now()
	var rows []changeRow
	if err := s.db.WithContext(ctx).Where("seq > ?", f.applied.Load()).Order("seq").Limit(20_000).Find(&rows).Error; err != nil {
		return 0, err
	}
	if len(rows) == 0 {
		f.inStepAt.Store(start.UnixNano())
		return 0, nil
	}
	// A read stops at a whole sequence number, so a transaction is applied all at once.
	last := rows[len(rows)-1].Seq
	if len(rows) == 20_000 && rows[0].Seq != last {
		for len(rows) > 0 && rows[len(rows)-1].Seq == last {
			rows = rows[:len(rows)-1]
		}
		last = rows[len(rows)-1].Seq
	}
	var c changeSet
	for _, r := range rows {
		if r.Origin == s.origin {
			continue
		}
		switch r.Kind {
		case changeFirm:
			c.changed = append(c.changed, r.EntityID)
		case changeRemoved:
			c.deleted = append(c.deleted, r.EntityID)
		case changeReference:
			c.reference = true
		}
	}
	if c.reference {
		if err := s.ReloadReference(); err != nil {
			return 0, err
		}
	}
	s.notify(c.changed, c.deleted)
	if c.reference && f.OnReference != nil {
		f.OnReference()
	}
	f.applied.Store(last)
	if len(rows) < 20_000 {
		f.inStepAt.Store(start.UnixNano())
	}
	return len(rows), nil
}

// Applied is the sequence number of the last change applied.
func (f *Feed) Applied() int64 { return f.applied.Load() }

// Lag is how long since the process was last known to be in step with the database; zero
// before the first poll.
func (f *Feed) Lag() time.Duration {
	at := f.inStepAt.Load()
	if at == 0 {
		return 0
	}
	return time.Since(time.Unix(0, at))
}

// Follow polls every interval until ctx ends, and once a day drops changes older than a week
// (a process that was away longer repairs its index against the database when it starts).
func (f *Feed) Follow(ctx context.Context, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	var pruned time.Time
	for {
		if _, err := f.Poll(ctx); err != nil && ctx.Err() == nil {
			slog.Warn("follow the database's changes", "err", err)
		}
		if time.Since(pruned) > 24*time.Hour {
			pruned = time.Now()
			cut := dbTime(f.s.now().Add(-7 * 24 * time.Hour))
			if err := f.s.db.WithContext(ctx).Where("at < ?", cut).Delete(&changeRow{}).Error; err != nil && ctx.Err() == nil {
				slog.Warn("prune the change feed", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// newOrigin names this process in the feed.
func newOrigin() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}
