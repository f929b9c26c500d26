package main

import (
	"context"
	"database/sql"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/sample"
	"github.com/hanoi-cnht/portal/models/store"
	"github.com/hanoi-cnht/portal/search"
)

// BenchmarkDashboardLarge measures the server time of the staff dashboard at 100,000 sample
// firms, or at PORTAL_BENCH_LARGE firms when it is a number above 1: with nothing changed since
// the last page (Unchanged) and with a firm changed before each page, so that every figure is
// counted again (AfterChange). Read ms/op: one whole page, rendered. The first count a process
// makes reads the facts the figures are counted from (logged).
func BenchmarkDashboardLarge(b *testing.B) {
	v := os.Getenv("PORTAL_BENCH_LARGE")
	if v == "" {
		b.Skip("set PORTAL_BENCH_LARGE=1 to benchmark the dashboard at 100,000 firms")
	}
	n := 100_000
	if size, err := strconv.Atoi(v); err == nil && size > 1 {
		n = size
	}
	ctx := context.Background()
	dir := b.TempDir()
	db, err := store.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	start := time.Now()
	firms := sample.Generate(db.Reference(), 2026, 0, n)
	for i := 0; i < len(firms); i += 1000 {
		if _, err := db.SaveFirms(ctx, firms[i:min(i+1000, len(firms))]); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("%d firms generated and stored in %s", n, time.Since(start).Round(time.Millisecond))
	// One firm in fifty has not been touched for 13 months, so the stale worklist is full.
	raw, err := sql.Open("sqlite3", filepath.Join(dir, store.DatabaseFile))
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec("UPDATE firms SET updated_at = ? WHERE id % 50 = 0", time.Now().AddDate(0, -13, 0).UTC()); err != nil {
		b.Fatal(err)
	}
	// The first count of a process reads the facts of every firm, which stay in memory.
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start = time.Now()
	if err := db.TakeDashboardSnapshot(ctx); err != nil {
		b.Fatal(err)
	}
	took := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.Logf("first count, reading the facts of every firm: %s; the heap grew by %.1f MB", took.Round(time.Millisecond),
		(float64(after.HeapAlloc)-float64(before.HeapAlloc))/1e6)
	// The dashboard never searches, so the server gets an index of an empty database rather
	// than minutes of indexing.
	emptyDir := b.TempDir()
	empty, err := store.Open(emptyDir)
	if err != nil {
		b.Fatal(err)
	}
	defer empty.Close()
	ix, err := search.Open(filepath.Join(emptyDir, "index"), empty)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	srv, err := NewServer(db, ix)
	if err != nil {
		b.Fatal(err)
	}
	srv.accessLog = false
	u, err := db.CreateUser(ctx, models.SystemActor("bench"), models.UserInput{Email: "staff@soct.hanoi.gov.vn", Name: "Staff", Role: models.RoleStaff, Verified: true})
	if err != nil {
		b.Fatal(err)
	}
	token, _, err := db.CreateSession(ctx, u, "127.0.0.1", "bench", srv.sessionLimits)
	if err != nil {
		b.Fatal(err)
	}
	get := func() (int, string) {
		req := httptest.NewRequest(http.MethodGet, "/en/staff/dashboard", nil)
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: token})
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
	firmsListed := func(body string) int {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		n, _ := strconv.Atoi(strings.NewReplacer(",", "", ".", "").Replace(strings.TrimSpace(doc.Find("a[data-figure=firms]").Text())))
		return n
	}
	code, body := get()
	if code != http.StatusOK || firmsListed(body) != n {
		b.Fatalf("status %d, %d firms listed, want %d", code, firmsListed(body), n)
	}
	b.ResetTimer()
	// Nothing changed since the last page: the figures are those kept under the newest change.
	b.Run("Unchanged", func(b *testing.B) {
		for b.Loop() {
			if code, _ := get(); code != http.StatusOK {
				b.Fatalf("status %d", code)
			}
		}
	})
	// A firm changed before each page (not timed): every figure is counted again.
	b.Run("AfterChange", func(b *testing.B) {
		f, err := db.FirmByTaxCode(ctx, firms[0].TaxCode)
		if err != nil {
			b.Fatal(err)
		}
		i := 0
		for b.Loop() {
			b.StopTimer()
			i++
			f.Phone = "024 3" + strconv.Itoa(1000000+i)
			if _, err := db.SaveFirms(ctx, []*models.Firm{f}); err != nil {
				b.Fatal(err)
			}
			if f, err = db.FirmByTaxCode(ctx, f.TaxCode); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if code, _ := get(); code != http.StatusOK {
				b.Fatalf("status %d", code)
			}
		}
	})
	// No cache: a firm added now is counted by the next page.
	if _, err := db.SaveFirms(ctx, []*models.Firm{{TaxCode: "0109999999", NameVI: "Công ty Thêm Mới", Sites: []models.Site{{District: "017"}}}}); err != nil {
		b.Fatal(err)
	}
	if _, body := get(); firmsListed(body) != n+1 {
		b.Fatalf("after a firm was added the dashboard lists %d firms, want %d", firmsListed(body), n+1)
	}
}
