package search

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/store"
	"github.com/hanoi-cnht/portal/models/store/storetest"
)

// The matching suite (testdata/match, see its README) states requirements over a fixed set of
// firms with the suppliers each must and must not return, the order of some, and the standing
// of some firms on each criterion. The firms and the expectations were written from what the
// criteria mean; they are never tuned to what the matcher returns.

// suiteFirm is a firm of testdata/match/firms.json, written for people rather than for the store.
type suiteFirm struct {
	N             int               `json:"n"`
	NameVI        string            `json:"name_vi"`
	NameEN        string            `json:"name_en"`
	ShortName     string            `json:"short_name"`
	DescriptionVI string            `json:"description_vi"`
	DescriptionEN string            `json:"description_en"`
	Employees     int               `json:"employees"`
	Ownership     string            `json:"ownership"`
	Terms         []string          `json:"terms"`
	FreeTerms     []models.FreeTerm `json:"free_terms"`
	Sites         []struct {
		Address  string   `json:"address"`
		District string   `json:"district"`
		Zone     string   `json:"zone"`
		Lat      *float64 `json:"lat"`
		Lon      *float64 `json:"lon"`
	} `json:"sites"`
	Certs []struct {
		Standard string `json:"standard"`
		Edition  string `json:"edition"`
		State    string `json:"state"` // verified, claimed, rejected or revoked; expiry is by date
		Expires  string `json:"expires"`
	} `json:"certs"`
	Markets []string `json:"markets"`
	SPCNCL  []struct {
		Year    int    `json:"year"`
		Product string `json:"product"`
	} `json:"spcncl"`
	Equipment []struct {
		MachineType string `json:"machine_type"`
		Count       int    `json:"count"`
		Spec        string `json:"spec"`
	} `json:"equipment"`
}

// suiteTaxCode is the tax code of suite firm n.
func suiteTaxCode(n int) string { return fmt.Sprintf("01088001%02d", n) }

// suiteFirms reads testdata/match/firms.json into firms ready to save.
func suiteFirms(t testing.TB, ref *models.Reference) []*models.Firm {
	t.Helper()
	b, err := os.ReadFile("testdata/match/firms.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx []suiteFirm
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatalf("testdata/match/firms.json: %v", err)
	}
	verifiedAt := testNow.AddDate(0, -4, 0)
	firms := make([]*models.Firm, 0, len(fx))
	for _, x := range fx {
		f := &models.Firm{
			TaxCode: suiteTaxCode(x.N), NameVI: x.NameVI, NameEN: x.NameEN, ShortName: x.ShortName,
			DescriptionVI: x.DescriptionVI, DescriptionEN: x.DescriptionEN, Employees: x.Employees,
			Ownership: models.Ownership(x.Ownership), FreeTerms: x.FreeTerms, ExportMarkets: x.Markets,
		}
		for _, code := range x.Terms {
			term, ok := ref.Term(code)
			if !ok {
				t.Fatalf("suite firm %d: no taxonomy term %q", x.N, code)
			}
			f.Terms = append(f.Terms, term)
		}
		for _, s := range x.Sites {
			f.Sites = append(f.Sites, models.Site{Address: s.Address, District: s.District, Zone: s.Zone,
				Latitude: s.Lat, Longitude: s.Lon})
		}
		for _, c := range x.Certs {
			cert := models.Certificate{Standard: c.Standard, Edition: c.Edition}
			if c.Expires != "" {
				if cert.Expires, err = models.ParseDate(c.Expires); err != nil {
					t.Fatalf("suite firm %d: %v", x.N, err)
				}
			}
			switch c.State {
			case "verified":
				cert.State, cert.VerifiedAt = models.CertVerified, &verifiedAt
			case "claimed":
				cert.State = models.CertClaimed
			case "rejected":
				cert.State = models.CertRejected
			case "revoked":
				cert.State = models.CertRevoked
			default:
				t.Fatalf("suite firm %d: certificate state %q", x.N, c.State)
			}
			f.Certificates = append(f.Certificates, cert)
		}
		for _, r := range x.SPCNCL {
			f.Recognitions = append(f.Recognitions, models.Recognition{Year: r.Year, Product: r.Product})
		}
		for _, e := range x.Equipment {
			f.Equipment = append(f.Equipment, models.Equipment{MachineType: e.MachineType, Count: e.Count, Spec: e.Spec})
		}
		firms = append(firms, f)
	}
	return firms
}

// suiteIndex is a store holding the suite's firms and an index over it, with the firm number of
// each stored id.
func suiteIndex(t testing.TB) (*Index, *store.Store, map[uint]int) {
	t.Helper()
	s := storetest.Open(t)
	firms := suiteFirms(t, s.Reference())
	if _, err := s.SaveFirms(context.Background(), firms); err != nil {
		t.Fatal(err)
	}
	num := map[uint]int{}
	for i, f := range firms {
		num[f.ID] = i + 1
	}
	return openTestIndex(t, newIndexDir(t), s), s, num
}

// suiteRequirement is a requirement of testdata/match/requirements.json with what it must return.
type suiteRequirement struct {
	ID         string `json:"id"`
	About      string `json:"about"`
	Lang       string `json:"lang"`
	Text       string `json:"text"`
	NearMisses bool   `json:"near_misses"`
	Criteria   []struct {
		Kind     string  `json:"kind"`
		Value    string  `json:"value"`
		Required bool    `json:"required"`
		Weight   float64 `json:"weight"`
		Verified bool    `json:"verified"`
	} `json:"criteria"`
	// Exact: the full matches are exactly Must.
	Exact    bool  `json:"exact"`
	Must     []int `json:"must"`
	MustNot  []int `json:"must_not"`
	NearMiss []int `json:"near_miss"`
	// Top fill the first places, in any order; each pair of Order ranks its first above its second.
	Top      []int               `json:"top"`
	Order    [][2]int            `json:"order"`
	Statuses map[string][]Status `json:"statuses"`
}

func readSuiteRequirements(t *testing.T) []suiteRequirement {
	t.Helper()
	b, err := os.ReadFile("testdata/match/requirements.json")
	if err != nil {
		t.Fatal(err)
	}
	var out []suiteRequirement
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("testdata/match/requirements.json: %v", err)
	}
	return out
}

func (sr suiteRequirement) requirement(t *testing.T, ref *models.Reference) models.Requirement {
	t.Helper()
	req := models.Requirement{Text: sr.Text}
	for _, c := range sr.Criteria {
		req.Criteria = append(req.Criteria, models.Criterion{Kind: models.CriterionKind(c.Kind), Value: c.Value,
			Required: c.Required, Weight: c.Weight, Verified: c.Verified})
	}
	if err := req.Resolve(ref); err != nil {
		t.Fatalf("%s: %v", sr.ID, err)
	}
	return req
}

// matchAll returns every supplier a match lists, reading all its pages.
func matchAll(t testing.TB, ix *Index, q MatchQuery) (*MatchResult, []MatchedSupplier) {
	t.Helper()
	q.PerPage = MaxPerPage
	var all []MatchedSupplier
	for q.Page = 1; ; q.Page++ {
		res, err := ix.Match(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, res.Suppliers...)
		if len(all) >= res.Total+res.NearMissTotal || len(res.Suppliers) == 0 {
			return res, all
		}
	}
}

func TestMatchSuite(t *testing.T) {
	ix, s, num := suiteIndex(t)
	ref := s.Reference()
	reqs := readSuiteRequirements(t)
	if len(reqs) < 30 {
		t.Fatalf("the suite has %d requirements, fewer than 30", len(reqs))
	}
	stored, err := s.FirmsByIDs(context.Background(), slices.Collect(func(yield func(uint) bool) {
		for id := range num {
			if !yield(id) {
				return
			}
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	firmOf := map[int]*models.Firm{}
	for _, f := range stored {
		firmOf[num[f.ID]] = f
	}
	e := &evaluator{ref: ref, concept: ix.builderFor(ref).matcher, now: testNow}

	for _, sr := range reqs {
		t.Run(sr.ID, func(t *testing.T) {
			req := sr.requirement(t, ref)
			res, all := matchAll(t, ix, MatchQuery{Requirement: req, Lang: sr.Lang, NearMisses: sr.NearMisses})
			var full, near []int
			pos := map[int]int{}
			standing := map[int][]Status{}
			for i, m := range all {
				n := num[m.Firm.ID]
				pos[n] = i
				for _, c := range m.Criteria {
					standing[n] = append(standing[n], c.Status)
				}
				if m.NearMiss {
					near = append(near, n)
				} else {
					full = append(full, n)
				}
			}
			if res.Total != len(full) || res.NearMissTotal != len(near) {
				t.Errorf("totals %d and %d, listed %d and %d", res.Total, res.NearMissTotal, len(full), len(near))
			}
			t.Logf("%s: full %v near %v", sr.About, full, near)
			for _, n := range sr.Must {
				if !slices.Contains(full, n) {
					t.Errorf("firm %d must be matched", n)
				}
			}
			if sr.Exact && len(full) != len(sr.Must) {
				t.Errorf("matched %v, want exactly %v", full, sr.Must)
			}
			for _, n := range sr.MustNot {
				if slices.Contains(full, n) || slices.Contains(near, n) {
					t.Errorf("firm %d must not be listed", n)
				}
			}
			for _, n := range sr.NearMiss {
				if !slices.Contains(near, n) {
					t.Errorf("firm %d must be a near miss", n)
				}
			}
			if sr.NearMisses && len(near) != len(sr.NearMiss) {
				t.Errorf("near misses %v, want %v", near, sr.NearMiss)
			}
			for _, n := range sr.Top {
				if i, ok := pos[n]; !ok || i >= len(sr.Top) {
					t.Errorf("firm %d must be among the first %d, is at %d of %v", n, len(sr.Top), i+1, full)
				}
			}
			for _, o := range sr.Order {
				a, okA := pos[o[0]]
				b, okB := pos[o[1]]
				if !okA || !okB || a > b {
					t.Errorf("firm %d must rank above firm %d: %v", o[0], o[1], full)
				}
			}
			for key, want := range sr.Statuses {
				n, _ := strconv.Atoi(key)
				got, listed := standing[n]
				if !listed {
					// A firm the match leaves out is judged as the match would judge it.
					e.lang = sr.Lang
					m := e.judgeFirm(firmOf[n], req, 0, 0, false, 0, nil)
					for _, c := range m.Criteria {
						got = append(got, c.Status)
					}
				}
				if !slices.Equal(got, want) {
					t.Errorf("firm %d (listed %v): statuses %v, want %v", n, listed, got, want)
				}
			}
		})
	}
}

// TestCertificateFilterCountsOnlyStandingCertificates: a certificate the Department rejected or
// revoked does not put a firm under its standard, in the search filter as in matching.
func TestCertificateFilterCountsOnlyStandingCertificates(t *testing.T) {
	ix, _, num := suiteIndex(t)
	for _, tc := range []struct {
		standard string
		firm     int
	}{{"ISO 9001", 33}, {"IATF 16949", 5}} {
		res, err := ix.Search(context.Background(), Query{Filters: Filters{Cert: []string{tc.standard}}, PerPage: MaxPerPage})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 {
			t.Fatalf("%s: no firm", tc.standard)
		}
		for _, h := range res.Hits {
			if num[h.ID] == tc.firm {
				t.Errorf("%s: firm %d is listed on a certificate the Department %s", tc.standard, tc.firm,
					map[int]string{33: "rejected", 5: "revoked"}[tc.firm])
			}
		}
	}
}
