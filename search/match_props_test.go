package search

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/sample"
	"github.com/hanoi-cnht/portal/models/store"
	"github.com/hanoi-cnht/portal/models/store/storetest"
)

// Properties of matching, checked over many random requirements against the matching suite's
// firms and 250 of the sample generator's (so that both hand-written edge cases and the variety
// of generated profiles are in play).
//
// The rank of a listed supplier is its 1-based position in the whole list a match returns: the
// full matches, then the near misses when asked for. Within each group suppliers are ordered by
// score, then text relevance, then name, then tax code. That order is total, so a tie in score
// does not make two suppliers share a rank: the tie is broken by the later keys, which the
// properties below take into account.

// propRuns is how many random requirements each property is checked on.
const propRuns = 100

// propFixture is a store with the suite's firms and sample firms, an index over it, every firm
// by id, and what random requirements draw their values from.
type propFixture struct {
	ix    *Index
	s     *store.Store
	firms map[uint]*models.Firm
	e     *evaluator
	terms []models.Term
	dists []string
	zones []string
}

func newPropFixture(t *testing.T) *propFixture {
	t.Helper()
	ctx := context.Background()
	s := storetest.Open(t)
	ref := s.Reference()
	firms := append(suiteFirms(t, ref), sample.GenerateAsOf(ref, benchSeed, 0, 250, testNow)...)
	if _, err := s.SaveFirms(ctx, firms); err != nil {
		t.Fatal(err)
	}
	ids := make([]uint, len(firms))
	for i, f := range firms {
		ids[i] = f.ID
	}
	stored, err := s.FirmsByIDs(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	ix := openTestIndex(t, newIndexDir(t), s)
	p := &propFixture{ix: ix, s: s, firms: map[uint]*models.Firm{},
		e: &evaluator{ref: ref, concept: ix.builderFor(ref).matcher, lang: "en", now: testNow}}
	seen := map[string]bool{}
	for _, f := range stored {
		p.firms[f.ID] = f
		for _, tm := range f.Terms {
			if !seen[tm.Code] {
				seen[tm.Code] = true
				p.terms = append(p.terms, tm)
			}
		}
		for _, site := range f.Sites {
			if site.District != "" && !seen["d"+site.District] {
				seen["d"+site.District] = true
				p.dists = append(p.dists, site.District)
			}
			if site.Zone != "" && !seen["z"+site.Zone] {
				seen["z"+site.Zone] = true
				p.zones = append(p.zones, site.Zone)
			}
		}
	}
	slices.SortFunc(p.terms, func(a, b models.Term) int { return cmp.Compare(a.Code, b.Code) })
	slices.Sort(p.dists)
	slices.Sort(p.zones)
	return p
}

var (
	propStandards = []string{"ISO 9001", "IATF 16949", "ISO 14001", "ISO 13485", "AS9100", "ISO 45001", "RoHS", "JIS"}
	propMarkets   = []string{"JP", "KR", "US", "DE", "TH", "CN"}
	propMachines  = []string{"press ≥ 200 t", "máy dập", "CNC ≥ 5 axes", "CNC ≥ 3 trục", "máy ép nhựa ≥ 300 tấn",
		"press brake", "laser", "die casting machine ≥ 500 t"}
	propTexts = []string{"", "", "", "dập", "injection moulding", "khuôn mẫu", "gia công CNC", "bó dây điện", "sơn tĩnh điện"}
)

// randomCriterion is any criterion a buyer could state.
func (p *propFixture) randomCriterion(r *rand.Rand) models.Criterion {
	pick := func(list []string) string { return list[r.IntN(len(list))] }
	var c models.Criterion
	switch r.IntN(12) {
	case 0, 1, 2:
		tm := p.terms[r.IntN(len(p.terms))]
		c = models.Criterion{Kind: models.CriterionKind(tm.Kind), Value: tm.Code}
	case 3, 4:
		c = models.Criterion{Kind: models.CriterionCert, Value: pick(propStandards), Verified: r.IntN(2) == 0}
	case 5:
		c = models.Criterion{Kind: models.CriterionCorridor, Value: p.ix.store.Reference().Corridors[r.IntN(len(p.ix.store.Reference().Corridors))].Code}
	case 6:
		if r.IntN(2) == 0 {
			c = models.Criterion{Kind: models.CriterionDistrict, Value: pick(p.dists)}
		} else {
			c = models.Criterion{Kind: models.CriterionZone, Value: pick(p.zones)}
		}
	case 7:
		c = models.Criterion{Kind: models.CriterionNear, Near: &models.Near{Lat: 20.8 + r.Float64()*0.45,
			Lon: 105.5 + r.Float64()*0.45, Km: float64(3 + r.IntN(25))}}
	case 8:
		if r.IntN(2) == 0 {
			c = models.Criterion{Kind: models.CriterionSize, Value: string(models.SizeBands[r.IntN(len(models.SizeBands))])}
		} else {
			c = models.Criterion{Kind: models.CriterionOwnership, Value: string(models.Ownerships[r.IntN(len(models.Ownerships))])}
		}
	case 9:
		c = models.Criterion{Kind: models.CriterionMarket, Value: pick(propMarkets)}
	case 10:
		c = models.Criterion{Kind: models.CriterionSPCNCL, Value: pick([]string{"yes", "2022", "2019"})}
	default:
		c = models.Criterion{Kind: models.CriterionEquipment, Value: pick(propMachines)}
	}
	c.Required = r.IntN(5) < 2
	c.Weight = []float64{1, 1, 2, 3, 5}[r.IntN(5)]
	return c
}

// randomRequirement has one to six criteria and sometimes text.
func (p *propFixture) randomRequirement(t *testing.T, r *rand.Rand) models.Requirement {
	t.Helper()
	req := models.Requirement{Text: propTexts[r.IntN(len(propTexts))]}
	for range 1 + r.IntN(6) {
		req.Criteria = append(req.Criteria, p.randomCriterion(r))
	}
	if err := req.Resolve(p.s.Reference()); err != nil {
		t.Fatalf("%+v: %v", req, err)
	}
	return req
}

func describe(req models.Requirement) string {
	s := strconv.Quote(req.Text)
	for _, c := range req.Criteria {
		mark := "pref"
		if c.Required {
			mark = "req"
		}
		s += fmt.Sprintf(" [%s %s %s w%g v%t]", mark, c.Kind, c.Value, c.Weight, c.Verified)
	}
	return s
}

// TestMatchPropertyRequiredFirst: a supplier missing a required criterion never ranks above one
// that meets them all. Precisely, for every requirement, with and without near misses:
//   - every supplier listed as a full match has the status met on every required criterion, and
//     every near miss has it on all but one;
//   - no near miss comes before a full match;
//   - the full matches are exactly the firms the criteria judge to meet every required
//     criterion (none is lost by the index's narrowing), or, without required criteria and
//     text, exactly the firms scoring above zero;
//   - a short page is the same slice of the same order as the whole list, with the same totals
//     (however few firms the matcher judges for it).
func TestMatchPropertyRequiredFirst(t *testing.T) {
	p := newPropFixture(t)
	r := rand.New(rand.NewPCG(12, 1))
	for run := range propRuns {
		req := p.randomRequirement(t, r)
		nearMisses := run%2 == 0
		res, all := matchAll(t, p.ix, MatchQuery{Requirement: req, Lang: "en", NearMisses: nearMisses})
		if res.Truncated {
			continue
		}
		fail := func(format string, args ...any) {
			t.Helper()
			t.Fatalf("run %d, %s: %s", run, describe(req), fmt.Sprintf(format, args...))
		}
		// A short page is the same slice of the same order, however few firms it judges.
		for _, page := range []int{1, 3} {
			q := MatchQuery{Requirement: req, Lang: "en", NearMisses: nearMisses, Page: page, PerPage: 7}
			short, err := p.ix.Match(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			want := all[min(len(all), (page-1)*7):min(len(all), page*7)]
			if short.Total != res.Total || short.NearMissTotal != res.NearMissTotal || len(short.Suppliers) != len(want) {
				fail("page %d of 7: totals %d+%d, %d listed; want %d+%d, %d", page, short.Total, short.NearMissTotal,
					len(short.Suppliers), res.Total, res.NearMissTotal, len(want))
			}
			for i := range want {
				if short.Suppliers[i].Firm.ID != want[i].Firm.ID || short.Suppliers[i].Score != want[i].Score {
					fail("page %d of 7, place %d: %s %.4f, want %s %.4f", page, i+1, short.Suppliers[i].Firm.TaxCode,
						short.Suppliers[i].Score, want[i].Firm.TaxCode, want[i].Score)
				}
			}
		}
		listed := map[uint]bool{}
		seenNear := false
		for i, m := range all {
			listed[m.Firm.ID] = true
			missing := 0
			for _, c := range m.Criteria {
				if c.Criterion.Required && c.Status != StatusMet {
					missing++
				}
			}
			switch {
			case m.NearMiss && missing != 1:
				fail("near miss %s at %d misses %d required criteria", m.Firm.TaxCode, i+1, missing)
			case !m.NearMiss && missing != 0:
				fail("%s at %d misses %d required criteria but is listed as a full match", m.Firm.TaxCode, i+1, missing)
			case !m.NearMiss && seenNear:
				fail("%s meets every required criterion but ranks %d, below a near miss", m.Firm.TaxCode, i+1)
			}
			seenNear = seenNear || m.NearMiss
		}

		required := slices.ContainsFunc(req.Criteria, func(c models.Criterion) bool { return c.Required })
		if !required && req.Text != "" {
			continue // the text decides who is listed: nothing to judge without the index
		}
		var preferWeight float64
		for _, c := range req.Criteria {
			if !c.Required {
				preferWeight += c.Weight
			}
		}
		for id, f := range p.firms {
			m := p.e.judgeFirm(f, req, 0, 0, false, preferWeight, nil)
			want := m.RequiredMet == m.RequiredCount && (required || m.Score > 0)
			full := listed[id] && !slices.ContainsFunc(all, func(x MatchedSupplier) bool { return x.Firm.ID == id && x.NearMiss })
			if want != full {
				fail("%s (%s): judged %v (%d of %d required, score %.3f), listed as a full match %v",
					f.TaxCode, f.NameVI, want, m.RequiredMet, m.RequiredCount, m.Score, full)
			}
		}
	}
}

// TestMatchPropertyPreferredNeverLowers: adding a preferred criterion that a supplier meets never
// lowers its rank. Precisely: for a requirement R and a supplier A that R lists, let R' be R with
// one more preferred criterion (of any weight) that A meets. Then R' lists A, A's score under
// R' is at least its score under R, and A's rank under R' is at most its rank under R. Suppliers
// that were below A cannot pass it: their score rises by at most what A's does, and a tie keeps
// the order of text relevance, name and tax code. Suppliers newly listed under R' (without
// required criteria, those that score only on the new criterion) score at most what A does.
func TestMatchPropertyPreferredNeverLowers(t *testing.T) {
	p := newPropFixture(t)
	r := rand.New(rand.NewPCG(12, 2))
	checked := 0
	for run := 0; checked < propRuns && run < propRuns*4; run++ {
		req := p.randomRequirement(t, r)
		nearMisses := r.IntN(2) == 0
		res, before := matchAll(t, p.ix, MatchQuery{Requirement: req, Lang: "vi", NearMisses: nearMisses})
		if res.Truncated || len(before) == 0 {
			continue
		}
		at := r.IntN(len(before))
		a := before[at]
		extra, ok := p.metBy(t, r, a.Firm)
		if !ok {
			continue
		}
		more := req
		more.Criteria = append(slices.Clone(req.Criteria), extra)
		if err := more.Resolve(p.s.Reference()); err != nil {
			t.Fatal(err)
		}
		res2, after := matchAll(t, p.ix, MatchQuery{Requirement: more, Lang: "vi", NearMisses: nearMisses})
		if res2.Truncated {
			continue
		}
		i := slices.IndexFunc(after, func(m MatchedSupplier) bool { return m.Firm.ID == a.Firm.ID })
		if i < 0 {
			t.Fatalf("run %d, %s + %s %s: %s is no longer listed", run, describe(req), extra.Kind, extra.Value, a.Firm.TaxCode)
		}
		b := after[i]
		if st := b.Criteria[len(b.Criteria)-1].Status; st != StatusMet {
			t.Fatalf("run %d: %s was to meet the added %s %s, judged %s", run, a.Firm.TaxCode, extra.Kind, extra.Value, st)
		}
		if b.Score < a.Score || i > at {
			t.Fatalf("run %d, %s + preferred %s %s (weight %g): %s went from rank %d (score %.4f) to rank %d (score %.4f); now above it: %s",
				run, describe(req), extra.Kind, extra.Value, extra.Weight, a.Firm.TaxCode, at+1, a.Score, i+1, b.Score,
				describeFirst(after[:i]))
		}
		checked++
	}
	if checked < propRuns/2 {
		t.Fatalf("only %d requirements checked", checked)
	}
}

func describeFirst(list []MatchedSupplier) string {
	s := ""
	for _, m := range list[:min(len(list), 5)] {
		s += fmt.Sprintf("%s %.4f/%.4f; ", m.Firm.TaxCode, m.Score, m.TextScore)
	}
	return s
}

// metBy is a preferred criterion f meets, drawn from its own profile.
func (p *propFixture) metBy(t *testing.T, r *rand.Rand, f *models.Firm) (models.Criterion, bool) {
	t.Helper()
	var options []models.Criterion
	for _, tm := range f.Terms {
		options = append(options, models.Criterion{Kind: models.CriterionKind(tm.Kind), Value: tm.Code})
	}
	for _, c := range f.Certificates {
		switch c.Status(testNow) {
		case models.CertVerified:
			options = append(options, models.Criterion{Kind: models.CriterionCert, Value: c.Standard, Verified: true})
		case models.CertClaimed:
			options = append(options, models.Criterion{Kind: models.CriterionCert, Value: c.Standard})
		}
	}
	for _, s := range f.Sites {
		if s.District != "" {
			options = append(options, models.Criterion{Kind: models.CriterionDistrict, Value: s.District})
		}
		if s.Zone != "" {
			options = append(options, models.Criterion{Kind: models.CriterionZone, Value: s.Zone})
		}
		for _, co := range s.Corridors {
			options = append(options, models.Criterion{Kind: models.CriterionCorridor, Value: co})
		}
		if s.Latitude != nil {
			options = append(options, models.Criterion{Kind: models.CriterionNear,
				Near: &models.Near{Lat: *s.Latitude + 0.01, Lon: *s.Longitude, Km: 5}})
		}
	}
	if band := f.SizeBand(); band != models.SizeNone {
		options = append(options, models.Criterion{Kind: models.CriterionSize, Value: string(band)})
	}
	if f.Ownership != "" {
		options = append(options, models.Criterion{Kind: models.CriterionOwnership, Value: string(f.Ownership)})
	}
	for _, m := range f.ExportMarkets {
		options = append(options, models.Criterion{Kind: models.CriterionMarket, Value: m})
	}
	if len(f.Recognitions) > 0 {
		options = append(options, models.Criterion{Kind: models.CriterionSPCNCL, Value: strconv.Itoa(f.Recognitions[0].Year)})
	}
	if len(options) == 0 {
		return models.Criterion{}, false
	}
	c := options[r.IntN(len(options))]
	c.Weight = []float64{0.5, 1, 2, 5, 10}[r.IntN(5)]
	return c, true
}
