package exchange

import (
	"testing"

	"github.com/hanoi-cnht/portal/models/store/storetest"
)

// The tests run on SQLite and, when PORTAL_TEST_DATABASE_URL is set, again on PostgreSQL.
func TestMain(m *testing.M) { storetest.Main(m) }
