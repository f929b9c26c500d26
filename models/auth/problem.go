// Package auth holds the account rules that need no storage and no web server: password hashing
// and policy, sign-in and reset tokens, and a limiter of failed attempts.
package auth

import (
	"fmt"
	"slices"
	"strings"
)

// Message keys of the problems this package reports. The web layer translates them; the English
// sentences in Problem.Error are for logs and tests.
const (
	KeyPasswordTooShort     = "password.too_short"     // Args: Min
	KeyPasswordTooLong      = "password.too_long"      // Args: Max
	KeyPasswordCommon       = "password.common"        // no Args
	KeyPasswordMatchesEmail = "password.matches_email" // no Args
	KeyPasswordMatchesName  = "password.matches_name"  // no Args
)

// english gives each key a plain sentence; {Name} stands for Args["Name"].
var english = map[string]string{
	KeyPasswordTooShort:     "The password must have at least {Min} characters.",
	KeyPasswordTooLong:      "The password must have at most {Max} characters.",
	KeyPasswordCommon:       "The password is too common; choose one that is harder to guess.",
	KeyPasswordMatchesEmail: "The password must not be the e-mail address or its part before the @.",
	KeyPasswordMatchesName:  "The password must not be the account's name.",
}

// Keys lists every message key the package can report, sorted, so that a test in the web layer
// can check each one has a translation in every language.
func Keys() []string {
	keys := make([]string, 0, len(english))
	for k := range english {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Problem is a rule the user's input breaks, named by a message key with the arguments its
// translation needs. Test for it with errors.As, or with errors.Is against &Problem{Key: …}.
type Problem struct {
	Key  string
	Args map[string]any
}

func problem(key string, args map[string]any) *Problem { return &Problem{Key: key, Args: args} }

// Error returns the English sentence for the key, with its arguments filled in.
func (p *Problem) Error() string {
	s, ok := english[p.Key]
	if !ok {
		return p.Key
	}
	for name, v := range p.Args {
		s = strings.ReplaceAll(s, "{"+name+"}", fmt.Sprint(v))
	}
	return s
}

// Is matches any Problem with the same key, whatever its arguments, so errors.Is can test for a
// kind of problem.
func (p *Problem) Is(target error) bool {
	t, ok := target.(*Problem)
	return ok && t.Key == p.Key
}
