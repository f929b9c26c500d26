// Package storetest opens throwaway databases for the tests of the packages that use the store.
package storetest

import (
	"testing"

	"github.com/hanoi-cnht/portal/models/store"
)

// Open opens a new database in a temp directory of t, closed when the test ends.
func Open(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
