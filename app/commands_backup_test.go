package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/store"
)

// backupSource makes a data directory with firms, accounts, audit rows and uploaded files: two
// scans, an import file and a drawing attached to an RFQ.
func backupSource(t *testing.T) (string, *store.Store) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for i := range 20 {
		if err := db.SaveFirm(ctx, backupFirm(db, i)); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 {
		if _, err := db.CreateUser(ctx, models.SystemActor("test"), models.UserInput{Email: fmt.Sprintf("staff%d@example.com", i),
			Name: "Staff", Role: models.RoleStaff, Verified: true}); err != nil {
			t.Fatal(err)
		}
	}
	for name, size := range map[string]int{"evidence/0123456789abcdef0123456789abcdef.pdf": 70_000,
		"evidence/fedcba9876543210fedcba9876543210.png": 3_000, "imports/00112233445566778899aabbccddeeff.csv": 500,
		rfqDrawing: 40_000} {
		b := make([]byte, size)
		for i := range b {
			b[i] = byte(i*7 + len(name))
		}
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir, db
}

// rfqDrawing is the backup source's file attached to an RFQ.
const rfqDrawing = "rfq-files/00ff00ff00ff00ff00ff00ff00ff00ff.step"

func backupFirm(db *store.Store, i int) *models.Firm {
	sector := db.Reference().TermsOfKind(models.KindSector)[i%3]
	return &models.Firm{TaxCode: fmt.Sprintf("01%08d", 10_000_000+i), NameVI: fmt.Sprintf("Công ty TNHH Cơ khí Số %d", i),
		Terms: []models.Term{sector}, Sites: []models.Site{{District: "017"}},
		Certificates: []models.Certificate{{Standard: "ISO 9001", Number: fmt.Sprintf("Q-%d", i)}}}
}

// openRaw opens a SQLite file for reading rows as they are stored.
func openRaw(t *testing.T, dir string) *sql.DB {
	t.Helper()
	g, err := gorm.Open(sqlite.Open("file:"+filepath.Join(dir, store.DatabaseFile)+"?mode=ro&_busy_timeout=10000"),
		&gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
	if err != nil {
		t.Fatal(err)
	}
	db, err := g.DB()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// tableDigest counts and hashes, in id order, the rows of table with id at most maxID.
func tableDigest(t *testing.T, db *sql.DB, table string, maxID int64) (int, string) {
	t.Helper()
	rows, err := db.Query("SELECT * FROM "+table+" WHERE id <= ? ORDER BY id", maxID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	h := sha256.New()
	n := 0
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(h, "%v\n", vals)
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return n, hex.EncodeToString(h.Sum(nil))
}

// uploadedFiles reads every file under the upload directories of dataDir.
func uploadedFiles(t *testing.T, dataDir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, dir := range uploadDirs {
		filepath.WalkDir(filepath.Join(dataDir, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(dataDir, p)
			out[filepath.ToSlash(rel)] = b
			return nil
		})
	}
	return out
}

func runCommand(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out strings.Builder
	err := run(context.Background(), args, &out, io.Discard)
	return out.String(), err
}

// TestBackupRestore backs up a data directory while firms and accounts are being written, and
// restores it into a new directory: the restored database is whole and holds exactly the rows
// committed before the snapshot, and the uploaded files are the same bytes.
func TestBackupRestore(t *testing.T) {
	ctx := context.Background()
	src, db := backupSource(t)
	archive := filepath.Join(t.TempDir(), "portal.tar.gz")
	// The backup has its own connection to the database, as the backup command run beside a
	// serving portal has. It is opened before the writes start: opening a store writes (the
	// reference data seed), and while SQLite transactions begin deferred, a write from another
	// connection makes a transaction that has already read fail at once with "database is
	// locked". The snapshot itself takes no write lock.
	backupDB, err := store.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer backupDB.Close()

	stop := make(chan struct{})
	firstWrite := make(chan struct{})
	var writer sync.WaitGroup
	var writeErr error
	writer.Go(func() {
		for i := 100; ; i++ {
			if err := db.SaveFirm(ctx, backupFirm(db, i)); err != nil {
				writeErr = err
				return
			}
			_, err := db.CreateUser(ctx, models.SystemActor("test"), models.UserInput{Email: fmt.Sprintf("buyer%d@example.com", i),
				Name: "Buyer", Role: models.RoleBuyer})
			if err != nil {
				writeErr = err
				return
			}
			if i == 100 {
				close(firstWrite)
			}
			select {
			case <-stop:
				return
			default:
			}
		}
	})
	<-firstWrite
	m, err := writeBackup(ctx, backupDB, src, archive)
	close(stop)
	writer.Wait()
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	if writeErr != nil {
		t.Fatalf("writes during the backup: %v", writeErr)
	}
	if !m.Database || m.uploads() != 4 || m.uploads().String() != "4 uploaded files" || m.SchemaVersion == 0 {
		t.Errorf("manifest %+v: want the database, 4 uploaded files and the schema version", m)
	}

	// Empty directories are no obstacle: a container image makes these for its volumes.
	dst := filepath.Join(t.TempDir(), "restored")
	if err := os.MkdirAll(filepath.Join(dst, "evidence"), 0o700); err != nil {
		t.Fatal(err)
	}
	out, err := runCommand(t, "restore", "--data-dir", dst, archive)
	if err != nil {
		t.Fatalf("restore: %v", err)
	}
	t.Log(strings.TrimSpace(out))

	restored, source := openRaw(t, dst), openRaw(t, src)
	var check string
	if err := restored.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity check of the restored database: %q, %v", check, err)
	}
	for _, table := range []string{"firms", "certificates", "users", "audit_events"} {
		var maxID int64
		if err := restored.QueryRow("SELECT coalesce(max(id), 0) FROM " + table).Scan(&maxID); err != nil {
			t.Fatal(err)
		}
		n, sum := tableDigest(t, restored, table, maxID)
		wantN, wantSum := tableDigest(t, source, table, maxID)
		var all int
		source.QueryRow("SELECT count(*) FROM " + table).Scan(&all)
		t.Logf("%s: %d rows restored of %d now in the source", table, n, all)
		if n == 0 || n != wantN || sum != wantSum {
			t.Errorf("%s: restored %d rows (digest %.12s), the source has %d up to id %d (digest %.12s)", table, n, sum, wantN, maxID, wantSum)
		}
	}

	want, got := uploadedFiles(t, src), uploadedFiles(t, dst)
	if len(got) != len(want) || len(want) != 4 || got[rfqDrawing] == nil {
		t.Errorf("restored %d uploaded files, the source has %d", len(got), len(want))
	}
	for name, b := range want {
		if !bytes.Equal(got[name], b) {
			t.Errorf("%s differs after the round trip (%d bytes, want %d)", name, len(got[name]), len(b))
		}
	}
	if _, err := os.Stat(filepath.Join(dst, "index")); err != nil {
		t.Errorf("restore built no search index: %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(archive)); len(entries) != 1 {
		t.Errorf("backup left %d entries beside the archive, want only the archive", len(entries))
	}
}

// rewriteArchive copies the archive at src to a new file, passing each entry's content
// through edit, which may also drop an entry by returning nil.
func rewriteArchive(t *testing.T, src string, edit func(name string, b []byte) []byte) string {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		if b = edit(h.Name, b); b == nil {
			continue
		}
		h.Size = int64(len(b))
		tw.WriteHeader(h)
		tw.Write(b)
	}
	tw.Close()
	zw.Close()
	out := filepath.Join(t.TempDir(), "edited.tar.gz")
	if err := os.WriteFile(out, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRestoreRefusesBadArchives(t *testing.T) {
	src, _ := backupSource(t)
	good := filepath.Join(t.TempDir(), "good.tar.gz")
	if _, err := runCommand(t, "backup", "--data-dir", src, good); err != nil {
		t.Fatal(err)
	}
	whole, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	write := func(b []byte) string {
		p := filepath.Join(t.TempDir(), "bad.tar.gz")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const scan = "evidence/0123456789abcdef0123456789abcdef.pdf"
	tests := []struct {
		name    string
		archive string
		want    string
	}{
		{"ErrTruncated", write(whole[:len(whole)/2]), "truncated or damaged"},
		{"ErrTruncatedAtTheEnd", write(whole[:len(whole)-4]), "truncated or damaged"},
		{"ErrNotAnArchive", write([]byte("tax_code,name_vi\n0101234567,Cơ khí\n")), "not a backup archive"},
		{"ErrTamperedFile", rewriteArchive(t, good, func(name string, b []byte) []byte {
			if name == scan {
				b[100] ^= 1
			}
			return b
		}), scan + " does not match its checksum"},
		{"ErrFileMissing", rewriteArchive(t, good, func(name string, b []byte) []byte {
			if name == scan {
				return nil
			}
			return b
		}), scan + " is in the manifest but not in the archive"},
		{"ErrTamperedDrawing", rewriteArchive(t, good, func(name string, b []byte) []byte {
			if name == rfqDrawing {
				b[0] ^= 1
			}
			return b
		}), rfqDrawing + " does not match its checksum"},
		{"ErrNoManifest", rewriteArchive(t, good, func(name string, b []byte) []byte {
			if name == backupManifest {
				return nil
			}
			return b
		}), "no manifest.json"},
		// An entry that would climb out of the data directory.
		{"ErrPathOutside", archiveWith(t, "evidence/../../escaped.txt", []byte("x")), "which a portal backup never does"},
		{"ErrPathOutsideAttachments", archiveWith(t, "rfq-files/../../escaped.txt", []byte("x")), "which a portal backup never does"},
		{"ErrUnknownDirectory", archiveWith(t, "rfq-files-old/a.pdf", []byte("x")), "which a portal backup never does"},
		{"ErrMissingArchive", filepath.Join(t.TempDir(), "none.tar.gz"), "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := t.TempDir()
			_, err := runCommand(t, "restore", "--data-dir", dst, tt.archive)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("want an error about %q, got %v", tt.want, err)
			}
			if entries, _ := os.ReadDir(dst); len(entries) > 0 {
				t.Errorf("the failed restore left %s in the data directory", entries[0].Name())
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(dst), "escaped.txt")); err == nil {
				t.Error("an entry was written outside the data directory")
			}
		})
	}
	t.Run("ErrTargetNotEmpty", func(t *testing.T) {
		dst := t.TempDir()
		keep := filepath.Join(dst, "notes.txt")
		os.WriteFile(keep, []byte("mine"), 0o600)
		_, err := runCommand(t, "restore", "--data-dir", dst, good)
		if err == nil || !strings.Contains(err.Error(), "not empty") {
			t.Fatalf("want an error about a non-empty directory, got %v", err)
		}
		if entries, _ := os.ReadDir(dst); len(entries) != 1 {
			t.Errorf("the refused restore changed the directory: %d entries", len(entries))
		}
	})
	t.Run("ErrBackupWithoutDatabase", func(t *testing.T) {
		_, err := runCommand(t, "backup", "--data-dir", filepath.Join(t.TempDir(), "none"), filepath.Join(t.TempDir(), "b.tar.gz"))
		if err == nil || !strings.Contains(err.Error(), "not found") {
			t.Fatalf("want an error about the missing data directory, got %v", err)
		}
		empty := t.TempDir()
		_, err = runCommand(t, "backup", "--data-dir", empty, filepath.Join(t.TempDir(), "b.tar.gz"))
		if err == nil || !strings.Contains(err.Error(), "no database") {
			t.Fatalf("want an error about a directory without a database, got %v", err)
		}
		if entries, _ := os.ReadDir(empty); len(entries) > 0 {
			t.Errorf("backup left %s in a directory that held no database", entries[0].Name())
		}
	})
}

// archiveWith makes a tar.gz holding one entry.
func archiveWith(t *testing.T, name string, b []byte) string {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(b))})
	tw.Write(b)
	tw.Close()
	zw.Close()
	p := filepath.Join(t.TempDir(), "one.tar.gz")
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
