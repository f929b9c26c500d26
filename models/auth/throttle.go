package auth

import (
	"cmp"
	"slices"
	"sync"
	"time"
)

// Throttle defaults, used when a field is left zero.
const (
	DefaultThrottleLimit   = 5
	DefaultThrottleWindow  = 15 * time.Minute
	DefaultThrottleMaxKeys = 100_000
)

// Throttle counts failed attempts per key, such as "acct:"+email or "ip:"+address, and locks a key
// that has failed Limit times within Window until that window ends. The window opens at a key's
// first failure and is fixed, not sliding, so a key can never fail more than 2×Limit times in any
// span of one Window (Limit at the end of one window and Limit at the start of the next). Keep one
// Throttle per kind of key, since an address shared by an office deserves a higher Limit than one
// account does.
//
// The zero value is ready to use with the defaults. Set the fields before first use; after that a
// Throttle is safe for concurrent use. It lives in memory, so a restart forgets every count, and
// it counts for one process only.
type Throttle struct {
	// Limit is how many failures lock a key; DefaultThrottleLimit if zero.
	Limit int
	// Window is how long failures count and a lock lasts, from a key's first failure;
	// DefaultThrottleWindow if zero.
	Window time.Duration
	// MaxKeys bounds memory. Keys whose window has ended are dropped as they are met and in a sweep
	// once per Window; past MaxKeys live keys, those nearest the end of their window go first,
	// unlocked ones before locked ones. DefaultThrottleMaxKeys if zero.
	MaxKeys int
	// Now returns the current time; time.Now if nil. Tests set a fake clock.
	Now func() time.Time

	mu        sync.Mutex
	entries   map[string]failures
	lastSweep time.Time
}

// failures is one key's count in its current window.
type failures struct {
	start time.Time // first failure of the window
	count int
}

// Allow reports whether key may try again. When it may not, retryAfter is how long until its
// window ends.
func (t *Throttle) Allow(key string) (ok bool, retryAfter time.Duration) {
	now := t.now()
	t.mu.Lock()
	defer t.mu.Unlock()
	f, found := t.entries[key]
	if !found {
		return true, 0
	}
	end := f.start.Add(t.window())
	if !now.Before(end) {
		delete(t.entries, key)
		return true, 0
	}
	if f.count >= t.limit() {
		return false, end.Sub(now)
	}
	return true, 0
}

// Fail records a failed attempt for key. Failures while the key is locked do not lengthen the lock:
// Allow already refused those attempts, so they cost the attacker nothing to make.
func (t *Throttle) Fail(key string) {
	now := t.now()
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.entries == nil {
		t.entries = make(map[string]failures)
		t.lastSweep = now
	}
	f, found := t.entries[key]
	if !found && (len(t.entries) >= t.maxKeys() || now.Sub(t.lastSweep) >= t.window()) {
		t.sweep(now)
	}
	if !found || !now.Before(f.start.Add(t.window())) {
		f = failures{start: now}
	}
	if f.count < t.limit() {
		f.count++
	}
	t.entries[key] = f
}

// Reset forgets key's failures, as after a successful sign-in.
func (t *Throttle) Reset(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.entries, key)
}

// sweep drops ended windows, then, if the map is still near MaxKeys, the entries that matter
// least, down to nine tenths of MaxKeys so that the next full sweep is many failures away.
func (t *Throttle) sweep(now time.Time) {
	t.lastSweep = now
	window := t.window()
	for k, f := range t.entries {
		if !now.Before(f.start.Add(window)) {
			delete(t.entries, k)
		}
	}
	keep := t.maxKeys() * 9 / 10
	if len(t.entries) <= keep {
		return
	}
	type aged struct {
		key    string
		locked bool
		start  time.Time
	}
	all := make([]aged, 0, len(t.entries))
	for k, f := range t.entries {
		all = append(all, aged{k, f.count >= t.limit(), f.start})
	}
	slices.SortFunc(all, func(a, b aged) int {
		if a.locked != b.locked {
			if a.locked {
				return 1
			}
			return -1
		}
		return a.start.Compare(b.start)
	})
	for _, a := range all[:len(all)-keep] {
		delete(t.entries, a.key)
	}
}

func (t *Throttle) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

func (t *Throttle) limit() int            { return cmp.Or(t.Limit, DefaultThrottleLimit) }
func (t *Throttle) window() time.Duration { return cmp.Or(t.Window, DefaultThrottleWindow) }
func (t *Throttle) maxKeys() int          { return max(cmp.Or(t.MaxKeys, DefaultThrottleMaxKeys), 1) }
