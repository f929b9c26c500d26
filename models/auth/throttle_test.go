package auth

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// clock is a fake time source that moves only when told.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time          { return c.t }
func (c *clock) Advance(d time.Duration) { c.t = c.t.Add(d) }

func newClock() *clock { return &clock{t: time.Date(2026, 3, 8, 9, 0, 0, 0, time.UTC)} }

func TestThrottle(t *testing.T) {
	const key = "acct:lan@congty.vn"
	tests := []struct {
		name      string
		steps     func(th *Throttle, c *clock)
		ok        bool
		retryWant time.Duration
	}{
		{"AllowsUnknownKey", func(*Throttle, *clock) {}, true, 0},
		{"AllowsBelowLimit", func(th *Throttle, c *clock) {
			for range 4 {
				th.Fail(key)
				c.Advance(time.Minute)
			}
		}, true, 0},
		{"LocksAtLimit", func(th *Throttle, c *clock) {
			for range 5 {
				th.Fail(key)
				c.Advance(time.Minute)
			}
		}, false, 10 * time.Minute},
		{"StaysLockedUntilWindowEnds", func(th *Throttle, c *clock) {
			for range 5 {
				th.Fail(key)
			}
			c.Advance(15*time.Minute - time.Second)
		}, false, time.Second},
		{"LockNotExtendedByFailuresWhileLocked", func(th *Throttle, c *clock) {
			for range 5 {
				th.Fail(key)
			}
			c.Advance(10 * time.Minute)
			th.Fail(key)
		}, false, 5 * time.Minute},
		{"UnlocksWhenWindowEnds", func(th *Throttle, c *clock) {
			for range 5 {
				th.Fail(key)
			}
			c.Advance(15 * time.Minute)
		}, true, 0},
		{"NewWindowCountsAfresh", func(th *Throttle, c *clock) {
			for range 5 {
				th.Fail(key)
			}
			c.Advance(16 * time.Minute)
			for range 4 {
				th.Fail(key)
			}
		}, true, 0},
		{"OldFailuresExpire", func(th *Throttle, c *clock) {
			for range 4 {
				th.Fail(key)
			}
			c.Advance(20 * time.Minute)
			th.Fail(key)
		}, true, 0},
		{"ResetClearsLock", func(th *Throttle, c *clock) {
			for range 5 {
				th.Fail(key)
			}
			th.Reset(key)
		}, true, 0},
		{"OtherKeysUnaffected", func(th *Throttle, c *clock) {
			for range 5 {
				th.Fail("ip:203.0.113.9")
			}
		}, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			th := &Throttle{Limit: 5, Window: 15 * time.Minute, Now: c.Now}
			tt.steps(th, c)
			ok, retry := th.Allow(key)
			if ok != tt.ok || retry != tt.retryWant {
				t.Errorf("Allow = %v, %v; want %v, %v", ok, retry, tt.ok, tt.retryWant)
			}
		})
	}
}

func TestThrottleZeroValueUsesDefaults(t *testing.T) {
	var th Throttle
	for range DefaultThrottleLimit {
		if ok, _ := th.Allow("k"); !ok {
			t.Fatal("locked before the default limit")
		}
		th.Fail("k")
	}
	if ok, retry := th.Allow("k"); ok || retry <= 0 || retry > DefaultThrottleWindow {
		t.Errorf("Allow = %v, %v after %d failures; want locked for up to %v", ok, retry, DefaultThrottleLimit, DefaultThrottleWindow)
	}
}

func TestThrottlePrunes(t *testing.T) {
	t.Run("DropsEndedWindows", func(t *testing.T) {
		c := newClock()
		th := &Throttle{Now: c.Now}
		for i := range 10_000 {
			th.Fail(fmt.Sprintf("ip:10.0.%d.%d", i/256, i%256))
		}
		c.Advance(DefaultThrottleWindow)
		th.Fail("ip:192.0.2.1")
		if n := len(th.entries); n != 1 {
			t.Errorf("%d keys kept after their windows ended; want 1", n)
		}
	})
	t.Run("BoundedByMaxKeys", func(t *testing.T) {
		c := newClock()
		th := &Throttle{Limit: 3, MaxKeys: 1000, Now: c.Now}
		for range 3 {
			th.Fail("acct:locked@congty.vn")
		}
		for i := range 50_000 {
			th.Fail(fmt.Sprintf("acct:user%d@example.com", i))
			if i%100 == 0 {
				c.Advance(time.Millisecond)
			}
		}
		if n := len(th.entries); n > 1000 {
			t.Errorf("%d keys kept; want at most 1000", n)
		}
		if ok, _ := th.Allow("acct:locked@congty.vn"); ok {
			t.Error("a flood of new keys evicted a locked one")
		}
	})
}

// TestThrottleConcurrent is for the race detector.
func TestThrottleConcurrent(t *testing.T) {
	th := &Throttle{Limit: 1000, MaxKeys: 50}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				key := fmt.Sprintf("ip:%d", (g*500+i)%80)
				th.Allow(key)
				th.Fail(key)
				if i%7 == 0 {
					th.Reset(key)
				}
			}
		})
	}
	wg.Wait()
	if n := len(th.entries); n > 50 {
		t.Errorf("%d keys kept; want at most 50", n)
	}
}
