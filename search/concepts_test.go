package search

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/store/storetest"
	"github.com/hanoi-cnht/portal/search/lexicon"
)

func testMatcher(t *testing.T) *ConceptMatcher {
	t.Helper()
	entries, err := lexicon.Load()
	if err != nil {
		t.Fatal(err)
	}
	return NewConceptMatcher(testReference(t), entries)
}

// hitConcepts lists the concepts of hits, and the English side of the lexicon entries without one.
func hitConcepts(hits []ConceptHit) []string {
	var out []string
	for _, h := range hits {
		c := h.Concept
		if c == "" {
			c = "en:" + h.Entry.EN
		}
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

func TestConceptMatcher(t *testing.T) {
	m := testMatcher(t)
	tests := []struct {
		name, text, lang string
		want, notWant    []string
	}{
		{"ImportCellGivesProcessAndMaterial", "Ép phun nhựa kỹ thuật", "",
			[]string{"injection-moulding", "engineering-plastic"}, nil},
		{"CompoundInWrittenOrder", "ép đùn nhôm", "vi", []string{"extrusion"}, nil},
		{"CompoundInOtherOrder", "đùn ép nhôm định hình", "vi", []string{"extrusion"}, nil},
		{"PartAndWhatItIsFor", "linh kiện cao su cho máy nông nghiệp", "",
			[]string{"rubber-part", "co-khi"}, nil},
		{"WithoutDiacritics", "ma kem nhung nong", "", []string{"galvanizing"}, nil},
		{"OtherDiacriticsAreAnotherWord", "má phanh xe máy", "vi", nil, []string{"plating"}},
		{"BritishSpellingAndPlural", "rubber moulds", "en", []string{"mould-die"}, nil},
		{"AmericanSpellingAndPlural", "rubber molds", "en", []string{"mould-die"}, nil},
		{"InflectedEnglishBesideOtherWords", "plastic injection molded housings", "en",
			[]string{"injection-moulding"}, nil},
		{"StemAloneDoesNotJoinDifferentWords", "threshing machines", "en", nil, []string{"cnc-machining"}},
		{"PunctuationEndsAPhrase", "bó, dây điện", "vi", []string{"wire-cable"}, []string{"wire-harness"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := hitConcepts(m.MatchLang(tt.text, tt.lang))
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("%q: %v, want %s among them", tt.text, got, w)
				}
			}
			for _, w := range tt.notWant {
				if slices.Contains(got, w) {
					t.Errorf("%q: %v, want no %s", tt.text, got, w)
				}
			}
		})
	}
	t.Run("SpanIsTheMatchedWords", func(t *testing.T) {
		text := "Xưởng đùn ép nhôm định hình cho nhà máy"
		for _, h := range m.Match(text) {
			if h.Concept == "extrusion" && h.Kind == HitTerm {
				if got := text[h.Start:h.End]; got != "đùn ép nhôm" && got != "nhôm định hình" {
					t.Errorf("span %q", got)
				}
				if h.Lang != "vi" {
					t.Errorf("lang %q, want vi", h.Lang)
				}
				return
			}
		}
		t.Errorf("no extrusion term in %+v", m.Match(text))
	})
	t.Run("EnglishTextIsNotReadAsVietnamese", func(t *testing.T) {
		for _, h := range m.MatchLang("We have more than 20 years in the trade", "en") {
			if h.Lang == "vi" {
				t.Errorf("Vietnamese phrase %q found in English text", h.Entry)
			}
		}
	})
}

// conceptFirms are firms that say what they do only in their own words.
func conceptFirms(t *testing.T) (*Index, map[string]uint) {
	t.Helper()
	ctx := context.Background()
	s := storetest.Open(t)
	firms := map[string]*models.Firm{
		"vi-only": {TaxCode: "0109990001", NameVI: "Công ty TNHH Cơ khí Hòa An",
			DescriptionVI: "Nhận làm phụ tùng máy nông nghiệp; đùn ép nhôm định hình cho cửa và tản nhiệt."},
		"en-only": {TaxCode: "0109990002", NameVI: "Công ty TNHH Bình An",
			DescriptionEN: "We make rubber molds and injection molded housings for appliance makers."},
		"other": {TaxCode: "0109990004", NameVI: "Công ty TNHH May mặc Hồng Lam",
			DescriptionVI: "May áo sơ mi và quần âu xuất khẩu."},
	}
	ids := map[string]uint{}
	for name, f := range firms {
		f.Sites = []models.Site{{District: "017"}}
		if err := s.SaveFirm(ctx, f); err != nil {
			t.Fatal(err)
		}
		ids[name] = f.ID
	}
	return openTestIndex(t, newIndexDir(t), s), ids
}

// TestIndexLendsItsConceptMatcher: an import reads cells with the very matcher documents are
// built with, made once per version of the reference data.
func TestIndexLendsItsConceptMatcher(t *testing.T) {
	ix, s, _ := fixtureIndex(t)
	m := ix.ConceptMatcher(s.Reference())
	if m != ix.builderFor(s.Reference()).matcher || ix.ConceptMatcher(s.Reference()) != m {
		t.Fatal("the index made another matcher for the same reference data")
	}
	if got := hitConcepts(m.Match("Ép phun nhựa kỹ thuật")); !slices.Contains(got, "engineering-plastic") {
		t.Errorf("concepts = %v", got)
	}
}

func TestConceptsFoundInFirmsText(t *testing.T) {
	ix, ids := conceptFirms(t)
	tests := []struct {
		name, query string
		want        string
	}{
		{"EnglishFindsVietnameseDescription", "agricultural machinery", "vi-only"},
		{"EnglishFindsCompoundInOtherOrder", "aluminium extrusion", "vi-only"},
		{"AmericanSpellingFindsIt", "aluminum extrusions", "vi-only"},
		{"VietnameseFindsEnglishDescription", "khuôn cao su", "en-only"},
		{"BritishSpellingFindsAmericanText", "injection moulding", "en-only"},
		{"VietnameseWithoutDiacriticsFindsEnglish", "ep phun", "en-only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := hitIDs(t, ix, tt.query)
			if !slices.Contains(got, ids[tt.want]) {
				t.Errorf("%q: %v, want firm %d (%s)", tt.query, got, ids[tt.want], tt.want)
			}
			if slices.Contains(got, ids["other"]) {
				t.Errorf("%q found the garment maker", tt.query)
			}
		})
	}
	t.Run("ConceptsWeighBetweenTermsAndPlainWords", func(t *testing.T) {
		boost := func(fields []fieldBoost, name string) float64 {
			for _, f := range fields {
				if f.field == name {
					return f.boost
				}
			}
			t.Fatalf("%s is not searched", name)
			return 0
		}
		if boostFound >= boostGlossary {
			t.Errorf("a concept found weighs %g, one assigned %g", float64(boostFound), float64(boostGlossary))
		}
		for _, fs := range []struct {
			fields                 []fieldBoost
			concepts, terms, plain string
		}{
			{foldedFields, fieldConcepts, fieldTerms, fieldDescriptionVI},
			{stemmedFields, fieldConceptsEN, fieldTermsEN, fieldDescriptionEN},
		} {
			c, tm, p := boost(fs.fields, fs.concepts), boost(fs.fields, fs.terms), boost(fs.fields, fs.plain)
			if c >= tm || c < p {
				t.Errorf("%s weighs %g: want less than %s (%g), no less than %s (%g)", fs.concepts, c, fs.terms, tm, fs.plain, p)
			}
		}
	})
}

func TestUnknownWordKeepsTheRest(t *testing.T) {
	ix, s, ids := fixtureIndex(t)
	ctx := context.Background()
	tests := []struct {
		name, query, without string
		first                int
	}{
		{"EnglishWordNoFirmWrote", "wire harness vendors", "wire harness", 24},
		{"TwoWordsOneUnknown", "electroplating workshops", "electroplating", 4},
		{"VietnameseWordNoFirmWrote", "đúc gang xyzquv", "đúc gang", 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			with, err := ix.Search(ctx, Query{Text: tt.query})
			if err != nil {
				t.Fatal(err)
			}
			without, err := ix.Search(ctx, Query{Text: tt.without})
			if err != nil {
				t.Fatal(err)
			}
			if with.Total == 0 || with.Total != without.Total {
				t.Fatalf("%q found %d firms, %q %d", tt.query, with.Total, tt.without, without.Total)
			}
			if with.Hits[0].ID != ids[tt.first] {
				t.Errorf("%q: first %v, want fixture %d", tt.query, taxCodes(t, s, with.Hits[:1]), tt.first)
			}
		})
	}
	t.Run("FirmCoveringMoreOfTheQueryRanksFirst", func(t *testing.T) {
		// No firm has both words with the third: those with two rank above those with one.
		res, err := ix.Search(ctx, Query{Text: "die casting aluminium brackets"})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 || res.Hits[0].ID != ids[7] {
			t.Errorf("first %v, want the aluminium die caster (fixture 7)", taxCodes(t, s, res.Hits))
		}
	})
}

func TestFirmNameRanksFirst(t *testing.T) {
	ix, s, ids := fixtureIndex(t)
	tests := []struct {
		name, query string
		firm        int
	}{
		{"ShortName", "Tân Phát", 1},
		{"NameWithoutDiacritics", "bac ha sheet metal", 11},
		{"TwoSyllablesFromTheMiddle", "Kỹ thuật Sông Hồng", 18},
		{"EnglishName", "Sao Mai Electronics", 22},
		{"TradeWordsAndName", "Cao su Hà Việt", 30},
		{"NameAfterLegalForm", "Công ty TNHH Đèn LED Ánh Dương", 27},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := hitIDs(t, ix, tt.query)
			if len(got) == 0 || got[0] != ids[tt.firm] {
				t.Errorf("%q: first of %v, want fixture %d", tt.query, taxCodes(t, s, hitsOf(got)), tt.firm)
			}
		})
	}
	t.Run("TaxCodeGoesToItsFirm", func(t *testing.T) {
		got := hitIDs(t, ix, fixtureTaxCode(13))
		if len(got) == 0 || got[0] != ids[13] {
			t.Errorf("tax code: %v", got)
		}
	})
}

func hitsOf(ids []uint) []Hit {
	out := make([]Hit, len(ids))
	for i, id := range ids {
		out[i] = Hit{ID: id}
	}
	return out
}

// TestExplanationsAgreeWithScoring checks every match a hit lists against the firm itself, and
// that each listed reason is one the query asked for.
func TestExplanationsAgreeWithScoring(t *testing.T) {
	ix, s, _ := fixtureIndex(t)
	ctx := context.Background()
	ref := s.Reference()
	m := ix.builderFor(ref).matcher
	stems := func(s string) []string {
		var out []string
		for _, tok := range ix.idx.Mapping().AnalyzerNamed(AnalyzerEN).Analyze([]byte(s)) {
			out = append(out, string(tok.Term))
		}
		return out
	}
	for _, q := range []string{"injection moulding", "ép nhựa", "wire harness", "co khi chinh xac", "Tân Phát",
		"aluminium die casting", "rubber gaskets", "stamping vendors"} {
		t.Run(q, func(t *testing.T) {
			res, err := ix.Search(ctx, Query{Text: q})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) == 0 {
				t.Fatal("nothing found")
			}
			for _, h := range res.Hits {
				firms, err := s.FirmsByIDs(ctx, []uint{h.ID})
				if err != nil {
					t.Fatal(err)
				}
				f := firms[0]
				if len(h.Matched) == 0 {
					t.Errorf("%s: no reason given", f.NameVI)
				}
				for _, mt := range h.Matched {
					if !explains(m, ref, stems, f, q, mt) {
						t.Errorf("%s: %+v does not hold", f.NameVI, mt)
					}
				}
			}
		})
	}
	t.Run("NoTextNoReasons", func(t *testing.T) {
		res, err := ix.Search(ctx, Query{Filters: Filters{Sector: []string{"co-khi"}}})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			if len(h.Matched) > 0 {
				t.Errorf("firm %d: %+v without query text", h.ID, h.Matched)
			}
		}
	})
	t.Run("AssignedTermIsGiven", func(t *testing.T) {
		res, err := ix.Search(ctx, Query{Text: "injection moulding"})
		if err != nil {
			t.Fatal(err)
		}
		want := Match{Kind: MatchConcept, Label: "Injection moulding", Field: MatchFieldTerm, Source: SourceAssigned}
		for _, h := range res.Hits {
			firms, _ := s.FirmsByIDs(ctx, []uint{h.ID})
			if slices.ContainsFunc(firms[0].Terms, func(t models.Term) bool { return t.Code == "injection-moulding" }) &&
				!slices.Contains(h.Matched, want) {
				t.Errorf("%s is filed under injection moulding; matched %+v", firms[0].NameVI, h.Matched)
			}
		}
	})
}

// explains reports whether firm f really has what mt says, for query q; stems analyses English.
func explains(m *ConceptMatcher, ref *models.Reference, stems func(string) []string, f *models.Firm, q string, mt Match) bool {
	fold := func(s string) string { return models.FoldKey(s) }
	if mt.Kind == MatchWord {
		// The words come from the query.
		for _, w := range strings.Fields(fold(mt.Label)) {
			if !strings.Contains(fold(q), w) {
				return false
			}
		}
		switch mt.Field {
		case MatchFieldName:
			names := fold(f.NameVI + " " + f.NameEN + " " + f.ShortName)
			return strings.Contains(names, fold(mt.Label)) || fold(mt.Label) == fold(q) ||
				len(stems(mt.Label)) > 0 && slices.Contains(stems(f.NameEN), stems(mt.Label)[0])
		case MatchFieldDescription:
			d := f.DescriptionVI
			if mt.Source == SourceENDescription {
				d = f.DescriptionEN
			}
			return d != ""
		}
		return mt.Field == MatchFieldTerm
	}
	var code string
	for _, term := range ref.Terms {
		if term.LabelVI == mt.Label || term.LabelEN == mt.Label {
			code = term.Code
		}
	}
	if code == "" {
		return false
	}
	found := func(text, lang string) bool {
		return slices.ContainsFunc(m.MatchLang(text, lang), func(h ConceptHit) bool { return h.Concept == code })
	}
	switch mt.Source {
	case SourceAssigned:
		// A product is filed under its sector too.
		return slices.ContainsFunc(f.Terms, func(t models.Term) bool { return t.Code == code || t.Parent == code })
	case SourceVIDescription:
		return found(f.DescriptionVI, "vi")
	case SourceENDescription:
		return found(f.DescriptionEN, "en")
	case SourceName:
		return found(f.NameVI, "vi") || found(f.NameEN, "en") || found(f.ShortName, "vi")
	case SourceOwnWords:
		return slices.ContainsFunc(f.FreeTerms, func(ft models.FreeTerm) bool { return found(ft.Text, "") })
	}
	return false
}

// TestNamedEntryRanksFirst: a query naming a lexicon entry ranks the firm whose text names that
// entry above firms that have only its words apart or a broader entry, and says so.
func TestNamedEntryRanksFirst(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	firms := map[string]*models.Firm{
		"distribution": {TaxCode: "0109990011", NameVI: "Công ty CP Thiết bị điện Sông Đà",
			DescriptionVI: "Chế tạo máy biến áp phân phối ba pha kiểu dầu."},
		"pulse": {TaxCode: "0109990012", NameVI: "Công ty TNHH Linh kiện Ánh Sao",
			DescriptionVI: "Quấn biến áp xung, cuộn cảm cho bộ nguồn; phân phối linh kiện điện tử."},
	}
	ids := map[string]uint{}
	for name, f := range firms {
		f.Sites = []models.Site{{District: "017"}}
		if err := s.SaveFirm(ctx, f); err != nil {
			t.Fatal(err)
		}
		ids[name] = f.ID
	}
	ix := openTestIndex(t, newIndexDir(t), s)
	res, err := ix.Search(ctx, Query{Text: "distribution transformers", Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 || res.Hits[0].ID != ids["distribution"] {
		t.Fatalf("hits %+v, want the distribution transformer maker (%d) first", res.Hits, ids["distribution"])
	}
	want := Match{Kind: MatchWord, Label: "distribution transformers", Field: MatchFieldTerm, Source: SourceTranslated}
	if !slices.Contains(res.Hits[0].Matched, want) {
		t.Errorf("matched %+v, want %+v", res.Hits[0].Matched, want)
	}
	t.Run("KeyIgnoresNumberAndSpelling", func(t *testing.T) {
		for _, pair := range [][2]string{{"Injection Moulds", "injection mold"}, {"bearings", "bearing"}, {"hot-dip galvanising", "hot dip galvanizing"}} {
			if a, b := entryKeyOf(pair[0]), entryKeyOf(pair[1]); a != b {
				t.Errorf("keys %q and %q differ", a, b)
			}
		}
	})
}
