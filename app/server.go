package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/hanoi-cnht/portal/models/store"
	"github.com/hanoi-cnht/portal/search"
)

// Server holds the portal's dependencies; every handler is a method on it.
type Server struct {
	store *store.Store
	index *search.Index
	views *views
	cache *searchCache
	echo  *echo.Echo
	now   func() time.Time
	// baseURL is the public origin for canonical links and the sitemap ("https://cnht.hanoi.gov.vn");
	// empty means the request's own scheme and host, fine behind a proxy that sets Host.
	baseURL string
	// sitemapFirms is how many firms one sitemap file lists (see sitemap).
	sitemapFirms int
	// accessLog logs every request at Info level; off, only server errors are logged.
	accessLog bool
	// unobserve stops the store telling the server about writes; Close calls them.
	unobserve []func()
	// routeTable lists every route with who may use it (see handle).
	routeTable []routeInfo
	// sessionLimits are how long sessions live.
	sessionLimits store.SessionLimits
	// throttle counts failed sign-ins and reset requests per account and per address.
	throttle *store.Throttle
	// wakeMail nudges the mail worker after a change queued mail; nil when none runs.
	wakeMail func()
	// dataDir holds the files the portal keeps beside its database: certificate scans under
	// evidence/, uploaded import files under imports/. Never served as static files.
	dataDir string
	// reindex rebuilds the search index in the background after staff edit reference data.
	reindex *indexRebuild
	// feed follows the writes other processes make; nil in tests that have no other process.
	feed *store.Feed
	// metrics are served at /metrics to holders of metricsToken (see requireMetricsToken), and
	// on a separate listener with --metrics-addr.
	metrics      *metrics
	metricsToken string
	// indexLag says how many seconds the search index is behind the database, for /metrics.
	indexLag func() float64
}

// origin is the scheme and host that absolute links on a page start with.
func (s *Server) origin(c echo.Context) string {
	if s.baseURL != "" {
		return s.baseURL
	}
	return c.Scheme() + "://" + c.Request().Host
}

// NewServer builds the web server: templates and messages are parsed here, so a missing page
// or message fails at start rather than in front of a user.
func NewServer(db *store.Store, index *search.Index) (*Server, error) {
	v, err := newViews()
	if err != nil {
		return nil, err
	}
	s := &Server{store: db, index: index, views: v, now: time.Now, sitemapFirms: sitemapFirmsPerFile, accessLog: true,
		sessionLimits: defaultSessionLimits, throttle: db.Throttle(), reindex: &indexRebuild{},
		indexLag: func() float64 { return 0 }}
	s.metrics = newMetrics(s)
	s.cache = newSearchCache(1024, time.Minute, time.Now)
	// The index hears of a write first (it registered when it opened), so a search cached after
	// this clear already sees the write.
	s.unobserve = append(s.unobserve,
		db.Observe(func(_, _ []uint) { s.cache.clear() }),
		db.Observe(func(_, _ []uint) { s.views.sample.invalidate() }))
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			slog.Error("panic", "path", c.Request().URL.Path, "err", err, "stack", string(stack))
			return err
		},
	}))
	e.Use(middleware.RequestIDWithConfig(middleware.RequestIDConfig{TargetHeader: echo.HeaderXRequestID}))
	e.Use(s.countRequests)
	e.Use(s.requestLog)
	e.Use(s.securityHeaders)
	e.Use(middleware.GzipWithConfig(middleware.GzipConfig{Level: 5, MinLength: 1024}))
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: "2M", Skipper: isUpload}))
	e.Use(s.loadSession)
	e.Use(s.csrfProtect)
	s.echo = e
	s.routes(e)
	return s, nil
}

// ServeHTTP lets tests drive the server through httptest.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

// ListenAndServe serves on addr until ctx ends, then shuts down gracefully.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	return s.Serve(ctx, ln)
}

// Serve serves on ln until ctx ends.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error { return serveHTTP(ctx, ln, s.echo) }

// serveHTTP serves h on ln until ctx ends, then shuts down gracefully.
func serveHTTP(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	slog.Info("portal listening", "addr", ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	slog.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// isUpload reports whether the request is a file upload, which has its own, larger limit.
func isUpload(c echo.Context) bool {
	return strings.HasPrefix(c.Request().Header.Get(echo.HeaderContentType), echo.MIMEMultipartForm)
}

// Close stops the server hearing of the store's writes; the store and index are closed by their
// owner.
func (s *Server) Close() {
	s.reindex.wait()
	for _, stop := range s.unobserve {
		stop()
	}
	s.unobserve = nil
}

// requestLog writes the access log: one line per request at Info level (Error for server
// errors), with the request id that the response also carries in X-Request-Id.
func (s *Server) requestLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		res := c.Response()
		level := slog.LevelInfo
		switch {
		case res.Status >= 500:
			level = slog.LevelError
		case !s.accessLog:
			return nil
		}
		slog.Log(c.Request().Context(), level, "request", "method", c.Request().Method,
			"path", c.Request().URL.Path, "status", res.Status, "bytes", res.Size,
			"took", time.Since(start), "request_id", res.Header().Get(echo.HeaderXRequestID))
		return nil
	}
}

// contentSecurityPolicy allows only the portal's own scripts, styles and images: no inline script.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		if s.secureCookies(c) {
			// Served over https: browsers keep to it for a year.
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
		return next(c)
	}
}
