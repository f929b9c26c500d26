package event

import (
	"maps"
	"slices"
)

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// testOptions are the options for tests that solve many generated problems to check rules
// rather than breaks: the default for the first seed and for small shapes, and a shorter
// search for fewer breaks on the others, so that the tests stay quick.
func testOptions(sh shape, seed uint64) Options {
	if seed > 1 && sh.requests >= 100 {
		return Options{BreakMoves: 200_000}
	}
	return Options{}
}
