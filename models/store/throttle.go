package store

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/hanoi-cnht/portal/models/auth"
)

// Throttle counts failed attempts per key, such as "acct:"+email or "ip:"+address, in the
// database, so that every portal instance sees the same counts, and locks a key that has failed
// Limit times within Window until that window ends. The window opens at a key's first failure and
// is fixed, not sliding: a key can never fail more than 2×Limit times in any span of one Window.
// Keys are stored hashed, so the table holds no addresses or e-mail addresses.
//
// A database error lets the attempt through and is logged: a sign-in that the database cannot
// check fails anyway.
type Throttle struct {
	s      *Store
	Limit  int           // failures that lock a key; auth.DefaultThrottleLimit if zero
	Window time.Duration // how long failures count and a lock lasts; auth.DefaultThrottleWindow if zero
	fails  atomic.Int64
}

// Throttle returns a throttle kept in this database with the default limit and window.
func (s *Store) Throttle() *Throttle { return &Throttle{s: s} }

type throttleRow struct {
	Key       string `gorm:"primaryKey"`
	StartedAt time.Time
	Count     int
}

func (throttleRow) TableName() string { return "throttle" }

func (t *Throttle) limit() int            { return cmp.Or(t.Limit, auth.DefaultThrottleLimit) }
func (t *Throttle) window() time.Duration { return cmp.Or(t.Window, auth.DefaultThrottleWindow) }

func throttleKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:16])
}

// Allow reports whether key may try again. When it may not, retryAfter is how long until its
// window ends.
func (t *Throttle) Allow(key string) (ok bool, retryAfter time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var rows []throttleRow
	if err := t.s.db.WithContext(ctx).Where("key = ?", throttleKey(key)).Limit(1).Find(&rows).Error; err != nil {
		slog.Error("read sign-in throttle", "err", err)
		return true, 0
	}
	if len(rows) == 0 {
		return true, 0
	}
	end := rows[0].StartedAt.Add(t.window())
	now := t.s.now()
	if rows[0].Count < t.limit() || !now.Before(end) {
		return true, 0
	}
	return false, end.Sub(now)
}

// Fail records a failed attempt for key. Failures while the key is locked do not lengthen the
// lock: Allow already refused those attempts, so they cost the attacker nothing to make.
func (t *Throttle) Fail(key string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	now := t.s.now()
	ended := now.Add(-t.window())
	// A window that ended starts again at one failure; a count stops at the limit.
	err := t.s.db.WithContext(ctx).Exec(`INSERT INTO throttle (key, started_at, count) VALUES (?, ?, 1)
	  ON CONFLICT (key) DO UPDATE SET
	    count = CASE WHEN throttle.started_at <= ? THEN 1 WHEN throttle.count >= ? THEN throttle.count ELSE throttle.count + 1 END,
	    started_at = CASE WHEN throttle.started_at <= ? THEN excluded.started_at ELSE throttle.started_at END`,
		throttleKey(key), now, ended, t.limit(), ended).Error
	if err != nil {
		slog.Error("count a failed attempt", "err", err)
		return
	}
	// Every hundredth failure forgets the windows that ended, so the table stays small.
	if t.fails.Add(1)%100 == 0 {
		t.s.db.WithContext(ctx).Where("started_at <= ?", ended).Delete(&throttleRow{})
	}
}

// Reset forgets key's failures, as after a successful sign-in.
func (t *Throttle) Reset(key string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := t.s.db.WithContext(ctx).Where("key = ?", throttleKey(key)).Delete(&throttleRow{}).Error; err != nil {
		slog.Error("reset sign-in throttle", "err", err)
	}
}
