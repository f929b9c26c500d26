package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/store"
)

// Config is everything the portal reads from flags and the environment, with defaults.
type Config struct {
	Addr    string // where the server listens
	DataDir string // the SQLite file, the search index and uploaded files live here
	// DatabaseURL selects a PostgreSQL database shared by several portal instances
	// (postgres://…); empty: SQLite in DataDir.
	DatabaseURL string
	Sample      bool   // fill a new, empty database with the sample firms
	BaseURL     string // public origin for canonical links and the sitemap; empty: from each request
	// SyncInterval is how often serve follows the database's change feed for writes made by
	// other processes: other instances, command-line imports.
	SyncInterval time.Duration
	AccessLog    bool   // log every request at Info level
	LogLevel     string // debug, info, warn or error
	LogFormat    string // text (or empty) or json: how every log line, the access log included, is written
	// SMTPURL is where mail is sent (smtp://user:pass@host:587); empty: mails go to the log.
	SMTPURL  string
	MailFrom string // the sender address of the portal's mails
	// SessionIdle and SessionMax end a session after that long without a request, and in all.
	SessionIdle time.Duration
	SessionMax  time.Duration
	// MetricsAddr is a separate listener serving only /metrics, for a private network; empty: none.
	MetricsAddr string
	// MetricsToken serves /metrics on the main listener to requests bearing it; empty: not there.
	MetricsToken string
}

// defaultConfig reads the environment over the built-in defaults; flags override both. A boolean
// variable that is not a boolean is an error, not a default: PORTAL_SAMPLE=no must not fill a
// production database with fictional firms.
func defaultConfig() (Config, error) {
	c := Config{Addr: ":8080", DataDir: "./data", Sample: true, SyncInterval: 500 * time.Millisecond, AccessLog: true, LogLevel: "info", LogFormat: "text",
		MailFrom: "no-reply@cnht.hanoi.gov.vn", SessionIdle: defaultSessionLimits.Idle, SessionMax: defaultSessionLimits.Absolute}
	c.SMTPURL = os.Getenv("PORTAL_SMTP_URL")
	if v := os.Getenv("PORTAL_MAIL_FROM"); v != "" {
		c.MailFrom = v
	}
	if v := os.Getenv("PORTAL_ADDR"); v != "" {
		c.Addr = v
	}
	if v := os.Getenv("PORTAL_DATA_DIR"); v != "" {
		c.DataDir = v
	}
	c.DatabaseURL = os.Getenv("PORTAL_DATABASE_URL")
	c.BaseURL = os.Getenv("PORTAL_BASE_URL")
	if v := os.Getenv("PORTAL_LOG_LEVEL"); v != "" {
		c.LogLevel = v
	}
	if v := os.Getenv("PORTAL_LOG_FORMAT"); v != "" {
		c.LogFormat = v
	}
	c.MetricsAddr = os.Getenv("PORTAL_METRICS_ADDR")
	c.MetricsToken = os.Getenv("PORTAL_METRICS_TOKEN")
	for _, b := range []struct {
		name string
		dst  *bool
	}{{"PORTAL_SAMPLE", &c.Sample}, {"PORTAL_ACCESS_LOG", &c.AccessLog}} {
		v := os.Getenv(b.name)
		if v == "" {
			continue
		}
		x, err := strconv.ParseBool(v)
		if err != nil {
			return c, fmt.Errorf("config: %s=%q is not a boolean; use true or false", b.name, v)
		}
		*b.dst = x
	}
	return c, nil
}

// slogLevel is the log level the configuration names.
func (c Config) slogLevel() (slog.Level, error) {
	var l slog.Level
	err := l.UnmarshalText([]byte(c.LogLevel))
	return l, err
}

// logHandler writes log records to w in the configured format, at the configured level.
func (c Config) logHandler(w io.Writer) slog.Handler {
	level, _ := c.slogLevel()
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "json" {
		return slog.NewJSONHandler(w, opts)
	}
	return slog.NewTextHandler(w, opts)
}

// flagSet makes a flag set for one command, bound to cfg's data flags, that prints its usage
// to out.
func flagSet(name, usage string, cfg *Config, out io.Writer, withAddr bool) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	if withAddr {
		fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "address to listen on (env PORTAL_ADDR)")
		fs.DurationVar(&cfg.SyncInterval, "sync-interval", cfg.SyncInterval, "how often to follow the database's change feed for writes made by other instances or a command-line import")
		fs.BoolVar(&cfg.AccessLog, "access-log", cfg.AccessLog, "log every request (method, path, status, bytes, duration, request id) at Info level (env PORTAL_ACCESS_LOG)")
		fs.StringVar(&cfg.SMTPURL, "smtp-url", cfg.SMTPURL, "send mail through this server, e.g. smtp://user:pass@mail.example.vn:587 (env PORTAL_SMTP_URL; default: mails are written to the log)")
		fs.StringVar(&cfg.MailFrom, "mail-from", cfg.MailFrom, "sender address of the portal's mails (env PORTAL_MAIL_FROM)")
		fs.DurationVar(&cfg.SessionIdle, "session-idle", cfg.SessionIdle, "end a session after this long without a request")
		fs.DurationVar(&cfg.SessionMax, "session-max", cfg.SessionMax, "end every session after this long")
		fs.StringVar(&cfg.MetricsAddr, "metrics-addr", cfg.MetricsAddr, "serve /metrics (Prometheus) on this separate address, e.g. 127.0.0.1:9090 (env PORTAL_METRICS_ADDR)")
		fs.StringVar(&cfg.MetricsToken, "metrics-token", cfg.MetricsToken, "serve /metrics on the main address to requests with \"Authorization: Bearer TOKEN\" (env PORTAL_METRICS_TOKEN; at least 16 characters)")
		fs.StringVar(&cfg.BaseURL, "base-url", cfg.BaseURL, "public origin for canonical links and the sitemap, e.g. https://cnht.example.vn (env PORTAL_BASE_URL; default: the request's host)")
	}
	fs.StringVar(&cfg.DataDir, "data-dir", cfg.DataDir, "directory for the SQLite database, the search index and uploaded files (env PORTAL_DATA_DIR)")
	fs.StringVar(&cfg.DatabaseURL, "database-url", cfg.DatabaseURL, "use this PostgreSQL database instead of SQLite, e.g. postgres://portal:secret@db:5432/portal (env PORTAL_DATABASE_URL)")
	fs.StringVar(&cfg.LogLevel, "log-level", cfg.LogLevel, "debug, info, warn or error (env PORTAL_LOG_LEVEL)")
	fs.StringVar(&cfg.LogFormat, "log-format", cfg.LogFormat, "text, or json for one JSON object a line (env PORTAL_LOG_FORMAT)")
	fs.BoolVar(&cfg.Sample, "sample", cfg.Sample, "fill a new, empty database with the fictional sample firms (env PORTAL_SAMPLE)")
	fs.Usage = func() {
		fmt.Fprintf(out, "Usage: portal %s\n\n%s\n\nFlags:\n", name, usage)
		fs.PrintDefaults()
	}
	return fs
}

// Validate checks the configuration before anything starts.
func (c Config) Validate() error {
	var errs []string
	if strings.TrimSpace(c.DataDir) == "" {
		errs = append(errs, "data directory is empty")
	}
	if c.Addr == "" {
		errs = append(errs, "listen address is empty")
	} else if msg := checkPort("listen address", c.Addr, ":8080"); msg != "" {
		errs = append(errs, msg)
	}
	if c.MetricsAddr != "" {
		if msg := checkPort("metrics address", c.MetricsAddr, "127.0.0.1:9090"); msg != "" {
			errs = append(errs, msg)
		} else if c.MetricsAddr == c.Addr {
			errs = append(errs, fmt.Sprintf("metrics address %s is the listen address; use another port, or --metrics-token", c.MetricsAddr))
		}
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < 16 {
		errs = append(errs, "metrics token is too short; at least 16 characters")
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		errs = append(errs, fmt.Sprintf("database URL %q must start with postgres:// (without it the portal uses SQLite in the data directory)", store.RedactURL(c.DatabaseURL)))
	}
	if c.SyncInterval < 100*time.Millisecond {
		errs = append(errs, fmt.Sprintf("sync interval %s is too short; at least 100ms", c.SyncInterval))
	}
	if c.BaseURL != "" {
		if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			errs = append(errs, fmt.Sprintf("base URL %q must be a scheme and host, e.g. https://cnht.example.vn", c.BaseURL))
		}
	}
	if c.SessionIdle < time.Minute || c.SessionMax < c.SessionIdle {
		errs = append(errs, fmt.Sprintf("session limits %s idle, %s in all: idle must be at least a minute and at most the whole", c.SessionIdle, c.SessionMax))
	}
	if _, ok := models.NormalizeEmail(c.MailFrom); !ok && c.MailFrom != "" {
		errs = append(errs, fmt.Sprintf("mail sender %q is not an e-mail address", c.MailFrom))
	}
	if _, err := c.slogLevel(); err != nil {
		errs = append(errs, fmt.Sprintf("log level %q must be debug, info, warn or error", c.LogLevel))
	}
	if c.LogFormat != "" && c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Sprintf("log format %q must be text or json", c.LogFormat))
	}
	if len(errs) > 0 {
		return errors.New("config: " + strings.Join(errs, "; "))
	}
	return nil
}

// checkPort says what is wrong with a listen address, or "" when it has a valid port.
func checkPort(what, addr, example string) string {
	i := strings.LastIndex(addr, ":")
	if i < 0 {
		return fmt.Sprintf("%s %q needs a port, e.g. %s", what, addr, example)
	}
	if _, err := strconv.ParseUint(addr[i+1:], 10, 16); err != nil {
		return fmt.Sprintf("%s %q has no valid port", what, addr)
	}
	return ""
}
