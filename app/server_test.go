package main

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
)

// lockedBuffer collects log output written from the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func captureLog(t *testing.T) *lockedBuffer {
	t.Helper()
	var buf lockedBuffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo})))
	t.Cleanup(func() { slog.SetDefault(old) })
	return &buf
}

func TestAccessLog(t *testing.T) {
	f := sharedUI(t)
	t.Run("OnByDefault", func(t *testing.T) {
		logs := captureLog(t)
		r := uiGet(t, f.srv, "/en/search?q=stamping")
		id := r.Header.Get("X-Request-Id")
		if r.Status != 200 || id == "" {
			t.Fatalf("status %d, request id %q", r.Status, id)
		}
		line := ""
		for _, l := range strings.Split(logs.String(), "\n") {
			if strings.Contains(l, "request_id="+id) {
				line = l
			}
		}
		for _, want := range []string{"level=INFO", "method=GET", "path=/en/search", "status=200", "bytes=", "took=", "request_id=" + id} {
			if !strings.Contains(line, want) {
				t.Errorf("access log line %q lacks %q", line, want)
			}
		}
	})
	t.Run("OffWithTheFlag", func(t *testing.T) {
		logs := captureLog(t)
		f.srv.accessLog = false
		defer func() { f.srv.accessLog = true }()
		if r := uiGet(t, f.srv, "/en/search?q=stamping"); r.Status != 200 {
			t.Fatalf("status %d", r.Status)
		}
		if strings.Contains(logs.String(), "msg=request") {
			t.Errorf("a request was logged with the access log off: %s", logs)
		}
	})
}

func TestStrictTransportSecurityBehindHTTPS(t *testing.T) {
	fx := newAuthzFixture(t)
	if h := uiGet(t, fx.srv, "/about").Header.Get("Strict-Transport-Security"); h != "" {
		t.Fatalf("HSTS over plain http: %q", h)
	}
	fx.srv.baseURL = "https://cnht.example.vn"
	if h := uiGet(t, fx.srv, "/about").Header.Get("Strict-Transport-Security"); !strings.HasPrefix(h, "max-age=") {
		t.Fatalf("no HSTS behind https: %q", h)
	}
}
