package main

import (
	"net/http"
	"strings"
	"sync/atomic"
)

// frontDoor answers requests while the portal starts, then passes them all to the server. A
// new instance listens at once so that probes learn it is alive: /healthz says "starting",
// /readyz and every page say 503 with Retry-After until the search index has caught up with the
// database.
type frontDoor struct {
	next atomic.Pointer[Server]
}

// open hands every later request to s.
func (d *frontDoor) open(s *Server) { d.next.Store(s) }

func (d *frontDoor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s := d.next.Load(); s != nil {
		s.ServeHTTP(w, r)
		return
	}
	w.Header().Set("Retry-After", "5")
	w.Header().Set("Cache-Control", "no-store")
	switch {
	case r.URL.Path == "/healthz":
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"status":"starting"}` + "\n"))
	case r.URL.Path == "/readyz" || strings.HasPrefix(r.URL.Path, "/api/"):
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`{"status":"starting"}` + "\n"))
	default:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("Cổng thông tin đang khởi động, vui lòng thử lại sau giây lát.\nThe portal is starting; please try again in a moment.\n"))
	}
}
