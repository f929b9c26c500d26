package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/hanoi-cnht/portal/models/store/internal/testdb"
)

func TestSnapshot(t *testing.T) {
	if testdb.Postgres() {
		t.Skip("SQLite's snapshot; PostgreSQL is backed up with pg_dump (TestSnapshotUnsupportedOnPostgres)")
	}
	ctx := context.Background()
	s := openTestStore(t)
	for i := range 3 {
		if err := s.SaveFirm(ctx, termFirm(t, s.Reference(), fmt.Sprintf("010123456%d", i), fmt.Sprintf("Công ty Cơ khí %d", i), "co-khi")); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	path := filepath.Join(dir, DatabaseFile)
	if err := s.Snapshot(ctx, path); err != nil {
		t.Fatal(err)
	}
	t.Run("ErrTargetExists", func(t *testing.T) {
		if err := s.Snapshot(ctx, path); err == nil {
			t.Fatal("a second snapshot over the first was accepted")
		}
	})
	t.Run("CopyOpensWithSameFirms", func(t *testing.T) {
		c, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if c.Created {
			t.Error("the snapshot was not found where it was written")
		}
		if n, _ := c.CountFirms(ctx); n != 3 {
			t.Errorf("snapshot holds %d firms, want 3", n)
		}
		if err := c.CheckIntegrity(ctx); err != nil {
			t.Error(err)
		}
		want, _ := KnownSchemaVersion("sqlite")
		if got, err := c.SchemaVersion(ctx); err != nil || got != want || got == 0 {
			t.Errorf("schema version %d (%v), want %d, the last step known", got, err, want)
		}
	})
}

func TestSnapshotUnsupportedOnPostgres(t *testing.T) {
	if !testdb.Postgres() {
		t.Skip("runs on the PostgreSQL pass")
	}
	s := openTestStore(t)
	if s.Dialect() != "postgres" {
		t.Fatalf("dialect %q", s.Dialect())
	}
	path := filepath.Join(t.TempDir(), "copy.db")
	if err := s.Snapshot(context.Background(), path); !errors.Is(err, ErrSnapshotUnsupported) {
		t.Fatalf("err = %v, want ErrSnapshotUnsupported", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a file was left at %s", path)
	}
}

func TestPoolStats(t *testing.T) {
	s := openTestStore(t)
	if st := s.PoolStats(); st.OpenConnections < 1 {
		t.Errorf("open connections %d after Open, want at least 1", st.OpenConnections)
	}
}
