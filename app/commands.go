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
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hanoi-cnht/portal/app/mail"
	"github.com/hanoi-cnht/portal/locales"
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

// openStore opens the database (PostgreSQL when cfg names one, else SQLite in the data
// directory) and, when it is new and cfg.Sample is on, fills it with the sample firms.
func openStore(ctx context.Context, cfg Config) (*store.Store, error) {
	var db *store.Store
	var err error
	if cfg.DatabaseURL != "" {
		db, err = store.OpenURL(cfg.DatabaseURL)
	} else {
		db, err = store.Open(cfg.DataDir)
	}
	if err != nil {
		return nil, err
	}
	if db.Created && cfg.Sample {
		start := time.Now()
		if err := addSample(ctx, db, sampleSize); err != nil {
			db.Close()
			return nil, fmt.Errorf("fill the new database with sample firms: %w", err)
		}
		if err := sample.AddEvents(ctx, db); err != nil {
			db.Close()
			return nil, fmt.Errorf("fill the new database with sample events: %w", err)
		}
		slog.Info("new database filled with sample firms and events", "firms", sampleSize, "took", time.Since(start).Round(time.Millisecond))
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

// openForWriting opens the db and, if no running portal holds it, the search index. A running
// portal holds the index and brings it in step with these writes through the change feed; so do
// the instances on a PostgreSQL database, whose indexes are on their own machines.
func openForWriting(ctx context.Context, cfg Config, stdout io.Writer) (*store.Store, func(), error) {
	db, err := openStore(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	if cfg.DatabaseURL != "" {
		return db, func() { db.Close() }, nil
	}
	index, err := search.Open(indexDir(cfg), db)
	switch {
	case err == nil:
		return db, func() { index.Close(); db.Close() }, nil
	case errors.Is(err, search.ErrInUse):
		fmt.Fprintln(stdout, "note: a running portal holds the search index; it will show these changes within seconds")
		return db, func() { db.Close() }, nil
	}
	db.Close()
	return nil, nil, fmt.Errorf("open search index: %w", err)
}

// serveCommand listens at once, answering "starting" while the database opens and the search
// index is built or repaired and caught up with the change feed; then it serves the portal.
func serveCommand(ctx context.Context, cfg Config, _ []string, stdout, _ io.Writer) error {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	front := &frontDoor{}
	serveCtx, stopServing := context.WithCancel(ctx)
	defer stopServing()
	served := make(chan error, 1)
	go func() { served <- serveHTTP(serveCtx, ln, front) }()

	db, index, feed, err := openAndCatchUp(ctx, cfg)
	if err != nil {
		stopServing()
		<-served
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
	srv.feed = feed
	feed.OnReference = func() { srv.reindex.start(index.Rebuild) }
	srv.metricsToken = cfg.MetricsToken
	srv.indexLag = func() float64 { return feed.Lag().Seconds() }
	origin := publicOrigin(cfg)
	db.SetMailText(srv.mailText(origin))
	var sender mail.Sender = mail.LogSender{Logger: slog.Default()}
	if cfg.SMTPURL != "" {
		if sender, err = mail.NewSMTPSender(cfg.SMTPURL, cfg.MailFrom); err != nil {
			return err
		}
	}
	worker := mail.NewWorker(db, sender, slog.Default())
	if cfg.DatabaseURL != "" {
		// Another instance may hold the lease and cannot be woken from here: look often.
		worker.Interval = 5 * time.Second
	}
	srv.wakeMail = worker.Wake
	if err := offerFirstAdmin(ctx, db, origin, stdout); err != nil {
		return err
	}
	// The background jobs read the database and write the index: they stop before either closes.
	jobsCtx, stopJobs := context.WithCancel(ctx)
	var jobs sync.WaitGroup
	jobs.Go(func() { feed.Follow(jobsCtx, cfg.SyncInterval) })
	// The first count of the dashboard reads the facts of every firm (a second or two at 100,000
	// firms): done now, not on the first About page.
	jobs.Go(func() {
		if _, err := db.DashboardSummary(jobsCtx); err != nil && jobsCtx.Err() == nil {
			slog.Warn("count the dashboard's figures", "err", err)
		}
	})
	jobs.Go(func() {
		// One instance at a time sends mail and queues reminders.
		whileLeaseHeld(jobsCtx, db, "mail-and-reminders", func(ctx context.Context) {
			var leader sync.WaitGroup
			leader.Go(func() { worker.Run(ctx) })
			leader.Go(func() { remindDaily(ctx, db, worker.Wake) })
			leader.Go(func() { srv.alertSavedSearches(ctx, origin, worker.Wake) })
			leader.Wait()
		})
	})
	defer func() {
		stopJobs()
		jobs.Wait()
	}()
	if cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			return fmt.Errorf("listen for metrics on %s: %w", cfg.MetricsAddr, err)
		}
		jobs.Go(func() {
			if err := srv.ServeMetrics(jobsCtx, mln); err != nil {
				slog.Error("metrics listener stopped", "addr", cfg.MetricsAddr, "err", err)
			}
		})
	}
	front.open(srv)
	slog.Info("portal ready", "addr", ln.Addr().String())
	return <-served
}

// openAndCatchUp opens the database and the search index and applies the changes other
// processes recorded meanwhile. The feed starts at the change the database had reached before
// the index was built or repaired, so no write falls between the two.
func openAndCatchUp(ctx context.Context, cfg Config) (*store.Store, *search.Index, *store.Feed, error) {
	db, err := openStore(ctx, cfg)
	if err != nil {
		return nil, nil, nil, err
	}
	from, err := db.LastChange(ctx)
	if err != nil {
		db.Close()
		return nil, nil, nil, err
	}
	index, err := search.Open(indexDir(cfg), db)
	if err != nil {
		db.Close()
		return nil, nil, nil, fmt.Errorf("open search index: %w", err)
	}
	feed := db.NewFeed(from)
	if _, err := feed.Poll(ctx); err != nil {
		index.Close()
		db.Close()
		return nil, nil, nil, fmt.Errorf("catch up with the database: %w", err)
	}
	return db, index, feed, nil
}

// whileLeaseHeld runs job while this process holds the named lease, renewing it every 10
// seconds; another process takes over within 30 seconds of this one stopping.
func whileLeaseHeld(ctx context.Context, db *store.Store, name string, job func(context.Context)) {
	const ttl, renew = 30 * time.Second, 10 * time.Second
	tick := time.NewTicker(renew)
	defer tick.Stop()
	var stop func() // stops the running job; nil while this process does not hold the lease
	defer func() {
		if stop != nil {
			stop()
		}
		db.ReleaseLease(context.Background(), name)
	}()
	for {
		held, err := db.HoldLease(ctx, name, ttl)
		if err != nil && ctx.Err() == nil {
			slog.Warn("renew lease", "lease", name, "err", err)
		}
		switch {
		case held && stop == nil:
			stop = startJob(ctx, job)
			slog.Info("this instance runs the leased jobs", "lease", name)
		case !held && stop != nil:
			stop()
			stop = nil
			slog.Info("another instance runs the leased jobs", "lease", name)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// startJob runs job in the background; stop cancels it and waits for it to end.
func startJob(ctx context.Context, job func(context.Context)) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); job(ctx) }()
	return func() { cancel(); <-done }
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

// remindDaily queues the certificate expiry reminders once an hour (each goes out once),
// expires the meeting requests left unanswered past their deadline, telling both sides, and
// asks the participants of events long enough past how their meetings went (once each).
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
		if n, err := db.ExpireRequests(ctx); err != nil {
			slog.Error("expire meeting requests", "err", err)
		} else if n > 0 {
			slog.Info("unanswered meeting requests expired", "requests", n)
			wake()
		}
		if n, err := db.SendFollowUps(ctx); err != nil {
			slog.Error("event follow-up mails", "err", err)
		} else if n > 0 {
			slog.Info("event follow-up mails queued", "registrations", n)
			wake()
		}
		if err := db.TakeDashboardSnapshot(ctx); err != nil {
			slog.Error("dashboard snapshot", "err", err)
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
	lang := fs.String("lang", "en", "the language of the report: en or vi")
	return func(ctx context.Context, cfg Config, args []string, stdout, _ io.Writer) error {
		if len(args) != 1 {
			return errors.New("import needs exactly one FILE (CSV or XLSX)")
		}
		if !slices.Contains(languages, *lang) {
			return fmt.Errorf("--lang must be en or vi, got %q", *lang)
		}
		msgs, err := loadCatalog(locales.FS)
		if err != nil {
			return err
		}
		concepts, err := ownConcepts()
		if err != nil {
			return err
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
			Actor: models.SystemActor("command-line import of " + filepath.Base(args[0])), Concepts: concepts})
		printImportReport(stdout, msgs, *lang, report, *dryRun, time.Since(start))
		return err
	}
}

// printImportReport writes the problems, warnings and cell mappings of an import, each by row
// and column, in lang, and a summary line.
func printImportReport(w io.Writer, msgs *catalog, lang string, r *exchange.ImportReport, dryRun bool, took time.Duration) {
	if r == nil {
		return
	}
	at := func(row int, column string) string {
		if column == "" {
			return msgs.tr(lang, "import.at_row", "Row", row)
		}
		return msgs.tr(lang, "import.at", "Row", row, "Column", column)
	}
	line := func(p exchange.RowProblem) string {
		text := findingText(msgs, lang, p)
		if p.Row == 0 && p.Column == "" {
			return text
		}
		return at(p.Row, p.Column) + ": " + text
	}
	for _, p := range r.Problems {
		fmt.Fprintf(w, "error   %s\n", line(p))
	}
	for _, p := range r.Warnings {
		fmt.Fprintf(w, "warning %s\n", line(p))
	}
	for _, m := range r.Mappings {
		text := msgs.tr(lang, "import.mapped", "Value", m.Value, "Terms", mappingText(msgs, lang, m))
		if len(m.Free) > 0 {
			text = msgs.tr(lang, "import.mapped_free", "Value", m.Value, "Terms", mappingText(msgs, lang, m), "Free", freeText(m.Free))
		}
		fmt.Fprintf(w, "mapped  %s: %s\n", at(m.Row, m.Column), text)
	}
	if r.MappingsUnlisted > 0 {
		fmt.Fprintf(w, "mapped  %s\n", msgs.tr(lang, "staff.import.mappings_unlisted", "Count", r.MappingsUnlisted))
	}
	verb := "imported"
	if dryRun {
		verb = "checked (dry run, nothing written)"
	}
	if len(r.Problems) > 0 {
		verb = "rejected: nothing written"
	}
	fmt.Fprintf(w, "%d rows %s in %s: %d created, %d updated, %d unchanged, %d errors, %d warnings, %d cells mapped\n",
		r.Rows, verb, took.Round(time.Millisecond), r.Created, r.Updated, r.Unchanged, len(r.Problems), len(r.Warnings),
		len(r.Mappings)+r.MappingsUnlisted)
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
		// Free text an import would read as terms is written in quotes.
		concepts, err := ownConcepts()
		if err != nil {
			return err
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
		if err := exchange.Export(ctx, db, tmp, fmtName, exchange.WithConcepts(concepts)); err != nil {
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
