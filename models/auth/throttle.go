package auth

import "time"

// Sign-in throttling: an account or an address that fails DefaultThrottleLimit times within
// DefaultThrottleWindow is locked until that window ends. The counts live in the database
// (store.Throttle), so every portal instance sees them.
const (
	DefaultThrottleLimit  = 5
	DefaultThrottleWindow = 15 * time.Minute
)
