package search

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/hanoi-cnht/portal/models/sample"
	"github.com/hanoi-cnht/portal/models/store"
)

// Benchmarks run over the sample generator's firms: BenchmarkSample at the size of the real
// population (950 firms), BenchmarkLarge at 100,000 firms when PORTAL_BENCH_LARGE=1 (filling the
// database and building the index take a few minutes). Search and type-ahead latencies are
// reported as p50/p95/p99 in ms; a rebuild as s/rebuild and firms/s.
//
//	go test -run '^$' -bench Sample ./search
//	go test -run '^$' -bench 'Sample/(Search|Suggest)' -benchtime 2000x ./search
//	PORTAL_BENCH_LARGE=1 go test -run '^$' -bench Large -benchtime 300x -timeout 60m ./search

// benchSeed is the seed the app fills a new database with.
const benchSeed = 2026

func BenchmarkSample(b *testing.B) { benchAtSize(b, 950) }

// BenchmarkLarge runs at 100,000 firms, or at PORTAL_BENCH_LARGE firms when it is a number above
// 1 (a smaller size profiles faster).
func BenchmarkLarge(b *testing.B) {
	v := os.Getenv("PORTAL_BENCH_LARGE")
	if v == "" {
		b.Skip("set PORTAL_BENCH_LARGE=1 to benchmark 100,000 firms")
	}
	n := 100_000
	if size, err := strconv.Atoi(v); err == nil && size > 1 {
		n = size
	}
	benchAtSize(b, n)
}

// benchQueries is a mix of what users do: Vietnamese with and without diacritics, English,
// names, typos, filters, and browsing without text. Every search also counts all facets.
var benchQueries = []Query{
	{Text: "khuôn mẫu"},
	{Text: "injection moulding", Filters: Filters{Cert: []string{"ISO 9001"}}},
	{Text: "co khi chinh xac", Filters: Filters{District: []string{"017", "250"}}},
	{Filters: Filters{Sector: []string{"co-khi"}}},
	{Text: "wire harness", Filters: Filters{Verified: true}},
	{Text: "ép nhựa", Filters: Filters{Size: []string{"small", "medium"}}},
	{Text: "stamping", Filters: Filters{Corridor: []string{"ql5-hai-phong"}}, Lang: "en"},
	{Text: "PCB assembly", Lang: "en"},
	{Text: "sơn tĩnh điện", Filters: Filters{Process: []string{"powder-coating"}, District: []string{"279"}}},
	{},
	{Text: "electroplatting", Lang: "en"},
	{Text: "gia công cơ khí", Sort: SortName},
	{Text: "rubber gaskets", Filters: Filters{Ownership: []string{"fdi", "jv"}}},
	{Text: "dệt may", Filters: Filters{Market: []string{"JP"}}, Page: 3},
	{Text: "aluminium die casting IATF 16949"},
	{Filters: Filters{Cert: []string{"ISO 9001", "IATF 16949"}, Zone: []string{"kcn-thang-long"}}, Sort: SortSize},
}

func benchAtSize(b *testing.B, n int) {
	ctx := context.Background()
	dir := b.TempDir()
	s, err := store.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	firms := sample.Generate(s.Reference(), benchSeed, 0, n)
	for i := 0; i < len(firms); i += 1000 {
		if _, err := s.SaveFirms(ctx, firms[i:min(i+1000, len(firms))]); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("%d firms generated and stored in %s", n, time.Since(start).Round(time.Millisecond))

	start = time.Now()
	ix, err := Open(filepath.Join(dir, IndexDir), s, WithLogger(quietLogger()))
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	b.Logf("index of %d firms built at Open in %s, %.1f MB on disk", n, time.Since(start).Round(time.Millisecond),
		float64(dirSize(b, filepath.Join(dir, IndexDir)))/1e6)

	// A rebuild of the large index takes minutes, so it runs once whatever -benchtime says; read
	// s/rebuild and firms/s rather than ns/op.
	b.Run("Rebuild", func(b *testing.B) {
		runs := b.N
		if n > 10_000 {
			runs = 1
		}
		var took time.Duration
		for i := 0; i < runs; i++ {
			t0 := time.Now()
			if err := ix.Rebuild(ctx); err != nil {
				b.Fatal(err)
			}
			took += time.Since(t0)
		}
		b.ReportMetric(took.Seconds()/float64(runs), "s/rebuild")
		b.ReportMetric(float64(n*runs)/took.Seconds(), "firms/s")
	})

	stamps, err := s.FirmStamps(ctx)
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]uint, 0, 500)
	for i := 0; i < len(stamps) && len(ids) < 500; i += max(1, len(stamps)/500) {
		ids = append(ids, stamps[i].ID)
	}
	b.Run("IndexBatch500", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			ix.writeMu.Lock()
			ix.mu.RLock()
			err := ix.indexIDs(ctx, ix.idx, ids, nil)
			ix.mu.RUnlock()
			ix.writeMu.Unlock()
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(ids)*b.N)/b.Elapsed().Seconds(), "firms/s")
	})

	b.Run("SearchWithFacets", func(b *testing.B) {
		lat := make([]time.Duration, 0, b.N)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			t0 := time.Now()
			if _, err := ix.Search(ctx, benchQueries[i%len(benchQueries)]); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(t0))
		}
		b.StopTimer()
		reportPercentiles(b, lat)
	})

	b.Run("Suggest", func(b *testing.B) {
		prefixes := []string{"khuôn m", "inj", "co kh", "tân", "ep nh", "wire h"}
		lat := make([]time.Duration, 0, b.N)
		for i := 0; i < b.N; i++ {
			t0 := time.Now()
			if _, err := ix.Suggest(ctx, prefixes[i%len(prefixes)], "vi", 8); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(t0))
		}
		reportPercentiles(b, lat)
	})
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	at := func(p float64) float64 {
		i := min(len(lat)-1, int(p*float64(len(lat))))
		return float64(lat[i].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.95), "p95-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

// dirSize is the size of the files under dir.
func dirSize(b *testing.B, dir string) int64 {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if info, err := d.Info(); err == nil && !d.IsDir() {
			n += info.Size()
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return n
}
