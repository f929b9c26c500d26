package search

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/store/storetest"
	"github.com/hanoi-cnht/portal/search/lexicon"
)

func ptr[T any](v T) *T { return &v }

// matchFirms are made for the matcher's tests, each differing from the others in a few facts.
func matchFirms(t testing.TB, ref *models.Reference) []*models.Firm {
	t.Helper()
	term := func(code string) models.Term {
		tt, ok := ref.Term(code)
		if !ok {
			t.Fatalf("no term %s", code)
		}
		return tt
	}
	verified := testNow.AddDate(0, -3, 0)
	current, expired := models.DateOf(2027, 5, 1), models.DateOf(2025, 12, 31)
	return []*models.Firm{
		{TaxCode: "0109000001", NameVI: "Công ty Alpha", NameEN: "Alpha Co.", Employees: 150, Ownership: models.OwnershipJointVenture,
			Terms:         []models.Term{term("stamping"), term("machine-part")},
			Certificates:  []models.Certificate{{Standard: "IATF 16949", Expires: current, VerifiedAt: &verified}},
			Sites:         []models.Site{{Address: "Gia Lâm", District: "018", Latitude: ptr(21.02), Longitude: ptr(105.93)}},
			Equipment:     []models.Equipment{{MachineType: "Máy dập từ 60 đến 300 tấn", Count: 10}},
			ExportMarkets: models.StringList{"JP"}},
		{TaxCode: "0109000002", NameVI: "Công ty Beta", Employees: 80,
			Terms:        []models.Term{term("stamping")},
			Certificates: []models.Certificate{{Standard: "IATF 16949", Expires: current}},
			Sites:        []models.Site{{Address: "Đông Anh", Zone: "kcn-thang-long"}},
			Equipment:    []models.Equipment{{MachineType: "Press", Count: 4, Spec: "200 t"}}},
		{TaxCode: "0109000003", NameVI: "Công ty Gamma", Employees: 40,
			DescriptionVI: "Chuyên ép nhựa và dập kim loại.",
			Terms:         []models.Term{term("stamping")},
			Certificates:  []models.Certificate{{Standard: "IATF 16949", Expires: expired, VerifiedAt: &verified}},
			Sites:         []models.Site{{Address: "Gia Lâm", District: "018"}}},
		{TaxCode: "0109000004", NameVI: "Công ty Delta", Employees: 300,
			Terms:        []models.Term{term("cnc-machining")},
			Certificates: []models.Certificate{{Standard: "ISO 9001", Expires: current, VerifiedAt: &verified}},
			Sites:        []models.Site{{Address: "Long Biên", District: "004"}},
			Equipment:    []models.Equipment{{MachineType: "Trung tâm gia công CNC 3–5 trục", Count: 3}}},
		{TaxCode: "0109000005", NameVI: "Công ty Epsilon", NameEN: "Epsilon Ltd", Employees: 120,
			DescriptionVI: "Dập giá đỡ điều hòa không khí cho các hãng điện lạnh.",
			DescriptionEN: "Stamped brackets for air conditioners.",
			Terms:         []models.Term{term("stamping")},
			Certificates: []models.Certificate{{Standard: "IATF 16949", Expires: current, VerifiedAt: &verified},
				{Standard: "ISO 14001", Expires: current, VerifiedAt: &verified}},
			Sites:        []models.Site{{Address: "Mê Linh", District: "250", Zone: "kcn-quang-minh"}},
			Recognitions: []models.Recognition{{Year: 2023, Product: "Giá đỡ điều hòa"}}},
	}
}

// matchIndex is a store holding matchFirms and an index over it.
func matchIndex(t testing.TB) (*Index, map[string]*models.Firm) {
	t.Helper()
	s := storetest.Open(t)
	firms := matchFirms(t, s.Reference())
	if _, err := s.SaveFirms(context.Background(), firms); err != nil {
		t.Fatal(err)
	}
	byName := map[string]*models.Firm{}
	for _, f := range firms {
		byName[f.NameVI[len("Công ty "):]] = f
	}
	return openTestIndex(t, newIndexDir(t), s), byName
}

func resolved(t testing.TB, ref *models.Reference, text string, cs ...models.Criterion) models.Requirement {
	t.Helper()
	r := models.Requirement{Text: text, Criteria: cs}
	if err := r.Resolve(ref); err != nil {
		t.Fatal(err)
	}
	return r
}

func match(t testing.TB, ix *Index, q MatchQuery) (*MatchResult, []string) {
	t.Helper()
	res, err := ix.Match(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range res.Suppliers {
		n := m.Firm.NameVI[len("Công ty "):]
		if m.NearMiss {
			n += "~"
		}
		names = append(names, n)
	}
	return res, names
}

func TestCriterionEvaluation(t *testing.T) {
	ref, err := models.LoadBuiltinReference()
	if err != nil {
		t.Fatal(err)
	}
	entries, err := lexicon.Load()
	if err != nil {
		t.Fatal(err)
	}
	e := &evaluator{ref: ref, concept: NewConceptMatcher(ref, entries), lang: "en", now: testNow}
	firms := map[string]*models.Firm{}
	for _, f := range matchFirms(t, ref) {
		// What the store does on save: corridors from places, certificate states.
		for i := range f.Sites {
			s := &f.Sites[i]
			if z, ok := ref.Zone(s.Zone); ok && s.District == "" {
				s.District = z.Districts[0]
			}
			s.Corridors = ref.DeriveCorridors(s.District, s.Zone)
		}
		for i := range f.Certificates {
			if f.Certificates[i].VerifiedAt != nil {
				f.Certificates[i].State = models.CertVerified
			}
		}
		firms[f.NameVI[len("Công ty "):]] = f
	}
	revoked := *firms["Alpha"]
	revoked.Certificates = []models.Certificate{{Standard: "IATF 16949", State: models.CertRevoked, Expires: models.DateOf(2027, 1, 1)}}
	firms["Revoked"] = &revoked
	firms["Empty"] = &models.Firm{NameVI: "Công ty Empty"}
	firms["AddressOnly"] = &models.Firm{NameVI: "Công ty AddressOnly", Sites: []models.Site{{Address: "Hà Nội"}}}
	ptrs := func(c models.Criterion) models.Criterion {
		r := models.Requirement{Criteria: []models.Criterion{c}}
		if err := r.Resolve(ref); err != nil {
			t.Fatal(err)
		}
		return r.Criteria[0]
	}
	for _, tc := range []struct {
		name   string
		firm   string
		c      models.Criterion
		status Status
		key    string
	}{
		{"ProcessMet", "Alpha", models.Criterion{Kind: "process", Value: "stamping"}, StatusMet, "term_listed"},
		{"ProcessMentionedPartly", "Gamma", models.Criterion{Kind: "process", Value: "injection moulding"}, StatusPartly, "term_mentioned"},
		{"ProcessNotMet", "Delta", models.Criterion{Kind: "process", Value: "stamping"}, StatusNotMet, "term_absent"},
		{"ProcessUnknown", "Empty", models.Criterion{Kind: "process", Value: "stamping"}, StatusUnknown, "profile_silent"},
		{"SectorThroughProduct", "Alpha", models.Criterion{Kind: "sector", Value: "co-khi"}, StatusMet, "term_via_product"},
		{"ProductMet", "Alpha", models.Criterion{Kind: "product", Value: "machine-part"}, StatusMet, "term_listed"},
		{"MaterialNotMet", "Alpha", models.Criterion{Kind: "material", Value: "steel"}, StatusNotMet, "term_absent"},
		{"CertVerifiedMet", "Alpha", models.Criterion{Kind: "cert", Value: "IATF 16949", Verified: true}, StatusMet, "cert_verified_until"},
		{"CertClaimedMet", "Beta", models.Criterion{Kind: "cert", Value: "IATF 16949"}, StatusMet, "cert_claimed_until"},
		{"CertClaimedPartlyWhenVerifiedAsked", "Beta", models.Criterion{Kind: "cert", Value: "IATF 16949", Verified: true}, StatusPartly, "cert_claimed_until"},
		{"CertExpiredNotMet", "Gamma", models.Criterion{Kind: "cert", Value: "IATF 16949"}, StatusNotMet, "cert_expired"},
		{"CertRevokedNotMet", "Revoked", models.Criterion{Kind: "cert", Value: "IATF 16949"}, StatusNotMet, "cert_revoked"},
		{"CertNone", "Delta", models.Criterion{Kind: "cert", Value: "IATF 16949"}, StatusNotMet, "cert_none"},
		{"CorridorMet", "Alpha", models.Criterion{Kind: "corridor", Value: "ql5-hai-phong"}, StatusMet, "site_in"},
		{"CorridorNotMet", "Epsilon", models.Criterion{Kind: "corridor", Value: "ql5-hai-phong"}, StatusNotMet, "sites_elsewhere"},
		{"CorridorUnknown", "Empty", models.Criterion{Kind: "corridor", Value: "ql5-hai-phong"}, StatusUnknown, "no_location"},
		{"CorridorAddressOnlyUnknown", "AddressOnly", models.Criterion{Kind: "corridor", Value: "ql5-hai-phong"}, StatusUnknown, "no_location"},
		{"DistrictAddressOnlyUnknown", "AddressOnly", models.Criterion{Kind: "district", Value: "Gia Lâm"}, StatusUnknown, "no_location"},
		{"DistrictMet", "Beta", models.Criterion{Kind: "district", Value: "Dong Anh"}, StatusMet, "site_in"},
		{"ZoneMet", "Epsilon", models.Criterion{Kind: "zone", Value: "KCN Quang Minh"}, StatusMet, "site_in"},
		{"ZoneNotMet", "Alpha", models.Criterion{Kind: "zone", Value: "KCN Quang Minh"}, StatusNotMet, "sites_elsewhere"},
		{"NearMet", "Alpha", models.Criterion{Kind: "near", Value: "21.03, 105.85, 15"}, StatusMet, "site_km"},
		{"NearPartly", "Alpha", models.Criterion{Kind: "near", Value: "21.03, 105.85, 7"}, StatusPartly, "site_km"},
		{"NearNotMet", "Alpha", models.Criterion{Kind: "near", Value: "21.03, 105.85, 2"}, StatusNotMet, "site_km"},
		{"NearUnknown", "Beta", models.Criterion{Kind: "near", Value: "21.03, 105.85, 20"}, StatusUnknown, "no_coordinates"},
		{"SizeMet", "Alpha", models.Criterion{Kind: "size", Value: "medium"}, StatusMet, "employees"},
		{"SizePartly", "Delta", models.Criterion{Kind: "size", Value: "medium"}, StatusPartly, "employees"},
		{"SizeNotMet", "Gamma", models.Criterion{Kind: "size", Value: "large"}, StatusNotMet, "employees"},
		{"SizeUnknown", "Empty", models.Criterion{Kind: "size", Value: "small"}, StatusUnknown, "employees_unknown"},
		{"OwnershipMet", "Alpha", models.Criterion{Kind: "ownership", Value: "jv"}, StatusMet, "ownership_is"},
		{"OwnershipUnknown", "Beta", models.Criterion{Kind: "ownership", Value: "jv"}, StatusUnknown, "ownership_unknown"},
		{"SPCNCLMet", "Epsilon", models.Criterion{Kind: "spcncl", Value: "yes"}, StatusMet, "spcncl_title"},
		{"SPCNCLOtherYearPartly", "Epsilon", models.Criterion{Kind: "spcncl", Value: "2024"}, StatusPartly, "spcncl_title"},
		{"SPCNCLNotMet", "Alpha", models.Criterion{Kind: "spcncl", Value: ""}, StatusNotMet, "spcncl_none"},
		{"MarketMet", "Alpha", models.Criterion{Kind: "market", Value: "Japan"}, StatusMet, "exports_to"},
		{"MarketElsewherePartly", "Alpha", models.Criterion{Kind: "market", Value: "Korea"}, StatusPartly, "exports_elsewhere"},
		{"MarketUnknown", "Beta", models.Criterion{Kind: "market", Value: "Japan"}, StatusUnknown, "markets_unknown"},
		{"EquipmentMet", "Alpha", models.Criterion{Kind: "equipment", Value: "press ≥ 250 t"}, StatusMet, "machine"},
		{"EquipmentBelow", "Beta", models.Criterion{Kind: "equipment", Value: "press ≥ 250 t"}, StatusNotMet, "machine_below"},
		{"EquipmentAxesMet", "Delta", models.Criterion{Kind: "equipment", Value: "CNC ≥ 5 axes"}, StatusMet, "machine"},
		{"EquipmentUnstated", "Delta", models.Criterion{Kind: "equipment", Value: "CNC ≥ 500 mm"}, StatusUnknown, "machine_unstated"},
		{"EquipmentNoneOfType", "Delta", models.Criterion{Kind: "equipment", Value: "press"}, StatusNotMet, "machine_none"},
		{"EquipmentUnknown", "Gamma", models.Criterion{Kind: "equipment", Value: "press"}, StatusUnknown, "equipment_unknown"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := firms[tc.firm]
			var concepts map[string]string
			r := e.evaluate(f, ptrs(tc.c), func() map[string]string {
				if concepts == nil {
					concepts = foundConcepts(e.concept, f)
				}
				return concepts
			})
			if r.Status != tc.status || len(r.Evidence) == 0 || r.Evidence[0].Key != tc.key {
				t.Fatalf("%s: %s %+v, want %s %s", tc.firm, r.Status, r.Evidence, tc.status, tc.key)
			}
		})
	}
	t.Run("VerifiedEvidenceHasDates", func(t *testing.T) {
		r := e.evaluate(firms["Alpha"], ptrs(models.Criterion{Kind: "cert", Value: "IATF 16949"}), nil)
		args := r.Evidence[0].Args
		if args["Standard"] != "IATF 16949" || args["Until"].(*models.Date).String() != "2027-05-01" {
			t.Fatalf("evidence %+v", args)
		}
		if at, ok := args["Verified"].(time.Time); !ok || at.IsZero() {
			t.Fatalf("verified on %v", args["Verified"])
		}
	})
}

func TestMatchRanking(t *testing.T) {
	ix, _ := matchIndex(t)
	ref := ix.store.Reference()
	stamping := models.Criterion{Kind: "process", Value: "stamping", Required: true}
	iatf := models.Criterion{Kind: "cert", Value: "IATF 16949", Required: true, Verified: true}

	t.Run("RequiredAllMetOnly", func(t *testing.T) {
		res, names := match(t, ix, MatchQuery{Requirement: resolved(t, ref, "", stamping, iatf), Lang: "en"})
		// Beta's certificate is only claimed and Gamma's expired: neither meets "verified".
		slices.Sort(names)
		if res.Total != 2 || !slices.Equal(names, []string{"Alpha", "Epsilon"}) {
			t.Fatalf("total %d, %v", res.Total, names)
		}
		for _, m := range res.Suppliers {
			if m.RequiredMet != 2 || m.RequiredCount != 2 || m.Score != 1 {
				t.Errorf("%s: %d of %d required, score %v", m.Firm.NameVI, m.RequiredMet, m.RequiredCount, m.Score)
			}
		}
	})
	t.Run("PreferredWeightsChangeOrder", func(t *testing.T) {
		corridor := models.Criterion{Kind: "corridor", Value: "Hà Nội – Hải Phòng"}
		env := models.Criterion{Kind: "cert", Value: "ISO 14001"}
		corridor.Weight, env.Weight = 3, 1
		_, names := match(t, ix, MatchQuery{Requirement: resolved(t, ref, "", stamping, iatf, corridor, env), Lang: "en"})
		if !slices.Equal(names, []string{"Alpha", "Epsilon"}) {
			t.Errorf("corridor weighs more: %v", names)
		}
		corridor.Weight, env.Weight = 1, 3
		res, names := match(t, ix, MatchQuery{Requirement: resolved(t, ref, "", stamping, iatf, corridor, env), Lang: "en"})
		if !slices.Equal(names, []string{"Epsilon", "Alpha"}) {
			t.Errorf("ISO 14001 weighs more: %v", names)
		}
		if s := res.Suppliers[0].Score; s != 0.75 {
			t.Errorf("Epsilon's score %v, want 3/4", s)
		}
	})
	t.Run("NearMissesComeAfterAndAreMarked", func(t *testing.T) {
		corridor := models.Criterion{Kind: "corridor", Value: "ql5-hai-phong", Required: true}
		res, names := match(t, ix, MatchQuery{Requirement: resolved(t, ref, "", stamping, iatf, corridor), Lang: "en", NearMisses: true})
		if res.Total != 1 || res.NearMissTotal != 2 || names[0] != "Alpha" {
			t.Fatalf("total %d, near %d, %v", res.Total, res.NearMissTotal, names)
		}
		rest := slices.Clone(names[1:])
		slices.Sort(rest)
		if !slices.Equal(rest, []string{"Epsilon~", "Gamma~"}) {
			t.Fatalf("near misses %v", names)
		}
		_, without := match(t, ix, MatchQuery{Requirement: resolved(t, ref, "", stamping, iatf, corridor), Lang: "en"})
		if !slices.Equal(without, []string{"Alpha"}) {
			t.Fatalf("without near misses: %v", without)
		}
	})
	t.Run("TextRanks", func(t *testing.T) {
		open := stamping
		open.Required = true
		_, names := match(t, ix, MatchQuery{Requirement: resolved(t, ref, "brackets for air conditioners", open), Lang: "en"})
		if len(names) != 4 || names[0] != "Epsilon" {
			t.Fatalf("%v", names)
		}
	})
	t.Run("EquipmentRequired", func(t *testing.T) {
		press := models.Criterion{Kind: "equipment", Value: "máy dập ≥ 250 tấn", Required: true}
		_, names := match(t, ix, MatchQuery{Requirement: resolved(t, ref, "", press), Lang: "vi"})
		if !slices.Equal(names, []string{"Alpha"}) {
			t.Fatalf("%v", names)
		}
	})
	t.Run("PreferredOnlyListsThoseMeetingSomething", func(t *testing.T) {
		jp := models.Criterion{Kind: "market", Value: "JP"}
		_, names := match(t, ix, MatchQuery{Requirement: resolved(t, ref, "", jp), Lang: "en"})
		if !slices.Equal(names, []string{"Alpha"}) {
			t.Fatalf("%v", names)
		}
	})
	t.Run("MissingRequiredNeverAboveAllMet", func(t *testing.T) {
		prefer := models.Criterion{Kind: "cert", Value: "ISO 14001", Weight: 10}
		res, _ := match(t, ix, MatchQuery{Requirement: resolved(t, ref, "", stamping, iatf, prefer), Lang: "en", NearMisses: true})
		seenNear := false
		for _, m := range res.Suppliers {
			if m.NearMiss {
				seenNear = true
			} else if seenNear {
				t.Fatalf("%s meets all required but ranks below a near miss", m.Firm.NameVI)
			}
		}
	})
}
