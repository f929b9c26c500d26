package search

import (
	"cmp"
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
// The index narrows the candidates first: the required criteria it can check exactly (terms,
// current and verified certificates, places, size, ownership, markets) are bitmaps of its
// columns, and the text query scores the rest. The firms themselves are then loaded and judged
// criterion by criterion: when the index decides every required criterion, only those that can
// still reach the page asked for, best first by what the index knows; otherwise all of them, at
// most MaxMatchCandidates.

// MaxMatchCandidates bounds how many firms one match judges in full; when more qualify, those
// the index ranks best are judged and the result says it was cut.
const MaxMatchCandidates = 2000

// boundSlack absorbs rounding when a candidate's bound is compared with a judged score.
const boundSlack = 1e-9

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
	// Truncated says more firms qualified than were judged (see MaxMatchCandidates).
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

// candidate is a firm the index offers, with its text score.
type candidate struct {
	doc    rankedDoc
	text   float64
	prefer float64 // weight of preferred criteria the index knows it meets
	bound  float64 // the most it can score
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

	// Bitmaps of the criteria the index can decide: met exactly when the firm is in them.
	exact := make([][]*roaring.Bitmap, len(req.Criteria))
	for i, c := range req.Criteria {
		if field, value, ok := indexCriterion(c); ok {
			exact[i] = make([]*roaring.Bitmap, len(v.segs))
			for s := range v.segs {
				exact[i][s] = roaring.And(v.segs[s].anyOf(field, []string{value}), v.segs[s].snap.DocNumbersLive())
			}
		}
	}
	cands := make([]*roaring.Bitmap, len(v.segs))
	for s := range v.segs {
		var req []*roaring.Bitmap
		for _, i := range required {
			if exact[i] != nil {
				req = append(req, exact[i][s])
			}
		}
		cands[s] = atLeast(v.segs[s].snap.DocNumbersLive(), req, q.NearMisses && len(required) >= 2)
	}

	// Text relevance of the candidates.
	textScores := map[rankedDoc]float64{}
	var text *textQuery
	var textMatched []*roaring.Bitmap
	if cleanText(req.Text) != "" {
		g := ix.glossaryFor(ref)
		known := func(field, term string) bool { return v.hasTerm(ctx, field, term) }
		if plan := ix.plan(ix.idx.Mapping(), g, req.Text, known); plan != nil {
			plan.relaxed = plan.required() >= 2
			text = buildTextQuery(plan, false)
			r := &ranking{v: v, order: byScore, k: MaxMatchCandidates}
			var top *ranking
			if textMatched, top, err = v.scan(ctx, ix.idx.Mapping(), text, true, cands, r); err != nil {
				return nil, err
			}
			for _, d := range top.docs {
				textScores[rankedDoc{seg: d.seg, local: d.local}] = d.score
			}
		}
	}
	// Without required criteria a firm must score something: match the text or a preferred
	// criterion. Preferred criteria the index cannot decide (equipment, distance, a mention in
	// the text) leave every firm a candidate.
	if len(required) == 0 {
		for s := range v.segs {
			var union []*roaring.Bitmap
			open := false
			for i, c := range req.Criteria {
				switch {
				case exact[i] != nil && !partlyPossible(c):
					union = append(union, exact[i][s])
				default:
					open = true
				}
			}
			if textMatched != nil {
				union = append(union, textMatched[s])
			}
			if !open {
				cands[s] = roaring.And(cands[s], roaring.FastOr(union...))
			}
		}
	}

	// What the index knows of each candidate: the weight of preferred criteria it surely meets
	// (prefer) and the most it could score (bound), counting in full those the index cannot
	// decide and at half those it could partly meet outside their bitmaps.
	hasText := text != nil
	var list []candidate
	var best float64
	for s := range v.segs {
		it := cands[s].Iterator()
		for it.HasNext() {
			d := rankedDoc{seg: s, local: it.Next()}
			c := candidate{doc: d, text: textScores[d]}
			var could float64
			for i, cr := range req.Criteria {
				switch {
				case cr.Required:
				case exact[i] == nil:
					could += cr.Weight
				case exact[i][s].Contains(d.local):
					c.prefer += cr.Weight
				case partlyPossible(cr):
					could += cr.Weight / 2
				}
			}
			c.bound = c.prefer + could
			best = max(best, c.text)
			list = append(list, c)
		}
	}
	for i := range list {
		var rel float64
		if best > 0 {
			rel = list[i].text / best
		}
		list[i].bound = Score(list[i].bound, preferWeight, rel, hasText)
	}

	// When the index decides every required criterion exactly, every candidate is a full match
	// and only as many need judging as can reach the page asked for: candidates are judged best
	// bound first, until the last place of the page scores more than any candidate left could.
	// The same holds without required criteria when each candidate surely meets a preferred one
	// and there is no text. Otherwise (near misses, criteria the index cannot decide) the
	// candidates are judged in full, at most MaxMatchCandidates of them.
	pruned := !q.NearMisses
	for i, c := range req.Criteria {
		switch {
		case c.Required && exact[i] == nil:
			pruned = false
		case len(required) == 0 && (hasText || exact[i] == nil || partlyPossible(c)):
			pruned = false
		}
	}
	out := &MatchResult{Page: q.Page, PerPage: q.PerPage}
	if pruned {
		slices.SortFunc(list, func(a, b candidate) int {
			if c := cmp.Compare(b.bound, a.bound); c != 0 {
				return c
			}
			return cmp.Compare(b.text, a.text)
		})
	} else {
		slices.SortStableFunc(list, func(a, b candidate) int {
			if c := cmp.Compare(b.prefer, a.prefer); c != 0 {
				return c
			}
			return cmp.Compare(b.text, a.text)
		})
		if len(list) > MaxMatchCandidates {
			list, out.Truncated = list[:MaxMatchCandidates], true
		}
	}

	order := func(a, b MatchedSupplier) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		if c := cmp.Compare(b.TextScore, a.TextScore); c != 0 {
			return c
		}
		if c := cmp.Compare(sortKey(a.Firm.DisplayName(q.Lang)), sortKey(b.Firm.DisplayName(q.Lang))); c != 0 {
			return c
		}
		return cmp.Compare(a.Firm.TaxCode, b.Firm.TaxCode)
	}
	e := &evaluator{ref: ref, concept: ix.builderFor(ref).matcher, lang: q.Lang, now: ix.opt.now()}
	var full, near []MatchedSupplier
	docOf := map[uint]rankedDoc{}
	need := q.Page * q.PerPage
	step := 500
	if pruned {
		step = max(need, 50)
	}
	dropped := 0 // judged candidates that are listed neither as full matches nor as near misses
	for from := 0; from < len(list); from += step {
		if pruned && len(full) >= need {
			slices.SortFunc(full, order)
			if list[from].bound < full[need-1].Score-boundSlack {
				break
			}
		}
		part := list[from:min(from+step, len(list))]
		ids := make([]uint, len(part))
		text := make(map[uint]float64, len(part))
		for i, c := range part {
			id, err := v.segs[c.doc.seg].snap.DocID(uint64(c.doc.local))
			if err != nil {
				return nil, fmt.Errorf("search: read document id: %w", err)
			}
			n, err := strconv.ParseUint(string(id), 10, 64)
			if err != nil {
				return nil, fmt.Errorf("search: document id %q: %w", id, err)
			}
			ids[i] = uint(n)
			text[ids[i]], docOf[ids[i]] = c.text, c.doc
		}
		firms, err := ix.store.FirmsByIDs(ctx, ids)
		if err != nil {
			return nil, err
		}
		dropped += len(ids) - len(firms) // deleted since the index last heard
		for _, f := range firms {
			m := e.judgeFirm(f, req, text[f.ID], best, hasText, preferWeight)
			switch {
			case m.RequiredMet == m.RequiredCount && (len(required) > 0 || m.Score > 0):
				full = append(full, m)
			case q.NearMisses && m.RequiredCount >= 2 && m.RequiredMet == m.RequiredCount-1:
				m.NearMiss = true
				near = append(near, m)
			default:
				dropped++
			}
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	slices.SortFunc(full, order)
	slices.SortFunc(near, order)
	out.Total, out.NearMissTotal = len(full), len(near)
	if pruned {
		out.Total = len(list) - dropped
	}
	all := append(full, near...)
	from := min((q.Page-1)*q.PerPage, len(all))
	out.Suppliers = all[from:min(from+q.PerPage, len(all))]

	if text != nil && len(out.Suppliers) > 0 {
		docs := make([]rankedDoc, len(out.Suppliers))
		for i, m := range out.Suppliers {
			docs[i] = docOf[m.Firm.ID]
		}
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

// judgeFirm evaluates every criterion for f and scores it.
func (e *evaluator) judgeFirm(f *models.Firm, req models.Requirement, text, best float64, hasText bool, preferWeight float64) MatchedSupplier {
	m := MatchedSupplier{Firm: f, Criteria: make([]CriterionResult, len(req.Criteria))}
	var concepts map[string]string
	found := func() map[string]string {
		if concepts == nil {
			concepts = foundConcepts(e.concept, f)
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

// indexCriterion is the column field and value that decide a criterion exactly, if any.
func indexCriterion(c models.Criterion) (field, value string, ok bool) {
	switch c.Kind {
	case models.CriterionSector, models.CriterionProduct, models.CriterionProcess, models.CriterionMaterial,
		models.CriterionCorridor, models.CriterionDistrict, models.CriterionZone, models.CriterionSize,
		models.CriterionOwnership, models.CriterionMarket:
		return string(c.Kind), c.Code, c.Code != ""
	case models.CriterionCert:
		if c.Verified {
			return fieldCertVerified, c.Code, true
		}
		return fieldCert, c.Code, true
	case models.CriterionSPCNCL:
		if c.Year == 0 {
			return fieldSPCNCL, "yes", true
		}
	}
	return "", "", false
}

// partlyPossible reports whether a firm outside a criterion's bitmap may still partly meet it.
func partlyPossible(c models.Criterion) bool {
	switch c.Kind {
	case models.CriterionSector, models.CriterionProduct, models.CriterionProcess, models.CriterionMaterial,
		models.CriterionSize, models.CriterionMarket:
		return true
	case models.CriterionCert:
		return c.Verified
	}
	return false
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
