package main

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the portal's Prometheus measurements. They live in a registry of their own, so
// tests can build several servers in one process and no library adds to them unasked.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	search   *prometheus.HistogramVec
}

// newMetrics registers the portal's measurements; the gauges read s when they are scraped.
func newMetrics(s *Server) *metrics {
	m := &metrics{registry: prometheus.NewRegistry()}
	// Labels are the route's template ("/suppliers/:slug"), never the address asked for, so
	// the number of series stays bounded whatever clients request.
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "portal", Name: "http_requests_total", Help: "Requests answered, by method, route template and status.",
	}, []string{"method", "route", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: "portal", Name: "http_request_duration_seconds", Help: "Time to answer a request, by method, route template and status.",
		Buckets: prometheus.DefBuckets,
	}, []string{"method", "route", "status"})
	m.search = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: "portal", Name: "search_duration_seconds", Help: "Time the search index took to answer (cached results excluded), by kind: search or suggest.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	}, []string{"kind"})

	gauge := func(name, help string, f func() float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: "portal", Name: name, Help: help}, f)
	}
	m.registry.MustRegister(
		m.requests, m.latency, m.search,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		gauge("index_documents", "Firms in the search index.", func() float64 {
			n, err := s.index.DocCount()
			if err != nil {
				return 0
			}
			return float64(n)
		}),
		gauge("index_size_bytes", "Size of the search index on disk.", func() float64 {
			if s.dataDir == "" {
				return 0
			}
			return float64(dirSize(indexDir(Config{DataDir: s.dataDir})))
		}),
		gauge("outbox_queued_mails", "Mails in the outbox neither sent nor given up.", func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			queued, _, _, err := s.store.OutboxCounts(ctx)
			if err != nil {
				slog.Warn("metrics: count the outbox", "err", err)
			}
			return float64(queued)
		}),
		gauge("index_lag_seconds", "How far the search index is behind the database.", func() float64 { return s.indexLag() }),
		gauge("db_open_connections", "Database connections open, in use or idle.", func() float64 { return float64(s.store.PoolStats().OpenConnections) }),
		gauge("db_in_use_connections", "Database connections in use.", func() float64 { return float64(s.store.PoolStats().InUse) }),
		gauge("db_idle_connections", "Database connections idle.", func() float64 { return float64(s.store.PoolStats().Idle) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Namespace: "portal", Name: "db_wait_count_total", Help: "Times a request waited for a database connection."},
			func() float64 { return float64(s.store.PoolStats().WaitCount) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Namespace: "portal", Name: "db_wait_seconds_total", Help: "Time spent waiting for a database connection."},
			func() float64 { return s.store.PoolStats().WaitDuration.Seconds() }),
	)
	return m
}

// observeSearch records how long a call to the index that began at start took.
func (m *metrics) observeSearch(kind string, start time.Time) {
	m.search.WithLabelValues(kind).Observe(time.Since(start).Seconds())
}

// knownMethods are the methods counted by name; anything else counts as "other", so an
// invented method cannot add series.
var knownMethods = map[string]bool{http.MethodGet: true, http.MethodHead: true, http.MethodPost: true,
	http.MethodPut: true, http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true}

// countRequests measures every request by route template and final status. It runs outside
// requestLog, which has turned any error into the response by the time this reads the status.
func (s *Server) countRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		method := c.Request().Method
		if !knownMethods[method] {
			method = "other"
		}
		status := strconv.Itoa(c.Response().Status)
		s.metrics.requests.WithLabelValues(method, route, status).Inc()
		s.metrics.latency.WithLabelValues(method, route, status).Observe(time.Since(start).Seconds())
		return err
	}
}

// metricsPage serves the measurements in Prometheus' text format on the main listener. Echo
// compresses the answer, so the Prometheus handler must not.
func (s *Server) metricsPage(c echo.Context) error {
	h := promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{DisableCompression: true})
	h.ServeHTTP(c.Response(), c.Request())
	return nil
}

// requireMetricsToken lets through only requests carrying "Authorization: Bearer" with the
// metrics token. With no token configured the route does not exist: 404, as for any unknown
// address.
func (s *Server) requireMetricsToken(h echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.metricsToken == "" {
			return echo.ErrNotFound
		}
		got, ok := strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
		// Comparing hashes keeps the comparison's time independent of the token's length too.
		gotSum, wantSum := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(s.metricsToken))
		if !ok || subtle.ConstantTimeCompare(gotSum[:], wantSum[:]) != 1 {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="metrics"`)
			return echo.NewHTTPError(http.StatusUnauthorized, "a valid metrics token is required")
		}
		return h(c)
	}
}

// ServeMetrics serves /metrics alone on ln, a listener meant for a private network, until ctx
// ends.
func (s *Server) ServeMetrics(ctx context.Context, ln net.Listener) error {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
	slog.Info("metrics listening", "addr", ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// dirSize adds up the sizes of the files under dir; files that vanish meanwhile (a segment
// merged away) are skipped.
func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if info, err := d.Info(); err == nil && d.Type().IsRegular() {
			n += info.Size()
		}
		return nil
	})
	return n
}
