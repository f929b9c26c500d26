package main

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/store"
)

// A backup is one tar.gz archive: the database snapshot (SQLite only), the uploaded files kept
// under the data directory, and last a manifest listing every file with its SHA-256. The
// manifest comes last so the archive is written in one pass while the portal runs.
const (
	backupFormat   = 1
	backupManifest = "manifest.json"
)

// uploadDirs are the directories under the data directory that hold uploaded files: certificate
// scans (evidence/), import files waiting to be applied (imports/) and the files attached to
// requests for quotation (rfq-files/). The search index is not kept: it is rebuilt from the
// database.
var uploadDirs = []string{"evidence", "imports", models.RFQFileDir}

// pgDumpHelp says how to back up and restore a PostgreSQL database, which the portal leaves to
// PostgreSQL's own tools.
const pgDumpHelp = `The database is PostgreSQL: back it up and restore it with its own tools, e.g.
  pg_dump --format=custom --file portal.dump "$PORTAL_DATABASE_URL"
  pg_restore --clean --if-exists --no-owner --dbname "$PORTAL_DATABASE_URL" portal.dump`

// manifest describes a backup archive.
type manifest struct {
	Format        int       `json:"format"`
	PortalVersion string    `json:"portal_version"`
	Dialect       string    `json:"dialect"`
	SchemaVersion int       `json:"schema_version"`
	CreatedAt     time.Time `json:"created_at"`
	// Database is true when the archive holds the database (SQLite); a PostgreSQL deployment's
	// archive holds the uploaded files only.
	Database bool           `json:"database"`
	Files    []archivedFile `json:"files"`
}

// uploads says how many uploaded files the backup holds: all its files but the database.
func (m *manifest) uploads() uploadCount {
	n := len(m.Files)
	if m.Database {
		n--
	}
	return uploadCount(n)
}

// uploadCount is a number of uploaded files, printed as "1 uploaded file" or "3 uploaded files".
type uploadCount int

func (n uploadCount) String() string {
	if n == 1 {
		return "1 uploaded file"
	}
	return strconv.Itoa(int(n)) + " uploaded files"
}

// archivedFile is one file of a backup, named by its path under the data directory.
type archivedFile struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

func backupCommand(*flag.FlagSet) runFunc {
	return func(ctx context.Context, cfg Config, args []string, stdout, _ io.Writer) error {
		if len(args) != 1 {
			return errors.New("backup needs exactly one FILE to write, e.g. portal-2026-03-02.tar.gz")
		}
		if info, err := os.Stat(cfg.DataDir); err != nil || !info.IsDir() {
			return fmt.Errorf("backup: data directory %s not found", cfg.DataDir)
		}
		cfg.Sample = false
		db, err := openStore(ctx, cfg)
		if err != nil {
			return err
		}
		defer db.Close()
		if db.Created {
			db.Close()
			if db.Dialect() == "sqlite" {
				// Leave the directory as it was: Open made the database this check found missing.
				for _, suffix := range []string{"", "-wal", "-shm"} {
					os.Remove(filepath.Join(cfg.DataDir, store.DatabaseFile+suffix))
				}
			}
			return fmt.Errorf("backup: %s held no database; nothing to back up", cfg.DataDir)
		}
		start := time.Now()
		m, err := writeBackup(ctx, db, cfg.DataDir, args[0])
		if err != nil {
			return err
		}
		var size int64
		for _, f := range m.Files {
			size += f.Size
		}
		if !m.Database {
			fmt.Fprintf(stdout, "backed up %s (%.1f MB) to %s\nnote: the archive holds the uploaded files only. %s\n",
				m.uploads(), float64(size)/1e6, args[0], pgDumpHelp)
			return nil
		}
		fmt.Fprintf(stdout, "backed up the database (schema version %d) and %s, %.1f MB in all, to %s in %s\n",
			m.SchemaVersion, m.uploads(), float64(size)/1e6, args[0], time.Since(start).Round(time.Millisecond))
		return nil
	}
}

// writeBackup writes the archive to target, by way of a temporary file beside it, so a failed
// backup never leaves half an archive under the name.
func writeBackup(ctx context.Context, db *store.Store, dataDir, target string) (*manifest, error) {
	tmpDir, err := os.MkdirTemp(filepath.Dir(target), ".backup-*")
	if err != nil {
		return nil, fmt.Errorf("backup: make a temporary directory beside %s: %w", target, err)
	}
	defer os.RemoveAll(tmpDir)
	m := &manifest{Format: backupFormat, PortalVersion: portalVersion(), Dialect: db.Dialect(), CreatedAt: time.Now().UTC()}
	if m.SchemaVersion, err = db.SchemaVersion(ctx); err != nil {
		return nil, err
	}
	type source struct{ name, path string }
	var sources []source
	if db.Dialect() == "sqlite" {
		snap := filepath.Join(tmpDir, store.DatabaseFile)
		if err := db.Snapshot(ctx, snap); err != nil {
			return nil, err
		}
		m.Database = true
		sources = append(sources, source{store.DatabaseFile, snap})
	}
	// Files are listed after the snapshot: a scan or an attachment is written before the row that
	// names it, so every file the snapshot refers to is already there.
	for _, dir := range uploadDirs {
		root := filepath.Join(dataDir, dir)
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if errors.Is(err, fs.ErrNotExist) && p == root {
				return nil
			}
			if err != nil || !d.Type().IsRegular() {
				return err
			}
			rel, err := filepath.Rel(dataDir, p)
			sources = append(sources, source{filepath.ToSlash(rel), p})
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("backup: list %s: %w", root, err)
		}
	}

	out, err := os.CreateTemp(tmpDir, "archive-*")
	if err != nil {
		return nil, err
	}
	defer out.Close()
	gz := gzip.NewWriter(out)
	tw := tar.NewWriter(gz)
	for _, src := range sources {
		f, err := archiveFile(tw, src.name, src.path)
		if errors.Is(err, fs.ErrNotExist) && src.name != store.DatabaseFile {
			continue // an import file applied, and so removed, since it was listed
		}
		if err != nil {
			return nil, fmt.Errorf("backup: add %s: %w", src.name, err)
		}
		m.Files = append(m.Files, f)
	}
	body, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := tw.WriteHeader(&tar.Header{Name: backupManifest, Mode: 0o600, Size: int64(len(body)), ModTime: m.CreatedAt}); err != nil {
		return nil, err
	}
	if _, err := tw.Write(body); err != nil {
		return nil, err
	}
	for _, step := range []func() error{tw.Close, gz.Close, out.Sync, out.Close} {
		if err := step(); err != nil {
			return nil, fmt.Errorf("backup: write %s: %w", target, err)
		}
	}
	// The archive holds password hashes, firms' unpublished evidence and buyers' drawings: it
	// stays private (0600, as CreateTemp made it).
	if err := os.Rename(out.Name(), target); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	return m, nil
}

// archiveFile adds the file at p to tw as name and returns its size and checksum.
func archiveFile(tw *tar.Writer, name, p string) (archivedFile, error) {
	f, err := os.Open(p)
	if err != nil {
		return archivedFile{}, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return archivedFile{}, err
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: info.Size(), ModTime: info.ModTime()}); err != nil {
		return archivedFile{}, err
	}
	h := sha256.New()
	if _, err := io.CopyN(io.MultiWriter(tw, h), f, info.Size()); err != nil {
		return archivedFile{}, err
	}
	return archivedFile{Path: name, Size: info.Size(), SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// portalVersion names the build: its module version and, when known, its commit.
func portalVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := info.Main.Version
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" {
			v += " " + s.Value
		}
	}
	return v
}
