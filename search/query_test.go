package search

import (
	"context"
	"errors"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hanoi-cnht/portal/models"
)

func testReference(t *testing.T) *models.Reference {
	t.Helper()
	ref, err := models.LoadBuiltinReference()
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

func TestParseQuery(t *testing.T) {
	ref := testReference(t)
	tests := []struct {
		name string
		raw  string
		want Query
	}{
		{"Defaults", "", Query{Lang: "vi", Sort: SortRelevance, Page: 1, PerPage: DefaultPerPage}},
		{"TextAndPaging", "q=khu%C3%B4n+m%E1%BA%ABu&lang=en&sort=name&page=3&per_page=50",
			Query{Text: "khuôn mẫu", Lang: "en", Sort: SortName, Page: 3, PerPage: 50}},
		{"RepeatedFilterMeansSeveralValues", "sector=co-khi&sector=dien-tu&sector=co-khi",
			Query{Lang: "vi", Sort: SortRelevance, Page: 1, PerPage: DefaultPerPage, Filters: Filters{Sector: []string{"co-khi", "dien-tu"}}}},
		{"EveryFilter", "product=mould-die&process=stamping&material=steel&cert=ISO+9001&verified=1&corridor=ql5-hai-phong" +
			"&district=017&zone=kcn-thang-long&size=small&size=medium&ownership=fdi&spcncl=true&market=JP",
			Query{Lang: "vi", Sort: SortRelevance, Page: 1, PerPage: DefaultPerPage, Filters: Filters{
				Product: []string{"mould-die"}, Process: []string{"stamping"}, Material: []string{"steel"},
				Cert: []string{"ISO 9001"}, Verified: true, Corridor: []string{"ql5-hai-phong"}, District: []string{"017"},
				Zone: []string{"kcn-thang-long"}, Size: []string{"small", "medium"}, Ownership: []string{"fdi"},
				SPCNCL: true, Market: []string{"JP"}}}},
		{"DistrictByNameOrSlug", "district=dong-anh&district=Gia+L%C3%A2m",
			Query{Lang: "vi", Sort: SortRelevance, Page: 1, PerPage: DefaultPerPage, Filters: Filters{District: []string{"017", "018"}}}},
		{"CertSpelledLoosely", "cert=iso9001&market=Japan",
			Query{Lang: "vi", Sort: SortRelevance, Page: 1, PerPage: DefaultPerPage, Filters: Filters{Cert: []string{"ISO 9001"}, Market: []string{"JP"}}}},
		{"EmptyValuesIgnored", "sector=&verified=&spcncl=0&page=",
			Query{Lang: "vi", Sort: SortRelevance, Page: 1, PerPage: DefaultPerPage}},
		{"QueryTextCleaned", "q=%20%20c%C6%A1%09kh%C3%AD%00%20", Query{Text: "cơ khí", Lang: "vi", Sort: SortRelevance, Page: 1, PerPage: DefaultPerPage}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			values, err := url.ParseQuery(tt.raw)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseQuery(values, ref)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseQueryErrors(t *testing.T) {
	ref := testReference(t)
	tests := []struct {
		name, raw, param string
	}{
		{"PerPageZero", "per_page=0", "per_page"},
		{"PerPageHuge", "per_page=10000", "per_page"},
		{"PageNegative", "page=-1", "page"},
		{"PageGarbage", "page=abc", "page"},
		{"PageBeyondWindow", "page=600&per_page=20", "page"},
		{"UnknownSort", "sort=price", "sort"},
		{"UnknownLang", "lang=fr", "lang"},
		{"UnknownSector", "sector=spaceships", "sector"},
		{"ProcessCodeAsSector", "sector=stamping", "sector"},
		{"UnknownCert", "cert=ISO+99999", "cert"},
		{"UnknownDistrict", "district=999", "district"},
		{"UnknownZone", "zone=kcn-atlantis", "zone"},
		{"UnknownCorridor", "corridor=silk-road", "corridor"},
		{"UnknownSize", "size=huge", "size"},
		{"UnknownOwnership", "ownership=cooperative", "ownership"},
		{"UnknownMarket", "market=XX", "market"},
		{"BadBool", "verified=maybe", "verified"},
		{"BadSPCNCL", "spcncl=2", "spcncl"},
		{"HostileFilterValue", "sector=%3Cscript%3E" + strings.Repeat("x", 5000), "sector"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			values, err := url.ParseQuery(tt.raw)
			if err != nil {
				t.Fatal(err)
			}
			_, err = ParseQuery(values, ref)
			var pe *ParamError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a *ParamError", err)
			}
			if pe.Param != tt.param {
				t.Errorf("error names %q, want %q (%v)", pe.Param, tt.param, err)
			}
			if !strings.Contains(pe.Error(), tt.param) || utf8.RuneCountInString(pe.Error()) > 200 {
				t.Errorf("message %q should name the parameter and stay short", pe.Error())
			}
		})
	}
}

func TestHostileText(t *testing.T) {
	ix, s, ids := fixtureIndex(t)
	ctx := context.Background()
	tests := []struct {
		name, text string
		wantFirm   int // a fixture firm that must be found, 0 for none in particular
	}{
		{"QueryStringSyntax", "+name:x^9", 0},
		{"QueryStringSyntaxAroundWords", "+khuôn -mẫu", 2},
		{"QueryStringSyntaxWithField", "+khuôn -mẫu name:*", 0},
		{"FieldSyntax", `description_vi:"khuôn" OR tax_code:0106000024`, 0},
		{"UnbalancedQuotes", `"khuôn mẫu`, 2},
		{"BalancedQuotes", `"khuôn mẫu"`, 2},
		{"SmartQuotes", "“injection moulding”", 16},
		{"VeryLong", strings.Repeat("khuôn mẫu ", 500), 2},
		{"VeryLongNoSpaces", strings.Repeat("x", 5000), 0},
		{"Punctuation", "!!! ??? ((( ]]] ^^^ ~~~ ***", 0},
		{"OnlyStopWords", "the and of", 0},
		{"ControlCharacters", "khuôn\x00mẫu\x1b[31m", 0},
		{"InvalidUTF8", "khu\xffôn m\xfe\xffẫu", 0},
		{"Regexp", "/.*/ [a TO z] {1 TO 5}", 0},
		{"Wildcards", "kh*n m?u", 0},
		{"Backslashes", `\\\"\\`, 0},
		{"HTML", "<script>alert(1)</script>", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ix.Search(ctx, Query{Text: tt.text, PerPage: 20})
			if err != nil {
				t.Fatalf("search %q: %v", clip(tt.text), err)
			}
			if tt.wantFirm != 0 && !slices.ContainsFunc(res.Hits, func(h Hit) bool { return h.ID == ids[tt.wantFirm] }) {
				t.Errorf("firm %d not found: %v", tt.wantFirm, taxCodes(t, s, res.Hits))
			}
		})
	}
	t.Run("TextIsCapped", func(t *testing.T) {
		got := cleanText(strings.Repeat("khuôn mẫu ", 500))
		if n := utf8.RuneCountInString(got); n > MaxTextRunes || n < MaxTextRunes-20 {
			t.Errorf("cleaned text has %d runes", n)
		}
		if strings.HasSuffix(got, " ") || !strings.HasSuffix(got, "mẫu") && !strings.HasSuffix(got, "khuôn") {
			t.Errorf("text should be cut at a word boundary: …%q", got[len(got)-12:])
		}
	})
	t.Run("QuotedPhraseIsStricter", func(t *testing.T) {
		loose, err := ix.Search(ctx, Query{Text: "dập khuôn"})
		if err != nil {
			t.Fatal(err)
		}
		phrase, err := ix.Search(ctx, Query{Text: `"khuôn dập"`})
		if err != nil {
			t.Fatal(err)
		}
		if phrase.Total == 0 || phrase.Total > loose.Total {
			t.Errorf("phrase found %d, loose words %d", phrase.Total, loose.Total)
		}
	})
	t.Run("HandBuiltQueryLimits", func(t *testing.T) {
		res, err := ix.Search(ctx, Query{Text: "khuôn", Page: -4, PerPage: 100000, Sort: "bogus", Lang: "xx"})
		if err != nil {
			t.Fatal(err)
		}
		if res.Page != 1 || res.PerPage != MaxPerPage {
			t.Errorf("page %d per page %d", res.Page, res.PerPage)
		}
	})
}
