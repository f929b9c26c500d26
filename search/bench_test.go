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

	"github.com/hanoi-cnht/portal/models"
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
//	PORTAL_BENCH_LARGE=1 go test -run '^$' -bench 'Large/Match' -benchtime 300x -timeout 90m ./search

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

// benchRequirements are requirements of six criteria each, as buyers state them: narrow and
// wide, with and without text, and one with only preferred criteria (every firm a candidate).
var benchRequirements = []models.Requirement{
	{Text: "brackets for air conditioners", Criteria: []models.Criterion{
		{Kind: "process", Value: "stamping", Required: true}, {Kind: "cert", Value: "IATF 16949", Required: true, Verified: true},
		{Kind: "corridor", Value: "ql5-hai-phong", Weight: 2}, {Kind: "size", Value: "medium"},
		{Kind: "market", Value: "JP"}, {Kind: "equipment", Value: "press ≥ 200 t"}}},
	{Criteria: []models.Criterion{
		{Kind: "process", Value: "injection-moulding", Required: true}, {Kind: "cert", Value: "ISO 9001", Required: true},
		{Kind: "material", Value: "engineering-plastic"}, {Kind: "district", Value: "250"},
		{Kind: "ownership", Value: "fdi"}, {Kind: "near", Value: "21.115, 105.785, 20"}}},
	{Text: "gia công cơ khí chính xác", Criteria: []models.Criterion{
		{Kind: "sector", Value: "co-khi", Required: true}, {Kind: "process", Value: "cnc-machining", Required: true},
		{Kind: "equipment", Value: "CNC ≥ 5 axes", Weight: 3}, {Kind: "cert", Value: "ISO 14001"},
		{Kind: "zone", Value: "kcn-thang-long"}, {Kind: "spcncl", Value: "yes"}}},
	{Criteria: []models.Criterion{
		{Kind: "product", Value: "wire-harness", Required: true}, {Kind: "cert", Value: "IATF 16949", Required: true, Verified: true},
		{Kind: "market", Value: "JP", Required: true}, {Kind: "size", Value: "large"},
		{Kind: "corridor", Value: "ql5-hai-phong"}, {Kind: "ownership", Value: "jv"}}},
	{Criteria: []models.Criterion{
		{Kind: "process", Value: "powder-coating"}, {Kind: "district", Value: "279"}, {Kind: "size", Value: "small"},
		{Kind: "cert", Value: "ISO 9001"}, {Kind: "market", Value: "KR"}, {Kind: "near", Value: "20.86, 105.87, 15"}}},
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

	// Matching a requirement of six criteria, one page of 20 as the find-suppliers page asks.
	b.Run("Match6", func(b *testing.B) {
		reqs := make([]models.Requirement, len(benchRequirements))
		for i, r := range benchRequirements {
			r.Criteria = slices.Clone(r.Criteria)
			if err := r.Resolve(s.Reference()); err != nil {
				b.Fatal(err)
			}
			reqs[i] = r
		}
		lat := make([]time.Duration, 0, b.N)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			t0 := time.Now()
			if _, err := ix.Match(ctx, MatchQuery{Requirement: reqs[i%len(reqs)], Lang: "en", PerPage: 20}); err != nil {
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
