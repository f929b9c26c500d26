package search

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/hanoi-cnht/portal/models"
)

// Matching a requirement ranks the suppliers that meet every required criterion:
//
//   - Each preferred criterion counts its weight in full when met and half when partly met;
//     the free text, when given, counts as one more preferred criterion of weight 1, met as far
//     as the supplier's text relevance reaches that of the best-matching supplier. The score is
//     the weighted share of all that: (Σ weight × credit) / (Σ weight), from 0 to 1. With
//     neither preferred criteria nor text every supplier listed scores 1.
//   - Suppliers are ordered by score, then by text relevance, then by name.
//   - Unknown (the profile does not say) counts as not met: a required criterion must be met.
//   - Without required criteria, a supplier is listed when it scores above zero.
//   - Near misses, when asked for, are the suppliers that meet all required criteria but one;
//     they come after every full match, marked as such.
//
// Every criterion is decided from the index (see match_columns.go), for every firm at once: the
// firms that meet all required criteria are scored and ranked in memory, and only the page
// asked for is loaded from the database, judged again there for its evidence.

// MaxMatchCandidates bounds how deep into the ranking a match may page.
const MaxMatchCandidates = 2000

// MatchQuery is a requirement to match, with the page of results wanted.
type MatchQuery struct {
	// Requirement must have been resolved (models.Requirement.Resolve).
	Requirement models.Requirement
	Lang        string
	Page        int
	PerPage     int
	// NearMisses adds, after the full matches, the suppliers that miss one required criterion.
	NearMisses bool
}

// MatchResult is one page of ranked suppliers.
type MatchResult struct {
	// Total counts the suppliers meeting every required criterion; NearMissTotal the near misses.
	Total         int
	NearMissTotal int
	Page, PerPage int
	// Truncated says the ranking was cut short. Every firm is now judged, so it is always false;
	// it stays for the clients that read it.
	Truncated bool
	Suppliers []MatchedSupplier
}

// MatchedSupplier is one ranked supplier with its standing on every criterion.
type MatchedSupplier struct {
	Firm  *models.Firm
	Score float64 // 0 to 1, see the ranking above
	// TextScore is the firm's text relevance relative to the best of the candidates, 0 to 1.
	TextScore float64
	// RequiredMet of RequiredCount required criteria are met; NearMiss when exactly one is not.
	RequiredMet, RequiredCount int
	NearMiss                   bool
	Criteria                   []CriterionResult
	// Matched says why the text matched, as in a search.
	Matched []Match
}

// ranked is a firm of the index in the ranking, with what orders it.
type ranked struct {
	doc   rankedDoc
	score float64
	raw   float64 // text relevance
	text  float64 // relative to the best, as TextScore
	name  string
	tax   string
	near  bool
}

// rankedBefore is the order of the list: score, then text relevance, then name, then tax code.
func rankedBefore(a, b *ranked) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	if a.text != b.text {
		return a.text > b.text
	}
	if a.name != b.name {
		return a.name < b.name
	}
	return a.tax < b.tax
}

// topRanked keeps the k best of the firms offered. best is a heap whose root is the worst kept.
type topRanked struct {
	k    int
	best []ranked
}

func (t *topRanked) offer(r ranked) {
	if len(t.best) < t.k {
		t.best = append(t.best, r)
		for i := len(t.best) - 1; i > 0; {
			p := (i - 1) / 2
			if !rankedBefore(&t.best[p], &t.best[i]) {
				break
			}
			t.best[p], t.best[i] = t.best[i], t.best[p]
			i = p
		}
		return
	}
	if t.k == 0 || !rankedBefore(&r, &t.best[0]) {
		return
	}
	t.best[0] = r
	for i := 0; ; {
		w, l, rt := i, 2*i+1, 2*i+2
		if l < len(t.best) && rankedBefore(&t.best[w], &t.best[l]) {
			w = l
		}
		if rt < len(t.best) && rankedBefore(&t.best[w], &t.best[rt]) {
			w = rt
		}
		if w == i {
			return
		}
		t.best[i], t.best[w] = t.best[w], t.best[i]
		i = w
	}
}

// sorted returns the firms kept, best first.
func (t *topRanked) sorted() []ranked {
	slices.SortFunc(t.best, func(a, b ranked) int {
		switch {
		case rankedBefore(&a, &b):
			return -1
		case rankedBefore(&b, &a):
			return 1
		}
		return 0
	})
	return t.best
}

// Match ranks suppliers for a requirement and returns one page with per-criterion reasons.
func (ix *Index) Match(ctx context.Context, q MatchQuery) (*MatchResult, error) {
	if q.Lang != "en" {
		q.Lang = "vi"
	}
	if q.PerPage <= 0 {
		q.PerPage = DefaultPerPage
	}
	q.PerPage = min(q.PerPage, MaxPerPage)
	q.Page = max(q.Page, 1)
	if q.Page*q.PerPage > MaxMatchCandidates {
		q.Page = MaxMatchCandidates / q.PerPage
	}
	if err := ix.refreshExpired(ctx); err != nil {
		return nil, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed || ix.idx == nil {
		return nil, ErrClosed
	}
	ref := ix.store.Reference()
	v, err := ix.columns.view(ix.idx)
	if err != nil {
		return nil, err
	}
	defer v.Close()
	mcs, err := ix.matchColumns.of(v)
	if err != nil {
		return nil, err
	}

	req := q.Requirement
	var required []int
	var preferWeight float64
	for i, c := range req.Criteria {
		if c.Required {
			required = append(required, i)
		} else {
			preferWeight += c.Weight
		}
	}

	// Each criterion decided for every firm; the firms meeting every required one (full) and,
	// when asked, those missing exactly one (near).
	sets := make([][]criterionSets, len(v.segs))
	full := make([]*roaring.Bitmap, len(v.segs))
	near := make([]*roaring.Bitmap, len(v.segs))
	cands := make([]*roaring.Bitmap, len(v.segs))
	nearMisses := q.NearMisses && len(required) >= 2
	for s, sv := range v.segs {
		sets[s] = make([]criterionSets, len(req.Criteria))
		for i, c := range req.Criteria {
			sets[s][i] = setsOf(sv, mcs[s], c)
		}
		live := sv.snap.DocNumbersLive()
		reqSets := make([]*roaring.Bitmap, len(required))
		for j, i := range required {
			reqSets[j] = sets[s][i].met
		}
		full[s] = atLeast(live, reqSets, false)
		cands[s] = full[s]
		near[s] = roaring.New()
		if nearMisses {
			cands[s] = atLeast(live, reqSets, true)
			near[s] = roaring.AndNot(cands[s], full[s])
		}
	}

	// Text relevance of the candidates, relative to the best of them.
	var text *textQuery
	textOf := make([]map[uint32]float64, len(v.segs))
	var best float64
	if cleanText(req.Text) != "" {
		g := ix.glossaryFor(ref)
		known := func(field, term string) bool { return v.hasTerm(ctx, field, term) }
		if plan := ix.plan(ix.idx.Mapping(), g, req.Text, known); plan != nil {
			plan.relaxed = plan.required() >= 2
			text = buildTextQuery(plan, false)
			top, err := v.textRanking(ctx, ix.idx.Mapping(), text, cands)
			if err != nil {
				return nil, err
			}
			for _, d := range top.docs {
				if textOf[d.seg] == nil {
					textOf[d.seg] = map[uint32]float64{}
				}
				textOf[d.seg][d.local] = d.score
				best = max(best, d.score)
			}
		}
	}
	hasText := text != nil

	// Score every candidate, keeping the best of the full matches and of the near misses.
	need := q.Page * q.PerPage
	fullTop, nearTop := &topRanked{k: need}, &topRanked{k: need}
	out := &MatchResult{Page: q.Page, PerPage: q.PerPage}
	for s, sv := range v.segs {
		if cands[s].IsEmpty() {
			continue
		}
		earned := make([]float64, sv.snap.Segment().Count())
		for i, c := range req.Criteria {
			if c.Required {
				continue
			}
			// Added in the criteria's order, as judgeFirm adds them, so the sums are the same.
			addWeight(earned, sets[s][i].met, c.Weight*StatusMet.credit())
			addWeight(earned, sets[s][i].partly, c.Weight*StatusPartly.credit())
		}
		names := sv.nameVI
		if q.Lang == "en" {
			names = sv.nameEN
		}
		it := cands[s].Iterator()
		for it.HasNext() {
			d := it.Next()
			r := ranked{doc: rankedDoc{seg: s, local: d}, raw: textOf[s][d], name: names[d], tax: mcs[s].taxCode[d]}
			if best > 0 {
				r.text = r.raw / best
			}
			r.score = Score(earned[d], preferWeight, r.text, hasText)
			switch {
			case full[s].Contains(d):
				if len(required) == 0 && r.score <= 0 {
					continue
				}
				out.Total++
				fullTop.offer(r)
			case near[s].Contains(d):
				r.near = true
				out.NearMissTotal++
				nearTop.offer(r)
			}
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}

	// The page, loaded and judged again from the firms for the evidence.
	all := append(fullTop.sorted(), nearTop.sorted()...)
	all = all[min((q.Page-1)*q.PerPage, len(all)):min(need, len(all))]
	ids := make([]uint, len(all))
	for i, r := range all {
		id, err := v.segs[r.doc.seg].snap.DocID(uint64(r.doc.local))
		if err != nil {
			return nil, fmt.Errorf("search: read document id: %w", err)
		}
		n, err := strconv.ParseUint(string(id), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("search: document id %q: %w", id, err)
		}
		ids[i] = uint(n)
	}
	firms, err := ix.store.FirmsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[uint]*models.Firm, len(firms))
	for _, f := range firms {
		byID[f.ID] = f
	}
	e := &evaluator{ref: ref, concept: ix.builderFor(ref).matcher, lang: q.Lang, now: ix.opt.now()}
	var docs []rankedDoc
	for i, r := range all {
		f := byID[ids[i]]
		if f == nil { // deleted since the index last heard
			if r.near {
				out.NearMissTotal--
			} else {
				out.Total--
			}
			continue
		}
		mentioned := mcs[r.doc.seg].mentioned
		mentions := func(code string) bool { return mentioned[code] != nil && mentioned[code].Contains(r.doc.local) }
		m := e.judgeFirm(f, req, r.raw, best, hasText, preferWeight, mentions)
		m.NearMiss = r.near
		out.Suppliers = append(out.Suppliers, m)
		docs = append(docs, r.doc)
	}

	if text != nil && len(out.Suppliers) > 0 {
		why, err := v.explain(ctx, text.evidence, docs)
		if err != nil {
			return nil, err
		}
		for i := range out.Suppliers {
			if out.Suppliers[i].TextScore > 0 {
				out.Suppliers[i].Matched = why[i]
			}
		}
	}
	return out, nil
}

// addWeight adds w to the sums of the documents in b.
func addWeight(sums []float64, b *roaring.Bitmap, w float64) {
	if w == 0 || b.IsEmpty() {
		return
	}
	it := b.Iterator()
	for it.HasNext() {
		if d := it.Next(); int(d) < len(sums) {
			sums[d] += w
		}
	}
}

// judgeFirm evaluates every criterion for f and scores it. mentions says which concepts the
// index found in the firm's own text: its text is read again, for where each was found, only
// when it names one the requirement asks for. With mentions nil the text is always read.
func (e *evaluator) judgeFirm(f *models.Firm, req models.Requirement, text, best float64, hasText bool, preferWeight float64,
	mentions func(code string) bool) MatchedSupplier {
	m := MatchedSupplier{Firm: f, Criteria: make([]CriterionResult, len(req.Criteria))}
	var concepts map[string]string
	found := func() map[string]string {
		if concepts != nil {
			return concepts
		}
		concepts = map[string]string{}
		for _, c := range req.Criteria {
			if c.Code != "" && (mentions == nil || mentions(c.Code)) {
				concepts = foundConcepts(e.concept, f)
				break
			}
		}
		return concepts
	}
	var earned float64
	for i, c := range req.Criteria {
		r := e.evaluate(f, c, found)
		m.Criteria[i] = r
		if c.Required {
			m.RequiredCount++
			if r.Status == StatusMet {
				m.RequiredMet++
			}
			continue
		}
		earned += c.Weight * r.Status.credit()
	}
	if best > 0 {
		m.TextScore = text / best
	}
	m.Score = Score(earned, preferWeight, m.TextScore, hasText)
	return m
}

// Score combines the weight of preferred criteria earned (met in full, partly half) out of
// their total weight with the relative text relevance, which counts as one more preferred
// criterion of weight 1 when there is text. It is 1 when there is nothing to prefer.
func Score(earned, total, text float64, hasText bool) float64 {
	if hasText {
		earned += text
		total++
	}
	if total == 0 {
		return 1
	}
	return earned / total
}

// atLeast returns the documents of base in every one of sets, or, with spare, in all of them
// but at most one.
func atLeast(base *roaring.Bitmap, sets []*roaring.Bitmap, spare bool) *roaring.Bitmap {
	if len(sets) == 0 {
		return base.Clone()
	}
	if !spare {
		return roaring.And(base, roaring.FastAnd(sets...))
	}
	var union []*roaring.Bitmap
	for skip := range sets {
		rest := make([]*roaring.Bitmap, 0, len(sets)-1)
		for i, s := range sets {
			if i != skip {
				rest = append(rest, s)
			}
		}
		if len(rest) == 0 {
			return base.Clone()
		}
		union = append(union, roaring.FastAnd(rest...))
	}
	return roaring.And(base, roaring.FastOr(union...))
}
