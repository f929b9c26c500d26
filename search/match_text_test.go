package search

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
)

// TestTextRankingAsScan: scoring the candidates term at a time, through postings that hold only
// them, gives each the score a scan of all the text's matches gives it, and leaves out the same
// firms.
func TestTextRankingAsScan(t *testing.T) {
	p := newPropFixture(t)
	ix := p.ix
	ctx := context.Background()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	v, err := ix.columns.view(ix.idx)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	g := ix.glossaryFor(ix.store.Reference())
	r := rand.New(rand.NewPCG(5, 5))
	texts := append(propTexts[3:], "brackets for air conditioners", "gia công cơ khí chính xác", "ISO 9001 khuôn", "nhôm đúc áp lực")
	scored := 0
	for _, text := range texts {
		plan := ix.plan(ix.idx.Mapping(), g, text, func(field, term string) bool { return v.hasTerm(ctx, field, term) })
		if plan == nil {
			t.Fatalf("%q: no plan", text)
		}
		plan.relaxed = plan.required() >= 2
		q := buildTextQuery(plan, false)
		for _, share := range []int{2, 5, 20} {
			cands := make([]*roaring.Bitmap, len(v.segs))
			for s, sv := range v.segs {
				cands[s] = roaring.New()
				it := sv.snap.DocNumbersLive().Iterator()
				for it.HasNext() {
					if d := it.Next(); r.IntN(share) == 0 {
						cands[s].Add(d)
					}
				}
			}
			_, want, err := v.scan(ctx, ix.idx.Mapping(), q, true, cands, &ranking{v: v, order: byScore, k: MaxMatchCandidates})
			if err != nil {
				t.Fatal(err)
			}
			got, err := v.textRanking(ctx, ix.idx.Mapping(), q, cands)
			if err != nil {
				t.Fatal(err)
			}
			scored += len(want.docs)
			sameScores(t, fmt.Sprintf("%q, 1 in %d", text, share), got, want)
		}
	}
	if scored == 0 {
		t.Fatal("no text matched any candidate")
	}
}

// TestTextRankingInParts: the candidates score as a scan in parts (as at 20,000 firms and more)
// scores them.
func TestTextRankingInParts(t *testing.T) {
	old := parallelFrom
	parallelFrom = 1
	t.Cleanup(func() { parallelFrom = old })
	p := newPropFixture(t)
	ix := p.ix
	ctx := context.Background()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	v, err := ix.columns.view(ix.idx)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	g := ix.glossaryFor(ix.store.Reference())
	plan := ix.plan(ix.idx.Mapping(), g, "gia công cơ khí", func(field, term string) bool { return v.hasTerm(ctx, field, term) })
	q := buildTextQuery(plan, false)
	cands := make([]*roaring.Bitmap, len(v.segs))
	for s, sv := range v.segs {
		cands[s] = roaring.New()
		it := sv.snap.DocNumbersLive().Iterator()
		for i := 0; it.HasNext(); i++ {
			if d := it.Next(); i%10 == 0 {
				cands[s].Add(d)
			}
		}
	}
	_, want, err := v.scan(ctx, ix.idx.Mapping(), q, true, cands, &ranking{v: v, order: byScore, k: MaxMatchCandidates})
	if err != nil {
		t.Fatal(err)
	}
	got, err := v.textRanking(ctx, ix.idx.Mapping(), q, cands)
	if err != nil {
		t.Fatal(err)
	}
	if len(want.docs) == 0 {
		t.Fatal("no candidate matched")
	}
	sameScores(t, "in parts", got, want)
}

// sameScores checks that got scores the documents want scores, each the same up to the order
// in which floating-point sums were taken.
func sameScores(t *testing.T, label string, got, want *ranking) {
	t.Helper()
	scores := map[[2]uint32]float64{}
	for _, d := range want.docs {
		scores[[2]uint32{uint32(d.seg), d.local}] = d.score
	}
	if len(got.docs) != len(want.docs) {
		t.Errorf("%s: %d scored, a scan scores %d", label, len(got.docs), len(want.docs))
		return
	}
	for _, d := range got.docs {
		w, ok := scores[[2]uint32{uint32(d.seg), d.local}]
		if !ok || math.Abs(d.score-w) > 1e-12*math.Abs(w) {
			t.Errorf("%s: document %d/%d scores %v, a scan gives %v (scanned: %t)", label, d.seg, d.local, d.score, w, ok)
			return
		}
	}
}
