package exchange

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/store"
	"github.com/hanoi-cnht/portal/models/store/storetest"
	"github.com/hanoi-cnht/portal/search"
	"github.com/hanoi-cnht/portal/search/lexicon"
)

// searchConcepts is the finder the app wires in: the search index's concept matcher.
type searchConcepts struct{ m *search.ConceptMatcher }

func (c searchConcepts) FindConcepts(_ *models.Reference, text string) []ConceptSpan {
	var out []ConceptSpan
	for _, h := range c.m.Match(text) {
		if h.Concept != "" {
			out = append(out, ConceptSpan{Code: h.Concept, Start: h.Start, End: h.End})
		}
	}
	return out
}

func conceptsOf(t testing.TB, s *store.Store) ConceptFinder {
	t.Helper()
	entries, err := lexicon.Load()
	if err != nil {
		t.Fatal(err)
	}
	return searchConcepts{search.NewConceptMatcher(s.Reference(), entries)}
}

func mappingAt(rep *ImportReport, row int, column string) *CellMapping {
	for i, m := range rep.Mappings {
		if m.Row == row && m.Column == column {
			return &rep.Mappings[i]
		}
	}
	return nil
}

func mappedCodes(m *CellMapping) []string {
	var out []string
	for _, t := range m.Terms {
		out = append(out, t.Code)
	}
	slices.Sort(out)
	return out
}

func TestImportMapsCellsToConcepts(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, column, cell string
		// terms are the firm's term codes by kind; free its free text by kind.
		terms map[models.TermKind][]string
		free  map[models.TermKind][]string
		// mapped are the codes the report maps the cell to; nil when the cell is no mapping.
		mapped []string
		// warning is part of the warning on the cell's row and column; "" for none.
		warning string
	}{
		{
			name: "SynonymNamingTwoConcepts", column: "processes", cell: "Ép phun nhựa kỹ thuật",
			terms:  map[models.TermKind][]string{models.KindProcess: {"injection-moulding"}, models.KindMaterial: {"engineering-plastic"}},
			mapped: []string{"engineering-plastic", "injection-moulding"},
		},
		{
			name: "TwoConceptsInOneEntry", column: "processes", cell: "sơn tĩnh điện và mạ kẽm",
			terms:  map[models.TermKind][]string{models.KindProcess: {"powder-coating", "plating"}},
			mapped: []string{"plating", "powder-coating"},
		},
		{
			name: "MaterialInTheProcessColumn", column: "processes", cell: "Dập, hàn thép tấm",
			terms:  map[models.TermKind][]string{models.KindProcess: {"stamping", "welding"}, models.KindMaterial: {"steel"}},
			mapped: []string{"stamping", "steel", "welding"},
		},
		{
			name: "WordOrderVariant", column: "processes", cell: "Đùn ép nhôm",
			terms:  map[models.TermKind][]string{models.KindProcess: {"extrusion"}},
			mapped: []string{"extrusion"},
		},
		{
			name: "EnglishPluralAndBritishSpelling", column: "products", cell: "Aluminium die castings",
			terms:  map[models.TermKind][]string{models.KindProcess: {"die-casting"}, models.KindProduct: {"casting-part"}},
			mapped: []string{"casting-part", "die-casting"},
		},
		{
			name: "LeftoverWordsKeptAsFreeText", column: "products", cell: "Khuôn mẫu chính xác cao cho ô tô; Gia công đặc biệt",
			terms:   map[models.TermKind][]string{models.KindProduct: {"mould-die"}, models.KindSector: {"o-to"}},
			free:    map[models.TermKind][]string{models.KindProduct: {"Gia công đặc biệt"}},
			mapped:  []string{"mould-die", "o-to"},
			warning: "not in the taxonomy",
		},
		{
			name: "LeftoverInsideAnEntry", column: "products", cell: "Hộp số xe máy Zetaflex",
			terms:   map[models.TermKind][]string{models.KindProduct: {"drivetrain", "motorcycle-part"}},
			free:    map[models.TermKind][]string{models.KindProduct: {"Zetaflex"}},
			mapped:  []string{"drivetrain", "motorcycle-part"},
			warning: "“Zetaflex” matched no taxonomy term",
		},
		{
			name: "FillerIsNotKept", column: "products", cell: "Sản xuất các loại linh kiện máy bay không người lái",
			terms:  map[models.TermKind][]string{models.KindProduct: {"aerospace-part"}},
			mapped: []string{"aerospace-part"},
		},
		{
			name: "LabelIsItsTermAlone", column: "products", cell: "Khuôn mẫu",
			terms: map[models.TermKind][]string{models.KindProduct: {"mould-die"}},
		},
		{
			name: "QuotedIsFreeText", column: "products", cell: `"Linh kiện máy bay không người lái"`,
			free: map[models.TermKind][]string{models.KindProduct: {"Linh kiện máy bay không người lái"}},
		},
		{
			name: "NothingNamed", column: "processes", cell: "Gia công đặc biệt",
			free:    map[models.TermKind][]string{models.KindProcess: {"Gia công đặc biệt"}},
			warning: "not in the taxonomy",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := storetest.Open(t)
			file := "tax_code,name_vi," + tc.column + "\n0101234567,Công ty A,\"" + strings.ReplaceAll(tc.cell, `"`, `""`) + "\"\n"
			rep, err := Import(ctx, s, strings.NewReader(file), "a.csv", ImportOptions{Concepts: conceptsOf(t, s)})
			if err != nil {
				t.Fatal(err, rep.Problems)
			}
			f := mustFirm(t, s, "0101234567")
			for _, kind := range models.TermKinds {
				if got, want := f.TermCodes(kind), tc.terms[kind]; !slices.Equal(got, want) {
					t.Errorf("%s terms = %v, want %v", kind, got, want)
				}
				if got, want := f.FreeTerms.Texts(kind), tc.free[kind]; !slices.Equal(got, want) {
					t.Errorf("%s free text = %q, want %q", kind, got, want)
				}
			}
			m := mappingAt(rep, 2, tc.column)
			switch {
			case tc.mapped == nil && m != nil:
				t.Errorf("the cell was reported as mapped: %+v", m)
			case tc.mapped != nil && m == nil:
				t.Errorf("no mapping reported; mappings %+v", rep.Mappings)
			case m != nil && !slices.Equal(mappedCodes(m), tc.mapped):
				t.Errorf("mapped to %v, want %v", mappedCodes(m), tc.mapped)
			}
			if tc.warning == "" && len(rep.Warnings) > 0 {
				t.Errorf("warnings %v", rep.Warnings)
			}
			if tc.warning != "" && !hasProblem(rep.Warnings, RowProblem{Row: 2, Column: tc.column, Reason: tc.warning}) {
				t.Errorf("no warning %q at row 2, %s: %v", tc.warning, tc.column, rep.Warnings)
			}
		})
	}
}

func TestImportReportsWhatEachCellMapsTo(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	file := "tax_code,name_vi,processes,materials\n" +
		"0101234567,Công ty A,CNC,Thép\n" +
		"0109876543,Công ty B,Ép phun nhựa kỹ thuật 50-500 tấn,\n"
	rep, err := Import(ctx, s, strings.NewReader(file), "a.csv", ImportOptions{DryRun: true, Concepts: conceptsOf(t, s)})
	if err != nil {
		t.Fatal(err, rep.Problems)
	}
	if len(rep.Mappings) != 1 {
		t.Fatalf("mappings = %+v; want only row 3's process cell (row 2 names terms by label)", rep.Mappings)
	}
	m := rep.Mappings[0]
	if m.Row != 3 || m.Column != "processes" || m.Value != "Ép phun nhựa kỹ thuật 50-500 tấn" {
		t.Errorf("mapping at row %d, %s of %q", m.Row, m.Column, m.Value)
	}
	var labels []string
	for _, t := range m.Terms {
		labels = append(labels, t.Label("en")+" ("+string(t.Kind)+")")
	}
	if got := strings.Join(labels, ", "); got != "Injection moulding (process), Engineering plastics (material)" {
		t.Errorf("mapped to %s", got)
	}
	if !slices.Equal(m.Free, []string{"50-500 tấn"}) {
		t.Errorf("free text %q", m.Free)
	}
	w := rep.Warnings
	if len(w) != 1 || w[0].Row != 3 || w[0].Column != "processes" || w[0].Key != KeyLeftFree || w[0].Args["Free"] != "“50-500 tấn”" {
		t.Errorf("warnings = %+v", w)
	}
	if n, _ := s.CountFirms(ctx); n != 0 {
		t.Errorf("a dry run wrote %d firms", n)
	}
}

// TestImportReadsCellsTwiceTheSame: importing the same file again, cells read through the
// matcher included, changes nothing.
func TestImportReadsCellsTwiceTheSame(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	file := "tax_code,name_vi,products,processes\n" +
		"0101234567,Công ty A,Khuôn mẫu chính xác cao; bánh răng nhựa POM,Ép phun nhựa kỹ thuật; Gia công đặc biệt\n"
	opts := ImportOptions{Concepts: conceptsOf(t, s)}
	if rep, err := Import(ctx, s, strings.NewReader(file), "a.csv", opts); err != nil || rep.Created != 1 {
		t.Fatalf("first import: %v %+v", err, rep)
	}
	before := dumpFirms(t, s)
	rep, err := Import(ctx, s, strings.NewReader(file), "a.csv", opts)
	if err != nil || rep.Unchanged != 1 {
		t.Fatalf("second import: %v %+v", err, rep)
	}
	if dumpFirms(t, s) != before {
		t.Error("the second import changed the firm")
	}
}

// TestExportQuotesFreeTextTheMatcherWouldRead: free text that names concepts goes out in quotes
// and comes back as the same free text, terms by label as the same terms.
func TestExportQuotesFreeTextTheMatcherWouldRead(t *testing.T) {
	ctx := context.Background()
	for _, format := range []string{"csv", "xlsx"} {
		t.Run(strings.ToUpper(format), func(t *testing.T) {
			src := storetest.Open(t)
			if _, err := src.SaveFirms(ctx, richFirms(t, src.Reference())); err != nil {
				t.Fatal(err)
			}
			concepts := conceptsOf(t, src)
			var file bytes.Buffer
			if err := Export(ctx, src, &file, format, WithConcepts(concepts)); err != nil {
				t.Fatal(err)
			}
			if format == "csv" && !strings.Contains(file.String(), `""Linh kiện máy bay không người lái""`) {
				t.Error("free text naming a concept was not quoted")
			}
			if format == "csv" && strings.Contains(file.String(), `""Hợp kim đặc biệt""`) {
				t.Error("free text naming no concept was quoted")
			}
			dst := storetest.Open(t)
			rep, err := Import(ctx, dst, bytes.NewReader(file.Bytes()), "export."+format, ImportOptions{Concepts: concepts})
			if err != nil {
				t.Fatalf("import: %v %v", err, rep.Problems)
			}
			if len(rep.Mappings) != 0 {
				t.Errorf("the export's cells were mapped: %+v", rep.Mappings)
			}
			want, got := allContent(t, src), allContent(t, dst)
			for code, w := range want {
				if got[code] != w {
					t.Errorf("%s after the round trip:\n got  %s\n want %s", code, got[code], w)
				}
			}
		})
	}
}
