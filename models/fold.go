package models

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold lowers s and strips Vietnamese (and other Latin) diacritics, mapping đ to d, so that
// "Cơ khí Đông Anh", "co khi dong anh" and the NFD spelling of either compare equal.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			b.WriteRune('d')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// FoldKey folds s and reduces it to lowercase ASCII words joined by single spaces, for matching
// names typed in many ways ("Huyện Đông-Anh" and "huyen dong anh").
func FoldKey(s string) string {
	return strings.Join(strings.FieldsFunc(Fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

// Slugify turns s into a lowercase ASCII slug with hyphens, for URLs.
func Slugify(s string) string {
	return strings.ReplaceAll(FoldKey(s), " ", "-")
}
