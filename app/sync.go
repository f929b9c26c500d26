package main

import (
	"context"
	"log/slog"
	"time"
)

// followDatabase repairs the search index and empties the search cache whenever the database
// changed behind the server's back. Writes made through this process already reach both at once;
// for those the repair finds nothing to do.
func (s *Server) followDatabase(ctx context.Context, every time.Duration) {
	last, err := s.store.Fingerprint(ctx)
	if err != nil {
		slog.Warn("read database fingerprint", "err", err)
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		fp, err := s.store.Fingerprint(ctx)
		if err != nil || fp == last {
			continue
		}
		if err := s.index.Sync(ctx); err != nil {
			slog.Error("bring the search index in step with the database", "err", err)
			continue
		}
		s.cache.clear()
		last = fp
	}
}
