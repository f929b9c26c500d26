package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/hanoi-cnht/portal/app/mail"
	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/exchange"
	"github.com/hanoi-cnht/portal/models/sample"
	"github.com/hanoi-cnht/portal/models/store"
	"github.com/hanoi-cnht/portal/search"
)

// The sample set a new database is filled with: fictional firms, the same on every machine.
const (
	sampleSeed = 2026
	sampleSize = 950
	batchSize  = 1000
)

// openStore opens the database in the data directory and, when it is new and cfg.Sample is on,
// fills it with the sample firms.
func openStore(ctx context.Context, cfg Config) (*store.Store, error) {
	db, err := store.Open(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	if db.Created && cfg.Sample {
		start := time.Now()
		if err := addSample(ctx, db, sampleSize); err != nil {
			db.Close()
			return nil, fmt.Errorf("fill the new database with sample firms: %w", err)
		}
		slog.Info("new database filled with sample firms", "firms", sampleSize, "took", time.Since(start).Round(time.Millisecond))
	}
	return db, nil
}

// addSample generates the next n firms of the sample stream and saves them in batches, each with
// the stream's position.
func addSample(ctx context.Context, db *store.Store, n int) error {
	return sample.Add(ctx, db, sampleSeed, n, batchSize)
}

// indexDir is where the search index lives inside the data directory.
func indexDir(cfg Config) string { return filepath.Join(cfg.DataDir, "index") }

// openAll opens the db and the search index kept in step with it.
func openAll(ctx context.Context, cfg Config) (*store.Store, *search.Index, error) {
	db, err := openStore(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	index, err := search.Open(indexDir(cfg), db)
	if err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("open search index: %w", err)
	}
	return db, index, nil
}

// openForWriting opens the db and, if no running portal holds it, the search index. When the
// portal runs, it holds the index and brings it in step with these writes within a minute.
func openForWriting(ctx context.Context, cfg Config, stdout io.Writer) (*store.Store, func(), error) {
	db, err := openStore(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	index, err := search.Open(indexDir(cfg), db)
	switch {
	case err == nil:
		return db, func() { index.Close(); db.Close() }, nil
	case errors.Is(err, search.ErrInUse):
		fmt.Fprintln(stdout, "note: a running portal holds the search index; it will show these changes within a minute")
		return db, func() { db.Close() }, nil
	}
	db.Close()
	return nil, nil, fmt.Errorf("open search index: %w", err)
}

func serveCommand(ctx context.Context, cfg Config, _ []string, stdout, _ io.Writer) error {
	db, index, err := openAll(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	defer index.Close()
	srv, err := NewServer(db, index)
	if err != nil {
		return err
	}
	defer srv.Close()
	srv.baseURL = strings.TrimSuffix(cfg.BaseURL, "/")
	srv.accessLog = cfg.AccessLog
	srv.dataDir = cfg.DataDir
	srv.sessionLimits = store.SessionLimits{Idle: cfg.SessionIdle, Absolute: cfg.SessionMax}
	srv.metricsToken = cfg.MetricsToken
	origin := publicOrigin(cfg)
	db.SetMailText(srv.mailText(origin))
	var sender mail.Sender = mail.LogSender{Logger: slog.Default()}
	if cfg.SMTPURL != "" {
		if sender, err = mail.NewSMTPSender(cfg.SMTPURL, cfg.MailFrom); err != nil {
			return err
		}
	}
	worker := mail.NewWorker(db, sender, slog.Default())
	srv.wakeMail = worker.Wake
	if err := offerFirstAdmin(ctx, db, origin, stdout); err != nil {
		return err
	}
	// The background jobs read the database and write the index: they stop before either closes.
	jobsCtx, stopJobs := context.WithCancel(ctx)
	var jobs sync.WaitGroup
	jobs.Go(func() { srv.followDatabase(jobsCtx, cfg.SyncInterval) })
	jobs.Go(func() { worker.Run(jobsCtx) })
	jobs.Go(func() { remindDaily(jobsCtx, db, worker.Wake) })
	defer func() {
		stopJobs()
		jobs.Wait()
	}()
	if cfg.MetricsAddr != "" {
		ln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			return fmt.Errorf("listen for metrics on %s: %w", cfg.MetricsAddr, err)
		}
		jobs.Go(func() {
			if err := srv.ServeMetrics(jobsCtx, ln); err != nil {
				slog.Error("metrics listener stopped", "addr", cfg.MetricsAddr, "err", err)
			}
		})
	}
	return srv.ListenAndServe(ctx, cfg.Addr)
}

// publicOrigin is the address mails link to: the base URL, or this machine at the listen port.
func publicOrigin(cfg Config) string {
	if cfg.BaseURL != "" {
		return strings.TrimSuffix(cfg.BaseURL, "/")
	}
	port := cfg.Addr[strings.LastIndex(cfg.Addr, ":")+1:]
	return "http://localhost:" + port
}

// offerFirstAdmin prints a one-time link to create the first admin while the portal has none:
// there is no default account or password.
func offerFirstAdmin(ctx context.Context, db *store.Store, origin string, out io.Writer) error {
	n, err := db.CountUsers(ctx, models.RoleAdmin)
	if err != nil || n > 0 {
		return err
	}
	token, err := db.IssueToken(ctx, models.TokenFirstAdmin, nil, "", "", 24*time.Hour)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "No admin account yet. Create the first one within 24 hours at:\n  %s/setup?token=%s\n", origin, token)
	return nil
}

// remindDaily queues the certificate expiry reminders once an hour; each goes out once.
func remindDaily(ctx context.Context, db *store.Store, wake func()) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		if n, err := db.SendExpiryReminders(ctx); err != nil {
			slog.Error("certificate expiry reminders", "err", err)
		} else if n > 0 {
			slog.Info("certificate expiry reminders queued", "certificates", n)
			wake()
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func importCommand(fs *flag.FlagSet) runFunc {
	dryRun := fs.Bool("dry-run", false, "check the file and report problems without writing anything")
	return func(ctx context.Context, cfg Config, args []string, stdout, _ io.Writer) error {
		if len(args) != 1 {
			return errors.New("import needs exactly one FILE (CSV or XLSX)")
		}
		f, err := os.Open(args[0])
		if err != nil {
			return err
		}
		defer f.Close()
		db, closeAll, err := openForWriting(ctx, cfg, stdout)
		if err != nil {
			return err
		}
		defer closeAll()
		start := time.Now()
		report, err := exchange.Import(ctx, db, f, filepath.Base(args[0]), exchange.ImportOptions{DryRun: *dryRun,
			Actor: models.SystemActor("command-line import of " + filepath.Base(args[0]))})
		printImportReport(stdout, report, *dryRun, time.Since(start))
		return err
	}
}

func printImportReport(w io.Writer, r *exchange.ImportReport, dryRun bool, took time.Duration) {
	if r == nil {
		return
	}
	for _, p := range r.Problems {
		fmt.Fprintf(w, "error   %s\n", p)
	}
	for _, p := range r.Warnings {
		fmt.Fprintf(w, "warning %s\n", p)
	}
	verb := "imported"
	if dryRun {
		verb = "checked (dry run, nothing written)"
	}
	if len(r.Problems) > 0 {
		verb = "rejected: nothing written"
	}
	fmt.Fprintf(w, "%d rows %s in %s: %d created, %d updated, %d unchanged, %d errors, %d warnings\n",
		r.Rows, verb, took.Round(time.Millisecond), r.Created, r.Updated, r.Unchanged, len(r.Problems), len(r.Warnings))
}

func exportCommand(fs *flag.FlagSet) runFunc {
	format := fs.String("format", "", "csv or xlsx (default: from the file name)")
	return func(ctx context.Context, cfg Config, args []string, stdout, _ io.Writer) error {
		if len(args) != 1 {
			return errors.New("export needs exactly one FILE")
		}
		fmtName := strings.ToLower(*format)
		if fmtName == "" {
			fmtName = strings.TrimPrefix(strings.ToLower(filepath.Ext(args[0])), ".")
		}
		if fmtName != "csv" && fmtName != "xlsx" {
			return fmt.Errorf("--format must be csv or xlsx, got %q", fmtName)
		}
		db, err := openStore(ctx, cfg)
		if err != nil {
			return err
		}
		defer db.Close()
		// Write beside the target and rename, so a failed export never leaves half a file.
		tmp, err := os.CreateTemp(filepath.Dir(args[0]), ".export-*")
		if err != nil {
			return err
		}
		defer os.Remove(tmp.Name())
		if err := exchange.Export(ctx, db, tmp, fmtName); err != nil {
			tmp.Close()
			return err
		}
		if err := tmp.Close(); err != nil {
			return err
		}
		// CreateTemp makes the file private; an export is meant to be opened by others.
		if err := os.Chmod(tmp.Name(), 0o644); err != nil {
			return err
		}
		if err := os.Rename(tmp.Name(), args[0]); err != nil {
			return err
		}
		n, _ := db.CountFirms(ctx)
		fmt.Fprintf(stdout, "exported %d firms to %s\n", n, args[0])
		return nil
	}
}

func sampleCommand(fs *flag.FlagSet) runFunc {
	count := fs.Int("count", sampleSize, "how many firms to add")
	return func(ctx context.Context, cfg Config, _ []string, stdout, _ io.Writer) error {
		if *count < 1 || *count > 10_000_000 {
			return fmt.Errorf("--count must be between 1 and 10000000, got %d", *count)
		}
		db, closeAll, err := openForWriting(ctx, cfg, stdout)
		if err != nil {
			return err
		}
		defer closeAll()
		start := time.Now()
		if err := addSample(ctx, db, *count); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "added %d sample firms in %s\n", *count, time.Since(start).Round(time.Millisecond))
		return nil
	}
}

func reindexCommand(ctx context.Context, cfg Config, _ []string, stdout, _ io.Writer) error {
	db, index, err := openAll(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	defer index.Close()
	start := time.Now()
	if err := index.Rebuild(ctx); err != nil {
		return err
	}
	n, _ := index.DocCount()
	fmt.Fprintf(stdout, "rebuilt the search index: %d firms in %s\n", n, time.Since(start).Round(time.Millisecond))
	return nil
}
