package search

import (
	"context"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/store/storetest"
)

func search(t *testing.T, ix *Index, q Query) *Result {
	t.Helper()
	res, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// facetCount is the count of value in facet, and whether the value is listed.
func facetCount(res *Result, facet, value string) (int, bool) {
	for _, v := range res.Facets[facet] {
		if v.Value == value {
			return v.Count, true
		}
	}
	return 0, false
}

func TestFacets(t *testing.T) {
	ix, _, _ := fixtureIndex(t)
	all := search(t, ix, Query{})

	t.Run("OrWithinAFacet", func(t *testing.T) {
		a := search(t, ix, Query{Filters: Filters{District: []string{"017"}}})
		b := search(t, ix, Query{Filters: Filters{District: []string{"250"}}})
		both := search(t, ix, Query{Filters: Filters{District: []string{"017", "250"}}})
		if a.Total == 0 || b.Total == 0 || both.Total != a.Total+b.Total {
			t.Errorf("017: %d, 250: %d, either: %d", a.Total, b.Total, both.Total)
		}
	})
	t.Run("AndAcrossFacets", func(t *testing.T) {
		district := search(t, ix, Query{Filters: Filters{District: []string{"017"}}})
		process := search(t, ix, Query{Filters: Filters{Process: []string{"injection-moulding"}}})
		both := search(t, ix, Query{Filters: Filters{District: []string{"017"}, Process: []string{"injection-moulding"}}})
		if both.Total == 0 || both.Total >= district.Total || both.Total >= process.Total {
			t.Errorf("017: %d, injection: %d, both: %d", district.Total, process.Total, both.Total)
		}
		// The process facet under a district filter counts only that district's firms.
		if n, _ := facetCount(district, FacetProcess, "injection-moulding"); n != both.Total {
			t.Errorf("injection-moulding counted %d in 017, want %d", n, both.Total)
		}
	})
	t.Run("OwnFilterDoesNotNarrowOwnCounts", func(t *testing.T) {
		res := search(t, ix, Query{Filters: Filters{District: []string{"017"}}})
		for _, v := range all.Facets[FacetDistrict] {
			n, ok := facetCount(res, FacetDistrict, v.Value)
			if !ok || n != v.Count {
				t.Errorf("district %s counted %d (listed %v) under its own filter, %d without", v.Value, n, ok, v.Count)
			}
		}
		if n, _ := facetCount(res, FacetDistrict, "017"); n != res.Total {
			t.Errorf("the selected district counts %d, the results are %d", n, res.Total)
		}
		for _, v := range res.Facets[FacetDistrict] {
			if v.Selected != (v.Value == "017") {
				t.Errorf("district %s selected = %v", v.Value, v.Selected)
			}
		}
	})
	t.Run("CountsFollowOtherFiltersAndText", func(t *testing.T) {
		res := search(t, ix, Query{Text: "injection moulding", Filters: Filters{District: []string{"250"}, Sector: []string{"co-khi"}}})
		// District counts: the text and the sector filter, not the district filter.
		ref := search(t, ix, Query{Text: "injection moulding", Filters: Filters{Sector: []string{"co-khi"}}})
		for _, v := range ref.Facets[FacetDistrict] {
			if n, _ := facetCount(res, FacetDistrict, v.Value); n != v.Count {
				t.Errorf("district %s: %d, want %d", v.Value, n, v.Count)
			}
		}
		// Size counts: everything, since size has no filter.
		sum := 0
		for _, v := range res.Facets[FacetSize] {
			sum += v.Count
		}
		if sum != res.Total {
			t.Errorf("size counts add to %d, results %d", sum, res.Total)
		}
	})
	t.Run("SelectedValueListedAtZero", func(t *testing.T) {
		res := search(t, ix, Query{Text: "khuôn mẫu", Filters: Filters{District: []string{"282"}, Market: []string{"FR"}}})
		for _, c := range []struct{ facet, value string }{{FacetDistrict, "282"}, {FacetMarket, "FR"}} {
			found := false
			for _, v := range res.Facets[c.facet] {
				if v.Value == c.value {
					found = v.Selected
				}
			}
			if !found {
				t.Errorf("selected %s %s missing from %+v", c.facet, c.value, res.Facets[c.facet])
			}
		}
	})
	t.Run("OrderedByCountThenLabel", func(t *testing.T) {
		for _, facet := range Facets {
			vals := all.Facets[facet]
			for i := 1; i < len(vals); i++ {
				a, b := vals[i-1], vals[i]
				if a.Count < b.Count || a.Count == b.Count && models.FoldKey(a.Label) > models.FoldKey(b.Label) {
					t.Errorf("%s: %+v before %+v", facet, a, b)
				}
			}
		}
	})
	t.Run("LabelsInTheQueryLanguage", func(t *testing.T) {
		en := search(t, ix, Query{Lang: "en"})
		vi := search(t, ix, Query{Lang: "vi"})
		for _, c := range []struct{ facet, value, en, vi string }{
			{FacetDistrict, "017", "Dong Anh", "Đông Anh"},
			{FacetSize, "micro", "Micro (≤10)", "Siêu nhỏ (≤10)"},
			{FacetOwnership, "fdi", "Foreign-invested (FDI)", "Vốn đầu tư nước ngoài (FDI)"},
			{FacetMarket, "JP", "Japan", "Nhật Bản"},
			{FacetSector, "co-khi", "Mechanical engineering", "Cơ khí chế tạo"},
			{FacetCert, "ISO 9001", "ISO 9001", "ISO 9001"},
		} {
			for _, l := range []struct {
				res  *Result
				want string
			}{{en, c.en}, {vi, c.vi}} {
				got := ""
				for _, v := range l.res.Facets[c.facet] {
					if v.Value == c.value {
						got = v.Label
					}
				}
				if got != l.want {
					t.Errorf("%s %s label %q, want %q", c.facet, c.value, got, l.want)
				}
			}
		}
	})
	t.Run("ProductImpliesSector", func(t *testing.T) {
		// Firm 10 lists only a product (fasteners) whose sector is mechanical engineering.
		res := search(t, ix, Query{Text: "bu lông ốc vít", Filters: Filters{Sector: []string{"co-khi"}}})
		if res.Total == 0 {
			t.Error("a firm listing only a product should match its sector")
		}
	})
	t.Run("VerifiedCertificates", func(t *testing.T) {
		claimed := search(t, ix, Query{Filters: Filters{Cert: []string{"ISO 9001"}}})
		verified := search(t, ix, Query{Filters: Filters{Cert: []string{"ISO 9001"}, Verified: true}})
		if verified.Total == 0 || verified.Total >= claimed.Total {
			t.Errorf("ISO 9001: %d held, %d verified", claimed.Total, verified.Total)
		}
		// Firm 6's verified ISO 9001 expired in 2024: it counts in neither.
		anyVerified := search(t, ix, Query{Filters: Filters{Verified: true}})
		if n, _ := facetCount(anyVerified, FacetCert, "ISO 9001"); n != verified.Total {
			t.Errorf("verified ISO 9001 counted %d, filter finds %d", n, verified.Total)
		}
	})
	t.Run("SPCNCL", func(t *testing.T) {
		if res := search(t, ix, Query{Filters: Filters{SPCNCL: true}}); res.Total != 2 {
			t.Errorf("%d firms with a key product recognition, want 2", res.Total)
		}
	})
}

func TestHighlights(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	long := strings.Repeat("Công ty chuyên sản xuất linh kiện cơ khí cho ngành ô tô và xe máy. ", 12)
	firms := []*models.Firm{
		{TaxCode: "0109999101", NameVI: "Công ty TNHH Khuôn Chữ Đỏ",
			DescriptionVI: `<script>alert("x")</script> Chế tạo khuôn mẫu chính xác & đồ gá <b>đẹp</b>.`,
			DescriptionEN: `<img src=x onerror=alert(1)> Precision MOULDS & fixtures.`},
		{TaxCode: "0109999102", NameVI: "Công ty TNHH Dài Dòng",
			DescriptionVI: long + "Nhận gia công khuôn mẫu chính xác. " + long},
		{TaxCode: "0109999103", NameVI: "Công ty TNHH Tổ Hợp",
			DescriptionVI: norm.NFD.String("Khuôn mẫu ép nhựa chính xác cho điện tử, Đông Anh.")},
	}
	if _, err := s.SaveFirms(ctx, firms); err != nil {
		t.Fatal(err)
	}
	ix := openTestIndex(t, newIndexDir(t), s)
	for _, text := range []string{"khuôn mẫu chính xác", "khuon mau", "precision moulds", "KHUÔN"} {
		t.Run(text, func(t *testing.T) {
			res := search(t, ix, Query{Text: text})
			if len(res.Hits) == 0 {
				t.Fatal("no hits")
			}
			marked := 0
			for _, h := range res.Hits {
				for _, sn := range h.Highlights {
					frag := sn.Text
					marked++
					if !utf8.ValidString(frag) {
						t.Errorf("invalid UTF-8 in %q", frag)
					}
					if !strings.Contains(frag, "<mark>") {
						t.Errorf("a highlight without a match: %q", frag)
					}
					rest := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(frag)
					if strings.ContainsAny(rest, "<>") {
						t.Errorf("unescaped markup besides <mark>: %q", frag)
					}
					if strings.Contains(frag, "<mark></mark>") {
						t.Errorf("empty mark in %q", frag)
					}
				}
			}
			if marked == 0 {
				t.Error("no highlighted snippet")
			}
		})
	}
	t.Run("EscapesScript", func(t *testing.T) {
		res := search(t, ix, Query{Text: "khuôn mẫu"})
		joined := snippetText(res)
		if !strings.Contains(joined, "&lt;script&gt;") || strings.Contains(joined, "<script>") {
			t.Errorf("script tag not escaped: %q", joined)
		}
		if !strings.Contains(joined, "<mark>khuôn mẫu</mark>") && !strings.Contains(joined, "<mark>khuôn</mark> <mark>mẫu</mark>") {
			t.Errorf("the matched words are not marked as written: %q", joined)
		}
	})
	t.Run("WhenSortedByName", func(t *testing.T) {
		res := search(t, ix, Query{Text: "khuôn mẫu", Sort: SortName})
		if len(res.Hits) == 0 || len(res.Hits[0].Highlights) == 0 {
			t.Errorf("no snippets when sorted by name: %+v", res.Hits)
		}
	})
	t.Run("SaysItsLanguage", func(t *testing.T) {
		langs := map[string]string{}
		for _, text := range []string{"precision moulds", "khuôn mẫu"} {
			for _, h := range search(t, ix, Query{Text: text}).Hits {
				for _, sn := range h.Highlights {
					langs[sn.Text] = sn.Lang
				}
			}
		}
		var en, vi int
		for text, lang := range langs {
			switch {
			case strings.Contains(text, "MOULDS"):
				en++
				if lang != "en" {
					t.Errorf("%q from the English description says %q", text, lang)
				}
			case strings.Contains(text, "khuôn") || strings.Contains(text, "Khuôn"):
				vi++
				if lang != "vi" {
					t.Errorf("%q from a Vietnamese description says %q", text, lang)
				}
			}
		}
		if en == 0 || vi == 0 {
			t.Errorf("snippets in English %d, in Vietnamese %d; want both", en, vi)
		}
	})
	t.Run("KeepsCase", func(t *testing.T) {
		res := search(t, ix, Query{Text: "precision moulds"})
		if joined := snippetText(res); !strings.Contains(joined, "Precision") || !strings.Contains(joined, "<mark>MOULDS</mark>") {
			t.Errorf("snippets should show the text as written: %q", joined)
		}
	})
}

// snippetText joins the text of every snippet of res, one a line.
func snippetText(res *Result) string {
	var all []string
	for _, h := range res.Hits {
		for _, sn := range h.Highlights {
			all = append(all, sn.Text)
		}
	}
	return strings.Join(all, "\n")
}

func TestSuggest(t *testing.T) {
	ix, _, _ := fixtureIndex(t)
	ctx := context.Background()
	tests := []struct {
		name, text, lang string
		want             Suggestion
	}{
		{"TermPrefixWithDiacritics", "khuôn m", "vi", Suggestion{Text: "Khuôn mẫu", Kind: "product", Value: "mould-die"}},
		{"TermPrefixWithoutDiacritics", "khuon m", "vi", Suggestion{Text: "Khuôn mẫu", Kind: "product", Value: "mould-die"}},
		{"TermInEnglish", "injection", "en", Suggestion{Text: "Injection moulding", Kind: "process", Value: "injection-moulding"}},
		{"EnglishWordVietnameseLabel", "powder", "vi", Suggestion{Text: "Sơn tĩnh điện", Kind: "process", Value: "powder-coating"}},
		{"FirmByLaterWord", "tan ph", "vi", Suggestion{Text: "Công ty TNHH Cơ khí Chính xác Tân Phát", Kind: "firm", Value: "tan-phat"}},
		{"FirmInEnglish", "sao mai", "en", Suggestion{Text: "Sao Mai Electronics Co., Ltd", Kind: "firm", Value: "dien-tu-sao-mai"}},
		{"FirmFolded", "PHUONG DONG", "vi", Suggestion{Text: "Công ty TNHH Bó dây Phương Đông", Kind: "firm", Value: "bo-day-phuong-dong"}},
		{"Sector", "co kh", "vi", Suggestion{Text: "Cơ khí chế tạo", Kind: "sector", Value: "co-khi"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ix.Suggest(ctx, tt.text, tt.lang, 8)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(got, tt.want) {
				t.Errorf("%q: %+v lacks %+v", tt.text, got, tt.want)
			}
			if len(got) > 8 {
				t.Errorf("%d suggestions, asked for 8", len(got))
			}
		})
	}
	t.Run("Nothing", func(t *testing.T) {
		for _, text := range []string{"", "   ", "!!!", "zzzzqqq"} {
			got, err := ix.Suggest(ctx, text, "vi", 5)
			if err != nil || len(got) != 0 {
				t.Errorf("%q: %+v, %v", text, got, err)
			}
		}
	})
	t.Run("HostileInput", func(t *testing.T) {
		if _, err := ix.Suggest(ctx, strings.Repeat("a*", 3000)+"\xff", "vi", 5); err != nil {
			t.Error(err)
		}
	})
}

func TestSortAndPaging(t *testing.T) {
	ix, s, _ := fixtureIndex(t)
	ctx := context.Background()
	t.Run("PagesDoNotOverlap", func(t *testing.T) {
		seen := map[uint]bool{}
		total := 0
		for page := 1; ; page++ {
			res := search(t, ix, Query{Text: "công ty", Page: page, PerPage: 7})
			total = res.Total
			if len(res.Hits) == 0 {
				break
			}
			for _, h := range res.Hits {
				if seen[h.ID] {
					t.Fatalf("firm %d on two pages", h.ID)
				}
				seen[h.ID] = true
			}
		}
		if len(seen) != total {
			t.Errorf("paged through %d of %d", len(seen), total)
		}
	})
	firmsOf := func(res *Result) []*models.Firm {
		ids := make([]uint, len(res.Hits))
		for i, h := range res.Hits {
			ids[i] = h.ID
		}
		firms, err := s.FirmsByIDs(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		return firms
	}
	t.Run("ByName", func(t *testing.T) {
		firms := firmsOf(search(t, ix, Query{Sort: SortName, PerPage: 100}))
		for i := 1; i < len(firms); i++ {
			if a, b := sortKey(firms[i-1].NameVI), sortKey(firms[i].NameVI); a > b {
				t.Errorf("%q before %q", a, b)
			}
		}
	})
	t.Run("BySize", func(t *testing.T) {
		firms := firmsOf(search(t, ix, Query{Text: "nhựa", Sort: SortSize, PerPage: 100}))
		for i := 1; i < len(firms); i++ {
			if firms[i-1].Employees < firms[i].Employees {
				t.Errorf("%d employees before %d", firms[i-1].Employees, firms[i].Employees)
			}
		}
	})
	t.Run("ByUpdated", func(t *testing.T) {
		f, err := s.FirmByTaxCode(ctx, fixtureTaxCode(30))
		if err != nil {
			t.Fatal(err)
		}
		f.Employees++
		if err := s.SaveFirm(ctx, f); err != nil {
			t.Fatal(err)
		}
		res := search(t, ix, Query{Sort: SortUpdated, PerPage: 3})
		if len(res.Hits) == 0 || res.Hits[0].ID != f.ID {
			t.Errorf("the firm updated last should come first: %v", res.Hits)
		}
	})
	t.Run("ExactNameFirst", func(t *testing.T) {
		res := search(t, ix, Query{Text: "Công ty TNHH Cơ khí Đông Anh"})
		if got := taxCodes(t, s, res.Hits[:1]); got[0] != fixtureTaxCode(52) {
			t.Errorf("first hit %v, want the firm of that exact name", got)
		}
	})
	t.Run("TaxCodeFirst", func(t *testing.T) {
		res := search(t, ix, Query{Text: fixtureTaxCode(7)})
		if res.Total != 1 || taxCodes(t, s, res.Hits)[0] != fixtureTaxCode(7) {
			t.Errorf("tax code search: %v", taxCodes(t, s, res.Hits))
		}
	})
	t.Run("Suggestion", func(t *testing.T) {
		res := search(t, ix, Query{Text: "electroplatting"})
		if res.Suggestion != "electroplating" || res.Total == 0 {
			t.Errorf("suggestion %q with %d results", res.Suggestion, res.Total)
		}
	})
}
