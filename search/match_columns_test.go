package search

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/hanoi-cnht/portal/models"
)

// TestMatchIndexAgreesWithProfiles: every criterion the index decides for a firm has the
// status the firm's own profile gives it (met, partly, or neither), over the suite's firms and
// sample firms, for random criteria of every kind, for the suite's requirements and the
// benchmark's. The ranking trusts the index; the page shown is judged from the profiles.
func TestMatchIndexAgreesWithProfiles(t *testing.T) {
	p := newPropFixture(t)
	ref := p.s.Reference()
	r := rand.New(rand.NewPCG(7, 3))
	var criteria []models.Criterion
	for range 400 {
		criteria = append(criteria, p.randomCriterion(r))
	}
	for _, sr := range readSuiteRequirements(t) {
		criteria = append(criteria, sr.requirement(t, ref).Criteria...)
	}
	for _, br := range benchRequirements {
		br.Criteria = append([]models.Criterion(nil), br.Criteria...)
		if err := br.Resolve(ref); err != nil {
			t.Fatal(err)
		}
		criteria = append(criteria, br.Criteria...)
	}
	var req models.Requirement
	for from := 0; from < len(criteria); from += 20 {
		part := models.Requirement{Criteria: criteria[from:min(from+20, len(criteria))]}
		if err := part.Resolve(ref); err != nil {
			t.Fatal(err)
		}
		req.Criteria = append(req.Criteria, part.Criteria...)
	}

	ix := p.ix
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	v, err := ix.columns.view(ix.idx)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	mcs, err := ix.matchColumns.of(v)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for s, sv := range v.segs {
		sets := make([]criterionSets, len(req.Criteria))
		for i, c := range req.Criteria {
			sets[i] = setsOf(sv, mcs[s], c)
		}
		it := sv.snap.DocNumbersLive().Iterator()
		for it.HasNext() {
			d := it.Next()
			id, err := sv.snap.DocID(uint64(d))
			if err != nil {
				t.Fatal(err)
			}
			n, _ := strconv.ParseUint(string(id), 10, 64)
			f := p.firms[uint(n)]
			if f == nil {
				t.Fatalf("document %s is no firm of the fixture", id)
			}
			if got := mcs[s].taxCode[d]; got != f.TaxCode {
				t.Errorf("%s: tax code %q in the index, %q in the profile", f.TaxCode, got, f.TaxCode)
			}
			m := p.e.judgeFirm(f, req, 0, 0, false, 0, nil)
			for i, c := range req.Criteria {
				want := m.Criteria[i].Status
				if want == StatusUnknown {
					want = StatusNotMet
				}
				got := StatusNotMet
				switch {
				case sets[i].met.Contains(d):
					got = StatusMet
				case sets[i].partly.Contains(d):
					got = StatusPartly
				}
				if got != want {
					t.Errorf("%s (%s) on [%s %s v%t]: index says %s, profile %s (%v)", f.TaxCode, f.NameVI,
						c.Kind, c.Value, c.Verified, got, m.Criteria[i].Status, m.Criteria[i].Evidence)
				}
				checked++
			}
		}
	}
	if checked == 0 {
		t.Fatal("nothing checked")
	}
	t.Logf("%d firm × criterion pairs agree", checked)
}
