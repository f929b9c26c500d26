// Package storetest opens throwaway databases for the tests of the packages that use the store:
// SQLite in a temp directory, or a PostgreSQL database of the test's own while testdb.Main runs
// the tests a second time on PostgreSQL.
package storetest

import (
	"testing"

	"github.com/hanoi-cnht/portal/models/store"
	"github.com/hanoi-cnht/portal/models/store/internal/testdb"
)

// Main runs the package's tests on SQLite and, when PORTAL_TEST_DATABASE_URL is set, again on
// PostgreSQL. Call it from TestMain.
func Main(m *testing.M) { testdb.Main(m) }

// Postgres reports whether the tests are running on PostgreSQL.
func Postgres() bool { return testdb.Postgres() }

// Open opens a new, empty database, closed when the test ends.
func Open(t testing.TB) *store.Store {
	t.Helper()
	return OpenIn(t, t.TempDir())
}

// OpenIn opens a new database for the test: SQLite in dir, or on PostgreSQL a database of the
// test's own (dir is then left alone).
func OpenIn(t testing.TB, dir string) *store.Store {
	t.Helper()
	var (
		s   *store.Store
		err error
	)
	if url := testdb.NewDatabase(t); url != "" {
		s, err = store.OpenURL(url)
	} else {
		s, err = store.Open(dir)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// DatabaseURL returns, on the PostgreSQL pass, the URL of a new database of the test's own for
// a portal process to use (--database-url); on SQLite, "".
func DatabaseURL(t testing.TB) string {
	t.Helper()
	return testdb.NewDatabase(t)
}

// Run runs the tests like Main but returns the exit code, for a TestMain that cleans up after;
// on the PostgreSQL pass it runs only the tests that pattern matches, unless -run chose.
func Run(m *testing.M, pattern string) int { return testdb.Run(m, pattern) }
