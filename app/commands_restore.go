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
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/hanoi-cnht/portal/models/store"
	"github.com/hanoi-cnht/portal/search"
)

func restoreCommand(*flag.FlagSet) runFunc {
	return func(ctx context.Context, cfg Config, args []string, stdout, _ io.Writer) error {
		if len(args) != 1 {
			return errors.New("restore needs exactly one FILE, an archive written by the backup command")
		}
		start := time.Now()
		m, err := restoreBackup(ctx, args[0], cfg.DataDir)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "restored the backup of %s (portal %s, schema version %d) into %s\n",
			m.CreatedAt.Format(time.RFC3339), m.PortalVersion, m.SchemaVersion, cfg.DataDir)
		if !m.Database {
			fmt.Fprintf(stdout, "restored %s. %s\n", m.uploads(), pgDumpHelp)
			return nil
		}
		// The index is derived: build it now from the restored database, so the portal starts
		// ready to search.
		db, err := store.Open(cfg.DataDir)
		if err != nil {
			return fmt.Errorf("open the restored database: %w", err)
		}
		defer db.Close()
		index, err := search.Open(indexDir(cfg), db)
		if err != nil {
			return fmt.Errorf("build the search index of the restored database: %w", err)
		}
		defer index.Close()
		firms, _ := index.DocCount()
		fmt.Fprintf(stdout, "restored the database and %s; search index built with %d firms in %s\n",
			m.uploads(), firms, time.Since(start).Round(time.Millisecond))
		return nil
	}
}

// restoreBackup unpacks the archive into target, which must hold no file or not exist yet.
// Every file is unpacked into a directory inside target and checked against the manifest (and
// the database against SQLite's integrity check) before anything moves into target: on any
// error target is left empty.
func restoreBackup(ctx context.Context, archive, target string) (*manifest, error) {
	if err := ensureEmptyDir(target); err != nil {
		return nil, err
	}
	f, err := os.Open(archive)
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	defer f.Close()
	stage, err := os.MkdirTemp(target, ".restore-*")
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	defer os.RemoveAll(stage)
	m, err := unpackBackup(f, stage)
	if err != nil {
		return nil, fmt.Errorf("restore %s: %w", archive, err)
	}
	if m.Database {
		if err := checkRestoredDatabase(ctx, stage); err != nil {
			return nil, fmt.Errorf("restore %s: %w", archive, err)
		}
	}
	var moved []string
	for _, f := range m.Files {
		to := filepath.Join(target, filepath.FromSlash(f.Path))
		if err := moveFile(filepath.Join(stage, filepath.FromSlash(f.Path)), to); err != nil {
			for _, p := range moved {
				os.Remove(p)
			}
			return nil, fmt.Errorf("restore: move %s into place: %w", f.Path, err)
		}
		moved = append(moved, to)
	}
	return m, nil
}

// moveFile moves a file into a directory that may already exist, copying when the directory is
// another file system (a volume mounted on evidence/, say).
func moveFile(from, to string) error {
	if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
		return err
	}
	if err := os.Rename(from, to); err == nil {
		return nil
	}
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(to)
		return err
	}
	if err := out.Close(); err != nil {
		os.Remove(to)
		return err
	}
	return nil
}

// ensureEmptyDir makes dir if it does not exist, and refuses one that holds any file: a restore
// never mixes a backup with other data. Empty directories are fine (a container image makes
// evidence/, imports/ and rfq-files/ for the volumes mounted there).
func ensureEmptyDir(dir string) error {
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return os.MkdirAll(dir, 0o750)
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return fmt.Errorf("restore: the data directory %s is not empty (it holds %s); restore only into an empty or new directory", dir, p)
		}
		return nil
	})
	return err
}

// maxManifest bounds the manifest read into memory.
const maxManifest = 64 << 20

// unpackBackup writes the archive's files under dir and checks them against its manifest.
func unpackBackup(r io.Reader, dir string) (*manifest, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("not a backup archive (a tar.gz file): %w", err)
	}
	tr := tar.NewReader(gz)
	got := map[string]archivedFile{}
	var m *manifest
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("the archive is truncated or damaged: %w", err)
		}
		if h.Typeflag != tar.TypeReg {
			return nil, fmt.Errorf("the archive holds %q, which is not a regular file: not a portal backup", h.Name)
		}
		if h.Name == backupManifest {
			m = new(manifest)
			if err := json.NewDecoder(io.LimitReader(tr, maxManifest)).Decode(m); err != nil {
				return nil, fmt.Errorf("the archive's manifest is unreadable: %w", err)
			}
			continue
		}
		if !backupPath(h.Name) {
			return nil, fmt.Errorf("the archive holds %q, which a portal backup never does", h.Name)
		}
		if _, dup := got[h.Name]; dup {
			return nil, fmt.Errorf("the archive holds %s twice", h.Name)
		}
		f, err := unpackFile(tr, filepath.Join(dir, filepath.FromSlash(h.Name)))
		if err != nil {
			return nil, fmt.Errorf("unpack %s: %w", h.Name, err)
		}
		f.Path = h.Name
		got[h.Name] = f
	}
	// Read to the end of the gzip stream, so its own checksum is verified too.
	if _, err := io.Copy(io.Discard, gz); err != nil {
		return nil, fmt.Errorf("the archive is truncated or damaged: %w", err)
	}
	if m == nil {
		return nil, fmt.Errorf("the archive has no %s: not a portal backup, or truncated", backupManifest)
	}
	if m.Format != backupFormat {
		return nil, fmt.Errorf("the archive is in backup format %d; this portal reads format %d", m.Format, backupFormat)
	}
	for _, want := range m.Files {
		f, ok := got[want.Path]
		switch {
		case !ok:
			return nil, fmt.Errorf("%s is in the manifest but not in the archive", want.Path)
		case f.Size != want.Size || f.SHA256 != want.SHA256:
			return nil, fmt.Errorf("%s does not match its checksum in the manifest: the archive was changed or damaged", want.Path)
		}
		delete(got, want.Path)
	}
	for name := range got {
		return nil, fmt.Errorf("%s is in the archive but not in its manifest", name)
	}
	if hasDB := slices.ContainsFunc(m.Files, func(f archivedFile) bool { return f.Path == store.DatabaseFile }); hasDB != m.Database {
		return nil, fmt.Errorf("the manifest says database=%v, but %s is %s the archive", m.Database, store.DatabaseFile,
			map[bool]string{true: "in", false: "not in"}[hasDB])
	}
	if m.Database {
		known, err := store.KnownSchemaVersion(m.Dialect)
		if err != nil {
			return nil, fmt.Errorf("the archive's database is %q, which this portal does not know: %w", m.Dialect, err)
		}
		if m.SchemaVersion > known {
			return nil, fmt.Errorf("the backup is from a newer portal (schema version %d; this one knows up to %d): restore it with that version", m.SchemaVersion, known)
		}
	}
	return m, nil
}

// backupPath reports whether name is a path a backup holds: the database file, or a file under
// one of the upload directories, relative and without "..".
func backupPath(name string) bool {
	if name == store.DatabaseFile {
		return true
	}
	dir, _, ok := strings.Cut(name, "/")
	return ok && slices.Contains(uploadDirs, dir) && path.Clean(name) == name && filepath.IsLocal(name) &&
		!strings.Contains(name, `\`)
}

// unpackFile copies the current archive entry to a new file at p, hashing it.
func unpackFile(r io.Reader, p string) (archivedFile, error) {
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return archivedFile{}, err
	}
	out, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return archivedFile{}, err
	}
	defer out.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), r)
	if err != nil {
		return archivedFile{}, fmt.Errorf("the archive is truncated or damaged: %w", err)
	}
	if err := out.Close(); err != nil {
		return archivedFile{}, err
	}
	return archivedFile{Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// checkRestoredDatabase opens the unpacked database (bringing an older schema up to date) and
// runs SQLite's integrity check over it.
func checkRestoredDatabase(ctx context.Context, dir string) error {
	db, err := store.Open(dir)
	if err != nil {
		return fmt.Errorf("the archive's database does not open: %w", err)
	}
	defer db.Close()
	if db.Created {
		return errors.New("the archive's database is missing")
	}
	if err := db.CheckIntegrity(ctx); err != nil {
		return fmt.Errorf("the archive's database: %w", err)
	}
	return nil
}
