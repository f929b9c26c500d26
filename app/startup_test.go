package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestFrontDoorWhileStarting: before the portal is ready, probes learn it is alive but not
// ready, and pages and the API ask to come back; once open, every request reaches the server.
func TestFrontDoorWhileStarting(t *testing.T) {
	d := &frontDoor{}
	for _, c := range []struct {
		path   string
		status int
		body   string
	}{
		{"/healthz", 200, `"starting"`},
		{"/readyz", 503, `"starting"`},
		{"/api/v1/suppliers?q=khuon", 503, `"starting"`},
		{"/en/search?q=gears", 503, "The portal is starting"},
		{"/", 503, "đang khởi động"},
	} {
		rec := httptest.NewRecorder()
		d.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, c.path, nil))
		if rec.Code != c.status || !strings.Contains(rec.Body.String(), c.body) || rec.Header().Get("Retry-After") == "" {
			t.Errorf("starting, GET %s: %d %q (Retry-After %q); want %d with %q", c.path, rec.Code, rec.Body, rec.Header().Get("Retry-After"), c.status, c.body)
		}
	}
	d.open(sharedUI(t).srv)
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/en/": 200} {
		rec := httptest.NewRecorder()
		d.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != want || strings.Contains(rec.Body.String(), "starting") {
			t.Errorf("open, GET %s: %d %.80q; want %d from the server", path, rec.Code, rec.Body, want)
		}
	}
}
