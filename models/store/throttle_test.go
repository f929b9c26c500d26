package store

import (
	"sync"
	"testing"
	"time"
)

func TestThrottle(t *testing.T) {
	const key = "acct:lan@congty.vn"
	s := openTestStore(t)
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	s.SetClock(func() time.Time { return now })
	fail := func(th *Throttle, k string, n int, step time.Duration) {
		for range n {
			th.Fail(k)
			now = now.Add(step)
		}
	}
	tests := []struct {
		name      string
		steps     func(th *Throttle)
		ok        bool
		retryWant time.Duration
	}{
		{"AllowsUnknownKey", func(*Throttle) {}, true, 0},
		{"AllowsBelowLimit", func(th *Throttle) { fail(th, key, 4, time.Minute) }, true, 0},
		{"LocksAtLimit", func(th *Throttle) { fail(th, key, 5, time.Minute) }, false, 10 * time.Minute},
		{"StaysLockedUntilWindowEnds", func(th *Throttle) {
			fail(th, key, 5, 0)
			now = now.Add(15*time.Minute - time.Second)
		}, false, time.Second},
		{"LockNotExtendedByFailuresWhileLocked", func(th *Throttle) {
			fail(th, key, 5, 0)
			now = now.Add(10 * time.Minute)
			th.Fail(key)
		}, false, 5 * time.Minute},
		{"UnlocksWhenWindowEnds", func(th *Throttle) {
			fail(th, key, 5, 0)
			now = now.Add(15 * time.Minute)
		}, true, 0},
		{"NewWindowCountsAfresh", func(th *Throttle) {
			fail(th, key, 5, 0)
			now = now.Add(16 * time.Minute)
			fail(th, key, 4, 0)
		}, true, 0},
		{"OldFailuresExpire", func(th *Throttle) {
			fail(th, key, 4, 0)
			now = now.Add(20 * time.Minute)
			th.Fail(key)
		}, true, 0},
		{"ResetClearsLock", func(th *Throttle) {
			fail(th, key, 5, 0)
			th.Reset(key)
		}, true, 0},
		{"OtherKeysUnaffected", func(th *Throttle) { fail(th, "ip:203.0.113.9", 5, 0) }, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.db.Exec("DELETE FROM throttle")
			th := &Throttle{s: s, Limit: 5, Window: 15 * time.Minute}
			tt.steps(th)
			ok, retry := th.Allow(key)
			if ok != tt.ok || retry != tt.retryWant {
				t.Errorf("Allow = %v, %v; want %v, %v", ok, retry, tt.ok, tt.retryWant)
			}
		})
	}
}

// TestThrottleIsSharedAndConcurrent: two processes on one database count the same failures,
// and failures arriving at once are all counted.
func TestThrottleIsSharedAndConcurrent(t *testing.T) {
	where := newTestDatabase(t)
	a, b := openAt(t, where), openAt(t, where)
	tha, thb := &Throttle{s: a, Limit: 40}, &Throttle{s: b, Limit: 40}
	var wg sync.WaitGroup
	for i := range 20 {
		th := tha
		if i%2 == 1 {
			th = thb
		}
		wg.Go(func() { th.Fail("ip:198.51.100.7") })
	}
	wg.Wait()
	var row throttleRow
	a.db.Where("key = ?", throttleKey("ip:198.51.100.7")).First(&row)
	if row.Count != 20 {
		t.Fatalf("counted %d of 20 failures", row.Count)
	}
	for range 20 {
		tha.Fail("ip:198.51.100.7")
	}
	if ok, _ := thb.Allow("ip:198.51.100.7"); ok {
		t.Fatal("the other process lets a locked key through")
	}
	var plain int64
	a.db.Model(&throttleRow{}).Where("key LIKE ?", "%198.51%").Count(&plain)
	if plain != 0 {
		t.Fatal("the throttle keeps addresses in plain text")
	}
}
