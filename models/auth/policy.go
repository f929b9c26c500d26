package auth

import (
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Password length limits, in characters (runes), so Vietnamese letters count once each. The top
// allows long pass phrases and keeps hashing input small.
const (
	MinPasswordLen = 8
	MaxPasswordLen = 128
)

// commonPasswordsText lists passwords seen often in breaches, lower-case, one per line, only those
// of MinPasswordLen characters or more since shorter ones are refused anyway.
//
//go:embed common_passwords.txt
var commonPasswordsText string

var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	lines := strings.Split(strings.TrimSpace(commonPasswordsText), "\n")
	set := make(map[string]struct{}, len(lines))
	for _, l := range lines {
		set[strings.TrimSpace(l)] = struct{}{}
	}
	return set
})

// CheckPolicy returns a *Problem when password is not acceptable for the account with the given
// e-mail and name: shorter than MinPasswordLen or longer than MaxPasswordLen characters, equal to
// the e-mail or the part before its @, equal to the name (with or without its spaces), or in the
// list of common passwords. Comparisons ignore case. It returns nil when the password is fine.
func CheckPolicy(password, email, name string) error {
	switch n := utf8.RuneCountInString(password); {
	case n < MinPasswordLen:
		return problem(KeyPasswordTooShort, map[string]any{"Min": MinPasswordLen})
	case n > MaxPasswordLen:
		return problem(KeyPasswordTooLong, map[string]any{"Max": MaxPasswordLen})
	}
	pw := fold(password)
	if email = strings.TrimSpace(email); email != "" {
		local := email
		if at := strings.LastIndexByte(email, '@'); at >= 0 {
			local = email[:at]
		}
		if pw == fold(email) || pw == fold(local) {
			return problem(KeyPasswordMatchesEmail, nil)
		}
	}
	if name = strings.TrimSpace(name); name != "" {
		if pw == fold(name) || pw == fold(strings.Join(strings.Fields(name), "")) {
			return problem(KeyPasswordMatchesName, nil)
		}
	}
	if _, found := commonPasswords()[pw]; found {
		return problem(KeyPasswordCommon, nil)
	}
	return nil
}

// fold lower-cases s in composed form: a name typed on a Mac arrives decomposed (e + combining
// accent) while the same name typed on Windows arrives composed, and they must compare equal.
func fold(s string) string {
	return strings.ToLower(norm.NFC.String(s))
}
