package search

import (
	"context"
	"encoding/csv"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/exchange"
	"github.com/hanoi-cnht/portal/models/store/storetest"
)

// The Department suite (testdata/dept, see its README) was written apart from the engine: firms
// in the Department's import format, queries as buyers type them, judgments by reading the
// firms. Its files are inputs, never tuned to the results.

// Floors the Department suite must keep, overall and for English queries against firms that
// wrote only Vietnamese: those the search issue set, which the engine now reaches.
const (
	deptMinRecall       = 0.95
	deptMinNDCG         = 0.92
	deptMinRecallENToVI = 0.95
	deptMinNDCGENToVI   = 0.92
)

// deptQuery is one labelled query of the suite, with its judged firms by tax code.
type deptQuery struct {
	id, kind string
	query    Query
	relevant map[string]int
}

func TestRelevanceDept(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	f, err := os.Open("testdata/dept/firms.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := exchange.Import(ctx, s, f, "firms.csv", exchange.ImportOptions{})
	if err != nil {
		t.Fatalf("import: %v (%v)", err, rep)
	}
	ix := openTestIndex(t, newIndexDir(t), s)
	queries := readDeptQueries(t, s.Reference())

	var taxCodes []string
	for _, q := range queries {
		for tc := range q.relevant {
			taxCodes = append(taxCodes, tc)
		}
	}
	stored, err := s.StoredFirms(ctx, taxCodes)
	if err != nil {
		t.Fatal(err)
	}
	numOf := func(tc string) int {
		f, ok := stored[tc]
		if !ok {
			t.Fatalf("judged firm %s is not in firms.csv", tc)
		}
		return int(f.ID)
	}

	verbose := os.Getenv("PORTAL_RELEVANCE_VERBOSE") != ""
	sums := map[string][2]float64{}
	counts := map[string]int{}
	for _, dq := range queries {
		relevant := map[int]int{}
		for tc, g := range dq.relevant {
			relevant[numOf(tc)] = g
		}
		q := dq.query
		q.PerPage = 10
		res, err := ix.Search(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", dq.id, err)
		}
		got := make([]int, len(res.Hits))
		for i, h := range res.Hits {
			got[i] = int(h.ID)
		}
		r, n := recallAt(got, relevant, 10), ndcgAt(got, relevant, 10)
		for _, k := range []string{"all", dq.kind} {
			sums[k] = [2]float64{sums[k][0] + r, sums[k][1] + n}
			counts[k]++
		}
		if verbose || r < 1 || n < 0.7 {
			t.Logf("%-5s %-13s %-40q recall %.2f nDCG %.2f total %3d got %v want %v",
				dq.id, dq.kind, q.Text, r, n, res.Total, got, relevant)
		}
	}
	kinds := make([]string, 0, len(sums))
	for k := range sums {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	mean := func(k string) (float64, float64) {
		return sums[k][0] / float64(counts[k]), sums[k][1] / float64(counts[k])
	}
	for _, k := range kinds {
		r, n := mean(k)
		t.Logf("kind %-13s queries %3d  recall@10 %.3f  nDCG@10 %.3f", k, counts[k], r, n)
	}
	for _, floor := range []struct {
		kind         string
		recall, ndcg float64
	}{{"all", deptMinRecall, deptMinNDCG}, {"en_vi_only", deptMinRecallENToVI, deptMinNDCGENToVI}} {
		r, n := mean(floor.kind)
		if r < floor.recall {
			t.Errorf("%s: recall@10 %.3f is below the floor %.2f", floor.kind, r, floor.recall)
		}
		if n < floor.ndcg {
			t.Errorf("%s: nDCG@10 %.3f is below the floor %.2f", floor.kind, n, floor.ndcg)
		}
	}
}

// readDeptQueries reads queries.csv and judgments.csv. Filters are written key=value&key=value
// with plain values, and go through ParseQuery as a page's parameters would.
func readDeptQueries(t *testing.T, ref *models.Reference) []deptQuery {
	t.Helper()
	var out []deptQuery
	byID := map[string]int{}
	for _, rec := range readCSVFile(t, "testdata/dept/queries.csv", 5) {
		v := url.Values{"q": {rec[3]}, "lang": {rec[2]}}
		if rec[4] != "" {
			for _, kv := range strings.Split(rec[4], "&") {
				k, val, _ := strings.Cut(kv, "=")
				v.Add(k, val)
			}
		}
		q, err := ParseQuery(v, ref)
		if err != nil {
			t.Fatalf("query %s: %v", rec[0], err)
		}
		byID[rec[0]] = len(out)
		out = append(out, deptQuery{id: rec[0], kind: rec[1], query: q, relevant: map[string]int{}})
	}
	for _, rec := range readCSVFile(t, "testdata/dept/judgments.csv", 3) {
		i, ok := byID[rec[0]]
		if !ok {
			t.Fatalf("judgment for unknown query %s", rec[0])
		}
		g, err := strconv.Atoi(rec[2])
		if err != nil || g < 1 || g > 2 {
			t.Fatalf("judgment %v: grade must be 1 or 2", rec)
		}
		out[i].relevant[rec[1]] = g
	}
	for _, q := range out {
		if len(q.relevant) == 0 {
			t.Fatalf("query %s has no judged firm", q.id)
		}
	}
	return out
}

// readCSVFile returns the records of a CSV file after its header.
func readCSVFile(t *testing.T, path string, fields int) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = fields
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs[1:]
}
