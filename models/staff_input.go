package models

import "strings"

// maxReason bounds a reason or note staff write to a firm or an account.
const maxReason = 4000

// CheckReason checks a reason staff give with a decision (the firm or account reads it): text of
// at most a few thousand characters, line breaks allowed, no other control characters.
func CheckReason(field, reason string) error {
	var p problems
	checkText(&p, field, strings.TrimSpace(reason), maxReason, true)
	return p.err()
}
