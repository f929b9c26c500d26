package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

func init() {
	// The fixture configures no metrics token, so /metrics does not exist for any role.
	authzTables["operations"] = map[string]authzCase{"GET /metrics": {Want: "nnnnnn"}}
}

const testMetricsToken = "test-metrics-token-0123456789"

// scrape gets /metrics with the given Authorization header ("" for none).
func scrape(t *testing.T, h http.Handler, authorization string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// metricValue finds the sample named series ("name{labels}" exactly as exposed) in a scrape.
func metricValue(t *testing.T, body, series string) (float64, bool) {
	t.Helper()
	for _, line := range strings.Split(body, "\n") {
		if rest, ok := strings.CutPrefix(line, series+" "); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
			if err != nil {
				t.Fatalf("sample %q: %v", line, err)
			}
			return v, true
		}
	}
	return 0, false
}

func TestMetricsEndpoint(t *testing.T) {
	fx := newAuthzFixture(t)
	t.Run("NotServedWithoutToken", func(t *testing.T) {
		if rec := scrape(t, fx.srv, "Bearer anything"); rec.Code != http.StatusNotFound {
			t.Fatalf("status %d with no token configured, want 404", rec.Code)
		}
	})
	fx.srv.metricsToken = testMetricsToken
	for _, tt := range []struct{ name, header string }{
		{"ErrNoToken", ""},
		{"ErrWrongToken", "Bearer not-the-metrics-token-at-all"},
		{"ErrTokenPrefix", "Bearer " + testMetricsToken[:10]},
		{"ErrNotBearer", "Basic " + testMetricsToken},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := scrape(t, fx.srv, tt.header)
			if rec.Code != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401", rec.Code)
			}
			if !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("WWW-Authenticate = %q", rec.Header().Get("WWW-Authenticate"))
			}
			if strings.Contains(rec.Body.String(), "portal_") {
				t.Error("a refused request got measurements")
			}
		})
	}
	t.Run("ServedWithToken", func(t *testing.T) {
		rec := scrape(t, fx.srv, "Bearer "+testMetricsToken)
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
			t.Fatalf("status %d, content type %q", rec.Code, rec.Header().Get("Content-Type"))
		}
		body := rec.Body.String()
		// The fixture's requests for quotation queued mail to the firms.
		queued, _, _, err := fx.store.OutboxCounts(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for series, want := range map[string]float64{
			"portal_index_documents":     2,
			"portal_index_lag_seconds":   0,
			"portal_outbox_queued_mails": float64(queued),
		} {
			if got, ok := metricValue(t, body, series); !ok || got != want {
				t.Errorf("%s = %v (found %v), want %v", series, got, ok, want)
			}
		}
		if v, ok := metricValue(t, body, "portal_index_size_bytes"); !ok || v <= 0 {
			t.Errorf("portal_index_size_bytes = %v (found %v), want the index's size", v, ok)
		}
		if v, ok := metricValue(t, body, "portal_db_open_connections"); !ok || v < 1 {
			t.Errorf("portal_db_open_connections = %v (found %v)", v, ok)
		}
		for _, name := range []string{"portal_db_in_use_connections", "portal_db_idle_connections", "portal_db_wait_count_total", "go_goroutines"} {
			if _, ok := metricValue(t, body, name); !ok {
				t.Errorf("no %s in the scrape", name)
			}
		}
	})
	t.Run("CompressedOnce", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
		req.Header.Set("Authorization", "Bearer "+testMetricsToken)
		req.Header.Set("Accept-Encoding", "gzip")
		rec := httptest.NewRecorder()
		fx.srv.ServeHTTP(rec, req)
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatalf("content encoding %q: %v", rec.Header().Get("Content-Encoding"), err)
		}
		b, err := io.ReadAll(zr)
		if err != nil || !strings.Contains(string(b), "portal_index_documents 2") {
			t.Fatalf("gzipped scrape: %v, %.200q", err, b)
		}
	})
	t.Run("IndexLagFromServer", func(t *testing.T) {
		fx.srv.indexLag = func() float64 { return 2.5 }
		defer func() { fx.srv.indexLag = func() float64 { return 0 } }()
		body := scrape(t, fx.srv, "Bearer "+testMetricsToken).Body.String()
		if v, _ := metricValue(t, body, "portal_index_lag_seconds"); v != 2.5 {
			t.Errorf("portal_index_lag_seconds = %v, want 2.5", v)
		}
	})
}

func TestMetricsCountRouteTemplates(t *testing.T) {
	fx := newAuthzFixture(t)
	fx.srv.metricsToken = testMetricsToken
	slug := fx.ids["{slugA}"]
	for range 2 {
		if r := uiGet(t, fx.srv, "/suppliers/"+slug); r.Status != http.StatusOK {
			t.Fatalf("supplier page: status %d", r.Status)
		}
	}
	uiGet(t, fx.srv, "/suppliers/no-such-firm")
	uiGet(t, fx.srv, "/no/such/page")
	uiGet(t, fx.srv, "/api/v1/suppliers?q=nhua")
	uiGet(t, fx.srv, "/search?q=co+khi")
	body := scrape(t, fx.srv, "Bearer "+testMetricsToken).Body.String()
	for series, want := range map[string]float64{
		`portal_http_requests_total{method="GET",route="/suppliers/:slug",status="200"}`:                 2,
		`portal_http_requests_total{method="GET",route="/suppliers/:slug",status="404"}`:                 1,
		`portal_http_requests_total{method="GET",route="unmatched",status="404"}`:                        1,
		`portal_http_requests_total{method="GET",route="/api/v1/suppliers",status="200"}`:                1,
		`portal_http_request_duration_seconds_count{method="GET",route="/suppliers/:slug",status="200"}`: 2,
	} {
		if got, ok := metricValue(t, body, series); !ok || got != want {
			t.Errorf("%s = %v (found %v), want %v", series, got, ok, want)
		}
	}
	if n, _ := metricValue(t, body, `portal_search_duration_seconds_count{kind="search"}`); n < 2 {
		t.Errorf("%v searches measured, want at least the page's and the API's", n)
	}
	if strings.Contains(body, slug) || strings.Contains(body, "no-such-firm") || strings.Contains(body, "/no/such") {
		t.Error("a requested address, not a route template, became a label")
	}
}

func TestMetricsListener(t *testing.T) {
	fx := newAuthzFixture(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- fx.srv.ServeMetrics(ctx, ln) }()
	base := "http://" + ln.Addr().String()
	get := func(path string) (int, string) {
		res, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if status, body := get("/metrics"); status != http.StatusOK || !strings.Contains(body, "portal_index_documents 2") {
		t.Errorf("GET /metrics on the metrics listener: status %d, body %.200q", status, body)
	}
	if status, _ := get("/"); status != http.StatusNotFound {
		t.Errorf("GET / on the metrics listener: status %d, want 404", status)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("metrics listener: %v", err)
	}
}

func TestJSONLogFormat(t *testing.T) {
	fx := newAuthzFixture(t)
	var buf lockedBuffer
	old := slog.Default()
	slog.SetDefault(slog.New(Config{LogFormat: "json", LogLevel: "info"}.logHandler(&buf)))
	t.Cleanup(func() { slog.SetDefault(old) })
	ids := map[string]string{}
	for _, path := range []string{"/en/search?q=plastic", "/about", "/no/such/page"} {
		ids[uiGet(t, fx.srv, path).Header.Get("X-Request-Id")] = strings.Split(path, "?")[0]
	}
	sc := bufio.NewScanner(strings.NewReader(buf.String()))
	seen := 0
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("log line is not one JSON object: %q: %v", sc.Text(), err)
		}
		if rec["msg"] != "request" {
			continue
		}
		id, _ := rec["request_id"].(string)
		path, ok := ids[id]
		if !ok {
			continue
		}
		seen++
		if rec["method"] != "GET" || rec["path"] != path || rec["level"] != "INFO" {
			t.Errorf("access log record %v: want GET %s at INFO", rec, path)
		}
		if status, ok := rec["status"].(float64); !ok || status < 200 {
			t.Errorf("access log record %v has no numeric status", rec)
		}
	}
	if seen != len(ids) {
		t.Errorf("found %d access log records of %d requests in:\n%s", seen, len(ids), buf.String())
	}
}

func TestConfigLogFormatAndMetrics(t *testing.T) {
	valid := Config{Addr: ":8080", DataDir: "d", SyncInterval: time.Second, LogLevel: "info", LogFormat: "text", SessionIdle: time.Hour, SessionMax: time.Hour}
	tests := []struct {
		name string
		edit func(c *Config)
		want string // part of the error; "" means valid
	}{
		{"ValidJSON", func(c *Config) { c.LogFormat = "json" }, ""},
		{"ValidMetrics", func(c *Config) { c.MetricsAddr = "127.0.0.1:9090"; c.MetricsToken = testMetricsToken }, ""},
		{"ErrLogFormatUnknown", func(c *Config) { c.LogFormat = "yaml" }, "log format"},
		{"ErrMetricsAddrNoPort", func(c *Config) { c.MetricsAddr = "localhost" }, "metrics address"},
		{"ErrMetricsAddrIsListenAddr", func(c *Config) { c.MetricsAddr = c.Addr }, "metrics address"},
		{"ErrMetricsTokenShort", func(c *Config) { c.MetricsToken = "secret" }, "metrics token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := valid
			tt.edit(&c)
			err := c.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("want valid, got %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("want an error about %q, got %v", tt.want, err)
			}
		})
	}
	t.Run("FromEnvironment", func(t *testing.T) {
		t.Setenv("PORTAL_LOG_FORMAT", "json")
		t.Setenv("PORTAL_METRICS_ADDR", "127.0.0.1:9090")
		t.Setenv("PORTAL_METRICS_TOKEN", testMetricsToken)
		c, err := defaultConfig()
		if err != nil || c.LogFormat != "json" || c.MetricsAddr != "127.0.0.1:9090" || c.MetricsToken != testMetricsToken {
			t.Fatalf("config from environment = %+v, %v", c, err)
		}
	})
	t.Run("ErrStopsTheCommand", func(t *testing.T) {
		err := run(context.Background(), []string{"reindex", "--data-dir", t.TempDir(), "--log-format", "xml"}, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), `log format "xml"`) {
			t.Fatalf("run with --log-format xml: %v", err)
		}
	})
}
