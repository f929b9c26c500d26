package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hanoi-cnht/portal/models/store"
	"github.com/hanoi-cnht/portal/models/store/storetest"
)

// TestMigrateStoreBothWays moves the sample data from SQLite to another database and back with
// the command, and checks the counts on every side. On the PostgreSQL pass the middle database
// is PostgreSQL.
func TestMigrateStoreBothWays(t *testing.T) {
	ctx := context.Background()
	first := t.TempDir()
	var out strings.Builder
	// Any command fills a new database with the sample firms; export opens no index.
	if err := runCLI(ctx, []string{"export", "--data-dir", first, filepath.Join(t.TempDir(), "firms.csv")}, &out); err != nil {
		t.Fatalf("fill the sample data: %v\n%s", err, out.String())
	}
	middle := storetest.DatabaseURL(t)
	if middle == "" {
		middle = "sqlite:" + t.TempDir()
	}
	last := "sqlite:" + filepath.Join(t.TempDir(), "data")
	for _, hop := range [][2]string{{"sqlite:" + first, middle}, {middle, last}} {
		out.Reset()
		if err := runCLI(ctx, []string{"migrate-store", "--from", hop[0], "--to", hop[1]}, &out); err != nil {
			t.Fatalf("migrate-store %s → %s: %v\n%s", hop[0], hop[1], err, out.String())
		}
		if !strings.Contains(out.String(), "every table has the same rows and checksum") || strings.Contains(out.String(), "DIFFERENT") {
			t.Fatalf("migrate-store said:\n%s", out.String())
		}
	}
	for _, where := range []string{"sqlite:" + first, middle, last} {
		s, err := store.OpenURL(where)
		if err != nil {
			t.Fatal(err)
		}
		n, err := s.CountFirms(ctx)
		s.Close()
		if err != nil || n != sampleSize {
			t.Fatalf("%s holds %d firms (%v), want the %d sample firms", where, n, err, sampleSize)
		}
	}
	out.Reset()
	err := runCLI(ctx, []string{"migrate-store", "--from", "sqlite:" + first, "--to", last}, &out)
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("a second copy into the same database: %v", err)
	}
}
