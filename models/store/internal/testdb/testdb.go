// Package testdb chooses the database that tests of the store, and of the packages built on it,
// run on: SQLite always and, when PORTAL_TEST_DATABASE_URL names a PostgreSQL server, the same
// tests a second time on PostgreSQL, each test in a database of its own.
package testdb

import (
	"database/sql"
	"flag"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// EnvURL names the variable that holds a PostgreSQL server URL whose user may create databases.
const EnvURL = "PORTAL_TEST_DATABASE_URL"

var (
	serverURL string // set while the tests run on PostgreSQL
	created   atomic.Int64
)

// Main runs a package's tests on SQLite and then, when EnvURL is set and they passed, on
// PostgreSQL. Call it from TestMain.
func Main(m *testing.M) { os.Exit(Run(m, "")) }

// Run is Main without the exit: it returns the exit code. A pattern limits the PostgreSQL pass
// to the tests it matches, unless -run was given.
func Run(m *testing.M, pattern string) int {
	code := m.Run()
	if u := os.Getenv(EnvURL); u != "" && code == 0 {
		fmt.Println("== the same tests on PostgreSQL")
		if f := flag.Lookup("test.run"); pattern != "" && f != nil && f.Value.String() == "" {
			f.Value.Set(pattern)
		}
		serverURL = u
		code = m.Run()
	}
	return code
}

// Postgres reports whether the tests are running on PostgreSQL.
func Postgres() bool { return serverURL != "" }

// NewDatabase creates an empty PostgreSQL database for t, dropped when t ends, and returns its
// URL; on SQLite it returns "" and the caller uses a directory of t.
func NewDatabase(t testing.TB) string {
	t.Helper()
	if serverURL == "" {
		return ""
	}
	u, err := url.Parse(serverURL)
	if err != nil {
		t.Fatalf("%s: %v", EnvURL, err)
	}
	name := fmt.Sprintf("portal_test_%d_%d", os.Getpid(), created.Add(1))
	admin, err := sql.Open("pgx", serverURL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", serverURL)
		if err != nil {
			t.Error(err)
			return
		}
		defer admin.Close()
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop test database: %v", err)
		}
	})
	u.Path = "/" + name
	return u.String()
}
